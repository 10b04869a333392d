/*
 * tests/unit/engine/test_tasks.c - the task catalogue: every task renders
 * in the wire format and parses back to the same task (rendering the
 * parsed task gives byte-identical messages), schemas check answers,
 * validators catch what schemas cannot, act answers read into typed
 * structs with the engine's normalisation, and malformed wire text is
 * refused with a clear error.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "testutil.h"

#include "core/jsonio.h"
#include "engine/tasks.h"
#include "llm/schema.h"

static void every_task_round_trips_through_the_wire(void **state)
{
    (void)state;
    for (int k = 0; k < TASK_COUNT_; k++) {
        struct task *t = sample_task((enum task_kind)k);
        struct llm_request *req = task_render(t);
        assert_int_equal(req->n_messages, 2);
        assert_int_equal(req->messages[0].role, LLM_ROLE_SYSTEM);
        char first[64];
        snprintf(first, sizeof(first), "### TASK %s\n", task_name((enum task_kind)k));
        assert_true(strncmp(req->messages[1].content, first, strlen(first)) == 0);
        assert_contains(req->messages[1].content, "### SCHEMA\n```json\n");
        assert_ptr_equal(req->native, t);

        struct llm_request *bare = llm_request_dup(req);
        bare->native = NULL;
        struct task *back = NULL;
        struct err err = ERR_INIT;
        assert_ok(task_parse(bare, &back, &err), &err);
        assert_int_equal(back->kind, k);
        struct llm_request *again = task_render(back);
        assert_string_equal(again->messages[0].content, req->messages[0].content);
        assert_string_equal(again->messages[1].content, req->messages[1].content);
        llm_request_free(again);
        task_free(back);
        llm_request_free(bare);
        llm_request_free(req);
        task_free(t);
    }
}

static void rendering_is_stable_and_the_persona_is_in_the_system_part(void **state)
{
    (void)state;
    struct task *t = sample_act_task();
    struct llm_request *a = task_render(t);
    struct llm_request *b = task_render(t);
    assert_string_equal(a->messages[0].content, b->messages[0].content);
    assert_contains(a->messages[0].content, "### PERSONA\n```json\n{\"name\":\"Ana Souza\"");
    assert_contains(a->messages[1].content, "### SURVEY");
    assert_contains(a->messages[1].content, "\"elicitation\":\"direct\"");
    /* a different turn of the same persona keeps the system part */
    act_add_stimulus(&t->u.act, STIMULUS_CONVERSATION, "What do you think?", "Moderator");
    struct llm_request *c = task_render(t);
    assert_string_equal(a->messages[0].content, c->messages[0].content);
    assert_string_not_equal(a->messages[1].content, c->messages[1].content);
    llm_request_free(a);
    llm_request_free(b);
    llm_request_free(c);
    task_free(t);
}

static enum err_code check(const struct task *t, const char *answer_text, struct err *err)
{
    json_t *answer = json_loads(answer_text, 0, NULL);
    assert_non_null(answer);
    json_t *schema = task_schema(t);
    assert_ok(schema_check(schema, err), err);
    enum err_code rc = schema_validate(schema, answer, err);
    if (!rc)
        rc = task_validate(t, answer, err);
    json_decref(schema);
    json_decref(answer);
    return rc;
}

static void act_schema_accepts_a_good_answer_and_names_a_bad_one(void **state)
{
    (void)state;
    struct task *t = sample_act_task();
    struct err err = ERR_INIT;
    const char *good = "{\"actions\":[{\"type\":\"THINK\",\"content\":\"hmm\"},"
                       "{\"type\":\"TALK\",\"content\":\"Looks good\"},{\"type\":\"DONE\"}],"
                       "\"cognitive_state\":{\"emotions\":\"curious\"},"
                       "\"answers\":{\"appeal\":7,\"buy\":\"yes\",\"price\":\"fair\","
                       "\"rank\":[\"taste\",\"price\",\"time\"],\"why\":\"a free week\"}}";
    assert_ok(check(t, good, &err), &err);
    assert_int_equal(check(t,
                           "{\"actions\":[{\"type\":\"DONE\"}],\"cognitive_state\":{},"
                           "\"answers\":{\"appeal\":11,\"buy\":\"yes\",\"price\":\"fair\","
                           "\"rank\":[\"taste\",\"price\",\"time\"],\"why\":\"x\"}}",
                           &err),
                     ERR_INVALID);
    assert_contains(err.msg, "/answers/appeal");
    assert_int_equal(check(t,
                           "{\"actions\":[{\"type\":\"DONE\"}],\"cognitive_state\":{},"
                           "\"answers\":{\"appeal\":5,\"buy\":\"maybe\",\"price\":\"fair\","
                           "\"rank\":[\"taste\",\"price\",\"time\"],\"why\":\"x\"}}",
                           &err),
                     ERR_INVALID);
    assert_contains(err.msg, "/answers/buy");
    assert_int_equal(check(t,
                           "{\"actions\":[{\"type\":\"DONE\"}],\"cognitive_state\":{},"
                           "\"answers\":{\"appeal\":5,\"buy\":\"no\",\"price\":\"fair\","
                           "\"rank\":[\"taste\",\"taste\",\"time\"],\"why\":\"x\"}}",
                           &err),
                     ERR_INVALID);
    assert_contains(err.msg, "/answers/rank");
    assert_int_equal(check(t,
                           "{\"actions\":[{\"type\":\"TALK\"}],\"cognitive_state\":{},"
                           "\"answers\":{\"appeal\":5,\"buy\":\"no\",\"price\":\"fair\","
                           "\"rank\":[\"taste\",\"price\",\"time\"],\"why\":\"x\"}}",
                           &err),
                     ERR_INVALID);
    assert_contains(err.msg, "TALK action needs its content");
    task_free(t);
}

