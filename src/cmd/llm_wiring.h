/*
 * cmd/llm_wiring.h - which model answers, decided once from the
 * configuration (SPEC.md 6): Azure OpenAI when AZURE_OPENAI_ENDPOINT is
 * set; an OpenAI-compatible endpoint when OPENAI_API_KEY or
 * CROWDELIC_LLM_BASE_URL is set; otherwise the built-in offline model
 * (engine/offline, its tables from DATA_DIR or the binary). The
 * gateway gets the price table, the rate limits and, with LLM_CACHE=on and
 * a database, the cache table, with Redis in front of it when one is given
 * (REDIS_URL: the cache shared between nodes, REDIS_CACHE_TTL seconds).
 */
#ifndef CMD_LLM_WIRING_H
#define CMD_LLM_WIRING_H

#include "conf/config.h"
#include "core/compat.h"
#include "core/err.h"
#include "llm/cache.h"
#include "llm/gateway.h"

struct store;
struct redis;

/* What the cache's functions are given: the table, and Redis in front (may be NULL). */
struct llm_wiring_cache {
    struct store *store;
    struct redis *redis; /* borrowed; NULL: the table alone */
    int64_t ttl_s;       /* how long a value stays in Redis */
};

struct llm_wiring {
    struct llm_gateway *gateway; /* NULL when no model is available */
    const char *unavailable;     /* why gateway is NULL (static text) */
    struct llm_prices *prices;
    struct llm_cache cache;            /* over the store, when there is one */
    struct llm_wiring_cache cache_ctx; /* cache.ctx points here: keep out at its address */
};

/*
 * Builds the provider and the gateway. store may be NULL (no cache); redis
 * may be NULL (the table alone), and is borrowed: close it after
 * llm_wiring_close. ERR_INVALID for unusable model settings (a bad URL,
 * LLM_PRICES).
 */
enum err_code llm_wiring_open(const struct config *c, struct store *store, struct redis *redis,
                              struct llm_wiring *out, struct err *err);
/* Stops the gateway (every pending callback runs) and frees the rest. */
void llm_wiring_close(struct llm_wiring *w);

#endif
