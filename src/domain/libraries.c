/*
 * domain/libraries.c - persona libraries inside the caller's workspace
 * (see libraries.h): CRUD of the libraries rows, membership in
 * library_personas, the name's uniqueness and the two caps. Every
 * statement that reads or writes a libraries or library_personas row binds
 * the caller's workspace id, so a row of another workspace can never
 * match; a persona is checked against the personas of that workspace
 * before it is added.
 */
#include "core/compat.h"

#include "domain/libraries.h"

#include "core/clock.h"
#include "core/span.h"
#include "core/xalloc.h"
#include "domain/check.h"
#include "store/store.h"

/* The columns read_row reads, from "libraries l"; the last is the member count. */
#define LIBRARY_COLUMNS                                                         \
    "l.id, l.workspace_id, l.name, l.description, l.created_at, l.updated_at, " \
    "(SELECT COUNT(*) FROM library_personas m WHERE m.library_id = l.id AND "   \
    "m.workspace_id = l.workspace_id)"

#define QUOTED_ID_MAX 64 /* bytes of an unknown id quoted back */

void library_release(struct library *l)
{
    free(l->name);
    free(l->description);
    strlist_release(&l->persona_ids);
    memset(l, 0, sizeof(*l));
}

void library_page_release(struct library_page *pg)
{
    for (size_t i = 0; i < pg->n; i++)
        library_release(&pg->items[i]);
    free(pg->items);
    memset(pg, 0, sizeof(*pg));
}

/* ---- validation -------------------------------------------------------------------------- */

/*
 * The validated fields of an input, NUL-terminated so they bind as text;
 * NULL for a field not given (which binds NULL: update keeps the column).
 * Not to be copied: name points into name_buf.
 */
struct checked {
    const char *name;                        /* name_buf, or NULL */
    const char *description;                 /* the input's own, "" on create, or NULL */
    char name_buf[LIBRARY_NAME_MAX * 4 + 1]; /* the trimmed name; at most 4 bytes a character */
};

static enum err_code check_input(const struct library_input *in, bool creating, struct checked *out,
                                 struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (creating && !in->name)
        return err_set(err, ERR_INVALID, "name", "name is required");
    if (!creating && !in->name && !in->description)
        return err_set(err, ERR_INVALID, NULL, "nothing to change: give name and/or description");
    struct span name = { NULL, 0 }, description; /* description: only checked, bound as given */
    enum err_code rc = ERR_OK;
    if (in->name)
        rc = check_text("name", in->name, 1, LIBRARY_NAME_MAX, TEXT_TRIM, &name, err);
    if (!rc && in->description)
        rc = check_text("description", in->description, 0, LIBRARY_DESCRIPTION_MAX, TEXT_MULTILINE,
                        &description, err);
    if (rc)
        return rc;
    if (in->name) {
        snprintf(out->name_buf, sizeof(out->name_buf), "%.*s", (int)name.len, name.ptr);
        out->name = out->name_buf;
    }
    out->description = in->description;
    if (creating && !in->description)
        out->description = "";
    return ERR_OK;
}

static enum err_code not_found(const char *id, struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "id", "no library '%s'", id);
}

/* ---- rows -------------------------------------------------------------------------------- */

/* Copies the current row (LIBRARY_COLUMNS from column 0) into l. */
static void read_row(struct store_stmt *st, struct library *l)
{
    snprintf(l->id, sizeof(l->id), "%s", store_col_text(st, 0));
    snprintf(l->workspace_id, sizeof(l->workspace_id), "%s", store_col_text(st, 1));
    l->name = xstrdup_or_null(store_col_text(st, 2));
    l->description = xstrdup_or_null(store_col_text(st, 3));
    if (!l->name)
        l->name = xstrdup("");
    if (!l->description)
        l->description = xstrdup("");
    l->created_at = store_col_int64(st, 4);
    l->updated_at = store_col_int64(st, 5);
    l->persona_count = store_col_int64(st, 6);
}

/* ERR_OK when workspace_id has library id (on conn); ERR_NOT_FOUND otherwise. */
enum err_code library_exists(struct store_conn *conn, const char *workspace_id, const char *id,
                             struct err *err)
{
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(workspace_id) };
    int64_t n = 0;
    enum err_code rc = store_query_int(
        conn, "SELECT COUNT(*) FROM libraries WHERE id = ? AND workspace_id = ?", p, 2, &n, err);
    if (!rc && n == 0)
        rc = not_found(id, err);
    return rc;
}

