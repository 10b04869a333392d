/*
 * api/runs.c - runs of a test (domain/runs.h):
 *   POST /api/tests/:id/run                     202: the run, queued
 *   GET  /api/tests/:id/runs                    the runs, newest first
 *   GET  /api/tests/:id/runs/:rid               one run
 *   POST /api/tests/:id/runs/:rid/{cancel,pause,resume}
 *   GET  /api/tests/:id/runs/:rid/results       persona x scenario x sample, paged
 *   GET  /api/tests/:id/runs/:rid/events        SSE: the run's events, resumable
 * and the same without /runs/:rid for the test's latest run; and
 *   GET  /api/personas/:id/usage                the runs a persona answered in.
 * A run is
 *   {id, test_id, status, requested, seed, progress: {done, total}, calls,
 *    cache_hits, tokens_in, tokens_out, cost_usd, model, error, attempts,
 *    created_at, started_at, finished_at, updated_at}.
 * Events are read from the database (a worker in another process may write
 * them) by a thread of the followers' pool per stream, from the client's
 * Last-Event-ID on: no gap, no repeat. The thread reads again as soon as the
 * run's events are committed (domain/run_events.h: at once in this process,
 * through Redis from other nodes) and at the latest after a poll interval
 * (200 ms; 1 s while the Redis subscription is live).
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/buf.h"
#include "core/jsonio.h"
#include "core/workpool.h"
#include "core/xalloc.h"
#include "domain/run_events.h"
#include "domain/run_reports.h"
#include "domain/runs.h"
#include "http/request.h"
#include "http/response.h"
#include "http/sse.h"

#define ANSWER_MAX ((size_t)RUN_RESULTS_MAX * 65536)
#define EXPORT_MAX ((size_t)256 << 20) /* bytes of an export */

static json_t *run_json(const struct run_record *r)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", r->id);
    jsonio_set_str(o, "test_id", r->test_id);
    jsonio_set_str(o, "status", run_status_name(r->status));
    jsonio_set_str(o, "requested", r->requested);
    jsonio_set_new(o, "seed", json_integer(r->seed));
    json_t *progress = json_object();
    jsonio_set_new(progress, "done", json_integer(r->progress_done));
    jsonio_set_new(progress, "total", json_integer(r->progress_total));
    jsonio_set_new(o, "progress", progress);
    jsonio_set_new(o, "calls", json_integer(r->calls));
    jsonio_set_new(o, "cache_hits", json_integer(r->cache_hits));
    jsonio_set_new(o, "tokens_in", json_integer(r->tokens_in));
    jsonio_set_new(o, "tokens_out", json_integer(r->tokens_out));
    jsonio_set_new(o, "cost_usd", json_real((double)r->cost_micros / 1e6));
    jsonio_set_str(o, "model", r->model);
    jsonio_set_str(o, "error", r->error);
    jsonio_set_new(o, "attempts", json_integer(r->attempts));
    jsonio_set_new(o, "created_at", view_time(r->created_at, false));
    jsonio_set_new(o, "started_at", view_time(r->started_at, true));
    jsonio_set_new(o, "finished_at", view_time(r->finished_at, true));
    jsonio_set_new(o, "updated_at", view_time(r->updated_at, false));
    return o;
}

static enum err_code send_run(struct req *req, int status, struct run_record *r)
{
    resp_json_take(req, status, run_json(r));
    run_record_release(r);
    return ERR_OK;
}

/* The run a path names: :rid, or NULL for the latest. */
static const char *run_param(struct req *req)
{
    return req_param(req, "rid");
}

enum err_code runs_start(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct run_record r;
    enum err_code rc = run_start(app->store, api_caller(req), req_param(req, "id"), &r, err);
    if (rc)
        return rc;
    char location[128];
    snprintf(location, sizeof(location), "/api/tests/%s/runs/%s", r.test_id, r.id);
    resp_header(req, "Location", location);
    return send_run(req, 202, &r);
}

enum err_code runs_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t limit, offset;
    struct run_page pg = { 0 };
    enum err_code rc = view_page_args(req, RUN_PAGE_DEFAULT, RUN_PAGE_MAX, &limit, &offset, err);
    if (!rc)
        rc = run_list(app->store, api_caller(req), req_param(req, "id"), limit, offset, &pg, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < pg.n; i++)
        json_array_append_new(list, run_json(&pg.items[i]));
    resp_json_take(req, 200, view_page("runs", list, pg.total, pg.limit, pg.offset));
    run_page_release(&pg);
    return ERR_OK;
}

