/*
 * argcheck.h
 *		The checks of function arguments that several C files share: the
 *		aggregate context of a support function, and arrays of numbers
 *		(criteria, weights) given as arguments.
 *
 * Each check raises the SQLSTATE the manual's error policy gives its fault
 * (docs/errors.md): 22023 for a bad argument, whatever is wrong with it,
 * and 0A000 for a support function of an aggregate called on its own.
 * Messages begin with the SQL function's name and name the argument.
 */
#ifndef ARGCHECK_H
#define ARGCHECK_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/array.h"

/*
 * The aggregate's memory context of a support function (transition,
 * combine, serial...), or 0A000 when it is called outside an aggregate.
 */
extern MemoryContext argcheck_agg_context(FunctionCallInfo fcinfo);

/* A number that must be finite and >= 0 (a weight, a z): 22023 otherwise. */
extern float8 argcheck_nonnegative(float8 x, const char *fn, const char *what);

/*
 * An array argument that must be one-dimensional, not empty and without
 * NULLs: its element count, else 22023.
 */
extern int	argcheck_vector(ArrayType *a, const char *fn, const char *what);

/*
 * A float8[] argument as argcheck_vector wants it, with every element
 * finite: its element count, *values set to its elements.
 */
extern int	argcheck_float8_vector(ArrayType *a, const char *fn, const char *what,
								   const float8 **values);

/* The same, with every element a weight: finite and >= 0. */
extern int	argcheck_weight_vector(ArrayType *a, const char *fn, const char *what,
								   const float8 **values);

/* A bool[] argument as argcheck_vector wants it: its count, *values set. */
extern int	argcheck_bool_vector(ArrayType *a, const char *fn, const char *what,
								 const bool **values);

/* An array of n elements that must have exactly `expected`: 22023 otherwise. */
extern void argcheck_length(const char *fn, const char *what, int n, int expected);

/* Two arrays that pair up element by element: 22023 when n != m. */
extern void argcheck_same_length(const char *fn, const char *what, int n,
								 const char *other, int m);

#endif							/* ARGCHECK_H */
