/*
 * domain/api_keys.c - creating, listing and revoking API keys (see
 * api_keys.h). The key is built from ids_random_hex (libsodium's CSPRNG),
 * returned once, and only its SHA-256 hex and a display prefix are stored.
 * Every statement binds the caller's workspace id.
 */
#include "core/compat.h"

#include "domain/api_keys.h"

#include "core/clock.h"
#include "core/sha256.h"
#include "core/span.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/gate.h"
#include "store/store.h"

void api_key_list_release(struct api_key_list *l)
{
    free(l->items);
    memset(l, 0, sizeof(*l));
}

/* ---- helpers ----------------------------------------------------------------------------- */

/* Checks a key's name (trimmed: 1..API_KEY_NAME_MAX characters, one line); *out is the trimmed
 * part. */
static enum err_code check_name(const char *name, struct span *out, struct err *err)
{
    if (!name)
        return err_set(err, ERR_INVALID, "name", "name is required");
    struct span v = span_trim(span_cstr(name));
    if (!utf8_valid(v.ptr, v.len))
        return err_set(err, ERR_INVALID, "name", "name: not valid UTF-8 text");
    for (size_t i = 0; i < v.len; i++) {
        unsigned char ch = (unsigned char)v.ptr[i];
        if (ch < 0x20 || ch == 0x7f)
            return err_set(err, ERR_INVALID, "name", "name: control characters are not allowed");
    }
    size_t chars = utf8_chars(v.ptr, v.len);
    if (chars == 0)
        return err_set(err, ERR_INVALID, "name", "name must not be empty");
    if (chars > API_KEY_NAME_MAX)
        return err_set(err, ERR_INVALID, "name", "name: at most %d characters (got %zu)",
                       API_KEY_NAME_MAX, chars);
    *out = v;
    return ERR_OK;
}

static enum err_code not_found(const char *id, struct err *err)
{
    size_t len = id ? strlen(id) : 0;
    return err_set(err, ERR_NOT_FOUND, "id", "no API key '%.*s'", (int)(len > 64 ? 64 : len),
                   id ? id : "");
}

/* Runs st (parameters bound) to completion. */
static enum err_code run(struct store_stmt *st, struct err *err)
{
    bool row;
    return store_step(st, &row, err);
}

/* ---- create ------------------------------------------------------------------------------ */

static enum err_code count_live(struct store_conn *conn, const char *workspace_id, int64_t *out,
                                struct err *err)
{
    struct store_stmt *st = NULL;
    enum err_code rc = store_prepare(
        conn, "SELECT COUNT(*) FROM api_keys WHERE workspace_id = ? AND revoked_at IS NULL", &st,
        err);
    bool row = false;
    if (!rc) {
        store_bind_text(st, 1, workspace_id);
        rc = store_step(st, &row, err);
    }
    *out = !rc && row ? store_col_int64(st, 0) : 0;
    store_finalize(st);
    return rc;
}

