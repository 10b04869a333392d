/*
 * tests/unit/store/test_redis.c - the Redis client and what is built on it
 * (store/redis.h, kv_redis.c, llm_cache_redis.c, notify.c), against a
 * throw-away redis-server (scripts/redis-server) started by the group
 * setup: the URL parser's answers and errors; window counts, resets and
 * clears on Redis; two clients (two nodes) sharing counts and cached
 * answers; a server that goes down (fallback answers, no network touched
 * until the retry time, redis_up 0) and comes back (shared again,
 * redis_up 1); replies of an unexpected type; run events published by
 * another node waking a waiter, and the poll interval with and without
 * the subscription. Skipped, saying so, only when redis-server is not
 * installed.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <signal.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/clock.h"
#include "core/metrics.h"
#include "store/kv.h"
#include "store/llm_cache.h"
#include "store/notify.h"
#include "store/redis.h"
#include "store/redis_internal.h"

#ifndef TESTS_SOURCE_DIR
#    define TESTS_SOURCE_DIR "tests"
#endif
#define SCRIPT       TESTS_SOURCE_DIR "/../scripts/redis-server"
#define REDIS_SERVER "/usr/bin/redis-server"

static char tmp_dir[256];    /* ours */
static char server_dir[300]; /* the server's, inside tmp_dir */
static char server_url[128]; /* "" when redis-server is not installed */

static int setup(void **state)
{
    (void)state;
    signal(SIGPIPE,
           SIG_IGN); /* as main() does: a write to a closed socket is an error, not death */
    if (access(REDIS_SERVER, X_OK) != 0) {
        fprintf(stderr,
                "# %s is not installed: the Redis tests are skipped (scripts/bootstrap "
                "installs it)\n",
                REDIS_SERVER);
        return 0;
    }
    if (testutil_mkdtemp(tmp_dir, sizeof(tmp_dir), "redis"))
        return -1;
    snprintf(server_dir, sizeof(server_dir), "%s/server", tmp_dir);
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "%s start %s", SCRIPT, server_dir);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    bool got = fgets(server_url, sizeof(server_url), p) != NULL;
    int rc = pclose(p);
    if (!got || rc != 0) {
        fprintf(stderr, "# %s failed\n", cmd);
        return -1;
    }
    server_url[strcspn(server_url, "\n")] = '\0';
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (!server_url[0])
        return 0;
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "%s stop %s", SCRIPT, server_dir);
    int rc = system(cmd);
    testutil_rmtree(tmp_dir);
    return rc == 0 ? 0 : -1;
}

static void server(const char *verb)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "%s %s %s", SCRIPT, verb, server_dir);
    assert_int_equal(system(cmd), 0);
}

#define NEED_SERVER()                                                  \
    do {                                                               \
        if (!server_url[0]) {                                          \
            print_message("redis-server is not installed: skipped\n"); \
            skip();                                                    \
        }                                                              \
    } while (0)

/* A client that retries soon, so the down-and-back tests are quick. */
static struct redis *client(int64_t retry_ms)
{
    struct redis_options o = { .retry_min_ms = retry_ms, .retry_max_ms = retry_ms };
    struct redis *r = NULL;
    struct err err = ERR_INIT;
    assert_ok(redis_open(server_url, &o, &r, &err), &err);
    return r;
}

static double gauge_up(void)
{
    return metric_value(metrics_gauge("redis_up", ""), METRIC_NO_LABELS);
}

static double errors_total(void)
{
    return metric_value(metrics_counter("redis_errors_total", ""), METRIC_NO_LABELS);
}

static int64_t hit(struct kv *kv, const char *key, int64_t window, int64_t now, int64_t *reset)
{
    int64_t count = 0, r = 0;
    struct err err = ERR_INIT;
    assert_ok(kv->hit(kv, key, window, now, &count, &r, &err), &err);
    if (reset)
        *reset = r;
    return count;
}

/* A key of its own for each test run (the server outlives none of them, but keys must not mix). */
static void unique(char *out, size_t n, const char *what)
{
    snprintf(out, n, "%s-%" PRId64, what, clock_mono_ns());
}

/* ---- the URL ------------------------------------------------------------------------------ */

