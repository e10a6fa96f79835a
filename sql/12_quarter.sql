-- The type quarter: spellings, canonical output, order, dates, arithmetic,
-- the quarters() series, the btree and hash operator classes at work (index,
-- joins, aggregation, partitioning), binary I/O and the errors.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET DateStyle = ISO;

-- Every accepted spelling reads as the same quarter, written canonically.
SELECT s, s::quarter AS q, s::quarter::text = '2021Q1' AS canonical
  FROM (VALUES ('2021Q1'), ('2021q1'), ('2021-Q1'), ('2021-q1'), ('2021 Q1'),
               ('2021 q1'), ('  2021Q1  '), (E'\t2021-Q1\n'), ('02021Q1')) v(s);

-- Output always has four year digits; the extremes.
SELECT '1q1'::quarter AS first, '0999-Q3'::quarter AS short_year,
       '9999 q4'::quarter AS last;

-- The representation is fixed: year * 4 + quarter - 1 (2021Q1 = 8084 =
-- 0x1f94), sent in network byte order.
SELECT quarter_send('2021Q1'), quarter_send('0001Q1'), quarter_send('9999Q4');

-- Text round trip for every quarter there is: in(out(q)) = q, one spelling.
SELECT count(*) AS quarters,
       count(*) FILTER (WHERE q::text::quarter <> q
                           OR q::text !~ '^[0-9]{4}Q[1-4]$') AS bad
  FROM quarters('0001Q1', '9999Q4') q;

-- Order.
SELECT q FROM (VALUES ('2021Q1'::quarter), ('2020Q4'), ('0001Q1'), ('2021Q4'),
                      ('9999Q4'), ('2021Q2'), ('1999Q3')) v(q)
 ORDER BY q;
SELECT a, b, a < b AS lt, a <= b AS le, a = b AS eq, a <> b AS ne,
       a >= b AS ge, a > b AS gt, quarter_cmp(a, b) AS cmp
  FROM (VALUES ('2020Q4'::quarter, '2021Q1'::quarter), ('2021Q1', '2021Q1'),
               ('2021Q2', '2021Q1')) v(a, b);

-- Accessors and the days of a quarter, leap years included.
SELECT q, year(q), quarter_number(q), lower(q), upper(q),
       upper(q) - lower(q) + 1 AS days
  FROM (VALUES ('2020Q1'::quarter), ('2020Q2'), ('2020Q3'), ('2020Q4'),
               ('2021Q1'), ('1900Q1'), ('2000Q1'), ('0001Q1'), ('9999Q4')) v(q);

-- The quarter of a date.
SELECT d, quarter(d)
  FROM (VALUES (date '2021-01-01'), ('2021-03-31'), ('2021-04-01'),
               ('2020-02-29'), ('2021-12-31'), ('0001-01-01'),
               ('9999-12-31')) v(d);
SELECT quarter(date 'infinity');
SELECT quarter(date '-infinity');
SELECT quarter(date '10000-01-01');
SELECT quarter(date '0001-12-31 BC');

-- Containment, both ways round; infinite dates are in no quarter.
SELECT q, d, q @> d AS contains, d <@ q AS contained
  FROM (VALUES ('2020Q1'::quarter, date '2019-12-31'), ('2020Q1', '2020-01-01'),
               ('2020Q1', '2020-02-29'), ('2020Q1', '2020-03-31'),
               ('2020Q1', '2020-04-01'), ('9999Q4', 'infinity'),
               ('0001Q1', '-infinity')) v(q, d);

-- Arithmetic, across year boundaries and up to the ends of the range.
SELECT '2020Q4'::quarter + 1 AS next, 1 + '2020Q4'::quarter AS next_too,
       '2021Q1'::quarter - 1 AS previous, '2021Q1'::quarter + 4 AS a_year_on,
       '2021Q1'::quarter + (-5) AS minus_five, '2021Q1'::quarter - (-3) AS plus_three;
SELECT '2021Q1'::quarter - '2019Q3' AS forward, '2019Q3'::quarter - '2021Q1' AS backward,
       '2021Q1'::quarter - '2021Q1' AS same, '9999Q4'::quarter - '0001Q1' AS whole_range;
SELECT '9999Q3'::quarter + 1 AS last, '0001Q2'::quarter - 1 AS first,
       '9999Q4'::quarter - 39995 AS first_too;
