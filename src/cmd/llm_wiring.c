/*
 * cmd/llm_wiring.c - choosing the provider and building the gateway, and
 * the model-call cache it is given: the database table, with Redis in
 * front of it when REDIS_URL is set (a hit on any node's call is a hit
 * here; Redis down: the table alone).
 */
#include "core/compat.h"

#include "cmd/llm_wiring.h"

#include "engine/offline/offline.h"
#include "llm/openai.h"
#include "llm/price.h"
#include "store/llm_cache.h"

/* Redis first; then the table, and a table hit is copied into Redis for the other nodes. */
static enum err_code cache_get(void *ctx, const char *key, char **value, struct err *err)
{
    const struct llm_wiring_cache *w = ctx;
    bool fill = false;
    if (w->redis) {
        struct err rerr = ERR_INIT;
        enum err_code rc = redis_llm_cache_get(w->redis, key, value, &rerr);
        if (rc == ERR_OK)
            return ERR_OK;
        fill = rc == ERR_NOT_FOUND; /* not while Redis is down: the copy would fail anyway */
    }
    enum err_code rc = store_llm_cache_get(w->store, key, value, err);
    if (rc == ERR_OK && fill)
        (void)redis_llm_cache_put(w->redis, key, *value, w->ttl_s, NULL);
    return rc;
}

/* The table (the truth, kept across restarts), then Redis; a Redis failure is not the caller's. */
static enum err_code cache_put(void *ctx, const char *key, const char *value, struct err *err)
{
    const struct llm_wiring_cache *w = ctx;
    enum err_code rc = store_llm_cache_put(w->store, key, value, err);
    if (w->redis)
        (void)redis_llm_cache_put(w->redis, key, value, w->ttl_s, NULL);
    return rc;
}

static void provider_options(const struct config *c, struct openai_options *o)
{
    *o = (struct openai_options){
        .base_url = c->llm_base_url[0] ? c->llm_base_url : "https://api.openai.com/v1",
        .api_key = c->azure_endpoint[0] ? c->azure_api_key : c->openai_api_key,
        .model = c->llm_model,
        .embedding_model = c->llm_embedding_model,
        .azure_endpoint = c->azure_endpoint,
        .azure_deployment = c->azure_deployment,
        .azure_api_version = c->azure_api_version,
        .concurrency = (int)c->llm_concurrency,
        .timeout_ms = (int)c->llm_timeout_ms,
        .max_attempts = (int)c->llm_max_attempts,
        .backoff_base_ms = c->llm_backoff_base_ms,
        .backoff_max_ms = c->llm_backoff_max_ms,
        .backoff_jitter = true,
    };
}

enum err_code llm_wiring_open(const struct config *c, struct store *store, struct redis *redis,
                              struct llm_wiring *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = llm_prices_parse(c->llm_prices, &out->prices, err);
    if (rc)
        return rc;
    bool remote = c->azure_endpoint[0] || c->openai_api_key[0] || c->llm_base_url[0];
    struct llm_provider *provider = NULL;
    if (remote) {
        struct openai_options oo;
        provider_options(c, &oo);
        rc = openai_new(&oo, &provider, err);
    } else {
        rc = offline_provider_new(c->data_dir[0] ? c->data_dir : NULL, &provider, err);
    }
    if (rc) {
        llm_prices_free(out->prices);
        out->prices = NULL;
        return rc;
    }
    out->cache_ctx =
        (struct llm_wiring_cache){ .store = store, .redis = redis, .ttl_s = c->redis_cache_ttl_s };
    out->cache = (struct llm_cache){ .get = cache_get, .put = cache_put, .ctx = &out->cache_ctx };
    struct llm_gateway_options go = {
        /* the limits are a remote service's; the offline model has none */
        .rpm = remote ? c->llm_rpm : 0,
        .tpm = remote ? c->llm_tpm : 0,
        .max_reasks = (int)c->llm_max_reasks,
        .cache = store && c->llm_cache ? &out->cache : NULL,
        .prices = out->prices,
    };
    out->gateway = llm_gateway_new(provider, &go);
    return ERR_OK;
}

void llm_wiring_close(struct llm_wiring *w)
{
    llm_gateway_free(w->gateway);
    w->gateway = NULL;
    llm_prices_free(w->prices);
    w->prices = NULL;
}
