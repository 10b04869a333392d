/*
 * tests/unit/domain/test_webhooks.c - domain/webhooks.h against a real
 * SQLite store: the URL's checks, the settings (admins only, the secret
 * shown once, kept or rotated, pending deliveries moved to a new URL or
 * failed when the webhook is removed), and delivery through a scripted
 * poster in place of HTTP (STYLE.md T6) with the clock passed in: the
 * signature and headers of exactly the stored body, delivered on a 2xx and
 * never again, retried after base x 2^(attempt-1) capped, failed after the
 * maximum with its last error, a claimed delivery not sent by a second
 * worker until its claim ran out, and the worker thread. Single-threaded
 * except the last test.
 */
#include "core/compat.h"

#include "domain/webhooks.h"

#include <setjmp.h>

#include <cmocka.h>

#include "fixture.h"
#include "notices.h"
#include "testutil.h"

#include "core/clock.h"
#include "core/sha256.h"
#include "llm/http_post.h"

#define MAX_CALLS 16
#define TIMEOUT   5000

/* ---- a scripted poster ------------------------------------------------------------------- */

struct call {
    char url[256];
    char headers[8][160];
    size_t n_headers;
    char body[4096];
    int64_t timeout_ms;
    bool deny_private;
};

struct poster {
    long statuses[MAX_CALLS]; /* what each call answers; 0: fails with rc[i] */
    enum err_code rc[MAX_CALLS];
    struct call calls[MAX_CALLS];
    int n;
    /* while handling call `nested_at`, deliver again at nested_now (a second worker) */
    int nested_at;
    int64_t nested_now;
    enum err_code nested_rc;
    const struct webhook_worker_options *o;
};

static enum err_code scripted_post(void *ctx, const struct http_post_request *r, long *status,
                                   struct err *err)
{
    struct poster *p = ctx;
    assert_true(p->n < MAX_CALLS);
    struct call *c = &p->calls[p->n];
    int i = p->n++;
    snprintf(c->url, sizeof(c->url), "%s", r->url);
    for (size_t h = 0; h < r->n_headers && h < 8; h++)
        snprintf(c->headers[h], sizeof(c->headers[h]), "%s", r->headers[h]);
    c->n_headers = r->n_headers;
    assert_true(r->body_len < sizeof(c->body));
    memcpy(c->body, r->body, r->body_len);
    c->body[r->body_len] = '\0';
    c->timeout_ms = r->timeout_ms;
    c->deny_private = r->deny_private;
    if (p->nested_at == i + 1) {
        struct err nested = ERR_INIT;
        p->nested_rc = webhook_deliver_next(p->o, p->nested_now, &nested);
    }
    if (p->statuses[i]) {
        *status = p->statuses[i];
        return ERR_OK;
    }
    return err_set(err, p->rc[i], NULL, "no answer in %d ms", TIMEOUT);
}

/* The value of header name in call c, or NULL. */
static const char *header_of(const struct call *c, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < c->n_headers; i++)
        if (strncmp(c->headers[i], name, len) == 0 && c->headers[i][len] == ':')
            return c->headers[i] + len + 2;
    return NULL;
}

static struct webhook_worker_options options_for(struct poster *p)
{
    struct webhook_worker_options o = {
        .store = fx.store,
        .threads = 1,
        .backoff_base_ms = 1000,
        .backoff_max_ms = 3000,
        .max_attempts = 5,
        .timeout_ms = TIMEOUT,
        .deny_private = true,
        .post = scripted_post,
        .post_ctx = p,
    };
    return o;
}

/* ---- helpers ----------------------------------------------------------------------------- */

#define HOOK_URL "https://hooks.example/in"

/*
 * Sets fx_user's webhook to HOOK_URL (its secret into secret) and records
 * one extra_charge: the id of its delivery (malloc'd).
 */
