
-- ---------------------------------------------------------------------------
-- The client's reports (docs/client.md): each command that prints a report
-- calls one of these with what the user typed, and only formats what they
-- return (rounding, the order of columns), so SQL users and BI tools get the
-- same rows.  as_of is the client's AS_OF: the day to answer for, NULL for
-- today.  They run as the caller, so row security applies as for any query.
-- This fragment is also the 1.0--1.1 upgrade's (a link in
-- extension/upgrade/1.0--1.1/), so what 1.0 had is made with CREATE OR
-- REPLACE.
-- ---------------------------------------------------------------------------

-- The quarter a report is about: the one given, else the last complete
-- quarter before the day (before today when it is NULL).
CREATE FUNCTION report_quarter(q quarter DEFAULT NULL, as_of date DEFAULT NULL)
	RETURNS quarter
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT coalesce(report_quarter.q,
					quarter(coalesce(report_quarter.as_of, current_date)) - 1);
END;
COMMENT ON FUNCTION report_quarter(quarter, date) IS
	'the quarter a report is about: q when given, else the last complete quarter before as_of (before today when NULL)';

-- The issues as they stand today (the view issues) or as they stood on a
-- day (issues_as_of, which has the view's columns): rows of the view
-- either way.  The branch not taken is a constant-false filter the planner
-- drops, so today's form costs what the view costs.
CREATE FUNCTION issues_on(as_of date DEFAULT NULL) RETURNS SETOF issues
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
	SELECT * FROM issues WHERE issues_on.as_of IS NULL
	UNION ALL
	SELECT * FROM issues_as_of(issues_on.as_of) WHERE issues_on.as_of IS NOT NULL;
END;
COMMENT ON FUNCTION issues_on(date) IS
	'every issue the caller may see as it stands today (the view issues) when as_of is NULL, else as it stood that day (issues_as_of)';

-- The lists with their open, overdue, closed and withdrawn issues today or
-- on a day: the client's "lists".  Overdue counts as everywhere (the
-- summary, the ranking, the BI views): open, past due and not under a
-- tolerance; the tolerated ones past due are counted apart.
CREATE FUNCTION list_summary_on(as_of date DEFAULT NULL)
	RETURNS TABLE (code text, name text, name_zh text, "position" smallint,
				   open bigint, overdue bigint, closed bigint, withdrawn bigint,
				   total bigint, overdue_tolerated bigint)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT l.code, l.name, l.name_zh, l.position,
		   count(i.code) FILTER (WHERE is_open(i.state)),
		   count(i.code) FILTER (WHERE i.overdue AND NOT i.tolerated),
		   count(i.code) FILTER (WHERE i.state = 'closed'),
		   count(i.code) FILTER (WHERE i.state = 'withdrawn'),
		   count(i.code),
		   count(i.code) FILTER (WHERE i.overdue AND i.tolerated)
	  FROM list l
	  LEFT JOIN issues_on(list_summary_on.as_of) i ON i.list = l.code
	 GROUP BY l.code
	 ORDER BY l.position;
END;
COMMENT ON FUNCTION list_summary_on(date) IS
	'the view list_summary as of a day (today when NULL): one row per list with its open, overdue (past due, not tolerated), closed, withdrawn, all and overdue_tolerated (past due under a tolerance) issues the caller may see; the columns of the view, in its order';

-- One issue with its organization's names and its description, today or
-- as it stood on a day (no row when it was found after that day): the
-- client's "issue".  Error IL003 when the caller sees no issue of that code.
CREATE FUNCTION report_issue(issue_code text, as_of date DEFAULT NULL)
	RETURNS TABLE (code text, title text, list text, org text, org_name text,
				   org_name_zh text, official text, severity severity,
				   origin text, state issue_state, found_on date, due_on date,
				   closed_on date, reopen_count integer, tolerated boolean,
				   overdue boolean, light text, source text, detail text)
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	PERFORM require_issue_id(report_issue.issue_code);
	RETURN QUERY
	SELECT i.code, i.title, i.list, i.org, o.name, o.name_zh, i.official,
		   i.severity, i.origin, i.state, i.found_on, i.due_on, i.closed_on,
		   i.reopen_count, i.tolerated, i.overdue, i.light, i.source, d.detail
	  FROM issues_on(report_issue.as_of) i
	  JOIN org o ON o.code = i.org
	  JOIN issue d ON d.id = i.id
	 WHERE i.code = report_issue.issue_code;
