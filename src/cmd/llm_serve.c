/*
 * cmd/llm_serve.c - "crowdelic llm-serve": an OpenAI-compatible HTTP server
 * for tests and benchmarks, with exact fault injection (docs/llm-serve.md).
 *
 * This file holds the command: the route table and handlers, the answering
 * of requests, and the start and stop (the flags, /stats, the timer, the
 * faults and the bodies live in the files llm_serve.h lists). A handler
 * checks the request, decides its fault and its delay, builds the whole
 * answer at once, then either answers (no delay) or defers the request and
 * gives the answer to the timer (llm_serve_timer.c), which writes it when
 * due; a stream's events are sent by the timer too. No HTTP thread waits.
 *
 * Invariants: every counted request is answered exactly once through
 * answer_job() or reply_error(), which keep /stats exact; a hung request (the
 * "timeout" fault) is a timer entry tagged TAG_HANG, answered at --hang-ms
 * or at once when the server stops.
 *
 * Threads: handlers on the HTTP pool; jobs on the timer thread (or on the
 * main thread while stopping); the main thread waits for SIGINT/SIGTERM.
 */
#include "core/compat.h"

#include "cmd/cmd.h"
#include "cmd/llm_serve.h"
#include "core/clock.h"
#include "core/jsonio.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "engine/offline/offline.h"
#include "http/request.h"
#include "http/response.h"
#include "http/server.h"
#include "http/sse.h"

#include <signal.h>

#define MALFORMED_BODY                                                                        \
    "{\"object\": \"chat.completion\", \"choices\": [{\"index\": 0, \"message\": {\"role\": " \
    "\"assistant\", \"content\": oops, this is not JSON"

enum { TAG_ANSWER = 1 << 0, TAG_HANG = 1 << 1 };

/* ---- the application ---------------------------------------------------------------------- */

struct app {
    struct ls_options opt;
    struct ls_fault_plan plan;
    struct ls_rng rng;
    struct ls_body_counts *bodies;
    struct ls_script script; /* n == 0 unless in script mode */
    bool script_mode;
    struct llm_provider *offline; /* the offline responder; NULL otherwise */
    struct ls_timer *timer;
    struct ls_stats stats;
    atomic_uint_least64_t next_id;
};

/* ---- answering ------------------------------------------------------------------------------ */

/* One counted request being handled. */
struct call {
    struct app *app;
    struct req *req;
    uint64_t gen;
};

/* Answers now with an OpenAI error object; the handler then returns ERR_OK. */
static enum err_code reply_error(struct call *c, int status, const char *message, const char *type,
                                 const char *param, const char *code)
{
    resp_json_take(c->req, status, ls_error_json(message, type, param, code));
    ls_stats_end(&c->app->stats, c->gen, status);
    return ERR_OK;
}

static enum err_code reply_invalid(struct call *c, const struct err *e)
{
    return reply_error(c, 400, e->msg, "invalid_request_error", e->field[0] ? e->field : NULL,
                       NULL);
}

/* An answer built in the handler and sent now or by the timer. */
struct job {
    struct app *app;
    struct req *req;           /* a deferred request; NULL for a stream */
    struct sse_stream *stream; /* a stream: our reference */
    uint64_t gen;
    int status;
    const char *content_type;
    char *body; /* owned */
    size_t len;
    size_t cut;          /* bytes sent before the connection drops; SIZE_MAX: all */
    int64_t retry_after; /* -1: no Retry-After */
    struct ls_events events;
    bool cut_stream; /* the "truncated" fault: half the events, no [DONE] */
    int64_t hang_ms; /* a hung request: the time it is held */
};

/* A 200 application/json job for c, sent whole, without Retry-After. */
static struct job *job_new(struct call *c)
{
    struct job *j = xcalloc(1, sizeof(*j));
    *j = (struct job){ .app = c->app,
                       .req = c->req,
                       .gen = c->gen,
                       .status = 200,
                       .content_type = "application/json",
                       .cut = SIZE_MAX,
                       .retry_after = -1,
                       .hang_ms = -1 };
    return j;
}

