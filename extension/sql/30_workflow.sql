
-- ---------------------------------------------------------------------------
-- The closed loop: the workflow functions (docs/workflow.md), with the
-- rules of trust that bind them (docs/trust.md): late entries, the choices
-- of a registration, and who may act on an issue.
--
-- Errors, all in one place (docs/workflow.md has the table with examples):
--   IL001  the closed loop does not allow this transition (names both states)
--   IL002  effective day before the issue was found, or before its last event
--   IL003  unknown issue (or not in the caller's subtree: the same answer)
--   IL004  unknown list
--   IL005  unknown organization
--   IL006  effective day in the future
--   IL007  due day before the found day, or an extension that is not later
--   IL008  a verifier's tolerance names another approver than itself
--   IL009  the issue is closed or withdrawn: no extension, no tolerance
--   IL010  the history is append-only (25_history.sql, 26_history_chain.sql)
--   IL011  a late entry: an editor's step (or registration) whose effective
--          day is more than late_entry_days old; a verifier's without a
--          late_reason
--   IL012  identity: a verifier's step on an issue of its own organization,
--          or (closing, refusing, withdrawing, extending, tolerating) on one
--          it registered or whose rectified step it recorded
--   IL013  a registration choice the caller may not make: a later due day
--          than the policy's, the origin concealed, self outside its own
--          organization (editors); any of them on its own organization
--          (verifiers)
--   42501  the login's role does not allow the step, or the organization is
--          outside its subtree
--   22023  a missing or malformed argument (title, origin, reason, until...)
--   55000  a correction the issue's state does not allow (31_corrections.sql)
--
-- Each function locks the issue's row (SELECT ... FOR UPDATE) before it
-- reads the state, so two sessions working on one issue take turns: the
-- second sees the first one's result, and either follows the loop from
-- there or is refused.  No step is skipped and no event is lost.
--
-- The helpers a step calls are PL/pgSQL, never SQL functions that the
-- planner cannot inline (a FROM, a sub-select, a write, a record result):
-- PostgreSQL 15 parses and plans such a SQL function again in every
-- transaction that calls it from PL/pgSQL, which was most of a step's
-- time, while PL/pgSQL keeps its plans for the session (docs/benchmarks.md,
-- "Where the time goes").
--
-- Only CREATE OR REPLACE here, and the type registration: the upgrade from
-- 1.0 runs this fragment as it is, after
-- extension/upgrade/1.0--1.1/20_workflow_drop.sql has dropped the functions
-- whose arguments change and that type.
-- ---------------------------------------------------------------------------

-- Fail with 22023 when a required argument is missing or blank.
CREATE OR REPLACE FUNCTION require_text(value text, what text) RETURNS text
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

-- Fail with IL004 unless the list exists.
CREATE OR REPLACE FUNCTION require_list(list text) RETURNS text
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF NOT EXISTS (SELECT FROM list x WHERE x.code = require_list.list) THEN
		RAISE EXCEPTION 'unknown list "%"', coalesce(list, 'NULL')
			USING ERRCODE = 'IL004',
				  HINT = 'The lists are: ' || (SELECT string_agg(x.code, ', ' ORDER BY x.position) FROM list x) || '.';
	END IF;
	RETURN list;
END $$;
COMMENT ON FUNCTION require_list(text) IS
	'the list''s code, or error IL004 (the hint lists the lists) when there is no such list';

-- Fail with 22023 unless the origin is one of the three.
CREATE OR REPLACE FUNCTION require_origin(origin text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF origin IS NULL OR origin NOT IN ('self', 'external', 'concealed') THEN
		RAISE EXCEPTION 'unknown origin "%"', coalesce(origin, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The origins are self, external and concealed.';
	END IF;
	RETURN origin;
END $$;
COMMENT ON FUNCTION require_origin(text) IS
	'the origin, or error 22023 unless it is self, external or concealed';

-- The issue with this code, locked for the rest of the transaction, if the
-- login may work on it; error IL003 otherwise (an issue outside the login's
-- subtree does not exist for it).
CREATE OR REPLACE FUNCTION lock_issue(code text, login name) RETURNS issue
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
CREATE OR REPLACE FUNCTION last_event(issue_id bigint) RETURNS issue_event
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	last issue_event;
BEGIN
	SELECT * INTO last FROM issue_event e WHERE e.issue = issue_id ORDER BY e.seq DESC LIMIT 1;
	RETURN last;
END $$;
COMMENT ON FUNCTION last_event(bigint) IS 'the last event of an issue';

-- Fail unless a day may be the effective day of an issue's next event:
-- not in the future, not before it was found, not before its last event.
CREATE OR REPLACE FUNCTION check_effective_day(i issue, last issue_event, day date) RETURNS void
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	-- The order of days binds the loop's steps only, not the events that
	-- change nothing of the issue (requests, decisions, evidence,
	-- escalations: 35_daily_work.sql), which are recorded on their own day.
	IF last.event IN ('request', 'decision', 'evidence', 'escalation') THEN
		SELECT * INTO last FROM issue_event e
		 WHERE e.issue = i.id
		   AND e.event NOT IN ('request', 'decision', 'evidence', 'escalation')
		 ORDER BY e.seq DESC LIMIT 1;
	END IF;
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

-- ---------------------------------------------------------------------------
-- Late entries (docs/trust.md, "Late entries").  An event's effective day
-- may trail the day it is recorded by at most late_entry_days
-- (issuelist.setting).  Past that, an editor's step is refused, a
-- verifier's needs a late_reason, an admin's is a backfill; each such event
-- is flagged late in the history.
-- ---------------------------------------------------------------------------

-- Is a step effective on this day, recorded today, late?
CREATE OR REPLACE FUNCTION is_late(day date) RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT day < current_date - setting_value('late_entry_days')::integer;
END;
COMMENT ON FUNCTION is_late(date) IS
	'true when a step effective on the day, recorded today, is late: more than late_entry_days (issuelist.setting) before today';

-- Whether a step effective on a day is late, and the late_reason to record
-- with it, when the login acting as this role may record it: an admin
-- always (a backfill, its reason optional), a verifier with a late_reason,
-- an editor never (IL011).  A late_reason for a step that is not late is
-- refused (22023); a blank one counts as none.  what names the day for the
-- messages: "effective day 2021-03-01 of issue AUD-2021-000001".
CREATE OR REPLACE FUNCTION check_late(login name, acting_as name, day date,
									  late_reason text, what text,
									  OUT late boolean, OUT reason text)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	grace integer := setting_value('late_entry_days')::integer;
	behind integer := current_date - day;
BEGIN
	late := is_late(day);
	reason := nullif(btrim(late_reason), '');
	IF NOT late THEN
		IF reason IS NOT NULL THEN
			RAISE EXCEPTION 'a late_reason was given, but % is not late: it is % days before today, within late_entry_days (%)',
				what, behind, grace
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'A late_reason is given only for a step recorded more than late_entry_days after its effective day.';
		END IF;
	ELSIF acting_as = 'issuelist_verifier' AND reason IS NULL THEN
		RAISE EXCEPTION 'a late_reason is required: % is % days before today, more than late_entry_days (%)',
			what, behind, grace
			USING ERRCODE = 'IL011',
				  HINT = 'A verifier records a late step with late_reason => ''why it comes late''; it is flagged late in the history.';
	ELSIF acting_as NOT IN ('issuelist_admin', 'issuelist_verifier') THEN
		RAISE EXCEPTION 'login "%" may not record a late entry: % is % days before today, more than late_entry_days (%)',
			login, what, behind, grace
			USING ERRCODE = 'IL011',
				  HINT = 'An editor records a step within late_entry_days of its effective day; a verifier records a late one with a late_reason, an admin backfills.';
	END IF;
END $$;
COMMENT ON FUNCTION check_late(name, name, date, text, text) IS
	'whether a step effective on the day is late and the late_reason to record (blank: none); error IL011 for an editor''s late step or a verifier''s without a reason, 22023 for a late_reason on a step that is not late';

-- ---------------------------------------------------------------------------
-- Who may act on an issue (docs/trust.md, "Who may act on an issue").  An
-- issue's own organization is its ranked unit (the county, for a county's
-- or its townships' issues; the city, for a city's own) and everything
-- inside it.  No login of it takes a verifier's step on the issue, and no
-- login that registered the issue or recorded its rectified step closes it,
-- refuses its acceptance, withdraws it, extends or tolerates it.  Admins
-- are exempt (and recorded as admins).
-- ---------------------------------------------------------------------------

-- The unit an organization's issues are ranked with: the organization
-- itself from the county level up, else its county (its nearest ancestor
-- at county level or above).
CREATE OR REPLACE FUNCTION ranked_unit(org text) RETURNS text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
BEGIN
	RETURN (SELECT u.code
			  FROM org o
			  JOIN org u ON o.path <@ u.path
			 WHERE o.code = ranked_unit.org AND org_level_rank(u.level) <= 3
			 ORDER BY nlevel(u.path) DESC
			 LIMIT 1);
END $$;
COMMENT ON FUNCTION ranked_unit(text) IS
	'the unit an organization''s issues are ranked with: itself at county level or above, else its county (its nearest ancestor at county level or above)';

-- Is the login of the organization's own unit: granted (grant_org) the
-- organization's ranked unit or anything inside it?
CREATE OR REPLACE FUNCTION member_of_unit(login name, org text) RETURNS boolean
	LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	unit text := ranked_unit(org);
BEGIN
	RETURN EXISTS (SELECT FROM org_member m
					 JOIN org g ON g.code = m.org
					 JOIN org u ON u.code = unit
				   WHERE m.login = member_of_unit.login AND g.path <@ u.path);
END $$;
COMMENT ON FUNCTION member_of_unit(name, text) IS
	'true when the login was granted (grant_org) the organization''s ranked unit or an organization inside it: it is of the organization''s own organization';

-- Fail (IL012) unless the login may take a verifier's step on the issue:
-- never on an issue of its own organization; never, when the step approves
-- (close, refuse acceptance, withdraw, extend, tolerate), on one it
-- registered or whose rectified step it recorded.  Admins are exempt.
CREATE OR REPLACE FUNCTION check_identity(i issue, login name, acting_as name,
										  step text, approving boolean) RETURNS void
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	hint constant text := 'A verifier of a higher level, or an admin, takes this step.';
BEGIN
	IF acting_as = 'issuelist_admin' THEN
		RETURN;
	END IF;
	IF member_of_unit(login, i.org) THEN
		RAISE EXCEPTION 'login "%" may not %: issue % is of its own organization (%)',
			login, step, i.code, ranked_unit(i.org)
			USING ERRCODE = 'IL012', HINT = hint;
	END IF;
	IF NOT approving THEN
		RETURN;
	END IF;
	IF EXISTS (SELECT FROM issue_event e
			   WHERE e.issue = i.id AND e.seq = 1 AND e.actor = login) THEN
		RAISE EXCEPTION 'login "%" may not %: it registered issue % itself', login, step, i.code
			USING ERRCODE = 'IL012', HINT = hint;
	END IF;
	IF EXISTS (SELECT FROM issue_event e
			   WHERE e.issue = i.id AND e.to_state = 'rectified' AND e.actor = login) THEN
		RAISE EXCEPTION 'login "%" may not %: it recorded the rectified step of issue % itself',
			login, step, i.code
			USING ERRCODE = 'IL012', HINT = hint;
	END IF;
END $$;
COMMENT ON FUNCTION check_identity(issue, name, name, text, boolean) IS
	'error IL012 unless the login may take a verifier''s step on the issue: not of its own organization (member_of_unit) and, for a step that approves, neither its registrar nor the recorder of its rectified step; admins are exempt';

-- Record an event and make i the issue's current row: its snapshot (state,
-- due day, closed day, reopen count, tolerance) goes into the event, and a
-- correction's field, old and new value with it.  A correction's i carries
-- the corrected column; the issue row follows (26_history_chain.sql checks
-- that it changes only as its last event says).
CREATE OR REPLACE FUNCTION record_event(i issue, last issue_event, day date, acting_as name,
										event text, from_state issue_state,
										to_state issue_state, note text, late boolean,
										late_reason text, field text, old_value text,
										new_value text) RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO issue_event (issue, seq, org, on_date, actor, role, event,
							 from_state, to_state, note, state, due_on,
							 reopen_count, closed_on, tolerated_until, late,
							 late_reason, field, old_value, new_value)
		VALUES (i.id, coalesce(last.seq, 0) + 1, i.org, day,
				acting_login(), acting_as, record_event.event,
				record_event.from_state, record_event.to_state, record_event.note,
				i.state, i.due_on, i.reopen_count, i.closed_on,
				i.tolerated_until, record_event.late, record_event.late_reason,
				record_event.field, record_event.old_value, record_event.new_value);
	UPDATE issue x
	   SET (list, source, org, official, title, detail, severity, origin,
			state, found_on, due_on, closed_on, reopen_count, tags,
			tolerated_until)
		 = ROW(i.list, i.source, i.org, i.official, i.title,
			   i.detail, i.severity, i.origin, i.state, i.found_on,
			   i.due_on, i.closed_on, i.reopen_count, i.tags,
			   i.tolerated_until)
	 WHERE x.id = i.id;
END $$;
COMMENT ON FUNCTION record_event(issue, issue_event, date, name, text, issue_state, issue_state, text, boolean, text, text, text, text) IS
	'append an event to the history with the issue''s new snapshot, its late flag and reason, and a correction''s field and values; the issue row becomes i';

-- The states the loop allows after this one, for hints.
CREATE OR REPLACE FUNCTION next_states(state issue_state) RETURNS text
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
CREATE OR REPLACE FUNCTION step_role(from_state issue_state, to_state issue_state,
									 OUT role name, OUT step text)
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	role := CASE WHEN to_state IN ('closed', 'reopened', 'withdrawn')
					  OR (from_state = 'rectified' AND to_state = 'rectifying')
				 THEN 'issuelist_verifier' ELSE 'issuelist_editor' END;
	step := CASE WHEN to_state = 'closed' THEN 'close (strike off) an issue'
				 WHEN to_state = 'reopened' THEN 'reopen an issue'
				 WHEN to_state = 'withdrawn' THEN 'withdraw an issue'
				 WHEN from_state = 'rectified' THEN 'refuse acceptance of an issue'
				 ELSE format('move an issue from %s to %s', from_state, to_state) END;
END $$;
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
	detail text,
	ref text
);
COMMENT ON TYPE registration IS
	'the values of an issue to register, as register_issue() takes them (list and organization by code), and the finding''s number in its round (an import''s ref)';

