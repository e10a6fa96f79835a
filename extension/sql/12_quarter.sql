
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

-- Comparison, btree and hash.  The comparison, cmp and hash functions
-- cannot fail and reveal nothing but their result, so they are LEAKPROOF,
-- as severity's and issue_state's are: row security then lets a quarter
-- predicate use an index instead of waiting for the policy's filter.
CREATE FUNCTION quarter_lt(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION quarter_le(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION quarter_eq(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION quarter_ne(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION quarter_ge(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION quarter_gt(quarter, quarter) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION quarter_cmp(quarter, quarter) RETURNS integer
	AS 'MODULE_PATHNAME', 'quarter_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION quarter_sortsupport(internal) RETURNS void
	AS 'MODULE_PATHNAME', 'quarter_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_in_range(quarter, quarter, integer, boolean, boolean) RETURNS boolean
	AS 'MODULE_PATHNAME', 'quarter_in_range' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quarter_hash(quarter) RETURNS integer
	AS 'MODULE_PATHNAME', 'quarter_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION quarter_hash_extended(quarter, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'quarter_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
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