static void act_answer_read_caps_actions_and_appends_done(void **state)
{
    (void)state;
    struct task *t = task_new(TASK_ACT);
    struct buf b;
    buf_init(&b, 1 << 16);
    buf_adds(&b, "{\"actions\":[");
    for (int i = 0; i < 20; i++)
        buf_addf(&b, "%s{\"type\":\"THINK\",\"content\":\"thought %d\"}", i ? "," : "", i);
    buf_adds(&b, "],\"cognitive_state\":{\"goals\":[\"rest\"],\"emotions\":\"calm\"}}");
    json_t *answer = json_loads(b.data, 0, NULL);
    struct act_answer a;
    struct err err = ERR_INIT;
    assert_ok(act_answer_read(&t->u.act, answer, &a, &err), &err);
    assert_int_equal(a.n_actions, 16); /* 15 kept, DONE appended */
    assert_int_equal(a.actions[14].type, ACTION_THINK);
    assert_int_equal(a.actions[15].type, ACTION_DONE);
    assert_string_equal(a.state.goals.items[0], "rest");
    assert_string_equal(a.state.emotions, "calm");
    act_answer_release(&a);
    json_decref(answer);
    buf_release(&b);
    task_free(t);
}

static void act_answer_read_types_every_answer(void **state)
{
    (void)state;
    struct task *t = sample_act_task();
    json_t *answer =
        json_loads("{\"actions\":[{\"type\":\"TALK\",\"content\":\"ok\",\"target\":"
                   "\"Bo\"},{\"type\":\"DONE\"},{\"type\":\"THINK\",\"content\":"
                   "\"after done\"}],\"cognitive_state\":{},\"answers\":{\"appeal\":8,"
                   "\"buy\":\"no\",\"price\":\"too high\",\"rank\":[\"time\",\"taste\","
                   "\"price\"],\"why\":\"cheaper\"}}",
                   0, NULL);
    struct act_answer a;
    struct err err = ERR_INIT;
    assert_ok(act_answer_read(&t->u.act, answer, &a, &err), &err);
    assert_int_equal(a.n_actions, 2); /* nothing after DONE */
    assert_string_equal(a.actions[0].target, "Bo");
    assert_int_equal(a.n_answers, 5);
    assert_true(a.answers[0].rating == 8.0);
    assert_string_equal(a.answers[1].text, "no");
    assert_string_equal(a.answers[2].text, "too high");
    assert_string_equal(a.answers[3].ranking.items[0], "time");
    assert_string_equal(a.answers[4].text, "cheaper");
    act_answer_release(&a);
    json_decref(answer);
    task_free(t);
}

