-- Comprehensive evaluation: wilson_lower, topsis (window function) and
-- entropy_weights (aggregate), against worked examples, hand-derived edge
-- cases, every error, and a forced-parallel aggregation.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET extra_float_digits = 0;

\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers

-- ===================================================================
-- wilson_lower
-- ===================================================================
-- Hand values: 0/0 and 0/n are 0; 5/10 at z = 1.96 is 0.2366; n/n is
-- n / (n + z^2) (10 / 13.8416 = 0.7225); z = 0 gives the plain rate.
SELECT round(wilson_lower(5, 10)::numeric, 4) AS five_of_ten,
       wilson_lower(0, 0) AS none,
       wilson_lower(0, 10) AS zero_of_ten,
       abs(wilson_lower(10, 10) - 10 / (10 + 1.96 ^ 2)) < 1e-15 AS all_of_ten,
       wilson_lower(3, 4, 0) AS z_zero,
       wilson_lower(5, 10) = wilson_lower(5, 10, 1.96) AS default_z;
-- The textbook formula (p + z²/2n - z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n),
-- written out in SQL, agrees to 1e-12 over a spread of counts and z.
SELECT count(*) AS cases,
       count(*) FILTER (WHERE abs(wilson_lower(s, n, z) -
             (s::float8 / n + z ^ 2 / (2 * n)
              - z * sqrt((s::float8 / n) * (1 - s::float8 / n) / n + z ^ 2 / (4.0 * n ^ 2)))
             / (1 + z ^ 2 / n)) < 1e-12) AS agree
  FROM (VALUES (1, 1), (1, 2), (5, 10), (9, 10), (10, 10), (0, 10), (17, 93),
               (500000, 1000000), (999999, 1000000)) AS c(s, n),
       (VALUES (0.5::float8), (1.0), (1.645), (1.96), (2.576), (3.0)) AS zz(z);
-- At the same rate more trials give a higher bound; more successes too.
SELECT wilson_lower(5, 10) < wilson_lower(50, 100) AS more_trials_higher,
       wilson_lower(50, 100) < wilson_lower(51, 100) AS more_successes_higher,
       wilson_lower(NULL, 10) IS NULL AS strict;
SELECT pg_temp.try(q) FROM (VALUES
  ('SELECT issuelist.wilson_lower(-1, 10)'),
  ('SELECT issuelist.wilson_lower(11, 10)'),
  ('SELECT issuelist.wilson_lower(0, -1)'),
  ('SELECT issuelist.wilson_lower(1, 10, ''NaN'')'),
  ('SELECT issuelist.wilson_lower(1, 10, -1)'),
  ('SELECT issuelist.wilson_lower(1, 10, ''Infinity'')')) AS t(q);

-- ===================================================================
-- topsis: a worked example from the literature
-- ===================================================================
-- Data, weights and method: Hwang, C.-L. and Yoon, K. (1981), Multiple
-- Attribute Decision Making: Methods and Applications, Lecture Notes in
-- Economics and Mathematical Systems 186, Springer -- the fighter-aircraft
-- example: four aircraft, six attributes (maximum speed in Mach, ferry range
-- in NM, maximum payload in lb, acquisition cost in million $ (a cost),
-- reliability and maneuverability on a 1-9 scale), weights (0.2, 0.1, 0.1,
-- 0.1, 0.2, 0.3).  The book was not at hand when this test was written:
-- data and weights are as textbooks reproduce the example, and the closeness
-- values they report are, as we recall them, 0.643, 0.268, 0.613, 0.312
-- (A1 > A3 > A4 > A2); the exact value for A3 is 0.61354, so the 0.613 would
-- come from rounded intermediate values.  What this test checks: every
-- closeness equals, to 1e-12, the one computed below in plain SQL straight
-- from the definition (vector normalization, weighting, ideal and anti-ideal,
-- Euclidean distances), and the ranking is A1 > A3 > A4 > A2.
CREATE TEMP TABLE ev_aircraft (alt text, x float8[]);
INSERT INTO ev_aircraft VALUES
  ('A1', '{2.0, 1500, 20000, 5.5, 5, 9}'),
  ('A2', '{2.5, 2700, 18000, 6.5, 3, 5}'),
  ('A3', '{1.8, 2000, 21000, 4.5, 7, 7}'),
  ('A4', '{2.2, 1800, 20000, 5.0, 5, 5}');
