
-- ---------------------------------------------------------------------------
-- The closed loop: roles.  Roles are cluster-wide, so they are made only
-- when missing and they outlive DROP EXTENSION (a second database, or a
-- restore, finds them in place).  None can log in: the operator grants them
-- to logins, and grant_org() ties each login to an org subtree.
--   issuelist_admin     everything, in every org
--   issuelist_editor    works its subtree's issues up to rectified
--   issuelist_verifier  accepts and closes, refuses, reopens, withdraws,
--                       extends deadlines and records tolerance in its subtree
--   issuelist_auditor   reads everything, writes nothing
--   issuelist_reader    BI: the reporting views only, nothing here
-- See docs/roles-and-security.md.
-- ---------------------------------------------------------------------------

DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['issuelist_admin', 'issuelist_editor',
							 'issuelist_verifier', 'issuelist_auditor',
							 'issuelist_reader']
	LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
END $$;

COMMENT ON ROLE issuelist_admin IS
	'issuelist: province level, everything in every organization';
COMMENT ON ROLE issuelist_editor IS
	'issuelist: works the issues of its org subtree up to rectified (registers, assigns, rectifies); never closes';
COMMENT ON ROLE issuelist_verifier IS
	'issuelist: the supervising level; closes, refuses acceptance, reopens, withdraws, extends deadlines, records tolerance in its org subtree';
COMMENT ON ROLE issuelist_auditor IS
	'issuelist: reads everything, including the full history; writes nothing';
COMMENT ON ROLE issuelist_reader IS
	'issuelist: BI tools; the reporting views only';
