/*
 * tests/unit/llm/test_openai.c - the OpenAI-compatible provider, behind the
 * gateway, against a real `crowdelic llm-serve` over HTTP (started once for
 * the group from $CROWDELIC_BIN on a free port). Every fault kind is
 * injected by header and counted exactly through llm-serve's /stats:
 * retries with growing backoff, Retry-After honoured, a permanent failure,
 * timeouts, malformed and cut bodies, schema violations up to the re-ask
 * bound, a task validator's re-ask, the rate limiter's budget,
 * prose repaired, the concurrency limit, Azure paths and headers, keys,
 * the cache across a restart of the gateway and the database.
 */
#include "core/compat.h"

#include <curl/curl.h>
#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonio.h"
#include "core/metrics.h"
#include "llm/gateway.h"
#include "llm/openai.h"
#include "store/llm_cache.h"
#include "store/migrate.h"
#include "store/store.h"

#define API_KEY "sk-test-key"

static int server_port;
static char server_dir[64];
static char base_url[64];

/* ---- the llm-serve child ------------------------------------------------------------- */

static struct llm_serve_child child;

static int start_server(void **state)
{
    (void)state;
    static const char *const args[] = { "--responder", "echo", "--api-key", API_KEY,
                                        "--hang-ms",   "1000", NULL };
    if (testutil_llm_serve_start(&child, args))
        return -1;
    server_port = child.port;
    snprintf(server_dir, sizeof(server_dir), "%s", child.dir);
    snprintf(base_url, sizeof(base_url), "http://127.0.0.1:%d/v1", server_port);
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

/* GET (or POST when post) a llm-serve path; returns the parsed JSON body. */
static json_t *serve_json(const char *path, bool post)
{
    char url[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", server_port, path);
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

/* A counter of /stats: "chat" is by_route.chat, "fault:429" faults["429"], "status:200" ... */
static int64_t stat(const char *what)
{
    json_t *s = serve_json("/stats", false);
    json_t *v;
    if (strncmp(what, "fault:", 6) == 0)
        v = json_object_get(json_object_get(s, "faults"), what + 6);
    else if (strncmp(what, "status:", 7) == 0)
        v = json_object_get(json_object_get(s, "by_status"), what + 7);
    else if (strcmp(what, "max_in_flight") == 0 || strcmp(what, "requests") == 0 ||
             strcmp(what, "in_flight") == 0)
        v = json_object_get(s, what);
    else
        v = json_object_get(json_object_get(s, "by_route"), what);
    int64_t n = json_integer_value(v);
    json_decref(s);
    return n;
}

/* ---- a gateway over the provider --------------------------------------------------------- */

struct setup {
    const char *const *headers;
    size_t n_headers;
    int concurrency;
    int max_attempts;
    int timeout_ms;
    int reasks;
    const char *azure_deployment;
    const char *api_key;
    const struct llm_cache *cache;
};

static struct llm_gateway *open_gateway(const struct setup *s)
{
    char endpoint[64];
    snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d", server_port);
    struct openai_options o = {
        .base_url = base_url,
        .api_key = s->api_key ? s->api_key : API_KEY,
        .model = "gpt-test",
        .azure_endpoint = s->azure_deployment ? endpoint : NULL,
        .azure_deployment = s->azure_deployment,
        .azure_api_version = "2024-10-21",
        .concurrency = s->concurrency ? s->concurrency : 8,
        .timeout_ms = s->timeout_ms ? s->timeout_ms : 5000,
        .max_attempts = s->max_attempts ? s->max_attempts : 4,
        .backoff_base_ms = 50,
        .backoff_max_ms = 1000,
        .backoff_jitter = false, /* delays exactly the caps: 50, 100, 200 ms */
        .extra_headers = s->headers,
        .n_extra_headers = s->n_headers,
    };
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(openai_new(&o, &p, &err), &err);
    struct llm_gateway_options go = { .max_reasks = s->reasks, .cache = s->cache };
    return llm_gateway_new(p, &go);
}

static struct llm_request *ask(const char *content)
{
    struct llm_request *r = llm_request_new("act");
    llm_request_add(r, LLM_ROLE_SYSTEM, "You are a test persona.");
    llm_request_add(r, LLM_ROLE_USER, content);
    return r;
}

static struct llm_request *ask_schema(const char *content)
{
    struct llm_request *r = ask(content);
    json_t *s = json_loads("{\"type\":\"object\",\"required\":[\"appeal\",\"why\"],"
                           "\"properties\":{\"appeal\":{\"type\":\"integer\",\"minimum\":1,"
                           "\"maximum\":10},\"why\":{\"type\":\"string\",\"minLength\":1}}}",
                           0, NULL);
    llm_request_set_schema(r, s);
    json_decref(s);
    return r;
}

/* ---- tests --------------------------------------------------------------------------------- */

static void answer_arrives_with_usage_from_the_server(void **state)
{
    (void)state;
    struct setup s = { 0 };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_response *r = llm_call(gw, ask("hello there"));
    assert_ok(r->code, &r->err);
    assert_string_equal(r->text, "hello there"); /* the echo responder */
    assert_string_equal(r->model, "gpt-test");
    assert_int_equal(r->attempts, 1);
    /* ceil(chars / 4): 23 + 11 = 34 characters in, 11 out */
    assert_int_equal(r->tokens_in, 9);
    assert_int_equal(r->tokens_out, 3);
    llm_response_free(r);
    llm_gateway_free(gw);
    assert_int_equal(stat("chat"), 1);
}

static void schema_answer_from_the_server_validates(void **state)
{
    (void)state;
    struct setup s = { 0 };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_response *r = llm_call(gw, ask_schema("Rate FreshBox"));
    assert_ok(r->code, &r->err);
    assert_true(json_is_integer(json_object_get(r->json, "appeal")));
    llm_response_free(r);
    llm_gateway_free(gw);
}

static void two_429s_are_retried_with_growing_backoff(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Fault: 429", "X-Fault-Times: 2" };
    struct setup s = { .headers = h, .n_headers = 2 };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_response *r = llm_call(gw, ask("retry me"));
    assert_ok(r->code, &r->err);
    assert_int_equal(r->attempts, 3);
    /* no jitter: 50 ms then 100 ms between the attempts */
    assert_true(r->latency_ms >= 150);
    assert_true(r->latency_ms < 2000);
    llm_response_free(r);
    llm_gateway_free(gw);
    assert_int_equal(stat("fault:429"), 2);
    assert_int_equal(stat("status:429"), 2);
    assert_int_equal(stat("status:200"), 1);
    assert_int_equal(stat("chat"), 3);
}

static void retry_after_is_honoured(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Fault: 503", "X-Fault-Times: 1", "X-Fault-Retry-After: 1" };
    struct setup s = { .headers = h, .n_headers = 3 };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_response *r = llm_call(gw, ask("wait for it"));
    assert_ok(r->code, &r->err);
    assert_int_equal(r->attempts, 2);
    /* the backoff alone would be 50 ms; Retry-After says one second */
    assert_true(r->latency_ms >= 1000);
    assert_true(r->latency_ms < 3000);
    llm_response_free(r);
    llm_gateway_free(gw);
    assert_int_equal(stat("fault:503"), 1);
}

static void a_permanent_500_ends_in_a_clear_error(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Fault: 500" };
    struct setup s = { .headers = h, .n_headers = 1, .max_attempts = 3 };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_response *r = llm_call(gw, ask("always failing"));
    assert_int_equal(r->code, ERR_UPSTREAM);
    assert_int_equal(r->attempts, 3);
    assert_contains(r->err.msg, "gave up after 3 attempts");
    assert_contains(r->err.msg, "HTTP 500");
    assert_null(r->json);
    llm_response_free(r);
    llm_gateway_free(gw);
    assert_int_equal(stat("fault:500"), 3);
    assert_int_equal(stat("chat"), 3);
}

static void a_timeout_is_retried(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Fault: timeout", "X-Fault-Times: 1" };
    struct setup s = { .headers = h, .n_headers = 2, .timeout_ms = 400 };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_response *r = llm_call(gw, ask("slow answer"));
    assert_ok(r->code, &r->err);
    assert_int_equal(r->attempts, 2);
    assert_true(r->latency_ms >= 400);
    llm_response_free(r);
    llm_gateway_free(gw);
    assert_int_equal(stat("fault:timeout"), 1);
}

static void a_timeout_every_time_ends_in_err_timeout(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Fault: timeout" };
    struct setup s = { .headers = h, .n_headers = 1, .timeout_ms = 200, .max_attempts = 2 };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_response *r = llm_call(gw, ask("never answered"));
    assert_int_equal(r->code, ERR_TIMEOUT);
    assert_int_equal(r->attempts, 2);
    assert_contains(r->err.msg, "gave up after 2 attempts");
    llm_response_free(r);
    llm_gateway_free(gw);
}

static void malformed_and_truncated_bodies_are_retried(void **state)
{
    (void)state;
    static const char *const kinds[] = { "X-Fault: malformed", "X-Fault: truncated" };
    for (size_t i = 0; i < 2; i++) {
        reset_stats(NULL);
        const char *h[] = { kinds[i], "X-Fault-Times: 1" };
        struct setup s = { .headers = h, .n_headers = 2 };
        struct llm_gateway *gw = open_gateway(&s);
        struct llm_response *r = llm_call(gw, ask("body trouble"));
        assert_ok(r->code, &r->err);
        assert_int_equal(r->attempts, 2);
        assert_string_equal(r->text, "body trouble");
        llm_response_free(r);
        llm_gateway_free(gw);
        assert_int_equal(stat(i == 0 ? "fault:malformed" : "fault:truncated"), 1);
        assert_int_equal(stat("chat"), 2);
    }
}

/* Rejects the first answer it sees, accepts the rest. */
static enum err_code reject_first(const json_t *answer, void *ctx, struct err *err)
{
    int *seen = ctx;
    (void)answer;
    if ((*seen)++ == 0)
        return err_set(err, ERR_INVALID, "why", "/why: give a reason a shopper would give");
    return ERR_OK;
}

static void a_rejected_answer_is_reasked_over_http(void **state)
{
    (void)state;
    struct setup s = { .reasks = 2 };
    struct llm_gateway *gw = open_gateway(&s);
    int seen = 0;
    struct llm_request *req = ask_schema("Rate it");
    req->validate = reject_first;
    req->validate_ctx = &seen;
    struct llm_response *r = llm_call(gw, req);
    assert_ok(r->code, &r->err);
    assert_int_equal(r->reasks, 1);
    assert_int_equal(seen, 2);
    llm_response_free(r);
    llm_gateway_free(gw);
    assert_int_equal(stat("chat"), 2);
}

static void reasks_stop_at_the_bound_over_http(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Fault: schema" };
    struct setup s = { .headers = h, .n_headers = 1, .reasks = 2 };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_response *r = llm_call(gw, ask_schema("Rate it"));
    assert_int_equal(r->code, ERR_UPSTREAM);
    assert_int_equal(r->reasks, 2);
    assert_contains(r->err.msg, "invalid after 2 re-asks");
    assert_non_null(r->text);
    assert_string_equal(r->text, "{\"unexpected\":true}");
    llm_response_free(r);
    llm_gateway_free(gw);
    assert_int_equal(stat("fault:schema"), 3);
    assert_int_equal(stat("chat"), 3);
}

static void prose_wrapped_answer_is_repaired_without_a_reask(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Fault: prose" };
    struct setup s = { .headers = h, .n_headers = 1, .reasks = 2 };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_response *r = llm_call(gw, ask_schema("Rate it"));
    assert_ok(r->code, &r->err);
    assert_int_equal(r->reasks, 0);
    llm_response_free(r);
    llm_gateway_free(gw);
    assert_int_equal(stat("chat"), 1);
}

struct counter {
    int done;
    int ok;
};

static void count(void *ctx, struct llm_response *resp)
{
    struct counter *c = ctx;
    __atomic_add_fetch(&c->done, 1, __ATOMIC_SEQ_CST);
    if (resp->code == ERR_OK)
        __atomic_add_fetch(&c->ok, 1, __ATOMIC_SEQ_CST);
    llm_response_free(resp);
}

static void in_flight_calls_never_exceed_the_concurrency(void **state)
{
    (void)state;
    static const char *const h[] = { "X-Latency-Ms: 100" };
    struct setup s = { .headers = h, .n_headers = 1, .concurrency = 4 };
    /* requests hung by earlier timeout faults (--hang-ms 1000) must be gone */
    for (int i = 0; i < 300 && stat("in_flight") > 0; i++)
        clock_sleep_ms(10);
    reset_stats(NULL);
    struct llm_gateway *gw = open_gateway(&s);
    struct counter c = { 0 };
    for (int i = 0; i < 20; i++) {
        char text[32];
        snprintf(text, sizeof(text), "call %d", i);
        struct err err = ERR_INIT;
        assert_ok(llm_submit(gw, ask(text), count, &c, &err), &err);
    }
    while (__atomic_load_n(&c.done, __ATOMIC_SEQ_CST) < 20)
        clock_sleep_ms(10);
    llm_gateway_free(gw);
    assert_int_equal(c.ok, 20);
    assert_int_equal(stat("chat"), 20);
    assert_int_equal(stat("max_in_flight"), 4);
}

static void the_rate_limiter_keeps_to_its_budget_over_http(void **state)
{
    (void)state;
    enum { N = 610 };
    /* 600 requests a minute: a full bucket of 600, then one every 100 ms */
    char endpoint[64];
    snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d/v1", server_port);
    struct openai_options o = { .base_url = endpoint,
                                .api_key = API_KEY,
                                .model = "m",
                                .concurrency = 16,
                                .timeout_ms = 5000,
                                .max_attempts = 1,
                                .backoff_base_ms = 10,
                                .backoff_max_ms = 10 };
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(openai_new(&o, &p, &err), &err);
    struct llm_gateway_options go = { .rpm = 600 };
    struct llm_gateway *gw = llm_gateway_new(p, &go);
    struct counter c = { 0 };
    int64_t t0 = clock_mono_ms();
    for (int i = 0; i < N; i++) {
        char text[32];
        snprintf(text, sizeof(text), "budget %d", i);
        assert_ok(llm_submit(gw, ask(text), count, &c, &err), &err);
    }
    /* wait until the bucket's 600 are through, then look at what the server saw */
    while (__atomic_load_n(&c.done, __ATOMIC_SEQ_CST) < 600)
        clock_sleep_ms(5);
    int64_t at = clock_mono_ms() - t0;
    int64_t seen = stat("chat");
    int64_t allowed = 600 + at / 100 + 1; /* the bucket plus what refilled meanwhile */
    if (seen > allowed)
        fail_msg("%" PRId64 " requests reached the server after %" PRId64 " ms; budget %" PRId64,
                 seen, at, allowed);
    while (__atomic_load_n(&c.done, __ATOMIC_SEQ_CST) < N)
        clock_sleep_ms(5);
    int64_t total = clock_mono_ms() - t0;
    llm_gateway_free(gw);
    assert_int_equal(c.ok, N);
    assert_int_equal(stat("chat"), N);
    /* the last 10 calls had to wait for 10 refills of 100 ms */
    if (total < 950)
        fail_msg("%d calls took %" PRId64 " ms: faster than 600 a minute allows", N, total);
}

static void azure_paths_and_api_key_header_are_used(void **state)
{
    (void)state;
    struct setup s = { .azure_deployment = "dep-1" };
    struct llm_gateway *gw = open_gateway(&s);
    struct llm_response *r = llm_call(gw, ask("hello azure"));
    assert_ok(r->code, &r->err);
    assert_string_equal(r->model, "dep-1");
    llm_response_free(r);
    struct err err = ERR_INIT;
    assert_ok(llm_gateway_ping(gw, &err), &err);
    llm_gateway_free(gw);
    assert_int_equal(stat("azure_chat"), 1);
    assert_int_equal(stat("chat"), 0);
}

static void a_wrong_key_fails_at_once_without_retries(void **state)
{
    (void)state;
    struct setup variants[] = { { .api_key = "sk-wrong" },
                                { .api_key = "sk-wrong", .azure_deployment = "dep-1" } };
    for (size_t i = 0; i < 2; i++) {
        reset_stats(NULL);
        struct llm_gateway *gw = open_gateway(&variants[i]);
        struct llm_response *r = llm_call(gw, ask("let me in"));
        assert_int_equal(r->code, ERR_UPSTREAM);
        assert_int_equal(r->attempts, 1);
        assert_contains(r->err.msg, "HTTP 401");
        llm_response_free(r);
        struct err err = ERR_INIT;
        assert_int_equal(llm_gateway_ping(gw, &err), ERR_UNAVAILABLE);
        assert_contains(err.msg, "refused the key");
        llm_gateway_free(gw);
        /* the call and the ping, each refused once */
        assert_int_equal(stat("status:401"), 2);
        assert_int_equal(stat(i == 0 ? "chat" : "azure_chat"), 1);
    }
}

static void a_server_that_is_down_is_reported(void **state)
{
    (void)state;
    struct openai_options o = { .base_url = "http://127.0.0.1:1/v1",
                                .model = "m",
                                .concurrency = 1,
                                .timeout_ms = 1000,
                                .max_attempts = 2,
                                .backoff_base_ms = 10,
                                .backoff_max_ms = 10 };
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(openai_new(&o, &p, &err), &err);
    struct llm_gateway_options go = { 0 };
    struct llm_gateway *gw = llm_gateway_new(p, &go);
    struct llm_response *r = llm_call(gw, ask("anyone?"));
    assert_int_equal(r->code, ERR_UPSTREAM);
    assert_int_equal(r->attempts, 2);
    assert_contains(r->err.msg, "gave up after 2 attempts");
    llm_response_free(r);
    assert_int_equal(llm_gateway_ping(gw, &err), ERR_UNAVAILABLE);
    llm_gateway_free(gw);
}

static void bad_options_are_refused(void **state)
{
    (void)state;
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    struct openai_options o = { .base_url = "ftp://x", .concurrency = 1, .max_attempts = 1 };
    assert_int_equal(openai_new(&o, &p, &err), ERR_INVALID);
    assert_contains(err.msg, "CROWDELIC_LLM_BASE_URL");
    o.base_url = "http://x";
    o.concurrency = 0;
    assert_int_equal(openai_new(&o, &p, &err), ERR_INVALID);
    assert_contains(err.msg, "LLM_CONCURRENCY");
    o.concurrency = 1;
    o.azure_endpoint = "https://a.openai.azure.com";
    assert_int_equal(openai_new(&o, &p, &err), ERR_INVALID);
    assert_contains(err.msg, "AZURE_OPENAI_DEPLOYMENT");
    assert_null(p);
}

/* ---- the cache in the database, across a restart ----------------------------------------- */

static enum err_code db_get(void *ctx, const char *key, char **value, struct err *err)
{
    return store_llm_cache_get(ctx, key, value, err);
}

static enum err_code db_put(void *ctx, const char *key, const char *value, struct err *err)
{
    return store_llm_cache_put(ctx, key, value, err);
}

static struct store *open_db(const char *path)
{
    struct store *db = NULL;
    struct err err = ERR_INIT;
    struct store_options so = { .pool_size = 2,
                                .busy_timeout_ms = 1000,
                                .acquire_timeout_ms = 1000 };
    assert_ok(store_open(path, &so, &db, &err), &err);
    int applied;
    assert_ok(migrate_run(db, &applied, &err), &err);
    return db;
}

static void cache_hits_survive_a_restart(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "%s/cache.db", server_dir);
    for (int round = 0; round < 2; round++) {
        struct store *db = open_db(path);
        struct llm_cache cache = { .get = db_get, .put = db_put, .ctx = db };
        struct setup s = { .cache = &cache };
        struct llm_gateway *gw = open_gateway(&s);
        struct llm_response *r = llm_call(gw, ask_schema("cache me"));
        assert_ok(r->code, &r->err);
        assert_int_equal(r->from_cache, round == 1);
        llm_response_free(r);
        r = llm_call(gw, ask_schema("cache me"));
        assert_true(r->from_cache);
        llm_response_free(r);
        llm_gateway_free(gw);
        store_close(db);
    }
    /* one request reached the server in all: the first */
    assert_int_equal(stat("chat"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(answer_arrives_with_usage_from_the_server, reset_stats),
        cmocka_unit_test_setup(schema_answer_from_the_server_validates, reset_stats),
        cmocka_unit_test_setup(two_429s_are_retried_with_growing_backoff, reset_stats),
        cmocka_unit_test_setup(retry_after_is_honoured, reset_stats),
        cmocka_unit_test_setup(a_permanent_500_ends_in_a_clear_error, reset_stats),
        cmocka_unit_test_setup(a_timeout_is_retried, reset_stats),
        cmocka_unit_test_setup(a_timeout_every_time_ends_in_err_timeout, reset_stats),
        cmocka_unit_test_setup(malformed_and_truncated_bodies_are_retried, reset_stats),
        cmocka_unit_test_setup(a_rejected_answer_is_reasked_over_http, reset_stats),
        cmocka_unit_test_setup(reasks_stop_at_the_bound_over_http, reset_stats),
        cmocka_unit_test_setup(prose_wrapped_answer_is_repaired_without_a_reask, reset_stats),
        cmocka_unit_test_setup(in_flight_calls_never_exceed_the_concurrency, reset_stats),
        cmocka_unit_test_setup(the_rate_limiter_keeps_to_its_budget_over_http, reset_stats),
        cmocka_unit_test_setup(azure_paths_and_api_key_header_are_used, reset_stats),
        cmocka_unit_test_setup(a_wrong_key_fails_at_once_without_retries, reset_stats),
        cmocka_unit_test(a_server_that_is_down_is_reported),
        cmocka_unit_test(bad_options_are_refused),
        cmocka_unit_test_setup(cache_hits_survive_a_restart, reset_stats),
    };
    openai_global_init();
    int failed = cmocka_run_group_tests(tests, start_server, stop_server);
    openai_global_cleanup();
    return failed;
}
