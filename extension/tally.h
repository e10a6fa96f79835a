/*
 * tally.h
 *		The type issuelist.tally: a mergeable summary of a set of issues for
 *		one quarter and one as-of day.
 *
 * A tally holds, per cell (list position x severity x origin), the counts
 * and sums from which the deduction score of every model follows exactly
 * (see docs/tally.md).  Cells are kept sorted by key and only non-empty
 * cells are stored, so a county's tally stays small; while an aggregate
 * runs, its state holds every possible cell ("dense") so that a row is
 * added by indexing, and the final function drops the empty ones again.
 */
#ifndef ISSUELIST_TALLY_H
#define ISSUELIST_TALLY_H

#include "postgres.h"
#include "fmgr.h"
#include "quarter.h"
#include "severity.h"
#include "utils/date.h"

/* Bumped whenever the layout below changes; recv refuses other versions. */
#define TALLY_VERSION		1

#define TALLY_NLISTS		16	/* list positions 1..16 */
#define TALLY_NSEVERITIES	SEVERITY_COUNT	/* general .. critical */
#define TALLY_NORIGINS		3	/* self, external, concealed */
#define TALLY_NKEYS			(TALLY_NLISTS * TALLY_NSEVERITIES * TALLY_NORIGINS)

/* Overdue months count at most this many periods, min(12, m) (docs/scoring.md). */
#define TALLY_OVERDUE_CAP	12

/*
 * The counters of a cell.  The first ten are the buckets of the deduction
 * model and their reopen-weighted sums; the rest are for reports.  The
 * buckets open_in_time, overdue, closed_on_time, closed_late, tolerated and
 * withdrawn are disjoint: every issue in scope is in exactly one.
 */
typedef enum TallyCounter
{
	TC_OPEN_IN_TIME,			/* open, not overdue, not tolerated */
	TC_OPEN_IN_TIME_REOPENS,	/* Σ reopen_count over those */
	TC_OVERDUE,					/* open and overdue, not tolerated */
	TC_OVERDUE_MONTHS,			/* Σ min(12, overdue months) */
	TC_OVERDUE_REOPENS,			/* Σ reopen_count */
	TC_OVERDUE_REOPEN_MONTHS,	/* Σ reopen_count * min(12, months) */
	TC_CLOSED_ON_TIME,			/* closed within the quarter, by due day */
	TC_CLOSED_ON_TIME_REOPENS,
	TC_CLOSED_LATE,				/* closed within the quarter, after it */
	TC_CLOSED_LATE_REOPENS,
	TC_TOLERATED,				/* tolerated at the as-of day (f = 0) */
	TC_TOLERATED_OPEN,			/* of those, still open */
	TC_WITHDRAWN,				/* withdrawn (f = 0) */
	TC_NEW,						/* found within the quarter */
	TC_DAYS_TO_CLOSE,			/* Σ (closed_on - found_on), closed buckets */
	TC_REOPENED,				/* issues reopened at least once */
	TALLY_NCOUNTERS
} TallyCounter;

/* One cell: its key and its counters. */
typedef struct TallyCell
{
	uint8		list;			/* 1..16 */
	uint8		severity;		/* 1..4 */
	uint8		origin;			/* 1..3 */
	uint8		pad[5];
	int64		counts[TALLY_NCOUNTERS];
} TallyCell;

/* The varlena: header, then ncells cells sorted by key, unique. */
typedef struct Tally
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* TALLY_VERSION */
	uint8		flags;			/* reserved, 0 */
	uint16		ncells;
	Quarter		quarter;
	DateADT		as_of;
	TallyCell	cells[FLEXIBLE_ARRAY_MEMBER];
} Tally;

#define TALLY_SIZE(n)		(offsetof(Tally, cells) + sizeof(TallyCell) * (n))

#define DatumGetTallyP(X)	((Tally *) PG_DETOAST_DATUM(X))
#define PG_GETARG_TALLY_P(n) DatumGetTallyP(PG_GETARG_DATUM(n))
#define PG_RETURN_TALLY_P(x) PG_RETURN_POINTER(x)

/* The key of a cell, 0..TALLY_NKEYS-1, in the sort order of cells. */
static inline int
tally_key(int list, int severity, int origin)
{
	return ((list - 1) * TALLY_NSEVERITIES + (severity - 1)) * TALLY_NORIGINS
		+ (origin - 1);
}

/* The key of a stored cell. */
static inline int
tally_cell_key(const TallyCell *cell)
{
	return tally_key(cell->list, cell->severity, cell->origin);
}

/*
 * The origins' names, used by the text form, tally_json, the accessors and
 * explain_score (a cell's severity is named by severity_names).
 */
extern const char *const tally_origin_names[TALLY_NORIGINS];

#endif							/* ISSUELIST_TALLY_H */
