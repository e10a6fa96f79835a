
-- ---------------------------------------------------------------------------
-- The closed loop: tables.  docs/data-model.md describes each one.
--
-- Every table holds data the user cannot lose, so every one is registered
-- with pg_extension_config_dump (at the end of this file): pg_dump dumps
-- their rows although the tables themselves belong to the extension.
-- ---------------------------------------------------------------------------

-- The level of an organization in the hierarchy, 1 (province) to 4
-- (township); NULL for anything else.
CREATE FUNCTION org_level_rank(level text) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE level WHEN 'province' THEN 1 WHEN 'city' THEN 2
		   WHEN 'county' THEN 3 WHEN 'township' THEN 4 END;
END;
COMMENT ON FUNCTION org_level_rank(text) IS
	'1 province, 2 city, 3 county, 4 township; NULL for an unknown level';

CREATE TABLE org (
	code text PRIMARY KEY
		CONSTRAINT org_code_is_a_label CHECK (code ~ '^[A-Za-z0-9_]{1,64}$'),
	name text NOT NULL CHECK (btrim(name) <> ''),
	name_zh text,
	-- Not a foreign key: pg_dump warns about every table that references
	-- itself.  add_org() checks the parent, and nobody may delete an
	-- organization (no DELETE privilege; issues refer to it).
	parent text,
	level text NOT NULL
		CONSTRAINT org_level_known CHECK (org_level_rank(level) IS NOT NULL),
	kind text,
	path ltree NOT NULL UNIQUE
);
CREATE INDEX org_path ON org USING gist (path);
CREATE INDEX org_parent ON org (parent);
COMMENT ON TABLE org IS
	'the organizations, a hierarchy province > city > county > township; add with add_org()';
COMMENT ON COLUMN org.code IS
	'the organization''s code (GB/T 2260 for the sample province): letters, digits, underscore';
COMMENT ON COLUMN org.name IS 'name';
COMMENT ON COLUMN org.name_zh IS 'Chinese name';
COMMENT ON COLUMN org.parent IS 'the organization above (NULL at the top)';
COMMENT ON COLUMN org.level IS 'province, city, county or township';
COMMENT ON COLUMN org.kind IS
	'what the organization is within its level (district, county, county-level city...); free text';
COMMENT ON COLUMN org.path IS
	'codes from the top down (ltree), maintained by add_org(): subtree queries and row security use it';

-- The lists.  At most 16: position is 1 to 16 and unique.  The unique
-- position is checked at commit, so a restore may swap two built-in lists.
CREATE TABLE list (
	code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
	position smallint NOT NULL
		CONSTRAINT list_at_most_16 CHECK (position BETWEEN 1 AND 16),
	name text NOT NULL CHECK (btrim(name) <> ''),
	name_zh text,
	scope text,
	prefix text NOT NULL UNIQUE
		CONSTRAINT list_prefix_letters CHECK (prefix ~ '^[A-Z][A-Z0-9]{1,7}$'),
	builtin boolean NOT NULL DEFAULT false,
	CONSTRAINT list_position_key UNIQUE (position) DEFERRABLE INITIALLY DEFERRED
);
COMMENT ON TABLE list IS
	'the issue lists (at most 16), seeded with the seven lists; configuration kept by pg_dump';
COMMENT ON COLUMN list.code IS 'the list''s code: lower-case letters, digits, underscore';
COMMENT ON COLUMN list.position IS 'order in reports, 1 to 16 (hence at most 16 lists)';
COMMENT ON COLUMN list.name IS 'name';
COMMENT ON COLUMN list.name_zh IS 'Chinese name';
COMMENT ON COLUMN list.scope IS 'what the list holds';
COMMENT ON COLUMN list.prefix IS
	'prefix of its issues'' codes (AUD in AUD-2021-000123): 2 to 8 capitals and digits';
COMMENT ON COLUMN list.builtin IS
	'shipped with the extension; a row inserted with the same code replaces it (this is how a restore brings back edited built-in rows)';

-- A restore (pg_dump keeps every row of a configuration table) inserts rows
-- that CREATE EXTENSION has already seeded.  Such an insert replaces the
-- built-in row instead of failing, so edits to built-in rows survive.
-- TG_ARGV names the key columns.
CREATE FUNCTION replace_builtin_row() RETURNS trigger
	LANGUAGE plpgsql AS $$
DECLARE
	key_match text;
	assignments text;
	replaced bigint;
