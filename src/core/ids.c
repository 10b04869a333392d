/*
 * core/ids.c - UUIDv7 (RFC 9562): 48-bit millisecond timestamp, version 7,
 * a 12-bit counter in rand_a that keeps ids of the same millisecond in order
 * (method 1 of RFC 9562 section 6.2), variant bits, 62 random bits.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/ids.h"

#include <pthread.h>
#include <sodium.h>

static pthread_mutex_t ids_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t ids_last_ms;
static unsigned ids_counter;

void ids_init(void)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "fatal: libsodium could not be initialised\n");
        abort();
    }
}

/*
 * Random bytes for ids, drawn from a per-thread buffer refilled from the
 * CSPRNG 32 ids at a time: an id is not a secret, and this saves a
 * getrandom() system call on every request. Secrets (ids_random_hex) do not
 * go through it.
 */
static void id_random(unsigned char *out, size_t n)
{
    static _Thread_local unsigned char pool[512];
    static _Thread_local size_t left;
    if (n > sizeof(pool)) {
        randombytes_buf(out, n);
        return;
    }
    if (left < n) {
        randombytes_buf(pool, sizeof(pool));
        left = sizeof(pool);
    }
    memcpy(out, pool + sizeof(pool) - left, n);
    left -= n;
}

void ids_uuid7(char out[IDS_UUID_LEN])
{
    unsigned char b[16];
    id_random(b, sizeof(b));

    pthread_mutex_lock(&ids_lock);
    int64_t ms = clock_now_ms();
    if (ms > ids_last_ms) {
        ids_last_ms = ms;
        ids_counter = b[6] & 0x07; /* random start, leaving room to count up */
    } else {
        /* same (or earlier) millisecond: count up, borrowing the next ms when full */
        ms = ids_last_ms;
        if (++ids_counter > 0xfff) {
            ids_counter = 0;
            ms = ++ids_last_ms;
        }
    }
    unsigned counter = ids_counter;
    pthread_mutex_unlock(&ids_lock);

    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)((uint64_t)ms >> (40 - 8 * i));
    b[6] = (unsigned char)(0x70 | ((counter >> 8) & 0x0f));
    b[7] = (unsigned char)(counter & 0xff);
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));

    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 0x0f];
    }
    out[o] = '\0';
}

void ids_random_hex(char *out, size_t n_bytes)
{
    unsigned char tmp[64];
    size_t done = 0;
    while (done < n_bytes) {
        size_t n = n_bytes - done < sizeof(tmp) ? n_bytes - done : sizeof(tmp);
        randombytes_buf(tmp, n);
        sodium_bin2hex(out + 2 * done, 2 * n + 1, tmp, n);
        done += n;
    }
    out[2 * n_bytes] = '\0';
    sodium_memzero(tmp, sizeof(tmp));
}

bool ids_is_uuid(const char *s, size_t len)
{
    if (len != 36)
        return false;
    for (size_t i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

uint64_t ids_random_seed(void)
{
    uint64_t v;
    randombytes_buf(&v, sizeof(v));
    return v >> 11;
}
