/*
 * tests/unit/domain/test_projects.c - domain/projects.h against a real
 * SQLite store with every migration applied, in a mkdtemp directory per
 * test: CRUD, paging, validation, the plan's max_projects (free 1, business
 * 3) and tenant isolation (another workspace's project is not found and
 * stays as it was). Workspaces and callers come from accounts_register and
 * accounts_authenticate, as in the server. Single-threaded.
 */
#include "core/compat.h"

#include "domain/projects.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "store/kv.h"
#include "store/migrate.h"
#include "store/store.h"

#define SECRET "a-test-secret-of-at-least-32-bytes-long"

struct fixture {
    char dir[64];
    struct store *store;
    struct kv *kv;
    struct accounts *accounts;
};

/* A registered user: its token and the caller it resolves to. */
struct member {
    struct session session;
    struct caller caller;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct err err = ERR_INIT;
    if (!f || testutil_mkdtemp(f->dir, sizeof(f->dir), "projects") != 0) {
        free(f);
        return -1;
    }
    char path[128];
    snprintf(path, sizeof(path), "%s/test.db", f->dir);
    struct store_options opts = { .pool_size = 2,
                                  .busy_timeout_ms = 1000,
                                  .acquire_timeout_ms = 1000 };
    int n_applied = 0;
    if (store_open(path, &opts, &f->store, &err) || migrate_run(f->store, &n_applied, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        store_close(f->store);
        testutil_rmtree(f->dir);
        free(f);
        return -1;
    }
    f->kv = kv_mem_new(1000);
    struct accounts_options aopts = { .store = f->store,
                                      .kv = f->kv,
                                      .jwt_secret = SECRET,
                                      .token_ttl_s = 3600,
                                      .hash_cost = PWHASH_MINIMUM };
    f->accounts = accounts_new(&aopts);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    accounts_free(f->accounts);
    kv_free(f->kv);
    store_close(f->store);
    int rc = testutil_rmtree(f->dir);
    free(f);
    return rc;
}

/* Resolves m's token into m->caller again (after its plan changed). */
static void authenticate(struct fixture *f, struct member *m)
{
    char header[4200];
    struct err err = ERR_INIT;
    snprintf(header, sizeof(header), "Bearer %s", m->session.token);
    assert_ok(accounts_authenticate(f->accounts, header, &m->caller, &err), &err);
}

/* Registers email as the admin of a new workspace on the free plan. */
static void register_member(struct fixture *f, const char *email, struct member *m)
{
    struct err err = ERR_INIT;
    struct registration r = { .email = email,
                              .password = "correct horse battery staple",
                              .company = "Acme Research" };
    assert_ok(accounts_register(f->accounts, &r, &m->session, &err), &err);
    authenticate(f, m);
}

static void release_member(struct member *m)
{
    session_release(&m->session);
}

/* Runs one statement that returns nothing. */
static void exec_sql(struct fixture *f, const char *sql, const char *param)
{
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool row;
    assert_ok(store_acquire(f->store, &c, &err), &err);
    assert_ok(store_prepare(c, sql, &st, &err), &err);
    if (param)
        store_bind_text(st, 1, param);
    assert_ok(store_step(st, &row, &err), &err);
    store_finalize(st);
    store_release(f->store, c);
}

/* Moves m's workspace to plan (a direct UPDATE) and refreshes m's caller. */
static void set_plan(struct fixture *f, struct member *m, const char *plan)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "UPDATE workspaces SET plan_type = '%s' WHERE id = ?", plan);
    exec_sql(f, sql, m->caller.workspace_id);
    authenticate(f, m);
    assert_string_equal(m->caller.plan->name, plan);
}

/* Counts the projects rows of a workspace, straight from the table. */
static int64_t count_rows(struct fixture *f, const char *workspace_id)
{
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool row = false;
    assert_ok(store_acquire(f->store, &c, &err), &err);
    assert_ok(store_prepare(c, "SELECT COUNT(*) FROM projects WHERE workspace_id = ?", &st, &err),
              &err);
    store_bind_text(st, 1, workspace_id);
    assert_ok(store_step(st, &row, &err), &err);
    assert_true(row);
    int64_t n = store_col_int64(st, 0);
    store_finalize(st);
    store_release(f->store, c);
    return n;
}

/* Creates a project named name that must succeed; its id goes into id. */
static void create_ok(struct fixture *f, const struct member *m, const char *name,
                      char id[IDS_UUID_LEN])
{
    struct project p;
    struct err err = ERR_INIT;
    struct project_input in = { .name = name, .description = "about it" };
    assert_ok(project_create(f->store, &m->caller, &in, &p, &err), &err);
    if (id)
        snprintf(id, IDS_UUID_LEN, "%s", p.id);
    project_release(&p);
}

