/*
 * store/llm_cache.c - reads and upserts of the llm_cache table.
 */
#include "core/compat.h"

#include "store/llm_cache.h"

#include "core/clock.h"
#include "core/xalloc.h"
#include "store/store.h"

/* The value column as a malloc'd string ("" for SQL null). */
static void read_value(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    const char *v = store_col_text(st, 0);
    *(char **)item = xstrdup(v ? v : "");
}

enum err_code store_llm_cache_get(struct store *s, const char *key, char **value, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(key) };
    bool found = false;
    enum err_code rc = store_read_row(s, "SELECT value FROM llm_cache WHERE key = ?", p, 1,
                                      sizeof(*value), read_value, NULL, value, &found, err);
    if (!rc && !found)
        rc = err_set(err, ERR_NOT_FOUND, NULL, "not cached");
    return rc;
}

enum err_code store_llm_cache_put(struct store *s, const char *key, const char *value,
                                  struct err *err)
{
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    enum err_code rc = store_acquire(s, &c, err);
    if (rc)
        return rc;
    rc = store_prepare(c,
                       "INSERT INTO llm_cache (key, value, created_at) VALUES (?, ?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                       "created_at = excluded.created_at",
                       &st, err);
    if (!rc) {
        store_bind_text(st, 1, key);
        store_bind_text(st, 2, value);
        store_bind_int64(st, 3, clock_now_ms());
        bool row;
        rc = store_step(st, &row, err);
    }
    store_finalize(st);
    store_release(s, c);
    return rc;
}
