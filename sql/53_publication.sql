-- Publication (docs/trust.md): a published quarter's numbers never move.
-- Every reader of a published quarter is read before and after the model,
-- a list weight, a list's and an organization's names and an official are
-- edited and a late event is recorded inside the quarter: each returns the
-- same bytes.  A model version other than the published one is a what-if;
-- a revision needs a reason and every revision stays readable.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET datestyle = ISO;

\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers

SELECT load_sample_province();
SELECT generate_sample_issues('2023Q1', '2023Q4', 120, 11);
INSERT INTO score_model SELECT 'strict', 'a stricter model', 1.5, 3, 7, 13, 0.7, 1.3, 3.1, 0.4,
	0.35, 0.8, 0.9, 35;
INSERT INTO score_model_list VALUES ('strict', 'audit', 2.5);
SELECT freeze_quarter('2023Q3') AS revision, freeze_quarter('2023Q4') AS revision;
SELECT q, model, version FROM publication_model ORDER BY q, model;
-- freeze_quarter reads the officials' pass and the digest side by side
-- (tallies_beside_digest, the digest in a parallel worker when one can be
-- had): the same as each read alone, with a worker and without one.
CREATE FUNCTION pg_temp.beside_is_alone() RETURNS TABLE (digest_same boolean, people_same boolean)
	LANGUAGE sql AS $$
	SELECT b.digest = issuelist.history_heads_digest(),
		   (SELECT string_agg(p::text, ';' ORDER BY p::text) FROM unnest(b.people) p)
			 = (SELECT string_agg(x, ';' ORDER BY x)
				  FROM (SELECT ROW('2023Q3', 7, r.org, r.official, r.tally, r.clarified)
							   ::issuelist.publication_official::text AS x
						  FROM issuelist.responsible_tallies_pass('2023Q3', '2023-09-30') r) a)
	  FROM issuelist.tallies_beside_digest('2023Q3', '2023-09-30', 7) b
$$;
SELECT * FROM pg_temp.beside_is_alone();
-- (the pass plans with one worker fewer than a query may have, the
-- digest's being one of them; the setting is the caller's again after)
SELECT current_setting('max_parallel_workers_per_gather') AS workers_a_query_after;
SET max_parallel_workers = 0;
SELECT * FROM pg_temp.beside_is_alone();
SELECT current_setting('max_parallel_workers_per_gather') AS workers_a_query_after;
RESET max_parallel_workers;
SELECT official AS busy_official, org AS busy_org FROM issue
 WHERE official IS NOT NULL GROUP BY official, org ORDER BY count(*) DESC, official LIMIT 1 \gset

-- Every reader of a quarter, one digest each.
CREATE FUNCTION pg_temp.readers(q quarter, official text, official_org text)
	RETURNS TABLE (reader text, rows bigint, digest text) LANGUAGE sql AS $$
	SELECT 'ranking county', count(*), md5(string_agg(r::text, ',' ORDER BY r.org)) FROM ranking(q) r
	UNION ALL
	SELECT 'ranking city strict', count(*), md5(string_agg(r::text, ',' ORDER BY r.org)) FROM ranking(q, 'strict', 'city') r
	UNION ALL
	SELECT 'ranking by topsis', count(*), md5(string_agg(r::text, ',' ORDER BY r.org)) FROM ranking(q, by => 'topsis') r
	UNION ALL
	SELECT 'score of every org', count(*), md5(string_agg(o.code || score(o.code, q)::text, ',' ORDER BY o.code)) FROM org o
	UNION ALL
	SELECT 'explain_score', count(*), md5(string_agg(e::text, ',')) FROM explain_score('330782', q, 'strict') e
	UNION ALL
	SELECT 'report_lists', count(*), md5(string_agg(o.code || r::text, ',' ORDER BY o.code, r.position)) FROM org o, report_lists(o.code, q) r
	UNION ALL
	SELECT 'trend', count(*), md5(string_agg(t::text, ',')) FROM trend('330782', q - 1, q) t
	UNION ALL
	SELECT 'official_record', count(*), md5(string_agg(r::text, ',')) FROM official_record(official, q) r
	UNION ALL
	SELECT 'official_ranking', count(*), md5(string_agg(r::text, ',' ORDER BY r.org)) FROM official_ranking(q) r
	UNION ALL
	SELECT 'meeting_plan', count(*), md5(string_agg(r::text, ',' ORDER BY r.org)) FROM meeting_plan(q, '{audit,safety}') r
	UNION ALL
	SELECT 'bi scores', count(*), md5(string_agg(b::text, ',' ORDER BY b.model, b.org_level, b.org_code))
	  FROM issuelist_bi.org_quarter_scores b WHERE b.quarter = q::text
	UNION ALL
	SELECT 'bi lists', count(*), md5(string_agg(b::text, ',' ORDER BY b.model, b.org_level, b.org_code, b.list_order))
	  FROM issuelist_bi.org_quarter_lists b WHERE b.quarter = q::text
