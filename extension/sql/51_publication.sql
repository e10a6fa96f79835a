
-- ---------------------------------------------------------------------------
-- Publication (docs/trust.md, "Publication").  freeze_quarter(q, reason)
-- publishes a quarter: with its rollup it stores every score model's exact
-- weights, the organizations (the peers) and lists with their names as they
-- were, each official's tally, and the digest of the history it was
-- computed from.  Every reader of a published quarter scores the stored
-- tallies with the stored weights and names the stored peers, so nothing
-- edited later moves a published number; a model other than the stored one
-- is a what-if and says so.  Everything published is append-only.
--
-- This fragment creates only objects that are new in 1.1 or replaces
-- functions in place (CREATE OR REPLACE), so the upgrade from 1.0 runs it
-- as it is (extension/upgrade/1.0--1.1/ links to it).
-- ---------------------------------------------------------------------------

CREATE TABLE publication_model (
	q quarter NOT NULL,
	revision integer NOT NULL,
	model text NOT NULL,
	version integer NOT NULL,
	w_list float8[] NOT NULL,
	w_severity float8[] NOT NULL,
	w_origin float8[] NOT NULL,
	overdue_rate float8 NOT NULL,
	closed_on_time float8 NOT NULL,
	closed_late float8 NOT NULL,
	recurrence_rate float8 NOT NULL,
	k float8 NOT NULL,
	PRIMARY KEY (q, revision, model),
	FOREIGN KEY (q, revision) REFERENCES quarter_freeze
);
CREATE INDEX publication_model_version ON publication_model (model, version);
COMMENT ON TABLE publication_model IS
	'every score model as a publication scored with it: its version and exact weights (list weights by list position)';
COMMENT ON COLUMN publication_model.q IS 'the published quarter';
COMMENT ON COLUMN publication_model.revision IS 'the publication''s revision';
COMMENT ON COLUMN publication_model.model IS 'the model''s name';
COMMENT ON COLUMN publication_model.version IS 'the model''s version then (score_model.version)';
COMMENT ON COLUMN publication_model.w_list IS 'W_list by list position 1 to 16 (1 for a list without a weight)';
COMMENT ON COLUMN publication_model.w_severity IS 'W_sev of general, serious, major, critical';
COMMENT ON COLUMN publication_model.w_origin IS 'W_origin of self, external, concealed';
COMMENT ON COLUMN publication_model.overdue_rate IS 'the model''s overdue_rate';
COMMENT ON COLUMN publication_model.closed_on_time IS 'the model''s closed_on_time';
COMMENT ON COLUMN publication_model.closed_late IS 'the model''s closed_late';
COMMENT ON COLUMN publication_model.recurrence_rate IS 'the model''s recurrence_rate';
COMMENT ON COLUMN publication_model.k IS 'the model''s K';

CREATE TABLE publication_org (
	q quarter NOT NULL,
	revision integer NOT NULL,
	org text NOT NULL,
	name text NOT NULL,
	name_zh text,
	level text NOT NULL,
	parent text,
	path ltree NOT NULL,
	PRIMARY KEY (q, revision, org),
	FOREIGN KEY (q, revision) REFERENCES quarter_freeze
);
COMMENT ON TABLE publication_org IS
	'the organizations as a publication saw them: the peers of each level, their names and the hierarchy';
COMMENT ON COLUMN publication_org.q IS 'the published quarter';
COMMENT ON COLUMN publication_org.revision IS 'the publication''s revision';
COMMENT ON COLUMN publication_org.org IS 'the organization''s code';
COMMENT ON COLUMN publication_org.name IS 'its name then';
COMMENT ON COLUMN publication_org.name_zh IS 'its Chinese name then';
COMMENT ON COLUMN publication_org.level IS 'its level then: its peers are the organizations of the same level';
COMMENT ON COLUMN publication_org.parent IS 'its parent then';
COMMENT ON COLUMN publication_org.path IS 'its path then: its subtree is what its score counts';

CREATE TABLE publication_list (
	q quarter NOT NULL,
	revision integer NOT NULL,
	"position" smallint NOT NULL,
	code text NOT NULL,
	name text NOT NULL,
	name_zh text,
	PRIMARY KEY (q, revision, "position"),
	FOREIGN KEY (q, revision) REFERENCES quarter_freeze
);
COMMENT ON TABLE publication_list IS 'the lists as a publication saw them, by position';
COMMENT ON COLUMN publication_list.q IS 'the published quarter';
COMMENT ON COLUMN publication_list.revision IS 'the publication''s revision';
COMMENT ON COLUMN publication_list."position" IS 'the list''s position, 1 to 16 (how tallies and list weights name it)';
COMMENT ON COLUMN publication_list.code IS 'its code then';
COMMENT ON COLUMN publication_list.name IS 'its name then';
COMMENT ON COLUMN publication_list.name_zh IS 'its Chinese name then';

CREATE TABLE publication_official (
	q quarter NOT NULL,
	revision integer NOT NULL,
	org text NOT NULL,
	official text NOT NULL,
	tally tally NOT NULL,
	clarified bigint NOT NULL,
	PRIMARY KEY (q, revision, official, org),
	FOREIGN KEY (q, revision) REFERENCES quarter_freeze
);
COMMENT ON TABLE publication_official IS
	'the tally of the issues each responsible official had in an organization, as a publication counted them';
