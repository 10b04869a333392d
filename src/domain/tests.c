/*
 * domain/tests.c - a workspace's tests (domain/tests.h): the checks a spec
 * cannot make alone (its project, its panel's personas, library and
 * filter, the plan), and the rows.
 */
#include "core/compat.h"

#include "domain/tests.h"

#include <strings.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "domain/check.h"
#include "domain/gate.h"
#include "domain/libraries.h"
#include "domain/personas.h"
#include "domain/projects.h"
#include "domain/test_spec.h"
#include "store/store.h"

#define TEST_COLUMNS \
    "id, workspace_id, project_id, name, type, status, spec, created_at, updated_at"
#define PATH_MAX_LEN 96

static const char *const STATUS_NAMES[] = { "draft",     "queued", "running",  "paused",
                                            "completed", "failed", "cancelled" };

const char *test_status_name(enum test_status s)
{
    return STATUS_NAMES[s];
}

bool test_status_parse(const char *s, enum test_status *out)
{
    for (size_t i = 0; s && i < ARRAY_SIZE(STATUS_NAMES); i++) {
        if (strcmp(s, STATUS_NAMES[i]) == 0) {
            *out = (enum test_status)i;
            return true;
        }
    }
    return false;
}

void test_record_release(struct test_record *r)
{
    free(r->name);
    free(r->type);
    free(r->spec);
    memset(r, 0, sizeof(*r));
}

void test_page_release(struct test_page *pg)
{
    for (size_t i = 0; i < pg->n; i++)
        test_record_release(&pg->items[i]);
    free(pg->items);
    memset(pg, 0, sizeof(*pg));
}

/* ---- the checks a spec cannot make alone ---------------------------------------------------- */

static void read_id(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    snprintf(item, IDS_UUID_LEN, "%s", store_col_text(st, 0));
}

/* The workspace's oldest project into out; "" when it has none. */
static enum err_code first_project(struct store *s, const struct caller *c, char out[IDS_UUID_LEN],
                                   struct err *err)
{
    struct store_param p[] = { STORE_TEXT(c->workspace_id) };
    return store_read_row(s,
                          "SELECT id FROM projects WHERE workspace_id = ? ORDER BY created_at, id "
                          "LIMIT 1",
                          p, 1, IDS_UUID_LEN, read_id, NULL, out, NULL, err);
}

/* The project the test belongs to: the one named (the caller's), or the workspace's first. */
static enum err_code resolve_project(struct store *s, const struct caller *c, const char *named,
                                     char out[IDS_UUID_LEN], struct err *err)
{
    struct project p = { 0 };
    enum err_code rc = ERR_OK;
    if (named) {
        rc = project_get(s, c, named, &p, err);
        if (rc == ERR_NOT_FOUND)
            err_recast(err, rc, "project_id");
    } else {
        rc = first_project(s, c, p.id, err);
        if (!rc && !p.id[0]) {
            struct project_input in = { .name = DEFAULT_PROJECT };
            rc = project_create(s, c, &in, &p, err);
        }
    }
    if (!rc)
        snprintf(out, IDS_UUID_LEN, "%s", p.id);
    project_release(&p);
    return rc;
}

/* Every persona id of the panel is one of the workspace's. */
static enum err_code check_personas(struct store *s, const struct caller *c,
                                    const struct strlist *ids, struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    for (size_t i = 0; !rc && i < ids->n; i++) {
        char path[PATH_MAX_LEN];
        snprintf(path, sizeof(path), "config.personas[%zu]", i);
        rc = check_id(ids->items[i], "persona", err);
        int64_t n = 0;
        if (!rc) {
            struct store_param p[] = { STORE_TEXT(ids->items[i]), STORE_TEXT(c->workspace_id) };
            rc = store_query_int(conn,
                                 "SELECT COUNT(*) FROM personas WHERE id = ? AND workspace_id = ?",
                                 p, 2, &n, err);
            if (!rc && n == 0)
                rc = err_set(err, ERR_NOT_FOUND, NULL, "no persona '%s'", ids->items[i]);
        }
        if (rc == ERR_NOT_FOUND) {
            char msg[sizeof(err->msg)];
            snprintf(msg, sizeof(msg), "%s", err->msg);
            err_set(err, rc, path, "%s: %s", path, msg);
        }
    }
    if (conn)
        store_release(s, conn);
    return rc;
}

