/*
 * tests/unit/llm/test_ratelimit.c - llm/ratelimit.h on a fake clock: the
 * exact burst and refill of both buckets, exact waits, debts from oversized
 * calls and corrections, disabled buckets, a clock that goes back, the
 * token budget over simulated minutes of random calls; and the fair queue's
 * round-robin by run, re-asks, runs leaving and rejoining, and freeing.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "llm/ratelimit.h"

/* xorshift64*: the tests' own explicit random source (STYLE.md S3). */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

/* Uniform-ish in [lo, hi]; the bias does not matter here. */
static int64_t rand_between(uint64_t *s, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next_rand(s) % (uint64_t)(hi - lo + 1));
}

/* ---- requests per minute ------------------------------------------------------ */

static void rpm_60_lets_60_takes_at_once_and_the_61st_waits_1000_ms(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(60, 0, 0);
    for (int i = 0; i < 60; i++)
        assert_true(ratelimit_take(rl, 0, 0));
    assert_false(ratelimit_take(rl, 0, 0));
    assert_int_equal(ratelimit_wait_ms(rl, 0, 0), 1000);
    assert_false(ratelimit_take(rl, 999, 0));
    assert_true(ratelimit_take(rl, 1000, 0));
    assert_false(ratelimit_take(rl, 1000, 0));
    ratelimit_free(rl);
}

static void requests_refill_in_proportion_to_time(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(60, 0, 0);
    for (int i = 0; i < 60; i++)
        assert_true(ratelimit_take(rl, 0, 0));
    assert_int_equal(ratelimit_wait_ms(rl, 500, 0), 500); /* half a request by now */
    /* 2.5 s give 2.5 requests: two takes, then half a request is left */
    assert_true(ratelimit_take(rl, 2500, 0));
    assert_true(ratelimit_take(rl, 2500, 0));
    assert_false(ratelimit_take(rl, 2500, 0));
    assert_int_equal(ratelimit_wait_ms(rl, 2500, 0), 500);
    /* 30 s later: 30.5 requests */
    for (int i = 0; i < 30; i++)
        assert_true(ratelimit_take(rl, 32500, 0));
    assert_false(ratelimit_take(rl, 32500, 0));
    assert_int_equal(ratelimit_wait_ms(rl, 32500, 0), 500);
    ratelimit_free(rl);
}

static void fractional_refill_is_kept_exactly(void **state)
{
    (void)state;
    /* 7 per minute: one request every 8571.428... ms */
    struct ratelimit *rl = ratelimit_new(7, 0, 0);
    for (int i = 0; i < 7; i++)
        assert_true(ratelimit_take(rl, 0, 0));
    assert_int_equal(ratelimit_wait_ms(rl, 0, 0), 8572);
    /* refilled in 1 ms steps: no rounding is lost on the way */
    for (int64_t t = 1; t < 8572; t++)
        assert_false(ratelimit_take(rl, t, 0));
    assert_true(ratelimit_take(rl, 8572, 0));
    /* the second request is due at ceil(2 * 60000 / 7) = 17143, not 2 * 8572 */
    assert_int_equal(ratelimit_wait_ms(rl, 8572, 0), 17143 - 8572);
    assert_false(ratelimit_take(rl, 17142, 0));
    assert_true(ratelimit_take(rl, 17143, 0));
    /* after a full minute the seven are back, not eight */
    for (int i = 0; i < 7; i++)
        assert_true(ratelimit_take(rl, 17143 + 60000, 0));
    assert_false(ratelimit_take(rl, 17143 + 60000, 0));
    ratelimit_free(rl);
}

static void refill_stops_at_one_minute_budget(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(10, 0, 0);
    for (int i = 0; i < 10; i++)
        assert_true(ratelimit_take(rl, 0, 0));
    int64_t later = INT64_C(10) * 24 * 3600 * 1000; /* ten days idle */
    for (int i = 0; i < 10; i++)
        assert_true(ratelimit_take(rl, later, 0));
    assert_false(ratelimit_take(rl, later, 0));
    assert_int_equal(ratelimit_wait_ms(rl, later, 0), 6000);
    ratelimit_free(rl);
}

/*
 * A token bucket lets a whole budget through at once and then the refill,
 * so the first minute holds 60 + 59 takes: the budget is a rate, not a
 * sliding-window count (ratelimit.h says so).
 */
static void a_minute_window_may_hold_twice_the_budget(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(60, 0, 0);
    int n = 0;
    for (int64_t t = 0; t < 60000; t++) {
        while (ratelimit_take(rl, t, 0))
            n++;
    }
    assert_int_equal(n, 60 + 59);
    ratelimit_free(rl);
}

