/*
 * domain/billing.c - extra personas, upgrades, downgrades, period
 * rollovers, enterprise terms and the billing state (see billing.h).
 *
 * Every change runs in one write transaction on one connection
 * (in_workspace): the workspace's periods are first rolled over to `now`
 * (catch_up), the Idempotency-Key is looked up, then the operation reads
 * the workspace row again under the write lock (never the caller's copy of
 * the plan, which a parallel request may have changed), charges through the
 * provider, writes the row, notifies, and stores its answer with the key.
 * So parallel purchases and upgrades are serialised and each is charged
 * against the plan it really changes.
 */
#include "core/compat.h"

#include "domain/billing.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "domain/check.h"
#include "domain/notifications.h"
#include "store/store.h"

#define DAY_MS       86400000LL
#define TEXT_MAX     1024 /* a message or a notification's data */
#define DUE_BATCH    64   /* workspaces rolled over per query of the scheduler */
#define DUE_BATCHES  16   /* queries per billing_run_due: bounded work per tick */
#define KIND_EXTRA   "extra_personas"
#define KIND_UPGRADE "upgrade"
#define KIND_PERIOD  "subscription"
#define NOTE_EXTRA   "extra_charge"
#define NOTE_PLAN    "plan_changed"
#define FIELD_KEY    "Idempotency-Key"

__extension__ typedef unsigned __int128 u128;

/* ---- figures ----------------------------------------------------------------------------- */

int64_t billing_prorate(int64_t diff_cents, int64_t ms_left, int64_t period_ms)
{
    if (diff_cents <= 0 || period_ms <= 0 || ms_left <= 0)
        return 0;
    if (ms_left > period_ms)
        ms_left = period_ms;
    /* round(diff x left / period), halves up: floor((2 x diff x left + period) / (2 x period)) */
    u128 num = (u128)diff_cents * (u128)ms_left * 2 + (u128)period_ms;
    return (int64_t)(num / ((u128)period_ms * 2));
}

int64_t billing_period_end(int64_t anchor, int64_t start)
{
    /* every month has at most 31 days: n0 months after anchor is at or before start */
    int64_t n = start > anchor ? (start - anchor) / (31 * DAY_MS) : 0;
    if (n < 1)
        n = 1;
    while (clock_add_months(anchor, (int)n) <= start)
        n++;
    return clock_add_months(anchor, (int)n);
}

/* Cents as "9.90" into out. */
static void money(int64_t cents, char out[32])
{
    snprintf(out, 32, "%s%" PRId64 ".%02" PRId64, cents < 0 ? "-" : "",
             (cents < 0 ? -cents : cents) / 100, (cents < 0 ? -cents : cents) % 100);
}

/* A span of ms as "15 d 12 h 0 min" into out. */
static void span_text(int64_t ms, char out[48])
{
    int64_t min = ms / 60000;
    snprintf(out, 48, "%" PRId64 " d %" PRId64 " h %" PRId64 " min", min / 1440, min / 60 % 24,
             min % 60);
}

/* ---- the workspace row ------------------------------------------------------------------- */

/* The billing columns of a workspace as stored; -1 for a NULL number. */
struct ws_row {
    char id[IDS_UUID_LEN];
    char name[COMPANY_MAX + 1];
    const struct plan *plan;
    const struct plan *scheduled; /* NULL: none */
    int64_t start, end;           /* the current period */
    int64_t extra;
    int64_t limit[3]; /* limit_personas, limit_projects, limit_members; -1: NULL */
    int64_t price;    /* price_cents; -1: NULL */
    int64_t created_at;
};

#define WS_COLUMNS                                                                \
    "name, plan_type, scheduled_plan, current_period_start, current_period_end, " \
    "extra_personas, limit_personas, limit_projects, limit_members, price_cents, created_at"

static int64_t col_or_none(struct store_stmt *st, int col)
{
    return store_col_is_null(st, col) ? -1 : store_col_int64(st, col);
}

static struct store_param int_or_null(int64_t v)
{
    if (v < 0)
        return STORE_NULL;
    return STORE_INT(v);
}

/* Reads workspace id into w; ERR_NOT_FOUND when there is none. */
static enum err_code read_ws(struct store_conn *conn, const char *id, struct ws_row *w,
                             struct err *err)
{
    memset(w, 0, sizeof(*w));
    struct store_stmt *st = NULL;
    struct store_param p[] = { STORE_TEXT(id) };
    bool row = false;
    enum err_code rc = store_prepare_params(
        conn, "SELECT " WS_COLUMNS " FROM workspaces WHERE id = ?", p, 1, &st, err);
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = err_set(err, ERR_NOT_FOUND, "id", "no workspace '%s'", id);
    if (!rc) {
        snprintf(w->id, sizeof(w->id), "%s", id);
        snprintf(w->name, sizeof(w->name), "%s", store_col_text(st, 0));
        w->plan = plan_find(store_col_text(st, 1));
        if (!w->plan)
            w->plan = plan_of(PLAN_FREE);
        w->scheduled = store_col_is_null(st, 2) ? NULL : plan_find(store_col_text(st, 2));
        w->start = store_col_int64(st, 3);
        w->end = store_col_int64(st, 4);
        w->extra = store_col_int64(st, 5);
        for (int k = 0; k < 3; k++)
            w->limit[k] = col_or_none(st, 6 + k);
        w->price = col_or_none(st, 9);
        w->created_at = store_col_int64(st, 10);
    }
    store_finalize(st);
    return rc;
}

/* Writes w's billing columns back (inside the write transaction that read it). */
static enum err_code write_ws(struct store_conn *conn, const struct ws_row *w, struct err *err)
{
    struct store_param p[] = {
        STORE_TEXT(w->plan->name),
        STORE_TEXT(w->scheduled ? w->scheduled->name : NULL),
        STORE_INT(w->start),
        STORE_INT(w->end),
        STORE_INT(w->extra),
        int_or_null(w->limit[LIMIT_PERSONAS]),
        int_or_null(w->limit[LIMIT_PROJECTS]),
        int_or_null(w->limit[LIMIT_MEMBERS]),
        int_or_null(w->price),
        STORE_TEXT(w->id),
    };
    return store_run(conn,
                     "UPDATE workspaces SET plan_type = ?, scheduled_plan = ?, "
                     "current_period_start = ?, current_period_end = ?, extra_personas = ?, "
                     "limit_personas = ?, limit_projects = ?, limit_members = ?, price_cents = ? "
                     "WHERE id = ?",
                     p, ARRAY_SIZE(p), NULL, err);
}

