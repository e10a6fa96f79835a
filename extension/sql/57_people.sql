
-- ---------------------------------------------------------------------------
-- Records of people and the quarterly meeting (docs/officials.md).  Every
-- number about a published quarter comes from its publication (the posts,
-- the officials' tallies, the organizations' ranks); a quarter not
-- published is computed live.  An organization's chief (its secretary on a
-- day) bears its results for the days in post; an official's own record is
-- the issues they were responsible for.
--
--   IL023  a meeting of a quarter not published (or, by improvement, whose
--          previous quarter is not published)
--
-- Everything here is new in 1.1 (official_record's 1.0 signature is dropped
-- by extension/upgrade/1.0--1.1/50_freeze.sql), so the upgrade from 1.0
-- runs this fragment as it is.
-- ---------------------------------------------------------------------------

-- An organization's standing in a quarter among the peers of its level:
-- its score, rank and the number of peers, as published (else live).
CREATE FUNCTION org_standing(org text, q quarter, revision integer,
							 OUT score float8, OUT rank bigint, OUT peers bigint,
							 OUT published boolean)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	lvl text := (SELECT o.level FROM quarter_orgs(q, revision) o WHERE o.code = org_standing.org);
BEGIN
	IF lvl IS NULL THEN
		RETURN;
	END IF;
	SELECT x.score, x.rank, x.peers, x.published INTO score, rank, peers, published
	  FROM (SELECT r.org, r.score, r.rank, count(*) OVER () AS peers, r.published
			  FROM ranking(q, 'standard', lvl, revision => revision) r) x
	 WHERE x.org = org_standing.org;
END $$;
COMMENT ON FUNCTION org_standing(text, quarter, integer) IS
	'an organization''s score, rank and number of peers at its level in a quarter under the standard model (as published for a published quarter)';

CREATE FUNCTION official_record(official text, from_q quarter, to_q quarter DEFAULT NULL)
	RETURNS TABLE (q quarter, org text, title text, days_in_post integer,
				   score float8, rank bigint, peers bigint, found bigint,
				   closed_on_time bigint, closed_late bigint, open bigint,
				   overdue bigint, tolerated bigint, clarified bigint,
				   published boolean, revision integer)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	who text := find_official(official_record.official);
	last_q quarter := coalesce(to_q, from_q);
BEGIN
	IF from_q IS NULL THEN
		RAISE EXCEPTION 'official_record needs from_q'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF last_q < from_q THEN
		RAISE EXCEPTION 'official_record: to_q % is before from_q %', to_q, from_q
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN QUERY
	WITH qs AS (
		SELECT s.q, published_revision(s.q) AS rev
		  FROM quarters(from_q, least(last_q, quarter(current_date))) s(q)
	), posts AS (
		SELECT qs.q, qs.rev, p.org, p.title, sum(p.days_in_post)::integer AS days
		  FROM qs CROSS JOIN LATERAL quarter_posts(qs.q, qs.rev) p
		 WHERE p.official = who
		 GROUP BY qs.q, qs.rev, p.org, p.title
	), tallies AS (
		SELECT qs.q, qs.rev, c.org, c.tally, c.clarified
		  FROM qs CROSS JOIN LATERAL quarter_official_tallies(qs.q, qs.rev) c
		 WHERE c.official = who
	), rows AS (
		-- One row per post; the issues count to the post of the organization
		-- that owns them (its first title), the rest to a row without one.
		SELECT coalesce(p.q, t.q) AS q, coalesce(p.rev, t.rev) AS rev,
			   coalesce(p.org, t.org) AS org, p.title, p.days,
			   CASE WHEN p.title IS NULL OR p.title = min(p.title) OVER (PARTITION BY p.q, p.org)
					THEN t.tally END AS tally,
			   CASE WHEN p.title IS NULL OR p.title = min(p.title) OVER (PARTITION BY p.q, p.org)
					THEN t.clarified END AS clarified
		  FROM posts p
		  FULL JOIN tallies t ON t.q = p.q AND t.org = p.org
	)
	SELECT r.q, r.org, r.title, r.days, s.score, s.rank, s.peers,
		   coalesce(tally_count(r.tally, 'new'), 0), coalesce(tally_count(r.tally, 'closed_on_time'), 0),
		   coalesce(tally_count(r.tally, 'closed_late'), 0), coalesce(tally_count(r.tally, 'open'), 0),
		   coalesce(tally_count(r.tally, 'overdue'), 0), coalesce(tally_count(r.tally, 'tolerated'), 0),
		   coalesce(r.clarified, 0), r.rev IS NOT NULL, r.rev
	  FROM rows r
	  LEFT JOIN LATERAL org_standing(r.org, r.q, r.rev) s ON true
	 ORDER BY r.q, r.org, r.title NULLS LAST;
