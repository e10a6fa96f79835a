-- The sample province: Zhejiang's real hierarchy, and a synthetic,
-- reproducible history of issues on it.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET datestyle = ISO;

\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers

-- Issues need the province first.
SELECT pg_temp.try($$SELECT generate_sample_issues('2021Q1', '2021Q4', 10, 1)$$);

-- The province, its 11 cities and 90 county-level divisions; loading twice
-- adds nothing.
SELECT load_sample_province();
SELECT load_sample_province();
SELECT level, kind, count(*) FROM org GROUP BY 1, 2 ORDER BY org_level_rank(level), 2;
SELECT c.code, c.name, c.name_zh, count(k.code) AS counties
  FROM org c LEFT JOIN org k ON k.parent = c.code
 WHERE c.level = 'city' GROUP BY c.code ORDER BY c.code;
SELECT code, name, name_zh, level, kind, path FROM org WHERE code IN ('330000', '330782', '330106');

-- Refusals.
SELECT pg_temp.try($$SELECT generate_sample_issues('2021Q4', '2021Q1', 10, 1)$$);
SELECT pg_temp.try($$SELECT generate_sample_issues('2021Q1', '2021Q4', 0, 1)$$);
SELECT pg_temp.try($$SELECT generate_sample_issues('2021Q1', '2021Q4', 10000001, 1)$$);
SELECT replace(pg_temp.try($$SELECT generate_sample_issues(quarter(current_date) + 1, quarter(current_date) + 2, 10, 1)$$),
			   (quarter(current_date) + 1)::text, '<next quarter>');
SELECT pg_temp.try($$SELECT generate_sample_issues('2021Q1', '2021Q4', 10, NULL)$$);

-- Four quarters, 250 issues found in each.
SELECT generate_sample_issues('2021Q1', '2021Q4', 250, 42);

-- The same seed gives the same data: a digest of every issue, event and
-- tolerance, here and after a fresh install.
CREATE TEMP TABLE digests (run text, issues text, events text, tolerances text);
CREATE FUNCTION pg_temp.digest(run text) RETURNS void LANGUAGE sql AS $$
	INSERT INTO digests SELECT run,
		(SELECT md5(string_agg(i::text, '|' ORDER BY i.code)) FROM issuelist.issue i),
		(SELECT md5(string_agg(e::text, '|' ORDER BY e.issue, e.seq)) FROM issuelist.issue_event e),
		(SELECT md5(string_agg(t::text, '|' ORDER BY t.issue, t.from_on)) FROM issuelist.tolerance t)
$$;
SELECT pg_temp.digest('first');
SET client_min_messages = warning;
DROP EXTENSION issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SELECT load_sample_province();
SELECT generate_sample_issues('2021Q1', '2021Q4', 250, 42);
SELECT pg_temp.digest('again');
SELECT count(DISTINCT (issues, events, tolerances)) AS distinct_digests FROM digests;
SELECT issues, events, tolerances FROM digests WHERE run = 'again';

-- It says it is synthetic.
SELECT source, tags, count(*) FROM issue GROUP BY 1, 2;
SELECT count(*) FILTER (WHERE title LIKE 'Synthetic: %') AS titled_synthetic FROM issue;
SELECT code, list, org, official, title, severity, origin, state, found_on, due_on, closed_on
  FROM issue ORDER BY id LIMIT 3;

-- Every history follows the closed loop: dense sequence numbers, days in
-- order, never before the found day, each transition allowed and starting
-- from the state before it, and the issue is its last event (its
-- last_event_on the latest effective day).
SELECT count(*) FILTER (WHERE e.seq <> e.n) AS gaps,
	   count(*) FILTER (WHERE e.on_date < e.prev_day) AS out_of_order,
	   count(*) FILTER (WHERE e.on_date < i.found_on) AS before_found,
	   count(*) FILTER (WHERE e.event = 'transition'
						AND (NOT can_advance(e.from_state, e.to_state)
							 OR e.from_state <> e.prev_state)) AS bad_transitions,
	   count(*) FILTER (WHERE e.on_date > '2021-12-31') AS after_the_quarters
  FROM (SELECT e.*, row_number() OVER w AS n, lag(e.on_date) OVER w AS prev_day,
			   lag(e.state) OVER w AS prev_state
		  FROM issue_event e WINDOW w AS (PARTITION BY e.issue ORDER BY e.seq)) e
  JOIN issue i ON i.id = e.issue;
