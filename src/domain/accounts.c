/*
 * domain/accounts.c - registration, login, logout, and callers from tokens
 * and API keys, with the request quota and failed-login throttling (see
 * accounts.h). Every query that reads a tenant's rows is scoped by its
 * workspace id.
 */
#include "core/compat.h"

#include "domain/accounts.h"

#include <ctype.h>
#include <strings.h>

#include "core/clock.h"
#include "core/sha256.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/password.h"
#include "store/kv.h"
#include "store/store.h"

struct accounts {
    struct store *store;
    struct kv *kv;
    char *secret;
    size_t secret_len;
    int64_t token_ttl_s;
    enum pwhash_cost cost;
    char dummy_hash[SECRET_HASH_LEN]; /* checked for unknown emails, so they cost the same */
};

static const char *const ROLE_NAMES[] = { "user", "admin" };

const char *user_role_name(enum user_role r)
{
    return r == ROLE_ADMIN ? ROLE_NAMES[1] : ROLE_NAMES[0];
}

int user_role_parse(const char *name)
{
    for (int i = 0; name && i < 2; i++)
        if (strcmp(name, ROLE_NAMES[i]) == 0)
            return i;
    return -1;
}

enum user_role user_role_of(const char *name)
{
    return user_role_parse(name) == ROLE_ADMIN ? ROLE_ADMIN : ROLE_USER;
}

struct accounts *accounts_new(const struct accounts_options *opts)
{
    struct accounts *a = xcalloc(1, sizeof(*a));
    a->store = opts->store;
    a->kv = opts->kv;
    a->secret = xstrdup(opts->jwt_secret ? opts->jwt_secret : "");
    a->secret_len = strlen(a->secret);
    a->token_ttl_s = opts->token_ttl_s > 0 ? opts->token_ttl_s : 86400;
    a->cost = opts->hash_cost;
    char random[33];
    ids_random_hex(random, 16);
    if (secret_hash_password(random, strlen(random), a->cost, a->dummy_hash, NULL))
        BUG("cannot hash the dummy password");
    return a;
}

void accounts_free(struct accounts *a)
{
    if (!a)
        return;
    free(a->secret);
    free(a);
}

struct store *accounts_store(struct accounts *a)
{
    return a->store;
}

struct kv *accounts_kv(struct accounts *a)
{
    return a->kv;
}

enum pwhash_cost accounts_hash_cost(const struct accounts *a)
{
    return a->cost;
}

void session_release(struct session *s)
{
    free(s->token);
    memset(s, 0, sizeof(*s));
}

/* ---- emails ------------------------------------------------------------------------------ */

static bool email_char(unsigned char c)
{
    return c > 0x20 && c != 0x7f && !strchr("()<>,;:\\\"[]", c);
}

enum err_code email_normalize(const char *email, char out[EMAIL_MAX + 1], struct err *err)
{
    struct span s = span_trim(span_cstr(email ? email : ""));
    if (s.len == 0)
        return err_set(err, ERR_INVALID, "email", "email is required");
    if (s.len > EMAIL_MAX)
        return err_set(err, ERR_INVALID, "email", "email: at most %d characters", EMAIL_MAX);
    if (!utf8_valid(s.ptr, s.len))
        return err_set(err, ERR_INVALID, "email", "email is not valid UTF-8");
    memcpy(out, s.ptr, s.len);
    out[s.len] = '\0';
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    const char *at = strchr(out, '@');
    bool ok = at && at > out && strchr(at + 1, '@') == NULL && (size_t)(at - out) <= 64;
    const char *domain = at ? at + 1 : "";
    const char *dot = strrchr(domain, '.');
    ok = ok && dot && dot > domain && dot[1] && domain[0] != '.' && !strstr(domain, "..");
    for (const char *p = out; ok && *p; p++)
        ok = email_char((unsigned char)*p);
    if (!ok)
        return err_set(err, ERR_INVALID, "email", "email: '%.*s' is not an email address",
                       (int)(s.len > 80 ? 80 : s.len), s.ptr);
    return ERR_OK;
}

