-- Issues as they stand (the view issues) and as they stood on any day
-- (issues_as_of), rebuilt from the history; overdue and the warning light;
-- the summary per list.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET datestyle = ISO;

SELECT add_org('330000', 'Zhejiang', NULL, 'province');
SELECT add_org('330100', 'Hangzhou', '330000', 'city');
SELECT add_org('330106', 'Xihu', '330100', 'county');

-- A critical issue, due 2021-06-30 after an extension; tolerated from
-- 2021-05-01 to 2021-05-31; closed late, reopened, closed again.
SELECT register_issue('safety', '330106', 'critical', 'Gas pipeline hazard', '2021-05-01',
					  official => 'Li Ming');
SELECT extend_deadline('SAF-2021-000001', '2021-06-30', 'parts on order', '2021-05-20');
SELECT tolerate('SAF-2021-000001', 'storm damage', 'review board', '2021-05-25', '2021-05-31');
SELECT advance('SAF-2021-000001', 'assigned', NULL, '2021-05-26');
SELECT advance('SAF-2021-000001', 'rectifying', NULL, '2021-06-01');
SELECT advance('SAF-2021-000001', 'rectified', NULL, '2021-07-05');
SELECT advance('SAF-2021-000001', 'closed', NULL, '2021-07-10');
SELECT advance('SAF-2021-000001', 'reopened', 'leak again', '2021-09-01');
SELECT advance('SAF-2021-000001', 'rectifying', NULL, '2021-09-02');
SELECT advance('SAF-2021-000001', 'rectified', NULL, '2021-09-20');
SELECT advance('SAF-2021-000001', 'closed', NULL, '2021-09-25');
-- A general issue withdrawn; an audit finding still open, for ever tolerated.
SELECT register_issue('complaints', '330106', 'general', 'Duplicate petition', '2021-06-01', origin => 'self');
SELECT advance('CMP-2021-000001', 'withdrawn', 'duplicate of CMP-2020-000417', '2021-06-10');
SELECT register_issue('audit', '330106', 'major', 'Arrears to contractors', '2021-08-01', origin => 'concealed');
SELECT tolerate('AUD-2021-000001', 'court case pending', 'review board', '2021-08-15');

-- The issue on chosen days: before it was found it does not exist; the
-- extension moves the due day from that day on; the tolerance holds through
-- its last day; the light turns yellow 15 days before the due day and red
-- the day after; closing sets the closed day and puts the light out;
-- reopening clears it and counts.
SELECT d AS day, a.state, a.due_on, a.closed_on, a.reopen_count, a.tolerated, a.overdue,
	   a.light, a.overdue_days
  FROM unnest('{2021-04-30,2021-05-01,2021-05-19,2021-05-20,2021-05-25,2021-05-31,2021-06-01,
				2021-06-14,2021-06-15,2021-06-30,2021-07-01,2021-07-09,2021-07-10,2021-09-01,
				2021-09-25}'::date[]) d
  LEFT JOIN LATERAL (SELECT * FROM issues_as_of(d) i WHERE i.code = 'SAF-2021-000001') a ON true
 ORDER BY d;

-- The columns of issues_as_of, in the order the scoring engine and the
-- client rely on; the view issues has the same.
SELECT pg_get_function_result('issues_as_of(date)'::regprocedure);
SELECT string_agg(attname, ', ' ORDER BY attnum) FROM pg_attribute
 WHERE attrelid = 'issues'::regclass AND attnum > 0;

-- Today: the view issues is issues_as_of(current_date).
SELECT code, list, org, official, title, severity, origin, state, found_on, due_on, closed_on,
	   reopen_count, tolerated, overdue, light, source, list_position
  FROM issues ORDER BY code;
SELECT count(*) AS differences FROM (
	(SELECT * FROM issues EXCEPT ALL SELECT * FROM issues_as_of(current_date))
	UNION ALL
	(SELECT * FROM issues_as_of(current_date) EXCEPT ALL SELECT * FROM issues)) x;

