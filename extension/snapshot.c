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
 *		index probe itself takes 6, docs/benchmarks.md).  Here it is one walk
 *		down the index on (issue, seq), from the end, as an index-only scan:
 *		the index carries on_date and every column of the snapshot, so an
 *		event after the day is passed over without reading the table, and
 *		the first that qualifies is read from the index when its page is
 *		all-visible, else fetched (an entry invisible to the query's
 *		snapshot is passed over for the next, as the SQL's scan did).
 *
 *		Row security: the SQL function read issue_event under the caller's
 *		policies.  When policies apply to the caller (check_enable_rls), or
 *		the caller may not read the whole table, the probe is that same SQL
 *		query, run through SPI: such a caller sees exactly what it saw.  The
 *		index is read directly only for callers no policy filters (the
 *		owner's paths: rankings, publications, reports), whose SQL query
 *		would have read every event of the issue.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relation.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/visibilitymap.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "storage/bufmgr.h"
#include "utils/tuplestore.h"

/* The snapshot's columns, in the order the function returns them. */
static const char *const snapshot_columns[] = {
	"state", "due_on", "closed_on", "reopen_count", "tolerated_until"
};

#define NSNAPSHOT lengthof(snapshot_columns)

/*
 * What a call site looks up once per query (kept in fn_extra): the table and
 * its index in the function's own schema, and where the columns are.
 */
typedef struct SnapshotProbe
{
	Oid			namespace;
	Oid			event_rel;		/* issue_event */
	Oid			seq_index;		/* issue_event_seq: (issue, seq) INCLUDE (on_date, ...) */
	AttrNumber	index_seq;		/* seq and on_date in the index's tuples */
	AttrNumber	index_on_date;
	AttrNumber	heap_seq;		/* and in the table's */
	AttrNumber	heap_on_date;
	AttrNumber	heap_columns[NSNAPSHOT];
	AttrNumber	index_columns[NSNAPSHOT];	/* the index includes them all */
} SnapshotProbe;

static AttrNumber
attribute_named(TupleDesc desc, const char *name, const char *where)
{
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && strcmp(NameStr(att->attname), name) == 0)
			return (AttrNumber) (i + 1);
	}
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("column \"%s\" of %s does not exist", name, where),
			 errhint("The issuelist extension's objects were changed; reinstall or upgrade it.")));
	return InvalidAttrNumber;	/* keep the compiler quiet */
}

static Oid
relation_named(const char *name, Oid namespace)
{
	Oid			relid = get_relname_relid(name, namespace);

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"%s.%s\" does not exist", get_namespace_name(namespace), name),
				 errhint("The issuelist extension's objects were changed; reinstall or upgrade it.")));
	return relid;
}

static SnapshotProbe *
snapshot_probe(FunctionCallInfo fcinfo)
{
	SnapshotProbe *probe = (SnapshotProbe *) fcinfo->flinfo->fn_extra;
	Relation	heap;
	Relation	index;

	if (probe != NULL)
		return probe;
	probe = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SnapshotProbe));
	probe->namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	probe->event_rel = relation_named("issue_event", probe->namespace);
	probe->seq_index = relation_named("issue_event_seq", probe->namespace);

	heap = table_open(probe->event_rel, AccessShareLock);
	index = index_open(probe->seq_index, AccessShareLock);
	probe->index_seq = attribute_named(RelationGetDescr(index), "seq", "index issue_event_seq");
	probe->index_on_date = attribute_named(RelationGetDescr(index), "on_date", "index issue_event_seq");
	if (index->rd_index->indnkeyatts < 2 ||
		index->rd_index->indkey.values[0] != attribute_named(RelationGetDescr(heap), "issue", "issue_event") ||
		probe->index_seq != 2)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("index issue_event_seq is not on (issue, seq)"),
				 errhint("The issuelist extension's objects were changed; reinstall or upgrade it.")));
	probe->heap_seq = attribute_named(RelationGetDescr(heap), "seq", "issue_event");
	probe->heap_on_date = attribute_named(RelationGetDescr(heap), "on_date", "issue_event");
	for (int i = 0; i < (int) NSNAPSHOT; i++)
	{
		probe->heap_columns[i] = attribute_named(RelationGetDescr(heap), snapshot_columns[i], "issue_event");
		probe->index_columns[i] = attribute_named(RelationGetDescr(index), snapshot_columns[i],
												  "index issue_event_seq");
	}
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);

	fcinfo->flinfo->fn_extra = probe;
	return probe;
}

/* Whether an event counts by the day: effective by then, or the registration. */
static inline bool
effective_by(int32 seq, DateADT on_date, DateADT day)
{
	return on_date <= day || seq == 1;
}

/*
 * The probe read from the index: true and the snapshot's values when the
 * issue has an event visible to the query that counts by the day.  As an
 * index-only scan does: an entry on a page the visibility map says every
 * transaction sees is read from the index alone (the index includes every
 * column of the snapshot), and only others are checked against the table.
 */
static bool
probe_index(SnapshotProbe *probe, int64 issue, DateADT day, Datum *values, bool *nulls)
{
	Relation	heap = table_open(probe->event_rel, AccessShareLock);
	Relation	index = index_open(probe->seq_index, AccessShareLock);
	IndexScanDesc scan = index_beginscan(heap, index, GetActiveSnapshot(), 1, 0);
	TupleTableSlot *slot = NULL;
	Buffer		vmbuffer = InvalidBuffer;
	ScanKeyData key;
	ItemPointer tid;
	bool		found = false;

	scan->xs_want_itup = true;
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(issue));
	index_rescan(scan, &key, 1, NULL, 0);
	while (!found && (tid = index_getnext_tid(scan, BackwardScanDirection)) != NULL)
	{
		bool		isnull;
		int32		seq = DatumGetInt32(index_getattr(scan->xs_itup, probe->index_seq,
													  scan->xs_itupdesc, &isnull));
		DateADT		on_date = DatumGetDateADT(index_getattr(scan->xs_itup, probe->index_on_date,
															scan->xs_itupdesc, &isnull));

		CHECK_FOR_INTERRUPTS();
		if (!effective_by(seq, on_date, day))
			continue;
		if (VM_ALL_VISIBLE(heap, ItemPointerGetBlockNumber(tid), &vmbuffer))
		{
			for (int i = 0; i < (int) NSNAPSHOT; i++)
				values[i] = index_getattr(scan->xs_itup, probe->index_columns[i],
										  scan->xs_itupdesc, &nulls[i]);
			found = true;
			continue;
		}
		if (slot == NULL)
			slot = table_slot_create(heap, NULL);
		if (!index_fetch_heap(scan, slot))
			continue;
		/* The version the query sees, checked as the SQL's filter would. */
		seq = DatumGetInt32(slot_getattr(slot, probe->heap_seq, &isnull));
		on_date = DatumGetDateADT(slot_getattr(slot, probe->heap_on_date, &isnull));
		if (!effective_by(seq, on_date, day))
			continue;
		for (int i = 0; i < (int) NSNAPSHOT; i++)
			values[i] = slot_getattr(slot, probe->heap_columns[i], &nulls[i]);
		found = true;
	}
	/*
	 * Every column is passed by value: nothing refers to the index tuple or
	 * the slot's tuple once they are gone.
	 */
	if (BufferIsValid(vmbuffer))
		ReleaseBuffer(vmbuffer);
	if (slot != NULL)
		ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
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
	if (check_enable_rls(probe->event_rel, InvalidOid, true) == RLS_ENABLED ||
		pg_class_aclcheck(probe->event_rel, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
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
