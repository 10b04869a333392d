/*
 * tests/unit/engine/test_offline_factory.c - the offline model's factory
 * tasks (engine/offline/factory.c) on the embedded tables: dimensions read
 * from descriptions in English and Brazilian Portuguese (countries, ages,
 * genders, incomes, life stages, occupations, interests), plans whose
 * quantities sum exactly to n, and persons built from samples - panels of
 * 200 run through the whole factory (dimensions, plan, expand, person)
 * with unique names, the sample respected, every spec field filled, the
 * occupation fitting the age, diverse countries, languages and incomes,
 * and no near-duplicates. Every answer must satisfy its task's schema and
 * validator.
 *
 * Goldens, per language (seed 42): one person from a fixed sample, the
 * dimensions of a fixed population and the plan drawn from them, compared
 * byte for byte with tests/unit/golden/{person,dimensions,plan}_<lang>.json
 * (the model's JSON as it is sent, indented, in its own key order, final
 * newline). After an intended change of
 * the factory, regenerate them and review the diff:
 *
 *     UPDATE_GOLDEN=1 build/asan/tests/unit/engine/test_offline_factory
 *
 * (assert_golden in tests/unit/testutil.c; GOLDEN_DIR overrides the folder.)
 */
#include "core/compat.h"

#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/jsonio.h"
#include "core/prng.h"
#include "core/xalloc.h"
#include "engine/offline/model.h"
#include "engine/tasks.h"
#include "llm/schema.h"

#define SEED 42

static struct offline_model *model;

static int setup(void **state)
{
    (void)state;
    return testutil_offline_model(&model);
}

static int teardown(void **state)
{
    (void)state;
    offline_model_free(model);
    model = NULL;
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------------- */

/* As the model sends it (15 significant digits), indented for reading. */
static char *dump(const json_t *a)
{
    return jsonio_dump(a, JSON_INDENT(2), NULL);
}

/* Fails unless answer satisfies t's schema and validator. */
static void assert_valid_answer(const struct task *t, const json_t *answer)
{
    json_t *schema = task_schema(t);
    struct err err = ERR_INIT;
    if (schema_validate(schema, answer, &err) != ERR_OK) {
        char *text = dump(answer);
        fail_msg("%s answer fails its schema: %s\n%s", task_name(t->kind), err.msg, text);
    }
    json_decref(schema);
    if (task_validate(t, answer, &err) != ERR_OK) {
        char *text = dump(answer);
        fail_msg("%s answer fails its validator: %s\n%s", task_name(t->kind), err.msg, text);
    }
}

static struct task *dimensions_task(const char *description, const char *language, int n)
{
    struct task *t = task_new(TASK_DIMENSIONS);
    t->u.dimensions.description = xstrdup(description);
    t->u.dimensions.language = xstrdup(language);
    t->u.dimensions.n = n;
    return t;
}

/* The dimensions answer for a description (validated); a new reference. */
static json_t *dimensions_of(const char *description, const char *language, uint64_t seed)
{
    struct task *t = dimensions_task(description, language, 100);
    struct prng r;
    prng_seed(&r, seed);
    json_t *a = offline_dimensions(model, &t->u.dimensions, &r);
    assert_valid_answer(t, a);
    task_free(t);
    return a;
}

/* The dimension called name in a dimensions answer, or NULL. */
static const json_t *find_dimension(const json_t *answer, const char *name)
{
    size_t i;
    const json_t *d;
    json_array_foreach (json_object_get(answer, "dimensions"), i, d) {
        if (strcmp(json_string_value(json_object_get(d, "name")), name) == 0)
            return d;
    }
    return NULL;
}

/* The share of value in dimension name (0 when absent). */
static double share_of(const json_t *answer, const char *name, const char *value)
{
    const json_t *d = find_dimension(answer, name);
    size_t i;
    const json_t *v;
    json_array_foreach (json_object_get(d, "values"), i, v) {
        if (strcmp(json_string_value(json_object_get(v, "value")), value) == 0)
            return json_number_value(json_object_get(v, "share"));
    }
    return 0;
}

static size_t n_values(const json_t *answer, const char *name)
{
    return json_array_size(json_object_get(find_dimension(answer, name), "values"));
}

static void assert_age_range(const json_t *answer, int min, int max)
{
    const json_t *range = json_object_get(find_dimension(answer, "age"), "range");
    assert_non_null(range);
    assert_int_equal((int)json_number_value(json_object_get(range, "min")), min);
    assert_int_equal((int)json_number_value(json_object_get(range, "max")), max);
}

/* The answer's dimensions as a plan task's input. */
static struct task *plan_task(const char *description, const json_t *dims, int n)
{
    struct task *t = task_new(TASK_PLAN);
    t->u.plan.description = xstrdup(description);
    t->u.plan.n = n;
    size_t i;
    const json_t *d;
    json_array_foreach (json_object_get(dims, "dimensions"), i, d) {
        struct dimension *dim =
            plan_add_dimension(&t->u.plan, json_string_value(json_object_get(d, "name")));
        const json_t *range = json_object_get(d, "range");
        if (range) {
            dim->numeric = true;
            dim->min = json_number_value(json_object_get(range, "min"));
            dim->max = json_number_value(json_object_get(range, "max"));
        }
        size_t k;
        const json_t *v;
        json_array_foreach (json_object_get(d, "values"), k, v) {
            dimension_add_value(dim, json_string_value(json_object_get(v, "value")),
                                json_number_value(json_object_get(v, "share")));
        }
    }
    return t;
}

static json_t *plan_of(const struct task *t, uint64_t seed)
{
    struct prng r;
    prng_seed(&r, seed);
    json_t *a = offline_plan(model, &t->u.plan, &r);
    assert_valid_answer(t, a);
    return a;
}

static int plan_total(const json_t *plan)
{
    int total = 0;
    size_t i;
    const json_t *g;
    json_array_foreach (json_object_get(plan, "groups"), i, g)
        total += (int)json_integer_value(json_object_get(g, "quantity"));
    return total;
}

/* A person task for the given picks (dimension, value pairs, NULL-terminated). */
static struct task *person_task(const char *description, const char *language,
                                const char *const *picks)
{
    struct task *t = task_new(TASK_PERSON);
    t->u.person.description = xstrdup(description);
    t->u.person.language = xstrdup(language);
    for (size_t i = 0; picks && picks[i]; i += 2)
        person_add_pick(&t->u.person, picks[i], picks[i + 1]);
    return t;
}

static json_t *person_of(const struct task *t, uint64_t seed)
{
    struct prng r;
    prng_seed(&r, seed);
    json_t *a = offline_person(model, &t->u.person, &r);
    assert_valid_answer(t, a);
    return a;
}

static const char *str_at(const json_t *o, const char *path)
{
    const json_t *v = o;
    char key[64];
    while (*path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof(key), "%.*s", (int)n, path);
        v = json_object_get(v, key);
        path += n + (path[n] == '.');
    }
    return json_string_value(v);
}