-- Fail unless the login may register an issue with these values (each
-- refusal of register_issue, in its order); returns the role it acts as.
-- An editor may choose a due day earlier than the deadline policy's, and
-- the origin self in its own organization; a later due day, the origin
-- concealed or self elsewhere, and a found day more than late_entry_days
-- old (with a late_reason) are a verifier's choices, and no verifier of
-- the issue's own organization makes them.  A login that holds both roles
-- registers as a verifier when it makes a verifier's choice.
CREATE OR REPLACE FUNCTION register_check(r registration, login name,
										  late_reason text DEFAULT NULL) RETURNS name
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	acting_as name;
	policy date;
	due_later boolean;
	own boolean;
	editor_may boolean;
BEGIN
	PERFORM require_list(r.list);
	PERFORM require_org(r.org);
	IF r.severity IS NULL THEN
		RAISE EXCEPTION 'severity is required'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The severities are general, serious, major and critical.';
	END IF;
	PERFORM require_text(r.title, 'a title');
	PERFORM require_origin(r.origin);
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

	policy := policy_due_on(r.list, r.severity, r.found_on);
	due_later := coalesce(r.due_on > policy, false);
	own := member_of_unit(login, r.org);
	editor_may := NOT due_later AND r.origin <> 'concealed'
				  AND (r.origin <> 'self' OR own) AND NOT is_late(r.found_on);
	IF acting_as = 'issuelist_editor' AND NOT editor_may
	   AND pg_catalog.pg_has_role(login, 'issuelist_verifier', 'USAGE') THEN
		acting_as := 'issuelist_verifier';
	END IF;

	IF acting_as = 'issuelist_editor' THEN
		IF due_later THEN
			RAISE EXCEPTION 'login "%" may not register an issue due %, later than the deadline policy''s % for a % % issue found on %',
				login, r.due_on, policy, r.severity, r.list, r.found_on
				USING ERRCODE = 'IL013',
					  HINT = 'An editor may set a due day earlier than the policy''s, never a later one: a later one is an extension, with a reason, decided by a verifier.';
		ELSIF r.origin = 'concealed' THEN
			RAISE EXCEPTION 'login "%" may not register an issue as concealed', login
				USING ERRCODE = 'IL013',
					  HINT = 'The origin concealed is set by a verifier of a higher level, or an admin.';
		ELSIF r.origin = 'self' AND NOT own THEN
			RAISE EXCEPTION 'login "%" may not register an issue of % as self: it is not of that organization (%)',
				login, r.org, ranked_unit(r.org)
				USING ERRCODE = 'IL013',
					  HINT = 'self means the organization''s own inspection found it: its own editors register it so; a higher level registers external.';
		END IF;
	ELSIF acting_as = 'issuelist_verifier' AND own
		  AND (due_later OR r.origin <> 'external') THEN
		RAISE EXCEPTION 'login "%" may not register an issue of its own organization (%) %',
			login, ranked_unit(r.org),
			CASE WHEN due_later THEN format('due %s, later than the deadline policy''s %s', r.due_on, policy)
				 ELSE 'as ' || r.origin END
			USING ERRCODE = 'IL013',
				  HINT = 'A later due day or an origin other than external is chosen by a verifier of a higher level, or an admin.';
	END IF;
	PERFORM check_late(login, acting_as, r.found_on, late_reason,
					   format('found day %s', r.found_on));
	RETURN acting_as;