/* Appends the persona ids of library id (of workspace_id) to out, oldest member first. */
static enum err_code select_members(struct store_conn *conn, const char *workspace_id,
                                    const char *id, struct strlist *out, struct err *err)
{
    struct store_stmt *st = NULL;
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(workspace_id) };
    enum err_code rc = store_prepare_params(conn,
                                            "SELECT persona_id FROM library_personas WHERE "
                                            "library_id = ? AND workspace_id = ? "
                                            "ORDER BY added_at, persona_id",
                                            p, 2, &st, err);
    bool row = true;
    while (!rc && row) {
        rc = store_step(st, &row, err);
        if (!rc && row)
            strlist_add(out, store_col_text(st, 0));
    }
    store_finalize(st);
    return rc;
}

/*
 * Reads library id of workspace_id on conn into out, with its members;
 * ERR_NOT_FOUND when there is none. out is released on failure.
 */
static enum err_code select_one(struct store_conn *conn, const char *workspace_id, const char *id,
                                struct library *out, struct err *err)
{
    struct store_stmt *st = NULL;
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(workspace_id) };
    enum err_code rc = store_prepare_params(
        conn, "SELECT " LIBRARY_COLUMNS " FROM libraries l WHERE l.id = ? AND l.workspace_id = ?",
        p, 2, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = not_found(id, err);
    if (!rc)
        read_row(st, out);
    store_finalize(st);
    if (!rc)
        rc = select_members(conn, workspace_id, id, &out->persona_ids, err);
    if (!rc)
        out->persona_count = (int64_t)out->persona_ids.n; /* the same transaction: equal */
    if (rc)
        library_release(out);
    return rc;
}

/*
 * ERR_CONFLICT naming "name" when another library of workspace_id than
 * except_id ("" on create) is called name, ignoring case (strlist_has).
 * Run under the write lock, so nothing can take the name before the write.
 * The workspace has at most LIBRARY_MAX names to compare.
 */
static enum err_code check_name_free(struct store_conn *conn, const char *workspace_id,
                                     const char *except_id, const char *name, struct err *err)
{
    struct store_stmt *st = NULL;
    struct store_param p[] = { STORE_TEXT(workspace_id), STORE_TEXT(except_id) };
    enum err_code rc = store_prepare_params(
        conn, "SELECT name FROM libraries WHERE workspace_id = ? AND id <> ?", p, 2, &st, err);
    struct strlist names = { 0 };
    bool row = true;
    while (!rc && row) {
        rc = store_step(st, &row, err);
        if (!rc && row)
            strlist_add(&names, store_col_text(st, 0));
    }
    store_finalize(st);
    if (!rc && strlist_has(&names, name))
        rc = err_set(err, ERR_CONFLICT, "name", "name: the workspace has a library named '%s'",
                     name);
    strlist_release(&names);
    return rc;
}

/* Sets updated_at of library id (of workspace_id) to now. */
static enum err_code touch(struct store_conn *conn, const char *workspace_id, const char *id,
                           int64_t now, struct err *err)
{
    struct store_param p[] = { STORE_INT(now), STORE_TEXT(id), STORE_TEXT(workspace_id) };
    return store_run(conn, "UPDATE libraries SET updated_at = ? WHERE id = ? AND workspace_id = ?",
                     p, ARRAY_SIZE(p), NULL, err);
}

/* ---- list -------------------------------------------------------------------------------- */

static void read_library(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    read_row(st, item);
}

enum err_code library_list(struct store *s, const struct caller *c, int64_t limit, int64_t offset,
                           struct library_page *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_page(limit, offset, LIBRARY_PAGE_MAX, err);
    if (rc)
        return rc;
    out->limit = limit;
    out->offset = offset;
    struct store_param ws[] = { STORE_TEXT(c->workspace_id) };
    struct store_page_query q = {
        .count_sql = "SELECT COUNT(*) FROM libraries WHERE workspace_id = ?",
        .page_sql = "SELECT " LIBRARY_COLUMNS " FROM libraries l WHERE l.workspace_id = ? "
                    "ORDER BY l.created_at DESC, l.id DESC LIMIT ? OFFSET ?",
        .params = ws,
        .n = 1,
        .limit = limit,
        .offset = offset,
        .item_size = sizeof(*out->items),
        .read = read_library,
    };
    void *items = NULL;
    rc = store_read_page(s, &q, &items, &out->n, &out->total, err);
    out->items = items;
    if (rc)
        library_page_release(out);
    return rc;
}

/* ---- create, get, update, delete --------------------------------------------------------- */

