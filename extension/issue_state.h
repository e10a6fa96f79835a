/*
 * issue_state.h
 *		The issuelist.issue_state type: where an issue stands in the closed
 *		loop.  Which transitions the loop allows is issue_state.c's.
 *
 * A pass-by-value int2 numbered in the order of the loop; the numbers are
 * fixed (they are stored on disk and sent in binary).
 */
#ifndef ISSUE_STATE_H
#define ISSUE_STATE_H

#include "postgres.h"
#include "fmgr.h"

typedef int16 IssueState;

#define ISSUE_STATE_REGISTERED	1	/* 已登记 */
#define ISSUE_STATE_ASSIGNED	2	/* 已交办 */
#define ISSUE_STATE_RECTIFYING	3	/* 整改中 */
#define ISSUE_STATE_CONTINUING	4	/* 持续整改: an approved long-term plan */
#define ISSUE_STATE_RECTIFIED	5	/* 已整改待验收: submitted for acceptance */
#define ISSUE_STATE_CLOSED		6	/* 已销号: verified and struck off */
#define ISSUE_STATE_REOPENED	7	/* 反弹: the problem came back */
#define ISSUE_STATE_WITHDRAWN	8	/* 已撤销: not substantiated, or a duplicate */
#define ISSUE_STATE_COUNT		8	/* values are 1 .. ISSUE_STATE_COUNT */

#define DatumGetIssueState(X)	((IssueState) DatumGetInt16(X))
#define IssueStateGetDatum(X)	Int16GetDatum(X)
#define PG_GETARG_ISSUE_STATE(n)	DatumGetIssueState(PG_GETARG_DATUM(n))
#define PG_RETURN_ISSUE_STATE(x)	return IssueStateGetDatum(x)

/*
 * Is an issue in this state still open?  Closed and withdrawn are not: the
 * one rule for is_open() and for the tally, which leaves out issues closed
 * or withdrawn before its quarter.
 */
static inline bool
issue_state_is_open(IssueState s)
{
	return s != ISSUE_STATE_CLOSED && s != ISSUE_STATE_WITHDRAWN;
}

#endif							/* ISSUE_STATE_H */
