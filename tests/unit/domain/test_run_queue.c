/*
 * tests/unit/domain/test_run_queue.c - runs as a job queue (domain/runs.c
 * run_claim, domain/run_lease.c): claims in order and never twice, a lease
 * that ran out claimed again, the heartbeat that keeps a lease and notices
 * it lost; and on PostgreSQL (TEST_DATABASE_URL) the queue's concurrency:
 * a claim passes over a run another claim holds (FOR UPDATE SKIP LOCKED),
 * does not wait for the writers' lock, and a cancel that meets a claim acts
 * on the run as the claim left it.
 */
#include "core/compat.h"

#include "domain/runs.h"

#include <pthread.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/personas.h"
#include "domain/run_lease.h"
#include "domain/templates.h"
#include "domain/tests.h"
#include "fixture.h"
#include "testdb.h"
#include "testutil.h"

#define LONG_AGO 1000 /* created_at of planted runs: the order claims follow */

/* A product test of u's on one template persona; its id into test_id. */
static void make_test(struct fixture_user *u, char test_id[IDS_UUID_LEN])
{
    const struct persona_template *all;
    size_t n;
    struct err err = ERR_INIT;
    assert_ok(templates_get(&all, &n, &err), &err);
    struct persona_input in = { .template_id = all[0].id };
    struct persona_record p;
    assert_ok(personas_add(fx.store, &u->caller, &in, &p, &err), &err);
    char json[1024];
    snprintf(json, sizeof(json),
             "{\"name\":\"Queue\",\"type\":\"product\",\"config\":{\"personas\":[\"%s\"],"
             "\"scenarios\":[{\"id\":\"s\",\"stimulus\":\"FreshBox: dinners, $49/month.\","
             "\"questions\":[{\"id\":\"buy\",\"kind\":\"yes_no\",\"prompt\":\"Buy?\"}]}]}}",
             p.id);
    struct test_record t;
    assert_ok(test_create(fx.store, &u->caller, json, strlen(json), &t, &err), &err);
    snprintf(test_id, IDS_UUID_LEN, "%s", t.id);
    test_record_release(&t);
    persona_record_release(&p);
}

/* Plants a run of test_id in status with lease_until (0: none), created at `at`. */
static void plant_run(const char *test_id, const char *status, int64_t lease_until, int64_t at,
                      char run_id[IDS_UUID_LEN])
{
    ids_uuid7(run_id);
    struct store_param p[] = {
        STORE_TEXT(run_id),
        STORE_TEXT(fx_user.caller.workspace_id),
        STORE_TEXT(test_id),
        STORE_TEXT(fx_user.caller.user_id),
        STORE_TEXT(status),
        STORE_TEXT(lease_until ? "someone" : NULL),
        lease_until ? STORE_INT(lease_until) : STORE_NULL,
        STORE_INT(at),
        STORE_INT(at),
    };
    fixture_run(&fx,
                "INSERT INTO runs (id, workspace_id, test_id, started_by, status, spec, seed, "
                "lease_owner, lease_until, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, '{}', 7, ?, ?, ?, ?)",
                p, ARRAY_SIZE(p));
}

static enum err_code claim(const char *owner, int64_t lease_ms, char run_id[IDS_UUID_LEN])
{
    struct err err = ERR_INIT;
    return run_claim(fx.store, owner, lease_ms, run_id, &err);
}

static char *column_of(const char *column, const char *run_id)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT %s FROM runs WHERE id = ?", column);
    return fixture_text(&fx, sql, run_id);
}

static void assert_column(const char *column, const char *run_id, const char *want)
{
    char *got = column_of(column, run_id);
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got ? got : "(null)", want);
    free(got);
}

