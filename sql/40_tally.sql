SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;

-- Text form: canonical (cells sorted, counters in order, empty cells gone),
-- so in(out(x)) = x and dump/restore is exact.
SELECT '2021Q1@2021-03-31{3:general:self new=2 open_in_time=2; 1:critical:external overdue=1 overdue_months=3}'::tally;
SELECT ' 2021Q1 @ 2021-03-31 { 2 : major : concealed withdrawn = 1 ; 5:serious:self } '::tally;
SELECT '2021Q4@2021-12-31{}'::tally, tally_quarter('2021Q4@2021-12-31{}'), tally_as_of('2021Q4@2021-12-31{}');
SELECT t::text::tally::text = t::text AS round_trip
  FROM (SELECT '2021Q2@2021-05-10{16:critical:concealed overdue=2 overdue_months=24 overdue_reopens=1 overdue_reopen_months=12 reopened=1}'::tally AS t) s;
-- The output does not depend on DateStyle.
SET DateStyle = 'SQL, DMY';
SELECT '2021Q1@2021-03-31{1:general:self new=1}'::tally;
RESET DateStyle;

-- Bad input names the input (22P02) and says what is wrong.
SELECT '2021Q1@2021-03-31{1:general:self new=1; 1:general:self new=1}'::tally;
SELECT '2021Q1@2021-04-01{}'::tally;
SELECT '2021Q5@2021-03-31{}'::tally;
SELECT '2021Q1@2021-02-30{}'::tally;
SELECT '2021Q1@2021-03-31{17:general:self new=1}'::tally;
SELECT '2021Q1@2021-03-31{1:grave:self new=1}'::tally;
SELECT '2021Q1@2021-03-31{1:general:self new=1 new=2}'::tally;
SELECT '2021Q1@2021-03-31{1:general:self bogus=1}'::tally;
SELECT '2021Q1@2021-03-31{1:general:self overdue=1 overdue_months=13}'::tally;
SELECT '2021Q1@2021-03-31{1:general:self tolerated_open=1}'::tally;
SELECT '2021Q1@2021-03-31{1:general:self new=99999999999999999999}'::tally;
SELECT '2021Q1@2021-03-31{} junk'::tally;
-- The quarter is read as the type quarter reads it (quarter.c), in any of
-- its spellings, and written canonically; a year outside 1..9999 is out of
-- range (22003), as for a quarter, once the syntax is right.
SELECT '2021q1@2021-03-31{}'::tally, '2021-Q1@2021-03-31{}'::tally, '2021 Q1@2021-03-31{}'::tally;
SELECT '0000Q1@2021-03-31{}'::tally;
SELECT '10000Q1@2021-03-31{}'::tally;
SELECT '10000Q1@2021-03-31{} junk'::tally;

-- tally_json.
SELECT tally_json('2021Q1@2021-03-31{1:critical:external overdue=1 overdue_months=3 new=1}');

-- Binary I/O round-trips; recv checks what in checks.
SELECT tally_recv_check.ok FROM (
  SELECT tally_send(t) = tally_send(t::text::tally) AS ok
    FROM (SELECT '2021Q1@2021-03-31{1:critical:external overdue=1 overdue_months=3; 4:serious:self new=7 closed_on_time=7 days_to_close=70}'::tally t) x
) tally_recv_check;

-- Hand-made issues as of 2021-03-31 (quarter 2021Q1), one of each kind.
CREATE TEMP TABLE facts (id int, list smallint, sev severity, origin text,
  state issue_state, found_on date, due_on date, closed_on date,
  reopens int, tolerated bool);
INSERT INTO facts VALUES
  (1, 1, 'critical', 'external', 'rectifying', '2020-10-01', '2020-12-01', NULL, 0, false), -- overdue 120 days: 4 months
  (2, 1, 'critical', 'external', 'assigned',   '2021-01-05', '2021-06-30', NULL, 0, false), -- open in time, new
  (3, 2, 'general',  'self',     'closed',     '2021-01-10', '2021-03-01', '2021-02-20', 0, false), -- on time
  (4, 2, 'general',  'self',     'closed',     '2020-11-10', '2021-01-01', '2021-03-10', 1, false), -- late, reopened once
  (5, 2, 'general',  'self',     'closed',     '2020-06-10', '2020-09-01', '2020-12-20', 0, false), -- closed before the quarter: out
  (6, 3, 'major',    'concealed','rectifying', '2019-01-01', '2019-02-01', NULL, 2, false), -- overdue > 12 months: capped, reopened twice
  (7, 3, 'major',    'concealed','rectifying', '2021-01-01', '2021-02-01', NULL, 0, true),  -- tolerated, open
  (8, 4, 'serious',  'external', 'withdrawn',  '2021-02-01', '2021-05-01', '2021-02-15', 0, false), -- withdrawn
  (9, 4, 'serious',  'external', 'registered', '2021-04-02', '2021-07-01', NULL, 0, false), -- found after the as-of day: out
  (10, 1, 'critical','external', 'reopened',   '2020-12-01', '2021-03-31', NULL, 1, false); -- due today: not overdue, reopened
SELECT tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated) FROM facts;
SELECT * FROM tally_cells((SELECT tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated) FROM facts));

-- Accessors: counter names and the derived counts open, closed, issues.
WITH t AS (SELECT tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated) t FROM facts)
SELECT tally_count(t, 'open') AS open, tally_count(t, 'overdue') AS overdue,
       tally_count(t, 'closed_on_time') AS on_time, tally_count(t, 'closed_late') AS late,
       tally_count(t, 'new') AS new, tally_count(t, 'tolerated') AS tolerated,
       tally_count(t, 'reopened') AS reopened, tally_count(t, 'issues') AS issues,
       tally_count(t, 'open', list => 1) AS open_list1,
       tally_count(t, 'overdue', severity => 'critical') AS overdue_critical,
       tally_count(t, 'issues', origin => 'self') AS self,
       tally_count(t, 'closed', 2, 'general', 'self') AS closed_cell
  FROM t;
