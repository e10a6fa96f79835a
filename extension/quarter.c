/*
 * quarter.c
 *		The type issuelist.quarter: I/O, dates, arithmetic, series and the
 *		btree and hash support.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "parser/scansup.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/sortsupport.h"

#include "issuelist.h"
#include "quarter.h"

#define QUARTER_ACCEPTED \
	"A quarter is a year from 1 to 9999 and a quarter number from 1 to 4, " \
	"written 2021Q1, 2021q1, 2021-Q1 or 2021 Q1."

#define QUARTER_RANGE_DETAIL "Quarters run from 0001Q1 to 9999Q4."

/* Whether a character is an ASCII digit, whatever the locale. */
static inline bool
quarter_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* Read a quarter at *cursor (see quarter.h); false when there is none. */
bool
quarter_scan(const char **cursor, int *year, int *number)
{
	const char *p = *cursor;
	int			y = 0;

	if (!quarter_isdigit(*p))
		return false;
	for (; quarter_isdigit(*p); p++)
	{
		/* Stop accumulating past 9999, so no number of digits can overflow. */
		if (y <= QUARTER_MAX_YEAR)
			y = y * 10 + (*p - '0');
	}
	if (*p == '-' || *p == ' ')
		p++;
	if (*p != 'Q' && *p != 'q')
		return false;
	p++;
	if (*p < '1' || *p > '4')
		return false;
	*year = y;
	*number = *p++ - '0';
	*cursor = p;
	return true;
}

/* The quarter of a scanned year and number: 22003 outside years 1..9999. */
Quarter
quarter_from_parts(int year, int number, const char *text)
{
	if (year < QUARTER_MIN_YEAR || year > QUARTER_MAX_YEAR)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quarter out of range: \"%s\"", text),
				 errdetail("Years run from %d to %d.",
						   QUARTER_MIN_YEAR, QUARTER_MAX_YEAR)));
	return QuarterMake(year, number);
}

/* The canonical spelling, 2021Q1. */
char *
quarter_to_cstring(Quarter q)
{
	return psprintf("%04dQ%d", QuarterYear(q), QuarterNumber(q));
}

/*
 * Parse the text form of a quarter: a quarter with blanks around it.
 * Syntax errors are 22P02; a well-formed year outside 1..9999 is 22003.
 */
static Quarter
quarter_parse(const char *str)
{
	const char *p = str;
	int			year;
	int			number;

	while (scanner_isspace(*p))
		p++;
	if (!quarter_scan(&p, &year, &number))
		issuelist_bad_input("quarter", str, QUARTER_ACCEPTED);
	while (scanner_isspace(*p))
		p++;
	if (*p != '\0')
		issuelist_bad_input("quarter", str, QUARTER_ACCEPTED);
	return quarter_from_parts(year, number, str);
}

/*
 * The quarter n quarters after q (n may be negative), or 22003 outside
 * 0001Q1 .. 9999Q4.  In int64 the sum of two int4 values cannot overflow.
 */
static inline Quarter
quarter_shift(Quarter q, int64 n)
{
	int64		result = (int64) q + n;

	if (!QuarterIsValid(result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quarter out of range"),
				 errdetail(QUARTER_RANGE_DETAIL)));
	return (Quarter) result;
}

/* The text of a date, for error messages. */
static inline char *
quarter_date_text(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

/* First day of a valid quarter. */
DateADT
quarter_first_day(Quarter q)
{
	return date2j(QuarterYear(q), (QuarterNumber(q) - 1) * 3 + 1, 1)
		- POSTGRES_EPOCH_JDATE;
}

/* Last day of a valid quarter: the day before the next quarter begins. */
DateADT
quarter_last_day(Quarter q)
{
	/* For 9999Q4 this asks for 10000-01-01, which date2j computes fine. */
	return quarter_first_day(q + 1) - 1;
}

/* The quarter containing a date, or 22003 when it has none. */
static Quarter
quarter_of_date(DateADT d)
{
	int			year,
				month,
				day;

	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quarter out of range: date \"%s\" is infinite",
						quarter_date_text(d))));
	j2date(d + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	/* j2date counts 1 BC as year 0, so BC dates fail the lower bound too. */
	if (year < QUARTER_MIN_YEAR || year > QUARTER_MAX_YEAR)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quarter out of range: date \"%s\" is outside years %d to %d",
						quarter_date_text(d), QUARTER_MIN_YEAR, QUARTER_MAX_YEAR)));
	return QuarterMake(year, (month - 1) / 3 + 1);
}