/* The price a month of w's plan: the contract's where the plan's is custom; -1: none agreed. */
static int64_t ws_price(const struct ws_row *w)
{
    return w->plan->price_cents == PLAN_CUSTOM ? w->price : w->plan->price_cents;
}

static int64_t ws_limit(const struct ws_row *w, enum limit_kind k)
{
    return gate_plan_limit(w->plan, w->limit[k], w->extra, k);
}

/*
 * Moves w to plan `to` (in memory: write_ws stores it): a scheduled change
 * is dropped, a contract's terms go with the enterprise plan, and the
 * members whose API quota is the old plan's default get the new plan's (a
 * quota set by hand stays).
 */
static enum err_code switch_plan(struct store_conn *conn, struct ws_row *w, const struct plan *to,
                                 struct err *err)
{
    struct store_param q[] = { STORE_INT(to->api_quota), STORE_TEXT(w->id),
                               STORE_INT(w->plan->api_quota) };
    enum err_code rc = store_run(conn,
                                 "UPDATE users SET api_quota = ? WHERE workspace_id = ? AND "
                                 "api_quota = ?",
                                 q, ARRAY_SIZE(q), NULL, err);
    if (rc)
        return rc;
    if (to->type != PLAN_ENTERPRISE) {
        w->limit[0] = w->limit[1] = w->limit[2] = -1;
        w->price = -1;
    }
    w->plan = to;
    w->scheduled = NULL;
    return ERR_OK;
}

/* ---- notifications ----------------------------------------------------------------------- */

/* notify() with data (a JSON object in a buf); a data text cut by its maximum is a bug. */
static enum err_code note(struct store_conn *conn, const char *workspace_id, const char *kind,
                          const char *message, const char *dedupe, const struct buf *data,
                          struct err *err)
{
    if (data->failed)
        return err_set(err, ERR_INTERNAL, NULL, "billing: a notification's data is too long");
    return notify(conn, workspace_id, kind, message, data->data, dedupe, err);
}

/*
 * Starts the data of a plan_changed notification in data (buf_init'd here;
 * release it): {"reason":reason,"from":from,"to":to, left open for the
 * caller's fields and its '}'.
 */
static void plan_change_data(struct buf *data, const char *reason, const struct plan *from,
                             const struct plan *to)
{
    buf_init(data, TEXT_MAX);
    buf_adds(data, "{\"reason\":");
    buf_add_json_string(data, reason);
    buf_adds(data, ",\"from\":");
    buf_add_json_string(data, from->name);
    buf_adds(data, ",\"to\":");
    buf_add_json_string(data, to->name);
}

/* ---- charging ---------------------------------------------------------------------------- */

static const struct billing_provider *provider_of(const struct billing_provider *p)
{
    return p ? p : billing_ledger();
}

/* Charges one line of kind through provider under key, for w's current period. */
static enum err_code charge_line(struct store_conn *conn, const struct billing_provider *provider,
                                 const struct ws_row *w, const struct billing_line *line,
                                 const char *key, int64_t now, struct invoice *out, struct err *err)
{
    struct billing_charge ch = {
        .workspace_id = w->id,
        .kind = line->kind,
        .lines = line,
        .n_lines = 1,
        .idempotency_key = key,
        .period_start = w->start,
        .period_end = w->end,
        .now = now,
    };
    provider = provider_of(provider);
    return provider->charge(provider, conn, &ch, out, err);
}

/* ---- periods ----------------------------------------------------------------------------- */

/* Applies w's scheduled change at the end of its period (w->end), with its notification. */
static enum err_code apply_scheduled(struct store_conn *conn, struct ws_row *w, struct err *err)
{
    const struct plan *from = w->plan, *to = w->scheduled;
    enum err_code rc = switch_plan(conn, w, to, err);
    if (rc)
        return rc;
    char iso[CLOCK_ISO8601_LEN], message[TEXT_MAX], dedupe[64];
    clock_iso8601(w->end, iso);
    snprintf(message, sizeof(message),
             "The workspace moved from the %s plan to the %s plan at the end of its billing "
             "period (%s), as scheduled.",
             from->name, to->name, iso);
    snprintf(dedupe, sizeof(dedupe), "plan_changed:scheduled:%" PRId64, w->end);
    struct buf data;
    plan_change_data(&data, "scheduled_downgrade", from, to);
    buf_adds(&data, ",\"effective_at\":");
    buf_add_json_string(&data, iso);
    buf_adds(&data, "}");
    rc = note(conn, w->id, NOTE_PLAN, message, dedupe, &data, err);
    buf_release(&data);
    return rc;
}

/* Invoices w's (new) current period at price cents a month, once: the key is the period. */
static enum err_code charge_period(struct store_conn *conn, const struct billing_provider *p,
                                   const struct ws_row *w, int64_t price, int64_t now,
                                   struct err *err)
{
    char from[CLOCK_ISO8601_LEN], to[CLOCK_ISO8601_LEN], description[BILLING_DESCRIPTION_MAX + 1];
    char key[64];
    clock_iso8601(w->start, from);
    clock_iso8601(w->end, to);
    snprintf(description, sizeof(description), "%s plan, %.10s to %.10s", w->plan->name, from, to);
    snprintf(key, sizeof(key), "period:%" PRId64, w->start);
    struct billing_line line = { KIND_PERIOD, description, 1, price, price };
    struct invoice inv;
    enum err_code rc = charge_line(conn, p, w, &line, key, now, &inv, err);
    invoice_release(&inv);
    return rc;
}

