-- The rules of trust on the closed loop (docs/trust.md), with logins of
-- each role working through SET ROLE: late entries and late_entries(), the
-- choices of a registration, corrections (correct_issue) and who may act on
-- an issue.  Every refusal shows its SQLSTATE and message, and refused
-- calls write nothing.  Days are relative to today (T-7 is a week ago) and
-- issues are shown by label (<A>), so the output does not depend on the day
-- the test runs.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS issuelist CASCADE;
CREATE EXTENSION issuelist CASCADE;
RESET client_min_messages;
SET search_path = issuelist, public;
SET datestyle = ISO;
-- Closing is checked for evidence in 35_daily_work; here verifiers close
-- without attaching any.
UPDATE setting SET value = '' WHERE name = 'evidence_required';

-- The issues' labels, and helpers that show codes by label and days
-- relative to today.
CREATE TEMP TABLE label (code text PRIMARY KEY, name text NOT NULL UNIQUE);
GRANT ALL ON label TO PUBLIC;
CREATE FUNCTION pg_temp.code(n text) RETURNS text LANGUAGE sql STABLE
	AS $$SELECT l.code FROM pg_temp.label l WHERE l.name = n$$;
CREATE FUNCTION pg_temp.rel(d date) RETURNS text LANGUAGE sql STABLE
	AS $$SELECT CASE WHEN d = current_date THEN 'T'
					 WHEN d < current_date THEN 'T-' || (current_date - d)
					 ELSE 'T+' || (d - current_date) END$$;
