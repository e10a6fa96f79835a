SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;

-- The standard model of docs/scoring.md, every weight a column.
SELECT * FROM score_model;

-- The worked example of docs/scoring.md, quarter 2021Q1, as of 2021-03-31.
CREATE TEMP TABLE example (issue text, list text, severity severity, origin text,
  state issue_state, found_on date, due_on date, closed_on date,
  reopen_count int, tolerated bool);
INSERT INTO example VALUES
  ('A', 'audit',       'critical', 'external',  'rectifying', '2020-11-02', '2020-12-02', NULL,         0, false),
  ('B', 'inspection',  'major',    'self',      'closed',     '2021-01-10', '2021-03-11', '2021-03-01', 0, false),
  ('C', 'safety',      'serious',  'concealed', 'closed',     '2020-12-15', '2021-03-15', '2021-03-20', 1, false),
  ('D', 'complaints',  'general',  'external',  'assigned',   '2021-02-01', '2021-08-01', NULL,         0, false),
  ('E', 'supervision', 'general',  'self',      'rectifying', '2021-01-20', '2021-02-20', NULL,         0, true),
  ('F', 'audit',       'serious',  'external',  'closed',     '2020-09-01', '2020-12-01', '2020-12-20', 0, false);
CREATE TEMP TABLE example_tally AS
  SELECT tally('2021Q1', '2021-03-31', l.position, e.severity, e.origin, e.state,
               e.found_on, e.due_on, e.closed_on, e.reopen_count, e.tolerated) AS t
    FROM example e JOIN list l ON l.code = e.list;
SELECT t FROM example_tally;
-- D = 16 + 0.4 + 3 + 1 = 20.4; score = 100 * 50 / (50 + 20.4) = 71.0227...
SELECT deductions(t), score(t), round(score(t)::numeric, 4) AS rounded,
       score(t) = 5000 / 70.4::float8 AS exact
  FROM example_tally;
SELECT * FROM explain_tally((SELECT t FROM example_tally));
-- The points add up, in row order, to exactly the deductions.
SELECT sum(points) = (SELECT deductions(t) FROM example_tally) AS sums_exactly
  FROM explain_tally((SELECT t FROM example_tally));
-- The arithmetic reads as a person writes it (at most 10 significant
-- digits), while points stays the exact double: 0.2 * 12 is
-- 2.4000000000000004, 0.1 * 3 is 0.30000000000000004.
SELECT bucket, issues, points, points = 0.2::float8 * 12 AS exact, arithmetic
  FROM explain_tally('2021Q1@2021-03-31{1:general:external closed_on_time=12}');
INSERT INTO score_model VALUES ('tenth', 'a tenth of the standard', 0.1, 0.2, 0.4, 0.8,
                                0.5, 1, 2, 0.25, 0.2, 0.5, 0.5, 5);
SELECT bucket, issues, points, arithmetic
  FROM explain_tally('2021Q1@2021-03-31{1:general:external open_in_time=3}', 'tenth');

-- A model of one's own: every weight must be given, none negative, K > 0.
INSERT INTO score_model VALUES ('flat', 'every issue alike', 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 10);
INSERT INTO score_model_list VALUES ('flat', 'audit', 3);
SELECT deductions(t, 'flat'), score(t, 'flat') FROM example_tally;
SELECT w_list, w_severity, w_origin, k FROM model_weights('flat');
INSERT INTO score_model (name, w_general, w_serious, w_major, w_critical, w_self, w_external,
    w_concealed, overdue_rate, closed_on_time, closed_late, k)
  VALUES ('nore', 1, 2, 4, 8, 0.5, 1, 2, 0.25, 0.2, 0.5, 50);
INSERT INTO score_model VALUES ('neg', NULL, 1, 2, 4, -8, 0.5, 1, 2, 0.25, 0.2, 0.5, 0.5, 50);
INSERT INTO score_model VALUES ('nan', NULL, 'NaN', 2, 4, 8, 0.5, 1, 2, 0.25, 0.2, 0.5, 0.5, 50);
INSERT INTO score_model VALUES ('zerok', NULL, 1, 2, 4, 8, 0.5, 1, 2, 0.25, 0.2, 0.5, 0.5, 0);
INSERT INTO score_model_list VALUES ('flat', 'safety', -1);
UPDATE score_model SET closed_late = 'Infinity' WHERE name = 'flat';
SELECT score(t, 'nosuch') FROM example_tally;

-- The C functions with explicit weights, and their checks.
SELECT tally_deductions(t, array_fill(1::float8, ARRAY[16]), '{1,2,4,8}', '{0.5,1,2}', 0.25, 0.2, 0.5, 0.5)
  FROM example_tally;
-- Every bad weight is 22023 (docs/errors.md): a wrong length or shape, a
-- NULL, NaN, an infinity or a negative number; the same checks as topsis's.
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers
SELECT pg_temp.try(format(q, '(SELECT t FROM example_tally)', 'array_fill(1::float8, ARRAY[16])')) FROM (VALUES
  ($$SELECT tally_deductions(%s, '{1,1}', '{1,2,4,8}', '{0.5,1,2}', 0.25, 0.2, 0.5, 0.5)$$),
  ($$SELECT tally_deductions(%s, array_fill(1::float8, ARRAY[4, 4]), '{1,2,4,8}', '{0.5,1,2}', 0.25, 0.2, 0.5, 0.5)$$),
  ($$SELECT tally_deductions(%s, '{}', '{1,2,4,8}', '{0.5,1,2}', 0.25, 0.2, 0.5, 0.5)$$),
  ($$SELECT tally_deductions(%s, %s, '{1,2,4,NULL}', '{0.5,1,2}', 0.25, 0.2, 0.5, 0.5)$$),
  ($$SELECT tally_deductions(%s, %s, '{1,2,4,8}', '{0.5,1,2}', -0.25, 0.2, 0.5, 0.5)$$),
  ($$SELECT tally_deductions(%s, %s, '{1,2,4,8}', '{0.5,1,2}', 0.25, 'NaN', 0.5, 0.5)$$),
  ($$SELECT tally_deductions(%s, %s, '{1,2,4,8}', '{0.5,1,NaN}', 0.25, 0.2, 0.5, 0.5)$$),
  ($$SELECT tally_deductions(%s, %s, '{1,2,-4,8}', '{0.5,1,2}', 0.25, 0.2, 0.5, 0.5)$$),
  ($$SELECT count(*) FROM tally_explain(%s, %s, '{1,2,4,8}', '{0.5,Infinity,2}', 0.25, 0.2, 0.5, 0.5)$$)) AS t(q);
-- Strict: a NULL weight gives NULL.
SELECT tally_deductions(t, NULL, '{1,2,4,8}', '{0.5,1,2}', 0.25, 0.2, 0.5, 0.5) IS NULL AS strict
  FROM example_tally;

-- No issues: 100.  Deductions equal to K: 50.
SELECT score(empty_tally('2021Q1', '2021-03-31')) AS no_issues,
       score('2021Q1@2021-03-31{1:general:external open_in_time=2; 1:critical:external open_in_time=6}'::tally) AS half;