/* ---- tokens per minute ---------------------------------------------------------- */

static void tokens_burst_and_refill_exactly(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 1000, 0);
    assert_true(ratelimit_take(rl, 0, 1000));
    assert_false(ratelimit_take(rl, 0, 1));
    assert_int_equal(ratelimit_wait_ms(rl, 0, 1), 60);      /* 1000 / min = 1 per 60 ms */
    assert_int_equal(ratelimit_wait_ms(rl, 0, 500), 30000); /* half the budget */
    assert_int_equal(ratelimit_wait_ms(rl, 0, 1000), 60000);
    assert_false(ratelimit_take(rl, 29999, 500));
    assert_true(ratelimit_take(rl, 30000, 500));
    assert_false(ratelimit_take(rl, 30000, 1));
    assert_true(ratelimit_take(rl, 30000, 0)); /* a call of 0 tokens needs none */
    ratelimit_free(rl);
}

static void zero_and_negative_tokens_take_nothing(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 100, 0);
    assert_true(ratelimit_take(rl, 0, 0));
    assert_true(ratelimit_take(rl, 0, -50));
    assert_int_equal(ratelimit_wait_ms(rl, 0, -50), 0);
    assert_true(ratelimit_take(rl, 0, 100)); /* still full */
    assert_false(ratelimit_take(rl, 0, 1));
    ratelimit_free(rl);
}

static void take_is_all_or_nothing_across_both_buckets(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(2, 100, 0);
    assert_true(ratelimit_take(rl, 0, 60));  /* 1 request, 40 tokens left */
    assert_false(ratelimit_take(rl, 0, 50)); /* tokens short: no request taken */
    assert_true(ratelimit_take(rl, 0, 40));  /* the request was still there */
    assert_false(ratelimit_take(rl, 0, 0));  /* no request left */
    assert_int_equal(ratelimit_wait_ms(rl, 0, 0), 30000);
    /* at 30 s: 1 request and 50 tokens */
    assert_false(ratelimit_take(rl, 30000, 51)); /* tokens short: no request taken */
    assert_true(ratelimit_take(rl, 30000, 50));
    ratelimit_free(rl);
}

static void wait_is_the_longer_of_the_two_buckets(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(60, 600, 0);
    assert_true(ratelimit_take(rl, 0, 600));              /* tokens empty, 59 requests left */
    assert_int_equal(ratelimit_wait_ms(rl, 0, 10), 1000); /* tokens: 10 per second */
    assert_int_equal(ratelimit_wait_ms(rl, 0, 300), 30000);
    for (int i = 0; i < 59; i++)
        assert_true(ratelimit_take(rl, 0, 0));
    assert_int_equal(ratelimit_wait_ms(rl, 0, 0), 1000); /* now the requests */
    assert_int_equal(ratelimit_wait_ms(rl, 0, 5), 1000);
    assert_int_equal(ratelimit_wait_ms(rl, 0, 20), 2000);
    ratelimit_free(rl);
}

/* ---- oversized calls -------------------------------------------------------------- */

static void calls_at_the_budget_boundary(void **state)
{
    (void)state;
    static const int64_t sizes[] = { 999, 1000, 1001 };
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        struct ratelimit *rl = ratelimit_new(0, 1000, 0);
        assert_true(ratelimit_take(rl, 0, sizes[i])); /* a full bucket lets each through */
        ratelimit_free(rl);
    }
    struct ratelimit *rl = ratelimit_new(0, 1000, 0);
    assert_true(ratelimit_take(rl, 0, 1)); /* 999 left */
    assert_int_equal(ratelimit_wait_ms(rl, 0, 999), 0);
    assert_int_equal(ratelimit_wait_ms(rl, 0, 1000), 60);
    assert_int_equal(ratelimit_wait_ms(rl, 0, 1001), 60); /* oversized: waits for full */
    assert_false(ratelimit_take(rl, 0, 1000));
    assert_false(ratelimit_take(rl, 0, 1001));
    assert_true(ratelimit_take(rl, 0, 999));
    assert_int_equal(ratelimit_wait_ms(rl, 0, 999), 59940);
    assert_int_equal(ratelimit_wait_ms(rl, 0, 1000), 60000);
    assert_int_equal(ratelimit_wait_ms(rl, 0, 1001), 60000);
    ratelimit_free(rl);
}

