/*
 * llm/request.c - building, copying and freeing requests and responses,
 * and the canonical form of a request that keys the cache.
 */
#include "core/compat.h"

#include "llm/llm.h"

#include "core/xalloc.h"

const char *llm_role_name(enum llm_role role)
{
    switch (role) {
    case LLM_ROLE_SYSTEM:
        return "system";
    case LLM_ROLE_USER:
        return "user";
    case LLM_ROLE_ASSISTANT:
        return "assistant";
    }
    return "user";
}

struct llm_request *llm_request_new(const char *task)
{
    struct llm_request *req = xcalloc(1, sizeof(*req));
    req->task = xstrdup(task ? task : "");
    req->temperature = -1;
    req->format = LLM_FORMAT_TEXT;
    return req;
}

void llm_request_free(struct llm_request *req)
{
    if (!req)
        return;
    for (size_t i = 0; i < req->n_messages; i++)
        free(req->messages[i].content);
    free(req->messages);
    free(req->task);
    free(req->model);
    json_decref(req->schema);
    free(req);
}

void llm_request_add(struct llm_request *req, enum llm_role role, const char *content)
{
    ALLOC_GROW(req->messages, req->n_messages + 1, req->alloc_messages);
    req->messages[req->n_messages].role = role;
    req->messages[req->n_messages].content = xstrdup(content ? content : "");
    req->n_messages++;
}

void llm_request_set_schema(struct llm_request *req, json_t *schema)
{
    json_decref(req->schema);
    req->schema = json_incref(schema);
    req->format = LLM_FORMAT_JSON_SCHEMA;
}

void llm_request_set_model(struct llm_request *req, const char *model)
{
    free(req->model);
    req->model = model ? xstrdup(model) : NULL;
}

struct llm_request *llm_request_dup(const struct llm_request *req)
{
    struct llm_request *d = llm_request_new(req->task);
    llm_request_set_model(d, req->model);
    for (size_t i = 0; i < req->n_messages; i++)
        llm_request_add(d, req->messages[i].role, req->messages[i].content);
    d->temperature = req->temperature;
    d->max_tokens = req->max_tokens;
    d->has_seed = req->has_seed;
    d->seed = req->seed;
    d->format = req->format;
    d->schema = json_incref(req->schema);
    d->validate = req->validate;
    d->validate_ctx = req->validate_ctx;
    d->tags = req->tags;
    d->no_cache = req->no_cache;
    d->timeout_ms = req->timeout_ms;
    d->native = req->native;
    return d;
}

void llm_response_free(struct llm_response *resp)
{
    if (!resp)
        return;
    free(resp->text);
    json_decref(resp->json);
    free(resp->model);
    free(resp);
}

void llm_raw_release(struct llm_raw *raw)
{
    FREE_AND_NULL(raw->content);
    FREE_AND_NULL(raw->model);
}