END $$;
COMMENT ON FUNCTION official_record(text, quarter, quarter) IS
	'an official''s (code, or a unique name) record, one row per quarter from from_q to to_q (NULL: from_q alone) and post: organization, title (NULL: responsible without a post there), days in post, the organization''s score, rank and peers, and the issues they were responsible for (found, closed on time and late, open, overdue, tolerated, clarified); published quarters as published';

-- The record of a term, for the audit at departure (离任审计): the
-- organization's totals over the term, which its chief bears, and the
-- official's own issues; then the handover list, every issue of the
-- organization open on the term's last day.
CREATE FUNCTION term_report(official text, org text, title text DEFAULT 'secretary')
	RETURNS TABLE (part text, measure text, issues bigint, code text,
				   issue_title text, responsible text, days_overdue integer,
				   from_day date, to_day date)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	who text;
	p post;
	first_day date;
	last_day date;
BEGIN
	PERFORM require_org(term_report.org);
	who := find_official(term_report.official, term_report.org);
	SELECT * INTO p FROM post x
	 WHERE x.official = who AND x.org = term_report.org
	   AND x.title = coalesce(term_report.title, 'secretary')
	 ORDER BY x.from_day DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'official % held no post % of %', who,
			coalesce(term_report.title, 'secretary'), term_report.org
			USING ERRCODE = 'IL022',
				  HINT = 'The posts are in issuelist.post (appoint).';
	END IF;
	first_day := p.from_day;
	last_day := least(coalesce(p.to_day, current_date), current_date);
	RETURN QUERY
	WITH issues AS (
		SELECT i.id, i.code, i.title, i.found_on, i.due_on,
			   official_as_of(i.id, i.official, last_day) AS official_then,
			   (SELECT b.state FROM issues_as_of(first_day - 1) b WHERE b.id = i.id) AS state_before,
			   e.state AS state_after, e.closed_on AS closed_after, e.due_on AS due_after
		  FROM issue i
		 CROSS JOIN LATERAL issue_snapshot_as_of(i.id, last_day) e
		 WHERE i.org IN (SELECT subtree(term_report.org)) AND i.found_on <= last_day
	), events AS (
		SELECT ev.issue, ev.event, ev.to_state
		  FROM issue_event ev
		 WHERE ev.issue IN (SELECT x.id FROM issues x)
		   AND ev.on_date BETWEEN first_day AND last_day
	), facts AS (
		SELECT x.*,
			   is_open(x.state_before) AS inherited,
			   x.found_on >= first_day AS found,
			   x.state_after = 'closed' AND x.closed_after >= first_day
				   AND x.closed_after <= x.due_after AS closed_on_time,
			   x.state_after = 'closed' AND x.closed_after >= first_day
				   AND x.closed_after > x.due_after AS closed_late,
			   EXISTS (SELECT FROM events v WHERE v.issue = x.id AND v.to_state = 'reopened') AS reopened,
			   EXISTS (SELECT FROM events v WHERE v.issue = x.id AND v.event = 'tolerance') AS tolerated,
			   EXISTS (SELECT FROM events v WHERE v.issue = x.id AND v.event = 'clarified') AS clarified,
			   is_open(x.state_after) AS open_at_end
		  FROM issues x
	), parts AS (
		SELECT 'organization' AS part, f.* FROM facts f
		UNION ALL
		SELECT 'official', f.* FROM facts f WHERE f.official_then = who
	)
	SELECT m.part, m.measure, m.n, NULL::text, NULL::text, NULL::text, NULL::integer,
		   first_day, last_day
	  FROM (SELECT x.part, k.measure, k.ord,
				   count(*) FILTER (WHERE k.hit) AS n
			  FROM parts x
			 CROSS JOIN LATERAL (VALUES (1, 'inherited', x.inherited), (2, 'found', x.found),
										(3, 'closed_on_time', x.closed_on_time),
										(4, 'closed_late', x.closed_late), (5, 'reopened', x.reopened),
										(6, 'tolerated', x.tolerated), (7, 'clarified', x.clarified),
										(8, 'open_at_end', x.open_at_end)) k(ord, measure, hit)
			 GROUP BY x.part, k.measure, k.ord) m
	 ORDER BY m.part DESC, m.ord;
	RETURN QUERY
	SELECT 'handover', 'open_at_end', 1::bigint, f.code, f.title, f.official_then,
		   CASE WHEN last_day > f.due_after THEN last_day - f.due_after ELSE 0 END,
		   first_day, last_day
	  FROM (SELECT x.code, x.title, x.official_then, x.due_after, x.state_after
			  FROM (SELECT i.code, i.title, official_as_of(i.id, i.official, last_day) AS official_then,
						   a.due_on AS due_after, a.state AS state_after
					  FROM issues_as_of(last_day) a JOIN issue i ON i.id = a.id
					 WHERE a.org IN (SELECT subtree(term_report.org))) x
			 WHERE is_open(x.state_after)) f
	 ORDER BY f.code;
