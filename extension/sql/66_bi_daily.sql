
-- ---------------------------------------------------------------------------
-- BI: the daily time series for Grafana and other time-series panels: per
-- list and day, the issues open and overdue that day as the history tells
-- it (the same as counting issues_as_of(day)), and those found and closed.
--
-- Every event of the history carries the issue's state and due day after
-- it, which hold until the issue's next event.  So each event adds +1 open
-- on its day and -1 on the next event's day (when open), and likewise for
-- overdue from the day after the due day; a running sum per list over the
-- days from the first event to today gives the counts.  One pass over the
-- history (in the order of its (issue, seq) index), none per day: the cost
-- grows with the number of events, not with days x issues.
-- ---------------------------------------------------------------------------

CREATE VIEW issuelist_bi.list_daily WITH (security_invoker = true) AS
	WITH span AS (
		-- The snapshot after each event, from its day until the next event's.
		SELECT i.list, e.on_date AS from_day,
			   lead(e.on_date) OVER (PARTITION BY e.issue ORDER BY e.seq) AS to_day,
			   is_open(e.state) AS open, e.due_on + 1 AS overdue_from,
			   e.event = 'registered' AS found,
			   coalesce(e.to_state = 'closed', false) AS closed
		  FROM issue_event e
		  JOIN issue i ON i.id = e.issue
	), change AS (
		SELECT s.list, c.day, sum(c.open) AS open, sum(c.overdue) AS overdue,
			   sum(c.found) AS found, sum(c.closed) AS closed
		  FROM span s
		 CROSS JOIN LATERAL (VALUES
			   (s.from_day, s.open::integer, 0, s.found::integer, s.closed::integer),
			   (s.to_day, -s.open::integer, 0, 0, 0),
			   (CASE WHEN s.open AND (s.to_day IS NULL OR greatest(s.from_day, s.overdue_from) < s.to_day)
					 THEN greatest(s.from_day, s.overdue_from) END, 0, 1, 0, 0),
			   (CASE WHEN s.open AND greatest(s.from_day, s.overdue_from) < s.to_day
					 THEN s.to_day END, 0, -1, 0, 0)
		   ) c(day, open, overdue, found, closed)
		 WHERE c.day <= current_date
		 GROUP BY s.list, c.day
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
	'Daily time series, one row per list and day from the first recorded day to today: issues open and overdue that day (as the history tells it, like issues_as_of(day)), found and closed that day, of the organizations the login may see. For Grafana: time column "time", filter with $__timeFilter("time"). Each query reads the whole visible history once (about a second per million events); the time filter only trims the output.';
COMMENT ON COLUMN issuelist_bi.list_daily.time IS 'The day as a timestamp (midnight, session time zone): the time column of Grafana and other time-series tools.';
COMMENT ON COLUMN issuelist_bi.list_daily.day IS 'The day (date).';
COMMENT ON COLUMN issuelist_bi.list_daily.list_code IS 'The list, e.g. audit.';
COMMENT ON COLUMN issuelist_bi.list_daily.list_label IS 'The list''s name, e.g. Audit.';
COMMENT ON COLUMN issuelist_bi.list_daily.list_label_zh IS 'The list''s Chinese name, e.g. 审计.';
COMMENT ON COLUMN issuelist_bi.list_daily.list_order IS 'The list''s position in reports, 1 to 16 (sort by it).';
COMMENT ON COLUMN issuelist_bi.list_daily.open IS 'Issues of the list open at the end of the day (found by then, not closed or withdrawn as of that day).';
COMMENT ON COLUMN issuelist_bi.list_daily.overdue IS 'Issues of the list open and past their due day (as extended by then) on that day.';
COMMENT ON COLUMN issuelist_bi.list_daily.found IS 'Issues of the list found (registered with that found day) on that day.';
COMMENT ON COLUMN issuelist_bi.list_daily.closed IS 'Closures (verified and struck off) of the list''s issues effective that day; an issue closed, reopened and closed again counts twice.';
