
-- ---------------------------------------------------------------------------
-- The daily work (docs/daily-work.md): editors ask for an extension or a
-- tolerance and a verifier who did not ask decides; rectification evidence
-- is attached to an issue; every login has an inbox; issues long overdue
-- are escalated up the hierarchy; daily() runs the escalation and
-- publishes quarters; every event is announced on issuelist_events.
--
-- Requests, evidence and escalations are events of the history (so the hash
-- chain covers them) that change nothing of the issue: their snapshot is
-- the issue as it stands, and they are recorded on the day they happen.
-- New objects only: the upgrade from 1.0 runs this fragment as it is.
-- ---------------------------------------------------------------------------

-- Announce every event on the channel issuelist_events, its id as the
-- payload (a listener reads the event through row security: history()).
-- NOTIFY is transactional: nothing is announced for a rolled-back call.
-- issuelist.announce = 'off' announces nothing: the sample generator, and
-- an import, which announces its last registration itself.  A row trigger
-- whose WHEN skips such a row before anything is queued: a statement
-- trigger with a transition table kept every event of the generator's and
-- an import's statements in a tuplestore, announced or not (a tenth of the
-- generator's time).
CREATE FUNCTION announce_event() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('issuelist_events', NEW.id::text);
	RETURN NULL;
END $$;
COMMENT ON FUNCTION announce_event() IS
	'trigger: NOTIFY issuelist_events with the id of the event inserted';

CREATE TRIGGER issue_event_announced AFTER INSERT ON issue_event
	FOR EACH ROW WHEN (current_setting('issuelist.announce', true) IS DISTINCT FROM 'off')
	EXECUTE FUNCTION announce_event();
COMMENT ON TRIGGER issue_event_announced ON issue_event IS
	'every event is announced on the channel issuelist_events (payload: the event''s id)';

-- An event that changes nothing of the issue (a request, a decision,
-- evidence, an escalation), recorded on a day as the login acts.
CREATE FUNCTION record_note_event(i issue, day date, acting_as name, event text,
								  note text, field text, old_value text,
								  new_value text) RETURNS integer
	LANGUAGE plpgsql AS $$
DECLARE
	last issue_event := last_event(i.id);
BEGIN
	PERFORM record_event(i, last, day, acting_as, event, NULL, NULL, note,
						 is_late(day), NULL, field, old_value, new_value);
	RETURN last.seq + 1;
END $$;
COMMENT ON FUNCTION record_note_event(issue, date, name, text, text, text, text, text) IS
	'append an event that changes nothing of the issue (request, decision, evidence, escalation); returns its seq';

-- ---------------------------------------------------------------------------
-- Requests
-- ---------------------------------------------------------------------------

CREATE TABLE request (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	issue bigint NOT NULL REFERENCES issue,
	org text NOT NULL,
	kind text NOT NULL CONSTRAINT request_kind_known CHECK (kind IN ('extension', 'tolerance')),
	new_due date,
	until date,
	reason text NOT NULL CHECK (btrim(reason) <> ''),
	requested_by name NOT NULL,
	requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	state text NOT NULL DEFAULT 'pending'
		CONSTRAINT request_state_known CHECK (state IN ('pending', 'approved', 'refused')),
	decided_by name,
	decided_at timestamptz,
	decision_note text,
	CONSTRAINT request_extension_has_due CHECK ((kind = 'extension') = (new_due IS NOT NULL)),
	CONSTRAINT request_decided_when_not_pending CHECK ((state = 'pending') = (decided_by IS NULL)),
	CONSTRAINT request_four_eyes CHECK (decided_by <> requested_by)
);
CREATE INDEX request_issue ON request (issue);
CREATE INDEX request_pending ON request (org) WHERE state = 'pending';
COMMENT ON TABLE request IS
	'editors'' requests for an extension or a tolerance, and their decision (request_extension, request_tolerance, decide)';
