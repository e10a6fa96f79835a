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
