
-- ---------------------------------------------------------------------------
-- Who is acting as what, and on which subtrees: the checks every workflow
-- step makes (docs/roles-and-security.md).
--
-- They are PL/pgSQL: 1.0 had them as SQL functions, which the planner
-- cannot inline (a FROM or a sub-select), so PostgreSQL 15 parsed and
-- planned them again in every transaction that called them from
-- PL/pgSQL, each step several times.  PL/pgSQL keeps its plans for the
-- session.  Only CREATE OR REPLACE here: the upgrade from 1.0 runs this
-- fragment as it is (extension/upgrade/1.0--1.1/ links to it).
-- ---------------------------------------------------------------------------

-- The issuelist role a login acts as for a step open to some roles:
-- issuelist_admin when it holds it, else the first of those it holds.
CREATE OR REPLACE FUNCTION acting_role(login name, allowed name[]) RETURNS name
	LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	r name;
BEGIN
	FOREACH r IN ARRAY '{issuelist_admin}'::name[] || allowed LOOP
		IF pg_catalog.pg_has_role(login, r, 'USAGE') THEN
			RETURN r;
		END IF;
	END LOOP;
	RETURN NULL;
END $$;
COMMENT ON FUNCTION acting_role(name, name[]) IS
	'the role a login acts as for a step open to the given roles: issuelist_admin if it holds it, else the first given role it holds; NULL if none';

-- The organizations of the subtrees a login was granted with grant_org().
-- Row security calls it once per query (as an InitPlan).  It runs as the
-- owner: org_member is itself under row security (29_people_access.sql).
CREATE OR REPLACE FUNCTION visible_orgs(login name) RETURNS text[]
	LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER AS $$
BEGIN
	RETURN (SELECT coalesce(array_agg(o.code ORDER BY o.code), '{}')
			  FROM org o
			 WHERE EXISTS (SELECT FROM org_member m JOIN org top ON top.code = m.org
						   WHERE m.login = visible_orgs.login AND o.path <@ top.path));
END $$;
COMMENT ON FUNCTION visible_orgs(name) IS
	'the codes of every organization in the subtrees granted to a login (grant_org)';

-- May the login work on (or see) this organization's issues?  An admin or
-- an auditor (when reading) covers everything; others their subtrees.
CREATE OR REPLACE FUNCTION covers(login name, org text, roles_everywhere name[]) RETURNS boolean
	LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	r name;
BEGIN
	FOREACH r IN ARRAY coalesce(roles_everywhere, '{}') LOOP
		IF pg_catalog.pg_has_role(login, r, 'USAGE') THEN
			RETURN true;
		END IF;
	END LOOP;
	RETURN org = ANY (visible_orgs(login));
END $$;
COMMENT ON FUNCTION covers(name, text, name[]) IS
	'true when the login holds one of the given roles, or the organization is in its subtrees';