static void url_parser_reads_every_part(void **state)
{
    (void)state;
    struct redis_url u;
    struct err err = ERR_INIT;
    assert_ok(redis_url_parse("redis://127.0.0.1:6380/3", &u, &err), &err);
    assert_string_equal(u.host, "127.0.0.1");
    assert_int_equal(u.port, 6380);
    assert_int_equal(u.db, 3);
    assert_string_equal(u.password, "");
    assert_ok(redis_url_parse("redis://:p%40ss@cache.internal", &u, &err), &err);
    assert_string_equal(u.host, "cache.internal");
    assert_int_equal(u.port, 6379);
    assert_int_equal(u.db, 0);
    assert_string_equal(u.password, "p@ss");
    assert_ok(redis_url_parse("redis://[::1]:7000/", &u, &err), &err);
    assert_string_equal(u.host, "::1");
    assert_int_equal(u.port, 7000);
    assert_ok(redis_url_parse("unix:/run/redis.sock?db=2", &u, &err), &err);
    assert_string_equal(u.unix_path, "/run/redis.sock");
    assert_int_equal(u.db, 2);
}

static void url_parser_names_what_is_wrong(void **state)
{
    (void)state;
    static const struct {
        const char *url, *says;
    } bad[] = {
        { "", "empty" },
        { "rediss://h:6380", "TLS" },
        { "http://h:6379", "not a Redis URL" },
        { "redis://", "no host" },
        { "redis://:6379", "no host" },
        { "redis://h:0", "port" },
        { "redis://h:65536", "port" },
        { "redis://h:abc", "port" },
        { "redis://h:6379/x", "database" },
        { "redis://h:6379/1?timeout=3", "unexpected" },
        { "redis://secret@h", "before '@'" },
        { "redis://:%zz@h", "escape" },
        { "redis://[::1", "']'" },
        { "unix:relative.sock", "absolute path" },
        { "unix:/s.sock?db=x", "db=N" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct redis_url u;
        struct err err = ERR_INIT;
        assert_int_equal(redis_url_parse(bad[i].url, &u, &err), ERR_INVALID);
        assert_contains(err.msg, "REDIS_URL");
        assert_contains(err.msg, bad[i].says);
    }
    struct redis *r = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(redis_open("rediss://h", NULL, &r, &err), ERR_INVALID);
    assert_null(r);
}

/* ---- window counters ---------------------------------------------------------------------- */

static void kv_counts_a_window_from_its_first_hit(void **state)
{
    (void)state;
    NEED_SERVER();
    struct redis *r = client(1000);
    struct kv *kv = kv_redis_new(r, kv_mem_new(100));
    char key[64];
    unique(key, sizeof(key), "win");
    int64_t now = clock_now_ms(), reset = 0, count = 0;
    assert_int_equal(hit(kv, key, 60000, now, &reset), 1);
    assert_int_equal(reset, now + 60000);
    assert_int_equal(hit(kv, key, 60000, now + 10, &reset), 2);
    assert_int_equal(reset, now + 60000); /* the window started at the first hit */
    assert_int_equal(hit(kv, key, 60000, now + 59999, NULL), 3);
    struct err err = ERR_INIT;
    assert_ok(kv->peek(kv, key, now + 100, &count, &reset, &err), &err);
    assert_int_equal(count, 3); /* peek does not count */
    assert_int_equal(reset, now + 60000);
    assert_int_equal(hit(kv, key, 60000, now + 60000, &reset), 1); /* a new window */
    assert_int_equal(reset, now + 120000);
    assert_ok(kv->clear(kv, key, &err), &err);
    assert_ok(kv->peek(kv, key, now + 60001, &count, &reset, &err), &err);
    assert_int_equal(count, 0);
    assert_int_equal(reset, now + 60001);
    assert_int_equal(hit(kv, key, 60000, now + 60002, NULL), 1);
    /* it is in Redis, not in the fallback: another client sees it */
    struct redis *r2 = client(1000);
    const char *argv[] = { "HGET", NULL, "c" };
    char full[128];
    snprintf(full, sizeof(full), "crowdelic:kv:%s", key);
    argv[1] = full;
    redisReply *rep = redis_command(r2, 3, argv, NULL, &err);
    assert_non_null(rep);
    assert_int_equal(rep->type, REDIS_REPLY_STRING);
    assert_string_equal(rep->str, "1");
    freeReplyObject(rep);
    assert_true(gauge_up() == 1);
    kv_free(kv);
    redis_close(r);
    redis_close(r2);
}

static void two_nodes_share_their_counts(void **state)
{
    (void)state;
    NEED_SERVER();
    struct redis *ra = client(1000), *rb = client(1000);
    struct kv *a = kv_redis_new(ra, kv_mem_new(100));
    struct kv *b = kv_redis_new(rb, kv_mem_new(100));
    char key[64];
    unique(key, sizeof(key), "shared");
    int64_t now = clock_now_ms();
    for (int i = 0; i < 5; i++) {
        assert_int_equal(hit(a, key, 60000, now + i, NULL), 2 * i + 1);
        assert_int_equal(hit(b, key, 60000, now + i, NULL), 2 * i + 2);
    }
    kv_free(a);
    kv_free(b);
    redis_close(ra);
    redis_close(rb);
}

static void replies_of_another_type_fall_back_without_going_down(void **state)
{
    (void)state;
    NEED_SERVER();
    struct redis *r = client(1000);
    struct kv *kv = kv_redis_new(r, kv_mem_new(100));
    char key[64], full[128], ckey[128];
    unique(key, sizeof(key), "wrongtype");
    snprintf(full, sizeof(full), "crowdelic:kv:%s", key);
    snprintf(ckey, sizeof(ckey), "crowdelic:llm:%s", key);
    struct err err = ERR_INIT;
    const char *set[] = { "SET", full, "not a hash" };
    redisReply *rep = redis_command(r, 3, set, NULL, &err);
    assert_non_null(rep);
    freeReplyObject(rep);
    const char *hset[] = { "HSET", ckey, "f", "v" };
    rep = redis_command(r, 4, hset, NULL, &err);
    assert_non_null(rep);
    freeReplyObject(rep);
    double errors = errors_total();
    int64_t now = clock_now_ms();
    assert_int_equal(hit(kv, key, 1000, now, NULL), 1); /* WRONGTYPE: the fallback's window */
    assert_int_equal(hit(kv, key, 1000, now, NULL), 2);
    assert_true(errors_total() > errors);
    assert_true(redis_is_up(r)); /* an error reply is not a dead server */
    char *value = NULL;
    assert_int_equal(redis_llm_cache_get(r, key, &value, &err), ERR_UNAVAILABLE);
    assert_null(value);
    assert_contains(err.msg, "WRONGTYPE");
    kv_free(kv);
    redis_close(r);
}

/* ---- the model-call cache ----------------------------------------------------------------- */

static void a_cached_answer_put_on_one_node_is_read_on_another(void **state)
{
    (void)state;
    NEED_SERVER();
    struct redis *a = client(1000), *b = client(1000);
    char key[64];
    unique(key, sizeof(key), "answer");
    struct err err = ERR_INIT;
    char *value = NULL;
    assert_int_equal(redis_llm_cache_get(b, key, &value, &err), ERR_NOT_FOUND);
    assert_null(value);
    assert_ok(redis_llm_cache_put(a, key, "{\"rating\":4}", 60, &err), &err);
    assert_ok(redis_llm_cache_get(b, key, &value, &err), &err);
    assert_string_equal(value, "{\"rating\":4}");
    free(value);
    /* with its time to live */
    char full[128];
    snprintf(full, sizeof(full), "crowdelic:llm:%s", key);
    const char *ttl[] = { "TTL", full };
    redisReply *rep = redis_command(a, 2, ttl, NULL, &err);
    assert_non_null(rep);
    assert_int_equal(rep->type, REDIS_REPLY_INTEGER);
    assert_in_range(rep->integer, 50, 60);
    freeReplyObject(rep);
    redis_close(a);
    redis_close(b);
}

/* ---- down and back ------------------------------------------------------------------------ */

static void a_server_that_goes_down_costs_nothing_and_is_found_again(void **state)
{
    (void)state;
    NEED_SERVER();
    struct redis *ra = client(400), *rb = client(400);
    struct kv *a = kv_redis_new(ra, kv_mem_new(100));
    struct kv *b = kv_redis_new(rb, kv_mem_new(100));
    char key[64];
    unique(key, sizeof(key), "down");
    int64_t now = clock_now_ms();
    assert_int_equal(hit(a, key, 60000, now, NULL), 1);
    assert_int_equal(hit(b, key, 60000, now, NULL), 2);
    server("down");
    /* answered by each node's fallback: per-node counts, never an error */
    assert_int_equal(hit(a, key, 60000, now, NULL), 1);
    assert_int_equal(hit(b, key, 60000, now, NULL), 1);
    assert_false(redis_is_up(ra));
    assert_true(gauge_up() == 0);
    /* until the retry time nothing touches the network: no more errors counted */
    double errors = errors_total();
    int64_t t0 = clock_mono_ms();
    for (int i = 0; i < 20; i++)
        assert_int_equal(hit(a, key, 60000, now, NULL), 2 + i);
    assert_true(clock_mono_ms() - t0 < 300);
    assert_true(errors_total() == errors);
    char *value = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(redis_llm_cache_get(ra, key, &value, &err), ERR_UNAVAILABLE);
    assert_false(redis_ping(ra));
    server("up");
    clock_sleep_ms(1000); /* past the retry time (400 ms, then 800 ms at most) */
    assert_true(redis_ping(ra));
    assert_true(redis_ping(rb));
    assert_true(gauge_up() == 1);
    /* shared again (the server kept nothing: a new window) */
    assert_int_equal(hit(a, key, 60000, now, NULL), 1);
    assert_int_equal(hit(b, key, 60000, now, NULL), 2);
    kv_free(a);
    kv_free(b);
    redis_close(ra);
    redis_close(rb);
}

static void a_server_that_never_answered_starts_down(void **state)
{
    (void)state;
    struct redis *r = NULL;
    struct err err = ERR_INIT;
    /* port 1 on loopback: refused */
    assert_ok(redis_open("redis://127.0.0.1:1/0", NULL, &r, &err), &err);
    assert_false(redis_is_up(r));
    assert_true(gauge_up() == 0);
    struct kv *kv = kv_redis_new(r, kv_mem_new(10));
    assert_int_equal(hit(kv, "k", 1000, 5000, NULL), 1);
    assert_int_equal(hit(kv, "k", 1000, 5001, NULL), 2);
    kv_free(kv);
    redis_close(r);
}

/* ---- run events between nodes --------------------------------------------------------------- */

static bool wait_subscribed(bool want)
{
    for (int i = 0; i < 100; i++) {
        if (notify_subscribed() == want)
            return true;
        clock_sleep_ms(50);
    }
    return false;
}

static void events_published_on_another_node_wake_this_one(void **state)
{
    (void)state;
    NEED_SERVER();
    struct redis *here = client(300), *there = client(300);
    notify_start_redis(here, true);
    assert_true(wait_subscribed(true));
    /* another node's publish */
    uint64_t t = notify_ticket("run-a");
    const char *pub[] = { "PUBLISH", "crowdelic:run:run-a", "another-node" };
    struct err err = ERR_INIT;
    redisReply *rep = redis_command(there, 3, pub, NULL, &err);
    assert_non_null(rep);
    assert_int_equal(rep->type, REDIS_REPLY_INTEGER);
    assert_int_equal(rep->integer, 1); /* one subscriber: ours */
    freeReplyObject(rep);
    int64_t t0 = clock_mono_ms();
    assert_true(notify_wait("run-a", t));
    assert_true(clock_mono_ms() - t0 < 500);
    /* this node's publish wakes at once, and goes to Redis */
    t = notify_ticket("run-b");
    notify_publish("run-b");
    assert_true(notify_wait("run-b", t));
    /* nothing published: the subscribed poll interval */
    t = notify_ticket("run-c");
    t0 = clock_mono_ms();
    assert_false(notify_wait("run-c", t));
    assert_in_range(clock_mono_ms() - t0, NOTIFY_POLL_SUBSCRIBED_MS - 50,
                    NOTIFY_POLL_SUBSCRIBED_MS + 500);
    /* Redis down: the subscription is gone and the poll interval is short again */
    server("down");
    assert_true(wait_subscribed(false));
    t = notify_ticket("run-c");
    t0 = clock_mono_ms();
    assert_false(notify_wait("run-c", t));
    assert_true(clock_mono_ms() - t0 < NOTIFY_POLL_MS + 300);
    t = notify_ticket("run-d");
    notify_publish("run-d"); /* still wakes this process, and does not fail */
    assert_true(notify_wait("run-d", t));
    server("up");
    assert_true(wait_subscribed(true));
    notify_stop_redis();
    assert_false(notify_subscribed());
    redis_close(here);
    redis_close(there);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(url_parser_reads_every_part),
        cmocka_unit_test(url_parser_names_what_is_wrong),
        cmocka_unit_test(kv_counts_a_window_from_its_first_hit),
        cmocka_unit_test(two_nodes_share_their_counts),
        cmocka_unit_test(replies_of_another_type_fall_back_without_going_down),
        cmocka_unit_test(a_cached_answer_put_on_one_node_is_read_on_another),
        cmocka_unit_test(a_server_that_goes_down_costs_nothing_and_is_found_again),
        cmocka_unit_test(a_server_that_never_answered_starts_down),
        cmocka_unit_test(events_published_on_another_node_wake_this_one),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
