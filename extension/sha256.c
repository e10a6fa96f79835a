/*
 * sha256.c
 *		SHA-256 of two byte strings one after the other: an event's link
 *		(the previous hash, then the event's canonical bytes) and a link of
 *		the chain of heads (the chain so far, then an issue and its head).
 *
 *		With OpenSSL, which every Debian build of PostgreSQL uses, the digest
 *		is fetched once per backend and one context serves every call.
 *		PostgreSQL's cryptohash API initializes its context with
 *		EVP_sha256(), and OpenSSL 3 looks that implementation up again at
 *		every initialization, under a read-write lock taken and released
 *		twice: in history_heads_digest, one digest per issue, the look-ups
 *		and the locks took about as long as the hashing (a digest of 72
 *		bytes: about 330 ns through the API, 125 ns with the digest fetched
 *		once, on this project's test machines).  A build of PostgreSQL
 *		without OpenSSL gets PostgreSQL's own implementation through the same
 *		API as before.
 *
 *		Where OpenSSL still has its SHA256_Init family (deprecated in 3.0,
 *		kept unless it was built without it), that is used instead: its
 *		context lives on the stack, where EVP_DigestInit_ex frees and
 *		allocates the provider's context at every initialization (malloc,
 *		free and OPENSSL_cleanse were a tenth of history_heads_digest's time
 *		under perf); the same compression function, with SHA extensions
 *		where the processor has them.  Otherwise the EVP context lives as
 *		long as the backend (OpenSSL allocates it with malloc, outside any
 *		memory context); an error between two calls leaves nothing to clean
 *		up, since each call initializes it again.
 */
#include "postgres.h"

#include "sha256.h"

#ifdef USE_OPENSSL
/* SHA256_Init and the rest, deprecated since OpenSSL 3.0, without warnings */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#else
#include "common/cryptohash.h"
#endif

#ifdef USE_OPENSSL

static void
openssl_failed(void)
{
	unsigned long code = ERR_get_error();
	const char *why = code != 0 ? ERR_reason_error_string(code) : NULL;

	ERR_clear_error();
	ereport(ERROR,
			(errcode(ERRCODE_INTERNAL_ERROR),
			 errmsg("could not compute a SHA-256 digest: %s",
					why != NULL ? why : "OpenSSL gave no reason")));
}

#ifndef OPENSSL_NO_DEPRECATED_3_0

void
sha256_pair(const void *first, size_t first_len, const void *second, size_t second_len,
			uint8 digest[PG_SHA256_DIGEST_LENGTH])
{
	SHA256_CTX	ctx;

	if (SHA256_Init(&ctx) != 1 ||
		SHA256_Update(&ctx, first, first_len) != 1 ||
		SHA256_Update(&ctx, second, second_len) != 1 ||
		SHA256_Final(digest, &ctx) != 1)
		openssl_failed();
}

#else							/* OPENSSL_NO_DEPRECATED_3_0 */

void
sha256_pair(const void *first, size_t first_len, const void *second, size_t second_len,
			uint8 digest[PG_SHA256_DIGEST_LENGTH])
{
	static const EVP_MD *md = NULL;
	static EVP_MD_CTX *ctx = NULL;
	unsigned int len;

	if (md == NULL)
	{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
#else
		md = EVP_sha256();		/* before OpenSSL 3: no look-up per init */
#endif
		if (md == NULL)
			openssl_failed();
	}
	if (ctx == NULL && (ctx = EVP_MD_CTX_new()) == NULL)
		openssl_failed();
	if (EVP_DigestInit_ex(ctx, md, NULL) != 1 ||
		EVP_DigestUpdate(ctx, first, first_len) != 1 ||
		EVP_DigestUpdate(ctx, second, second_len) != 1 ||
		EVP_DigestFinal_ex(ctx, digest, &len) != 1)
		openssl_failed();
	if (len != PG_SHA256_DIGEST_LENGTH)
		elog(ERROR, "SHA-256 digest of %u bytes", len);
}

#endif							/* OPENSSL_NO_DEPRECATED_3_0 */

#else							/* !USE_OPENSSL */

void
sha256_pair(const void *first, size_t first_len, const void *second, size_t second_len,
			uint8 digest[PG_SHA256_DIGEST_LENGTH])
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (ctx == NULL ||
		pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, first, first_len) < 0 ||
		pg_cryptohash_update(ctx, second, second_len) < 0 ||
		pg_cryptohash_final(ctx, digest, PG_SHA256_DIGEST_LENGTH) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not compute a SHA-256 digest: %s",
						ctx != NULL ? pg_cryptohash_error(ctx) : "out of memory")));
	pg_cryptohash_free(ctx);
}

#endif							/* USE_OPENSSL */
