SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;

-- Exactness: on generated data with every kind of event, the score of
-- every county from its tally equals 100 K / (K + Σ d_i) with Σ d_i
-- computed independently, issue by issue, in plain SQL from issues_as_of,
-- for several quarters and two models, to 1e-9 relative.
SELECT load_sample_province() > 0 AS loaded;
SELECT generate_sample_issues('2020Q1', '2021Q4', 1500, 20210331) > 0 AS generated;
SELECT count(*) FILTER (WHERE reopen_count > 0) > 0 AS has_reopened,
       count(*) FILTER (WHERE tolerated) > 0 AS has_tolerated,
       count(*) FILTER (WHERE state = 'withdrawn') > 0 AS has_withdrawn,
       count(*) FILTER (WHERE state = 'closed') > 0 AS has_closed,
       count(*) FILTER (WHERE overdue) > 0 AS has_overdue
  FROM issues_as_of('2021-06-30');

-- A second model with other weights everywhere, and list weights.
INSERT INTO score_model VALUES ('strict', 'heavier overdue and recurrence',
  1.5, 3, 7, 13, 0.7, 1.3, 3.1, 0.4, 0.35, 0.8, 0.9, 35);
INSERT INTO score_model_list VALUES ('strict', 'audit', 2.5), ('strict', 'safety', 1.75), ('strict', 'complaints', 0);

-- Σ d_i per organization (its own issues), quarter and model, straight
-- from the definition in docs/scoring.md ("The issues that count").
CREATE TEMP TABLE checked_quarters AS
  SELECT q FROM unnest('{2020Q2, 2020Q4, 2021Q1, 2021Q3}'::quarter[]) q;
CREATE TEMP TABLE own_d AS
SELECT i.org, c.q, m.name AS model,
       sum(CASE WHEN i.found_on > upper(c.q)
                  OR (i.state IN ('closed', 'withdrawn') AND i.closed_on < lower(c.q))
                  OR i.state = 'withdrawn' OR i.tolerated THEN 0
           ELSE coalesce(lw.weight, 1)
              * CASE i.severity WHEN 'general' THEN m.w_general WHEN 'serious' THEN m.w_serious
                                WHEN 'major' THEN m.w_major ELSE m.w_critical END
              * CASE i.origin WHEN 'self' THEN m.w_self WHEN 'external' THEN m.w_external
                              ELSE m.w_concealed END
              * CASE WHEN i.state = 'closed' THEN
                         CASE WHEN i.closed_on <= i.due_on THEN m.closed_on_time ELSE m.closed_late END
                     WHEN upper(c.q) > i.due_on THEN
                         1 + m.overdue_rate * least(12, ceil((upper(c.q) - i.due_on) / 30.0))
                     ELSE 1 END
              * (1 + m.recurrence_rate * i.reopen_count)
           END) AS d
  FROM checked_quarters c
  CROSS JOIN LATERAL issues_as_of(upper(c.q)) i
  CROSS JOIN score_model m
  LEFT JOIN score_model_list lw ON lw.model = m.name AND lw.list = i.list
 GROUP BY i.org, c.q, m.name;