static void job_free(struct job *j)
{
    free(j->body);
    ls_events_free(&j->events);
    if (j->stream)
        sse_unref(j->stream);
    free(j);
}

static void set_error_body(struct job *j, int status, const char *message, const char *type,
                           const char *code)
{
    json_t *e = ls_error_json(message, type, NULL, code);
    free(j->body);
    j->status = status;
    j->content_type = "application/json";
    j->body = jsonio_dump(e, 0, &j->len);
    json_decref(e);
}

/* Writes the job's response (or feeds its stream), counts it, completes it, frees it. */
static void answer_job(void *arg, bool early)
{
    struct job *j = arg;
    struct ls_stats *stats = &j->app->stats;
    if (j->stream) {
        size_t n = j->cut_stream ? j->events.n / 2 : j->events.n;
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++)
            ok = sse_send(j->stream, 0, NULL, j->events.items[i].data, j->events.items[i].len,
                          NULL) == ERR_OK;
        if (ok && !j->cut_stream)
            sse_send(j->stream, 0, NULL, "[DONE]", 6, NULL);
        ls_stats_end(stats, j->gen, 200);
        sse_close(j->stream);
        job_free(j);
        return;
    }
    if (j->hang_ms >= 0) {
        char msg[128];
        if (early) {
            set_error_body(j, 503, "the server is shutting down", "server_error", NULL);
        } else {
            snprintf(msg, sizeof(msg), "fault timeout: no answer for %" PRId64 " ms", j->hang_ms);
            set_error_body(j, 504, msg, "server_error", "timeout");
        }
    }
    if (j->retry_after >= 0) {
        char v[24];
        snprintf(v, sizeof(v), "%" PRId64, j->retry_after);
        resp_header(j->req, "Retry-After", v);
    }
    if (j->cut < j->len)
        resp_bytes_cut(j->req, j->status, j->content_type, j->body, j->len, j->cut);
    else
        resp_bytes(j->req, j->status, j->content_type, j->body, j->len);
    ls_stats_end(stats, j->gen, j->status);
    struct req *req = j->req;
    job_free(j);
    req_complete(req);
}

/*
 * Sends j now (delay 0) or at due_ns through the timer. A stream job must
 * already have its stream open; any other is deferred here.
 */
static void dispatch_job(struct job *j, int64_t due_ns, unsigned tag, bool now)
{
    if (now && !j->stream) {
        req_defer(j->req); /* answered on this thread, inside the handler */
        answer_job(j, false);
        return;
    }
    if (!j->stream)
        req_defer(j->req);
    if (!ls_timer_add(j->app->timer, due_ns, tag, answer_job, j))
        answer_job(j, true); /* stopping: answer at once */
}

/* ---- request headers ------------------------------------------------------------------------ */

