/*
 * store/kv_mem.c - the in-process kv: window counters in a hash table
 * under one mutex, bounded by sweeping ended windows (see kv.h).
 */
#include "core/compat.h"

#include "store/kv.h"

#include <pthread.h>

#include "core/xalloc.h"

struct window {
    char *key; /* NULL: a free slot */
    int64_t start_ms, end_ms, count;
};

struct kv_mem {
    struct kv iface; /* first */
    pthread_mutex_t lock;
    struct window *slots; /* open addressing, linear probing; n_slots a power of two */
    size_t n_slots, used, max_keys;
};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* The slot holding key, or the free slot where it would go. */
static struct window *slot_for(struct kv_mem *m, const char *key)
{
    size_t i = hash_key(key) & (m->n_slots - 1);
    while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
        i = (i + 1) & (m->n_slots - 1);
    return &m->slots[i];
}

/* Rebuilds the table with n_slots slots, keeping the windows that still run at now. */
static void rebuild(struct kv_mem *m, size_t n_slots, int64_t now_ms)
{
    struct window *old = m->slots;
    size_t n_old = m->n_slots;
    m->slots = xcalloc(n_slots, sizeof(*m->slots));
    m->n_slots = n_slots;
    m->used = 0;
    for (size_t i = 0; i < n_old; i++) {
        if (!old[i].key)
            continue;
        if (old[i].end_ms <= now_ms) {
            free(old[i].key);
            continue;
        }
        *slot_for(m, old[i].key) = old[i];
        m->used++;
    }
    free(old);
}

/* Makes room for one more key: sweep ended windows, grow, or drop the oldest. */
static void make_room(struct kv_mem *m, int64_t now_ms)
{
    if ((m->used + 1) * 2 <= m->n_slots && m->used < m->max_keys)
        return;
    rebuild(m, m->n_slots, now_ms);
    if (m->used >= m->max_keys) {
        size_t oldest = 0;
        bool found = false;
        for (size_t i = 0; i < m->n_slots; i++)
            if (m->slots[i].key && (!found || m->slots[i].start_ms < m->slots[oldest].start_ms)) {
                oldest = i;
                found = true;
            }
        if (found) {
            m->slots[oldest].end_ms = now_ms; /* ends now: the next rebuild drops it */
            rebuild(m, m->n_slots, now_ms);
        }
    }
    if ((m->used + 1) * 2 > m->n_slots)
        rebuild(m, m->n_slots * 2, now_ms);
}

static enum err_code mem_hit(struct kv *kv, const char *key, int64_t window_ms, int64_t now_ms,
                             int64_t *count, int64_t *reset_ms, struct err *err)
{
    (void)err;
    struct kv_mem *m = (struct kv_mem *)kv;
    pthread_mutex_lock(&m->lock);
    struct window *w = slot_for(m, key);
    if (!w->key) {
        make_room(m, now_ms);
        w = slot_for(m, key);
        w->key = xstrdup(key);
        w->count = 0;
        w->start_ms = now_ms;
        w->end_ms = now_ms + window_ms;
        m->used++;
    } else if (w->end_ms <= now_ms) {
        w->count = 0;
        w->start_ms = now_ms;
        w->end_ms = now_ms + window_ms;
    }
    *count = ++w->count;
    *reset_ms = w->end_ms;
    pthread_mutex_unlock(&m->lock);
    return ERR_OK;
}

static enum err_code mem_peek(struct kv *kv, const char *key, int64_t now_ms, int64_t *count,
                              int64_t *reset_ms, struct err *err)
{
    (void)err;
    struct kv_mem *m = (struct kv_mem *)kv;
    pthread_mutex_lock(&m->lock);
    const struct window *w = slot_for(m, key);
    bool live = w->key && w->end_ms > now_ms;
    *count = live ? w->count : 0;
    *reset_ms = live ? w->end_ms : now_ms;
    pthread_mutex_unlock(&m->lock);
    return ERR_OK;
}

static enum err_code mem_clear(struct kv *kv, const char *key, struct err *err)
{
    (void)err;
    struct kv_mem *m = (struct kv_mem *)kv;
    pthread_mutex_lock(&m->lock);
    struct window *w = slot_for(m, key);
    if (w->key)
        w->end_ms = INT64_MIN; /* ended: swept at the next rebuild, restarted by a hit */
    pthread_mutex_unlock(&m->lock);
    return ERR_OK;
}

static void mem_destroy(struct kv *kv)
{
    struct kv_mem *m = (struct kv_mem *)kv;
    for (size_t i = 0; i < m->n_slots; i++)
        free(m->slots[i].key);
    free(m->slots);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

struct kv *kv_mem_new(size_t max_keys)
{
    struct kv_mem *m = xcalloc(1, sizeof(*m));
    m->iface =
        (struct kv){ .hit = mem_hit, .peek = mem_peek, .clear = mem_clear, .destroy = mem_destroy };
    pthread_mutex_init(&m->lock, NULL);
    m->max_keys = max_keys ? max_keys : 1;
    m->n_slots = 64;
    m->slots = xcalloc(m->n_slots, sizeof(*m->slots));
    return &m->iface;
}

void kv_free(struct kv *kv)
{
    if (kv)
        kv->destroy(kv);
}
