/*
 * tests/unit/samples.c - realistic sample inputs shared by the engine's
 * tests (see samples.h).
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "testutil.h"

#include "core/jsonio.h"
#include "engine/offline/offline.h"

struct persona *sample_persona(const char *spec_json)
{
    json_t *j = json_loads(spec_json, 0, NULL);
    assert_non_null(j);
    struct persona *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(persona_from_json(j, PERSONA_SHAPE_SPEC, &p, &err), &err);
    json_decref(j);
    return p;
}

struct llm_gateway *sample_offline_gateway(int max_reasks)
{
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(offline_provider_new(NULL, &p, &err), &err);
    struct llm_gateway_options o = { .max_reasks = max_reasks };
    return llm_gateway_new(p, &o);
}

struct persona *sample_persona_ana(void)
{
    const char *spec = "{\"name\":\"Ana Souza\",\"age\":34,\"gender\":\"female\","
                       "\"residence\":\"Porto Alegre, Brazil\",\"language\":\"pt-BR\","
                       "\"income_level\":\"lower_middle\",\"occupation\":{\"title\":\"nurse\"},"
                       "\"preferences\":{\"interests\":[\"cooking\",\"running\"],"
                       "\"dislikes\":[\"loud ads\"]}}";
    return sample_persona(spec);
}

struct task *sample_act_task(void)
{
    struct task *t = task_new(TASK_ACT);
    struct act_input *in = &t->u.act;
    in->persona = sample_persona_ana();
    in->state.time = strdup("2026-11-25T10:00:00Z");
    in->state.location = strdup("home");
    strlist_add(&in->state.goals, "eat well without spending much");
    strlist_add(&in->episodic, "SAW: an ad for a cooking class");
    strlist_add(&in->semantic, "I try to cook at home four days a week");
    act_add_stimulus(in, STIMULUS_VISUAL, "FreshBox: 3 chef-designed dinners a week, $49/month.",
                     NULL);
    struct question *q = act_add_question(in, "appeal", QUESTION_RATING, "How appealing is this?");
    q->scale_min = 1;
    q->scale_max = 10;
    act_add_question(in, "buy", QUESTION_YES_NO, "Would you subscribe?");
    q = act_add_question(in, "price", QUESTION_CHOICE, "The price is...");
    strlist_add(&q->options, "too low");
    strlist_add(&q->options, "fair");
    strlist_add(&q->options, "too high");
    q = act_add_question(in, "rank", QUESTION_RANKING, "Rank what matters");
    strlist_add(&q->options, "price");
    strlist_add(&q->options, "taste");
    strlist_add(&q->options, "time");
    act_add_question(in, "why", QUESTION_TEXT, "What would make you try it?");
    return t;
}

struct task *sample_survey(struct persona *p, const char *stimulus)
{
    struct task *t = task_new(TASK_ACT);
    struct act_input *in = &t->u.act;
    in->persona = p;
    act_add_stimulus(in, STIMULUS_VISUAL, stimulus, NULL);
    struct question *q = act_add_question(in, "appeal", QUESTION_RATING, "How appealing is this?");
    q->scale_min = 1;
    q->scale_max = 5;
    act_add_question(in, "buy", QUESTION_YES_NO, "Would you subscribe?");
    q = act_add_question(in, "price", QUESTION_CHOICE, "The price is...");
    strlist_add(&q->options, "too low");
    strlist_add(&q->options, "fair");
    strlist_add(&q->options, "too high");
    q = act_add_question(in, "rank", QUESTION_RANKING, "Rank what matters to you");
    strlist_add(&q->options, "price");
    strlist_add(&q->options, "taste");
    strlist_add(&q->options, "saving time");
    act_add_question(in, "why", QUESTION_TEXT, "What would make you try it?");
    return t;
}

struct task *sample_task(enum task_kind kind)
{
    struct task *t = kind == TASK_ACT ? sample_act_task() : task_new(kind);
    switch (kind) {
    case TASK_EXTRACT:
        t->u.extract.instructions = strdup("What did they think of the price?");
        transcript_add(&t->u.extract.transcript, "Ana", "The price is fair: R$ 29,90 a month.");
        extract_add_field(&t->u.extract, "price_opinion", "opinion of the price", EXTRACT_STRING);
        extract_add_field(&t->u.extract, "amount", "the amount named", EXTRACT_NUMBER);
        break;
    case TASK_DIMENSIONS:
        t->u.dimensions.description = strdup("Brazilian parents 25-40, mixed incomes");
        t->u.dimensions.n = 50;
        t->u.dimensions.language = strdup("pt-BR");
        break;
    case TASK_PLAN: {
        t->u.plan.description = strdup("urban parents");
        t->u.plan.n = 20;
        struct dimension *d = plan_add_dimension(&t->u.plan, "country");
        dimension_add_value(d, "Brazil", 0.75);
        dimension_add_value(d, "Portugal", 0.25);
        d = plan_add_dimension(&t->u.plan, "age");
        d->numeric = true;
        d->min = 25;
        d->max = 40;
        break;
    }
    case TASK_PERSON:
        t->u.person.description = strdup("urban parents");
        person_add_pick(&t->u.person, "country", "Brazil");
        strlist_add(&t->u.person.used_names, "Ana Souza");
        t->u.person.language = strdup("pt-BR");
        break;
    case TASK_CONSOLIDATE:
        t->u.consolidate.persona_name = strdup("Ana Souza");
        t->u.consolidate.language = strdup("en");
        strlist_add(&t->u.consolidate.events, "SAW: FreshBox ad");
        strlist_add(&t->u.consolidate.events, "SAID: too expensive for me");
        break;
    case TASK_VALIDATE:
        t->u.validate.persona = sample_persona_ana();
        t->u.validate.expectations = strdup("a careful spender who loves cooking");
        transcript_add(&t->u.validate.interview, "Interviewer", "Do you cook?");
        transcript_add(&t->u.validate.interview, "Ana Souza", "Every day.");
        t->u.validate.round = 2;
        t->u.validate.max_rounds = 3;
        break;
    case TASK_PROPOSITION:
        t->u.proposition.claim = strdup("Ana finds the price too high");
        transcript_add(&t->u.proposition.transcript, "Ana", "It's too expensive.");
        t->u.proposition.scored = true;
        break;
    case TASK_NORMALIZE:
        strlist_add(&t->u.normalize.texts, "too expensive");
        strlist_add(&t->u.normalize.texts, "love the recipes");
        t->u.normalize.max_themes = 3;
        t->u.normalize.language = strdup("en");
        break;
    case TASK_INSIGHTS:
        t->u.insights.aggregates_json =
            strdup("{\"questions\":[{\"id\":\"appeal\",\"mean\":6.4}]}");
        t->u.insights.language = strdup("en");
        break;
    default:
        break;
    }
    return t;
}
