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
