-- Every function that takes an organization refuses an unknown one the
-- same way: SQLSTATE IL005, "unknown organization", whatever else it does
-- (docs/errors.md).  Each function of the extension with an argument named
-- org (or under, official_org, parent) is called with 'NOSUCH' and
-- plausible other arguments, on data where its work would find rows; what
-- it answers is listed.  The helpers row security and the reports call
-- (predicates and matchers that answer false, NULL or nothing for an
-- unknown organization) are listed too, as such.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;

SELECT load_sample_province();
SELECT generate_sample_issues('2021Q1', '2021Q2', 200, 1);
SELECT freeze_quarter('2021Q1');

CREATE TEMP TABLE org_calls AS
SELECT p.oid::regprocedure::text AS f, p.proname,
       (SELECT string_agg(CASE WHEN n IN ('org', 'under', 'official_org', 'parent')
                               THEN format('%I => %L', n, 'NOSUCH')
                               ELSE format('%I => %s', n,
                                 CASE WHEN t = 'issuelist.quarter'::regtype THEN '''2021Q1''::issuelist.quarter'
                                      WHEN t = 'issuelist.severity'::regtype THEN '''general''::issuelist.severity'
                                      WHEN t = 'date'::regtype THEN 'date ''2021-03-01'''
                                      WHEN t = 'boolean'::regtype THEN 'false'
                                      WHEN t = 'name'::regtype THEN 'current_user'
                                      WHEN n = 'connection_limit' THEN '3'
                                      WHEN t IN ('integer'::regtype, 'bigint'::regtype) THEN 'NULL'
                                      WHEN t = 'text'::regtype THEN
                                           CASE n WHEN 'model' THEN '''standard''' WHEN 'level' THEN '''county'''
                                                  WHEN 'list' THEN '''audit''' WHEN 'by' THEN '''score'''
                                                  WHEN 'title' THEN '''secretary''' WHEN 'origin' THEN '''external'''
                                                  WHEN 'statement_timeout' THEN '''30s''' WHEN 'q' THEN '''2021Q1'''
                                                  ELSE '''x''' END
                                      ELSE 'NULL::' || format_type(t, NULL) END) END,
                          ', ' ORDER BY k)
          FROM unnest(p.proargnames[1:p.pronargs], p.proargtypes::regtype[]) WITH ORDINALITY a(n, t, k)) AS args
  FROM pg_proc p
 WHERE p.pronamespace = 'issuelist'::regnamespace AND p.prokind = 'f'
   AND p.proargnames[1:p.pronargs] && ARRAY['org', 'under', 'official_org', 'parent'];

CREATE FUNCTION pg_temp.outcome(f text, args text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	st text;
	msg text;
BEGIN
	EXECUTE format('SELECT * FROM %s(%s)', f, args);
	RETURN 'answers';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	RETURN st || ': ' || msg;
END $$;

-- The functions users call: every one refuses with IL005.
SELECT f, pg_temp.outcome(proname, args) AS outcome
  FROM org_calls
 WHERE proname NOT IN ('covers', 'member_of_unit', 'ranked_unit', 'escalation_target',
                       'post_holder', 'org_standing', 'sample_official_code', 'org_matches',
                       'revoke_org')
 ORDER BY f;

-- The helpers, which answer for an unknown organization instead: the
-- predicates of row security and identity (false), the matcher (no
-- match), the lookups of a post, a rank, an escalation target (nothing),
-- and revoke_org (false: no grant was revoked).
SELECT f, pg_temp.outcome(proname, args) AS outcome
  FROM org_calls
 WHERE proname IN ('covers', 'member_of_unit', 'ranked_unit', 'escalation_target',
                   'post_holder', 'org_standing', 'sample_official_code', 'org_matches',
                   'revoke_org')
 ORDER BY f;
