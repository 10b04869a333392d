/*
 * tests/unit/domain/test_run_exec.c - one run's work (domain/run_exec.h)
 * over template personas, with the offline model behind a real gateway and
 * an in-memory sink: a product test's units each handed over exactly once
 * under the right keys, in steps of at most step_units, with progress that
 * only grows and reaches the total; k samples per unit; byte-identical
 * results for the same seed; a resumed run asked only the units the sink
 * lacks; pause, cancel, timeout and a failing sink stopping the run
 * between steps; journeys whose abandoning personas walk no further, and
 * that resume; focus groups that discuss in rounds, close each scenario
 * with a unit per persona, and resume from the world's state to the same
 * transcript and units.
 */
#include "core/compat.h"

#include "domain/run_exec.h"

#include <math.h>
#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "scripted.h"
#include "testutil.h"

#include "core/xalloc.h"
#include "domain/templates.h"
#include "engine/checkpoint.h"

enum { PANEL = 10, MEMBER_ID_MAX = TEMPLATE_ID_MAX + 16 };

static struct llm_gateway *gw;
static char member_ids[PANEL][MEMBER_ID_MAX];
static struct run_member members[PANEL];

static int setup(void **state)
{
    (void)state;
    const struct persona_template *all;
    size_t n;
    struct err err = ERR_INIT;
    if (templates_get(&all, &n, &err) || n < PANEL) {
        fprintf(stderr, "templates: %s\n", err.msg);
        return -1;
    }
    for (size_t i = 0; i < PANEL; i++) {
        snprintf(member_ids[i], sizeof(member_ids[i]), "template:%s", all[i].id);
        members[i] = (struct run_member){ .id = member_ids[i], .persona = all[i].persona };
    }
    gw = sample_offline_gateway(1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    llm_gateway_free(gw);
    return 0;
}

/* ---- tests as their JSON ------------------------------------------------------------------- */

/* text with every ' turned into " (the documents read better that way). */
static struct test_spec *spec_of(const char *text)
{
    char *s = xstrdup(text);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    struct test_spec *t = NULL;
    struct err err = ERR_INIT;
    assert_ok(test_spec_parse(s, strlen(s), &t, &err), &err);
    free(s);
    return t;
}

/* Two scenarios, the second an A/B/C test of three variants: 4 units a persona. */
static struct test_spec *product(int samples)
{
    char text[4096];
    snprintf(text, sizeof(text),
             "{'name': 'Meal kit', 'type': 'product', 'config': {"
             " 'panel': {'templates': 'all'},"
             " 'scenarios': ["
             "  {'id': 'concept', 'stimulus': 'FreshBox: 3 chef-designed dinners a week, "
             "delivered, $49/month. Cancel any time.',"
             "   'questions': ["
             "    {'id': 'appeal', 'kind': 'rating', 'prompt': 'How appealing is this?',"
             "     'scale': {'min': 1, 'max': 10}},"
             "    {'id': 'buy', 'kind': 'yes_no', 'prompt': 'Would you subscribe?'}]},"
             "  {'id': 'price', 'stimulus': 'The same box, three ways to pay.',"
             "   'variants': [{'id': 'monthly', 'stimulus': '$49 a month.'},"
             "                {'id': 'weekly', 'stimulus': '$12 a week.'},"
             "                {'id': 'yearly', 'stimulus': '$499 a year, two months free.'}],"
             "   'questions': ["
             "    {'id': 'appeal', 'kind': 'rating', 'prompt': 'How appealing is this price?',"
             "     'scale': {'min': 1, 'max': 10}},"
             "    {'id': 'fair', 'kind': 'choice', 'prompt': 'The price is...',"
             "     'options': ['too low', 'fair', 'too high']}]}],"
             " 'seed': 42, 'samples': %d}}",
             samples);
    return spec_of(text);
}

static const char *const PRODUCT_KEYS[] = { "concept", "price/monthly", "price/weekly",
                                            "price/yearly" };

/* Three steps; the second is the kind of form people give up on. */
static const char JOURNEY[] =
    "{'name': 'Onboarding', 'type': 'journey', 'config': {"
    " 'panel': {'templates': 'all'},"
    " 'scenarios': ["
    "  {'id': 'signup', 'stimulus': 'Create your account with your email and a password.',"
    "   'questions': [{'id': 'ease', 'kind': 'rating', 'prompt': 'How easy was this step?',"
    "                  'scale': {'min': 1, 'max': 5}}]},"
    "  {'id': 'verify', 'stimulus': 'Verify your identity: date of birth and proof of address "
    "are required, then set up two-factor authentication with the verification code we sent.',"
    "   'questions': [{'id': 'confused', 'kind': 'yes_no', 'prompt': 'Is anything confusing?'}]},"
    "  {'id': 'first-recipe', 'stimulus': 'The app suggests three recipes for tonight.'}],"
    " 'seed': 7}}";

static const char *const JOURNEY_KEYS[] = { "signup", "verify", "first-recipe" };

/* ---- an in-memory sink ----------------------------------------------------------------------- */

struct stored {
    char *member, *key;
    char *checkpoint; /* survey_unit_checkpoint of its result */
    enum err_code code;
    size_t n_rows;
    int samples; /* 1 + the highest sample of its rows */
    bool abandoned;
    char *reason;
    int step;      /* 1-based save_step it came in */
    double rating; /* its first rating, or NAN */
};

struct mem_sink {
    struct stored *units;
    size_t n, alloc;
    struct strlist had; /* "member\tkey" held before the run */
    int saves;          /* save_step calls, failed ones included */
    int steps;          /* steps stored */
    size_t max_step;    /* the most units in one step */
    int64_t first_done, last_done, total;
    bool monotonic;
    struct engine_usage usage;
    int controls, pause_at, cancel_at; /* control's nth call (1-based) pauses or cancels */
    int expiries, expire_at;           /* expired's nth call says the time is up */
    int fail_at;                       /* save_step's nth call fails */
    char *state;                       /* the last step's state */
    struct strlist said;               /* "step\tspeaker\ttext", every line handed over */
    int states;                        /* steps that came with a state */
};

static void sink_init(struct mem_sink *s)
{
    memset(s, 0, sizeof(*s));
    s->monotonic = true;
    s->first_done = -1;
}

static void sink_release(struct mem_sink *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->units[i].member);
        free(s->units[i].key);
        free(s->units[i].checkpoint);
        free(s->units[i].reason);
    }
    free(s->units);
    strlist_release(&s->had);
    strlist_release(&s->said);
    free(s->state);
    memset(s, 0, sizeof(*s));
}

