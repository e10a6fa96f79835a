-- The issue_state type: spellings, canonical output, the closed loop
-- (is_open, can_advance), order, indexes, joins, hashing, partitioning,
-- binary I/O and the rejection of bad input.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;

-- Shared test helpers: shown(), try_input().
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers

-- Every state: its name, rank, whether it is open, its Chinese label.
-- Output holding Chinese is printed unaligned: psql pads by display width,
-- which depends on the database encoding (UTF8 or SQL_ASCII).
\pset format unaligned
SELECT s, issue_state_rank(s) AS rank, is_open(s), label_zh(s)
  FROM unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) s;
\pset format aligned

-- Accepted spellings: the names in any case, blanks around ignored.
SELECT pg_temp.shown(input) AS input, input::issue_state AS state
  FROM unnest(ARRAY[
         'registered', 'REGISTERED', 'Registered', 'assigned', 'ASSIGNED',
         'Rectifying', 'rectifying', 'CONTINUING', 'continuing', 'Rectified',
         'rectified', 'Closed', 'cLoSeD', 'reopened', 'REOPENED', 'Withdrawn',
         'withdrawn', '  closed', 'closed  ', E'\tassigned\n', E'\n\r\f reopened \t'
       ]) WITH ORDINALITY AS t(input, n)
 ORDER BY n;

-- Canonical output: in(out(x)) = x, and the rank gives the value back.
SELECT count(*) AS states,
       count(*) FILTER (WHERE s::text::issue_state = s) AS round_trips,
       count(*) FILTER (WHERE s::text = lower(s::text)) AS lower_case,
       array_agg(issue_state_rank(s) ORDER BY s) AS ranks
  FROM unnest('{withdrawn,reopened,closed,rectified,continuing,rectifying,assigned,registered}'::issue_state[]) s;

-- Assignment casts from and to text.
CREATE TABLE st_cast (s issue_state, t text);
INSERT INTO st_cast (s, t) VALUES (' Closed '::text, 'reopened'::issue_state);
SELECT s, t, pg_typeof(t) FROM st_cast;
DROP TABLE st_cast;

-- The closed loop: all 64 pairs.  Exactly these 13 are allowed:
-- registered -> assigned, withdrawn; assigned -> rectifying, withdrawn;
-- rectifying -> rectified, continuing; continuing -> rectifying, rectified;
-- rectified -> closed, rectifying; closed -> reopened; reopened ->
-- rectifying; withdrawn -> nothing.  No state goes to itself.
SELECT f AS "from", t AS "to", can_advance(f, t)
  FROM unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) f,
       unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) t
 ORDER BY f, t;
-- The same, one row per state, as the table of the loop.
SELECT f AS "from",
       coalesce(string_agg(t::text, ', ' ORDER BY t) FILTER (WHERE can_advance(f, t)),
                'nothing') AS may_go_to,
       count(*) FILTER (WHERE can_advance(f, t)) AS n
  FROM unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) f,
       unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) t
 GROUP BY f ORDER BY f;
SELECT can_advance('registered', NULL) IS NULL AS null_to,
       can_advance(NULL, 'assigned') IS NULL AS null_from,
       is_open(NULL) IS NULL AS null_open;

-- Ordering follows the loop: registered < assigned < ... < withdrawn.
SELECT s FROM unnest('{closed,registered,withdrawn,rectifying,reopened,assigned,rectified,continuing}'::issue_state[]) s
 ORDER BY s;
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE
           (a < b) = (issue_state_rank(a) < issue_state_rank(b))
       AND (a <= b) = (issue_state_rank(a) <= issue_state_rank(b))
       AND (a = b) = (issue_state_rank(a) = issue_state_rank(b))
       AND (a <> b) = (issue_state_rank(a) <> issue_state_rank(b))
       AND (a >= b) = (issue_state_rank(a) >= issue_state_rank(b))
       AND (a > b) = (issue_state_rank(a) > issue_state_rank(b))
       AND sign(issue_state_cmp(a, b)) = sign(issue_state_rank(a) - issue_state_rank(b)))
         AS agreeing_with_rank
  FROM unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) a,
       unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) b;

-- A table of 2400 issues, 300 in each state.
CREATE TABLE st_issue (id int PRIMARY KEY, state issue_state NOT NULL);
INSERT INTO st_issue
SELECT i, (ARRAY['registered', 'assigned', 'rectifying', 'continuing', 'rectified',
                 'closed', 'reopened', 'withdrawn'])[1 + i % 8]::issue_state
  FROM generate_series(1, 2400) i;
CREATE INDEX st_issue_state ON st_issue (state);
ANALYZE st_issue;