COMMENT ON COLUMN publication_official.q IS 'the published quarter';
COMMENT ON COLUMN publication_official.revision IS 'the publication''s revision';
COMMENT ON COLUMN publication_official.org IS 'the organization whose issues they are';
COMMENT ON COLUMN publication_official.official IS 'the responsible official''s code (responsible on the quarter''s last day)';
COMMENT ON COLUMN publication_official.tally IS 'the tally of their issues as of the quarter''s last day';
COMMENT ON COLUMN publication_official.clarified IS 'their issues clarified (the accusation unfounded) by the quarter''s last day';

-- The tallies a publication stores (about 9 kB each before compression,
-- one per organization and one per official) are compressed with lz4
-- where the server has it: pglz took about 0.15 s of a 0.9 s freeze at a
-- million issues for its 360 tallies, lz4 15 ms, and the readers of a
-- published quarter decompress them faster too.  A server built without
-- lz4 keeps pglz.
DO $$
BEGIN
	ALTER TABLE rollup ALTER COLUMN tally SET COMPRESSION lz4;
	ALTER TABLE publication_official ALTER COLUMN tally SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	NULL;
END $$;

-- The people of a publication (docs/officials.md): every post held during
-- the quarter, with the holder's name then and the days in post.
CREATE TABLE publication_post (
	q quarter NOT NULL,
	revision integer NOT NULL,
	org text NOT NULL,
	title text NOT NULL,
	official text NOT NULL,
	name text NOT NULL,
	from_day date NOT NULL,
	to_day date,
	days_in_post integer NOT NULL,
	PRIMARY KEY (q, revision, org, title, from_day),
	FOREIGN KEY (q, revision) REFERENCES quarter_freeze
);
COMMENT ON TABLE publication_post IS
	'the posts held during a published quarter (up to its as-of day), with their holders as the publication saw them';
COMMENT ON COLUMN publication_post.q IS 'the published quarter';
COMMENT ON COLUMN publication_post.revision IS 'the publication''s revision';
COMMENT ON COLUMN publication_post.org IS 'the organization';
COMMENT ON COLUMN publication_post.title IS 'the title (secretary, head...)';
COMMENT ON COLUMN publication_post.official IS 'the holder''s code';
COMMENT ON COLUMN publication_post.name IS 'the holder''s name then';
COMMENT ON COLUMN publication_post.from_day IS 'the post''s first day';
COMMENT ON COLUMN publication_post.to_day IS 'the post''s last day as known then; NULL: still in post';
COMMENT ON COLUMN publication_post.days_in_post IS 'days in post within the quarter, up to its as-of day';

SELECT pg_catalog.pg_extension_config_dump('publication_model', '');
SELECT pg_catalog.pg_extension_config_dump('publication_org', '');
SELECT pg_catalog.pg_extension_config_dump('publication_list', '');
SELECT pg_catalog.pg_extension_config_dump('publication_official', '');
SELECT pg_catalog.pg_extension_config_dump('publication_post', '');
GRANT SELECT ON publication_model, publication_org, publication_list, publication_post
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
GRANT SELECT ON publication_official
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
-- Who was responsible for which issues is not public (rankings are): the
-- officials' tallies are read by subtree, like the issues.
ALTER TABLE publication_official ENABLE ROW LEVEL SECURITY;
CREATE POLICY publication_official_read_all ON publication_official FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY publication_official_read_subtree ON publication_official FOR SELECT
	TO issuelist_editor, issuelist_verifier
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY publication_official_read_all ON publication_official IS
	'admins and auditors read every official''s published tally';
COMMENT ON POLICY publication_official_read_subtree ON publication_official IS
	'editors and verifiers read the published tallies of their subtrees'' officials';

-- What is published stays: no UPDATE, DELETE or TRUNCATE of a publication,
-- the owner's and superusers' included (as for the history).
SELECT make_append_only(t::regclass, 'what is published')
  FROM unnest(ARRAY['quarter_freeze', 'rollup', 'publication_model',
							 'publication_org', 'publication_list', 'publication_official',
							 'publication_post']) t;
-- Only the install and upgrade scripts make tables append-only; nobody calls
-- it afterwards.
DROP FUNCTION make_append_only(regclass, text);

-- ---------------------------------------------------------------------------
-- Model versions.  A model whose current version a publication stored is
-- not changed in place: an edit of its weights (or of its list weights)
-- makes the next version, and the publication keeps its own.  Such a model
-- cannot be renamed or deleted.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION model_version_published(model text, version integer) RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT EXISTS (SELECT FROM publication_model p
				   WHERE p.model = model_version_published.model
					 AND p.version = model_version_published.version)
$$;
COMMENT ON FUNCTION model_version_published(text, integer) IS
	'whether a publication stored this version of the model';

CREATE OR REPLACE FUNCTION score_model_versioned() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	IF (TG_OP = 'DELETE' OR NEW.name <> OLD.name)
	   AND EXISTS (SELECT FROM publication_model p WHERE p.model = OLD.name) THEN
		RAISE EXCEPTION 'score model "%" is stored by a publication: it cannot be %',
			OLD.name, CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 'renamed' END
			USING ERRCODE = 'IL010',
				  HINT = 'Edit its weights (that makes a new version) or add a model of another name.';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	IF model_version_published(OLD.name, OLD.version) AND ((NEW.w_general, NEW.w_serious, NEW.w_major, NEW.w_critical, NEW.w_self,
		NEW.w_external, NEW.w_concealed, NEW.overdue_rate, NEW.closed_on_time,
		NEW.closed_late, NEW.recurrence_rate, NEW.k)
	   IS DISTINCT FROM
	   (OLD.w_general, OLD.w_serious, OLD.w_major, OLD.w_critical, OLD.w_self,
		OLD.w_external, OLD.w_concealed, OLD.overdue_rate, OLD.closed_on_time,
		OLD.closed_late, OLD.recurrence_rate, OLD.k)
	   OR NEW.version <> OLD.version) THEN
		NEW.version := OLD.version + 1;
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION score_model_versioned() IS
	'trigger: an edit of a published model version makes the next version; a published model is never renamed or deleted';