static void an_oversized_call_passes_when_full_and_leaves_a_debt(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 1000, 0);
    assert_true(ratelimit_take(rl, 0, 2500)); /* full bucket: let through */
    /* -1500 tokens now; one token needs 1501 tokens of refill, 60 ms each */
    assert_int_equal(ratelimit_wait_ms(rl, 0, 1), 90060);
    assert_false(ratelimit_take(rl, 90059, 1));
    assert_true(ratelimit_take(rl, 90060, 1));
    ratelimit_free(rl);
}

static void an_oversized_call_waits_until_the_bucket_is_full(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 1000, 0);
    assert_true(ratelimit_take(rl, 0, 1));
    assert_false(ratelimit_take(rl, 0, 1001));
    assert_false(ratelimit_take(rl, 0, INT64_MAX));
    assert_int_equal(ratelimit_wait_ms(rl, 0, 1001), 60);
    assert_int_equal(ratelimit_wait_ms(rl, 0, INT64_MAX), 60);
    assert_false(ratelimit_take(rl, 59, 1001));
    assert_true(ratelimit_take(rl, 60, 1001));
    ratelimit_free(rl);
}

static void a_huge_call_leaves_a_bounded_debt(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 1000, 0);
    assert_true(ratelimit_take(rl, 0, INT64_MAX));
    int64_t wait = ratelimit_wait_ms(rl, 0, 1);
    assert_true(wait > INT64_C(1000000000000)); /* a very long time, and no overflow */
    assert_false(ratelimit_take(rl, wait - 1, 1));
    assert_true(ratelimit_take(rl, wait, 1));
    ratelimit_free(rl);
}

/* ---- corrections --------------------------------------------------------------------- */

static void a_positive_correction_can_push_below_zero(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 1000, 0);
    assert_true(ratelimit_take(rl, 0, 100)); /* estimated 100: 900 left */
    ratelimit_correct(rl, 0, 1500);          /* it used 1600: -600 left */
    assert_false(ratelimit_take(rl, 0, 1));
    assert_int_equal(ratelimit_wait_ms(rl, 0, 1), 601 * 60);
    assert_false(ratelimit_take(rl, 601 * 60 - 1, 1));
    assert_true(ratelimit_take(rl, 601 * 60, 1));
    ratelimit_free(rl);
}

static void a_negative_correction_gives_tokens_back(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 1000, 0);
    assert_true(ratelimit_take(rl, 0, 500)); /* 500 left */
    ratelimit_correct(rl, 0, -300);          /* used 300 fewer: 800 left */
    assert_false(ratelimit_take(rl, 0, 801));
    assert_true(ratelimit_take(rl, 0, 800));
    assert_false(ratelimit_take(rl, 0, 1));
    ratelimit_free(rl);
}

static void a_negative_correction_never_fills_past_the_budget(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 1000, 0);
    assert_true(ratelimit_take(rl, 0, 500));
    ratelimit_correct(rl, 0, -5000); /* full, not 5500 */
    assert_true(ratelimit_take(rl, 0, 1000));
    assert_false(ratelimit_take(rl, 0, 1));
    assert_int_equal(ratelimit_wait_ms(rl, 0, 1), 60);
    ratelimit_correct(rl, 0, INT64_MIN); /* no overflow either */
    assert_true(ratelimit_take(rl, 0, 1000));
    assert_false(ratelimit_take(rl, 0, 1));
    ratelimit_free(rl);
}

static void a_correction_applies_after_refilling_to_now(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 1000, 0);
    assert_true(ratelimit_take(rl, 0, 1000));
    ratelimit_correct(rl, 30000, 200); /* refilled to 500 by then, 300 after */
    assert_false(ratelimit_take(rl, 30000, 301));
    assert_true(ratelimit_take(rl, 30000, 300));
    ratelimit_correct(rl, 30000, 0); /* zero changes nothing */
    assert_false(ratelimit_take(rl, 30000, 1));
    ratelimit_free(rl);
}

static void a_correction_of_a_disabled_token_bucket_does_nothing(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(1, 0, 0);
    ratelimit_correct(rl, 0, INT64_MAX);
    assert_true(ratelimit_take(rl, 0, INT64_MAX));
    assert_false(ratelimit_take(rl, 0, 0)); /* the request bucket still counts */
    ratelimit_free(rl);
}

/* ---- disabled buckets, the clock, exactness ------------------------------------------------ */

