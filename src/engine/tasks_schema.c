/*
 * engine/tasks_schema.c - each task's answer: its JSON schema (in the
 * subset llm/schema.c validates), the checks a schema cannot say, and the
 * act answer read into typed structs. A wire file (JSON is allowed here).
 */
#include "core/compat.h"

#include "engine/tasks.h"

#include "core/jsonio.h"
#include "core/xalloc.h"

#define TEXT_MAX 4000 /* characters of one free-text value in an answer */

/* ---- schema builders ---------------------------------------------------------------- */

static json_t *type_schema(const char *type)
{
    json_t *o = json_object();
    jsonio_set_str(o, "type", type);
    return o;
}

static json_t *string_schema(int min_len, int max_len)
{
    json_t *o = type_schema("string");
    if (min_len > 0)
        jsonio_set_new(o, "minLength", json_integer(min_len));
    if (max_len > 0)
        jsonio_set_new(o, "maxLength", json_integer(max_len));
    return o;
}

static json_t *array_schema(json_t *items, int min_items, int max_items)
{
    json_t *o = type_schema("array");
    jsonio_set_new(o, "items", items);
    if (min_items > 0)
        jsonio_set_new(o, "minItems", json_integer(min_items));
    if (max_items > 0)
        jsonio_set_new(o, "maxItems", json_integer(max_items));
    return o;
}

static json_t *enum_schema(const char *const *values, size_t n)
{
    json_t *e = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(e, json_string(values[i]));
    json_t *o = json_object();
    jsonio_set_new(o, "enum", e);
    return o;
}

static json_t *strlist_enum(const struct strlist *l)
{
    json_t *e = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(e, jsonio_string(l->items[i], strlen(l->items[i])));
    json_t *o = json_object();
    jsonio_set_new(o, "enum", e);
    return o;
}

/* An object schema; fields come in (name, schema) pairs, required ones listed in req. */
static json_t *object_schema(const char *const *req, size_t n_req)
{
    json_t *o = type_schema("object");
    json_t *r = json_array();
    for (size_t i = 0; i < n_req; i++)
        json_array_append_new(r, json_string(req[i]));
    jsonio_set_new(o, "required", r);
    jsonio_set_new(o, "properties", json_object());
    return o;
}

static void prop(json_t *object_schema, const char *name, json_t *schema)
{
    jsonio_set_new(json_object_get(object_schema, "properties"), name, schema);
}

static void require(json_t *object_schema, const char *name)
{
    json_array_append_new(json_object_get(object_schema, "required"), json_string(name));
}

static void closed(json_t *object_schema)
{
    jsonio_set_new(object_schema, "additionalProperties", json_false());
}

/* ---- schemas per task ------------------------------------------------------------------ */

static json_t *question_schema(const struct act_input *in, const struct question *q)
{
    static const char *const yes_no[] = { "yes", "no" };
    switch (q->kind) {
    case QUESTION_RATING:
        if (in->ssr)
            return string_schema(1, TEXT_MAX);
        json_t *r = type_schema("integer");
        jsonio_set_new(r, "minimum", json_integer(q->scale_min));
        jsonio_set_new(r, "maximum", json_integer(q->scale_max));
        return r;
    case QUESTION_CHOICE:
        return strlist_enum(&q->options);
    case QUESTION_YES_NO:
        return enum_schema(yes_no, 2);
    case QUESTION_RANKING: {
        json_t *a = array_schema(strlist_enum(&q->options), (int)q->options.n, (int)q->options.n);
        jsonio_set_new(a, "uniqueItems", json_true());
        return a;
    }
    case QUESTION_TEXT:
    case QUESTION_COUNT_:
        break;
    }
    return string_schema(1, TEXT_MAX);
}