-- Text with codes by label and days relative to today.
CREATE FUNCTION pg_temp.mask(t text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
	l record;
	d text;
BEGIN
	FOR l IN SELECT * FROM pg_temp.label LOOP
		t := replace(t, l.code, '<' || l.name || '>');
	END LOOP;
	FOR d IN SELECT DISTINCT m[1] FROM regexp_matches(t, '(\d{4}-\d{2}-\d{2})', 'g') m LOOP
		t := replace(t, d, pg_temp.rel(d::date));
	END LOOP;
	RETURN t;
END $$;
-- What is written: issues, events, tolerances, code numbers handed out,
-- and the identity sequences of those tables, which a rollback does not
-- take back (read as the superuser, whoever calls).
CREATE FUNCTION pg_temp.written() RETURNS text LANGUAGE sql SECURITY DEFINER AS $$
	SELECT format('%s issues, %s events, %s tolerances, %s numbers; ids %s, %s, %s',
				  (SELECT count(*) FROM issuelist.issue), (SELECT count(*) FROM issuelist.issue_event),
				  (SELECT count(*) FROM issuelist.tolerance),
				  (SELECT coalesce(sum(c.last_number), 0) FROM issuelist.issue_counter c),
				  (SELECT last_value FROM issuelist.issue_id_seq),
				  (SELECT last_value FROM issuelist.issue_event_id_seq),
				  (SELECT last_value FROM issuelist.tolerance_id_seq))
$$;
-- A statement with <label> for codes, run: its first value ('ok' for none),
-- or the SQLSTATE and message it failed with (and the hint, with_hint).  A
-- refused call that took an id on its way says so: nothing else it wrote
-- outlives the refusal.
CREATE FUNCTION pg_temp.t(stmt text, with_hint boolean DEFAULT false) RETURNS text
	LANGUAGE plpgsql AS $$
DECLARE
	l record;
	r text;
	h text;
	before text := pg_temp.written();
BEGIN
	FOR l IN SELECT * FROM pg_temp.label LOOP
		stmt := replace(stmt, '<' || l.name || '>', l.code);
	END LOOP;
	EXECUTE stmt INTO r;
	RETURN pg_temp.mask(coalesce(nullif(r, ''), 'ok'));
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
	RETURN pg_temp.mask(SQLSTATE || ': ' || SQLERRM
						|| CASE WHEN with_hint THEN ' (hint: ' || h || ')' ELSE '' END
						|| CASE WHEN pg_temp.written() <> before THEN ' [AND WROTE]' ELSE '' END);
END $$;
-- Register an issue under a label: '<label>', or the refusal.
CREATE FUNCTION pg_temp.reg(n text, stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	c text := pg_temp.t(stmt);
BEGIN
	IF c ~ '^[A-Z0-9]+-\d{4}-\d{6}$' THEN
		INSERT INTO pg_temp.label VALUES (c, n);
		RETURN '<' || n || '>';
	END IF;
	RETURN c;
END $$;
-- An issue's history as the output shows it.
CREATE FUNCTION pg_temp.hist(n text)
	RETURNS TABLE (seq integer, day text, actor name, role name, event text, to_state issue_state,
				   due text, note text, late boolean, late_reason text, field text,
				   old_value text, new_value text)
	LANGUAGE sql AS $$
	SELECT h.seq, pg_temp.rel(h.day), h.actor, h.role, h.event, h.to_state, pg_temp.rel(h.due_on),
		   pg_temp.mask(h.note), h.late, h.late_reason, h.field, pg_temp.mask(h.old_value),
		   pg_temp.mask(h.new_value)
	  FROM issuelist.history(pg_temp.code(n)) h ORDER BY h.seq
$$;

SELECT add_org('330000', 'Zhejiang', NULL, 'province');
SELECT add_org('330100', 'Hangzhou', '330000', 'city');
SELECT add_org('330106', 'Xihu', '330100', 'county');
SELECT add_org('330106001', 'Lingyin', '330106', 'township');
SELECT add_org('330110', 'Yuhang', '330100', 'county');
SELECT add_org('330200', 'Ningbo', '330000', 'city');
SELECT add_org('330203', 'Haishu', '330200', 'county');

-- Logins of each level: the county Xihu's editor and verifier, a township
-- of Xihu's, the city Hangzhou's (two verifiers, and an office that is
-- editor and verifier), an admin, an auditor.
CREATE ROLE regress_tw_ed_xihu LOGIN IN ROLE issuelist_editor;
CREATE ROLE regress_tw_ed_town LOGIN IN ROLE issuelist_editor;
CREATE ROLE regress_tw_ed_hz LOGIN IN ROLE issuelist_editor;
CREATE ROLE regress_tw_ver_xihu LOGIN IN ROLE issuelist_verifier;
CREATE ROLE regress_tw_ver_town LOGIN IN ROLE issuelist_verifier;
CREATE ROLE regress_tw_ver_hz LOGIN IN ROLE issuelist_verifier;
CREATE ROLE regress_tw_ver_hz2 LOGIN IN ROLE issuelist_verifier;
CREATE ROLE regress_tw_both LOGIN IN ROLE issuelist_editor, issuelist_verifier;
CREATE ROLE regress_tw_adm LOGIN IN ROLE issuelist_admin;
CREATE ROLE regress_tw_aud LOGIN IN ROLE issuelist_auditor;
SELECT grant_org('regress_tw_ed_xihu', '330106'), grant_org('regress_tw_ed_town', '330106001'),
	   grant_org('regress_tw_ed_hz', '330100'), grant_org('regress_tw_ver_xihu', '330106'),
	   grant_org('regress_tw_ver_town', '330106001'), grant_org('regress_tw_ver_hz', '330100'),
	   grant_org('regress_tw_ver_hz2', '330100'), grant_org('regress_tw_both', '330100');

-- An issue's own organization is its ranked unit: the county for the
-- county's and its townships' issues, the city for the city's own.  The
-- logins granted on it or inside it are of it; the city's are not of a
-- county's.
SELECT o AS org, ranked_unit(o) FROM unnest('{330000,330100,330106,330106001,330110}'::text[]) o;
SELECT m.login, member_of_unit(m.login, '330106') AS of_xihu,
	   member_of_unit(m.login, '330106001') AS of_lingyin,
	   member_of_unit(m.login, '330110') AS of_yuhang, member_of_unit(m.login, '330100') AS of_hangzhou
  FROM org_member m ORDER BY m.login;

-- ===========================================================================
-- Late entries.  A step may be effective at most late_entry_days (7)
-- before the day it is recorded; past that an editor is refused, a
-- verifier needs a late_reason, an admin backfills.  Registration counts
-- with its found day.
-- ===========================================================================
SELECT name, value FROM setting;

SET ROLE regress_tw_ed_xihu;
SELECT pg_temp.reg('A', $$SELECT register_issue('audit', '330106', 'major', 'Idle funds', current_date - 7)$$);
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'x', current_date - 8)$$, true);
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'x', current_date - 8, late_reason => 'from the ledger')$$);
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'x', current_date - 3, late_reason => 'from the ledger')$$, true);
RESET ROLE;

