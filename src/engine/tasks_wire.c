/*
 * engine/tasks_wire.c - a task to and from the wire format (see tasks.h):
 * the system message (rules, and the persona for tasks about one person),
 * the user message (`### TASK name`, instructions, labelled compact JSON
 * sections, the schema last), and the way back. A wire file: JSON lives
 * here, and in tasks_schema.c, and nowhere else in the engine but
 * persona_json.c and checkpoint.c.
 *
 * Parsing reads text from the network (llm-serve): every value is checked
 * for its type and size before it is used, and nothing is trusted.
 */
#include "core/compat.h"

#include "engine/tasks.h"

#include "core/buf.h"
#include "core/jsonio.h"
#include "core/span.h"
#include "core/xalloc.h"

#define WIRE_MAX     (4 * 1024 * 1024) /* a rendered prompt is far smaller */
#define MAX_SECTIONS 16
#define MAX_LIST     10000 /* items in any list read from the wire */

/* ---- small JSON helpers ------------------------------------------------------------ */

static json_t *str_or_null(const char *s)
{
    return s ? jsonio_string(s, strlen(s)) : json_null();
}

static json_t *strlist_json(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, jsonio_string(l->items[i], strlen(l->items[i])));
    return a;
}

static json_t *transcript_json(const struct transcript *t)
{
    json_t *a = json_array();
    for (size_t i = 0; i < t->n; i++) {
        json_t *u = json_object();
        jsonio_set_str(u, "speaker", t->lines[i].speaker);
        jsonio_set_str(u, "text", t->lines[i].text);
        json_array_append_new(a, u);
    }
    return a;
}

/* Reads obj[key] as a string into *out (copied); NULL allowed unless required. */
static enum err_code read_str(const json_t *obj, const char *key, bool required, char **out,
                              const char *section, struct err *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            return err_set(err, ERR_INVALID, key, "%s.%s is required", section, key);
        return ERR_OK;
    }
    if (!json_is_string(v))
        return err_set(err, ERR_INVALID, key, "%s.%s must be a string", section, key);
    free(*out);
    *out = xstrdup(json_string_value(v));
    return ERR_OK;
}

static enum err_code read_int(const json_t *obj, const char *key, int min, int max, int *out,
                              const char *section, struct err *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return ERR_OK;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return err_set(err, ERR_INVALID, key, "%s.%s must be an integer in %d..%d", section, key,
                       min, max);
    *out = (int)json_integer_value(v);
    return ERR_OK;
}

/* read_int for a number the task cannot do without. */
static enum err_code need_int(const json_t *obj, const char *key, int min, int max, int *out,
                              const char *section, struct err *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return err_set(err, ERR_INVALID, key, "%s.%s is required (an integer in %d..%d)", section,
                       key, min, max);
    return read_int(obj, key, min, max, out, section, err);
}

static enum err_code read_bool(const json_t *obj, const char *key, bool *out, const char *section,
                               struct err *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return ERR_OK;
    if (!json_is_boolean(v))
        return err_set(err, ERR_INVALID, key, "%s.%s must be true or false", section, key);
    *out = json_is_true(v);
    return ERR_OK;
}

/* arr must be an array of strings (or absent/null, when not required). */
static enum err_code read_strlist(const json_t *arr, struct strlist *out, const char *what,
                                  struct err *err)
{
    if (!arr || json_is_null(arr))
        return ERR_OK;
    if (!json_is_array(arr) || json_array_size(arr) > MAX_LIST)
        return err_set(err, ERR_INVALID, what, "%s must be an array of at most %d strings", what,
                       MAX_LIST);
    size_t i;
    const json_t *v;
    json_array_foreach (arr, i, v) {
        if (!json_is_string(v))
            return err_set(err, ERR_INVALID, what, "%s[%zu] must be a string", what, i);
        strlist_add(out, json_string_value(v));
    }
    return ERR_OK;
}

static enum err_code read_transcript(const json_t *arr, struct transcript *out, const char *what,
                                     struct err *err)
{
    if (!json_is_array(arr) || json_array_size(arr) > MAX_LIST)
        return err_set(err, ERR_INVALID, what, "%s must be an array of {speaker, text}", what);
    size_t i;
    const json_t *u;
    json_array_foreach (arr, i, u) {
        const char *speaker = json_string_value(json_object_get(u, "speaker"));
        const char *text = json_string_value(json_object_get(u, "text"));
        if (!json_is_object(u) || !speaker || !text)
            return err_set(err, ERR_INVALID, what, "%s[%zu] must be {speaker, text} strings", what,
                           i);
        transcript_add(out, speaker, text);
    }
    return ERR_OK;
}

/* ---- the sections of each task ----------------------------------------------------- */

/* A named JSON value of the wire (value owned by the section list). */
struct section {
    const char *name;
    json_t *value;
};

