
-- ---------------------------------------------------------------------------
-- BI views of people (docs/officials.md): the officials, the posts they
-- held, their published quarters (posts with days in post and the issues
-- they were responsible for, as each publication stored them) and the
-- meetings held.  security_invoker, as every BI view: row security of the
-- base tables holds for the login that reads them (post holders of ranked
-- organizations are public, other people and the issue counts by
-- subtree).  Plain types only.  New in 1.1: the upgrade runs this fragment
-- as it is (extension/upgrade/1.0--1.1/ links to it).
-- ---------------------------------------------------------------------------

-- The published people are read as the posts are: ranked organizations'
-- by everyone who reads rankings, the rest by subtree.
ALTER TABLE publication_post ENABLE ROW LEVEL SECURITY;
CREATE POLICY publication_post_read_all ON publication_post FOR SELECT
	TO issuelist_admin, issuelist_auditor USING (true);
CREATE POLICY publication_post_read_public ON publication_post FOR SELECT
	TO issuelist_editor, issuelist_verifier, issuelist_reader
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[])
		   OR org IN (SELECT o.code FROM org o WHERE org_level_rank(o.level) <= 3));
COMMENT ON POLICY publication_post_read_all ON publication_post IS 'admins and auditors read every published post';
COMMENT ON POLICY publication_post_read_public ON publication_post IS
	'the published posts of ranked organizations are public (as rankings are); the others are read by subtree';
CREATE POLICY publication_official_read_bi ON publication_official FOR SELECT
	TO issuelist_reader
	USING (org = ANY ((SELECT visible_orgs(current_user))::text[]));
COMMENT ON POLICY publication_official_read_bi ON publication_official IS
	'BI logins (issuelist_reader) read the published tallies of their subtrees'' officials';
GRANT SELECT ON publication_post, publication_official, meeting TO issuelist_reader;

CREATE VIEW issuelist_bi.officials WITH (security_invoker = true) AS
	SELECT f.code AS official_code, f.name AS official_name, f.org AS first_org_code,
		   f.synthetic
	  FROM official f;
COMMENT ON VIEW issuelist_bi.officials IS
	'One row per official (a person) the login may read: the holders of the posts of ranked organizations, and the officials of its subtrees. Join posts, official_quarters and issues on official_code.';
COMMENT ON COLUMN issuelist_bi.officials.official_code IS 'The official''s stable code (a staff number, or generated as P000001).';
COMMENT ON COLUMN issuelist_bi.officials.official_name IS 'The official''s name; two people may share one, the code tells them apart.';
COMMENT ON COLUMN issuelist_bi.officials.first_org_code IS 'The organization the official was first named in (by a registration); NULL when added directly.';
COMMENT ON COLUMN issuelist_bi.officials.synthetic IS 'True for the sample generator''s made-up officials.';

CREATE VIEW issuelist_bi.posts WITH (security_invoker = true) AS
	SELECT p.org AS org_code, o.name AS org_name, o.name_zh AS org_name_zh,
		   o.level AS org_level, p.title, p.official AS official_code,
		   f.name AS official_name, p.from_day, p.to_day,
		   p.to_day IS NULL OR p.to_day >= current_date AS in_post,
		   (least(coalesce(p.to_day, current_date), current_date) - p.from_day + 1) AS days_in_post,
		   p.synthetic
	  FROM post p
	  JOIN org o ON o.code = p.org
	  LEFT JOIN official f ON f.code = p.official;
COMMENT ON VIEW issuelist_bi.posts IS
	'One row per post held: who held which title (secretary, head...) in which organization, from and to which day. One holder of a title per organization on any day.';
