/*
 * domain/members.c - the workspace, its members and its invites (see
 * members.h). Every statement carries the caller's workspace id; every
 * write runs in one write transaction (store_begin_write), so a check and
 * the change it guards (the last admin, the member limit) are one step.
 */
#include "core/compat.h"

#include "domain/members.h"

#include <ctype.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/sha256.h"
#include "core/span.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "store/store.h"

/* ---- helpers ----------------------------------------------------------------------------- */

/*
 * The first step of an admin's change to the member or invite id names:
 * ERR_FORBIDDEN unless c is an admin; then id copied into out in lower case
 * when it is a UUID (the form ids are stored in), ERR_NOT_FOUND naming what
 * otherwise, as for an id that exists nowhere.
 */
static enum err_code admin_target(const struct caller *c, const char *id, const char *what,
                                  char out[IDS_UUID_LEN], struct err *err)
{
    enum err_code rc = gate_admin(c, err);
    if (rc)
        return rc;
    if (!id || !ids_is_uuid(id, strlen(id)))
        return err_set(err, ERR_NOT_FOUND, "id", "no such %s", what);
    for (size_t i = 0; i < IDS_UUID_LEN - 1; i++)
        out[i] = (char)tolower((unsigned char)id[i]);
    out[IDS_UUID_LEN - 1] = '\0';
    return ERR_OK;
}

/* The role called name (NULL: fallback), or ERR_INVALID on field "role". */
static enum err_code parse_role(const char *name, enum user_role fallback, enum user_role *out,
                                struct err *err)
{
    if (!name) {
        *out = fallback;
        return ERR_OK;
    }
    int r = user_role_parse(name);
    if (r < 0)
        return err_set(err, ERR_INVALID, "role", "role: '%.*s' is not a role (user or admin)",
                       (int)utf8_cut(name, strlen(name), 32), name);
    *out = (enum user_role)r;
    return ERR_OK;
}

/*
 * Takes a connection and begins a write transaction on it. Whatever it
 * answers, end_write ends it: *conn is NULL when no connection was taken.
 */
static enum err_code begin_write(struct store *s, struct store_conn **conn, struct err *err)
{
    enum err_code rc = store_acquire(s, conn, err);
    if (!rc)
        rc = store_begin_write(*conn, err);
    return rc;
}

/* Commits when rc is ERR_OK, rolls back otherwise, and gives the connection back: the outcome. */
static enum err_code end_write(struct store *s, struct store_conn *conn, enum err_code rc,
                               struct err *err)
{
    if (!conn)
        return rc;
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    return rc;
}

/* Reads the current row of a list's query into item, an element of the list. */
typedef void read_item_fn(struct store_stmt *st, void *item);

/*
 * Runs sql, whose one parameter is the workspace id, and reads every row with
 * read_item into a new array of size-byte items: *items (malloc'd, NULL when
 * there are none) and *n. On error nothing is left allocated.
 */
static enum err_code select_list(struct store *s, const char *sql, const char *workspace_id,
                                 size_t size, read_item_fn *read_item, void **items, size_t *n,
                                 struct err *err)
{
    *items = NULL;
    *n = 0;
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_stmt *st = NULL;
    struct store_param ws[] = { STORE_TEXT(workspace_id) };
    rc = store_prepare_params(conn, sql, ws, 1, &st, err);
    char *list = NULL;
    size_t count = 0, alloc = 0;
    bool row = true;
    while (!rc && row) {
        rc = store_step(st, &row, err);
        if (rc || !row)
            break;
        if (count == alloc) {
            alloc = alloc ? st_mult(alloc, 2) : 8;
            list = xrealloc(list, st_mult(alloc, size));
        }
        read_item(st, list + count++ * size);
    }
    store_finalize(st);
    store_release(s, conn);
    if (rc) {
        free(list);
        return rc;
    }
    *items = list;
    *n = count;
    return ERR_OK;
}

/* ---- the workspace ----------------------------------------------------------------------- */