END $$;
COMMENT ON FUNCTION report_issue(text, date) IS
	'one issue as it stands today, or as it stood on as_of (no row when found later), with its organization''s English and Chinese names and its detail; error IL003 when the caller sees no issue of that code';

-- An issue's events up to a day (all of them when NULL), in order: the
-- history part of the client's "issue".
CREATE FUNCTION report_history(issue_code text, as_of date DEFAULT NULL)
	RETURNS TABLE (day date, recorded_at timestamptz, actor name, role name,
				   event text, from_state issue_state, to_state issue_state,
				   due_on date, note text)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT h.day, h.recorded_at, h.actor, h.role, h.event, h.from_state,
		   h.to_state, h.due_on, h.note
	  FROM history(report_history.issue_code) h
	 WHERE report_history.as_of IS NULL OR h.day <= report_history.as_of;
END;
COMMENT ON FUNCTION report_history(text, date) IS
	'an issue''s events with an effective day up to as_of (every one when NULL), in order: day, wall-clock time, login, role acted as, event, states, due day after it, note (history() has every column)';

-- The client's "find": issues by list, organization subtree, severity,
-- state, overdue and words of the title, found day order.  Every filter
-- left NULL keeps every issue; state 'open' is any open state.  The names
-- given are read (and refused) before any issue is, so an unknown list or
-- organization is an error whether or not issues would be left.
CREATE FUNCTION report_find(of_list text DEFAULT NULL, under_org text DEFAULT NULL,
		severity_is severity DEFAULT NULL, severity_min severity DEFAULT NULL,
		severity_max severity DEFAULT NULL, severity_above severity DEFAULT NULL,
		severity_below severity DEFAULT NULL, in_state text DEFAULT NULL,
		overdue_only boolean DEFAULT false, max_rows integer DEFAULT 100,
		title_has text DEFAULT NULL, as_of date DEFAULT NULL)
	RETURNS TABLE (code text, list text, org text, severity severity,
				   state issue_state, found_on date, due_on date, light text,
				   title text)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	want_list text := list_code(report_find.of_list);
	want_orgs text[];
	want_open boolean;
	want_state issue_state;
BEGIN
	IF report_find.under_org IS NOT NULL THEN
		want_orgs := ARRAY(SELECT subtree(org_code(report_find.under_org)));
	END IF;
	IF report_find.in_state = 'open' THEN
		want_open := true;
	ELSE
		want_state := report_find.in_state::issue_state;
	END IF;
	RETURN QUERY
	SELECT i.code, i.list, i.org, i.severity, i.state, i.found_on, i.due_on,
		   i.light, i.title
	  FROM issues_on(report_find.as_of) i
	 WHERE (want_list IS NULL OR i.list = want_list)
	   AND (want_orgs IS NULL OR i.org = ANY (want_orgs))
	   AND (report_find.severity_is IS NULL OR i.severity = report_find.severity_is)
	   AND (report_find.severity_min IS NULL OR i.severity >= report_find.severity_min)
	   AND (report_find.severity_max IS NULL OR i.severity <= report_find.severity_max)
	   AND (report_find.severity_above IS NULL OR i.severity > report_find.severity_above)
	   AND (report_find.severity_below IS NULL OR i.severity < report_find.severity_below)
	   AND (want_state IS NULL OR i.state = want_state)
	   AND (want_open IS NULL OR is_open(i.state))
	   AND (NOT coalesce(report_find.overdue_only, false) OR i.overdue)
	   AND (report_find.title_has IS NULL
			OR strpos(lower(i.title), lower(report_find.title_has)) > 0)
	 ORDER BY i.found_on, i.code
	 LIMIT coalesce(report_find.max_rows, 100);
END $$;
COMMENT ON FUNCTION report_find(text, text, severity, severity, severity, severity, severity, text, boolean, integer, text, date) IS
	'the issues (today, or as of as_of) of a list, of an organization''s subtree (both by code or name), of a severity (=, >=, <=, >, <), in a state (''open'': any open state), overdue only, with a text in the title (case ignored); NULL keeps every issue; found day order, max_rows (100 when NULL) at the most';

