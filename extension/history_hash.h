/*
 * history_hash.h
 *		The digest of the history's chain heads, for the callers of C of
 *		their own (history_hash.c; digest_worker.c takes it in a parallel
 *		worker beside a publication's pass).
 */
#ifndef ISSUELIST_HISTORY_HASH_H
#define ISSUELIST_HISTORY_HASH_H

#include "postgres.h"

extern bytea *heads_digest(Oid namespace);
extern bool heads_digest_walks(Oid namespace);

#endif							/* ISSUELIST_HISTORY_HASH_H */
