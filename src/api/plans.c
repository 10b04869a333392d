/*
 * api/plans.c - GET /api/plans (public: the plan table of SPEC.md 5) and
 * GET /api/usage (the workspace's meters against its limits).
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/jsonio.h"
#include "domain/gate.h"
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
    json_t *body = view_usage(c, &u);
    jsonio_set_str(body, "plan", c->plan->name);
    resp_json_take(req, 200, body);
    return ERR_OK;
}
