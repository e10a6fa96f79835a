/*
 * history_hash.c
 *		Tamper evidence for the history (docs/trust.md): every event of an
 *		issue carries hash = SHA-256(previous event's hash || the event's
 *		canonical bytes), a chain per issue.  This file defines the canonical
 *		bytes of an event, the SHA-256 step (sha256.c), and the BEFORE
 *		INSERT trigger that fills in the hash of a new
 *		event.  verify_history() and the publications' digests
 *		(extension/sql/26_history_chain.sql) are SQL over these.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "port/pg_bswap.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/typcache.h"

#include "history_hash.h"
#include "index_walk.h"
#include "sha256.h"

/*
 * The columns an event's hash covers, in this order: everything but its
 * internal id and the hash itself.  This list is the canonical form's
 * version 1; a column added to issue_event later is not covered unless a
 * new version of the form says so (old chains must keep verifying).
 */
static const char *const hashed_columns[] = {
	"issue", "seq", "org", "on_date", "recorded_at", "actor", "role",
	"event", "from_state", "to_state", "note", "state", "due_on",
	"reopen_count", "closed_on", "tolerated_until", "late", "late_reason",
	"field", "old_value", "new_value"
};

#define NHASHED lengthof(hashed_columns)

/*
 * The attribute number of a column of issue_event, found by name once and
 * kept for the rows after: a search by name of every hashed column, for
 * every event inserted, was a tenth of an event's insert.  A kept number is
 * used while it still names that column in the descriptor at hand (a table
 * altered since, or another row type of the same shape, makes it search
 * again).  Returns a number <= 0 when there is no such column.
 */
static int
column_number(TupleDesc desc, const char *name, int *kept)
{
	if (*kept > 0 && *kept <= desc->natts)
	{
		Form_pg_attribute att = TupleDescAttr(desc, *kept - 1);

		if (!att->attisdropped && strcmp(NameStr(att->attname), name) == 0)
			return *kept;
	}
	*kept = SPI_fnumber(desc, name);
	return *kept;
}

/*
 * Append one value to the canonical bytes: the column's name, a NUL, the
 * length (big-endian int32, -1 for NULL) and the bytes.  Fixed-size values
 * are written big-endian and text as its bytes in the database encoding,
 * so the form depends on no setting (DateStyle, TimeZone,
 * client_encoding) and on no machine.
 */
static void
append_value(StringInfo buf, const char *name, int16 typlen, bool typbyval,
			 Datum value, bool isnull)
{
	uint32		len;
	const char *data;
	union
	{
		uint8		u8;
		uint16		u16;
		uint32		u32;
		uint64		u64;
	}			fixed;

	appendBinaryStringInfo(buf, name, strlen(name) + 1);
	if (isnull)
	{
		len = pg_hton32(0xFFFFFFFF);
		appendBinaryStringInfo(buf, (char *) &len, 4);
		return;
	}
	if (typbyval)
	{
		switch (typlen)
		{
			case 1:
				fixed.u8 = DatumGetUInt8(value);
				break;
			case 2:
				fixed.u16 = pg_hton16(DatumGetUInt16(value));
				break;
			case 4:
				fixed.u32 = pg_hton32(DatumGetUInt32(value));
				break;
			case 8:
				fixed.u64 = pg_hton64(DatumGetUInt64(value));
				break;
			default:
				elog(ERROR, "column \"%s\" has a by-value length %d", name, typlen);
		}
		data = (const char *) &fixed;
		len = typlen;
	}
	else if (typlen == -1)
	{
		struct varlena *v = PG_DETOAST_DATUM_PACKED(value);

		data = VARDATA_ANY(v);
		len = VARSIZE_ANY_EXHDR(v);
	}
	else if (typlen == -2)
	{
		data = DatumGetCString(value);
		len = strlen(data);
	}
	else
	{
		/* name: a NUL-padded fixed-size string */
		data = DatumGetPointer(value);
		len = strnlen(data, typlen);
	}
	{
		uint32		netlen = pg_hton32(len);

		appendBinaryStringInfo(buf, (char *) &netlen, 4);
	}
	appendBinaryStringInfo(buf, data, len);
}

