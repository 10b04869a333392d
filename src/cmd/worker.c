/*
 * cmd/worker.c - "crowdelic worker": executes test runs from the database
 * (domain/run_worker.h) without serving HTTP, until SIGINT or SIGTERM. Any
 * number of workers and servers may share one database; a run whose
 * worker dies is taken over by another after RUN_LEASE_MS. With REDIS_URL,
 * the model-call cache is shared through Redis and the runs' events are
 * published there, so a server on another node wakes its followers at once.
 * With WORKER_HTTP=on it serves /healthz, /readyz and /metrics on PORT (its
 * runs claimed and executing, the lease heartbeats, the model's calls), so
 * a worker is watched like a node.
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/routes.h"
#include "cmd/cmd.h"
#include "cmd/llm_wiring.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"
#include "domain/run_worker.h"
#include "domain/templates.h"
#include "http/server.h"
#include "store/notify.h"
#include "store/redis.h"
#include "store/store.h"

int cmd_worker(int argc, char **argv)
{
    struct config c;
    int rc = cmd_no_arguments("worker", argc, argv);
    if (!rc)
        rc = cmd_setup(&c, true);
    if (rc)
        return rc;
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

    /* a pool for what a worker does, not for the HTTP threads of a node: each run thread
       and its heartbeat, the model's cache, the health and metrics requests */
    unsigned threads = c.run_workers > 0 ? (unsigned)c.run_workers : 1;
    if (config_source_of(&c, "DB_POOL_SIZE") == CONFIG_SOURCE_DERIVED)
        c.db_pool_size = 2 * (int64_t)threads + 2 + (c.worker_http ? c.http_threads : 0);

    struct store *store = NULL;
    struct http_server *srv = NULL;
    struct app app = { .conf = &c, .started_mono_ms = clock_mono_ms() };
    struct redis *redis = NULL;
    struct llm_wiring llm = { 0 };
    struct run_workers *runs = NULL;
    struct err err = ERR_INIT;
    const struct persona_template *templates;
    size_t n_templates;
    rc = 1;
    if (cmd_open_store(&c, &store) || cmd_open_redis(&c, "worker", &redis))
        goto out;
    if (redis)
        notify_start_redis(redis, false); /* publishes only: this process follows nothing */
    if (llm_wiring_open(&c, store, redis, &llm, &err) ||
        templates_get(&templates, &n_templates, &err)) {
        LOG_ERROR("worker", "%s", err.msg);
        goto out;
    }
    struct run_worker_options ro = { .store = store,
                                     .gw = llm.gateway,
                                     .threads = threads,
                                     .lease_ms = c.run_lease_ms,
                                     .step_units = (size_t)c.run_step_units,
                                     .model_concurrency = (size_t)c.llm_concurrency,
                                     .name = "worker" };
    runs = run_workers_start(&ro, &err);
    if (!runs) {
        LOG_ERROR("worker", "%s", err.msg);
        goto out;
    }
    if (c.worker_http) {
        metrics_register_process();
        run_queue_metrics_register(store);
        app.store = store;
        if (http_server_start(&c, worker_routes, n_worker_routes, NULL, &app, &srv, &err)) {
            LOG_ERROR("worker", "%s", err.msg);
            goto out;
        }
        LOG_KV(LOG_LEVEL_INFO, "worker", "listening", LOG_INT("port", http_server_port(srv)),
               LOG_STR("address", c.bind_address));
    }
    LOG_KV(LOG_LEVEL_INFO, "worker", "working", LOG_INT("threads", ro.threads),
           LOG_INT("lease_ms", ro.lease_ms), LOG_INT("step_units", (int64_t)ro.step_units));
    int sig = cmd_wait_for_stop(&stop_signals);
    LOG_KV(LOG_LEVEL_INFO, "worker", "stopping",
           LOG_STR("signal", sig == SIGINT ? "SIGINT" : "SIGTERM"));
    rc = 0;
out:
    if (srv) {
        http_server_stop(srv, c.http_shutdown_grace_s * 1000);
        http_server_free(srv);
    }
    run_workers_stop(runs);
    llm_wiring_close(&llm);
    notify_stop_redis();
    redis_close(redis);
    store_close(store);
    config_release(&c);
    return rc;
}
