/*
 * cmd/llm_serve_stats.c - the /stats counters of crowdelic llm-serve:
 * requests by route, answers by status, faults by kind, requests in flight
 * and the most seen at once.
 *
 * Invariants: every counted request goes through ls_stats_begin() once and
 * ls_stats_end() once. A reset starts a new generation: an answer to a
 * request received before it is not counted after it, so the counters
 * always describe the same requests; in_flight is the live number and is
 * not reset, and max_in_flight restarts from it.
 *
 * Threads: any thread; one mutex guards everything (a few increments per
 * request, far from contention at the request rates of a test server).
 */
#include "core/compat.h"

#include "cmd/llm_serve.h"
#include "core/jsonio.h"

static const char *const route_names[LS_ROUTE_COUNT_] = {
    [LS_ROUTE_CHAT] = "chat",
    [LS_ROUTE_CHAT_STREAM] = "chat_stream",
    [LS_ROUTE_EMBEDDINGS] = "embeddings",
    [LS_ROUTE_MODELS] = "models",
    [LS_ROUTE_AZURE_CHAT] = "azure_chat",
    [LS_ROUTE_AZURE_EMBEDDINGS] = "azure_embeddings",
};

void ls_stats_init(struct ls_stats *s)
{
    memset(s, 0, sizeof(*s));
    pthread_mutex_init(&s->lock, NULL);
}

void ls_stats_release(struct ls_stats *s)
{
    pthread_mutex_destroy(&s->lock);
}

uint64_t ls_stats_begin(struct ls_stats *s, enum ls_route r)
{
    pthread_mutex_lock(&s->lock);
    s->requests++;
    s->by_route[r]++;
    if (++s->in_flight > s->max_in_flight)
        s->max_in_flight = s->in_flight;
    uint64_t gen = s->gen;
    pthread_mutex_unlock(&s->lock);
    return gen;
}

void ls_stats_fault(struct ls_stats *s, uint64_t gen, enum ls_fault f)
{
    pthread_mutex_lock(&s->lock);
    if (gen == s->gen && f != LS_FAULT_NONE)
        s->faults[f]++;
    pthread_mutex_unlock(&s->lock);
}

void ls_stats_end(struct ls_stats *s, uint64_t gen, int status)
{
    pthread_mutex_lock(&s->lock);
    s->in_flight--;
    if (gen == s->gen) {
        s->answered++;
        if (status > 0 && status < LS_STATUS_MAX)
            s->by_status[status]++;
    }
    pthread_mutex_unlock(&s->lock);
}

json_t *ls_stats_json(struct ls_stats *s)
{
    json_t *o = json_object(), *routes = json_object(), *statuses = json_object(),
           *faults = json_object();
    pthread_mutex_lock(&s->lock);
    jsonio_set_new(o, "requests", json_integer(s->requests));
    for (size_t i = 0; i < LS_ROUTE_COUNT_; i++)
        jsonio_set_new(routes, route_names[i], json_integer(s->by_route[i]));
    for (int st = 0; st < LS_STATUS_MAX; st++) {
        if (!s->by_status[st])
            continue;
        char key[16];
        snprintf(key, sizeof(key), "%d", st);
        jsonio_set_new(statuses, key, json_integer(s->by_status[st]));
    }
    for (size_t f = LS_FAULT_NONE + 1; f < LS_FAULT_COUNT_; f++)
        jsonio_set_new(faults, ls_fault_name((enum ls_fault)f), json_integer(s->faults[f]));
    jsonio_set_new(o, "in_flight", json_integer(s->in_flight));
    jsonio_set_new(o, "max_in_flight", json_integer(s->max_in_flight));
    jsonio_set_new(o, "answered", json_integer(s->answered));
    pthread_mutex_unlock(&s->lock);
    jsonio_set_new(o, "by_route", routes);
    jsonio_set_new(o, "by_status", statuses);
    jsonio_set_new(o, "faults", faults);
    return o;
}

void ls_stats_reset(struct ls_stats *s)
{
    pthread_mutex_lock(&s->lock);
    s->gen++;
    s->requests = s->answered = 0;
    s->max_in_flight = s->in_flight;
    memset(s->by_route, 0, sizeof(s->by_route));
    memset(s->by_status, 0, sizeof(s->by_status));
    memset(s->faults, 0, sizeof(s->faults));
    pthread_mutex_unlock(&s->lock);
}
