/*
 * engine/analysis.c - extraction, normalisation and propositions on top of
 * engine_run (see analysis.h): building the tasks, seeding them from their
 * content, turning failed calls into errors, and settling the model's
 * themes locally (the cap, every answer in exactly one theme). The JSON
 * answers are read in analysis_json.c.
 */
#include "core/compat.h"

#include "engine/analysis.h"

#include "core/buf.h"
#include "core/xalloc.h"

/*
 * The most text (counted as it will be escaped in the prompt's JSON) one
 * call may carry. task_render treats a prompt past its 4 MiB as a
 * programmer error, so input larger than this is refused here, as input.
 */
#define PROMPT_INPUT_MAX (2u * 1024 * 1024)
/* Items of one list a call may carry: what tasks_wire.c reads back from the wire. */
#define ITEMS_MAX        10000
#define PERSONA_TEXT_MAX (256u * 1024) /* one persona spec rendered as context */

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* ---- shared: seeds, sizes, failed calls ------------------------------------------------------ */

/* Mixes a transcript's lines into seed: the same transcript gives the same seed. */
static uint64_t seed_transcript(uint64_t seed, const struct transcript *t)
{
    for (size_t i = 0; t && i < t->n; i++)
        seed = engine_seed(seed, nz(t->lines[i].speaker), nz(t->lines[i].text), NULL);
    return seed;
}

static uint64_t seed_int(uint64_t seed, long long v)
{
    char num[32];
    snprintf(num, sizeof(num), "%lld", v);
    return engine_seed(seed, num, NULL);
}

/* The bytes s takes as the inside of a JSON string (escapes counted in full). */
static size_t escaped_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)nz(s); *p; p++)
        n += *p < 0x20 ? 6 : (*p == '"' || *p == '\\') ? 2 : 1;
    return n;
}

static size_t transcript_len(const struct transcript *t)
{
    size_t n = 0;
    for (size_t i = 0; t && i < t->n; i++)
        n += escaped_len(t->lines[i].speaker) + escaped_len(t->lines[i].text) + 32;
    return n;
}

static enum err_code check_items(size_t n, const char *what, struct err *err)
{
    if (n > ITEMS_MAX)
        return err_set(err, ERR_TOO_LARGE, what,
                       "%s: %zu items are more than one model call takes (%d)", what, n, ITEMS_MAX);
    return ERR_OK;
}

static enum err_code check_size(size_t n, const char *what, struct err *err)
{
    if (n > PROMPT_INPUT_MAX)
        return err_set(err, ERR_TOO_LARGE, what,
                       "%s: %zu bytes of text is more than one model call takes (%u)", what, n,
                       PROMPT_INPUT_MAX);
    return ERR_OK;
}

/* The error for a call that did not succeed, naming what was asked. */
static enum err_code call_failed(const struct llm_response *resp, const char *what, struct err *err)
{
    enum err_code code = resp->code ? resp->code : ERR_INTERNAL;
    const char *why = resp->err.msg[0] ? resp->err.msg : err_slug(code);
    return err_set(err, code, resp->err.field[0] ? resp->err.field : NULL,
                   "%s: the model call failed: %s", what, why);
}

static char *model_of(const struct llm_response *resp)
{
    return resp->model ? xstrdup(resp->model) : NULL;
}

/* ---- extraction ------------------------------------------------------------------------------ */

static enum err_code check_spec(const struct analysis_extract_spec *spec, struct err *err)
{
    if (!spec->objective || !*spec->objective)
        return err_set(err, ERR_INVALID, "objective", "objective: say what to extract");
    if (spec->n_fields == 0)
        return err_set(err, ERR_INVALID, "fields", "fields: at least one field is needed");
    for (size_t i = 0; i < spec->n_fields; i++) {
        const struct extract_field *f = &spec->fields[i];
        if (!f->name || !*f->name)
            return err_set(err, ERR_INVALID, "fields", "fields[%zu]: the name is empty", i);
        if ((unsigned)f->type > EXTRACT_LIST)
            return err_set(err, ERR_INVALID, "fields", "fields[%zu] '%s': unknown type %d", i,
                           f->name, (int)f->type);
        for (size_t j = 0; j < i; j++)
            if (strcmp(spec->fields[j].name, f->name) == 0)
                return err_set(err, ERR_INVALID, "fields", "fields[%zu]: '%s' is given twice", i,
                               f->name);
    }
    return ERR_OK;
}