CREATE OR REPLACE FUNCTION score_model_list_versioned() RETURNS trigger
	LANGUAGE plpgsql AS $$
BEGIN
	-- The model's version moves on (once) when its current one is published.
	UPDATE score_model m SET version = m.version + 1
	 WHERE m.name IN (NEW.model, OLD.model)
	   AND model_version_published(m.name, m.version);
	RETURN NULL;
END $$;
COMMENT ON FUNCTION score_model_list_versioned() IS
	'trigger: a list weight edited in a published model version makes the model''s next version';

CREATE TRIGGER score_model_versioned BEFORE UPDATE OR DELETE ON score_model
	FOR EACH ROW EXECUTE FUNCTION score_model_versioned();
CREATE TRIGGER score_model_list_versioned AFTER INSERT OR UPDATE OR DELETE ON score_model_list
	FOR EACH ROW EXECUTE FUNCTION score_model_list_versioned();
COMMENT ON TRIGGER score_model_versioned ON score_model IS
	'a published model version is never changed in place';
COMMENT ON TRIGGER score_model_list_versioned ON score_model_list IS
	'a list weight edited in a published model version makes the next version';

-- The weights a quarter is scored with: a model's name, version and
-- weights, and whether they are the published ones.
CREATE TYPE score_weights AS (
	model text,
	version integer,
	w_list float8[],
	w_severity float8[],
	w_origin float8[],
	overdue_rate float8,
	closed_on_time float8,
	closed_late float8,
	recurrence_rate float8,
	k float8,
	published boolean
);
COMMENT ON TYPE score_weights IS
	'a score model''s weights as a quarter is scored with them (quarter_weights), with whether they are the published ones';

-- The weights of version n of a model: the current version from
-- score_model, an earlier one from a publication that stored it.
CREATE OR REPLACE FUNCTION model_version_weights(model text, version integer DEFAULT NULL)
	RETURNS score_weights
	LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	current_version integer;
	w score_weights;
BEGIN
	SELECT m.version INTO current_version FROM score_model m WHERE m.name = model;
	IF version IS NULL OR version = current_version THEN
		SELECT model, current_version, x.w_list, x.w_severity, x.w_origin,
			   x.overdue_rate, x.closed_on_time, x.closed_late,
			   x.recurrence_rate, x.k, false
		  INTO w FROM model_weights(model) x;
		RETURN w;
	END IF;
	SELECT p.model, p.version, p.w_list, p.w_severity, p.w_origin,
		   p.overdue_rate, p.closed_on_time, p.closed_late,
		   p.recurrence_rate, p.k, false
	  INTO w
	  FROM publication_model p
	 WHERE p.model = model_version_weights.model AND p.version = model_version_weights.version
	 LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'score model "%" has no version %', model, version
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = format('The versions kept are those publications stored, and the current one (%s).',
								coalesce(current_version::text, 'none: the model is not known'));
	END IF;
	RETURN w;
END $$;
COMMENT ON FUNCTION model_version_weights(text, integer) IS
	'the weights of a version of a score model (NULL: the current one); earlier versions are those publications stored';

-- The latest revision of a published quarter, or the revision asked for
-- (which must exist); NULL for a quarter not published.
CREATE OR REPLACE FUNCTION published_revision(q quarter, revision integer DEFAULT NULL)
	RETURNS integer
	LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
	IF revision IS NULL THEN
		RETURN frozen_revision(q);
	END IF;
	IF NOT EXISTS (SELECT FROM quarter_freeze f WHERE f.q = published_revision.q
				   AND f.revision = published_revision.revision) THEN
		RAISE EXCEPTION 'quarter % has no revision %', q, revision
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = coalesce('Its revisions are 1 to ' || frozen_revision(q) || '.',
								  'It is not published.');
	END IF;
	RETURN revision;
END $$;
COMMENT ON FUNCTION published_revision(quarter, integer) IS
	'the revision of a published quarter that readers use: the one asked for (error 22023 when it does not exist), else the latest; NULL when not published';

-- The weights a quarter is scored with under a model named 'name' or
-- 'name@version'.  For a published quarter a bare name means the version
-- its publication stored (published = true); any other model or version is
-- a what-if (published = false).  For a quarter not published a bare name
-- is the current version.
CREATE OR REPLACE FUNCTION quarter_weights(q quarter, model text, revision integer DEFAULT NULL)
	RETURNS score_weights
	LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	rev integer := published_revision(q, revision);
	model_name text := split_part(model, '@', 1);
	version_text text := substring(model FROM '@(.*)$');
	wanted_version integer;
	w score_weights;
