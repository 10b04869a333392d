/*
 * core/sha256.c - sha256_hex() over libsodium's crypto_hash_sha256, and
 * hmac_sha256_hex() over its crypto_auth_hmacsha256 (any key length).
 * No state; reentrant.
 */
#include "core/compat.h"

#include "core/sha256.h"

#include <sodium.h>

static_assert(crypto_hash_sha256_BYTES * 2 + 1 == SHA256_HEX_LEN, "hex length matches digest");

void sha256_hex(const void *p, size_t n, char out[SHA256_HEX_LEN])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    /* libsodium's input is declared non-NULL; an empty input still needs a pointer */
    static const unsigned char empty[1];
    crypto_hash_sha256(digest, n ? p : empty, (unsigned long long)n);
    sodium_bin2hex(out, SHA256_HEX_LEN, digest, sizeof(digest));
}

void hmac_sha256_hex(const void *key, size_t key_len, const void *p, size_t n,
                     char out[SHA256_HEX_LEN])
{
    static const unsigned char empty[1];
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    /* the streaming form: crypto_auth_hmacsha256() itself takes only a 32-byte key */
    crypto_auth_hmacsha256_init(&st, key_len ? key : empty, key_len);
    crypto_auth_hmacsha256_update(&st, n ? p : empty, (unsigned long long)n);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof(st));
    sodium_bin2hex(out, SHA256_HEX_LEN, mac, sizeof(mac));
}
