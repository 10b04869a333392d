/*
 * tests/unit/engine/test_survey.c - survey units (engine/survey.h): a
 * 100-respondent survey of three questions answered in one call per
 * respondent, respondents who never hear each other, option orders
 * shuffled per respondent and mapped back, k samples, ssr ratings with
 * their probabilities, byte-identical results for the same seed, a failing
 * sample that fails its unit only, and specs refused with a clear message.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "scripted.h"
#include "testutil.h"

#include "core/xalloc.h"
#include "engine/offline/offline.h"
#include "engine/survey.h"

enum { PANEL = 100 };

static struct llm_gateway *gw;
static struct engine eng;
static struct persona *people[PANEL];

static int setup(void **state)
{
    (void)state;
    gw = sample_offline_gateway(1);
    eng = (struct engine){ .gw = gw, .seed = 42 };
    for (int i = 0; i < PANEL; i++) {
        struct task *t = task_new(TASK_PERSON);
        t->u.person.description = xstrdup("the general adult population");
        t->u.person.language = xstrdup(i % 4 == 0 ? "pt-BR" : "en");
        struct llm_response *r = engine_ask(&eng, t, 500 + (uint64_t)i, NULL, NULL);
        struct err err = ERR_INIT;
        if (r->code || persona_from_json(r->json, PERSONA_SHAPE_SPEC, &people[i], &err))
            return -1;
        llm_response_free(r);
        task_free(t);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < PANEL; i++)
        persona_free(people[i]);
    llm_gateway_free(gw);
    return 0;
}

/* ---- the survey ------------------------------------------------------------------------- */

static struct question questions[3];
static struct stimulus ad = { STIMULUS_VISUAL,
                              (char *)"FreshBox: 3 chef-designed dinners a week, delivered, "
                                      "$49/month. Cancel any time.",
                              (char *)"ad" };
static const struct survey_scenario scenario = { .id = "freshbox", .stimuli = &ad, .n_stimuli = 1 };

static void build_questions(void)
{
    static bool built;
    if (built)
        return;
    built = true;
    questions[0] = (struct question){ .id = (char *)"appeal",
                                      .kind = QUESTION_RATING,
                                      .prompt = (char *)"How appealing is this to you?",
                                      .scale_min = 1,
                                      .scale_max = 5 };
    questions[1] = (struct question){ .id = (char *)"price",
                                      .kind = QUESTION_CHOICE,
                                      .prompt = (char *)"The price is..." };
    strlist_add(&questions[1].options, "too low");
    strlist_add(&questions[1].options, "about right");
    strlist_add(&questions[1].options, "too high");
    strlist_add(&questions[1].options, "far too high");
    questions[2] = (struct question){ .id = (char *)"why",
                                      .kind = QUESTION_TEXT,
                                      .prompt = (char *)"Why do you say that?" };
}

static struct survey_spec spec_of(enum elicitation how, int samples)
{
    build_questions();
    return (struct survey_spec){
        .questions = questions, .n_questions = 3, .elicitation = how, .samples = samples
    };
}

static struct survey_unit units[PANEL];

static const struct survey_unit *panel_units(void)
{
    for (size_t i = 0; i < PANEL; i++)
        units[i] = (struct survey_unit){
            .persona = i, .scenario = 0, .who = people[i], .what = &scenario
        };
    return units;
}

static void run(const struct engine *e, const struct survey_spec *spec,
                struct survey_unit_result *out)
{
    struct err err = ERR_INIT;
    assert_ok(survey_run(e, spec, panel_units(), PANEL, out, &err), &err);
}

static void release_all(struct survey_unit_result *out)
{
    for (int i = 0; i < PANEL; i++)
        survey_unit_result_release(&out[i]);
}

static void a_panel_answers_every_question_in_one_call_each(void **state)
{
    (void)state;
    struct survey_spec spec = spec_of(ELICIT_DIRECT, 1);
    struct survey_unit_result out[PANEL];
    run(&eng, &spec, out);
    int64_t calls = 0;
    int low = 0, high = 0;
    for (int i = 0; i < PANEL; i++) {
        assert_ok(out[i].code, &out[i].err);
        assert_int_equal(out[i].n_rows, 3);
        calls += out[i].usage.calls;
        assert_string_equal(out[i].model, "crowdelic-offline");
        const struct survey_row *r = out[i].rows;
        assert_string_equal(r[0].question_id, "appeal");
        assert_int_equal(r[0].persona, i);
        assert_true(r[0].rating >= 1 && r[0].rating <= 5);
        low += r[0].rating <= 2;
        high += r[0].rating >= 4;
        assert_true(strlist_has(&questions[1].options, r[1].text));
        assert_int_equal(r[1].shown.n, 4);
        assert_true(strlen(r[2].text) > 10);
        assert_true(out[i].thoughts.n >= 1);
    }
    assert_int_equal(calls, PANEL);   /* one call per persona and scenario */
    assert_true(low > 0 && high > 0); /* a spread, not one answer */
    release_all(out);
}

