/*
 * cmd/llm_wiring.c - choosing the provider and building the gateway.
 */
#include "core/compat.h"

#include "cmd/llm_wiring.h"

#include "engine/offline/offline.h"
#include "llm/openai.h"
#include "llm/price.h"
#include "store/llm_cache.h"

static enum err_code cache_get(void *ctx, const char *key, char **value, struct err *err)
{
    return store_llm_cache_get(ctx, key, value, err);
}

static enum err_code cache_put(void *ctx, const char *key, const char *value, struct err *err)
{
    return store_llm_cache_put(ctx, key, value, err);
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

enum err_code llm_wiring_open(const struct config *c, struct store *store, struct llm_wiring *out,
                              struct err *err)
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
    out->cache = (struct llm_cache){ .get = cache_get, .put = cache_put, .ctx = store };
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
