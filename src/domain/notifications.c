/*
 * domain/notifications.c - notifications: recorded (with their webhook
 * queued) inside the caller's transaction, listed, marked read (see
 * notifications.h). Every statement binds a workspace id: a row of another
 * workspace never matches.
 *
 * A webhook's body is made here, once, when the notification is recorded:
 * the outbox row holds the exact bytes that are signed and sent, so a
 * retry sends the same document.
 */
#include "core/compat.h"

#include "domain/notifications.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/span.h"
#include "core/xalloc.h"
#include "domain/accounts.h"
#include "domain/check.h"
#include "store/store.h"

#define NOTIFICATION_COLUMNS "id, kind, message, data, read_at, created_at"
#define COUNT_UNREAD         "SELECT COUNT(*) FROM notifications WHERE workspace_id = ? AND read_at IS NULL"

/* The largest webhook body: the data, the message (escaped: up to 6 bytes a byte) and ids. */
#define WEBHOOK_BODY_MAX (NOTIFY_DATA_MAX + NOTIFY_MESSAGE_MAX * 4 * 6 + 1024)

void notification_release(struct notification *n)
{
    free(n->kind);
    free(n->message);
    free(n->data_json);
    memset(n, 0, sizeof(*n));
}

void notification_page_release(struct notification_page *pg)
{
    for (size_t i = 0; i < pg->n; i++)
        notification_release(&pg->items[i]);
    free(pg->items);
    memset(pg, 0, sizeof(*pg));
}

/* ---- notify ------------------------------------------------------------------------------ */

/* Is kind 1..NOTIFY_KIND_MAX bytes of a-z, 0-9 and _? */
static bool kind_ok(const char *kind)
{
    size_t len = kind ? strlen(kind) : 0;
    if (len == 0 || len > NOTIFY_KIND_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((kind[i] >= 'a' && kind[i] <= 'z') || (kind[i] >= '0' && kind[i] <= '9') ||
              kind[i] == '_'))
            return false;
    return true;
}

static enum err_code check_notice(const char *kind, const char *message, const char *data_json,
                                  const char *dedupe_key, struct err *err)
{
    struct span ignored;
    if (!kind_ok(kind))
        return err_set(err, ERR_INVALID, "kind", "notify: kind '%.64s' is not 1..%d of a-z, 0-9, _",
                       kind ? kind : "", NOTIFY_KIND_MAX);
    enum err_code rc = check_text("message", message ? message : "", 1, NOTIFY_MESSAGE_MAX,
                                  TEXT_LINE, &ignored, err);
    if (rc)
        return rc;
    if (data_json && (strlen(data_json) > NOTIFY_DATA_MAX || data_json[0] != '{'))
        return err_set(err, ERR_INVALID, "data",
                       "notify: data must be a JSON object of at most "
                       "%d bytes",
                       NOTIFY_DATA_MAX);
    if (dedupe_key && (!dedupe_key[0] || strlen(dedupe_key) > NOTIFY_DEDUPE_MAX))
        return err_set(err, ERR_INVALID, "dedupe_key", "notify: a dedupe key is 1..%d bytes",
                       NOTIFY_DEDUPE_MAX);
    return ERR_OK;
}

/*
 * The webhook's JSON body (malloc'd): {id, event, workspace_id, message,
 * data, created_at}. data is our own JSON object text, put in as it is.
 */
static char *webhook_body(const char *id, const char *workspace_id, const char *kind,
                          const char *message, const char *data, int64_t created_at)
{
    char iso[CLOCK_ISO8601_LEN];
    clock_iso8601(created_at, iso);
    struct buf b;
    buf_init(&b, WEBHOOK_BODY_MAX);
    buf_adds(&b, "{\"id\":");
    buf_add_json_string(&b, id);
    buf_adds(&b, ",\"event\":");
    buf_add_json_string(&b, kind);
    buf_adds(&b, ",\"workspace_id\":");
    buf_add_json_string(&b, workspace_id);
    buf_adds(&b, ",\"message\":");
    buf_add_json_string(&b, message);
    buf_adds(&b, ",\"data\":");
    buf_adds(&b, data);
    buf_adds(&b, ",\"created_at\":");
    buf_add_json_string(&b, iso);
    buf_addch(&b, '}');
    if (NEVER(b.failed)) /* the inputs were checked against the sizes the maximum allows */
        buf_reset(&b);
    return buf_detach(&b, NULL);
}

