/*
 * tests/unit/llm/test_backoff.c - llm/backoff.h: caps that double and
 * saturate without overflowing, full jitter within [0, cap] with the right
 * mean and a reproducible sequence, and Retry-After as delay-seconds and as
 * each HTTP-date form, against a fixed now (and once against the real
 * clock), with the values it must reject.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "core/clock.h"
#include "llm/backoff.h"

/* Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example, in ms */
#define NOW_1994 INT64_C(784111777000)
/* Thu, 01 Jan 2026 00:00:00 GMT */
#define NOW_2026 INT64_C(1767225600000)

#define DAY_MS INT64_C(86400000)

/* ---- caps ------------------------------------------------------------------------ */

static void caps_double_from_base_and_saturate_at_max(void **state)
{
    (void)state;
    struct backoff b = { .base_ms = 100, .max_ms = 10000 };
    static const int64_t want[] = { 100, 200, 400, 800, 1600, 3200, 6400, 10000, 10000 };
    for (size_t i = 0; i < ARRAY_SIZE(want); i++)
        assert_int_equal(backoff_cap_ms(&b, (int)i + 1), want[i]);
    assert_int_equal(backoff_cap_ms(&b, 100), 10000);
    assert_int_equal(backoff_cap_ms(&b, INT_MAX), 10000);
}

static void caps_never_overflow(void **state)
{
    (void)state;
    struct backoff b = { .base_ms = 1000, .max_ms = INT64_MAX };
    assert_int_equal(backoff_cap_ms(&b, 100), INT64_MAX);
    assert_int_equal(backoff_cap_ms(&b, INT_MAX), INT64_MAX);

    b = (struct backoff){ .base_ms = 1, .max_ms = INT64_MAX };
    assert_int_equal(backoff_cap_ms(&b, 63), INT64_C(1) << 62);
    assert_int_equal(backoff_cap_ms(&b, 64), INT64_MAX); /* 2^63 does not fit */
    assert_int_equal(backoff_cap_ms(&b, 100), INT64_MAX);

    b = (struct backoff){ .base_ms = INT64_MAX, .max_ms = INT64_MAX };
    assert_int_equal(backoff_cap_ms(&b, 1), INT64_MAX);
    assert_int_equal(backoff_cap_ms(&b, 2), INT64_MAX);

    b = (struct backoff){ .base_ms = 500, .max_ms = 60000, .jitter = true, .rng = 1 };
    int64_t d = backoff_delay_ms(&b, 100);
    assert_true(d >= 0 && d <= 60000);
}

static void an_attempt_below_one_counts_as_the_first(void **state)
{
    (void)state;
    struct backoff b = { .base_ms = 250, .max_ms = 8000 };
    assert_int_equal(backoff_cap_ms(&b, 0), 250);
    assert_int_equal(backoff_cap_ms(&b, -7), 250);
    assert_int_equal(backoff_cap_ms(&b, INT_MIN), 250);
}

static void a_base_above_max_gives_max(void **state)
{
    (void)state;
    struct backoff b = { .base_ms = 5000, .max_ms = 3000 };
    assert_int_equal(backoff_cap_ms(&b, 1), 3000);
    assert_int_equal(backoff_cap_ms(&b, 2), 3000);
}

static void zero_or_negative_settings_give_zero(void **state)
{
    (void)state;
    struct backoff b = { .base_ms = 0, .max_ms = 3000, .jitter = true, .rng = 9 };
    assert_int_equal(backoff_cap_ms(&b, 5), 0);
    assert_int_equal(backoff_delay_ms(&b, 5), 0);
    b = (struct backoff){ .base_ms = -10, .max_ms = 3000 };
    assert_int_equal(backoff_cap_ms(&b, 5), 0);
    b = (struct backoff){ .base_ms = 10, .max_ms = 0 };
    assert_int_equal(backoff_cap_ms(&b, 5), 0);
    b = (struct backoff){ .base_ms = 10, .max_ms = -1 };
    assert_int_equal(backoff_cap_ms(&b, 5), 0);
}