END $$;
COMMENT ON FUNCTION term_report(text, text, text) IS
	'the record of an official''s (latest) term in a post (default secretary) of an organization, for the audit at departure: the organization''s totals over the term (part organization: inherited open, found, closed on time and late, reopened, tolerated, clarified, open at the end), the same for the issues the official was responsible for (part official), and the handover list (part handover: every issue open on the last day, its responsible official and days overdue)';

CREATE FUNCTION official_ranking(q quarter, title text DEFAULT 'secretary',
								 level text DEFAULT 'county')
	RETURNS TABLE (org text, org_name text, official text, name text, rank bigint,
				   score float8, days_in_post integer, new_in_post boolean,
				   published boolean, revision integer)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	rev integer := published_revision(q);
	t date := tally_day(q);
BEGIN
	RETURN QUERY
	WITH holders AS (
		SELECT DISTINCT ON (p.org) p.org, p.official, p.name, p.days_in_post
		  FROM quarter_posts(official_ranking.q, rev) p
		 WHERE p.title = coalesce(official_ranking.title, 'secretary')
		   AND p.from_day <= t AND (p.to_day IS NULL OR p.to_day >= t)
		 ORDER BY p.org, p.from_day DESC
	)
	SELECT r.org, r.name, h.official, h.name, r.rank, r.score, h.days_in_post,
		   h.days_in_post < 30, r.published, r.revision
	  FROM ranking(official_ranking.q, 'standard', coalesce(official_ranking.level, 'county')) r
	  LEFT JOIN holders h ON h.org = r.org
	 ORDER BY r.rank, r.org;
END $$;
COMMENT ON FUNCTION official_ranking(quarter, text, text) IS
	'the holders of a post (default secretary) of the organizations of a level (default county) on a quarter''s last day, ranked by their organization''s published rank and score, with their days in post in the quarter (new_in_post: fewer than 30); a vacant post is a row with official NULL';

-- ---------------------------------------------------------------------------
-- The quarterly meeting.
-- ---------------------------------------------------------------------------