$$;
CREATE TEMP TABLE published_before AS SELECT * FROM pg_temp.readers('2023Q4', :'busy_official', :'busy_org');
SELECT reader, rows FROM published_before;
SELECT rank, org, name, round(score::numeric, 4) AS score, top_ten, published, revision
  FROM ranking('2023Q4') LIMIT 3;

-- The edits: the standard model's weights, a list weight, names of a list,
-- an organization and a city, an official's post and name, a new
-- secretary of Yiwu from inside the quarter, and an issue of the quarter
-- closed now with an effective day inside it (an admin's backfill).
UPDATE score_model SET w_general = 5, k = 10 WHERE name = 'standard';
INSERT INTO score_model_list VALUES ('standard', 'audit', 3);
UPDATE score_model SET w_critical = 20 WHERE name = 'strict';
UPDATE list SET name = 'Audit findings', name_zh = '审计发现' WHERE code = 'audit';
UPDATE org SET name = 'Yiwu City', name_zh = '义乌' WHERE code = '330782';
UPDATE org SET name = 'Jinhua City' WHERE code = '330700';
UPDATE official SET post = 'retired', name = 'Renamed Official' WHERE code = :'busy_official';
SELECT add_official('NEW01', 'Newly Appointed');
SELECT appoint('NEW01', '330782', 'secretary', '2023-12-01') > 0 AS appointed;
SELECT code AS open_code FROM issue WHERE org = '330782' AND state = 'rectified'
 ORDER BY code LIMIT 1 \gset
SELECT advance(:'open_code', 'closed', 'struck off, recorded late', '2023-12-30', late_reason => 'paper file found') AS closed_late;

-- The models moved on to new versions; the publications keep theirs.
SELECT name, version FROM score_model ORDER BY name;
SELECT q, model, version FROM publication_model ORDER BY q, model;

-- Every reader returns the same bytes.
SELECT b.reader, b.digest = a.digest AS same, b.rows = a.rows AS same_rows
  FROM published_before b
  JOIN pg_temp.readers('2023Q4', :'busy_official', :'busy_org') a USING (reader);
-- The names are those published, not the new ones.
SELECT org, name FROM ranking('2023Q4') WHERE org = '330782';
SELECT DISTINCT org_name, org_name_zh, city_name FROM issuelist_bi.org_quarter_scores
 WHERE quarter = '2023Q4' AND org_code = '330782';
SELECT DISTINCT list_label, list_label_zh FROM issuelist_bi.org_quarter_lists
 WHERE quarter = '2023Q4' AND list_code = 'audit';

-- Another version is a what-if: marked in the rows, a NOTICE for a scalar.
SELECT count(*) AS rows, bool_or(published) AS any_published, min(revision) AS revision
  FROM ranking('2023Q4', 'standard@2');
SELECT round(score('330782', '2023Q4'::quarter)::numeric, 6) AS published_score;
SELECT round(score('330782', '2023Q4'::quarter, 'standard@2')::numeric, 6) AS what_if_score;
SELECT round(score('330782', '2023Q4'::quarter, 'standard@1')::numeric, 6) AS stored_version_score;
-- A quarter not published is scored with the current version.
SELECT count(*) AS rows, bool_or(published) AS any_published, min(revision) AS revision
  FROM ranking('2024Q1');

-- Editing version 2 (not yet published) again changes it in place.
UPDATE score_model SET w_serious = 2.5 WHERE name = 'standard';
SELECT name, version FROM score_model WHERE name = 'standard';

-- A published model is never renamed or deleted.
SELECT pg_temp.try($$UPDATE score_model SET name = 'old_standard' WHERE name = 'standard'$$);
SELECT pg_temp.try($$DELETE FROM score_model WHERE name = 'strict'$$);
-- What is published is never updated or deleted, the superuser's hand included.
SELECT pg_temp.try($$UPDATE rollup SET tally = tally WHERE q = '2023Q4'$$);
SELECT pg_temp.try($$DELETE FROM publication_model$$);
SELECT pg_temp.try($$UPDATE quarter_freeze SET reason = 'why not' WHERE q = '2023Q4'$$);
SELECT pg_temp.try($$TRUNCATE publication_org$$);

-- A revision needs a reason; it stores the models as they stand then, and
-- every revision stays readable.
SELECT pg_temp.try($$SELECT freeze_quarter('2023Q4')$$);
SELECT pg_temp.try($$SELECT freeze_quarter('2023Q4', '  ')$$);
SELECT freeze_quarter('2023Q4', reason => 'a closing recorded late, and the model revised') AS revision;
SELECT q, revision, reason FROM quarter_freeze WHERE q = '2023Q4' ORDER BY revision;
SELECT revision, model, version FROM publication_model WHERE q = '2023Q4' ORDER BY revision, model;
SELECT count(*) AS rows, bool_and(published) AS published, min(revision) AS revision
  FROM ranking('2023Q4');
SELECT md5(string_agg(r::text, ',' ORDER BY r.org)) = (SELECT digest FROM published_before WHERE reader = 'ranking county')
	   AS revision_1_unchanged
  FROM ranking('2023Q4', revision => 1) r;
SELECT (SELECT name FROM ranking('2023Q4', revision => 1) WHERE org = '330782') AS name_in_revision_1,
	   (SELECT name FROM ranking('2023Q4') WHERE org = '330782') AS name_in_revision_2;
SELECT verify_quarter('2023Q4', 1) AS revision_1_intact, verify_quarter('2023Q4') AS revision_2_intact;

-- Refusals name the values.
SELECT pg_temp.try($$SELECT * FROM ranking('2023Q4', revision => 9)$$);
SELECT pg_temp.try($$SELECT * FROM ranking('2023Q4', 'standard@x')$$);
SELECT pg_temp.try($$SELECT * FROM ranking('2023Q4', 'standard@7')$$);
SELECT pg_temp.try($$SELECT * FROM ranking('2023Q4', 'nosuch')$$);
SELECT pg_temp.try($$SELECT * FROM ranking('2023Q4', NULL)$$);
SELECT pg_temp.try($$SELECT freeze_quarter('2030Q1')$$);

-- The tallies a publication stores are compressed with lz4 when they are
-- large enough to be compressed at all (this server has lz4; pglz took a
-- sixth of a freeze at a million issues), and read back as they were
-- computed: the stored rollup equals the organizations' tallies computed
-- again as of the published day.
SELECT attrelid::regclass AS stored_in, attcompression AS compression
  FROM pg_attribute
 WHERE attname = 'tally' AND attrelid IN ('rollup'::regclass, 'publication_official'::regclass)
 ORDER BY 1;
SELECT count(*) AS organizations,
	   bool_and(r.tally::text = l.tally::text) AS as_computed
  FROM rollup r
  JOIN live_org_tallies('2023Q4', '2023-12-31') l ON l.org = r.org
 WHERE r.q = '2023Q4' AND r.revision = 2;
