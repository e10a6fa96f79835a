/*
 * score.c
 *		The deduction model over a tally: tally_deductions() and
 *		tally_explain(), the facts behind a score.
 *
 * Per cell (list, severity, origin) with weight W = W_list * W_sev *
 * W_origin and r = recurrence_rate, the points of each bucket are
 *
 *		open_in_time	W * (n + r * ΣR)
 *		overdue			W * (n + rate * ΣM + r * (ΣR + rate * ΣRM))
 *		closed_on_time	W * closed_on_time * (n + r * ΣR)
 *		closed_late		W * closed_late * (n + r * ΣR)
 *		tolerated, withdrawn	0
 *
 * which is Σ d_i over the issues of the bucket, exactly, whatever the
 * weights.  Both functions compute every bucket with the same code in the
 * same order, so the points of tally_explain() add up (in its row order) to
 * exactly the value of tally_deductions().
 */
#include "postgres.h"

#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "argcheck.h"
#include "tally.h"

PG_FUNCTION_INFO_V1(tally_deductions);
PG_FUNCTION_INFO_V1(tally_explain);

/* The weights of a model, checked. */
typedef struct ScoreWeights
{
	float8		list[TALLY_NLISTS];
	float8		severity[TALLY_NSEVERITIES];
	float8		origin[TALLY_NORIGINS];
	float8		overdue_rate;
	float8		closed_on_time;
	float8		closed_late;
	float8		recurrence_rate;
} ScoreWeights;

/* The buckets, in the order explain rows come out. */
typedef enum ScoreBucket
{
	SB_OPEN_IN_TIME,
	SB_OVERDUE,
	SB_CLOSED_ON_TIME,
	SB_CLOSED_LATE,
	SB_TOLERATED,
	SB_WITHDRAWN,
	SB_COUNT
} ScoreBucket;

static const char *const bucket_names[SB_COUNT] = {
	"open_in_time", "overdue", "closed_on_time", "closed_late", "tolerated",
	"withdrawn"
};

/* The issue count of a bucket of a cell. */
static const TallyCounter bucket_counter[SB_COUNT] = {
	TC_OPEN_IN_TIME, TC_OVERDUE, TC_CLOSED_ON_TIME, TC_CLOSED_LATE,
	TC_TOLERATED, TC_WITHDRAWN
};

/* Copy a float8[] argument of exactly n weights (finite, >= 0). */
static void
weight_array(ArrayType *a, float8 *into, int n, const char *fn, const char *what)
{
	const float8 *w;

	argcheck_length(fn, what, argcheck_weight_vector(a, fn, what, &w), n);
	memcpy(into, w, n * sizeof(float8));
}

/*
 * The weights from arguments 1..7 of both SQL functions (STRICT: none is
 * NULL), checked; fn names the function in messages.
 */
static void
get_weights(FunctionCallInfo fcinfo, ScoreWeights *w, const char *fn)
{
	weight_array(PG_GETARG_ARRAYTYPE_P(1), w->list, TALLY_NLISTS, fn, "w_list");
	weight_array(PG_GETARG_ARRAYTYPE_P(2), w->severity, TALLY_NSEVERITIES, fn, "w_severity");
	weight_array(PG_GETARG_ARRAYTYPE_P(3), w->origin, TALLY_NORIGINS, fn, "w_origin");
	w->overdue_rate = argcheck_nonnegative(PG_GETARG_FLOAT8(4), fn, "overdue_rate");
	w->closed_on_time = argcheck_nonnegative(PG_GETARG_FLOAT8(5), fn, "closed_on_time");
	w->closed_late = argcheck_nonnegative(PG_GETARG_FLOAT8(6), fn, "closed_late");
	w->recurrence_rate = argcheck_nonnegative(PG_GETARG_FLOAT8(7), fn, "recurrence_rate");
}

/* The weight W_list * W_sev * W_origin of a cell. */
static inline float8
cell_weight(const TallyCell *c, const ScoreWeights *w)
{
	return w->list[c->list - 1] * w->severity[c->severity - 1] *
		w->origin[c->origin - 1];
}

/*
 * A number of the arithmetic text, as a person writes it: at most 10
 * significant digits, so that the double nearest 0.2 * 12 reads 2.4 and
 * not 2.4000000000000004.  Only the text is rounded: the points column
 * keeps the exact double.
 */
static inline char *
explain_number(float8 x)
{
	return psprintf("%.10g", x);
}

/*
 * The points of one bucket of one cell (see the file header), and, when
 * buf is not NULL, the arithmetic as text.
 */
