
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

