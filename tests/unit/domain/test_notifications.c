/*
 * tests/unit/domain/test_notifications.c - domain/notifications.h against a
 * real SQLite store with every migration applied: notify inside the
 * caller's transaction (kept on commit, gone on rollback), dedupe keys
 * (a repeat skipped silently, per workspace), the outbox row queued only
 * when the workspace has a webhook (with the body that will be signed),
 * listing (newest first, pages, the unread filter), marking read (one, all),
 * tenant scoping, and the approaching-limit alert of gate_room: at exactly
 * 80 % (the 8th of 10 projects, the 16th of 20 personas), once per limit
 * and period, again in a new period, never for an insert that is refused.
 * Single-threaded.
 */
#include "core/compat.h"

#include "domain/notifications.h"

#include <setjmp.h>

#include <cmocka.h>

#include "fixture.h"
#include "notices.h"
#include "testutil.h"

#include "core/clock.h"
#include "core/jsonio.h"
#include "domain/gate.h"
#include "domain/personas.h"
#include "domain/projects.h"
#include "domain/templates.h"
#include "domain/webhooks.h"

/* ---- helpers ----------------------------------------------------------------------------- */

static int64_t notifications_of(const char *workspace_id)
{
    return fixture_count(&fx, "notifications WHERE workspace_id = ?", workspace_id);
}

static int64_t outbox_of(const char *workspace_id)
{
    return fixture_count(&fx, "webhook_outbox WHERE workspace_id = ?", workspace_id);
}

static int64_t alerts_of(const char *workspace_id)
{
    return fixture_count(&fx, "notifications WHERE kind = 'limit_approaching' AND workspace_id = ?",
                         workspace_id);
}

/* The first page (limit 100) of the caller's notifications. */
static void list_all(const struct caller *c, bool unread, struct notification_page *pg)
{
    struct err err = ERR_INIT;
    assert_ok(notification_list(fx.store, c, unread, NOTIFICATION_PAGE_MAX, 0, pg, &err), &err);
}

static void create_project(const struct caller *c, enum err_code want)
{
    struct project p = { 0 };
    struct err err = ERR_INIT;
    struct project_input in = { .name = "A project" };
    assert_int_equal(project_create(fx.store, c, &in, &p, &err), want);
    project_release(&p);
}

/* ---- notify ------------------------------------------------------------------------------ */

static void notify_records_a_notification_with_its_figures(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    struct err err = ERR_INIT;
    int64_t before = clock_now_ms();
    assert_ok(notices_notify(&fx, ana->workspace_id, "extra_charge", "10 extra personas: $1.00.",
                             "{\"quantity\":10,\"cents\":100}", NULL, &err),
              &err);
    struct notification_page pg;
    list_all(ana, false, &pg);
    assert_int_equal(pg.n, 1);
    assert_int_equal(pg.total, 1);
    assert_int_equal(pg.unread, 1);
    assert_true(ids_is_uuid(pg.items[0].id, strlen(pg.items[0].id)));
    assert_string_equal(pg.items[0].kind, "extra_charge");
    assert_string_equal(pg.items[0].message, "10 extra personas: $1.00.");
    assert_string_equal(pg.items[0].data_json, "{\"quantity\":10,\"cents\":100}");
    assert_int_equal(pg.items[0].read_at, 0);
    assert_true(pg.items[0].created_at >= before);
    notification_page_release(&pg);

    /* NULL data is an empty object */
    assert_ok(notices_notify(&fx, ana->workspace_id, "plan_changed", "Now on business.", NULL, NULL,
                             &err),
              &err);
    list_all(ana, false, &pg);
    assert_int_equal(pg.n, 2);
    assert_string_equal(pg.items[0].kind, "plan_changed"); /* newest first */
    assert_string_equal(pg.items[0].data_json, "{}");
    notification_page_release(&pg);
}

