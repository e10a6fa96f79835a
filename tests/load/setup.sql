-- The load's set-up (docs/reliability.md, "Load"): the sample province, one login
-- that works the issues of four Hangzhou districts as a city office does
-- (row security applies), and the wrappers the pgbench scripts call.  The
-- office has two hands: load_editor, granted the four districts, registers
-- and rectifies; load_verifier, granted the city, accepts, closes,
-- refuses, reopens, withdraws, extends and tolerates.  So no issue is
-- closed by whoever registered or rectified it, nor by a login of its own
-- district (docs/trust.md, "Who may act on an issue"); each wrapper takes
-- the hand its call needs (SET LOCAL ROLE, until the transaction ends).
--
-- Each wrapper makes one workflow call.  When it succeeds it writes one row
-- of load.ledger in the same transaction, so after the run the history must
-- hold exactly one event per ledger row: an event without a ledger row, or a
-- ledger row without its event, is a lost or phantom event.  When the call
-- is refused the wrapper records the SQLSTATE in load.refusal instead: the
-- figures count refusals by SQLSTATE, and a refusal never aborts a client.
--
-- Every event is effective on one day, :'load_day' (a few days before the
-- end of the previous quarter), so that the quarter can be frozen after the
-- run and its scores checked.  Those days are weeks back, so the load runs
-- with late_entry_days long enough for them: it is about concurrency, and
-- late entries have their own tests (sql/31_trust_workflow.sql).

SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS issuelist CASCADE;
SET search_path = issuelist, public;
SELECT load_sample_province();
UPDATE issuelist.setting SET value = (current_date - :'load_day'::date + 81)::text
 WHERE name = 'late_entry_days';
-- Verifiers close without attaching evidence: evidence has its own tests
-- (sql/35_daily_work.sql, tests/t/350_client_evidence.pl).
UPDATE issuelist.setting SET value = '' WHERE name = 'evidence_required';

DROP SCHEMA IF EXISTS load CASCADE;
CREATE SCHEMA load;

CREATE TABLE load.setting (load_day date NOT NULL, counties text[] NOT NULL);
INSERT INTO load.setting VALUES (:'load_day',
	'{330102,330105,330106,330108}');

CREATE TABLE load.ledger (
	kind text NOT NULL,
	code text NOT NULL,
	from_state issuelist.issue_state,
	to_state issuelist.issue_state,
	at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE load.refusal (
	kind text NOT NULL,
	sqlstate text NOT NULL,
	message text NOT NULL
);

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'load_city_office') THEN
		CREATE ROLE load_city_office LOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'load_editor') THEN
		CREATE ROLE load_editor;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'load_verifier') THEN
		CREATE ROLE load_verifier;
	END IF;
END $$;
GRANT issuelist_editor TO load_editor;
GRANT issuelist_verifier TO load_verifier;
GRANT load_editor, load_verifier TO load_city_office;
SELECT grant_org('load_editor', c) FROM load.setting, unnest(counties) c;
SELECT grant_org('load_verifier', '330100');
-- The office reads the city's issues as itself, to pick one.
SELECT grant_org('load_city_office', '330100');
GRANT USAGE ON SCHEMA load TO load_city_office, load_editor, load_verifier;
GRANT SELECT ON load.setting TO load_city_office, load_editor, load_verifier;
GRANT INSERT ON load.ledger, load.refusal TO load_city_office, load_editor, load_verifier;

-- Take one of the office's hands, load_editor or load_verifier, until the
-- transaction ends.
CREATE FUNCTION load.act_as(hand name) RETURNS void
	LANGUAGE sql AS $$
	SELECT set_config('role', hand, true)
$$;

-- A random issue of the hot counties (open ones when open_only), with its
-- state as this session sees it now: another session may change it before
-- we lock it, which is the race the load is about.
CREATE FUNCTION load.some_issue(open_only boolean, OUT code text, OUT state issuelist.issue_state,
								OUT due_on date)
	LANGUAGE sql STABLE AS $$
	SELECT i.code, i.state, i.due_on
	  FROM issuelist.issue i
	 WHERE i.id >= (SELECT (min(id) + random() * (max(id) - min(id)))::bigint FROM issuelist.issue)
	   AND (NOT open_only OR issuelist.is_open(i.state))
	 ORDER BY i.id
	 LIMIT 1