BEGIN
	SELECT string_agg(format('%I = ($1).%I', k, k), ' AND ')
	  INTO key_match FROM unnest(TG_ARGV) k;
	SELECT string_agg(format('%I = ($1).%I', a.attname, a.attname), ', ')
	  INTO assignments
	  FROM pg_catalog.pg_attribute a
	 WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
	   AND a.attname <> 'builtin';
	EXECUTE format('UPDATE %I.%I SET %s WHERE builtin AND %s',
				   TG_TABLE_SCHEMA, TG_TABLE_NAME, assignments, key_match)
		USING NEW;
	GET DIAGNOSTICS replaced = ROW_COUNT;
	IF replaced > 0 THEN
		RETURN NULL;
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION replace_builtin_row() IS
	'trigger: an insert whose key (the trigger''s arguments) matches a built-in row updates that row instead';

CREATE TRIGGER list_replace_builtin BEFORE INSERT ON list
	FOR EACH ROW EXECUTE FUNCTION replace_builtin_row('code');
COMMENT ON TRIGGER list_replace_builtin ON list IS
	'a row with the code of a built-in list replaces it (restore of edited built-in rows)';

-- The seven lists, from data/seven-lists.csv (the reference data of the
-- provincial "seven lists of issues"), with our code prefixes.
INSERT INTO list (position, code, name, name_zh, scope, prefix, builtin) VALUES
	(1, 'inspection', 'Inspection tours', '巡视巡察',
	 'Problems fed back by central inspection tours and provincial, city and county inspections', 'INS', true),
	(2, 'supervision', 'Supervision', '督查',
	 'Problems found by State Council major supervision and Party and government supervision', 'SUP', true),
	(3, 'eco_inspection', 'Environmental protection inspection', '生态环境保护督察',
	 'Problems and public complaints passed on by central and provincial environmental protection inspections', 'ECO', true),
	(4, 'audit', 'Audit', '审计',
	 'Findings of the national annual audit and local audits, including economic responsibility audits of chief officials', 'AUD', true),
	(5, 'safety', 'Major security risks', '重大安全风险',
	 'Major security risks, production safety accidents and hazards, natural disasters', 'SAF', true),
	(6, 'public_opinion', 'Online public opinion', '网络舆情',
	 'Major online public opinion incidents', 'OPN', true),
	(7, 'complaints', 'Public complaints', '信访投诉',
	 'Major petitions and public complaints', 'CMP', true);

-- Deadlines by list and severity.  A list without rows here uses the
-- defaults of default_deadline_days().
CREATE TABLE deadline_policy (
	list text NOT NULL REFERENCES list,
	severity severity NOT NULL,
	days integer NOT NULL CHECK (days BETWEEN 1 AND 3650),
	builtin boolean NOT NULL DEFAULT false,
	PRIMARY KEY (list, severity)
);
COMMENT ON TABLE deadline_policy IS
	'days from the found day to the due day, by list and severity; configuration kept by pg_dump';
COMMENT ON COLUMN deadline_policy.list IS 'the list';
COMMENT ON COLUMN deadline_policy.severity IS 'the severity';
COMMENT ON COLUMN deadline_policy.days IS 'days allowed, 1 to 3650';
COMMENT ON COLUMN deadline_policy.builtin IS
	'shipped with the extension; a row inserted with the same list and severity replaces it';

CREATE TRIGGER deadline_policy_replace_builtin BEFORE INSERT ON deadline_policy
	FOR EACH ROW EXECUTE FUNCTION replace_builtin_row('list', 'severity');
COMMENT ON TRIGGER deadline_policy_replace_builtin ON deadline_policy IS
	'a row with the key of a built-in row replaces it (restore of edited built-in rows)';

-- The default deadlines (docs/workflow.md): 30 days critical, 60 major, 90 serious,
-- 180 general.
CREATE FUNCTION default_deadline_days(severity severity) RETURNS integer
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT (ARRAY[180, 90, 60, 30])[severity_rank(severity)];
END;
COMMENT ON FUNCTION default_deadline_days(severity) IS
	'the default days to the due day: 180 general, 90 serious, 60 major, 30 critical';

INSERT INTO deadline_policy (list, severity, days, builtin)
	SELECT l.code, s, default_deadline_days(s), true
	  FROM list l,
		   unnest(ARRAY['general', 'serious', 'major', 'critical']::severity[]) s;

-- policy_due_on(), the deadline of an issue found on a day, is with the
-- registration in 30_workflow.sql.