static const char *bearer_token(struct req *req)
{
    const char *h = req_header(req, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return h;
}

/* Compares in time that depends only on the length of want (the secret). */
static bool key_equal(const char *given, const char *want)
{
    size_t a = strlen(given), b = strlen(want);
    volatile unsigned char diff = a != b;
    for (size_t i = 0; i < b; i++)
        diff |= (unsigned char)(want[i] ^ (i < a ? given[i] : 0));
    return diff == 0;
}

/* 401 (answered) when the key is required and wrong; false when the call may go on. */
static bool auth_failed(struct call *c, bool azure)
{
    const char *want = c->app->opt.api_key;
    if (!want)
        return false;
    const char *got = azure ? req_header(c->req, "api-key") : bearer_token(c->req);
    if (!got || !*got) {
        reply_error(c, 401,
                    azure ? "Access denied: the api-key header is missing."
                          : "You didn't provide an API key. You need to provide your API key in an "
                            "Authorization header using Bearer auth (i.e. Authorization: Bearer "
                            "YOUR_KEY).",
                    "invalid_request_error", NULL, azure ? "401" : NULL);
        return true;
    }
    if (!key_equal(got, want)) {
        reply_error(c, 401,
                    azure ? "Access denied due to invalid subscription key."
                          : "Incorrect API key provided.",
                    "invalid_request_error", NULL, azure ? "401" : "invalid_api_key");
        return true;
    }
    return false;
}

/* Azure needs ?api-version=...; 400 (answered) without it. */
static bool api_version_missing(struct call *c)
{
    const char *v = req_query(c->req, "api-version");
    if (v && *v)
        return false;
    reply_error(c, 400, "api-version: the api-version query parameter is required",
                "invalid_request_error", "api-version", "missing_api_version");
    return true;
}

/* An integer header in [0, max] into *out (left alone when absent). */
static enum err_code header_int(struct req *req, const char *name, int64_t max, int64_t *out,
                                struct err *err)
{
    const char *v = req_header(req, name);
    if (!v)
        return ERR_OK;
    if (!span_parse_i64(span_trim(span_cstr(v)), 0, max, out))
        return err_set(err, ERR_INVALID, name, "%s: '%.40s' is not a whole number in 0..%" PRId64,
                       name, v, max);
    return ERR_OK;
}

/* The fault, delay (ns) and Retry-After of a request, from headers and flags. */
struct plan {
    enum ls_fault fault;
    int64_t delay_ns;
    int64_t retry_after;
};

/*
 * Every header is checked before anything is counted or drawn, so a
 * request refused with 400 leaves the X-Fault-Times counts and the random
 * sequence as they were.
 */
static enum err_code plan_call(struct call *c, bool chat, struct plan *p, struct err *err)
{
    struct app *app = c->app;
    const char *x_fault = req_header(c->req, "X-Fault");
    enum ls_fault named;
    if (!chat && x_fault && ls_fault_parse(x_fault, strlen(x_fault), &named) &&
        (named == LS_FAULT_SCHEMA || named == LS_FAULT_PROSE))
        return err_set(err, ERR_INVALID, "X-Fault",
                       "X-Fault: '%s' applies to chat completions only", ls_fault_name(named));
    int64_t ms = -1;
    p->retry_after = app->opt.retry_after_s;
    enum err_code rc = header_int(c->req, "X-Latency-Ms", LS_MAX_DELAY_MS, &ms, err);
    if (!rc)
        rc = header_int(c->req, "X-Fault-Retry-After", LS_MAX_RETRY_AFTER_S, &p->retry_after, err);
    struct span body = req_body(c->req);
    if (!rc)
        rc = ls_fault_decide(&app->plan, chat, &app->rng, app->bodies, x_fault,
                             req_header(c->req, "X-Fault-Times"), body.ptr, body.len, &p->fault,
                             err);
    if (rc)
        return rc;
    if (ms < 0)
        ms = app->opt.latency_ms + (int64_t)ls_rng_upto(&app->rng, (uint64_t)app->opt.jitter_ms);
    p->delay_ns = ms * 1000000;
    ls_stats_fault(&app->stats, c->gen, p->fault);
    return ERR_OK;
}

/*
 * A job for the faults that replace the answer (429, 500, 503, timeout),
 * or NULL when the fault needs the answer itself.
 */
static struct job *error_fault_job(struct call *c, const struct plan *p)
{
    struct job *j = job_new(c);
    switch (p->fault) {
    case LS_FAULT_429:
        set_error_body(j, 429, "Rate limit reached for requests (fault injected by llm-serve).",
                       "requests", "rate_limit_exceeded");
        j->retry_after = p->retry_after;
        return j;
    case LS_FAULT_500:
        set_error_body(j, 500,
                       "The server had an error while processing your request. Sorry about that!",
                       "server_error", NULL);
        return j;
    case LS_FAULT_503:
        set_error_body(j, 503, "The engine is currently overloaded, please try again later.",
                       "server_error", NULL);
        j->retry_after = p->retry_after;
        return j;
    case LS_FAULT_TIMEOUT:
        j->hang_ms = c->app->opt.hang_ms;
        return j;
    default:
        break;
    }
    free(j);
    return NULL;
}

/* Dispatches an error-fault job: a hang waits --hang-ms, the others the delay. */
static void send_error_fault(struct job *j, int64_t t0, const struct plan *p)
{
    if (j->hang_ms >= 0)
        dispatch_job(j, t0 + j->hang_ms * 1000000, TAG_HANG, false);
    else
        dispatch_job(j, t0 + p->delay_ns, TAG_ANSWER, p->delay_ns == 0);
}

/* ---- chat completions ----------------------------------------------------------------------- */

/*
 * The content for a chat call, by responder and fault (malloc'd in *out),
 * or an answer already sent (script exhausted, schema without example):
 * returns false then.
 */
static bool chat_content(struct call *c, const struct ls_chat *chat, enum ls_fault fault,
                         char *echo, char **out)
{
    struct app *app = c->app;
    *out = NULL;
    if (fault == LS_FAULT_SCHEMA) {
        *out = ls_schema_violation(chat);
        return true;
    }
    if (fault == LS_FAULT_MALFORMED) {
        *out = xstrdup("");
        return true;
    }
    const char *base = echo;
    if (app->script_mode) {
        /* a truncated answer shows the next answer without consuming it */
        base = ls_script_next(&app->script, fault != LS_FAULT_TRUNCATED);
        if (!base && fault == LS_FAULT_TRUNCATED)
            base = "";
        if (!base) {
            char msg[96];
            snprintf(msg, sizeof(msg), "script exhausted after %zu answers",
                     ls_script_size(&app->script));
            reply_error(c, 500, msg, "server_error", NULL, "script_exhausted");
            return false;
        }
    }
    *out = fault == LS_FAULT_PROSE ? ls_prose_wrap(base) : xstrdup(base);
    return true;
}

static enum err_code chat(struct req *req, bool azure)
{
    struct app *app = req_app(req);
    int64_t t0 = clock_mono_ns();
    struct err err = ERR_INIT;
    json_t *body = NULL;
    enum err_code parse_rc = req_json(req, &body, &err);
    bool stream = !parse_rc && json_is_true(json_object_get(body, "stream"));
    struct call c = { .app = app, .req = req };
    c.gen = ls_stats_begin(&app->stats, stream  ? LS_ROUTE_CHAT_STREAM
                                        : azure ? LS_ROUTE_AZURE_CHAT
                                                : LS_ROUTE_CHAT);

    if (azure && api_version_missing(&c))
        return ERR_OK;
    if (auth_failed(&c, azure))
        return ERR_OK;
    if (parse_rc) {
        char msg[320];
        snprintf(msg, sizeof(msg), "We could not parse the JSON body of your request: %s", err.msg);
        return reply_error(&c, 400, msg, "invalid_request_error", NULL, NULL);
    }
    struct ls_chat ch;
    if (ls_chat_parse(body, !azure, req_pool(req), &ch, &err))
        return reply_invalid(&c, &err);
    char *echo = NULL;
    if (app->offline) {
        if (!(echo = ls_offline_content(app->offline, body, &err)))
            return reply_invalid(&c, &err);
    } else if (!app->script_mode && !(echo = ls_echo_content(&ch, &err))) {
        return reply_invalid(&c, &err);
    }
    struct plan p;
    if (plan_call(&c, true, &p, &err)) {
        free(echo);
        return reply_invalid(&c, &err);
    }

    struct job *j = error_fault_job(&c, &p);
    if (j) {
        free(echo);
        send_error_fault(j, t0, &p);
        return ERR_OK;
    }
    char *content;
    bool ok = chat_content(&c, &ch, p.fault, echo, &content);
    free(echo);
    if (!ok)
        return ERR_OK;

    char id[40];
    snprintf(id, sizeof(id), "chatcmpl-%012" PRIx64, atomic_fetch_add(&app->next_id, 1) + 1);
    bool cut = false;
    size_t len = ls_limit_content(content, strlen(content), ch.max_tokens, &cut);
    struct ls_completion comp = {
        .id = id,
        .model = azure      ? req_param(req, "deployment")
                 : ch.model ? ch.model
                            : app->opt.model,
        .created = clock_now_ms() / 1000,
        .content = content,
        .content_len = len,
        .finish_reason = cut ? "length" : "stop",
        .prompt_tokens = ls_tokens(ch.prompt_chars),
        .completion_tokens = ls_tokens(utf8_chars(content, len)),
    };

    j = job_new(&c);
    if (ch.stream) {
        ls_stream_events(&comp, ch.include_usage, &j->events);
        if (p.fault == LS_FAULT_MALFORMED) {
            /* the role chunk, then one event that is not JSON */
            while (j->events.n > 1)
                free(j->events.items[--j->events.n].data);
            ls_events_add(&j->events, xstrdup(MALFORMED_BODY), strlen(MALFORMED_BODY));
        }
        j->cut_stream = p.fault == LS_FAULT_TRUNCATED;
    } else if (p.fault == LS_FAULT_MALFORMED) {
        j->body = xstrdup(MALFORMED_BODY);
        j->len = strlen(MALFORMED_BODY);
    } else {
        j->body = ls_completion_body(&comp, &j->len);
        if (p.fault == LS_FAULT_TRUNCATED)
            j->cut = j->len / 2;
    }
    free(content);

    if (ch.stream) {
        if (sse_open(req, &j->stream, &err)) {
            job_free(j);
            return reply_error(&c, 503, err.msg, "server_error", NULL, NULL);
        }
        j->req = NULL;
    }
    dispatch_job(j, t0 + p.delay_ns, TAG_ANSWER, p.delay_ns == 0);
    return ERR_OK;
}

static enum err_code h_chat(struct req *req, struct err *err)
{
    (void)err;
    return chat(req, false);
}

static enum err_code h_azure_chat(struct req *req, struct err *err)
{
    (void)err;
    return chat(req, true);
}

/* ---- embeddings ------------------------------------------------------------------------------ */

static enum err_code embeddings(struct req *req, bool azure)
{
    struct app *app = req_app(req);
    int64_t t0 = clock_mono_ns();
    struct call c = { .app = app, .req = req };
    c.gen = ls_stats_begin(&app->stats, azure ? LS_ROUTE_AZURE_EMBEDDINGS : LS_ROUTE_EMBEDDINGS);
    if (azure && api_version_missing(&c))
        return ERR_OK;
    if (auth_failed(&c, azure))
        return ERR_OK;
    struct err err = ERR_INIT;
    json_t *body = NULL;
    if (req_json(req, &body, &err)) {
        char msg[320];
        snprintf(msg, sizeof(msg), "We could not parse the JSON body of your request: %s", err.msg);
        return reply_error(&c, 400, msg, "invalid_request_error", NULL, NULL);
    }
    struct ls_embeddings_req in;
    if (ls_embeddings_parse(body, !azure, (size_t)app->opt.embedding_dim, req_pool(req), &in, &err))
        return reply_invalid(&c, &err);
    struct plan p;
    if (plan_call(&c, false, &p, &err))
        return reply_invalid(&c, &err);
    struct job *j = error_fault_job(&c, &p);
    if (j) {
        send_error_fault(j, t0, &p);
        return ERR_OK;
    }
    const char *name = azure ? req_param(req, "deployment") : in.model ? in.model : app->opt.model;
    j = job_new(&c);
    if (p.fault == LS_FAULT_MALFORMED) {
        j->body = xstrdup("{\"object\": \"list\", \"data\": [{\"embedding\": [0.1, 0.2, oops");
        j->len = strlen(j->body);
    } else {
        j->body = ls_embeddings_body(in.inputs, in.lens, in.n, in.dim, name, &j->len);
        if (p.fault == LS_FAULT_TRUNCATED)
            j->cut = j->len / 2;
    }
    dispatch_job(j, t0 + p.delay_ns, TAG_ANSWER, p.delay_ns == 0);
    return ERR_OK;
}

static enum err_code h_embeddings(struct req *req, struct err *err)
{
    (void)err;
    return embeddings(req, false);
}

static enum err_code h_azure_embeddings(struct req *req, struct err *err)
{
    (void)err;
    return embeddings(req, true);
}

/* ---- models, stats, unknown paths -------------------------------------------------------------
 */

static json_t *model_json(const char *id)
{
    json_t *m = json_object();
    jsonio_set_str(m, "id", id);
    jsonio_set_str(m, "object", "model");
    jsonio_set_new(m, "created", json_integer(0));
    jsonio_set_str(m, "owned_by", "crowdelic");
    return m;
}

/* The model list; on Azure's data-plane path with its api-version and api-key. */
static enum err_code models(struct req *req, bool azure)
{
    struct app *app = req_app(req);
    struct call c = { .app = app, .req = req };
    c.gen = ls_stats_begin(&app->stats, LS_ROUTE_MODELS);
    if (azure && api_version_missing(&c))
        return ERR_OK;
    if (auth_failed(&c, azure))
        return ERR_OK;
    const char *id = req_param(req, "model");
    if (id && strcmp(id, app->opt.model) != 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "The model '%.120s' does not exist", id);
        return reply_error(&c, 404, msg, "invalid_request_error", "model", "model_not_found");
    }
    json_t *out;
    if (id) {
        out = model_json(id);
    } else {
        json_t *data = json_array();
        json_array_append_new(data, model_json(app->opt.model));
        out = json_object();
        jsonio_set_str(out, "object", "list");
        jsonio_set_new(out, "data", data);
    }
    resp_json_take(req, 200, out);
    ls_stats_end(&app->stats, c.gen, 200);
    return ERR_OK;
}

