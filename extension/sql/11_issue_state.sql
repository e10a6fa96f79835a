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
