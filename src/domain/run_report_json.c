/*
 * domain/run_report_json.c - the JSON side of a run's report
 * (domain/run_report.h): rows' answers read against the test's questions
 * into report/report.h's input, the insights merged into the document,
 * and the rows as CSV.
 */
#include "core/compat.h"

#include <math.h>

#include "core/jsonio.h"
#include "core/xalloc.h"
#include "domain/run_report_internal.h"
#include "report/csv.h"
#include "report/report.h"

/* ---- where a row belongs ----------------------------------------------------------------------
 */

/* The member index of id, or SIZE_MAX. */
static size_t member_index(const struct run_member *members, size_t n, const char *id)
{
    for (size_t m = 0; m < n; m++)
        if (strcmp(members[m].id, id) == 0)
            return m;
    return SIZE_MAX;
}

/* The scenario and variant of key "<scenario>[/<variant>]"; false when the test has none. */
static bool slot_of(const struct test_spec *t, const char *key, size_t *scenario, int *variant)
{
    const char *slash = strchr(key, '/');
    size_t len = slash ? (size_t)(slash - key) : strlen(key);
    for (size_t s = 0; s < t->n_scenarios; s++) {
        const struct test_scenario *sc = &t->scenarios[s];
        if (strlen(sc->id) != len || strncmp(sc->id, key, len) != 0)
            continue;
        *scenario = s;
        *variant = -1;
        if (!slash)
            return sc->n_variants == 0;
        for (size_t v = 0; v < sc->n_variants; v++)
            if (strcmp(sc->variants[v].id, slash + 1) == 0) {
                *variant = (int)v;
                return true;
            }
        return false;
    }
    return false;
}

/* ---- the report's input -----------------------------------------------------------------------
 */

static enum report_kind kind_of(enum question_kind k)
{
    switch (k) {
    case QUESTION_RATING:
        return REPORT_RATING;
    case QUESTION_CHOICE:
        return REPORT_CHOICE;
    case QUESTION_YES_NO:
        return REPORT_YES_NO;
    case QUESTION_RANKING:
        return REPORT_RANKING;
    case QUESTION_TEXT:
    default:
        return REPORT_TEXT;
    }
}

/* Everything the input points to, owned here until the report is built. */
struct input_store {
    struct report_scenario *scenarios;
    struct report_question **questions;
    const char ***variants;
    struct report_member *members;
    char (*countries)[8];
    struct report_answer *answers;
    size_t n_answers, alloc_answers;
    struct report_unit *units;
    size_t n_units, alloc_units;
    json_t **docs; /* the rows' answers, parsed (answers' texts point into them) */
    const char ***rankings;
    size_t n_rankings, alloc_rankings;
    struct report_theme *themes;
    struct report_ref **theme_refs;
    size_t n_themes;
};

static void scenarios_in(const struct test_spec *t, struct input_store *st)
{
    st->scenarios = xcalloc(t->n_scenarios ? t->n_scenarios : 1, sizeof(*st->scenarios));
    st->questions = xcalloc(t->n_scenarios ? t->n_scenarios : 1, sizeof(*st->questions));
    st->variants = xcalloc(t->n_scenarios ? t->n_scenarios : 1, sizeof(*st->variants));
    for (size_t s = 0; s < t->n_scenarios; s++) {
        const struct test_scenario *sc = &t->scenarios[s];
        st->questions[s] = xcalloc(sc->n_questions ? sc->n_questions : 1, sizeof(**st->questions));
        for (size_t q = 0; q < sc->n_questions; q++) {
            const struct question *qu = &sc->questions[q];
            st->questions[s][q] = (struct report_question){
                .id = qu->id,
                .prompt = qu->prompt,
                .kind = kind_of(qu->kind),
                .scale_min = qu->scale_min,
                .scale_max = qu->scale_max,
                .options = (const char *const *)qu->options.items,
                .n_options = qu->options.n,
            };
        }
        st->variants[s] = xcalloc(sc->n_variants ? sc->n_variants : 1, sizeof(**st->variants));
        for (size_t v = 0; v < sc->n_variants; v++)
            st->variants[s][v] = sc->variants[v].id;
        st->scenarios[s] = (struct report_scenario){ .id = sc->id,
                                                     .title = sc->title,
                                                     .variants = st->variants[s],
                                                     .n_variants = sc->n_variants,
                                                     .questions = st->questions[s],
                                                     .n_questions = sc->n_questions };
    }
}

