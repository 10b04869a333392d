/*
 * domain/run_reports.c - a run's report and exports as the API serves them
 * (domain/run_reports.h): the run, its panel and its rows read from the
 * database, handed to domain/run_report.c, the report stored or served.
 */
#include "core/compat.h"

#include "domain/run_reports.h"

#include "core/clock.h"
#include "core/xalloc.h"
#include "domain/gate.h"
#include "domain/run_report.h"
#include "domain/runs.h"
#include "domain/test_spec.h"
#include "report/report.h"
#include "report/report_html.h"
#include "store/store.h"

#define OFFLINE_MODEL "crowdelic-offline"
#define REPORT_MAX    (64 * 1024 * 1024) /* bytes of an export */

/* What the report needs of a run, read by its id. */
struct run_row_info {
    char *id, *test_id, *workspace_id, *started_by, *status, *spec, *members, *model;
    int64_t seed, calls, cache_hits, tokens_in, tokens_out, cost_micros, started_at, finished_at;
};

static char *text_or_null(struct store_stmt *st, int col)
{
    const char *s = store_col_text(st, col);
    return s ? xstrdup(s) : NULL;
}

static void read_info(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct run_row_info *r = item;
    r->id = text_or_null(st, 0);
    r->test_id = text_or_null(st, 1);
    r->workspace_id = text_or_null(st, 2);
    r->started_by = text_or_null(st, 3);
    r->status = text_or_null(st, 4);
    r->spec = text_or_null(st, 5);
    r->members = text_or_null(st, 6);
    r->model = text_or_null(st, 7);
    r->seed = store_col_int64(st, 8);
    r->calls = store_col_int64(st, 9);
    r->cache_hits = store_col_int64(st, 10);
    r->tokens_in = store_col_int64(st, 11);
    r->tokens_out = store_col_int64(st, 12);
    r->cost_micros = store_col_int64(st, 13);
    r->started_at = store_col_int64(st, 14);
    r->finished_at = store_col_int64(st, 15);
}

static void info_release(struct run_row_info *r)
{
    free(r->id);
    free(r->test_id);
    free(r->workspace_id);
    free(r->started_by);
    free(r->status);
    free(r->spec);
    free(r->members);
    free(r->model);
}

/* The run (by id: the caller has checked who may see it) and its rows. */
static enum err_code load_run(struct store *s, const char *run_id, struct run_row_info *info,
                              struct run_rows *rows, struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_TEXT(run_id) };
    void *items = NULL;
    size_t n = 0;
    rc = store_read_rows(conn,
                         "SELECT id, test_id, workspace_id, started_by, status, spec, members, "
                         "model, seed, calls, cache_hits, tokens_in, tokens_out, cost_micros, "
                         "COALESCE(started_at, 0), COALESCE(finished_at, 0) FROM runs WHERE id = ?",
                         p, 1, 1, sizeof(*info), read_info, NULL, &items, &n, err);
    if (!rc && n == 1)
        *info = *(struct run_row_info *)items;
    free(items);
    if (!rc && n == 0)
        rc = err_set(err, ERR_NOT_FOUND, NULL, "no run '%s'", run_id);
    if (!rc) {
        items = NULL;
        rc = store_read_rows(conn,
                             "SELECT " RUN_ROW_COLUMNS " FROM run_results WHERE run_id = ? "
                             "ORDER BY member_id, scenario_key, sample",
                             p, 1, SIZE_MAX / sizeof(struct run_row) / 2, sizeof(struct run_row),
                             run_row_read, NULL, &items, &rows->n, err);
        rows->rows = items;
        rows->alloc = rows->n;
    }
    store_release(s, conn);
    return rc;
}

static void read_text(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    *(char **)item = text_or_null(st, 0);
}

/* The data of the run's "said" events, in order, as lines. */
static enum err_code load_lines(struct store *s, const char *run_id, struct run_lines *out,
                                struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_TEXT(run_id) };
    void *items = NULL;
    size_t n = 0;
    rc = store_read_rows(conn,
                         "SELECT data FROM run_events WHERE run_id = ? AND type = 'said' ORDER BY "
                         "seq",
                         p, 1, SIZE_MAX / sizeof(char *) / 2, sizeof(char *), read_text, NULL,
                         &items, &n, err);
    store_release(s, conn);
    char **data = items;
    if (!rc)
        rc = run_lines_from_events((const char *const *)data, n, out, err);
    for (size_t i = 0; i < n; i++)
        free(data[i]);
    free(data);
    return rc;
}

/* Everything a report is made of, loaded. */
struct loaded {
    struct run_row_info info;
    struct run_rows rows;
    struct run_lines lines; /* a focus group's discussion */
    struct test_spec *spec;
    struct strlist ids;
    struct persona **personas;
    struct run_member *members;
};

static void loaded_release(struct loaded *l)
{
    for (size_t i = 0; l->personas && i < l->ids.n; i++)
        persona_free(l->personas[i]);
    free(l->personas);
    free(l->members);
    strlist_release(&l->ids);
    test_spec_free(l->spec);
    run_rows_release(&l->rows);
    run_lines_release(&l->lines);
    info_release(&l->info);
}

