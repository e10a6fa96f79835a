
-- 1.1: score models have versions (docs/trust.md, "Publication").
ALTER TABLE score_model
	ADD COLUMN version integer NOT NULL DEFAULT 1 CONSTRAINT version_is_positive CHECK (version >= 1);
COMMENT ON COLUMN score_model.version IS
	'the version of its weights: an edit of a version that a publication used makes the next one (the publication keeps its own); name@version names one';
-- The built-in model's description pointed at a file outside the manual.
UPDATE score_model SET description = 'the default model of docs/scoring.md: severities 1, 2, 4, 8; origins 0.5, 1, 2'
 WHERE name = 'standard' AND description = 'the default model of DESIGN.md: severities 1, 2, 4, 8; origins 0.5, 1, 2';