static size_t spec_len(const struct analysis_extract_spec *spec)
{
    size_t n = escaped_len(spec->objective) + escaped_len(spec->situation) + 64;
    for (size_t i = 0; i < spec->n_fields; i++)
        n += 2 * escaped_len(spec->fields[i].name) + escaped_len(spec->fields[i].description) + 96;
    return n;
}

/*
 * The task's instructions carry the objective and the situation
 * (TinyTroupe's "Extraction objective" and "Situation" sections).
 */
static char *extract_instructions(const struct analysis_extract_spec *spec)
{
    struct buf b;
    buf_init(&b, PROMPT_INPUT_MAX);
    buf_addf(&b, "Objective: %s", spec->objective);
    if (spec->situation && *spec->situation)
        buf_addf(&b, "\nSituation: %s", spec->situation);
    return buf_detach(&b, NULL);
}

static struct task *extract_task(const struct analysis_extract_spec *spec,
                                 const struct transcript *transcript)
{
    struct task *t = task_new(TASK_EXTRACT);
    struct extract_input *in = &t->u.extract;
    in->instructions = extract_instructions(spec);
    for (size_t i = 0; i < spec->n_fields; i++)
        extract_add_field(in, spec->fields[i].name, spec->fields[i].description,
                          spec->fields[i].type);
    for (size_t i = 0; transcript && i < transcript->n; i++)
        transcript_add(&in->transcript, transcript->lines[i].speaker, transcript->lines[i].text);
    return t;
}

static uint64_t extract_seed(const struct engine *e, const struct analysis_extract_spec *spec,
                             const struct transcript *transcript)
{
    uint64_t seed = engine_seed(e->seed, "extract", spec->objective, nz(spec->situation), NULL);
    for (size_t i = 0; i < spec->n_fields; i++)
        seed = engine_seed(seed, spec->fields[i].name, nz(spec->fields[i].description), NULL);
    return seed_transcript(seed, transcript);
}

static void values_free(struct analysis_extraction *x)
{
    for (size_t i = 0; i < x->n_values; i++) {
        free(x->values[i].name);
        free(x->values[i].text);
        strlist_release(&x->values[i].list);
    }
    FREE_AND_NULL(x->values);
    x->n_values = 0;
}

/* A failed extraction holds no values at all: nothing that could pass for an answer. */
static void extraction_fail(struct analysis_extraction *x, const struct err *why)
{
    values_free(x);
    x->err = *why;
    x->code = why->code ? why->code : ERR_INTERNAL;
}

/* Reads call's answer into out (which holds the call's model and cost either way). */
static void extraction_finish(const struct engine_call *call, struct analysis_extraction *out)
{
    const struct llm_response *resp = call->resp;
    struct err err = ERR_INIT;
    out->model = model_of(resp);
    out->cost_micros = resp->cost_micros;
    if (resp->code) {
        call_failed(resp, "extract", &err);
        extraction_fail(out, &err);
        return;
    }
    if (analysis_read_extraction(&call->task->u.extract, resp, out, &err)) {
        err_prefix(&err, "extract");
        extraction_fail(out, &err);
        return;
    }
    out->code = ERR_OK;
}

/* Runs the calls for every transcript that can be asked; each out[i] says how it went. */
static void extract_all(const struct engine *e, const struct analysis_extract_spec *spec,
                        const struct transcript *transcripts, size_t n, struct engine_usage *usage,
                        struct analysis_extraction *out)
{
    struct engine_call *calls = xcalloc(n ? n : 1, sizeof(*calls));
    size_t *slot_of = xcalloc(n ? n : 1, sizeof(*slot_of)); /* call index -> transcript */
    size_t n_calls = 0;
    size_t fixed = spec_len(spec);
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        struct err err = ERR_INIT;
        if (check_items(transcripts[i].n, "transcript", &err) ||
            check_size(fixed + transcript_len(&transcripts[i]), "transcript", &err)) {
            extraction_fail(&out[i], &err);
            continue;
        }
        calls[n_calls].task = extract_task(spec, &transcripts[i]);
        calls[n_calls].seed = extract_seed(e, spec, &transcripts[i]);
        slot_of[n_calls++] = i;
    }
    engine_run(e, calls, n_calls, usage);
    for (size_t c = 0; c < n_calls; c++) {
        extraction_finish(&calls[c], &out[slot_of[c]]);
        llm_response_free(calls[c].resp);
        task_free((struct task *)calls[c].task);
    }
    free(slot_of);
    free(calls);
}

