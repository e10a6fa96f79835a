
-- ---------------------------------------------------------------------------
-- Reports over tallies: an organization against the lists, its trend over
-- quarters (an official's record is in 57_people.sql).  The client and the BI views call
-- these, so every surface shows the same numbers.  A published quarter is
-- read from its publication.  Only CREATE OR REPLACE here: the upgrade
-- from 1.0 runs this fragment as it is.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION report_lists(org text, q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (list text, name_zh text, "position" smallint,
				   general bigint, serious bigint, major bigint, critical bigint,
				   new bigint, closed_on_time bigint, closed_late bigint,
				   open bigint, overdue bigint, tolerated bigint,
				   deductions float8, published boolean, revision integer)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	WITH t AS (SELECT org_tally(org, q) AS t),
	w AS (SELECT quarter_weights(q, model) AS w),
	cells AS (SELECT c.* FROM t, tally_cells(t.t) c),
	points AS (SELECT e.list, sum(e.points) AS points
				 FROM t, w, tally_explain(t.t, (w.w).w_list, (w.w).w_severity,
						(w.w).w_origin, (w.w).overdue_rate, (w.w).closed_on_time,
						(w.w).closed_late, (w.w).recurrence_rate) e
				GROUP BY e.list)
	SELECT l.code, l.name_zh, l.position,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'general'), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'serious'), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'major'), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.closed_on_time + c.closed_late + c.tolerated + c.withdrawn)
					FILTER (WHERE c.severity = 'critical'), 0)::bigint,
		   coalesce(sum(c.new), 0)::bigint,
		   coalesce(sum(c.closed_on_time), 0)::bigint,
		   coalesce(sum(c.closed_late), 0)::bigint,
		   coalesce(sum(c.open_in_time + c.overdue + c.tolerated_open), 0)::bigint,
		   coalesce(sum(c.overdue), 0)::bigint,
		   coalesce(sum(c.tolerated), 0)::bigint,
		   coalesce(min(p.points), 0),
		   (SELECT (w.w).published FROM w),
		   published_revision(q)
	  FROM quarter_lists(q) l
	  LEFT JOIN cells c ON c.list = l.position
	  LEFT JOIN points p ON p.list = l.position
	 GROUP BY l.code, l.name_zh, l.position
	 ORDER BY l.position
$$;
COMMENT ON FUNCTION report_lists(text, quarter, text) IS
	'an organization''s report against the lists for a quarter (its whole subtree): issues by severity, new, closed on time and late, open, overdue, tolerated and the deductions of each list; as published for a published quarter (published = false: a what-if model)';

CREATE OR REPLACE FUNCTION trend(org text, from_q quarter, to_q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (q quarter, score float8, rank bigint, deductions float8,
				   open bigint, overdue bigint, closed_on_time bigint,
				   closed_late bigint, published boolean, revision integer)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT s.q, r.score, r.rank, r.deductions, r.open, r.overdue,
		   tally_count(t.t, 'closed_on_time'), tally_count(t.t, 'closed_late'),
		   (w.w).published, published_revision(s.q)
	  FROM quarters(from_q, least(to_q, quarter(current_date))) s(q)
	  CROSS JOIN LATERAL (SELECT org_tally(trend.org, s.q) AS t) t
	  CROSS JOIN LATERAL (SELECT quarter_weights(s.q, model) AS w) w
	  LEFT JOIN LATERAL (
		  SELECT k.* FROM ranking_of_quarter(s.q, w.w,
				-- its level then; an unknown organization is refused (IL005)
				coalesce((SELECT o.level FROM quarter_orgs(s.q) o WHERE o.code = trend.org),
						 (require_org(trend.org)).level),
				'score', NULL) k
		   WHERE k.org = trend.org) r ON true
	 ORDER BY s.q
$$;
COMMENT ON FUNCTION trend(text, quarter, quarter, text) IS
	'an organization''s score, rank among its peers, deductions and counts for each quarter from from_q to to_q (quarters not begun are left out); published quarters as published';

