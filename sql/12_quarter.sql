-- The type quarter: spellings, canonical output, arithmetic, dates, series,
-- binary I/O, the btree and hash operator classes and the errors.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;

-- Every accepted spelling reads as the same quarter, written canonically.
SELECT s, s::quarter AS q, s::quarter::text = '2021Q1' AS canonical
  FROM (VALUES ('2021Q1'), ('2021q1'), ('2021-Q1'), ('2021-q1'), ('2021 Q1'),
               ('2021 q1'), ('  2021Q1  '), (E'\t2021-Q1\n'), ('02021Q1')) v(s);