/*
 * The canonical bytes of an event, from a tuple of issue_event's shape,
 * deformed once.
 */
static void
event_canonical_bytes(StringInfo buf, TupleDesc desc, HeapTuple tuple)
{
	Datum	   *values = palloc(desc->natts * sizeof(Datum));
	bool	   *nulls = palloc(desc->natts * sizeof(bool));

	static int	kept[NHASHED];

	heap_deform_tuple(tuple, desc, values, nulls);
	for (int i = 0; i < (int) NHASHED; i++)
	{
		int			attnum = column_number(desc, hashed_columns[i], &kept[i]);
		Form_pg_attribute att;

		if (attnum <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("an event has no column \"%s\"", hashed_columns[i]),
					 errhint("The hash covers the columns of issuelist.issue_event.")));
		att = TupleDescAttr(desc, attnum - 1);
		append_value(buf, hashed_columns[i], att->attlen, att->attbyval,
					 values[attnum - 1], nulls[attnum - 1]);
	}
	pfree(values);
	pfree(nulls);
}

static bytea *
digest_bytea(const uint8 *digest)
{
	bytea	   *result = palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);

	SET_VARSIZE(result, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	memcpy(VARDATA(result), digest, PG_SHA256_DIGEST_LENGTH);
	return result;
}

PG_FUNCTION_INFO_V1(event_canonical);
/* event_canonical(issue_event): the bytes an event's hash covers. */
Datum
event_canonical(PG_FUNCTION_ARGS)
{
	HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);
	TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(row),
											  HeapTupleHeaderGetTypMod(row));
	HeapTupleData tuple;
	StringInfoData buf;
	bytea	   *result;

	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	initStringInfo(&buf);
	event_canonical_bytes(&buf, desc, &tuple);
	ReleaseTupleDesc(desc);
	result = palloc(VARHDRSZ + buf.len);
	SET_VARSIZE(result, VARHDRSZ + buf.len);
	memcpy(VARDATA(result), buf.data, buf.len);
	PG_RETURN_BYTEA_P(result);
}

PG_FUNCTION_INFO_V1(sha256_append);
/*
 * sha256_append(state bytea, data bytea) = SHA-256(state || data): one link
 * of a chain, and the step of the sha256_chain aggregate (whose initial
 * state is empty, so the first link is SHA-256(data)).
 */
Datum
sha256_append(PG_FUNCTION_ARGS)
{
	bytea	   *state = PG_GETARG_BYTEA_PP(0);
	bytea	   *data = PG_GETARG_BYTEA_PP(1);
	uint8		digest[PG_SHA256_DIGEST_LENGTH];

	sha256_pair(VARDATA_ANY(state), VARSIZE_ANY_EXHDR(state),
				VARDATA_ANY(data), VARSIZE_ANY_EXHDR(data), digest);
	PG_RETURN_BYTEA_P(digest_bytea(digest));
}

/*
 * The digest of the chain heads (history_heads_digest): the aggregate
 * sha256_heads_chain(issue, seq, hash) reads every event in (issue, seq)
 * order, as the index on it returns them, keeps each issue's last hash and
 * chains them as sha256_chain(int8send(issue) || hash ORDER BY issue) does,
 * without a sort of the heads and without a value per row: each issue's
 * link is chained as soon as the next issue begins, so the state's size is
 * fixed, whatever the history's.  Rows out of order are an error, never a
 * different digest.
 */
#define LINK_LEN (8 + PG_SHA256_DIGEST_LENGTH)	/* int8send(issue) || hash */

