SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
\set SHOW_CONTEXT never

-- A hand-built province: two cities, twelve counties, 2021Q1 scored as of
-- 2021-03-31 with the standard model.  General external issues found
-- 2021-01-05 and due 2021-06-30 cost 1 each; so the deductions are
--   K02, K03: 1 (tie)   K04: 1 open + 5 closed on time (5 x 0.2) = 2
--   K05: 3   K06: 4   K01: a critical self issue overdue 21 days = 8 x 0.5 x 1.25 = 5 (veto)
--   K07: 6   K08: 7   K09: 8   K10: 9   K11, K12: 10 (tie at the tenth place)
SELECT count(*) FROM (
  SELECT add_org('P', 'Province', NULL, 'province')
  UNION ALL SELECT add_org('C1', 'City one', 'P', 'city')
  UNION ALL SELECT add_org('C2', 'City two', 'P', 'city')) s;
SELECT count(*) FROM (
  SELECT add_org(format('K%s', to_char(n, 'FM00')), format('County %s', n),
                 CASE WHEN n <= 6 THEN 'C1' ELSE 'C2' END, 'county')
    FROM generate_series(1, 12) n) s;
CREATE TEMP TABLE plan (org text, n int);
INSERT INTO plan VALUES ('K02', 1), ('K03', 1), ('K04', 1), ('K05', 3), ('K06', 4),
  ('K07', 6), ('K08', 7), ('K09', 8), ('K10', 9), ('K11', 10), ('K12', 10);
SELECT count(register_issue('complaints', p.org, 'general', 'an open issue', '2021-01-05', '2021-06-30',
                            'external', CASE WHEN p.org = 'K05' THEN 'Wang' END))
  FROM plan p, generate_series(1, p.n) i;
CREATE TEMP TABLE k04_closed AS
  SELECT register_issue('audit', 'K04', 'general', 'closed on time', '2021-01-05', '2021-06-30') AS code
    FROM generate_series(1, 5);
SELECT count(*) FROM k04_closed c,
  LATERAL (SELECT advance(c.code, 'assigned', NULL, '2021-01-10'),
                  advance(c.code, 'rectifying', NULL, '2021-01-11'),
                  advance(c.code, 'rectified', NULL, '2021-02-01'),
                  advance(c.code, 'closed', NULL, '2021-02-10')) a;
SELECT register_issue('safety', 'K01', 'critical', 'overdue critical', '2021-01-05', '2021-03-10', 'self') IS NOT NULL AS registered;

-- Ties share a rank; the veto is ranked and flagged but never in the top
-- ten; the tie at the tenth place brings both in (eleven counties).
SELECT org, rank, round(score::numeric, 4) AS score, deductions, on_time_rate,
       round(on_time_lower::numeric, 4) AS on_time_lower, open, overdue, veto, top_ten, rank_change
  FROM ranking('2021Q1');
SELECT count(*) FILTER (WHERE top_ten) AS top_ten, bool_or(top_ten AND veto) AS veto_in_top_ten
  FROM ranking('2021Q1');
-- The on-time rate's lower bound is Wilson's, z = 1.96.
SELECT on_time_lower = wilson_lower(5, 5) AS wilson FROM ranking('2021Q1') WHERE org = 'K04';
-- Cities are ranked from the sums of their counties' tallies.
SELECT org, rank, deductions, open, overdue, veto, top_ten FROM ranking('2021Q1', level => 'city');
SELECT deductions FROM ranking('2021Q1', level => 'province');
SELECT score('C1', '2021Q1') = score(sum(org_tally(o, '2021Q1'))) AS city_is_sum_of_counties
  FROM unnest(ARRAY['K01', 'K02', 'K03', 'K04', 'K05', 'K06']) o;

-- TOPSIS over the indicators: closeness in [0, 1]; with all the weight on
-- the score it orders as the score does.
SELECT bool_and(closeness BETWEEN 0 AND 1) AS in_range, count(*) AS counties
  FROM ranking('2021Q1', by => 'topsis');
SELECT org, rank, round(closeness::numeric, 4) AS closeness, veto, top_ten
  FROM ranking('2021Q1', by => 'topsis', weights => '{1, 0, 0, 0, 0}');
SELECT * FROM ranking('2021Q1', by => 'votes');
SELECT * FROM ranking('2021Q1', level => 'village');

