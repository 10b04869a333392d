/*
 * tests/unit/engine/test_offline_act.c - the offline model's turns: valid
 * answers to every question kind, determinism and goldens in both
 * languages, the realistic spread of ratings over a generated panel of 200
 * (ENGINE.md 6; issue 4: bottom-two-box >= 30 % for a niche product and
 * <= 15 % for a broad one on 1..5, sd >= 1.0 on both, interests rated above
 * dislikes), journeys with abandonment and reasons, focus-group replies
 * that name the earlier speaker, ssr answers in words, plain chat, and the
 * provider's answers through the gateway. Goldens: UPDATE_GOLDEN=1
 * rewrites tests/unit/golden/act_*.json.
 */
#include "core/compat.h"

#include <math.h>
#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "testutil.h"

#include "core/jsonio.h"
#include "engine/offline/model.h"
#include "engine/offline/offline.h"
#include "llm/gateway.h"
#include "llm/schema.h"

static struct offline_model *model;

static int setup(void **state)
{
    (void)state;
    return testutil_offline_model(&model);
}

static int teardown(void **state)
{
    (void)state;
    offline_model_free(model);
    return 0;
}

static struct persona *persona_from(const char *spec)
{
    json_t *j = json_loads(spec, 0, NULL);
    assert_non_null(j);
    struct persona *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(persona_from_json(j, PERSONA_SHAPE_SPEC, &p, &err), &err);
    json_decref(j);
    return p;
}

static struct persona *ana(void)
{
    return persona_from(
        "{\"name\":\"Ana Souza\",\"age\":34,\"gender\":\"feminino\",\"residence\":\"Porto "
        "Alegre, Brasil\",\"language\":\"pt-BR\",\"income_level\":\"lower_middle\","
        "\"occupation\":{\"title\":\"enfermeira\"},\"personality\":{\"traits\":[\"cuidadosa\"]},"
        "\"preferences\":{\"interests\":[\"culinária\",\"corrida\"],\"likes\":[\"receitas "
        "caseiras\"],\"dislikes\":[\"propaganda exagerada\"]},\"values\":[\"família\",\"economia\"]}");
}

static struct persona *tom(void)
{
    return persona_from(
        "{\"name\":\"Tom Baker\",\"age\":58,\"gender\":\"male\",\"residence\":\"Leeds, United "
        "Kingdom\",\"language\":\"en\",\"income_level\":\"upper_middle\",\"occupation\":{\"title\":"
        "\"electrician\"},\"personality\":{\"traits\":[\"practical\",\"sceptical\"]},"
        "\"preferences\":{\"interests\":[\"football\",\"fishing\"],\"likes\":[\"real ale\"],"
        "\"dislikes\":[\"subscriptions\",\"smartphone apps\"]}}");
}

static struct task *survey(struct persona *p, const char *stimulus, bool ssr)
{
    struct task *t = sample_survey(p, stimulus);
    t->u.act.ssr = ssr;
    return t;
}

static json_t *answer(const struct task *t, uint64_t seed)
{
    json_t *a = NULL;
    struct err err = ERR_INIT;
    assert_ok(offline_answer(model, t, seed, &a, &err), &err);
    return a;
}

static const char freshbox[] =
    "FreshBox: 3 chef-designed dinners a week, delivered to your door, $49/month.";

/* ---- answers ------------------------------------------------------------------------------ */

static void a_survey_turn_answers_every_question_validly(void **state)
{
    (void)state;
    struct task *t = survey(tom(), freshbox, false);
    json_t *a = answer(t, 7);
    json_t *schema = task_schema(t);
    struct err err = ERR_INIT;
    assert_ok(schema_validate(schema, a, &err), &err);
    assert_ok(task_validate(t, a, &err), &err);
    json_t *answers = json_object_get(a, "answers");
    assert_true(json_is_integer(json_object_get(answers, "appeal")));
    assert_int_equal(json_array_size(json_object_get(answers, "rank")), 3);
    const char *why = json_string_value(json_object_get(answers, "why"));
    assert_true(strlen(why) > 20);
    json_t *actions = json_object_get(a, "actions");
    assert_string_equal(json_string_value(json_object_get(json_array_get(actions, 0), "type")),
                        "THINK");
    json_decref(schema);
    json_decref(a);
    task_free(t);
}

