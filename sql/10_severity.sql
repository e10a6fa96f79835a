-- The severity type: spellings, canonical output, order, indexes, joins,
-- hashing, partitioning, binary I/O and the rejection of bad input.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;

-- Shared test helpers: shown(), try_input().
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers

-- Output holding Chinese is printed unaligned: psql pads by display width,
-- which depends on the database encoding (UTF8 or SQL_ASCII).
\pset format unaligned

-- Every accepted spelling, in several cases and with blanks around.
SELECT pg_temp.shown(input) AS input,
       input::severity AS severity, severity_rank(input::severity) AS rank,
       label_zh(input::severity) AS label_zh
  FROM unnest(ARRAY[
         'general', 'GENERAL', 'General', 'gEnErAl',
         'serious', 'SERIOUS', 'Serious',
         'major', 'MAJOR', 'Major', 'mAJOR',
         'critical', 'CRITICAL', 'Critical',
         'IV', 'iv', 'Iv', 'III', 'iii', 'II', 'ii', 'I', 'i',
         '一般', '较大', '重大', '特别重大',
         '  major', 'major  ', E'\tcritical\n', E'\n\r\f II \t', E' 重大\n'
       ]) WITH ORDINALITY AS t(input, n)
 ORDER BY n;

-- The Chinese labels, in order.
SELECT s, label_zh(s) FROM unnest('{general,serious,major,critical}'::severity[]) s;
\pset format aligned

-- Canonical output: one spelling per value; in(out(x)) = x for every spelling.
SELECT severity(r) AS s, severity(r)::text AS out,
       severity(r)::text::severity = severity(r) AS round_trip,
       severity_rank(severity(r)) = r AS rank_inverts
  FROM generate_series(1, 4) r;
SELECT count(*) AS spellings,
       count(*) FILTER (WHERE w::severity::text::severity = w::severity) AS round_trips
  FROM unnest('{general,SERIOUS,Major,critical,I,ii,III,iv,一般,较大,重大,特别重大," major "}'::text[]) w;

-- Assignment casts from and to text.
CREATE TABLE sev_cast (s severity, t text);
INSERT INTO sev_cast (s, t) VALUES ('II'::text, 'general'::severity);
SELECT s, t, pg_typeof(t) FROM sev_cast;
DROP TABLE sev_cast;

-- Ordering: general < serious < major < critical.
SELECT s FROM unnest('{critical,general,major,serious,I,IV}'::severity[]) s ORDER BY s;
SELECT min(s), max(s), count(DISTINCT s)
  FROM unnest('{major,serious,critical,serious}'::severity[]) s;
SELECT min(s) AS min_of_none, max(s) AS max_of_none
  FROM unnest('{}'::severity[]) s;
-- Every operator on every pair agrees with the rank.
SELECT a, b, a < b AS lt, a <= b AS le, a = b AS eq, a <> b AS ne,
       a >= b AS ge, a > b AS gt, severity_cmp(a, b) AS cmp
  FROM unnest('{general,serious,major,critical}'::severity[]) a,
       unnest('{general,serious,major,critical}'::severity[]) b
 ORDER BY a, b;
SELECT count(*) AS pairs_disagreeing_with_rank
  FROM unnest('{general,serious,major,critical}'::severity[]) a,
       unnest('{general,serious,major,critical}'::severity[]) b
 WHERE (a < b) <> (severity_rank(a) < severity_rank(b))
    OR (a <= b) <> (severity_rank(a) <= severity_rank(b))
    OR (a = b) <> (severity_rank(a) = severity_rank(b))
    OR (a <> b) <> (severity_rank(a) <> severity_rank(b))
    OR (a >= b) <> (severity_rank(a) >= severity_rank(b))
    OR (a > b) <> (severity_rank(a) > severity_rank(b))
    OR sign(severity_cmp(a, b)) <> sign(severity_rank(a) - severity_rank(b));

-- A table of 2000 issues, 500 of each severity.
CREATE TABLE sev_issue (id int PRIMARY KEY, s severity NOT NULL);
INSERT INTO sev_issue SELECT i, severity(1 + i % 4) FROM generate_series(1, 2000) i;
CREATE INDEX sev_issue_s ON sev_issue (s);
ANALYZE sev_issue;

-- Index scans: equality, range, and min/max from the index.
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM sev_issue WHERE s = 'critical';
SELECT count(*), min(id), max(id) FROM sev_issue WHERE s = 'critical';
EXPLAIN (COSTS OFF) SELECT count(*) FROM sev_issue WHERE s >= 'II';
SELECT s, count(*) FROM sev_issue WHERE s >= 'II' GROUP BY s ORDER BY s;
EXPLAIN (COSTS OFF) SELECT max(s) FROM sev_issue;
SELECT max(s), min(s) FROM sev_issue;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- Joins on severity: the deadline in days for each severity.
CREATE TABLE sev_deadline (s severity PRIMARY KEY, days int NOT NULL);
INSERT INTO sev_deadline VALUES ('critical', 30), ('major', 60), ('serious', 90), ('general', 180);
ANALYZE sev_deadline;
SET enable_nestloop = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF)
SELECT d.s, d.days, count(*) FROM sev_issue i JOIN sev_deadline d ON d.s = i.s GROUP BY d.s, d.days;
SELECT d.s, d.days, count(*) FROM sev_issue i JOIN sev_deadline d ON d.s = i.s
 GROUP BY d.s, d.days ORDER BY d.s;
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF)
SELECT d.s, d.days, count(*) FROM sev_issue i JOIN sev_deadline d ON d.s = i.s GROUP BY d.s, d.days;
SELECT d.s, d.days, count(*) FROM sev_issue i JOIN sev_deadline d ON d.s = i.s
 GROUP BY d.s, d.days ORDER BY d.s;