enum err_code analysis_extract(const struct engine *e, const struct analysis_extract_spec *spec,
                               const struct transcript *transcript, struct engine_usage *usage,
                               struct analysis_extraction *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_spec(spec, &out->err);
    if (rc) {
        out->code = rc;
        if (err)
            *err = out->err;
        return rc;
    }
    static const struct transcript empty = { 0 };
    extract_all(e, spec, transcript ? transcript : &empty, 1, usage, out);
    if (out->code && err)
        *err = out->err;
    return out->code;
}

enum err_code analysis_extract_batch(const struct engine *e,
                                     const struct analysis_extract_spec *spec,
                                     const struct transcript *transcripts, size_t n,
                                     struct engine_usage *usage, struct analysis_extraction *out,
                                     struct err *err)
{
    struct err bad = ERR_INIT;
    enum err_code rc = check_spec(spec, &bad);
    if (rc) {
        for (size_t i = 0; i < n; i++) {
            memset(&out[i], 0, sizeof(out[i]));
            out[i].code = rc;
            out[i].err = bad;
        }
        if (err)
            *err = bad;
        return rc;
    }
    extract_all(e, spec, transcripts, n, usage, out);
    for (size_t i = 0; i < n; i++) {
        if (!out[i].code)
            continue;
        return err_set(err, out[i].code, out[i].err.field[0] ? out[i].err.field : NULL,
                       "transcript %zu: %s", i, out[i].err.msg);
    }
    return ERR_OK;
}

const struct analysis_value *analysis_extraction_get(const struct analysis_extraction *x,
                                                     const char *name)
{
    for (size_t i = 0; i < x->n_values; i++)
        if (strcmp(x->values[i].name, name) == 0)
            return &x->values[i];
    return NULL;
}

void analysis_extraction_release(struct analysis_extraction *x)
{
    if (!x)
        return;
    values_free(x);
    free(x->model);
    memset(x, 0, sizeof(*x));
}

/* ---- normalisation --------------------------------------------------------------------------- */

const char *analysis_sentiment_name(enum analysis_sentiment s)
{
    switch (s) {
    case ANALYSIS_POSITIVE:
        return "positive";
    case ANALYSIS_NEGATIVE:
        return "negative";
    case ANALYSIS_NEUTRAL:
        break;
    }
    return "neutral";
}

struct analysis_theme *analysis_themes_add(struct analysis_themes *th, const char *name,
                                           enum analysis_sentiment sentiment)
{
    ALLOC_GROW(th->themes, th->n_themes + 1, th->alloc_themes);
    struct analysis_theme *t = &th->themes[th->n_themes++];
    memset(t, 0, sizeof(*t));
    t->name = xstrdup(nz(name));
    t->sentiment = sentiment;
    return t;
}

void analysis_theme_add_answer(struct analysis_theme *t, size_t answer)
{
    ALLOC_GROW(t->answers, t->n_answers + 1, t->alloc_answers);
    t->answers[t->n_answers++] = answer;
}

static void theme_release(struct analysis_theme *t)
{
    free(t->name);
    free(t->answers);
    memset(t, 0, sizeof(*t));
}

void analysis_themes_release(struct analysis_themes *th)
{
    if (!th)
        return;
    for (size_t i = 0; i < th->n_themes; i++)
        theme_release(&th->themes[i]);
    free(th->themes);
    free(th->theme_of);
    free(th->model);
    memset(th, 0, sizeof(*th));
}

static bool is_portuguese(const char *language)
{
    return language && strncasecmp(language, "pt", 2) == 0;
}

/* Is t the catch-all theme (the model's or ours)? */
static bool is_other(const struct analysis_theme *t)
{
    static const char *const names[] = { "other", "others", "outros", "outras" };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (strcasecmp(t->name, names[i]) == 0)
            return true;
    return false;
}

