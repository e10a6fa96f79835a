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

#include "access/nbtree.h"
#include "access/relation.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/visibilitymap.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_type_d.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "storage/predicate.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
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

void
leaf_cursor_init(LeafCursor *cursor)
{
	cursor->block = InvalidBlockNumber;
	cursor->issue = 0;
}

/* The issue, the first key column, of an entry or a page's high key. */
static inline int64
entry_issue(IndexTuple entry, Relation index)
{
	bool		isnull;

	return DatumGetInt64(index_getattr(entry, 1, RelationGetDescr(index), &isnull));
}

/*
 * A page of a btree index, read as _bt_getbuf reads one (through a ring of
 * buffers when strategy is not NULL) and share-locked, as the snapshot may
 * read it.
 */
static Buffer
read_index_page(Relation index, BlockNumber block, BufferAccessStrategy strategy,
				Snapshot snapshot)
{
	Buffer		buf = ReadBufferExtended(index, MAIN_FORKNUM, block, RBM_NORMAL, strategy);

	_bt_lockbuf(index, buf, BT_READ);
	_bt_checkpage(index, buf);
	TestForOldSnapshot(snapshot, index, BufferGetPage(buf));
	return buf;
}

/*
 * The first entry from low to maxoff of a leaf page (in key order) whose
 * issue is after the one given; maxoff + 1 when there is none.
 */