static json_t *act_schema(const struct act_input *in)
{
    const char *action_types[ACTION_COUNT_];
    for (int t = 0; t < ACTION_COUNT_; t++)
        action_types[t] = action_type_name((enum action_type)t);
    static const char *const action_req[] = { "type" };
    json_t *action = object_schema(action_req, 1);
    prop(action, "type", enum_schema(action_types, ACTION_COUNT_));
    prop(action, "content", string_schema(0, TEXT_MAX));
    prop(action, "target", type_schema("string"));

    json_t *state = object_schema(NULL, 0);
    prop(state, "goals", array_schema(type_schema("string"), 0, 0));
    prop(state, "context", array_schema(type_schema("string"), 0, 0));
    prop(state, "attention", type_schema("string"));
    prop(state, "emotions", type_schema("string"));

    static const char *const req[] = { "actions", "cognitive_state" };
    json_t *s = object_schema(req, 2);
    prop(s, "actions", array_schema(action, 1, 0));
    prop(s, "cognitive_state", state);
    if (in->n_questions) {
        json_t *answers = object_schema(NULL, 0);
        for (size_t i = 0; i < in->n_questions; i++) {
            prop(answers, in->questions[i].id, question_schema(in, &in->questions[i]));
            require(answers, in->questions[i].id);
        }
        closed(answers);
        prop(s, "answers", answers);
        require(s, "answers");
    }
    if (in->journey_step > 0) {
        static const char *const jreq[] = { "continue", "reason" };
        json_t *j = object_schema(jreq, 2);
        prop(j, "continue", type_schema("boolean"));
        prop(j, "reason", string_schema(1, TEXT_MAX));
        prop(s, "journey", j);
        require(s, "journey");
    }
    return s;
}

static json_t *extract_schema(const struct extract_input *in)
{
    static const char *const types[] = { "string", "number", "boolean", "array" };
    json_t *values = object_schema(NULL, 0);
    for (size_t i = 0; i < in->n_fields; i++) {
        json_t *t = json_array();
        json_array_append_new(t, json_string(types[in->fields[i].type]));
        json_array_append_new(t, json_string("null"));
        json_t *f = json_object();
        jsonio_set_new(f, "type", t);
        if (in->fields[i].type == EXTRACT_LIST)
            jsonio_set_new(f, "items", type_schema("string"));
        prop(values, in->fields[i].name, f);
        require(values, in->fields[i].name);
    }
    closed(values);
    static const char *const req[] = { "values" };
    json_t *s = object_schema(req, 1);
    prop(s, "values", values);
    return s;
}

static json_t *dimensions_schema(void)
{
    static const char *const vreq[] = { "value", "share" };
    json_t *value = object_schema(vreq, 2);
    prop(value, "value", string_schema(1, 200));
    json_t *share = type_schema("number");
    jsonio_set_new(share, "minimum", json_integer(0));
    jsonio_set_new(share, "maximum", json_integer(1));
    prop(value, "share", share);
    static const char *const rreq[] = { "min", "max" };
    json_t *range = object_schema(rreq, 2);
    prop(range, "min", type_schema("number"));
    prop(range, "max", type_schema("number"));
    static const char *const dreq[] = { "name" };
    json_t *dim = object_schema(dreq, 1);
    prop(dim, "name", string_schema(1, 100));
    prop(dim, "values", array_schema(value, 1, 50));
    prop(dim, "range", range);
    static const char *const req[] = { "dimensions" };
    json_t *s = object_schema(req, 1);
    prop(s, "dimensions", array_schema(dim, 3, 30));
    return s;
}

static json_t *plan_schema(void)
{
    static const char *const greq[] = { "description", "quantity", "traits" };
    json_t *group = object_schema(greq, 3);
    prop(group, "description", string_schema(1, TEXT_MAX));
    json_t *q = type_schema("integer");
    jsonio_set_new(q, "minimum", json_integer(0));
    prop(group, "quantity", q);
    prop(group, "traits", type_schema("object"));
    static const char *const req[] = { "groups" };
    json_t *s = object_schema(req, 1);
    prop(s, "groups", array_schema(group, 1, 100));
    return s;
}

