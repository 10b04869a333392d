/*
 * tests/unit/engine/test_world.c - worlds (engine/world.h): a focus group
 * of five over three steps whose replies answer what others said (routing
 * checked from the transcript), respondents of a world that does not
 * broadcast never hearing each other, name resolution, REACH_OUT, the
 * clock, interventions, determinism, and a failed step that leaves the
 * world as it was. On the offline model through the real gateway; odd
 * answers come from a scripted provider.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "scripted.h"
#include "testutil.h"

#include "core/xalloc.h"
#include "engine/offline/offline.h"
#include "engine/world.h"

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

static struct agent *person(const char *name, int age, const char *job, const char *likes,
                            const char *dislikes)
{
    char spec[1024];
    snprintf(spec, sizeof(spec),
             "{\"name\":\"%s\",\"age\":%d,\"gender\":\"female\",\"residence\":\"Leeds, United "
             "Kingdom\",\"language\":\"en\",\"income_level\":\"middle\",\"occupation\":{\"title\":"
             "\"%s\"},\"preferences\":{\"interests\":[\"%s\"],\"dislikes\":[\"%s\"]}}",
             name, age, job, likes, dislikes);
    return agent_new(sample_persona(spec));
}

static const char *const NAMES[] = { "Ana Souza", "Beth Jones", "Chloe Smith", "Dana White",
                                     "Eve Brown" };
static const char *const LIKES[] = { "cooking", "running", "gardening", "technology", "travel" };
static const char *const DISLIKES[] = { "fast food", "subscriptions", "noise", "queues", "ads" };

static struct world *focus_group(void)
{
    struct world_options o = { .name = "meal kits", .broadcast = true, .minutes_per_step = 10 };
    struct world *w = world_new(&o);
    struct err err = ERR_INIT;
    for (int i = 0; i < 5; i++)
        assert_ok(world_add_agent(w, person(NAMES[i], 30 + 7 * i, "teacher", LIKES[i], DISLIKES[i]),
                                  &err),
                  &err);
    world_make_everyone_accessible(w);
    world_broadcast(w,
                    "FreshBox delivers 3 chef-designed dinners a week for $49/month. What do you "
                    "think of it?",
                    "Moderator");
    return w;
}

static bool is_participant(const char *name)
{
    for (int i = 0; i < 5; i++)
        if (name && strcmp(name, NAMES[i]) == 0)
            return true;
    return false;
}

/* ---- focus groups --------------------------------------------------------------------- */

static void a_focus_group_answers_what_others_said(void **state)
{
    (void)state;
    struct world *w = focus_group();
    struct err err = ERR_INIT;
    struct engine_usage u = { 0 };
    assert_ok(world_run(w, &eng, 3, &u, &err), &err);
    assert_int_equal(w->step, 3);
    assert_true(u.calls >= 15); /* five turns a step, consolidations besides */

    /* every participant spoke in step 1, to the moderator (broadcast: everyone heard) */
    int step1 = 0, addressed = 0, naming = 0;
    for (size_t i = 0; i < w->n_said; i++) {
        const struct said *s = &w->said[i];
        if (s->step == 1 && is_participant(s->speaker))
            step1++;
        if (s->step < 2 || !is_participant(s->speaker) || !is_participant(s->target))
            continue;
        /* a reply to another participant who had spoken before */
        bool spoke_before = false;
        for (size_t k = 0; k < i; k++)
            if (w->said[k].step < s->step && strcmp(w->said[k].speaker, s->target) == 0)
                spoke_before = true;
        assert_true(spoke_before);
        assert_string_not_equal(s->target, s->speaker);
        addressed++;
        char first[32];
        snprintf(first, sizeof(first), "%.*s", (int)strcspn(s->target, " "), s->target);
        naming += strstr(s->text, first) != NULL;
    }
    assert_int_equal(step1, 5);
    assert_true(addressed >= 5); /* steps 2 and 3: replies to each other */
    assert_true(naming >= addressed / 2);

    /* what a participant said reached the others as a CONVERSATION from them */
    struct agent *beth = world_find(w, "Beth Jones");
    bool heard_ana = false;
    for (size_t i = 0; i < beth->episodic.n; i++) {
        const struct event *e = &beth->episodic.events[i];
        if (e->kind == EVENT_STIMULUS && e->type == STIMULUS_CONVERSATION && e->source &&
            strcmp(e->source, "Ana Souza") == 0)
            heard_ana = true;
    }
    assert_true(heard_ana);
    world_free(w);
}

