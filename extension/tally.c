/*
 * tally.c
 *		The type issuelist.tally: text and binary I/O, tally_json, merging,
 *		the tally(...) and sum(tally) aggregates and the accessors.
 *
 * Text form (canonical: one spelling per value, so dump and restore are
 * exact):
 *
 *		2021Q1@2021-03-31{1:critical:external overdue=1 overdue_months=3; 3:general:self open_in_time=2 new=2}
 *
 * the quarter, the as-of day (ISO, whatever DateStyle says), then the cells
 * in key order, each "list position:severity:origin" followed by its
 * non-zero counters in counter order.  Input also takes counters in any
 * order and cells in any order (they are sorted); empty cells are dropped.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "parser/scansup.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"

#include "argcheck.h"
#include "issue_state.h"
#include "issuelist.h"
#include "tally.h"

static const char *const tally_counter_names[TALLY_NCOUNTERS] = {
	"open_in_time", "open_in_time_reopens",
	"overdue", "overdue_months", "overdue_reopens", "overdue_reopen_months",
	"closed_on_time", "closed_on_time_reopens",
	"closed_late", "closed_late_reopens",
	"tolerated", "tolerated_open", "withdrawn", "new", "days_to_close",
	"reopened"
};
const char *const tally_origin_names[TALLY_NORIGINS] = {
	"self", "external", "concealed"
};

#define TALLY_HINT "A tally looks like 2021Q1@2021-03-31{1:critical:external overdue=1 overdue_months=3}; see tally_json() for the fields."

PG_FUNCTION_INFO_V1(tally_in);
PG_FUNCTION_INFO_V1(tally_out);
PG_FUNCTION_INFO_V1(tally_recv);
PG_FUNCTION_INFO_V1(tally_send);
PG_FUNCTION_INFO_V1(tally_json);
PG_FUNCTION_INFO_V1(tally_merge);
PG_FUNCTION_INFO_V1(tally_transfn);
PG_FUNCTION_INFO_V1(tally_combine);
PG_FUNCTION_INFO_V1(tally_finalfn);
PG_FUNCTION_INFO_V1(tally_empty);
PG_FUNCTION_INFO_V1(tally_quarter);
PG_FUNCTION_INFO_V1(tally_as_of);
PG_FUNCTION_INFO_V1(tally_count);
PG_FUNCTION_INFO_V1(tally_cells);

/* ---------- building blocks ---------- */

/* A new tally with room for n cells, zeroed, in the current context. */
static Tally *
tally_alloc(int n, Quarter q, DateADT as_of)
{
	Size		size = TALLY_SIZE(n);
	Tally	   *t = (Tally *) palloc0(size);

	SET_VARSIZE(t, size);
	t->version = TALLY_VERSION;
	t->ncells = n;
	t->quarter = q;
	t->as_of = as_of;
	return t;
}

/* A dense tally: every possible cell, in key order, all counters zero. */
static Tally *
tally_alloc_dense(Quarter q, DateADT as_of)
{
	Tally	   *t = tally_alloc(TALLY_NKEYS, q, as_of);
	int			l,
				s,
				o;

	for (l = 1; l <= TALLY_NLISTS; l++)
		for (s = 1; s <= TALLY_NSEVERITIES; s++)
			for (o = 1; o <= TALLY_NORIGINS; o++)
			{
				TallyCell  *c = &t->cells[tally_key(l, s, o)];

				c->list = l;
				c->severity = s;
				c->origin = o;
			}
	return t;
}

/* Whether every counter of a cell is zero. */
static inline bool
cell_is_empty(const TallyCell *c)
{
	int			i;

	for (i = 0; i < TALLY_NCOUNTERS; i++)
		if (c->counts[i] != 0)
			return false;
	return true;
}

/* Add one counter with overflow checking (SQLSTATE 22003). */
static inline void
counter_add(int64 *into, int64 value)
{
	if (unlikely(pg_add_s64_overflow(*into, value, into)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("tally counter out of range")));
}

