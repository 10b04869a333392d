/*
 * llm/gateway.c - the gateway's thread and the life of one call.
 *
 * A call (struct job) moves through three lists: `incoming` (submitted by
 * any thread), the fair queue (waiting for the limiter; thread-owned) and
 * `completed` (answered by the provider on any thread). The thread takes
 * both shared lists under the lock, then works without it: cache lookups,
 * validation, re-asks and callbacks never hold the lock, and neither does
 * a provider's submit (an in-process provider may answer inside it).
 */
#include "core/compat.h"

#include "llm/gateway.h"

#include <pthread.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonio.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "llm/ratelimit.h"
#include "llm/repair.h"
#include "llm/schema.h"

#define USAGE_MAX_TAGS  4096      /* per-tag totals kept in memory (oldest dropped) */
#define REASK_ECHO_MAX  8192      /* bytes of an invalid answer shown back to the model */
#define CACHE_VALUE_MAX (4 << 20) /* cached answers larger than this are not stored */

struct job {
    struct job *next;
    struct llm_gateway *gw;
    struct llm_request *req; /* as submitted; owned */
    struct llm_request *ask; /* req plus re-ask turns; owned; NULL before the first re-ask */
    llm_done_fn *done;
    void *ctx;
    const char *model; /* effective: req->model or gw->default_model (both outlive the job) */
    char key[65];
    bool use_cache;
    int64_t start_ms; /* monotonic */
    int64_t estimate; /* tokens taken from the limiter for the attempt in flight */
    int reasks, attempts;
    int64_t tokens_in, tokens_out;
    struct llm_raw raw; /* the provider's answer to the last attempt; owned */
    char *raw_model;
};

struct usage_entry {
    enum llm_tag_kind kind;
    char tag[48];
    struct llm_usage u;
};

struct llm_gateway {
    struct llm_provider *provider; /* NULL once destroyed (during llm_gateway_free) */
    char provider_name[32];
    char *default_model;
    struct llm_gateway_options opts;
    pthread_t thread;

    pthread_mutex_t lock; /* guards the fields down to in_flight */
    pthread_cond_t wake;
    struct job *incoming, *incoming_tail;
    struct job *completed, *completed_tail;
    bool stopping;
    bool dispatch_stopped; /* the thread has seen stopping and submits nothing more */
    int64_t in_flight;     /* calls at the provider */

    struct fairq *queue; /* thread-owned */
    struct ratelimit *limiter;

    pthread_mutex_t stat_lock; /* guards status and usage */
    struct llm_status status;
    struct usage_entry *usage;
    size_t n_usage, next_usage;

    struct metric *m_calls, *m_errors, *m_retries, *m_reasks, *m_repairs, *m_tokens, *m_cost,
        *m_hits, *m_misses, *m_duration, *m_in_flight, *m_queued;
    struct metric *m_embeds, *m_embed_texts;
};

#define HITS_NAME   "llm_cache_hits_total"
#define HITS_HELP   "Model calls answered from the cache"
#define MISSES_NAME "llm_cache_misses_total"
#define MISSES_HELP "Cache lookups that missed"

static const double duration_buckets[] = { 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60 };

/* ---- the canonical request ---------------------------------------------------- */

static const char *format_name(enum llm_format f)
{
    switch (f) {
    case LLM_FORMAT_TEXT:
        return "text";
    case LLM_FORMAT_JSON_OBJECT:
        return "json_object";
    case LLM_FORMAT_JSON_SCHEMA:
        return "json_schema";
    }
    return "text";
}

void llm_request_key(const struct llm_request *req, const char *model, char out[65])
{
    json_t *msgs = json_array();
    for (size_t i = 0; i < req->n_messages; i++) {
        json_t *m = json_array();
        json_array_append_new(m, json_string(llm_role_name(req->messages[i].role)));
        json_array_append_new(
            m, jsonio_string(req->messages[i].content, strlen(req->messages[i].content)));
        json_array_append_new(msgs, m);
    }
    json_t *c = json_object();
    jsonio_set_str(c, "model", model ? model : "");
    jsonio_set_str(c, "task", req->task);
    jsonio_set_new(c, "messages", msgs);
    jsonio_set_new(c, "temperature",
                   req->temperature >= 0 ? json_real(req->temperature) : json_null());
    jsonio_set_new(c, "max_tokens", json_integer(req->max_tokens));
    jsonio_set_new(c, "seed", req->has_seed ? json_integer(req->seed) : json_null());
    jsonio_set_str(c, "format", format_name(req->format));
    jsonio_set_new(c, "schema", req->schema ? json_incref(req->schema) : json_null());
    size_t len;
    char *text = jsonio_dump(c, JSON_SORT_KEYS, &len);
    sha256_hex(text, len, out);
    free(text);
    json_decref(c);
}

/* ---- accounting and status -------------------------------------------------------- */