/* The run with its spec and panel, as c (who started it, or who asks) sees it. */
static enum err_code load(struct store *s, const struct caller *c, const char *run_id,
                          struct loaded *l, struct err *err)
{
    enum err_code rc = load_run(s, run_id, &l->info, &l->rows, err);
    if (!rc)
        rc = test_spec_parse(l->info.spec, strlen(l->info.spec), &l->spec, err);
    if (rc)
        return rc;
    if (l->spec->type == TEST_FOCUS_GROUP)
        rc = load_lines(s, run_id, &l->lines, err);
    if (rc)
        return rc;
    if (l->info.members)
        strlist_split_lines(l->info.members, &l->ids);
    l->personas = xcalloc(l->ids.n ? l->ids.n : 1, sizeof(*l->personas));
    l->members = xcalloc(l->ids.n ? l->ids.n : 1, sizeof(*l->members));
    /* a persona deleted since is a respondent without demographics */
    for (size_t i = 0; i < l->ids.n; i++) {
        struct strlist one = { .items = &l->ids.items[i], .n = 1, .alloc = 1 };
        struct err why = ERR_INIT;
        if (run_members_load(s, c, &one, &l->personas[i], &why))
            l->personas[i] = NULL;
        l->members[i] = (struct run_member){ l->ids.items[i], l->personas[i] };
    }
    return ERR_OK;
}

static struct run_facts facts_of(const struct run_row_info *r)
{
    return (struct run_facts){ .run_id = r->id,
                               .status = r->status,
                               .model = r->model,
                               .offline = r->model && strcmp(r->model, OFFLINE_MODEL) == 0,
                               .seed = (uint64_t)r->seed,
                               .calls = r->calls,
                               .cache_hits = r->cache_hits,
                               .tokens_in = r->tokens_in,
                               .tokens_out = r->tokens_out,
                               .cost_micros = r->cost_micros,
                               .started_at_ms = r->started_at,
                               .finished_at_ms = r->finished_at };
}

/* One text column of the first row of sql with run_id bound (NULL in *out when none). */
static enum err_code query_text(struct store *s, const char *sql, const char *run_id, char **out,
                                struct err *err)
{
    struct store_param p[] = { STORE_TEXT(run_id) };
    return store_read_row(s, sql, p, 1, sizeof(*out), read_text, NULL, out, NULL, err);
}

enum err_code run_report_save(struct store *s, struct llm_gateway *gw, const char *run_id,
                              struct err *err)
{
    struct loaded l = { 0 };
    struct caller c;
    char *started_by = NULL;
    enum err_code rc =
        query_text(s, "SELECT started_by FROM runs WHERE id = ?", run_id, &started_by, err);
    if (!rc && !started_by)
        rc = err_set(err, ERR_NOT_FOUND, NULL, "no run '%s'", run_id);
    if (!rc)
        rc = caller_load(s, started_by, &c, err);
    free(started_by);
    if (!rc)
        rc = load(s, &c, run_id, &l, err);
    char *report = NULL;
    if (!rc) {
        struct engine e = { .gw = gw, .model = l.spec->model_name, .seed = (uint64_t)l.info.seed };
        snprintf(e.tags.workspace, sizeof(e.tags.workspace), "%s", l.info.workspace_id);
        snprintf(e.tags.run, sizeof(e.tags.run), "%s", l.info.id);
        struct run_facts f = facts_of(&l.info);
        f.status = "completed"; /* made as the run completes, stored as it will stay */
        f.finished_at_ms = clock_now_ms();
        rc = run_report_make(gw ? &e : NULL, l.info.test_id, l.spec, l.members, l.ids.n, &l.rows,
                             &l.lines, &f, true, NULL, &report, err);
    }
    if (!rc) {
        struct store_conn *conn = NULL;
        rc = store_acquire(s, &conn, err);
        if (!rc) {
            struct store_param p[] = { STORE_TEXT(run_id), STORE_TEXT(report),
                                       STORE_INT(clock_now_ms()) };
            rc = store_run(conn,
                           "INSERT INTO run_reports (run_id, report, created_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (run_id) DO UPDATE SET report = excluded.report, "
                           "created_at = excluded.created_at",
                           p, 3, NULL, err);
            store_release(s, conn);
        }
    }
    free(report);
    loaded_release(&l);
    return rc;
}

/* The report of the run (stored, or made now without the model), segments as c's plan allows. */
static enum err_code report_of(struct store *s, const struct caller *c, const char *run_id,
                               const struct loaded *l, char **out, struct err *err)
{
    char *report = NULL;
    enum err_code rc =
        query_text(s, "SELECT report FROM run_reports WHERE run_id = ?", run_id, &report, err);
    if (!rc && !report) {
        struct run_facts f = facts_of(&l->info);
        rc = run_report_make(NULL, l->info.test_id, l->spec, l->members, l->ids.n, &l->rows,
                             &l->lines, &f, true, NULL, &report, err);
    }
    if (rc)
        return rc;
    struct err no = ERR_INIT;
    if (gate_feature(c, FEATURE_ADVANCED_ANALYTICS, &no)) {
        *out = run_report_lock_segments(report);
        free(report);
    } else {
        *out = report;
    }
    return ERR_OK;
}

