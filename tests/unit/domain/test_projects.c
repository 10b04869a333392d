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

#include "fixture.h"
#include "testutil.h"

/* The projects rows of a workspace, counted straight from the table. */
static int64_t count_rows(struct fixture *f, const char *workspace_id)
{
    return fixture_count(f, "projects WHERE workspace_id = ?", workspace_id);
}

/* Creates a project named name that must succeed; its id goes into id. */
static void create_ok(struct fixture *f, const struct fixture_user *m, const char *name,
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
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
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
    fixture_user_release(&a);
}

static void description_defaults_to_empty(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    struct err err = ERR_INIT;
    struct project_input in = { .name = "No description" };
    struct project p;
    assert_ok(project_create(f->store, &a.caller, &in, &p, &err), &err);
    assert_string_equal(p.description, "");
    project_release(&p);
    fixture_user_release(&a);
}

static void names_need_not_be_unique(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    fixture_user_set_plan(f, &a, "business");
    char id1[IDS_UUID_LEN], id2[IDS_UUID_LEN];
    create_ok(f, &a, "Same", id1);
    create_ok(f, &a, "Same", id2);
    assert_string_not_equal(id1, id2);
    assert_int_equal(count_rows(f, a.caller.workspace_id), 2);
    fixture_user_release(&a);
}

static void updates_name_and_description_separately(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
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
    fixture_user_release(&a);
}

static void update_without_fields_is_invalid(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
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
    fixture_user_release(&a);
}

static void deletes_a_project_once(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN];
    create_ok(f, &a, "Doomed", id);
    assert_ok(project_delete(f->store, &a.caller, id, &err), &err);
    assert_int_equal(count_rows(f, a.caller.workspace_id), 0);
    struct project p;
    assert_int_equal(project_get(f->store, &a.caller, id, &p, &err), ERR_NOT_FOUND);
    assert_int_equal(project_delete(f->store, &a.caller, id, &err), ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, id));
    fixture_user_release(&a);
}

static void unknown_and_malformed_ids_are_not_found(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
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
    fixture_user_release(&a);
}

/* ---- list -------------------------------------------------------------------------------- */

static void lists_newest_first_in_pages(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    fixture_user_set_plan(f, &a, "business");
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
    fixture_user_release(&a);
}

static void list_refuses_bad_limits(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
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
    fixture_user_release(&a);
}

/* ---- validation -------------------------------------------------------------------------- */

static void validates_name_and_description(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    fixture_user_set_plan(f, &a, "enterprise"); /* no project limit: only validation can refuse */
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
    fixture_user_release(&a);
}

/* ---- the plan's limit -------------------------------------------------------------------- */

static void free_plan_allows_one_project(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
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
    fixture_user_release(&a);
}

static void business_plan_allows_three_projects(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    fixture_user_set_plan(f, &a, "business");
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
    fixture_user_release(&a);
}

static void deleting_frees_a_place(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN];
    create_ok(f, &a, "first", id);
    assert_ok(project_delete(f->store, &a.caller, id, &err), &err);
    create_ok(f, &a, "again", NULL);
    assert_int_equal(count_rows(f, a.caller.workspace_id), 1);
    fixture_user_release(&a);
}

static void limits_are_per_workspace(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a, b;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    fixture_user_new(f, "bruno@example.org", NULL, &b);
    create_ok(f, &a, "a's", NULL);
    create_ok(f, &b, "b's", NULL); /* a's project does not count against b */
    assert_int_equal(count_rows(f, a.caller.workspace_id), 1);
    assert_int_equal(count_rows(f, b.caller.workspace_id), 1);
    fixture_user_release(&a);
    fixture_user_release(&b);
}

/* ---- tenant isolation -------------------------------------------------------------------- */

static void another_workspace_cannot_touch_a_project(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a, b;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    fixture_user_new(f, "bruno@example.org", NULL, &b);
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
    fixture_user_release(&a);
    fixture_user_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(creates_and_reads_a_project),
        FIXTURE_TEST(description_defaults_to_empty),
        FIXTURE_TEST(names_need_not_be_unique),
        FIXTURE_TEST(updates_name_and_description_separately),
        FIXTURE_TEST(update_without_fields_is_invalid),
        FIXTURE_TEST(deletes_a_project_once),
        FIXTURE_TEST(unknown_and_malformed_ids_are_not_found),
        FIXTURE_TEST(lists_newest_first_in_pages),
        FIXTURE_TEST(list_refuses_bad_limits),
        FIXTURE_TEST(validates_name_and_description),
        FIXTURE_TEST(free_plan_allows_one_project),
        FIXTURE_TEST(business_plan_allows_three_projects),
        FIXTURE_TEST(deleting_frees_a_place),
        FIXTURE_TEST(limits_are_per_workspace),
        FIXTURE_TEST(another_workspace_cannot_touch_a_project),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