-- Open issues past their due day, oldest first, of an organization's
-- subtree (every organization when NULL), today or on a day: the client's
-- "overdue", and the last part of its "report" (report_overdue).  Those
-- under a tolerance are listed too, marked tolerated: the rows with
-- tolerated false are the overdue count of the summary, the ranking and
-- the lists, those with true their overdue_tolerated.
-- The rows of overdue_issues() (a PL/pgSQL function cannot have an
-- argument and a column both named org).  The organization is looked up
-- first, so that an unknown one is refused (IL005) whether or not anything
-- is overdue.
CREATE FUNCTION overdue_rows(wanted_org text, as_of date, n integer)
	RETURNS TABLE (code text, list text, org text, org_name text,
				   org_name_zh text, severity severity, title text,
				   official text, due_on date, days_overdue integer,
				   light text, tolerated boolean)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	-- The organizations as a value: the condition on i.org reaches into
	-- both halves of issues_as_of, which then read the subtree's issues
	-- by the index on org, not every issue.
	orgs text[] := CASE WHEN wanted_org IS NOT NULL
						THEN ARRAY(SELECT subtree(org_code(wanted_org)))
						ELSE ARRAY(SELECT x.code FROM issuelist.org x) END;
BEGIN
	RETURN QUERY
		SELECT i.code, i.list, i.org, o.name, o.name_zh, i.severity, i.title,
			   i.official, i.due_on, i.overdue_days, i.light, i.tolerated
		  FROM issues_on(overdue_rows.as_of) i
		  JOIN issuelist.org o ON o.code = i.org
		 WHERE i.overdue
		   AND i.org = ANY (orgs)
		 ORDER BY i.due_on, i.code
		 LIMIT overdue_rows.n;
END $$;
COMMENT ON FUNCTION overdue_rows(text, date, integer) IS 'the rows of overdue_issues() (which see)';

CREATE FUNCTION overdue_issues(org text DEFAULT NULL, as_of date DEFAULT NULL,
		n integer DEFAULT NULL)
	RETURNS TABLE (code text, list text, org text, org_name text,
				   org_name_zh text, severity severity, title text,
				   official text, due_on date, days_overdue integer,
				   light text, tolerated boolean)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT * FROM overdue_rows(overdue_issues.org, overdue_issues.as_of, overdue_issues.n);
END;
COMMENT ON FUNCTION overdue_issues(text, date, integer) IS
	'the open issues past their due day of an organization''s subtree (by code or name; every organization when NULL), today or as of as_of, oldest due day first, with the organization''s names, days overdue, the warning light and whether a tolerance holds (tolerated: not in the overdue count, in overdue_tolerated); n at the most (all when NULL)';

-- The oldest overdue issues of an organization's subtree on the day its
-- quarter is scored (tally_day: the published day, else the quarter's last
-- day, today for the current quarter): what the county must explain.
CREATE OR REPLACE FUNCTION report_overdue(org text, q quarter, n integer DEFAULT 10)
	RETURNS TABLE (code text, list text, org text, severity severity,
				   title text, official text, due_on date,
				   days_overdue integer, tolerated boolean)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT o.code, o.list, o.org, o.severity, o.title, o.official, o.due_on,
		   o.days_overdue, o.tolerated
	  FROM overdue_issues(report_overdue.org, tally_day(report_overdue.q),
						  report_overdue.n) o;
END;
COMMENT ON FUNCTION report_overdue(text, quarter, integer) IS
	'the n oldest overdue issues (all when n is NULL) of an organization''s subtree (organization by code or name) on the day the quarter is scored (its published day, else its last day, today for the current quarter), tolerated ones marked: those not tolerated are report_summary''s overdue, the tolerated its overdue_tolerated';