enum err_code runs_get(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct run_record r;
    enum err_code rc =
        run_get(app->store, api_caller(req), req_param(req, "id"), run_param(req), &r, err);
    return rc ? rc : send_run(req, 200, &r);
}

static enum err_code ask(struct req *req, enum run_request what, struct err *err)
{
    const struct app *app = req_app(req);
    struct run_record r;
    enum err_code rc =
        run_ask(app->store, api_caller(req), req_param(req, "id"), run_param(req), what, &r, err);
    return rc ? rc : send_run(req, 200, &r);
}

enum err_code runs_cancel(struct req *req, struct err *err)
{
    return ask(req, RUN_REQUEST_CANCEL, err);
}

enum err_code runs_pause(struct req *req, struct err *err)
{
    return ask(req, RUN_REQUEST_PAUSE, err);
}

enum err_code runs_resume(struct req *req, struct err *err)
{
    return ask(req, RUN_REQUEST_RESUME, err);
}

static void result_text(const struct run_row *r, struct buf *b)
{
    buf_adds(b, "{\"persona_id\":");
    buf_add_json_string(b, r->member_id);
    view_text_key(b, "scenario");
    buf_add_json_string(b, r->key);
    buf_addf(b, ",\"sample\":%d,\"answers\":%s", r->sample, r->answers);
    view_text_key(b, "thought");
    buf_add_json_string(b, r->thought);
    view_text_key(b, "talk");
    buf_add_json_string(b, r->talk);
    buf_addf(b, ",\"abandoned\":%s", r->abandoned ? "true" : "false");
    view_text_key(b, "reason");
    buf_add_json_string(b, r->reason);
    view_text_key(b, "error");
    buf_add_json_string(b, r->error);
    view_text_key(b, "model");
    buf_add_json_string(b, r->model);
    view_text_key(b, "theme");
    buf_add_json_string(b, r->theme);
    view_text_key(b, "sentiment");
    buf_add_json_string(b, r->sentiment);
    buf_addf(b, ",\"tokens_in\":%" PRId64 ",\"tokens_out\":%" PRId64 ",\"cost_usd\":%.6f}",
             r->tokens_in, r->tokens_out, (double)r->cost_micros / 1e6);
}

enum err_code runs_results(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t limit, offset;
    struct run_result_page pg = { 0 };
    enum err_code rc =
        view_page_args(req, RUN_RESULTS_DEFAULT, RUN_RESULTS_MAX, &limit, &offset, err);
    struct run_result_filter f = { .persona_id = req_query(req, "persona_id"),
                                   .scenario = req_query(req, "scenario"),
                                   .segment = req_query(req, "segment") };
    if (!rc)
        rc = run_results(app->store, api_caller(req), req_param(req, "id"), run_param(req), &f,
                         limit, offset, &pg, err);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, ANSWER_MAX);
    buf_adds(&b, "{\"results\":[");
    for (size_t i = 0; i < pg.n; i++) {
        buf_adds(&b, i ? "," : "");
        result_text(&pg.items[i], &b);
    }
    view_text_page_end(&b, pg.total, pg.limit, pg.offset);
    run_result_page_release(&pg);
    resp_bytes(req, 200, "application/json", b.data, b.len);
    buf_release(&b);
    return ERR_OK;
}

/* ---- report and exports -----------------------------------------------------------------------
 */

enum err_code runs_report(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    char *report = NULL;
    enum err_code rc = run_report_get(app->store, api_caller(req), req_param(req, "id"),
                                      run_param(req), &report, err);
    if (rc)
        return rc;
    resp_bytes(req, 200, "application/json", report, strlen(report));
    free(report);
    return ERR_OK;
}

