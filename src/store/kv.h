/*
 * store/kv.h - shared state that is not rows (ARCHITECTURE.md "Storage"):
 * counters over time windows, for rate limits. An interface, so that
 * several server processes can share it through Redis: kv_mem_new() is the
 * in-process implementation, kv_redis_new() the one shared through Redis
 * (REDIS_URL), which falls back to an in-process one while Redis is down.
 *
 * A window counter counts hits of one key from its first hit for window_ms;
 * the next hit after that starts a new window at zero. All functions are
 * thread-safe.
 */
#ifndef STORE_KV_H
#define STORE_KV_H

#include "core/compat.h"
#include "core/err.h"

struct kv {
    /*
     * Adds one hit to key's window (window_ms long, starting at the key's
     * first hit) and returns the hits so far in it (*count, this one
     * included) and when the window ends (*reset_ms, epoch milliseconds).
     */
    enum err_code (*hit)(struct kv *kv, const char *key, int64_t window_ms, int64_t now_ms,
                         int64_t *count, int64_t *reset_ms, struct err *err);
    /* The hits in key's current window without adding one (0 when none). */
    enum err_code (*peek)(struct kv *kv, const char *key, int64_t now_ms, int64_t *count,
                          int64_t *reset_ms, struct err *err);
    /* Forgets key. */
    enum err_code (*clear)(struct kv *kv, const char *key, struct err *err);
    void (*destroy)(struct kv *kv);
};

/*
 * The in-process store: at most max_keys live windows; past that, ended
 * windows are swept, and then the oldest window gives way.
 */
struct kv *kv_mem_new(size_t max_keys);

struct redis;

/*
 * The store shared through Redis (store/redis.h): keys crowdelic:kv:<key>.
 * While Redis is down or answers something unexpected, fallback (owned:
 * freed with the result; kv_mem_new) answers, so limits are per node then
 * and no call fails because of Redis. r is borrowed: close it after.
 */
struct kv *kv_redis_new(struct redis *r, struct kv *fallback);

void kv_free(struct kv *kv); /* accepts NULL */

#endif