static char *queued(char secret[WEBHOOK_SECRET_LEN])
{
    const char *ws = fx_user.caller.workspace_id;
    notices_set_webhook(&fx, &fx_user.caller, HOOK_URL, false, secret);
    notices_notify_ok(&fx, ws, "extra_charge", NULL);
    return fixture_text(&fx, "SELECT id FROM webhook_outbox WHERE workspace_id = ?", ws);
}

/* Column of the outbox row id, as an integer (NULL: 0). */
static int64_t outbox_int(const char *id, const char *column)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT %s FROM webhook_outbox WHERE id = ?", column);
    return fixture_int(&fx, sql, (struct store_param[]){ STORE_TEXT(id) }, 1);
}

/* Asserts that column of the outbox row id holds the text want. */
static void assert_outbox_text(const char *id, const char *column, const char *want)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT %s FROM webhook_outbox WHERE id = ?", column);
    char *got = fixture_text(&fx, sql, id);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* The deliveries of workspace_id delivered so far. */
static int64_t delivered_of(const char *workspace_id)
{
    return fixture_count(&fx, "webhook_outbox WHERE delivered_at IS NOT NULL AND workspace_id = ?",
                         workspace_id);
}

/* Asserts that call c carries the signature of its body with secret. */
static void assert_signed(const struct call *c, const char *secret)
{
    char mac[SHA256_HEX_LEN], want[128];
    hmac_sha256_hex(secret, strlen(secret), c->body, strlen(c->body), mac);
    snprintf(want, sizeof(want), "sha256=%s", mac);
    assert_string_equal(header_of(c, "X-Crowdelic-Signature"), want);
}

/* The webhook view of caller c (release it). */
static void view_of(const struct caller *c, struct webhook_view *v)
{
    struct err err = ERR_INIT;
    assert_ok(webhook_get(fx.store, c, v, &err), &err);
}

static enum err_code deliver_at(const struct webhook_worker_options *o, int64_t now)
{
    struct err err = ERR_INIT;
    enum err_code rc = webhook_deliver_next(o, now, &err);
    if (rc && rc != ERR_NOT_FOUND)
        fail_msg("webhook_deliver_next: %s", err.msg);
    return rc;
}

/* ---- the URL ----------------------------------------------------------------------------- */

static void checks_urls(void **state)
{
    (void)state;
    static const char *const good[] = {
        "https://hooks.example.com/in?x=1#f",
        "http://127.0.0.1:8080/hook",
        "HTTPS://EXAMPLE.COM",
        "http://[::1]:9/x",
        "https://example.com:65535",
    };
    static const char *const bad[] = {
        "",
        "ftp://example.com/x",
        "example.com/hook",
        "https://",
        "https:///path",
        "https://user:pw@example.com/",
        "https://token@example.com/",
        "https://example.com:0/",
        "https://example.com:65536/",
        "https://example.com:8o/",
        "https://example.com:/",
        "https://exa mple.com/",
        "https://example.com/\xc3\xa9",
        "https://[::1/",
        "https://[]/",
    };
    struct err err = ERR_INIT;
    for (size_t i = 0; i < ARRAY_SIZE(good); i++)
        if (webhook_url_check(good[i], &err))
            fail_msg("'%s' refused: %s", good[i], err.msg);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        if (webhook_url_check(bad[i], &err) != ERR_INVALID)
            fail_msg("'%s' accepted", bad[i]);
        assert_string_equal(err.field, "url");
    }
    assert_int_equal(webhook_url_check(NULL, &err), ERR_INVALID);
    /* exactly the maximum, and one more */
    char url[WEBHOOK_URL_MAX + 2];
    memset(url, 'a', sizeof(url) - 1);
    memcpy(url, "https://x/", 10);
    url[WEBHOOK_URL_MAX] = '\0';
    assert_ok(webhook_url_check(url, &err), &err);
    url[WEBHOOK_URL_MAX] = 'a';
    url[WEBHOOK_URL_MAX + 1] = '\0';
    assert_int_equal(webhook_url_check(url, &err), ERR_INVALID);
}

