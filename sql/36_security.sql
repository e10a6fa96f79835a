-- Roles and row security, in one session with SET ROLE (tests/t/110 does
-- the same with real logins over separate connections).  Editors see and
-- work their subtree only and never close; verifiers close in their
-- subtree; auditors read everything and write nothing; the reader role
-- gets nothing here.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET datestyle = ISO;

\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;

SELECT add_org('330000', 'Zhejiang', NULL, 'province');
SELECT add_org('330100', 'Hangzhou', '330000', 'city');
SELECT add_org('330106', 'Xihu', '330100', 'county');
SELECT add_org('330110', 'Yuhang', '330100', 'county');
SELECT add_org('330200', 'Ningbo', '330000', 'city');
SELECT add_org('330203', 'Haishu', '330200', 'county');

CREATE ROLE regress_il_ed_xihu IN ROLE issuelist_editor;
CREATE ROLE regress_il_ed_yuhang IN ROLE issuelist_editor;
CREATE ROLE regress_il_ver_hangzhou IN ROLE issuelist_verifier;
CREATE ROLE regress_il_ver_ningbo IN ROLE issuelist_verifier;
CREATE ROLE regress_il_aud IN ROLE issuelist_auditor;
CREATE ROLE regress_il_rdr IN ROLE issuelist_reader;
CREATE ROLE regress_il_adm IN ROLE issuelist_admin;
CREATE ROLE regress_il_nobody;
SELECT grant_org('regress_il_ed_xihu', '330106');
SELECT grant_org('regress_il_ed_yuhang', '330110');
SELECT grant_org('regress_il_ver_hangzhou', '330100');
SELECT grant_org('regress_il_ver_ningbo', '330200');

-- One issue per county, each moved to rectified; one more in Xihu.
SELECT register_issue('audit', o, 'major', 'Idle funds in ' || o, '2021-03-01')
  FROM unnest('{330106,330110,330203}'::text[]) o;
SELECT advance(c, s, NULL, '2021-03-02')
  FROM unnest('{AUD-2021-000001,AUD-2021-000002,AUD-2021-000003}'::text[]) c,
	   unnest('{assigned,rectifying,rectified}'::issue_state[]) s;
SELECT register_issue('safety', '330106', 'general', 'Blocked fire escape', '2021-03-05');
SELECT tolerate('AUD-2021-000002', 'storm', 'review board', '2021-03-03');