/* ---- limits ------------------------------------------------------------------------------ */

/* A plan's limit, or the workspace's own when the plan's is PLAN_CUSTOM (NULL: unlimited). */
static int64_t limit_of(int64_t plan_value, struct store_stmt *st, int col)
{
    if (plan_value != PLAN_CUSTOM)
        return plan_value;
    return store_col_is_null(st, col) ? -1 : store_col_int64(st, col);
}

/* Reads the plan and limit columns starting at col (plan_type, extra, 3 limits). */
static void read_plan_columns(struct store_stmt *st, int col, struct caller *c)
{
    const struct plan *p = plan_find(store_col_text(st, col));
    c->plan = p ? p : plan_of(PLAN_FREE);
    c->extra_personas = store_col_int64(st, col + 1);
    c->limits.personas = limit_of(c->plan->max_personas, st, col + 2);
    c->limits.projects = limit_of(c->plan->max_projects, st, col + 3);
    c->limits.members = limit_of(c->plan->team_members, st, col + 4);
}

#define PLAN_COLUMNS \
    "w.plan_type, w.extra_personas, w.limit_personas, w.limit_projects, w.limit_members"

/* ---- tokens ------------------------------------------------------------------------------ */

static enum err_code issue_token(struct accounts *a, const char *user_id, const char *workspace_id,
                                 struct session *out, struct err *err)
{
    struct jwt_claims claims = { .iat = clock_now_ms() / 1000 };
    claims.exp = claims.iat + a->token_ttl_s;
    snprintf(claims.sub, sizeof(claims.sub), "%s", user_id);
    snprintf(claims.ws, sizeof(claims.ws), "%s", workspace_id);
    ids_random_hex(claims.jti, 16);
    enum err_code rc = jwt_sign(&claims, a->secret, a->secret_len, &out->token, err);
    if (rc)
        return rc;
    out->expires_at = claims.exp;
    snprintf(out->user_id, sizeof(out->user_id), "%s", user_id);
    snprintf(out->workspace_id, sizeof(out->workspace_id), "%s", workspace_id);
    return ERR_OK;
}

/* ---- registration ------------------------------------------------------------------------ */

struct invite_row {
    char id[IDS_UUID_LEN];
    char workspace_id[IDS_UUID_LEN];
    char email[EMAIL_MAX + 1];
    enum user_role role;
};

