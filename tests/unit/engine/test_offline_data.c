/*
 * tests/unit/engine/test_offline_data.c - the offline model's tables
 * (engine/offline/data.h): the embedded data loads, passes every check and
 * keeps its minimum sizes (so it cannot silently shrink); every error of the
 * parser and of the checks across files, with its "file:line: reason"
 * message, on a small valid data set with one file replaced; loading from a
 * folder (keywords the tokenizer cannot match are refused); each lookup;
 * and the text helpers (occupation phrases, language names).
 */
#include "core/compat.h"

#include <fcntl.h>
#include <setjmp.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/buf.h"
#include "engine/offline/data.h"
#include "testutil.h"

/* The files in the order offline_data_load reads them (data.c's FILE_PATHS). */
enum { TOPICS, WORDS, TRAITS, PHRASES, ANCHORS, COUNTRIES, NAMES, OCCUPATIONS, INTERESTS, N_FILES };

static const char *const PATHS[N_FILES] = {
    "offline/topics.tsv",         "offline/words.tsv",
    "offline/traits.tsv",         "offline/phrases.tsv",
    "offline/anchors.tsv",        "demographics/countries.tsv",
    "demographics/names.tsv",     "demographics/occupations.tsv",
    "demographics/interests.tsv",
};

static const char *const SETS[] = { "purchase_intent", "appeal", "clarity", "trust", "value" };
static const char *const KINDS[] = { "hype",     "positive", "negative", "jargon",
                                     "required", "approve",  "reject",   "unsure" };

/* ---- a small valid data set --------------------------------------------------------- */

/* Appends "prefix1, prefix2, ... prefixN". */
static void add_names(struct buf *b, const char *prefix, int n)
{
    for (int i = 1; i <= n; i++)
        buf_addf(b, "%s%s%d", i > 1 ? ", " : "", prefix, i);
}

/*
 * Fills files[] with a minimal valid data set: two topics, every phrase key
 * in both languages (key k's English line is line 2k+1), one country with 20
 * names of each kind, one occupation. The caller releases the bufs.
 */
static void minimal(struct buf files[N_FILES])
{
    for (int i = 0; i < N_FILES; i++)
        buf_init(&files[i], 1 << 20);
    buf_adds(&files[TOPICS], "tech\ten\ttechnology, gadget*, smart home\n"
                             "tech\tpt-BR\ttecnologia, eletrônic*\n"
                             "food\ten\tfood, meal*\n"
                             "food\tpt-BR\tcomida, refeiç*\n");
    for (size_t k = 0; k < ARRAY_SIZE(KINDS); k++)
        buf_addf(&files[WORDS], "%s\ten\t%s word\n%s\tpt-BR\tpalavra %s\n", KINDS[k], KINDS[k],
                 KINDS[k], KINDS[k]);
    buf_adds(&files[TRAITS], "curious\ten\topenness\t+\ncurios*\tpt-BR\topenness\t+\n");
    for (size_t k = 0; k < N_OFFLINE_PHRASE_KEYS; k++)
        buf_addf(&files[PHRASES], "%s\ten\tEnglish %zu.\n%s\tpt-BR\tPortuguês %zu.\n",
                 OFFLINE_PHRASE_KEYS[k], k, OFFLINE_PHRASE_KEYS[k], k);
    for (size_t s = 0; s < ARRAY_SIZE(SETS); s++)
        for (int lang = 0; lang < 2; lang++)
            for (int pt = 1; pt <= 5; pt++)
                buf_addf(&files[ANCHORS], "%s\t%s\t%d\t%s %d.\n", SETS[s], lang ? "pt-BR" : "en",
                         pt, lang ? "Ponto" : "Point", pt);
    buf_adds(&files[COUNTRIES],
             "Brazil\tpt-BR\tBrazilian\tR$\tRecife, Salvador\t0.30, 0.32, 0.23, 0.10, 0.05\n");
    const char *kinds[] = { "female", "male", "last" };
    for (int k = 0; k < 3; k++) {
        buf_addf(&files[NAMES], "Brazil\t%s\t", kinds[k]);
        add_names(&files[NAMES], kinds[k], 20);
        buf_addch(&files[NAMES], '\n');
    }
    buf_adds(
        &files[OCCUPATIONS],
        "Nurse\tEnfermeiro|Enfermeira\t21\tbachelor\tlower_middle\tupper_middle\ttech, food\n");
    buf_adds(&files[INTERESTS], "tech\ten\tgadgets\ntech\tpt-BR\tgadgets\n"
                                "food\ten\tcooking, baking\nfood\tpt-BR\tcozinhar\n");
}

static void release(struct buf files[N_FILES])
{
    for (int i = 0; i < N_FILES; i++)
        buf_release(&files[i]);
}

/* Parses files[] as data/<path> in order, then finishes; *out is the data (free it). */
static enum err_code load_files(struct buf files[N_FILES], struct offline_data **out,
                                struct err *err)
{
    struct offline_data *d = offline_data_new();
    enum err_code rc = ERR_OK;
    for (int i = 0; i < N_FILES && !rc; i++) {
        char name[64];
        snprintf(name, sizeof(name), "data/%s", PATHS[i]);
        rc = offline_data_parse(d, name, files[i].data, files[i].len, err);
    }
    if (!rc)
        rc = offline_data_finish(d, err);
    *out = d;
    return rc;
}

/* Loads the minimal set with file `which` replaced by text; asserts the exact error message. */
static void expect_error(int which, const char *text, const char *want)
{
    struct buf files[N_FILES];
    minimal(files);
    if (text) {
        buf_reset(&files[which]);
        buf_adds(&files[which], text);
    }
    struct offline_data *d = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = load_files(files, &d, &err);
    offline_data_free(d);
    release(files);
    if (rc != ERR_INVALID)
        fail_msg("expected ERR_INVALID '%s', got %s '%s'", want, err_slug(rc), err.msg);
    assert_string_equal(err.msg, want);
}

