/*
 * domain/accounts.h - users, workspaces and who is calling (SPEC.md 2, 4):
 * registration (a user and a workspace on the free plan - or, with an
 * invite, a place in the inviting workspace), login (a signed token),
 * logout (the token's id revoked), and the resolution of an Authorization
 * header - a token or an API key - into a caller, with the per-user
 * request quota and the throttling of failed logins.
 *
 * Registration and login hash or check a password (argon2id, about 0.2 s):
 * call them from a worker pool, never from an HTTP thread. Everything else
 * is short database work. Thread-safe: struct accounts is read-only after
 * accounts_new, and its parts (store, kv) are thread-safe.
 */
#ifndef DOMAIN_ACCOUNTS_H
#define DOMAIN_ACCOUNTS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/jwt.h"
#include "core/secret.h"
#include "domain/plans.h"

struct store;
struct kv;

#define EMAIL_MAX            254
#define COMPANY_MAX          200
#define LOGIN_WINDOW_MS      (15 * 60 * 1000) /* failed logins are counted over 15 minutes */
#define LOGIN_MAX_PER_EMAIL  10               /* then that email is refused until the window ends */
#define LOGIN_MAX_PER_CLIENT 50               /* and so is that client address */
#define INVITE_TTL_MS        (7LL * 24 * 3600 * 1000)
#define API_KEY_PREFIX       "ck_"

enum user_role {
    ROLE_USER,
    ROLE_ADMIN,
};

const char *user_role_name(enum user_role r); /* "user", "admin" */
/* The role called name; -1 when none is. */
int user_role_parse(const char *name);
/* A role as stored: ROLE_ADMIN for "admin", ROLE_USER for anything else. */
enum user_role user_role_of(const char *name);

/* A workspace's limits as they apply: PLAN_CUSTOM resolved; -1 is unlimited. */
struct limits {
    int64_t personas, projects, members;
};

/* Who is calling: resolved on every authenticated request. */
struct caller {
    char user_id[IDS_UUID_LEN];
    char workspace_id[IDS_UUID_LEN];
    char email[EMAIL_MAX + 1];
    enum user_role role;
    const struct plan *plan;
    struct limits limits;
    int64_t extra_personas;         /* bought, raising the persona limit */
    int64_t api_quota;              /* requests per minute */
    bool via_key;                   /* an API key, not a token */
    char credential_id[JWT_ID_MAX]; /* the token's jti or the key's id */
    int64_t token_exp;              /* seconds; tokens only */
};

struct accounts_options {
    struct store *store;
    struct kv *kv;
    const char *jwt_secret; /* at least JWT_SECRET_MIN bytes */
    int64_t token_ttl_s;    /* how long a token lives */
    enum pwhash_cost hash_cost;
};

struct accounts;

/* Prepares the accounts service (it hashes a dummy password once: see login). */
struct accounts *accounts_new(const struct accounts_options *opts);
void accounts_free(struct accounts *a); /* accepts NULL */

/*
 * Normalises an email (trimmed, lower-case) into out and checks its form:
 * ERR_INVALID on field "email" otherwise.
 */
enum err_code email_normalize(const char *email, char out[EMAIL_MAX + 1], struct err *err);

struct registration {
    const char *email, *password, *company;
    const char *invite_token; /* NULL: a new workspace on the free plan */
};

/* What register and login answer. */
struct session {
    char *token;        /* malloc'd */
    int64_t expires_at; /* seconds */
    char user_id[IDS_UUID_LEN];
    char workspace_id[IDS_UUID_LEN];
};

void session_release(struct session *s);

/*
 * Registers (slow: hashes the password). ERR_INVALID naming the field
 * (email form, weak password, company too long, a bad or used invite,
 * an invite for another email), ERR_CONFLICT when the email is taken,
 * ERR_PLAN_LIMIT when the inviting workspace has no seat left.
 */
enum err_code accounts_register(struct accounts *a, const struct registration *r,
                                struct session *out, struct err *err);

