-- Tamper evidence (docs/trust.md): every event is chained to the one before
-- it by SHA-256, verify_history() names every broken link, and
-- verify_quarter() says whether the history recorded before a publication
-- still produces its digest.  A superuser switches the triggers off and
-- edits the history in each way a forger would; each edit shows, on the
-- issue it touched, and only the publications that covered the edited
-- event turn false.
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
SELECT generate_sample_issues('2023Q1', '2023Q4', 60, 7);

-- Every event has its hash, and the chains are intact.
SELECT count(*) AS events, count(hash) AS hashed,
       count(DISTINCT hash) AS distinct_hashes,
       min(length(hash)) AS hash_bytes
  FROM issue_event;
SELECT count(*) AS broken_links FROM verify_history();

-- The hash of an event is SHA-256(previous hash || its canonical bytes),
-- the same as PostgreSQL's sha256() computes it, and the chain of an issue
-- is what the sha256_chain aggregate gives over its events in order.
SELECT bool_and(e.hash = sha256(coalesce(p.hash, '') || event_canonical(e))) AS each_link_is_sha256
  FROM issue_event e
  LEFT JOIN issue_event p ON p.issue = e.issue AND p.seq = e.seq - 1;
SELECT bool_and(last.hash = c.chain) AS chain_is_the_last_hash
  FROM (SELECT issue, sha256_chain(event_canonical(e) ORDER BY seq) AS chain
          FROM issue_event e GROUP BY issue) c
  JOIN LATERAL (SELECT hash FROM issue_event l WHERE l.issue = c.issue
                ORDER BY seq DESC LIMIT 1) last ON true;

-- A publication's digest is chained over the heads the chain stored: the
-- same as the digest computed from every event, and the same as chaining
-- each issue's last hash in order of issue with sha256_chain.
SELECT history_heads_digest() = history_digest(now()) AS heads_digest_is_history_digest,
       history_heads_digest() =
         (SELECT sha256_chain(int8send(h.issue) || h.hash ORDER BY h.issue)
            FROM (SELECT DISTINCT ON (e.issue) e.issue, e.hash
                    FROM issue_event e ORDER BY e.issue, e.seq DESC) h) AS heads_digest_is_chain_of_heads;