static void option_order_is_shuffled_per_respondent_and_mapped_back(void **state)
{
    (void)state;
    struct survey_spec spec = spec_of(ELICIT_DIRECT, 1);
    struct survey_unit_result out[PANEL];
    run(&eng, &spec, out);
    int first_shown[4] = { 0 };
    for (int i = 0; i < PANEL; i++) {
        const struct strlist *shown = &out[i].rows[1].shown;
        for (int k = 0; k < 4; k++)
            if (strcmp(shown->items[0], questions[1].options.items[k]) == 0)
                first_shown[k]++;
        /* the same options, whatever the order */
        for (size_t k = 0; k < shown->n; k++)
            assert_true(strlist_has(&questions[1].options, shown->items[k]));
    }
    for (int k = 0; k < 4; k++)
        assert_true(first_shown[k] >= 10); /* each option comes first for some respondents */
    release_all(out);

    spec.keep_option_order = true;
    run(&eng, &spec, out);
    for (int i = 0; i < PANEL; i++)
        assert_string_equal(out[i].rows[1].shown.items[0], "too low");
    release_all(out);
}

/* Always picks the first option shown; the rest as the offline model. */
static char *picks_first_shown(void *ctx, const struct llm_request *req, enum err_code *fail)
{
    (void)fail;
    struct scripted *s = ctx;
    char *content = scripted_offline_answer(s, req);
    json_t *a = json_loads(content, 0, NULL);
    free(content);
    const struct task *t = req->native;
    const struct question *q = &t->u.act.questions[1];
    json_object_set_new(json_object_get(a, "answers"), "price", json_string(q->options.items[0]));
    content = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return content;
}

static void answers_map_back_to_the_options_as_given(void **state)
{
    (void)state;
    struct scripted *s = scripted_new(picks_first_shown, NULL);
    s->ctx = s;
    struct llm_gateway *g = scripted_gateway(s, 0);
    struct engine e = { .gw = g, .seed = 42 };
    struct survey_spec spec = spec_of(ELICIT_DIRECT, 1);
    struct survey_unit_result out[PANEL];
    run(&e, &spec, out);
    int picked[4] = { 0 };
    for (int i = 0; i < PANEL; i++) {
        assert_ok(out[i].code, &out[i].err);
        assert_string_equal(out[i].rows[1].text, out[i].rows[1].shown.items[0]);
        for (int k = 0; k < 4; k++)
            picked[k] += strcmp(out[i].rows[1].text, questions[1].options.items[k]) == 0;
    }
    /* position bias spread over the options instead of piling on one */
    for (int k = 0; k < 4; k++)
        assert_true(picked[k] >= 10);
    release_all(out);
    llm_gateway_free(g);
    scripted_free(s);
}

/* Counts requests that mention a respondent other than the one asked. */
static int overheard;

static char *listening(void *ctx, const struct llm_request *req, enum err_code *fail)
{
    (void)fail;
    for (int i = 0; i < PANEL; i++) {
        if (strcmp(people[i]->name, req->tags.persona) == 0)
            continue;
        char said_by[128]; /* how a stimulus from them reads on the wire */
        snprintf(said_by, sizeof(said_by), "\"source\":\"%s\"", people[i]->name);
        for (size_t m = 0; m < req->n_messages; m++)
            if (strstr(req->messages[m].content, said_by))
                overheard++;
    }
    return scripted_offline_answer(ctx, req);
}

static void respondents_never_hear_each_other(void **state)
{
    (void)state;
    struct scripted *s = scripted_new(listening, NULL);
    s->ctx = s;
    struct llm_gateway *g = scripted_gateway(s, 0);
    struct engine e = { .gw = g, .seed = 42 };
    struct survey_spec spec = spec_of(ELICIT_DIRECT, 2);
    struct survey_unit_result out[PANEL];
    run(&e, &spec, out);
    llm_gateway_free(g);
    assert_int_equal(s->calls, 2 * PANEL);
    assert_int_equal(overheard, 0);
    for (int i = 0; i < PANEL; i++)
        assert_ok(out[i].code, &out[i].err);
    release_all(out);
    scripted_free(s);
}

static void samples_are_pooled_with_their_own_seeds(void **state)
{
    (void)state;
    struct survey_spec spec = spec_of(ELICIT_DIRECT, 3);
    struct survey_unit_result out[PANEL];
    run(&eng, &spec, out);
    int differ = 0;
    for (int i = 0; i < PANEL; i++) {
        assert_int_equal(out[i].n_rows, 9);
        assert_int_equal(out[i].usage.calls, 3);
        assert_int_equal(out[i].rows[3].sample, 1);
        assert_int_equal(out[i].rows[8].sample, 2);
        differ += strcmp(out[i].rows[2].text, out[i].rows[5].text) != 0;
    }
    assert_true(differ > PANEL / 2);
    release_all(out);
}