typedef struct HeadsChain
{
	bool		chained;		/* chain holds a value (a link was hashed) */
	uint8		chain[PG_SHA256_DIGEST_LENGTH];
	bool		pending;		/* issue/seq/head: the current issue's last event so far */
	int64		issue;
	int32		seq;
	uint8		head[PG_SHA256_DIGEST_LENGTH];
} HeadsChain;

/* Chain the pending issue's link onto chain (empty while !*chained). */
static void
chain_head(const HeadsChain *s, uint8 *chain, bool *chained)
{
	uint8		link[LINK_LEN];
	uint64		issue = pg_hton64((uint64) s->issue);

	memcpy(link, &issue, 8);
	memcpy(link + 8, s->head, PG_SHA256_DIGEST_LENGTH);
	sha256_pair(chain, *chained ? PG_SHA256_DIGEST_LENGTH : 0, link, LINK_LEN, chain);
	*chained = true;
}

/* Add one event, in (issue, seq) order, to the chain of heads. */
static void
heads_chain_add(HeadsChain *s, int64 issue, int32 seq, const void *hash, int hashlen)
{
	if (hashlen != PG_SHA256_DIGEST_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("event %d of issue %lld has a hash of %d bytes, not %d",
						seq, (long long) issue, hashlen, PG_SHA256_DIGEST_LENGTH)));
	if (s->pending && (issue < s->issue || (issue == s->issue && seq <= s->seq)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sha256_heads_chain: event %d of issue %lld came after event %d of issue %lld",
						seq, (long long) issue, s->seq, (long long) s->issue),
				 errhint("The events must come in (issue, seq) order.")));
	if (s->pending && issue != s->issue)
		chain_head(s, s->chain, &s->chained);
	s->pending = true;
	s->issue = issue;
	s->seq = seq;
	memcpy(s->head, hash, PG_SHA256_DIGEST_LENGTH);
}

/*
 * The chain with the last head (the state is left as it was); NULL, no
 * event: what sha256_chain returns for no input, its empty INITCOND.
 */
static bytea *
heads_chain_digest(HeadsChain *s)
{
	uint8		chain[PG_SHA256_DIGEST_LENGTH];
	bool		chained;
	bytea	   *result;

	if (s == NULL || !s->pending)
	{
		result = palloc(VARHDRSZ);
		SET_VARSIZE(result, VARHDRSZ);
		return result;
	}
	memcpy(chain, s->chain, PG_SHA256_DIGEST_LENGTH);
	chained = s->chained;
	chain_head(s, chain, &chained);
	return digest_bytea(chain);
}

PG_FUNCTION_INFO_V1(sha256_heads_chain_step);
Datum
sha256_heads_chain_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	HeadsChain *s;
	bytea	   *hash;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "sha256_heads_chain_step called outside an aggregate");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sha256_heads_chain needs an issue, a seq and a hash for every event")));
	if (PG_ARGISNULL(0))
		s = MemoryContextAllocZero(aggcontext, sizeof(HeadsChain));
	else
		s = (HeadsChain *) PG_GETARG_POINTER(0);
	hash = PG_GETARG_BYTEA_PP(3);
	heads_chain_add(s, PG_GETARG_INT64(1), PG_GETARG_INT32(2),
					VARDATA_ANY(hash), VARSIZE_ANY_EXHDR(hash));
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(sha256_heads_chain_final);
Datum
sha256_heads_chain_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(heads_chain_digest(PG_ARGISNULL(0) ? NULL : (HeadsChain *) PG_GETARG_POINTER(0)));
}

/*
 * history_heads_digest(): the digest of the chain heads of the whole
 * history, what freeze_quarter records.  As SQL it was the aggregate above
 * over an index-only scan of the index on (issue, seq), which includes the
 * hash: most of its time went to running the scan and the aggregate's step
 * for every event (at a million issues 1.3 s for 5.2 million events, where
 * a count of them takes 0.17 s).  Here the same index is walked in C
 * (index_walk.c) and each event goes to the same chain.  The history is
 * read whole only where no row security applies to the caller (it runs as
 * the extension's owner, inside freeze_quarter); for a caller that policies
 * filter, the digest is the aggregate's query under those policies, as
 * before.
 */