static struct usage_entry *usage_slot(struct llm_gateway *gw, enum llm_tag_kind kind,
                                      const char *tag, bool create)
{
    for (size_t i = 0; i < gw->n_usage; i++)
        if (gw->usage[i].kind == kind && strcmp(gw->usage[i].tag, tag) == 0)
            return &gw->usage[i];
    if (!create)
        return NULL;
    struct usage_entry *e;
    if (gw->n_usage < USAGE_MAX_TAGS) {
        e = &gw->usage[gw->n_usage++];
    } else {
        e = &gw->usage[gw->next_usage]; /* the oldest tag gives way */
        gw->next_usage = (gw->next_usage + 1) % USAGE_MAX_TAGS;
    }
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    snprintf(e->tag, sizeof(e->tag), "%s", tag);
    return e;
}

/* Adds d to tag's totals; the caller holds stat_lock. */
static void usage_add(struct llm_gateway *gw, enum llm_tag_kind kind, const char *tag,
                      const struct llm_usage *d)
{
    if (!tag[0])
        return;
    struct usage_entry *e = usage_slot(gw, kind, tag, true);
    e->u.calls += d->calls;
    e->u.cache_hits += d->cache_hits;
    e->u.tokens_in += d->tokens_in;
    e->u.tokens_out += d->tokens_out;
    e->u.cost_micros += d->cost_micros;
}

void llm_gateway_usage(struct llm_gateway *gw, enum llm_tag_kind kind, const char *tag,
                       struct llm_usage *out)
{
    memset(out, 0, sizeof(*out));
    pthread_mutex_lock(&gw->stat_lock);
    struct usage_entry *e = usage_slot(gw, kind, tag, false);
    if (e)
        *out = e->u;
    pthread_mutex_unlock(&gw->stat_lock);
}

void llm_gateway_status(struct llm_gateway *gw, struct llm_status *out)
{
    pthread_mutex_lock(&gw->stat_lock);
    *out = gw->status;
    pthread_mutex_unlock(&gw->stat_lock);
    pthread_mutex_lock(&gw->lock);
    out->in_flight = gw->in_flight;
    pthread_mutex_unlock(&gw->lock);
}

enum err_code llm_gateway_ping(struct llm_gateway *gw, struct err *err)
{
    return gw->provider->ping(gw->provider, err);
}

static void record(struct llm_gateway *gw, const struct job *job, const struct llm_response *r)
{
    const char *outcome = r->code == ERR_OK ? "ok" : "error";
    const char *provider = gw->provider_name;
    metric_add(
        gw->m_calls,
        METRIC_LABELS({ "provider", provider }, { "model", job->model }, { "outcome", outcome }),
        1);
    metric_observe(gw->m_duration, METRIC_LABELS({ "provider", provider }),
                   (double)r->latency_ms / 1000.0);
    if (r->code)
        metric_add(gw->m_errors, METRIC_LABELS({ "kind", err_slug(r->code) }), 1);
    if (r->attempts > 1)
        metric_add(gw->m_retries, METRIC_NO_LABELS, r->attempts - 1);
    metric_add(gw->m_tokens, METRIC_LABELS({ "direction", "in" }), (double)r->tokens_in);
    metric_add(gw->m_tokens, METRIC_LABELS({ "direction", "out" }), (double)r->tokens_out);
    metric_add(gw->m_cost, METRIC_NO_LABELS, (double)r->cost_micros);

    pthread_mutex_lock(&gw->stat_lock);
    gw->status.calls++;
    gw->status.failures += r->code != ERR_OK;
    gw->status.has_result = true;
    gw->status.last_ok = r->code == ERR_OK;
    gw->status.last_at_ms = clock_now_ms();
    if (r->code)
        snprintf(gw->status.last_error, sizeof(gw->status.last_error), "%s", r->err.msg);
    struct llm_usage d = { .calls = 1,
                           .cache_hits = r->from_cache,
                           .tokens_in = r->tokens_in,
                           .tokens_out = r->tokens_out,
                           .cost_micros = r->cost_micros };
    usage_add(gw, LLM_TAG_WORKSPACE, job->req->tags.workspace, &d);
    usage_add(gw, LLM_TAG_RUN, job->req->tags.run, &d);
    pthread_mutex_unlock(&gw->stat_lock);
}

/* ---- ending a call --------------------------------------------------------------- */

static void job_free(struct job *job)
{
    llm_request_free(job->req);
    llm_request_free(job->ask);
    llm_raw_release(&job->raw);
    free(job->raw_model);
    free(job);
}

/* Hands resp to the caller and frees the job. */
static void deliver(struct llm_gateway *gw, struct job *job, struct llm_response *resp)
{
    resp->latency_ms = clock_mono_ms() - job->start_ms;
    resp->attempts = job->attempts;
    resp->reasks = job->reasks;
    record(gw, job, resp);
    job->done(job->ctx, resp);
    job_free(job);
}

static void fail(struct llm_gateway *gw, struct job *job, enum err_code code, const char *msg)
{
    struct llm_response *resp = xcalloc(1, sizeof(*resp));
    resp->code = code;
    err_set(&resp->err, code, NULL, "%s", msg);
    resp->model = xstrdup(job->model);
    resp->tokens_in = job->tokens_in;
    resp->tokens_out = job->tokens_out;
    resp->cost_micros =
        llm_prices_cost(gw->opts.prices, job->model, job->tokens_in, job->tokens_out, NULL);
    /* the last answer, kept for the log and the caller; never passed off as valid */
    if (job->raw.content)
        resp->text = xstrdup(job->raw.content);
    deliver(gw, job, resp);
}

