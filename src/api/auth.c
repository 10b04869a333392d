/*
 * api/auth.c - POST /api/auth/register, POST /api/auth/login,
 * GET /api/auth/me, POST /api/auth/logout. Registration and login hash or
 * check a password (about 0.2 s of argon2id): they run on the worker pool
 * while the connection waits, never on an HTTP thread; a full pool answers
 * 503.
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/bodies.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/jsonio.h"
#include "core/workpool.h"
#include "core/xalloc.h"
#include "domain/gate.h"
#include "http/request.h"
#include "http/response.h"

/* The work a deferred register or login carries to the worker (strings in the request pool). */
struct auth_task {
    struct req *req;
    struct accounts *accounts;
    bool login;
    const char *email, *password, *company, *invite_token, *client;
};

/* The answer of a successful register or login: the token and who it is for. */
static enum err_code session_answer(struct req *req, struct accounts *accounts,
                                    const struct session *s, int status, struct err *err)
{
    struct caller c = { 0 };
    snprintf(c.user_id, sizeof(c.user_id), "%s", s->user_id);
    snprintf(c.workspace_id, sizeof(c.workspace_id), "%s", s->workspace_id);
    struct user_view user;
    struct workspace_view ws;
    enum err_code rc = accounts_me(accounts, &c, &user, &ws, err);
    if (rc)
        return rc;
    json_t *body = json_object();
    jsonio_set_str(body, "token", s->token);
    jsonio_set_new(body, "expires_at", view_time(s->expires_at * 1000, false));
    jsonio_set_new(body, "user", view_user(&user));
    jsonio_set_new(body, "workspace", view_workspace(&ws));
    resp_json_take(req, status, body);
    return ERR_OK;
}

static void auth_run(void *arg)
{
    struct auth_task *t = arg;
    struct session s;
    struct err err = ERR_INIT;
    int64_t retry_after = 0;
    enum err_code rc;
    if (t->login) {
        rc = accounts_login(t->accounts, t->email, t->password, t->client, &s, &retry_after, &err);
    } else {
        struct registration r = { .email = t->email,
                                  .password = t->password,
                                  .company = t->company,
                                  .invite_token = t->invite_token };
        rc = accounts_register(t->accounts, &r, &s, &err);
    }
    if (!rc)
        rc = session_answer(t->req, t->accounts, &s, t->login ? 200 : 201, &err);
    if (rc == ERR_RATE_LIMITED) {
        char seconds[32];
        snprintf(seconds, sizeof(seconds), "%" PRId64, retry_after);
        resp_header(t->req, "Retry-After", seconds);
    }
    if (rc)
        resp_error(t->req, &err);
    session_release(&s);
    req_complete(t->req);
    free(t);
}

/* Reads the body's strings into the task; hands it to the worker pool. */
static enum err_code start(struct req *req, bool login, struct err *err)
{
    const struct app *app = req_app(req);
    json_t *body = NULL;
    enum err_code rc = req_json(req, &body, err);
    if (!rc)
        rc = api_body_check(body, login ? &BODY_LOGIN : &BODY_REGISTER, err);
    if (rc)
        return rc;
    struct pool *pool = req_pool(req);
    struct auth_task *t = xcalloc(1, sizeof(*t));
    t->req = req;
    t->accounts = app->accounts;
    t->login = login;
    t->email = pool_strdup(pool, json_string_value(json_object_get(body, "email")));
    t->password = pool_strdup(pool, json_string_value(json_object_get(body, "password")));
    const char *company = json_string_value(json_object_get(body, "company"));
    const char *invite = json_string_value(json_object_get(body, "invite_token"));
    t->company = company ? pool_strdup(pool, company) : NULL;
    t->invite_token = invite ? pool_strdup(pool, invite) : NULL;
    t->client = pool_strdup(pool, req_client(req));
    req_defer(req);
    rc = workpool_submit(app->workers, auth_run, t, err);
    if (rc) {
        free(t);
        resp_error(req, err);
        req_complete(req);
    }
    return ERR_OK;
}

enum err_code auth_register(struct req *req, struct err *err)
{
    return start(req, false, err);
}

enum err_code auth_login(struct req *req, struct err *err)
{
    return start(req, true, err);
}

enum err_code auth_me(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    const struct caller *c = api_caller(req);
    struct user_view user;
    struct workspace_view ws;
    enum err_code rc = accounts_me(app->accounts, c, &user, &ws, err);
    struct usage u = { 0 };
    if (!rc)
        rc = usage_read(app->store, c->workspace_id, &u, err);
    if (rc)
        return rc;
    json_t *body = json_object();
    jsonio_set_new(body, "user", view_user(&user));
    jsonio_set_new(body, "workspace", view_workspace(&ws));
    jsonio_set_new(body, "plan", view_plan(c->plan));
    jsonio_set_new(body, "usage", view_usage(c, &u));
    jsonio_set_new(body, "via_api_key", json_boolean(c->via_key));
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code auth_logout(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc = accounts_logout(app->accounts, api_caller(req), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}
