/*
 * core/prng.c - xoshiro256** (Blackman and Vigna, public domain algorithm,
 * written here from its description) with splitmix64 seeding.
 */
#include "core/compat.h"

#include "core/prng.h"

#include "core/err.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void prng_seed(struct prng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

uint64_t prng_mix(uint64_t base, const char *s)
{
    uint64_t h = 1469598103934665603ull ^ base;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return splitmix64(&h);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t prng_next(struct prng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t prng_below(struct prng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    uint64_t limit = UINT64_MAX - UINT64_MAX % n; /* reject the biased tail */
    uint64_t x;
    do
        x = prng_next(r);
    while (x >= limit);
    return x % n;
}

double prng_unit(struct prng *r)
{
    return (double)(prng_next(r) >> 11) * 0x1.0p-53;
}

double prng_normal(struct prng *r)
{
    double u1 = prng_unit(r), u2 = prng_unit(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

void prng_shuffle(struct prng *r, void *base, size_t n, size_t size)
{
    unsigned char *p = base;
    unsigned char tmp[256];
    if (size > sizeof(tmp))
        BUG("prng_shuffle: elements of %zu bytes (shuffle pointers instead)", size);
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)prng_below(r, i);
        if (j == i - 1)
            continue;
        memcpy(tmp, p + (i - 1) * size, size);
        memcpy(p + (i - 1) * size, p + j * size, size);
        memcpy(p + j * size, tmp, size);
    }
}
