-- Roles and row security, in one session with SET ROLE (tests/t/110 does
-- the same with real logins over separate connections).  Editors see and
-- work their subtree only and never close; verifiers close in their
-- subtree; auditors read everything and write nothing; the reader role
-- gets nothing here.  The set-up, as a superuser, backfills 2021; the
-- logins then work today (late entries and who may act on an issue:
-- 31_trust_workflow).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET datestyle = ISO;
-- Closing is checked for evidence in 35_daily_work; here verifiers close
-- without attaching any.
UPDATE setting SET value = '' WHERE name = 'evidence_required';

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
-- It works its own issues up to rectified, and registers in its subtree
-- (found today: the code's year is this year's).
SELECT advance('SAF-2021-000001', 'assigned', 'to the factory');
SELECT register_issue('safety', '330106', 'serious', 'Dust at a building site', origin => 'self')
	AS dust \gset
SELECT :'dust' = 'SAF-' || extract(year FROM current_date) || '-000001' AS dust_registered;
SELECT actor, role FROM history('SAF-2021-000001') WHERE event = 'transition';
-- Another county's issue does not exist for it.
SELECT pg_temp.try($$SELECT advance('AUD-2021-000002', 'closed')$$);
SELECT pg_temp.try($$SELECT advance('AUD-2021-000003', 'rectifying')$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330110', 'major', 'x')$$);
-- It never closes (strikes off), refuses, reopens, withdraws, extends or
-- tolerates, even its own issues.
SELECT pg_temp.try($$SELECT advance('AUD-2021-000001', 'closed')$$);
SELECT pg_temp.try($$SELECT advance('AUD-2021-000001', 'rectifying')$$);
SELECT pg_temp.try($$SELECT advance('SAF-2021-000001', 'withdrawn')$$);
SELECT pg_temp.try($$SELECT extend_deadline('AUD-2021-000001', '2099-12-31', 'more time')$$);
SELECT pg_temp.try($$SELECT tolerate('AUD-2021-000001', 'please')$$);
SELECT pg_temp.try($$SELECT correct_issue('AUD-2021-000001', 'severity', 'general', 'too grave')$$);
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
SELECT advance('SAF-2021-000001', 'rectifying');
DROP TABLE pg_temp.issue;
RESET ROLE;

-- The Yuhang editor: the mirror image.
SET ROLE regress_il_ed_yuhang;
SELECT code, org FROM issues ORDER BY code;
SELECT pg_temp.try($$SELECT advance('SAF-2021-000001', 'rectified')$$);
RESET ROLE;

-- The Hangzhou verifier (a city's, above the counties) sees its two
-- counties, closes there, and nowhere else.  It approves the extensions and
-- tolerances it records: another approver's name is refused.
SET ROLE regress_il_ver_hangzhou;
SELECT replace(code, :'dust', '<dust>') AS code, org, state FROM issues ORDER BY code;
SELECT advance('AUD-2021-000001', 'closed', 'verified');
SELECT advance('AUD-2021-000002', 'rectifying', 'acceptance refused');
SELECT extend_deadline('AUD-2021-000002', '2099-12-31', 'flood') AS extended_to;
SELECT tolerate('SAF-2021-000001', 'good faith', until => current_date + 30);
SELECT pg_temp.try($$SELECT tolerate('SAF-2021-000001', 'good faith', 'review board')$$);
SELECT tolerate('SAF-2021-000001', 'good faith again', 'regress_il_ver_hangzhou');
SELECT requester, approved_by FROM tolerance t JOIN issue i ON i.id = t.issue
 WHERE i.code = 'SAF-2021-000001' ORDER BY t.id;
SELECT correct_issue('AUD-2021-000002', 'title', 'Idle funds in Yuhang district', 'district named');
SELECT pg_temp.try($$SELECT advance('AUD-2021-000003', 'closed')$$);
-- It does not do the editor's work.
SELECT pg_temp.try(format($$SELECT advance(%L, 'assigned')$$, :'dust'));
SELECT actor, role, event, to_state FROM history('AUD-2021-000001') ORDER BY seq DESC LIMIT 1;
RESET ROLE;

-- The Ningbo verifier closes Haishu's issue, and cannot see Hangzhou's.
SET ROLE regress_il_ver_ningbo;
SELECT code, org FROM issues ORDER BY code;
SELECT advance('AUD-2021-000003', 'closed');
SELECT pg_temp.try($$SELECT advance('AUD-2021-000001', 'reopened')$$);
RESET ROLE;

-- The auditor reads everything, the whole history included, and writes nothing.
SET ROLE regress_il_aud;
SELECT replace(code, :'dust', '<dust>') AS code, org, state FROM issues ORDER BY code;
SELECT count(*) AS events, count(DISTINCT org) AS orgs FROM issue_event;
SELECT count(*) FROM tolerance;
SELECT CASE WHEN day = current_date THEN 'today' ELSE day::text END AS day,
	   CASE WHEN actor = session_user THEN '(installer)' ELSE actor END AS actor,
	   role, event, from_state, to_state, late
  FROM history('AUD-2021-000001');
SELECT pg_temp.try($$SELECT advance('AUD-2021-000001', 'reopened')$$);
SELECT pg_temp.try($$SELECT register_issue('audit', '330106', 'major', 'x')$$);
SELECT pg_temp.try(format($$SELECT tolerate(%L, 'x')$$, :'dust'));
SELECT pg_temp.try($$SELECT correct_issue('AUD-2021-000001', 'title', 'x', 'y')$$);
SELECT pg_temp.try($$UPDATE issue SET title = 'x'$$);
SELECT pg_temp.try($$INSERT INTO list (code, position, name, prefix) VALUES ('x', 9, 'x', 'XX')$$);
RESET ROLE;

-- The reader (BI) and a login without a role get nothing here.
SET ROLE regress_il_rdr;
SELECT pg_temp.try($$SELECT count(*) FROM issuelist.issue$$);
SELECT pg_temp.try($$SELECT count(*) FROM issuelist.issues$$);
SELECT pg_temp.try($$SELECT count(*) FROM issuelist.issues_as_of('2021-12-31')$$);
SELECT pg_temp.try(format($$SELECT issuelist.advance(%L, 'assigned')$$, :'dust'));
RESET ROLE;
SET ROLE regress_il_nobody;
SELECT pg_temp.try($$SELECT count(*) FROM issuelist.issue_event$$);
SELECT pg_temp.try($$SELECT issuelist.register_issue('audit', '330106', 'major', 'x')$$);
RESET ROLE;

-- The admin: every org, configuration, corrections through the history;
-- it never updates an issue directly either.
SET ROLE regress_il_adm;
SELECT count(*) FROM issues;
SELECT add_org('330107', 'New district', '330100', 'county');
SELECT advance('AUD-2021-000001', 'reopened', 'came back');
SELECT correct_issue('AUD-2021-000001', 'title', 'Idle special funds in Xihu', 'clearer');
SELECT title FROM issue WHERE code = 'AUD-2021-000001';
SELECT pg_temp.try($$UPDATE issue SET title = 'x' WHERE code = 'AUD-2021-000001'$$);
SELECT pg_temp.try($$UPDATE issue SET state = 'closed' WHERE code = 'AUD-2021-000001'$$);
SELECT pg_temp.try($$UPDATE issue SET due_on = '2099-01-01'$$);
SELECT pg_temp.try($$DELETE FROM issue_event$$);
INSERT INTO deadline_policy (list, severity, days) VALUES ('safety', 'critical', 10);
SELECT actor, role, event FROM history('AUD-2021-000001') ORDER BY seq DESC LIMIT 2;
RESET ROLE;

-- The SECURITY DEFINER functions of the closed loop, and only they: a
-- fixed search_path ending in pg_temp, and none executable by PUBLIC.
SELECT p.proname, p.proconfig,
	   has_function_privilege('regress_il_nobody', p.oid, 'EXECUTE') AS public_may_call
  FROM pg_proc p
 WHERE p.pronamespace = 'issuelist'::regnamespace AND p.prosecdef
   AND p.proname IN ('add_org', 'grant_org', 'revoke_org', 'register_issue', 'advance',
					 'extend_deadline', 'tolerate', 'correct_issue', 'load_sample_province',
					 'generate_sample_issues')
 ORDER BY 1;
-- Row security is on where issues live.
SELECT relname, relrowsecurity FROM pg_class
 WHERE oid IN ('issue'::regclass, 'issue_event'::regclass, 'tolerance'::regclass) ORDER BY 1;

DROP OWNED BY regress_il_ed_xihu, regress_il_ed_yuhang, regress_il_ver_hangzhou,
	regress_il_ver_ningbo, regress_il_aud, regress_il_rdr, regress_il_adm, regress_il_nobody;
DROP ROLE regress_il_ed_xihu, regress_il_ed_yuhang, regress_il_ver_hangzhou,
	regress_il_ver_ningbo, regress_il_aud, regress_il_rdr, regress_il_adm, regress_il_nobody;
