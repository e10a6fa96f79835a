-- The sweep: for every day from 1900-01-01 to 2100-12-31, quarter(d) agrees
-- with PostgreSQL's own calendar (extract, date_trunc) and with lower, upper,
-- @>, <@, + and the text form.  Every check must hold on every day.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;

SELECT count(*) AS days,
       count(DISTINCT q) AS quarters,
       count(*) FILTER (WHERE NOT (
              year(q) = extract(year FROM d)
          AND quarter_number(q) = extract(quarter FROM d)
          AND lower(q) = date_trunc('quarter', d::timestamp)::date
          AND upper(q) = (date_trunc('quarter', d::timestamp)
                          + interval '3 months' - interval '1 day')::date
          AND lower(q) <= d AND d <= upper(q)
          AND q @> d AND d <@ q
          AND NOT q @> (lower(q) - 1) AND NOT q @> (upper(q) + 1)
          AND lower(q + 1) = upper(q) + 1
          AND quarter(upper(q) + 1) = q + 1
          AND q::text::quarter = q)) AS mismatches
  FROM generate_series(0, date '2100-12-31' - date '1900-01-01') AS i,
       LATERAL (SELECT date '1900-01-01' + i AS d) AS day,
       LATERAL (SELECT quarter(d) AS q) AS qd;
