/*
 * llm/ratelimit.c - two token buckets (requests and tokens per minute) and
 * the fair queue of waiting calls, round-robin by run.
 *
 * Buckets count in integer units of 1/60000 of a token (or request), so
 * that one millisecond refills exactly `per_minute` units: no rounding ever
 * creeps in, and ratelimit_wait_ms is exact (take fails one millisecond
 * earlier and succeeds at now + wait). Invariants: level <= cap; level >=
 * LEVEL_MIN; last_ms only grows.
 *
 * The fair queue keeps the runs that have items in a rotation (a singly
 * linked list whose head is the run whose turn it is); each run has a FIFO
 * of items. Lookup by tag is a linear scan: tens of runs.
 *
 * Not thread-safe: the gateway's thread owns both structures.
 */
#include "core/compat.h"

#include "llm/ratelimit.h"

#include "core/xalloc.h"

/* ---- token buckets ----------------------------------------------------------
 *
 * Each bucket holds at most cap = per_minute * UNITS units; each elapsed
 * millisecond adds per_minute units. Refilling is composable (refilling to
 * t1 then to t2 gives the same level as refilling to t2 at once), so
 * ratelimit_wait_ms may refill without disturbing later answers.
 */

#define UNITS INT64_C(60000) /* units per token: milliseconds per minute */

/* Larger budgets are clamped to this (far beyond any provider's limit). */
#define PER_MINUTE_MAX INT64_C(1000000000000)

/* The deepest debt a bucket can go into; keeps every sum in int64_t. */
#define LEVEL_MIN (INT64_MIN / 4)

struct bucket {
    int64_t per_minute; /* budget per minute; 0: disabled */
    int64_t cap;        /* per_minute * UNITS */
    int64_t level;      /* units available now; negative after a debt */
};

struct ratelimit {
    struct bucket req; /* requests */
    struct bucket tok; /* tokens */
    int64_t last_ms;   /* latest now_ms seen; the buckets are current as of it */
};

/* n * UNITS, saturated to INT64_MAX / 4 (n >= 0). */
static int64_t to_units(int64_t n)
{
    if (n > (INT64_MAX / 4) / UNITS)
        return INT64_MAX / 4;
    return n * UNITS;
}

static void bucket_init(struct bucket *b, int64_t per_minute)
{
    assert(per_minute >= 0);
    if (per_minute < 0)
        per_minute = 0;
    if (per_minute > PER_MINUTE_MAX)
        per_minute = PER_MINUTE_MAX;
    b->per_minute = per_minute;
    b->cap = per_minute * UNITS;
    b->level = b->cap;
}

/* Adds elapsed milliseconds of refill, never past cap. */
static void bucket_refill(struct bucket *b, uint64_t elapsed)
{
    if (b->per_minute == 0 || b->level >= b->cap)
        return;
    int64_t room = b->cap - b->level;
    uint64_t ms_to_full = (uint64_t)((room + b->per_minute - 1) / b->per_minute);
    if (elapsed >= ms_to_full)
        b->level = b->cap;
    else
        b->level += (int64_t)elapsed * b->per_minute; /* < room + per_minute */
}

/* Removes units (>= 0), going into debt down to LEVEL_MIN at most. */
static void bucket_debit(struct bucket *b, int64_t units)
{
    int64_t level = b->level - units; /* both within INT64_MAX / 4 */
    b->level = level < LEVEL_MIN ? LEVEL_MIN : level;
}

/*
 * The units a call of n (>= 0) needs to find in the bucket before it may
 * take: n itself, except that a call larger than the whole budget needs
 * only a full bucket.
 */
static int64_t bucket_need(const struct bucket *b, int64_t n)
{
    return n >= b->per_minute ? b->cap : n * UNITS;
}

static bool bucket_has(const struct bucket *b, int64_t n)
{
    return b->per_minute == 0 || b->level >= bucket_need(b, n);
}

/* Milliseconds of refill until the bucket has n; 0 if it has them now. */
static int64_t bucket_wait(const struct bucket *b, int64_t n)
{
    if (bucket_has(b, n))
        return 0;
    int64_t deficit = bucket_need(b, n) - b->level; /* > 0, fits: see LEVEL_MIN */
    return (deficit + b->per_minute - 1) / b->per_minute;
}

/*
 * Brings both buckets up to now_ms. A now_ms earlier than one already seen
 * (a stale timestamp, or a clock that stepped back) adds nothing and does
 * not move last_ms back, so no interval is ever credited twice.
 */
static void refill(struct ratelimit *rl, int64_t now_ms)
{
    if (now_ms <= rl->last_ms)
        return;
    uint64_t elapsed = (uint64_t)now_ms - (uint64_t)rl->last_ms;
    bucket_refill(&rl->req, elapsed);
    bucket_refill(&rl->tok, elapsed);
    rl->last_ms = now_ms;
}

struct ratelimit *ratelimit_new(int64_t rpm, int64_t tpm, int64_t now_ms)
{
    struct ratelimit *rl = xcalloc(1, sizeof(*rl));
    bucket_init(&rl->req, rpm);
    bucket_init(&rl->tok, tpm);
    rl->last_ms = now_ms;
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    free(rl);
}

bool ratelimit_take(struct ratelimit *rl, int64_t now_ms, int64_t tokens)
{
    assert(rl != NULL);
    if (tokens < 0)
        tokens = 0;
    refill(rl, now_ms);
    if (!bucket_has(&rl->req, 1) || !bucket_has(&rl->tok, tokens))
        return false;
    if (rl->req.per_minute != 0)
        bucket_debit(&rl->req, UNITS);
    if (rl->tok.per_minute != 0)
        bucket_debit(&rl->tok, to_units(tokens));
    return true;
}

