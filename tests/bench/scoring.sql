-- The scoring model of docs/scoring.md written three ways over the same
-- rows (bench_facts: issues_as_of(T) of one quarter), for tests/bench/run:
-- the C aggregate, plain SQL, and PL/pgSQL.  :'q' is the quarter.
SET search_path = issuelist, public;

-- d_i in plain SQL (one CASE per factor); the list weight by a join.
CREATE VIEW bench_plain_sql AS
SELECT f.org,
	   100 * m.k / (m.k + sum(
		 CASE WHEN f.found_on > b.t
				OR (f.state IN ('closed', 'withdrawn') AND f.closed_on < b.first)
				OR f.state = 'withdrawn' OR f.tolerated THEN 0
		 ELSE coalesce(lw.weight, 1)
			* CASE f.severity WHEN 'general' THEN m.w_general WHEN 'serious' THEN m.w_serious
							  WHEN 'major' THEN m.w_major ELSE m.w_critical END
			* CASE f.origin WHEN 'self' THEN m.w_self WHEN 'external' THEN m.w_external
							ELSE m.w_concealed END
			* CASE WHEN f.state = 'closed' THEN
					   CASE WHEN f.closed_on <= f.due_on THEN m.closed_on_time ELSE m.closed_late END
				   WHEN b.t > f.due_on THEN 1 + m.overdue_rate * least(12, (b.t - f.due_on + 29) / 30)
				   ELSE 1 END
			* (1 + m.recurrence_rate * f.reopen_count)
		 END)) AS score
  FROM bench_facts f
  CROSS JOIN bench_period b
  JOIN score_model m ON m.name = 'standard'
  LEFT JOIN score_model_list lw ON lw.model = m.name AND lw.list = f.list
 GROUP BY f.org, m.k;

-- d_i in PL/pgSQL, one call per issue.
CREATE FUNCTION bench_d(f bench_facts, m score_model, w_list float8, first date, t date)
	RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	fi float8;
BEGIN
	IF f.found_on > t OR (f.state IN ('closed', 'withdrawn') AND f.closed_on < first)
	   OR f.state = 'withdrawn' OR f.tolerated THEN
		RETURN 0;
	END IF;
	IF f.state = 'closed' THEN
		fi := CASE WHEN f.closed_on <= f.due_on THEN m.closed_on_time ELSE m.closed_late END;
	ELSIF t > f.due_on THEN
		fi := 1 + m.overdue_rate * least(12, (t - f.due_on + 29) / 30);
	ELSE
		fi := 1;
	END IF;
	RETURN w_list
		* CASE f.severity WHEN 'general' THEN m.w_general WHEN 'serious' THEN m.w_serious
						  WHEN 'major' THEN m.w_major ELSE m.w_critical END
		* CASE f.origin WHEN 'self' THEN m.w_self WHEN 'external' THEN m.w_external
						ELSE m.w_concealed END
		* fi * (1 + m.recurrence_rate * f.reopen_count);
END $$;

CREATE VIEW bench_plpgsql AS
SELECT f.org, 100 * m.k / (m.k + sum(bench_d(f, m, coalesce(lw.weight, 1), b.first, b.t))) AS score
  FROM bench_facts f
  CROSS JOIN bench_period b
  JOIN score_model m ON m.name = 'standard'
  LEFT JOIN score_model_list lw ON lw.model = m.name AND lw.list = f.list
 GROUP BY f.org, m.k;

-- The C aggregate.
CREATE VIEW bench_c AS
SELECT f.org, score(tally(b.q, b.t, f.list_position, f.severity, f.origin, f.state,
						  f.found_on, f.due_on, f.closed_on, f.reopen_count, f.tolerated)) AS score
  FROM bench_facts f CROSS JOIN bench_period b
 GROUP BY f.org;

-- The floor: a bare count over the same rows.
CREATE VIEW bench_count AS
SELECT f.org, count(*) FROM bench_facts f GROUP BY f.org;