COMMENT ON COLUMN issuelist_bi.posts.org_code IS 'Code of the organization (join orgs on it).';
COMMENT ON COLUMN issuelist_bi.posts.org_name IS 'Name of the organization.';
COMMENT ON COLUMN issuelist_bi.posts.org_name_zh IS 'Chinese name of the organization.';
COMMENT ON COLUMN issuelist_bi.posts.org_level IS 'Level of the organization: province, city, county or township.';
COMMENT ON COLUMN issuelist_bi.posts.title IS 'The title: secretary (Party secretary), head (government head), or one the deployment added.';
COMMENT ON COLUMN issuelist_bi.posts.official_code IS 'Code of the holder (join officials on it).';
COMMENT ON COLUMN issuelist_bi.posts.official_name IS 'Name of the holder.';
COMMENT ON COLUMN issuelist_bi.posts.from_day IS 'First day in post.';
COMMENT ON COLUMN issuelist_bi.posts.to_day IS 'Last day in post; NULL while in post.';
COMMENT ON COLUMN issuelist_bi.posts.in_post IS 'True while the post is held today.';
COMMENT ON COLUMN issuelist_bi.posts.days_in_post IS 'Days in post up to today (or the last day).';
COMMENT ON COLUMN issuelist_bi.posts.synthetic IS 'True for the sample generator''s made-up posts.';

-- Each published quarter (its latest revision): the posts held in it with
-- the days in post, and the issues each official was responsible for in
-- the post's organization; a responsible official without a post there has
-- a row with title NULL (official_record() gives the same numbers).
CREATE VIEW issuelist_bi.official_quarters WITH (security_invoker = true) AS
	SELECT f.q::text AS quarter, lower(f.q) AS quarter_start, upper(f.q) AS quarter_end,
		   x.org AS org_code, x.title, x.official AS official_code, x.name AS official_name,
		   x.days_in_post,
		   coalesce(tally_count(x.tally, 'new'), 0) AS found,
		   coalesce(tally_count(x.tally, 'closed_on_time'), 0) AS closed_on_time,
		   coalesce(tally_count(x.tally, 'closed_late'), 0) AS closed_late,
		   coalesce(tally_count(x.tally, 'open'), 0) AS open,
		   coalesce(tally_count(x.tally, 'overdue'), 0) AS overdue,
		   coalesce(tally_count(x.tally, 'tolerated'), 0) AS tolerated,
		   coalesce(x.clarified, 0) AS clarified,
		   f.revision
	  FROM (SELECT DISTINCT ON (qf.q) qf.q, qf.revision
			  FROM quarter_freeze qf
			 ORDER BY qf.q, qf.revision DESC) f
	 CROSS JOIN LATERAL (
		   SELECT coalesce(p.org, c.org) AS org, p.title,
				  coalesce(p.official, c.official) AS official,
				  coalesce(p.name, (SELECT o.name FROM official o WHERE o.code = c.official)) AS name,
				  p.days_in_post,
				  CASE WHEN p.title IS NULL OR p.title = min(p.title) OVER (PARTITION BY p.org, p.official)
					   THEN c.tally END AS tally,
				  CASE WHEN p.title IS NULL OR p.title = min(p.title) OVER (PARTITION BY p.org, p.official)
					   THEN c.clarified END AS clarified
			 FROM (SELECT pp.org, pp.title, pp.official, pp.name, sum(pp.days_in_post)::integer AS days_in_post
					 FROM publication_post pp
					WHERE pp.q = f.q AND pp.revision = f.revision
					GROUP BY pp.org, pp.title, pp.official, pp.name) p
			 FULL JOIN (SELECT po.org, po.official, po.tally, po.clarified
						  FROM publication_official po
						 WHERE po.q = f.q AND po.revision = f.revision) c
			   ON c.org = p.org AND c.official = p.official) x;
COMMENT ON VIEW issuelist_bi.official_quarters IS
	'One row per published quarter, official and post: the days in post and the issues the official was responsible for in the post''s organization (a row with title NULL for issues where the official held no post), as the publication stored them (its latest revision). Join org_quarter_scores on quarter and org_code for the organization''s score and rank.';
