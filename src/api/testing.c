/*
 * api/testing.c - diagnostic routes that exist only under CROWDELIC_ENV=test
 * (ROUTE_TEST_ONLY), so the end-to-end tests can exercise the HTTP core
 * before the product's own routes exist and independently of them:
 *   POST /api/_test/echo    body validation against a field table
 *   GET  /api/_test/slow    an answer written later by a worker thread
 *   GET  /api/_test/ticker  an event stream fed by a worker thread, resumable
 *   GET  /api/_test/fail    an internal error, to check that none leaks
 *   POST /api/_test/clock   {"now": ISO-8601}: the server's wall clock set
 *                           (clock_set_offset_ms), so billing periods pass
 *                           without sleeping
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/handlers.h"
#include "core/clock.h"
#include "core/jsonio.h"
#include "core/log.h"
#include "core/workpool.h"
#include "core/xalloc.h"
#include "http/request.h"
#include "http/response.h"
#include "http/sse.h"

#define SLOW_MAX_MS      30000
#define TICKER_MAX_COUNT 10000
#define TICKER_MAX_MS    10000

static const struct jfield echo_fields[] = {
    { "message", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, 200 },
    { "count", JF_INT, JF_BOUNDED, 0, 100 },
    { "tags", JF_ARRAY, JF_BOUNDED, 0, 10 },
    { "meta", JF_OBJECT, JF_NULLABLE, 0, 0 },
};

enum err_code testing_echo(struct req *req, struct err *err)
{
    json_t *body;
    enum err_code rc = req_json(req, &body, err);
    if (rc)
        return rc;
    rc = jsonio_check(body, echo_fields, ARRAY_SIZE(echo_fields), "", err);
    if (rc)
        return rc;
    json_t *out = json_object();
    jsonio_set_new(out, "echo", json_deep_copy(body));
    jsonio_set_new(out, "bytes", json_integer((json_int_t)req_body(req).len));
    resp_json_take(req, 200, out);
    return ERR_OK;
}

/* ---- slow: a deferred answer ---------------------------------------------------- */

struct slow_task {
    struct req *req;
    int64_t ms;
};

static void slow_run(void *arg)
{
    struct slow_task *t = arg;
    clock_sleep_ms(t->ms);
    json_t *out = json_object();
    jsonio_set_new(out, "slept_ms", json_integer(t->ms));
    resp_json_take(t->req, 200, out);
    req_complete(t->req);
    free(t);
}

enum err_code testing_slow(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t ms;
    enum err_code rc = req_query_int(req, "ms", 100, 0, SLOW_MAX_MS, &ms, err);
    if (rc)
        return rc;
    struct slow_task *t = xmalloc(sizeof(*t));
    t->req = req;
    t->ms = ms;
    req_defer(req);
    rc = workpool_submit(app->workers, slow_run, t, err);
    if (rc) {
        /* never queued: answer the error ourselves, as the contract requires */
        free(t);
        resp_error(req, err);
        req_complete(req);
    }
    return ERR_OK;
}

/* ---- ticker: an event stream fed by another thread --------------------------------- */

struct ticker_task {
    struct sse_stream *stream; /* our reference */
    uint64_t first, last;
    int64_t interval_ms;
};

static void ticker_run(void *arg)
{
    struct ticker_task *t = arg;
    for (uint64_t i = t->first; i <= t->last; i++) {
        clock_sleep_ms(t->interval_ms);
        char data[64];
        int n = snprintf(data, sizeof(data), "{\"n\":%" PRIu64 "}", i);
        if (sse_send(t->stream, i, "tick", data, (size_t)n, NULL))
            break; /* client gone or server stopping */
    }
    sse_close(t->stream);
    sse_unref(t->stream);
    free(t);
}

enum err_code testing_ticker(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t count, interval;
    uint64_t last_seen;
    enum err_code rc = req_query_int(req, "count", 5, 0, TICKER_MAX_COUNT, &count, err);
    if (!rc)
        rc = req_query_int(req, "interval_ms", 50, 0, TICKER_MAX_MS, &interval, err);
    if (!rc)
        rc = sse_last_event_id(req, &last_seen, err);
    if (rc)
        return rc;

    struct sse_stream *stream;
    rc = sse_open(req, &stream, err);
    if (rc)
        return rc;
    struct ticker_task *t = xmalloc(sizeof(*t));
    t->stream = stream;
    t->first = last_seen + 1; /* resume after the last event the client saw */
    t->last = (uint64_t)count;
    t->interval_ms = interval;
    rc = workpool_submit(app->workers, ticker_run, t, err);
    if (rc) {
        sse_close(stream);
        sse_unref(stream);
        free(t);
        return rc; /* the server replaces the stream with the error */
    }
    return ERR_OK;
}

enum err_code testing_fail(struct req *req, struct err *err)
{
    (void)req;
    return err_set(err, ERR_INTERNAL, NULL, "secret internal detail: /etc/crowdelic/db.key");
}

/* ---- clock: the wall clock moved for the billing tests -------------------------------- */

enum err_code testing_clock(struct req *req, struct err *err)
{
    static const struct jfield fields[] = {
        { "now", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, 40 },
    };
    json_t *body;
    enum err_code rc = req_json(req, &body, err);
    if (!rc)
        rc = jsonio_check(body, fields, ARRAY_SIZE(fields), "", err);
    if (rc)
        return rc;
    int64_t target;
    if (!clock_parse_iso8601(json_string_value(json_object_get(body, "now")), &target))
        return err_set(err, ERR_INVALID, "now",
                       "now must be an ISO-8601 UTC time like 2026-01-31T12:00:00.000Z");
    int64_t real = clock_now_ms() - clock_offset_ms();
    clock_set_offset_ms(target - real);
    char iso[CLOCK_ISO8601_LEN];
    clock_iso8601(clock_now_ms(), iso);
    json_t *out = json_object();
    jsonio_set_str(out, "now", iso);
    jsonio_set_new(out, "offset_ms", json_integer(clock_offset_ms()));
    resp_json_take(req, 200, out);
    return ERR_OK;
}
