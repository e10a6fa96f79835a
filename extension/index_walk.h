/*
 * index_walk.h
 *		A walk along a btree index of issuelist's own tables, read as an
 *		index-only scan reads it (index_walk.c).
 */
#ifndef INDEX_WALK_H
#define INDEX_WALK_H

#include "postgres.h"

#include "access/genam.h"
#include "access/sdir.h"
#include "executor/tuptable.h"
#include "storage/buf.h"
#include "utils/relcache.h"

typedef struct IndexWalk
{
	Relation	heap;
	Relation	index;
	IndexScanDesc scan;
	Buffer		vmbuffer;		/* the visibility map page at hand */
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
extern void index_walk_begin(IndexWalk *walk, Oid heap, Oid index, ScanKey keys, int nkeys,
							 int ncolumns, const AttrNumber *index_columns,
							 const AttrNumber *heap_columns);
extern bool index_walk_next(IndexWalk *walk, ScanDirection direction, Datum *values, bool *isnull);
extern void index_walk_end(IndexWalk *walk);

#endif							/* INDEX_WALK_H */
