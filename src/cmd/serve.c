/*
 * cmd/serve.c - "crowdelic serve": the wiring of the server process.
 *
 * Order of start: configuration and log; signals blocked (so every thread
 * inherits the mask and only this one receives SIGINT/SIGTERM, through
 * sigwait - no handler runs, STYLE.md G6); database and migrations; Redis
 * when REDIS_URL is set (the model-call cache in front of the table, the
 * rate-limit windows, run events relayed between nodes: a subscriber
 * thread); worker pool; HTTP server. Stop runs in reverse: stop accepting
 * and let in-flight requests finish, drain the workers (which complete
 * deferred requests), stop the HTTP threads, stop the events relay, close
 * Redis and the database, close the log, exit 0.
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/guard.h"
#include "api/routes.h"
#include "cmd/cmd.h"
#include "cmd/llm_wiring.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/workpool.h"
#include "domain/accounts.h"
#include "domain/billing.h"
#include "domain/run_worker.h"
#include "domain/system.h"
#include "domain/templates.h"
#include "domain/webhooks.h"
#include "http/server.h"
#include "store/kv.h"
#include "store/migrate.h"
#include "store/notify.h"
#include "store/redis.h"
#include "store/store.h"

#include <signal.h>

/* Rate-limit windows kept in memory: a quota per active user and a counter per failed login. */
#define KV_MAX_KEYS 200000

/* Clients following runs' events at once (a thread each, mostly asleep). */
#define EVENT_FOLLOWERS 64