static const struct stored *sink_find(const struct mem_sink *s, const char *member, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->units[i].member, member) == 0 && strcmp(s->units[i].key, key) == 0)
            return &s->units[i];
    return NULL;
}

/* How many units member has under key (to see that none comes twice). */
static int sink_count(const struct mem_sink *s, const char *member, const char *key)
{
    int n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += strcmp(s->units[i].member, member) == 0 && strcmp(s->units[i].key, key) == 0;
    return n;
}

static void sink_hold(struct mem_sink *s, const char *member, const char *key)
{
    char line[512];
    snprintf(line, sizeof(line), "%s\t%s", member, key);
    strlist_add(&s->had, line);
}

static bool on_done(void *ctx, const char *member_id, const char *key)
{
    struct mem_sink *s = ctx;
    char line[512];
    snprintf(line, sizeof(line), "%s\t%s", member_id, key);
    return strlist_has(&s->had, line) || sink_find(s, member_id, key);
}

static enum err_code on_save(void *ctx, const struct run_step *step, struct err *err)
{
    struct mem_sink *s = ctx;
    if (++s->saves == s->fail_at)
        return err_set(err, ERR_UNAVAILABLE, NULL, "the database is busy");
    s->steps++;
    if (step->done < s->last_done || step->done > step->total)
        s->monotonic = false;
    if (s->first_done < 0)
        s->first_done = step->done;
    s->last_done = step->done;
    s->total = step->total;
    if (step->n_units > s->max_step)
        s->max_step = step->n_units;
    s->usage.calls += step->usage->calls;
    if (step->state) {
        assert_int_equal(strlen(step->state), step->state_len);
        free(s->state);
        s->state = xstrdup(step->state);
        s->states++;
    }
    for (size_t i = 0; i < step->n_said; i++) {
        const struct run_said *l = &step->said[i];
        char line[4096];
        snprintf(line, sizeof(line), "%d\t%s\t%s\t%s\t%d\t%s", s->steps, l->speaker,
                 l->member_id ? l->member_id : "-", l->scenario, l->round, l->text);
        strlist_add(&s->said, line);
    }
    for (size_t i = 0; i < step->n_units; i++) {
        const struct run_unit_done *d = &step->units[i];
        const struct survey_unit_result *r = d->result;
        ALLOC_GROW(s->units, s->n + 1, s->alloc);
        struct stored *u = &s->units[s->n++];
        *u = (struct stored){ .member = xstrdup(d->member_id),
                              .key = xstrdup(d->key),
                              .checkpoint = survey_unit_checkpoint(r, NULL),
                              .code = r->code,
                              .n_rows = r->n_rows,
                              .abandoned = d->abandoned,
                              .reason = xstrdup_or_null(d->reason),
                              .step = s->steps,
                              .rating = NAN };
        for (size_t k = 0; k < r->n_rows && isnan(u->rating); k++)
            if (r->rows[k].kind == QUESTION_RATING)
                u->rating = r->rows[k].rating;
        for (size_t k = 0; k < r->n_rows; k++)
            if (r->rows[k].sample + 1 > u->samples)
                u->samples = r->rows[k].sample + 1;
    }
    return ERR_OK;
}

static enum err_code on_load_state(void *ctx, char **state, size_t *len, struct err *err)
{
    (void)err;
    struct mem_sink *s = ctx;
    *state = xstrdup_or_null(s->state);
    *len = s->state ? strlen(s->state) : 0;
    return ERR_OK;
}

static enum run_control on_control(void *ctx)
{
    struct mem_sink *s = ctx;
    s->controls++;
    if (s->controls == s->cancel_at)
        return RUN_CANCEL;
    if (s->controls == s->pause_at)
        return RUN_PAUSE;
    return RUN_GO;
}

static bool on_expired(void *ctx)
{
    struct mem_sink *s = ctx;
    return ++s->expiries == s->expire_at;
}

