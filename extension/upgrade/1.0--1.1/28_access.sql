
-- 1.1: nobody updates an issue directly; corrections are events
-- (correct_issue), and the issue row follows its history.
REVOKE UPDATE (title, detail, source, official, tags) ON issue FROM issuelist_admin;
DROP POLICY issue_admin_corrects ON issue;
-- An issue corrected into a subtree brings its earlier history with it
-- (issues_moved_into, 26_history_chain.sql).
ALTER POLICY issue_event_read_subtree ON issue_event
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[])
		   OR issue = ANY ((SELECT issues_moved_into(current_user))::bigint[]));
ALTER POLICY tolerance_read_subtree ON tolerance
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[])
		   OR issue = ANY ((SELECT issues_moved_into(current_user))::bigint[]));
-- org_member comes under row security (29_people_access.sql): the subtree
-- function that policies call reads it as the owner.
ALTER FUNCTION visible_orgs(name) SECURITY DEFINER;