static float8
bucket_points(const TallyCell *c, ScoreBucket b, const ScoreWeights *w,
			  StringInfo buf)
{
	const int64 *n = c->counts;
	float8		cw = cell_weight(c, w);
	float8		r = w->recurrence_rate;
	float8		f = 1.0;
	float8		inner;
	int64		reopens;
	float8		pts;

	switch (b)
	{
		case SB_OPEN_IN_TIME:
			reopens = n[TC_OPEN_IN_TIME_REOPENS];
			inner = n[TC_OPEN_IN_TIME] + r * reopens;
			break;
		case SB_OVERDUE:
			reopens = n[TC_OVERDUE_REOPENS];
			inner = n[TC_OVERDUE] + w->overdue_rate * n[TC_OVERDUE_MONTHS] +
				r * (reopens + w->overdue_rate * n[TC_OVERDUE_REOPEN_MONTHS]);
			break;
		case SB_CLOSED_ON_TIME:
			reopens = n[TC_CLOSED_ON_TIME_REOPENS];
			f = w->closed_on_time;
			inner = n[TC_CLOSED_ON_TIME] + r * reopens;
			break;
		case SB_CLOSED_LATE:
			reopens = n[TC_CLOSED_LATE_REOPENS];
			f = w->closed_late;
			inner = n[TC_CLOSED_LATE] + r * reopens;
			break;
		default:
			if (buf)
				appendStringInfo(buf, INT64_FORMAT " %s: exempt = 0",
								 n[bucket_counter[b]], bucket_names[b]);
			return 0.0;
	}
	pts = cw * f * inner;
	if (buf)
	{
		appendStringInfo(buf, "%s (list %d) × %s (%s) × %s (%s)",
						 explain_number(w->list[c->list - 1]), c->list,
						 explain_number(w->severity[c->severity - 1]),
						 severity_names[c->severity],
						 explain_number(w->origin[c->origin - 1]),
						 tally_origin_names[c->origin - 1]);
		if (b == SB_CLOSED_ON_TIME || b == SB_CLOSED_LATE)
			appendStringInfo(buf, " × %s (%s)", explain_number(f),
							 bucket_names[b]);
		appendStringInfo(buf, " × (" INT64_FORMAT " issues",
						 n[bucket_counter[b]]);
		if (b == SB_OVERDUE)
			appendStringInfo(buf, " + %s × " INT64_FORMAT " overdue months",
							 explain_number(w->overdue_rate),
							 n[TC_OVERDUE_MONTHS]);
		if (reopens > 0 && b == SB_OVERDUE)
			appendStringInfo(buf, " + %s × (" INT64_FORMAT " reopens + %s × " INT64_FORMAT " reopen-months)",
							 explain_number(r), reopens,
							 explain_number(w->overdue_rate),
							 n[TC_OVERDUE_REOPEN_MONTHS]);
		else if (reopens > 0)
			appendStringInfo(buf, " + %s × " INT64_FORMAT " reopens",
							 explain_number(r), reopens);
		appendStringInfo(buf, ") = %s", explain_number(pts));
	}
	return pts;
}

/*
 * tally_deductions(tally, w_list[16], w_sev[4], w_origin[3], overdue_rate,
 * closed_on_time, closed_late, recurrence_rate): D = Σ d_i.
 */
Datum
tally_deductions(PG_FUNCTION_ARGS)
{
	Tally	   *t = PG_GETARG_TALLY_P(0);
	ScoreWeights w;
	float8		d = 0.0;
	int			i,
				b;

	get_weights(fcinfo, &w, "tally_deductions");
	for (i = 0; i < t->ncells; i++)
		for (b = 0; b < SB_COUNT; b++)
			if (t->cells[i].counts[bucket_counter[b]] > 0)
				d += bucket_points(&t->cells[i], b, &w, NULL);
	PG_RETURN_FLOAT8(d);
}

/*
 * tally_explain(tally, weights...): one row per cell and non-empty bucket:
 * list position, severity, origin, bucket, issues, points, arithmetic.
 */
Datum
tally_explain(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Tally	   *t = PG_GETARG_TALLY_P(0);
	ScoreWeights w;
	int			i,
				b;

	get_weights(fcinfo, &w, "tally_explain");
	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < t->ncells; i++)
		for (b = 0; b < SB_COUNT; b++)
		{
			const TallyCell *c = &t->cells[i];
			Datum		values[7];
			bool		nulls[7] = {false};
			StringInfoData buf;

			if (c->counts[bucket_counter[b]] == 0)
				continue;
			initStringInfo(&buf);
			values[5] = Float8GetDatum(bucket_points(c, b, &w, &buf));
			values[0] = Int16GetDatum(c->list);
			values[1] = Int16GetDatum(c->severity);
			values[2] = CStringGetTextDatum(tally_origin_names[c->origin - 1]);
			values[3] = CStringGetTextDatum(bucket_names[b]);
			values[4] = Int64GetDatum(c->counts[bucket_counter[b]]);
			values[6] = CStringGetTextDatum(buf.data);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	return (Datum) 0;
}
