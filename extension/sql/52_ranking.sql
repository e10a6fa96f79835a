
-- ---------------------------------------------------------------------------
-- Scores of organizations and the quarterly ranking (docs/ranking.md).
-- Everything here starts from org_tallies / org_tally: published quarters
-- are read from their publication (tallies, weights, peers and names) and
-- never rescan the issues.  Only CREATE OR REPLACE here: the upgrade from
-- 1.0 runs this fragment as it is.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION score(org text, q quarter, model text DEFAULT 'standard')
	RETURNS float8
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	w score_weights := quarter_weights(q, model);
BEGIN
	PERFORM notice_what_if(q, w);
	RETURN weighted_score(org_tally(org, q), w);
END $$;
COMMENT ON FUNCTION score(text, quarter, text) IS
	'the score 100 K / (K + D) of an organization''s whole subtree in a quarter: as published, else live as of today; a model other than the published one is a what-if (NOTICE)';

-- score('330782', '2021Q1') with two untyped literals would be ambiguous
-- between score(tally, text) and score(text, quarter, text); this overload
-- takes the quarter as text so such calls resolve.
CREATE OR REPLACE FUNCTION score(org text, q text, model text DEFAULT 'standard')
	RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT issuelist.score(org, q::issuelist.quarter, model)
$$;
COMMENT ON FUNCTION score(text, text, text) IS
	'score(org, quarter, model) with the quarter written as text, e.g. score(''330782'', ''2021Q1'')';

CREATE OR REPLACE FUNCTION explain_score(org text, q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (list text, severity severity, origin text, bucket text,
				   issues bigint, points float8, arithmetic text)
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	w score_weights := quarter_weights(q, model);
BEGIN
	PERFORM notice_what_if(q, w);
	RETURN QUERY
		SELECT coalesce(l.code, e.list::text), e.severity, e.origin, e.bucket,
			   e.issues, e.points, e.arithmetic
		  FROM tally_explain(org_tally(explain_score.org, q), w.w_list, w.w_severity,
							 w.w_origin, w.overdue_rate, w.closed_on_time,
							 w.closed_late, w.recurrence_rate) WITH ORDINALITY e
		  LEFT JOIN quarter_lists(q) l ON l.position = e.list
		 ORDER BY e.ordinality;
END $$;
COMMENT ON FUNCTION explain_score(text, quarter, text) IS
	'the facts behind score(org, q, model): one row per list, severity, origin and bucket with its issues, points and arithmetic; sum(points) is the deductions';

-- The subtree tallies of the organizations of one level, for a quarter:
-- the peers and their names as published, else as they are.
CREATE OR REPLACE FUNCTION level_tallies(q quarter, level text, revision integer DEFAULT NULL)
	RETURNS TABLE (org text, name text, tally tally)
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100 AS $$
DECLARE
	rev integer := published_revision(q, revision);
	t date := tally_day(q);
BEGIN
	RETURN QUERY
		WITH orgs AS (SELECT * FROM quarter_orgs(q, rev)),
		own AS (SELECT * FROM org_tallies(q, rev))
		SELECT p.code, p.name,
			   coalesce(sum(own.tally), empty_tally(q, t))
		  FROM orgs p
		  JOIN orgs c ON c.path <@ p.path
		  LEFT JOIN own ON own.org = c.code
		 WHERE p.level = level_tallies.level
		 GROUP BY p.code, p.name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no organization of level "%"', level
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The levels are province, city, county and township.';
	END IF;
END $$;
COMMENT ON FUNCTION level_tallies(quarter, text, integer) IS
	'the tally of the whole subtree of every organization of a level for a quarter, summed from its organizations'' own tallies (as published, for a published quarter)';

-- One quarter's ranking under given weights, without the change of rank:
-- the peers' subtree tallies, their indicators, rank() by score or by
-- TOPSIS closeness.
CREATE OR REPLACE FUNCTION ranking_of_quarter(q quarter, w score_weights, level text,
		by text, weights float8[], revision integer DEFAULT NULL)
	RETURNS TABLE (org text, name text, rank bigint, score float8,
				   deductions float8, on_time_rate float8, on_time_lower float8,
				   open bigint, overdue bigint, veto boolean, top_ten boolean,
				   closeness float8)
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100 AS $$
BEGIN
	IF by IS NULL OR by NOT IN ('score', 'topsis') THEN
		RAISE EXCEPTION 'cannot rank by "%"', by
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Rank by score or by topsis.';
	END IF;
	RETURN QUERY
	WITH base AS (
		SELECT l.org, l.name, l.tally,
			   weighted_score(l.tally, w) AS score,
			   weighted_deductions(l.tally, w) AS deductions,
			   tally_count(l.tally, 'closed_on_time') AS on_time,
			   tally_count(l.tally, 'closed_on_time') + tally_count(l.tally, 'closed_late')
				   + tally_count(l.tally, 'overdue') AS trials,
			   tally_count(l.tally, 'open') AS open,
			   tally_count(l.tally, 'overdue') AS overdue,
			   tally_count(l.tally, 'overdue', severity => 'critical') > 0 AS veto
		  FROM level_tallies(q, level, revision) l
	), indicators AS (
		-- score and on-time lower bound are benefits; overdue issues, open
		-- major and critical issues and reopened issues are costs.
		SELECT b.*, wilson_lower(b.on_time, b.trials) AS lower_bound,
			   ARRAY[b.score, wilson_lower(b.on_time, b.trials),
					 b.overdue::float8,
					 (tally_count(b.tally, 'open', severity => 'major')
					  + tally_count(b.tally, 'open', severity => 'critical'))::float8,
					 tally_count(b.tally, 'reopened')::float8] AS criteria
		  FROM base b
	), weighted AS (
		SELECT i.*,
			   CASE WHEN by = 'topsis' THEN
				   topsis(i.criteria,
						  coalesce(weights,
								   (SELECT entropy_weights(ARRAY[x.criteria[1], x.criteria[2],
											-x.criteria[3], -x.criteria[4], -x.criteria[5]])
									  FROM indicators x)),
						  ARRAY[true, true, false, false, false]) OVER ()
			   END AS closeness
		  FROM indicators i
	), ranked AS (
		SELECT x.*,
			   CASE WHEN by = 'topsis' THEN x.closeness ELSE x.score END AS merit
		  FROM weighted x
	)
	SELECT r.org, r.name, rank() OVER (ORDER BY r.merit DESC), r.score,
		   r.deductions,
		   CASE WHEN r.trials > 0 THEN r.on_time::float8 / r.trials END,
		   r.lower_bound, r.open, r.overdue, r.veto,
		   -- The best ten without a veto; a tie at the tenth place brings
		   -- every tied organization in.
		   NOT r.veto AND rank() OVER (PARTITION BY r.veto ORDER BY r.merit DESC) <= 10,
		   r.closeness
	  FROM ranked r;
END $$;
COMMENT ON FUNCTION ranking_of_quarter(quarter, score_weights, text, text, float8[], integer) IS
	'ranking() of one quarter under given weights, without the change of rank';

-- The ranking's rows; ranking() below only names its arguments (a
-- PL/pgSQL function cannot have an argument and a column both named
-- revision).
CREATE OR REPLACE FUNCTION ranking_rows(q quarter, model text, level text, by text,
		weights float8[], wanted_revision integer)
	RETURNS TABLE (org text, name text, rank bigint, score float8,
				   deductions float8, on_time_rate float8, on_time_lower float8,
				   open bigint, overdue bigint, veto boolean, top_ten boolean,
				   rank_change bigint, closeness float8, published boolean,
				   revision integer)
	LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100 AS $$