/* Like expect_error with two files replaced: which[i] by texts[i]. */
static void expect_error2(const int which[2], const char *const texts[2], const char *want)
{
    struct buf files[N_FILES];
    minimal(files);
    for (int i = 0; i < 2; i++) {
        buf_reset(&files[which[i]]);
        buf_adds(&files[which[i]], texts[i]);
    }
    struct offline_data *d = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = load_files(files, &d, &err);
    offline_data_free(d);
    release(files);
    if (rc != ERR_INVALID)
        fail_msg("expected ERR_INVALID '%s', got %s '%s'", want, err_slug(rc), err.msg);
    assert_string_equal(err.msg, want);
}

/* Like expect_error, with text appended to the minimal file instead of replacing it. */
static void expect_error_appended(int which, const char *text, const char *want)
{
    struct buf files[N_FILES];
    minimal(files);
    buf_adds(&files[which], text);
    struct offline_data *d = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = load_files(files, &d, &err);
    offline_data_free(d);
    release(files);
    if (rc != ERR_INVALID)
        fail_msg("expected ERR_INVALID '%s', got %s '%s'", want, err_slug(rc), err.msg);
    assert_string_equal(err.msg, want);
}

/* Loads the minimal set with file `which` replaced by text (NULL: unchanged); must succeed. */
static struct offline_data *load_ok(int which, const char *text)
{
    struct buf files[N_FILES];
    minimal(files);
    if (text) {
        buf_reset(&files[which]);
        buf_adds(&files[which], text);
    }
    struct offline_data *d = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = load_files(files, &d, &err);
    release(files);
    assert_ok(rc, &err);
    return d;
}

/* ---- the embedded data -------------------------------------------------------------- */

static struct offline_data *embedded(void)
{
    struct offline_data *d = NULL;
    struct err err = ERR_INIT;
    assert_ok(offline_data_load(NULL, &d, &err), &err);
    assert_non_null(d);
    return d;
}

static void embedded_data_loads(void **state)
{
    (void)state;
    struct offline_data *d = embedded();
    assert_true(d->n_topics > 0 && d->n_phrases > 0 && d->n_countries > 0);
    offline_data_free(d);
}

static void embedded_topics_meet_minimums(void **state)
{
    (void)state;
    static const char *const required[] = {
        "technology",     "health",     "fitness",  "family",   "parenting", "money",
        "sustainability", "fashion",    "beauty",   "food",     "travel",    "sport",
        "gaming",         "education",  "security", "home",     "pets",      "entertainment",
        "music",          "automotive", "career",   "outdoors",
    };
    struct offline_data *d = embedded();
    assert_true(d->n_topics >= 18);
    for (size_t i = 0; i < ARRAY_SIZE(required); i++)
        if (!offline_topic_find(d, required[i]))
            fail_msg("no topic '%s'", required[i]);
    for (size_t i = 0; i < d->n_topics; i++) {
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
            size_t n = d->topics[i].keywords[lang].n;
            if (n < 15 || n > 40)
                fail_msg("topic '%s' has %zu %s keywords (15 to 40)", d->topics[i].name, n,
                         offline_lang_name(lang));
        }
    }
    /* inflections are there: prefixes in both languages */
    const struct offline_topic *t = offline_topic_find(d, "sustainability");
    assert_true(strlist_has(&t->keywords[OFFLINE_LANG_PT], "sustentáv*"));
    assert_true(strlist_has(&t->keywords[OFFLINE_LANG_PT], "ecológic*"));
    assert_true(strlist_has(&t->keywords[OFFLINE_LANG_EN], "eco-friendly"));
    offline_data_free(d);
}

static void embedded_words_and_traits_meet_minimums(void **state)
{
    (void)state;
    static const size_t minimum[WORDS_COUNT_] = { 20, 40, 40, 30, 15 };
    struct offline_data *d = embedded();
    for (int k = 0; k < WORDS_COUNT_; k++)
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            if (d->words[k][lang].n < minimum[k])
                fail_msg("%zu '%s' words for %s (at least %zu)", d->words[k][lang].n, KINDS[k],
                         offline_lang_name(lang), minimum[k]);
    assert_true(strlist_has(&d->words[WORDS_REQUIRED][OFFLINE_LANG_PT], "cpf"));
    assert_true(strlist_has(&d->words[WORDS_HYPE][OFFLINE_LANG_EN], "100%"));

    size_t per_lang[OFFLINE_N_LANGS] = { 0 }, poles[OFFLINE_N_LANGS][BIG5_COUNT_][2] = { 0 };
    for (size_t i = 0; i < d->n_traits; i++) {
        const struct offline_trait *t = &d->traits[i];
        per_lang[t->lang]++;
        poles[t->lang][t->dimension][t->sign > 0]++;
    }
    for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
        assert_true(per_lang[lang] >= 60);
        for (int dim = 0; dim < BIG5_COUNT_; dim++)
            for (int s = 0; s < 2; s++)
                if (poles[lang][dim][s] < 3)
                    fail_msg("only %zu %s trait words for dimension %d %c", poles[lang][dim][s],
                             offline_lang_name(lang), dim, s ? '+' : '-');
    }
    offline_data_free(d);
}

static void embedded_phrases_meet_minimums(void **state)
{
    (void)state;
    struct offline_data *d = embedded();
    assert_int_equal(d->n_phrases, 2 * N_OFFLINE_PHRASE_KEYS);
    for (size_t k = 0; k < N_OFFLINE_PHRASE_KEYS; k++) {
        const char *key = OFFLINE_PHRASE_KEYS[k];
        size_t want = strncmp(key, "react.", 6) == 0 || strncmp(key, "topic.", 6) == 0 ? 6 : 4;
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
            const struct strlist *alt = offline_phrases_find(d, key, lang);
            assert_non_null(alt);
            if (alt->n < want)
                fail_msg("'%s' has %zu %s alternatives (at least %zu)", key, alt->n,
                         offline_lang_name(lang), want);
        }
    }
    offline_data_free(d);
}