SET ROLE regress_tw_ver_hz;
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'Found in the archive', current_date - 30)$$, true);
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'Found in the archive', current_date - 30, late_reason => '  ')$$);
SELECT pg_temp.reg('B', $$SELECT register_issue('audit', '330106', 'major', 'Found in the archive', current_date - 30,
												late_reason => 'the city''s inspection report came late')$$);
RESET ROLE;

-- The admin backfills, with or without a reason.
SET ROLE regress_tw_adm;
SELECT pg_temp.reg('C', $$SELECT register_issue('safety', '330106', 'serious', 'Old hazard', current_date - 400)$$);
SELECT pg_temp.reg('C2', $$SELECT register_issue('safety', '330110', 'serious', 'Yuhang hazard', current_date - 100,
												 late_reason => 'ledger of Yuhang')$$);
SELECT pg_temp.t($$SELECT advance('<C>', 'assigned', NULL, current_date - 399)$$);
SELECT pg_temp.reg('D', $$SELECT register_issue('audit', '330106', 'major', 'Arrears', current_date - 60)$$);
SELECT pg_temp.t(format($$SELECT advance('<D>', %L, NULL, current_date - %s)$$, s, d))
  FROM (VALUES ('assigned', 59), ('rectifying', 58), ('rectified', 50)) v(s, d);
SELECT pg_temp.reg('E', $$SELECT register_issue('audit', '330106', 'major', 'Procurement', current_date - 90)$$);
SELECT pg_temp.t($$SELECT advance('<E>', 'assigned', NULL, current_date - 89)$$);
RESET ROLE;

-- An editor's late step is refused, with or without a reason; within the
-- grace it is taken.
SET ROLE regress_tw_ed_xihu;
SELECT pg_temp.t($$SELECT advance('<C>', 'rectifying', NULL, current_date - 8)$$, true);
SELECT pg_temp.t($$SELECT advance('<C>', 'rectifying', NULL, current_date - 8, 'late')$$);
SELECT pg_temp.t($$SELECT advance('<C>', 'rectifying', NULL, current_date - 7)$$);
RESET ROLE;

-- A verifier's late step needs a late_reason: closing, extending,
-- tolerating, correcting.
SET ROLE regress_tw_ver_hz;
SELECT pg_temp.t($$SELECT advance('<D>', 'closed', 'verified', current_date - 40)$$, true);
SELECT pg_temp.t($$SELECT advance('<D>', 'closed', 'verified', current_date - 40,
								  late_reason => 'the acceptance minutes were filed late')$$);
SELECT pg_temp.t($$SELECT extend_deadline('<E>', current_date + 30, 'court case', current_date - 30)$$);
SELECT pg_temp.t($$SELECT extend_deadline('<E>', current_date + 30, 'court case', current_date - 30,
										  late_reason => 'the court''s letter came late')$$);
SELECT pg_temp.t($$SELECT tolerate('<E>', 'good faith', NULL, current_date - 20)$$);
SELECT pg_temp.t($$SELECT tolerate('<E>', 'good faith', NULL, current_date - 20,
								   late_reason => 'review board minutes')$$);
SELECT pg_temp.t($$SELECT correct_issue('<E>', 'severity', 'serious', 'overrated', current_date - 15)$$);
SELECT pg_temp.t($$SELECT correct_issue('<E>', 'severity', 'serious', 'overrated', current_date - 15,
										'found in the review')$$);
RESET ROLE;