int64_t ratelimit_wait_ms(struct ratelimit *rl, int64_t now_ms, int64_t tokens)
{
    assert(rl != NULL);
    if (tokens < 0)
        tokens = 0;
    refill(rl, now_ms);
    int64_t wait_req = bucket_wait(&rl->req, 1);
    int64_t wait_tok = bucket_wait(&rl->tok, tokens);
    int64_t wait = wait_req > wait_tok ? wait_req : wait_tok;
    if (wait == 0)
        return 0;
    /* refilling starts only at last_ms when now_ms is behind it */
    if (now_ms < rl->last_ms) {
        int64_t gap;
        if (__builtin_sub_overflow(rl->last_ms, now_ms, &gap) ||
            __builtin_add_overflow(wait, gap, &wait))
            return INT64_MAX;
    }
    return wait;
}

void ratelimit_correct(struct ratelimit *rl, int64_t now_ms, int64_t delta)
{
    assert(rl != NULL);
    refill(rl, now_ms);
    struct bucket *b = &rl->tok;
    if (b->per_minute == 0 || delta == 0)
        return;
    if (delta > 0) {
        bucket_debit(b, to_units(delta));
        return;
    }
    int64_t back = delta == INT64_MIN ? INT64_MAX : -delta;
    int64_t units = to_units(back);
    b->level = units >= b->cap - b->level ? b->cap : b->level + units;
}

int64_t ratelimit_estimate_tokens(size_t chars)
{
    size_t n = chars / 4 + (chars % 4 != 0);
    return n > (size_t)INT64_MAX ? INT64_MAX : (int64_t)n;
}

/* ---- the fair queue -----------------------------------------------------------
 *
 * rotation is the list of runs with at least one item, head first: the head
 * is the run whose turn it is. Popping serves the head and moves it to the
 * tail, or drops it from the rotation when its queue is empty; a run that
 * queues while outside the rotation joins at the tail, after every run
 * already waiting has had its turn.
 */

struct fairq_item {
    void *item;
    struct fairq_item *next;
};

struct fairq_run {
    char *tag;               /* owned copy */
    struct fairq_item *head; /* the next item of this run; never NULL */
    struct fairq_item *tail; /* the last item of this run */
    struct fairq_run *next;  /* the next run in the rotation */
};

struct fairq {
    struct fairq_run *head; /* whose turn it is; NULL when empty */
    struct fairq_run *tail; /* the last run in the rotation */
    size_t n_items;
};

struct fairq *fairq_new(void)
{
    return xcalloc(1, sizeof(struct fairq));
}

void fairq_free(struct fairq *q, void (*drop)(void *item))
{
    if (q == NULL)
        return;
    struct fairq_run *run = q->head;
    while (run != NULL) {
        struct fairq_run *next_run = run->next;
        struct fairq_item *it = run->head;
        while (it != NULL) {
            struct fairq_item *next_it = it->next;
            if (drop != NULL)
                drop(it->item);
            free(it);
            it = next_it;
        }
        free(run->tag);
        free(run);
        run = next_run;
    }
    free(q);
}

/* The run tagged run in the rotation, or a new empty one at its tail. */
static struct fairq_run *run_get(struct fairq *q, const char *tag)
{
    for (struct fairq_run *run = q->head; run != NULL; run = run->next) {
        if (strcmp(run->tag, tag) == 0)
            return run;
    }
    struct fairq_run *run = xcalloc(1, sizeof(*run));
    run->tag = xstrdup(tag);
    if (q->tail != NULL)
        q->tail->next = run;
    else
        q->head = run;
    q->tail = run;
    return run;
}

void fairq_push(struct fairq *q, const char *run, void *item)
{
    assert(q != NULL && run != NULL && item != NULL);
    struct fairq_run *r = run_get(q, run);
    struct fairq_item *it = xmalloc(sizeof(*it));
    it->item = item;
    it->next = NULL;
    if (r->tail != NULL)
        r->tail->next = it;
    else
        r->head = it;
    r->tail = it;
    q->n_items++;
}

void fairq_push_front(struct fairq *q, const char *run, void *item)
{
    assert(q != NULL && run != NULL && item != NULL);
    struct fairq_run *r = run_get(q, run);
    struct fairq_item *it = xmalloc(sizeof(*it));
    it->item = item;
    it->next = r->head;
    r->head = it;
    if (r->tail == NULL)
        r->tail = it;
    q->n_items++;
}

void *fairq_peek(struct fairq *q)
{
    assert(q != NULL);
    return q->head != NULL ? q->head->head->item : NULL;
}

void *fairq_pop(struct fairq *q)
{
    assert(q != NULL);
    struct fairq_run *run = q->head;
    if (run == NULL)
        return NULL;
    struct fairq_item *it = run->head;
    void *item = it->item;
    run->head = it->next;
    if (run->head == NULL)
        run->tail = NULL;
    free(it);
    q->n_items--;

    /* take the run off the head; back at the tail if it still waits */
    q->head = run->next;
    if (q->head == NULL)
        q->tail = NULL;
    run->next = NULL;
    if (run->head == NULL) {
        free(run->tag);
        free(run);
    } else if (q->tail != NULL) {
        q->tail->next = run;
        q->tail = run;
    } else {
        q->head = run;
        q->tail = run;
    }
    return item;
}

size_t fairq_len(const struct fairq *q)
{
    assert(q != NULL);
    return q->n_items;
}