/* Add every counter of one cell into another. */
static inline void
cell_add(TallyCell *into, const TallyCell *from)
{
	int			i;

	for (i = 0; i < TALLY_NCOUNTERS; i++)
		counter_add(&into->counts[i], from->counts[i]);
}

/* The canonical ISO spelling of a finite date, independent of DateStyle. */
static void
append_iso_date(StringInfo buf, DateADT d)
{
	int			y,
				m,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	appendStringInfo(buf, "%04d-%02d-%02d", y, m, day);
}

/* The period of a tally as its text form begins: 2021Q1@2021-03-31. */
static void
append_period(StringInfo buf, const Tally *t)
{
	appendStringInfoString(buf, quarter_to_cstring(t->quarter));
	appendStringInfoChar(buf, '@');
	append_iso_date(buf, t->as_of);
}

/* Refuse two tallies that do not describe the same quarter and as-of day. */
static void
check_same_period(const Tally *a, const Tally *b)
{
	StringInfoData sa,
				sb;

	if (a->quarter == b->quarter && a->as_of == b->as_of)
		return;
	initStringInfo(&sa);
	initStringInfo(&sb);
	append_period(&sa, a);
	append_period(&sb, b);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot merge tallies of different periods: %s and %s",
					sa.data, sb.data),
			 errhint("Only tallies of the same quarter and as-of day add up.")));
}

/* Whether a sum of capped months fits its count: months <= 12 * count. */
static inline bool
months_fit(int64 months, int64 count)
{
	return months / TALLY_OVERDUE_CAP + (months % TALLY_OVERDUE_CAP != 0) <= count;
}

/*
 * Check the header and every cell of a tally built from outside (text or
 * binary input): what the aggregate and merge functions rely on.  Returns
 * NULL when valid, else what is wrong.
 */
static const char *
tally_problem(const Tally *t)
{
	int			i,
				j;

	if (!QuarterIsValid(t->quarter))
		return "quarter out of range";
	if (t->as_of < quarter_first_day(t->quarter) ||
		t->as_of > quarter_last_day(t->quarter))
		return "as-of day outside the quarter";
	for (i = 0; i < t->ncells; i++)
	{
		const TallyCell *c = &t->cells[i];
		const int64 *n = c->counts;

		if (c->list < 1 || c->list > TALLY_NLISTS ||
			c->severity < 1 || c->severity > TALLY_NSEVERITIES ||
			c->origin < 1 || c->origin > TALLY_NORIGINS)
			return "cell key out of range";
		if (i > 0 && tally_cell_key(&t->cells[i - 1]) >= tally_cell_key(c))
			return "cells not sorted or not unique";
		for (j = 0; j < TALLY_NCOUNTERS; j++)
			if (n[j] < 0)
				return "negative counter";
		if (!months_fit(n[TC_OVERDUE_MONTHS], n[TC_OVERDUE]) ||
			!months_fit(n[TC_OVERDUE_REOPEN_MONTHS], n[TC_OVERDUE_REOPENS]) ||
			n[TC_TOLERATED_OPEN] > n[TC_TOLERATED])
			return "inconsistent counters";
	}
	return NULL;
}

/* The same tally without its empty cells (a new palloc'd value). */
static Tally *
tally_compact(const Tally *t)
{
	int			i,
				n = 0;
	Tally	   *r;

	for (i = 0; i < t->ncells; i++)
		if (!cell_is_empty(&t->cells[i]))
			n++;
	r = tally_alloc(n, t->quarter, t->as_of);
	n = 0;
	for (i = 0; i < t->ncells; i++)
		if (!cell_is_empty(&t->cells[i]))
			r->cells[n++] = t->cells[i];
	return r;
}