static struct run_sink sink_of(struct mem_sink *s)
{
    return (struct run_sink){ .done = on_done,
                              .save_step = on_save,
                              .load_state = on_load_state,
                              .control = on_control,
                              .expired = on_expired,
                              .ctx = s };
}

/* Runs t over the first n members with seed; the return code, the outcome in *outcome. */
static enum err_code run(const struct test_spec *t, size_t n, uint64_t seed, size_t step_units,
                         struct mem_sink *s, enum run_outcome *outcome, struct err *err)
{
    struct engine e = { .gw = gw, .seed = seed };
    struct run_sink sink = sink_of(s);
    *outcome = (enum run_outcome) - 1;
    return run_exec(&e, t, members, n, step_units, &sink, outcome, err);
}

/* Runs t to its end, which must be a completed run. */
static void run_ok(const struct test_spec *t, size_t n, uint64_t seed, size_t step_units,
                   struct mem_sink *s)
{
    enum run_outcome outcome;
    struct err err = ERR_INIT;
    assert_ok(run(t, n, seed, step_units, s, &outcome, &err), &err);
    assert_int_equal(outcome, RUN_COMPLETED);
}

/* ---- product and message tests ------------------------------------------------------------- */

static void units_total_counts_variants_and_journey_steps(void **state)
{
    (void)state;
    struct test_spec *p = product(1);
    assert_int_equal(run_units_total(p, 7), 7 * 4);
    assert_int_equal(run_units_total(p, 0), 0);
    struct test_spec *j = spec_of(JOURNEY);
    assert_int_equal(run_units_total(j, PANEL), PANEL * 3);
    test_spec_free(p);
    test_spec_free(j);
}

static void every_unit_is_handed_over_once_in_steps_of_at_most_step_units(void **state)
{
    (void)state;
    struct test_spec *t = product(1);
    struct mem_sink s;
    sink_init(&s);
    run_ok(t, 7, 42, 3, &s);
    assert_int_equal(s.n, 28);
    for (size_t m = 0; m < 7; m++)
        for (size_t k = 0; k < ARRAY_SIZE(PRODUCT_KEYS); k++)
            assert_int_equal(sink_count(&s, member_ids[m], PRODUCT_KEYS[k]), 1);
    for (size_t i = 0; i < s.n; i++) {
        assert_int_equal(s.units[i].code, ERR_OK);
        assert_int_equal(s.units[i].n_rows, 2);
        assert_false(s.units[i].abandoned);
        assert_null(s.units[i].reason);
    }
    /* a step never spans two scenarios: 7 units as 3+3+1, then 21 as seven steps of 3 */
    assert_int_equal(s.steps, 3 + 7);
    assert_int_equal(s.max_step, 3);
    assert_int_equal(s.controls, s.steps); /* asked before every step */
    assert_int_equal(s.expiries, s.steps);
    assert_true(s.monotonic);
    assert_int_equal(s.first_done, 3);
    assert_int_equal(s.last_done, 28);
    assert_int_equal(s.total, 28);
    assert_int_equal(s.usage.calls, 28); /* one call a unit and sample */
    sink_release(&s);
    test_spec_free(t);
}

static void the_default_step_is_run_step_units(void **state)
{
    (void)state;
    struct test_spec *t = product(1);
    struct mem_sink s;
    sink_init(&s);
    run_ok(t, 7, 42, 0, &s);
    assert_int_equal(s.n, 28);
    assert_int_equal(s.steps, 2); /* one a scenario: 7, then 21 */
    assert_int_equal(s.max_step, 21);
    sink_release(&s);
    test_spec_free(t);
}

static void each_unit_holds_every_sample(void **state)
{
    (void)state;
    struct test_spec *t = product(2);
    struct mem_sink s;
    sink_init(&s);
    run_ok(t, 7, 42, 3, &s);
    assert_int_equal(s.n, 28);
    for (size_t i = 0; i < s.n; i++) {
        assert_int_equal(s.units[i].n_rows, 2 * 2);
        assert_int_equal(s.units[i].samples, 2);
    }
    assert_int_equal(s.usage.calls, 28 * 2);
    sink_release(&s);
    test_spec_free(t);
}

static void the_same_seed_gives_byte_identical_results(void **state)
{
    (void)state;
    struct test_spec *t = product(1);
    struct mem_sink a, b, c;
    sink_init(&a);
    sink_init(&b);
    sink_init(&c);
    run_ok(t, 7, 42, 3, &a);
    run_ok(t, 7, 42, 5, &b); /* another step size: the same calls */
    run_ok(t, 7, 43, 3, &c);
    assert_int_equal(a.n, b.n);
    int differ = 0;
    for (size_t i = 0; i < a.n; i++) {
        const struct stored *same = sink_find(&b, a.units[i].member, a.units[i].key);
        const struct stored *other = sink_find(&c, a.units[i].member, a.units[i].key);
        assert_non_null(same);
        assert_non_null(other);
        assert_string_equal(a.units[i].checkpoint, same->checkpoint);
        differ += strcmp(a.units[i].checkpoint, other->checkpoint) != 0;
    }
    assert_true(differ > 0); /* the seed matters */
    sink_release(&a);
    sink_release(&b);
    sink_release(&c);
    test_spec_free(t);
}

