/*
 * tests/unit/llm/test_embeddings.c - embeddings through the gateway
 * (llm_embed) and the OpenAI-compatible provider, against a real
 * `crowdelic llm-serve` over HTTP (started once for the group from
 * $CROWDELIC_BIN on a free port; its vectors are hashed bags of words,
 * docs/llm-serve.md "Embeddings"). Requests are counted exactly through
 * llm-serve's /stats: the asked dimension and unit length, equal texts
 * giving equal vectors, order kept within a batch and across the
 * 2048-input batches, 429 and malformed answers retried, a permanent 500
 * reported, the cache answering repeated texts with no request, tokens and
 * cost accounted by tag, Azure's path, and a provider without embeddings.
 */
#include "core/compat.h"

#include <curl/curl.h>
#include <math.h>
#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/metrics.h"
#include "llm/gateway.h"
#include "llm/openai.h"

#define API_KEY    "sk-embed-key"
#define SERVER_DIM 32 /* llm-serve's --embedding-dim: what a call without dimensions gets */

static struct llm_serve_child child;
static char base_url[64];

static int start_server(void **state)
{
    (void)state;
    static const char *const args[] = { "--api-key", API_KEY, "--embedding-dim", "32", NULL };
    if (testutil_llm_serve_start(&child, args))
        return -1;
    snprintf(base_url, sizeof(base_url), "http://127.0.0.1:%d/v1", child.port);
    return 0;
}

static int stop_server(void **state)
{
    (void)state;
    metrics_reset();
    return testutil_llm_serve_stop(&child);
}

/* ---- /stats ------------------------------------------------------------------------------ */

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
    buf_add(ud, p, size * n);
    return size * n;
}

