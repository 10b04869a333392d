/*
 * domain/test_spec.c - the parts of a test spec (domain/test_spec.h) that
 * need no JSON: the type names, freeing a spec, and the rules between its
 * fields (test_spec_check) - duplicates, a question's kind across
 * scenarios, what each type of test wants of variants, questions and a
 * moderator, and the success criteria parsed against the questions.
 *
 * The JSON reader and writer live in test_spec_json.c, which calls
 * test_spec_check once every field has been read. Every message starts
 * with the JSON path of the field at fault, which is also err->field.
 * Reentrant: no state outside the calls.
 */
#include "core/compat.h"

#include "domain/test_spec.h"

#include "core/utf8.h"
#include "core/xalloc.h"
#include "report/criteria.h"

#define QUOTE_MAX 60 /* bytes of a bad value quoted back in a message */

static const char *const TYPE_NAMES[] = { "product", "message", "journey", "focus_group" };

const char *test_type_name(enum test_type t)
{
    return (unsigned)t < ARRAY_SIZE(TYPE_NAMES) ? TYPE_NAMES[t] : "product";
}

int test_type_parse(const char *name)
{
    for (size_t i = 0; name && i < ARRAY_SIZE(TYPE_NAMES); i++)
        if (strcmp(name, TYPE_NAMES[i]) == 0)
            return (int)i;
    return -1;
}

/* ---- freeing ----------------------------------------------------------------------- */

static void question_release(struct question *q)
{
    free(q->id);
    free(q->prompt);
    strlist_release(&q->options);
}

static void scenario_release(struct test_scenario *s)
{
    free(s->id);
    free(s->title);
    free(s->stimulus);
    free(s->image_url);
    for (size_t i = 0; i < s->n_variants; i++) {
        free(s->variants[i].id);
        free(s->variants[i].stimulus);
    }
    free(s->variants);
    for (size_t i = 0; i < s->n_questions; i++)
        question_release(&s->questions[i]);
    free(s->questions);
}

static void filter_release(struct panel_filter *f)
{
    char **texts[] = { &f->q,          &f->gender,       &f->country,     &f->location,
                       &f->occupation, &f->income_level, &f->nationality, &f->education,
                       &f->language,   &f->type };
    for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
        free(*texts[i]);
    strlist_release(&f->tags);
}

void test_spec_free(struct test_spec *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->project_id);
    strlist_release(&t->panel.persona_ids);
    free(t->panel.library_id);
    filter_release(&t->panel.filter);
    free(t->panel.description);
    for (size_t i = 0; i < t->n_scenarios; i++)
        scenario_release(&t->scenarios[i]);
    free(t->scenarios);
    strlist_release(&t->moderator_questions);
    free(t->environment);
    free(t->model_name);
    strlist_release(&t->criteria);
    free(t);
}

/* Writes a JSON path into out (n bytes; a longer one is cut). */
static void pathf(char *out, size_t n, const char *fmt, ...) ATTR_PRINTF(3, 4);
static void pathf(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, n, fmt, ap);
    va_end(ap);
}

/* ---- the rules between fields ------------------------------------------------------ */

/* Bytes of s quoted back in a message: at most QUOTE_MAX, cut on a character. */
static int quote_len(const char *s)
{
    return (int)utf8_cut(s, strlen(s), QUOTE_MAX);
}

/*
 * The persona ids, each once (ignoring ASCII case: a UUID may come in
 * either case). Up to TEST_PERSONAS_MAX ids: sorted references rather than
 * every pair compared. The duplicate named is the one whose second
 * occurrence comes first in the list.
 */
struct id_ref {
    const char *id;
    size_t index;
};

