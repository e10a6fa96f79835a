
-- ---------------------------------------------------------------------------
-- Tamper evidence (docs/trust.md).  Every event carries hash = SHA-256 of the
-- previous event's hash of the same issue and the event's canonical bytes
-- (a chain per issue, so writers of different issues never wait on each
-- other); the C side is extension/history_hash.c.  verify_history() finds
-- every broken link; a publication stores the digest of the chains as they
-- stood when it was made, and verify_quarter() checks that the history
-- still produces it.  The issue row is the snapshot after its last event,
-- and an UPDATE that does not follow the history is refused.
-- ---------------------------------------------------------------------------

COMMENT ON COLUMN issue_event.late IS
	'recorded more than late_entry_days after its effective day (an admin''s backfill, or a verifier''s step with a late_reason)';
COMMENT ON COLUMN issue_event.late_reason IS 'why a late step was recorded late (required of verifiers)';
COMMENT ON COLUMN issue_event.field IS 'a correction''s field (list, severity, org, origin, title, detail, found_on...)';
COMMENT ON COLUMN issue_event.old_value IS 'a correction''s value before, as text';
COMMENT ON COLUMN issue_event.new_value IS 'a correction''s value after, as text';
COMMENT ON COLUMN issue_event.hash IS
	'SHA-256 of the previous event''s hash and this event''s canonical bytes (event_canonical): the chain verify_history() checks';

-- Make a table append-only as the history is (25_history.sql): UPDATE,
-- DELETE and TRUNCATE fail for every role, the owner and superusers
-- included, and the triggers fire ALWAYS (replica mode does not skip them).
-- what names the rows in the triggers' comments.  The script uses it up to
-- 51_publication.sql, which drops it.
CREATE FUNCTION make_append_only(tab regclass, what text) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	name text := (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = tab);
BEGIN
	EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %s
					FOR EACH ROW EXECUTE FUNCTION refuse_history_change()', name || '_append_only', tab);
	EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %s
					FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()', name || '_no_truncate', tab);
	EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', tab, name || '_append_only');
	EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER %I', tab, name || '_no_truncate');
	EXECUTE format('COMMENT ON TRIGGER %I ON %s IS %L', name || '_append_only', tab,
				   what || ': never updated or deleted');
	EXECUTE format('COMMENT ON TRIGGER %I ON %s IS %L', name || '_no_truncate', tab,
				   what || ': never truncated');
END $$;

CREATE FUNCTION event_canonical(e issue_event) RETURNS bytea
	AS 'MODULE_PATHNAME', 'event_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION event_canonical(issue_event) IS
	'the bytes an event''s hash covers: every column but id and hash, by name, length and value, independent of any setting';

CREATE FUNCTION sha256_append(state bytea, data bytea) RETURNS bytea
	AS 'MODULE_PATHNAME', 'sha256_append' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sha256_append(bytea, bytea) IS
	'SHA-256 of state followed by data: one link of a hash chain';

-- The chain over ordered inputs: SHA-256(...SHA-256(SHA-256(d1) || d2)...).
-- Over an issue's canonical events in seq order it is the hash of its last
-- event.
CREATE AGGREGATE sha256_chain(bytea) (
	SFUNC = sha256_append,
	STYPE = bytea,
	INITCOND = ''
);
COMMENT ON AGGREGATE sha256_chain(bytea) IS
	'the hash chain over its inputs in the aggregate''s ORDER BY: sha256_chain(event_canonical(e) ORDER BY e.seq) is the hash of an issue''s last event';

CREATE FUNCTION issue_event_hash() RETURNS trigger
	AS 'MODULE_PATHNAME', 'issue_event_hash' LANGUAGE C;
COMMENT ON FUNCTION issue_event_hash() IS
	'trigger: an event inserted without a hash gets SHA-256(previous event''s hash || event_canonical(event))';

CREATE TRIGGER issue_event_chained BEFORE INSERT ON issue_event
	FOR EACH ROW EXECUTE FUNCTION issue_event_hash();
ALTER TABLE issue_event ENABLE ALWAYS TRIGGER issue_event_chained;
COMMENT ON TRIGGER issue_event_chained ON issue_event IS
	'every new event is chained to the one before it (hash)';