-- The editor may not follow late; the admin backfills, its reason optional.
SET ROLE regress_tw_ed_xihu;
SELECT pg_temp.t($$SELECT advance('<E>', 'rectifying', NULL, current_date - 10)$$);
RESET ROLE;
SET ROLE regress_tw_adm;
SELECT pg_temp.t($$SELECT advance('<E>', 'rectifying', NULL, current_date - 10)$$);
SELECT pg_temp.t($$SELECT advance('<E>', 'rectified', NULL, current_date - 8, 'from the county''s ledger')$$);
RESET ROLE;
-- A late_reason for a step that is not late is refused.
SET ROLE regress_tw_ver_hz;
SELECT pg_temp.t($$SELECT advance('<E>', 'closed', NULL, current_date, 'just in case')$$, true);
SELECT pg_temp.t($$SELECT advance('<E>', 'closed')$$);
RESET ROLE;

-- Each step is flagged late or not, with its reason.
SELECT * FROM pg_temp.hist('E');
SELECT n AS issue, h.seq, h.event, h.day, h.actor, h.late, h.late_reason
  FROM unnest('{A,B,C,C2,D}'::text[]) n, pg_temp.hist(n) h ORDER BY 1, 2;

-- late_entries: the late events by the day they were recorded, of the
-- issues the caller may see.
SELECT pg_temp.mask(code) AS code, seq, pg_temp.rel(recorded_on) AS recorded, pg_temp.rel(day) AS day,
	   days_late, actor, role, event, to_state, field, late_reason
  FROM late_entries(current_date, current_date);
SET ROLE regress_tw_ed_xihu;
SELECT pg_temp.mask(code) AS code, count(*) FROM late_entries(current_date - 1, current_date) GROUP BY 1 ORDER BY 1;
RESET ROLE;
SELECT count(*) AS recorded_yesterday FROM late_entries(current_date - 1, current_date - 1);
SELECT pg_temp.t($$SELECT count(*) FROM late_entries(NULL, current_date)$$);
SELECT pg_temp.t($$SELECT count(*) FROM late_entries(current_date, current_date - 1)$$, true);

-- The grace is a setting, of the admin's.
SET ROLE regress_tw_adm;
UPDATE setting SET value = '30' WHERE name = 'late_entry_days';
RESET ROLE;
SET ROLE regress_tw_ed_xihu;
SELECT pg_temp.reg('F', $$SELECT register_issue('audit', '330106', 'general', 'Within thirty days', current_date - 20)$$);
SELECT pg_temp.t($$UPDATE setting SET value = '7'$$);
RESET ROLE;
SET ROLE regress_tw_adm;
UPDATE setting SET value = '7' WHERE name = 'late_entry_days';
RESET ROLE;
SELECT late FROM history(pg_temp.code('F'));