static size_t list_len(const json_t *o, const char *path)
{
    const json_t *v = o;
    char key[64];
    while (*path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof(key), "%.*s", (int)n, path);
        v = json_object_get(v, key);
        path += n + (path[n] == '.');
    }
    return json_array_size(v);
}

/* The country part of a residence ("Porto Alegre, Brasil" -> "Brasil"). */
static const char *country_of(const json_t *person)
{
    const char *res = json_string_value(json_object_get(person, "residence"));
    assert_non_null(res);
    const char *comma = strrchr(res, ',');
    assert_non_null(comma);
    return comma + 2;
}

static bool has_prefix_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Fails when a string anywhere in v holds a placeholder left over or a doubled space. */
static void assert_clean_text(const json_t *v)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (strchr(s, '{') || strchr(s, '}') || strstr(s, "  ") || s[0] == ' ' || !*s)
            fail_msg("untidy text: '%s'", s);
    } else if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach ((json_t *)v, k, x)
            assert_clean_text(x);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach (v, i, x)
            assert_clean_text(x);
    }
}

/* Fails unless n is in [lo, hi], naming what was counted. */
static void assert_count(const char *what, size_t n, size_t lo, size_t hi, const json_t *person)
{
    if (n < lo || n > hi) {
        char *text = dump(person);
        fail_msg("%s: %zu, expected %zu..%zu\n%s", what, n, lo, hi, text);
    }
}

/* Every field of the spec filled, with the counts the factory promises. */
static void assert_complete_person(const json_t *p)
{
    static const char *const strings[] = { "name",
                                           "gender",
                                           "nationality",
                                           "residence",
                                           "education",
                                           "language",
                                           "income_level",
                                           "style",
                                           "health",
                                           "occupation.title",
                                           "occupation.organization",
                                           "occupation.description" };
    for (size_t i = 0; i < ARRAY_SIZE(strings); i++)
        if (!str_at(p, strings[i]) || !*str_at(p, strings[i]))
            fail_msg("field %s missing", strings[i]);
    assert_true(json_integer_value(json_object_get(p, "age")) > 0);
    assert_count("traits", list_len(p, "personality.traits"), 3, 6, p);
    assert_int_equal(
        json_object_size(json_object_get(json_object_get(p, "personality"), "big_five")), 5);
    assert_count("interests", list_len(p, "preferences.interests"), 3, 6, p);
    assert_count("likes", list_len(p, "preferences.likes"), 3, 6, p);
    assert_count("dislikes", list_len(p, "preferences.dislikes"), 3, 5, p);
    assert_count("values", list_len(p, "values"), 2, 4, p);
    assert_count("beliefs", list_len(p, "beliefs"), 5, 8, p);
    assert_count("long_term_goals", list_len(p, "long_term_goals"), 2, 3, p);
    assert_count("skills", list_len(p, "skills"), 2, 4, p);
    assert_count("behaviors.general", list_len(p, "behaviors.general"), 2, 3, p);
    assert_non_null(str_at(p, "behaviors.routines.morning"));
    assert_non_null(str_at(p, "behaviors.routines.evening"));
    assert_count("relationships", list_len(p, "relationships"), 1, 3, p);
    assert_count("other_facts", list_len(p, "other_facts"), 3, 8, p);
    size_t i;
    const json_t *rel;
    json_array_foreach (json_object_get(p, "relationships"), i, rel) {
        assert_non_null(str_at(rel, "name"));
        assert_non_null(str_at(rel, "description"));
    }
    assert_clean_text(p);
}

/* ---- the whole factory ------------------------------------------------------------------- */

struct panel {
    json_t *people; /* array of persons */
    struct strlist names;
};

static void panel_release(struct panel *pl)
{
    json_decref(pl->people);
    strlist_release(&pl->names);
}

/*
 * Runs dimensions, plan, expansion (shuffled; a concrete age drawn in each
 * band) and one person per sample, as the engine does, validating every
 * answer and passing the names used so far.
 */
static void run_panel(const char *description, const char *language, int n, uint64_t seed,
                      struct panel *out)
{
    memset(out, 0, sizeof(*out));
    out->people = json_array();
    json_t *dims = dimensions_of(description, language, seed);
    struct task *pt = plan_task(description, dims, n);
    json_t *plan = plan_of(pt, seed + 1);
    assert_int_equal(plan_total(plan), n);

    /* expand and shuffle */
    size_t n_groups = json_array_size(json_object_get(plan, "groups"));
    size_t *samples = xcalloc((size_t)n + 1, sizeof(*samples));
    size_t k = 0;
    for (size_t g = 0; g < n_groups; g++) {
        const json_t *group = json_array_get(json_object_get(plan, "groups"), g);
        for (json_int_t q = 0; q < json_integer_value(json_object_get(group, "quantity")); q++)
            samples[k++] = g;
    }
    struct prng r;
    prng_seed(&r, seed + 2);
    prng_shuffle(&r, samples, k, sizeof(*samples));