BEGIN
	IF model IS NULL OR btrim(model) = '' THEN
		RAISE EXCEPTION 'a score model is required'
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The models are the rows of issuelist.score_model (standard by default).';
	END IF;
	IF version_text IS NOT NULL THEN
		IF version_text !~ '^[1-9][0-9]{0,8}$' THEN
			RAISE EXCEPTION 'invalid model version "%" in "%"', version_text, model
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'Name a model as name or name@version, e.g. standard@2.';
		END IF;
		wanted_version := version_text::integer;
	END IF;
	IF rev IS NOT NULL THEN
		SELECT p.model, p.version, p.w_list, p.w_severity, p.w_origin,
			   p.overdue_rate, p.closed_on_time, p.closed_late,
			   p.recurrence_rate, p.k, true
		  INTO w
		  FROM publication_model p
		 WHERE p.q = quarter_weights.q AND p.revision = rev AND p.model = model_name
		   AND (wanted_version IS NULL OR p.version = wanted_version);
		IF FOUND THEN
			RETURN w;
		END IF;
	END IF;
	RETURN model_version_weights(model_name, wanted_version);
END $$;
COMMENT ON FUNCTION quarter_weights(quarter, text, integer) IS
	'the weights a quarter is scored with under a model (name or name@version): the published ones for a published quarter and its stored version, else the version named (a what-if for a published quarter)';

-- Scoring a tally with given weights (the C functions of 45_score.sql).
CREATE OR REPLACE FUNCTION weighted_deductions(t tally, w score_weights) RETURNS float8
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT tally_deductions(t, w.w_list, w.w_severity, w.w_origin, w.overdue_rate,
							w.closed_on_time, w.closed_late, w.recurrence_rate)
$$;
COMMENT ON FUNCTION weighted_deductions(tally, score_weights) IS 'D = Σ d_i of the issues of a tally under given weights';

CREATE OR REPLACE FUNCTION weighted_score(t tally, w score_weights) RETURNS float8
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT 100 * w.k / (w.k + weighted_deductions(t, w))
$$;
COMMENT ON FUNCTION weighted_score(tally, score_weights) IS 'the score 100 K / (K + D) of the issues of a tally under given weights';

-- The lists as a quarter names them: as published, else as they are.
CREATE OR REPLACE FUNCTION quarter_lists(q quarter, revision integer DEFAULT NULL)
	RETURNS TABLE ("position" smallint, code text, name text, name_zh text)
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 16 AS $$
DECLARE
	rev integer := published_revision(q, revision);
BEGIN
	IF rev IS NOT NULL THEN
		RETURN QUERY SELECT p.position, p.code, p.name, p.name_zh FROM publication_list p
			WHERE p.q = quarter_lists.q AND p.revision = rev;
	ELSE
		RETURN QUERY SELECT l.position, l.code, l.name, l.name_zh FROM list l;
	END IF;
END $$;
COMMENT ON FUNCTION quarter_lists(quarter, integer) IS
	'the lists of a quarter''s reports: as its publication stored them, else as they are';

-- The organizations as a quarter sees them: as published, else as they are.
CREATE OR REPLACE FUNCTION quarter_orgs(q quarter, revision integer DEFAULT NULL)
	RETURNS TABLE (code text, name text, name_zh text, level text, parent text, path ltree)
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100 AS $$
DECLARE
	rev integer := published_revision(q, revision);
BEGIN
	IF rev IS NOT NULL THEN
		RETURN QUERY SELECT p.org, p.name, p.name_zh, p.level, p.parent, p.path
			FROM publication_org p WHERE p.q = quarter_orgs.q AND p.revision = rev;
	ELSE
		RETURN QUERY SELECT o.code, o.name, o.name_zh, o.level, o.parent, o.path FROM org o;
	END IF;
END $$;
COMMENT ON FUNCTION quarter_orgs(quarter, integer) IS
	'the organizations of a quarter''s rankings (peers, names, hierarchy): as its publication stored them, else as they are';

-- Each organization's own tally for a quarter as of day t, from the
-- history: issues_as_of(t)'s issues, tallied in one scan of the issue rows.
-- Those with nothing effective after t (last_event_on <= t) stand as their
-- rows say; the others (a quarter ago, about one in thirteen; none for the
-- current quarter, as no event is ever dated in the future) as their last
-- event by t (issue_snapshot_on, called for them alone).
--
-- And only the issues the tally counts are read: one closed or withdrawn
-- before the quarter began adds nothing to it (tally, "out of scope"), so
-- an issue is read when it is open, closed since the first day, or changed
-- after t (whose state on t only its history tells), each found by an
-- index (a bitmap OR of the indexes on closed_on and last_event_on).  For
-- the current quarter at a million issues that is one issue in ten
-- (0.28 s -> 0.07 s), for the last one about one in nine (0.54 s ->
-- 0.25 s; by hand, one database, medians of 5).  An organization whose
-- issues are all out of scope still has its row, with the empty tally the
-- aggregate would have given.
--
-- EXECUTE plans with the day's values, so that the estimates of the
-- changed and closed issues are the day's, not a generic plan's guess;
-- RETURN QUERY may run it in parallel, also when the caller writes
-- (freeze_quarter), where a query of its own could not.
CREATE OR REPLACE FUNCTION live_org_tallies(q quarter, t date, OUT org text, OUT tally tally)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100 AS $$
BEGIN
	RETURN QUERY EXECUTE $sql$
		SELECT o.code, coalesce(s.tally, issuelist.empty_tally($1, $2))
		  FROM issuelist.org o
		  LEFT JOIN (
			SELECT i.org, issuelist.tally($1, $2, l.position, i.severity, i.origin,
					CASE WHEN i.last_event_on <= $2 THEN i.state
						 ELSE (issuelist.issue_snapshot_on(i.id, $2)).state END,
					i.found_on,
					CASE WHEN i.last_event_on <= $2 THEN i.due_on
						 ELSE (issuelist.issue_snapshot_on(i.id, $2)).due_on END,
					CASE WHEN i.last_event_on <= $2 THEN i.closed_on
						 ELSE (issuelist.issue_snapshot_on(i.id, $2)).closed_on END,
					CASE WHEN i.last_event_on <= $2 THEN i.reopen_count
						 ELSE (issuelist.issue_snapshot_on(i.id, $2)).reopen_count END,
					coalesce($2 <= CASE WHEN i.last_event_on <= $2 THEN i.tolerated_until
										ELSE (issuelist.issue_snapshot_on(i.id, $2)).tolerated_until END,
							 false)) AS tally
			  FROM issuelist.issue i
			  JOIN issuelist.list l ON l.code = i.list
			 WHERE i.found_on <= $2
			   AND (i.closed_on IS NULL OR i.closed_on >= $3 OR i.last_event_on > $2)
			   AND (i.last_event_on <= $2
					OR (issuelist.issue_snapshot_on(i.id, $2)).state IS NOT NULL)
			 GROUP BY i.org) s ON s.org = o.code
		 WHERE s.org IS NOT NULL
			-- no issue of it read: one out of scope that stood on t as its
			-- row says (one changed after t was read above, had it stood)
			OR EXISTS (SELECT FROM issuelist.issue i
						WHERE i.org = o.code AND i.found_on <= $2
						  AND i.last_event_on <= $2) $sql$
		USING q, t, lower(q);
