/*
 * tests/unit/engine/test_ssr.c - semantic similarity rating and the
 * similarities under it: every anchor statement (all sets, both
 * languages) most likely its own point by TF-IDF, negative anchors rated
 * below positive ones, a keen buyer above a refuser, the pmf summing to 1,
 * the mapping onto 1..10 and 0..100, refused inputs, the choice of anchor
 * set and language, TF-IDF and vector cosine themselves, the offline
 * model's gateway falling back to TF-IDF, and the embeddings path through
 * a real `crowdelic llm-serve` child ($CROWDELIC_BIN), counted on /stats.
 */
#include "core/compat.h"

#include <curl/curl.h>
#include <math.h>
#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/metrics.h"
#include "engine/offline/offline.h"
#include "engine/similarity.h"
#include "engine/ssr.h"
#include "llm/openai.h"

static struct offline_data *data;

static const char *const set_names[] = { "purchase_intent", "appeal", "clarity", "trust", "value" };
static const char *const languages[] = { "en", "pt-BR" };

static int load_data(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    if (offline_data_load(NULL, &data, &err)) {
        fprintf(stderr, "offline_data_load: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int free_data(void **state)
{
    (void)state;
    offline_data_free(data);
    data = NULL;
    metrics_reset();
    return 0;
}

static const struct offline_anchor_set *anchors(const char *set)
{
    const struct offline_anchor_set *a = offline_anchors_find(data, set);
    assert_non_null(a);
    return a;
}

/* Rates answer on set in language, on 1..5, by TF-IDF. */
static struct ssr_result rate(const char *set, const char *language, const char *answer)
{
    struct ssr_query q = {
        .answer = answer, .anchors = anchors(set), .language = language, .min = 1, .max = 5
    };
    struct ssr_result r;
    struct err err = ERR_INIT;
    assert_ok(ssr_rate(&q, &r, &err), &err);
    assert_int_equal(r.method, SSR_TFIDF);
    return r;
}

static void assert_pmf(const double pmf[SSR_POINTS])
{
    double sum = 0;
    for (int k = 0; k < SSR_POINTS; k++) {
        assert_true(pmf[k] > 0);
        sum += pmf[k];
    }
    assert_float_equal(sum, 1.0, 1e-12);
}

/* ---- TF-IDF ratings ----------------------------------------------------------------------- */

static void each_anchor_is_most_likely_its_own_point(void **state)
{
    (void)state;
    for (size_t s = 0; s < ARRAY_SIZE(set_names); s++) {
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
            const struct offline_anchor_set *a = anchors(set_names[s]);
            for (int k = 0; k < SSR_POINTS; k++) {
                struct ssr_result r = rate(set_names[s], languages[lang], a->statements[lang][k]);
                if (r.point != k + 1)
                    fail_msg("%s/%s point %d ('%s') rated most likely %d", set_names[s],
                             languages[lang], k + 1, a->statements[lang][k], r.point);
                assert_float_equal(r.similarity[k], 1.0, 1e-9);
                assert_pmf(r.pmf);
            }
        }
    }
}

static void negative_anchors_rate_below_positive_ones(void **state)
{
    (void)state;
    for (size_t s = 0; s < ARRAY_SIZE(set_names); s++) {
        for (int lang = 0; lang < OFFLINE_N_LANGS; lang++) {
            const struct offline_anchor_set *a = anchors(set_names[s]);
            double e[SSR_POINTS];
            for (int k = 0; k < SSR_POINTS; k++)
                e[k] = rate(set_names[s], languages[lang], a->statements[lang][k]).expected;
            double worst_positive = e[3] < e[4] ? e[3] : e[4];
            double best_negative = e[0] > e[1] ? e[0] : e[1];
            if (!(best_negative < 3 && worst_positive > 3))
                fail_msg("%s/%s: expected values %.2f %.2f %.2f %.2f %.2f", set_names[s],
                         languages[lang], e[0], e[1], e[2], e[3], e[4]);
        }
    }
}

static void a_keen_buyer_rates_above_a_refuser(void **state)
{
    (void)state;
    struct ssr_result keen = rate("purchase_intent", "en", "I would definitely buy this, love it");
    struct ssr_result refuser = rate("purchase_intent", "en", "no way I'd ever buy that");
    assert_true(keen.expected > refuser.expected + 1);
    assert_true(keen.point >= 4);
    assert_true(refuser.point <= 2);
    struct ssr_result sim = rate("purchase_intent", "pt-BR", "Com certeza eu compraria, adorei!");
    struct ssr_result nao = rate("purchase_intent", "pt-BR", "Não compraria isso de jeito nenhum.");
    assert_true(sim.expected > nao.expected + 1);
}

static void an_answer_sharing_no_word_is_rated_in_the_middle(void **state)
{
    (void)state;
    struct ssr_result r = rate("value", "en", "Zebras gallop quickly");
    for (int k = 0; k < SSR_POINTS; k++)
        assert_float_equal(r.pmf[k], 0.2, 1e-12);
    assert_float_equal(r.expected, 3.0, 1e-12);
}

static void the_pmf_sums_to_one(void **state)
{
    (void)state;
    static const char *const answers[] = { "It's fine I guess, a bit pricey.",
                                           "Trustworthy brand, clear offer, I'd buy it!",
                                           "Não gostei, é confuso e caro." };
    for (size_t i = 0; i < ARRAY_SIZE(answers); i++)
        for (size_t s = 0; s < ARRAY_SIZE(set_names); s++)
            assert_pmf(rate(set_names[s], i == 2 ? "pt-BR" : "en", answers[i]).pmf);

    /* the formula itself: minimum subtracted, epsilon added, normalised */
    static const double sims[SSR_POINTS] = { -0.2, 0.1, 0.3, 0.5, -0.2 };
    double pmf[SSR_POINTS];
    ssr_pmf(sims, pmf);
    assert_pmf(pmf);
    double total = 0;
    for (int k = 0; k < SSR_POINTS; k++)
        total += sims[k] + 0.2 + SSR_EPSILON;
    for (int k = 0; k < SSR_POINTS; k++)
        assert_float_equal(pmf[k], (sims[k] + 0.2 + SSR_EPSILON) / total, 1e-12);
    assert_true(pmf[0] == pmf[4] && pmf[0] < pmf[1] && pmf[1] < pmf[2] && pmf[2] < pmf[3]);
}

static void ratings_map_onto_any_scale(void **state)
{
    (void)state;
    assert_float_equal(ssr_scale(1, 1, 10), 1, 1e-12);
    assert_float_equal(ssr_scale(5, 1, 10), 10, 1e-12);
    assert_float_equal(ssr_scale(3, 1, 10), 5.5, 1e-12);
    assert_float_equal(ssr_scale(1, 0, 100), 0, 1e-12);
    assert_float_equal(ssr_scale(2, 0, 100), 25, 1e-12);
    assert_float_equal(ssr_scale(5, 0, 100), 100, 1e-12);
    assert_float_equal(ssr_scale(4.2, 0, 100), 80, 1e-12);

    const char *answer = "I like it a lot";
    struct ssr_query q = { .answer = answer, .anchors = anchors("appeal"), .min = 1, .max = 10 };
    struct ssr_result on10, on100;
    struct err err = ERR_INIT;
    assert_ok(ssr_rate(&q, &on10, &err), &err);
    q.min = 0;
    q.max = 100;
    assert_ok(ssr_rate(&q, &on100, &err), &err);
    assert_float_equal(on10.expected, on100.expected, 1e-12);
    assert_float_equal(on10.rating, 1 + (on10.expected - 1) * 9 / 4, 1e-9);
    assert_float_equal(on100.rating, (on100.expected - 1) * 25, 1e-9);
    assert_true(on100.rating > 50); /* "like" is a positive answer */
}

static void bad_inputs_are_refused(void **state)
{
    (void)state;
    struct ssr_result r;
    struct err err = ERR_INIT;
    struct ssr_query q = { .answer = "  ...!? ", .anchors = anchors("appeal"), .min = 1, .max = 5 };
    assert_int_equal(ssr_rate(&q, &r, &err), ERR_INVALID);
    assert_string_equal(err.field, "answer");
    q.answer = NULL;
    assert_int_equal(ssr_rate(&q, &r, &err), ERR_INVALID);
    q.answer = "fine";
    q.anchors = NULL;
    assert_int_equal(ssr_rate(&q, &r, &err), ERR_INVALID);
    assert_string_equal(err.field, "anchors");
    q.anchors = anchors("appeal");
    q.min = 5;
    q.max = 5;
    assert_int_equal(ssr_rate(&q, &r, &err), ERR_INVALID);
    assert_string_equal(err.field, "scale");
}

/* ---- choosing the anchor set and the language ---------------------------------------------- */

static void the_question_chooses_the_anchor_set(void **state)
{
    (void)state;
    static const struct {
        const char *question, *set;
    } cases[] = {
        { "How likely are you to buy FreshBox?", "purchase_intent" },
        { "Would you purchase it at $49/month?", "purchase_intent" },
        { "Would you subscribe?", "purchase_intent" },
        { "Você compraria este produto?", "purchase_intent" },
        { "Você assinaria o serviço por R$ 29,90?", "purchase_intent" },
        { "Do you trust this brand?", "trust" },
        { "Você confia nesta marca?", "trust" },
        { "How clear is the offer?", "clarity" },
        { "Você entendeu o que o produto faz?", "clarity" },
        { "Você compreende a proposta?", "clarity" }, /* not "compra" */
        { "Is it worth the price?", "value" },
        { "O preço vale a pena?", "value" },
        { "Would your customers like it?", "appeal" }, /* "customer" is no "custo" */
        { "What do you think of the design?", "appeal" },
        { "", "appeal" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct ssr_choice c;
        ssr_choose(cases[i].question, NULL, &c);
        if (strcmp(c.set, cases[i].set) != 0)
            fail_msg("'%s': set %s, expected %s", cases[i].question, c.set, cases[i].set);
        assert_non_null(offline_anchors_find(data, c.set)); /* every choice exists */
    }
}

static void the_language_is_the_respondents_or_the_questions(void **state)
{
    (void)state;
    struct ssr_choice c;
    ssr_choose("Would you buy it?", "pt-BR", &c);
    assert_string_equal(c.language, "pt-BR");
    ssr_choose("Would you buy it?", "pt", &c);
    assert_string_equal(c.language, "pt-BR");
    ssr_choose("Você compraria?", "en", &c);
    assert_string_equal(c.language, "en");
    ssr_choose("Você compraria este produto?", NULL, &c);
    assert_string_equal(c.language, "pt-BR");
    ssr_choose("Qual é a sua opinião sobre o preço?", "", &c);
    assert_string_equal(c.language, "pt-BR");
    ssr_choose("How likely are you to buy this?", NULL, &c);
    assert_string_equal(c.language, "en");
    ssr_choose("FreshBox?", NULL, &c); /* nothing to go by: English */
    assert_string_equal(c.language, "en");
    ssr_choose("Would you buy it?", "fr", &c);
    assert_string_equal(c.language, "en");
}

/* ---- the similarities --------------------------------------------------------------------- */

static void tfidf_weighs_rare_words_and_negation(void **state)
{
    (void)state;
    static const char *const set[] = { "the cat sat", "the dog ran", "THE CAT SAT!", "", "a b c" };
    double s[5];
    similarity_tfidf("The cat sat.", set, 5, s);
    assert_float_equal(s[0], 1.0, 1e-12); /* same words, any case and punctuation */
    assert_float_equal(s[2], 1.0, 1e-12);
    assert_true(s[1] > 0 && s[1] < 0.3); /* only "the", which every text has */
    assert_float_equal(s[3], 0, 0);      /* no words */
    assert_float_equal(s[4], 0, 0);      /* no shared word */

    static const char *const buy[] = { "I would buy this", "I would not buy this" };
    similarity_tfidf("I would buy it", buy, 2, s);
    assert_true(s[0] > s[1] + 0.2); /* "not" makes "buy this" other words */
    similarity_tfidf("I won't buy it", buy, 2, s);
    assert_true(s[1] > s[0]);
    similarity_tfidf("Não, compraria sim", (const char *const[]){ "não compraria", "compraria" }, 2,
                     s);
    assert_true(s[1] > s[0]); /* the comma ends the negation's reach */
}

static void cosine_of_vectors(void **state)
{
    (void)state;
    static const float a[] = { 1, 0, 0 }, b[] = { 0, 2, 0 }, c[] = { -3, 0, 0 }, z[] = { 0, 0, 0 };
    static const float d[] = { 1, 1, 0 };
    assert_float_equal(similarity_cosine(a, a, 3), 1, 1e-12);
    assert_float_equal(similarity_cosine(a, b, 3), 0, 1e-12);
    assert_float_equal(similarity_cosine(a, c, 3), -1, 1e-12);
    assert_float_equal(similarity_cosine(a, z, 3), 0, 0);
    assert_float_equal(similarity_cosine(a, d, 3), 1 / sqrt(2), 1e-7);
    assert_float_equal(similarity_cosine(a, d, 0), 0, 0);
}

static void the_offline_model_rates_by_tfidf(void **state)
{
    (void)state;
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(offline_provider_new(NULL, &p, &err), &err);
    struct llm_gateway_options go = { 0 };
    struct llm_gateway *gw = llm_gateway_new(p, &go);
    assert_false(llm_gateway_can_embed(gw));
    struct ssr_query q = {
        .answer = "I like this", .anchors = anchors("appeal"), .min = 1, .max = 5, .gw = gw
    };
    struct ssr_result r;
    assert_ok(ssr_rate(&q, &r, &err), &err);
    assert_int_equal(r.method, SSR_TFIDF);
    assert_int_equal(r.point, 4);
    llm_gateway_free(gw);
}

/* ---- embeddings through llm-serve --------------------------------------------------------------
 */

static struct llm_serve_child child;

static int start_server(void **state)
{
    if (load_data(state))
        return -1;
    static const char *const args[] = { "--embedding-dim", "256", NULL };
    return testutil_llm_serve_start(&child, args);
}

static int stop_server(void **state)
{
    free_data(state);
    return testutil_llm_serve_stop(&child);
}

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
    buf_add(ud, p, size * n);
    return size * n;
}

/* by_route.embeddings of llm-serve's /stats */
static int64_t embeddings_requests(void)
{
    char url[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/stats", child.port);
    struct buf body;
    buf_init(&body, 1 << 20);
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
    assert_int_equal(curl_easy_perform(e), CURLE_OK);
    curl_easy_cleanup(e);
    json_t *j = json_loadb(body.data, body.len, 0, NULL);
    buf_release(&body);
    assert_non_null(j);
    int64_t n = json_integer_value(json_object_get(json_object_get(j, "by_route"), "embeddings"));
    json_decref(j);
    return n;
}

static struct llm_gateway *embedding_gateway(const struct llm_cache *cache)
{
    char base[64];
    snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", child.port);
    struct openai_options o = { .base_url = base,
                                .concurrency = 2,
                                .timeout_ms = 5000,
                                .max_attempts = 2,
                                .backoff_base_ms = 10,
                                .backoff_max_ms = 100 };
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(openai_new(&o, &p, &err), &err);
    struct llm_gateway_options go = { .cache = cache };
    return llm_gateway_new(p, &go);
}

static void embeddings_give_a_valid_pmf_through_llm_embed(void **state)
{
    (void)state;
    struct llm_cache *cache = cache_mem_new(64);
    struct llm_gateway *gw = embedding_gateway(cache);
    assert_true(llm_gateway_can_embed(gw));
    int64_t before = embeddings_requests();
    const struct offline_anchor_set *a = anchors("purchase_intent");
    struct ssr_query q = { .answer = "I would definitely buy this, love it",
                           .anchors = a,
                           .language = "en",
                           .min = 1,
                           .max = 10,
                           .gw = gw };
    struct ssr_result r;
    struct err err = ERR_INIT;
    assert_ok(ssr_rate(&q, &r, &err), &err);
    assert_int_equal(r.method, SSR_EMBEDDINGS);
    assert_pmf(r.pmf);
    assert_true(r.rating >= 1 && r.rating <= 10);
    assert_float_equal(r.rating, ssr_scale(r.expected, 1, 10), 1e-12);
    assert_int_equal(embeddings_requests(), before + 1); /* answer and anchors in one request */

    /* an anchor itself: its hashed bag of words is its own vector, cosine 1 */
    for (int k = 0; k < SSR_POINTS; k++) {
        q.answer = a->statements[OFFLINE_LANG_EN][k];
        assert_ok(ssr_rate(&q, &r, &err), &err);
        assert_float_equal(r.similarity[k], 1.0, 1e-5);
        assert_int_equal(r.point, k + 1);
    }
    /* the anchors and these answers are cached now: no request */
    assert_int_equal(embeddings_requests(), before + 1);

    /* a new answer sends only itself */
    q.answer = "no way I'd ever buy that";
    assert_ok(ssr_rate(&q, &r, &err), &err);
    assert_pmf(r.pmf);
    assert_int_equal(embeddings_requests(), before + 2);
    llm_gateway_free(gw);
    cache_mem_free(cache);
}

static void an_embeddings_failure_is_reported_not_hidden(void **state)
{
    (void)state;
    char base[64];
    snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", child.port);
    static const char *const h[] = { "X-Fault: 500" };
    struct openai_options o = { .base_url = base,
                                .concurrency = 1,
                                .timeout_ms = 5000,
                                .max_attempts = 2,
                                .backoff_base_ms = 10,
                                .backoff_max_ms = 100,
                                .extra_headers = h,
                                .n_extra_headers = 1 };
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(openai_new(&o, &p, &err), &err);
    struct llm_gateway_options go = { 0 };
    struct llm_gateway *gw = llm_gateway_new(p, &go);
    struct ssr_query q = {
        .answer = "I like it", .anchors = anchors("appeal"), .min = 1, .max = 5, .gw = gw
    };
    struct ssr_result r;
    assert_int_equal(ssr_rate(&q, &r, &err), ERR_UPSTREAM);
    assert_contains(err.msg, "semantic similarity rating");
    assert_contains(err.msg, "HTTP 500");
    llm_gateway_free(gw);
}

int main(void)
{
    const struct CMUnitTest lexical[] = {
        cmocka_unit_test(each_anchor_is_most_likely_its_own_point),
        cmocka_unit_test(negative_anchors_rate_below_positive_ones),
        cmocka_unit_test(a_keen_buyer_rates_above_a_refuser),
        cmocka_unit_test(an_answer_sharing_no_word_is_rated_in_the_middle),
        cmocka_unit_test(the_pmf_sums_to_one),
        cmocka_unit_test(ratings_map_onto_any_scale),
        cmocka_unit_test(bad_inputs_are_refused),
        cmocka_unit_test(the_question_chooses_the_anchor_set),
        cmocka_unit_test(the_language_is_the_respondents_or_the_questions),
        cmocka_unit_test(tfidf_weighs_rare_words_and_negation),
        cmocka_unit_test(cosine_of_vectors),
        cmocka_unit_test(the_offline_model_rates_by_tfidf),
    };
    const struct CMUnitTest embedded[] = {
        cmocka_unit_test(embeddings_give_a_valid_pmf_through_llm_embed),
        cmocka_unit_test(an_embeddings_failure_is_reported_not_hidden),
    };
    openai_global_init();
    int failed = cmocka_run_group_tests_name("ssr by TF-IDF", lexical, load_data, free_data);
    failed += cmocka_run_group_tests_name("ssr by embeddings", embedded, start_server, stop_server);
    openai_global_cleanup();
    return failed;
}
