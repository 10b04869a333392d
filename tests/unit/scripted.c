/*
 * tests/unit/scripted.c - the scripted test provider (see scripted.h).
 */
#include "core/compat.h"

#include "scripted.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "engine/offline/offline.h"

static enum err_code scripted_submit(struct llm_provider *p, const struct llm_request *req,
                                     llm_raw_fn *done, void *ctx, struct err *err)
{
    (void)err;
    struct scripted *s = (struct scripted *)p;
    __atomic_add_fetch(&s->calls, 1, __ATOMIC_RELAXED);
    enum err_code fail = ERR_OK;
    char *content = s->answer(s->ctx, req, &fail);
    struct llm_raw raw = { .tokens_in = 10, .tokens_out = 10, .attempts = 1 };
    if (content) {
        raw.content = content;
        raw.model = (char *)"scripted-1";
    } else {
        raw.code = fail ? fail : ERR_UPSTREAM;
        err_set(&raw.err, raw.code, NULL, "scripted failure");
    }
    done(ctx, &raw);
    free(content);
    return ERR_OK;
}

static enum err_code scripted_ping(struct llm_provider *p, struct err *err)
{
    (void)p;
    (void)err;
    return ERR_OK;
}

static void scripted_destroy(struct llm_provider *p)
{
    (void)p; /* scripted_free frees it, after the test has read it */
}

struct scripted *scripted_new(scripted_answer_fn *answer, void *ctx)
{
    struct scripted *s = xcalloc(1, sizeof(*s));
    s->answer = answer;
    s->ctx = ctx;
    s->iface = (struct llm_provider){ .name = "scripted",
                                      .default_model = "scripted-1",
                                      .submit = scripted_submit,
                                      .ping = scripted_ping,
                                      .destroy = scripted_destroy,
                                      .cacheable = false };
    return s;
}

void scripted_free(struct scripted *s)
{
    if (!s)
        return;
    if (s->offline)
        s->offline->destroy(s->offline);
    free(s);
}

struct llm_gateway *scripted_gateway(struct scripted *s, int max_reasks)
{
    struct llm_gateway_options o = { .max_reasks = max_reasks };
    return llm_gateway_new(&s->iface, &o);
}

char *scripted_offline_answer(struct scripted *s, const struct llm_request *req)
{
    struct err err = ERR_INIT;
    if (!s->offline && offline_provider_new(NULL, &s->offline, &err))
        abort();
    char *content = NULL;
    if (offline_provider_answer(s->offline, req, &content, &err))
        return NULL;
    return content;
}

const char *scripted_last_user(const struct llm_request *req)
{
    for (size_t i = req->n_messages; i-- > 0;)
        if (req->messages[i].role == LLM_ROLE_USER)
            return req->messages[i].content;
    return "";
}
