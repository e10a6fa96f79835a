-- issuelist install script, assembled from extension/sql/*.sql in name order.
\echo Use "CREATE EXTENSION issuelist CASCADE" to load this file. \quit
-- severity: the four-level grading of an issue, general < serious < major <
-- critical.  A pass-by-value int2 (1 .. 4, see extension/severity.h).  Only
-- I/O is C of our own: comparison and hashing are PostgreSQL's int2
-- functions (LANGUAGE internal), so the type sorts, hashes and partitions
-- exactly like smallint, and they are leakproof, so row security does not
-- stop an index on it from being used.

CREATE TYPE severity;

CREATE FUNCTION severity_in(cstring) RETURNS severity
	AS 'MODULE_PATHNAME', 'severity_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION severity_in(cstring) IS
	'text input of severity: general, serious, major, critical; I..IV; 一般, 较大, 重大, 特别重大 (any case, blanks around ignored)';

CREATE FUNCTION severity_out(severity) RETURNS cstring
	AS 'MODULE_PATHNAME', 'severity_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION severity_out(severity) IS
	'text output of severity: the English word';

CREATE FUNCTION severity_recv(internal) RETURNS severity
	AS 'MODULE_PATHNAME', 'severity_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION severity_recv(internal) IS
	'binary input of severity: an int2 from 1 (general) to 4 (critical)';

CREATE FUNCTION severity_send(severity) RETURNS bytea
	AS 'MODULE_PATHNAME', 'severity_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION severity_send(severity) IS
	'binary output of severity: an int2 from 1 (general) to 4 (critical)';

CREATE TYPE severity (
	INPUT = severity_in,
	OUTPUT = severity_out,
	RECEIVE = severity_recv,
	SEND = severity_send,
	INTERNALLENGTH = 2,
	PASSEDBYVALUE,
	ALIGNMENT = int2,
	STORAGE = plain
);
COMMENT ON TYPE severity IS
	'the grading of an issue: general < serious < major < critical (grades IV..I; 一般, 较大, 重大, 特别重大)';

-- Text casts go through the input and output functions, so a cast accepts
-- and rejects exactly what the type's input does.  Both are assignment
-- casts: a text column of an import can be inserted into a severity column.
CREATE CAST (text AS severity) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS severity) IS
	'parses the text like the input of severity';
CREATE CAST (severity AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (severity AS text) IS
	'the English word of the severity';

-- Numbers and labels.

CREATE FUNCTION severity(integer) RETURNS severity
	AS 'MODULE_PATHNAME', 'severity_from_int'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION severity(integer) IS
	'the severity of rank 1 (general) .. 4 (critical); other numbers are out of range (22003)';

CREATE FUNCTION severity_rank(severity) RETURNS integer
	AS 'MODULE_PATHNAME', 'severity_rank'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION severity_rank(severity) IS
	'1 general, 2 serious, 3 major, 4 critical: a sort order for reports';

CREATE FUNCTION label_zh(severity) RETURNS text
	AS 'MODULE_PATHNAME', 'severity_label_zh'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION label_zh(severity) IS
	'the Chinese word: 一般, 较大, 重大, 特别重大';

-- Comparison: the int2 functions.

CREATE FUNCTION severity_eq(severity, severity) RETURNS boolean
	AS 'int2eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION severity_eq(severity, severity) IS 'implementation of = for severity';
CREATE FUNCTION severity_ne(severity, severity) RETURNS boolean
	AS 'int2ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION severity_ne(severity, severity) IS 'implementation of <> for severity';
CREATE FUNCTION severity_lt(severity, severity) RETURNS boolean
	AS 'int2lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION severity_lt(severity, severity) IS 'implementation of < for severity';
CREATE FUNCTION severity_le(severity, severity) RETURNS boolean
	AS 'int2le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION severity_le(severity, severity) IS 'implementation of <= for severity';
CREATE FUNCTION severity_gt(severity, severity) RETURNS boolean
	AS 'int2gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION severity_gt(severity, severity) IS 'implementation of > for severity';
CREATE FUNCTION severity_ge(severity, severity) RETURNS boolean
	AS 'int2ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION severity_ge(severity, severity) IS 'implementation of >= for severity';

CREATE FUNCTION severity_cmp(severity, severity) RETURNS integer
	AS 'btint2cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION severity_cmp(severity, severity) IS
	'btree comparison of severities: -1, 0 or 1';
CREATE FUNCTION severity_sortsupport(internal) RETURNS void
	AS 'btint2sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION severity_sortsupport(internal) IS
	'btree sort support for severity (the int2 comparator)';
CREATE FUNCTION severity_hash(severity) RETURNS integer
	AS 'hashint2' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION severity_hash(severity) IS 'hash of a severity';
CREATE FUNCTION severity_hash_extended(severity, bigint) RETURNS bigint
	AS 'hashint2extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION severity_hash_extended(severity, bigint) IS
	'64-bit seeded hash of a severity (hash partitioning)';
CREATE FUNCTION severity_smaller(severity, severity) RETURNS severity
	AS 'int2smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION severity_smaller(severity, severity) IS 'the lesser of two severities';
CREATE FUNCTION severity_larger(severity, severity) RETURNS severity
	AS 'int2larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION severity_larger(severity, severity) IS 'the graver of two severities';

CREATE OPERATOR = (
	LEFTARG = severity, RIGHTARG = severity, FUNCTION = severity_eq,
	COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR = (severity, severity) IS 'equal';
CREATE OPERATOR <> (
	LEFTARG = severity, RIGHTARG = severity, FUNCTION = severity_ne,
	COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR <> (severity, severity) IS 'not equal';
CREATE OPERATOR < (
	LEFTARG = severity, RIGHTARG = severity, FUNCTION = severity_lt,
	COMMUTATOR = >, NEGATOR = >=,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR < (severity, severity) IS 'less grave than';
CREATE OPERATOR <= (
	LEFTARG = severity, RIGHTARG = severity, FUNCTION = severity_le,
	COMMUTATOR = >=, NEGATOR = >,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR <= (severity, severity) IS 'less grave than or equal';
CREATE OPERATOR > (
	LEFTARG = severity, RIGHTARG = severity, FUNCTION = severity_gt,
	COMMUTATOR = <, NEGATOR = <=,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR > (severity, severity) IS 'graver than';
CREATE OPERATOR >= (
	LEFTARG = severity, RIGHTARG = severity, FUNCTION = severity_ge,
	COMMUTATOR = <=, NEGATOR = <,
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR >= (severity, severity) IS 'graver than or equal';

-- btequalimage: equal severities are the same bytes, so btree indexes may
-- deduplicate.
CREATE OPERATOR CLASS severity_ops DEFAULT FOR TYPE severity USING btree AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 severity_cmp(severity, severity),
	FUNCTION 2 severity_sortsupport(internal),
	FUNCTION 4 btequalimage(oid);
COMMENT ON OPERATOR FAMILY severity_ops USING btree IS 'btree operators of severity';
COMMENT ON OPERATOR CLASS severity_ops USING btree IS
	'default btree operator class of severity: general < serious < major < critical';

CREATE OPERATOR CLASS severity_ops DEFAULT FOR TYPE severity USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 severity_hash(severity),
	FUNCTION 2 severity_hash_extended(severity, bigint);
COMMENT ON OPERATOR FAMILY severity_ops USING hash IS 'hash operators of severity';
COMMENT ON OPERATOR CLASS severity_ops USING hash IS
	'default hash operator class of severity (hash joins, hash aggregation, hash partitioning)';

-- min and max: the least and the gravest severity of a set.  SORTOP lets
-- the planner answer them from a btree index.
CREATE AGGREGATE min(severity) (
	SFUNC = severity_smaller, STYPE = severity,
	COMBINEFUNC = severity_smaller, SORTOP = <, PARALLEL = SAFE
);
COMMENT ON AGGREGATE min(severity) IS 'the least grave severity of the set';
CREATE AGGREGATE max(severity) (
	SFUNC = severity_larger, STYPE = severity,
	COMBINEFUNC = severity_larger, SORTOP = >, PARALLEL = SAFE
);
COMMENT ON AGGREGATE max(severity) IS 'the gravest severity of the set';
-- issue_state: where an issue stands in the closed loop.  A pass-by-value
-- int2 numbered in the order of the loop (registered = 1 .. withdrawn = 8,
-- see extension/issue_state.h), and that is also its sort order.  As for
-- severity, only I/O and the loop are C of our own; comparison and hashing
-- are PostgreSQL's leakproof int2 functions.

CREATE TYPE issue_state;

CREATE FUNCTION issue_state_in(cstring) RETURNS issue_state
	AS 'MODULE_PATHNAME', 'issue_state_in'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION issue_state_in(cstring) IS
	'text input of issue_state: registered, assigned, rectifying, continuing, rectified, closed, reopened, withdrawn (any case, blanks around ignored)';

CREATE FUNCTION issue_state_out(issue_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'issue_state_out'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION issue_state_out(issue_state) IS
	'text output of issue_state: the English name in lower case';

CREATE FUNCTION issue_state_recv(internal) RETURNS issue_state
	AS 'MODULE_PATHNAME', 'issue_state_recv'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION issue_state_recv(internal) IS
	'binary input of issue_state: an int2 from 1 (registered) to 8 (withdrawn)';

CREATE FUNCTION issue_state_send(issue_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'issue_state_send'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION issue_state_send(issue_state) IS
	'binary output of issue_state: an int2 from 1 (registered) to 8 (withdrawn)';

CREATE TYPE issue_state (
	INPUT = issue_state_in,
	OUTPUT = issue_state_out,
	RECEIVE = issue_state_recv,
	SEND = issue_state_send,
	INTERNALLENGTH = 2,
	PASSEDBYVALUE,
	ALIGNMENT = int2,
	STORAGE = plain
);
COMMENT ON TYPE issue_state IS
	'where an issue stands in the closed loop: registered, assigned, rectifying, continuing, rectified, closed, reopened, withdrawn';

-- Text casts go through the input and output functions (see severity).
CREATE CAST (text AS issue_state) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (text AS issue_state) IS
	'parses the text like the input of issue_state';
CREATE CAST (issue_state AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (issue_state AS text) IS
	'the English name of the state';

-- The closed loop, and labels.

CREATE FUNCTION is_open(issue_state) RETURNS boolean
	AS 'MODULE_PATHNAME', 'issue_state_is_open_fn'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION is_open(issue_state) IS
	'true for every state but closed and withdrawn';

CREATE FUNCTION can_advance("from" issue_state, "to" issue_state) RETURNS boolean
	AS 'MODULE_PATHNAME', 'issue_state_can_advance'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION can_advance(issue_state, issue_state) IS
	'does the closed loop allow an issue to go from the first state to the second? (never to itself)';

CREATE FUNCTION issue_state_rank(issue_state) RETURNS integer
	AS 'MODULE_PATHNAME', 'issue_state_rank'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION issue_state_rank(issue_state) IS
	'1 registered .. 8 withdrawn, the order of the loop: a sort order for reports';

CREATE FUNCTION label_zh(issue_state) RETURNS text
	AS 'MODULE_PATHNAME', 'issue_state_label_zh'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION label_zh(issue_state) IS
	'the Chinese label: 已登记, 已交办, 整改中, 持续整改, 已整改待验收, 已销号, 反弹, 已撤销';

-- Comparison: the int2 functions.

CREATE FUNCTION issue_state_eq(issue_state, issue_state) RETURNS boolean
	AS 'int2eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION issue_state_eq(issue_state, issue_state) IS 'implementation of = for issue_state';
CREATE FUNCTION issue_state_ne(issue_state, issue_state) RETURNS boolean
	AS 'int2ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION issue_state_ne(issue_state, issue_state) IS 'implementation of <> for issue_state';
CREATE FUNCTION issue_state_lt(issue_state, issue_state) RETURNS boolean
	AS 'int2lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION issue_state_lt(issue_state, issue_state) IS 'implementation of < for issue_state';
CREATE FUNCTION issue_state_le(issue_state, issue_state) RETURNS boolean
	AS 'int2le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION issue_state_le(issue_state, issue_state) IS 'implementation of <= for issue_state';
CREATE FUNCTION issue_state_gt(issue_state, issue_state) RETURNS boolean
	AS 'int2gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION issue_state_gt(issue_state, issue_state) IS 'implementation of > for issue_state';
CREATE FUNCTION issue_state_ge(issue_state, issue_state) RETURNS boolean
	AS 'int2ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION issue_state_ge(issue_state, issue_state) IS 'implementation of >= for issue_state';

CREATE FUNCTION issue_state_cmp(issue_state, issue_state) RETURNS integer
	AS 'btint2cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION issue_state_cmp(issue_state, issue_state) IS
	'btree comparison of states: -1, 0 or 1';
CREATE FUNCTION issue_state_sortsupport(internal) RETURNS void
	AS 'btint2sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION issue_state_sortsupport(internal) IS
	'btree sort support for issue_state (the int2 comparator)';
CREATE FUNCTION issue_state_hash(issue_state) RETURNS integer
	AS 'hashint2' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION issue_state_hash(issue_state) IS 'hash of a issue_state';
CREATE FUNCTION issue_state_hash_extended(issue_state, bigint) RETURNS bigint
	AS 'hashint2extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION issue_state_hash_extended(issue_state, bigint) IS
	'64-bit seeded hash of a issue_state (hash partitioning)';

CREATE OPERATOR = (
	LEFTARG = issue_state, RIGHTARG = issue_state, FUNCTION = issue_state_eq,
	COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR = (issue_state, issue_state) IS 'equal';
CREATE OPERATOR <> (
	LEFTARG = issue_state, RIGHTARG = issue_state, FUNCTION = issue_state_ne,
	COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR <> (issue_state, issue_state) IS 'not equal';
CREATE OPERATOR < (
	LEFTARG = issue_state, RIGHTARG = issue_state, FUNCTION = issue_state_lt,
	COMMUTATOR = >, NEGATOR = >=,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR < (issue_state, issue_state) IS 'earlier in the loop';
CREATE OPERATOR <= (
	LEFTARG = issue_state, RIGHTARG = issue_state, FUNCTION = issue_state_le,
	COMMUTATOR = >=, NEGATOR = >,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR <= (issue_state, issue_state) IS 'earlier in the loop or equal';
CREATE OPERATOR > (
	LEFTARG = issue_state, RIGHTARG = issue_state, FUNCTION = issue_state_gt,
	COMMUTATOR = <, NEGATOR = <=,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR > (issue_state, issue_state) IS 'later in the loop';
CREATE OPERATOR >= (
	LEFTARG = issue_state, RIGHTARG = issue_state, FUNCTION = issue_state_ge,
	COMMUTATOR = <=, NEGATOR = <,
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR >= (issue_state, issue_state) IS 'later in the loop or equal';

-- btequalimage: equal states are the same bytes, so btree indexes may
-- deduplicate.
CREATE OPERATOR CLASS issue_state_ops DEFAULT FOR TYPE issue_state USING btree AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 issue_state_cmp(issue_state, issue_state),
	FUNCTION 2 issue_state_sortsupport(internal),
	FUNCTION 4 btequalimage(oid);
COMMENT ON OPERATOR FAMILY issue_state_ops USING btree IS 'btree operators of issue_state';
COMMENT ON OPERATOR CLASS issue_state_ops USING btree IS
	'default btree operator class of issue_state: registered < assigned < rectifying < continuing < rectified < closed < reopened < withdrawn (the order of the loop)';

CREATE OPERATOR CLASS issue_state_ops DEFAULT FOR TYPE issue_state USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 issue_state_hash(issue_state),
	FUNCTION 2 issue_state_hash_extended(issue_state, bigint);
COMMENT ON OPERATOR FAMILY issue_state_ops USING hash IS 'hash operators of issue_state';
COMMENT ON OPERATOR CLASS issue_state_ops USING hash IS
	'default hash operator class of issue_state (hash joins, hash aggregation, hash partitioning)';

-- ---------------------------------------------------------------------------
-- The type quarter: a calendar quarter, 2021Q1.  Stored by value in an int4
-- as year * 4 + quarter - 1 (see quarter.h); years 1 .. 9999.
-- ---------------------------------------------------------------------------

CREATE TYPE quarter;

CREATE FUNCTION quarter_in(cstring) RETURNS quarter
	AS 'MODULE_PATHNAME', 'quarter_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_out(quarter) RETURNS cstring
	AS 'MODULE_PATHNAME', 'quarter_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_recv(internal) RETURNS quarter
	AS 'MODULE_PATHNAME', 'quarter_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_send(quarter) RETURNS bytea
	AS 'MODULE_PATHNAME', 'quarter_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE quarter (
	INPUT = quarter_in,
	OUTPUT = quarter_out,
	RECEIVE = quarter_recv,
	SEND = quarter_send,
	INTERNALLENGTH = 4,
	PASSEDBYVALUE,
	ALIGNMENT = int4,
	STORAGE = plain
);

COMMENT ON TYPE quarter IS
	'a calendar quarter of years 1 to 9999, written 2021Q1 (input also 2021-Q1, 2021q1, 2021 Q1)';
COMMENT ON FUNCTION quarter_in(cstring) IS 'text input of quarter';
COMMENT ON FUNCTION quarter_out(quarter) IS 'text output of quarter, canonical form 2021Q1';
COMMENT ON FUNCTION quarter_recv(internal) IS 'binary input of quarter (checks the range)';
COMMENT ON FUNCTION quarter_send(quarter) IS 'binary output of quarter';

-- The text form is the one users write; casting through it keeps one parser.
CREATE CAST (quarter AS text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS quarter) WITH INOUT;
COMMENT ON CAST (quarter AS text) IS 'the canonical spelling, 2021Q1';
COMMENT ON CAST (text AS quarter) IS 'parses 2021Q1, 2021-Q1, 2021q1, 2021 Q1';

-- Dates and accessors.
CREATE FUNCTION quarter(date) RETURNS quarter
	AS 'MODULE_PATHNAME', 'quarter_from_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION lower(quarter) RETURNS date
	AS 'MODULE_PATHNAME', 'quarter_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION upper(quarter) RETURNS date
	AS 'MODULE_PATHNAME', 'quarter_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION year(quarter) RETURNS integer
	AS 'MODULE_PATHNAME', 'quarter_year' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_number(quarter) RETURNS integer
	AS 'MODULE_PATHNAME', 'quarter_number' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quarter(date) IS 'the quarter containing a date (years 1 to 9999)';
COMMENT ON FUNCTION lower(quarter) IS 'first day of the quarter';
COMMENT ON FUNCTION upper(quarter) IS 'last day of the quarter';
COMMENT ON FUNCTION year(quarter) IS 'year of the quarter';
COMMENT ON FUNCTION quarter_number(quarter) IS 'number of the quarter in its year, 1 to 4';

-- Arithmetic: quarters are consecutive integers, checked against 0001Q1 .. 9999Q4.
CREATE FUNCTION quarter_pl_int(quarter, integer) RETURNS quarter
	AS 'MODULE_PATHNAME', 'quarter_pl_int' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION int_pl_quarter(integer, quarter) RETURNS quarter
	AS 'MODULE_PATHNAME', 'int_pl_quarter' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_mi_int(quarter, integer) RETURNS quarter
	AS 'MODULE_PATHNAME', 'quarter_mi_int' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_mi_quarter(quarter, quarter) RETURNS integer
	AS 'MODULE_PATHNAME', 'quarter_mi_quarter' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quarter_pl_int(quarter, integer) IS 'the quarter n quarters later';
COMMENT ON FUNCTION int_pl_quarter(integer, quarter) IS 'the quarter n quarters later';
COMMENT ON FUNCTION quarter_mi_int(quarter, integer) IS 'the quarter n quarters earlier';
COMMENT ON FUNCTION quarter_mi_quarter(quarter, quarter) IS 'number of quarters from the second to the first';

CREATE OPERATOR + (LEFTARG = quarter, RIGHTARG = integer,
	FUNCTION = quarter_pl_int, COMMUTATOR = +);
CREATE OPERATOR + (LEFTARG = integer, RIGHTARG = quarter,
	FUNCTION = int_pl_quarter, COMMUTATOR = +);
CREATE OPERATOR - (LEFTARG = quarter, RIGHTARG = integer,
	FUNCTION = quarter_mi_int);
CREATE OPERATOR - (LEFTARG = quarter, RIGHTARG = quarter,
	FUNCTION = quarter_mi_quarter);
COMMENT ON OPERATOR + (quarter, integer) IS 'the quarter n quarters later';
COMMENT ON OPERATOR + (integer, quarter) IS 'the quarter n quarters later';
COMMENT ON OPERATOR - (quarter, integer) IS 'the quarter n quarters earlier';
COMMENT ON OPERATOR - (quarter, quarter) IS 'number of quarters from the second to the first';

-- Containment of a date.
CREATE FUNCTION quarter_contains_date(quarter, date) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_contains_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION date_contained_by_quarter(date, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'date_contained_by_quarter' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quarter_contains_date(quarter, date) IS 'whether the quarter contains the date';
COMMENT ON FUNCTION date_contained_by_quarter(date, quarter) IS 'whether the date lies in the quarter';

CREATE OPERATOR @> (LEFTARG = quarter, RIGHTARG = date,
	FUNCTION = quarter_contains_date, COMMUTATOR = <@,
	RESTRICT = contsel, JOIN = contjoinsel);
CREATE OPERATOR <@ (LEFTARG = date, RIGHTARG = quarter,
	FUNCTION = date_contained_by_quarter, COMMUTATOR = @>,
	RESTRICT = contsel, JOIN = contjoinsel);
COMMENT ON OPERATOR @> (quarter, date) IS 'quarter contains date';
COMMENT ON OPERATOR <@ (date, quarter) IS 'date is contained by quarter';

-- The series of quarters.  The support function gives the planner the exact
-- row count when the bounds are constants; ROWS is a year otherwise.
CREATE FUNCTION quarters_support(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'quarter_series_support' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarters(from_q quarter, to_q quarter) RETURNS SETOF quarter
	AS 'MODULE_PATHNAME', 'quarter_series' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 4 SUPPORT quarters_support;
COMMENT ON FUNCTION quarters_support(internal) IS 'planner support for quarters(): row estimate';
COMMENT ON FUNCTION quarters(quarter, quarter) IS
	'every quarter from from_q to to_q inclusive, in order; empty when from_q > to_q';

-- Comparison, btree and hash.
CREATE FUNCTION quarter_lt(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_le(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_eq(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_ne(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_ge(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_gt(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_cmp(quarter, quarter) RETURNS integer
	AS 'MODULE_PATHNAME', 'quarter_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_sortsupport(internal) RETURNS void
	AS 'MODULE_PATHNAME', 'quarter_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_in_range(quarter, quarter, integer, boolean, boolean) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_in_range' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_hash(quarter) RETURNS integer
	AS 'MODULE_PATHNAME', 'quarter_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_hash_extended(quarter, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'quarter_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION quarter_lt(quarter, quarter) IS 'implementation of < for quarter';
COMMENT ON FUNCTION quarter_le(quarter, quarter) IS 'implementation of <= for quarter';
COMMENT ON FUNCTION quarter_eq(quarter, quarter) IS 'implementation of = for quarter';
COMMENT ON FUNCTION quarter_ne(quarter, quarter) IS 'implementation of <> for quarter';
COMMENT ON FUNCTION quarter_ge(quarter, quarter) IS 'implementation of >= for quarter';
COMMENT ON FUNCTION quarter_gt(quarter, quarter) IS 'implementation of > for quarter';
COMMENT ON FUNCTION quarter_cmp(quarter, quarter) IS 'btree comparison of quarters: -1, 0 or 1';
COMMENT ON FUNCTION quarter_sortsupport(internal) IS 'btree sort support for quarter';
COMMENT ON FUNCTION quarter_in_range(quarter, quarter, integer, boolean, boolean) IS
	'btree in_range support for quarter: window frames RANGE n PRECEDING/FOLLOWING, n in quarters';
COMMENT ON FUNCTION quarter_hash(quarter) IS 'hash of a quarter';
COMMENT ON FUNCTION quarter_hash_extended(quarter, bigint) IS 'seeded 64-bit hash of a quarter';

CREATE OPERATOR < (LEFTARG = quarter, RIGHTARG = quarter, FUNCTION = quarter_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = quarter, RIGHTARG = quarter, FUNCTION = quarter_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR = (LEFTARG = quarter, RIGHTARG = quarter, FUNCTION = quarter_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = quarter, RIGHTARG = quarter, FUNCTION = quarter_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR >= (LEFTARG = quarter, RIGHTARG = quarter, FUNCTION = quarter_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR > (LEFTARG = quarter, RIGHTARG = quarter, FUNCTION = quarter_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
COMMENT ON OPERATOR < (quarter, quarter) IS 'earlier than';
COMMENT ON OPERATOR <= (quarter, quarter) IS 'earlier than or equal';
COMMENT ON OPERATOR = (quarter, quarter) IS 'equal';
COMMENT ON OPERATOR <> (quarter, quarter) IS 'not equal';
COMMENT ON OPERATOR >= (quarter, quarter) IS 'later than or equal';
COMMENT ON OPERATOR > (quarter, quarter) IS 'later than';

CREATE OPERATOR CLASS quarter_ops DEFAULT FOR TYPE quarter USING btree AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 quarter_cmp(quarter, quarter),
	FUNCTION 2 quarter_sortsupport(internal),
	FUNCTION 3 quarter_in_range(quarter, quarter, integer, boolean, boolean),
	-- Equal quarters are bitwise equal, so btree may deduplicate them.
	FUNCTION 4 btequalimage(oid);
CREATE OPERATOR CLASS quarter_ops DEFAULT FOR TYPE quarter USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 quarter_hash(quarter),
	FUNCTION 2 quarter_hash_extended(quarter, bigint);
COMMENT ON OPERATOR FAMILY quarter_ops USING btree IS 'btree operators of quarter';
COMMENT ON OPERATOR CLASS quarter_ops USING btree IS 'default btree operator class of quarter: chronological order';
COMMENT ON OPERATOR FAMILY quarter_ops USING hash IS 'hash operators of quarter';
COMMENT ON OPERATOR CLASS quarter_ops USING hash IS 'default hash operator class of quarter';

-- min and max, so "the latest quarter" is an aggregate (and an index probe).
CREATE FUNCTION quarter_smaller(quarter, quarter) RETURNS quarter
	AS 'MODULE_PATHNAME', 'quarter_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_larger(quarter, quarter) RETURNS quarter
	AS 'MODULE_PATHNAME', 'quarter_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE min(quarter) (SFUNC = quarter_smaller, STYPE = quarter,
	COMBINEFUNC = quarter_smaller, SORTOP = <, PARALLEL = SAFE);
CREATE AGGREGATE max(quarter) (SFUNC = quarter_larger, STYPE = quarter,
	COMBINEFUNC = quarter_larger, SORTOP = >, PARALLEL = SAFE);
COMMENT ON FUNCTION quarter_smaller(quarter, quarter) IS 'the earlier of two quarters';
COMMENT ON FUNCTION quarter_larger(quarter, quarter) IS 'the later of two quarters';
COMMENT ON AGGREGATE min(quarter) IS 'the earliest quarter';
COMMENT ON AGGREGATE max(quarter) IS 'the latest quarter';

-- ---------------------------------------------------------------------------
-- The closed loop: roles.  Roles are cluster-wide, so they are made only
-- when missing and they outlive DROP EXTENSION (a second database, or a
-- restore, finds them in place).  None can log in: the operator grants them
-- to logins, and grant_org() ties each login to an org subtree.
--   issuelist_admin     everything, in every org
--   issuelist_editor    works its subtree's issues up to rectified
--   issuelist_verifier  accepts and closes, refuses, reopens, withdraws,
--                       extends deadlines and records tolerance in its subtree
--   issuelist_auditor   reads everything, writes nothing
--   issuelist_reader    BI: the reporting views only, nothing here
-- See docs/roles-and-security.md.
-- ---------------------------------------------------------------------------

DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['issuelist_admin', 'issuelist_editor',
							 'issuelist_verifier', 'issuelist_auditor',
							 'issuelist_reader']
	LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
END $$;

COMMENT ON ROLE issuelist_admin IS
	'issuelist: province level, everything in every organization';
COMMENT ON ROLE issuelist_editor IS
	'issuelist: works the issues of its org subtree up to rectified (registers, assigns, rectifies); never closes';
COMMENT ON ROLE issuelist_verifier IS
	'issuelist: the supervising level; closes, refuses acceptance, reopens, withdraws, extends deadlines, records tolerance in its org subtree';
COMMENT ON ROLE issuelist_auditor IS
	'issuelist: reads everything, including the full history; writes nothing';
COMMENT ON ROLE issuelist_reader IS
	'issuelist: BI tools; the reporting views only';

-- ---------------------------------------------------------------------------
-- The closed loop: tables.  docs/data-model.md describes each one.
--
-- Every table holds data the user cannot lose, so every one is registered
-- with pg_extension_config_dump (at the end of this file): pg_dump dumps
-- their rows although the tables themselves belong to the extension.
-- ---------------------------------------------------------------------------

-- The level of an organization in the hierarchy, 1 (province) to 4
-- (township); NULL for anything else.
CREATE FUNCTION org_level_rank(level text) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE level WHEN 'province' THEN 1 WHEN 'city' THEN 2
		   WHEN 'county' THEN 3 WHEN 'township' THEN 4 END;
END;
COMMENT ON FUNCTION org_level_rank(text) IS
	'1 province, 2 city, 3 county, 4 township; NULL for an unknown level';

CREATE TABLE org (
	code text PRIMARY KEY
		CONSTRAINT org_code_is_a_label CHECK (code ~ '^[A-Za-z0-9_]{1,64}$'),
	name text NOT NULL CHECK (btrim(name) <> ''),
	name_zh text,
	-- Not a foreign key: pg_dump warns about every table that references
	-- itself.  add_org() checks the parent, and nobody may delete an
	-- organization (no DELETE privilege; issues refer to it).
	parent text,
	level text NOT NULL
		CONSTRAINT org_level_known CHECK (org_level_rank(level) IS NOT NULL),
	kind text,
	path ltree NOT NULL UNIQUE
);
CREATE INDEX org_path ON org USING gist (path);
CREATE INDEX org_parent ON org (parent);
COMMENT ON TABLE org IS
	'the organizations, a hierarchy province > city > county > township; add with add_org()';
COMMENT ON COLUMN org.code IS
	'the organization''s code (GB/T 2260 for the sample province): letters, digits, underscore';
COMMENT ON COLUMN org.name IS 'name';
COMMENT ON COLUMN org.name_zh IS 'Chinese name';
COMMENT ON COLUMN org.parent IS 'the organization above (NULL at the top)';
COMMENT ON COLUMN org.level IS 'province, city, county or township';
COMMENT ON COLUMN org.kind IS
	'what the organization is within its level (district, county, county-level city...); free text';
COMMENT ON COLUMN org.path IS
	'codes from the top down (ltree), maintained by add_org(): subtree queries and row security use it';

-- The lists.  At most 16: position is 1 to 16 and unique.  The unique
-- position is checked at commit, so a restore may swap two built-in lists.
CREATE TABLE list (
	code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
	position smallint NOT NULL
		CONSTRAINT list_at_most_16 CHECK (position BETWEEN 1 AND 16),
	name text NOT NULL CHECK (btrim(name) <> ''),
	name_zh text,
	scope text,
	prefix text NOT NULL UNIQUE
		CONSTRAINT list_prefix_letters CHECK (prefix ~ '^[A-Z][A-Z0-9]{1,7}$'),
	builtin boolean NOT NULL DEFAULT false,
	CONSTRAINT list_position_key UNIQUE (position) DEFERRABLE INITIALLY DEFERRED
);
COMMENT ON TABLE list IS
	'the issue lists (at most 16), seeded with the seven lists; configuration kept by pg_dump';
COMMENT ON COLUMN list.code IS 'the list''s code: lower-case letters, digits, underscore';
COMMENT ON COLUMN list.position IS 'order in reports, 1 to 16 (hence at most 16 lists)';
COMMENT ON COLUMN list.name IS 'name';
COMMENT ON COLUMN list.name_zh IS 'Chinese name';
COMMENT ON COLUMN list.scope IS 'what the list holds';
COMMENT ON COLUMN list.prefix IS
	'prefix of its issues'' codes (AUD in AUD-2021-000123): 2 to 8 capitals and digits';
COMMENT ON COLUMN list.builtin IS
	'shipped with the extension; a row inserted with the same code replaces it (this is how a restore brings back edited built-in rows)';

-- A restore (pg_dump keeps every row of a configuration table) inserts rows
-- that CREATE EXTENSION has already seeded.  Such an insert replaces the
-- built-in row instead of failing, so edits to built-in rows survive.
-- TG_ARGV names the key columns.
CREATE FUNCTION replace_builtin_row() RETURNS trigger
	LANGUAGE plpgsql AS $$
DECLARE
	key_match text;
	assignments text;
	replaced bigint;
BEGIN
	SELECT string_agg(format('%I = ($1).%I', k, k), ' AND ')
	  INTO key_match FROM unnest(TG_ARGV) k;
	SELECT string_agg(format('%I = ($1).%I', a.attname, a.attname), ', ')
	  INTO assignments
	  FROM pg_catalog.pg_attribute a
	 WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
	   AND a.attname <> 'builtin';
	EXECUTE format('UPDATE %I.%I SET %s WHERE builtin AND %s',
				   TG_TABLE_SCHEMA, TG_TABLE_NAME, assignments, key_match)
		USING NEW;
	GET DIAGNOSTICS replaced = ROW_COUNT;
	IF replaced > 0 THEN
		RETURN NULL;
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION replace_builtin_row() IS
	'trigger: an insert whose key (the trigger''s arguments) matches a built-in row updates that row instead';

CREATE TRIGGER list_replace_builtin BEFORE INSERT ON list
	FOR EACH ROW EXECUTE FUNCTION replace_builtin_row('code');
COMMENT ON TRIGGER list_replace_builtin ON list IS
	'a row with the code of a built-in list replaces it (restore of edited built-in rows)';

-- The seven lists, from data/seven-lists.csv (the reference data of the
-- provincial "seven lists of issues"), with our code prefixes.
INSERT INTO list (position, code, name, name_zh, scope, prefix, builtin) VALUES
	(1, 'inspection', 'Inspection tours', '巡视巡察',
	 'Problems fed back by central inspection tours and provincial, city and county inspections', 'INS', true),
	(2, 'supervision', 'Supervision', '督查',
	 'Problems found by State Council major supervision and Party and government supervision', 'SUP', true),
	(3, 'eco_inspection', 'Environmental protection inspection', '生态环境保护督察',
	 'Problems and public complaints passed on by central and provincial environmental protection inspections', 'ECO', true),
	(4, 'audit', 'Audit', '审计',
	 'Findings of the national annual audit and local audits, including economic responsibility audits of chief officials', 'AUD', true),
	(5, 'safety', 'Major security risks', '重大安全风险',
	 'Major security risks, production safety accidents and hazards, natural disasters', 'SAF', true),
	(6, 'public_opinion', 'Online public opinion', '网络舆情',
	 'Major online public opinion incidents', 'OPN', true),
	(7, 'complaints', 'Public complaints', '信访投诉',
	 'Major petitions and public complaints', 'CMP', true);

-- Deadlines by list and severity.  A list without rows here uses the
-- defaults of default_deadline_days().
CREATE TABLE deadline_policy (
	list text NOT NULL REFERENCES list,
	severity severity NOT NULL,
	days integer NOT NULL CHECK (days BETWEEN 1 AND 3650),
	builtin boolean NOT NULL DEFAULT false,
	PRIMARY KEY (list, severity)
);
COMMENT ON TABLE deadline_policy IS
	'days from the found day to the due day, by list and severity; configuration kept by pg_dump';
COMMENT ON COLUMN deadline_policy.list IS 'the list';
COMMENT ON COLUMN deadline_policy.severity IS 'the severity';
COMMENT ON COLUMN deadline_policy.days IS 'days allowed, 1 to 3650';
COMMENT ON COLUMN deadline_policy.builtin IS
	'shipped with the extension; a row inserted with the same list and severity replaces it';

CREATE TRIGGER deadline_policy_replace_builtin BEFORE INSERT ON deadline_policy
	FOR EACH ROW EXECUTE FUNCTION replace_builtin_row('list', 'severity');
COMMENT ON TRIGGER deadline_policy_replace_builtin ON deadline_policy IS
	'a row with the key of a built-in row replaces it (restore of edited built-in rows)';

-- The default deadlines of DESIGN: 30 days critical, 60 major, 90 serious,
-- 180 general.
CREATE FUNCTION default_deadline_days(severity severity) RETURNS integer
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT (ARRAY[180, 90, 60, 30])[severity_rank(severity)];
END;
COMMENT ON FUNCTION default_deadline_days(severity) IS
	'the default days to the due day: 180 general, 90 serious, 60 major, 30 critical';

INSERT INTO deadline_policy (list, severity, days, builtin)
	SELECT l.code, s, default_deadline_days(s), true
	  FROM list l,
		   unnest(ARRAY['general', 'serious', 'major', 'critical']::severity[]) s;

-- The deadline of an issue found on a day: the policy, else the default.
CREATE FUNCTION policy_due_on(list text, severity severity, found_on date)
	RETURNS date
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT found_on + coalesce((SELECT p.days FROM deadline_policy p
								 WHERE p.list = policy_due_on.list
								   AND p.severity = policy_due_on.severity),
							   default_deadline_days(severity));
END;
COMMENT ON FUNCTION policy_due_on(text, severity, date) IS
	'the due day of an issue of a list and severity found on a day, from deadline_policy (or the defaults)';

CREATE TABLE official (
	name text NOT NULL CHECK (btrim(name) <> ''),
	org text NOT NULL REFERENCES org,
	post text,
	PRIMARY KEY (org, name)
);
COMMENT ON TABLE official IS
	'the responsible officials, each tied to an organization; register_issue() adds one on first use';
COMMENT ON COLUMN official.name IS 'the official''s name, unique within the organization';
COMMENT ON COLUMN official.org IS 'the organization';
COMMENT ON COLUMN official.post IS 'the post held (county Party secretary...)';

CREATE TABLE org_member (
	login name NOT NULL,
	org text NOT NULL REFERENCES org,
	granted_at timestamptz NOT NULL DEFAULT now(),
	granted_by name NOT NULL,
	PRIMARY KEY (login, org)
);
COMMENT ON TABLE org_member IS
	'which login works on which org subtree (grant_org, revoke_org); row security reads it';
COMMENT ON COLUMN org_member.login IS 'the login (a role name)';
COMMENT ON COLUMN org_member.org IS 'the top of the subtree the login works on';
COMMENT ON COLUMN org_member.granted_at IS 'when it was granted';
COMMENT ON COLUMN org_member.granted_by IS 'who granted it';

-- The last number of each list and year's issue codes.  An upsert on this
-- row hands out the next number: the row lock makes it safe under
-- concurrency, and a rolled-back registration leaves no gap.
CREATE TABLE issue_counter (
	list text NOT NULL REFERENCES list,
	year integer NOT NULL,
	last_number bigint NOT NULL CHECK (last_number >= 0),
	PRIMARY KEY (list, year)
);
COMMENT ON TABLE issue_counter IS
	'the last number given to an issue code, per list and year';
COMMENT ON COLUMN issue_counter.list IS 'the list';
COMMENT ON COLUMN issue_counter.year IS 'the year the issues were found';
COMMENT ON COLUMN issue_counter.last_number IS 'the last number handed out';

-- The code of an issue: list prefix, year, number of at least 6 digits.
CREATE FUNCTION issue_code(prefix text, year integer, number bigint) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT prefix || '-' || year || '-'
		|| lpad(number::text, greatest(6, length(number::text)), '0');
END;
COMMENT ON FUNCTION issue_code(text, integer, bigint) IS
	'an issue code, as AUD-2021-000123: prefix, year, number of at least 6 digits';

-- An issue.  Its state, due day, closed day, reopen count and tolerance are
-- those after its last event: the history (issue_event) is the record, this
-- row is the current snapshot.
CREATE TABLE issue (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE,
	list text NOT NULL REFERENCES list,
	source text,
	org text NOT NULL REFERENCES org,
	official text,
	title text NOT NULL CHECK (btrim(title) <> ''),
	detail text,
	severity severity NOT NULL,
	origin text NOT NULL
		CONSTRAINT issue_origin_known CHECK (origin IN ('self', 'external', 'concealed')),
	state issue_state NOT NULL DEFAULT 'registered',
	found_on date NOT NULL,
	due_on date NOT NULL,
	closed_on date,
	reopen_count integer NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
	tags text[] NOT NULL DEFAULT '{}',
	tolerated_until date,
	CONSTRAINT issue_due_after_found CHECK (due_on >= found_on),
	CONSTRAINT issue_closed_on_iff_closed
		CHECK ((closed_on IS NOT NULL) = NOT is_open(state)),
	CONSTRAINT issue_closed_after_found CHECK (closed_on >= found_on),
	FOREIGN KEY (org, official) REFERENCES official (org, name)
);
CREATE INDEX issue_org ON issue (org);
CREATE INDEX issue_official ON issue (official);
COMMENT ON TABLE issue IS
	'the issues, as they stand now (the history is in issue_event); written only by the workflow functions';
COMMENT ON COLUMN issue.id IS 'internal number';
COMMENT ON COLUMN issue.code IS 'the issue''s code, as AUD-2021-000123 (list prefix, year found, number)';
COMMENT ON COLUMN issue.list IS 'the list';
COMMENT ON COLUMN issue.source IS 'which inspection, audit or round found it';
COMMENT ON COLUMN issue.org IS 'the organization that owns it';
COMMENT ON COLUMN issue.official IS 'the responsible official (of the same organization)';
COMMENT ON COLUMN issue.title IS 'what the problem is, in one line';
COMMENT ON COLUMN issue.detail IS 'the full description';
COMMENT ON COLUMN issue.severity IS 'general, serious, major or critical';
COMMENT ON COLUMN issue.origin IS
	'how it came to light: self (own inspection), external (a higher level or outside body), concealed (found by others after it was hidden)';
COMMENT ON COLUMN issue.state IS 'the state after the last event';
COMMENT ON COLUMN issue.found_on IS 'the day it was found';
COMMENT ON COLUMN issue.due_on IS 'the due day, including every extension';
COMMENT ON COLUMN issue.closed_on IS 'the day it was closed or withdrawn; NULL while open';
COMMENT ON COLUMN issue.reopen_count IS 'how many times it went from closed to reopened';
COMMENT ON COLUMN issue.tags IS 'free tags';
COMMENT ON COLUMN issue.tolerated_until IS
	'tolerance: the last day it holds (infinity: no end); NULL if never tolerated';

-- The history: one row per change, never updated or deleted.  Each row also
-- carries the issue's snapshot after the change (state .. tolerated_until),
-- so the issue as of day T is simply its last event with on_date <= T; the
-- unique index (issue, seq) carries those columns so that lookup reads the
-- index alone.
CREATE TABLE issue_event (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	issue bigint NOT NULL REFERENCES issue,
	seq integer NOT NULL CHECK (seq >= 1),
	org text NOT NULL,
	on_date date NOT NULL,
	recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor name NOT NULL,
	role name NOT NULL,
	event text NOT NULL,
	from_state issue_state,
	to_state issue_state,
	note text,
	state issue_state NOT NULL,
	due_on date NOT NULL,
	reopen_count integer NOT NULL CHECK (reopen_count >= 0),
	closed_on date,
	tolerated_until date,
	CONSTRAINT issue_event_seq UNIQUE (issue, seq)
		INCLUDE (on_date, state, due_on, reopen_count, closed_on, tolerated_until),
	-- Even a direct insert cannot record a step outside the closed loop.
	CONSTRAINT issue_event_follows_loop CHECK (
		CASE event
			WHEN 'registered' THEN seq = 1 AND from_state IS NULL
				AND to_state = 'registered' AND state = 'registered'
			WHEN 'transition' THEN can_advance(from_state, to_state)
				AND state = to_state
			WHEN 'extension' THEN from_state IS NULL AND to_state IS NULL
			WHEN 'tolerance' THEN from_state IS NULL AND to_state IS NULL
				AND tolerated_until IS NOT NULL
		END),
	CONSTRAINT issue_event_closed_on_iff_closed
		CHECK ((closed_on IS NOT NULL) = NOT is_open(state))
);
COMMENT ON TABLE issue_event IS
	'the append-only history of every issue: one row per change (UPDATE, DELETE and TRUNCATE fail), with the issue''s snapshot after it';
COMMENT ON COLUMN issue_event.id IS 'internal number';
COMMENT ON COLUMN issue_event.issue IS 'the issue (issue.id)';
COMMENT ON COLUMN issue_event.seq IS 'the event''s number within its issue, 1, 2, 3...';
COMMENT ON COLUMN issue_event.org IS 'the issue''s organization (row security reads it)';
COMMENT ON COLUMN issue_event.on_date IS
	'the effective day: may be in the past, never before the issue''s previous event';
COMMENT ON COLUMN issue_event.recorded_at IS 'the wall-clock time it was recorded';
COMMENT ON COLUMN issue_event.actor IS 'the login who made the change';
COMMENT ON COLUMN issue_event.role IS 'the issuelist role the login acted as';
COMMENT ON COLUMN issue_event.event IS 'registered, transition, extension or tolerance';
COMMENT ON COLUMN issue_event.from_state IS 'a transition''s state before';
COMMENT ON COLUMN issue_event.to_state IS 'a transition''s state after (registered for the registration)';
COMMENT ON COLUMN issue_event.note IS 'the note or reason given';
COMMENT ON COLUMN issue_event.state IS 'the issue''s state after the event';
COMMENT ON COLUMN issue_event.due_on IS 'the issue''s due day after the event';
COMMENT ON COLUMN issue_event.reopen_count IS 'the issue''s reopen count after the event';
COMMENT ON COLUMN issue_event.closed_on IS 'the issue''s closed day after the event';
COMMENT ON COLUMN issue_event.tolerated_until IS
	'after the event, the last day of the latest-ending tolerance so far (infinity: no end)';

CREATE TABLE tolerance (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	issue bigint NOT NULL REFERENCES issue,
	org text NOT NULL,
	from_on date NOT NULL,
	until_on date,
	reason text NOT NULL CHECK (btrim(reason) <> ''),
	requester name NOT NULL,
	approved_by text NOT NULL,
	recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	CONSTRAINT tolerance_four_eyes CHECK (approved_by <> requester::text),
	CONSTRAINT tolerance_until_after_from CHECK (until_on >= from_on)
);
CREATE INDEX tolerance_issue ON tolerance (issue);
COMMENT ON TABLE tolerance IS
	'tolerance records (append-only): the issue is exempt from the score from from_on through until_on';
COMMENT ON COLUMN tolerance.id IS 'internal number';
COMMENT ON COLUMN tolerance.issue IS 'the issue (issue.id)';
COMMENT ON COLUMN tolerance.org IS 'the issue''s organization (row security reads it)';
COMMENT ON COLUMN tolerance.from_on IS 'the first day it holds';
COMMENT ON COLUMN tolerance.until_on IS 'the last day it holds; NULL: for ever';
COMMENT ON COLUMN tolerance.reason IS 'why, after review';
COMMENT ON COLUMN tolerance.requester IS 'the login who recorded it';
COMMENT ON COLUMN tolerance.approved_by IS 'who approved it: never the requester';
COMMENT ON COLUMN tolerance.recorded_at IS 'the wall-clock time it was recorded';

CREATE TABLE indicator (
	org text NOT NULL REFERENCES org,
	q quarter NOT NULL,
	name text NOT NULL CHECK (btrim(name) <> ''),
	value float8 NOT NULL,
	PRIMARY KEY (org, q, name)
);
COMMENT ON TABLE indicator IS
	'other indicators per organization and quarter (population, a digital reform grade...) for the comprehensive evaluation';
COMMENT ON COLUMN indicator.org IS 'the organization';
COMMENT ON COLUMN indicator.q IS 'the quarter';
COMMENT ON COLUMN indicator.name IS 'the indicator';
COMMENT ON COLUMN indicator.value IS 'its value';

-- pg_dump keeps every row of these (see the top of this file), and the
-- values of the sequences behind their identity columns.  One call per
-- statement: each call rewrites the extension's catalog row.
SELECT pg_catalog.pg_extension_config_dump('org', '');
SELECT pg_catalog.pg_extension_config_dump('list', '');
SELECT pg_catalog.pg_extension_config_dump('deadline_policy', '');
SELECT pg_catalog.pg_extension_config_dump('official', '');
SELECT pg_catalog.pg_extension_config_dump('org_member', '');
SELECT pg_catalog.pg_extension_config_dump('issue_counter', '');
SELECT pg_catalog.pg_extension_config_dump('issue', '');
SELECT pg_catalog.pg_extension_config_dump('issue_event', '');
SELECT pg_catalog.pg_extension_config_dump('tolerance', '');
SELECT pg_catalog.pg_extension_config_dump('indicator', '');
SELECT pg_catalog.pg_extension_config_dump('issue_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('issue_event_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('tolerance_id_seq', '');

-- ---------------------------------------------------------------------------
-- The closed loop: who is acting, the hierarchy, and who works on which
-- subtree.  docs/roles-and-security.md.
-- ---------------------------------------------------------------------------

-- The login on whose behalf we act.  Inside a SECURITY DEFINER function
-- current_user is the function's owner, but the role GUC still holds what
-- the caller set with SET ROLE (checked by PostgreSQL against membership, so
-- it cannot be forged), and session_user is the login otherwise.
CREATE FUNCTION acting_login() RETURNS name
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE pg_catalog.current_setting('role')
		   WHEN 'none' THEN session_user
		   ELSE pg_catalog.current_setting('role')::name END;
END;
COMMENT ON FUNCTION acting_login() IS
	'the login acting: the role set by SET ROLE, else the session user (also inside SECURITY DEFINER functions)';

-- The issuelist role a login acts as for a step open to some roles:
-- issuelist_admin when it holds it, else the first of those it holds.
CREATE FUNCTION acting_role(login name, allowed name[]) RETURNS name
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT a.r
	  FROM unnest('{issuelist_admin}'::name[] || allowed) WITH ORDINALITY AS a(r, k)
	 WHERE pg_catalog.pg_has_role(login, a.r, 'USAGE')
	 ORDER BY a.k
	 LIMIT 1;
END;
COMMENT ON FUNCTION acting_role(name, name[]) IS
	'the role a login acts as for a step open to the given roles: issuelist_admin if it holds it, else the first given role it holds; NULL if none';

-- The organizations of the subtrees a login was granted with grant_org().
-- Row security calls it once per query (as an InitPlan).
CREATE FUNCTION visible_orgs(login name) RETURNS text[]
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT coalesce(array_agg(o.code ORDER BY o.code), '{}')
	  FROM org o
	 WHERE EXISTS (SELECT FROM org_member m JOIN org top ON top.code = m.org
				   WHERE m.login = visible_orgs.login AND o.path <@ top.path);
END;
COMMENT ON FUNCTION visible_orgs(name) IS
	'the codes of every organization in the subtrees granted to a login (grant_org)';

-- May the login work on (or see) this organization's issues?  An admin or
-- an auditor (when reading) covers everything; others their subtrees.
CREATE FUNCTION covers(login name, org text, roles_everywhere name[]) RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT EXISTS (SELECT FROM unnest(roles_everywhere) r
				   WHERE pg_catalog.pg_has_role(login, r, 'USAGE'))
		OR org = ANY (visible_orgs(login));
END;
COMMENT ON FUNCTION covers(name, text, name[]) IS
	'true when the login holds one of the given roles, or the organization is in its subtrees';

-- Fail unless the login holds one of the roles a step needs (or admin).
CREATE FUNCTION require_role(login name, allowed name[], step text) RETURNS name
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	r name := acting_role(login, allowed);
BEGIN
	IF r IS NULL THEN
		RAISE EXCEPTION 'login "%" may not %', login, step
			USING ERRCODE = 'insufficient_privilege',
				  HINT = format('This needs the role %s or issuelist_admin.',
								array_to_string(allowed, ' or '));
	END IF;
	RETURN r;
END $$;
COMMENT ON FUNCTION require_role(name, name[], text) IS
	'the role the login acts as for a step (see acting_role); error 42501 naming the step when it holds none';

-- Fail unless the organization exists (IL005).
CREATE FUNCTION require_org(org text) RETURNS org
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	o org;
BEGIN
	SELECT * INTO o FROM org WHERE org.code = require_org.org;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown organization "%"', coalesce(org, 'NULL')
			USING ERRCODE = 'IL005',
				  HINT = CASE WHEN NOT EXISTS (SELECT FROM org)
						 THEN 'There are no organizations yet: add them with add_org() or load_sample_province().'
						 ELSE 'The organizations are listed in issuelist.org.' END;
	END IF;
	RETURN o;
END $$;
COMMENT ON FUNCTION require_org(text) IS
	'the organization with this code; error IL005 when there is none';

CREATE FUNCTION add_org(code text, name text, parent text, level text,
						name_zh text DEFAULT NULL) RETURNS ltree
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	above org;
	new_path ltree;
BEGIN
	PERFORM require_role(acting_login(), '{}', 'add organizations');
	IF code IS NULL OR code !~ '^[A-Za-z0-9_]{1,64}$' THEN
		RAISE EXCEPTION 'invalid organization code "%"', coalesce(code, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'A code is 1 to 64 letters, digits or underscores.';
	END IF;
	IF name IS NULL OR btrim(name) = '' THEN
		RAISE EXCEPTION 'organization % needs a name', code
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF org_level_rank(level) IS NULL THEN
		RAISE EXCEPTION 'unknown organization level "%"', coalesce(level, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The levels are province, city, county and township.';
	END IF;
	IF EXISTS (SELECT FROM org o WHERE o.code = add_org.code) THEN
		RAISE EXCEPTION 'organization % already exists', code
			USING ERRCODE = 'unique_violation';
	END IF;
	IF parent IS NULL THEN
		new_path := text2ltree(code);
	ELSE
		above := require_org(parent);
		IF org_level_rank(above.level) >= org_level_rank(level) THEN
			RAISE EXCEPTION 'a % cannot be under the % %', level, above.level, above.code
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'The levels go province > city > county > township.';
		END IF;
		new_path := above.path || text2ltree(code);
	END IF;
	INSERT INTO org (code, name, name_zh, parent, level, path)
		VALUES (add_org.code, add_org.name, add_org.name_zh, add_org.parent,
				add_org.level, new_path);
	RETURN new_path;
END $$;
COMMENT ON FUNCTION add_org(text, text, text, text, text) IS
	'add an organization under a parent (NULL for the top) at a lower level; returns its path (issuelist_admin)';

CREATE FUNCTION grant_org(login name, org text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	PERFORM require_role(acting_login(), '{}', 'grant organizations');
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = grant_org.login) THEN
		RAISE EXCEPTION 'role "%" does not exist', coalesce(login, 'NULL')
			USING ERRCODE = 'undefined_object';
	END IF;
	PERFORM require_org(org);
	INSERT INTO org_member (login, org, granted_by)
		VALUES (grant_org.login, grant_org.org, acting_login())
		ON CONFLICT DO NOTHING;
END $$;
COMMENT ON FUNCTION grant_org(name, text) IS
	'let a login work on an organization''s subtree (issuelist_admin); granting twice is harmless';

CREATE FUNCTION revoke_org(login name, org text) RETURNS boolean
	LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	PERFORM require_role(acting_login(), '{}', 'revoke organizations');
	DELETE FROM org_member m WHERE m.login = revoke_org.login AND m.org = revoke_org.org;
	RETURN FOUND;
END $$;
COMMENT ON FUNCTION revoke_org(name, text) IS
	'take back grant_org(login, org) (issuelist_admin); false when there was nothing to take back';

CREATE FUNCTION subtree(org text) RETURNS SETOF text
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 20 AS $$
DECLARE
	top org := require_org(org);
BEGIN
	RETURN QUERY SELECT o.code FROM org o WHERE o.path <@ top.path ORDER BY o.path;
END $$;
COMMENT ON FUNCTION subtree(text) IS
	'the codes of an organization and of everything under it, top down; error IL005 for an unknown one';

-- ---------------------------------------------------------------------------
-- The closed loop: the history is append-only.  UPDATE, DELETE and TRUNCATE
-- of issue_event and tolerance fail for every role, the owner and superusers
-- included; the triggers fire ALWAYS, so session_replication_role = replica
-- does not skip them either.  Removing them takes DDL (ALTER TABLE ...
-- DISABLE TRIGGER), which only a superuser can do and which is logged as
-- such with log_statement = ddl.
-- ---------------------------------------------------------------------------

CREATE FUNCTION refuse_history_change() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'IL010',
			  HINT = 'The history is never changed; record a new event (advance, extend_deadline, tolerate).';
END $$;
COMMENT ON FUNCTION refuse_history_change() IS
	'trigger: fails every UPDATE, DELETE and TRUNCATE of the history (SQLSTATE IL010)';

CREATE TRIGGER issue_event_append_only BEFORE UPDATE OR DELETE ON issue_event
	FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER issue_event_no_truncate BEFORE TRUNCATE ON issue_event
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER tolerance_append_only BEFORE UPDATE OR DELETE ON tolerance
	FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER tolerance_no_truncate BEFORE TRUNCATE ON tolerance
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
ALTER TABLE issue_event ENABLE ALWAYS TRIGGER issue_event_append_only;
ALTER TABLE issue_event ENABLE ALWAYS TRIGGER issue_event_no_truncate;
ALTER TABLE tolerance ENABLE ALWAYS TRIGGER tolerance_append_only;
ALTER TABLE tolerance ENABLE ALWAYS TRIGGER tolerance_no_truncate;
COMMENT ON TRIGGER issue_event_append_only ON issue_event IS 'the history is never updated or deleted';
COMMENT ON TRIGGER issue_event_no_truncate ON issue_event IS 'the history is never truncated';
COMMENT ON TRIGGER tolerance_append_only ON tolerance IS 'tolerance records are never updated or deleted';
COMMENT ON TRIGGER tolerance_no_truncate ON tolerance IS 'tolerance records are never truncated';

-- The issue with this code, as the caller may see it (row security applies
-- to the caller); error IL003 when there is none.
CREATE FUNCTION require_issue_id(code text) RETURNS bigint
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	found_id bigint;
BEGIN
	SELECT i.id INTO found_id FROM issue i WHERE i.code = require_issue_id.code;
	IF found_id IS NULL THEN
		RAISE EXCEPTION 'unknown issue "%"', coalesce(code, 'NULL')
			USING ERRCODE = 'IL003';
	END IF;
	RETURN found_id;
END $$;
COMMENT ON FUNCTION require_issue_id(text) IS
	'the id of the issue with this code that the caller can see; error IL003 when there is none';

CREATE FUNCTION history(code text)
	RETURNS TABLE (day date, recorded_at timestamptz, actor name, role name,
				   event text, from_state issue_state, to_state issue_state,
				   due_on date, note text)
	LANGUAGE plpgsql STABLE ROWS 8 AS $$
DECLARE
	issue_id bigint := require_issue_id(code);
BEGIN
	RETURN QUERY
		SELECT e.on_date, e.recorded_at, e.actor, e.role, e.event,
			   e.from_state, e.to_state, e.due_on, e.note
		  FROM issue_event e
		 WHERE e.issue = issue_id
		 ORDER BY e.seq;
END $$;
COMMENT ON FUNCTION history(text) IS
	'an issue''s events in order: effective day, wall-clock time, login, role acted as, event, states, due day after it, note';

-- ---------------------------------------------------------------------------
-- The closed loop: privileges and row security (docs/roles-and-security.md).
--
-- Nobody but the extension's owner writes issues or their history directly:
-- the workflow functions (SECURITY DEFINER, checking the caller's role and
-- subtree) are the only way in, so the closed loop cannot be skipped.
-- Reading goes through row security: editors and verifiers see their
-- subtrees, auditors and admins everything, the reader role nothing here.
-- ---------------------------------------------------------------------------

GRANT USAGE ON SCHEMA @extschema@
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;

GRANT SELECT ON org, list, deadline_policy, official, org_member, indicator,
	issue, issue_event, tolerance
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;

-- Configuration is the admin's.
GRANT INSERT, UPDATE, DELETE ON list, deadline_policy, official, indicator
	TO issuelist_admin;
GRANT UPDATE (name, name_zh, kind) ON org TO issuelist_admin;
-- Descriptive columns of an issue may be corrected; its state, dates and
-- counts only change through the workflow, which records them.
GRANT UPDATE (title, detail, source, official, tags) ON issue TO issuelist_admin;

ALTER TABLE issue ENABLE ROW LEVEL SECURITY;
ALTER TABLE issue_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE tolerance ENABLE ROW LEVEL SECURITY;

-- The subtree test is a scalar subquery, so it runs once per query (an
-- InitPlan) and the issue's org is compared with a constant array.
CREATE POLICY issue_read_all ON issue FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY issue_read_subtree ON issue FOR SELECT
	TO issuelist_editor, issuelist_verifier
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
CREATE POLICY issue_admin_corrects ON issue FOR UPDATE
	TO issuelist_admin USING (true) WITH CHECK (true);
COMMENT ON POLICY issue_read_all ON issue IS 'admins and auditors read every issue';
COMMENT ON POLICY issue_read_subtree ON issue IS
	'editors and verifiers read the issues of their subtrees (grant_org)';
COMMENT ON POLICY issue_admin_corrects ON issue IS
	'admins may correct descriptive columns (their column privileges say which)';

CREATE POLICY issue_event_read_all ON issue_event FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY issue_event_read_subtree ON issue_event FOR SELECT
	TO issuelist_editor, issuelist_verifier
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY issue_event_read_all ON issue_event IS 'admins and auditors read the whole history';
COMMENT ON POLICY issue_event_read_subtree ON issue_event IS
	'editors and verifiers read the history of their subtrees'' issues';

CREATE POLICY tolerance_read_all ON tolerance FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY tolerance_read_subtree ON tolerance FOR SELECT
	TO issuelist_editor, issuelist_verifier
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY tolerance_read_all ON tolerance IS 'admins and auditors read every tolerance';
COMMENT ON POLICY tolerance_read_subtree ON tolerance IS
	'editors and verifiers read the tolerances of their subtrees'' issues';

-- Functions: only the issuelist roles may call those of the closed loop
-- (each function file grants its own).  The helpers row security calls run
-- as the caller, so those roles need them too.
REVOKE ALL ON FUNCTION acting_login(), acting_role(name, name[]),
	visible_orgs(name), covers(name, text, name[]),
	require_role(name, name[], text), require_org(text),
	require_issue_id(text), add_org(text, text, text, text, text),
	grant_org(name, text), revoke_org(name, text), subtree(text),
	history(text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION acting_login(), acting_role(name, name[]),
	visible_orgs(name), covers(name, text, name[]),
	require_role(name, name[], text), require_org(text),
	require_issue_id(text), subtree(text), history(text)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
GRANT EXECUTE ON FUNCTION add_org(text, text, text, text, text),
	grant_org(name, text), revoke_org(name, text)
	TO issuelist_admin;

-- ---------------------------------------------------------------------------
-- The closed loop: the workflow functions (docs/workflow.md).
--
-- Errors, all in one place (docs/workflow.md has the table with examples):
--   IL001  the closed loop does not allow this transition (names both states)
--   IL002  effective day before the issue was found, or before its last event
--   IL003  unknown issue (or not in the caller's subtree: the same answer)
--   IL004  unknown list
--   IL005  unknown organization
--   IL006  effective day in the future
--   IL007  due day before the found day, or an extension that is not later
--   IL008  tolerance approved by its requester
--   IL009  the issue is closed or withdrawn: no extension, no tolerance
--   IL010  the history is append-only (25_history.sql)
--   42501  the login's role does not allow the step, or the organization is
--          outside its subtree
--   22023  a missing or malformed argument (title, origin, reason, until...)
--
-- Each function locks the issue's row (SELECT ... FOR UPDATE) before it
-- reads the state, so two sessions working on one issue take turns: the
-- second sees the first one's result, and either follows the loop from
-- there or is refused.  No step is skipped and no event is lost.
-- ---------------------------------------------------------------------------

-- Fail with 22023 when a required argument is missing or blank.
CREATE FUNCTION require_text(value text, what text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF value IS NULL OR btrim(value) = '' THEN
		RAISE EXCEPTION '% is required', what
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN value;
END $$;
COMMENT ON FUNCTION require_text(text, text) IS
	'the value, or error 22023 "<what> is required" when it is NULL or blank';

-- The issue with this code, locked for the rest of the transaction, if the
-- login may work on it; error IL003 otherwise (an issue outside the login's
-- subtree does not exist for it).
CREATE FUNCTION lock_issue(code text, login name) RETURNS issue
	LANGUAGE plpgsql AS $$
DECLARE
	i issue;
BEGIN
	SELECT * INTO i FROM issue x WHERE x.code = lock_issue.code FOR UPDATE;
	IF NOT FOUND OR NOT covers(login, i.org, '{issuelist_admin,issuelist_auditor}') THEN
		RAISE EXCEPTION 'unknown issue "%"', coalesce(code, 'NULL')
			USING ERRCODE = 'IL003';
	END IF;
	RETURN i;
END $$;
COMMENT ON FUNCTION lock_issue(text, name) IS
	'the issue with this code, row-locked, when the login may see it; error IL003 otherwise';

-- The issue's last event (the issue must be locked).
CREATE FUNCTION last_event(issue_id bigint) RETURNS issue_event
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT e.* FROM issue_event e WHERE e.issue = issue_id ORDER BY e.seq DESC LIMIT 1;
END;
COMMENT ON FUNCTION last_event(bigint) IS 'the last event of an issue';

-- Fail unless a day may be the effective day of an issue's next event:
-- not in the future, not before it was found, not before its last event.
CREATE FUNCTION check_effective_day(i issue, last issue_event, day date) RETURNS void
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF day IS NULL THEN
		RAISE EXCEPTION 'the effective day is required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF day > current_date THEN
		RAISE EXCEPTION 'effective day % is in the future', day
			USING ERRCODE = 'IL006';
	ELSIF day < i.found_on THEN
		RAISE EXCEPTION 'effective day % is before issue % was found (%)', day, i.code, i.found_on
			USING ERRCODE = 'IL002';
	ELSIF day < last.on_date THEN
		RAISE EXCEPTION 'effective day % is before the last event of issue % (%, %)',
			day, i.code, last.event, last.on_date
			USING ERRCODE = 'IL002',
				  HINT = 'Events of one issue are recorded in the order of their days.';
	END IF;
END $$;
COMMENT ON FUNCTION check_effective_day(issue, issue_event, date) IS
	'error IL006, IL002 or 22023 unless the day can be the effective day of the issue''s next event';

-- Record an event and make its snapshot (the state, due day, closed day,
-- reopen count and tolerance of i) the issue's current one.
CREATE FUNCTION record_event(i issue, last issue_event, day date, acting_as name,
							 event text, from_state issue_state,
							 to_state issue_state, note text) RETURNS void
	LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO issue_event (issue, seq, org, on_date, actor, role, event,
							 from_state, to_state, note, state, due_on,
							 reopen_count, closed_on, tolerated_until)
		VALUES ((i).id, coalesce((last).seq, 0) + 1, (i).org, day,
				acting_login(), acting_as, event, from_state, to_state, note,
				(i).state, (i).due_on, (i).reopen_count, (i).closed_on,
				(i).tolerated_until);
	UPDATE issue SET state = (i).state, due_on = (i).due_on,
		   closed_on = (i).closed_on, reopen_count = (i).reopen_count,
		   tolerated_until = (i).tolerated_until
	 WHERE id = (i).id;
END;
COMMENT ON FUNCTION record_event(issue, issue_event, date, name, text, issue_state, issue_state, text) IS
	'append an event to the history with the issue''s new snapshot, and update the issue to it';

-- The states the loop allows after this one, for hints.
CREATE FUNCTION next_states(state issue_state) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT coalesce(string_agg(s::text, ', ' ORDER BY s), 'nothing')
	  FROM unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) s
	 WHERE can_advance(state, s);
END;
COMMENT ON FUNCTION next_states(issue_state) IS
	'the states the closed loop allows after this one, as text (nothing after withdrawn)';

-- Who takes a step: the verifier (the supervising level) accepts and
-- closes, refuses acceptance, reopens and withdraws; the editor does the
-- rest.  Returns the role and a description for the refusal.
CREATE FUNCTION step_role(from_state issue_state, to_state issue_state,
						  OUT role name, OUT step text)
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN to_state IN ('closed', 'reopened', 'withdrawn')
					 OR (from_state = 'rectified' AND to_state = 'rectifying')
				THEN 'issuelist_verifier' ELSE 'issuelist_editor' END::name,
		   CASE WHEN to_state = 'closed' THEN 'close (strike off) an issue'
				WHEN to_state = 'reopened' THEN 'reopen an issue'
				WHEN to_state = 'withdrawn' THEN 'withdraw an issue'
				WHEN from_state = 'rectified' THEN 'refuse acceptance of an issue'
				ELSE format('move an issue from %s to %s', from_state, to_state) END;
END;
COMMENT ON FUNCTION step_role(issue_state, issue_state) IS
	'the role that takes a step of the loop (issuelist_verifier or issuelist_editor) and a description of the step';

-- ---------------------------------------------------------------------------
-- Registration, in three steps that register_issue() takes for one issue
-- and import_register() (70_client.sql) for a file's worth: check the
-- values, reserve code numbers (one counter update for many issues of one
-- list and year), and insert the issue with its official and first event.
-- ---------------------------------------------------------------------------

-- The values of a registration, as register_issue() takes them.
CREATE TYPE registration AS (
	list text,
	org text,
	severity severity,
	title text,
	found_on date,
	due_on date,
	origin text,
	official text,
	source text,
	detail text
);
COMMENT ON TYPE registration IS
	'the values of an issue to register, as register_issue() takes them (list and organization by code)';

-- Fail unless the login may register an issue with these values (each
-- refusal of register_issue, in its order); returns the role it acts as.
CREATE FUNCTION register_check(r registration, login name) RETURNS name
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	acting_as name;
BEGIN
	IF NOT EXISTS (SELECT FROM list x WHERE x.code = r.list) THEN
		RAISE EXCEPTION 'unknown list "%"', coalesce(r.list, 'NULL')
			USING ERRCODE = 'IL004',
				  HINT = 'The lists are: ' || (SELECT string_agg(x.code, ', ' ORDER BY x.position) FROM list x) || '.';
	END IF;
	PERFORM require_org(r.org);
	IF r.severity IS NULL THEN
		RAISE EXCEPTION 'severity is required'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The severities are general, serious, major and critical.';
	END IF;
	PERFORM require_text(r.title, 'a title');
	IF r.origin IS NULL OR r.origin NOT IN ('self', 'external', 'concealed') THEN
		RAISE EXCEPTION 'unknown origin "%"', coalesce(r.origin, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The origins are self, external and concealed.';
	END IF;
	IF r.found_on IS NULL THEN
		RAISE EXCEPTION 'the found day is required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF r.found_on > current_date THEN
		RAISE EXCEPTION 'found day % is in the future', r.found_on
			USING ERRCODE = 'IL006';
	ELSIF r.due_on < r.found_on THEN
		RAISE EXCEPTION 'due day % is before the found day %', r.due_on, r.found_on
			USING ERRCODE = 'IL007';
	END IF;
	IF r.official IS NOT NULL THEN
		PERFORM require_text(r.official, 'the official''s name');
	END IF;
	acting_as := require_role(login, '{issuelist_editor,issuelist_verifier}',
							  'register issues');
	IF NOT covers(login, r.org, '{issuelist_admin}') THEN
		RAISE EXCEPTION 'login "%" may not register issues of organization %',
			login, r.org
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'It is outside the login''s subtrees (grant_org).';
	END IF;
	RETURN acting_as;
END $$;
COMMENT ON FUNCTION register_check(registration, name) IS
	'the role the login registers as, when it may register an issue with these values; the errors of register_issue() otherwise';

-- The year whose numbers an issue found on a day takes.
CREATE FUNCTION code_year(found_on date) RETURNS integer
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT extract(year FROM found_on)::integer;
END;
COMMENT ON FUNCTION code_year(date) IS
	'the year of an issue''s code: the year it was found';

-- Reserve the next n numbers of a list and year's codes; returns the first.
-- The counter row stays locked until the transaction ends, so concurrent
-- registrations take turns, and a rollback gives the numbers back.  One
-- update for n issues: the row's versions, which the transaction's later
-- updates must walk, grow with the updates, not with the issues.
CREATE FUNCTION reserve_issue_numbers(list text, year integer, n bigint)
	RETURNS bigint
	LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO issue_counter AS c (list, year, last_number)
		VALUES (reserve_issue_numbers.list, reserve_issue_numbers.year,
				reserve_issue_numbers.n)
		ON CONFLICT ON CONSTRAINT issue_counter_pkey
		DO UPDATE SET last_number = c.last_number + excluded.last_number
		RETURNING c.last_number - reserve_issue_numbers.n + 1;
END;
COMMENT ON FUNCTION reserve_issue_numbers(text, integer, bigint) IS
	'reserve the next n (>= 1) code numbers of a list and year (issue_counter, locked until the transaction ends); returns the first';

-- Insert a checked registration under a reserved number: its official
-- (created on first use, in the issue's organization), the issue and its
-- first event.  Returns the code.
CREATE FUNCTION register_numbered(r registration, number bigint, login name,
								  acting_as name) RETURNS text
	LANGUAGE plpgsql AS $$
DECLARE
	i issue;
BEGIN
	INSERT INTO official (name, org)
		SELECT r.official, r.org WHERE r.official IS NOT NULL
		ON CONFLICT DO NOTHING;
	INSERT INTO issue (code, list, source, org, official, title, detail,
					   severity, origin, state, found_on, due_on)
		VALUES (issue_code((SELECT x.prefix FROM list x WHERE x.code = r.list),
						   code_year(r.found_on), number),
				r.list, r.source, r.org, r.official, r.title, r.detail,
				r.severity, r.origin, 'registered', r.found_on,
				coalesce(r.due_on, policy_due_on(r.list, r.severity, r.found_on)))
		RETURNING * INTO i;
	INSERT INTO issue_event (issue, seq, org, on_date, actor, role, event,
							 to_state, note, state, due_on, reopen_count)
		VALUES (i.id, 1, i.org, i.found_on, login, acting_as, 'registered',
				'registered', i.source, i.state, i.due_on, 0);
	RETURN i.code;
END $$;
COMMENT ON FUNCTION register_numbered(registration, bigint, name, name) IS
	'insert a checked registration (register_check) under a reserved number (reserve_issue_numbers): its official, the issue and its first event; returns the code';

CREATE FUNCTION register_issue(list text, org text, severity severity, title text,
							   found_on date DEFAULT current_date,
							   due_on date DEFAULT NULL,
							   origin text DEFAULT 'external',
							   official text DEFAULT NULL,
							   source text DEFAULT NULL,
							   detail text DEFAULT NULL) RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	r registration := ROW(register_issue.list, register_issue.org,
						  register_issue.severity, register_issue.title,
						  register_issue.found_on, register_issue.due_on,
						  register_issue.origin, register_issue.official,
						  register_issue.source, register_issue.detail);
	acting_as name := register_check(r, login);
BEGIN
	RETURN register_numbered(r, reserve_issue_numbers(r.list, code_year(r.found_on), 1),
							 login, acting_as);
END $$;
COMMENT ON FUNCTION register_issue(text, text, severity, text, date, date, text, text, text, text) IS
	'register an issue (issuelist_editor or issuelist_verifier, in the login''s subtree): the due day defaults to deadline_policy; returns the new code, as AUD-2021-000123';

CREATE FUNCTION advance(code text, to_state issue_state, note text DEFAULT NULL,
						on_date date DEFAULT current_date) RETURNS issue_state
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	i issue;
	last issue_event;
	step record;
	acting_as name;
	from_state issue_state;
BEGIN
	IF advance.to_state IS NULL THEN
		RAISE EXCEPTION 'the state to go to is required'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	i := lock_issue(advance.code, login);
	IF NOT can_advance(i.state, advance.to_state) THEN
		RAISE EXCEPTION 'issue % cannot go from % to %', i.code, i.state, advance.to_state
			USING ERRCODE = 'IL001',
				  HINT = format('From %s the loop goes to: %s.', i.state, next_states(i.state));
	END IF;
	step := step_role(i.state, advance.to_state);
	acting_as := require_role(login, ARRAY[step.role], step.step);
	last := last_event(i.id);
	PERFORM check_effective_day(i, last, advance.on_date);

	from_state := i.state;
	i.state := advance.to_state;
	-- closed_on is the day the issue left the loop (closed or withdrawn);
	-- reopening puts it back in the loop.
	i.closed_on := CASE WHEN is_open(i.state) THEN NULL ELSE advance.on_date END;
	IF i.state = 'reopened' THEN
		i.reopen_count := i.reopen_count + 1;
	END IF;
	PERFORM record_event(i, last, advance.on_date, acting_as, 'transition',
						 from_state, i.state, advance.note);
	RETURN i.state;
END $$;
COMMENT ON FUNCTION advance(text, issue_state, text, date) IS
	'move an issue one step along the closed loop, effective on a day (default today); returns the new state';

-- The issue, locked, for an extension or a tolerance: a verifier's step on
-- an open issue.
CREATE FUNCTION lock_open_issue(code text, login name, step text,
								OUT i issue, OUT acting_as name)
	LANGUAGE plpgsql AS $$
BEGIN
	i := lock_issue(code, login);
	acting_as := require_role(login, '{issuelist_verifier}', step);
	IF NOT is_open(i.state) THEN
		RAISE EXCEPTION 'issue % is %: only an open issue can be extended or tolerated',
			i.code, i.state
			USING ERRCODE = 'IL009';
	END IF;
END $$;
COMMENT ON FUNCTION lock_open_issue(text, name, text) IS
	'the issue, locked, and the role acted as, for a verifier''s step on an open issue (IL003, 42501, IL009)';

CREATE FUNCTION extend_deadline(code text, new_due date, reason text,
								on_date date DEFAULT current_date) RETURNS date
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	locked record := lock_open_issue(extend_deadline.code, login, 'extend deadlines');
	i issue := locked.i;
	last issue_event := last_event(i.id);
BEGIN
	PERFORM require_text(extend_deadline.reason, 'a reason');
	IF extend_deadline.new_due IS NULL THEN
		RAISE EXCEPTION 'the new due day is required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF extend_deadline.new_due <= i.due_on THEN
		RAISE EXCEPTION 'new due day % of issue % is not after its due day %',
			extend_deadline.new_due, i.code, i.due_on
			USING ERRCODE = 'IL007';
	END IF;
	PERFORM check_effective_day(i, last, extend_deadline.on_date);
	i.due_on := extend_deadline.new_due;
	PERFORM record_event(i, last, extend_deadline.on_date, locked.acting_as,
						 'extension', NULL, NULL, extend_deadline.reason);
	RETURN i.due_on;
END $$;
COMMENT ON FUNCTION extend_deadline(text, date, text, date) IS
	'move an open issue''s due day later, with a reason, effective on a day (issuelist_verifier); returns the new due day';

CREATE FUNCTION tolerate(code text, reason text, approved_by text,
						 on_date date DEFAULT current_date,
						 until date DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	locked record := lock_open_issue(tolerate.code, login, 'record tolerance');
	i issue := locked.i;
	last issue_event := last_event(i.id);
BEGIN
	PERFORM require_text(tolerate.reason, 'a reason');
	PERFORM require_text(tolerate.approved_by, 'an approver');
	IF btrim(tolerate.approved_by) = login::text THEN
		RAISE EXCEPTION 'tolerance of issue % must be approved by someone other than its requester %',
			i.code, login
			USING ERRCODE = 'IL008';
	END IF;
	PERFORM check_effective_day(i, last, tolerate.on_date);
	IF tolerate.until < tolerate.on_date THEN
		RAISE EXCEPTION 'tolerance until % ends before it starts (%)', tolerate.until, tolerate.on_date
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO tolerance (issue, org, from_on, until_on, reason, requester, approved_by)
		VALUES (i.id, i.org, tolerate.on_date, tolerate.until, tolerate.reason,
				login, btrim(tolerate.approved_by));
	-- Every tolerance so far began on or before this day, so the issue is
	-- tolerated on a later day T exactly when the latest end is >= T.
	i.tolerated_until := greatest(i.tolerated_until,
								  coalesce(tolerate.until, 'infinity'));
	PERFORM record_event(i, last, tolerate.on_date, locked.acting_as, 'tolerance',
						 NULL, NULL,
						 format('%s (approved by %s%s)', tolerate.reason,
								btrim(tolerate.approved_by),
								', until ' || tolerate.until));
END $$;
COMMENT ON FUNCTION tolerate(text, text, text, date, date) IS
	'tolerate an open issue after review: exempt from the score from on_date through until (NULL: for ever); needs a reason and an approver other than the requester (issuelist_verifier)';

REVOKE ALL ON FUNCTION require_text(text, text), lock_issue(text, name),
	last_event(bigint), check_effective_day(issue, issue_event, date),
	record_event(issue, issue_event, date, name, text, issue_state, issue_state, text),
	lock_open_issue(text, name, text),
	register_check(registration, name),
	reserve_issue_numbers(text, integer, bigint),
	register_numbered(registration, bigint, name, name),
	register_issue(text, text, severity, text, date, date, text, text, text, text),
	advance(text, issue_state, text, date),
	extend_deadline(text, date, text, date),
	tolerate(text, text, text, date, date)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	register_issue(text, text, severity, text, date, date, text, text, text, text),
	advance(text, issue_state, text, date),
	extend_deadline(text, date, text, date),
	tolerate(text, text, text, date, date)
	TO issuelist_admin, issuelist_editor, issuelist_verifier;

-- ---------------------------------------------------------------------------
-- The closed loop: issues as they stand, and as they stood on any day.
--
-- issues_as_of(T) is the input of scoring and of freeze_quarter over
-- millions of issues, so it is one set-based query: a SQL function the
-- planner inlines (no SET clause, not STRICT, not SECURITY DEFINER), that
-- for each issue found by T reads its last event with on_date <= T from the
-- index on issue_event (issue, seq), which carries the snapshot columns.
-- Both run as the caller, so row security holds.
-- ---------------------------------------------------------------------------

-- Is an issue in this state with this due day overdue on a day?
CREATE FUNCTION is_overdue(state issue_state, due_on date, day date) RETURNS boolean
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT is_open(state) AND day > due_on;
END;
COMMENT ON FUNCTION is_overdue(issue_state, date, date) IS
	'open and the day is after the due day';

-- The warning light on a day: red when overdue, yellow when the due day is
-- 0 to 15 days away, green otherwise, NULL when closed or withdrawn.
CREATE FUNCTION warning_light(state issue_state, due_on date, day date) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN NOT is_open(state) THEN NULL
				WHEN day > due_on THEN 'red'
				WHEN due_on - day <= 15 THEN 'yellow'
				ELSE 'green' END;
END;
COMMENT ON FUNCTION warning_light(issue_state, date, date) IS
	'red when open and past the due day, yellow when open and due within 0 to 15 days, green when open otherwise, NULL when closed or withdrawn';

CREATE VIEW issues WITH (security_invoker = true) AS
	SELECT i.code, i.list, i.org, i.official, i.title, i.severity, i.origin,
		   i.state, i.found_on, i.due_on, i.closed_on, i.reopen_count,
		   coalesce(current_date <= i.tolerated_until, false) AS tolerated,
		   is_overdue(i.state, i.due_on, current_date) AS overdue,
		   warning_light(i.state, i.due_on, current_date) AS light,
		   i.id, i.source, l.position AS list_position,
		   CASE WHEN is_overdue(i.state, i.due_on, current_date)
				THEN current_date - i.due_on ELSE 0 END AS overdue_days
	  FROM issue i
	  JOIN list l ON l.code = i.list;
COMMENT ON VIEW issues IS
	'every issue the caller may see, as it stands today (the same as issues_as_of(current_date))';
COMMENT ON COLUMN issues.code IS 'the issue''s code, as AUD-2021-000123';
COMMENT ON COLUMN issues.list IS 'the list (code)';
COMMENT ON COLUMN issues.org IS 'the organization (code)';
COMMENT ON COLUMN issues.official IS 'the responsible official';
COMMENT ON COLUMN issues.title IS 'what the problem is';
COMMENT ON COLUMN issues.severity IS 'general, serious, major or critical';
COMMENT ON COLUMN issues.origin IS 'self, external or concealed';
COMMENT ON COLUMN issues.state IS 'where it stands in the closed loop';
COMMENT ON COLUMN issues.found_on IS 'the day it was found';
COMMENT ON COLUMN issues.due_on IS 'the due day, extensions included';
COMMENT ON COLUMN issues.closed_on IS 'the day it was closed or withdrawn; NULL while open';
COMMENT ON COLUMN issues.reopen_count IS 'times it went from closed to reopened';
COMMENT ON COLUMN issues.tolerated IS 'a tolerance holds today';
COMMENT ON COLUMN issues.overdue IS 'open and past its due day';
COMMENT ON COLUMN issues.light IS 'red overdue, yellow due within 0 to 15 days, green otherwise; NULL when closed or withdrawn';
COMMENT ON COLUMN issues.id IS 'internal number (issue.id)';
COMMENT ON COLUMN issues.source IS 'which inspection, audit or round found it';
COMMENT ON COLUMN issues.list_position IS 'the list''s position, 1 to 16';
COMMENT ON COLUMN issues.overdue_days IS 'days past the due day when overdue, else 0';

CREATE FUNCTION issues_as_of(day date)
	RETURNS TABLE (code text, list text, org text, official text, title text,
				   severity severity, origin text, state issue_state,
				   found_on date, due_on date, closed_on date,
				   reopen_count integer, tolerated boolean, overdue boolean,
				   light text, id bigint, source text, list_position smallint,
				   overdue_days integer)
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
BEGIN ATOMIC
	SELECT i.code, i.list, i.org, i.official, i.title, i.severity, i.origin,
		   e.state, i.found_on, e.due_on, e.closed_on, e.reopen_count,
		   coalesce(issues_as_of.day <= e.tolerated_until, false),
		   is_overdue(e.state, e.due_on, issues_as_of.day),
		   warning_light(e.state, e.due_on, issues_as_of.day),
		   i.id, i.source, l.position,
		   CASE WHEN is_overdue(e.state, e.due_on, issues_as_of.day)
				THEN issues_as_of.day - e.due_on ELSE 0 END
	  FROM issue i
	  JOIN list l ON l.code = i.list
	 CROSS JOIN LATERAL (
		   SELECT ev.state, ev.due_on, ev.closed_on, ev.reopen_count,
				  ev.tolerated_until
			 FROM issue_event ev
			WHERE ev.issue = i.id AND ev.on_date <= issues_as_of.day
			ORDER BY ev.seq DESC
			LIMIT 1) e
	 WHERE i.found_on <= issues_as_of.day;
END;
COMMENT ON FUNCTION issues_as_of(date) IS
	'every issue the caller may see that was found on or before the day, as it stood that day (state, due day, closed day, reopen count, tolerance rebuilt from the history), with overdue and the warning light on that day';

CREATE VIEW list_summary WITH (security_invoker = true) AS
	SELECT l.code, l.name, l.name_zh, l.position,
		   count(i.code) FILTER (WHERE is_open(i.state)) AS open,
		   count(i.code) FILTER (WHERE i.overdue) AS overdue,
		   count(i.code) FILTER (WHERE i.state = 'closed') AS closed,
		   count(i.code) FILTER (WHERE i.state = 'withdrawn') AS withdrawn,
		   count(i.code) AS total
	  FROM list l
	  LEFT JOIN issues i ON i.list = l.code
	 GROUP BY l.code
	 ORDER BY l.position;
COMMENT ON VIEW list_summary IS
	'one row per list: open, overdue, closed, withdrawn and all issues today, of those the caller may see';
COMMENT ON COLUMN list_summary.code IS 'the list';
COMMENT ON COLUMN list_summary.name IS 'its name';
COMMENT ON COLUMN list_summary.name_zh IS 'its Chinese name';
COMMENT ON COLUMN list_summary.position IS 'its position, 1 to 16';
COMMENT ON COLUMN list_summary.open IS 'issues open today';
COMMENT ON COLUMN list_summary.overdue IS 'issues open and past their due day';
COMMENT ON COLUMN list_summary.closed IS 'issues closed';
COMMENT ON COLUMN list_summary.withdrawn IS 'issues withdrawn';
COMMENT ON COLUMN list_summary.total IS 'all issues';

REVOKE ALL ON FUNCTION issues_as_of(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION issues_as_of(date)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
GRANT SELECT ON issues, list_summary
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;

-- ---------------------------------------------------------------------------
-- The sample province (docs/sample-province.md): Zhejiang's real hierarchy,
-- and a synthetic, reproducible history of issues on top of it.
-- ---------------------------------------------------------------------------

CREATE FUNCTION load_sample_province() RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	added integer;
BEGIN
	PERFORM require_role(acting_login(), '{}', 'load the sample province');
	-- Zhejiang, its 11 cities and its 90 county-level divisions (districts,
	-- counties, county-level cities) as of 2021, with their GB/T 2260 codes:
	-- copied from data/zhejiang-orgs.csv.
	WITH RECURSIVE division (code, name, name_zh, parent, kind) AS (VALUES
	('330000', 'Zhejiang', '浙江省', NULL, 'province'),
	('330100', 'Hangzhou', '杭州市', '330000', 'city'),
	('330102', 'Shangcheng', '上城区', '330100', 'district'),
	('330105', 'Gongshu', '拱墅区', '330100', 'district'),
	('330106', 'Xihu', '西湖区', '330100', 'district'),
	('330108', 'Binjiang', '滨江区', '330100', 'district'),
	('330109', 'Xiaoshan', '萧山区', '330100', 'district'),
	('330110', 'Yuhang', '余杭区', '330100', 'district'),
	('330111', 'Fuyang', '富阳区', '330100', 'district'),
	('330112', 'Lin''an', '临安区', '330100', 'district'),
	('330113', 'Linping', '临平区', '330100', 'district'),
	('330114', 'Qiantang', '钱塘区', '330100', 'district'),
	('330122', 'Tonglu', '桐庐县', '330100', 'county'),
	('330127', 'Chun''an', '淳安县', '330100', 'county'),
	('330182', 'Jiande', '建德市', '330100', 'county-level city'),
	('330200', 'Ningbo', '宁波市', '330000', 'city'),
	('330203', 'Haishu', '海曙区', '330200', 'district'),
	('330205', 'Jiangbei', '江北区', '330200', 'district'),
	('330206', 'Beilun', '北仑区', '330200', 'district'),
	('330211', 'Zhenhai', '镇海区', '330200', 'district'),
	('330212', 'Yinzhou', '鄞州区', '330200', 'district'),
	('330213', 'Fenghua', '奉化区', '330200', 'district'),
	('330225', 'Xiangshan', '象山县', '330200', 'county'),
	('330226', 'Ninghai', '宁海县', '330200', 'county'),
	('330281', 'Yuyao', '余姚市', '330200', 'county-level city'),
	('330282', 'Cixi', '慈溪市', '330200', 'county-level city'),
	('330300', 'Wenzhou', '温州市', '330000', 'city'),
	('330302', 'Lucheng', '鹿城区', '330300', 'district'),
	('330303', 'Longwan', '龙湾区', '330300', 'district'),
	('330304', 'Ouhai', '瓯海区', '330300', 'district'),
	('330305', 'Dongtou', '洞头区', '330300', 'district'),
	('330324', 'Yongjia', '永嘉县', '330300', 'county'),
	('330326', 'Pingyang', '平阳县', '330300', 'county'),
	('330327', 'Cangnan', '苍南县', '330300', 'county'),
	('330328', 'Wencheng', '文成县', '330300', 'county'),
	('330329', 'Taishun', '泰顺县', '330300', 'county'),
	('330381', 'Rui''an', '瑞安市', '330300', 'county-level city'),
	('330382', 'Yueqing', '乐清市', '330300', 'county-level city'),
	('330383', 'Longgang', '龙港市', '330300', 'county-level city'),
	('330400', 'Jiaxing', '嘉兴市', '330000', 'city'),
	('330402', 'Nanhu', '南湖区', '330400', 'district'),
	('330411', 'Xiuzhou', '秀洲区', '330400', 'district'),
	('330421', 'Jiashan', '嘉善县', '330400', 'county'),
	('330424', 'Haiyan', '海盐县', '330400', 'county'),
	('330481', 'Haining', '海宁市', '330400', 'county-level city'),
	('330482', 'Pinghu', '平湖市', '330400', 'county-level city'),
	('330483', 'Tongxiang', '桐乡市', '330400', 'county-level city'),
	('330500', 'Huzhou', '湖州市', '330000', 'city'),
	('330502', 'Wuxing', '吴兴区', '330500', 'district'),
	('330503', 'Nanxun', '南浔区', '330500', 'district'),
	('330521', 'Deqing', '德清县', '330500', 'county'),
	('330522', 'Changxing', '长兴县', '330500', 'county'),
	('330523', 'Anji', '安吉县', '330500', 'county'),
	('330600', 'Shaoxing', '绍兴市', '330000', 'city'),
	('330602', 'Yuecheng', '越城区', '330600', 'district'),
	('330603', 'Keqiao', '柯桥区', '330600', 'district'),
	('330604', 'Shangyu', '上虞区', '330600', 'district'),
	('330624', 'Xinchang', '新昌县', '330600', 'county'),
	('330681', 'Zhuji', '诸暨市', '330600', 'county-level city'),
	('330683', 'Shengzhou', '嵊州市', '330600', 'county-level city'),
	('330700', 'Jinhua', '金华市', '330000', 'city'),
	('330702', 'Wucheng', '婺城区', '330700', 'district'),
	('330703', 'Jindong', '金东区', '330700', 'district'),
	('330723', 'Wuyi', '武义县', '330700', 'county'),
	('330726', 'Pujiang', '浦江县', '330700', 'county'),
	('330727', 'Pan''an', '磐安县', '330700', 'county'),
	('330781', 'Lanxi', '兰溪市', '330700', 'county-level city'),
	('330782', 'Yiwu', '义乌市', '330700', 'county-level city'),
	('330783', 'Dongyang', '东阳市', '330700', 'county-level city'),
	('330784', 'Yongkang', '永康市', '330700', 'county-level city'),
	('330800', 'Quzhou', '衢州市', '330000', 'city'),
	('330802', 'Kecheng', '柯城区', '330800', 'district'),
	('330803', 'Qujiang', '衢江区', '330800', 'district'),
	('330822', 'Changshan', '常山县', '330800', 'county'),
	('330824', 'Kaihua', '开化县', '330800', 'county'),
	('330825', 'Longyou', '龙游县', '330800', 'county'),
	('330881', 'Jiangshan', '江山市', '330800', 'county-level city'),
	('330900', 'Zhoushan', '舟山市', '330000', 'city'),
	('330902', 'Dinghai', '定海区', '330900', 'district'),
	('330903', 'Putuo', '普陀区', '330900', 'district'),
	('330921', 'Daishan', '岱山县', '330900', 'county'),
	('330922', 'Shengsi', '嵊泗县', '330900', 'county'),
	('331000', 'Taizhou', '台州市', '330000', 'city'),
	('331002', 'Jiaojiang', '椒江区', '331000', 'district'),
	('331003', 'Huangyan', '黄岩区', '331000', 'district'),
	('331004', 'Luqiao', '路桥区', '331000', 'district'),
	('331022', 'Sanmen', '三门县', '331000', 'county'),
	('331023', 'Tiantai', '天台县', '331000', 'county'),
	('331024', 'Xianju', '仙居县', '331000', 'county'),
	('331081', 'Wenling', '温岭市', '331000', 'county-level city'),
	('331082', 'Linhai', '临海市', '331000', 'county-level city'),
	('331083', 'Yuhuan', '玉环市', '331000', 'county-level city'),
	('331100', 'Lishui', '丽水市', '330000', 'city'),
	('331102', 'Liandu', '莲都区', '331100', 'district'),
	('331121', 'Qingtian', '青田县', '331100', 'county'),
	('331122', 'Jinyun', '缙云县', '331100', 'county'),
	('331123', 'Suichang', '遂昌县', '331100', 'county'),
	('331124', 'Songyang', '松阳县', '331100', 'county'),
	('331125', 'Yunhe', '云和县', '331100', 'county'),
	('331126', 'Qingyuan', '庆元县', '331100', 'county'),
	('331127', 'Jingning', '景宁畲族自治县', '331100', 'county'),
	('331181', 'Longquan', '龙泉市', '331100', 'county-level city')	), tree AS (
		SELECT d.*, text2ltree(d.code) AS path FROM division d WHERE d.parent IS NULL
		UNION ALL
		SELECT d.*, t.path || text2ltree(d.code) FROM division d JOIN tree t ON d.parent = t.code
	)
	INSERT INTO org (code, name, name_zh, parent, level, kind, path)
		SELECT t.code, t.name, t.name_zh, t.parent,
			   CASE WHEN t.kind IN ('province', 'city') THEN t.kind ELSE 'county' END,
			   t.kind, t.path
		  FROM tree t
		 ORDER BY t.path
		ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS added = ROW_COUNT;
	RETURN added;
END $$;
COMMENT ON FUNCTION load_sample_province() IS
	'add Zhejiang province (330000), its 11 cities and 90 county-level divisions with their GB/T 2260 codes; those already there are left alone; returns how many were added (issuelist_admin)';

-- The generator draws every number from a hash of (seed, n, k) instead of
-- random(): the same seed gives the same data whatever the plan, and each
-- issue n is computed on its own, so the work is one set-based pass.

-- A uniform draw in [0, 1): the k-th number of item n for a seed.
CREATE FUNCTION sample_u(seed integer, n bigint, k integer) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT (hashint8extended(n * 64 + k, seed) & 9007199254740991)::float8
		   / 9007199254740992;
END;
COMMENT ON FUNCTION sample_u(integer, bigint, integer) IS
	'sample generator: a reproducible uniform number in [0, 1), the k-th draw of item n for a seed';

-- A uniform integer from lo to hi: the k-th draw of item n.
CREATE FUNCTION sample_int(seed integer, n bigint, k integer, lo integer, hi integer)
	RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT lo + floor(sample_u(seed, n, k) * (hi - lo + 1))::integer;
END;
COMMENT ON FUNCTION sample_int(integer, bigint, integer, integer, integer) IS
	'sample generator: a reproducible uniform integer from lo to hi, the k-th draw of item n for a seed';

-- The counties of the sample province, numbered by code, each with its
-- quality (how well it works its issues: 0.1 to 0.95) and size.
CREATE FUNCTION sample_counties(seed integer)
	RETURNS TABLE (k bigint, code text, city text, quality float8, weight float8)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.k, c.code, c.parent,
		   0.1 + 0.85 * sample_u(seed, -c.k, 1),
		   0.4 + 1.2 * sample_u(seed, -c.k, 2)
	  FROM (SELECT o.code, o.parent, row_number() OVER (ORDER BY o.code) AS k
			  FROM org o
			 WHERE o.level = 'county' AND o.path <@ '330000') c;
END;
COMMENT ON FUNCTION sample_counties(integer) IS
	'sample generator: the sample province''s counties, numbered, with a quality (0.1 to 0.95) and a size drawn from the seed';

-- The j-th (0, 1, 2) official of the k-th county: a synthetic name.
CREATE FUNCTION sample_official(seed integer, k bigint, j integer) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT (ARRAY['Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Yang', 'Huang', 'Zhao',
				  'Wu', 'Zhou', 'Xu', 'Sun'])[1 + (sample_int(seed, -k, 3, 0, 11) + j) % 12]
		|| ' '
		|| (ARRAY['Wei', 'Jian', 'Xiao', 'Guo', 'Hai', 'Zhi', 'Li', 'Yong', 'Jun',
				  'Hong'])[1 + sample_int(seed, -k, 4 + j, 0, 9)]
		|| (ARRAY['ming', 'hua', 'ping', 'qiang', 'lin', 'feng', 'yu', 'bo', 'jie',
				  'hui'])[1 + sample_int(seed, -k, 7 + j, 0, 9)];
END;
COMMENT ON FUNCTION sample_official(integer, bigint, integer) IS
	'sample generator: the synthetic name of the j-th official (0 to 2) of the k-th county';

-- The list of a draw: audit and inspection findings are the most common.
CREATE FUNCTION sample_list_position(u float8) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN u < 0.18 THEN 1 WHEN u < 0.32 THEN 2 WHEN u < 0.44 THEN 3
				WHEN u < 0.64 THEN 4 WHEN u < 0.78 THEN 5 WHEN u < 0.88 THEN 6
				ELSE 7 END;
END;
COMMENT ON FUNCTION sample_list_position(float8) IS
	'sample generator: the position of the list of a draw (18% inspection, 14% supervision, 12% environment, 20% audit, 14% safety, 10% public opinion, 12% complaints)';

-- A synthetic title for an issue of the list at this position.
CREATE FUNCTION sample_title(list_position integer, j integer) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT 'Synthetic: ' || (ARRAY[
		['Party building duties not carried out', 'formalism in grassroots work',
		 'irregular cadre selection', 'earlier inspection findings not rectified'],
		['major project behind schedule', 'policy not implemented on time',
		 'business complaints unresolved', 'land approvals overdue'],
		['illegal sewage discharge', 'dust at construction sites',
		 'river chief duties not performed', 'solid waste stockpile'],
		['special funds left idle', 'irregular procurement',
		 'arrears to contractors', 'spending outside the budget'],
		['gas pipeline hazard', 'blocked fire escapes in a factory',
		 'landslide area not monitored', 'hazardous chemicals storage'],
		['school catering complaint spread online', 'delayed housing delivery reported online',
		 'traffic management criticised online', 'slow response to an online rumour'],
		['repeated petition on land compensation', 'wage arrears complaint',
		 'noise complaint unresolved', 'demolition dispute']])[list_position][j + 1];
END;
COMMENT ON FUNCTION sample_title(integer, integer) IS
	'sample generator: the j-th (0 to 3) synthetic title of the list at a position (1 to 7)';

-- The slots of a synthetic life (1 .. 15), in order; each issue has a
-- subset, with non-decreasing days:
--   1 registered, 2 assigned, 3 rectifying, 4 continuing, 5 extension,
--   6 tolerance, 7 rectified, 8 rectifying (acceptance refused),
--   9 rectified, 10 closed, 11 reopened, 12 rectifying, 13 rectified,
--   14 closed, 15 withdrawn
-- The state after a slot (an extension or a tolerance keeps the state).
CREATE FUNCTION sample_state(slot integer, slots integer[]) RETURNS issue_state
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT (CASE WHEN slot IN (5, 6) AND 4 = ANY (slots) THEN 'continuing'
				 ELSE (ARRAY['registered', 'assigned', 'rectifying', 'continuing',
							 'rectifying', 'rectifying', 'rectified', 'rectifying',
							 'rectified', 'closed', 'reopened', 'rectifying',
							 'rectified', 'closed', 'withdrawn'])[slot] END)::issue_state;
END;
COMMENT ON FUNCTION sample_state(integer, integer[]) IS
	'sample generator: the state of a synthetic issue after a slot of its life';

-- The issue after a slot, as the workflow functions would have left it.
CREATE FUNCTION sample_snapshot(slot integer, slots integer[], d date[],
								due0 date, due1 date, tol_until date)
	RETURNS TABLE (state issue_state, due_on date, reopen_count integer,
				   closed_on date, tolerated_until date)
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT sample_state(slot, slots),
		   CASE WHEN 5 = ANY (slots) AND slot BETWEEN 5 AND 14 THEN due1 ELSE due0 END,
		   CASE WHEN slot BETWEEN 11 AND 14 THEN 1 ELSE 0 END,
		   CASE WHEN slot IN (10, 14, 15) THEN d[slot] END,
		   CASE WHEN 6 = ANY (slots) AND slot BETWEEN 6 AND 14
				THEN coalesce(tol_until, 'infinity') END;
END;
COMMENT ON FUNCTION sample_snapshot(integer, integer[], date[], date, date, date) IS
	'sample generator: the snapshot (state, due day, reopen count, closed day, tolerance) of a synthetic issue after a slot of its life';

-- One row per synthetic issue n: who, what, and the slots and days of its
-- life.  Each level of subqueries computes its columns once (OFFSET 0
-- keeps the planner from copying expressions into every use).
CREATE FUNCTION sample_plan(from_q quarter, to_q quarter, per_quarter integer,
							seed integer, cutoff date, base_id bigint,
							base_number bigint)
	RETURNS TABLE (id bigint, code text, list text, org text, city text,
				   official text, title text, severity severity, origin text,
				   found_on date, due0 date, due1 date, slots integer[],
				   d date[], tol_until date, last_slot integer)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	WITH county_share AS (
		SELECT c.*, coalesce(lag(c.hi) OVER (ORDER BY c.k), 0) AS lo
		  FROM (SELECT c.*, sum(c.weight) OVER (ORDER BY c.k) / sum(c.weight) OVER () AS hi
				  FROM sample_counties(seed) c) c
	), county_slot AS (
		-- 1024 slots shared out by size: a draw picks a slot, a slot a county.
		SELECT s.slot, c.k, c.code, c.city, c.quality
		  FROM generate_series(0, 1023) s(slot)
		  JOIN county_share c ON (s.slot + 0.5) / 1024 >= c.lo
							 AND (s.slot + 0.5) / 1024 < c.hi
	)
	SELECT base_id + p.n - 1,
		   issue_code(p.prefix, extract(year FROM p.found)::integer, base_number + p.n),
		   p.list, p.org, p.city, p.official, p.title, p.severity, p.origin,
		   p.found, p.due0, p.due1, p.slots, p.d, p.tol_until,
		   (SELECT max(s) FROM unnest(p.slots) s WHERE p.d[s] <= cutoff)
	  FROM (
		-- The slots of its life, and their days.
		SELECT t.*,
			   CASE WHEN t.withdrawn
					THEN array_remove(ARRAY[1, CASE WHEN t.withdraw_assigned THEN 2 END, 15], NULL)
					ELSE array_remove(ARRAY[1, 2, 3,
							CASE WHEN t.has_cont THEN 4 END,
							CASE WHEN t.has_ext THEN 5 END,
							CASE WHEN t.has_tol THEN 6 END,
							CASE WHEN t.has_refuse THEN 7 END,
							CASE WHEN t.has_refuse THEN 8 END,
							9, 10,
							CASE WHEN t.has_reopen THEN 11 END,
							CASE WHEN t.has_reopen THEN 12 END,
							CASE WHEN t.has_reopen THEN 13 END,
							CASE WHEN t.has_reopen THEN 14 END], NULL) END AS slots,
			   ARRAY[t.found, t.d2, t.d3,
					 t.d3 + (t.span * 0.2)::integer, t.d3 + (t.span * 0.4)::integer,
					 t.d3 + (t.span * 0.5)::integer, t.d3 + (t.span * 0.6)::integer,
					 t.d3 + (t.span * 0.7)::integer, t.tr, t.d10, t.d11, t.d11 + t.restart_after,
					 t.d11 + t.restart_after + t.redo,
					 t.d11 + t.restart_after + t.redo + t.reverify,
					 CASE WHEN t.withdraw_assigned THEN t.d2 ELSE t.found END + t.withdraw_after
					] AS d,
			   CASE WHEN NOT t.tol_for_ever
					THEN t.d3 + (t.span * 0.5)::integer + t.tol_days END AS tol_until
		  FROM (
			SELECT r.*, r.tr - r.d3 AS span, r.tr + r.verify AS d10,
				   r.tr + r.verify + r.reopen_after AS d11
			  FROM (
				-- Rectified in time for the verifier to close it by the due
				-- day when on time; after it when late.
				SELECT a.*,
					   CASE WHEN a.on_time
							THEN a.d3 + (a.u_rectify * greatest(a.due - a.verify - a.d3, 0))::integer
							ELSE greatest(a.due - a.verify, a.d3) + a.late_days END AS tr
				  FROM (
					SELECT b.*, b.found + b.assign_after AS d2,
						   b.found + b.assign_after + b.start_after AS d3,
						   b.found + b.days AS due0,
						   b.found + b.days + b.ext_days AS due1,
						   b.found + b.days + CASE WHEN b.has_ext THEN b.ext_days ELSE 0 END AS due
					  FROM (
						-- The draws.  Better counties report more themselves,
						-- finish on time more often, and have fewer refusals,
						-- reopenings and withdrawals.
						SELECT g.n, cs.code AS org, cs.city, l.code AS list, l.prefix,
							   lower(g.q) + sample_int(seed, g.n, 1, 0, upper(g.q) - lower(g.q)) AS found,
							   v.severity, v.origin,
							   coalesce(dp.days, default_deadline_days(v.severity)) AS days,
							   sample_official(seed, cs.k, sample_int(seed, g.n, 6, 0, 2)) AS official,
							   sample_title(l.position, sample_int(seed, g.n, 27, 0, 3)) AS title,
							   sample_u(seed, g.n, 7) < 0.03 + 0.04 * (1 - cs.quality) AS withdrawn,
							   sample_u(seed, g.n, 8) < 0.5 AS withdraw_assigned,
							   sample_int(seed, g.n, 25, 1, 20) AS withdraw_after,
							   sample_int(seed, g.n, 9, 0, 6) AS assign_after,
							   sample_int(seed, g.n, 10, 0, 9) AS start_after,
							   sample_u(seed, g.n, 11) < 0.10 AS has_ext,
							   sample_int(seed, g.n, 12, 30, 90) AS ext_days,
							   sample_u(seed, g.n, 13) < CASE WHEN v.severity >= 'major' THEN 0.20 ELSE 0.05 END AS has_cont,
							   sample_u(seed, g.n, 14) < 0.025 AS has_tol,
							   sample_u(seed, g.n, 24) < 0.3 AS tol_for_ever,
							   sample_int(seed, g.n, 28, 60, 300) AS tol_days,
							   sample_u(seed, g.n, 15) < 0.40 + 0.55 * cs.quality AS on_time,
							   sample_int(seed, g.n, 16, 1, 14) AS verify,
							   sample_u(seed, g.n, 17) AS u_rectify,
							   sample_int(seed, g.n, 26, 1, 15 + (150 * (1 - cs.quality))::integer) AS late_days,
							   sample_u(seed, g.n, 18) < 0.03 + 0.12 * (1 - cs.quality) AS has_refuse,
							   sample_u(seed, g.n, 19) < 0.01 + 0.09 * (1 - cs.quality) AS has_reopen,
							   sample_int(seed, g.n, 20, 30, 180) AS reopen_after,
							   sample_int(seed, g.n, 21, 1, 10) AS restart_after,
							   sample_int(seed, g.n, 22, 15, 75) AS redo,
							   sample_int(seed, g.n, 23, 1, 14) AS reverify
						  FROM (SELECT n, from_q + ((n - 1) / per_quarter)::integer AS q
								  FROM generate_series(1::bigint, per_quarter::bigint * (to_q - from_q + 1)) n) g
						  JOIN county_slot cs ON cs.slot = sample_int(seed, g.n, 2, 0, 1023)
						  CROSS JOIN LATERAL (
							-- Many general issues, few critical; most found by
							-- others, a few hidden.
							SELECT severity(CASE WHEN x.s < 0.04 THEN 4 WHEN x.s < 0.16 THEN 3
												 WHEN x.s < 0.42 THEN 2 ELSE 1 END) AS severity,
								   CASE WHEN x.o < 0.15 + 0.45 * cs.quality THEN 'self'
										WHEN x.o > 0.985 - 0.07 * (1 - cs.quality) THEN 'concealed'
										ELSE 'external' END AS origin,
								   x.l
							  FROM (SELECT sample_u(seed, g.n, 4) AS s, sample_u(seed, g.n, 5) AS o,
										   sample_u(seed, g.n, 3) AS l OFFSET 0) x) v
						  JOIN list l ON l.position = sample_list_position(v.l)
						  LEFT JOIN deadline_policy dp ON dp.list = l.code AND dp.severity = v.severity
						OFFSET 0) b
					OFFSET 0) a
				OFFSET 0) r
			OFFSET 0) t
		OFFSET 0) p
	 WHERE p.found <= cutoff;
END;
COMMENT ON FUNCTION sample_plan(quarter, quarter, integer, integer, date, bigint, bigint) IS
	'sample generator: one row per synthetic issue with the slots and days of its life';

CREATE FUNCTION generate_sample_issues(from_q quarter, to_q quarter,
									   per_quarter integer, seed integer)
	RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	-- Nothing happens after today: a quarter still running stops here.
	cutoff date := least(upper(to_q), current_date);
	total bigint;
	base_id bigint;
	base_number bigint;
	made bigint;
	source text := format('synthetic sample (seed %s)', seed);
BEGIN
	PERFORM require_role(acting_login(), '{}', 'generate sample issues');
	IF from_q IS NULL OR to_q IS NULL OR per_quarter IS NULL OR seed IS NULL THEN
		RAISE EXCEPTION 'from_q, to_q, per_quarter and seed are required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF from_q > to_q THEN
		RAISE EXCEPTION 'from_q % is after to_q %', from_q, to_q
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF per_quarter NOT BETWEEN 1 AND 10000000 THEN
		RAISE EXCEPTION 'per_quarter % is out of range', per_quarter
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Make 1 to 10000000 issues per quarter.';
	ELSIF lower(from_q) > current_date THEN
		RAISE EXCEPTION 'quarter % has not begun', from_q
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF NOT EXISTS (SELECT FROM sample_counties(seed)) THEN
		RAISE EXCEPTION 'the sample province is not loaded'
			USING ERRCODE = 'IL005',
				  HINT = 'Run SELECT issuelist.load_sample_province() first.';
	END IF;
	total := per_quarter::bigint * (to_q - from_q + 1);

	-- Reserve a block of issue ids and of code numbers: registrations wait
	-- for us (their inserts conflict with this lock), so nobody takes one.
	LOCK TABLE issue IN SHARE ROW EXCLUSIVE MODE;
	LOCK TABLE issue_counter IN SHARE ROW EXCLUSIVE MODE;
	base_id := nextval(pg_get_serial_sequence('issue', 'id'));
	PERFORM setval(pg_get_serial_sequence('issue', 'id'), base_id + total - 1);
	SELECT coalesce(max(c.last_number), 0) INTO base_number FROM issue_counter c;

	INSERT INTO official (name, org, post)
		SELECT sample_official(seed, c.k, j), c.code,
			   (ARRAY['Party secretary', 'head', 'deputy head'])[j + 1]
		  FROM sample_counties(seed) c, generate_series(0, 2) j
		ON CONFLICT DO NOTHING;

	INSERT INTO issue (id, code, list, source, org, official, title, severity,
					   origin, state, found_on, due_on, closed_on,
					   reopen_count, tags, tolerated_until)
		OVERRIDING SYSTEM VALUE
		SELECT p.id, p.code, p.list, source, p.org, p.official, p.title,
			   p.severity, p.origin, s.state, p.found_on, s.due_on,
			   s.closed_on, s.reopen_count, '{synthetic}', s.tolerated_until
		  FROM sample_plan(from_q, to_q, per_quarter, seed, cutoff, base_id, base_number) p
		 CROSS JOIN LATERAL sample_snapshot(p.last_slot, p.slots, p.d, p.due0,
											p.due1, p.tol_until) s;
	GET DIAGNOSTICS made = ROW_COUNT;

	-- The history, as the workflow functions would have recorded it: the
	-- county's editor works the issue, the city's verifier accepts, refuses,
	-- reopens, withdraws, extends and tolerates.  Recorded during office
	-- hours of the effective day, China time.
	INSERT INTO issue_event (issue, seq, org, on_date, recorded_at, actor, role,
							 event, from_state, to_state, note, state, due_on,
							 reopen_count, closed_on, tolerated_until)
		SELECT p.id, e.seq, p.org, p.d[e.slot],
			   (p.d[e.slot] + make_interval(mins => 540 + sample_int(seed, p.id - base_id + 1, 32 + e.slot::integer, 0, 479)))
				   AT TIME ZONE 'Asia/Shanghai',
			   CASE WHEN v.verifier THEN 'verifier_' || p.city ELSE 'editor_' || p.org END,
			   CASE WHEN v.verifier THEN 'issuelist_verifier' ELSE 'issuelist_editor' END,
			   CASE e.slot WHEN 1 THEN 'registered' WHEN 5 THEN 'extension'
					WHEN 6 THEN 'tolerance' ELSE 'transition' END,
			   CASE WHEN e.slot NOT IN (1, 5, 6) THEN sample_state(p.slots[e.seq - 1], p.slots) END,
			   CASE WHEN e.slot NOT IN (5, 6) THEN s.state END,
			   CASE e.slot
					WHEN 1 THEN source
					WHEN 2 THEN 'assigned to ' || p.official
					WHEN 5 THEN 'rectification needs a budget allocation'
					WHEN 6 THEN 'good-faith error in an emergency (approved by Zhejiang review board'
								|| coalesce(', until ' || p.tol_until, '') || ')'
					ELSE (ARRAY[NULL, NULL, 'rectification started',
								'long-term rectification plan approved', NULL, NULL,
								'submitted for acceptance', 'acceptance refused: evidence incomplete',
								'submitted for acceptance', 'verified and struck off',
								'the problem came back', 'rectification restarted',
								'submitted for acceptance', 'verified and struck off',
								'not substantiated'])[e.slot] END,
			   s.state, s.due_on, s.reopen_count, s.closed_on, s.tolerated_until
		  FROM sample_plan(from_q, to_q, per_quarter, seed, cutoff, base_id, base_number) p
		 CROSS JOIN LATERAL unnest(p.slots) WITH ORDINALITY AS e(slot, seq)
		 CROSS JOIN LATERAL sample_snapshot(e.slot, p.slots, p.d, p.due0, p.due1, p.tol_until) s
		 CROSS JOIN LATERAL (SELECT e.slot IN (5, 6, 8, 10, 11, 14, 15) AS verifier) v
		 WHERE p.d[e.slot] <= cutoff;

	INSERT INTO tolerance (issue, org, from_on, until_on, reason, requester,
						   approved_by, recorded_at)
		SELECT p.id, p.org, p.d[6], p.tol_until,
			   'good-faith error in an emergency', 'verifier_' || p.city,
			   'Zhejiang review board',
			   (p.d[6] + make_interval(mins => 540 + sample_int(seed, p.id - base_id + 1, 38, 0, 479)))
				   AT TIME ZONE 'Asia/Shanghai'
		  FROM sample_plan(from_q, to_q, per_quarter, seed, cutoff, base_id, base_number) p
		 WHERE 6 = ANY (p.slots) AND p.d[6] <= cutoff;

	INSERT INTO issue_counter AS c (list, year, last_number)
		SELECT l.code, y, base_number + total
		  FROM list l, generate_series(year(from_q), year(to_q)) y
		ON CONFLICT ON CONSTRAINT issue_counter_pkey
		DO UPDATE SET last_number = greatest(c.last_number, excluded.last_number);

	ANALYZE issue;
	ANALYZE issue_event;
	RETURN made;
END $$;
COMMENT ON FUNCTION generate_sample_issues(quarter, quarter, integer, integer) IS
	'add a synthetic, reproducible history of issues (per_quarter issues found in each quarter from from_q to to_q, across the sample province''s counties; nothing after today), marked source ''synthetic sample (seed N)'' and tag synthetic; returns how many (issuelist_admin)';

REVOKE ALL ON FUNCTION load_sample_province(),
	generate_sample_issues(quarter, quarter, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION load_sample_province(),
	generate_sample_issues(quarter, quarter, integer, integer) TO issuelist_admin;

-- ---------------------------------------------------------------------------
-- The type tally (tally.c, docs/tally.md): for one quarter and as-of day,
-- per list position x severity x origin, the counts and sums from which the
-- deduction score of every model follows exactly.  Mergeable: the tally of
-- a city is the sum of its counties' tallies.
-- ---------------------------------------------------------------------------

CREATE TYPE tally;

CREATE FUNCTION tally_in(cstring) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tally_out(tally) RETURNS cstring
	AS 'MODULE_PATHNAME', 'tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tally_recv(internal) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tally_send(tally) RETURNS bytea
	AS 'MODULE_PATHNAME', 'tally_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE tally (
	INPUT = tally_in,
	OUTPUT = tally_out,
	RECEIVE = tally_recv,
	SEND = tally_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE tally IS
	'summary of a set of issues for one quarter and as-of day: per list position, severity and origin, the counts and sums the deduction score needs (see tally_json)';
COMMENT ON FUNCTION tally_in(cstring) IS 'text input of tally, e.g. 2021Q1@2021-03-31{1:critical:external overdue=1 overdue_months=3}';
COMMENT ON FUNCTION tally_out(tally) IS 'canonical text output of tally (non-empty cells in key order, non-zero counters in counter order)';
COMMENT ON FUNCTION tally_recv(internal) IS 'binary input of tally (checks the version byte, the cell count and every cell)';
COMMENT ON FUNCTION tally_send(tally) IS 'binary output of tally, format version 1';

CREATE FUNCTION tally_json(tally) RETURNS json
	AS 'MODULE_PATHNAME', 'tally_json' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tally_json(tally) IS
	'the tally as json: version, quarter, as_of and the non-empty cells with every counter';

CREATE FUNCTION empty_tally(q quarter, as_of date) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_empty' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION empty_tally(quarter, date) IS
	'the tally of no issues for a quarter and an as-of day within it';

CREATE FUNCTION tally_quarter(tally) RETURNS quarter
	AS 'MODULE_PATHNAME', 'tally_quarter' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION tally_as_of(tally) RETURNS date
	AS 'MODULE_PATHNAME', 'tally_as_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tally_quarter(tally) IS 'the quarter a tally describes';
COMMENT ON FUNCTION tally_as_of(tally) IS 'the day as of which a tally counts the issues';

-- Merging: only tallies of the same quarter and as-of day add up.
CREATE FUNCTION tally_merge(tally, tally) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_merge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tally_merge(tally, tally) IS
	'the tally of both sets of issues; an error (22023) for different quarters or as-of days';
CREATE OPERATOR + (
	LEFTARG = tally, RIGHTARG = tally, FUNCTION = tally_merge, COMMUTATOR = +
);
COMMENT ON OPERATOR + (tally, tally) IS 'merge two tallies of the same quarter and as-of day';

-- The aggregates.  Their state is the tally type itself (no serialization
-- functions needed) and lives "dense" while they run; the final function
-- keeps only the non-empty cells.
CREATE FUNCTION tally_transfn(tally, quarter, date, smallint, severity, text,
		issue_state, date, date, date, integer, boolean) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tally_combine(tally, tally) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION tally_finalfn(tally) RETURNS tally
	AS 'MODULE_PATHNAME', 'tally_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION tally_transfn(tally, quarter, date, smallint, severity, text,
		issue_state, date, date, date, integer, boolean) IS
	'transition function of the tally aggregate: puts one issue into its bucket';
COMMENT ON FUNCTION tally_combine(tally, tally) IS
	'combine function of tally(...) and transition function of sum(tally)';
COMMENT ON FUNCTION tally_finalfn(tally) IS
	'final function of tally(...) and sum(tally): drops empty cells';

CREATE AGGREGATE tally(q quarter, as_of date, list smallint, severity severity,
		origin text, state issue_state, found_on date, due_on date,
		closed_on date, reopen_count integer, tolerated boolean) (
	SFUNC = tally_transfn,
	STYPE = tally,
	COMBINEFUNC = tally_combine,
	FINALFUNC = tally_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE tally(quarter, date, smallint, severity, text, issue_state,
		date, date, date, integer, boolean) IS
	'the tally of a set of issues as they stand on an as-of day of quarter q (list is the list position 1..16)';

CREATE AGGREGATE sum(tally) (
	SFUNC = tally_combine,
	STYPE = tally,
	COMBINEFUNC = tally_combine,
	FINALFUNC = tally_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sum(tally) IS
	'the merge of tallies of one quarter and as-of day (NULLs ignored)';

-- Accessors.
CREATE FUNCTION tally_count(t tally, what text, list integer DEFAULT NULL,
		severity severity DEFAULT NULL, origin text DEFAULT NULL) RETURNS bigint
	AS 'MODULE_PATHNAME', 'tally_count' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION tally_count(tally, text, integer, severity, text) IS
	'a count of the tally (open, closed, issues or a counter name) over the cells of the list position, severity and origin given (NULL: all)';

CREATE FUNCTION tally_cells(t tally, OUT list smallint, OUT severity severity,
		OUT origin text, OUT open_in_time bigint, OUT open_in_time_reopens bigint,
		OUT overdue bigint, OUT overdue_months bigint, OUT overdue_reopens bigint,
		OUT overdue_reopen_months bigint, OUT closed_on_time bigint,
		OUT closed_on_time_reopens bigint, OUT closed_late bigint,
		OUT closed_late_reopens bigint, OUT tolerated bigint,
		OUT tolerated_open bigint, OUT withdrawn bigint, OUT new bigint,
		OUT days_to_close bigint, OUT reopened bigint) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tally_cells' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION tally_cells(tally) IS
	'one row per non-empty cell of the tally with every counter';

-- ---------------------------------------------------------------------------
-- The deduction model (docs/scoring.md): score_model holds every weight of a
-- model as a column, score_model_list the per-list weights (1 when absent).
-- score(tally, model) = 100 K / (K + D), D = Σ d_i computed from the tally.
-- ---------------------------------------------------------------------------

-- Every weight is a finite number >= 0, named in its constraint so that a
-- refused model says which weight is wrong (NaN and infinity fail
-- "< 'Infinity'").  No defaults: a missing weight is an error, not a guess.
CREATE TABLE score_model (
	name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]*$'),
	description text,
	w_general float8 NOT NULL CONSTRAINT w_general_is_a_weight CHECK (w_general >= 0 AND w_general < 'Infinity'),
	w_serious float8 NOT NULL CONSTRAINT w_serious_is_a_weight CHECK (w_serious >= 0 AND w_serious < 'Infinity'),
	w_major float8 NOT NULL CONSTRAINT w_major_is_a_weight CHECK (w_major >= 0 AND w_major < 'Infinity'),
	w_critical float8 NOT NULL CONSTRAINT w_critical_is_a_weight CHECK (w_critical >= 0 AND w_critical < 'Infinity'),
	w_self float8 NOT NULL CONSTRAINT w_self_is_a_weight CHECK (w_self >= 0 AND w_self < 'Infinity'),
	w_external float8 NOT NULL CONSTRAINT w_external_is_a_weight CHECK (w_external >= 0 AND w_external < 'Infinity'),
	w_concealed float8 NOT NULL CONSTRAINT w_concealed_is_a_weight CHECK (w_concealed >= 0 AND w_concealed < 'Infinity'),
	overdue_rate float8 NOT NULL CONSTRAINT overdue_rate_is_a_weight CHECK (overdue_rate >= 0 AND overdue_rate < 'Infinity'),
	closed_on_time float8 NOT NULL CONSTRAINT closed_on_time_is_a_weight CHECK (closed_on_time >= 0 AND closed_on_time < 'Infinity'),
	closed_late float8 NOT NULL CONSTRAINT closed_late_is_a_weight CHECK (closed_late >= 0 AND closed_late < 'Infinity'),
	recurrence_rate float8 NOT NULL CONSTRAINT recurrence_rate_is_a_weight CHECK (recurrence_rate >= 0 AND recurrence_rate < 'Infinity'),
	k float8 NOT NULL CONSTRAINT k_is_positive CHECK (k > 0 AND k < 'Infinity')
);
COMMENT ON TABLE score_model IS
	'deduction score models: every weight a column, none may be missing or negative (docs/scoring.md)';
COMMENT ON COLUMN score_model.name IS 'the model''s name, as score(..., model) takes it';
COMMENT ON COLUMN score_model.description IS 'what the model is for';
COMMENT ON COLUMN score_model.w_general IS 'W_sev of a general issue';
COMMENT ON COLUMN score_model.w_serious IS 'W_sev of a serious issue';
COMMENT ON COLUMN score_model.w_major IS 'W_sev of a major issue';
COMMENT ON COLUMN score_model.w_critical IS 'W_sev of a critical issue';
COMMENT ON COLUMN score_model.w_self IS 'W_origin of an issue the organization found itself';
COMMENT ON COLUMN score_model.w_external IS 'W_origin of an issue found by a higher level or an outside body';
COMMENT ON COLUMN score_model.w_concealed IS 'W_origin of an issue found by others after it was hidden';
COMMENT ON COLUMN score_model.overdue_rate IS 'f of an overdue issue is 1 + overdue_rate * min(12, overdue months)';
COMMENT ON COLUMN score_model.closed_on_time IS 'f of an issue closed within the quarter on or before its due day';
COMMENT ON COLUMN score_model.closed_late IS 'f of an issue closed within the quarter after its due day';
COMMENT ON COLUMN score_model.recurrence_rate IS 'd_i is multiplied by 1 + recurrence_rate * reopen_count';
COMMENT ON COLUMN score_model.k IS 'K of score = 100 K / (K + D): the deductions that halve the score';

INSERT INTO score_model VALUES ('standard',
	'the default model of DESIGN.md: severities 1, 2, 4, 8; origins 0.5, 1, 2',
	1, 2, 4, 8, 0.5, 1, 2, 0.25, 0.2, 0.5, 0.5, 50);
-- Users' models are dumped; the seeded one is recreated by CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('score_model', 'WHERE name <> ''standard''');

CREATE TABLE score_model_list (
	model text NOT NULL REFERENCES score_model ON UPDATE CASCADE ON DELETE CASCADE,
	list text NOT NULL REFERENCES list (code) ON UPDATE CASCADE ON DELETE CASCADE,
	weight float8 NOT NULL CONSTRAINT weight_is_a_weight CHECK (weight >= 0 AND weight < 'Infinity'),
	PRIMARY KEY (model, list)
);
COMMENT ON TABLE score_model_list IS 'W_list of a model for a list; a list not named here weighs 1';
COMMENT ON COLUMN score_model_list.model IS 'the score model';
COMMENT ON COLUMN score_model_list.list IS 'the list (code)';
COMMENT ON COLUMN score_model_list.weight IS 'W_list: multiplies every d_i of the list';
SELECT pg_catalog.pg_extension_config_dump('score_model_list', '');

-- The C functions over a tally take the weights as arrays (list weights by
-- list position 1..16, severities general..critical, origins self,
-- external, concealed) so that they stay IMMUTABLE.
CREATE FUNCTION tally_deductions(t tally, w_list float8[], w_severity float8[],
		w_origin float8[], overdue_rate float8, closed_on_time float8,
		closed_late float8, recurrence_rate float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'tally_deductions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tally_deductions(tally, float8[], float8[], float8[], float8, float8, float8, float8) IS
	'D = Σ d_i of the issues of a tally under explicit weights (16 list, 4 severity, 3 origin weights, then the rates)';

CREATE FUNCTION tally_explain(t tally, w_list float8[], w_severity float8[],
		w_origin float8[], overdue_rate float8, closed_on_time float8,
		closed_late float8, recurrence_rate float8,
		OUT list smallint, OUT severity severity, OUT origin text,
		OUT bucket text, OUT issues bigint, OUT points float8,
		OUT arithmetic text) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tally_explain' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 30;
COMMENT ON FUNCTION tally_explain(tally, float8[], float8[], float8[], float8, float8, float8, float8) IS
	'one row per cell and bucket of a tally: issues, points and the arithmetic; the points add up, in row order, to exactly tally_deductions()';

-- The weights of a model, as the C functions take them.
CREATE FUNCTION model_weights(model text, OUT w_list float8[], OUT w_severity float8[],
		OUT w_origin float8[], OUT overdue_rate float8, OUT closed_on_time float8,
		OUT closed_late float8, OUT recurrence_rate float8, OUT k float8)
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
BEGIN
	SELECT ARRAY[m.w_general, m.w_serious, m.w_major, m.w_critical],
		   ARRAY[m.w_self, m.w_external, m.w_concealed],
		   m.overdue_rate, m.closed_on_time, m.closed_late, m.recurrence_rate, m.k
	  INTO w_severity, w_origin, overdue_rate, closed_on_time, closed_late,
		   recurrence_rate, k
	  FROM score_model m WHERE m.name = model;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown score model "%"', model
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The models are the rows of issuelist.score_model.';
	END IF;
	SELECT array_agg(coalesce(w.weight, 1) ORDER BY p.p)
	  INTO w_list
	  FROM generate_series(1, 16) p
	  LEFT JOIN list l ON l.position = p.p
	  LEFT JOIN score_model_list w ON w.list = l.code AND w.model = model_weights.model;
END $$;
COMMENT ON FUNCTION model_weights(text) IS
	'the weights of a score model as arrays (list weights by list position) and K; an error for an unknown model';

CREATE FUNCTION deductions(t tally, model text DEFAULT 'standard') RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT tally_deductions(t, w.w_list, w.w_severity, w.w_origin, w.overdue_rate,
							w.closed_on_time, w.closed_late, w.recurrence_rate)
	  FROM model_weights(model) w
$$;
COMMENT ON FUNCTION deductions(tally, text) IS 'D = Σ d_i of the issues of a tally under a score model';

CREATE FUNCTION score(t tally, model text DEFAULT 'standard') RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT 100 * w.k / (w.k + tally_deductions(t, w.w_list, w.w_severity,
			w.w_origin, w.overdue_rate, w.closed_on_time, w.closed_late,
			w.recurrence_rate))
	  FROM model_weights(model) w
$$;
COMMENT ON FUNCTION score(tally, text) IS
	'the score 100 K / (K + D) of the issues of a tally under a score model: 100 with no deductions';

CREATE FUNCTION explain_tally(t tally, model text DEFAULT 'standard')
	RETURNS TABLE (list text, severity severity, origin text, bucket text,
				   issues bigint, points float8, arithmetic text)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT coalesce(l.code, e.list::text), e.severity, e.origin, e.bucket,
		   e.issues, e.points, e.arithmetic
	  FROM model_weights(model) w,
		   tally_explain(t, w.w_list, w.w_severity, w.w_origin, w.overdue_rate,
						 w.closed_on_time, w.closed_late, w.recurrence_rate)
			 WITH ORDINALITY e
	  LEFT JOIN issuelist.list l ON l.position = e.list
	 ORDER BY e.ordinality
$$;
COMMENT ON FUNCTION explain_tally(tally, text) IS
	'the facts behind score(tally, model): list, severity, origin, bucket, issues, points and the arithmetic; sum(points) over the rows is the deductions';

-- Everyone who works with the issues reads the models; only the admin
-- changes them.
GRANT SELECT ON score_model, score_model_list
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
GRANT INSERT, UPDATE, DELETE ON score_model, score_model_list TO issuelist_admin;

-- Comprehensive evaluation (evaluate.c): entropy weights, TOPSIS closeness
-- and the Wilson lower bound.  Definitions: docs/evaluation.md.

CREATE FUNCTION wilson_lower(successes bigint, trials bigint, z float8 DEFAULT 1.96)
RETURNS float8
AS 'MODULE_PATHNAME', 'wilson_lower'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wilson_lower(bigint, bigint, float8) IS
'Lower bound of the Wilson score interval for successes out of trials at z standard deviations (default 1.96, 95%); 0 when trials = 0';

-- A window function: its result depends on the other rows of the partition,
-- which the executor hands it, so IMMUTABLE as for rank().  Not STRICT: a
-- row whose criteria, weights or benefit is NULL gets NULL, and a NULL
-- criteria leaves the row out of the partition's statistics.
CREATE FUNCTION topsis(criteria float8[], weights float8[], benefit bool[])
RETURNS float8
AS 'MODULE_PATHNAME', 'topsis'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION topsis(float8[], float8[], bool[]) IS
'Window function: TOPSIS relative closeness (0..1, 1 = the ideal) of the row''s criteria to the ideal of its partition, with vector normalization, non-negative weights and benefit (true) or cost (false) per criterion';

-- The aggregate keeps every row in an internal state (min-max normalization
-- needs each column's range first); serial/deserial/combine make it
-- parallel safe.
CREATE FUNCTION entropy_weights_trans(internal, float8[])
RETURNS internal
AS 'MODULE_PATHNAME', 'entropy_weights_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION entropy_weights_trans(internal, float8[]) IS
'Transition function of entropy_weights: validates a row of criteria and keeps it';

CREATE FUNCTION entropy_weights_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'entropy_weights_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION entropy_weights_combine(internal, internal) IS
'Combine function of entropy_weights: the rows of two partial states';

CREATE FUNCTION entropy_weights_serial(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'entropy_weights_serial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION entropy_weights_serial(internal) IS
'Serialization function of entropy_weights (parallel aggregation)';

CREATE FUNCTION entropy_weights_deserial(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'entropy_weights_deserial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION entropy_weights_deserial(bytea, internal) IS
'Deserialization function of entropy_weights (parallel aggregation)';

CREATE FUNCTION entropy_weights_final(internal)
RETURNS float8[]
AS 'MODULE_PATHNAME', 'entropy_weights_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION entropy_weights_final(internal) IS
'Final function of entropy_weights: the weights from the kept rows';

CREATE AGGREGATE entropy_weights(float8[]) (
	SFUNC = entropy_weights_trans,
	STYPE = internal,
	FINALFUNC = entropy_weights_final,
	COMBINEFUNC = entropy_weights_combine,
	SERIALFUNC = entropy_weights_serial,
	DESERIALFUNC = entropy_weights_deserial,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE entropy_weights(float8[]) IS
'Entropy weight method over rows of criteria (one array per alternative, cost criteria negated): weights that sum to 1, larger for criteria that tell the alternatives apart; equal weights for fewer than two rows or when every criterion is constant';

-- ---------------------------------------------------------------------------
-- Frozen quarters (docs/scoring.md, "Freezing"): freeze_quarter(q) stores one
-- tally per organization (its own issues, not its subtree) as of the
-- quarter's last day, computed from the history in one pass, as a new
-- revision.  Reports read the latest revision of a frozen quarter and never
-- rescan the issues; events recorded later do not change it.
-- ---------------------------------------------------------------------------

CREATE TABLE quarter_freeze (
	q quarter NOT NULL,
	revision integer NOT NULL CHECK (revision > 0),
	as_of date NOT NULL,
	computed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	computed_by name NOT NULL DEFAULT current_user,
	issues bigint NOT NULL,
	PRIMARY KEY (q, revision),
	CHECK (as_of = upper(q))
);
COMMENT ON TABLE quarter_freeze IS 'one row per freeze of a quarter: its revision, when and by whom it was computed';
COMMENT ON COLUMN quarter_freeze.q IS 'the quarter';
COMMENT ON COLUMN quarter_freeze.revision IS '1 for the first freeze, then 2, 3... : reports read the latest';
COMMENT ON COLUMN quarter_freeze.as_of IS 'the day as of which the issues were counted: the quarter''s last day';
COMMENT ON COLUMN quarter_freeze.computed_at IS 'when the revision was computed';
COMMENT ON COLUMN quarter_freeze.computed_by IS 'who computed it';
COMMENT ON COLUMN quarter_freeze.issues IS 'the issues counted (in scope of the quarter) over all organizations';

CREATE TABLE rollup (
	q quarter NOT NULL,
	revision integer NOT NULL,
	org text NOT NULL REFERENCES org (code) ON UPDATE CASCADE,
	tally tally NOT NULL,
	computed_at timestamptz NOT NULL,
	PRIMARY KEY (q, revision, org),
	FOREIGN KEY (q, revision) REFERENCES quarter_freeze ON DELETE CASCADE
);
COMMENT ON TABLE rollup IS
	'the frozen tally of each organization''s own issues (not its subtree) per quarter and revision; an organization without issues has no row';
COMMENT ON COLUMN rollup.q IS 'the quarter';
COMMENT ON COLUMN rollup.revision IS 'the revision of quarter_freeze this tally belongs to';
COMMENT ON COLUMN rollup.org IS 'the organization whose own issues are counted';
COMMENT ON COLUMN rollup.tally IS 'the tally of its issues as of the quarter''s last day';
COMMENT ON COLUMN rollup.computed_at IS 'when it was computed';
SELECT pg_catalog.pg_extension_config_dump('quarter_freeze', '');
SELECT pg_catalog.pg_extension_config_dump('rollup', '');

-- The latest revision of a frozen quarter, NULL when it is not frozen.
CREATE FUNCTION frozen_revision(q quarter) RETURNS integer
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT max(f.revision) FROM quarter_freeze f WHERE f.q = frozen_revision.q
$$;
COMMENT ON FUNCTION frozen_revision(quarter) IS
	'the latest revision of a frozen quarter, NULL when the quarter is not frozen';

-- The day T as of which a quarter is scored: its last day once it is over,
-- today during it; a quarter that has not begun has no score.
CREATE FUNCTION quarter_as_of(q quarter) RETURNS date
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
BEGIN
	IF lower(q) > current_date THEN
		RAISE EXCEPTION 'quarter % has not begun', q
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN least(upper(q), current_date);
END $$;
COMMENT ON FUNCTION quarter_as_of(quarter) IS
	'the as-of day T of a quarter''s score: its last day, or today for the current quarter';

-- Each organization's own tally for a quarter: from the latest frozen
-- revision, else computed from the history as of T in one pass.  Scores
-- and rankings count every issue whoever asks (a county office sees the
-- same ranking as the province, never another county's issues), so the
-- live path reads the history with the extension owner's rights.
CREATE FUNCTION org_tallies(q quarter, OUT org text, OUT tally tally)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER ROWS 100 AS $$
DECLARE
	rev integer := frozen_revision(q);
	t date;
BEGIN
	IF rev IS NOT NULL THEN
		RETURN QUERY SELECT r.org, r.tally FROM rollup r
			WHERE r.q = org_tallies.q AND r.revision = rev;
		RETURN;
	END IF;
	t := quarter_as_of(q);
	RETURN QUERY
		SELECT i.org, issuelist.tally(org_tallies.q, t, i.list_position,
				i.severity, i.origin, i.state, i.found_on, i.due_on,
				i.closed_on, i.reopen_count, i.tolerated)
		  FROM issues_as_of(t) i
		 GROUP BY i.org;
END $$;
COMMENT ON FUNCTION org_tallies(quarter) IS
	'each organization''s own tally for a quarter (organizations without issues have no row): the latest frozen revision, else live from issues_as_of';

-- The as-of day of an organization's tallies for a quarter.
CREATE FUNCTION tally_day(q quarter) RETURNS date
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT coalesce((SELECT f.as_of FROM quarter_freeze f
					  WHERE f.q = tally_day.q
					  ORDER BY f.revision DESC LIMIT 1),
					quarter_as_of(q))
$$;
COMMENT ON FUNCTION tally_day(quarter) IS
	'the as-of day of a quarter''s tallies: the frozen day, else quarter_as_of(q)';

-- The tally of an organization's whole subtree for a quarter (owner's
-- rights, as org_tallies).
CREATE FUNCTION org_tally(org text, q quarter) RETURNS tally
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER AS $$
DECLARE
	result tally;
	t date;
BEGIN
	IF NOT EXISTS (SELECT FROM issuelist.org o WHERE o.code = org_tally.org) THEN
		RAISE EXCEPTION 'unknown organization "%"', org
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF frozen_revision(q) IS NOT NULL THEN
		SELECT sum(r.tally) INTO result FROM rollup r
		 WHERE r.q = org_tally.q AND r.revision = frozen_revision(org_tally.q)
		   AND r.org IN (SELECT subtree(org_tally.org));
	ELSE
		t := quarter_as_of(q);
		SELECT issuelist.tally(org_tally.q, t, i.list_position, i.severity,
				i.origin, i.state, i.found_on, i.due_on, i.closed_on,
				i.reopen_count, i.tolerated)
		  INTO result
		  FROM issues_as_of(t) i
		 WHERE i.org IN (SELECT subtree(org_tally.org));
	END IF;
	RETURN coalesce(result, empty_tally(q, tally_day(q)));
END $$;
COMMENT ON FUNCTION org_tally(text, quarter) IS
	'the tally of an organization''s whole subtree for a quarter: summed from the frozen rollup, else computed live';

-- The admin's step; it runs with the owner's rights so that the rollup
-- counts every issue, not those the caller's row security shows.
CREATE FUNCTION freeze_quarter(q quarter) RETURNS integer
	LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER AS $$
DECLARE
	rev integer;
	t date := upper(q);
	now_ts timestamptz := clock_timestamp();
	n bigint;
BEGIN
	PERFORM require_role(acting_login(), '{}', 'freeze quarters');
	IF t >= current_date THEN
		RAISE EXCEPTION 'quarter % is not over: it can be frozen from %', q, t + 1
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- One freeze of a quarter at a time, so revisions are consecutive.
	LOCK TABLE quarter_freeze IN SHARE ROW EXCLUSIVE MODE;
	SELECT coalesce(max(f.revision), 0) + 1 INTO rev
	  FROM quarter_freeze f WHERE f.q = freeze_quarter.q;
	INSERT INTO quarter_freeze (q, revision, as_of, computed_at, computed_by, issues)
		VALUES (q, rev, t, now_ts, acting_login(), 0);
	-- The one pass over the history.
	INSERT INTO rollup (q, revision, org, tally, computed_at)
		SELECT freeze_quarter.q, rev, i.org,
			   issuelist.tally(freeze_quarter.q, t, i.list_position, i.severity,
					i.origin, i.state, i.found_on, i.due_on, i.closed_on,
					i.reopen_count, i.tolerated),
			   now_ts
		  FROM issues_as_of(t) i
		 GROUP BY i.org;
	SELECT coalesce(sum(tally_count(r.tally, 'issues')), 0) INTO n
	  FROM rollup r WHERE r.q = freeze_quarter.q AND r.revision = rev;
	UPDATE quarter_freeze f SET issues = n
	 WHERE f.q = freeze_quarter.q AND f.revision = rev;
	RETURN rev;
END $$;
COMMENT ON FUNCTION freeze_quarter(quarter) IS
	'compute and store the quarter''s rollup (one tally per organization, as of its last day, from the history) as a new revision; returns the revision';

GRANT SELECT ON quarter_freeze, rollup
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
REVOKE ALL ON FUNCTION freeze_quarter(quarter) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION freeze_quarter(quarter) TO issuelist_admin;

-- ---------------------------------------------------------------------------
-- Scores of organizations and the quarterly ranking (docs/ranking.md).
-- Everything here starts from org_tallies / org_tally: frozen quarters are
-- read from their rollup and never rescan the issues.
-- ---------------------------------------------------------------------------

CREATE FUNCTION score(org text, q quarter, model text DEFAULT 'standard')
	RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT issuelist.score(org_tally(org, q), model)
$$;
COMMENT ON FUNCTION score(text, quarter, text) IS
	'the score 100 K / (K + D) of an organization''s whole subtree in a quarter (frozen rollup, else live as of today)';

-- score('330782', '2021Q1') with two untyped literals would be ambiguous
-- between score(tally, text) and score(text, quarter, text); this overload
-- takes the quarter as text so such calls resolve.
CREATE FUNCTION score(org text, q text, model text DEFAULT 'standard')
	RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT issuelist.score(org, q::issuelist.quarter, model)
$$;
COMMENT ON FUNCTION score(text, text, text) IS
	'score(org, quarter, model) with the quarter written as text, e.g. score(''330782'', ''2021Q1'')';

CREATE FUNCTION explain_score(org text, q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (list text, severity severity, origin text, bucket text,
				   issues bigint, points float8, arithmetic text)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT * FROM explain_tally(org_tally(org, q), model)
$$;
COMMENT ON FUNCTION explain_score(text, quarter, text) IS
	'the facts behind score(org, q, model): one row per list, severity, origin and bucket with its issues, points and arithmetic; sum(points) is the deductions';

-- The subtree tallies of the organizations of one level, for a quarter.
CREATE FUNCTION level_tallies(q quarter, level text)
	RETURNS TABLE (org text, name text, tally tally)
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE ROWS 100 AS $$
DECLARE
	t date := tally_day(q);
BEGIN
	IF NOT EXISTS (SELECT FROM issuelist.org o WHERE o.level = level_tallies.level) THEN
		RAISE EXCEPTION 'no organization of level "%"', level
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The levels are province, city, county and township.';
	END IF;
	RETURN QUERY
		WITH own AS (SELECT * FROM org_tallies(q))
		SELECT p.code, p.name,
			   coalesce(sum(own.tally), empty_tally(q, t))
		  FROM issuelist.org p
		  JOIN issuelist.org c ON c.path <@ p.path
		  LEFT JOIN own ON own.org = c.code
		 WHERE p.level = level_tallies.level
		 GROUP BY p.code, p.name;
END $$;
COMMENT ON FUNCTION level_tallies(quarter, text) IS
	'the tally of the whole subtree of every organization of a level for a quarter, summed from its organizations'' own tallies';

-- One quarter's ranking without the change of rank: the peers' subtree
-- tallies, their indicators, rank() by score or by TOPSIS closeness.
CREATE FUNCTION ranking_of_quarter(q quarter, model text, level text, by text,
		weights float8[])
	RETURNS TABLE (org text, name text, rank bigint, score float8,
				   deductions float8, on_time_rate float8, on_time_lower float8,
				   open bigint, overdue bigint, veto boolean, top_ten boolean,
				   closeness float8)
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100 AS $$
BEGIN
	IF by IS NULL OR by NOT IN ('score', 'topsis') THEN
		RAISE EXCEPTION 'cannot rank by "%"', by
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Rank by score or by topsis.';
	END IF;
	RETURN QUERY
	WITH base AS (
		SELECT l.org, l.name, l.tally,
			   issuelist.score(l.tally, model) AS score,
			   issuelist.deductions(l.tally, model) AS deductions,
			   tally_count(l.tally, 'closed_on_time') AS on_time,
			   tally_count(l.tally, 'closed_on_time') + tally_count(l.tally, 'closed_late')
				   + tally_count(l.tally, 'overdue') AS trials,
			   tally_count(l.tally, 'open') AS open,
			   tally_count(l.tally, 'overdue') AS overdue,
			   tally_count(l.tally, 'overdue', severity => 'critical') > 0 AS veto
		  FROM level_tallies(q, level) l
	), indicators AS (
		-- score and on-time lower bound are benefits; overdue issues, open
		-- major and critical issues and reopened issues are costs.
		SELECT b.*, wilson_lower(b.on_time, b.trials) AS lower_bound,
			   ARRAY[b.score, wilson_lower(b.on_time, b.trials),
					 b.overdue::float8,
					 (tally_count(b.tally, 'open', severity => 'major')
					  + tally_count(b.tally, 'open', severity => 'critical'))::float8,
					 tally_count(b.tally, 'reopened')::float8] AS criteria
		  FROM base b
	), weighted AS (
		SELECT i.*,
			   CASE WHEN by = 'topsis' THEN
				   topsis(i.criteria,
						  coalesce(weights,
								   (SELECT entropy_weights(ARRAY[x.criteria[1], x.criteria[2],
											-x.criteria[3], -x.criteria[4], -x.criteria[5]])
									  FROM indicators x)),
						  ARRAY[true, true, false, false, false]) OVER ()
			   END AS closeness
		  FROM indicators i
	), ranked AS (
		SELECT w.*,
			   CASE WHEN by = 'topsis' THEN w.closeness ELSE w.score END AS merit
		  FROM weighted w
	)
	SELECT r.org, r.name, rank() OVER (ORDER BY r.merit DESC), r.score,
		   r.deductions,
		   CASE WHEN r.trials > 0 THEN r.on_time::float8 / r.trials END,
		   r.lower_bound, r.open, r.overdue, r.veto,
		   -- The best ten without a veto; a tie at the tenth place brings
		   -- every tied organization in.
		   NOT r.veto AND rank() OVER (PARTITION BY r.veto ORDER BY r.merit DESC) <= 10,
		   r.closeness
	  FROM ranked r;
END $$;
COMMENT ON FUNCTION ranking_of_quarter(quarter, text, text, text, float8[]) IS
	'ranking() of one quarter without the change of rank';

CREATE FUNCTION ranking(q quarter, model text DEFAULT 'standard',
		level text DEFAULT 'county', by text DEFAULT 'score',
		weights float8[] DEFAULT NULL)
	RETURNS TABLE (org text, name text, rank bigint, score float8,
				   deductions float8, on_time_rate float8, on_time_lower float8,
				   open bigint, overdue bigint, veto boolean, top_ten boolean,
				   rank_change bigint, closeness float8)
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100 AS $$
BEGIN
	-- The previous quarter counts only once it is frozen: the rank it was
	-- published with, read from its rollup, not a live recomputation.
	RETURN QUERY
	WITH previous AS (
		SELECT p.org, p.rank FROM ranking_of_quarter(q - 1, model, level, by, weights) p
		 WHERE frozen_revision(q - 1) IS NOT NULL
	)
	SELECT r.org, r.name, r.rank, r.score, r.deductions, r.on_time_rate,
		   r.on_time_lower, r.open, r.overdue, r.veto, r.top_ten,
		   p.rank - r.rank, r.closeness
	  FROM ranking_of_quarter(q, model, level, by, weights) r
	  LEFT JOIN previous p ON p.org = r.org
	 ORDER BY r.rank, r.org;
END $$;
COMMENT ON FUNCTION ranking(quarter, text, text, text, float8[]) IS
	'every organization of a level ranked against its peers for a quarter (rank() with ties, by score or by TOPSIS closeness), with deductions, on-time rate and its Wilson lower bound, open and overdue counts, the veto, the top ten and rank_change = previous rank - rank (positive: moved up) against the previous quarter when that quarter is frozen';

-- ---------------------------------------------------------------------------
-- Reports over tallies: an organization against the lists, its trend over
-- quarters, and an official's record.  The client and the BI views call
-- these, so every surface shows the same numbers.
-- ---------------------------------------------------------------------------

CREATE FUNCTION report_lists(org text, q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (list text, name_zh text, "position" smallint,
				   general bigint, serious bigint, major bigint, critical bigint,
				   new bigint, closed_on_time bigint, closed_late bigint,
				   open bigint, overdue bigint, tolerated bigint,
				   deductions float8)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	WITH t AS (SELECT org_tally(org, q) AS t),
	cells AS (SELECT c.* FROM t, tally_cells(t.t) c),
	points AS (SELECT e.list, sum(e.points) AS points
				 FROM t, explain_tally(t.t, model) e GROUP BY e.list)
	SELECT l.code, l.name_zh, l.position,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'general'), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'serious'), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'major'), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'critical'), 0)::bigint,
		   coalesce(sum(c.new), 0)::bigint,
		   coalesce(sum(c.closed_on_time), 0)::bigint,
		   coalesce(sum(c.closed_late), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.tolerated_open), 0)::bigint,
		   coalesce(sum(c.overdue), 0)::bigint,
		   coalesce(sum(c.tolerated), 0)::bigint,
		   coalesce(min(p.points), 0)
	  FROM issuelist.list l
	  LEFT JOIN cells c ON c.list = l.position
	  LEFT JOIN points p ON p.list = l.code
	 GROUP BY l.code, l.name_zh, l.position
	 ORDER BY l.position
$$;
COMMENT ON FUNCTION report_lists(text, quarter, text) IS
	'an organization''s report against the lists for a quarter (its whole subtree): issues by severity, new, closed on time and late, open, overdue, tolerated and the deductions of each list';

CREATE FUNCTION trend(org text, from_q quarter, to_q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (q quarter, score float8, rank bigint, deductions float8,
				   open bigint, overdue bigint, closed_on_time bigint,
				   closed_late bigint)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT s.q, r.score, r.rank, r.deductions, r.open, r.overdue,
		   tally_count(t.t, 'closed_on_time'), tally_count(t.t, 'closed_late')
	  FROM quarters(from_q, least(to_q, quarter(current_date))) s(q)
	  CROSS JOIN LATERAL (SELECT org_tally(trend.org, s.q) AS t) t
	  LEFT JOIN LATERAL (
		  SELECT k.* FROM ranking_of_quarter(s.q, model,
				(SELECT o.level FROM issuelist.org o WHERE o.code = trend.org),
				'score', NULL) k
		   WHERE k.org = trend.org) r ON true
	 ORDER BY s.q
$$;
COMMENT ON FUNCTION trend(text, quarter, quarter, text) IS
	'an organization''s score, rank among its peers, deductions and counts for each quarter from from_q to to_q (quarters not begun are left out)';

CREATE FUNCTION official_record(official text, q quarter, model text DEFAULT 'standard',
		official_org text DEFAULT NULL)
	RETURNS TABLE (name text, org text, issues bigint, open bigint,
				   overdue bigint, closed_on_time bigint, closed_late bigint,
				   tolerated bigint, deductions float8, on_time_rate float8,
				   on_time_lower float8)
	LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	t date := quarter_as_of(q);
	orgs text[];
	tl tally;
BEGIN
	-- Names are unique within an organization only.
	SELECT array_agg(f.org ORDER BY f.org) INTO orgs FROM issuelist.official f
	 WHERE f.name = official_record.official
	   AND (official_org IS NULL OR f.org = official_org);
	IF orgs IS NULL THEN
		RAISE EXCEPTION 'unknown official "%"', official_record.official
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF cardinality(orgs) > 1 THEN
		RAISE EXCEPTION 'official "%" is known in several organizations: %',
			official_record.official, array_to_string(orgs, ', ')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Name the organization: official_record(name, q, official_org => ...).';
	END IF;
	-- Officials are not in the rollup: their issues are read as of T.
	SELECT issuelist.tally(official_record.q, t, i.list_position, i.severity,
			i.origin, i.state, i.found_on, i.due_on, i.closed_on,
			i.reopen_count, i.tolerated)
	  INTO tl
	  FROM issues_as_of(t) i
	 WHERE i.official = official_record.official AND i.org = orgs[1];
	tl := coalesce(tl, empty_tally(q, t));
	RETURN QUERY SELECT official_record.official, orgs[1],
		tally_count(tl, 'issues'), tally_count(tl, 'open'),
		tally_count(tl, 'overdue'), tally_count(tl, 'closed_on_time'),
		tally_count(tl, 'closed_late'), tally_count(tl, 'tolerated'),
		issuelist.deductions(tl, model),
		CASE WHEN tally_count(tl, 'closed') + tally_count(tl, 'overdue') > 0 THEN
			tally_count(tl, 'closed_on_time')::float8
			/ (tally_count(tl, 'closed') + tally_count(tl, 'overdue')) END,
		wilson_lower(tally_count(tl, 'closed_on_time'),
					 tally_count(tl, 'closed') + tally_count(tl, 'overdue'));
END $$;
COMMENT ON FUNCTION official_record(text, quarter, text, text) IS
	'an official''s record over a quarter (official_org needed only when the name is known in several organizations): their issues in scope, open, overdue, closed on time and late, tolerated, their deductions and on-time rate with its Wilson lower bound';

-- ---------------------------------------------------------------------------
-- The BI surface (docs/bi-guide.md): schema issuelist_bi holds flat views
-- with plain types only (text, integer, bigint, numeric, boolean, date,
-- timestamptz), a description on every view and column, for BI tools that
-- connect with their stock PostgreSQL drivers and know nothing of our types.
--
-- Every view is security_invoker, so row security of the base tables holds
-- for the login that reads it.  A security_invoker view checks the base
-- tables' privileges against that login, so issuelist_reader is granted
-- SELECT on the tables the views read (68_bi_reader.sql) but no USAGE on
-- schema issuelist: it cannot name them, and reads them only through the
-- views.  Fragments 60-69 make this surface; 68 grants it to the role.
-- ---------------------------------------------------------------------------

CREATE SCHEMA issuelist_bi;
COMMENT ON SCHEMA issuelist_bi IS
	'issuelist for BI tools: flat, plain-typed, described reporting views (docs/bi-guide.md)';

-- Dashboards filter issues by list ("WHERE list_code = 'audit'"), usually
-- with a range of found days.  Without this index such a filter reads every
-- issue; with it the planner can go straight to the list's issues.
CREATE INDEX issue_list_found_on ON issue (list, found_on);
COMMENT ON INDEX issue_list_found_on IS
	'BI: lets a filter on the list (and found days) of issuelist_bi.issues use an index instead of reading every issue';

-- Row security for the BI role: a BI login sees the issues, history and
-- tolerances of the subtrees granted to it with grant_org(), as editors
-- and verifiers do (28_access.sql); without a grant it sees none.
CREATE POLICY issue_read_bi ON issue FOR SELECT
	TO issuelist_reader
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY issue_read_bi ON issue IS
	'BI logins (issuelist_reader) read the issues of their subtrees (grant_org), through the issuelist_bi views';
CREATE POLICY issue_event_read_bi ON issue_event FOR SELECT
	TO issuelist_reader
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY issue_event_read_bi ON issue_event IS
	'BI logins (issuelist_reader) read the history of their subtrees'' issues, through the issuelist_bi views';
CREATE POLICY tolerance_read_bi ON tolerance FOR SELECT
	TO issuelist_reader
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY tolerance_read_bi ON tolerance IS
	'BI logins (issuelist_reader) read the tolerances of their subtrees'' issues';

-- ---------------------------------------------------------------------------
-- BI views: organizations, issues, their history, and the lists today.
-- Each code column (list_code, severity_code, state_code...) has a label
-- (English and Chinese) and a sort order next to it, so that a tool can
-- show and sort them without knowing the extension's types.  Issues and
-- lists are read through issuelist.issues, the view the client reads, so
-- that overdue, lights and tolerance are computed once, the same way.
-- ---------------------------------------------------------------------------

-- The English label of a code: its words capitalized (general -> General,
-- eco_inspection -> Eco Inspection).
CREATE FUNCTION bi_label(code text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT initcap(replace(code, '_', ' '));
END;
COMMENT ON FUNCTION bi_label(text) IS
	'BI: the English label of a code, its words capitalized (general -> General)';

CREATE VIEW issuelist_bi.orgs WITH (security_invoker = true) AS
	SELECT o.code AS org_code, o.name AS org_name, o.name_zh AS org_name_zh,
		   o.level AS org_level, org_level_rank(o.level) AS level_order,
		   o.kind AS org_kind, o.parent AS parent_code,
		   a.province_code, a.province_name, a.province_name_zh,
		   a.city_code, a.city_name, a.city_name_zh,
		   a.county_code, a.county_name, a.county_name_zh,
		   nlevel(o.path) AS depth, o.path::text AS path
	  FROM org o
	 CROSS JOIN LATERAL (
		   -- The organization's ancestors (itself included), one per level.
		   SELECT max(u.code) FILTER (WHERE u.level = 'province') AS province_code,
				  max(u.name) FILTER (WHERE u.level = 'province') AS province_name,
				  max(u.name_zh) FILTER (WHERE u.level = 'province') AS province_name_zh,
				  max(u.code) FILTER (WHERE u.level = 'city') AS city_code,
				  max(u.name) FILTER (WHERE u.level = 'city') AS city_name,
				  max(u.name_zh) FILTER (WHERE u.level = 'city') AS city_name_zh,
				  max(u.code) FILTER (WHERE u.level = 'county') AS county_code,
				  max(u.name) FILTER (WHERE u.level = 'county') AS county_name,
				  max(u.name_zh) FILTER (WHERE u.level = 'county') AS county_name_zh
			 FROM org u
			WHERE u.path @> o.path) a;
COMMENT ON VIEW issuelist_bi.orgs IS
	'One row per organization, its hierarchy flattened into province, city and county columns (its own level''s columns name itself). Join issues and scores on org_code.';
COMMENT ON COLUMN issuelist_bi.orgs.org_code IS 'The organization''s code (GB/T 2260 administrative code in the sample province), e.g. 330782.';
COMMENT ON COLUMN issuelist_bi.orgs.org_name IS 'The organization''s name, e.g. Yiwu.';
COMMENT ON COLUMN issuelist_bi.orgs.org_name_zh IS 'The organization''s Chinese name, e.g. 义乌市; NULL when not recorded.';
COMMENT ON COLUMN issuelist_bi.orgs.org_level IS 'The level in the hierarchy: province, city, county or township.';
COMMENT ON COLUMN issuelist_bi.orgs.level_order IS 'Sort order of the level: 1 province, 2 city, 3 county, 4 township.';
COMMENT ON COLUMN issuelist_bi.orgs.org_kind IS 'What the organization is within its level (district, county, county-level city...); free text, may be NULL.';
COMMENT ON COLUMN issuelist_bi.orgs.parent_code IS 'The code of the organization directly above; NULL at the top.';
COMMENT ON COLUMN issuelist_bi.orgs.province_code IS 'Code of the province the organization is in (itself for a province).';
COMMENT ON COLUMN issuelist_bi.orgs.province_name IS 'Name of the province the organization is in.';
COMMENT ON COLUMN issuelist_bi.orgs.province_name_zh IS 'Chinese name of the province the organization is in.';
COMMENT ON COLUMN issuelist_bi.orgs.city_code IS 'Code of the city the organization is in (itself for a city); NULL for a province.';
COMMENT ON COLUMN issuelist_bi.orgs.city_name IS 'Name of the city the organization is in; NULL for a province.';
COMMENT ON COLUMN issuelist_bi.orgs.city_name_zh IS 'Chinese name of the city the organization is in; NULL for a province.';
COMMENT ON COLUMN issuelist_bi.orgs.county_code IS 'Code of the county the organization is in (itself for a county); NULL above county level.';
COMMENT ON COLUMN issuelist_bi.orgs.county_name IS 'Name of the county the organization is in; NULL above county level.';
COMMENT ON COLUMN issuelist_bi.orgs.county_name_zh IS 'Chinese name of the county the organization is in; NULL above county level.';
COMMENT ON COLUMN issuelist_bi.orgs.depth IS 'Depth in the hierarchy: 1 for the top organization, 2 for the level below, and so on.';
COMMENT ON COLUMN issuelist_bi.orgs.path IS 'The codes from the top down, separated by dots, e.g. 330000.330700.330782; a subtree is path = ''X'' OR path LIKE ''X.%''.';

CREATE VIEW issuelist_bi.issues WITH (security_invoker = true) AS
	SELECT i.code AS issue_code, i.title,
		   i.list AS list_code, l.name AS list_label, l.name_zh AS list_label_zh,
		   l.position::integer AS list_order,
		   i.severity::text AS severity_code, bi_label(i.severity::text) AS severity_label,
		   label_zh(i.severity) AS severity_label_zh, severity_rank(i.severity) AS severity_rank,
		   i.state::text AS state_code, bi_label(i.state::text) AS state_label,
		   label_zh(i.state) AS state_label_zh, issue_state_rank(i.state) AS state_order,
		   is_open(i.state) AS is_open,
		   i.origin,
		   i.org AS org_code, o.org_name, o.org_name_zh, o.org_level,
		   o.province_code, o.province_name, o.province_name_zh,
		   o.city_code, o.city_name, o.city_name_zh,
		   o.county_code, o.county_name, o.county_name_zh,
		   i.official, i.source,
		   i.found_on, quarter(i.found_on)::text AS found_quarter,
		   i.due_on, i.closed_on, i.closed_on - i.found_on AS days_to_close,
		   i.overdue, i.overdue_days, i.light, i.reopen_count, i.tolerated,
		   i.id AS issue_id
	  FROM issues i
	  JOIN list l ON l.code = i.list
	  JOIN issuelist_bi.orgs o ON o.org_code = i.org;
COMMENT ON VIEW issuelist_bi.issues IS
	'One row per issue as it stands today, of the organizations the login may see: list, severity and state with labels and sort orders, the organization with its city and province, dates, overdue days, warning light. The same numbers as the client''s issue commands.';
COMMENT ON COLUMN issuelist_bi.issues.issue_code IS 'The issue''s code: list prefix, year found, number, e.g. AUD-2021-000123. Unique.';
COMMENT ON COLUMN issuelist_bi.issues.title IS 'What the problem is, in one line.';
COMMENT ON COLUMN issuelist_bi.issues.list_code IS 'The list it belongs to: inspection, supervision, eco_inspection, audit, safety, public_opinion, complaints (the seven lists) or a list added locally.';
COMMENT ON COLUMN issuelist_bi.issues.list_label IS 'The list''s name, e.g. Audit.';
COMMENT ON COLUMN issuelist_bi.issues.list_label_zh IS 'The list''s Chinese name, e.g. 审计.';
COMMENT ON COLUMN issuelist_bi.issues.list_order IS 'The list''s position in reports, 1 to 16 (sort by it).';
COMMENT ON COLUMN issuelist_bi.issues.severity_code IS 'Severity: general, serious, major or critical (grades IV to I).';
COMMENT ON COLUMN issuelist_bi.issues.severity_label IS 'Severity label: General, Serious, Major or Critical.';
COMMENT ON COLUMN issuelist_bi.issues.severity_label_zh IS 'Severity in Chinese: 一般, 较大, 重大 or 特别重大.';
COMMENT ON COLUMN issuelist_bi.issues.severity_rank IS 'Severity as a number: 1 general, 2 serious, 3 major, 4 critical (sort by it).';
COMMENT ON COLUMN issuelist_bi.issues.state_code IS 'State in the closed loop: registered, assigned, rectifying, continuing, rectified, closed, reopened or withdrawn.';
COMMENT ON COLUMN issuelist_bi.issues.state_label IS 'State label: Registered, Assigned, Rectifying, Continuing, Rectified, Closed, Reopened or Withdrawn.';
COMMENT ON COLUMN issuelist_bi.issues.state_label_zh IS 'State in Chinese: 已登记, 已交办, 整改中, 持续整改, 已整改待验收, 已销号, 反弹 or 已撤销.';
COMMENT ON COLUMN issuelist_bi.issues.state_order IS 'The state''s place in the loop, 1 registered to 8 withdrawn (sort by it).';
COMMENT ON COLUMN issuelist_bi.issues.is_open IS 'True while the issue is in the loop; false when closed (struck off) or withdrawn.';
COMMENT ON COLUMN issuelist_bi.issues.origin IS 'How it came to light: self (the organization''s own inspection), external (a higher level or outside body) or concealed (found by others after it was hidden).';
COMMENT ON COLUMN issuelist_bi.issues.org_code IS 'Code of the organization that owns the issue (join issuelist_bi.orgs on it).';
COMMENT ON COLUMN issuelist_bi.issues.org_name IS 'Name of the organization that owns the issue.';
COMMENT ON COLUMN issuelist_bi.issues.org_name_zh IS 'Chinese name of the organization that owns the issue.';
COMMENT ON COLUMN issuelist_bi.issues.org_level IS 'Level of the owning organization: province, city, county or township.';
COMMENT ON COLUMN issuelist_bi.issues.province_code IS 'Code of the province of the owning organization.';
COMMENT ON COLUMN issuelist_bi.issues.province_name IS 'Name of the province of the owning organization.';
COMMENT ON COLUMN issuelist_bi.issues.province_name_zh IS 'Chinese name of the province of the owning organization.';
COMMENT ON COLUMN issuelist_bi.issues.city_code IS 'Code of the city of the owning organization (itself for a city); NULL for a province''s own issue.';
COMMENT ON COLUMN issuelist_bi.issues.city_name IS 'Name of the city of the owning organization; NULL for a province''s own issue.';
COMMENT ON COLUMN issuelist_bi.issues.city_name_zh IS 'Chinese name of the city of the owning organization; NULL for a province''s own issue.';
COMMENT ON COLUMN issuelist_bi.issues.county_code IS 'Code of the county of the owning organization (itself for a county); NULL above county level.';
COMMENT ON COLUMN issuelist_bi.issues.county_name IS 'Name of the county of the owning organization; NULL above county level.';
COMMENT ON COLUMN issuelist_bi.issues.county_name_zh IS 'Chinese name of the county of the owning organization; NULL above county level.';
COMMENT ON COLUMN issuelist_bi.issues.official IS 'The responsible official''s name; NULL when none was named.';
COMMENT ON COLUMN issuelist_bi.issues.source IS 'Which inspection, audit or round found it; free text, may be NULL.';
COMMENT ON COLUMN issuelist_bi.issues.found_on IS 'The day it was found (date).';
COMMENT ON COLUMN issuelist_bi.issues.found_quarter IS 'The quarter it was found in, e.g. 2021Q3.';
COMMENT ON COLUMN issuelist_bi.issues.due_on IS 'The due day, including every deadline extension (date).';
COMMENT ON COLUMN issuelist_bi.issues.closed_on IS 'The day it was closed or withdrawn (date); NULL while open.';
COMMENT ON COLUMN issuelist_bi.issues.days_to_close IS 'Days from found to closed or withdrawn; NULL while open.';
COMMENT ON COLUMN issuelist_bi.issues.overdue IS 'True when open and today is after the due day.';
COMMENT ON COLUMN issuelist_bi.issues.overdue_days IS 'Days past the due day today when overdue, else 0.';
COMMENT ON COLUMN issuelist_bi.issues.light IS 'Warning light today: red (overdue), yellow (due within 15 days), green (open otherwise); NULL when closed or withdrawn.';
COMMENT ON COLUMN issuelist_bi.issues.reopen_count IS 'How many times it came back after being closed (closed -> reopened).';
COMMENT ON COLUMN issuelist_bi.issues.tolerated IS 'True when a tolerance (容错) holds today: still to be rectified, but exempt from the score.';
COMMENT ON COLUMN issuelist_bi.issues.issue_id IS 'Internal number of the issue (join issuelist_bi.issue_events on it).';

CREATE VIEW issuelist_bi.issue_events WITH (security_invoker = true) AS
	SELECT e.id AS event_id, e.issue AS issue_id, i.code AS issue_code,
		   e.seq, e.on_date::timestamptz AS "time", e.on_date, e.recorded_at,
		   e.actor::text AS actor, e.role::text AS actor_role, e.event,
		   e.from_state::text AS from_state_code, e.to_state::text AS to_state_code,
		   e.state::text AS state_code, bi_label(e.state::text) AS state_label,
		   label_zh(e.state) AS state_label_zh, is_open(e.state) AS is_open,
		   e.due_on, e.closed_on, e.reopen_count, e.note,
		   i.list AS list_code, e.org AS org_code
	  FROM issue_event e
	  JOIN issue i ON i.id = e.issue;
COMMENT ON VIEW issuelist_bi.issue_events IS
	'The append-only history: one row per change of an issue the login may see (registration, transition, deadline extension, tolerance), with the issue''s state and due day after it.';
COMMENT ON COLUMN issuelist_bi.issue_events.event_id IS 'Internal number of the event; increases in the order events were recorded.';
COMMENT ON COLUMN issuelist_bi.issue_events.issue_id IS 'Internal number of the issue (join issuelist_bi.issues on it).';
COMMENT ON COLUMN issuelist_bi.issue_events.issue_code IS 'The issue''s code, e.g. AUD-2021-000123.';
COMMENT ON COLUMN issuelist_bi.issue_events.seq IS 'The event''s number within its issue: 1 (registration), 2, 3...';
COMMENT ON COLUMN issuelist_bi.issue_events.time IS 'The effective day as a timestamp (midnight, session time zone), for Grafana annotations and time axes.';
COMMENT ON COLUMN issuelist_bi.issue_events.on_date IS 'The effective day of the change (date); may be earlier than the day it was recorded.';
COMMENT ON COLUMN issuelist_bi.issue_events.recorded_at IS 'The wall-clock time the change was recorded.';
COMMENT ON COLUMN issuelist_bi.issue_events.actor IS 'The login who made the change.';
COMMENT ON COLUMN issuelist_bi.issue_events.actor_role IS 'The role the login acted as: issuelist_admin, issuelist_editor or issuelist_verifier.';
COMMENT ON COLUMN issuelist_bi.issue_events.event IS 'What happened: registered, transition, extension (of the deadline) or tolerance.';
COMMENT ON COLUMN issuelist_bi.issue_events.from_state_code IS 'A transition''s state before; NULL for other events.';
COMMENT ON COLUMN issuelist_bi.issue_events.to_state_code IS 'A transition''s state after (registered for the registration); NULL for extensions and tolerance.';
COMMENT ON COLUMN issuelist_bi.issue_events.state_code IS 'The issue''s state after the event: registered, assigned, rectifying, continuing, rectified, closed, reopened or withdrawn.';
COMMENT ON COLUMN issuelist_bi.issue_events.state_label IS 'Label of the state after the event, e.g. Rectifying.';
COMMENT ON COLUMN issuelist_bi.issue_events.state_label_zh IS 'Chinese label of the state after the event.';
COMMENT ON COLUMN issuelist_bi.issue_events.is_open IS 'True when the issue is still in the loop after the event.';
COMMENT ON COLUMN issuelist_bi.issue_events.due_on IS 'The issue''s due day after the event (date).';
COMMENT ON COLUMN issuelist_bi.issue_events.closed_on IS 'The issue''s closed day after the event (date); NULL while open.';
COMMENT ON COLUMN issuelist_bi.issue_events.reopen_count IS 'The issue''s reopen count after the event.';
COMMENT ON COLUMN issuelist_bi.issue_events.note IS 'The note or reason given with the change; may be NULL.';
COMMENT ON COLUMN issuelist_bi.issue_events.list_code IS 'The issue''s list, e.g. audit.';
COMMENT ON COLUMN issuelist_bi.issue_events.org_code IS 'Code of the organization that owns the issue.';

CREATE VIEW issuelist_bi.list_summary WITH (security_invoker = true) AS
	SELECT l.code AS list_code, l.name AS list_label, l.name_zh AS list_label_zh,
		   l.position::integer AS list_order, l.scope AS list_scope,
		   count(i.code) FILTER (WHERE is_open(i.state)) AS open,
		   count(i.code) FILTER (WHERE i.overdue) AS overdue,
		   count(i.code) FILTER (WHERE i.light = 'yellow') AS due_soon,
		   count(i.code) FILTER (WHERE is_open(i.state) AND i.severity >= 'major') AS open_major_or_critical,
		   count(i.code) FILTER (WHERE i.tolerated) AS tolerated,
		   count(i.code) FILTER (WHERE i.state = 'closed') AS closed,
		   count(i.code) FILTER (WHERE i.state = 'withdrawn') AS withdrawn,
		   count(i.code) AS total
	  FROM list l
	  LEFT JOIN issues i ON i.list = l.code
	 GROUP BY l.code;
COMMENT ON VIEW issuelist_bi.list_summary IS
	'One row per list, counting today''s issues of the organizations the login may see: open, overdue, due soon, closed, withdrawn. The same numbers as the client''s lists command.';
COMMENT ON COLUMN issuelist_bi.list_summary.list_code IS 'The list: inspection, supervision, eco_inspection, audit, safety, public_opinion, complaints or a list added locally.';
COMMENT ON COLUMN issuelist_bi.list_summary.list_label IS 'The list''s name, e.g. Audit.';
COMMENT ON COLUMN issuelist_bi.list_summary.list_label_zh IS 'The list''s Chinese name, e.g. 审计.';
COMMENT ON COLUMN issuelist_bi.list_summary.list_order IS 'The list''s position in reports, 1 to 16 (sort by it).';
COMMENT ON COLUMN issuelist_bi.list_summary.list_scope IS 'What the list holds.';
COMMENT ON COLUMN issuelist_bi.list_summary.open IS 'Issues open today (in the loop: not closed, not withdrawn).';
COMMENT ON COLUMN issuelist_bi.list_summary.overdue IS 'Open issues past their due day today.';
COMMENT ON COLUMN issuelist_bi.list_summary.due_soon IS 'Open issues due within 15 days (yellow light).';
COMMENT ON COLUMN issuelist_bi.list_summary.open_major_or_critical IS 'Open issues of severity major or critical.';
COMMENT ON COLUMN issuelist_bi.list_summary.tolerated IS 'Issues under a tolerance today (exempt from the score).';
COMMENT ON COLUMN issuelist_bi.list_summary.closed IS 'Issues closed (verified and struck off).';
COMMENT ON COLUMN issuelist_bi.list_summary.withdrawn IS 'Issues withdrawn (not substantiated, or duplicates).';
COMMENT ON COLUMN issuelist_bi.list_summary.total IS 'All issues of the list: open + closed + withdrawn.';

-- ---------------------------------------------------------------------------
-- BI views of the frozen quarters: every organization's score and rank
-- among its peers, and its counts by list.  They call ranking() and
-- report_lists(), the functions the client calls, on frozen quarters only,
-- so the client, SQL and every dashboard show the same published numbers.
--
-- ranking() and report_lists() resolve their tables by name when they run,
-- which a BI login (no USAGE on schema issuelist) cannot do; these two
-- wrappers run them as the extension's owner.  They reveal no more than
-- ranking() does to any login: the scores of a quarter's peers are
-- published together, whatever subtree a login may see.
-- ---------------------------------------------------------------------------

-- One frozen quarter's ranking of a level under a model, with the counts
-- of each organization's subtree; no rows when the quarter is not frozen.
CREATE FUNCTION bi_quarter_ranking(q quarter, model text, level text)
	RETURNS TABLE (org text, rank bigint, peers bigint, score float8,
				   deductions float8, on_time_rate float8, on_time_lower float8,
				   open bigint, overdue bigint, veto boolean, top_ten boolean,
				   rank_change bigint, issues bigint, new bigint,
				   closed_on_time bigint, closed_late bigint, tolerated bigint)
	LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100
	SET search_path = @extschema@, pg_temp AS $$
BEGIN
	IF frozen_revision(q) IS NULL
		OR NOT EXISTS (SELECT FROM org o WHERE o.level = bi_quarter_ranking.level) THEN
		RETURN;
	END IF;
	RETURN QUERY
		SELECT r.org, r.rank, count(*) OVER (), r.score, r.deductions,
			   r.on_time_rate, r.on_time_lower, r.open, r.overdue, r.veto,
			   r.top_ten, r.rank_change,
			   tally_count(t.tally, 'issues'), tally_count(t.tally, 'new'),
			   tally_count(t.tally, 'closed_on_time'),
			   tally_count(t.tally, 'closed_late'),
			   tally_count(t.tally, 'tolerated')
		  FROM ranking(q, model, level) r
		  JOIN level_tallies(q, level) t ON t.org = r.org;
END $$;
COMMENT ON FUNCTION bi_quarter_ranking(quarter, text, text) IS
	'BI: ranking(q, model, level) of a frozen quarter with the number of peers and counts of each subtree; no rows for a quarter not frozen (runs as the owner: BI logins cannot name the tables)';

-- One frozen quarter's report_lists() of every organization of a level.
CREATE FUNCTION bi_quarter_lists(q quarter, model text, level text)
	RETURNS TABLE (org text, list text, general bigint, serious bigint,
				   major bigint, critical bigint, new bigint,
				   closed_on_time bigint, closed_late bigint, open bigint,
				   overdue bigint, tolerated bigint, deductions float8)
	LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 700
	SET search_path = @extschema@, pg_temp AS $$
BEGIN
	IF frozen_revision(q) IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY
		SELECT o.code, r.list, r.general, r.serious, r.major, r.critical,
			   r.new, r.closed_on_time, r.closed_late, r.open, r.overdue,
			   r.tolerated, r.deductions
		  FROM org o
		 CROSS JOIN LATERAL report_lists(o.code, q, model) r
		 WHERE o.level = bi_quarter_lists.level;
END $$;
COMMENT ON FUNCTION bi_quarter_lists(quarter, text, text) IS
	'BI: report_lists(org, q, model) of every organization of a level for a frozen quarter; no rows for a quarter not frozen (runs as the owner: BI logins cannot name the tables)';

REVOKE ALL ON FUNCTION bi_quarter_ranking(quarter, text, text),
	bi_quarter_lists(quarter, text, text) FROM PUBLIC;

-- The frozen quarters with their latest revision; a filter on the quarter
-- reaches this scan, so a dashboard showing one quarter ranks only that one.
CREATE VIEW issuelist_bi.org_quarter_scores WITH (security_invoker = true) AS
	SELECT f.q::text AS quarter, lower(f.q) AS quarter_start, upper(f.q) AS quarter_end,
		   year(f.q) AS year, quarter_number(f.q) AS quarter_number,
		   m.name AS model, lv.level AS org_level,
		   r.org AS org_code, o.org_name, o.org_name_zh,
		   o.province_code, o.city_code, o.city_name, o.city_name_zh,
		   r.rank::integer AS rank, r.peers::integer AS peers,
		   r.score::numeric AS score, r.deductions::numeric AS deductions,
		   r.veto, r.top_ten, r.rank_change::integer AS rank_change,
		   r.on_time_rate::numeric AS on_time_rate,
		   r.on_time_lower::numeric AS on_time_lower,
		   r.issues, r.new, r.open, r.overdue, r.closed_on_time, r.closed_late,
		   r.tolerated, f.revision, f.computed_at AS frozen_at
	  FROM (SELECT DISTINCT ON (qf.q) qf.q, qf.revision, qf.computed_at
			  FROM quarter_freeze qf
			 ORDER BY qf.q, qf.revision DESC) f
	 CROSS JOIN score_model m
	 CROSS JOIN (SELECT DISTINCT og.level FROM org og) lv
	 CROSS JOIN LATERAL bi_quarter_ranking(f.q, m.name, lv.level) r
	  JOIN issuelist_bi.orgs o ON o.org_code = r.org;
COMMENT ON VIEW issuelist_bi.org_quarter_scores IS
	'One row per frozen quarter, score model and organization: its score and rank among the organizations of its level (counties against counties), deductions, veto, top ten, on-time rate, counts. From the frozen rollup, as ranking() shows it; a quarter appears once freeze_quarter() has frozen it. Filter on quarter, model and org_level (county for the 90 counties).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.quarter IS 'The quarter, e.g. 2021Q4.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.quarter_start IS 'First day of the quarter (date); use it as the time axis.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.quarter_end IS 'Last day of the quarter (date): the day as of which it was scored.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.year IS 'Year of the quarter.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.quarter_number IS 'Number of the quarter in its year, 1 to 4.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.model IS 'The score model: standard (the default) or a model added locally.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.org_level IS 'The level ranked: province, city, county or township; peers are the organizations of one level.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.org_code IS 'Code of the organization (join issuelist_bi.orgs on it).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.org_name IS 'Name of the organization.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.org_name_zh IS 'Chinese name of the organization.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.province_code IS 'Code of the organization''s province.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.city_code IS 'Code of the organization''s city (itself for a city); NULL for a province.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.city_name IS 'Name of the organization''s city; NULL for a province.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.city_name_zh IS 'Chinese name of the organization''s city; NULL for a province.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.rank IS 'Rank among its peers by score, 1 the best; ties share a rank and the next rank is skipped (1, 2, 2, 4).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.peers IS 'How many organizations of the level were ranked.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.score IS 'Score of the whole subtree, 100 K / (K + deductions): 100 with no deductions, 50 when deductions equal K (50 in the standard model); 0 to 100, higher is better.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.deductions IS 'Deduction points D of the quarter, the sum over the issues of list, severity and origin weights times the issue''s factor (docs/scoring.md); 0 or more.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.veto IS 'True when an open overdue critical issue stood at the quarter''s end: ranked, but never in the top ten.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.top_ten IS 'True for the best ten without a veto (all tied at the tenth place included): they present at the quarterly meeting.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.rank_change IS 'Previous quarter''s rank minus this rank: positive moved up; NULL when the previous quarter is not frozen.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.on_time_rate IS 'Closed on time in the quarter / (closed in the quarter + open overdue at its end), 0 to 1; NULL when both are 0.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.on_time_lower IS 'Wilson lower bound (95%) of the on-time rate, 0 to 1: small counts do not look perfect; 0 when there is nothing to rate.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.issues IS 'Issues of the subtree in the quarter''s scope (found by its end, not closed before it began).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.new IS 'Issues found during the quarter.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.open IS 'Issues open at the quarter''s end.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.overdue IS 'Issues open and past their due day at the quarter''s end.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.closed_on_time IS 'Issues closed during the quarter on or before their due day.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.closed_late IS 'Issues closed during the quarter after their due day.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.tolerated IS 'Issues under a tolerance at the quarter''s end (exempt from the score).';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.revision IS 'Revision of the freeze the numbers come from: 1, or more when the quarter was frozen again.';
COMMENT ON COLUMN issuelist_bi.org_quarter_scores.frozen_at IS 'When that revision was computed.';

CREATE VIEW issuelist_bi.org_quarter_lists WITH (security_invoker = true) AS
	SELECT f.q::text AS quarter, lower(f.q) AS quarter_start,
		   m.name AS model, lv.level AS org_level,
		   r.org AS org_code, o.org_name, o.org_name_zh, o.city_code,
		   r.list AS list_code, l.name AS list_label, l.name_zh AS list_label_zh,
		   l.position::integer AS list_order,
		   r.general, r.serious, r.major, r.critical,
		   r.general + r.serious + r.major + r.critical AS issues,
		   r.new, r.open, r.overdue, r.closed_on_time, r.closed_late,
		   r.tolerated, r.deductions::numeric AS deductions
	  FROM (SELECT DISTINCT qf.q FROM quarter_freeze qf) f
	 CROSS JOIN score_model m
	 CROSS JOIN (SELECT DISTINCT og.level FROM org og) lv
	 CROSS JOIN LATERAL bi_quarter_lists(f.q, m.name, lv.level) r
	  JOIN list l ON l.code = r.list
	  JOIN issuelist_bi.orgs o ON o.org_code = r.org;
COMMENT ON VIEW issuelist_bi.org_quarter_lists IS
	'One row per frozen quarter, score model, organization and list: the organization''s report against the lists (its whole subtree), as report_lists() and the client''s report command show it. Filter on quarter, model and org_level.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.quarter IS 'The quarter, e.g. 2021Q4.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.quarter_start IS 'First day of the quarter (date); use it as the time axis.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.model IS 'The score model of the deductions: standard or a model added locally.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.org_level IS 'Level of the organization: province, city, county or township.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.org_code IS 'Code of the organization (join issuelist_bi.orgs on it).';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.org_name IS 'Name of the organization.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.org_name_zh IS 'Chinese name of the organization.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.city_code IS 'Code of the organization''s city (itself for a city); NULL for a province.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.list_code IS 'The list, e.g. audit.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.list_label IS 'The list''s name, e.g. Audit.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.list_label_zh IS 'The list''s Chinese name, e.g. 审计.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.list_order IS 'The list''s position in reports, 1 to 16 (sort by it).';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.general IS 'Issues of severity general in the quarter''s scope.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.serious IS 'Issues of severity serious in the quarter''s scope.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.major IS 'Issues of severity major in the quarter''s scope.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.critical IS 'Issues of severity critical in the quarter''s scope.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.issues IS 'All issues of the list in the quarter''s scope: general + serious + major + critical.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.new IS 'Issues found during the quarter.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.open IS 'Issues open at the quarter''s end.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.overdue IS 'Issues open and past their due day at the quarter''s end.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.closed_on_time IS 'Issues closed during the quarter on or before their due day.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.closed_late IS 'Issues closed during the quarter after their due day.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.tolerated IS 'Issues under a tolerance at the quarter''s end.';
COMMENT ON COLUMN issuelist_bi.org_quarter_lists.deductions IS 'Deduction points of the list in the quarter under the model; the lists'' deductions add up to org_quarter_scores.deductions.';

-- ---------------------------------------------------------------------------
-- BI: the daily time series for Grafana and other time-series panels: per
-- list and day, the issues open and overdue that day as the history tells
-- it (the same as counting issues_as_of(day)), and those found and closed.
--
-- Every event of the history carries the issue's state and due day after
-- it, which hold until the issue's next event.  So the open count changes
-- only at events that open or close an issue (+1 or -1 on their day), and
-- the overdue count only at events that change whether the issue is open
-- or its due day: the snapshot before such an event stops being overdue
-- from the event's day (or its due day + 1, if later), the snapshot after
-- it becomes overdue from the event's day (or its due day + 1).  Events
-- that change neither (assigned -> rectifying...) add and take away the
-- same and are skipped.  A running sum per list over the days from the
-- first event to today then gives the counts.  One pass over the history
-- in the order of its (issue, seq) index, then only the changes: the cost
-- grows with the number of events, not with days x issues.
-- ---------------------------------------------------------------------------

CREATE VIEW issuelist_bi.list_daily WITH (security_invoker = true) AS
	WITH step AS (
		-- Each event with the issue's open flag and due day before and after.
		SELECT e.issue, e.on_date, e.due_on, is_open(e.state) AS open,
			   coalesce(lag(is_open(e.state)) OVER w, false) AS was_open,
			   lag(e.due_on) OVER w AS was_due,
			   e.seq = 1 AS found,
			   -- Only the closing transition leaves an issue closed.
			   e.state = 'closed' AS closed
		  FROM issue_event e
		WINDOW w AS (PARTITION BY e.issue ORDER BY e.seq)
	), change AS (
		SELECT i.list, c.day, sum(c.open) AS open, sum(c.overdue) AS overdue,
			   sum(c.found) AS found, sum(c.closed) AS closed
		  FROM step s
		  JOIN issue i ON i.id = s.issue
		 CROSS JOIN LATERAL (VALUES
			   (s.on_date, s.open::integer - s.was_open::integer, 0,
				s.found::integer, s.closed::integer),
			   (greatest(s.on_date, s.due_on + 1), 0, s.open::integer, 0, 0),
			   (greatest(s.on_date, s.was_due + 1), 0, -s.was_open::integer, 0, 0)
		   ) c(day, open, overdue, found, closed)
		 WHERE (s.open, s.due_on) IS DISTINCT FROM (s.was_open, s.was_due)
		   AND c.day <= current_date
		   AND (c.open, c.overdue, c.found, c.closed) <> (0, 0, 0, 0)
		 GROUP BY i.list, c.day
	), days AS (
		SELECT d::date AS day
		  FROM generate_series((SELECT min(c.day) FROM change c), current_date,
							   interval '1 day') d
	)
	SELECT d.day::timestamptz AS "time", d.day,
		   l.code AS list_code, l.name AS list_label, l.name_zh AS list_label_zh,
		   l.position::integer AS list_order,
		   (sum(coalesce(c.open, 0)) OVER w)::bigint AS open,
		   (sum(coalesce(c.overdue, 0)) OVER w)::bigint AS overdue,
		   coalesce(c.found, 0)::bigint AS found,
		   coalesce(c.closed, 0)::bigint AS closed
	  FROM days d
	 CROSS JOIN list l
	  LEFT JOIN change c ON c.list = l.code AND c.day = d.day
	WINDOW w AS (PARTITION BY l.code ORDER BY d.day);
COMMENT ON VIEW issuelist_bi.list_daily IS
	'Daily time series, one row per list and day from the first recorded day to today: issues open and overdue that day (as the history tells it, like issues_as_of(day)), found and closed that day, of the organizations the login may see. For Grafana: time column "time", filter with $__timeFilter("time"). Each query reads the whole visible history once (about 2 seconds per million events); the time filter only trims the output.';
COMMENT ON COLUMN issuelist_bi.list_daily.time IS 'The day as a timestamp (midnight, session time zone): the time column of Grafana and other time-series tools.';
COMMENT ON COLUMN issuelist_bi.list_daily.day IS 'The day (date).';
COMMENT ON COLUMN issuelist_bi.list_daily.list_code IS 'The list, e.g. audit.';
COMMENT ON COLUMN issuelist_bi.list_daily.list_label IS 'The list''s name, e.g. Audit.';
COMMENT ON COLUMN issuelist_bi.list_daily.list_label_zh IS 'The list''s Chinese name, e.g. 审计.';
COMMENT ON COLUMN issuelist_bi.list_daily.list_order IS 'The list''s position in reports, 1 to 16 (sort by it).';
COMMENT ON COLUMN issuelist_bi.list_daily.open IS 'Issues of the list open at the end of the day (found by then, not closed or withdrawn as of that day).';
COMMENT ON COLUMN issuelist_bi.list_daily.overdue IS 'Issues of the list open and past their due day (as extended by then) on that day.';
COMMENT ON COLUMN issuelist_bi.list_daily.found IS 'Issues of the list found (registered with that found day) on that day.';
COMMENT ON COLUMN issuelist_bi.list_daily.closed IS 'Closures (verified and struck off) of the list''s issues effective that day; an issue closed, reopened and closed again counts twice.';

-- ---------------------------------------------------------------------------
-- BI: the role issuelist_reader (made with the others in 20_roles.sql) and
-- its logins.  The role may connect, use schema issuelist_bi and read its
-- views; nothing else.  It writes nothing: no write privilege anywhere, and
-- its logins start every transaction read-only.  docs/operations.md.
-- ---------------------------------------------------------------------------

GRANT USAGE ON SCHEMA issuelist_bi TO issuelist_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA issuelist_bi TO issuelist_reader;

-- What the security_invoker views read, checked against the login that
-- reads them (see 60_bi_schema.sql).  Without USAGE on schema issuelist the
-- login cannot name these, so the views are its only way to them; row
-- security of issue, issue_event and tolerance holds through the views.
GRANT SELECT ON issues, issue, issue_event, list, org, org_member,
	quarter_freeze, score_model
	TO issuelist_reader;
GRANT EXECUTE ON FUNCTION visible_orgs(name),
	bi_quarter_ranking(quarter, text, text), bi_quarter_lists(quarter, text, text)
	TO issuelist_reader;

-- For a login that is issuelist_reader itself; logins that are members
-- get their own settings from create_bi_login().
ALTER ROLE issuelist_reader SET statement_timeout = '30s';

-- Roles are cluster-wide but CONNECT is granted per database: this one.
DO $$
BEGIN
	EXECUTE pg_catalog.format('GRANT CONNECT ON DATABASE %I TO issuelist_reader',
							  pg_catalog.current_database());
END $$;

-- A login for one BI tool: member of issuelist_reader, with its own
-- statement timeout, connection limit and read-only transactions (role
-- settings apply to the login itself, not through membership, hence one
-- call per login), its subtree (grant_org), and CONNECT on this database.
CREATE FUNCTION create_bi_login(login name, password text DEFAULT NULL,
								org text DEFAULT NULL,
								statement_timeout text DEFAULT '30s',
								connection_limit integer DEFAULT 10)
	RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = @extschema@, pg_temp AS $$
BEGIN
	IF login IS NULL OR login = '' OR connection_limit IS NULL OR connection_limit < 1
		OR statement_timeout IS NULL THEN
		RAISE EXCEPTION 'a BI login needs a name, a statement timeout and a connection limit of 1 or more (got login %, statement timeout %, connection limit %)',
			coalesce(quote_literal(login), 'NULL'), coalesce(quote_literal(statement_timeout), 'NULL'),
			coalesce(connection_limit::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF org IS NOT NULL THEN
		PERFORM require_org(org);
	END IF;
	EXECUTE format('CREATE ROLE %I LOGIN CONNECTION LIMIT %s PASSWORD %L IN ROLE issuelist_reader',
				   login, connection_limit, password);
	EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', login, statement_timeout);
	EXECUTE format('ALTER ROLE %I SET default_transaction_read_only = on', login);
	EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', login, '5min');
	EXECUTE format('ALTER ROLE %I SET search_path = issuelist_bi', login);
	EXECUTE format('GRANT CONNECT ON DATABASE %I TO issuelist_reader', current_database());
	IF org IS NOT NULL THEN
		PERFORM grant_org(login, org);
	END IF;
END $$;
COMMENT ON FUNCTION create_bi_login(name, text, text, text, integer) IS
	'create a login for a BI tool: member of issuelist_reader, reads the issuelist_bi views of org''s subtree (grant_org; none when NULL), statement timeout (default 30s), connection limit (default 10), read-only transactions; needs CREATEROLE and issuelist_admin';
REVOKE ALL ON FUNCTION create_bi_login(name, text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION create_bi_login(name, text, text, text, integer) TO issuelist_admin;

-- ---------------------------------------------------------------------------
-- What the client (docs/client.md) needs beyond the closed loop and the
-- scoring: organizations and lists by name, the hierarchy, the header and
-- the oldest overdue issues of a county's report, and the import of a
-- spreadsheet export in one set-based check.  They are plain functions, so
-- SQL users and BI tools get the same answers as the client.
-- (99_search_path.sql fixes the search_path of the PL/pgSQL ones; the
-- staging table is always named with pg_temp.)
-- ---------------------------------------------------------------------------

-- The code of an organization given by code, English name (any case) or
-- Chinese name: what users type.
CREATE FUNCTION org_code(org text) RETURNS text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	given text := btrim(org_code.org);
	found text[];
BEGIN
	IF EXISTS (SELECT FROM org o WHERE o.code = given) THEN
		RETURN given;
	END IF;
	SELECT array_agg(o.code ORDER BY o.code) INTO found
	  FROM org o
	 WHERE lower(o.name) = lower(given) OR o.name_zh = given;
	-- People say 义乌 for 义乌市 and 西湖 for 西湖区: a Chinese name may drop
	-- its administrative suffix, when no name matches in full.
	IF found IS NULL THEN
		SELECT array_agg(o.code ORDER BY o.code) INTO found
		  FROM org o
		 WHERE o.name_zh IN (given || '省', given || '市', given || '县', given || '区');
	END IF;
	IF found IS NULL THEN
		RAISE EXCEPTION 'unknown organization "%"', org_code.org
			USING ERRCODE = 'IL005',
				  HINT = 'Give its code, English name or Chinese name, as the client''s "orgs" lists them.';
	ELSIF cardinality(found) > 1 THEN
		RAISE EXCEPTION 'organization name "%" is ambiguous', org_code.org
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'It names ' || array_to_string(found, ', ') || ': give the code.';
	END IF;
	RETURN found[1];
END $$;
COMMENT ON FUNCTION org_code(text) IS
	'the code of an organization given by code, English name (any case) or Chinese name (with or without its suffix 省, 市, 县 or 区); error IL005 when none matches, 22023 when a name matches several';

-- The code of a list given by code, English name or Chinese name.
CREATE FUNCTION list_code(list text) RETURNS text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	given text := btrim(list_code.list);
	found text;
BEGIN
	SELECT l.code INTO found
	  FROM list l
	 WHERE l.code = lower(given) OR lower(l.name) = lower(given) OR l.name_zh = given
	 ORDER BY l.code <> lower(given), l.position
	 LIMIT 1;
	IF found IS NULL THEN
		RAISE EXCEPTION 'unknown list "%"', list_code.list
			USING ERRCODE = 'IL004',
				  HINT = 'The lists are: ' || (SELECT string_agg(l.code, ', ' ORDER BY l.position) FROM list l) || '.';
	END IF;
	RETURN found;
END $$;
COMMENT ON FUNCTION list_code(text) IS
	'the code of a list given by code, English name or Chinese name; error IL004 when none matches';

-- The hierarchy under an organization (all of it for NULL), top down, with
-- each one's depth below the top.
CREATE FUNCTION org_tree(under text DEFAULT NULL)
	RETURNS TABLE (code text, name text, name_zh text, level text,
				   parent text, depth integer)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT o.code, o.name, o.name_zh, o.level, o.parent,
		   nlevel(o.path) - nlevel(t.path)
	  FROM org t
	  JOIN org o ON o.path <@ t.path
	 WHERE t.code = org_code(org_tree.under)
		OR (org_tree.under IS NULL AND t.parent IS NULL)
	 ORDER BY o.path;
END;
COMMENT ON FUNCTION org_tree(text) IS
	'an organization (given by code or name) and everything under it, top down, with the depth below it; every root and its subtree when NULL';

-- The head of an organization's quarterly report: score, rank among its
-- peers (the organizations of its level), the change since the previous
-- quarter, veto and top ten, on-time rate, open and overdue counts.
CREATE FUNCTION report_summary(org text, q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (org text, name text, name_zh text, level text,
				   quarter quarter, score float8, previous_score float8,
				   score_change float8, rank bigint, peers bigint,
				   rank_change bigint, top_ten boolean, veto boolean,
				   deductions float8, on_time_rate float8,
				   on_time_lower float8, open bigint, overdue bigint,
				   frozen boolean)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT o.code, o.name, o.name_zh, o.level, report_summary.q,
		   r.score, p.score, r.score - p.score, r.rank, r.peers, r.rank_change,
		   r.top_ten, r.veto, r.deductions, r.on_time_rate, r.on_time_lower,
		   r.open, r.overdue, frozen_revision(report_summary.q) IS NOT NULL
	  FROM org o
	 CROSS JOIN LATERAL (
		   SELECT k.*, count(*) OVER () AS peers
			 FROM ranking(report_summary.q, report_summary.model, o.level) k) r
	 CROSS JOIN LATERAL (
		   SELECT score(o.code, report_summary.q - 1, report_summary.model) AS score) p
	 WHERE o.code = org_code(report_summary.org)
	   AND r.org = o.code;
END;
COMMENT ON FUNCTION report_summary(text, quarter, text) IS
	'the head of an organization''s report for a quarter (organization by code or name): score, previous quarter''s score and the change, rank among the organizations of its level, rank change, top ten, veto, deductions, on-time rate and its Wilson lower bound, open and overdue issues, whether the quarter is frozen';

-- The oldest overdue issues of an organization's subtree at the end of a
-- quarter (today for the current quarter): what the county must explain.
CREATE FUNCTION report_overdue(org text, q quarter, n integer DEFAULT 10)
	RETURNS TABLE (code text, list text, org text, severity severity,
				   title text, official text, due_on date,
				   days_overdue integer, tolerated boolean)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT i.code, i.list, i.org, i.severity, i.title, i.official, i.due_on,
		   i.overdue_days, i.tolerated
	  FROM issues_as_of(quarter_as_of(report_overdue.q)) i
	 WHERE i.overdue
	   AND i.org IN (SELECT subtree(org_code(report_overdue.org)))
	 ORDER BY i.due_on, i.code
	 LIMIT report_overdue.n;
END;
COMMENT ON FUNCTION report_overdue(text, quarter, integer) IS
	'the n oldest overdue issues of an organization''s subtree (organization by code or name) as of the quarter''s last day (today for the current quarter)';

-- ---------------------------------------------------------------------------
-- Import of a spreadsheet export (docs/client.md, "import").  The client
-- creates the staging table with import_stage(), fills it with COPY (one row
-- per record, with the line it starts on), asks import_check() for the bad
-- rows and, when there are none, import_apply() registers them: all rows or
-- none, in the caller's transaction.
-- ---------------------------------------------------------------------------

-- A staged row, as import_register() takes it: the file's line and the
-- text of each import column.
CREATE TYPE import_row AS (
	line integer,
	list text,
	org text,
	severity text,
	title text,
	found_on text,
	due_on text,
	origin text,
	official text,
	source text,
	detail text
);
COMMENT ON TYPE import_row IS
	'a row of an import file, as import_register() takes it: the line it starts on and the text of each column (as in pg_temp.issuelist_import)';

CREATE FUNCTION import_stage() RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	IF pg_catalog.to_regclass('pg_temp.issuelist_import') IS NOT NULL THEN
		DROP TABLE pg_temp.issuelist_import;
	END IF;
	-- The import's columns are import_row's, so they are written once.
	CREATE TEMPORARY TABLE issuelist_import (LIKE import_row, problem text)
		ON COMMIT DROP;
	ALTER TABLE pg_temp.issuelist_import ALTER COLUMN line SET NOT NULL;
END $$;
COMMENT ON FUNCTION import_stage() IS
	'create (afresh) the temporary table pg_temp.issuelist_import that import_check() and import_apply() read: the file''s line, one text column per import column, and problem (what the client found wrong with the record''s shape); dropped at commit';

-- Why a value does not read as a severity or a date, or NULL when it does.
-- (Not parallel safe: the exception block is a subtransaction.)
CREATE FUNCTION import_value_error(kind text, value text) RETURNS text
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	CASE kind
		WHEN 'severity' THEN PERFORM value::severity;
		WHEN 'date' THEN PERFORM value::date;
	END CASE;
	RETURN NULL;
EXCEPTION WHEN data_exception THEN
	RETURN SQLERRM;
END $$;
COMMENT ON FUNCTION import_value_error(text, text) IS
	'NULL when the text reads as a value of the kind (severity or date), else the error message';

-- Every bad row of the staging table, one row per line and column, in one
-- pass per check.  Values are read as register_issue will read them: blank
-- means absent; severities and dates are checked once per distinct value.
-- import_check() and import_apply() read the session's staging table:
-- without one there is nothing to check, which is the caller's mistake, not
-- a missing relation.
CREATE FUNCTION import_require_staged() RETURNS void
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF pg_catalog.to_regclass('pg_temp.issuelist_import') IS NULL THEN
		RAISE EXCEPTION 'no import is staged in this session'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Call import_stage() and fill pg_temp.issuelist_import first, in the same transaction (the client''s import command does both).';
	END IF;
END $$;
COMMENT ON FUNCTION import_require_staged() IS
	'error 55000 unless import_stage() has made the staging table pg_temp.issuelist_import in this transaction';

CREATE FUNCTION import_check(default_day date DEFAULT current_date)
	RETURNS TABLE (line integer, "column" text, reason text)
	LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM import_require_staged();
	RETURN QUERY
	WITH r AS (
		SELECT s.line, nullif(btrim(s.list), '') AS list,
			   nullif(btrim(s.org), '') AS org,
			   nullif(btrim(s.severity), '') AS severity,
			   nullif(btrim(s.title), '') AS title,
			   nullif(btrim(s.found_on), '') AS found_on,
			   nullif(btrim(s.due_on), '') AS due_on,
			   nullif(btrim(s.origin), '') AS origin
		  FROM pg_temp.issuelist_import s
		 WHERE s.problem IS NULL
	), orgs AS (
		-- as org_code(): a code, else exactly one name
		SELECT d.org AS given,
			   CASE WHEN EXISTS (SELECT FROM org o WHERE o.code = d.org) THEN 1
			   ELSE (SELECT count(*) FROM org o
					  WHERE lower(o.name) = lower(d.org) OR o.name_zh = d.org) END AS matches
		  FROM (SELECT DISTINCT r.org FROM r WHERE r.org IS NOT NULL) d
	), lists AS (
		SELECT r.list AS given,
			   EXISTS (SELECT FROM list l WHERE l.code = lower(r.list)
					   OR lower(l.name) = lower(r.list) OR l.name_zh = r.list) AS known
		  FROM (SELECT DISTINCT r.list FROM r WHERE r.list IS NOT NULL) r
	), severities AS (
		SELECT d.v AS given, import_value_error('severity', d.v) AS error
		  FROM (SELECT DISTINCT r.severity FROM r WHERE r.severity IS NOT NULL) d(v)
	), dates AS (
		SELECT d.v AS given, import_value_error('date', d.v) AS error
		  FROM (SELECT r.found_on FROM r UNION SELECT r.due_on FROM r) d(v)
		 WHERE d.v IS NOT NULL
	), bad AS (
		-- (casts are guarded by CASE: a WHERE clause has no evaluation order)
		SELECT s.line, NULL AS col, s.problem AS why
		  FROM pg_temp.issuelist_import s WHERE s.problem IS NOT NULL
		UNION ALL
		SELECT r.line, 'list', CASE WHEN r.list IS NULL THEN 'a list is required'
			   ELSE format('unknown list "%s"', r.list) END AS why
		  FROM r LEFT JOIN lists l ON l.given = r.list
		 WHERE r.list IS NULL OR NOT l.known
		UNION ALL
		SELECT r.line, 'org', CASE WHEN r.org IS NULL THEN 'an organization is required'
			   WHEN o.matches = 0 THEN format('unknown organization "%s"', r.org)
			   ELSE format('organization name "%s" is ambiguous: give the code', r.org) END
		  FROM r LEFT JOIN orgs o ON o.given = r.org
		 WHERE r.org IS NULL OR o.matches <> 1
		UNION ALL
		SELECT r.line, 'severity', coalesce(s.error, 'a severity is required')
		  FROM r LEFT JOIN severities s ON s.given = r.severity
		 WHERE r.severity IS NULL OR s.error IS NOT NULL
		UNION ALL
		SELECT r.line, 'title', 'a title is required'
		  FROM r WHERE r.title IS NULL
		UNION ALL
		SELECT r.line, 'found_on', d.error
		  FROM r JOIN dates d ON d.given = r.found_on
		 WHERE d.error IS NOT NULL
		UNION ALL
		SELECT r.line, 'due_on', d.error
		  FROM r JOIN dates d ON d.given = r.due_on
		 WHERE d.error IS NOT NULL
		UNION ALL
		SELECT r.line, 'found_on', format('found day %s is in the future', r.found_on)
		  FROM r JOIN dates d ON d.given = r.found_on
		 WHERE CASE WHEN d.error IS NULL THEN r.found_on::date > current_date END
		UNION ALL
		SELECT r.line, 'due_on', format('due day %s is before the found day %s', r.due_on,
										coalesce(r.found_on, default_day::text))
		  FROM r
		  JOIN dates d ON d.given = r.due_on
		  LEFT JOIN dates f ON f.given = r.found_on
		 WHERE CASE WHEN d.error IS NULL AND f.error IS NULL
					THEN r.due_on::date < coalesce(r.found_on::date, default_day) END
		UNION ALL
		SELECT r.line, 'origin', format('unknown origin "%s" (self, external or concealed)', r.origin)
		  FROM r WHERE r.origin NOT IN ('self', 'external', 'concealed')
	)
	SELECT b.line, b.col, b.why FROM bad b ORDER BY b.line, b.col NULLS FIRST;
END $$;
COMMENT ON FUNCTION import_check(date) IS
	'the bad rows of pg_temp.issuelist_import (see import_stage): line, column (NULL for a problem of the record itself) and reason, in line order; default_day stands for a missing found day';

-- Register rows of an import file, in the order given: each row is read
-- (names, spellings, blanks) and checked exactly as register_issue() would
-- be called with it, then the code numbers of each list and year are
-- reserved with one counter update, then the issues are inserted.  An
-- error names its line.  (Registering row by row would update the counter
-- row once per issue, and each update in one transaction walks all the
-- row's earlier versions: quadratic.)  It runs with the owner's rights, as
-- register_issue() does, and checks the caller's as register_issue() does;
-- so it takes its rows as values and never reads, with those rights, a
-- table the caller made (such as the staging table).
CREATE FUNCTION import_register(rows import_row[], default_day date DEFAULT current_date)
	RETURNS TABLE (issues bigint, first_code text, last_code text)
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	x import_row;
	r registration;
	regs registration[] := '{}';
	lines integer[] := '{}';
	lists text[] := '{}';
	years integer[] := '{}';
	numbers bigint[];
	g record;
	base bigint;
	acting_as name;
	n integer := 0;
	at_line integer;
	code text;
	first text;
	message text;
	state text;
BEGIN
	BEGIN
		-- Every row read and checked, in order, before any is registered.
		FOREACH x IN ARRAY import_register.rows LOOP
			at_line := x.line;
			-- the privilege calling register_issue() needs (checked before
			-- its arguments are read)
			IF n = 0 AND NOT has_function_privilege(login,
				'register_issue(text, text, severity, text, date, date, text, text, text, text)'::regprocedure,
				'EXECUTE') THEN
				RAISE EXCEPTION 'permission denied for function register_issue'
					USING ERRCODE = 'insufficient_privilege';
			END IF;
			r := ROW(list_code(x.list), org_code(x.org), btrim(x.severity)::severity,
					 btrim(x.title),
					 coalesce(nullif(btrim(x.found_on), '')::date, default_day),
					 nullif(btrim(x.due_on), '')::date,
					 coalesce(nullif(btrim(x.origin), ''), 'external'),
					 nullif(btrim(x.official), ''), nullif(btrim(x.source), ''),
					 nullif(x.detail, ''));
			acting_as := register_check(r, login);
			n := n + 1;
			regs[n] := r;
			lines[n] := at_line;
			lists[n] := r.list;
			years[n] := code_year(r.found_on);
		END LOOP;

		-- One reservation per list and year, in that order (two imports
		-- lock the counters in the same order); the group's k-th row, in
		-- the order given, takes its k-th number.
		numbers := array_fill(NULL::bigint, ARRAY[n]);
		FOR g IN SELECT u.list, u.year, array_agg(u.i ORDER BY u.i) AS members
				   FROM unnest(lists, years) WITH ORDINALITY AS u(list, year, i)
				  GROUP BY 1, 2 ORDER BY 1, 2 LOOP
			at_line := lines[g.members[1]];
			base := reserve_issue_numbers(g.list, g.year, cardinality(g.members));
			FOR k IN 1 .. cardinality(g.members) LOOP
				numbers[g.members[k]] := base + k - 1;
			END LOOP;
		END LOOP;

		FOR i IN 1 .. n LOOP
			at_line := lines[i];
			code := register_numbered(regs[i], numbers[i], login, acting_as);
			first := coalesce(first, code);
		END LOOP;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
		RAISE EXCEPTION 'line %: %', at_line, message USING ERRCODE = state;
	END;
	RETURN QUERY SELECT n::bigint, first, code;
END $$;
COMMENT ON FUNCTION import_register(import_row[], date) IS
	'register rows of an import file in the order given, each as register_issue() would (its privileges and checks), with one issue_counter update per list and year; returns how many and the first and last codes; an error names the line; default_day stands for a missing found day';

-- Register every staged row, in line order, through import_register() in
-- chunks (the server holds one chunk at a time); an error names its line.
CREATE FUNCTION import_apply(default_day date DEFAULT current_date)
	RETURNS TABLE (issues bigint, first_code text, last_code text)
	LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	chunk_rows constant integer := 10000;
	total bigint;
	seen bigint := 0;
	s record;
	chunk import_row[] := '{}';
	k integer := 0;
	done record;
	n bigint := 0;
	first text;
	last text;
BEGIN
	PERFORM import_require_staged();
	SELECT count(*) INTO total FROM pg_temp.issuelist_import;
	FOR s IN SELECT ROW(i.line, i.list, i.org, i.severity, i.title, i.found_on,
						i.due_on, i.origin, i.official, i.source, i.detail)::import_row AS x
			   FROM pg_temp.issuelist_import i ORDER BY i.line LOOP
		seen := seen + 1;
		k := k + 1;
		chunk[k] := s.x;
		IF k = chunk_rows OR seen = total THEN
			-- import_register() names the line of a refused row
			SELECT * INTO done FROM import_register(chunk, default_day);
			n := n + done.issues;
			first := coalesce(first, done.first_code);
			last := done.last_code;
			chunk := '{}';
			k := 0;
		END IF;
	END LOOP;
	RETURN QUERY SELECT n, first, last;
END $$;
COMMENT ON FUNCTION import_apply(date) IS
	'register every row of pg_temp.issuelist_import in line order, each as register_issue() would, with import_register(); returns how many and the first and last codes; an error names the line; default_day stands for a missing found day';

-- ---------------------------------------------------------------------------
-- Last fragment: a fixed search_path for every PL/pgSQL function, and every
-- SQL function with a string body, of the extension's schemas.  Their
-- bodies resolve names when they run, so without it a caller's search_path
-- (a BI login calling issuelist.ranking(), or a temporary table named like
-- ours) could change what they read; SECURITY DEFINER functions must never
-- allow that.  The path is our schema, then ltree's (wherever it was
-- installed: its operators are used on org.path), then pg_temp last.  SQL
-- functions with BEGIN ATOMIC bodies were bound to their objects when they
-- were created and need nothing (and must stay without SET to be inlined);
-- functions that set their own path keep it.
-- ---------------------------------------------------------------------------

DO $$
DECLARE
	ltree_schema name := (SELECT e.extnamespace::regnamespace::name
							FROM pg_catalog.pg_extension e WHERE e.extname = 'ltree');
	f regprocedure;
BEGIN
	FOR f IN
		SELECT p.oid
		  FROM pg_catalog.pg_proc p
		  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
		 WHERE p.pronamespace IN ('@extschema@'::regnamespace,
								  (SELECT n.oid FROM pg_catalog.pg_namespace n
								    WHERE n.nspname = 'issuelist_bi'))
		   AND (l.lanname = 'plpgsql' OR (l.lanname = 'sql' AND p.prosqlbody IS NULL))
		   AND p.proconfig IS NULL
	LOOP
		EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = %I, %I, pg_temp',
								  f, '@extschema@', ltree_schema);
	END LOOP;
END $$;
