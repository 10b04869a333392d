/*
 * domain/run_worker.c - threads that claim and execute runs
 * (domain/run_worker.h).
 */
#include "core/compat.h"

#include "domain/run_worker.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/xalloc.h"
#include "domain/run_exec.h"
#include "domain/runs.h"
#include "store/store.h"

#define OWNER_MAX 96

struct worker_thread {
    struct run_workers *pool;
    pthread_t thread;
    bool started;
    char owner[OWNER_MAX];
};

struct run_workers {
    struct run_worker_options o;
    struct metric *m_claimed;   /* runs_claimed_total */
    struct metric *m_executing; /* runs_executing: runs this process's workers hold */
    atomic_bool stop;
    struct worker_thread *threads;
    unsigned n;
};

/*
 * Runs started in this process wake its idle workers at once
 * (run_workers_wake); runs started elsewhere are found at the next look.
 */
static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cond = PTHREAD_COND_INITIALIZER;
static uint64_t wake_generation;

void run_workers_wake(void)
{
    pthread_mutex_lock(&wake_lock);
    wake_generation++;
    pthread_cond_broadcast(&wake_cond);
    pthread_mutex_unlock(&wake_lock);
}

/* Waits idle_ms, or less when a run was started here or the pool is stopping. */
static void idle(struct run_workers *w)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    int64_t ns = until.tv_nsec + (w->o.idle_ms % 1000) * 1000000;
    until.tv_sec += (time_t)(w->o.idle_ms / 1000 + ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    pthread_mutex_lock(&wake_lock);
    uint64_t seen = wake_generation;
    while (!atomic_load(&w->stop) && wake_generation == seen)
        if (pthread_cond_timedwait(&wake_cond, &wake_lock, &until) != 0)
            break;
    pthread_mutex_unlock(&wake_lock);
}

static void *work(void *arg)
{
    struct worker_thread *t = arg;
    struct run_workers *w = t->pool;
    while (!atomic_load(&w->stop)) {
        char run_id[IDS_UUID_LEN];
        struct err err = ERR_INIT;
        enum err_code rc = run_claim(w->o.store, t->owner, w->o.lease_ms, run_id, &err);
        if (rc == ERR_NOT_FOUND) {
            idle(w);
            continue;
        }
        if (rc) {
            LOG_WARN("runs", "%s: claiming a run: %s", t->owner, err.msg);
            idle(w);
            continue;
        }
        LOG_KV(LOG_LEVEL_INFO, "runs", "run claimed", LOG_STR("run", run_id),
               LOG_STR("worker", t->owner));
        metric_add(w->m_claimed, METRIC_NO_LABELS, 1);
        metric_add(w->m_executing, METRIC_NO_LABELS, 1);
        rc = run_execute(w->o.store, w->o.gw, run_id, t->owner, w->o.lease_ms, w->o.step_units,
                         &w->stop, &err);
        metric_add(w->m_executing, METRIC_NO_LABELS, -1);
        if (rc)
            LOG_WARN("runs", "%s: run %s: %s", t->owner, run_id, err.msg);
        else
            LOG_KV(LOG_LEVEL_INFO, "runs", "run left", LOG_STR("run", run_id),
                   LOG_STR("worker", t->owner));
    }
    return NULL;
}

struct run_workers *run_workers_start(const struct run_worker_options *o, struct err *err)
{
    struct run_workers *w = xcalloc(1, sizeof(*w));
    w->o = *o;
    if (w->o.idle_ms <= 0)
        w->o.idle_ms = 250;
    size_t wave = o->model_concurrency ? o->model_concurrency : 1;
    size_t step = o->step_units ? o->step_units : RUN_STEP_UNITS;
    w->o.step_units = (step + wave - 1) / wave * wave;
    atomic_init(&w->stop, false);
    w->m_claimed = metrics_counter("runs_claimed_total", "Runs claimed by this process's workers");
    w->m_executing = metrics_gauge("runs_executing", "Runs this process's workers are executing");
    w->n = o->threads;
    w->threads = xcalloc(w->n ? w->n : 1, sizeof(*w->threads));
    char instance[17];
    ids_random_hex(instance, 4);
    for (unsigned i = 0; i < w->n; i++) {
        struct worker_thread *t = &w->threads[i];
        t->pool = w;
        snprintf(t->owner, sizeof(t->owner), "%s-%ld-%s-%u", o->name ? o->name : "worker",
                 (long)getpid(), instance, i);
        if (pthread_create(&t->thread, NULL, work, t) != 0) {
            err_set(err, ERR_INTERNAL, NULL, "cannot start run worker thread %u", i);
            run_workers_stop(w);
            return NULL;
        }
        t->started = true;
    }
    return w;
}

void run_workers_stop(struct run_workers *w)
{
    if (!w)
        return;
    atomic_store(&w->stop, true);
    run_workers_wake();
    for (unsigned i = 0; i < w->n; i++)
        if (w->threads[i].started)
            pthread_join(w->threads[i].thread, NULL);
    free(w->threads);
    free(w);
}

/* ---- the queue's gauges ---------------------------------------------------------------------- */

struct queue_gauge {
    struct store *store;
    const char *status;
};

/* The runs in one status, over every node (a count on the runs_claim index); -1 on error. */
static double runs_in_status(void *ctx)
{
    const struct queue_gauge *g = ctx;
    struct store_conn *conn = NULL;
    struct err err = ERR_INIT;
    if (store_acquire(g->store, &conn, &err))
        return -1;
    struct store_param p[] = { STORE_TEXT(g->status) };
    int64_t n = -1;
    if (store_query_int(conn, "SELECT COUNT(*) FROM runs WHERE status = ?", p, 1, &n, &err))
        n = -1;
    store_release(g->store, conn);
    return (double)n;
}

void run_queue_metrics_register(struct store *s)
{
    static struct queue_gauge queued, running;
    queued = (struct queue_gauge){ s, "queued" };
    running = (struct queue_gauge){ s, "running" };
    metrics_gauge_sampled("runs_queued", "Runs waiting for a worker (the queue's depth)",
                          runs_in_status, &queued);
    metrics_gauge_sampled("runs_running", "Runs being executed by any worker", runs_in_status,
                          &running);
}
