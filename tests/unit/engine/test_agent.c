/*
 * tests/unit/engine/test_agent.c - an agent's turns (engine/agent.h): the
 * task carries the persona, the cognitive state, the memory window, the
 * retrieved memories and the new stimuli (and the rendered prompt shows
 * the state, which TinyTroupe 0.6.0 left empty); commits keep at most 15
 * actions, stop at DONE, end a repeated action with feedback, update the
 * state field by field, and change nothing when the call failed;
 * consolidation moves an episode into semantic memory; documents are
 * retrieved when the turn is about them. Turns run on the offline model
 * through the real gateway; odd answers are hand-made responses.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "testutil.h"

#include "core/buf.h"
#include "core/xalloc.h"
#include "engine/agent.h"
#include "engine/engine.h"
#include "engine/offline/offline.h"

static struct llm_gateway *gw;
static struct engine eng;

static int setup(void **state)
{
    (void)state;
    gw = sample_offline_gateway(1);
    eng = (struct engine){ .gw = gw, .seed = 42 };
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    llm_gateway_free(gw);
    return 0;
}

static struct agent *tom(void)
{
    return agent_new(sample_persona(
        "{\"name\":\"Tom Baker\",\"age\":58,\"gender\":\"male\",\"residence\":\"Leeds, United "
        "Kingdom\",\"language\":\"en\",\"income_level\":\"upper_middle\",\"occupation\":"
        "{\"title\":\"electrician\"},\"preferences\":{\"interests\":[\"football\",\"fishing\"],"
        "\"dislikes\":[\"subscriptions\"]}}"));
}

/* One real turn on the offline model. */
static void turn(struct agent *a, struct turn_result *r)
{
    struct task *t = agent_turn_task(a, NULL);
    struct llm_response *resp = engine_ask(&eng, t, 7, agent_name(a), NULL);
    struct err err = ERR_INIT;
    assert_ok(agent_turn_commit(a, t, resp, r, &err), &err);
    llm_response_free(resp);
    task_free(t);
}

/* A hand-made successful response with this JSON answer. */
static struct llm_response *answer(const char *json)
{
    struct llm_response *r = xcalloc(1, sizeof(*r));
    r->json = json_loads(json, 0, NULL);
    assert_non_null(r->json);
    r->text = xstrdup(json);
    return r;
}

static enum err_code commit_json(struct agent *a, const char *json, struct turn_result *out)
{
    struct task *t = agent_turn_task(a, NULL);
    struct llm_response *r = answer(json);
    struct err err = ERR_INIT;
    enum err_code rc = agent_turn_commit(a, t, r, out, &err);
    llm_response_free(r);
    task_free(t);
    return rc;
}

static const char state_json[] =
    "\"cognitive_state\":{\"goals\":[\"find a cheap dinner\"],\"context\":[\"at home\"],"
    "\"attention\":\"the ad\",\"emotions\":\"curious\"}";

/* ---- the task ------------------------------------------------------------------------ */

static void the_task_carries_new_stimuli_and_the_seen_window(void **state)
{
    (void)state;
    struct agent *a = tom();
    agent_perceive(a, STIMULUS_VISUAL, "FreshBox: chef-designed dinners, $49/month.", "ad");
    struct task *t = agent_turn_task(a, NULL);
    assert_int_equal(t->u.act.n_stimuli, 1);
    assert_string_equal(t->u.act.stimuli[0].source, "ad");
    assert_int_equal(t->u.act.episodic.n, 0); /* nothing seen yet */
    assert_string_equal(t->u.act.persona->name, "Tom Baker");
    task_free(t);

    struct turn_result r;
    turn(a, &r);
    assert_true(r.n_actions >= 1);
    assert_int_equal(r.actions[0].type, ACTION_THINK);
    turn_result_release(&r);

    agent_perceive(a, STIMULUS_CONVERSATION, "What did you think of it?", "Ana");
    t = agent_turn_task(a, NULL);
    assert_int_equal(t->u.act.n_stimuli, 1); /* only the new one */
    assert_string_equal(t->u.act.stimuli[0].content, "What did you think of it?");
    assert_true(t->u.act.episodic.n >= 2); /* the ad and Tom's own actions */
    assert_contains(t->u.act.episodic.items[0], "FreshBox");
    task_free(t);
    agent_free(a);
}