/*
 * Reads workspace id into w and rolls its periods over up to now (at most
 * BILLING_CATCH_UP_MAX of them): the scheduled change applied at the first
 * end, each new period invoiced when its plan has a price. Adds the periods
 * rolled to *rolled (may be NULL). Inside the caller's write transaction.
 */
static enum err_code catch_up(struct store_conn *conn, const struct billing_provider *p,
                              const char *id, int64_t now, struct ws_row *w, int64_t *rolled,
                              struct err *err)
{
    enum err_code rc = read_ws(conn, id, w, err);
    int n = 0;
    while (!rc && w->end <= now && n < BILLING_CATCH_UP_MAX) {
        if (w->scheduled)
            rc = apply_scheduled(conn, w, err);
        w->start = w->end;
        w->end = billing_period_end(w->created_at, w->start);
        int64_t price = ws_price(w);
        if (!rc && price > 0)
            rc = charge_period(conn, p, w, price, now, err);
        n++;
    }
    if (!rc && n > 0)
        rc = write_ws(conn, w, err);
    if (!rc && rolled)
        *rolled += n;
    return rc;
}

/* A change of workspace w (as catch_up left it) on conn, inside in_workspace's transaction. */
typedef enum err_code ws_fn(struct store_conn *conn, struct ws_row *w, void *ctx, struct err *err);

/*
 * Runs fn(ctx) (NULL: nothing more) on workspace id in one write
 * transaction on a connection of its own, after catch_up to now through p
 * (the periods rolled added to *rolled, which may be NULL): committed when
 * both succeed, rolled back otherwise. Returns the first error.
 */
static enum err_code in_workspace(struct store *s, const struct billing_provider *p, const char *id,
                                  int64_t now, int64_t *rolled, ws_fn *fn, void *ctx,
                                  struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct ws_row w;
    rc = store_begin_write(conn, err);
    if (!rc)
        rc = catch_up(conn, p, id, now, &w, rolled, err);
    if (!rc && fn)
        rc = fn(conn, &w, ctx, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    return rc;
}

/* ---- the state --------------------------------------------------------------------------- */

/* The sum and count of a workspace's invoices, of one period (period_start >= 0) or all. */
static enum err_code sum_invoices(struct store_conn *conn, const char *id, int64_t period_start,
                                  int64_t *sum, int64_t *count, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(id), STORE_INT(period_start) };
    struct store_stmt *st = NULL;
    bool row = false;
    enum err_code rc = store_prepare_params(
        conn,
        period_start >= 0 ? "SELECT COALESCE(SUM(total_cents), 0), COUNT(*) FROM invoices "
                            "WHERE workspace_id = ? AND period_start = ?"
                          : "SELECT COALESCE(SUM(total_cents), 0), COUNT(*) FROM invoices "
                            "WHERE workspace_id = ?",
        p, period_start >= 0 ? 2 : 1, &st, err);
    if (!rc)
        rc = store_step(st, &row, err);
    *sum = row ? store_col_int64(st, 0) : 0;
    *count = row ? store_col_int64(st, 1) : 0;
    store_finalize(st);
    return rc;
}

/* Fills out from w (as it is now on conn) with the usage and the charges. */
static enum err_code fill_state(struct store_conn *conn, const struct ws_row *w,
                                struct billing_state *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->workspace_id, sizeof(out->workspace_id), "%s", w->id);
    snprintf(out->name, sizeof(out->name), "%s", w->name);
    out->plan = w->plan;
    out->custom_terms = w->plan->type == PLAN_ENTERPRISE;
    out->price_cents = ws_price(w);
    out->period_start = w->start;
    out->period_end = w->end;
    out->anchor = w->created_at;
    out->extra_personas = w->extra;
    out->limits.personas = ws_limit(w, LIMIT_PERSONAS);
    out->limits.projects = ws_limit(w, LIMIT_PROJECTS);
    out->limits.members = ws_limit(w, LIMIT_MEMBERS);
    out->scheduled = w->scheduled;
    enum err_code rc = usage_count(conn, w->id, &out->usage, err);
    if (!rc)
        rc =
            sum_invoices(conn, w->id, w->start, &out->charges_cents, &out->invoices_in_period, err);
    if (!rc)
        rc = sum_invoices(conn, w->id, -1, &out->charged_total_cents, &out->invoices_total, err);
    return rc;
}

/* Fills out with workspace id's state as stored, in one read transaction. */
static enum err_code read_state(struct store_conn *conn, const char *id, struct billing_state *out,
                                struct err *err)
{
    struct ws_row w;
    enum err_code rc = store_begin(conn, err);
    if (rc)
        return rc;
    rc = read_ws(conn, id, &w, err);
    if (!rc)
        rc = fill_state(conn, &w, out, err);
    return store_end(conn, rc, err);
}

enum err_code billing_get(struct store *s, const char *workspace_id, int64_t now,
                          const struct billing_provider *provider, struct billing_state *out,
                          struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct ws_row w;
    rc = read_ws(conn, workspace_id, &w, err);
    if (!rc && w.end <= now) {
        /* the scheduler has not come by yet: roll the periods over first */
        rc = store_begin_write(conn, err);
        if (!rc)
            rc = catch_up(conn, provider_of(provider), workspace_id, now, &w, NULL, err);
        rc = store_end(conn, rc, err);
    }
    if (!rc)
        rc = read_state(conn, workspace_id, out, err);
    store_release(s, conn);
    return rc;
}

enum err_code billing_peek(struct store *s, const char *workspace_id, struct billing_state *out,
                           struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = read_state(conn, workspace_id, out, err);
    store_release(s, conn);
    return rc;
}

/* ---- idempotency ------------------------------------------------------------------------- */

void billing_result_release(struct billing_result *r)
{
    free(r->response);
    invoice_release(&r->invoice);
    memset(r, 0, sizeof(*r));
}