/* Whether a quarter contains a date; infinite dates are in none. */
static inline bool
quarter_contains(Quarter q, DateADT d)
{
	return !DATE_NOT_FINITE(d) &&
		d >= quarter_first_day(q) && d <= quarter_last_day(q);
}

/* Text input. */
PG_FUNCTION_INFO_V1(quarter_in);
Datum
quarter_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(quarter_parse(PG_GETARG_CSTRING(0)));
}

/* Text output, in the one canonical spelling 2021Q1. */
PG_FUNCTION_INFO_V1(quarter_out);
Datum
quarter_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(quarter_to_cstring(PG_GETARG_QUARTER(0)));
}

/* Binary input: the int4 representation, checked like text input. */
PG_FUNCTION_INFO_V1(quarter_recv);
Datum
quarter_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		value = (int32) pq_getmsgint(buf, 4);

	if (!QuarterIsValid(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quarter out of range: binary value %d", value),
				 errdetail(QUARTER_RANGE_DETAIL)));
	PG_RETURN_QUARTER(value);
}

/* Binary output: the int4 representation in network byte order. */
PG_FUNCTION_INFO_V1(quarter_send);
Datum
quarter_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, PG_GETARG_QUARTER(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* quarter(date): the quarter containing a date. */
PG_FUNCTION_INFO_V1(quarter_from_date);
Datum
quarter_from_date(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(quarter_of_date(PG_GETARG_DATEADT(0)));
}

/* lower(quarter): the first day. */
PG_FUNCTION_INFO_V1(quarter_lower);
Datum
quarter_lower(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(quarter_first_day(PG_GETARG_QUARTER(0)));
}

/* upper(quarter): the last day. */
PG_FUNCTION_INFO_V1(quarter_upper);
Datum
quarter_upper(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(quarter_last_day(PG_GETARG_QUARTER(0)));
}

/* year(quarter). */
PG_FUNCTION_INFO_V1(quarter_year);
Datum
quarter_year(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(QuarterYear(PG_GETARG_QUARTER(0)));
}

/* quarter_number(quarter): 1 .. 4. */
PG_FUNCTION_INFO_V1(quarter_number);
Datum
quarter_number(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(QuarterNumber(PG_GETARG_QUARTER(0)));
}

/* quarter + int: n quarters later. */
PG_FUNCTION_INFO_V1(quarter_pl_int);
Datum
quarter_pl_int(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(quarter_shift(PG_GETARG_QUARTER(0), PG_GETARG_INT32(1)));
}

/* int + quarter: n quarters later. */
PG_FUNCTION_INFO_V1(int_pl_quarter);
Datum
int_pl_quarter(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(quarter_shift(PG_GETARG_QUARTER(1), PG_GETARG_INT32(0)));
}

/* quarter - int: n quarters earlier. */
PG_FUNCTION_INFO_V1(quarter_mi_int);
Datum
quarter_mi_int(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(quarter_shift(PG_GETARG_QUARTER(0),
									-(int64) PG_GETARG_INT32(1)));
}

/* quarter - quarter: the number of quarters from the second to the first. */
PG_FUNCTION_INFO_V1(quarter_mi_quarter);
Datum
quarter_mi_quarter(PG_FUNCTION_ARGS)
{
	/* Both lie in 4 .. 39999, so the difference cannot overflow. */
	PG_RETURN_INT32(PG_GETARG_QUARTER(0) - PG_GETARG_QUARTER(1));
}

/* quarter @> date. */
PG_FUNCTION_INFO_V1(quarter_contains_date);
Datum
quarter_contains_date(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(quarter_contains(PG_GETARG_QUARTER(0), PG_GETARG_DATEADT(1)));
}

/* date <@ quarter. */
PG_FUNCTION_INFO_V1(date_contained_by_quarter);
Datum
date_contained_by_quarter(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(quarter_contains(PG_GETARG_QUARTER(1), PG_GETARG_DATEADT(0)));
}

/* quarters(from, to): every quarter from one to the other, inclusive. */
PG_FUNCTION_INFO_V1(quarter_series);
Datum
quarter_series(PG_FUNCTION_ARGS)
{
	/* The arguments are passed again on every call, so no state is kept. */
	Quarter		from = PG_GETARG_QUARTER(0);
	FuncCallContext *funcctx;

	if (SRF_IS_FIRSTCALL())
	{
		Quarter		to = PG_GETARG_QUARTER(1);

		funcctx = SRF_FIRSTCALL_INIT();
		funcctx->max_calls = to >= from ? (uint64) (to - from) + 1 : 0;
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		/* Computed first: SRF_RETURN_NEXT advances call_cntr before use. */
		Quarter		next = from + (int32) funcctx->call_cntr;

		SRF_RETURN_NEXT(funcctx, QuarterGetDatum(next));
	}
	SRF_RETURN_DONE(funcctx);
}

/* Planner support for quarters(): the exact row count for constant bounds. */
PG_FUNCTION_INFO_V1(quarter_series_support);
Datum
quarter_series_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestRows *req;
	List	   *args;
	Node	   *from;
	Node	   *to;

	if (!IsA(rawreq, SupportRequestRows))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestRows *) rawreq;
	if (!is_funcclause(req->node))
		PG_RETURN_POINTER(NULL);
	args = ((FuncExpr *) req->node)->args;
	from = estimate_expression_value(req->root, linitial(args));
	to = estimate_expression_value(req->root, lsecond(args));
	if (!IsA(from, Const) || !IsA(to, Const))
		PG_RETURN_POINTER(NULL);
	if (((Const *) from)->constisnull || ((Const *) to)->constisnull)
		req->rows = 0;			/* strict: no rows */
	else
	{
		int32		span = DatumGetQuarter(((Const *) to)->constvalue) -
			DatumGetQuarter(((Const *) from)->constvalue);

		req->rows = span >= 0 ? span + 1 : 0;
	}
	PG_RETURN_POINTER(req);
}

