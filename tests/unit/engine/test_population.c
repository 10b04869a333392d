/*
 * tests/unit/engine/test_population.c - the factory (ENGINE.md 4) on the
 * offline model through the real gateway: panels of 100 with no duplicate
 * or near-duplicate that cover every plan directive with exactly its
 * repaired quantity, each persona true to its directive's traits; the
 * plan's repair; determinism by seed; the near-duplicate measure; bad
 * input; and, through a wrapper of the offline model, failed calls (the
 * step named), duplicates and near-duplicates rejected and asked again,
 * and samples that never succeed reported.
 */
#include "core/compat.h"

#include <ctype.h>
#include <math.h>
#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/prng.h"
#include "core/xalloc.h"
#include "engine/offline/offline.h"
#include "engine/population.h"
#include "llm/gateway.h"

#define SEED 42

static struct llm_gateway *gateway_of(struct llm_provider *p)
{
    struct llm_gateway_options o = { .max_reasks = 2 };
    return llm_gateway_new(p, &o);
}

static struct llm_gateway *offline_gateway(void)
{
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(offline_provider_new(NULL, &p, &err), &err);
    return gateway_of(p);
}

static struct llm_gateway *shared_gw;

static int setup(void **state)
{
    (void)state;
    shared_gw = offline_gateway();
    return shared_gw ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    llm_gateway_free(shared_gw);
    return 0;
}

static enum err_code run(struct llm_gateway *gw, const char *description, const char *language,
                         int n, uint64_t seed, struct engine_usage *usage,
                         struct population_result **out, struct err *err)
{
    struct engine e = { .gw = gw, .seed = seed };
    struct population_request req = { .description = description, .n = n, .language = language };
    return population_generate(&e, &req, usage, out, err);
}

static struct population_result *generate(const char *description, const char *language, int n,
                                          uint64_t seed)
{
    struct population_result *res = NULL;
    struct err err = ERR_INIT;
    assert_ok(run(shared_gw, description, language, n, seed, NULL, &res, &err), &err);
    assert_non_null(res);
    return res;
}

static struct persona *persona_of(const char *spec)
{
    json_t *j = json_loads(spec, 0, NULL);
    assert_non_null(j);
    struct persona *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(persona_from_json(j, PERSONA_SHAPE_SPEC, &p, &err), &err);
    json_decref(j);
    return p;
}

static char *render(const struct persona *p)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    persona_render(p, &b);
    return buf_detach(&b, NULL);
}

/* ---- an independent word-set similarity (strings, not hashes) --------------------------- */

struct words {
    char **items;
    size_t n, alloc;
};

static void words_add_text(struct words *w, const char *s)
{
    const unsigned char *c = (const unsigned char *)s;
    while (*c) {
        while (*c && !isalnum(*c) && *c < 0x80)
            c++;
        const unsigned char *start = c;
        while (*c && (isalnum(*c) || *c >= 0x80))
            c++;
        if (c == start)
            continue;
        char *word = xmemdupz(start, (size_t)(c - start));
        for (char *k = word; *k; k++)
            *k = (char)tolower((unsigned char)*k);
        ALLOC_GROW(w->items, w->n + 1, w->alloc);
        w->items[w->n++] = word;
    }
}

