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
 *		The probes of one query come for issues in about ascending order
 *		(the issue rows' order in the table), and the entries of the next
 *		issue probed are mostly on the leaf page where the last probe ended
 *		or one right of it: each call site keeps that page in a cursor, and a
 *		probe of an issue a little after the last one reads it (and up to
 *		two pages right) before it descends from the root
 *		(index_walk_begin).  The descents were a fifth of the time
 *		of a publication's pass at five million issues.
 *
 *		issue_snapshot_on(issue, day) gives the same snapshot as one
 *		composite value, for readers that take it in the scan of the issue
 *		rows, for the changed issues alone (below).
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

#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
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
	TupleDesc	result_desc;	/* issue_snapshot_on's row type, blessed */
	LeafCursor	cursor;			/* where the last probe's walk ended */
} SnapshotProbe;

static SnapshotProbe *
snapshot_probe(FunctionCallInfo fcinfo)
{
	SnapshotProbe *probe = (SnapshotProbe *) fcinfo->flinfo->fn_extra;

	if (probe != NULL)
		return probe;
	probe = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SnapshotProbe));
	/* result_desc: NULL until issue_snapshot_on needs it */
	probe->namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	leaf_cursor_init(&probe->cursor);
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
	Datum		row[NWALKED];
	bool		rownulls[NWALKED];
	bool		found = false;

	index_walk_begin(&walk, probe->event_rel, probe->seq_index, issue,
					 NWALKED, probe->index_columns, probe->heap_columns, &probe->cursor);
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

/* The snapshot by the day, under the caller's rights: false when none. */
static bool
probe_snapshot(FunctionCallInfo fcinfo, int64 issue, DateADT day, Datum *values, bool *nulls)
{
	SnapshotProbe *probe = snapshot_probe(fcinfo);

	if (!caller_reads_whole_table(probe->event_rel))
		return probe_query(probe, issue, day, values, nulls);
	return probe_index(probe, issue, day, values, nulls);
}

PG_FUNCTION_INFO_V1(issue_snapshot_as_of);

Datum
issue_snapshot_as_of(PG_FUNCTION_ARGS)
{
	int64		issue = PG_GETARG_INT64(0);
	DateADT		day = PG_GETARG_DATEADT(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		values[NSNAPSHOT];
	bool		nulls[NSNAPSHOT];
	bool		found;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("issue_snapshot_as_of must be called where a set of rows is accepted"),
				 errhint("Call it in FROM: SELECT * FROM issue_snapshot_as_of(issue, day).")));
	found = probe_snapshot(fcinfo, issue, day, values, nulls);

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

/*
 * issue_snapshot_on(issue, day): issue_snapshot_as_of's row as one composite
 * value, NULL where it has no row.  It is a plain function so that a reader
 * of the issue rows can call it in the same scan, for the issues changed
 * after the day alone (CASE WHEN last_event_on > day THEN ...): the
 * function scan of issue_snapshot_as_of needs a join of its own, so those
 * readers scanned the issue table twice, once for each kind of issue
 * (issues_as_of, live_org_tallies).
 *
 * PostgreSQL evaluates each field a query takes, (f(x)).state and
 * (f(x)).due_on, as a call of its own.  So the last answer is kept, and
 * given again to a call for the same issue and day that would see the same
 * rows: the same user, the same (sub)transaction, and a snapshot with the
 * same xmin, xmax, transactions in progress and command id.  A write in
 * between moves the command id, a rollback to a savepoint the
 * subtransaction, a commit elsewhere the snapshot; a snapshot with more
 * transactions in progress than are kept here is never matched.
 */
#define KEPT_XIDS 64

static struct
{
	bool		valid;
	int64		issue;
	DateADT		day;
	Oid			user;
	LocalTransactionId lxid;
	SubTransactionId subxid;
	TransactionId xmin;
	TransactionId xmax;
	CommandId	curcid;
	uint32		xcnt;
	int32		subxcnt;
	bool		suboverflowed;
	TransactionId xids[KEPT_XIDS];	/* xip, then subxip */
	bool		found;
	Datum		values[NSNAPSHOT];
	bool		nulls[NSNAPSHOT];
}			last_snapshot;