    for (size_t i = 0; i < k; i++) {
        const json_t *group = json_array_get(json_object_get(plan, "groups"), samples[i]);
        struct task *t = person_task(description, language, NULL);
        const char *dim;
        json_t *value;
        json_object_foreach (json_object_get(group, "traits"), dim, value) {
            const char *v = json_string_value(value);
            char age[16];
            int lo, hi;
            if (strcmp(dim, "age") == 0 && sscanf(v, "%d-%d", &lo, &hi) == 2) {
                snprintf(age, sizeof(age), "%d", lo + (int)prng_below(&r, (uint64_t)(hi - lo + 1)));
                v = age;
            }
            person_add_pick(&t->u.person, dim, v);
        }
        for (size_t u = 0; u < out->names.n; u++)
            strlist_add(&t->u.person.used_names, out->names.items[u]);
        json_t *p = person_of(t, seed + 100 + i);
        const char *name = json_string_value(json_object_get(p, "name"));
        if (strlist_has(&out->names, name))
            fail_msg("name '%s' given twice", name);
        strlist_add(&out->names, name);
        json_array_append_new(out->people, p);
        task_free(t);
    }
    free(samples);
    json_decref(plan);
    task_free(pt);
    json_decref(dims);
}

/* ---- dimensions -------------------------------------------------------------------------- */

static void dimensions_of_brazilian_mothers(void **state)
{
    (void)state;
    json_t *a = dimensions_of("Brazilian mothers 25-40, mixed incomes", "en", SEED);
    assert_int_equal(n_values(a, "country"), 1);
    assert_true(share_of(a, "country", "Brazil") == 1.0);
    assert_age_range(a, 25, 40);
    assert_true(share_of(a, "gender", "female") >= 0.9);
    /* mixed incomes: every level, none dominating */
    assert_int_equal(n_values(a, "income_level"), 5);
    static const char *const levels[] = { "low", "lower middle", "middle", "upper middle", "high" };
    for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
        double s = share_of(a, "income_level", levels[i]);
        assert_true(s >= 0.08 && s <= 0.4);
    }
    assert_true(share_of(a, "life_stage", "parent of young children") > 0.5);
    static const char *const always[] = { "personality", "attitude_to_money",
                                          "attitude_to_technology", "cultural_background",
                                          "interests" };
    for (size_t i = 0; i < ARRAY_SIZE(always); i++)
        assert_non_null(find_dimension(a, always[i]));
    size_t np = n_values(a, "personality");
    assert_true(np >= 4 && np <= 6);
    json_decref(a);
}

static void dimensions_of_a_portuguese_description_are_in_portuguese(void **state)
{
    (void)state;
    json_t *a = dimensions_of("Mães brasileiras entre 25 e 40 anos, classe média", "pt-BR", SEED);
    assert_true(share_of(a, "country", "Brasil") == 1.0);
    assert_age_range(a, 25, 40);
    assert_true(share_of(a, "gender", "feminino") >= 0.9);
    assert_true(share_of(a, "income_level", "média") >= 0.4);
    assert_true(share_of(a, "attitude_to_money", "poupa sempre que pode") > 0);
    assert_true(share_of(a, "attitude_to_technology", "usa o que resolve") > 0);
    assert_true(share_of(a, "cultural_background", "cidade grande") > 0);
    assert_true(share_of(a, "life_stage", "com filhos pequenos") > 0);
    /* interests are topic labels in Portuguese, parenting favoured */
    assert_true(share_of(a, "interests",
                         topic_label(model,
                                     (size_t)(offline_topic_find(model->data, "parenting") -
                                              model->data->topics),
                                     OFFLINE_LANG_PT)) > 0.1);
    json_decref(a);
}

struct dims_case {
    const char *description, *language;
    const char *countries[6]; /* exactly these, NULL-terminated; empty: a diverse mix */
    int age_min, age_max;
    int gender;             /* 0 mixed, 1 mostly female, 2 mostly male */
    const char *income_top; /* the level with the largest share, or NULL */
};

static const struct dims_case DIMS_CASES[] = {
    { "Portuguese and Spanish men aged 30+", "en", { "Portugal", "Spain" }, 30, 75, 2, NULL },
    { "homens de baixa renda em Portugal, entre 25 e 40 anos",
      "pt-BR",
      { "Portugal" },
      25,
      40,
      2,
      "baixa" },
    { "Gen Z students in the US", "en", { "United States" }, 18, 28, 0, NULL },
    { "idosos aposentados no Brasil", "pt-BR", { "Brasil" }, 60, 85, 0, NULL },
    { "affluent seniors in Germany and France", "en", { "Germany", "France" }, 60, 85, 0, "high" },
    { "Adults 18–65 in Latin America",
      "en",
      { "Brazil", "Mexico", "Argentina", "Colombia", "Chile" },
      18,
      65,
      0,
      NULL },
    { "Latin American women in their 30s",
      "en",
      { "Brazil", "Mexico", "Argentina", "Colombia", "Chile" },
      30,
      39,
      1,
      NULL },
    { "jovens brasileiros", "pt-BR", { "Brasil" }, 18, 29, 0, NULL },
    { "dads from Canada and Australia, 30 to 45, middle class",
      "en",
      { "Canada", "Australia" },
      30,
      45,
      2,
      "middle" },
    { "Indian and Nigerian small business owners under 50",
      "en",
      { "India", "Nigeria" },
      18,
      49,
      0,
      NULL },
    { "consumidores de 18 a 34 anos", "pt-BR", { NULL }, 18, 34, 0, NULL },
    { "young professionals who love gadgets", "en", { NULL }, 22, 32, 0, NULL },
    { "pais de primeira viagem no Brasil", "pt-BR", { "Brasil" }, 24, 55, 2, NULL },
    { "British and Irish pensioners on a tight budget",
      "en",
      { "United Kingdom", "Ireland" },
      60,
      85,
      0,
      "low" },
};

