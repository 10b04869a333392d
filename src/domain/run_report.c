/*
 * domain/run_report.c - a run's report made from its rows (domain/run_report.h):
 * the rows of a step's units, the themes of what the personas said and
 * the grounded insights summary asked of the model; the JSON side (rows'
 * answers read, the report input built, the summary merged in, the CSV)
 * is in run_report_json.c.
 */
#include "core/compat.h"

#include "domain/run_report.h"

#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/run_report_internal.h"
#include "engine/analysis.h"
#include "report/grounding.h"

/* ---- rows ------------------------------------------------------------------------------------ */

#define ROW_TEXT_MAX (4 * 1024 * 1024)

/* The answers of one sample of a unit as a JSON object. */
static char *answers_json(const struct survey_unit_result *r, int sample)
{
    struct buf b;
    buf_init(&b, ROW_TEXT_MAX);
    buf_addch(&b, '{');
    bool first = true;
    for (size_t i = 0; i < r->n_rows; i++) {
        const struct survey_row *row = &r->rows[i];
        if (row->sample != sample)
            continue;
        buf_adds(&b, first ? "" : ",");
        first = false;
        buf_add_json_string(&b, row->question_id);
        buf_addch(&b, ':');
        if (row->kind == QUESTION_RATING) {
            buf_addf(&b, "%.10g", row->rating);
        } else if (row->kind == QUESTION_RANKING) {
            buf_addch(&b, '[');
            for (size_t k = 0; k < row->ranking.n; k++) {
                buf_adds(&b, k ? "," : "");
                buf_add_json_string(&b, row->ranking.items[k]);
            }
            buf_addch(&b, ']');
        } else {
            buf_add_json_string(&b, row->text);
        }
    }
    buf_addch(&b, '}');
    char *s = buf_detach(&b, NULL);
    buf_release(&b);
    return s;
}

/* The samples a unit has: its rows' highest sample + 1 (1 for a unit without rows). */
static int samples_of(const struct survey_unit_result *r)
{
    int n = 1;
    for (size_t i = 0; i < r->n_rows; i++)
        n = r->rows[i].sample + 1 > n ? r->rows[i].sample + 1 : n;
    return n;
}

/*
 * What a unit's sample thought or said: item i when there is one per
 * sample; all of them, in order, for a unit of one sample that has several
 * (a journey turn may THINK twice; a focus group member speaks every
 * round). malloc'd, or NULL when there is none.
 */
static char *said(const struct strlist *l, int i, int samples)
{
    if (samples > 1 || l->n <= 1)
        return i >= 0 && (size_t)i < l->n ? xstrdup(l->items[i]) : NULL;
    struct buf b;
    buf_init(&b, ROW_TEXT_MAX);
    for (size_t k = 0; k < l->n; k++) {
        if (k)
            buf_addch(&b, ' ');
        buf_adds(&b, l->items[k]);
    }
    char *s = buf_detach(&b, NULL);
    buf_release(&b);
    return s;
}

void run_rows_add_unit(struct run_rows *out, const struct run_unit_done *u)
{
    const struct survey_unit_result *r = u->result;
    int samples = samples_of(r);
    for (int sample = 0; sample < samples; sample++) {
        ALLOC_GROW(out->rows, out->n + 1, out->alloc);
        out->rows[out->n++] = (struct run_row){
            .member_id = xstrdup(u->member_id),
            .key = xstrdup(u->key),
            .sample = sample,
            .answers = answers_json(r, sample),
            .thought = said(&r->thoughts, sample, samples),
            .talk = said(&r->talk, sample, samples),
            .abandoned = u->abandoned,
            .reason = xstrdup_or_null(u->reason),
            .error = r->code ? xstrdup(r->err.msg) : NULL,
            .model = xstrdup_or_null(r->model),
            .tokens_in = sample ? 0 : r->usage.tokens_in,
            .tokens_out = sample ? 0 : r->usage.tokens_out,
            .cost_micros = sample ? 0 : r->usage.cost_micros,
        };
    }
}

void run_row_release(struct run_row *x)
{
    free(x->member_id);
    free(x->key);
    free(x->answers);
    free(x->thought);
    free(x->talk);
    free(x->reason);
    free(x->error);
    free(x->model);
    free(x->theme);
    free(x->sentiment);
}

void run_rows_release(struct run_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        run_row_release(&r->rows[i]);
    free(r->rows);
    memset(r, 0, sizeof(*r));
}

void run_lines_add(struct run_lines *out, const struct run_said *l)
{
    ALLOC_GROW(out->lines, out->n + 1, out->alloc);
    out->lines[out->n++] = (struct run_line){ .member_id = xstrdup_or_null(l->member_id),
                                              .speaker = xstrdup_or_null(l->speaker),
                                              .target = xstrdup_or_null(l->target),
                                              .text = xstrdup_or_null(l->text),
                                              .scenario = xstrdup_or_null(l->scenario),
                                              .round = l->round };
}

void run_lines_release(struct run_lines *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct run_line *x = &l->lines[i];
        free(x->member_id);
        free(x->speaker);
        free(x->target);
        free(x->text);
        free(x->scenario);
    }
    free(l->lines);
    memset(l, 0, sizeof(*l));
}

/* ---- themes ---------------------------------------------------------------------------------- */

/*
 * A quote of text: all of it, or - past RUN_REPORT_QUOTE_CHARS characters
 * (a focus group member's whole discussion) - its start, cut at a word,
 * with an ellipsis.
 */
