
-- ---------------------------------------------------------------------------
-- The sample province's people (docs/officials.md): synthetic officials
-- with codes, and the secretary and head of every county and city, with a
-- few rotations over the generated quarters.  The upgrade from 1.0 runs
-- this fragment as it is (extension/upgrade/1.0--1.1/ links to it).
-- ---------------------------------------------------------------------------

-- The code of a synthetic official: S, the organization, the name.
CREATE OR REPLACE FUNCTION sample_official_code(org text, name text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT 'S' || org || '.' || replace(name, ' ', '');
END;
COMMENT ON FUNCTION sample_official_code(text, text) IS
	'sample generator: the code of a synthetic official, S, the organization and the name without spaces (S330782.WangWeiming)';

-- The secretary and head of every county and city from the first quarter
-- generated (where the post has no holder yet); every seventh county gets
-- a new secretary, its head of government, from the middle quarter.
CREATE OR REPLACE FUNCTION sample_people(from_q quarter, to_q quarter, seed integer)
	RETURNS void
	LANGUAGE sql STRICT
BEGIN ATOMIC
	INSERT INTO official (name, org, post, code, synthetic)
		SELECT sample_official(seed, -c.k, j), c.code,
			   (ARRAY['Party secretary', 'head'])[j + 1],
			   sample_official_code(c.code, sample_official(seed, -c.k, j)), true
		  FROM (SELECT o.code, row_number() OVER (ORDER BY o.code) AS k
				  FROM org o WHERE o.level = 'city' AND o.path <@ '330000') c,
			   generate_series(0, 1) j
		ON CONFLICT DO NOTHING;
	INSERT INTO post (official, org, title, from_day, to_day, synthetic)
		SELECT DISTINCT ON (f.org, f.post) f.code, f.org,
			   CASE f.post WHEN 'head' THEN 'head' ELSE 'secretary' END,
			   lower(from_q),
			   CASE WHEN f.post = 'Party secretary' AND x.k % 7 = 0 AND to_q > from_q
					THEN lower(from_q + (to_q - from_q + 1) / 2) - 1 END,
			   true
		  FROM official f
		  JOIN (SELECT o.code, row_number() OVER (ORDER BY o.code) AS k
				  FROM org o WHERE o.level IN ('city', 'county') AND o.path <@ '330000') x
			ON x.code = f.org
		 WHERE f.synthetic AND f.post IN ('Party secretary', 'head')
		   AND NOT EXISTS (SELECT FROM post p WHERE p.org = f.org)
		 ORDER BY f.org, f.post, f.code;
	INSERT INTO post (official, org, title, from_day, synthetic)
		SELECT h.official, h.org, 'secretary', s.to_day + 1, true
		  FROM post s
		  JOIN post h ON h.org = s.org AND h.title = 'head' AND h.synthetic
		 WHERE s.title = 'secretary' AND s.synthetic AND s.to_day IS NOT NULL
		   AND NOT EXISTS (SELECT FROM post n WHERE n.org = s.org AND n.title = 'secretary'
							 AND n.from_day > s.from_day);
END;
COMMENT ON FUNCTION sample_people(quarter, quarter, integer) IS
	'sample generator: the secretary and head of every county and city from from_q (posts still without a holder), and a new secretary (the head) from the middle quarter in every seventh county';

CREATE OR REPLACE FUNCTION generate_sample_issues(from_q quarter, to_q quarter,
									   per_quarter integer, seed integer)
	RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	-- Nothing happens after today: a quarter still running stops here.
	cutoff date := least(upper(to_q), current_date);
	total bigint;
	base_id bigint;
	base_number bigint;
	made bigint;
	source text := format('synthetic sample (seed %s)', seed);
	replication_role text := current_setting('session_replication_role');
BEGIN
	PERFORM require_role(acting_login(), '{}', 'generate sample issues');
	IF from_q IS NULL OR to_q IS NULL OR per_quarter IS NULL OR seed IS NULL THEN
		RAISE EXCEPTION 'from_q, to_q, per_quarter and seed are required'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF from_q > to_q THEN
		RAISE EXCEPTION 'from_q % is after to_q %', from_q, to_q
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF per_quarter NOT BETWEEN 1 AND 10000000 THEN
		RAISE EXCEPTION 'per_quarter % is out of range', per_quarter
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Make 1 to 10000000 issues per quarter.';
	ELSIF lower(from_q) > current_date THEN
		RAISE EXCEPTION 'quarter % has not begun', from_q
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF NOT EXISTS (SELECT FROM sample_counties(seed)) THEN
		RAISE EXCEPTION 'the sample province is not loaded'
			USING ERRCODE = 'IL005',
				  HINT = 'Run SELECT issuelist.load_sample_province() first.';
	END IF;
	total := per_quarter::bigint * (to_q - from_q + 1);

	-- Reserve a block of issue ids and of code numbers: registrations wait
	-- for us (their inserts conflict with this lock), so nobody takes one.
	LOCK TABLE issue IN SHARE ROW EXCLUSIVE MODE;
	LOCK TABLE issue_counter IN SHARE ROW EXCLUSIVE MODE;
	base_id := nextval(pg_get_serial_sequence('issue', 'id'));
	-- Synthetic events are not announced (issuelist_events).
	PERFORM set_config('issuelist.announce', 'off', true);
	PERFORM setval(pg_get_serial_sequence('issue', 'id'), base_id + total - 1);
	SELECT coalesce(max(c.last_number), 0) INTO base_number FROM issue_counter c;

	-- Three synthetic officials per county (a code made of the county and
	-- the name) and two per city; the secretary and the head of every
	-- county and city from the first quarter on, and in every seventh
	-- county a new secretary from the middle quarter (sample_people).
	INSERT INTO official (name, org, post, code, synthetic)
		SELECT sample_official(seed, c.k, j), c.code,
			   (ARRAY['Party secretary', 'head', 'deputy head'])[j + 1],
			   sample_official_code(c.code, sample_official(seed, c.k, j)), true
		  FROM sample_counties(seed) c, generate_series(0, 2) j
		ON CONFLICT DO NOTHING;
	PERFORM sample_people(from_q, to_q, seed);

	-- The plan of every issue's life, computed once for the three inserts.
	CREATE TEMPORARY TABLE sample_plan_rows ON COMMIT DROP AS
		SELECT * FROM sample_plan(from_q, to_q, per_quarter, seed, cutoff, base_id, base_number);
	-- Every row below refers only to what this transaction just read or
	-- inserted (the organizations, lists and officials, the issues), so the
	-- foreign keys' row-by-row checks, a third of the time, are skipped
	-- where the owner may skip them: in replica mode ordinary triggers (the
	-- checks, the announcement) rest, while the history's ALWAYS triggers
	-- (the hash chain, append-only) still run.  Restored below; an error
	-- ends the transaction, and the setting with it.
	IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
		PERFORM set_config('session_replication_role', 'replica', true);
	END IF;

	INSERT INTO issue (id, code, list, source, org, official, title, severity,
					   origin, state, found_on, due_on, closed_on,
					   reopen_count, tags, tolerated_until, last_event_on)
		OVERRIDING SYSTEM VALUE
		SELECT p.id, p.code, p.list, source, p.org,
			   sample_official_code(p.org, p.official), p.title,
			   p.severity, p.origin, s.state, p.found_on, s.due_on,
			   s.closed_on, s.reopen_count, '{synthetic}', s.tolerated_until,
			   p.d[p.last_slot]
		  FROM pg_temp.sample_plan_rows p
		 CROSS JOIN LATERAL sample_snapshot(p.last_slot, p.slots, p.d, p.due0,
											p.due1, p.tol_until) s;
	GET DIAGNOSTICS made = ROW_COUNT;

	-- The history, as the workflow functions would have recorded it: the
	-- county's editor works the issue, the city's verifier accepts, refuses,
	-- reopens, withdraws, extends and tolerates.  Recorded during office
	-- hours of the effective day, China time.
	INSERT INTO issue_event (issue, seq, org, on_date, recorded_at, actor, role,
							 event, from_state, to_state, note, state, due_on,
							 reopen_count, closed_on, tolerated_until)
		SELECT p.id, e.seq, p.org, p.d[e.slot],
			   -- never later than now: a publication covers what was
			   -- recorded before it (history_heads_digest)
			   least((p.d[e.slot] + make_interval(mins => 540 + sample_int(seed, p.id - base_id + 1, 32 + e.slot::integer, 0, 479)))
						 AT TIME ZONE 'Asia/Shanghai', now()),
			   CASE WHEN v.verifier THEN 'verifier_' || p.city ELSE 'editor_' || p.org END,
			   CASE WHEN v.verifier THEN 'issuelist_verifier' ELSE 'issuelist_editor' END,
			   CASE e.slot WHEN 1 THEN 'registered' WHEN 5 THEN 'extension'
					WHEN 6 THEN 'tolerance' ELSE 'transition' END,
			   CASE WHEN e.slot NOT IN (1, 5, 6) THEN sample_state(p.slots[e.seq - 1], p.slots) END,
			   CASE WHEN e.slot NOT IN (5, 6) THEN s.state END,
			   CASE e.slot
					WHEN 1 THEN source
					WHEN 2 THEN 'assigned to ' || p.official
					WHEN 5 THEN 'rectification needs a budget allocation'
					WHEN 6 THEN 'good-faith error in an emergency (approved by Zhejiang review board'
								|| coalesce(', until ' || p.tol_until, '') || ')'
					ELSE (ARRAY[NULL, NULL, 'rectification started',
								'long-term rectification plan approved', NULL, NULL,
								'submitted for acceptance', 'acceptance refused: evidence incomplete',
								'submitted for acceptance', 'verified and struck off',
								'the problem came back', 'rectification restarted',
								'submitted for acceptance', 'verified and struck off',
								'not substantiated'])[e.slot] END,
			   s.state, s.due_on, s.reopen_count, s.closed_on, s.tolerated_until
		  FROM pg_temp.sample_plan_rows p
		 CROSS JOIN LATERAL unnest(p.slots) WITH ORDINALITY AS e(slot, seq)
		 CROSS JOIN LATERAL sample_snapshot(e.slot, p.slots, p.d, p.due0, p.due1, p.tol_until) s
		 CROSS JOIN LATERAL (SELECT e.slot IN (5, 6, 8, 10, 11, 14, 15) AS verifier) v
		 WHERE p.d[e.slot] <= cutoff;

	INSERT INTO tolerance (issue, org, from_on, until_on, reason, requester,
						   approved_by, recorded_at)
		SELECT p.id, p.org, p.d[6], p.tol_until,
			   'good-faith error in an emergency', 'verifier_' || p.city,
			   'Zhejiang review board',
			   least((p.d[6] + make_interval(mins => 540 + sample_int(seed, p.id - base_id + 1, 38, 0, 479)))
						 AT TIME ZONE 'Asia/Shanghai', now())
		  FROM pg_temp.sample_plan_rows p
		 WHERE 6 = ANY (p.slots) AND p.d[6] <= cutoff;

	INSERT INTO issue_counter AS c (list, year, last_number)
		SELECT l.code, y, base_number + total
		  FROM list l, generate_series(year(from_q), year(to_q)) y
		ON CONFLICT ON CONSTRAINT issue_counter_pkey
		DO UPDATE SET last_number = greatest(c.last_number, excluded.last_number);

	PERFORM set_config('session_replication_role', replication_role, true);
	DROP TABLE pg_temp.sample_plan_rows;
	PERFORM set_config('issuelist.announce', '', true);
	ANALYZE issue;
	ANALYZE issue_event;
	RETURN made;
END $$;
COMMENT ON FUNCTION generate_sample_issues(quarter, quarter, integer, integer) IS
	'add a synthetic, reproducible history of issues (per_quarter issues found in each quarter from from_q to to_q, across the sample province''s counties; nothing after today), marked source ''synthetic sample (seed N)'' and tag synthetic; returns how many (issuelist_admin)';
REVOKE ALL ON FUNCTION generate_sample_issues(quarter, quarter, integer, integer),
	sample_people(quarter, quarter, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION generate_sample_issues(quarter, quarter, integer, integer) TO issuelist_admin;
