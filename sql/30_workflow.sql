-- The closed loop: register_issue, advance, extend_deadline, tolerate and
-- history, with every refusal.  Run as a superuser, who acts as
-- issuelist_admin (roles and subtrees: 36_security).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET datestyle = ISO;

\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers
-- The same, but undoes what the statement did: 'ok' or the SQLSTATE.
CREATE FUNCTION pg_temp.would(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	RAISE EXCEPTION USING ERRCODE = 'ZZ000';
EXCEPTION
	WHEN SQLSTATE 'ZZ000' THEN RETURN 'ok';
	WHEN OTHERS THEN RETURN SQLSTATE;
END $$;

SELECT add_org('330000', 'Zhejiang', NULL, 'province');
SELECT add_org('330100', 'Hangzhou', '330000', 'city');
SELECT add_org('330106', 'Xihu', '330100', 'county');

-- register_issue: the code is list prefix, year found, and a number per
-- list and year; the due day comes from the deadline policy.
SELECT register_issue('audit', '330106', 'major', 'Special funds left idle',
					  found_on => '2021-03-01', official => 'Wang Wei',
					  source => '2020 audit', detail => 'Two funds, 3.2 million yuan');
SELECT register_issue('audit', '330106', 'critical', 'Irregular procurement', '2021-03-05');
SELECT register_issue('inspection', '330106', 'general', 'Formalism in grassroots work',
					  '2021-04-01', '2021-05-01', 'self');
SELECT register_issue('audit', '330106', 'serious', 'Arrears to contractors', '2022-01-10',
					  origin => 'concealed');
SELECT code, list, org, official, title, detail, severity, origin, state, found_on,
	   due_on, closed_on, reopen_count, source, tags
  FROM issue ORDER BY id;
SELECT list, year, last_number FROM issue_counter ORDER BY 1, 2;
-- The official was created on first use, in the issue's organization.
SELECT name, org FROM official;
-- Registration is the first event, effective on the found day; it says
-- who (the login, and the role it acted as) and when (the wall clock).
SELECT day, recorded_at BETWEEN now() - interval '10 minutes' AND clock_timestamp() AS recorded_now,
	   actor = current_user AS by_me, role, event, from_state, to_state, due_on, note
  FROM history('AUD-2021-000001');

-- Every refusal of register_issue names the bad value.
SELECT pg_temp.try($$SELECT register_issue('audits', '330106', 'major', 'x', '2021-01-01')$$);
SELECT pg_temp.try($$SELECT register_issue(NULL, '330106', 'major', 'x', '2021-01-01')$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '339999', 'major', 'x', '2021-01-01')$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330106', NULL, 'x', '2021-01-01')$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330106', 'major', '  ', '2021-01-01')$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330106', 'major', 'x', '2021-01-01', origin => 'rumour')$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330106', 'major', 'x', '2021-01-01', origin => NULL)$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330106', 'major', 'x', '2021-01-01', '2020-12-31')$$);
SELECT replace(pg_temp.try($$SELECT register_issue('audit', '330106', 'major', 'x', current_date + 1)$$),
			   (current_date + 1)::text, '<tomorrow>');
SELECT pg_temp.try($$SELECT register_issue('audit', '330106', 'major', 'x', NULL)$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330106', 'major', 'x', '2021-01-01', official => '')$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330106', 'severe', 'x', '2021-01-01')$$);
-- Refused registrations used no number.
SELECT list, year, last_number FROM issue_counter ORDER BY 1, 2;

-- A full loop with reopening, effective on past days (a ledger being
-- imported).  The issue row follows every step.
CREATE TEMP TABLE steps AS SELECT 0 AS n, state, due_on, closed_on, reopen_count
	FROM issue WHERE code = 'AUD-2021-000001';
CREATE FUNCTION pg_temp.step(n integer, to_state issue_state, note text, day date)
	RETURNS issue_state LANGUAGE plpgsql AS $$
DECLARE
	result issue_state := issuelist.advance('AUD-2021-000001', to_state, note, day);
BEGIN
	INSERT INTO steps SELECT n, i.state, i.due_on, i.closed_on, i.reopen_count
		FROM issuelist.issue i WHERE i.code = 'AUD-2021-000001';
	RETURN result;
END $$;
SELECT pg_temp.step(1, 'assigned', 'to the finance bureau', '2021-03-02');
SELECT pg_temp.step(2, 'rectifying', NULL, '2021-03-08');
SELECT pg_temp.step(3, 'continuing', 'three-year plan approved', '2021-03-20');
SELECT pg_temp.step(4, 'rectifying', NULL, '2021-04-01');
SELECT pg_temp.step(5, 'rectified', 'funds reallocated', '2021-04-15');
SELECT pg_temp.step(6, 'rectifying', 'acceptance refused: no bank statements', '2021-04-16');
SELECT pg_temp.step(7, 'rectified', 'statements added', '2021-04-20');
SELECT pg_temp.step(8, 'closed', 'verified', '2021-04-25');
SELECT pg_temp.step(9, 'reopened', 'idle again', '2021-09-01');
SELECT pg_temp.step(10, 'rectifying', NULL, '2021-09-01');
SELECT pg_temp.step(11, 'rectified', NULL, '2021-10-10');
SELECT pg_temp.step(12, 'closed', 'verified again', '2021-10-12');
SELECT * FROM steps ORDER BY n;
-- Recorded today for days years back, every step is a late entry: the
-- superuser acts as an admin, whose late steps are backfills, flagged late
-- (the rules of late entries: 31_trust_workflow).
SELECT day, role, event, from_state, to_state, due_on, note, late, late_reason
  FROM history('AUD-2021-000001');

