
-- 1.1: chain the history 1.0 recorded.  Each event's hash is the chain over
-- its issue's events up to it (the aggregate as a window function), exactly
-- what the trigger gives an event recorded by 1.1.  The history is
-- append-only, so its UPDATE trigger is off for this one statement.
ALTER TABLE issue_event DISABLE TRIGGER issue_event_append_only;
UPDATE issue_event e SET hash = c.hash
  FROM (SELECT ev.id,
			   sha256_chain(event_canonical(ev)) OVER (PARTITION BY ev.issue ORDER BY ev.seq) AS hash
		  FROM issue_event ev) c
 WHERE c.id = e.id;
ALTER TABLE issue_event ENABLE ALWAYS TRIGGER issue_event_append_only;
ALTER TABLE issue_event ALTER COLUMN hash SET NOT NULL;
-- The unique index on (issue, seq) carries each event's hash too, as a
-- fresh install's does (21_tables.sql), so that the chain heads of a
-- publication's digest are read from the index alone.
ALTER TABLE issue_event DROP CONSTRAINT issue_event_seq,
	ADD CONSTRAINT issue_event_seq UNIQUE (issue, seq)
		INCLUDE (on_date, state, due_on, reopen_count, closed_on, tolerated_until, hash);
