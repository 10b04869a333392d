/*
 * report/report.c - a run's report (report/report.h): the answers grouped
 * by question, slot, variant and segment, each group's statistics from
 * report/stats.h, the criteria evaluated with report/criteria.h, written
 * as one JSON document with its numbers rounded for reading.
 */
#include "core/compat.h"

#include "report/report.h"

#include <ctype.h>
#include <math.h>

#include "core/jsonio.h"
#include "core/prng.h"
#include "core/xalloc.h"
#include "report/criteria.h"
#include "report/stats.h"

const char *report_kind_name(enum report_kind k)
{
    static const char *const names[] = { "rating", "choice", "yes_no", "ranking", "text" };
    return (size_t)k < ARRAY_SIZE(names) ? names[k] : "text";
}

/* ---- numbers as the document writes them ---------------------------------------------------- */

static double round_to(double x, int decimals)
{
    double f = pow(10, decimals);
    double r = round(x * f) / f;
    return r == 0 ? 0 : r; /* no -0 */
}

/* A figure rounded to REPORT_DECIMALS places; null when not finite. */
static json_t *fig(double x)
{
    return isfinite(x) ? json_real(round_to(x, REPORT_DECIMALS)) : json_null();
}

/* A p-value to 4 significant digits (tiny ones keep their order of magnitude). */
static json_t *pval(double p)
{
    if (!isfinite(p))
        return json_null();
    char s[32];
    snprintf(s, sizeof(s), "%.4g", p);
    return json_real(strtod(s, NULL));
}

static json_t *interval(double lo, double hi)
{
    return json_pack("[oo]", fig(lo), fig(hi));
}

/*
 * A mean's interval on a rating scale, cut to the scale: a t interval of a
 * few answers may reach past it, where no mean can lie.
 */
static json_t *scale_interval(const struct report_question *q, double lo, double hi)
{
    return interval(lo < q->scale_min ? q->scale_min : lo, hi > q->scale_max ? q->scale_max : hi);
}

/* ---- answers picked for a group ------------------------------------------------------------- */

struct pick {
    const struct report_answer **a;
    size_t n, alloc;
};

static void pick_add(struct pick *p, const struct report_answer *a)
{
    ALLOC_GROW(p->a, p->n + 1, p->alloc);
    p->a[p->n++] = a;
}

static void pick_release(struct pick *p)
{
    free(p->a);
    memset(p, 0, sizeof(*p));
}

static const struct report_question *question_of(const struct report_input *in,
                                                 const struct report_answer *a)
{
    return &in->scenarios[a->scenario].questions[a->question];
}

/* The ratings among p, into a malloc'd array (*n set). */
static double *numbers_of(const struct pick *p, size_t *n)
{
    double *x = xcalloc(p->n ? p->n : 1, sizeof(*x));
    *n = 0;
    for (size_t i = 0; i < p->n; i++)
        if (isfinite(p->a[i]->number))
            x[(*n)++] = p->a[i]->number;
    return x;
}

/* Whether an answer's text is value (options and yes/no compare ignoring case). */
static bool text_is(const char *text, const char *value)
{
    return text && value && strcasecmp(text, value) == 0;
}

/* {"value", "count", "share", "ci"} with the Wilson interval of k of n. */
static json_t *share_item(const char *value, uint64_t k, uint64_t n)
{
    struct stats_proportion sp;
    stats_wilson(k, n, &sp);
    json_t *o = json_object();
    jsonio_set_str(o, "value", value);
    jsonio_set_new(o, "count", json_integer((json_int_t)k));
    jsonio_set_new(o, "share", fig(sp.share));
    jsonio_set_new(o, "ci", interval(sp.low, sp.high));
    return o;
}

static void rating_stat(json_t *o, const struct report_question *q, const struct pick *p)
{
    size_t n;
    double *x = numbers_of(p, &n);
    jsonio_set_new(o, "scale", json_pack("{sisi}", "min", q->scale_min, "max", q->scale_max));
    struct stats_summary s;
    if (stats_summarize(x, n, &s) == STATS_OK) {
        jsonio_set_new(o, "mean", fig(s.mean));
        jsonio_set_new(o, "ci", s.has_ci ? scale_interval(q, s.ci_low, s.ci_high) : json_null());
        jsonio_set_new(o, "sd", fig(s.sd));
        jsonio_set_new(o, "median", fig(s.median));
        jsonio_set_new(o, "min", fig(s.min));
        jsonio_set_new(o, "max", fig(s.max));
    }
    struct stats_proportion t2;
    if (q->scale_max - q->scale_min >= 2 &&
        stats_top_two_box(x, n, q->scale_min, q->scale_max, &t2) == STATS_OK)
        jsonio_set_new(
            o, "top2_box",
            json_pack("{soso}", "share", fig(t2.share), "ci", interval(t2.low, t2.high)));
    json_t *dist = json_array();
    for (int v = q->scale_min; v <= q->scale_max; v++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            k += lround(x[i]) == v;
        json_t *item = json_object();
        jsonio_set_new(item, "value", json_integer(v));
        jsonio_set_new(item, "count", json_integer((json_int_t)k));
        jsonio_set_new(item, "share", fig(n ? (double)k / (double)n : 0));
        json_array_append_new(dist, item);
    }
    jsonio_set_new(o, "distribution", dist);
    free(x);
}

