/*
 * engine/survey.c - survey units: a fresh agent per sample, seeded
 * shuffles mapped back, one batch of calls, answers turned into rows in
 * input order, ssr ratings from anchor similarity (see survey.h).
 */
#include "core/compat.h"

#include "engine/survey.h"

#include <pthread.h>

#include "core/prng.h"
#include "core/xalloc.h"
#include "engine/agent.h"
#include "engine/ssr.h"

#define QUESTIONS_MAX 50
#define OPTIONS_MAX   20

/* ---- the spec ---------------------------------------------------------------------------- */

static enum err_code question_check(const struct survey_spec *spec, size_t i, struct err *err)
{
    const struct question *q = &spec->questions[i];
    if (!q->id || !*q->id)
        return err_set(err, ERR_INVALID, "questions", "question %zu has no id", i + 1);
    for (size_t k = 0; k < i; k++)
        if (strcmp(spec->questions[k].id, q->id) == 0)
            return err_set(err, ERR_INVALID, "questions", "two questions have the id '%s'", q->id);
    if (!q->prompt || !*q->prompt)
        return err_set(err, ERR_INVALID, "questions", "question '%s' has no text", q->id);
    if ((unsigned)q->kind >= QUESTION_COUNT_)
        return err_set(err, ERR_INVALID, "questions", "question '%s' has an unknown kind", q->id);
    if (q->kind == QUESTION_RATING &&
        (q->scale_min >= q->scale_max || q->scale_min < -1000 || q->scale_max > 1000))
        return err_set(err, ERR_INVALID, "questions",
                       "question '%s': the scale must go from a lower to a higher number within "
                       "-1000..1000",
                       q->id);
    if ((q->kind == QUESTION_CHOICE || q->kind == QUESTION_RANKING) &&
        (q->options.n < 2 || q->options.n > OPTIONS_MAX))
        return err_set(err, ERR_INVALID, "questions", "question '%s' needs 2 to %d options", q->id,
                       OPTIONS_MAX);
    return ERR_OK;
}