static void cache_store(struct llm_gateway *gw, const struct job *job, const char *text,
                        const char *model)
{
    if (!job->use_cache || strlen(text) > CACHE_VALUE_MAX)
        return;
    json_t *v = json_object();
    jsonio_set_str(v, "text", text);
    jsonio_set_str(v, "model", model);
    char *value = jsonio_dump(v, JSON_SORT_KEYS, NULL);
    json_decref(v);
    struct err err = ERR_INIT;
    if (gw->opts.cache->put(gw->opts.cache->ctx, job->key, value, &err))
        LOG_WARN("llm", "cannot store a cached answer: %s", err.msg);
    free(value);
}

/* ---- checking an answer ------------------------------------------------------------ */

/*
 * Parses and validates text for job's format. On success *json holds the
 * value (NULL for text). ERR_INVALID with a message meant for the model.
 */
static enum err_code check_answer(const struct job *job, const char *text, json_t **json,
                                  bool *repaired, struct err *err)
{
    const struct llm_request *req = job->req;
    *json = NULL;
    *repaired = false;
    if (req->format == LLM_FORMAT_TEXT) {
        if (!text[0])
            return err_set(err, ERR_INVALID, NULL, "the answer is empty");
        return ERR_OK;
    }
    json_t *v = NULL;
    struct err perr = ERR_INIT;
    if (repair_json(text, strlen(text), &v, repaired, &perr))
        return err_set(err, ERR_INVALID, NULL, "the answer is not valid JSON (%s)", perr.msg);
    enum err_code rc = ERR_OK;
    if (req->format == LLM_FORMAT_JSON_OBJECT && !json_is_object(v))
        rc = err_set(err, ERR_INVALID, NULL, "the answer must be a JSON object");
    else if (req->format == LLM_FORMAT_JSON_SCHEMA)
        rc = schema_validate(req->schema, v, err);
    if (!rc && req->validate)
        rc = req->validate(v, req->validate_ctx, err);
    if (rc) {
        json_decref(v);
        if (err)
            err->code = ERR_INVALID; /* whatever the validator said, the answer is unusable */
        return ERR_INVALID;
    }
    *json = v;
    return ERR_OK;
}

/* A successful answer: build the response, account, cache, deliver. */
static void succeed(struct llm_gateway *gw, struct job *job, const char *text, json_t *json,
                    const char *model, bool from_cache)
{
    struct llm_response *resp = xcalloc(1, sizeof(*resp));
    resp->code = ERR_OK;
    resp->json = json;
    resp->text = json ? jsonio_dump(json, 0, NULL) : xstrdup(text);
    resp->model = xstrdup(model);
    resp->from_cache = from_cache;
    if (!from_cache) {
        resp->tokens_in = job->tokens_in;
        resp->tokens_out = job->tokens_out;
        resp->cost_micros =
            llm_prices_cost(gw->opts.prices, model, job->tokens_in, job->tokens_out, NULL);
        cache_store(gw, job, resp->text, model);
    }
    deliver(gw, job, resp);
}

/* ---- the queue and the provider ------------------------------------------------------ */

static size_t request_chars(const struct llm_request *req)
{
    size_t n = 0;
    for (size_t i = 0; i < req->n_messages; i++)
        n += strlen(req->messages[i].content);
    return n;
}

void llm_gateway_estimate(const struct llm_gateway *gw, const struct llm_request *req,
                          struct llm_estimate *out)
{
    out->model = req->model && *req->model ? req->model : gw->default_model;
    out->tokens_in = ratelimit_estimate_tokens(request_chars(req));
    out->tokens_out = req->max_tokens > 0 ? req->max_tokens : gw->opts.completion_estimate;
    out->cost_micros =
        llm_prices_cost(gw->opts.prices, out->model, out->tokens_in, out->tokens_out, &out->priced);
}

static void set_estimate(struct llm_gateway *gw, struct job *job)
{
    struct llm_estimate e;
    llm_gateway_estimate(gw, job->ask ? job->ask : job->req, &e);
    job->estimate = e.tokens_in + e.tokens_out;
}

static void enqueue(struct llm_gateway *gw, struct job *job, bool front)
{
    set_estimate(gw, job);
    if (front)
        fairq_push_front(gw->queue, job->req->tags.run, job);
    else
        fairq_push(gw->queue, job->req->tags.run, job);
}

/* The provider's callback: any thread, maybe inside submit. */
static void on_raw(void *ctx, struct llm_raw *raw)
{
    struct job *job = ctx;
    struct llm_gateway *gw = job->gw;
    llm_raw_release(&job->raw);
    job->raw = *raw;
    job->raw.content = raw->content ? xstrdup(raw->content) : NULL;
    job->raw.model = raw->model ? xstrdup(raw->model) : NULL;
    pthread_mutex_lock(&gw->lock);
    job->next = NULL;
    if (gw->completed_tail)
        gw->completed_tail->next = job;
    else
        gw->completed = job;
    gw->completed_tail = job;
    gw->in_flight--;
    pthread_cond_signal(&gw->wake);
    pthread_mutex_unlock(&gw->lock);
}

/*
 * Sends every queued call the limiter allows now. Returns the milliseconds
 * until the next one may go, or -1 when the queue is empty.
 */
