-- The BI views show what the extension's own functions and views show:
-- issues as issuelist.issues, lists as issuelist.list_summary, scores and
-- ranks as ranking() on frozen quarters, the daily series as counting
-- issues_as_of(day) day by day; and a filter on the list can use an index.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
\set SHOW_CONTEXT never

-- The hand-built province (sql/bi_province.psql): Zhejiang, the cities
-- Hangzhou and Jinhua, the counties Xihu (with the township Lingyin), Yuhang
-- and Yiwu; five issues of 2021 that go through the loop:
--   AUD-2021-000001 Yiwu, critical, never rectified: overdue from 2021-02-10
--   AUD-2021-000002 Xihu, major, closed on time on 2021-03-25
--   SAF-2021-000001 Yuhang, serious, extended to 2021-09-30, then tolerated
--   INS-2021-000001 Lingyin, general, closed 2021-03-01, reopened 2021-03-10
--   CMP-2021-000001 Yiwu, general, self-reported, withdrawn the next day
-- and the quarters 2021Q1 and 2021Q2 frozen.
\getenv abs_srcdir PG_ABS_SRCDIR
\set bi_province :abs_srcdir '/sql/bi_province.psql'
\i :bi_province

-- Organizations: the hierarchy flattened.
SELECT org_code, org_name_zh, org_level, level_order, parent_code, province_code,
       city_code, city_name, county_code, county_name_zh, depth, path
  FROM issuelist_bi.orgs ORDER BY path;

-- Issues: codes, labels and orders next to each other; dates; the
-- organization with its county, city and province.
SELECT issue_code, list_code, list_label, list_label_zh, list_order,
       severity_code, severity_label, severity_label_zh, severity_rank
  FROM issuelist_bi.issues ORDER BY issue_code;
SELECT issue_code, state_code, state_label, state_label_zh, state_order, is_open,
       origin, reopen_count, tolerated, official
  FROM issuelist_bi.issues ORDER BY issue_code;
SELECT issue_code, org_code, org_name, county_code, city_code, city_name_zh, province_code,
       found_on, found_quarter, due_on, closed_on, days_to_close
  FROM issuelist_bi.issues ORDER BY issue_code;
-- What depends on today is issuelist.issues' own computation.
SELECT count(*) AS issues,
       count(*) FILTER (WHERE (b.overdue, b.overdue_days, b.light, b.tolerated, b.due_on)
                              IS NOT DISTINCT FROM (i.overdue, i.overdue_days, i.light, i.tolerated, i.due_on)) AS same
  FROM issuelist_bi.issues b JOIN issuelist.issues i ON i.code = b.issue_code;

-- The history of one issue.
SELECT seq, "time", on_date, event, from_state_code, to_state_code, state_code,
       state_label_zh, is_open, due_on, closed_on, reopen_count, note, actor_role
  FROM issuelist_bi.issue_events WHERE issue_code = 'INS-2021-000001' ORDER BY seq;
SELECT issue_code, seq, event, due_on, note
  FROM issuelist_bi.issue_events WHERE issue_code = 'SAF-2021-000001' AND event <> 'transition';