static void a_resumed_run_is_asked_exactly_the_missing_units(void **state)
{
    (void)state;
    struct test_spec *t = product(1);
    struct mem_sink full, resumed;
    sink_init(&full);
    sink_init(&resumed);
    run_ok(t, 7, 42, 3, &full);
    for (size_t i = 0; i < full.n; i += 2)
        sink_hold(&resumed, full.units[i].member, full.units[i].key);
    run_ok(t, 7, 42, 3, &resumed);
    assert_int_equal(resumed.n, 14);
    for (size_t i = 0; i < full.n; i++) {
        const struct stored *got = sink_find(&resumed, full.units[i].member, full.units[i].key);
        if (i % 2 == 0) {
            assert_null(got);
            continue;
        }
        assert_non_null(got);
        assert_int_equal(sink_count(&resumed, got->member, got->key), 1);
        assert_string_equal(got->checkpoint, full.units[i].checkpoint);
    }
    assert_int_equal(resumed.usage.calls, 14);
    assert_true(resumed.monotonic);
    assert_true(resumed.first_done > 14 && resumed.first_done <= 14 + 3);
    assert_int_equal(resumed.last_done, 28);
    sink_release(&full);
    sink_release(&resumed);
    test_spec_free(t);
}

static void a_run_with_nothing_missing_asks_nothing(void **state)
{
    (void)state;
    struct test_spec *t = product(1);
    struct mem_sink s;
    sink_init(&s);
    for (size_t m = 0; m < 7; m++)
        for (size_t k = 0; k < ARRAY_SIZE(PRODUCT_KEYS); k++)
            sink_hold(&s, member_ids[m], PRODUCT_KEYS[k]);
    run_ok(t, 7, 42, 3, &s);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.saves, 0);
    assert_int_equal(s.controls, 0);
    sink_release(&s);
    test_spec_free(t);
}

/* Stops before the second step with the sink's answer; the first step alone is stored. */
static void stops_before_the_second_step(struct mem_sink *s, enum run_outcome want)
{
    struct test_spec *t = product(1);
    enum run_outcome outcome;
    struct err err = ERR_INIT;
    assert_ok(run(t, 7, 42, 3, s, &outcome, &err), &err);
    assert_int_equal(outcome, want);
    assert_int_equal(s->saves, 1);
    assert_int_equal(s->n, 3);
    assert_int_equal(s->last_done, 3);
    test_spec_free(t);
}

static void pausing_at_the_second_step_stops_paused(void **state)
{
    (void)state;
    struct mem_sink s;
    sink_init(&s);
    s.pause_at = 2;
    stops_before_the_second_step(&s, RUN_PAUSED);
    assert_int_equal(s.controls, 2);
    sink_release(&s);
}

static void cancelling_at_the_second_step_stops_cancelled(void **state)
{
    (void)state;
    struct mem_sink s;
    sink_init(&s);
    s.cancel_at = 2;
    stops_before_the_second_step(&s, RUN_CANCELLED);
    sink_release(&s);
}

static void a_run_whose_time_is_up_times_out(void **state)
{
    (void)state;
    struct mem_sink s;
    sink_init(&s);
    s.expire_at = 2;
    stops_before_the_second_step(&s, RUN_TIMED_OUT);
    sink_release(&s);
}

static void a_cancel_beats_the_timeout_which_beats_a_pause(void **state)
{
    (void)state;
    struct mem_sink s;
    sink_init(&s);
    s.cancel_at = s.expire_at = 2;
    stops_before_the_second_step(&s, RUN_CANCELLED);
    sink_release(&s);
    sink_init(&s);
    s.pause_at = s.expire_at = 2;
    stops_before_the_second_step(&s, RUN_TIMED_OUT);
    sink_release(&s);
}

static void a_sink_error_stops_the_run_with_it(void **state)
{
    (void)state;
    struct test_spec *t = product(1);
    struct mem_sink s;
    sink_init(&s);
    s.fail_at = 2;
    enum run_outcome outcome;
    struct err err = ERR_INIT;
    assert_int_equal(run(t, 7, 42, 3, &s, &outcome, &err), ERR_UNAVAILABLE);
    assert_string_equal(err.msg, "the database is busy");
    assert_int_equal(s.saves, 2);
    assert_int_equal(s.n, 3); /* the first step only */
    assert_int_equal(s.controls, 2);
    sink_release(&s);
    test_spec_free(t);
}

/* ---- journeys ----------------------------------------------------------------------------- */

/* The steps member m has units for are 1..k with no gap; k, and whether the last abandons. */
static size_t walked(const struct mem_sink *s, size_t m, bool *abandoned)
{
    size_t k = 0;
    *abandoned = false;
    for (size_t i = 0; i < ARRAY_SIZE(JOURNEY_KEYS); i++) {
        const struct stored *u = sink_find(s, member_ids[m], JOURNEY_KEYS[i]);
        if (!u)
            break;
        assert_int_equal(sink_count(s, member_ids[m], JOURNEY_KEYS[i]), 1);
        assert_int_equal(u->code, ERR_OK);
        assert_int_equal(u->step, (int)i + 1); /* journey step i is run step i */
        k = i + 1;
        *abandoned = u->abandoned;
        if (u->abandoned) {
            assert_non_null(u->reason);
            assert_true(strlen(u->reason) > 0);
        } else {
            assert_null(u->reason);
        }
    }
    for (size_t i = k; i < ARRAY_SIZE(JOURNEY_KEYS); i++)
        assert_null(sink_find(s, member_ids[m], JOURNEY_KEYS[i]));
    return k;
}