-- The head of an organization's quarterly report: score, rank among its
-- peers (the organizations of its level), the change since the previous
-- quarter, veto and top ten, on-time rate, open and overdue counts.  A
-- published quarter names the organization as its publication did.
-- The change of score and of rank compare with the previous quarter as
-- published (its latest revision), never a live recomputation: both are
-- NULL while it is not published, and compared_with says which.  Overdue
-- is the ranking's (past due, not tolerated); overdue_tolerated counts the
-- tolerated ones past due that report_overdue lists too.
CREATE OR REPLACE FUNCTION report_summary(org text, q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (org text, name text, name_zh text, level text,
				   quarter quarter, score float8, previous_score float8,
				   score_change float8, rank bigint, peers bigint,
				   rank_change bigint, compared_with text, top_ten boolean,
				   veto boolean, deductions float8, on_time_rate float8,
				   on_time_lower float8, open bigint, overdue bigint,
				   overdue_tolerated bigint, frozen boolean)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT o.code, o.name, o.name_zh, o.level, report_summary.q,
		   r.score, p.score, r.score - p.score, r.rank, r.peers, r.rank_change,
		   CASE WHEN p.revision IS NULL
				THEN (report_summary.q - 1) || ' not published: no change shown'
				ELSE (report_summary.q - 1) || ' as published (revision ' || p.revision || ')'
		   END,
		   r.top_ten, r.veto, r.deductions, r.on_time_rate, r.on_time_lower,
		   r.open, r.overdue,
		   (SELECT count(*) FROM overdue_rows(o.code, tally_day(report_summary.q), NULL) x
			 WHERE x.tolerated),
		   frozen_revision(report_summary.q) IS NOT NULL
	  FROM quarter_orgs(report_summary.q) o
	 CROSS JOIN LATERAL (
		   SELECT k.*, count(*) OVER () AS peers
			 FROM ranking(report_summary.q, report_summary.model, o.level) k) r
	 CROSS JOIN LATERAL (
		   SELECT f.revision,
				  CASE WHEN f.revision IS NOT NULL
					   THEN score(o.code, report_summary.q - 1, report_summary.model) END AS score
			 FROM (SELECT frozen_revision(report_summary.q - 1) AS revision) f) p
	 WHERE o.code = org_code(report_summary.org)
	   AND r.org = o.code;
END;
COMMENT ON FUNCTION report_summary(text, quarter, text) IS
	'the head of an organization''s report for a quarter (organization by code or name): score, the previous quarter''s published score and the change, rank among the organizations of its level, rank change against the previous quarter''s published rank (both changes NULL while it is not published; compared_with says which), top ten, veto, deductions, on-time rate and its Wilson lower bound, open issues, overdue (past due, not tolerated: the ranking''s) and overdue_tolerated (past due under a tolerance; report_overdue lists both), whether the quarter is frozen';

-- Where an organization's deductions come from: its facts (explain_score)
-- by bucket and severity, the largest first, with their share.
CREATE FUNCTION report_deductions(org text, q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (bucket text, severity severity, issues bigint, points float8,
				   percent float8)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT e.bucket, e.severity, sum(e.issues)::bigint, sum(e.points),
		   100 * sum(e.points) / nullif(sum(sum(e.points)) OVER (), 0)
	  FROM explain_score(org_code(report_deductions.org), report_deductions.q,
						 report_deductions.model) e
	 GROUP BY e.bucket, e.severity
	 ORDER BY sum(e.points) DESC, e.bucket, e.severity::text;
END;
COMMENT ON FUNCTION report_deductions(text, quarter, text) IS
	'an organization''s deductions for a quarter (by code or name) by bucket and severity, the largest first: issues, points and percent of the total (explain_score has every fact)';

-- The client's "rank": ranking() with the Chinese names (as published, for
-- a published quarter) and a mark (VETO, top ten), the first n (all when
-- NULL).  NULL model, level and by are
-- ranking()'s defaults.
CREATE FUNCTION report_ranking(q quarter, model text DEFAULT 'standard',
		level text DEFAULT 'county', by text DEFAULT 'score', n integer DEFAULT NULL)
	RETURNS TABLE (rank bigint, org text, name text, name_zh text, score float8,
				   deductions float8, on_time_rate float8, on_time_lower float8,
				   open bigint, overdue bigint, rank_change bigint, mark text)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT r.rank, r.org, r.name, o.name_zh, r.score, r.deductions,
		   r.on_time_rate, r.on_time_lower, r.open, r.overdue, r.rank_change,
		   CASE WHEN r.veto THEN 'VETO' WHEN r.top_ten THEN 'top ten' ELSE '' END
	  FROM ranking(report_ranking.q, coalesce(report_ranking.model, 'standard'),
				   coalesce(report_ranking.level, 'county'),
				   coalesce(report_ranking.by, 'score')) r
	  JOIN quarter_orgs(report_ranking.q) o ON o.code = r.org
	 ORDER BY r.rank, r.org
	 LIMIT report_ranking.n;
END;
COMMENT ON FUNCTION report_ranking(quarter, text, text, text, integer) IS
	'the ranking of a quarter (ranking(); NULL model, level and by are its defaults) with each organization''s Chinese name and a mark, VETO or top ten; the first n rows (all when NULL)';

-- A score as a bar of block characters: 40 for 100 points, in eighths of a
-- character (the client draws it in its aligned tables).  Scores run from
-- 0 to 100; one outside is drawn as the nearer end.
CREATE FUNCTION score_bar(score float8) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT repeat('█', floor(b.len)::integer)
		   || (ARRAY['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'])[1 + floor((b.len - floor(b.len)) * 8)::integer]
	  FROM (SELECT 0.4 * least(greatest(score_bar.score, 0), 100) AS len) b;
END;
COMMENT ON FUNCTION score_bar(float8) IS
	'a score drawn as a bar of block characters, 40 characters for 100 points, in eighths of a character (below 0: empty; above 100: 40)';

-- The client's "trend": trend() over a window that defaults to the eight
-- quarters up to the last complete one (report_quarter), starting no
-- earlier than the first quarter with issues.
CREATE FUNCTION report_trend(org text, from_q quarter DEFAULT NULL,
		to_q quarter DEFAULT NULL, as_of date DEFAULT NULL,
		model text DEFAULT 'standard')
	RETURNS TABLE (quarter quarter, rank bigint, score float8, deductions float8,
				   open bigint, overdue bigint, closed_on_time bigint,
				   closed_late bigint)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT t.q, t.rank, t.score, t.deductions, t.open, t.overdue,
		   t.closed_on_time, t.closed_late
	  FROM (SELECT report_quarter(report_trend.to_q, report_trend.as_of) AS last_q) w
	 CROSS JOIN LATERAL trend(org_code(report_trend.org),
			coalesce(report_trend.from_q,
					 greatest(w.last_q - 7,
							  (SELECT quarter(min(i.found_on)) FROM issue i))),
			w.last_q, coalesce(report_trend.model, 'standard')) t
	 ORDER BY t.q;
END;
COMMENT ON FUNCTION report_trend(text, quarter, quarter, date, text) IS
	'an organization''s trend() (by code or name) from from_q to to_q; to_q defaults to report_quarter(NULL, as_of), from_q to seven quarters before it but not before the first quarter with issues';

-- The client's "official": the tally of the issues an official (code, or
-- a unique name) was responsible for in a quarter, one row per
-- organization (official_org by code or name: that one alone), headed by
-- the quarter; published quarters as published.
CREATE FUNCTION report_official(official text, q quarter,
		official_org text DEFAULT NULL, model text DEFAULT 'standard')
	RETURNS TABLE (quarter quarter, name text, org text, issues bigint,
				   open bigint, overdue bigint, closed_on_time bigint,
				   closed_late bigint, tolerated bigint, deductions float8,
				   on_time_rate float8, on_time_lower float8)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT report_official.q, f.name, t.org, tally_count(t.tally, 'issues'),
		   tally_count(t.tally, 'open'), tally_count(t.tally, 'overdue'),
		   tally_count(t.tally, 'closed_on_time'), tally_count(t.tally, 'closed_late'),
		   tally_count(t.tally, 'tolerated'),
		   weighted_deductions(t.tally, quarter_weights(report_official.q,
										coalesce(report_official.model, 'standard'))),
		   CASE WHEN tally_count(t.tally, 'closed') + tally_count(t.tally, 'overdue') > 0 THEN
			   tally_count(t.tally, 'closed_on_time')::float8
			   / (tally_count(t.tally, 'closed') + tally_count(t.tally, 'overdue')) END,
		   wilson_lower(tally_count(t.tally, 'closed_on_time'),
						tally_count(t.tally, 'closed') + tally_count(t.tally, 'overdue'))
	  FROM quarter_official_tallies(report_official.q) t
	  JOIN official f ON f.code = t.official
	 WHERE t.official = find_official(report_official.official,
									  org_code(report_official.official_org))
	   AND (report_official.official_org IS NULL
			OR t.org = org_code(report_official.official_org))
	 ORDER BY t.org;
