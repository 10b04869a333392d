/*
 * domain/runs.c - runs of tests as durable jobs (domain/runs.h): the rows,
 * the status machine, the lease, and the driver that executes a claimed
 * run through domain/run_exec.h with a sink that saves every step in one
 * transaction.
 */
#include "core/compat.h"

#include "domain/runs.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "domain/check.h"
#include "domain/libraries.h"
#include "domain/persona_model.h"
#include "domain/personas.h"
#include "domain/run_events.h"
#include "domain/run_exec.h"
#include "domain/run_lease.h"
#include "domain/run_report.h"
#include "domain/run_reports.h"
#include "domain/run_worker.h"
#include "domain/templates.h"
#include "domain/test_spec.h"
#include "domain/tests.h"
#include "store/store.h"

#define RUN_COLUMNS                                                                       \
    "id, test_id, workspace_id, status, requested, seed, progress_done, progress_total, " \
    "calls, cache_hits, tokens_in, tokens_out, cost_micros, model, error, attempts, "     \
    "created_at, COALESCE(started_at, 0), COALESCE(finished_at, 0), updated_at"
#define ACTIVE_STATUSES "('queued', 'running', 'paused')"
#define TEMPLATE_MEMBER "template:"
#define EVENT_MAX       (4 * 1024 * 1024) /* bytes of one event's data */
#define SAVE_ATTEMPTS   6   /* a step's save, tried again while the database is busy */
#define SAVE_BACKOFF_MS 100 /* ... after 100, 200, 400, 800, 1600 ms */
#define HOLD_ATTEMPTS   3   /* a request read again when a claim moved its run meanwhile */

static const char *const STATUS_NAMES[] = { "queued",    "running", "paused",
                                            "completed", "failed",  "cancelled" };

const char *run_status_name(enum run_status s)
{
    return STATUS_NAMES[s];
}

bool run_status_finished(enum run_status s)
{
    return s == RUN_STATUS_COMPLETED || s == RUN_STATUS_FAILED || s == RUN_STATUS_CANCELLED;
}

static enum run_status status_of(const char *s)
{
    for (size_t i = 0; s && i < ARRAY_SIZE(STATUS_NAMES); i++)
        if (strcmp(s, STATUS_NAMES[i]) == 0)
            return (enum run_status)i;
    return RUN_STATUS_FAILED;
}

static char *dup_or_null(struct store_stmt *st, int col)
{
    return store_col_is_null(st, col) ? NULL : xstrdup(store_col_text(st, col));
}

void run_record_release(struct run_record *r)
{
    free(r->requested);
    free(r->model);
    free(r->error);
    memset(r, 0, sizeof(*r));
}

void run_page_release(struct run_page *pg)
{
    for (size_t i = 0; i < pg->n; i++)
        run_record_release(&pg->items[i]);
    free(pg->items);
    memset(pg, 0, sizeof(*pg));
}

void run_result_page_release(struct run_result_page *pg)
{
    for (size_t i = 0; i < pg->n; i++)
        run_row_release(&pg->items[i]);
    free(pg->items);
    memset(pg, 0, sizeof(*pg));
}

void run_events_free(struct run_event *events, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(events[i].type);
        free(events[i].data);
    }
    free(events);
}

/* ---- rows -------------------------------------------------------------------------------------
 */

static void read_run(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct run_record *r = item;
    snprintf(r->id, sizeof(r->id), "%s", store_col_text(st, 0));
    snprintf(r->test_id, sizeof(r->test_id), "%s", store_col_text(st, 1));
    snprintf(r->workspace_id, sizeof(r->workspace_id), "%s", store_col_text(st, 2));
    r->status = status_of(store_col_text(st, 3));
    r->requested = dup_or_null(st, 4);
    r->seed = store_col_int64(st, 5);
    r->progress_done = store_col_int64(st, 6);
    r->progress_total = store_col_int64(st, 7);
    r->calls = store_col_int64(st, 8);
    r->cache_hits = store_col_int64(st, 9);
    r->tokens_in = store_col_int64(st, 10);
    r->tokens_out = store_col_int64(st, 11);
    r->cost_micros = store_col_int64(st, 12);
    r->model = dup_or_null(st, 13);
    r->error = dup_or_null(st, 14);
    r->attempts = store_col_int64(st, 15);
    r->created_at = store_col_int64(st, 16);
    r->started_at = store_col_int64(st, 17);
    r->finished_at = store_col_int64(st, 18);
    r->updated_at = store_col_int64(st, 19);
}

/* Reads one run by sql (RUN_COLUMNS) with params; ERR_NOT_FOUND "no run '<what>'" when none. */
static enum err_code read_one(struct store_conn *conn, const char *sql, const struct store_param *p,
                              size_t n, const char *what, struct run_record *out, struct err *err)
{
    void *items = NULL;
    size_t got = 0;
    enum err_code rc =
        store_read_rows(conn, sql, p, n, 1, sizeof(*out), read_run, NULL, &items, &got, err);
    if (!rc && got == 1)
        *out = *(struct run_record *)items;
    free(items);
    if (!rc && got == 0)
        rc = err_set(err, ERR_NOT_FOUND, "run_id", "no run %s", what);
    return rc;
}

/* Run run_id (NULL: the latest) of test test_id in the caller's workspace, on conn. */
static enum err_code get_on(struct store_conn *conn, const struct caller *c, const char *test_id,
                            const char *run_id, struct run_record *out, struct err *err)
{
    char what[96];
    if (run_id) {
        snprintf(what, sizeof(what), "'%.64s'", run_id);
        struct store_param p[] = { STORE_TEXT(run_id), STORE_TEXT(test_id),
                                   STORE_TEXT(c->workspace_id) };
        return read_one(conn,
                        "SELECT " RUN_COLUMNS
                        " FROM runs WHERE id = ? AND test_id = ? AND workspace_id = ?",
                        p, 3, what, out, err);
    }
    snprintf(what, sizeof(what), "of test '%s' yet", test_id);
    struct store_param p[] = { STORE_TEXT(test_id), STORE_TEXT(c->workspace_id) };
    return read_one(conn,
                    "SELECT " RUN_COLUMNS " FROM runs WHERE test_id = ? AND workspace_id = ? "
                    "ORDER BY created_at DESC, id DESC LIMIT 1",
                    p, 2, what, out, err);
}