struct sections {
    struct section items[MAX_SECTIONS];
    size_t n;
};

static void add(struct sections *s, const char *name, json_t *value)
{
    if (s->n == MAX_SECTIONS)
        BUG("more than %d sections", MAX_SECTIONS);
    s->items[s->n].name = name;
    s->items[s->n].value = value;
    s->n++;
}

static void sections_release(struct sections *s)
{
    for (size_t i = 0; i < s->n; i++)
        json_decref(s->items[i].value);
    s->n = 0;
}

static const json_t *find(const struct sections *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].name, name) == 0)
            return s->items[i].value;
    return NULL;
}

static json_t *state_json(const struct cognitive_state *st)
{
    json_t *o = json_object();
    jsonio_set_new(o, "time", str_or_null(st->time));
    jsonio_set_new(o, "location", str_or_null(st->location));
    jsonio_set_new(o, "context", strlist_json(&st->context));
    jsonio_set_new(o, "goals", strlist_json(&st->goals));
    jsonio_set_new(o, "attention", str_or_null(st->attention));
    jsonio_set_new(o, "emotions", str_or_null(st->emotions));
    jsonio_set_new(o, "accessible", strlist_json(&st->accessible));
    return o;
}

static enum err_code state_read(const json_t *o, struct cognitive_state *st, struct err *err)
{
    if (!json_is_object(o))
        return err_set(err, ERR_INVALID, "STATE", "STATE must be an object");
    enum err_code rc = read_str(o, "time", false, &st->time, "STATE", err);
    if (!rc)
        rc = read_str(o, "location", false, &st->location, "STATE", err);
    if (!rc)
        rc = read_strlist(json_object_get(o, "context"), &st->context, "STATE.context", err);
    if (!rc)
        rc = read_strlist(json_object_get(o, "goals"), &st->goals, "STATE.goals", err);
    if (!rc)
        rc = read_str(o, "attention", false, &st->attention, "STATE", err);
    if (!rc)
        rc = read_str(o, "emotions", false, &st->emotions, "STATE", err);
    if (!rc)
        rc = read_strlist(json_object_get(o, "accessible"), &st->accessible, "STATE.accessible",
                          err);
    return rc;
}

static json_t *stimuli_json(const struct act_input *in)
{
    json_t *a = json_array();
    for (size_t i = 0; i < in->n_stimuli; i++) {
        json_t *s = json_object();
        jsonio_set_str(s, "type", stimulus_type_name(in->stimuli[i].type));
        jsonio_set_str(s, "content", in->stimuli[i].content);
        if (in->stimuli[i].source)
            jsonio_set_str(s, "source", in->stimuli[i].source);
        json_array_append_new(a, s);
    }
    return a;
}

static enum err_code stimuli_read(const json_t *a, struct act_input *in, struct err *err)
{
    if (!json_is_array(a) || json_array_size(a) > MAX_LIST)
        return err_set(err, ERR_INVALID, "STIMULI", "STIMULI must be an array");
    size_t i;
    const json_t *s;
    json_array_foreach (a, i, s) {
        const char *type = json_string_value(json_object_get(s, "type"));
        const char *content = json_string_value(json_object_get(s, "content"));
        const json_t *source = json_object_get(s, "source");
        int t = -1;
        for (int k = 0; type && k < STIMULUS_COUNT_; k++)
            if (strcmp(type, stimulus_type_name(k)) == 0)
                t = k;
        if (t < 0 || !content || (source && !json_is_string(source)))
            return err_set(err, ERR_INVALID, "STIMULI",
                           "STIMULI[%zu] must be {type: CONVERSATION|VISUAL|THOUGHT|SOCIAL|GOAL|"
                           "CONTEXT, content, source?}",
                           i);
        act_add_stimulus(in, (enum stimulus_type)t, content, json_string_value(source));
    }
    return ERR_OK;
}

static json_t *survey_json(const struct act_input *in)
{
    json_t *qs = json_array();
    for (size_t i = 0; i < in->n_questions; i++) {
        const struct question *q = &in->questions[i];
        json_t *o = json_object();
        jsonio_set_str(o, "id", q->id);
        jsonio_set_str(o, "kind", question_kind_name(q->kind));
        jsonio_set_str(o, "prompt", q->prompt);
        if (q->kind == QUESTION_RATING) {
            json_t *scale = json_object();
            jsonio_set_new(scale, "min", json_integer(q->scale_min));
            jsonio_set_new(scale, "max", json_integer(q->scale_max));
            jsonio_set_new(o, "scale", scale);
        }
        if (q->kind == QUESTION_CHOICE || q->kind == QUESTION_RANKING)
            jsonio_set_new(o, "options", strlist_json(&q->options));
        json_array_append_new(qs, o);
    }
    json_t *s = json_object();
    jsonio_set_str(s, "elicitation", in->ssr ? "ssr" : "direct");
    jsonio_set_new(s, "questions", qs);
    return s;
}