-- history_heads_digest walks the index in C: the same once the history's
-- pages are all-visible and read from the index alone, and for a login
-- that row security filters (a county's clerk, were it allowed to call
-- it), the aggregate's query under its policies.
SELECT history_heads_digest() AS heads_before_vacuum \gset
VACUUM issue_event;
SELECT history_heads_digest() = :'heads_before_vacuum' AS same_after_vacuum;
-- The walk reads the index's leaf pages one at a time and takes each
-- issue's last entry the snapshot sees as its head: also when an issue's
-- events span several pages (160 entries of over 100 bytes each are more
-- than one page holds) and its last ones were rolled back, their entries
-- left on the pages after the head's until a vacuum.
SELECT code AS long_issue FROM issue WHERE is_open(state) ORDER BY id LIMIT 1 \gset
CREATE FUNCTION pg_temp.extend_many(code text, n integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	FOR k IN 1..n LOOP
		PERFORM issuelist.extend_deadline(code, (SELECT i.due_on + 1 FROM issuelist.issue i
												  WHERE i.code = extend_many.code),
										  'regress: one more day');
	END LOOP;
END $$;
SELECT pg_temp.extend_many(:'long_issue', 160);
CREATE FUNCTION pg_temp.heads_by_query() RETURNS bytea LANGUAGE sql AS $$
	SELECT issuelist.sha256_heads_chain(e.issue, e.seq, e.hash)
	  FROM (SELECT * FROM issuelist.issue_event ORDER BY issue, seq) e
$$;
BEGIN;
SELECT pg_temp.extend_many(:'long_issue', 120);
ROLLBACK;
-- First, before a scan of the index marks the rolled-back entries dead:
-- the walk checks them against the table.
SELECT history_heads_digest() AS walked \gset
SELECT :'walked' = pg_temp.heads_by_query() AS same_with_rolled_back_tail,
       :'walked' = history_digest(now()) AS still_history_digest;
SELECT count(*) AS long_issue_events FROM issue_event e JOIN issue i ON i.id = e.issue
 WHERE i.code = :'long_issue';
VACUUM issue_event;
SELECT history_heads_digest() = pg_temp.heads_by_query() AS same_after_second_vacuum;
DO $$
BEGIN
	CREATE ROLE regress_chain_clerk IN ROLE issuelist_editor;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
SELECT grant_org('regress_chain_clerk', (SELECT org FROM issue GROUP BY org ORDER BY count(*) DESC, org LIMIT 1));
GRANT EXECUTE ON FUNCTION history_heads_digest(), sha256_heads_chain(bigint, integer, bytea) TO regress_chain_clerk;
SET ROLE regress_chain_clerk;
SELECT history_heads_digest() = (SELECT sha256_heads_chain(e.issue, e.seq, e.hash)
                                   FROM (SELECT * FROM issue_event ORDER BY issue, seq) e) AS clerk_digest_is_its_events,
       history_heads_digest() <> :'heads_before_vacuum' AS not_the_whole_history,
       (SELECT count(DISTINCT issue) FROM issue_event) > 0 AS sees_some;
RESET ROLE;
REVOKE EXECUTE ON FUNCTION history_heads_digest(), sha256_heads_chain(bigint, integer, bytea) FROM regress_chain_clerk;
SELECT revoke_org('regress_chain_clerk', org) FROM org_member WHERE login = 'regress_chain_clerk';
DROP ROLE regress_chain_clerk;
-- The SHA-256 step (extension/sha256.c) is SHA-256 of its two strings one
-- after the other, as PostgreSQL's sha256() computes it, and the chain of
-- heads written out with sha256() is what the aggregate gives.
SELECT sha256_append('', '\x0102') = sha256('\x0102') AS first_link,
       sha256_append(sha256('a'), '\x0102') = sha256(sha256('a') || '\x0102') AS next_link,
       (SELECT sha256_heads_chain(issue, seq, hash)
          FROM (VALUES (1::bigint, 1, sha256('h1')), (1, 2, sha256('h1b')), (2, 1, sha256('h2'))) v(issue, seq, hash))
       = sha256(sha256(int8send(1::bigint) || sha256('h1b')) || int8send(2::bigint) || sha256('h2'))
       AS heads_by_hand;
-- The aggregate behind it, over 2,500 issues with up to three events an
-- issue, gives what sha256_chain gives.
WITH ev AS (
  SELECT i AS issue, s AS seq, sha256(convert_to(i || '/' || s, 'UTF8')) AS hash
    FROM generate_series(1, 2500) i, generate_series(1, 1 + i % 3) s)
SELECT (SELECT sha256_heads_chain(issue, seq, hash)
          FROM (SELECT * FROM ev ORDER BY issue, seq) e)
     = (SELECT sha256_chain(int8send(issue) || hash ORDER BY issue)
          FROM (SELECT DISTINCT ON (issue) issue, hash FROM ev ORDER BY issue, seq DESC) h)
       AS heads_chain_is_sha256_chain,
       (SELECT sha256_heads_chain(issue, seq, hash) FROM ev WHERE false) AS no_events;
-- Events out of order, or a hash that is not one, are errors.
SELECT pg_temp.try($$SELECT sha256_heads_chain(issue, seq, sha256('x'))
                     FROM (VALUES (2, 1), (1, 1)) v(issue, seq)$$);
SELECT pg_temp.try($$SELECT sha256_heads_chain(issue, seq, sha256('x'))
                     FROM (VALUES (1, 2), (1, 2)) v(issue, seq)$$);
SELECT pg_temp.try($$SELECT sha256_heads_chain(1, 1, '\x0102')$$);

-- The canonical bytes do not depend on the session's settings.
SELECT md5(string_agg(event_canonical(e), '' ORDER BY id)) AS canonical_md5 FROM issue_event e \gset
SET TimeZone = 'America/New_York';
SET datestyle = 'SQL, DMY';
SELECT md5(string_agg(event_canonical(e), '' ORDER BY id)) = :'canonical_md5' AS same_in_other_settings
  FROM issue_event e;
RESET TimeZone;
SET datestyle = ISO;
-- The canonical form is fixed (its version 1): an event of given values
-- hashes to the same bytes in every release, or the chains recorded by an
-- earlier one would stop verifying.
SELECT encode(sha256(event_canonical(ROW(7, 42, 3, '330782', '2026-03-05', '2026-03-05 09:30:00+08',
         'editor_330782', 'issuelist_editor', 'transition', 'assigned', 'rectifying',
         'rectification started', 'rectifying', '2026-06-30', 1, NULL, '2026-04-30', true,
         'the report came late', NULL, NULL, NULL, NULL)::issue_event)), 'hex') AS canonical_v1_sha256;

-- Publish 2023Q4; then more history is recorded (an issue of 2024 and its
-- steps), and 2024Q1 is published too.
SELECT freeze_quarter('2023Q4');
SELECT register_issue('audit', '330782', 'general', 'Idle funds', '2024-01-10') AS code \gset
SELECT advance(:'code', 'assigned', 'to the finance bureau', '2024-01-12');
SELECT advance(:'code', 'rectifying', NULL, '2024-01-20');
SELECT freeze_quarter('2024Q1');
SELECT q, revision, length(digest) AS digest_bytes FROM quarter_freeze ORDER BY q;
SELECT verify_quarter('2023Q4') AS q4_intact, verify_quarter('2024Q1') AS q1_intact;

-- The forger: triggers off (a superuser's ALTER TABLE), then seven edits,
-- each on an issue of its own.  The issues, by their codes:
SELECT code AS noted FROM issue WHERE list = 'inspection' ORDER BY id LIMIT 1 \gset
SELECT code AS stated FROM issue WHERE list = 'supervision' ORDER BY id LIMIT 1 \gset
SELECT code AS dated FROM issue WHERE list = 'eco_inspection' ORDER BY id LIMIT 1 \gset
SELECT i.code AS deleted FROM issue i WHERE i.list = 'safety'
   AND (SELECT count(*) FROM issue_event e WHERE e.issue = i.id) >= 3 ORDER BY i.id LIMIT 1 \gset
SELECT i.code AS swapped FROM issue i WHERE i.list = 'public_opinion'
   AND (SELECT count(*) FROM issue_event e WHERE e.issue = i.id) >= 3 ORDER BY i.id LIMIT 1 \gset
SELECT code AS moved FROM issue WHERE list = 'safety' ORDER BY id DESC LIMIT 1 \gset
ALTER TABLE issue_event DISABLE TRIGGER ALL;

-- 1. A note rewritten (an event recorded after the 2023Q4 publication, so
--    only 2024Q1's digest covers it).
UPDATE issue_event SET note = 'to the mayor''s office'
 WHERE issue = (SELECT id FROM issue WHERE code = :'code') AND seq = 2;
SELECT verify_quarter('2023Q4') AS q4_intact, verify_quarter('2024Q1') AS q1_intact;
-- 2. A state changed: the step becomes a withdrawal.
UPDATE issue_event SET state = 'withdrawn', to_state = 'withdrawn', closed_on = on_date
 WHERE issue = (SELECT id FROM issue WHERE code = :'stated') AND seq = 2;
-- 3. An effective day moved back a month.
UPDATE issue_event SET on_date = on_date - 30
 WHERE issue = (SELECT id FROM issue WHERE code = :'dated') AND seq = 2;
-- 4. An event deleted (the second of three or more).
DELETE FROM issue_event
 WHERE issue = (SELECT id FROM issue WHERE code = :'deleted') AND seq = 2;
-- 5. An event added at the end of an issue's history.
INSERT INTO issue_event (issue, seq, org, on_date, actor, role, event, note,
                         state, due_on, reopen_count, closed_on, hash)
SELECT e.issue, e.seq + 1, e.org, e.on_date, 'forger', 'issuelist_verifier',
       'extension', 'extended by nobody', e.state, e.due_on + 365, e.reopen_count,
       e.closed_on, sha256('forged')
  FROM issue_event e JOIN issue i ON i.id = e.issue
 WHERE i.code = :'noted'
 ORDER BY e.seq DESC LIMIT 1;
-- 6. Two events' seqs swapped.
UPDATE issue_event SET seq = 100 WHERE issue = (SELECT id FROM issue WHERE code = :'swapped') AND seq = 2;
UPDATE issue_event SET seq = 2 WHERE issue = (SELECT id FROM issue WHERE code = :'swapped') AND seq = 3;
UPDATE issue_event SET seq = 3 WHERE issue = (SELECT id FROM issue WHERE code = :'swapped') AND seq = 100;
-- 7. An issue's latest effective day moved back a year on its row, so that
--    scoring as of a day would take it for unchanged since.
ALTER TABLE issue DISABLE TRIGGER issue_follows_history;
UPDATE issue SET last_event_on = last_event_on - 365 WHERE code = :'moved';
ALTER TABLE issue ENABLE ALWAYS TRIGGER issue_follows_history;
ALTER TABLE issue_event ENABLE TRIGGER ALL;
ALTER TABLE issue_event ENABLE ALWAYS TRIGGER issue_event_append_only;
ALTER TABLE issue_event ENABLE ALWAYS TRIGGER issue_event_no_truncate;
ALTER TABLE issue_event ENABLE ALWAYS TRIGGER issue_event_chained;

-- Every edit shows, named by its issue; nothing else does.
SELECT CASE issue WHEN :'code' THEN 'note' WHEN :'stated' THEN 'state'
                  WHEN :'dated' THEN 'effective day' WHEN :'deleted' THEN 'deleted'
                  WHEN :'noted' THEN 'inserted' WHEN :'swapped' THEN 'swapped'
                  WHEN :'moved' THEN 'last_event_on'
                  ELSE 'UNEXPECTED ' || issue END AS edit,
       seq, problem
  FROM verify_history()
 ORDER BY 1, 2, 3;
-- One issue at a time, too.
SELECT seq, problem FROM verify_history(:'deleted');
SELECT count(*) AS broken_links_of_an_untouched_issue
  FROM verify_history((SELECT code FROM issue WHERE list = 'complaints' ORDER BY id LIMIT 1));
-- Both publications covered edited events now.
SELECT verify_quarter('2023Q4') AS q4_intact, verify_quarter('2024Q1') AS q1_intact;
SELECT pg_temp.try($$SELECT verify_quarter('2022Q1')$$);
SELECT pg_temp.try($$SELECT verify_history('NO-SUCH-1')$$);

-- The issue row follows its history: a direct UPDATE is refused, the
-- superuser's included, and DELETE too.
SELECT pg_temp.try(format($$UPDATE issue SET title = 'better title' WHERE code = %L$$, :'code'));
SELECT pg_temp.try(format($$UPDATE issue SET state = 'closed', closed_on = '2024-02-01' WHERE code = %L$$, :'code'));
SELECT pg_temp.try(format($$DELETE FROM issue WHERE code = %L$$, :'code'));
-- Its last_event_on is the trigger's to set: a value written is replaced
-- by the latest effective day of its events.
SELECT code AS untouched, last_event_on AS untouched_day
  FROM issue WHERE list = 'complaints' ORDER BY id LIMIT 1 \gset
UPDATE issue SET last_event_on = '2000-01-01' WHERE code = :'untouched';
SELECT last_event_on = :'untouched_day' AS still_its_latest_day,
       last_event_on = (SELECT max(e.on_date) FROM issue_event e WHERE e.issue = issue.id) AS from_its_history
  FROM issue WHERE code = :'untouched';
