
-- ---------------------------------------------------------------------------
-- Privacy of people (docs/roles-and-security.md): official, post and
-- org_member are under row security by subtree, as issues are
-- (28_access.sql), except that the holders of the posts of ranked
-- organizations (county and above) are public, as rankings are.
-- Issue-level responsibility, other officials and logins are not.  After 28_access.sql, so that the grants come in the
-- same order on a fresh install and on an upgrade from 1.0.  The upgrade
-- runs this fragment as it is (extension/upgrade/1.0--1.1/ links to it).
-- ---------------------------------------------------------------------------

-- The officials a login may read.
CREATE FUNCTION visible_officials(login name) RETURNS text[]
	LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE AS $$
	SELECT coalesce(array_agg(DISTINCT c), '{}') FROM (
		SELECT p.official FROM post p JOIN org o ON o.code = p.org
		 WHERE org_level_rank(o.level) <= 3 OR p.org = ANY (visible_orgs(login))
		UNION ALL
		SELECT f.code FROM official f WHERE f.org = ANY (visible_orgs(login))
		UNION ALL
		SELECT i.official FROM issue i
		 WHERE i.official IS NOT NULL AND i.org = ANY (visible_orgs(login))) x(c)
$$;
COMMENT ON FUNCTION visible_officials(name) IS
	'the officials a login may read: holders of posts of ranked organizations, and those of its subtrees (posts, first named, responsible for issues)';

GRANT SELECT ON post TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
GRANT SELECT ON official, post TO issuelist_reader;
ALTER TABLE official ENABLE ROW LEVEL SECURITY;
ALTER TABLE post ENABLE ROW LEVEL SECURITY;
CREATE POLICY official_read_all ON official FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY official_admin_writes ON official FOR ALL
	TO issuelist_admin USING (true) WITH CHECK (true);
CREATE POLICY official_read_subtree ON official FOR SELECT
	TO issuelist_editor, issuelist_verifier
	USING (code = ANY ((SELECT visible_officials(current_user))::text[]));
COMMENT ON POLICY official_read_all ON official IS 'admins and auditors read every official';
COMMENT ON POLICY official_admin_writes ON official IS 'admins edit officials';
COMMENT ON POLICY official_read_subtree ON official IS
	'editors and verifiers read the holders of ranked organizations'' posts and the officials of their subtrees';
-- BI logins read them as editors do (60_bi_schema.sql): the issues view
-- names each issue's official.
CREATE POLICY official_read_bi ON official FOR SELECT
	TO issuelist_reader
	USING (code = ANY ((SELECT visible_officials(current_user))::text[]));
COMMENT ON POLICY official_read_bi ON official IS
	'BI logins (issuelist_reader) read the officials an editor of their subtrees reads';
CREATE POLICY post_read_all ON post FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY post_read_public ON post FOR SELECT
	TO issuelist_editor, issuelist_verifier, issuelist_reader
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[])
		   OR org IN (SELECT o.code FROM org o WHERE org_level_rank(o.level) <= 3));
COMMENT ON POLICY post_read_all ON post IS 'admins and auditors read every post';
COMMENT ON POLICY post_read_public ON post IS
	'editors, verifiers and BI logins read the posts of ranked organizations (public, as rankings are) and of their subtrees';

-- Who works on which subtree is not public either: a login reads its own
-- grants and those on its subtrees (visible_orgs runs as the owner, so the
-- policies do not read this table under themselves).
ALTER TABLE org_member ENABLE ROW LEVEL SECURITY;
CREATE POLICY org_member_read_all ON org_member FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY org_member_read_subtree ON org_member FOR SELECT
	TO issuelist_editor, issuelist_verifier, issuelist_reader
	USING (login = current_user OR org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY org_member_read_all ON org_member IS 'admins and auditors read every login''s subtrees';
COMMENT ON POLICY org_member_read_subtree ON org_member IS
	'editors, verifiers and BI logins read their own grants and the grants on their subtrees';

REVOKE ALL ON FUNCTION visible_officials(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION visible_officials(name)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor, issuelist_reader;
