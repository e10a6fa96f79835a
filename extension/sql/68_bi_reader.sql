
-- ---------------------------------------------------------------------------
-- BI: the role issuelist_reader (made with the others in 20_roles.sql) and
-- its logins.  The role may connect, use schema issuelist_bi and read its
-- views; nothing else.  It writes nothing: no write privilege anywhere, and
-- its logins start every transaction read-only.  docs/operations.md.
-- ---------------------------------------------------------------------------

GRANT USAGE ON SCHEMA issuelist_bi TO issuelist_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA issuelist_bi TO issuelist_reader;

-- What the security_invoker views read, checked against the login that
-- reads them (see 60_bi_schema.sql): these and no more (the publication
-- tables, official and post are granted with their views).  Without
-- USAGE on schema issuelist the login cannot name these, so the views are
-- its only way to them; row security of issue, issue_event and tolerance
-- (its subtrees, grant_org) holds through the views.
GRANT SELECT ON issues, issue, issue_event, list, org, quarter_freeze
	TO issuelist_reader;
GRANT EXECUTE ON FUNCTION visible_orgs(name),
	bi_quarter_ranking(quarter, text, text), bi_quarter_lists(quarter, text, text)
	TO issuelist_reader;

-- For a login that is issuelist_reader itself; logins that are members
-- get their own settings from create_bi_login().
ALTER ROLE issuelist_reader SET statement_timeout = '30s';

-- Roles are cluster-wide but CONNECT is granted per database: this one.
DO $$
BEGIN
	EXECUTE pg_catalog.format('GRANT CONNECT ON DATABASE %I TO issuelist_reader',
							  pg_catalog.current_database());
END $$;

-- A login for one BI tool: member of issuelist_reader, with its own
-- statement timeout, connection limit and read-only transactions (role
-- settings apply to the login itself, not through membership, hence one
-- call per login), its subtree (grant_org), and CONNECT on this database.
CREATE FUNCTION create_bi_login(login name, password text DEFAULT NULL,
								org text DEFAULT NULL,
								statement_timeout text DEFAULT '30s',
								connection_limit integer DEFAULT 10)
	RETURNS void
	LANGUAGE plpgsql VOLATILE
	SET search_path = @extschema@, pg_temp AS $$
BEGIN
	IF login IS NULL OR login = '' OR connection_limit IS NULL OR connection_limit < 1
		OR statement_timeout IS NULL THEN
		RAISE EXCEPTION 'a BI login needs a name, a statement timeout and a connection limit of 1 or more (got login %, statement timeout %, connection limit %)',
			coalesce(quote_literal(login), 'NULL'), coalesce(quote_literal(statement_timeout), 'NULL'),
			coalesce(connection_limit::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF org IS NOT NULL THEN
		PERFORM require_org(org);
	END IF;
	EXECUTE format('CREATE ROLE %I LOGIN CONNECTION LIMIT %s PASSWORD %L IN ROLE issuelist_reader',
				   login, connection_limit, password);
	EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', login, statement_timeout);
	EXECUTE format('ALTER ROLE %I SET default_transaction_read_only = on', login);
	EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', login, '5min');
	EXECUTE format('ALTER ROLE %I SET search_path = issuelist_bi', login);
	EXECUTE format('GRANT CONNECT ON DATABASE %I TO issuelist_reader', current_database());
	IF org IS NOT NULL THEN
		PERFORM grant_org(login, org);
	END IF;
END $$;
COMMENT ON FUNCTION create_bi_login(name, text, text, text, integer) IS
	'create a login for a BI tool: member of issuelist_reader, reads the issuelist_bi views of org''s subtree (grant_org; none when NULL), statement timeout (default 30s), connection limit (default 10), read-only transactions; needs CREATEROLE and issuelist_admin';
REVOKE ALL ON FUNCTION create_bi_login(name, text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION create_bi_login(name, text, text, text, integer) TO issuelist_admin;