enum err_code library_create(struct store *s, const struct caller *c,
                             const struct library_input *in, struct library *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct checked v;
    enum err_code rc = check_input(in, true, &v, err);
    if (rc)
        return rc;
    char id[IDS_UUID_LEN];
    ids_uuid7(id);
    int64_t now = clock_now_ms();

    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    /* counted and compared under the write lock: the checks and the insert are one step */
    rc = store_begin_write(conn, err);
    struct store_param ws[] = { STORE_TEXT(c->workspace_id) };
    int64_t n = 0;
    if (!rc)
        rc = store_query_int(conn, "SELECT COUNT(*) FROM libraries WHERE workspace_id = ?", ws, 1,
                             &n, err);
    if (!rc && n >= LIBRARY_MAX)
        rc = err_set(err, ERR_CONFLICT, NULL,
                     "the workspace has %" PRId64 " libraries, the most it may hold (%d): "
                     "delete one first",
                     n, LIBRARY_MAX);
    if (!rc)
        rc = check_name_free(conn, c->workspace_id, "", v.name, err);
    struct store_param p[] = { STORE_TEXT(id),     STORE_TEXT(c->workspace_id),
                               STORE_TEXT(v.name), STORE_TEXT(v.description),
                               STORE_INT(now),     STORE_INT(now) };
    if (!rc)
        rc = store_run(conn,
                       "INSERT INTO libraries (id, workspace_id, name, description, created_at, "
                       "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                       p, ARRAY_SIZE(p), NULL, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (rc)
        return rc;
    snprintf(out->id, sizeof(out->id), "%s", id);
    snprintf(out->workspace_id, sizeof(out->workspace_id), "%s", c->workspace_id);
    out->name = xstrdup(v.name);
    out->description = xstrdup(v.description);
    out->created_at = now;
    out->updated_at = now;
    return ERR_OK;
}

enum err_code library_get(struct store *s, const struct caller *c, const char *id,
                          struct library *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_id(id, "library", err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    /* one read transaction: the library and its members as of one moment */
    rc = store_begin(conn, err);
    if (!rc)
        rc = select_one(conn, c->workspace_id, id, out, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (rc)
        library_release(out);
    return rc;
}

enum err_code library_update(struct store *s, const struct caller *c, const char *id,
                             const struct library_input *in, struct library *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_id(id, "library", err);
    struct checked v;
    if (!rc)
        rc = check_input(in, false, &v, err);
    if (rc)
        return rc;

    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = store_begin_write(conn, err);
    /* an unknown library is 404 before its new name can be 409 */
    if (!rc)
        rc = library_exists(conn, c->workspace_id, id, err);
    if (!rc && v.name)
        rc = check_name_free(conn, c->workspace_id, id, v.name, err);
    /* a field not given binds NULL and keeps its value: COALESCE(NULL, column) */
    struct store_param p[] = { STORE_TEXT(v.name), STORE_TEXT(v.description),
                               STORE_INT(clock_now_ms()), STORE_TEXT(id),
                               STORE_TEXT(c->workspace_id) };
    if (!rc)
        rc = store_run(conn,
                       "UPDATE libraries SET name = COALESCE(?, name), "
                       "description = COALESCE(?, description), updated_at = ? "
                       "WHERE id = ? AND workspace_id = ?",
                       p, ARRAY_SIZE(p), NULL, err);
    if (!rc)
        rc = select_one(conn, c->workspace_id, id, out, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (rc)
        library_release(out);
    return rc;
}

enum err_code library_delete(struct store *s, const struct caller *c, const char *id,
                             struct err *err)
{
    enum err_code rc = check_id(id, "library", err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    /* the memberships go with it (ON DELETE CASCADE); the personas stay */
    int64_t changed = 0;
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id) };
    rc = store_run(conn, "DELETE FROM libraries WHERE id = ? AND workspace_id = ?", p, 2, &changed,
                   err);
    if (!rc && changed == 0)
        rc = not_found(id, err);
    store_release(s, conn);
    return rc;
}

/* ---- membership -------------------------------------------------------------------------- */

/*
 * ERR_OK when persona_ids[i] is a persona of workspace_id; otherwise
 * ERR_NOT_FOUND naming "persona_ids" and quoting the id (an id that is not
 * a UUID needs no query).
 */
static enum err_code check_persona(struct store_conn *conn, const char *workspace_id,
                                   const struct strlist *persona_ids, size_t i, struct err *err)
{
    const char *pid = persona_ids->items[i];
    size_t len = strlen(pid);
    int64_t n = 0;
    enum err_code rc = ERR_OK;
    if (ids_is_uuid(pid, len)) {
        struct store_param p[] = { STORE_TEXT(pid), STORE_TEXT(workspace_id) };
        rc = store_query_int(
            conn, "SELECT COUNT(*) FROM personas WHERE id = ? AND workspace_id = ?", p, 2, &n, err);
    }
    if (!rc && n == 0)
        rc = err_set(err, ERR_NOT_FOUND, "persona_ids", "persona_ids[%zu]: no persona '%.*s'", i,
                     (int)(len > QUOTED_ID_MAX ? QUOTED_ID_MAX : len), pid);
    return rc;
}

/*
 * Checks every id, then inserts the ones not yet members, on conn inside
 * the caller's write transaction; *added is how many were new.
 */
static enum err_code insert_members(struct store_conn *conn, const char *workspace_id,
                                    const char *id, const struct strlist *persona_ids, int64_t now,
                                    int64_t *added, struct err *err)
{
    enum err_code rc = ERR_OK;
    *added = 0;
    for (size_t i = 0; !rc && i < persona_ids->n; i++)
        rc = check_persona(conn, workspace_id, persona_ids, i, err);
    for (size_t i = 0; !rc && i < persona_ids->n; i++) {
        struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(persona_ids->items[i]),
                                   STORE_TEXT(workspace_id), STORE_INT(now) };
        int64_t changed = 0;
        rc = store_run(conn,
                       "INSERT INTO library_personas (library_id, persona_id, workspace_id, "
                       "added_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (library_id, persona_id) DO NOTHING",
                       p, ARRAY_SIZE(p), &changed, err);
        *added += changed;
    }
    return rc;
}

enum err_code library_add_personas(struct store *s, const struct caller *c, const char *id,
                                   const struct strlist *persona_ids, struct library *out,
                                   struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_id(id, "library", err);
    if (rc)
        return rc;
    if (persona_ids->n < 1 || persona_ids->n > LIBRARY_ADD_MAX)
        return err_set(err, ERR_INVALID, "persona_ids",
                       "persona_ids: give 1 to %d persona ids (got %zu)", LIBRARY_ADD_MAX,
                       persona_ids->n);

    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    int64_t now = clock_now_ms(), added = 0, members = 0;
    /* one write transaction: any unknown id or the cap rolls every insert back */
    rc = store_begin_write(conn, err);
    if (!rc)
        rc = library_exists(conn, c->workspace_id, id, err);
    if (!rc)
        rc = insert_members(conn, c->workspace_id, id, persona_ids, now, &added, err);
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id) };
    if (!rc && added)
        rc = store_query_int(conn,
                             "SELECT COUNT(*) FROM library_personas WHERE library_id = ? AND "
                             "workspace_id = ?",
                             p, 2, &members, err);
    if (!rc && members > LIBRARY_PERSONAS_MAX)
        rc = err_set(err, ERR_CONFLICT, "persona_ids",
                     "persona_ids: a library holds at most %d personas (this would make "
                     "%" PRId64 "): remove some, or make another library",
                     LIBRARY_PERSONAS_MAX, members);
    if (!rc && added)
        rc = touch(conn, c->workspace_id, id, now, err);
    if (!rc)
        rc = select_one(conn, c->workspace_id, id, out, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (rc)
        library_release(out);
    return rc;
}

enum err_code library_remove_persona(struct store *s, const struct caller *c, const char *id,
                                     const char *persona_id, struct err *err)
{
    enum err_code rc = check_id(id, "library", err);
    if (rc)
        return rc;
    size_t len = persona_id ? strlen(persona_id) : 0;
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = store_begin_write(conn, err);
    if (!rc)
        rc = library_exists(conn, c->workspace_id, id, err);
    int64_t changed = 0;
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(persona_id ? persona_id : ""),
                               STORE_TEXT(c->workspace_id) };
    if (!rc && ids_is_uuid(persona_id ? persona_id : "", len))
        rc = store_run(conn,
                       "DELETE FROM library_personas WHERE library_id = ? AND persona_id = ? AND "
                       "workspace_id = ?",
                       p, ARRAY_SIZE(p), &changed, err);
    if (!rc && changed == 0)
        rc = err_set(err, ERR_NOT_FOUND, "persona_id", "persona '%.*s' is not in library '%s'",
                     (int)(len > QUOTED_ID_MAX ? QUOTED_ID_MAX : len), persona_id ? persona_id : "",
                     id);
    if (!rc)
        rc = touch(conn, c->workspace_id, id, clock_now_ms(), err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    return rc;
}

enum err_code libraries_persona_ids(struct store *s, const struct caller *c, const char *library_id,
                                    struct strlist *out, struct err *err)
{
    enum err_code rc = check_id(library_id, "library", err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    /* one read transaction: an empty answer means an empty library, not a deleted one */
    rc = store_begin(conn, err);
    if (!rc)
        rc = library_exists(conn, c->workspace_id, library_id, err);
    size_t before = out->n;
    if (!rc)
        rc = select_members(conn, c->workspace_id, library_id, out, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    /* on failure, take back what this call appended: out is as it was */
    while (rc && out->n > before)
        free(out->items[--out->n]);
    return rc;
}