/* The writing rules of phrases.tsv that a program can check. */
static void embedded_phrases_follow_the_writing_rules(void **state)
{
    (void)state;
    static const char *const lower[] = { "{topic}", "{interest}", "{dislike}", "{occupation}" };
    static const char *const pt_articles[] = { "o {product}", "a {product}", "o {speaker}",
                                               "a {speaker}", "o {topic}",   "a {topic}" };
    struct offline_data *d = embedded();
    for (size_t i = 0; i < d->n_phrases; i++) {
        const struct offline_phrases *p = &d->phrases[i];
        for (size_t j = 0; j < p->alternatives.n; j++) {
            const char *t = p->alternatives.items[j];
            /* a lower-case placeholder never starts a sentence */
            for (size_t k = 0; k < ARRAY_SIZE(lower); k++) {
                const char *at = strstr(t, lower[k]);
                for (; at; at = strstr(at + 1, lower[k]))
                    if (at == t || (at >= t + 2 && at[-1] == ' ' && strchr(".?!", at[-2])))
                        fail_msg("%s starts a sentence in '%s': %s", lower[k], p->key, t);
            }
            if (p->lang == OFFLINE_LANG_PT)
                for (size_t k = 0; k < ARRAY_SIZE(pt_articles); k++) {
                    const char *at = strstr(t, pt_articles[k]);
                    if (at && (at == t || at[-1] == ' '))
                        fail_msg("article before a placeholder in '%s': %s", p->key, t);
                }
            assert_int_not_equal(t[strlen(t) - 1], ' ');
        }
    }
    offline_data_free(d);
}

static void embedded_anchors_are_complete(void **state)
{
    (void)state;
    struct offline_data *d = embedded();
    for (size_t s = 0; s < ARRAY_SIZE(SETS); s++) {
        const struct offline_anchor_set *a = offline_anchors_find(d, SETS[s]);
        assert_non_null(a);
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            for (int pt = 0; pt < 5; pt++)
                assert_non_null(a->statements[lang][pt]);
    }
    const struct offline_anchor_set *pi = offline_anchors_find(d, "purchase_intent");
    assert_string_equal(pi->statements[OFFLINE_LANG_EN][0], "I would definitely not buy this.");
    assert_string_equal(pi->statements[OFFLINE_LANG_EN][4], "I would definitely buy this.");
    offline_data_free(d);
}

static void embedded_demographics_meet_minimums(void **state)
{
    (void)state;
    static const char *const required[] = {
        "United States", "United Kingdom", "Canada",    "Australia", "Brazil",
        "Portugal",      "Mexico",         "Argentina", "Spain",     "France",
        "Germany",       "Italy",          "India",     "Nigeria",   "Japan",
    };
    struct offline_data *d = embedded();
    assert_true(d->n_countries >= 14);
    for (size_t i = 0; i < ARRAY_SIZE(required); i++)
        if (!offline_country_find(d, required[i]))
            fail_msg("no country '%s'", required[i]);
    for (size_t i = 0; i < d->n_countries; i++) {
        const struct offline_country *c = &d->countries[i];
        assert_true(c->cities.n >= 6);
        const struct offline_names *n = offline_names_find(d, c->name);
        assert_non_null(n);
        if (n->female.n < 30 || n->male.n < 30 || n->last.n < 30)
            fail_msg("'%s' has %zu female, %zu male, %zu last names (30 each)", c->name,
                     n->female.n, n->male.n, n->last.n);
    }
    assert_string_equal(offline_country_find(d, "Brazil")->language, "pt-BR");
    assert_string_equal(offline_country_find(d, "Portugal")->language, "pt-BR");
    assert_string_equal(offline_country_find(d, "Japan")->language, "en");

    assert_true(d->n_occupations >= 80);
    bool student = false, retiree = false;
    for (size_t i = 0; i < d->n_occupations; i++) {
        const struct offline_occupation *o = &d->occupations[i];
        if (strcmp(o->title[OFFLINE_LANG_EN], "Student") == 0)
            student = o->min_age == 18;
        if (strcmp(o->title[OFFLINE_LANG_EN], "Retiree") == 0)
            retiree = o->min_age == 60;
    }
    assert_true(student && retiree);

    for (size_t i = 0; i < d->n_topics; i++) {
        const struct offline_interests *in = offline_interests_find(d, d->topics[i].name);
        assert_non_null(in);
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++)
            if (in->items[lang].n < 12)
                fail_msg("topic '%s' has %zu %s interests (at least 12)", in->topic,
                         in->items[lang].n, offline_lang_name(lang));
    }
    offline_data_free(d);
}

/* ---- the minimal set and its lookups ----------------------------------------------- */

static void minimal_set_loads_and_every_lookup_works(void **state)
{
    (void)state;
    struct offline_data *d = load_ok(0, NULL);

    const struct offline_topic *t = offline_topic_find(d, "tech");
    assert_non_null(t);
    assert_string_equal(offline_topic_label(t, OFFLINE_LANG_PT), "tecnologia");
    assert_string_equal(t->keywords[OFFLINE_LANG_EN].items[1], "gadget*");
    assert_null(offline_topic_find(d, "Tech"));

    const struct strlist *p = offline_phrases_find(d, "insights.caution", OFFLINE_LANG_PT);
    assert_non_null(p);
    assert_int_equal(p->n, 1);
    assert_string_equal(p->items[0], "Português 47.");
    assert_non_null(offline_phrases_find(d, "react.love", OFFLINE_LANG_EN));
    assert_null(offline_phrases_find(d, "react.lov", OFFLINE_LANG_EN));
    assert_null(offline_phrases_find(d, "react.love", 2));

    const struct offline_anchor_set *a = offline_anchors_find(d, "trust");
    assert_non_null(a);
    assert_string_equal(a->statements[OFFLINE_LANG_PT][2], "Ponto 3.");
    assert_null(offline_anchors_find(d, "loyalty"));

    const struct offline_country *c = offline_country_find(d, "brazil");
    assert_non_null(c);
    assert_string_equal(c->currency, "R$");
    assert_string_equal(c->cities.items[1], "Salvador");
    assert_true(c->income_shares[4] > 0.049 && c->income_shares[4] < 0.051);
    assert_null(offline_country_find(d, "Chile"));

    const struct offline_names *n = offline_names_find(d, "Brazil");
    assert_non_null(n);
    assert_int_equal(n->male.n, 20);
    assert_string_equal(n->last.items[19], "last20");
    assert_null(offline_names_find(d, "Peru"));

    const struct offline_interests *in = offline_interests_find(d, "food");
    assert_non_null(in);
    assert_string_equal(in->items[OFFLINE_LANG_EN].items[1], "baking");

    const struct offline_occupation *o = &d->occupations[0];
    assert_string_equal(o->title[OFFLINE_LANG_PT], "Enfermeiro");
    assert_string_equal(o->title_female[OFFLINE_LANG_PT], "Enfermeira");
    assert_string_equal(o->title_female[OFFLINE_LANG_EN], "Nurse");
    assert_int_equal(o->income_low, INCOME_LOWER_MIDDLE);
    assert_int_equal(o->income_high, INCOME_UPPER_MIDDLE);
    assert_int_equal(o->min_age, 21);

    assert_int_equal(d->n_traits, 2);
    assert_string_equal(d->traits[1].word, "curios*");
    assert_int_equal(d->traits[1].dimension, BIG5_OPENNESS);
    assert_int_equal(d->traits[1].sign, 1);
    offline_data_free(d);
}

