/*
 * tests/unit/engine/test_validator.c - the persona validator
 * (engine/validator.h): an interview of several rounds on the offline
 * model ends with a score and its reasons; a persona whose answers
 * contradict its spec scores lower than one whose answers fit it (the
 * answers scripted, the judging by the offline model); bad round counts
 * are refused.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "scripted.h"
#include "testutil.h"

#include "core/xalloc.h"
#include "engine/offline/offline.h"
#include "engine/validator.h"

static struct llm_gateway *gw;
static struct engine eng;

static int setup(void **state)
{
    (void)state;
    gw = sample_offline_gateway(1);
    eng = (struct engine){ .gw = gw, .seed = 3 };
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    llm_gateway_free(gw);
    return 0;
}

static struct persona *chef(void)
{
    return sample_persona(
        "{\"name\":\"Marta Reis\",\"age\":45,\"gender\":\"female\",\"residence\":\"Lisbon, "
        "Portugal\",\"language\":\"en\",\"income_level\":\"middle\",\"occupation\":{\"title\":"
        "\"chef\",\"description\":\"runs a small vegetarian restaurant\"},\"personality\":"
        "{\"traits\":[\"patient\",\"warm\"]},\"preferences\":{\"interests\":[\"cooking\","
        "\"gardening\",\"vegetables\"],\"likes\":[\"fresh herbs\",\"farmers markets\"],"
        "\"dislikes\":[\"fast food\",\"processed meat\"]},\"values\":[\"health\"]}");
}

static const char expectations[] =
    "A chef who loves cooking with vegetables and fresh herbs, cares about health, and avoids "
    "fast food.";

static void an_interview_ends_with_a_score_and_its_reasons(void **state)
{
    (void)state;
    struct persona *p = chef();
    struct validation v;
    struct err err = ERR_INIT;
    struct engine_usage u = { 0 };
    assert_ok(persona_validate(&eng, p, expectations, 4, &u, &v, &err), &err);
    assert_int_equal(v.rounds, 4);
    assert_int_equal(v.interview.n, 6); /* three questions, three answers */
    assert_string_equal(v.interview.lines[0].speaker, VALIDATOR_INTERVIEWER);
    assert_string_equal(v.interview.lines[1].speaker, "Marta Reis");
    assert_true(strlen(v.interview.lines[1].text) > 10);
    assert_true(v.score >= 0 && v.score <= 1);
    assert_non_null(v.justification);
    assert_string_equal(v.model, "crowdelic-offline");
    assert_int_equal(u.calls, 7); /* four rounds, three answers */
    validation_release(&v);
    persona_free(p);
}

/* The persona's answers are scripted; the interviewer is the offline model. */
static const char *scripted_answer;

static char *answers_as_scripted(void *ctx, const struct llm_request *req, enum err_code *fail)
{
    (void)fail;
    if (strcmp(req->task, "act") != 0)
        return scripted_offline_answer(ctx, req);
    json_t *a = json_pack("{s:[{s:s,s:s},{s:s}],s:{s:[],s:[],s:s,s:s}}", "actions", "type", "TALK",
                          "content", scripted_answer, "type", "DONE", "cognitive_state", "goals",
                          "context", "attention", "", "emotions", "calm");
    char *text = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return text;
}

static double score_with(const char *what_she_says)
{
    scripted_answer = what_she_says;
    struct scripted *s = scripted_new(answers_as_scripted, NULL);
    s->ctx = s;
    struct llm_gateway *g = scripted_gateway(s, 0);
    struct engine e = { .gw = g, .seed = 3 };
    struct persona *p = chef();
    struct validation v;
    struct err err = ERR_INIT;
    assert_ok(persona_validate(&e, p, expectations, 4, NULL, &v, &err), &err);
    double score = v.score;
    printf("# %.2f: %s\n", score, v.justification);
    validation_release(&v);
    persona_free(p);
    llm_gateway_free(g);
    scripted_free(s);
    return score;
}

static void answers_that_contradict_the_spec_score_lower(void **state)
{
    (void)state;
    double fits = score_with("I cook with fresh vegetables and herbs from my garden every day; "
                             "I love cooking healthy food at my restaurant.");
    double contradicts = score_with("I hate cooking and I never eat vegetables. I live on fast "
                                    "food and processed meat, and gardening bores me.");
    assert_true(fits > contradicts);
    assert_true(fits - contradicts >= 0.2);
}

static void bad_round_counts_are_refused(void **state)
{
    (void)state;
    struct persona *p = chef();
    struct validation v;
    struct err err = ERR_INIT;
    assert_int_equal(persona_validate(&eng, p, NULL, 1, NULL, &v, &err), ERR_INVALID);
    assert_contains(err.msg, "rounds must be 2 to 10");
    assert_int_equal(persona_validate(&eng, p, NULL, 11, NULL, &v, &err), ERR_INVALID);
    persona_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_interview_ends_with_a_score_and_its_reasons),
        cmocka_unit_test(answers_that_contradict_the_spec_score_lower),
        cmocka_unit_test(bad_round_counts_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