SELECT tally_count('2021Q1@2021-03-31{}', 'opened');

-- Empty input: NULL, as for sum(); empty_tally gives the zero.
SELECT tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated) IS NULL AS null_when_no_rows FROM facts WHERE false;
SELECT empty_tally('2021Q1', '2021-03-31');
SELECT empty_tally('2021Q1', '2021-04-01');

-- Merging: + and sum() add up cell by cell; different periods refuse.
WITH parts AS (
  SELECT id % 3 AS part, tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated) t
    FROM facts GROUP BY 1)
SELECT (SELECT sum(t) FROM parts)::text =
       (SELECT tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated) FROM facts)::text AS sum_equals_whole,
       ((SELECT t FROM parts WHERE part = 0) + (SELECT t FROM parts WHERE part = 1) + (SELECT t FROM parts WHERE part = 2))::text =
       (SELECT sum(t) FROM parts)::text AS plus_equals_sum;
SELECT '2021Q1@2021-03-31{}'::tally + '2021Q1@2021-03-30{}'::tally;
SELECT sum(t) FROM (VALUES ('2021Q1@2021-03-31{1:general:self new=1}'::tally), ('2021Q2@2021-06-30{}'::tally)) v(t);
SELECT sum(t) FROM (VALUES ('2021Q1@2021-03-31{1:general:self new=1}'::tally), (NULL)) v(t);

-- Rows of one tally must agree on the period; facts are checked.  Every
-- bad argument is 22023, a NULL where a value is needed as well; a support
-- function called on its own is 0A000 (docs/errors.md).
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers
SELECT pg_temp.try(q) FROM (VALUES
  ($$SELECT tally(q, '2021-03-31', 1::smallint, 'general', 'self', 'assigned', '2021-01-01', NULL, NULL, 0, false)
       FROM (VALUES ('2021Q1'::quarter), ('2021Q2')) v(q)$$),
  ($$SELECT tally('2021Q1', '2021-06-30', 1::smallint, 'general', 'self', 'assigned', '2021-01-01', NULL, NULL, 0, false)$$),
  ($$SELECT tally('2021Q1', '2021-03-31', 17::smallint, 'general', 'self', 'assigned', '2021-01-01', NULL, NULL, 0, false)$$),
  ($$SELECT tally('2021Q1', '2021-03-31', 1::smallint, 'general', 'inside', 'assigned', '2021-01-01', NULL, NULL, 0, false)$$),
  ($$SELECT tally('2021Q1', '2021-03-31', 1::smallint, 'general', 'self', 'closed', '2021-01-01', NULL, NULL, 0, false)$$),
  ($$SELECT tally('2021Q1', '2021-03-31', 1::smallint, NULL, 'self', 'closed', '2021-01-01', NULL, NULL, 0, false)$$),
  ($$SELECT tally('2021Q1', NULL, 1::smallint, 'general', 'self', 'assigned', '2021-01-01', NULL, NULL, 0, false)$$),
  ($$SELECT tally('2021Q1', '2021-03-31', 1::smallint, 'general', 'self', 'assigned', '2021-01-01', NULL, NULL, -1, false)$$),
  ($$SELECT tally_count('2021Q1@2021-03-31{}', 'open', origin => 'inside')$$),
  ($$SELECT tally_transfn(NULL, '2021Q1', '2021-03-31', 1::smallint, 'general', 'self', 'assigned', '2021-01-01', NULL, NULL, 0, false)$$),
  ($$SELECT tally_combine(NULL, '2021Q1@2021-03-31{}')$$),
  ($$SELECT tally_finalfn('2021Q1@2021-03-31{}') IS NOT NULL$$)) AS t(q);

-- Checked arithmetic: a counter that would overflow is an error (22003).
SELECT '2021Q1@2021-03-31{1:general:self new=9223372036854775807}'::tally + '2021Q1@2021-03-31{1:general:self new=1}'::tally;

-- Parallel plans give the same tally as a serial plan: the partial
-- aggregates are combined by tally_combine.
CREATE TABLE public.many AS
  SELECT i, (i % 7 + 1)::smallint AS list, severity((i % 4) + 1) AS sev,
         (ARRAY['self', 'external', 'concealed'])[i % 3 + 1] AS origin,
         (ARRAY['registered', 'rectifying', 'closed', 'withdrawn', 'reopened']::issue_state[])[i % 5 + 1] AS state,
         '2020-06-01'::date + (i % 300) AS found_on, '2020-09-01'::date + (i % 200) AS due_on,
         CASE WHEN i % 5 + 1 IN (3, 4) THEN '2021-01-01'::date + (i % 80) END AS closed_on,
         (i % 4 = 0)::int AS reopens, i % 50 = 0 AS tolerated
    FROM generate_series(1, 60000) i;
ANALYZE public.many;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS
  SELECT list, tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated)::text AS t FROM many GROUP BY list;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
  SELECT tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated) FROM many;
SELECT (SELECT tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated) FROM many)::text
     = (SELECT sum(t::tally) FROM serial)::text AS parallel_equals_serial;
EXPLAIN (COSTS OFF)
  SELECT list, tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated) FROM many GROUP BY list;
SELECT count(*) AS lists, count(*) FILTER (WHERE p.t::text = s.t) AS same
  FROM (SELECT list, tally('2021Q1', '2021-03-31', list, sev, origin, state, found_on, due_on, closed_on, reopens, tolerated) t FROM many GROUP BY list) p
  JOIN serial s USING (list);
RESET ALL;
DROP TABLE public.many;