/* The open invite whose token is given, checked against the registering email. */
static enum err_code find_invite(struct store_conn *conn, const char *token, const char *email,
                                 struct invite_row *out, struct err *err)
{
    char hash[SHA256_HEX_LEN];
    sha256_hex(token, strlen(token), hash);
    struct store_stmt *st = NULL;
    struct store_param p[] = { STORE_TEXT(hash) };
    enum err_code rc = store_prepare_params(conn,
                                            "SELECT id, workspace_id, email, role, expires_at, "
                                            "accepted_at FROM invites WHERE token_hash = ?",
                                            p, 1, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = err_set(err, ERR_INVALID, "invite_token", "invite_token: no such invite");
    if (!rc && !store_col_is_null(st, 5))
        rc = err_set(err, ERR_INVALID, "invite_token", "invite_token: the invite was already used");
    if (!rc && store_col_int64(st, 4) <= clock_now_ms())
        rc = err_set(err, ERR_INVALID, "invite_token", "invite_token: the invite has expired");
    if (!rc && strcmp(store_col_text(st, 2), email) != 0)
        rc = err_set(err, ERR_INVALID, "email", "email: the invite is for another address");
    if (!rc) {
        snprintf(out->id, sizeof(out->id), "%s", store_col_text(st, 0));
        snprintf(out->workspace_id, sizeof(out->workspace_id), "%s", store_col_text(st, 1));
        snprintf(out->email, sizeof(out->email), "%s", store_col_text(st, 2));
        out->role = user_role_of(store_col_text(st, 3));
    }
    store_finalize(st);
    return rc;
}

/* The member limit of a workspace as it applies (-1: unlimited). */
static enum err_code member_limit(struct store_conn *conn, const char *workspace_id, int64_t *out,
                                  const struct plan **plan, struct err *err)
{
    struct store_stmt *st = NULL;
    struct store_param p[] = { STORE_TEXT(workspace_id) };
    enum err_code rc = store_prepare_params(
        conn, "SELECT " PLAN_COLUMNS " FROM workspaces w WHERE w.id = ?", p, 1, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = err_set(err, ERR_INVALID, "invite_token", "invite_token: the workspace is gone");
    if (!rc) {
        struct caller c = { 0 };
        read_plan_columns(st, 0, &c);
        *out = c.limits.members;
        *plan = c.plan;
    }
    store_finalize(st);
    return rc;
}

static enum err_code insert_user(struct store_conn *conn, const char *id, const char *email,
                                 const char *hash, const char *company, const char *role,
                                 const char *workspace_id, int64_t api_quota, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(id),       STORE_TEXT(email),
                               STORE_TEXT(hash),     STORE_TEXT(company ? company : ""),
                               STORE_TEXT(role),     STORE_TEXT(workspace_id),
                               STORE_INT(api_quota), STORE_INT(clock_now_ms()) };
    return store_run(conn,
                     "INSERT INTO users (id, email, password_hash, company, role, workspace_id, "
                     "api_quota, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     p, ARRAY_SIZE(p), NULL, err);
}

static enum err_code join_by_invite(struct store_conn *conn, const struct registration *r,
                                    const char *email, const char *hash, const char *user_id,
                                    char workspace_id[IDS_UUID_LEN], struct err *err)
{
    struct invite_row inv;
    enum err_code rc = find_invite(conn, r->invite_token, email, &inv, err);
    int64_t members = 0, limit = -1;
    const struct plan *plan = NULL;
    if (!rc)
        rc = member_limit(conn, inv.workspace_id, &limit, &plan, err);
    struct store_param ws[] = { STORE_TEXT(inv.workspace_id) };
    if (!rc)
        rc = store_query_int(conn, "SELECT COUNT(*) FROM users WHERE workspace_id = ?", ws, 1,
                             &members, err);
    if (!rc && limit >= 0 && members >= limit)
        rc = err_set(err, ERR_PLAN_LIMIT, "team_members",
                     "the workspace has %" PRId64 " of %" PRId64
                     " members, the limit of the %s plan (team_members)",
                     members, limit, plan->name);
    if (rc)
        return rc;
    rc = insert_user(conn, user_id, email, hash, r->company, user_role_name(inv.role),
                     inv.workspace_id, plan->api_quota, err);
    struct store_param accepted[] = { STORE_INT(clock_now_ms()), STORE_TEXT(inv.id) };
    if (!rc)
        rc = store_run(conn, "UPDATE invites SET accepted_at = ? WHERE id = ?", accepted, 2, NULL,
                       err);
    if (!rc)
        snprintf(workspace_id, IDS_UUID_LEN, "%s", inv.workspace_id);
    return rc;
}

static enum err_code new_workspace(struct store_conn *conn, const struct registration *r,
                                   const char *email, const char *hash, const char *user_id,
                                   char workspace_id[IDS_UUID_LEN], struct err *err)
{
    ids_uuid7(workspace_id);
    int64_t now = clock_now_ms();
    char name[COMPANY_MAX + 64];
    if (r->company && *r->company)
        snprintf(name, sizeof(name), "%s", r->company);
    else
        snprintf(name, sizeof(name), "%.*s's workspace", (int)strcspn(email, "@"), email);
    struct store_param w[] = { STORE_TEXT(workspace_id), STORE_TEXT(name), STORE_INT(now),
                               STORE_INT(clock_add_months(now, 1)), STORE_INT(now) };
    enum err_code rc = store_run(conn,
                                 "INSERT INTO workspaces (id, name, plan_type, "
                                 "current_period_start, current_period_end, created_at) "
                                 "VALUES (?, ?, 'free', ?, ?, ?)",
                                 w, ARRAY_SIZE(w), NULL, err);
    if (rc)
        return rc;
    return insert_user(conn, user_id, email, hash, r->company, "admin", workspace_id,
                       plan_of(PLAN_FREE)->api_quota, err);
}

enum err_code accounts_register(struct accounts *a, const struct registration *r,
                                struct session *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    char email[EMAIL_MAX + 1];
    enum err_code rc = email_normalize(r->email, email, err);
    if (rc)
        return rc;
    if (r->company &&
        (strlen(r->company) > COMPANY_MAX || !utf8_valid(r->company, strlen(r->company))))
        return err_set(err, ERR_INVALID, "company", "company: at most %d characters of UTF-8",
                       COMPANY_MAX);
    rc = password_check(r->password, email, r->company, err);
    if (rc)
        return rc;
    char hash[SECRET_HASH_LEN];
    rc = secret_hash_password(r->password, strlen(r->password), a->cost, hash, err);
    if (rc)
        return rc;

    struct store_conn *conn = NULL;
    rc = store_acquire(a->store, &conn, err);
    if (rc)
        return rc;
    char user_id[IDS_UUID_LEN], workspace_id[IDS_UUID_LEN];
    ids_uuid7(user_id);
    rc = store_begin_write(conn, err);
    if (!rc)
        rc = r->invite_token && *r->invite_token
                 ? join_by_invite(conn, r, email, hash, user_id, workspace_id, err)
                 : new_workspace(conn, r, email, hash, user_id, workspace_id, err);
    rc = store_end(conn, rc, err);
    store_release(a->store, conn);
    if (rc == ERR_CONFLICT)
        return err_set(err, ERR_CONFLICT, "email", "email: an account with this email exists");
    if (rc)
        return rc;
    return issue_token(a, user_id, workspace_id, out, err);
}

/* ---- login ------------------------------------------------------------------------------- */

static void throttle_keys(const char *email, const char *client, char ek[EMAIL_MAX + 16],
                          char ck[96])
{
    snprintf(ek, EMAIL_MAX + 16, "login:email:%s", email);
    snprintf(ck, 96, "login:client:%s", client && *client ? client : "?");
}

/* When one of the two counters is over its limit: the seconds until it resets. */
static int64_t throttled_for(struct accounts *a, const char *ek, const char *ck, int64_t now)
{
    int64_t count, reset, wait = 0;
    if (a->kv->peek(a->kv, ek, now, &count, &reset, NULL) == ERR_OK && count >= LOGIN_MAX_PER_EMAIL)
        wait = reset - now;
    if (a->kv->peek(a->kv, ck, now, &count, &reset, NULL) == ERR_OK &&
        count >= LOGIN_MAX_PER_CLIENT && reset - now > wait)
        wait = reset - now;
    return wait > 0 ? (wait + 999) / 1000 : 0;
}

enum err_code accounts_login(struct accounts *a, const char *email_in, const char *password,
                             const char *client, struct session *out, int64_t *retry_after_s,
                             struct err *err)
{
    memset(out, 0, sizeof(*out));
    *retry_after_s = 0;
    char email[EMAIL_MAX + 1];
    const char *pw = password ? password : "";
    if (email_normalize(email_in, email, NULL))
        snprintf(email, sizeof(email), "%s", "-"); /* still costs a check, below */
    char ek[EMAIL_MAX + 16], ck[96];
    throttle_keys(email, client, ek, ck);
    int64_t now = clock_now_ms();
    int64_t wait = throttled_for(a, ek, ck, now);
    if (wait) {
        *retry_after_s = wait;
        return err_set(err, ERR_RATE_LIMITED, NULL,
                       "too many failed logins; try again in %" PRId64 " s", wait);
    }

    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(a->store, &conn, err);
    if (rc)
        return rc;
    struct store_stmt *st = NULL;
    struct store_param p[] = { STORE_TEXT(email) };
    rc = store_prepare_params(
        conn, "SELECT id, workspace_id, password_hash FROM users WHERE email = ?", p, 1, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    char user_id[IDS_UUID_LEN] = "", workspace_id[IDS_UUID_LEN] = "", hash[SECRET_HASH_LEN];
    snprintf(hash, sizeof(hash), "%s", a->dummy_hash);
    if (!rc && row) {
        snprintf(user_id, sizeof(user_id), "%s", store_col_text(st, 0));
        snprintf(workspace_id, sizeof(workspace_id), "%s", store_col_text(st, 1));
        snprintf(hash, sizeof(hash), "%s", store_col_text(st, 2));
    }
    store_finalize(st);
    store_release(a->store, conn);
    if (rc)
        return rc;
    /* the same work whether the email exists or not */
    bool match = secret_check_password(hash, pw, strlen(pw)) && row;
    if (!match) {
        int64_t count, reset;
        a->kv->hit(a->kv, ek, LOGIN_WINDOW_MS, now, &count, &reset, NULL);
        a->kv->hit(a->kv, ck, LOGIN_WINDOW_MS, now, &count, &reset, NULL);
        return err_set(err, ERR_UNAUTHORIZED, NULL, "invalid email or password");
    }
    a->kv->clear(a->kv, ek, NULL);
    return issue_token(a, user_id, workspace_id, out, err);
}

/* ---- callers ----------------------------------------------------------------------------- */

static enum err_code load_user(struct store_conn *conn, const char *user_id, struct caller *c,
                               struct err *err)
{
    struct store_stmt *st = NULL;
    struct store_param p[] = { STORE_TEXT(user_id) };
    enum err_code rc = store_prepare_params(conn,
                                            "SELECT u.email, u.role, u.workspace_id, u.api_quota, "
                                            " " PLAN_COLUMNS " FROM users u JOIN workspaces w ON "
                                            "w.id = u.workspace_id WHERE u.id = ?",
                                            p, 1, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = err_set(err, ERR_UNAUTHORIZED, NULL, "the account no longer exists");
    if (!rc) {
        snprintf(c->user_id, sizeof(c->user_id), "%s", user_id);
        snprintf(c->email, sizeof(c->email), "%s", store_col_text(st, 0));
        c->role = user_role_of(store_col_text(st, 1));
        snprintf(c->workspace_id, sizeof(c->workspace_id), "%s", store_col_text(st, 2));
        c->api_quota = store_col_int64(st, 3);
        read_plan_columns(st, 4, c);
    }
    store_finalize(st);
    return rc;
}

enum err_code caller_load(struct store *s, const char *user_id, struct caller *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = load_user(conn, user_id, out, err);
    store_release(s, conn);
    if (rc == ERR_UNAUTHORIZED)
        rc = err_set(err, ERR_NOT_FOUND, NULL, "the account '%s' no longer exists", user_id);
    return rc;
}

static enum err_code revoked(struct store_conn *conn, const char *jti, bool *out, struct err *err)
{
    int64_t n = 0;
    struct store_param p[] = { STORE_TEXT(jti) };
    enum err_code rc =
        store_query_int(conn, "SELECT COUNT(*) FROM revoked_tokens WHERE jti = ?", p, 1, &n, err);
    *out = n > 0;
    return rc;
}

static enum err_code by_token(struct accounts *a, struct store_conn *conn, const char *token,
                              struct caller *c, struct err *err)
{
    struct jwt_claims claims;
    enum err_code rc =
        jwt_verify(token, a->secret, a->secret_len, clock_now_ms() / 1000, &claims, err);
    bool dead = false;
    if (!rc)
        rc = revoked(conn, claims.jti, &dead, err);
    if (!rc && dead)
        rc = err_set(err, ERR_UNAUTHORIZED, NULL, "the token was revoked");
    if (!rc)
        rc = load_user(conn, claims.sub, c, err);
    /* a member who moved is not let in by an old token of their old workspace */
    if (!rc && strcmp(c->workspace_id, claims.ws) != 0)
        rc = err_set(err, ERR_UNAUTHORIZED, NULL, "the token is for another workspace");
    if (!rc) {
        snprintf(c->credential_id, sizeof(c->credential_id), "%s", claims.jti);
        c->token_exp = claims.exp;
    }
    return rc;
}

/*
 * Notes when a key was last used - at most once a minute per key, so busy
 * keys do not turn every request into a write. A failure only loses the note.
 */
static void touch_key(struct store_conn *conn, const char *key_id)
{
    int64_t now = clock_now_ms();
    struct store_param p[] = { STORE_INT(now), STORE_TEXT(key_id), STORE_INT(now - 60000) };
    store_run(conn,
              "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND "
              "(last_used_at IS NULL OR last_used_at < ?)",
              p, ARRAY_SIZE(p), NULL, NULL);
}

static enum err_code by_key(struct store_conn *conn, const char *key, struct caller *c,
                            struct err *err)
{
    char hash[SHA256_HEX_LEN];
    sha256_hex(key, strlen(key), hash);
    struct store_stmt *st = NULL;
    struct store_param p[] = { STORE_TEXT(hash) };
    enum err_code rc = store_prepare_params(
        conn,
        "SELECT k.id, k.user_id, k.key_hash FROM api_keys k JOIN users u ON u.id = k.user_id AND "
        "u.workspace_id = k.workspace_id WHERE k.key_hash = ? AND k.revoked_at IS NULL",
        p, 1, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    /* the lookup was by hash; compare it again in constant time all the same */
    if (!rc && (!row || !secret_equal(store_col_text(st, 2), hash, SHA256_HEX_LEN - 1)))
        rc = err_set(err, ERR_UNAUTHORIZED, NULL, "invalid API key");
    char user_id[IDS_UUID_LEN] = "";
    if (!rc) {
        snprintf(c->credential_id, sizeof(c->credential_id), "%s", store_col_text(st, 0));
        snprintf(user_id, sizeof(user_id), "%s", store_col_text(st, 1));
    }
    store_finalize(st);
    if (!rc)
        rc = load_user(conn, user_id, c, err);
    if (!rc)
        touch_key(conn, c->credential_id);
    if (!rc && !c->plan->api_access)
        rc = err_set(err, ERR_FORBIDDEN, "api_access",
                     "API keys are not available on the %s plan (api_access)", c->plan->name);
    c->via_key = true;
    return rc;
}

enum err_code accounts_authenticate(struct accounts *a, const char *authorization,
                                    struct caller *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct span h = span_trim(span_cstr(authorization ? authorization : ""));
    if (h.len == 0)
        return err_set(err, ERR_UNAUTHORIZED, NULL, "authentication required");
    if (h.len < 8 || strncasecmp(h.ptr, "Bearer ", 7) != 0)
        return err_set(err, ERR_UNAUTHORIZED, NULL,
                       "use 'Authorization: Bearer <token or API key>'");
    char credential[4096];
    struct span value = span_trim(span_make(h.ptr + 7, h.len - 7));
    if (value.len == 0 || value.len >= sizeof(credential))
        return err_set(err, ERR_UNAUTHORIZED, NULL, "invalid token");
    memcpy(credential, value.ptr, value.len);
    credential[value.len] = '\0';

    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(a->store, &conn, err);
    if (rc)
        return rc;
    rc = strncmp(credential, API_KEY_PREFIX, strlen(API_KEY_PREFIX)) == 0
             ? by_key(conn, credential, out, err)
             : by_token(a, conn, credential, out, err);
    store_release(a->store, conn);
    return rc;
}

int64_t accounts_quota_limit(const struct caller *c)
{
    if (c->via_key || c->api_quota < 0)
        return c->api_quota;
    return c->api_quota > ACCOUNTS_SESSION_QUOTA ? c->api_quota : ACCOUNTS_SESSION_QUOTA;
}

enum err_code accounts_quota(struct accounts *a, const struct caller *c, int64_t *retry_after_s,
                             struct err *err)
{
    *retry_after_s = 0;
    char key[64];
    snprintf(key, sizeof(key), "%s:%s", c->via_key ? "quota" : "quota-session", c->user_id);
    int64_t limit = accounts_quota_limit(c);
    int64_t now = clock_now_ms(), count, reset;
    enum err_code rc = a->kv->hit(a->kv, key, 60000, now, &count, &reset, err);
    if (rc)
        return rc;
    if (limit >= 0 && count > limit) {
        *retry_after_s = (reset - now + 999) / 1000;
        return err_set(err, ERR_RATE_LIMITED, NULL,
                       "the quota of %" PRId64 " requests a minute%s is used up; try again in "
                       "%" PRId64 " s",
                       limit, c->via_key ? "" : " for signed-in sessions", *retry_after_s);
    }
    return ERR_OK;
}

enum err_code accounts_logout(struct accounts *a, const struct caller *c, struct err *err)
{
    if (c->via_key)
        return err_set(err, ERR_INVALID, NULL,
                       "an API key is revoked with DELETE /api/api-keys/:id");
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(a->store, &conn, err);
    if (rc)
        return rc;
    struct store_param token[] = { STORE_TEXT(c->credential_id), STORE_INT(c->token_exp * 1000) };
    rc = store_run(conn,
                   "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) "
                   "ON CONFLICT (jti) DO NOTHING",
                   token, 2, NULL, err);
    /* the rows of tokens that have expired anyway are not needed any more */
    struct store_param now[] = { STORE_INT(clock_now_ms()) };
    if (!rc)
        rc = store_run(conn, "DELETE FROM revoked_tokens WHERE expires_at < ?", now, 1, NULL, err);
    store_release(a->store, conn);
    return rc;
}

/* ---- reading ---------------------------------------------------------------------------- */

void workspace_view_read(struct store_stmt *st, int col, const char *id, struct workspace_view *ws)
{
    snprintf(ws->id, sizeof(ws->id), "%s", id);
    snprintf(ws->name, sizeof(ws->name), "%s", store_col_text(st, col));
    ws->plan = plan_find(store_col_text(st, col + 1));
    if (!ws->plan)
        ws->plan = plan_of(PLAN_FREE);
    ws->current_period_start = store_col_int64(st, col + 2);
    ws->current_period_end = store_col_int64(st, col + 3);
    ws->extra_personas = store_col_int64(st, col + 4);
    snprintf(ws->scheduled_plan, sizeof(ws->scheduled_plan), "%s",
             store_col_is_null(st, col + 5) ? "" : store_col_text(st, col + 5));
    ws->created_at = store_col_int64(st, col + 6);
}

enum err_code accounts_me(struct accounts *a, const struct caller *c, struct user_view *user,
                          struct workspace_view *ws, struct err *err)
{
    memset(user, 0, sizeof(*user));
    memset(ws, 0, sizeof(*ws));
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(a->store, &conn, err);
    if (rc)
        return rc;
    struct store_stmt *st = NULL;
    struct store_param p[] = { STORE_TEXT(c->user_id), STORE_TEXT(c->workspace_id) };
    rc = store_prepare_params(
        conn,
        "SELECT u.email, u.company, u.role, u.api_quota, u.created_at, " WORKSPACE_COLUMNS
        " FROM users u JOIN workspaces w ON w.id = u.workspace_id WHERE u.id = ? AND w.id = ?",
        p, 2, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = err_set(err, ERR_UNAUTHORIZED, NULL, "the account no longer exists");
    if (!rc) {
        snprintf(user->id, sizeof(user->id), "%s", c->user_id);
        snprintf(user->email, sizeof(user->email), "%s", store_col_text(st, 0));
        snprintf(user->company, sizeof(user->company), "%s", store_col_text(st, 1));
        user->role = user_role_of(store_col_text(st, 2));
        user->api_quota = store_col_int64(st, 3);
        user->created_at = store_col_int64(st, 4);
        snprintf(user->workspace_id, sizeof(user->workspace_id), "%s", c->workspace_id);
        workspace_view_read(st, 5, c->workspace_id, ws);
    }
    store_finalize(st);
    store_release(a->store, conn);
    return rc;
}
