
-- ---------------------------------------------------------------------------
-- BI views of the published quarters: every organization's score and rank
-- among its peers, and its counts by list.  They call ranking() and
-- report_lists(), the functions the client calls, on published quarters
-- only, under the models the publication stored, with the names it stored,
-- so the client, SQL and every dashboard show the same published numbers
-- whatever is edited later.
--
-- ranking() and report_lists() resolve their tables by name when they run,
-- which a BI login (no USAGE on schema issuelist) cannot do; these two
-- wrappers run them as the extension's owner (with the fixed search_path
-- that 99_search_path.sql gives every function, ltree's schema included).  They reveal no more than
-- ranking() does to any login: the scores of a quarter's peers are
-- published together, whatever subtree a login may see.
-- ---------------------------------------------------------------------------

-- One published quarter's ranking of a level under a model (the latest
-- revision), with the counts of each organization's subtree and the names
-- the publication stored; no rows when the quarter is not published.
CREATE FUNCTION bi_quarter_ranking(q quarter, model text, level text)
	RETURNS TABLE (org text, org_name text, org_name_zh text, city_code text,
				   city_name text, city_name_zh text, rank bigint, peers bigint,
				   score float8, deductions float8, on_time_rate float8,
				   on_time_lower float8, open bigint, overdue bigint, veto boolean,
				   top_ten boolean, rank_change bigint, issues bigint, new bigint,
				   closed_on_time bigint, closed_late bigint, tolerated bigint)
	LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100 AS $$
BEGIN
	IF frozen_revision(q) IS NULL
		OR NOT EXISTS (SELECT FROM quarter_orgs(q) o WHERE o.level = bi_quarter_ranking.level) THEN
		RETURN;
	END IF;
	RETURN QUERY
		WITH orgs AS (SELECT * FROM quarter_orgs(q))
		SELECT r.org, o.name, o.name_zh, c.code, c.name, c.name_zh,
			   r.rank, count(*) OVER (), r.score, r.deductions,
			   r.on_time_rate, r.on_time_lower, r.open, r.overdue, r.veto,
			   r.top_ten, r.rank_change,
			   tally_count(t.tally, 'issues'), tally_count(t.tally, 'new'),
			   tally_count(t.tally, 'closed_on_time'),
			   tally_count(t.tally, 'closed_late'),
			   tally_count(t.tally, 'tolerated')
		  FROM ranking(q, model, level) r
		  JOIN level_tallies(q, level) t ON t.org = r.org
		  JOIN orgs o ON o.code = r.org
		  LEFT JOIN orgs c ON c.level = 'city' AND c.path @> o.path;
END $$;
COMMENT ON FUNCTION bi_quarter_ranking(quarter, text, text) IS
	'BI: ranking(q, model, level) of a published quarter with the names and city as published, the number of peers and counts of each subtree; no rows for a quarter not published (runs as the owner: BI logins cannot name the tables)';

-- One published quarter's report_lists() of every organization of a level,
-- with the names and list labels the publication stored.
CREATE FUNCTION bi_quarter_lists(q quarter, model text, level text)
	RETURNS TABLE (org text, org_name text, org_name_zh text, city_code text,
				   list text, list_label text, list_label_zh text,
				   list_order integer, general bigint, serious bigint,
				   major bigint, critical bigint, new bigint,
				   closed_on_time bigint, closed_late bigint, open bigint,
				   overdue bigint, tolerated bigint, deductions float8)
	LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 700 AS $$
BEGIN
	IF frozen_revision(q) IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY
		WITH orgs AS (SELECT * FROM quarter_orgs(q))
		SELECT o.code, o.name, o.name_zh, c.code, r.list, l.name, l.name_zh,
			   l.position::integer, r.general, r.serious, r.major, r.critical,
			   r.new, r.closed_on_time, r.closed_late, r.open, r.overdue,
			   r.tolerated, r.deductions
		  FROM orgs o
		  LEFT JOIN orgs c ON c.level = 'city' AND c.path @> o.path
		 CROSS JOIN LATERAL report_lists(o.code, q, model) r
		  JOIN quarter_lists(q) l ON l.code = r.list
		 WHERE o.level = bi_quarter_lists.level;
END $$;
COMMENT ON FUNCTION bi_quarter_lists(quarter, text, text) IS
	'BI: report_lists(org, q, model) of every organization of a level for a published quarter, with the names and list labels as published; no rows for a quarter not published (runs as the owner: BI logins cannot name the tables)';

