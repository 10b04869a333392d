/*
 * store/llm_cache_redis.c - the model-call cache's copy in Redis (see
 * store/llm_cache.h): crowdelic:llm:<key> holds the value, with a time to
 * live, shared by every node on the same server. cmd/llm_wiring.c puts it
 * in front of the table.
 *
 * Threading: any thread (store/redis.h).
 */
#include "core/compat.h"

#include "store/llm_cache.h"
#include "store/redis_internal.h"

#include "core/xalloc.h"

#define KEY_PREFIX "crowdelic:llm:"

static char *full_key(const char *key)
{
    size_t n = strlen(KEY_PREFIX) + strlen(key) + 1;
    char *full = xmalloc(n);
    snprintf(full, n, "%s%s", KEY_PREFIX, key);
    return full;
}

enum err_code redis_llm_cache_get(struct redis *r, const char *key, char **value, struct err *err)
{
    *value = NULL;
    char *full = full_key(key);
    const char *argv[] = { "GET", full };
    redisReply *rep = redis_command(r, 2, argv, NULL, err);
    free(full);
    if (!rep)
        return ERR_UNAVAILABLE;
    enum err_code rc;
    if (rep->type == REDIS_REPLY_STRING && rep->str) {
        *value = xmalloc(rep->len + 1);
        memcpy(*value, rep->str, rep->len);
        (*value)[rep->len] = '\0';
        rc = ERR_OK;
    } else if (rep->type == REDIS_REPLY_NIL) {
        rc = err_set(err, ERR_NOT_FOUND, NULL, "not cached");
    } else {
        if (rep->type != REDIS_REPLY_ERROR)
            redis_count_error();
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "Redis GET: %s",
                     rep->type == REDIS_REPLY_ERROR && rep->str ? rep->str : "unexpected reply");
    }
    freeReplyObject(rep);
    return rc;
}

enum err_code redis_llm_cache_put(struct redis *r, const char *key, const char *value,
                                  int64_t ttl_s, struct err *err)
{
    char *full = full_key(key);
    char ttl[24];
    snprintf(ttl, sizeof(ttl), "%" PRId64, ttl_s > 0 ? ttl_s : 1);
    const char *argv[] = { "SET", full, value, "EX", ttl };
    redisReply *rep = redis_command(r, 5, argv, NULL, err);
    free(full);
    if (!rep)
        return ERR_UNAVAILABLE;
    enum err_code rc = ERR_OK;
    if (rep->type != REDIS_REPLY_STATUS) {
        if (rep->type != REDIS_REPLY_ERROR)
            redis_count_error();
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "Redis SET: %s",
                     rep->type == REDIS_REPLY_ERROR && rep->str ? rep->str : "unexpected reply");
    }
    freeReplyObject(rep);
    return rc;
}
