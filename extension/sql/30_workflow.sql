
-- ---------------------------------------------------------------------------
-- The closed loop: the workflow functions (docs/workflow.md).
--
-- Errors, all in one place (docs/workflow.md has the table with examples):
--   IL001  the closed loop does not allow this transition (names both states)
--   IL002  effective day before the issue was found, or before its last event
--   IL003  unknown issue (or not in the caller's subtree: the same answer)
--   IL004  unknown list
--   IL005  unknown organization
--   IL006  effective day in the future
--   IL007  due day before the found day, or an extension that is not later
--   IL008  tolerance approved by its requester
--   IL009  the issue is closed or withdrawn: no extension, no tolerance
--   IL010  the history is append-only (25_history.sql)
--   42501  the login's role does not allow the step, or the organization is
--          outside its subtree
--   22023  a missing or malformed argument (title, origin, reason, until...)
--
-- Each function locks the issue's row (SELECT ... FOR UPDATE) before it
-- reads the state, so two sessions working on one issue take turns: the
-- second sees the first one's result, and either follows the loop from
-- there or is refused.  No step is skipped and no event is lost.
-- ---------------------------------------------------------------------------

-- Fail with 22023 when a required argument is missing or blank.
CREATE FUNCTION require_text(value text, what text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF value IS NULL OR btrim(value) = '' THEN
		RAISE EXCEPTION '% is required', what
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN value;
END $$;
COMMENT ON FUNCTION require_text(text, text) IS
	'the value, or error 22023 "<what> is required" when it is NULL or blank';

-- The issue with this code, locked for the rest of the transaction, if the
-- login may work on it; error IL003 otherwise (an issue outside the login's
-- subtree does not exist for it).
CREATE FUNCTION lock_issue(code text, login name) RETURNS issue
	LANGUAGE plpgsql AS $$
DECLARE
	i issue;
BEGIN
	SELECT * INTO i FROM issue x WHERE x.code = lock_issue.code FOR UPDATE;
	IF NOT FOUND OR NOT covers(login, i.org, '{issuelist_admin,issuelist_auditor}') THEN
		RAISE EXCEPTION 'unknown issue "%"', coalesce(code, 'NULL')
			USING ERRCODE = 'IL003';
	END IF;
	RETURN i;
END $$;
COMMENT ON FUNCTION lock_issue(text, name) IS
	'the issue with this code, row-locked, when the login may see it; error IL003 otherwise';

-- The issue's last event (the issue must be locked).
CREATE FUNCTION last_event(issue_id bigint) RETURNS issue_event
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT e.* FROM issue_event e WHERE e.issue = issue_id ORDER BY e.seq DESC LIMIT 1;
END;
COMMENT ON FUNCTION last_event(bigint) IS 'the last event of an issue';

-- Fail unless a day may be the effective day of an issue's next event:
-- not in the future, not before it was found, not before its last event.
CREATE FUNCTION check_effective_day(i issue, last issue_event, day date) RETURNS void
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF day IS NULL THEN
		RAISE EXCEPTION 'the effective day is required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF day > current_date THEN
		RAISE EXCEPTION 'effective day % is in the future', day
			USING ERRCODE = 'IL006';
	ELSIF day < i.found_on THEN
		RAISE EXCEPTION 'effective day % is before issue % was found (%)', day, i.code, i.found_on
			USING ERRCODE = 'IL002';
	ELSIF day < last.on_date THEN
		RAISE EXCEPTION 'effective day % is before the last event of issue % (%, %)',
			day, i.code, last.event, last.on_date
			USING ERRCODE = 'IL002',
				  HINT = 'Events of one issue are recorded in the order of their days.';
	END IF;
END $$;
COMMENT ON FUNCTION check_effective_day(issue, issue_event, date) IS
	'error IL006, IL002 or 22023 unless the day can be the effective day of the issue''s next event';

-- Record an event and make its snapshot (the state, due day, closed day,
-- reopen count and tolerance of i) the issue's current one.
CREATE FUNCTION record_event(i issue, last issue_event, day date, acting_as name,
							 event text, from_state issue_state,
							 to_state issue_state, note text) RETURNS void
	LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO issue_event (issue, seq, org, on_date, actor, role, event,
							 from_state, to_state, note, state, due_on,
							 reopen_count, closed_on, tolerated_until)
		VALUES ((i).id, coalesce((last).seq, 0) + 1, (i).org, day,
				acting_login(), acting_as, event, from_state, to_state, note,
				(i).state, (i).due_on, (i).reopen_count, (i).closed_on,
				(i).tolerated_until);
	UPDATE issue SET state = (i).state, due_on = (i).due_on,
		   closed_on = (i).closed_on, reopen_count = (i).reopen_count,
		   tolerated_until = (i).tolerated_until
	 WHERE id = (i).id;
END;
COMMENT ON FUNCTION record_event(issue, issue_event, date, name, text, issue_state, issue_state, text) IS
	'append an event to the history with the issue''s new snapshot, and update the issue to it';

-- The states the loop allows after this one, for hints.
CREATE FUNCTION next_states(state issue_state) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT coalesce(string_agg(s::text, ', ' ORDER BY s), 'nothing')
	  FROM unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issue_state[]) s
	 WHERE can_advance(state, s);
END;
COMMENT ON FUNCTION next_states(issue_state) IS
	'the states the closed loop allows after this one, as text (nothing after withdrawn)';

-- Who takes a step: the verifier (the supervising level) accepts and
-- closes, refuses acceptance, reopens and withdraws; the editor does the
-- rest.  Returns the role and a description for the refusal.
CREATE FUNCTION step_role(from_state issue_state, to_state issue_state,
						  OUT role name, OUT step text)
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN to_state IN ('closed', 'reopened', 'withdrawn')
					 OR (from_state = 'rectified' AND to_state = 'rectifying')
				THEN 'issuelist_verifier' ELSE 'issuelist_editor' END::name,
		   CASE WHEN to_state = 'closed' THEN 'close (strike off) an issue'
				WHEN to_state = 'reopened' THEN 'reopen an issue'
				WHEN to_state = 'withdrawn' THEN 'withdraw an issue'
				WHEN from_state = 'rectified' THEN 'refuse acceptance of an issue'
				ELSE format('move an issue from %s to %s', from_state, to_state) END;
END;
COMMENT ON FUNCTION step_role(issue_state, issue_state) IS
	'the role that takes a step of the loop (issuelist_verifier or issuelist_editor) and a description of the step';

-- ---------------------------------------------------------------------------
-- Registration, in three steps that register_issue() takes for one issue
-- and import_register() (70_client.sql) for a file's worth: check the
-- values, reserve code numbers (one counter update for many issues of one
-- list and year), and insert the issue with its official and first event.
-- ---------------------------------------------------------------------------

-- The values of a registration, as register_issue() takes them.
CREATE TYPE registration AS (
	list text,
	org text,
	severity severity,
	title text,
	found_on date,
	due_on date,
	origin text,
	official text,
	source text,
	detail text
);
COMMENT ON TYPE registration IS
	'the values of an issue to register, as register_issue() takes them (list and organization by code)';

-- Fail unless the login may register an issue with these values (each
-- refusal of register_issue, in its order); returns the role it acts as.
CREATE FUNCTION register_check(r registration, login name) RETURNS name
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	acting_as name;
BEGIN
	IF NOT EXISTS (SELECT FROM list x WHERE x.code = r.list) THEN
		RAISE EXCEPTION 'unknown list "%"', coalesce(r.list, 'NULL')
			USING ERRCODE = 'IL004',
				  HINT = 'The lists are: ' || (SELECT string_agg(x.code, ', ' ORDER BY x.position) FROM list x) || '.';
	END IF;
	PERFORM require_org(r.org);
	IF r.severity IS NULL THEN
		RAISE EXCEPTION 'severity is required'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The severities are general, serious, major and critical.';
	END IF;
	PERFORM require_text(r.title, 'a title');
	IF r.origin IS NULL OR r.origin NOT IN ('self', 'external', 'concealed') THEN
		RAISE EXCEPTION 'unknown origin "%"', coalesce(r.origin, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The origins are self, external and concealed.';
	END IF;
	IF r.found_on IS NULL THEN
		RAISE EXCEPTION 'the found day is required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF r.found_on > current_date THEN
		RAISE EXCEPTION 'found day % is in the future', r.found_on
			USING ERRCODE = 'IL006';
	ELSIF r.due_on < r.found_on THEN
		RAISE EXCEPTION 'due day % is before the found day %', r.due_on, r.found_on
			USING ERRCODE = 'IL007';
	END IF;
	IF r.official IS NOT NULL THEN
		PERFORM require_text(r.official, 'the official''s name');
	END IF;
	acting_as := require_role(login, '{issuelist_editor,issuelist_verifier}',
							  'register issues');
	IF NOT covers(login, r.org, '{issuelist_admin}') THEN
		RAISE EXCEPTION 'login "%" may not register issues of organization %',
			login, r.org
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'It is outside the login''s subtrees (grant_org).';
	END IF;
	RETURN acting_as;
END $$;
COMMENT ON FUNCTION register_check(registration, name) IS
	'the role the login registers as, when it may register an issue with these values; the errors of register_issue() otherwise';

-- The year whose numbers an issue found on a day takes.
CREATE FUNCTION code_year(found_on date) RETURNS integer
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT extract(year FROM found_on)::integer;
END;
COMMENT ON FUNCTION code_year(date) IS
	'the year of an issue''s code: the year it was found';

-- Reserve the next n numbers of a list and year's codes; returns the first.
-- The counter row stays locked until the transaction ends, so concurrent
-- registrations take turns, and a rollback gives the numbers back.  One
-- update for n issues: the row's versions, which the transaction's later
-- updates must walk, grow with the updates, not with the issues.
CREATE FUNCTION reserve_issue_numbers(list text, year integer, n bigint)
	RETURNS bigint
	LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO issue_counter AS c (list, year, last_number)
		VALUES (reserve_issue_numbers.list, reserve_issue_numbers.year,
				reserve_issue_numbers.n)
		ON CONFLICT ON CONSTRAINT issue_counter_pkey
		DO UPDATE SET last_number = c.last_number + excluded.last_number
		RETURNING c.last_number - reserve_issue_numbers.n + 1;
END;
COMMENT ON FUNCTION reserve_issue_numbers(text, integer, bigint) IS
	'reserve the next n (>= 1) code numbers of a list and year (issue_counter, locked until the transaction ends); returns the first';

-- Insert a checked registration under a reserved number: its official
-- (created on first use, in the issue's organization), the issue and its
-- first event.  Returns the code.
CREATE FUNCTION register_numbered(r registration, number bigint, login name,
								  acting_as name) RETURNS text
	LANGUAGE plpgsql AS $$
DECLARE
	i issue;
BEGIN
	INSERT INTO official (name, org)
		SELECT r.official, r.org WHERE r.official IS NOT NULL
		ON CONFLICT DO NOTHING;
	INSERT INTO issue (code, list, source, org, official, title, detail,
					   severity, origin, state, found_on, due_on)
		VALUES (issue_code((SELECT x.prefix FROM list x WHERE x.code = r.list),
						   code_year(r.found_on), number),
				r.list, r.source, r.org, r.official, r.title, r.detail,
				r.severity, r.origin, 'registered', r.found_on,
				coalesce(r.due_on, policy_due_on(r.list, r.severity, r.found_on)))
		RETURNING * INTO i;
	INSERT INTO issue_event (issue, seq, org, on_date, actor, role, event,
							 to_state, note, state, due_on, reopen_count)
		VALUES (i.id, 1, i.org, i.found_on, login, acting_as, 'registered',
				'registered', i.source, i.state, i.due_on, 0);
	RETURN i.code;
END $$;
COMMENT ON FUNCTION register_numbered(registration, bigint, name, name) IS
	'insert a checked registration (register_check) under a reserved number (reserve_issue_numbers): its official, the issue and its first event; returns the code';

CREATE FUNCTION register_issue(list text, org text, severity severity, title text,
							   found_on date DEFAULT current_date,
							   due_on date DEFAULT NULL,
							   origin text DEFAULT 'external',
							   official text DEFAULT NULL,
							   source text DEFAULT NULL,
							   detail text DEFAULT NULL) RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	r registration := ROW(register_issue.list, register_issue.org,
						  register_issue.severity, register_issue.title,
						  register_issue.found_on, register_issue.due_on,
						  register_issue.origin, register_issue.official,
						  register_issue.source, register_issue.detail);
	acting_as name := register_check(r, login);
BEGIN
	RETURN register_numbered(r, reserve_issue_numbers(r.list, code_year(r.found_on), 1),
							 login, acting_as);
END $$;
COMMENT ON FUNCTION register_issue(text, text, severity, text, date, date, text, text, text, text) IS
	'register an issue (issuelist_editor or issuelist_verifier, in the login''s subtree): the due day defaults to deadline_policy; returns the new code, as AUD-2021-000123';

CREATE FUNCTION advance(code text, to_state issue_state, note text DEFAULT NULL,
						on_date date DEFAULT current_date) RETURNS issue_state
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	i issue;
	last issue_event;
	step record;
	acting_as name;
	from_state issue_state;
BEGIN
	IF advance.to_state IS NULL THEN
		RAISE EXCEPTION 'the state to go to is required'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	i := lock_issue(advance.code, login);
	IF NOT can_advance(i.state, advance.to_state) THEN
		RAISE EXCEPTION 'issue % cannot go from % to %', i.code, i.state, advance.to_state
			USING ERRCODE = 'IL001',
				  HINT = format('From %s the loop goes to: %s.', i.state, next_states(i.state));
	END IF;
	step := step_role(i.state, advance.to_state);
	acting_as := require_role(login, ARRAY[step.role], step.step);
	last := last_event(i.id);
	PERFORM check_effective_day(i, last, advance.on_date);

	from_state := i.state;
	i.state := advance.to_state;
	-- closed_on is the day the issue left the loop (closed or withdrawn);
	-- reopening puts it back in the loop.
	i.closed_on := CASE WHEN is_open(i.state) THEN NULL ELSE advance.on_date END;
	IF i.state = 'reopened' THEN
		i.reopen_count := i.reopen_count + 1;
	END IF;
	PERFORM record_event(i, last, advance.on_date, acting_as, 'transition',
						 from_state, i.state, advance.note);
	RETURN i.state;
END $$;
COMMENT ON FUNCTION advance(text, issue_state, text, date) IS
	'move an issue one step along the closed loop, effective on a day (default today); returns the new state';

-- The issue, locked, for an extension or a tolerance: a verifier's step on
-- an open issue.
CREATE FUNCTION lock_open_issue(code text, login name, step text,
								OUT i issue, OUT acting_as name)
	LANGUAGE plpgsql AS $$
BEGIN
	i := lock_issue(code, login);
	acting_as := require_role(login, '{issuelist_verifier}', step);
	IF NOT is_open(i.state) THEN
		RAISE EXCEPTION 'issue % is %: only an open issue can be extended or tolerated',
			i.code, i.state
			USING ERRCODE = 'IL009';
	END IF;
END $$;
COMMENT ON FUNCTION lock_open_issue(text, name, text) IS
	'the issue, locked, and the role acted as, for a verifier''s step on an open issue (IL003, 42501, IL009)';

CREATE FUNCTION extend_deadline(code text, new_due date, reason text,
								on_date date DEFAULT current_date) RETURNS date
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	locked record := lock_open_issue(extend_deadline.code, login, 'extend deadlines');
	i issue := locked.i;
	last issue_event := last_event(i.id);
BEGIN
	PERFORM require_text(extend_deadline.reason, 'a reason');
	IF extend_deadline.new_due IS NULL THEN
		RAISE EXCEPTION 'the new due day is required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF extend_deadline.new_due <= i.due_on THEN
		RAISE EXCEPTION 'new due day % of issue % is not after its due day %',
			extend_deadline.new_due, i.code, i.due_on
			USING ERRCODE = 'IL007';
	END IF;
	PERFORM check_effective_day(i, last, extend_deadline.on_date);
	i.due_on := extend_deadline.new_due;
	PERFORM record_event(i, last, extend_deadline.on_date, locked.acting_as,
						 'extension', NULL, NULL, extend_deadline.reason);
	RETURN i.due_on;
END $$;
COMMENT ON FUNCTION extend_deadline(text, date, text, date) IS
	'move an open issue''s due day later, with a reason, effective on a day (issuelist_verifier); returns the new due day';

CREATE FUNCTION tolerate(code text, reason text, approved_by text,
						 on_date date DEFAULT current_date,
						 until date DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	locked record := lock_open_issue(tolerate.code, login, 'record tolerance');
	i issue := locked.i;
	last issue_event := last_event(i.id);
BEGIN
	PERFORM require_text(tolerate.reason, 'a reason');
	PERFORM require_text(tolerate.approved_by, 'an approver');
	IF btrim(tolerate.approved_by) = login::text THEN
		RAISE EXCEPTION 'tolerance of issue % must be approved by someone other than its requester %',
			i.code, login
			USING ERRCODE = 'IL008';
	END IF;
	PERFORM check_effective_day(i, last, tolerate.on_date);
	IF tolerate.until < tolerate.on_date THEN
		RAISE EXCEPTION 'tolerance until % ends before it starts (%)', tolerate.until, tolerate.on_date
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO tolerance (issue, org, from_on, until_on, reason, requester, approved_by)
		VALUES (i.id, i.org, tolerate.on_date, tolerate.until, tolerate.reason,
				login, btrim(tolerate.approved_by));
	-- Every tolerance so far began on or before this day, so the issue is
	-- tolerated on a later day T exactly when the latest end is >= T.
	i.tolerated_until := greatest(i.tolerated_until,
								  coalesce(tolerate.until, 'infinity'));
	PERFORM record_event(i, last, tolerate.on_date, locked.acting_as, 'tolerance',
						 NULL, NULL,
						 format('%s (approved by %s%s)', tolerate.reason,
								btrim(tolerate.approved_by),
								', until ' || tolerate.until));
END $$;
COMMENT ON FUNCTION tolerate(text, text, text, date, date) IS
	'tolerate an open issue after review: exempt from the score from on_date through until (NULL: for ever); needs a reason and an approver other than the requester (issuelist_verifier)';

REVOKE ALL ON FUNCTION require_text(text, text), lock_issue(text, name),
	last_event(bigint), check_effective_day(issue, issue_event, date),
	record_event(issue, issue_event, date, name, text, issue_state, issue_state, text),
	lock_open_issue(text, name, text),
	register_check(registration, name),
	reserve_issue_numbers(text, integer, bigint),
	register_numbered(registration, bigint, name, name),
	register_issue(text, text, severity, text, date, date, text, text, text, text),
	advance(text, issue_state, text, date),
	extend_deadline(text, date, text, date),
	tolerate(text, text, text, date, date)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	register_issue(text, text, severity, text, date, date, text, text, text, text),
	advance(text, issue_state, text, date),
	extend_deadline(text, date, text, date),
	tolerate(text, text, text, date, date)
	TO issuelist_admin, issuelist_editor, issuelist_verifier;
