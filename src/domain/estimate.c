/*
 * domain/estimate.c - what a test will cost before it runs
 * (domain/estimate.h): the panel measured, one persona standing for all,
 * each scenario's request rendered by the engine and priced by the gateway.
 */
#include "core/compat.h"

#include "domain/estimate.h"

#include "core/xalloc.h"
#include "domain/libraries.h"
#include "domain/personas.h"
#include "domain/templates.h"
#include "domain/test_spec.h"
#include "domain/tests.h"
#include "engine/agent.h"
#include "engine/survey.h"
#include "llm/gateway.h"

void test_estimate_release(struct test_estimate *e)
{
    free(e->scenarios);
    memset(e, 0, sizeof(*e));
}

/* ---- the panel ----------------------------------------------------------------------------------
 */

/* How many personas a panel stands for, and one of them (owned; NULL when there is none). */
struct panel_size {
    int64_t personas;
    struct persona *sample;
};

/* A template persona: the stand-in for people not yet made, and the templates panel's own. */
static enum err_code first_template(struct panel_size *out, bool count_all, struct err *err)
{
    const struct persona_template *all;
    size_t n;
    enum err_code rc = templates_get(&all, &n, err);
    if (!rc && n) {
        out->sample = persona_dup(all[0].persona);
        if (count_all)
            out->personas = (int64_t)n;
    }
    return rc;
}

static enum err_code measure_filter(struct store *s, const struct caller *c,
                                    const struct panel_filter *pf, struct panel_size *out,
                                    struct err *err)
{
    struct persona_filter f;
    test_panel_filter(pf, &f);
    struct persona_page pg;
    enum err_code rc = personas_query(s, c, &f, &pg, err);
    if (!rc) {
        out->personas = pg.total;
        if (pg.n)
            rc = persona_parse(pg.items[0].spec, strlen(pg.items[0].spec), PERSONA_SHAPE_API,
                               &out->sample, err);
    }
    persona_page_release(&pg);
    return rc;
}

static enum err_code measure_panel(struct store *s, const struct caller *c,
                                   const struct test_panel *p, struct panel_size *out,
                                   struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct strlist ids = { 0 };
    enum err_code rc = ERR_OK;
    switch (p->kind) {
    case PANEL_PERSONAS:
        strlist_copy(&ids, &p->persona_ids);
        break;
    case PANEL_LIBRARY:
        rc = libraries_persona_ids(s, c, p->library_id, &ids, err);
        break;
    case PANEL_FILTER:
        return measure_filter(s, c, &p->filter, out, err);
    case PANEL_TEMPLATES:
        return first_template(out, true, err);
    case PANEL_GENERATE:
    default:
        out->personas = p->generate;
        return first_template(out, false, err);
    }
    out->personas = (int64_t)ids.n;
    if (!rc && ids.n)
        rc = personas_load(s, c, ids.items[0], &out->sample, err);
    strlist_release(&ids);
    return rc;
}

/* ---- one scenario's request -------------------------------------------------------------------
 */

/*
 * What a unit of the scenario shows, as a run shows it (domain/run_exec.c):
 * its text, followed for a variant by the variant's (the first stands for
 * all). malloc'd.
 */
static char *shown_text(const struct test_scenario *sc)
{
    const char *variant = sc->n_variants ? sc->variants[0].stimulus : NULL;
    size_t a = strlen(sc->stimulus), b = variant ? strlen(variant) : 0;
    char *s = xmalloc(a + b + 3);
    memcpy(s, sc->stimulus, a + 1);
    if (variant) {
        memcpy(s + a, "\n\n", 2);
        memcpy(s + a + 2, variant, b + 1);
    }
    return s;
}

/* The request of a survey turn about scenario sc (its questions). */
static struct llm_request *survey_request(const struct engine *e, const struct test_spec *t,
                                          const struct test_scenario *sc, const struct persona *who)
{
    char *text = shown_text(sc);
    struct stimulus stimulus = { STIMULUS_VISUAL, text, NULL };
    struct survey_scenario what = { .id = sc->id, .stimuli = &stimulus, .n_stimuli = 1 };
    struct survey_spec spec = { .questions = sc->questions,
                                .n_questions = sc->n_questions,
                                .elicitation = t->elicitation,
                                .samples = t->samples };
    struct survey_unit unit = { .who = who, .what = &what };
    struct llm_request *req = survey_sample_request(e, &spec, &unit);
    free(text);
    return req;
}

