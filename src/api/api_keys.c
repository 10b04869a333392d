/*
 * api/api_keys.c - /api/api-keys: list the workspace's keys (never a key or
 * its hash), create one (answered once with the key itself, 201), revoke
 * one (204, again 204 when revoked already). Rules and errors are
 * domain/api_keys.h's.
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/bodies.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/jsonio.h"
#include "domain/api_keys.h"
#include "http/request.h"
#include "http/response.h"

/* The JSON of a key as listed (a new reference): no secret in it. */
static json_t *key_json(const struct api_key *k)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", k->id);
    jsonio_set_str(o, "name", k->name);
    jsonio_set_str(o, "prefix", k->prefix);
    jsonio_set_str(o, "user_id", k->user_id);
    jsonio_set_new(o, "created_at", view_time(k->created_at, false));
    jsonio_set_new(o, "last_used_at", view_time(k->last_used_at, true));
    jsonio_set_new(o, "revoked_at", view_time(k->revoked_at, true));
    return o;
}

enum err_code api_keys_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct api_key_list l = { 0 };
    enum err_code rc = api_key_list(app->store, api_caller(req), &l, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(list, key_json(&l.items[i]));
    api_key_list_release(&l);
    json_t *body = json_object();
    jsonio_set_new(body, "api_keys", list);
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code api_keys_create(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    json_t *body = NULL; /* owned by the request */
    enum err_code rc = req_json(req, &body, err);
    if (!rc)
        rc = api_body_check(body, &BODY_API_KEY_CREATE, err);
    const json_t *name = json_object_get(body, "name");
    if (!rc && strlen(json_string_value(name)) != json_string_length(name))
        rc = err_set(err, ERR_INVALID, "name", "name: must not contain U+0000");
    struct api_key k;
    char key[API_KEY_TEXT_LEN];
    if (!rc)
        rc = api_key_create(app->store, api_caller(req), json_string_value(name), &k, key, err);
    if (rc)
        return rc;
    json_t *out = json_object();
    jsonio_set_str(out, "id", k.id);
    jsonio_set_str(out, "name", k.name);
    jsonio_set_str(out, "prefix", k.prefix);
    jsonio_set_str(out, "key", key);
    jsonio_set_new(out, "created_at", view_time(k.created_at, false));
    explicit_bzero(key, sizeof(key));
    /* the key is in this answer only: no cache may keep it */
    resp_header(req, "Cache-Control", "no-store");
    resp_json_take(req, 201, out);
    return ERR_OK;
}

enum err_code api_keys_revoke(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc = api_key_revoke(app->store, api_caller(req), req_param(req, "id"), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}
