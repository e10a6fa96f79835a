-- The BI surface, schema issuelist_bi, as BI tools see it in the catalog:
-- views only, every column of a plain type (text, integer, bigint, numeric,
-- boolean, date, timestamptz: what every stock driver maps), every view and
-- column described, every view security_invoker (row-level security holds),
-- and the reader role able to read the views and nothing else.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;

-- The views, each with a description and security_invoker.
SELECT c.relname AS view, c.relkind,
       coalesce(btrim(obj_description(c.oid, 'pg_class')), '') <> '' AS described,
       c.reloptions @> '{security_invoker=true}' AS security_invoker
  FROM pg_class c
 WHERE c.relnamespace = 'issuelist_bi'::regnamespace
 ORDER BY 1;

-- Nothing but views lives in the schema (no table, function, type or
-- sequence a tool would trip over).
SELECT 'function' AS kind, p.oid::regprocedure::text AS name FROM pg_proc p
 WHERE p.pronamespace = 'issuelist_bi'::regnamespace
UNION ALL
SELECT 'type', t.oid::regtype::text FROM pg_type t
 WHERE t.typnamespace = 'issuelist_bi'::regnamespace AND t.typrelid = 0
   AND t.typelem NOT IN (SELECT c.reltype FROM pg_class c
                          WHERE c.relnamespace = 'issuelist_bi'::regnamespace);

-- Must be empty: a column of any other type (enum, domain, array, composite,
-- ltree, the extension's own types, varchar, float...).
SELECT c.relname AS view, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'issuelist_bi'::regnamespace
   AND a.attnum > 0 AND NOT a.attisdropped
   AND a.atttypid NOT IN ('text'::regtype, 'integer'::regtype, 'bigint'::regtype,
                          'numeric'::regtype, 'boolean'::regtype, 'date'::regtype,
                          'timestamptz'::regtype)
 ORDER BY 1, a.attnum;

-- Must be empty: a column without a description.
SELECT c.relname AS view, a.attname AS column
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'issuelist_bi'::regnamespace
   AND a.attnum > 0 AND NOT a.attisdropped
   AND coalesce(btrim(col_description(c.oid, a.attnum)), '') = ''
 ORDER BY 1, a.attnum;

-- The columns: the contract dashboards are built on.  A change here breaks
-- someone's dashboard; make it on purpose.
SELECT c.relname AS view, a.attnum, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'issuelist_bi'::regnamespace
   AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY 1, 2;

-- issuelist_reader: usage on issuelist_bi and select on each of its views,
-- no usage on schema issuelist (it cannot name a base table), and no write
-- privilege on any relation of either schema.
SELECT has_schema_privilege('issuelist_reader', 'issuelist_bi', 'USAGE') AS bi_usage,
       has_schema_privilege('issuelist_reader', 'issuelist_bi', 'CREATE') AS bi_create,
       has_schema_privilege('issuelist_reader', 'issuelist', 'USAGE') AS issuelist_usage;
SELECT c.relname AS view_not_readable FROM pg_class c
 WHERE c.relnamespace = 'issuelist_bi'::regnamespace
   AND NOT has_table_privilege('issuelist_reader', c.oid, 'SELECT');
-- What the security_invoker views read, which PostgreSQL checks against
-- the reader: readable, but only through the views, as the reader has no
-- USAGE on schema issuelist and cannot name them.
SELECT c.oid::regclass AS read_through_views FROM pg_class c
 WHERE c.relnamespace = 'issuelist'::regnamespace
   AND has_table_privilege('issuelist_reader', c.oid, 'SELECT')
 ORDER BY c.relname;
-- And no more than the views read (through views they read, as a
-- security_invoker view checks the reader at every level): the least grant.
WITH RECURSIVE read_by_views(oid) AS (
	SELECT c.oid FROM pg_class c WHERE c.relnamespace = 'issuelist_bi'::regnamespace
	UNION
	SELECT d.refobjid FROM read_by_views v
	  JOIN pg_rewrite r ON r.ev_class = v.oid
	  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
					  AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> v.oid
)
SELECT c.oid::regclass AS granted_but_not_read FROM pg_class c
 WHERE c.relnamespace = 'issuelist'::regnamespace
   AND has_table_privilege('issuelist_reader', c.oid, 'SELECT')
   AND c.oid NOT IN (SELECT oid FROM read_by_views);
SELECT c.oid::regclass AS writable FROM pg_class c
 WHERE c.relnamespace IN ('issuelist_bi'::regnamespace, 'issuelist'::regnamespace)
   AND c.relkind IN ('r', 'v', 'p', 'm', 'f')
   AND has_table_privilege('issuelist_reader', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE');
