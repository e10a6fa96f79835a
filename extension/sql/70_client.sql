
-- ---------------------------------------------------------------------------
-- What the client (docs/client.md) needs beyond the closed loop and the
-- scoring: organizations and lists by name, the hierarchy, the header and
-- the oldest overdue issues of a county's report, and the import of a
-- spreadsheet export in one set-based check.  They are plain functions, so
-- SQL users and BI tools get the same answers as the client.
-- (99_search_path.sql fixes the search_path of the PL/pgSQL ones; the
-- staging table is always named with pg_temp.)
-- ---------------------------------------------------------------------------

-- The code of an organization given by code, English name (any case) or
-- Chinese name: what users type.
CREATE FUNCTION org_code(org text) RETURNS text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	given text := btrim(org_code.org);
	found text[];
BEGIN
	IF EXISTS (SELECT FROM org o WHERE o.code = given) THEN
		RETURN given;
	END IF;
	SELECT array_agg(o.code ORDER BY o.code) INTO found
	  FROM org o
	 WHERE lower(o.name) = lower(given) OR o.name_zh = given;
	-- People say 义乌 for 义乌市 and 西湖 for 西湖区: a Chinese name may drop
	-- its administrative suffix, when no name matches in full.
	IF found IS NULL THEN
		SELECT array_agg(o.code ORDER BY o.code) INTO found
		  FROM org o
		 WHERE o.name_zh IN (given || '省', given || '市', given || '县', given || '区');
	END IF;
	IF found IS NULL THEN
		RAISE EXCEPTION 'unknown organization "%"', org_code.org
			USING ERRCODE = 'IL005',
				  HINT = 'Give its code, English name or Chinese name, as the client''s "orgs" lists them.';
	ELSIF cardinality(found) > 1 THEN
		RAISE EXCEPTION 'organization name "%" is ambiguous', org_code.org
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'It names ' || array_to_string(found, ', ') || ': give the code.';
	END IF;
	RETURN found[1];
END $$;
COMMENT ON FUNCTION org_code(text) IS
	'the code of an organization given by code, English name (any case) or Chinese name (with or without its suffix 省, 市, 县 or 区); error IL005 when none matches, 22023 when a name matches several';

-- The code of a list given by code, English name or Chinese name.
CREATE FUNCTION list_code(list text) RETURNS text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	given text := btrim(list_code.list);
	found text;
BEGIN
	SELECT l.code INTO found
	  FROM list l
	 WHERE l.code = lower(given) OR lower(l.name) = lower(given) OR l.name_zh = given
	 ORDER BY l.code <> lower(given), l.position
	 LIMIT 1;
	IF found IS NULL THEN
		RAISE EXCEPTION 'unknown list "%"', list_code.list
			USING ERRCODE = 'IL004',
				  HINT = 'The lists are: ' || (SELECT string_agg(l.code, ', ' ORDER BY l.position) FROM list l) || '.';
	END IF;
	RETURN found;
END $$;
COMMENT ON FUNCTION list_code(text) IS
	'the code of a list given by code, English name or Chinese name; error IL004 when none matches';

-- The hierarchy under an organization (all of it for NULL), top down, with
-- each one's depth below the top.
CREATE FUNCTION org_tree(under text DEFAULT NULL)
	RETURNS TABLE (code text, name text, name_zh text, level text,
				   parent text, depth integer)
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT o.code, o.name, o.name_zh, o.level, o.parent,
		   nlevel(o.path) - nlevel(t.path)
	  FROM org t
	  JOIN org o ON o.path <@ t.path
	 WHERE t.code = org_code(org_tree.under)
		OR (org_tree.under IS NULL AND t.parent IS NULL)
	 ORDER BY o.path;
END;
COMMENT ON FUNCTION org_tree(text) IS
	'an organization (given by code or name) and everything under it, top down, with the depth below it; every root and its subtree when NULL';