RESET enable_hashjoin;
RESET enable_nestloop;

-- Hash aggregation.
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT s, count(*) FROM sev_issue GROUP BY s;
SELECT string_agg(s || ' ' || n, ', ' ORDER BY s) AS groups
  FROM (SELECT s, count(*) AS n FROM sev_issue GROUP BY s) g;
RESET enable_sort;

-- Hash partitioning routes rows by the seeded hash and prunes partitions.
CREATE TABLE sev_part (id int, s severity) PARTITION BY HASH (s);
CREATE TABLE sev_part_0 PARTITION OF sev_part FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE sev_part_1 PARTITION OF sev_part FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO sev_part SELECT id, s FROM sev_issue;
SELECT s, tableoid::regclass AS partition, count(*) FROM sev_part GROUP BY 1, 2 ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT count(*) FROM sev_part WHERE s = 'major';
SELECT count(*) FROM sev_part WHERE s = 'major';

-- Binary output is the int2; binary input reads it back and checks it.
-- psql writes binary COPY files into the pg_regress output directory and
-- reads them back (\copy): the server never reads the checkout, which may be
-- a directory only its owner can enter.
SELECT s, severity_send(s) FROM unnest('{general,serious,major,critical}'::severity[]) s;
CREATE TABLE sev_copy (LIKE sev_issue);
\copy (SELECT id, s FROM sev_issue) TO 'tests/results/10_severity.bin' (FORMAT binary)
\copy sev_copy FROM 'tests/results/10_severity.bin' (FORMAT binary)
SELECT count(*) AS copied,
       count(*) FILTER (WHERE c.s = i.s) AS same_severity
  FROM sev_copy c JOIN sev_issue i USING (id);

-- Binary input rejects numbers out of range (22003) and a wrong length
-- (22P03): the int2 9, 0 and -1, and the int4 3.
\copy (SELECT 9::int2) TO 'tests/results/10_severity.bin' (FORMAT binary)
\copy sev_copy (s) FROM 'tests/results/10_severity.bin' (FORMAT binary)
\copy (SELECT 0::int2) TO 'tests/results/10_severity.bin' (FORMAT binary)
\copy sev_copy (s) FROM 'tests/results/10_severity.bin' (FORMAT binary)
\copy (SELECT -1::int2) TO 'tests/results/10_severity.bin' (FORMAT binary)
\copy sev_copy (s) FROM 'tests/results/10_severity.bin' (FORMAT binary)
\copy (SELECT 3::int4) TO 'tests/results/10_severity.bin' (FORMAT binary)
\copy sev_copy (s) FROM 'tests/results/10_severity.bin' (FORMAT binary)
SELECT count(*) AS rows_after_bad_copies FROM sev_copy;

-- The constructor takes 1 .. 4 only.
SELECT severity(0);
\echo :LAST_ERROR_SQLSTATE
SELECT severity(5);
\echo :LAST_ERROR_SQLSTATE
SELECT severity(NULL) IS NULL AS null_in_null_out, NULL::text::severity IS NULL AS null_cast;

-- Bad text: every rejection is 22P02, quotes the input and lists what is
-- accepted.  The 10000-character input is shown by its length; its message
-- quotes it whole.
\pset format unaligned
\pset null (null)
SELECT CASE WHEN length(input) > 40 THEN length(input) || ' characters'
            ELSE pg_temp.shown(input) END AS input,
       r.result, r.state AS sqlstate,
       r.message = format('invalid input syntax for type severity: "%s"', input)
         AS quotes_input,
       pg_temp.shown(left(r.message, 60)) AS message, r.hint
  FROM unnest(ARRAY[
         '', ' ', E'\t\n', 'minor', 'major x', 'x major', 'ma jor', 'majo',
         'majors', 'V', 'VI', 'IIII', 'I V', '0', '1', '4', '-1',
         '一 般', '特别', '特别重大级', 'major' || chr(160), 'ｍａｊｏｒ',
         repeat('x', 10000), NULL
       ]) WITH ORDINALITY AS t(input, n),
       LATERAL pg_temp.try_input('severity', input) r
 ORDER BY n;
\pset format aligned
\pset null ''

-- An error raised directly shows the same message and hint.
SELECT 'grave'::severity;

DROP TABLE sev_issue, sev_deadline, sev_part, sev_copy;
