-- The daily work (docs/daily-work.md) with real logins: an editor of Yiwu
-- asks for an extension and a tolerance, a verifier of the city of Jinhua
-- who did not ask decides; refused decisions write nothing.  Evidence with
-- its SHA-256 and size limit; the inbox of each; escalation one level up
-- at 30, 60 and 90 days overdue, once each; daily() escalates and
-- publishes, and a second run on the day changes nothing.
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
DO $$
BEGIN
	CREATE ROLE regress_yiwu_clerk LOGIN IN ROLE issuelist_editor;
	CREATE ROLE regress_yiwu_verifier LOGIN IN ROLE issuelist_verifier;
	CREATE ROLE regress_jinhua_verifier LOGIN IN ROLE issuelist_verifier;
	CREATE ROLE regress_jinhua_verifier2 LOGIN IN ROLE issuelist_verifier;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
SELECT grant_org('regress_yiwu_clerk', '330782'), grant_org('regress_yiwu_verifier', '330782'),
       grant_org('regress_jinhua_verifier', '330700'), grant_org('regress_jinhua_verifier2', '330700');

-- Two issues of Yiwu, registered by the admin (this superuser) today and
-- worked to rectification by the clerk: a major one and a general one.
SELECT register_issue('audit', '330782', 'major', 'Idle special funds') AS major \gset
SELECT register_issue('safety', '330782', 'general', 'Fire exits blocked') AS general \gset
SET ROLE regress_yiwu_clerk;
SELECT advance(:'major', 'assigned'), advance(:'major', 'rectifying'),
       advance(:'general', 'assigned');

-- Requests: the clerk asks.
SELECT request_extension(:'major', current_date + 120, 'the budget comes next quarter') AS ext \gset
SELECT request_tolerance(:'major', 'flood damage, reviewed', current_date + 30) AS tol \gset
SELECT id = :ext AS first, kind, new_due - current_date AS days_later, until - current_date AS until_in,
       reason, requested_by, state
  FROM requests() ORDER BY id;
-- Refusals: the same kind twice, a due day not later, a closed issue, a
-- verifier's request.
SELECT pg_temp.try_undated(format($$SELECT request_extension(%L, current_date + 200, 'again')$$, :'major'));
SELECT pg_temp.try_undated(format($$SELECT request_extension(%L, current_date, 'earlier')$$, :'general'));
SELECT pg_temp.try_undated(format($$SELECT request_tolerance(%L, '  ')$$, :'general'));
SELECT pg_temp.try_undated(format($$SELECT request_tolerance(%L, 'x', current_date - 1)$$, :'general'));
SELECT pg_temp.try_undated($$SELECT decide(1, true, 'my own')$$);
RESET ROLE;
SET ROLE regress_jinhua_verifier;
SELECT pg_temp.try_undated(format($$SELECT request_extension(%L, current_date + 200, 'a verifier asks')$$, :'major'));
RESET ROLE;

-- Decisions that are refused write nothing: Yiwu's own verifier, a bad
-- argument, an unknown request.
SELECT count(*) AS events_before FROM issue_event \gset
SET ROLE regress_yiwu_verifier;
SELECT pg_temp.try_undated(format('SELECT decide(%s, true, %L)', :ext, 'our own county'));
RESET ROLE;
SET ROLE regress_jinhua_verifier;
SELECT pg_temp.try_undated(format('SELECT decide(%s, NULL, %L)', :ext, 'undecided'));
SELECT pg_temp.try_undated(format('SELECT decide(%s, true, %L)', :ext, ''));
SELECT pg_temp.try_undated($$SELECT decide(999, true, 'nothing')$$);
RESET ROLE;
SELECT count(*) - :events_before AS events_written, count(*) FILTER (WHERE TRUE) > 0 AS any
  FROM issue_event;
SELECT count(*) FILTER (WHERE state = 'pending') AS pending FROM request;

-- The city's verifier sees both in its inbox, approves the extension and
-- refuses the tolerance; a decided request is not decided again, and a
-- second verifier does not either.
SET ROLE regress_jinhua_verifier;
SELECT kind, code = :'major' AS the_major FROM inbox() WHERE kind LIKE '%request' ORDER BY kind;
SELECT decide(:ext, true, 'approved by the city');
SELECT decide(:tol, false, 'the damage was foreseeable');
RESET ROLE;
SET ROLE regress_jinhua_verifier2;
SELECT pg_temp.try_undated(format('SELECT decide(%s, false, %L)', :ext, 'too late'));
RESET ROLE;
SELECT kind, state, requested_by, decided_by, decision_note FROM request ORDER BY id;
SELECT due_on - current_date AS due_in, tolerated_until FROM issue WHERE code = :'major';
SELECT seq, event, actor, field, new_value IS NOT NULL AS has_value, note
  FROM history(:'major') WHERE seq > 3 ORDER BY seq;

