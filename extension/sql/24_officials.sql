
-- ---------------------------------------------------------------------------
-- Officials as people (docs/officials.md): posts held over time, and how a
-- code or a name typed where an official is expected finds the person.
--
--   IL020  unknown official (a code or a name nobody has)
--   IL021  a name shared by several officials (the message lists their codes)
--   IL022  a post that overlaps another holder's, or ends before it starts
--          (the message names the conflicting post)
--
-- Everything here is new in 1.1, so the upgrade from 1.0 runs this
-- fragment as it is (extension/upgrade/1.0--1.1/ links to it).
-- ---------------------------------------------------------------------------

-- Who held which post where and when: one holder of a title per
-- organization on any day (btree_gist gives the exclusion constraint its
-- equality on text).  to_day NULL: still in post.
CREATE TABLE post (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	official text NOT NULL REFERENCES official,
	org text NOT NULL REFERENCES org,
	title text NOT NULL CONSTRAINT post_title_is_a_word CHECK (title ~ '^[a-z][a-z0-9_]{0,31}$'),
	from_day date NOT NULL,
	to_day date,
	synthetic boolean NOT NULL DEFAULT false,
	CONSTRAINT post_ends_after_start CHECK (to_day >= from_day),
	CONSTRAINT post_one_holder EXCLUDE USING gist
		(org WITH =, title WITH =, daterange(from_day, to_day, '[]') WITH &&)
);
CREATE INDEX post_official ON post (official);
COMMENT ON TABLE post IS
	'the posts held: an official, an organization, a title (secretary, head...) and the days; one holder of a title per organization on any day (appoint, leave_post)';
COMMENT ON COLUMN post.id IS 'internal number';
COMMENT ON COLUMN post.official IS 'the official''s code';
COMMENT ON COLUMN post.org IS 'the organization';
COMMENT ON COLUMN post.title IS 'the title: secretary (Party secretary), head (government head), or any the deployment adds';
COMMENT ON COLUMN post.from_day IS 'the first day in post';
COMMENT ON COLUMN post.to_day IS 'the last day in post; NULL while in post';
COMMENT ON COLUMN post.synthetic IS 'made up by the sample generator';
SELECT pg_catalog.pg_extension_config_dump('post', '');
SELECT pg_catalog.pg_extension_config_dump('post_id_seq', '');

-- The next generated code: P000001, P000002...
CREATE FUNCTION generate_official_code() RETURNS text
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	SELECT 'P' || lpad(nextval('official_code_seq')::text, 6, '0');
END;
COMMENT ON FUNCTION generate_official_code() IS
	'the next generated official code (P000001...), from the sequence official_code_seq';

-- A post as words, for messages: "secretary of 330782 (Yiwu) held by
-- P000001 (Wang Wei) from 2024-01-01 to 2024-06-30".
CREATE FUNCTION post_text(p post) RETURNS text
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT format('%s of %s (%s) held by %s (%s) from %s%s', (p).title, (p).org,
				  (SELECT o.name FROM org o WHERE o.code = (p).org), (p).official,
				  (SELECT f.name FROM official f WHERE f.code = (p).official),
				  (p).from_day, coalesce(' to ' || (p).to_day, ''));
END;
COMMENT ON FUNCTION post_text(post) IS
	'a post in words, for messages: title, organization, holder and days';

-- The official a code or a name stands for.  A code is itself; a name is
-- the one official with that name among the organization's post holders
-- (when org is given), else among everybody.  A name nobody has is an
-- error (IL020) or, with create, a new official with a generated code
-- (first named in org; a NOTICE says so); a name shared by several people
-- is refused with their codes (IL021).
CREATE FUNCTION find_official(official text, org text DEFAULT NULL,
							  create_missing boolean DEFAULT false) RETURNS text
	LANGUAGE plpgsql AS $$
DECLARE
	codes text[];
	code text;