static void shares_stat(json_t *o, const struct report_question *q, const struct pick *p)
{
    static const char *const yes_no[] = { "yes", "no" };
    const char *const *values = q->kind == REPORT_YES_NO ? yes_no : q->options;
    size_t n_values = q->kind == REPORT_YES_NO ? 2 : q->n_options;
    json_t *dist = json_array();
    for (size_t v = 0; v < n_values; v++) {
        uint64_t k = 0;
        for (size_t i = 0; i < p->n; i++) {
            const struct report_answer *a = p->a[i];
            const char *first =
                q->kind == REPORT_RANKING ? (a->n_ranking ? a->ranking[0] : NULL) : a->text;
            k += text_is(first, values[v]);
        }
        json_array_append_new(dist, share_item(values[v], k, p->n));
    }
    jsonio_set_new(o, "distribution", dist);
    if (q->kind != REPORT_RANKING)
        return;
    json_t *ranks = json_array();
    for (size_t v = 0; v < q->n_options; v++) {
        double sum = 0;
        size_t n = 0;
        for (size_t i = 0; i < p->n; i++)
            for (size_t r = 0; r < p->a[i]->n_ranking; r++)
                if (text_is(p->a[i]->ranking[r], q->options[v])) {
                    sum += (double)(r + 1);
                    n++;
                }
        json_array_append_new(ranks, json_pack("{ssso}", "value", q->options[v], "mean",
                                               n ? fig(sum / (double)n) : json_null()));
    }
    jsonio_set_new(o, "mean_rank", ranks);
}

static int by_length_desc(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t lx = strlen(x), ly = strlen(y);
    return lx != ly ? (lx < ly ? 1 : -1) : strcmp(x, y);
}

static void text_stat(json_t *o, const struct pick *p)
{
    const char **texts = xcalloc(p->n ? p->n : 1, sizeof(*texts));
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->a[i]->text && *p->a[i]->text)
            texts[n++] = p->a[i]->text;
    qsort(texts, n, sizeof(*texts), by_length_desc);
    json_t *quotes = json_array();
    for (size_t i = 0; i < n && i < REPORT_QUOTES; i++)
        json_array_append_new(quotes, jsonio_string(texts[i], strlen(texts[i])));
    jsonio_set_new(o, "quotes", quotes);
    free(texts);
}

/* The full statistics of question q over the answers p. */
static json_t *stat_json(const struct report_question *q, const struct pick *p)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", q->id);
    jsonio_set_str(o, "kind", report_kind_name(q->kind));
    jsonio_set_str(o, "prompt", q->prompt);
    jsonio_set_new(o, "n", json_integer((json_int_t)p->n));
    switch (q->kind) {
    case REPORT_RATING:
        rating_stat(o, q, p);
        break;
    case REPORT_YES_NO:
    case REPORT_CHOICE:
    case REPORT_RANKING:
        shares_stat(o, q, p);
        break;
    case REPORT_TEXT:
    default:
        text_stat(o, p);
        break;
    }
    return o;
}

/* ---- the questions of the whole test ----------------------------------------------------------
 */

/* The test's question ids, each with its first definition (kinds and scales agree). */
struct qlist {
    const struct report_question **q;
    size_t n;
};

static void qlist_build(const struct report_input *in, struct qlist *out)
{
    size_t cap = 0;
    for (size_t s = 0; s < in->n_scenarios; s++)
        cap += in->scenarios[s].n_questions;
    out->q = xcalloc(cap ? cap : 1, sizeof(*out->q));
    out->n = 0;
    for (size_t s = 0; s < in->n_scenarios; s++)
        for (size_t i = 0; i < in->scenarios[s].n_questions; i++) {
            const struct report_question *q = &in->scenarios[s].questions[i];
            bool seen = false;
            for (size_t k = 0; k < out->n && !seen; k++)
                seen = strcmp(out->q[k]->id, q->id) == 0;
            if (!seen)
                out->q[out->n++] = q;
        }
}

/* Every answer to question id (any scenario, any variant), of members for which keep holds. */
static void pick_question(const struct report_input *in, const char *id,
                          bool (*keep)(const struct report_member *m, const void *ctx),
                          const void *ctx, struct pick *p)
{
    for (size_t i = 0; i < in->n_answers; i++) {
        const struct report_answer *a = &in->answers[i];
        if (strcmp(question_of(in, a)->id, id) != 0)
            continue;
        if (keep && !keep(&in->members[a->member], ctx))
            continue;
        pick_add(p, a);
    }
}

static json_t *questions_json(const struct report_input *in, const struct qlist *ql)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < ql->n; i++) {
        struct pick p = { 0 };
        pick_question(in, ql->q[i]->id, NULL, NULL, &p);
        json_array_append_new(arr, stat_json(ql->q[i], &p));
        pick_release(&p);
    }
    return arr;
}

/* ---- scenarios and their slots -----------------------------------------------------------------
 */

static void pick_slot(const struct report_input *in, size_t s, int variant, size_t question,
                      struct pick *p)
{
    for (size_t i = 0; i < in->n_answers; i++) {
        const struct report_answer *a = &in->answers[i];
        if (a->scenario == s && a->variant == variant && a->question == question)
            pick_add(p, a);
    }
}

static json_t *slot_json(const struct report_input *in, size_t s, int variant)
{
    const struct report_scenario *sc = &in->scenarios[s];
    json_t *o = json_object();
    char key[256];
    if (variant >= 0)
        snprintf(key, sizeof(key), "%s/%s", sc->id, sc->variants[variant]);
    else
        snprintf(key, sizeof(key), "%s", sc->id);
    jsonio_set_str(o, "key", key);
    jsonio_set_str(o, "variant", variant >= 0 ? sc->variants[variant] : NULL);
    size_t n = 0;
    for (size_t i = 0; i < in->n_units; i++)
        n += in->units[i].scenario == s && in->units[i].variant == variant;
    jsonio_set_new(o, "n", json_integer((json_int_t)n));
    json_t *qs = json_array();
    for (size_t q = 0; q < sc->n_questions; q++) {
        struct pick p = { 0 };
        pick_slot(in, s, variant, q, &p);
        json_array_append_new(qs, stat_json(&sc->questions[q], &p));
        pick_release(&p);
    }
    jsonio_set_new(o, "questions", qs);
    return o;
}