static enum err_code insert_key(struct store_conn *conn, const struct api_key *k,
                                const char *workspace_id, const char *hash, struct err *err)
{
    struct store_stmt *st = NULL;
    enum err_code rc = store_prepare(conn,
                                     "INSERT INTO api_keys (id, workspace_id, user_id, name, "
                                     "prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                     &st, err);
    if (rc)
        return rc;
    store_bind_text(st, 1, k->id);
    store_bind_text(st, 2, workspace_id);
    store_bind_text(st, 3, k->user_id);
    store_bind_text(st, 4, k->name);
    store_bind_text(st, 5, k->prefix);
    store_bind_text(st, 6, hash);
    store_bind_int64(st, 7, k->created_at);
    rc = run(st, err);
    store_finalize(st);
    return rc;
}

enum err_code api_key_create(struct store *s, const struct caller *c, const char *name,
                             struct api_key *out, char key[API_KEY_TEXT_LEN], struct err *err)
{
    memset(out, 0, sizeof(*out));
    key[0] = '\0';
    enum err_code rc = gate_feature(c, FEATURE_API_ACCESS, err);
    if (rc)
        return rc;
    if (c->via_key)
        return err_set(err, ERR_FORBIDDEN, "api_access",
                       "API keys are created when signed in with a token, not with an API key");
    struct span v = { 0 };
    rc = check_name(name, &v, err);
    if (rc)
        return rc;

    struct api_key k = { 0 };
    ids_uuid7(k.id);
    snprintf(k.user_id, sizeof(k.user_id), "%s", c->user_id);
    memcpy(k.name, v.ptr, v.len); /* v.len <= API_KEY_NAME_MAX * 4: UTF-8 is 4 bytes at most */
    k.name[v.len] = '\0';
    k.created_at = clock_now_ms();
    char secret[API_KEY_TEXT_LEN];
    memcpy(secret, API_KEY_PREFIX, sizeof(API_KEY_PREFIX) - 1);
    ids_random_hex(secret + sizeof(API_KEY_PREFIX) - 1, API_KEY_RANDOM_BYTES);
    snprintf(k.prefix, sizeof(k.prefix), "%.*s", (int)(sizeof(k.prefix) - 1), secret);
    char hash[SHA256_HEX_LEN];
    sha256_hex(secret, strlen(secret), hash);

    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    int64_t live = 0;
    rc = store_begin_write(conn, err);
    /* counted under the write lock: the count and the insert are one step */
    if (!rc)
        rc = count_live(conn, c->workspace_id, &live, err);
    if (!rc && live >= API_KEYS_MAX_LIVE)
        rc = err_set(err, ERR_PLAN_LIMIT, "api_keys",
                     "api_keys: a workspace may have %d live API keys and this one has %" PRId64
                     "; revoke one first",
                     API_KEYS_MAX_LIVE, live);
    if (!rc)
        rc = insert_key(conn, &k, c->workspace_id, hash, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (!rc) {
        *out = k;
        memcpy(key, secret, sizeof(secret));
    }
    explicit_bzero(secret, sizeof(secret)); /* the only copy left is the caller's */
    return rc;
}

/* ---- list -------------------------------------------------------------------------------- */

static void read_key(struct store_stmt *st, struct api_key *k)
{
    snprintf(k->id, sizeof(k->id), "%s", store_col_text(st, 0));
    snprintf(k->user_id, sizeof(k->user_id), "%s", store_col_text(st, 1));
    snprintf(k->name, sizeof(k->name), "%s", store_col_text(st, 2));
    snprintf(k->prefix, sizeof(k->prefix), "%s", store_col_text(st, 3));
    k->created_at = store_col_int64(st, 4);
    k->last_used_at = store_col_is_null(st, 5) ? 0 : store_col_int64(st, 5);
    k->revoked_at = store_col_is_null(st, 6) ? 0 : store_col_int64(st, 6);
}

enum err_code api_key_list(struct store *s, const struct caller *c, struct api_key_list *out,
                           struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_stmt *st = NULL;
    rc = store_prepare(conn,
                       "SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at "
                       "FROM api_keys WHERE workspace_id = ? ORDER BY (revoked_at IS NOT NULL), "
                       "revoked_at DESC, created_at DESC, id DESC LIMIT ?",
                       &st, err);
    if (!rc) {
        store_bind_text(st, 1, c->workspace_id);
        store_bind_int64(st, 2, API_KEYS_LIST_MAX);
        out->items = xcalloc(API_KEYS_LIST_MAX, sizeof(*out->items));
    }
    bool row = true;
    while (!rc && out->n < API_KEYS_LIST_MAX) {
        rc = store_step(st, &row, err);
        if (rc || !row)
            break;
        read_key(st, &out->items[out->n++]);
    }
    store_finalize(st);
    store_release(s, conn);
    if (rc)
        api_key_list_release(out);
    return rc;
}

/* ---- revoke ------------------------------------------------------------------------------ */

/* Reads the creator of key id of workspace_id and whether it is revoked; ERR_NOT_FOUND. */
static enum err_code key_owner(struct store_conn *conn, const char *workspace_id, const char *id,
                               char user_id[IDS_UUID_LEN], bool *revoked, struct err *err)
{
    struct store_stmt *st = NULL;
    enum err_code rc = store_prepare(
        conn, "SELECT user_id, revoked_at FROM api_keys WHERE id = ? AND workspace_id = ?", &st,
        err);
    bool row = false;
    if (!rc) {
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, workspace_id);
        rc = store_step(st, &row, err);
    }
    if (!rc && !row)
        rc = not_found(id, err);
    if (!rc) {
        snprintf(user_id, IDS_UUID_LEN, "%s", store_col_text(st, 0));
        *revoked = !store_col_is_null(st, 1);
    }
    store_finalize(st);
    return rc;
}

enum err_code api_key_revoke(struct store *s, const struct caller *c, const char *id,
                             struct err *err)
{
    if (!id || !ids_is_uuid(id, strlen(id)))
        return not_found(id, err);
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    char owner[IDS_UUID_LEN] = "";
    bool revoked = false;
    struct store_stmt *st = NULL;
    rc = store_begin_write(conn, err);
    if (!rc)
        rc = key_owner(conn, c->workspace_id, id, owner, &revoked, err);
    /* a member revokes their own keys; an admin any key of the workspace */
    if (!rc && strcmp(owner, c->user_id) != 0)
        rc = gate_admin(c, err);
    /* revoked already: nothing to do, and the first revocation time stays */
    if (!rc && !revoked)
        rc = store_prepare(conn,
                           "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND workspace_id = ? "
                           "AND revoked_at IS NULL",
                           &st, err);
    if (!rc && st) {
        store_bind_int64(st, 1, clock_now_ms());
        store_bind_text(st, 2, id);
        store_bind_text(st, 3, c->workspace_id);
        rc = run(st, err);
    }
    store_finalize(st);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    return rc;
}