static void dimensions_read_countries_ages_genders_and_incomes(void **state)
{
    (void)state;
    for (size_t c = 0; c < ARRAY_SIZE(DIMS_CASES); c++) {
        const struct dims_case *k = &DIMS_CASES[c];
        json_t *a = dimensions_of(k->description, k->language, SEED);
        size_t n_expected = 0;
        while (n_expected < ARRAY_SIZE(k->countries) && k->countries[n_expected])
            n_expected++;
        size_t got = n_values(a, "country");
        if (n_expected) {
            if (got != n_expected)
                fail_msg("'%s': %zu countries, expected %zu\n%s", k->description, got, n_expected,
                         dump(find_dimension(a, "country")));
            for (size_t i = 0; i < n_expected; i++)
                if (share_of(a, "country", k->countries[i]) <= 0)
                    fail_msg("'%s': %s missing", k->description, k->countries[i]);
        } else if (got < 12) {
            fail_msg("'%s': only %zu countries in the default mix", k->description, got);
        }
        const json_t *range = json_object_get(find_dimension(a, "age"), "range");
        int min = (int)json_number_value(json_object_get(range, "min"));
        int max = (int)json_number_value(json_object_get(range, "max"));
        if (min != k->age_min || max != k->age_max)
            fail_msg("'%s': ages %d-%d, expected %d-%d", k->description, min, max, k->age_min,
                     k->age_max);
        bool pt = strcmp(k->language, "pt-BR") == 0;
        double f = share_of(a, "gender", pt ? "feminino" : "female");
        double m = share_of(a, "gender", pt ? "masculino" : "male");
        if ((k->gender == 1 && f < 0.7) || (k->gender == 2 && m < 0.7) ||
            (k->gender == 0 && (f < 0.3 || m < 0.3)))
            fail_msg("'%s': female %.2f, male %.2f", k->description, f, m);
        if (k->income_top) {
            const json_t *inc = find_dimension(a, "income_level");
            const char *top = NULL;
            double best = -1;
            size_t i;
            const json_t *v;
            json_array_foreach (json_object_get(inc, "values"), i, v) {
                if (json_number_value(json_object_get(v, "share")) > best) {
                    best = json_number_value(json_object_get(v, "share"));
                    top = json_string_value(json_object_get(v, "value"));
                }
            }
            if (!top || strcmp(top, k->income_top) != 0)
                fail_msg("'%s': the top income is %s, expected %s", k->description, top,
                         k->income_top);
        }
        json_decref(a);
    }
}

static void dimensions_find_named_occupations_and_favoured_topics(void **state)
{
    (void)state;
    json_t *a = dimensions_of("nurses in Portugal aged 25 to 50", "en", SEED);
    assert_true(share_of(a, "occupation", "Nurse") > 0);
    assert_true(share_of(a, "country", "Portugal") == 1.0);
    json_decref(a);
    a = dimensions_of("enfermeiras e professoras do Brasil", "pt-BR", SEED);
    assert_true(share_of(a, "occupation", "Enfermeira") > 0);
    assert_true(share_of(a, "gender", "feminino") >= 0.9);
    json_decref(a);
    /* the topics a description names weigh more than the spread of others */
    a = dimensions_of("gamers under 30 who follow technology news", "en", SEED);
    size_t tech = (size_t)(offline_topic_find(model->data, "technology") - model->data->topics);
    size_t gaming = (size_t)(offline_topic_find(model->data, "gaming") - model->data->topics);
    double st = share_of(a, "interests", topic_label(model, tech, OFFLINE_LANG_EN));
    double sg = share_of(a, "interests", topic_label(model, gaming, OFFLINE_LANG_EN));
    assert_true(n_values(a, "interests") >= 10);
    size_t i;
    const json_t *v;
    json_array_foreach (json_object_get(find_dimension(a, "interests"), "values"), i, v) {
        const char *label = json_string_value(json_object_get(v, "value"));
        if (strcmp(label, topic_label(model, tech, OFFLINE_LANG_EN)) != 0 &&
            strcmp(label, topic_label(model, gaming, OFFLINE_LANG_EN)) != 0)
            assert_true(json_number_value(json_object_get(v, "share")) < st &&
                        json_number_value(json_object_get(v, "share")) < sg);
    }
    assert_age_range(a, 15, 29);
    json_decref(a);
}

static void dimensions_are_valid_for_many_descriptions_and_seeds(void **state)
{
    (void)state;
    static const char *const descriptions[] = {
        "",
        "people",
        "Brazilian mothers 25-40, mixed incomes",
        "Consumidores de classe C em São Paulo e Recife",
        "retirees in Japan and the Philippines aged 65+",
        "R$ 29,90 por mês para 200 pessoas de 30-45",
        "students, nurses, teachers and farmers from everywhere, all incomes",
        "3 to 4 dozen of 1000% 2024 $25-40 people",
    };
    for (size_t i = 0; i < ARRAY_SIZE(descriptions); i++) {
        for (uint64_t seed = 1; seed <= 20; seed++) {
            json_t *a = dimensions_of(descriptions[i], seed % 2 ? "en" : "pt-BR", seed);
            size_t n = json_array_size(json_object_get(a, "dimensions"));
            assert_true(n >= 3 && n <= 30);
            size_t k;
            const json_t *d;
            json_array_foreach (json_object_get(a, "dimensions"), k, d) {
                const json_t *values = json_object_get(d, "values");
                if (!values)
                    continue;
                double sum = 0;
                size_t j;
                const json_t *v;
                json_array_foreach (values, j, v)
                    sum += json_number_value(json_object_get(v, "share"));
                assert_true(fabs(sum - 1.0) < 1e-9);
            }
            const json_t *range = json_object_get(find_dimension(a, "age"), "range");
            assert_true(json_number_value(json_object_get(range, "min")) <=
                        json_number_value(json_object_get(range, "max")));
            json_decref(a);
        }
    }
    /* prices and big numbers are not ages */
    json_t *a = dimensions_of("R$ 29,90 por mês para 200 pessoas de 30-45", "pt-BR", 1);
    assert_age_range(a, 30, 45);
    json_decref(a);
    a = dimensions_of("3 to 4 dozen of 1000% 2024 $25-40 people", "en", 1);
    assert_age_range(a, 18, 75);
    json_decref(a);
}

