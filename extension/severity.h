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

/* The canonical English name ("general" .. "critical"); errors if invalid. */
extern const char *severity_name(Severity s);

#endif							/* SEVERITY_H */