REVOKE ALL ON FUNCTION bi_quarter_ranking(quarter, text, text),
	bi_quarter_lists(quarter, text, text) FROM PUBLIC;

-- The published quarters with their latest revision, and the models and
-- levels each publication stored; a filter on the quarter reaches this
-- scan, so a dashboard showing one quarter ranks only that one.
CREATE VIEW issuelist_bi.org_quarter_scores WITH (security_invoker = true) AS
	SELECT f.q::text AS quarter, lower(f.q) AS quarter_start, upper(f.q) AS quarter_end,
		   year(f.q) AS year, quarter_number(f.q) AS quarter_number,
		   m.model, lv.level AS org_level,
		   r.org AS org_code, r.org_name, r.org_name_zh,
		   o.province_code, r.city_code, r.city_name, r.city_name_zh,
		   r.rank::integer AS rank, r.peers::integer AS peers,
		   r.score::numeric AS score, r.deductions::numeric AS deductions,
		   r.veto, r.top_ten, r.rank_change::integer AS rank_change,
		   r.on_time_rate::numeric AS on_time_rate,
		   r.on_time_lower::numeric AS on_time_lower,
		   r.issues, r.new, r.open, r.overdue, r.closed_on_time, r.closed_late,
		   r.tolerated, f.revision, f.computed_at AS frozen_at
	  FROM (SELECT DISTINCT ON (qf.q) qf.q, qf.revision, qf.computed_at
			  FROM quarter_freeze qf
			 ORDER BY qf.q, qf.revision DESC) f
	  JOIN publication_model m ON m.q = f.q AND m.revision = f.revision
	 CROSS JOIN LATERAL (SELECT DISTINCT po.level FROM publication_org po
						  WHERE po.q = f.q AND po.revision = f.revision) lv
	 CROSS JOIN LATERAL bi_quarter_ranking(f.q, m.model, lv.level) r
	  LEFT JOIN issuelist_bi.orgs o ON o.org_code = r.org;
COMMENT ON VIEW issuelist_bi.org_quarter_scores IS
	'One row per published quarter, score model it stored and organization: its score and rank among the organizations of its level (counties against counties), deductions, veto, top ten, on-time rate, counts. From the publication (its latest revision), with the names and weights it stored, as ranking() shows it; a quarter appears once freeze_quarter() has published it. Filter on quarter, model and org_level (county for the 90 counties).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.quarter IS 'The quarter, e.g. 2021Q4.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.quarter_start IS 'First day of the quarter (date); use it as the time axis.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.quarter_end IS 'Last day of the quarter (date): the day as of which it was scored.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.year IS 'Year of the quarter.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.quarter_number IS 'Number of the quarter in its year, 1 to 4.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.model IS 'The score model: standard (the default) or a model added locally.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.org_level IS 'The level ranked: province, city, county or township; peers are the organizations of one level.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.org_code IS 'Code of the organization (join issuelist_bi.orgs on it).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.org_name IS 'Name of the organization.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.org_name_zh IS 'Chinese name of the organization.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.province_code IS 'Code of the organization''s province.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.city_code IS 'Code of the organization''s city (itself for a city); NULL for a province.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.city_name IS 'Name of the organization''s city; NULL for a province.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.city_name_zh IS 'Chinese name of the organization''s city; NULL for a province.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.rank IS 'Rank among its peers by score, 1 the best; ties share a rank and the next rank is skipped (1, 2, 2, 4).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.peers IS 'How many organizations of the level were ranked.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.score IS 'Score of the whole subtree, 100 K / (K + deductions): 100 with no deductions, 50 when deductions equal K (50 in the standard model); 0 to 100, higher is better.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.deductions IS 'Deduction points D of the quarter, the sum over the issues of list, severity and origin weights times the issue''s factor (docs/scoring.md); 0 or more.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.veto IS 'True when an open overdue critical issue stood at the quarter''s end: ranked, but never in the top ten.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.top_ten IS 'True for the best ten without a veto (all tied at the tenth place included): they present at the quarterly meeting.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.rank_change IS 'Previous quarter''s rank minus this rank: positive moved up; NULL when the previous quarter is not frozen.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.on_time_rate IS 'Closed on time in the quarter / (closed in the quarter + open overdue at its end), 0 to 1; NULL when both are 0.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.on_time_lower IS 'Wilson lower bound (95%) of the on-time rate, 0 to 1: small counts do not look perfect; 0 when there is nothing to rate.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.issues IS 'Issues of the subtree in the quarter''s scope (found by its end, not closed before it began).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.new IS 'Issues found during the quarter.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.open IS 'Issues open at the quarter''s end.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.overdue IS 'Issues open and past their due day at the quarter''s end, not under a tolerance (tolerated ones are exempt).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.closed_on_time IS 'Issues closed during the quarter on or before their due day.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.closed_late IS 'Issues closed during the quarter after their due day.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.tolerated IS 'Issues under a tolerance at the quarter''s end (exempt from the score).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.revision IS 'Revision of the freeze the numbers come from: 1, or more when the quarter was frozen again.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.frozen_at IS 'When that revision was computed.';