DECLARE
	rev integer := published_revision(q, wanted_revision);
	w score_weights := quarter_weights(q, model, rev);
BEGIN
	-- The previous quarter counts only once it is published: the rank it was
	-- published with, not a live recomputation.
	RETURN QUERY
	WITH previous AS (
		SELECT p.org, p.rank
		  FROM ranking_of_quarter(q - 1, quarter_weights(q - 1, model), level, by, weights) p
		 WHERE frozen_revision(q - 1) IS NOT NULL
	)
	SELECT r.org, r.name, r.rank, r.score, r.deductions, r.on_time_rate,
		   r.on_time_lower, r.open, r.overdue, r.veto, r.top_ten,
		   p.rank - r.rank, r.closeness, w.published, rev
	  FROM ranking_of_quarter(q, w, level, by, weights, rev) r
	  LEFT JOIN previous p ON p.org = r.org
	 ORDER BY r.rank, r.org;
END $$;
COMMENT ON FUNCTION ranking_rows(quarter, text, text, text, float8[], integer) IS
	'the rows of ranking() (which see)';

CREATE OR REPLACE FUNCTION ranking(q quarter, model text DEFAULT 'standard',
		level text DEFAULT 'county', by text DEFAULT 'score',
		weights float8[] DEFAULT NULL, revision integer DEFAULT NULL)
	RETURNS TABLE (org text, name text, rank bigint, score float8,
				   deductions float8, on_time_rate float8, on_time_lower float8,
				   open bigint, overdue bigint, veto boolean, top_ten boolean,
				   rank_change bigint, closeness float8, published boolean,
				   revision integer)
	LANGUAGE sql STABLE PARALLEL SAFE ROWS 100 AS $$
	SELECT * FROM ranking_rows($1, $2, $3, $4, $5, $6)
$$;
COMMENT ON FUNCTION ranking(quarter, text, text, text, float8[], integer) IS
	'every organization of a level ranked against its peers for a quarter (rank() with ties, by score or by TOPSIS closeness), with deductions, on-time rate and its Wilson lower bound, open and overdue counts, the veto, the top ten and rank_change = previous rank - rank (positive: moved up) against the previous quarter when it is published; a published quarter is read from its publication (the latest revision, or revision => n), published = false marks a what-if model';
