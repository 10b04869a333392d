/*
 * core/pool.c - struct pool: a list of chunks plus a list of cleanups.
 * Allocations bigger than a quarter chunk get a chunk of their own.
 */
#include "core/compat.h"

#include "core/pool.h"
#include "core/xalloc.h"

#define POOL_CHUNK 4096 /* fits a typical request's path, params and ids */
#define POOL_ALIGN (_Alignof(max_align_t))

struct pool_chunk {
    struct pool_chunk *next;
    size_t size; /* usable bytes in data */
    size_t used;
    _Alignas(max_align_t) unsigned char data[];
};

struct pool_cleanup {
    struct pool_cleanup *next;
    pool_cleanup_fn *fn;
    void *ptr;
};

struct pool {
    struct pool_chunk *chunks; /* head is the current chunk */
    struct pool_cleanup *cleanups;
    size_t used;
};

struct pool *pool_new(void)
{
    return xcalloc(1, sizeof(struct pool));
}

void pool_free(struct pool *p)
{
    if (!p)
        return;
    while (p->cleanups) {
        struct pool_cleanup *c = p->cleanups;
        p->cleanups = c->next;
        c->fn(c->ptr);
    }
    while (p->chunks) {
        struct pool_chunk *c = p->chunks;
        p->chunks = c->next;
        free(c);
    }
    free(p);
}

static struct pool_chunk *chunk_new(size_t size)
{
    struct pool_chunk *c = xmalloc(st_add(sizeof(*c), size));
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

void *pool_alloc(struct pool *p, size_t n)
{
    size_t need = (st_add(n, POOL_ALIGN - 1) / POOL_ALIGN) * POOL_ALIGN;
    if (need == 0)
        need = POOL_ALIGN;
    p->used += need;
    if (need > POOL_CHUNK / 4) {
        /* big: its own chunk, linked behind the current one */
        struct pool_chunk *c = chunk_new(need);
        c->used = need;
        if (p->chunks) {
            c->next = p->chunks->next;
            p->chunks->next = c;
        } else {
            p->chunks = c;
        }
        return c->data;
    }
    struct pool_chunk *cur = p->chunks;
    if (!cur || cur->size - cur->used < need) {
        cur = chunk_new(POOL_CHUNK);
        cur->next = p->chunks;
        p->chunks = cur;
    }
    void *out = cur->data + cur->used;
    cur->used += need;
    return out;
}

void *pool_zalloc(struct pool *p, size_t n)
{
    void *out = pool_alloc(p, n);
    memset(out, 0, n);
    return out;
}

char *pool_memdupz(struct pool *p, const void *ptr, size_t len)
{
    char *s = pool_alloc(p, st_add(len, 1));
    if (len)
        memcpy(s, ptr, len);
    s[len] = '\0';
    return s;
}

char *pool_strdup(struct pool *p, const char *s)
{
    return pool_memdupz(p, s, strlen(s));
}

char *pool_printf(struct pool *p, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        va_end(ap);
        return pool_strdup(p, "");
    }
    char *s = pool_alloc(p, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void pool_defer(struct pool *p, pool_cleanup_fn *fn, void *ptr)
{
    struct pool_cleanup *c = pool_alloc(p, sizeof(*c));
    c->fn = fn;
    c->ptr = ptr;
    c->next = p->cleanups;
    p->cleanups = c;
}

size_t pool_used(const struct pool *p)
{
    return p->used;
}
