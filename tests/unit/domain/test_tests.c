/*
 * tests/unit/domain/test_tests.c - domain/tests.h against a real, migrated
 * SQLite store: what a test's spec cannot check alone (its project, made
 * when the workspace has none; its panel's personas, library and filter;
 * the plan for a generated panel), the rows, listing filters, the status
 * that protects a running test, a project that keeps its tests, tenancy.
 */
#include "core/compat.h"

#include "domain/tests.h"

#include <setjmp.h>

#include <cmocka.h>

#include "core/buf.h"
#include "domain/libraries.h"
#include "domain/personas.h"
#include "domain/projects.h"
#include "domain/templates.h"
#include "fixture.h"
#include "testutil.h"

/* A product test whose panel is the JSON panel_json ("\"personas\":[...]" or "\"panel\":{...}"). */
static char *test_json(const char *name, const char *panel_json, const char *project_id)
{
    struct buf b;
    buf_init(&b, 16384);
    buf_addf(&b, "{\"name\":\"%s\",\"type\":\"product\",", name);
    if (project_id)
        buf_addf(&b, "\"project_id\":\"%s\",", project_id);
    buf_addf(&b,
             "\"config\":{%s,\"scenarios\":[{\"id\":\"concept\",\"stimulus\":\"FreshBox: 3 "
             "dinners a week, $49/month.\",\"questions\":[{\"id\":\"appeal\",\"kind\":\"rating\","
             "\"prompt\":\"How appealing is this?\",\"scale\":{\"min\":1,\"max\":10}},{\"id\":"
             "\"buy\",\"kind\":\"yes_no\",\"prompt\":\"Would you subscribe?\"}]}],"
             "\"success_criteria\":[\"mean(appeal) >= 7\",\"share(buy == \\\"yes\\\") >= 0.4\"]}}",
             panel_json);
    char *s = buf_detach(&b, NULL);
    buf_release(&b);
    return s;
}

/* A template persona in u's workspace; its id into id. */
static void add_persona(struct fixture_user *u, size_t which, char id[IDS_UUID_LEN])
{
    const struct persona_template *all;
    size_t n;
    struct err err = ERR_INIT;
    assert_ok(templates_get(&all, &n, &err), &err);
    struct persona_input in = { .template_id = all[which].id };
    struct persona_record r;
    assert_ok(personas_add(fx.store, &u->caller, &in, &r, &err), &err);
    snprintf(id, IDS_UUID_LEN, "%s", r.id);
    persona_record_release(&r);
}

static enum err_code create(struct fixture_user *u, const char *json, struct test_record *out,
                            struct err *err)
{
    return test_create(fx.store, &u->caller, json, strlen(json), out, err);
}

static void a_first_test_gets_a_project_and_is_a_draft(void **state)
{
    (void)state;
    struct fixture_user u;
    fixture_user_new(&fx, "first@example.com", NULL, &u);
    char p1[IDS_UUID_LEN], panel[128];
    add_persona(&u, 0, p1);
    snprintf(panel, sizeof(panel), "\"personas\":[\"%s\"]", p1);
    char *json = test_json("Meal kit", panel, NULL);
    struct test_record r;
    struct err err = ERR_INIT;
    assert_ok(create(&u, json, &r, &err), &err);
    assert_int_equal(r.status, TEST_DRAFT);
    assert_string_equal(r.name, "Meal kit");
    assert_string_equal(r.type, "product");
    assert_int_equal(fixture_count(&fx, "projects WHERE workspace_id = ?", u.caller.workspace_id),
                     1);
    assert_int_equal(fixture_count(&fx, "projects WHERE id = ?", r.project_id), 1);
    /* the stored spec names its project, and reads back to the same text */
    char want[64];
    snprintf(want, sizeof(want), "\"project_id\":\"%s\"", r.project_id);
    assert_non_null(strstr(r.spec, want));
    char project[IDS_UUID_LEN];
    snprintf(project, sizeof(project), "%s", r.project_id);
    struct test_record again;
    assert_ok(test_get(fx.store, &u.caller, r.id, &again, &err), &err);
    assert_string_equal(again.spec, r.spec);
    test_record_release(&again);
    test_record_release(&r);
    /* a second test goes to the same project; a project with tests is not deleted */
    assert_ok(create(&u, json, &r, &err), &err);
    assert_string_equal(r.project_id, project);
    test_record_release(&r);
    assert_int_equal(project_delete(fx.store, &u.caller, project, &err), ERR_CONFLICT);
    assert_non_null(strstr(err.msg, "2 test(s)"));
    free(json);
    fixture_user_release(&u);
}