static void claims_take_the_oldest_run_and_never_one_twice(void **state)
{
    (void)state;
    char test_id[IDS_UUID_LEN], a[IDS_UUID_LEN], b[IDS_UUID_LEN], c[IDS_UUID_LEN];
    make_test(&fx_user, test_id);
    plant_run(test_id, "queued", 0, LONG_AGO + 2, b);
    plant_run(test_id, "queued", 0, LONG_AGO + 1, a);
    plant_run(test_id, "paused", 0, LONG_AGO, c); /* paused: not for the taking */
    char got[IDS_UUID_LEN];
    assert_int_equal(claim("w1", 60000, got), ERR_OK);
    assert_string_equal(got, a);
    assert_int_equal(claim("w2", 60000, got), ERR_OK);
    assert_string_equal(got, b);
    assert_int_equal(claim("w3", 60000, got), ERR_NOT_FOUND);
    assert_column("lease_owner", a, "w1");
    assert_column("lease_owner", b, "w2");
    assert_column("status", a, "running");
    assert_column("status", c, "paused");
    assert_int_equal(fixture_count(&fx, "runs WHERE attempts = 1", NULL), 2);
}

static void a_run_whose_lease_ran_out_is_claimed_again(void **state)
{
    (void)state;
    char test_id[IDS_UUID_LEN], dead[IDS_UUID_LEN], alive[IDS_UUID_LEN], got[IDS_UUID_LEN];
    make_test(&fx_user, test_id);
    int64_t now = clock_now_ms();
    plant_run(test_id, "running", now + 60000, LONG_AGO, alive);
    plant_run(test_id, "running", now - 1, LONG_AGO + 1, dead);
    assert_int_equal(claim("w2", 60000, got), ERR_OK);
    assert_string_equal(got, dead);
    assert_column("lease_owner", dead, "w2");
    assert_column("lease_owner", alive, "someone");
    assert_int_equal(claim("w3", 60000, got), ERR_NOT_FOUND);
}

/* The heartbeat renews a lease far shorter than the time it is held, and sees it lost. */
static void the_heartbeat_keeps_a_lease_and_notices_it_lost(void **state)
{
    (void)state;
    char test_id[IDS_UUID_LEN], run[IDS_UUID_LEN], got[IDS_UUID_LEN];
    make_test(&fx_user, test_id);
    plant_run(test_id, "queued", 0, LONG_AGO, run);
    const int64_t lease = 600; /* beats every 200 ms: 400 ms to spare on a loaded machine */
    assert_int_equal(claim("w1", lease, got), ERR_OK);
    struct run_lease *beat = run_lease_start(fx.store, run, "w1", lease);
    assert_non_null(beat);
    clock_sleep_ms(3 * lease);
    assert_int_equal(claim("w2", lease, got), ERR_NOT_FOUND); /* held all along */
    assert_false(run_lease_lost(beat));
    run_lease_stop(beat);
    clock_sleep_ms(lease + 100);
    assert_int_equal(claim("w2", lease, got), ERR_OK); /* no heartbeat: it ran out */
    assert_string_equal(got, run);
    beat = run_lease_start(fx.store, run, "w1", lease); /* w1 comes back */
    for (int i = 0; i < 100 && !run_lease_lost(beat); i++)
        clock_sleep_ms(20);
    assert_true(run_lease_lost(beat));
    run_lease_stop(beat);
    assert_column("lease_owner", run, "w2"); /* the lost heartbeat took nothing back */
}

/* ---- PostgreSQL: claims beside the writers --------------------------------------------------- */

static bool on_postgres(void)
{
    return testdb_server_url() != NULL;
}

static void a_claim_passes_over_a_run_another_claim_holds(void **state)
{
    (void)state;
    if (!on_postgres())
        skip(); /* SQLite: one writer at a time, nothing is held beside a claim */
    char test_id[IDS_UUID_LEN], first[IDS_UUID_LEN], second[IDS_UUID_LEN], got[IDS_UUID_LEN];
    make_test(&fx_user, test_id);
    plant_run(test_id, "queued", 0, LONG_AGO, first);
    plant_run(test_id, "queued", 0, LONG_AGO + 1, second);
    struct store_conn *held = NULL;
    struct err err = ERR_INIT;
    assert_ok(store_acquire(fx.store, &held, &err), &err);
    assert_ok(store_begin_rows(held, &err), &err);
    struct store_param p[] = { STORE_TEXT(first) };
    int64_t one = 0;
    assert_ok(store_query_int(held, "SELECT 1 FROM runs WHERE id = ? FOR UPDATE", p, 1, &one, &err),
              &err);
    int64_t t0 = clock_now_ms();
    assert_int_equal(claim("w2", 60000, got), ERR_OK);
    assert_true(clock_now_ms() - t0 < 2000); /* it did not wait for the lock */
    assert_string_equal(got, second);
    store_rollback(held);
    store_release(fx.store, held);
    assert_int_equal(claim("w3", 60000, got), ERR_OK);
    assert_string_equal(got, first);
}

