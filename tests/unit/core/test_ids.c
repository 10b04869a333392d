/*
 * tests/unit/core/test_ids.c - core/ids.h: UUIDv7 text (format, version and
 * variant, the embedded timestamp), strict ordering in a tight loop and
 * uniqueness across threads, ids_is_uuid(), and ids_random_hex() length and
 * alphabet at its internal chunk boundary.
 */
#include "core/compat.h"

#include <pthread.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/xalloc.h"

#define N_THREADS  4
#define PER_THREAD 2500

static bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* The 48-bit millisecond timestamp at the front of a UUIDv7. */
static int64_t uuid_ms(const char *u)
{
    int64_t ms = 0;
    for (int i = 0; i < 13; i++) {
        if (u[i] == '-')
            continue;
        int d = u[i] <= '9' ? u[i] - '0' : u[i] - 'a' + 10;
        ms = ms * 16 + d;
    }
    return ms;
}

static int cmp_uuid(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- ids_uuid7 ---------------------------------------------------------------------- */

static void uuid7_timestamp_is_the_current_millisecond(void **state)
{
    (void)state;
    char u[IDS_UUID_LEN];
    int64_t before = clock_now_ms();
    ids_uuid7(u);
    int64_t after = clock_now_ms();
    int64_t ms = uuid_ms(u);
    assert_true(ms >= before);
    assert_true(ms <= after);
}

static void uuid7_has_canonical_lower_case_form(void **state)
{
    (void)state;
    char u[IDS_UUID_LEN];
    ids_uuid7(u);
    assert_int_equal(strlen(u), 36);
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(u[i], '-');
        else if (!is_lower_hex(u[i]))
            fail_msg("'%s': character %d is not lower-case hex", u, i);
    }
    assert_true(ids_is_uuid(u, strlen(u)));
}

static void uuid7_has_version_7_and_rfc_variant(void **state)
{
    (void)state;
    for (int i = 0; i < 1000; i++) {
        char u[IDS_UUID_LEN];
        ids_uuid7(u);
        assert_int_equal(u[14], '7');
        if (!strchr("89ab", u[19]))
            fail_msg("'%s': variant nibble '%c' is not 10xx", u, u[19]);
    }
}

static void uuid7_strictly_increases_in_a_tight_loop(void **state)
{
    (void)state;
    char prev[IDS_UUID_LEN], cur[IDS_UUID_LEN];
    ids_uuid7(prev);
    for (int i = 0; i < 10000; i++) {
        ids_uuid7(cur);
        if (strcmp(prev, cur) >= 0)
            fail_msg("call %d: '%s' does not follow '%s'", i, cur, prev);
        memcpy(prev, cur, sizeof(cur));
    }
}

struct id_batch {
    char ids[PER_THREAD][IDS_UUID_LEN];
};

static void *make_ids(void *arg)
{
    struct id_batch *batch = arg;
    for (int i = 0; i < PER_THREAD; i++)
        ids_uuid7(batch->ids[i]);
    return NULL;
}

static void uuid7_from_concurrent_threads_are_unique_and_ordered_per_thread(void **state)
{
    (void)state;
    struct id_batch *batches = xcalloc(N_THREADS, sizeof(*batches));
    pthread_t threads[N_THREADS];
    for (int t = 0; t < N_THREADS; t++)
        assert_int_equal(pthread_create(&threads[t], NULL, make_ids, &batches[t]), 0);
    for (int t = 0; t < N_THREADS; t++)
        assert_int_equal(pthread_join(threads[t], NULL), 0);

    const char **all = xcalloc(N_THREADS * PER_THREAD, sizeof(*all));
    size_t n = 0;
    for (int t = 0; t < N_THREADS; t++) {
        for (int i = 0; i < PER_THREAD; i++) {
            if (i > 0 && strcmp(batches[t].ids[i - 1], batches[t].ids[i]) >= 0)
                fail_msg("thread %d: id %d is not after id %d", t, i, i - 1);
            all[n++] = batches[t].ids[i];
        }
    }
    qsort(all, n, sizeof(*all), cmp_uuid);
    for (size_t i = 1; i < n; i++)
        if (strcmp(all[i - 1], all[i]) == 0)
            fail_msg("duplicate id '%s'", all[i]);
    free(all);
    free(batches);
}

/* ---- ids_is_uuid -------------------------------------------------------------------- */

static void is_uuid_accepts_lower_and_upper_case(void **state)
{
    (void)state;
    const char *lower = "0192f5c8-1a2b-7c3d-8e4f-0123456789ab";
    const char *upper = "0192F5C8-1A2B-7C3D-8E4F-0123456789AB";
    assert_true(ids_is_uuid(lower, 36));
    assert_true(ids_is_uuid(upper, 36));
}