static json_t *person_schema(void)
{
    static const char *const req[] = { "name", "age", "gender", "occupation", "residence" };
    json_t *s = object_schema(req, 5);
    prop(s, "name", string_schema(1, 200));
    json_t *age = type_schema("integer");
    jsonio_set_new(age, "minimum", json_integer(1));
    jsonio_set_new(age, "maximum", json_integer(120));
    prop(s, "age", age);
    prop(s, "gender", string_schema(1, 100));
    prop(s, "residence", string_schema(1, 300));
    return s;
}

static json_t *text_list_schema(const char *name, int min, int max)
{
    const char *req[] = { name };
    json_t *s = object_schema(req, 1);
    prop(s, name, array_schema(string_schema(1, TEXT_MAX), min, max));
    return s;
}

static json_t *validate_schema(void)
{
    json_t *s = object_schema(NULL, 0);
    json_t *qt = json_array();
    json_array_append_new(qt, json_string("string"));
    json_array_append_new(qt, json_string("null"));
    json_t *question = json_object();
    jsonio_set_new(question, "type", qt);
    prop(s, "question", question);
    json_t *st = json_array();
    json_array_append_new(st, json_string("number"));
    json_array_append_new(st, json_string("null"));
    json_t *score = json_object();
    jsonio_set_new(score, "type", st);
    jsonio_set_new(score, "minimum", json_integer(0));
    jsonio_set_new(score, "maximum", json_integer(1));
    prop(s, "score", score);
    prop(s, "justification", type_schema("string"));
    return s;
}

static json_t *proposition_schema(bool scored)
{
    static const char *const req[] = { "value", "justification" };
    json_t *s = object_schema(req, 2);
    if (scored) {
        json_t *v = type_schema("integer");
        jsonio_set_new(v, "minimum", json_integer(0));
        jsonio_set_new(v, "maximum", json_integer(9));
        prop(s, "value", v);
    } else {
        prop(s, "value", type_schema("boolean"));
    }
    prop(s, "justification", string_schema(1, TEXT_MAX));
    return s;
}

static json_t *normalize_schema(int max_themes)
{
    static const char *const sentiments[] = { "positive", "negative", "neutral" };
    static const char *const treq[] = { "name", "sentiment", "answers" };
    json_t *theme = object_schema(treq, 3);
    prop(theme, "name", string_schema(1, 200));
    prop(theme, "sentiment", enum_schema(sentiments, 3));
    json_t *idx = type_schema("integer");
    jsonio_set_new(idx, "minimum", json_integer(0));
    prop(theme, "answers", array_schema(idx, 0, 0));
    static const char *const req[] = { "themes" };
    json_t *s = object_schema(req, 1);
    prop(s, "themes", array_schema(theme, 0, max_themes > 0 ? max_themes : 1));
    return s;
}

static json_t *insights_schema(void)
{
    static const char *const req[] = { "summary", "highlights" };
    json_t *s = object_schema(req, 2);
    prop(s, "summary", string_schema(1, 8000));
    prop(s, "highlights", array_schema(string_schema(1, TEXT_MAX), 0, 10));
    return s;
}

json_t *task_schema(const struct task *t)
{
    switch (t->kind) {
    case TASK_ACT:
        return act_schema(&t->u.act);
    case TASK_EXTRACT:
        return extract_schema(&t->u.extract);
    case TASK_DIMENSIONS:
        return dimensions_schema();
    case TASK_PLAN:
        return plan_schema();
    case TASK_PERSON:
        return person_schema();
    case TASK_CONSOLIDATE:
        return text_list_schema("memories", 1, 6);
    case TASK_VALIDATE:
        return validate_schema();
    case TASK_PROPOSITION:
        return proposition_schema(t->u.proposition.scored);
    case TASK_NORMALIZE:
        return normalize_schema(t->u.normalize.max_themes);
    case TASK_INSIGHTS:
        return insights_schema();
    case TASK_COUNT_:
        break;
    }
    return type_schema("object");
}

/* ---- what a schema cannot say -----------------------------------------------------------------
 */