/* ERR_INVALID unless key is 1..BILLING_KEY_MAX printable ASCII characters (no spaces). */
static enum err_code check_key(const char *key, struct err *err)
{
    size_t n = strlen(key);
    bool ok = n >= 1 && n <= BILLING_KEY_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = key[i] > 0x20 && key[i] < 0x7f;
    if (!ok)
        return err_set(err, ERR_INVALID, FIELD_KEY,
                       "Idempotency-Key must be 1 to %d printable ASCII characters without spaces",
                       BILLING_KEY_MAX);
    return ERR_OK;
}

/*
 * Looks key up: *replay and out filled with the stored answer when the same
 * request (hash) used it; ERR_CONFLICT when another request did.
 */
static enum err_code idem_lookup(struct store_conn *conn, const char *workspace_id, const char *key,
                                 const char *hash, struct billing_result *out, bool *replay,
                                 struct err *err)
{
    *replay = false;
    struct store_param p[] = { STORE_TEXT(workspace_id), STORE_TEXT(key) };
    struct store_stmt *st = NULL;
    bool row = false;
    char invoice_id[IDS_UUID_LEN] = "";
    enum err_code rc = store_prepare_params(conn,
                                            "SELECT request_hash, status, response, invoice_id "
                                            "FROM idempotency_keys WHERE workspace_id = ? AND "
                                            "idem_key = ?",
                                            p, 2, &st, err);
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && row) {
        if (strcmp(store_col_text(st, 0), hash) != 0) {
            rc = err_set(err, ERR_CONFLICT, FIELD_KEY,
                         "Idempotency-Key '%.64s' was already used for another request (another "
                         "operation or other arguments): use a new key for a new request",
                         key);
        } else {
            *replay = true;
            out->replayed = true;
            out->status = (int)store_col_int64(st, 1);
            out->response = xstrdup(store_col_text(st, 2) ? store_col_text(st, 2) : "{}");
            if (!store_col_is_null(st, 3))
                snprintf(invoice_id, sizeof(invoice_id), "%s", store_col_text(st, 3));
        }
    }
    store_finalize(st);
    if (!rc && invoice_id[0])
        rc = billing_invoice_read(conn, workspace_id, invoice_id, &out->invoice, err);
    return rc;
}

/* Stores out's answer with key (a success only). */
static enum err_code idem_store(struct store_conn *conn, const char *workspace_id, const char *key,
                                const char *hash, const struct billing_result *out, int64_t now,
                                struct err *err)
{
    struct store_param p[] = {
        STORE_TEXT(workspace_id),
        STORE_TEXT(key),
        STORE_TEXT(hash),
        STORE_INT(out->status),
        STORE_TEXT(out->response),
        STORE_TEXT(out->invoice.id[0] ? out->invoice.id : NULL),
        STORE_INT(now),
    };
    return store_run(conn,
                     "INSERT INTO idempotency_keys (workspace_id, idem_key, request_hash, status, "
                     "response, invoice_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     p, ARRAY_SIZE(p), NULL, err);
}

/* ---- the operations ---------------------------------------------------------------------- */

/*
 * An operation's arguments, and the key its invoice is charged under. With
 * quote set, the operation checks and prices what it would do, fills the
 * quote and stops before charging or writing anything.
 */
struct op_args {
    int64_t quantity;
    const struct plan *plan;
    char invoice_key[BILLING_CHARGE_KEY_MAX + 1];
    struct billing_quote *quote;
};

/* Fills a->quote with what the operation would charge; ERR_OK. */
static enum err_code quoted(const struct op_args *a, const struct ws_row *w,
                            const struct plan *plan, int64_t unit, int64_t amount,
                            int64_t effective_at, const char *description, int64_t now)
{
    struct billing_quote *q = a->quote;
    q->plan = plan;
    q->quantity = a->quantity > 0 ? a->quantity : 1;
    q->unit_cents = unit;
    q->amount_cents = amount;
    q->effective_at = effective_at;
    q->period_end = w->end;
    q->period_ms = w->end - w->start;
    q->ms_left = w->end - now < q->period_ms ? w->end - now : q->period_ms;
    snprintf(q->description, sizeof(q->description), "%s", description);
    return ERR_OK;
}

typedef enum err_code op_fn(struct store_conn *conn, struct ws_row *w, const struct op_args *a,
                            const struct billing_request *rq, struct billing_result *out,
                            struct err *err);

static enum err_code do_extra_personas(struct store_conn *conn, struct ws_row *w,
                                       const struct op_args *a, const struct billing_request *rq,
                                       struct billing_result *out, struct err *err)
{
    int64_t unit = w->plan->extra_persona_cents;
    if (unit <= 0)
        return err_set(err, ERR_FORBIDDEN, "plan",
                       "extra personas are not available on this plan (%s): upgrade to buy them",
                       w->plan->name);
    if (ws_limit(w, LIMIT_PERSONAS) < 0)
        return err_set(err, ERR_CONFLICT, "quantity",
                       "the workspace's persona allowance is unlimited: there is nothing to buy");
    int64_t amount = a->quantity * unit;
    char unit_text[32], amount_text[32], description[BILLING_DESCRIPTION_MAX + 1];
    money(unit, unit_text);
    money(amount, amount_text);
    snprintf(description, sizeof(description), "%" PRId64 " extra persona%s at %s each (%s plan)",
             a->quantity, a->quantity == 1 ? "" : "s", unit_text, w->plan->name);
    if (a->quote)
        return quoted(a, w, w->plan, unit, amount, rq->now, description, rq->now);
    struct billing_line line = { KIND_EXTRA, description, a->quantity, unit, amount };
    enum err_code rc =
        charge_line(conn, rq->provider, w, &line, a->invoice_key, rq->now, &out->invoice, err);
    if (rc)
        return rc;
    w->extra += a->quantity;
    rc = write_ws(conn, w, err);
    if (rc)
        return rc;

