-- The quarterly meeting (docs/officials.md): on the sample province with
-- its synthetic secretaries and heads (a few rotations), a meeting on a
-- topic presents the secretaries of the best counties on those lists
-- alone, as explain_score restricted to the lists says, never one with a
-- veto; the bottom ten are flagged for supervision talks; by improvement
-- against the previous published quarter; the meeting held is recorded.
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
\set SHOW_CONTEXT never
SELECT load_sample_province();
SELECT generate_sample_issues('2024Q1', '2024Q4', 400, 11);

-- The sample's people: a secretary and a head for every county and city,
-- all synthetic; every seventh county's secretary left at the end of 2024Q2 and
-- the head took the post.
SELECT count(*) AS posts, count(*) FILTER (WHERE synthetic) AS synthetic,
       count(*) FILTER (WHERE to_day IS NOT NULL) AS ended,
       count(DISTINCT org) AS orgs
  FROM post;
SELECT count(*) AS orgs_without_secretary
  FROM org o WHERE o.level IN ('city', 'county') AND o.path <@ '330000'
   AND post_holder(o.code, 'secretary', '2024-12-31') IS NULL;
SELECT count(DISTINCT i.official) AS officials_with_issues,
       count(*) FILTER (WHERE f.synthetic) = count(*) AS all_synthetic
  FROM issue i JOIN official f ON f.code = i.official;

SELECT freeze_quarter('2024Q3'), freeze_quarter('2024Q4');

-- A meeting on audit and inspection.  The topic score of each county,
-- computed here from explain_score restricted to the two lists (published
-- weights, K of the standard model), and its veto from the ranking.
CREATE TEMP TABLE topic AS
  SELECT r.org, r.veto,
         100 * w.k / (w.k + coalesce((SELECT sum(e.points) FROM explain_score(r.org, '2024Q4') e
                                      WHERE e.list IN ('audit', 'inspection')), 0)) AS score
    FROM ranking('2024Q4') r, quarter_weights('2024Q4', 'standard') w;
CREATE TEMP TABLE plan AS SELECT * FROM meeting_plan('2024Q4', '{audit,inspection}');
SELECT count(*) FILTER (WHERE presenter) AS presenters,
       count(*) FILTER (WHERE supervision) AS supervision,
       bool_and(published) AS published, min(revision) AS revision
  FROM plan;
-- The presenters are the best ten counties without a veto on the topic's
-- score alone, and their scores are that score.
SELECT (SELECT array_agg(p.org ORDER BY p.org) FROM plan p WHERE p.presenter)
     = (SELECT array_agg(t.org ORDER BY t.org)
          FROM (SELECT t.org, rank() OVER (ORDER BY t.score DESC) AS k
                  FROM topic t WHERE NOT t.veto) t WHERE t.k <= 10) AS best_on_the_topic;
SELECT bool_and(abs(p.score - t.score) < 1e-9) AS topic_scores
  FROM plan p JOIN topic t USING (org);
SELECT count(*) AS vetoed_presenters FROM plan p JOIN topic t USING (org) WHERE p.presenter AND t.veto;
-- The bottom ten on the topic, for supervision talks.
SELECT (SELECT array_agg(p.org ORDER BY p.org) FROM plan p WHERE p.supervision)
     = (SELECT array_agg(t.org ORDER BY t.org)
          FROM (SELECT t.org, rank() OVER (ORDER BY t.score) AS k FROM topic t) t
         WHERE t.k <= 10) AS bottom_ten;
-- Each row names the county's secretary on the quarter's last day.
SELECT bool_and(p.official = post_holder(p.org, 'secretary', '2024-12-31')) AS secretaries,
       bool_and(p.official_name = (SELECT f.name FROM official f WHERE f.code = p.official)) AS names
  FROM plan p;
-- With no topic (all lists) the presenters are the ranking's top ten.
SELECT (SELECT array_agg(org ORDER BY org) FROM meeting_plan('2024Q4') WHERE presenter)
     = (SELECT array_agg(org ORDER BY org) FROM ranking('2024Q4') WHERE top_ten) AS all_lists_is_the_top_ten;

-- By improvement over the previous published quarter.
SELECT count(*) FILTER (WHERE presenter) AS presenters,
       bool_and(improvement IS NOT NULL) AS improvements,
       (SELECT array_agg(p.org ORDER BY p.org) FROM meeting_plan('2024Q4', '{audit}', 5, 'improvement') p WHERE p.presenter)
     = (SELECT array_agg(x.org ORDER BY x.org)
          FROM (SELECT a.org, rank() OVER (ORDER BY
                         100 * w4.k / (w4.k + coalesce((SELECT sum(e.points) FROM explain_score(a.org, '2024Q4') e WHERE e.list = 'audit'), 0))
                       - 100 * w3.k / (w3.k + coalesce((SELECT sum(e.points) FROM explain_score(a.org, '2024Q3') e WHERE e.list = 'audit'), 0))
                       DESC) AS k
                  FROM ranking('2024Q4') a, quarter_weights('2024Q4', 'standard') w4,
                       quarter_weights('2024Q3', 'standard') w3
                 WHERE NOT a.veto) x WHERE x.k <= 5) AS most_improved
  FROM meeting_plan('2024Q4', '{audit}', 5, 'improvement');

-- Refusals: a quarter not published, improvement without the previous
-- quarter published, an unknown list, a bad basis or count.
SELECT pg_temp.try($$SELECT * FROM meeting_plan('2024Q2')$$) AS unpublished;
SELECT pg_temp.try($$SELECT * FROM meeting_plan('2024Q3', basis => 'improvement')$$) AS previous_unpublished;
SELECT pg_temp.try($$SELECT * FROM meeting_plan('2024Q4', '{audit,taxes}')$$) AS unknown_list;
SELECT pg_temp.try($$SELECT * FROM meeting_plan('2024Q4', basis => 'votes')$$) AS bad_basis;
SELECT pg_temp.try($$SELECT * FROM meeting_plan('2024Q4', presenters => -1)$$) AS bad_count;

-- The meeting held: its presenters by code.
SELECT hold_meeting('2024Q4', '2025-01-20', '{audit,inspection}',
                    (SELECT array_agg(official ORDER BY rank, org) FROM plan WHERE presenter)) AS meeting;
SELECT id, q, held_on, topic, cardinality(presenters) AS presenters,
       cardinality(presenter_names) AS names FROM meetings();
SELECT pg_temp.try($$SELECT hold_meeting('2024Q4', '2025-01-21', NULL, '{NOBODY1}')$$) AS unknown_code;
SELECT pg_temp.try($$SELECT hold_meeting('2024Q4', '2024-09-01', NULL, '{}')$$) AS before_the_quarter;
SELECT count(*) AS meetings FROM meeting;

-- BI: the meeting with its presenters in order, by code and name.
SELECT count(*) AS presenters, min(presenter_order) AS first, max(presenter_order) AS last,
       bool_and(official_name IS NOT NULL) AS named, min(topic) AS topic
  FROM issuelist_bi.meetings;
