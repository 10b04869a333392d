/*
 * core/prng.h - the explicit random generator (STYLE.md S3): no hidden
 * global state; every run, persona or answer owns a state seeded from what
 * it is about, so results replay exactly. xoshiro256** seeded through
 * splitmix64. Not for secrets (ids.h and libsodium are).
 */
#ifndef CORE_PRNG_H
#define CORE_PRNG_H

#include "core/compat.h"

struct prng {
    uint64_t s[4];
};

/* Seeds from one number. */
void prng_seed(struct prng *r, uint64_t seed);

/* A seed from a base and any number of strings: FNV-1a over them, then mixed. */
uint64_t prng_mix(uint64_t base, const char *s);

uint64_t prng_next(struct prng *r);
/* Uniform in [0, n) without modulo bias; 0 when n is 0. */
uint64_t prng_below(struct prng *r, uint64_t n);
/* Uniform in [0, 1). */
double prng_unit(struct prng *r);
/* Normal with mean 0 and standard deviation 1 (Box-Muller). */
double prng_normal(struct prng *r);
/* Shuffles n elements of size bytes each in place (Fisher-Yates). */
void prng_shuffle(struct prng *r, void *base, size_t n, size_t size);

#endif
