/*
 * core/pool.h - a per-request (or per-step) arena (STYLE.md M6).
 *
 * Small temporaries come from the pool and are freed all at once by
 * pool_free(). Resources living outside the pool are registered with
 * pool_defer() and released, last registered first, when the pool dies.
 * A pool has one owner at a time and is not thread-safe.
 */
#ifndef CORE_POOL_H
#define CORE_POOL_H

#include "core/compat.h"

struct pool;

typedef void pool_cleanup_fn(void *ptr);

struct pool *pool_new(void);
/* Runs the deferred cleanups and frees every allocation; accepts NULL. */
void pool_free(struct pool *p);

/* Memory aligned for any type, valid until pool_free(). Never NULL. */
void *pool_alloc(struct pool *p, size_t n);
void *pool_zalloc(struct pool *p, size_t n);
char *pool_strdup(struct pool *p, const char *s);
char *pool_memdupz(struct pool *p, const void *ptr, size_t len);
char *pool_printf(struct pool *p, const char *fmt, ...) ATTR_PRINTF(2, 3);

/* Calls fn(ptr) when the pool is freed. */
void pool_defer(struct pool *p, pool_cleanup_fn *fn, void *ptr);

/* Bytes handed out so far (for limits and tests). */
size_t pool_used(const struct pool *p);

#endif