COMMENT ON COLUMN request.id IS 'the request''s number';
COMMENT ON COLUMN request.issue IS 'the issue (issue.id)';
COMMENT ON COLUMN request.org IS 'the issue''s organization (row security reads it)';
COMMENT ON COLUMN request.kind IS 'extension or tolerance';
COMMENT ON COLUMN request.new_due IS 'the due day asked for (an extension)';
COMMENT ON COLUMN request.until IS 'the last day the tolerance asked for holds; NULL: for ever';
COMMENT ON COLUMN request.reason IS 'why';
COMMENT ON COLUMN request.requested_by IS 'the login who asked';
COMMENT ON COLUMN request.requested_at IS 'when';
COMMENT ON COLUMN request.state IS 'pending, approved or refused';
COMMENT ON COLUMN request.decided_by IS 'the verifier who decided: never the requester';
COMMENT ON COLUMN request.decided_at IS 'when it was decided';
COMMENT ON COLUMN request.decision_note IS 'the decider''s note';

-- A request is decided once: only its state and the decision's columns
-- change, from pending; it is never deleted.
CREATE FUNCTION request_decided_once() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'UPDATE' OR OLD.state <> 'pending'
	   OR (NEW.id, NEW.issue, NEW.org, NEW.kind, NEW.new_due, NEW.until, NEW.reason,
		   NEW.requested_by, NEW.requested_at)
		  IS DISTINCT FROM
		  (OLD.id, OLD.issue, OLD.org, OLD.kind, OLD.new_due, OLD.until, OLD.reason,
		   OLD.requested_by, OLD.requested_at) THEN
		RAISE EXCEPTION 'request % is decided once and never changed otherwise: % is not allowed',
			OLD.id, TG_OP
			USING ERRCODE = 'IL010';
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION request_decided_once() IS
	'trigger: a request changes only once, from pending to its decision; never deleted (IL010)';
CREATE TRIGGER request_decided_once BEFORE UPDATE OR DELETE ON request
	FOR EACH ROW EXECUTE FUNCTION request_decided_once();
CREATE TRIGGER request_no_truncate BEFORE TRUNCATE ON request
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
ALTER TABLE request ENABLE ALWAYS TRIGGER request_decided_once;
ALTER TABLE request ENABLE ALWAYS TRIGGER request_no_truncate;
COMMENT ON TRIGGER request_decided_once ON request IS 'a request is decided once and never deleted';
COMMENT ON TRIGGER request_no_truncate ON request IS 'requests are never truncated';

-- The open issue a login asks about, locked, and the role it asks as.
CREATE FUNCTION lock_issue_to_ask(code text, login name, OUT i issue, OUT acting_as name)
	LANGUAGE plpgsql AS $$
BEGIN
	i := lock_issue(code, login);
	acting_as := require_role(login, '{issuelist_editor}', 'ask for extensions and tolerance');
	PERFORM require_open(i);
END $$;
COMMENT ON FUNCTION lock_issue_to_ask(text, name) IS
	'the open issue, locked, and the role a login asks as (IL003, 42501, IL009)';

-- Record a request and its event; returns its id.
CREATE FUNCTION ask(i issue, acting_as name, kind text, new_due date, until date,
					reason text) RETURNS bigint
	LANGUAGE plpgsql AS $$
DECLARE
	pending bigint;
	id bigint;
BEGIN
	PERFORM require_text(reason, 'a reason');
	SELECT r.id INTO pending FROM request r
	 WHERE r.issue = i.id AND r.kind = ask.kind AND r.state = 'pending';
	IF FOUND THEN
		RAISE EXCEPTION 'issue % has a pending % request (%)', i.code, kind, pending
			USING ERRCODE = 'IL014',
				  HINT = 'Wait for its decision (requests()).';
	END IF;
	INSERT INTO request (issue, org, kind, new_due, until, reason, requested_by)
		VALUES (i.id, i.org, kind, new_due, until, reason, acting_login())
		RETURNING request.id INTO id;
	PERFORM record_note_event(i, current_date, acting_as, 'request',
							  format('request %s: %s', id, reason), kind, NULL,
							  coalesce(new_due::text, until::text));
	RETURN id;
END $$;
COMMENT ON FUNCTION ask(issue, name, text, date, date, text) IS
	'record a request for an issue (one pending request of a kind at a time, IL014) and its history event; returns its id';