-- The Xihu editor sees Xihu's issues only, through every path.
SET ROLE regress_il_ed_xihu;
SELECT code, org FROM issue ORDER BY code;
SELECT DISTINCT org FROM issue_event;
SELECT count(*) FROM tolerance;
SELECT code, org, state FROM issues ORDER BY code;
SELECT code, org, state FROM issues_as_of('2021-12-31') ORDER BY code;
SELECT code, total FROM list_summary WHERE total > 0;
COPY issue (code, org) TO STDOUT;
COPY (SELECT code FROM issues) TO STDOUT;
SELECT pg_temp.try($$SELECT * FROM history('AUD-2021-000002')$$);
-- It works its own issues up to rectified, and registers in its subtree.
SELECT advance('SAF-2021-000001', 'assigned', 'to the factory', '2021-03-06');
SELECT register_issue('safety', '330106', 'serious', 'Dust at a building site', '2021-03-07', origin => 'self');
SELECT actor, role FROM history('SAF-2021-000001') WHERE event = 'transition';
-- Another county's issue does not exist for it.
SELECT pg_temp.try($$SELECT advance('AUD-2021-000002', 'closed', NULL, '2021-03-08')$$);
SELECT pg_temp.try($$SELECT advance('AUD-2021-000003', 'rectifying', NULL, '2021-03-08')$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330110', 'major', 'x', '2021-03-08')$$);
-- It never closes (strikes off), refuses, reopens, withdraws, extends or
-- tolerates, even its own issues.
SELECT pg_temp.try($$SELECT advance('AUD-2021-000001', 'closed', NULL, '2021-03-08')$$);
SELECT pg_temp.try($$SELECT advance('AUD-2021-000001', 'rectifying', NULL, '2021-03-08')$$);
SELECT pg_temp.try($$SELECT advance('SAF-2021-000001', 'withdrawn', NULL, '2021-03-08')$$);
SELECT pg_temp.try($$SELECT extend_deadline('AUD-2021-000001', '2021-12-31', 'more time', '2021-03-08')$$);
SELECT pg_temp.try($$SELECT tolerate('AUD-2021-000001', 'please', 'regress_il_ver_hangzhou', '2021-03-08')$$);
-- And never writes the tables directly.
SELECT pg_temp.try($$UPDATE issue SET state = 'closed' WHERE code = 'AUD-2021-000001'$$);
SELECT pg_temp.try($$INSERT INTO issue_event (issue, seq, org, on_date, actor, role, event, state, due_on, reopen_count)
	VALUES (1, 9, '330106', '2021-03-08', 'x', 'x', 'extension', 'rectified', '2099-01-01', 0)$$);
SELECT pg_temp.try($$DELETE FROM issue$$);
SELECT pg_temp.try($$SELECT grant_org('regress_il_ed_xihu', '330000')$$);
SELECT pg_temp.try($$SELECT add_org('330107', 'New', '330100', 'county')$$);
SELECT pg_temp.try($$SELECT load_sample_province()$$);
-- A temporary table named like ours does not fool the functions: their
-- search_path puts pg_temp last.
CREATE TEMP TABLE issue (id bigint, code text, state issue_state);
INSERT INTO pg_temp.issue VALUES (1, 'AUD-2021-000001', 'rectified');
SELECT advance('SAF-2021-000001', 'rectifying', NULL, '2021-03-08');
DROP TABLE pg_temp.issue;
RESET ROLE;

-- The Yuhang editor: the mirror image.
SET ROLE regress_il_ed_yuhang;
SELECT code, org FROM issues ORDER BY code;
SELECT pg_temp.try($$SELECT advance('SAF-2021-000001', 'rectified', NULL, '2021-03-09')$$);
RESET ROLE;

-- The Hangzhou verifier sees its two counties, closes there, and nowhere else.
SET ROLE regress_il_ver_hangzhou;
SELECT code, org, state FROM issues ORDER BY code;
SELECT advance('AUD-2021-000001', 'closed', 'verified', '2021-03-10');
SELECT advance('AUD-2021-000002', 'rectifying', 'acceptance refused', '2021-03-10');
SELECT extend_deadline('AUD-2021-000002', '2021-12-31', 'flood', '2021-03-11');
SELECT tolerate('SAF-2021-000001', 'good faith', 'review board', '2021-03-11', '2021-06-30');
SELECT pg_temp.try($$SELECT tolerate('SAF-2021-000001', 'good faith', 'regress_il_ver_hangzhou', '2021-03-11')$$);
SELECT pg_temp.try($$SELECT advance('AUD-2021-000003', 'closed', NULL, '2021-03-10')$$);
-- It does not do the editor's work.
SELECT pg_temp.try($$SELECT advance('SAF-2021-000002', 'assigned', NULL, '2021-03-10')$$);
SELECT actor, role, event, to_state FROM history('AUD-2021-000001') ORDER BY day DESC LIMIT 1;
RESET ROLE;

-- The Ningbo verifier closes Haishu's issue, and cannot see Hangzhou's.
SET ROLE regress_il_ver_ningbo;
SELECT code, org FROM issues ORDER BY code;
SELECT advance('AUD-2021-000003', 'closed', NULL, '2021-03-12');
SELECT pg_temp.try($$SELECT advance('AUD-2021-000001', 'reopened', NULL, '2021-03-12')$$);
RESET ROLE;

-- The auditor reads everything, the whole history included, and writes nothing.
SET ROLE regress_il_aud;
SELECT code, org, state FROM issues ORDER BY code;
SELECT count(*) AS events, count(DISTINCT org) AS orgs FROM issue_event;
SELECT count(*) FROM tolerance;
SELECT day, CASE WHEN actor = session_user THEN '(installer)' ELSE actor END AS actor,
	   role, event, from_state, to_state
  FROM history('AUD-2021-000001');
SELECT pg_temp.try($$SELECT advance('AUD-2021-000001', 'reopened', NULL, '2021-03-13')$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330106', 'major', 'x', '2021-03-13')$$);
SELECT pg_temp.try($$SELECT tolerate('SAF-2021-000002', 'x', 'y', '2021-03-13')$$);
SELECT pg_temp.try($$UPDATE issue SET title = 'x'$$);
SELECT pg_temp.try($$INSERT INTO list (code, position, name, prefix) VALUES ('x', 9, 'x', 'XX')$$);
RESET ROLE;

-- The reader (BI) and a login without a role get nothing here.
SET ROLE regress_il_rdr;
SELECT pg_temp.try($$SELECT count(*) FROM issuelist.issue$$);
SELECT pg_temp.try($$SELECT count(*) FROM issuelist.issues$$);
SELECT pg_temp.try($$SELECT count(*) FROM issuelist.issues_as_of('2021-12-31')$$);
SELECT pg_temp.try($$SELECT issuelist.advance('SAF-2021-000002', 'assigned')$$);
RESET ROLE;
SET ROLE regress_il_nobody;
SELECT pg_temp.try($$SELECT count(*) FROM issuelist.issue_event$$);
SELECT pg_temp.try($$SELECT issuelist.register_issue('audit', '330106', 'major', 'x')$$);
RESET ROLE;

-- The admin: every org, configuration, corrections of descriptive columns;
-- states and dates only through the workflow.
SET ROLE regress_il_adm;
SELECT count(*) FROM issues;
SELECT add_org('330107', 'New district', '330100', 'county');
SELECT advance('AUD-2021-000001', 'reopened', 'came back', '2021-04-01');
UPDATE issue SET title = 'Idle special funds in Xihu' WHERE code = 'AUD-2021-000001';
SELECT pg_temp.try($$UPDATE issue SET state = 'closed' WHERE code = 'AUD-2021-000001'$$);
SELECT pg_temp.try($$UPDATE issue SET due_on = '2099-01-01'$$);
SELECT pg_temp.try($$DELETE FROM issue_event$$);
INSERT INTO deadline_policy (list, severity, days) VALUES ('safety', 'critical', 10);
SELECT actor, role FROM history('AUD-2021-000001') ORDER BY day DESC LIMIT 1;
RESET ROLE;

-- The SECURITY DEFINER functions of the closed loop, and only they: a
-- fixed search_path ending in pg_temp, and none executable by PUBLIC.
SELECT p.proname, p.proconfig,
	   has_function_privilege('regress_il_nobody', p.oid, 'EXECUTE') AS public_may_call
  FROM pg_proc p
 WHERE p.pronamespace = 'issuelist'::regnamespace AND p.prosecdef
   AND p.proname IN ('add_org', 'grant_org', 'revoke_org', 'register_issue', 'advance',
					 'extend_deadline', 'tolerate', 'load_sample_province',
					 'generate_sample_issues')
 ORDER BY 1;
-- Row security is on where issues live.
SELECT relname, relrowsecurity FROM pg_class
 WHERE oid IN ('issue'::regclass, 'issue_event'::regclass, 'tolerance'::regclass) ORDER BY 1;

DROP OWNED BY regress_il_ed_xihu, regress_il_ed_yuhang, regress_il_ver_hangzhou,
	regress_il_ver_ningbo, regress_il_aud, regress_il_rdr, regress_il_adm, regress_il_nobody;
DROP ROLE regress_il_ed_xihu, regress_il_ed_yuhang, regress_il_ver_hangzhou,
	regress_il_ver_ningbo, regress_il_aud, regress_il_rdr, regress_il_adm, regress_il_nobody;
