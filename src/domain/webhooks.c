/*
 * domain/webhooks.c - a workspace's webhook settings, and the delivery of
 * the outbox (see webhooks.h). Every settings query binds the caller's
 * workspace; the delivery worker reads any workspace's rows (it acts for
 * all of them) and signs each with that row's workspace's secret.
 *
 * A delivery's life: queued by notify (attempts 0, due now) -> claimed
 * (attempts + 1, next_attempt_at = now + timeout + margin, committed) ->
 * POST without any database connection held -> recorded (delivered, due
 * again after the backoff, or failed). A crash between claim and record
 * leaves it due once the claim's time has passed.
 */
#include "core/compat.h"

#include "domain/webhooks.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "domain/accounts.h"
#include "domain/gate.h"
#include "llm/backoff.h"
#include "llm/http_post.h"
#include "store/store.h"

/* A claim lasts the timeout and this much more, then a dead worker's delivery is due again. */
#define CLAIM_MARGIN_MS 30000
#define PRUNE_BATCH     1000    /* deliveries deleted a statement */
#define PRUNE_EVERY_MS  3600000 /* the outbox pruned once an hour */

#define DELIVERY_COLUMNS                                                               \
    "id, notification_id, event, attempts, last_status, last_error, next_attempt_at, " \
    "delivered_at, failed_at, created_at"

static const char *const STATE_NAMES[] = { "pending", "delivered", "failed" };

const char *webhook_delivery_state_name(enum webhook_delivery_state s)
{
    return (unsigned)s < ARRAY_SIZE(STATE_NAMES) ? STATE_NAMES[s] : "pending";
}

void webhook_view_release(struct webhook_view *v)
{
    free(v->url);
    for (size_t i = 0; i < v->n_deliveries; i++)
        free(v->deliveries[i].last_error);
    free(v->deliveries);
    memset(v, 0, sizeof(*v));
}

/* ---- the URL ----------------------------------------------------------------------------- */

enum err_code webhook_url_check(const char *url, struct err *err)
{
    size_t len = url ? strlen(url) : 0;
    if (len == 0 || len > WEBHOOK_URL_MAX)
        return err_set(err, ERR_INVALID, "url", "url: must be 1..%d characters", WEBHOOK_URL_MAX);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f)
            return err_set(err, ERR_INVALID, "url",
                           "url: only printable ASCII without spaces (percent-encode the rest)");
    size_t skip;
    if (strncasecmp(url, "https://", 8) == 0)
        skip = 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        skip = 7;
    else
        return err_set(err, ERR_INVALID, "url", "url: must start with https:// or http://");
    const char *host = url + skip;
    size_t auth_len = strcspn(host, "/?#");
    if (memchr(host, '@', auth_len))
        return err_set(err, ERR_INVALID, "url",
                       "url: must not hold a user name or password (the signature authenticates)");
    const char *port = NULL;
    size_t host_len = auth_len;
    if (auth_len && host[0] == '[') { /* an IPv6 literal */
        const char *close = memchr(host, ']', auth_len);
        if (!close || close == host + 1)
            return err_set(err, ERR_INVALID, "url", "url: a bad IPv6 address");
        host_len = (size_t)(close - host) + 1;
        if (host_len < auth_len && host[host_len] != ':')
            return err_set(err, ERR_INVALID, "url", "url: a bad IPv6 address");
        if (host_len < auth_len)
            port = host + host_len + 1;
    } else {
        const char *colon = memchr(host, ':', auth_len);
        if (colon) {
            host_len = (size_t)(colon - host);
            port = colon + 1;
        }
    }
    if (host_len == 0)
        return err_set(err, ERR_INVALID, "url", "url: has no host");
    if (port) {
        size_t port_len = (size_t)(host + auth_len - port);
        int64_t n = 0;
        bool digits = port_len > 0 && port_len <= 5;
        for (size_t i = 0; digits && i < port_len; i++) {
            digits = port[i] >= '0' && port[i] <= '9';
            n = n * 10 + (port[i] - '0');
        }
        if (!digits || n < 1 || n > 65535)
            return err_set(err, ERR_INVALID, "url", "url: the port must be 1..65535");
    }
    return ERR_OK;
}

/* ---- settings ---------------------------------------------------------------------------- */

