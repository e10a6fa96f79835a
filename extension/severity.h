/*
 * severity.h
 *		The issuelist.severity type: the four-level grading of an issue,
 *		general < serious < major < critical (IV, III, II, I).
 *
 * A pass-by-value int2; the numbers are fixed (they are stored on disk and
 * sent in binary) and their order is the order of the type.
 */
#ifndef SEVERITY_H
#define SEVERITY_H

#include "postgres.h"
#include "fmgr.h"

typedef int16 Severity;

#define SEVERITY_GENERAL	1	/* 一般, IV */
#define SEVERITY_SERIOUS	2	/* 较大, III */
#define SEVERITY_MAJOR		3	/* 重大, II */
#define SEVERITY_CRITICAL	4	/* 特别重大, I */
#define SEVERITY_COUNT		4	/* values are 1 .. SEVERITY_COUNT */

#define DatumGetSeverity(X)		((Severity) DatumGetInt16(X))
#define SeverityGetDatum(X)		Int16GetDatum(X)
#define PG_GETARG_SEVERITY(n)	DatumGetSeverity(PG_GETARG_DATUM(n))
#define PG_RETURN_SEVERITY(x)	return SeverityGetDatum(x)

/*
 * The canonical English names, indexed by value ([0] is NULL): the text
 * output of the type, and the severity of a tally's cells in its text and
 * json forms and in the arithmetic of explain_score.
 */
extern const char *const severity_names[SEVERITY_COUNT + 1];

#endif							/* SEVERITY_H */