-- The head of an organization's quarterly report: score, rank among its
-- peers (the organizations of its level), the change since the previous
-- quarter, veto and top ten, on-time rate, open and overdue counts.
CREATE FUNCTION report_summary(org text, q quarter, model text DEFAULT 'standard')
	RETURNS TABLE (org text, name text, name_zh text, level text,
				   quarter quarter, score float8, previous_score float8,
				   score_change float8, rank bigint, peers bigint,
				   rank_change bigint, top_ten boolean, veto boolean,
				   deductions float8, on_time_rate float8,
				   on_time_lower float8, open bigint, overdue bigint,
				   frozen boolean)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT o.code, o.name, o.name_zh, o.level, report_summary.q,
		   r.score, p.score, r.score - p.score, r.rank, r.peers, r.rank_change,
		   r.top_ten, r.veto, r.deductions, r.on_time_rate, r.on_time_lower,
		   r.open, r.overdue, frozen_revision(report_summary.q) IS NOT NULL
	  FROM org o
	 CROSS JOIN LATERAL (
		   SELECT k.*, count(*) OVER () AS peers
			 FROM ranking(report_summary.q, report_summary.model, o.level) k) r
	 CROSS JOIN LATERAL (
		   SELECT score(o.code, report_summary.q - 1, report_summary.model) AS score) p
	 WHERE o.code = org_code(report_summary.org)
	   AND r.org = o.code;
END;
COMMENT ON FUNCTION report_summary(text, quarter, text) IS
	'the head of an organization''s report for a quarter (organization by code or name): score, previous quarter''s score and the change, rank among the organizations of its level, rank change, top ten, veto, deductions, on-time rate and its Wilson lower bound, open and overdue issues, whether the quarter is frozen';

-- The oldest overdue issues of an organization's subtree at the end of a
-- quarter (today for the current quarter): what the county must explain.
CREATE FUNCTION report_overdue(org text, q quarter, n integer DEFAULT 10)
	RETURNS TABLE (code text, list text, org text, severity severity,
				   title text, official text, due_on date,
				   days_overdue integer, tolerated boolean)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT i.code, i.list, i.org, i.severity, i.title, i.official, i.due_on,
		   i.overdue_days, i.tolerated
	  FROM issues_as_of(quarter_as_of(report_overdue.q)) i
	 WHERE i.overdue
	   AND i.org IN (SELECT subtree(org_code(report_overdue.org)))
	 ORDER BY i.due_on, i.code
	 LIMIT report_overdue.n;
END;
COMMENT ON FUNCTION report_overdue(text, quarter, integer) IS
	'the n oldest overdue issues of an organization''s subtree (organization by code or name) as of the quarter''s last day (today for the current quarter)';

-- ---------------------------------------------------------------------------
-- Import of a spreadsheet export (docs/client.md, "import").  The client
-- creates the staging table with import_stage(), fills it with COPY (one row
-- per record, with the line it starts on), asks import_check() for the bad
-- rows and, when there are none, import_apply() registers them: all rows or
-- none, in the caller's transaction.
-- ---------------------------------------------------------------------------

-- A staged row, as import_register() takes it: the file's line and the
-- text of each import column.
CREATE TYPE import_row AS (
	line integer,
	list text,
	org text,
	severity text,
	title text,
	found_on text,
	due_on text,
	origin text,
	official text,
	source text,
	detail text
);
COMMENT ON TYPE import_row IS
	'a row of an import file, as import_register() takes it: the line it starts on and the text of each column (as in pg_temp.issuelist_import)';

CREATE FUNCTION import_stage() RETURNS void
	LANGUAGE plpgsql AS $$
BEGIN
	IF pg_catalog.to_regclass('pg_temp.issuelist_import') IS NOT NULL THEN
		DROP TABLE pg_temp.issuelist_import;
	END IF;
	-- The import's columns are import_row's, so they are written once.
	CREATE TEMPORARY TABLE issuelist_import (LIKE import_row, problem text)
		ON COMMIT DROP;
	ALTER TABLE pg_temp.issuelist_import ALTER COLUMN line SET NOT NULL;