SELECT '0001Q1'::quarter - 1;
SELECT '9999Q4'::quarter + 1;
SELECT 1 + '9999Q4'::quarter;
SELECT '2021Q1'::quarter + 2147483647;
SELECT '2021Q1'::quarter - (-2147483648);
SELECT '2021Q1'::quarter - 2147483647;

-- The series: inclusive, ordered, empty when from_q > to_q.
SELECT * FROM quarters('2020Q3', '2021Q2');
SELECT * FROM quarters('2021Q1', '2021Q1');
SELECT count(*) AS empty FROM quarters('2021Q2', '2021Q1');
SELECT * FROM quarters(from_q => '9999Q3', to_q => '9999Q4');
-- The planner knows how many rows the series has when the bounds are known.
CREATE FUNCTION pg_temp.plan_rows(query text) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
	plan json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
	RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
END
$$;
SELECT pg_temp.plan_rows($$SELECT * FROM quarters('2020Q1', '2024Q4')$$) AS five_years,
       pg_temp.plan_rows($$SELECT * FROM quarters('2021Q1', '2021Q1')$$) AS one,
       pg_temp.plan_rows($$SELECT * FROM quarters('2021Q1', '2021Q1'::quarter + 7)$$) AS folded,
       pg_temp.plan_rows($$SELECT * FROM quarters('2022Q1', '2021Q1')$$) AS empty_clamped,
       pg_temp.plan_rows($$SELECT * FROM quarters('2021Q1', (SELECT '2030Q1'::quarter))$$) AS unknown;

-- A window over the last four quarters (btree in_range support).
SELECT q, count(*) OVER w AS in_frame, min(q) OVER w AS frame_start
  FROM quarters('2020Q1', '2021Q2') q
WINDOW w AS (ORDER BY q RANGE BETWEEN 3 PRECEDING AND CURRENT ROW);
SELECT count(*) OVER (ORDER BY q RANGE BETWEEN -1 PRECEDING AND CURRENT ROW)
  FROM quarters('2020Q1', '2020Q2') q;

-- A btree index is used and gives the right rows.
CREATE TABLE quarter_t (q quarter, n int);
INSERT INTO quarter_t SELECT q, q - '2000Q1' FROM quarters('2000Q1', '2099Q4') q;
CREATE INDEX ON quarter_t (q);
ANALYZE quarter_t;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM quarter_t WHERE q = '2021Q1';
SELECT * FROM quarter_t WHERE q = '2021Q1';
EXPLAIN (COSTS OFF) SELECT * FROM quarter_t WHERE q > '2020Q2' AND q <= '2021Q1' ORDER BY q;
SELECT * FROM quarter_t WHERE q > '2020Q2' AND q <= '2021Q1' ORDER BY q;
EXPLAIN (COSTS OFF) SELECT max(q) FROM quarter_t;
SELECT min(q), max(q) FROM quarter_t;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- Merge join and hash join, each forced, give the same right answer.
CREATE TABLE quarter_u (q quarter, label text);
INSERT INTO quarter_u VALUES ('2021Q1', 'a'), ('2021Q2', 'b'), ('2021Q2', 'c'),
	('1999Q4', 'd'), ('2100Q1', 'not in quarter_t');
ANALYZE quarter_u;
SET enable_nestloop = off;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT t.q, t.n, u.label FROM quarter_t t JOIN quarter_u u USING (q);
SELECT t.q, t.n, u.label FROM quarter_t t JOIN quarter_u u USING (q) ORDER BY 1, 3;
RESET enable_hashjoin;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT t.q, t.n, u.label FROM quarter_t t JOIN quarter_u u USING (q);
SELECT t.q, t.n, u.label FROM quarter_t t JOIN quarter_u u USING (q) ORDER BY 1, 3;
RESET enable_mergejoin;
RESET enable_nestloop;

-- Hash aggregation.
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT q, count(*) FROM quarter_u GROUP BY q;
SELECT q, count(*) FROM quarter_u GROUP BY q ORDER BY q;
EXPLAIN (COSTS OFF) SELECT DISTINCT q FROM quarter_u;
RESET enable_sort;

