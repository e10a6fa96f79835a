
-- ---------------------------------------------------------------------------
-- Scoring: a fixed search_path for the PL/pgSQL and SQL functions of
-- fragments 40-58 (39_search_path.sql did the same for the closed loop's).
-- Their bodies resolve names when they run, so without it a caller whose
-- search_path lacks our schema (a BI login calling issuelist.ranking()) or
-- has a table named like ours could change what they read.  The path is our
-- schema, then ltree's (its <@ is used on org.path), then pg_temp.
-- ---------------------------------------------------------------------------

DO $$
DECLARE
	ltree_schema name := (SELECT e.extnamespace::regnamespace::name
							FROM pg_catalog.pg_extension e WHERE e.extname = 'ltree');
	f regprocedure;
BEGIN
	FOR f IN
		SELECT p.oid
		  FROM pg_catalog.pg_proc p
		  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
		 WHERE p.pronamespace = '@extschema@'::regnamespace
		   AND (l.lanname = 'plpgsql' OR (l.lanname = 'sql' AND p.prosqlbody IS NULL))
		   AND p.proconfig IS NULL
	LOOP
		EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = %I, %I, pg_temp',
								  f, '@extschema@', ltree_schema);
	END LOOP;
END $$;