/* ---- plan -------------------------------------------------------------------------------- */

static void plan_quantities_sum_exactly_to_n(void **state)
{
    (void)state;
    static const int sizes[] = { 1, 7, 50, 200, 1000 };
    static const char *const descriptions[] = { "Brazilian mothers 25-40, mixed incomes",
                                                "adults everywhere",
                                                "idosos aposentados no Brasil e em Portugal" };
    for (size_t d = 0; d < ARRAY_SIZE(descriptions); d++) {
        json_t *dims = dimensions_of(descriptions[d], d == 2 ? "pt-BR" : "en", SEED);
        for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
            struct task *t = plan_task(descriptions[d], dims, sizes[i]);
            json_t *plan = plan_of(t, SEED + i);
            assert_int_equal(plan_total(plan), sizes[i]);
            size_t n_groups = json_array_size(json_object_get(plan, "groups"));
            assert_true(n_groups >= 1 && n_groups <= 100);
            assert_true(n_groups <= (size_t)sizes[i]);
            /* one value per dimension; age bands inside the range */
            size_t g;
            const json_t *group;
            json_array_foreach (json_object_get(plan, "groups"), g, group) {
                const json_t *traits = json_object_get(group, "traits");
                assert_int_equal(json_object_size(traits), t->u.plan.n_dimensions);
                assert_true(json_integer_value(json_object_get(group, "quantity")) > 0);
                int lo, hi;
                assert_int_equal(sscanf(str_at(traits, "age"), "%d-%d", &lo, &hi), 2);
                const struct dimension *age = &t->u.plan.dimensions[1];
                assert_true(lo >= age->min && hi <= age->max && lo <= hi);
            }
            json_decref(plan);
            task_free(t);
        }
        json_decref(dims);
    }
}

static void plan_of_nobody_has_one_empty_group(void **state)
{
    (void)state;
    json_t *dims = dimensions_of("adults", "en", SEED);
    struct task *t = plan_task("adults", dims, 0);
    json_t *plan = plan_of(t, SEED);
    assert_int_equal(json_array_size(json_object_get(plan, "groups")), 1);
    assert_int_equal(plan_total(plan), 0);
    json_decref(plan);
    task_free(t);
    json_decref(dims);
}

static void plan_caps_the_groups_at_one_hundred(void **state)
{
    (void)state;
    struct task *t = task_new(TASK_PLAN);
    t->u.plan.description = xstrdup("everyone");
    t->u.plan.n = 5000;
    struct dimension *country = plan_add_dimension(&t->u.plan, "country");
    for (int i = 0; i < 40; i++) {
        char name[32];
        snprintf(name, sizeof(name), "Country %d", i);
        dimension_add_value(country, name, 1.0 / 40);
    }
    struct dimension *age = plan_add_dimension(&t->u.plan, "age");
    age->numeric = true;
    age->min = 18;
    age->max = 90;
    struct dimension *hh = plan_add_dimension(&t->u.plan, "household size");
    hh->numeric = true;
    hh->min = 1;
    hh->max = 6;
    json_t *plan = plan_of(t, SEED);
    size_t n_groups = json_array_size(json_object_get(plan, "groups"));
    assert_true(n_groups <= 100 && n_groups > 50);
    assert_int_equal(plan_total(plan), 5000);
    /* a numeric dimension that does not split is kept whole */
    assert_string_equal(
        str_at(json_array_get(json_object_get(plan, "groups"), 0), "traits.household size"), "1-6");
    json_decref(plan);
    task_free(t);
}

static void plan_spreads_unsplit_values_by_their_shares(void **state)
{
    (void)state;
    json_t *dims = dimensions_of("adults in Brazil", "en", SEED);
    struct task *t = plan_task("adults in Brazil", dims, 1000);
    json_t *plan = plan_of(t, SEED);
    /* gender does not split this plan (age and income do): its shares hold over the plan */
    int female = 0;
    size_t g;
    const json_t *group;
    json_array_foreach (json_object_get(plan, "groups"), g, group) {
        if (strcmp(str_at(group, "traits.gender"), "female") == 0)
            female += (int)json_integer_value(json_object_get(group, "quantity"));
    }
    assert_true(abs(female - 500) <= 60);
    json_decref(plan);
    task_free(t);
    json_decref(dims);
}

/* Dimensions as another model might write them: other names, numeric ranges, odd shares. */
static void plan_and_person_handle_foreign_dimensions(void **state)
{
    (void)state;
    struct task *t = task_new(TASK_PLAN);
    t->u.plan.description = xstrdup("urban shoppers");
    t->u.plan.n = 37;
    struct dimension *region = plan_add_dimension(&t->u.plan, "Region");
    dimension_add_value(region, "North", 0.3);
    dimension_add_value(region, "South", 0.7);
    struct dimension *group = plan_add_dimension(&t->u.plan, "Age group");
    dimension_add_value(group, "18-24", 0.2);
    dimension_add_value(group, "25-34", 0.5);
    dimension_add_value(group, "35-44", 0.0);
    dimension_add_value(group, "45-64", 0.3);
    struct dimension *money = plan_add_dimension(&t->u.plan, "household income (USD)");
    money->numeric = true;
    money->min = 20000.5;
    money->max = 90000;
    struct dimension *brand = plan_add_dimension(&t->u.plan, "favourite brand");
    dimension_add_value(brand, "Acme", 2);
    dimension_add_value(brand, "Globex", 2);
    json_t *plan = plan_of(t, SEED);
    assert_int_equal(plan_total(plan), 37);
    size_t g;
    const json_t *grp;
    json_array_foreach (json_object_get(plan, "groups"), g, grp) {
        assert_string_not_equal(str_at(grp, "traits.Age group"), "35-44");
        assert_string_equal(str_at(grp, "traits.household income (USD)"), "20000.5-90000");
        /* each group's traits make a person */
        struct task *pt = person_task("urban shoppers", "en", NULL);
        const char *dim;
        json_t *value;
        json_object_foreach (json_object_get(grp, "traits"), dim, value)
            person_add_pick(&pt->u.person, dim, json_string_value(value));
        json_t *p = person_of(pt, SEED + g);
        assert_complete_person(p);
        int lo, hi;
        assert_int_equal(sscanf(str_at(grp, "traits.Age group"), "%d-%d", &lo, &hi), 2);
        json_int_t age = json_integer_value(json_object_get(p, "age"));
        assert_true(age >= lo && age <= hi);
        char fact[64];
        snprintf(fact, sizeof(fact), "Region: %s", str_at(grp, "traits.Region"));
        bool kept = false;
        size_t i;
        const json_t *v;
        json_array_foreach (json_object_get(p, "other_facts"), i, v)
            kept |= strcmp(json_string_value(v), fact) == 0;
        assert_true(kept);
        json_decref(p);
        task_free(pt);
    }
    json_decref(plan);
    task_free(t);
}

