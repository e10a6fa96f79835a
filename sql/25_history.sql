-- The history is append-only: UPDATE, DELETE and TRUNCATE of issue_event
-- and tolerance fail for everyone, this superuser (the tables' owner)
-- included, even with triggers switched to replica mode.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET datestyle = ISO;

\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers

SELECT add_org('330000', 'Zhejiang', NULL, 'province');
SELECT register_issue('safety', '330000', 'major', 'Gas pipeline hazard', '2021-05-01');
SELECT advance('SAF-2021-000001', 'assigned', 'to the gas company', '2021-05-02');
SELECT tolerate('SAF-2021-000001', 'storm damage', 'review board', '2021-05-03', '2021-06-30');
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;

SELECT pg_temp.try($$UPDATE issue_event SET note = 'rewritten'$$);
SELECT pg_temp.try($$UPDATE issue_event SET on_date = on_date - 1 WHERE seq = 2$$);
SELECT pg_temp.try($$DELETE FROM issue_event WHERE seq = 2$$);
SELECT pg_temp.try($$TRUNCATE issue_event$$);
SELECT pg_temp.try($$TRUNCATE issue CASCADE$$);
SELECT pg_temp.try($$UPDATE tolerance SET until_on = NULL$$);
SELECT pg_temp.try($$DELETE FROM tolerance$$);
SELECT pg_temp.try($$TRUNCATE tolerance$$);
-- An issue cannot be deleted either: its history refers to it.
SELECT pg_temp.try($$DELETE FROM issue$$);
-- Replica mode skips ordinary triggers, not these.
SET session_replication_role = replica;
SELECT pg_temp.try($$DELETE FROM issue_event$$);
SELECT pg_temp.try($$UPDATE tolerance SET reason = 'x'$$);
RESET session_replication_role;
SELECT tgrelid::regclass, tgname, tgenabled FROM pg_trigger
 WHERE tgrelid IN ('issue_event'::regclass, 'tolerance'::regclass) AND NOT tgisinternal
 ORDER BY 1, 2;

-- Nothing changed.
SELECT day, event, from_state, to_state, due_on, note FROM history('SAF-2021-000001');
SELECT count(*) FROM tolerance;

-- The error, as a client sees it.
\set SHOW_CONTEXT never
DELETE FROM issue_event;