-- issues_as_of agrees with the history, rebuilt here the slow way from
-- each event's transition and due day and from the tolerance records (not
-- from the snapshot columns), on every other day of 2021 and 2022, for
-- these issues and for a synthetic province.
SELECT load_sample_province() > 0 AS loaded;
SELECT generate_sample_issues('2021Q1', '2022Q2', 40, 3);
CREATE TEMP TABLE rebuilt AS
	SELECT g.d AS day, i.code, t.to_state AS state, l.due_on,
		   CASE WHEN NOT is_open(t.to_state) THEN t.on_date END AS closed_on,
		   (SELECT count(*) FROM issue_event e WHERE e.issue = i.id AND e.on_date <= g.d
			   AND e.to_state = 'reopened')::integer AS reopen_count,
		   EXISTS (SELECT FROM tolerance x WHERE x.issue = i.id AND x.from_on <= g.d
				   AND g.d <= coalesce(x.until_on, 'infinity')) AS tolerated
	  FROM issue i
	 CROSS JOIN generate_series('2021-01-01'::date, '2022-12-31', '2 days') g(d)
	 CROSS JOIN LATERAL (SELECT e.to_state, e.on_date FROM issue_event e
						  WHERE e.issue = i.id AND e.on_date <= g.d AND e.to_state IS NOT NULL
						  ORDER BY e.seq DESC LIMIT 1) t
	 CROSS JOIN LATERAL (SELECT e.due_on FROM issue_event e
						  WHERE e.issue = i.id AND e.on_date <= g.d
						  ORDER BY e.seq DESC LIMIT 1) l
	 WHERE i.found_on <= g.d;
SELECT count(*) AS issue_days, count(DISTINCT code) AS issues FROM rebuilt;
CREATE TEMP VIEW disagreement AS
SELECT r.code, r.day
  FROM rebuilt r
  FULL JOIN (SELECT d AS day, a.*
			   FROM generate_series('2021-01-01'::date, '2022-12-31', '2 days') d,
					issues_as_of(d::date) a) a
	ON a.day = r.day AND a.code = r.code
 WHERE (r.state, r.due_on, r.closed_on, r.reopen_count, r.tolerated)
	   IS DISTINCT FROM (a.state, a.due_on, a.closed_on, a.reopen_count, a.tolerated);
SELECT count(*) AS disagreements FROM disagreement;

-- issue_snapshot_as_of (C) against its definition, the last event by the
-- day (or the registration), for every issue every fifth day: with the
-- history's pages not yet all-visible (each entry checked against the
-- table), after VACUUM (read from the index alone), and for a county's
-- clerk, whom row security lets see that county's issues only (the probe
-- is then the same query under the clerk's policies: nothing of another
-- county's issue, given its id).
CREATE FUNCTION pg_temp.snapshot_check(OUT probes bigint, OUT found bigint, OUT differ bigint,
										OUT differ_on bigint)
	LANGUAGE sql AS $$
	SELECT count(*), count(c.state),
		   count(*) FILTER (WHERE (c.state, c.due_on, c.closed_on, c.reopen_count, c.tolerated_until)
								  IS DISTINCT FROM
								  (s.state, s.due_on, s.closed_on, s.reopen_count, s.tolerated_until)),
		   -- issue_snapshot_on, each field a call of its own
		   count(*) FILTER (WHERE (c.state, c.due_on, c.closed_on, c.reopen_count, c.tolerated_until)
								  IS DISTINCT FROM
								  ((o.x).state, (o.x).due_on, (o.x).closed_on, (o.x).reopen_count,
								   (o.x).tolerated_until))
	  FROM issuelist.issue i
	 CROSS JOIN generate_series('2021-01-01'::date, '2022-12-31', '5 days') g(d)
	  LEFT JOIN LATERAL issuelist.issue_snapshot_as_of(i.id, g.d::date) c ON true
	 CROSS JOIN LATERAL (SELECT issuelist.issue_snapshot_on(i.id, g.d::date) AS x) o
	  LEFT JOIN LATERAL (SELECT ev.state, ev.due_on, ev.closed_on, ev.reopen_count, ev.tolerated_until
						   FROM issuelist.issue_event ev
						  WHERE ev.issue = i.id AND (ev.on_date <= g.d OR ev.seq = 1)
						  ORDER BY ev.seq DESC LIMIT 1) s ON true