/* No description, no language, no picks: still a whole person, valid for every seed. */
static void person_from_nothing_is_still_whole(void **state)
{
    (void)state;
    struct task *t = task_new(TASK_PERSON);
    for (uint64_t seed = 1; seed <= 60; seed++) {
        json_t *p = person_of(t, seed);
        assert_complete_person(p);
        strlist_add(&t->u.person.used_names, json_string_value(json_object_get(p, "name")));
        json_decref(p);
    }
    task_free(t);
}

/* ---- persons ----------------------------------------------------------------------------- */

static void person_respects_every_pick(void **state)
{
    (void)state;
    static const char *const picks[] = {
        "country",
        "Portugal",
        "age",
        "44",
        "gender",
        "male",
        "income_level",
        "high",
        "personality",
        "careful planner",
        "attitude_to_money",
        "frugal saver",
        "occupation",
        "Nurse",
        "interests",
        "travel",
        "attitude_to_technology",
        "sceptic",
        NULL,
    };
    struct task *t = person_task("people in Portugal", "en", picks);
    for (uint64_t seed = 1; seed <= 30; seed++) {
        json_t *p = person_of(t, seed);
        assert_complete_person(p);
        assert_string_equal(country_of(p), "Portugal");
        assert_int_equal(json_integer_value(json_object_get(p, "age")), 44);
        assert_string_equal(str_at(p, "gender"), "masculino");
        assert_string_equal(str_at(p, "language"), "pt-BR");
        assert_string_equal(str_at(p, "nationality"), "português");
        assert_string_equal(str_at(p, "income_level"), "high");
        assert_string_equal(str_at(p, "occupation.title"), "Enfermeiro");
        assert_string_not_equal(str_at(p, "personality.big_five.conscientiousness"), "low");
        /* frugal: thrift among the likes; sceptic: a belief of the kind */
        const struct offline_interests *travel = offline_interests_find(model->data, "travel");
        bool has_travel = false;
        size_t i;
        const json_t *v;
        json_array_foreach (json_object_get(json_object_get(p, "preferences"), "interests"), i, v) {
            has_travel |= strlist_has(&travel->items[OFFLINE_LANG_PT], json_string_value(v));
        }
        assert_true(has_travel);
        json_decref(p);
    }
    task_free(t);
}

static void person_reads_picks_in_portuguese(void **state)
{
    (void)state;
    static const char *const picks[] = {
        "país",
        "Brasil",
        "idade",
        "30-35",
        "gênero",
        "feminino",
        "renda",
        "média alta",
        "personalidade",
        "otimismo sociável",
        "fase da vida",
        "com filhos pequenos",
        NULL,
    };
    struct task *t = person_task("mães brasileiras", "pt-BR", picks);
    for (uint64_t seed = 1; seed <= 30; seed++) {
        json_t *p = person_of(t, seed);
        assert_complete_person(p);
        assert_string_equal(country_of(p), "Brasil");
        json_int_t age = json_integer_value(json_object_get(p, "age"));
        assert_true(age >= 30 && age <= 35);
        assert_string_equal(str_at(p, "gender"), "feminino");
        assert_string_equal(str_at(p, "nationality"), "brasileira");
        assert_string_equal(str_at(p, "income_level"), "upper_middle");
        assert_string_equal(str_at(p, "personality.big_five.extraversion"), "high");
        /* a young child among the relationships */
        bool child = false;
        size_t i;
        const json_t *rel;
        json_array_foreach (json_object_get(p, "relationships"), i, rel) {
            child |= has_prefix_ci(str_at(rel, "description"), "Filh");
        }
        if (!child)
            fail_msg("no child:\n%s", dump(p));
        json_decref(p);
    }
    task_free(t);
}

static void person_keeps_unknown_picks_as_facts(void **state)
{
    (void)state;
    static const char *const picks[] = { "country", "Canada", "favourite season", "winter", NULL };
    struct task *t = person_task("Canadians", "en", picks);
    json_t *p = person_of(t, SEED);
    assert_string_equal(country_of(p), "Canada");
    bool kept = false;
    size_t i;
    const json_t *v;
    json_array_foreach (json_object_get(p, "other_facts"), i, v)
        kept |= strcmp(json_string_value(v), "favourite season: winter") == 0;
    assert_true(kept);
    json_decref(p);
    task_free(t);
}