static void disabled_buckets_never_block(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(0, 0, 0);
    for (int i = 0; i < 100000; i++)
        assert_true(ratelimit_take(rl, 0, INT64_C(1000000000)));
    assert_int_equal(ratelimit_wait_ms(rl, 0, INT64_MAX), 0);
    ratelimit_free(rl);

    rl = ratelimit_new(0, 1000, 0); /* requests unlimited */
    for (int i = 0; i < 100000; i++)
        assert_true(ratelimit_take(rl, 0, 0));
    assert_int_equal(ratelimit_wait_ms(rl, 0, 0), 0);
    ratelimit_free(rl);

    rl = ratelimit_new(100000, 0, 0); /* tokens unlimited */
    for (int i = 0; i < 100000; i++)
        assert_true(ratelimit_take(rl, 0, INT64_MAX));
    assert_false(ratelimit_take(rl, 0, 0));
    ratelimit_free(rl);
}

static void a_clock_going_back_adds_nothing(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(60, 0, 0);
    for (int i = 0; i < 60; i++)
        assert_true(ratelimit_take(rl, 10000, 0)); /* full since t = 0 */
    assert_false(ratelimit_take(rl, 5000, 0));
    assert_false(ratelimit_take(rl, 0, 0));
    assert_false(ratelimit_take(rl, -1000000, 0));
    /* the wait counts from the stale now, through the gap */
    assert_int_equal(ratelimit_wait_ms(rl, 5000, 0), 5000 + 1000);
    assert_false(ratelimit_take(rl, 10000, 0)); /* the interval is not credited twice */
    assert_false(ratelimit_take(rl, 10999, 0));
    assert_true(ratelimit_take(rl, 11000, 0));
    ratelimit_correct(rl, 0, 5);
    assert_int_equal(ratelimit_wait_ms(rl, INT64_MIN, 0), INT64_MAX); /* saturates */
    ratelimit_free(rl);
}

static void extreme_times_neither_crash_nor_overflow(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(INT64_MAX, INT64_MAX, INT64_MIN);
    assert_true(ratelimit_take(rl, INT64_MIN, INT64_MAX));
    assert_true(ratelimit_take(rl, INT64_MAX, INT64_MAX)); /* full again: let through */
    assert_false(ratelimit_take(rl, INT64_MAX, 1));        /* in debt, and time is up */
    assert_true(ratelimit_wait_ms(rl, INT64_MAX, 1) > 0);
    ratelimit_free(rl);
    rl = ratelimit_new(1, 1, INT64_MIN);
    assert_true(ratelimit_take(rl, INT64_MIN, 1));
    assert_int_equal(ratelimit_wait_ms(rl, INT64_MIN, 1), 60000);
    assert_true(ratelimit_take(rl, INT64_MAX, 1)); /* an elapsed time past INT64_MAX */
    ratelimit_free(rl);
}

static void wait_is_exact_for_random_states(void **state)
{
    (void)state;
    uint64_t seed = UINT64_C(0x1234567887654321);
    static const int64_t rpms[] = { 0, 1, 7, 60, 3500 };
    static const int64_t tpms[] = { 0, 1, 999, 40000, 2000000 };
    for (size_t i = 0; i < ARRAY_SIZE(rpms); i++) {
        for (size_t j = 0; j < ARRAY_SIZE(tpms); j++) {
            struct ratelimit *rl = ratelimit_new(rpms[i], tpms[j], 0);
            int64_t now = 0;
            int64_t max_tokens = tpms[j] > 0 ? tpms[j] + tpms[j] / 4 : 1000;
            for (int k = 0; k < 300; k++) {
                int64_t tokens = rand_between(&seed, 0, max_tokens);
                if (next_rand(&seed) % 8 == 0)
                    ratelimit_correct(rl, now, rand_between(&seed, -max_tokens, max_tokens));
                int64_t wait = ratelimit_wait_ms(rl, now, tokens);
                assert_true(wait >= 0);
                if (wait > 0)
                    assert_false(ratelimit_take(rl, now + wait - 1, tokens));
                assert_true(ratelimit_take(rl, now + wait, tokens));
                now += wait + rand_between(&seed, 0, 3) * rand_between(&seed, 0, 500);
            }
            ratelimit_free(rl);
        }
    }
}

/* ---- the token budget over simulated minutes ------------------------------------------------ */

struct took {
    int64_t t;
    int64_t tokens;
};

/*
 * A greedy caller sends random-sized calls (now and then an oversized one)
 * for five simulated minutes, each as soon as ratelimit_wait_ms allows.
 * Between any two takes i..j the bucket can have paid out at most a full
 * bucket, plus its refill over t_j - t_i, plus the debt of one oversized
 * call (the excess of the largest one over the budget); so a 60-second
 * window holds at most 2 * tpm + that excess. Over the five minutes the
 * caller gets at least five minutes of refill: the limiter is not too strict.
 */
