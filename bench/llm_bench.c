/*
 * bench/llm_bench.c - the model gateway's benchmarks (make bench), against a
 * running `crowdelic llm-serve` whose port is the first argument:
 *
 *   orchestration: N calls through gateway + OpenAI provider at concurrency
 *     C while llm-serve answers each after LATENCY ms. The ideal wall time is
 *     ceil(N / C) x LATENCY (perfect batches, zero overhead); the figure is
 *     wall / ideal (1.00 is perfect).
 *   cached call: the time one call costs when the cache answers it, through
 *     the gateway (submit, the gateway thread, validation, callback), with
 *     the least work a cached answer needs (canonical key + SHA-256 + lookup)
 *     measured in the same run as the baseline.
 *
 * usage: llm_bench PORT [N] [CONCURRENCY] [LATENCY_MS]
 */
#include "core/compat.h"

#include <pthread.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/metrics.h"
#include "llm/gateway.h"
#include "llm/openai.h"
#include "rows.h"

struct counter {
    pthread_mutex_t lock;
    pthread_cond_t all_done;
    int done, ok, target;
};

static void on_done(void *ctx, struct llm_response *resp)
{
    struct counter *c = ctx;
    pthread_mutex_lock(&c->lock);
    c->done++;
    c->ok += resp->code == ERR_OK;
    if (c->done == c->target)
        pthread_cond_signal(&c->all_done);
    pthread_mutex_unlock(&c->lock);
    llm_response_free(resp);
}

static struct llm_request *request(const char *text)
{
    struct llm_request *r = llm_request_new("act");
    llm_request_add(r, LLM_ROLE_SYSTEM, "You are Ana, 34, a nurse in Porto Alegre.");
    llm_request_add(r, LLM_ROLE_USER, text);
    return r;
}

static struct llm_gateway *gateway(int port, int concurrency, const struct llm_cache *cache)
{
    char base[64];
    snprintf(base, sizeof(base), "http://127.0.0.1:%d/v1", port);
    struct openai_options o = { .base_url = base,
                                .model = "bench",
                                .concurrency = concurrency,
                                .timeout_ms = 30000,
                                .max_attempts = 4,
                                .backoff_base_ms = 100,
                                .backoff_max_ms = 1000,
                                .backoff_jitter = true };
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    if (openai_new(&o, &p, &err)) {
        fprintf(stderr, "llm_bench: %s\n", err.msg);
        exit(1);
    }
    struct llm_gateway_options go = { .cache = cache };
    return llm_gateway_new(p, &go);
}

static void orchestration(int port, int n, int concurrency, int latency_ms)
{
    struct llm_gateway *gw = gateway(port, concurrency, NULL);
    struct counter c = { .target = n };
    pthread_mutex_init(&c.lock, NULL);
    pthread_cond_init(&c.all_done, NULL);
    int64_t t0 = clock_mono_ns();
    for (int i = 0; i < n; i++) {
        char text[64];
        snprintf(text, sizeof(text), "Question number %d: would you buy it?", i);
        struct err err = ERR_INIT;
        if (llm_submit(gw, request(text), on_done, &c, &err)) {
            fprintf(stderr, "llm_bench: %s\n", err.msg);
            exit(1);
        }
    }
    pthread_mutex_lock(&c.lock);
    while (c.done < n)
        pthread_cond_wait(&c.all_done, &c.lock);
    pthread_mutex_unlock(&c.lock);
    double wall_ms = (double)(clock_mono_ns() - t0) / 1e6;
    double ideal_ms = (double)((n + concurrency - 1) / concurrency) * latency_ms;
    printf("%-44s %10.0f ms  ideal %6.0f ms  ratio %.3f  (%d/%d ok)\n", "orchestration", wall_ms,
           ideal_ms, wall_ms / ideal_ms, c.ok, n);
    char what[96], result[48], ideal[96];
    snprintf(what, sizeof(what), "%d calls at %d ms, %d at a time (wall)", n, latency_ms,
             concurrency);
    snprintf(result, sizeof(result), "%.0f ms (%d/%d ok)", wall_ms, c.ok, n);
    snprintf(ideal, sizeof(ideal), "the ideal: %.0f ms", ideal_ms);
    bench_row("model gateway", what, result, ideal, wall_ms / ideal_ms);
    llm_gateway_free(gw);
    pthread_cond_destroy(&c.all_done);
    pthread_mutex_destroy(&c.lock);
}