static void validators_check_what_schemas_cannot(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    struct task *v = sample_task(TASK_VALIDATE); /* round 2 of 3: a question is due */
    assert_int_equal(check(v, "{\"question\":null,\"score\":0.5,\"justification\":\"x\"}", &err),
                     ERR_INVALID);
    assert_ok(check(v, "{\"question\":\"Why?\"}", &err), &err);
    v->u.validate.round = 3;
    assert_int_equal(check(v, "{\"question\":\"Why?\"}", &err), ERR_INVALID);
    assert_ok(check(v, "{\"score\":0.8,\"justification\":\"consistent\"}", &err), &err);
    task_free(v);

    struct task *n = sample_task(TASK_NORMALIZE);
    assert_int_equal(check(n,
                           "{\"themes\":[{\"name\":\"price\",\"sentiment\":\"negative\","
                           "\"answers\":[0,2]}]}",
                           &err),
                     ERR_INVALID);
    assert_contains(err.msg, "only 2 answers");
    task_free(n);

    struct task *p = sample_task(TASK_PERSON);
    assert_int_equal(check(p,
                           "{\"name\":\"Ana Souza\",\"age\":30,\"gender\":\"female\","
                           "\"occupation\":\"nurse\",\"residence\":\"Recife, Brazil\"}",
                           &err),
                     ERR_INVALID);
    assert_contains(err.msg, "already used");
    assert_ok(check(p,
                    "{\"name\":\"Bia Lima\",\"age\":30,\"gender\":\"female\","
                    "\"occupation\":\"nurse\",\"residence\":\"Recife, Brazil\"}",
                    &err),
              &err);
    task_free(p);

    struct task *pr = sample_task(TASK_PROPOSITION);
    assert_int_equal(check(pr, "{\"value\":true,\"justification\":\"x\"}", &err), ERR_INVALID);
    assert_ok(check(pr, "{\"value\":7,\"justification\":\"said so\"}", &err), &err);
    task_free(pr);
}

static struct llm_request *wire(const char *system, const char *user)
{
    struct llm_request *r = llm_request_new("act");
    llm_request_add(r, LLM_ROLE_SYSTEM, system);
    llm_request_add(r, LLM_ROLE_USER, user);
    return r;
}

static void malformed_wire_text_is_refused_clearly(void **state)
{
    (void)state;
    struct task *t = NULL;
    struct err err = ERR_INIT;
    struct llm_request *r = wire("Be nice.", "Hello, how are you?");
    assert_int_equal(task_parse(r, &t, &err), ERR_NOT_FOUND);
    llm_request_free(r);

    r = wire("x", "### TASK dance\n");
    assert_int_equal(task_parse(r, &t, &err), ERR_INVALID);
    assert_contains(err.msg, "unknown task 'dance'");
    llm_request_free(r);

    r = wire("x", "### TASK consolidate\n### EPISODE\n```json\n{\"events\": [1]}\n```\n");
    assert_int_equal(task_parse(r, &t, &err), ERR_INVALID);
    assert_contains(err.msg, "EPISODE.events[0] must be a string");
    llm_request_free(r);

    r = wire("x", "### TASK consolidate\n### EPISODE\n```json\n{\"events\": [\n");
    assert_int_equal(task_parse(r, &t, &err), ERR_INVALID);
    assert_contains(err.msg, "not closed");
    llm_request_free(r);

    r = wire("x", "### TASK consolidate\n### EPISODE\n```json\n{\"events\": }\n```\n");
    assert_int_equal(task_parse(r, &t, &err), ERR_INVALID);
    assert_contains(err.msg, "section EPISODE: line 1");
    llm_request_free(r);

    /* a number the task cannot do without (found by fuzz_task_wire: read as 0, rendered as 0) */
    r = wire("x", "### TASK normalize\n### ANSWERS\n```json\n{\"texts\": [\"ok\"]}\n```\n");
    assert_int_equal(task_parse(r, &t, &err), ERR_INVALID);
    assert_contains(err.msg, "ANSWERS.max_themes is required");
    llm_request_free(r);

    r = wire("x", "### TASK act\n### STIMULI\n```json\n[]\n```\n");
    assert_int_equal(task_parse(r, &t, &err), ERR_INVALID);
    assert_contains(err.msg, "PERSONA section is missing");
    llm_request_free(r);
    assert_null(t);
}

static void a_reask_keeps_the_task_readable(void **state)
{
    (void)state;
    struct task *t = sample_task(TASK_CONSOLIDATE);
    struct llm_request *req = task_render(t);
    req->native = NULL;
    llm_request_add(req, LLM_ROLE_ASSISTANT, "{\"memories\":[]}");
    llm_request_add(req, LLM_ROLE_USER, "Your previous answer cannot be used: ...");
    struct task *back = NULL;
    struct err err = ERR_INIT;
    assert_ok(task_parse(req, &back, &err), &err);
    assert_int_equal(back->kind, TASK_CONSOLIDATE);
    assert_int_equal(back->u.consolidate.events.n, 2);
    task_free(back);
    llm_request_free(req);
    task_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_task_round_trips_through_the_wire),
        cmocka_unit_test(rendering_is_stable_and_the_persona_is_in_the_system_part),
        cmocka_unit_test(act_schema_accepts_a_good_answer_and_names_a_bad_one),
        cmocka_unit_test(act_answer_read_caps_actions_and_appends_done),
        cmocka_unit_test(act_answer_read_types_every_answer),
        cmocka_unit_test(validators_check_what_schemas_cannot),
        cmocka_unit_test(malformed_wire_text_is_refused_clearly),
        cmocka_unit_test(a_reask_keeps_the_task_readable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
