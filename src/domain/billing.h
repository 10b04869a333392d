/*
 * domain/billing.h - what a workspace pays and for what (SPEC.md 5): extra
 * personas bought, prorated upgrades, downgrades scheduled for the end of
 * the billing period, the periods rolled over (each paid period invoiced),
 * enterprise terms set by the operator, and the workspace's billing state.
 * Money moves through a billing provider (domain/billing_provider.h; the
 * built-in ledger by default) in integer cents; nothing here uses floating
 * point.
 *
 * Rules:
 *   - extra personas: cost = quantity x the plan's extra persona price
 *     (plans.h); not sold on the free plan (ERR_FORBIDDEN "extra personas
 *     are not available on this plan (free)"); they raise the persona limit
 *     for good, whatever the plan later becomes.
 *   - upgrade (to a plan above the current one in the plan table): takes
 *     effect at once and charges billing_prorate(new price - old price, ms
 *     left in the period, the period's ms); a scheduled downgrade is
 *     dropped. Enterprise is not self-serve (ERR_FORBIDDEN: contact sales).
 *   - downgrade (to a plan below): ERR_CONFLICT with the figures when the
 *     workspace uses more personas, projects or members (open invites
 *     included) than the new plan allows (bought extras count); otherwise
 *     scheduled for the period's end, when the scheduler applies it (even if
 *     usage grew since: what exists stays, nothing more can be added).
 *   - a billing period is one calendar month from the subscription date
 *     (the workspace's creation): periods end on that day of each month,
 *     clamped to the month's last day (clock_add_months). At a period's end
 *     the scheduled change applies, the next period begins, and a plan with
 *     a price is invoiced for it ("subscription", once per period: the
 *     invoice's key is the period's start).
 *   - every operation first rolls the workspace's periods over up to `now`
 *     (as the scheduler would), in the same transaction, so its figures are
 *     those of the current period even if the scheduler has not run yet.
 *   - only a workspace admin buys, upgrades, downgrades or cancels
 *     (ERR_FORBIDDEN otherwise); every member may read.
 *   - a charge, what it pays for, the notification (domain/notifications.h:
 *     "extra_charge", "plan_changed") and the stored answer of its
 *     Idempotency-Key commit in one write transaction, or none of them do.
 *
 * Idempotency: a request with a key (1..BILLING_KEY_MAX printable ASCII
 * characters) whose key the workspace has used before for the same
 * operation and arguments does nothing and answers the stored status and
 * body (replayed); for another operation or other arguments it is
 * ERR_CONFLICT on field "Idempotency-Key". Only successes are stored: a
 * refused request may be retried with its key. Parallel requests with one
 * key are serialised by the write lock: exactly one of them charges.
 *
 * Threading: any thread; each call takes its own connection from the
 * store's pool and returns it before returning. Times are passed in (`now`,
 * epoch ms), never read here, so tests set them.
 */
#ifndef DOMAIN_BILLING_H
#define DOMAIN_BILLING_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/accounts.h"
#include "domain/billing_provider.h"
#include "domain/gate.h"

struct store;

#define BILLING_QUANTITY_MAX         100000 /* extra personas in one purchase */
#define BILLING_INVOICE_PAGE_DEFAULT 20
#define BILLING_INVOICE_PAGE_MAX     100
#define BILLING_CATCH_UP_MAX         36        /* periods rolled over in one transaction */
#define BILLING_TERMS_LIMIT_MAX      10000000  /* an enterprise limit the operator may set */
#define BILLING_TERMS_PRICE_MAX      100000000 /* cents: 1,000,000.00 a month */
#define BILLING_KEEP                 INT64_MIN /* billing_terms: leave as it is */
/*
 * How often `serve`'s scheduler looks for periods that ended: 10 s, as
 * every billing request rolls its own workspace over first anyway, so the
 * scheduler only matters for workspaces nobody looks at (their invoice and
 * notification come seconds late). 200 ms under CROWDELIC_ENV=test, where
 * the end-to-end tests move the clock and watch the change happen.
 */
#define BILLING_TICK_MS      10000
#define BILLING_TICK_TEST_MS 200

/*
 * (diff_cents x ms_left) / period_ms rounded half up to the cent, in
 * integers (128-bit intermediate): what an upgrade costs. ms_left is
 * clamped to [0, period_ms]; 0 when period_ms <= 0 or diff_cents <= 0.
 */
int64_t billing_prorate(int64_t diff_cents, int64_t ms_left, int64_t period_ms);

/*
 * The end of the billing period that starts at start for a subscription
 * made at anchor: the first anchor + n calendar months (n >= 1) after
 * start.
 */