static json_t *scenarios_json(const struct report_input *in)
{
    json_t *arr = json_array();
    for (size_t s = 0; s < in->n_scenarios; s++) {
        const struct report_scenario *sc = &in->scenarios[s];
        json_t *o = json_object();
        jsonio_set_str(o, "id", sc->id);
        jsonio_set_str(o, "title", sc->title);
        json_t *vs = json_array();
        for (size_t v = 0; v < sc->n_variants; v++)
            json_array_append_new(vs, jsonio_string(sc->variants[v], strlen(sc->variants[v])));
        jsonio_set_new(o, "variants", vs);
        json_t *slots = json_array();
        if (!sc->n_variants)
            json_array_append_new(slots, slot_json(in, s, -1));
        for (size_t v = 0; v < sc->n_variants; v++)
            json_array_append_new(slots, slot_json(in, s, (int)v));
        jsonio_set_new(o, "slots", slots);
        json_array_append_new(arr, o);
    }
    return arr;
}

/* ---- variant comparisons -----------------------------------------------------------------------
 */

struct variant_figures {
    size_t n;
    double *x; /* ratings */
    size_t nx;
    double mean;
    uint64_t *counts; /* per answer value (yes_no: yes, no; choice: options) */
};

/* The answers of each variant of scenario s to question q. */
static struct variant_figures *variant_figures(const struct report_input *in, size_t s, size_t q,
                                               size_t n_values)
{
    const struct report_scenario *sc = &in->scenarios[s];
    const struct report_question *qu = &sc->questions[q];
    struct variant_figures *vf = xcalloc(sc->n_variants, sizeof(*vf));
    for (size_t v = 0; v < sc->n_variants; v++) {
        struct pick p = { 0 };
        pick_slot(in, s, (int)v, q, &p);
        vf[v].n = p.n;
        vf[v].x = numbers_of(&p, &vf[v].nx);
        struct stats_summary sm;
        vf[v].mean = stats_summarize(vf[v].x, vf[v].nx, &sm) == STATS_OK ? sm.mean : NAN;
        vf[v].counts = xcalloc(n_values ? n_values : 1, sizeof(uint64_t));
        for (size_t i = 0; i < p.n; i++)
            for (size_t k = 0; k < n_values; k++) {
                const char *want =
                    qu->kind == REPORT_YES_NO ? (k == 0 ? "yes" : "no") : qu->options[k];
                vf[v].counts[k] += text_is(p.a[i]->text, want);
            }
        pick_release(&p);
    }
    return vf;
}

static void variant_figures_free(struct variant_figures *vf, size_t n)
{
    for (size_t v = 0; v < n; v++) {
        free(vf[v].x);
        free(vf[v].counts);
    }
    free(vf);
}

/* The index of the highest value among v[0..n) other than except (SIZE_MAX: none); NaN skipped. */
static size_t highest(const double *v, size_t n, size_t except)
{
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if (i != except && isfinite(v[i]) && (best == SIZE_MAX || v[i] > v[best]))
            best = i;
    return best;
}

static void rating_comparison(const struct report_input *in, size_t s, size_t q, json_t *o,
                              struct variant_figures *vf, size_t *best, size_t *runner, double *p)
{
    const struct report_scenario *sc = &in->scenarios[s];
    size_t nv = sc->n_variants;
    double *means = xcalloc(nv, sizeof(*means));
    json_t *vs = json_array();
    for (size_t v = 0; v < nv; v++) {
        means[v] = vf[v].mean;
        struct stats_summary sm;
        bool ok = stats_summarize(vf[v].x, vf[v].nx, &sm) == STATS_OK;
        json_array_append_new(
            vs, json_pack("{sssIsoso}", "id", sc->variants[v], "n", (json_int_t)vf[v].nx, "mean",
                          ok ? fig(sm.mean) : json_null(), "ci",
                          ok && sm.has_ci ? scale_interval(&sc->questions[q], sm.ci_low, sm.ci_high)
                                          : json_null()));
    }
    jsonio_set_new(o, "variants", vs);
    *best = highest(means, nv, SIZE_MAX);
    *runner = *best == SIZE_MAX ? SIZE_MAX : highest(means, nv, *best);
    free(means);
    jsonio_set_str(o, "test", "permutation");
    if (*runner == SIZE_MAX)
        return;
    const struct variant_figures *x = &vf[*best], *y = &vf[*runner];
    char salt[512];
    snprintf(salt, sizeof(salt), "%s\t%s", sc->id, sc->questions[q].id);
    struct stats_permutation perm;
    if (stats_permutation_test(x->x, x->nx, y->x, y->nx, REPORT_PERMUTATIONS,
                               prng_mix(in->seed, salt), &perm) == STATS_OK) {
        *p = perm.p;
        jsonio_set_new(o, "statistic", fig(perm.diff));
        jsonio_set_new(o, "p", pval(perm.p));
        jsonio_set_new(o, "exact", json_boolean(perm.is_exact));
    }
    struct stats_welch w;
    enum stats_status ws = stats_welch_test(x->x, x->nx, y->x, y->nx, &w);
    if (ws == STATS_OK) {
        jsonio_set_new(o, "welch",
                       json_pack("{sososo}", "t", fig(w.t), "df", fig(w.df), "p", pval(w.p)));
        jsonio_set_new(o, "effect",
                       json_pack("{ssso}", "name", "cohens_d", "value", fig(w.cohens_d)));
    }
    struct stats_mwu u;
    if (stats_mann_whitney(x->x, x->nx, y->x, y->nx, &u) == STATS_OK)
        jsonio_set_new(o, "mann_whitney",
                       json_pack("{sososo}", "u", fig(u.u), "p", pval(u.p), "rank_biserial",
                                 fig(u.rank_biserial)));
}

