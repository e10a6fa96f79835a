/*
 * index_walk.c
 *		A walk along a btree index of issuelist's own tables in C, for the
 *		readers that run once per issue or once per event, where a query's
 *		executor, started per call or run per row, cost more than the walk
 *		(snapshot.c: an issue's snapshot by a day; history_hash.c: the chain
 *		heads of the whole history).
 *
 *		Read as an index-only scan reads it: an entry on a table page that
 *		the visibility map says every transaction sees gives its columns
 *		from the index alone (the indexes walked include every column their
 *		readers need); any other entry is checked against the table, with
 *		the walk's snapshot, and gives the columns of the version that
 *		snapshot sees, or is passed over when it sees none.
 */
#include "postgres.h"

#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/visibilitymap.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/predicate.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "index_walk.h"

/*
 * Whether the caller reads every row of the table: it may SELECT from it and
 * no row security policy applies to it (the owner's paths).  A walk reads
 * the index for such a caller alone; for any other, its reader runs its
 * query as SQL, under the caller's privileges and policies, so that a walk
 * never shows a row a query would hide.
 */
bool
caller_reads_whole_table(Oid relid)
{
	return check_enable_rls(relid, InvalidOid, true) != RLS_ENABLED &&
		pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK;
}

/* A table or index of the extension's schema, by name. */
Oid
relation_in_schema(const char *name, Oid namespace)
{
	Oid			relid = get_relname_relid(name, namespace);

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"%s.%s\" does not exist", get_namespace_name(namespace), name),
				 errhint("The issuelist extension's objects were changed; reinstall or upgrade it.")));
	return relid;
}

/* The attribute number of a column of a table or an index, by name. */
AttrNumber
column_named(TupleDesc desc, const char *name, const char *where)
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

/*
 * The history's table and its index on (issue, seq) in the extension's
 * schema, and where the columns named are in each (both walks of this
 * extension read that index, which includes every column they need).
 */
void
history_index_columns(Oid namespace, int ncolumns, const char *const *names,
					  Oid *heap, Oid *index, AttrNumber *index_columns,
					  AttrNumber *heap_columns)
{
	Relation	h;
	Relation	i;

	*heap = relation_in_schema("issue_event", namespace);
	*index = relation_in_schema("issue_event_seq", namespace);
	h = table_open(*heap, AccessShareLock);
	i = index_open(*index, AccessShareLock);
	if (i->rd_index->indnkeyatts != 2 ||
		i->rd_index->indkey.values[0] != column_named(RelationGetDescr(h), "issue", "issue_event") ||
		i->rd_index->indkey.values[1] != column_named(RelationGetDescr(h), "seq", "issue_event"))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("index issue_event_seq is not on (issue, seq)"),
				 errhint("The issuelist extension's objects were changed; reinstall or upgrade it.")));
	for (int c = 0; c < ncolumns; c++)
	{
		heap_columns[c] = column_named(RelationGetDescr(h), names[c], "issue_event");
		index_columns[c] = column_named(RelationGetDescr(i), names[c], "index issue_event_seq");
	}
	index_close(i, AccessShareLock);
	table_close(h, AccessShareLock);
}

/*
 * Start a walk of the index over the table with the scan keys, under the
 * active snapshot, giving the columns listed (their numbers in the index
 * and in the table; the arrays must outlive the walk).
 */
void
index_walk_begin(IndexWalk *walk, Oid heap, Oid index, ScanKey keys, int nkeys,
				 int ncolumns, const AttrNumber *index_columns,
				 const AttrNumber *heap_columns)
{
	walk->heap = table_open(heap, AccessShareLock);
	walk->index = index_open(index, AccessShareLock);
	walk->scan = index_beginscan(walk->heap, walk->index, GetActiveSnapshot(), nkeys, 0);
	walk->scan->xs_want_itup = true;
	index_rescan(walk->scan, keys, nkeys, NULL, 0);
	walk->vmbuffer = InvalidBuffer;
	walk->slot = NULL;
	walk->ncolumns = ncolumns;
	walk->index_columns = index_columns;
	walk->heap_columns = heap_columns;
}

/*
 * The next entry the snapshot sees, in the direction given: false at the
 * end.  The values point into the index's copy of the entry or into the
 * table's tuple, valid until the next call.
 */
bool
index_walk_next(IndexWalk *walk, ScanDirection direction, Datum *values, bool *isnull)
{
	IndexScanDesc scan = walk->scan;
	ItemPointer tid;

	while ((tid = index_getnext_tid(scan, direction)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		if (VM_ALL_VISIBLE(walk->heap, ItemPointerGetBlockNumber(tid), &walk->vmbuffer))
		{
			/* As an index-only scan does, for serializable transactions. */
			PredicateLockPage(walk->heap, ItemPointerGetBlockNumber(tid), scan->xs_snapshot);
			for (int i = 0; i < walk->ncolumns; i++)
				values[i] = index_getattr(scan->xs_itup, walk->index_columns[i],
										  scan->xs_itupdesc, &isnull[i]);
			return true;
		}
		if (walk->slot == NULL)
			walk->slot = table_slot_create(walk->heap, NULL);
		if (!index_fetch_heap(scan, walk->slot))
			continue;
		for (int i = 0; i < walk->ncolumns; i++)
			values[i] = slot_getattr(walk->slot, walk->heap_columns[i], &isnull[i]);
		return true;
	}
	return false;
}

void
index_walk_end(IndexWalk *walk)
{
	if (BufferIsValid(walk->vmbuffer))
		ReleaseBuffer(walk->vmbuffer);
	if (walk->slot != NULL)
		ExecDropSingleTupleTableSlot(walk->slot);
	index_endscan(walk->scan);
	index_close(walk->index, AccessShareLock);
	table_close(walk->heap, AccessShareLock);
}