CREATE FUNCTION request_extension(code text, new_due date, reason text) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	asking record := lock_issue_to_ask(code, acting_login());
BEGIN
	PERFORM check_new_due(asking.i, new_due);
	RETURN ask(asking.i, asking.acting_as, 'extension', new_due, NULL, reason);
END $$;
COMMENT ON FUNCTION request_extension(text, date, text) IS
	'ask for a later due day of an open issue, with a reason (issuelist_editor); a verifier who did not ask decides (decide); returns the request''s id';

CREATE FUNCTION request_tolerance(code text, reason text, until date DEFAULT NULL) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	asking record := lock_issue_to_ask(code, acting_login());
BEGIN
	IF until < current_date THEN
		RAISE EXCEPTION 'tolerance until % ends before today (%)', until, current_date
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN ask(asking.i, asking.acting_as, 'tolerance', NULL, until, reason);
END $$;
COMMENT ON FUNCTION request_tolerance(text, text, date) IS
	'ask for tolerance of an open issue after review, until a day (NULL: for ever), with a reason (issuelist_editor); a verifier who did not ask decides; returns the request''s id';

-- A verifier who did not ask decides.  Approved, the request becomes the
-- extension or the tolerance, recorded by the verifier with the requester
-- named; refused, a decision event says why.
CREATE FUNCTION decide(request bigint, approve boolean, note text) RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	r request;
	i issue;
	acting_as name;
	last issue_event;