/* Whether the snapshot's in-progress transactions fit in last_snapshot. */
static bool
snapshot_keepable(Snapshot snap)
{
	return snap->subxcnt >= 0 && snap->xcnt + (uint32) snap->subxcnt <= KEPT_XIDS;
}

static bool
same_view(int64 issue, DateADT day, Snapshot snap)
{
	return last_snapshot.valid && snap != NULL &&
		last_snapshot.issue == issue && last_snapshot.day == day &&
		last_snapshot.user == GetUserId() &&
		last_snapshot.lxid == MyProc->lxid &&
		last_snapshot.subxid == GetCurrentSubTransactionId() &&
		last_snapshot.xmin == snap->xmin && last_snapshot.xmax == snap->xmax &&
		last_snapshot.curcid == snap->curcid &&
		last_snapshot.xcnt == snap->xcnt && last_snapshot.subxcnt == snap->subxcnt &&
		last_snapshot.suboverflowed == snap->suboverflowed &&
		memcmp(last_snapshot.xids, snap->xip, snap->xcnt * sizeof(TransactionId)) == 0 &&
		memcmp(last_snapshot.xids + snap->xcnt, snap->subxip,
			   snap->subxcnt * sizeof(TransactionId)) == 0;
}

static void
keep_view(int64 issue, DateADT day, Snapshot snap, bool found, const Datum *values,
		  const bool *nulls)
{
	last_snapshot.valid = false;
	if (snap == NULL || !snapshot_keepable(snap))
		return;
	last_snapshot.issue = issue;
	last_snapshot.day = day;
	last_snapshot.user = GetUserId();
	last_snapshot.lxid = MyProc->lxid;
	last_snapshot.subxid = GetCurrentSubTransactionId();
	last_snapshot.xmin = snap->xmin;
	last_snapshot.xmax = snap->xmax;
	last_snapshot.curcid = snap->curcid;
	last_snapshot.xcnt = snap->xcnt;
	last_snapshot.subxcnt = snap->subxcnt;
	last_snapshot.suboverflowed = snap->suboverflowed;
	memcpy(last_snapshot.xids, snap->xip, snap->xcnt * sizeof(TransactionId));
	memcpy(last_snapshot.xids + snap->xcnt, snap->subxip, snap->subxcnt * sizeof(TransactionId));
	last_snapshot.found = found;
	/* Every column of the snapshot is passed by value. */
	memcpy(last_snapshot.values, values, sizeof(last_snapshot.values));
	memcpy(last_snapshot.nulls, nulls, sizeof(last_snapshot.nulls));
	last_snapshot.valid = true;
}

PG_FUNCTION_INFO_V1(issue_snapshot_on);

Datum
issue_snapshot_on(PG_FUNCTION_ARGS)
{
	int64		issue = PG_GETARG_INT64(0);
	DateADT		day = PG_GETARG_DATEADT(1);
	/* (a query always has one; without one, nothing is kept) */
	Snapshot	snap = ActiveSnapshotSet() ? GetActiveSnapshot() : NULL;
	SnapshotProbe *probe = snapshot_probe(fcinfo);
	Datum		values[NSNAPSHOT] = {0};
	bool		nulls[NSNAPSHOT] = {0};
	bool		found;

	if (same_view(issue, day, snap))
	{
		found = last_snapshot.found;
		memcpy(values, last_snapshot.values, sizeof(values));
		memcpy(nulls, last_snapshot.nulls, sizeof(nulls));
	}
	else
	{
		found = probe_snapshot(fcinfo, issue, day, values, nulls);
		keep_view(issue, day, snap, found, values, nulls);
	}
	if (!found)
		PG_RETURN_NULL();
	if (probe->result_desc == NULL)
	{
		MemoryContext caller = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	desc;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "issue_snapshot_on: no row type");
		probe->result_desc = BlessTupleDesc(desc);
		MemoryContextSwitchTo(caller);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(probe->result_desc, values, nulls)));
}
