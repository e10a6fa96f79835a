
-- ---------------------------------------------------------------------------
-- BI: the lists today, as the client's "lists" counts them: overdue is
-- open, past due and not under a tolerance, as in every score and report;
-- the tolerated ones past due are counted apart (overdue_tolerated).  Made
-- with CREATE OR REPLACE (a column added last) so that the upgrade from
-- 1.0 runs this fragment as it is.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE VIEW issuelist_bi.list_summary WITH (security_invoker = true) AS
	SELECT l.code AS list_code, l.name AS list_label, l.name_zh AS list_label_zh,
		   l.position::integer AS list_order, l.scope AS list_scope,
		   count(i.code) FILTER (WHERE is_open(i.state)) AS open,
		   count(i.code) FILTER (WHERE i.overdue AND NOT i.tolerated) AS overdue,
		   count(i.code) FILTER (WHERE i.light = 'yellow') AS due_soon,
		   count(i.code) FILTER (WHERE is_open(i.state) AND i.severity >= 'major') AS open_major_or_critical,
		   count(i.code) FILTER (WHERE i.tolerated) AS tolerated,
		   count(i.code) FILTER (WHERE i.state = 'closed') AS closed,
		   count(i.code) FILTER (WHERE i.state = 'withdrawn') AS withdrawn,
		   count(i.code) AS total,
		   -- last, so that the upgrade from 1.0 can replace the view
		   count(i.code) FILTER (WHERE i.overdue AND i.tolerated) AS overdue_tolerated
	  FROM list l
	  LEFT JOIN issues i ON i.list = l.code
	 GROUP BY l.code;
COMMENT ON VIEW issuelist_bi.list_summary IS
	'One row per list, counting today''s issues of the organizations the login may see: open, overdue (not tolerated), due soon, closed, withdrawn, overdue under a tolerance. The same numbers as the client''s lists command.';
COMMENT ON COLUMN issuelist_bi.list_summary.list_code IS 'The list: inspection, supervision, eco_inspection, audit, safety, public_opinion, complaints or a list added locally.';
COMMENT ON COLUMN issuelist_bi.list_summary.list_label IS 'The list''s name, e.g. Audit.';
COMMENT ON COLUMN issuelist_bi.list_summary.list_label_zh IS 'The list''s Chinese name, e.g. 审计.';
COMMENT ON COLUMN issuelist_bi.list_summary.list_order IS 'The list''s position in reports, 1 to 16 (sort by it).';
COMMENT ON COLUMN issuelist_bi.list_summary.list_scope IS 'What the list holds.';
COMMENT ON COLUMN issuelist_bi.list_summary.open IS 'Issues open today (in the loop: not closed, not withdrawn).';
COMMENT ON COLUMN issuelist_bi.list_summary.overdue IS 'Open issues past their due day today, not under a tolerance (the overdue of scores and reports).';
COMMENT ON COLUMN issuelist_bi.list_summary.due_soon IS 'Open issues due within 15 days (yellow light).';
COMMENT ON COLUMN issuelist_bi.list_summary.open_major_or_critical IS 'Open issues of severity major or critical.';
COMMENT ON COLUMN issuelist_bi.list_summary.tolerated IS 'Issues under a tolerance today (exempt from the score).';
COMMENT ON COLUMN issuelist_bi.list_summary.closed IS 'Issues closed (verified and struck off).';
COMMENT ON COLUMN issuelist_bi.list_summary.withdrawn IS 'Issues withdrawn (not substantiated, or duplicates).';
COMMENT ON COLUMN issuelist_bi.list_summary.total IS 'All issues of the list: open + closed + withdrawn.';
COMMENT ON COLUMN issuelist_bi.list_summary.overdue_tolerated IS 'Open issues past their due day today under a tolerance: listed as overdue, counted apart from overdue.';