void test_panel_filter(const struct panel_filter *pf, struct persona_filter *out)
{
    *out = (struct persona_filter){
        .q = pf->q,
        .age_min = pf->age_min,
        .age_max = pf->age_max,
        .gender = pf->gender,
        .country = pf->country,
        .location = pf->location,
        .occupation = pf->occupation,
        .income_level = pf->income_level,
        .nationality = pf->nationality,
        .education = pf->education,
        .language = pf->language,
        .kind = pf->type,
        .tags = pf->tags.n ? &pf->tags : NULL,
        .sort = PERSONA_SORT_CREATED,
        .ascending = true,
        .limit = 1,
    };
}

/* A panel filter is one GET /api/personas takes: asked once, for one persona. */
static enum err_code check_filter(struct store *s, const struct caller *c,
                                  const struct panel_filter *pf, struct err *err)
{
    struct persona_filter f;
    test_panel_filter(pf, &f);
    struct persona_page pg;
    enum err_code rc = personas_query(s, c, &f, &pg, err);
    persona_page_release(&pg);
    if (rc == ERR_INVALID) {
        char path[PATH_MAX_LEN];
        snprintf(path, sizeof(path), "config.panel.filter.%s", err->field);
        err_recast(err, rc, path);
    }
    return rc;
}

static enum err_code check_panel(struct store *s, const struct caller *c,
                                 const struct test_panel *p, struct err *err)
{
    switch (p->kind) {
    case PANEL_PERSONAS:
        return check_personas(s, c, &p->persona_ids, err);
    case PANEL_LIBRARY: {
        struct store_conn *conn = NULL;
        enum err_code rc = check_id(p->library_id, "library", err);
        if (!rc)
            rc = store_acquire(s, &conn, err);
        if (!rc) {
            rc = library_exists(conn, c->workspace_id, p->library_id, err);
            store_release(s, conn);
        }
        return rc == ERR_NOT_FOUND ? err_recast(err, rc, "config.panel.library_id") : rc;
    }
    case PANEL_FILTER:
        return check_filter(s, c, &p->filter, err);
    case PANEL_GENERATE:
        return gate_feature(c, FEATURE_CUSTOM_PERSONAS, err);
    case PANEL_TEMPLATES:
    default:
        return ERR_OK;
    }
}

/*
 * Parses and checks body; the spec's canonical text (with the project it
 * belongs to) into *spec_text, its project into project_id.
 */
static enum err_code prepare(struct store *s, const struct caller *c, const char *body, size_t len,
                             struct test_spec **spec, char **spec_text,
                             char project_id[IDS_UUID_LEN], struct err *err)
{
    *spec = NULL;
    *spec_text = NULL;
    if (len > TEST_BODY_MAX)
        return err_set(err, ERR_INVALID, NULL, "a test is at most %d bytes (got %zu)",
                       TEST_BODY_MAX, len);
    enum err_code rc = test_spec_parse(body, len, spec, err);
    if (!rc)
        rc = check_panel(s, c, &(*spec)->panel, err);
    if (!rc)
        rc = resolve_project(s, c, (*spec)->project_id, project_id, err);
    if (!rc) {
        free((*spec)->project_id);
        (*spec)->project_id = xstrdup(project_id);
        *spec_text = test_spec_format(*spec, NULL);
    }
    return rc;
}

/* ---- rows ------------------------------------------------------------------------------------ */