static void the_same_task_and_seed_give_the_same_answer(void **state)
{
    (void)state;
    struct task *t = survey(ana(), freshbox, false);
    json_t *a = answer(t, 11), *b = answer(t, 11), *c = answer(t, 12);
    char *sa = jsonio_dump(a, 0, NULL), *sb = jsonio_dump(b, 0, NULL),
         *sc = jsonio_dump(c, 0, NULL);
    assert_string_equal(sa, sb);
    assert_string_not_equal(sa, sc);
    free(sa);
    free(sb);
    free(sc);
    json_decref(a);
    json_decref(b);
    json_decref(c);
    task_free(t);
}

static void answers_follow_the_persona_language(void **state)
{
    (void)state;
    struct task *pt = survey(ana(), freshbox, false);
    struct task *en = survey(tom(), freshbox, false);
    json_t *a = answer(pt, 3), *b = answer(en, 3);
    const char *why_pt = json_string_value(json_object_get(json_object_get(a, "answers"), "why"));
    const char *why_en = json_string_value(json_object_get(json_object_get(b, "answers"), "why"));
    struct words wpt, wen;
    words_init(&wpt, why_pt);
    words_init(&wen, why_en);
    assert_int_equal(text_language(&wpt), OFFLINE_LANG_PT);
    assert_int_equal(text_language(&wen), OFFLINE_LANG_EN);
    words_release(&wpt);
    words_release(&wen);
    json_decref(a);
    json_decref(b);
    task_free(pt);
    task_free(en);
}

/* The pretty-printed answer against tests/unit/golden/<name>. */
static void golden(const char *name, const json_t *value)
{
    char *text = jsonio_dump(value, JSON_INDENT(2), NULL);
    assert_golden(name, text);
    free(text);
}

static void goldens_in_both_languages(void **state)
{
    (void)state;
    struct task *pt = survey(ana(), freshbox, false);
    struct task *en = survey(tom(), freshbox, false);
    json_t *a = answer(pt, 42), *b = answer(en, 42);
    golden("act_pt.json", a);
    golden("act_en.json", b);
    json_decref(a);
    json_decref(b);
    task_free(pt);
    task_free(en);
}

/* ---- the spread over a generated panel ---------------------------------------------------- */

enum { PANEL = 200 };

/* 200 people from the factory, every one different (seeded by their number). */
static struct persona **panel(void)
{
    static struct persona *people[PANEL];
    if (people[0])
        return people;
    for (int i = 0; i < PANEL; i++) {
        struct task *t = task_new(TASK_PERSON);
        t->u.person.description = strdup("the general adult population");
        t->u.person.language = strdup(i % 4 == 0 ? "pt-BR" : "en");
        json_t *a = answer(t, 1000 + (uint64_t)i);
        struct err err = ERR_INIT;
        assert_ok(persona_from_json(a, PERSONA_SHAPE_SPEC, &people[i], &err), &err);
        json_decref(a);
        task_free(t);
    }
    return people;
}

static int rating_of(struct persona *p, const char *stimulus, uint64_t seed)
{
    struct task *t = survey(persona_dup(p), stimulus, false);
    json_t *a = answer(t, seed);
    int r = (int)json_integer_value(json_object_get(json_object_get(a, "answers"), "appeal"));
    json_decref(a);
    task_free(t);
    return r;
}

struct spread {
    double mean, sd, bottom_two;
};

static struct spread ratings(const char *stimulus, int *out)
{
    struct persona **people = panel();
    double sum = 0, sq = 0;
    int low = 0;
    for (int i = 0; i < PANEL; i++) {
        out[i] = rating_of(people[i], stimulus, 77);
        sum += out[i];
        sq += (double)out[i] * out[i];
        low += out[i] <= 2;
    }
    int hist[11] = { 0 };
    for (int i = 0; i < PANEL; i++)
        if (out[i] >= 0 && out[i] <= 10)
            hist[out[i]]++;
    printf("# ratings 1..5: %d %d %d %d %d\n", hist[1], hist[2], hist[3], hist[4], hist[5]);
    struct spread s = { .mean = sum / PANEL };
    s.sd = sqrt(sq / PANEL - s.mean * s.mean);
    s.bottom_two = (double)low / PANEL;
    return s;
}

static const char niche[] =
    "AstroLens Pro: a professional 600mm telescope lens with an equatorial mount and "
    "astrophotography sensor, for serious amateur astronomers. $2,499.";
static const char broad[] =
    "FamilyTable: simple, tasty home-cooked dinners for the whole family, healthy "
    "ingredients and easy recipes, delivered weekly. $5 per meal.";