static enum err_code h_models(struct req *req, struct err *err)
{
    (void)err;
    return models(req, false);
}

static enum err_code h_azure_models(struct req *req, struct err *err)
{
    (void)err;
    return models(req, true);
}

static enum err_code h_stats(struct req *req, struct err *err)
{
    (void)err;
    struct app *app = req_app(req);
    resp_json_take(req, 200, ls_stats_json(&app->stats));
    return ERR_OK;
}

static enum err_code h_stats_reset(struct req *req, struct err *err)
{
    (void)err;
    struct app *app = req_app(req);
    ls_stats_reset(&app->stats);
    ls_body_counts_reset(app->bodies);
    resp_json_take(req, 200, ls_stats_json(&app->stats));
    return ERR_OK;
}

/* Any other path: OpenAI's 404 (not counted in /stats). */
static enum err_code h_not_found(struct req *req, struct err *err)
{
    (void)err;
    char msg[300];
    snprintf(msg, sizeof(msg), "Invalid URL (%s %.200s)",
             req_method(req) == HTTP_POST ? "POST" : "GET", req_path(req));
    resp_json_take(req, 404, ls_error_json(msg, "invalid_request_error", NULL, NULL));
    return ERR_OK;
}

/* Every path of 1 to 8 segments, for one method: unknown paths get OpenAI's 404. */
/* clang-format off */
#define CATCH_ALL(m)                                                                              \
    { m, "/", h_not_found, 0 },                                                                   \
    { m, "/:a", h_not_found, 0 },                                                                 \
    { m, "/:a/:b", h_not_found, 0 },                                                              \
    { m, "/:a/:b/:c", h_not_found, 0 },                                                           \
    { m, "/:a/:b/:c/:d", h_not_found, 0 },                                                        \
    { m, "/:a/:b/:c/:d/:e", h_not_found, 0 },                                                     \
    { m, "/:a/:b/:c/:d/:e/:f", h_not_found, 0 },                                                  \
    { m, "/:a/:b/:c/:d/:e/:f/:g", h_not_found, 0 },                                               \
    { m, "/:a/:b/:c/:d/:e/:f/:g/:h", h_not_found, 0 }
