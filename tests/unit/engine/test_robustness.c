/*
 * tests/unit/engine/test_robustness.c - an agent's survey turn against a
 * model that misbehaves: `crowdelic llm-serve --responder script` answers
 * over real HTTP with prose around the JSON, unknown action types, no
 * DONE, 40 actions, an answer of the wrong type, empty content, or a
 * request that hangs. Each is handled as ENGINE.md 3 says - repaired,
 * re-asked (and counted), normalised, or failed with a clear error and
 * the agent unchanged - and none crashes.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "testutil.h"

#include "core/metrics.h"
#include "engine/agent.h"
#include "engine/engine.h"
#include "llm/gateway.h"
#include "llm/openai.h"

static const char GOOD[] =
    "{\"actions\":[{\"type\":\"THINK\",\"content\":\"A rod for thirty pounds.\"},{\"type\":"
    "\"TALK\",\"content\":\"Not bad at all.\"},{\"type\":\"DONE\"}],\"cognitive_state\":{"
    "\"goals\":[\"go fishing\"],\"context\":[\"the shop\"],\"attention\":\"the rod\",\"emotions\":"
    "\"pleased\"},\"answers\":{\"appeal\":4}}";

struct run {
    struct llm_serve_child child;
    struct llm_gateway *gw;
    struct engine e;
    struct agent *agent;
    struct task *task;
    struct llm_response *resp;
    struct turn_result result;
    enum err_code rc;
    struct err err;
};

/* Starts llm-serve answering the given script lines (plus extra flags). */
static void serve(struct run *r, const char *const *lines, size_t n, const char *const *flags,
                  int timeout_ms, int attempts)
{
    char dir[128], path[192];
    assert_int_equal(testutil_mkdtemp(dir, sizeof(dir), "script"), 0);
    snprintf(path, sizeof(path), "%s/answers.jsonl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", lines[i]);
    fclose(f);
    const char *args[16] = { "--responder", "script", "--script", path };
    size_t k = 4;
    for (size_t i = 0; flags && flags[i]; i++)
        args[k++] = flags[i];
    args[k] = NULL;
    assert_int_equal(testutil_llm_serve_start(&r->child, args), 0);
    assert_int_equal(testutil_rmtree(dir), 0);

    char base[64];
    snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", r->child.port);
    struct openai_options o = { .base_url = base,
                                .model = "test-model",
                                .concurrency = 2,
                                .timeout_ms = timeout_ms,
                                .max_attempts = attempts,
                                .backoff_base_ms = 10,
                                .backoff_max_ms = 20 };
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(openai_new(&o, &p, &err), &err);
    struct llm_gateway_options go = { .max_reasks = 2 };
    r->gw = llm_gateway_new(p, &go);
    r->e = (struct engine){ .gw = r->gw, .seed = 5 };
}

/* One survey turn of Tom about a fishing rod: how appealing, 1..5. */
static void survey_turn(struct run *r)
{
    r->agent = agent_new(sample_persona("{\"name\":\"Tom Baker\",\"age\":58,\"language\":"
                                        "\"en\",\"preferences\":{\"interests\":[\"fishing\"]}}"));
    agent_perceive(r->agent, STIMULUS_VISUAL, "The RiverPro rod: carbon fibre, 30 pounds.", "ad");
    char id[] = "appeal", prompt[] = "How appealing is it?";
    struct question q = {
        .id = id, .kind = QUESTION_RATING, .prompt = prompt, .scale_min = 1, .scale_max = 5
    };
    struct turn_ask ask = { .questions = &q, .n_questions = 1 };
    r->task = agent_turn_task(r->agent, &ask);
    r->resp = engine_ask(&r->e, r->task, 1, "Tom Baker", NULL);
    r->rc = agent_turn_commit(r->agent, r->task, r->resp, &r->result, &r->err);
}

static void finish(struct run *r)
{
    turn_result_release(&r->result);
    llm_response_free(r->resp);
    task_free(r->task);
    agent_free(r->agent);
    llm_gateway_free(r->gw);
    metrics_reset();
    assert_int_equal(testutil_llm_serve_stop(&r->child), 0);
}

static void assert_committed_rating(const struct run *r, double rating)
{
    assert_ok(r->rc, &r->err);
    assert_int_equal(r->result.n_answers, 1);
    assert_true(r->result.answers[0].rating == rating);
    assert_int_equal(r->agent->turns, 1);
}

/* ---- the cases ------------------------------------------------------------------------ */

static void prose_around_the_json_is_repaired_without_a_reask(void **state)
{
    (void)state;
    /* the script line is a JSON string holding prose, a fenced block and more prose */
    json_t *text = json_string("");
    char prose[2048];
    snprintf(prose, sizeof(prose), "Sure! Here is my answer:\n```json\n%s\n```\nHope that helps.",
             GOOD);
    json_string_set(text, prose);
    char *encoded = json_dumps(text, JSON_ENCODE_ANY);
    json_decref(text);
    const char *lines[] = { encoded };
    struct run r = { 0 };
    serve(&r, lines, 1, NULL, 5000, 1);
    survey_turn(&r);
    assert_committed_rating(&r, 4);
    assert_int_equal(r.resp->reasks, 0);
    assert_int_equal(r.result.n_actions, 2);
    assert_string_equal(r.agent->state.emotions, "pleased");
    free(encoded);
    finish(&r);
}