    char message[TEXT_MAX], dedupe[64];
    snprintf(message, sizeof(message),
             "Bought %" PRId64 " extra persona%s for %s %s (invoice #%" PRId64
             "); the persona limit is now %" PRId64 ".",
             a->quantity, a->quantity == 1 ? "" : "s", amount_text, BILLING_CURRENCY,
             out->invoice.number, ws_limit(w, LIMIT_PERSONAS));
    snprintf(dedupe, sizeof(dedupe), "invoice:%s", out->invoice.id);
    struct buf data;
    buf_init(&data, TEXT_MAX);
    buf_adds(&data, "{\"invoice_id\":");
    buf_add_json_string(&data, out->invoice.id);
    buf_addf(&data,
             ",\"invoice_number\":%" PRId64 ",\"quantity\":%" PRId64 ",\"unit_cents\":%" PRId64
             ",\"amount_cents\":%" PRId64 ",\"extra_personas\":%" PRId64
             ",\"max_personas\":%" PRId64 "}",
             out->invoice.number, a->quantity, unit, amount, w->extra, ws_limit(w, LIMIT_PERSONAS));
    rc = note(conn, w->id, NOTE_EXTRA, message, dedupe, &data, err);
    buf_release(&data);
    return rc;
}

static enum err_code not_self_serve(struct err *err)
{
    return err_set(err, ERR_FORBIDDEN, "plan",
                   "the enterprise plan is not self-serve: its limits and price are agreed per "
                   "contract; contact sales to move to it");
}

static enum err_code do_upgrade(struct store_conn *conn, struct ws_row *w, const struct op_args *a,
                                const struct billing_request *rq, struct billing_result *out,
                                struct err *err)
{
    const struct plan *from = w->plan, *to = a->plan;
    if (to == from)
        return err_set(err, ERR_CONFLICT, "plan", "the workspace is already on the %s plan",
                       to->name);
    if (to->type == PLAN_ENTERPRISE)
        return not_self_serve(err);
    if (to->type < from->type)
        return err_set(err, ERR_CONFLICT, "plan",
                       "%s is below the workspace's %s plan: that is a downgrade (POST "
                       "/api/billing/downgrade), applied at the end of the billing period",
                       to->name, from->name);
    int64_t old_price = ws_price(w) < 0 ? 0 : ws_price(w);
    int64_t diff = to->price_cents - old_price;
    int64_t period = w->end - w->start, left = w->end - rq->now;
    if (left > period)
        left = period;
    int64_t amount = billing_prorate(diff, left, period);

    char from_price[32], to_price[32], amount_text[32], left_text[48], period_text[48];
    char text[TEXT_MAX], description[BILLING_DESCRIPTION_MAX + 1];
    money(old_price, from_price);
    money(to->price_cents, to_price);
    money(amount, amount_text);
    span_text(left, left_text);
    span_text(period, period_text);
    snprintf(text, sizeof(text),
             "Upgrade from %s (%s a month) to %s (%s a month), prorated: %s left of %s", from->name,
             from_price, to->name, to_price, left_text, period_text);
    snprintf(description, sizeof(description), "%.200s", text);
    if (a->quote)
        return quoted(a, w, to, amount, amount, rq->now, description, rq->now);
    struct billing_line line = { KIND_UPGRADE, description, 1, amount, amount };
    enum err_code rc =
        charge_line(conn, rq->provider, w, &line, a->invoice_key, rq->now, &out->invoice, err);
    if (!rc)
        rc = switch_plan(conn, w, to, err);
    if (!rc)
        rc = write_ws(conn, w, err);
    if (rc)
        return rc;

    char message[TEXT_MAX], dedupe[64];
    snprintf(message, sizeof(message),
             "Upgraded from the %s plan to the %s plan; charged %s %s for the rest of the billing "
             "period (invoice #%" PRId64 ").",
             from->name, to->name, amount_text, BILLING_CURRENCY, out->invoice.number);
    snprintf(dedupe, sizeof(dedupe), "invoice:%s", out->invoice.id);
    struct buf data;
    plan_change_data(&data, "upgrade", from, to);
    buf_adds(&data, ",\"invoice_id\":");
    buf_add_json_string(&data, out->invoice.id);
    buf_addf(&data,
             ",\"invoice_number\":%" PRId64 ",\"amount_cents\":%" PRId64 ",\"ms_left\":%" PRId64
             ",\"period_ms\":%" PRId64 "}",
             out->invoice.number, amount, left, period);
    rc = note(conn, w->id, NOTE_PLAN, message, dedupe, &data, err);
    buf_release(&data);
    return rc;
}

static const char *const KIND_WORDS[] = { "personas", "projects", "members (with open invites)" };

static enum err_code do_downgrade(struct store_conn *conn, struct ws_row *w,
                                  const struct op_args *a, const struct billing_request *rq,
                                  struct billing_result *out, struct err *err)
{
    const struct plan *from = w->plan, *to = a->plan;
    if (to == from)
        return err_set(err, ERR_CONFLICT, "plan", "the workspace is already on the %s plan",
                       to->name);
    if (to->type == PLAN_ENTERPRISE)
        return not_self_serve(err);
    if (to->type > from->type)
        return err_set(err, ERR_CONFLICT, "plan",
                       "%s is above the workspace's %s plan: that is an upgrade (POST "
                       "/api/billing/upgrade), applied at once",
                       to->name, from->name);
    struct usage u;
    enum err_code rc = usage_count(conn, w->id, &u, err);
    if (rc)
        return rc;
    struct billing_fit *fit = &out->fit;
    fit->plan = to;
    char figures[TEXT_MAX] = "";
    size_t len = 0;
    for (int k = 0; k < 3; k++) {
        fit->used[k] = gate_used(&u, (enum limit_kind)k);
        fit->limit[k] = gate_plan_limit(to, -1, w->extra, (enum limit_kind)k);
        fit->exceeds[k] = fit->limit[k] >= 0 && fit->used[k] > fit->limit[k];
        if (fit->exceeds[k] && len < sizeof(figures)) {
            len += (size_t)snprintf(
                figures + len, sizeof(figures) - len, "%s%" PRId64 " %s where %s allows %" PRId64,
                fit->any ? ", " : "", fit->used[k], KIND_WORDS[k], to->name, fit->limit[k]);
            fit->any = true;
        }
    }
    if (fit->any)
        return err_set(err, ERR_CONFLICT, "plan",
                       "cannot downgrade to %s: the workspace has %s; remove some first", to->name,
                       figures);
    if (a->quote) {
        char text[BILLING_DESCRIPTION_MAX + 1];
        snprintf(text, sizeof(text), "Downgrade from %s to %s at the end of the billing period",
                 from->name, to->name);
        return quoted(a, w, to, 0, 0, w->end, text, rq->now);
    }
    w->scheduled = to;
    return write_ws(conn, w, err);
}

/* An operation of run_op, for in_workspace. */
struct op_call {
    const char *key;  /* the Idempotency-Key; NULL: none */
    const char *hash; /* of the request text */
    op_fn *fn;
    const struct op_args *a;
    const struct billing_request *rq;
    struct billing_result *out;
};

/* The key looked up (a replay skips the rest), the operation, the answer stored with the key. */
static enum err_code op_in_workspace(struct store_conn *conn, struct ws_row *w, void *ctx,
                                     struct err *err)
{
    const struct op_call *o = ctx;
    struct billing_result *out = o->out;
    bool replay = false;
    enum err_code rc =
        o->key ? idem_lookup(conn, w->id, o->key, o->hash, out, &replay, err) : ERR_OK;
    if (rc || replay)
        return rc;
    rc = o->fn(conn, w, o->a, o->rq, out, err);
    if (!rc)
        rc = fill_state(conn, w, &out->state, err);
    if (rc)
        return rc;
    out->status = 200;
    out->response = o->rq->render ? o->rq->render(out, o->rq->render_ctx) : NULL;
    if (!out->response)
        out->response = xstrdup("{}");
    return o->key ? idem_store(conn, w->id, o->key, o->hash, out, o->rq->now, err) : ERR_OK;
}

/*
 * Runs fn for the caller's workspace in one write transaction (in_workspace:
 * the periods rolled over first): the key checked and looked up (a replay
 * skips fn), the answer rendered and stored with the key. request_text
 * identifies the operation and its arguments (its hash is stored).
 */
static enum err_code run_op(struct store *s, const struct caller *c, const char *request_text,
                            op_fn *fn, struct op_args *a, const struct billing_request *rq,
                            struct billing_result *out, struct err *err)
{
    const char *key = rq->idempotency_key && *rq->idempotency_key ? rq->idempotency_key : NULL;
    enum err_code rc = key ? check_key(key, err) : ERR_OK;
    if (rc)
        return rc;
    char hash[SHA256_HEX_LEN];
    sha256_hex(request_text, strlen(request_text), hash);
    if (key) {
        snprintf(a->invoice_key, sizeof(a->invoice_key), "request:%s", key);
    } else {
        char id[IDS_UUID_LEN];
        ids_uuid7(id);
        snprintf(a->invoice_key, sizeof(a->invoice_key), "auto:%s", id);
    }