/* Add every cell of a tally into a dense one of the same period. */
static void
tally_add_into_dense(Tally *dense, const Tally *t)
{
	int			i;

	check_same_period(dense, t);
	for (i = 0; i < t->ncells; i++)
		cell_add(&dense->cells[tally_cell_key(&t->cells[i])], &t->cells[i]);
}

/* A dense copy of any tally, in the current memory context. */
static Tally *
tally_densify(const Tally *t)
{
	Tally	   *d = tally_alloc_dense(t->quarter, t->as_of);

	tally_add_into_dense(d, t);
	return d;
}

/* ---------- text input ---------- */

typedef struct TallyParser
{
	const char *input;			/* whole string, for messages */
	const char *p;				/* cursor */
} TallyParser;

/* Give up on text input: 22P02 quoting the input. */
static pg_attribute_noreturn() void
parse_fail(TallyParser *ps)
{
	issuelist_bad_input("tally", ps->input, TALLY_HINT);
	pg_unreachable();
}

/* Skip blanks. */
static inline void
skip_spaces(TallyParser *ps)
{
	while (scanner_isspace(*ps->p))
		ps->p++;
}

/* Consume one expected character (after blanks) or fail. */
static inline void
expect_char(TallyParser *ps, char c)
{
	skip_spaces(ps);
	if (*ps->p != c)
		parse_fail(ps);
	ps->p++;
}

/* An unsigned decimal number of at most max_digits digits (0 = no limit but int64). */
static int64
parse_number(TallyParser *ps, int max_digits)
{
	int64		v = 0;
	int			n = 0;

	while (*ps->p >= '0' && *ps->p <= '9')
	{
		if (pg_mul_s64_overflow(v, 10, &v) ||
			pg_add_s64_overflow(v, *ps->p - '0', &v))
			parse_fail(ps);
		ps->p++;
		n++;
		if (max_digits > 0 && n > max_digits)
			parse_fail(ps);
	}
	if (n == 0)
		parse_fail(ps);
	return v;
}

/* A word of [a-z_]; returns its length, the cursor moved past it. */
static int
parse_word(TallyParser *ps, const char **start)
{
	*start = ps->p;
	while ((*ps->p >= 'a' && *ps->p <= 'z') || *ps->p == '_')
		ps->p++;
	return ps->p - *start;
}

/* Index of a word in a table of names, or fail. */
static int
parse_name(TallyParser *ps, const char *const *names, int count)
{
	const char *w;
	int			len = parse_word(ps, &w);
	int			i;

	for (i = 0; i < count; i++)
		if ((int) strlen(names[i]) == len && strncmp(w, names[i], len) == 0)
			return i;
	parse_fail(ps);
	return -1;					/* keep the compiler quiet */
}

/* An ISO date YYYY-MM-DD that exists. */
static DateADT
parse_iso_date(TallyParser *ps)
{
	int			y,
				m,
				d,
				jd,
				y2,
				m2,
				d2;

	y = parse_number(ps, 4);
	expect_char(ps, '-');
	m = parse_number(ps, 2);
	expect_char(ps, '-');
	d = parse_number(ps, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31)
		parse_fail(ps);
	jd = date2j(y, m, d);
	j2date(jd, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d)
		parse_fail(ps);
	return jd - POSTGRES_EPOCH_JDATE;
}

/* One cell: "list:severity:origin name=value ...". */
static void
parse_cell(TallyParser *ps, TallyCell *c)
{
	bool		seen[TALLY_NCOUNTERS] = {false};

	memset(c, 0, sizeof(TallyCell));
	skip_spaces(ps);
	c->list = parse_number(ps, 2);
	if (c->list < 1 || c->list > TALLY_NLISTS)
		parse_fail(ps);
	expect_char(ps, ':');
	skip_spaces(ps);
	c->severity = parse_name(ps, severity_names + 1, TALLY_NSEVERITIES) + 1;
	expect_char(ps, ':');
	skip_spaces(ps);
	c->origin = parse_name(ps, tally_origin_names, TALLY_NORIGINS) + 1;
	for (;;)
	{
		int			i;

		skip_spaces(ps);
		if (*ps->p == ';' || *ps->p == '}')
			break;
		i = parse_name(ps, tally_counter_names, TALLY_NCOUNTERS);
		if (seen[i])
			parse_fail(ps);
		seen[i] = true;
		expect_char(ps, '=');
		skip_spaces(ps);
		c->counts[i] = parse_number(ps, 0);
	}
}

