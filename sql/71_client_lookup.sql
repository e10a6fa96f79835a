-- How the client's commands and the import find an organization or a list
-- from what a person types: a code, an English name in any case, a Chinese
-- name, or a Chinese name without its administrative suffix.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers

SELECT load_sample_province();
SELECT given, pg_temp.try(format('SELECT org_code(%L)', given)) AS refused,
       CASE WHEN pg_temp.try(format('SELECT org_code(%L)', given)) = 'ok'
            THEN org_code(given) END AS code
  FROM (VALUES ('330782'), ('Yiwu'), ('YIWU'), ('  yiwu '), ('义乌市'), ('义乌'),
               ('西湖'), ('浙江'), ('杭州'), ('义'), ('Yiw'), ('999999'), ('')) v(given);
-- A short name never wins over a full one: a new organization named 西湖
-- is found by 西湖, and 西湖区 still by its full name.
SELECT add_org('330199', 'West Lake Scenic Area', '330100', 'county', '西湖');
SELECT org_code('西湖') AS short_is_now_a_full_name, org_code('西湖区') AS full_name;

SELECT given, list_code(given) AS list
  FROM (VALUES ('audit'), ('AUDIT'), ('Audit'), ('审计'), ('Online public opinion')) v(given);
SELECT pg_temp.try($$SELECT list_code('budget')$$) AS unknown_list;

-- One matcher: org_code() (every command) and import_check() (the import)
-- read organizations through org_matches() and list_match(), so they agree
-- on every spelling of every organization: its code, its English name as
-- written, in upper and lower case and with blanks around, its Chinese name
-- with and without the suffix, and a few that name nothing.  (1.0's
-- import_check had its own copy and refused 义乌.)
BEGIN;
SELECT import_stage();
INSERT INTO pg_temp.issuelist_import (line, list, org, severity, title)
SELECT row_number() OVER (ORDER BY s.spelling) + 1, '审计', s.spelling, 'general',
	   format('spelling [%s]', s.spelling)
  FROM (SELECT DISTINCT v.spelling
		  FROM org o
		 CROSS JOIN LATERAL (VALUES (o.code), (o.name), (upper(o.name)), (lower(o.name)),
									('  ' || o.name || ' '), (o.name_zh),
									(CASE WHEN right(o.name_zh, 1) IN ('省', '市', '县', '区')
										  THEN left(o.name_zh, -1) END)) v(spelling)
		 WHERE v.spelling IS NOT NULL
		UNION SELECT w FROM unnest('{义,Yiw,999999,杭州市区}'::text[]) w) s;
CREATE TEMP TABLE verdict AS
SELECT s.org AS spelling,
	   pg_temp.try(format('SELECT org_code(%L)', s.org)) AS command,
	   (SELECT c.reason FROM import_check() c WHERE c.line = s.line AND c."column" = 'org') AS import
  FROM pg_temp.issuelist_import s;
SELECT count(*) AS spellings,
	   count(*) FILTER (WHERE command = 'ok' AND import IS NULL) AS both_accept,
	   count(*) FILTER (WHERE command <> 'ok' AND import IS NOT NULL) AS both_refuse,
	   count(*) FILTER (WHERE (command = 'ok') <> (import IS NULL)) AS disagree
  FROM verdict;
SELECT spelling, command, import FROM verdict
 WHERE command <> 'ok' OR import IS NOT NULL OR spelling IN ('义乌', '西湖', 'yiwu')
 ORDER BY spelling;
-- and the accepted rows are registered to the organization org_code() names
DELETE FROM pg_temp.issuelist_import WHERE org IN (SELECT spelling FROM verdict WHERE command <> 'ok');
SELECT issues FROM import_apply('2024-05-01');
SELECT count(*) AS registered, count(*) FILTER (WHERE i.org <> org_code(v.spelling)) AS elsewhere
  FROM issue i JOIN verdict v ON i.title = format('spelling [%s]', v.spelling);
ROLLBACK;
SELECT org_matches('义乌') AS short, org_matches('nowhere') AS none, org_matches(NULL) AS null_given;
SELECT given, list_match(given) FROM (VALUES ('audit'), (' 审计 '), ('budget')) v(given);