static enum err_code question_read(const json_t *o, size_t i, struct act_input *in, struct err *err)
{
    const char *id = json_string_value(json_object_get(o, "id"));
    const char *kind = json_string_value(json_object_get(o, "kind"));
    const char *prompt = json_string_value(json_object_get(o, "prompt"));
    int k = -1;
    for (int j = 0; kind && j < QUESTION_COUNT_; j++)
        if (strcmp(kind, question_kind_name(j)) == 0)
            k = j;
    if (!id || !*id || k < 0 || !prompt)
        return err_set(err, ERR_INVALID, "SURVEY",
                       "SURVEY.questions[%zu] needs id, kind (rating|choice|yes_no|ranking|text) "
                       "and prompt",
                       i);
    struct question *q = act_add_question(in, id, (enum question_kind)k, prompt);
    if (k == QUESTION_RATING) {
        const json_t *scale = json_object_get(o, "scale");
        enum err_code rc = read_int(scale, "min", -1000, 1000, &q->scale_min, "SURVEY.scale", err);
        if (!rc)
            rc = read_int(scale, "max", -1000, 1000, &q->scale_max, "SURVEY.scale", err);
        if (!rc && q->scale_min >= q->scale_max)
            rc = err_set(err, ERR_INVALID, "SURVEY", "SURVEY.questions[%zu]: min must be below max",
                         i);
        return rc;
    }
    if (k == QUESTION_CHOICE || k == QUESTION_RANKING) {
        enum err_code rc =
            read_strlist(json_object_get(o, "options"), &q->options, "SURVEY.options", err);
        if (!rc && q->options.n < 2)
            rc = err_set(err, ERR_INVALID, "SURVEY",
                         "SURVEY.questions[%zu] needs at least two options", i);
        return rc;
    }
    return ERR_OK;
}