static void the_cognitive_state_reaches_the_prompt(void **state)
{
    (void)state;
    struct agent *a = tom();
    agent_perceive(a, STIMULUS_VISUAL, "A fishing rod, $30.", NULL);
    char json[1024];
    snprintf(json, sizeof(json),
             "{\"actions\":[{\"type\":\"THINK\",\"content\":\"Nice rod.\"}],%s}", state_json);
    assert_ok(commit_json(a, json, NULL), NULL);
    assert_string_equal(a->state.emotions, "curious");
    assert_string_equal(a->state.attention, "the ad");
    assert_string_equal(a->state.goals.items[0], "find a cheap dinner");

    agent_move_to(a, "the pub", NULL);
    agent_make_accessible(a, "Ana Souza", "a neighbour");
    struct task *t = agent_turn_task(a, NULL);
    struct llm_request *req = task_render(t);
    struct buf all;
    buf_init(&all, 1 << 20);
    for (size_t i = 0; i < req->n_messages; i++)
        buf_adds(&all, req->messages[i].content);
    assert_contains(all.data, "curious");
    assert_contains(all.data, "find a cheap dinner");
    assert_contains(all.data, "the pub");
    assert_contains(all.data, "Ana Souza (a neighbour)");
    assert_contains(all.data, "Nice rod.");
    buf_release(&all);
    llm_request_free(req);
    task_free(t);
    agent_free(a);
}

/* ---- committing ------------------------------------------------------------------------ */

static void at_most_fifteen_actions_are_committed(void **state)
{
    (void)state;
    struct agent *a = tom();
    char json[8192] = "{\"actions\":[";
    for (int i = 0; i < 40; i++)
        snprintf(json + strlen(json), sizeof(json) - strlen(json),
                 "%s{\"type\":\"THINK\",\"content\":\"thought number %d is quite different\"}",
                 i ? "," : "", i);
    snprintf(json + strlen(json), sizeof(json) - strlen(json), "],%s}", state_json);
    struct turn_result r;
    assert_ok(commit_json(a, json, &r), NULL);
    assert_int_equal(r.n_actions, 15);
    assert_int_equal(a->actions, 15);
    turn_result_release(&r);
    agent_free(a);
}

static void actions_after_done_are_not_committed(void **state)
{
    (void)state;
    struct agent *a = tom();
    struct turn_result r;
    char json[1024];
    snprintf(json, sizeof(json),
             "{\"actions\":[{\"type\":\"THINK\",\"content\":\"hm\"},{\"type\":\"DONE\"},"
             "{\"type\":\"TALK\",\"content\":\"too late\"}],%s}",
             state_json);
    assert_ok(commit_json(a, json, &r), NULL);
    assert_int_equal(r.n_actions, 1);
    turn_result_release(&r);
    agent_free(a);
}

static void a_repeated_action_becomes_done_with_feedback(void **state)
{
    (void)state;
    struct agent *a = tom();
    char json[1024];
    snprintf(json, sizeof(json),
             "{\"actions\":[{\"type\":\"TALK\",\"content\":\"I really do not like paying every "
             "month for dinners\",\"target\":\"Ana\"}],%s}",
             state_json);
    struct turn_result r;
    assert_ok(commit_json(a, json, &r), NULL);
    assert_false(r.repeated);
    turn_result_release(&r);
    size_t events = a->episodic.n;

    /* the same words to the same person: stopped, with a note in memory */
    snprintf(json, sizeof(json),
             "{\"actions\":[{\"type\":\"TALK\",\"content\":\"I really do not like paying every "
             "month for dinners!\",\"target\":\"ana\"},{\"type\":\"THINK\",\"content\":\"x\"}],%s}",
             state_json);
    assert_ok(commit_json(a, json, &r), NULL);
    assert_true(r.repeated);
    assert_int_equal(r.n_actions, 0);
    assert_int_equal(a->episodic.n, events + 1);
    assert_int_equal(a->episodic.events[events].kind, EVENT_FEEDBACK);
    turn_result_release(&r);

    /* the same words to someone else are not a repetition */
    snprintf(json, sizeof(json),
             "{\"actions\":[{\"type\":\"TALK\",\"content\":\"I really do not like paying every "
             "month for dinners\",\"target\":\"Bob\"}],%s}",
             state_json);
    assert_ok(commit_json(a, json, &r), NULL);
    assert_false(r.repeated);
    assert_int_equal(r.n_actions, 1);
    turn_result_release(&r);
    agent_free(a);
}

static void a_failed_call_changes_nothing(void **state)
{
    (void)state;
    struct agent *a = tom();
    agent_perceive(a, STIMULUS_VISUAL, "An ad.", NULL);
    struct task *t = agent_turn_task(a, NULL);
    struct llm_response *r = xcalloc(1, sizeof(*r));
    r->code = ERR_TIMEOUT;
    snprintf(r->err.msg, sizeof(r->err.msg), "gave up after 4 attempts");
    struct err err = ERR_INIT;
    assert_int_equal(agent_turn_commit(a, t, r, NULL, &err), ERR_TIMEOUT);
    assert_contains(err.msg, "gave up");
    assert_int_equal(a->seen, 0);
    assert_int_equal(a->episodic.n, 1);
    assert_int_equal(a->turns, 0);
    llm_response_free(r);

    /* an answer that does not fit the task (a survey answer missing) */
    char id[] = "buy", prompt[] = "Buy?";
    struct question q = { .id = id, .kind = QUESTION_YES_NO, .prompt = prompt };
    struct turn_ask ask = { .questions = &q, .n_questions = 1 };
    task_free(t);
    t = agent_turn_task(a, &ask);
    char json[512];
    snprintf(json, sizeof(json), "{\"actions\":[],%s}", state_json);
    r = answer(json);
    assert_int_equal(agent_turn_commit(a, t, r, NULL, &err), ERR_INVALID);
    assert_int_equal(a->seen, 0);
    llm_response_free(r);
    task_free(t);
    agent_free(a);
}