$$;
SELECT * FROM pg_temp.snapshot_check();
VACUUM issue_event;
SELECT * FROM pg_temp.snapshot_check();
SELECT count(*) AS disagreements_all_visible FROM disagreement;
DO $$
BEGIN
	CREATE ROLE regress_views_clerk IN ROLE issuelist_editor;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
SELECT org AS clerk_org FROM issue GROUP BY org ORDER BY count(*) DESC, org LIMIT 1 \gset
SELECT grant_org('regress_views_clerk', :'clerk_org');
CREATE TEMP TABLE others AS SELECT id FROM issue WHERE org <> :'clerk_org';
GRANT SELECT ON others TO regress_views_clerk;
SET ROLE regress_views_clerk;
SELECT probes > 0 AS some, probes = found AS all_found, differ, differ_on FROM pg_temp.snapshot_check();
SELECT (SELECT count(*) FROM others) > 100 AS many_others,
	   count(*) AS others_seen,
	   (SELECT count(issue_snapshot_on(o.id, '2022-12-31')) FROM others o) AS others_seen_on
  FROM others o CROSS JOIN LATERAL issue_snapshot_as_of(o.id, '2022-12-31') s;
RESET ROLE;
SELECT count(*) AS others_seen_by_the_owner,
	   (SELECT count(issue_snapshot_on(o.id, '2022-12-31')) FROM others o) AS others_seen_on_by_the_owner
  FROM others o CROSS JOIN LATERAL issue_snapshot_as_of(o.id, '2022-12-31') s;
-- The same question asked again as the owner after the clerk, in the same
-- transaction and with the same rows in view: the clerk's answer is not
-- given again.
BEGIN;
SET LOCAL ROLE regress_views_clerk;
SELECT count(issue_snapshot_on(o.id, '2022-12-31')) AS clerk_sees
  FROM (SELECT id FROM others ORDER BY id LIMIT 1) o;
RESET ROLE;
SELECT count(issue_snapshot_on(o.id, '2022-12-31')) AS owner_sees
  FROM (SELECT id FROM others ORDER BY id LIMIT 1) o;
COMMIT;
DROP TABLE others;
SELECT revoke_org('regress_views_clerk', :'clerk_org');
DROP ROLE regress_views_clerk;

-- issue_snapshot_on gives its last answer again only to a call that sees
-- the same rows: not after a step recorded since, not after a rollback to
-- a savepoint taken before a step.
BEGIN;
SELECT id AS step_issue, code AS step_code FROM issue WHERE state = 'registered' ORDER BY id LIMIT 1 \gset
SELECT (issue_snapshot_on(:step_issue, current_date)).state AS before_the_step;
SELECT advance(:'step_code', 'assigned') IS NOT NULL AS stepped;
SELECT (issue_snapshot_on(:step_issue, current_date)).state AS after_the_step;
SAVEPOINT one_more;
SELECT advance(:'step_code', 'rectifying') IS NOT NULL AS stepped;
SELECT (issue_snapshot_on(:step_issue, current_date)).state AS in_the_savepoint;
ROLLBACK TO SAVEPOINT one_more;
SELECT (issue_snapshot_on(:step_issue, current_date)).state AS after_the_rollback;
ROLLBACK;

-- The probes of one query in ascending issue order, as the scan of a
-- ranking makes them, each starting from the leaf page where the last one
-- ended (or a page right of it) where that page holds all of its issue's
-- entries: against the definition, among entries on all-visible pages,
-- an issue's 300 extensions (its entries span several leaf pages, and a
-- probe of the day before walks back over all of them), and 40 issues'
-- extensions rolled back to a savepoint (in the index, seen by no one).
CREATE FUNCTION pg_temp.in_order_check(day date, descending boolean, OUT probes bigint,
									   OUT found bigint, OUT differ bigint)
	LANGUAGE sql AS $$
	SELECT count(*), count((o.x).state),
		   count(*) FILTER (WHERE ((o.x).state, (o.x).due_on, (o.x).closed_on,
								   (o.x).reopen_count, (o.x).tolerated_until)
								  IS DISTINCT FROM
								  (s.state, s.due_on, s.closed_on, s.reopen_count, s.tolerated_until))
	  FROM (SELECT i.id FROM issuelist.issue i
			 ORDER BY CASE WHEN descending THEN -i.id ELSE i.id END OFFSET 0) i
	 CROSS JOIN LATERAL (SELECT issuelist.issue_snapshot_on(i.id, day) AS x) o
	  LEFT JOIN LATERAL (SELECT ev.state, ev.due_on, ev.closed_on, ev.reopen_count, ev.tolerated_until
						   FROM issuelist.issue_event ev
						  WHERE ev.issue = i.id AND (ev.on_date <= day OR ev.seq = 1)
						  ORDER BY ev.seq DESC LIMIT 1) s ON true
