/*
 * api/projects.c - /api/projects: list (paged), create, get, update (PUT:
 * name and/or description), delete, in the caller's workspace
 * (domain/projects.h). A project is written as
 * {id, name, description, created_at, updated_at}.
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/bodies.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/jsonio.h"
#include "domain/projects.h"
#include "http/request.h"
#include "http/response.h"

/* The JSON of a project (a new reference). */
static json_t *project_json(const struct project *p)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", p->id);
    jsonio_set_str(o, "name", p->name);
    jsonio_set_str(o, "description", p->description);
    jsonio_set_new(o, "created_at", view_time(p->created_at, false));
    jsonio_set_new(o, "updated_at", view_time(p->updated_at, false));
    return o;
}

/*
 * Validates the body - name required when creating, both fields optional
 * when updating - and reads name and description from it.
 */
static enum err_code read_input(struct req *req, bool creating, struct project_input *in,
                                struct err *err)
{
    json_t *body = NULL; /* owned by the request */
    enum err_code rc = req_json(req, &body, err);
    if (!rc)
        rc = api_body_check(body, creating ? &BODY_PROJECT_CREATE : &BODY_PROJECT_UPDATE, err);
    if (!rc)
        rc = jsonio_get_str(body, "name", &in->name, err);
    if (!rc)
        rc = jsonio_get_str(body, "description", &in->description, err);
    return rc;
}

/* Answers status with the project's JSON and releases it. */
static enum err_code send_project(struct req *req, int status, struct project *p)
{
    resp_json_take(req, status, project_json(p));
    project_release(p);
    return ERR_OK;
}

enum err_code projects_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t limit, offset;
    enum err_code rc =
        view_page_args(req, PROJECT_PAGE_DEFAULT, PROJECT_PAGE_MAX, &limit, &offset, err);
    struct project_page pg = { 0 };
    if (!rc)
        rc = project_list(app->store, api_caller(req), limit, offset, &pg, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < pg.n; i++)
        json_array_append_new(list, project_json(&pg.items[i]));
    json_t *body = view_page("projects", list, pg.total, pg.limit, pg.offset);
    project_page_release(&pg);
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code projects_create(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct project_input in = { 0 };
    struct project p = { 0 };
    enum err_code rc = read_input(req, true, &in, err);
    if (!rc)
        rc = project_create(app->store, api_caller(req), &in, &p, err);
    if (rc)
        return rc;
    char location[64];
    snprintf(location, sizeof(location), "/api/projects/%s", p.id);
    resp_header(req, "Location", location);
    return send_project(req, 201, &p);
}

enum err_code projects_get(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct project p = { 0 };
    enum err_code rc = project_get(app->store, api_caller(req), req_param(req, "id"), &p, err);
    if (rc)
        return rc;
    return send_project(req, 200, &p);
}

enum err_code projects_update(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct project_input in = { 0 };
    struct project p = { 0 };
    enum err_code rc = read_input(req, false, &in, err);
    if (!rc)
        rc = project_update(app->store, api_caller(req), req_param(req, "id"), &in, &p, err);
    if (rc)
        return rc;
    return send_project(req, 200, &p);
}

enum err_code projects_delete(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc = project_delete(app->store, api_caller(req), req_param(req, "id"), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}
