/*
 * evaluate.c
 *		Comprehensive evaluation: the entropy weight method (an aggregate),
 *		TOPSIS closeness (a window function) and the lower bound of the
 *		Wilson score interval.
 *
 * The definitions are those of docs/evaluation.md.  Euclidean norms are
 * accumulated with scaling, as LAPACK's dlassq does, so that very large or
 * very small finite inputs neither overflow nor underflow into a wrong
 * answer.
 */
#include "postgres.h"

#include <limits.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "argcheck.h"

PG_FUNCTION_INFO_V1(entropy_weights_trans);
PG_FUNCTION_INFO_V1(entropy_weights_combine);
PG_FUNCTION_INFO_V1(entropy_weights_serial);
PG_FUNCTION_INFO_V1(entropy_weights_deserial);
PG_FUNCTION_INFO_V1(entropy_weights_final);
PG_FUNCTION_INFO_V1(topsis);
PG_FUNCTION_INFO_V1(wilson_lower);

/* ---------- Euclidean norms without overflow or underflow ---------- */

/* norm = scale * sqrt(ssq); each term is added as (|x| / scale)^2 */
typedef struct ScaledSumSq
{
	double		scale;			/* largest |x| so far, 0 while all are 0 */
	double		ssq;			/* sum of (x / scale)^2, >= 1 once scale > 0 */
} ScaledSumSq;

/* Start an empty sum */
static inline void
sumsq_init(ScaledSumSq *s)
{
	s->scale = 0.0;
	s->ssq = 1.0;
}

/* Add x^2, rescaling when |x| is the largest so far (LAPACK dlassq) */
static inline void
sumsq_add(ScaledSumSq *s, double x)
{
	double		a = fabs(x);
	double		r;

	if (a == 0.0)
		return;
	if (s->scale < a)
	{
		r = s->scale / a;
		s->ssq = 1.0 + s->ssq * r * r;
		s->scale = a;
	}
	else
	{
		r = a / s->scale;
		s->ssq += r * r;
	}
}

/* The Euclidean norm of what was added */
static inline double
sumsq_norm(const ScaledSumSq *s)
{
	return s->scale * sqrt(s->ssq);
}

/* ---------- entropy_weights(float8[]): an aggregate ---------- */

/*
 * Min-max normalization needs each column's minimum and maximum before any
 * p_ij can be formed, so the state keeps every row.
 */
typedef struct EntropyState
{
	int32		ncols;			/* criteria per row, fixed by the first row */
	int64		nrows;
	int64		capacity;		/* rows that values can hold */
	double	   *values;			/* nrows x ncols, row by row */
} EntropyState;

/* The serialized state: ncols, nrows, then the values */
#define ENTROPY_SERIAL_HEADER (sizeof(int32) + sizeof(int64))

/* Most rows a state (and its serialized form) can hold */
static inline int64
entropy_max_rows(int ncols)
{
	return (int64) ((MaxAllocSize - VARHDRSZ - ENTROPY_SERIAL_HEADER) /
					((Size) ncols * sizeof(double)));
}

/* A state without rows, in the given memory context */
static EntropyState *
entropy_state_new(MemoryContext cxt, int ncols)
{
	EntropyState *st = MemoryContextAllocZero(cxt, sizeof(EntropyState));

	st->ncols = ncols;
	st->capacity = Min(64, entropy_max_rows(ncols));
	st->values = MemoryContextAlloc(cxt, st->capacity * ncols * sizeof(double));
	return st;
}

/* Append nrows rows of st->ncols values, growing the array by doubling */
static void
entropy_state_append(EntropyState *st, const double *values, int64 nrows)
{
	int64		need = st->nrows + nrows;

	if (need > st->capacity)
	{
		int64		limit = entropy_max_rows(st->ncols);

		if (need > limit)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("entropy_weights: too many rows, at most " INT64_FORMAT " with %d criteria",
							limit, st->ncols)));
		st->capacity = Min(Max(need, 2 * st->capacity), limit);
		/* repalloc keeps the chunk in its context: the aggregate's */
		st->values = repalloc(st->values,
							  st->capacity * st->ncols * sizeof(double));
	}
	memcpy(st->values + st->nrows * st->ncols, values,
		   nrows * st->ncols * sizeof(double));
	st->nrows = need;
}

/* Transition: validate a row and keep it; NULL rows are skipped, as by avg() */
Datum
entropy_weights_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = argcheck_agg_context(fcinfo);
	EntropyState *st = PG_ARGISNULL(0) ? NULL : (EntropyState *) PG_GETARG_POINTER(0);
	const double *x;
	int			n;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	n = argcheck_float8_vector(PG_GETARG_ARRAYTYPE_P(1), "entropy_weights", "a row", &x);
	if (st == NULL)
		st = entropy_state_new(aggcxt, n);
	else
		argcheck_same_length("entropy_weights", "a row", n, "another row", st->ncols);
	entropy_state_append(st, x, 1);
	PG_RETURN_POINTER(st);
}