static void the_same_seed_gives_the_same_conversation(void **state)
{
    (void)state;
    struct world *a = focus_group(), *b = focus_group();
    struct err err = ERR_INIT;
    assert_ok(world_run(a, &eng, 2, NULL, &err), &err);
    assert_ok(world_run(b, &eng, 2, NULL, &err), &err);
    assert_int_equal(a->n_said, b->n_said);
    for (size_t i = 0; i < a->n_said; i++) {
        assert_string_equal(a->said[i].speaker, b->said[i].speaker);
        assert_string_equal(a->said[i].text, b->said[i].text);
    }
    struct engine other = eng;
    other.seed = 43;
    struct world *c = focus_group();
    assert_ok(world_run(c, &other, 2, NULL, &err), &err);
    bool differs = c->n_said != a->n_said;
    for (size_t i = 0; !differs && i < a->n_said; i++)
        differs = strcmp(a->said[i].text, c->said[i].text) != 0;
    assert_true(differs);
    world_free(a);
    world_free(b);
    world_free(c);
}

/* ---- surveys: nobody hears anybody ------------------------------------------------------- */

static void respondents_of_a_quiet_world_never_hear_each_other(void **state)
{
    (void)state;
    struct world_options o = { .name = "panel", .broadcast = false };
    struct world *w = world_new(&o);
    struct err err = ERR_INIT;
    char name[64];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "Respondent %03d", i);
        assert_ok(
            world_add_agent(
                w, person(name, 20 + i % 50, "clerk", LIKES[i % 5], DISLIKES[(i + 2) % 5]), &err),
            &err);
    }
    world_broadcast(w, "FreshBox: 3 dinners a week, $49/month. Would you buy it? Tell us why.",
                    "Moderator");
    assert_ok(world_step(w, &eng, NULL, &err), &err);
    int talked = 0;
    for (size_t i = 0; i < w->n_said; i++)
        if (w->said[i].speaker && strncmp(w->said[i].speaker, "Respondent", 10) == 0) {
            talked++;
            assert_false(w->said[i].delivered);
        }
    assert_true(talked >= 90); /* they did answer (to the moderator, who is not in the world) */
    assert_int_equal(w->dropped, talked);
    for (size_t a = 0; a < w->n_agents; a++) {
        const struct episodic *m = &w->agents[a]->episodic;
        for (size_t i = 0; i < m->n; i++)
            if (m->events[i].kind == EVENT_STIMULUS && m->events[i].source)
                assert_string_equal(m->events[i].source, "Moderator");
    }
    world_free(w);
}

/* ---- routing ----------------------------------------------------------------------------- */

static void names_resolve_by_full_then_first_name(void **state)
{
    (void)state;
    struct world *w = focus_group();
    assert_string_equal(agent_name(world_find(w, "beth jones")), "Beth Jones");
    assert_string_equal(agent_name(world_find(w, "CHLOE")), "Chloe Smith");
    assert_null(world_find(w, "Chlo"));
    assert_null(world_find(w, "Zoe"));
    assert_null(world_find(w, ""));
    struct err err = ERR_INIT;
    struct agent *dup = person("ana souza", 40, "nurse", "cooking", "noise");
    assert_int_equal(world_add_agent(w, dup, &err), ERR_CONFLICT);
    agent_free(dup);
    world_free(w);
}

/* Ana reaches out to Chloe and talks to "beth" by first name; the rest as the offline model. */
static char *reaching_answer(void *ctx, const struct llm_request *req, enum err_code *fail)
{
    (void)fail;
    struct scripted *s = ctx;
    if (strcmp(req->tags.persona, "Ana Souza") == 0 && strcmp(req->task, "act") == 0)
        return xstrdup("{\"actions\":[{\"type\":\"REACH_OUT\",\"target\":\"Chloe\"},"
                       "{\"type\":\"TALK\",\"content\":\"Beth, did you try it?\",\"target\":"
                       "\"beth\"},{\"type\":\"TALK\",\"content\":\"Anyone else?\"},"
                       "{\"type\":\"DONE\"}],\"cognitive_state\":{\"goals\":[],\"context\":[],"
                       "\"attention\":\"\",\"emotions\":\"calm\"}}");
    return scripted_offline_answer(s, req);
}