static int id_ref_cmp(const void *a, const void *b)
{
    const struct id_ref *x = a, *y = b;
    int c = strcasecmp(x->id, y->id);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

static enum err_code check_personas(const struct test_spec *t, struct err *err)
{
    const struct strlist *ids = &t->panel.persona_ids;
    if (t->panel.kind != PANEL_PERSONAS || ids->n < 2)
        return ERR_OK;
    struct id_ref *refs = xcalloc(ids->n, sizeof(*refs));
    for (size_t i = 0; i < ids->n; i++)
        refs[i] = (struct id_ref){ ids->items[i], i };
    qsort(refs, ids->n, sizeof(*refs), id_ref_cmp);
    size_t first = 0, again = SIZE_MAX;
    for (size_t i = 1; i < ids->n; i++) {
        if (strcasecmp(refs[i - 1].id, refs[i].id) == 0 && refs[i].index < again) {
            first = refs[i - 1].index;
            again = refs[i].index;
        }
    }
    free(refs);
    if (again == SIZE_MAX)
        return ERR_OK;
    char path[64];
    pathf(path, sizeof(path), "config.personas[%zu]", again);
    const char *id = ids->items[again];
    return err_set(err, ERR_INVALID, path,
                   "%s: '%.*s' is already config.personas[%zu] (expected each persona once)", path,
                   quote_len(id), id, first);
}

/* Variants as the test's type wants them, with unique ids. */
static enum err_code check_variants(const struct test_spec *t, size_t si, struct err *err)
{
    const struct test_scenario *s = &t->scenarios[si];
    char path[64];
    pathf(path, sizeof(path), "config.scenarios[%zu].variants", si);
    bool takes = t->type == TEST_PRODUCT || t->type == TEST_MESSAGE;
    if (!takes && s->n_variants)
        return err_set(err, ERR_INVALID, path,
                       "%s: a %s test takes no variants (got %zu); variants are for product and "
                       "message tests",
                       path, test_type_name(t->type), s->n_variants);
    if (t->type == TEST_MESSAGE && !s->n_variants)
        return err_set(err, ERR_INVALID, path,
                       "%s: a message test needs 2 to %d variants in every scenario (got none)",
                       path, TEST_VARIANTS_MAX);
    if (s->n_variants && (s->n_variants < 2 || s->n_variants > TEST_VARIANTS_MAX))
        return err_set(err, ERR_INVALID, path, "%s must have 2 to %d variants (got %zu)", path,
                       TEST_VARIANTS_MAX, s->n_variants);
    for (size_t i = 0; i < s->n_variants; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(s->variants[i].id, s->variants[j].id) == 0) {
                char p[64];
                pathf(p, sizeof(p), "%s[%zu].id", path, i);
                const char *id = s->variants[i].id;
                return err_set(err, ERR_INVALID, p,
                               "%s: '%.*s' is already %s[%zu].id (expected unique ids)", p,
                               quote_len(id), id, path, j);
            }
        }
    }
    return ERR_OK;
}

/* A choice's or ranking's options, each once (ignoring ASCII case). */
static enum err_code check_options(const struct question *q, const char *qpath, struct err *err)
{
    for (size_t i = 0; i < q->options.n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcasecmp(q->options.items[i], q->options.items[j]) == 0) {
                char p[64];
                pathf(p, sizeof(p), "%s.options[%zu]", qpath, i);
                const char *o = q->options.items[i];
                return err_set(err, ERR_INVALID, p,
                               "%s: '%.*s' is already options[%zu] (expected distinct options)", p,
                               quote_len(o), o, j);
            }
        }
    }
    return ERR_OK;
}

/*
 * The first question named id in a scenario before scenario si, or NULL;
 * its scenario's index in *where.
 */
static const struct question *earlier_question(const struct test_spec *t, size_t si, const char *id,
                                               size_t *where)
{
    for (size_t s = 0; s < si; s++) {
        for (size_t q = 0; q < t->scenarios[s].n_questions; q++) {
            if (strcmp(t->scenarios[s].questions[q].id, id) == 0) {
                *where = s;
                return &t->scenarios[s].questions[q];
            }
        }
    }
    return NULL;
}

