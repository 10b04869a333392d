/*
 * api/llm.c - GET /api/llm/status: which model is in use and whether it
 * answers. The live check may take seconds, so the answer is written by a
 * worker thread (req_defer) and never blocks an HTTP thread.
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/handlers.h"
#include "core/clock.h"
#include "core/jsonio.h"
#include "core/workpool.h"
#include "core/xalloc.h"
#include "domain/model_status.h"
#include "http/request.h"
#include "http/response.h"

static json_t *iso_or_null(bool has, int64_t ms)
{
    if (!has)
        return json_null();
    char iso[CLOCK_ISO8601_LEN];
    clock_iso8601(ms, iso);
    return json_string(iso);
}

static json_t *status_json(const struct model_status *st)
{
    json_t *body = json_object();
    jsonio_set_str(body, "provider", st->provider);
    jsonio_set_str(body, "model", st->model);
    jsonio_set_new(body, "available", json_boolean(st->available));
    jsonio_set_new(body, "reachable", json_boolean(st->reachable));
    jsonio_set_new(body, "checked_at", iso_or_null(st->checked_at > 0, st->checked_at));
    jsonio_set_str(body, "error", st->error[0] ? st->error : NULL);
    json_t *calls = json_object();
    jsonio_set_new(calls, "completed", json_integer(st->calls));
    jsonio_set_new(calls, "failed", json_integer(st->failures));
    jsonio_set_new(calls, "in_flight", json_integer(st->in_flight));
    jsonio_set_new(calls, "queued", json_integer(st->queued));
    jsonio_set_new(body, "calls", calls);
    json_t *last = json_null();
    if (st->has_last_call) {
        last = json_object();
        jsonio_set_new(last, "ok", json_boolean(st->last_call_ok));
        jsonio_set_new(last, "at", iso_or_null(true, st->last_call_at));
        jsonio_set_str(last, "error", st->last_call_error[0] ? st->last_call_error : NULL);
    }
    jsonio_set_new(body, "last_call", last);
    return body;
}

static void status_task(void *arg)
{
    struct req *req = arg;
    const struct app *app = req_app(req);
    struct model_status st;
    model_status_get(app->llm, app->llm_unavailable, &st);
    resp_json_take(req, 200, status_json(&st));
    req_complete(req);
}

enum err_code llm_status(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    req_defer(req);
    enum err_code rc = workpool_submit(app->workers, status_task, req, err);
    if (rc) {
        resp_error(req, err);
        req_complete(req);
    }
    return ERR_OK;
}