END $$;
COMMENT ON FUNCTION import_stage() IS
	'create (afresh) the temporary table pg_temp.issuelist_import that import_check() and import_apply() read: the file''s line, one text column per import column, and problem (what the client found wrong with the record''s shape); dropped at commit';

-- Why a value does not read as a severity or a date, or NULL when it does.
-- (Not parallel safe: the exception block is a subtransaction.)
CREATE FUNCTION import_value_error(kind text, value text) RETURNS text
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	CASE kind
		WHEN 'severity' THEN PERFORM value::severity;
		WHEN 'date' THEN PERFORM value::date;
	END CASE;
	RETURN NULL;
EXCEPTION WHEN data_exception THEN
	RETURN SQLERRM;
END $$;
COMMENT ON FUNCTION import_value_error(text, text) IS
	'NULL when the text reads as a value of the kind (severity or date), else the error message';

-- Every bad row of the staging table, one row per line and column, in one
-- pass per check.  Values are read as register_issue will read them: blank
-- means absent; severities and dates are checked once per distinct value.
-- import_check() and import_apply() read the session's staging table:
-- without one there is nothing to check, which is the caller's mistake, not
-- a missing relation.
CREATE FUNCTION import_require_staged() RETURNS void
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF pg_catalog.to_regclass('pg_temp.issuelist_import') IS NULL THEN
		RAISE EXCEPTION 'no import is staged in this session'
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Call import_stage() and fill pg_temp.issuelist_import first, in the same transaction (the client''s import command does both).';
	END IF;
END $$;
COMMENT ON FUNCTION import_require_staged() IS
	'error 55000 unless import_stage() has made the staging table pg_temp.issuelist_import in this transaction';

