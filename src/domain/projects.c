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
#include "core/xalloc.h"
#include "domain/check.h"
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

/*
 * The validated fields of an input, NUL-terminated so they bind as text;
 * NULL for a field not given (which binds NULL: update keeps the column).
 * Not to be copied: name points into name_buf.
 */
struct checked {
    const char *name;        /* name_buf, or NULL */
    const char *description; /* the input's own (it is not trimmed), "" on create, or NULL */
    char name_buf[PROJECT_NAME_MAX * 4 + 1]; /* the trimmed name; at most 4 bytes a character */
};

static enum err_code check_input(const struct project_input *in, bool creating, struct checked *out,
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
        rc = check_text("name", in->name, 1, PROJECT_NAME_MAX, TEXT_TRIM, &name, err);
    if (!rc && in->description)
        rc = check_text("description", in->description, 0, PROJECT_DESCRIPTION_MAX, TEXT_MULTILINE,
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
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(workspace_id) };
    enum err_code rc = store_prepare_params(
        conn, "SELECT " PROJECT_COLUMNS " FROM projects WHERE id = ? AND workspace_id = ?", p, 2,
        &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = not_found(id, err);
    if (!rc)
        read_row(st, out);
    store_finalize(st);
    return rc;
}

/* ---- list -------------------------------------------------------------------------------- */

static void read_project(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    read_row(st, item);
}

enum err_code project_list(struct store *s, const struct caller *c, int64_t limit, int64_t offset,
                           struct project_page *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_page(limit, offset, PROJECT_PAGE_MAX, err);
    if (rc)
        return rc;
    out->limit = limit;
    out->offset = offset;
    struct store_param ws[] = { STORE_TEXT(c->workspace_id) };
    struct store_page_query q = {
        .count_sql = "SELECT COUNT(*) FROM projects WHERE workspace_id = ?",
        .page_sql = "SELECT " PROJECT_COLUMNS " FROM projects WHERE workspace_id = ? "
                    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
        .params = ws,
        .n = 1,
        .limit = limit,
        .offset = offset,
        .item_size = sizeof(*out->items),
        .read = read_project,
    };
    void *items = NULL;
    rc = store_read_page(s, &q, &items, &out->n, &out->total, err);
    out->items = items;
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
    rc = store_begin_write(conn, err);
    /* counted under the write lock: the count and the insert are one step */
    if (!rc)
        rc = gate_room(conn, c, LIMIT_PROJECTS, 1, err);
    struct store_param p[] = { STORE_TEXT(id),     STORE_TEXT(c->workspace_id),
                               STORE_TEXT(v.name), STORE_TEXT(v.description),
                               STORE_INT(now),     STORE_INT(now) };
    if (!rc)
        rc = store_run(conn, "INSERT INTO projects (" PROJECT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?)",
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

enum err_code project_get(struct store *s, const struct caller *c, const char *id,
                          struct project *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_id(id, "project", err);
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
    enum err_code rc = check_id(id, "project", err);
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
    int64_t changed = 0;
    /* a field not given binds NULL and keeps its value: COALESCE(NULL, column) */
    struct store_param p[] = { STORE_TEXT(v.name), STORE_TEXT(v.description),
                               STORE_INT(clock_now_ms()), STORE_TEXT(id),
                               STORE_TEXT(c->workspace_id) };
    if (!rc)
        rc = store_run(conn,
                       "UPDATE projects SET name = COALESCE(?, name), "
                       "description = COALESCE(?, description), updated_at = ? "
                       "WHERE id = ? AND workspace_id = ?",
                       p, ARRAY_SIZE(p), &changed, err);
    if (!rc && changed == 0)
        rc = not_found(id, err);
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
    enum err_code rc = check_id(id, "project", err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    int64_t changed = 0, tests = 0;
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id) };
    /* a project's tests are not deleted with it by surprise: the caller moves or deletes them */
    rc = store_begin_write(conn, err);
    if (!rc)
        rc = store_query_int(conn,
                             "SELECT COUNT(*) FROM tests WHERE project_id = ? AND workspace_id = ?",
                             p, 2, &tests, err);
    if (!rc && tests > 0)
        rc = err_set(err, ERR_CONFLICT, "id",
                     "project '%s' has %" PRId64 " test(s): delete them or move them to another "
                     "project first",
                     id, tests);
    if (!rc)
        rc = store_run(conn, "DELETE FROM projects WHERE id = ? AND workspace_id = ?", p, 2,
                       &changed, err);
    if (!rc && changed == 0)
        rc = not_found(id, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    return rc;
}