$$;
BEGIN;
SELECT code AS long_code, due_on AS long_due FROM issue
 WHERE is_open(state) AND last_event_on < current_date ORDER BY id OFFSET 20 LIMIT 1 \gset
SELECT count(extend_deadline(:'long_code', :'long_due'::date + k, 'extension ' || k))
	   AS extensions
  FROM generate_series(1, 300) k;
SAVEPOINT rolled_back;
SELECT count(extend_deadline(x.code, x.due_on + 30, 'rolled back')) AS rolled_back
  FROM (SELECT code, due_on FROM issue WHERE is_open(state) AND code <> :'long_code'
		 ORDER BY id LIMIT 40) x;
ROLLBACK TO SAVEPOINT rolled_back;
SELECT u.day, o.descending, c.*
  FROM unnest(ARRAY[current_date, current_date - 1, '2022-06-30', '2021-03-31']::date[],
			  ARRAY['today', 'yesterday', '2022-06-30', '2021-03-31']) u(d, day),
	   unnest(ARRAY[false, true]) o(descending),
	   pg_temp.in_order_check(u.d, o.descending) c;
-- The same issue probed again for an earlier day, from the last of the
-- pages its entries span (where the first probe ended).
SELECT d.day, (issue_snapshot_on(i.id, d.d)).due_on - :'long_due'::date AS days_extended
  FROM issue i,
	   unnest(ARRAY[current_date, current_date - 1], ARRAY['today', 'yesterday'])
		 WITH ORDINALITY d(d, day, n)
 WHERE i.code = :'long_code'
 ORDER BY d.n;
ROLLBACK;

-- overdue and the light follow from state and due day, as DESIGN says.
SELECT count(*) AS wrong_lights
  FROM generate_series('2021-01-01'::date, '2022-12-31', '7 days') d,
	   issues_as_of(d::date) a
 WHERE a.overdue IS DISTINCT FROM (is_open(a.state) AND d > a.due_on)
	OR a.light IS DISTINCT FROM CASE WHEN NOT is_open(a.state) THEN NULL
									 WHEN d > a.due_on THEN 'red'
									 WHEN a.due_on - d::date <= 15 THEN 'yellow'
									 ELSE 'green' END
	OR a.overdue_days <> CASE WHEN a.overdue THEN d::date - a.due_on ELSE 0 END;

-- One set-based query: the planner inlines issues_as_of (no scan of it),
-- reads the issue table once and the changed issues' snapshots through
-- issue_snapshot_on in that scan (no function scan, no subquery run per
-- row, which would keep it out of parallel workers).
CREATE FUNCTION pg_temp.plan(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || query;
END $$;
SELECT count(*) FILTER (WHERE line ~ 'Function Scan') AS function_scans,
	   count(*) FILTER (WHERE line ~ 'Scan on issue i\M') AS issue_scans,
	   count(*) FILTER (WHERE line ~ 'issue_snapshot_on\(') > 0 AS snapshot_in_the_scan,
	   count(*) FILTER (WHERE line ~ 'SubPlan') AS subqueries_per_row
  FROM pg_temp.plan($$SELECT org, count(*) FROM issues_as_of('2021-12-31') WHERE overdue GROUP BY org$$) line;
SELECT provolatile, proparallel FROM pg_proc WHERE oid = 'issues_as_of(date)'::regprocedure;

-- The summary per list, today.
SELECT code, position, open, overdue, overdue_tolerated, closed, withdrawn, total,
	   total = (SELECT count(*) FROM issues i WHERE i.list = s.code) AS adds_up
  FROM list_summary s;