END $$;
COMMENT ON FUNCTION register_check(registration, name, text) IS
	'the role the login registers as, when it may register an issue with these values (and this late_reason); the errors of register_issue() otherwise';

-- The deadline of an issue found on a day: the policy, else the default.
CREATE OR REPLACE FUNCTION policy_due_on(list text, severity severity, found_on date)
	RETURNS date
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
BEGIN
	RETURN found_on + coalesce((SELECT p.days FROM deadline_policy p
								 WHERE p.list = policy_due_on.list
								   AND p.severity = policy_due_on.severity),
							   default_deadline_days(severity));
END $$;
COMMENT ON FUNCTION policy_due_on(text, severity, date) IS
	'the due day of an issue of a list and severity found on a day, from deadline_policy (or the defaults)';

-- The code of an issue: list prefix, year, number of at least 6 digits.
-- Not STRICT (greatest() is not), and only immutable casts (integer ||
-- text is stable), so that the planner inlines it: a SQL function it does
-- not inline is planned again in every transaction.  A NULL argument still
-- gives NULL.
CREATE OR REPLACE FUNCTION issue_code(prefix text, year integer, number bigint) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT prefix || '-' || year::text || '-'
		|| lpad(number::text, greatest(6, length(number::text)), '0');
END;
COMMENT ON FUNCTION issue_code(text, integer, bigint) IS
	'an issue code, as AUD-2021-000123: prefix, year, number of at least 6 digits';

