
-- 1.1: frozen quarters become publications (docs/trust.md): the header
-- records why a quarter was published again and the history's digest.
ALTER TABLE quarter_freeze ADD COLUMN reason text, ADD COLUMN digest bytea;
COMMENT ON COLUMN quarter_freeze.reason IS 'why the quarter was published again (required from the second revision on)';
COMMENT ON COLUMN quarter_freeze.digest IS
	'history_digest(computed_at): the digest of the history the publication was computed from; verify_quarter() checks it';

-- Functions whose arguments or columns change in 1.1 are dropped here and
-- created again by the fragments that follow (51_publication.sql,
-- 52_ranking.sql, 55_reports.sql, 72_client_reports.sql); report_summary depends on
-- ranking() and goes with it.
DROP FUNCTION report_summary(text, quarter, text);
DROP FUNCTION ranking(quarter, text, text, text, float8[]);
DROP FUNCTION ranking_of_quarter(quarter, text, text, text, float8[]);
DROP FUNCTION level_tallies(quarter, text);
DROP FUNCTION org_tallies(quarter);
DROP FUNCTION org_tally(text, quarter);
DROP FUNCTION freeze_quarter(quarter);
DROP FUNCTION report_lists(text, quarter, text);
DROP FUNCTION trend(text, quarter, quarter, text);
DROP FUNCTION official_record(text, quarter, text, text);
