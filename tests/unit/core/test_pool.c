/*
 * tests/unit/core/test_pool.c - struct pool (core/pool.h): many small and big
 * allocations stay intact and aligned for any type, the string helpers, and
 * deferred cleanups that run once each, last registered first, before the
 * pool's memory goes away.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include <wchar.h>

#include "core/pool.h"
#include "core/xalloc.h"

#define CHUNK_QUARTER 1024 /* pool.c's threshold for a chunk of its own */

/* ---- helpers --------------------------------------------------------------------- */

static void assert_aligned(const void *p)
{
    if ((uintptr_t)p % _Alignof(max_align_t) != 0)
        fail_msg("%p is not aligned to %zu", p, (size_t) _Alignof(max_align_t));
}

/* Fills p[0..n) with a pattern derived from seed. */
static void stamp(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 31 + i);
}

/* Asserts that p[0..n) still holds the pattern of seed. */
static void assert_stamp(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed * 31 + i))
            fail_msg("allocation %u overwritten at byte %zu", seed, i);
}

/* Records the order in which deferred cleanups ran. */
struct order_log {
    int seen[8];
    size_t n;
};

struct order_entry {
    struct order_log *log;
    int id;
};

static void record_order(void *ptr)
{
    struct order_entry *e = ptr;
    assert_true(e->log->n < ARRAY_SIZE(e->log->seen));
    e->log->seen[e->log->n++] = e->id;
}

static int cleanup_calls;

static void count_call(void *ptr)
{
    (void)ptr;
    cleanup_calls++;
}

static void count_and_free(void *ptr)
{
    cleanup_calls++;
    free(ptr);
}

/* Reads a pool string: proves the pool memory is still alive when cleanups run. */
static char read_back[32];

static void copy_pool_string(void *ptr)
{
    snprintf(read_back, sizeof(read_back), "%s", (const char *)ptr);
}

/* ---- allocation -------------------------------------------------------------------- */

static void new_pool_has_used_nothing(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    assert_non_null(p);
    assert_int_equal(pool_used(p), 0);
    pool_free(p);
}

static void many_small_allocations_stay_distinct_and_intact(void **state)
{
    (void)state;
    enum { N = 5000 };
    struct pool *p = pool_new();
    unsigned char **ptrs = xcalloc(N, sizeof(*ptrs));
    for (unsigned i = 0; i < N; i++) {
        size_t n = 1 + i % 97;
        ptrs[i] = pool_alloc(p, n);
        stamp(ptrs[i], n, i);
    }
    for (unsigned i = 0; i < N; i++)
        assert_stamp(ptrs[i], 1 + i % 97, i);
    free(ptrs);
    pool_free(p);
}

static void every_allocation_is_aligned_for_any_type(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    for (size_t n = 0; n <= 2 * CHUNK_QUARTER + 1; n++)
        assert_aligned(pool_alloc(p, n));
    assert_aligned(pool_alloc(p, 100000));
    assert_aligned(pool_alloc(p, 3));
    pool_free(p);
}