-- Each organization's subtree sum, then the comparison for every county
-- and every city (whose tally is the sum of its counties').
CREATE TEMP TABLE comparison AS
SELECT o.code, o.level, c.q, m.name AS model,
       score(o.code, c.q, m.name) AS from_tally,
       100 * m.k / (m.k + coalesce((SELECT sum(d.d) FROM own_d d JOIN org s ON s.code = d.org
                                     WHERE s.path <@ o.path AND d.q = c.q AND d.model = m.name), 0)) AS direct
  FROM org o CROSS JOIN checked_quarters c CROSS JOIN score_model m
 WHERE o.level IN ('county', 'city', 'province');
SELECT level, count(*) AS scores, count(DISTINCT code) AS orgs,
       max(abs(from_tally - direct) / direct) < 1e-9 AS exact,
       count(DISTINCT round(from_tally::numeric, 6)) > 1 AS scores_differ
  FROM comparison GROUP BY level ORDER BY level;

-- A city's tally summed from its counties is the tally of its issues taken
-- directly, cell by cell.
SELECT count(*) AS cities,
       bool_and(direct::text = summed::text) AS same_tallies
  FROM (SELECT c.code,
               (SELECT tally('2021Q1', '2021-03-31', i.list_position, i.severity, i.origin, i.state,
                             i.found_on, i.due_on, i.closed_on, i.reopen_count, i.tolerated)
                  FROM issues_as_of('2021-03-31') i JOIN org s ON s.code = i.org
                 WHERE s.path <@ c.path) AS direct,
               (SELECT sum(org_tally(k.code, '2021Q1')) FROM org k
                 WHERE k.parent = c.code) AS summed
          FROM org c WHERE c.level = 'city') x;

-- live_org_tallies reads the open issues, those closed since the quarter
-- began and those changed after the day, and of these the history only
-- for the changed ones: none when nothing is effective after the day (the
-- last generated quarter, whose history ends on its last day, a later
-- quarter, and the current quarter).  Its tallies are those of
-- issues_as_of, cell by cell (in 2023Q1 every issue closed in 2020-2021 is
-- out of scope).
SELECT x.which, NOT EXISTS (SELECT FROM issue_event e WHERE e.on_date > quarter_as_of(x.q)) AS nothing_after,
       count(*) AS orgs, count(*) FILTER (WHERE l.tally::text = d.tally::text) AS same
  FROM (VALUES (1, '2021Q3'::quarter, '2021Q3'), (2, '2021Q4', '2021Q4, the last generated'),
               (3, '2023Q1', '2023Q1, after the history'),
               (4, quarter(current_date), 'the current quarter')) x(n, q, which)
 CROSS JOIN LATERAL live_org_tallies(x.q, quarter_as_of(x.q)) l
 CROSS JOIN LATERAL (SELECT tally(x.q, quarter_as_of(x.q), i.list_position, i.severity, i.origin,
                                  i.state, i.found_on, i.due_on, i.closed_on, i.reopen_count,
                                  i.tolerated)
                       FROM issues_as_of(quarter_as_of(x.q)) i WHERE i.org = l.org) d(tally)
 GROUP BY x.n, x.q, x.which ORDER BY x.n;

-- The same holds once the quarters are frozen (scores read from rollups).
SELECT count(freeze_quarter(q)) AS frozen FROM checked_quarters;
SELECT max(abs(score(c.code, c.q, c.model) - c.direct) / c.direct) < 1e-9 AS frozen_exact
  FROM comparison c;

-- A forced-parallel plan gives the same tallies as a serial one, and its
-- plan has a partial aggregate per worker (issues_as_of itself is read
-- first: its per-issue lookup of the last event stays above the Gather).
CREATE TABLE public.facts_2021q1 AS SELECT * FROM issues_as_of('2021-03-31');
ANALYZE public.facts_2021q1;
CREATE TEMP TABLE serial_tallies AS
  SELECT org, tally('2021Q1', '2021-03-31', list_position, severity, origin, state,
                    found_on, due_on, closed_on, reopen_count, tolerated)::text AS t
    FROM public.facts_2021q1 GROUP BY org;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
CREATE FUNCTION pg_temp.plan_has(query text, node text) RETURNS boolean
	LANGUAGE plpgsql AS $$
DECLARE
	line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
		IF line LIKE '%' || node || '%' THEN
			RETURN true;
		END IF;
	END LOOP;
	RETURN false;
END $$;
SELECT pg_temp.plan_has($$SELECT org, tally('2021Q1', '2021-03-31', list_position, severity, origin, state,
                    found_on, due_on, closed_on, reopen_count, tolerated)
    FROM public.facts_2021q1 GROUP BY org$$, 'Partial') AS partial_aggregate;
SELECT count(*) AS orgs, count(*) FILTER (WHERE p.t::text = s.t) AS same
  FROM (SELECT org, tally('2021Q1', '2021-03-31', list_position, severity, origin, state,
                          found_on, due_on, closed_on, reopen_count, tolerated) AS t
          FROM public.facts_2021q1 GROUP BY org) p
  JOIN serial_tallies s USING (org);
RESET ALL;
DROP TABLE public.facts_2021q1;

-- The current quarter reads the issues it counts, by the indexes on
-- closed_on and last_event_on: the open ones and those closed since it
-- began, here a small part of the 2020-2021 history (the rest is out of
-- its scope).
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers
SET search_path = issuelist, public;
SELECT count(*) AS issues, count(*) FILTER (WHERE closed_on IS NULL) AS open FROM issue \gset
BEGIN;
SET LOCAL enable_seqscan = off;
SELECT pg_temp.rows_read('issuelist.issue') AS read0 \gset
SELECT count(*) AS orgs FROM live_org_tallies(quarter(current_date), current_date);
SELECT pg_temp.rows_read('issuelist.issue') - :read0 BETWEEN :open AND :issues / 4 AS read_its_scope;
COMMIT;

-- An organization whose issues all closed before the quarter keeps its
-- row, with the empty tally, as when every issue was read: a province with
-- a few issues in 2020, ranked in 2023Q1.
SET client_min_messages = warning;
DROP EXTENSION issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SELECT load_sample_province() > 0 AS loaded;
SELECT generate_sample_issues('2020Q1', '2020Q2', 60, 7) AS generated;
SELECT count(*) AS orgs, count(*) FILTER (WHERE l.tally::text = d.tally::text) AS same,
       count(*) FILTER (WHERE l.tally::text = empty_tally('2023Q1', '2023-03-31')::text) AS empty
  FROM live_org_tallies('2023Q1', '2023-03-31') l
 CROSS JOIN LATERAL (SELECT tally('2023Q1', '2023-03-31', i.list_position, i.severity, i.origin,
                                  i.state, i.found_on, i.due_on, i.closed_on, i.reopen_count,
                                  i.tolerated)
                       FROM issues_as_of('2023-03-31') i WHERE i.org = l.org) d(tally);
SELECT count(DISTINCT org) AS orgs_with_issues FROM issue;