static const char *const heads_columns[] = {"issue", "seq", "hash"};

/* A stored hash into hash: 32 bytes, else an error, as heads_chain_add gives. */
static void
copy_hash(uint8 *hash, Datum value, bool isnull)
{
	bytea	   *b;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sha256_heads_chain needs an issue, a seq and a hash for every event")));
	b = DatumGetByteaPP(value);
	if (VARSIZE_ANY_EXHDR(b) != PG_SHA256_DIGEST_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an event has a hash of %d bytes, not %d",
						(int) VARSIZE_ANY_EXHDR(b), PG_SHA256_DIGEST_LENGTH)));
	memcpy(hash, VARDATA_ANY(b), PG_SHA256_DIGEST_LENGTH);
}

/*
 * Where seq lies in an entry's data of the index on (issue, seq): both are
 * fixed-width and never NULL, so an entry's issue and seq are read at fixed
 * offsets, where index_getattr walks every entry's null bitmap (a tenth of
 * the walk).
 */
static int
key_offsets(TupleDesc index_desc, const AttrNumber *index_columns)
{
	Form_pg_attribute issue = TupleDescAttr(index_desc, 0);
	Form_pg_attribute seq = TupleDescAttr(index_desc, 1);

	if (index_columns[0] != 1 || index_columns[1] != 2 ||
		issue->atttypid != INT8OID || seq->atttypid != INT4OID)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("index issue_event_seq does not begin with issue bigint, seq integer"),
				 errhint("The issuelist extension's objects were changed; reinstall or upgrade it.")));
	return att_align_nominal(issue->attlen, seq->attalign);
}

/* An entry's issue and seq; false when either is NULL. */
static inline bool
entry_issue_seq(IndexTuple entry, int seq_offset, int64 *issue, int32 *seq)
{
	char	   *data = (char *) entry + IndexInfoFindDataOffset(entry->t_info);

	if (IndexTupleHasNulls(entry))
	{
		bits8	   *nulls = (bits8 *) entry + sizeof(IndexTupleData);

		if (att_isnull(0, nulls) || att_isnull(1, nulls))
			return false;
	}
	*issue = DatumGetInt64(fetch_att(data, true, sizeof(int64)));
	*seq = DatumGetInt32(fetch_att(data + seq_offset, true, sizeof(int32)));
	return true;
}

/*
 * Where the hash lies in an entry of the index on (issue, seq): after the
 * snapshot's columns, some of them nullable, so index_getattr walks each
 * entry's null bitmap (nocache_index_getattr, about 8% of a digest at five
 * million issues).  Those columns are fixed-width, so the hash's place
 * depends only on which of them are NULL: computed once for each pattern
 * of the bitmap's first byte.  Another index (a column of varying width
 * before the hash, or more than eight before it) reads through
 * index_getattr.
 */
typedef struct HashPlace
{
	TupleDesc	desc;
	AttrNumber	column;			/* the hash's, from 1 */
	bool		by_pattern;		/* the columns before it: fixed-width, at most 8 */
	uint8		before;			/* the bitmap's bits of those columns */
	int16		offset[256];	/* where it begins for a pattern, or -1 */
} HashPlace;

static void
hash_place_init(HashPlace *place, TupleDesc desc, AttrNumber column)
{
	place->desc = desc;
	place->column = column;
	place->by_pattern = column - 1 <= BITS_PER_BYTE &&
		TupleDescAttr(desc, column - 1)->attlen == -1;
	for (int i = 0; i < column - 1; i++)
		if (TupleDescAttr(desc, i)->attlen <= 0)
			place->by_pattern = false;
	place->before = (uint8) ((1 << (column - 1)) - 1);
	memset(place->offset, -1, sizeof(place->offset));
}