enum err_code runs_export(struct req *req, struct err *err)
{
    static const char *const types[] = { "application/json", "text/csv; charset=utf-8",
                                         "text/html; charset=utf-8" };
    const struct app *app = req_app(req);
    const char *format = req_query(req, "format");
    int f = export_format_parse(format ? format : "json");
    if (f < 0)
        return err_set(err, ERR_INVALID, "format", "format must be json, csv or html (got '%.20s')",
                       format);
    struct buf b;
    buf_init(&b, EXPORT_MAX);
    char filename[128];
    enum err_code rc = run_export(app->store, api_caller(req), req_param(req, "id"), run_param(req),
                                  (enum export_format)f, &b, filename, err);
    if (!rc) {
        char disposition[192];
        snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s\"", filename);
        resp_header(req, "Content-Disposition", disposition);
        if (f == EXPORT_HTML) /* the page holds no script and loads nothing */
            resp_header(req, "Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
        resp_bytes(req, 200, types[f], b.data, b.len);
    }
    buf_release(&b);
    return rc;
}

/* ---- events ------------------------------------------------------------------------------------
 */

struct follower {
    struct sse_stream *stream; /* our reference */
    struct store *store;
    struct caller caller;
    char test_id[IDS_UUID_LEN], run_id[IDS_UUID_LEN];
    int64_t after;
};

static void follow(void *arg)
{
    struct follower *f = arg;
    for (;;) {
        uint64_t ticket = run_events_ticket(f->run_id); /* before the read: no wake-up lost */
        struct run_event *events = NULL;
        size_t n = 0;
        bool finished = false;
        struct err err = ERR_INIT;
        enum err_code rc = run_events_after(f->store, &f->caller, f->test_id, f->run_id, f->after,
                                            RUN_EVENTS_BATCH, &events, &n, &finished, &err);
        for (size_t i = 0; !rc && i < n; i++) {
            rc = sse_send(f->stream, (uint64_t)events[i].seq, events[i].type, events[i].data,
                          strlen(events[i].data), &err);
            f->after = events[i].seq;
        }
        run_events_free(events, n);
        if (rc || finished || !sse_is_open(f->stream))
            break;
        if (n < RUN_EVENTS_BATCH)
            run_events_wait(f->run_id, ticket);
    }
    sse_close(f->stream);
    sse_unref(f->stream);
    free(f);
}

enum err_code runs_events(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    uint64_t after = 0;
    struct run_record r;
    enum err_code rc = sse_last_event_id(req, &after, err);
    /* the run first: a bad id is a JSON 404, not an empty stream */
    if (!rc)
        rc = run_get(app->store, api_caller(req), req_param(req, "id"), run_param(req), &r, err);
    if (rc)
        return rc;
    struct follower *f = xcalloc(1, sizeof(*f));
    f->store = app->store;
    f->caller = *api_caller(req);
    snprintf(f->test_id, sizeof(f->test_id), "%s", r.test_id);
    snprintf(f->run_id, sizeof(f->run_id), "%s", r.id);
    f->after = (int64_t)after;
    run_record_release(&r);
    rc = sse_open(req, &f->stream, err);
    if (!rc)
        rc = workpool_submit(app->followers, follow, f, err);
    if (rc) {
        if (f->stream) {
            sse_close(f->stream);
            sse_unref(f->stream);
        }
        free(f);
        return rc;
    }
    return ERR_OK;
}

enum err_code runs_persona_usage(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t limit, offset;
    struct persona_use_page pg = { 0 };
    enum err_code rc = view_page_args(req, RUN_PAGE_DEFAULT, RUN_PAGE_MAX, &limit, &offset, err);
    if (!rc)
        rc = run_persona_usage(app->store, api_caller(req), req_param(req, "id"), limit, offset,
                               &pg, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < pg.n; i++) {
        const struct persona_use *u = &pg.items[i];
        json_t *o = json_object();
        jsonio_set_str(o, "test_id", u->test_id);
        jsonio_set_str(o, "test_name", u->test_name);
        jsonio_set_str(o, "run_id", u->run_id);
        jsonio_set_str(o, "status", run_status_name(u->status));
        jsonio_set_new(o, "results", json_integer(u->results));
        jsonio_set_new(o, "created_at", view_time(u->created_at, false));
        jsonio_set_new(o, "finished_at", view_time(u->finished_at, true));
        json_array_append_new(list, o);
    }
    resp_json_take(req, 200, view_page("runs", list, pg.total, pg.limit, pg.offset));
    persona_use_page_release(&pg);
    return ERR_OK;
}