static void keywords_are_lower_cased_and_lines_may_be_crlf_with_a_bom(void **state)
{
    (void)state;
    struct offline_data *d = load_ok(TOPICS, "\xEF\xBB\xBF# comment\r\n\r\n  \t \r\n"
                                             "tech\ten\tTechnology, GADGET*\r\n"
                                             "tech\tpt-BR\tTECNOLOGIA, ELETRÔNIC*\r\n"
                                             "food\ten\tfood\n"
                                             "food\tpt-BR\t comida \n");
    const struct offline_topic *t = offline_topic_find(d, "tech");
    assert_string_equal(t->keywords[OFFLINE_LANG_EN].items[0], "technology");
    assert_string_equal(t->keywords[OFFLINE_LANG_EN].items[1], "gadget*");
    assert_string_equal(t->keywords[OFFLINE_LANG_PT].items[1], "eletrônic*");
    assert_string_equal(offline_topic_find(d, "food")->keywords[OFFLINE_LANG_PT].items[0],
                        "comida");
    offline_data_free(d);
}

/* ---- errors of one line ------------------------------------------------------------- */

static void rejects_bad_column_counts(void **state)
{
    (void)state;
    expect_error(TOPICS, "# topics\n\ntech\ten\n",
                 "data/offline/topics.tsv:3: expected 3 TAB-separated fields (topic, lang, "
                 "keywords), found 2");
    expect_error(TRAITS, "curious\ten\topenness\t+\textra\n",
                 "data/offline/traits.tsv:1: expected 4 TAB-separated fields (word, lang, "
                 "dimension, sign), found 5");
    expect_error(TOPICS, "tech\t\ttechnology\n", "data/offline/topics.tsv:1: empty lang");
}

static void rejects_an_unknown_language(void **state)
{
    (void)state;
    expect_error(TOPICS, "tech\tpt-PT\ttecnologia\n",
                 "data/offline/topics.tsv:1: unknown language 'pt-PT' (expected en or pt-BR)");
    expect_error(COUNTRIES, "Spain\tes\tSpanish\t€\tMadrid\t0.2, 0.2, 0.2, 0.2, 0.2\n",
                 "data/demographics/countries.tsv:1: unknown language 'es' (expected en or "
                 "pt-BR)");
}

static void rejects_an_unknown_big_five_dimension_and_a_bad_sign(void **state)
{
    (void)state;
    expect_error(TRAITS, "curious\ten\tcuriosity\t+\n",
                 "data/offline/traits.tsv:1: unknown Big Five dimension 'curiosity' (expected "
                 "openness, conscientiousness, extraversion, agreeableness or neuroticism)");
    expect_error(TRAITS, "curious\ten\topenness\thigh\n",
                 "data/offline/traits.tsv:1: bad sign 'high' (expected + or -)");
    expect_error(TRAITS, "curious\ten\topenness\t+\nCurious\ten\topenness\t-\n",
                 "data/offline/traits.tsv:2: duplicate trait word 'Curious' for en");
}

static void rejects_bad_placeholders(void **state)
{
    (void)state;
    expect_error(PHRASES, "react.love\ten\tI love {prodcut}.\n",
                 "data/offline/phrases.tsv:1: unknown placeholder '{prodcut}' in the template of "
                 "'react.love'");
    expect_error(PHRASES, "react.love\ten\tAt {price}, I love it.\n",
                 "data/offline/phrases.tsv:1: placeholder '{price}' is not allowed in "
                 "'react.love' (allowed: {product})");
    expect_error(PHRASES, "price.unknown\ten\tNo {price}.\n",
                 "data/offline/phrases.tsv:1: placeholder '{price}' is not allowed in "
                 "'price.unknown' (allowed: none)");
    expect_error(PHRASES, "topic.match\ten\tI like {interest and {topic}.\n",
                 "data/offline/phrases.tsv:1: unclosed '{' in the template of 'topic.match'");
    expect_error(PHRASES, "topic.match\ten\tI like {interest\n",
                 "data/offline/phrases.tsv:1: unclosed '{' in the template of 'topic.match'");
    expect_error(PHRASES, "react.love\ten\tI love it }.\n",
                 "data/offline/phrases.tsv:1: stray '}' in the template of 'react.love'");
    expect_error(PHRASES, "react.love\ten\tI love {}.\n",
                 "data/offline/phrases.tsv:1: unknown placeholder '{}' in the template of "
                 "'react.love'");
    expect_error(PHRASES, "react.lov\ten\tI love it.\n",
                 "data/offline/phrases.tsv:1: unknown phrase key 'react.lov'");
    /* the appended line comes after the minimal file's: its number follows from their count */
    struct buf files[N_FILES];
    minimal(files);
    size_t lines = 0;
    for (size_t i = 0; i < files[PHRASES].len; i++)
        lines += files[PHRASES].data[i] == '\n';
    release(files);
    char want[160];
    snprintf(want, sizeof(want),
             "data/offline/phrases.tsv:%zu: duplicate alternative of 'react.love' for en",
             lines + 1);
    expect_error_appended(PHRASES, "react.love\ten\tEnglish 0.\n", want);
}