static void person_never_takes_a_used_name(void **state)
{
    (void)state;
    /* every first and last name pair of Ireland's women is taken */
    const struct offline_names *nm = offline_names_find(model->data, "Ireland");
    assert_non_null(nm);
    static const char *const picks[] = { "country", "Ireland", "gender", "female", NULL };
    struct task *t = person_task("Irish women", "en", picks);
    for (size_t f = 0; f < nm->female.n; f++) {
        for (size_t l = 0; l < nm->last.n; l++) {
            char name[256];
            snprintf(name, sizeof(name), "%s %s", nm->female.items[f], nm->last.items[l]);
            strlist_add(&t->u.person.used_names, name);
        }
    }
    for (uint64_t seed = 1; seed <= 5; seed++) {
        json_t *p = person_of(t, seed); /* the validator refuses a used name */
        assert_non_null(strstr(str_at(p, "name"), ". "));
        json_decref(p);
    }
    /* and the validator would have refused a taken one */
    json_t *p = person_of(t, SEED);
    json_t *copy = json_deep_copy(p);
    json_object_set_new(copy, "name", json_string(t->u.person.used_names.items[0]));
    struct err err = ERR_INIT;
    assert_int_equal(task_validate(t, copy, &err), ERR_INVALID);
    json_decref(copy);
    json_decref(p);
    task_free(t);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The words of a person's JSON text, lower-cased, sorted and unique. */
struct word_set {
    char *text; /* owned; the words point into it */
    char **words;
    size_t n;
};

static void word_set_init(struct word_set *ws, const json_t *p)
{
    ws->text = json_dumps(p, 0);
    size_t len = strlen(ws->text);
    ws->words = xcalloc(len / 2 + 1, sizeof(*ws->words));
    ws->n = 0;
    char *c = ws->text;
    while (*c) {
        while (*c && !((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                       (*c >= '0' && *c <= '9') || (unsigned char)*c >= 0x80))
            c++;
        if (!*c)
            break;
        char *w = c;
        while ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
               (unsigned char)*c >= 0x80) {
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c + 32);
            c++;
        }
        if (*c)
            *c++ = '\0';
        ws->words[ws->n++] = w;
    }
    qsort(ws->words, ws->n, sizeof(*ws->words), cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < ws->n; i++)
        if (u == 0 || strcmp(ws->words[u - 1], ws->words[i]) != 0)
            ws->words[u++] = ws->words[i];
    ws->n = u;
}

static void word_set_release(struct word_set *ws)
{
    free(ws->text);
    free(ws->words);
}