static void a_journey_walks_step_by_step_and_who_abandons_goes_no_further(void **state)
{
    (void)state;
    struct test_spec *t = spec_of(JOURNEY);
    struct mem_sink s;
    sink_init(&s);
    run_ok(t, PANEL, 7, 0, &s);
    int abandons = 0, finishers = 0;
    for (size_t m = 0; m < PANEL; m++) {
        bool abandoned;
        size_t k = walked(&s, m, &abandoned);
        assert_true(k >= 1);
        assert_true(abandoned || k == 3);
        abandons += abandoned;
        finishers += k == 3 && !abandoned;
    }
    assert_true(abandons >= 1); /* the verification form is too much for some */
    assert_true(finishers >= 1);
    /* rows for the step's questions; the last step asks none */
    for (size_t i = 0; i < s.n; i++)
        assert_int_equal(s.units[i].n_rows, strcmp(s.units[i].key, "first-recipe") ? 1 : 0);
    assert_int_equal(s.steps, 3);
    assert_true(s.monotonic);
    assert_int_equal(s.last_done, PANEL * 3); /* the steps nobody walks count as done */
    assert_int_equal(s.total, PANEL * 3);
    assert_true(s.n < (size_t)PANEL * 3);
    sink_release(&s);
    test_spec_free(t);
}

static void a_resumed_journey_walks_again_and_hands_over_only_the_missing_units(void **state)
{
    (void)state;
    struct test_spec *t = spec_of(JOURNEY);
    struct mem_sink full, resumed;
    sink_init(&full);
    sink_init(&resumed);
    run_ok(t, PANEL, 7, 0, &full);
    /* the first step saved, for every other member also the second */
    size_t held = 0;
    for (size_t m = 0; m < PANEL; m++)
        for (size_t k = 0; k < (m % 2 ? 1 : 2); k++)
            if (sink_find(&full, member_ids[m], JOURNEY_KEYS[k])) {
                sink_hold(&resumed, member_ids[m], JOURNEY_KEYS[k]);
                held++;
            }
    run_ok(t, PANEL, 7, 0, &resumed);
    assert_int_equal(resumed.n, full.n - held);
    for (size_t i = 0; i < full.n; i++) {
        const struct stored *u = &full.units[i];
        char line[512];
        snprintf(line, sizeof(line), "%s\t%s", u->member, u->key);
        const struct stored *got = sink_find(&resumed, u->member, u->key);
        if (strlist_has(&resumed.had, line)) {
            assert_null(got);
            continue;
        }
        assert_non_null(got); /* the same walk: the same units, byte for byte */
        assert_int_equal(sink_count(&resumed, u->member, u->key), 1);
        assert_string_equal(got->checkpoint, u->checkpoint);
        assert_int_equal(got->abandoned, u->abandoned);
    }
    assert_true(resumed.monotonic);
    assert_int_equal(resumed.last_done, PANEL * 3);
    sink_release(&full);
    sink_release(&resumed);
    test_spec_free(t);
}

static void pausing_a_journey_keeps_the_walked_steps(void **state)
{
    (void)state;
    struct test_spec *t = spec_of(JOURNEY);
    struct mem_sink s;
    sink_init(&s);
    s.pause_at = 2;
    enum run_outcome outcome;
    struct err err = ERR_INIT;
    assert_ok(run(t, PANEL, 7, 0, &s, &outcome, &err), &err);
    assert_int_equal(outcome, RUN_PAUSED);
    assert_int_equal(s.steps, 1);
    assert_int_equal(s.n, PANEL); /* everybody's first step */
    for (size_t i = 0; i < s.n; i++)
        assert_string_equal(s.units[i].key, "signup");
    sink_release(&s);
    test_spec_free(t);
}

/* Those who give up at a step rate its ease lower than those who go on. */
static void who_gives_up_rates_the_step_lower(void **state)
{
    (void)state;
    struct test_spec *t = spec_of(
        "{'name': 'Onboarding', 'type': 'journey', 'config': {"
        " 'panel': {'templates': 'all'},"
        " 'scenarios': ["
        "  {'id': 'signup', 'stimulus': 'Create your account with your email and a password.'},"
        "  {'id': 'verify', 'stimulus': 'Verify your identity: date of birth and proof of address "
        "are required, then set up two-factor authentication with the verification code we "
        "sent.',"
        "   'questions': [{'id': 'ease', 'kind': 'rating', 'prompt': 'How easy was this step?',"
        "                  'scale': {'min': 1, 'max': 5}}]}],"
        " 'seed': 7}}");
    struct mem_sink s;
    sink_init(&s);
    run_ok(t, PANEL, 7, 0, &s);
    double quit = 0, went = 0;
    int n_quit = 0, n_went = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (strcmp(s.units[i].key, "verify") != 0 || isnan(s.units[i].rating))
            continue;
        if (s.units[i].abandoned) {
            assert_true(s.units[i].rating < 5); /* no one gives up on a step they found easy */
            quit += s.units[i].rating;
            n_quit++;
        } else {
            went += s.units[i].rating;
            n_went++;
        }
    }
    assert_true(n_quit >= 1 && n_went >= 1);
    assert_true(quit / n_quit < went / n_went);
    assert_true(quit / n_quit <= 3);
    sink_release(&s);
    test_spec_free(t);
}