/* A string of n copies of the UTF-8 character ch, malloc'd. */
static char *repeat(const char *ch, size_t n)
{
    size_t len = strlen(ch);
    char *s = malloc(n * len + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, ch, len);
    s[n * len] = '\0';
    return s;
}

/* ---- CRUD -------------------------------------------------------------------------------- */

static void creates_and_reads_a_project(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    struct project_input in = { .name = "  Meal kits  ", .description = "Line one\nline two" };
    struct project p, got;
    assert_ok(project_create(f->store, &a.caller, &in, &p, &err), &err);
    assert_true(ids_is_uuid(p.id, strlen(p.id)));
    assert_string_equal(p.workspace_id, a.caller.workspace_id);
    assert_string_equal(p.name, "Meal kits"); /* trimmed */
    assert_string_equal(p.description, "Line one\nline two");
    assert_true(p.created_at > 0);
    assert_int_equal(p.created_at, p.updated_at);

    assert_ok(project_get(f->store, &a.caller, p.id, &got, &err), &err);
    assert_string_equal(got.id, p.id);
    assert_string_equal(got.name, "Meal kits");
    assert_string_equal(got.description, "Line one\nline two");
    assert_int_equal(got.created_at, p.created_at);
    assert_int_equal(got.updated_at, p.updated_at);
    project_release(&got);
    project_release(&p);
    release_member(&a);
}

static void description_defaults_to_empty(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    struct project_input in = { .name = "No description" };
    struct project p;
    assert_ok(project_create(f->store, &a.caller, &in, &p, &err), &err);
    assert_string_equal(p.description, "");
    project_release(&p);
    release_member(&a);
}

static void names_need_not_be_unique(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    set_plan(f, &a, "business");
    char id1[IDS_UUID_LEN], id2[IDS_UUID_LEN];
    create_ok(f, &a, "Same", id1);
    create_ok(f, &a, "Same", id2);
    assert_string_not_equal(id1, id2);
    assert_int_equal(count_rows(f, a.caller.workspace_id), 2);
    release_member(&a);
}

static void updates_name_and_description_separately(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN];
    create_ok(f, &a, "Before", id);

    struct project p;
    struct project_input name_only = { .name = "After" };
    assert_ok(project_update(f->store, &a.caller, id, &name_only, &p, &err), &err);
    assert_string_equal(p.name, "After");
    assert_string_equal(p.description, "about it"); /* kept */
    assert_true(p.updated_at >= p.created_at);
    project_release(&p);

    struct project_input description_only = { .description = "" };
    assert_ok(project_update(f->store, &a.caller, id, &description_only, &p, &err), &err);
    assert_string_equal(p.name, "After"); /* kept */
    assert_string_equal(p.description, "");
    project_release(&p);

    assert_ok(project_get(f->store, &a.caller, id, &p, &err), &err);
    assert_string_equal(p.name, "After");
    assert_string_equal(p.description, "");
    project_release(&p);
    release_member(&a);
}

static void update_without_fields_is_invalid(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN];
    create_ok(f, &a, "Kept", id);
    struct project p;
    struct project_input none = { 0 };
    assert_int_equal(project_update(f->store, &a.caller, id, &none, &p, &err), ERR_INVALID);
    struct project_input blank = { .name = "   " };
    assert_int_equal(project_update(f->store, &a.caller, id, &blank, &p, &err), ERR_INVALID);
    assert_string_equal(err.field, "name");
    assert_ok(project_get(f->store, &a.caller, id, &p, &err), &err);
    assert_string_equal(p.name, "Kept");
    project_release(&p);
    release_member(&a);
}

static void deletes_a_project_once(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN];
    create_ok(f, &a, "Doomed", id);
    assert_ok(project_delete(f->store, &a.caller, id, &err), &err);
    assert_int_equal(count_rows(f, a.caller.workspace_id), 0);
    struct project p;
    assert_int_equal(project_get(f->store, &a.caller, id, &p, &err), ERR_NOT_FOUND);
    assert_int_equal(project_delete(f->store, &a.caller, id, &err), ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, id));
    release_member(&a);
}

static void unknown_and_malformed_ids_are_not_found(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    struct project p;
    struct project_input in = { .name = "x" };
    const char *ids[] = { "0192f5c8-0000-7000-8000-000000000000", "not-a-uuid", "", "1 OR 1=1" };
    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        assert_int_equal(project_get(f->store, &a.caller, ids[i], &p, &err), ERR_NOT_FOUND);
        assert_non_null(strstr(err.msg, "no project '"));
        assert_int_equal(project_update(f->store, &a.caller, ids[i], &in, &p, &err), ERR_NOT_FOUND);
        assert_int_equal(project_delete(f->store, &a.caller, ids[i], &err), ERR_NOT_FOUND);
    }
    release_member(&a);
}