static void add_quote(struct strlist *quotes, const char *text)
{
    size_t len = strlen(text), keep = utf8_prefix(text, len, RUN_REPORT_QUOTE_CHARS);
    if (keep == len) {
        strlist_add(quotes, text);
        return;
    }
    size_t cut = keep;
    while (cut > keep / 2 && text[cut] != ' ')
        cut--;
    if (text[cut] != ' ')
        cut = keep;
    char *q = xmalloc(cut + 4);
    memcpy(q, text, cut);
    memcpy(q + cut, "\xe2\x80\xa6", 4); /* "…" and the NUL */
    strlist_add(quotes, q);
    free(q);
}

/*
 * The themes of what the personas said (the first RUN_REPORT_THEME_TEXTS
 * talks in row order), each with up to RUN_REPORT_QUOTES quotes. A failed
 * call leaves *n at 0 and its reason in why.
 */
static void themes_of(const struct engine *e, const struct run_rows *rows,
                      struct engine_usage *usage, struct run_themes *out, struct err *why)
{
    struct strlist texts = { 0 };
    size_t *row_of = xcalloc(RUN_REPORT_THEME_TEXTS, sizeof(*row_of)); /* text -> its row */
    for (size_t i = 0; i < rows->n && texts.n < RUN_REPORT_THEME_TEXTS; i++)
        if (rows->rows[i].talk && *rows->rows[i].talk) {
            row_of[texts.n] = i;
            strlist_add(&texts, rows->rows[i].talk);
        }
    struct analysis_themes th;
    if (analysis_normalize(e, &texts, RUN_REPORT_THEMES, "en", usage, &th, why) == ERR_OK) {
        out->themes = xcalloc(th.n_themes ? th.n_themes : 1, sizeof(*out->themes));
        for (size_t t = 0; t < th.n_themes; t++) {
            struct run_theme *rt = &out->themes[out->n++];
            rt->name = xstrdup(th.themes[t].name);
            rt->sentiment = th.themes[t].sentiment == ANALYSIS_POSITIVE   ? 1
                            : th.themes[t].sentiment == ANALYSIS_NEGATIVE ? -1
                                                                          : 0;
            rt->count = th.themes[t].n_answers;
            for (size_t q = 0; q < th.themes[t].n_answers && q < RUN_REPORT_QUOTES; q++)
                add_quote(&rt->quotes, texts.items[th.themes[t].answers[q]]);
            rt->rows = xcalloc(th.themes[t].n_answers + 1, sizeof(*rt->rows));
            for (size_t a = 0; a < th.themes[t].n_answers; a++)
                rt->rows[rt->n_rows++] = row_of[th.themes[t].answers[a]];
        }
    }
    analysis_themes_release(&th);
    strlist_release(&texts);
    free(row_of);
}

void run_themes_release(struct run_themes *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->themes[i].name);
        strlist_release(&t->themes[i].quotes);
        free(t->themes[i].rows);
    }
    free(t->themes);
    memset(t, 0, sizeof(*t));
}

/* ---- insights -------------------------------------------------------------------------------- */

/*
 * The model's summary of report (its stable part: run_report_stable),
 * grounded in the whole report: asked again (another seed) when it states
 * a number the report does not hold, then dropped with a note.
 */
static void insights_of(const struct engine *e, const char *report, struct engine_usage *usage,
                        struct run_insights *out)
{
    char bad[64] = "";
    char *stable = run_report_stable(report);
    for (int attempt = 1; attempt <= 2; attempt++) {
        struct analysis_insights x;
        struct err why = ERR_INIT;
        if (analysis_insights(e, stable, "en", (uint64_t)attempt, usage, &x, &why)) {
            free(stable);
            snprintf(out->dropped, sizeof(out->dropped),
                     "the model could not write a summary: %.200s", why.msg);
            return;
        }
        bool grounded = report_grounded(report, strlen(report), x.summary, bad, sizeof(bad));
        for (size_t i = 0; grounded && i < x.highlights.n; i++)
            grounded =
                report_grounded(report, strlen(report), x.highlights.items[i], bad, sizeof(bad));
        if (grounded) {
            out->summary = x.summary;
            out->highlights = x.highlights;
            out->model = x.model;
            x.summary = x.model = NULL;
            memset(&x.highlights, 0, sizeof(x.highlights));
            analysis_insights_release(&x);
            free(stable);
            return;
        }
        analysis_insights_release(&x);
    }
    free(stable);
    snprintf(out->dropped, sizeof(out->dropped),
             "the summary was dropped: twice it stated a number the results do not hold (%s)", bad);
}

void run_insights_release(struct run_insights *x)
{
    free(x->summary);
    free(x->model);
    strlist_release(&x->highlights);
    memset(x, 0, sizeof(*x));
}

/* ---- the report -------------------------------------------------------------------------------
 */

enum err_code run_report_make(const struct engine *e, const char *test_id,
                              const struct test_spec *t, const struct run_member *members,
                              size_t n_members, const struct run_rows *rows,
                              const struct run_lines *transcript, const struct run_facts *facts,
                              bool segments, struct engine_usage *usage, char **out,
                              struct err *err)
{
    *out = NULL;
    struct run_themes themes = { 0 };
    struct err themes_why = ERR_INIT;
    if (e)
        themes_of(e, rows, usage, &themes, &themes_why);
    char *report = NULL;
    enum err_code rc = run_report_build(test_id, t, members, n_members, rows, transcript, facts,
                                        segments, &themes, &report, err);
    run_themes_release(&themes);
    if (rc)
        return rc;
    struct run_insights insights = { 0 };
    if (e)
        insights_of(e, report, usage, &insights);
    else
        snprintf(insights.dropped, sizeof(insights.dropped), "no model was asked for a summary");
    *out = run_report_finish(report, themes_why.msg[0] ? themes_why.msg : NULL, &insights);
    run_insights_release(&insights);
    free(report);
    return ERR_OK;
}