static enum err_code validate_act(const struct act_input *in, const json_t *answer, struct err *err)
{
    const json_t *actions = json_object_get(answer, "actions");
    size_t i;
    const json_t *a;
    json_array_foreach (actions, i, a) {
        const char *type = json_string_value(json_object_get(a, "type"));
        const char *content = json_string_value(json_object_get(a, "content"));
        const char *target = json_string_value(json_object_get(a, "target"));
        bool speaks = strcmp(type, "THINK") == 0 || strcmp(type, "TALK") == 0;
        if (speaks && (!content || !*content))
            return err_set(err, ERR_INVALID, "actions",
                           "/actions/%zu: a %s action needs its content", i, type);
        if (strcmp(type, "REACH_OUT") == 0 && (!target || !*target))
            return err_set(err, ERR_INVALID, "actions",
                           "/actions/%zu: REACH_OUT needs the target's name", i);
    }
    (void)in;
    return ERR_OK;
}

static enum err_code validate_validate(const struct validate_input *in, const json_t *answer,
                                       struct err *err)
{
    bool last = in->round >= in->max_rounds;
    const json_t *score = json_object_get(answer, "score");
    const char *question = json_string_value(json_object_get(answer, "question"));
    const char *why = json_string_value(json_object_get(answer, "justification"));
    if (last && (!json_is_number(score) || !why || !*why))
        return err_set(err, ERR_INVALID, "score",
                       "/score: the last round needs a score from 0 to 1 and a justification");
    if (!last && (!question || !*question))
        return err_set(err, ERR_INVALID, "question", "/question: ask the next question");
    return ERR_OK;
}

static enum err_code validate_normalize(const struct normalize_input *in, const json_t *answer,
                                        struct err *err)
{
    size_t i;
    const json_t *theme;
    json_array_foreach (json_object_get(answer, "themes"), i, theme) {
        size_t j;
        const json_t *idx;
        json_array_foreach (json_object_get(theme, "answers"), j, idx) {
            if ((size_t)json_integer_value(idx) >= in->texts.n)
                return err_set(err, ERR_INVALID, "themes",
                               "/themes/%zu/answers/%zu: there are only %zu answers (0..%zu)", i, j,
                               in->texts.n, in->texts.n ? in->texts.n - 1 : 0);
        }
    }
    return ERR_OK;
}

static enum err_code validate_person(const struct person_input *in, const json_t *answer,
                                     struct err *err)
{
    struct persona *p = NULL;
    enum err_code rc = persona_from_json(answer, PERSONA_SHAPE_SPEC, &p, err);
    if (!rc && strlist_has(&in->used_names, p->name))
        rc = err_set(err, ERR_INVALID, "name", "/name: '%s' is already used; choose another",
                     p->name);
    persona_free(p);
    return rc;
}

enum err_code task_validate(const struct task *t, const json_t *answer, struct err *err)
{
    switch (t->kind) {
    case TASK_ACT:
        return validate_act(&t->u.act, answer, err);
    case TASK_VALIDATE:
        return validate_validate(&t->u.validate, answer, err);
    case TASK_NORMALIZE:
        return validate_normalize(&t->u.normalize, answer, err);
    case TASK_PERSON:
        return validate_person(&t->u.person, answer, err);
    default:
        return ERR_OK; /* the schema says it all */
    }
}

enum err_code task_validate_fn(const json_t *answer, void *ctx, struct err *err)
{
    return task_validate(ctx, answer, err);
}

/* ---- the act answer, typed ----------------------------------------------------------------- */

#define ACTIONS_MAX 15 /* ENGINE.md 3: at most 15 actions per turn */

static char *dup_str(const json_t *v)
{
    const char *s = json_string_value(v);
    return s ? xstrdup(s) : NULL;
}

static void read_list(const json_t *a, struct strlist *out)
{
    size_t i;
    const json_t *v;
    json_array_foreach (a, i, v)
        if (json_is_string(v))
            strlist_add(out, json_string_value(v));
}

static void add_action(struct act_answer *out, enum action_type type, const json_t *a)
{
    ALLOC_GROW(out->actions, out->n_actions + 1, out->alloc_actions);
    struct action *act = &out->actions[out->n_actions++];
    act->type = type;
    act->content = a ? dup_str(json_object_get(a, "content")) : NULL;
    act->target = a ? dup_str(json_object_get(a, "target")) : NULL;
}

