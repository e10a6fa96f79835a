
-- ---------------------------------------------------------------------------
-- BI: the daily time series for Grafana and other time-series panels: per
-- list and day, the issues open and overdue that day as the history tells
-- it (the same as counting issues_as_of(day)), and those found and closed.
--
-- Every event of the history carries the issue's state and due day after
-- it, which hold until the issue's next event.  So the open count changes
-- only at events that open or close an issue (+1 or -1 on their day), and
-- the overdue count only at events that change whether the issue is open
-- or its due day: the snapshot before such an event stops being overdue
-- from the event's day (or its due day + 1, if later), the snapshot after
-- it becomes overdue from the event's day (or its due day + 1).  Events
-- that change neither (assigned -> rectifying...) add and take away the
-- same and are skipped.  Overdue counts as everywhere (docs/ranking.md,
-- "Overdue: one rule"): not while a tolerance holds, so the day after which
-- a snapshot counts is the later of its due day and its tolerance's last
-- day (infinity: never).  A running sum per list over the days from the
-- first event to today then gives the counts.  One pass over the history
-- in the order of its (issue, seq) index, then only the changes: the cost
-- grows with the number of events, not with days x issues.
-- Made with CREATE OR REPLACE, so that the upgrade from 1.0 runs this
-- fragment as it is.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE VIEW issuelist_bi.list_daily WITH (security_invoker = true) AS
	WITH step AS (
		-- Each event with the issue's open flag and the day after which it
		-- is overdue (its due day, or its tolerance's last day when later),
		-- before and after.
		SELECT e.issue, e.on_date, greatest(e.due_on, e.tolerated_until) AS due_on,
			   is_open(e.state) AS open,
			   coalesce(lag(is_open(e.state)) OVER w, false) AS was_open,
			   lag(greatest(e.due_on, e.tolerated_until)) OVER w AS was_due,
			   e.seq = 1 AS found,
			   -- Only the closing transition leaves an issue closed.
			   e.state = 'closed' AS closed
		  FROM issue_event e
		WINDOW w AS (PARTITION BY e.issue ORDER BY e.seq)
	), change AS (
		SELECT i.list, c.day, sum(c.open) AS open, sum(c.overdue) AS overdue,
			   sum(c.found) AS found, sum(c.closed) AS closed
		  FROM step s
		  JOIN issue i ON i.id = s.issue
		 CROSS JOIN LATERAL (VALUES
			   (s.on_date, s.open::integer - s.was_open::integer, 0,
				s.found::integer, s.closed::integer),
			   (greatest(s.on_date, s.due_on + 1), 0, s.open::integer, 0, 0),
			   (greatest(s.on_date, s.was_due + 1), 0, -s.was_open::integer, 0, 0)
		   ) c(day, open, overdue, found, closed)
		 WHERE (s.open, s.due_on) IS DISTINCT FROM (s.was_open, s.was_due)
		   AND c.day <= current_date
		   AND (c.open, c.overdue, c.found, c.closed) <> (0, 0, 0, 0)
		 GROUP BY i.list, c.day
	), days AS (
		SELECT d::date AS day
		  FROM generate_series((SELECT min(c.day) FROM change c), current_date,
							   interval '1 day') d
	)
	SELECT d.day::timestamptz AS "time", d.day,
		   l.code AS list_code, l.name AS list_label, l.name_zh AS list_label_zh,
		   l.position::integer AS list_order,
		   (sum(coalesce(c.open, 0)) OVER w)::bigint AS open,
		   (sum(coalesce(c.overdue, 0)) OVER w)::bigint AS overdue,
		   coalesce(c.found, 0)::bigint AS found,
		   coalesce(c.closed, 0)::bigint AS closed
	  FROM days d
	 CROSS JOIN list l
	  LEFT JOIN change c ON c.list = l.code AND c.day = d.day
	WINDOW w AS (PARTITION BY l.code ORDER BY d.day);
COMMENT ON VIEW issuelist_bi.list_daily IS
	'Daily time series, one row per list and day from the first recorded day to today: issues open and overdue that day (as the history tells it, like issues_as_of(day)), found and closed that day, of the organizations the login may see. For Grafana: time column "time", filter with $__timeFilter("time"). Each query reads the whole visible history once (about 2 seconds per million events); the time filter only trims the output.';
COMMENT ON COLUMN issuelist_bi.list_daily.time IS 'The day as a timestamp (midnight, session time zone): the time column of Grafana and other time-series tools.';
COMMENT ON COLUMN issuelist_bi.list_daily.day IS 'The day (date).';
COMMENT ON COLUMN issuelist_bi.list_daily.list_code IS 'The list, e.g. audit.';
COMMENT ON COLUMN issuelist_bi.list_daily.list_label IS 'The list''s name, e.g. Audit.';
COMMENT ON COLUMN issuelist_bi.list_daily.list_label_zh IS 'The list''s Chinese name, e.g. 审计.';
COMMENT ON COLUMN issuelist_bi.list_daily.list_order IS 'The list''s position in reports, 1 to 16 (sort by it).';
COMMENT ON COLUMN issuelist_bi.list_daily.open IS 'Issues of the list open at the end of the day (found by then, not closed or withdrawn as of that day).';
COMMENT ON COLUMN issuelist_bi.list_daily.overdue IS 'Issues of the list open and past their due day (as extended by then) on that day, not under a tolerance that day: the overdue of scores and reports.';
COMMENT ON COLUMN issuelist_bi.list_daily.found IS 'Issues of the list found (registered with that found day) on that day.';
COMMENT ON COLUMN issuelist_bi.list_daily.closed IS 'Closures (verified and struck off) of the list''s issues effective that day; an issue closed, reopened and closed again counts twice.';