-- The hash functions agree with each other and with equality.
SELECT count(*) AS quarters,
       count(*) FILTER (WHERE quarter_hash(q) <> quarter_hash(q::text::quarter)) AS unequal,
       count(*) FILTER (WHERE (quarter_hash_extended(q, 0) & 4294967295)
                              <> (quarter_hash(q)::bigint & 4294967295)) AS seed0_differs,
       count(DISTINCT quarter_hash(q)) AS distinct_hashes,
       count(*) FILTER (WHERE quarter_hash_extended(q, 1) = quarter_hash_extended(q, 0)) AS seed_ignored
  FROM quarters('2000Q1', '2099Q4') q;
SELECT opcname, amname, amvalidate(c.oid)
  FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
 WHERE opcintype = 'quarter'::regtype ORDER BY amname;

-- Hash partitioning routes every row to one partition, and finds it there.
CREATE TABLE quarter_p (q quarter) PARTITION BY HASH (q);
CREATE TABLE quarter_p0 PARTITION OF quarter_p FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE quarter_p1 PARTITION OF quarter_p FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE quarter_p2 PARTITION OF quarter_p FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO quarter_p SELECT q FROM quarters('2016Q1', '2025Q4') q;
SELECT tableoid::regclass AS partition, count(*) FROM quarter_p GROUP BY 1 ORDER BY 1;
SELECT count(*) AS misrouted
  FROM quarter_p
 WHERE NOT satisfies_hash_partition('quarter_p'::regclass, 3,
                                    substr(tableoid::regclass::text, 10)::int, q);
EXPLAIN (COSTS OFF) SELECT * FROM quarter_p WHERE q = '2021Q1';
SELECT tableoid::regclass AS partition, q FROM quarter_p WHERE q = '2021Q1';

-- Binary COPY: a round trip, then values outside years 1..9999 refused.
CREATE TABLE quarter_b (q quarter);
\copy (SELECT q FROM quarter_t UNION ALL VALUES ('0001Q1'::quarter), ('9999Q4')) TO 'tests/results/quarter.bin' (FORMAT binary)
\copy quarter_b FROM 'tests/results/quarter.bin' (FORMAT binary)
SELECT count(*) AS copied, min(q), max(q),
       array_agg(q ORDER BY q) = (SELECT array_agg(q ORDER BY q)
                                    FROM (SELECT q FROM quarter_t
                                          UNION ALL VALUES ('0001Q1'::quarter), ('9999Q4')) s)
         AS same
  FROM quarter_b;
\copy (SELECT 99999999) TO 'tests/results/quarter_bad.bin' (FORMAT binary)
\copy quarter_b FROM 'tests/results/quarter_bad.bin' (FORMAT binary)
\copy (SELECT 40000) TO 'tests/results/quarter_bad.bin' (FORMAT binary)
\copy quarter_b FROM 'tests/results/quarter_bad.bin' (FORMAT binary)
\copy (SELECT 3) TO 'tests/results/quarter_bad.bin' (FORMAT binary)
\copy quarter_b FROM 'tests/results/quarter_bad.bin' (FORMAT binary)
SELECT count(*) AS still FROM quarter_b;