-- Index scans: equality and range.
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM st_issue WHERE state = 'rectified';
SELECT count(*), min(id), max(id) FROM st_issue WHERE state = 'rectified';
EXPLAIN (COSTS OFF) SELECT count(*) FROM st_issue WHERE state >= 'closed';
SELECT state, count(*) FROM st_issue WHERE state >= 'closed' GROUP BY state ORDER BY state;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- Joins on issue_state.
CREATE TABLE st_open AS
SELECT s AS state, is_open(s) AS open
  FROM unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) s;
ANALYZE st_open;
SET enable_nestloop = off;
SET enable_mergejoin = off;
EXPLAIN (COSTS OFF)
SELECT o.open, count(*) FROM st_issue i JOIN st_open o ON o.state = i.state GROUP BY o.open;
SELECT o.open, count(*) FROM st_issue i JOIN st_open o ON o.state = i.state
 GROUP BY o.open ORDER BY o.open;
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF)
SELECT o.open, count(*) FROM st_issue i JOIN st_open o ON o.state = i.state GROUP BY o.open;
SELECT o.open, count(*) FROM st_issue i JOIN st_open o ON o.state = i.state
 GROUP BY o.open ORDER BY o.open;
RESET enable_hashjoin;
RESET enable_nestloop;

-- Hash aggregation.
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT state, count(*) FROM st_issue GROUP BY state;
SELECT string_agg(state || ' ' || n, ', ' ORDER BY state) AS groups
  FROM (SELECT state, count(*) AS n FROM st_issue GROUP BY state) g;
RESET enable_sort;

-- Hash partitioning routes rows by the seeded hash and prunes partitions.
CREATE TABLE st_part (id int, state issue_state) PARTITION BY HASH (state);
CREATE TABLE st_part_0 PARTITION OF st_part FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE st_part_1 PARTITION OF st_part FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE st_part_2 PARTITION OF st_part FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO st_part SELECT id, state FROM st_issue;
SELECT state, tableoid::regclass AS partition, count(*) FROM st_part GROUP BY 1, 2 ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT count(*) FROM st_part WHERE state = 'closed';
SELECT count(*) FROM st_part WHERE state = 'closed';

-- Binary output is the int2; binary input reads it back and checks it.
-- psql writes binary COPY files into the pg_regress output directory and
-- reads them back (\copy): the server never reads the checkout, which may be
-- a directory only its owner can enter.
SELECT s, issue_state_send(s)
  FROM unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) s;
CREATE TABLE st_copy (LIKE st_issue);
\copy (SELECT id, state FROM st_issue) TO 'tests/results/11_issue_state.bin' (FORMAT binary)
\copy st_copy FROM 'tests/results/11_issue_state.bin' (FORMAT binary)
SELECT count(*) AS copied,
       count(*) FILTER (WHERE c.state = i.state) AS same_state
  FROM st_copy c JOIN st_issue i USING (id);

-- Binary input rejects numbers out of range (22003) and a wrong length
-- (22P03): the int2 9 and 0, and the int4 3.
\copy (SELECT 9::int2) TO 'tests/results/11_issue_state.bin' (FORMAT binary)
\copy st_copy (state) FROM 'tests/results/11_issue_state.bin' (FORMAT binary)
\copy (SELECT 0::int2) TO 'tests/results/11_issue_state.bin' (FORMAT binary)
\copy st_copy (state) FROM 'tests/results/11_issue_state.bin' (FORMAT binary)
\copy (SELECT 3::int4) TO 'tests/results/11_issue_state.bin' (FORMAT binary)
\copy st_copy (state) FROM 'tests/results/11_issue_state.bin' (FORMAT binary)
SELECT count(*) AS rows_after_bad_copies FROM st_copy;

-- Bad text: every rejection is 22P02, quotes the input and lists what is
-- accepted.  The 10000-character input is shown by its length; its message
-- quotes it whole.  The Chinese labels are output only.
\pset format unaligned
\pset null (null)
SELECT CASE WHEN length(input) > 40 THEN length(input) || ' characters'
            ELSE pg_temp.shown(input) END AS input,
       r.result, r.state AS sqlstate,
       r.message = format('invalid input syntax for type issue_state: "%s"', input)
         AS quotes_input,
       pg_temp.shown(left(r.message, 64)) AS message, r.hint
  FROM unnest(ARRAY[
         '', ' ', E'\t\n', 'open', 'close', 'closedd', 'closed x', 'x closed',
         're opened', 're-opened', 'closed,reopened', '1', '6', '已销号',
         'closed' || chr(160), repeat('x', 10000), NULL
       ]) WITH ORDINALITY AS t(input, n),
       LATERAL pg_temp.try_input('issue_state', input) r
 ORDER BY n;
\pset format aligned
\pset null ''

-- An error raised directly shows the same message and hint.
SELECT 'done'::issue_state;

DROP TABLE st_issue, st_open, st_part, st_copy;
