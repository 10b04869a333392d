/*
 * api/tests.c - /api/tests: list (by project, type, status; paged), create
 * (201 with Location), get, replace (PUT: the whole test), delete
 * (domain/tests.h). The body is the test as SPEC.md 3 writes it and goes to
 * the domain as text; a test is written as that canonical text's members
 * (name, type, project_id, config) with
 *   {id, ..., status, workspace_id, created_at, updated_at}.
 * POST /api/tests/:id/estimate answers what it will cost (domain/estimate.h).
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/buf.h"
#include "core/jsonio.h"
#include "domain/estimate.h"
#include "domain/tests.h"
#include "http/request.h"
#include "http/response.h"

/* A page of TEST_PAGE_MAX tests of TEST_BODY_MAX bytes each, escaped, bounds an answer. */
#define ANSWER_MAX ((size_t)TEST_PAGE_MAX * TEST_BODY_MAX * 2)

static void test_text(const struct test_record *r, struct buf *out)
{
    buf_adds(out, "{\"id\":");
    buf_add_json_string(out, r->id);
    view_text_members(out, r->spec);
    view_text_key(out, "status");
    buf_add_json_string(out, test_status_name(r->status));
    view_text_key(out, "workspace_id");
    buf_add_json_string(out, r->workspace_id);
    view_text_key(out, "created_at");
    view_text_time(out, r->created_at);
    view_text_key(out, "updated_at");
    view_text_time(out, r->updated_at);
    buf_addch(out, '}');
}

/* Answers status with test r (released). */
static enum err_code send_test(struct req *req, int status, struct test_record *r)
{
    struct buf b;
    buf_init(&b, ANSWER_MAX);
    test_text(r, &b);
    resp_bytes(req, status, "application/json", b.data, b.len);
    buf_release(&b);
    test_record_release(r);
    return ERR_OK;
}

enum err_code tests_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct test_filter f = { .project_id = req_query(req, "project_id"),
                             .type = req_query(req, "type"),
                             .status = req_query(req, "status") };
    struct test_page pg = { 0 };
    enum err_code rc =
        view_page_args(req, TEST_PAGE_DEFAULT, TEST_PAGE_MAX, &f.limit, &f.offset, err);
    if (!rc)
        rc = test_list(app->store, api_caller(req), &f, &pg, err);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, ANSWER_MAX);
    buf_adds(&b, "{\"tests\":[");
    for (size_t i = 0; i < pg.n; i++) {
        if (i)
            buf_addch(&b, ',');
        test_text(&pg.items[i], &b);
    }
    view_text_page_end(&b, pg.total, pg.limit, pg.offset);
    test_page_release(&pg);
    resp_bytes(req, 200, "application/json", b.data, b.len);
    buf_release(&b);
    return ERR_OK;
}

enum err_code tests_create(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct span body = req_body(req);
    struct test_record r = { 0 };
    enum err_code rc = test_create(app->store, api_caller(req), body.ptr, body.len, &r, err);
    if (rc)
        return rc;
    char location[64];
    snprintf(location, sizeof(location), "/api/tests/%s", r.id);
    resp_header(req, "Location", location);
    return send_test(req, 201, &r);
}

enum err_code tests_get(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct test_record r = { 0 };
    enum err_code rc = test_get(app->store, api_caller(req), req_param(req, "id"), &r, err);
    return rc ? rc : send_test(req, 200, &r);
}

enum err_code tests_update(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct span body = req_body(req);
    struct test_record r = { 0 };
    enum err_code rc = test_replace(app->store, api_caller(req), req_param(req, "id"), body.ptr,
                                    body.len, &r, err);
    return rc ? rc : send_test(req, 200, &r);
}

enum err_code tests_delete(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc = test_delete(app->store, api_caller(req), req_param(req, "id"), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}

static json_t *scenario_estimate_json(const struct scenario_estimate *se)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", se->id);
    jsonio_set_new(o, "calls", json_integer(se->calls));
    jsonio_set_new(o, "tokens_in", json_integer(se->tokens_in));
    jsonio_set_new(o, "tokens_out", json_integer(se->tokens_out));
    jsonio_set_new(o, "cost_usd", json_real((double)se->cost_micros / 1e6));
    return o;
}

enum err_code tests_estimate(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct test_estimate e;
    enum err_code rc =
        test_estimate(app->store, app->llm, NULL, api_caller(req), req_param(req, "id"), &e, err);
    if (rc)
        return rc;
    json_t *o = json_object();
    jsonio_set_new(o, "personas", json_integer(e.personas));
    jsonio_set_new(o, "calls", json_integer(e.calls));
    jsonio_set_new(o, "generate_calls", json_integer(e.generate_calls));
    jsonio_set_new(o, "tokens_in", json_integer(e.tokens_in));
    jsonio_set_new(o, "tokens_out", json_integer(e.tokens_out));
    jsonio_set_new(o, "cost_usd", json_real((double)e.cost_micros / 1e6));
    jsonio_set_str(o, "model", e.model);
    jsonio_set_new(o, "priced", json_boolean(e.priced));
    json_t *list = json_array();
    for (size_t i = 0; i < e.n_scenarios; i++)
        json_array_append_new(list, scenario_estimate_json(&e.scenarios[i]));
    jsonio_set_new(o, "scenarios", list);
    test_estimate_release(&e);
    resp_json_take(req, 200, o);
    return ERR_OK;
}