static int64_t dispatch(struct llm_gateway *gw)
{
    struct job *job;
    while ((job = fairq_peek(gw->queue))) {
        int64_t now = clock_mono_ms();
        if (!ratelimit_take(gw->limiter, now, job->estimate)) {
            int64_t wait = ratelimit_wait_ms(gw->limiter, now, job->estimate);
            return wait > 0 ? wait : 1;
        }
        fairq_pop(gw->queue);
        pthread_mutex_lock(&gw->lock);
        gw->in_flight++;
        pthread_mutex_unlock(&gw->lock);
        struct err err = ERR_INIT;
        enum err_code rc =
            gw->provider->submit(gw->provider, job->ask ? job->ask : job->req, on_raw, job, &err);
        if (rc) {
            pthread_mutex_lock(&gw->lock);
            gw->in_flight--;
            pthread_mutex_unlock(&gw->lock);
            fail(gw, job, rc, err.msg);
        }
    }
    return -1;
}

/* Asks again, showing the model its answer and what is wrong with it. */
static void reask(struct llm_gateway *gw, struct job *job, const char *answer, const char *why)
{
    if (!job->ask)
        job->ask = llm_request_dup(job->req);
    size_t n = strlen(answer);
    char *shown = xmemdupz(answer, n > REASK_ECHO_MAX ? REASK_ECHO_MAX : n);
    llm_request_add(job->ask, LLM_ROLE_ASSISTANT, shown);
    free(shown);
    struct buf b;
    buf_init(&b, 4096);
    buf_addf(&b,
             "Your previous answer cannot be used: %s. Answer again with only the corrected "
             "answer%s, keeping everything else the same.",
             why, job->req->format == LLM_FORMAT_TEXT ? "" : " as valid JSON");
    llm_request_add(job->ask, LLM_ROLE_USER, b.data);
    buf_release(&b);
    job->reasks++;
    metric_add(gw->m_reasks, METRIC_NO_LABELS, 1);
    enqueue(gw, job, true);
}

/* A provider answer arrived for job (on the gateway thread). */
static void on_answer(struct llm_gateway *gw, struct job *job, bool stopping)
{
    struct llm_raw *raw = &job->raw;
    job->attempts += raw->attempts;
    const struct llm_request *sent = job->ask ? job->ask : job->req;
    int64_t in =
        raw->tokens_in >= 0 ? raw->tokens_in : ratelimit_estimate_tokens(request_chars(sent));
    int64_t out = raw->tokens_out >= 0
                      ? raw->tokens_out
                      : ratelimit_estimate_tokens(raw->content ? strlen(raw->content) : 0);
    if (raw->code == ERR_OK) {
        job->tokens_in += in;
        job->tokens_out += out;
        ratelimit_correct(gw->limiter, clock_mono_ms(), in + out - job->estimate);
    }
    if (raw->code) {
        fail(gw, job, raw->code, raw->err.msg);
        return;
    }
    free(job->raw_model);
    job->raw_model = xstrdup(raw->model ? raw->model : job->model);

    json_t *json;
    bool repaired;
    struct err err = ERR_INIT;
    const char *text = raw->content ? raw->content : "";
    if (check_answer(job, text, &json, &repaired, &err) == ERR_OK) {
        if (repaired)
            metric_add(gw->m_repairs, METRIC_NO_LABELS, 1);
        succeed(gw, job, text, json, job->raw_model, false);
        return;
    }
    if (job->reasks < gw->opts.max_reasks && !stopping) {
        reask(gw, job, text, err.msg);
        return;
    }
    char msg[sizeof(err.msg) + 96];
    snprintf(msg, sizeof(msg), "the model's answer was invalid after %d re-ask%s: %s", job->reasks,
             job->reasks == 1 ? "" : "s", err.msg);
    fail(gw, job, ERR_UPSTREAM, msg);
}

/* A newly submitted call: answer from the cache, or queue it. */
static void on_new(struct llm_gateway *gw, struct job *job, bool stopping)
{
    if (stopping) {
        fail(gw, job, ERR_UNAVAILABLE, "the model gateway is stopping");
        return;
    }
    if (job->use_cache) {
        char *value = NULL;
        struct err err = ERR_INIT;
        enum err_code rc = gw->opts.cache->get(gw->opts.cache->ctx, job->key, &value, &err);
        if (rc && rc != ERR_NOT_FOUND)
            LOG_WARN("llm", "cache lookup failed: %s", err.msg);
        json_t *v = NULL;
        if (!rc && jsonio_parse(value, strlen(value), &v, NULL) == ERR_OK) {
            const char *text = json_string_value(json_object_get(v, "text"));
            const char *model = json_string_value(json_object_get(v, "model"));
            json_t *answer;
            bool repaired;
            if (text && model && check_answer(job, text, &answer, &repaired, NULL) == ERR_OK) {
                metric_add(gw->m_hits, METRIC_NO_LABELS, 1);
                succeed(gw, job, text, answer, model, true);
                json_decref(v);
                free(value);
                return;
            }
        }
        json_decref(v);
        free(value);
        metric_add(gw->m_misses, METRIC_NO_LABELS, 1);
    }
    enqueue(gw, job, false);
}

