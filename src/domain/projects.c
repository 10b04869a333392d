/*
 * domain/projects.c - project CRUD inside the caller's workspace, the
 * max_projects gate on create (see projects.h). Every statement that reads
 * or writes a project row binds the caller's workspace id: a row of another
 * workspace can never match.
 */
#include "core/compat.h"

#include "domain/projects.h"

#include "core/clock.h"
#include "core/span.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/gate.h"
#include "store/store.h"

#define PROJECT_COLUMNS "id, workspace_id, name, description, created_at, updated_at"

void project_release(struct project *p)
{
    free(p->name);
    free(p->description);
    memset(p, 0, sizeof(*p));
}

void project_page_release(struct project_page *pg)
{
    for (size_t i = 0; i < pg->n; i++)
        project_release(&pg->items[i]);
    free(pg->items);
    memset(pg, 0, sizeof(*pg));
}

/* ---- validation -------------------------------------------------------------------------- */

/* A control character other than those a multi-line text may hold. */
static bool bad_control(unsigned char ch, bool multiline)
{
    if (multiline && (ch == '\n' || ch == '\r' || ch == '\t'))
        return false;
    return ch < 0x20 || ch == 0x7f;
}

/*
 * Checks text s against [min, max] characters as valid UTF-8 without
 * control characters (newlines and tabs allowed when multiline). A name
 * (trim) is checked without its surrounding spaces and *out is that part.
 */
static enum err_code check_text(const char *field, const char *s, size_t min, size_t max, bool trim,
                                bool multiline, struct span *out, struct err *err)
{
    struct span v = span_cstr(s);
    if (trim)
        v = span_trim(v);
    if (!utf8_valid(v.ptr, v.len))
        return err_set(err, ERR_INVALID, field, "%s: not valid UTF-8 text", field);
    for (size_t i = 0; i < v.len; i++)
        if (bad_control((unsigned char)v.ptr[i], multiline))
            return err_set(err, ERR_INVALID, field, "%s: control characters are not allowed",
                           field);
    size_t chars = utf8_chars(v.ptr, v.len);
    if (chars < min)
        return err_set(err, ERR_INVALID, field, "%s must not be empty", field);
    if (chars > max)
        return err_set(err, ERR_INVALID, field, "%s: at most %zu characters (got %zu)", field, max,
                       chars);
    *out = v;
    return ERR_OK;
}

/* The validated, trimmed fields of an input; ptr NULL for a field not given. */
struct checked {
    struct span name, description;
};

static enum err_code check_input(const struct project_input *in, bool creating, struct checked *out,
                                 struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (creating && !in->name)
        return err_set(err, ERR_INVALID, "name", "name is required");
    if (!creating && !in->name && !in->description)
        return err_set(err, ERR_INVALID, NULL, "nothing to change: give name and/or description");
    enum err_code rc = ERR_OK;
    if (in->name)
        rc = check_text("name", in->name, 1, PROJECT_NAME_MAX, true, false, &out->name, err);
    if (!rc && in->description)
        rc = check_text("description", in->description, 0, PROJECT_DESCRIPTION_MAX, false, true,
                        &out->description, err);
    if (!rc && creating && !in->description)
        out->description = span_cstr("");
    return rc;
}

/* ERR_NOT_FOUND for an id that is not a UUID, so no query runs for it. */
static enum err_code check_id(const char *id, struct err *err)
{
    size_t len = id ? strlen(id) : 0;
    if (ids_is_uuid(id ? id : "", len))
        return ERR_OK;
    return err_set(err, ERR_NOT_FOUND, "id", "no project '%.*s'", (int)(len > 64 ? 64 : len),
                   id ? id : "");
}

static enum err_code not_found(const char *id, struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "id", "no project '%s'", id);
}

/* ---- rows -------------------------------------------------------------------------------- */

/* Copies the current row (PROJECT_COLUMNS from column 0) into p. */
static void read_row(struct store_stmt *st, struct project *p)
{
    snprintf(p->id, sizeof(p->id), "%s", store_col_text(st, 0));
    snprintf(p->workspace_id, sizeof(p->workspace_id), "%s", store_col_text(st, 1));
    p->name = xstrdup_or_null(store_col_text(st, 2));
    p->description = xstrdup_or_null(store_col_text(st, 3));
    if (!p->name)
        p->name = xstrdup("");
    if (!p->description)
        p->description = xstrdup("");
    p->created_at = store_col_int64(st, 4);
    p->updated_at = store_col_int64(st, 5);
}

/* Reads project id of workspace_id on conn into out; ERR_NOT_FOUND when there is none. */
static enum err_code select_one(struct store_conn *conn, const char *workspace_id, const char *id,
                                struct project *out, struct err *err)
{
    struct store_stmt *st = NULL;
    enum err_code rc = store_prepare(
        conn, "SELECT " PROJECT_COLUMNS " FROM projects WHERE id = ? AND workspace_id = ?", &st,
        err);
    bool row = false;
    if (!rc) {
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, workspace_id);
        rc = store_step(st, &row, err);
    }
    if (!rc && !row)
        rc = not_found(id, err);
    if (!rc)
        read_row(st, out);
    store_finalize(st);
    return rc;
}

/* ---- list -------------------------------------------------------------------------------- */

static enum err_code count_projects(struct store_conn *conn, const char *workspace_id, int64_t *out,
                                    struct err *err)
{
    struct store_stmt *st = NULL;
    enum err_code rc =
        store_prepare(conn, "SELECT COUNT(*) FROM projects WHERE workspace_id = ?", &st, err);
    bool row = false;
    if (!rc) {
        store_bind_text(st, 1, workspace_id);
        rc = store_step(st, &row, err);
    }
    *out = !rc && row ? store_col_int64(st, 0) : 0;
    store_finalize(st);
    return rc;
}

