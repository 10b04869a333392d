/*
 * store/llm_cache.h - the database table behind the model-call cache
 * (sql/0002_llm_cache.sql), and its copy in Redis shared between nodes
 * (store/llm_cache_redis.c, with REDIS_URL). cmd/llm_wiring.c adapts these
 * functions to the llm_cache interface of llm/cache.h: Redis first, then the
 * table. Thread-safe: each call takes a pooled connection.
 */
#ifndef STORE_LLM_CACHE_H
#define STORE_LLM_CACHE_H

#include "core/compat.h"
#include "core/err.h"

struct store;

/* *value: a malloc'd copy of the cached value; ERR_NOT_FOUND on a miss. */
enum err_code store_llm_cache_get(struct store *s, const char *key, char **value, struct err *err);

/* Stores or replaces the value for key. */
enum err_code store_llm_cache_put(struct store *s, const char *key, const char *value,
                                  struct err *err);

struct redis;

/*
 * The value under crowdelic:llm:<key> in Redis: ERR_NOT_FOUND on a miss,
 * ERR_UNAVAILABLE when Redis is down or answers anything but a string.
 */
enum err_code redis_llm_cache_get(struct redis *r, const char *key, char **value, struct err *err);

/* Stores value for ttl_s seconds; ERR_UNAVAILABLE when Redis is down or refuses. */
enum err_code redis_llm_cache_put(struct redis *r, const char *key, const char *value,
                                  int64_t ttl_s, struct err *err);

#endif