/* ---- settings ---------------------------------------------------------------------------- */

static void only_admins_touch_the_webhook(void **state)
{
    (void)state;
    struct fixture_user admin, member;
    fixture_user_new(&fx, "admin@example.com", NULL, &admin);
    fixture_user_set_plan(&fx, &admin, "business");
    fixture_insert_invite(&fx, admin.caller.workspace_id, "member@example.com",
                          admin.caller.user_id, "member-token");
    fixture_user_new(&fx, "member@example.com", "member-token", &member);
    assert_string_equal(member.caller.workspace_id, admin.caller.workspace_id);
    struct webhook_view v;
    char secret[WEBHOOK_SECRET_LEN];
    struct err err = ERR_INIT;
    assert_int_equal(
        webhook_set(fx.store, &member.caller, "https://x.example/h", false, &v, secret, &err),
        ERR_FORBIDDEN);
    assert_int_equal(webhook_get(fx.store, &member.caller, &v, &err), ERR_FORBIDDEN);
    assert_int_equal(webhook_delete(fx.store, &member.caller, &err), ERR_FORBIDDEN);
    assert_int_equal(
        fixture_count(&fx, "webhooks WHERE workspace_id = ?", admin.caller.workspace_id), 0);
    fixture_user_release(&admin);
    fixture_user_release(&member);
}

/* Asserts that the secret stored for workspace_id is want. */
static void assert_secret(const char *workspace_id, const char *want)
{
    char *stored =
        fixture_text(&fx, "SELECT secret FROM webhooks WHERE workspace_id = ?", workspace_id);
    assert_non_null(stored);
    assert_string_equal(stored, want);
    free(stored);
}

static void the_secret_is_shown_once_kept_or_rotated(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    const char *ws = ana->workspace_id;
    struct err err = ERR_INIT;
    struct webhook_view v;
    view_of(ana, &v);
    assert_false(v.set);
    assert_null(v.url);
    webhook_view_release(&v);
    assert_int_equal(webhook_delete(fx.store, ana, &err), ERR_NOT_FOUND);

    char first[WEBHOOK_SECRET_LEN], again[WEBHOOK_SECRET_LEN], rotated[WEBHOOK_SECRET_LEN];
    notices_set_webhook(&fx, ana, "https://one.example/h", false, first);
    assert_int_equal(strlen(first), WEBHOOK_SECRET_LEN - 1);
    assert_int_equal(strncmp(first, WEBHOOK_SECRET_PREFIX, 6), 0);
    for (size_t i = 6; i < strlen(first); i++)
        assert_non_null(strchr("0123456789abcdef", first[i]));
    assert_secret(ws, first);

    notices_set_webhook(&fx, ana, "https://two.example/h", false, again);
    assert_string_equal(again, ""); /* kept, not shown */
    assert_secret(ws, first);

    notices_set_webhook(&fx, ana, "https://two.example/h", true, rotated);
    assert_int_equal(strlen(rotated), WEBHOOK_SECRET_LEN - 1);
    assert_string_not_equal(rotated, first);
    assert_secret(ws, rotated);

    view_of(ana, &v);
    assert_true(v.set);
    assert_string_equal(v.url, "https://two.example/h");
    assert_true(v.updated_at >= v.created_at);
    webhook_view_release(&v);

    assert_int_equal(webhook_set(fx.store, ana, "ftp://x", false, &v, rotated, &err), ERR_INVALID);
    assert_ok(webhook_delete(fx.store, ana, &err), &err);
    assert_int_equal(webhook_delete(fx.store, ana, &err), ERR_NOT_FOUND);
}