CREATE TABLE meeting (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	q quarter NOT NULL,
	held_on date NOT NULL,
	topic text[],
	presenters text[] NOT NULL,
	recorded_by name NOT NULL,
	recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE meeting IS 'the quarterly meetings held (hold_meeting): the quarter, the day, the topic and who presented';
COMMENT ON COLUMN meeting.id IS 'internal number';
COMMENT ON COLUMN meeting.q IS 'the quarter the meeting reviewed';
COMMENT ON COLUMN meeting.held_on IS 'the day it was held';
COMMENT ON COLUMN meeting.topic IS 'the lists of its topic (NULL: all lists)';
COMMENT ON COLUMN meeting.presenters IS 'the officials who presented (codes)';
COMMENT ON COLUMN meeting.recorded_by IS 'the login who recorded it';
COMMENT ON COLUMN meeting.recorded_at IS 'when it was recorded';
SELECT pg_catalog.pg_extension_config_dump('meeting', '');
SELECT pg_catalog.pg_extension_config_dump('meeting_id_seq', '');
GRANT SELECT ON meeting TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;

-- The weights of a topic: the quarter's published weights with every list
-- outside the topic weighing nothing, so the score is the published tally
-- restricted to those lists.
CREATE FUNCTION topic_weights(q quarter, topic text[], revision integer DEFAULT NULL)
	RETURNS score_weights
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	w score_weights := quarter_weights(q, 'standard', revision);
	l record;
BEGIN
	IF topic IS NULL THEN
		RETURN w;
	END IF;
	FOR l IN SELECT x.position, x.code FROM quarter_lists(q, revision) x LOOP
		IF NOT l.code = ANY (topic) THEN
			w.w_list[l.position] := 0;
		END IF;
	END LOOP;
	RETURN w;
END $$;
COMMENT ON FUNCTION topic_weights(quarter, text[], integer) IS
	'the standard weights of a quarter (as published) with the lists outside the topic weighing 0: scores on those lists alone';

CREATE FUNCTION meeting_plan(q quarter, topic text[] DEFAULT NULL, presenters integer DEFAULT 10,
							 basis text DEFAULT 'score')
	RETURNS TABLE (org text, org_name text, official text, official_name text,
				   score float8, improvement float8, rank bigint, veto boolean,
				   presenter boolean, supervision boolean, published boolean,
				   revision integer)
	LANGUAGE plpgsql STABLE AS $$
DECLARE
	rev integer := published_revision(q);
	prev integer;
	w score_weights;
	wp score_weights;
	t date;
	list_code text;
BEGIN
	IF q IS NULL THEN
		RAISE EXCEPTION 'the quarter is required' USING ERRCODE = 'invalid_parameter_value';
	ELSIF basis IS NULL OR basis NOT IN ('score', 'improvement') THEN
		RAISE EXCEPTION 'cannot choose presenters by "%"', coalesce(basis, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The basis is score (the best) or improvement (the most improved since the previous quarter).';
	ELSIF presenters IS NULL OR presenters < 0 THEN
		RAISE EXCEPTION 'presenters must be 0 or more, not %', coalesce(presenters::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF rev IS NULL THEN
		RAISE EXCEPTION 'quarter % is not published: a meeting reviews a published quarter', q
			USING ERRCODE = 'IL023',
				  HINT = 'Publish it first: freeze_quarter(q).';
	END IF;
	FOREACH list_code IN ARRAY coalesce(topic, '{}') LOOP
		IF NOT EXISTS (SELECT FROM quarter_lists(q, rev) x WHERE x.code = list_code) THEN
			PERFORM require_list(list_code);
		END IF;
	END LOOP;
	IF basis = 'improvement' THEN
		prev := published_revision(q - 1);
		IF prev IS NULL THEN
			RAISE EXCEPTION 'quarter % is not published: the improvement of % is measured against it', q - 1, q
				USING ERRCODE = 'IL023',
					  HINT = 'Publish the previous quarter first, or choose by score.';
		END IF;
		wp := topic_weights(q - 1, topic, prev);
	END IF;
	w := topic_weights(q, topic, rev);
	t := tally_day(q);
	RETURN QUERY
	WITH now_q AS (
		SELECT lt.org, lt.name, weighted_score(lt.tally, w) AS score,
			   tally_count(lt.tally, 'overdue', severity => 'critical') > 0 AS veto
		  FROM level_tallies(q, 'county', rev) lt
	), before AS (
		SELECT lt.org, weighted_score(lt.tally, wp) AS score
		  FROM level_tallies(q - 1, 'county', prev) lt
		 WHERE basis = 'improvement'
	), merit AS (
		SELECT n.*, n.score - b.score AS improvement,
			   CASE WHEN basis = 'improvement' THEN n.score - b.score ELSE n.score END AS m
		  FROM now_q n LEFT JOIN before b ON b.org = n.org
	), ranked AS (
		SELECT x.*, rank() OVER (ORDER BY x.m DESC NULLS LAST) AS rank,
			   NOT x.veto AND x.m IS NOT NULL
				   AND rank() OVER (PARTITION BY x.veto OR x.m IS NULL ORDER BY x.m DESC) <= presenters
				   AS presenter,
			   rank() OVER (ORDER BY x.m ASC NULLS FIRST) <= 10 AS supervision
		  FROM merit x
	), holders AS (
		SELECT DISTINCT ON (p.org) p.org, p.official, p.name
		  FROM quarter_posts(q, rev) p
		 WHERE p.title = 'secretary' AND p.from_day <= t AND (p.to_day IS NULL OR p.to_day >= t)
		 ORDER BY p.org, p.from_day DESC
	)
	SELECT r.org, r.name, h.official, h.name, r.score, r.improvement, r.rank, r.veto,
		   r.presenter, r.supervision, true, rev
	  FROM ranked r
	  LEFT JOIN holders h ON h.org = r.org
	 WHERE r.presenter OR r.supervision
	 ORDER BY r.supervision, r.rank, r.org;
END $$;
COMMENT ON FUNCTION meeting_plan(quarter, text[], integer, text) IS
	'the quarterly meeting of a published quarter: the presenters (the secretaries, on the quarter''s last day, of the best counties on the topic''s lists, NULL: all lists; never one with a veto; ties at the last place all in) and, flagged supervision, the bottom ten; basis score or improvement (over the previous published quarter); IL023 for a quarter not published';

CREATE FUNCTION hold_meeting(q quarter, held_on date, topic text[], presenters text[])
	RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	c text;
	id bigint;
BEGIN
	PERFORM require_role(acting_login(), '{}', 'record meetings');
	IF q IS NULL OR held_on IS NULL OR presenters IS NULL THEN
		RAISE EXCEPTION 'hold_meeting needs the quarter, the day and the presenters'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF held_on > current_date THEN
		RAISE EXCEPTION 'meeting day % is in the future', held_on USING ERRCODE = 'IL006';
	ELSIF held_on < lower(q) THEN
		RAISE EXCEPTION 'meeting day % is before quarter % began', held_on, q
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOREACH c IN ARRAY presenters LOOP
		IF c IS NULL OR NOT EXISTS (SELECT FROM official f WHERE f.code = c) THEN
			RAISE EXCEPTION 'unknown official code "%"', coalesce(c, 'NULL')
				USING ERRCODE = 'IL020',
					  HINT = 'hold_meeting takes official codes (meeting_plan gives them).';
		END IF;
	END LOOP;
	FOREACH c IN ARRAY coalesce(topic, '{}') LOOP
		PERFORM require_list(c);
	END LOOP;
	INSERT INTO meeting (q, held_on, topic, presenters, recorded_by)
		VALUES (hold_meeting.q, hold_meeting.held_on, hold_meeting.topic,
				hold_meeting.presenters, acting_login())
		RETURNING meeting.id INTO id;
	RETURN id;
END $$;
COMMENT ON FUNCTION hold_meeting(quarter, date, text[], text[]) IS
	'record a meeting held (issuelist_admin): the quarter, the day, the topic''s lists and the presenters'' codes (IL020 for a code not known); returns its id';

CREATE FUNCTION meetings()
	RETURNS TABLE (id bigint, q quarter, held_on date, topic text[], presenters text[],
				   presenter_names text[], recorded_by name, recorded_at timestamptz)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT m.id, m.q, m.held_on, m.topic, m.presenters,
		   ARRAY(SELECT f.name FROM unnest(m.presenters) WITH ORDINALITY p(code, k)
				   JOIN official f ON f.code = p.code ORDER BY p.k),
		   m.recorded_by, m.recorded_at
	  FROM meeting m
	 ORDER BY m.held_on, m.id;
END;
COMMENT ON FUNCTION meetings() IS
	'the meetings held, in order: quarter, day, topic, presenters'' codes and names, who recorded them';

REVOKE ALL ON FUNCTION hold_meeting(quarter, date, text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hold_meeting(quarter, date, text[], text[]) TO issuelist_admin;
