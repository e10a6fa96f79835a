
-- ---------------------------------------------------------------------------
-- What the client (docs/client.md) needs beyond the closed loop and the
-- scoring: the hierarchy and the import of a spreadsheet export in one
-- set-based check (names are read by 69_client_names.sql, the reports are
-- 72_client_reports.sql).  They are plain functions, so SQL users and BI
-- tools get the same answers as the client.
-- (99_search_path.sql fixes the search_path of the PL/pgSQL ones; the
-- staging table is always named with pg_temp.)
-- ---------------------------------------------------------------------------

-- The hierarchy under an organization (all of it for NULL), top down, with
-- each one's depth below the top.
CREATE FUNCTION org_tree(under text DEFAULT NULL)
	RETURNS TABLE (code text, name text, name_zh text, level text,
				   parent text, depth integer)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT o.code, o.name, o.name_zh, o.level, o.parent,
		   nlevel(o.path) - nlevel(t.path)
	  FROM org t
	  JOIN org o ON o.path <@ t.path
	 WHERE t.code = org_code(org_tree.under)
		OR (org_tree.under IS NULL AND t.parent IS NULL)
	 ORDER BY o.path;
END;
COMMENT ON FUNCTION org_tree(text) IS
	'an organization (given by code or name) and everything under it, top down, with the depth below it; every root and its subtree when NULL';

-- ---------------------------------------------------------------------------
-- Import of a spreadsheet export (docs/client.md, "import").  The client
-- creates the staging table with import_stage(), fills it with COPY (one row
-- per record, with the line it starts on), asks import_check() for the bad
-- rows and, when there are none, import_apply() registers them with
-- import_register() (both in 71_import.sql): all rows or none, in the
-- caller's transaction.
-- ---------------------------------------------------------------------------

-- A staged row, as import_register() takes it: the file's line and the
-- text of each import column.
CREATE TYPE import_row AS (
	line integer,
	list text,
	org text,
	severity text,
	title text,
	found_on text,
	due_on text,
	origin text,
	official text,
	source text,
	detail text,
	ref text
);
COMMENT ON TYPE import_row IS
	'a row of an import file, as import_register() takes it: the line it starts on and the text of each column (as in pg_temp.issuelist_import)';

CREATE FUNCTION import_stage() RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	IF pg_catalog.to_regclass('pg_temp.issuelist_import') IS NOT NULL THEN
		DROP TABLE pg_temp.issuelist_import;
	END IF;
	-- The import's columns are import_row's, so they are written once.
	CREATE TEMPORARY TABLE issuelist_import (LIKE import_row, problem text)
		ON COMMIT DROP;
	ALTER TABLE pg_temp.issuelist_import ALTER COLUMN line SET NOT NULL;
END $$;
COMMENT ON FUNCTION import_stage() IS
	'create (afresh) the temporary table pg_temp.issuelist_import that import_check() and import_apply() read: the file''s line, one text column per import column, and problem (what the client found wrong with the record''s shape); dropped at commit';

-- Why a value does not read as a severity or a date, or NULL when it does.
-- (Not parallel safe: the exception block is a subtransaction.)
CREATE FUNCTION import_value_error(kind text, value text) RETURNS text
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	CASE kind
		WHEN 'severity' THEN PERFORM value::severity;
		WHEN 'date' THEN PERFORM value::date;
	END CASE;
	RETURN NULL;
EXCEPTION WHEN data_exception THEN
	RETURN SQLERRM;
END $$;
COMMENT ON FUNCTION import_value_error(text, text) IS
	'NULL when the text reads as a value of the kind (severity or date), else the error message';

-- import_check() and import_apply() read the session's staging table:
-- without one there is nothing to check, which is the caller's mistake, not
-- a missing relation.
CREATE FUNCTION import_require_staged() RETURNS void
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF pg_catalog.to_regclass('pg_temp.issuelist_import') IS NULL THEN
		RAISE EXCEPTION 'no import is staged in this session'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Call import_stage() and fill pg_temp.issuelist_import first, in the same transaction (the client''s import command does both).';
	END IF;
END $$;
COMMENT ON FUNCTION import_require_staged() IS
	'error 55000 unless import_stage() has made the staging table pg_temp.issuelist_import in this transaction';

