/*
 * api/billing.c - /api/billing: the workspace's billing state (GET), its
 * invoices (GET .../invoices, paged), the price of a change before it is
 * made (GET .../quote?action=&plan=&quantity=), extra personas (POST
 * .../extra-personas {quantity}), upgrades (POST .../upgrade {plan}),
 * downgrades (POST .../downgrade {plan}) and the cancelling of a scheduled
 * one (DELETE .../scheduled-change); the rules are domain/billing.h's.
 *
 * The three POSTs take an Idempotency-Key header: the answer of a success is
 * rendered here inside the domain's transaction, stored with the key, and a
 * retry with the key gets that same body and status again, byte for byte,
 * with "Idempotent-Replayed: true". A refused downgrade answers 409 with
 * "details": the usage against the plan's limits.
 *
 * Money is written twice: integer cents ("total_cents") and the decimal
 * text the rest of the API uses ("total": "7.50").
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/bodies.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/clock.h"
#include "core/jsonio.h"
#include "domain/billing.h"
#include "http/request.h"
#include "http/response.h"

/* ---- shapes ------------------------------------------------------------------------------ */

/* Cents, or null for a negative value (none agreed). */
static json_t *cents_or_null(int64_t cents)
{
    return cents < 0 ? json_null() : json_integer(cents);
}

static json_t *money_or_null(int64_t cents)
{
    return cents < 0 ? json_null() : view_money(cents);
}

static json_t *invoice_json(const struct invoice *inv)
{
    json_t *lines = json_array();
    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        json_t *o = json_object();
        jsonio_set_str(o, "kind", l->kind);
        jsonio_set_str(o, "description", l->description);
        jsonio_set_new(o, "quantity", json_integer(l->quantity));
        jsonio_set_new(o, "unit_cents", json_integer(l->unit_cents));
        jsonio_set_new(o, "unit", view_money(l->unit_cents));
        jsonio_set_new(o, "amount_cents", json_integer(l->amount_cents));
        jsonio_set_new(o, "amount", view_money(l->amount_cents));
        json_array_append_new(lines, o);
    }
    json_t *o = json_object();
    jsonio_set_str(o, "id", inv->id);
    jsonio_set_new(o, "number", json_integer(inv->number));
    jsonio_set_str(o, "kind", inv->kind);
    jsonio_set_str(o, "status", inv->status);
    jsonio_set_str(o, "provider", inv->provider);
    jsonio_set_str(o, "currency", inv->currency);
    jsonio_set_new(o, "total_cents", json_integer(inv->total_cents));
    jsonio_set_new(o, "total", view_money(inv->total_cents));
    jsonio_set_new(o, "period_start", view_time(inv->period_start, false));
    jsonio_set_new(o, "period_end", view_time(inv->period_end, false));
    jsonio_set_new(o, "created_at", view_time(inv->created_at, false));
    jsonio_set_new(o, "lines", lines);
    return o;
}

static json_t *allowance_json(int64_t limit, int64_t used)
{
    json_t *o = json_object();
    jsonio_set_new(o, "limit", view_limit(limit));
    jsonio_set_new(o, "used", json_integer(used));
    return o;
}

static json_t *state_json(const struct billing_state *st)
{
    const struct plan *p = st->plan;
    json_t *period = json_object();
    jsonio_set_new(period, "start", view_time(st->period_start, false));
    jsonio_set_new(period, "end", view_time(st->period_end, false));

    json_t *personas = allowance_json(st->limits.personas, st->usage.personas);
    jsonio_set_new(
        personas, "plan",
        view_limit(st->limits.personas < 0 ? -1 : st->limits.personas - st->extra_personas));
    jsonio_set_new(personas, "extra", json_integer(st->extra_personas));
    json_t *members = allowance_json(st->limits.members, gate_used(&st->usage, LIMIT_MEMBERS));
    jsonio_set_new(members, "pending_invites", json_integer(st->usage.pending_invites));
    json_t *allowance = json_object();
    jsonio_set_new(allowance, "personas", personas);
    jsonio_set_new(allowance, "projects", allowance_json(st->limits.projects, st->usage.projects));
    jsonio_set_new(allowance, "members", members);

    json_t *scheduled = json_null();
    if (st->scheduled) {
        scheduled = json_object();
        jsonio_set_str(scheduled, "plan", st->scheduled->name);
        jsonio_set_new(scheduled, "effective_at", view_time(st->period_end, false));
    }
    json_t *charges = json_object();
    jsonio_set_new(charges, "invoices", json_integer(st->invoices_in_period));
    jsonio_set_new(charges, "total_cents", json_integer(st->charges_cents));
    jsonio_set_new(charges, "total", view_money(st->charges_cents));

    json_t *o = json_object();
    jsonio_set_str(o, "workspace_id", st->workspace_id);
    jsonio_set_str(o, "plan", p->name);
    jsonio_set_new(o, "custom_terms", json_boolean(st->custom_terms));
    jsonio_set_new(o, "price_month_cents", cents_or_null(st->price_cents));
    jsonio_set_new(o, "price_month", money_or_null(st->price_cents));
    jsonio_set_new(o, "extra_persona_cents",
                   p->extra_persona_cents ? json_integer(p->extra_persona_cents) : json_null());
    jsonio_set_new(o, "extra_persona",
                   p->extra_persona_cents ? view_money(p->extra_persona_cents) : json_null());
    jsonio_set_new(o, "period", period);
    jsonio_set_new(o, "allowance", allowance);
    jsonio_set_new(o, "scheduled_change", scheduled);
    jsonio_set_new(o, "charges_this_period", charges);
    return o;
}

