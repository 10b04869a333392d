/*
 * engine/engine.c - batches of model calls through the gateway: render,
 * submit all, wait for all, answers in batch order (see engine.h).
 */
#include "core/compat.h"

#include "engine/engine.h"

#include <pthread.h>
#include <stdarg.h>

#include "core/prng.h"
#include "core/xalloc.h"

uint64_t engine_seed(uint64_t base, ...)
{
    va_list ap;
    va_start(ap, base);
    uint64_t seed = base;
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *))
        seed = prng_mix(seed, s);
    va_end(ap);
    return seed;
}

void engine_usage_add(struct engine_usage *u, const struct llm_response *resp)
{
    if (!u || !resp)
        return;
    u->calls++;
    u->failures += resp->code != ERR_OK;
    u->cache_hits += resp->from_cache;
    u->reasks += resp->reasks;
    u->tokens_in += resp->tokens_in;
    u->tokens_out += resp->tokens_out;
    u->cost_micros += resp->cost_micros;
}

/* The batch's shared state: the callbacks run on the gateway's thread. */
struct batch {
    pthread_mutex_t lock;
    pthread_cond_t all_done;
    size_t pending;
};

struct slot {
    struct batch *batch;
    struct engine_call *call;
};

static void on_done(void *ctx, struct llm_response *resp)
{
    struct slot *s = ctx;
    pthread_mutex_lock(&s->batch->lock);
    s->call->resp = resp;
    if (--s->batch->pending == 0)
        pthread_cond_signal(&s->batch->all_done);
    pthread_mutex_unlock(&s->batch->lock);
}

static struct llm_request *request_for(const struct engine *e, const struct engine_call *c)
{
    struct llm_request *req = task_render(c->task);
    llm_request_set_model(req, e->model);
    req->has_seed = true;
    req->seed = (int64_t)(c->seed & INT64_MAX); /* providers take a signed seed */
    req->tags = e->tags;
    if (c->persona)
        snprintf(req->tags.persona, sizeof(req->tags.persona), "%s", c->persona);
    req->no_cache = e->no_cache;
    return req;
}

void engine_run(const struct engine *e, struct engine_call *calls, size_t n,
                struct engine_usage *usage)
{
    struct batch b = { .pending = n };
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.all_done, NULL);
    struct slot *slots = xcalloc(n ? n : 1, sizeof(*slots));
    for (size_t i = 0; i < n; i++) {
        slots[i] = (struct slot){ &b, &calls[i] };
        calls[i].resp = NULL;
        struct err err = ERR_INIT;
        if (llm_submit(e->gw, request_for(e, &calls[i]), on_done, &slots[i], &err)) {
            /* refused (the gateway is stopping): the callback will not run */
            struct llm_response *r = xcalloc(1, sizeof(*r));
            r->code = err.code ? err.code : ERR_UNAVAILABLE;
            r->err = err;
            on_done(&slots[i], r);
        }
    }
    pthread_mutex_lock(&b.lock);
    while (b.pending > 0)
        pthread_cond_wait(&b.all_done, &b.lock);
    pthread_mutex_unlock(&b.lock);
    pthread_cond_destroy(&b.all_done);
    pthread_mutex_destroy(&b.lock);
    free(slots);
    for (size_t i = 0; i < n; i++)
        engine_usage_add(usage, calls[i].resp);
}

struct llm_response *engine_ask(const struct engine *e, const struct task *t, uint64_t seed,
                                const char *persona, struct engine_usage *usage)
{
    struct engine_call c = { .task = t, .seed = seed, .persona = persona };
    engine_run(e, &c, 1, usage);
    return c.resp;
}
