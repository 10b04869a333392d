/*
 * core/secret.c - argon2id through libsodium's crypto_pwhash_str (see
 * secret.h).
 */
#include "core/compat.h"

#include "core/secret.h"

#include <sodium.h>

static void limits(enum pwhash_cost cost, unsigned long long *ops, size_t *mem)
{
    if (cost == PWHASH_MINIMUM) {
        *ops = crypto_pwhash_OPSLIMIT_MIN;
        *mem = crypto_pwhash_MEMLIMIT_MIN;
    } else {
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }
}

const char *pwhash_cost_name(enum pwhash_cost cost)
{
    return cost == PWHASH_MINIMUM ? "argon2id t=1 m=8KiB (test only)"
                                  : "argon2id t=2 m=64MiB (libsodium INTERACTIVE)";
}

enum err_code secret_hash_password(const char *password, size_t len, enum pwhash_cost cost,
                                   char out[SECRET_HASH_LEN], struct err *err)
{
    unsigned long long ops;
    size_t mem;
    limits(cost, &ops, &mem);
    _Static_assert(SECRET_HASH_LEN == crypto_pwhash_STRBYTES, "hash buffer size");
    if (crypto_pwhash_str(out, password, len, ops, mem) != 0)
        return err_set(err, ERR_INTERNAL, NULL, "password hashing ran out of memory");
    return ERR_OK;
}

bool secret_check_password(const char *hash, const char *password, size_t len)
{
    return hash && crypto_pwhash_str_verify(hash, password, len) == 0;
}

bool secret_equal(const void *a, const void *b, size_t n)
{
    return sodium_memcmp(a, b, n) == 0;
}