-- advance() takes exactly the steps of the loop.  An issue in each state,
-- then every (from, to) pair tried and undone: the refusals are IL001 and
-- they are exactly the pairs can_advance() refuses.
CREATE TEMP TABLE in_state (state issue_state, code text);
DO $$
DECLARE
	path issue_state[];
	target issue_state;
	c text;
BEGIN
	FOREACH target IN ARRAY '{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]
	LOOP
		c := issuelist.register_issue('safety', '330106', 'general', 'in state ' || target, '2021-06-01');
		path := CASE target
			WHEN 'registered' THEN '{}'
			WHEN 'assigned' THEN '{assigned}'
			WHEN 'rectifying' THEN '{assigned,rectifying}'
			WHEN 'continuing' THEN '{assigned,rectifying,continuing}'
			WHEN 'rectified' THEN '{assigned,rectifying,rectified}'
			WHEN 'closed' THEN '{assigned,rectifying,rectified,closed}'
			WHEN 'reopened' THEN '{assigned,rectifying,rectified,closed,reopened}'
			WHEN 'withdrawn' THEN '{withdrawn}' END;
		FOR i IN 1 .. coalesce(array_length(path, 1), 0) LOOP
			PERFORM issuelist.advance(c, path[i], NULL, '2021-06-02');
		END LOOP;
		INSERT INTO in_state VALUES (target, c);
	END LOOP;
END $$;
SELECT s.state AS "from", string_agg(t || '=' || pg_temp.would(format(
		'SELECT issuelist.advance(%L, %L, NULL, %L)', s.code, t, '2021-06-03')), ' '
		ORDER BY t) AS "to"
  FROM in_state s,
	   unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) t
 GROUP BY s.state ORDER BY s.state;
SELECT count(*) AS disagreements
  FROM in_state s,
	   unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) t
 WHERE (pg_temp.would(format('SELECT issuelist.advance(%L, %L, NULL, %L)', s.code, t, '2021-06-03')) = 'ok')
	   <> can_advance(s.state, t);

-- A refusal names both states and says where the loop goes.
SELECT pg_temp.try($$SELECT advance('AUD-2021-000002', 'closed', NULL, '2021-03-06')$$);
\set SHOW_CONTEXT never
SELECT advance('AUD-2021-000002', 'closed', NULL, '2021-03-06');
SELECT advance('AUD-2021-000002', 'rectifying', NULL, '2021-03-06');
SELECT pg_temp.try($$SELECT advance((SELECT code FROM in_state WHERE state = 'withdrawn'), 'assigned', NULL, '2021-06-03')$$);
-- Unknown issue, missing state.
SELECT pg_temp.try($$SELECT advance('AUD-2021-999999', 'assigned')$$);
SELECT pg_temp.try($$SELECT advance(NULL, 'assigned')$$);
SELECT pg_temp.try($$SELECT advance('AUD-2021-000002', NULL)$$);

-- Effective days: never before the issue was found, never before its last
-- event, never in the future; the same day as the last event is fine.
SELECT pg_temp.try($$SELECT advance('AUD-2021-000002', 'assigned', NULL, '2021-03-04')$$);
SELECT advance('AUD-2021-000002', 'assigned', NULL, '2021-03-10');
SELECT pg_temp.try($$SELECT advance('AUD-2021-000002', 'rectifying', NULL, '2021-03-09')$$);
SELECT replace(pg_temp.try($$SELECT advance('AUD-2021-000002', 'rectifying', NULL, current_date + 1)$$),
			   (current_date + 1)::text, '<tomorrow>');
SELECT pg_temp.try($$SELECT advance('AUD-2021-000002', 'rectifying', NULL, NULL)$$);
SELECT advance('AUD-2021-000002', 'rectifying', NULL, '2021-03-10');
-- The default day is today.
SELECT advance('INS-2021-000001', 'assigned');
SELECT on_date = current_date AS today FROM issue_event e JOIN issue i ON i.id = e.issue
 WHERE i.code = 'INS-2021-000001' AND e.seq = 2;

