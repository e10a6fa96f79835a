/*
 * index_walk.h
 *		A walk along a btree index of issuelist's own tables, read as an
 *		index-only scan reads it (index_walk.c).
 */
#ifndef INDEX_WALK_H
#define INDEX_WALK_H

#include "postgres.h"

#include "access/genam.h"
#include "access/itup.h"
#include "access/relscan.h"
#include "access/sdir.h"
#include "executor/tuptable.h"
#include "storage/block.h"
#include "storage/buf.h"
#include "storage/relfilenode.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"

/*
 * Where a walk of one issue's entries ended: the leaf page, in the index's
 * file then, and room for a copy of it.  The next walk, for a later issue
 * of the same query, starts from that page when it holds all of that
 * issue's entries (or from one of the pages right of it), instead of
 * descending from the root (index_walk_begin).
 */
typedef struct LeafCursor
{
	BlockNumber block;			/* InvalidBlockNumber: none yet */
	RelFileNode node;
	int64		issue;			/* the issue the last walk was of */
	PGAlignedBlock page;		/* the copy a walk on the cursor's page reads */
} LeafCursor;

typedef struct IndexWalk
{
	Relation	heap;
	Relation	index;
	Snapshot	snapshot;
	IndexScanDesc scan;			/* NULL: the walk reads the cursor's copy */
	LeafCursor *cursor;			/* or NULL */
	OffsetNumber first;			/* on the copy, the issue's entries not yet read */
	OffsetNumber last;
	Buffer		vmbuffer;		/* the visibility map page at hand */
	IndexFetchTableData *fetch; /* for entries of the copy checked against the table */
	TupleTableSlot *slot;		/* for entries checked against the table */
	int			ncolumns;
	const AttrNumber *index_columns;	/* where each column is in the index */
	const AttrNumber *heap_columns; /* and in the table */
} IndexWalk;

extern bool caller_reads_whole_table(Oid relid);
extern Oid	relation_in_schema(const char *name, Oid namespace);
extern AttrNumber column_named(TupleDesc desc, const char *name, const char *where);
extern void history_index_columns(Oid namespace, int ncolumns, const char *const *names,
								  Oid *heap, Oid *index, AttrNumber *index_columns,
								  AttrNumber *heap_columns);
extern void leaf_cursor_init(LeafCursor *cursor);
extern void index_walk_begin(IndexWalk *walk, Oid heap, Oid index, int64 issue,
							 int ncolumns, const AttrNumber *index_columns,
							 const AttrNumber *heap_columns, LeafCursor *cursor);
extern bool index_walk_next(IndexWalk *walk, ScanDirection direction, Datum *values, bool *isnull);
extern void index_walk_end(IndexWalk *walk);

/*
 * A walk along the leaf level of a btree index whose first column is a
 * bigint, for a reader of each run of entries with the same first column
 * (each issue's last event the snapshot sees): each leaf page is read
 * under its lock, without the per-entry work of an index scan, and only a
 * run's last entries are checked against the table.
 */
typedef struct LeafWalk
{
	Relation	heap;
	Relation	index;
	Snapshot	snapshot;
	BlockNumber next;			/* the page right of the one being read, P_NONE at the end */
	Page		current;		/* the page being read: its buffer's, or the copy; NULL */
	Buffer		locked;			/* its buffer, pinned and share-locked, or InvalidBuffer */
	OffsetNumber offset;		/* its next entry */
	OffsetNumber maxoff;
	bool		page_ended;		/* LEAF_PAGE_END given: the next step leaves it */
	PGAlignedBlock page;		/* the copy, once the table is read for an entry */
	BufferAccessStrategy strategy;	/* a ring for a large index, or NULL */
	int			nvmbuffers;		/* the visibility map's pages when it began */
	Buffer	   *vmbuffers;		/* each of them pinned, and one for the rest */
	IndexFetchTableData *fetch; /* for entries checked against the table */
	TupleTableSlot *slot;
} LeafWalk;

typedef enum LeafStep
{
	LEAF_ENTRY,					/* a run's last entry the snapshot sees */
	LEAF_PAGE_END,				/* the page's entries are done: the next step leaves it */
	LEAF_DONE
} LeafStep;

extern void leaf_walk_begin(LeafWalk *walk, Oid heap, Oid index);
extern LeafStep leaf_walk_next(LeafWalk *walk, IndexTuple *entry, OffsetNumber *at,
							   TupleTableSlot **row);
extern IndexTuple leaf_walk_entry(LeafWalk *walk, OffsetNumber at);
extern void leaf_walk_end(LeafWalk *walk);

#endif							/* INDEX_WALK_H */
