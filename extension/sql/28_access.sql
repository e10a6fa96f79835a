
-- ---------------------------------------------------------------------------
-- The closed loop: privileges and row security (docs/roles-and-security.md).
--
-- Nobody but the extension's owner writes issues or their history directly:
-- the workflow functions (SECURITY DEFINER, checking the caller's role and
-- subtree) are the only way in, so the closed loop cannot be skipped.
-- Reading goes through row security: editors and verifiers see their
-- subtrees, auditors and admins everything, the reader role nothing here.
-- ---------------------------------------------------------------------------

GRANT USAGE ON SCHEMA @extschema@
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;

GRANT SELECT ON org, list, deadline_policy, official, org_member, indicator,
	issue, issue_event, tolerance
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;

-- Configuration is the admin's.
GRANT INSERT, UPDATE, DELETE ON list, deadline_policy, official, indicator
	TO issuelist_admin;
GRANT UPDATE (name, name_zh, kind) ON org TO issuelist_admin;
-- Nobody updates an issue directly: a correction is an event of its
-- history (correct_issue), and the issue row follows its history
-- (26_history_chain.sql).

ALTER TABLE issue ENABLE ROW LEVEL SECURITY;
ALTER TABLE issue_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE tolerance ENABLE ROW LEVEL SECURITY;

-- The subtree test is a scalar subquery, so it runs once per query (an
-- InitPlan) and the issue's org is compared with a constant array.
CREATE POLICY issue_read_all ON issue FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY issue_read_subtree ON issue FOR SELECT
	TO issuelist_editor, issuelist_verifier
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY issue_read_all ON issue IS 'admins and auditors read every issue';
COMMENT ON POLICY issue_read_subtree ON issue IS
	'editors and verifiers read the issues of their subtrees (grant_org)';

CREATE POLICY issue_event_read_all ON issue_event FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY issue_event_read_subtree ON issue_event FOR SELECT
	TO issuelist_editor, issuelist_verifier
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[])
		   OR issue = ANY ((SELECT issues_moved_into(current_user))::bigint[]));
COMMENT ON POLICY issue_event_read_all ON issue_event IS 'admins and auditors read the whole history';
COMMENT ON POLICY issue_event_read_subtree ON issue_event IS
	'editors and verifiers read the history of their subtrees'' issues';

CREATE POLICY tolerance_read_all ON tolerance FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY tolerance_read_subtree ON tolerance FOR SELECT
	TO issuelist_editor, issuelist_verifier
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[])
		   OR issue = ANY ((SELECT issues_moved_into(current_user))::bigint[]));
COMMENT ON POLICY tolerance_read_all ON tolerance IS 'admins and auditors read every tolerance';
COMMENT ON POLICY tolerance_read_subtree ON tolerance IS
	'editors and verifiers read the tolerances of their subtrees'' issues';

-- Functions: only the issuelist roles may call those of the closed loop
-- (each function file grants its own).  The helpers row security calls run
-- as the caller, so those roles need them too.
REVOKE ALL ON FUNCTION acting_login(), acting_role(name, name[]),
	visible_orgs(name), covers(name, text, name[]),
	require_role(name, name[], text), require_org(text),
	require_issue_id(text), add_org(text, text, text, text, text),
	grant_org(name, text), revoke_org(name, text), subtree(text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION acting_login(), acting_role(name, name[]),
	visible_orgs(name), covers(name, text, name[]),
	require_role(name, name[], text), require_org(text),
	require_issue_id(text), subtree(text)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
GRANT EXECUTE ON FUNCTION add_org(text, text, text, text, text),
	grant_org(name, text), revoke_org(name, text)
	TO issuelist_admin;