static void a_workspace_sees_only_its_own_webhook(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    struct fixture_user b;
    char secret[WEBHOOK_SECRET_LEN];
    char *id = queued(secret);
    fixture_user_new(&fx, "bo@example.com", NULL, &b);
    struct webhook_view v;
    view_of(&b.caller, &v);
    assert_false(v.set);
    assert_int_equal(v.n_deliveries, 0);
    webhook_view_release(&v);
    struct err err = ERR_INIT;
    assert_int_equal(webhook_delete(fx.store, &b.caller, &err), ERR_NOT_FOUND);
    view_of(ana, &v);
    assert_int_equal(v.n_deliveries, 1);
    assert_string_equal(v.deliveries[0].id, id);
    assert_int_equal(v.deliveries[0].state, WEBHOOK_PENDING);
    webhook_view_release(&v);
    free(id);
    fixture_user_release(&b);
}

/* ---- delivery ---------------------------------------------------------------------------- */

static void delivers_the_signed_body_once(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    char secret[WEBHOOK_SECRET_LEN];
    char *id = queued(secret);
    struct poster p = { .statuses = { 204 } };
    struct webhook_worker_options o = options_for(&p);
    int64_t now = clock_now_ms();
    assert_int_equal(deliver_at(&o, now), ERR_OK);
    assert_int_equal(p.n, 1);
    assert_int_equal(deliver_at(&o, now + 10LL * 86400 * 1000), ERR_NOT_FOUND);
    assert_int_equal(p.n, 1);

    const struct call *c = &p.calls[0];
    assert_string_equal(c->url, HOOK_URL);
    assert_outbox_text(id, "body", c->body);
    assert_int_equal(c->timeout_ms, TIMEOUT);
    assert_true(c->deny_private);
    assert_signed(c, secret);
    assert_string_equal(header_of(c, "X-Crowdelic-Event"), "extra_charge");
    assert_string_equal(header_of(c, "X-Crowdelic-Delivery"), id);
    assert_string_equal(header_of(c, "Content-Type"), "application/json");
    assert_non_null(header_of(c, "User-Agent"));

    assert_int_equal(outbox_int(id, "attempts"), 1);
    assert_int_equal(outbox_int(id, "last_status"), 204);
    assert_true(outbox_int(id, "delivered_at") >= now);
    struct webhook_view v;
    view_of(ana, &v);
    assert_int_equal(v.n_deliveries, 1);
    assert_int_equal(v.deliveries[0].state, WEBHOOK_DELIVERED);
    assert_string_equal(webhook_delivery_state_name(v.deliveries[0].state), "delivered");
    assert_null(v.deliveries[0].last_error);
    webhook_view_release(&v);
    free(id);
}

/* 500, 503, 200 with base 1000 ms: due again 1000 ms, then 2000 ms after each failure. */
static void a_failure_is_retried_after_the_backoff(void **state)
{
    (void)state;
    char secret[WEBHOOK_SECRET_LEN];
    char *id = queued(secret);
    struct poster p = { .statuses = { 500, 503, 200 } };
    struct webhook_worker_options o = options_for(&p);
    int64_t now = clock_now_ms();
    assert_int_equal(deliver_at(&o, now), ERR_OK);
    int64_t next = outbox_int(id, "next_attempt_at");
    assert_true(next >= now + 1000 && next <= now + 1000 + 500); /* + the attempt's own time */
    assert_int_equal(outbox_int(id, "last_status"), 500);
    assert_outbox_text(id, "last_error", "HTTP 500");
    assert_int_equal(deliver_at(&o, next - 1), ERR_NOT_FOUND);
    assert_int_equal(p.n, 1);

    assert_int_equal(deliver_at(&o, next), ERR_OK);
    int64_t next2 = outbox_int(id, "next_attempt_at");
    assert_true(next2 >= next + 2000 && next2 <= next + 2000 + 500);
    assert_int_equal(deliver_at(&o, next2 - 1), ERR_NOT_FOUND);
    assert_int_equal(deliver_at(&o, next2), ERR_OK);
    assert_int_equal(deliver_at(&o, next2 + 86400000), ERR_NOT_FOUND);

    assert_int_equal(p.n, 3);
    for (int i = 0; i < 3; i++) /* one delivery id, one body, on every attempt */
        assert_string_equal(header_of(&p.calls[i], "X-Crowdelic-Delivery"), id);
    assert_string_equal(p.calls[0].body, p.calls[2].body);
    assert_int_equal(outbox_int(id, "attempts"), 3);
    assert_int_equal(fixture_count(&fx,
                                   "webhook_outbox WHERE delivered_at IS NOT NULL AND "
                                   "last_error IS NULL AND last_status = 200 AND id = ?",
                                   id),
                     1);
    free(id);
}