/* btree comparison: -1, 0 or 1. */
PG_FUNCTION_INFO_V1(quarter_cmp);
Datum
quarter_cmp(PG_FUNCTION_ARGS)
{
	Quarter		a = PG_GETARG_QUARTER(0);
	Quarter		b = PG_GETARG_QUARTER(1);

	PG_RETURN_INT32((a > b) - (a < b));
}

/* btree sort support: compare the int4 representation directly. */
PG_FUNCTION_INFO_V1(quarter_sortsupport);
Datum
quarter_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = ssup_datum_int32_cmp;
	PG_RETURN_VOID();
}

/*
 * btree in_range support: whether val lies within offset quarters of base,
 * for window frames such as RANGE 3 PRECEDING over a quarter column.
 */
PG_FUNCTION_INFO_V1(quarter_in_range);
Datum
quarter_in_range(PG_FUNCTION_ARGS)
{
	Quarter		val = PG_GETARG_QUARTER(0);
	Quarter		base = PG_GETARG_QUARTER(1);
	int32		offset = PG_GETARG_INT32(2);
	bool		sub = PG_GETARG_BOOL(3);
	bool		less = PG_GETARG_BOOL(4);
	int64		bound;

	if (offset < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PRECEDING_OR_FOLLOWING_SIZE),
				 errmsg("invalid preceding or following size in window function")));
	/* In int64 the bound cannot overflow, even past 9999Q4. */
	bound = sub ? (int64) base - offset : (int64) base + offset;
	PG_RETURN_BOOL(less ? val <= bound : val >= bound);
}

/* The six comparison operators. */
#define QUARTER_COMPARISON(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_QUARTER(0) op PG_GETARG_QUARTER(1)); \
}

QUARTER_COMPARISON(quarter_lt, <)
QUARTER_COMPARISON(quarter_le, <=)
QUARTER_COMPARISON(quarter_eq, ==)
QUARTER_COMPARISON(quarter_ne, !=)
QUARTER_COMPARISON(quarter_ge, >=)
QUARTER_COMPARISON(quarter_gt, >)

/* The earlier of two quarters: the state function of min(quarter). */
PG_FUNCTION_INFO_V1(quarter_smaller);
Datum
quarter_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(Min(PG_GETARG_QUARTER(0), PG_GETARG_QUARTER(1)));
}

/* The later of two quarters: the state function of max(quarter). */
PG_FUNCTION_INFO_V1(quarter_larger);
Datum
quarter_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(Max(PG_GETARG_QUARTER(0), PG_GETARG_QUARTER(1)));
}

/* Hash support 1: a 32-bit hash of the representation. */
PG_FUNCTION_INFO_V1(quarter_hash);
Datum
quarter_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_QUARTER(0));
}

/* Hash support 2: the seeded 64-bit hash (hash partitioning needs it). */
PG_FUNCTION_INFO_V1(quarter_hash_extended);
Datum
quarter_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_QUARTER(0),
								PG_GETARG_INT64(1));
}
