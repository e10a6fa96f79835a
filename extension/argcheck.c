/*
 * argcheck.c
 *		The checks of function arguments that several C files share (see
 *		argcheck.h), so that one fault gets one SQLSTATE and one wording
 *		wherever it is found (docs/errors.md).
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/float.h"
#include "utils/lsyscache.h"

#include "argcheck.h"

/*
 * The aggregate's memory context, or 0A000 outside an aggregate.  The
 * support functions take SQL types, so anyone may call them directly: this
 * is a call in a context the function cannot work in, as PostgreSQL's own
 * "set-valued function called in context that cannot accept a set" is, not
 * an internal error (docs/errors.md).
 */
MemoryContext
argcheck_agg_context(FunctionCallInfo fcinfo)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context",
						fcinfo->flinfo ? get_func_name(fcinfo->flinfo->fn_oid)
						: "aggregate support function"),
				 errhint("It is a support function of an aggregate: call the aggregate.")));
	return ctx;
}

/* The rule for a weight (and z): a finite number >= 0. */
static inline bool
is_nonnegative(float8 x)
{
	return isfinite(x) && x >= 0.0;
}

/* A finite number >= 0, else 22023. */
float8
argcheck_nonnegative(float8 x, const char *fn, const char *what)
{
	if (!is_nonnegative(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be a finite number >= 0, got %s",
						fn, what, float8out_internal(x))));
	return x;
}

/* One-dimensional, not empty, no NULL: the element count, else 22023. */
int
argcheck_vector(ArrayType *a, const char *fn, const char *what)
{
	int			n;

	if (ARR_NDIM(a) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s is empty", fn, what)));
	if (ARR_NDIM(a) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be a one-dimensional array, not %d-dimensional",
						fn, what, ARR_NDIM(a))));
	n = ARR_DIMS(a)[0];
	if (ARR_HASNULL(a))
	{
		bits8	   *bitmap = ARR_NULLBITMAP(a);

		for (int i = 0; i < n; i++)
			if (!(bitmap[i / 8] & (1 << (i % 8))))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: %s has a NULL at position %d", fn, what, i + 1)));
	}
	return n;
}

/*
 * The first element of an array: ARR_DATA_PTR, spelled so that it compiles
 * under -Wsign-compare (the header's ?: mixes int32 and size_t).
 */
static inline const void *
array_data(ArrayType *a)
{
	Size		offset = ARR_HASNULL(a) ? (Size) a->dataoffset :
		ARR_OVERHEAD_NONULLS(ARR_NDIM(a));

	return (const char *) a + offset;
}

/*
 * The elements of a float8 vector, every one finite (and >= 0 for weights),
 * else 22023 naming the first bad one.
 */
static int
float8_elements(ArrayType *a, const char *fn, const char *what, bool weights,
				const float8 **values)
{
	int			n = argcheck_vector(a, fn, what);
	const float8 *v = (const float8 *) array_data(a);

	Assert(ARR_ELEMTYPE(a) == FLOAT8OID);
	for (int i = 0; i < n; i++)
		if (weights ? !is_nonnegative(v[i]) : !isfinite(v[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s has %s at position %d, not a finite number%s",
							fn, what, float8out_internal(v[i]), i + 1,
							weights ? " >= 0" : "")));
	*values = v;
	return n;
}

/* A float8 vector with every element finite. */
int
argcheck_float8_vector(ArrayType *a, const char *fn, const char *what,
					   const float8 **values)
{
	return float8_elements(a, fn, what, false, values);
}

/* A float8 vector of weights: every element finite and >= 0. */
int
argcheck_weight_vector(ArrayType *a, const char *fn, const char *what,
					   const float8 **values)
{
	return float8_elements(a, fn, what, true, values);
}

/* A bool vector. */
int
argcheck_bool_vector(ArrayType *a, const char *fn, const char *what,
					 const bool **values)
{
	int			n = argcheck_vector(a, fn, what);

	Assert(ARR_ELEMTYPE(a) == BOOLOID);
	*values = (const bool *) array_data(a);
	return n;
}

/* An array of exactly `expected` elements. */
void
argcheck_length(const char *fn, const char *what, int n, int expected)
{
	if (n != expected)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must have %d elements, not %d",
						fn, what, expected, n)));
}

/* Two vectors that pair up element by element. */
void
argcheck_same_length(const char *fn, const char *what, int n, const char *other, int m)
{
	if (n != m)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg_plural("%s: %s has %d element but %s has %d",
							   "%s: %s has %d elements but %s has %d",
							   n, fn, what, n, other, m)));
}