/* max 3 attempts, base 1000, cap 1500: delays 1000, 1500, then failed with the last error. */
static void gives_up_after_max_attempts(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    char secret[WEBHOOK_SECRET_LEN];
    char *id = queued(secret);
    struct poster p = { .rc = { ERR_TIMEOUT, ERR_TIMEOUT, ERR_TIMEOUT, ERR_TIMEOUT } };
    struct webhook_worker_options o = options_for(&p);
    o.max_attempts = 3;
    o.backoff_max_ms = 1500;
    int64_t now = clock_now_ms();
    assert_int_equal(deliver_at(&o, now), ERR_OK);
    int64_t next = outbox_int(id, "next_attempt_at");
    assert_true(next >= now + 1000 && next <= now + 1500);
    assert_int_equal(deliver_at(&o, next), ERR_OK);
    int64_t next2 = outbox_int(id, "next_attempt_at");
    assert_true(next2 >= next + 1500 && next2 <= next + 2000); /* capped, not 2000 */
    assert_int_equal(fixture_count(&fx, "webhook_outbox WHERE last_status IS NULL AND id = ?", id),
                     1);
    assert_int_equal(deliver_at(&o, next2), ERR_OK);
    assert_int_equal(deliver_at(&o, next2 + 86400000), ERR_NOT_FOUND);
    assert_int_equal(p.n, 3);
    assert_true(outbox_int(id, "failed_at") >= next2);
    assert_outbox_text(id, "last_error", "no answer in 5000 ms");
    struct webhook_view v;
    view_of(ana, &v);
    assert_int_equal(v.deliveries[0].state, WEBHOOK_FAILED);
    assert_int_equal(v.deliveries[0].attempts, 3);
    assert_int_equal(v.deliveries[0].last_status, 0);
    assert_string_equal(v.deliveries[0].last_error, "no answer in 5000 ms");
    webhook_view_release(&v);
    free(id);
}

/* A second worker does not take a claimed delivery, until its claim ran out (a dead worker). */
static void a_claimed_delivery_waits_for_its_claim_to_run_out(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    char secret[WEBHOOK_SECRET_LEN];
    free(queued(secret));
    int64_t now = clock_now_ms();
    struct poster p = { .statuses = { 200 }, .nested_at = 1, .nested_now = now + 1000 };
    struct webhook_worker_options o = options_for(&p);
    p.o = &o;
    assert_int_equal(deliver_at(&o, now), ERR_OK);
    assert_int_equal(p.nested_rc, ERR_NOT_FOUND); /* in flight: not due for anyone else */
    assert_int_equal(p.n, 1);

    notices_notify_ok(&fx, ana->workspace_id, "plan_changed", NULL);
    now = clock_now_ms(); /* it is due from when it was queued */
    struct poster q = { .statuses = { 200, 200 },
                        .nested_at = 1,
                        .nested_now = now + TIMEOUT + 30000 + 1000 };
    o = options_for(&q);
    q.o = &o;
    assert_int_equal(deliver_at(&o, now), ERR_OK);
    assert_int_equal(q.nested_rc, ERR_OK); /* the claim ran out: taken over */
    assert_int_equal(q.n, 2);
    assert_string_equal(header_of(&q.calls[0], "X-Crowdelic-Delivery"),
                        header_of(&q.calls[1], "X-Crowdelic-Delivery"));
    assert_int_equal(
        fixture_count(&fx, "webhook_outbox WHERE attempts = 2 AND event = ?", "plan_changed"), 1);
}

