
-- ---------------------------------------------------------------------------
-- The closed loop: who is acting, the hierarchy, and who works on which
-- subtree.  docs/roles-and-security.md.
-- ---------------------------------------------------------------------------

-- The login on whose behalf we act.  Inside a SECURITY DEFINER function
-- current_user is the function's owner, but the role GUC still holds what
-- the caller set with SET ROLE (checked by PostgreSQL against membership, so
-- it cannot be forged), and session_user is the login otherwise.
CREATE FUNCTION acting_login() RETURNS name
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE pg_catalog.current_setting('role')
		   WHEN 'none' THEN session_user
		   ELSE pg_catalog.current_setting('role')::name END;
END;
COMMENT ON FUNCTION acting_login() IS
	'the login acting: the role set by SET ROLE, else the session user (also inside SECURITY DEFINER functions)';

-- acting_role(), visible_orgs() and covers() are in 23_org_checks.sql.

-- Fail unless the login holds one of the roles a step needs (or admin).
CREATE FUNCTION require_role(login name, allowed name[], step text) RETURNS name
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	r name := acting_role(login, allowed);
BEGIN
	IF r IS NULL THEN
		RAISE EXCEPTION 'login "%" may not %', login, step
			USING ERRCODE = 'insufficient_privilege',
				  HINT = format('This needs the role %s or issuelist_admin.',
								array_to_string(allowed, ' or '));
	END IF;
	RETURN r;
END $$;
COMMENT ON FUNCTION require_role(name, name[], text) IS
	'the role the login acts as for a step (see acting_role); error 42501 naming the step when it holds none';

-- Fail unless the organization exists (IL005).
CREATE FUNCTION require_org(org text) RETURNS org
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	o org;
BEGIN
	SELECT * INTO o FROM org WHERE org.code = require_org.org;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown organization "%"', coalesce(org, 'NULL')
			USING ERRCODE = 'IL005',
				  HINT = CASE WHEN NOT EXISTS (SELECT FROM org)
						 THEN 'There are no organizations yet: add them with add_org() or load_sample_province().'
						 ELSE 'The organizations are listed in issuelist.org.' END;
	END IF;
	RETURN o;
END $$;
COMMENT ON FUNCTION require_org(text) IS
	'the organization with this code; error IL005 when there is none';

CREATE FUNCTION add_org(code text, name text, parent text, level text,
						name_zh text DEFAULT NULL) RETURNS ltree
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	above org;
	new_path ltree;
BEGIN
	PERFORM require_role(acting_login(), '{}', 'add organizations');
	IF code IS NULL OR code !~ '^[A-Za-z0-9_]{1,64}$' THEN
		RAISE EXCEPTION 'invalid organization code "%"', coalesce(code, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'A code is 1 to 64 letters, digits or underscores.';
	END IF;
	IF name IS NULL OR btrim(name) = '' THEN
		RAISE EXCEPTION 'organization % needs a name', code
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF org_level_rank(level) IS NULL THEN
		RAISE EXCEPTION 'unknown organization level "%"', coalesce(level, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The levels are province, city, county and township.';
	END IF;
	IF EXISTS (SELECT FROM org o WHERE o.code = add_org.code) THEN
		RAISE EXCEPTION 'organization % already exists', code
			USING ERRCODE = 'unique_violation';
	END IF;
	IF parent IS NULL THEN
		new_path := text2ltree(code);
	ELSE
		above := require_org(parent);
		IF org_level_rank(above.level) >= org_level_rank(level) THEN
			RAISE EXCEPTION 'a % cannot be under the % %', level, above.level, above.code
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'The levels go province > city > county > township.';
		END IF;
		new_path := above.path || text2ltree(code);
	END IF;
	INSERT INTO org (code, name, name_zh, parent, level, path)
		VALUES (add_org.code, add_org.name, add_org.name_zh, add_org.parent,
				add_org.level, new_path);
	RETURN new_path;
END $$;
COMMENT ON FUNCTION add_org(text, text, text, text, text) IS
	'add an organization under a parent (NULL for the top) at a lower level; returns its path (issuelist_admin)';

CREATE FUNCTION grant_org(login name, org text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	PERFORM require_role(acting_login(), '{}', 'grant organizations');
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = grant_org.login) THEN
		RAISE EXCEPTION 'role "%" does not exist', coalesce(login, 'NULL')
			USING ERRCODE = 'undefined_object';
	END IF;
	PERFORM require_org(org);
	INSERT INTO org_member (login, org, granted_by)
		VALUES (grant_org.login, grant_org.org, acting_login())
		ON CONFLICT DO NOTHING;
END $$;
COMMENT ON FUNCTION grant_org(name, text) IS
	'let a login work on an organization''s subtree (issuelist_admin); granting twice is harmless';

CREATE FUNCTION revoke_org(login name, org text) RETURNS boolean
	LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	PERFORM require_role(acting_login(), '{}', 'revoke organizations');
	DELETE FROM org_member m WHERE m.login = revoke_org.login AND m.org = revoke_org.org;
	RETURN FOUND;
END $$;
COMMENT ON FUNCTION revoke_org(name, text) IS
	'take back grant_org(login, org) (issuelist_admin); false when there was nothing to take back';

CREATE FUNCTION subtree(org text) RETURNS SETOF text
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 20 AS $$
DECLARE
	top org := require_org(org);
BEGIN
	RETURN QUERY SELECT o.code FROM org o WHERE o.path <@ top.path ORDER BY o.path;
END $$;
COMMENT ON FUNCTION subtree(text) IS
	'the codes of an organization and of everything under it, top down; error IL005 for an unknown one';
