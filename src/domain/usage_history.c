/*
 * domain/usage_history.c - a workspace's activity per day
 * (domain/usage_history.h): three grouped counts over runs and their
 * results, folded into a row per day.
 */
#include "core/compat.h"

#include "domain/usage_history.h"

#include <time.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "store/store.h"

#define DAY_MS INT64_C(86400000)

struct day_sum {
    int64_t day, a, b;
};

static void read_sum(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct day_sum *d = item;
    d->day = store_col_int64(st, 0);
    d->a = store_col_int64(st, 1);
    d->b = store_col_int64(st, 2);
}

/* Rows of (day, a, b) from sql (workspace, since bound), folded into out by day. */
static enum err_code fold(struct store_conn *conn, const char *sql, const struct caller *c,
                          int64_t first_day, int64_t days, struct usage_day *out, int which,
                          struct err *err)
{
    struct store_param p[] = { STORE_TEXT(c->workspace_id), STORE_INT(first_day * DAY_MS) };
    void *items = NULL;
    size_t n = 0;
    enum err_code rc = store_read_rows(conn, sql, p, 2, (size_t)days + 1, sizeof(struct day_sum),
                                       read_sum, NULL, &items, &n, err);
    const struct day_sum *rows = items;
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t k = rows[i].day - first_day;
        if (k < 0 || k >= days)
            continue;
        if (which == 0) {
            out[k].tests_run = rows[i].a;
            out[k].cost_micros = rows[i].b;
        } else {
            out[k].persona_answers = rows[i].a;
        }
    }
    free(items);
    return rc;
}

enum err_code usage_history(struct store *s, const struct caller *c, int64_t days,
                            struct usage_day **out, struct err *err)
{
    *out = NULL;
    if (days < 1 || days > USAGE_HISTORY_MAX)
        return err_set(err, ERR_INVALID, "days", "days must be between 1 and %d (got %" PRId64 ")",
                       USAGE_HISTORY_MAX, days);
    int64_t today = clock_now_ms() / DAY_MS, first = today - days + 1;
    struct usage_day *d = xcalloc((size_t)days, sizeof(*d));
    for (int64_t k = 0; k < days; k++) {
        time_t t = (time_t)((first + k) * 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(d[k].date, sizeof(d[k].date), "%Y-%m-%d", &tm);
    }
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (!rc)
        rc = fold(conn,
                  "SELECT created_at / 86400000 AS day, COUNT(*), COALESCE(SUM(cost_micros), 0) "
                  "FROM runs WHERE workspace_id = ? AND created_at >= ? GROUP BY day",
                  c, first, days, d, 0, err);
    if (!rc)
        rc = fold(conn,
                  "SELECT rr.created_at / 86400000 AS day, COUNT(*), 0 FROM run_results rr "
                  "JOIN runs r ON r.id = rr.run_id WHERE r.workspace_id = ? AND "
                  "rr.created_at >= ? AND rr.error IS NULL GROUP BY day",
                  c, first, days, d, 1, err);
    if (conn)
        store_release(s, conn);
    if (rc) {
        free(d);
        return rc;
    }
    *out = d;
    return ERR_OK;
}

static void read_period(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct usage_period *p = item;
    p->start = store_col_int64(st, 0);
    p->end = store_col_int64(st, 1);
    p->tests_run = store_col_int64(st, 2);
    p->cost_micros = store_col_int64(st, 3);
    p->persona_answers = store_col_int64(st, 4);
}

enum err_code usage_period(struct store *s, const struct caller *c, struct usage_period *out,
                           struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_param p[] = { STORE_TEXT(c->workspace_id) };
    bool found = false;
    enum err_code rc = store_read_row(
        s,
        "SELECT w.current_period_start, w.current_period_end, "
        "(SELECT COUNT(*) FROM runs r WHERE r.workspace_id = w.id AND "
        "r.created_at >= w.current_period_start), "
        "(SELECT COALESCE(SUM(r.cost_micros), 0) FROM runs r WHERE r.workspace_id = w.id AND "
        "r.created_at >= w.current_period_start), "
        "(SELECT COUNT(*) FROM run_results rr JOIN runs r ON r.id = rr.run_id WHERE "
        "r.workspace_id = w.id AND rr.created_at >= w.current_period_start AND rr.error IS NULL) "
        "FROM workspaces w WHERE w.id = ?",
        p, 1, sizeof(*out), read_period, NULL, out, &found, err);
    if (!rc && !found)
        rc = err_set(err, ERR_NOT_FOUND, NULL, "the workspace no longer exists");
    return rc;
}
