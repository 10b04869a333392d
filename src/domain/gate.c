/*
 * domain/gate.c - plan features, limits and usage counts (see gate.h).
 */
#include "core/compat.h"

#include "domain/gate.h"

#include "core/clock.h"
#include "domain/notifications.h"
#include "store/store.h"

static const char *const FEATURES[] = { "api_access", "advanced_analytics", "priority_support",
                                        "custom_personas" };
static const char *const LIMITS[] = { "max_personas", "max_projects", "team_members" };

const char *feature_name(enum feature f)
{
    return (unsigned)f < ARRAY_SIZE(FEATURES) ? FEATURES[f] : "feature";
}

const char *limit_name(enum limit_kind k)
{
    return (unsigned)k < ARRAY_SIZE(LIMITS) ? LIMITS[k] : "limit";
}

static bool has_feature(const struct plan *p, enum feature f)
{
    switch (f) {
    case FEATURE_API_ACCESS:
        return p->api_access;
    case FEATURE_ADVANCED_ANALYTICS:
        return p->advanced_analytics;
    case FEATURE_PRIORITY_SUPPORT:
        return p->priority_support;
    case FEATURE_CUSTOM_PERSONAS:
        return p->custom_personas;
    }
    return false;
}

enum err_code gate_feature(const struct caller *c, enum feature f, struct err *err)
{
    if (has_feature(c->plan, f))
        return ERR_OK;
    return err_set(err, ERR_FORBIDDEN, feature_name(f), "%s is not available on the %s plan",
                   feature_name(f), c->plan->name);
}

enum err_code gate_admin(const struct caller *c, struct err *err)
{
    if (c->role == ROLE_ADMIN)
        return ERR_OK;
    return err_set(err, ERR_FORBIDDEN, "role", "only a workspace admin may do this");
}

enum err_code usage_count(struct store_conn *conn, const char *workspace_id, struct usage *out,
                          struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_param ws[] = { STORE_TEXT(workspace_id), STORE_INT(clock_now_ms()) };
    enum err_code rc = store_query_int(conn, "SELECT COUNT(*) FROM personas WHERE workspace_id = ?",
                                       ws, 1, &out->personas, err);
    if (!rc)
        rc = store_query_int(conn, "SELECT COUNT(*) FROM projects WHERE workspace_id = ?", ws, 1,
                             &out->projects, err);
    if (!rc)
        rc = store_query_int(conn, "SELECT COUNT(*) FROM users WHERE workspace_id = ?", ws, 1,
                             &out->members, err);
    if (!rc)
        rc = store_query_int(conn,
                             "SELECT COUNT(*) FROM invites WHERE workspace_id = ? AND "
                             "accepted_at IS NULL AND expires_at > ?",
                             ws, 2, &out->pending_invites, err);
    return rc;
}

enum err_code usage_read(struct store *s, const char *workspace_id, struct usage *out,
                         struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = usage_count(conn, workspace_id, out, err);
    store_release(s, conn);
    return rc;
}

int64_t gate_limit_of(const struct caller *c, enum limit_kind k)
{
    switch (k) {
    case LIMIT_PERSONAS:
        return c->limits.personas < 0 ? -1 : c->limits.personas + c->extra_personas;
    case LIMIT_PROJECTS:
        return c->limits.projects;
    case LIMIT_MEMBERS:
        return c->limits.members;
    }
    return -1;
}

static int64_t used_of(const struct usage *u, enum limit_kind k)
{
    switch (k) {
    case LIMIT_PERSONAS:
        return u->personas;
    case LIMIT_PROJECTS:
        return u->projects;
    case LIMIT_MEMBERS:
        return u->members + u->pending_invites;
    }
    return 0;
}

int64_t gate_plan_limit(const struct plan *p, int64_t custom, int64_t extra_personas,
                        enum limit_kind k)
{
    int64_t v = k == LIMIT_PERSONAS   ? p->max_personas
                : k == LIMIT_PROJECTS ? p->max_projects
                                      : p->team_members;
    if (v == PLAN_CUSTOM)
        v = custom < 0 ? -1 : custom;
    if (k == LIMIT_PERSONAS && v >= 0)
        v += extra_personas;
    return v;
}

int64_t gate_used(const struct usage *u, enum limit_kind k)
{
    return used_of(u, k);
}

enum err_code gate_room(struct store_conn *conn, const struct caller *c, enum limit_kind k,
                        int64_t adding, struct err *err)
{
    int64_t limit = gate_limit_of(c, k);
    if (limit < 0)
        return ERR_OK;
    struct usage u;
    enum err_code rc = usage_count(conn, c->workspace_id, &u, err);
    if (rc)
        return rc;
    int64_t used = used_of(&u, k);
    if (used + adding <= limit) /* room: the alert at 80 %, once a period (notifications.h) */
        return notify_limit_approaching(conn, c->workspace_id, c->plan->name, limit_name(k),
                                        used + adding, limit, err);
    return err_set(err, ERR_PLAN_LIMIT, limit_name(k),
                   "%s: the %s plan allows %" PRId64 " and the workspace has %" PRId64,
                   limit_name(k), c->plan->name, limit, used);
}

bool approaching_limit(int64_t used, int64_t limit)
{
    return limit > 0 && used * 10 >= limit * 8;
}