static void a_repeated_dedupe_key_is_skipped_silently(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    notices_notify_ok(&fx, ana->workspace_id, "limit_approaching", "limit:max_personas:1");
    notices_notify_ok(&fx, ana->workspace_id, "limit_approaching", "limit:max_personas:1");
    notices_notify_ok(&fx, ana->workspace_id, "limit_approaching", "limit:max_personas:1");
    assert_int_equal(notifications_of(ana->workspace_id), 1);
    /* another key is another notification; no key never dedupes */
    notices_notify_ok(&fx, ana->workspace_id, "limit_approaching", "limit:max_personas:2");
    notices_notify_ok(&fx, ana->workspace_id, "extra_charge", NULL);
    notices_notify_ok(&fx, ana->workspace_id, "extra_charge", NULL);
    assert_int_equal(notifications_of(ana->workspace_id), 4);
}

static void a_dedupe_key_belongs_to_its_workspace(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    struct fixture_user b;
    fixture_user_new(&fx, "bo@example.com", NULL, &b);
    notices_notify_ok(&fx, ana->workspace_id, "limit_approaching", "limit:max_projects:7");
    notices_notify_ok(&fx, b.caller.workspace_id, "limit_approaching", "limit:max_projects:7");
    assert_int_equal(notifications_of(ana->workspace_id), 1);
    assert_int_equal(notifications_of(b.caller.workspace_id), 1);
    fixture_user_release(&b);
}

static void notify_goes_with_its_transaction(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    struct err err = ERR_INIT;
    struct store_conn *conn = NULL;
    assert_ok(store_acquire(fx.store, &conn, &err), &err);
    assert_ok(store_begin_write(conn, &err), &err);
    assert_ok(notify(conn, ana->workspace_id, "extra_charge", "Charged.", NULL, "charge:1", &err),
              &err);
    store_rollback(conn); /* the charge failed: its alert is gone with it */
    store_release(fx.store, conn);
    assert_int_equal(notifications_of(ana->workspace_id), 0);
    /* and its key was never taken */
    notices_notify_ok(&fx, ana->workspace_id, "extra_charge", "charge:1");
    assert_int_equal(notifications_of(ana->workspace_id), 1);
}

static void notify_refuses_bad_input(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    const char *ws = ana->workspace_id;
    struct err err = ERR_INIT;
    char kind[NOTIFY_KIND_MAX + 2], key[NOTIFY_DEDUPE_MAX + 2];
    memset(kind, 'k', sizeof(kind) - 1);
    kind[sizeof(kind) - 1] = '\0';
    memset(key, 'x', sizeof(key) - 1);
    key[sizeof(key) - 1] = '\0';

    assert_int_equal(notices_notify(&fx, ws, "", "m", NULL, NULL, &err), ERR_INVALID);
    assert_string_equal(err.field, "kind");
    assert_int_equal(notices_notify(&fx, ws, "Extra-Charge", "m", NULL, NULL, &err), ERR_INVALID);
    assert_int_equal(notices_notify(&fx, ws, kind, "m", NULL, NULL, &err), ERR_INVALID);
    kind[NOTIFY_KIND_MAX] = '\0'; /* exactly the maximum */
    assert_ok(notices_notify(&fx, ws, kind, "m", NULL, NULL, &err), &err);
    assert_int_equal(notices_notify(&fx, ws, "x", "", NULL, NULL, &err), ERR_INVALID);
    assert_string_equal(err.field, "message");
    assert_int_equal(notices_notify(&fx, ws, "x", "two\nlines", NULL, NULL, &err), ERR_INVALID);
    assert_int_equal(notices_notify(&fx, ws, "x", "m", "[1]", NULL, &err), ERR_INVALID);
    assert_string_equal(err.field, "data");
    assert_int_equal(notices_notify(&fx, ws, "x", "m", NULL, "", &err), ERR_INVALID);
    assert_string_equal(err.field, "dedupe_key");
    assert_int_equal(notices_notify(&fx, ws, "x", "m", NULL, key, &err), ERR_INVALID);
    key[NOTIFY_DEDUPE_MAX] = '\0';
    assert_ok(notices_notify(&fx, ws, "x", "m", NULL, key, &err), &err);
    assert_int_equal(notifications_of(ws), 2);
}