/* qsort comparator of cells by key. */
static int
cell_cmp(const void *a, const void *b)
{
	return tally_cell_key((const TallyCell *) a) -
		tally_cell_key((const TallyCell *) b);
}

/* Text input: see the file header for the form. */
Datum
tally_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	TallyParser ps = {str, str};
	const char *quarter_text;
	int			year,
				qn,
				ncells = 0,
				cap = 8;
	Quarter		q;
	DateADT		as_of;
	TallyCell  *cells;
	Tally	   *t;
	const char *problem;

	skip_spaces(&ps);
	quarter_text = ps.p;
	if (!quarter_scan(&ps.p, &year, &qn))
		parse_fail(&ps);
	quarter_text = pnstrdup(quarter_text, ps.p - quarter_text);
	expect_char(&ps, '@');
	skip_spaces(&ps);
	as_of = parse_iso_date(&ps);
	expect_char(&ps, '{');
	cells = palloc(sizeof(TallyCell) * cap);
	skip_spaces(&ps);
	if (*ps.p != '}')
		for (;;)
		{
			if (ncells >= TALLY_NKEYS)
				parse_fail(&ps);
			if (ncells == cap)
				cells = repalloc(cells, sizeof(TallyCell) * (cap *= 2));
			parse_cell(&ps, &cells[ncells++]);
			if (*ps.p == '}')
				break;
			ps.p++;				/* the ';' */
		}
	ps.p++;						/* the '}' */
	skip_spaces(&ps);
	if (*ps.p != '\0')
		parse_fail(&ps);

	/* Syntax first, then the range, as for a quarter (22003). */
	q = quarter_from_parts(year, qn, quarter_text);
	qsort(cells, ncells, sizeof(TallyCell), cell_cmp);
	t = tally_alloc(ncells, q, as_of);
	memcpy(t->cells, cells, sizeof(TallyCell) * ncells);
	if ((problem = tally_problem(t)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "tally", str),
				 errdetail("%s", problem)));
	PG_RETURN_TALLY_P(tally_compact(t));
}