/* Six easy steps: long enough for the walkers' memories to be consolidated on the way. */
static const char LONG_JOURNEY[] =
    "{'name': 'Browsing', 'type': 'journey', 'config': {"
    " 'panel': {'templates': 'all'},"
    " 'scenarios': ["
    "  {'id': 's1', 'stimulus': 'The home page shows the dinners of the week.'},"
    "  {'id': 's2', 'stimulus': 'You open a recipe for a quick pasta.',"
    "   'questions': [{'id': 'like', 'kind': 'rating', 'prompt': 'How much do you like it?',"
    "                  'scale': {'min': 1, 'max': 5}}]},"
    "  {'id': 's3', 'stimulus': 'You add it to your basket.'},"
    "  {'id': 's4', 'stimulus': 'The basket shows two dinners for $18.'},"
    "  {'id': 's5', 'stimulus': 'You pick Thursday for delivery.'},"
    "  {'id': 's6', 'stimulus': 'You pay and see a thank-you page.',"
    "   'questions': [{'id': 'again', 'kind': 'yes_no', 'prompt': 'Would you order again?'}]}],"
    " 'seed': 11}}";

static void a_long_journey_consolidates_and_resumes_to_the_same_units(void **state)
{
    (void)state;
    struct test_spec *t = spec_of(LONG_JOURNEY);
    struct mem_sink full, resumed;
    sink_init(&full);
    sink_init(&resumed);
    run_ok(t, 4, 11, 0, &full);
    assert_true(full.n >= 4 * 3);
    assert_true(full.usage.calls > (int64_t)full.n); /* a turn a unit, and consolidations */
    size_t held = 0;
    for (size_t i = 0; i < full.n; i++)
        if (full.units[i].step <= 4) {
            sink_hold(&resumed, full.units[i].member, full.units[i].key);
            held++;
        }
    run_ok(t, 4, 11, 0, &resumed);
    assert_int_equal(resumed.n, full.n - held);
    for (size_t i = 0; i < full.n; i++) {
        const struct stored *got = sink_find(&resumed, full.units[i].member, full.units[i].key);
        if (full.units[i].step <= 4) {
            assert_null(got);
            continue;
        }
        assert_non_null(got);
        assert_string_equal(got->checkpoint, full.units[i].checkpoint);
    }
    assert_int_equal(resumed.last_done, 4 * 6);
    sink_release(&full);
    sink_release(&resumed);
    test_spec_free(t);
}

/* The offline model, but every turn of members[0] at the journey's second step fails. */
static char *fail_first_at_step_two(void *ctx, const struct llm_request *req, enum err_code *fail)
{
    struct scripted *s = *(struct scripted **)ctx;
    if (strcmp(req->task, "act") == 0 && strcmp(req->tags.persona, members[0].persona->name) == 0 &&
        strstr(scripted_last_user(req), "\"step\":2")) {
        *fail = ERR_UPSTREAM;
        return NULL;
    }
    return scripted_offline_answer(s, req);
}

/* Runs the journey with members[0]'s second turn failing; the sink may hold units. */
static void run_failing_journey(struct mem_sink *sink)
{
    struct test_spec *t = spec_of(JOURNEY);
    struct scripted *self = NULL;
    struct scripted *sc = scripted_new(fail_first_at_step_two, &self);
    self = sc;
    struct llm_gateway *failing = scripted_gateway(sc, 0);
    struct engine e = { .gw = failing, .seed = 7 };
    struct run_sink rs = sink_of(sink);
    enum run_outcome outcome;
    struct err err = ERR_INIT;
    assert_ok(run_exec(&e, t, members, PANEL, 0, &rs, &outcome, &err), &err);
    assert_int_equal(outcome, RUN_COMPLETED);
    llm_gateway_free(failing);
    scripted_free(sc);
    test_spec_free(t);
}

static void a_failing_turn_stops_its_persona_with_the_error(void **state)
{
    (void)state;
    struct mem_sink s;
    sink_init(&s);
    run_failing_journey(&s);
    const struct stored *u = sink_find(&s, member_ids[0], "signup");
    assert_non_null(u);
    assert_int_equal(u->code, ERR_OK);
    u = sink_find(&s, member_ids[0], "verify");
    assert_non_null(u);
    assert_int_equal(u->code, ERR_UPSTREAM);
    assert_int_equal(u->n_rows, 0);
    assert_false(u->abandoned);
    assert_contains(u->checkpoint, "scripted failure");
    assert_null(sink_find(&s, member_ids[0], "first-recipe"));
    assert_non_null(sink_find(&s, member_ids[1], "verify")); /* the others walk on */
    assert_true(s.monotonic);
    assert_int_equal(s.last_done, PANEL * 3);
    sink_release(&s);
}