static void accepts_every_placeholder_a_key_allows(void **state)
{
    (void)state;
    struct buf files[N_FILES];
    minimal(files);
    buf_adds(&files[PHRASES], "topic.match\ten\tI'm into {interest}, so {topic} it is.\n"
                              "journey.abandon\tpt-BR\tDesisti em “{step}”. {value}\n"
                              "chat.greeting\ten\tHi, I'm {name}, {occupation}.\n");
    struct offline_data *d = NULL;
    struct err err = ERR_INIT;
    assert_ok(load_files(files, &d, &err), &err);
    assert_int_equal(offline_phrases_find(d, "topic.match", OFFLINE_LANG_EN)->n, 2);
    offline_data_free(d);
    release(files);
}

static void rejects_duplicates(void **state)
{
    (void)state;
    expect_error_appended(TOPICS, "tech\ten\tmore\n",
                          "data/offline/topics.tsv:5: duplicate topic 'tech' for en");
    expect_error(TOPICS, "tech\ten\ttechnology, Technology\n",
                 "data/offline/topics.tsv:1: duplicate keyword 'Technology'");
    expect_error_appended(WORDS, "hype\tpt-BR\tmais\n",
                          "data/offline/words.tsv:17: duplicate 'hype' words for pt-BR");
    expect_error_appended(ANCHORS, "trust\ten\t3\tAgain.\n",
                          "data/offline/anchors.tsv:51: duplicate point 3 of 'trust' for en");
    expect_error_appended(COUNTRIES, "brazil\tpt-BR\tBrazilian\tR$\tRio\t1, 0, 0, 0, 0\n",
                          "data/demographics/countries.tsv:2: duplicate country 'brazil'");
    expect_error_appended(NAMES, "Brazil\tmale\tA, B\n",
                          "data/demographics/names.tsv:4: duplicate male names for 'Brazil'");
    expect_error_appended(OCCUPATIONS, "nurse\tEnfermeiro\t21\tbachelor\tlow\tmiddle\ttech\n",
                          "data/demographics/occupations.tsv:2: duplicate occupation 'nurse'");
    expect_error_appended(
        INTERESTS, "food\ten\tmore\n",
        "data/demographics/interests.tsv:5: duplicate interests of 'food' for en");
}

static void rejects_malformed_keywords_and_lists(void **state)
{
    (void)state;
    expect_error(TOPICS, "tech\ten\ttechnology,, gadget*\n",
                 "data/offline/topics.tsv:1: empty keyword in the list (two commas, or one at "
                 "an end)");
    expect_error(TOPICS, "tech\ten\ttechnology, gadget*,\n",
                 "data/offline/topics.tsv:1: empty keyword in the list (two commas, or one at "
                 "an end)");
    expect_error(TOPICS, "tech\ten\ttechnology, gad*get\n",
                 "data/offline/topics.tsv:1: '*' only at the end of a keyword: 'gad*get'");
    expect_error(TOPICS, "tech\ten\ttechnology, *\n",
                 "data/offline/topics.tsv:1: a keyword needs something before its '*'");
    expect_error(TOPICS, "tech\ten\ttechnology, smart  home\n",
                 "data/offline/topics.tsv:1: two spaces in a row in keyword 'smart  home'");
    expect_error(TOPICS, "money\ten\tmoney, r$\n",
                 "data/offline/topics.tsv:1: keyword 'r$' can never match: text splits it into "
                 "other words (words.h)");
    expect_error(TOPICS, "tech\ten\ttechnology, c++\n",
                 "data/offline/topics.tsv:1: keyword 'c++' can never match: text splits it into "
                 "other words (words.h)");
    expect_error(TOPICS, "tech\ten\ttech*, technology\n",
                 "data/offline/topics.tsv:1: the first keyword of 'tech' is its display name: no "
                 "'*'");
    expect_error(TOPICS, "Tech\ten\ttechnology\n",
                 "data/offline/topics.tsv:1: bad topic name 'Tech' (expected a-z, 0-9 and _)");
    expect_error(WORDS, "hyped\ten\twow\n",
                 "data/offline/words.tsv:1: unknown word kind 'hyped' (expected hype, positive, "
                 "negative, jargon, required, approve, reject or unsure)");
    expect_error(TRAITS, "cur*ious\ten\topenness\t+\n",
                 "data/offline/traits.tsv:1: '*' only at the end of a trait word: 'cur*ious'");
}

static void rejects_text_that_is_not_utf8(void **state)
{
    (void)state;
    expect_error(TOPICS, "tech\ten\tcaf\xE9\n",
                 "data/offline/topics.tsv:1: not valid UTF-8 (byte 12 of the line)");
    static const char with_nul[] = "tech\ten\tte\0ch\n";
    struct offline_data *d = offline_data_new();
    struct err err = ERR_INIT;
    assert_int_equal(
        offline_data_parse(d, "data/offline/topics.tsv", with_nul, sizeof(with_nul) - 1, &err),
        ERR_INVALID);
    assert_string_equal(err.msg, "data/offline/topics.tsv:1: not valid UTF-8 (byte 11 of the "
                                 "line)");
    offline_data_free(d);
}

static void rejects_bad_anchor_points(void **state)
{
    (void)state;
    expect_error(ANCHORS, "trust\ten\t6\tToo high.\n",
                 "data/offline/anchors.tsv:1: bad point '6' (expected 1 to 5)");
    expect_error(ANCHORS, "trust\ten\t0\tToo low.\n",
                 "data/offline/anchors.tsv:1: bad point '0' (expected 1 to 5)");
    expect_error(ANCHORS, "Trust\ten\t1\tHm.\n",
                 "data/offline/anchors.tsv:1: bad anchor set name 'Trust' (expected a-z, 0-9 and "
                 "_)");
}