-- ===========================================================================
-- Registration.  An editor may set a due day earlier than the policy's,
-- never later; the origin self only in its own organization, concealed
-- never.  Those choices are a verifier's of a higher level (or an admin's);
-- a verifier of the issue's own organization registers as external, due by
-- the policy.  (audit, major: due 60 days after found.)
-- ===========================================================================
SET ROLE regress_tw_ed_xihu;
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'x', due_on => current_date + 61)$$, true);
SELECT pg_temp.reg('early', $$SELECT register_issue('audit', '330106', 'major', 'Early due', due_on => current_date + 30)$$);
SELECT pg_temp.reg('policy', $$SELECT register_issue('audit', '330106', 'major', 'Due by the policy', due_on => current_date + 60)$$);
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'x', origin => 'concealed')$$, true);
SELECT pg_temp.reg('self', $$SELECT register_issue('audit', '330106', 'major', 'Own inspection', origin => 'self')$$);
SELECT pg_temp.reg('self_town', $$SELECT register_issue('audit', '330106001', 'major', 'Own inspection in Lingyin', origin => 'self')$$);
RESET ROLE;
SET ROLE regress_tw_ed_town;
SELECT pg_temp.reg('town_self', $$SELECT register_issue('audit', '330106001', 'general', 'Township inspection', origin => 'self')$$);
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'general', 'x', origin => 'self')$$);
RESET ROLE;
SET ROLE regress_tw_ed_hz;
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'x', origin => 'self')$$, true);
SELECT pg_temp.reg('city_ext', $$SELECT register_issue('audit', '330106', 'major', 'City inspection finding')$$);
RESET ROLE;
SET ROLE regress_tw_ver_xihu;
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'x', origin => 'self')$$, true);
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'x', origin => 'concealed')$$);
SELECT pg_temp.t($$SELECT register_issue('audit', '330106', 'major', 'x', due_on => current_date + 61)$$);
SELECT pg_temp.reg('ver_own', $$SELECT register_issue('audit', '330106', 'major', 'County verifier''s finding')$$);
RESET ROLE;
SET ROLE regress_tw_ver_town;
SELECT pg_temp.t($$SELECT register_issue('audit', '330106001', 'major', 'x', origin => 'concealed')$$);
RESET ROLE;
SET ROLE regress_tw_ver_hz;
SELECT pg_temp.reg('concealed', $$SELECT register_issue('audit', '330106', 'major', 'Hidden arrears', origin => 'concealed')$$);
SELECT pg_temp.reg('ver_self', $$SELECT register_issue('audit', '330106', 'major', 'Xihu''s own finding, as the city says', origin => 'self')$$);
SELECT pg_temp.reg('later', $$SELECT register_issue('audit', '330106', 'major', 'Needs a budget year', due_on => current_date + 365)$$);
RESET ROLE;
-- A login that is editor and verifier registers as a verifier when it makes
-- a verifier's choice, else as an editor.
SET ROLE regress_tw_both;
SELECT pg_temp.reg('both_concealed', $$SELECT register_issue('audit', '330106', 'major', 'Hidden again', origin => 'concealed')$$);
SELECT pg_temp.reg('both_ext', $$SELECT register_issue('audit', '330106', 'major', 'Plain finding')$$);
RESET ROLE;
SET ROLE regress_tw_adm;
SELECT pg_temp.reg('adm_choice', $$SELECT register_issue('audit', '330106', 'major', 'Province''s finding',
													   due_on => current_date + 365, origin => 'concealed')$$);
RESET ROLE;
SELECT l.name AS issue, i.org, i.origin, pg_temp.rel(i.due_on) AS due, e.actor, e.role
  FROM label l JOIN issue i ON i.code = l.code JOIN issue_event e ON e.issue = i.id AND e.seq = 1
 WHERE l.name IN ('early', 'policy', 'self', 'self_town', 'town_self', 'city_ext', 'ver_own',
				  'concealed', 'ver_self', 'later', 'both_concealed', 'both_ext', 'adm_choice')
 ORDER BY i.id;
-- The refused registrations used no number: one number per issue.
SELECT (SELECT sum(last_number) FROM issue_counter) AS numbers, (SELECT count(*) FROM issue) AS issues;

-- ===========================================================================
-- Who may act on an issue.  No login of the issue's own organization takes
-- a verifier's step on it; no login that registered it or recorded its
-- rectified step closes it, refuses its acceptance, withdraws, extends or
-- tolerates it.  Admins may, and are recorded as admins.
-- ===========================================================================
SET ROLE regress_tw_ed_xihu;
SELECT pg_temp.t(format($$SELECT advance('<A>', %L, NULL, current_date - %s)$$, s, d))
  FROM (VALUES ('assigned', 6), ('rectifying', 5), ('rectified', 4)) v(s, d);
SELECT pg_temp.t(format($$SELECT advance('<B>', %L, NULL, current_date - %s)$$, s, d))
  FROM (VALUES ('assigned', 3), ('rectifying', 3), ('rectified', 2)) v(s, d);
SELECT pg_temp.reg('H', $$SELECT register_issue('audit', '330106', 'general', 'To be withdrawn')$$);
-- The editor who did the work does not close it (its role does not).
SELECT pg_temp.t($$SELECT advance('<A>', 'closed')$$);
RESET ROLE;
-- The city office that is editor and verifier works city_ext up to
-- rectified.
SET ROLE regress_tw_both;
SELECT pg_temp.t(format($$SELECT advance('<city_ext>', %L)$$, s))
  FROM unnest('{assigned,rectifying,rectified}'::text[]) s;
