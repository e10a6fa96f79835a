
-- ---------------------------------------------------------------------------
-- Reports over tallies: an organization against the lists, its trend over
-- quarters, and an official's record.  The client and the BI views call
-- these, so every surface shows the same numbers.  A published quarter is
-- read from its publication.  Only CREATE OR REPLACE here: the upgrade
-- from 1.0 runs this fragment as it is.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION report_lists(org text, q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (list text, name_zh text, "position" smallint,
				   general bigint, serious bigint, major bigint, critical bigint,
				   new bigint, closed_on_time bigint, closed_late bigint,
				   open bigint, overdue bigint, tolerated bigint,
				   deductions float8, published boolean, revision integer)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	WITH t AS (SELECT org_tally(org, q) AS t),
	w AS (SELECT quarter_weights(q, model) AS w),
	cells AS (SELECT c.* FROM t, tally_cells(t.t) c),
	points AS (SELECT e.list, sum(e.points) AS points
				 FROM t, w, tally_explain(t.t, (w.w).w_list, (w.w).w_severity,
						(w.w).w_origin, (w.w).overdue_rate, (w.w).closed_on_time,
						(w.w).closed_late, (w.w).recurrence_rate) e
				GROUP BY e.list)
	SELECT l.code, l.name_zh, l.position,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'general'), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'serious'), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'major'), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'critical'), 0)::bigint,
		   coalesce(sum(c.new), 0)::bigint,
		   coalesce(sum(c.closed_on_time), 0)::bigint,
		   coalesce(sum(c.closed_late), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.tolerated_open), 0)::bigint,
		   coalesce(sum(c.overdue), 0)::bigint,
		   coalesce(sum(c.tolerated), 0)::bigint,
		   coalesce(min(p.points), 0),
		   (SELECT (w.w).published FROM w),
		   published_revision(q)
	  FROM quarter_lists(q) l
	  LEFT JOIN cells c ON c.list = l.position
	  LEFT JOIN points p ON p.list = l.position
	 GROUP BY l.code, l.name_zh, l.position
	 ORDER BY l.position
$$;
COMMENT ON FUNCTION report_lists(text, quarter, text) IS
	'an organization''s report against the lists for a quarter (its whole subtree): issues by severity, new, closed on time and late, open, overdue, tolerated and the deductions of each list; as published for a published quarter (published = false: a what-if model)';

CREATE OR REPLACE FUNCTION trend(org text, from_q quarter, to_q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (q quarter, score float8, rank bigint, deductions float8,
				   open bigint, overdue bigint, closed_on_time bigint,
				   closed_late bigint, published boolean, revision integer)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT s.q, r.score, r.rank, r.deductions, r.open, r.overdue,
		   tally_count(t.t, 'closed_on_time'), tally_count(t.t, 'closed_late'),
		   (w.w).published, published_revision(s.q)
	  FROM quarters(from_q, least(to_q, quarter(current_date))) s(q)
	  CROSS JOIN LATERAL (SELECT org_tally(trend.org, s.q) AS t) t
	  CROSS JOIN LATERAL (SELECT quarter_weights(s.q, model) AS w) w
	  LEFT JOIN LATERAL (
		  SELECT k.* FROM ranking_of_quarter(s.q, w.w,
				(SELECT o.level FROM quarter_orgs(s.q) o WHERE o.code = trend.org),
				'score', NULL) k
		   WHERE k.org = trend.org) r ON true
	 ORDER BY s.q
$$;
COMMENT ON FUNCTION trend(text, quarter, quarter, text) IS
	'an organization''s score, rank among its peers, deductions and counts for each quarter from from_q to to_q (quarters not begun are left out); published quarters as published';

CREATE OR REPLACE FUNCTION official_record(official text, q quarter, model text DEFAULT 'standard',
		official_org text DEFAULT NULL)
	RETURNS TABLE (name text, org text, issues bigint, open bigint,
				   overdue bigint, closed_on_time bigint, closed_late bigint,
				   tolerated bigint, deductions float8, on_time_rate float8,
				   on_time_lower float8, published boolean, revision integer)
	LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	t date := quarter_as_of(q);
	rev integer := published_revision(q);
	w score_weights := quarter_weights(q, model);
	orgs text[];
	tl tally;
BEGIN
	-- Names are unique within an organization only.
	SELECT array_agg(f.org ORDER BY f.org) INTO orgs FROM issuelist.official f
	 WHERE f.name = official_record.official
	   AND (official_org IS NULL OR f.org = official_org);
	IF orgs IS NULL THEN
		RAISE EXCEPTION 'unknown official "%"', official_record.official
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF cardinality(orgs) > 1 THEN
		RAISE EXCEPTION 'official "%" is known in several organizations: %',
			official_record.official, array_to_string(orgs, ', ')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Name the organization: official_record(name, q, official_org => ...).';
	END IF;
	-- A published quarter's officials are read from its publication, the
	-- others' issues as of T.
	IF rev IS NOT NULL THEN
		SELECT p.tally INTO tl FROM publication_official p
		 WHERE p.q = official_record.q AND p.revision = rev
		   AND p.official = official_record.official AND p.org = orgs[1];
	ELSE
	SELECT issuelist.tally(official_record.q, t, i.list_position, i.severity,
			i.origin, i.state, i.found_on, i.due_on, i.closed_on,
			i.reopen_count, i.tolerated)
	  INTO tl
	  FROM issues_as_of(t) i
	 WHERE i.official = official_record.official AND i.org = orgs[1];
	END IF;
	tl := coalesce(tl, empty_tally(q, t));
	RETURN QUERY SELECT official_record.official, orgs[1],
		tally_count(tl, 'issues'), tally_count(tl, 'open'),
		tally_count(tl, 'overdue'), tally_count(tl, 'closed_on_time'),
		tally_count(tl, 'closed_late'), tally_count(tl, 'tolerated'),
		weighted_deductions(tl, w),
		CASE WHEN tally_count(tl, 'closed') + tally_count(tl, 'overdue') > 0 THEN
			tally_count(tl, 'closed_on_time')::float8
			/ (tally_count(tl, 'closed') + tally_count(tl, 'overdue')) END,
		wilson_lower(tally_count(tl, 'closed_on_time'),
					 tally_count(tl, 'closed') + tally_count(tl, 'overdue')),
		w.published, rev;
END $$;
COMMENT ON FUNCTION official_record(text, quarter, text, text) IS
	'an official''s record over a quarter (official_org needed only when the name is known in several organizations): their issues in scope, open, overdue, closed on time and late, tolerated, their deductions and on-time rate with its Wilson lower bound; a published quarter as published';