-- Officials are people (docs/officials.md): a stable code (a staff number,
-- generated when none is given) and a name; two people may share a name.
-- 1.0 tied an official to one organization by name: org and post remain as
-- where the official was first named and the post text 1.0 recorded; the
-- posts held, with their days, are in post.
CREATE TABLE official (
	name text NOT NULL CHECK (btrim(name) <> ''),
	org text REFERENCES org,
	post text,
	-- 1.1, in the order the upgrade adds them.
	code text NOT NULL
		CONSTRAINT official_code_is_a_label CHECK (code ~ '^[A-Za-z0-9_.-]{1,32}$'),
	synthetic boolean NOT NULL DEFAULT false,
	CONSTRAINT official_pkey PRIMARY KEY (code)
);
CREATE INDEX official_name ON official (name);
COMMENT ON TABLE official IS
	'the officials, people with a stable code (add_official; registration creates one for a name not known); their posts are in post';
COMMENT ON COLUMN official.name IS 'the official''s name (two people may share one)';
COMMENT ON COLUMN official.org IS 'the organization the official was first named in (NULL when added by add_official)';
COMMENT ON COLUMN official.post IS 'a post as text, as 1.0 recorded it (the posts held are in post)';
COMMENT ON COLUMN official.code IS 'the official''s stable code (a staff number; generated as P000001 when none is given)';
COMMENT ON COLUMN official.synthetic IS 'made up by the sample generator';

-- The codes generate_official_code() hands out.
CREATE SEQUENCE official_code_seq;
COMMENT ON SEQUENCE official_code_seq IS 'the number of the last generated official code (P000001...)';

CREATE TABLE org_member (
	login name NOT NULL,
	org text NOT NULL REFERENCES org,
	granted_at timestamptz NOT NULL DEFAULT now(),
	granted_by name NOT NULL,
	PRIMARY KEY (login, org)
);
COMMENT ON TABLE org_member IS
	'which login works on which org subtree (grant_org, revoke_org); row security reads it';
COMMENT ON COLUMN org_member.login IS 'the login (a role name)';
COMMENT ON COLUMN org_member.org IS 'the top of the subtree the login works on';
COMMENT ON COLUMN org_member.granted_at IS 'when it was granted';
COMMENT ON COLUMN org_member.granted_by IS 'who granted it';

-- The last number of each list and year's issue codes.  An upsert on this
-- row hands out the next number: the row lock makes it safe under
-- concurrency, and a rolled-back registration leaves no gap.
CREATE TABLE issue_counter (
	list text NOT NULL REFERENCES list,
	year integer NOT NULL,
	last_number bigint NOT NULL CHECK (last_number >= 0),
	PRIMARY KEY (list, year)
);
COMMENT ON TABLE issue_counter IS
	'the last number given to an issue code, per list and year';
COMMENT ON COLUMN issue_counter.list IS 'the list';
COMMENT ON COLUMN issue_counter.year IS 'the year the issues were found';
COMMENT ON COLUMN issue_counter.last_number IS 'the last number handed out';

-- issue_code(), the code of an issue, is with the registration in
-- 30_workflow.sql.

-- An issue.  Its state, due day, closed day, reopen count and tolerance are
-- those after its last event: the history (issue_event) is the record, this
-- row is the current snapshot.
CREATE TABLE issue (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code text NOT NULL UNIQUE,
	list text NOT NULL REFERENCES list,
	source text,
	org text NOT NULL REFERENCES org,
	official text,
	title text NOT NULL CHECK (btrim(title) <> ''),
	detail text,
	severity severity NOT NULL,
	origin text NOT NULL
		CONSTRAINT issue_origin_known CHECK (origin IN ('self', 'external', 'concealed')),
	state issue_state NOT NULL DEFAULT 'registered',
	found_on date NOT NULL,
	due_on date NOT NULL,
	closed_on date,
	reopen_count integer NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
	tags text[] NOT NULL DEFAULT '{}',
	tolerated_until date,
	ref text CONSTRAINT issue_ref_not_blank CHECK (btrim(ref) <> ''),
	-- New columns go last, in the order the upgrade script adds them.
	last_event_on date NOT NULL,
	CONSTRAINT issue_due_after_found CHECK (due_on >= found_on),
	CONSTRAINT issue_closed_on_iff_closed
		CHECK ((closed_on IS NOT NULL) = NOT is_open(state)),
	CONSTRAINT issue_closed_after_found CHECK (closed_on >= found_on),
	FOREIGN KEY (official) REFERENCES official (code)
);
CREATE INDEX issue_org ON issue (org);
-- By official, then organization: the pairs of an official and an
-- organization are one step down it each (live_responsible_tallies).
CREATE INDEX issue_official ON issue (official, org);
COMMENT ON TABLE issue IS
	'the issues, as they stand now (the history is in issue_event); written only by the workflow functions';
