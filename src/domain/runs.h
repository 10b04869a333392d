/*
 * domain/runs.h - runs of tests as durable jobs (SPEC.md 2, 3 "Test
 * execution"): started by the API, claimed from the database by workers
 * (domain/run_worker.h) with a lease, executed step by step
 * (domain/run_exec.h) with every step's results, progress and events saved
 * in one transaction, so a run survives the death of any process: a
 * worker whose lease ran out is replaced by another that goes on from the
 * last saved step.
 *
 * Status moves queued -> running -> (paused <-> queued -> running) ->
 * completed | failed | cancelled, never backwards. Cancel and pause are
 * requests a running run's worker reads between steps; a queued or paused
 * run is cancelled at once. A test's status is its latest run's. A test
 * has at most one run queued, running or paused (ERR_CONFLICT otherwise).
 *
 * Events (SSE ids are their seq, 1, 2, ...): run_queued, run_started
 * {total}, persona_answered {persona_id, scenario, sample, answers, talk},
 * step_done {done, total, calls, tokens_in, tokens_out, cost_usd},
 * run_paused, run_resumed, run_cancelled, run_completed {...totals},
 * run_failed {error}. A step's events are written with its results.
 *
 * Tenancy: every call is scoped by the caller's workspace and the test.
 */
#ifndef DOMAIN_RUNS_H
#define DOMAIN_RUNS_H

#include "core/compat.h"

#include <stdatomic.h>

#include "core/err.h"
#include "core/ids.h"
#include "domain/accounts.h"
#include "domain/run_report.h"

struct store;
struct llm_gateway;
struct persona;
struct strlist;

#define RUN_PAGE_DEFAULT    20
#define RUN_PAGE_MAX        100
#define RUN_RESULTS_DEFAULT 100
#define RUN_RESULTS_MAX     1000
#define RUN_EVENTS_BATCH    200 /* events read at once by a follower */

enum run_status {
    RUN_STATUS_QUEUED,
    RUN_STATUS_RUNNING,
    RUN_STATUS_PAUSED,
    RUN_STATUS_COMPLETED,
    RUN_STATUS_FAILED,
    RUN_STATUS_CANCELLED,
};

const char *run_status_name(enum run_status s);
bool run_status_finished(enum run_status s); /* completed, failed, cancelled */

struct run_record {
    char id[IDS_UUID_LEN];
    char test_id[IDS_UUID_LEN];
    char workspace_id[IDS_UUID_LEN];
    enum run_status status;
    char *requested; /* "pause", "cancel" or NULL */
    int64_t seed;
    int64_t progress_done, progress_total;
    int64_t calls, cache_hits, tokens_in, tokens_out, cost_micros;
    char *model; /* NULL until a call was answered */
    char *error; /* failed runs */
    int64_t attempts;
    int64_t created_at, started_at, finished_at, updated_at; /* 0: not yet */
};

void run_record_release(struct run_record *r);

struct run_page {
    struct run_record *items;
    size_t n;
    int64_t total, limit, offset;
};

void run_page_release(struct run_page *pg);

/*
 * Starts a run of test test_id: queued, with the test's seed or a drawn
 * one, the test as it is now. ERR_CONFLICT when the test has a run queued,
 * running or paused.
 */
enum err_code run_start(struct store *s, const struct caller *c, const char *test_id,
                        struct run_record *out, struct err *err);

enum err_code run_list(struct store *s, const struct caller *c, const char *test_id, int64_t limit,
                       int64_t offset, struct run_page *out, struct err *err);

/* Run run_id of test test_id, or the test's latest run when run_id is NULL. */
enum err_code run_get(struct store *s, const struct caller *c, const char *test_id,
                      const char *run_id, struct run_record *out, struct err *err);

enum run_request {
    RUN_REQUEST_CANCEL,
    RUN_REQUEST_PAUSE,
    RUN_REQUEST_RESUME,
};

/*
 * Asks for a change (run_id NULL: the latest run). ERR_CONFLICT naming
 * "status" for a change the status does not allow (resuming a completed
 * run, pausing a paused one). *out is the run after the request.
 */
