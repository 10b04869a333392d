/*
 * tests/unit/store/test_kv.c - the in-process kv's window counters
 * (store/kv.h): hits count within a window and restart after it, keys are
 * apart, clear forgets, peek does not count, the table stays within its
 * bound however many keys pass, and counts stay exact under threads.
 */
#include "core/compat.h"

#include <pthread.h>
#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "store/kv.h"

static int64_t hit(struct kv *kv, const char *key, int64_t now, int64_t *reset)
{
    int64_t count = 0, r = 0;
    assert_ok(kv->hit(kv, key, 1000, now, &count, &r, NULL), NULL);
    if (reset)
        *reset = r;
    return count;
}

static void hits_count_within_a_window_and_restart_after_it(void **state)
{
    (void)state;
    struct kv *kv = kv_mem_new(100);
    int64_t reset;
    assert_int_equal(hit(kv, "a", 5000, &reset), 1);
    assert_int_equal(reset, 6000);
    assert_int_equal(hit(kv, "a", 5500, NULL), 2);
    assert_int_equal(hit(kv, "a", 5999, NULL), 3);
    assert_int_equal(hit(kv, "b", 5999, NULL), 1);   /* keys are apart */
    assert_int_equal(hit(kv, "a", 6000, &reset), 1); /* a new window */
    assert_int_equal(reset, 7000);
    int64_t count, r;
    assert_ok(kv->peek(kv, "a", 6100, &count, &r, NULL), NULL);
    assert_int_equal(count, 1);
    assert_ok(kv->peek(kv, "a", 7000, &count, &r, NULL), NULL);
    assert_int_equal(count, 0); /* ended */
    assert_ok(kv->peek(kv, "zzz", 6100, &count, &r, NULL), NULL);
    assert_int_equal(count, 0);
    assert_ok(kv->clear(kv, "b", NULL), NULL);
    assert_int_equal(hit(kv, "b", 6100, NULL), 1);
    kv_free(kv);
}

static void the_table_stays_within_its_bound(void **state)
{
    (void)state;
    struct kv *kv = kv_mem_new(50);
    char key[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        assert_int_equal(hit(kv, key, 1000 + i, NULL), 1);
    }
    /* the newest keys are still counted */
    snprintf(key, sizeof(key), "k%d", 9999);
    assert_int_equal(hit(kv, key, 10999, NULL), 2);
    kv_free(kv);
}

struct hammer {
    struct kv *kv;
    int n;
};

static void *hammer_run(void *arg)
{
    struct hammer *h = arg;
    for (int i = 0; i < h->n; i++) {
        int64_t c, r;
        h->kv->hit(h->kv, "shared", 1000000, 1, &c, &r, NULL);
    }
    return NULL;
}

static void counts_are_exact_under_threads(void **state)
{
    (void)state;
    struct kv *kv = kv_mem_new(10);
    struct hammer h = { kv, 5000 };
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, hammer_run, &h);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    int64_t count, r;
    assert_ok(kv->peek(kv, "shared", 2, &count, &r, NULL), NULL);
    assert_int_equal(count, 20000);
    kv_free(kv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hits_count_within_a_window_and_restart_after_it),
        cmocka_unit_test(the_table_stays_within_its_bound),
        cmocka_unit_test(counts_are_exact_under_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
