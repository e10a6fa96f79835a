-- The data model: organizations and their hierarchy, the lists, deadlines,
-- the roles, and what pg_dump keeps.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET datestyle = ISO;

\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers

-- The roles exist, none can log in.
SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'issuelist\_%' ORDER BY 1;

-- The seven lists, in order, with their code prefixes.
SELECT position, code, prefix, name, name_zh, builtin FROM list ORDER BY position;

-- At most 16 lists: positions are 1 to 16 and unique; prefixes are capitals.
SELECT pg_temp.try($$INSERT INTO list (code, position, name, prefix) VALUES ('x17', 17, 'Seventeenth', 'XVII')$$);
SELECT pg_temp.try($$INSERT INTO list (code, position, name, prefix) VALUES ('x0', 0, 'Zeroth', 'XZ')$$);
-- (a taken position is refused at the end of the transaction, so that a
-- restore may move built-in lists around)
INSERT INTO list (code, position, name, prefix) VALUES ('dup', 7, 'Taken', 'DUP');
SELECT pg_temp.try($$INSERT INTO list (code, position, name, prefix) VALUES ('lower', 9, 'Lower', 'aud')$$);
SELECT pg_temp.try($$INSERT INTO list (code, position, name, prefix) VALUES ('again', 9, 'Again', 'AUD')$$);
SELECT pg_temp.try($$INSERT INTO list (code, position, name, prefix) VALUES ('Bad Code', 9, 'Bad', 'BAD')$$);
-- A user's own list fills position 8 .. 16.
INSERT INTO list (code, position, name, name_zh, prefix)
	SELECT 'extra' || p, p, 'Extra list ' || p, NULL, 'EX' || p FROM generate_series(8, 16) p;
SELECT count(*) AS lists, max(position) FROM list;
INSERT INTO list (code, position, name, prefix) VALUES ('one_more', 16, 'One more', 'MORE');
DELETE FROM list WHERE code LIKE 'extra%' AND position > 8;

-- Inserting a row with a built-in list's code replaces the built-in row
-- (this is how a restore brings back an edited built-in list); other
-- duplicates fail as usual.
INSERT INTO list (code, position, name, name_zh, scope, prefix)
	VALUES ('audit', 4, 'Audit findings', '审计', 'edited', 'AUD');
SELECT code, position, name, scope, builtin FROM list WHERE code = 'audit';
SELECT pg_temp.try($$INSERT INTO list (code, position, name, prefix) VALUES ('extra8', 9, 'Again', 'EX9')$$);

-- Deadlines: the defaults, 180 / 90 / 60 / 30 days, for every list.
SELECT severity, min(days), max(days), count(*) FROM deadline_policy GROUP BY severity ORDER BY severity;
SELECT policy_due_on('audit', 'critical', '2021-01-01'), policy_due_on('audit', 'general', '2021-01-01');
-- A policy row changes the due day; a list without rows uses the defaults.
INSERT INTO deadline_policy (list, severity, days) VALUES ('audit', 'critical', 15);
SELECT days, builtin FROM deadline_policy WHERE list = 'audit' AND severity = 'critical';
SELECT policy_due_on('audit', 'critical', '2021-01-01') AS audit, policy_due_on('extra8', 'major', '2021-01-01') AS extra8;
SELECT pg_temp.try($$INSERT INTO deadline_policy (list, severity, days) VALUES ('audit', 'major', 0)$$);
SELECT pg_temp.try($$INSERT INTO deadline_policy (list, severity, days) VALUES ('nolist', 'major', 10)$$);

-- The hierarchy: add_org keeps the ltree path; each level is below its parent's.
SELECT add_org('330000', 'Zhejiang', NULL, 'province', '浙江省');
SELECT add_org('330100', 'Hangzhou', '330000', 'city', '杭州市');
SELECT add_org('330200', 'Ningbo', '330000', 'city');
SELECT add_org('330106', 'Xihu', '330100', 'county', '西湖区');
SELECT add_org('330110', 'Yuhang', '330100', 'county');
SELECT add_org('330203', 'Haishu', '330200', 'county');
SELECT add_org('330106001', 'Beishan', '330106', 'township');
-- A county directly under the province (provincial administration) is fine.
SELECT add_org('330999', 'Direct', '330000', 'county');
SELECT code, name, name_zh, parent, level, path FROM org ORDER BY path;