static OffsetNumber
first_entry_past(Page page, Relation index, OffsetNumber low, OffsetNumber maxoff, int64 issue)
{
	OffsetNumber high = maxoff + 1;

	while (low < high)
	{
		OffsetNumber mid = low + (high - low) / 2;

		if (entry_issue((IndexTuple) PageGetItem(page, PageGetItemId(page, mid)), index) <= issue)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

/* How many pages a walk reads from its cursor on before it descends. */
#define LEAF_CURSOR_PAGES 3

/*
 * How many issues after the last walk's a walk may be of and still read
 * the cursor's page first (a leaf page holds the entries of about twenty):
 * probes in another order than ascending, or far apart, descend at once,
 * where reading the cursor's page first made probes in random order about
 * a quarter slower.
 */
#define LEAF_CURSOR_REACH 64

/*
 * Start the walk on the cursor's leaf page, or a page right of it, when
 * that page holds every entry of the issue: its first entry is of an
 * earlier issue (every entry left of it is before that one) and its high
 * key of a later one (every entry right of it is after that one), read
 * under the page's share lock, as a split or a deletion leaves it.  The
 * page is copied and read from the copy, as leaf_walk reads its pages.
 * False, and nothing started, where the walk must descend from the root.
 *
 * Entries a transaction added after the copy was made are not in it; the
 * walk's snapshot sees none of them, since a transaction it sees had
 * committed before the walk began.  Under serializable isolation the
 * btree scan takes the predicate locks, and on a standby it does not pass
 * over entries marked dead on the primary: there the walk descends.
 */
static bool
walk_from_cursor(IndexWalk *walk, int64 issue)
{
	LeafCursor *cursor = walk->cursor;
	BlockNumber block;

	if (cursor == NULL)
		return false;
	if (!BlockNumberIsValid(cursor->block) ||
		!RelFileNodeEquals(cursor->node, walk->index->rd_node) ||
		issue < cursor->issue || issue - cursor->issue > LEAF_CURSOR_REACH ||
		IsolationIsSerializable() || RecoveryInProgress())
	{
		cursor->issue = issue;
		return false;
	}
	cursor->issue = issue;
	block = cursor->block;
	for (int pages = 0; pages < LEAF_CURSOR_PAGES; pages++)
	{
		Buffer		buf = read_index_page(walk->index, block, NULL, walk->snapshot);
		Page		page = BufferGetPage(buf);
		BTPageOpaque opaque;
		OffsetNumber low;
		OffsetNumber maxoff;

		opaque = BTPageGetOpaque(page);
		low = P_FIRSTDATAKEY(opaque);
		maxoff = PageGetMaxOffsetNumber(page);
		if (!P_ISLEAF(opaque) || P_IGNORE(opaque) || low > maxoff ||
			entry_issue((IndexTuple) PageGetItem(page, PageGetItemId(page, low)), walk->index) >= issue)
		{
			_bt_relbuf(walk->index, buf);
			return false;
		}
		if (!P_RIGHTMOST(opaque))
		{
			IndexTuple	high_key = (IndexTuple) PageGetItem(page, PageGetItemId(page, P_HIKEY));
			int64		bound;

			if (BTreeTupleGetNAtts(high_key, walk->index) < 1)
			{
				_bt_relbuf(walk->index, buf);
				return false;
			}
			bound = entry_issue(high_key, walk->index);
			if (bound < issue)
			{
				/* the issue's entries, if any, are further right */
				block = opaque->btpo_next;
				_bt_relbuf(walk->index, buf);
				continue;
			}
			if (bound == issue)
			{
				/* they may go on on the next page */
				_bt_relbuf(walk->index, buf);
				return false;
			}
		}
		memcpy(cursor->page.data, page, BLCKSZ);
		_bt_relbuf(walk->index, buf);
		cursor->block = block;
		page = (Page) cursor->page.data;

		walk->first = first_entry_past(page, walk->index, low, maxoff, issue - 1);
		/* below first when the issue has none */
		walk->last = first_entry_past(page, walk->index, walk->first, maxoff, issue) - 1;
		return true;
	}
	return false;
}

/*
 * Start a walk of the index over the table along the entries of one issue
 * (the index's first column, a bigint), under the active snapshot, giving
 * the columns listed (their numbers in the index and in the table; the
 * arrays must outlive the walk).  With a cursor, the walk starts where the
 * last one ended when it can, and leaves the cursor where it ends.
 */
void
index_walk_begin(IndexWalk *walk, Oid heap, Oid index, int64 issue,
				 int ncolumns, const AttrNumber *index_columns,
				 const AttrNumber *heap_columns, LeafCursor *cursor)
{
	ScanKeyData key;

	walk->heap = table_open(heap, AccessShareLock);
	walk->index = index_open(index, AccessShareLock);
	walk->snapshot = GetActiveSnapshot();
	walk->cursor = cursor;
	walk->vmbuffer = InvalidBuffer;
	walk->fetch = NULL;
	walk->slot = NULL;
	walk->ncolumns = ncolumns;
	walk->index_columns = index_columns;
	walk->heap_columns = heap_columns;
	walk->scan = NULL;
	if (walk->index->rd_rel->relam == BTREE_AM_OID && walk_from_cursor(walk, issue))
		return;
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(issue));
	walk->scan = index_beginscan(walk->heap, walk->index, walk->snapshot, 1, 0);
	walk->scan->xs_want_itup = true;
	index_rescan(walk->scan, &key, 1, NULL, 0);
}

/*
 * Whether the snapshot sees a version of the table's row the entry points
 * to, then in *slot; the fetch and the slot are made at the first call
 * (the caller ends them).
 */
static bool
fetch_row(Relation heap, ItemPointer tid, Snapshot snapshot,
		  IndexFetchTableData **fetch, TupleTableSlot **slot)
{
	bool		call_again = false;
	bool		all_dead = false;

	if (*fetch == NULL)
	{
		*fetch = table_index_fetch_begin(heap);
		*slot = table_slot_create(heap, NULL);
	}
	/* an MVCC snapshot sees at most one version of a HOT chain */
	return table_index_fetch_tuple(*fetch, tid, snapshot, *slot, &call_again, &all_dead);
}

/* The next entry of the cursor's copy the snapshot sees: index_walk_next. */
static bool
copy_walk_next(IndexWalk *walk, ScanDirection direction, Datum *values, bool *isnull)
{
	Page		page = (Page) walk->cursor->page.data;

	while (walk->first <= walk->last)
	{
		OffsetNumber offset = ScanDirectionIsBackward(direction) ? walk->last-- : walk->first++;
		ItemId		item = PageGetItemId(page, offset);
		IndexTuple	entry;

		/* marked dead by an earlier scan: no snapshot sees it */
		if (ItemIdIsDead(item))
			continue;
		entry = (IndexTuple) PageGetItem(page, item);
		if (BTreeTupleIsPosting(entry))
			elog(ERROR, "index \"%s\" has a posting list: a unique index with INCLUDE columns was expected",
				 RelationGetRelationName(walk->index));
		if (VM_ALL_VISIBLE(walk->heap, ItemPointerGetBlockNumber(&entry->t_tid), &walk->vmbuffer))
		{
			for (int i = 0; i < walk->ncolumns; i++)
				values[i] = index_getattr(entry, walk->index_columns[i],
										  RelationGetDescr(walk->index), &isnull[i]);
			return true;
		}
		if (!fetch_row(walk->heap, &entry->t_tid, walk->snapshot, &walk->fetch, &walk->slot))
			continue;
		for (int i = 0; i < walk->ncolumns; i++)
			values[i] = slot_getattr(walk->slot, walk->heap_columns[i], &isnull[i]);
		return true;
	}
	return false;
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

	if (scan == NULL)
		return copy_walk_next(walk, direction, values, isnull);
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
	if (walk->fetch != NULL)
		table_index_fetch_end(walk->fetch);
	if (walk->slot != NULL)
		ExecDropSingleTupleTableSlot(walk->slot);
	if (walk->scan != NULL)
	{
		/* the leaf page the scan stands on, for the next walk */
		if (walk->cursor != NULL && walk->index->rd_rel->relam == BTREE_AM_OID)
		{
			BTScanOpaque so = (BTScanOpaque) walk->scan->opaque;

			if (BTScanPosIsValid(so->currPos))
			{
				walk->cursor->block = so->currPos.currPage;
				walk->cursor->node = walk->index->rd_node;
			}
		}
		index_endscan(walk->scan);
	}
	index_close(walk->index, AccessShareLock);
	table_close(walk->heap, AccessShareLock);
}

/*
 * The table pages one page of the visibility map covers (two bits each),
 * as visibilitymap.c counts them; only the walk's speed depends on it.
 */
#define HEAP_BLOCKS_PER_VM_PAGE \
	((BlockNumber) ((BLCKSZ - MAXALIGN(SizeOfPageHeaderData)) * (BITS_PER_BYTE / BITS_PER_HEAPBLOCK)))

/*
 * A table page's all-visible bit, read from the page of the visibility map
 * that covers it, pinned in buf, as visibilitymap_get_status reads it: two
 * bits a table page, four pages a byte (visibilitymap.c's HEAPBLK_TO_MAPBYTE
 * and HEAPBLK_TO_OFFSET; the map's layout is on-disk format, which
 * pg_upgrade copies as it is), and one byte read needs no lock.  The walk
 * reads the map pages it keeps pinned itself: the function call and its
 * check of which page the buffer holds, for every entry, were about a tenth
 * of a walk at five million issues.
 */
static inline bool
heap_block_all_visible(Buffer buf, BlockNumber block)
{
	const uint8 *map = (const uint8 *) PageGetContents(BufferGetPage(buf));
	uint32		within = block % HEAP_BLOCKS_PER_VM_PAGE;
	uint8		bits = map[within / (BITS_PER_BYTE / BITS_PER_HEAPBLOCK)] >>
		(within % (BITS_PER_BYTE / BITS_PER_HEAPBLOCK)) * BITS_PER_HEAPBLOCK;

	return (bits & VISIBILITYMAP_ALL_VISIBLE) != 0;
}

/*
 * Start a walk of the leaf level of a btree index over the table, under the
 * active snapshot.  The index's first column is a bigint, the key whose
 * runs the walk gives (leaf_walk_next).
 *
 * Each leaf page is read under its share lock, as a btree scan reads the
 * entries it returns, and the next page is its right sibling.  Entries only
 * ever move right (a split moves the upper half of a page to a new page on
 * its right), so a walk sees every entry that was on the leaf level when
 * it started; one added after the walk passed its page was written by a
 * transaction the snapshot does not see.  A page deleted meanwhile is
 * passed over.  Before the table is read for an entry (its table page is
 * not all-visible), the page is copied and its lock released, so that no
 * index page is locked while the table is read; the walk goes on from the
 * copy.  Most pages are never copied: copying every page was a fifth of
 * leaf_walk_next's time at five million issues.
 */
void
leaf_walk_begin(LeafWalk *walk, Oid heap, Oid index)
{
	Buffer		buf;

	walk->heap = table_open(heap, AccessShareLock);
	walk->index = index_open(index, AccessShareLock);
	if (walk->index->rd_rel->relam != BTREE_AM_OID ||
		TupleDescAttr(RelationGetDescr(walk->index), 0)->atttypid != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("index \"%s\" is not a btree whose first column is a bigint",
						RelationGetRelationName(walk->index)),
				 errhint("The issuelist extension's objects were changed; reinstall or upgrade it.")));
	walk->snapshot = GetActiveSnapshot();
	/* as a sequential scan of the table does, for serializable transactions */
	PredicateLockRelation(walk->heap, walk->snapshot);
	/*
	 * A buffer kept for each page of the visibility map: the entries of one
	 * leaf page point all over the table, and one buffer for the map would
	 * be exchanged at almost every entry (a look-up in the buffer table each
	 * time, a seventh of the walk).  The map of table pages added since is
	 * read through one more buffer, exchanged as needed.
	 */
	walk->nvmbuffers = RelationGetNumberOfBlocks(walk->heap) / HEAP_BLOCKS_PER_VM_PAGE + 1;
	walk->vmbuffers = palloc((walk->nvmbuffers + 1) * sizeof(Buffer));
	for (int i = 0; i <= walk->nvmbuffers; i++)
		walk->vmbuffers[i] = InvalidBuffer;
	walk->fetch = NULL;
	walk->slot = NULL;
	/*
	 * An index larger than a quarter of the shared buffers is read through
	 * a small ring of buffers, as a sequential scan of such a table is: it
	 * passes once over every page, and would otherwise push out of the
	 * buffers the pages the queries around it keep reading.
	 */
	walk->strategy = RelationGetNumberOfBlocks(walk->index) > (BlockNumber) (NBuffers / 4)
		? GetAccessStrategy(BAS_BULKREAD) : NULL;
	walk->current = NULL;
	walk->locked = InvalidBuffer;
	walk->page_ended = false;
	walk->offset = walk->maxoff = InvalidOffsetNumber;
	buf = _bt_get_endpoint(walk->index, 0, false, walk->snapshot);
	if (!BufferIsValid(buf))
	{
		walk->next = P_NONE;	/* an empty index */
		return;
	}
	walk->next = BufferGetBlockNumber(buf);
	_bt_relbuf(walk->index, buf);
}