END $$;
COMMENT ON FUNCTION live_org_tallies(quarter, date) IS
	'each organization''s own tally for a quarter as of day t, computed from the issue rows and, for the issues changed after t, the history; the caller''s rights: row security applies; organizations without issues have no row';

-- Each organization's own tally for a quarter: from the publication, else
-- computed from the history as of T in one pass.  Scores and rankings count
-- every issue whoever asks (a county office sees the same ranking as the
-- province, never another county's issues), so the live path reads the
-- history with the extension owner's rights.
CREATE OR REPLACE FUNCTION org_tallies(q quarter, revision integer DEFAULT NULL,
		OUT org text, OUT tally tally)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER ROWS 100 AS $$
DECLARE
	rev integer := published_revision(q, revision);
BEGIN
	IF rev IS NOT NULL THEN
		RETURN QUERY SELECT r.org, r.tally FROM rollup r
			WHERE r.q = org_tallies.q AND r.revision = rev;
		RETURN;
	END IF;
	RETURN QUERY SELECT * FROM live_org_tallies(q, quarter_as_of(q));
END $$;
COMMENT ON FUNCTION org_tallies(quarter, integer) IS
	'each organization''s own tally for a quarter (organizations without issues have no row): from its publication (the latest revision, or the one given), else live from issues_as_of';

-- The as-of day of a quarter's tallies.
CREATE OR REPLACE FUNCTION tally_day(q quarter) RETURNS date
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT coalesce((SELECT f.as_of FROM quarter_freeze f
					  WHERE f.q = tally_day.q
					  ORDER BY f.revision DESC LIMIT 1),
					quarter_as_of(q))
$$;
COMMENT ON FUNCTION tally_day(quarter) IS
	'the as-of day of a quarter''s tallies: the published day, else quarter_as_of(q)';

-- The tally of an organization's whole subtree for a quarter (owner's
-- rights, as org_tallies); the subtree of a published quarter is the one
-- its publication stored.
CREATE OR REPLACE FUNCTION org_tally(org text, q quarter, revision integer DEFAULT NULL)
	RETURNS tally
	LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER AS $$
DECLARE
	rev integer := published_revision(q, revision);
	result tally;
	t date;
BEGIN
	PERFORM require_org(org);
	IF rev IS NOT NULL THEN
		SELECT sum(r.tally) INTO result
		  FROM publication_org top
		  JOIN publication_org sub ON sub.q = top.q AND sub.revision = top.revision
								  AND sub.path <@ top.path
		  JOIN rollup r ON r.q = sub.q AND r.revision = sub.revision AND r.org = sub.org
		 WHERE top.q = org_tally.q AND top.revision = rev AND top.org = org_tally.org;
	ELSE
		t := quarter_as_of(q);
		SELECT issuelist.tally(org_tally.q, t, i.list_position, i.severity,
				i.origin, i.state, i.found_on, i.due_on, i.closed_on,
				i.reopen_count, i.tolerated)
		  INTO result
		  FROM issues_as_of(t) i
		 WHERE i.org IN (SELECT subtree(org_tally.org));
	END IF;
	RETURN coalesce(result, empty_tally(q, tally_day(q)));
END $$;
COMMENT ON FUNCTION org_tally(text, quarter, integer) IS
	'the tally of an organization''s whole subtree for a quarter: summed from its publication (the subtree as published), else computed live; error IL005 for an unknown organization';

-- A publication's two reads of the history side by side: the rows of
-- publication_official for revision rev of quarter q as of day t
-- (responsible_tallies_pass), and history_heads_digest(), taken in a
-- parallel worker of its own while this backend runs the pass (in C:
-- extension/digest_worker.c; without a worker, one after the other).
CREATE OR REPLACE FUNCTION tallies_beside_digest(q quarter, t date, rev integer,
												 OUT people publication_official[],
												 OUT digest bytea)
	AS 'MODULE_PATHNAME', 'tallies_beside_digest'
	LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION tallies_beside_digest(quarter, date, integer) IS
	'the officials'' tallies of quarter q as of day t as rows of publication_official for revision rev, and history_heads_digest(), read side by side (the digest in a parallel worker): freeze_quarter''s reads of the history';