static void removing_the_webhook_fails_what_is_pending(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    char secret[WEBHOOK_SECRET_LEN];
    char *id = queued(secret);
    const char *ws = ana->workspace_id;
    struct err err = ERR_INIT;
    assert_ok(webhook_delete(fx.store, ana, &err), &err);
    assert_true(outbox_int(id, "failed_at") > 0);
    assert_outbox_text(id, "last_error", "webhook removed");
    struct poster p = { .statuses = { 200 } };
    struct webhook_worker_options o = options_for(&p);
    assert_int_equal(deliver_at(&o, clock_now_ms()), ERR_NOT_FOUND);

    /* a row whose webhook vanished under it is failed, not sent */
    notices_set_webhook(&fx, ana, HOOK_URL, false, secret);
    notices_notify_ok(&fx, ws, "plan_changed", NULL);
    fixture_run(&fx, "DELETE FROM webhooks WHERE workspace_id = ?",
                (struct store_param[]){ STORE_TEXT(ws) }, 1);
    assert_int_equal(deliver_at(&o, clock_now_ms()), ERR_OK);
    assert_int_equal(p.n, 0);
    assert_int_equal(
        fixture_count(&fx, "webhook_outbox WHERE failed_at IS NOT NULL AND workspace_id = ?", ws),
        2);
    /* the history stays readable */
    struct webhook_view v;
    view_of(ana, &v);
    assert_false(v.set);
    assert_int_equal(v.n_deliveries, 2);
    assert_string_equal(v.deliveries[0].event, "plan_changed"); /* newest first */
    assert_int_equal(v.deliveries[1].state, WEBHOOK_FAILED);
    webhook_view_release(&v);
    free(id);
}

static void a_new_url_takes_the_pending_deliveries(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    char secret[WEBHOOK_SECRET_LEN], rotated[WEBHOOK_SECRET_LEN];
    free(queued(secret));
    struct poster p = { .statuses = { 200, 200 } };
    struct webhook_worker_options o = options_for(&p);
    assert_int_equal(deliver_at(&o, clock_now_ms()), ERR_OK);
    notices_notify_ok(&fx, ana->workspace_id, "plan_changed", NULL);
    notices_set_webhook(&fx, ana, "https://new.example/in", true, rotated);
    assert_int_equal(deliver_at(&o, clock_now_ms()), ERR_OK);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.calls[0].url, HOOK_URL);
    assert_string_equal(p.calls[1].url, "https://new.example/in");
    assert_signed(&p.calls[1], rotated); /* with the secret as it is when sent */
    /* what was delivered keeps the address it went to */
    assert_int_equal(fixture_count(&fx, "webhook_outbox WHERE url = ?", HOOK_URL), 1);
}

/* The thread: started, delivers what is due within its idle time, stops. */
static void the_worker_delivers_and_stops(void **state)
{
    (void)state;
    const struct caller *ana = &fx_user.caller;
    const char *ws = ana->workspace_id;
    char secret[WEBHOOK_SECRET_LEN];
    notices_set_webhook(&fx, ana, HOOK_URL, false, secret);
    struct poster p = { .statuses = { 200, 200 } };
    struct webhook_worker_options o = options_for(&p);
    o.idle_ms = 20;
    struct err err = ERR_INIT;
    struct webhook_worker *w = webhook_worker_start(&o, &err);
    assert_non_null(w);
    notices_notify_ok(&fx, ws, "extra_charge", NULL);
    for (int i = 0; i < 250 && delivered_of(ws) < 1; i++)
        clock_sleep_ms(20);
    webhook_worker_stop(w);
    assert_int_equal(delivered_of(ws), 1);
    assert_int_equal(p.n, 1);

    o.threads = 0;
    assert_null(webhook_worker_start(&o, &err));
    assert_int_equal(err.code, ERR_INVALID);
}