CREATE TEMP TABLE ev_aircraft_weights (j int, w float8, benefit bool);
INSERT INTO ev_aircraft_weights VALUES
  (1, 0.2, true), (2, 0.1, true), (3, 0.1, true), (4, 0.1, false),
  (5, 0.2, true), (6, 0.3, true);
WITH cell AS (
  SELECT a.alt, u.j::int, u.v AS x, w.w, w.benefit
    FROM ev_aircraft a, unnest(a.x) WITH ORDINALITY AS u(v, j)
    JOIN ev_aircraft_weights w ON w.j = u.j),
weighted AS (                        -- v_ij = w_j x_ij / sqrt(sum_i x_ij^2)
  SELECT alt, j, benefit, w * x / sqrt(sum(x * x) OVER (PARTITION BY j)) AS v
    FROM cell),
ideal AS (
  SELECT j, CASE WHEN bool_and(benefit) THEN max(v) ELSE min(v) END AS best,
            CASE WHEN bool_and(benefit) THEN min(v) ELSE max(v) END AS worst
    FROM weighted GROUP BY j),
dist AS (
  SELECT alt, sqrt(sum((v - best) ^ 2)) AS dplus, sqrt(sum((v - worst) ^ 2)) AS dminus
    FROM weighted JOIN ideal USING (j) GROUP BY alt),
reference AS (SELECT alt, dminus / (dplus + dminus) AS c FROM dist),
computed AS (
  SELECT alt, topsis(x, '{0.2, 0.1, 0.1, 0.1, 0.2, 0.3}',
                        '{t, t, t, f, t, t}') OVER () AS c
    FROM ev_aircraft)
SELECT alt, round(c.c::numeric, 4) AS closeness,
       abs(c.c - r.c) < 1e-12 AS matches_sql,
       rank() OVER (ORDER BY c.c DESC) AS rank
  FROM computed c JOIN reference r USING (alt) ORDER BY alt;

-- ===================================================================
-- topsis: hand-checked cases
-- ===================================================================
-- Two rows {1, 1} and {2, 3}, weights {1, 1}, first a benefit, second a cost.
-- Column norms sqrt 5 and sqrt 10; row 1: d+ = 1/sqrt 5, d- = 2/sqrt 10, so
-- closeness = 2 / (2 + sqrt 2) = 2 - sqrt 2; row 2: sqrt 2 - 1.
SELECT id, abs(topsis(x, '{1, 1}', '{t, f}') OVER () -
               CASE id WHEN 1 THEN 2 - sqrt(2) ELSE sqrt(2) - 1 END) < 1e-15 AS hand
  FROM (VALUES (1, '{1, 1}'::float8[]), (2, '{2, 3}')) AS t(id, x) ORDER BY id;
-- One row: the ideal and the anti-ideal are the row itself, d+ = d- = 0: 0.5.
SELECT topsis('{3, 4}', '{0.5, 0.5}', '{t, f}') OVER () AS one_row;
-- A constant column: every row is at its ideal and its anti-ideal at once, so
-- it adds nothing; a column of zeros likewise.  Both give the closeness of
-- the first column alone: 1 and 0.
SELECT id,
       topsis(ARRAY[a], '{1}', '{t}') OVER () AS alone,
       topsis(ARRAY[a, 7], '{1, 1}', '{t, t}') OVER () AS with_constant,
       topsis(ARRAY[a, 0], '{1, 1}', '{t, t}') OVER () AS with_zeros
  FROM (VALUES (1, 1.0::float8), (2, 0.0)) AS t(id, a) ORDER BY id;
-- Only zeros (or only zero weights): d+ + d- = 0 for every row: 0.5.
SELECT id, topsis('{0, 0}', '{1, 1}', '{t, t}') OVER () AS zeros,
       topsis(x, '{0, 0}', '{t, t}') OVER () AS zero_weights
  FROM (VALUES (1, '{1, 2}'::float8[]), (2, '{3, 1}')) AS t(id, x) ORDER BY id;