enum err_code run_report_get(struct store *s, const struct caller *c, const char *test_id,
                             const char *run_id, char **out, struct err *err)
{
    *out = NULL;
    struct run_record r = { 0 };
    enum err_code rc = run_get(s, c, test_id, run_id, &r, err);
    struct loaded l = { 0 };
    if (!rc)
        rc = load(s, c, r.id, &l, err);
    if (!rc)
        rc = report_of(s, c, r.id, &l, out, err);
    loaded_release(&l);
    run_record_release(&r);
    return rc;
}

enum err_code run_segment_members(struct store *s, const struct caller *c, const char *run_id,
                                  const char *segment, struct strlist *ids, struct err *err)
{
    const char *colon = strchr(segment, ':');
    char dimension[32], value[256], probe[8];
    struct report_member none = { 0 };
    if (!colon || (size_t)(colon - segment) >= sizeof(dimension))
        return err_set(err, ERR_INVALID, "segment",
                       "segment must be <dimension>:<value>, e.g. age_band:25-34 (got '%.40s')",
                       segment);
    snprintf(dimension, sizeof(dimension), "%.*s", (int)(colon - segment), segment);
    if (!report_segment_of(&none, dimension, probe, sizeof(probe)))
        return err_set(err, ERR_INVALID, "segment",
                       "segment: '%s' is not age_band, gender, income, country or "
                       "occupation_group",
                       dimension);
    struct loaded l = { 0 };
    enum err_code rc = load(s, c, run_id, &l, err);
    for (size_t m = 0; !rc && m < l.ids.n; m++) {
        struct report_member rm;
        run_report_member(&l.members[m], &rm);
        report_segment_of(&rm, dimension, value, sizeof(value));
        if (strcasecmp(value, colon + 1) == 0)
            strlist_add(ids, l.ids.items[m]);
    }
    loaded_release(&l);
    return rc;
}

int export_format_parse(const char *name)
{
    static const char *const names[] = { "json", "csv", "html" };
    for (size_t i = 0; name && i < ARRAY_SIZE(names); i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

/* {"report": ..., "results": [...]}: the report and every row. */
static void json_export(const char *report, const struct run_rows *rows, struct buf *out)
{
    buf_adds(out, "{\"report\":");
    buf_adds(out, report);
    buf_adds(out, ",\"results\":[");
    for (size_t i = 0; i < rows->n; i++) {
        const struct run_row *r = &rows->rows[i];
        buf_adds(out, i ? ",{\"persona_id\":" : "{\"persona_id\":");
        buf_add_json_string(out, r->member_id);
        buf_adds(out, ",\"scenario\":");
        buf_add_json_string(out, r->key);
        buf_addf(out, ",\"sample\":%d,\"answers\":%s,\"thought\":", r->sample,
                 r->answers ? r->answers : "{}");
        buf_add_json_string(out, r->thought);
        buf_adds(out, ",\"talk\":");
        buf_add_json_string(out, r->talk);
        buf_addf(out, ",\"abandoned\":%s,\"reason\":", r->abandoned ? "true" : "false");
        buf_add_json_string(out, r->reason);
        buf_adds(out, ",\"error\":");
        buf_add_json_string(out, r->error);
        buf_adds(out, ",\"model\":");
        buf_add_json_string(out, r->model);
        buf_addch(out, '}');
    }
    buf_adds(out, "]}");
}

enum err_code run_export(struct store *s, const struct caller *c, const char *test_id,
                         const char *run_id, enum export_format f, struct buf *out,
                         char filename[128], struct err *err)
{
    struct run_record r = { 0 };
    enum err_code rc = run_get(s, c, test_id, run_id, &r, err); /* another's run: 404 first */
    if (!rc)
        rc = gate_feature(c, FEATURE_ADVANCED_ANALYTICS, err);
    struct loaded l = { 0 };
    char *report = NULL;
    if (!rc)
        rc = load(s, c, r.id, &l, err);
    static const char *const ext[] = { "json", "csv", "html" };
    if (!rc)
        snprintf(filename, 128, "crowdelic-run-%s.%s", r.id, ext[f]);
    if (!rc && f != EXPORT_CSV)
        rc = report_of(s, c, r.id, &l, &report, err);
    if (!rc) {
        switch (f) {
        case EXPORT_JSON:
            json_export(report, &l.rows, out);
            break;
        case EXPORT_CSV:
            rc = run_rows_csv(r.id, l.spec, l.members, l.ids.n, &l.rows, out, err);
            break;
        case EXPORT_HTML:
        default:
            rc = report_html(report, strlen(report), out, err);
            break;
        }
    }
    if (!rc && out->failed)
        rc =
            err_set(err, ERR_TOO_LARGE, NULL, "the export is larger than %d MiB", REPORT_MAX >> 20);
    free(report);
    loaded_release(&l);
    run_record_release(&r);
    return rc;
}
