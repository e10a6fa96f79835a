
-- ---------------------------------------------------------------------------
-- BI views: organizations, issues, their history, and the lists today.
-- Each code column (list_code, severity_code, state_code...) has a label
-- (English and Chinese) and a sort order next to it, so that a tool can
-- show and sort them without knowing the extension's types.  Issues and
-- lists are read through issuelist.issues, the view the client reads, so
-- that overdue, lights and tolerance are computed once, the same way.
-- ---------------------------------------------------------------------------

-- The English label of a code: its words capitalized (general -> General,
-- eco_inspection -> Eco Inspection).
CREATE FUNCTION bi_label(code text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT initcap(replace(code, '_', ' '));
END;
COMMENT ON FUNCTION bi_label(text) IS
	'BI: the English label of a code, its words capitalized (general -> General)';

CREATE VIEW issuelist_bi.orgs WITH (security_invoker = true) AS
	SELECT o.code AS org_code, o.name AS org_name, o.name_zh AS org_name_zh,
		   o.level AS org_level, org_level_rank(o.level) AS level_order,
		   o.kind AS org_kind, o.parent AS parent_code,
		   a.province_code, a.province_name, a.province_name_zh,
		   a.city_code, a.city_name, a.city_name_zh,
		   a.county_code, a.county_name, a.county_name_zh,
		   nlevel(o.path) AS depth, o.path::text AS path
	  FROM org o
	 CROSS JOIN LATERAL (
		   -- The organization's ancestors (itself included), one per level.
		   SELECT max(u.code) FILTER (WHERE u.level = 'province') AS province_code,
				  max(u.name) FILTER (WHERE u.level = 'province') AS province_name,
				  max(u.name_zh) FILTER (WHERE u.level = 'province') AS province_name_zh,
				  max(u.code) FILTER (WHERE u.level = 'city') AS city_code,
				  max(u.name) FILTER (WHERE u.level = 'city') AS city_name,
				  max(u.name_zh) FILTER (WHERE u.level = 'city') AS city_name_zh,
				  max(u.code) FILTER (WHERE u.level = 'county') AS county_code,
				  max(u.name) FILTER (WHERE u.level = 'county') AS county_name,
				  max(u.name_zh) FILTER (WHERE u.level = 'county') AS county_name_zh
			 FROM org u
			WHERE u.path @> o.path) a;
COMMENT ON VIEW issuelist_bi.orgs IS
	'One row per organization, its hierarchy flattened into province, city and county columns (its own level''s columns name itself). Join issues and scores on org_code.';
COMMENT ON COLUMN issuelist_bi.orgs.org_code IS 'The organization''s code (GB/T 2260 administrative code in the sample province), e.g. 330782.';
COMMENT ON COLUMN issuelist_bi.orgs.org_name IS 'The organization''s name, e.g. Yiwu.';
COMMENT ON COLUMN issuelist_bi.orgs.org_name_zh IS 'The organization''s Chinese name, e.g. 义乌市; NULL when not recorded.';
COMMENT ON COLUMN issuelist_bi.orgs.org_level IS 'The level in the hierarchy: province, city, county or township.';
COMMENT ON COLUMN issuelist_bi.orgs.level_order IS 'Sort order of the level: 1 province, 2 city, 3 county, 4 township.';
COMMENT ON COLUMN issuelist_bi.orgs.org_kind IS 'What the organization is within its level (district, county, county-level city...); free text, may be NULL.';
COMMENT ON COLUMN issuelist_bi.orgs.parent_code IS 'The code of the organization directly above; NULL at the top.';
COMMENT ON COLUMN issuelist_bi.orgs.province_code IS 'Code of the province the organization is in (itself for a province).';
COMMENT ON COLUMN issuelist_bi.orgs.province_name IS 'Name of the province the organization is in.';
COMMENT ON COLUMN issuelist_bi.orgs.province_name_zh IS 'Chinese name of the province the organization is in.';
COMMENT ON COLUMN issuelist_bi.orgs.city_code IS 'Code of the city the organization is in (itself for a city); NULL for a province.';
COMMENT ON COLUMN issuelist_bi.orgs.city_name IS 'Name of the city the organization is in; NULL for a province.';
COMMENT ON COLUMN issuelist_bi.orgs.city_name_zh IS 'Chinese name of the city the organization is in; NULL for a province.';
COMMENT ON COLUMN issuelist_bi.orgs.county_code IS 'Code of the county the organization is in (itself for a county); NULL above county level.';
COMMENT ON COLUMN issuelist_bi.orgs.county_name IS 'Name of the county the organization is in; NULL above county level.';
COMMENT ON COLUMN issuelist_bi.orgs.county_name_zh IS 'Chinese name of the county the organization is in; NULL above county level.';
COMMENT ON COLUMN issuelist_bi.orgs.depth IS 'Depth in the hierarchy: 1 for the top organization, 2 for the level below, and so on.';
COMMENT ON COLUMN issuelist_bi.orgs.path IS 'The codes from the top down, separated by dots, e.g. 330000.330700.330782; a subtree is path = ''X'' OR path LIKE ''X.%''.';

-- issuelist_bi.issues is in 63_bi_issues.sql (1.1 names the official by
-- code and name).

CREATE VIEW issuelist_bi.issue_events WITH (security_invoker = true) AS
	SELECT e.id AS event_id, e.issue AS issue_id, i.code AS issue_code,
		   e.seq, e.on_date::timestamptz AS "time", e.on_date, e.recorded_at,
		   e.actor::text AS actor, e.role::text AS actor_role, e.event,
		   e.from_state::text AS from_state_code, e.to_state::text AS to_state_code,
		   e.state::text AS state_code, bi_label(e.state::text) AS state_label,
		   label_zh(e.state) AS state_label_zh, is_open(e.state) AS is_open,
		   e.due_on, e.closed_on, e.reopen_count, e.note,
		   i.list AS list_code, e.org AS org_code
	  FROM issue_event e
	  JOIN issue i ON i.id = e.issue;
COMMENT ON VIEW issuelist_bi.issue_events IS
	'The append-only history: one row per change of an issue the login may see (registration, transition, deadline extension, tolerance), with the issue''s state and due day after it.';
COMMENT ON COLUMN issuelist_bi.issue_events.event_id IS 'Internal number of the event; increases in the order events were recorded.';
COMMENT ON COLUMN issuelist_bi.issue_events.issue_id IS 'Internal number of the issue (join issuelist_bi.issues on it).';
COMMENT ON COLUMN issuelist_bi.issue_events.issue_code IS 'The issue''s code, e.g. AUD-2021-000123.';
COMMENT ON COLUMN issuelist_bi.issue_events.seq IS 'The event''s number within its issue: 1 (registration), 2, 3...';
COMMENT ON COLUMN issuelist_bi.issue_events.time IS 'The effective day as a timestamp (midnight, session time zone), for Grafana annotations and time axes.';
COMMENT ON COLUMN issuelist_bi.issue_events.on_date IS 'The effective day of the change (date); may be earlier than the day it was recorded.';
COMMENT ON COLUMN issuelist_bi.issue_events.recorded_at IS 'The wall-clock time the change was recorded.';
COMMENT ON COLUMN issuelist_bi.issue_events.actor IS 'The login who made the change.';
COMMENT ON COLUMN issuelist_bi.issue_events.actor_role IS 'The role the login acted as: issuelist_admin, issuelist_editor or issuelist_verifier.';
COMMENT ON COLUMN issuelist_bi.issue_events.event IS 'What happened: registered, transition, extension (of the deadline) or tolerance.';
COMMENT ON COLUMN issuelist_bi.issue_events.from_state_code IS 'A transition''s state before; NULL for other events.';
COMMENT ON COLUMN issuelist_bi.issue_events.to_state_code IS 'A transition''s state after (registered for the registration); NULL for extensions and tolerance.';
COMMENT ON COLUMN issuelist_bi.issue_events.state_code IS 'The issue''s state after the event: registered, assigned, rectifying, continuing, rectified, closed, reopened or withdrawn.';
COMMENT ON COLUMN issuelist_bi.issue_events.state_label IS 'Label of the state after the event, e.g. Rectifying.';
COMMENT ON COLUMN issuelist_bi.issue_events.state_label_zh IS 'Chinese label of the state after the event.';
COMMENT ON COLUMN issuelist_bi.issue_events.is_open IS 'True when the issue is still in the loop after the event.';
COMMENT ON COLUMN issuelist_bi.issue_events.due_on IS 'The issue''s due day after the event (date).';
COMMENT ON COLUMN issuelist_bi.issue_events.closed_on IS 'The issue''s closed day after the event (date); NULL while open.';
COMMENT ON COLUMN issuelist_bi.issue_events.reopen_count IS 'The issue''s reopen count after the event.';
COMMENT ON COLUMN issuelist_bi.issue_events.note IS 'The note or reason given with the change; may be NULL.';
COMMENT ON COLUMN issuelist_bi.issue_events.list_code IS 'The issue''s list, e.g. audit.';
COMMENT ON COLUMN issuelist_bi.issue_events.org_code IS 'Code of the organization that owns the issue.';
