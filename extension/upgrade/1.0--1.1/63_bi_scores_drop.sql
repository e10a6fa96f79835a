
-- 1.1: the BI score views read publications (names, models and list labels
-- as published); they and their functions are made again by
-- 64_bi_scores.sql, which also grants them to the BI logins.
DROP VIEW issuelist_bi.org_quarter_scores, issuelist_bi.org_quarter_lists;
DROP FUNCTION bi_quarter_ranking(quarter, text, text), bi_quarter_lists(quarter, text, text);
