
-- 1.1: the quarters 1.0 froze become publications.  1.0 did not record the
-- models, names or officials it scored them with, so they are stored as
-- they stand at this upgrade (docs/versions-and-upgrades.md says so), with
-- the digest of the history recorded before each was computed.  What is
-- published is append-only, so those triggers are off for the header's
-- new columns only.
ALTER TABLE quarter_freeze DISABLE TRIGGER quarter_freeze_append_only;
UPDATE quarter_freeze f
   SET digest = history_digest(f.computed_at),
	   reason = CASE WHEN f.revision > 1
					 THEN 'revision made by version 1.0, which recorded no reason' END;
ALTER TABLE quarter_freeze ENABLE ALWAYS TRIGGER quarter_freeze_append_only;
SELECT publish_context(f.q, f.revision, f.as_of)
  FROM quarter_freeze f ORDER BY f.q, f.revision;