REVOKE ALL ON FUNCTION tallies_beside_digest(quarter, date, integer) FROM PUBLIC;

-- Publish a quarter.  The admin's step; it runs with the owner's rights so
-- that the rollup counts every issue, not those the caller's row security
-- shows.  Writers of the history wait while it runs (a SHARE lock), so the
-- digest covers exactly the events recorded before it.
CREATE OR REPLACE FUNCTION freeze_quarter(q quarter, reason text DEFAULT NULL) RETURNS integer
	LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
	rev integer;
	t date := upper(q);
	now_ts timestamptz;
	people publication_official[];
	tallies rollup[];
	chain_digest bytea;
BEGIN
	PERFORM require_role(acting_login(), '{}', 'publish quarters');
	IF q IS NULL THEN
		RAISE EXCEPTION 'the quarter is required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF t >= current_date THEN
		RAISE EXCEPTION 'quarter % is not over: it can be published from %', q, t + 1
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- One publication at a time, so revisions are consecutive; the history
	-- holds still while it is read.
	LOCK TABLE quarter_freeze IN SHARE ROW EXCLUSIVE MODE;
	LOCK TABLE issue_event IN SHARE MODE;
	now_ts := clock_timestamp();
	SELECT coalesce(max(f.revision), 0) + 1 INTO rev
	  FROM quarter_freeze f WHERE f.q = freeze_quarter.q;
	IF rev > 1 AND (reason IS NULL OR btrim(reason) = '') THEN
		RAISE EXCEPTION 'quarter % is already published (revision %): publishing it again needs a reason',
			q, rev - 1
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Call freeze_quarter(q, reason => ''why the published numbers are revised'').';
	END IF;
	-- The one pass over the history, by organization and official
	-- responsible, and the digest, read side by side (a statement that
	-- writes may not run in parallel; tallies_beside_digest); an
	-- organization's tally is the exact sum of its officials' and of its
	-- unassigned issues'.  Then the publication's header with the number
	-- of issues it counted, and its rollup.  The pass runs in parallel
	-- workers inside responsible_tallies_pass (which see).
	SELECT r.people, r.digest INTO people, chain_digest
	  FROM tallies_beside_digest(q, t, rev) r;
	tallies := ARRAY(SELECT ROW(freeze_quarter.q, rev, p.org, sum(p.tally), now_ts)::rollup
					   FROM unnest(people) p GROUP BY p.org);
	INSERT INTO quarter_freeze (q, revision, as_of, computed_at, computed_by,
								issues, reason, digest)
		SELECT freeze_quarter.q, rev, t, now_ts, acting_login(),
			   coalesce(sum(tally_count(x.tally, 'issues')), 0),
			   nullif(btrim(reason), ''), chain_digest
		  FROM unnest(tallies) x;
	INSERT INTO rollup SELECT * FROM unnest(tallies);
	PERFORM publish_context(q, rev, t,
							ARRAY(SELECT p FROM unnest(people) p WHERE p.official IS NOT NULL));
	RETURN rev;
END $$;
COMMENT ON FUNCTION freeze_quarter(quarter, text) IS
	'publish a quarter (issuelist_admin): its rollup (one tally per organization as of its last day, from the history), every score model''s weights, the organizations and lists as they are, each official''s tally and the digest of the history; a new revision needs a reason; returns the revision';