/* ---- the outbox -------------------------------------------------------------------------- */

static void no_webhook_queues_nothing(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    notices_notify_ok(&fx, ana->workspace_id, "extra_charge", NULL);
    assert_int_equal(notifications_of(ana->workspace_id), 1);
    assert_int_equal(outbox_of(ana->workspace_id), 0);
}

static void a_webhook_queues_the_body_to_sign(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    struct fixture_user b;
    fixture_user_new(&fx, "bo@example.com", NULL, &b);
    char secret[WEBHOOK_SECRET_LEN];
    notices_set_webhook(&fx, ana, "https://hooks.example.com/in", false, secret);
    struct err err = ERR_INIT;

    assert_ok(notices_notify(&fx, ana->workspace_id, "extra_charge", "Charged \"10\" personas.",
                             "{\"cents\":100}", "charge:7", &err),
              &err);
    /* a repeat queues nothing, and B has no webhook */
    notices_notify_ok(&fx, ana->workspace_id, "extra_charge", "charge:7");
    notices_notify_ok(&fx, b.caller.workspace_id, "extra_charge", NULL);
    assert_int_equal(outbox_of(ana->workspace_id), 1);
    assert_int_equal(outbox_of(b.caller.workspace_id), 0);

    char *nid =
        fixture_text(&fx, "SELECT id FROM notifications WHERE workspace_id = ?", ana->workspace_id);
    assert_int_equal(fixture_count(&fx,
                                   "webhook_outbox WHERE notification_id = ? AND event = "
                                   "'extra_charge' AND url = 'https://hooks.example.com/in' AND "
                                   "attempts = 0 AND delivered_at IS NULL AND failed_at IS NULL",
                                   nid),
                     1);
    char *body = fixture_text(&fx, "SELECT body FROM webhook_outbox WHERE workspace_id = ?",
                              ana->workspace_id);
    json_t *j = NULL;
    assert_ok(jsonio_parse(body, strlen(body), &j, &err), &err);
    assert_string_equal(json_string_value(json_object_get(j, "id")), nid);
    assert_string_equal(json_string_value(json_object_get(j, "event")), "extra_charge");
    assert_string_equal(json_string_value(json_object_get(j, "workspace_id")), ana->workspace_id);
    assert_string_equal(json_string_value(json_object_get(j, "message")),
                        "Charged \"10\" personas.");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "data"), "cents")), 100);
    int64_t at = 0;
    assert_true(clock_parse_iso8601(json_string_value(json_object_get(j, "created_at")), &at));
    json_decref(j);
    free(body);
    free(nid);
    fixture_user_release(&b);
}

/* ---- list and mark read ------------------------------------------------------------------ */

static void lists_newest_first_in_pages_and_filters_unread(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    char kind[16];
    for (int i = 0; i < 5; i++) {
        snprintf(kind, sizeof(kind), "k%d", i);
        notices_notify_ok(&fx, ana->workspace_id, kind, NULL);
    }
    struct err err = ERR_INIT;
    struct notification_page pg;
    assert_ok(notification_list(fx.store, ana, false, 2, 1, &pg, &err), &err);
    assert_int_equal(pg.n, 2);
    assert_int_equal(pg.total, 5);
    assert_int_equal(pg.limit, 2);
    assert_int_equal(pg.offset, 1);
    assert_string_equal(pg.items[0].kind, "k3");
    assert_string_equal(pg.items[1].kind, "k2");
    char read_id[IDS_UUID_LEN];
    snprintf(read_id, sizeof(read_id), "%s", pg.items[0].id);
    notification_page_release(&pg);

    struct notification n;
    assert_ok(notification_mark_read(fx.store, ana, read_id, &n, &err), &err);
    assert_string_equal(n.kind, "k3");
    assert_true(n.read_at > 0);
    notification_release(&n);

    list_all(ana, true, &pg);
    assert_int_equal(pg.n, 4);
    assert_int_equal(pg.total, 4);
    assert_int_equal(pg.unread, 4);
    for (size_t i = 0; i < pg.n; i++)
        assert_string_not_equal(pg.items[i].id, read_id);
    notification_page_release(&pg);
    list_all(ana, false, &pg);
    assert_int_equal(pg.total, 5);
    assert_int_equal(pg.unread, 4);
    notification_page_release(&pg);

    /* past the end: an empty page with the total */
    assert_ok(notification_list(fx.store, ana, false, 10, 5, &pg, &err), &err);
    assert_int_equal(pg.n, 0);
    assert_int_equal(pg.total, 5);
    notification_page_release(&pg);
    /* limits: 0, the maximum + 1, a negative offset */
    assert_int_equal(notification_list(fx.store, ana, false, 0, 0, &pg, &err), ERR_INVALID);
    assert_string_equal(err.field, "limit");
    assert_int_equal(
        notification_list(fx.store, ana, false, NOTIFICATION_PAGE_MAX + 1, 0, &pg, &err),
        ERR_INVALID);
    assert_int_equal(notification_list(fx.store, ana, false, 1, -1, &pg, &err), ERR_INVALID);
    assert_string_equal(err.field, "offset");
}

