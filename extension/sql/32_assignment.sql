
-- ---------------------------------------------------------------------------
-- Responsibility and clarification (docs/officials.md).  An issue's
-- responsible official changes only by an assignment, an event of its
-- history with the old and the new code, so that as of any day the issue's
-- official is the one responsible then (official_as_of).  A clarification
-- (澄清正名) finds an accusation unfounded: the open issue is withdrawn
-- with the finding, the one exception to the transition table, and the
-- official's records show it as clarified, never as a deduction.  Both are
-- loop steps: the trust rules (late entries, identity, the order of
-- effective days) bind them as the others (30_workflow.sql).
--
-- Everything here is new in 1.1, so the upgrade from 1.0 runs this fragment
-- as it is (extension/upgrade/1.0--1.1/ links to it).
-- ---------------------------------------------------------------------------

CREATE FUNCTION assign_official(code text, official text, reason text,
								on_date date DEFAULT current_date) RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	i issue;
	last issue_event;
	acting_as name;
	old_value text;
	late record;
BEGIN
	PERFORM require_text(assign_official.reason, 'a reason');
	i := lock_issue(assign_official.code, login);
	acting_as := require_role(login, '{issuelist_editor,issuelist_verifier}',
							  'assign an issue''s official');
	IF NOT is_open(i.state) THEN
		RAISE EXCEPTION 'issue % is %: only an open issue is assigned an official', i.code, i.state
			USING ERRCODE = 'IL009';
	END IF;
	old_value := i.official;
	i.official := CASE WHEN assign_official.official IS NOT NULL
					   THEN find_official(assign_official.official, i.org) END;
	IF i.official IS NOT DISTINCT FROM old_value THEN
		RAISE EXCEPTION 'the official of issue % is already %', i.code, coalesce(old_value, 'nobody')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'An assignment changes the official.';
	END IF;
	last := last_event(i.id);
	PERFORM check_effective_day(i, last, assign_official.on_date);
	late := check_late(login, acting_as, assign_official.on_date, NULL,
					   format('effective day %s of issue %s', assign_official.on_date, i.code));
	-- The event first, then the row: the issue follows its last event.
	PERFORM record_event(i, last, assign_official.on_date, acting_as, 'assignment',
						 NULL, NULL, assign_official.reason, late.late, late.reason,
						 'official', old_value, i.official);
	RETURN i.official;
END $$;
COMMENT ON FUNCTION assign_official(text, text, text, date) IS
	'make an official (code, or a name unique among the organization''s post holders; NULL: nobody) responsible for an open issue from a day, with a reason (issuelist_editor or issuelist_verifier of its subtree): an assignment event with the old and the new code; returns the code';

CREATE FUNCTION clarify(code text, finding text, on_date date DEFAULT current_date)
	RETURNS issue_state
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	i issue;
	last issue_event;
	acting_as name;
	from_state issue_state;
	late record;
BEGIN
	PERFORM require_text(clarify.finding, 'a finding');
	i := lock_issue(clarify.code, login);
	acting_as := require_role(login, '{issuelist_verifier}', 'clarify an issue');
	PERFORM check_identity(i, login, acting_as, 'clarify an issue', true);
	IF NOT is_open(i.state) THEN
		RAISE EXCEPTION 'issue % is %: only an open issue is clarified', i.code, i.state
			USING ERRCODE = 'IL001',
				  HINT = 'A clarification withdraws an open issue whose accusation was unfounded.';
	END IF;
	last := last_event(i.id);
	PERFORM check_effective_day(i, last, clarify.on_date);
	late := check_late(login, acting_as, clarify.on_date, NULL,
					   format('effective day %s of issue %s', clarify.on_date, i.code));
	from_state := i.state;
	i.state := 'withdrawn';
	i.closed_on := clarify.on_date;
	PERFORM record_event(i, last, clarify.on_date, acting_as, 'clarified',
						 from_state, 'withdrawn', clarify.finding, late.late,
						 late.reason, NULL, NULL, NULL);
	RETURN i.state;
END $$;
COMMENT ON FUNCTION clarify(text, text, date) IS
	'clear an official wrongly accused (issuelist_verifier, never of the issue''s own organization, its registrar or rectifier): the open issue is withdrawn with the finding, a clarified event; it shows as clarified in the official''s records, never as a deduction';

-- The clarified issues, for the officials' tallies of a quarter: read as a
-- set (live_official_tallies), not one look-up per issue.
CREATE INDEX issue_event_clarified ON issue_event (issue) INCLUDE (on_date)
	WHERE event = 'clarified';

-- Was the issue clarified by this day?
CREATE FUNCTION clarified_by(issue bigint, day date) RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT EXISTS (SELECT FROM issue_event e
				   WHERE e.issue = clarified_by.issue AND e.event = 'clarified'
					 AND e.on_date <= day);
END;
COMMENT ON FUNCTION clarified_by(bigint, date) IS 'true when the issue was clarified on or before the day';

REVOKE ALL ON FUNCTION assign_official(text, text, text, date), clarify(text, text, date),
	clarified_by(bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION assign_official(text, text, text, date)
	TO issuelist_admin, issuelist_editor, issuelist_verifier;
GRANT EXECUTE ON FUNCTION clarify(text, text, date) TO issuelist_admin, issuelist_verifier;
GRANT EXECUTE ON FUNCTION clarified_by(bigint, date)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;

COMMENT ON COLUMN issue_event.event IS
	'what happened: registered, transition, extension, tolerance, correction, assignment (of the responsible official), clarified (withdrawn as unfounded), or a note of the daily work (request, decision, evidence, escalation)';