-- The people of a quarter as of day t, from the history and the posts:
-- each official's tally of the issues they were responsible for on t, by
-- organization, with those clarified by t; and every post held in the
-- quarter up to t, with the days in post.  A publication stores these; the
-- readers of a quarter not published compute them (quarter_posts,
-- quarter_official_tallies).  Caller's rights: row security shows an
-- editor its subtrees' issues (freeze_quarter runs as the owner).
CREATE OR REPLACE FUNCTION live_responsible_tallies(q quarter, t date)
	RETURNS TABLE (org text, official text, tally tally, clarified bigint)
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 1000
-- A body the planner inlines, so that it plans with the caller's day.
--
-- Only the issues in the quarter's scope are tallied (issues_in_scope: at
-- a million issues, the open ones, those closed since the first day and
-- those changed after t, about one in nine for the last quarter): an issue
-- closed or withdrawn before the quarter adds nothing to a tally.  Each
-- organization and official with such issues alone still has its row,
-- with the empty tally the aggregate gives them: the pairs of the index
-- on (official, org), one step down it per pair, and for each pair not
-- tallied one probe for an issue out of scope; NULL officials per
-- organization.  The clarified issues out of scope are counted apart (the
-- partial index on clarifications; there are few).  The same rows as
-- tallying every issue, in 0.37 s instead of 0.93 s at a million issues.
BEGIN ATOMIC
	WITH RECURSIVE counted AS (
		SELECT i.org, i.official,
			   tally(live_responsible_tallies.q, live_responsible_tallies.t, i.list_position,
					 i.severity, i.origin, i.state, i.found_on, i.due_on, i.closed_on,
					 i.reopen_count,
					 coalesce(live_responsible_tallies.t <= i.tolerated_until, false)) AS tally,
			   count(c.issue) AS clarified
		  FROM issues_in_scope(live_responsible_tallies.t, lower(live_responsible_tallies.q)) i
		  -- clarified_by(i.id, t) for every issue, as one set
		  LEFT JOIN (SELECT DISTINCT e.issue FROM issue_event e
					  WHERE e.event = 'clarified' AND e.on_date <= live_responsible_tallies.t) c
				 ON c.issue = i.id
		 GROUP BY i.org, i.official
	), out_of_scope AS NOT MATERIALIZED (
		-- found by t, unchanged since, closed or withdrawn before the
		-- quarter (each use below reads it through its own index)
		SELECT i.id, i.org, i.official FROM issue i
		 WHERE i.found_on <= live_responsible_tallies.t
		   AND i.last_event_on <= live_responsible_tallies.t
		   AND i.closed_on < lower(live_responsible_tallies.q)
	), clarified_out_of_scope AS (
		SELECT i.org, i.official, count(*) AS clarified
		  FROM (SELECT DISTINCT e.issue FROM issue_event e
				 WHERE e.event = 'clarified' AND e.on_date <= live_responsible_tallies.t) c
		  JOIN out_of_scope i ON i.id = c.issue
		 GROUP BY i.org, i.official
	), named AS (
		-- every (official, org) of an issue with an official, in index order
		(SELECT i.official, i.org FROM issue i WHERE i.official IS NOT NULL
		  ORDER BY i.official, i.org LIMIT 1)
		UNION ALL
		SELECT n.official, n.org
		  FROM named p,
			   LATERAL (SELECT i.official, i.org FROM issue i
						 WHERE (i.official, i.org) > (p.official, p.org)
						 ORDER BY i.official, i.org LIMIT 1) n
	)
	SELECT c.org, c.official, c.tally, c.clarified + coalesce(x.clarified, 0)
	  FROM counted c
	  LEFT JOIN clarified_out_of_scope x
			 ON x.org = c.org AND x.official IS NOT DISTINCT FROM c.official
	UNION ALL
	SELECT p.org, p.official, empty_tally(live_responsible_tallies.q, live_responsible_tallies.t),
		   coalesce(x.clarified, 0)
	  FROM named p
	  LEFT JOIN clarified_out_of_scope x ON x.org = p.org AND x.official = p.official
	 WHERE NOT EXISTS (SELECT FROM counted c WHERE c.org = p.org AND c.official = p.official)
	   AND EXISTS (SELECT FROM out_of_scope i WHERE i.official = p.official AND i.org = p.org)
	UNION ALL
	SELECT o.code, NULL, empty_tally(live_responsible_tallies.q, live_responsible_tallies.t),
		   coalesce(x.clarified, 0)
	  FROM org o
	  LEFT JOIN clarified_out_of_scope x ON x.org = o.code AND x.official IS NULL
	 WHERE NOT EXISTS (SELECT FROM counted c WHERE c.org = o.code AND c.official IS NULL)
	   AND EXISTS (SELECT FROM out_of_scope i WHERE i.official IS NULL AND i.org = o.code);
END;
COMMENT ON FUNCTION live_responsible_tallies(quarter, date) IS
	'each organization''s tally by the official responsible for its issues on day t (official NULL: no one), and how many were clarified by then: the officials'' tallies, and summed by organization its own tally, in one pass';

-- live_responsible_tallies as one query that may run in parallel workers,
-- for freeze_quarter: PostgreSQL 15 runs a query in parallel only when
-- all its rows are asked for, which a PL/pgSQL assignment or SELECT INTO
-- never does (it asks for one or two) and RETURN QUERY does.  EXECUTE
-- plans it with the day's value every time (a cached generic plan would
-- not know how few issues changed after it).
CREATE OR REPLACE FUNCTION responsible_tallies_pass(q quarter, t date)
	RETURNS TABLE (org text, official text, tally tally, clarified bigint)
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 1000 AS $$
BEGIN
	RETURN QUERY EXECUTE
		'SELECT * FROM issuelist.live_responsible_tallies($1, $2)' USING q, t;
END $$;
COMMENT ON FUNCTION responsible_tallies_pass(quarter, date) IS
	'live_responsible_tallies(q, t), run so that it may use parallel workers (freeze_quarter''s pass over the history)';

CREATE OR REPLACE FUNCTION live_official_tallies(q quarter, t date)
	RETURNS TABLE (org text, official text, tally tally, clarified bigint)
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 1000
-- Inlined with live_responsible_tallies: the condition on the official
-- goes below its GROUP BY.
BEGIN ATOMIC
	SELECT r.org, r.official, r.tally, r.clarified
	  FROM live_responsible_tallies(live_official_tallies.q, live_official_tallies.t) r
	 WHERE r.official IS NOT NULL;
END;
COMMENT ON FUNCTION live_official_tallies(quarter, date) IS
	'each official''s tally of the issues they were responsible for on day t, by organization, and how many were clarified by then (what a publication stores)';

CREATE OR REPLACE FUNCTION live_posts(q quarter, t date)
	RETURNS TABLE (org text, title text, official text, name text, from_day date,
				   to_day date, days_in_post integer)
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 1000 AS $$
	SELECT p.org, p.title, p.official, f.name, p.from_day, p.to_day,
		   least(coalesce(p.to_day, t), t) - greatest(p.from_day, lower(q)) + 1
	  FROM issuelist.post p
	  JOIN issuelist.official f ON f.code = p.official
	 WHERE p.from_day <= t AND (p.to_day IS NULL OR p.to_day >= lower(q))
$$;
COMMENT ON FUNCTION live_posts(quarter, date) IS
	'every post held in a quarter up to day t, with its holder''s name and the days in post within the quarter (what a publication stores)';

-- The posts of a quarter and the officials' tallies: as published (the
-- latest revision, or the one given), else live as of quarter_as_of(q).
CREATE OR REPLACE FUNCTION quarter_posts(q quarter, revision integer DEFAULT NULL)
	RETURNS TABLE (org text, title text, official text, name text, from_day date,
				   to_day date, days_in_post integer)
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 1000 AS $$
DECLARE
	rev integer := published_revision(q, revision);