    struct op_call o = { key, hash, fn, a, rq, out };
    rc = in_workspace(s, provider_of(rq->provider), c->workspace_id, rq->now, NULL, op_in_workspace,
                      &o, err);
    if (rc) {
        /* nothing happened: only a downgrade's figures are kept for the answer */
        struct billing_fit fit = out->fit;
        billing_result_release(out);
        out->fit = fit;
    }
    return rc;
}

/* ERR_INVALID on "plan" unless name is a plan; *out the plan. */
static enum err_code find_plan(const char *name, const struct plan **out, struct err *err)
{
    *out = plan_find(name);
    if (*out)
        return ERR_OK;
    return err_set(err, ERR_INVALID, "plan",
                   "no plan '%.40s' (free, individual, business, agency, enterprise)",
                   name ? name : "");
}

enum err_code billing_buy_extra_personas(struct store *s, const struct caller *c, int64_t quantity,
                                         const struct billing_request *rq,
                                         struct billing_result *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = gate_admin(c, err);
    if (rc)
        return rc;
    if (quantity < 1 || quantity > BILLING_QUANTITY_MAX)
        return err_set(err, ERR_INVALID, "quantity",
                       "quantity must be 1 to %d extra personas, not %" PRId64,
                       BILLING_QUANTITY_MAX, quantity);
    struct op_args a = { .quantity = quantity };
    char text[64];
    snprintf(text, sizeof(text), "extra_personas\n%" PRId64, quantity);
    return run_op(s, c, text, do_extra_personas, &a, rq, out, err);
}

/*
 * A move of the caller's workspace to plan_name by fn (do_upgrade or
 * do_downgrade), named op in the request text: admin only, an unknown
 * plan ERR_INVALID on "plan", then run_op.
 */
static enum err_code change_plan(struct store *s, const struct caller *c, const char *op, op_fn *fn,
                                 const char *plan_name, const struct billing_request *rq,
                                 struct billing_result *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct op_args a = { 0 };
    enum err_code rc = gate_admin(c, err);
    if (!rc)
        rc = find_plan(plan_name, &a.plan, err);
    if (rc)
        return rc;
    char text[64];
    snprintf(text, sizeof(text), "%s\n%s", op, a.plan->name);
    return run_op(s, c, text, fn, &a, rq, out, err);
}

enum err_code billing_upgrade(struct store *s, const struct caller *c, const char *plan_name,
                              const struct billing_request *rq, struct billing_result *out,
                              struct err *err)
{
    return change_plan(s, c, "upgrade", do_upgrade, plan_name, rq, out, err);
}

enum err_code billing_downgrade(struct store *s, const struct caller *c, const char *plan_name,
                                const struct billing_request *rq, struct billing_result *out,
                                struct err *err)
{
    return change_plan(s, c, "downgrade", do_downgrade, plan_name, rq, out, err);
}

/* An operation priced, not made, for in_workspace (see op_args.quote). */
struct quote_call {
    op_fn *fn;
    const struct op_args *a;
    const struct billing_request *rq;
    struct billing_result *out; /* a downgrade's figures */
};

static enum err_code quote_in_workspace(struct store_conn *conn, struct ws_row *w, void *ctx,
                                        struct err *err)
{
    const struct quote_call *q = ctx;
    return q->fn(conn, w, q->a, q->rq, q->out, err);
}

enum err_code billing_quote(struct store *s, const struct caller *c, enum billing_action action,
                            const char *plan_name, int64_t quantity, int64_t now,
                            struct billing_quote *out, struct billing_fit *fit, struct err *err)
{
    memset(out, 0, sizeof(*out));
    memset(fit, 0, sizeof(*fit));
    out->action = action;
    struct op_args a = { .quantity = quantity, .quote = out };
    enum err_code rc = gate_admin(c, err);
    if (rc)
        return rc;
    op_fn *fn = action == BILLING_EXTRA_PERSONAS ? do_extra_personas
                : action == BILLING_UPGRADE      ? do_upgrade
                                                 : do_downgrade;
    if (action == BILLING_EXTRA_PERSONAS) {
        if (quantity < 1 || quantity > BILLING_QUANTITY_MAX)
            return err_set(err, ERR_INVALID, "quantity",
                           "quantity must be 1 to %d extra personas, not %" PRId64,
                           BILLING_QUANTITY_MAX, quantity);
    } else {
        a.quantity = 1;
        rc = find_plan(plan_name, &a.plan, err);
        if (rc)
            return rc;
    }
    struct billing_request rq = { .now = now };
    struct billing_result r = { 0 };
    struct quote_call q = { fn, &a, &rq, &r };
    /* nothing is written but the periods rolled over (as billing_get does) */
    rc =
        in_workspace(s, provider_of(NULL), c->workspace_id, now, NULL, quote_in_workspace, &q, err);
    *fit = r.fit;
    return rc;
}

/* Drops w's scheduled change (ERR_NOT_FOUND when none is); ctx, a billing_state, the result. */
static enum err_code cancel_scheduled(struct store_conn *conn, struct ws_row *w, void *ctx,
                                      struct err *err)
{
    if (!w->scheduled)
        return err_set(err, ERR_NOT_FOUND, NULL, "no plan change is scheduled");
    w->scheduled = NULL;
    enum err_code rc = write_ws(conn, w, err);
    if (!rc)
        rc = fill_state(conn, w, ctx, err);
    return rc;
}

enum err_code billing_cancel_change(struct store *s, const struct caller *c, int64_t now,
                                    struct billing_state *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = gate_admin(c, err);
    if (rc)
        return rc;
    return in_workspace(s, billing_ledger(), c->workspace_id, now, NULL, cancel_scheduled, out,
                        err);
}

/* ---- invoices ---------------------------------------------------------------------------- */

void invoice_page_release(struct invoice_page *pg)
{
    for (size_t i = 0; i < pg->n; i++)
        invoice_release(&pg->items[i]);
    free(pg->items);
    memset(pg, 0, sizeof(*pg));
}

static void read_invoice_id(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct invoice *inv = item;
    snprintf(inv->id, sizeof(inv->id), "%s", store_col_text(st, 0));
}

enum err_code billing_invoices(struct store *s, const char *workspace_id, int64_t limit,
                               int64_t offset, struct invoice_page *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_page(limit, offset, BILLING_INVOICE_PAGE_MAX, err);
    if (rc)
        return rc;
    out->limit = limit;
    out->offset = offset;
    struct store_param ws[] = { STORE_TEXT(workspace_id) };
    struct store_page_query q = {
        .count_sql = "SELECT COUNT(*) FROM invoices WHERE workspace_id = ?",
        .page_sql = "SELECT id FROM invoices WHERE workspace_id = ? "
                    "ORDER BY number DESC LIMIT ? OFFSET ?",
        .params = ws,
        .n = 1,
        .limit = limit,
        .offset = offset,
        .item_size = sizeof(*out->items),
        .read = read_invoice_id,
    };
    void *items = NULL;
    rc = store_read_page(s, &q, &items, &out->n, &out->total, err);
    out->items = items;
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    for (size_t i = 0; !rc && i < out->n; i++) {
        char id[IDS_UUID_LEN];
        snprintf(id, sizeof(id), "%s", out->items[i].id);
        rc = billing_invoice_read(conn, workspace_id, id, &out->items[i], err);
    }
    store_release(s, conn);
    if (rc)
        invoice_page_release(out);
    return rc;
}

/* ---- the scheduler ----------------------------------------------------------------------- */

static void read_due_id(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    snprintf(item, IDS_UUID_LEN, "%s", store_col_text(st, 0));
}

enum err_code billing_run_due(struct store *s, const struct billing_provider *provider, int64_t now,
                              int64_t *rolled, struct err *err)
{
    int64_t total = 0;
    enum err_code first = ERR_OK;
    provider = provider_of(provider);
    for (int batch = 0; batch < DUE_BATCHES; batch++) {
        struct store_conn *conn = NULL;
        enum err_code rc = store_acquire(s, &conn, err);
        void *items = NULL;
        size_t n = 0;
        struct store_param p[] = { STORE_INT(now), STORE_INT(DUE_BATCH) };
        if (!rc)
            rc = store_read_rows(conn,
                                 "SELECT id FROM workspaces WHERE current_period_end <= ? "
                                 "ORDER BY current_period_end, id LIMIT ?",
                                 p, 2, DUE_BATCH, IDS_UUID_LEN, read_due_id, NULL, &items, &n, err);
        store_release(s, conn);
        if (rc) {
            free(items);
            return rc;
        }
        const char(*ids)[IDS_UUID_LEN] = items;
        size_t failed = 0;
        for (size_t i = 0; i < n; i++) {
            struct err e = ERR_INIT;
            /* each workspace rolled over in its own transaction */
            enum err_code one = in_workspace(s, provider, ids[i], now, &total, NULL, NULL, &e);
            if (one) {
                LOG_KV(LOG_LEVEL_WARN, "billing", "period rollover failed",
                       LOG_STR("workspace", ids[i]), LOG_STR("error", e.msg));
                if (!first) {
                    first = one;
                    *err = e;
                }
                failed++;
            }
        }
        free(items);
        /* done when this batch was the last; a batch of failures only would come back forever */
        if (n < DUE_BATCH || failed == n)
            break;
    }
    if (rolled)
        *rolled = total;
    return first;
}

struct billing_scheduler {
    struct store *store;
    const struct billing_provider *provider;
    int64_t tick_ms;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_bool stop;
};

static void *scheduler_main(void *arg)
{
    struct billing_scheduler *b = arg;
    while (!atomic_load(&b->stop)) {
        struct err err = ERR_INIT;
        int64_t rolled = 0;
        if (billing_run_due(b->store, b->provider, clock_now_ms(), &rolled, &err))
            LOG_WARN("billing", "scheduler: %s", err.msg);
        if (rolled > 0)
            LOG_KV(LOG_LEVEL_INFO, "billing", "periods rolled over", LOG_INT("periods", rolled));
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        int64_t ns = until.tv_nsec + (b->tick_ms % 1000) * 1000000;
        until.tv_sec += (time_t)(b->tick_ms / 1000 + ns / 1000000000);
        until.tv_nsec = (long)(ns % 1000000000);
        pthread_mutex_lock(&b->lock);
        while (!atomic_load(&b->stop))
            if (pthread_cond_timedwait(&b->wake, &b->lock, &until) != 0)
                break;
        pthread_mutex_unlock(&b->lock);
    }
    return NULL;
}

struct billing_scheduler *billing_scheduler_start(struct store *s,
                                                  const struct billing_provider *provider,
                                                  int64_t tick_ms, struct err *err)
{
    struct billing_scheduler *b = xcalloc(1, sizeof(*b));
    b->store = s;
    b->provider = provider_of(provider);
    b->tick_ms = tick_ms > 0 ? tick_ms : 1000;
    atomic_init(&b->stop, false);
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->wake, NULL);
    if (pthread_create(&b->thread, NULL, scheduler_main, b) != 0) {
        pthread_mutex_destroy(&b->lock);
        pthread_cond_destroy(&b->wake);
        free(b);
        err_set(err, ERR_INTERNAL, NULL, "cannot start the billing scheduler thread");
        return NULL;
    }
    return b;
}

