/*
 * core/secret.h - passwords and secrets (libsodium): argon2id password
 * hashes and their checks, and constant-time comparison. Hashing is slow on
 * purpose (INTERACTIVE: about 0.2 s and 64 MiB, reference/libs.md 4.3):
 * callers run it on a bounded worker pool, never on an HTTP thread.
 * Reentrant; ids_init() must have run (it initialises libsodium).
 */
#ifndef CORE_SECRET_H
#define CORE_SECRET_H

#include "core/compat.h"
#include "core/err.h"

#define SECRET_HASH_LEN 128 /* libsodium's crypto_pwhash_STRBYTES */

enum pwhash_cost {
    PWHASH_INTERACTIVE, /* production: libsodium's INTERACTIVE limits (t=2, 64 MiB) */
    PWHASH_MINIMUM,     /* CROWDELIC_ENV=test only: the cheapest argon2id libsodium allows */
};

const char *pwhash_cost_name(enum pwhash_cost cost); /* "argon2id t=2 m=64MiB", ... */

/* Hashes password[0..len) into out ("$argon2id$v=19$..."). ERR_INTERNAL when memory runs out. */
enum err_code secret_hash_password(const char *password, size_t len, enum pwhash_cost cost,
                                   char out[SECRET_HASH_LEN], struct err *err);

/* Does password[0..len) match hash (the comparison inside is constant-time)? */
bool secret_check_password(const char *hash, const char *password, size_t len);

/* Are a[0..n) and b[0..n) equal, in time that does not depend on where they differ? */
bool secret_equal(const void *a, const void *b, size_t n);

#endif
