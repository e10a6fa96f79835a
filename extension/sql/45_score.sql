
-- ---------------------------------------------------------------------------
-- The deduction model (docs/scoring.md): score_model holds every weight of a
-- model as a column, score_model_list the per-list weights (1 when absent).
-- score(tally, model) = 100 K / (K + D), D = Σ d_i computed from the tally.
-- ---------------------------------------------------------------------------

-- Every weight is a finite number >= 0, named in its constraint so that a
-- refused model says which weight is wrong (NaN and infinity fail
-- "< 'Infinity'").  No defaults: a missing weight is an error, not a guess.
CREATE TABLE score_model (
	name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]*$'),
	description text,
	w_general float8 NOT NULL CONSTRAINT w_general_is_a_weight CHECK (w_general >= 0 AND w_general < 'Infinity'),
	w_serious float8 NOT NULL CONSTRAINT w_serious_is_a_weight CHECK (w_serious >= 0 AND w_serious < 'Infinity'),
	w_major float8 NOT NULL CONSTRAINT w_major_is_a_weight CHECK (w_major >= 0 AND w_major < 'Infinity'),
	w_critical float8 NOT NULL CONSTRAINT w_critical_is_a_weight CHECK (w_critical >= 0 AND w_critical < 'Infinity'),
	w_self float8 NOT NULL CONSTRAINT w_self_is_a_weight CHECK (w_self >= 0 AND w_self < 'Infinity'),
	w_external float8 NOT NULL CONSTRAINT w_external_is_a_weight CHECK (w_external >= 0 AND w_external < 'Infinity'),
	w_concealed float8 NOT NULL CONSTRAINT w_concealed_is_a_weight CHECK (w_concealed >= 0 AND w_concealed < 'Infinity'),
	overdue_rate float8 NOT NULL CONSTRAINT overdue_rate_is_a_weight CHECK (overdue_rate >= 0 AND overdue_rate < 'Infinity'),
	closed_on_time float8 NOT NULL CONSTRAINT closed_on_time_is_a_weight CHECK (closed_on_time >= 0 AND closed_on_time < 'Infinity'),
	closed_late float8 NOT NULL CONSTRAINT closed_late_is_a_weight CHECK (closed_late >= 0 AND closed_late < 'Infinity'),
	recurrence_rate float8 NOT NULL CONSTRAINT recurrence_rate_is_a_weight CHECK (recurrence_rate >= 0 AND recurrence_rate < 'Infinity'),
	k float8 NOT NULL CONSTRAINT k_is_positive CHECK (k > 0 AND k < 'Infinity'),
	version integer NOT NULL DEFAULT 1 CONSTRAINT version_is_positive CHECK (version >= 1)
);
COMMENT ON TABLE score_model IS
	'deduction score models: every weight a column, none may be missing or negative (docs/scoring.md)';
COMMENT ON COLUMN score_model.name IS 'the model''s name, as score(..., model) takes it';
COMMENT ON COLUMN score_model.description IS 'what the model is for';
COMMENT ON COLUMN score_model.w_general IS 'W_sev of a general issue';
COMMENT ON COLUMN score_model.w_serious IS 'W_sev of a serious issue';
COMMENT ON COLUMN score_model.w_major IS 'W_sev of a major issue';
COMMENT ON COLUMN score_model.w_critical IS 'W_sev of a critical issue';
COMMENT ON COLUMN score_model.w_self IS 'W_origin of an issue the organization found itself';
COMMENT ON COLUMN score_model.w_external IS 'W_origin of an issue found by a higher level or an outside body';
COMMENT ON COLUMN score_model.w_concealed IS 'W_origin of an issue found by others after it was hidden';
COMMENT ON COLUMN score_model.overdue_rate IS 'f of an overdue issue is 1 + overdue_rate * min(12, overdue months)';
COMMENT ON COLUMN score_model.closed_on_time IS 'f of an issue closed within the quarter on or before its due day';
COMMENT ON COLUMN score_model.closed_late IS 'f of an issue closed within the quarter after its due day';
COMMENT ON COLUMN score_model.recurrence_rate IS 'd_i is multiplied by 1 + recurrence_rate * reopen_count';
COMMENT ON COLUMN score_model.k IS 'K of score = 100 K / (K + D): the deductions that halve the score';
COMMENT ON COLUMN score_model.version IS
	'the version of its weights: an edit of a version that a publication used makes the next one (the publication keeps its own); name@version names one';

INSERT INTO score_model VALUES ('standard',
	'the default model of docs/scoring.md: severities 1, 2, 4, 8; origins 0.5, 1, 2',
	1, 2, 4, 8, 0.5, 1, 2, 0.25, 0.2, 0.5, 0.5, 50);