static void is_uuid_rejects_wrong_lengths(void **state)
{
    (void)state;
    const char *u = "0192f5c8-1a2b-7c3d-8e4f-0123456789ab";
    assert_false(ids_is_uuid(u, 0));
    assert_false(ids_is_uuid(u, 35));
    assert_false(ids_is_uuid("0192f5c8-1a2b-7c3d-8e4f-0123456789abc", 37));
    assert_false(ids_is_uuid("", 0));
}

static void is_uuid_looks_only_at_len_bytes(void **state)
{
    (void)state;
    assert_true(ids_is_uuid("0192f5c8-1a2b-7c3d-8e4f-0123456789ab/extra", 36));
}

static void is_uuid_rejects_misplaced_or_missing_hyphens(void **state)
{
    (void)state;
    assert_false(ids_is_uuid("0192f5c81-a2b-7c3d-8e4f-0123456789ab", 36));
    assert_false(ids_is_uuid("0192f5c8-1a2b-7c3d-8e4f0-123456789ab", 36));
    assert_false(ids_is_uuid("0192f5c8x1a2b-7c3d-8e4f-0123456789ab", 36));
    assert_false(ids_is_uuid("0192f5c8-1a2b-7c3d-8e4f-0123456789-b", 36));
    assert_false(ids_is_uuid("0192f5c81a2b7c3d8e4f0123456789abcdef", 36));
}

static void is_uuid_rejects_non_hex_digits(void **state)
{
    (void)state;
    assert_false(ids_is_uuid("0192f5c8-1a2b-7c3d-8e4f-0123456789ag", 36));
    assert_false(ids_is_uuid("g192f5c8-1a2b-7c3d-8e4f-0123456789ab", 36));
    assert_false(ids_is_uuid("0192f5c8-1a2b-7c3d-8e4f-01234567 9ab", 36));
    assert_false(ids_is_uuid("0192f5c8-1a2b-7c3d-8e4f-0123456789a\0", 36));
}

/* ---- ids_random_hex ------------------------------------------------------------------- */

/* Fills 2 * n_bytes hex digits into a guarded buffer and checks length and alphabet. */
static void assert_random_hex(size_t n_bytes)
{
    size_t size = 2 * n_bytes + 2;
    char *out = xmalloc(size);
    memset(out, '#', size);
    ids_random_hex(out, n_bytes);
    assert_int_equal(strlen(out), 2 * n_bytes);
    for (size_t i = 0; i < 2 * n_bytes; i++)
        if (!is_lower_hex(out[i]))
            fail_msg("n_bytes %zu: character %zu is '%c'", n_bytes, i, out[i]);
    assert_int_equal(out[2 * n_bytes + 1], '#'); /* nothing written past the NUL */
    free(out);
}

static void random_hex_of_zero_bytes_is_empty(void **state)
{
    (void)state;
    assert_random_hex(0);
}

static void random_hex_writes_two_lower_hex_digits_per_byte(void **state)
{
    (void)state;
    assert_random_hex(1);
    assert_random_hex(16);
    assert_random_hex(32);
}

static void random_hex_crosses_its_internal_chunk_boundary(void **state)
{
    (void)state;
    assert_random_hex(63);
    assert_random_hex(64);
    assert_random_hex(65);
    assert_random_hex(200);
}

static void random_hex_differs_between_calls(void **state)
{
    (void)state;
    char a[33], b[33];
    ids_random_hex(a, 16);
    ids_random_hex(b, 16);
    assert_string_not_equal(a, b);
}

static void random_hex_uses_every_digit(void **state)
{
    (void)state;
    char out[2 * 512 + 1];
    ids_random_hex(out, 512);
    for (const char *d = "0123456789abcdef"; *d; d++)
        if (!strchr(out, *d))
            fail_msg("digit '%c' never appears in 1024 random digits", *d);
}

static int setup_ids(void **state)
{
    (void)state;
    ids_init();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uuid7_timestamp_is_the_current_millisecond),
        cmocka_unit_test(uuid7_has_canonical_lower_case_form),
        cmocka_unit_test(uuid7_has_version_7_and_rfc_variant),
        cmocka_unit_test(uuid7_strictly_increases_in_a_tight_loop),
        cmocka_unit_test(uuid7_from_concurrent_threads_are_unique_and_ordered_per_thread),
        cmocka_unit_test(is_uuid_accepts_lower_and_upper_case),
        cmocka_unit_test(is_uuid_rejects_wrong_lengths),
        cmocka_unit_test(is_uuid_looks_only_at_len_bytes),
        cmocka_unit_test(is_uuid_rejects_misplaced_or_missing_hyphens),
        cmocka_unit_test(is_uuid_rejects_non_hex_digits),
        cmocka_unit_test(random_hex_of_zero_bytes_is_empty),
        cmocka_unit_test(random_hex_writes_two_lower_hex_digits_per_byte),
        cmocka_unit_test(random_hex_crosses_its_internal_chunk_boundary),
        cmocka_unit_test(random_hex_differs_between_calls),
        cmocka_unit_test(random_hex_uses_every_digit),
    };
    return cmocka_run_group_tests(tests, setup_ids, NULL);
}