COMMENT ON COLUMN issue.id IS 'internal number';
COMMENT ON COLUMN issue.code IS 'the issue''s code, as AUD-2021-000123 (list prefix, year found, number)';
COMMENT ON COLUMN issue.list IS 'the list';
COMMENT ON COLUMN issue.source IS 'which inspection, audit or round found it';
COMMENT ON COLUMN issue.org IS 'the organization that owns it';
COMMENT ON COLUMN issue.official IS 'the responsible official''s code (assign_official changes it, an event of the history)';
COMMENT ON COLUMN issue.title IS 'what the problem is, in one line';
COMMENT ON COLUMN issue.detail IS 'the full description';
COMMENT ON COLUMN issue.severity IS 'general, serious, major or critical';
COMMENT ON COLUMN issue.origin IS
	'how it came to light: self (own inspection), external (a higher level or outside body), concealed (found by others after it was hidden)';
COMMENT ON COLUMN issue.state IS 'the state after the last event';
COMMENT ON COLUMN issue.found_on IS 'the day it was found';
COMMENT ON COLUMN issue.due_on IS 'the due day, including every extension';
COMMENT ON COLUMN issue.closed_on IS 'the day it was closed or withdrawn; NULL while open';
COMMENT ON COLUMN issue.reopen_count IS 'how many times it went from closed to reopened';
COMMENT ON COLUMN issue.tags IS 'free tags';
COMMENT ON COLUMN issue.tolerated_until IS
	'tolerance: the last day it holds (infinity: no end); NULL if never tolerated';
COMMENT ON COLUMN issue.ref IS
	'the finding''s own number in its inspection or audit round (an import''s ref column): a round re-imported registers nothing twice';
COMMENT ON COLUMN issue.last_event_on IS
	'the latest effective day among its events (kept by the trigger issue_follows_history, checked by verify_history): an issue with last_event_on <= T stood on T as it stands now';
-- One issue per finding of a round: list, round (source) and its number.
CREATE UNIQUE INDEX issue_ref ON issue (list, coalesce(source, ''), ref) WHERE ref IS NOT NULL;