/* Queues the webhook of notification id when workspace_id has one. */
static enum err_code queue_webhook(struct store_conn *conn, const char *id,
                                   const char *workspace_id, const char *kind, const char *message,
                                   const char *data, int64_t now, struct err *err)
{
    struct store_stmt *st = NULL;
    struct store_param ws[] = { STORE_TEXT(workspace_id) };
    enum err_code rc = store_prepare_params(conn, "SELECT url FROM webhooks WHERE workspace_id = ?",
                                            ws, 1, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    char *url = row ? xstrdup_or_null(store_col_text(st, 0)) : NULL;
    store_finalize(st);
    if (rc || !url) {
        free(url);
        return rc;
    }
    char delivery[IDS_UUID_LEN];
    ids_uuid7(delivery);
    char *body = webhook_body(id, workspace_id, kind, message, data, now);
    struct store_param p[] = { STORE_TEXT(delivery), STORE_TEXT(workspace_id),
                               STORE_TEXT(id),       STORE_TEXT(kind),
                               STORE_TEXT(url),      STORE_TEXT(body),
                               STORE_INT(now),       STORE_INT(now) };
    rc = store_run(conn,
                   "INSERT INTO webhook_outbox (id, workspace_id, notification_id, event, url, "
                   "body, attempts, next_attempt_at, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                   p, ARRAY_SIZE(p), NULL, err);
    free(body);
    free(url);
    return rc;
}

enum err_code notify(struct store_conn *conn, const char *workspace_id, const char *kind,
                     const char *message, const char *data_json, const char *dedupe_key,
                     struct err *err)
{
    enum err_code rc = check_notice(kind, message, data_json, dedupe_key, err);
    if (rc)
        return rc;
    const char *data = data_json ? data_json : "{}";
    char id[IDS_UUID_LEN];
    ids_uuid7(id);
    int64_t now = clock_now_ms();
    int64_t inserted = 0;
    /*
     * ON CONFLICT DO NOTHING (SQLite 3.24+, PostgreSQL 9.5+): a repeated key
     * inserts nothing and raises nothing, so the caller's transaction goes on
     * even where two writers race (PostgreSQL); a NULL key never conflicts.
     */
    struct store_param p[] = { STORE_TEXT(id),   STORE_TEXT(workspace_id),
                               STORE_TEXT(kind), STORE_TEXT(message),
                               STORE_TEXT(data), STORE_TEXT(dedupe_key),
                               STORE_INT(now) };
    rc = store_run(conn,
                   "INSERT INTO notifications (id, workspace_id, kind, message, data, dedupe_key, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (workspace_id, dedupe_key) DO NOTHING",
                   p, ARRAY_SIZE(p), &inserted, err);
    if (rc || inserted == 0)
        return rc;
    return queue_webhook(conn, id, workspace_id, kind, message, data, now, err);
}

enum err_code notify_limit_approaching(struct store_conn *conn, const char *workspace_id,
                                       const char *plan_name, const char *limit_name, int64_t used,
                                       int64_t limit, struct err *err)
{
    /* SPEC.md 5: approaching at 80 % (the same rule as GET /api/usage's approaching_limit) */
    if (limit <= 0 || used * 10 < limit * 8)
        return ERR_OK;
    int64_t period_start = 0;
    struct store_param ws[] = { STORE_TEXT(workspace_id) };
    enum err_code rc =
        store_query_int(conn, "SELECT current_period_start FROM workspaces WHERE id = ?", ws, 1,
                        &period_start, err);
    if (rc)
        return rc;
    int64_t percent = used * 100 / limit;
    char key[NOTIFY_DEDUPE_MAX + 1], message[256], iso[CLOCK_ISO8601_LEN];
    snprintf(key, sizeof(key), "limit:%s:%" PRId64, limit_name, period_start);
    snprintf(message, sizeof(message),
             "%s: the workspace uses %" PRId64 " of the %" PRId64 " its %s plan allows (%" PRId64
             " %%)",
             limit_name, used, limit, plan_name, percent);
    clock_iso8601(period_start, iso);
    struct buf data;
    buf_init(&data, 1024);
    buf_adds(&data, "{\"limit\":");
    buf_add_json_string(&data, limit_name);
    buf_addf(&data, ",\"used\":%" PRId64 ",\"allowed\":%" PRId64 ",\"percent\":%" PRId64, used,
             limit, percent);
    buf_adds(&data, ",\"plan\":");
    buf_add_json_string(&data, plan_name);
    buf_adds(&data, ",\"period_start\":");
    buf_add_json_string(&data, iso);
    buf_addch(&data, '}');
    rc = notify(conn, workspace_id, "limit_approaching", message, data.data, key, err);
    buf_release(&data);
    return rc;
}

/* ---- rows -------------------------------------------------------------------------------- */

/* Copies the current row (NOTIFICATION_COLUMNS from column 0) into item. */
static void read_notification(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct notification *n = item;
    snprintf(n->id, sizeof(n->id), "%s", store_col_text(st, 0));
    n->kind = xstrdup(store_col_text(st, 1) ? store_col_text(st, 1) : "");
    n->message = xstrdup(store_col_text(st, 2) ? store_col_text(st, 2) : "");
    n->data_json = xstrdup(store_col_text(st, 3) ? store_col_text(st, 3) : "{}");
    n->read_at = store_col_is_null(st, 4) ? 0 : store_col_int64(st, 4);
    n->created_at = store_col_int64(st, 5);
}

/* Copies the integer in column 0 into item (an int64_t). */
static void read_int(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    *(int64_t *)item = store_col_int64(st, 0);
}

static enum err_code not_found(const char *id, struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "id", "no notification '%s'", id);
}

/* Runs one statement on a connection of its own, committed alone; *changes the rows changed. */
static enum err_code run_alone(struct store *s, const char *sql, const struct store_param *params,
                               size_t n, int64_t *changes, struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (!rc)
        rc = store_run(conn, sql, params, n, changes, err);
    store_release(s, conn);
    return rc;
}

/* ---- list, mark read --------------------------------------------------------------------- */

enum err_code notification_list(struct store *s, const struct caller *c, bool unread_only,
                                int64_t limit, int64_t offset, struct notification_page *out,
                                struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_page(limit, offset, NOTIFICATION_PAGE_MAX, err);
    if (rc)
        return rc;
    out->limit = limit;
    out->offset = offset;
    struct store_param ws[] = { STORE_TEXT(c->workspace_id) };
    struct store_page_query q = {
        .count_sql = unread_only ? COUNT_UNREAD
                                 : "SELECT COUNT(*) FROM notifications WHERE workspace_id = ?",
        .page_sql = unread_only
                        ? "SELECT " NOTIFICATION_COLUMNS " FROM notifications WHERE "
                          "workspace_id = ? AND read_at IS NULL "
                          "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
                        : "SELECT " NOTIFICATION_COLUMNS " FROM notifications WHERE "
                          "workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
        .params = ws,
        .n = 1,
        .limit = limit,
        .offset = offset,
        .item_size = sizeof(*out->items),
        .read = read_notification,
    };
    void *items = NULL;
    rc = store_read_page(s, &q, &items, &out->n, &out->total, err);
    out->items = items;
    out->unread = out->total;
    if (!rc && !unread_only)
        rc = store_read_row(s, COUNT_UNREAD, ws, 1, sizeof(out->unread), read_int, NULL,
                            &out->unread, NULL, err);
    if (rc)
        notification_page_release(out);
    return rc;
}

enum err_code notification_mark_read(struct store *s, const struct caller *c, const char *id,
                                     struct notification *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_id(id, "notification", err);
    /*
     * COALESCE keeps the first time; the row still counts as matched. The
     * update commits alone: it is idempotent and nothing else changes or
     * deletes a notification, so the row read next is the one it left.
     */
    int64_t changed = 0;
    struct store_param p[] = { STORE_INT(clock_now_ms()), STORE_TEXT(id),
                               STORE_TEXT(c->workspace_id) };
    if (!rc)
        rc = run_alone(s,
                       "UPDATE notifications SET read_at = COALESCE(read_at, ?) "
                       "WHERE id = ? AND workspace_id = ?",
                       p, ARRAY_SIZE(p), &changed, err);
    bool found = false;
    if (!rc && changed)
        rc = store_read_row(s,
                            "SELECT " NOTIFICATION_COLUMNS " FROM notifications "
                            "WHERE id = ? AND workspace_id = ?",
                            p + 1, 2, sizeof(*out), read_notification, NULL, out, &found, err);
    if (!rc && !found)
        rc = not_found(id, err);
    return rc;
}

enum err_code notification_mark_all_read(struct store *s, const struct caller *c, int64_t *marked,
                                         struct err *err)
{
    *marked = 0;
    struct store_param p[] = { STORE_INT(clock_now_ms()), STORE_TEXT(c->workspace_id) };
    return run_alone(s,
                     "UPDATE notifications SET read_at = ? WHERE workspace_id = ? AND read_at IS "
                     "NULL",
                     p, ARRAY_SIZE(p), marked, err);
}