void run_report_member(const struct run_member *m, struct report_member *out)
{
    const struct persona *p = m->persona;
    *out = (struct report_member){
        .id = m->id,
        .name = p ? p->name : NULL,
        .age = p ? p->age : 0,
        .gender = p ? p->gender : NULL,
        .country = p ? p->residence : NULL,
        .income = p ? persona_income_name(p->income) : NULL,
        .occupation = p ? p->occupation_title : NULL,
    };
}

static void members_in(const struct run_member *members, size_t n, struct input_store *st)
{
    st->members = xcalloc(n ? n : 1, sizeof(*st->members));
    for (size_t m = 0; m < n; m++)
        run_report_member(&members[m], &st->members[m]);
}

/* The answers of row r (member m, scenario s, variant v) read into st. */
static void answers_in(const struct test_scenario *sc, const json_t *doc, size_t m, size_t s, int v,
                       struct input_store *st)
{
    for (size_t q = 0; q < sc->n_questions; q++) {
        const struct question *qu = &sc->questions[q];
        const json_t *a = json_object_get(doc, qu->id);
        if (!a || json_is_null(a))
            continue;
        struct report_answer ans = {
            .member = m, .scenario = s, .variant = v, .question = q, .number = NAN
        };
        if (qu->kind == QUESTION_RATING) {
            if (!json_is_number(a))
                continue;
            ans.number = json_number_value(a);
        } else if (qu->kind == QUESTION_RANKING) {
            if (!json_is_array(a))
                continue;
            const char **items = xcalloc(json_array_size(a) + 1, sizeof(*items));
            size_t i;
            const json_t *it;
            json_array_foreach (a, i, it)
                items[ans.n_ranking++] = json_string_value(it) ? json_string_value(it) : "";
            ALLOC_GROW(st->rankings, st->n_rankings + 1, st->alloc_rankings);
            st->rankings[st->n_rankings++] = items;
            ans.ranking = items;
        } else {
            if (!json_is_string(a))
                continue;
            ans.text = json_string_value(a);
        }
        ALLOC_GROW(st->answers, st->n_answers + 1, st->alloc_answers);
        st->answers[st->n_answers++] = ans;
    }
}

static enum err_code rows_in(const struct test_spec *t, const struct run_member *members,
                             size_t n_members, const struct run_rows *rows, struct input_store *st,
                             struct err *err)
{
    st->docs = xcalloc(rows->n ? rows->n : 1, sizeof(*st->docs));
    for (size_t i = 0; i < rows->n; i++) {
        const struct run_row *r = &rows->rows[i];
        size_t m = member_index(members, n_members, r->member_id), s = 0;
        int v = -1;
        if (m == SIZE_MAX || !slot_of(t, r->key, &s, &v))
            continue; /* a row of a member or key the test no longer has */
        enum err_code rc = jsonio_parse(r->answers ? r->answers : "{}",
                                        r->answers ? strlen(r->answers) : 2, &st->docs[i], err);
        if (rc) {
            err_prefix(err, "a stored result's answers");
            return rc;
        }
        answers_in(&t->scenarios[s], st->docs[i], m, s, v, st);
        if (r->sample != 0)
            continue;
        ALLOC_GROW(st->units, st->n_units + 1, st->alloc_units);
        st->units[st->n_units++] = (struct report_unit){
            .member = m,
            .scenario = s,
            .variant = v,
            .abandoned = r->abandoned,
            .reason = r->reason,
            .error = r->error,
        };
    }
    return ERR_OK;
}

