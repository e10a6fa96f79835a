
-- ---------------------------------------------------------------------------
-- Organizations and lists by what people type (docs/client.md): every
-- command of the client, the import and SQL users read names through these.
-- This fragment is also the 1.0--1.1 upgrade's (a link in
-- extension/upgrade/1.0--1.1/), so what 1.0 had is made with CREATE OR
-- REPLACE.
-- ---------------------------------------------------------------------------

-- The organizations a text names, as people type them: the one whose code
-- it is; else every one whose English name (any case) or Chinese name it
-- is; else, when no name matches in full, every one whose Chinese name it is
-- without the administrative suffix (people say 义乌 for 义乌市 and 西湖 for
-- 西湖区).  org_code() and import_check() read organizations through it, so
-- every command and the import accept the same spellings.
CREATE FUNCTION org_matches(org text) RETURNS text[]
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	given text := btrim(org_matches.org);
	found text[];
BEGIN
	IF EXISTS (SELECT FROM org o WHERE o.code = given) THEN
		RETURN ARRAY[given];
	END IF;
	SELECT array_agg(o.code ORDER BY o.code) INTO found
	  FROM org o
	 WHERE lower(o.name) = lower(given) OR o.name_zh = given;
	IF found IS NULL THEN
		SELECT array_agg(o.code ORDER BY o.code) INTO found
		  FROM org o
		 WHERE o.name_zh IN (given || '省', given || '市', given || '县', given || '区');
	END IF;
	RETURN coalesce(found, '{}');
END $$;
COMMENT ON FUNCTION org_matches(text) IS
	'the codes of the organizations a text names (its code; else its English name in any case or Chinese name; else its Chinese name without the suffix 省, 市, 县 or 区), in code order; empty when none: what org_code() and import_check() accept';

-- The code of an organization given by code, English name (any case) or
-- Chinese name: what users type.
CREATE OR REPLACE FUNCTION org_code(org text) RETURNS text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	found text[] := org_matches(org_code.org);
BEGIN
	IF cardinality(found) = 0 THEN
		RAISE EXCEPTION 'unknown organization "%"', org_code.org
			USING ERRCODE = 'IL005',
				  HINT = 'Give its code, English name or Chinese name, as the client''s "orgs" lists them.';
	ELSIF cardinality(found) > 1 THEN
		RAISE EXCEPTION 'organization name "%" is ambiguous', org_code.org
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'It names ' || array_to_string(found, ', ') || ': give the code.';
	END IF;
	RETURN found[1];
END $$;
COMMENT ON FUNCTION org_code(text) IS
	'the code of an organization given by code, English name (any case) or Chinese name (with or without its suffix 省, 市, 县 or 区); error IL005 when none matches, 22023 when a name matches several';

-- The list a text names: its code, else the first (by position) whose
-- English name (any case) or Chinese name it is; NULL when none.
-- list_code() and import_check() read lists through it.
CREATE FUNCTION list_match(list text) RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT l.code
	  FROM list l
	 WHERE l.code = lower(btrim(list_match.list))
		OR lower(l.name) = lower(btrim(list_match.list))
		OR l.name_zh = btrim(list_match.list)
	 ORDER BY l.code <> lower(btrim(list_match.list)), l.position
	 LIMIT 1;
END;
COMMENT ON FUNCTION list_match(text) IS
	'the code of the list a text names (its code, English name in any case or Chinese name), or NULL: what list_code() and import_check() accept';

-- The code of a list given by code, English name or Chinese name.
CREATE OR REPLACE FUNCTION list_code(list text) RETURNS text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	found text := list_match(list_code.list);
BEGIN
	IF found IS NULL THEN
		RAISE EXCEPTION 'unknown list "%"', list_code.list
			USING ERRCODE = 'IL004',
				  HINT = 'The lists are: ' || (SELECT string_agg(l.code, ', ' ORDER BY l.position) FROM list l) || '.';
	END IF;
	RETURN found;
END $$;
COMMENT ON FUNCTION list_code(text) IS
	'the code of a list given by code, English name or Chinese name; error IL004 when none matches';