static void tpm_budget_holds_over_minutes_of_random_calls(void **state)
{
    (void)state;
    const int64_t tpm = 10000;
    const int64_t minutes = 5;
    uint64_t seed = UINT64_C(42);
    struct ratelimit *rl = ratelimit_new(0, tpm, 0);
    struct took *took = NULL;
    size_t n = 0;
    size_t alloc = 0;
    int64_t excess = 0;
    int64_t now = 0;
    int n_oversized = 0;
    while (now < minutes * 60000) {
        int64_t tokens = rand_between(&seed, 1, 1500);
        if (next_rand(&seed) % 40 == 0)
            tokens = rand_between(&seed, tpm + 1, 2 * tpm);
        now += ratelimit_wait_ms(rl, now, tokens);
        assert_true(ratelimit_take(rl, now, tokens));
        if (n == alloc) {
            alloc = alloc ? 2 * alloc : 256;
            took = realloc(took, alloc * sizeof(*took));
            assert_non_null(took);
        }
        took[n++] = (struct took){ .t = now, .tokens = tokens };
        if (tokens > tpm) {
            n_oversized++;
            if (tokens - tpm > excess)
                excess = tokens - tpm;
        }
        now += rand_between(&seed, 0, 1) * rand_between(&seed, 0, 2000); /* idle at times */
    }
    assert_true(n_oversized > 0);

    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t sum = 0;
        int64_t window = 0;
        for (size_t j = i; j < n; j++) {
            sum += took[j].tokens;
            /* in units of 1/60000 token: exact */
            assert_true(sum * 60000 <= (tpm + excess) * 60000 + (took[j].t - took[i].t) * tpm);
            if (took[j].t - took[i].t < 60000)
                window = sum;
        }
        assert_true(window <= 2 * tpm + excess);
        total += took[i].tokens;
    }
    int64_t span = took[n - 1].t;
    assert_true(total * 60000 <= (tpm + excess) * 60000 + span * tpm);
    assert_true(total >= minutes * tpm);
    free(took);
    ratelimit_free(rl);
}

static void estimate_is_characters_over_four_rounded_up(void **state)
{
    (void)state;
    assert_int_equal(ratelimit_estimate_tokens(0), 0);
    assert_int_equal(ratelimit_estimate_tokens(1), 1);
    assert_int_equal(ratelimit_estimate_tokens(3), 1);
    assert_int_equal(ratelimit_estimate_tokens(4), 1);
    assert_int_equal(ratelimit_estimate_tokens(5), 2);
    assert_int_equal(ratelimit_estimate_tokens(4000), 1000);
    assert_int_equal(ratelimit_estimate_tokens(4001), 1001);
    assert_true(ratelimit_estimate_tokens(SIZE_MAX) > 0);
    assert_true(ratelimit_estimate_tokens(SIZE_MAX) == (int64_t)(SIZE_MAX / 4 + 1) ||
                ratelimit_estimate_tokens(SIZE_MAX) == INT64_MAX);
}

/* ---- the fair queue ------------------------------------------------------------------ */

/* An item that counts how often it was dropped. */
struct item {
    char run;
    int seq;
    int n_dropped;
};

static void drop_item(void *p)
{
    struct item *it = p;
    it->n_dropped++;
}

static void empty_queue_gives_null(void **state)
{
    (void)state;
    struct fairq *q = fairq_new();
    assert_int_equal(fairq_len(q), 0);
    assert_null(fairq_peek(q));
    assert_null(fairq_pop(q));
    fairq_free(q, drop_item);
    fairq_free(NULL, drop_item);
}

static void one_run_is_first_in_first_out(void **state)
{
    (void)state;
    struct item items[5] = { { 0 } };
    struct fairq *q = fairq_new();
    for (int i = 0; i < 5; i++)
        fairq_push(q, "a", &items[i]);
    assert_int_equal(fairq_len(q), 5);
    for (int i = 0; i < 5; i++) {
        assert_ptr_equal(fairq_peek(q), &items[i]);
        assert_ptr_equal(fairq_peek(q), &items[i]); /* peeking takes nothing */
        assert_ptr_equal(fairq_pop(q), &items[i]);
        assert_int_equal(fairq_len(q), (size_t)(4 - i));
    }
    assert_null(fairq_pop(q));
    fairq_free(q, drop_item);
}

