
-- ---------------------------------------------------------------------------
-- The BI surface (docs/bi-guide.md): schema issuelist_bi holds flat views
-- with plain types only (text, integer, bigint, numeric, boolean, date,
-- timestamptz), a description on every view and column, for BI tools that
-- connect with their stock PostgreSQL drivers and know nothing of our types.
--
-- Every view is security_invoker, so row security of the base tables holds
-- for the login that reads it.  A security_invoker view checks the base
-- tables' privileges against that login, so issuelist_reader is granted
-- SELECT on the tables the views read (68_bi_reader.sql) but no USAGE on
-- schema issuelist: it cannot name them, and reads them only through the
-- views.  Fragments 60-69 make this surface; 68 grants it to the role.
-- ---------------------------------------------------------------------------

CREATE SCHEMA issuelist_bi;
COMMENT ON SCHEMA issuelist_bi IS
	'issuelist for BI tools: flat, plain-typed, described reporting views (docs/bi-guide.md)';

-- Dashboards filter issues by list ("WHERE list_code = 'audit'"), usually
-- with a range of found days.  Without this index such a filter reads every
-- issue; with it the planner can go straight to the list's issues.
CREATE INDEX issue_list_found_on ON issue (list, found_on);
COMMENT ON INDEX issue_list_found_on IS
	'BI: lets a filter on the list (and found days) of issuelist_bi.issues use an index instead of reading every issue';

-- Row security for the BI role: a BI login sees the issues, history and
-- tolerances of the subtrees granted to it with grant_org(), as editors
-- and verifiers do (28_access.sql); without a grant it sees none.
CREATE POLICY issue_read_bi ON issue FOR SELECT
	TO issuelist_reader
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY issue_read_bi ON issue IS
	'BI logins (issuelist_reader) read the issues of their subtrees (grant_org), through the issuelist_bi views';
CREATE POLICY issue_event_read_bi ON issue_event FOR SELECT
	TO issuelist_reader
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY issue_event_read_bi ON issue_event IS
	'BI logins (issuelist_reader) read the history of their subtrees'' issues, through the issuelist_bi views';
CREATE POLICY tolerance_read_bi ON tolerance FOR SELECT
	TO issuelist_reader
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY tolerance_read_bi ON tolerance IS
	'BI logins (issuelist_reader) read the tolerances of their subtrees'' issues';
