
-- 1.1: the workflow functions whose arguments change (late_reason, the late
-- flag and a correction's values in the history) are dropped here and
-- created again, with their comments and grants, by 30_workflow.sql (a link
-- to the install fragment), which also creates the type registration again
-- with the functions that take it, and drops tolerance's constraint that
-- the approver is not the requester (a verifier approves what it records).
-- This runs before 21_tables.sql adds columns to issue_event: 1.0's
-- record_event uses that table's row type, which would forbid it.
DROP FUNCTION register_issue(text, text, severity, text, date, date, text, text, text, text);
DROP FUNCTION register_numbered(registration, bigint, name, name);
DROP FUNCTION register_check(registration, name);
DROP TYPE registration;
DROP FUNCTION advance(text, issue_state, text, date);
DROP FUNCTION extend_deadline(text, date, text, date);
DROP FUNCTION tolerate(text, text, text, date, date);
DROP FUNCTION record_event(issue, issue_event, date, name, text, issue_state, issue_state, text);
