
-- ---------------------------------------------------------------------------
-- The closed loop: a fixed search_path for every PL/pgSQL function so far.
-- PL/pgSQL resolves names when it runs, so without this a caller's
-- search_path (or a temporary table named like ours) could change what a
-- function reads; SECURITY DEFINER functions must never allow that.  The
-- path is our schema, then ltree's (wherever it was installed: its
-- operators are used on org.path), then pg_temp last.  SQL functions with
-- BEGIN ATOMIC bodies were bound to their objects when created and need
-- nothing (and must stay without SET to be inlined).
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
		 WHERE p.pronamespace = '@extschema@'::regnamespace
		   AND p.prolang = (SELECT l.oid FROM pg_catalog.pg_language l WHERE l.lanname = 'plpgsql')
		   AND p.proconfig IS NULL
	LOOP
		EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = %I, %I, pg_temp',
								  f, '@extschema@', ltree_schema);
	END LOOP;
END $$;
