/*
 * api/views.c - the JSON shapes of the accounts' objects (see views.h).
 */
#include "core/compat.h"

#include "api/views.h"

#include "http/request.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonio.h"

json_t *view_time(int64_t ms, bool nullable)
{
    if (nullable && ms <= 0)
        return json_null();
    char iso[CLOCK_ISO8601_LEN];
    clock_iso8601(ms, iso);
    return json_string(iso);
}

enum err_code view_page_args(const struct req *req, int64_t def, int64_t max, int64_t *limit,
                             int64_t *offset, struct err *err)
{
    enum err_code rc = req_query_int(req, "limit", def, 1, max, limit, err);
    if (!rc)
        rc = req_query_int(req, "offset", 0, 0, INT64_MAX, offset, err);
    return rc;
}

json_t *view_page(const char *key, json_t *items, int64_t total, int64_t limit, int64_t offset)
{
    json_t *o = json_object();
    jsonio_set_new(o, key, items);
    jsonio_set_new(o, "total", json_integer(total));
    jsonio_set_new(o, "limit", json_integer(limit));
    jsonio_set_new(o, "offset", json_integer(offset));
    return o;
}

void view_text_time(struct buf *b, int64_t ms)
{
    char iso[CLOCK_ISO8601_LEN];
    clock_iso8601(ms, iso);
    buf_add_json_string(b, iso);
}

void view_text_key(struct buf *b, const char *key)
{
    buf_addf(b, ",\"%s\":", key);
}

void view_text_members(struct buf *b, const char *object_json)
{
    size_t n = strlen(object_json);
    if (n > 2) {
        buf_addch(b, ',');
        buf_add(b, object_json + 1, n - 2);
    }
}

void view_text_page_end(struct buf *b, int64_t total, int64_t limit, int64_t offset)
{
    buf_addf(b, "],\"total\":%" PRId64 ",\"limit\":%" PRId64 ",\"offset\":%" PRId64 "}", total,
             limit, offset);
}

json_t *view_money(int64_t cents)
{
    char text[32];
    snprintf(text, sizeof(text), "%" PRId64 ".%02" PRId64, cents / 100, cents % 100);
    return json_string(text);
}

json_t *view_limit(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

json_t *view_user(const struct user_view *u)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", u->id);
    jsonio_set_str(o, "email", u->email);
    jsonio_set_str(o, "company", u->company);
    jsonio_set_str(o, "role", user_role_name(u->role));
    jsonio_set_str(o, "workspace_id", u->workspace_id);
    jsonio_set_new(o, "api_quota", json_integer(u->api_quota));
    jsonio_set_new(o, "created_at", view_time(u->created_at, false));
    return o;
}

json_t *view_workspace(const struct workspace_view *w)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", w->id);
    jsonio_set_str(o, "name", w->name);
    jsonio_set_str(o, "plan_type", w->plan->name);
    jsonio_set_new(o, "current_period_start", view_time(w->current_period_start, false));
    jsonio_set_new(o, "current_period_end", view_time(w->current_period_end, false));
    jsonio_set_new(o, "extra_personas", json_integer(w->extra_personas));
    jsonio_set_str(o, "scheduled_plan", w->scheduled_plan[0] ? w->scheduled_plan : NULL);
    jsonio_set_new(o, "created_at", view_time(w->created_at, false));
    return o;
}

/* A plan's number, or null when it is agreed per contract. */
static json_t *custom_or(int64_t v)
{
    return v == PLAN_CUSTOM ? json_null() : json_integer(v);
}

json_t *view_plan(const struct plan *p)
{
    json_t *o = json_object();
    jsonio_set_str(o, "name", p->name);
    jsonio_set_new(o, "price_month",
                   p->price_cents == PLAN_CUSTOM ? json_null() : view_money(p->price_cents));
    jsonio_set_new(o, "max_personas", custom_or(p->max_personas));
    jsonio_set_new(o, "max_projects", custom_or(p->max_projects));
    jsonio_set_new(o, "extra_persona",
                   p->extra_persona_cents ? view_money(p->extra_persona_cents) : json_null());
    jsonio_set_new(o, "api_access", json_boolean(p->api_access));
    jsonio_set_new(o, "advanced_analytics", json_boolean(p->advanced_analytics));
    jsonio_set_new(o, "priority_support", json_boolean(p->priority_support));
    jsonio_set_new(o, "custom_personas", json_boolean(p->custom_personas));
    jsonio_set_new(o, "team_members", custom_or(p->team_members));
    jsonio_set_new(o, "custom", json_boolean(p->price_cents == PLAN_CUSTOM));
    return o;
}

static json_t *meter(int64_t used, int64_t limit, int64_t extra, bool with_extra)
{
    json_t *o = json_object();
    jsonio_set_new(o, "used", json_integer(used));
    jsonio_set_new(o, "limit", view_limit(limit));
    if (with_extra)
        jsonio_set_new(o, "extra", json_integer(extra));
    jsonio_set_new(o, "approaching_limit", json_boolean(approaching_limit(used, limit)));
    return o;
}

json_t *view_usage(const struct caller *c, const struct usage *u)
{
    json_t *o = json_object();
    jsonio_set_new(o, "personas",
                   meter(u->personas, gate_limit_of(c, LIMIT_PERSONAS), c->extra_personas, true));
    jsonio_set_new(o, "projects", meter(u->projects, gate_limit_of(c, LIMIT_PROJECTS), 0, false));
    json_t *members =
        meter(u->members + u->pending_invites, gate_limit_of(c, LIMIT_MEMBERS), 0, false);
    jsonio_set_new(members, "pending_invites", json_integer(u->pending_invites));
    jsonio_set_new(o, "members", members);
    return o;
}