-- Users' models are dumped; the seeded one is recreated by CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('score_model', 'WHERE name <> ''standard''');

CREATE TABLE score_model_list (
	model text NOT NULL REFERENCES score_model ON UPDATE CASCADE ON DELETE CASCADE,
	list text NOT NULL REFERENCES list (code) ON UPDATE CASCADE ON DELETE CASCADE,
	weight float8 NOT NULL CONSTRAINT weight_is_a_weight CHECK (weight >= 0 AND weight < 'Infinity'),
	PRIMARY KEY (model, list)
);
COMMENT ON TABLE score_model_list IS 'W_list of a model for a list; a list not named here weighs 1';
COMMENT ON COLUMN score_model_list.model IS 'the score model';
COMMENT ON COLUMN score_model_list.list IS 'the list (code)';
COMMENT ON COLUMN score_model_list.weight IS 'W_list: multiplies every d_i of the list';
SELECT pg_catalog.pg_extension_config_dump('score_model_list', '');

-- The C functions over a tally take the weights as arrays (list weights by
-- list position 1..16, severities general..critical, origins self,
-- external, concealed) so that they stay IMMUTABLE.
CREATE FUNCTION tally_deductions(t tally, w_list float8[], w_severity float8[],
		w_origin float8[], overdue_rate float8, closed_on_time float8,
		closed_late float8, recurrence_rate float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'tally_deductions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tally_deductions(tally, float8[], float8[], float8[], float8, float8, float8, float8) IS
	'D = Σ d_i of the issues of a tally under explicit weights (16 list, 4 severity, 3 origin weights, then the rates)';

CREATE FUNCTION tally_explain(t tally, w_list float8[], w_severity float8[],
		w_origin float8[], overdue_rate float8, closed_on_time float8,
		closed_late float8, recurrence_rate float8,
		OUT list smallint, OUT severity severity, OUT origin text,
		OUT bucket text, OUT issues bigint, OUT points float8,
		OUT arithmetic text) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tally_explain' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 30;
COMMENT ON FUNCTION tally_explain(tally, float8[], float8[], float8[], float8, float8, float8, float8) IS
	'one row per cell and bucket of a tally: issues, points and the arithmetic; the points add up, in row order, to exactly tally_deductions()';

-- The weights of a model, as the C functions take them.
CREATE FUNCTION model_weights(model text, OUT w_list float8[], OUT w_severity float8[],
		OUT w_origin float8[], OUT overdue_rate float8, OUT closed_on_time float8,
		OUT closed_late float8, OUT recurrence_rate float8, OUT k float8)
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
BEGIN
	SELECT ARRAY[m.w_general, m.w_serious, m.w_major, m.w_critical],
		   ARRAY[m.w_self, m.w_external, m.w_concealed],
		   m.overdue_rate, m.closed_on_time, m.closed_late, m.recurrence_rate, m.k
	  INTO w_severity, w_origin, overdue_rate, closed_on_time, closed_late,
		   recurrence_rate, k
	  FROM score_model m WHERE m.name = model;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown score model "%"', model
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'The models are the rows of issuelist.score_model.';
	END IF;
	SELECT array_agg(coalesce(w.weight, 1) ORDER BY p.p)
	  INTO w_list
	  FROM generate_series(1, 16) p
	  LEFT JOIN list l ON l.position = p.p
	  LEFT JOIN score_model_list w ON w.list = l.code AND w.model = model_weights.model;
END $$;
COMMENT ON FUNCTION model_weights(text) IS
	'the weights of a score model as arrays (list weights by list position) and K; an error for an unknown model';

CREATE FUNCTION deductions(t tally, model text DEFAULT 'standard') RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT tally_deductions(t, w.w_list, w.w_severity, w.w_origin, w.overdue_rate,
							w.closed_on_time, w.closed_late, w.recurrence_rate)
	  FROM model_weights(model) w
$$;
COMMENT ON FUNCTION deductions(tally, text) IS 'D = Σ d_i of the issues of a tally under a score model';

CREATE FUNCTION score(t tally, model text DEFAULT 'standard') RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT 100 * w.k / (w.k + tally_deductions(t, w.w_list, w.w_severity,
			w.w_origin, w.overdue_rate, w.closed_on_time, w.closed_late,
			w.recurrence_rate))
	  FROM model_weights(model) w
$$;
COMMENT ON FUNCTION score(tally, text) IS
	'the score 100 K / (K + D) of the issues of a tally under a score model: 100 with no deductions';

CREATE FUNCTION explain_tally(t tally, model text DEFAULT 'standard')
	RETURNS TABLE (list text, severity severity, origin text, bucket text,
				   issues bigint, points float8, arithmetic text)
	LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
	SELECT coalesce(l.code, e.list::text), e.severity, e.origin, e.bucket,
		   e.issues, e.points, e.arithmetic
	  FROM model_weights(model) w,
		   tally_explain(t, w.w_list, w.w_severity, w.w_origin, w.overdue_rate,
						 w.closed_on_time, w.closed_late, w.recurrence_rate)
			 WITH ORDINALITY e
	  LEFT JOIN issuelist.list l ON l.position = e.list
	 ORDER BY e.ordinality
$$;
COMMENT ON FUNCTION explain_tally(tally, text) IS
	'the facts behind score(tally, model): list, severity, origin, bucket, issues, points and the arithmetic; sum(points) over the rows is the deductions';

-- Everyone who works with the issues reads the models; only the admin
-- changes them.
GRANT SELECT ON score_model, score_model_list
	TO issuelist_admin, issuelist_editor, issuelist_verifier, issuelist_auditor;
GRANT INSERT, UPDATE, DELETE ON score_model, score_model_list TO issuelist_admin;