/* Combine two partial states (parallel aggregation): the rows of both */
Datum
entropy_weights_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = argcheck_agg_context(fcinfo);
	EntropyState *st1 = PG_ARGISNULL(0) ? NULL : (EntropyState *) PG_GETARG_POINTER(0);
	EntropyState *st2 = PG_ARGISNULL(1) ? NULL : (EntropyState *) PG_GETARG_POINTER(1);

	if (st2 == NULL)
	{
		if (st1 == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st1);
	}
	/* st2 lives in a short-lived context: copy it into the aggregate's */
	if (st1 == NULL)
		st1 = entropy_state_new(aggcxt, st2->ncols);
	else
		argcheck_same_length("entropy_weights", "a row", st2->ncols,
							 "another row", st1->ncols);
	entropy_state_append(st1, st2->values, st2->nrows);
	PG_RETURN_POINTER(st1);
}

/* Serialize a state for a parallel worker's result: ncols, nrows, values */
Datum
entropy_weights_serial(PG_FUNCTION_ARGS)
{
	EntropyState *st = (EntropyState *) PG_GETARG_POINTER(0);
	Size		datalen;
	bytea	   *result;
	char	   *p;

	argcheck_agg_context(fcinfo);
	datalen = st->nrows * st->ncols * sizeof(double);
	result = palloc(VARHDRSZ + ENTROPY_SERIAL_HEADER + datalen);
	SET_VARSIZE(result, VARHDRSZ + ENTROPY_SERIAL_HEADER + datalen);
	p = VARDATA(result);
	memcpy(p, &st->ncols, sizeof(int32));
	memcpy(p + sizeof(int32), &st->nrows, sizeof(int64));
	memcpy(p + ENTROPY_SERIAL_HEADER, st->values, datalen);
	PG_RETURN_BYTEA_P(result);
}

/* Deserialize a state, checking that the sizes agree before copying */
Datum
entropy_weights_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	Size		len = VARSIZE_ANY_EXHDR(b);
	const char *p = VARDATA_ANY(b);
	int32		ncols;
	int64		nrows;
	EntropyState *st;

	argcheck_agg_context(fcinfo);
	if (len < ENTROPY_SERIAL_HEADER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("entropy_weights: serialized state is too short")));
	memcpy(&ncols, p, sizeof(int32));
	memcpy(&nrows, p + sizeof(int32), sizeof(int64));
	if (ncols < 1 || nrows < 0 || nrows > entropy_max_rows(ncols) ||
		len != ENTROPY_SERIAL_HEADER + nrows * ncols * sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("entropy_weights: serialized state is corrupt")));
	/* the combine function copies it into the aggregate's context */
	st = entropy_state_new(CurrentMemoryContext, ncols);
	entropy_state_append(st, (const double *) (p + ENTROPY_SERIAL_HEADER), nrows);
	PG_RETURN_POINTER(st);
}

/* (x - lo) / (hi - lo), halving first when the range overflows float8 */
static inline double
minmax_normalize(double x, double lo, double hi)
{
	double		range = hi - lo;

	if (isinf(range))
		return (x / 2 - lo / 2) / (hi / 2 - lo / 2);
	return (x - lo) / range;
}

/* 1 - e_j, the divergence of column j; 0 for a constant column (e_j = 1) */
static double
entropy_divergence(const EntropyState *st, int j)
{
	const double *col = st->values + j;
	int			m = st->ncols;
	double		lo = col[0];
	double		hi = col[0];
	double		sum = 0.0;
	double		plogp = 0.0;
	double		e;

	for (int64 i = 1; i < st->nrows; i++)
	{
		lo = Min(lo, col[i * m]);
		hi = Max(hi, col[i * m]);
	}
	if (lo == hi)
		return 0.0;
	for (int64 i = 0; i < st->nrows; i++)
		sum += minmax_normalize(col[i * m], lo, hi);
	for (int64 i = 0; i < st->nrows; i++)
	{
		double		p = minmax_normalize(col[i * m], lo, hi) / sum;

		/* 0 ln 0 = 0 */
		if (p > 0.0)
			plogp += p * log(p);
	}
	e = -plogp / log((double) st->nrows);
	/* e < 1 for a column that is not constant; guard against rounding */
	return Max(0.0, 1.0 - e);
}