/* ---- memory ------------------------------------------------------------------------------- */

static void a_long_episode_is_consolidated_into_semantic_memory(void **state)
{
    (void)state;
    struct agent *a = tom();
    for (int i = 0; i < 12; i++) {
        char text[128];
        snprintf(text, sizeof(text), "Ana said the fishing trip on day %d was cold and wet.", i);
        agent_perceive(a, STIMULUS_CONVERSATION, text, "Ana");
    }
    assert_false(agent_needs_consolidation(a, false));
    struct turn_result r;
    turn(a, &r);
    turn_result_release(&r);
    assert_true(agent_needs_consolidation(a, true));

    struct task *t = agent_consolidation_task(a);
    assert_true(t->u.consolidate.events.n > 10);
    struct llm_response *resp = engine_ask(&eng, t, 1, "Tom Baker", NULL);
    struct err err = ERR_INIT;
    assert_ok(agent_consolidation_commit(a, resp, &err), &err);
    llm_response_free(resp);
    task_free(t);
    assert_true(semantic_count(a->semantic) >= 1);
    assert_true(semantic_count(a->semantic) <= 6);
    assert_int_equal(episodic_episode_length(&a->episodic), 0);
    assert_false(agent_needs_consolidation(a, true));
    agent_free(a);
}

static void a_document_is_retrieved_when_the_turn_is_about_it(void **state)
{
    (void)state;
    struct agent *a = tom();
    struct err err = ERR_INIT;
    assert_ok(agent_read_document(a, "brief",
                                  "The RiverPro rod is carbon fibre, weighs 180 grams and comes "
                                  "with a lifetime warranty.\n\nOur shop opens at nine.",
                                  &err),
              &err);
    for (int i = 0; i < 30; i++) {
        char text[64];
        snprintf(text, sizeof(text), "Unrelated memory %d about football scores.", i);
        semantic_add_memory(a->semantic, text);
    }
    agent_perceive(a, STIMULUS_CONVERSATION, "Does the RiverPro rod have a warranty?", "Ana");
    struct task *t = agent_turn_task(a, NULL);
    assert_true(t->u.act.semantic.n >= 1);
    assert_contains(t->u.act.semantic.items[0], "lifetime warranty");
    assert_true(t->u.act.semantic.n <= SEMANTIC_TOP_K);
    task_free(t);
    agent_free(a);
}

static void a_copy_is_deep_and_equal(void **state)
{
    (void)state;
    struct agent *a = tom();
    agent_perceive(a, STIMULUS_VISUAL, "An ad for a rod.", "shop");
    struct turn_result r;
    turn(a, &r);
    turn_result_release(&r);
    semantic_add_memory(a->semantic, "I saw a rod ad.");
    struct agent *b = agent_dup(a);
    agent_free(a);
    assert_string_equal(agent_name(b), "Tom Baker");
    assert_true(b->episodic.n >= 2);
    assert_int_equal(semantic_count(b->semantic), 1);
    assert_int_equal(b->turns, 1);
    agent_free(b);
}

static void trigram_jaccard_measures_word_overlap(void **state)
{
    (void)state;
    assert_true(text_trigram_jaccard("the cat sat on the mat", "the cat sat on the mat") == 1.0);
    assert_true(text_trigram_jaccard("The cat sat on the mat!", "the cat sat on the mat") == 1.0);
    double some = text_trigram_jaccard("the cat sat on the mat", "the cat sat on a rug");
    assert_true(some > 0.1 && some < 0.5);
    assert_true(text_trigram_jaccard("one two three", "four five six") == 0.0);
    assert_true(text_trigram_jaccard("yes", "yes") == 1.0);
    assert_true(text_trigram_jaccard("yes", "no") == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_task_carries_new_stimuli_and_the_seen_window),
        cmocka_unit_test(the_cognitive_state_reaches_the_prompt),
        cmocka_unit_test(at_most_fifteen_actions_are_committed),
        cmocka_unit_test(actions_after_done_are_not_committed),
        cmocka_unit_test(a_repeated_action_becomes_done_with_feedback),
        cmocka_unit_test(a_failed_call_changes_nothing),
        cmocka_unit_test(a_long_episode_is_consolidated_into_semantic_memory),
        cmocka_unit_test(a_document_is_retrieved_when_the_turn_is_about_it),
        cmocka_unit_test(a_copy_is_deep_and_equal),
        cmocka_unit_test(trigram_jaccard_measures_word_overlap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