/* A scenario's questions: some for product and message tests, unique ids, one kind per id. */
static enum err_code check_questions(const struct test_spec *t, size_t si, struct err *err)
{
    const struct test_scenario *s = &t->scenarios[si];
    char path[64];
    pathf(path, sizeof(path), "config.scenarios[%zu].questions", si);
    if ((t->type == TEST_PRODUCT || t->type == TEST_MESSAGE) && !s->n_questions)
        return err_set(err, ERR_INVALID, path,
                       "%s: a %s test needs at least one question in every scenario (got none)",
                       path, test_type_name(t->type));
    for (size_t i = 0; i < s->n_questions; i++) {
        const struct question *q = &s->questions[i];
        char qpath[64];
        pathf(qpath, sizeof(qpath), "%s[%zu]", path, i);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(q->id, s->questions[j].id) == 0) {
                char p[72];
                pathf(p, sizeof(p), "%s.id", qpath);
                return err_set(err, ERR_INVALID, p,
                               "%s: '%.*s' is already %s[%zu].id (expected unique ids in a "
                               "scenario)",
                               p, quote_len(q->id), q->id, path, j);
            }
        }
        size_t where = 0;
        const struct question *e = earlier_question(t, si, q->id, &where);
        if (e && e->kind != q->kind) {
            char p[72];
            pathf(p, sizeof(p), "%s.kind", qpath);
            return err_set(err, ERR_INVALID, p,
                           "%s: question '%.*s' is a %s in config.scenarios[%zu]; expected %s "
                           "everywhere (got %s)",
                           p, quote_len(q->id), q->id, question_kind_name(e->kind), where,
                           question_kind_name(e->kind), question_kind_name(q->kind));
        }
        if (e && e->kind == QUESTION_RATING &&
            (e->scale_min != q->scale_min || e->scale_max != q->scale_max)) {
            char p[72];
            pathf(p, sizeof(p), "%s.scale", qpath);
            return err_set(err, ERR_INVALID, p,
                           "%s: question '%.*s' is rated %d..%d in config.scenarios[%zu]; "
                           "expected the same scale everywhere (got %d..%d)",
                           p, quote_len(q->id), q->id, e->scale_min, e->scale_max, where,
                           q->scale_min, q->scale_max);
        }
        enum err_code rc = check_options(q, qpath, err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

static enum err_code check_scenarios(const struct test_spec *t, struct err *err)
{
    for (size_t i = 0; i < t->n_scenarios; i++) {
        const struct test_scenario *s = &t->scenarios[i];
        for (size_t j = 0; j < i; j++) {
            if (strcmp(s->id, t->scenarios[j].id) == 0) {
                char p[64];
                pathf(p, sizeof(p), "config.scenarios[%zu].id", i);
                return err_set(err, ERR_INVALID, p,
                               "%s: '%.*s' is already config.scenarios[%zu].id (expected unique "
                               "ids)",
                               p, quote_len(s->id), s->id, j);
            }
        }
        enum err_code rc = check_variants(t, i, err);
        if (!rc)
            rc = check_questions(t, i, err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

static enum err_code check_moderator(const struct test_spec *t, struct err *err)
{
    bool has = t->moderator_rounds > 0 || t->moderator_questions.n > 0;
    if (t->type == TEST_FOCUS_GROUP && !has)
        return err_set(err, ERR_INVALID, "config.moderator",
                       "config.moderator is required for a focus_group test: {\"questions\": "
                       "[...], \"rounds\": 1..%d} (got none)",
                       TEST_ROUNDS_MAX);
    if (t->type != TEST_FOCUS_GROUP && has)
        return err_set(err, ERR_INVALID, "config.moderator",
                       "config.moderator: only a focus_group test takes a moderator (this is a "
                       "%s test)",
                       test_type_name(t->type));
    if (t->type != TEST_FOCUS_GROUP)
        return ERR_OK;
    if (t->panel.kind == PANEL_PERSONAS &&
        (t->panel.persona_ids.n < 2 || t->panel.persona_ids.n > TEST_FOCUS_GROUP_MAX))
        return err_set(err, ERR_INVALID, "config.personas",
                       "config.personas: a focus group seats 2 to %d personas (got %zu)",
                       TEST_FOCUS_GROUP_MAX, t->panel.persona_ids.n);
    if (t->panel.kind == PANEL_GENERATE &&
        (t->panel.generate < 2 || t->panel.generate > TEST_FOCUS_GROUP_MAX))
        return err_set(err, ERR_INVALID, "config.panel.generate",
                       "config.panel.generate: a focus group seats 2 to %d personas (got %d)",
                       TEST_FOCUS_GROUP_MAX, t->panel.generate);
    return ERR_OK;
}

/* ---- success criteria -------------------------------------------------------------- */

static enum criteria_kind criteria_kind_of(enum question_kind k)
{
    switch (k) {
    case QUESTION_RATING:
        return CRITERIA_RATING;
    case QUESTION_CHOICE:
        return CRITERIA_CHOICE;
    case QUESTION_YES_NO:
        return CRITERIA_YES_NO;
    case QUESTION_RANKING:
        return CRITERIA_RANKING;
    case QUESTION_TEXT:
    case QUESTION_COUNT_:
        break;
    }
    return CRITERIA_TEXT;
}

/*
 * What criteria may name: every question id once (its options the union
 * over the scenarios that ask it), every variant id once. Strings are
 * borrowed from the spec.
 */
struct env_build {
    struct criteria_question *questions;
    const char ***options; /* options[i]: the options of questions[i] */
    size_t *cap;           /* cap[i]: room in options[i] */
    size_t n_questions;
    const char **variants;
    size_t n_variants;
};

/* The index of question id in b, added (with kind) when new. */
static size_t env_slot(struct env_build *b, const struct question *q)
{
    size_t i = 0;
    while (i < b->n_questions && strcmp(b->questions[i].id, q->id) != 0)
        i++;
    if (i == b->n_questions)
        b->questions[b->n_questions++] =
            (struct criteria_question){ .id = q->id, .kind = criteria_kind_of(q->kind) };
    return i;
}

static void env_add_options(struct env_build *b, const struct question *q)
{
    size_t i = env_slot(b, q);
    struct criteria_question *cq = &b->questions[i];
    for (size_t o = 0; o < q->options.n; o++) {
        bool seen = false;
        for (size_t k = 0; k < cq->n_options && !seen; k++)
            seen = strcmp(b->options[i][k], q->options.items[o]) == 0;
        if (!seen && cq->n_options < b->cap[i])
            b->options[i][cq->n_options++] = q->options.items[o];
    }
    cq->options = (const char *const *)b->options[i];
}

static void env_add_variant(struct env_build *b, const char *id)
{
    for (size_t i = 0; i < b->n_variants; i++)
        if (strcmp(b->variants[i], id) == 0)
            return;
    b->variants[b->n_variants++] = id;
}

static void env_build(const struct test_spec *t, struct env_build *b, struct criteria_env *env)
{
    size_t n_q = 0, n_v = 0;
    for (size_t s = 0; s < t->n_scenarios; s++) {
        n_q += t->scenarios[s].n_questions;
        n_v += t->scenarios[s].n_variants;
    }
    *b = (struct env_build){ 0 };
    b->questions = xcalloc(n_q ? n_q : 1, sizeof(*b->questions));
    b->options = xcalloc(n_q ? n_q : 1, sizeof(*b->options));
    b->cap = xcalloc(n_q ? n_q : 1, sizeof(*b->cap));
    b->variants = xcalloc(n_v ? n_v : 1, sizeof(*b->variants));
    /* first the ids and the room their options need, then the options */
    for (size_t s = 0; s < t->n_scenarios; s++) {
        const struct test_scenario *sc = &t->scenarios[s];
        for (size_t q = 0; q < sc->n_questions; q++)
            b->cap[env_slot(b, &sc->questions[q])] += sc->questions[q].options.n;
        for (size_t v = 0; v < sc->n_variants; v++)
            env_add_variant(b, sc->variants[v].id);
    }
    for (size_t i = 0; i < b->n_questions; i++)
        b->options[i] = b->cap[i] ? xcalloc(b->cap[i], sizeof(char *)) : NULL;
    for (size_t s = 0; s < t->n_scenarios; s++)
        for (size_t q = 0; q < t->scenarios[s].n_questions; q++)
            env_add_options(b, &t->scenarios[s].questions[q]);
    *env = (struct criteria_env){ .questions = b->questions,
                                  .n_questions = b->n_questions,
                                  .variants = b->n_variants ? b->variants : NULL,
                                  .n_variants = b->n_variants };
}

static void env_release(struct env_build *b)
{
    for (size_t i = 0; i < b->n_questions; i++)
        free(b->options[i]);
    free(b->options);
    free(b->cap);
    free(b->questions);
    free(b->variants);
}

/* Each criterion parsed against the questions and variants; the parser's message kept. */
static enum err_code check_criteria(const struct test_spec *t, struct err *err)
{
    if (!t->criteria.n)
        return ERR_OK;
    struct env_build b;
    struct criteria_env env;
    env_build(t, &b, &env);
    enum err_code rc = ERR_OK;
    for (size_t i = 0; i < t->criteria.n && !rc; i++) {
        struct criterion *c = NULL;
        rc = criterion_parse(t->criteria.items[i], &env, &c, err);
        criterion_free(c);
        if (rc) {
            char path[64];
            pathf(path, sizeof(path), "config.success_criteria[%zu]", i);
            err_recast(err, ERR_INVALID, path);
            err_prefix(err, path);
        }
    }
    env_release(&b);
    return rc;
}

enum err_code test_spec_check(const struct test_spec *t, struct err *err)
{
    enum err_code rc = check_personas(t, err);
    if (!rc)
        rc = check_scenarios(t, err);
    if (!rc)
        rc = check_moderator(t, err);
    if (!rc)
        rc = check_criteria(t, err);
    return rc;
}