/* clang-format on */

/* The route table; a literal segment beats a parameter, so the catch-alls come last in effect. */
static const struct route llm_routes[] = {
    { HTTP_POST, "/v1/chat/completions", h_chat, 0 },
    { HTTP_POST, "/v1/embeddings", h_embeddings, 0 },
    { HTTP_GET, "/v1/models", h_models, 0 },
    { HTTP_GET, "/v1/models/:model", h_models, 0 },
    { HTTP_GET, "/openai/models", h_azure_models, 0 },
    { HTTP_POST, "/openai/deployments/:deployment/chat/completions", h_azure_chat, 0 },
    { HTTP_POST, "/openai/deployments/:deployment/embeddings", h_azure_embeddings, 0 },
    { HTTP_GET, "/stats", h_stats, 0 },
    { HTTP_POST, "/stats/reset", h_stats_reset, 0 },
    CATCH_ALL(HTTP_GET),
    CATCH_ALL(HTTP_POST),
};

/* ---- start and stop ----------------------------------------------------------------------------
 */

/* Blocks until SIGINT or SIGTERM; returns the signal. */
static int wait_for_stop(const sigset_t *set)
{
    for (;;) {
        int sig = 0;
        if (sigwait(set, &sig) == 0 && (sig == SIGINT || sig == SIGTERM))
            return sig;
    }
}