/* The checks of every call that names a test and maybe a run: ids, and the test is the caller's. */
static enum err_code check_ids(struct store_conn *conn, const struct caller *c, const char *test_id,
                               const char *run_id, struct err *err)
{
    enum err_code rc = check_id(test_id, "test", err);
    if (!rc && run_id)
        rc = check_id(run_id, "run", err);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_TEXT(test_id), STORE_TEXT(c->workspace_id) };
    int64_t n = 0;
    rc = store_query_int(conn, "SELECT COUNT(*) FROM tests WHERE id = ? AND workspace_id = ?", p, 2,
                         &n, err);
    if (!rc && n == 0)
        rc = err_set(err, ERR_NOT_FOUND, "id", "no test '%s'", test_id);
    return rc;
}

/* Appends an event to run_id (inside the caller's transaction). */
static enum err_code add_event(struct store_conn *conn, const char *run_id, const char *type,
                               const char *data, struct err *err)
{
    struct store_param p[] = { STORE_INT(clock_now_ms()), STORE_TEXT(run_id) };
    enum err_code rc = store_run(
        conn, "UPDATE runs SET events = events + 1, updated_at = ? WHERE id = ?", p, 2, NULL, err);
    struct store_param e[] = { STORE_TEXT(run_id), STORE_TEXT(type), STORE_TEXT(data),
                               STORE_INT(clock_now_ms()), STORE_TEXT(run_id) };
    if (!rc)
        rc = store_run(conn,
                       "INSERT INTO run_events (run_id, seq, type, data, created_at) "
                       "SELECT ?, events, ?, ?, ? FROM runs WHERE id = ?",
                       e, ARRAY_SIZE(e), NULL, err);
    return rc;
}

/* Sets the status of run_id and its test's (inside the caller's transaction). */
static enum err_code set_status(struct store_conn *conn, const char *run_id, const char *test_id,
                                enum run_status s, const char *error, struct err *err)
{
    int64_t now = clock_now_ms();
    bool done = run_status_finished(s);
    /* a pause or cancel asked of a running run waits for the driver: moving to running
       (the panel resolved) keeps it; any other status answers it */
    struct store_param p[] = { STORE_TEXT(run_status_name(s)),
                               STORE_INT(s == RUN_STATUS_RUNNING ? 1 : 0),
                               STORE_TEXT(error),
                               STORE_INT(done ? 1 : 0),
                               STORE_INT(now),
                               STORE_INT(now),
                               STORE_TEXT(run_id) };
    enum err_code rc = store_run(
        conn,
        "UPDATE runs SET status = ?, requested = CASE WHEN ? = 1 THEN requested END, "
        "error = COALESCE(?, error), "
        "finished_at = CASE WHEN ? = 1 THEN ? ELSE finished_at END, updated_at = ?, "
        "lease_owner = CASE WHEN status = 'running' THEN lease_owner ELSE NULL END WHERE id = ?",
        p, ARRAY_SIZE(p), NULL, err);
    struct store_param t[] = { STORE_TEXT(run_status_name(s)), STORE_INT(now),
                               STORE_TEXT(test_id) };
    if (!rc)
        rc = store_run(conn, "UPDATE tests SET status = ?, updated_at = ? WHERE id = ?", t, 3, NULL,
                       err);
    return rc;
}

/* ---- the API's calls
 * ----------------------------------------------------------------------------- */

enum err_code run_start(struct store *s, const struct caller *c, const char *test_id,
                        struct run_record *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct test_record test = { 0 };
    struct test_spec *spec = NULL;
    enum err_code rc = test_get(s, c, test_id, &test, err);
    if (!rc)
        rc = test_spec_parse(test.spec, strlen(test.spec), &spec, err);
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (rc) {
        test_spec_free(spec);
        test_record_release(&test);
        return rc;
    }
    char id[IDS_UUID_LEN];
    ids_uuid7(id);
    int64_t now = clock_now_ms();
    int64_t seed = (int64_t)(spec->has_seed ? spec->seed : ids_random_seed());
    rc = store_begin_write(conn, err);
    struct store_param a[] = { STORE_TEXT(test_id) };
    int64_t active = 0;
    if (!rc)
        rc = store_query_int(
            conn, "SELECT COUNT(*) FROM runs WHERE test_id = ? AND status IN " ACTIVE_STATUSES, a,
            1, &active, err);
    if (!rc && active)
        rc = err_set(err, ERR_CONFLICT, "status",
                     "test '%s' is already %s: wait for its run, or cancel it", test_id,
                     test_status_name(test.status));
    struct store_param p[] = { STORE_TEXT(id),        STORE_TEXT(c->workspace_id),
                               STORE_TEXT(test_id),   STORE_TEXT(c->user_id),
                               STORE_TEXT(test.spec), STORE_INT(seed),
                               STORE_INT(now),        STORE_INT(now) };
    if (!rc)
        rc = store_run(conn,
                       "INSERT INTO runs (id, workspace_id, test_id, started_by, status, spec, "
                       "seed, created_at, updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)",
                       p, ARRAY_SIZE(p), NULL, err);
    if (!rc)
        rc = set_status(conn, id, test_id, RUN_STATUS_QUEUED, NULL, err);
    if (!rc)
        rc = add_event(conn, id, "run_queued", "{}", err);
    if (!rc)
        rc = get_on(conn, c, test_id, id, out, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    test_spec_free(spec);
    test_record_release(&test);
    if (!rc) {
        run_events_notify(id);
        run_workers_wake();
    }
    return rc;
}

enum err_code run_list(struct store *s, const struct caller *c, const char *test_id, int64_t limit,
                       int64_t offset, struct run_page *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->limit = limit;
    out->offset = offset;
    enum err_code rc = check_page(limit, offset, RUN_PAGE_MAX, err);
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = check_ids(conn, c, test_id, NULL, err);
    store_release(s, conn);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_TEXT(test_id), STORE_TEXT(c->workspace_id) };
    struct store_page_query q = {
        .count_sql = "SELECT COUNT(*) FROM runs WHERE test_id = ? AND workspace_id = ?",
        .page_sql = "SELECT " RUN_COLUMNS " FROM runs WHERE test_id = ? AND workspace_id = ? "
                    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
        .params = p,
        .n = 2,
        .limit = limit,
        .offset = offset,
        .item_size = sizeof(*out->items),
        .read = read_run,
    };
    void *items = NULL;
    rc = store_read_page(s, &q, &items, &out->n, &out->total, err);
    out->items = items;
    if (rc)
        run_page_release(out);
    return rc;
}