int cmd_serve(int argc, char **argv)
{
    struct config c;
    int rc = cmd_no_arguments("serve", argc, argv);
    if (!rc)
        rc = cmd_setup(&c, true);
    if (rc)
        return rc;

    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

    struct app app = { .conf = &c, .started_mono_ms = clock_mono_ms() };
    struct http_server *srv = NULL;
    struct llm_wiring llm = { 0 };
    struct kv *kv = NULL;
    struct redis *redis = NULL;
    struct run_workers *runs = NULL;
    struct billing_scheduler *billing = NULL;
    struct webhook_worker *webhooks = NULL;
    struct err err = ERR_INIT;
    metrics_register_process();
    rc = 1;
    if (cmd_open_store(&c, &app.store) || cmd_open_redis(&c, "serve", &redis))
        goto out;
    run_queue_metrics_register(app.store);
    if (redis)
        notify_start_redis(redis, true); /* followers here wake on events written anywhere */
    if (llm_wiring_open(&c, app.store, redis, &llm, &err)) {
        LOG_ERROR("serve", "%s", err.msg);
        goto out;
    }
    /* the template personas ship in the binary: a bad one is a defect of the build */
    const struct persona_template *templates;
    size_t n_templates;
    if (templates_get(&templates, &n_templates, &err)) {
        LOG_ERROR("serve", "%s", err.msg);
        goto out;
    }
    app.llm = llm.gateway;
    app.llm_unavailable = llm.unavailable;
    app.workers = workpool_new("workers", (unsigned)c.worker_threads, (size_t)c.worker_queue);
    app.model_workers =
        workpool_new("model", (unsigned)c.model_worker_threads, (size_t)c.worker_queue);
    /* a follower sleeps between reads; more than EVENT_FOLLOWERS wait their turn */
    app.followers = workpool_new("events", EVENT_FOLLOWERS, (size_t)c.sse_max_streams);
    kv = kv_mem_new(KV_MAX_KEYS);
    if (redis)
        kv = kv_redis_new(redis, kv); /* shared windows; kv_mem answers while Redis is down */
    struct accounts_options ao = {
        .store = app.store,
        .kv = kv,
        .jwt_secret = c.jwt_secret,
        .token_ttl_s = c.jwt_ttl_s,
        /* the cheapest argon2id only where nobody's password is real */
        .hash_cost = c.env == CONFIG_ENV_TEST ? PWHASH_MINIMUM : PWHASH_INTERACTIVE,
    };
    app.accounts = accounts_new(&ao);
    struct run_worker_options ro = { .store = app.store,
                                     .gw = app.llm,
                                     .threads = (unsigned)c.run_workers,
                                     .lease_ms = c.run_lease_ms,
                                     .step_units = (size_t)c.run_step_units,
                                     .model_concurrency = (size_t)c.llm_concurrency,
                                     .name = "serve" };
    if (c.run_workers > 0 && !(runs = run_workers_start(&ro, &err))) {
        LOG_ERROR("serve", "%s", err.msg);
        goto out;
    }
    struct webhook_worker_options wo = { .store = app.store,
                                         .threads = (unsigned)c.webhook_workers,
                                         .backoff_base_ms = c.webhook_backoff_ms,
                                         .backoff_max_ms = c.webhook_backoff_max_ms,
                                         .max_attempts = c.webhook_max_attempts,
                                         .retention_ms =
                                             c.webhook_retention_days * 86400 * INT64_C(1000),
                                         .timeout_ms = c.webhook_timeout_ms,
                                         .deny_private = !c.webhook_allow_private };
    if (c.webhook_workers > 0 && !(webhooks = webhook_worker_start(&wo, &err))) {
        LOG_ERROR("serve", "%s", err.msg);
        goto out;
    }
    /* periods rolled over and scheduled plan changes applied; quickly where tests move the clock */
    billing = billing_scheduler_start(
        app.store, NULL, c.env == CONFIG_ENV_TEST ? BILLING_TICK_TEST_MS : BILLING_TICK_MS, &err);
    if (!billing) {
        LOG_ERROR("serve", "%s", err.msg);
        goto out;
    }
    if (http_server_start(&c, api_routes, n_api_routes, api_guard, &app, &srv, &err)) {
        LOG_ERROR("serve", "%s", err.msg);
        goto out;
    }
    if (c.jwt_secret_generated)
        LOG_WARN("serve", "JWT_SECRET is not set: using a random key, so sign-ins end when the "
                          "process stops (set it in .env to keep them)");
    LOG_KV(LOG_LEVEL_INFO, "serve", "listening", LOG_INT("port", http_server_port(srv)),
           LOG_STR("address", c.bind_address), LOG_STR("env", config_env_name(c.env)),
           LOG_STR("version", CROWDELIC_VERSION), LOG_INT("http_threads", c.http_threads),
           LOG_STR("web_dir", c.web_dir));

    int sig = cmd_wait_for_stop(&stop_signals);
    LOG_KV(LOG_LEVEL_INFO, "serve", "stopping",
           LOG_STR("signal", sig == SIGINT ? "SIGINT" : "SIGTERM"),
           LOG_INT("in_flight", http_server_in_flight(srv)));
    long left = http_server_stop(srv, c.http_shutdown_grace_s * 1000);
    if (left > 0)
        LOG_WARN("serve", "%ld requests still in flight after %" PRId64 " s; closing them", left,
                 c.http_shutdown_grace_s);
    rc = 0;
out:
    run_workers_stop(runs);          /* each at its step's end; their runs go on elsewhere */
    billing_scheduler_stop(billing); /* after its transaction in flight */
    /* after the delivery in flight; the rest wait in the outbox for the next start */
    webhook_worker_stop(webhooks);
    workpool_free(app.workers); /* completes deferred requests before the daemon stops */
    workpool_free(app.model_workers);
    workpool_free(app.followers); /* the streams closed: each follower ends */
    http_server_free(srv);
    llm_wiring_close(&llm); /* every pending model call's callback has run */
    accounts_free(app.accounts);
    kv_free(kv);
    notify_stop_redis(); /* nothing publishes any more */
    redis_close(redis);
    store_close(app.store);
    if (rc == 0)
        LOG_INFO("serve", "stopped");
    metrics_reset();
    log_close();
    config_release(&c);
    return rc;
}
