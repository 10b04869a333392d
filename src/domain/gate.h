/*
 * domain/gate.h - the one place that answers "may this workspace do X"
 * (SPEC.md 5): features its plan has (403 otherwise) and limits it has room
 * for (422 otherwise), both naming the plan and the limit; and the usage
 * they are measured against. Every module asks here.
 *
 * Limits are checked on a connection inside the caller's write transaction,
 * so the count and the insert that follows are one atomic step.
 */
#ifndef DOMAIN_GATE_H
#define DOMAIN_GATE_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/accounts.h"

struct store;
struct store_conn;

enum feature {
    FEATURE_API_ACCESS,
    FEATURE_ADVANCED_ANALYTICS,
    FEATURE_PRIORITY_SUPPORT,
    FEATURE_CUSTOM_PERSONAS,
};

enum limit_kind {
    LIMIT_PERSONAS, /* plus bought extras */
    LIMIT_PROJECTS,
    LIMIT_MEMBERS, /* members and open invites */
};

const char *feature_name(enum feature f);  /* "api_access", ... */
const char *limit_name(enum limit_kind k); /* "max_personas", "max_projects", "team_members" */

/* ERR_FORBIDDEN "<feature> is not available on the <plan> plan" when it lacks f. */
enum err_code gate_feature(const struct caller *c, enum feature f, struct err *err);

/* ERR_FORBIDDEN unless the caller is an admin of the workspace. */
enum err_code gate_admin(const struct caller *c, struct err *err);

/* What a workspace uses now. */
struct usage {
    int64_t personas, projects, members, pending_invites;
};

enum err_code usage_count(struct store_conn *conn, const char *workspace_id, struct usage *out,
                          struct err *err);
/* usage_count on a connection of its own. */
enum err_code usage_read(struct store *s, const char *workspace_id, struct usage *out,
                         struct err *err);

/* The limit of kind as it applies to the caller's workspace (extras included); -1: none. */
int64_t gate_limit_of(const struct caller *c, enum limit_kind k);

/*
 * The limit of kind on plan p for a workspace whose contract gives custom
 * (its limit_* column, -1 when none: unlimited) where the plan leaves the
 * number to the contract (PLAN_CUSTOM: enterprise); the persona limit plus
 * extra_personas. -1: none. What gate_limit_of answers for a caller on p,
 * asked for a plan the workspace is not on yet (a downgrade's figures).
 */
int64_t gate_plan_limit(const struct plan *p, int64_t custom, int64_t extra_personas,
                        enum limit_kind k);

/* The amount of kind u uses (members: members and open invites), as gate_room counts it. */
int64_t gate_used(const struct usage *u, enum limit_kind k);

/*
 * May the workspace add `adding` more of kind? ERR_PLAN_LIMIT naming the
 * limit, the plan and the numbers when not. Call it inside the write
 * transaction that inserts: when there is room and the usage after adding
 * reaches 80 %, it records the "limit_approaching" notification
 * (notify_limit_approaching, once a period), which goes or stays with the
 * transaction.
 */
enum err_code gate_room(struct store_conn *conn, const struct caller *c, enum limit_kind k,
                        int64_t adding, struct err *err);

/* Is used at or past 80 % of limit (-1: never)? */
bool approaching_limit(int64_t used, int64_t limit);

#endif