/* ---- list -------------------------------------------------------------------------------- */

static void lists_newest_first_in_pages(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    set_plan(f, &a, "business");
    char ids[3][IDS_UUID_LEN];
    create_ok(f, &a, "one", ids[0]);
    create_ok(f, &a, "two", ids[1]);
    create_ok(f, &a, "three", ids[2]);
    struct err err = ERR_INIT;
    struct project_page pg;

    assert_ok(project_list(f->store, &a.caller, 2, 0, &pg, &err), &err);
    assert_int_equal(pg.total, 3);
    assert_int_equal(pg.limit, 2);
    assert_int_equal(pg.offset, 0);
    assert_int_equal(pg.n, 2);
    assert_string_equal(pg.items[0].id, ids[2]);
    assert_string_equal(pg.items[1].id, ids[1]);
    project_page_release(&pg);

    assert_ok(project_list(f->store, &a.caller, 2, 2, &pg, &err), &err);
    assert_int_equal(pg.total, 3);
    assert_int_equal(pg.n, 1);
    assert_string_equal(pg.items[0].id, ids[0]);
    assert_string_equal(pg.items[0].name, "one");
    project_page_release(&pg);

    assert_ok(project_list(f->store, &a.caller, PROJECT_PAGE_MAX, 3, &pg, &err), &err);
    assert_int_equal(pg.total, 3);
    assert_int_equal(pg.n, 0);
    project_page_release(&pg);
    release_member(&a);
}

static void list_refuses_bad_limits(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    struct project_page pg;
    assert_int_equal(project_list(f->store, &a.caller, 0, 0, &pg, &err), ERR_INVALID);
    assert_string_equal(err.field, "limit");
    assert_int_equal(project_list(f->store, &a.caller, PROJECT_PAGE_MAX + 1, 0, &pg, &err),
                     ERR_INVALID);
    assert_string_equal(err.field, "limit");
    assert_int_equal(project_list(f->store, &a.caller, 1, -1, &pg, &err), ERR_INVALID);
    assert_string_equal(err.field, "offset");
    assert_ok(project_list(f->store, &a.caller, 1, 0, &pg, &err), &err);
    assert_int_equal(pg.total, 0);
    assert_int_equal(pg.n, 0);
    project_page_release(&pg);
    release_member(&a);
}

/* ---- validation -------------------------------------------------------------------------- */