static void zero_byte_allocations_are_distinct_non_null_pointers(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    void *a = pool_alloc(p, 0);
    void *b = pool_alloc(p, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    pool_free(p);
}

static void allocations_at_and_past_the_big_threshold_are_usable(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    unsigned char *small = pool_alloc(p, 10);
    unsigned char *at = pool_alloc(p, CHUNK_QUARTER);
    unsigned char *past = pool_alloc(p, CHUNK_QUARTER + 1);
    unsigned char *after = pool_alloc(p, 10);
    stamp(small, 10, 1);
    stamp(at, CHUNK_QUARTER, 2);
    stamp(past, CHUNK_QUARTER + 1, 3);
    stamp(after, 10, 4);
    assert_stamp(small, 10, 1);
    assert_stamp(at, CHUNK_QUARTER, 2);
    assert_stamp(past, CHUNK_QUARTER + 1, 3);
    assert_stamp(after, 10, 4);
    pool_free(p);
}

static void allocations_bigger_than_a_chunk_are_usable(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    unsigned char *first = pool_alloc(p, 100);
    unsigned char *big = pool_alloc(p, 1 << 20);
    unsigned char *next = pool_alloc(p, 100);
    stamp(first, 100, 1);
    stamp(big, 1 << 20, 2);
    stamp(next, 100, 3);
    assert_stamp(first, 100, 1);
    assert_stamp(big, 1 << 20, 2);
    assert_stamp(next, 100, 3);
    pool_free(p);
}

static void used_counts_at_least_the_bytes_handed_out(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    pool_alloc(p, 10);
    size_t after_small = pool_used(p);
    assert_true(after_small >= 10);
    pool_alloc(p, 5000);
    assert_true(pool_used(p) >= after_small + 5000);
    pool_free(p);
}

static void zalloc_returns_zeroed_memory(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    /* dirty the chunk first so zeroes cannot come from a fresh page */
    unsigned char *dirty = pool_alloc(p, 64);
    memset(dirty, 0xab, 64);
    unsigned char *z = pool_zalloc(p, 300);
    for (size_t i = 0; i < 300; i++)
        assert_int_equal(z[i], 0);
    unsigned char *zbig = pool_zalloc(p, 3000);
    for (size_t i = 0; i < 3000; i++)
        assert_int_equal(zbig[i], 0);
    pool_free(p);
}

/* ---- strings ------------------------------------------------------------------------ */

static void strdup_copies_the_string(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    char src[] = "persona";
    char *s = pool_strdup(p, src);
    src[0] = 'X';
    assert_string_equal(s, "persona");
    assert_string_equal(pool_strdup(p, ""), "");
    pool_free(p);
}

static void memdupz_copies_len_bytes_and_terminates(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    char *s = pool_memdupz(p, "abcdef", 3);
    assert_string_equal(s, "abc");
    char *z = pool_memdupz(p, "a\0b", 3);
    assert_memory_equal(z, "a\0b\0", 4);
    char *e = pool_memdupz(p, NULL, 0);
    assert_string_equal(e, "");
    pool_free(p);
}

static void printf_formats_into_the_pool(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    assert_string_equal(pool_printf(p, "%s-%03d", "run", 7), "run-007");
    assert_string_equal(pool_printf(p, "%s", ""), "");
    pool_free(p);
}

static void printf_output_longer_than_a_chunk_is_complete(void **state)
{
    (void)state;
    struct pool *p = pool_new();
    char *big = xmalloc(9001);
    memset(big, 'y', 9000);
    big[9000] = '\0';
    char *s = pool_printf(p, "<%s>", big);
    assert_int_equal(strlen(s), 9002);
    assert_int_equal(s[0], '<');
    assert_memory_equal(s + 1, big, 9000);
    assert_int_equal(s[9001], '>');
    free(big);
    pool_free(p);
}

static void printf_encoding_error_gives_an_empty_string(void **state)
{
    (void)state;
    /* in the C locale a wide character past ASCII cannot be converted */
    static const wchar_t wide[] = { 0x20ac, 0 };
    struct pool *p = pool_new();
    char *s = pool_printf(p, "x%lsy", wide);
    assert_non_null(s);
    assert_string_equal(s, "");
    pool_free(p);
}

/* ---- cleanups ------------------------------------------------------------------------- */

static void defer_runs_cleanups_in_reverse_order_exactly_once(void **state)
{
    (void)state;
    struct order_log log = { .n = 0 };
    struct order_entry e[3] = { { &log, 1 }, { &log, 2 }, { &log, 3 } };
    struct pool *p = pool_new();
    for (int i = 0; i < 3; i++)
        pool_defer(p, record_order, &e[i]);
    assert_int_equal(log.n, 0);
    pool_free(p);
    assert_int_equal(log.n, 3);
    assert_int_equal(log.seen[0], 3);
    assert_int_equal(log.seen[1], 2);
    assert_int_equal(log.seen[2], 1);
}

static void defer_interleaved_with_allocations_runs_each_cleanup_once(void **state)
{
    (void)state;
    cleanup_calls = 0;
    struct pool *p = pool_new();
    for (int i = 0; i < 500; i++) {
        pool_alloc(p, (size_t)(i * 7 % 3000));
        pool_defer(p, count_call, NULL);
    }
    assert_int_equal(cleanup_calls, 0);
    pool_free(p);
    assert_int_equal(cleanup_calls, 500);
}

static void cleanups_run_while_pool_memory_is_still_valid(void **state)
{
    (void)state;
    read_back[0] = '\0';
    struct pool *p = pool_new();
    char *s = pool_strdup(p, "still here");
    pool_defer(p, copy_pool_string, s);
    pool_free(p);
    assert_string_equal(read_back, "still here");
}

static void defer_can_release_memory_owned_outside_the_pool(void **state)
{
    (void)state;
    cleanup_calls = 0;
    struct pool *p = pool_new();
    pool_defer(p, count_and_free, xstrdup("leaks unless the pool frees it"));
    pool_defer(p, count_and_free, xmalloc(4096));
    pool_free(p); /* LeakSanitizer also checks that both were freed */
    assert_int_equal(cleanup_calls, 2);
}

static void free_of_null_does_nothing(void **state)
{
    (void)state;
    pool_free(NULL); /* the behaviour is "no crash" */
}

static void free_of_unused_pool_runs_no_cleanup(void **state)
{
    (void)state;
    cleanup_calls = 0;
    pool_free(pool_new());
    assert_int_equal(cleanup_calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_pool_has_used_nothing),
        cmocka_unit_test(many_small_allocations_stay_distinct_and_intact),
        cmocka_unit_test(every_allocation_is_aligned_for_any_type),
        cmocka_unit_test(zero_byte_allocations_are_distinct_non_null_pointers),
        cmocka_unit_test(allocations_at_and_past_the_big_threshold_are_usable),
        cmocka_unit_test(allocations_bigger_than_a_chunk_are_usable),
        cmocka_unit_test(used_counts_at_least_the_bytes_handed_out),
        cmocka_unit_test(zalloc_returns_zeroed_memory),
        cmocka_unit_test(strdup_copies_the_string),
        cmocka_unit_test(memdupz_copies_len_bytes_and_terminates),
        cmocka_unit_test(printf_formats_into_the_pool),
        cmocka_unit_test(printf_output_longer_than_a_chunk_is_complete),
        cmocka_unit_test(printf_encoding_error_gives_an_empty_string),
        cmocka_unit_test(defer_runs_cleanups_in_reverse_order_exactly_once),
        cmocka_unit_test(defer_interleaved_with_allocations_runs_each_cleanup_once),
        cmocka_unit_test(cleanups_run_while_pool_memory_is_still_valid),
        cmocka_unit_test(defer_can_release_memory_owned_outside_the_pool),
        cmocka_unit_test(free_of_null_does_nothing),
        cmocka_unit_test(free_of_unused_pool_runs_no_cleanup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
