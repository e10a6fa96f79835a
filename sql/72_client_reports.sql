-- The client's reports (extension/sql/72_client_reports.sql): every command
-- that prints a report calls one of these, so SQL gets what the client
-- prints.  Each is checked against the objects it stands for (the view
-- issues, issues_as_of, list_summary, ranking, explain_score, trend,
-- official_record), on the sample province with a year of synthetic
-- issues, and under row security as an editor of one county.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET datestyle = ISO;
\getenv abs_srcdir PG_ABS_SRCDIR
\set helpers :abs_srcdir '/sql/helpers.psql'
\i :helpers
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;

SELECT load_sample_province();
SELECT generate_sample_issues('2021Q1', '2021Q4', 400, 7) > 0 AS generated;
-- An issue with some history, found in 2021Q1.
SELECT i.code AS issue FROM issue i JOIN issue_event e ON e.issue = i.id
 WHERE i.found_on < '2021-04-01' GROUP BY i.code HAVING count(*) >= 4
 ORDER BY i.code LIMIT 1 \gset

-- The quarter a report is about: the one given, else the last complete
-- quarter before the day (today when NULL).
SELECT report_quarter('2021Q2', '2021-09-30') AS given,
	   report_quarter(NULL, '2021-09-30') AS before_the_day,
	   report_quarter(NULL, '2021-10-01') AS first_day_of_a_quarter,
	   report_quarter() = quarter(current_date) - 1 AS before_today;

-- issues_on: the view issues today, issues_as_of on a day.
SELECT (SELECT count(*) FROM issues_on()) AS today,
	   (SELECT count(*) FROM (SELECT * FROM issues_on() EXCEPT SELECT * FROM issues) d) AS not_in_view,
	   (SELECT count(*) FROM (SELECT * FROM issues EXCEPT SELECT * FROM issues_on()) d) AS missing;
SELECT (SELECT count(*) FROM issues_on('2021-06-30')) AS on_a_day,
	   (SELECT count(*) FROM (SELECT * FROM issues_on('2021-06-30')
							  EXCEPT SELECT * FROM issues_as_of('2021-06-30')) d) AS differ;

-- lists: list_summary today, and as of a day.
SELECT (SELECT array_agg(s ORDER BY s.position) FROM list_summary_on() s)::text
	 = (SELECT array_agg(s ORDER BY s.position) FROM list_summary s)::text AS same_as_the_view;
SELECT * FROM list_summary_on('2021-06-30');

-- issue: one issue today and as of a day, with its history up to that day.
SELECT code, list, org, org_name, org_name_zh, severity, state, found_on, due_on, light
  FROM report_issue(:'issue', '2021-12-31');
SELECT day, event, from_state, to_state FROM report_history(:'issue', '2021-12-31');
SELECT (SELECT count(*) FROM report_history(:'issue'))
	 = (SELECT count(*) FROM history(:'issue')) AS every_event_today;
SELECT count(*) AS before_it_was_found FROM report_issue(:'issue', '2020-12-31');
SELECT (SELECT ROW(r.*)::text FROM report_issue(:'issue') r)
	 = (SELECT ROW(i.code, i.title, i.list, i.org, o.name, o.name_zh, i.official, i.severity,
				   i.origin, i.state, i.found_on, i.due_on, i.closed_on, i.reopen_count,
				   i.tolerated, i.overdue, i.light, i.source, d.detail)::text
		  FROM issues i JOIN org o ON o.code = i.org JOIN issue d ON d.code = i.code
		 WHERE i.code = :'issue') AS today_as_the_view_shows_it;
SELECT pg_temp.try($$SELECT * FROM report_issue('AUD-1999-000001')$$) AS unknown_issue;

-- find: each filter, against the same filter written over issues_as_of.
SELECT * FROM report_find(under_org => '义乌', as_of => '2021-12-31');
SELECT (SELECT count(*) FROM report_find(of_list => '审计', severity_min => 'serious',
										 in_state => 'open', max_rows => 1000,
										 as_of => '2021-09-30'))
	 = (SELECT count(*) FROM issues_as_of('2021-09-30') i
		 WHERE i.list = 'audit' AND i.severity >= 'serious' AND is_open(i.state)) AS open_audit_serious,
	   (SELECT count(*) FROM report_find(severity_above => 'general', severity_below => 'critical',
										 overdue_only => true, max_rows => 1000,
										 as_of => '2021-09-30'))
	 = (SELECT count(*) FROM issues_as_of('2021-09-30') i
		 WHERE i.severity IN ('serious', 'major') AND i.overdue) AS overdue_middle,
	   (SELECT count(*) FROM report_find(in_state => 'closed', severity_is => 'major',
										 max_rows => 1000))
	 = (SELECT count(*) FROM issues i WHERE i.state = 'closed' AND i.severity = 'major') AS closed_major,
	   (SELECT count(*) FROM report_find(severity_max => 'serious', title_has => 'FUNDS',
										 max_rows => 1000))
	 = (SELECT count(*) FROM issues i WHERE i.severity <= 'serious'
										AND i.title ILIKE '%funds%') AS title_words;
SELECT count(*) AS at_most_100 FROM report_find();
SELECT count(*) AS at_most_3 FROM report_find(max_rows => 3);
-- Names and states are read before any issue: refused even where no issue
-- would be left.
SELECT pg_temp.try($$SELECT * FROM report_find(of_list => 'budget', as_of => '1999-01-01')$$) AS unknown_list,
	   pg_temp.try($$SELECT * FROM report_find(under_org => 'Nowhere', as_of => '1999-01-01')$$) AS unknown_org,
	   pg_temp.try($$SELECT * FROM report_find(in_state => 'opened', as_of => '1999-01-01')$$) AS unknown_state;