CREATE FUNCTION import_check(default_day date DEFAULT current_date)
	RETURNS TABLE (line integer, "column" text, reason text)
	LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM import_require_staged();
	RETURN QUERY
	WITH r AS (
		SELECT s.line, nullif(btrim(s.list), '') AS list,
			   nullif(btrim(s.org), '') AS org,
			   nullif(btrim(s.severity), '') AS severity,
			   nullif(btrim(s.title), '') AS title,
			   nullif(btrim(s.found_on), '') AS found_on,
			   nullif(btrim(s.due_on), '') AS due_on,
			   nullif(btrim(s.origin), '') AS origin
		  FROM pg_temp.issuelist_import s
		 WHERE s.problem IS NULL
	), orgs AS (
		-- as org_code(): a code, else exactly one name
		SELECT d.org AS given,
			   CASE WHEN EXISTS (SELECT FROM org o WHERE o.code = d.org) THEN 1
			   ELSE (SELECT count(*) FROM org o
					  WHERE lower(o.name) = lower(d.org) OR o.name_zh = d.org) END AS matches
		  FROM (SELECT DISTINCT r.org FROM r WHERE r.org IS NOT NULL) d
	), lists AS (
		SELECT r.list AS given,
			   EXISTS (SELECT FROM list l WHERE l.code = lower(r.list)
					   OR lower(l.name) = lower(r.list) OR l.name_zh = r.list) AS known
		  FROM (SELECT DISTINCT r.list FROM r WHERE r.list IS NOT NULL) r
	), severities AS (
		SELECT d.v AS given, import_value_error('severity', d.v) AS error
		  FROM (SELECT DISTINCT r.severity FROM r WHERE r.severity IS NOT NULL) d(v)
	), dates AS (
		SELECT d.v AS given, import_value_error('date', d.v) AS error
		  FROM (SELECT r.found_on FROM r UNION SELECT r.due_on FROM r) d(v)
		 WHERE d.v IS NOT NULL
	), bad AS (
		-- (casts are guarded by CASE: a WHERE clause has no evaluation order)
		SELECT s.line, NULL AS col, s.problem AS why
		  FROM pg_temp.issuelist_import s WHERE s.problem IS NOT NULL
		UNION ALL
		SELECT r.line, 'list', CASE WHEN r.list IS NULL THEN 'a list is required'
			   ELSE format('unknown list "%s"', r.list) END AS why
		  FROM r LEFT JOIN lists l ON l.given = r.list
		 WHERE r.list IS NULL OR NOT l.known
		UNION ALL
		SELECT r.line, 'org', CASE WHEN r.org IS NULL THEN 'an organization is required'
			   WHEN o.matches = 0 THEN format('unknown organization "%s"', r.org)
			   ELSE format('organization name "%s" is ambiguous: give the code', r.org) END
		  FROM r LEFT JOIN orgs o ON o.given = r.org
		 WHERE r.org IS NULL OR o.matches <> 1
		UNION ALL
		SELECT r.line, 'severity', coalesce(s.error, 'a severity is required')
		  FROM r LEFT JOIN severities s ON s.given = r.severity
		 WHERE r.severity IS NULL OR s.error IS NOT NULL
		UNION ALL
		SELECT r.line, 'title', 'a title is required'
		  FROM r WHERE r.title IS NULL
		UNION ALL
		SELECT r.line, 'found_on', d.error
		  FROM r JOIN dates d ON d.given = r.found_on
		 WHERE d.error IS NOT NULL
		UNION ALL
		SELECT r.line, 'due_on', d.error
		  FROM r JOIN dates d ON d.given = r.due_on
		 WHERE d.error IS NOT NULL
		UNION ALL
		SELECT r.line, 'found_on', format('found day %s is in the future', r.found_on)
		  FROM r JOIN dates d ON d.given = r.found_on
		 WHERE CASE WHEN d.error IS NULL THEN r.found_on::date > current_date END
		UNION ALL
		SELECT r.line, 'due_on', format('due day %s is before the found day %s', r.due_on,
										coalesce(r.found_on, default_day::text))
		  FROM r
		  JOIN dates d ON d.given = r.due_on
		  LEFT JOIN dates f ON f.given = r.found_on
		 WHERE CASE WHEN d.error IS NULL AND f.error IS NULL
					THEN r.due_on::date < coalesce(r.found_on::date, default_day) END
		UNION ALL
		SELECT r.line, 'origin', format('unknown origin "%s" (self, external or concealed)', r.origin)
		  FROM r WHERE r.origin NOT IN ('self', 'external', 'concealed')
	)
	SELECT b.line, b.col, b.why FROM bad b ORDER BY b.line, b.col NULLS FIRST;
END $$;
COMMENT ON FUNCTION import_check(date) IS
	'the bad rows of pg_temp.issuelist_import (see import_stage): line, column (NULL for a problem of the record itself) and reason, in line order; default_day stands for a missing found day';