-- Evidence: attached by the clerk, listed with its SHA-256 (the same as
-- sha256() of the bytes read back), the size limit, a bad media type.
SET ROLE regress_yiwu_clerk;
SELECT attach(:'major', 'receipt.pdf', 'application/pdf', convert_to('%PDF-1.4 receipt', 'UTF8'),
              'the funds were spent') AS evidence_id \gset
SELECT file_name, media_type, bytes, sha256 = encode(sha256(convert_to('%PDF-1.4 receipt', 'UTF8')), 'hex') AS digest_right,
       attached_on = current_date AS today, attached_by, note
  FROM evidence(:'major');
SELECT sha256(evidence_content(:evidence_id)) = sha256(convert_to('%PDF-1.4 receipt', 'UTF8')) AS same_bytes;
SELECT pg_temp.try_undated(format($$SELECT attach(%L, 'x.jpg', 'jpeg', '\x00')$$, :'major'));
SELECT pg_temp.try_undated(format($$SELECT attach(%L, '', 'image/jpeg', '\x00')$$, :'major'));
RESET ROLE;
UPDATE setting SET value = '8' WHERE name = 'evidence_max_bytes';
SET ROLE regress_yiwu_clerk;
SELECT pg_temp.try_undated(format($$SELECT attach(%L, 'big.jpg', 'image/jpeg', '\x000102030405060708')$$, :'major'));
SELECT pg_temp.try_undated($$SELECT evidence_content(999)$$);
RESET ROLE;
UPDATE setting SET value = '20971520' WHERE name = 'evidence_max_bytes';
SELECT pg_temp.try_undated($$UPDATE setting SET value = 'much' WHERE name = 'evidence_max_bytes'$$);
SELECT pg_temp.try_undated($$UPDATE setting SET value = 'major, urgent' WHERE name = 'evidence_required'$$);
SELECT pg_temp.try_undated($$DELETE FROM evidence$$);
SELECT pg_temp.try_undated($$UPDATE request SET reason = 'rewritten'$$);
-- The evidence is an event of the chain.
SELECT event, new_value = (SELECT sha256 FROM evidence(:'major')) AS carries_digest
  FROM history(:'major') WHERE event = 'evidence';
SELECT count(*) AS broken_links FROM verify_history();

-- Inboxes: the clerk's (the general issue is assigned), the city verifier's
-- (the major one once rectified).
SET ROLE regress_yiwu_clerk;
SELECT kind, code = :'general' AS the_general FROM inbox() WHERE code IN (:'major', :'general');
SELECT advance(:'major', 'rectified', 'done');
RESET ROLE;
SET ROLE regress_jinhua_verifier;
SELECT kind, code = :'major' AS the_major FROM inbox() WHERE code = :'major';
RESET ROLE;
SET ROLE regress_yiwu_verifier;
SELECT count(*) AS own_county_awaiting FROM inbox() WHERE code = :'major';
RESET ROLE;

-- Closing a major issue needs evidence attached since its rectification
-- began: the major one has it, a second one has not (IL015; nothing
-- written).  A late closing, effective before the evidence's day, follows
-- the order of the loop's steps only.
SELECT register_issue('audit', '330782', 'critical', 'Land sold below price', current_date - 20) AS bare \gset
SET ROLE regress_yiwu_clerk;
SELECT advance(:'bare', 'assigned', NULL, current_date - 5), advance(:'bare', 'rectifying', NULL, current_date - 4),
       advance(:'bare', 'rectified', NULL, current_date - 3);
RESET ROLE;
SET ROLE regress_jinhua_verifier;
SELECT pg_temp.try_undated(format($$SELECT advance(%L, 'closed')$$, :'bare'));
SELECT advance(:'major', 'closed', 'verified against the receipt');
RESET ROLE;
SET ROLE regress_yiwu_clerk;
SELECT attach(:'bare', 'deed.pdf', 'application/pdf', '\x25504446') > 0 AS attached;
RESET ROLE;
SET ROLE regress_jinhua_verifier;
SELECT advance(:'bare', 'closed', 'verified', current_date - 2);
RESET ROLE;
SELECT seq, event, day - current_date AS day FROM history(:'bare') WHERE seq > 3 ORDER BY seq;

-- Escalation: an issue of Yiwu found 200 days ago, due 100 days ago, open.
SELECT register_issue('complaints', '330782', 'serious', 'Petition unanswered',
                      current_date - 200, current_date - 100) AS late_issue \gset
SELECT escalate(current_date - 65) AS escalated_65_days_ago;
SELECT escalate() AS escalated_today, escalate() AS escalated_again;
SELECT field, old_value AS level, new_value AS escalated_to, day - current_date AS day, late
  FROM history(:'late_issue') WHERE event = 'escalation' ORDER BY seq;
