/*
 * tests/unit/llm/test_gateway.c - the gateway against a scripted in-process
 * provider: answers, JSON repair, schema and task validation, re-asks and
 * their bound, the cache (hits, misses, opt-outs, revalidation), accounting
 * by tag and price, provider errors, the rate limiter's budget, shutdown
 * with calls pending, and the canonical request key. Callbacks are counted
 * exactly (STYLE.md T5).
 */
#include "core/compat.h"

#include <pthread.h>
#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/clock.h"
#include "core/metrics.h"
#include "llm/gateway.h"

/* ---- a scripted provider ------------------------------------------------------------- */

struct fake {
    struct llm_provider iface; /* first */
    pthread_mutex_t lock;
    const char *const *answers; /* served in order; the last one repeats */
    size_t n_answers, next;
    int calls;
    struct llm_request *last; /* a copy of the last request sent */
    enum err_code fail;       /* answer every call with this error when set */
    int64_t tokens_in, tokens_out;
    int64_t *sent_at; /* monotonic ms of each submit, when not NULL */
    size_t n_sent_at;
    bool hold; /* keep calls instead of answering (shutdown test) */
    llm_raw_fn *held_done[16];
    void *held_ctx[16];
    int n_held;
};

static enum err_code fake_submit(struct llm_provider *p, const struct llm_request *req,
                                 llm_raw_fn *done, void *ctx, struct err *err)
{
    struct fake *f = (struct fake *)p;
    (void)err;
    pthread_mutex_lock(&f->lock);
    if (f->sent_at && (size_t)f->calls < f->n_sent_at)
        f->sent_at[f->calls] = clock_mono_ms();
    f->calls++;
    llm_request_free(f->last);
    f->last = llm_request_dup(req);
    if (f->hold) {
        f->held_done[f->n_held] = done;
        f->held_ctx[f->n_held++] = ctx;
        pthread_mutex_unlock(&f->lock);
        return ERR_OK;
    }
    size_t i = f->next < f->n_answers ? f->next : f->n_answers - 1;
    f->next++;
    struct llm_raw raw = {
        .code = f->fail, .tokens_in = f->tokens_in, .tokens_out = f->tokens_out, .attempts = 1
    };
    if (f->fail)
        err_set(&raw.err, f->fail, NULL, "fake failure");
    else
        raw.content = (char *)f->answers[i];
    pthread_mutex_unlock(&f->lock);
    done(ctx, &raw); /* like an in-process provider: inside submit */
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
    for (int i = 0; i < f->n_held; i++) {
        struct llm_raw raw = { .code = ERR_UNAVAILABLE, .tokens_in = -1, .tokens_out = -1 };
        err_set(&raw.err, ERR_UNAVAILABLE, NULL, "fake stopped");
        f->held_done[i](f->held_ctx[i], &raw);
    }
    f->n_held = 0;
}

static struct fake *fake_new(const char *const *answers, size_t n)
{
    struct fake *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    pthread_mutex_init(&f->lock, NULL);
    f->answers = answers;
    f->n_answers = n;
    f->tokens_in = 1000;
    f->tokens_out = 500;
    f->iface = (struct llm_provider){ .name = "fake",
                                      .default_model = "gpt-4o-mini",
                                      .submit = fake_submit,
                                      .ping = fake_ping,
                                      .destroy = fake_destroy,
                                      .cacheable = true };
    return f;
}

/* The number of calls so far, read under the fake's lock. */
static int fake_calls(struct fake *f)
{
    pthread_mutex_lock(&f->lock);
    int n = f->calls;
    pthread_mutex_unlock(&f->lock);
    return n;
}