static void talk_and_reach_out_are_routed(void **state)
{
    (void)state;
    struct scripted *s = scripted_new(reaching_answer, NULL);
    s->ctx = s;
    struct llm_gateway *g = scripted_gateway(s, 0);
    struct engine e = { .gw = g, .seed = 1 };
    struct world_options o = { .name = "quiet", .broadcast = false };
    struct world *w = world_new(&o);
    struct err err = ERR_INIT;
    for (int i = 0; i < 3; i++)
        assert_ok(world_add_agent(w, person(NAMES[i], 40, "nurse", "cooking", "noise"), &err),
                  &err);
    assert_ok(world_step(w, &e, NULL, &err), &err);

    struct agent *beth = world_find(w, "Beth Jones"), *chloe = world_find(w, "Chloe Smith");
    struct agent *ana = world_find(w, "Ana Souza");
    assert_true(agent_can_reach(ana, "Chloe Smith"));
    assert_true(agent_can_reach(chloe, "ana souza"));
    assert_false(agent_can_reach(beth, "Ana Souza"));
    bool beth_heard = false, chloe_social = false, chloe_heard = false;
    for (size_t i = 0; i < beth->episodic.n; i++)
        beth_heard |= beth->episodic.events[i].type == STIMULUS_CONVERSATION &&
                      beth->episodic.events[i].kind == EVENT_STIMULUS &&
                      strcmp(beth->episodic.events[i].content, "Beth, did you try it?") == 0;
    for (size_t i = 0; i < chloe->episodic.n; i++) {
        const struct event *ev = &chloe->episodic.events[i];
        chloe_social |= ev->kind == EVENT_STIMULUS && ev->type == STIMULUS_SOCIAL;
        chloe_heard |= ev->kind == EVENT_STIMULUS && ev->type == STIMULUS_CONVERSATION;
    }
    assert_true(beth_heard);
    assert_true(chloe_social);
    assert_false(chloe_heard); /* "Anyone else?" had no target: dropped, no broadcast */
    int undelivered = 0;
    bool anyone_dropped = false;
    for (size_t i = 0; i < w->n_said; i++) {
        undelivered += !w->said[i].delivered;
        anyone_dropped |= strcmp(w->said[i].text, "Anyone else?") == 0 && !w->said[i].delivered;
    }
    assert_true(anyone_dropped);
    assert_int_equal(w->dropped, undelivered);
    world_free(w);
    llm_gateway_free(g);
    scripted_free(s);
}

/* ---- the clock and interventions -------------------------------------------------------- */

static bool from_second_step(const struct world *w, void *ctx)
{
    (void)ctx;
    return w->step >= 2;
}

/* Offline answers; notes whether Eve's prompt ever carried the evening context. */
static bool eve_saw_evening;

static char *watching_eve(void *ctx, const struct llm_request *req, enum err_code *fail)
{
    (void)fail;
    if (strcmp(req->tags.persona, "Eve Brown") == 0)
        for (size_t i = 0; i < req->n_messages; i++)
            eve_saw_evening |= strstr(req->messages[i].content, "everyone is tired") != NULL;
    return scripted_offline_answer(ctx, req);
}

static void the_clock_moves_and_interventions_fire(void **state)
{
    (void)state;
    struct scripted *s = scripted_new(watching_eve, NULL);
    s->ctx = s;
    struct llm_gateway *g = scripted_gateway(s, 0);
    struct engine e = { .gw = g, .seed = 42 };
    struct world *w = focus_group();
    struct err err = ERR_INIT;
    struct intervention_spec price_cut = { .name = "price cut",
                                           .condition = from_second_step,
                                           .once = true,
                                           .effect = EFFECT_STIMULUS,
                                           .stimulus = STIMULUS_CONVERSATION,
                                           .content = "News: FreshBox now costs $29/month.",
                                           .source = "Moderator" };
    assert_ok(world_add_intervention(w, &price_cut, &err), &err);
    struct intervention_spec mood = { .name = "evening",
                                      .from_step = 3,
                                      .effect = EFFECT_CONTEXT,
                                      .content = "It is late and everyone is tired.",
                                      .target = "Eve" };
    assert_ok(world_add_intervention(w, &mood, &err), &err);
    assert_int_equal(world_add_intervention(w, &mood, &err), ERR_CONFLICT);
    struct intervention_spec empty = { .name = "x" };
    assert_int_equal(world_add_intervention(w, &empty, &err), ERR_INVALID);

    assert_ok(world_run(w, &e, 2, NULL, &err), &err);
    assert_false(eve_saw_evening); /* not before step 3 */
    assert_ok(world_run(w, &e, 1, NULL, &err), &err);
    assert_true(eve_saw_evening);
    char now[32];
    world_time(w, now);
    assert_string_equal(now, "2026-01-05T09:30:00.000Z");
    assert_string_equal(world_find(w, "Ana")->state.time, "2026-01-05T09:30:00.000Z");

    int news = 0;
    struct agent *ana = world_find(w, "Ana");
    for (size_t i = 0; i < ana->episodic.n; i++)
        news += ana->episodic.events[i].content &&
                strstr(ana->episodic.events[i].content, "$29/month") != NULL;
    assert_int_equal(news, 1); /* once, from step 2 */
    world_free(w);
    llm_gateway_free(g);
    scripted_free(s);
}

