
-- ---------------------------------------------------------------------------
-- quarter (extension/sql/12_quarter.sql): the comparison, cmp and hash
-- functions are LEAKPROOF, so that row security keeps index scans on
-- quarter predicates.
-- ---------------------------------------------------------------------------

ALTER FUNCTION quarter_lt(quarter, quarter) LEAKPROOF;
ALTER FUNCTION quarter_le(quarter, quarter) LEAKPROOF;
ALTER FUNCTION quarter_eq(quarter, quarter) LEAKPROOF;
ALTER FUNCTION quarter_ne(quarter, quarter) LEAKPROOF;
ALTER FUNCTION quarter_ge(quarter, quarter) LEAKPROOF;
ALTER FUNCTION quarter_gt(quarter, quarter) LEAKPROOF;
ALTER FUNCTION quarter_cmp(quarter, quarter) LEAKPROOF;
ALTER FUNCTION quarter_hash(quarter) LEAKPROOF;
ALTER FUNCTION quarter_hash_extended(quarter, bigint) LEAKPROOF;
