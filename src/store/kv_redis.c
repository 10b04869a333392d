/*
 * store/kv_redis.c - the window counters of store/kv.h on Redis, shared by
 * every node that uses the same server, with an in-process fallback that
 * answers while Redis is down (limits are then per node, and no request
 * fails because of Redis).
 *
 * A window is a hash crowdelic:kv:<key> {e: its end (epoch ms), c: the hits},
 * read and changed by one Lua script per call, so concurrent hits from any
 * node count exactly. The end is computed from the caller's now_ms (as
 * kv_mem does), so a window starts at its first hit and reset_ms is exact;
 * the key expires in Redis when its window ends.
 *
 * Threading: any thread (store/redis.h lends each call a connection; the
 * fallback has its own lock).
 */
#include "core/compat.h"

#include "store/kv.h"
#include "store/redis_internal.h"

#include "core/log.h"
#include "core/xalloc.h"

#define KEY_PREFIX "crowdelic:kv:"

/* KEYS[1]: the key; ARGV[1]: now (ms); ARGV[2]: the window (ms). Returns {count, end}. */
static const char HIT_SCRIPT[] =
    "local now = tonumber(ARGV[1])\n"
    "local e = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')\n"
    "local c\n"
    "if e <= now then\n"
    "  e = now + tonumber(ARGV[2])\n"
    "  c = 1\n"
    "  redis.call('HMSET', KEYS[1], 'e', string.format('%.0f', e), 'c', 1)\n"
    "else\n"
    "  c = redis.call('HINCRBY', KEYS[1], 'c', 1)\n"
    "end\n"
    "redis.call('PEXPIRE', KEYS[1], string.format('%.0f', e - now))\n"
    "return {c, string.format('%.0f', e)}\n";

/* KEYS[1]: the key; ARGV[1]: now (ms). Returns {count, end}, {0, now} when no window runs. */
static const char PEEK_SCRIPT[] =
    "local now = tonumber(ARGV[1])\n"
    "local e = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')\n"
    "if e <= now then return {0, ARGV[1]} end\n"
    "return {tonumber(redis.call('HGET', KEYS[1], 'c') or '0'), string.format('%.0f', e)}\n";

struct kv_redis {
    struct kv iface; /* first */
    struct redis *redis;
    struct kv *fallback; /* owned */
};

/* KEY_PREFIX + key, malloc'd. */
static char *full_key(const char *key)
{
    size_t n = strlen(KEY_PREFIX) + strlen(key) + 1;
    char *full = xmalloc(n);
    snprintf(full, n, "%s%s", KEY_PREFIX, key);
    return full;
}

/* Reads one element of the script's answer: an integer, or a decimal string. */
static bool reply_int(const redisReply *r, int64_t *out)
{
    if (r->type == REDIS_REPLY_INTEGER) {
        *out = (int64_t)r->integer;
        return true;
    }
    if (r->type == REDIS_REPLY_STRING && r->str && r->len > 0 && r->len < 24) {
        char *end;
        errno = 0;
        long long v = strtoll(r->str, &end, 10);
        if (errno || *end)
            return false;
        *out = v;
        return true;
    }
    return false;
}

/*
 * Runs script on key; true with the two numbers it returned. False when Redis
 * is down, answered an error, or answered something else than two numbers
 * (logged at debug: the fallback answers).
 */
static bool eval2(struct kv_redis *k, const char *script, const char *key, int argc_extra,
                  const char *a1, const char *a2, int64_t *x, int64_t *y)
{
    char *full = full_key(key);
    const char *argv[] = { "EVAL", script, "1", full, a1, a2 };
    struct err err = ERR_INIT;
    redisReply *rep = redis_command(k->redis, 4 + argc_extra, argv, NULL, &err);
    free(full);
    if (!rep)
        return false;
    bool ok = rep->type == REDIS_REPLY_ARRAY && rep->elements == 2 &&
              reply_int(rep->element[0], x) && reply_int(rep->element[1], y);
    if (!ok) {
        LOG_DEBUG("redis", "kv: unexpected reply (type %d%s%s)", rep->type,
                  rep->type == REDIS_REPLY_ERROR ? ": " : "",
                  rep->type == REDIS_REPLY_ERROR && rep->str ? rep->str : "");
        if (rep->type != REDIS_REPLY_ERROR)
            redis_count_error();
    }
    freeReplyObject(rep);
    return ok;
}

static enum err_code redis_hit(struct kv *kv, const char *key, int64_t window_ms, int64_t now_ms,
                               int64_t *count, int64_t *reset_ms, struct err *err)
{
    struct kv_redis *k = (struct kv_redis *)kv;
    char now[24], win[24];
    snprintf(now, sizeof(now), "%" PRId64, now_ms);
    snprintf(win, sizeof(win), "%" PRId64, window_ms);
    if (eval2(k, HIT_SCRIPT, key, 2, now, win, count, reset_ms))
        return ERR_OK;
    return k->fallback->hit(k->fallback, key, window_ms, now_ms, count, reset_ms, err);
}

static enum err_code redis_peek(struct kv *kv, const char *key, int64_t now_ms, int64_t *count,
                                int64_t *reset_ms, struct err *err)
{
    struct kv_redis *k = (struct kv_redis *)kv;
    char now[24];
    snprintf(now, sizeof(now), "%" PRId64, now_ms);
    if (eval2(k, PEEK_SCRIPT, key, 1, now, NULL, count, reset_ms))
        return ERR_OK;
    return k->fallback->peek(k->fallback, key, now_ms, count, reset_ms, err);
}

static enum err_code redis_clear(struct kv *kv, const char *key, struct err *err)
{
    struct kv_redis *k = (struct kv_redis *)kv;
    /* both: a window counted here while Redis was down must not outlive the clear */
    enum err_code rc = k->fallback->clear(k->fallback, key, err);
    char *full = full_key(key);
    const char *argv[] = { "DEL", full };
    redisReply *rep = redis_command(k->redis, 2, argv, NULL, NULL);
    free(full);
    if (rep)
        freeReplyObject(rep);
    return rc;
}

static void redis_destroy(struct kv *kv)
{
    struct kv_redis *k = (struct kv_redis *)kv;
    kv_free(k->fallback);
    free(k);
}

struct kv *kv_redis_new(struct redis *r, struct kv *fallback)
{
    struct kv_redis *k = xcalloc(1, sizeof(*k));
    k->iface = (struct kv){
        .hit = redis_hit, .peek = redis_peek, .clear = redis_clear, .destroy = redis_destroy
    };
    k->redis = r;
    k->fallback = fallback;
    return &k->iface;
}
