/*
 * core/sha256.h - SHA-256 digests as lower-case hex text, e.g. the checksums
 * that schema_migrations records for each migration file, and HMAC-SHA256
 * (RFC 2104), e.g. the signature of an outgoing webhook.
 *
 * A thin wrapper over libsodium (which only core/ may include), so layers
 * above never see sodium types. Reentrant; safe from any thread, and usable
 * before sodium_init() (the SHA-256 code has no runtime CPU dispatch).
 */
#ifndef CORE_SHA256_H
#define CORE_SHA256_H

#include "core/compat.h"

#define SHA256_HEX_LEN 65 /* 64 hex digits + NUL */

/*
 * Writes the SHA-256 of p[0..n) into out as 64 lower-case hex digits and a
 * NUL. p may be NULL when n is 0.
 */
void sha256_hex(const void *p, size_t n, char out[SHA256_HEX_LEN]);

/*
 * Writes HMAC-SHA256 of p[0..n) under key[0..key_len) into out as 64
 * lower-case hex digits and a NUL: what `openssl dgst -sha256 -hmac KEY`
 * and Python's hmac.new(key, msg, "sha256").hexdigest() print. A key of any
 * length (a longer one than 64 bytes is hashed first, as the RFC says); p
 * and key may be NULL when their length is 0.
 */
void hmac_sha256_hex(const void *key, size_t key_len, const void *p, size_t n,
                     char out[SHA256_HEX_LEN]);

#endif
