/*
 * tests/unit/core/test_clock.c - core/clock.h: ISO-8601 text of known
 * instants (the epoch, negative times, 2026, a leap day, the last
 * representable year and past it), the monotonic clock never going back,
 * the wall clock agreeing with time(), and clock_sleep_ms().
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "core/clock.h"

/* Asserts the ISO-8601 text of ms. */
static void assert_iso(int64_t ms, const char *want)
{
    char out[CLOCK_ISO8601_LEN];
    memset(out, '#', sizeof(out));
    clock_iso8601(ms, out);
    assert_string_equal(out, want);
}

/* ---- clock_iso8601 ------------------------------------------------------------------ */

static void iso8601_of_zero_is_the_epoch(void **state)
{
    (void)state;
    assert_iso(0, "1970-01-01T00:00:00.000Z");
}

static void iso8601_keeps_milliseconds(void **state)
{
    (void)state;
    assert_iso(1, "1970-01-01T00:00:00.001Z");
    assert_iso(999, "1970-01-01T00:00:00.999Z");
    assert_iso(1000, "1970-01-01T00:00:01.000Z");
}

static void iso8601_of_negative_ms_counts_back_from_the_epoch(void **state)
{
    (void)state;
    assert_iso(-1, "1969-12-31T23:59:59.999Z");
    assert_iso(-999, "1969-12-31T23:59:59.001Z");
    assert_iso(-1000, "1969-12-31T23:59:59.000Z");
    assert_iso(-1001, "1969-12-31T23:59:58.999Z");
}

static void iso8601_of_a_2026_instant(void **state)
{
    (void)state;
    assert_iso(INT64_C(1795600800000), "2026-11-25T10:00:00.000Z");
    assert_iso(INT64_C(1767225600123), "2026-01-01T00:00:00.123Z");
}

static void iso8601_of_a_leap_day(void **state)
{
    (void)state;
    assert_iso(INT64_C(1709251199999), "2024-02-29T23:59:59.999Z");
}

static void iso8601_of_the_last_instant_of_year_9999(void **state)
{
    (void)state;
    assert_iso(INT64_C(253402300799999), "9999-12-31T23:59:59.999Z");
}

static void iso8601_past_year_9999_gives_the_zero_placeholder(void **state)
{
    (void)state;
    assert_iso(INT64_C(253402300800000), "0000-00-00T00:00:00.000Z");
    assert_iso(INT64_MAX, "0000-00-00T00:00:00.000Z");
}

static void iso8601_of_int64_min_stays_in_the_buffer(void **state)
{
    (void)state;
    char out[CLOCK_ISO8601_LEN + 1];
    out[CLOCK_ISO8601_LEN] = '!';
    clock_iso8601(INT64_MIN, out);
    assert_int_equal(strlen(out), CLOCK_ISO8601_LEN - 1);
    assert_int_equal(out[CLOCK_ISO8601_LEN], '!');
}

/* ---- clocks ------------------------------------------------------------------------- */

static void mono_ns_never_goes_back(void **state)
{
    (void)state;
    int64_t prev = clock_mono_ns();
    for (int i = 0; i < 100000; i++) {
        int64_t now = clock_mono_ns();
        if (now < prev)
            fail_msg("monotonic clock went back: %" PRId64 " < %" PRId64, now, prev);
        prev = now;
    }
}

static void mono_ms_is_mono_ns_in_milliseconds(void **state)
{
    (void)state;
    int64_t before = clock_mono_ns() / 1000000;
    int64_t ms = clock_mono_ms();
    int64_t after = clock_mono_ns() / 1000000;
    assert_true(before <= ms);
    assert_true(ms <= after);
}

static void now_ms_agrees_with_time(void **state)
{
    (void)state;
    int64_t before = (int64_t)time(NULL) * 1000;
    int64_t now = clock_now_ms();
    int64_t after = ((int64_t)time(NULL) + 1) * 1000;
    assert_true(now >= before);
    assert_true(now <= after);
}

static void offset_moves_the_wall_clock_only(void **state)
{
    (void)state;
    assert_int_equal(clock_offset_ms(), 0); /* never set outside tests */
    int64_t year = 365LL * 86400000;
    int64_t mono = clock_mono_ms();
    clock_set_offset_ms(-year);
    assert_int_equal(clock_offset_ms(), -year);
    int64_t now = clock_now_ms(), real = (int64_t)time(NULL) * 1000;
    assert_true(now >= real - year - 1000 && now <= real - year + 1000);
    assert_true(clock_mono_ms() - mono < 1000); /* monotonic time is not moved */
    clock_set_offset_ms(0);
    assert_true(clock_now_ms() >= real);
}

static void sleep_ms_waits_at_least_that_long(void **state)
{
    (void)state;
    int64_t start = clock_mono_ns();
    clock_sleep_ms(20);
    int64_t slept = clock_mono_ns() - start;
    assert_true(slept >= INT64_C(20000000));
}