static enum err_code read_workspace(struct store_conn *conn, const char *workspace_id,
                                    struct workspace_view *ws, struct err *err)
{
    memset(ws, 0, sizeof(*ws));
    struct store_stmt *st = NULL;
    struct store_param texts[] = { STORE_TEXT(workspace_id) };
    enum err_code rc = store_prepare_params(
        conn, "SELECT " WORKSPACE_COLUMNS " FROM workspaces w WHERE w.id = ?", texts, 1, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = err_set(err, ERR_NOT_FOUND, NULL, "the workspace no longer exists");
    if (!rc)
        workspace_view_read(st, 0, workspace_id, ws);
    store_finalize(st);
    return rc;
}

enum err_code members_workspace(struct store *s, const struct caller *c, struct workspace_view *ws,
                                struct usage *usage, struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    /* one read transaction, so the workspace and its usage are one snapshot */
    rc = store_begin(conn, err);
    struct workspace_view scratch;
    if (!rc)
        rc = read_workspace(conn, c->workspace_id, ws ? ws : &scratch, err);
    if (!rc && usage)
        rc = usage_count(conn, c->workspace_id, usage, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    return rc;
}

/* Trims name into out and checks it: 1..WORKSPACE_NAME_MAX bytes of UTF-8, no control characters.
 */
static enum err_code check_name(const char *name, char out[WORKSPACE_NAME_MAX + 1], struct err *err)
{
    struct span t = span_trim(span_cstr(name ? name : ""));
    if (t.len == 0)
        return err_set(err, ERR_INVALID, "name", "name is required");
    if (!utf8_valid(t.ptr, t.len))
        return err_set(err, ERR_INVALID, "name", "name is not valid UTF-8");
    if (t.len > WORKSPACE_NAME_MAX)
        return err_set(err, ERR_INVALID, "name",
                       "name: at most %d bytes of UTF-8 (%zu characters given)", WORKSPACE_NAME_MAX,
                       utf8_chars(t.ptr, t.len));
    for (size_t i = 0; i < t.len; i++) {
        unsigned char ch = (unsigned char)t.ptr[i];
        if (ch < 0x20 || ch == 0x7f)
            return err_set(err, ERR_INVALID, "name", "name: control characters are not allowed");
    }
    memcpy(out, t.ptr, t.len);
    out[t.len] = '\0';
    return ERR_OK;
}

enum err_code members_rename(struct store *s, const struct caller *c, const char *name,
                             struct workspace_view *out, struct err *err)
{
    char clean[WORKSPACE_NAME_MAX + 1];
    enum err_code rc = gate_admin(c, err);
    if (!rc)
        rc = check_name(name, clean, err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = begin_write(s, &conn, err);
    int64_t changed = 0;
    struct store_param texts[] = { STORE_TEXT(clean), STORE_TEXT(c->workspace_id) };
    if (!rc)
        rc =
            store_run(conn, "UPDATE workspaces SET name = ? WHERE id = ?", texts, 2, &changed, err);
    if (!rc && changed == 0)
        rc = err_set(err, ERR_NOT_FOUND, NULL, "the workspace no longer exists");
    struct workspace_view scratch;
    if (!rc)
        rc = read_workspace(conn, c->workspace_id, out ? out : &scratch, err);
    return end_write(s, conn, rc, err);
}

/* ---- members ----------------------------------------------------------------------------- */

#define USER_COLUMNS "id, email, company, role, workspace_id, api_quota, created_at"

/* Reads a row of USER_COLUMNS into item, a struct user_view (a read_item_fn). */
static void read_user(struct store_stmt *st, void *item)
{
    struct user_view *u = item;
    memset(u, 0, sizeof(*u));
    snprintf(u->id, sizeof(u->id), "%s", store_col_text(st, 0));
    snprintf(u->email, sizeof(u->email), "%s", store_col_text(st, 1));
    snprintf(u->company, sizeof(u->company), "%s", store_col_text(st, 2));
    u->role = user_role_of(store_col_text(st, 3));
    snprintf(u->workspace_id, sizeof(u->workspace_id), "%s", store_col_text(st, 4));
    u->api_quota = store_col_int64(st, 5);
    u->created_at = store_col_int64(st, 6);
}

/* The member user_id of workspace_id into *u; ERR_NOT_FOUND when it has no such member. */
static enum err_code find_member(struct store_conn *conn, const char *workspace_id,
                                 const char *user_id, struct user_view *u, struct err *err)
{
    struct store_stmt *st = NULL;
    struct store_param texts[] = { STORE_TEXT(user_id), STORE_TEXT(workspace_id) };
    enum err_code rc = store_prepare_params(
        conn, "SELECT " USER_COLUMNS " FROM users WHERE id = ? AND workspace_id = ?", texts, 2, &st,
        err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = err_set(err, ERR_NOT_FOUND, "id", "no member '%s' in this workspace", user_id);
    if (!rc)
        read_user(st, u);
    store_finalize(st);
    return rc;
}

/*
 * Before a change that takes u's admin role away: ERR_CONFLICT on field
 * when u is the workspace's last admin, the message ending with why.
 */
static enum err_code keep_an_admin(struct store_conn *conn, const struct user_view *u,
                                   const char *field, const char *why, struct err *err)
{
    if (u->role != ROLE_ADMIN)
        return ERR_OK;
    int64_t admins = 0;
    struct store_param ws[] = { STORE_TEXT(u->workspace_id) };
    enum err_code rc = store_query_int(
        conn, "SELECT COUNT(*) FROM users WHERE workspace_id = ? AND role = 'admin'", ws, 1,
        &admins, err);
    if (!rc && admins <= 1)
        rc = err_set(err, ERR_CONFLICT, field, "'%s' is the workspace's last admin%s", u->email,
                     why);
    return rc;
}

enum err_code members_all(struct store *s, const struct caller *c, struct user_view **out,
                          size_t *n, struct err *err)
{
    void *items = NULL;
    enum err_code rc = select_list(s,
                                   "SELECT " USER_COLUMNS " FROM users WHERE workspace_id = ? "
                                   "ORDER BY created_at, id",
                                   c->workspace_id, sizeof(**out), read_user, &items, n, err);
    *out = items;
    return rc;
}

enum err_code members_set_role(struct store *s, const struct caller *c, const char *user_id,
                               const char *role, struct user_view *out, struct err *err)
{
    char id[IDS_UUID_LEN];
    enum user_role new_role = ROLE_USER;
    enum err_code rc = admin_target(c, user_id, "member", id, err);
    if (!rc && !role)
        rc = err_set(err, ERR_INVALID, "role", "role is required (user or admin)");
    if (!rc)
        rc = parse_role(role, ROLE_USER, &new_role, err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = begin_write(s, &conn, err);
    struct user_view u;
    if (!rc)
        rc = find_member(conn, c->workspace_id, id, &u, err);
    if (!rc && new_role != ROLE_ADMIN)
        rc = keep_an_admin(conn, &u, "role", ": make another member an admin first", err);
    struct store_param texts[] = { STORE_TEXT(user_role_name(new_role)), STORE_TEXT(id),
                                   STORE_TEXT(c->workspace_id) };
    if (!rc && u.role != new_role)
        rc = store_run(conn, "UPDATE users SET role = ? WHERE id = ? AND workspace_id = ?", texts,
                       3, NULL, err);
    if (!rc)
        u.role = new_role;
    rc = end_write(s, conn, rc, err);
    if (!rc && out)
        *out = u;
    return rc;
}

enum err_code members_delete(struct store *s, const struct caller *c, const char *user_id,
                             struct err *err)
{
    char id[IDS_UUID_LEN];
    enum err_code rc = admin_target(c, user_id, "member", id, err);
    if (!rc && strcmp(id, c->user_id) == 0)
        rc = err_set(err, ERR_CONFLICT, "id", "you cannot remove yourself");
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = begin_write(s, &conn, err);
    struct user_view u;
    if (!rc)
        rc = find_member(conn, c->workspace_id, id, &u, err);
    /* the caller is an admin who stays, but their role was read when the request began */
    if (!rc)
        rc = keep_an_admin(conn, &u, "id", " and cannot be removed", err);
    /* the keys first (they reference the user), then the user: their tokens die with the row */
    struct store_param texts[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id) };
    if (!rc)
        rc = store_run(conn, "DELETE FROM api_keys WHERE user_id = ? AND workspace_id = ?", texts,
                       2, NULL, err);
    int64_t changed = 0;
    if (!rc)
        rc = store_run(conn, "DELETE FROM users WHERE id = ? AND workspace_id = ?", texts, 2,
                       &changed, err);
    if (!rc && NEVER(changed != 1))
        rc = err_set(err, ERR_INTERNAL, NULL, "member '%s': %" PRId64 " rows deleted", id, changed);
    return end_write(s, conn, rc, err);
}

/* ---- invites ----------------------------------------------------------------------------- */

static const char *const INVITE_STATES[] = { "open", "accepted", "expired" };

const char *invite_state_name(enum invite_state s)
{
    return (unsigned)s < ARRAY_SIZE(INVITE_STATES) ? INVITE_STATES[s] : "open";
}

static enum invite_state state_of(const struct invite_view *v, int64_t now)
{
    if (v->accepted_at > 0)
        return INVITE_ACCEPTED;
    return v->expires_at <= now ? INVITE_EXPIRED : INVITE_OPEN;
}

enum err_code members_invite(struct store *s, const struct caller *c, const char *email,
                             const char *role, struct invite_view *out,
                             char token[INVITE_TOKEN_LEN], struct err *err)
{
    memset(out, 0, sizeof(*out));
    token[0] = '\0';
    enum user_role r = ROLE_USER;
    enum err_code rc = gate_admin(c, err);
    if (!rc)
        rc = email_normalize(email, out->email, err);
    if (!rc)
        rc = parse_role(role, ROLE_USER, &r, err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = begin_write(s, &conn, err);
    int64_t taken = 0;
    struct store_param by_email[] = { STORE_TEXT(out->email) };
    if (!rc)
        rc = store_query_int(conn, "SELECT COUNT(*) FROM users WHERE email = ?", by_email, 1,
                             &taken, err);
    if (!rc && taken)
        rc = err_set(err, ERR_CONFLICT, "email", "email: an account with '%s' exists", out->email);
    /* an earlier invite of this email is replaced, so it frees its seat before the count */
    struct store_param replaced[] = { STORE_TEXT(c->workspace_id), STORE_TEXT(out->email) };
    if (!rc)
        rc = store_run(conn,
                       "DELETE FROM invites WHERE workspace_id = ? AND email = ? AND "
                       "accepted_at IS NULL",
                       replaced, 2, NULL, err);
    if (!rc)
        rc = gate_room(conn, c, LIMIT_MEMBERS, 1, err);
    char hash[SHA256_HEX_LEN];
    if (!rc) {
        ids_uuid7(out->id);
        ids_random_hex(token, INVITE_TOKEN_BYTES);
        sha256_hex(token, strlen(token), hash);
        out->role = r;
        snprintf(out->invited_by, sizeof(out->invited_by), "%s", c->user_id);
        out->created_at = clock_now_ms();
        out->expires_at = out->created_at + INVITE_TTL_MS;
        out->state = INVITE_OPEN;
    }
    struct store_param row[] = { STORE_TEXT(out->id),        STORE_TEXT(c->workspace_id),
                                 STORE_TEXT(out->email),     STORE_TEXT(user_role_name(r)),
                                 STORE_TEXT(hash),           STORE_TEXT(c->user_id),
                                 STORE_INT(out->created_at), STORE_INT(out->expires_at) };
    if (!rc)
        rc = store_run(conn,
                       "INSERT INTO invites (id, workspace_id, email, role, token_hash, "
                       "invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       row, ARRAY_SIZE(row), NULL, err);
    rc = end_write(s, conn, rc, err);
    if (rc) {
        /* nothing half made leaves here, least of all a token that was never stored */
        memset(token, 0, INVITE_TOKEN_LEN);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

/* Reads a row of an invites query into item, a struct invite_view (a read_item_fn). */
static void read_invite(struct store_stmt *st, void *item)
{
    struct invite_view *v = item;
    memset(v, 0, sizeof(*v));
    snprintf(v->id, sizeof(v->id), "%s", store_col_text(st, 0));
    snprintf(v->email, sizeof(v->email), "%s", store_col_text(st, 1));
    v->role = user_role_of(store_col_text(st, 2));
    snprintf(v->invited_by, sizeof(v->invited_by), "%s", store_col_text(st, 3));
    v->created_at = store_col_int64(st, 4);
    v->expires_at = store_col_int64(st, 5);
    v->accepted_at = store_col_is_null(st, 6) ? 0 : store_col_int64(st, 6);
}

enum err_code members_invites(struct store *s, const struct caller *c, struct invite_view **out,
                              size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    enum err_code rc = gate_admin(c, err);
    if (rc)
        return rc;
    int64_t now = clock_now_ms(); /* one moment for every invite's state */
    void *items = NULL;
    rc = select_list(s,
                     "SELECT id, email, role, invited_by, created_at, expires_at, accepted_at "
                     "FROM invites WHERE workspace_id = ? ORDER BY created_at DESC, id DESC",
                     c->workspace_id, sizeof(**out), read_invite, &items, n, err);
    *out = items;
    for (size_t i = 0; i < *n; i++)
        (*out)[i].state = state_of(&(*out)[i], now);
    return rc;
}

enum err_code members_revoke_invite(struct store *s, const struct caller *c, const char *invite_id,
                                    struct err *err)
{
    char id[IDS_UUID_LEN];
    enum err_code rc = admin_target(c, invite_id, "invite", id, err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = begin_write(s, &conn, err);
    struct store_stmt *st = NULL;
    struct store_param texts[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id) };
    if (!rc)
        rc = store_prepare_params(
            conn, "SELECT accepted_at FROM invites WHERE id = ? AND workspace_id = ?", texts, 2,
            &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = err_set(err, ERR_NOT_FOUND, "id", "no invite '%s' in this workspace", id);
    if (!rc && !store_col_is_null(st, 0))
        rc = err_set(err, ERR_CONFLICT, "id", "the invite was accepted: remove the member instead");
    store_finalize(st);
    if (!rc)
        rc = store_run(conn, "DELETE FROM invites WHERE id = ? AND workspace_id = ?", texts, 2,
                       NULL, err);
    return end_write(s, conn, rc, err);
}