static void drop_queued(void *item)
{
    struct job *job = item;
    fail(job->gw, job, ERR_UNAVAILABLE, "the model gateway is stopping");
}

/* ---- the thread ---------------------------------------------------------------------- */

static void *gateway_main(void *arg)
{
    struct llm_gateway *gw = arg;
    pthread_mutex_lock(&gw->lock);
    for (;;) {
        struct job *incoming = gw->incoming, *completed = gw->completed;
        gw->incoming = gw->incoming_tail = NULL;
        gw->completed = gw->completed_tail = NULL;
        bool stopping = gw->stopping;
        pthread_mutex_unlock(&gw->lock);

        while (completed) {
            struct job *next = completed->next;
            on_answer(gw, completed, stopping);
            completed = next;
        }
        while (incoming) {
            struct job *next = incoming->next;
            on_new(gw, incoming, stopping);
            incoming = next;
        }
        int64_t wait_ms = -1;
        if (stopping) {
            while (fairq_len(gw->queue))
                drop_queued(fairq_pop(gw->queue));
        } else {
            wait_ms = dispatch(gw);
        }
        metric_set(gw->m_queued, METRIC_NO_LABELS, (double)fairq_len(gw->queue));
        pthread_mutex_lock(&gw->stat_lock);
        gw->status.queued = (int64_t)fairq_len(gw->queue);
        pthread_mutex_unlock(&gw->stat_lock);

        pthread_mutex_lock(&gw->lock);
        metric_set(gw->m_in_flight, METRIC_NO_LABELS, (double)gw->in_flight);
        if (stopping && !gw->dispatch_stopped) {
            gw->dispatch_stopped = true;
            pthread_cond_broadcast(&gw->wake);
        }
        if (gw->incoming || gw->completed || gw->stopping != stopping)
            continue; /* new work, or a stop that arrived while we worked */
        if (stopping && gw->in_flight == 0 && gw->provider == NULL)
            break;
        if (wait_ms < 0) {
            pthread_cond_wait(&gw->wake, &gw->lock);
        } else {
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_sec += wait_ms / 1000;
            until.tv_nsec += (wait_ms % 1000) * 1000000;
            if (until.tv_nsec >= 1000000000) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&gw->wake, &gw->lock, &until);
        }
    }
    pthread_mutex_unlock(&gw->lock);
    return NULL;
}

/* ---- embeddings ---------------------------------------------------------------------------
 *
 * llm_embed runs on the caller's thread, not the gateway's: it is a
 * synchronous look-up in the cache (one entry per text, so anchor
 * statements and documents embedded once are never paid for again, and a
 * batch sends only its misses) followed by one provider embed call for
 * the misses. Embeddings are not counted against LLM_RPM/LLM_TPM:
 * providers limit embedding models separately, and a 429 is retried by
 * the provider. Shared state touched here - the cache, the metrics, the
 * usage totals under stat_lock - is thread-safe.
 */

#define EMBED_CACHE_PRECISION 9 /* significant digits: enough to read a float back exactly */

void llm_embed_key(const char *model, int dimensions, const char *text, char out[65])
{
    json_t *c = json_object();
    jsonio_set_str(c, "kind", "embedding");
    jsonio_set_str(c, "model", model ? model : "");
    jsonio_set_new(c, "dimensions", json_integer(dimensions));
    jsonio_set_new(c, "input", jsonio_string(text, strlen(text)));
    size_t len;
    char *canon = jsonio_dump(c, JSON_SORT_KEYS, &len);
    sha256_hex(canon, len, out);
    free(canon);
    json_decref(c);
}

void llm_embeddings_release(struct llm_embeddings *e)
{
    if (!e)
        return;
    free(e->vectors);
    free(e->model);
    memset(e, 0, sizeof(*e));
}

bool llm_gateway_can_embed(const struct llm_gateway *gw)
{
    return gw && gw->provider && gw->provider->embed;
}

/* One text's cached vector: a malloc'd copy of its dim floats, or NULL on a miss. */
static float *embed_cache_get(const struct llm_gateway *gw, const char *key, int dimensions,
                              size_t *dim, char **model)
{
    char *value = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = gw->opts.cache->get(gw->opts.cache->ctx, key, &value, &err);
    if (rc && rc != ERR_NOT_FOUND)
        LOG_WARN("llm", "cache lookup failed: %s", err.msg);
    json_t *v = NULL;
    float *vec = NULL;
    if (!rc && jsonio_parse(value, strlen(value), &v, NULL) == ERR_OK) {
        const json_t *arr = json_object_get(v, "embedding");
        const char *m = json_string_value(json_object_get(v, "model"));
        size_t len = json_array_size(arr);
        bool ok = m && len > 0 && (dimensions <= 0 || len == (size_t)dimensions);
        if (ok)
            vec = xmalloc(len * sizeof(*vec));
        for (size_t k = 0; ok && k < len; k++) {
            const json_t *x = json_array_get(arr, k);
            ok = json_is_number(x);
            vec[k] = ok ? (float)json_number_value(x) : 0;
        }
        if (ok) {
            *dim = len;
            if (!*model)
                *model = xstrdup(m);
        } else {
            FREE_AND_NULL(vec);
        }
    }
    json_decref(v);
    free(value);
    return vec;
}