static void shares_comparison(const struct report_input *in, size_t s, size_t q, json_t *o,
                              struct variant_figures *vf, size_t n_values, size_t *best,
                              size_t *runner, double *p)
{
    const struct report_scenario *sc = &in->scenarios[s];
    const struct report_question *qu = &sc->questions[q];
    size_t nv = sc->n_variants;
    double *shares = xcalloc(nv, sizeof(*shares));
    uint64_t *table = xcalloc(nv * n_values, sizeof(*table));
    json_t *vs = json_array();
    for (size_t v = 0; v < nv; v++) {
        uint64_t total = 0;
        for (size_t k = 0; k < n_values; k++) {
            table[v * n_values + k] = vf[v].counts[k];
            total += vf[v].counts[k];
        }
        struct stats_proportion sp;
        stats_wilson(vf[v].counts[0], total, &sp);
        shares[v] = total ? sp.share : NAN;
        json_array_append_new(vs,
                              json_pack("{sssIsoso}", "id", sc->variants[v], "n", (json_int_t)total,
                                        "share", total ? fig(sp.share) : json_null(), "ci",
                                        total ? interval(sp.low, sp.high) : json_null()));
    }
    jsonio_set_new(o, "variants", vs);
    jsonio_set_str(o, "share_of", qu->kind == REPORT_YES_NO ? "yes" : qu->options[0]);
    jsonio_set_str(o, "test", "chi_square");
    /* a winner by the share of "yes"; a choice's first option is no better than another */
    if (qu->kind == REPORT_YES_NO) {
        *best = highest(shares, nv, SIZE_MAX);
        *runner = *best == SIZE_MAX ? SIZE_MAX : highest(shares, nv, *best);
    }
    struct stats_chi2 c;
    if (stats_chi2_test(table, nv, n_values, &c) == STATS_OK) {
        *p = c.p;
        jsonio_set_new(o, "statistic", fig(c.chi2));
        jsonio_set_new(o, "df", json_integer((json_int_t)c.df));
        jsonio_set_new(o, "p", pval(c.p));
        jsonio_set_new(o, "effect",
                       json_pack("{ssso}", "name", "cramers_v", "value", fig(c.cramers_v)));
    }
    free(table);
    free(shares);
}

/* The comparison of scenario s's variants on question q; NULL for a kind not compared. */
static json_t *comparison_json(const struct report_input *in, size_t s, size_t q)
{
    const struct report_scenario *sc = &in->scenarios[s];
    const struct report_question *qu = &sc->questions[q];
    if (qu->kind != REPORT_RATING && qu->kind != REPORT_YES_NO && qu->kind != REPORT_CHOICE)
        return NULL;
    size_t n_values = qu->kind == REPORT_YES_NO ? 2 : qu->kind == REPORT_CHOICE ? qu->n_options : 0;
    struct variant_figures *vf = variant_figures(in, s, q, n_values);
    json_t *o = json_object();
    jsonio_set_str(o, "scenario", sc->id);
    jsonio_set_str(o, "question", qu->id);
    jsonio_set_str(o, "kind", report_kind_name(qu->kind));
    size_t best = SIZE_MAX, runner = SIZE_MAX;
    double p = NAN;
    if (qu->kind == REPORT_RATING)
        rating_comparison(in, s, q, o, vf, &best, &runner, &p);
    else
        shares_comparison(in, s, q, o, vf, n_values, &best, &runner, &p);
    bool significant = isfinite(p) && p < REPORT_ALPHA;
    jsonio_set_str(o, "best", best == SIZE_MAX ? NULL : sc->variants[best]);
    jsonio_set_str(o, "runner_up", runner == SIZE_MAX ? NULL : sc->variants[runner]);
    jsonio_set_new(o, "significant", json_boolean(significant));
    jsonio_set_str(o, "winner",
                   significant && best != SIZE_MAX && runner != SIZE_MAX ? sc->variants[best]
                                                                         : NULL);
    variant_figures_free(vf, sc->n_variants);
    return o;
}

/* The scenario's primary question: its first rating, else its first yes_no; SIZE_MAX: none. */
static size_t primary_question(const struct report_scenario *sc)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t q = 0; q < sc->n_questions; q++)
            if (sc->questions[q].kind == (pass == 0 ? REPORT_RATING : REPORT_YES_NO))
                return q;
    return SIZE_MAX;
}

/* Every comparison, and the report's winner (the first scenario with variants, its primary). */
static json_t *comparisons_json(const struct report_input *in, const char **winner)
{
    json_t *arr = json_array();
    bool decided = false;
    *winner = NULL;
    for (size_t s = 0; s < in->n_scenarios; s++) {
        const struct report_scenario *sc = &in->scenarios[s];
        if (sc->n_variants < 2)
            continue;
        size_t primary = primary_question(sc);
        for (size_t q = 0; q < sc->n_questions; q++) {
            json_t *c = comparison_json(in, s, q);
            if (!c)
                continue;
            if (!decided && q == primary) {
                *winner = json_string_value(json_object_get(c, "winner"));
                decided = true;
            }
            json_array_append_new(arr, c);
        }
    }
    return arr;
}

/* ---- segments
 * ------------------------------------------------------------------------------------ */

struct dimension {
    const char *name, *label;
    void (*value)(const struct report_member *m, char *out, size_t size);
};