BEGIN
	IF rev IS NOT NULL THEN
		RETURN QUERY SELECT p.org, p.title, p.official, p.name, p.from_day, p.to_day,
							p.days_in_post
					   FROM publication_post p WHERE p.q = quarter_posts.q AND p.revision = rev;
	ELSE
		RETURN QUERY SELECT * FROM live_posts(q, quarter_as_of(q));
	END IF;
END $$;
COMMENT ON FUNCTION quarter_posts(quarter, integer) IS
	'the posts held in a quarter with their holders and days in post: as published, else live up to quarter_as_of(q)';

CREATE OR REPLACE FUNCTION quarter_official_tallies(q quarter, revision integer DEFAULT NULL)
	RETURNS TABLE (org text, official text, tally tally, clarified bigint)
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 1000 AS $$
DECLARE
	rev integer := published_revision(q, revision);
BEGIN
	IF rev IS NOT NULL THEN
		RETURN QUERY SELECT p.org, p.official, p.tally, p.clarified
					   FROM publication_official p
					  WHERE p.q = quarter_official_tallies.q AND p.revision = rev;
	ELSE
		RETURN QUERY SELECT * FROM live_official_tallies(q, quarter_as_of(q));
	END IF;
END $$;
COMMENT ON FUNCTION quarter_official_tallies(quarter, integer) IS
	'each official''s tally and clarifications of a quarter by organization, as the caller may read them (row security: its subtrees): as published, else live as of quarter_as_of(q)';

-- What a publication stores beside its rollup: every score model's weights,
-- the organizations, the lists, and each official's tally.  (The upgrade
-- from 1.0 calls it for the quarters 1.0 froze.)
CREATE OR REPLACE FUNCTION publish_context(q quarter, rev integer, t date,
		officials publication_official[] DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	INSERT INTO publication_model
		SELECT q, rev, m.name, m.version, w.w_list, w.w_severity, w.w_origin,
			   w.overdue_rate, w.closed_on_time, w.closed_late, w.recurrence_rate, w.k
		  FROM score_model m CROSS JOIN LATERAL model_weights(m.name) w;
	INSERT INTO publication_org
		SELECT q, rev, o.code, o.name, o.name_zh, o.level, o.parent, o.path FROM org o;
	INSERT INTO publication_list
		SELECT q, rev, l.position, l.code, l.name, l.name_zh FROM list l;
	IF officials IS NULL THEN
		INSERT INTO publication_official
			SELECT q, rev, c.org, c.official, c.tally, c.clarified FROM live_official_tallies(q, t) c;
	ELSE
		INSERT INTO publication_official SELECT * FROM unnest(officials);
	END IF;
	INSERT INTO publication_post
		SELECT q, rev, p.org, p.title, p.official, p.name, p.from_day, p.to_day, p.days_in_post
		  FROM live_posts(q, t) p;
END $$;
COMMENT ON FUNCTION publish_context(quarter, integer, date, publication_official[]) IS
	'store with a publication every score model''s weights, the organizations and lists as they are, each official''s tally and clarifications as of its day (officials: as the caller computed them, else live_official_tallies), and the posts held in the quarter';

-- Whether the history still produces the digest a publication stored.
CREATE OR REPLACE FUNCTION verify_quarter(q quarter, revision integer DEFAULT NULL)
	RETURNS boolean
	LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
DECLARE
	f quarter_freeze;
BEGIN
	SELECT * INTO f FROM quarter_freeze x
	 WHERE x.q = verify_quarter.q
	   AND x.revision = coalesce(verify_quarter.revision, frozen_revision(verify_quarter.q));
	IF NOT FOUND THEN
		RAISE EXCEPTION 'quarter % has no publication%', q, coalesce(' revision ' || revision, '')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'verify_quarter checks a published quarter (freeze_quarter).';
	END IF;
	RETURN f.digest IS NOT DISTINCT FROM history_digest(f.computed_at);
END $$;
COMMENT ON FUNCTION verify_quarter(quarter, integer) IS
	'whether the history recorded before a publication (the latest revision, or the one given) still produces the digest it stored: false when any of those events was changed, removed or added';

-- org_tallies and org_tally run as the owner and reveal what rankings
-- publish anyway, so anyone may call them (as in 1.0).
REVOKE ALL ON FUNCTION freeze_quarter(quarter, text),
	publish_context(quarter, integer, date, publication_official[]),
	verify_quarter(quarter, integer)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION freeze_quarter(quarter, text) TO issuelist_admin;
GRANT EXECUTE ON FUNCTION verify_quarter(quarter, integer)
	TO issuelist_admin, issuelist_verifier, issuelist_auditor;

-- A score of a published quarter under weights other than the published
-- ones is a what-if: scalar readers (score, explain_score) say so.
CREATE OR REPLACE FUNCTION notice_what_if(q quarter, w score_weights) RETURNS void
	LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
	IF NOT w.published AND frozen_revision(q) IS NOT NULL THEN
		RAISE NOTICE 'what-if: quarter % is published, and not under % version %', q, w.model, w.version
			USING HINT = 'The published numbers are those under the model''s stored version (name the model without @version).';
	END IF;
END $$;
COMMENT ON FUNCTION notice_what_if(quarter, score_weights) IS
	'a NOTICE when a published quarter is scored under weights it was not published with (a what-if)';