static void an_unknown_action_type_is_reasked(void **state)
{
    (void)state;
    const char *lines[] = {
        "{\"actions\":[{\"type\":\"DANCE\",\"content\":\"a little jig\"}],\"cognitive_state\":"
        "{\"goals\":[],\"context\":[],\"attention\":\"\",\"emotions\":\"\"},\"answers\":"
        "{\"appeal\":3}}",
        GOOD,
    };
    struct run r = { 0 };
    serve(&r, lines, 2, NULL, 5000, 1);
    survey_turn(&r);
    assert_committed_rating(&r, 4);
    assert_int_equal(r.resp->reasks, 1);
    finish(&r);
}

static void a_missing_done_is_added(void **state)
{
    (void)state;
    const char *lines[] = { "{\"actions\":[{\"type\":\"THINK\",\"content\":\"Hmm.\"}],"
                            "\"cognitive_state\":{\"goals\":[],\"context\":[],\"attention\":\"\","
                            "\"emotions\":\"\"},\"answers\":{\"appeal\":2}}" };
    struct run r = { 0 };
    serve(&r, lines, 1, NULL, 5000, 1);
    survey_turn(&r);
    assert_committed_rating(&r, 2);
    assert_int_equal(r.resp->reasks, 0);
    assert_int_equal(r.result.n_actions, 1);
    finish(&r);
}

static void forty_actions_are_cut_to_fifteen(void **state)
{
    (void)state;
    char line[16384] = "{\"actions\":[";
    for (int i = 0; i < 40; i++)
        snprintf(line + strlen(line), sizeof(line) - strlen(line),
                 "%s{\"type\":\"THINK\",\"content\":\"step %d of a long and winding thought\"}",
                 i ? "," : "", i);
    snprintf(line + strlen(line), sizeof(line) - strlen(line),
             "],\"cognitive_state\":{\"goals\":[],\"context\":[],\"attention\":\"\",\"emotions\":"
             "\"\"},\"answers\":{\"appeal\":5}}");
    const char *lines[] = { line };
    struct run r = { 0 };
    serve(&r, lines, 1, NULL, 5000, 1);
    survey_turn(&r);
    assert_committed_rating(&r, 5);
    assert_int_equal(r.result.n_actions, 15);
    assert_int_equal(r.resp->reasks, 0);
    finish(&r);
}

static void an_answer_of_the_wrong_type_is_reasked(void **state)
{
    (void)state;
    const char *lines[] = {
        "{\"actions\":[{\"type\":\"DONE\"}],\"cognitive_state\":{\"goals\":[],\"context\":[],"
        "\"attention\":\"\",\"emotions\":\"\"},\"answers\":{\"appeal\":\"four\"}}",
        "{\"actions\":[{\"type\":\"DONE\"}],\"cognitive_state\":{\"goals\":[],\"context\":[],"
        "\"attention\":\"\",\"emotions\":\"\"},\"answers\":{\"appeal\":9}}",
        GOOD,
    };
    struct run r = { 0 };
    serve(&r, lines, 3, NULL, 5000, 1);
    survey_turn(&r);
    assert_committed_rating(&r, 4); /* "four", then 9 off the scale, then right */
    assert_int_equal(r.resp->reasks, 2);
    finish(&r);
}

static void empty_content_is_reasked_and_then_fails_clearly(void **state)
{
    (void)state;
    const char *lines[] = { "\"\"", "\"\"", "\"\"" };
    struct run r = { 0 };
    serve(&r, lines, 3, NULL, 5000, 1);
    survey_turn(&r);
    assert_int_equal(r.rc, ERR_UPSTREAM);
    assert_contains(r.err.msg, "invalid after 2 re-asks");
    assert_int_equal(r.resp->reasks, 2);
    assert_int_equal(r.agent->turns, 0); /* nothing committed */
    assert_int_equal(r.agent->seen, 0);
    finish(&r);
}

static void a_hanging_model_times_out_and_leaves_the_agent_unchanged(void **state)
{
    (void)state;
    const char *lines[] = { GOOD };
    const char *flags[] = { "--fault", "timeout", "--hang-ms", "3000", NULL };
    struct run r = { 0 };
    serve(&r, lines, 1, flags, 200, 2);
    survey_turn(&r);
    assert_int_equal(r.rc, ERR_TIMEOUT);
    assert_int_equal(r.resp->attempts, 2);
    assert_int_equal(r.agent->turns, 0);
    assert_int_equal(r.agent->episodic.n, 1); /* the ad, and nothing else */
    finish(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prose_around_the_json_is_repaired_without_a_reask),
        cmocka_unit_test(an_unknown_action_type_is_reasked),
        cmocka_unit_test(a_missing_done_is_added),
        cmocka_unit_test(forty_actions_are_cut_to_fifteen),
        cmocka_unit_test(an_answer_of_the_wrong_type_is_reasked),
        cmocka_unit_test(empty_content_is_reasked_and_then_fails_clearly),
        cmocka_unit_test(a_hanging_model_times_out_and_leaves_the_agent_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
