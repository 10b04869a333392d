/*
 * engine/tasks.c - the task types: names, construction, the list builders
 * and freeing. The wire format lives in tasks_wire.c, the answer schemas
 * and validators in tasks_schema.c.
 */
#include "core/compat.h"

#include "engine/tasks.h"

#include "core/xalloc.h"

static const char *const task_names[TASK_COUNT_] = {
    [TASK_ACT] = "act",
    [TASK_EXTRACT] = "extract",
    [TASK_DIMENSIONS] = "dimensions",
    [TASK_PLAN] = "plan",
    [TASK_PERSON] = "person",
    [TASK_CONSOLIDATE] = "consolidate",
    [TASK_VALIDATE] = "validate",
    [TASK_PROPOSITION] = "proposition",
    [TASK_NORMALIZE] = "normalize",
    [TASK_INSIGHTS] = "insights",
};

static const char *const stimulus_names[STIMULUS_COUNT_] = {
    "CONVERSATION", "VISUAL", "THOUGHT", "SOCIAL", "GOAL", "CONTEXT",
};

static const char *const action_names[ACTION_COUNT_] = {
    "THINK",
    "TALK",
    "REACH_OUT",
    "DONE",
};

static const char *const question_names[QUESTION_COUNT_] = {
    "rating", "choice", "yes_no", "ranking", "text",
};

const char *task_name(enum task_kind kind)
{
    return (unsigned)kind < TASK_COUNT_ ? task_names[kind] : "unknown";
}

int task_kind_parse(const char *name)
{
    for (int i = 0; i < TASK_COUNT_; i++)
        if (strcmp(task_names[i], name) == 0)
            return i;
    return -1;
}

const char *stimulus_type_name(enum stimulus_type t)
{
    return (unsigned)t < STIMULUS_COUNT_ ? stimulus_names[t] : "CONTEXT";
}

const char *action_type_name(enum action_type t)
{
    return (unsigned)t < ACTION_COUNT_ ? action_names[t] : "DONE";
}

int action_type_parse(const char *name)
{
    for (int i = 0; name && i < ACTION_COUNT_; i++)
        if (strcmp(action_names[i], name) == 0)
            return i;
    return -1;
}

const char *question_kind_name(enum question_kind k)
{
    return (unsigned)k < QUESTION_COUNT_ ? question_names[k] : "text";
}

/* ---- transcripts ------------------------------------------------------------------ */

void transcript_add(struct transcript *t, const char *speaker, const char *text)
{
    ALLOC_GROW(t->lines, t->n + 1, t->alloc);
    t->lines[t->n].speaker = xstrdup(speaker ? speaker : "");
    t->lines[t->n].text = xstrdup(text ? text : "");
    t->n++;
}

void transcript_release(struct transcript *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->lines[i].speaker);
        free(t->lines[i].text);
    }
    free(t->lines);
    memset(t, 0, sizeof(*t));
}

/* ---- builders -------------------------------------------------------------------------- */

struct stimulus *act_add_stimulus(struct act_input *in, enum stimulus_type type,
                                  const char *content, const char *source)
{
    ALLOC_GROW(in->stimuli, in->n_stimuli + 1, in->alloc_stimuli);
    struct stimulus *s = &in->stimuli[in->n_stimuli++];
    s->type = type;
    s->content = xstrdup(content ? content : "");
    s->source = xstrdup_or_null(source);
    return s;
}

struct question *act_add_question(struct act_input *in, const char *id, enum question_kind kind,
                                  const char *prompt)
{
    ALLOC_GROW(in->questions, in->n_questions + 1, in->alloc_questions);
    struct question *q = &in->questions[in->n_questions++];
    memset(q, 0, sizeof(*q));
    q->id = xstrdup(id);
    q->kind = kind;
    q->prompt = xstrdup(prompt ? prompt : "");
    if (kind == QUESTION_RATING) {
        q->scale_min = 1;
        q->scale_max = 5;
    }
    return q;
}

struct extract_field *extract_add_field(struct extract_input *in, const char *name,
                                        const char *description, enum extract_type type)
{
    ALLOC_GROW(in->fields, in->n_fields + 1, in->alloc_fields);
    struct extract_field *f = &in->fields[in->n_fields++];
    f->name = xstrdup(name);
    f->description = xstrdup(description ? description : "");
    f->type = type;
    return f;
}

struct dimension *plan_add_dimension(struct plan_input *in, const char *name)
{
    ALLOC_GROW(in->dimensions, in->n_dimensions + 1, in->alloc_dimensions);
    struct dimension *d = &in->dimensions[in->n_dimensions++];
    memset(d, 0, sizeof(*d));
    d->name = xstrdup(name);
    return d;
}

void dimension_add_value(struct dimension *d, const char *value, double share)
{
    ALLOC_GROW(d->values, d->n_values + 1, d->alloc_values);
    d->values[d->n_values].value = xstrdup(value);
    d->values[d->n_values].share = share;
    d->n_values++;
}

