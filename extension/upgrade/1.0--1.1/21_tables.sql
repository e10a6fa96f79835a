
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
			WHEN 'assignment' THEN from_state IS NULL AND to_state IS NULL
				AND field = 'official'
			WHEN 'clarified' THEN is_open(from_state) AND to_state = 'withdrawn'
				AND state = 'withdrawn'
		END);

-- history() changes its columns: it is created again, with its grants, by
-- 26_history_chain.sql.
DROP FUNCTION history(text);

-- A verifier who records a tolerance approves it: four eyes are kept by
-- identity (check_identity, 30_workflow.sql), not by requester <> approver.
ALTER TABLE tolerance DROP CONSTRAINT tolerance_four_eyes;
COMMENT ON COLUMN tolerance.requester IS 'the login who asked for it (a verifier recording it directly asks and approves)';
COMMENT ON COLUMN tolerance.approved_by IS 'who approved it: a verifier never of the issue''s own organization, nor its registrar or rectifier (an admin may name anyone)';

-- Officials become people with a stable code (docs/officials.md).  Each
-- official 1.0 knew (a name in an organization) gets a generated code, in
-- the order of organization and name, and the issues name their official
-- by it.  1.0 has no trigger on issue, and 26_history_chain.sql, which
-- creates the one that keeps the row to its history, runs later; the
-- history records no official, so its hashes do not change.
ALTER TABLE issue DROP CONSTRAINT issue_org_official_fkey;
ALTER TABLE official DROP CONSTRAINT official_pkey;
ALTER TABLE official ALTER COLUMN org DROP NOT NULL,
	ADD COLUMN code text
		CONSTRAINT official_code_is_a_label CHECK (code ~ '^[A-Za-z0-9_.-]{1,32}$'),
	ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
CREATE SEQUENCE official_code_seq;
COMMENT ON SEQUENCE official_code_seq IS 'the number of the last generated official code (P000001...)';
SELECT pg_catalog.pg_extension_config_dump('official_code_seq', '');
UPDATE official f SET code = n.code
  FROM (SELECT x.org, x.name,
			   'P' || lpad(nextval('official_code_seq')::text, 6, '0') AS code
		  FROM (SELECT org, name FROM official ORDER BY org, name) x) n
 WHERE n.org = f.org AND n.name = f.name;
UPDATE issue i SET official = f.code
  FROM official f WHERE f.org = i.org AND f.name = i.official;
ALTER TABLE official ALTER COLUMN code SET NOT NULL,
	ADD CONSTRAINT official_pkey PRIMARY KEY (code);
CREATE INDEX official_name ON official (name);
ALTER TABLE issue ADD FOREIGN KEY (official) REFERENCES official (code);
COMMENT ON TABLE official IS
	'the officials, people with a stable code (add_official; registration creates one for a name not known); their posts are in post';
COMMENT ON COLUMN official.name IS 'the official''s name (two people may share one)';
COMMENT ON COLUMN official.org IS 'the organization the official was first named in (NULL when added by add_official)';
COMMENT ON COLUMN official.post IS 'a post as text, as 1.0 recorded it (the posts held are in post)';
COMMENT ON COLUMN official.code IS 'the official''s stable code (a staff number; generated as P000001 when none is given)';
COMMENT ON COLUMN official.synthetic IS 'made up by the sample generator';
COMMENT ON COLUMN issue.official IS 'the responsible official''s code (assign_official changes it, an event of the history)';

-- An issue's ref: the finding's own number in its round (docs/client.md,
-- "Importing a spreadsheet").
ALTER TABLE issue ADD COLUMN ref text CONSTRAINT issue_ref_not_blank CHECK (btrim(ref) <> '');
COMMENT ON COLUMN issue.ref IS
	'the finding''s own number in its inspection or audit round (an import''s ref column): a round re-imported registers nothing twice';
-- One issue per finding of a round: list, round (source) and its number.
CREATE UNIQUE INDEX issue_ref ON issue (list, coalesce(source, ''), ref) WHERE ref IS NOT NULL;

-- 1.1: by official, then organization: the pairs of an official and an
-- organization are one step down it each (live_responsible_tallies).
DROP INDEX issue_official;
CREATE INDEX issue_official ON issue (official, org);

-- 1.1: the latest effective day of each issue's events, so that "nothing
-- happened to it after T" is a column's test (33_views.sql).  Filled here,
-- before the trigger that keeps it exists (26_history_chain.sql); an issue
-- 1.0 left without history counts from its found day.
ALTER TABLE issue ADD COLUMN last_event_on date;
UPDATE issue i SET last_event_on = coalesce((SELECT max(e.on_date) FROM issue_event e
											   WHERE e.issue = i.id), i.found_on);
ALTER TABLE issue ALTER COLUMN last_event_on SET NOT NULL;
COMMENT ON COLUMN issue.last_event_on IS
	'the latest effective day among its events (kept by the trigger issue_follows_history, checked by verify_history): an issue with last_event_on <= T stood on T as it stands now';