static enum err_code read_answer_value(const struct act_input *in, const struct question *q,
                                       const json_t *v, struct answer_value *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->question_id = xstrdup(q->id);
    out->kind = q->kind;
    if (q->kind == QUESTION_RATING && !in->ssr) {
        if (!json_is_number(v))
            return err_set(err, ERR_INVALID, q->id, "/answers/%s: expected a number", q->id);
        out->rating = json_number_value(v);
    } else if (q->kind == QUESTION_RANKING) {
        read_list(v, &out->ranking);
    } else {
        if (!json_is_string(v))
            return err_set(err, ERR_INVALID, q->id, "/answers/%s: expected a string", q->id);
        out->text = xstrdup(json_string_value(v));
    }
    return ERR_OK;
}

enum err_code act_answer_read(const struct act_input *in, const json_t *answer,
                              struct act_answer *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (!json_is_object(answer))
        return err_set(err, ERR_INVALID, NULL, "the answer must be an object");
    size_t i;
    const json_t *a;
    bool done = false;
    json_array_foreach (json_object_get(answer, "actions"), i, a) {
        const char *type = json_string_value(json_object_get(a, "type"));
        int t = action_type_parse(type);
        if (t < 0)
            return err_set(err, ERR_INVALID, "actions", "/actions/%zu: unknown type", i);
        if (t == ACTION_DONE) {
            done = true;
            break; /* actions after DONE are not committed */
        }
        if (out->n_actions == ACTIONS_MAX)
            break;
        add_action(out, (enum action_type)t, a);
    }
    (void)done;
    add_action(out, ACTION_DONE, NULL); /* DONE ends every turn, given or not */

    const json_t *st = json_object_get(answer, "cognitive_state");
    read_list(json_object_get(st, "goals"), &out->state.goals);
    read_list(json_object_get(st, "context"), &out->state.context);
    out->state.attention = dup_str(json_object_get(st, "attention"));
    out->state.emotions = dup_str(json_object_get(st, "emotions"));

    const json_t *answers = json_object_get(answer, "answers");
    for (size_t q = 0; q < in->n_questions; q++) {
        const json_t *v = json_object_get(answers, in->questions[q].id);
        if (!v)
            return err_set(err, ERR_INVALID, in->questions[q].id, "/answers/%s: missing",
                           in->questions[q].id);
        ALLOC_GROW(out->answers, out->n_answers + 1, out->alloc_answers);
        enum err_code rc =
            read_answer_value(in, &in->questions[q], v, &out->answers[out->n_answers++], err);
        if (rc)
            return rc;
    }
    if (in->journey_step > 0) {
        const json_t *j = json_object_get(answer, "journey");
        out->journey_continue = json_is_true(json_object_get(j, "continue"));
        out->journey_reason = dup_str(json_object_get(j, "reason"));
    }
    return ERR_OK;
}

enum err_code consolidate_answer_read(const json_t *answer, struct strlist *memories,
                                      struct err *err)
{
    const json_t *list = json_object_get(answer, "memories");
    if (!json_is_array(list))
        return err_set(err, ERR_INVALID, "memories", "the answer has no memories");
    read_list(list, memories);
    return ERR_OK;
}

enum err_code validate_answer_read(const json_t *answer, struct validate_answer *out,
                                   struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (!json_is_object(answer))
        return err_set(err, ERR_INVALID, NULL, "the answer must be an object");
    out->question = dup_str(json_object_get(answer, "question"));
    const json_t *score = json_object_get(answer, "score");
    out->has_score = json_is_number(score);
    out->score = out->has_score ? json_number_value(score) : 0;
    out->justification = dup_str(json_object_get(answer, "justification"));
    return ERR_OK;
}

void validate_answer_release(struct validate_answer *a)
{
    free(a->question);
    free(a->justification);
    memset(a, 0, sizeof(*a));
}