-- Register rows of an import file, in the order given: each row is read
-- (names, spellings, blanks) and checked exactly as register_issue() would
-- be called with it, then the code numbers of each list and year are
-- reserved with one counter update, then the issues are inserted.  An
-- error names its line.  (Registering row by row would update the counter
-- row once per issue, and each update in one transaction walks all the
-- row's earlier versions: quadratic.)  It runs with the owner's rights, as
-- register_issue() does, and checks the caller's as register_issue() does;
-- so it takes its rows as values and never reads, with those rights, a
-- table the caller made (such as the staging table).
CREATE FUNCTION import_register(rows import_row[], default_day date DEFAULT current_date)
	RETURNS TABLE (issues bigint, first_code text, last_code text)
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	x import_row;
	r registration;
	regs registration[] := '{}';
	lines integer[] := '{}';
	lists text[] := '{}';
	years integer[] := '{}';
	numbers bigint[];
	g record;
	base bigint;
	acting_as name;
	n integer := 0;
	at_line integer;
	code text;
	first text;
	message text;
	state text;
BEGIN
	BEGIN
		-- Every row read and checked, in order, before any is registered.
		FOREACH x IN ARRAY import_register.rows LOOP
			at_line := x.line;
			-- the privilege calling register_issue() needs (checked before
			-- its arguments are read)
			IF n = 0 AND NOT has_function_privilege(login,
				'register_issue(text, text, severity, text, date, date, text, text, text, text)'::regprocedure,
				'EXECUTE') THEN
				RAISE EXCEPTION 'permission denied for function register_issue'
					USING ERRCODE = 'insufficient_privilege';
			END IF;
			r := ROW(list_code(x.list), org_code(x.org), btrim(x.severity)::severity,
					 btrim(x.title),
					 coalesce(nullif(btrim(x.found_on), '')::date, default_day),
					 nullif(btrim(x.due_on), '')::date,
					 coalesce(nullif(btrim(x.origin), ''), 'external'),
					 nullif(btrim(x.official), ''), nullif(btrim(x.source), ''),
					 nullif(x.detail, ''));
			acting_as := register_check(r, login);
			n := n + 1;
			regs[n] := r;
			lines[n] := at_line;
			lists[n] := r.list;
			years[n] := code_year(r.found_on);
		END LOOP;

		-- One reservation per list and year, in that order (two imports
		-- lock the counters in the same order); the group's k-th row, in
		-- the order given, takes its k-th number.
		numbers := array_fill(NULL::bigint, ARRAY[n]);
		FOR g IN SELECT u.list, u.year, array_agg(u.i ORDER BY u.i) AS members
				   FROM unnest(lists, years) WITH ORDINALITY AS u(list, year, i)
				  GROUP BY 1, 2 ORDER BY 1, 2 LOOP
			at_line := lines[g.members[1]];
			base := reserve_issue_numbers(g.list, g.year, cardinality(g.members));
			FOR k IN 1 .. cardinality(g.members) LOOP
				numbers[g.members[k]] := base + k - 1;
			END LOOP;
		END LOOP;

		FOR i IN 1 .. n LOOP
			at_line := lines[i];
			code := register_numbered(regs[i], numbers[i], login, acting_as);
			first := coalesce(first, code);
		END LOOP;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
		RAISE EXCEPTION 'line %: %', at_line, message USING ERRCODE = state;
	END;
	RETURN QUERY SELECT n::bigint, first, code;
END $$;
COMMENT ON FUNCTION import_register(import_row[], date) IS
	'register rows of an import file in the order given, each as register_issue() would (its privileges and checks), with one issue_counter update per list and year; returns how many and the first and last codes; an error names the line; default_day stands for a missing found day';

-- Register every staged row, in line order, through import_register() in
-- chunks (the server holds one chunk at a time); an error names its line.
CREATE FUNCTION import_apply(default_day date DEFAULT current_date)
	RETURNS TABLE (issues bigint, first_code text, last_code text)
	LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	chunk_rows constant integer := 10000;
	total bigint;
	seen bigint := 0;
	s record;
	chunk import_row[] := '{}';
	k integer := 0;
	done record;
	n bigint := 0;
	first text;
	last text;
BEGIN
	PERFORM import_require_staged();
	SELECT count(*) INTO total FROM pg_temp.issuelist_import;
	FOR s IN SELECT ROW(i.line, i.list, i.org, i.severity, i.title, i.found_on,
						i.due_on, i.origin, i.official, i.source, i.detail)::import_row AS x
			   FROM pg_temp.issuelist_import i ORDER BY i.line LOOP
		seen := seen + 1;
		k := k + 1;
		chunk[k] := s.x;
		IF k = chunk_rows OR seen = total THEN
			-- import_register() names the line of a refused row
			SELECT * INTO done FROM import_register(chunk, default_day);
			n := n + done.issues;
			first := coalesce(first, done.first_code);
			last := done.last_code;
			chunk := '{}';
			k := 0;
		END IF;
	END LOOP;
	RETURN QUERY SELECT n, first, last;
END $$;
COMMENT ON FUNCTION import_apply(date) IS
	'register every row of pg_temp.issuelist_import in line order, each as register_issue() would, with import_register(); returns how many and the first and last codes; an error names the line; default_day stands for a missing found day';