/* Canonical text output. */
Datum
tally_out(PG_FUNCTION_ARGS)
{
	Tally	   *t = PG_GETARG_TALLY_P(0);
	StringInfoData buf;
	bool		first = true;
	int			i,
				j;

	initStringInfo(&buf);
	append_period(&buf, t);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < t->ncells; i++)
	{
		const TallyCell *c = &t->cells[i];

		if (cell_is_empty(c))
			continue;
		appendStringInfo(&buf, "%s%d:%s:%s", first ? "" : "; ", c->list,
						 severity_names[c->severity],
						 tally_origin_names[c->origin - 1]);
		first = false;
		for (j = 0; j < TALLY_NCOUNTERS; j++)
			if (c->counts[j] != 0)
				appendStringInfo(&buf, " %s=" INT64_FORMAT,
								 tally_counter_names[j], c->counts[j]);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* ---------- binary I/O ---------- */

/*
 * Binary input: version byte, quarter, as-of day, cell count (bounded before
 * anything is allocated), then per cell its key bytes and counters.  Every
 * check of the text input runs again.
 */
Datum
tally_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	Quarter		q;
	DateADT		as_of;
	int			ncells,
				i,
				j;
	Tally	   *t;
	const char *problem;

	if (version != TALLY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported tally format version %d", version),
				 errdetail("This server reads version %d.", TALLY_VERSION)));
	q = pq_getmsgint(buf, 4);
	as_of = pq_getmsgint(buf, 4);
	ncells = pq_getmsgint(buf, 2);
	if (ncells < 0 || ncells > TALLY_NKEYS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid tally cell count %d", ncells)));
	t = tally_alloc(ncells, q, as_of);
	for (i = 0; i < ncells; i++)
	{
		TallyCell  *c = &t->cells[i];

		c->list = pq_getmsgbyte(buf);
		c->severity = pq_getmsgbyte(buf);
		c->origin = pq_getmsgbyte(buf);
		for (j = 0; j < TALLY_NCOUNTERS; j++)
			c->counts[j] = pq_getmsgint64(buf);
	}
	if ((problem = tally_problem(t)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary tally: %s", problem)));
	PG_RETURN_TALLY_P(tally_compact(t));
}

/* Binary output, the form tally_recv reads. */
Datum
tally_send(PG_FUNCTION_ARGS)
{
	Tally	   *t = PG_GETARG_TALLY_P(0);
	StringInfoData buf;
	int			i,
				j,
				n = 0;

	for (i = 0; i < t->ncells; i++)
		if (!cell_is_empty(&t->cells[i]))
			n++;
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, TALLY_VERSION);
	pq_sendint32(&buf, t->quarter);
	pq_sendint32(&buf, t->as_of);
	pq_sendint16(&buf, n);
	for (i = 0; i < t->ncells; i++)
	{
		const TallyCell *c = &t->cells[i];

		if (cell_is_empty(c))
			continue;
		pq_sendbyte(&buf, c->list);
		pq_sendbyte(&buf, c->severity);
		pq_sendbyte(&buf, c->origin);
		for (j = 0; j < TALLY_NCOUNTERS; j++)
			pq_sendint64(&buf, c->counts[j]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* tally_json(tally): the same content as a json document. */
Datum
tally_json(PG_FUNCTION_ARGS)
{
	Tally	   *t = PG_GETARG_TALLY_P(0);
	StringInfoData buf;
	bool		first = true;
	int			i,
				j;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"version\": " CppAsString2(TALLY_VERSION) ", \"quarter\": \"");
	appendStringInfoString(&buf, quarter_to_cstring(t->quarter));
	appendStringInfoString(&buf, "\", \"as_of\": \"");
	append_iso_date(&buf, t->as_of);
	appendStringInfoString(&buf, "\", \"cells\": [");
	for (i = 0; i < t->ncells; i++)
	{
		const TallyCell *c = &t->cells[i];

		if (cell_is_empty(c))
			continue;
		appendStringInfo(&buf, "%s{\"list\": %d, \"severity\": \"%s\", \"origin\": \"%s\"",
						 first ? "" : ", ", c->list,
						 severity_names[c->severity],
						 tally_origin_names[c->origin - 1]);
		first = false;
		for (j = 0; j < TALLY_NCOUNTERS; j++)
			appendStringInfo(&buf, ", \"%s\": " INT64_FORMAT,
							 tally_counter_names[j], c->counts[j]);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(json_in, CStringGetDatum(buf.data)));
}

/* ---------- merging ---------- */

/* tally + tally: the tally of the union of both sets of issues. */
Datum
tally_merge(PG_FUNCTION_ARGS)
{
	Tally	   *a = PG_GETARG_TALLY_P(0);
	Tally	   *b = PG_GETARG_TALLY_P(1);
	Tally	   *d;

	check_same_period(a, b);
	d = tally_densify(a);
	tally_add_into_dense(d, b);
	PG_RETURN_TALLY_P(tally_compact(d));
}

/*
 * Combine function of tally(...) and transition function of sum(tally): add
 * a tally into the state.  The state is always a dense tally allocated in
 * the aggregate's context by this file, so it is safe to change in place.
 */
Datum
tally_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = argcheck_agg_context(fcinfo);
	Tally	   *state;
	Tally	   *t;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	t = PG_GETARG_TALLY_P(1);
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(ctx);

		state = tally_densify(t);
		MemoryContextSwitchTo(old);
		PG_RETURN_TALLY_P(state);
	}
	state = (Tally *) PG_GETARG_POINTER(0);
	if (state->ncells != TALLY_NKEYS)
	{
		MemoryContext old = MemoryContextSwitchTo(ctx);

		state = tally_densify(state);
		MemoryContextSwitchTo(old);
	}
	tally_add_into_dense(state, t);
	PG_RETURN_TALLY_P(state);
}

/* Final function of both aggregates: drop the empty cells. */
Datum
tally_finalfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_TALLY_P(tally_compact(PG_GETARG_TALLY_P(0)));
}

