
-- ---------------------------------------------------------------------------
-- Settings (docs/trust.md, "Settings"): one row per setting, kept by
-- pg_dump, each value checked when it is written.  The extension ships a
-- row for every setting it knows; a deployment changes a value with UPDATE
-- (admins), never adds or removes a name.
-- ---------------------------------------------------------------------------

CREATE TABLE setting (
	name text PRIMARY KEY,
	value text NOT NULL,
	description text NOT NULL,
	builtin boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE setting IS
	'the extension''s settings, one row each (change value with UPDATE; every value is checked when written); kept by pg_dump';
COMMENT ON COLUMN setting.name IS 'the setting''s name';
COMMENT ON COLUMN setting.value IS 'its value, as text; checked when written (setting_check)';
COMMENT ON COLUMN setting.description IS 'what it does and what it accepts';
COMMENT ON COLUMN setting.builtin IS
	'shipped with the extension; a row inserted with the same name replaces it (how a restore brings back changed values)';

-- A setting's value checked against what it accepts: an error naming the
-- setting, the value and what is accepted, SQLSTATE 22023.
CREATE FUNCTION setting_check() RETURNS trigger
	LANGUAGE plpgsql AS $$
DECLARE
	accepted text := CASE NEW.name
		WHEN 'late_entry_days' THEN 'a whole number of days from 0 to 3650'
		WHEN 'freeze_after_days' THEN 'a whole number of days from 0 to 3650'
		WHEN 'evidence_max_bytes' THEN 'a whole number of bytes from 1 to 1073741823'
		WHEN 'evidence_required' THEN
			'the severities (general, serious, major, critical) separated by commas, or nothing'
	END;
BEGIN
	IF accepted IS NULL THEN
		RAISE EXCEPTION 'unknown setting "%"', NEW.name
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The settings are the rows of issuelist.setting: '
						 || (SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM setting s) || '.';
	END IF;
	IF (NEW.name IN ('late_entry_days', 'freeze_after_days')
		AND (NEW.value !~ '^[0-9]{1,4}$' OR NEW.value::integer > 3650))
	   OR (NEW.name = 'evidence_max_bytes'
		   AND (NEW.value !~ '^[0-9]{1,10}$' OR NEW.value::bigint NOT BETWEEN 1 AND 1073741823))
	   OR (NEW.name = 'evidence_required'
		   AND NEW.value !~ '^\s*((general|serious|major|critical)\s*(,\s*(general|serious|major|critical)\s*)*)?$') THEN
		RAISE EXCEPTION 'invalid value "%" for setting %', NEW.value, NEW.name
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = format('%s accepts %s.', NEW.name, accepted);
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION setting_check() IS
	'trigger: refuses an unknown setting or a value it does not accept (22023, naming both)';

CREATE TRIGGER setting_replace_builtin BEFORE INSERT ON setting
	FOR EACH ROW EXECUTE FUNCTION replace_builtin_row('name');
COMMENT ON TRIGGER setting_replace_builtin ON setting IS
	'a row with the name of a built-in setting replaces it (restore of changed values)';
CREATE TRIGGER setting_checked BEFORE INSERT OR UPDATE ON setting
	FOR EACH ROW EXECUTE FUNCTION setting_check();
COMMENT ON TRIGGER setting_checked ON setting IS
	'every value is checked when written';

INSERT INTO setting (name, value, description, builtin) VALUES
	('late_entry_days', '7',
	 'days an event''s effective day may trail the day it is recorded; older steps are late: refused for editors, need late_reason from verifiers, allowed to admins (0 to 3650)',
	 true),
	('freeze_after_days', '10',
	 'daily() publishes a quarter on this day after it ends (0 to 3650)', true),
	('evidence_max_bytes', '20971520',
	 'the largest piece of evidence attach() takes, in bytes (1 to 1073741823; default 20 MB)', true),
	('evidence_required', 'major,critical',
	 'the severities whose issues are closed only with evidence attached after rectification began (comma-separated; empty: none)',
	 true);

-- The value of a setting, as text; an error for an unknown name.
CREATE FUNCTION setting_value(name text) RETURNS text
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
DECLARE
	v text;
BEGIN
	SELECT s.value INTO v FROM setting s WHERE s.name = setting_value.name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown setting "%"', name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION setting_value(text) IS
	'the value of a setting (issuelist.setting), as text; error 22023 for an unknown name';

SELECT pg_catalog.pg_extension_config_dump('setting', '');
GRANT SELECT ON setting
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
GRANT UPDATE (value) ON setting TO issuelist_admin;
GRANT EXECUTE ON FUNCTION setting_value(text)
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