RESET ROLE;
SELECT pg_temp.written() AS before_refusals \gset

-- The county's own verifier, and the township's inside it, take no
-- verifier's step on the county's issues.
SET ROLE regress_tw_ver_xihu;
SELECT pg_temp.t($$SELECT advance('<A>', 'closed')$$, true);
SELECT pg_temp.t($$SELECT advance('<A>', 'rectifying', 'refused')$$);
SELECT pg_temp.t($$SELECT advance('<H>', 'withdrawn')$$);
SELECT pg_temp.t($$SELECT extend_deadline('<A>', current_date + 100, 'more time')$$);
SELECT pg_temp.t($$SELECT tolerate('<A>', 'good faith')$$);
SELECT pg_temp.t($$SELECT correct_issue('<A>', 'severity', 'general', 'milder')$$);
RESET ROLE;
SET ROLE regress_tw_ver_town;
SELECT pg_temp.t($$SELECT advance('<self_town>', 'withdrawn')$$);
RESET ROLE;
-- The city's verifier that registered B does not approve anything on it.
SET ROLE regress_tw_ver_hz;
SELECT pg_temp.t($$SELECT advance('<B>', 'closed')$$, true);
SELECT pg_temp.t($$SELECT advance('<B>', 'rectifying', 'refused')$$);
SELECT pg_temp.t($$SELECT extend_deadline('<B>', current_date + 100, 'more time')$$);
SELECT pg_temp.t($$SELECT tolerate('<B>', 'good faith')$$);
RESET ROLE;
-- The city office recorded city_ext's rectified step: it does not close it.
SET ROLE regress_tw_both;
SELECT pg_temp.t($$SELECT advance('<city_ext>', 'closed')$$, true);
RESET ROLE;
SELECT :'before_refusals' AS before, pg_temp.written() AS after;

-- A verifier of a higher level, who neither registered nor rectified it,
-- does; reopening approves nothing, so the registrar may reopen.
SET ROLE regress_tw_ver_hz;
SELECT pg_temp.t($$SELECT advance('<A>', 'closed', 'verified on site')$$);
SELECT pg_temp.t($$SELECT advance('<H>', 'withdrawn', 'duplicate')$$);
SELECT pg_temp.t($$SELECT advance('<city_ext>', 'closed')$$);
RESET ROLE;
SET ROLE regress_tw_ver_xihu;
SELECT pg_temp.t($$SELECT advance('<A>', 'reopened')$$);
RESET ROLE;
SET ROLE regress_tw_ver_hz2;
SELECT pg_temp.t($$SELECT advance('<B>', 'closed', 'verified')$$);
RESET ROLE;
SET ROLE regress_tw_ver_hz;
SELECT pg_temp.t($$SELECT advance('<B>', 'reopened', 'the funds are idle again')$$);
RESET ROLE;

-- The admin is exempt, even granted the county: it registers, works and
-- closes an issue, recorded as the admin.
SELECT grant_org('regress_tw_adm', '330106');
SET ROLE regress_tw_adm;
SELECT pg_temp.reg('S', $$SELECT register_issue('audit', '330106', 'general', 'Province does it all')$$);
SELECT pg_temp.t(format($$SELECT advance('<S>', %L)$$, s))
  FROM unnest('{assigned,rectifying,rectified,closed}'::text[]) s;
RESET ROLE;
SELECT n AS issue, h.event, h.to_state, h.actor, h.role
  FROM unnest('{A,B,H,city_ext,S}'::text[]) WITH ORDINALITY n(n, k), pg_temp.hist(n) h
 WHERE h.seq > 1 ORDER BY k, h.seq;