static void age_band(const struct report_member *m, char *out, size_t size)
{
    static const int lo[] = { 18, 25, 35, 45, 55, 65 };
    if (m->age <= 0) {
        snprintf(out, size, "unknown");
        return;
    }
    size_t i = ARRAY_SIZE(lo) - 1;
    while (i > 0 && m->age < lo[i])
        i--;
    if (i == ARRAY_SIZE(lo) - 1)
        snprintf(out, size, "%d+", lo[i]);
    else
        snprintf(out, size, "%d-%d", m->age < lo[0] ? m->age : lo[i], lo[i + 1] - 1);
}

static void text_or_unknown(const char *s, char *out, size_t size)
{
    snprintf(out, size, "%s", s && *s ? s : "unknown");
}

static void gender_of(const struct report_member *m, char *out, size_t size)
{
    text_or_unknown(m->gender, out, size);
}

static void income_of(const struct report_member *m, char *out, size_t size)
{
    text_or_unknown(m->income, out, size);
}

/* The country of "City, Country" (the text after the last comma), or the whole text. */
static void country_of(const struct report_member *m, char *out, size_t size)
{
    const char *c = m->country;
    const char *comma = c ? strrchr(c, ',') : NULL;
    if (comma)
        c = comma + 1;
    while (c && *c == ' ')
        c++;
    text_or_unknown(c, out, size);
}

