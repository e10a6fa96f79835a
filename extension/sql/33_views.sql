
-- ---------------------------------------------------------------------------
-- The closed loop: issues as they stand, and as they stood on any day.
--
-- issues_as_of(T) is the input of scoring and of freeze_quarter over
-- millions of issues, so it is one set-based query: a SQL function the
-- planner inlines (no SET clause, not STRICT, not SECURITY DEFINER).  An
-- issue with no event effective after T stood on T as its row stands now,
-- so only the issues changed since T (issue.last_event_on > T, the latest
-- effective day of its events, which the trigger issue_follows_history
-- keeps) read their last event with on_date <= T from the index on
-- issue_event (issue, seq), which carries the snapshot columns: the
-- current quarter reads no history, the last one little.  Which issues
-- changed is a test of the row, not a probe of the history per issue (an
-- anti-join against the index on the effective day cost a quarter's
-- ranking a third of its time).  The issue rows are read in one scan, and
-- the changed ones alone call issue_snapshot_on(id, T) for their snapshot
-- (CASE WHEN last_event_on > T): no LIMIT subquery and no subquery per
-- row, so that the scan may run in parallel workers.  (Until 1.1's last
-- changes the changed issues were a second half of a UNION ALL, a
-- function scan per issue: each half scanned the whole issue table.)
-- Both run as the caller, so row security holds.
--
-- Only CREATE OR REPLACE and objects new in 1.1 here: the upgrade from 1.0
-- runs this fragment as it is (extension/upgrade/1.0--1.1/ links to it).
-- ---------------------------------------------------------------------------

-- Is an issue in this state with this due day overdue on a day?
CREATE OR REPLACE FUNCTION is_overdue(state issue_state, due_on date, day date) RETURNS boolean
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT is_open(state) AND day > due_on;
END;
COMMENT ON FUNCTION is_overdue(issue_state, date, date) IS
	'open and the day is after the due day';

-- The warning light on a day: red when overdue, yellow when the due day is
-- 0 to 15 days away, green otherwise, NULL when closed or withdrawn.
CREATE OR REPLACE FUNCTION warning_light(state issue_state, due_on date, day date) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN NOT is_open(state) THEN NULL
				WHEN day > due_on THEN 'red'
				WHEN due_on - day <= 15 THEN 'yellow'
				ELSE 'green' END;
END;
COMMENT ON FUNCTION warning_light(issue_state, date, date) IS
	'red when open and past the due day, yellow when open and due within 0 to 15 days, green when open otherwise, NULL when closed or withdrawn';

CREATE OR REPLACE VIEW issues WITH (security_invoker = true) AS
	SELECT i.code, i.list, i.org, i.official, i.title, i.severity, i.origin,
		   i.state, i.found_on, i.due_on, i.closed_on, i.reopen_count,
		   coalesce(current_date <= i.tolerated_until, false) AS tolerated,
		   is_overdue(i.state, i.due_on, current_date) AS overdue,
		   warning_light(i.state, i.due_on, current_date) AS light,
		   i.id, i.source, l.position AS list_position,
		   CASE WHEN is_overdue(i.state, i.due_on, current_date)
				THEN current_date - i.due_on ELSE 0 END AS overdue_days,
		   f.name AS official_name
	  FROM issue i
	  JOIN list l ON l.code = i.list
	  LEFT JOIN official f ON f.code = i.official;
COMMENT ON VIEW issues IS
	'every issue the caller may see, as it stands today (the same as issues_as_of(current_date))';