static void checks_that_income_shares_sum_to_one(void **state)
{
    (void)state;
    expect_error(COUNTRIES, "Brazil\tpt-BR\tBrazilian\tR$\tRecife\t0.30, 0.30, 0.20, 0.10, 0.05\n",
                 "data/demographics/countries.tsv:1: income shares of 'Brazil' sum to 0.950 "
                 "(expected 1 +-0.01)");
    expect_error(COUNTRIES, "Brazil\tpt-BR\tBrazilian\tR$\tRecife\t0.3, 0.3, 0.3, 0.1, 0.015\n",
                 "data/demographics/countries.tsv:1: income shares of 'Brazil' sum to 1.015 "
                 "(expected 1 +-0.01)");
    expect_error(COUNTRIES, "Brazil\tpt-BR\tBrazilian\tR$\tRecife\t0.5, 0.5\n",
                 "data/demographics/countries.tsv:1: 2 income shares, expected 5 (low, "
                 "lower_middle, middle, upper_middle, high)");
    expect_error(COUNTRIES, "Brazil\tpt-BR\tBrazilian\tR$\tRecife\t0.2, 0.2, 0.2, 0.2, 0.1, 0.1\n",
                 "data/demographics/countries.tsv:1: more than 5 income shares (low, "
                 "lower_middle, middle, upper_middle, high)");
    expect_error(COUNTRIES, "Brazil\tpt-BR\tBrazilian\tR$\tRecife\t0.2, 0.2, 0,2, 0.2, 0.2\n",
                 "data/demographics/countries.tsv:1: bad income share '2' (expected a number "
                 "from 0 to 1)");
    expect_error(COUNTRIES, "Brazil\tpt-BR\tBrazilian\tR$\tRecife\t0.2, 0.2, 1.5, 0.2, 0.2\n",
                 "data/demographics/countries.tsv:1: bad income share '1.5' (expected a number "
                 "from 0 to 1)");
    expect_error(COUNTRIES, "Brazil\tpt-BR\tBrazilian\tR$\tRecife\t0.2, 0.2, .2, 0.2, 0.2\n",
                 "data/demographics/countries.tsv:1: bad income share '.2' (expected a number "
                 "from 0 to 1)");
    expect_error(COUNTRIES, "Rio, Brazil\tpt-BR\tBrazilian\tR$\tRecife\t1, 0, 0, 0, 0\n",
                 "data/demographics/countries.tsv:1: a comma in country 'Rio, Brazil' "
                 "(residences are \"City, Country\")");
    /* the limits: 0.99 and 1.01 pass */
    offline_data_free(load_ok(COUNTRIES, "Brazil\tpt-BR\tBrazilian\tR$\tRecife\t"
                                         "0.30, 0.32, 0.23, 0.10, 0.04\n"));
    offline_data_free(load_ok(COUNTRIES, "Brazil\tpt-BR\tBrazilian\tR$\tRecife\t"
                                         "0.30, 0.32, 0.23, 0.10, 0.06\n"));
}

static void checks_the_number_of_names(void **state)
{
    (void)state;
    struct buf text;
    buf_init(&text, 1 << 16);
    buf_adds(&text, "Brazil\tfemale\t");
    add_names(&text, "f", 19);
    buf_adds(&text, "\n");
    expect_error(NAMES, text.data,
                 "data/demographics/names.tsv:1: only 19 female names for 'Brazil' (at least "
                 "20)");
    buf_release(&text);
    expect_error(NAMES, "Peru\tmale\tJuan\n",
                 "data/demographics/names.tsv:1: unknown country 'Peru' (not in countries.tsv)");
    expect_error(NAMES, "Brazil\tboys\tJuan\n",
                 "data/demographics/names.tsv:1: unknown name kind 'boys' (expected female, male "
                 "or last)");
}

static void rejects_bad_occupations(void **state)
{
    (void)state;
    expect_error(OCCUPATIONS, "Nurse\tEnfermeira\t21\tbachelor\tlow\tmiddle\ttech, garden\n",
                 "data/demographics/occupations.tsv:1: unknown topic 'garden' (not in "
                 "topics.tsv)");
    expect_error(OCCUPATIONS, "Nurse\tEnfermeira\t13\tbachelor\tlow\tmiddle\ttech\n",
                 "data/demographics/occupations.tsv:1: bad min_age '13' (expected 14 to 99)");
    expect_error(OCCUPATIONS, "Nurse\tEnfermeira\t21\tphd\tlow\tmiddle\ttech\n",
                 "data/demographics/occupations.tsv:1: unknown education 'phd' (expected none, "
                 "secondary, vocational, bachelor, master or doctorate)");
    expect_error(OCCUPATIONS, "Nurse\tEnfermeira\t21\tbachelor\tlow\trich\ttech\n",
                 "data/demographics/occupations.tsv:1: unknown income level 'rich' (expected low, "
                 "lower_middle, middle, upper_middle or high)");
    expect_error(OCCUPATIONS, "Nurse\tEnfermeira\t21\tbachelor\thigh\tlow\ttech\n",
                 "data/demographics/occupations.tsv:1: income_low 'high' is above income_high "
                 "'low'");
    expect_error(OCCUPATIONS, "Nurse\tEnfermeiro|Enfermeira|X\t21\tbachelor\tlow\tmiddle\ttech\n",
                 "data/demographics/occupations.tsv:1: bad title 'Enfermeiro|Enfermeira|X' "
                 "(expected one form, or masculine|feminine)");
    expect_error(OCCUPATIONS, "Nurse\tEnfermeiro|\t21\tbachelor\tlow\tmiddle\ttech\n",
                 "data/demographics/occupations.tsv:1: bad title 'Enfermeiro|' (expected one "
                 "form, or masculine|feminine)");
    expect_error(INTERESTS, "garden\ten\tplants\n",
                 "data/demographics/interests.tsv:1: unknown topic 'garden' (not in topics.tsv)");
}

/* ---- errors across files ------------------------------------------------------------ */