static void ssr_turns_words_into_ratings(void **state)
{
    (void)state;
    struct survey_spec spec = spec_of(ELICIT_SSR, 1);
    struct survey_unit_result out[PANEL];
    run(&eng, &spec, out);
    double lo = 5, hi = 1;
    for (int i = 0; i < PANEL; i++) {
        assert_ok(out[i].code, &out[i].err);
        const struct survey_row *r = &out[i].rows[0];
        assert_non_null(r->text); /* the words the rating came from */
        double sum = 0;
        for (int k = 0; k < 5; k++)
            sum += r->pmf[k];
        assert_true(sum > 0.999 && sum < 1.001);
        assert_true(r->rating >= 1 && r->rating <= 5);
        lo = r->rating < lo ? r->rating : lo;
        hi = r->rating > hi ? r->rating : hi;
    }
    assert_true(hi - lo > 1.0); /* people differ */
    release_all(out);
}

/* ---- determinism and failures -------------------------------------------------------- */

static void the_same_seed_gives_byte_identical_rows(void **state)
{
    (void)state;
    struct survey_spec spec = spec_of(ELICIT_DIRECT, 2);
    struct survey_unit_result a[PANEL], b[PANEL];
    run(&eng, &spec, a);
    run(&eng, &spec, b);
    for (int i = 0; i < PANEL; i++) {
        assert_int_equal(a[i].n_rows, b[i].n_rows);
        for (size_t k = 0; k < a[i].n_rows; k++) {
            assert_true(a[i].rows[k].rating == b[i].rows[k].rating);
            if (a[i].rows[k].text)
                assert_string_equal(a[i].rows[k].text, b[i].rows[k].text);
        }
    }
    release_all(a);
    release_all(b);
}

static char *fails_for_one(void *ctx, const struct llm_request *req, enum err_code *fail)
{
    if (strcmp(req->tags.persona, people[7]->name) == 0) {
        *fail = ERR_TIMEOUT;
        return NULL;
    }
    return scripted_offline_answer(ctx, req);
}

static void a_failing_call_fails_its_unit_only(void **state)
{
    (void)state;
    struct scripted *s = scripted_new(fails_for_one, NULL);
    s->ctx = s;
    struct llm_gateway *g = scripted_gateway(s, 0);
    struct engine e = { .gw = g, .seed = 42 };
    struct survey_spec spec = spec_of(ELICIT_DIRECT, 2);
    struct survey_unit_result out[PANEL];
    run(&e, &spec, out);
    for (int i = 0; i < PANEL; i++) {
        if (i == 7) {
            assert_int_equal(out[i].code, ERR_TIMEOUT);
            assert_int_equal(out[i].n_rows, 0);
            assert_int_equal(out[i].usage.failures, 2);
        } else {
            assert_ok(out[i].code, &out[i].err);
        }
    }
    release_all(out);
    llm_gateway_free(g);
    scripted_free(s);
}

static void bad_specs_are_refused_clearly(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    struct survey_spec spec = spec_of(ELICIT_DIRECT, 1);
    spec.n_questions = 0;
    assert_int_equal(survey_spec_check(&spec, &err), ERR_INVALID);
    assert_contains(err.msg, "1 to 50 questions");
    spec = spec_of(ELICIT_DIRECT, 11);
    assert_int_equal(survey_spec_check(&spec, &err), ERR_INVALID);
    assert_contains(err.msg, "samples must be 1 to 10");

    struct question q[2] = { { .id = (char *)"a",
                               .kind = QUESTION_RATING,
                               .prompt = (char *)"?",
                               .scale_min = 5,
                               .scale_max = 1 },
                             { .id = (char *)"a", .kind = QUESTION_TEXT, .prompt = (char *)"?" } };
    spec = (struct survey_spec){ .questions = q, .n_questions = 1, .samples = 1 };
    assert_int_equal(survey_spec_check(&spec, &err), ERR_INVALID);
    assert_contains(err.msg, "scale");
    q[0].scale_min = 1;
    q[0].scale_max = 5;
    spec.n_questions = 2;
    assert_int_equal(survey_spec_check(&spec, &err), ERR_INVALID);
    assert_contains(err.msg, "two questions have the id 'a'");
    q[1].id = (char *)"b";
    q[1].kind = QUESTION_CHOICE;
    assert_int_equal(survey_spec_check(&spec, &err), ERR_INVALID);
    assert_contains(err.msg, "needs 2 to 20 options");
    /* and no call is made for a bad spec */
    struct survey_unit_result out[1];
    struct survey_unit u = { .who = people[0], .what = &scenario };
    assert_int_equal(survey_run(&eng, &spec, &u, 1, out, &err), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_panel_answers_every_question_in_one_call_each),
        cmocka_unit_test(option_order_is_shuffled_per_respondent_and_mapped_back),
        cmocka_unit_test(answers_map_back_to_the_options_as_given),
        cmocka_unit_test(respondents_never_hear_each_other),
        cmocka_unit_test(samples_are_pooled_with_their_own_seeds),
        cmocka_unit_test(ssr_turns_words_into_ratings),
        cmocka_unit_test(the_same_seed_gives_byte_identical_rows),
        cmocka_unit_test(a_failing_call_fails_its_unit_only),
        cmocka_unit_test(bad_specs_are_refused_clearly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