BEGIN
	IF official IS NULL OR btrim(official) = '' THEN
		RAISE EXCEPTION 'the official is required'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF org IS NOT NULL THEN
		PERFORM require_org(org);
	END IF;
	IF EXISTS (SELECT FROM issuelist.official f WHERE f.code = find_official.official) THEN
		RETURN official;
	END IF;
	-- A name: among the organization's officials (first named there, or
	-- holding a post there), else among everybody; a registration creates
	-- a name its organization does not know (unless add_official added it
	-- and it is placed nowhere yet).
	IF org IS NOT NULL THEN
		SELECT array_agg(f.code ORDER BY f.code) INTO codes
		  FROM issuelist.official f
		 WHERE f.name = find_official.official
		   AND (f.org = find_official.org
				OR EXISTS (SELECT FROM post p WHERE p.official = f.code
											  AND p.org = find_official.org));
	END IF;
	IF codes IS NULL THEN
		-- A registration does not take a name known only elsewhere (it is
		-- another person's until a post or a code says otherwise), but may
		-- take one added by add_official and not yet placed anywhere.
		SELECT array_agg(f.code ORDER BY f.code) INTO codes
		  FROM issuelist.official f
		 WHERE f.name = find_official.official
		   AND (NOT (create_missing AND find_official.org IS NOT NULL)
				OR (f.org IS NULL AND NOT EXISTS (SELECT FROM post p WHERE p.official = f.code)));
	END IF;
	IF cardinality(codes) = 1 THEN
		RETURN codes[1];
	ELSIF cardinality(codes) > 1 THEN
		RAISE EXCEPTION 'official name "%" is shared by % people: %', official,
			cardinality(codes), array_to_string(codes, ', ')
			USING ERRCODE = 'IL021',
				  HINT = 'Give the official''s code instead of the name.';
	ELSIF NOT create_missing THEN
		RAISE EXCEPTION 'unknown official "%"', official
			USING ERRCODE = 'IL020',
				  HINT = 'Give an official''s code or name (issuelist.official); add_official adds one.';
	END IF;
	code := generate_official_code();
	INSERT INTO issuelist.official (name, org, code) VALUES (btrim(official), org, code);
	RAISE NOTICE 'official "%" was not known: added with code %', official, code;
	RETURN code;
END $$;
COMMENT ON FUNCTION find_official(text, text, boolean) IS
	'the code of the official a code or name stands for (a name: unique among the organization''s officials, first named there or holding a post there, else among everybody; with create_missing the organization''s, or one placed nowhere yet); IL021 listing the codes when several people share the name; an unknown one is IL020, or with create_missing a new official with a generated code (NOTICE)';

CREATE FUNCTION add_official(code text, name text) RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	c text := coalesce(nullif(btrim(add_official.code), ''), generate_official_code());
BEGIN
	PERFORM require_role(acting_login(), '{issuelist_editor,issuelist_verifier}', 'add officials');
	PERFORM require_text(add_official.name, 'the official''s name');
	IF c !~ '^[A-Za-z0-9_.-]{1,32}$' THEN
		RAISE EXCEPTION 'official code "%" is not a code: 1 to 32 letters, digits, _ . -', c
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF EXISTS (SELECT FROM official f WHERE f.code = c) THEN
		RAISE EXCEPTION 'official code "%" is taken by %', c,
			(SELECT f.name FROM official f WHERE f.code = c)
			USING ERRCODE = 'unique_violation';
	END IF;
	INSERT INTO official (name, code) VALUES (btrim(add_official.name), c);
	RETURN c;
END $$;
COMMENT ON FUNCTION add_official(text, text) IS
	'add an official (a person): code NULL generates one (P000001...); returns the code; 23505 when the code is taken';

-- Appoint an official to a post from a day: the previous holder's post
-- ends the day before.  A holder appointed from that day or later is a
-- conflict (IL022), never overwritten.
CREATE FUNCTION appoint(official text, org text, title text, from_day date) RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	who text;
	clash post;
	id bigint;
BEGIN
	PERFORM require_role(acting_login(), '{}', 'appoint officials');
	PERFORM require_org(appoint.org);
	PERFORM require_text(appoint.title, 'the title');
	IF appoint.title !~ '^[a-z][a-z0-9_]{0,31}$' THEN
		RAISE EXCEPTION 'invalid title "%"', appoint.title
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'A title is a word of lower-case letters, digits and underscores, as secretary or head.';
	END IF;
	IF appoint.from_day IS NULL THEN
		RAISE EXCEPTION 'the first day in post is required'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	who := find_official(appoint.official, appoint.org);
	LOCK TABLE post IN SHARE ROW EXCLUSIVE MODE;
	SELECT * INTO clash FROM post p
	 WHERE p.org = appoint.org AND p.title = appoint.title
	   AND p.from_day >= appoint.from_day
	 ORDER BY p.from_day LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'cannot appoint % as % of % from %: it overlaps the post %',
			who, appoint.title, appoint.org, appoint.from_day, post_text(clash)
			USING ERRCODE = 'IL022',
				  HINT = 'An appointment ends the previous holder''s post; a later holder''s post is changed by hand.';
	END IF;
	UPDATE post p SET to_day = appoint.from_day - 1
	 WHERE p.org = appoint.org AND p.title = appoint.title
	   AND p.from_day < appoint.from_day
	   AND (p.to_day IS NULL OR p.to_day >= appoint.from_day);
	INSERT INTO post (official, org, title, from_day)
		VALUES (who, appoint.org, appoint.title, appoint.from_day)
		RETURNING post.id INTO id;
	RETURN id;
END $$;
COMMENT ON FUNCTION appoint(text, text, text, date) IS
	'appoint an official (code, or a unique name) to a title in an organization from a day (issuelist_admin): the previous holder''s post ends the day before; IL022 naming the post when a holder starts on or after that day; returns the post''s id';

-- End an official's post on a day (the last day in post).
CREATE FUNCTION leave_post(official text, org text, title text, to_day date) RETURNS date
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	who text;
	p post;
BEGIN
	PERFORM require_role(acting_login(), '{}', 'end posts');
	PERFORM require_org(leave_post.org);
	IF leave_post.to_day IS NULL THEN
		RAISE EXCEPTION 'the last day in post is required'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	who := find_official(leave_post.official, leave_post.org);
	SELECT * INTO p FROM post x
	 WHERE x.official = who AND x.org = leave_post.org AND x.title = leave_post.title
	 ORDER BY x.from_day DESC LIMIT 1 FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'official % never held the post % of %', who, leave_post.title, leave_post.org
			USING ERRCODE = 'IL022';
	ELSIF leave_post.to_day < p.from_day THEN
		RAISE EXCEPTION 'the post % cannot end on %, before it starts', post_text(p), leave_post.to_day
			USING ERRCODE = 'IL022';
	ELSIF p.to_day IS NOT NULL AND leave_post.to_day > p.to_day THEN
		RAISE EXCEPTION 'the post % has ended: it cannot end later, on %', post_text(p), leave_post.to_day
			USING ERRCODE = 'IL022',
				  HINT = 'Appoint the official again for a new post.';
	END IF;
	UPDATE post x SET to_day = leave_post.to_day WHERE x.id = p.id;
	RETURN leave_post.to_day;
END $$;
COMMENT ON FUNCTION leave_post(text, text, text, date) IS
	'end an official''s (latest) post of a title in an organization on a day, the last in post (issuelist_admin); IL022 naming the post when it would end before it starts, or later than it ended';

-- The holder of a post on a day (NULL: vacant).
CREATE FUNCTION post_holder(org text, title text, day date) RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT p.official FROM post p
	 WHERE p.org = post_holder.org AND p.title = post_holder.title
	   AND p.from_day <= day AND (p.to_day IS NULL OR p.to_day >= day);
END;
COMMENT ON FUNCTION post_holder(text, text, date) IS
	'the code of the official holding a title in an organization on a day; NULL when vacant';

REVOKE ALL ON FUNCTION generate_official_code(), post_text(post),
	find_official(text, text, boolean), add_official(text, text),
	appoint(text, text, text, date), leave_post(text, text, text, date),
	post_holder(text, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION add_official(text, text)
	TO issuelist_admin, issuelist_editor, issuelist_verifier;
GRANT EXECUTE ON FUNCTION appoint(text, text, text, date), leave_post(text, text, text, date)
	TO issuelist_admin;
GRANT EXECUTE ON FUNCTION find_official(text, text, boolean), post_holder(text, text, date),
	post_text(post)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;

-- Responsibility over time: an issue's official on a day is the new value
-- of its last assignment effective by then; before its first assignment,
-- the one it was registered with (that assignment's old value).
CREATE INDEX issue_event_assignments ON issue_event (issue, seq) WHERE event = 'assignment';
COMMENT ON INDEX issue_event_assignments IS 'the assignments of an issue''s official (official_as_of)';
CREATE FUNCTION official_as_of(issue bigint, official text, day date) RETURNS text
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE WHEN EXISTS (SELECT FROM issue_event e
							  WHERE e.issue = official_as_of.issue AND e.event = 'assignment')
		   THEN (SELECT CASE WHEN e.on_date <= day THEN e.new_value ELSE e.old_value END
				   FROM issue_event e
				  WHERE e.issue = official_as_of.issue AND e.event = 'assignment'
				  ORDER BY e.on_date <= day DESC,
						   CASE WHEN e.on_date <= day THEN -e.seq ELSE e.seq END
				  LIMIT 1)
		   ELSE official END;
END;
COMMENT ON FUNCTION official_as_of(bigint, text, date) IS
	'the code of the official responsible for an issue on a day: the last assignment effective by then, else the one registered (its first assignment''s old value); official is the issue''s current one';
REVOKE ALL ON FUNCTION official_as_of(bigint, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION official_as_of(bigint, text, date)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