static void requires_every_phrase_key_in_both_languages(void **state)
{
    (void)state;
    /* the minimal phrases without the pt-BR line of react.hate (key 4: lines 9 and 10) */
    struct buf files[N_FILES];
    minimal(files);
    char *cut = strstr(files[PHRASES].data, "react.hate\tpt-BR");
    char *end = strchr(cut, '\n') + 1;
    memmove(cut, end, strlen(end) + 1);
    buf_truncate(&files[PHRASES], strlen(files[PHRASES].data));
    struct offline_data *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(load_files(files, &d, &err), ERR_INVALID);
    assert_string_equal(err.msg, "data/offline/phrases.tsv:9: 'react.hate' has no pt-BR "
                                 "alternative");
    offline_data_free(d);
    release(files);

    expect_error(PHRASES, "react.love\tpt-BR\tAmei.\n",
                 "data/offline/phrases.tsv:1: 'react.love' has no en alternative");
    expect_error(PHRASES, "", "data/offline/phrases.tsv: no alternatives for 'react.love'");
}

static void requires_both_languages_and_every_table(void **state)
{
    (void)state;
    expect_error(TOPICS, "tech\ten\ttechnology\nfood\ten\tfood\nfood\tpt-BR\tcomida\n",
                 "data/offline/topics.tsv:1: topic 'tech' has no pt-BR keywords");
    struct offline_data *d = offline_data_new();
    struct err err = ERR_INIT;
    assert_ok(offline_data_parse(d, "data/offline/topics.tsv", "# none\n", 7, &err), &err);
    assert_int_equal(offline_data_finish(d, &err), ERR_INVALID);
    assert_string_equal(err.msg, "data/offline/topics.tsv: no topics");
    offline_data_free(d);
    expect_error(WORDS, "hype\ten\twow\n", "data/offline/words.tsv: no 'hype' words for pt-BR");
    expect_error(TRAITS, "curious\ten\topenness\t+\n",
                 "data/offline/traits.tsv: no trait words for pt-BR");
    expect_error(ANCHORS, "trust\ten\t1\tNo.\n",
                 "data/offline/anchors.tsv: no anchor set "
                 "'purchase_intent'");
    expect_error_appended(ANCHORS, "loyalty\ten\t1\tNo.\n",
                          "data/offline/anchors.tsv:51: anchor set 'loyalty' has no point 2 for "
                          "en");
    expect_error2((const int[]){ COUNTRIES, NAMES }, (const char *const[]){ "", "" },
                  "data/demographics/countries.tsv: no countries");
    expect_error(OCCUPATIONS, "", "data/demographics/occupations.tsv: no occupations");
    expect_error(INTERESTS, "tech\ten\tgadgets\ntech\tpt-BR\tgadgets\n",
                 "data/demographics/interests.tsv: no interests for topic 'food'");
    expect_error(INTERESTS, "tech\ten\tgadgets\ntech\tpt-BR\tgadgets\nfood\ten\tcooking\n",
                 "data/demographics/interests.tsv:3: topic 'food' has no pt-BR interests");
}

static void requires_names_for_every_country(void **state)
{
    (void)state;
    struct buf files[N_FILES];
    minimal(files);
    buf_adds(&files[COUNTRIES], "Portugal\tpt-BR\tPortuguese\t€\tPorto\t0.2, 0.3, 0.3, 0.1, 0.1\n");
    struct offline_data *d = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(load_files(files, &d, &err), ERR_INVALID);
    assert_string_equal(err.msg, "data/demographics/countries.tsv:2: 'Portugal' has no names in "
                                 "data/demographics/names.tsv");
    offline_data_free(d);
    release(files);

    struct buf text;
    buf_init(&text, 1 << 16);
    buf_adds(&text, "Brazil\tfemale\t");
    add_names(&text, "f", 20);
    buf_adds(&text, "\nBrazil\tlast\t");
    add_names(&text, "l", 20);
    buf_adds(&text, "\n");
    expect_error(NAMES, text.data,
                 "data/demographics/countries.tsv:1: 'Brazil' has no male names in "
                 "data/demographics/names.tsv");
    buf_release(&text);
}

static void refuses_a_file_twice_and_unknown_files(void **state)
{
    (void)state;
    struct offline_data *d = offline_data_new();
    struct err err = ERR_INIT;
    assert_ok(offline_data_parse(d, "x/topics.tsv", "", 0, &err), &err);
    assert_int_equal(offline_data_parse(d, "y/topics.tsv", "", 0, &err), ERR_INVALID);
    assert_string_equal(err.msg, "y/topics.tsv: offline/topics.tsv was read already");
    assert_int_equal(offline_data_parse(d, "data/offline/other.tsv", "", 0, &err), ERR_INVALID);
    assert_string_equal(err.msg, "data/offline/other.tsv: not a data file of the offline model");
    offline_data_free(d);
    offline_data_free(NULL);

    /* finishing twice is harmless; a finished data set has read every file */
    d = load_ok(0, NULL);
    assert_ok(offline_data_finish(d, &err), &err);
    assert_int_equal(offline_data_parse(d, "data/demographics/extra/topics.tsv", "", 0, &err),
                     ERR_INVALID);
    assert_string_equal(err.msg, "data/demographics/extra/topics.tsv: offline/topics.tsv was "
                                 "read already");
    assert_non_null(offline_phrases_find(d, "extract.none", OFFLINE_LANG_PT));
    offline_data_free(d);
}

/* ---- loading from a folder ---------------------------------------------------------- */

/* Writes the minimal set under dir (offline/ and demographics/). */
static void write_tree(const char *dir)
{
    struct buf files[N_FILES];
    minimal(files);
    char path[512];
    snprintf(path, sizeof(path), "%s/offline", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/demographics", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    for (int i = 0; i < N_FILES; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, PATHS[i]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        assert_int_equal(fwrite(files[i].data, 1, files[i].len, f), files[i].len);
        assert_int_equal(fclose(f), 0);
    }
    release(files);
}

