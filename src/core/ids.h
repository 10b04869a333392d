/*
 * core/ids.h - identifiers: UUIDv7 text ids (ARCHITECTURE.md "Storage") and
 * random hex tokens, from libsodium's CSPRNG. Thread-safe; ids from one
 * process are strictly increasing even within one millisecond.
 */
#ifndef CORE_IDS_H
#define CORE_IDS_H

#include "core/compat.h"

#define IDS_UUID_LEN 37 /* 36 characters + NUL */

/* Prepares the random generator; call once in main before threads start. */
void ids_init(void);

/* Writes a new lower-case UUIDv7 ("0192f5c8-…") into out. */
void ids_uuid7(char out[IDS_UUID_LEN]);

/* Writes 2*n_bytes random lower-case hex digits plus NUL into out. */
void ids_random_hex(char *out, size_t n_bytes);
/* A random seed of 53 bits, so JSON carries it exactly (a run's or a factory's, when none is
 * given). */
uint64_t ids_random_seed(void);

/* True when s[0..len) is a UUID in canonical lower- or upper-case text form. */
bool ids_is_uuid(const char *s, size_t len);

#endif
