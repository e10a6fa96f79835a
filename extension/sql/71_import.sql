
-- ---------------------------------------------------------------------------
-- The check and the registration of a staged import (70_client.sql, "Import
-- of a spreadsheet export"): every bad row, with the line, the column and
-- the reason; then the rows registered as register_issue() would.  Names
-- are read with 69_client_names.sql's matchers, so a file is refused
-- exactly where a command would refuse the same name.  This fragment is
-- also the 1.0--1.1 upgrade's (a link in extension/upgrade/1.0--1.1/), so
-- the functions are made with CREATE OR REPLACE.
-- ---------------------------------------------------------------------------

-- Every bad row of the staging table, one row per line and column, in one
-- pass per check.  Values are read as register_issue will read them: blank
-- means absent; severities and dates are checked once per distinct value.
CREATE OR REPLACE FUNCTION import_check(default_day date DEFAULT current_date)
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
	), orgs AS MATERIALIZED (
		-- read as org_code() and list_code() read them, once per value
		-- (materialized, so that a join does not read them again)
		SELECT d.org AS given, cardinality(org_matches(d.org)) AS matches
		  FROM (SELECT DISTINCT r.org FROM r WHERE r.org IS NOT NULL) d
	), lists AS MATERIALIZED (
		SELECT d.list AS given, list_match(d.list) IS NOT NULL AS known
		  FROM (SELECT DISTINCT r.list FROM r WHERE r.list IS NOT NULL) d
	), severities AS MATERIALIZED (
		SELECT d.v AS given, import_value_error('severity', d.v) AS error
		  FROM (SELECT DISTINCT r.severity FROM r WHERE r.severity IS NOT NULL) d(v)
	), dates AS MATERIALIZED (
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

-- A row of an import file as register_issue() would be called with it,
-- given the values its checks read (list, organization, severity, days,
-- origin) already read, in a registration: the row's own title, official,
-- round (source), detail and ref added.  Inlined where it is used, so it
-- costs nothing per row.
CREATE OR REPLACE FUNCTION import_registration(x import_row, checked registration)
	RETURNS registration
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT ROW((checked).list, (checked).org, (checked).severity, btrim((x).title),
			   (checked).found_on, (checked).due_on, (checked).origin,
			   nullif(btrim((x).official), ''), nullif(btrim((x).source), ''),
			   nullif((x).detail, ''), nullif(btrim((x).ref), ''))::registration;
END;
COMMENT ON FUNCTION import_registration(import_row, registration) IS
	'a row of an import file as a registration: the list, organization, severity, found and due days and origin of checked (the values register_check reads, already read), and the row''s own title, official, source, detail and ref';

-- Read a row of an import file (names, spellings, blanks) as
-- register_issue() would be called with it, and check it as
-- register_issue() would: the registration and the role it registers as.
CREATE OR REPLACE FUNCTION import_read(x import_row, default_day date, login name,
									   OUT r registration, OUT acting_as name)
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	r := import_registration(x, ROW(list_code(x.list), org_code(x.org),
									btrim(x.severity)::severity, NULL,
									coalesce(nullif(btrim(x.found_on), '')::date, default_day),
									nullif(btrim(x.due_on), '')::date,
									coalesce(nullif(btrim(x.origin), ''), 'external'),
									NULL, NULL, NULL, NULL));
	acting_as := register_check(r, login);
END $$;
COMMENT ON FUNCTION import_read(import_row, date, name) IS
	'a row of an import file read as register_issue() would be called with it (default_day for a missing found day), and the role the login registers it as; the errors of register_issue() otherwise';

-- The issue of a finding registered already: the same list, round
-- (source) and ref; none for a NULL ref.  One probe of the unique index on
-- (list, coalesce(source, ''), ref); the planner inlines it (a BEGIN ATOMIC
-- body: no search_path of its own, which would keep it apart), and its LIMIT
-- keeps a LATERAL call a probe per row, where a join or an EXISTS over many
-- rows was planned as a hash of every issue.  The caller's rights, as
-- import_duplicates(), which anyone may call, reads with row security.
CREATE OR REPLACE FUNCTION registered_finding(list text, source text, ref text)
	RETURNS TABLE (id bigint, code text)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT i.id, i.code FROM issue i
	 WHERE i.list = registered_finding.list
	   AND coalesce(i.source, '') = coalesce(registered_finding.source, '')
	   AND i.ref = registered_finding.ref
	 LIMIT 1;
END;
COMMENT ON FUNCTION registered_finding(text, text, text) IS
	'the issue (id and code) registered already for a finding: the same list, source (round) and ref; none for a NULL ref';

-- Is this registration's finding registered already?  Such a row is
-- skipped, so a round imported again registers nothing twice
-- (import_duplicates() lists them).
CREATE OR REPLACE FUNCTION import_known(r registration) RETURNS boolean
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT EXISTS (SELECT FROM registered_finding((r).list, (r).source, (r).ref));
END;
COMMENT ON FUNCTION import_known(registration) IS
	'true when the registration''s finding is registered already: an issue of the same list and source (round) with the same ref';

-- The code numbers of registrations: one reservation per list and year,
-- in that order (two imports lock the counters in the same order); the
-- group's k-th registration, in the order given, takes its k-th number.
-- (Registering row by row would update the counter row once per issue,
-- and each update in one transaction walks all the row's earlier
-- versions: quadratic.)
CREATE OR REPLACE FUNCTION import_numbers(regs registration[]) RETURNS bigint[]
	LANGUAGE plpgsql AS $$
DECLARE
	numbers bigint[] := array_fill(NULL::bigint, ARRAY[cardinality(regs)]);
	g record;
	base bigint;
BEGIN
	FOR g IN SELECT u.list, code_year(u.found_on) AS year, array_agg(u.k ORDER BY u.k) AS members
			   FROM unnest(regs) WITH ORDINALITY
					AS u(list, org, severity, title, found_on, due_on, origin,
						 official, source, detail, ref, k)
			  GROUP BY 1, 2 ORDER BY 1, 2 LOOP
		base := reserve_issue_numbers(g.list, g.year, cardinality(g.members));
		FOR k IN 1 .. cardinality(g.members) LOOP
			numbers[g.members[k]] := base + k - 1;
		END LOOP;
	END LOOP;
	RETURN numbers;
END $$;
COMMENT ON FUNCTION import_numbers(registration[]) IS
	'reserve the code numbers of registrations, one issue_counter update per list and year in that order; returns each registration''s number, in the order given';

-- Register rows of an import file set-wise: every combination of the
-- values the checks read (list, organization, severity, days, origin, a
-- blank title) is read and checked once with import_read(), and the rows
-- are inserted with one statement per table.  The same checks in the same
-- terms as row by row, but an error does not say which line: the caller
-- runs the rows one by one when this fails.
CREATE OR REPLACE FUNCTION import_register_set(rows import_row[], default_day date, login name)
	RETURNS text[]
	LANGUAGE plpgsql AS $$
DECLARE
	regs registration[];
	roles name[];
BEGIN
	IF NOT has_function_privilege(login, 'register_issue'::regproc, 'EXECUTE') THEN
		RAISE EXCEPTION 'permission denied for function register_issue'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	WITH x AS (
		SELECT u.k,
			   ROW(u.line, u.list, u.org, u.severity, u.title, u.found_on, u.due_on,
				   u.origin, u.official, u.source, u.detail, u.ref)::import_row AS x,
			   ROW(u.list, u.org, u.severity, u.found_on, u.due_on, u.origin,
				   nullif(btrim(u.title), '') IS NULL)::text AS checked_values
		  FROM unnest(rows) WITH ORDINALITY
			   AS u(line, list, org, severity, title, found_on, due_on, origin,
					official, source, detail, ref, k)
	), checked AS MATERIALIZED (
		-- (materialized: each combination is checked once, whatever the
		-- join below)
		SELECT f.checked_values, c.r, c.acting_as
		  FROM (SELECT DISTINCT ON (x.checked_values) x.checked_values, x.x
				  FROM x ORDER BY x.checked_values, x.k) f
		 CROSS JOIN LATERAL import_read(f.x, default_day, login) c
	), read AS (
		SELECT x.k, c.acting_as,
			   import_registration(x.x, c.r) AS r
		  FROM x JOIN checked c ON c.checked_values = x.checked_values
	)
	-- The rows whose finding is registered already are skipped, as
	-- import_known() says, by one probe of registered_finding() a row:
	-- import_known() is a query of its own per row (its EXISTS keeps it
	-- from being inlined), a quarter of a chunk's time.
	SELECT array_agg(read.r ORDER BY read.k), array_agg(read.acting_as ORDER BY read.k)
	  INTO regs, roles
	  FROM read
	  LEFT JOIN LATERAL registered_finding((read.r).list, (read.r).source, (read.r).ref) known
		ON true
	 WHERE known.id IS NULL;
	IF regs IS NULL THEN
		RETURN '{}';
	END IF;
	RETURN register_numbered(regs, import_numbers(regs), login, roles);
END $$;
COMMENT ON FUNCTION import_register_set(import_row[], date, name) IS
	'register rows of an import file as import_register() does, checking each combination of the values the checks read once and inserting set-wise; returns the codes; an error does not name the line (import_register() then registers row by row)';

-- Register rows of an import file, in the order given: each row is read
-- (names, spellings, blanks) and checked exactly as register_issue() would
-- be called with it, then the code numbers of each list and year are
-- reserved, then the issues are inserted.  Set-wise first
-- (import_register_set); when that fails, row by row, so that the error
-- names its line.  It runs with the owner's rights, as register_issue()
-- does, and checks the caller's as register_issue() does; so it takes its
-- rows as values and never reads, with those rights, a table the caller
-- made (such as the staging table).
CREATE OR REPLACE FUNCTION import_register(rows import_row[], default_day date DEFAULT current_date)
	RETURNS TABLE (issues bigint, first_code text, last_code text)
	LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	login name := acting_login();
	x import_row;
	got record;
	regs registration[] := '{}';
	roles name[] := '{}';
	lines integer[] := '{}';
	numbers bigint[];
	codes text[];
	n integer := 0;
	at_line integer;
	message text;
	state text;
BEGIN
	BEGIN
		codes := import_register_set(import_register.rows, default_day, login);
		RETURN QUERY SELECT cardinality(codes)::bigint, codes[1], codes[cardinality(codes)];
		RETURN;
	EXCEPTION WHEN OTHERS THEN
		-- undone; the rows one by one name the line of the error
	END;
	BEGIN
		-- Every row read and checked, in order, before any is registered.
		FOREACH x IN ARRAY import_register.rows LOOP
			at_line := x.line;
			-- the privilege calling register_issue() needs (checked before
			-- its arguments are read; named alone, whatever its arguments)
			IF n = 0 AND NOT has_function_privilege(login, 'register_issue'::regproc,
													'EXECUTE') THEN
				RAISE EXCEPTION 'permission denied for function register_issue'
					USING ERRCODE = 'insufficient_privilege';
			END IF;
			SELECT * INTO got FROM import_read(x, default_day, login);
			CONTINUE WHEN import_known(got.r);
			n := n + 1;
			regs[n] := got.r;
			roles[n] := got.acting_as;
			lines[n] := at_line;
		END LOOP;
		at_line := lines[1];
		numbers := import_numbers(regs);
		codes := '{}';
		FOR i IN 1 .. n LOOP
			at_line := lines[i];
			codes[i] := (register_numbered(ARRAY[regs[i]], ARRAY[numbers[i]], login,
										   ARRAY[roles[i]]))[1];
		END LOOP;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
		RAISE EXCEPTION 'line %: %', at_line, message USING ERRCODE = state;
	END;
	RETURN QUERY SELECT n::bigint, codes[1], codes[n];
END $$;
COMMENT ON FUNCTION import_register(import_row[], date) IS
	'register rows of an import file in the order given, each as register_issue() would (its privileges and checks), with one issue_counter update per list and year; returns how many and the first and last codes; an error names the line; default_day stands for a missing found day';
REVOKE ALL ON FUNCTION import_registration(import_row, registration),
	import_read(import_row, date, name), import_known(registration),
	import_numbers(registration[]), import_register_set(import_row[], date, name)
	FROM PUBLIC;
-- Register every staged row, in line order, through import_register() in
-- chunks (the server holds one chunk at a time); an error names its line.
-- The import is announced once, with its last event (issuelist_events),
-- not once per issue.
CREATE OR REPLACE FUNCTION import_apply(default_day date DEFAULT current_date)
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
	PERFORM set_config('issuelist.announce', 'off', true);
	FOR s IN SELECT ROW(i.line, i.list, i.org, i.severity, i.title, i.found_on,
						i.due_on, i.origin, i.official, i.source, i.detail, i.ref)::import_row AS x
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
	PERFORM set_config('issuelist.announce', '', true);
	PERFORM pg_notify('issuelist_events', e.id::text)
	   FROM issue_event e JOIN issue i ON i.id = e.issue
	  WHERE i.code = last AND e.seq = 1;
	RETURN QUERY SELECT n, first, last;
END $$;
COMMENT ON FUNCTION import_apply(date) IS
	'register every row of pg_temp.issuelist_import in line order, each as register_issue() would, with import_register(); returns how many and the first and last codes; an error names the line; default_day stands for a missing found day; announced once, with its last registration';

-- The staged rows whose finding is registered already: same list, round
-- (source) and ref.  import_apply() skips them; the client reports them.
CREATE OR REPLACE FUNCTION import_duplicates()
	RETURNS TABLE (line integer, ref text, code text)
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	PERFORM import_require_staged();
	-- Each list as written is matched once, not once per row; each row
	-- with a ref is one probe of registered_finding().
	RETURN QUERY
		WITH lists AS MATERIALIZED (
			SELECT d.list AS given, list_match(d.list) AS code
			  FROM (SELECT DISTINCT s.list FROM pg_temp.issuelist_import s) d)
		SELECT s.line, btrim(s.ref), i.code
		  FROM pg_temp.issuelist_import s
		  JOIN lists l ON l.given = s.list
		 CROSS JOIN LATERAL registered_finding(l.code, nullif(btrim(s.source), ''),
											   btrim(s.ref)) i
		 WHERE nullif(btrim(s.ref), '') IS NOT NULL
		 ORDER BY s.line;
END $$;
COMMENT ON FUNCTION import_duplicates() IS
	'the staged rows of an import whose finding is registered already (the same list, source and ref): import_apply() skips them';
