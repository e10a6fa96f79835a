-- The import's registration (import_apply, import_register): codes follow
-- the file's line order within each list and year, the rows are registered
-- as register_issue would register them, and the counter of each list and
-- year is updated once per group, not once per issue.  (Updating one row
-- once per issue in one transaction made every update walk the row's
-- earlier versions: 10,000 rows took seconds, 1,000,000 did not finish.)
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

SELECT load_sample_province();
-- Two groups have numbers already.
SELECT register_issue('audit', '330782', 'major', 'before the import', '2024-05-01');
SELECT register_issue('safety', '330106', 'major', 'before the import', '2025-05-01');

-- Nothing staged in this session: a refusal that says what to do first.
SELECT pg_temp.try('SELECT import_check()');
SELECT pg_temp.try('SELECT import_apply()');

-- Stage n rows: lists audit, safety, inspection in turn, found in 2024 or
-- 2025 (six groups, interleaved), names and spellings as files have them.
CREATE FUNCTION pg_temp.stage(n integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM issuelist.import_stage();
	INSERT INTO pg_temp.issuelist_import (line, list, org, severity, title,
										   found_on, due_on, origin, official, source, detail)
		SELECT i + 1, (ARRAY['audit', '重大安全风险', 'Inspection tours'])[i % 3 + 1],
			   (ARRAY['Yiwu', '330106', '义乌市', 'xihu'])[i % 4 + 1],
			   (ARRAY['general', 'III', '重大', ' critical '])[i % 4 + 1],
			   'row ' || i, CASE WHEN i % 7 = 0 THEN '' ELSE (DATE '2024-01-01' + i % 500)::text END,
			   CASE WHEN i % 5 = 0 THEN '2026-12-31' END,
			   (ARRAY['', 'self', 'concealed'])[i % 3 + 1],
			   CASE WHEN i % 4 = 0 THEN 'Official ' || i % 3 END, 'round ' || i % 2, ''
		  FROM generate_series(1, n) i;
END $$;
-- The writes to issue_counter so far in this transaction (the backend
-- reports its statistics only between transactions, so within one the
-- difference of two readings counts the statement between them).
CREATE FUNCTION pg_temp.counter_writes(OUT ins bigint, OUT upd bigint)
	LANGUAGE sql AS $$
	SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables
	 WHERE relid = 'issuelist.issue_counter'::regclass;
$$;

BEGIN;
SELECT pg_temp.stage(2000);
SELECT ins AS ins0, upd AS upd0 FROM pg_temp.counter_writes() \gset
SELECT * FROM import_apply('2025-06-30');
-- One counter write per (list, year): four new rows and two updates
-- (registering row by row wrote it 2,000 times).
SELECT ins - :ins0 AS inserted, upd - :upd0 AS updated FROM pg_temp.counter_writes();
COMMIT;
SELECT list, year, last_number FROM issue_counter ORDER BY 1, 2;

-- Every row became the issue register_issue would have made, numbered in
-- line order within its list and year, from the counter on, without gaps.
SELECT i.list, extract(year FROM i.found_on) AS year, count(*) AS issues,
	   min(i.code) AS first, max(i.code) AS last,
	   bool_and(i.code = issue_code(l.prefix, extract(year FROM i.found_on)::integer,
									c.last_number - count_in_group + k)) AS line_order
  FROM (SELECT i.*, row_number() OVER w AS k, count(*) OVER w AS count_in_group
		  FROM issue i WHERE i.title LIKE 'row %'
		WINDOW w AS (PARTITION BY i.list, extract(year FROM i.found_on)
					 ORDER BY substr(i.title, 5)::integer
					 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) i
  JOIN list l ON l.code = i.list
  JOIN issue_counter c ON c.list = i.list AND c.year = extract(year FROM i.found_on)
 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT code, list, org, severity, title, found_on, due_on, origin, official, source, detail
  FROM issue WHERE title IN ('row 1', 'row 4', 'row 5', 'row 7', 'row 1999', 'row 2000')
 ORDER BY substr(title, 5)::integer;
SELECT count(*) AS events, bool_and(e.seq = 1 AND e.event = 'registered'
									AND e.on_date = i.found_on AND e.due_on = i.due_on
									AND e.note IS NOT DISTINCT FROM i.source
									AND e.actor = current_user AND e.role = 'issuelist_admin') AS registrations
  FROM issue_event e JOIN issue i ON i.id = e.issue WHERE i.title LIKE 'row %';
SELECT count(*) AS officials FROM official WHERE name LIKE 'Official %';

-- A chunk is registered set-wise (import_register_set: each combination of
-- the values the checks read is checked once, one insert per table), and
-- row by row only to name a refused line.  Set-wise registers exactly what
-- register_issue() called row by row with the rows read as the import
-- reads them registers: the same codes, values, officials, due days, late
-- flags and roles, in the same order (register_issue goes through
-- register_numbered's path for one row, which inserts by VALUES).
-- (Official codes a rolled-back run generated are not given back, so
-- officials are compared by name.)
CREATE FUNCTION pg_temp.registered_since(first_id bigint) RETURNS text
	LANGUAGE sql AS $$
	SELECT string_agg(concat_ws('|', i.code, i.list, i.org, f.name, i.title, i.severity,
								i.origin, i.state, i.found_on, i.due_on, i.closed_on,
								i.reopen_count, i.last_event_on, i.source, i.detail,
								e.seq, e.org, e.on_date, e.event, e.from_state,
								e.to_state, e.state, e.due_on, e.reopen_count,
								e.actor, e.role, e.late, e.late_reason, e.note), E'\n' ORDER BY i.id)
	  FROM issuelist.issue i
	  JOIN issuelist.issue_event e ON e.issue = i.id
	  LEFT JOIN issuelist.official f ON f.code = i.official
	 WHERE i.id >= first_id
$$;
BEGIN;
SELECT pg_temp.stage(300);
SELECT nextval('issue_id_seq') AS first_id \gset
SAVEPOINT both_ways;
SELECT * FROM import_apply('2025-06-30');
SELECT pg_temp.registered_since(:first_id) AS set_wise \gset
ROLLBACK TO SAVEPOINT both_ways;
SELECT nextval('issue_id_seq') AS first_id \gset
DO $$
DECLARE
	s issuelist.import_row;
	r issuelist.registration;
BEGIN
	FOR s IN SELECT i.line, i.list, i.org, i.severity, i.title, i.found_on, i.due_on,
					i.origin, i.official, i.source, i.detail, i.ref
			   FROM pg_temp.issuelist_import i ORDER BY i.line LOOP
		r := (issuelist.import_read(s, '2025-06-30', current_user)).r;
		PERFORM issuelist.register_issue(r.list, r.org, r.severity, r.title, r.found_on,
										 r.due_on, r.origin, r.official, r.source, r.detail);
	END LOOP;
END $$;
SELECT pg_temp.registered_since(:first_id) = :'set_wise' AS same,
	   length(:'set_wise') - length(replace(:'set_wise', E'\n', '')) + 1 AS issues;
ROLLBACK;

-- More rows than one call of import_register takes (10,000): the numbers
-- go on across the calls, one counter update per call.
SELECT last_number AS safety_2025 FROM issue_counter WHERE list = 'safety' AND year = 2025 \gset
BEGIN;
SELECT import_stage();
INSERT INTO pg_temp.issuelist_import (line, list, org, severity, title, found_on)
	SELECT i + 1, 'safety', '330106', 'general', 'chunked ' || i, '2025-07-01'
	  FROM generate_series(1, 10001) i;
SELECT ins AS ins0, upd AS upd0 FROM pg_temp.counter_writes() \gset
SELECT * FROM import_apply();
SELECT ins - :ins0 AS inserted, upd - :upd0 AS updated FROM pg_temp.counter_writes();
SELECT count(*), min(code), max(code),
	   bool_and(code = issue_code('SAF', 2025, :safety_2025 + substr(title, 9)::integer)) AS line_order
  FROM issue WHERE title LIKE 'chunked %';
ROLLBACK;

-- An import reads the issues it needs by their indexes, never the whole
-- table, whatever the collation its login names bring: a text variable of
-- a PL/pgSQL function called with names only takes their collation ("C"),
-- and issue.code compared in "C" is served by no index of issue, so every
-- chunk of an import read every issue to find those it had just inserted.
-- With 2,000 issues there, plans made anew and sequential scans priced
-- out, the import of 50 rows with refs and the list of those registered
-- already read a few issue rows for each row, not the table.
BEGIN;
SELECT generate_sample_issues('2024Q1', '2024Q2', 1000, 7) AS sample_issues;
SET LOCAL enable_seqscan = off;
DISCARD PLANS;
SELECT pg_temp.stage(50);
UPDATE pg_temp.issuelist_import SET ref = 'R' || line;
SELECT pg_temp.rows_read('issuelist.issue') AS read0 \gset
SELECT issues FROM import_apply('2025-06-30');
SELECT count(*) AS registered_already FROM import_duplicates();
SELECT pg_temp.rows_read('issuelist.issue') - :read0 < 500 AS by_index,
	   pg_temp.rows_read('issuelist.issue') - :read0 >= 50 AS counted;
ROLLBACK;

-- A bad row stops the import at its line; nothing of it stays, and the
-- numbers it would have taken are given back.
BEGIN;
SELECT pg_temp.stage(20);
UPDATE pg_temp.issuelist_import SET title = '  ' WHERE line = 15;
SELECT pg_temp.try('SELECT import_apply(''2025-06-30'')');
ROLLBACK;
BEGIN;
SELECT pg_temp.stage(20);
UPDATE pg_temp.issuelist_import SET org = 'Nowhere' WHERE line = 9;
UPDATE pg_temp.issuelist_import SET title = '' WHERE line = 12;
SELECT pg_temp.try('SELECT import_apply(''2025-06-30'')');
ROLLBACK;
SELECT pg_temp.try('SELECT import_apply()');
SELECT list, year, last_number FROM issue_counter ORDER BY 1, 2;

-- import_register() registers with the caller's rights, as register_issue:
-- an editor in its subtree only (and as itself), an auditor not at all.
CREATE ROLE regress_il_imp_xihu IN ROLE issuelist_editor;
CREATE ROLE regress_il_imp_aud IN ROLE issuelist_auditor;
SELECT grant_org('regress_il_imp_xihu', '330106');
-- (found days long past are late entries, which editors may not record:
-- not what this part is about)
UPDATE setting SET value = '3650' WHERE name = 'late_entry_days';
SET ROLE regress_il_imp_xihu;
SELECT * FROM import_register(ARRAY[(2, 'audit', 'Xihu', 'major', 'by the editor', '2025-03-01',
									 NULL, NULL, NULL, NULL, NULL, NULL)]::import_row[]);
SELECT pg_temp.try($$SELECT import_register(ARRAY[(2, 'audit', 'Xihu', 'major', 'x', '2025-03-01',
									 NULL, NULL, NULL, NULL, NULL, NULL),
								   (3, 'audit', 'Yiwu', 'major', 'y', '2025-03-01',
									 NULL, NULL, NULL, NULL, NULL, NULL)]::import_row[])$$);
SET ROLE regress_il_imp_aud;
SELECT pg_temp.try($$SELECT import_register(ARRAY[(7, 'nolist', 'Xihu', 'major', 'x', '2025-03-01',
									 NULL, NULL, NULL, NULL, NULL, NULL)]::import_row[])$$);
SELECT pg_temp.try($$SELECT import_register('{}')$$);
RESET ROLE;
SELECT i.code, e.actor, e.role FROM issue i JOIN issue_event e ON e.issue = i.id
 WHERE i.title = 'by the editor';
-- A login that is both editor and verifier registers each row as the
-- role its choices need: an external issue as an editor, a concealed one
-- as a verifier (of a higher level: granted the city, not of the county).
CREATE ROLE regress_il_imp_both IN ROLE issuelist_editor, issuelist_verifier;
SELECT grant_org('regress_il_imp_both', '330100');
SET ROLE regress_il_imp_both;
SELECT * FROM import_register(ARRAY[(2, 'audit', 'Xihu', 'major', 'by both, external', '2025-03-01',
									 NULL, NULL, NULL, NULL, NULL, NULL),
								   (3, 'audit', 'Xihu', 'major', 'by both, concealed', '2025-03-01',
									 NULL, 'concealed', NULL, NULL, NULL, NULL)]::import_row[]);
RESET ROLE;
SELECT i.title, i.origin, e.actor, e.role FROM issue i JOIN issue_event e ON e.issue = i.id
 WHERE i.title LIKE 'by both%' ORDER BY i.id;
-- and a late entry is refused to an editor as register_issue refuses it
UPDATE setting SET value = '7' WHERE name = 'late_entry_days';
SET ROLE regress_il_imp_xihu;
SELECT left(pg_temp.try($$SELECT import_register(ARRAY[(2, 'audit', 'Xihu', 'major', 'late',
		'2025-03-01', NULL, NULL, NULL, NULL, NULL, NULL)]::import_row[])$$), 6) AS late_entry;
RESET ROLE;
-- The steps of a registration are the extension's own.
SELECT p.proname, has_function_privilege('regress_il_imp_xihu', p.oid, 'EXECUTE') AS editor_may_call
  FROM pg_proc p
 WHERE p.proname IN ('register_check', 'reserve_issue_numbers', 'register_numbered',
					 'register_issue', 'import_register')
 ORDER BY 1;

DROP OWNED BY regress_il_imp_xihu, regress_il_imp_aud, regress_il_imp_both;
DROP ROLE regress_il_imp_xihu, regress_il_imp_aud, regress_il_imp_both;