enum err_code survey_spec_check(const struct survey_spec *spec, struct err *err)
{
    if (spec->n_questions == 0 || spec->n_questions > QUESTIONS_MAX)
        return err_set(err, ERR_INVALID, "questions", "a survey asks 1 to %d questions",
                       QUESTIONS_MAX);
    if (spec->samples < 1 || spec->samples > SURVEY_MAX_SAMPLES)
        return err_set(err, ERR_INVALID, "samples", "samples must be 1 to %d", SURVEY_MAX_SAMPLES);
    if (spec->elicitation != ELICIT_DIRECT && spec->elicitation != ELICIT_SSR)
        return err_set(err, ERR_INVALID, "elicitation", "elicitation must be direct or ssr");
    for (size_t i = 0; i < spec->n_questions; i++) {
        enum err_code rc = question_check(spec, i, err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

/* ---- the built-in anchor statements ------------------------------------------------------ */

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static struct offline_data *builtin;

static void load_builtin(void)
{
    struct err err = ERR_INIT;
    if (offline_data_load(NULL, &builtin, &err))
        BUG("the built-in tables do not load: %s", err.msg);
}

static const struct offline_data *anchor_data(const struct survey_spec *spec)
{
    if (spec->data)
        return spec->data;
    pthread_once(&builtin_once, load_builtin);
    return builtin;
}

/* ---- one sample ---------------------------------------------------------------------------- */

struct sample {
    size_t unit;
    int index;
    struct agent *agent;
    struct question *questions; /* as shown: options shuffled */
    struct task *task;
};

static void copy_question(struct question *dst, const struct question *src)
{
    *dst = (struct question){ .id = xstrdup(src->id),
                              .kind = src->kind,
                              .prompt = xstrdup(src->prompt),
                              .scale_min = src->scale_min,
                              .scale_max = src->scale_max };
    strlist_copy(&dst->options, &src->options);
}

static void question_release(struct question *q)
{
    free(q->id);
    free(q->prompt);
    strlist_release(&q->options);
}

static uint64_t sample_seed(const struct engine *e, const struct survey_unit *u, int index)
{
    char n[16];
    snprintf(n, sizeof(n), "%d", index);
    return engine_seed(e->seed, "survey", u->who->name ? u->who->name : "", u->what->id, n,
                       (const char *)NULL);
}

/* A fresh agent shown the scenario (stimuli in a seeded order), and its task. */
static void sample_prepare(const struct engine *e, const struct survey_spec *spec,
                           const struct survey_unit *u, struct sample *s)
{
    struct prng r;
    prng_seed(&r, sample_seed(e, u, s->index) ^ 0x5eed);
    s->agent = agent_new(persona_dup(u->who));
    if (u->what->document && *u->what->document)
        agent_read_document(s->agent, u->what->document_name ? u->what->document_name : "brief",
                            u->what->document, NULL);
    size_t n = u->what->n_stimuli;
    size_t *order = xcalloc(n ? n : 1, sizeof(*order));
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    if (n > 1)
        prng_shuffle(&r, order, n, sizeof(*order));
    for (size_t i = 0; i < n; i++) {
        const struct stimulus *st = &u->what->stimuli[order[i]];
        agent_perceive(s->agent, st->type, st->content, st->source);
    }
    free(order);
    s->questions = xcalloc(spec->n_questions, sizeof(*s->questions));
    for (size_t q = 0; q < spec->n_questions; q++) {
        copy_question(&s->questions[q], &spec->questions[q]);
        struct strlist *opts = &s->questions[q].options;
        if (!spec->keep_option_order && opts->n > 1)
            prng_shuffle(&r, opts->items, opts->n, sizeof(*opts->items));
    }
    struct turn_ask ask = { .questions = s->questions,
                            .n_questions = spec->n_questions,
                            .ssr = spec->elicitation == ELICIT_SSR };
    s->task = agent_turn_task(s->agent, &ask);
}

static void sample_release(const struct survey_spec *spec, struct sample *s)
{
    agent_free(s->agent);
    for (size_t q = 0; s->questions && q < spec->n_questions; q++)
        question_release(&s->questions[q]);
    free(s->questions);
    task_free(s->task);
}

struct llm_request *survey_sample_request(const struct engine *e, const struct survey_spec *spec,
                                          const struct survey_unit *u)
{
    struct sample s = { 0 };
    sample_prepare(e, spec, u, &s);
    struct llm_request *req = task_render(s.task);
    sample_release(spec, &s);
    return req;
}

/* ---- rows ---------------------------------------------------------------------------------- */

static void row_release(struct survey_row *r)
{
    free(r->text);
    strlist_release(&r->ranking);
    strlist_release(&r->shown);
}

static const struct answer_value *answer_for(const struct turn_result *t, const char *id)
{
    for (size_t i = 0; i < t->n_answers; i++)
        if (strcmp(t->answers[i].question_id, id) == 0)
            return &t->answers[i];
    return NULL;
}

/* The ssr rating of words answered to q, on q's scale. */
static enum err_code rate_words(const struct survey_spec *spec, const struct question *q,
                                const struct persona *who, const struct engine *e,
                                struct survey_row *row, struct err *err)
{
    struct ssr_choice choice;
    ssr_choose(q->prompt, who->language, &choice);
    const struct offline_anchor_set *set = offline_anchors_find(anchor_data(spec), choice.set);
    if (!set)
        return err_set(err, ERR_INTERNAL, NULL, "no anchor statements for '%s'", choice.set);
    struct llm_embed_params params = { .tags = e->tags, .no_cache = e->no_cache };
    struct ssr_query sq = { .answer = row->text,
                            .anchors = set,
                            .language = choice.language,
                            .min = q->scale_min,
                            .max = q->scale_max,
                            .gw = spec->embeddings,
                            .embed = &params };
    struct ssr_result res;
    enum err_code rc = ssr_rate(&sq, &res, err);
    if (rc)
        return rc;
    row->rating = res.rating;
    memcpy(row->pmf, res.pmf, sizeof(row->pmf));
    return ERR_OK;
}

enum err_code survey_turn_rows(const struct engine *e, const struct survey_spec *spec,
                               const struct survey_unit *u, int sample,
                               const struct question *shown, const struct turn_result *t,
                               struct survey_unit_result *out, struct err *err)
{
    for (size_t q = 0; q < spec->n_questions; q++) {
        const struct question *given = &spec->questions[q];
        const struct answer_value *v = answer_for(t, given->id);
        if (!v)
            return err_set(err, ERR_INVALID, given->id, "no answer to '%s'", given->id);
        out->rows = xrealloc(out->rows, (out->n_rows + 1) * sizeof(*out->rows));
        struct survey_row *row = &out->rows[out->n_rows++];
        *row = (struct survey_row){ .persona = u->persona,
                                    .scenario = u->scenario,
                                    .sample = sample,
                                    .question_id = given->id,
                                    .kind = given->kind,
                                    .rating = v->rating,
                                    .text = xstrdup_or_null(v->text) };
        strlist_copy(&row->ranking, &v->ranking); /* option texts: the same whatever the order */
        if (given->kind == QUESTION_CHOICE || given->kind == QUESTION_RANKING)
            strlist_copy(&row->shown, shown ? &shown[q].options : &given->options);
        if (given->kind == QUESTION_RATING && spec->elicitation == ELICIT_SSR) {
            enum err_code rc = rate_words(spec, given, u->who, e, row, err);
            if (rc)
                return rc;
        }
    }
    for (size_t i = 0; i < t->n_actions; i++) {
        const struct action *a = &t->actions[i];
        if (a->type == ACTION_THINK && a->content)
            strlist_add(&out->thoughts, a->content);
        else if (a->type == ACTION_TALK && a->content)
            strlist_add(&out->talk, a->content);
    }
    return ERR_OK;
}

void survey_unit_result_release(struct survey_unit_result *r)
{
    for (size_t i = 0; i < r->n_rows; i++)
        row_release(&r->rows[i]);
    free(r->rows);
    strlist_release(&r->thoughts);
    strlist_release(&r->talk);
    free(r->model);
    memset(r, 0, sizeof(*r));
}

static void unit_fail(struct survey_unit_result *out, const struct err *why)
{
    if (out->code)
        return; /* the first failure stays the reason */
    for (size_t i = 0; i < out->n_rows; i++)
        row_release(&out->rows[i]);
    out->n_rows = 0;
    out->code = why->code ? why->code : ERR_INTERNAL;
    out->err = *why;
}

/* Commits one sample's answer and turns it into rows of its unit. */
static void sample_finish(const struct engine *e, const struct survey_spec *spec,
                          const struct survey_unit *u, struct sample *s,
                          const struct llm_response *resp, struct survey_unit_result *out)
{
    engine_usage_add(&out->usage, resp);
    if (out->code)
        return;
    struct err err = ERR_INIT;
    struct turn_result t;
    enum err_code rc = agent_turn_commit(s->agent, s->task, resp, &t, &err);
    if (!rc)
        rc = survey_turn_rows(e, spec, u, s->index, s->questions, &t, out, &err);
    turn_result_release(&t);
    if (rc) {
        unit_fail(out, &err);
        return;
    }
    if (!out->model && resp->model)
        out->model = xstrdup(resp->model);
}

enum err_code survey_run(const struct engine *e, const struct survey_spec *spec,
                         const struct survey_unit *units, size_t n, struct survey_unit_result *out,
                         struct err *err)
{
    enum err_code rc = survey_spec_check(spec, err);
    if (rc)
        return rc;
    size_t total = n * (size_t)spec->samples;
    struct sample *samples = xcalloc(total ? total : 1, sizeof(*samples));
    struct engine_call *calls = xcalloc(total ? total : 1, sizeof(*calls));
    for (size_t i = 0; i < total; i++) {
        struct sample *s = &samples[i];
        s->unit = i / (size_t)spec->samples;
        s->index = (int)(i % (size_t)spec->samples);
        sample_prepare(e, spec, &units[s->unit], s);
        calls[i] = (struct engine_call){ .task = s->task,
                                         .seed = sample_seed(e, &units[s->unit], s->index),
                                         .persona = units[s->unit].who->name };
    }
    for (size_t u = 0; u < n; u++)
        memset(&out[u], 0, sizeof(out[u]));
    if (total)
        engine_run(e, calls, total, NULL);
    for (size_t i = 0; i < total; i++) {
        struct sample *s = &samples[i];
        sample_finish(e, spec, &units[s->unit], s, calls[i].resp, &out[s->unit]);
        llm_response_free(calls[i].resp);
        sample_release(spec, s);
    }
    free(calls);
    free(samples);
    return ERR_OK;
}
