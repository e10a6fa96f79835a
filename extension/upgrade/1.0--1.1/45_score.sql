
-- 1.1: score models have versions (docs/trust.md, "Publication").
ALTER TABLE score_model
	ADD COLUMN version integer NOT NULL DEFAULT 1 CONSTRAINT version_is_positive CHECK (version >= 1);
COMMENT ON COLUMN score_model.version IS
	'the version of its weights: an edit of a version that a publication used makes the next one (the publication keeps its own); name@version names one';