static void embed_cache_put(const struct llm_gateway *gw, const char *key, const float *vec,
                            size_t dim, const char *model)
{
    json_t *v = json_object();
    jsonio_set_str(v, "model", model);
    json_t *arr = json_array();
    for (size_t k = 0; k < dim; k++)
        json_array_append_new(arr, json_real(vec[k]));
    jsonio_set_new(v, "embedding", arr);
    char *text = jsonio_dump(v, JSON_REAL_PRECISION(EMBED_CACHE_PRECISION), NULL);
    struct err err = ERR_INIT;
    if (gw->opts.cache->put(gw->opts.cache->ctx, key, text, &err))
        LOG_WARN("llm", "cache store failed: %s", err.msg);
    free(text);
    json_decref(v);
}

/* The work of one llm_embed call. */
struct embed_call {
    const char *const *texts;
    size_t n;
    const char *model; /* asked */
    int dimensions;
    bool use_cache;
    char (*keys)[65];  /* per text, when use_cache */
    float **rows;      /* per text: its vector (owned), NULL until known */
    size_t dim;        /* of the rows known so far; 0 before the first */
    char *answered_by; /* the model named by the cache or the provider; owned */
    size_t hits;
    int64_t tokens;
    int attempts;
};

static void embed_call_release(struct embed_call *ec)
{
    for (size_t i = 0; i < ec->n; i++)
        free(ec->rows[i]);
    free(ec->rows);
    free(ec->keys);
    free(ec->answered_by);
}

static void embed_from_cache(const struct llm_gateway *gw, struct embed_call *ec)
{
    for (size_t i = 0; i < ec->n; i++) {
        size_t dim = 0;
        llm_embed_key(ec->model, ec->dimensions, ec->texts[i], ec->keys[i]);
        float *vec = embed_cache_get(gw, ec->keys[i], ec->dimensions, &dim, &ec->answered_by);
        if (vec && ec->dim && dim != ec->dim) /* entries of another size: ask again */
            FREE_AND_NULL(vec);
        if (!vec)
            continue;
        ec->dim = dim;
        ec->rows[i] = vec;
        ec->hits++;
    }
}

/* Asks the provider for every text still without a vector. */
static enum err_code embed_misses(struct llm_gateway *gw, struct embed_call *ec, struct err *err)
{
    size_t n_miss = ec->n - ec->hits;
    if (n_miss == 0)
        return ERR_OK;
    const char **miss = xmalloc(n_miss * sizeof(*miss));
    size_t *at = xmalloc(n_miss * sizeof(*at));
    size_t m = 0, chars = 0;
    for (size_t i = 0; i < ec->n; i++) {
        if (ec->rows[i])
            continue;
        miss[m] = ec->texts[i];
        at[m++] = i;
        chars += strlen(ec->texts[i]);
    }
    struct llm_raw_embeddings raw;
    enum err_code rc =
        gw->provider->embed(gw->provider, ec->model, ec->dimensions, miss, n_miss, &raw, err);
    ec->attempts = raw.attempts;
    if (rc == ERR_OK && ec->dim && raw.dim != ec->dim)
        rc = err_set(err, ERR_UPSTREAM, NULL,
                     "the model answered %zu dimensions where the cache holds %zu", raw.dim,
                     ec->dim);
    if (rc == ERR_OK) {
        const char *model = raw.model ? raw.model : ec->model;
        ec->dim = raw.dim;
        ec->tokens = raw.tokens >= 0 ? raw.tokens : ratelimit_estimate_tokens(chars);
        for (size_t k = 0; k < n_miss; k++) {
            ec->rows[at[k]] = xmalloc(raw.dim * sizeof(float));
            memcpy(ec->rows[at[k]], raw.vectors + k * raw.dim, raw.dim * sizeof(float));
            if (ec->use_cache)
                embed_cache_put(gw, ec->keys[at[k]], ec->rows[at[k]], raw.dim, model);
        }
        free(ec->answered_by);
        ec->answered_by = xstrdup(model);
    }
    free(raw.vectors);
    free(raw.model);
    free(miss);
    free(at);
    return rc;
}

/* Metrics and per-tag totals of one llm_embed call. */
static void embed_record(struct llm_gateway *gw, const struct embed_call *ec,
                         const struct llm_embed_params *params, enum err_code rc,
                         int64_t cost_micros)
{
    const char *provider = gw->provider_name;
    metric_add(gw->m_embeds,
               METRIC_LABELS({ "provider", provider }, { "model", ec->model },
                             { "outcome", rc == ERR_OK ? "ok" : "error" }),
               1);
    if (rc)
        metric_add(gw->m_errors, METRIC_LABELS({ "kind", err_slug(rc) }), 1);
    if (ec->attempts > 1)
        metric_add(gw->m_retries, METRIC_NO_LABELS, ec->attempts - 1);
    metric_add(gw->m_embed_texts, METRIC_LABELS({ "source", "cache" }), (double)ec->hits);
    if (rc == ERR_OK)
        metric_add(gw->m_embed_texts, METRIC_LABELS({ "source", "provider" }),
                   (double)(ec->n - ec->hits));
    metric_add(gw->m_tokens, METRIC_LABELS({ "direction", "in" }), (double)ec->tokens);
    metric_add(gw->m_cost, METRIC_NO_LABELS, (double)cost_micros);
    if (!params)
        return;
    struct llm_usage d = { .calls = 1,
                           .cache_hits = rc == ERR_OK && ec->hits == ec->n,
                           .tokens_in = ec->tokens,
                           .cost_micros = cost_micros };
    pthread_mutex_lock(&gw->stat_lock);
    usage_add(gw, LLM_TAG_WORKSPACE, params->tags.workspace, &d);
    usage_add(gw, LLM_TAG_RUN, params->tags.run, &d);
    pthread_mutex_unlock(&gw->stat_lock);
}