int64_t billing_period_end(int64_t anchor, int64_t start);

/* A workspace's billing as it is. */
struct billing_state {
    char workspace_id[IDS_UUID_LEN];
    char name[COMPANY_MAX + 1];
    const struct plan *plan;
    bool custom_terms;                /* enterprise: the contract's limits and price */
    int64_t price_cents;              /* a month; -1: none agreed (enterprise without a price) */
    int64_t period_start, period_end; /* ms: the current period, [start, end) */
    int64_t anchor;                   /* ms: the subscription date periods are counted from */
    int64_t extra_personas;           /* bought, for good */
    struct limits limits;             /* as they apply, extras included; -1: unlimited */
    struct usage usage;
    const struct plan *scheduled; /* the downgrade at period_end; NULL: none */
    int64_t charges_cents;        /* invoiced in the current period */
    int64_t invoices_in_period;
    int64_t invoices_total;      /* ever */
    int64_t charged_total_cents; /* ever */
};

/* How far a workspace's usage is from a plan's limits (a downgrade's figures). */
struct billing_fit {
    const struct plan *plan;
    int64_t used[3], limit[3]; /* by enum limit_kind; limit -1: unlimited */
    bool exceeds[3];
    bool any;
};

struct billing_result;

/*
 * Writes the answer of a successful request (JSON text, malloc'd; NULL
 * stores "{}"): kept with the Idempotency-Key and answered to a retry.
 * Runs inside the transaction, on the result as it will be answered.
 */
typedef char *billing_render_fn(const struct billing_result *r, void *ctx);

/* What a charging request brings besides its arguments. */
struct billing_request {
    int64_t now;                             /* ms: the time the rules use */
    const char *idempotency_key;             /* NULL or "": none */
    const struct billing_provider *provider; /* NULL: billing_ledger() */
    billing_render_fn *render;               /* NULL: "{}" */
    void *render_ctx;
};

/* What a request did. */
struct billing_result {
    int status;                 /* the HTTP status of the answer: 200 */
    bool replayed;              /* the answer stored with the key; nothing was done now */
    char *response;             /* owned: the answer's body (rendered, or the stored one) */
    struct invoice invoice;     /* the charge; id "" when none */
    struct billing_state state; /* after the request (zeroed when replayed) */
    struct billing_fit fit;     /* a downgrade's figures (also on its ERR_CONFLICT) */
};

void billing_result_release(struct billing_result *r);

/*
 * Buys quantity (1..BILLING_QUANTITY_MAX) extra personas for the caller's
 * workspace (see the rules). ERR_INVALID on "quantity"; ERR_FORBIDDEN for a
 * member who is not an admin and on a plan that does not sell them;
 * ERR_CONFLICT when the persona allowance is unlimited (nothing to buy) and
 * for a key reused otherwise. out is filled on success (release it always).
 */
enum err_code billing_buy_extra_personas(struct store *s, const struct caller *c, int64_t quantity,
                                         const struct billing_request *rq,
                                         struct billing_result *out, struct err *err);

/*
 * Upgrades the caller's workspace to plan_name at once (see the rules).
 * ERR_INVALID on "plan" for an unknown plan; ERR_FORBIDDEN for enterprise
 * ("contact sales") and a non-admin; ERR_CONFLICT for the current plan or
 * one below it (the message points to downgrade).
 */
enum err_code billing_upgrade(struct store *s, const struct caller *c, const char *plan_name,
                              const struct billing_request *rq, struct billing_result *out,
                              struct err *err);

/*
 * Schedules the caller's workspace's move to plan_name at the period's end
 * (a scheduled change is replaced). ERR_INVALID on "plan" for an unknown
 * plan; ERR_FORBIDDEN for a non-admin and for enterprise; ERR_CONFLICT for
 * the current plan or one above it (pointing to upgrade), and - with
 * out->fit filled and the figures in the message - when usage exceeds the
 * plan's limits.
 */
enum err_code billing_downgrade(struct store *s, const struct caller *c, const char *plan_name,
                                const struct billing_request *rq, struct billing_result *out,
                                struct err *err);

enum billing_action { BILLING_EXTRA_PERSONAS, BILLING_UPGRADE, BILLING_DOWNGRADE };

/* What a purchase or a plan change would do, asked before it is made. */
struct billing_quote {
    enum billing_action action;
    const struct plan *plan; /* moved to; a purchase: the current plan */
    int64_t quantity;        /* extra personas; 1 for a plan change */
    int64_t unit_cents;
    int64_t amount_cents; /* what would be charged now (a downgrade: 0) */
    int64_t effective_at; /* ms: now, or the period's end for a downgrade */
    int64_t period_end;   /* ms */
    int64_t ms_left;      /* of the period, at now */
    int64_t period_ms;    /* the period's length */
    char description[BILLING_DESCRIPTION_MAX + 1]; /* the invoice line's words */
};