-- ===========================================================================
-- The verifier who records a tolerance approves it: approved_by is its own
-- login or nothing.  An admin may record another's approval.
-- ===========================================================================
SET ROLE regress_tw_ver_hz;
SELECT pg_temp.t($$SELECT tolerate('<policy>', 'good faith', 'review board')$$, true);
SELECT pg_temp.t($$SELECT tolerate('<policy>', 'good faith')$$);
SELECT pg_temp.t($$SELECT tolerate('<policy>', 'good faith, again', 'regress_tw_ver_hz')$$);
RESET ROLE;
SET ROLE regress_tw_adm;
SELECT pg_temp.t($$SELECT tolerate('<policy>', 'reviewed', 'provincial review board')$$);
SELECT pg_temp.t($$SELECT tolerate('<policy>', 'reviewed again')$$);
RESET ROLE;
SELECT t.reason, t.requester, t.approved_by FROM tolerance t
 WHERE t.issue = (SELECT id FROM issue WHERE code = pg_temp.code('policy')) ORDER BY t.id;

-- ===========================================================================
-- Corrections: one event with the old and the new value, then the issue;
-- a verifier of a higher level or an admin.
-- ===========================================================================
SET ROLE regress_tw_adm;
SELECT pg_temp.reg('K', $$SELECT register_issue('audit', '330106', 'major', 'Idle funds, with an official',
												current_date - 5, official => 'Wang Wei')$$);
SELECT pg_temp.reg('M', $$SELECT register_issue('audit', '330106', 'major', 'Short deadline',
												current_date - 7, current_date - 6)$$);
RESET ROLE;
SET ROLE regress_tw_ed_xihu;
SELECT pg_temp.t($$SELECT advance('<K>', 'assigned', NULL, current_date - 4)$$);
SELECT pg_temp.reg('L', $$SELECT register_issue('audit', '330106', 'general', 'Blocked fire escpe', current_date - 3)$$);
RESET ROLE;

-- Every field, on L, by the city's verifier.
SET ROLE regress_tw_ver_hz;
SELECT pg_temp.t($$SELECT correct_issue('<L>', 'list', 'safety', 'a safety matter', current_date - 2)$$);
SELECT pg_temp.t($$SELECT correct_issue('<L>', 'severity', 'critical', 'the building is a school', current_date - 2)$$);
SELECT pg_temp.t($$SELECT correct_issue('<L>', 'origin', 'concealed', 'the school hid it', current_date - 2)$$);
SELECT pg_temp.t($$SELECT correct_issue('<L>', 'title', 'Blocked fire escape', 'typo', current_date - 1)$$);
SELECT pg_temp.t($$SELECT correct_issue('<L>', 'detail', 'Both escapes of the east wing', 'detail added', current_date - 1)$$);
SELECT pg_temp.t($$SELECT correct_issue('<L>', 'detail', NULL, 'detail was of another issue', current_date - 1)$$);
SELECT pg_temp.t(format($$SELECT correct_issue('<L>', 'found_on', %L, 'found by the fire brigade earlier')$$,
						current_date - 9));
SELECT pg_temp.t($$SELECT correct_issue('<L>', 'org', '330110', 'the school is in Yuhang')$$);
RESET ROLE;
SELECT seq, day, actor, role, event, field, old_value, new_value, note FROM pg_temp.hist('L');
SELECT pg_temp.mask(code) AS code, list, org, title, detail, severity, origin, pg_temp.rel(found_on) AS found_on,
	   state, pg_temp.rel(due_on) AS due_on
  FROM issue WHERE code = pg_temp.code('L');

-- As-of questions read the corrected values; the issue exists from its
-- corrected found day on.
SELECT pg_temp.rel(current_date - n) AS as_of, pg_temp.mask(a.code) AS code, a.list, a.org,
	   a.severity, a.origin, a.title, a.state, pg_temp.rel(a.found_on) AS found_on
  FROM unnest('{10,9,4,0}'::integer[]) n
  LEFT JOIN LATERAL (SELECT * FROM issues_as_of(current_date - n) i
					  WHERE i.code = pg_temp.code('L')) a ON true;