/* The request of a plain turn about sc: a journey's step, a focus group's topic. */
static struct llm_request *turn_request(const struct test_spec *t, size_t index,
                                        const struct persona *who)
{
    const struct test_scenario *sc = &t->scenarios[index];
    struct agent *a = agent_new(persona_dup(who));
    agent_perceive(a, STIMULUS_VISUAL, sc->stimulus, NULL);
    struct turn_ask ask = { .questions = sc->questions, .n_questions = sc->n_questions };
    if (t->type == TEST_JOURNEY) {
        ask.journey_step = (int)index + 1;
        ask.journey_steps = (int)t->n_scenarios;
    }
    struct task *task = agent_turn_task(a, &ask);
    struct llm_request *req = task_render(task);
    task_free(task);
    agent_free(a);
    return req;
}

/* The calls scenario sc makes for a panel of n. */
static int64_t calls_of(const struct test_spec *t, const struct test_scenario *sc, int64_t n)
{
    switch (t->type) {
    case TEST_JOURNEY:
        return n;
    case TEST_FOCUS_GROUP: /* a turn a question and round, and one asking sc's questions */
        return n * ((int64_t)t->moderator_questions.n * t->moderator_rounds +
                    (sc->n_questions ? 1 : 0));
    case TEST_PRODUCT:
    case TEST_MESSAGE:
    default:
        return n * (sc->n_variants ? (int64_t)sc->n_variants : 1) * t->samples;
    }
}

static void estimate_scenarios(struct llm_gateway *gw, const char *model, const struct test_spec *t,
                               const struct persona *who, int64_t personas,
                               struct test_estimate *out)
{
    struct engine e = { .gw = gw, .model = model };
    out->scenarios = xcalloc(t->n_scenarios, sizeof(*out->scenarios));
    out->n_scenarios = t->n_scenarios;
    for (size_t i = 0; i < t->n_scenarios; i++) {
        const struct test_scenario *sc = &t->scenarios[i];
        bool survey = (t->type == TEST_PRODUCT || t->type == TEST_MESSAGE) && sc->n_questions;
        struct llm_request *req = survey ? survey_request(&e, t, sc, who) : turn_request(t, i, who);
        if (model)
            llm_request_set_model(req, model);
        struct llm_estimate one;
        llm_gateway_estimate(gw, req, &one);
        struct scenario_estimate *se = &out->scenarios[i];
        snprintf(se->id, sizeof(se->id), "%s", sc->id);
        se->calls = calls_of(t, sc, personas);
        se->tokens_in = se->calls * one.tokens_in;
        se->tokens_out = se->calls * one.tokens_out;
        se->cost_micros = se->calls * one.cost_micros;
        out->calls += se->calls;
        out->tokens_in += se->tokens_in;
        out->tokens_out += se->tokens_out;
        out->cost_micros += se->cost_micros;
        snprintf(out->model, sizeof(out->model), "%s", one.model ? one.model : "");
        out->priced = one.priced;
        llm_request_free(req);
    }
}

enum err_code test_estimate(struct store *s, struct llm_gateway *gw, const char *model,
                            const struct caller *c, const char *id, struct test_estimate *out,
                            struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct test_record r = { 0 };
    struct test_spec *t = NULL;
    struct panel_size panel = { 0 };
    enum err_code rc = test_get(s, c, id, &r, err);
    if (!rc && !gw)
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "no language model is available");
    if (!rc)
        rc = test_spec_parse(r.spec, strlen(r.spec), &t, err);
    if (!rc)
        rc = measure_panel(s, c, &t->panel, &panel, err);
    if (!rc && (panel.personas == 0 || !panel.sample))
        rc = err_set(err, ERR_CONFLICT, "config.panel",
                     "the test's panel holds no persona: nothing to estimate");
    if (!rc) {
        const char *use = t->model_name ? t->model_name : model && *model ? model : NULL;
        out->personas = panel.personas;
        estimate_scenarios(gw, use, t, panel.sample, panel.personas, out);
        if (t->panel.kind == PANEL_GENERATE) {
            out->generate_calls = 2 + panel.personas; /* dimensions, plan, one per person */
            out->calls += out->generate_calls;
        }
    }
    persona_free(panel.sample);
    test_spec_free(t);
    test_record_release(&r);
    return rc;
}