/* Occupations in broad groups, by words in the title. */
static void occupation_group(const struct report_member *m, char *out, size_t size)
{
    static const struct {
        const char *group;
        const char *words[14];
    } groups[] = {
        { "Technology",
          { "engineer", "developer", "programmer", "software", "data", "it ", "analyst", "tech",
            "devops", NULL } },
        { "Health",
          { "nurse", "doctor", "physician", "pharmac", "therap", "dentist", "medic", "health",
            "surgeon", "caregiver", NULL } },
        { "Education",
          { "teacher", "professor", "lecturer", "tutor", "educat", "school", "librarian", NULL } },
        { "Business and finance",
          { "manager", "accountant", "financ", "bank", "consultant", "sales", "marketing",
            "entrepreneur", "owner", "executive", "lawyer", "admin", "clerk", NULL } },
        { "Trades and services",
          { "driver", "mechanic", "electrician", "chef", "cook", "plumber", "carpenter", "waiter",
            "cashier", "retail", "farmer", "construction", "cleaner", NULL } },
        { "Creative and media",
          { "designer", "artist", "writer", "musician", "photographer", "journalist", "editor",
            "actor", NULL } },
        { "Student", { "student", NULL } },
        { "Retired", { "retired", "pensioner", NULL } },
    };
    if (!m->occupation || !*m->occupation) {
        snprintf(out, size, "unknown");
        return;
    }
    char lower[256];
    snprintf(lower, sizeof(lower), "%s ", m->occupation);
    for (char *p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (size_t g = 0; g < ARRAY_SIZE(groups); g++)
        for (size_t w = 0; groups[g].words[w]; w++)
            if (strstr(lower, groups[g].words[w])) {
                snprintf(out, size, "%s", groups[g].group);
                return;
            }
    snprintf(out, size, "Other");
}

static const struct dimension DIMENSIONS[] = {
    { "age_band", "Age", age_band },
    { "gender", "Gender", gender_of },
    { "income", "Income", income_of },
    { "country", "Country", country_of },
    { "occupation_group", "Occupation", occupation_group },
};

bool report_segment_of(const struct report_member *m, const char *dimension, char *out, size_t size)
{
    for (size_t d = 0; d < ARRAY_SIZE(DIMENSIONS); d++)
        if (strcmp(DIMENSIONS[d].name, dimension) == 0) {
            DIMENSIONS[d].value(m, out, size);
            return true;
        }
    return false;
}

struct segment_filter {
    const struct dimension *d;
    const char *value;
};

static bool in_segment(const struct report_member *m, const void *ctx)
{
    const struct segment_filter *f = ctx;
    char v[256];
    f->d->value(m, v, sizeof(v));
    return strcmp(v, f->value) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether member m has answered anything. */
static bool answered(const struct report_input *in, size_t m)
{
    for (size_t i = 0; i < in->n_answers; i++)
        if (in->answers[i].member == m)
            return true;
    return false;
}

static json_t *short_stat(const struct report_question *q, const struct pick *p)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", q->id);
    if (q->kind == REPORT_RATING) {
        size_t n;
        double *x = numbers_of(p, &n);
        struct stats_summary s;
        jsonio_set_new(o, "n", json_integer((json_int_t)n));
        if (stats_summarize(x, n, &s) == STATS_OK) {
            jsonio_set_new(o, "mean", fig(s.mean));
            jsonio_set_new(o, "ci",
                           s.has_ci ? scale_interval(q, s.ci_low, s.ci_high) : json_null());
        }
        free(x);
    } else {
        uint64_t k = 0;
        for (size_t i = 0; i < p->n; i++)
            k += text_is(p->a[i]->text, "yes");
        struct stats_proportion sp;
        stats_wilson(k, p->n, &sp);
        jsonio_set_new(o, "n", json_integer((json_int_t)p->n));
        jsonio_set_new(o, "share", fig(sp.share));
        jsonio_set_new(o, "ci", interval(sp.low, sp.high));
    }
    return o;
}

static json_t *segment_group(const struct report_input *in, const struct qlist *ql,
                             const struct dimension *d, const char *value)
{
    struct segment_filter f = { d, value };
    size_t members = 0;
    for (size_t m = 0; m < in->n_members; m++)
        members += in_segment(&in->members[m], &f) && answered(in, m);
    json_t *g = json_object();
    jsonio_set_str(g, "value", value);
    jsonio_set_new(g, "n", json_integer((json_int_t)members));
    jsonio_set_new(g, "too_small", json_boolean(members < REPORT_SMALL_SEGMENT));
    json_t *qs = json_array();
    for (size_t i = 0; i < ql->n; i++) {
        if (ql->q[i]->kind != REPORT_RATING && ql->q[i]->kind != REPORT_YES_NO)
            continue;
        struct pick p = { 0 };
        pick_question(in, ql->q[i]->id, in_segment, &f, &p);
        json_array_append_new(qs, short_stat(ql->q[i], &p));
        pick_release(&p);
    }
    jsonio_set_new(g, "questions", qs);
    return g;
}

static json_t *segments_json(const struct report_input *in, const struct qlist *ql)
{
    json_t *arr = json_array();
    char **values = xcalloc(in->n_members ? in->n_members : 1, sizeof(*values));
    for (size_t d = 0; d < ARRAY_SIZE(DIMENSIONS); d++) {
        size_t n = 0;
        for (size_t m = 0; m < in->n_members; m++) {
            if (!answered(in, m))
                continue;
            char v[256];
            DIMENSIONS[d].value(&in->members[m], v, sizeof(v));
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = strcmp(values[k], v) == 0;
            if (!seen)
                values[n++] = xstrdup(v);
        }
        qsort(values, n, sizeof(*values), cmp_str);
        json_t *groups = json_array();
        for (size_t k = 0; k < n; k++) {
            json_array_append_new(groups, segment_group(in, ql, &DIMENSIONS[d], values[k]));
            free(values[k]);
        }
        json_array_append_new(arr, json_pack("{ssssso}", "dimension", DIMENSIONS[d].name, "label",
                                             DIMENSIONS[d].label, "groups", groups));
    }
    free(values);
    return arr;
}

/* ---- success criteria -------------------------------------------------------------------------
 */

struct criteria_ctx {
    const struct report_input *in;
    const struct qlist *ql;
    json_t *figures; /* what the evaluation looked at, by name */
};

static const struct report_question *find_question(const struct qlist *ql, const char *id)
{
    for (size_t i = 0; i < ql->n; i++)
        if (strcmp(ql->q[i]->id, id) == 0)
            return ql->q[i];
    return NULL;
}

static bool crit_stat(void *vctx, const char *fn, const char *qid, double *out)
{
    struct criteria_ctx *c = vctx;
    struct pick p = { 0 };
    pick_question(c->in, qid, NULL, NULL, &p);
    bool ok = true;
    if (strcmp(fn, "count") == 0) {
        *out = (double)p.n;
    } else {
        size_t n;
        double *x = numbers_of(&p, &n);
        struct stats_summary s;
        ok = stats_summarize(x, n, &s) == STATS_OK;
        if (ok)
            *out = strcmp(fn, "mean") == 0     ? s.mean
                   : strcmp(fn, "median") == 0 ? s.median
                   : strcmp(fn, "min") == 0    ? s.min
                   : strcmp(fn, "max") == 0    ? s.max
                                               : s.sd;
        ok = ok && (strcmp(fn, "stdev") != 0 || n >= 2);
        free(x);
    }
    pick_release(&p);
    if (ok) {
        char name[256];
        snprintf(name, sizeof(name), "%s(%s)", fn, qid);
        jsonio_set_new(c->figures, name, fig(*out));
    }
    return ok;
}

static bool compare(double a, const char *op, double b)
{
    if (strcmp(op, ">=") == 0)
        return a >= b;
    if (strcmp(op, "<=") == 0)
        return a <= b;
    if (strcmp(op, ">") == 0)
        return a > b;
    if (strcmp(op, "<") == 0)
        return a < b;
    if (strcmp(op, "==") == 0)
        return a == b;
    return a != b;
}

static bool crit_share(void *vctx, const char *qid, const char *op, const char *text, double number,
                       bool is_number, double *out)
{
    struct criteria_ctx *c = vctx;
    const struct report_question *q = find_question(c->ql, qid);
    struct pick p = { 0 };
    pick_question(c->in, qid, NULL, NULL, &p);
    size_t k = 0;
    for (size_t i = 0; i < p.n; i++) {
        const struct report_answer *a = p.a[i];
        bool hit;
        if (is_number)
            hit = isfinite(a->number) && compare(a->number, op, number);
        else {
            const char *v =
                q && q->kind == REPORT_RANKING ? (a->n_ranking ? a->ranking[0] : NULL) : a->text;
            hit = text_is(v, text) == (strcmp(op, "==") == 0);
        }
        k += hit;
    }
    bool ok = p.n > 0;
    if (ok) {
        *out = (double)k / (double)p.n;
        char name[512];
        snprintf(name, sizeof(name), "share(%s %s %s%s%s)", qid, op, is_number ? "" : "\"", text,
                 is_number ? "" : "\"");
        jsonio_set_new(c->figures, name, fig(*out));
    }
    pick_release(&p);
    return ok;
}

static enum criteria_kind criteria_kind_of(enum report_kind k)
{
    switch (k) {
    case REPORT_RATING:
        return CRITERIA_RATING;
    case REPORT_CHOICE:
        return CRITERIA_CHOICE;
    case REPORT_YES_NO:
        return CRITERIA_YES_NO;
    case REPORT_RANKING:
        return CRITERIA_RANKING;
    case REPORT_TEXT:
    default:
        return CRITERIA_TEXT;
    }
}

static json_t *criteria_json(const struct report_input *in, const struct qlist *ql,
                             const char *winner)
{
    struct criteria_question *cq = xcalloc(ql->n ? ql->n : 1, sizeof(*cq));
    for (size_t i = 0; i < ql->n; i++)
        cq[i] = (struct criteria_question){ .id = ql->q[i]->id,
                                            .kind = criteria_kind_of(ql->q[i]->kind),
                                            .options = ql->q[i]->options,
                                            .n_options = ql->q[i]->n_options };
    size_t n_variants = 0;
    for (size_t s = 0; s < in->n_scenarios; s++)
        n_variants += in->scenarios[s].n_variants;
    const char **variants = xcalloc(n_variants ? n_variants : 1, sizeof(*variants));
    n_variants = 0;
    for (size_t s = 0; s < in->n_scenarios; s++)
        for (size_t v = 0; v < in->scenarios[s].n_variants; v++)
            variants[n_variants++] = in->scenarios[s].variants[v];
    struct criteria_env env = { .questions = cq,
                                .n_questions = ql->n,
                                .variants = n_variants ? variants : NULL,
                                .n_variants = n_variants };
    json_t *arr = json_array();
    for (size_t i = 0; i < in->n_criteria; i++) {
        json_t *o = json_object();
        jsonio_set_str(o, "text", in->criteria[i]);
        struct criteria_ctx ctx = { in, ql, json_object() };
        struct criterion *c = NULL;
        struct err err = ERR_INIT;
        bool passed = false;
        enum err_code rc = criterion_parse(in->criteria[i], &env, &c, &err);
        if (!rc) {
            struct criteria_values v = {
                .stat = crit_stat, .share = crit_share, .winner = winner, .ctx = &ctx
            };
            rc = criterion_eval(c, &v, &passed, &err);
        }
        if (c && strstr(in->criteria[i], "winner"))
            jsonio_set_str(ctx.figures, "winner", winner);
        jsonio_set_new(o, "passed", rc ? json_null() : json_boolean(passed));
        jsonio_set_str(o, "error", rc ? err.msg : NULL);
        jsonio_set_new(o, "figures", ctx.figures);
        criterion_free(c);
        json_array_append_new(arr, o);
    }
    free(variants);
    free(cq);
    return arr;
}

/* ---- journeys: the funnel
 * ------------------------------------------------------------------------ */

struct reason_count {
    const char *text;
    size_t count;
};

static int by_count_desc(const void *a, const void *b)
{
    const struct reason_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->text, y->text);
}