static void read_delivery(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct webhook_delivery *d = item;
    snprintf(d->id, sizeof(d->id), "%s", store_col_text(st, 0));
    snprintf(d->notification_id, sizeof(d->notification_id), "%s", store_col_text(st, 1));
    snprintf(d->event, sizeof(d->event), "%s", store_col_text(st, 2));
    d->attempts = store_col_int64(st, 3);
    d->last_status = store_col_is_null(st, 4) ? 0 : store_col_int64(st, 4);
    d->last_error = xstrdup_or_null(store_col_text(st, 5));
    d->next_attempt_at = store_col_int64(st, 6);
    d->delivered_at = store_col_is_null(st, 7) ? 0 : store_col_int64(st, 7);
    d->failed_at = store_col_is_null(st, 8) ? 0 : store_col_int64(st, 8);
    d->created_at = store_col_int64(st, 9);
    d->state = d->delivered_at ? WEBHOOK_DELIVERED
               : d->failed_at  ? WEBHOOK_FAILED
                               : WEBHOOK_PENDING;
}

/* One step of the settings for caller c on conn, inside in_settings's transaction. */
typedef enum err_code settings_fn(struct store_conn *conn, const struct caller *c, void *ctx,
                                  struct err *err);

/*
 * Runs fn(c, ctx) in one transaction (a write one when write) on a
 * connection of its own: committed when fn succeeds, rolled back otherwise.
 * Returns the first error.
 */
static enum err_code in_settings(struct store *s, const struct caller *c, bool write,
                                 settings_fn *fn, void *ctx, struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = write ? store_begin_write(conn, err) : store_begin(conn, err);
    if (!rc)
        rc = fn(conn, c, ctx, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    return rc;
}

/* Reads the webhook of c's workspace and its recent deliveries into out (a webhook_view). */
static enum err_code read_view(struct store_conn *conn, const struct caller *c, void *out,
                               struct err *err)
{
    struct webhook_view *v = out;
    memset(v, 0, sizeof(*v));
    struct store_stmt *st = NULL;
    struct store_param ws[] = { STORE_TEXT(c->workspace_id) };
    enum err_code rc = store_prepare_params(
        conn, "SELECT url, created_at, updated_at FROM webhooks WHERE workspace_id = ?", ws, 1, &st,
        err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && row) {
        v->set = true;
        v->url = xstrdup_or_null(store_col_text(st, 0));
        v->created_at = store_col_int64(st, 1);
        v->updated_at = store_col_int64(st, 2);
    }
    store_finalize(st);
    void *items = NULL;
    if (!rc)
        rc = store_read_rows(conn,
                             "SELECT " DELIVERY_COLUMNS " FROM webhook_outbox WHERE "
                             "workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                             (struct store_param[]){ STORE_TEXT(c->workspace_id),
                                                     STORE_INT(WEBHOOK_DELIVERIES_SHOWN) },
                             2, WEBHOOK_DELIVERIES_SHOWN, sizeof(struct webhook_delivery),
                             read_delivery, NULL, &items, &v->n_deliveries, err);
    v->deliveries = items;
    if (rc)
        webhook_view_release(v);
    return rc;
}

/* What webhook_set stores, for save_webhook. */
struct setting {
    const char *url;
    const char *made; /* a new secret, stored unless one is kept */
    bool rotate;      /* store made even where a secret is */
    int64_t now;
    bool new_secret;           /* out: made was stored */
    struct webhook_view *view; /* out: the view after */
};

/* Stores the setting ctx for c's workspace and moves what is still to be sent to its URL. */
static enum err_code save_webhook(struct store_conn *conn, const struct caller *c, void *ctx,
                                  struct err *err)
{
    struct setting *set = ctx;
    int64_t exists = 0;
    struct store_param ws[] = { STORE_TEXT(c->workspace_id) };
    enum err_code rc = store_query_int(conn, "SELECT COUNT(*) FROM webhooks WHERE workspace_id = ?",
                                       ws, 1, &exists, err);
    set->new_secret = !exists || set->rotate;
    if (!rc && !exists) {
        struct store_param p[] = { STORE_TEXT(c->workspace_id), STORE_TEXT(set->url),
                                   STORE_TEXT(set->made), STORE_INT(set->now),
                                   STORE_INT(set->now) };
        rc = store_run(conn,
                       "INSERT INTO webhooks (workspace_id, url, secret, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?)",
                       p, ARRAY_SIZE(p), NULL, err);
    } else if (!rc) {
        /* a NULL secret keeps the one there is */
        struct store_param p[] = { STORE_TEXT(set->url),
                                   STORE_TEXT(set->new_secret ? set->made : NULL),
                                   STORE_INT(set->now), STORE_TEXT(c->workspace_id) };
        rc = store_run(conn,
                       "UPDATE webhooks SET url = ?, secret = COALESCE(?, secret), updated_at = ? "
                       "WHERE workspace_id = ?",
                       p, ARRAY_SIZE(p), NULL, err);
    }
    /* what is still to be sent goes to the new address */
    struct store_param moved[] = { STORE_TEXT(set->url), STORE_TEXT(c->workspace_id) };
    if (!rc)
        rc = store_run(conn,
                       "UPDATE webhook_outbox SET url = ? WHERE workspace_id = ? AND "
                       "delivered_at IS NULL AND failed_at IS NULL",
                       moved, 2, NULL, err);
    if (!rc)
        rc = read_view(conn, c, set->view, err);
    return rc;
}