END;
COMMENT ON FUNCTION report_official(text, quarter, text, text) IS
	'the issues an official (code, or a unique name) was responsible for in a quarter, one row per organization (official_org by code or name: that one alone): in scope, open, overdue, closed on time and late, tolerated, deductions and on-time rate with its Wilson lower bound; published quarters as published';

-- The issues behind it: theirs as they stood at the quarter's end, found
-- day order.
CREATE FUNCTION report_official_issues(official text, q quarter,
		official_org text DEFAULT NULL)
	RETURNS TABLE (code text, list text, org text, severity severity,
				   state issue_state, found_on date, due_on date, light text,
				   title text)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT i.code, i.list, i.org, i.severity, i.state, i.found_on, i.due_on,
		   i.light, i.title
	  FROM issues_as_of(quarter_as_of(report_official_issues.q)) i
	 WHERE i.official = find_official(report_official_issues.official,
									  org_code(report_official_issues.official_org))
	   AND (report_official_issues.official_org IS NULL
			OR i.org = org_code(report_official_issues.official_org))
	 ORDER BY i.found_on, i.code;
END;
COMMENT ON FUNCTION report_official_issues(text, quarter, text) IS
	'the issues an official (code, or a unique name) was responsible for as they stood at the quarter''s end (today for the current quarter), in one organization when official_org is given (code or name), found day order';