/* The words of every value (never a key) of v. */
static void words_add_json(struct words *w, const json_t *v)
{
    if (json_is_string(v)) {
        words_add_text(w, json_string_value(v));
    } else if (json_is_integer(v)) {
        char n[32];
        snprintf(n, sizeof(n), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        words_add_text(w, n);
    } else if (json_is_array(v)) {
        size_t i;
        const json_t *x;
        json_array_foreach (v, i, x)
            words_add_json(w, x);
    } else if (json_is_object(v)) {
        const char *k;
        const json_t *x;
        json_object_foreach ((json_t *)v, k, x)
            words_add_json(w, x);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void words_of(const struct persona *p, struct words *w)
{
    memset(w, 0, sizeof(*w));
    json_t *j = persona_to_json(p, PERSONA_SHAPE_SPEC);
    words_add_json(w, j);
    json_decref(j);
    if (!w->n)
        return;
    qsort(w->items, w->n, sizeof(*w->items), cmp_str);
    size_t u = 1;
    for (size_t i = 1; i < w->n; i++) {
        if (strcmp(w->items[i], w->items[u - 1]) == 0)
            free(w->items[i]);
        else
            w->items[u++] = w->items[i];
    }
    w->n = u;
}

static void words_release(struct words *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->items[i]);
    free(w->items);
}

static double words_jaccard(const struct words *a, const struct words *b)
{
    size_t i = 0, j = 0, common = 0;
    while (i < a->n && j < b->n) {
        int c = strcmp(a->items[i], b->items[j]);
        common += c == 0;
        i += c <= 0;
        j += c >= 0;
    }
    size_t all = a->n + b->n - common;
    return all ? (double)common / (double)all : 1;
}

/* ---- what a panel must be ---------------------------------------------------------------- */

/* Whether two words name the same thing in English or Portuguese. */
static bool same_label(const char *a, const char *b)
{
    static const char *const pairs[][2] = {
        { "Brazil", "Brasil" },
        { "female", "feminino" },
        { "male", "masculino" },
        { "non-binary", "não binário" },
    };
    if (strcasecmp(a, b) == 0)
        return true;
    for (size_t i = 0; i < ARRAY_SIZE(pairs); i++)
        if ((strcasecmp(a, pairs[i][0]) == 0 && strcasecmp(b, pairs[i][1]) == 0) ||
            (strcasecmp(a, pairs[i][1]) == 0 && strcasecmp(b, pairs[i][0]) == 0))
            return true;
    return false;
}

/* The income level (1..5) a plan's value names, in either language; 0 when none. */
static int income_of(const char *v)
{
    static const char *const en[] = { "", "low", "lower middle", "middle", "upper middle", "high" };
    static const char *const pt[] = { "", "baixa", "média baixa", "média", "média alta", "alta" };
    for (int k = 1; k <= 5; k++)
        if (strcasecmp(v, en[k]) == 0 || strcasecmp(v, pt[k]) == 0)
            return k;
    return 0;
}

static const char *pick_of(const struct population_sample *s, const char *dimension)
{
    for (size_t i = 0; i < s->n_picks; i++)
        if (strcmp(s->picks[i].dimension, dimension) == 0)
            return s->picks[i].value;
    return NULL;
}

/* The persona keeps its directive's country, age band, gender and income. */
static void assert_true_to_directive(const struct population_result *res,
                                     const struct population_sample *s)
{
    const struct persona *p = s->persona;
    const struct population_group *g = &res->groups[s->group];
    for (size_t t = 0; t < g->n_traits; t++) {
        const char *dim = g->traits[t].dimension, *v = g->traits[t].value;
        if (strcmp(dim, "country") == 0 && !same_label(v, persona_country(p)))
            fail_msg("%s lives in '%s', the directive says '%s'", p->name, persona_country(p), v);
        if (strcmp(dim, "gender") == 0 && !same_label(v, p->gender))
            fail_msg("%s is '%s', the directive says '%s'", p->name, p->gender, v);
        if (strcmp(dim, "income_level") == 0 && income_of(v) != (int)p->income)
            fail_msg("%s has income %d, the directive says '%s'", p->name, (int)p->income, v);
        if (strcmp(dim, "age") == 0) {
            int lo, hi;
            if (sscanf(v, "%d-%d", &lo, &hi) != 2)
                lo = hi = (int)strtol(v, NULL, 10);
            if (p->age < lo || p->age > hi)
                fail_msg("%s is %d, the directive says %s", p->name, p->age, v);
            /* the sample drew a concrete age in the band, and the persona has it */
            const char *drawn = pick_of(s, "age");
            assert_non_null(drawn);
            assert_int_equal(strtol(drawn, NULL, 10), p->age);
        }
    }
}

static double assert_no_twins(const struct population_result *res);

/*
 * The acceptance test of the factory: n people, no duplicate name, no
 * pair more than 0.8 alike, every directive covered with exactly its
 * repaired quantity, everyone true to their directive.
 */
static void assert_good_panel(const struct population_result *res, int n)
{
    assert_int_equal(res->n_samples, n);
    assert_int_equal(res->stats.asked, n);
    assert_int_equal(res->stats.made, n);
    assert_int_equal(res->stats.failed, 0);
    assert_true(res->n_dimensions >= 3);
    assert_true(res->n_groups >= 2 && res->n_groups <= POPULATION_MAX_GROUPS);

    int total = 0;
    int *count = xcalloc(res->n_groups, sizeof(*count));
    for (size_t i = 0; i < res->n_samples; i++) {
        assert_true(res->samples[i].group < res->n_groups);
        count[res->samples[i].group]++;
    }
    for (size_t g = 0; g < res->n_groups; g++) {
        assert_int_equal(count[g], res->groups[g].quantity);
        total += res->groups[g].quantity;
    }
    assert_int_equal(total, n);
    free(count);

    for (size_t i = 0; i < res->n_samples; i++) {
        assert_non_null(res->samples[i].persona);
        assert_true_to_directive(res, &res->samples[i]);
    }
    double worst = assert_no_twins(res);
    print_message("    %d people, %zu groups, %d rounds, %d duplicate(s) and %d near-duplicate(s) "
                  "rejected, the most alike pair %.2f\n",
                  n, res->n_groups, res->stats.rounds, res->stats.rejected_duplicate,
                  res->stats.rejected_near_duplicate, worst);
}

/*
 * No two people of the panel share a name (case-insensitive) or are more
 * than POPULATION_NEAR_DUPLICATE alike by this file's own measure; returns
 * the largest similarity.
 */
static double assert_no_twins(const struct population_result *res)
{
    size_t n = res->n_samples;
    struct words *w = xcalloc(n, sizeof(*w));
    for (size_t i = 0; i < n; i++)
        if (res->samples[i].persona)
            words_of(res->samples[i].persona, &w[i]);
    double worst = 0;
    for (size_t a = 0; a < res->n_samples; a++) {
        for (size_t b = a + 1; b < res->n_samples; b++) {
            const struct persona *x = res->samples[a].persona, *y = res->samples[b].persona;
            if (!x || !y)
                continue;
            if (strcasecmp(x->name, y->name) == 0)
                fail_msg("'%s' twice (samples %zu and %zu)", x->name, a, b);
            double j = words_jaccard(&w[a], &w[b]);
            if (j > POPULATION_NEAR_DUPLICATE)
                fail_msg("%s and %s are %.2f alike", x->name, y->name, j);
            worst = j > worst ? j : worst;
        }
    }
    for (size_t i = 0; i < n; i++)
        words_release(&w[i]);
    free(w);
    return worst;
}

static void panel_of_brazilian_parents_in_portuguese(void **state)
{
    (void)state;
    struct population_result *res =
        generate("Pais e mães brasileiros de 25 a 40 anos, rendas variadas", "pt-BR", 100, SEED);
    assert_good_panel(res, 100);
    for (size_t i = 0; i < res->n_samples; i++) {
        const struct persona *p = res->samples[i].persona;
        assert_string_equal(persona_country(p), "Brasil");
        assert_true(p->age >= 25 && p->age <= 40);
    }
    population_result_free(res);
}

static void panel_of_brazilian_parents_in_english(void **state)
{
    (void)state;
    struct population_result *res =
        generate("Brazilian parents 25-40, mixed incomes", "en", 100, SEED);
    assert_good_panel(res, 100);
    int incomes[6] = { 0 };
    for (size_t i = 0; i < res->n_samples; i++) {
        const struct persona *p = res->samples[i].persona;
        assert_true(same_label(persona_country(p), "Brazil"));
        assert_true(p->age >= 25 && p->age <= 40);
        incomes[p->income]++;
    }
    for (int k = 1; k <= 5; k++)
        assert_true(incomes[k] > 0); /* mixed incomes */
    population_result_free(res);
}

static void panel_of_three_countries(void **state)
{
    (void)state;
    struct population_result *res = generate(
        "Adults aged 30 to 60 in the United States, Canada and the United Kingdom", "en", 100, 7);
    assert_good_panel(res, 100);
    struct strlist countries = { 0 };
    for (size_t i = 0; i < res->n_samples; i++)
        if (!strlist_has(&countries, persona_country(res->samples[i].persona)))
            strlist_add(&countries, persona_country(res->samples[i].persona));
    assert_int_equal(countries.n, 3);
    strlist_release(&countries);
    population_result_free(res);
}

/* ---- the plan's repair --------------------------------------------------------------------- */

static void assert_repaired(const int *before, size_t n_groups, int n, const int *want)
{
    int q[16];
    assert_true(n_groups <= ARRAY_SIZE(q));
    memcpy(q, before, n_groups * sizeof(*q));
    population_repair_quantities(q, n_groups, n);
    long sum = 0;
    for (size_t i = 0; i < n_groups; i++) {
        sum += q[i];
        if (q[i] != want[i])
            fail_msg("group %zu: %d, want %d", i, q[i], want[i]);
    }
    assert_int_equal(sum, n);
}

static void repair_makes_the_plan_sum_to_n(void **state)
{
    (void)state;
    /* too big: scaled down, the leftover to the largest remainder */
    assert_repaired((int[]){ 50, 30, 40 }, 3, 100, (int[]){ 42, 25, 33 });
    /* too small: scaled up */
    assert_repaired((int[]){ 10, 5 }, 2, 100, (int[]){ 67, 33 });
    assert_repaired((int[]){ 1, 1, 1 }, 3, 100, (int[]){ 34, 33, 33 });
    /* all zero: shared equally, the earlier groups get the remainder */
    assert_repaired((int[]){ 0, 0, 0 }, 3, 5, (int[]){ 2, 2, 1 });
    /* N = 1: one group gets the person, the others end with 0 */
    assert_repaired((int[]){ 3, 2 }, 2, 1, (int[]){ 1, 0 });
    assert_repaired((int[]){ 2, 3 }, 2, 1, (int[]){ 0, 1 });
    assert_repaired((int[]){ 0, 0 }, 2, 1, (int[]){ 1, 0 });
    /* more groups than people */
    assert_repaired((int[]){ 1, 1, 1, 1, 1 }, 5, 2, (int[]){ 1, 1, 0, 0, 0 });
    /* right already: kept */
    assert_repaired((int[]){ 60, 0, 40 }, 3, 100, (int[]){ 60, 0, 40 });
    /* negative counts as 0; huge quantities do not overflow */
    assert_repaired((int[]){ -5, 10 }, 2, 4, (int[]){ 0, 4 });
    assert_repaired((int[]){ INT_MAX, INT_MAX }, 2, 10000, (int[]){ 5000, 5000 });
    assert_repaired((int[]){ INT_MAX, 1 }, 2, 10000, (int[]){ 10000, 0 });
    /* many random plans: always exactly n, never negative */
    struct prng r;
    prng_seed(&r, SEED);
    for (int round = 0; round < 2000; round++) {
        int q[16];
        size_t groups = 1 + (size_t)prng_below(&r, 16);
        int n = 1 + (int)prng_below(&r, POPULATION_MAX);
        for (size_t i = 0; i < groups; i++)
            q[i] = (int)prng_below(&r, round % 3 == 0 ? 3 : 20000);
        population_repair_quantities(q, groups, n);
        long sum = 0;
        for (size_t i = 0; i < groups; i++) {
            assert_true(q[i] >= 0);
            sum += q[i];
        }
        assert_int_equal(sum, n);
    }
}

/* ---- determinism --------------------------------------------------------------------------- */

/* Every persona's spec and sample, concatenated. */
static char *panel_text(const struct population_result *res)
{
    struct buf b;
    buf_init(&b, 1 << 26);
    for (size_t i = 0; i < res->n_samples; i++) {
        const struct population_sample *s = &res->samples[i];
        buf_addf(&b, "%zu|", s->group);
        for (size_t k = 0; k < s->n_picks; k++)
            buf_addf(&b, "%s=%s|", s->picks[k].dimension, s->picks[k].value);
        char *spec = render(s->persona);
        buf_addf(&b, "%s\n", spec);
        free(spec);
    }
    assert_false(b.failed);
    return buf_detach(&b, NULL);
}

static void the_same_seed_gives_the_same_people(void **state)
{
    (void)state;
    const char *desc = "Brazilian parents 25-40, mixed incomes";
    struct population_result *a = generate(desc, "en", 40, SEED);
    struct population_result *b = generate(desc, "en", 40, SEED);
    struct population_result *c = generate(desc, "en", 40, SEED + 1);
    char *ta = panel_text(a), *tb = panel_text(b), *tc = panel_text(c);
    assert_string_equal(ta, tb);
    assert_string_not_equal(ta, tc);
    /* not one persona of the other seed is the same */
    for (size_t i = 0; i < a->n_samples; i++) {
        char *x = render(a->samples[i].persona), *y = render(c->samples[i].persona);
        assert_string_not_equal(x, y);
        free(x);
        free(y);
    }
    free(ta);
    free(tb);
    free(tc);
    population_result_free(a);
    population_result_free(b);
    population_result_free(c);
}

/* ---- the near-duplicate measure ----------------------------------------------------------- */

#define ANA                                                                                        \
    "{\"name\":\"Ana Souza\",\"age\":34,\"gender\":\"feminino\",\"residence\":\"Porto Alegre, "    \
    "Brasil\",\"language\":\"pt-BR\",\"income_level\":\"lower_middle\",\"occupation\":{\"title\":" \
    "\"enfermeira\",\"organization\":\"Hospital de Clínicas\"},\"personality\":{\"traits\":["     \
    "\"cuidadosa\",\"paciente\"]},\"preferences\":{\"interests\":[\"culinária\",\"corrida\"],"    \
    "\"likes\":[\"receitas caseiras\"],\"dislikes\":[\"propaganda exagerada\"]},\"style\":"        \
    "\"Fala devagar, com calma, e escolhe bem as palavras antes de responder\","                   \
    "\"other_facts\":[\"Mora de aluguel num apartamento pequeno na zona norte\"]}"

static void near_duplicates_are_told_apart(void **state)
{
    (void)state;
    struct persona *ana = persona_of(ANA);
    /* the same spec with one word changed ("calma" -> "pausa") */
    char *spec = xstrdup(ANA);
    char *w = strstr(spec, "calma");
    assert_non_null(w);
    memcpy(w, "pausa", 5);
    struct persona *ana2 = persona_of(spec);
    free(spec);
    double j = population_similarity(ana, ana2);
    assert_true(j > POPULATION_NEAR_DUPLICATE && j < 1);
    assert_true(population_near_duplicate(ana, ana2));
    /* a different name only: still the same person */
    struct persona *renamed = persona_dup(ana);
    free(renamed->name);
    renamed->name = xstrdup("Beatriz Lima");
    assert_true(population_near_duplicate(ana, renamed));
    assert_true(population_similarity(ana, ana) == 1.0);

    /* someone else */
    struct persona *tom = persona_of(
        "{\"name\":\"Tom Baker\",\"age\":58,\"gender\":\"male\",\"residence\":\"Leeds, United "
        "Kingdom\",\"income_level\":\"upper_middle\",\"occupation\":{\"title\":\"electrician\"},"
        "\"personality\":{\"traits\":[\"practical\",\"sceptical\"]},\"preferences\":{"
        "\"interests\":[\"football\",\"fishing\"],\"likes\":[\"real ale\"],\"dislikes\":["
        "\"subscriptions\"]},\"style\":\"Blunt and short; swears when annoyed\"}");
    assert_false(population_near_duplicate(ana, tom));
    assert_true(population_similarity(ana, tom) < 0.2);

    /* field names do not count: two sparse people who share no value are not alike */
    struct persona *a = persona_of("{\"name\":\"Kim Lee\",\"age\":30,\"gender\":\"female\"}");
    struct persona *b = persona_of("{\"name\":\"Raj Patel\",\"age\":61,\"gender\":\"male\"}");
    assert_true(population_similarity(a, b) < 0.3); /* only the default language "en" */

    /* the measure agrees with this file's own, over a real panel */
    struct population_result *res = generate("adults", "en", 30, SEED);
    for (size_t x = 0; x < res->n_samples; x++) {
        struct words wx;
        words_of(res->samples[x].persona, &wx);
        for (size_t y = x + 1; y < res->n_samples; y++) {
            struct words wy;
            words_of(res->samples[y].persona, &wy);
            double mine = words_jaccard(&wx, &wy);
            double theirs = population_similarity(res->samples[x].persona, res->samples[y].persona);
            if (fabs(mine - theirs) > 0.01)
                fail_msg("samples %zu and %zu: %.3f here, %.3f in the engine", x, y, mine, theirs);
            words_release(&wy);
        }
        words_release(&wx);
    }
    population_result_free(res);
    persona_free(a);
    persona_free(b);
    persona_free(tom);
    persona_free(renamed);
    persona_free(ana2);
    persona_free(ana);
}

/* ---- bad input ------------------------------------------------------------------------------ */

static void assert_refused(const char *description, int n, const char *language, const char *field)
{
    struct engine_usage usage = { 0 };
    struct population_result *res = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(run(shared_gw, description, language, n, SEED, &usage, &res, &err),
                     ERR_INVALID);
    assert_null(res);
    assert_string_equal(err.field, field);
    assert_contains(err.msg, field);
    assert_int_equal(usage.calls, 0); /* refused before asking the model */
}

static void bad_input_is_refused(void **state)
{
    (void)state;
    assert_refused("adults", 0, "en", "n");
    assert_refused("adults", -3, "en", "n");
    assert_refused("adults", POPULATION_MAX + 1, "en", "n");
    assert_refused(NULL, 10, "en", "description");
    assert_refused("", 10, "en", "description");
    assert_refused(" \t\n ", 10, "en", "description");
    char *huge = xcalloc(POPULATION_DESCRIPTION_MAX + 2, 1);
    memset(huge, 'a', POPULATION_DESCRIPTION_MAX + 1);
    assert_refused(huge, 10, "en", "description");
    free(huge);
    assert_refused("adults", 10, "", "language");
    assert_refused("adults", 10, "pt BR", "language");
    assert_refused("adults", 10, "-en", "language");

    /* the bounds themselves are fine; no language means English */
    struct population_result *res = NULL;
    struct err err = ERR_INIT;
    assert_ok(run(shared_gw, "adults", NULL, 1, SEED, NULL, &res, &err), &err);
    assert_int_equal(res->n_samples, 1);
    assert_int_equal(res->stats.made, 1);
    population_result_free(res);
}

/* ---- a model that fails or repeats itself ------------------------------------------------- */

enum fake_mode {
    FAKE_DOWN,        /* every call fails */
    FAKE_PLAN_DOWN,   /* the plan call fails */
    FAKE_PERSON_DOWN, /* every person call fails */
    FAKE_FIRST_FAIL,  /* the first 5 person calls fail */
    FAKE_SAME_NAME,   /* the first 12 person calls answer "Pat Doe" or "PAT DOE" */
    FAKE_CLONES,      /* every person is the first one, renamed */
    FAKE_MIX,         /* first round: people with more and more of the first one's fields */
    FAKE_UNTIDY,      /* dimensions and a plan the engine must tidy and repair */
};

struct fake {
    struct llm_provider iface; /* first */
    struct llm_provider *offline;
    enum fake_mode mode;
    int person_calls; /* calls, on the gateway's thread only */
    json_t *first;    /* FAKE_CLONES: the first person answered */
};

/*
 * Dimensions whose shares sum to a half, with a second "COUNTRY" and an
 * empty "mood"; a plan whose quantities are three times too many (plus
 * one), whose first group has a list of options, a {min, max} range, a
 * number, a boolean and a null among its traits.
 */
static char *untidy(char *content, enum task_kind kind)
{
    json_t *j = json_loads(content, 0, NULL);
    free(content);
    assert_non_null(j);
    size_t i;
    json_t *item;
    if (kind == TASK_DIMENSIONS) {
        json_t *dims = json_object_get(j, "dimensions");
        json_array_foreach (dims, i, item) {
            size_t k;
            json_t *v;
            json_array_foreach (json_object_get(item, "values"), k, v)
                json_object_set_new(v, "share",
                                    json_real(json_number_value(json_object_get(v, "share")) / 2));
        }
        json_t *again = json_deep_copy(json_array_get(dims, 0));
        json_object_set_new(again, "name", json_string("COUNTRY"));
        json_array_append_new(dims, again);
        json_array_append_new(dims, json_pack("{s:s}", "name", "mood"));
    } else if (kind == TASK_PLAN) {
        json_t *groups = json_object_get(j, "groups");
        json_array_foreach (groups, i, item) {
            json_int_t q = json_integer_value(json_object_get(item, "quantity"));
            json_object_set_new(item, "quantity", json_integer(3 * q + 1));
        }
        json_t *traits = json_object_get(json_array_get(groups, 0), "traits");
        json_object_set_new(traits, "hobby", json_pack("[sss]", "chess", "surfing", "baking"));
        json_object_set_new(traits, "household_size", json_pack("{s:i,s:i}", "min", 1, "max", 4));
        json_object_set_new(traits, "pets", json_integer(2));
        json_object_set_new(traits, "smoker", json_false());
        json_object_set_new(traits, "note", json_null());
    }
    content = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return content;
}

/* The offline model's answer, changed as the mode says. */
static char *fake_answer(struct fake *f, const struct llm_request *req, const struct task *t,
                         struct err *err)
{
    char *content = NULL;
    if (offline_provider_answer(f->offline, req, &content, err))
        return NULL;
    if (f->mode == FAKE_UNTIDY && t->kind != TASK_PERSON)
        return untidy(content, t->kind);
    if (t->kind != TASK_PERSON || f->mode < FAKE_SAME_NAME)
        return content;
    json_t *j = json_loads(content, 0, NULL);
    free(content);
    if (f->mode == FAKE_SAME_NAME && f->person_calls < 12) {
        json_object_set_new(j, "name", json_string(f->person_calls % 2 ? "PAT DOE" : "Pat Doe"));
    } else if (f->mode == FAKE_CLONES) {
        if (!f->first)
            f->first = json_deep_copy(j);
        json_t *clone = json_deep_copy(f->first);
        char name[32];
        snprintf(name, sizeof(name), "Clone %d", f->person_calls);
        json_object_set_new(clone, "name", json_string(name));
        json_decref(j);
        j = clone;
    } else if (f->mode == FAKE_MIX && t->u.person.used_names.n == 0) {
        /* each field but the name taken from the first person with a chance from 0 to 1 */
        if (!f->first)
            f->first = json_deep_copy(j);
        struct prng r;
        prng_seed(&r, (uint64_t)f->person_calls);
        double chance = (double)(f->person_calls % 11) / 10;
        const char *key;
        json_t *v;
        json_object_foreach (f->first, key, v)
            if (strcmp(key, "name") != 0 && prng_unit(&r) < chance)
                json_object_set(j, key, v);
    }
    content = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return content;
}

static enum err_code fake_submit(struct llm_provider *p, const struct llm_request *req,
                                 llm_raw_fn *done, void *ctx, struct err *err)
{
    (void)err;
    struct fake *f = (struct fake *)p;
    const struct task *t = req->native;
    assert_non_null(t);
    struct llm_raw raw = { .attempts = 1, .tokens_in = -1, .tokens_out = -1 };
    bool person = t->kind == TASK_PERSON;
    bool down = f->mode == FAKE_DOWN || (f->mode == FAKE_PLAN_DOWN && t->kind == TASK_PLAN) ||
                (f->mode == FAKE_PERSON_DOWN && person) ||
                (f->mode == FAKE_FIRST_FAIL && person && f->person_calls < 5);
    if (down)
        raw.code = err_set(&raw.err, ERR_UPSTREAM, NULL, "the test model is down");
    else if (!(raw.content = fake_answer(f, req, t, &raw.err)))
        raw.code = raw.err.code;
    f->person_calls += person;
    raw.model = xstrdup("fake");
    done(ctx, &raw);
    llm_raw_release(&raw);
    return ERR_OK;
}

static enum err_code fake_ping(struct llm_provider *p, struct err *err)
{
    (void)p;
    (void)err;
    return ERR_OK;
}

static void fake_destroy(struct llm_provider *p)
{
    struct fake *f = (struct fake *)p;
    f->offline->destroy(f->offline);
    json_decref(f->first);
    free(f);
}

static struct llm_gateway *fake_gateway(enum fake_mode mode, struct fake **out)
{
    struct fake *f = xcalloc(1, sizeof(*f));
    struct err err = ERR_INIT;
    assert_ok(offline_provider_new(NULL, &f->offline, &err), &err);
    f->mode = mode;
    f->iface = (struct llm_provider){
        .name = "fake",
        .default_model = "fake",
        .submit = fake_submit,
        .ping = fake_ping,
        .destroy = fake_destroy,
    };
    *out = f;
    return gateway_of(&f->iface);
}

static void assert_step_fails(enum fake_mode mode, const char *prefix, int64_t calls)
{
    struct fake *f = NULL;
    struct llm_gateway *gw = fake_gateway(mode, &f);
    struct engine_usage usage = { 0 };
    struct population_result *res = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(run(gw, "adults", "en", 10, SEED, &usage, &res, &err), ERR_UPSTREAM);
    assert_null(res);
    if (strncmp(err.msg, prefix, strlen(prefix)) != 0)
        fail_msg("'%s' does not start with '%s'", err.msg, prefix);
    assert_contains(err.msg, "the test model is down");
    assert_int_equal(usage.calls, calls);
    llm_gateway_free(gw);
}

static void a_failed_call_names_its_step(void **state)
{
    (void)state;
    assert_step_fails(FAKE_DOWN, "dimensions: ", 1);
    assert_step_fails(FAKE_PLAN_DOWN, "plan: ", 2);
    /* every person call of every round failed: nobody to return */
    assert_step_fails(FAKE_PERSON_DOWN, "person: ", 2 + 10 * (1 + POPULATION_EXTRA_ROUNDS));
}

static struct population_result *fake_panel(enum fake_mode mode, int n, struct engine_usage *usage)
{
    struct fake *f = NULL;
    struct llm_gateway *gw = fake_gateway(mode, &f);
    struct population_result *res = NULL;
    struct err err = ERR_INIT;
    assert_ok(run(gw, "adults", "en", n, SEED, usage, &res, &err), &err);
    llm_gateway_free(gw);
    return res;
}

static void failed_calls_are_asked_again(void **state)
{
    (void)state;
    struct engine_usage usage = { 0 };
    struct population_result *res = fake_panel(FAKE_FIRST_FAIL, 20, &usage);
    assert_int_equal(res->stats.made, 20);
    assert_int_equal(res->stats.call_failures, 5);
    assert_int_equal(res->stats.failed, 0);
    assert_int_equal(res->stats.rounds, 2);
    assert_int_equal(usage.calls, 2 + 20 + 5);
    assert_int_equal(usage.failures, 5);
    for (size_t i = 0; i < res->n_samples; i++)
        assert_int_equal(res->samples[i].round, i < 5 ? 1 : 0);
    population_result_free(res);
}

static void duplicate_names_are_asked_again(void **state)
{
    (void)state;
    struct population_result *res = fake_panel(FAKE_SAME_NAME, 12, NULL);
    /* the first round named everyone Pat Doe (in either case): the first kept it */
    assert_int_equal(res->stats.rejected_duplicate, 11);
    assert_int_equal(res->stats.made, 12);
    assert_int_equal(res->stats.failed, 0);
    assert_int_equal(res->stats.rounds, 2);
    assert_string_equal(res->samples[0].persona->name, "Pat Doe");
    assert_int_equal(res->samples[0].round, 0);
    for (size_t i = 1; i < res->n_samples; i++) {
        assert_int_equal(res->samples[i].round, 1);
        assert_true(strcasecmp(res->samples[i].persona->name, "Pat Doe") != 0);
        assert_int_equal(res->samples[i].err.code, ERR_OK);
    }
    population_result_free(res);
}

/* The caller's names are sent with every task, and refused when the model ignores them. */
static void the_callers_names_stay_taken(void **state)
{
    (void)state;
    struct strlist taken = { 0 };
    strlist_add(&taken, "PAT doe");
    struct fake *f = NULL;
    struct llm_gateway *gw = fake_gateway(FAKE_SAME_NAME, &f);
    struct engine e = { .gw = gw, .seed = SEED };
    struct population_request req = {
        .description = "adults", .n = 12, .language = "en", .used_names = &taken
    };
    struct population_result *res = NULL;
    struct err err = ERR_INIT;
    struct engine_usage usage = { 0 };
    assert_ok(population_generate(&e, &req, &usage, &res, &err), &err);
    /* "Pat Doe" was refused 12 times: by the task's validator (the gateway asks again) */
    assert_true(usage.reasks + res->stats.call_failures + res->stats.rejected_duplicate >= 12);
    assert_int_equal(res->stats.made, 12);
    for (size_t i = 0; i < res->n_samples; i++)
        assert_true(strcasecmp(res->samples[i].persona->name, "Pat Doe") != 0);
    population_result_free(res);
    llm_gateway_free(gw);

    /* a model that listens avoids them from the start: a panel's names, taken, are not reused */
    struct population_result *before = generate("Brazilian parents", "en", 20, SEED);
    strlist_release(&taken);
    for (size_t i = 0; i < before->n_samples; i++)
        strlist_add(&taken, before->samples[i].persona->name);
    e.gw = shared_gw;
    req.description = "Brazilian parents";
    req.n = 20;
    assert_ok(population_generate(&e, &req, NULL, &res, &err), &err);
    assert_int_equal(res->stats.made, 20);
    for (size_t i = 0; i < res->n_samples; i++)
        if (strlist_has(&taken, res->samples[i].persona->name))
            fail_msg("'%s' was taken", res->samples[i].persona->name);
    population_result_free(res);
    population_result_free(before);
    strlist_release(&taken);
}

static void near_duplicates_are_asked_again_then_reported(void **state)
{
    (void)state;
    struct population_result *res = fake_panel(FAKE_CLONES, 6, NULL);
    /* the clones never stop: one person, five reported failures, nothing dropped */
    assert_int_equal(res->n_samples, 6);
    assert_int_equal(res->stats.asked, 6);
    assert_int_equal(res->stats.made, 1);
    assert_int_equal(res->stats.failed, 5);
    assert_int_equal(res->stats.rejected_near_duplicate, 5 * (1 + POPULATION_EXTRA_ROUNDS));
    assert_int_equal(res->stats.rejected_duplicate, 0);
    assert_int_equal(res->stats.rounds, 1 + POPULATION_EXTRA_ROUNDS);
    assert_non_null(res->samples[0].persona);
    for (size_t i = 1; i < res->n_samples; i++) {
        assert_null(res->samples[i].persona);
        assert_int_equal(res->samples[i].err.code, ERR_CONFLICT);
        assert_contains(res->samples[i].err.msg, "near-duplicate of 'Clone 0'");
        assert_true(res->samples[i].n_picks > 0); /* what it was drawn from is still there */
    }
    population_result_free(res);
}

/*
 * People from alike to identical: whatever the similarity, nobody accepted
 * is more than 0.8 alike to anyone else (by this file's own measure), and
 * the people rejected were (by the engine's, in the message).
 */
static void near_duplicates_are_found_at_every_similarity(void **state)
{
    (void)state;
    struct population_result *res = fake_panel(FAKE_MIX, 60, NULL);
    assert_int_equal(res->stats.made, 60);
    assert_true(res->stats.rejected_near_duplicate >= 5);
    double worst = assert_no_twins(res);
    print_message("    %d near-duplicate(s) rejected; the most alike pair kept: %.2f\n",
                  res->stats.rejected_near_duplicate, worst);
    assert_true(worst > 0.6); /* the boundary was tried */
    population_result_free(res);
}

static const struct population_trait *trait_of(const struct population_group *g,
                                               const char *dimension)
{
    for (size_t i = 0; i < g->n_traits; i++)
        if (strcmp(g->traits[i].dimension, dimension) == 0)
            return &g->traits[i];
    return NULL;
}

/* The engine does not trust the model: shares, names, quantities and traits tidied. */
static void an_untidy_plan_is_repaired(void **state)
{
    (void)state;
    const int n = 60;
    struct population_result *res = fake_panel(FAKE_UNTIDY, n, NULL);
    assert_int_equal(res->stats.made, n);

    /* dimensions: one per name, shares summing to 1, the empty one left out */
    for (size_t i = 0; i < res->n_dimensions; i++) {
        const struct dimension *d = &res->dimensions[i];
        assert_string_not_equal(d->name, "mood");
        for (size_t k = i + 1; k < res->n_dimensions; k++)
            assert_true(strcasecmp(d->name, res->dimensions[k].name) != 0);
        if (d->numeric) {
            assert_true(d->min <= d->max);
            continue;
        }
        double total = 0;
        for (size_t v = 0; v < d->n_values; v++)
            total += d->values[v].share;
        assert_true(fabs(total - 1) < 1e-9);
    }

    /* the plan: what the model said kept in planned, the quantities repaired to n */
    long planned = 0, repaired = 0;
    int *count = xcalloc(res->n_groups, sizeof(*count));
    for (size_t i = 0; i < res->n_samples; i++)
        count[res->samples[i].group]++;
    for (size_t g = 0; g < res->n_groups; g++) {
        planned += res->groups[g].planned;
        repaired += res->groups[g].quantity;
        assert_int_equal(count[g], res->groups[g].quantity);
    }
    free(count);
    assert_int_equal(planned, 3 * n + (long)res->n_groups);
    assert_int_equal(repaired, n);

    /* the first group's traits as text, options kept, nulls left out */
    const struct population_group *first = &res->groups[0];
    const struct population_trait *hobby = trait_of(first, "hobby");
    assert_non_null(hobby);
    assert_string_equal(hobby->value, "chess | surfing | baking");
    assert_int_equal(hobby->options.n, 3);
    assert_string_equal(trait_of(first, "household_size")->value, "1-4");
    assert_string_equal(trait_of(first, "pets")->value, "2");
    assert_string_equal(trait_of(first, "smoker")->value, "false");
    assert_null(trait_of(first, "note"));

    /* and each of its samples drew one option and one size */
    assert_true(first->quantity > 0);
    for (size_t i = 0; i < res->n_samples; i++) {
        const struct population_sample *s = &res->samples[i];
        if (s->group != 0)
            continue;
        assert_true(strlist_has(&hobby->options, pick_of(s, "hobby")));
        long size = strtol(pick_of(s, "household_size"), NULL, 10);
        assert_true(size >= 1 && size <= 4);
        assert_string_equal(pick_of(s, "pets"), "2");
    }
    population_result_free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(panel_of_brazilian_parents_in_portuguese),
        cmocka_unit_test(panel_of_brazilian_parents_in_english),
        cmocka_unit_test(panel_of_three_countries),
        cmocka_unit_test(repair_makes_the_plan_sum_to_n),
        cmocka_unit_test(the_same_seed_gives_the_same_people),
        cmocka_unit_test(near_duplicates_are_told_apart),
        cmocka_unit_test(bad_input_is_refused),
        cmocka_unit_test(a_failed_call_names_its_step),
        cmocka_unit_test(failed_calls_are_asked_again),
        cmocka_unit_test(duplicate_names_are_asked_again),
        cmocka_unit_test(the_callers_names_stay_taken),
        cmocka_unit_test(near_duplicates_are_asked_again_then_reported),
        cmocka_unit_test(near_duplicates_are_found_at_every_similarity),
        cmocka_unit_test(an_untidy_plan_is_repaired),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