enum err_code llm_embed(struct llm_gateway *gw, const char *const *texts, size_t n,
                        const struct llm_embed_params *params, struct llm_embeddings *out,
                        struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (!llm_gateway_can_embed(gw))
        return err_set(err, ERR_UNAVAILABLE, NULL,
                       "the model provider '%s' has no embeddings endpoint",
                       gw ? gw->provider_name : "");
    if (n == 0)
        return ERR_OK;
    const char *model = params && params->model && *params->model ? params->model
                        : gw->provider->embedding_model           ? gw->provider->embedding_model
                                                                  : "";
    struct embed_call ec = {
        .texts = texts,
        .n = n,
        .model = model,
        .dimensions = params && params->dimensions > 0 ? params->dimensions : 0,
        .use_cache = gw->opts.cache && gw->provider->cacheable && !(params && params->no_cache),
        .rows = xcalloc(n, sizeof(float *)),
    };
    if (ec.use_cache) {
        ec.keys = xcalloc(n, sizeof(*ec.keys));
        embed_from_cache(gw, &ec);
    }
    enum err_code rc = embed_misses(gw, &ec, err);
    int64_t cost = 0;
    if (rc == ERR_OK) {
        cost = llm_prices_cost(gw->opts.prices, ec.answered_by, ec.tokens, 0, NULL);
        out->vectors = xmalloc(n * ec.dim * sizeof(*out->vectors));
        for (size_t i = 0; i < n; i++)
            memcpy(out->vectors + i * ec.dim, ec.rows[i], ec.dim * sizeof(float));
        out->n = n;
        out->dim = ec.dim;
        out->model = xstrdup(ec.answered_by);
        out->tokens = ec.tokens;
        out->cost_micros = cost;
        out->from_cache = ec.hits;
    }
    out->attempts = ec.attempts;
    embed_record(gw, &ec, params, rc, cost);
    embed_call_release(&ec);
    return rc;
}

/* ---- public ----------------------------------------------------------------------------- */

/* Read through the families' names, so no gateway pointer outlives its gateway. */
static double hit_ratio(void *ctx)
{
    (void)ctx;
    double hits = metric_value(metrics_counter(HITS_NAME, HITS_HELP), METRIC_NO_LABELS);
    double misses = metric_value(metrics_counter(MISSES_NAME, MISSES_HELP), METRIC_NO_LABELS);
    return hits + misses > 0 ? hits / (hits + misses) : 0;
}

struct llm_gateway *llm_gateway_new(struct llm_provider *provider,
                                    const struct llm_gateway_options *opts)
{
    struct llm_gateway *gw = xcalloc(1, sizeof(*gw));
    gw->provider = provider;
    snprintf(gw->provider_name, sizeof(gw->provider_name), "%s", provider->name);
    gw->default_model = xstrdup(provider->default_model);
    gw->opts = *opts;
    if (gw->opts.completion_estimate <= 0)
        gw->opts.completion_estimate = 256;
    pthread_mutex_init(&gw->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&gw->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&gw->stat_lock, NULL);
    gw->queue = fairq_new();
    gw->limiter = ratelimit_new(opts->rpm, opts->tpm, clock_mono_ms());
    gw->usage = xcalloc(USAGE_MAX_TAGS, sizeof(*gw->usage));
    snprintf(gw->status.provider, sizeof(gw->status.provider), "%s", provider->name);
    snprintf(gw->status.model, sizeof(gw->status.model), "%s", provider->default_model);

    gw->m_calls = metrics_counter("llm_calls_total", "Model calls completed, by outcome");
    gw->m_errors = metrics_counter("llm_errors_total", "Failed model calls by kind");
    gw->m_retries = metrics_counter("llm_retries_total", "Transport retries by providers");
    gw->m_reasks = metrics_counter("llm_reasks_total", "Re-asks after an invalid answer");
    gw->m_repairs =
        metrics_counter("llm_repairs_total", "JSON answers recovered from prose or code fences");
    gw->m_tokens = metrics_counter("llm_tokens_total", "Tokens billed, by direction");
    gw->m_cost = metrics_counter("llm_cost_microdollars_total", "Model cost in micro-dollars");
    gw->m_hits = metrics_counter(HITS_NAME, HITS_HELP);
    gw->m_misses = metrics_counter(MISSES_NAME, MISSES_HELP);
    gw->m_duration = metrics_histogram("llm_call_duration_seconds",
                                       "Model call time, queueing and re-asks included",
                                       duration_buckets, ARRAY_SIZE(duration_buckets));
    gw->m_in_flight = metrics_gauge("llm_in_flight", "Model calls at the provider");
    gw->m_queued = metrics_gauge("llm_queued", "Model calls waiting for the rate limiter");
    metrics_gauge_sampled("llm_cache_hit_ratio", "Cache hits / lookups since start (0 before any)",
                          hit_ratio, NULL);
    gw->m_embeds = metrics_counter("llm_embeddings_total",
                                   "Embeddings requests (llm_embed calls) completed, by outcome");
    gw->m_embed_texts = metrics_counter("llm_embedding_texts_total",
                                        "Texts embedded, by source (the cache or the provider)");
    metric_add(gw->m_hits, METRIC_NO_LABELS, 0);
    metric_add(gw->m_misses, METRIC_NO_LABELS, 0);
    metric_add(gw->m_retries, METRIC_NO_LABELS, 0);
    metric_add(gw->m_reasks, METRIC_NO_LABELS, 0);

    if (pthread_create(&gw->thread, NULL, gateway_main, gw) != 0) {
        fprintf(stderr, "fatal: cannot start the model gateway thread\n");
        abort();
    }
    return gw;
}