/* The answer of a charging request: {"invoice"?, "billing"} as text (the domain stores it). */
static char *render(const struct billing_result *r, void *ctx)
{
    (void)ctx;
    json_t *o = json_object();
    if (r->invoice.id[0])
        jsonio_set_new(o, "invoice", invoice_json(&r->invoice));
    jsonio_set_new(o, "billing", state_json(&r->state));
    char *text = jsonio_dump(o, 0, NULL);
    json_decref(o);
    return text;
}

/* A downgrade's figures: {"plan", "personas": {used, limit, exceeds}, "projects", "members"}. */
static json_t *fit_json(const struct billing_fit *fit)
{
    static const char *const KEYS[] = { "personas", "projects", "members" };
    json_t *o = json_object();
    jsonio_set_str(o, "plan", fit->plan ? fit->plan->name : NULL);
    for (int k = 0; k < 3; k++) {
        json_t *m = json_object();
        jsonio_set_new(m, "used", json_integer(fit->used[k]));
        jsonio_set_new(m, "limit", view_limit(fit->limit[k]));
        jsonio_set_new(m, "exceeds", json_boolean(fit->exceeds[k]));
        jsonio_set_new(o, KEYS[k], m);
    }
    return o;
}

/* ---- reading ----------------------------------------------------------------------------- */

enum err_code billing_show(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct billing_state st;
    enum err_code rc =
        billing_get(app->store, api_caller(req)->workspace_id, clock_now_ms(), NULL, &st, err);
    if (rc)
        return rc;
    resp_json_take(req, 200, state_json(&st));
    return ERR_OK;
}

enum err_code billing_invoices_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t limit, offset;
    enum err_code rc = view_page_args(req, BILLING_INVOICE_PAGE_DEFAULT, BILLING_INVOICE_PAGE_MAX,
                                      &limit, &offset, err);
    struct invoice_page pg = { 0 };
    if (!rc)
        rc = billing_invoices(app->store, api_caller(req)->workspace_id, limit, offset, &pg, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < pg.n; i++)
        json_array_append_new(list, invoice_json(&pg.items[i]));
    json_t *body = view_page("invoices", list, pg.total, pg.limit, pg.offset);
    invoice_page_release(&pg);
    resp_json_take(req, 200, body);
    return ERR_OK;
}

/* ---- charging ---------------------------------------------------------------------------- */

/* Validates the body against b (one field) and returns it (borrowed from the request). */
static enum err_code read_body(struct req *req, const struct api_body *b, json_t **value,
                               struct err *err)
{
    json_t *body = NULL; /* owned by the request */
    enum err_code rc = req_json(req, &body, err);
    if (!rc)
        rc = api_body_check(body, b, err);
    if (!rc)
        *value = json_object_get(body, b->fields[0].name);
    return rc;
}

static void request_of(struct req *req, struct billing_request *rq)
{
    *rq = (struct billing_request){
        .now = clock_now_ms(),
        .idempotency_key = req_header(req, "Idempotency-Key"),
        .render = render,
    };
}

/* Answers r's stored or rendered body with its status, and releases r. */
static enum err_code send_result(struct req *req, struct billing_result *r)
{
    if (r->replayed)
        resp_header(req, "Idempotent-Replayed", "true");
    resp_bytes(req, r->status, "application/json", r->response, strlen(r->response));
    billing_result_release(r);
    return ERR_OK;
}

enum err_code billing_buy_extras(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    json_t *quantity = NULL;
    enum err_code rc = read_body(req, &BODY_BILLING_EXTRAS, &quantity, err);
    if (rc)
        return rc;
    struct billing_request rq;
    request_of(req, &rq);
    struct billing_result r;
    rc = billing_buy_extra_personas(app->store, api_caller(req), json_integer_value(quantity), &rq,
                                    &r, err);
    if (rc) {
        billing_result_release(&r);
        return rc;
    }
    return send_result(req, &r);
}

