
-- ---------------------------------------------------------------------------
-- Corrections and late entries (docs/trust.md).  A wrong value of an issue
-- (its list, severity, organization, origin, title, detail or found day) is
-- corrected by an event of its history that says the old and the new
-- value; nobody, superuser included, updates the issue directly
-- (26_history_chain.sql).  The issue row holds the corrected value, so
-- every as-of question about a day not yet published reads it; published
-- quarters keep what they published.  late_entries() lists the events
-- recorded late (30_workflow.sql flags them).
--
-- Everything here is new in 1.1, so the upgrade from 1.0 runs this fragment
-- as it is (extension/upgrade/1.0--1.1/ links to it).
-- ---------------------------------------------------------------------------

CREATE FUNCTION correct_issue(code text, field text, new_value text, reason text,
							  on_date date DEFAULT current_date,
							  late_reason text DEFAULT NULL) RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	i issue;
	corrected issue;
	last issue_event;
	acting_as name;
	old_value text;
	value text;
	first_step date;
	late record;
BEGIN
	IF correct_issue.field IS NULL
	   OR correct_issue.field NOT IN ('list', 'severity', 'org', 'origin', 'title',
									  'detail', 'found_on') THEN
		RAISE EXCEPTION 'field "%" cannot be corrected', coalesce(correct_issue.field, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'correct_issue corrects list, severity, org, origin, title, detail and found_on; the state and the due day change through the loop, the official by an assignment.';
	END IF;
	PERFORM require_text(correct_issue.reason, 'a reason');
	i := lock_issue(correct_issue.code, login);
	acting_as := require_role(login, '{issuelist_verifier}', 'correct an issue');
	PERFORM check_identity(i, login, acting_as, 'correct an issue', false);

	-- The new value, read as the column's type (22P02, 22007 for text that
	-- is not one), checked as a registration checks it.
	IF correct_issue.new_value IS NULL AND correct_issue.field <> 'detail' THEN
		RAISE EXCEPTION 'the new % of issue % is required', correct_issue.field, i.code
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Only detail may be corrected to nothing (NULL).';
	END IF;
	corrected := jsonb_populate_record(i, jsonb_build_object(correct_issue.field,
															 correct_issue.new_value));
	CASE correct_issue.field
	WHEN 'list' THEN
		PERFORM require_list(corrected.list);
	WHEN 'origin' THEN
		PERFORM require_origin(corrected.origin);
	WHEN 'title' THEN
		PERFORM require_text(corrected.title, 'a title');
	WHEN 'org' THEN
		PERFORM require_org(corrected.org);
		IF NOT covers(login, corrected.org, '{issuelist_admin}') THEN
			RAISE EXCEPTION 'login "%" may not move issue % to organization %',
				login, i.code, corrected.org
				USING ERRCODE = 'insufficient_privilege',
					  HINT = 'It is outside the login''s subtrees (grant_org).';
		END IF;
		IF i.official IS NOT NULL THEN
			RAISE EXCEPTION 'the organization of issue % cannot be corrected while official % is responsible for it in %',
				i.code, i.official, i.org
				USING ERRCODE = 'object_not_in_prerequisite_state',
					  HINT = 'Responsibility is held in an organization: take the official off the issue first (assign_official with NULL), correct the organization, then assign an official of the new one.';
		END IF;
	WHEN 'found_on' THEN
		SELECT min(e.on_date) INTO first_step FROM issue_event e WHERE e.issue = i.id AND e.seq > 1;
		IF corrected.found_on > current_date THEN
			RAISE EXCEPTION 'found day % is in the future', corrected.found_on
				USING ERRCODE = 'IL006';
		ELSIF corrected.found_on > i.due_on THEN
			RAISE EXCEPTION 'due day % of issue % is before the found day %',
				i.due_on, i.code, corrected.found_on
				USING ERRCODE = 'IL007',
					  HINT = 'A later due day is an extension (extend_deadline).';
		ELSIF corrected.found_on > least(first_step, correct_issue.on_date) THEN
			RAISE EXCEPTION 'found day % of issue % is after its first step (%)',
				corrected.found_on, i.code, least(first_step, correct_issue.on_date)
				USING ERRCODE = 'IL002',
					  HINT = 'An issue is found on or before the day of every step it took, this correction''s included.';
		END IF;
	ELSE
		NULL;	-- severity: its type checked it; detail: anything
	END CASE;
	old_value := to_jsonb(i) ->> correct_issue.field;
	value := to_jsonb(corrected) ->> correct_issue.field;
	IF value IS NOT DISTINCT FROM old_value THEN
		RAISE EXCEPTION '% of issue % is already %', correct_issue.field, i.code,
			coalesce(quote_literal(value), 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'A correction changes a value.';
	END IF;

	last := last_event(i.id);
	PERFORM check_effective_day(i, last, correct_issue.on_date);
	late := check_late(login, acting_as, correct_issue.on_date, correct_issue.late_reason,
					   format('effective day %s of issue %s', correct_issue.on_date, i.code));
	-- The event first, then the row: the issue follows its last event.
	PERFORM record_event(corrected, last, correct_issue.on_date, acting_as, 'correction',
						 NULL, NULL, correct_issue.reason, late.late, late.reason,
						 correct_issue.field, old_value, value);
	RETURN value;
END $$;
COMMENT ON FUNCTION correct_issue(text, text, text, text, date, text) IS
	'correct an issue''s list, severity, org, origin, title, detail or found_on, with a reason, effective on a day (issuelist_verifier, never of the issue''s own organization; or issuelist_admin): one correction event with the old and the new value, then the issue; returns the new value as recorded';

-- The events recorded late, by the day they were recorded.
CREATE INDEX issue_event_late ON issue_event (recorded_at) WHERE late;
COMMENT ON INDEX issue_event_late IS 'the late events, by when they were recorded (late_entries)';

CREATE FUNCTION late_entries(from_day date, to_day date)
	RETURNS TABLE (code text, seq integer, recorded_on date, day date,
				   days_late integer, actor name, role name, event text,
				   to_state issue_state, field text, late_reason text)
	LANGUAGE plpgsql STABLE ROWS 100 AS $$
BEGIN
	IF from_day IS NULL OR to_day IS NULL THEN
		RAISE EXCEPTION 'late_entries needs from_day and to_day, not %', 
			CASE WHEN from_day IS NULL AND to_day IS NULL THEN 'NULL and NULL'
				 WHEN from_day IS NULL THEN 'NULL and ' || to_day
				 ELSE from_day || ' and NULL' END
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF from_day > to_day THEN
		RAISE EXCEPTION 'late_entries: from_day % is after to_day %', from_day, to_day
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The days recorded, from the first to the last, both included.';
	END IF;
	RETURN QUERY
		SELECT i.code, e.seq, e.recorded_at::date, e.on_date,
			   e.recorded_at::date - e.on_date, e.actor, e.role, e.event,
			   e.to_state, e.field, e.late_reason
		  FROM issue_event e
		  JOIN issue i ON i.id = e.issue
		 WHERE e.late
		   AND e.recorded_at >= from_day::timestamptz
		   AND e.recorded_at < (to_day + 1)::timestamptz
		 ORDER BY e.recorded_at, i.code, e.seq;
END $$;
COMMENT ON FUNCTION late_entries(date, date) IS
	'the events flagged late that were recorded from from_day to to_day (both included, in the session''s time zone) on the issues the caller may see: code, seq, day recorded, effective day, days late, login, role, event, state reached, corrected field, late_reason';

REVOKE ALL ON FUNCTION correct_issue(text, text, text, text, date, text),
	late_entries(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION correct_issue(text, text, text, text, date, text)
	TO issuelist_admin, issuelist_verifier;
GRANT EXECUTE ON FUNCTION late_entries(date, date)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