/* Jaccard similarity of two sorted unique word sets. */
static double jaccard(const struct word_set *a, const struct word_set *b)
{
    size_t i = 0, j = 0, common = 0;
    while (i < a->n && j < b->n) {
        int c = strcmp(a->words[i], b->words[j]);
        if (c == 0) {
            common++;
            i++;
            j++;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    size_t all = a->n + b->n - common;
    return all ? (double)common / (double)all : 1;
}

static void panel_of_mothers_respects_the_population(void **state)
{
    (void)state;
    struct panel pl;
    run_panel("Mães brasileiras de 25 a 40 anos, rendas variadas", "pt-BR", 200, SEED, &pl);
    assert_int_equal(json_array_size(pl.people), 200);
    int incomes[6] = { 0 };
    size_t i;
    const json_t *p;
    json_array_foreach (pl.people, i, p) {
        assert_complete_person(p);
        assert_string_equal(country_of(p), "Brasil");
        assert_string_equal(str_at(p, "language"), "pt-BR");
        assert_string_equal(str_at(p, "gender"), "feminino");
        json_int_t age = json_integer_value(json_object_get(p, "age"));
        assert_true(age >= 25 && age <= 40);
        static const char *const levels[] = { "",       "low",          "lower_middle",
                                              "middle", "upper_middle", "high" };
        for (int k = 1; k <= 5; k++)
            incomes[k] += strcmp(str_at(p, "income_level"), levels[k]) == 0;
    }
    for (int k = 1; k <= 5; k++)
        assert_true(incomes[k] >= 10);
    panel_release(&pl);
}

/* An unconstrained English panel: diverse, plausible, and nobody twice. */
static void panel_of_adults_is_diverse_and_plausible(void **state)
{
    (void)state;
    struct panel pl;
    run_panel("adults", "en", 200, SEED, &pl);
    assert_int_equal(json_array_size(pl.people), 200);
    struct strlist countries = { 0 }, occupations = { 0 };
    int langs[2] = { 0 }, incomes[6] = { 0 }, genders[2] = { 0 };
    struct word_set *sets = xcalloc(200, sizeof(*sets));
    size_t i;
    const json_t *p;
    json_array_foreach (pl.people, i, p) {
        assert_complete_person(p);
        if (!strlist_has(&countries, country_of(p)))
            strlist_add(&countries, country_of(p));
        if (!strlist_has(&occupations, str_at(p, "occupation.title")))
            strlist_add(&occupations, str_at(p, "occupation.title"));
        langs[strcmp(str_at(p, "language"), "pt-BR") == 0]++;
        const char *g = str_at(p, "gender");
        genders[0] += strcmp(g, "female") == 0 || strcmp(g, "feminino") == 0;
        genders[1] += strcmp(g, "male") == 0 || strcmp(g, "masculino") == 0;
        static const char *const levels[] = { "",       "low",          "lower_middle",
                                              "middle", "upper_middle", "high" };
        for (int k = 1; k <= 5; k++)
            incomes[k] += strcmp(str_at(p, "income_level"), levels[k]) == 0;
        /* the occupation fits the age */
        json_int_t age = json_integer_value(json_object_get(p, "age"));
        assert_true(age >= 18 && age <= 75);
        const char *title = str_at(p, "occupation.title");
        if (strcasestr(title, "retired") || strcasestr(title, "aposentad"))
            if (age < 55)
                fail_msg("a retiree of %d:\n%s", (int)age, dump(p));
        if (strcasestr(title, "student") || strcasestr(title, "estudante"))
            if (age > 40)
                fail_msg("a student of %d:\n%s", (int)age, dump(p));
        word_set_init(&sets[i], p);
    }
    if (countries.n < 12)
        fail_msg("only %zu countries", countries.n);
    assert_true(langs[0] >= 20 && langs[1] >= 5);
    assert_true(genders[0] >= 70 && genders[1] >= 70);
    for (int k = 1; k <= 5; k++)
        if (incomes[k] < 6)
            fail_msg("income level %d: only %d people", k, incomes[k]);
    assert_true(occupations.n >= 60);
    /* no near-duplicates (the engine rejects a word-set Jaccard similarity above 0.8) */
    double worst = 0;
    for (size_t a = 0; a < 200; a++)
        for (size_t b = a + 1; b < 200; b++) {
            double j = jaccard(&sets[a], &sets[b]);
            worst = j > worst ? j : worst;
        }
    if (worst >= 0.7)
        fail_msg("two people are %.2f alike", worst);
    for (size_t k = 0; k < 200; k++)
        word_set_release(&sets[k]);
    free(sets);
    strlist_release(&countries);
    strlist_release(&occupations);
    panel_release(&pl);
}

static void panel_of_a_named_country_stays_there(void **state)
{
    (void)state;
    struct panel pl;
    run_panel("Japanese office workers aged 30 to 55, upper middle class", "en", 60, SEED, &pl);
    size_t i;
    const json_t *p;
    json_array_foreach (pl.people, i, p) {
        assert_complete_person(p);
        assert_string_equal(country_of(p), "Japan");
        assert_string_equal(str_at(p, "language"), "en");
        json_int_t age = json_integer_value(json_object_get(p, "age"));
        assert_true(age >= 30 && age <= 55);
        assert_false(strcasestr(str_at(p, "occupation.title"), "student"));
    }
    panel_release(&pl);
}

/* ---- determinism and goldens ------------------------------------------------------------- */

static const char *const GOLDEN_PICKS[2][20] = {
    { "country", "United States", "age", "34", "gender", "female", "income_level", "middle",
      "personality", "curious explorer", "attitude_to_money", "balanced", "attitude_to_technology",
      "early adopter", "cultural_background", "big-city urban", "interests", "technology", NULL },
    { "country", "Brasil", "age", "41", "gender", "masculino", "income_level", "média baixa",
      "personality", "planejamento cuidadoso", "attitude_to_money", "poupa sempre que pode",
      "attitude_to_technology", "usa o que resolve", "life_stage", "com filhos adolescentes",
      "interests", "esportes", NULL },
};

static struct task *golden_task(int pt)
{
    return person_task(pt ? "Pais brasileiros de 35 a 50 anos" : "American city dwellers",
                       pt ? "pt-BR" : "en", GOLDEN_PICKS[pt]);
}

static void answers_are_deterministic(void **state)
{
    (void)state;
    for (int pt = 0; pt < 2; pt++) {
        struct task *t = golden_task(pt);
        json_t *a = person_of(t, SEED), *b = person_of(t, SEED), *c = person_of(t, SEED + 1);
        char *sa = dump(a), *sb = dump(b), *sc = dump(c);
        assert_string_equal(sa, sb);
        assert_string_not_equal(sa, sc);
        free(sa);
        free(sb);
        free(sc);
        json_decref(a);
        json_decref(b);
        json_decref(c);
        task_free(t);
    }
    json_t *d1 = dimensions_of("Brazilian mothers 25-40, mixed incomes", "en", SEED);
    json_t *d2 = dimensions_of("Brazilian mothers 25-40, mixed incomes", "en", SEED);
    char *s1 = dump(d1), *s2 = dump(d2);
    assert_string_equal(s1, s2);
    struct task *t = plan_task("Brazilian mothers", d1, 50);
    json_t *p1 = plan_of(t, SEED), *p2 = plan_of(t, SEED);
    char *q1 = dump(p1), *q2 = dump(p2);
    assert_string_equal(q1, q2);
    free(q1);
    free(q2);
    json_decref(p1);
    json_decref(p2);
    task_free(t);
    free(s1);
    free(s2);
    json_decref(d1);
    json_decref(d2);
}

static void persons_match_the_goldens(void **state)
{
    (void)state;
    for (int pt = 0; pt < 2; pt++) {
        struct task *t = golden_task(pt);
        json_t *a = person_of(t, SEED);
        assert_complete_person(a);
        char *text = dump(a);
        assert_golden(pt ? "person_pt.json" : "person_en.json", text);
        free(text);
        json_decref(a);
        task_free(t);
    }
}

static void dimensions_and_plans_match_the_goldens(void **state)
{
    (void)state;
    static const char *const population[2] = { "American city dwellers 25-60, mixed incomes",
                                               "Pais brasileiros de 35 a 50 anos, renda variada" };
    for (int pt = 0; pt < 2; pt++) {
        json_t *dims = dimensions_of(population[pt], pt ? "pt-BR" : "en", SEED);
        char *text = dump(dims);
        assert_golden(pt ? "dimensions_pt.json" : "dimensions_en.json", text);
        free(text);
        struct task *t = plan_task(population[pt], dims, 30);
        json_t *plan = plan_of(t, SEED);
        text = dump(plan);
        assert_golden(pt ? "plan_pt.json" : "plan_en.json", text);
        free(text);
        json_decref(plan);
        task_free(t);
        json_decref(dims);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dimensions_of_brazilian_mothers),
        cmocka_unit_test(dimensions_of_a_portuguese_description_are_in_portuguese),
        cmocka_unit_test(dimensions_read_countries_ages_genders_and_incomes),
        cmocka_unit_test(dimensions_find_named_occupations_and_favoured_topics),
        cmocka_unit_test(dimensions_are_valid_for_many_descriptions_and_seeds),
        cmocka_unit_test(plan_quantities_sum_exactly_to_n),
        cmocka_unit_test(plan_of_nobody_has_one_empty_group),
        cmocka_unit_test(plan_caps_the_groups_at_one_hundred),
        cmocka_unit_test(plan_spreads_unsplit_values_by_their_shares),
        cmocka_unit_test(plan_and_person_handle_foreign_dimensions),
        cmocka_unit_test(person_from_nothing_is_still_whole),
        cmocka_unit_test(person_respects_every_pick),
        cmocka_unit_test(person_reads_picks_in_portuguese),
        cmocka_unit_test(person_keeps_unknown_picks_as_facts),
        cmocka_unit_test(person_never_takes_a_used_name),
        cmocka_unit_test(panel_of_mothers_respects_the_population),
        cmocka_unit_test(panel_of_adults_is_diverse_and_plausible),
        cmocka_unit_test(panel_of_a_named_country_stays_there),
        cmocka_unit_test(answers_are_deterministic),
        cmocka_unit_test(persons_match_the_goldens),
        cmocka_unit_test(dimensions_and_plans_match_the_goldens),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