static int said_containing(const struct world *w, const char *needle)
{
    int n = 0;
    for (size_t i = 0; i < w->n_agents; i++) {
        const struct episodic *m = &w->agents[i]->episodic;
        for (size_t k = 0; k < m->n; k++)
            n += m->events[k].content && strstr(m->events[k].content, needle) != NULL;
    }
    return n;
}

static void a_claim_the_model_checks_can_fire_an_intervention(void **state)
{
    (void)state;
    struct world *w = focus_group();
    struct err err = ERR_INIT;
    struct intervention_spec price = { .name = "price talk",
                                       .claim = "The participants talked about the $49/month "
                                                "price.",
                                       .from_step = 2,
                                       .once = true,
                                       .effect = EFFECT_STIMULUS,
                                       .stimulus = STIMULUS_CONVERSATION,
                                       .content = "Moderator note: let us talk about delivery.",
                                       .source = "Moderator" };
    struct intervention_spec football = { .name = "football talk",
                                          .claim = "The participants argued about football "
                                                   "and the league table.",
                                          .effect = EFFECT_STIMULUS,
                                          .stimulus = STIMULUS_THOUGHT,
                                          .content = "Football!" };
    struct intervention_spec bad = { .name = "bad", .claim = "x", .threshold = 12, .content = "y" };
    assert_ok(world_add_intervention(w, &price, &err), &err);
    assert_ok(world_add_intervention(w, &football, &err), &err);
    assert_int_equal(world_add_intervention(w, &bad, &err), ERR_INVALID);
    struct engine_usage u = { 0 };
    assert_ok(world_run(w, &eng, 2, &u, &err), &err);
    assert_int_equal(said_containing(w, "let us talk about delivery"), 5); /* fired once */
    assert_int_equal(said_containing(w, "Football!"), 0);
    assert_true(w->interventions[0].fired);
    assert_false(w->interventions[1].fired);
    world_free(w);
}

/* ---- failures ----------------------------------------------------------------------------- */

static char *failing_for_chloe(void *ctx, const struct llm_request *req, enum err_code *fail)
{
    struct scripted *s = ctx;
    if (strcmp(req->tags.persona, "Chloe Smith") == 0) {
        *fail = ERR_TIMEOUT;
        return NULL;
    }
    return scripted_offline_answer(s, req);
}

static void a_failed_step_leaves_the_world_as_it_was(void **state)
{
    (void)state;
    struct scripted *s = scripted_new(failing_for_chloe, NULL);
    s->ctx = s;
    struct llm_gateway *g = scripted_gateway(s, 0);
    struct engine e = { .gw = g, .seed = 1 };
    struct world *w = focus_group();
    size_t said = w->n_said, ana_events = world_find(w, "Ana")->episodic.n;
    struct err err = ERR_INIT;
    assert_int_equal(world_step(w, &e, NULL, &err), ERR_TIMEOUT);
    assert_int_equal(w->step, 0);
    assert_int_equal(w->clock_minutes, 0);
    assert_int_equal(w->n_said, said);
    assert_int_equal(world_find(w, "Ana")->episodic.n, ana_events);
    assert_int_equal(world_find(w, "Ana")->turns, 0);
    /* and it goes on once the model answers again */
    assert_ok(world_step(w, &eng, NULL, &err), &err);
    assert_int_equal(w->step, 1);
    world_free(w);
    llm_gateway_free(g);
    scripted_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_focus_group_answers_what_others_said),
        cmocka_unit_test(the_same_seed_gives_the_same_conversation),
        cmocka_unit_test(respondents_of_a_quiet_world_never_hear_each_other),
        cmocka_unit_test(names_resolve_by_full_then_first_name),
        cmocka_unit_test(talk_and_reach_out_are_routed),
        cmocka_unit_test(the_clock_moves_and_interventions_fire),
        cmocka_unit_test(a_claim_the_model_checks_can_fire_an_intervention),
        cmocka_unit_test(a_failed_step_leaves_the_world_as_it_was),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