static void walking_again_through_a_held_step_that_fails_hands_the_error_on(void **state)
{
    (void)state;
    struct mem_sink s;
    sink_init(&s);
    sink_hold(&s, member_ids[0], "signup");
    sink_hold(&s, member_ids[0], "verify");
    run_failing_journey(&s);
    assert_null(sink_find(&s, member_ids[0], "signup"));
    assert_null(sink_find(&s, member_ids[0], "verify"));
    const struct stored *u = sink_find(&s, member_ids[0], "first-recipe");
    assert_non_null(u);
    assert_int_equal(u->code, ERR_UPSTREAM);
    assert_contains(u->checkpoint, "walking again through step 'verify' failed");
    assert_int_equal(u->step, 2); /* with the step that failed */
    assert_int_equal(s.last_done, PANEL * 3);
    sink_release(&s);
}

/* ---- focus groups ------------------------------------------------------------------------- */

/* Two topics, two questions, two rounds: each topic 4 world steps and its closing. */
static const char FOCUS[] =
    "{'name': 'Weeknight dinners', 'type': 'focus_group', 'config': {"
    " 'panel': {'templates': 'all'},"
    " 'scenarios': ["
    "  {'id': 'cooking', 'stimulus': 'We are here to talk about cooking on weeknights.'},"
    "  {'id': 'kits', 'stimulus': 'FreshBox: 3 chef-designed dinners a week, delivered, "
    "$49/month.',"
    "   'questions': [{'id': 'appeal', 'kind': 'rating', 'prompt': 'How appealing is it?',"
    "                  'scale': {'min': 1, 'max': 10}}]}],"
    " 'moderator': {'questions': ['What do you think?', 'What would change your mind?'],"
    "               'rounds': 2},"
    " 'seed': 5}}";

enum { FOCUS_SEATS = 4, FOCUS_STEPS = 2 * (2 * 2 + 1) };

/* The lines member said in the discussion (speaker column is their name). */
static int lines_of(const struct mem_sink *s, const char *member_id)
{
    int n = 0;
    for (size_t i = 0; i < s->said.n; i++) {
        char needle[MEMBER_ID_MAX + 4];
        snprintf(needle, sizeof(needle), "\t%s\t", member_id);
        n += strstr(s->said.items[i], needle) != NULL;
    }
    return n;
}

static void a_focus_group_discusses_in_rounds_and_closes_each_topic(void **state)
{
    (void)state;
    struct test_spec *t = spec_of(FOCUS);
    assert_int_equal(run_units_total(t, FOCUS_SEATS), FOCUS_STEPS);
    struct mem_sink s;
    sink_init(&s);
    run_ok(t, FOCUS_SEATS, 5, 0, &s);
    assert_int_equal(s.steps, FOCUS_STEPS);
    assert_int_equal(s.states, FOCUS_STEPS); /* every step leaves the world's checkpoint */
    assert_true(s.monotonic);
    assert_int_equal(s.last_done, FOCUS_STEPS);
    assert_int_equal(s.total, FOCUS_STEPS);
    /* a unit per member and topic, in the topic's closing step (5 and 10) */
    assert_int_equal(s.n, FOCUS_SEATS * 2);
    for (size_t m = 0; m < FOCUS_SEATS; m++) {
        const struct stored *a = sink_find(&s, member_ids[m], "cooking");
        const struct stored *b = sink_find(&s, member_ids[m], "kits");
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(a->step, 5);
        assert_int_equal(b->step, 10);
        assert_int_equal(a->code, ERR_OK);
        assert_int_equal(b->code, ERR_OK);
        assert_int_equal(a->n_rows, 0); /* the first topic asks nothing */
        assert_int_equal(b->n_rows, 1);
        assert_contains(a->checkpoint, "\"talk\"");    /* what they said in the discussion */
        assert_true(lines_of(&s, member_ids[m]) >= 4); /* they spoke in the discussion */
    }
    /* the moderator opens each topic with its stimulus, then asks in order */
    assert_contains(s.said.items[0], "1\tModerator\t-\tcooking\t1\tWe are here to talk");
    assert_contains(s.said.items[1], "1\tModerator\t-\tcooking\t1\tWhat do you think?");
    int asked = 0;
    for (size_t i = 0; i < s.said.n; i++)
        asked += strstr(s.said.items[i], "\tModerator\t-\tkits\t2\tWhat would change") != NULL;
    assert_int_equal(asked, 1);
    sink_release(&s);
    test_spec_free(t);
}

static void the_same_seed_gives_the_same_focus_group(void **state)
{
    (void)state;
    struct test_spec *t = spec_of(FOCUS);
    struct mem_sink a, b;
    sink_init(&a);
    sink_init(&b);
    run_ok(t, FOCUS_SEATS, 5, 0, &a);
    run_ok(t, FOCUS_SEATS, 5, 0, &b);
    assert_int_equal(a.said.n, b.said.n);
    for (size_t i = 0; i < a.said.n; i++)
        assert_string_equal(a.said.items[i], b.said.items[i]);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++)
        assert_string_equal(a.units[i].checkpoint, b.units[i].checkpoint);
    assert_string_equal(a.state, b.state);
    sink_release(&a);
    sink_release(&b);
    test_spec_free(t);
}