static void sleep_ms_of_zero_or_negative_returns_at_once(void **state)
{
    (void)state;
    int64_t start = clock_mono_ns();
    clock_sleep_ms(0);
    clock_sleep_ms(-1000);
    int64_t took = clock_mono_ns() - start;
    assert_true(took < INT64_C(100000000)); /* far less than the second asked for */
}

static void parse_iso8601_reads_what_iso8601_writes(void **state)
{
    (void)state;
    static const int64_t instants[] = { 0,
                                        1,
                                        999,
                                        86400000,
                                        INT64_C(1795647036123),
                                        INT64_C(951782400000) /* 2000-02-29 */,
                                        INT64_C(-1000),
                                        INT64_C(253402300799999) };
    for (size_t i = 0; i < sizeof(instants) / sizeof(instants[0]); i++) {
        char text[CLOCK_ISO8601_LEN];
        clock_iso8601(instants[i], text);
        int64_t back = -7;
        assert_true(clock_parse_iso8601(text, &back));
        assert_int_equal(back, instants[i]);
    }
    int64_t ms = 0;
    assert_true(clock_parse_iso8601("2026-01-05T09:00:00Z", &ms));
    char text[CLOCK_ISO8601_LEN];
    clock_iso8601(ms, text);
    assert_string_equal(text, "2026-01-05T09:00:00.000Z");
}

static void parse_iso8601_refuses_what_is_not_a_utc_time(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "2026-01-05",
        "2026-01-05T09:00:00",       /* no zone */
        "2026-01-05T09:00:00+01:00", /* not UTC */
        "2026-13-05T09:00:00Z",      /* month 13 */
        "2026-02-29T09:00:00Z",      /* not a leap year */
        "2026-04-31T09:00:00Z",      /* April has 30 days */
        "2026-01-05T24:00:00Z",
        "2026-01-05T09:60:00Z",
        "2026-01-05 09:00:00Z",
        "0999-01-05T09:00:00Z",
        "2026-01-05T09:00:00.5Z", /* milliseconds have three digits */
        "2026-01-05T09:00:00Zjunk",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t ms = 42;
        assert_false(clock_parse_iso8601(bad[i], &ms));
    }
}

static int64_t at(const char *iso)
{
    int64_t ms = 0;
    assert_true(clock_parse_iso8601(iso, &ms));
    return ms;
}

static void add_months_keeps_the_day_or_clamps_it(void **state)
{
    (void)state;
    assert_int_equal(clock_add_months(at("2026-01-15T10:30:00Z"), 1), at("2026-02-15T10:30:00Z"));
    assert_int_equal(clock_add_months(at("2026-01-31T00:00:00Z"), 1), at("2026-02-28T00:00:00Z"));
    assert_int_equal(clock_add_months(at("2028-01-31T00:00:00Z"), 1), at("2028-02-29T00:00:00Z"));
    assert_int_equal(clock_add_months(at("2026-12-20T23:59:59.999Z"), 1),
                     at("2027-01-20T23:59:59.999Z"));
    assert_int_equal(clock_add_months(at("2026-03-31T08:00:00Z"), -1), at("2026-02-28T08:00:00Z"));
    assert_int_equal(clock_add_months(at("2026-05-10T00:00:00Z"), 12), at("2027-05-10T00:00:00Z"));
    assert_int_equal(clock_add_months(at("1969-12-31T12:00:00Z"), 1), at("1970-01-31T12:00:00Z"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_months_keeps_the_day_or_clamps_it),
        cmocka_unit_test(parse_iso8601_reads_what_iso8601_writes),
        cmocka_unit_test(parse_iso8601_refuses_what_is_not_a_utc_time),
        cmocka_unit_test(iso8601_of_zero_is_the_epoch),
        cmocka_unit_test(iso8601_keeps_milliseconds),
        cmocka_unit_test(iso8601_of_negative_ms_counts_back_from_the_epoch),
        cmocka_unit_test(iso8601_of_a_2026_instant),
        cmocka_unit_test(iso8601_of_a_leap_day),
        cmocka_unit_test(iso8601_of_the_last_instant_of_year_9999),
        cmocka_unit_test(iso8601_past_year_9999_gives_the_zero_placeholder),
        cmocka_unit_test(iso8601_of_int64_min_stays_in_the_buffer),
        cmocka_unit_test(mono_ns_never_goes_back),
        cmocka_unit_test(mono_ms_is_mono_ns_in_milliseconds),
        cmocka_unit_test(now_ms_agrees_with_time),
        cmocka_unit_test(offset_moves_the_wall_clock_only),
        cmocka_unit_test(sleep_ms_waits_at_least_that_long),
        cmocka_unit_test(sleep_ms_of_zero_or_negative_returns_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