-- Lists: the numbers of issuelist.list_summary (the client's "lists").
SELECT list_code, list_label_zh, list_order, open, overdue, due_soon,
       open_major_or_critical, tolerated, overdue_tolerated, closed, withdrawn, total
  FROM issuelist_bi.list_summary ORDER BY list_order;
SELECT count(*) AS lists_differing
  FROM issuelist_bi.list_summary b JOIN issuelist.list_summary s ON s.code = b.list_code
 WHERE (b.open, b.overdue, b.overdue_tolerated, b.closed, b.withdrawn, b.total)
       IS DISTINCT FROM (s.open, s.overdue, s.overdue_tolerated, s.closed, s.withdrawn, s.total);

-- Scores and ranks: only frozen quarters, exactly ranking()'s numbers.
SELECT quarter, quarter_start, quarter_end, model, org_level, count(*) AS orgs,
       min(peers) AS peers, min(revision) AS revision
  FROM issuelist_bi.org_quarter_scores GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 5;
SELECT rank, org_code, org_name_zh, city_code, round(score, 4) AS score, deductions,
       veto, top_ten, rank_change, on_time_rate, round(on_time_lower, 4) AS on_time_lower,
       issues, new, open, overdue, closed_on_time, closed_late, tolerated
  FROM issuelist_bi.org_quarter_scores
 WHERE quarter = '2021Q2' AND model = 'standard' AND org_level = 'county'
 ORDER BY rank, org_code;
WITH r AS (
  SELECT q::text AS quarter, l AS level, x.*
    FROM unnest('{2021Q1,2021Q2}'::quarter[]) q,
         unnest('{province,city,county,township}'::text[]) l,
         LATERAL ranking(q, 'standard', l) x)
SELECT r.quarter, r.level, count(*) AS ranked,
       count(*) FILTER (WHERE (b.rank, b.score, b.deductions, b.veto, b.top_ten, b.rank_change,
                               b.on_time_rate, b.on_time_lower, b.open, b.overdue)
                              IS NOT DISTINCT FROM
                              (r.rank::integer, r.score::numeric, r.deductions::numeric, r.veto,
                               r.top_ten, r.rank_change::integer, r.on_time_rate::numeric,
                               r.on_time_lower::numeric, r.open, r.overdue)) AS same_as_ranking
  FROM r
  LEFT JOIN issuelist_bi.org_quarter_scores b
         ON b.quarter = r.quarter AND b.org_level = r.level AND b.model = 'standard'
        AND b.org_code = r.org
 GROUP BY 1, 2 ORDER BY 1, 2;
-- A quarter that is not frozen has no scores here.
SELECT count(*) AS unfrozen_rows FROM issuelist_bi.org_quarter_scores WHERE quarter = '2021Q3';

-- Counts by list: report_lists() of each organization; the lists'
-- deductions add up to the organization's.
SELECT org_code, list_code, general, serious, major, critical, issues, new, open, overdue,
       closed_on_time, closed_late, tolerated, deductions
  FROM issuelist_bi.org_quarter_lists
 WHERE quarter = '2021Q1' AND org_level = 'county' AND issues > 0
 ORDER BY org_code, list_order;
SELECT count(*) AS rows, count(*) FILTER (WHERE abs(s.deductions - l.deductions) < 1e-9) AS deductions_add_up
  FROM issuelist_bi.org_quarter_scores s
  JOIN (SELECT quarter, model, org_code, sum(deductions) AS deductions
          FROM issuelist_bi.org_quarter_lists GROUP BY 1, 2, 3) l USING (quarter, model, org_code);
SELECT count(*) AS rows_differing
  FROM issuelist_bi.org_quarter_lists b,
       LATERAL report_lists(b.org_code, b.quarter::quarter, b.model) r
 WHERE r.list = b.list_code
   AND (b.general, b.serious, b.major, b.critical, b.new, b.open, b.overdue,
        b.closed_on_time, b.closed_late, b.tolerated, b.deductions)
       IS DISTINCT FROM (r.general, r.serious, r.major, r.critical, r.new, r.open, r.overdue,
        r.closed_on_time, r.closed_late, r.tolerated, r.deductions::numeric);

-- The daily series: open and overdue per list and day are those of
-- issues_as_of(day), every day from the first one to today.
SELECT min(day) AS first_day, max(day) = current_date AS to_today,
       count(*) = (current_date - min(day) + 1) * (SELECT count(*) FROM list) AS every_day_every_list,
       bool_and("time" = day::timestamptz) AS time_is_day
  FROM issuelist_bi.list_daily;
SELECT day, list_code, open, overdue, found, closed
  FROM issuelist_bi.list_daily
 WHERE day IN ('2021-01-10', '2021-02-09', '2021-02-10', '2021-03-01', '2021-03-10', '2021-03-25')
   AND list_code IN ('audit', 'inspection')
 ORDER BY day, list_order;
SELECT count(*) AS days_checked,
       count(*) FILTER (WHERE (d.open, d.overdue) = (coalesce(a.open, 0), coalesce(a.overdue, 0))) AS same_as_issues_as_of
  FROM issuelist_bi.list_daily d
  LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE is_open(x.state)) AS open,
               count(*) FILTER (WHERE x.overdue AND NOT x.tolerated) AS overdue
          FROM issues_as_of(d.day) x WHERE x.list = d.list_code) a ON true
 WHERE d.day BETWEEN '2020-12-31' AND '2021-10-31';
SELECT sum(found) AS found, sum(closed) AS closed FROM issuelist_bi.list_daily;

-- A filter on the list does not force a scan of every issue: the view
-- lets the planner use the index on issue (list, found_on).
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	line text;
	plan text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
		plan := plan || line || E'\n';
	END LOOP;
	RETURN plan;
END $$;
SET enable_seqscan = off;
SELECT plan ~ 'issue_list_found_on' AS uses_list_index, plan ~ 'Seq Scan on issue\M' AS reads_every_issue
  FROM pg_temp.plan_of($$SELECT issue_code FROM issuelist_bi.issues WHERE list_code = 'audit'$$) plan;
SELECT plan ~ 'issue_list_found_on' AS uses_list_index, plan ~ 'Seq Scan on issue\M' AS reads_every_issue
  FROM pg_temp.plan_of($$SELECT count(*) FROM issuelist_bi.issues
                          WHERE list_code = 'audit' AND found_on >= '2021-01-01' AND found_on < '2021-04-01'$$) plan;
RESET enable_seqscan;
