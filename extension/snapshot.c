/*
 * snapshot.c
 *		issue_snapshot_as_of(issue, day): an issue's state, due day, closed
 *		day, reopen count and tolerance after its last event effective by the
 *		day (its registration, seq 1, when none is).  Every as-of reader
 *		(issues_as_of, live_org_tallies: the rankings, reports and
 *		publications of a past day) calls it once for each issue changed
 *		after the day.
 *
 *		It was a SQL function, and each call started and ended an executor
 *		for its one-row query: two thirds of its time (17 us a call where the
 *		probe itself takes 6, docs/benchmarks.md).  Here it is one walk down
 *		the index on (issue, seq) from the issue's last event (index_walk.c):
 *		that index includes on_date and every column of the snapshot, so the
 *		events are read from the index alone where their pages are
 *		all-visible.
 *
 *		Row security: the SQL function read issue_event under the caller's
 *		policies.  When policies apply to the caller (check_enable_rls), or
 *		the caller may not read the whole table, the probe is that same SQL
 *		query, run through SPI: such a caller sees exactly what it saw.  The
 *		index is walked directly only for callers no policy filters (the
 *		owner's paths: rankings, publications, reports), for whom the SQL
 *		query read every event of the issue.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "index_walk.h"

/*
 * The columns read: seq and on_date to choose the event, then the
 * snapshot's, in the order the function returns them.
 */
static const char *const walked_columns[] = {
	"seq", "on_date", "state", "due_on", "closed_on", "reopen_count", "tolerated_until"
};

#define NWALKED lengthof(walked_columns)
#define NSNAPSHOT (NWALKED - 2)

/*
 * What a call site looks up once per query (kept in fn_extra): the table and
 * its index in the function's own schema, and where the columns are.
 */
typedef struct SnapshotProbe
{
	Oid			namespace;
	Oid			event_rel;		/* issue_event */
	Oid			seq_index;		/* issue_event_seq: (issue, seq) INCLUDE (on_date, ...) */
	AttrNumber	index_columns[NWALKED];
	AttrNumber	heap_columns[NWALKED];
} SnapshotProbe;

static SnapshotProbe *
snapshot_probe(FunctionCallInfo fcinfo)
{
	SnapshotProbe *probe = (SnapshotProbe *) fcinfo->flinfo->fn_extra;

	if (probe != NULL)
		return probe;
	probe = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SnapshotProbe));
	probe->namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	history_index_columns(probe->namespace, NWALKED, walked_columns, &probe->event_rel,
						  &probe->seq_index, probe->index_columns, probe->heap_columns);
	fcinfo->flinfo->fn_extra = probe;
	return probe;
}

/*
 * The probe walking the index: true and the snapshot's values when the
 * issue has an event the query sees that counts by the day (effective by
 * then, or the registration).
 */
static bool
probe_index(SnapshotProbe *probe, int64 issue, DateADT day, Datum *values, bool *nulls)
{
	IndexWalk	walk;
	ScanKeyData key;
	Datum		row[NWALKED];
	bool		rownulls[NWALKED];
	bool		found = false;

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(issue));
	index_walk_begin(&walk, probe->event_rel, probe->seq_index, &key, 1,
					 NWALKED, probe->index_columns, probe->heap_columns);
	while (!found && index_walk_next(&walk, BackwardScanDirection, row, rownulls))
	{
		if (DatumGetDateADT(row[1]) > day && DatumGetInt32(row[0]) != 1)
			continue;
		/* Every column is passed by value: the values outlive the walk. */
		memcpy(values, row + 2, NSNAPSHOT * sizeof(Datum));
		memcpy(nulls, rownulls + 2, NSNAPSHOT * sizeof(bool));
		found = true;
	}
	index_walk_end(&walk);
	return found;
}

/*
 * The probe as the caller's own query, under its row security: the SQL
 * body the function had, planned once per backend (the plan cache plans it
 * again for another role when policies are involved).
 */
static bool
probe_query(SnapshotProbe *probe, int64 issue, DateADT day, Datum *values, bool *nulls)
{
	static SPIPlanPtr plan = NULL;
	static Oid	plan_namespace = InvalidOid;
	Datum		args[2] = {Int64GetDatum(issue), DateADTGetDatum(day)};
	bool		found;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (plan == NULL || plan_namespace != probe->namespace)
	{
		Oid			argtypes[2] = {INT8OID, DATEOID};
		char	   *sql = psprintf("SELECT ev.state, ev.due_on, ev.closed_on, ev.reopen_count, ev.tolerated_until"
								   "  FROM %s.issue_event ev"
								   " WHERE ev.issue = $1 AND (ev.on_date <= $2 OR ev.seq = 1)"
								   " ORDER BY ev.seq DESC LIMIT 1",
								   quote_identifier(get_namespace_name(probe->namespace)));
		SPIPlanPtr	prepared = SPI_prepare(sql, 2, argtypes);

		if (prepared == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (plan != NULL)
			SPI_freeplan(plan);
		SPI_keepplan(prepared);
		plan = prepared;
		plan_namespace = probe->namespace;
	}
	if (SPI_execute_plan(plan, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed");
	found = SPI_processed == 1;
	if (found)
		for (int i = 0; i < (int) NSNAPSHOT; i++)
			values[i] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &nulls[i]);
	/* By-value columns: the values outlive SPI's memory. */
	SPI_finish();
	return found;
}

PG_FUNCTION_INFO_V1(issue_snapshot_as_of);

Datum
issue_snapshot_as_of(PG_FUNCTION_ARGS)
{
	int64		issue = PG_GETARG_INT64(0);
	DateADT		day = PG_GETARG_DATEADT(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SnapshotProbe *probe;
	Datum		values[NSNAPSHOT];
	bool		nulls[NSNAPSHOT];
	bool		found;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("issue_snapshot_as_of must be called where a set of rows is accepted"),
				 errhint("Call it in FROM: SELECT * FROM issue_snapshot_as_of(issue, day).")));
	probe = snapshot_probe(fcinfo);
	if (!caller_reads_whole_table(probe->event_rel))
		found = probe_query(probe, issue, day, values, nulls);
	else
		found = probe_index(probe, issue, day, values, nulls);

	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setDesc = NULL;
	if (found)
	{
		MemoryContext caller = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
		TupleDesc	desc = rsinfo->expectedDesc;
		Tuplestorestate *rows;

		if (desc == NULL && get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "issue_snapshot_as_of: no row type");
		rows = tuplestore_begin_heap(false, false, work_mem);
		tuplestore_putvalues(rows, desc, values, nulls);
		MemoryContextSwitchTo(caller);
		rsinfo->setResult = rows;
	}
	/* No row: setResult stays NULL, an empty set. */
	PG_RETURN_NULL();
}
