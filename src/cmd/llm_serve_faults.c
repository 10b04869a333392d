/*
 * cmd/llm_serve_faults.c - which fault a request of crowdelic llm-serve gets:
 * the kinds and their names, the seeded random source behind --fault-rate
 * and the latency jitter, and the per-body counts behind X-Fault-Times.
 *
 * Threads: everything here is called from HTTP threads at once. The random
 * source is one atomic counter; the body counts sit under their own mutex.
 */
#include "core/compat.h"

#include "cmd/llm_serve.h"
#include "core/sha256.h"
#include "core/span.h"
#include "core/xalloc.h"

#include <pthread.h>

/* Largest X-Fault-Times accepted. */
#define FAULT_TIMES_MAX 1000000

static const char *const fault_names[LS_FAULT_COUNT_] = {
    [LS_FAULT_NONE] = "none",
    [LS_FAULT_429] = "429",
    [LS_FAULT_500] = "500",
    [LS_FAULT_503] = "503",
    [LS_FAULT_TIMEOUT] = "timeout",
    [LS_FAULT_MALFORMED] = "malformed",
    [LS_FAULT_TRUNCATED] = "truncated",
    [LS_FAULT_SCHEMA] = "schema",
    [LS_FAULT_PROSE] = "prose",
};

const char *ls_fault_name(enum ls_fault f)
{
    return (unsigned)f < LS_FAULT_COUNT_ ? fault_names[f] : "?";
}

bool ls_fault_parse(const char *s, size_t n, enum ls_fault *out)
{
    struct span v = span_trim(span_make(s, n));
    for (size_t i = 0; i < LS_FAULT_COUNT_; i++) {
        if (span_eq_nocase(v, fault_names[i])) {
            *out = (enum ls_fault)i;
            return true;
        }
    }
    return false;
}

/* ---- the random source ---------------------------------------------------------------- */

void ls_rng_init(struct ls_rng *r, uint64_t seed)
{
    atomic_init(&r->state, seed);
}

/* splitmix64: each draw takes the next counter value and mixes it. */
uint64_t ls_rng_next(struct ls_rng *r)
{
    uint64_t z =
        atomic_fetch_add(&r->state, UINT64_C(0x9E3779B97F4A7C15)) + UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

double ls_rng_unit(struct ls_rng *r)
{
    return (double)(ls_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t ls_rng_upto(struct ls_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    if (n == UINT64_MAX)
        return ls_rng_next(r);
    /* rejection sampling: no modulo bias */
    uint64_t range = n + 1, limit = UINT64_MAX - UINT64_MAX % range;
    uint64_t x;
    do
        x = ls_rng_next(r);
    while (x >= limit);
    return x % range;
}

/* ---- the flags -------------------------------------------------------------------------- */

enum err_code ls_fault_plan_parse(struct ls_fault_plan *plan, const char *list, struct err *err)
{
    plan->n_kinds = 0;
    struct span rest = span_cstr(list);
    bool seen[LS_FAULT_COUNT_] = { false };
    do {
        struct span item = span_trim(span_cut(&rest, ','));
        enum ls_fault f;
        if (!ls_fault_parse(item.ptr, item.len, &f) || f == LS_FAULT_NONE)
            return err_set(err, ERR_INVALID, "--fault",
                           "--fault: '%.*s' is not a fault kind (expected a list of 429, 500, "
                           "503, timeout, malformed, truncated, schema, prose)",
                           SPAN_FMT(item));
        if (seen[f])
            return err_set(err, ERR_INVALID, "--fault", "--fault: '%s' is listed twice",
                           ls_fault_name(f));
        seen[f] = true;
        plan->kinds[plan->n_kinds++] = f;
    } while (rest.len);
    return ERR_OK;
}

/* ---- per-body counts ------------------------------------------------------------------------ */

#define BODY_BUCKETS 1024

struct body_count {
    struct body_count *next;
    uint64_t count;
    char hash[SHA256_HEX_LEN];
};

struct ls_body_counts {
    pthread_mutex_t lock;
    struct body_count *buckets[BODY_BUCKETS];
};

struct ls_body_counts *ls_body_counts_new(void)
{
    struct ls_body_counts *c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

/* Frees every entry; lock held or single-threaded. */
static void clear_buckets(struct ls_body_counts *c)
{
    for (size_t i = 0; i < BODY_BUCKETS; i++) {
        while (c->buckets[i]) {
            struct body_count *e = c->buckets[i];
            c->buckets[i] = e->next;
            free(e);
        }
    }
}

void ls_body_counts_free(struct ls_body_counts *c)
{
    if (!c)
        return;
    clear_buckets(c);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void ls_body_counts_reset(struct ls_body_counts *c)
{
    pthread_mutex_lock(&c->lock);
    clear_buckets(c);
    pthread_mutex_unlock(&c->lock);
}

uint64_t ls_body_counts_bump(struct ls_body_counts *c, const void *p, size_t n)
{
    char hash[SHA256_HEX_LEN];
    sha256_hex(p, n, hash);
    /* the digest is uniform: its first hex digits make a fine bucket index */
    size_t b = 0;
    for (size_t i = 0; i < 3; i++)
        b = b * 16 + (size_t)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
    b %= BODY_BUCKETS;
    pthread_mutex_lock(&c->lock);
    struct body_count *e = c->buckets[b];
    while (e && memcmp(e->hash, hash, SHA256_HEX_LEN) != 0)
        e = e->next;
    if (!e) {
        e = xcalloc(1, sizeof(*e));
        memcpy(e->hash, hash, SHA256_HEX_LEN);
        e->next = c->buckets[b];
        c->buckets[b] = e;
    }
    uint64_t before = e->count++;
    pthread_mutex_unlock(&c->lock);
    return before;
}

/* ---- the decision ------------------------------------------------------------------------------
 */

enum err_code ls_fault_decide(const struct ls_fault_plan *plan, bool use_plan, struct ls_rng *rng,
                              struct ls_body_counts *counts, const char *x_fault,
                              const char *x_times, const void *body, size_t body_len,
                              enum ls_fault *out, struct err *err)
{
    *out = LS_FAULT_NONE;
    if (x_fault) {
        enum ls_fault f;
        if (!ls_fault_parse(x_fault, strlen(x_fault), &f))
            return err_set(err, ERR_INVALID, "X-Fault",
                           "X-Fault: '%.40s' is not a fault kind (expected none, 429, 500, 503, "
                           "timeout, malformed, truncated, schema or prose)",
                           x_fault);
        uint64_t times = UINT64_MAX;
        if (x_times && !span_parse_u64(span_trim(span_cstr(x_times)), FAULT_TIMES_MAX, &times))
            return err_set(err, ERR_INVALID, "X-Fault-Times",
                           "X-Fault-Times: '%.40s' is not a whole number in 0..%d", x_times,
                           FAULT_TIMES_MAX);
        if (x_times && f != LS_FAULT_NONE && ls_body_counts_bump(counts, body, body_len) >= times)
            f = LS_FAULT_NONE; /* this body has had its faults */
        *out = f;
        return ERR_OK;
    }
    if (x_times)
        return err_set(err, ERR_INVALID, "X-Fault-Times", "X-Fault-Times needs X-Fault");
    if (use_plan && plan->n_kinds > 0 && plan->rate > 0 && ls_rng_unit(rng) < plan->rate)
        *out = plan->kinds[ls_rng_upto(rng, plan->n_kinds - 1)];
    return ERR_OK;
}
