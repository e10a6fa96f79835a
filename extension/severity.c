/*
 * severity.c
 *		The issuelist.severity type: text and binary I/O, the int constructor
 *		and rank, the Chinese label.  Comparison and hashing are the int2
 *		ones, bound in extension/sql/10_severity.sql.
 */
#include "postgres.h"

#include "fmgr.h"
#include "severity.h"
#include "smallenum.h"
#include "utils/builtins.h"

const char *const severity_names[SEVERITY_COUNT + 1] = {
	NULL, "general", "serious", "major", "critical"
};

static const char *const severity_labels_zh[SEVERITY_COUNT + 1] = {
	NULL, "一般", "较大", "重大", "特别重大"
};

/* Every accepted spelling: the names, the roman grades, the Chinese words. */
static const SmallEnumWord severity_words[] = {
	{"general", SEVERITY_GENERAL},
	{"serious", SEVERITY_SERIOUS},
	{"major", SEVERITY_MAJOR},
	{"critical", SEVERITY_CRITICAL},
	/* the grades count down: grade I is the gravest */
	{"IV", SEVERITY_GENERAL},
	{"III", SEVERITY_SERIOUS},
	{"II", SEVERITY_MAJOR},
	{"I", SEVERITY_CRITICAL},
	{"一般", SEVERITY_GENERAL},
	{"较大", SEVERITY_SERIOUS},
	{"重大", SEVERITY_MAJOR},
	{"特别重大", SEVERITY_CRITICAL},
};

static const SmallEnumType severity_type = {
	.typname = "severity",
	.max = SEVERITY_COUNT,
	.names = severity_names,
	.labels_zh = severity_labels_zh,
	.words = severity_words,
	.nwords = lengthof(severity_words),
	.text_hint = "A severity is general, serious, major or critical; "
	"the grades IV, III, II or I (I is critical)",
	.text_hint_zh = "一般, 较大, 重大 or 特别重大",
	.range_hint = "A severity is a number from 1 (general) to 4 (critical).",
};

PG_FUNCTION_INFO_V1(severity_in);
/* Text input: a name, a roman grade or a Chinese word, any case, trimmed. */
Datum
severity_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEVERITY(smallenum_parse(&severity_type, PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(severity_out);
/* Text output: the English name, the one canonical spelling. */
Datum
severity_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(smallenum_name(&severity_type,
											 PG_GETARG_SEVERITY(0))));
}

PG_FUNCTION_INFO_V1(severity_recv);
/* Binary input: an int2 from 1 to 4, checked like the text. */
Datum
severity_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_SEVERITY(smallenum_recv(&severity_type, buf));
}

PG_FUNCTION_INFO_V1(severity_send);
/* Binary output: the int2. */
Datum
severity_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(smallenum_send(PG_GETARG_SEVERITY(0)));
}

PG_FUNCTION_INFO_V1(severity_from_int);
/* severity(int): 1 general .. 4 critical. */
Datum
severity_from_int(PG_FUNCTION_ARGS)
{
	PG_RETURN_SEVERITY(smallenum_check(&severity_type, PG_GETARG_INT32(0)));
}

PG_FUNCTION_INFO_V1(severity_rank);
/* severity_rank(severity): 1 general .. 4 critical, the inverse of severity(int). */
Datum
severity_rank(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) PG_GETARG_SEVERITY(0));
}

PG_FUNCTION_INFO_V1(severity_label_zh);
/* label_zh(severity): 一般, 较大, 重大 or 特别重大. */
Datum
severity_label_zh(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(smallenum_label_zh(&severity_type, PG_GETARG_SEVERITY(0)));
}