CREATE VIEW issuelist_bi.org_quarter_lists WITH (security_invoker = true) AS
	SELECT f.q::text AS quarter, lower(f.q) AS quarter_start,
		   m.model, lv.level AS org_level,
		   r.org AS org_code, r.org_name, r.org_name_zh, r.city_code,
		   r.list AS list_code, r.list_label, r.list_label_zh, r.list_order,
		   r.general, r.serious, r.major, r.critical,
		   r.general + r.serious + r.major + r.critical AS issues,
		   r.new, r.open, r.overdue, r.closed_on_time, r.closed_late,
		   r.tolerated, r.deductions::numeric AS deductions
	  FROM (SELECT DISTINCT ON (qf.q) qf.q, qf.revision
			  FROM quarter_freeze qf
			 ORDER BY qf.q, qf.revision DESC) f
	  JOIN publication_model m ON m.q = f.q AND m.revision = f.revision
	 CROSS JOIN LATERAL (SELECT DISTINCT po.level FROM publication_org po
						  WHERE po.q = f.q AND po.revision = f.revision) lv
	 CROSS JOIN LATERAL bi_quarter_lists(f.q, m.model, lv.level) r;
COMMENT ON VIEW issuelist_bi.org_quarter_lists IS
	'One row per published quarter, score model it stored, organization and list: the organization''s report against the lists (its whole subtree), as report_lists() and the client''s report command show it. Filter on quarter, model and org_level.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.quarter IS 'The quarter, e.g. 2021Q4.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.quarter_start IS 'First day of the quarter (date); use it as the time axis.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.model IS 'The score model of the deductions: standard or a model added locally.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.org_level IS 'Level of the organization: province, city, county or township.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.org_code IS 'Code of the organization (join issuelist_bi.orgs on it).';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.org_name IS 'Name of the organization.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.org_name_zh IS 'Chinese name of the organization.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.city_code IS 'Code of the organization''s city (itself for a city); NULL for a province.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.list_code IS 'The list, e.g. audit.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.list_label IS 'The list''s name, e.g. Audit.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.list_label_zh IS 'The list''s Chinese name, e.g. 审计.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.list_order IS 'The list''s position in reports, 1 to 16 (sort by it).';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.general IS 'Issues of severity general in the quarter''s scope.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.serious IS 'Issues of severity serious in the quarter''s scope.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.major IS 'Issues of severity major in the quarter''s scope.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.critical IS 'Issues of severity critical in the quarter''s scope.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.issues IS 'All issues of the list in the quarter''s scope: general + serious + major + critical.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.new IS 'Issues found during the quarter.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.open IS 'Issues open at the quarter''s end.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.overdue IS 'Issues open and past their due day at the quarter''s end, not under a tolerance (tolerated ones are exempt).';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.closed_on_time IS 'Issues closed during the quarter on or before their due day.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.closed_late IS 'Issues closed during the quarter after their due day.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.tolerated IS 'Issues under a tolerance at the quarter''s end.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.deductions IS 'Deduction points of the list in the quarter under the model; the lists'' deductions add up to org_quarter_scores.deductions.';

-- The BI logins read these views (68_bi_reader.sql grants the rest of the
-- schema); granted here too so that the upgrade, which makes them again,
-- grants them.
GRANT SELECT ON issuelist_bi.org_quarter_scores, issuelist_bi.org_quarter_lists,
	publication_model, publication_org
	TO issuelist_reader;
GRANT EXECUTE ON FUNCTION bi_quarter_ranking(quarter, text, text),
	bi_quarter_lists(quarter, text, text)
	TO issuelist_reader;