/* ---------- the tally(...) aggregate over issue facts ---------- */

/* An argument that must not be NULL: a bad argument, 22023. */
static inline Datum
required_arg(FunctionCallInfo fcinfo, int n, const char *name)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tally: %s must not be null", name)));
	return PG_GETARG_DATUM(n);
}

/* A value within lo..hi, else 22023 naming the argument. */
static inline int
checked_range(int64 v, int lo, int hi, const char *name)
{
	if (v < lo || v > hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tally: %s " INT64_FORMAT " is out of range %d..%d",
						name, v, lo, hi)));
	return (int) v;
}

/* The origin's number 1..3 from its text, else 22023. */
static inline int
origin_number(text *origin)
{
	const char *s = VARDATA_ANY(origin);
	int			len = VARSIZE_ANY_EXHDR(origin);
	int			n = 0;

	/* Called once per issue: tell the three apart by their first letter. */
	switch (len > 0 ? s[0] : '\0')
	{
		case 's':
			n = 1;
			break;
		case 'e':
			n = 2;
			break;
		case 'c':
			n = 3;
			break;
	}
	if (n == 0 || len != (int) strlen(tally_origin_names[n - 1]) ||
		memcmp(s, tally_origin_names[n - 1], len) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tally: unknown origin \"%s\"", text_to_cstring(origin)),
				 errhint("The origins are self, external and concealed.")));
	return n;
}

/*
 * The overdue months on day T of an issue due on day due: the started
 * 30-day periods, ceil((T - due) / 30), capped at 12.
 */
static inline int64
overdue_months(DateADT t, DateADT due)
{
	int64		m = ((int64) t - due + 29) / 30;

	return Min(m, TALLY_OVERDUE_CAP);
}

/* The first day of a quarter, remembered across the rows of one query. */
static inline DateADT
cached_first_day(FunctionCallInfo fcinfo, Quarter q)
{
	int32	   *cache = (int32 *) fcinfo->flinfo->fn_extra;

	if (cache == NULL || cache[0] != q)
	{
		if (cache == NULL)
			cache = fcinfo->flinfo->fn_extra =
				MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, 2 * sizeof(int32));
		cache[0] = q;
		cache[1] = quarter_first_day(q);
	}
	return cache[1];
}

/*
 * Transition function of tally(q, as_of, list, severity, origin, state,
 * found_on, due_on, closed_on, reopen_count, tolerated): put one issue, as
 * it stands on the as-of day, into its bucket (docs/tally.md, "What is counted").
 */