SET ROLE regress_jinhua_verifier;
SELECT kind, detail FROM inbox() WHERE code = :'late_issue';
RESET ROLE;
SELECT pg_temp.try_undated($$SELECT escalate(current_date + 1)$$);
SET ROLE regress_jinhua_verifier;
SELECT pg_temp.try_undated($$SELECT escalate()$$);
SELECT pg_temp.try_undated($$SELECT daily()$$);
RESET ROLE;

-- daily(): every quarter with issues whose last day is freeze_after_days
-- before the day is published; a second run changes nothing.
SELECT count(*) AS published_before FROM quarter_freeze;
SELECT escalated,
       cardinality(published) = (SELECT count(*) FROM quarters(quarter(current_date - 200), quarter(current_date) - 1) q
                                  WHERE upper(q) + 10 <= current_date) AS published_those_due,
       cardinality(published) > 0 AS some
  FROM daily();
SELECT count(*) AS events FROM issue_event \gset
SELECT escalated, cardinality(published) AS published FROM daily();
SELECT count(*) - :events AS new_events FROM issue_event;
SELECT bool_and(upper(q) + 10 <= current_date) AS all_due FROM quarter_freeze;
SELECT pg_temp.try_undated($$SELECT daily(current_date + 1)$$);

-- A clerk's inbox reads the last step of the issues that can be waiting,
-- one probe of the (issue, seq) index each, and the escalations from their
-- index: not the last step of every issue of the history (a sort of every
-- event, seconds at a million issues).  Counted as the history's rows
-- read, with sequential scans priced out so that a plan reading them all
-- shows as index fetches.  The issues that can wait are open, and each
-- of its three parts over the issues finds them by the index on closed_on
-- (at a million issues one in seventeen is open; here, two years back,
-- one in two).  And what it lists is what the definition says:
-- the same rows as the last step of every issue taken from the whole
-- history (DISTINCT ON), for this superuser (editor, verifier and admin,
-- member of no organization: the escalations to the top).
BEGIN;
SELECT generate_sample_issues('2024Q1', '2024Q2', 1000, 7) AS sample_issues;
SELECT count(*) AS events FROM issue_event \gset
SET LOCAL enable_seqscan = off;
DISCARD PLANS;
SELECT pg_temp.rows_read('issuelist.issue_event') AS read0,
       pg_stat_get_xact_numscans('issuelist.issue_closed_on'::regclass) AS open_scans0 \gset
SELECT count(*) AS waiting FROM inbox() \gset
SELECT :waiting > 100 AS many_waiting,
       pg_temp.rows_read('issuelist.issue_event') - :read0 < :events / 4 AS by_probe,
       pg_stat_get_xact_numscans('issuelist.issue_closed_on'::regclass) - :open_scans0 AS open_by_index;
RESET enable_seqscan;
WITH last_step AS (
	SELECT DISTINCT ON (e.issue) e.issue, e.on_date, e.from_state, e.to_state
	  FROM issue_event e
	 WHERE e.to_state IS NOT NULL
	 ORDER BY e.issue, e.seq DESC
), defined AS (
	SELECT s.on_date AS since,
		   CASE WHEN i.state = 'assigned' THEN 'assigned'
				WHEN i.state = 'reopened' THEN 'reopened'
				ELSE 'refused' END AS kind,
		   i.code, i.org, i.title, s.from_state || ' -> ' || s.to_state AS detail
	  FROM issue i JOIN last_step s ON s.issue = i.id
	 WHERE i.state IN ('assigned', 'reopened')
		OR (i.state = 'rectifying' AND s.from_state = 'rectified')
	UNION ALL
	SELECT i.due_on - 15, 'due soon', i.code, i.org, i.title, 'due ' || i.due_on
	  FROM issue i
	 WHERE is_open(i.state) AND i.due_on BETWEEN current_date AND current_date + 15
	UNION ALL
	SELECT s.on_date, 'awaiting acceptance', i.code, i.org, i.title, 'rectified on ' || s.on_date
	  FROM issue i JOIN last_step s ON s.issue = i.id
	 WHERE i.state = 'rectified'
	UNION ALL
	SELECT r.requested_at::date, r.kind || ' request', i.code, r.org, i.title,
		   format('request %s by %s: %s', r.id, r.requested_by, r.reason)
	  FROM request r JOIN issue i ON i.id = r.issue
	 WHERE r.state = 'pending' AND r.requested_by <> current_user
	UNION ALL
	SELECT e.on_date, 'escalated', i.code, i.org, i.title, e.note
	  FROM issue_event e JOIN issue i ON i.id = e.issue
	 WHERE e.event = 'escalation' AND is_open(i.state) AND e.new_value IS NULL
), listed AS (SELECT * FROM inbox())
SELECT (SELECT count(*) FROM defined) = :waiting AS as_many,
	   NOT EXISTS (SELECT * FROM defined EXCEPT ALL SELECT * FROM listed)
	   AND NOT EXISTS (SELECT * FROM listed EXCEPT ALL SELECT * FROM defined) AS same_rows;
ROLLBACK;
