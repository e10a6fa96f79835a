
-- ---------------------------------------------------------------------------
-- Last fragment: a fixed search_path for every PL/pgSQL function, and every
-- SQL function with a string body, of the extension's schemas.  Their
-- bodies resolve names when they run, so without it a caller's search_path
-- (a BI login calling issuelist.ranking(), or a temporary table named like
-- ours) could change what they read; SECURITY DEFINER functions must never
-- allow that.  The path is our schema, then ltree's (wherever it was
-- installed: its operators are used on org.path), then pg_temp last.  SQL
-- functions with BEGIN ATOMIC bodies were bound to their objects when they
-- were created and need nothing (and must stay without SET to be inlined);
-- functions that set their own path keep it (a function with another
-- setting, such as plan_cache_mode, gets the path beside it).
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
		 WHERE p.pronamespace IN ('@extschema@'::regnamespace,
								  (SELECT n.oid FROM pg_catalog.pg_namespace n
								    WHERE n.nspname = 'issuelist_bi'))
		   AND (l.lanname = 'plpgsql' OR (l.lanname = 'sql' AND p.prosqlbody IS NULL))
		   AND NOT EXISTS (SELECT FROM pg_catalog.unnest(p.proconfig) c
							WHERE c LIKE 'search_path=%')
	LOOP
		EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = %I, %I, pg_temp',
								  f, '@extschema@', ltree_schema);
	END LOOP;
END $$;