enum err_code run_get(struct store *s, const struct caller *c, const char *test_id,
                      const char *run_id, struct run_record *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = check_ids(conn, c, test_id, run_id, err);
    if (!rc)
        rc = get_on(conn, c, test_id, run_id, out, err);
    store_release(s, conn);
    return rc;
}

/*
 * Locks run_id's row for the rest of the caller's write transaction when its
 * status is still `seen`; *held false when it moved. On PostgreSQL a claim
 * runs beside the writers (store_begin_rows) and may have moved a queued run
 * to running since the caller read it; once held, nothing moves it until the
 * caller commits. (On SQLite the write lock already excludes every claim.)
 */
static enum err_code hold_run(struct store_conn *conn, const char *run_id, enum run_status seen,
                              bool *held, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(run_id), STORE_TEXT(run_status_name(seen)) };
    int64_t changed = 0;
    enum err_code rc =
        store_run(conn, "UPDATE runs SET status = status WHERE id = ? AND status = ?", p,
                  ARRAY_SIZE(p), &changed, err);
    *held = !rc && changed > 0;
    return rc;
}

/* What a request does to a run in status s: the new status (or requested), or a refusal. */
static enum err_code apply_request(struct store_conn *conn, const struct run_record *r,
                                   enum run_request what, struct err *err)
{
    static const char *const verbs[] = { "cancel", "pause", "resume" };
    if (run_status_finished(r->status))
        return err_set(err, ERR_CONFLICT, "status", "run '%s' is %s: there is nothing to %s", r->id,
                       run_status_name(r->status), verbs[what]);
    struct store_param p[] = { STORE_TEXT(verbs[what]), STORE_INT(clock_now_ms()),
                               STORE_TEXT(r->id) };
    switch (what) {
    case RUN_REQUEST_CANCEL:
        if (r->status == RUN_STATUS_RUNNING)
            return store_run(conn, "UPDATE runs SET requested = ?, updated_at = ? WHERE id = ?", p,
                             3, NULL, err);
        {
            enum err_code rc = set_status(conn, r->id, r->test_id, RUN_STATUS_CANCELLED, NULL, err);
            return rc ? rc : add_event(conn, r->id, "run_cancelled", "{}", err);
        }
    case RUN_REQUEST_PAUSE:
        if (r->status == RUN_STATUS_PAUSED)
            return err_set(err, ERR_CONFLICT, "status", "run '%s' is already paused", r->id);
        if (r->status == RUN_STATUS_RUNNING)
            return store_run(conn, "UPDATE runs SET requested = ?, updated_at = ? WHERE id = ?", p,
                             3, NULL, err);
        {
            enum err_code rc = set_status(conn, r->id, r->test_id, RUN_STATUS_PAUSED, NULL, err);
            return rc ? rc : add_event(conn, r->id, "run_paused", "{}", err);
        }
    case RUN_REQUEST_RESUME:
    default:
        if (r->status != RUN_STATUS_PAUSED)
            return err_set(err, ERR_CONFLICT, "status", "run '%s' is %s, not paused", r->id,
                           run_status_name(r->status));
        {
            enum err_code rc = set_status(conn, r->id, r->test_id, RUN_STATUS_QUEUED, NULL, err);
            return rc ? rc : add_event(conn, r->id, "run_resumed", "{}", err);
        }
    }
}

enum err_code run_ask(struct store *s, const struct caller *c, const char *test_id,
                      const char *run_id, enum run_request what, struct run_record *out,
                      struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = store_begin_write(conn, err);
    if (!rc)
        rc = check_ids(conn, c, test_id, run_id, err);
    struct run_record r = { 0 };
    /* read, then act on what was read: again if a claim moved the run in between */
    bool held = false;
    for (int attempt = 0; !rc && !held && attempt < HOLD_ATTEMPTS; attempt++) {
        run_record_release(&r);
        memset(&r, 0, sizeof(r));
        rc = get_on(conn, c, test_id, run_id, &r, err);
        if (!rc)
            rc = hold_run(conn, r.id, r.status, &held, err);
    }
    if (!rc && !held)
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "the run of test '%s' kept changing: try again",
                     test_id);
    if (!rc)
        rc = apply_request(conn, &r, what, err);
    if (!rc)
        rc = get_on(conn, c, test_id, r.id, out, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (!rc)
        run_events_notify(r.id);
    run_record_release(&r);
    if (!rc && what == RUN_REQUEST_RESUME)
        run_workers_wake();
    return rc;
}

void run_row_read(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct run_row *r = item;
    r->member_id = xstrdup(store_col_text(st, 0));
    r->key = xstrdup(store_col_text(st, 1));
    r->sample = (int)store_col_int64(st, 2);
    r->answers = xstrdup(store_col_text(st, 3));
    r->thought = dup_or_null(st, 4);
    r->talk = dup_or_null(st, 5);
    r->abandoned = store_col_int64(st, 6) != 0;
    r->reason = dup_or_null(st, 7);
    r->error = dup_or_null(st, 8);
    r->model = dup_or_null(st, 9);
    r->tokens_in = store_col_int64(st, 10);
    r->tokens_out = store_col_int64(st, 11);
    r->cost_micros = store_col_int64(st, 12);
}

/* The results matching f's persona and scenario, in order: a page, or all (limit 0). */
static enum err_code results_query(struct store *s, const char *run_id,
                                   const struct run_result_filter *f, int64_t limit, int64_t offset,
                                   struct run_result_page *out, struct err *err)
{
    const char *persona = f ? f->persona_id : NULL, *scenario = f ? f->scenario : NULL;
    struct store_param p[] = { STORE_TEXT(run_id),   STORE_TEXT(persona),  STORE_TEXT(persona),
                               STORE_TEXT(scenario), STORE_TEXT(scenario), STORE_TEXT(scenario),
                               STORE_TEXT(scenario) };
#define RESULTS_WHERE                                                                       \
    "FROM run_results WHERE run_id = ? AND (? IS NULL OR member_id = ?) AND (? IS NULL OR " \
    "scenario_key = ? OR substr(scenario_key, 1, length(?) + 1) = ? || '/')"
    struct store_page_query q = {
        .count_sql = "SELECT COUNT(*) " RESULTS_WHERE,
        .page_sql = "SELECT " RUN_ROW_COLUMNS " " RESULTS_WHERE
                    " ORDER BY member_id, scenario_key, sample LIMIT ? OFFSET ?",
        .params = p,
        .n = ARRAY_SIZE(p),
        .limit = limit ? limit : INT64_MAX,
        .offset = offset,
        .item_size = sizeof(*out->items),
        .read = run_row_read,
    };
#undef RESULTS_WHERE
    void *items = NULL;
    enum err_code rc = store_read_page(s, &q, &items, &out->n, &out->total, err);
    out->items = items;
    return rc;
}

