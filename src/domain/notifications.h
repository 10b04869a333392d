/*
 * domain/notifications.h - what a workspace is told (SPEC.md 5 "Alerts"):
 * a limit approached (80 %), an extra charge made, a plan changed. Each
 * notification is a row the members read and mark read
 * (GET /api/notifications), and - when the workspace has a webhook URL -
 * an outgoing webhook queued in an outbox table in the same transaction,
 * delivered later with an HMAC-SHA256 signature and retried with backoff,
 * so none is lost across restarts (domain/webhooks.h delivers them).
 *
 * Tenancy: every query binds the workspace id (the caller's, or the one
 * notify is given), so another workspace's notification is ERR_NOT_FOUND
 * exactly like one that does not exist. The read state is the workspace's:
 * a notification one member marks read is read for all of them.
 *
 * Threading: any thread. notify works on the caller's connection, inside
 * its transaction; the others take a connection of their own from the
 * store's pool and return it before returning.
 */
#ifndef DOMAIN_NOTIFICATIONS_H
#define DOMAIN_NOTIFICATIONS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"

struct caller;
struct store;
struct store_conn;

#define NOTIFY_KIND_MAX           64    /* bytes of a kind: a-z, 0-9 and _ */
#define NOTIFY_MESSAGE_MAX        1000  /* characters of a message */
#define NOTIFY_DATA_MAX           16384 /* bytes of data_json */
#define NOTIFY_DEDUPE_MAX         200   /* bytes of a dedupe key */
#define NOTIFICATION_PAGE_DEFAULT 50    /* notifications in a page when no limit is asked for */
#define NOTIFICATION_PAGE_MAX     100   /* the largest page */

/*
 * Records a notification for workspace_id and queues its webhook, inside
 * the caller's write transaction on conn (the caller commits or rolls
 * back: a charge and its alert go together or not at all).
 *   kind        "limit_approaching", "extra_charge", "plan_changed", ...
 *               (1..NOTIFY_KIND_MAX of a-z, 0-9, _)
 *   message     for people, one sentence (1..NOTIFY_MESSAGE_MAX characters)
 *   data_json   a JSON object with the figures (may be NULL: {}); trusted
 *               text from our own code, not parsed here, at most
 *               NOTIFY_DATA_MAX bytes
 *   dedupe_key  NULL, or a key no other notification of the workspace has
 *               (e.g. "limit:max_personas:<period start>"): a repeat is
 *               skipped without error, so one threshold alerts once a period
 * When the workspace has a webhook, a delivery (domain/webhooks.h) is queued
 * with it, due at once; a skipped repeat queues nothing. ERR_INVALID for a
 * bad kind, message, data or key (a defect of the caller); the store's
 * errors otherwise.
 */
enum err_code notify(struct store_conn *conn, const char *workspace_id, const char *kind,
                     const char *message, const char *data_json, const char *dedupe_key,
                     struct err *err);

/*
 * The alert of a limit approached (SPEC.md 5: 80 %), for gate_room, inside
 * its write transaction: when used (what the workspace will have once the
 * insert is done) is at or past 80 % of limit, notifies
 * "limit_approaching" with dedupe key "limit:<limit_name>:<the current
 * period's start, ms>", so one threshold alerts once a period. data:
 * {limit, used, allowed, percent, plan, period_start}. Nothing when limit is
 * unlimited (< 0) or used is below the threshold.
 */
enum err_code notify_limit_approaching(struct store_conn *conn, const char *workspace_id,
                                       const char *plan_name, const char *limit_name, int64_t used,
                                       int64_t limit, struct err *err);

struct notification {
    char id[IDS_UUID_LEN];
    char *kind;         /* owned */
    char *message;      /* owned */
    char *data_json;    /* owned: a JSON object as text, "{}" at least */
    int64_t read_at;    /* ms; 0 while unread */
    int64_t created_at; /* ms */
};

void notification_release(struct notification *n); /* accepts a zeroed struct */

/* One page of a workspace's notifications, newest first. */
struct notification_page {
    struct notification *items; /* owned, n of them */
    size_t n;
    int64_t total;  /* the notifications the filter selects, all pages together */
    int64_t unread; /* unread notifications of the workspace (whatever the filter) */
    int64_t limit, offset;
};

void notification_page_release(struct notification_page *pg);

/*
 * Fills out (release with notification_page_release) with the caller's
 * workspace's notifications, newest first, only the unread ones when
 * unread_only: limit (1..NOTIFICATION_PAGE_MAX) after skipping offset (>= 0).
 * ERR_INVALID on "limit" or "offset" out of range.
 */
enum err_code notification_list(struct store *s, const struct caller *c, bool unread_only,
                                int64_t limit, int64_t offset, struct notification_page *out,
                                struct err *err);

/*
 * Marks notification id of the caller's workspace read (once: a second call
 * keeps the first time) and fills out (release it) with it as it is now.
 * ERR_NOT_FOUND "no notification '<id>'" otherwise.
 */
enum err_code notification_mark_read(struct store *s, const struct caller *c, const char *id,
                                     struct notification *out, struct err *err);

/* Marks every unread notification of the caller's workspace read; *marked: how many. */
enum err_code notification_mark_all_read(struct store *s, const struct caller *c, int64_t *marked,
                                         struct err *err);

#endif
