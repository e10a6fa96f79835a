/*
 * sha256.h
 *		SHA-256 of two byte strings one after the other, the one step of every
 *		hash of the history (sha256.c).
 */
#ifndef ISSUELIST_SHA256_H
#define ISSUELIST_SHA256_H

#include "postgres.h"

#include "common/sha2.h"

extern void sha256_pair(const void *first, size_t first_len,
						const void *second, size_t second_len,
						uint8 digest[PG_SHA256_DIGEST_LENGTH]);

#endif							/* ISSUELIST_SHA256_H */
