/*
 * quarter.h
 *		The type issuelist.quarter: a calendar quarter such as 2021Q1.
 *
 * A quarter is stored by value in an int4 as year * 4 + (quarter - 1), so
 * 2021Q1 = 8084 and consecutive quarters are consecutive integers: ordering,
 * hashing, "+ n" and "q1 - q2" are plain integer operations.  Years run from
 * 1 to 9999, so every valid value lies in QUARTER_MIN .. QUARTER_MAX.
 */
#ifndef ISSUELIST_QUARTER_H
#define ISSUELIST_QUARTER_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/date.h"

typedef int32 Quarter;

#define QUARTER_MIN_YEAR	1
#define QUARTER_MAX_YEAR	9999
#define QUARTER_MIN			(QUARTER_MIN_YEAR * 4)	/* 0001Q1 */
#define QUARTER_MAX			(QUARTER_MAX_YEAR * 4 + 3)	/* 9999Q4 */

#define DatumGetQuarter(X)		((Quarter) DatumGetInt32(X))
#define QuarterGetDatum(X)		Int32GetDatum(X)
#define PG_GETARG_QUARTER(n)	DatumGetQuarter(PG_GETARG_DATUM(n))
#define PG_RETURN_QUARTER(x)	return QuarterGetDatum(x)

/* Whether an int4 is the representation of a quarter of years 1..9999. */
static inline bool
QuarterIsValid(int64 value)
{
	return value >= QUARTER_MIN && value <= QUARTER_MAX;
}

/* The quarter of a year (1..9999) and a quarter number (1..4). */
static inline Quarter
QuarterMake(int year, int number)
{
	return (Quarter) (year * 4 + number - 1);
}

/* The year of a valid quarter. */
static inline int
QuarterYear(Quarter q)
{
	return q / 4;
}

/* The quarter number (1..4) of a valid quarter. */
static inline int
QuarterNumber(Quarter q)
{
	return q % 4 + 1;
}

/* First and last day of a valid quarter. */
extern DateADT quarter_first_day(Quarter q);
extern DateADT quarter_last_day(Quarter q);

/* The quarter containing a date; 22003 for infinite dates or years outside 1..9999. */
extern Quarter quarter_of_date(DateADT d);

#endif							/* ISSUELIST_QUARTER_H */