Datum
tally_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = argcheck_agg_context(fcinfo);
	Quarter		q = DatumGetQuarter(required_arg(fcinfo, 1, "quarter"));
	DateADT		as_of = DatumGetDateADT(required_arg(fcinfo, 2, "as-of day"));
	int			list = checked_range(DatumGetInt16(required_arg(fcinfo, 3, "list position")), 1, TALLY_NLISTS, "list position");
	int			sev = checked_range(DatumGetSeverity(required_arg(fcinfo, 4, "severity")), 1, TALLY_NSEVERITIES, "severity");
	int			origin = origin_number(DatumGetTextPP(required_arg(fcinfo, 5, "origin")));
	int			state = checked_range(DatumGetIssueState(required_arg(fcinfo, 6, "state")), 1, ISSUE_STATE_COUNT, "state");
	DateADT		found = DatumGetDateADT(required_arg(fcinfo, 7, "found_on"));
	bool		has_due = !PG_ARGISNULL(8);
	DateADT		due = has_due ? PG_GETARG_DATEADT(8) : 0;
	bool		has_closed = !PG_ARGISNULL(9);
	DateADT		closed = has_closed ? PG_GETARG_DATEADT(9) : 0;
	int64		reopens = PG_ARGISNULL(10) ? 0 : PG_GETARG_INT32(10);
	bool		tolerated = PG_ARGISNULL(11) ? false : PG_GETARG_BOOL(11);
	Tally	   *t;
	int64	   *n;
	DateADT		first;

	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(ctx);

		if (!QuarterIsValid(q) || as_of < quarter_first_day(q) ||
			as_of > quarter_last_day(q))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tally: the as-of day must lie within the quarter")));
		t = tally_alloc_dense(q, as_of);
		MemoryContextSwitchTo(old);
	}
	else
	{
		t = (Tally *) PG_GETARG_POINTER(0);
		if (t->quarter != q || t->as_of != as_of)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tally: every row of one tally must have the same quarter and as-of day")));
	}
	if (reopens < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tally: reopen_count must not be negative")));

	first = cached_first_day(fcinfo, q);
	/* Not found yet, or closed before the quarter began: out of scope. */
	if (found > as_of ||
		(!issue_state_is_open(state) && has_closed && closed < first))
		PG_RETURN_TALLY_P(t);

	n = t->cells[tally_key(list, sev, origin)].counts;
	if (found >= first)
		counter_add(&n[TC_NEW], 1);
	if (reopens > 0)
		counter_add(&n[TC_REOPENED], 1);

	if (state == ISSUE_STATE_WITHDRAWN)
		counter_add(&n[TC_WITHDRAWN], 1);
	else if (tolerated)
	{
		counter_add(&n[TC_TOLERATED], 1);
		if (state != ISSUE_STATE_CLOSED)
			counter_add(&n[TC_TOLERATED_OPEN], 1);
	}
	else if (state == ISSUE_STATE_CLOSED)
	{
		bool		late;

		if (!has_closed || closed > as_of)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tally: a closed issue needs a closing day on or before the as-of day")));
		late = has_due && closed > due;
		counter_add(&n[late ? TC_CLOSED_LATE : TC_CLOSED_ON_TIME], 1);
		counter_add(&n[late ? TC_CLOSED_LATE_REOPENS : TC_CLOSED_ON_TIME_REOPENS], reopens);
		counter_add(&n[TC_DAYS_TO_CLOSE], (int64) closed - found);
	}
	else if (has_due && as_of > due)
	{
		int64		m = overdue_months(as_of, due);

		counter_add(&n[TC_OVERDUE], 1);
		counter_add(&n[TC_OVERDUE_MONTHS], m);
		counter_add(&n[TC_OVERDUE_REOPENS], reopens);
		counter_add(&n[TC_OVERDUE_REOPEN_MONTHS], reopens * m);
	}
	else
	{
		counter_add(&n[TC_OPEN_IN_TIME], 1);
		counter_add(&n[TC_OPEN_IN_TIME_REOPENS], reopens);
	}
	PG_RETURN_TALLY_P(t);
}

/* empty_tally(q, as_of): the tally of no issues. */
Datum
tally_empty(PG_FUNCTION_ARGS)
{
	Tally	   *t = tally_alloc(0, PG_GETARG_QUARTER(0), PG_GETARG_DATEADT(1));
	const char *problem = tally_problem(t);

	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("empty_tally: %s", problem)));
	PG_RETURN_TALLY_P(t);
}