static void a_small_run_is_served_between_a_big_one(void **state)
{
    (void)state;
    struct item a[100] = { { 0 } };
    struct item b[3] = { { 0 } };
    struct fairq *q = fairq_new();
    for (int i = 0; i < 100; i++) {
        a[i] = (struct item){ .run = 'A', .seq = i };
        fairq_push(q, "run-a", &a[i]);
    }
    for (int i = 0; i < 3; i++) {
        b[i] = (struct item){ .run = 'B', .seq = i };
        fairq_push(q, "run-b", &b[i]);
    }
    int b_at[3] = { 0 };
    int n_b = 0;
    int next_a = 0;
    for (int pos = 1; pos <= 103; pos++) {
        struct item *it = fairq_pop(q);
        assert_non_null(it);
        if (it->run == 'B') {
            assert_int_equal(it->seq, n_b);
            b_at[n_b++] = pos;
        } else {
            assert_int_equal(it->seq, next_a++);
        }
    }
    assert_int_equal(n_b, 3);
    assert_int_equal(b_at[0], 2);
    assert_int_equal(b_at[1], 4);
    assert_int_equal(b_at[2], 6);
    assert_null(fairq_pop(q));
    fairq_free(q, NULL);
}

/* Pops everything, writing "A0 B0 ..." into out. */
static void drain(struct fairq *q, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    struct item *it;
    while ((it = fairq_pop(q)) != NULL)
        len += (size_t)snprintf(out + len, n - len, "%s%c%d", len ? " " : "", it->run, it->seq);
}

static void three_runs_interleave(void **state)
{
    (void)state;
    struct item items[9];
    struct fairq *q = fairq_new();
    for (int i = 0; i < 9; i++) {
        items[i] = (struct item){ .run = (char)('A' + i / 3), .seq = i % 3 };
        const char *tag = i / 3 == 0 ? "A" : i / 3 == 1 ? "B" : "C";
        fairq_push(q, tag, &items[i]);
    }
    char out[128];
    drain(q, out, sizeof(out));
    assert_string_equal(out, "A0 B0 C0 A1 B1 C1 A2 B2 C2");
    fairq_free(q, drop_item);
}

static void push_front_keeps_its_place(void **state)
{
    (void)state;
    struct item a[3] = { { 'A', 0, 0 }, { 'A', 1, 0 }, { 'A', 2, 0 } };
    struct item b[2] = { { 'B', 0, 0 }, { 'B', 1, 0 } };
    struct fairq *q = fairq_new();
    fairq_push(q, "A", &a[0]);
    fairq_push(q, "A", &a[1]);
    fairq_push(q, "A", &a[2]);
    fairq_push(q, "B", &b[0]);
    fairq_push(q, "B", &b[1]);
    assert_ptr_equal(fairq_pop(q), &a[0]);
    fairq_push_front(q, "A", &a[0]); /* re-ask: before A1, B's turn unchanged */
    assert_int_equal(fairq_len(q), 5);
    char out[128];
    drain(q, out, sizeof(out));
    assert_string_equal(out, "B0 A0 B1 A1 A2");
    fairq_free(q, drop_item);
}

static void push_front_of_an_absent_run_joins_at_the_end(void **state)
{
    (void)state;
    struct item a[2] = { { 'A', 0, 0 }, { 'A', 1, 0 } };
    struct item b[2] = { { 'B', 0, 0 }, { 'B', 1, 0 } };
    struct item c = { 'C', 0, 0 };
    struct fairq *q = fairq_new();
    fairq_push(q, "C", &c);
    assert_ptr_equal(fairq_pop(q), &c); /* C leaves the rotation */
    fairq_push(q, "A", &a[0]);
    fairq_push(q, "A", &a[1]);
    fairq_push(q, "B", &b[0]);
    fairq_push(q, "B", &b[1]);
    fairq_push_front(q, "C", &c);
    char out[128];
    drain(q, out, sizeof(out));
    assert_string_equal(out, "A0 B0 C0 A1 B1");
    fairq_free(q, drop_item);
}