enum err_code webhook_set(struct store *s, const struct caller *c, const char *url,
                          bool rotate_secret, struct webhook_view *out,
                          char secret[WEBHOOK_SECRET_LEN], struct err *err)
{
    memset(out, 0, sizeof(*out));
    secret[0] = '\0';
    enum err_code rc = gate_admin(c, err);
    if (!rc)
        rc = webhook_url_check(url, err);
    if (rc)
        return rc;
    char made[WEBHOOK_SECRET_LEN];
    memcpy(made, WEBHOOK_SECRET_PREFIX, sizeof(WEBHOOK_SECRET_PREFIX) - 1);
    ids_random_hex(made + sizeof(WEBHOOK_SECRET_PREFIX) - 1, WEBHOOK_SECRET_BYTES);
    struct setting set = {
        .url = url, .made = made, .rotate = rotate_secret, .now = clock_now_ms(), .view = out
    };
    rc = in_settings(s, c, true, save_webhook, &set, err);
    if (rc) {
        webhook_view_release(out);
    } else {
        if (set.new_secret)
            memcpy(secret, made, WEBHOOK_SECRET_LEN);
        LOG_KV(LOG_LEVEL_INFO, "webhooks", "webhook set", LOG_STR("workspace", c->workspace_id),
               LOG_STR("user", c->user_id), LOG_INT("new_secret", set.new_secret));
    }
    memset(made, 0, sizeof(made));
    return rc;
}

enum err_code webhook_get(struct store *s, const struct caller *c, struct webhook_view *out,
                          struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = gate_admin(c, err);
    /* one read transaction: the webhook and its deliveries as of one moment */
    if (!rc)
        rc = in_settings(s, c, false, read_view, out, err);
    if (rc)
        webhook_view_release(out);
    return rc;
}

/* Removes c's webhook (ERR_NOT_FOUND when none is set) and fails what it had still to send. */
static enum err_code remove_webhook(struct store_conn *conn, const struct caller *c, void *ctx,
                                    struct err *err)
{
    (void)ctx;
    int64_t removed = 0;
    struct store_param ws[] = { STORE_TEXT(c->workspace_id) };
    enum err_code rc =
        store_run(conn, "DELETE FROM webhooks WHERE workspace_id = ?", ws, 1, &removed, err);
    if (!rc && removed == 0)
        rc = err_set(err, ERR_NOT_FOUND, NULL, "no webhook is set");
    struct store_param failed[] = { STORE_INT(clock_now_ms()), STORE_TEXT(c->workspace_id) };
    if (!rc)
        rc = store_run(conn,
                       "UPDATE webhook_outbox SET failed_at = ?, last_error = 'webhook removed' "
                       "WHERE workspace_id = ? AND delivered_at IS NULL AND failed_at IS NULL",
                       failed, 2, NULL, err);
    return rc;
}

enum err_code webhook_delete(struct store *s, const struct caller *c, struct err *err)
{
    enum err_code rc = gate_admin(c, err);
    if (!rc)
        rc = in_settings(s, c, true, remove_webhook, NULL, err);
    if (!rc)
        LOG_KV(LOG_LEVEL_INFO, "webhooks", "webhook removed", LOG_STR("workspace", c->workspace_id),
               LOG_STR("user", c->user_id));
    return rc;
}

/* ---- delivery ---------------------------------------------------------------------------- */

/* A claimed delivery: what is needed to send it. Strings owned. */
struct claimed {
    char id[IDS_UUID_LEN];
    char workspace_id[IDS_UUID_LEN];
    char event[NOTIFY_KIND_MAX + 1];
    char *url, *body, *secret; /* secret NULL: the webhook was removed */
    int64_t attempt;           /* this attempt's number, from 1 */
};