BEGIN
	SELECT * INTO r FROM request x WHERE x.id = decide.request FOR UPDATE;
	IF NOT FOUND OR NOT covers(login, r.org, '{issuelist_admin}') THEN
		RAISE EXCEPTION 'unknown request %', coalesce(decide.request::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'requests() lists the requests of the login''s subtrees.';
	END IF;
	acting_as := require_role(login, '{issuelist_verifier}', 'decide requests');
	IF approve IS NULL THEN
		RAISE EXCEPTION 'approve or refuse: approve is required'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM require_text(note, 'a note');
	IF r.state <> 'pending' THEN
		RAISE EXCEPTION 'request % is already % (by %)', r.id, r.state, r.decided_by
			USING ERRCODE = 'IL014';
	ELSIF r.requested_by = login THEN
		RAISE EXCEPTION 'login "%" may not decide its own request %', login, r.id
			USING ERRCODE = 'IL012',
				  HINT = 'A verifier who did not ask decides.';
	END IF;
	i := lock_issue((SELECT x.code FROM issue x WHERE x.id = r.issue), login);
	PERFORM check_identity(i, login, acting_as, 'decide requests', true);
	IF approve AND r.kind = 'extension' THEN
		PERFORM extend_deadline(i.code, r.new_due,
								format('%s (requested by %s, request %s; %s)', r.reason,
									   r.requested_by, r.id, note));
	ELSIF approve THEN
		PERFORM require_open(i);
		last := last_event(i.id);
		PERFORM check_effective_day(i, last, current_date);
		INSERT INTO tolerance (issue, org, from_on, until_on, reason, requester, approved_by)
			VALUES (i.id, i.org, current_date, r.until, r.reason, r.requested_by, login);
		i.tolerated_until := greatest(i.tolerated_until, coalesce(r.until, 'infinity'));
		PERFORM record_event(i, last, current_date, acting_as, 'tolerance', NULL, NULL,
							 format('%s (requested by %s, request %s; approved by %s%s: %s)',
									r.reason, r.requested_by, r.id, login,
									', until ' || r.until, note),
							 false, NULL, NULL, NULL, NULL);
	ELSE
		PERFORM record_note_event(i, current_date, acting_as, 'decision',
								  format('request %s refused: %s', r.id, note), r.kind,
								  NULL, 'refused');
	END IF;
	UPDATE request x
	   SET state = CASE WHEN approve THEN 'approved' ELSE 'refused' END,
		   decided_by = login, decided_at = clock_timestamp(), decision_note = note
	 WHERE x.id = r.id;
	RETURN CASE WHEN approve THEN 'approved' ELSE 'refused' END;
END $$;
COMMENT ON FUNCTION decide(bigint, boolean, text) IS
	'approve or refuse a pending request, with a note (issuelist_verifier who did not ask, never of the issue''s own organization): approved, it becomes the extension or the tolerance with the requester and the approver recorded; returns approved or refused';

-- The rows of requests() (a PL/pgSQL function cannot have an argument and
-- a column both named state).
CREATE FUNCTION request_rows(wanted_state text)
	RETURNS TABLE (id bigint, code text, org text, kind text, new_due date,
				   until date, reason text, requested_by name,
				   requested_at timestamptz, state text, decided_by name,
				   decided_at timestamptz, note text)
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF wanted_state IS NOT NULL AND wanted_state NOT IN ('pending', 'approved', 'refused') THEN
		RAISE EXCEPTION 'unknown request state "%"', wanted_state
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The states are pending, approved and refused (NULL: every request).';
	END IF;
	RETURN QUERY
		SELECT r.id, i.code, r.org, r.kind, r.new_due, r.until, r.reason,
			   r.requested_by, r.requested_at, r.state, r.decided_by,
			   r.decided_at, r.decision_note
		  FROM request r JOIN issue i ON i.id = r.issue
		 WHERE wanted_state IS NULL OR r.state = wanted_state
		 ORDER BY r.requested_at, r.id;
END $$;
COMMENT ON FUNCTION request_rows(text) IS 'the rows of requests() (which see)';

CREATE FUNCTION requests(state text DEFAULT 'pending')
	RETURNS TABLE (id bigint, code text, org text, kind text, new_due date,
				   until date, reason text, requested_by name,
				   requested_at timestamptz, state text, decided_by name,
				   decided_at timestamptz, note text)
	LANGUAGE sql STABLE AS $$
	SELECT * FROM request_rows($1)
$$;
COMMENT ON FUNCTION requests(text) IS
	'the requests of the caller''s subtrees in a state (pending by default; NULL: all), oldest first';

-- ---------------------------------------------------------------------------
-- Evidence
-- ---------------------------------------------------------------------------

CREATE TABLE evidence (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	issue bigint NOT NULL REFERENCES issue,
	org text NOT NULL,
	seq integer NOT NULL,
	file_name text NOT NULL CHECK (btrim(file_name) <> ''),
	media_type text NOT NULL,
	bytes bigint NOT NULL CHECK (bytes >= 0),
	sha256 bytea NOT NULL,
	content bytea NOT NULL,
	note text,
	attached_by name NOT NULL,
	attached_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	FOREIGN KEY (issue, seq) REFERENCES issue_event (issue, seq),
	CONSTRAINT evidence_digest CHECK (sha256 = pg_catalog.sha256(content) AND bytes = length(content))
);
CREATE INDEX evidence_issue ON evidence (issue);
COMMENT ON TABLE evidence IS
	'rectification documents and photos attached to issues (attach), append-only; each is an event of the history, whose hash chain covers its SHA-256';
COMMENT ON COLUMN evidence.id IS 'the evidence''s number';
COMMENT ON COLUMN evidence.issue IS 'the issue (issue.id)';
COMMENT ON COLUMN evidence.org IS 'the issue''s organization (row security reads it)';
COMMENT ON COLUMN evidence.seq IS 'its event in the issue''s history (issue_event.seq), whose new_value is the SHA-256';
COMMENT ON COLUMN evidence.file_name IS 'the file''s name';
COMMENT ON COLUMN evidence.media_type IS 'its media type, as image/jpeg or application/pdf';
COMMENT ON COLUMN evidence.bytes IS 'its size in bytes';
COMMENT ON COLUMN evidence.sha256 IS 'SHA-256 of its content';
COMMENT ON COLUMN evidence.content IS 'the file''s content';
COMMENT ON COLUMN evidence.note IS 'what it shows';
COMMENT ON COLUMN evidence.attached_by IS 'the login who attached it';
COMMENT ON COLUMN evidence.attached_at IS 'when';
SELECT make_append_only('evidence', 'evidence');

CREATE FUNCTION attach(code text, file_name text, media_type text, content bytea,
					   note text DEFAULT NULL) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	i issue := lock_issue(code, login);
	acting_as name := require_role(login, '{issuelist_editor,issuelist_verifier}', 'attach evidence');
	max_bytes bigint := setting_value('evidence_max_bytes')::bigint;
	digest bytea;
	seq integer;
	id bigint;
BEGIN
	PERFORM require_text(file_name, 'a file name');
	IF media_type IS NULL OR media_type !~ '^[a-z]+/[A-Za-z0-9][A-Za-z0-9.+_-]*$' THEN
		RAISE EXCEPTION 'invalid media type "%"', coalesce(media_type, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'A media type is type/subtype, as image/jpeg or application/pdf.';
	ELSIF content IS NULL THEN
		RAISE EXCEPTION 'the content is required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF length(content) > max_bytes THEN
		RAISE EXCEPTION 'evidence "%" is % bytes, more than evidence_max_bytes (%)',
			file_name, length(content), max_bytes
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'An admin sets the limit: UPDATE issuelist.setting SET value = ... WHERE name = ''evidence_max_bytes''.';
	END IF;
	digest := pg_catalog.sha256(content);
	seq := record_note_event(i, current_date, acting_as, 'evidence',
							 file_name || coalesce(': ' || note, ''), 'evidence', NULL,
							 encode(digest, 'hex'));
	INSERT INTO evidence (issue, org, seq, file_name, media_type, bytes, sha256, content,
						  note, attached_by)
		VALUES (i.id, i.org, seq, file_name, media_type, length(content), digest, content,
				note, login)
		RETURNING evidence.id INTO id;
	RETURN id;
END $$;
COMMENT ON FUNCTION attach(text, text, text, bytea, text) IS
	'attach a rectification document or photo to an issue (issuelist_editor or issuelist_verifier, in the login''s subtree), at most evidence_max_bytes: an evidence event of the history carries its SHA-256; returns the evidence''s id';

CREATE FUNCTION evidence(code text)
	RETURNS TABLE (id bigint, file_name text, media_type text, bytes bigint,
				   sha256 text, attached_on date, attached_by name, note text)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	issue_id bigint := require_issue_id(code);
BEGIN
	RETURN QUERY
		SELECT v.id, v.file_name, v.media_type, v.bytes, encode(v.sha256, 'hex'),
			   e.on_date, v.attached_by, v.note
		  FROM evidence v
		  JOIN issue_event e ON e.issue = v.issue AND e.seq = v.seq
		 WHERE v.issue = issue_id
		 ORDER BY v.id;
END $$;
COMMENT ON FUNCTION evidence(text) IS
	'the evidence attached to an issue: id, file name, media type, bytes, SHA-256 (hex), the day attached, by whom, note';

CREATE FUNCTION evidence_content(id bigint) RETURNS bytea
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	c bytea;
BEGIN
	SELECT v.content INTO c FROM evidence v WHERE v.id = evidence_content.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown evidence %', coalesce(id::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'evidence(code) lists an issue''s evidence.';
	END IF;
	RETURN c;
END $$;
COMMENT ON FUNCTION evidence_content(bigint) IS
	'the content of a piece of evidence the caller may see; error 22023 for an unknown one';

-- Closing an issue of a severity in evidence_required needs evidence
-- attached after the latest transition into rectifying (admins, who
-- backfill, are exempt).
CREATE FUNCTION check_evidence(i issue, acting_as name) RETURNS void
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF acting_as = 'issuelist_admin'
	   OR NOT (i.severity::text = ANY (regexp_split_to_array(
				   regexp_replace(setting_value('evidence_required'), '\s', '', 'g'), ','))) THEN
		RETURN;
	END IF;
	IF NOT EXISTS (
		SELECT FROM issue_event e
		 WHERE e.issue = i.id AND e.event = 'evidence'
		   AND e.seq > coalesce((SELECT max(r.seq) FROM issue_event r
								  WHERE r.issue = i.id AND r.to_state = 'rectifying'), 0)) THEN
		RAISE EXCEPTION 'issue % is %: closing it needs evidence attached after its rectification began',
			i.code, i.severity
			USING ERRCODE = 'IL015',
				  HINT = 'Attach the rectification evidence (attach), then close; evidence_required lists the severities.';
	END IF;
END $$;
COMMENT ON FUNCTION check_evidence(issue, name) IS
	'error IL015 when an issue of a severity in evidence_required has no evidence attached since its latest transition into rectifying (admins exempt)';

-- ---------------------------------------------------------------------------
-- Escalation, the inbox, the daily job
-- ---------------------------------------------------------------------------

-- The organization an issue is escalated to at a level: its ancestor that
-- many levels up, at most the top; NULL for the top's own issues (the
-- admins take them).
CREATE FUNCTION escalation_target(org text, level integer) RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT a.code
	  FROM org o
	  JOIN org a ON a.path = subpath(o.path, 0, greatest(nlevel(o.path) - escalation_target.level, 1))
	 WHERE o.code = escalation_target.org AND nlevel(o.path) > 1
$$;
COMMENT ON FUNCTION escalation_target(text, integer) IS
	'the organization an issue of org goes to at escalation level n: its n-th ancestor, at most the top; NULL for the top''s own issues';

CREATE FUNCTION escalate(on_date date DEFAULT current_date) RETURNS integer
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
	acting_as name := require_role(acting_login(), '{}', 'escalate overdue issues');
	x record;
	i issue;
	n integer := 0;
BEGIN
	IF on_date IS NULL OR on_date > current_date THEN
		RAISE EXCEPTION 'escalation day % is not today or before', coalesce(on_date::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- Every level each open issue overdue on that day has reached and not
	-- yet been escalated to; an issue whose history goes past the day is
	-- left to a later run.  The first threshold is tested on the issue row
	-- alone, so that only issues overdue by a month have their history
	-- probed (the partial index issue_event_escalations answers whether a
	-- level was reached before).  closed_on IS NULL says again what
	-- is_open says (the check issue_closed_on_iff_closed), so that the open
	-- issues are found by the index on closed_on, not by reading every one.
	FOR x IN
		SELECT s.id, l.level
		  FROM issue s
		 CROSS JOIN generate_series(1, 3) l(level)
		 WHERE is_open(s.state) AND s.closed_on IS NULL AND on_date - s.due_on > 30
		   AND on_date - s.due_on > 30 * l.level
		   AND (SELECT max(e.on_date) FROM issue_event e WHERE e.issue = s.id) <= on_date
		   AND NOT EXISTS (SELECT FROM issue_event e WHERE e.issue = s.id
						   AND e.event = 'escalation' AND e.old_value = l.level::text)
		 ORDER BY s.id, l.level
	LOOP
		SELECT * INTO i FROM issue WHERE id = x.id FOR UPDATE;
		PERFORM record_note_event(i, on_date, acting_as, 'escalation',
			format('overdue %s days: escalated to %s', on_date - i.due_on,
				   coalesce(escalation_target(i.org, x.level), 'the admins')),
			'escalation', x.level::text, escalation_target(i.org, x.level));
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;
COMMENT ON FUNCTION escalate(date) IS
	'escalate every open issue overdue by more than 30, 60 and 90 days on a day one level up at each threshold, once each, as history events (issuelist_admin); returns how many escalations were recorded';

-- What waits for the calling login, oldest first: for an editor, issues
-- assigned, refused, reopened and due within 15 days; for a verifier, issues
-- awaiting its acceptance, requests it may decide, and issues escalated to
-- its organizations; admins see what was escalated to the top.
--
-- A clerk opens the inbox many times a day, so it reads only what can be
-- waiting: the last step of an issue in a waiting state is one step down
-- the (issue, seq) index (issue_last_step), and escalations come from
-- their partial index.  (It read the last step of every issue of the
-- history, a sort of every event, on each call: seconds at a million
-- issues.)  Every issue that can wait is open, and each part says so
-- again as closed_on IS NULL (the check issue_closed_on_iff_closed), so
-- that the open issues, one in seventeen at a million, are found by the
-- index on closed_on rather than by reading every issue (0.65 s -> 0.3 s
-- for a superuser, 0.2 s -> 0.06 s for a county's clerk).
CREATE INDEX issue_event_escalations ON issue_event (issue, old_value)
	WHERE event = 'escalation';
COMMENT ON INDEX issue_event_escalations IS
	'the escalations: which levels an issue reached (escalate), what was escalated to whom (inbox)';

-- The last step of an issue's loop (its last event that changed the
-- state): the day, and from which state to which.
CREATE FUNCTION issue_last_step(issue bigint,
		OUT on_date date, OUT from_state issue_state, OUT to_state issue_state)
	RETURNS SETOF record
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
-- A body the planner inlines into the caller's LATERAL join: a probe of the
-- (issue, seq) index from the end, under the caller's row security.
BEGIN ATOMIC
	SELECT e.on_date, e.from_state, e.to_state
	  FROM issue_event e
	 WHERE e.issue = issue_last_step.issue AND e.to_state IS NOT NULL
	 ORDER BY e.seq DESC
	 LIMIT 1;
END;
COMMENT ON FUNCTION issue_last_step(bigint) IS
	'the last step of an issue''s loop (its last event that changed the state): the day, from which state, to which; no row for an issue the caller''s row security hides';

CREATE FUNCTION inbox()
	RETURNS TABLE (since date, kind text, code text, org text, title text, detail text)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	login name := acting_login();
	editor boolean := pg_has_role(login, 'issuelist_editor', 'USAGE');
	verifier boolean := pg_has_role(login, 'issuelist_verifier', 'USAGE');
	admin boolean := pg_has_role(login, 'issuelist_admin', 'USAGE');
	mine text[] := visible_orgs(login);
BEGIN
	RETURN QUERY
	SELECT w.since, w.kind, w.code, w.org, w.title, w.detail
	  FROM (
		SELECT s.on_date AS since,
			   CASE WHEN i.state = 'assigned' THEN 'assigned'
					WHEN i.state = 'reopened' THEN 'reopened'
					ELSE 'refused' END AS kind,
			   i.code, i.org, i.title, s.from_state || ' -> ' || s.to_state AS detail
		  FROM issue i CROSS JOIN LATERAL issue_last_step(i.id) s
		 WHERE editor AND i.state IN ('assigned', 'reopened', 'rectifying') AND i.closed_on IS NULL
		   AND (i.state <> 'rectifying' OR s.from_state = 'rectified')
		UNION ALL
		SELECT i.due_on - 15, 'due soon', i.code, i.org, i.title,
			   'due ' || i.due_on
		  FROM issue i
		 WHERE editor AND is_open(i.state) AND i.closed_on IS NULL
		   AND i.due_on BETWEEN current_date AND current_date + 15
		UNION ALL
		SELECT s.on_date, 'awaiting acceptance', i.code, i.org, i.title,
			   'rectified on ' || s.on_date
		  FROM issue i CROSS JOIN LATERAL issue_last_step(i.id) s
		 WHERE (verifier OR admin) AND i.state = 'rectified' AND i.closed_on IS NULL
		   AND (admin OR NOT member_of_unit(login, i.org))
		UNION ALL
		SELECT r.requested_at::date, r.kind || ' request', i.code, r.org, i.title,
			   format('request %s by %s: %s', r.id, r.requested_by, r.reason)
		  FROM request r JOIN issue i ON i.id = r.issue
		 WHERE (verifier OR admin) AND r.state = 'pending' AND r.requested_by <> login
		   AND (admin OR NOT member_of_unit(login, r.org))
		UNION ALL
		SELECT e.on_date, 'escalated', i.code, i.org, i.title, e.note
		  FROM issue_event e JOIN issue i ON i.id = e.issue
		 WHERE e.event = 'escalation' AND is_open(i.state)
		   AND ((verifier AND e.new_value = ANY (mine)) OR (admin AND e.new_value IS NULL))
	  ) w
	 ORDER BY w.since, w.code, w.kind;
END $$;
COMMENT ON FUNCTION inbox() IS
	'what waits for the calling login, oldest first: issues assigned, refused, reopened and due within 15 days (editors); issues awaiting acceptance, requests to decide and escalations to its organizations (verifiers; the top''s escalations go to admins)';

-- The daily job: escalation, and the publication of every quarter whose
-- last day is freeze_after_days or more before the day.  Scheduled by
-- pg_cron (docs/operations.md) or run by hand; a second run on a day
-- changes nothing.
CREATE FUNCTION daily(on_date date DEFAULT current_date)
	RETURNS TABLE (escalated integer, published quarter[])
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
	after_days integer := setting_value('freeze_after_days')::integer;
	q quarter;
	done quarter[] := '{}';
BEGIN
	PERFORM require_role(acting_login(), '{}', 'run the daily job');
	IF on_date IS NULL OR on_date > current_date THEN
		RAISE EXCEPTION 'daily job day % is not today or before', coalesce(on_date::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	escalated := escalate(on_date);
	FOR q IN
		SELECT x FROM quarters((SELECT quarter(min(i.found_on)) FROM issue i),
							   quarter(on_date) - 1) x
		 WHERE upper(x) + after_days <= on_date AND upper(x) < current_date
		   AND frozen_revision(x) IS NULL
		 ORDER BY x
	LOOP
		PERFORM freeze_quarter(q);
		done := done || q;
	END LOOP;
	published := done;
	RETURN NEXT;
END $$;
COMMENT ON FUNCTION daily(date) IS
	'the daily job (issuelist_admin; pg_cron runs it): escalate(on_date), and publish every quarter not yet published whose last day is freeze_after_days or more before on_date; returns what it did';

-- ---------------------------------------------------------------------------
-- Privileges and row security
-- ---------------------------------------------------------------------------

ALTER TABLE request ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_read_all ON request FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY request_read_subtree ON request FOR SELECT
	TO issuelist_editor, issuelist_verifier
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
CREATE POLICY evidence_read_all ON evidence FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY evidence_read_subtree ON evidence FOR SELECT
	TO issuelist_editor, issuelist_verifier
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY request_read_all ON request IS 'admins and auditors read every request';
COMMENT ON POLICY request_read_subtree ON request IS 'editors and verifiers read the requests of their subtrees';
COMMENT ON POLICY evidence_read_all ON evidence IS 'admins and auditors read all evidence';
COMMENT ON POLICY evidence_read_subtree ON evidence IS 'editors and verifiers read the evidence of their subtrees';

GRANT SELECT ON request, evidence
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
SELECT pg_catalog.pg_extension_config_dump('request', '');
SELECT pg_catalog.pg_extension_config_dump('evidence', '');
SELECT pg_catalog.pg_extension_config_dump('request_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('evidence_id_seq', '');

REVOKE ALL ON FUNCTION announce_event(),
	record_note_event(issue, date, name, text, text, text, text, text),
	lock_issue_to_ask(text, name), ask(issue, name, text, date, date, text),
	request_extension(text, date, text), request_tolerance(text, text, date),
	decide(bigint, boolean, text), request_rows(text), requests(text),
	attach(text, text, text, bytea, text), evidence(text), evidence_content(bigint),
	check_evidence(issue, name), escalation_target(text, integer), escalate(date),
	issue_last_step(bigint), inbox(), daily(date)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION request_extension(text, date, text), request_tolerance(text, text, date)
	TO issuelist_admin, issuelist_editor;
GRANT EXECUTE ON FUNCTION decide(bigint, boolean, text)
	TO issuelist_admin, issuelist_verifier;
GRANT EXECUTE ON FUNCTION attach(text, text, text, bytea, text)
	TO issuelist_admin, issuelist_editor, issuelist_verifier;
GRANT EXECUTE ON FUNCTION request_rows(text), requests(text), evidence(text), evidence_content(bigint), inbox(),
	issue_last_step(bigint), escalation_target(text, integer)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
GRANT EXECUTE ON FUNCTION escalate(date), daily(date) TO issuelist_admin;