static void marking_read_keeps_the_first_time(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    notices_notify_ok(&fx, ana->workspace_id, "extra_charge", NULL);
    char *id =
        fixture_text(&fx, "SELECT id FROM notifications WHERE workspace_id = ?", ana->workspace_id);
    struct store_param p[] = { STORE_TEXT(id) };
    fixture_run(&fx, "UPDATE notifications SET read_at = 1000 WHERE id = ?", p, 1);
    struct notification n;
    struct err err = ERR_INIT;
    assert_ok(notification_mark_read(fx.store, ana, id, &n, &err), &err);
    assert_int_equal(n.read_at, 1000);
    notification_release(&n);
    free(id);
}

static void marks_all_read(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    for (int i = 0; i < 3; i++)
        notices_notify_ok(&fx, ana->workspace_id, "extra_charge", NULL);
    struct err err = ERR_INIT;
    int64_t marked = -1;
    assert_ok(notification_mark_all_read(fx.store, ana, &marked, &err), &err);
    assert_int_equal(marked, 3);
    assert_int_equal(fixture_count(&fx, "notifications WHERE read_at IS NULL AND workspace_id = ?",
                                   ana->workspace_id),
                     0);
    assert_ok(notification_mark_all_read(fx.store, ana, &marked, &err), &err);
    assert_int_equal(marked, 0);
}

static void another_workspace_sees_and_marks_nothing(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    struct fixture_user b;
    fixture_user_new(&fx, "bo@example.com", NULL, &b);
    notices_notify_ok(&fx, ana->workspace_id, "extra_charge", NULL);
    notices_notify_ok(&fx, ana->workspace_id, "plan_changed", NULL);
    char *id =
        fixture_text(&fx, "SELECT id FROM notifications WHERE workspace_id = ?", ana->workspace_id);

    struct notification_page pg;
    list_all(&b.caller, false, &pg);
    assert_int_equal(pg.n, 0);
    assert_int_equal(pg.total, 0);
    assert_int_equal(pg.unread, 0);
    notification_page_release(&pg);

    /* A's id is not found for B, exactly like an id that exists nowhere */
    struct notification n;
    struct err foreign = ERR_INIT, nowhere = ERR_INIT;
    assert_int_equal(notification_mark_read(fx.store, &b.caller, id, &n, &foreign), ERR_NOT_FOUND);
    char other[IDS_UUID_LEN];
    ids_uuid7(other);
    assert_int_equal(notification_mark_read(fx.store, &b.caller, other, &n, &nowhere),
                     ERR_NOT_FOUND);
    assert_string_equal(foreign.field, nowhere.field);
    char want[128];
    snprintf(want, sizeof(want), "no notification '%s'", id);
    assert_string_equal(foreign.msg, want);
    assert_int_equal(notification_mark_read(fx.store, &b.caller, "not-a-uuid", &n, &nowhere),
                     ERR_NOT_FOUND);

    int64_t marked = -1;
    assert_ok(notification_mark_all_read(fx.store, &b.caller, &marked, &foreign), &foreign);
    assert_int_equal(marked, 0);
    assert_int_equal(fixture_count(&fx, "notifications WHERE read_at IS NULL AND workspace_id = ?",
                                   ana->workspace_id),
                     2);
    free(id);
    fixture_user_release(&b);
}

