/*
 * domain/run_worker.h - the workers that execute runs (domain/runs.h):
 * threads that claim queued runs (and runs whose worker died: its lease ran
 * out) from the database and execute them. They run inside `crowdelic
 * serve` (RUN_WORKERS) and as a process of their own (`crowdelic worker`);
 * any number of either may share one database.
 *
 * Stopping waits for each thread's current step to end; a run cut short
 * that way stays 'running' with its lease given up, so the next worker to
 * look takes it over at once.
 */
#ifndef DOMAIN_RUN_WORKER_H
#define DOMAIN_RUN_WORKER_H

#include "core/compat.h"
#include "core/err.h"

struct store;
struct llm_gateway;
struct run_workers;

struct run_worker_options {
    struct store *store;
    struct llm_gateway *gw; /* may be NULL: runs then fail with "no model" */
    unsigned threads;
    int64_t lease_ms;  /* how long a claim holds without a heartbeat (domain/run_lease.h) */
    size_t step_units; /* units a step; 0: RUN_STEP_UNITS */
    /*
     * The model's calls in flight at most (LLM_CONCURRENCY; 0: unknown). A
     * step is rounded up to a whole number of it, so no wave of calls
     * leaves the model half idle at a step's end (bench/run measures it).
     */
    size_t model_concurrency;
    int64_t idle_ms;  /* how often an idle worker looks for work */
    const char *name; /* the owner name prefix ("<host>-<pid>") */
};

/* Starts the threads; NULL when none could start (err says why). */
struct run_workers *run_workers_start(const struct run_worker_options *o, struct err *err);

/* Wakes this process's idle workers: a run was queued (domain/runs.c). Any thread. */
void run_workers_wake(void);

/* Stops them (each at its current step's end) and frees; accepts NULL. */
void run_workers_stop(struct run_workers *w);

/*
 * Registers the queue's gauges, runs_queued and runs_running: counted in s
 * (every node's runs) each time /metrics is read. Once per process.
 */
void run_queue_metrics_register(struct store *s);

#endif
