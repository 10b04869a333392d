/*
 * api/plans.c - GET /api/plans (public: the plan table of SPEC.md 5) and
 * GET /api/usage (the workspace's meters against its limits) and
 * GET /api/usage/history (its activity per day, for the dashboard).
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/jsonio.h"
#include "domain/gate.h"
#include "domain/usage_history.h"
#include "http/request.h"
#include "http/response.h"

enum err_code plans_list(struct req *req, struct err *err)
{
    (void)err;
    size_t n;
    const struct plan *all = plans_all(&n);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, view_plan(&all[i]));
    json_t *body = json_object();
    jsonio_set_new(body, "plans", list);
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code usage_get(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    const struct caller *c = api_caller(req);
    struct usage u;
    enum err_code rc = usage_read(app->store, c->workspace_id, &u, err);
    if (rc)
        return rc;
    struct usage_period period;
    rc = usage_period(app->store, c, &period, err);
    if (rc)
        return rc;
    json_t *body = view_usage(c, &u);
    jsonio_set_str(body, "plan", c->plan->name);
    json_t *p = json_object();
    jsonio_set_new(p, "start", view_time(period.start, false));
    jsonio_set_new(p, "end", view_time(period.end, false));
    jsonio_set_new(p, "tests_run", json_integer(period.tests_run));
    jsonio_set_new(p, "persona_answers", json_integer(period.persona_answers));
    jsonio_set_new(p, "cost_usd", json_real((double)period.cost_micros / 1e6));
    jsonio_set_new(body, "period", p);
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code usage_history_get(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t days = USAGE_HISTORY_DEFAULT;
    enum err_code rc =
        req_query_int(req, "days", USAGE_HISTORY_DEFAULT, 1, USAGE_HISTORY_MAX, &days, err);
    struct usage_day *d = NULL;
    if (!rc)
        rc = usage_history(app->store, api_caller(req), days, &d, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (int64_t k = 0; k < days; k++)
        json_array_append_new(list, json_pack("{sssIsIsf}", "date", d[k].date, "tests_run",
                                              (json_int_t)d[k].tests_run, "persona_answers",
                                              (json_int_t)d[k].persona_answers, "cost_usd",
                                              (double)d[k].cost_micros / 1e6));
    json_t *body = json_object();
    jsonio_set_new(body, "days", list);
    resp_json_take(req, 200, body);
    free(d);
    return ERR_OK;
}
