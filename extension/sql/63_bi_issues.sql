
-- ---------------------------------------------------------------------------
-- The BI view of the issues (docs/bi-guide.md).  In 1.1 it names the
-- responsible official by code, with official_name beside it (added last,
-- so that CREATE OR REPLACE VIEW keeps 1.0's columns): the upgrade runs
-- this fragment as it is (extension/upgrade/1.0--1.1/ links to it).
-- ---------------------------------------------------------------------------

CREATE OR REPLACE VIEW issuelist_bi.issues WITH (security_invoker = true) AS
	SELECT i.code AS issue_code, i.title,
		   i.list AS list_code, l.name AS list_label, l.name_zh AS list_label_zh,
		   l.position::integer AS list_order,
		   i.severity::text AS severity_code, bi_label(i.severity::text) AS severity_label,
		   label_zh(i.severity) AS severity_label_zh, severity_rank(i.severity) AS severity_rank,
		   i.state::text AS state_code, bi_label(i.state::text) AS state_label,
		   label_zh(i.state) AS state_label_zh, issue_state_rank(i.state) AS state_order,
		   is_open(i.state) AS is_open,
		   i.origin,
		   i.org AS org_code, o.org_name, o.org_name_zh, o.org_level,
		   o.province_code, o.province_name, o.province_name_zh,
		   o.city_code, o.city_name, o.city_name_zh,
		   o.county_code, o.county_name, o.county_name_zh,
		   i.official, i.source,
		   i.found_on, quarter(i.found_on)::text AS found_quarter,
		   i.due_on, i.closed_on, i.closed_on - i.found_on AS days_to_close,
		   i.overdue, i.overdue_days, i.light, i.reopen_count, i.tolerated,
		   i.id AS issue_id, i.official_name
	  FROM issues i
	  JOIN list l ON l.code = i.list
	  JOIN issuelist_bi.orgs o ON o.org_code = i.org;
COMMENT ON VIEW issuelist_bi.issues IS
	'One row per issue as it stands today, of the organizations the login may see: list, severity and state with labels and sort orders, the organization with its city and province, dates, overdue days, warning light. The same numbers as the client''s issue commands.';
COMMENT ON COLUMN issuelist_bi.issues.issue_code IS 'The issue''s code: list prefix, year found, number, e.g. AUD-2021-000123. Unique.';
COMMENT ON COLUMN issuelist_bi.issues.title IS 'What the problem is, in one line.';
COMMENT ON COLUMN issuelist_bi.issues.list_code IS 'The list it belongs to: inspection, supervision, eco_inspection, audit, safety, public_opinion, complaints (the seven lists) or a list added locally.';
COMMENT ON COLUMN issuelist_bi.issues.list_label IS 'The list''s name, e.g. Audit.';
COMMENT ON COLUMN issuelist_bi.issues.list_label_zh IS 'The list''s Chinese name, e.g. 审计.';
COMMENT ON COLUMN issuelist_bi.issues.list_order IS 'The list''s position in reports, 1 to 16 (sort by it).';
COMMENT ON COLUMN issuelist_bi.issues.severity_code IS 'Severity: general, serious, major or critical (grades IV to I).';
COMMENT ON COLUMN issuelist_bi.issues.severity_label IS 'Severity label: General, Serious, Major or Critical.';
COMMENT ON COLUMN issuelist_bi.issues.severity_label_zh IS 'Severity in Chinese: 一般, 较大, 重大 or 特别重大.';
COMMENT ON COLUMN issuelist_bi.issues.severity_rank IS 'Severity as a number: 1 general, 2 serious, 3 major, 4 critical (sort by it).';
COMMENT ON COLUMN issuelist_bi.issues.state_code IS 'State in the closed loop: registered, assigned, rectifying, continuing, rectified, closed, reopened or withdrawn.';
COMMENT ON COLUMN issuelist_bi.issues.state_label IS 'State label: Registered, Assigned, Rectifying, Continuing, Rectified, Closed, Reopened or Withdrawn.';
COMMENT ON COLUMN issuelist_bi.issues.state_label_zh IS 'State in Chinese: 已登记, 已交办, 整改中, 持续整改, 已整改待验收, 已销号, 反弹 or 已撤销.';
COMMENT ON COLUMN issuelist_bi.issues.state_order IS 'The state''s place in the loop, 1 registered to 8 withdrawn (sort by it).';
COMMENT ON COLUMN issuelist_bi.issues.is_open IS 'True while the issue is in the loop; false when closed (struck off) or withdrawn.';
COMMENT ON COLUMN issuelist_bi.issues.origin IS 'How it came to light: self (the organization''s own inspection), external (a higher level or outside body) or concealed (found by others after it was hidden).';
COMMENT ON COLUMN issuelist_bi.issues.org_code IS 'Code of the organization that owns the issue (join issuelist_bi.orgs on it).';
COMMENT ON COLUMN issuelist_bi.issues.org_name IS 'Name of the organization that owns the issue.';
COMMENT ON COLUMN issuelist_bi.issues.org_name_zh IS 'Chinese name of the organization that owns the issue.';
COMMENT ON COLUMN issuelist_bi.issues.org_level IS 'Level of the owning organization: province, city, county or township.';
COMMENT ON COLUMN issuelist_bi.issues.province_code IS 'Code of the province of the owning organization.';
COMMENT ON COLUMN issuelist_bi.issues.province_name IS 'Name of the province of the owning organization.';
COMMENT ON COLUMN issuelist_bi.issues.province_name_zh IS 'Chinese name of the province of the owning organization.';
COMMENT ON COLUMN issuelist_bi.issues.city_code IS 'Code of the city of the owning organization (itself for a city); NULL for a province''s own issue.';
COMMENT ON COLUMN issuelist_bi.issues.city_name IS 'Name of the city of the owning organization; NULL for a province''s own issue.';
COMMENT ON COLUMN issuelist_bi.issues.city_name_zh IS 'Chinese name of the city of the owning organization; NULL for a province''s own issue.';
COMMENT ON COLUMN issuelist_bi.issues.county_code IS 'Code of the county of the owning organization (itself for a county); NULL above county level.';
COMMENT ON COLUMN issuelist_bi.issues.county_name IS 'Name of the county of the owning organization; NULL above county level.';
COMMENT ON COLUMN issuelist_bi.issues.county_name_zh IS 'Chinese name of the county of the owning organization; NULL above county level.';
COMMENT ON COLUMN issuelist_bi.issues.official IS 'The responsible official''s code (join issuelist_bi.officials on it); NULL when none was named.';
COMMENT ON COLUMN issuelist_bi.issues.source IS 'Which inspection, audit or round found it; free text, may be NULL.';
COMMENT ON COLUMN issuelist_bi.issues.found_on IS 'The day it was found (date).';
COMMENT ON COLUMN issuelist_bi.issues.found_quarter IS 'The quarter it was found in, e.g. 2021Q3.';
COMMENT ON COLUMN issuelist_bi.issues.due_on IS 'The due day, including every deadline extension (date).';
COMMENT ON COLUMN issuelist_bi.issues.closed_on IS 'The day it was closed or withdrawn (date); NULL while open.';
COMMENT ON COLUMN issuelist_bi.issues.days_to_close IS 'Days from found to closed or withdrawn; NULL while open.';
COMMENT ON COLUMN issuelist_bi.issues.overdue IS 'True when open and today is after the due day, tolerated or not: the overdue counts of scores, reports and list_summary are the rows with overdue and not tolerated; overdue and tolerated are their overdue_tolerated.';
COMMENT ON COLUMN issuelist_bi.issues.overdue_days IS 'Days past the due day today when overdue, else 0.';
COMMENT ON COLUMN issuelist_bi.issues.light IS 'Warning light today: red (overdue), yellow (due within 15 days), green (open otherwise); NULL when closed or withdrawn.';
COMMENT ON COLUMN issuelist_bi.issues.reopen_count IS 'How many times it came back after being closed (closed -> reopened).';
COMMENT ON COLUMN issuelist_bi.issues.tolerated IS 'True when a tolerance (容错) holds today: still to be rectified, but exempt from the score.';
COMMENT ON COLUMN issuelist_bi.issues.issue_id IS 'Internal number of the issue (join issuelist_bi.issue_events on it).';
COMMENT ON COLUMN issuelist_bi.issues.official_name IS 'The responsible official''s name; NULL when none was named (or the login may not read the official).';
