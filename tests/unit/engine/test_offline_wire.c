/*
 * tests/unit/engine/test_offline_wire.c - the offline model gives the same
 * answer in-process (the typed task) and over HTTP (a real `crowdelic
 * llm-serve`, whose default responder rebuilds the task from the wire),
 * for every task of the catalogue: byte-identical content through the
 * OpenAI-compatible provider and the gateway. Also: a plain chat gets a
 * plain reply over HTTP, and a malformed task is a 400 naming the problem.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "testutil.h"

#include "core/metrics.h"
#include "engine/offline/offline.h"
#include "llm/gateway.h"
#include "llm/openai.h"

static struct llm_serve_child child;

static int start(void **state)
{
    (void)state;
    return testutil_llm_serve_start(&child, NULL); /* the default: the offline responder */
}

static int stop(void **state)
{
    (void)state;
    metrics_reset();
    return testutil_llm_serve_stop(&child);
}

static struct llm_gateway *http_gateway(void)
{
    char base[64];
    snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", child.port);
    struct openai_options o = { .base_url = base,
                                .model = "crowdelic-offline",
                                .concurrency = 4,
                                .timeout_ms = 10000,
                                .max_attempts = 1,
                                .backoff_base_ms = 10,
                                .backoff_max_ms = 10 };
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(openai_new(&o, &p, &err), &err);
    struct llm_gateway_options go = { .max_reasks = 0 };
    return llm_gateway_new(p, &go);
}

static struct llm_gateway *local_gateway(void)
{
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    assert_ok(offline_provider_new(NULL, &p, &err), &err);
    struct llm_gateway_options go = { .max_reasks = 0 };
    return llm_gateway_new(p, &go);
}

static struct llm_response *ask(struct llm_gateway *gw, const struct task *t, bool native)
{
    struct llm_request *req = task_render(t);
    if (!native)
        req->native = NULL;
    req->has_seed = true;
    req->seed = 2026;
    return llm_call(gw, req);
}

static void every_task_gets_the_same_answer_over_http_and_in_process(void **state)
{
    (void)state;
    struct llm_gateway *http = http_gateway(), *local = local_gateway();
    for (int k = 0; k < TASK_COUNT_; k++) {
        struct task *t = sample_task((enum task_kind)k);
        struct llm_response *over_http = ask(http, t, false);
        struct llm_response *typed = ask(local, t, true);
        struct llm_response *parsed = ask(local, t, false);
        if (over_http->code)
            fail_msg("%s over HTTP: %s", task_name((enum task_kind)k), over_http->err.msg);
        assert_ok(typed->code, &typed->err);
        assert_ok(parsed->code, &parsed->err);
        assert_string_equal(over_http->text, typed->text);
        assert_string_equal(parsed->text, typed->text);
        assert_int_equal(over_http->reasks, 0);
        llm_response_free(over_http);
        llm_response_free(typed);
        llm_response_free(parsed);
        task_free(t);
    }
    llm_gateway_free(http);
    llm_gateway_free(local);
}

static void a_plain_chat_gets_a_plain_reply_over_http(void **state)
{
    (void)state;
    struct llm_gateway *http = http_gateway();
    struct llm_request *req = llm_request_new("chat");
    llm_request_add(req, LLM_ROLE_USER, "Hello there");
    struct llm_response *r = llm_call(http, req);
    assert_ok(r->code, &r->err);
    assert_contains(r->text, "offline model");
    assert_contains(r->text, "Hello there");
    llm_response_free(r);
    llm_gateway_free(http);
}

static void a_malformed_task_is_refused_naming_the_problem(void **state)
{
    (void)state;
    struct llm_gateway *http = http_gateway();
    struct llm_request *req = llm_request_new("consolidate");
    llm_request_add(req, LLM_ROLE_SYSTEM, "rules");
    llm_request_add(req, LLM_ROLE_USER,
                    "### TASK consolidate\n### EPISODE\n```json\n{\"events\": [1]}\n```\n");
    struct llm_response *r = llm_call(http, req);
    assert_int_equal(r->code, ERR_UPSTREAM);
    assert_contains(r->err.msg, "HTTP 400");
    assert_contains(r->err.msg, "EPISODE.events[0] must be a string");
    llm_response_free(r);
    llm_gateway_free(http);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_task_gets_the_same_answer_over_http_and_in_process),
        cmocka_unit_test(a_plain_chat_gets_a_plain_reply_over_http),
        cmocka_unit_test(a_malformed_task_is_refused_naming_the_problem),
    };
    openai_global_init();
    int failed = cmocka_run_group_tests(tests, start, stop);
    openai_global_cleanup();
    return failed;
}
