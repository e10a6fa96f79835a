
-- 1.1: the history's new columns (late entries, corrections, the hash
-- chain), last and in the order a fresh install has them.  The hashes of
-- the events 1.0 recorded are computed by 27_history_chain_upgrade.sql,
-- once the functions that compute them exist.
ALTER TABLE issue_event
	ADD COLUMN late boolean NOT NULL DEFAULT false,
	ADD COLUMN late_reason text,
	ADD COLUMN field text,
	ADD COLUMN old_value text,
	ADD COLUMN new_value text,
	ADD COLUMN hash bytea;
ALTER TABLE issue_event
	DROP CONSTRAINT issue_event_follows_loop,
	ADD CONSTRAINT issue_event_follows_loop CHECK (
		CASE event
			WHEN 'registered' THEN seq = 1 AND from_state IS NULL
				AND to_state = 'registered' AND state = 'registered'
			WHEN 'transition' THEN can_advance(from_state, to_state)
				AND state = to_state
			WHEN 'extension' THEN from_state IS NULL AND to_state IS NULL
			WHEN 'tolerance' THEN from_state IS NULL AND to_state IS NULL
				AND tolerated_until IS NOT NULL
			WHEN 'correction' THEN from_state IS NULL AND to_state IS NULL
				AND field IS NOT NULL
		END);

-- history() changes its columns: it is created again, with its grants, by
-- 26_history_chain.sql.
DROP FUNCTION history(text);

-- A verifier who records a tolerance approves it: four eyes are kept by
-- identity (check_identity, 30_workflow.sql), not by requester <> approver.
ALTER TABLE tolerance DROP CONSTRAINT tolerance_four_eyes;
COMMENT ON COLUMN tolerance.requester IS 'the login who asked for it (a verifier recording it directly asks and approves)';
COMMENT ON COLUMN tolerance.approved_by IS 'who approved it: a verifier never of the issue''s own organization, nor its registrar or rectifier (an admin may name anyone)';