static void themes_in(const struct run_themes *themes, const struct run_rows *rows,
                      struct input_store *st)
{
    st->themes = xcalloc(themes->n ? themes->n : 1, sizeof(*st->themes));
    st->theme_refs = xcalloc(themes->n ? themes->n : 1, sizeof(*st->theme_refs));
    for (size_t i = 0; i < themes->n; i++) {
        const struct run_theme *t = &themes->themes[i];
        struct report_ref *refs = xcalloc(t->n_rows + 1, sizeof(*refs));
        for (size_t k = 0; k < t->n_rows; k++) {
            const struct run_row *r = &rows->rows[t->rows[k]];
            refs[k] = (struct report_ref){ r->member_id, r->key, r->sample };
        }
        st->theme_refs[i] = refs;
        st->themes[i] = (struct report_theme){ .name = t->name,
                                               .sentiment = t->sentiment,
                                               .count = t->count,
                                               .quotes = (const char *const *)t->quotes.items,
                                               .n_quotes = t->quotes.n,
                                               .answers = refs,
                                               .n_answers = t->n_rows };
    }
    st->n_themes = themes->n;
}

static void input_store_release(struct input_store *st, const struct test_spec *t, size_t n_rows)
{
    for (size_t s = 0; s < t->n_scenarios; s++) {
        free(st->questions[s]);
        free(st->variants[s]);
    }
    free(st->questions);
    free(st->variants);
    free(st->scenarios);
    free(st->members);
    free(st->answers);
    free(st->units);
    for (size_t i = 0; st->docs && i < n_rows; i++)
        json_decref(st->docs[i]);
    free(st->docs);
    for (size_t i = 0; i < st->n_rankings; i++)
        free(st->rankings[i]);
    free(st->rankings);
    for (size_t i = 0; i < st->n_themes; i++)
        free(st->theme_refs[i]);
    free(st->theme_refs);
    free(st->themes);
}

enum err_code run_report_build(const char *test_id, const struct test_spec *t,
                               const struct run_member *members, size_t n_members,
                               const struct run_rows *rows, const struct run_lines *transcript,
                               const struct run_facts *facts, bool segments,
                               const struct run_themes *themes, char **out, struct err *err)
{
    struct input_store st = { 0 };
    scenarios_in(t, &st);
    members_in(members, n_members, &st);
    themes_in(themes, rows, &st);
    enum err_code rc = rows_in(t, members, n_members, rows, &st, err);
    size_t n_lines = transcript ? transcript->n : 0;
    struct report_line *lines = xcalloc(n_lines ? n_lines : 1, sizeof(*lines));
    for (size_t i = 0; i < n_lines; i++)
        lines[i] = (struct report_line){ .speaker = transcript->lines[i].speaker,
                                         .text = transcript->lines[i].text,
                                         .scenario = transcript->lines[i].scenario,
                                         .round = transcript->lines[i].round };
    if (!rc) {
        struct report_input in = {
            .test_id = test_id,
            .test_name = t->name,
            .test_type = test_type_name(t->type),
            .run_id = facts->run_id,
            .run_status = facts->status,
            .model = facts->model,
            .offline = facts->offline,
            .seed = facts->seed,
            .calls = facts->calls,
            .cache_hits = facts->cache_hits,
            .tokens_in = facts->tokens_in,
            .tokens_out = facts->tokens_out,
            .cost_micros = facts->cost_micros,
            .started_at_ms = facts->started_at_ms,
            .finished_at_ms = facts->finished_at_ms,
            .scenarios = st.scenarios,
            .n_scenarios = t->n_scenarios,
            .members = st.members,
            .n_members = n_members,
            .answers = st.answers,
            .n_answers = st.n_answers,
            .units = st.units,
            .n_units = st.n_units,
            .criteria = (const char *const *)t->criteria.items,
            .n_criteria = t->criteria.n,
            .themes = st.themes,
            .n_themes = themes->n,
            .transcript = lines,
            .n_transcript = n_lines,
            .segments = segments,
        };
        rc = report_build(&in, out, NULL, err);
    }
    free(lines);
    input_store_release(&st, t, rows->n);
    return rc;
}