-- The client's "official": the posts an official (code, or a unique
-- name) held, in one organization when given (code or name), begun by the
-- end of a quarter (all when NULL), latest first.
CREATE FUNCTION report_official_posts(official text, official_org text DEFAULT NULL,
		q quarter DEFAULT NULL)
	RETURNS TABLE (code text, name text, org text, org_name text, title text,
				   from_day date, to_day date)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT f.code, f.name, p.org, o.name, p.title, p.from_day, p.to_day
	  FROM post p
	  JOIN official f ON f.code = p.official
	  JOIN org o ON o.code = p.org
	 WHERE p.official = find_official(report_official_posts.official,
									  org_code(report_official_posts.official_org))
	   AND (report_official_posts.official_org IS NULL
			OR p.org = org_code(report_official_posts.official_org))
	   AND (report_official_posts.q IS NULL OR p.from_day <= upper(report_official_posts.q))
	 ORDER BY p.from_day DESC, p.org, p.title;
END;
COMMENT ON FUNCTION report_official_posts(text, text, quarter) IS
	'the posts an official (code, or a unique name) held, in one organization when official_org is given (code or name), begun by the end of quarter q (NULL: all), latest first: code, name, organization, title, first and last day';

-- The client's "term": term_report of an official's latest post of a
-- title, in the organization given (code or name) or else in the
-- organization of that latest post.
CREATE FUNCTION report_term(official text, org text DEFAULT NULL, title text DEFAULT 'secretary')
	RETURNS TABLE (part text, measure text, issues bigint, code text,
				   issue_title text, responsible text, days_overdue integer,
				   from_day date, to_day date)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT t.*
	  FROM term_report(report_term.official,
					   coalesce(org_code(report_term.org),
								(SELECT p.org FROM post p
								  WHERE p.official = find_official(report_term.official)
									AND p.title = coalesce(report_term.title, 'secretary')
								  ORDER BY p.from_day DESC LIMIT 1),
								(SELECT p.org FROM post p
								  WHERE p.official = find_official(report_term.official)
								  ORDER BY p.from_day DESC LIMIT 1)),
					   coalesce(report_term.title,
								(SELECT p.title FROM post p
								  WHERE p.official = find_official(report_term.official)
								  ORDER BY p.title = 'secretary' DESC, p.from_day DESC LIMIT 1))) t;
END;
COMMENT ON FUNCTION report_term(text, text, text) IS
	'term_report of an official (code, or a unique name) in an organization (code or name; NULL: that of the official''s latest post of the title)';

-- Whether a text reads as a quarter: the client tells "official NAME ORG
-- QUARTER" from "official NAME QUARTER ORG" by it, with the type's own
-- parser.  (Not parallel safe: the exception block is a subtransaction.)
CREATE FUNCTION is_quarter(value text) RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
	PERFORM value::quarter;
	RETURN true;
EXCEPTION WHEN data_exception THEN
	RETURN false;
END $$;
COMMENT ON FUNCTION is_quarter(text) IS
	'true when the text reads as a quarter (2021Q1, 2021q1, 2021-Q1, 2021 Q1), false otherwise';

-- Every state of the closed loop, in its order: what the client completes
-- after "state=" and, with can_advance(), after "advance CODE".
CREATE FUNCTION issue_states() RETURNS SETOF issue_state
	LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 8
BEGIN ATOMIC
	SELECT s
	  FROM unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) s
	 ORDER BY s;
END;
COMMENT ON FUNCTION issue_states() IS
	'every issue_state, in the order of the loop (registered .. withdrawn)';
