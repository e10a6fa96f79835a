
-- ---------------------------------------------------------------------------
-- Frozen quarters (docs/scoring.md, "Freezing"; docs/trust.md, "Publication"):
-- freeze_quarter(q) stores one
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
	reason text,
	digest bytea,
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
COMMENT ON COLUMN quarter_freeze.reason IS 'why the quarter was published again (required from the second revision on)';
COMMENT ON COLUMN quarter_freeze.digest IS
	'history_digest(computed_at): the digest of the history the publication was computed from; verify_quarter() checks it';

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

GRANT SELECT ON quarter_freeze, rollup
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
