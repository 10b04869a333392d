/*
 * domain/webhooks.h - a workspace's webhook (one URL and the secret that
 * signs what is sent to it) and the delivery of the outbox that notify
 * (domain/notifications.h) fills: a worker claims a due delivery, POSTs its
 * JSON body with
 *     X-Crowdelic-Signature: sha256=<hex HMAC-SHA256 of the body, keyed
 *                            with the workspace's secret>
 *     X-Crowdelic-Event:     the notification's kind
 *     X-Crowdelic-Delivery:  the delivery's id (the same on every retry:
 *                            the receiver dedupes on it)
 * and records the outcome: a 2xx is delivered; anything else (another
 * status, no answer in the timeout, a refused address) is tried again after
 * an exponential backoff (base x 2^(attempt-1), capped), and after
 * max_attempts the delivery is failed with its last error.
 *
 * Every state lives in the webhook_outbox table, so deliveries survive a
 * restart, and any number of workers (in one process or several on one
 * database) share the table: a claim counts the attempt and moves the
 * delivery's next attempt past the timeout in one write transaction, so no
 * two workers send it at once, and one that dies mid-delivery leaves it due
 * again (at least once; the receiver dedupes on X-Crowdelic-Delivery).
 *
 * The URL recorded when a delivery was queued is the one it goes to (a PUT
 * of another URL moves the pending ones to it); the secret is read at each
 * attempt. Removing the webhook fails the pending deliveries ("webhook
 * removed").
 *
 * Secrets: made here (32 random bytes), shown once - in webhook_set's
 * answer - and stored as given (NEEDSWORK: encrypt at rest with a key of
 * the operator's), never logged, never in any other answer.
 *
 * Threading: any thread; each call takes its own connection from the pool.
 * A worker is o->threads threads; webhook_worker_stop waits for each one's
 * delivery in flight (at most the timeout).
 */
#ifndef DOMAIN_WEBHOOKS_H
#define DOMAIN_WEBHOOKS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"
#include "domain/notifications.h"

struct caller;
struct store;
struct http_post_request;

#define WEBHOOK_URL_MAX          2048 /* bytes: what browsers and proxies reliably carry */
#define WEBHOOK_SECRET_PREFIX    "whsec_"
#define WEBHOOK_SECRET_BYTES     32                                 /* random bytes, as hex */
#define WEBHOOK_SECRET_LEN       (6 + 2 * WEBHOOK_SECRET_BYTES + 1) /* prefix, hex, NUL */
#define WEBHOOK_DELIVERIES_SHOWN 20  /* the recent deliveries webhook_get reads */
#define WEBHOOK_ERROR_MAX        200 /* bytes of a delivery's last error kept */

enum webhook_delivery_state {
    WEBHOOK_PENDING,   /* due now or later (retrying) */
    WEBHOOK_DELIVERED, /* a 2xx came back */
    WEBHOOK_FAILED,    /* given up: max attempts, or the webhook removed */
};

const char *webhook_delivery_state_name(enum webhook_delivery_state s); /* "pending", ... */

struct webhook_delivery {
    char id[IDS_UUID_LEN];
    char notification_id[IDS_UUID_LEN];
    char event[NOTIFY_KIND_MAX + 1];
    enum webhook_delivery_state state;
    int64_t attempts;
    int64_t last_status;     /* HTTP status of the last attempt; 0: none came back */
    char *last_error;        /* owned; NULL when none */
    int64_t next_attempt_at; /* ms; meaningful while pending */
    int64_t delivered_at;    /* ms; 0 unless delivered */
    int64_t failed_at;       /* ms; 0 unless failed */
    int64_t created_at;      /* ms */
};

/* A workspace's webhook as its admins see it (never the secret). */
struct webhook_view {
    bool set;                            /* false: no webhook (url NULL) */
    char *url;                           /* owned */
    int64_t created_at;                  /* ms */
    int64_t updated_at;                  /* ms */
    struct webhook_delivery *deliveries; /* owned: the newest first, at most SHOWN */
    size_t n_deliveries;
};

