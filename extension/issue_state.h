/*
 * issue_state.h
 *		The issuelist.issue_state type: where an issue stands in the closed
 *		loop, and which transitions the loop allows.
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

#define ISSUE_STATE_BIT(s)		(1 << (s))

/*
 * Does the loop allow going from one state to the other?  The closed loop
 * of docs/issue_state.md: for each state, the set of states it may go
 * to.  No other transition exists, and no state goes to itself.
 */
static inline bool
issue_state_allows(IssueState from, IssueState to)
{
	static const uint16 next[ISSUE_STATE_COUNT + 1] = {
		[ISSUE_STATE_REGISTERED] = ISSUE_STATE_BIT(ISSUE_STATE_ASSIGNED) |
		ISSUE_STATE_BIT(ISSUE_STATE_WITHDRAWN),
		[ISSUE_STATE_ASSIGNED] = ISSUE_STATE_BIT(ISSUE_STATE_RECTIFYING) |
		ISSUE_STATE_BIT(ISSUE_STATE_WITHDRAWN),
		[ISSUE_STATE_RECTIFYING] = ISSUE_STATE_BIT(ISSUE_STATE_RECTIFIED) |
		ISSUE_STATE_BIT(ISSUE_STATE_CONTINUING),
		[ISSUE_STATE_CONTINUING] = ISSUE_STATE_BIT(ISSUE_STATE_RECTIFYING) |
		ISSUE_STATE_BIT(ISSUE_STATE_RECTIFIED),
		[ISSUE_STATE_RECTIFIED] = ISSUE_STATE_BIT(ISSUE_STATE_CLOSED) |
		ISSUE_STATE_BIT(ISSUE_STATE_RECTIFYING),
		[ISSUE_STATE_CLOSED] = ISSUE_STATE_BIT(ISSUE_STATE_REOPENED),
		[ISSUE_STATE_REOPENED] = ISSUE_STATE_BIT(ISSUE_STATE_RECTIFYING),
		[ISSUE_STATE_WITHDRAWN] = 0,
	};

	if (from < 1 || from > ISSUE_STATE_COUNT || to < 1 || to > ISSUE_STATE_COUNT)
		return false;
	return (next[from] & ISSUE_STATE_BIT(to)) != 0;
}

/* Is an issue in this state still open?  Closed and withdrawn are not. */
static inline bool
issue_state_is_open(IssueState s)
{
	return s != ISSUE_STATE_CLOSED && s != ISSUE_STATE_WITHDRAWN;
}

/* The canonical English name ("registered" .. "withdrawn"); errors if invalid. */
extern const char *issue_state_name(IssueState s);

#endif							/* ISSUE_STATE_H */