static int cmp_str(const void *a, const void *b);
static void read_state(struct store_stmt *st, void *item, void *ctx);

/* The page's rows tagged with the themes of the run's stored report, when it has one. */
static enum err_code results_tag_themes(struct store *s, const char *run_id,
                                        struct run_result_page *pg, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(run_id) };
    char *report = NULL;
    bool found = false;
    enum err_code rc = store_read_row(s, "SELECT report FROM run_reports WHERE run_id = ?", p, 1,
                                      sizeof(report), read_state, NULL, &report, &found, err);
    if (!rc && found)
        run_rows_tag_themes(report, pg->items, pg->n);
    free(report);
    return rc;
}

/* Keeps the items of members (sorted) and the page limit/offset of them. */
static void results_keep(struct run_result_page *pg, const struct strlist *members, int64_t limit,
                         int64_t offset)
{
    size_t kept = 0, seen = 0;
    for (size_t i = 0; i < pg->n; i++) {
        struct run_row *r = &pg->items[i];
        bool in = bsearch(&r->member_id, members->items, members->n, sizeof(char *), cmp_str);
        if (in && seen++ >= (size_t)offset && kept < (size_t)limit) {
            pg->items[kept++] = *r;
            continue;
        }
        run_row_release(r);
    }
    pg->n = kept;
    pg->total = (int64_t)seen;
}

enum err_code run_results(struct store *s, const struct caller *c, const char *test_id,
                          const char *run_id, const struct run_result_filter *f, int64_t limit,
                          int64_t offset, struct run_result_page *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct run_record r = { 0 };
    enum err_code rc = check_page(limit, offset, RUN_RESULTS_MAX, err);
    if (!rc)
        rc = run_get(s, c, test_id, run_id, &r, err);
    struct strlist members = { 0 };
    bool by_segment = f && f->segment;
    if (!rc && by_segment)
        rc = run_segment_members(s, c, r.id, f->segment, &members, err);
    if (!rc)
        rc = results_query(s, r.id, f, by_segment ? 0 : limit, by_segment ? 0 : offset, out, err);
    if (!rc && by_segment) {
        qsort(members.items, members.n, sizeof(char *), cmp_str);
        results_keep(out, &members, limit, offset);
    }
    if (!rc)
        rc = results_tag_themes(s, r.id, out, err);
    out->limit = limit;
    out->offset = offset;
    strlist_release(&members);
    run_record_release(&r);
    if (rc)
        run_result_page_release(out);
    return rc;
}

static void read_event(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct run_event *e = item;
    e->seq = store_col_int64(st, 0);
    e->type = xstrdup(store_col_text(st, 1));
    e->data = xstrdup(store_col_text(st, 2));
}

enum err_code run_events_after(struct store *s, const struct caller *c, const char *test_id,
                               const char *run_id, int64_t after, size_t max,
                               struct run_event **events, size_t *n, bool *finished,
                               struct err *err)
{
    *events = NULL;
    *n = 0;
    *finished = false;
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    /* the status first: a run seen finished has written its last event already */
    struct run_record r = { 0 };
    rc = check_ids(conn, c, test_id, run_id, err);
    if (!rc)
        rc = get_on(conn, c, test_id, run_id, &r, err);
    struct store_param p[] = { STORE_TEXT(r.id), STORE_INT(after) };
    void *items = NULL;
    if (!rc)
        rc = store_read_rows(conn,
                             "SELECT seq, type, data FROM run_events WHERE run_id = ? AND seq > ? "
                             "ORDER BY seq",
                             p, 2, max, sizeof(**events), read_event, NULL, &items, n, err);
    *events = items;
    if (!rc)
        *finished = run_status_finished(r.status) && *n < max;
    store_release(s, conn);
    run_record_release(&r);
    return rc;
}

/* ---- a persona's usage
 * --------------------------------------------------------------------------- */

void persona_use_page_release(struct persona_use_page *pg)
{
    for (size_t i = 0; i < pg->n; i++)
        free(pg->items[i].test_name);
    free(pg->items);
    memset(pg, 0, sizeof(*pg));
}

static void read_use(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct persona_use *u = item;
    snprintf(u->run_id, sizeof(u->run_id), "%s", store_col_text(st, 0));
    snprintf(u->test_id, sizeof(u->test_id), "%s", store_col_text(st, 1));
    u->test_name = xstrdup(store_col_text(st, 2));
    u->status = status_of(store_col_text(st, 3));
    u->results = store_col_int64(st, 4);
    u->created_at = store_col_int64(st, 5);
    u->finished_at = store_col_int64(st, 6);
}

enum err_code run_persona_usage(struct store *s, const struct caller *c, const char *persona_id,
                                int64_t limit, int64_t offset, struct persona_use_page *out,
                                struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->limit = limit;
    out->offset = offset;
    struct persona_record p = { 0 };
    enum err_code rc = check_page(limit, offset, RUN_PAGE_MAX, err);
    if (!rc)
        rc = personas_fetch(s, c, persona_id, &p, err);
    persona_record_release(&p);
    if (rc)
        return rc;
    struct store_param q[] = { STORE_TEXT(persona_id), STORE_TEXT(c->workspace_id) };
    struct store_page_query pq = {
        .count_sql = "SELECT COUNT(DISTINCT rr.run_id) FROM run_results rr JOIN runs r ON "
                     "r.id = rr.run_id WHERE rr.member_id = ? AND r.workspace_id = ?",
        .page_sql = "SELECT r.id, r.test_id, t.name, r.status, COUNT(*), r.created_at, "
                    "COALESCE(r.finished_at, 0) FROM run_results rr JOIN runs r ON "
                    "r.id = rr.run_id JOIN tests t ON t.id = r.test_id WHERE rr.member_id = ? "
                    "AND r.workspace_id = ? GROUP BY r.id, r.test_id, t.name, r.status, "
                    "r.created_at, r.finished_at ORDER BY r.created_at DESC, r.id DESC "
                    "LIMIT ? OFFSET ?",
        .params = q,
        .n = 2,
        .limit = limit,
        .offset = offset,
        .item_size = sizeof(*out->items),
        .read = read_use,
    };
    void *items = NULL;
    rc = store_read_page(s, &pq, &items, &out->n, &out->total, err);
    out->items = items;
    if (rc)
        persona_use_page_release(out);
    return rc;
}