static void a_run_that_empties_rejoins_at_the_end(void **state)
{
    (void)state;
    struct item a[3] = { { 'A', 0, 0 }, { 'A', 1, 0 }, { 'A', 2, 0 } };
    struct item b[2] = { { 'B', 0, 0 }, { 'B', 1, 0 } };
    struct item c[3] = { { 'C', 0, 0 }, { 'C', 1, 0 }, { 'C', 2, 0 } };
    struct fairq *q = fairq_new();
    for (int i = 0; i < 3; i++)
        fairq_push(q, "A", &a[i]);
    fairq_push(q, "B", &b[0]);
    for (int i = 0; i < 3; i++)
        fairq_push(q, "C", &c[i]);
    assert_ptr_equal(fairq_pop(q), &a[0]);
    assert_ptr_equal(fairq_pop(q), &b[0]); /* B is empty: out of the rotation */
    assert_ptr_equal(fairq_pop(q), &c[0]);
    assert_ptr_equal(fairq_pop(q), &a[1]);
    fairq_push(q, "B", &b[1]); /* back after C and A, though it queued first */
    char out[128];
    drain(q, out, sizeof(out));
    assert_string_equal(out, "C1 A2 B1 C2");
    fairq_free(q, drop_item);
}

static void run_tags_are_copied(void **state)
{
    (void)state;
    struct item a[2] = { { 'A', 0, 0 }, { 'A', 1, 0 } };
    struct item b = { 'B', 0, 0 };
    struct item z = { 'Z', 0, 0 };
    char tag[8];
    struct fairq *q = fairq_new();
    memcpy(tag, "A", 2);
    fairq_push(q, tag, &a[0]);
    memcpy(tag, "Z", 2); /* must not rename run A */
    fairq_push(q, "B", &b);
    fairq_push(q, "A", &a[1]);
    fairq_push(q, tag, &z);
    char out[128];
    drain(q, out, sizeof(out));
    assert_string_equal(out, "A0 B0 Z0 A1");
    fairq_free(q, drop_item);
}

static void the_empty_tag_is_a_run_like_any_other(void **state)
{
    (void)state;
    struct item e[2] = { { 'E', 0, 0 }, { 'E', 1, 0 } };
    struct item x[2] = { { 'X', 0, 0 }, { 'X', 1, 0 } };
    struct fairq *q = fairq_new();
    fairq_push(q, "", &e[0]);
    fairq_push(q, "", &e[1]);
    fairq_push(q, "x", &x[0]);
    fairq_push(q, "x", &x[1]);
    char out[128];
    drain(q, out, sizeof(out));
    assert_string_equal(out, "E0 X0 E1 X1");
    fairq_free(q, drop_item);
}

static void free_drops_each_remaining_item_once(void **state)
{
    (void)state;
    struct item items[12];
    struct fairq *q = fairq_new();
    static const char *const tags[3] = { "a", "b", "c" };
    for (int i = 0; i < 12; i++) {
        items[i] = (struct item){ .run = (char)('A' + i % 3), .seq = i / 3 };
        fairq_push(q, tags[i % 3], &items[i]);
    }
    struct item *popped[4];
    for (int i = 0; i < 4; i++)
        popped[i] = fairq_pop(q);
    fairq_push_front(q, "b", popped[3]); /* queued again: dropped once */
    assert_int_equal(fairq_len(q), 9);
    fairq_free(q, drop_item);
    int n_dropped = 0;
    for (int i = 0; i < 12; i++) {
        bool was_popped =
            &items[i] == popped[0] || &items[i] == popped[1] || &items[i] == popped[2];
        assert_int_equal(items[i].n_dropped, was_popped ? 0 : 1);
        n_dropped += items[i].n_dropped;
    }
    assert_int_equal(n_dropped, 9);

    /* without a callback the items are left alone */
    q = fairq_new();
    fairq_push(q, "a", &items[0]);
    fairq_free(q, NULL);
    assert_int_equal(items[0].n_dropped, 0);
}

/*
 * Random pushes, re-asks and pops over 20 runs: every item comes out once,
 * each run's items in their order (re-asks first), fairq_len agrees, and
 * between two turns of a run every other run that waited all along was
 * served: no run waits more than one round.
 */