COMMENT ON COLUMN issues.code IS 'the issue''s code, as AUD-2021-000123';
COMMENT ON COLUMN issues.list IS 'the list (code)';
COMMENT ON COLUMN issues.org IS 'the organization (code)';
COMMENT ON COLUMN issues.official IS 'the responsible official''s code';
COMMENT ON COLUMN issues.title IS 'what the problem is';
COMMENT ON COLUMN issues.severity IS 'general, serious, major or critical';
COMMENT ON COLUMN issues.origin IS 'self, external or concealed';
COMMENT ON COLUMN issues.state IS 'where it stands in the closed loop';
COMMENT ON COLUMN issues.found_on IS 'the day it was found';
COMMENT ON COLUMN issues.due_on IS 'the due day, extensions included';
COMMENT ON COLUMN issues.closed_on IS 'the day it was closed or withdrawn; NULL while open';
COMMENT ON COLUMN issues.reopen_count IS 'times it went from closed to reopened';
COMMENT ON COLUMN issues.tolerated IS 'a tolerance holds today';
COMMENT ON COLUMN issues.overdue IS 'open and past its due day';
COMMENT ON COLUMN issues.light IS 'red overdue, yellow due within 0 to 15 days, green otherwise; NULL when closed or withdrawn';
COMMENT ON COLUMN issues.id IS 'internal number (issue.id)';
COMMENT ON COLUMN issues.source IS 'which inspection, audit or round found it';
COMMENT ON COLUMN issues.list_position IS 'the list''s position, 1 to 16';
COMMENT ON COLUMN issues.overdue_days IS 'days past the due day when overdue, else 0';
COMMENT ON COLUMN issues.official_name IS 'the responsible official''s name (as the caller may read it)';

-- The issues by closing day (NULL: still open) and by the latest
-- effective day of their events.  An issue closed or withdrawn before a
-- quarter began is outside that quarter's tally unless it changed after
-- the as-of day, so a ranking reads only the open issues, those closed
-- since the first day and those changed since the day, by a bitmap of
-- these two indexes (live_org_tallies), where it deformed every issue row
-- past its seven texts.  closed_on changes only when an issue is closed,
-- withdrawn or reopened, last_event_on with the first event of an issue on
-- a day; the other updates of the workflow stay heap-only.
CREATE INDEX issue_closed_on ON issue (closed_on);
COMMENT ON INDEX issue_closed_on IS
	'the open issues (NULL) and those closed since a day: a quarter''s scope (live_org_tallies)';
CREATE INDEX issue_last_event_on ON issue (last_event_on);
COMMENT ON INDEX issue_last_event_on IS
	'the issues changed after a day: their state on it is in the history (live_org_tallies)';

-- An issue's snapshot after its last event effective by a day (the
-- registration when none is: it stands from the found day on), for the
-- issues changed after the day.  A function of its own rather than a
-- LIMIT subquery in the query, which PostgreSQL 15 never runs in a
-- parallel worker, or an anti-join, which the planner may turn into a hash
-- of the whole history when it misjudges how many events an issue has (at
-- 5M issues it did, taking 8 s for 3).  In C (extension/snapshot.c): one
-- walk down the index on (issue, seq) from the end, where a SQL function
-- started and ended an executor for every call; for a caller that row
-- security filters it runs the same query as SQL did, under those
-- policies.  COST 100 as the SQL function had, so plans stay as they were.
CREATE OR REPLACE FUNCTION issue_snapshot_as_of(issue bigint, day date)
	RETURNS TABLE (state issue_state, due_on date, closed_on date,
				   reopen_count integer, tolerated_until date)
	AS 'MODULE_PATHNAME', 'issue_snapshot_as_of'
	LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100 ROWS 1;
COMMENT ON FUNCTION issue_snapshot_as_of(bigint, date) IS
	'an issue''s state, due day, closed day, reopen count and tolerance after its last event effective by the day (its registration when none is); no row for an issue without history or one the caller may not see';