static enum err_code select_page(struct store_conn *conn, const char *workspace_id,
                                 struct project_page *pg, struct err *err)
{
    struct store_stmt *st = NULL;
    enum err_code rc = store_prepare(conn,
                                     "SELECT " PROJECT_COLUMNS " FROM projects WHERE "
                                     "workspace_id = ? ORDER BY created_at DESC, id DESC "
                                     "LIMIT ? OFFSET ?",
                                     &st, err);
    if (rc)
        return rc;
    store_bind_text(st, 1, workspace_id);
    store_bind_int64(st, 2, pg->limit);
    store_bind_int64(st, 3, pg->offset);
    pg->items = xcalloc((size_t)pg->limit, sizeof(*pg->items));
    bool row = true;
    while (!rc && pg->n < (size_t)pg->limit) {
        rc = store_step(st, &row, err);
        if (rc || !row)
            break;
        read_row(st, &pg->items[pg->n++]);
    }
    store_finalize(st);
    return rc;
}

enum err_code project_list(struct store *s, const struct caller *c, int64_t limit, int64_t offset,
                           struct project_page *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (limit < 1 || limit > PROJECT_PAGE_MAX)
        return err_set(err, ERR_INVALID, "limit", "limit: %" PRId64 " is not in 1..%d", limit,
                       PROJECT_PAGE_MAX);
    if (offset < 0)
        return err_set(err, ERR_INVALID, "offset", "offset: %" PRId64 " is negative", offset);
    out->limit = limit;
    out->offset = offset;
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    /* one read transaction: the total and the page see the same rows */
    rc = store_begin(conn, err);
    if (!rc)
        rc = count_projects(conn, c->workspace_id, &out->total, err);
    if (!rc && offset < out->total)
        rc = select_page(conn, c->workspace_id, out, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (rc)
        project_page_release(out);
    return rc;
}

/* ---- create, get, update, delete --------------------------------------------------------- */

enum err_code project_create(struct store *s, const struct caller *c,
                             const struct project_input *in, struct project *out, struct err *err)
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
    struct store_stmt *st = NULL;
    rc = store_begin_write(conn, err);
    /* counted under the write lock: the count and the insert are one step */
    if (!rc)
        rc = gate_room(conn, c, LIMIT_PROJECTS, 1, err);
    if (!rc)
        rc = store_prepare(
            conn, "INSERT INTO projects (" PROJECT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?)", &st, err);
    if (!rc) {
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, c->workspace_id);
        store_bind_textn(st, 3, v.name.ptr, v.name.len);
        store_bind_textn(st, 4, v.description.ptr, v.description.len);
        store_bind_int64(st, 5, now);
        store_bind_int64(st, 6, now);
        bool row;
        rc = store_step(st, &row, err);
    }
    store_finalize(st);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (rc)
        return rc;
    snprintf(out->id, sizeof(out->id), "%s", id);
    snprintf(out->workspace_id, sizeof(out->workspace_id), "%s", c->workspace_id);
    out->name = xmemdupz(v.name.ptr, v.name.len);
    out->description = xmemdupz(v.description.ptr, v.description.len);
    out->created_at = now;
    out->updated_at = now;
    return ERR_OK;
}

enum err_code project_get(struct store *s, const struct caller *c, const char *id,
                          struct project *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_id(id, err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = select_one(conn, c->workspace_id, id, out, err);
    store_release(s, conn);
    return rc;
}

enum err_code project_update(struct store *s, const struct caller *c, const char *id,
                             const struct project_input *in, struct project *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_id(id, err);
    struct checked v;
    if (!rc)
        rc = check_input(in, false, &v, err);
    if (rc)
        return rc;

    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_stmt *st = NULL;
    rc = store_begin_write(conn, err);
    /* a field not given keeps its value: COALESCE(NULL, column) */
    if (!rc)
        rc = store_prepare(conn,
                           "UPDATE projects SET name = COALESCE(?, name), "
                           "description = COALESCE(?, description), updated_at = ? "
                           "WHERE id = ? AND workspace_id = ?",
                           &st, err);
    if (!rc) {
        if (v.name.ptr)
            store_bind_textn(st, 1, v.name.ptr, v.name.len);
        else
            store_bind_null(st, 1);
        if (v.description.ptr)
            store_bind_textn(st, 2, v.description.ptr, v.description.len);
        else
            store_bind_null(st, 2);
        store_bind_int64(st, 3, clock_now_ms());
        store_bind_text(st, 4, id);
        store_bind_text(st, 5, c->workspace_id);
        bool row;
        rc = store_step(st, &row, err);
    }
    if (!rc && store_changes(st) == 0)
        rc = not_found(id, err);
    store_finalize(st);
    if (!rc)
        rc = select_one(conn, c->workspace_id, id, out, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (rc)
        project_release(out);
    return rc;
}

enum err_code project_delete(struct store *s, const struct caller *c, const char *id,
                             struct err *err)
{
    enum err_code rc = check_id(id, err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_stmt *st = NULL;
    rc = store_prepare(conn, "DELETE FROM projects WHERE id = ? AND workspace_id = ?", &st, err);
    if (!rc) {
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, c->workspace_id);
        bool row;
        rc = store_step(st, &row, err);
    }
    if (!rc && store_changes(st) == 0)
        rc = not_found(id, err);
    store_finalize(st);
    store_release(s, conn);
    return rc;
}
