
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