$$;

-- Record a refusal.
CREATE FUNCTION load.refused(kind text, sqlstate text, message text) RETURNS void
	LANGUAGE sql AS $$
	INSERT INTO load.refusal VALUES (kind, sqlstate, message)
$$;

CREATE FUNCTION load.register() RETURNS text
	LANGUAGE plpgsql AS $$
DECLARE
	s load.setting := (SELECT x FROM load.setting x);
	new_code text;
	st text;
	msg text;
BEGIN
	PERFORM load.act_as('load_editor');
	-- The districts' own editor: self (its own inspection) or external.
	new_code := issuelist.register_issue(
		(ARRAY['inspection', 'supervision', 'eco_inspection', 'audit', 'safety',
			   'public_opinion', 'complaints'])[1 + floor(random() * 7)::int],
		s.counties[1 + floor(random() * array_length(s.counties, 1))::int],
		issuelist.severity(1 + floor(random() * 4)::int),
		'load test issue',
		s.load_day - floor(random() * 80)::int,
		NULL,
		(ARRAY['self', 'external'])[1 + floor(random() * 2)::int]);
	INSERT INTO load.ledger (kind, code, to_state) VALUES ('registered', new_code, 'registered');
	RETURN new_code;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	PERFORM load.refused('registered', st, msg);
	RETURN NULL;
END $$;

-- Move a random open issue one step: to a state the loop allows from the
-- state we saw, or (one time in ten) to any state at all, which the
-- workflow must refuse unless the loop allows it.
CREATE FUNCTION load.advance() RETURNS issuelist.issue_state
	LANGUAGE plpgsql AS $$
DECLARE
	s load.setting := (SELECT x FROM load.setting x);
	i record := load.some_issue(random() < 0.9);
	target issuelist.issue_state;
	result issuelist.issue_state;
	st text;
	msg text;
BEGIN
	IF i.code IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT t INTO target
	  FROM unnest('{registered,assigned,rectifying,continuing,rectified,closed,reopened,withdrawn}'::issuelist.issue_state[]) t
	 WHERE random() < 0.1 OR issuelist.can_advance(i.state, t)
	 ORDER BY random() LIMIT 1;
	IF target IS NULL THEN
		target := 'rectifying';
	END IF;
	-- The hand that takes the step from the state we saw.
	PERFORM load.act_as(CASE (issuelist.step_role(i.state, target)).role
						WHEN 'issuelist_verifier' THEN 'load_verifier' ELSE 'load_editor' END);
	BEGIN
		result := issuelist.advance(i.code, target, 'load', s.load_day);
		-- The state before is the last one recorded before ours.
		INSERT INTO load.ledger (kind, code, to_state) VALUES ('transition', i.code, result);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
		PERFORM load.refused('transition', st, msg);
	END;
	RETURN result;
END $$;

-- A verifier's step on a random open issue: push its due day later, from
-- the due day we saw (a concurrent extension may already have pushed it
-- further: IL007), or tolerate it after review.  Either is refused when
-- another client closed the issue meanwhile (IL009).
CREATE FUNCTION load.open_issue_step(kind text) RETURNS void
	LANGUAGE plpgsql AS $$
DECLARE
	s load.setting := (SELECT x FROM load.setting x);
	i record := load.some_issue(true);
	st text;
	msg text;
BEGIN
	IF i.code IS NULL THEN
		RETURN;
	END IF;
	PERFORM load.act_as('load_verifier');
	IF kind = 'extension' THEN
		PERFORM issuelist.extend_deadline(i.code, i.due_on + 1 + floor(random() * 30)::int,
										  'load: budget approved late', s.load_day);
	ELSE
		-- The verifier approves the tolerance it records.
		PERFORM issuelist.tolerate(i.code, 'load: good-faith error', NULL,
								   s.load_day, s.load_day + floor(random() * 60)::int);
	END IF;
	INSERT INTO load.ledger (kind, code) VALUES (kind, i.code);
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	PERFORM load.refused(kind, st, msg);
END $$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA load TO load_city_office, load_editor, load_verifier;
