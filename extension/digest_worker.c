/*
 * digest_worker.c
 *		A publication's two reads of the history side by side: the officials'
 *		pass (responsible_tallies_pass, itself a parallel query) in this
 *		backend, and the digest of the chain heads (heads_digest) in a
 *		parallel worker of its own.
 *
 *		freeze_quarter ran one after the other, and during the digest, a
 *		walk of the whole index on (issue, seq) in one backend, every other
 *		core was idle (at five million issues 1.0-1.2 s of pass and 1.7 s of
 *		digest, 2.2-2.5 s side by side on two cores).  The worker sees what
 *		this backend sees: the same snapshot, user and settings, as a
 *		parallel query's workers do; an error in it is raised here.  When no
 *		worker can be had (max_parallel_workers, max_worker_processes), or
 *		when the digest is the aggregate's query under the caller's row
 *		security rather than the walk, the digest is taken here after the
 *		pass, as before.
 *
 *		The publication keeps to the workers a query may have: the digest's
 *		is one of max_parallel_workers_per_gather, and the pass plans with
 *		one fewer.  With two cores and the default two, the pass ran in two
 *		workers and this backend beside the digest's worker, four processes
 *		on two cores, and the digest, the longer of the two, finished alone
 *		on one core after the pass.  With one fewer, freezes of 4.9 million
 *		issues by hand: medians 2053 to 1940 ms, libraries alternating (24
 *		runs each); 2.51 to 2.14 s setting the workers in the session (1.94 s
 *		with the pass in this backend alone, which suits two cores only).
 *
 *		While the worker runs, this backend is in parallel mode, which allows
 *		only reading: the pass is run by read-only SPI from here (PL/pgSQL's
 *		statements of a VOLATILE function would each start a command, which
 *		parallel mode refuses).
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "optimizer/cost.h"
#include "storage/shm_toc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "history_hash.h"

/* The key of the worker's slot in the parallel context's table of contents. */
#define DIGEST_SLOT_KEY UINT64CONST(0x155E1157D1000001)

typedef struct DigestSlot
{
	Oid			namespace;		/* the extension's schema */
	bool		done;			/* set by the worker with its digest */
	int			length;			/* 0 for an empty history, else 32 */
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
} DigestSlot;

PGDLLEXPORT void heads_digest_worker_main(dsm_segment *seg, shm_toc *toc);

/* The worker: the digest into the slot. */
void
heads_digest_worker_main(dsm_segment *seg, shm_toc *toc)
{
	DigestSlot *slot = shm_toc_lookup(toc, DIGEST_SLOT_KEY, false);
	bytea	   *digest = heads_digest(slot->namespace);
	int			length = VARSIZE_ANY_EXHDR(digest);

	if (length != 0 && length != PG_SHA256_DIGEST_LENGTH)
		elog(ERROR, "history_heads_digest gave %d bytes", length);
	memcpy(slot->digest, VARDATA_ANY(digest), length);
	slot->length = length;
	slot->done = true;
	elog(DEBUG1, "issuelist: the history's digest taken in a parallel worker");
}

/* The officials' pass as publication_official rows of revision rev. */
static Datum
officials_pass(Oid fn_oid, Oid namespace, Datum q, Datum t, Datum rev)
{
	Oid		   *argtypes;
	int			nargs;
	Datum		values[3] = {q, t, rev};
	const char *schema = quote_identifier(get_namespace_name(namespace));
	char	   *sql;
	bool		isnull;
	Datum		people;

	get_func_signature(fn_oid, &argtypes, &nargs);
	if (nargs != 3)
		elog(ERROR, "tallies_beside_digest takes 3 arguments, not %d", nargs);
	sql = psprintf("SELECT coalesce(array_agg(ROW($1, $3, r.org, r.official, r.tally, r.clarified)"
				   "                          ::%1$s.publication_official), '{}')"
				   "  FROM %1$s.responsible_tallies_pass($1, $2) r", schema);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(sql, 3, argtypes, values, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "tallies_beside_digest: the officials' pass failed");
	people = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	/* out of SPI's memory, which SPI_finish frees */
	people = SPI_datumTransfer(people, false, -1);
	SPI_finish();
	return people;
}

PG_FUNCTION_INFO_V1(tallies_beside_digest);
/*
 * tallies_beside_digest(q, t, rev): the rows of publication_official for
 * revision rev of quarter q as of day t, and history_heads_digest(), read
 * side by side.
 */
Datum
tallies_beside_digest(PG_FUNCTION_ARGS)
{
	Oid			namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	ParallelContext *pcxt = NULL;
	int			guc_level = -1;
	DigestSlot *slot = NULL;
	bytea	   *digest = NULL;
	TupleDesc	desc;
	Datum		result[2];
	bool		nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "tallies_beside_digest must return a row");
	if (!IsInParallelMode() && max_parallel_workers > 0 && heads_digest_walks(namespace))
	{
		/*
		 * One worker fewer for the pass, set before parallel mode (which
		 * refuses settings) as a function's SET clause is: undone below, or
		 * by the abort of the (sub)transaction on an error.
		 */
		guc_level = NewGUCNestLevel();
		(void) set_config_option("max_parallel_workers_per_gather",
								 psprintf("%d", Max(max_parallel_workers_per_gather - 1, 0)),
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		EnterParallelMode();
		pcxt = CreateParallelContext("$libdir/issuelist", "heads_digest_worker_main", 1);
		shm_toc_estimate_chunk(&pcxt->estimator, sizeof(DigestSlot));
		shm_toc_estimate_keys(&pcxt->estimator, 1);
		InitializeParallelDSM(pcxt);
		slot = shm_toc_allocate(pcxt->toc, sizeof(DigestSlot));
		slot->namespace = namespace;
		slot->done = false;
		slot->length = 0;
		shm_toc_insert(pcxt->toc, DIGEST_SLOT_KEY, slot);
		LaunchParallelWorkers(pcxt);
		if (pcxt->nworkers_launched == 0)
		{
			/* no worker to be had: the pass with every worker, as before */
			DestroyParallelContext(pcxt);
			ExitParallelMode();
			AtEOXact_GUC(true, guc_level);
			pcxt = NULL;
		}
	}
	result[0] = officials_pass(fcinfo->flinfo->fn_oid, namespace,
							   PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), PG_GETARG_DATUM(2));
	if (pcxt != NULL)
	{
		WaitForParallelWorkersToFinish(pcxt);
		if (slot->done)			/* false when no worker could be launched */
		{
			digest = palloc(VARHDRSZ + slot->length);
			SET_VARSIZE(digest, VARHDRSZ + slot->length);
			memcpy(VARDATA(digest), slot->digest, slot->length);
		}
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		AtEOXact_GUC(true, guc_level);
	}
	if (digest == NULL)
		digest = heads_digest(namespace);
	result[1] = PointerGetDatum(digest);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), result, nulls)));
}