static enum err_code survey_read(const json_t *s, struct act_input *in, struct err *err)
{
    const char *el = json_string_value(json_object_get(s, "elicitation"));
    const json_t *qs = json_object_get(s, "questions");
    if (!json_is_object(s) || !json_is_array(qs) || json_array_size(qs) > 1000 ||
        (el && strcmp(el, "ssr") != 0 && strcmp(el, "direct") != 0))
        return err_set(err, ERR_INVALID, "SURVEY",
                       "SURVEY must be {elicitation: direct|ssr, questions: [...]}");
    in->ssr = el && strcmp(el, "ssr") == 0;
    size_t i;
    const json_t *q;
    json_array_foreach (qs, i, q) {
        enum err_code rc = question_read(q, i, in, err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

static void act_sections(const struct act_input *in, struct sections *sys, struct sections *user)
{
    if (in->persona)
        add(sys, "PERSONA", persona_to_json(in->persona, PERSONA_SHAPE_SPEC));
    add(user, "STATE", state_json(&in->state));
    json_t *mem = json_object();
    jsonio_set_new(mem, "episodic", strlist_json(&in->episodic));
    jsonio_set_new(mem, "semantic", strlist_json(&in->semantic));
    add(user, "MEMORY", mem);
    add(user, "STIMULI", stimuli_json(in));
    if (in->n_questions)
        add(user, "SURVEY", survey_json(in));
    if (in->journey_step > 0) {
        json_t *j = json_object();
        jsonio_set_new(j, "step", json_integer(in->journey_step));
        jsonio_set_new(j, "of", json_integer(in->journey_steps));
        add(user, "JOURNEY", j);
    }
}

static enum err_code read_persona(const struct sections *s, struct persona **out, struct err *err)
{
    const json_t *p = find(s, "PERSONA");
    if (!p)
        return err_set(err, ERR_INVALID, "PERSONA", "the PERSONA section is missing");
    enum err_code rc = persona_from_json(p, PERSONA_SHAPE_SPEC, out, err);
    if (rc)
        err_prefix(err, "PERSONA");
    return rc;
}

static enum err_code act_read(const struct sections *s, struct act_input *in, struct err *err)
{
    enum err_code rc = read_persona(s, &in->persona, err);
    const json_t *v;
    if (!rc && (v = find(s, "STATE")))
        rc = state_read(v, &in->state, err);
    if (!rc && (v = find(s, "MEMORY"))) {
        rc = read_strlist(json_object_get(v, "episodic"), &in->episodic, "MEMORY.episodic", err);
        if (!rc)
            rc =
                read_strlist(json_object_get(v, "semantic"), &in->semantic, "MEMORY.semantic", err);
    }
    if (!rc && (v = find(s, "STIMULI")))
        rc = stimuli_read(v, in, err);
    if (!rc && (v = find(s, "SURVEY")))
        rc = survey_read(v, in, err);
    if (!rc && (v = find(s, "JOURNEY"))) {
        rc = need_int(v, "step", 1, 1000, &in->journey_step, "JOURNEY", err);
        if (!rc)
            rc = need_int(v, "of", 1, 1000, &in->journey_steps, "JOURNEY", err);
    }
    return rc;
}

static const char *const extract_type_names[] = { "string", "number", "boolean", "list" };

static void extract_sections(const struct extract_input *in, struct sections *user)
{
    json_t *req = json_object();
    jsonio_set_new(req, "instructions", str_or_null(in->instructions));
    add(user, "REQUEST", req);
    json_t *fields = json_array();
    for (size_t i = 0; i < in->n_fields; i++) {
        json_t *f = json_object();
        jsonio_set_str(f, "name", in->fields[i].name);
        jsonio_set_str(f, "description", in->fields[i].description);
        jsonio_set_str(f, "type", extract_type_names[in->fields[i].type]);
        json_array_append_new(fields, f);
    }
    add(user, "FIELDS", fields);
    add(user, "TRANSCRIPT", transcript_json(&in->transcript));
}

static enum err_code extract_read(const struct sections *s, struct extract_input *in,
                                  struct err *err)
{
    const json_t *req = find(s, "REQUEST");
    const json_t *fields = find(s, "FIELDS");
    const json_t *tr = find(s, "TRANSCRIPT");
    if (!fields || !json_is_array(fields) || !tr)
        return err_set(err, ERR_INVALID, "FIELDS", "extract needs FIELDS and TRANSCRIPT");
    enum err_code rc =
        req ? read_str(req, "instructions", false, &in->instructions, "REQUEST", err) : ERR_OK;
    size_t i;
    const json_t *f;
    json_array_foreach (fields, i, f) {
        if (rc)
            break;
        const char *name = json_string_value(json_object_get(f, "name"));
        const char *desc = json_string_value(json_object_get(f, "description"));
        const char *type = json_string_value(json_object_get(f, "type"));
        int t = -1;
        for (int k = 0; type && k < (int)ARRAY_SIZE(extract_type_names); k++)
            if (strcmp(type, extract_type_names[k]) == 0)
                t = k;
        if (!name || !*name || t < 0)
            rc = err_set(err, ERR_INVALID, "FIELDS",
                         "FIELDS[%zu] needs name and type (string|number|boolean|list)", i);
        else
            extract_add_field(in, name, desc, (enum extract_type)t);
    }
    if (!rc)
        rc = read_transcript(tr, &in->transcript, "TRANSCRIPT", err);
    return rc;
}

static json_t *dimensions_json(const struct plan_input *in)
{
    json_t *a = json_array();
    for (size_t i = 0; i < in->n_dimensions; i++) {
        const struct dimension *d = &in->dimensions[i];
        json_t *o = json_object();
        jsonio_set_str(o, "name", d->name);
        if (d->numeric) {
            json_t *r = json_object();
            jsonio_set_new(r, "min", json_real(d->min));
            jsonio_set_new(r, "max", json_real(d->max));
            jsonio_set_new(o, "range", r);
        } else {
            json_t *vs = json_array();
            for (size_t j = 0; j < d->n_values; j++) {
                json_t *v = json_object();
                jsonio_set_str(v, "value", d->values[j].value);
                jsonio_set_new(v, "share", json_real(d->values[j].share));
                json_array_append_new(vs, v);
            }
            jsonio_set_new(o, "values", vs);
        }
        json_array_append_new(a, o);
    }
    return a;
}

static enum err_code dimensions_read(const json_t *a, struct plan_input *in, struct err *err)
{
    if (!json_is_array(a) || json_array_size(a) > 100)
        return err_set(err, ERR_INVALID, "DIMENSIONS", "DIMENSIONS must be an array");
    size_t i;
    const json_t *o;
    json_array_foreach (a, i, o) {
        const char *name = json_string_value(json_object_get(o, "name"));
        const json_t *range = json_object_get(o, "range");
        const json_t *values = json_object_get(o, "values");
        if (!name || (!json_is_object(range) && !json_is_array(values)))
            return err_set(err, ERR_INVALID, "DIMENSIONS",
                           "DIMENSIONS[%zu] needs a name and values or a range", i);
        struct dimension *d = plan_add_dimension(in, name);
        if (json_is_object(range)) {
            d->numeric = true;
            d->min = json_number_value(json_object_get(range, "min"));
            d->max = json_number_value(json_object_get(range, "max"));
            continue;
        }
        size_t j;
        const json_t *v;
        json_array_foreach (values, j, v) {
            const char *value = json_string_value(json_object_get(v, "value"));
            const json_t *share = json_object_get(v, "share");
            if (!value || !json_is_number(share))
                return err_set(err, ERR_INVALID, "DIMENSIONS",
                               "DIMENSIONS[%zu].values[%zu] needs value and share", i, j);
            dimension_add_value(d, value, json_number_value(share));
        }
    }
    return ERR_OK;
}

/* ---- rendering --------------------------------------------------------------------------- */

static const char *const instructions[TASK_COUNT_] = {
    [TASK_ACT] =
        "Live this moment as the person in PERSONA: STATE is where you are and what is on "
        "your mind, MEMORY what you remember, STIMULI what just happened. Act: THINK to "
        "think privately, TALK to say something (target: to whom), REACH_OUT to contact "
        "someone, and end with DONE. If there is a SURVEY, answer every question as yourself "
        "- your own opinion, with your biases and your budget, using the whole scale when you "
        "feel strongly; with elicitation ssr, answer rating questions in words, not numbers. "
        "If there is a JOURNEY, say whether you would go on to the next step and why. Update "
        "your cognitive_state. Write in your own language (PERSONA.language).",
    [TASK_EXTRACT] = "Extract the FIELDS from the TRANSCRIPT, following REQUEST. Use null for "
                     "a field the transcript does not answer; never invent.",
    [TASK_DIMENSIONS] = "List the sampling dimensions that make the POPULATION diverse: each "
                        "with values and their shares (summing to 1) or a numeric range. "
                        "Always include personality, attitudes to money, attitudes to "
                        "technology and cultural background.",
    [TASK_PLAN] = "Split the POPULATION into sub-populations whose quantities sum to n, each "
                  "described and with one value per dimension of DIMENSIONS.",
    [TASK_PERSON] = "Create one specific, believable person of the POPULATION with exactly "
                    "the SAMPLE's values: every field filled, a name not in USED_NAMES, "
                    "written in the population's language.",
    [TASK_CONSOLIDATE] = "Condense the EPISODE into at most six memories, in the first person "
                         "and the persona's language: facts, impressions, and what I did.",
    [TASK_VALIDATE] = "You interview the person in PERSONA to check that they behave as "
                      "EXPECTATIONS say. Ask the next question, or, in the last ROUND, give a "
                      "score from 0 to 1 with a justification.",
    [TASK_PROPOSITION] = "Judge the CLAIM against the TRANSCRIPT: true or false, or a score "
                         "from 0 (false) to 9 (certainly true) when scored, with a short "
                         "justification.",
    [TASK_NORMALIZE] = "Group the open ANSWERS into at most max_themes themes: a short name, "
                       "the sentiment, and the indexes of the answers in each.",
    [TASK_INSIGHTS] = "Write the summary of a test's results from its AGGREGATES, for a busy "
                      "reader: what won, by how much, for whom, and why. Use only numbers that "
                      "appear in the AGGREGATES.",
};

static const char system_rules[] =
    "You are part of Crowdelic, a simulation of real people's reactions. Answer with one JSON "
    "value that satisfies the SCHEMA section, and nothing else.";

static const char persona_rules[] =
    " You are the person described in PERSONA - not an assistant. Stay in character: keep "
    "their knowledge, ignorance, biases, tastes, budget, bluntness and way of speaking.";

static void add_section_text(struct buf *b, const char *name, const json_t *value)
{
    buf_addf(b, "\n### %s\n```json\n", name);
    char *text = jsonio_dump(value, JSON_ENCODE_ANY, NULL);
    buf_adds(b, text);
    free(text);
    buf_adds(b, "\n```\n");
}

static void kind_sections(const struct task *t, struct sections *sys, struct sections *user)
{
    switch (t->kind) {
    case TASK_ACT:
        act_sections(&t->u.act, sys, user);
        break;
    case TASK_EXTRACT:
        extract_sections(&t->u.extract, user);
        break;
    case TASK_DIMENSIONS: {
        json_t *p = json_object();
        jsonio_set_new(p, "description", str_or_null(t->u.dimensions.description));
        jsonio_set_new(p, "n", json_integer(t->u.dimensions.n));
        jsonio_set_new(p, "language", str_or_null(t->u.dimensions.language));
        add(user, "POPULATION", p);
        break;
    }
    case TASK_PLAN: {
        json_t *p = json_object();
        jsonio_set_new(p, "description", str_or_null(t->u.plan.description));
        jsonio_set_new(p, "n", json_integer(t->u.plan.n));
        add(user, "POPULATION", p);
        add(user, "DIMENSIONS", dimensions_json(&t->u.plan));
        break;
    }
    case TASK_PERSON: {
        const struct person_input *in = &t->u.person;
        json_t *p = json_object();
        jsonio_set_new(p, "description", str_or_null(in->description));
        jsonio_set_new(p, "language", str_or_null(in->language));
        add(user, "POPULATION", p);
        json_t *sample = json_array();
        for (size_t i = 0; i < in->n_picks; i++) {
            json_t *o = json_object();
            jsonio_set_str(o, "dimension", in->picks[i].dimension);
            jsonio_set_str(o, "value", in->picks[i].value);
            json_array_append_new(sample, o);
        }
        add(user, "SAMPLE", sample);
        add(user, "USED_NAMES", strlist_json(&in->used_names));
        break;
    }
    case TASK_CONSOLIDATE: {
        json_t *e = json_object();
        jsonio_set_new(e, "persona", str_or_null(t->u.consolidate.persona_name));
        jsonio_set_new(e, "language", str_or_null(t->u.consolidate.language));
        jsonio_set_new(e, "events", strlist_json(&t->u.consolidate.events));
        add(user, "EPISODE", e);
        break;
    }
    case TASK_VALIDATE: {
        const struct validate_input *in = &t->u.validate;
        if (in->persona)
            add(sys, "PERSONA", persona_to_json(in->persona, PERSONA_SHAPE_SPEC));
        json_t *x = json_object();
        jsonio_set_new(x, "text", str_or_null(in->expectations));
        add(user, "EXPECTATIONS", x);
        add(user, "INTERVIEW", transcript_json(&in->interview));
        json_t *r = json_object();
        jsonio_set_new(r, "round", json_integer(in->round));
        jsonio_set_new(r, "of", json_integer(in->max_rounds));
        add(user, "ROUND", r);
        break;
    }
    case TASK_PROPOSITION: {
        json_t *c = json_object();
        jsonio_set_new(c, "claim", str_or_null(t->u.proposition.claim));
        jsonio_set_new(c, "scored", json_boolean(t->u.proposition.scored));
        add(user, "CLAIM", c);
        add(user, "TRANSCRIPT", transcript_json(&t->u.proposition.transcript));
        break;
    }
    case TASK_NORMALIZE: {
        json_t *a = json_object();
        jsonio_set_new(a, "texts", strlist_json(&t->u.normalize.texts));
        jsonio_set_new(a, "max_themes", json_integer(t->u.normalize.max_themes));
        jsonio_set_new(a, "language", str_or_null(t->u.normalize.language));
        add(user, "ANSWERS", a);
        break;
    }
    case TASK_INSIGHTS: {
        json_t *r = json_object();
        jsonio_set_new(r, "language", str_or_null(t->u.insights.language));
        add(user, "REQUEST", r);
        json_t *agg = NULL;
        const char *text = t->u.insights.aggregates_json ? t->u.insights.aggregates_json : "{}";
        if (jsonio_parse(text, strlen(text), &agg, NULL))
            agg = json_object(); /* the caller passed no JSON: show nothing rather than junk */
        add(user, "AGGREGATES", agg);
        break;
    }
    case TASK_COUNT_:
        break;
    }
}

struct llm_request *task_render(const struct task *t)
{
    struct sections sys = { .n = 0 }, user = { .n = 0 };
    kind_sections(t, &sys, &user);

    struct buf b;
    buf_init(&b, WIRE_MAX);
    buf_adds(&b, system_rules);
    if (find(&sys, "PERSONA"))
        buf_adds(&b, persona_rules);
    buf_addch(&b, '\n');
    for (size_t i = 0; i < sys.n; i++)
        add_section_text(&b, sys.items[i].name, sys.items[i].value);
    struct llm_request *req = llm_request_new(task_name(t->kind));
    llm_request_add(req, LLM_ROLE_SYSTEM, b.data);

    buf_reset(&b);
    buf_addf(&b, "### TASK %s\n%s\n", task_name(t->kind), instructions[t->kind]);
    for (size_t i = 0; i < user.n; i++)
        add_section_text(&b, user.items[i].name, user.items[i].value);
    json_t *schema = task_schema(t);
    add_section_text(&b, "SCHEMA", schema);
    if (b.failed)
        BUG("a rendered task passed %d bytes", WIRE_MAX);
    llm_request_add(req, LLM_ROLE_USER, b.data);
    buf_release(&b);

    llm_request_set_schema(req, schema);
    json_decref(schema);
    req->validate = task_validate_fn;
    req->validate_ctx = (void *)t;
    req->native = t;
    sections_release(&sys);
    sections_release(&user);
    return req;
}

/* ---- parsing -------------------------------------------------------------------------------- */

/* Finds the sections of text (### NAME + fenced json) and parses their values. */
static enum err_code scan_sections(const char *text, struct sections *out, struct err *err)
{
    struct span rest = span_cstr(text);
    while (rest.len) {
        struct span line = span_trim(span_cut(&rest, '\n'));
        if (!span_starts_with(line, "### ") || span_starts_with(line, "### TASK"))
            continue;
        struct span name = span_trim(span_make(line.ptr + 4, line.len - 4));
        struct span fence = span_trim(span_cut(&rest, '\n'));
        if (!span_eq_cstr(fence, "```json"))
            return err_set(err, ERR_INVALID, NULL, "section %.*s: expected a ```json block",
                           SPAN_FMT(name));
        const char *start = rest.ptr;
        const char *end = NULL;
        while (rest.len) {
            const char *at = rest.ptr;
            struct span l = span_trim(span_cut(&rest, '\n'));
            if (span_eq_cstr(l, "```")) {
                end = at;
                break;
            }
        }
        if (!end)
            return err_set(err, ERR_INVALID, NULL, "section %.*s: the ```json block is not closed",
                           SPAN_FMT(name));
        if (out->n == MAX_SECTIONS)
            return err_set(err, ERR_INVALID, NULL, "more than %d sections", MAX_SECTIONS);
        json_error_t jerr;
        json_t *v = json_loadb(start, (size_t)(end - start),
                               JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
        if (!v)
            return err_set(err, ERR_INVALID, NULL, "section %.*s: line %d column %d: %s",
                           SPAN_FMT(name), jerr.line, jerr.column, jerr.text);
        static const char *const known[] = {
            "PERSONA",    "STATE",      "MEMORY",       "STIMULI",    "SURVEY",     "JOURNEY",
            "REQUEST",    "FIELDS",     "TRANSCRIPT",   "POPULATION", "DIMENSIONS", "SAMPLE",
            "USED_NAMES", "EPISODE",    "EXPECTATIONS", "INTERVIEW",  "ROUND",      "CLAIM",
            "ANSWERS",    "AGGREGATES", "SCHEMA"
        };
        const char *canon = NULL;
        for (size_t k = 0; k < ARRAY_SIZE(known); k++)
            if (span_eq_cstr(name, known[k]))
                canon = known[k];
        if (!canon) {
            json_decref(v);
            continue; /* a section this version does not know: ignored */
        }
        if (find(out, canon)) {
            json_decref(v);
            return err_set(err, ERR_INVALID, NULL, "section %s appears twice", canon);
        }
        add(out, canon, v);
    }
    return ERR_OK;
}

/*
 * The task named by the last user message that starts with "### TASK"
 * (a re-ask adds user messages after it), -1 when there is none, -2 (with
 * err) for an unknown name.
 */
static int wire_kind(const struct llm_request *req, struct err *err)
{
    const char *last = NULL;
    for (size_t i = 0; i < req->n_messages; i++)
        if (req->messages[i].role == LLM_ROLE_USER &&
            strncmp(req->messages[i].content, "### TASK ", 9) == 0)
            last = req->messages[i].content;
    if (!last)
        return -1;
    struct span rest = span_cstr(last + 9);
    struct span name = span_trim(span_cut(&rest, '\n'));
    char buf[32];
    if (name.len >= sizeof(buf)) {
        err_set(err, ERR_INVALID, NULL, "unknown task");
        return -2;
    }
    memcpy(buf, name.ptr, name.len);
    buf[name.len] = '\0';
    int kind = task_kind_parse(buf);
    if (kind < 0) {
        err_set(err, ERR_INVALID, NULL, "unknown task '%s'", buf);
        return -2;
    }
    return kind;
}

static enum err_code need(const json_t *v, const char *name, struct err *err)
{
    if (!v)
        return err_set(err, ERR_INVALID, name, "the %s section is missing", name);
    if (!json_is_object(v) && !json_is_array(v))
        return err_set(err, ERR_INVALID, name, "the %s section must be an object or array", name);
    return ERR_OK;
}

static enum err_code kind_read(struct task *t, const struct sections *s, struct err *err)
{
    const json_t *v;
    enum err_code rc = ERR_OK;
    switch (t->kind) {
    case TASK_ACT:
        return act_read(s, &t->u.act, err);
    case TASK_EXTRACT:
        return extract_read(s, &t->u.extract, err);
    case TASK_DIMENSIONS:
        v = find(s, "POPULATION");
        rc = need(v, "POPULATION", err);
        if (!rc)
            rc = read_str(v, "description", true, &t->u.dimensions.description, "POPULATION", err);
        if (!rc)
            rc = read_int(v, "n", 0, 1000000, &t->u.dimensions.n, "POPULATION", err);
        if (!rc)
            rc = read_str(v, "language", false, &t->u.dimensions.language, "POPULATION", err);
        return rc;
    case TASK_PLAN:
        v = find(s, "POPULATION");
        rc = need(v, "POPULATION", err);
        if (!rc)
            rc = read_str(v, "description", true, &t->u.plan.description, "POPULATION", err);
        if (!rc)
            rc = read_int(v, "n", 0, 1000000, &t->u.plan.n, "POPULATION", err);
        if (!rc)
            rc = need(find(s, "DIMENSIONS"), "DIMENSIONS", err);
        if (!rc)
            rc = dimensions_read(find(s, "DIMENSIONS"), &t->u.plan, err);
        return rc;
    case TASK_PERSON: {
        struct person_input *in = &t->u.person;
        v = find(s, "POPULATION");
        rc = need(v, "POPULATION", err);
        if (!rc)
            rc = read_str(v, "description", false, &in->description, "POPULATION", err);
        if (!rc)
            rc = read_str(v, "language", false, &in->language, "POPULATION", err);
        const json_t *sample = find(s, "SAMPLE");
        if (!rc && sample) {
            if (!json_is_array(sample) || json_array_size(sample) > 100)
                return err_set(err, ERR_INVALID, "SAMPLE", "SAMPLE must be an array");
            size_t i;
            const json_t *o;
            json_array_foreach (sample, i, o) {
                const char *d = json_string_value(json_object_get(o, "dimension"));
                const char *val = json_string_value(json_object_get(o, "value"));
                if (!d || !val)
                    return err_set(err, ERR_INVALID, "SAMPLE",
                                   "SAMPLE[%zu] needs dimension and value", i);
                person_add_pick(in, d, val);
            }
        }
        if (!rc)
            rc = read_strlist(find(s, "USED_NAMES"), &in->used_names, "USED_NAMES", err);
        return rc;
    }
    case TASK_CONSOLIDATE:
        v = find(s, "EPISODE");
        rc = need(v, "EPISODE", err);
        if (!rc)
            rc = read_str(v, "persona", false, &t->u.consolidate.persona_name, "EPISODE", err);
        if (!rc)
            rc = read_str(v, "language", false, &t->u.consolidate.language, "EPISODE", err);
        if (!rc)
            rc = read_strlist(json_object_get(v, "events"), &t->u.consolidate.events,
                              "EPISODE.events", err);
        return rc;
    case TASK_VALIDATE: {
        struct validate_input *in = &t->u.validate;
        rc = read_persona(s, &in->persona, err);
        v = find(s, "EXPECTATIONS");
        if (!rc)
            rc = need(v, "EXPECTATIONS", err);
        if (!rc)
            rc = read_str(v, "text", true, &in->expectations, "EXPECTATIONS", err);
        if (!rc && (v = find(s, "INTERVIEW")))
            rc = read_transcript(v, &in->interview, "INTERVIEW", err);
        v = find(s, "ROUND");
        if (!rc)
            rc = need(v, "ROUND", err);
        if (!rc)
            rc = need_int(v, "round", 1, 100, &in->round, "ROUND", err);
        if (!rc)
            rc = need_int(v, "of", 1, 100, &in->max_rounds, "ROUND", err);
        return rc;
    }
    case TASK_PROPOSITION:
        v = find(s, "CLAIM");
        rc = need(v, "CLAIM", err);
        if (!rc)
            rc = read_str(v, "claim", true, &t->u.proposition.claim, "CLAIM", err);
        if (!rc)
            rc = read_bool(v, "scored", &t->u.proposition.scored, "CLAIM", err);
        if (!rc && (v = find(s, "TRANSCRIPT")))
            rc = read_transcript(v, &t->u.proposition.transcript, "TRANSCRIPT", err);
        return rc;
    case TASK_NORMALIZE:
        v = find(s, "ANSWERS");
        rc = need(v, "ANSWERS", err);
        if (!rc)
            rc = read_strlist(json_object_get(v, "texts"), &t->u.normalize.texts, "ANSWERS.texts",
                              err);
        if (!rc)
            rc = need_int(v, "max_themes", 1, 100, &t->u.normalize.max_themes, "ANSWERS", err);
        if (!rc)
            rc = read_str(v, "language", false, &t->u.normalize.language, "ANSWERS", err);
        return rc;
    case TASK_INSIGHTS:
        if ((v = find(s, "REQUEST")))
            rc = read_str(v, "language", false, &t->u.insights.language, "REQUEST", err);
        v = find(s, "AGGREGATES");
        if (!rc)
            rc = need(v, "AGGREGATES", err);
        if (!rc)
            t->u.insights.aggregates_json = jsonio_dump(v, 0, NULL);
        return rc;
    case TASK_COUNT_:
        break;
    }
    return err_set(err, ERR_INVALID, NULL, "unknown task");
}

enum err_code task_parse(const struct llm_request *req, struct task **out, struct err *err)
{
    *out = NULL;
    int kind = wire_kind(req, err);
    if (kind == -2)
        return ERR_INVALID;
    if (kind < 0)
        return err_set(err, ERR_NOT_FOUND, NULL, "not a task (no '### TASK' line)");

    struct sections s = { .n = 0 };
    enum err_code rc = ERR_OK;
    for (size_t i = 0; i < req->n_messages && !rc; i++)
        if (req->messages[i].role != LLM_ROLE_ASSISTANT)
            rc = scan_sections(req->messages[i].content, &s, err);
    struct task *t = task_new((enum task_kind)kind);
    if (!rc)
        rc = kind_read(t, &s, err);
    sections_release(&s);
    if (rc) {
        task_free(t);
        return rc;
    }
    *out = t;
    return ERR_OK;
}
