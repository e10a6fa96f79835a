
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
