/*
 * api/notifications.c - /api/notifications (list, mark one or all read) and
 * /api/workspace/webhook (the workspace's webhook: set, read, remove), over
 * domain/notifications.h and domain/webhooks.h.
 *
 * A notification is written as {id, kind, message, data, read, read_at,
 * created_at}; a webhook as {url, created_at, updated_at, deliveries[]},
 * plus "secret" in the one answer that made it. A delivery is {id,
 * notification_id, event, status, attempts, last_status, last_error,
 * next_attempt_at, delivered_at, failed_at, created_at}.
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/bodies.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/jsonio.h"
#include "domain/notifications.h"
#include "domain/webhooks.h"
#include "http/request.h"
#include "http/response.h"

/* ---- notifications ----------------------------------------------------------------------- */

/* The JSON of a notification (a new reference); its data is our own JSON object text. */
static json_t *notification_json(const struct notification *n)
{
    json_t *data = NULL;
    struct err ignored = ERR_INIT;
    if (jsonio_parse(n->data_json, strlen(n->data_json), &data, &ignored) ||
        !json_is_object(data)) {
        json_decref(data);
        data = json_object();
    }
    json_t *o = json_object();
    jsonio_set_str(o, "id", n->id);
    jsonio_set_str(o, "kind", n->kind);
    jsonio_set_str(o, "message", n->message);
    jsonio_set_new(o, "data", data);
    jsonio_set_new(o, "read", json_boolean(n->read_at > 0));
    jsonio_set_new(o, "read_at", view_time(n->read_at, true));
    jsonio_set_new(o, "created_at", view_time(n->created_at, false));
    return o;
}

/* ?unread=true|false|1|0 into *out (false when absent); ERR_INVALID otherwise. */
static enum err_code unread_arg(const struct req *req, bool *out, struct err *err)
{
    const char *v = req_query(req, "unread");
    *out = false;
    if (!v || strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        return ERR_OK;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) {
        *out = true;
        return ERR_OK;
    }
    return err_set(err, ERR_INVALID, "unread", "unread: must be true or false");
}

enum err_code notifications_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t limit, offset;
    bool unread = false;
    enum err_code rc =
        view_page_args(req, NOTIFICATION_PAGE_DEFAULT, NOTIFICATION_PAGE_MAX, &limit, &offset, err);
    if (!rc)
        rc = unread_arg(req, &unread, err);
    struct notification_page pg = { 0 };
    if (!rc)
        rc = notification_list(app->store, api_caller(req), unread, limit, offset, &pg, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < pg.n; i++)
        json_array_append_new(list, notification_json(&pg.items[i]));
    json_t *body = view_page("notifications", list, pg.total, pg.limit, pg.offset);
    jsonio_set_new(body, "unread", json_integer(pg.unread));
    notification_page_release(&pg);
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code notifications_read(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct notification n = { 0 };
    enum err_code rc =
        notification_mark_read(app->store, api_caller(req), req_param(req, "id"), &n, err);
    if (rc)
        return rc;
    resp_json_take(req, 200, notification_json(&n));
    notification_release(&n);
    return ERR_OK;
}

enum err_code notifications_read_all(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t marked = 0;
    enum err_code rc = notification_mark_all_read(app->store, api_caller(req), &marked, err);
    if (rc)
        return rc;
    json_t *body = json_object();
    jsonio_set_new(body, "marked", json_integer(marked));
    resp_json_take(req, 200, body);
    return ERR_OK;
}

/* ---- the webhook ------------------------------------------------------------------------- */

static json_t *delivery_json(const struct webhook_delivery *d)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", d->id);
    jsonio_set_str(o, "notification_id", d->notification_id);
    jsonio_set_str(o, "event", d->event);
    jsonio_set_str(o, "status", webhook_delivery_state_name(d->state));
    jsonio_set_new(o, "attempts", json_integer(d->attempts));
    jsonio_set_new(o, "last_status", d->last_status ? json_integer(d->last_status) : json_null());
    jsonio_set_str(o, "last_error", d->last_error);
    jsonio_set_new(o, "next_attempt_at",
                   view_time(d->state == WEBHOOK_PENDING ? d->next_attempt_at : 0, true));
    jsonio_set_new(o, "delivered_at", view_time(d->delivered_at, true));
    jsonio_set_new(o, "failed_at", view_time(d->failed_at, true));
    jsonio_set_new(o, "created_at", view_time(d->created_at, false));
    return o;
}

/* The JSON of a webhook view (a new reference), with secret when it is not NULL or "". */
static json_t *webhook_json(const struct webhook_view *v, const char *secret)
{
    json_t *o = json_object();
    jsonio_set_str(o, "url", v->set ? v->url : NULL);
    if (secret && secret[0])
        jsonio_set_str(o, "secret", secret);
    jsonio_set_new(o, "created_at", view_time(v->set ? v->created_at : 0, true));
    jsonio_set_new(o, "updated_at", view_time(v->set ? v->updated_at : 0, true));
    json_t *list = json_array();
    for (size_t i = 0; i < v->n_deliveries; i++)
        json_array_append_new(list, delivery_json(&v->deliveries[i]));
    jsonio_set_new(o, "deliveries", list);
    return o;
}

enum err_code webhook_put(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    json_t *body = NULL; /* owned by the request */
    const char *url = NULL;
    enum err_code rc = req_json(req, &body, err);
    if (!rc)
        rc = api_body_check(body, &BODY_WEBHOOK_PUT, err);
    if (!rc)
        rc = jsonio_get_str(body, "url", &url, err);
    if (rc)
        return rc;
    bool rotate = json_is_true(json_object_get(body, "rotate_secret"));
    struct webhook_view v = { 0 };
    char secret[WEBHOOK_SECRET_LEN];
    rc = webhook_set(app->store, api_caller(req), url, rotate, &v, secret, err);
    if (rc)
        return rc;
    resp_header(req, "Cache-Control", "no-store"); /* it may carry the secret */
    resp_json_take(req, 200, webhook_json(&v, secret));
    memset(secret, 0, sizeof(secret));
    webhook_view_release(&v);
    return ERR_OK;
}

enum err_code webhook_show(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct webhook_view v = { 0 };
    enum err_code rc = webhook_get(app->store, api_caller(req), &v, err);
    if (rc)
        return rc;
    resp_json_take(req, 200, webhook_json(&v, NULL));
    webhook_view_release(&v);
    return ERR_OK;
}

enum err_code webhook_remove(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc = webhook_delete(app->store, api_caller(req), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}