/* Delivered and failed deliveries older than the cut are pruned; pending ones and newer stay. */
static void finished_deliveries_are_pruned_after_their_retention(void **state)
{
    (void)state;
    char secret[WEBHOOK_SECRET_LEN];
    const char *ws = fx_user.caller.workspace_id;
    notices_set_webhook(&fx, &fx_user.caller, HOOK_URL, false, secret);
    char *ids[4];
    for (int i = 0; i < 4; i++) {
        notices_notify_ok(&fx, ws, "extra_charge", NULL);
        ids[i] = fixture_text(&fx,
                              "SELECT id FROM webhook_outbox WHERE workspace_id = ? AND "
                              "last_error IS NULL",
                              ws);
        struct store_param mark[] = { STORE_TEXT(ids[i]) };
        fixture_run(&fx, "UPDATE webhook_outbox SET last_error = 'planted' WHERE id = ?", mark, 1);
    }
    const int64_t day = 86400LL * 1000, now = clock_now_ms();
    struct store_param old_delivered[] = { STORE_INT(now - 40 * day), STORE_TEXT(ids[0]) };
    fixture_run(&fx, "UPDATE webhook_outbox SET delivered_at = ? WHERE id = ?", old_delivered, 2);
    struct store_param old_failed[] = { STORE_INT(now - 31 * day), STORE_TEXT(ids[1]) };
    fixture_run(&fx, "UPDATE webhook_outbox SET failed_at = ? WHERE id = ?", old_failed, 2);
    struct store_param recent[] = { STORE_INT(now - 29 * day), STORE_TEXT(ids[2]) };
    fixture_run(&fx, "UPDATE webhook_outbox SET delivered_at = ? WHERE id = ?", recent, 2);
    /* ids[3]: pending, however old it is */
    struct store_param pending[] = { STORE_INT(now - 90 * day), STORE_TEXT(ids[3]) };
    fixture_run(&fx, "UPDATE webhook_outbox SET created_at = ? WHERE id = ?", pending, 2);

    int64_t deleted = -1;
    struct err err = ERR_INIT;
    assert_ok(webhook_prune(fx.store, now - 30 * day, &deleted, &err), &err);
    assert_int_equal(deleted, 2);
    assert_int_equal(fixture_count(&fx, "webhook_outbox WHERE id = ?", ids[0]), 0);
    assert_int_equal(fixture_count(&fx, "webhook_outbox WHERE id = ?", ids[1]), 0);
    assert_int_equal(fixture_count(&fx, "webhook_outbox WHERE id = ?", ids[2]), 1);
    assert_int_equal(fixture_count(&fx, "webhook_outbox WHERE id = ?", ids[3]), 1);
    assert_ok(webhook_prune(fx.store, now - 30 * day, &deleted, &err), &err);
    assert_int_equal(deleted, 0);
    for (int i = 0; i < 4; i++)
        free(ids[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checks_urls),
        FIXTURE_TEST(only_admins_touch_the_webhook),
        FIXTURE_USER_TEST(the_secret_is_shown_once_kept_or_rotated),
        FIXTURE_USER_TEST(a_workspace_sees_only_its_own_webhook),
        FIXTURE_USER_TEST(delivers_the_signed_body_once),
        FIXTURE_USER_TEST(a_failure_is_retried_after_the_backoff),
        FIXTURE_USER_TEST(gives_up_after_max_attempts),
        FIXTURE_USER_TEST(a_claimed_delivery_waits_for_its_claim_to_run_out),
        FIXTURE_USER_TEST(removing_the_webhook_fails_what_is_pending),
        FIXTURE_USER_TEST(a_new_url_takes_the_pending_deliveries),
        FIXTURE_USER_TEST(the_worker_delivers_and_stops),
        FIXTURE_USER_TEST(finished_deliveries_are_pruned_after_their_retention),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