/* Paused before run step `at`, then resumed on the same sink: the same run as one go. */
static void resumes_from(int at)
{
    struct test_spec *t = spec_of(FOCUS);
    struct mem_sink full, s;
    sink_init(&full);
    sink_init(&s);
    run_ok(t, FOCUS_SEATS, 5, 0, &full);
    s.pause_at = at;
    enum run_outcome outcome;
    struct err err = ERR_INIT;
    assert_ok(run(t, FOCUS_SEATS, 5, 0, &s, &outcome, &err), &err);
    assert_int_equal(outcome, RUN_PAUSED);
    assert_int_equal(s.steps, at - 1);
    s.pause_at = 0;
    run_ok(t, FOCUS_SEATS, 5, 0, &s);
    assert_int_equal(s.steps, FOCUS_STEPS); /* no step twice */
    assert_true(s.monotonic);
    assert_int_equal(s.last_done, FOCUS_STEPS);
    assert_int_equal(s.said.n, full.said.n);
    for (size_t i = 0; i < full.said.n; i++)
        assert_string_equal(s.said.items[i], full.said.items[i]);
    assert_int_equal(s.n, full.n);
    for (size_t i = 0; i < full.n; i++) {
        const struct stored *got = sink_find(&s, full.units[i].member, full.units[i].key);
        assert_non_null(got);
        assert_int_equal(sink_count(&s, full.units[i].member, full.units[i].key), 1);
        assert_string_equal(got->checkpoint, full.units[i].checkpoint);
    }
    assert_string_equal(s.state, full.state);
    sink_release(&full);
    sink_release(&s);
    test_spec_free(t);
}

static void a_paused_focus_group_resumes_from_the_worlds_state(void **state)
{
    (void)state;
    resumes_from(3);  /* in the first topic's discussion */
    resumes_from(5);  /* before its closing */
    resumes_from(6);  /* at the second topic's start */
    resumes_from(10); /* before the last closing */
}

static void a_focus_group_seats_two_to_twenty(void **state)
{
    (void)state;
    struct test_spec *t = spec_of(FOCUS);
    struct mem_sink s;
    sink_init(&s);
    enum run_outcome outcome;
    struct err err = ERR_INIT;
    assert_int_equal(run(t, 1, 5, 0, &s, &outcome, &err), ERR_INVALID);
    assert_string_equal(err.field, "panel");
    assert_contains(err.msg, "a focus group seats 2 to 20 personas; this panel has 1");
    assert_int_equal(s.saves, 0);
    sink_release(&s);
    test_spec_free(t);
}

static void a_sink_error_stops_a_focus_group(void **state)
{
    (void)state;
    struct test_spec *t = spec_of(FOCUS);
    struct mem_sink s;
    sink_init(&s);
    s.fail_at = 5; /* the first closing */
    enum run_outcome outcome;
    struct err err = ERR_INIT;
    assert_int_equal(run(t, FOCUS_SEATS, 5, 0, &s, &outcome, &err), ERR_UNAVAILABLE);
    assert_int_equal(s.steps, 4);
    assert_int_equal(s.n, 0);
    sink_release(&s);
    test_spec_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(units_total_counts_variants_and_journey_steps),
        cmocka_unit_test(every_unit_is_handed_over_once_in_steps_of_at_most_step_units),
        cmocka_unit_test(the_default_step_is_run_step_units),
        cmocka_unit_test(each_unit_holds_every_sample),
        cmocka_unit_test(the_same_seed_gives_byte_identical_results),
        cmocka_unit_test(a_resumed_run_is_asked_exactly_the_missing_units),
        cmocka_unit_test(a_run_with_nothing_missing_asks_nothing),
        cmocka_unit_test(pausing_at_the_second_step_stops_paused),
        cmocka_unit_test(cancelling_at_the_second_step_stops_cancelled),
        cmocka_unit_test(a_run_whose_time_is_up_times_out),
        cmocka_unit_test(a_cancel_beats_the_timeout_which_beats_a_pause),
        cmocka_unit_test(a_sink_error_stops_the_run_with_it),
        cmocka_unit_test(a_journey_walks_step_by_step_and_who_abandons_goes_no_further),
        cmocka_unit_test(a_resumed_journey_walks_again_and_hands_over_only_the_missing_units),
        cmocka_unit_test(pausing_a_journey_keeps_the_walked_steps),
        cmocka_unit_test(who_gives_up_rates_the_step_lower),
        cmocka_unit_test(a_long_journey_consolidates_and_resumes_to_the_same_units),
        cmocka_unit_test(a_failing_turn_stops_its_persona_with_the_error),
        cmocka_unit_test(walking_again_through_a_held_step_that_fails_hands_the_error_on),
        cmocka_unit_test(a_focus_group_discusses_in_rounds_and_closes_each_topic),
        cmocka_unit_test(the_same_seed_gives_the_same_focus_group),
        cmocka_unit_test(a_paused_focus_group_resumes_from_the_worlds_state),
        cmocka_unit_test(a_focus_group_seats_two_to_twenty),
        cmocka_unit_test(a_sink_error_stops_a_focus_group),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