/*
 * Logs in (slow: checks the password). ERR_UNAUTHORIZED "invalid email or
 * password" for an unknown email and a wrong password alike (the same work
 * is done for both); ERR_RATE_LIMITED with *retry_after_s when the email
 * or the client address failed too often lately.
 */
enum err_code accounts_login(struct accounts *a, const char *email, const char *password,
                             const char *client, struct session *out, int64_t *retry_after_s,
                             struct err *err);

/*
 * Resolves an Authorization header ("Bearer <token or API key>") into a
 * caller. ERR_UNAUTHORIZED when it is missing, malformed, expired, revoked,
 * or its user no longer exists; ERR_FORBIDDEN for an API key on a plan
 * without api_access.
 */
enum err_code accounts_authenticate(struct accounts *a, const char *authorization,
                                    struct caller *out, struct err *err);

/*
 * The caller a background job acts as (a run acts as the member who
 * started it): user_id as the account is now - workspace, role, plan.
 * ERR_NOT_FOUND when the account no longer exists.
 */
enum err_code caller_load(struct store *s, const char *user_id, struct caller *out,
                          struct err *err);

/*
 * Requests a minute a signed-in session (a token from register or login:
 * the web UI) may make at the least. A page of the UI makes several
 * requests (the dashboard six), so api_quota - sized for programs - would
 * turn a person clicking about into 429s; sessions are counted apart from
 * API keys, so a script that used up the key's quota does not lock its
 * owner out of the UI either.
 */
#define ACCOUNTS_SESSION_QUOTA 600

/*
 * The requests a minute the caller may make: api_quota for an API key,
 * at least ACCOUNTS_SESSION_QUOTA for a session; -1: unlimited.
 */
int64_t accounts_quota_limit(const struct caller *c);

/*
 * Counts one request against the caller's quota: API keys and sessions
 * each in a count of their own (see accounts_quota_limit).
 * ERR_RATE_LIMITED with *retry_after_s past it.
 */
enum err_code accounts_quota(struct accounts *a, const struct caller *c, int64_t *retry_after_s,
                             struct err *err);

/* Revokes the caller's token (logout). ERR_INVALID for an API key (revoke the key instead). */
enum err_code accounts_logout(struct accounts *a, const struct caller *c, struct err *err);

/* ---- reading ---------------------------------------------------------------------------- */

struct user_view {
    char id[IDS_UUID_LEN];
    char email[EMAIL_MAX + 1];
    char company[COMPANY_MAX + 1];
    enum user_role role;
    char workspace_id[IDS_UUID_LEN];
    int64_t api_quota;
    int64_t created_at; /* ms */
};

struct workspace_view {
    char id[IDS_UUID_LEN];
    char name[COMPANY_MAX + 1];
    const struct plan *plan;
    int64_t current_period_start, current_period_end; /* ms */
    int64_t extra_personas;
    char scheduled_plan[32]; /* "" when none */
    int64_t created_at;
};

/*
 * For the domain's own queries of a workspace row (table alias w):
 * workspace_view_read reads WORKSPACE_COLUMNS from the current row of st,
 * starting at column col, into ws, whose id is id. An unknown plan reads as
 * the free plan.
 */
#define WORKSPACE_COLUMNS                                                                   \
    "w.name, w.plan_type, w.current_period_start, w.current_period_end, w.extra_personas, " \
    "w.scheduled_plan, w.created_at"
struct store_stmt;
void workspace_view_read(struct store_stmt *st, int col, const char *id, struct workspace_view *ws);

/* The caller's own user and workspace. */
enum err_code accounts_me(struct accounts *a, const struct caller *c, struct user_view *user,
                          struct workspace_view *ws, struct err *err);

struct store *accounts_store(struct accounts *a);
struct kv *accounts_kv(struct accounts *a);
enum pwhash_cost accounts_hash_cost(const struct accounts *a);

#endif
