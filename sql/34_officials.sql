-- Officials as people (docs/officials.md): codes, posts over time, the
-- rotation of Yiwu's secretary to Xihu, responsibility handed over by an
-- assignment, a clarification, and the records of the one who left: the
-- record spanning both posts, the term report with its handover list, and
-- the official ranking against the published county ranking.
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
\set SHOW_CONTEXT never
SELECT load_sample_province();

-- People: a staff number, or a generated code; two people may share a name.
SELECT add_official('ZJ0001', 'Wang Wei'), add_official('ZJ0002', 'Li Ming'),
       add_official('ZJ0003', 'Zhou Xi'), add_official('ZJ0004', 'Wang Wei'),
       add_official(NULL, 'Chen Yu');
SELECT pg_temp.try($$SELECT add_official('ZJ0001', 'Someone Else')$$) AS code_taken;
SELECT pg_temp.try($$SELECT add_official('a b', 'Someone Else')$$) AS not_a_code;
SELECT pg_temp.try($$SELECT add_official('ZJ0009', ' ')$$) AS no_name;

-- Posts: Wang Wei (ZJ0001) is Yiwu's secretary, Zhou Xi Xihu's.
SELECT appoint('ZJ0001', '330782', 'secretary', '2024-01-01') > 0 AS appointed,
       appoint('ZJ0003', '330106', 'secretary', '2024-01-01') > 0 AS appointed;
-- Refusals name the values: a name two people share (both codes), a post
-- overlapping a later holder's, a post ending before it starts.
SELECT pg_temp.try($$SELECT appoint('Wang Wei', '330110', 'head', '2024-01-01')$$) AS ambiguous;
SELECT pg_temp.try($$SELECT appoint('ZJ0004', '330782', 'secretary', '2023-06-01')$$) AS overlaps;
SELECT pg_temp.try($$SELECT leave_post('ZJ0003', '330106', 'secretary', '2023-12-31')$$) AS ends_before;
SELECT pg_temp.try($$SELECT appoint('Nobody', '330782', 'head', '2024-01-01')$$) AS unknown;
SELECT pg_temp.try($$SELECT appoint('ZJ0002', '339999', 'head', '2024-01-01')$$) AS unknown_org;
SELECT pg_temp.try($$SELECT appoint('ZJ0002', '330782', 'Head Of', '2024-01-01')$$) AS bad_title;
-- Nothing was written by them.
SELECT official, org, title, from_day, to_day FROM post ORDER BY id;
-- The exclusion constraint holds under a direct insert too.
SELECT pg_temp.try($$INSERT INTO post (official, org, title, from_day) VALUES ('ZJ0004', '330782', 'secretary', '2024-03-01')$$) AS one_holder;