/* The hash of an entry, as index_getattr reads it. */
static Datum
hash_of(HashPlace *place, IndexTuple entry, bool *isnull)
{
	bits8	   *nulls = (bits8 *) entry + sizeof(IndexTupleData);
	uint8		pattern;
	char	   *data;
	int			offset;

	if (!place->by_pattern)
		return index_getattr(entry, place->column, place->desc, isnull);
	*isnull = IndexTupleHasNulls(entry) && att_isnull(place->column - 1, nulls);
	if (*isnull)
		return (Datum) 0;
	pattern = IndexTupleHasNulls(entry) ? nulls[0] & place->before : place->before;
	if (place->offset[pattern] < 0)
	{
		offset = 0;
		for (int i = 0; i < place->column - 1; i++)
		{
			Form_pg_attribute att = TupleDescAttr(place->desc, i);

			if (pattern & (1 << i))
				offset = att_align_nominal(offset, att->attalign) + att->attlen;
		}
		place->offset[pattern] = offset;
	}
	data = (char *) entry + IndexInfoFindDataOffset(entry->t_info);
	offset = att_align_pointer(place->offset[pattern],
							   TupleDescAttr(place->desc, place->column - 1)->attalign,
							   -1, data + place->offset[pattern]);
	return PointerGetDatum(data + offset);
}

/*
 * The head kept as an entry of the page being walked (at *at, when valid):
 * its hash into hash, before the walk leaves the page or the head is
 * chained.
 */
static void
settle_head(uint8 *hash, OffsetNumber *at, LeafWalk *walk, HashPlace *place)
{
	bool		isnull;
	Datum		value;

	if (!OffsetNumberIsValid(*at))
		return;
	value = hash_of(place, leaf_walk_entry(walk, *at), &isnull);
	copy_hash(hash, value, isnull);
	*at = InvalidOffsetNumber;
}

/*
 * Whether heads_digest walks the index itself for the current user: else it
 * runs the aggregate's query under the user's privileges and policies.
 */
bool
heads_digest_walks(Oid namespace)
{
	return caller_reads_whole_table(relation_in_schema("issue_event", namespace));
}

PG_FUNCTION_INFO_V1(history_heads_digest);
Datum
history_heads_digest(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(heads_digest(get_func_namespace(fcinfo->flinfo->fn_oid)));
}