char *run_report_stable(const char *report)
{
    json_t *doc = json_loads(report, 0, NULL);
    if (!doc)
        return xstrdup(report);
    json_t *run = json_object_get(doc, "run");
    static const char *const volatile_keys[] = { "id",         "status",     "calls",
                                                 "cache_hits", "tokens_in",  "tokens_out",
                                                 "cost_usd",   "duration_s", "started_at",
                                                 "finished_at" };
    for (size_t i = 0; json_is_object(run) && i < ARRAY_SIZE(volatile_keys); i++)
        json_object_del(run, volatile_keys[i]);
    char *s = jsonio_dump(doc, 0, NULL);
    json_decref(doc);
    return s;
}

char *run_report_finish(const char *report, const char *themes_error,
                        const struct run_insights *insights)
{
    json_t *doc = json_loads(report, 0, NULL);
    if (!doc)
        return xstrdup(report); /* report_build's own text always parses */
    json_t *o = json_object();
    if (insights->summary) {
        jsonio_set_str(o, "summary", insights->summary);
        json_t *h = json_array();
        for (size_t i = 0; i < insights->highlights.n; i++)
            json_array_append_new(h, jsonio_string(insights->highlights.items[i],
                                                   strlen(insights->highlights.items[i])));
        jsonio_set_new(o, "highlights", h);
        jsonio_set_str(o, "model", insights->model);
    } else {
        jsonio_set_str(o, "dropped", insights->dropped);
    }
    jsonio_set_new(doc, "insights", o);
    if (themes_error)
        jsonio_set_str(doc, "themes_error", themes_error);
    char *s = jsonio_dump(doc, 0, NULL);
    json_decref(doc);
    return s;
}

enum err_code run_lines_from_events(const char *const *data, size_t n, struct run_lines *out,
                                    struct err *err)
{
    for (size_t i = 0; i < n; i++) {
        json_t *e = NULL;
        enum err_code rc = jsonio_parse(data[i], strlen(data[i]), &e, err);
        if (rc)
            return rc;
        const json_t *round = json_object_get(e, "round");
        struct run_said l = { .member_id = json_string_value(json_object_get(e, "persona_id")),
                              .speaker = json_string_value(json_object_get(e, "speaker")),
                              .target = json_string_value(json_object_get(e, "target")),
                              .text = json_string_value(json_object_get(e, "text")),
                              .scenario = json_string_value(json_object_get(e, "scenario")),
                              .round =
                                  json_is_integer(round) ? (int)json_integer_value(round) : 0 };
        run_lines_add(out, &l);
        json_decref(e);
    }
    return ERR_OK;
}

/* Tags the rows that theme t (of sentiment) covers. */
static void tag_theme(const json_t *t, const char *sentiment, struct run_row *rows, size_t n)
{
    const char *name = json_string_value(json_object_get(t, "name"));
    const json_t *answers = json_object_get(t, "answers"), *a;
    size_t i;
    json_array_foreach (answers, i, a) {
        const char *who = json_string_value(json_object_get(a, "persona_id"));
        const char *key = json_string_value(json_object_get(a, "scenario"));
        json_int_t sample = json_integer_value(json_object_get(a, "sample"));
        for (size_t r = 0; name && who && key && r < n; r++) {
            if (rows[r].theme || rows[r].sample != sample || strcmp(rows[r].member_id, who) ||
                strcmp(rows[r].key, key))
                continue;
            rows[r].theme = xstrdup(name);
            rows[r].sentiment = xstrdup(sentiment);
        }
    }
}

void run_rows_tag_themes(const char *report, struct run_row *rows, size_t n)
{
    json_t *doc = report ? json_loads(report, 0, NULL) : NULL;
    const json_t *themes = json_object_get(doc, "themes");
    static const char *const sentiments[] = { "positive", "negative", "neutral" };
    for (size_t k = 0; k < ARRAY_SIZE(sentiments); k++) {
        const json_t *list = json_object_get(themes, sentiments[k]), *t;
        size_t i;
        json_array_foreach (list, i, t)
            tag_theme(t, sentiments[k], rows, n);
    }
    json_decref(doc);
}

