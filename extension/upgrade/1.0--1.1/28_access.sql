
-- 1.1: nobody updates an issue directly; corrections are events
-- (correct_issue), and the issue row follows its history.
REVOKE UPDATE (title, detail, source, official, tags) ON issue FROM issuelist_admin;
DROP POLICY issue_admin_corrects ON issue;