/*
 * Prices what billing_buy_extra_personas (quantity), billing_upgrade or
 * billing_downgrade (plan_name) would do at now, with the same rules and
 * refusals, without doing it: nothing is charged or written (the
 * workspace's periods are rolled over to now first, as billing_get does).
 * A downgrade that does not fit: ERR_CONFLICT with *fit filled. The charge
 * made afterwards is this amount unless time passed a cent's worth of
 * proration, or the period rolled over, in between.
 */
enum err_code billing_quote(struct store *s, const struct caller *c, enum billing_action action,
                            const char *plan_name, int64_t quantity, int64_t now,
                            struct billing_quote *out, struct billing_fit *fit, struct err *err);

/*
 * Cancels the caller's workspace's scheduled plan change and fills out with
 * the state after it. ERR_FORBIDDEN for a non-admin; ERR_NOT_FOUND when
 * none is scheduled.
 */
enum err_code billing_cancel_change(struct store *s, const struct caller *c, int64_t now,
                                    struct billing_state *out, struct err *err);

/*
 * The billing state of workspace_id at now (its periods rolled over to now
 * first, charging through provider, NULL: the ledger). ERR_NOT_FOUND for a
 * workspace that does not exist.
 */
enum err_code billing_get(struct store *s, const char *workspace_id, int64_t now,
                          const struct billing_provider *provider, struct billing_state *out,
                          struct err *err);

/*
 * The billing state of workspace_id as stored, changing nothing: a period
 * that has ended is shown as it is until the scheduler (or a request) rolls
 * it over. For the operator's look (crowdelic admin), which never charges.
 */
enum err_code billing_peek(struct store *s, const char *workspace_id, struct billing_state *out,
                           struct err *err);

/* A page of a workspace's invoices, newest first, each with its lines. */
struct invoice_page {
    struct invoice *items; /* owned, n of them */
    size_t n;
    int64_t total, limit, offset;
};

void invoice_page_release(struct invoice_page *pg);

/*
 * Reads limit (1..BILLING_INVOICE_PAGE_MAX) invoices of workspace_id after
 * offset (>= 0), newest first, into out (release it). ERR_INVALID naming
 * "limit" or "offset".
 */
enum err_code billing_invoices(struct store *s, const char *workspace_id, int64_t limit,
                               int64_t offset, struct invoice_page *out, struct err *err);

/*
 * The scheduler's work, callable from tests: rolls over every workspace
 * whose period ended at or before now (applying scheduled changes and
 * invoicing the new periods through provider, NULL: the ledger), each in
 * its own transaction. *rolled (may be NULL): the periods rolled over. A
 * workspace that fails is logged and left for the next call; the first
 * error is returned after the others were tried.
 */
enum err_code billing_run_due(struct store *s, const struct billing_provider *provider, int64_t now,
                              int64_t *rolled, struct err *err);

/*
 * A thread that calls billing_run_due(clock_now_ms()) every tick_ms (at
 * start too) until stopped. NULL with err when the thread cannot start.
 * billing_scheduler_stop wakes it, waits for it and frees it; accepts NULL.
 */
struct billing_scheduler;
struct billing_scheduler *billing_scheduler_start(struct store *s,
                                                  const struct billing_provider *provider,
                                                  int64_t tick_ms, struct err *err);
void billing_scheduler_stop(struct billing_scheduler *b);

/*
 * The operator's terms for a workspace (crowdelic admin). A field left
 * BILLING_KEEP (plan NULL) stays as it is; a limit of -1 is unlimited.
 */
struct billing_terms {
    const char *plan;
    int64_t max_personas, max_projects, team_members; /* 0..BILLING_TERMS_LIMIT_MAX or -1 */
    int64_t price_cents;                              /* 0..BILLING_TERMS_PRICE_MAX */
};

/*
 * Sets t on workspace_id at now, no charge made: a plan (a change of plan
 * drops a scheduled one and notifies "plan_changed"); the enterprise
 * contract's limits and price. Moving to enterprise needs all four terms;
 * terms on another plan are ERR_INVALID; leaving enterprise clears them.
 * ERR_INVALID naming the term; ERR_NOT_FOUND for an unknown workspace.
 */
enum err_code billing_set_terms(struct store *s, const char *workspace_id,
                                const struct billing_terms *t, int64_t now, struct err *err);

#endif