/* Final: the weights w_j = (1 - e_j) / sum_k (1 - e_k), or equal weights */
Datum
entropy_weights_final(PG_FUNCTION_ARGS)
{
	EntropyState *st = PG_ARGISNULL(0) ? NULL : (EntropyState *) PG_GETARG_POINTER(0);
	Datum	   *w;
	double	   *d;
	double		total = 0.0;

	/* no rows: NULL, as avg() of no rows */
	if (st == NULL)
		PG_RETURN_NULL();
	w = palloc(st->ncols * sizeof(Datum));
	d = palloc(st->ncols * sizeof(double));
	for (int j = 0; j < st->ncols; j++)
	{
		d[j] = st->nrows < 2 ? 0.0 : entropy_divergence(st, j);
		total += d[j];
	}
	/* fewer than two rows or every column constant: nothing tells them apart */
	for (int j = 0; j < st->ncols; j++)
		w[j] = Float8GetDatum(total > 0.0 ? d[j] / total : 1.0 / st->ncols);
	PG_RETURN_ARRAYTYPE_P(construct_array(w, st->ncols, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* ---------- topsis(criteria, weights, benefit): a window function ---------- */

/*
 * What TOPSIS needs of each column of the partition: r_ij = x_ij / norm_j is
 * computed as (x_ij / scale_j) / root_j, which cannot overflow.  The weights
 * are not negative, so max_i(w_j r_ij) = w_j max_i(r_ij): the ideal and the
 * anti-ideal follow from rlo and rhi whatever the weights.
 */
typedef struct TopsisColumn
{
	double		scale;			/* largest |x_ij|; 0 for a column of zeros */
	double		root;			/* sqrt(sum_i (x_ij / scale)^2) */
	double		rlo;			/* smallest r_ij */
	double		rhi;			/* largest r_ij */
} TopsisColumn;

/* Partition-local memory: the column statistics, computed on the first row */
typedef struct TopsisPartition
{
	bool		ready;
	int			ncols;			/* 0 when every row's criteria is NULL */
	TopsisColumn *cols;
} TopsisPartition;

/* The normalized value r of x in a column */
static inline double
topsis_normalize(const TopsisColumn *c, double x)
{
	return (x / c->scale) / c->root;
}

/* Fold one row's criteria into the column statistics, validating it */
static void
topsis_add_row(TopsisPartition *part, ScaledSumSq *norms, double *lo, double *hi,
			   ArrayType *criteria)
{
	const double *x;
	int			n = argcheck_float8_vector(criteria, "topsis", "criteria", &x);

	argcheck_same_length("topsis", "criteria", n, "another row's criteria",
					  part->ncols);
	for (int j = 0; j < n; j++)
	{
		sumsq_add(&norms[j], x[j]);
		lo[j] = Min(lo[j], x[j]);
		hi[j] = Max(hi[j], x[j]);
	}
}

/* One pass over the partition: each column's norm, minimum and maximum */
static void
topsis_scan_partition(WindowObject winobj, TopsisPartition *part)
{
	int64		nrows = WinGetPartitionRowCount(winobj);
	MemoryContext partcxt = GetMemoryChunkContext(part);
	/* each row's argument is evaluated and detoasted here, then freed */
	MemoryContext rowcxt = AllocSetContextCreate(CurrentMemoryContext,
												 "topsis row",
												 ALLOCSET_DEFAULT_SIZES);
	MemoryContext oldcxt = MemoryContextSwitchTo(rowcxt);
	ScaledSumSq *norms = NULL;
	double	   *lo = NULL;
	double	   *hi = NULL;

	if (nrows > INT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("topsis: a partition can have at most %d rows", INT_MAX)));
	for (int64 i = 0; i < nrows; i++)
	{
		bool		isnull;
		bool		isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, (int) i, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);
		ArrayType  *a;

		/* a row without criteria gets NULL and takes no part */
		if (isnull)
			continue;
		a = DatumGetArrayTypeP(d);
		if (norms == NULL)
		{
			part->ncols = argcheck_vector(a, "topsis", "criteria");
			norms = MemoryContextAlloc(oldcxt, part->ncols * sizeof(ScaledSumSq));
			lo = MemoryContextAlloc(oldcxt, part->ncols * sizeof(double));
			hi = MemoryContextAlloc(oldcxt, part->ncols * sizeof(double));
			for (int j = 0; j < part->ncols; j++)
			{
				sumsq_init(&norms[j]);
				lo[j] = get_float8_infinity();
				hi[j] = -get_float8_infinity();
			}
		}
		topsis_add_row(part, norms, lo, hi, a);
		MemoryContextReset(rowcxt);
	}
	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(rowcxt);

	part->cols = MemoryContextAlloc(partcxt,
									Max(part->ncols, 1) * sizeof(TopsisColumn));
	for (int j = 0; j < part->ncols; j++)
	{
		TopsisColumn *c = &part->cols[j];

		c->scale = norms[j].scale;
		c->root = sqrt(norms[j].ssq);
		c->rlo = c->scale > 0.0 ? topsis_normalize(c, lo[j]) : 0.0;
		c->rhi = c->scale > 0.0 ? topsis_normalize(c, hi[j]) : 0.0;
	}
	part->ready = true;
}

/* Closeness d- / (d+ + d-) of one row, 0.5 when both distances are 0 */
static double
topsis_closeness(const TopsisPartition *part, const double *x, const double *w,
				 const bool *benefit)
{
	double		wmax = 0.0;
	ScaledSumSq plus;
	ScaledSumSq minus;
	double		dplus;
	double		dminus;

	/* closeness does not change when all weights are scaled: use w / max(w) */
	for (int j = 0; j < part->ncols; j++)
		wmax = Max(wmax, w[j]);
	if (wmax == 0.0)
		return 0.5;
	sumsq_init(&plus);
	sumsq_init(&minus);
	for (int j = 0; j < part->ncols; j++)
	{
		const TopsisColumn *c = &part->cols[j];
		double		wj = w[j] / wmax;
		double		r;

		/* a column of zeros contributes nothing */
		if (c->scale == 0.0)
			continue;
		r = topsis_normalize(c, x[j]);
		sumsq_add(&plus, wj * (r - (benefit[j] ? c->rhi : c->rlo)));
		sumsq_add(&minus, wj * (r - (benefit[j] ? c->rlo : c->rhi)));
	}
	dplus = sumsq_norm(&plus);
	dminus = sumsq_norm(&minus);
	if (dplus + dminus == 0.0)
		return 0.5;
	return dminus / (dplus + dminus);
}

/* TOPSIS relative closeness of the current row to the ideal of its partition */
Datum
topsis(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	TopsisPartition *part = WinGetPartitionLocalMemory(winobj, sizeof(TopsisPartition));
	Datum		args[3];
	bool		isnull;
	const double *x;
	const double *w;
	const bool *benefit;
	int			n;

	if (!part->ready)
		topsis_scan_partition(winobj, part);
	/* the statistics hold all that is needed of earlier rows */
	WinSetMarkPosition(winobj, WinGetCurrentPosition(winobj));

	for (int i = 0; i < 3; i++)
	{
		args[i] = WinGetFuncArgCurrent(winobj, i, &isnull);
		if (isnull)
			PG_RETURN_NULL();
	}
	n = argcheck_float8_vector(DatumGetArrayTypeP(args[0]), "topsis", "criteria", &x);
	argcheck_same_length("topsis", "criteria", n, "another row's criteria", part->ncols);
	argcheck_same_length("topsis", "weights",
						 argcheck_weight_vector(DatumGetArrayTypeP(args[1]),
												"topsis", "weights", &w),
						 "criteria", n);
	argcheck_same_length("topsis", "benefit",
						 argcheck_bool_vector(DatumGetArrayTypeP(args[2]),
											  "topsis", "benefit", &benefit),
						 "criteria", n);
	PG_RETURN_FLOAT8(topsis_closeness(part, x, w, benefit));
}

/* ---------- wilson_lower(successes, trials, z) ---------- */

/* Reject counts and z outside the domain of the Wilson interval */
static inline void
check_wilson_args(int64 successes, int64 trials, double z)
{
	if (trials < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wilson_lower: trials must not be negative, got " INT64_FORMAT,
						trials)));
	if (successes < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wilson_lower: successes must not be negative, got " INT64_FORMAT,
						successes)));
	if (successes > trials)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wilson_lower: successes (" INT64_FORMAT ") must not exceed trials (" INT64_FORMAT ")",
						successes, trials)));
	argcheck_nonnegative(z, "wilson_lower", "z");
}

/*
 * Lower bound of the Wilson score interval,
 *   (p + z²/2n - z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n),  p = s/n,
 * computed as the algebraically equal 2s² / (n (2s + z² + z sqrt(z² +
 * 4s(n-s)/n))), which has no cancellation and is exactly 0 for s = 0.
 */
Datum
wilson_lower(PG_FUNCTION_ARGS)
{
	int64		successes = PG_GETARG_INT64(0);
	int64		trials = PG_GETARG_INT64(1);
	double		z = PG_GETARG_FLOAT8(2);
	double		s = (double) successes;
	double		n = (double) trials;
	double		root;

	check_wilson_args(successes, trials, z);
	if (successes == 0)
		PG_RETURN_FLOAT8(0.0);
	root = sqrt(z * z + 4.0 * s * ((double) (trials - successes) / n));
	PG_RETURN_FLOAT8(2.0 * s * s / (n * (2.0 * s + z * z + z * root)));
}