/* ---- delays ------------------------------------------------------------------------ */

static void without_jitter_the_delay_is_the_cap(void **state)
{
    (void)state;
    struct backoff b = { .base_ms = 100, .max_ms = 10000, .jitter = false, .rng = 77 };
    for (int attempt = 1; attempt <= 12; attempt++)
        assert_int_equal(backoff_delay_ms(&b, attempt), backoff_cap_ms(&b, attempt));
    assert_int_equal(b.rng, 77); /* no randomness drawn */
}

static void jittered_delays_stay_within_the_cap_with_mean_near_half(void **state)
{
    (void)state;
    struct backoff b = { .base_ms = 1000, .max_ms = 30000, .jitter = true, .rng = 12345 };
    const int64_t cap = 8000; /* attempt 4 */
    const int n = 10000;
    int64_t sum = 0;
    int64_t lo = INT64_MAX;
    int64_t hi = -1;
    for (int i = 0; i < n; i++) {
        int64_t d = backoff_delay_ms(&b, 4);
        assert_true(d >= 0);
        assert_true(d <= cap);
        sum += d;
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    double mean = (double)sum / n;
    assert_true(mean >= cap / 2.0 * 0.95);
    assert_true(mean <= cap / 2.0 * 1.05);
    assert_true(lo < cap / 100); /* the whole range is used */
    assert_true(hi > cap - cap / 100);
}

static void jitter_includes_both_ends(void **state)
{
    (void)state;
    struct backoff b = { .base_ms = 1, .max_ms = 1, .jitter = true, .rng = 5 };
    int count[2] = { 0 };
    for (int i = 0; i < 1000; i++) {
        int64_t d = backoff_delay_ms(&b, 1);
        assert_true(d == 0 || d == 1);
        count[d]++;
    }
    assert_true(count[0] > 400 && count[1] > 400);
}

static void the_same_seed_gives_the_same_sequence(void **state)
{
    (void)state;
    struct backoff a = { .base_ms = 100, .max_ms = 60000, .jitter = true, .rng = 2024 };
    struct backoff b = a;
    struct backoff c = a;
    c.rng = 2025;
    int n_differ = 0;
    for (int i = 1; i <= 50; i++) {
        int64_t da = backoff_delay_ms(&a, i % 12 + 1);
        assert_int_equal(da, backoff_delay_ms(&b, i % 12 + 1));
        n_differ += da != backoff_delay_ms(&c, i % 12 + 1);
    }
    assert_int_equal(a.rng, b.rng);
    assert_true(n_differ > 40);
}

static void a_zero_seed_still_gives_random_delays(void **state)
{
    (void)state;
    struct backoff b = { .base_ms = 1000, .max_ms = 1000, .jitter = true, .rng = 0 };
    int64_t first = backoff_delay_ms(&b, 1);
    assert_true(b.rng != 0);
    int n_same = 0;
    for (int i = 0; i < 20; i++)
        n_same += backoff_delay_ms(&b, 1) == first;
    assert_true(n_same < 5);
    /* and it is the fixed replacement seed: reproducible */
    struct backoff again = { .base_ms = 1000, .max_ms = 1000, .jitter = true, .rng = 0 };
    assert_int_equal(backoff_delay_ms(&again, 1), first);
}

static void a_cap_of_int64_max_draws_without_overflow(void **state)
{
    (void)state;
    struct backoff b = { .base_ms = 1, .max_ms = INT64_MAX, .jitter = true, .rng = 3 };
    for (int i = 0; i < 100; i++)
        assert_true(backoff_delay_ms(&b, 200) >= 0);
}

/* Fails, naming the value, unless it is rejected. */
static void assert_rejected(const char *value, int64_t now_ms)
{
    int64_t got = backoff_parse_retry_after(value, now_ms);
    if (got != -1)
        fail_msg("Retry-After '%s' gave %" PRId64 ", not -1", value, got);
}

/* ---- Retry-After: delay-seconds ----------------------------------------------------- */

static void retry_after_seconds(void **state)
{
    (void)state;
    assert_int_equal(backoff_parse_retry_after("0", NOW_2026), 0);
    assert_int_equal(backoff_parse_retry_after("5", NOW_2026), 5000);
    assert_int_equal(backoff_parse_retry_after("120", NOW_2026), 120000);
    assert_int_equal(backoff_parse_retry_after("007", NOW_2026), 7000);
    assert_int_equal(backoff_parse_retry_after("5", 0), 5000); /* now does not matter */
}

static void retry_after_seconds_are_capped_at_a_day(void **state)
{
    (void)state;
    assert_int_equal(backoff_parse_retry_after("86399", NOW_2026), DAY_MS - 1000);
    assert_int_equal(backoff_parse_retry_after("86400", NOW_2026), DAY_MS);
    assert_int_equal(backoff_parse_retry_after("86401", NOW_2026), DAY_MS);
    assert_int_equal(backoff_parse_retry_after("99999999999999999999999999", NOW_2026), DAY_MS);
}

/* libcurl hands header values over with their CR LF; HTTP allows none inside. */
static void retry_after_ignores_surrounding_whitespace(void **state)
{
    (void)state;
    assert_int_equal(backoff_parse_retry_after("  5", NOW_2026), 5000);
    assert_int_equal(backoff_parse_retry_after("5 ", NOW_2026), 5000);
    assert_int_equal(backoff_parse_retry_after("5\r\n", NOW_2026), 5000);
    assert_int_equal(backoff_parse_retry_after(" \t5 \r\n", NOW_2026), 5000);
}

static void retry_after_rejects_what_is_not_seconds(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "   ", "\r\n", "-1", "+5", "abc", "5 5", "1.5", "5s", "0x10", "1e3", "5,", "٥",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        assert_rejected(bad[i], NOW_2026);
    assert_int_equal(backoff_parse_retry_after(NULL, NOW_2026), -1);
}

/* ---- Retry-After: HTTP-dates -------------------------------------------------------- */

static void retry_after_imf_fixdate(void **state)
{
    (void)state;
    assert_int_equal(backoff_parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", NOW_1994), 30000);
    assert_int_equal(backoff_parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", NOW_1994 + 400),
                     29600);
    assert_int_equal(backoff_parse_retry_after("Mon, 07 Nov 1994 08:49:36 GMT", NOW_1994),
                     DAY_MS - 1000);
    assert_int_equal(backoff_parse_retry_after("  Sun, 06 Nov 1994 08:50:07 GMT\r\n", NOW_1994),
                     30000);
}

static void retry_after_in_the_past_or_now_is_zero(void **state)
{
    (void)state;
    assert_int_equal(backoff_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", NOW_1994), 0);
    assert_int_equal(backoff_parse_retry_after("Sun, 06 Nov 1994 08:49:36 GMT", NOW_1994), 0);
    assert_int_equal(backoff_parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", NOW_2026), 0);
    assert_int_equal(backoff_parse_retry_after("Mon, 01 Jan 0001 00:00:00 GMT", NOW_2026), 0);
}

static void retry_after_far_in_the_future_is_capped_at_a_day(void **state)
{
    (void)state;
    assert_int_equal(backoff_parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", NOW_2026), DAY_MS);
    assert_int_equal(backoff_parse_retry_after("Mon, 07 Nov 1994 08:49:38 GMT", NOW_1994), DAY_MS);
}

static void retry_after_obsolete_date_forms(void **state)
{
    (void)state;
    assert_int_equal(backoff_parse_retry_after("Sunday, 06-Nov-94 08:50:07 GMT", NOW_1994), 30000);
    assert_int_equal(backoff_parse_retry_after("Sun Nov  6 08:50:07 1994", NOW_1994), 30000);
    assert_int_equal(backoff_parse_retry_after("Sun Nov 06 08:50:07 1994", NOW_1994), 30000);
    assert_int_equal(backoff_parse_retry_after("Sun Nov 16 08:49:37 1994", NOW_1994), DAY_MS);
}

/* RFC 9110: a two-digit year more than 50 years ahead is in the century before. */
static void retry_after_rfc850_years_are_placed_around_now(void **state)
{
    (void)state;
    assert_int_equal(backoff_parse_retry_after("Thursday, 01-Jan-26 00:00:30 GMT", NOW_2026),
                     30000);
    /* 2076 is exactly 50 years ahead: still the future */
    assert_int_equal(backoff_parse_retry_after("Wednesday, 01-Jan-76 00:00:00 GMT", NOW_2026),
                     DAY_MS);
    /* 2077 would be 51 years ahead: 1977 */
    assert_int_equal(backoff_parse_retry_after("Saturday, 01-Jan-77 00:00:00 GMT", NOW_2026), 0);
    assert_int_equal(backoff_parse_retry_after("Friday, 31-Dec-99 23:59:59 GMT", NOW_2026), 0);
}

static void retry_after_names_are_case_insensitive(void **state)
{
    (void)state;
    assert_int_equal(backoff_parse_retry_after("sun, 06 nov 1994 08:50:07 gmt", NOW_1994), 30000);
    assert_int_equal(backoff_parse_retry_after("SUN, 06 NOV 1994 08:50:07 GMT", NOW_1994), 30000);
}

static void retry_after_leap_days_and_seconds(void **state)
{
    (void)state;
    int64_t feb28_1996 = INT64_C(825465600000); /* Wed, 28 Feb 1996 00:00:00 GMT */
    assert_int_equal(backoff_parse_retry_after("Thu, 29 Feb 1996 00:00:00 GMT", feb28_1996),
                     DAY_MS);
    assert_int_equal(backoff_parse_retry_after("Tue, 29 Feb 2000 00:00:00 GMT", NOW_2026), 0);
    assert_int_equal(backoff_parse_retry_after("Wed, 29 Feb 1995 00:00:00 GMT", NOW_2026), -1);
    assert_int_equal(backoff_parse_retry_after("Thu, 29 Feb 1900 00:00:00 GMT", NOW_2026), -1);
    /* a leap second is a valid time-of-day: 08:49:60 is 08:50:00 */
    assert_int_equal(backoff_parse_retry_after("Sun, 06 Nov 1994 08:49:60 GMT", NOW_1994), 23000);
}

static void retry_after_rejects_bad_dates(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Sun, 06 Nov 1994 08:49:37",          /* no zone */
        "Sun, 06 Nov 1994 08:49:37 UTC",      /* not GMT */
        "Sun, 06 Nov 1994 08:49:37 GMT x",    /* trailing text */
        "Sun, 06 Nov 1994 08:49:37 GMTx",     /* trailing text */
        "Sun, 6 Nov 1994 08:49:37 GMT",       /* one-digit day */
        "Sun, 06 Nov 94 08:49:37 GMT",        /* two-digit year */
        "Sun, 06 Nov 19945 08:49:37 GMT",     /* five-digit year */
        "Sun,  06 Nov 1994 08:49:37 GMT",     /* two spaces */
        "Sun 06 Nov 1994 08:49:37 GMT",       /* no comma */
        "Sun, 06 Foo 1994 08:49:37 GMT",      /* no such month */
        "Xyz, 06 Nov 1994 08:49:37 GMT",      /* no such day */
        "Sunday, 06 Nov 1994 08:49:37 GMT",   /* long name in IMF-fixdate */
        "Sun, 06-Nov-94 08:49:37 GMT",        /* short name in RFC 850 */
        "Sunday, 06-Nov-1994 08:49:37 GMT",   /* four-digit year in RFC 850 */
        "Sun, 00 Nov 1994 08:49:37 GMT",      /* day 0 */
        "Sun, 32 Oct 1994 08:49:37 GMT",      /* day 32 */
        "Sun, 31 Nov 1994 08:49:37 GMT",      /* November has 30 */
        "Sun, 06 Nov 1994 24:00:00 GMT",      /* hour 24 */
        "Sun, 06 Nov 1994 08:60:00 GMT",      /* minute 60 */
        "Sun, 06 Nov 1994 08:49:61 GMT",      /* second 61 */
        "Sun, 06 Nov 1994 8:49:37 GMT",       /* one-digit hour */
        "Sun, 06 Nov 1994 08-49-37 GMT",      /* wrong separators */
        "Sun Nov 6 08:49:37 1994",            /* asctime day needs a pad */
        "Sun Nov  6 08:49:37 94",             /* asctime two-digit year */
        "Sun Nov   6 08:49:37 1994",          /* three spaces */
        "Sun, 06 Nov 1994",                   /* cut short */
        "Sun,",                               /* cut short */
        "Sun",                                /* cut short */
        "2015-10-21T07:28:00Z",               /* ISO-8601 is not an HTTP-date */
        "Sun, 06 Nov 1994 08:49:37 GMT, Sun", /* two values */
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        assert_rejected(bad[i], NOW_1994);
}

static void retry_after_at_extreme_nows_does_not_overflow(void **state)
{
    (void)state;
    const char *date = "Fri, 31 Dec 9999 23:59:59 GMT";
    assert_int_equal(backoff_parse_retry_after(date, INT64_MAX), 0);
    assert_int_equal(backoff_parse_retry_after(date, INT64_MIN), DAY_MS);
    assert_int_equal(backoff_parse_retry_after("Sunday, 06-Nov-94 08:50:07 GMT", INT64_MAX), -1);
    assert_int_equal(backoff_parse_retry_after("5", INT64_MIN), 5000);
}

/* Formats secs since the epoch as an IMF-fixdate without the locale. */
static void format_imf(int64_t secs, char *out, size_t n)
{
    static const char *const days[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *const months[12] = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    };
    time_t t = (time_t)secs;
    struct tm tm;
    assert_non_null(gmtime_r(&t, &tm));
    snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void retry_after_a_date_30_s_ahead_of_the_real_clock(void **state)
{
    (void)state;
    int64_t now = clock_now_ms();
    char date[64];
    format_imf(now / 1000 + 30, date, sizeof(date));
    int64_t ms = backoff_parse_retry_after(date, now);
    assert_true(ms >= 29000 && ms <= 31000);
    format_imf(now / 1000 - 30, date, sizeof(date));
    assert_int_equal(backoff_parse_retry_after(date, now), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(caps_double_from_base_and_saturate_at_max),
        cmocka_unit_test(caps_never_overflow),
        cmocka_unit_test(an_attempt_below_one_counts_as_the_first),
        cmocka_unit_test(a_base_above_max_gives_max),
        cmocka_unit_test(zero_or_negative_settings_give_zero),
        cmocka_unit_test(without_jitter_the_delay_is_the_cap),
        cmocka_unit_test(jittered_delays_stay_within_the_cap_with_mean_near_half),
        cmocka_unit_test(jitter_includes_both_ends),
        cmocka_unit_test(the_same_seed_gives_the_same_sequence),
        cmocka_unit_test(a_zero_seed_still_gives_random_delays),
        cmocka_unit_test(a_cap_of_int64_max_draws_without_overflow),
        cmocka_unit_test(retry_after_seconds),
        cmocka_unit_test(retry_after_seconds_are_capped_at_a_day),
        cmocka_unit_test(retry_after_ignores_surrounding_whitespace),
        cmocka_unit_test(retry_after_rejects_what_is_not_seconds),
        cmocka_unit_test(retry_after_imf_fixdate),
        cmocka_unit_test(retry_after_in_the_past_or_now_is_zero),
        cmocka_unit_test(retry_after_far_in_the_future_is_capped_at_a_day),
        cmocka_unit_test(retry_after_obsolete_date_forms),
        cmocka_unit_test(retry_after_rfc850_years_are_placed_around_now),
        cmocka_unit_test(retry_after_names_are_case_insensitive),
        cmocka_unit_test(retry_after_leap_days_and_seconds),
        cmocka_unit_test(retry_after_rejects_bad_dates),
        cmocka_unit_test(retry_after_at_extreme_nows_does_not_overflow),
        cmocka_unit_test(retry_after_a_date_30_s_ahead_of_the_real_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