-- The issue row may change only to what its history says: its state, due
-- day, closed day, reopen count and tolerance to those of its last event,
-- and one descriptive column to the new value of the correction (or
-- assignment) that is its last event.  Its id and code never change.  Its
-- last_event_on is set here, never by the writer: the latest effective day
-- of its events (the workflow records each event after the one before, so
-- it is the last event's day; a value written is overwritten).
CREATE FUNCTION issue_follows_history() RETURNS trigger
	LANGUAGE plpgsql AS $$
DECLARE
	last issue_event;
	changed text[];
	-- NEW with the snapshot columns as they were: equal to OLD unless a
	-- column outside the snapshot changed (only a correction or an
	-- assignment changes one), and only then are the columns compared one
	-- by one, for the check and the message.
	others issue := NEW;
BEGIN
	SELECT * INTO last FROM issue_event e WHERE e.issue = OLD.id ORDER BY e.seq DESC LIMIT 1;
	others.state := OLD.state;
	others.due_on := OLD.due_on;
	others.closed_on := OLD.closed_on;
	others.reopen_count := OLD.reopen_count;
	others.tolerated_until := OLD.tolerated_until;
	others.last_event_on := OLD.last_event_on;
	NEW.last_event_on := greatest(OLD.last_event_on, last.on_date);
	IF others IS DISTINCT FROM OLD THEN
		SELECT array_agg(n.key ORDER BY n.key) INTO changed
		  FROM jsonb_each(to_jsonb(NEW)) n
		  JOIN jsonb_each(to_jsonb(OLD)) o USING (key)
		 WHERE n.value IS DISTINCT FROM o.value
		   AND n.key NOT IN ('state', 'due_on', 'closed_on', 'reopen_count', 'tolerated_until',
							 'last_event_on');
	END IF;
	IF (NEW.state, NEW.due_on, NEW.closed_on, NEW.reopen_count, NEW.tolerated_until)
		   IS DISTINCT FROM (last.state, last.due_on, last.closed_on, last.reopen_count,
							 last.tolerated_until)
	   OR (changed IS NOT NULL
		   AND NOT (cardinality(changed) = 1
					AND last.event IN ('correction', 'assignment')
					AND last.field = changed[1]
					AND last.new_value IS NOT DISTINCT FROM to_jsonb(NEW) ->> changed[1]))
	THEN
		RAISE EXCEPTION 'issue % is changed only through its history: % does not follow its last event (% %)',
			OLD.code, coalesce(array_to_string(changed, ', '), 'its state'), last.seq, last.event
			USING ERRCODE = 'IL010',
				  HINT = 'Record an event instead: advance, extend_deadline, tolerate, correct_issue.';
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION issue_follows_history() IS
	'trigger: an issue row changes only to what its last event says (SQLSTATE IL010 otherwise); it sets last_event_on';

CREATE TRIGGER issue_follows_history BEFORE UPDATE ON issue
	FOR EACH ROW EXECUTE FUNCTION issue_follows_history();
CREATE TRIGGER issue_never_deleted BEFORE DELETE ON issue
	FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER issue_no_truncate BEFORE TRUNCATE ON issue
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
ALTER TABLE issue ENABLE ALWAYS TRIGGER issue_follows_history;
ALTER TABLE issue ENABLE ALWAYS TRIGGER issue_never_deleted;
ALTER TABLE issue ENABLE ALWAYS TRIGGER issue_no_truncate;
COMMENT ON TRIGGER issue_follows_history ON issue IS
	'an issue changes only to what its history says: nobody, superuser included, updates it directly';
COMMENT ON TRIGGER issue_never_deleted ON issue IS 'issues are never deleted (withdraw them)';
COMMENT ON TRIGGER issue_no_truncate ON issue IS 'issues are never truncated';

-- The issues whose organization was corrected into a login's subtrees.
-- Row security gives editors and verifiers the events and tolerances of
-- their subtrees by the organization each was recorded for; an issue
-- corrected into a subtree brings its earlier history with it (so that its
-- history and issues_as_of of earlier days show it there).  It runs as the
-- owner: a policy cannot read its own table under itself.
CREATE INDEX issue_event_org_corrections ON issue_event (org) WHERE field = 'org';
CREATE FUNCTION issues_moved_into(login name) RETURNS bigint[]
	LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE AS $$
	SELECT coalesce(array_agg(DISTINCT e.issue), '{}')
	  FROM issue_event e
	 WHERE e.field = 'org' AND e.org = ANY (visible_orgs(login))
$$;
COMMENT ON FUNCTION issues_moved_into(name) IS
	'the issues whose organization a correction moved into the login''s subtrees: row security lets it read their earlier history';

CREATE FUNCTION history(code text)
	RETURNS TABLE (seq integer, day date, recorded_at timestamptz, actor name,
				   role name, event text, from_state issue_state,
				   to_state issue_state, due_on date, note text, late boolean,
				   late_reason text, field text, old_value text,
				   new_value text, hash text)
	LANGUAGE plpgsql STABLE ROWS 8 AS $$
DECLARE
	issue_id bigint := require_issue_id(code);
BEGIN
	RETURN QUERY
		SELECT e.seq, e.on_date, e.recorded_at, e.actor, e.role, e.event,
			   e.from_state, e.to_state, e.due_on, e.note, e.late,
			   e.late_reason, e.field, e.old_value, e.new_value,
			   encode(e.hash, 'hex')
		  FROM issue_event e
		 WHERE e.issue = issue_id
		 ORDER BY e.seq;
END $$;
COMMENT ON FUNCTION history(text) IS
	'an issue''s events in order: seq, effective day, wall-clock time, login, role acted as, event, states, due day after it, note, late and why, a correction''s field and values, and the event''s hash (hex)';

-- Every broken link of the history, of one issue or of all the caller may
-- see: a seq that does not follow the one before (an event missing or
-- added), a hash that the event and the hash before it do not produce (an
-- event changed, or one before it removed), an issue whose row disagrees
-- with its last event, an issue without history.
CREATE FUNCTION verify_history(code text DEFAULT NULL)
	RETURNS TABLE (issue text, seq integer, problem text)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	only_issue bigint := CASE WHEN verify_history.code IS NOT NULL
							  THEN require_issue_id(verify_history.code) END;
BEGIN
	RETURN QUERY
	WITH chain AS (
		SELECT e.*, event_canonical(e) AS canonical,
			   lag(e.seq) OVER w AS prev_seq,
			   lag(e.hash) OVER w AS prev_hash,
			   row_number() OVER (PARTITION BY e.issue ORDER BY e.seq DESC) AS from_last,
			   max(e.on_date) OVER (PARTITION BY e.issue) AS latest_on
		  FROM issue_event e
		 WHERE only_issue IS NULL OR e.issue = only_issue
		WINDOW w AS (PARTITION BY e.issue ORDER BY e.seq)
	)
	SELECT i.code, c.seq, p.problem
	  FROM chain c
	  JOIN issue i ON i.id = c.issue
	 CROSS JOIN LATERAL (VALUES
		   (CASE WHEN c.seq <> coalesce(c.prev_seq, 0) + 1 THEN
				format('seq %s follows seq %s: an event is missing, added or moved',
					   c.seq, coalesce(c.prev_seq, 0)) END),
		   (CASE WHEN c.hash IS DISTINCT FROM
					  sha256_append(coalesce(c.prev_hash, ''), c.canonical) THEN
				'the hash does not match the event and the one before it: this event was changed, or one before it removed' END),
		   (CASE WHEN c.from_last = 1
					  AND (i.state, i.due_on, i.closed_on, i.reopen_count, i.tolerated_until)
						  IS DISTINCT FROM (c.state, c.due_on, c.closed_on, c.reopen_count,
											c.tolerated_until) THEN
				format('the issue (%s, due %s) disagrees with its last event (%s, due %s)',
					   i.state, i.due_on, c.state, c.due_on) END),
		   (CASE WHEN c.from_last = 1 AND i.last_event_on IS DISTINCT FROM c.latest_on THEN
				format('the issue''s last_event_on (%s) is not its latest effective day (%s)',
					   i.last_event_on, c.latest_on) END)
	   ) p(problem)
	 WHERE p.problem IS NOT NULL
	UNION ALL
	SELECT i.code, NULL::integer, 'the issue has no history'
	  FROM issue i
	 WHERE (only_issue IS NULL OR i.id = only_issue)
	   AND NOT EXISTS (SELECT FROM issue_event e WHERE e.issue = i.id)
	 ORDER BY 1, 2;
END $$;
COMMENT ON FUNCTION verify_history(text) IS
	'one row per broken link of the history (the issue''s code, seq, what is wrong), of one issue or of every issue the caller may see; no rows when it is intact';

-- The digest of the history as recorded up to a moment: SHA-256 chained
-- over every issue (in id order) of its id and the hash its events recorded
-- by then produce (recomputed from the events, not read from their hash
-- column, so a changed event changes the digest).
CREATE FUNCTION history_digest(recorded_by timestamptz) RETURNS bytea
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT sha256_chain(int8send(h.issue) || h.head ORDER BY h.issue)
	  FROM (SELECT e.issue, sha256_chain(event_canonical(e) ORDER BY e.seq) AS head
			  FROM issue_event e
			 WHERE e.recorded_at <= recorded_by
			 GROUP BY e.issue) h
$$;
COMMENT ON FUNCTION history_digest(timestamptz) IS
	'SHA-256 chained over every issue''s id and the chain hash of its events recorded up to the moment: what a publication stores and verify_quarter checks';

-- The chain of the heads, issue by issue, for history_heads_digest: the
-- events come in (issue, seq) order, the order of the index on it, and
-- each issue's last hash is chained as
-- sha256_chain(int8send(issue) || hash ORDER BY issue) would chain it,
-- without sorting the heads (PostgreSQL 15 sorts an aggregate's ORDER BY
-- input itself, also when it comes sorted) and in a state of fixed size.
-- Events out of order are an error (history_hash.c).
CREATE FUNCTION sha256_heads_chain_step(state internal, issue bigint, seq integer, hash bytea)
	RETURNS internal
	AS 'MODULE_PATHNAME', 'sha256_heads_chain_step' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION sha256_heads_chain_step(internal, bigint, integer, bytea) IS
	'the step of the sha256_heads_chain aggregate';
CREATE FUNCTION sha256_heads_chain_final(state internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'sha256_heads_chain_final' LANGUAGE C PARALLEL SAFE;
COMMENT ON FUNCTION sha256_heads_chain_final(internal) IS
	'the result of the sha256_heads_chain aggregate';
CREATE AGGREGATE sha256_heads_chain(issue bigint, seq integer, hash bytea) (
	SFUNC = sha256_heads_chain_step,
	STYPE = internal,
	FINALFUNC = sha256_heads_chain_final
);
COMMENT ON AGGREGATE sha256_heads_chain(bigint, integer, bytea) IS
	'over events in (issue, seq) order: SHA-256 chained over every issue''s id and its last hash, as sha256_chain(int8send(issue) || hash ORDER BY issue) over the heads; an event out of order is an error';

-- The same digest of the whole history as it stands, from the chain heads
-- the trigger stored (each issue's last hash) instead of from every event:
-- one ordered pass over the (issue, seq) index, which carries the hashes
-- (21_tables.sql), no hashing of the events.  In C (history_hash.c): the
-- index walked as an index-only scan, each event chained by the
-- aggregate's step, where the aggregate over an index-only scan spent most
-- of its time running the two for every event; for a caller that row
-- security filters, that aggregate's query under its policies.
-- When no event was recorded after the moment and the chains are intact,
-- it equals history_digest(moment); freeze_quarter takes it while the
-- history holds still, and verify_quarter recomputes history_digest from
-- the events, so a chain broken before the publication shows there too.
CREATE FUNCTION history_heads_digest() RETURNS bytea
	AS 'MODULE_PATHNAME', 'history_heads_digest'
	LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION history_heads_digest() IS
	'the digest of the whole history from the hashes the chain stored (each issue''s last): history_digest of a moment after the last event, when the chains are intact; what freeze_quarter records';

REVOKE ALL ON FUNCTION event_canonical(issue_event), sha256_append(bytea, bytea), issues_moved_into(name),
	sha256_chain(bytea), history_digest(timestamptz),
	history_heads_digest(), sha256_heads_chain(bigint, integer, bytea)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION history(text), verify_history(text), issues_moved_into(name),
	event_canonical(issue_event), sha256_append(bytea, bytea), sha256_chain(bytea)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