/* ---- the approaching-limit alert --------------------------------------------------------- */

/* Agency allows 10 projects: the 8th reaches 80 % exactly; the 7th (70 %) does not. */
static void the_8th_of_10_projects_alerts_once_a_period(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    fixture_user_set_plan(&fx, &fx_user, "agency");
    const char *ws = ana->workspace_id;
    for (int i = 0; i < 7; i++)
        create_project(ana, ERR_OK);
    assert_int_equal(alerts_of(ws), 0);
    create_project(ana, ERR_OK); /* 8 of 10 */
    assert_int_equal(alerts_of(ws), 1);

    struct notification_page pg;
    list_all(ana, false, &pg);
    assert_int_equal(pg.n, 1);
    assert_string_equal(pg.items[0].kind, "limit_approaching");
    assert_string_equal(
        pg.items[0].message,
        "max_projects: the workspace uses 8 of the 10 its agency plan allows (80 %)");
    json_t *data = NULL;
    struct err err = ERR_INIT;
    assert_ok(jsonio_parse(pg.items[0].data_json, strlen(pg.items[0].data_json), &data, &err),
              &err);
    assert_string_equal(json_string_value(json_object_get(data, "limit")), "max_projects");
    assert_int_equal(json_integer_value(json_object_get(data, "used")), 8);
    assert_int_equal(json_integer_value(json_object_get(data, "allowed")), 10);
    assert_int_equal(json_integer_value(json_object_get(data, "percent")), 80);
    assert_string_equal(json_string_value(json_object_get(data, "plan")), "agency");
    json_decref(data);
    notification_page_release(&pg);

    /* the key is the limit and the period's start */
    int64_t start = fixture_int(&fx, "SELECT current_period_start FROM workspaces WHERE id = ?",
                                (struct store_param[]){ STORE_TEXT(ws) }, 1);
    char key[128];
    snprintf(key, sizeof(key), "limit:max_projects:%" PRId64, start);
    char *got =
        fixture_text(&fx, "SELECT dedupe_key FROM notifications WHERE workspace_id = ?", ws);
    assert_string_equal(got, key);
    free(got);

    create_project(ana, ERR_OK); /* 9 */
    create_project(ana, ERR_OK); /* 10 */
    create_project(ana, ERR_PLAN_LIMIT);
    assert_int_equal(alerts_of(ws), 1);

    /* a new period: the same threshold alerts again, once */
    struct store_param next[] = { STORE_INT(start + 31LL * 86400 * 1000), STORE_TEXT(ws) };
    fixture_run(&fx, "UPDATE workspaces SET current_period_start = ? WHERE id = ?", next, 2);
    fixture_run(&fx,
                "DELETE FROM projects WHERE id IN (SELECT id FROM projects WHERE "
                "workspace_id = ? LIMIT 2)",
                (struct store_param[]){ STORE_TEXT(ws) }, 1);
    create_project(ana, ERR_OK); /* 9 of 10 */
    assert_int_equal(alerts_of(ws), 2);
    create_project(ana, ERR_OK); /* 10 */
    assert_int_equal(alerts_of(ws), 2);
}