static void a_claim_does_not_wait_for_the_writers_lock(void **state)
{
    (void)state;
    if (!on_postgres())
        skip();
    char test_id[IDS_UUID_LEN], run[IDS_UUID_LEN], got[IDS_UUID_LEN];
    make_test(&fx_user, test_id);
    plant_run(test_id, "queued", 0, LONG_AGO, run);
    struct store_conn *writer = NULL;
    struct err err = ERR_INIT;
    assert_ok(store_acquire(fx.store, &writer, &err), &err);
    assert_ok(store_begin_write(writer, &err), &err); /* holds the writers' lock */
    assert_int_equal(claim("w1", 60000, got), ERR_OK);
    assert_string_equal(got, run);
    store_rollback(writer);
    store_release(fx.store, writer);
}

struct asker {
    const char *test_id, *run_id;
    enum err_code rc;
    struct run_record out;
};

static void *cancel_run(void *arg)
{
    struct asker *a = arg;
    struct err err = ERR_INIT;
    a->rc = run_ask(fx.store, &fx_user.caller, a->test_id, a->run_id, RUN_REQUEST_CANCEL, &a->out,
                    &err);
    return NULL;
}

/*
 * A cancel reads the run queued while a claim (not yet committed) makes it
 * running: it must act on the running run (ask the worker to cancel), not
 * cancel a run a worker now holds behind its back.
 */
static void a_cancel_that_meets_a_claim_asks_the_worker(void **state)
{
    (void)state;
    if (!on_postgres())
        skip();
    char test_id[IDS_UUID_LEN], run[IDS_UUID_LEN];
    make_test(&fx_user, test_id);
    plant_run(test_id, "queued", 0, LONG_AGO, run);
    struct store_conn *claimer = NULL;
    struct err err = ERR_INIT;
    assert_ok(store_acquire(fx.store, &claimer, &err), &err);
    assert_ok(store_begin_rows(claimer, &err), &err);
    struct store_param p[] = { STORE_TEXT(run) };
    assert_ok(store_run(claimer,
                        "UPDATE runs SET status = 'running', lease_owner = 'w1', "
                        "lease_until = 9000000000000 WHERE id = ?",
                        p, 1, NULL, &err),
              &err);
    struct asker a = { .test_id = test_id, .run_id = run };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, cancel_run, &a), 0);
    clock_sleep_ms(300); /* the cancel has read 'queued' and waits for the row */
    assert_ok(store_commit(claimer, &err), &err);
    store_release(fx.store, claimer);
    pthread_join(t, NULL);
    assert_int_equal(a.rc, ERR_OK);
    assert_int_equal(a.out.status, RUN_STATUS_RUNNING);
    assert_string_equal(a.out.requested ? a.out.requested : "(null)", "cancel");
    run_record_release(&a.out);
    assert_column("status", run, "running");
    assert_column("lease_owner", run, "w1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FIXTURE_USER_TEST(claims_take_the_oldest_run_and_never_one_twice),
        FIXTURE_USER_TEST(a_run_whose_lease_ran_out_is_claimed_again),
        FIXTURE_USER_TEST(the_heartbeat_keeps_a_lease_and_notices_it_lost),
        FIXTURE_USER_TEST(a_claim_passes_over_a_run_another_claim_holds),
        FIXTURE_USER_TEST(a_claim_does_not_wait_for_the_writers_lock),
        FIXTURE_USER_TEST(a_cancel_that_meets_a_claim_asks_the_worker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