/* The fake outlives the gateway (destroy does not free it) so tests can read it. */
static void fake_free(struct fake *f)
{
    llm_request_free(f->last);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

/* ---- helpers ------------------------------------------------------------------------------ */

static struct llm_prices *prices;

static int setup(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    return llm_prices_parse("gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10.00", &prices, &err);
}

static int teardown(void **state)
{
    (void)state;
    llm_prices_free(prices);
    metrics_reset();
    return 0;
}

static struct llm_gateway *gateway(struct fake *f, const struct llm_cache *cache, int reasks)
{
    struct llm_gateway_options o = { .max_reasks = reasks, .cache = cache, .prices = prices };
    return llm_gateway_new(&f->iface, &o);
}

static struct llm_request *text_request(const char *content)
{
    struct llm_request *r = llm_request_new("act");
    llm_request_add(r, LLM_ROLE_SYSTEM, "You are Ana.");
    llm_request_add(r, LLM_ROLE_USER, content);
    return r;
}

static json_t *answer_schema(void)
{
    json_t *s = json_loads("{\"type\":\"object\",\"required\":[\"appeal\"],"
                           "\"properties\":{\"appeal\":{\"type\":\"integer\",\"minimum\":1,"
                           "\"maximum\":10}},\"additionalProperties\":false}",
                           0, NULL);
    assert_non_null(s);
    return s;
}

static struct llm_request *schema_request(const char *content)
{
    struct llm_request *r = text_request(content);
    json_t *s = answer_schema();
    llm_request_set_schema(r, s);
    json_decref(s);
    return r;
}

/* Counts callbacks (and their error codes) and frees the responses. */
struct counter {
    int calls;
    int unavailable;
};

static void count_done(void *ctx, struct llm_response *resp)
{
    struct counter *c = ctx;
    __atomic_add_fetch(&c->calls, 1, __ATOMIC_SEQ_CST);
    if (resp->code == ERR_UNAVAILABLE)
        __atomic_add_fetch(&c->unavailable, 1, __ATOMIC_SEQ_CST);
    llm_response_free(resp);
}

/* ---- answers ----------------------------------------------------------------------------------
 */

static void text_answer_comes_back_with_usage_and_cost(void **state)
{
    (void)state;
    static const char *const answers[] = { "I would try it." };
    struct fake *f = fake_new(answers, 1);
    struct llm_gateway *gw = gateway(f, NULL, 2);
    struct llm_request *req = text_request("What do you think?");
    snprintf(req->tags.run, sizeof(req->tags.run), "run-1");
    snprintf(req->tags.workspace, sizeof(req->tags.workspace), "ws-1");
    struct llm_response *r = llm_call(gw, req);
    assert_ok(r->code, &r->err);
    assert_string_equal(r->text, "I would try it.");
    assert_null(r->json);
    assert_string_equal(r->model, "gpt-4o-mini");
    assert_int_equal(r->tokens_in, 1000);
    assert_int_equal(r->tokens_out, 500);
    /* 1000 x 0.15 + 500 x 0.60 per million tokens = 150 + 300 micro-dollars */
    assert_int_equal(r->cost_micros, 450);
    assert_int_equal(r->attempts, 1);
    assert_int_equal(r->reasks, 0);
    assert_false(r->from_cache);
    llm_response_free(r);

    struct llm_usage u;
    llm_gateway_usage(gw, LLM_TAG_RUN, "run-1", &u);
    assert_int_equal(u.calls, 1);
    assert_int_equal(u.cost_micros, 450);
    llm_gateway_usage(gw, LLM_TAG_WORKSPACE, "ws-1", &u);
    assert_int_equal(u.tokens_in, 1000);
    llm_gateway_usage(gw, LLM_TAG_RUN, "other", &u);
    assert_int_equal(u.calls, 0);
    llm_gateway_free(gw);
    fake_free(f);
}

static void json_answer_is_parsed_and_validated(void **state)
{
    (void)state;
    static const char *const answers[] = { "{\"appeal\": 7}" };
    struct fake *f = fake_new(answers, 1);
    struct llm_gateway *gw = gateway(f, NULL, 2);
    struct llm_response *r = llm_call(gw, schema_request("Rate it."));
    assert_ok(r->code, &r->err);
    assert_non_null(r->json);
    assert_int_equal(json_integer_value(json_object_get(r->json, "appeal")), 7);
    assert_string_equal(r->text, "{\"appeal\":7}");
    llm_response_free(r);
    llm_gateway_free(gw);
    fake_free(f);
}

static void answer_in_prose_and_fences_is_repaired(void **state)
{
    (void)state;
    static const char *const answers[] = {
        "Sure! Here it is:\n```json\n{\"appeal\": 9}\n```\nHope that helps."
    };
    struct fake *f = fake_new(answers, 1);
    struct llm_gateway *gw = gateway(f, NULL, 2);
    struct llm_response *r = llm_call(gw, schema_request("Rate it."));
    assert_ok(r->code, &r->err);
    assert_int_equal(json_integer_value(json_object_get(r->json, "appeal")), 9);
    assert_int_equal(f->calls, 1);
    llm_response_free(r);
    llm_gateway_free(gw);
    fake_free(f);
}

static void schema_violation_is_asked_again_with_the_error(void **state)
{
    (void)state;
    static const char *const answers[] = { "{\"appeal\": 11}", "{\"appeal\": 10}" };
    struct fake *f = fake_new(answers, 2);
    struct llm_gateway *gw = gateway(f, NULL, 2);
    struct llm_response *r = llm_call(gw, schema_request("Rate it."));
    assert_ok(r->code, &r->err);
    assert_int_equal(r->reasks, 1);
    assert_int_equal(f->calls, 2);
    assert_int_equal(json_integer_value(json_object_get(r->json, "appeal")), 10);
    /* the re-ask showed the model its answer and what was wrong */
    assert_int_equal(f->last->n_messages, 4);
    assert_int_equal(f->last->messages[2].role, LLM_ROLE_ASSISTANT);
    assert_string_equal(f->last->messages[2].content, "{\"appeal\": 11}");
    assert_int_equal(f->last->messages[3].role, LLM_ROLE_USER);
    assert_contains(f->last->messages[3].content, "/appeal");
    assert_contains(f->last->messages[3].content, "maximum");
    /* both attempts were billed */
    assert_int_equal(r->tokens_in, 2000);
    llm_response_free(r);
    llm_gateway_free(gw);
    fake_free(f);
}

static void reasks_stop_at_the_bound_and_never_return_an_empty_answer(void **state)
{
    (void)state;
    static const char *const answers[] = { "{\"appeal\": \"high\"}" };
    struct fake *f = fake_new(answers, 1);
    struct llm_gateway *gw = gateway(f, NULL, 2);
    struct llm_response *r = llm_call(gw, schema_request("Rate it."));
    assert_int_equal(r->code, ERR_UPSTREAM);
    assert_int_equal(f->calls, 3); /* the answer and 2 re-asks */
    assert_int_equal(r->reasks, 2);
    assert_contains(r->err.msg, "invalid after 2 re-asks");
    assert_contains(r->err.msg, "/appeal");
    assert_null(r->json);
    assert_string_equal(r->text, "{\"appeal\": \"high\"}"); /* the last answer, as it was */
    llm_response_free(r);
    llm_gateway_free(gw);
    fake_free(f);
}

static void zero_reasks_fails_at_the_first_invalid_answer(void **state)
{
    (void)state;
    static const char *const answers[] = { "no json here" };
    struct fake *f = fake_new(answers, 1);
    struct llm_gateway *gw = gateway(f, NULL, 0);
    struct llm_response *r = llm_call(gw, schema_request("Rate it."));
    assert_int_equal(r->code, ERR_UPSTREAM);
    assert_int_equal(f->calls, 1);
    assert_contains(r->err.msg, "not valid JSON");
    llm_response_free(r);
    llm_gateway_free(gw);
    fake_free(f);
}

static enum err_code only_even(const json_t *answer, void *ctx, struct err *err)
{
    int *checks = ctx;
    (*checks)++;
    json_int_t v = json_integer_value(json_object_get(answer, "appeal"));
    if (v % 2)
        return err_set(err, ERR_INVALID, "appeal", "/appeal: %" JSON_INTEGER_FORMAT " is odd", v);
    return ERR_OK;
}

static void task_validator_can_reject_a_schema_valid_answer(void **state)
{
    (void)state;
    static const char *const answers[] = { "{\"appeal\": 3}", "{\"appeal\": 4}" };
    struct fake *f = fake_new(answers, 2);
    struct llm_gateway *gw = gateway(f, NULL, 2);
    int checks = 0;
    struct llm_request *req = schema_request("Rate it.");
    req->validate = only_even;
    req->validate_ctx = &checks;
    struct llm_response *r = llm_call(gw, req);
    assert_ok(r->code, &r->err);
    assert_int_equal(checks, 2);
    assert_int_equal(r->reasks, 1);
    assert_contains(f->last->messages[3].content, "is odd");
    llm_response_free(r);
    llm_gateway_free(gw);
    fake_free(f);
}

static void provider_failure_is_reported_with_its_code(void **state)
{
    (void)state;
    static const char *const answers[] = { "unused" };
    struct fake *f = fake_new(answers, 1);
    f->fail = ERR_TIMEOUT;
    struct llm_gateway *gw = gateway(f, NULL, 2);
    struct llm_response *r = llm_call(gw, text_request("Hello?"));
    assert_int_equal(r->code, ERR_TIMEOUT);
    assert_contains(r->err.msg, "fake failure");
    assert_int_equal(f->calls, 1); /* transport failures are the provider's to retry */
    llm_response_free(r);

    struct llm_status st;
    llm_gateway_status(gw, &st);
    assert_int_equal(st.calls, 1);
    assert_int_equal(st.failures, 1);
    assert_false(st.last_ok);
    assert_contains(st.last_error, "fake failure");
    llm_gateway_free(gw);
    fake_free(f);
}

static void request_without_messages_is_refused_without_callback(void **state)
{
    (void)state;
    static const char *const answers[] = { "x" };
    struct fake *f = fake_new(answers, 1);
    struct llm_gateway *gw = gateway(f, NULL, 2);
    struct err err = ERR_INIT;
    struct counter called = { 0 };
    enum err_code rc = llm_submit(gw, llm_request_new("act"), count_done, &called, &err);
    assert_int_equal(rc, ERR_INVALID);
    assert_int_equal(called.calls, 0);
    assert_contains(err.msg, "at least one message");
    assert_int_equal(f->calls, 0);
    llm_gateway_free(gw);
    fake_free(f);
}

/* ---- the cache ---------------------------------------------------------------------------------
 */

static void second_identical_call_is_a_free_cache_hit(void **state)
{
    (void)state;
    static const char *const answers[] = { "{\"appeal\": 6}" };
    struct fake *f = fake_new(answers, 1);
    struct llm_cache *cache = cache_mem_new(16);
    struct llm_gateway *gw = gateway(f, cache, 2);
    struct llm_response *r1 = llm_call(gw, schema_request("Rate FreshBox."));
    struct llm_response *r2 = llm_call(gw, schema_request("Rate FreshBox."));
    assert_ok(r2->code, &r2->err);
    assert_int_equal(f->calls, 1);
    assert_false(r1->from_cache);
    assert_true(r2->from_cache);
    assert_int_equal(r2->cost_micros, 0);
    assert_int_equal(r2->attempts, 0);
    assert_string_equal(r2->text, r1->text);
    assert_int_equal(json_integer_value(json_object_get(r2->json, "appeal")), 6);
    llm_response_free(r1);
    llm_response_free(r2);

    struct llm_response *r3 = llm_call(gw, schema_request("Rate FreshBox, please."));
    assert_false(r3->from_cache);
    assert_int_equal(f->calls, 2);
    llm_response_free(r3);

    struct llm_request *opt_out = schema_request("Rate FreshBox.");
    opt_out->no_cache = true;
    struct llm_response *r4 = llm_call(gw, opt_out);
    assert_false(r4->from_cache);
    assert_int_equal(f->calls, 3);
    llm_response_free(r4);
    llm_gateway_free(gw);
    cache_mem_free(cache);
    fake_free(f);
}

static void an_invalid_answer_is_never_cached(void **state)
{
    (void)state;
    static const char *const answers[] = { "{\"appeal\": 0}" };
    struct fake *f = fake_new(answers, 1);
    struct llm_cache *cache = cache_mem_new(16);
    struct llm_gateway *gw = gateway(f, cache, 0);
    llm_response_free(llm_call(gw, schema_request("Rate it.")));
    llm_response_free(llm_call(gw, schema_request("Rate it.")));
    assert_int_equal(f->calls, 2);
    llm_gateway_free(gw);
    cache_mem_free(cache);
    fake_free(f);
}

static void cached_answer_that_no_longer_validates_is_a_miss(void **state)
{
    (void)state;
    static const char *const answers[] = { "{\"appeal\": 5}" };
    struct fake *f = fake_new(answers, 1);
    struct llm_cache *cache = cache_mem_new(16);
    struct llm_gateway *gw = gateway(f, cache, 0);
    struct llm_request *req = schema_request("Rate it.");
    char key[65];
    llm_request_key(req, "gpt-4o-mini", key);
    struct err err = ERR_INIT;
    cache->put(cache->ctx, key, "{\"model\":\"gpt-4o-mini\",\"text\":\"{\\\"appeal\\\": 99}\"}",
               &err);
    struct llm_response *r = llm_call(gw, req);
    assert_ok(r->code, &r->err);
    assert_false(r->from_cache);
    assert_int_equal(f->calls, 1);
    llm_response_free(r);
    llm_gateway_free(gw);
    cache_mem_free(cache);
    fake_free(f);
}

static void uncacheable_provider_skips_the_cache(void **state)
{
    (void)state;
    static const char *const answers[] = { "hello" };
    struct fake *f = fake_new(answers, 1);
    f->iface.cacheable = false;
    struct llm_cache *cache = cache_mem_new(16);
    struct llm_gateway *gw = gateway(f, cache, 0);
    llm_response_free(llm_call(gw, text_request("Hi")));
    llm_response_free(llm_call(gw, text_request("Hi")));
    assert_int_equal(f->calls, 2);
    llm_gateway_free(gw);
    cache_mem_free(cache);
    fake_free(f);
}

static void request_key_changes_with_every_part_of_the_request(void **state)
{
    (void)state;
    struct llm_request *a = schema_request("Rate it.");
    char base[65], k[65];
    llm_request_key(a, "gpt-4o-mini", base);
    struct llm_request *b = llm_request_dup(a);
    llm_request_key(b, "gpt-4o-mini", k);
    assert_string_equal(base, k);
    llm_request_key(b, "gpt-4o", k);
    assert_string_not_equal(base, k);
    b->temperature = 0.7;
    llm_request_key(b, "gpt-4o-mini", k);
    assert_string_not_equal(base, k);
    b->temperature = a->temperature;
    b->has_seed = true;
    b->seed = 42;
    llm_request_key(b, "gpt-4o-mini", k);
    assert_string_not_equal(base, k);
    b->has_seed = false;
    free(b->task);
    b->task = strdup("extract");
    llm_request_key(b, "gpt-4o-mini", k);
    assert_string_not_equal(base, k);
    llm_request_free(b);
    b = llm_request_dup(a);
    llm_request_add(b, LLM_ROLE_USER, "again");
    llm_request_key(b, "gpt-4o-mini", k);
    assert_string_not_equal(base, k);
    llm_request_free(b);
    llm_request_free(a);
}

/* ---- the limiter and shutdown -------------------------------------------------------------------
 */

static void rate_limiter_keeps_to_its_request_budget(void **state)
{
    (void)state;
    static const char *const answers[] = { "ok" };
    struct fake *f = fake_new(answers, 1);
    enum { N = 605 };
    int64_t *sent = calloc(N, sizeof(int64_t));
    f->sent_at = sent;
    f->n_sent_at = N;
    /* 600 requests a minute: a full bucket of 600, then one every 100 ms */
    struct llm_gateway_options o = { .rpm = 600, .prices = prices };
    struct counter done = { 0 };
    int64_t t0 = clock_mono_ms();
    struct llm_gateway *gw = llm_gateway_new(&f->iface, &o);
    for (int i = 0; i < N; i++) {
        struct llm_request *r = text_request("tick");
        struct err err = ERR_INIT;
        assert_ok(llm_submit(gw, r, count_done, &done, &err), &err);
    }
    while (__atomic_load_n(&done.calls, __ATOMIC_SEQ_CST) < N)
        clock_sleep_ms(10);
    llm_gateway_free(gw);
    assert_int_equal(done.calls, N);
    assert_int_equal(f->calls, N);
    /* the 601st call had to wait about 100 ms, the 605th about 500 ms */
    assert_true(sent[599] - t0 < 1000);
    assert_true(sent[600] - t0 >= 90);
    assert_true(sent[604] - t0 >= 490);
    free(sent);
    fake_free(f);
}

static void stopping_runs_every_callback_exactly_once(void **state)
{
    (void)state;
    static const char *const answers[] = { "ok" };
    struct fake *f = fake_new(answers, 1);
    f->hold = true; /* calls reach the provider and stay there */
    /* one request a minute: the first goes out, the rest wait in the queue */
    struct llm_gateway_options o = { .rpm = 1, .prices = prices };
    struct llm_gateway *gw = llm_gateway_new(&f->iface, &o);
    struct counter done = { 0 };
    for (int i = 0; i < 5; i++) {
        struct err err = ERR_INIT;
        assert_ok(llm_submit(gw, text_request("wait"), count_done, &done, &err), &err);
    }
    while (fake_calls(f) < 1)
        clock_sleep_ms(5);
    clock_sleep_ms(50);
    struct llm_status st;
    llm_gateway_status(gw, &st);
    assert_int_equal(st.in_flight, 1);
    assert_int_equal(st.queued, 4);
    llm_gateway_free(gw);
    assert_int_equal(done.calls, 5);
    assert_int_equal(done.unavailable, 5);
    assert_int_equal(f->calls, 1);
    fake_free(f);
}

static void a_call_submitted_just_before_stop_still_gets_its_callback(void **state)
{
    (void)state;
    static const char *const answers[] = { "ok" };
    struct fake *f = fake_new(answers, 1);
    struct llm_gateway *gw = gateway(f, NULL, 0);
    struct counter done = { 0 };
    struct err err = ERR_INIT;
    assert_ok(llm_submit(gw, text_request("one"), count_done, &done, &err), &err);
    llm_gateway_free(gw);
    assert_int_equal(done.calls, 1);
    fake_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_answer_comes_back_with_usage_and_cost),
        cmocka_unit_test(json_answer_is_parsed_and_validated),
        cmocka_unit_test(answer_in_prose_and_fences_is_repaired),
        cmocka_unit_test(schema_violation_is_asked_again_with_the_error),
        cmocka_unit_test(reasks_stop_at_the_bound_and_never_return_an_empty_answer),
        cmocka_unit_test(zero_reasks_fails_at_the_first_invalid_answer),
        cmocka_unit_test(task_validator_can_reject_a_schema_valid_answer),
        cmocka_unit_test(provider_failure_is_reported_with_its_code),
        cmocka_unit_test(request_without_messages_is_refused_without_callback),
        cmocka_unit_test(second_identical_call_is_a_free_cache_hit),
        cmocka_unit_test(an_invalid_answer_is_never_cached),
        cmocka_unit_test(cached_answer_that_no_longer_validates_is_a_miss),
        cmocka_unit_test(uncacheable_provider_skips_the_cache),
        cmocka_unit_test(request_key_changes_with_every_part_of_the_request),
        cmocka_unit_test(rate_limiter_keeps_to_its_request_budget),
        cmocka_unit_test(stopping_runs_every_callback_exactly_once),
        cmocka_unit_test(a_call_submitted_just_before_stop_still_gets_its_callback),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