static void a_niche_product_gets_many_low_ratings(void **state)
{
    (void)state;
    int r[PANEL];
    struct spread s = ratings(niche, r);
    printf("# niche: mean %.2f sd %.2f bottom-two %.0f%%\n", s.mean, s.sd, 100 * s.bottom_two);
    assert_true(s.bottom_two >= 0.30);
    assert_true(s.sd >= 1.0);
}

static void a_broad_product_gets_few_low_ratings(void **state)
{
    (void)state;
    int r[PANEL];
    struct spread s = ratings(broad, r);
    printf("# broad: mean %.2f sd %.2f bottom-two %.0f%%\n", s.mean, s.sd, 100 * s.bottom_two);
    assert_true(s.bottom_two <= 0.15);
    assert_true(s.sd >= 1.0);
}

/* Does one of the persona's lists mention a food keyword? */
static bool lists_mention(const struct persona *p, const struct strlist *l, size_t topic)
{
    double *hits = calloc(model->data->n_topics, sizeof(double));
    for (size_t i = 0; i < l->n; i++) {
        struct words ws;
        words_init(&ws, l->items[i]);
        topics_count(model, &ws, hits);
        words_release(&ws);
    }
    bool found = hits[topic] > 0;
    free(hits);
    (void)p;
    return found;
}

static void people_who_like_the_topic_rate_it_above_those_who_dislike_it(void **state)
{
    (void)state;
    int r[PANEL];
    ratings(broad, r);
    const struct offline_topic *food = offline_topic_find(model->data, "food");
    assert_non_null(food);
    size_t t = (size_t)(food - model->data->topics);
    double fans = 0, critics = 0;
    int n_fans = 0, n_critics = 0;
    struct persona **people = panel();
    for (int i = 0; i < PANEL; i++) {
        bool likes = lists_mention(people[i], &people[i]->interests, t) ||
                     lists_mention(people[i], &people[i]->likes, t);
        bool dislikes = lists_mention(people[i], &people[i]->dislikes, t);
        if (likes && !dislikes) {
            fans += r[i];
            n_fans++;
        } else if (dislikes && !likes) {
            critics += r[i];
            n_critics++;
        }
    }
    printf("# food fans %d mean %.2f, food critics %d mean %.2f\n", n_fans, fans / n_fans,
           n_critics, n_critics ? critics / n_critics : 0);
    assert_true(n_fans >= 5);
    assert_true(n_critics >= 3);
    assert_true(fans / n_fans > critics / n_critics + 0.5);
}

/* ---- journeys, focus groups, words, chat -------------------------------------------------------
 */

static json_t *journey_answer(struct persona *p, const char *step, uint64_t seed)
{
    struct task *t = task_new(TASK_ACT);
    t->u.act.persona = p;
    t->u.act.journey_step = 3;
    t->u.act.journey_steps = 5;
    act_add_stimulus(&t->u.act, STIMULUS_VISUAL, step, NULL);
    json_t *a = answer(t, seed);
    json_t *j = json_incref(json_object_get(a, "journey"));
    json_decref(a);
    task_free(t);
    return j;
}

static void a_hard_step_loses_more_people_than_an_easy_one(void **state)
{
    (void)state;
    static const char easy[] = "Step 3: choose your favourite colour and press Continue.";
    static const char hard[] =
        "Step 3: Authenticate with two-factor verification, configure your API credentials, "
        "upload proof of address and a tax ID (mandatory, required field), accept the 40-page "
        "terms, and set up SSO with your OAuth provider before you can continue.";
    struct persona **people = panel();
    int quit_easy = 0, quit_hard = 0;
    for (int i = 0; i < PANEL; i++) {
        json_t *e = journey_answer(persona_dup(people[i]), easy, 5);
        json_t *h = journey_answer(persona_dup(people[i]), hard, 5);
        quit_easy += !json_is_true(json_object_get(e, "continue"));
        quit_hard += !json_is_true(json_object_get(h, "continue"));
        const char *why = json_string_value(json_object_get(h, "reason"));
        assert_true(why && strlen(why) > 10);
        json_decref(e);
        json_decref(h);
    }
    printf("# journey: %d quit the easy step, %d the hard one\n", quit_easy, quit_hard);
    assert_true(quit_hard >= quit_easy + PANEL / 5);
}