-- Bad input: the SQLSTATE, message, detail and hint of each.  Syntax is
-- checked before the range, and no input is too long or too large.
CREATE FUNCTION pg_temp.try_quarter(input text, OUT state text,
	OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM input::quarter;
	state := '00000';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
END
$$;
SELECT CASE WHEN length(s) > 30 THEN length(s) || ' chars' ELSE quote_literal(s) END AS input,
       r.state,
       CASE WHEN length(r.message) > 80
            THEN left(r.message, 50) || '... (' || length(r.message) || ' chars)'
            ELSE r.message END AS message,
       r.detail, r.hint
  FROM (VALUES (''), ('   '), ('2021'), ('Q1'), ('2021Q'), ('2021Q0'), ('2021Q5'),
               ('0Q1'), ('0000Q4'), ('10000Q1'), ('10000Q5'), ('2021Q1x'),
               ('2021--Q1'), ('20 21Q1'), ('2021  Q1'), ('2021 -Q1'), ('2021Q 1'),
               ('2021Q01'), ('2021/Q1'), ('-2021Q1'), ('+2021Q1'), ('2O21Q1'),
               (repeat('x', 10000)), (repeat('9', 9998) || 'Q1'),
               ('99999999999999999999Q1')) v(s),
       LATERAL pg_temp.try_quarter(s) r;

-- Row security keeps index scans on quarter predicates.  The comparison
-- functions are LEAKPROOF, so the planner may check "q = ..." in an index
-- before the policy's filter; one that is not would have to wait for the
-- policy, and every row of the table would be read.  A login that works
-- one county (grant_org) reads a table under a policy like the issues'.
SELECT add_org('330000', 'Zhejiang', NULL, 'province');
SELECT add_org('330106', 'Xihu', '330000', 'county');
CREATE ROLE regress_il_quarter_ed LOGIN IN ROLE issuelist_editor;
SELECT grant_org('regress_il_quarter_ed', '330106');
CREATE TABLE public.q_report (org text NOT NULL, q quarter NOT NULL, note text);
INSERT INTO public.q_report
  SELECT CASE WHEN i % 2 = 0 THEN '330106' ELSE '330000' END,
         '2000Q1'::quarter + i % 100, 'note ' || i
    FROM generate_series(1, 20000) i;
CREATE INDEX q_report_q ON public.q_report (q);
ANALYZE public.q_report;
ALTER TABLE public.q_report ENABLE ROW LEVEL SECURITY;
CREATE POLICY q_report_subtree ON public.q_report FOR SELECT TO issuelist_editor
  USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
GRANT SELECT ON public.q_report TO issuelist_editor;
SELECT p.oid::regprocedure AS operator_function, p.proleakproof
  FROM pg_amop a JOIN pg_operator o ON o.oid = a.amopopr
       JOIN pg_proc p ON p.oid = o.oprcode
 WHERE a.amopfamily IN (SELECT oid FROM pg_opfamily WHERE opfname = 'quarter_ops')
 GROUP BY 1, 2 ORDER BY 1::text;
SET ROLE regress_il_quarter_ed;
EXPLAIN (COSTS OFF) SELECT count(*) FROM public.q_report WHERE q = '2021Q1';
EXPLAIN (COSTS OFF) SELECT count(*) FROM public.q_report WHERE q BETWEEN '2021Q1' AND '2021Q4';
SELECT count(*) AS rows, min(org) AS org FROM public.q_report WHERE q = '2021Q1';
RESET ROLE;
SELECT count(*) AS rows_without_policy FROM public.q_report WHERE q = '2021Q1';
-- For contrast: were "=" not leakproof, the policy would go first and the
-- whole table would be read.
ALTER FUNCTION quarter_eq(quarter, quarter) NOT LEAKPROOF;
SET ROLE regress_il_quarter_ed;
EXPLAIN (COSTS OFF) SELECT count(*) FROM public.q_report WHERE q = '2021Q1';
RESET ROLE;
ALTER FUNCTION quarter_eq(quarter, quarter) LEAKPROOF;
DROP TABLE public.q_report;
SELECT revoke_org('regress_il_quarter_ed', '330106');
DROP ROLE regress_il_quarter_ed;

-- Every quarter object is commented; functions immutable, strict and
-- parallel safe; aggregates parallel safe.  (The type's own functions are
-- those in C; SQL functions of other concerns, such as freeze_quarter, read
-- tables and are rightly not immutable.)
SELECT p.oid::regprocedure AS undocumented_or_mislabelled
  FROM pg_proc p
 WHERE p.pronamespace = 'issuelist'::regnamespace
   AND p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('c', 'internal'))
   AND (p.proname ~ 'quarter'
        OR (p.proname IN ('lower', 'upper', 'year', 'min', 'max')
            AND 'quarter'::regtype = ANY (p.proargtypes)))
   AND (obj_description(p.oid, 'pg_proc') IS NULL OR p.provolatile <> 'i'
        OR p.proparallel <> 's' OR (p.prokind = 'f' AND NOT p.proisstrict));
SELECT o.oid::regoperator AS undocumented
  FROM pg_operator o
 WHERE 'quarter'::regtype IN (o.oprleft, o.oprright)
   AND obj_description(o.oid, 'pg_operator') IS NULL;
SELECT format_type(castsource, NULL) AS source, format_type(casttarget, NULL) AS target,
       castcontext, obj_description(c.oid, 'pg_cast') IS NOT NULL AS commented
  FROM pg_cast c WHERE 'quarter'::regtype IN (castsource, casttarget) ORDER BY 1;
SELECT opcname, amname, obj_description(c.oid, 'pg_opclass') IS NOT NULL AS commented
  FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
 WHERE opcintype = 'quarter'::regtype ORDER BY amname;
SELECT oprname, oprcanhash, oprcanmerge FROM pg_operator
 WHERE oprleft = 'quarter'::regtype AND oprright = 'quarter'::regtype AND oprname = '=';