-- Yiwu's issues in Wang Wei's term, registered with the name (unique
-- among Yiwu's post holders, though another Wang Wei exists):
--   an issue inherited open on the first day, closed late in the term;
--   A closed on time, B closed late, C clarified, D open and handed over.
SELECT register_issue('audit', '330782', 'major', 'Inherited: idle funds', '2023-11-01') AS e \gset
SELECT register_issue('audit', '330782', 'major', 'A: procurement', '2024-01-10', official => 'Wang Wei') AS a \gset
SELECT register_issue('inspection', '330782', 'major', 'B: formalism', '2024-02-01', official => 'Wang Wei') AS b \gset
SELECT register_issue('complaints', '330782', 'serious', 'C: a petition', '2024-03-01', official => 'ZJ0001') AS c \gset
SELECT register_issue('safety', '330782', 'major', 'D: fire escapes', '2024-05-01', official => 'Wang Wei') AS d \gset
SELECT code, official FROM issues WHERE org = '330782' ORDER BY code;
SELECT advance(:'a', 'assigned', NULL, '2024-01-11'), advance(:'a', 'rectifying', NULL, '2024-01-12'),
       advance(:'a', 'rectified', NULL, '2024-02-15'), advance(:'a', 'closed', NULL, '2024-02-20');
SELECT advance(:'b', 'assigned', NULL, '2024-02-02'), advance(:'b', 'rectifying', NULL, '2024-02-03'),
       advance(:'b', 'rectified', NULL, '2024-05-01'), advance(:'b', 'closed', NULL, '2024-05-10');
SELECT advance(:'e', 'assigned', NULL, '2023-11-02'), advance(:'e', 'rectifying', NULL, '2023-11-03'),
       advance(:'e', 'rectified', NULL, '2024-03-01'), advance(:'e', 'closed', NULL, '2024-03-05');
-- C: the accusation was unfounded (澄清正名): withdrawn, a clarified event.
SELECT advance(:'c', 'assigned', NULL, '2024-03-02');
SELECT clarify(:'c', 'the petition named the wrong office', '2024-04-15');
SELECT seq, event, from_state, to_state, note FROM history(:'c') ORDER BY seq;
SELECT pg_temp.try(format($$SELECT clarify(%L, 'again', '2024-04-16')$$, :'c')) AS clarified_twice;
SELECT pg_temp.try(format($$SELECT clarify(%L, ' ', '2024-04-16')$$, :'d')) AS no_finding;

-- The rotation: Li Ming becomes Yiwu's secretary from 2024-07-01 (Wang
-- Wei's post ends the day before) and Wang Wei Xihu's (Zhou Xi's ends).
SELECT appoint('ZJ0002', '330782', 'secretary', '2024-07-01') > 0 AS appointed,
       appoint('ZJ0001', '330106', 'secretary', '2024-07-01') > 0 AS appointed;
SELECT p.official, f.name, p.org, p.title, p.from_day, p.to_day
  FROM post p JOIN official f ON f.code = p.official ORDER BY p.official, p.from_day;
SELECT post_holder('330782', 'secretary', '2024-06-30') AS yiwu_june,
       post_holder('330782', 'secretary', '2024-07-01') AS yiwu_july,
       post_holder('330110', 'secretary', '2024-07-01') AS yuhang_vacant;

-- The handover of D: an assignment, an event of the history with both
-- codes; as of any day the official is the one responsible then.
SELECT assign_official(:'d', 'ZJ0002', 'handed over with the post', '2024-07-01');
SELECT seq, event, field, old_value, new_value, note FROM history(:'d') WHERE event = 'assignment';
SELECT a.day, i.official, i.official_name
  FROM (VALUES (date '2024-06-30'), (date '2024-07-01')) a(day)
  CROSS JOIN LATERAL issues_as_of(a.day) i WHERE i.code = :'d' ORDER BY a.day;
-- The issue row follows its history; nobody updates the official directly.
SELECT pg_temp.try(format($$UPDATE issue SET official = 'ZJ0004' WHERE code = %L$$, :'d')) AS direct_update;
-- Refusals: an unknown official, no change, a day before the last event,
-- a closed issue, no reason.
SELECT pg_temp.try(format($$SELECT assign_official(%L, 'ZJ0404', 'x', '2024-07-02')$$, :'d')) AS unknown;
SELECT pg_temp.try(format($$SELECT assign_official(%L, 'ZJ0002', 'x', '2024-07-02')$$, :'d')) AS same;
SELECT pg_temp.try(format($$SELECT assign_official(%L, 'ZJ0003', 'x', '2024-06-01')$$, :'d')) AS before_last;
SELECT pg_temp.try(format($$SELECT assign_official(%L, 'ZJ0003', 'x', '2024-07-02')$$, :'a')) AS closed;
SELECT pg_temp.try(format($$SELECT assign_official(%L, 'ZJ0003', '', '2024-07-02')$$, :'d')) AS no_reason;
SELECT count(*) AS assignments FROM issue_event WHERE event = 'assignment';
-- In Xihu, Wang Wei is responsible for an issue found in the new post.
SELECT register_issue('audit', '330106', 'general', 'F: Xihu accounts', '2024-08-01', official => 'ZJ0001') AS f \gset

-- Publications hold the people: the posts held in the quarter with the
-- days in post, and each official's counts.
SELECT freeze_quarter('2024Q1'), freeze_quarter('2024Q2'), freeze_quarter('2024Q3');
SELECT q, org, title, official, name, days_in_post FROM publication_post
 WHERE official IN ('ZJ0001', 'ZJ0002', 'ZJ0003') ORDER BY q, org, from_day;
SELECT q, org, official, tally_count(tally, 'issues') AS issues, clarified FROM publication_official
 ORDER BY q, org, official;

-- The officials' pass tallies only the issues in a quarter's scope (open,
-- closed in it, or changed after its day: live_responsible_tallies); its
-- rows are those of tallying every issue as of the day, the definition
-- below, also for an official whose issues all closed before the quarter
-- (Wang Wei in Yiwu from 2024Q3: A and B closed, C clarified, D handed
-- over) and an organization whose unassigned issues did (Yiwu's inherited
-- one), each with the empty tally and the clarifications counted.
CREATE FUNCTION pg_temp.responsible_by_definition(q quarter, t date)
	RETURNS TABLE (org text, official text, tally text, clarified bigint)
	LANGUAGE sql AS $$
	SELECT i.org, i.official,
		   issuelist.tally(q, t, i.list_position, i.severity, i.origin, i.state, i.found_on,
						   i.due_on, i.closed_on, i.reopen_count, i.tolerated)::text,
		   count(c.issue)
	  FROM issuelist.issues_as_of(t) i
	  LEFT JOIN (SELECT DISTINCT e.issue FROM issuelist.issue_event e
				  WHERE e.event = 'clarified' AND e.on_date <= t) c ON c.issue = i.id
	 GROUP BY i.org, i.official
$$;
SELECT d.q, d.t, count(*) AS pairs,
	   count(*) FILTER (WHERE r.tally::text = e.empty) AS empty,
	   (SELECT count(*) FROM (SELECT * FROM pg_temp.responsible_by_definition(d.q, d.t)
							  EXCEPT SELECT r.org, r.official, r.tally::text, r.clarified
									   FROM live_responsible_tallies(d.q, d.t) r) x) AS missing,
	   (SELECT count(*) FROM (SELECT r.org, r.official, r.tally::text, r.clarified
								FROM live_responsible_tallies(d.q, d.t) r
							  EXCEPT SELECT * FROM pg_temp.responsible_by_definition(d.q, d.t)) x) AS extra
  FROM (VALUES ('2023Q4'::quarter, date '2023-12-31'), ('2024Q1', '2024-03-31'),
			   ('2024Q2', '2024-05-15'), ('2024Q3', '2024-09-30'), ('2024Q4', '2024-12-31')) d(q, t)
  CROSS JOIN LATERAL live_responsible_tallies(d.q, d.t) r
  CROSS JOIN LATERAL (SELECT empty_tally(d.q, d.t)::text AS empty) e
 GROUP BY d.q, d.t ORDER BY d.q;
SELECT org, official, tally_count(tally, 'issues') AS issues, clarified
  FROM live_responsible_tallies('2024Q3', '2024-09-30') WHERE org = '330782' ORDER BY official;

-- The record of the one who moved, across both posts: Yiwu in 2024Q1 and
-- Q2, Xihu from Q3 (Q4 is not published: live).
SELECT q, org, title, days_in_post, round(score::numeric, 3) AS score, rank, peers, found,
       closed_on_time, closed_late, open, overdue, tolerated, clarified, published, revision
  FROM official_record('ZJ0001', '2024Q1', '2024Q4');
SELECT q, org, title, days_in_post, found, open, published FROM official_record('Li Ming', '2024Q3');
-- The organization's rank in the record is its published rank.
SELECT r.q, r.rank = k.rank AND r.score = k.score AS as_published
  FROM official_record('ZJ0001', '2024Q1', '2024Q3') r
  CROSS JOIN LATERAL (SELECT * FROM ranking(r.q) x WHERE x.org = r.org) k;
SELECT pg_temp.try($$SELECT * FROM official_record('Wang Wei', '2024Q1')$$) AS ambiguous;
SELECT pg_temp.try($$SELECT * FROM official_record('ZJ0001', '2024Q3', '2024Q1')$$) AS backwards;
-- The clarification does not change what 2024Q1 published; it shows from
-- its quarter on (C was withdrawn in 2024Q2).
SELECT q, clarified FROM official_record('ZJ0001', '2024Q1', '2024Q2');

-- The term report of the one who left Yiwu: the organization's totals
-- (the chief bears them), the issues Wang Wei was responsible for, and
-- the handover list (D, still Wang Wei's on the term's last day).
SELECT * FROM term_report('ZJ0001', '330782');
SELECT pg_temp.try($$SELECT * FROM term_report('ZJ0003', '330782')$$) AS never_held;

-- The official ranking: the county secretaries on the quarter's last day,
-- ranked exactly as the published county ranking; vacant posts have no
-- official.
SELECT org, official, name, rank, days_in_post, new_in_post, published, revision
  FROM official_ranking('2024Q3') WHERE official IS NOT NULL ORDER BY org;
SELECT count(*) AS counties, count(official) AS held,
       count(*) FILTER (WHERE o.rank = r.rank AND o.score = r.score) AS same_rank
  FROM official_ranking('2024Q3') o JOIN ranking('2024Q3') r USING (org);

-- Edits after publication change nothing published: a new name, another
-- secretary from inside the quarter.
UPDATE official SET name = 'Wang Wei (renamed)' WHERE code = 'ZJ0001';
SELECT q, org, official, name, days_in_post FROM publication_post WHERE official = 'ZJ0001' ORDER BY q;
SELECT org, official, name FROM official_ranking('2024Q3') WHERE org = '330106';
SELECT leave_post('ZJ0001', '330106', 'secretary', '2024-08-31');
SELECT org, official, name, days_in_post FROM official_ranking('2024Q3') WHERE org = '330106';
SELECT count(*) AS vacant_now FROM official_ranking('2024Q4') WHERE org = '330106' AND official IS NULL;
SELECT pg_temp.try($$SELECT leave_post('ZJ0001', '330106', 'secretary', '2024-09-30')$$) AS ended_already;

-- BI: the official's published quarters read the same as official_record.
SELECT count(*) AS bi_rows,
       count(*) FILTER (WHERE (b.days_in_post, b.found, b.closed_on_time, b.closed_late, b.open,
                               b.overdue, b.tolerated, b.clarified, b.revision)
                              IS NOT DISTINCT FROM
                              (r.days_in_post, r.found, r.closed_on_time, r.closed_late, r.open,
                               r.overdue, r.tolerated, r.clarified, r.revision)) AS same
  FROM issuelist_bi.official_quarters b
  JOIN official_record('ZJ0001', '2024Q1', '2024Q3') r
    ON r.q::text = b.quarter AND r.org = b.org_code AND r.title IS NOT DISTINCT FROM b.title
 WHERE b.official_code = 'ZJ0001';
SELECT org_code, title, official_code, official_name, from_day, to_day, in_post
  FROM issuelist_bi.posts WHERE official_code LIKE 'ZJ%' ORDER BY official_code, from_day;

-- The official as of any day, as issues_as_of reads it for an issue
-- changed since (the old value of the first assignment after the day,
-- else the current one), is official_as_of's (the last assignment by the
-- day, else the first one's old value): an issue handed on three times,
-- the last time to nobody, on every day around the handovers.
SELECT register_issue('audit', '330782', 'general', 'G: passed along', '2024-09-02',
                      official => 'ZJ0002') AS g \gset
SELECT assign_official(:'g', 'ZJ0003', 'first handover', '2024-09-05'),
       assign_official(:'g', 'ZJ0002', 'second handover', '2024-09-05'),
       assign_official(:'g', 'ZJ0003', 'third handover', '2024-09-09'),
       assign_official(:'g', NULL, 'nobody for now', '2024-09-12');
SELECT count(*) AS issue_days,
       count(*) FILTER (WHERE i.official IS DISTINCT FROM official_as_of(x.id, x.official, d.day)) AS unlike_official_as_of,
       count(DISTINCT i.official) FILTER (WHERE i.code = :'g') AS officials_of_g
  FROM (SELECT g::date AS day FROM generate_series(date '2024-09-01', date '2024-09-14', interval '1 day') g) d
  CROSS JOIN LATERAL issues_as_of(d.day) i
  JOIN issue x ON x.id = i.id;
SELECT d.day, i.official
  FROM (SELECT g::date AS day FROM generate_series(date '2024-09-03', date '2024-09-13', interval '1 day') g) d
  LEFT JOIN issues_as_of(d.day) i ON i.code = :'g' ORDER BY 1;