SELECT count(*) AS differences FROM (
	(SELECT * FROM issues EXCEPT ALL SELECT * FROM issues_as_of(current_date))
	UNION ALL
	(SELECT * FROM issues_as_of(current_date) EXCEPT ALL SELECT * FROM issues)) x;

-- Every refusal names the bad value, and writes nothing.
SELECT pg_temp.written() AS before_refusals \gset
SET ROLE regress_tw_ver_hz;
SELECT pg_temp.t(s, true) FROM unnest(ARRAY[
	$$SELECT correct_issue('<K>', 'state', 'closed', 'x')$$,
	$$SELECT correct_issue('<K>', 'official', 'Li Ming', 'x')$$,
	$$SELECT correct_issue('<K>', NULL, 'x', 'x')$$]) s;
SELECT pg_temp.t(s) FROM unnest(ARRAY[
	$$SELECT correct_issue('<K>', 'title', 'x', NULL)$$,
	$$SELECT correct_issue('<K>', 'title', NULL, 'x')$$,
	$$SELECT correct_issue('<K>', 'title', '  ', 'x')$$,
	$$SELECT correct_issue('<K>', 'list', 'audits', 'x')$$,
	$$SELECT correct_issue('<K>', 'severity', 'severe', 'x')$$,
	$$SELECT correct_issue('<K>', 'severity', 'major', 'x')$$,
	$$SELECT correct_issue('<K>', 'origin', 'rumour', 'x')$$,
	$$SELECT correct_issue('<K>', 'org', '339999', 'x')$$,
	$$SELECT correct_issue('<K>', 'org', '330203', 'x')$$,
	$$SELECT correct_issue('<K>', 'found_on', 'last week', 'x')$$,
	$$SELECT correct_issue('<K>', 'found_on', (current_date + 1)::text, 'x')$$,
	$$SELECT correct_issue('<K>', 'found_on', (current_date - 3)::text, 'x')$$,
	$$SELECT correct_issue('<M>', 'found_on', (current_date - 5)::text, 'x')$$,
	$$SELECT correct_issue('<K>', 'severity', 'critical', 'x', current_date - 5)$$,
	$$SELECT correct_issue('<K>', 'severity', 'critical', 'x', current_date + 1)$$,
	$$SELECT correct_issue('AUD-1999-999999', 'severity', 'critical', 'x')$$]) s;
SELECT pg_temp.t($$SELECT correct_issue('<K>', 'org', '330110', 'x')$$, true);
RESET ROLE;
SET ROLE regress_tw_ed_xihu;
SELECT pg_temp.t($$SELECT correct_issue('<K>', 'title', 'x', 'x')$$);
RESET ROLE;
SET ROLE regress_tw_aud;
SELECT pg_temp.t($$SELECT correct_issue('<K>', 'title', 'x', 'x')$$);
RESET ROLE;
SELECT :'before_refusals' AS before, pg_temp.written() AS after;

-- Nobody updates an issue directly, the superuser included; the admin
-- corrects, recorded as the admin.
SELECT pg_temp.t($$UPDATE issue SET title = 'x' WHERE code = '<K>'$$);
SET ROLE regress_tw_adm;
SELECT pg_temp.t($$SELECT correct_issue('<K>', 'title', 'Idle special funds', 'clearer')$$);
RESET ROLE;
SELECT seq, day, actor, role, event, field, old_value, new_value, note FROM pg_temp.hist('K') WHERE seq > 2;

-- The history is intact, and every issue stands as its last event left it.
SELECT * FROM verify_history();

RESET ROLE;
DROP OWNED BY regress_tw_ed_xihu, regress_tw_ed_town, regress_tw_ed_hz, regress_tw_ver_xihu,
	regress_tw_ver_town, regress_tw_ver_hz, regress_tw_ver_hz2, regress_tw_both, regress_tw_adm,
	regress_tw_aud;
DROP ROLE regress_tw_ed_xihu, regress_tw_ed_town, regress_tw_ed_hz, regress_tw_ver_xihu,
	regress_tw_ver_town, regress_tw_ver_hz, regress_tw_ver_hz2, regress_tw_both, regress_tw_adm,
	regress_tw_aud;