void person_add_pick(struct person_input *in, const char *dimension, const char *value)
{
    ALLOC_GROW(in->picks, in->n_picks + 1, in->alloc_picks);
    in->picks[in->n_picks].dimension = xstrdup(dimension);
    in->picks[in->n_picks].value = xstrdup(value);
    in->n_picks++;
}

/* ---- freeing ---------------------------------------------------------------------------- */

void cognitive_state_release(struct cognitive_state *s)
{
    free(s->time);
    free(s->location);
    strlist_release(&s->context);
    strlist_release(&s->goals);
    free(s->attention);
    free(s->emotions);
    strlist_release(&s->accessible);
    memset(s, 0, sizeof(*s));
}

void cognitive_state_copy(struct cognitive_state *dst, const struct cognitive_state *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->time = xstrdup_or_null(src->time);
    dst->location = xstrdup_or_null(src->location);
    strlist_copy(&dst->context, &src->context);
    strlist_copy(&dst->goals, &src->goals);
    dst->attention = xstrdup_or_null(src->attention);
    dst->emotions = xstrdup_or_null(src->emotions);
    strlist_copy(&dst->accessible, &src->accessible);
}

void answer_value_release(struct answer_value *v)
{
    free(v->question_id);
    free(v->text);
    strlist_release(&v->ranking);
    memset(v, 0, sizeof(*v));
}

static void dimension_release(struct dimension *d)
{
    free(d->name);
    for (size_t i = 0; i < d->n_values; i++)
        free(d->values[i].value);
    free(d->values);
}

static void act_release(struct act_input *in)
{
    persona_free(in->persona);
    cognitive_state_release(&in->state);
    strlist_release(&in->episodic);
    strlist_release(&in->semantic);
    for (size_t i = 0; i < in->n_stimuli; i++) {
        free(in->stimuli[i].content);
        free(in->stimuli[i].source);
    }
    free(in->stimuli);
    for (size_t i = 0; i < in->n_questions; i++) {
        free(in->questions[i].id);
        free(in->questions[i].prompt);
        strlist_release(&in->questions[i].options);
    }
    free(in->questions);
}

struct task *task_new(enum task_kind kind)
{
    struct task *t = xcalloc(1, sizeof(*t));
    t->kind = kind;
    return t;
}

void task_free(struct task *t)
{
    if (!t)
        return;
    switch (t->kind) {
    case TASK_ACT:
        act_release(&t->u.act);
        break;
    case TASK_EXTRACT:
        free(t->u.extract.instructions);
        transcript_release(&t->u.extract.transcript);
        for (size_t i = 0; i < t->u.extract.n_fields; i++) {
            free(t->u.extract.fields[i].name);
            free(t->u.extract.fields[i].description);
        }
        free(t->u.extract.fields);
        break;
    case TASK_DIMENSIONS:
        free(t->u.dimensions.description);
        free(t->u.dimensions.language);
        break;
    case TASK_PLAN:
        free(t->u.plan.description);
        for (size_t i = 0; i < t->u.plan.n_dimensions; i++)
            dimension_release(&t->u.plan.dimensions[i]);
        free(t->u.plan.dimensions);
        break;
    case TASK_PERSON:
        free(t->u.person.description);
        for (size_t i = 0; i < t->u.person.n_picks; i++) {
            free(t->u.person.picks[i].dimension);
            free(t->u.person.picks[i].value);
        }
        free(t->u.person.picks);
        strlist_release(&t->u.person.used_names);
        free(t->u.person.language);
        break;
    case TASK_CONSOLIDATE:
        free(t->u.consolidate.persona_name);
        free(t->u.consolidate.language);
        strlist_release(&t->u.consolidate.events);
        break;
    case TASK_VALIDATE:
        persona_free(t->u.validate.persona);
        free(t->u.validate.expectations);
        transcript_release(&t->u.validate.interview);
        break;
    case TASK_PROPOSITION:
        free(t->u.proposition.claim);
        transcript_release(&t->u.proposition.transcript);
        break;
    case TASK_NORMALIZE:
        strlist_release(&t->u.normalize.texts);
        free(t->u.normalize.language);
        break;
    case TASK_INSIGHTS:
        free(t->u.insights.aggregates_json);
        free(t->u.insights.language);
        break;
    case TASK_COUNT_:
        break;
    }
    free(t);
}

void act_answer_release(struct act_answer *a)
{
    for (size_t i = 0; i < a->n_actions; i++) {
        free(a->actions[i].content);
        free(a->actions[i].target);
    }
    free(a->actions);
    cognitive_state_release(&a->state);
    for (size_t i = 0; i < a->n_answers; i++)
        answer_value_release(&a->answers[i]);
    free(a->answers);
    free(a->journey_reason);
    memset(a, 0, sizeof(*a));
}