/* history_heads_digest() of the extension in the schema. */
bytea *
heads_digest(Oid namespace)
{
	Oid			event_rel;
	Oid			seq_index;
	AttrNumber	index_columns[lengthof(heads_columns)];
	AttrNumber	heap_columns[lengthof(heads_columns)];
	HeadsChain *s;
	LeafWalk	walk;
	bytea	   *result;
	bool		isnull;
	bool		have_head = false;
	int64		head_issue = 0;
	int32		head_seq = 0;
	OffsetNumber head_at = InvalidOffsetNumber; /* the head on the walk's page, not yet copied */
	int			seq_offset;
	HashPlace	hash_place;
	uint8		head_hash[PG_SHA256_DIGEST_LENGTH];

	history_index_columns(namespace, lengthof(heads_columns), heads_columns,
						  &event_rel, &seq_index, index_columns, heap_columns);
	if (!caller_reads_whole_table(event_rel))
	{
		char	   *sql = psprintf("SELECT %1$s.sha256_heads_chain(e.issue, e.seq, e.hash)"
								   "  FROM (SELECT e.issue, e.seq, e.hash FROM %1$s.issue_event e"
								   "         ORDER BY e.issue, e.seq) e",
								   quote_identifier(get_namespace_name(namespace)));
		bool		isnull;
		Datum		digest;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute(sql, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "history_heads_digest: the aggregate's query failed");
		digest = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (isnull)
			elog(ERROR, "history_heads_digest: the aggregate's query gave no digest");
		/* out of SPI's memory, which SPI_finish frees */
		digest = SPI_datumTransfer(digest, false, -1);
		SPI_finish();
		return DatumGetByteaPP(digest);
	}

	/*
	 * The leaf level in (issue, seq) order: the last entry the snapshot sees
	 * of each issue's run on a page, and only the head's hash, each issue's
	 * last entry (reading the hash, which lies after the nullable snapshot
	 * columns, was a sixth of a walk that read it from every entry).  The
	 * head found on a page is kept as its offset there, and its hash
	 * copied when that page ends before its issue does.
	 */
	s = palloc0(sizeof(HeadsChain));
	leaf_walk_begin(&walk, event_rel, seq_index);
	seq_offset = key_offsets(RelationGetDescr(walk.index), index_columns);
	hash_place_init(&hash_place, RelationGetDescr(walk.index), index_columns[2]);
	for (;;)
	{
		IndexTuple	entry;
		OffsetNumber at;
		TupleTableSlot *row;
		LeafStep	step = leaf_walk_next(&walk, &entry, &at, &row);
		int64		issue;
		int32		seq;

		if (step == LEAF_DONE)
			break;
		if (step == LEAF_PAGE_END)
		{
			settle_head(head_hash, &head_at, &walk, &hash_place);
			continue;
		}
		if (row == NULL)
			isnull = !entry_issue_seq(entry, seq_offset, &issue, &seq);
		else
		{
			issue = DatumGetInt64(slot_getattr(row, heap_columns[0], &isnull));
			seq = isnull ? 0 : DatumGetInt32(slot_getattr(row, heap_columns[1], &isnull));
		}
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("sha256_heads_chain needs an issue, a seq and a hash for every event")));
		if (have_head && issue != head_issue)
		{
			settle_head(head_hash, &head_at, &walk, &hash_place);
			heads_chain_add(s, head_issue, head_seq, head_hash, PG_SHA256_DIGEST_LENGTH);
		}
		else if (have_head && seq <= head_seq)
			elog(ERROR, "index \"%s\": event %d of issue %lld came after event %d",
				 RelationGetRelationName(walk.index), seq, (long long) issue, head_seq);
		have_head = true;
		head_issue = issue;
		head_seq = seq;
		head_at = InvalidOffsetNumber;
		if (row == NULL)
			head_at = at;
		else
		{
			Datum		hash = slot_getattr(row, heap_columns[2], &isnull);

			copy_hash(head_hash, hash, isnull);
		}
	}
	if (have_head)
	{
		settle_head(head_hash, &head_at, &walk, &hash_place);
		heads_chain_add(s, head_issue, head_seq, head_hash, PG_SHA256_DIGEST_LENGTH);
	}
	leaf_walk_end(&walk);
	result = heads_chain_digest(s);
	pfree(s);
	return result;
}

/*
 * The last hash this backend computed, so that a statement inserting many
 * events of one issue in order (the sample generator, an import, the
 * upgrade) needs no look-up for each.  It is used only within the same
 * command of the same (sub)transaction, where no rollback can have undone
 * the row it came from.
 */
static struct
{
	LocalTransactionId lxid;
	SubTransactionId subxid;
	CommandId	cid;
	int64		issue;
	int32		seq;
	uint8		hash[PG_SHA256_DIGEST_LENGTH];
}			last_hash;

static SPIPlanPtr previous_hash_plan = NULL;