/* Keeps each answer in the first theme that lists it; drops indexes >= n_texts. */
static void drop_repeats(struct analysis_themes *th, size_t n_texts)
{
    bool *taken = xcalloc(n_texts ? n_texts : 1, sizeof(*taken));
    for (size_t k = 0; k < th->n_themes; k++) {
        struct analysis_theme *t = &th->themes[k];
        size_t kept = 0;
        for (size_t j = 0; j < t->n_answers; j++) {
            size_t a = t->answers[j];
            if (a >= n_texts || taken[a])
                continue;
            taken[a] = true;
            t->answers[kept++] = a;
        }
        t->n_answers = kept;
    }
    free(taken);
}

static void drop_empty(struct analysis_themes *th)
{
    size_t kept = 0;
    for (size_t k = 0; k < th->n_themes; k++) {
        if (th->themes[k].n_answers == 0) {
            theme_release(&th->themes[k]);
            continue;
        }
        th->themes[kept++] = th->themes[k];
    }
    th->n_themes = kept;
}

/* The index of the catch-all theme, made (empty, neutral) when there is none. */
static size_t other_theme(struct analysis_themes *th, const char *language)
{
    for (size_t k = 0; k < th->n_themes; k++)
        if (is_other(&th->themes[k]))
            return k;
    analysis_themes_add(th, is_portuguese(language) ? "Outros" : "Other", ANALYSIS_NEUTRAL);
    return th->n_themes - 1;
}

/* Answers no theme lists go to the catch-all theme. */
static void gather_orphans(struct analysis_themes *th, size_t n_texts, const char *language)
{
    bool *listed = xcalloc(n_texts ? n_texts : 1, sizeof(*listed));
    size_t listed_n = 0;
    for (size_t k = 0; k < th->n_themes; k++)
        for (size_t j = 0; j < th->themes[k].n_answers; j++) {
            listed[th->themes[k].answers[j]] = true;
            listed_n++;
        }
    if (listed_n < n_texts) {
        size_t o = other_theme(th, language);
        for (size_t a = 0; a < n_texts; a++)
            if (!listed[a])
                analysis_theme_add_answer(&th->themes[o], a);
    }
    free(listed);
}

/* Is theme a larger than b (ties: the earlier one, so the order is stable)? */
static bool larger(const struct analysis_theme *a, size_t ia, const struct analysis_theme *b,
                   size_t ib)
{
    if (a->n_answers != b->n_answers)
        return a->n_answers > b->n_answers;
    return ia < ib;
}