/* Let go of the page being read: its buffer's lock and pin, or its copy. */
static void
leaf_walk_leave_page(LeafWalk *walk)
{
	if (BufferIsValid(walk->locked))
		_bt_relbuf(walk->index, walk->locked);
	walk->locked = InvalidBuffer;
	walk->current = NULL;
}

/*
 * Read the page being read from a copy from now on, its buffer's lock
 * released; the copy has the same entries at the same offsets.
 */
static void
leaf_walk_copy_page(LeafWalk *walk)
{
	if (!BufferIsValid(walk->locked))
		return;
	memcpy(walk->page.data, walk->current, BLCKSZ);
	_bt_relbuf(walk->index, walk->locked);
	walk->locked = InvalidBuffer;
	walk->current = (Page) walk->page.data;
}

/* Lock the next leaf page, passing over deleted ones: false at the end. */
static bool
leaf_walk_lock_next_page(LeafWalk *walk)
{
	while (walk->next != P_NONE)
	{
		Buffer		buf = read_index_page(walk->index, walk->next, walk->strategy,
										  walk->snapshot);
		Page		page = BufferGetPage(buf);
		BTPageOpaque opaque = BTPageGetOpaque(page);

		if (!P_ISLEAF(opaque))
			elog(ERROR, "index \"%s\": block %u is not a leaf page",
				 RelationGetRelationName(walk->index), walk->next);
		walk->next = opaque->btpo_next;
		if (P_IGNORE(opaque))
		{
			_bt_relbuf(walk->index, buf);
			CHECK_FOR_INTERRUPTS();
			continue;
		}
		walk->locked = buf;
		walk->current = page;
		walk->offset = P_FIRSTDATAKEY(opaque);
		walk->maxoff = PageGetMaxOffsetNumber(page);
		return true;
	}
	return false;
}

