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

/*
 * The text form, one source for every reader and writer of quarters (the
 * type's I/O and the tally's, which begins with its quarter):
 *
 * quarter_scan reads a quarter at *cursor, digits ['-' | ' '] ('Q' | 'q')
 * digit, without blanks around it.  When the text there is one, it sets
 * *year (clamped to 10000 past 9999, so no number of digits overflows) and
 * *number, moves the cursor past it and returns true; otherwise it returns
 * false and leaves the cursor where it was.  Syntax is the caller's to
 * report (22P02, with its own message); the range is quarter_from_parts's.
 *
 * quarter_from_parts checks the year of a scanned quarter: 22003 quoting
 * text when it lies outside 1..9999.
 *
 * quarter_to_cstring gives the one canonical spelling, 2021Q1.
 */
extern bool quarter_scan(const char **cursor, int *year, int *number);
extern Quarter quarter_from_parts(int year, int number, const char *text);
extern char *quarter_to_cstring(Quarter q);

/* First and last day of a valid quarter. */
extern DateADT quarter_first_day(Quarter q);
extern DateADT quarter_last_day(Quarter q);

#endif							/* ISSUELIST_QUARTER_H */
