-- One rule for overdue, one base for the change from last quarter
-- (docs/ranking.md#overdue): an issue open and past its due day is overdue
-- and counted as such unless a tolerance holds; the tolerated ones past due
-- are listed too, marked tolerated, and counted apart (overdue_tolerated).
-- For every county, in a published quarter and in the live one, the
-- summary's counts are the rows of its overdue list, and the BI views count
-- the same.  The change of score and of rank both compare with the previous
-- quarter as published, and are NULL while it is not.  The days are those
-- of the sample around today, so only agreement is shown, never a count.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;

SELECT load_sample_province() > 0 AS loaded;
SELECT generate_sample_issues(quarter(current_date) - 2, quarter(current_date), 1500, 5) > 0
       AS generated;
SELECT quarter(current_date) - 1 AS published, quarter(current_date) AS live \gset

-- Some issues overdue at the end of the published quarter, and some
-- overdue today, are tolerated, so that both counts have rows.
SELECT count(tolerate(code, 'good-faith error', 'review board', upper(:'published'::quarter) - 5,
                      upper(:'published'::quarter) + 200)) > 0 AS tolerated_then
  FROM (SELECT i.code FROM issues i
         WHERE i.overdue AND NOT i.tolerated AND i.due_on < upper(:'published'::quarter) - 5
           AND NOT EXISTS (SELECT FROM issue_event e WHERE e.issue = i.id
                              AND e.on_date > upper(:'published'::quarter) - 5)
         ORDER BY i.code LIMIT 40) o;
SELECT count(tolerate(code, 'good-faith error', 'review board', current_date, current_date + 30)) > 0
       AS tolerated_now
  FROM (SELECT code FROM issues WHERE overdue AND NOT tolerated
         AND due_on < current_date - 1 ORDER BY code DESC LIMIT 40) o;
SELECT freeze_quarter(:'published') AS revision;

-- The summary and the list, for every county and both quarters.
CREATE TEMP TABLE agree AS
SELECT q.q, o.code AS org, s.overdue, s.overdue_tolerated,
       (SELECT count(*) FILTER (WHERE NOT l.tolerated) FROM report_overdue(o.code, q.q, NULL) l) AS listed,
       (SELECT count(*) FILTER (WHERE l.tolerated) FROM report_overdue(o.code, q.q, NULL) l) AS listed_tolerated,
       (SELECT count(*) FILTER (WHERE NOT l.tolerated) FROM overdue_issues(o.code, tally_day(q.q)) l) AS client_listed
  FROM (VALUES (:'published'::quarter), (:'live'::quarter)) q(q)
 CROSS JOIN org o
 CROSS JOIN LATERAL report_summary(o.code, q.q) s
 WHERE o.level = 'county';
SELECT q = :'live'::quarter AS live, count(*) AS counties,
       bool_and(overdue = listed AND listed = client_listed) AS overdue_is_the_list,
       bool_and(overdue_tolerated = listed_tolerated) AS tolerated_is_the_list,
       sum(overdue) > 0 AS some_overdue, sum(overdue_tolerated) > 0 AS some_tolerated
  FROM agree GROUP BY 1 ORDER BY 1;

-- The ranking and the BI views count the same: org_quarter_scores for both
-- quarters, and, today, issuelist_bi.issues (overdue and not tolerated)
-- and the lists (the client's lists, the view list_summary and
-- issuelist_bi.list_summary add up to the province's counts), and the
-- daily series.
-- (org_quarter_scores has the published quarters only.)
SELECT a.q = :'live'::quarter AS live,
       bool_and(r.overdue = a.overdue) AS ranking,
       count(b.org_code) AS bi_scores_rows,
       bool_and(b.overdue = a.overdue) AS bi_scores
  FROM agree a
 CROSS JOIN LATERAL ranking(a.q) r
  LEFT JOIN issuelist_bi.org_quarter_scores b ON b.quarter = a.q::text AND b.org_code = a.org
 WHERE r.org = a.org
 GROUP BY 1 ORDER BY 1;
SELECT bool_and(a.overdue = (SELECT count(*) FROM issuelist_bi.issues i
                              WHERE i.overdue AND NOT i.tolerated
                                AND i.org_code IN (SELECT subtree(a.org))))
       AND bool_and(a.overdue_tolerated = (SELECT count(*) FROM issuelist_bi.issues i
                              WHERE i.overdue AND i.tolerated
                                AND i.org_code IN (SELECT subtree(a.org)))) AS bi_issues_today
  FROM agree a WHERE a.q = :'live'::quarter;
SELECT (SELECT sum(overdue) FROM agree WHERE q = :'live'::quarter) AS counties,
       (SELECT sum(overdue_tolerated) FROM agree WHERE q = :'live'::quarter) AS counties_tolerated
\gset
SELECT sum(overdue) = :counties AND sum(overdue_tolerated) = :counties_tolerated AS lists,
       (SELECT sum(overdue) = :counties AND sum(overdue_tolerated) = :counties_tolerated
          FROM list_summary) AS list_summary,
       (SELECT sum(overdue) = :counties AND sum(overdue_tolerated) = :counties_tolerated
          FROM issuelist_bi.list_summary) AS bi_list_summary,
       (SELECT count(*) FROM overdue_issues() WHERE NOT tolerated) = :counties AS overdue_command
  FROM list_summary_on();

-- The daily series counts the same: today, the live quarter's numbers;
-- on the published quarter's last day, its published ones.
SELECT (SELECT sum(overdue) FROM issuelist_bi.list_daily WHERE day = current_date) = :counties
       AS list_daily_today,
       (SELECT sum(overdue) FROM issuelist_bi.list_daily WHERE day = upper(:'published'::quarter))
       = (SELECT sum(overdue) FROM agree WHERE q = :'published'::quarter) AS list_daily_published;

-- The change from last quarter: against the published quarter, both the
-- score and the rank, and compared_with says so; the live quarter's
-- previous quarter is the published one.  A quarter whose previous one is
-- not published shows no change at all.
SELECT bool_and(s.previous_score = score(s.org, s.quarter - 1)) AS score_published,
       bool_and(s.rank_change = p.rank - s.rank) AS rank_published,
       bool_and(s.compared_with = (:'published'::quarter)::text || ' as published (revision 1)') AS says_which
  FROM agree a
 CROSS JOIN LATERAL report_summary(a.org, a.q) s
  JOIN ranking(:'published') p ON p.org = s.org
 WHERE a.q = :'live'::quarter;
SELECT count(*) AS counties, count(previous_score) AS previous_scores,
       count(score_change) AS score_changes, count(rank_change) AS rank_changes,
       bool_and(compared_with = (:'published'::quarter - 1)::text || ' not published: no change shown') AS says_which
  FROM org o CROSS JOIN LATERAL report_summary(o.code, :'published') s
 WHERE o.level = 'county';