-- extend_deadline: a later due day, with a reason, recorded as an event.
SELECT due_on FROM issue WHERE code = 'AUD-2021-000002';
SELECT extend_deadline('AUD-2021-000002', '2021-05-31', 'flood season', '2021-03-20');
SELECT extend_deadline('AUD-2021-000002', '2021-06-30', 'second flood', '2021-03-25');
SELECT due_on, state FROM issue WHERE code = 'AUD-2021-000002';
SELECT pg_temp.try($$SELECT extend_deadline('AUD-2021-000002', '2021-06-30', 'same day', '2021-03-26')$$);
SELECT pg_temp.try($$SELECT extend_deadline('AUD-2021-000002', '2021-06-01', 'earlier', '2021-03-26')$$);
SELECT pg_temp.try($$SELECT extend_deadline('AUD-2021-000002', NULL, 'none', '2021-03-26')$$);
SELECT pg_temp.try($$SELECT extend_deadline('AUD-2021-000002', '2021-07-31', NULL, '2021-03-26')$$);
SELECT pg_temp.try($$SELECT extend_deadline('AUD-2021-000002', '2021-07-31', '', '2021-03-26')$$);
SELECT pg_temp.try($$SELECT extend_deadline('AUD-2021-000002', '2021-07-31', 'late', '2021-03-24')$$);
SELECT pg_temp.try($$SELECT extend_deadline('AUD-2021-000001', '2022-07-31', 'closed', '2021-10-13')$$);
SELECT pg_temp.try($$SELECT extend_deadline('AUD-2021-999999', '2022-07-31', 'none', '2021-10-13')$$);

-- tolerate: a reason; the verifier who records it approves it, an admin
-- may name the approver (31_trust_workflow: verifiers); it may end.
SELECT tolerate('AUD-2021-000002', 'good-faith error in the flood', 'review board',
				'2021-04-01', '2021-06-30');
SELECT tolerate('AUD-2021-000002', 'extended review', 'review board', '2021-04-02', '2021-05-31');
SELECT tolerate('INS-2021-000001', 'pilot reform', 'review board', current_date);
SELECT i.code, t.from_on, t.until_on, t.reason, t.approved_by, t.requester = current_user AS by_me
  FROM tolerance t JOIN issue i ON i.id = t.issue WHERE i.code = 'AUD-2021-000002' ORDER BY t.id;
SELECT t.from_on = current_date AS from_today, t.until_on
  FROM tolerance t JOIN issue i ON i.id = t.issue WHERE i.code = 'INS-2021-000001';
-- The issue is tolerated through the latest end of its tolerances.
SELECT code, tolerated_until FROM issue WHERE tolerated_until IS NOT NULL ORDER BY code;
SELECT pg_temp.try($$SELECT tolerate('AUD-2021-000002', NULL, 'review board', '2021-04-03')$$);
SELECT pg_temp.try($$SELECT tolerate('AUD-2021-000002', ' ', 'review board', '2021-04-03')$$);
SELECT pg_temp.try($$SELECT tolerate('AUD-2021-000002', 'why', ' ', '2021-04-03')$$);
-- Without an approver the admin approved it itself; it may name itself too.
SELECT pg_temp.would($$SELECT tolerate('AUD-2021-000002', 'why', NULL, '2021-04-03')$$);
SELECT pg_temp.would(format($$SELECT tolerate('AUD-2021-000002', 'why', ' %s ', '2021-04-03')$$,
							current_user));
SELECT pg_temp.try($$SELECT tolerate('AUD-2021-000002', 'why', 'review board', '2021-04-03', '2021-04-02')$$);
SELECT pg_temp.try($$SELECT tolerate('AUD-2021-000002', 'why', 'review board', '2021-03-01')$$);
SELECT pg_temp.try($$SELECT tolerate('AUD-2021-000001', 'why', 'review board', '2021-10-13')$$);
SELECT pg_temp.try($$SELECT tolerate('XYZ', 'why', 'review board', '2021-10-13')$$);

-- The history of the extended and tolerated issue, in order.
SELECT day, role, event, from_state, to_state, due_on, note FROM history('AUD-2021-000002');
SELECT pg_temp.try($$SELECT * FROM history('AUD-2021-999999')$$);
-- Each event row carries the issue after it; the last one is the issue.
SELECT e.seq, e.event, e.state, e.due_on, e.closed_on, e.reopen_count, e.tolerated_until
  FROM issue_event e JOIN issue i ON i.id = e.issue
 WHERE i.code = 'AUD-2021-000002' ORDER BY e.seq;
SELECT count(*) AS issues_unlike_their_last_event
  FROM issue i
  JOIN LATERAL (SELECT * FROM issue_event e WHERE e.issue = i.id ORDER BY e.seq DESC LIMIT 1) e ON true
 WHERE (i.state, i.due_on, i.closed_on, i.reopen_count, i.tolerated_until)
	   IS DISTINCT FROM (e.state, e.due_on, e.closed_on, e.reopen_count, e.tolerated_until);

-- Even a direct insert cannot put a step outside the loop into the history.
SELECT pg_temp.try($$INSERT INTO issue_event (issue, seq, org, on_date, actor, role, event,
	from_state, to_state, state, due_on, reopen_count, closed_on)
	SELECT id, (SELECT max(e.seq) + 1 FROM issue_event e WHERE e.issue = i.id), org,
		   '2021-12-01', 'x', 'x', 'transition', 'rectifying', 'closed', 'closed',
		   due_on, 0, '2021-12-01' FROM issue i WHERE code = 'AUD-2021-000002'$$);