static json_t *reasons_json(const struct report_input *in, size_t s)
{
    struct reason_count *rc = xcalloc(in->n_units ? in->n_units : 1, sizeof(*rc));
    size_t n = 0;
    for (size_t i = 0; i < in->n_units; i++) {
        const struct report_unit *u = &in->units[i];
        if (u->scenario != s || !u->abandoned || !u->reason || !*u->reason)
            continue;
        size_t k = 0;
        while (k < n && strcasecmp(rc[k].text, u->reason) != 0)
            k++;
        if (k == n)
            rc[n++] = (struct reason_count){ u->reason, 0 };
        rc[k].count++;
    }
    qsort(rc, n, sizeof(*rc), by_count_desc);
    json_t *arr = json_array();
    for (size_t k = 0; k < n && k < REPORT_REASONS; k++)
        json_array_append_new(arr, json_pack("{s:o,s:I}", "text",
                                             jsonio_string(rc[k].text, strlen(rc[k].text)), "count",
                                             (json_int_t)rc[k].count));
    free(rc);
    return arr;
}

static json_t *funnel_json(const struct report_input *in)
{
    json_t *steps = json_array();
    for (size_t s = 0; s < in->n_scenarios; s++) {
        size_t reached = 0, abandoned = 0, failed = 0;
        for (size_t i = 0; i < in->n_units; i++) {
            const struct report_unit *u = &in->units[i];
            if (u->scenario != s)
                continue;
            reached++;
            abandoned += u->abandoned;
            failed += u->error != NULL && !u->abandoned;
        }
        json_t *o = json_object();
        jsonio_set_str(o, "id", in->scenarios[s].id);
        jsonio_set_str(o, "title", in->scenarios[s].title);
        jsonio_set_new(o, "reached", json_integer((json_int_t)reached));
        jsonio_set_new(o, "continued", json_integer((json_int_t)(reached - abandoned - failed)));
        jsonio_set_new(o, "abandoned", json_integer((json_int_t)abandoned));
        jsonio_set_new(o, "failed", json_integer((json_int_t)failed));
        jsonio_set_new(o, "drop_off", fig(reached ? (double)abandoned / (double)reached : 0));
        jsonio_set_new(o, "reasons", reasons_json(in, s));
        json_array_append_new(steps, o);
    }
    return json_pack("{so}", "steps", steps);
}

/* ---- themes, units, the run
 * ------------------------------------------------------------------------ */

static json_t *themes_json(const struct report_input *in)
{
    json_t *by[3] = { json_array(), json_array(), json_array() }; /* negative, neutral, positive */
    for (size_t i = 0; i < in->n_themes; i++) {
        const struct report_theme *t = &in->themes[i];
        json_t *quotes = json_array();
        for (size_t q = 0; q < t->n_quotes; q++)
            json_array_append_new(quotes, jsonio_string(t->quotes[q], strlen(t->quotes[q])));
        json_t *o = json_object();
        jsonio_set_str(o, "name", t->name);
        jsonio_set_new(o, "count", json_integer((json_int_t)t->count));
        jsonio_set_new(o, "quotes", quotes);
        json_t *covers = json_array();
        for (size_t a = 0; a < t->n_answers; a++) {
            json_t *ref = json_object();
            jsonio_set_str(ref, "persona_id", t->answers[a].persona_id);
            jsonio_set_str(ref, "scenario", t->answers[a].scenario);
            jsonio_set_new(ref, "sample", json_integer(t->answers[a].sample));
            json_array_append_new(covers, ref);
        }
        jsonio_set_new(o, "answers", covers);
        int k = t->sentiment > 0 ? 2 : t->sentiment < 0 ? 0 : 1;
        json_array_append_new(by[k], o);
    }
    return json_pack("{soso so}", "positive", by[2], "negative", by[0], "neutral", by[1]);
}

