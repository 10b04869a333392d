/*
 * api/workspace.c - the caller's workspace, its members and its invites:
 * GET/PUT /api/workspace, GET /api/workspace/members,
 * PUT/DELETE /api/workspace/members/:id, GET/POST /api/workspace/invites,
 * DELETE /api/workspace/invites/:id. The rules (admins only, the last
 * admin, the member limit, tenant scoping) are domain/members.c's; this
 * file reads bodies and writes answers. Short database work: the handlers
 * run on the HTTP threads.
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/bodies.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/jsonio.h"
#include "domain/gate.h"
#include "domain/members.h"
#include "http/request.h"
#include "http/response.h"

/* An invite as the API writes it (never its token). */
static json_t *view_invite(const struct invite_view *v)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", v->id);
    jsonio_set_str(o, "email", v->email);
    jsonio_set_str(o, "role", user_role_name(v->role));
    jsonio_set_str(o, "status", invite_state_name(v->state));
    jsonio_set_new(o, "created_at", view_time(v->created_at, false));
    jsonio_set_new(o, "expires_at", view_time(v->expires_at, false));
    jsonio_set_new(o, "accepted_at", view_time(v->accepted_at, true));
    jsonio_set_str(o, "invited_by", v->invited_by);
    return o;
}

/*
 * The request's JSON body (borrowed from the request, never decref'd)
 * checked against b (api/bodies.h) - after the admin check, so that a
 * non-admin learns nothing about the body's shape.
 */
static enum err_code admin_body(struct req *req, const struct api_body *b, json_t **body,
                                struct err *err)
{
    enum err_code rc = gate_admin(api_caller(req), err);
    if (!rc)
        rc = req_json(req, body, err);
    if (!rc)
        rc = api_body_check(*body, b, err);
    return rc;
}

/* A string member of a checked body, or NULL (borrowed from body). */
static const char *body_str(json_t *body, const char *key)
{
    return json_string_value(json_object_get(body, key));
}

/* ---- the workspace ----------------------------------------------------------------------- */

enum err_code workspace_get(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    const struct caller *c = api_caller(req);
    struct workspace_view ws;
    struct usage u;
    enum err_code rc = members_workspace(app->store, c, &ws, &u, err);
    if (rc)
        return rc;
    json_t *body = json_object();
    jsonio_set_new(body, "workspace", view_workspace(&ws));
    jsonio_set_new(body, "plan", view_plan(c->plan));
    jsonio_set_new(body, "usage", view_usage(c, &u));
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code workspace_update(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    json_t *body = NULL;
    enum err_code rc = admin_body(req, &BODY_WORKSPACE_UPDATE, &body, err);
    struct workspace_view ws;
    if (!rc)
        rc = members_rename(app->store, api_caller(req), body_str(body, "name"), &ws, err);
    if (rc)
        return rc;
    resp_json_take(req, 200, view_workspace(&ws));
    return ERR_OK;
}

/* ---- members ----------------------------------------------------------------------------- */

enum err_code members_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct user_view *users = NULL;
    size_t n = 0;
    enum err_code rc = members_all(app->store, api_caller(req), &users, &n, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, view_user(&users[i]));
    free(users);
    json_t *body = json_object();
    jsonio_set_new(body, "members", list);
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code members_update(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    json_t *body = NULL;
    enum err_code rc = admin_body(req, &BODY_MEMBER_UPDATE, &body, err);
    struct user_view u;
    if (!rc)
        rc = members_set_role(app->store, api_caller(req), req_param(req, "id"),
                              body_str(body, "role"), &u, err);
    if (rc)
        return rc;
    resp_json_take(req, 200, view_user(&u));
    return ERR_OK;
}

enum err_code members_remove(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc = members_delete(app->store, api_caller(req), req_param(req, "id"), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}

/* ---- invites ----------------------------------------------------------------------------- */

enum err_code invites_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct invite_view *invites = NULL;
    size_t n = 0;
    enum err_code rc = members_invites(app->store, api_caller(req), &invites, &n, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, view_invite(&invites[i]));
    free(invites);
    json_t *body = json_object();
    jsonio_set_new(body, "invites", list);
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code invites_create(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    json_t *body = NULL;
    enum err_code rc = admin_body(req, &BODY_INVITE_CREATE, &body, err);
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN];
    if (!rc)
        rc = members_invite(app->store, api_caller(req), body_str(body, "email"),
                            body_str(body, "role"), &inv, token, err);
    if (rc)
        return rc;
    json_t *answer = view_invite(&inv);
    jsonio_set_str(answer, "token", token);
    resp_json_take(req, 201, answer);
    return ERR_OK;
}

enum err_code invites_revoke(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc =
        members_revoke_invite(app->store, api_caller(req), req_param(req, "id"), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}