/* ---- workers --------------------------------------------------------------------------------- */

static void read_id(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    snprintf(item, IDS_UUID_LEN, "%s", store_col_text(st, 0));
}

enum err_code run_claim(struct store *s, const char *owner, int64_t lease_ms,
                        char run_id[IDS_UUID_LEN], struct err *err)
{
    run_id[0] = '\0';
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    int64_t now = clock_now_ms();
    /* a job queue: the oldest claimable run no other claim holds, locked until we commit */
    rc = store_begin_rows(conn, err);
    struct store_param p[] = { STORE_INT(now) };
    char sql[320];
    snprintf(sql, sizeof(sql),
             "SELECT id FROM runs WHERE status = 'queued' OR (status = 'running' AND "
             "(lease_until IS NULL OR lease_until < ?)) ORDER BY created_at, id LIMIT 1%s",
             store_skip_locked(conn));
    void *items = NULL;
    size_t n = 0;
    if (!rc)
        rc = store_read_rows(conn, sql, p, 1, 1, IDS_UUID_LEN, read_id, NULL, &items, &n, err);
    if (!rc && n == 1)
        memcpy(run_id, items, IDS_UUID_LEN);
    free(items);
    struct store_param u[] = { STORE_TEXT(owner), STORE_INT(now + lease_ms), STORE_INT(now),
                               STORE_INT(now), STORE_TEXT(run_id) };
    if (!rc && n == 1)
        rc = store_run(conn,
                       "UPDATE runs SET status = 'running', lease_owner = ?, lease_until = ?, "
                       "attempts = attempts + 1, started_at = COALESCE(started_at, ?), "
                       "updated_at = ? WHERE id = ?",
                       u, ARRAY_SIZE(u), NULL, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (!rc && n == 0)
        rc = err_set(err, ERR_NOT_FOUND, NULL, "no run to claim");
    return rc;
}

/* ---- executing a claimed run ------------------------------------------------------------------
 */

/* What the driver knows of a claimed run. */
struct claimed {
    char id[IDS_UUID_LEN], test_id[IDS_UUID_LEN], workspace_id[IDS_UUID_LEN];
    char started_by[IDS_UUID_LEN];
    char *spec, *members; /* members: NULL until the panel was resolved */
    int64_t seed, started_at, progress_total;
};

static void read_claimed(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct claimed *r = item;
    snprintf(r->id, sizeof(r->id), "%s", store_col_text(st, 0));
    snprintf(r->test_id, sizeof(r->test_id), "%s", store_col_text(st, 1));
    snprintf(r->workspace_id, sizeof(r->workspace_id), "%s", store_col_text(st, 2));
    snprintf(r->started_by, sizeof(r->started_by), "%s", store_col_text(st, 3));
    r->spec = xstrdup(store_col_text(st, 4));
    r->members = dup_or_null(st, 5);
    r->seed = store_col_int64(st, 6);
    r->started_at = store_col_int64(st, 7);
    r->progress_total = store_col_int64(st, 8);
}

/* The panel's member ids, resolved once (the first time the run executes). */
static enum err_code resolve_members(struct store *s, struct llm_gateway *gw,
                                     const struct caller *c, const struct test_spec *t,
                                     uint64_t seed, struct strlist *out, struct err *err)
{
    const struct test_panel *p = &t->panel;
    enum err_code rc = ERR_OK;
    switch (p->kind) {
    case PANEL_PERSONAS:
        strlist_copy(out, &p->persona_ids);
        break;
    case PANEL_LIBRARY:
        rc = libraries_persona_ids(s, c, p->library_id, out, err);
        break;
    case PANEL_TEMPLATES: {
        const struct persona_template *all;
        size_t n;
        rc = templates_get(&all, &n, err);
        for (size_t i = 0; !rc && i < n; i++) {
            char id[TEMPLATE_ID_MAX + sizeof(TEMPLATE_MEMBER)];
            snprintf(id, sizeof(id), TEMPLATE_MEMBER "%s", all[i].id);
            strlist_add(out, id);
        }
        break;
    }
    case PANEL_GENERATE: {
        struct generate_request req = { .description = p->description,
                                        .n = p->generate,
                                        .seed = seed ? seed : 1 };
        struct generate_result g;
        rc = personas_generate(s, gw, t->model_name, c, &req, &g, err);
        for (size_t i = 0; !rc && i < g.n_ids; i++)
            strlist_add(out, g.ids[i]);
        generate_result_release(&g);
        break;
    }
    case PANEL_FILTER:
    default: {
        const struct panel_filter *pf = &p->filter;
        struct persona_filter f;
        test_panel_filter(pf, &f);
        f.limit = PERSONA_PAGE_MAX;
        for (bool more = true; !rc && more && out->n < TEST_PERSONAS_MAX;) {
            struct persona_page pg;
            rc = personas_query(s, c, &f, &pg, err);
            for (size_t i = 0; !rc && i < pg.n; i++)
                strlist_add(out, pg.items[i].id);
            more = !rc && pg.n == (size_t)f.limit;
            f.offset += f.limit;
            persona_page_release(&pg);
        }
        break;
    }
    }
    if (!rc && out->n == 0)
        rc = err_set(err, ERR_CONFLICT, "config.panel", "the test's panel holds no persona");
    return rc;
}

enum err_code run_members_load(struct store *s, const struct caller *c, const struct strlist *ids,
                               struct persona **personas, struct err *err)
{
    enum err_code rc = ERR_OK;
    for (size_t i = 0; !rc && i < ids->n; i++) {
        const char *id = ids->items[i];
        if (strncmp(id, TEMPLATE_MEMBER, strlen(TEMPLATE_MEMBER)) == 0) {
            const struct persona_template *t = templates_find(id + strlen(TEMPLATE_MEMBER));
            if (!t)
                rc = err_set(err, ERR_NOT_FOUND, NULL, "no template '%s'", id);
            else
                personas[i] = persona_dup(t->persona);
        } else {
            rc = personas_load(s, c, id, &personas[i], err);
            if (rc == ERR_NOT_FOUND)
                rc = err_set(err, ERR_CONFLICT, NULL,
                             "persona '%s' of the panel was deleted while the run waited", id);
        }
    }
    return rc;
}

/* The error of a worker that finds its run's lease held by another (or the run ended). */
static enum err_code lease_lost(const char *run_id, const char *owner, struct err *err)
{
    return err_set(err, ERR_CONFLICT, NULL, "run '%s': %s's lease passed to another worker", run_id,
                   owner);
}

/* The sink's state: the run, its lease, what is done, its clock. */
struct driver {
    struct store *store;
    const struct claimed *run;
    const char *owner;
    int64_t lease_ms;
    int64_t deadline_ms; /* epoch ms */
    struct strlist done; /* "member\tkey", sorted */
    bool lost_lease;
    const struct run_lease *heartbeat; /* may be NULL */
    const atomic_bool *stop;           /* the worker is stopping */
    bool stopped;                      /* and the run was cut short for it */
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *done_key(const char *member, const char *key)
{
    struct buf b;
    buf_init(&b, RUN_KEY_MAX * 4);
    buf_addf(&b, "%s\t%s", member, key);
    char *s = buf_detach(&b, NULL);
    buf_release(&b);
    return s;
}

static bool sink_done(void *ctx, const char *member_id, const char *key)
{
    struct driver *d = ctx;
    char *k = done_key(member_id, key);
    bool found = bsearch(&k, d->done.items, d->done.n, sizeof(char *), cmp_str) != NULL;
    free(k);
    return found;
}

static enum run_control sink_control(void *ctx)
{
    struct driver *d = ctx;
    if (d->stop && atomic_load(d->stop)) {
        d->stopped = true;
        return RUN_PAUSE;
    }
    if (run_lease_lost(d->heartbeat)) {
        d->lost_lease = true; /* another worker has the run: stop, write nothing */
        return RUN_PAUSE;
    }
    struct store_conn *conn = NULL;
    struct err err = ERR_INIT;
    if (store_acquire(d->store, &conn, &err))
        return RUN_GO;
    struct store_param p[] = { STORE_TEXT(d->run->id) };
    int64_t n = 0;
    store_query_int(conn,
                    "SELECT CASE requested WHEN 'pause' THEN 1 WHEN 'cancel' THEN 2 ELSE 0 END "
                    "FROM runs WHERE id = ?",
                    p, 1, &n, &err);
    store_release(d->store, conn);
    return n == 1 ? RUN_PAUSE : n == 2 ? RUN_CANCEL : RUN_GO;
}

static bool sink_expired(void *ctx)
{
    const struct driver *d = ctx;
    return clock_now_ms() > d->deadline_ms;
}

/* Stores one unit's samples and their persona_answered events. */
static enum err_code save_unit(struct store_conn *conn, const struct claimed *run,
                               const struct run_unit_done *u, struct err *err)
{
    struct run_rows rows = { 0 };
    run_rows_add_unit(&rows, u);
    enum err_code rc = ERR_OK;
    for (size_t i = 0; !rc && i < rows.n; i++) {
        const struct run_row *r = &rows.rows[i];
        struct store_param p[] = {
            STORE_TEXT(run->id),       STORE_TEXT(r->member_id),
            STORE_TEXT(r->key),        STORE_INT(r->sample),
            STORE_TEXT(r->answers),    STORE_TEXT(r->thought),
            STORE_TEXT(r->talk),       STORE_INT(r->abandoned ? 1 : 0),
            STORE_TEXT(r->reason),     STORE_TEXT(r->error),
            STORE_TEXT(r->model),      STORE_INT(clock_now_ms()),
            STORE_INT(r->tokens_in),   STORE_INT(r->tokens_out),
            STORE_INT(r->cost_micros),
        };
        rc = store_run(conn,
                       "INSERT INTO run_results (run_id, member_id, scenario_key, sample, "
                       "answers, thought, talk, abandoned, reason, error, model, created_at, "
                       "tokens_in, tokens_out, cost_micros) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       p, ARRAY_SIZE(p), NULL, err);
        struct buf ev;
        buf_init(&ev, EVENT_MAX * 2);
        buf_adds(&ev, "{\"persona_id\":");
        buf_add_json_string(&ev, r->member_id);
        buf_adds(&ev, ",\"scenario\":");
        buf_add_json_string(&ev, r->key);
        buf_addf(&ev, ",\"sample\":%d,\"answers\":%s,\"talk\":", r->sample, r->answers);
        buf_add_json_string(&ev, r->talk);
        buf_adds(&ev, ",\"abandoned\":");
        buf_adds(&ev, r->abandoned ? "true" : "false");
        buf_adds(&ev, ",\"error\":");
        buf_add_json_string(&ev, r->error);
        buf_addch(&ev, '}');
        if (!rc)
            rc = add_event(conn, run->id, "persona_answered", ev.data, err);
        buf_release(&ev);
    }
    run_rows_release(&rows);
    return rc;
}

/* Stores one line of a focus group's discussion as a "said" event. */
static enum err_code save_said(struct store_conn *conn, const char *run_id,
                               const struct run_said *l, struct err *err)
{
    struct buf ev;
    buf_init(&ev, EVENT_MAX);
    buf_adds(&ev, "{\"persona_id\":");
    buf_add_json_string(&ev, l->member_id);
    buf_adds(&ev, ",\"speaker\":");
    buf_add_json_string(&ev, l->speaker);
    buf_adds(&ev, ",\"target\":");
    buf_add_json_string(&ev, l->target);
    buf_adds(&ev, ",\"text\":");
    buf_add_json_string(&ev, l->text);
    buf_adds(&ev, ",\"scenario\":");
    buf_add_json_string(&ev, l->scenario);
    buf_addf(&ev, ",\"round\":%d}", l->round);
    enum err_code rc = add_event(conn, run_id, "said", ev.data, err);
    buf_release(&ev);
    return rc;
}

static enum err_code save_step_once(void *ctx, const struct run_step *step, struct err *err)
{
    struct driver *d = ctx;
    const struct engine_usage *usage = step->usage;
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(d->store, &conn, err);
    if (rc)
        return rc;
    int64_t now = clock_now_ms();
    const char *model = NULL;
    for (size_t i = 0; i < step->n_units && !model; i++)
        model = step->units[i].result->model;
    rc = store_begin_write(conn, err);
    /* the lease first: a worker that lost it writes nothing */
    struct store_param l[] = {
        STORE_INT(now + d->lease_ms),
        STORE_INT(step->done),
        STORE_INT(step->total),
        STORE_INT(usage->calls),
        STORE_INT(usage->cache_hits),
        STORE_INT(usage->tokens_in),
        STORE_INT(usage->tokens_out),
        STORE_INT(usage->cost_micros),
        STORE_TEXT(model),
        STORE_INT(now),
        STORE_TEXT(step->state),
        STORE_TEXT(d->run->id),
        STORE_TEXT(d->owner),
    };
    int64_t changed = 0;
    if (!rc)
        rc = store_run(conn,
                       "UPDATE runs SET lease_until = ?, progress_done = ?, progress_total = ?, "
                       "calls = calls + ?, cache_hits = cache_hits + ?, tokens_in = tokens_in + ?, "
                       "tokens_out = tokens_out + ?, cost_micros = cost_micros + ?, "
                       "model = COALESCE(?, model), updated_at = ?, state = COALESCE(?, state) "
                       "WHERE id = ? AND lease_owner = ? AND status = 'running'",
                       l, ARRAY_SIZE(l), &changed, err);
    if (!rc && changed == 0) {
        d->lost_lease = true;
        rc = lease_lost(d->run->id, d->owner, err);
    }
    for (size_t i = 0; !rc && i < step->n_said; i++)
        rc = save_said(conn, d->run->id, &step->said[i], err);
    for (size_t i = 0; !rc && i < step->n_units; i++)
        rc = save_unit(conn, d->run, &step->units[i], err);
    if (!rc) {
        char ev[256];
        struct store_param q[] = { STORE_TEXT(d->run->id) };
        int64_t cost = 0;
        rc = store_query_int(conn, "SELECT cost_micros FROM runs WHERE id = ?", q, 1, &cost, err);
        snprintf(ev, sizeof(ev),
                 "{\"done\":%" PRId64 ",\"total\":%" PRId64 ",\"calls\":%" PRId64
                 ",\"tokens_in\":%" PRId64 ",\"tokens_out\":%" PRId64 ",\"cost_usd\":%.6f}",
                 step->done, step->total, usage->calls, usage->tokens_in, usage->tokens_out,
                 (double)cost / 1e6);
        if (!rc)
            rc = add_event(conn, d->run->id, "step_done", ev, err);
    }
    rc = store_end(conn, rc, err);
    store_release(d->store, conn);
    if (!rc)
        run_events_notify(d->run->id);
    return rc;
}

/*
 * Saves a step, trying again when the database is busy (another process
 * holds its lock past the busy timeout): a transient error must not fail
 * a run whose results are in hand. The step's transaction either happened
 * or did not, so trying again is safe.
 */
static enum err_code sink_save(void *ctx, const struct run_step *step, struct err *err)
{
    const struct driver *d = ctx;
    enum err_code rc = ERR_OK;
    for (int attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
        if (attempt) {
            LOG_WARN("runs", "run %s: saving a step again (attempt %d): %s", d->run->id,
                     attempt + 1, err ? err->msg : "");
            clock_sleep_ms(SAVE_BACKOFF_MS << (attempt - 1));
        }
        rc = save_step_once(ctx, step, err);
        if (rc != ERR_UNAVAILABLE || d->lost_lease)
            break;
    }
    return rc;
}

static void read_state(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    *(char **)item = xstrdup_or_null(store_col_text(st, 0));
}

static enum err_code sink_load_state(void *ctx, char **state, size_t *len, struct err *err)
{
    struct driver *d = ctx;
    struct store_param p[] = { STORE_TEXT(d->run->id) };
    enum err_code rc = store_read_row(d->store, "SELECT state FROM runs WHERE id = ?", p, 1,
                                      sizeof(*state), read_state, NULL, state, NULL, err);
    *len = *state ? strlen(*state) : 0;
    return rc;
}

/* The (member, key) pairs already stored, sorted for sink_done. */
static void read_done(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    *(char **)item = done_key(store_col_text(st, 0), store_col_text(st, 1));
}

static enum err_code load_done(struct store *s, const char *run_id, struct strlist *out,
                               struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_TEXT(run_id) };
    void *items = NULL;
    size_t n = 0;
    rc = store_read_rows(
        conn, "SELECT DISTINCT member_id, scenario_key FROM run_results WHERE run_id = ?", p, 1,
        SIZE_MAX / sizeof(char *) / 2, sizeof(char *), read_done, NULL, &items, &n, err);
    store_release(s, conn);
    out->items = items;
    out->n = out->alloc = n;
    if (n)
        qsort(out->items, n, sizeof(char *), cmp_str);
    return rc;
}

/* Reads the claimed run; ERR_CONFLICT when owner no longer holds it. */
static enum err_code read_claimed_run(struct store *s, const char *run_id, const char *owner,
                                      struct claimed *out, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(run_id), STORE_TEXT(owner) };
    bool found = false;
    enum err_code rc =
        store_read_row(s,
                       "SELECT id, test_id, workspace_id, started_by, spec, members, seed, "
                       "COALESCE(started_at, 0), progress_total FROM runs WHERE id = ? AND "
                       "lease_owner = ? AND status = 'running'",
                       p, 2, sizeof(*out), read_claimed, NULL, out, &found, err);
    if (!rc && !found)
        rc = err_set(err, ERR_CONFLICT, NULL, "run '%s' is not %s's", run_id, owner);
    return rc;
}

/* The run's panel: resolved and saved the first time, read back afterwards. */
static enum err_code panel_of(struct store *s, struct llm_gateway *gw, const struct caller *c,
                              struct claimed *run, const char *owner, const struct test_spec *t,
                              struct strlist *members, struct err *err)
{
    if (run->members) {
        strlist_split_lines(run->members, members);
        return ERR_OK;
    }
    enum err_code rc = resolve_members(s, gw, c, t, (uint64_t)run->seed, members, err);
    if (rc)
        return rc;
    run->members = strlist_join_lines(members);
    int64_t total = run_units_total(t, members->n);
    struct store_param p[] = { STORE_TEXT(run->members), STORE_INT(total), STORE_TEXT(run->id),
                               STORE_TEXT(owner) };
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = store_begin_write(conn, err);
    int64_t changed = 0;
    if (!rc)
        rc = store_run(conn,
                       "UPDATE runs SET members = ?, progress_total = ? WHERE id = ? AND "
                       "lease_owner = ? AND status = 'running'",
                       p, ARRAY_SIZE(p), &changed, err);
    if (!rc && !changed)
        rc = lease_lost(run->id, owner, err);
    if (!rc && !run->progress_total) {
        char ev[96];
        snprintf(ev, sizeof(ev), "{\"personas\":%zu,\"total\":%" PRId64 "}", members->n, total);
        rc = add_event(conn, run->id, "run_started", ev, err);
    }
    if (!rc)
        rc = set_status(conn, run->id, run->test_id, RUN_STATUS_RUNNING, NULL, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    if (!rc)
        run_events_notify(run->id);
    return rc;
}

/* Writes how the run ended: its status, its test's, the closing event. */
static enum err_code finish(struct store *s, const struct claimed *run, const char *owner,
                            enum run_outcome outcome, enum err_code failed, const char *why,
                            struct err *err)
{
    static const struct {
        enum run_status status;
        const char *event;
    } ends[] = {
        [RUN_COMPLETED] = { RUN_STATUS_COMPLETED, "run_completed" },
        [RUN_PAUSED] = { RUN_STATUS_PAUSED, "run_paused" },
        [RUN_CANCELLED] = { RUN_STATUS_CANCELLED, "run_cancelled" },
        [RUN_TIMED_OUT] = { RUN_STATUS_FAILED, "run_failed" },
    };
    enum run_status status = failed ? RUN_STATUS_FAILED : ends[outcome].status;
    const char *event = failed ? "run_failed" : ends[outcome].event;
    const char *error = failed                     ? why
                        : outcome == RUN_TIMED_OUT ? "the test's timeout passed"
                                                   : NULL;
    struct buf data;
    buf_init(&data, 4096);
    buf_adds(&data, "{\"status\":");
    buf_add_json_string(&data, run_status_name(status));
    buf_adds(&data, ",\"error\":");
    buf_add_json_string(&data, error);
    buf_addch(&data, '}');
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (!rc) {
        rc = store_begin_write(conn, err);
        /* the lease given up first: a worker that no longer holds it writes nothing */
        struct store_param p[] = { STORE_TEXT(run->id), STORE_TEXT(owner) };
        int64_t changed = 0;
        if (!rc)
            rc = store_run(conn,
                           "UPDATE runs SET lease_owner = NULL, lease_until = NULL WHERE id = ? "
                           "AND lease_owner = ? AND status = 'running'",
                           p, 2, &changed, err);
        if (!rc && !changed)
            rc = lease_lost(run->id, owner, err);
        if (!rc)
            rc = set_status(conn, run->id, run->test_id, status, error, err);
        if (!rc)
            rc = add_event(conn, run->id, event, data.data, err);
        rc = store_end(conn, rc, err);
        store_release(s, conn);
        if (!rc)
            run_events_notify(run->id);
    }
    buf_release(&data);
    return rc;
}

enum err_code run_execute(struct store *s, struct llm_gateway *gw, const char *run_id,
                          const char *owner, int64_t lease_ms, size_t step_units,
                          const atomic_bool *stop, struct err *err)
{
    struct claimed run = { 0 };
    enum err_code rc = read_claimed_run(s, run_id, owner, &run, err);
    if (rc)
        return rc;
    struct run_lease *heartbeat = run_lease_start(s, run.id, owner, lease_ms);
    struct caller c;
    struct test_spec *t = NULL;
    struct strlist members = { 0 };
    struct persona **personas = NULL;
    struct run_member *rm = NULL;
    struct driver d = { .store = s,
                        .run = &run,
                        .owner = owner,
                        .lease_ms = lease_ms,
                        .heartbeat = heartbeat,
                        .stop = stop };
    enum run_outcome outcome = RUN_COMPLETED;
    struct err why = ERR_INIT;
    enum err_code failed = caller_load(s, run.started_by, &c, &why);
    if (!failed && !gw)
        failed = err_set(&why, ERR_UNAVAILABLE, NULL, "no language model is available");
    if (!failed)
        failed = test_spec_parse(run.spec, strlen(run.spec), &t, &why);
    if (!failed)
        failed = panel_of(s, gw, &c, &run, owner, t, &members, &why);
    if (!failed) {
        personas = xcalloc(members.n, sizeof(*personas));
        rm = xcalloc(members.n, sizeof(*rm));
        failed = run_members_load(s, &c, &members, personas, &why);
    }
    if (!failed)
        failed = load_done(s, run.id, &d.done, &why);
    if (!failed) {
        for (size_t i = 0; i < members.n; i++)
            rm[i] = (struct run_member){ members.items[i], personas[i] };
        d.deadline_ms = (run.started_at ? run.started_at : clock_now_ms()) + t->timeout_s * 1000;
        struct engine e = { .gw = gw, .model = t->model_name, .seed = (uint64_t)run.seed };
        snprintf(e.tags.workspace, sizeof(e.tags.workspace), "%s", run.workspace_id);
        snprintf(e.tags.run, sizeof(e.tags.run), "%s", run.id);
        struct run_sink sink = { .done = sink_done,
                                 .save_step = sink_save,
                                 .load_state = sink_load_state,
                                 .control = sink_control,
                                 .expired = sink_expired,
                                 .ctx = &d };
        failed = run_exec(&e, t, rm, members.n, step_units, &sink, &outcome, &why);
    }
    bool ending = !d.lost_lease && !(d.stopped && !failed);
    if (ending && !failed && outcome == RUN_COMPLETED) {
        /* the report before the status: a completed run has its report */
        struct err rerr = ERR_INIT;
        if (run_report_save(s, gw, run.id, &rerr))
            LOG_WARN("runs", "run %s: its report could not be made: %s", run.id, rerr.msg);
    }
    /* the heartbeat ends before the lease is given up, so it never finds it gone */
    bool lost = d.lost_lease || run_lease_lost(heartbeat);
    run_lease_stop(heartbeat);
    if (lost) {
        /* a worker that lost its lease leaves the run to the one that has it */
        rc = lease_lost(run.id, owner, err);
    } else if (d.stopped && !failed) {
        struct store_param p[] = { STORE_TEXT(run.id), STORE_TEXT(owner) };
        struct store_conn *conn = NULL;
        rc = store_acquire(s, &conn, err);
        if (!rc) {
            rc = store_run(conn, "UPDATE runs SET lease_until = 0 WHERE id = ? AND lease_owner = ?",
                           p, 2, NULL, err);
            store_release(s, conn);
        }
    } else {
        rc = finish(s, &run, owner, outcome, failed, why.msg, err);
    }
    for (size_t i = 0; personas && i < members.n; i++)
        persona_free(personas[i]);
    free(personas);
    free(rm);
    strlist_release(&members);
    strlist_release(&d.done);
    test_spec_free(t);
    free(run.spec);
    free(run.members);
    return rc;
}