static void read_row(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct test_record *r = item;
    snprintf(r->id, sizeof(r->id), "%s", store_col_text(st, 0));
    snprintf(r->workspace_id, sizeof(r->workspace_id), "%s", store_col_text(st, 1));
    snprintf(r->project_id, sizeof(r->project_id), "%s", store_col_text(st, 2));
    r->name = xstrdup(store_col_text(st, 3));
    r->type = xstrdup(store_col_text(st, 4));
    enum test_status status = TEST_DRAFT;
    test_status_parse(store_col_text(st, 5), &status);
    r->status = status;
    r->spec = xstrdup(store_col_text(st, 6));
    r->created_at = store_col_int64(st, 7);
    r->updated_at = store_col_int64(st, 8);
}

static enum err_code not_found(const char *id, struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "id", "no test '%s'", id);
}

/* Reads test id of the caller's workspace on conn. */
static enum err_code get_on(struct store_conn *conn, const struct caller *c, const char *id,
                            struct test_record *out, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id) };
    void *items = NULL;
    size_t n = 0;
    enum err_code rc = store_read_rows(
        conn, "SELECT " TEST_COLUMNS " FROM tests WHERE id = ? AND workspace_id = ?", p, 2, 1,
        sizeof(*out), read_row, NULL, &items, &n, err);
    if (!rc && n == 1)
        *out = *(struct test_record *)items;
    free(items);
    return !rc && n == 0 ? not_found(id, err) : rc;
}

enum err_code test_get(struct store *s, const struct caller *c, const char *id,
                       struct test_record *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_id(id, "test", err);
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = get_on(conn, c, id, out, err);
    store_release(s, conn);
    return rc;
}

enum err_code test_list(struct store *s, const struct caller *c, const struct test_filter *f,
                        struct test_page *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->limit = f->limit ? f->limit : TEST_PAGE_DEFAULT;
    out->offset = f->offset;
    enum err_code rc = check_page(out->limit, out->offset, TEST_PAGE_MAX, err);
    enum test_status status;
    if (!rc && f->status && !test_status_parse(f->status, &status))
        rc = err_set(err, ERR_INVALID, "status",
                     "status: '%.40s' is not draft, queued, running, paused, completed, failed "
                     "or cancelled",
                     f->status);
    if (!rc && f->type && strcmp(f->type, "product") != 0 && strcmp(f->type, "message") != 0 &&
        strcmp(f->type, "journey") != 0 && strcmp(f->type, "focus_group") != 0)
        rc = err_set(err, ERR_INVALID, "type",
                     "type: '%.40s' is not product, message, journey or focus_group", f->type);
    if (rc)
        return rc;
    /* a NULL filter binds NULL, and "? IS NULL" keeps every row */
    struct store_param p[] = {
        STORE_TEXT(c->workspace_id), STORE_TEXT(f->project_id), STORE_TEXT(f->project_id),
        STORE_TEXT(f->type),         STORE_TEXT(f->type),       STORE_TEXT(f->status),
        STORE_TEXT(f->status),
    };
#define TEST_WHERE                                                                            \
    " FROM tests WHERE workspace_id = ? AND (? IS NULL OR project_id = ?) AND (? IS NULL OR " \
    "type = ?) AND (? IS NULL OR status = ?)"
    struct store_page_query q = {
        .count_sql = "SELECT COUNT(*)" TEST_WHERE,
        .page_sql =
            "SELECT " TEST_COLUMNS TEST_WHERE " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
        .params = p,
        .n = ARRAY_SIZE(p),
        .limit = out->limit,
        .offset = out->offset,
        .item_size = sizeof(*out->items),
        .read = read_row,
    };
#undef TEST_WHERE
    void *items = NULL;
    rc = store_read_page(s, &q, &items, &out->n, &out->total, err);
    out->items = items;
    if (rc)
        test_page_release(out);
    return rc;
}