/* ---------- accessors ---------- */

/* tally_quarter(tally) */
Datum
tally_quarter(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUARTER(PG_GETARG_TALLY_P(0)->quarter);
}

/* tally_as_of(tally) */
Datum
tally_as_of(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(PG_GETARG_TALLY_P(0)->as_of);
}

/* Derived counts that tally_count accepts besides the counter names. */
static const char *const derived_names[] = {"open", "closed", "issues"};

/* One cell's value of a counter name or derived count (-1: unknown name). */
static int64
cell_count(const TallyCell *c, int what)
{
	const int64 *n = c->counts;

	if (what < TALLY_NCOUNTERS)
		return n[what];
	switch (what - TALLY_NCOUNTERS)
	{
		case 0:					/* open */
			return n[TC_OPEN_IN_TIME] + n[TC_OVERDUE] + n[TC_TOLERATED_OPEN];
		case 1:					/* closed */
			return n[TC_CLOSED_ON_TIME] + n[TC_CLOSED_LATE];
		default:				/* issues */
			return n[TC_OPEN_IN_TIME] + n[TC_OVERDUE] + n[TC_CLOSED_ON_TIME] +
				n[TC_CLOSED_LATE] + n[TC_TOLERATED] + n[TC_WITHDRAWN];
	}
}

/* The index of a count's name (counters, then derived), or 22023. */
static int
count_index(text *what)
{
	char	   *s = text_to_cstring(what);
	int			i;

	for (i = 0; i < TALLY_NCOUNTERS; i++)
		if (strcmp(s, tally_counter_names[i]) == 0)
			return i;
	for (i = 0; i < (int) lengthof(derived_names); i++)
		if (strcmp(s, derived_names[i]) == 0)
			return TALLY_NCOUNTERS + i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown tally count \"%s\"", s),
			 errhint("Use open, closed, issues or a counter name of tally_json().")));
	return -1;
}

/*
 * tally_count(tally, what, list, severity, origin): a count summed over the
 * cells that match the filters that are not NULL.
 */
Datum
tally_count(PG_FUNCTION_ARGS)
{
	Tally	   *t;
	int			what;
	int			list = PG_ARGISNULL(2) ? 0 : PG_GETARG_INT32(2);
	int			sev = PG_ARGISNULL(3) ? 0 : PG_GETARG_SEVERITY(3);
	int			origin = PG_ARGISNULL(4) ? 0 : origin_number(PG_GETARG_TEXT_PP(4));
	int64		sum = 0;
	int			i;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	t = PG_GETARG_TALLY_P(0);
	what = count_index(PG_GETARG_TEXT_PP(1));
	for (i = 0; i < t->ncells; i++)
	{
		const TallyCell *c = &t->cells[i];

		if ((list && c->list != list) || (sev && c->severity != sev) ||
			(origin && c->origin != origin))
			continue;
		counter_add(&sum, cell_count(c, what));
	}
	PG_RETURN_INT64(sum);
}

/* tally_cells(tally): one row per non-empty cell with every counter. */
Datum
tally_cells(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Tally	   *t = PG_GETARG_TALLY_P(0);
	int			i,
				j;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < t->ncells; i++)
	{
		const TallyCell *c = &t->cells[i];
		Datum		values[3 + TALLY_NCOUNTERS];
		bool		nulls[3 + TALLY_NCOUNTERS] = {false};

		if (cell_is_empty(c))
			continue;
		values[0] = Int16GetDatum(c->list);
		values[1] = Int16GetDatum(c->severity);
		values[2] = CStringGetTextDatum(tally_origin_names[c->origin - 1]);
		for (j = 0; j < TALLY_NCOUNTERS; j++)
			values[3 + j] = Int64GetDatum(c->counts[j]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
