-- BI logins: create_bi_login() makes a member of issuelist_reader with its
-- own settings and subtree.  Such a login reads the issuelist_bi views of
-- its subtree only (row security holds through the views), cannot name a
-- base table or function of schema issuelist, and cannot write.  (Its
-- statement timeout, read-only transactions and connection limit act at
-- login: tests/t/402_bi_reader.pl.)
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
DROP ROLE IF EXISTS regress_bi_yiwu, regress_bi_province, regress_bi_nothing, regress_bi_bad;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
\set VERBOSITY terse
\getenv abs_srcdir PG_ABS_SRCDIR
\set bi_province :abs_srcdir '/sql/bi_province.psql'
\i :bi_province

SELECT create_bi_login('regress_bi_yiwu', NULL, '330782', '2s', 3);
SELECT create_bi_login('regress_bi_province', 'secret', '330000');
SELECT create_bi_login('regress_bi_nothing');
SELECT r.rolname, r.rolcanlogin, r.rolconnlimit, r.rolpassword IS NOT NULL AS password,
       s.setconfig, pg_has_role(r.rolname, 'issuelist_reader', 'MEMBER') AS reader,
       has_database_privilege(r.rolname, current_database(), 'CONNECT') AS can_connect,
       (SELECT array_agg(m.org) FROM org_member m WHERE m.login = r.rolname) AS subtrees
  FROM pg_authid r LEFT JOIN pg_db_role_setting s ON s.setrole = r.oid AND s.setdatabase = 0
 WHERE r.rolname LIKE 'regress_bi_%' ORDER BY 1;

-- Refused: an unknown organization, no connection, a bad timeout; nothing
-- is left behind.
SELECT create_bi_login('regress_bi_bad', NULL, '999999');
SELECT create_bi_login('regress_bi_bad', NULL, NULL, '30s', 0);
SELECT create_bi_login('', NULL, NULL, '30s', 3);
SELECT create_bi_login('regress_bi_bad', NULL, NULL, 'soon');
SELECT count(*) AS left_behind FROM pg_roles WHERE rolname = 'regress_bi_bad';

-- Yiwu's login sees Yiwu's issues, history and daily series, nobody else's.
SET ROLE regress_bi_yiwu;
SELECT issue_code, org_code, state_code FROM issuelist_bi.issues ORDER BY 1;
SELECT DISTINCT org_code FROM issuelist_bi.issue_events;
SELECT list_code, open, withdrawn, total FROM issuelist_bi.list_summary WHERE total > 0 ORDER BY list_order;
SELECT list_code, max(open) AS most_open, sum(found) AS found
  FROM issuelist_bi.list_daily GROUP BY list_code HAVING sum(found) > 0 ORDER BY 1;
-- The published ranking is the same for every login (as ranking() is).
SELECT org_code, rank, veto FROM issuelist_bi.org_quarter_scores
 WHERE quarter = '2021Q1' AND org_level = 'county' ORDER BY rank;
SELECT count(*) AS orgs FROM issuelist_bi.orgs;

-- Base tables, views and functions of schema issuelist: out of reach.
SELECT count(*) FROM issuelist.issue;
SELECT count(*) FROM issuelist.org_member;
SELECT count(*) FROM issuelist.issues;
SELECT * FROM issuelist.ranking('2021Q1');
SELECT issuelist.register_issue('audit', '330782', 'general', 'x');
SELECT issuelist.create_bi_login('regress_bi_bad');
-- No writing, anywhere it could.
INSERT INTO issuelist_bi.orgs (org_code, org_name) VALUES ('x', 'x');
UPDATE issuelist_bi.issues SET title = 'x';
DELETE FROM issuelist_bi.issue_events;
CREATE VIEW issuelist_bi.mine AS SELECT 1 AS one;
CREATE TABLE public.mine (one integer);
RESET ROLE;

-- The province's login sees every issue; a login without a subtree none.
SET ROLE regress_bi_province;
SELECT count(*) AS issues, count(DISTINCT city_code) AS cities FROM issuelist_bi.issues;
SELECT sum(total) AS issues FROM issuelist_bi.list_summary;
RESET ROLE;
SET ROLE regress_bi_nothing;
SELECT count(*) AS issues FROM issuelist_bi.issues;
SELECT count(*) AS events FROM issuelist_bi.issue_events;
SELECT count(*) AS days, sum(open) AS open FROM issuelist_bi.list_daily;
RESET ROLE;

-- A login that is also an auditor reads everything, as auditors do.
GRANT issuelist_auditor TO regress_bi_nothing;
SET ROLE regress_bi_nothing;
SELECT count(*) AS issues FROM issuelist_bi.issues;
RESET ROLE;

SET client_min_messages = warning;
DROP ROLE regress_bi_yiwu, regress_bi_province, regress_bi_nothing;
