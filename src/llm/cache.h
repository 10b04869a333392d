/*
 * llm/cache.h - the model-call cache interface (ARCHITECTURE.md "The model
 * gateway"): a key (hex SHA-256 of the canonical request) to a value (the
 * validated answer as JSON text). cmd/ wires it to the database today and
 * to Redis later; llm/cache_mem.c is an in-process implementation for
 * tests and one-off commands.
 *
 * Threading: the gateway calls these from its thread for chat calls and
 * from the caller's thread for embeddings (llm_embed), so implementations
 * must be thread-safe (both of ours are).
 */
#ifndef LLM_CACHE_H
#define LLM_CACHE_H

#include "core/compat.h"
#include "core/err.h"

struct llm_cache {
    /* *value: a malloc'd copy (free it); ERR_NOT_FOUND on a miss. */
    enum err_code (*get)(void *ctx, const char *key, char **value, struct err *err);
    /* Stores or replaces (value copied). */
    enum err_code (*put)(void *ctx, const char *key, const char *value, struct err *err);
    void *ctx;
};

/* An in-process cache of at most max_entries (oldest evicted); free with cache_mem_free. */
struct llm_cache *cache_mem_new(size_t max_entries);
void cache_mem_free(struct llm_cache *c);

#endif