static void random_operations_keep_order_and_fairness(void **state)
{
    (void)state;
    enum { N_RUNS = 20, N_ITEMS = 4000 };
    struct item *items = calloc(N_ITEMS, sizeof(*items));
    assert_non_null(items);
    int next_seq[N_RUNS] = { 0 };   /* seq of the next item pushed to each run */
    int expect_seq[N_RUNS] = { 0 }; /* seq each run must pop next */
    int n_waiting[N_RUNS] = { 0 };
    int64_t served_at[N_RUNS];     /* pop count when each run was last served */
    int64_t waiting_since[N_RUNS]; /* pop count when each run last became non-empty */
    uint64_t seed = UINT64_C(7);
    struct fairq *q = fairq_new();
    size_t len = 0;
    int n_used = 0;
    int64_t n_pops = 0;
    for (int r = 0; r < N_RUNS; r++)
        served_at[r] = waiting_since[r] = -1;

    while (n_used < N_ITEMS || len > 0) {
        uint64_t op = next_rand(&seed) % 10;
        if (n_used < N_ITEMS && op < 5) {
            int r = (int)(next_rand(&seed) % N_RUNS);
            char tag[16];
            snprintf(tag, sizeof(tag), "run-%d", r);
            struct item *it = &items[n_used++];
            it->run = (char)r;
            it->seq = next_seq[r]++;
            fairq_push(q, tag, it);
            if (n_waiting[r]++ == 0)
                waiting_since[r] = n_pops;
            len++;
        } else if (len > 0) {
            struct item *it = fairq_peek(q);
            assert_non_null(it);
            assert_ptr_equal(fairq_pop(q), it);
            int r = it->run;
            assert_int_equal(it->seq, expect_seq[r]);
            /* every other run waiting since this run's last turn was served since */
            for (int o = 0; o < N_RUNS; o++) {
                if (o == r || n_waiting[o] == 0 || served_at[r] < 0)
                    continue;
                if (waiting_since[o] <= served_at[r])
                    assert_true(served_at[o] > served_at[r]);
            }
            served_at[r] = n_pops++;
            len--;
            n_waiting[r]--;
            if (next_rand(&seed) % 10 == 0) {
                char tag[16];
                snprintf(tag, sizeof(tag), "run-%d", r);
                fairq_push_front(q, tag, it); /* a re-ask: popped again next */
                if (n_waiting[r]++ == 0)
                    waiting_since[r] = n_pops;
                len++;
            } else {
                expect_seq[r]++;
            }
        }
        assert_int_equal(fairq_len(q), len);
    }
    for (int r = 0; r < N_RUNS; r++)
        assert_int_equal(expect_seq[r], next_seq[r]);
    fairq_free(q, drop_item);
    for (int i = 0; i < N_ITEMS; i++)
        assert_int_equal(items[i].n_dropped, 0);
    free(items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rpm_60_lets_60_takes_at_once_and_the_61st_waits_1000_ms),
        cmocka_unit_test(requests_refill_in_proportion_to_time),
        cmocka_unit_test(fractional_refill_is_kept_exactly),
        cmocka_unit_test(refill_stops_at_one_minute_budget),
        cmocka_unit_test(a_minute_window_may_hold_twice_the_budget),
        cmocka_unit_test(tokens_burst_and_refill_exactly),
        cmocka_unit_test(zero_and_negative_tokens_take_nothing),
        cmocka_unit_test(take_is_all_or_nothing_across_both_buckets),
        cmocka_unit_test(wait_is_the_longer_of_the_two_buckets),
        cmocka_unit_test(calls_at_the_budget_boundary),
        cmocka_unit_test(an_oversized_call_passes_when_full_and_leaves_a_debt),
        cmocka_unit_test(an_oversized_call_waits_until_the_bucket_is_full),
        cmocka_unit_test(a_huge_call_leaves_a_bounded_debt),
        cmocka_unit_test(a_positive_correction_can_push_below_zero),
        cmocka_unit_test(a_negative_correction_gives_tokens_back),
        cmocka_unit_test(a_negative_correction_never_fills_past_the_budget),
        cmocka_unit_test(a_correction_applies_after_refilling_to_now),
        cmocka_unit_test(a_correction_of_a_disabled_token_bucket_does_nothing),
        cmocka_unit_test(disabled_buckets_never_block),
        cmocka_unit_test(a_clock_going_back_adds_nothing),
        cmocka_unit_test(extreme_times_neither_crash_nor_overflow),
        cmocka_unit_test(wait_is_exact_for_random_states),
        cmocka_unit_test(tpm_budget_holds_over_minutes_of_random_calls),
        cmocka_unit_test(estimate_is_characters_over_four_rounded_up),
        cmocka_unit_test(empty_queue_gives_null),
        cmocka_unit_test(one_run_is_first_in_first_out),
        cmocka_unit_test(a_small_run_is_served_between_a_big_one),
        cmocka_unit_test(three_runs_interleave),
        cmocka_unit_test(push_front_keeps_its_place),
        cmocka_unit_test(push_front_of_an_absent_run_joins_at_the_end),
        cmocka_unit_test(a_run_that_empties_rejoins_at_the_end),
        cmocka_unit_test(run_tags_are_copied),
        cmocka_unit_test(the_empty_tag_is_a_run_like_any_other),
        cmocka_unit_test(free_drops_each_remaining_item_once),
        cmocka_unit_test(random_operations_keep_order_and_fairness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