-- The year whose numbers an issue found on a day takes.
CREATE OR REPLACE FUNCTION code_year(found_on date) RETURNS integer
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
CREATE OR REPLACE FUNCTION reserve_issue_numbers(list text, year integer, n bigint)
	RETURNS bigint
	LANGUAGE plpgsql AS $$
DECLARE
	first bigint;
BEGIN
	INSERT INTO issue_counter AS c (list, year, last_number)
		VALUES (reserve_issue_numbers.list, reserve_issue_numbers.year,
				reserve_issue_numbers.n)
		ON CONFLICT ON CONSTRAINT issue_counter_pkey
		DO UPDATE SET last_number = c.last_number + excluded.last_number
		RETURNING c.last_number - reserve_issue_numbers.n + 1 INTO first;
	RETURN first;
END $$;
COMMENT ON FUNCTION reserve_issue_numbers(text, integer, bigint) IS
	'reserve the next n (>= 1) code numbers of a list and year (issue_counter, locked until the transaction ends); returns the first';

-- The first of the codes that names no row of the table (NULL: every one
-- does), locking each row found FOR KEY SHARE, as a foreign key's check
-- locks the row a new row refers to: for register_numbered, which checks
-- an import chunk's references once per value rather than once per row.
CREATE OR REPLACE FUNCTION lock_referenced(tab regclass, codes text[]) RETURNS text
	LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	missing text;
