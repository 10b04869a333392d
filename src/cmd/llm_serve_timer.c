/*
 * cmd/llm_serve_timer.c - the timer of crowdelic llm-serve: a binary min-heap
 * of (due time, sequence, callback) and one thread that sleeps on a
 * CLOCK_MONOTONIC condition variable until the earliest entry is due.
 *
 * Delayed answers never block an HTTP thread and never hold a worker each:
 * a thousand requests waiting 200 ms are a thousand heap entries. Entries
 * due at the same time run in the order they were added (the sequence).
 *
 * Locks: t->lock guards the heap and the flags; callbacks always run with it
 * released, so a callback may add entries. Threads: any thread adds; the
 * timer thread runs due entries; ls_timer_expedite() and ls_timer_close()
 * run theirs on the calling thread.
 */
#include "core/compat.h"

#include "cmd/llm_serve.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <pthread.h>

struct entry {
    int64_t due_ns;
    uint64_t seq;
    unsigned tag;
    ls_timer_fn *fn;
    void *arg;
};

struct ls_timer {
    pthread_mutex_t lock;
    pthread_cond_t wake; /* CLOCK_MONOTONIC: a new earliest entry, or close */
    struct entry *heap;
    size_t n, alloc;
    uint64_t next_seq;
    unsigned expedited; /* tags refused and run at once */
    bool stopping;      /* the thread must return */
    bool closed;        /* adds refused */
    bool running;
    pthread_t thread;
};

/* ---- the heap -------------------------------------------------------------------- */

static bool before(const struct entry *a, const struct entry *b)
{
    return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->seq < b->seq);
}

static void sift_up(struct entry *h, size_t i)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(&h[i], &h[parent]))
            break;
        struct entry tmp = h[i];
        h[i] = h[parent];
        h[parent] = tmp;
        i = parent;
    }
}

static void sift_down(struct entry *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && before(&h[l], &h[m]))
            m = l;
        if (r < n && before(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        struct entry tmp = h[i];
        h[i] = h[m];
        h[m] = tmp;
        i = m;
    }
}

/* Removes and returns the earliest entry; t->n > 0, lock held. */
static struct entry pop(struct ls_timer *t)
{
    struct entry top = t->heap[0];
    t->heap[0] = t->heap[--t->n];
    sift_down(t->heap, t->n, 0);
    return top;
}

/* ---- the thread ------------------------------------------------------------------------ */

static struct timespec mono_deadline(int64_t due_ns)
{
    return (struct timespec){ .tv_sec = (time_t)(due_ns / 1000000000),
                              .tv_nsec = (long)(due_ns % 1000000000) };
}

static void *timer_main(void *arg)
{
    struct ls_timer *t = arg;
    pthread_mutex_lock(&t->lock);
    while (!t->stopping) {
        if (t->n == 0) {
            pthread_cond_wait(&t->wake, &t->lock);
            continue;
        }
        int64_t due = t->heap[0].due_ns;
        if (due > clock_mono_ns()) {
            struct timespec until = mono_deadline(due);
            pthread_cond_timedwait(&t->wake, &t->lock, &until);
            continue; /* re-read: an earlier entry, a stop, or the time */
        }
        struct entry e = pop(t);
        pthread_mutex_unlock(&t->lock);
        e.fn(e.arg, false);
        pthread_mutex_lock(&t->lock);
    }
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

struct ls_timer *ls_timer_new(void)
{
    struct ls_timer *t = xcalloc(1, sizeof(*t));
    pthread_mutex_init(&t->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->wake, &ca);
    pthread_condattr_destroy(&ca);
    int rc = pthread_create(&t->thread, NULL, timer_main, t);
    if (rc != 0) {
        LOG_ERROR("llm-serve", "cannot start the timer thread: %s", strerror(rc));
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->lock);
        free(t);
        return NULL;
    }
    t->running = true;
    return t;
}

/* ---- adding and draining ------------------------------------------------------------------ */

bool ls_timer_add(struct ls_timer *t, int64_t due_ns, unsigned tag, ls_timer_fn *fn, void *arg)
{
    pthread_mutex_lock(&t->lock);
    if (t->closed || (tag & t->expedited)) {
        pthread_mutex_unlock(&t->lock);
        return false;
    }
    ALLOC_GROW(t->heap, t->n + 1, t->alloc);
    t->heap[t->n] =
        (struct entry){ .due_ns = due_ns, .seq = t->next_seq++, .tag = tag, .fn = fn, .arg = arg };
    sift_up(t->heap, t->n);
    t->n++;
    bool earliest = t->heap[0].seq == t->next_seq - 1;
    pthread_mutex_unlock(&t->lock);
    if (earliest)
        pthread_cond_signal(&t->wake); /* the thread may be sleeping until a later time */
    return true;
}

/* Runs entries[0..n) in due order (early) and frees the array. */
static void run_all(struct entry *entries, size_t n)
{
    /* heapify then pop, so they run in due order */
    for (size_t i = n / 2; i-- > 0;)
        sift_down(entries, n, i);
    while (n > 0) {
        struct entry e = entries[0];
        entries[0] = entries[--n];
        sift_down(entries, n, 0);
        e.fn(e.arg, true);
    }
    free(entries);
}

void ls_timer_expedite(struct ls_timer *t, unsigned tags)
{
    pthread_mutex_lock(&t->lock);
    t->expedited |= tags;
    struct entry *taken = xcalloc(t->n ? t->n : 1, sizeof(*taken));
    size_t n_taken = 0, kept = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->heap[i].tag & tags)
            taken[n_taken++] = t->heap[i];
        else
            t->heap[kept++] = t->heap[i];
    }
    t->n = kept;
    for (size_t i = kept / 2; i-- > 0;)
        sift_down(t->heap, kept, i);
    pthread_mutex_unlock(&t->lock);
    pthread_cond_signal(&t->wake);
    run_all(taken, n_taken);
}

size_t ls_timer_pending(struct ls_timer *t)
{
    pthread_mutex_lock(&t->lock);
    size_t n = t->n;
    pthread_mutex_unlock(&t->lock);
    return n;
}

void ls_timer_close(struct ls_timer *t)
{
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    bool join = t->running;
    t->running = false;
    pthread_mutex_unlock(&t->lock);
    pthread_cond_broadcast(&t->wake);
    if (join)
        pthread_join(t->thread, NULL);

    pthread_mutex_lock(&t->lock);
    t->closed = true;
    struct entry *left = t->heap;
    size_t n = t->n;
    t->heap = NULL;
    t->n = t->alloc = 0;
    pthread_mutex_unlock(&t->lock);
    if (left)
        run_all(left, n);
}

void ls_timer_free(struct ls_timer *t)
{
    if (!t)
        return;
    ls_timer_close(t);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
    free(t);
}