/* The first column of an entry: a bigint, never NULL in a walk's index. */
static inline int64
entry_key(IndexTuple entry, Relation index)
{
	if (IndexTupleHasNulls(entry) && att_isnull(0, (bits8 *) entry + sizeof(IndexTupleData)))
		elog(ERROR, "index \"%s\" has an entry whose first column is NULL",
			 RelationGetRelationName(index));
	return DatumGetInt64(fetch_att((char *) entry + IndexInfoFindDataOffset(entry->t_info),
								   true, sizeof(int64)));
}

/*
 * Whether the snapshot sees the entry at offset of the page being read:
 * true with *row NULL when its table page is all-visible, as an index-only
 * scan reads it; else the page is copied first (no index page is locked
 * while the table is read) and *row is the version the snapshot sees.
 */
static bool
leaf_walk_sees(LeafWalk *walk, OffsetNumber offset, TupleTableSlot **row)
{
	ItemId		item = PageGetItemId(walk->current, offset);
	IndexTuple	entry;
	BlockNumber block;
	BlockNumber map_page;

	/* marked dead by an earlier scan: no snapshot sees it */
	if (ItemIdIsDead(item))
		return false;
	entry = (IndexTuple) PageGetItem(walk->current, item);
	if (BTreeTupleIsPosting(entry))
		elog(ERROR, "index \"%s\" has a posting list: a unique index with INCLUDE columns was expected",
			 RelationGetRelationName(walk->index));
	*row = NULL;
	block = ItemPointerGetBlockNumber(&entry->t_tid);
	map_page = Min(block / HEAP_BLOCKS_PER_VM_PAGE, (BlockNumber) walk->nvmbuffers);
	if (map_page < (BlockNumber) walk->nvmbuffers && BufferIsValid(walk->vmbuffers[map_page]))
	{
		if (heap_block_all_visible(walk->vmbuffers[map_page], block))
			return true;
	}
	else
	{
		/* the map's page is read, or exchanged, with no index page locked */
		leaf_walk_copy_page(walk);
		if (VM_ALL_VISIBLE(walk->heap, block, &walk->vmbuffers[map_page]))
			return true;
	}
	leaf_walk_copy_page(walk);
	entry = (IndexTuple) PageGetItem(walk->current, PageGetItemId(walk->current, offset));
	if (!fetch_row(walk->heap, &entry->t_tid, walk->snapshot, &walk->fetch, &walk->slot))
		return false;
	*row = walk->slot;
	return true;
}