/* The hash of the event before (issue, seq), into prev; false if none. */
static bool
previous_hash(Relation rel, int64 issue, int32 seq, uint8 *prev)
{
	Datum		args[2];
	bool		found = false;

	if (last_hash.lxid == MyProc->lxid &&
		last_hash.subxid == GetCurrentSubTransactionId() &&
		last_hash.cid == GetCurrentCommandId(false) &&
		last_hash.issue == issue && last_hash.seq == seq - 1)
	{
		memcpy(prev, last_hash.hash, PG_SHA256_DIGEST_LENGTH);
		return true;
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (previous_hash_plan == NULL)
	{
		Oid			types[2] = {INT8OID, INT4OID};
		char	   *query = psprintf("SELECT hash FROM %s.%s WHERE issue = $1 AND seq = $2",
									 quote_identifier(get_namespace_name(RelationGetNamespace(rel))),
									 quote_identifier(RelationGetRelationName(rel)));
		SPIPlanPtr	plan = SPI_prepare(query, 2, types);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		previous_hash_plan = plan;
	}
	args[0] = Int64GetDatum(issue);
	args[1] = Int32GetDatum(seq - 1);
	if (SPI_execute_plan(previous_hash_plan, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed");
	if (SPI_processed == 1)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull && VARSIZE_ANY_EXHDR(DatumGetByteaPP(d)) == PG_SHA256_DIGEST_LENGTH)
		{
			memcpy(prev, VARDATA_ANY(DatumGetByteaPP(d)), PG_SHA256_DIGEST_LENGTH);
			found = true;
		}
	}
	SPI_finish();
	return found;
}

PG_FUNCTION_INFO_V1(issue_event_hash);
/*
 * BEFORE INSERT trigger on issue_event: an event inserted without a hash
 * gets SHA-256(the previous event's hash || its canonical bytes).  A hash
 * given with the row (a restore of a dump) is kept: verify_history() is the
 * judge of whether it is right.
 */
Datum
issue_event_hash(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	tuple;
	int			hash_attnum;
	bool		isnull;
	int64		issue;
	int32		seq;
	uint8		prev[PG_SHA256_DIGEST_LENGTH];
	bool		has_prev = false;
	StringInfoData buf;
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	Datum		value;
	static int	kept_hash,
				kept_issue,
				kept_seq;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("issue_event_hash() must be a BEFORE INSERT FOR EACH ROW trigger")));
	desc = RelationGetDescr(trigdata->tg_relation);
	tuple = trigdata->tg_trigtuple;
	hash_attnum = column_number(desc, "hash", &kept_hash);
	if (hash_attnum <= 0)
		elog(ERROR, "issue_event has no column \"hash\"");
	(void) heap_getattr(tuple, hash_attnum, desc, &isnull);
	if (!isnull)
		return PointerGetDatum(tuple);

	issue = DatumGetInt64(heap_getattr(tuple, column_number(desc, "issue", &kept_issue),
									   desc, &isnull));
	seq = DatumGetInt32(heap_getattr(tuple, column_number(desc, "seq", &kept_seq),
									 desc, &isnull));
	if (seq > 1)
	{
		has_prev = previous_hash(trigdata->tg_relation, issue, seq, prev);
		if (!has_prev)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("event %d of issue %lld has no event %d before it to chain to",
							seq, (long long) issue, seq - 1),
					 errhint("Events of an issue are recorded in order of seq, from 1.")));
	}
	initStringInfo(&buf);
	event_canonical_bytes(&buf, desc, tuple);
	sha256_pair(prev, has_prev ? PG_SHA256_DIGEST_LENGTH : 0, buf.data, buf.len, digest);
	pfree(buf.data);

	last_hash.lxid = MyProc->lxid;
	last_hash.subxid = GetCurrentSubTransactionId();
	last_hash.cid = GetCurrentCommandId(false);
	last_hash.issue = issue;
	last_hash.seq = seq;
	memcpy(last_hash.hash, digest, PG_SHA256_DIGEST_LENGTH);

	{
		int			attnum[1] = {hash_attnum};
		bool		nulls[1] = {false};

		value = PointerGetDatum(digest_bytea(digest));
		tuple = heap_modify_tuple_by_cols(tuple, desc, 1, attnum, &value, nulls);
	}
	return PointerGetDatum(tuple);
}