-- overdue: a county's subtree and the whole province on a day; the
-- report's oldest overdue issues are the same rows at the quarter's end.
SELECT code, org, org_name_zh, severity, due_on, days_overdue, light
  FROM overdue_issues('金华', '2021-09-30');
SELECT count(*) AS province FROM overdue_issues(NULL, '2021-09-30');
SELECT count(*) AS jinhua,
	   array_agg(r)::text
	 = (SELECT array_agg(ROW(o.code, o.list, o.org, o.severity, o.title, o.official,
							 o.due_on, o.days_overdue, o.tolerated))::text
		  FROM overdue_issues('金华', '2021-09-30', 5) o) AS report_overdue_is_overdue_issues
  FROM report_overdue('Jinhua', '2021Q3', 5) r;

-- report's deductions: explain_score by bucket and severity; the points add
-- up to the deductions of the report's head, the percents to 100.
SELECT bucket, severity, issues, round(points::numeric, 2) AS points,
	   round(percent::numeric, 1) AS percent
  FROM report_deductions('Yiwu', '2021Q3');
SELECT round(sum(d.points)::numeric, 6) = round(s.deductions::numeric, 6) AS adds_up,
	   round(sum(d.percent)::numeric, 6) AS percent
  FROM report_deductions('330782', '2021Q3') d, report_summary('330782', '2021Q3') s
 GROUP BY s.deductions;

-- rank: ranking() with the Chinese names and the mark.
SELECT rank, org, name, name_zh, round(score::numeric, 2) AS score, mark
  FROM report_ranking('2021Q3', n => 5);
SELECT count(*) AS differ
  FROM (SELECT r.rank, r.org, r.name, r.score, r.on_time_lower, r.rank_change,
			   CASE WHEN r.veto THEN 'VETO' WHEN r.top_ten THEN 'top ten' ELSE '' END
		  FROM ranking('2021Q3', level => 'city') r
		EXCEPT
		SELECT k.rank, k.org, k.name, k.score, k.on_time_lower, k.rank_change, k.mark
		  FROM report_ranking('2021Q3', NULL, 'city', NULL) k) d;

-- trend: the default window ends at the last complete quarter before the
-- day and starts no earlier than the first quarter with issues.
SELECT quarter, rank, round(score::numeric, 2) AS score, score_bar(score) AS bar
  FROM report_trend('Yiwu', as_of => '2021-11-15');
SELECT quarter FROM report_trend('330782', '2021Q2', '2021Q3');
SELECT s AS score, score_bar(s) AS bar
  FROM unnest('{-5,0,0.1,12.5,50,96.15,100,150,NULL}'::float8[]) s;

-- official: the record and the issues behind it.
SELECT i.official, i.org
  FROM issues_as_of('2021-09-30') i
 WHERE i.official IS NOT NULL
 GROUP BY i.official, i.org
 ORDER BY count(*) DESC, i.org, i.official LIMIT 1 \gset
SELECT quarter, name, org, issues, open, overdue, round(deductions::numeric, 2) AS deductions
  FROM report_official(:'official', '2021Q3', :'org');
-- (every issue of theirs found by the quarter's end; the record counts
-- those in the quarter's scope)
SELECT code, org, severity, state, found_on, due_on, light
  FROM report_official_issues(:'official', '2021Q3', :'org');
SELECT pg_temp.try($$SELECT * FROM report_official('Nobody', '2021Q3')$$) AS unknown_official;

-- official tells ORG from QUARTER by the quarter type's own parser.
SELECT given, is_quarter(given)
  FROM (VALUES ('2021Q1'), ('2021q1'), ('2021-Q1'), ('2021 Q1'), (' 2021Q1 '), ('21Q1'),
			   ('2021Q5'), ('10000Q1'), ('Yiwu'), ('330782'), ('')) v(given);

-- The states completion offers: every state, once, in the loop's order.
SELECT array_agg(s ORDER BY o) AS states,
	   array_agg(issue_state_rank(s) ORDER BY o) = ARRAY[1, 2, 3, 4, 5, 6, 7, 8] AS in_order
  FROM issue_states() WITH ORDINALITY AS t(s, o);

-- Row security: an editor of Jinhua gets the rows of Jinhua's subtree from
-- every report, exactly those the view issues shows it.
CREATE ROLE regress_il_rep_jinhua IN ROLE issuelist_editor;
SELECT grant_org('regress_il_rep_jinhua', '330700');
SELECT min(code) AS elsewhere FROM issue WHERE org NOT IN (SELECT subtree('330700')) \gset
SELECT count(*) AS jinhua_overdue FROM overdue_issues('330700', '2021-09-30');
SET ROLE regress_il_rep_jinhua;
SELECT (SELECT count(*) FROM issues) AS seen,
	   (SELECT count(*) FROM issues WHERE org NOT IN (SELECT subtree('330700'))) AS outside,
	   (SELECT count(*) FROM issues_on()) AS issues_on,
	   (SELECT sum(total) FROM list_summary_on()) AS listed,
	   (SELECT count(*) FROM report_find(max_rows => 100000)) AS found,
	   (SELECT count(*) FROM overdue_issues(NULL, '2021-09-30')) AS overdue;
SELECT pg_temp.try(format('SELECT * FROM report_issue(%L)', :'elsewhere')) AS outside_issue;
RESET ROLE;
DROP OWNED BY regress_il_rep_jinhua;
DROP ROLE regress_il_rep_jinhua;