void billing_scheduler_stop(struct billing_scheduler *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    atomic_store(&b->stop, true);
    pthread_cond_broadcast(&b->wake);
    pthread_mutex_unlock(&b->lock);
    pthread_join(b->thread, NULL);
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->wake);
    free(b);
}

/* ---- the operator's terms ---------------------------------------------------------------- */

static enum err_code check_term(const char *name, int64_t v, int64_t min, int64_t max,
                                struct err *err)
{
    if (v == BILLING_KEEP || (v >= min && v <= max))
        return ERR_OK;
    return err_set(err, ERR_INVALID, name, "%s must be %" PRId64 "..%" PRId64 "%s, not %" PRId64,
                   name, min < 0 ? 0 : min, max, min < 0 ? " or unlimited" : "", v);
}

static const char *const TERM_NAMES[] = { "max_personas", "max_projects", "team_members",
                                          "price_cents" };

/* The operator's terms (billing_set_terms), checked: the plan and the values by TERM_NAMES. */
struct terms {
    const struct plan *to; /* NULL: the workspace's own */
    int64_t v[4];          /* BILLING_KEEP: kept */
};

/* Puts the terms ctx on w: its plan changed (with its notification) and the values written. */
static enum err_code apply_terms(struct store_conn *conn, struct ws_row *w, void *ctx,
                                 struct err *err)
{
    const struct terms *t = ctx;
    const int64_t *v = t->v;
    const struct plan *from = w->plan, *to = t->to ? t->to : w->plan;
    enum err_code rc = ERR_OK;
    for (int i = 0; !rc && i < 4; i++)
        if (v[i] != BILLING_KEEP && to->type != PLAN_ENTERPRISE)
            rc = err_set(err, ERR_INVALID, TERM_NAMES[i],
                         "%s is a term of the enterprise plan, and the workspace would be on the "
                         "%s plan",
                         TERM_NAMES[i], to->name);
    if (!rc && to->type == PLAN_ENTERPRISE && from->type != PLAN_ENTERPRISE) {
        char missing[128] = "";
        for (int i = 0; i < 4; i++)
            if (v[i] == BILLING_KEEP)
                snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
                         missing[0] ? ", " : "", TERM_NAMES[i]);
        if (missing[0])
            rc = err_set(err, ERR_INVALID, "plan",
                         "moving to the enterprise plan needs all its terms; missing: %s", missing);
    }
    if (!rc && to != from) {
        rc = switch_plan(conn, w, to, err);
        char message[TEXT_MAX];
        snprintf(message, sizeof(message),
                 "The workspace was moved from the %s plan to the %s plan by the operator.",
                 from->name, to->name);
        struct buf data;
        plan_change_data(&data, "operator", from, to);
        buf_adds(&data, "}");
        if (!rc)
            rc = note(conn, w->id, NOTE_PLAN, message, NULL, &data, err);
        buf_release(&data);
    }
    if (rc)
        return rc;
    for (int i = 0; i < 3; i++)
        if (v[i] != BILLING_KEEP)
            w->limit[i] = v[i];
    if (v[3] != BILLING_KEEP)
        w->price = v[3];
    return write_ws(conn, w, err);
}

enum err_code billing_set_terms(struct store *s, const char *workspace_id,
                                const struct billing_terms *t, int64_t now, struct err *err)
{
    struct terms terms = {
        .v = { t->max_personas, t->max_projects, t->team_members, t->price_cents },
    };
    enum err_code rc = t->plan ? find_plan(t->plan, &terms.to, err) : ERR_OK;
    for (int i = 0; !rc && i < 3; i++)
        rc = check_term(TERM_NAMES[i], terms.v[i], -1, BILLING_TERMS_LIMIT_MAX, err);
    if (!rc)
        rc = check_term(TERM_NAMES[3], terms.v[3], 0, BILLING_TERMS_PRICE_MAX, err);
    if (rc)
        return rc;
    return in_workspace(s, billing_ledger(), workspace_id, now, NULL, apply_terms, &terms, err);
}