static void loads_from_a_folder(void **state)
{
    (void)state;
    char dir[128], path[256];
    assert_int_equal(testutil_mkdtemp(dir, sizeof(dir), "offline-data"), 0);
    write_tree(dir);

    struct offline_data *d = NULL;
    struct err err = ERR_INIT;
    assert_ok(offline_data_load(dir, &d, &err), &err);
    assert_non_null(offline_topic_find(d, "food"));
    assert_string_equal(offline_phrases_find(d, "react.love", OFFLINE_LANG_EN)->items[0],
                        "English 0.");
    offline_data_free(d);

    /* an error names the file as read */
    snprintf(path, sizeof(path), "%s/offline/traits.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("curious\ten\topenness\tplus\n", f);
    assert_int_equal(fclose(f), 0);
    d = NULL;
    assert_int_equal(offline_data_load(dir, &d, &err), ERR_INVALID);
    assert_null(d);
    char want[512];
    snprintf(want, sizeof(want), "%s:1: bad sign 'plus' (expected + or -)", path);
    assert_string_equal(err.msg, want);

    /* a missing file, then one too large */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(offline_data_load(dir, &d, &err), ERR_INVALID);
    assert_contains(err.msg, "offline/traits.tsv: cannot open: ");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (8 << 20) + 1), 0);
    close(fd);
    assert_int_equal(offline_data_load(dir, &d, &err), ERR_TOO_LARGE);
    assert_contains(err.msg, "offline/traits.tsv: larger than 8 MiB");
    assert_null(d);
    assert_int_equal(testutil_rmtree(dir), 0);
}

/* ---- text helpers --------------------------------------------------------------------- */

static void occupation_phrases_fit_a_sentence(void **state)
{
    (void)state;
    static const struct {
        const char *title;
        int lang;
        const char *want;
    } cases[] = {
        { "Nurse", OFFLINE_LANG_EN, "a nurse" },
        { "Electrician", OFFLINE_LANG_EN, "an electrician" },
        { "HR manager", OFFLINE_LANG_EN, "an HR manager" },
        { "UX designer", OFFLINE_LANG_EN, "a UX designer" },
        { "IT support technician", OFFLINE_LANG_EN, "an IT support technician" },
        { "University lecturer", OFFLINE_LANG_EN, "a university lecturer" },
        { "Homemaker", OFFLINE_LANG_EN, "a homemaker" },
        { "Honest broker", OFFLINE_LANG_EN, "an honest broker" },
        { "Union organizer", OFFLINE_LANG_EN, "a union organizer" },
        { "Usher", OFFLINE_LANG_EN, "an usher" },
        { "Enfermeira", OFFLINE_LANG_PT, "enfermeira" },
        { "Técnica de enfermagem", OFFLINE_LANG_PT, "técnica de enfermagem" },
        { "Élder", OFFLINE_LANG_PT, "élder" },
        { "RH", OFFLINE_LANG_PT, "RH" },
        { "  ", OFFLINE_LANG_EN, "" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct buf b;
        buf_init(&b, 256);
        offline_occupation_phrase(cases[i].title, cases[i].lang, &b);
        assert_string_equal(b.data, cases[i].want);
        buf_release(&b);
    }
}

static void names_languages(void **state)
{
    (void)state;
    assert_int_equal(offline_lang("en"), OFFLINE_LANG_EN);
    assert_int_equal(offline_lang("pt-BR"), OFFLINE_LANG_PT);
    assert_int_equal(offline_lang("pt"), OFFLINE_LANG_PT);
    assert_int_equal(offline_lang("pt-PT"), OFFLINE_LANG_PT);
    assert_int_equal(offline_lang("PT_br"), OFFLINE_LANG_PT);
    assert_int_equal(offline_lang("ptx"), OFFLINE_LANG_EN);
    assert_int_equal(offline_lang("es"), OFFLINE_LANG_EN);
    assert_int_equal(offline_lang(""), OFFLINE_LANG_EN);
    assert_int_equal(offline_lang(NULL), OFFLINE_LANG_EN);
    assert_string_equal(offline_lang_name(OFFLINE_LANG_EN), "en");
    assert_string_equal(offline_lang_name(OFFLINE_LANG_PT), "pt-BR");
    assert_string_equal(offline_lang_name(7), "en");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(embedded_data_loads),
        cmocka_unit_test(embedded_topics_meet_minimums),
        cmocka_unit_test(embedded_words_and_traits_meet_minimums),
        cmocka_unit_test(embedded_phrases_meet_minimums),
        cmocka_unit_test(embedded_phrases_follow_the_writing_rules),
        cmocka_unit_test(embedded_anchors_are_complete),
        cmocka_unit_test(embedded_demographics_meet_minimums),
        cmocka_unit_test(minimal_set_loads_and_every_lookup_works),
        cmocka_unit_test(keywords_are_lower_cased_and_lines_may_be_crlf_with_a_bom),
        cmocka_unit_test(rejects_bad_column_counts),
        cmocka_unit_test(rejects_an_unknown_language),
        cmocka_unit_test(rejects_an_unknown_big_five_dimension_and_a_bad_sign),
        cmocka_unit_test(rejects_bad_placeholders),
        cmocka_unit_test(accepts_every_placeholder_a_key_allows),
        cmocka_unit_test(rejects_duplicates),
        cmocka_unit_test(rejects_malformed_keywords_and_lists),
        cmocka_unit_test(rejects_text_that_is_not_utf8),
        cmocka_unit_test(rejects_bad_anchor_points),
        cmocka_unit_test(checks_that_income_shares_sum_to_one),
        cmocka_unit_test(checks_the_number_of_names),
        cmocka_unit_test(rejects_bad_occupations),
        cmocka_unit_test(requires_every_phrase_key_in_both_languages),
        cmocka_unit_test(requires_both_languages_and_every_table),
        cmocka_unit_test(requires_names_for_every_country),
        cmocka_unit_test(refuses_a_file_twice_and_unknown_files),
        cmocka_unit_test(loads_from_a_folder),
        cmocka_unit_test(occupation_phrases_fit_a_sentence),
        cmocka_unit_test(names_languages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
