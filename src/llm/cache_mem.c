/*
 * llm/cache_mem.c - an in-process llm_cache: a bounded table with FIFO
 * eviction under one mutex. For tests and one-off commands; the server
 * uses the database (cmd/models.c).
 */
#include "core/compat.h"

#include "llm/cache.h"

#include <pthread.h>

#include "core/xalloc.h"

struct entry {
    char *key, *value;
};

struct cache_mem {
    struct llm_cache iface; /* first, so the interface pointer is the object */
    pthread_mutex_t lock;
    struct entry *entries; /* ring of max entries */
    size_t max, n, next;   /* next: the slot the next insertion overwrites */
};

static struct entry *find(struct cache_mem *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->entries[i].key, key) == 0)
            return &m->entries[i];
    return NULL;
}

static enum err_code mem_get(void *ctx, const char *key, char **value, struct err *err)
{
    struct cache_mem *m = ctx;
    *value = NULL;
    pthread_mutex_lock(&m->lock);
    struct entry *e = find(m, key);
    if (e)
        *value = xstrdup(e->value);
    pthread_mutex_unlock(&m->lock);
    return e ? ERR_OK : err_set(err, ERR_NOT_FOUND, NULL, "not cached");
}

static enum err_code mem_put(void *ctx, const char *key, const char *value, struct err *err)
{
    struct cache_mem *m = ctx;
    (void)err;
    pthread_mutex_lock(&m->lock);
    struct entry *e = find(m, key);
    if (!e) {
        e = &m->entries[m->next];
        if (m->n < m->max) {
            m->n++;
        } else {
            free(e->key);
            free(e->value);
        }
        e->key = xstrdup(key);
        e->value = NULL;
        m->next = (m->next + 1) % m->max;
    }
    free(e->value);
    e->value = xstrdup(value);
    pthread_mutex_unlock(&m->lock);
    return ERR_OK;
}

struct llm_cache *cache_mem_new(size_t max_entries)
{
    struct cache_mem *m = xcalloc(1, sizeof(*m));
    m->max = max_entries ? max_entries : 1;
    m->entries = xcalloc(m->max, sizeof(*m->entries));
    pthread_mutex_init(&m->lock, NULL);
    m->iface.get = mem_get;
    m->iface.put = mem_put;
    m->iface.ctx = m;
    return &m->iface;
}

void cache_mem_free(struct llm_cache *c)
{
    if (!c)
        return;
    struct cache_mem *m = c->ctx;
    for (size_t i = 0; i < m->n; i++) {
        free(m->entries[i].key);
        free(m->entries[i].value);
    }
    free(m->entries);
    pthread_mutex_destroy(&m->lock);
    free(m);
}