/* Free allows 20 personas: the 16th template reaches 80 %; the alert is personas' own. */
static void the_16th_of_20_personas_alerts_once(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    const char *ws = ana->workspace_id;
    const struct persona_template *all;
    size_t n;
    struct err err = ERR_INIT;
    assert_ok(templates_get(&all, &n, &err), &err);
    assert_true(n > 20);
    struct persona_record r;
    for (size_t i = 0; i < 20; i++) {
        struct persona_input in = { .template_id = all[i].id };
        assert_ok(personas_add(fx.store, ana, &in, &r, &err), &err);
        persona_record_release(&r);
        assert_int_equal(alerts_of(ws), i + 1 >= 16 ? 1 : 0);
    }
    struct persona_input in = { .template_id = all[20].id };
    assert_int_equal(personas_add(fx.store, ana, &in, &r, &err), ERR_PLAN_LIMIT);
    assert_int_equal(alerts_of(ws), 1);
    char *data = fixture_text(&fx, "SELECT data FROM notifications WHERE workspace_id = ?", ws);
    assert_contains(data, "\"limit\":\"max_personas\",\"used\":16,\"allowed\":20,\"percent\":80");
    free(data);
}

/* An insert refused at the gate records no alert, even past 80 %. */
static void a_refused_insert_alerts_nothing(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    const char *ws = ana->workspace_id;
    /* free: 1 project; the one there is was planted past every check */
    char id[IDS_UUID_LEN];
    ids_uuid7(id);
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(ws) };
    fixture_run(&fx,
                "INSERT INTO projects (id, workspace_id, name, created_at, updated_at) "
                "VALUES (?, ?, 'planted', 1, 1)",
                p, 2);
    create_project(ana, ERR_PLAN_LIMIT);
    assert_int_equal(alerts_of(ws), 0);
}

/* The alert is at 80 % whatever the limit: 4 of 5 yes, 3 of 5 no; unlimited never. */
static void the_threshold_is_80_percent(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    const char *ws = ana->workspace_id;
    struct err err = ERR_INIT;
    struct store_conn *conn = NULL;
    assert_ok(store_acquire(fx.store, &conn, &err), &err);
    assert_ok(store_begin_write(conn, &err), &err);
    assert_ok(notify_limit_approaching(conn, ws, "free", "a", 3, 5, &err), &err);
    assert_ok(notify_limit_approaching(conn, ws, "free", "b", 4, 5, &err), &err);
    assert_ok(notify_limit_approaching(conn, ws, "free", "c", 1000, -1, &err), &err);
    assert_ok(notify_limit_approaching(conn, ws, "free", "d", 0, 0, &err), &err);
    assert_ok(notify_limit_approaching(conn, ws, "free", "e", 79, 100, &err), &err);
    assert_ok(notify_limit_approaching(conn, ws, "free", "f", 80, 100, &err), &err);
    assert_ok(store_commit(conn, &err), &err);
    store_release(fx.store, conn);
    assert_int_equal(alerts_of(ws), 2);
    assert_int_equal(fixture_count(&fx,
                                   "notifications WHERE dedupe_key LIKE 'limit:b:%' AND "
                                   "workspace_id = ?",
                                   ws),
                     1);
    assert_int_equal(fixture_count(&fx,
                                   "notifications WHERE dedupe_key LIKE 'limit:f:%' AND "
                                   "workspace_id = ?",
                                   ws),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FIXTURE_USER_TEST(notify_records_a_notification_with_its_figures),
        FIXTURE_USER_TEST(a_repeated_dedupe_key_is_skipped_silently),
        FIXTURE_USER_TEST(a_dedupe_key_belongs_to_its_workspace),
        FIXTURE_USER_TEST(notify_goes_with_its_transaction),
        FIXTURE_USER_TEST(notify_refuses_bad_input),
        FIXTURE_USER_TEST(no_webhook_queues_nothing),
        FIXTURE_USER_TEST(a_webhook_queues_the_body_to_sign),
        FIXTURE_USER_TEST(lists_newest_first_in_pages_and_filters_unread),
        FIXTURE_USER_TEST(marking_read_keeps_the_first_time),
        FIXTURE_USER_TEST(marks_all_read),
        FIXTURE_USER_TEST(another_workspace_sees_and_marks_nothing),
        FIXTURE_USER_TEST(the_8th_of_10_projects_alerts_once_a_period),
        FIXTURE_USER_TEST(the_16th_of_20_personas_alerts_once),
        FIXTURE_USER_TEST(a_refused_insert_alerts_nothing),
        FIXTURE_USER_TEST(the_threshold_is_80_percent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