void webhook_view_release(struct webhook_view *v); /* accepts a zeroed struct */

/*
 * Checks a webhook URL: 1..WEBHOOK_URL_MAX bytes of printable ASCII,
 * http:// or https://, a host, an optional port 1..65535, no user name or
 * password. ERR_INVALID on field "url" saying what is wrong.
 */
enum err_code webhook_url_check(const char *url, struct err *err);

/*
 * Sets the caller's workspace's webhook URL (admins only: ERR_FORBIDDEN
 * otherwise; ERR_INVALID for a bad URL). The first time, or with
 * rotate_secret, a new secret is made and written into secret (shown
 * once); otherwise the secret is kept and secret is "". Pending deliveries
 * move to the new URL. out (release it) is the webhook as it is now.
 */
enum err_code webhook_set(struct store *s, const struct caller *c, const char *url,
                          bool rotate_secret, struct webhook_view *out,
                          char secret[WEBHOOK_SECRET_LEN], struct err *err);

/*
 * The caller's workspace's webhook (admins only) and its recent deliveries
 * (also those of a webhook since removed). out->set is false when there is
 * none.
 */
enum err_code webhook_get(struct store *s, const struct caller *c, struct webhook_view *out,
                          struct err *err);

/*
 * Removes the caller's workspace's webhook (admins only) and fails its
 * pending deliveries. ERR_NOT_FOUND "no webhook is set" when there is none.
 */
enum err_code webhook_delete(struct store *s, const struct caller *c, struct err *err);

/* ---- delivery ------------------------------------------------------------------------- */

/* Sends one request: http_post's contract (llm/http_post.h). Tests hand in their own. */
typedef enum err_code webhook_post_fn(void *ctx, const struct http_post_request *r, long *status,
                                      struct err *err);

struct webhook_worker_options {
    struct store *store;
    unsigned threads;        /* webhook_worker_start's delivery threads; >= 1 */
    int64_t backoff_base_ms; /* the first retry's delay; doubles each retry */
    int64_t backoff_max_ms;  /* the longest delay */
    int64_t max_attempts;    /* attempts before a delivery fails; >= 1 */
    int64_t timeout_ms;      /* one attempt's whole exchange */
    int64_t idle_ms;         /* how often an idle worker looks; 0: min(1000, backoff_base_ms) */
    int64_t retention_ms;    /* a finished delivery kept this long (webhook_prune); 0: ever */
    bool deny_private;       /* refuse non-public receiver addresses (http_post.h) */
    webhook_post_fn *post;   /* NULL: http_post */
    void *post_ctx;
};

/*
 * Claims the oldest due delivery (at now_ms, wall clock), sends it and
 * records the outcome. ERR_NOT_FOUND when none is due; ERR_OK when one was
 * handled, whatever its outcome (it is in the table); the store's errors
 * otherwise. For the worker, and for tests (which pass their own clock).
 */
enum err_code webhook_deliver_next(const struct webhook_worker_options *o, int64_t now_ms,
                                   struct err *err);

/*
 * Deletes the deliveries delivered or failed before before_ms (every
 * workspace's: the outbox's upkeep), in batches so no statement holds the
 * database long; their number into *deleted. Pending deliveries stay
 * whatever their age. The worker calls it once an hour with its
 * retention_ms.
 */
enum err_code webhook_prune(struct store *s, int64_t before_ms, int64_t *deleted, struct err *err);

struct webhook_worker;

/* Starts the delivery threads; NULL when they could not start (err says why). */
struct webhook_worker *webhook_worker_start(const struct webhook_worker_options *o,
                                            struct err *err);

/* Stops them (each after its delivery in flight) and frees; accepts NULL. */
void webhook_worker_stop(struct webhook_worker *w);

#endif