-- Ties: equal rows get exactly equal closeness.
SELECT id, round(c::numeric, 12) AS closeness, c = first_value(c) OVER (ORDER BY id) AS same_as_1
  FROM (SELECT id, topsis(x, '{0.3, 0.7}', '{t, f}') OVER () AS c
          FROM (VALUES (1, '{1, 2}'::float8[]), (2, '{1, 2}'), (3, '{4, 1}'), (4, '{2, 5}')) AS t(id, x)) AS s
 ORDER BY id;
-- Cost versus benefit: a cost column prefers the small value; turning every
-- benefit into a cost swaps ideal and anti-ideal, so closeness becomes 1 - c.
SELECT id, topsis(ARRAY[a], '{1}', '{t}') OVER () AS benefit,
       topsis(ARRAY[a], '{1}', '{f}') OVER () AS cost
  FROM (VALUES (1, 1.0::float8), (2, 3.0)) AS t(id, a) ORDER BY id;
SELECT bool_and(abs(c + f - 1) < 1e-15) AS flipped_is_complement
  FROM (SELECT topsis(x, '{0.2, 0.1, 0.1, 0.1, 0.2, 0.3}', '{t, t, t, f, t, t}') OVER () AS c,
               topsis(x, '{0.2, 0.1, 0.1, 0.1, 0.2, 0.3}', '{f, f, f, t, f, f}') OVER () AS f
          FROM ev_aircraft) AS s;
-- Scaling every weight by the same factor changes nothing (the weights need
-- not sum to 1).
SELECT bool_and(abs(a - b) < 1e-15) AS weight_scale_free
  FROM (SELECT topsis(x, '{0.2, 0.1, 0.1, 0.1, 0.2, 0.3}', '{t, t, t, f, t, t}') OVER () AS a,
               topsis(x, '{2, 1, 1, 1, 2, 3}', '{t, t, t, f, t, t}') OVER () AS b
          FROM ev_aircraft) AS s;
-- Huge and tiny magnitudes: norms are accumulated with scaling, so criteria
-- of 1e300 (whose squares overflow float8) or 1e-300 (whose squares
-- underflow) give the closeness of the same criteria at unit scale.
SELECT bool_and(abs(c - big) < 1e-15 AND abs(c - tiny) < 1e-15) AS scale_free
  FROM (SELECT topsis(x, '{1, 2}', '{t, f}') OVER () AS c,
               topsis(ARRAY[x[1] * 1e300, x[2] * 1e300], '{1, 2}', '{t, f}') OVER () AS big,
               topsis(ARRAY[x[1] * 1e-300, x[2] * 1e-300], '{1, 2}', '{t, f}') OVER () AS tiny
          FROM (VALUES ('{1, 2}'::float8[]), ('{3, 1}'), ('{2, 5}')) AS t(x)) AS s;
