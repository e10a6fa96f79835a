
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