void llm_gateway_free(struct llm_gateway *gw)
{
    if (!gw)
        return;
    /* 1. the thread stops sending calls (queued ones fail) */
    pthread_mutex_lock(&gw->lock);
    gw->stopping = true;
    pthread_cond_broadcast(&gw->wake);
    while (!gw->dispatch_stopped)
        pthread_cond_wait(&gw->wake, &gw->lock);
    struct llm_provider *provider = gw->provider;
    pthread_mutex_unlock(&gw->lock);

    /* 2. the provider fails what it still holds, through on_raw */
    provider->destroy(provider);

    /* 3. the thread delivers those answers and ends */
    pthread_mutex_lock(&gw->lock);
    gw->provider = NULL;
    pthread_cond_broadcast(&gw->wake);
    pthread_mutex_unlock(&gw->lock);
    pthread_join(gw->thread, NULL);

    fairq_free(gw->queue, NULL);
    ratelimit_free(gw->limiter);
    free(gw->usage);
    free(gw->default_model);
    pthread_cond_destroy(&gw->wake);
    pthread_mutex_destroy(&gw->lock);
    pthread_mutex_destroy(&gw->stat_lock);
    free(gw);
}

static enum err_code check_request(const struct llm_request *req, struct err *err)
{
    if (req->n_messages == 0)
        return err_set(err, ERR_INVALID, NULL, "a model request needs at least one message");
    if (req->format == LLM_FORMAT_JSON_SCHEMA) {
        if (!req->schema)
            return err_set(err, ERR_INVALID, NULL, "task '%s': json_schema format without a schema",
                           req->task);
        return schema_check(req->schema, err);
    }
    return ERR_OK;
}

enum err_code llm_submit(struct llm_gateway *gw, struct llm_request *req, llm_done_fn *done,
                         void *ctx, struct err *err)
{
    enum err_code rc = check_request(req, err);
    if (rc) {
        llm_request_free(req);
        return rc;
    }
    struct job *job = xcalloc(1, sizeof(*job));
    job->gw = gw;
    job->req = req;
    job->done = done;
    job->ctx = ctx;
    job->start_ms = clock_mono_ms();
    job->model = req->model ? req->model : gw->default_model;
    job->use_cache = gw->opts.cache && gw->provider->cacheable && !req->no_cache;
    if (job->use_cache)
        llm_request_key(req, job->model, job->key);

    pthread_mutex_lock(&gw->lock);
    if (gw->stopping) {
        pthread_mutex_unlock(&gw->lock);
        job_free(job);
        return err_set(err, ERR_UNAVAILABLE, NULL, "the model gateway is stopping");
    }
    if (gw->incoming_tail)
        gw->incoming_tail->next = job;
    else
        gw->incoming = job;
    gw->incoming_tail = job;
    pthread_cond_signal(&gw->wake);
    pthread_mutex_unlock(&gw->lock);
    return ERR_OK;
}

/* ---- the synchronous call ------------------------------------------------------------- */

struct waiter {
    pthread_mutex_t lock;
    pthread_cond_t done;
    struct llm_response *resp;
};

static void wake_waiter(void *ctx, struct llm_response *resp)
{
    struct waiter *w = ctx;
    pthread_mutex_lock(&w->lock);
    w->resp = resp;
    pthread_cond_signal(&w->done);
    pthread_mutex_unlock(&w->lock);
}

struct llm_response *llm_call(struct llm_gateway *gw, struct llm_request *req)
{
    struct waiter w = { .resp = NULL };
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.done, NULL);
    struct err err = ERR_INIT;
    enum err_code rc = llm_submit(gw, req, wake_waiter, &w, &err);
    if (rc) {
        w.resp = xcalloc(1, sizeof(*w.resp));
        w.resp->code = rc;
        w.resp->err = err;
    } else {
        pthread_mutex_lock(&w.lock);
        while (!w.resp)
            pthread_cond_wait(&w.done, &w.lock);
        pthread_mutex_unlock(&w.lock);
    }
    pthread_cond_destroy(&w.done);
    pthread_mutex_destroy(&w.lock);
    return w.resp;
}