-- Like rank(), it ignores the frame: the whole partition counts.
SELECT bool_and(a = b) AS frame_ignored
  FROM (SELECT topsis(x, '{1, 1, 1, 1, 1, 1}', '{t, t, t, f, t, t}') OVER () AS a,
               topsis(x, '{1, 1, 1, 1, 1, 1}', '{t, t, t, f, t, t}')
                 OVER (ORDER BY alt ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS b
          FROM ev_aircraft) AS s;
-- Each partition has its own ideal (even its own number of criteria); a row
-- whose criteria is NULL gets NULL and takes no part.
SELECT g, id, round((topsis(x, w, b) OVER (PARTITION BY g))::numeric, 12) AS closeness
  FROM (VALUES ('a', 1, '{1}'::float8[], '{1}'::float8[], '{t}'::bool[]),
               ('a', 2, '{0}', '{1}', '{t}'),
               ('a', 3, NULL, '{1}', '{t}'),
               ('b', 1, '{1, 1}', '{1, 1}', '{t, f}'),
               ('b', 2, '{2, 3}', '{1, 1}', '{t, f}'),
               ('c', 1, NULL, '{1}', '{t}')) AS t(g, id, x, w, b)
 ORDER BY g, id;

-- ===================================================================
-- entropy_weights
-- ===================================================================
-- Hand-checked: columns {0, 1, 1} and {0, 0, 1} over n = 3 rows.  Column 1:
-- p = (0, 1/2, 1/2), e = ln 2 / ln 3; column 2: p = (0, 0, 1), e = 0.  So
-- w = ((1 - ln 2/ln 3), 1) / (2 - ln 2/ln 3).
SELECT abs(w[1] - (1 - ln(2) / ln(3)) / (2 - ln(2) / ln(3))) < 1e-15 AS w1,
       abs(w[2] - 1 / (2 - ln(2) / ln(3))) < 1e-15 AS w2
  FROM (SELECT entropy_weights(x) AS w
          FROM (VALUES ('{0, 0}'::float8[]), ('{1, 0}'), ('{1, 1}')) AS t(x)) AS s;
-- Worked example: the fighter-aircraft data of Hwang and Yoon (1981) above,
-- acquisition cost negated (a cost), through the entropy weight method on
-- min-max normalized columns as docs/evaluation.md defines it (the variant
-- used, e.g., by Zou, Yun and Sun (2006), J. Environmental Sciences
-- 18(5):1020-1023; Hwang and Yoon normalize by column sums instead).  We claim no published numbers
-- for this variant on this data: the check is against the formulas written
-- out in plain SQL, to 1e-12.
WITH cell AS (
  SELECT a.alt, u.j::int,
         CASE WHEN w.benefit THEN u.v ELSE -u.v END AS x
    FROM ev_aircraft a, unnest(a.x) WITH ORDINALITY AS u(v, j)
    JOIN ev_aircraft_weights w ON w.j = u.j),
scaled AS (                          -- x' = (x - min) / (max - min)
  SELECT alt, j, (x - min(x) OVER w) / (max(x) OVER w - min(x) OVER w) AS x1
    FROM cell WINDOW w AS (PARTITION BY j)),
p AS (SELECT alt, j, x1 / sum(x1) OVER (PARTITION BY j) AS p FROM scaled),
e AS (                               -- e = -sum p ln p / ln n, 0 ln 0 = 0
  SELECT j, -sum(CASE WHEN p > 0 THEN p * ln(p) ELSE 0 END) / ln(count(*)) AS e
    FROM p GROUP BY j),
reference AS (SELECT j, (1 - e) / sum(1 - e) OVER () AS w FROM e),
computed AS (
  SELECT entropy_weights(ARRAY[x[1], x[2], x[3], -x[4], x[5], x[6]]) AS w
    FROM ev_aircraft)
SELECT r.j, round(c.w[r.j]::numeric, 4) AS weight,
       abs(c.w[r.j] - r.w) < 1e-12 AS matches_sql
  FROM reference r, computed c ORDER BY r.j;
-- A column whose range overflows float8 (-1e308 .. 1e308) is normalized
-- like the same column at unit scale.
SELECT bool_and(abs(u.huge - u.unit) < 1e-15) AS huge_range
  FROM (SELECT entropy_weights(x) AS w
          FROM (VALUES ('{-1e308, 0}'::float8[]), ('{1e308, 1}'), ('{0, 1}')) AS t(x)) AS s1,
       (SELECT entropy_weights(x) AS w
          FROM (VALUES ('{-1, 0}'::float8[]), ('{1, 1}'), ('{0, 1}')) AS t(x)) AS s2,
       unnest(s1.w, s2.w) AS u(huge, unit);
-- The weights sum to 1.
SELECT abs((SELECT sum(v) FROM unnest(w) v) - 1) < 1e-15 AS sums_to_one
  FROM (SELECT entropy_weights(x) AS w FROM ev_aircraft) AS s;
-- A constant column weighs 0; every column constant, or fewer than two rows:
-- equal weights; no rows at all: NULL; NULL rows are skipped.
SELECT entropy_weights(x) AS constant_column
  FROM (VALUES ('{1, 5, 0}'::float8[]), ('{2, 5, 0}')) AS t(x);
SELECT entropy_weights(x) AS all_constant
  FROM (VALUES ('{1, 5, 0}'::float8[]), ('{1, 5, 0}')) AS t(x);
SELECT entropy_weights(x) AS one_row
  FROM (VALUES ('{1, 2, 3, 4}'::float8[])) AS t(x);
SELECT entropy_weights(x) IS NULL AS no_rows
  FROM (VALUES ('{1}'::float8[])) AS t(x) WHERE false;
SELECT (SELECT entropy_weights(x)
          FROM (VALUES ('{1, 0}'::float8[]), (NULL), ('{0, 0}'), ('{1, 1}')) AS t(x)) =
       (SELECT entropy_weights(x)
          FROM (VALUES ('{1, 0}'::float8[]), ('{0, 0}'), ('{1, 1}')) AS t(x)) AS null_row_skipped;
-- As a window aggregate: per group, without disturbing the state.
SELECT g, entropy_weights(x) OVER (PARTITION BY g) AS w
  FROM (VALUES (1, '{1, 0}'::float8[]), (1, '{0, 1}'), (2, '{3, 3}'), (2, '{3, 4}')) AS t(g, x)
 ORDER BY g;

-- ===================================================================
-- Every error, with its SQLSTATE
-- ===================================================================
SELECT pg_temp.try(q) FROM (VALUES
  ('SELECT issuelist.topsis(''{1, 2}'', ''{1}'', ''{t, t}'') OVER ()'),
  ('SELECT issuelist.topsis(''{1, 2}'', ''{1, 1}'', ''{t}'') OVER ()'),
  ('SELECT issuelist.topsis(x, ''{1, 1}'', ''{t, t}'') OVER () FROM (VALUES (''{1, 2}''::float8[]), (''{1}'')) t(x)'),
  ('SELECT issuelist.topsis(''{1, NULL}'', ''{1, 1}'', ''{t, t}'') OVER ()'),
  ('SELECT issuelist.topsis(''{1, 2}'', ''{1, NULL}'', ''{t, t}'') OVER ()'),
  ('SELECT issuelist.topsis(''{1, 2}'', ''{1, 1}'', ''{t, NULL}'') OVER ()'),
  ('SELECT issuelist.topsis(''{{1, 2}, {3, 4}}'', ''{1, 1}'', ''{t, t}'') OVER ()'),
  ('SELECT issuelist.topsis(''{1, NaN}'', ''{1, 1}'', ''{t, t}'') OVER ()'),
  ('SELECT issuelist.topsis(''{1, -Infinity}'', ''{1, 1}'', ''{t, t}'') OVER ()'),
  ('SELECT issuelist.topsis(''{1, 2}'', ''{1, Infinity}'', ''{t, t}'') OVER ()'),
  ('SELECT issuelist.topsis(''{1, 2}'', ''{1, -0.5}'', ''{t, t}'') OVER ()'),
  ('SELECT issuelist.topsis(''{}'', ''{}'', ''{}'') OVER ()'),
  ('SELECT issuelist.topsis(''{1}'', ''{}'', ''{t}'') OVER ()'),
  ('SELECT issuelist.topsis(''{1}'', ''{1}'', ''{}'') OVER ()'),
  ('SELECT issuelist.entropy_weights(x) FROM (VALUES (''{1, 2}''::float8[]), (''{1, 2, 3}'')) t(x)'),
  ('SELECT issuelist.entropy_weights(''{1, NULL}'')'),
  ('SELECT issuelist.entropy_weights(''{{1}, {2}}'')'),
  ('SELECT issuelist.entropy_weights(''{NaN}'')'),
  ('SELECT issuelist.entropy_weights(''{1, Infinity}'')'),
  ('SELECT issuelist.entropy_weights(''{}'')')) AS t(q);

-- ===================================================================
-- entropy_weights in parallel: partial states serialized by workers,
-- deserialized and combined by the leader, give the serial weights.
-- ===================================================================
CREATE TABLE ev_many AS
SELECT i, ARRAY[(i * 7919 % 1000)::float8, (i % 17)::float8, -(i % 101)::float8 * (i % 3),
                ((i * 31) % 257)::float8 / 7] AS x
  FROM generate_series(1, 5000) AS i;
ANALYZE ev_many;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ev_serial AS SELECT entropy_weights(x) AS w FROM ev_many;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- Without this the leader scans the small table before the workers start,
-- and their states are empty; this way both workers' states are combined.
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT entropy_weights(x) FROM ev_many;
SELECT cardinality(p.w) AS n,
       bool_and(abs(p.w[j] - s.w[j]) < 1e-12) AS parallel_equals_serial
  FROM (SELECT entropy_weights(x) AS w FROM ev_many) AS p, ev_serial s,
       generate_series(1, 4) AS j
 GROUP BY 1;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
DROP TABLE ev_many;
