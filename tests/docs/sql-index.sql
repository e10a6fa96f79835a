-- The SQL index of docs/sql-index.md: every object of schemas issuelist and
-- issuelist_bi with its signature and its COMMENT, read from the catalog so
-- that the page cannot drift from the extension (tests/t/090_docs_cover_api.pl
-- compares them).  Operator, type I/O and aggregate support functions are
-- left out: they are reached through their operators, types and aggregates.
\pset format unaligned
\pset tuples_only on
\pset footer off
WITH objects AS (
  SELECT 'Types' AS section, 1 AS section_order, format_type(t.oid, NULL) AS name,
         obj_description(t.oid, 'pg_type') AS comment
    FROM pg_type t
   WHERE t.typnamespace = 'issuelist'::regnamespace AND t.typtype = 'b'
     AND t.typcategory <> 'A'
  UNION ALL
  SELECT CASE c.relkind WHEN 'v' THEN 'Views' ELSE 'Tables' END,
         CASE c.relkind WHEN 'v' THEN 3 ELSE 4 END,
         c.oid::regclass::text, obj_description(c.oid, 'pg_class')
    FROM pg_class c
   WHERE c.relnamespace IN ('issuelist'::regnamespace, 'issuelist_bi'::regnamespace)
     AND c.relkind IN ('r', 'v', 'p')
  UNION ALL
  SELECT CASE p.prokind WHEN 'a' THEN 'Aggregates' WHEN 'w' THEN 'Window functions'
                        ELSE 'Functions' END,
         2,
         format('%s(%s) → %s', p.oid::regproc::text,
                pg_get_function_identity_arguments(p.oid),
                pg_get_function_result(p.oid)),
         obj_description(p.oid, 'pg_proc')
    FROM pg_proc p
   WHERE p.pronamespace IN ('issuelist'::regnamespace, 'issuelist_bi'::regnamespace)
     AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE p.oid IN
                     (t.typinput, t.typoutput, t.typreceive, t.typsend))
     AND NOT EXISTS (SELECT 1 FROM pg_operator o WHERE p.oid IN
                     (o.oprcode::oid, o.oprrest::oid, o.oprjoin::oid))
     AND NOT EXISTS (SELECT 1 FROM pg_amproc a WHERE a.amproc = p.oid)
     AND NOT EXISTS (SELECT 1 FROM pg_aggregate g WHERE p.oid IN
                     (g.aggtransfn, g.aggfinalfn, g.aggcombinefn,
                      g.aggserialfn, g.aggdeserialfn))
     AND p.prorettype <> 'trigger'::regtype
  UNION ALL
  SELECT 'Operators', 5,
         format('%s %s %s → %s', coalesce(format_type(o.oprleft, NULL), ''), o.oprname,
                format_type(o.oprright, NULL), format_type(o.oprresult, NULL)),
         obj_description(o.oid, 'pg_operator')
    FROM pg_operator o
   WHERE o.oprnamespace = 'issuelist'::regnamespace
)
SELECT string_agg(line, E'\n' ORDER BY section_order, section, n)
  FROM (SELECT section, section_order, 0 AS n, E'\n## ' || section || E'\n\n| object | what it is |\n|---|---|' AS line
          FROM objects GROUP BY section, section_order
        UNION ALL
        SELECT section, section_order,
               row_number() OVER (PARTITION BY section ORDER BY name COLLATE "C"),
               format('| `%s` | %s |', replace(name, '|', '\|'),
                      replace(coalesce(comment, '**no comment**'), '|', '\|'))
          FROM objects) l;