-- The history: one row per change, never updated or deleted.  Each row also
-- carries the issue's snapshot after the change (state .. tolerated_until),
-- so the issue as of day T is simply its last event with on_date <= T; the
-- unique index (issue, seq) carries those columns so that lookup reads the
-- index alone.
CREATE TABLE issue_event (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	issue bigint NOT NULL REFERENCES issue,
	seq integer NOT NULL CHECK (seq >= 1),
	org text NOT NULL,
	on_date date NOT NULL,
	recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor name NOT NULL,
	role name NOT NULL,
	event text NOT NULL,
	from_state issue_state,
	to_state issue_state,
	note text,
	state issue_state NOT NULL,
	due_on date NOT NULL,
	reopen_count integer NOT NULL CHECK (reopen_count >= 0),
	closed_on date,
	tolerated_until date,
	-- 1.1: late entries, corrections and the hash chain (docs/trust.md).
	-- New columns go last, in the order the upgrade script adds them.
	late boolean NOT NULL DEFAULT false,
	late_reason text,
	field text,
	old_value text,
	new_value text,
	hash bytea NOT NULL,
	-- (hash: the chain heads a publication's digest reads, 26_history_chain.sql)
	CONSTRAINT issue_event_seq UNIQUE (issue, seq)
		INCLUDE (on_date, state, due_on, reopen_count, closed_on, tolerated_until, hash),
	-- Even a direct insert cannot record a step outside the closed loop.
	CONSTRAINT issue_event_follows_loop CHECK (
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
			WHEN 'assignment' THEN from_state IS NULL AND to_state IS NULL
				AND field = 'official'
			WHEN 'clarified' THEN is_open(from_state) AND to_state = 'withdrawn'
				AND state = 'withdrawn'
		END),
	CONSTRAINT issue_event_closed_on_iff_closed
		CHECK ((closed_on IS NOT NULL) = NOT is_open(state))
);
COMMENT ON TABLE issue_event IS
	'the append-only history of every issue: one row per change (UPDATE, DELETE and TRUNCATE fail), with the issue''s snapshot after it';
COMMENT ON COLUMN issue_event.id IS 'internal number';
COMMENT ON COLUMN issue_event.issue IS 'the issue (issue.id)';
COMMENT ON COLUMN issue_event.seq IS 'the event''s number within its issue, 1, 2, 3...';
COMMENT ON COLUMN issue_event.org IS 'the issue''s organization (row security reads it)';
COMMENT ON COLUMN issue_event.on_date IS
	'the effective day: may be in the past, never before the issue''s previous event';
COMMENT ON COLUMN issue_event.recorded_at IS 'the wall-clock time it was recorded';
COMMENT ON COLUMN issue_event.actor IS 'the login who made the change';
COMMENT ON COLUMN issue_event.role IS 'the issuelist role the login acted as';
COMMENT ON COLUMN issue_event.event IS 'registered, transition, extension or tolerance';
COMMENT ON COLUMN issue_event.from_state IS 'a transition''s state before';
COMMENT ON COLUMN issue_event.to_state IS 'a transition''s state after (registered for the registration)';
COMMENT ON COLUMN issue_event.note IS 'the note or reason given';
COMMENT ON COLUMN issue_event.state IS 'the issue''s state after the event';
COMMENT ON COLUMN issue_event.due_on IS 'the issue''s due day after the event';
COMMENT ON COLUMN issue_event.reopen_count IS 'the issue''s reopen count after the event';
COMMENT ON COLUMN issue_event.closed_on IS 'the issue''s closed day after the event';
COMMENT ON COLUMN issue_event.tolerated_until IS
	'after the event, the last day of the latest-ending tolerance so far (infinity: no end)';

CREATE TABLE tolerance (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	issue bigint NOT NULL REFERENCES issue,
	org text NOT NULL,
	from_on date NOT NULL,
	until_on date,
	reason text NOT NULL CHECK (btrim(reason) <> ''),
	requester name NOT NULL,
	approved_by text NOT NULL,
	recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	CONSTRAINT tolerance_until_after_from CHECK (until_on >= from_on)
);
CREATE INDEX tolerance_issue ON tolerance (issue);
COMMENT ON TABLE tolerance IS
	'tolerance records (append-only): the issue is exempt from the score from from_on through until_on';
COMMENT ON COLUMN tolerance.id IS 'internal number';
COMMENT ON COLUMN tolerance.issue IS 'the issue (issue.id)';
COMMENT ON COLUMN tolerance.org IS 'the issue''s organization (row security reads it)';
COMMENT ON COLUMN tolerance.from_on IS 'the first day it holds';
COMMENT ON COLUMN tolerance.until_on IS 'the last day it holds; NULL: for ever';
COMMENT ON COLUMN tolerance.reason IS 'why, after review';
COMMENT ON COLUMN tolerance.requester IS 'the login who asked for it (a verifier recording it directly asks and approves)';
COMMENT ON COLUMN tolerance.approved_by IS 'who approved it: a verifier never of the issue''s own organization, nor its registrar or rectifier (an admin may name anyone)';
COMMENT ON COLUMN tolerance.recorded_at IS 'the wall-clock time it was recorded';

CREATE TABLE indicator (
	org text NOT NULL REFERENCES org,
	q quarter NOT NULL,
	name text NOT NULL CHECK (btrim(name) <> ''),
	value float8 NOT NULL,
	PRIMARY KEY (org, q, name)
);
COMMENT ON TABLE indicator IS
	'other indicators per organization and quarter (population, a digital reform grade...) for the comprehensive evaluation';
COMMENT ON COLUMN indicator.org IS 'the organization';
COMMENT ON COLUMN indicator.q IS 'the quarter';
COMMENT ON COLUMN indicator.name IS 'the indicator';
COMMENT ON COLUMN indicator.value IS 'its value';

-- pg_dump keeps every row of these (see the top of this file), and the
-- values of the sequences behind their identity columns.  One call per
-- statement: each call rewrites the extension's catalog row.
SELECT pg_catalog.pg_extension_config_dump('org', '');
SELECT pg_catalog.pg_extension_config_dump('list', '');
SELECT pg_catalog.pg_extension_config_dump('deadline_policy', '');
SELECT pg_catalog.pg_extension_config_dump('official', '');
SELECT pg_catalog.pg_extension_config_dump('official_code_seq', '');
SELECT pg_catalog.pg_extension_config_dump('org_member', '');
SELECT pg_catalog.pg_extension_config_dump('issue_counter', '');
SELECT pg_catalog.pg_extension_config_dump('issue', '');
SELECT pg_catalog.pg_extension_config_dump('issue_event', '');
SELECT pg_catalog.pg_extension_config_dump('tolerance', '');
SELECT pg_catalog.pg_extension_config_dump('indicator', '');
SELECT pg_catalog.pg_extension_config_dump('issue_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('issue_event_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('tolerance_id_seq', '');