BEGIN
	EXECUTE format('SELECT v.code
					  FROM (SELECT DISTINCT u.code FROM unnest($1) u(code) WHERE u.code IS NOT NULL) v
					  LEFT JOIN LATERAL (SELECT true AS found FROM %s t
										  WHERE t.code = v.code FOR KEY SHARE OF t) k ON true
					 WHERE k.found IS NULL
					 LIMIT 1', tab)
		INTO missing USING codes;
	RETURN missing;
END $$;
COMMENT ON FUNCTION lock_referenced(regclass, text[]) IS
	'the first of the codes that names no row of the table (NULL when each does), each row found locked FOR KEY SHARE as a foreign key''s check locks it';

-- Insert checked registrations under reserved numbers, in the order given:
-- their officials (by code or name; a name not known is added, first named
-- in the issue's organization), the issues and their first events, flagged
-- late when the found day is (register_check allowed it, with this
-- late_reason).  acting_as is each registration's role (register_check).
-- Returns the codes, in order.  One statement per table whatever the
-- number of rows, so an import registers a chunk as fast as one insert;
-- register_issue() passes one row.
-- Its statements run with generic plans: a custom plan, made anew for every
-- registration because the planner prices the generic plan of a join over
-- arrays of unknown length above one made for a single element, cost a
-- register_issue() a quarter of its time (pg_stat_statements'
-- track_planning); the generic plans join by index, which serves one row
-- and an import's chunk alike.
CREATE OR REPLACE FUNCTION register_numbered(regs registration[], numbers bigint[],
											 login name, acting_as name[],
											 late_reason text DEFAULT NULL)
	RETURNS text[]
	LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	-- each official name of an organization and the code it stands for
	-- (The text variables compare as the columns do: a PL/pgSQL variable
	-- takes the collation of the function's arguments, "C" when it is
	-- called with login names only, as an import calls it, and a join of
	-- issue.code with a "C" value cannot use the index on it, which made
	-- every chunk of an import read the whole issue table.)
	named text[] COLLATE "default" := '{}';
	named_org text[] COLLATE "default" := '{}';
	named_code text[] COLLATE "default" := '{}';
	o record;
	codes text[] COLLATE "default";
	replication_role text := current_setting('session_replication_role');
	unchecked boolean;
	missing text;
	one registration;
	new_issue issue;
	one_late boolean;
BEGIN
	-- The officials: a code, or a name unique among the organization's
	-- post holders (else among everybody); a name not known is added with a
	-- generated code (24_officials.sql).  Each name and organization once,
	-- in the order of its first row, which adds a new name's official when
	-- registering row by row would.
	FOR o IN SELECT u.official, u.org
			   FROM unnest(regs) WITH ORDINALITY
					AS u(list, org, severity, title, found_on, due_on, origin,
						 official, source, detail, ref, k)
			  WHERE u.official IS NOT NULL
			  GROUP BY u.official, u.org
			  ORDER BY min(u.k) LOOP
		named := named || o.official;
		named_org := named_org || o.org;
		named_code := named_code || find_official(o.official, o.org, true);
	END LOOP;
	-- The arrays are joined by their ordinality, never subscripted per row:
	-- in a query an array is a flat value, where reaching the k-th of
	-- variable-size elements walks the k-1 before it.
	codes := ARRAY(SELECT issue_code(l.prefix, code_year(u.found_on), n.number)
					 FROM unnest(regs) WITH ORDINALITY
						  AS u(list, org, severity, title, found_on, due_on, origin,
							   official, source, detail, ref, k)
					 JOIN unnest(numbers) WITH ORDINALITY AS n(number, k) ON n.k = u.k
					 JOIN list l ON l.code = u.list
					ORDER BY u.k);
	-- One row (register_issue, an import's row by row) is inserted by
	-- VALUES: the statements below, planned once for any number of rows
	-- (joins over the arrays, a sort), cost twice as much for one row as
	-- these.  The same values, the same order of the same checks.
	IF cardinality(regs) = 1 THEN
		one := regs[1];
		INSERT INTO issue (code, list, source, org, official, title, detail,
						   severity, origin, state, found_on, due_on, ref, last_event_on)
			VALUES (codes[1], one.list, one.source, one.org, named_code[1], one.title,
					one.detail, one.severity, one.origin, 'registered', one.found_on,
					coalesce(one.due_on, policy_due_on(one.list, one.severity, one.found_on)),
					one.ref, one.found_on)
			RETURNING * INTO new_issue;
		one_late := is_late(new_issue.found_on);
		INSERT INTO issue_event (issue, seq, org, on_date, actor, role, event,
								 to_state, note, state, due_on, reopen_count, late,
								 late_reason)
			VALUES (new_issue.id, 1, new_issue.org, new_issue.found_on, login, acting_as[1],
					'registered', 'registered', new_issue.source, new_issue.state,
					new_issue.due_on, 0, one_late,
					CASE WHEN one_late THEN nullif(btrim(register_numbered.late_reason), '') END);
		RETURN codes;
	END IF;
	-- Several rows (an import's chunk) are inserted without the foreign
	-- keys' row-by-row checks, a query per row and per key (a fifth of an
	-- import's time), and their references are checked below as those
	-- checks would, once per value: in replica mode, where the owner may
	-- set it, the ordinary triggers rest (on issue and issue_event these
	-- are only the foreign keys' checks and the announcement, which an
	-- import turns off), the ALWAYS ones (the hash chain) still run.  Not
	-- for one row: a change of the mode empties the plan cache, which a
	-- registration would pay more for than its checks.  Restored below; an
	-- error ends the (sub)transaction, and the setting with it.
	unchecked := cardinality(regs) > 1 AND replication_role <> 'replica'
				 AND (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user);
	IF unchecked THEN
		PERFORM set_config('session_replication_role', 'replica', true);
	END IF;
	-- The deadline policy once per list, severity and found day
	-- (materialized, so that a join does not compute it again).
	WITH policy AS MATERIALIZED (
		SELECT d.list, d.severity, d.found_on,
			   policy_due_on(d.list, d.severity, d.found_on) AS due_on
		  FROM (SELECT DISTINCT x.list, x.severity, x.found_on
				  FROM unnest(regs) x WHERE x.due_on IS NULL) d)
	INSERT INTO issue (code, list, source, org, official, title, detail,
					   severity, origin, state, found_on, due_on, ref, last_event_on)
		SELECT c.code, u.list, u.source, u.org, f.code, u.title, u.detail,
			   u.severity, u.origin, 'registered', u.found_on,
			   coalesce(u.due_on, p.due_on), u.ref, u.found_on
		  FROM unnest(regs) WITH ORDINALITY
			   AS u(list, org, severity, title, found_on, due_on, origin,
					official, source, detail, ref, k)
		  JOIN unnest(codes) WITH ORDINALITY AS c(code, k) ON c.k = u.k
		  LEFT JOIN unnest(named, named_org, named_code) AS f(official, org, code)
				 ON f.official = u.official AND f.org = u.org
		  LEFT JOIN policy p
				 ON u.due_on IS NULL AND p.list = u.list AND p.severity = u.severity
					AND p.found_on = u.found_on
		 ORDER BY u.k;
	-- Late once per found day.
	WITH found AS MATERIALIZED (
		SELECT d.found_on, is_late(d.found_on) AS late
		  FROM (SELECT DISTINCT x.found_on FROM unnest(regs) x) d)
	INSERT INTO issue_event (issue, seq, org, on_date, actor, role, event,
							 to_state, note, state, due_on, reopen_count, late,
							 late_reason)
		SELECT i.id, 1, i.org, i.found_on, login, c.acting_as, 'registered',
			   'registered', i.source, i.state, i.due_on, 0, d.late,
			   CASE WHEN d.late THEN nullif(btrim(register_numbered.late_reason), '') END
		  FROM unnest(codes, acting_as) WITH ORDINALITY AS c(code, acting_as, k)
		  JOIN issue i ON i.code = c.code
		  JOIN found d ON d.found_on = i.found_on
		 ORDER BY c.k;
	IF unchecked THEN
		PERFORM set_config('session_replication_role', replication_role, true);
		-- What the foreign keys' checks do, once per value: each list,
		-- organization and official the new issues name is locked FOR KEY
		-- SHARE (a concurrent DELETE waits for this transaction, then finds
		-- the issues), and one that is gone fails as the check would.  The
		-- events name the issues just inserted, which are never deleted.
		missing := coalesce(
			'list ' || quote_literal(lock_referenced('list', ARRAY(SELECT v.list FROM unnest(regs) v))),
			'organization ' || quote_literal(lock_referenced('org', ARRAY(SELECT v.org FROM unnest(regs) v))),
			'official ' || quote_literal(lock_referenced('official', named_code)));
		IF missing IS NOT NULL THEN
			RAISE EXCEPTION 'insert or update on table "issue" violates a foreign key: % is not there',
				missing
				USING ERRCODE = 'foreign_key_violation';
		END IF;
	END IF;
	RETURN codes;
END $$;
COMMENT ON FUNCTION register_numbered(registration[], bigint[], name, name[], text) IS
	'insert checked registrations (register_check) under reserved numbers (reserve_issue_numbers), in order: their officials, the issues and their first events (late when the found day is), each with its role; returns the codes';

CREATE OR REPLACE FUNCTION register_issue(list text, org text, severity severity, title text,
										  found_on date DEFAULT current_date,
										  due_on date DEFAULT NULL,
										  origin text DEFAULT 'external',
										  official text DEFAULT NULL,
										  source text DEFAULT NULL,
										  detail text DEFAULT NULL,
										  late_reason text DEFAULT NULL) RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	r registration := ROW(register_issue.list, register_issue.org,
						  register_issue.severity, register_issue.title,
						  register_issue.found_on, register_issue.due_on,
						  register_issue.origin, register_issue.official,
						  register_issue.source, register_issue.detail, NULL);
	acting_as name := register_check(r, login, register_issue.late_reason);
BEGIN
	RETURN (register_numbered(ARRAY[r],
							  ARRAY[reserve_issue_numbers(r.list, code_year(r.found_on), 1)],
							  login, ARRAY[acting_as], register_issue.late_reason))[1];
END $$;
COMMENT ON FUNCTION register_issue(text, text, severity, text, date, date, text, text, text, text, text) IS
	'register an issue (issuelist_editor or issuelist_verifier, in the login''s subtree): the due day defaults to deadline_policy; a later one, the origin concealed or self outside the own organization, and a found day older than late_entry_days (with late_reason) are a verifier''s choices; returns the new code, as AUD-2021-000123';

CREATE OR REPLACE FUNCTION advance(code text, to_state issue_state, note text DEFAULT NULL,
								   on_date date DEFAULT current_date,
								   late_reason text DEFAULT NULL) RETURNS issue_state
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	i issue;
	last issue_event;
	step record;
	acting_as name;
	from_state issue_state;
	late record;
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
	IF step.role = 'issuelist_verifier' THEN
		-- Reopening approves nothing: only the own organization is barred.
		PERFORM check_identity(i, login, acting_as, step.step,
							   advance.to_state <> 'reopened');
	END IF;
	last := last_event(i.id);
	PERFORM check_effective_day(i, last, advance.on_date);
	late := check_late(login, acting_as, advance.on_date, advance.late_reason,
					   format('effective day %s of issue %s', advance.on_date, i.code));
	IF advance.to_state = 'closed' THEN
		-- evidence attached since rectification began (35_daily_work.sql)
		PERFORM check_evidence(i, acting_as);
	END IF;

	from_state := i.state;
	i.state := advance.to_state;
	-- closed_on is the day the issue left the loop (closed or withdrawn);
	-- reopening puts it back in the loop.
	i.closed_on := CASE WHEN is_open(i.state) THEN NULL ELSE advance.on_date END;
	IF i.state = 'reopened' THEN
		i.reopen_count := i.reopen_count + 1;
	END IF;
	PERFORM record_event(i, last, advance.on_date, acting_as, 'transition',
						 from_state, i.state, advance.note, late.late,
						 late.reason, NULL, NULL, NULL);
	RETURN i.state;
END $$;
COMMENT ON FUNCTION advance(text, issue_state, text, date, text) IS
	'move an issue one step along the closed loop, effective on a day (default today; more than late_entry_days back: a verifier gives a late_reason, an admin backfills); returns the new state';

-- The issue, locked, for an extension or a tolerance: a verifier's step on
-- an open issue that approves something, so not on one of the verifier's
-- own organization, registration or rectification.
-- Fail (IL009) unless the issue is open: only an open issue is extended,
-- tolerated, or asked about.
CREATE OR REPLACE FUNCTION require_open(i issue) RETURNS void
	LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF NOT is_open(i.state) THEN
		RAISE EXCEPTION 'issue % is %: only an open issue can be extended or tolerated',
			i.code, i.state
			USING ERRCODE = 'IL009';
	END IF;
END $$;
COMMENT ON FUNCTION require_open(issue) IS
	'error IL009 unless the issue is open (only an open issue is extended or tolerated)';

-- Fail unless a new due day is given and later than the issue's (22023,
-- IL007): an extension, or a request for one.
CREATE OR REPLACE FUNCTION check_new_due(i issue, new_due date) RETURNS void
	LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF new_due IS NULL THEN
		RAISE EXCEPTION 'the new due day is required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF new_due <= i.due_on THEN
		RAISE EXCEPTION 'new due day % of issue % is not after its due day %',
			new_due, i.code, i.due_on
			USING ERRCODE = 'IL007';
	END IF;
END $$;
COMMENT ON FUNCTION check_new_due(issue, date) IS
	'error 22023 or IL007 unless the new due day is given and later than the issue''s due day';

CREATE OR REPLACE FUNCTION lock_open_issue(code text, login name, step text,
										   OUT i issue, OUT acting_as name)
	LANGUAGE plpgsql AS $$
BEGIN
	i := lock_issue(code, login);
	acting_as := require_role(login, '{issuelist_verifier}', step);
	PERFORM check_identity(i, login, acting_as, step, true);
	PERFORM require_open(i);
END $$;
COMMENT ON FUNCTION lock_open_issue(text, name, text) IS
	'the issue, locked, and the role acted as, for a verifier''s approving step on an open issue (IL003, 42501, IL012, IL009)';

CREATE OR REPLACE FUNCTION extend_deadline(code text, new_due date, reason text,
										   on_date date DEFAULT current_date,
										   late_reason text DEFAULT NULL) RETURNS date
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	locked record := lock_open_issue(extend_deadline.code, login, 'extend deadlines');
	i issue := locked.i;
	last issue_event := last_event(i.id);
	late record;
BEGIN
	PERFORM require_text(extend_deadline.reason, 'a reason');
	PERFORM check_new_due(i, extend_deadline.new_due);
	PERFORM check_effective_day(i, last, extend_deadline.on_date);
	late := check_late(login, locked.acting_as, extend_deadline.on_date,
					   extend_deadline.late_reason,
					   format('effective day %s of issue %s', extend_deadline.on_date, i.code));
	i.due_on := extend_deadline.new_due;
	PERFORM record_event(i, last, extend_deadline.on_date, locked.acting_as,
						 'extension', NULL, NULL, extend_deadline.reason,
						 late.late, late.reason, NULL, NULL, NULL);
	RETURN i.due_on;
END $$;
COMMENT ON FUNCTION extend_deadline(text, date, text, date, text) IS
	'move an open issue''s due day later, with a reason, effective on a day (issuelist_verifier, who approves it: never of the issue''s own organization, its registrar or rectifier); returns the new due day';

-- A verifier who records a tolerance approves it (docs/trust.md), so the
-- requester and the approver of a tolerance it records may be the same
-- login.  Four eyes are kept by identity instead: the approver is never of
-- the issue's own organization, nor its registrar or rectifier
-- (check_identity).

CREATE OR REPLACE FUNCTION tolerate(code text, reason text, approved_by text DEFAULT NULL,
									on_date date DEFAULT current_date,
									until date DEFAULT NULL,
									late_reason text DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	locked record := lock_open_issue(tolerate.code, login, 'record tolerance');
	i issue := locked.i;
	last issue_event := last_event(i.id);
	approver text := coalesce(btrim(tolerate.approved_by), login::text);
	late record;
BEGIN
	PERFORM require_text(tolerate.reason, 'a reason');
	IF approver = '' THEN
		RAISE EXCEPTION 'approved_by is blank'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Leave approved_by out (NULL) to record the caller as the approver.';
	ELSIF locked.acting_as <> 'issuelist_admin' AND approver <> login::text THEN
		RAISE EXCEPTION 'login "%" may not record tolerance of issue % approved by "%": a verifier approves the tolerance it records',
			login, i.code, approver
			USING ERRCODE = 'IL008',
				  HINT = format('Leave approved_by out, or give %s; an admin may record another''s approval.', login);
	END IF;
	PERFORM check_effective_day(i, last, tolerate.on_date);
	IF tolerate.until < tolerate.on_date THEN
		RAISE EXCEPTION 'tolerance until % ends before it starts (%)', tolerate.until, tolerate.on_date
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	late := check_late(login, locked.acting_as, tolerate.on_date, tolerate.late_reason,
					   format('effective day %s of issue %s', tolerate.on_date, i.code));
	INSERT INTO tolerance (issue, org, from_on, until_on, reason, requester, approved_by)
		VALUES (i.id, i.org, tolerate.on_date, tolerate.until, tolerate.reason,
				login, approver);
	-- Every tolerance so far began on or before this day, so the issue is
	-- tolerated on a later day T exactly when the latest end is >= T.
	i.tolerated_until := greatest(i.tolerated_until,
								  coalesce(tolerate.until, 'infinity'));
	PERFORM record_event(i, last, tolerate.on_date, locked.acting_as, 'tolerance',
						 NULL, NULL,
						 format('%s (approved by %s%s)', tolerate.reason, approver,
								', until ' || tolerate.until),
						 late.late, late.reason, NULL, NULL, NULL);
END $$;
COMMENT ON FUNCTION tolerate(text, text, text, date, date, text) IS
	'tolerate an open issue after review: exempt from the score from on_date through until (NULL: for ever); needs a reason; the verifier who records it approves it (approved_by NULL or its own login; an admin may name another approver)';

REVOKE ALL ON FUNCTION require_open(issue), check_new_due(issue, date),
	require_text(text, text), require_list(text),
	require_origin(text), lock_issue(text, name), last_event(bigint),
	check_effective_day(issue, issue_event, date), is_late(date),
	check_late(name, name, date, text, text), ranked_unit(text),
	member_of_unit(name, text),
	check_identity(issue, name, name, text, boolean),
	record_event(issue, issue_event, date, name, text, issue_state, issue_state, text, boolean, text, text, text, text),
	lock_open_issue(text, name, text),
	register_check(registration, name, text),
	reserve_issue_numbers(text, integer, bigint),
	lock_referenced(regclass, text[]),
	register_numbered(registration[], bigint[], name, name[], text),
	register_issue(text, text, severity, text, date, date, text, text, text, text, text),
	advance(text, issue_state, text, date, text),
	extend_deadline(text, date, text, date, text),
	tolerate(text, text, text, date, date, text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
	register_issue(text, text, severity, text, date, date, text, text, text, text, text),
	advance(text, issue_state, text, date, text),
	extend_deadline(text, date, text, date, text),
	tolerate(text, text, text, date, date, text)
	TO issuelist_admin, issuelist_editor, issuelist_verifier;
GRANT EXECUTE ON FUNCTION is_late(date), ranked_unit(text), member_of_unit(name, text)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