static void a_focus_group_reply_names_the_earlier_speaker(void **state)
{
    (void)state;
    int named = 0;
    for (uint64_t seed = 0; seed < 20; seed++) {
        struct task *t = task_new(TASK_ACT);
        t->u.act.persona = tom();
        act_add_stimulus(&t->u.act, STIMULUS_CONVERSATION,
                         "What do you all think of FreshBox at $49 a month?", "Moderator");
        act_add_stimulus(&t->u.act, STIMULUS_CONVERSATION,
                         "I love it, the recipes look delicious and it saves so much time.",
                         "Maria Lopez");
        json_t *a = answer(t, seed);
        json_t *actions = json_object_get(a, "actions");
        size_t i;
        json_t *act;
        json_array_foreach (actions, i, act) {
            const char *type = json_string_value(json_object_get(act, "type"));
            const char *content = json_string_value(json_object_get(act, "content"));
            if (strcmp(type, "TALK") == 0 && content && strstr(content, "Maria Lopez"))
                named++;
        }
        json_decref(a);
        task_free(t);
    }
    assert_true(named >= 15);
}

static void ssr_answers_ratings_in_words(void **state)
{
    (void)state;
    struct task *t = survey(tom(), freshbox, true);
    json_t *a = answer(t, 9);
    json_t *appeal = json_object_get(json_object_get(a, "answers"), "appeal");
    assert_true(json_is_string(appeal));
    const struct offline_anchor_set *set = offline_anchors_find(model->data, "appeal");
    bool is_anchor = false;
    for (int p = 0; p < 5; p++)
        is_anchor = is_anchor ||
                    strcmp(set->statements[OFFLINE_LANG_EN][p], json_string_value(appeal)) == 0;
    assert_true(is_anchor);
    json_decref(a);
    task_free(t);
}

static void a_plain_chat_gets_a_reply_in_character(void **state)
{
    (void)state;
    struct task *t = survey(ana(), freshbox, false);
    struct llm_request *req = task_render(t);
    /* keep the persona's system part, replace the task with a chat */
    free(req->messages[1].content);
    req->messages[1].content = strdup("Oi! O que você faz da vida?");
    req->native = NULL;
    char *reply = offline_chat(model, req, 1);
    assert_contains(reply, "Ana");
    free(reply);
    llm_request_free(req);
    struct llm_request *bare = llm_request_new("chat");
    llm_request_add(bare, LLM_ROLE_USER, "hello");
    reply = offline_chat(model, bare, 1);
    assert_contains(reply, "offline model");
    free(reply);
    llm_request_free(bare);
    task_free(t);
}

static void the_provider_answers_through_the_gateway(void **state)
{
    (void)state;
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(offline_provider_new(NULL, &p, &err), &err);
    struct llm_gateway_options o = { .max_reasks = 0 };
    struct llm_gateway *gw = llm_gateway_new(p, &o);
    struct task *t = survey(tom(), freshbox, false);
    struct llm_request *req = task_render(t);
    req->has_seed = true;
    req->seed = 42;
    struct llm_response *r = llm_call(gw, req);
    assert_ok(r->code, &r->err);
    assert_string_equal(r->model, "crowdelic-offline");
    assert_int_equal(r->reasks, 0);
    /* the same as answering the typed task directly */
    json_t *direct = answer(t, 42);
    char *want = jsonio_dump(direct, 0, NULL);
    assert_string_equal(r->text, want);
    free(want);
    json_decref(direct);
    llm_response_free(r);
    llm_gateway_free(gw);
    task_free(t);
}

static int free_panel(void **state)
{
    (void)state;
    struct persona **people = panel();
    for (int i = 0; i < PANEL; i++) {
        persona_free(people[i]);
        people[i] = NULL;
    }
    return teardown(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_survey_turn_answers_every_question_validly),
        cmocka_unit_test(the_same_task_and_seed_give_the_same_answer),
        cmocka_unit_test(answers_follow_the_persona_language),
        cmocka_unit_test(goldens_in_both_languages),
        cmocka_unit_test(a_niche_product_gets_many_low_ratings),
        cmocka_unit_test(a_broad_product_gets_few_low_ratings),
        cmocka_unit_test(people_who_like_the_topic_rate_it_above_those_who_dislike_it),
        cmocka_unit_test(a_hard_step_loses_more_people_than_an_easy_one),
        cmocka_unit_test(a_focus_group_reply_names_the_earlier_speaker),
        cmocka_unit_test(ssr_answers_ratings_in_words),
        cmocka_unit_test(a_plain_chat_gets_a_reply_in_character),
        cmocka_unit_test(the_provider_answers_through_the_gateway),
    };
    return cmocka_run_group_tests(tests, setup, free_panel);
}
