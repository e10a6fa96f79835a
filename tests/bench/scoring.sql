-- The scoring model of docs/scoring.md written three ways over the same
-- rows (bench_facts: issues_as_of(T) of quarter :q, materialized), for
-- tests/bench/run: the C aggregate, plain SQL and PL/pgSQL.  The quarter
-- and its days are constants; the weights are read once per query from
-- score_model (InitPlans), so the per-row work is what is compared.
SET search_path = issuelist, public;

CREATE VIEW bench_c AS
SELECT f.org, score(tally(:'q'::quarter, upper(:'q'::quarter), f.list_position,
						  f.severity, f.origin, f.state, f.found_on, f.due_on,
						  f.closed_on, f.reopen_count, f.tolerated)) AS score
  FROM bench_facts f
 GROUP BY f.org;

-- d_i in plain SQL, one CASE per factor, the weights read once.
CREATE VIEW bench_plain_sql AS
WITH m AS MATERIALIZED (SELECT w.* FROM score_model w WHERE w.name = 'standard'),
	 lw AS MATERIALIZED (SELECT w_list FROM model_weights('standard'))
SELECT f.org,
	   100 * (SELECT k FROM m) / ((SELECT k FROM m) + sum(
		 CASE WHEN (f.state IN ('closed', 'withdrawn') AND f.closed_on < lower(:'q'::quarter))
				OR f.state = 'withdrawn' OR f.tolerated THEN 0
		 ELSE (SELECT w_list FROM lw)[f.list_position]
			* CASE f.severity WHEN 'general' THEN (SELECT w_general FROM m)
							  WHEN 'serious' THEN (SELECT w_serious FROM m)
							  WHEN 'major' THEN (SELECT w_major FROM m)
							  ELSE (SELECT w_critical FROM m) END
			* CASE f.origin WHEN 'self' THEN (SELECT w_self FROM m)
							WHEN 'external' THEN (SELECT w_external FROM m)
							ELSE (SELECT w_concealed FROM m) END
			* CASE WHEN f.state = 'closed' THEN
					   CASE WHEN f.closed_on <= f.due_on THEN (SELECT closed_on_time FROM m)
							ELSE (SELECT closed_late FROM m) END
				   WHEN upper(:'q'::quarter) > f.due_on THEN
					   1 + (SELECT overdue_rate FROM m) * least(12, (upper(:'q'::quarter) - f.due_on + 29) / 30)
				   ELSE 1 END
			* (1 + (SELECT recurrence_rate FROM m) * f.reopen_count)
		 END)) AS score
  FROM bench_facts f
 GROUP BY f.org;

-- The same, transcribed as directly as it reads: the model joined to
-- every row, the list weight by a join on the list's code.
CREATE VIEW bench_plain_sql_join AS
SELECT f.org,
	   100 * m.k / (m.k + sum(
		 CASE WHEN (f.state IN ('closed', 'withdrawn') AND f.closed_on < lower(:'q'::quarter))
				OR f.state = 'withdrawn' OR f.tolerated THEN 0
		 ELSE coalesce(lw.weight, 1)
			* CASE f.severity WHEN 'general' THEN m.w_general WHEN 'serious' THEN m.w_serious
							  WHEN 'major' THEN m.w_major ELSE m.w_critical END
			* CASE f.origin WHEN 'self' THEN m.w_self WHEN 'external' THEN m.w_external
							ELSE m.w_concealed END
			* CASE WHEN f.state = 'closed' THEN
					   CASE WHEN f.closed_on <= f.due_on THEN m.closed_on_time ELSE m.closed_late END
				   WHEN upper(:'q'::quarter) > f.due_on THEN
					   1 + m.overdue_rate * least(12, (upper(:'q'::quarter) - f.due_on + 29) / 30)
				   ELSE 1 END
			* (1 + m.recurrence_rate * f.reopen_count)
		 END)) AS score
  FROM bench_facts f
  JOIN score_model m ON m.name = 'standard'
  LEFT JOIN score_model_list lw ON lw.model = m.name AND lw.list = f.list
 GROUP BY f.org, m.k;

-- d_i in PL/pgSQL, one call per issue.
CREATE FUNCTION bench_d(list_weight float8, severity severity, origin text,
		state issue_state, due_on date, closed_on date, reopen_count integer,
		tolerated boolean, first date, t date, m score_model)
	RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	fi float8;
BEGIN
	IF (state IN ('closed', 'withdrawn') AND closed_on < first)
	   OR state = 'withdrawn' OR tolerated THEN
		RETURN 0;
	END IF;
	IF state = 'closed' THEN
		fi := CASE WHEN closed_on <= due_on THEN m.closed_on_time ELSE m.closed_late END;
	ELSIF t > due_on THEN
		fi := 1 + m.overdue_rate * least(12, (t - due_on + 29) / 30);
	ELSE
		fi := 1;
	END IF;
	RETURN list_weight
		* CASE severity WHEN 'general' THEN m.w_general WHEN 'serious' THEN m.w_serious
						WHEN 'major' THEN m.w_major ELSE m.w_critical END
		* CASE origin WHEN 'self' THEN m.w_self WHEN 'external' THEN m.w_external
					  ELSE m.w_concealed END
		* fi * (1 + m.recurrence_rate * reopen_count);
END $$;

CREATE VIEW bench_plpgsql AS
WITH m AS MATERIALIZED (SELECT w AS row, w.k FROM score_model w WHERE w.name = 'standard'),
	 lw AS MATERIALIZED (SELECT w_list FROM model_weights('standard'))
SELECT f.org,
	   100 * (SELECT k FROM m) / ((SELECT k FROM m) + sum(bench_d(
		   (SELECT w_list FROM lw)[f.list_position], f.severity, f.origin, f.state,
		   f.due_on, f.closed_on, f.reopen_count, f.tolerated,
		   lower(:'q'::quarter), upper(:'q'::quarter), (SELECT row FROM m)))) AS score
  FROM bench_facts f
 GROUP BY f.org;

-- The floor: a bare count over the same rows.
CREATE VIEW bench_count AS
SELECT f.org, count(*) FROM bench_facts f GROUP BY f.org;