static void validates_name_and_description(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    set_plan(f, &a, "enterprise"); /* no project limit: only validation can refuse */
    struct err err = ERR_INIT;
    struct project p;
    char *name_max = repeat("\xc3\xa9", PROJECT_NAME_MAX); /* é: 2 bytes, 1 character */
    char *name_over = repeat("a", PROJECT_NAME_MAX + 1);
    char *desc_max = repeat("\xe2\x82\xac", PROJECT_DESCRIPTION_MAX); /* € */
    char *desc_over = repeat("d", PROJECT_DESCRIPTION_MAX + 1);
    struct {
        struct project_input in;
        const char *field; /* NULL: accepted */
    } cases[] = {
        { { .name = NULL }, "name" },
        { { .name = "" }, "name" },
        { { .name = " \t " }, "name" },
        { { .name = "a" }, NULL },
        { { .name = name_max }, NULL },
        { { .name = name_over }, "name" },
        { { .name = "bad\xff utf8" }, "name" },
        { { .name = "two\nlines" }, "name" },
        { { .name = "ok", .description = desc_max }, NULL },
        { { .name = "ok", .description = desc_over }, "description" },
        { { .name = "ok", .description = "bell\a" }, "description" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        enum err_code rc = project_create(f->store, &a.caller, &cases[i].in, &p, &err);
        if (!cases[i].field) {
            assert_ok(rc, &err);
            project_release(&p);
            continue;
        }
        assert_int_equal(rc, ERR_INVALID);
        assert_string_equal(err.field, cases[i].field);
    }
    assert_int_equal(count_rows(f, a.caller.workspace_id), 3);
    free(name_max);
    free(name_over);
    free(desc_max);
    free(desc_over);
    release_member(&a);
}

/* ---- the plan's limit -------------------------------------------------------------------- */

static void free_plan_allows_one_project(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    assert_string_equal(a.caller.plan->name, "free");
    create_ok(f, &a, "first", NULL);
    struct err err = ERR_INIT;
    struct project p;
    struct project_input in = { .name = "second" };
    assert_int_equal(project_create(f->store, &a.caller, &in, &p, &err), ERR_PLAN_LIMIT);
    assert_string_equal(err.field, "max_projects");
    assert_non_null(strstr(err.msg, "max_projects"));
    assert_non_null(strstr(err.msg, "free"));
    assert_int_equal(count_rows(f, a.caller.workspace_id), 1);
    release_member(&a);
}

static void business_plan_allows_three_projects(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    set_plan(f, &a, "business");
    for (int i = 0; i < 3; i++)
        create_ok(f, &a, "p", NULL);
    struct err err = ERR_INIT;
    struct project p;
    struct project_input in = { .name = "fourth" };
    assert_int_equal(project_create(f->store, &a.caller, &in, &p, &err), ERR_PLAN_LIMIT);
    assert_string_equal(err.field, "max_projects");
    assert_non_null(strstr(err.msg, "max_projects"));
    assert_non_null(strstr(err.msg, "business"));
    assert_int_equal(count_rows(f, a.caller.workspace_id), 3);
    release_member(&a);
}

static void deleting_frees_a_place(void **state)
{
    struct fixture *f = *state;
    struct member a;
    register_member(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN];
    create_ok(f, &a, "first", id);
    assert_ok(project_delete(f->store, &a.caller, id, &err), &err);
    create_ok(f, &a, "again", NULL);
    assert_int_equal(count_rows(f, a.caller.workspace_id), 1);
    release_member(&a);
}

static void limits_are_per_workspace(void **state)
{
    struct fixture *f = *state;
    struct member a, b;
    register_member(f, "ana@example.com", &a);
    register_member(f, "bruno@example.org", &b);
    create_ok(f, &a, "a's", NULL);
    create_ok(f, &b, "b's", NULL); /* a's project does not count against b */
    assert_int_equal(count_rows(f, a.caller.workspace_id), 1);
    assert_int_equal(count_rows(f, b.caller.workspace_id), 1);
    release_member(&a);
    release_member(&b);
}

/* ---- tenant isolation -------------------------------------------------------------------- */

static void another_workspace_cannot_touch_a_project(void **state)
{
    struct fixture *f = *state;
    struct member a, b;
    register_member(f, "ana@example.com", &a);
    register_member(f, "bruno@example.org", &b);
    assert_string_not_equal(a.caller.workspace_id, b.caller.workspace_id);
    struct err err = ERR_INIT;
    struct project orig, p;
    struct project_input in = { .name = "Secret plan", .description = "a's eyes only" };
    assert_ok(project_create(f->store, &a.caller, &in, &orig, &err), &err);

    assert_int_equal(project_get(f->store, &b.caller, orig.id, &p, &err), ERR_NOT_FOUND);
    assert_null(strstr(err.msg, "Secret"));
    struct project_input change = { .name = "Pwned", .description = "" };
    assert_int_equal(project_update(f->store, &b.caller, orig.id, &change, &p, &err),
                     ERR_NOT_FOUND);
    assert_int_equal(project_delete(f->store, &b.caller, orig.id, &err), ERR_NOT_FOUND);
    struct project_page pg;
    assert_ok(project_list(f->store, &b.caller, PROJECT_PAGE_MAX, 0, &pg, &err), &err);
    assert_int_equal(pg.total, 0);
    assert_int_equal(pg.n, 0);
    project_page_release(&pg);

    /* a's row is as it was */
    assert_ok(project_get(f->store, &a.caller, orig.id, &p, &err), &err);
    assert_string_equal(p.name, "Secret plan");
    assert_string_equal(p.description, "a's eyes only");
    assert_string_equal(p.workspace_id, a.caller.workspace_id);
    assert_int_equal(p.updated_at, orig.updated_at);
    project_release(&p);
    assert_int_equal(count_rows(f, a.caller.workspace_id), 1);
    assert_int_equal(count_rows(f, b.caller.workspace_id), 0);
    project_release(&orig);
    release_member(&a);
    release_member(&b);
}

int main(void)
{
    ids_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(creates_and_reads_a_project, setup, teardown),
        cmocka_unit_test_setup_teardown(description_defaults_to_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(names_need_not_be_unique, setup, teardown),
        cmocka_unit_test_setup_teardown(updates_name_and_description_separately, setup, teardown),
        cmocka_unit_test_setup_teardown(update_without_fields_is_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(deletes_a_project_once, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_and_malformed_ids_are_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(lists_newest_first_in_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(list_refuses_bad_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(validates_name_and_description, setup, teardown),
        cmocka_unit_test_setup_teardown(free_plan_allows_one_project, setup, teardown),
        cmocka_unit_test_setup_teardown(business_plan_allows_three_projects, setup, teardown),
        cmocka_unit_test_setup_teardown(deleting_frees_a_place, setup, teardown),
        cmocka_unit_test_setup_teardown(limits_are_per_workspace, setup, teardown),
        cmocka_unit_test_setup_teardown(another_workspace_cannot_touch_a_project, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