-- rank_change needs the previous quarter frozen: NULL until then.
SELECT count(rank_change) AS with_change FROM ranking('2021Q2');
SELECT freeze_quarter('2021Q1') AS revision;
-- In 2021Q2, K04's closed issues are gone (closed before the quarter) and
-- K01's issue is 112 days overdue (4 months: 8 x 0.5 x 2 = 8).
SELECT org, rank, deductions, veto, top_ten, rank_change FROM ranking('2021Q2');

-- A frozen quarter does not move: an event recorded now, effective inside
-- 2021Q1, changes the live history but not the frozen score...
SELECT score('K02', '2021Q1') AS frozen_before;
SELECT advance(code, 'assigned', NULL, '2021-03-10'), advance(code, 'rectifying', NULL, '2021-03-11'),
       advance(code, 'rectified', NULL, '2021-03-15'), advance(code, 'closed', NULL, '2021-03-20')
  FROM issues WHERE org = 'K02';
SELECT score('K02', '2021Q1') AS frozen_after, deductions(org_tally('K02', '2021Q1')) AS frozen_deductions;
-- ... until the quarter is published again, as a new revision, which
-- needs a reason.
SELECT freeze_quarter('2021Q1') AS revision;
SELECT freeze_quarter('2021Q1', reason => 'K02 closed its issue on 2021-03-20: recorded late') AS revision;
SELECT q, revision, as_of, issues FROM quarter_freeze ORDER BY revision;
SELECT deductions(org_tally('K02', '2021Q1')) AS refrozen_deductions, rank
  FROM ranking('2021Q1') WHERE org = 'K02';
SELECT revision, org, tally FROM rollup WHERE org = 'K02' ORDER BY revision;

-- explain_score of a frozen quarter: the points sum exactly to the deductions.
SELECT * FROM explain_score('C1', '2021Q1');
SELECT sum(points) = (SELECT deductions FROM ranking('2021Q1', level => 'city') WHERE org = 'C1') AS exact
  FROM explain_score('C1', '2021Q1');

-- Reports.
SELECT * FROM report_lists('K04', '2021Q1');
SELECT q, round(score::numeric, 4) AS score, rank, deductions, open, overdue, closed_on_time, closed_late
  FROM trend('K04', '2021Q1', '2021Q3');
SELECT * FROM official_record('Wang', '2021Q1');
SELECT * FROM official_record('Nobody', '2021Q1');
SELECT count(*) FROM (SELECT register_issue('complaints', 'K06', 'general', 'same name elsewhere', '2021-01-05', '2021-06-30', 'external', 'Wang')) s;
SELECT * FROM official_record('Wang', '2021Q1');
SELECT q, org, title, found, open, published FROM official_record((SELECT code FROM official WHERE name = 'Wang' AND org = 'K06'), '2021Q1');

-- Errors.
SELECT score('K99', '2021Q1');
-- (the current quarter is not over; the next one has not begun)
DO $$
BEGIN
	PERFORM issuelist.freeze_quarter(issuelist.quarter(current_date));
EXCEPTION WHEN invalid_parameter_value THEN
	RAISE NOTICE 'freezing the current quarter is refused (%)', SQLSTATE;
END $$;
DO $$
BEGIN
	PERFORM issuelist.score('K01', issuelist.quarter(current_date) + 1);
EXCEPTION WHEN invalid_parameter_value THEN
	RAISE NOTICE 'scoring a quarter not begun is refused (%)', SQLSTATE;
END $$;

-- A county office sees the same ranking as the province (scores count
-- every issue, whoever asks), but cannot freeze a quarter.
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_k03_office;
RESET client_min_messages;
CREATE ROLE regress_k03_office;
GRANT issuelist_editor TO regress_k03_office;
SELECT grant_org('regress_k03_office', 'K03');
SET ROLE regress_k03_office;
SELECT count(*) AS issues_visible FROM issues;
SELECT count(*) AS ranked, sum(deductions) AS deductions FROM ranking('2021Q2');
SELECT freeze_quarter('2021Q2');
RESET ROLE;
SELECT count(*) AS ranked, sum(deductions) AS deductions FROM ranking('2021Q2');
DROP OWNED BY regress_k03_office;
DROP ROLE regress_k03_office;
