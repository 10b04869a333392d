/*
 * store/llm_cache.h - the database table behind the model-call cache
 * (sql/0002_llm_cache.sql). cmd/ adapts these two functions to the
 * llm_cache interface of llm/cache.h. Thread-safe: each call takes a
 * pooled connection.
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

#endif
