/*
 * issue_state.c
 *		The issuelist.issue_state type: text and binary I/O, the closed loop
 *		(is_open, can_advance), the rank and the Chinese label.  Comparison
 *		and hashing are the int2 ones, bound in extension/sql/11_issue_state.sql.
 */
#include "postgres.h"

#include "fmgr.h"
#include "issue_state.h"
#include "smallenum.h"
#include "utils/builtins.h"

#define ISSUE_STATE_BIT(s)		(1 << (s))

/*
 * Does the loop allow going from one state to the other?  The closed loop
 * of docs/issue_state.md: for each state, the set of states it may go
 * to.  No other transition exists, and no state goes to itself.
 */
static bool
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

static const char *const issue_state_names[ISSUE_STATE_COUNT + 1] = {
	NULL, "registered", "assigned", "rectifying", "continuing",
	"rectified", "closed", "reopened", "withdrawn"
};

static const char *const issue_state_labels_zh[ISSUE_STATE_COUNT + 1] = {
	NULL, "已登记", "已交办", "整改中", "持续整改",
	"已整改待验收", "已销号", "反弹", "已撤销"
};

/* The accepted spellings are the names themselves (in any case). */
static const SmallEnumWord issue_state_words[] = {
	{"registered", ISSUE_STATE_REGISTERED},
	{"assigned", ISSUE_STATE_ASSIGNED},
	{"rectifying", ISSUE_STATE_RECTIFYING},
	{"continuing", ISSUE_STATE_CONTINUING},
	{"rectified", ISSUE_STATE_RECTIFIED},
	{"closed", ISSUE_STATE_CLOSED},
	{"reopened", ISSUE_STATE_REOPENED},
	{"withdrawn", ISSUE_STATE_WITHDRAWN},
};

static const SmallEnumType issue_state_type = {
	.typname = "issue_state",
	.max = ISSUE_STATE_COUNT,
	.names = issue_state_names,
	.labels_zh = issue_state_labels_zh,
	.words = issue_state_words,
	.nwords = lengthof(issue_state_words),
	.text_hint = "An issue_state is registered, assigned, rectifying, "
	"continuing, rectified, closed, reopened or withdrawn",
	.range_hint = "An issue_state is a number from 1 (registered) to 8 (withdrawn).",
};

PG_FUNCTION_INFO_V1(issue_state_in);
/* Text input: a state's name, any case, trimmed. */
Datum
issue_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_ISSUE_STATE(smallenum_parse(&issue_state_type, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(issue_state_out);
/* Text output: the name in lower case, the one canonical spelling. */
Datum
issue_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(smallenum_name(&issue_state_type,
											 PG_GETARG_ISSUE_STATE(0))));
}

PG_FUNCTION_INFO_V1(issue_state_recv);
/* Binary input: an int2 from 1 to 8, checked like the text. */
Datum
issue_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_ISSUE_STATE(smallenum_recv(&issue_state_type, buf));
}

PG_FUNCTION_INFO_V1(issue_state_send);
/* Binary output: the int2. */
Datum
issue_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smallenum_send(PG_GETARG_ISSUE_STATE(0)));
}

PG_FUNCTION_INFO_V1(issue_state_is_open_fn);
/* is_open(issue_state): false for closed and withdrawn only. */
Datum
issue_state_is_open_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(issue_state_is_open(PG_GETARG_ISSUE_STATE(0)));
}

PG_FUNCTION_INFO_V1(issue_state_can_advance);
/* can_advance(from, to): does the closed loop allow this transition? */
Datum
issue_state_can_advance(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(issue_state_allows(PG_GETARG_ISSUE_STATE(0),
									  PG_GETARG_ISSUE_STATE(1)));
}

PG_FUNCTION_INFO_V1(issue_state_rank);
/* issue_state_rank(issue_state): the position in the loop, 1 .. 8. */
Datum
issue_state_rank(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) PG_GETARG_ISSUE_STATE(0));
}

PG_FUNCTION_INFO_V1(issue_state_label_zh);
/* label_zh(issue_state): 已登记 .. 已撤销. */
Datum
issue_state_label_zh(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(smallenum_label_zh(&issue_state_type,
										PG_GETARG_ISSUE_STATE(0)));
}