static json_t *transcript_json(const struct report_input *in)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < in->n_transcript; i++) {
        const struct report_line *l = &in->transcript[i];
        json_t *o = json_object();
        jsonio_set_str(o, "speaker", l->speaker);
        jsonio_set_str(o, "text", l->text);
        jsonio_set_str(o, "scenario", l->scenario);
        jsonio_set_new(o, "round", json_integer(l->round));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *run_json(const struct report_input *in)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", in->run_id);
    jsonio_set_str(o, "status", in->run_status);
    jsonio_set_str(o, "model", in->model);
    jsonio_set_new(o, "offline", json_boolean(in->offline));
    jsonio_set_new(o, "seed", json_integer((json_int_t)in->seed));
    jsonio_set_new(o, "calls", json_integer(in->calls));
    jsonio_set_new(o, "cache_hits", json_integer(in->cache_hits));
    jsonio_set_new(o, "tokens_in", json_integer(in->tokens_in));
    jsonio_set_new(o, "tokens_out", json_integer(in->tokens_out));
    jsonio_set_new(o, "cost_usd", json_real(round_to((double)in->cost_micros / 1e6, 6)));
    bool timed = in->started_at_ms > 0 && in->finished_at_ms >= in->started_at_ms;
    jsonio_set_new(
        o, "duration_s",
        timed ? json_real(round_to((double)(in->finished_at_ms - in->started_at_ms) / 1000.0, 1))
              : json_null());
    return o;
}

static json_t *units_json(const struct report_input *in, size_t *respondents)
{
    size_t failed = 0, abandoned = 0;
    bool *seen = xcalloc(in->n_members ? in->n_members : 1, sizeof(*seen));
    for (size_t i = 0; i < in->n_units; i++) {
        failed += in->units[i].error != NULL;
        abandoned += in->units[i].abandoned;
        seen[in->units[i].member] = true;
    }
    for (size_t i = 0; i < in->n_answers; i++)
        seen[in->answers[i].member] = true;
    *respondents = 0;
    for (size_t m = 0; m < in->n_members; m++)
        *respondents += seen[m];
    free(seen);
    return json_pack("{sIsIsI}", "total", (json_int_t)in->n_units, "failed", (json_int_t)failed,
                     "abandoned", (json_int_t)abandoned);
}

/* ---- the document
 * ------------------------------------------------------------------------------------ */

static enum err_code check_input(const struct report_input *in, struct err *err)
{
    for (size_t i = 0; i < in->n_answers; i++) {
        const struct report_answer *a = &in->answers[i];
        if (a->member >= in->n_members || a->scenario >= in->n_scenarios ||
            a->question >= in->scenarios[a->scenario].n_questions ||
            (a->variant >= 0 && (size_t)a->variant >= in->scenarios[a->scenario].n_variants) ||
            a->variant < -1)
            return err_set(err, ERR_INVALID, "answers", "answer %zu points outside the input", i);
    }
    for (size_t i = 0; i < in->n_units; i++) {
        const struct report_unit *u = &in->units[i];
        if (u->member >= in->n_members || u->scenario >= in->n_scenarios || u->variant < -1 ||
            (u->variant >= 0 && (size_t)u->variant >= in->scenarios[u->scenario].n_variants))
            return err_set(err, ERR_INVALID, "units", "unit %zu points outside the input", i);
    }
    return ERR_OK;
}

enum err_code report_build(const struct report_input *in, char **out, size_t *len, struct err *err)
{
    *out = NULL;
    enum err_code rc = check_input(in, err);
    if (rc)
        return rc;
    struct qlist ql;
    qlist_build(in, &ql);
    json_t *doc = json_object();
    jsonio_set_new(doc, "test",
                   json_pack("{s:o,s:o,s:o}", "id",
                             in->test_id ? json_string(in->test_id) : json_null(), "name",
                             jsonio_string(in->test_name ? in->test_name : "",
                                           in->test_name ? strlen(in->test_name) : 0),
                             "type", json_string(in->test_type ? in->test_type : "")));
    jsonio_set_new(doc, "run", run_json(in));
    size_t respondents = 0;
    json_t *units = units_json(in, &respondents);
    jsonio_set_new(doc, "respondents", json_integer((json_int_t)respondents));
    jsonio_set_new(doc, "units", units);
    jsonio_set_new(doc, "questions", questions_json(in, &ql));
    jsonio_set_new(doc, "scenarios", scenarios_json(in));
    const char *winner = NULL;
    json_t *comparisons = comparisons_json(in, &winner);
    if (json_array_size(comparisons)) /* "winner" only where variants compete */
        jsonio_set_str(doc, "winner", winner);
    jsonio_set_new(doc, "comparisons", comparisons);
    jsonio_set_new(doc, "segments", in->segments ? segments_json(in, &ql) : json_null());
    jsonio_set_new(doc, "criteria", criteria_json(in, &ql, winner));
    bool journey = in->test_type && strcmp(in->test_type, "journey") == 0;
    jsonio_set_new(doc, "funnel", journey ? funnel_json(in) : json_null());
    jsonio_set_new(doc, "themes", themes_json(in));
    if (in->n_transcript)
        jsonio_set_new(doc, "transcript", transcript_json(in));
    *out = jsonio_dump(doc, 0, len);
    json_decref(doc);
    free(ql.q);
    return ERR_OK;
}