static void app_release(struct app *app)
{
    if (app->offline)
        app->offline->destroy(app->offline);
    ls_timer_free(app->timer);
    ls_body_counts_free(app->bodies);
    ls_script_release(&app->script);
    ls_stats_release(&app->stats);
}

int cmd_llm_serve(int argc, char **argv)
{
    struct app app = { 0 };
    int rc = ls_options_parse(argc, argv, &app.opt, &app.plan);
    if (rc)
        return rc;
    app.script_mode = strcmp(app.opt.responder, "script") == 0;
    if (app.script_mode) {
        struct err err = ERR_INIT;
        if (ls_script_load(&app.script, app.opt.script_path, &err)) {
            fprintf(stderr, "crowdelic llm-serve: --script %s\n", err.msg);
            return 2;
        }
        app.script.loop = app.opt.script_loop;
    }
    if (strcmp(app.opt.responder, "offline") == 0) {
        struct err err = ERR_INIT;
        if (offline_provider_new(NULL, &app.offline, &err)) {
            fprintf(stderr, "crowdelic llm-serve: the offline model: %s\n", err.msg);
            ls_script_release(&app.script);
            return 1;
        }
    }
    struct config c;
    rc = cmd_setup(&c, true);
    if (rc) {
        app_release(&app);
        return rc;
    }
    c.port = app.opt.port;

    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

    ls_stats_init(&app.stats);
    ls_rng_init(&app.rng, app.opt.seed);
    atomic_init(&app.next_id, 0);
    app.bodies = ls_body_counts_new();
    struct http_server *srv = NULL;
    struct err err = ERR_INIT;
    rc = 1;
    if (!(app.timer = ls_timer_new()))
        goto out;
    if (http_server_start(&c, llm_routes, ARRAY_SIZE(llm_routes), NULL, &app, &srv, &err)) {
        LOG_ERROR("llm-serve", "%s", err.msg);
        goto out;
    }
    LOG_KV(LOG_LEVEL_INFO, "llm-serve", "listening", LOG_INT("port", http_server_port(srv)),
           LOG_STR("address", c.bind_address), LOG_STR("version", CROWDELIC_VERSION),
           LOG_STR("responder", app.opt.responder), LOG_STR("model", app.opt.model),
           LOG_BOOL("auth", app.opt.api_key != NULL), LOG_INT("latency_ms", app.opt.latency_ms),
           LOG_INT("latency_jitter_ms", app.opt.jitter_ms), LOG_STR("fault", app.opt.faults),
           LOG_DBL("fault_rate", app.plan.rate), LOG_INT("http_threads", c.http_threads));

    int sig = wait_for_stop(&stop_signals);
    LOG_KV(LOG_LEVEL_INFO, "llm-serve", "stopping",
           LOG_STR("signal", sig == SIGINT ? "SIGINT" : "SIGTERM"),
           LOG_INT("in_flight", http_server_in_flight(srv)),
           LOG_INT("timers", (int64_t)ls_timer_pending(app.timer)));
    /* hung requests would hold the stop for --hang-ms: answer them now */
    ls_timer_expedite(app.timer, TAG_HANG);
    long left = http_server_stop(srv, c.http_shutdown_grace_s * 1000);
    if (left > 0)
        LOG_WARN("llm-serve", "%ld requests still in flight after %" PRId64 " s; closing them",
                 left, c.http_shutdown_grace_s);
    rc = 0;
out:
    /* no suspended connection may be left when the daemon stops */
    if (app.timer)
        ls_timer_close(app.timer);
    http_server_free(srv);
    app_release(&app);
    if (rc == 0)
        LOG_INFO("llm-serve", "stopped");
    metrics_reset();
    log_close();
    config_release(&c);
    return rc;
}