SELECT count(*) AS issues_unlike_their_last_event
  FROM issue i
  JOIN LATERAL (SELECT * FROM issue_event e WHERE e.issue = i.id ORDER BY e.seq DESC LIMIT 1) e ON true
 WHERE (i.state, i.due_on, i.closed_on, i.reopen_count, i.tolerated_until)
	   IS DISTINCT FROM (e.state, e.due_on, e.closed_on, e.reopen_count, e.tolerated_until);
SELECT count(*) AS issues_with_a_wrong_last_event_on
  FROM issue i
 WHERE i.last_event_on IS DISTINCT FROM (SELECT max(e.on_date) FROM issue_event e WHERE e.issue = i.id);
SELECT count(*) AS tolerances_unlike_events
  FROM tolerance t
 WHERE NOT EXISTS (SELECT FROM issue_event e WHERE e.issue = t.issue
				   AND e.event = 'tolerance' AND e.on_date = t.from_on);

-- Realistic spreads: every list; many general issues, few critical; every
-- origin; closures on time and late, extensions, continuing rectification,
-- refused acceptance, reopenings, tolerances, withdrawals.
SELECT list, count(*) FROM issue GROUP BY list ORDER BY min(code);
SELECT severity, count(*) FROM issue GROUP BY 1 ORDER BY 1;
SELECT origin, count(*) FROM issue GROUP BY 1 ORDER BY 1;
SELECT state, count(*) FROM issue GROUP BY 1 ORDER BY 1;
SELECT count(*) FILTER (WHERE state = 'closed' AND closed_on <= due_on) AS closed_on_time,
	   count(*) FILTER (WHERE state = 'closed' AND closed_on > due_on) AS closed_late,
	   count(*) FILTER (WHERE reopen_count > 0) AS reopened,
	   count(*) FILTER (WHERE tolerated_until IS NOT NULL) AS tolerated
  FROM issue;
SELECT count(*) FILTER (WHERE event = 'extension') AS extensions,
	   count(*) FILTER (WHERE to_state = 'continuing') AS continuing,
	   count(*) FILTER (WHERE from_state = 'rectified' AND to_state = 'rectifying') AS refused,
	   count(*) FILTER (WHERE to_state = 'withdrawn') AS withdrawals
  FROM issue_event;
-- Editors of the county work the issues, verifiers of the city accept them.
SELECT role, event, count(*) FROM issue_event GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS verified_by_another_city
  FROM issue_event e JOIN org o ON o.code = e.org
 WHERE e.role = 'issuelist_verifier' AND e.actor <> 'verifier_' || o.parent;

-- Some counties are clearly better than others: the best fifth closes far
-- more on time than the worst fifth.
SELECT round(avg(rate) FILTER (WHERE tile = 1), 2) > round(avg(rate) FILTER (WHERE tile = 5), 2) + 0.3
	   AS clearly_better
  FROM (SELECT org, avg((closed_on <= due_on)::integer) AS rate,
			   ntile(5) OVER (ORDER BY avg((closed_on <= due_on)::integer) DESC) AS tile
		  FROM issue WHERE state = 'closed' GROUP BY org) c;
SELECT count(DISTINCT org) AS counties_with_issues FROM issue;

-- Generating more adds to what is there: new codes, nothing changed.
SELECT generate_sample_issues('2022Q1', '2022Q1', 100, 7);
SELECT count(*), count(DISTINCT code) FROM issue;
SELECT list, year, last_number FROM issue_counter WHERE list = 'audit' ORDER BY year;
-- A registration afterwards continues the numbers.
SELECT register_issue('audit', '330782', 'major', 'Real issue after the sample', '2022-03-01');