enum err_code test_create(struct store *s, const struct caller *c, const char *body, size_t len,
                          struct test_record *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct test_spec *spec = NULL;
    char *text = NULL;
    char project_id[IDS_UUID_LEN];
    enum err_code rc = prepare(s, c, body, len, &spec, &text, project_id, err);
    char id[IDS_UUID_LEN];
    ids_uuid7(id);
    int64_t now = clock_now_ms();
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (!rc) {
        struct store_param p[] = { STORE_TEXT(id),
                                   STORE_TEXT(c->workspace_id),
                                   STORE_TEXT(project_id),
                                   STORE_TEXT(spec->name),
                                   STORE_TEXT(test_type_name(spec->type)),
                                   STORE_TEXT(text),
                                   STORE_INT(now),
                                   STORE_INT(now) };
        rc = store_run(conn,
                       "INSERT INTO tests (id, workspace_id, project_id, name, type, status, spec, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?)",
                       p, ARRAY_SIZE(p), NULL, err);
        if (!rc)
            rc = get_on(conn, c, id, out, err);
        store_release(s, conn);
    }
    test_spec_free(spec);
    free(text);
    return rc;
}

/* A test that is queued, running or paused belongs to its run. */
static enum err_code check_idle(const struct test_record *r, const char *doing, struct err *err)
{
    if (r->status == TEST_QUEUED || r->status == TEST_RUNNING || r->status == TEST_PAUSED)
        return err_set(err, ERR_CONFLICT, "status", "test '%s' is %s: cancel its run before %s it",
                       r->id, test_status_name(r->status), doing);
    return ERR_OK;
}

enum err_code test_replace(struct store *s, const struct caller *c, const char *id,
                           const char *body, size_t len, struct test_record *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct test_record old = { 0 };
    enum err_code rc = test_get(s, c, id, &old, err);
    if (!rc)
        rc = check_idle(&old, "replacing", err);
    test_record_release(&old);
    struct test_spec *spec = NULL;
    char *text = NULL;
    char project_id[IDS_UUID_LEN];
    if (!rc)
        rc = prepare(s, c, body, len, &spec, &text, project_id, err);
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (!rc) {
        struct store_param p[] = { STORE_TEXT(project_id),
                                   STORE_TEXT(spec->name),
                                   STORE_TEXT(test_type_name(spec->type)),
                                   STORE_TEXT(text),
                                   STORE_INT(clock_now_ms()),
                                   STORE_TEXT(id),
                                   STORE_TEXT(c->workspace_id) };
        int64_t changed = 0;
        /* the status is checked again here: a run may have started meanwhile */
        rc = store_run(conn,
                       "UPDATE tests SET project_id = ?, name = ?, type = ?, spec = ?, "
                       "updated_at = ? WHERE id = ? AND workspace_id = ? AND status NOT IN "
                       "('queued', 'running', 'paused')",
                       p, ARRAY_SIZE(p), &changed, err);
        if (!rc && changed == 0)
            rc = err_set(err, ERR_CONFLICT, "status",
                         "test '%s' started running meanwhile: cancel its run first", id);
        if (!rc)
            rc = get_on(conn, c, id, out, err);
        store_release(s, conn);
    }
    test_spec_free(spec);
    free(text);
    return rc;
}

enum err_code test_delete(struct store *s, const struct caller *c, const char *id, struct err *err)
{
    struct test_record r = { 0 };
    enum err_code rc = test_get(s, c, id, &r, err);
    if (!rc)
        rc = check_idle(&r, "deleting", err);
    test_record_release(&r);
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id) };
    int64_t changed = 0;
    rc = store_run(conn,
                   "DELETE FROM tests WHERE id = ? AND workspace_id = ? AND status NOT IN "
                   "('queued', 'running', 'paused')",
                   p, 2, &changed, err);
    store_release(s, conn);
    if (!rc && changed == 0)
        rc = err_set(err, ERR_CONFLICT, "status", "test '%s' started running meanwhile", id);
    return rc;
}