static void cached(int port)
{
    enum { CALLS = 20000 };
    struct llm_cache *cache = cache_mem_new(1024);
    struct llm_gateway *gw = gateway(port, 4, cache);
    struct llm_response *warm = llm_call(gw, request("How appealing is FreshBox?"));
    if (warm->code) {
        fprintf(stderr, "llm_bench: %s\n", warm->err.msg);
        exit(1);
    }
    llm_response_free(warm);

    /* the baseline: the work a cached answer cannot avoid */
    struct llm_request *probe = request("How appealing is FreshBox?");
    int64_t t0 = clock_mono_ns();
    for (int i = 0; i < CALLS; i++) {
        char key[65], *value = NULL;
        llm_request_key(probe, "bench", key);
        struct err err = ERR_INIT;
        if (cache->get(cache->ctx, key, &value, &err) == ERR_OK)
            free(value);
    }
    double base_us = (double)(clock_mono_ns() - t0) / 1e3 / CALLS;
    llm_request_free(probe);

    /* one at a time: submit, answer on the gateway thread, wake the caller */
    t0 = clock_mono_ns();
    for (int i = 0; i < CALLS; i++)
        llm_response_free(llm_call(gw, request("How appealing is FreshBox?")));
    double sync_us = (double)(clock_mono_ns() - t0) / 1e3 / CALLS;

    /* all at once: the gateway thread's throughput */
    struct counter c = { .target = CALLS };
    pthread_mutex_init(&c.lock, NULL);
    pthread_cond_init(&c.all_done, NULL);
    t0 = clock_mono_ns();
    for (int i = 0; i < CALLS; i++) {
        struct err err = ERR_INIT;
        llm_submit(gw, request("How appealing is FreshBox?"), on_done, &c, &err);
    }
    pthread_mutex_lock(&c.lock);
    while (c.done < CALLS)
        pthread_cond_wait(&c.all_done, &c.lock);
    pthread_mutex_unlock(&c.lock);
    double async_us = (double)(clock_mono_ns() - t0) / 1e3 / CALLS;

    printf("%-44s %10.1f us\n", "cached call: key + lookup (baseline)", base_us);
    printf("%-44s %10.1f us  (%.1fx the baseline)\n", "cached call through the gateway, one by one",
           sync_us, sync_us / base_us);
    printf("%-44s %10.1f us  (%.0f calls/s)\n", "cached call through the gateway, pipelined",
           async_us, 1e6 / async_us);
    char base[64], result[48];
    snprintf(base, sizeof(base), "key + lookup: %.1f us", base_us);
    snprintf(result, sizeof(result), "%.1f us", sync_us);
    bench_row("model gateway", "a cached call, one by one", result, base, sync_us / base_us);
    snprintf(result, sizeof(result), "%.1f us", async_us);
    bench_row("model gateway", "a cached call, pipelined", result, base, async_us / base_us);
    llm_gateway_free(gw);
    cache_mem_free(cache);
    pthread_cond_destroy(&c.all_done);
    pthread_mutex_destroy(&c.lock);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: llm_bench PORT [N] [CONCURRENCY] [LATENCY_MS]\n");
        return 2;
    }
    int port = (int)strtol(argv[1], NULL, 10);
    int n = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 1000;
    int concurrency = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 32;
    int latency = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 200;
    ids_init();
    openai_global_init();
    orchestration(port, n, concurrency, latency);
    cached(port);
    metrics_reset();
    openai_global_cleanup();
    return 0;
}