/* Reads {plan} and runs the upgrade (up) or the downgrade. */
static enum err_code change_plan(struct req *req, bool up, struct err *err)
{
    const struct app *app = req_app(req);
    json_t *plan = NULL;
    enum err_code rc = read_body(req, &BODY_BILLING_PLAN, &plan, err);
    if (rc)
        return rc;
    struct billing_request rq;
    request_of(req, &rq);
    struct billing_result r;
    const struct caller *c = api_caller(req);
    rc = up ? billing_upgrade(app->store, c, json_string_value(plan), &rq, &r, err)
            : billing_downgrade(app->store, c, json_string_value(plan), &rq, &r, err);
    if (rc == ERR_CONFLICT && r.fit.any) {
        resp_error_details(req, err, fit_json(&r.fit));
        billing_result_release(&r);
        return ERR_OK;
    }
    if (rc) {
        billing_result_release(&r);
        return rc;
    }
    return send_result(req, &r);
}

enum err_code billing_upgrade_plan(struct req *req, struct err *err)
{
    return change_plan(req, true, err);
}

enum err_code billing_downgrade_plan(struct req *req, struct err *err)
{
    return change_plan(req, false, err);
}

/* ---- quoting ----------------------------------------------------------------------------- */

static const char *const ACTION_NAMES[] = { "extra_personas", "upgrade", "downgrade" };

static json_t *quote_json(const struct billing_quote *q)
{
    json_t *o = json_object();
    jsonio_set_str(o, "action", ACTION_NAMES[q->action]);
    jsonio_set_str(o, "plan", q->plan->name);
    jsonio_set_new(o, "quantity", json_integer(q->quantity));
    jsonio_set_new(o, "unit_cents", json_integer(q->unit_cents));
    jsonio_set_new(o, "unit", view_money(q->unit_cents));
    jsonio_set_new(o, "amount_cents", json_integer(q->amount_cents));
    jsonio_set_new(o, "amount", view_money(q->amount_cents));
    jsonio_set_str(o, "currency", BILLING_CURRENCY);
    jsonio_set_str(o, "description", q->description);
    jsonio_set_new(o, "effective_at", view_time(q->effective_at, false));
    jsonio_set_new(o, "period_end", view_time(q->period_end, false));
    jsonio_set_new(o, "ms_left", json_integer(q->ms_left));
    jsonio_set_new(o, "period_ms", json_integer(q->period_ms));
    return o;
}

/* ERR_INVALID on "action" unless it names one of ACTION_NAMES. */
static enum err_code read_action(struct req *req, enum billing_action *out, struct err *err)
{
    const char *a = req_query(req, "action");
    for (size_t i = 0; a && i < ARRAY_SIZE(ACTION_NAMES); i++)
        if (!strcmp(a, ACTION_NAMES[i])) {
            *out = (enum billing_action)i;
            return ERR_OK;
        }
    return err_set(err, ERR_INVALID, "action",
                   "action must be extra_personas, upgrade or downgrade, not '%.40s'", a ? a : "");
}

enum err_code billing_quote_show(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum billing_action action = BILLING_EXTRA_PERSONAS; /* set by read_action on success */
    int64_t quantity = 0;
    enum err_code rc = read_action(req, &action, err);
    if (!rc && action == BILLING_EXTRA_PERSONAS && !req_query(req, "quantity"))
        rc = err_set(err, ERR_INVALID, "quantity", "quantity is required to quote extra personas");
    if (!rc && action == BILLING_EXTRA_PERSONAS)
        rc = req_query_int(req, "quantity", 0, 1, BILLING_QUANTITY_MAX, &quantity, err);
    if (rc)
        return rc;
    struct billing_quote q;
    struct billing_fit fit;
    rc = billing_quote(app->store, api_caller(req), action, req_query(req, "plan"), quantity,
                       clock_now_ms(), &q, &fit, err);
    if (rc == ERR_CONFLICT && fit.any) {
        resp_error_details(req, err, fit_json(&fit));
        return ERR_OK;
    }
    if (rc)
        return rc;
    json_t *body = json_object();
    jsonio_set_new(body, "quote", quote_json(&q));
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code billing_cancel_scheduled(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct billing_state st;
    enum err_code rc = billing_cancel_change(app->store, api_caller(req), clock_now_ms(), &st, err);
    if (rc)
        return rc;
    json_t *body = json_object();
    jsonio_set_new(body, "billing", state_json(&st));
    resp_json_take(req, 200, body);
    return ERR_OK;
}