/* The themes' indexes, largest first, the catch-all last. */
static size_t *rank_themes(const struct analysis_themes *th)
{
    size_t *order = xcalloc(th->n_themes ? th->n_themes : 1, sizeof(*order));
    for (size_t k = 0; k < th->n_themes; k++) {
        size_t j = k;
        const struct analysis_theme *t = &th->themes[k];
        while (j > 0) {
            const struct analysis_theme *p = &th->themes[order[j - 1]];
            bool before =
                is_other(p) ? !is_other(t) : (!is_other(t) && larger(t, k, p, order[j - 1]));
            if (!before)
                break;
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    return order;
}

/* The sentiment most of the answers had in their themes before a merge; ties are neutral. */
static enum analysis_sentiment majority(const size_t count[3])
{
    if (count[ANALYSIS_POSITIVE] > count[ANALYSIS_NEGATIVE] &&
        count[ANALYSIS_POSITIVE] > count[ANALYSIS_NEUTRAL])
        return ANALYSIS_POSITIVE;
    if (count[ANALYSIS_NEGATIVE] > count[ANALYSIS_POSITIVE] &&
        count[ANALYSIS_NEGATIVE] > count[ANALYSIS_NEUTRAL])
        return ANALYSIS_NEGATIVE;
    return ANALYSIS_NEUTRAL;
}

/*
 * More themes than max_themes: keeps the max_themes - 1 largest named
 * themes and merges the rest into the catch-all theme (TinyTroupe's local
 * cap, kept: a model's "at most n" is a request, not a guarantee).
 */
static void cap_themes(struct analysis_themes *th, size_t max_themes, const char *language)
{
    if (th->n_themes <= max_themes)
        return;
    size_t o = other_theme(th, language);
    size_t *order = rank_themes(th);
    size_t count[3] = { 0 };
    count[th->themes[o].sentiment] += th->themes[o].n_answers;
    size_t named = 0; /* named themes seen, in rank order */
    for (size_t r = 0; r < th->n_themes; r++) {
        struct analysis_theme *t = &th->themes[order[r]];
        if (order[r] == o)
            continue;
        if (++named < max_themes)
            continue; /* one of the max_themes - 1 largest: kept */
        count[t->sentiment] += t->n_answers;
        for (size_t j = 0; j < t->n_answers; j++)
            analysis_theme_add_answer(&th->themes[o], t->answers[j]);
        t->n_answers = 0;
    }
    th->themes[o].sentiment = majority(count);
    free(order);
    drop_empty(th);
}

/* Puts the themes in rank order, sorts their answers and fills theme_of. */
static void finish_themes(struct analysis_themes *th, size_t n_texts)
{
    size_t *order = rank_themes(th);
    struct analysis_theme *sorted = xcalloc(th->n_themes ? th->n_themes : 1, sizeof(*sorted));
    for (size_t r = 0; r < th->n_themes; r++)
        sorted[r] = th->themes[order[r]];
    free(order);
    free(th->themes);
    th->themes = sorted;
    th->alloc_themes = th->n_themes ? th->n_themes : 1;

    free(th->theme_of);
    th->theme_of = xcalloc(n_texts ? n_texts : 1, sizeof(*th->theme_of));
    th->n_texts = n_texts;
    for (size_t k = 0; k < th->n_themes; k++) {
        struct analysis_theme *t = &th->themes[k];
        for (size_t j = 0; j < t->n_answers; j++)
            th->theme_of[t->answers[j]] = k;
    }
}

void analysis_themes_settle(struct analysis_themes *th, size_t n_texts, size_t max_themes,
                            const char *language)
{
    assert(max_themes >= 1);
    drop_repeats(th, n_texts);
    drop_empty(th);
    gather_orphans(th, n_texts, language);
    cap_themes(th, max_themes, language);
    finish_themes(th, n_texts);
}

static size_t strlist_len(const struct strlist *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += escaped_len(l->items[i]) + 4;
    return n;
}

enum err_code analysis_normalize(const struct engine *e, const struct strlist *answers,
                                 int max_themes, const char *language, struct engine_usage *usage,
                                 struct analysis_themes *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (max_themes < 1 || max_themes > ANALYSIS_THEMES_MAX)
        return err_set(err, ERR_INVALID, "max_themes",
                       "max_themes: %d is not a number of themes (expected 1..%d)", max_themes,
                       ANALYSIS_THEMES_MAX);
    enum err_code rc = check_items(answers->n, "answers", err);
    if (!rc)
        rc = check_size(strlist_len(answers), "answers", err);
    if (rc)
        return rc;
    if (answers->n == 0) {
        finish_themes(out, 0); /* nothing to group: no call */
        return ERR_OK;
    }

    struct task *t = task_new(TASK_NORMALIZE);
    for (size_t i = 0; i < answers->n; i++)
        strlist_add(&t->u.normalize.texts, answers->items[i]);
    t->u.normalize.max_themes = max_themes;
    t->u.normalize.language = language ? xstrdup(language) : NULL;
    uint64_t seed = seed_int(engine_seed(e->seed, "normalize", nz(language), NULL), max_themes);
    for (size_t i = 0; i < answers->n; i++)
        seed = engine_seed(seed, answers->items[i], NULL);

    struct llm_response *resp = engine_ask(e, t, seed, NULL, usage);
    if (resp->code) {
        rc = call_failed(resp, "normalize", err);
    } else {
        rc = analysis_read_themes(resp, out, err);
        if (rc)
            err_prefix(err, "normalize");
    }
    if (rc) {
        analysis_themes_release(out);
    } else {
        analysis_themes_settle(out, answers->n, (size_t)max_themes, language);
        out->model = model_of(resp);
        out->cost_micros = resp->cost_micros;
    }
    llm_response_free(resp);
    task_free(t);
    return rc;
}

/* ---- propositions ---------------------------------------------------------------------------- */

/*
 * The transcript the model judges: the personas' specs first, as context
 * lines (the task has no section of its own for them), then what was said.
 */
static enum err_code claim_transcript(const struct analysis_claim *c, struct transcript *out,
                                      struct err *err)
{
    struct buf spec, who;
    buf_init(&spec, PERSONA_TEXT_MAX);
    buf_init(&who, 1024);
    enum err_code rc = ERR_OK;
    for (size_t i = 0; i < c->n_personas && !rc; i++) {
        buf_reset(&spec);
        buf_reset(&who);
        persona_render(c->personas[i], &spec);
        buf_addf(&who, "persona spec (context): %s", nz(c->personas[i]->name));
        if (spec.failed)
            rc = err_set(err, ERR_TOO_LARGE, "personas",
                         "personas[%zu]: the spec is larger than %u bytes", i, PERSONA_TEXT_MAX);
        else
            transcript_add(out, who.data, spec.data);
    }
    buf_release(&spec);
    buf_release(&who);
    for (size_t i = 0; !rc && c->transcript && i < c->transcript->n; i++)
        transcript_add(out, c->transcript->lines[i].speaker, c->transcript->lines[i].text);
    return rc;
}

static enum err_code judge(const struct engine *e, const struct analysis_claim *c, bool scored,
                           struct engine_usage *usage, struct analysis_verdict *out,
                           struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (!c->claim || !*c->claim)
        return err_set(err, ERR_INVALID, "claim", "claim: it is empty");
    struct task *t = task_new(TASK_PROPOSITION);
    t->u.proposition.claim = xstrdup(c->claim);
    t->u.proposition.scored = scored;
    enum err_code rc = claim_transcript(c, &t->u.proposition.transcript, err);
    if (!rc)
        rc = check_items(t->u.proposition.transcript.n, "transcript", err);
    if (!rc)
        rc = check_size(escaped_len(c->claim) + transcript_len(&t->u.proposition.transcript),
                        "transcript", err);
    if (rc) {
        task_free(t);
        return rc;
    }
    uint64_t seed = engine_seed(e->seed, "proposition", scored ? "score" : "check", c->claim, NULL);
    seed = seed_transcript(seed, &t->u.proposition.transcript);

    struct llm_response *resp = engine_ask(e, t, seed, NULL, usage);
    const char *what = scored ? "score" : "check";
    if (resp->code) {
        rc = call_failed(resp, what, err);
    } else {
        rc = analysis_read_verdict(resp, scored, out, err);
        if (rc)
            err_prefix(err, what);
    }
    if (rc) {
        analysis_verdict_release(out);
    } else {
        out->model = model_of(resp);
        out->cost_micros = resp->cost_micros;
    }
    llm_response_free(resp);
    task_free(t);
    return rc;
}

enum err_code analysis_check(const struct engine *e, const struct analysis_claim *c,
                             struct engine_usage *usage, struct analysis_verdict *out,
                             struct err *err)
{
    return judge(e, c, false, usage, out, err);
}

enum err_code analysis_score(const struct engine *e, const struct analysis_claim *c,
                             struct engine_usage *usage, struct analysis_verdict *out,
                             struct err *err)
{
    return judge(e, c, true, usage, out, err);
}

void analysis_verdict_release(struct analysis_verdict *v)
{
    if (!v)
        return;
    free(v->justification);
    free(v->model);
    memset(v, 0, sizeof(*v));
}

/* ---- insights ------------------------------------------------------------------------------ */

enum err_code analysis_insights(const struct engine *e, const char *aggregates_json,
                                const char *language, uint64_t attempt, struct engine_usage *usage,
                                struct analysis_insights *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_size(strlen(aggregates_json), "aggregates", err);
    if (rc)
        return rc;
    struct task *t = task_new(TASK_INSIGHTS);
    t->u.insights.aggregates_json = xstrdup(aggregates_json);
    t->u.insights.language = language ? xstrdup(language) : NULL;
    uint64_t seed = seed_int(engine_seed(e->seed, "insights", nz(language), aggregates_json, NULL),
                             (long long)attempt);
    struct llm_response *resp = engine_ask(e, t, seed, NULL, usage);
    if (resp->code) {
        rc = call_failed(resp, "insights", err);
    } else {
        rc = analysis_read_insights(resp, out, err);
        if (rc)
            err_prefix(err, "insights");
    }
    if (rc) {
        analysis_insights_release(out);
    } else {
        out->model = model_of(resp);
        out->cost_micros = resp->cost_micros;
    }
    llm_response_free(resp);
    task_free(t);
    return rc;
}

void analysis_insights_release(struct analysis_insights *x)
{
    free(x->summary);
    free(x->model);
    strlist_release(&x->highlights);
    memset(x, 0, sizeof(*x));
}
