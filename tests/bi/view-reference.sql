-- The reference of the BI views in Markdown, from the catalog comments: the
-- section of docs/bi-guide.md between its "views (generated)" markers.
-- tests/t/403_bi_guide.pl checks that the guide holds exactly this text;
-- tests/bi/update-guide rewrites the section after a comment changed.
-- Run with: psql -XAtq -f tests/bi/view-reference.sql
SELECT string_agg(section, E'\n' ORDER BY view)
  FROM (SELECT c.relname AS view,
               format(E'### `issuelist_bi.%s`\n\n%s\n\n| column | type | description |\n|---|---|---|\n%s\n',
                      c.relname, obj_description(c.oid, 'pg_class'),
                      string_agg(format('| `%s` | %s | %s |', a.attname,
                                        format_type(a.atttypid, a.atttypmod),
                                        replace(col_description(c.oid, a.attnum), '|', '\|')),
                                 E'\n' ORDER BY a.attnum)) AS section
          FROM pg_class c
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relnamespace = 'issuelist_bi'::regnamespace
         GROUP BY c.oid, c.relname) s;
