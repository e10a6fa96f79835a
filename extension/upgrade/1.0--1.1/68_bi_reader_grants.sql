
-- 1.1: the BI reader keeps only what its views read (68_bi_reader.sql):
-- 1.0 also granted it org_member and score_model, which no view reads.
REVOKE SELECT ON org_member, score_model FROM issuelist_reader;