/*
 * The next step of the walk: LEAF_ENTRY for each run of entries of a page
 * with the same first column (an issue's events), its last entry the
 * snapshot sees (*entry, at offset *at of its page; *row NULL when its
 * table page is all-visible, as an index-only scan reads it, else the
 * version the snapshot sees); LEAF_PAGE_END when the page's entries are
 * done; LEAF_DONE at the end.  Entries before a run's last one the
 * snapshot sees are not checked against the table: the reader of the
 * walk wants each issue's head.  An entry's pointer is valid until the
 * next step, a row too; the page's entries, by their offset
 * (leaf_walk_entry), until the step after LEAF_PAGE_END.
 */
LeafStep
leaf_walk_next(LeafWalk *walk, IndexTuple *entry, OffsetNumber *at, TupleTableSlot **row)
{
	if (walk->page_ended)
	{
		leaf_walk_leave_page(walk);
		walk->page_ended = false;
		CHECK_FOR_INTERRUPTS();
	}
	for (;;)
	{
		OffsetNumber first;
		OffsetNumber last;
		int64		key;

		if (walk->current == NULL && !leaf_walk_lock_next_page(walk))
			return LEAF_DONE;
		if (walk->offset > walk->maxoff)
		{
			walk->page_ended = true;
			return LEAF_PAGE_END;
		}
		first = walk->offset;
		key = entry_key((IndexTuple) PageGetItem(walk->current,
												 PageGetItemId(walk->current, first)),
						walk->index);
		for (last = first; last < walk->maxoff; last++)
			if (entry_key((IndexTuple) PageGetItem(walk->current,
												   PageGetItemId(walk->current, last + 1)),
						  walk->index) != key)
				break;
		walk->offset = OffsetNumberNext(last);
		for (OffsetNumber o = last; o >= first; o--)
		{
			if (!leaf_walk_sees(walk, o, row))
				continue;
			*at = o;
			*entry = leaf_walk_entry(walk, o);
			return LEAF_ENTRY;
		}
	}
}

/* The entry at an offset of the page being read (leaf_walk_next). */
IndexTuple
leaf_walk_entry(LeafWalk *walk, OffsetNumber at)
{
	Assert(walk->current != NULL && at <= walk->maxoff);
	return (IndexTuple) PageGetItem(walk->current, PageGetItemId(walk->current, at));
}

void
leaf_walk_end(LeafWalk *walk)
{
	if (walk->current != NULL)
		leaf_walk_leave_page(walk);
	for (int i = 0; i <= walk->nvmbuffers; i++)
		if (BufferIsValid(walk->vmbuffers[i]))
			ReleaseBuffer(walk->vmbuffers[i]);
	pfree(walk->vmbuffers);
	if (walk->strategy != NULL)
		FreeAccessStrategy(walk->strategy);
	if (walk->fetch != NULL)
	{
		table_index_fetch_end(walk->fetch);
		ExecDropSingleTupleTableSlot(walk->slot);
	}
	index_close(walk->index, AccessShareLock);
	table_close(walk->heap, AccessShareLock);
}