REVOKE ALL ON FUNCTION issue_snapshot_as_of(bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION issue_snapshot_as_of(bigint, date)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;

-- issue_snapshot_as_of's row as one value, NULL where it has none: a plain
-- function, so that a reader of the issue rows calls it in the same scan,
-- for the changed issues alone (CASE WHEN last_event_on > day THEN ...).
-- Each field taken, (issue_snapshot_on(i, d)).state, is a call of its own;
-- the C function gives the last answer again to a call that would see the
-- same rows (extension/snapshot.c says when).
CREATE TYPE issue_snapshot AS (state issue_state, due_on date, closed_on date,
							   reopen_count integer, tolerated_until date);
COMMENT ON TYPE issue_snapshot IS
	'an issue''s state, due day, closed day, reopen count and tolerance after one of its events (issue_snapshot_on)';
CREATE OR REPLACE FUNCTION issue_snapshot_on(issue bigint, day date) RETURNS issue_snapshot
	AS 'MODULE_PATHNAME', 'issue_snapshot_on'
	LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION issue_snapshot_on(bigint, date) IS
	'issue_snapshot_as_of(issue, day) as one value: the issue''s snapshot after its last event effective by the day (its registration when none is); NULL for an issue without history or one the caller may not see';
REVOKE ALL ON FUNCTION issue_snapshot_on(bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION issue_snapshot_on(bigint, date)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;

-- The issues found by a day as they stood then, the rows issues_as_of
-- shows and the tallies count; with first_day, only those in the scope of
-- a quarter beginning that day: open on the day, closed since first_day,
-- or changed after the day (the others, closed or withdrawn before the
-- quarter, add nothing to its tally and stand as their rows say), found
-- by the indexes on closed_on and last_event_on.  issues_as_of passes NULL
-- (every issue: the planner drops the test), live_responsible_tallies the
-- quarter's first day.
--
-- An issue with nothing effective after the day (last_event_on <=
-- day) stood then as it stands now: the row is its last event's
-- snapshot (the trigger issue_follows_history keeps it so).  The
-- others stood as their snapshot after their last event effective
-- by then (issue_snapshot_on; the registration stands from the
-- found day on, also when a correction moved the found day before
-- the registration's day); one the caller may not read the history
-- of has none, and is left out.  The official: the one the first
-- assignment after the day replaced (its old_value), else the one
-- the row has now (the last assignment's), which is what
-- official_as_of reads, since each assignment's old value is the
-- official the one before it set (26_history_chain.sql keeps the
-- row so).
CREATE OR REPLACE FUNCTION issues_in_scope(day date, first_day date)
	RETURNS TABLE (id bigint, code text, list text, org text, title text,
				   severity severity, origin text, found_on date, source text,
				   official text, state issue_state, due_on date, closed_on date,
				   reopen_count integer, tolerated_until date, list_position smallint)
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
	SELECT i.id, i.code, i.list, i.org, i.title, i.severity, i.origin,
		   i.found_on, i.source,
		   CASE WHEN a.issue IS NULL THEN i.official ELSE a.old_value END AS official,
		   CASE WHEN i.last_event_on <= issues_in_scope.day THEN i.state
				ELSE (issue_snapshot_on(i.id, issues_in_scope.day)).state END AS state,
		   CASE WHEN i.last_event_on <= issues_in_scope.day THEN i.due_on
				ELSE (issue_snapshot_on(i.id, issues_in_scope.day)).due_on END AS due_on,
		   CASE WHEN i.last_event_on <= issues_in_scope.day THEN i.closed_on
				ELSE (issue_snapshot_on(i.id, issues_in_scope.day)).closed_on END AS closed_on,
		   CASE WHEN i.last_event_on <= issues_in_scope.day THEN i.reopen_count
				ELSE (issue_snapshot_on(i.id, issues_in_scope.day)).reopen_count END AS reopen_count,
		   CASE WHEN i.last_event_on <= issues_in_scope.day THEN i.tolerated_until
				ELSE (issue_snapshot_on(i.id, issues_in_scope.day)).tolerated_until END AS tolerated_until,
		   l.position AS list_position
	  FROM issue i
	  JOIN list l ON l.code = i.list
	  LEFT JOIN (SELECT a.issue, a.old_value
				   FROM issue_event a
				  WHERE a.event = 'assignment' AND a.on_date > issues_in_scope.day
					AND NOT EXISTS (SELECT FROM issue_event b
									 WHERE b.issue = a.issue AND b.event = 'assignment'
									   AND b.on_date > issues_in_scope.day AND b.seq < a.seq)) a
		ON a.issue = i.id
	 WHERE i.found_on <= issues_in_scope.day
	   AND (issues_in_scope.first_day IS NULL OR i.closed_on IS NULL
			OR i.closed_on >= issues_in_scope.first_day
			OR i.last_event_on > issues_in_scope.day)
	   AND (i.last_event_on <= issues_in_scope.day
			-- a snapshot's state is never NULL
			OR (issue_snapshot_on(i.id, issues_in_scope.day)).state IS NOT NULL);
END;
COMMENT ON FUNCTION issues_in_scope(date, date) IS
	'the issues the caller may see that were found by the day, as they stood then (issues_as_of''s rows before its overdue days and names); with first_day, only those open on the day, closed since first_day or changed after the day';

CREATE OR REPLACE FUNCTION issues_as_of(day date)
	RETURNS TABLE (code text, list text, org text, official text, title text,
				   severity severity, origin text, state issue_state,
				   found_on date, due_on date, closed_on date,
				   reopen_count integer, tolerated boolean, overdue boolean,
				   light text, id bigint, source text, list_position smallint,
				   overdue_days integer, official_name text)
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
	SELECT i.code, i.list, i.org, i.official, i.title, i.severity, i.origin,
		   i.state, i.found_on, i.due_on, i.closed_on, i.reopen_count,
		   coalesce(issues_as_of.day <= i.tolerated_until, false),
		   is_overdue(i.state, i.due_on, issues_as_of.day),
		   warning_light(i.state, i.due_on, issues_as_of.day),
		   i.id, i.source, i.list_position,
		   CASE WHEN is_overdue(i.state, i.due_on, issues_as_of.day)
				THEN issues_as_of.day - i.due_on ELSE 0 END,
		   f.name
	  FROM issues_in_scope(issues_as_of.day, NULL) i
	  LEFT JOIN official f ON f.code = i.official;
END;
COMMENT ON FUNCTION issues_as_of(date) IS
	'every issue the caller may see that was found on or before the day, as it stood that day (state, due day, closed day, reopen count, tolerance rebuilt from the history; the official responsible that day, official_as_of, and their name), with overdue and the warning light on that day';

CREATE OR REPLACE VIEW list_summary WITH (security_invoker = true) AS
	SELECT l.code, l.name, l.name_zh, l.position,
		   count(i.code) FILTER (WHERE is_open(i.state)) AS open,
		   count(i.code) FILTER (WHERE i.overdue AND NOT i.tolerated) AS overdue,
		   count(i.code) FILTER (WHERE i.state = 'closed') AS closed,
		   count(i.code) FILTER (WHERE i.state = 'withdrawn') AS withdrawn,
		   count(i.code) AS total,
		   -- last, so that the upgrade from 1.0 can replace the view
		   count(i.code) FILTER (WHERE i.overdue AND i.tolerated) AS overdue_tolerated
	  FROM list l
	  LEFT JOIN issues i ON i.list = l.code
	 GROUP BY l.code
	 ORDER BY l.position;
COMMENT ON VIEW list_summary IS
	'one row per list: open, overdue (past due, not tolerated), closed, withdrawn, all and overdue_tolerated (past due under a tolerance) issues today, of those the caller may see';
COMMENT ON COLUMN list_summary.code IS 'the list';
COMMENT ON COLUMN list_summary.name IS 'its name';
COMMENT ON COLUMN list_summary.name_zh IS 'its Chinese name';
COMMENT ON COLUMN list_summary.position IS 'its position, 1 to 16';
COMMENT ON COLUMN list_summary.open IS 'issues open today';
COMMENT ON COLUMN list_summary.overdue IS 'issues open and past their due day, not under a tolerance';
COMMENT ON COLUMN list_summary.closed IS 'issues closed';
COMMENT ON COLUMN list_summary.withdrawn IS 'issues withdrawn';
COMMENT ON COLUMN list_summary.total IS 'all issues';
COMMENT ON COLUMN list_summary.overdue_tolerated IS 'issues open and past their due day under a tolerance (not in overdue)';

REVOKE ALL ON FUNCTION issues_as_of(date), issues_in_scope(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION issues_as_of(date), issues_in_scope(date, date)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
GRANT SELECT ON issues, list_summary
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