static void claimed_release(struct claimed *d)
{
    free(d->url);
    free(d->body);
    if (d->secret)
        memset(d->secret, 0, strlen(d->secret));
    free(d->secret);
    memset(d, 0, sizeof(*d));
}

static void count(const char *result)
{
    struct metric *m = metrics_counter("webhook_deliveries_total",
                                       "webhook delivery attempts by result (delivered, retry, "
                                       "failed)");
    metric_add(m, METRIC_LABELS({ "result", result }), 1);
}

/*
 * Claims the oldest due delivery at now: its attempt counted and its next
 * attempt moved past the claim's end, in one write transaction. A delivery
 * whose webhook was removed meanwhile is failed instead (d->secret NULL).
 * ERR_NOT_FOUND when none is due.
 */
static enum err_code claim(const struct webhook_worker_options *o, int64_t now, struct claimed *d,
                           struct err *err)
{
    memset(d, 0, sizeof(*d));
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(o->store, &conn, err);
    if (rc)
        return rc;
    rc = store_begin_write(conn, err);
    struct store_stmt *st = NULL;
    struct store_param due[] = { STORE_INT(now) };
    if (!rc)
        rc = store_prepare_params(
            conn,
            "SELECT o.id, o.workspace_id, o.event, o.url, o.body, o.attempts, w.secret "
            "FROM webhook_outbox o LEFT JOIN webhooks w ON w.workspace_id = o.workspace_id "
            "WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= ? "
            "ORDER BY o.next_attempt_at, o.id LIMIT 1",
            due, 1, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = ERR_NOT_FOUND;
    if (!rc) {
        snprintf(d->id, sizeof(d->id), "%s", store_col_text(st, 0));
        snprintf(d->workspace_id, sizeof(d->workspace_id), "%s", store_col_text(st, 1));
        snprintf(d->event, sizeof(d->event), "%s", store_col_text(st, 2));
        d->url = xstrdup(store_col_text(st, 3) ? store_col_text(st, 3) : "");
        d->body = xstrdup(store_col_text(st, 4) ? store_col_text(st, 4) : "");
        d->attempt = store_col_int64(st, 5) + 1;
        d->secret = xstrdup_or_null(store_col_text(st, 6));
    }
    store_finalize(st);
    if (!rc && !d->secret) {
        struct store_param p[] = { STORE_INT(now), STORE_TEXT(d->id) };
        rc = store_run(conn,
                       "UPDATE webhook_outbox SET failed_at = ?, last_error = 'webhook removed' "
                       "WHERE id = ?",
                       p, 2, NULL, err);
    } else if (!rc) {
        struct store_param p[] = { STORE_INT(now + o->timeout_ms + CLAIM_MARGIN_MS),
                                   STORE_TEXT(d->id) };
        rc = store_run(conn,
                       "UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_at = ? "
                       "WHERE id = ?",
                       p, 2, NULL, err);
    }
    enum err_code end = store_end(conn, rc == ERR_NOT_FOUND ? ERR_OK : rc, err);
    store_release(o->store, conn);
    if (!rc && end)
        rc = end;
    if (rc)
        claimed_release(d);
    return rc;
}

/* Sends d; *status the answer's status (0 and *why filled when none came). */
static void send_one(const struct webhook_worker_options *o, const struct claimed *d, long *status,
                     struct err *why)
{
    char mac[SHA256_HEX_LEN];
    hmac_sha256_hex(d->secret, strlen(d->secret), d->body, strlen(d->body), mac);
    char signature[32 + SHA256_HEX_LEN], event[32 + NOTIFY_KIND_MAX], delivery[32 + IDS_UUID_LEN];
    snprintf(signature, sizeof(signature), "X-Crowdelic-Signature: sha256=%s", mac);
    snprintf(event, sizeof(event), "X-Crowdelic-Event: %s", d->event);
    snprintf(delivery, sizeof(delivery), "X-Crowdelic-Delivery: %s", d->id);
    const char *headers[] = {
        "Content-Type: application/json",
        "User-Agent: Crowdelic-Webhook/" CROWDELIC_VERSION,
        signature,
        event,
        delivery,
    };
    struct http_post_request r = {
        .url = d->url,
        .headers = headers,
        .n_headers = ARRAY_SIZE(headers),
        .body = d->body,
        .body_len = strlen(d->body),
        .timeout_ms = o->timeout_ms,
        .deny_private = o->deny_private,
    };
    *status = 0;
    enum err_code rc = o->post ? o->post(o->post_ctx, &r, status, why) : http_post(&r, status, why);
    if (rc && !why->msg[0])
        err_set(why, rc, NULL, "%s", err_slug(rc));
}

/* Records the outcome of d's attempt at now: delivered, due again after the backoff, or failed. */
static enum err_code record(const struct webhook_worker_options *o, const struct claimed *d,
                            long status, const struct err *why, int64_t now, struct err *err)
{
    bool ok = status >= 200 && status <= 299;
    bool give_up = !ok && d->attempt >= o->max_attempts;
    char last_error[WEBHOOK_ERROR_MAX + 1];
    if (status)
        snprintf(last_error, sizeof(last_error), "HTTP %ld", status);
    else
        snprintf(last_error, sizeof(last_error), "%.*s", WEBHOOK_ERROR_MAX, why->msg);
    struct backoff b = { .base_ms = o->backoff_base_ms, .max_ms = o->backoff_max_ms };
    int64_t delay = backoff_cap_ms(&b, d->attempt < INT_MAX ? (int)d->attempt : INT_MAX);
    struct store_param code = status ? STORE_INT(status) : STORE_NULL; /* none came */
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(o->store, &conn, err);
    if (!rc && ok) {
        /* sent is sent, even when the webhook was removed meanwhile */
        struct store_param p[] = { STORE_INT(now), code, STORE_TEXT(d->id) };
        rc = store_run(conn,
                       "UPDATE webhook_outbox SET delivered_at = ?, last_status = ?, "
                       "last_error = NULL, failed_at = NULL WHERE id = ? AND delivered_at IS NULL",
                       p, ARRAY_SIZE(p), NULL, err);
    } else if (!rc && give_up) {
        struct store_param p[] = { STORE_INT(now), code, STORE_TEXT(last_error),
                                   STORE_TEXT(d->id) };
        rc = store_run(conn,
                       "UPDATE webhook_outbox SET failed_at = ?, last_status = ?, last_error = ? "
                       "WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL",
                       p, ARRAY_SIZE(p), NULL, err);
    } else if (!rc) {
        struct store_param p[] = { code, STORE_TEXT(last_error), STORE_INT(now + delay),
                                   STORE_TEXT(d->id) };
        rc = store_run(conn,
                       "UPDATE webhook_outbox SET last_status = ?, last_error = ?, "
                       "next_attempt_at = ? WHERE id = ? AND delivered_at IS NULL AND "
                       "failed_at IS NULL",
                       p, ARRAY_SIZE(p), NULL, err);
    }
    store_release(o->store, conn);
    count(ok ? "delivered" : give_up ? "failed" : "retry");
    if (ok)
        LOG_KV(LOG_LEVEL_INFO, "webhooks", "webhook delivered", LOG_STR("delivery", d->id),
               LOG_STR("workspace", d->workspace_id), LOG_STR("event", d->event),
               LOG_INT("status", status), LOG_INT("attempt", d->attempt));
    else
        LOG_KV(LOG_LEVEL_WARN, "webhooks", give_up ? "webhook failed" : "webhook will retry",
               LOG_STR("delivery", d->id), LOG_STR("workspace", d->workspace_id),
               LOG_STR("event", d->event), LOG_STR("error", last_error),
               LOG_INT("attempt", d->attempt), LOG_INT("retry_in_ms", give_up ? 0 : delay));
    return rc;
}

enum err_code webhook_deliver_next(const struct webhook_worker_options *o, int64_t now_ms,
                                   struct err *err)
{
    struct claimed d;
    enum err_code rc = claim(o, now_ms, &d, err);
    if (rc)
        return rc;
    if (!d.secret) {
        LOG_KV(LOG_LEVEL_INFO, "webhooks", "webhook dropped: the webhook was removed",
               LOG_STR("delivery", d.id), LOG_STR("workspace", d.workspace_id));
        count("failed");
        claimed_release(&d);
        return ERR_OK;
    }
    long status = 0;
    struct err why = ERR_INIT;
    int64_t started = clock_mono_ms();
    send_one(o, &d, &status, &why);
    rc = record(o, &d, status, &why, now_ms + (clock_mono_ms() - started), err);
    claimed_release(&d);
    return rc;
}

/* ---- the worker thread ------------------------------------------------------------------- */

enum err_code webhook_prune(struct store *s, int64_t before_ms, int64_t *deleted, struct err *err)
{
    *deleted = 0;
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    int64_t n = PRUNE_BATCH;
    while (!rc && n == PRUNE_BATCH) {
        struct store_param p[] = { STORE_INT(before_ms), STORE_INT(before_ms),
                                   STORE_INT(PRUNE_BATCH) };
        rc = store_run(conn,
                       "DELETE FROM webhook_outbox WHERE id IN (SELECT id FROM webhook_outbox "
                       "WHERE delivered_at < ? OR failed_at < ? LIMIT ?)",
                       p, ARRAY_SIZE(p), &n, err);
        if (!rc)
            *deleted += n;
    }
    if (conn)
        store_release(s, conn);
    return rc;
}

struct webhook_worker {
    struct webhook_worker_options o;
    atomic_llong next_prune_ms; /* when a thread next prunes the outbox (webhook_prune) */
    pthread_t *threads;         /* n of them, started */
    unsigned n;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    atomic_bool stop;
};

/* Waits idle_ms, or less when the worker is stopping. */
static void idle(struct webhook_worker *w)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    int64_t ns = until.tv_nsec + (w->o.idle_ms % 1000) * 1000000;
    until.tv_sec += (time_t)(w->o.idle_ms / 1000 + ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    pthread_mutex_lock(&w->lock);
    while (!atomic_load(&w->stop))
        if (pthread_cond_timedwait(&w->cond, &w->lock, &until) != 0)
            break;
    pthread_mutex_unlock(&w->lock);
}

/* Prunes the outbox when its hour has come; one thread of the pool does it. */
static void prune_when_due(struct webhook_worker *w, int64_t now)
{
    long long due = atomic_load(&w->next_prune_ms);
    if (!w->o.retention_ms || now < due ||
        !atomic_compare_exchange_strong(&w->next_prune_ms, &due, now + PRUNE_EVERY_MS))
        return;
    struct err err = ERR_INIT;
    int64_t deleted = 0;
    if (webhook_prune(w->o.store, now - w->o.retention_ms, &deleted, &err))
        LOG_WARN("webhooks", "pruning the outbox: %s", err.msg);
    else if (deleted)
        LOG_KV(LOG_LEVEL_INFO, "webhooks", "outbox pruned", LOG_INT("deliveries", deleted));
}

static void *work(void *arg)
{
    struct webhook_worker *w = arg;
    while (!atomic_load(&w->stop)) {
        prune_when_due(w, clock_now_ms());
        struct err err = ERR_INIT;
        enum err_code rc = webhook_deliver_next(&w->o, clock_now_ms(), &err);
        if (rc == ERR_NOT_FOUND) {
            idle(w);
        } else if (rc) {
            LOG_WARN("webhooks", "delivering: %s", err.msg);
            idle(w);
        }
    }
    return NULL;
}

struct webhook_worker *webhook_worker_start(const struct webhook_worker_options *o, struct err *err)
{
    if (o->threads < 1 || o->max_attempts < 1 || o->timeout_ms <= 0 || o->backoff_base_ms <= 0 ||
        o->backoff_max_ms < o->backoff_base_ms) {
        err_set(err, ERR_INVALID, NULL,
                "webhooks: threads and max attempts >= 1, a timeout and 0 < backoff base <= "
                "backoff max");
        return NULL;
    }
    struct webhook_worker *w = xcalloc(1, sizeof(*w));
    w->o = *o;
    if (w->o.idle_ms <= 0)
        w->o.idle_ms = o->backoff_base_ms < 1000 ? o->backoff_base_ms : 1000;
    atomic_init(&w->stop, false);
    atomic_init(&w->next_prune_ms, 0);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    w->threads = xcalloc(o->threads, sizeof(*w->threads));
    for (; w->n < o->threads; w->n++) {
        if (pthread_create(&w->threads[w->n], NULL, work, w) != 0) {
            err_set(err, ERR_INTERNAL, NULL, "cannot start webhook delivery thread %u", w->n);
            webhook_worker_stop(w);
            return NULL;
        }
    }
    return w;
}

void webhook_worker_stop(struct webhook_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    atomic_store(&w->stop, true);
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    for (unsigned i = 0; i < w->n; i++)
        pthread_join(w->threads[i], NULL);
    free(w->threads);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