COMMENT ON COLUMN issuelist_bi.official_quarters.quarter IS 'The quarter, e.g. 2021Q4.';
COMMENT ON COLUMN issuelist_bi.official_quarters.quarter_start IS 'First day of the quarter (date); use it as the time axis.';
COMMENT ON COLUMN issuelist_bi.official_quarters.quarter_end IS 'Last day of the quarter (date).';
COMMENT ON COLUMN issuelist_bi.official_quarters.org_code IS 'Code of the organization of the post (join orgs on it).';
COMMENT ON COLUMN issuelist_bi.official_quarters.title IS 'The title held (secretary, head...); NULL for issues in an organization where the official held no post.';
COMMENT ON COLUMN issuelist_bi.official_quarters.official_code IS 'Code of the official (join officials on it).';
COMMENT ON COLUMN issuelist_bi.official_quarters.official_name IS 'Name of the official, as the publication stored it for a post holder.';
COMMENT ON COLUMN issuelist_bi.official_quarters.days_in_post IS 'Days in post within the quarter; NULL without a post.';
COMMENT ON COLUMN issuelist_bi.official_quarters.found IS 'Issues the official was responsible for that were found during the quarter.';
COMMENT ON COLUMN issuelist_bi.official_quarters.closed_on_time IS 'Their issues closed during the quarter on or before the due day.';
COMMENT ON COLUMN issuelist_bi.official_quarters.closed_late IS 'Their issues closed during the quarter after the due day.';
COMMENT ON COLUMN issuelist_bi.official_quarters.open IS 'Their issues open at the quarter''s end.';
COMMENT ON COLUMN issuelist_bi.official_quarters.overdue IS 'Their issues open and past the due day at the quarter''s end, not under a tolerance.';
COMMENT ON COLUMN issuelist_bi.official_quarters.tolerated IS 'Their issues under a tolerance at the quarter''s end.';
COMMENT ON COLUMN issuelist_bi.official_quarters.clarified IS 'Their issues clarified (the accusation found unfounded) by the quarter''s end: never a deduction.';
COMMENT ON COLUMN issuelist_bi.official_quarters.revision IS 'Revision of the publication the numbers come from.';

CREATE VIEW issuelist_bi.meetings WITH (security_invoker = true) AS
	SELECT m.id AS meeting_id, m.q::text AS quarter, m.held_on,
		   coalesce(array_to_string(m.topic, ', '), 'all lists') AS topic,
		   p.k::integer AS presenter_order, p.code AS official_code, f.name AS official_name
	  FROM meeting m
	 CROSS JOIN LATERAL unnest(m.presenters) WITH ORDINALITY p(code, k)
	  LEFT JOIN official f ON f.code = p.code;
COMMENT ON VIEW issuelist_bi.meetings IS
	'One row per quarterly meeting held (hold_meeting) and presenter, in the order they presented.';
COMMENT ON COLUMN issuelist_bi.meetings.meeting_id IS 'Number of the meeting.';
COMMENT ON COLUMN issuelist_bi.meetings.quarter IS 'The quarter the meeting reviewed, e.g. 2021Q4.';
COMMENT ON COLUMN issuelist_bi.meetings.held_on IS 'The day it was held.';
COMMENT ON COLUMN issuelist_bi.meetings.topic IS 'The lists of its topic, separated by commas, or ''all lists''.';
COMMENT ON COLUMN issuelist_bi.meetings.presenter_order IS 'Place of the presenter, 1 first.';
COMMENT ON COLUMN issuelist_bi.meetings.official_code IS 'Code of the presenter (join officials on it).';
COMMENT ON COLUMN issuelist_bi.meetings.official_name IS 'Name of the presenter.';

GRANT SELECT ON issuelist_bi.officials, issuelist_bi.posts, issuelist_bi.official_quarters,
	issuelist_bi.meetings TO issuelist_reader;