char *run_report_lock_segments(const char *report)
{
    json_t *doc = json_loads(report, 0, NULL);
    if (!doc)
        return xstrdup(report);
    jsonio_set_new(doc, "segments", json_null());
    jsonio_set_str(doc, "segments_locked", "advanced_analytics");
    char *s = jsonio_dump(doc, 0, NULL);
    json_decref(doc);
    return s;
}

/* ---- CSV ------------------------------------------------------------------------------------- */

static const char *const CSV_HEADER[] = { "run_id",  "persona_id", "persona_name", "scenario",
                                          "variant", "sample",     "question_id",  "question_kind",
                                          "answer",  "abandoned",  "reason",       "error" };

/* A ranking as "a > b > c". */
static void ranking_text(const json_t *a, struct buf *b)
{
    size_t i;
    const json_t *it;
    json_array_foreach (a, i, it) {
        if (i)
            buf_adds(b, " > ");
        buf_adds(b, json_string_value(it) ? json_string_value(it) : "");
    }
}

static void csv_row_start(struct csv *c, const char *run_id, const struct run_row *r,
                          const char *name, const struct test_spec *t, size_t s, int v)
{
    csv_begin_row(c);
    csv_add_text(c, run_id);
    csv_add_text(c, r->member_id);
    csv_add_text(c, name);
    csv_add_text(c, t->scenarios[s].id);
    csv_add_text(c, v >= 0 ? t->scenarios[s].variants[v].id : NULL);
    csv_add_number(c, r->sample);
}

static void csv_row_end(struct csv *c, const struct run_row *r)
{
    csv_add_text(c, r->abandoned ? "yes" : "no");
    csv_add_text(c, r->reason);
    csv_add_text(c, r->error);
    csv_end_row(c);
}

enum err_code run_rows_csv(const char *run_id, const struct test_spec *t,
                           const struct run_member *members, size_t n_members,
                           const struct run_rows *rows, struct buf *out, struct err *err)
{
    struct csv c;
    csv_init(&c, out);
    csv_add_row(&c, CSV_HEADER, ARRAY_SIZE(CSV_HEADER));
    for (size_t i = 0; i < rows->n; i++) {
        const struct run_row *r = &rows->rows[i];
        size_t s = 0, m = member_index(members, n_members, r->member_id);
        int v = -1;
        if (!slot_of(t, r->key, &s, &v))
            continue;
        const char *name = m == SIZE_MAX || !members[m].persona ? NULL : members[m].persona->name;
        json_t *doc = NULL;
        enum err_code rc = jsonio_parse(r->answers ? r->answers : "{}",
                                        r->answers ? strlen(r->answers) : 2, &doc, err);
        if (rc)
            return rc;
        const struct test_scenario *sc = &t->scenarios[s];
        size_t written = 0;
        for (size_t q = 0; q < sc->n_questions; q++) {
            const json_t *a = json_object_get(doc, sc->questions[q].id);
            if (!a)
                continue;
            csv_row_start(&c, run_id, r, name, t, s, v);
            csv_add_text(&c, sc->questions[q].id);
            csv_add_text(&c, question_kind_name(sc->questions[q].kind));
            if (json_is_number(a)) {
                csv_add_number(&c, json_number_value(a));
            } else if (json_is_array(a)) {
                struct buf b;
                buf_init(&b, 1 << 20);
                ranking_text(a, &b);
                csv_add_text(&c, b.data ? b.data : "");
                buf_release(&b);
            } else {
                csv_add_text(&c, json_string_value(a));
            }
            csv_row_end(&c, r);
            written++;
        }
        if (!written) {
            csv_row_start(&c, run_id, r, name, t, s, v);
            csv_add_null(&c);
            csv_add_null(&c);
            csv_add_null(&c);
            csv_row_end(&c, r);
        }
        json_decref(doc);
    }
    if (out->failed)
        return err_set(err, ERR_TOO_LARGE, NULL, "the CSV export is larger than it may be");
    return ERR_OK;
}