-- Refusals name the bad value.
SELECT pg_temp.try($$SELECT add_org('330106', 'Again', '330100', 'county')$$);
SELECT pg_temp.try($$SELECT add_org('33-01', 'Dash', '330000', 'city')$$);
SELECT pg_temp.try($$SELECT add_org('330300', 'Wenzhou', '330000', 'prefecture')$$);
SELECT pg_temp.try($$SELECT add_org('330300', 'Wenzhou', '339999', 'city')$$);
SELECT pg_temp.try($$SELECT add_org('330300', 'Wenzhou', '330106', 'city')$$);
SELECT pg_temp.try($$SELECT add_org('330300', 'Wenzhou', '330100', 'city')$$);
SELECT pg_temp.try($$SELECT add_org('330300', ' ', '330000', 'city')$$);
SELECT pg_temp.try($$SELECT add_org(NULL, 'Nothing', '330000', 'city')$$);

-- subtree(): the org and everything under it, top down.
SELECT subtree('330100');
SELECT subtree('330106001');
SELECT count(*) FROM subtree('330000');
SELECT pg_temp.try($$SELECT subtree('339999')$$);

-- grant_org(): ties a login to a subtree; granting twice is harmless.
CREATE ROLE regress_il_clerk;
SELECT grant_org('regress_il_clerk', '330106');
SELECT grant_org('regress_il_clerk', '330106');
SELECT grant_org('regress_il_clerk', '330200');
SELECT login, org, granted_by FROM org_member ORDER BY 1, 2;
SELECT visible_orgs('regress_il_clerk');
SELECT pg_temp.try($$SELECT grant_org('regress_il_nobody', '330106')$$);
SELECT pg_temp.try($$SELECT grant_org('regress_il_clerk', '339999')$$);
SELECT revoke_org('regress_il_clerk', '330200'), revoke_org('regress_il_clerk', '330200');
SELECT visible_orgs('regress_il_clerk');

-- Officials are people with a code, first named in an org; indicators are
-- per org and quarter.
INSERT INTO official (name, org, post, code) VALUES ('Wang Wei', '330106', 'Party secretary', 'W0001');
SELECT pg_temp.try($$INSERT INTO official (name, org, code) VALUES ('Ghost', '339999', 'G0001')$$);
INSERT INTO indicator (org, q, name, value) VALUES ('330106', '2021Q1', 'population', 1145000);
SELECT org, q, name, value FROM indicator;

-- pg_dump keeps every row of every table (and the identity sequences).
SELECT c.relname, x.cond
  FROM pg_extension e,
	   unnest(e.extconfig, e.extcondition) AS x(rel, cond)
	   JOIN pg_class c ON c.oid = x.rel
 WHERE e.extname = 'issuelist' AND c.relnamespace = 'issuelist'::regnamespace
   AND c.relname IN ('org', 'list', 'deadline_policy', 'official', 'org_member',
					 'issue_counter', 'issue', 'issue_event', 'tolerance',
					 'indicator', 'issue_id_seq', 'issue_event_id_seq',
					 'tolerance_id_seq')
 ORDER BY 1;

-- Every table and view of the closed loop, and every column of them, has a
-- comment.
SELECT c.relname FROM pg_class c
 WHERE c.relnamespace = 'issuelist'::regnamespace AND c.relkind IN ('r', 'v')
   AND c.relname IN ('org', 'list', 'deadline_policy', 'official', 'org_member',
					 'issue_counter', 'issue', 'issue_event', 'tolerance', 'indicator',
					 'issues', 'list_summary')
   AND obj_description(c.oid, 'pg_class') IS NULL;
SELECT a.attrelid::regclass, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'issuelist'::regnamespace AND c.relkind IN ('r', 'v')
   AND c.relname IN ('org', 'list', 'deadline_policy', 'official', 'org_member',
					 'issue_counter', 'issue', 'issue_event', 'tolerance', 'indicator',
					 'issues', 'list_summary')
   AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL;

DROP ROLE regress_il_clerk;