enum err_code run_ask(struct store *s, const struct caller *c, const char *test_id,
                      const char *run_id, enum run_request what, struct run_record *out,
                      struct err *err);

/* A page of stored results (domain/run_report.h: one per persona x scenario key x sample). */
struct run_result_page {
    struct run_row *items;
    size_t n;
    int64_t total, limit, offset;
};

void run_result_page_release(struct run_result_page *pg);

/* The columns of run_results that run_row_read reads, in its order. */
#define RUN_ROW_COLUMNS                                                                          \
    "member_id, scenario_key, sample, answers, thought, talk, abandoned, reason, error, model, " \
    "tokens_in, tokens_out, cost_micros"
struct store_stmt;
/* A store_row_fn: one row of RUN_ROW_COLUMNS into a struct run_row. */
void run_row_read(struct store_stmt *st, void *item, void *ctx);

/* Which results to list (NULL fields: any). */
struct run_result_filter {
    const char *persona_id; /* a member id: a persona's, or "template:<id>" */
    const char *scenario;   /* a scenario id (all its variants) or a key "<scenario>/<variant>" */
    const char *segment; /* "<dimension>:<value>" as the report names segments ("age_band:25-34") */
};

/*
 * A page of run run_id's results (NULL: the latest run), those f allows
 * (f may be NULL). ERR_INVALID naming "segment" for a segment that is not
 * "<dimension>:<value>" with a dimension of the report.
 */
enum err_code run_results(struct store *s, const struct caller *c, const char *test_id,
                          const char *run_id, const struct run_result_filter *f, int64_t limit,
                          int64_t offset, struct run_result_page *out, struct err *err);

/* One stored event. */
struct run_event {
    int64_t seq;
    char *type;
    char *data; /* JSON text */
};

/*
 * The events of run_id after seq `after`, at most max, in order, and
 * whether the run has finished (no events will follow the last).
 */
enum err_code run_events_after(struct store *s, const struct caller *c, const char *test_id,
                               const char *run_id, int64_t after, size_t max,
                               struct run_event **events, size_t *n, bool *finished,
                               struct err *err);

void run_events_free(struct run_event *events, size_t n);

/* One run a persona answered in: a line of its usage history. */
struct persona_use {
    char run_id[IDS_UUID_LEN], test_id[IDS_UUID_LEN];
    char *test_name;
    enum run_status status;
    int64_t results; /* its answers in the run (scenarios x samples) */
    int64_t created_at, finished_at;
};

struct persona_use_page {
    struct persona_use *items;
    size_t n;
    int64_t total, limit, offset;
};

void persona_use_page_release(struct persona_use_page *pg);

/* The runs persona persona_id answered in, newest first (SPEC.md 3: its usage history). */
enum err_code run_persona_usage(struct store *s, const struct caller *c, const char *persona_id,
                                int64_t limit, int64_t offset, struct persona_use_page *out,
                                struct err *err);

/* ---- for workers (domain/run_worker.c) --------------------------------------------------------
 */

/*
 * Claims the oldest run a worker may take - queued, or running with its
 * lease run out - for owner until now + lease_ms: its id into run_id.
 * ERR_NOT_FOUND when there is none.
 */
enum err_code run_claim(struct store *s, const char *owner, int64_t lease_ms,
                        char run_id[IDS_UUID_LEN], struct err *err);

/*
 * Executes claimed run run_id to its end or its next stop (pause, cancel,
 * timeout, a lost lease), with the model behind gw, step_units units a
 * step, renewing owner's lease at every step. When *stop turns true (the
 * worker is stopping) it ends after the current step and gives the lease
 * up, the run still 'running', for another worker to go on at once.
 */
/*
 * The engine personas of a run's member ids (personas[i] for ids->items[i]:
 * templates from the catalogue, copies of the workspace's personas; the
 * caller frees each). ERR_CONFLICT for a persona deleted since.
 */
enum err_code run_members_load(struct store *s, const struct caller *c, const struct strlist *ids,
                               struct persona **personas, struct err *err);

enum err_code run_execute(struct store *s, struct llm_gateway *gw, const char *run_id,
                          const char *owner, int64_t lease_ms, size_t step_units,
                          const atomic_bool *stop, struct err *err);

#endif