static void the_panel_must_be_the_workspaces(void **state)
{
    (void)state;
    struct fixture_user u, other;
    fixture_user_new(&fx, "panel@example.com", NULL, &u);
    fixture_user_new(&fx, "other@example.com", NULL, &other);
    char mine[IDS_UUID_LEN], theirs[IDS_UUID_LEN], panel[256];
    add_persona(&u, 0, mine);
    add_persona(&other, 1, theirs);
    struct test_record r;
    struct err err = ERR_INIT;

    snprintf(panel, sizeof(panel), "\"personas\":[\"%s\",\"%s\"]", mine, theirs);
    char *json = test_json("Foreign", panel, NULL);
    assert_int_equal(create(&u, json, &r, &err), ERR_NOT_FOUND);
    assert_string_equal(err.field, "config.personas[1]");
    assert_non_null(strstr(err.msg, theirs));
    free(json);

    snprintf(panel, sizeof(panel), "\"personas\":[\"%s\",\"not-an-id\"]", mine);
    json = test_json("Garbage id", panel, NULL);
    assert_int_equal(create(&u, json, &r, &err), ERR_NOT_FOUND);
    assert_string_equal(err.field, "config.personas[1]");
    free(json);

    struct library lib;
    struct library_input li = { .name = "Theirs" };
    assert_ok(library_create(fx.store, &other.caller, &li, &lib, &err), &err);
    snprintf(panel, sizeof(panel), "\"panel\":{\"library_id\":\"%s\"}", lib.id);
    json = test_json("Their library", panel, NULL);
    assert_int_equal(create(&u, json, &r, &err), ERR_NOT_FOUND);
    assert_string_equal(err.field, "config.panel.library_id");
    free(json);
    library_release(&lib);

    json = test_json("Bad filter", "\"panel\":{\"filter\":{\"income_level\":\"rich\"}}", NULL);
    assert_int_equal(create(&u, json, &r, &err), ERR_INVALID);
    assert_string_equal(err.field, "config.panel.filter.income_level");
    free(json);

    json = test_json("Generated", "\"panel\":{\"generate\":10,\"description\":\"nurses\"}", NULL);
    assert_int_equal(create(&u, json, &r, &err), ERR_FORBIDDEN);
    assert_string_equal(err.field, "custom_personas");
    fixture_user_set_plan(&fx, &u, "business");
    assert_ok(create(&u, json, &r, &err), &err);
    test_record_release(&r);
    free(json);

    struct project theirs_p;
    struct project_input pi = { .name = "Their project" };
    assert_ok(project_create(fx.store, &other.caller, &pi, &theirs_p, &err), &err);
    snprintf(panel, sizeof(panel), "\"personas\":[\"%s\"]", mine);
    json = test_json("Their project", panel, theirs_p.id);
    assert_int_equal(create(&u, json, &r, &err), ERR_NOT_FOUND);
    assert_string_equal(err.field, "project_id");
    free(json);
    project_release(&theirs_p);
    assert_int_equal(fixture_count(&fx, "tests WHERE workspace_id = ?", u.caller.workspace_id), 1);
    fixture_user_release(&u);
    fixture_user_release(&other);
}

static void a_running_test_is_left_alone(void **state)
{
    (void)state;
    struct fixture_user u, other;
    fixture_user_new(&fx, "runner@example.com", NULL, &u);
    fixture_user_new(&fx, "nosy@example.com", NULL, &other);
    char p1[IDS_UUID_LEN], panel[128];
    add_persona(&u, 0, p1);
    snprintf(panel, sizeof(panel), "\"personas\":[\"%s\"]", p1);
    char *json = test_json("Busy", panel, NULL);
    char *renamed = test_json("Busy, renamed", panel, NULL);
    struct test_record r, r2;
    struct err err = ERR_INIT;
    assert_ok(create(&u, json, &r, &err), &err);
    struct store_param p[] = { STORE_TEXT(r.id) };
    fixture_run(&fx, "UPDATE tests SET status = 'running' WHERE id = ?", p, 1);
    assert_int_equal(test_replace(fx.store, &u.caller, r.id, renamed, strlen(renamed), &r2, &err),
                     ERR_CONFLICT);
    assert_int_equal(test_delete(fx.store, &u.caller, r.id, &err), ERR_CONFLICT);
    fixture_run(&fx, "UPDATE tests SET status = 'completed' WHERE id = ?", p, 1);
    /* another workspace neither sees nor touches it */
    assert_int_equal(test_get(fx.store, &other.caller, r.id, &r2, &err), ERR_NOT_FOUND);
    assert_int_equal(
        test_replace(fx.store, &other.caller, r.id, renamed, strlen(renamed), &r2, &err),
        ERR_NOT_FOUND);
    assert_int_equal(test_delete(fx.store, &other.caller, r.id, &err), ERR_NOT_FOUND);
    struct test_page pg;
    struct test_filter all = { 0 };
    assert_ok(test_list(fx.store, &other.caller, &all, &pg, &err), &err);
    assert_int_equal(pg.total, 0);
    test_page_release(&pg);
    /* finished, it may change again, and its status stays */
    assert_ok(test_replace(fx.store, &u.caller, r.id, renamed, strlen(renamed), &r2, &err), &err);
    assert_string_equal(r2.name, "Busy, renamed");
    assert_int_equal(r2.status, TEST_COMPLETED);
    test_record_release(&r2);
    struct test_filter done = { .status = "completed" }, drafts = { .status = "draft" },
                       bad = { .status = "finished" };
    assert_ok(test_list(fx.store, &u.caller, &done, &pg, &err), &err);
    assert_int_equal(pg.total, 1);
    test_page_release(&pg);
    assert_ok(test_list(fx.store, &u.caller, &drafts, &pg, &err), &err);
    assert_int_equal(pg.total, 0);
    test_page_release(&pg);
    assert_int_equal(test_list(fx.store, &u.caller, &bad, &pg, &err), ERR_INVALID);
    assert_string_equal(err.field, "status");
    assert_ok(test_delete(fx.store, &u.caller, r.id, &err), &err);
    assert_int_equal(test_get(fx.store, &u.caller, r.id, &r2, &err), ERR_NOT_FOUND);
    test_record_release(&r);
    free(json);
    free(renamed);
    fixture_user_release(&u);
    fixture_user_release(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(a_first_test_gets_a_project_and_is_a_draft),
        FIXTURE_TEST(the_panel_must_be_the_workspaces),
        FIXTURE_TEST(a_running_test_is_left_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