static json_t *serve_json(const char *path, bool post)
{
    char url[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", child.port, path);
    struct buf body;
    buf_init(&body, 1 << 20);
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
    if (post)
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
    assert_int_equal(curl_easy_perform(e), CURLE_OK);
    curl_easy_cleanup(e);
    json_t *j = json_loadb(body.data, body.len, 0, NULL);
    buf_release(&body);
    assert_non_null(j);
    return j;
}

static int reset_stats(void **state)
{
    (void)state;
    json_decref(serve_json("/stats/reset", true));
    return 0;
}

/* by_route[what], or faults[x] for "fault:x" */
static int64_t stat(const char *what)
{
    json_t *s = serve_json("/stats", false);
    json_t *v;
    if (strncmp(what, "fault:", 6) == 0)
        v = json_object_get(json_object_get(s, "faults"), what + 6);
    else
        v = json_object_get(json_object_get(s, "by_route"), what);
    int64_t n = json_integer_value(v);
    json_decref(s);
    return n;
}

/* ---- a gateway over the provider ------------------------------------------------------------ */

struct setup {
    const char *const *headers;
    size_t n_headers;
    int max_attempts;
    const char *azure_deployment;
    const char *embedding_model;
    const struct llm_cache *cache;
    const struct llm_prices *prices;
};

static struct llm_gateway *open_gateway(const struct setup *s)
{
    char endpoint[64];
    snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d", child.port);
    struct openai_options o = {
        .base_url = base_url,
        .api_key = API_KEY,
        .model = "gpt-test",
        .embedding_model = s->embedding_model,
        .azure_endpoint = s->azure_deployment ? endpoint : NULL,
        .azure_deployment = s->azure_deployment,
        .azure_api_version = "2024-10-21",
        .concurrency = 4,
        .timeout_ms = 5000,
        .max_attempts = s->max_attempts ? s->max_attempts : 4,
        .backoff_base_ms = 20,
        .backoff_max_ms = 200,
        .backoff_jitter = false,
        .extra_headers = s->headers,
        .n_extra_headers = s->n_headers,
    };
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(openai_new(&o, &p, &err), &err);
    struct llm_gateway_options go = { .cache = s->cache, .prices = s->prices };
    return llm_gateway_new(p, &go);
}

static const float *row(const struct llm_embeddings *e, size_t i)
{
    return e->vectors + i * e->dim;
}

static double norm(const float *v, size_t dim)
{
    double sum = 0;
    for (size_t k = 0; k < dim; k++)
        sum += (double)v[k] * v[k];
    return sqrt(sum);
}

static void assert_same_vector(const float *a, const float *b, size_t dim)
{
    for (size_t k = 0; k < dim; k++)
        assert_float_equal(a[k], b[k], 1e-7);
}

static bool same_vector(const float *a, const float *b, size_t dim)
{
    for (size_t k = 0; k < dim; k++)
        if (fabsf(a[k] - b[k]) > 1e-7f)
            return false;
    return true;
}

/* ---- tests --------------------------------------------------------------------------------- */

static void vectors_have_the_asked_dimension_and_unit_length(void **state)
{
    (void)state;
    struct setup s = { 0 };
    struct llm_gateway *gw = open_gateway(&s);
    assert_true(llm_gateway_can_embed(gw));
    static const char *const texts[] = { "I would definitely buy this", "no way",
                                         "Com certeza eu compraria isso" };
    for (int dims = 0; dims <= 64; dims += 64) {
        struct llm_embed_params params = { .dimensions = dims };
        struct llm_embeddings e;
        struct err err = ERR_INIT;
        assert_ok(llm_embed(gw, texts, 3, &params, &e, &err), &err);
        assert_int_equal(e.n, 3);
        assert_int_equal(e.dim, dims ? (size_t)dims : SERVER_DIM);
        for (size_t i = 0; i < 3; i++)
            assert_float_equal(norm(row(&e, i), e.dim), 1.0, 1e-5);
        assert_string_equal(e.model, "text-embedding-3-small"); /* the default */
        assert_int_equal(e.attempts, 1);
        assert_int_equal(e.from_cache, 0);
        llm_embeddings_release(&e);
        assert_null(e.vectors);
    }
    llm_gateway_free(gw);
    assert_int_equal(stat("embeddings"), 2);
}

static void the_same_words_give_the_same_vector(void **state)
{
    (void)state;
    struct setup s = { 0 };
    struct llm_gateway *gw = open_gateway(&s);
    static const char *const texts[] = { "Fresh food, delivered", "fresh FOOD delivered!",
                                         "Something else entirely" };
    struct llm_embeddings a, b;
    struct err err = ERR_INIT;
    assert_ok(llm_embed(gw, texts, 3, NULL, &a, &err), &err);
    assert_same_vector(row(&a, 0), row(&a, 1), a.dim);
    assert_false(same_vector(row(&a, 0), row(&a, 2), a.dim));
    /* and again in a later call */
    assert_ok(llm_embed(gw, texts, 1, NULL, &b, &err), &err);
    assert_same_vector(row(&a, 0), row(&b, 0), a.dim);
    llm_embeddings_release(&a);
    llm_embeddings_release(&b);
    llm_gateway_free(gw);
}

static void order_is_kept_within_and_across_batches(void **state)
{
    (void)state;
    struct setup s = { 0 };
    struct llm_gateway *gw = open_gateway(&s);
    enum { N = 2050 }; /* two requests: 2048 + 2 */
    char(*words)[32] = calloc(N, sizeof(*words));
    const char **texts = calloc(N, sizeof(*texts));
    assert_non_null(words);
    assert_non_null(texts);
    for (size_t i = 0; i < N; i++) {
        snprintf(words[i], sizeof(words[i]), "item %zu word%zu", i, i * 7);
        texts[i] = words[i];
    }
    struct llm_embed_params params = { .dimensions = 16 };
    struct llm_embeddings all;
    struct err err = ERR_INIT;
    assert_ok(llm_embed(gw, texts, N, &params, &all, &err), &err);
    assert_int_equal(all.n, N);
    assert_int_equal(all.dim, 16);
    assert_int_equal(stat("embeddings"), 2);
    /* each row is its text's own vector: first, last of the first batch, both of the second */
    static const size_t probe[] = { 0, 1, 2047, 2048, 2049 };
    for (size_t k = 0; k < ARRAY_SIZE(probe); k++) {
        struct llm_embeddings one;
        assert_ok(llm_embed(gw, &texts[probe[k]], 1, &params, &one, &err), &err);
        assert_same_vector(row(&all, probe[k]), row(&one, 0), 16);
        assert_false(same_vector(row(&all, probe[k]), row(&all, (probe[k] + 1) % N), 16));
        llm_embeddings_release(&one);
    }
    assert_int_equal(stat("embeddings"), 2 + ARRAY_SIZE(probe));
    llm_embeddings_release(&all);
    llm_gateway_free(gw);
    free(texts);
    free(words);
}

static void a_429_is_retried(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Fault: 429", "X-Fault-Times: 1" };
    struct setup s = { .headers = h, .n_headers = 2 };
    struct llm_gateway *gw = open_gateway(&s);
    static const char *const texts[] = { "retry me please" };
    struct llm_embeddings e;
    struct err err = ERR_INIT;
    double retries = metric_value(metrics_counter("llm_retries_total", ""), METRIC_NO_LABELS);
    assert_ok(llm_embed(gw, texts, 1, NULL, &e, &err), &err);
    assert_int_equal(e.attempts, 2);
    assert_int_equal(e.dim, SERVER_DIM);
    llm_embeddings_release(&e);
    llm_gateway_free(gw);
    assert_int_equal(stat("fault:429"), 1);
    assert_int_equal(stat("embeddings"), 2);
    assert_float_equal(
        metric_value(metrics_counter("llm_retries_total", ""), METRIC_NO_LABELS) - retries, 1, 0);
}

static void a_malformed_body_is_retried(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Fault: malformed", "X-Fault-Times: 1" };
    struct setup s = { .headers = h, .n_headers = 2 };
    struct llm_gateway *gw = open_gateway(&s);
    static const char *const texts[] = { "broken then fine" };
    struct llm_embeddings e;
    struct err err = ERR_INIT;
    assert_ok(llm_embed(gw, texts, 1, NULL, &e, &err), &err);
    assert_int_equal(e.attempts, 2);
    llm_embeddings_release(&e);
    llm_gateway_free(gw);
    assert_int_equal(stat("fault:malformed"), 1);
}

static void a_permanent_500_ends_in_a_clear_error(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Fault: 500" };
    struct setup s = { .headers = h, .n_headers = 1, .max_attempts = 3 };
    struct llm_gateway *gw = open_gateway(&s);
    static const char *const texts[] = { "always failing" };
    struct llm_embeddings e;
    struct err err = ERR_INIT;
    assert_int_equal(llm_embed(gw, texts, 1, NULL, &e, &err), ERR_UPSTREAM);
    assert_contains(err.msg, "gave up after 3 attempts");
    assert_contains(err.msg, "HTTP 500");
    assert_null(e.vectors);
    assert_int_equal(e.attempts, 3);
    llm_embeddings_release(&e);
    llm_gateway_free(gw);
    assert_int_equal(stat("embeddings"), 3);
}

static void the_cache_answers_repeated_texts_without_a_request(void **state)
{
    (void)state;
    struct llm_cache *cache = cache_mem_new(64);
    struct setup s = { .cache = cache };
    struct llm_gateway *gw = open_gateway(&s);
    static const char *const texts[] = { "alpha beta", "gamma delta", "epsilon" };
    struct llm_embeddings first, again, mixed;
    struct err err = ERR_INIT;
    assert_ok(llm_embed(gw, texts, 2, NULL, &first, &err), &err);
    assert_int_equal(first.from_cache, 0);
    assert_true(first.tokens > 0);
    assert_int_equal(stat("embeddings"), 1);

    assert_ok(llm_embed(gw, texts, 2, NULL, &again, &err), &err);
    assert_int_equal(stat("embeddings"), 1); /* no new request */
    assert_int_equal(again.from_cache, 2);
    assert_int_equal(again.tokens, 0);
    assert_int_equal(again.attempts, 0);
    assert_int_equal(again.dim, first.dim);
    assert_string_equal(again.model, first.model);
    assert_same_vector(again.vectors, first.vectors, 2 * first.dim);

    /* a batch with one new text sends only that text, and keeps the order */
    static const char *const mix[] = { "gamma delta", "epsilon", "alpha beta" };
    assert_ok(llm_embed(gw, mix, 3, NULL, &mixed, &err), &err);
    assert_int_equal(stat("embeddings"), 2);
    assert_int_equal(mixed.from_cache, 2);
    assert_same_vector(row(&mixed, 0), row(&first, 1), first.dim);
    assert_same_vector(row(&mixed, 2), row(&first, 0), first.dim);
    assert_false(same_vector(row(&mixed, 1), row(&first, 0), first.dim));

    /* another dimension is another key; no_cache skips the lookup */
    struct llm_embed_params other = { .dimensions = 8 }, skip = { .no_cache = true };
    struct llm_embeddings e;
    assert_ok(llm_embed(gw, texts, 1, &other, &e, &err), &err);
    assert_int_equal(e.dim, 8);
    llm_embeddings_release(&e);
    assert_ok(llm_embed(gw, texts, 1, &skip, &e, &err), &err);
    assert_int_equal(e.from_cache, 0);
    llm_embeddings_release(&e);
    assert_int_equal(stat("embeddings"), 4);

    llm_embeddings_release(&first);
    llm_embeddings_release(&again);
    llm_embeddings_release(&mixed);
    llm_gateway_free(gw);
    cache_mem_free(cache);
}

static void tokens_and_cost_are_accounted_by_tag(void **state)
{
    (void)state;
    struct llm_prices *prices = NULL;
    struct err err = ERR_INIT;
    /* 1000 dollars per million tokens: 1000 micro-dollars a token, easy to check */
    assert_ok(llm_prices_parse("text-embedding-3-small=1000/0", &prices, &err), &err);
    struct llm_cache *cache = cache_mem_new(16);
    struct setup s = { .cache = cache, .prices = prices };
    struct llm_gateway *gw = open_gateway(&s);
    /* 12 + 7 characters: llm-serve bills ceil(19 / 4) = 5 tokens */
    static const char *const texts[] = { "twelve chars", "seven c" };
    struct llm_embed_params params = { 0 };
    snprintf(params.tags.workspace, sizeof(params.tags.workspace), "ws-1");
    snprintf(params.tags.run, sizeof(params.tags.run), "run-embed");
    double tokens_before =
        metric_value(metrics_counter("llm_tokens_total", ""), METRIC_LABELS({ "direction", "in" }));
    double hits_before = metric_value(metrics_counter("llm_embedding_texts_total", ""),
                                      METRIC_LABELS({ "source", "cache" }));
    struct llm_embeddings e;
    assert_ok(llm_embed(gw, texts, 2, &params, &e, &err), &err);
    assert_int_equal(e.tokens, 5);
    assert_int_equal(e.cost_micros, 5000);
    llm_embeddings_release(&e);
    assert_ok(llm_embed(gw, texts, 2, &params, &e, &err), &err); /* from the cache: free */
    assert_int_equal(e.tokens, 0);
    assert_int_equal(e.cost_micros, 0);
    llm_embeddings_release(&e);

    struct llm_usage u;
    llm_gateway_usage(gw, LLM_TAG_RUN, "run-embed", &u);
    assert_int_equal(u.calls, 2);
    assert_int_equal(u.cache_hits, 1);
    assert_int_equal(u.tokens_in, 5);
    assert_int_equal(u.tokens_out, 0);
    assert_int_equal(u.cost_micros, 5000);
    llm_gateway_usage(gw, LLM_TAG_WORKSPACE, "ws-1", &u);
    assert_int_equal(u.tokens_in, 5);
    assert_float_equal(metric_value(metrics_counter("llm_tokens_total", ""),
                                    METRIC_LABELS({ "direction", "in" })) -
                           tokens_before,
                       5, 0);
    assert_float_equal(metric_value(metrics_counter("llm_embedding_texts_total", ""),
                                    METRIC_LABELS({ "source", "cache" })) -
                           hits_before,
                       2, 0);
    assert_true(
        metric_value(metrics_counter("llm_embeddings_total", ""),
                     METRIC_LABELS({ "provider", "openai" }, { "model", "text-embedding-3-small" },
                                   { "outcome", "ok" })) >= 2);
    llm_gateway_free(gw);
    cache_mem_free(cache);
    llm_prices_free(prices);
}

static void azure_uses_the_embedding_deployment(void **state)
{
    (void)state;
    struct setup s = { .azure_deployment = "chat-dep", .embedding_model = "embed-dep" };
    struct llm_gateway *gw = open_gateway(&s);
    static const char *const texts[] = { "hello azure" };
    struct llm_embeddings e;
    struct err err = ERR_INIT;
    assert_ok(llm_embed(gw, texts, 1, NULL, &e, &err), &err);
    assert_string_equal(e.model, "embed-dep"); /* llm-serve names the deployment */
    assert_int_equal(e.dim, SERVER_DIM);
    llm_embeddings_release(&e);
    llm_gateway_free(gw);
    assert_int_equal(stat("azure_embeddings"), 1);
    assert_int_equal(stat("embeddings"), 0);
}

static void no_texts_need_no_request(void **state)
{
    (void)state;
    struct setup s = { 0 };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_embeddings e;
    struct err err = ERR_INIT;
    assert_ok(llm_embed(gw, NULL, 0, NULL, &e, &err), &err);
    assert_int_equal(e.n, 0);
    assert_null(e.vectors);
    llm_gateway_free(gw);
    assert_int_equal(stat("embeddings"), 0);
}

/* ---- a provider without embeddings -------------------------------------------------------- */

static enum err_code chat_only_submit(struct llm_provider *p, const struct llm_request *req,
                                      llm_raw_fn *done, void *ctx, struct err *err)
{
    (void)p;
    (void)req;
    (void)done;
    (void)ctx;
    return err_set(err, ERR_UNAVAILABLE, NULL, "not used");
}

static enum err_code chat_only_ping(struct llm_provider *p, struct err *err)
{
    (void)p;
    (void)err;
    return ERR_OK;
}

static void chat_only_destroy(struct llm_provider *p)
{
    (void)p;
}

static void a_provider_without_embeddings_is_a_clear_error(void **state)
{
    (void)state;
    struct llm_provider chat_only = { .name = "chat-only",
                                      .default_model = "m",
                                      .submit = chat_only_submit,
                                      .ping = chat_only_ping,
                                      .destroy = chat_only_destroy,
                                      .cacheable = true };
    struct llm_gateway_options go = { 0 };
    struct llm_gateway *gw = llm_gateway_new(&chat_only, &go);
    assert_false(llm_gateway_can_embed(gw));
    static const char *const texts[] = { "anything" };
    struct llm_embeddings e;
    struct err err = ERR_INIT;
    assert_int_equal(llm_embed(gw, texts, 1, NULL, &e, &err), ERR_UNAVAILABLE);
    assert_contains(err.msg, "'chat-only' has no embeddings endpoint");
    assert_null(e.vectors);
    llm_gateway_free(gw);
}

static void the_cache_key_covers_model_dimensions_and_text(void **state)
{
    (void)state;
    char a[65], b[65], c[65], d[65];
    llm_embed_key("text-embedding-3-small", 0, "hello", a);
    llm_embed_key("text-embedding-3-large", 0, "hello", b);
    llm_embed_key("text-embedding-3-small", 256, "hello", c);
    llm_embed_key("text-embedding-3-small", 0, "hello!", d);
    assert_int_equal(strlen(a), 64);
    assert_string_not_equal(a, b);
    assert_string_not_equal(a, c);
    assert_string_not_equal(a, d);
    llm_embed_key("text-embedding-3-small", 0, "hello", b);
    assert_string_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(vectors_have_the_asked_dimension_and_unit_length, reset_stats),
        cmocka_unit_test_setup(the_same_words_give_the_same_vector, reset_stats),
        cmocka_unit_test_setup(order_is_kept_within_and_across_batches, reset_stats),
        cmocka_unit_test_setup(a_429_is_retried, reset_stats),
        cmocka_unit_test_setup(a_malformed_body_is_retried, reset_stats),
        cmocka_unit_test_setup(a_permanent_500_ends_in_a_clear_error, reset_stats),
        cmocka_unit_test_setup(the_cache_answers_repeated_texts_without_a_request, reset_stats),
        cmocka_unit_test_setup(tokens_and_cost_are_accounted_by_tag, reset_stats),
        cmocka_unit_test_setup(azure_uses_the_embedding_deployment, reset_stats),
        cmocka_unit_test_setup(no_texts_need_no_request, reset_stats),
        cmocka_unit_test(a_provider_without_embeddings_is_a_clear_error),
        cmocka_unit_test(the_cache_key_covers_model_dimensions_and_text),
    };
    openai_global_init();
    int failed = cmocka_run_group_tests(tests, start_server, stop_server);
    openai_global_cleanup();
    return failed;
}
