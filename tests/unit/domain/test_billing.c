/*
 * tests/unit/domain/test_billing.c - domain/billing.h against a real SQLite
 * store with every migration applied, in a mkdtemp directory per test, with
 * the clock passed in (no sleeping): proration at several points of a
 * January (31 days) and a February (28 days) period and its rounding half
 * up, upgrades and downgrades allowed and refused with their figures, the
 * scheduled change applied at the period's end by the scheduler's function,
 * periods invoiced, extra personas (the free plan refused), enterprise
 * terms (self-serve refused; the operator's limits and price used),
 * Idempotency-Key retries, and parallel purchases and upgrades from several
 * threads leaving a consistent ledger. Expected figures were computed
 * exactly (fractions) by hand and with Python's fractions module.
 * Single-threaded except parallel_purchases_and_upgrades_keep_the_ledger.
 */
#include "core/compat.h"

#include "domain/billing.h"

#include <pthread.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/clock.h"
#include "fixture.h"
#include "testutil.h"

#define DAY 86400000LL
#define JAN (31 * DAY) /* 2 678 400 000 ms */
#define FEB (28 * DAY) /* 2 419 200 000 ms */

/* ---- helpers ----------------------------------------------------------------------------- */

static int64_t at(const char *iso)
{
    int64_t ms = 0;
    assert_true(clock_parse_iso8601(iso, &ms));
    return ms;
}

/*
 * Puts u's workspace on plan, subscribed at start, in the period [start,
 * end), and resolves u's caller again.
 */
static void set_period(struct fixture *f, struct fixture_user *u, const char *plan,
                       const char *start, const char *end)
{
    struct store_param p[] = { STORE_TEXT(plan), STORE_INT(at(start)), STORE_INT(at(start)),
                               STORE_INT(at(end)), STORE_TEXT(u->caller.workspace_id) };
    fixture_run(f,
                "UPDATE workspaces SET plan_type = ?, created_at = ?, current_period_start = ?, "
                "current_period_end = ? WHERE id = ?",
                p, ARRAY_SIZE(p));
    fixture_caller(f, &u->session, &u->caller);
}

/* Adds n personas to workspace_id straight into the table. */
static void add_personas(struct fixture *f, const char *workspace_id, int64_t n)
{
    struct store_param p[] = { STORE_INT(n), STORE_TEXT(workspace_id), STORE_TEXT(workspace_id) };
    fixture_run(f,
                "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?) "
                "INSERT INTO personas (id, workspace_id, type, name, spec, search, created_at, "
                "updated_at) SELECT ? || '-' || i, ?, 'custom', 'P', '{}', 'p', 0, 0 FROM k",
                p, ARRAY_SIZE(p));
}

static void add_project(struct fixture *f, const char *workspace_id, const char *id)
{
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(workspace_id) };
    fixture_run(f,
                "INSERT INTO projects (id, workspace_id, name, created_at, updated_at) "
                "VALUES (?, ?, 'P', 0, 0)",
                p, 2);
}

static struct billing_request at_time(int64_t now, const char *key)
{
    return (struct billing_request){ .now = now, .idempotency_key = key };
}

static const char *ws_text(struct fixture *f, const char *column, const char *id, char *out,
                           size_t n)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT COALESCE(%s, '') FROM workspaces WHERE id = ?", column);
    struct store_conn *conn = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool row = false;
    struct store_param p[] = { STORE_TEXT(id) };
    assert_ok(store_acquire(f->store, &conn, &err), &err);
    assert_ok(store_prepare_params(conn, sql, p, 1, &st, &err), &err);
    assert_ok(store_step(st, &row, &err), &err);
    assert_true(row);
    snprintf(out, n, "%s", store_col_text(st, 0));
    store_finalize(st);
    store_release(f->store, conn);
    return out;
}

static const char *plan_now(struct fixture *f, const char *id)
{
    static char plan[32];
    return ws_text(f, "plan_type", id, plan, sizeof(plan));
}

static int64_t ws_int(struct fixture *f, const char *column, const char *id)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT %s FROM workspaces WHERE id = ?", column);
    struct store_param p[] = { STORE_TEXT(id) };
    return fixture_int(f, sql, p, 1);
}

static int64_t ledger_total(struct fixture *f, const char *id)
{
    struct store_param p[] = { STORE_TEXT(id) };
    return fixture_int(
        f, "SELECT COALESCE(SUM(total_cents), 0) FROM invoices WHERE workspace_id = ?", p, 1);
}

/* Invoices whose total is not the sum of their lines (must be 0). */
static int64_t unbalanced_invoices(struct fixture *f)
{
    return fixture_int(f,
                       "SELECT COUNT(*) FROM invoices i WHERE total_cents <> (SELECT "
                       "COALESCE(SUM(amount_cents), 0) FROM invoice_lines l WHERE l.invoice_id = "
                       "i.id)",
                       NULL, 0);
}

/*
 * Upgrades u (on from, period [start, end)) to `to` at now and returns the
 * charge, checking the invoice's one line carries it.
 */
static int64_t upgrade_charge(struct fixture *f, struct fixture_user *u, const char *from,
                              const char *to, const char *start, const char *end, const char *now)
{
    set_period(f, u, from, start, end);
    struct billing_request rq = at_time(at(now), NULL);
    struct billing_result r;
    struct err err = ERR_INIT;
    /* the quote, asked first, is the charge made at the same time, and changes nothing */
    struct billing_quote q;
    struct billing_fit fit;
    int64_t invoices = fixture_count(f, "invoices WHERE workspace_id = ?", u->caller.workspace_id);
    assert_ok(billing_quote(f->store, &u->caller, BILLING_UPGRADE, to, 0, rq.now, &q, &fit, &err),
              &err);
    assert_string_equal(plan_now(f, u->caller.workspace_id), from);
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", u->caller.workspace_id),
                     invoices);
    assert_ok(billing_upgrade(f->store, &u->caller, to, &rq, &r, &err), &err);
    assert_int_equal(q.amount_cents, r.invoice.total_cents);
    assert_string_equal(q.description, r.invoice.lines[0].description);
    assert_string_equal(q.plan->name, to);
    assert_int_equal(q.effective_at, rq.now);
    assert_int_equal(r.invoice.n_lines, 1);
    assert_int_equal(r.invoice.lines[0].amount_cents, r.invoice.total_cents);
    assert_string_equal(r.invoice.kind, "upgrade");
    assert_string_equal(r.state.plan->name, to);
    int64_t total = r.invoice.total_cents;
    billing_result_release(&r);
    assert_string_equal(plan_now(f, u->caller.workspace_id), to);
    return total;
}

/* ---- proration and rounding -------------------------------------------------------------- */

static void prorate_rounds_half_up_in_integers(void **state)
{
    (void)state;
    /* whole and empty periods */
    assert_int_equal(billing_prorate(1500, JAN, JAN), 1500);
    assert_int_equal(billing_prorate(1500, 0, JAN), 0);
    assert_int_equal(billing_prorate(1500, JAN + 5, JAN), 1500); /* clamped */
    assert_int_equal(billing_prorate(1500, -5, JAN), 0);
    assert_int_equal(billing_prorate(0, JAN / 2, JAN), 0);
    assert_int_equal(billing_prorate(-1500, JAN / 2, JAN), 0);
    assert_int_equal(billing_prorate(1500, 10, 0), 0);
    /* halves go up, just below a half goes down */
    assert_int_equal(billing_prorate(1, 1, 2), 1);  /* 0.5 */
    assert_int_equal(billing_prorate(3, 1, 2), 2);  /* 1.5 */
    assert_int_equal(billing_prorate(5, 1, 10), 1); /* 0.5 */
    assert_int_equal(billing_prorate(5, 1, 11), 0); /* 0.4545 */
    assert_int_equal(billing_prorate(2, 1, 3), 1);  /* 0.667 */
    assert_int_equal(billing_prorate(1, 1, 3), 0);  /* 0.333 */
    /* 15.00 over January: 892 800 ms left is exactly half a cent */
    assert_int_equal(billing_prorate(1500, 892800, JAN), 1);
    assert_int_equal(billing_prorate(1500, 892799, JAN), 0);
    /* 25.00 over February: 1 451 520 ms left is exactly 1.5 cents */
    assert_int_equal(billing_prorate(2500, 1451520, FEB), 2);
    assert_int_equal(billing_prorate(2500, 1451519, FEB), 1);
    /* one ms short of the whole period: 1499.99999944 */
    assert_int_equal(billing_prorate(1500, JAN - 1, JAN), 1500);
    /* no overflow for the largest contract price over a long period */
    assert_int_equal(billing_prorate(BILLING_TERMS_PRICE_MAX, 366 * DAY, 366 * DAY),
                     BILLING_TERMS_PRICE_MAX);
}

static void upgrade_is_prorated_at_points_of_january(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *s = "2026-01-01T00:00:00.000Z", *e = "2026-02-01T00:00:00.000Z";
    /* individual (9.90) to business (24.90): 15.00 a month */
    assert_int_equal(upgrade_charge(f, &a, "individual", "business", s, e, s), 1500);
    assert_int_equal(
        upgrade_charge(f, &a, "individual", "business", s, e, "2026-01-16T12:00:00.000Z"), 750);
    /* 10 days in: 21 of 31 days left, 1016.13 */
    assert_int_equal(
        upgrade_charge(f, &a, "individual", "business", s, e, "2026-01-11T00:00:00.000Z"), 1016);
    /* one ms before the end: 0.00000056 */
    assert_int_equal(
        upgrade_charge(f, &a, "individual", "business", s, e, "2026-01-31T23:59:59.999Z"), 0);
    /* free (0) to agency (49.90) 10 days in: 3380.32; individual to agency: 2709.68 up */
    assert_int_equal(upgrade_charge(f, &a, "free", "agency", s, e, "2026-01-11T00:00:00.000Z"),
                     3380);
    assert_int_equal(
        upgrade_charge(f, &a, "individual", "agency", s, e, "2026-01-11T00:00:00.000Z"), 2710);
    /* every upgrade above is one invoice whose one line is its total */
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", a.caller.workspace_id), 6);
    assert_int_equal(ledger_total(f, a.caller.workspace_id), 1500 + 750 + 1016 + 0 + 3380 + 2710);
    assert_int_equal(unbalanced_invoices(f), 0);
    fixture_user_release(&a);
}

static void february_is_shorter_than_january(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    /* 10 days into each: 21/31 of 15.00 = 1016.13, 18/28 = 964.29 */
    assert_int_equal(upgrade_charge(f, &a, "individual", "business", "2026-01-01T00:00:00.000Z",
                                    "2026-02-01T00:00:00.000Z", "2026-01-11T00:00:00.000Z"),
                     1016);
    assert_int_equal(upgrade_charge(f, &a, "individual", "business", "2026-02-01T00:00:00.000Z",
                                    "2026-03-01T00:00:00.000Z", "2026-02-11T00:00:00.000Z"),
                     964);
    /* the middle of February is half of it: 750 */
    assert_int_equal(upgrade_charge(f, &a, "individual", "business", "2026-02-01T00:00:00.000Z",
                                    "2026-03-01T00:00:00.000Z", "2026-02-15T00:00:00.000Z"),
                     750);
    /* business to agency (25.00) with 1 451 520 ms left of February: 1.5 cents, up to 2 */
    assert_int_equal(upgrade_charge(f, &a, "business", "agency", "2026-02-01T00:00:00.000Z",
                                    "2026-03-01T00:00:00.000Z", "2026-02-28T23:35:48.480Z"),
                     2);
    fixture_user_release(&a);
}

static void periods_follow_the_subscription_day(void **state)
{
    (void)state;
    /* subscribed on January 31: clamped to the month's last day, never drifting */
    int64_t anchor = at("2026-01-31T10:00:00.000Z");
    assert_int_equal(billing_period_end(anchor, anchor), at("2026-02-28T10:00:00.000Z"));
    assert_int_equal(billing_period_end(anchor, at("2026-02-28T10:00:00.000Z")),
                     at("2026-03-31T10:00:00.000Z"));
    assert_int_equal(billing_period_end(anchor, at("2026-03-31T10:00:00.000Z")),
                     at("2026-04-30T10:00:00.000Z"));
    assert_int_equal(billing_period_end(anchor, at("2027-01-31T10:00:00.000Z")),
                     at("2027-02-28T10:00:00.000Z"));
    /* a leap year's February */
    int64_t leap = at("2028-01-31T00:00:00.000Z");
    assert_int_equal(billing_period_end(leap, leap), at("2028-02-29T00:00:00.000Z"));
}

/* ---- upgrades and downgrades refused ------------------------------------------------------ */

static void upgrade_refusals_say_why(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    set_period(f, &a, "business", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    struct billing_request rq = at_time(at("2026-01-10T00:00:00.000Z"), NULL);
    struct billing_result r;
    struct err err = ERR_INIT;

    assert_int_equal(billing_upgrade(f->store, &a.caller, "business", &rq, &r, &err), ERR_CONFLICT);
    assert_string_equal(err.msg, "the workspace is already on the business plan");
    billing_result_release(&r);

    assert_int_equal(billing_upgrade(f->store, &a.caller, "individual", &rq, &r, &err),
                     ERR_CONFLICT);
    assert_contains(err.msg, "individual is below the workspace's business plan");
    assert_contains(err.msg, "POST /api/billing/downgrade");
    billing_result_release(&r);

    assert_int_equal(billing_upgrade(f->store, &a.caller, "enterprise", &rq, &r, &err),
                     ERR_FORBIDDEN);
    assert_contains(err.msg, "the enterprise plan is not self-serve");
    assert_contains(err.msg, "contact sales");
    assert_string_equal(err.field, "plan");
    billing_result_release(&r);

    assert_int_equal(billing_upgrade(f->store, &a.caller, "platinum", &rq, &r, &err), ERR_INVALID);
    assert_string_equal(err.field, "plan");
    assert_contains(err.msg, "no plan 'platinum'");
    billing_result_release(&r);

    /* nothing was charged or changed */
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", a.caller.workspace_id), 0);
    assert_string_equal(plan_now(f, a.caller.workspace_id), "business");
    fixture_user_release(&a);
}

static void only_admins_buy_and_change_plans(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a, b;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    set_period(f, &a, "business", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    fixture_insert_invite(f, a.caller.workspace_id, "bob@example.com", a.caller.user_id, "tok-bob");
    fixture_user_new(f, "bob@example.com", "tok-bob", &b);
    assert_int_equal(b.caller.role, ROLE_USER);
    struct billing_request rq = at_time(at("2026-01-10T00:00:00.000Z"), NULL);
    struct billing_result r;
    struct billing_state st;
    struct err err = ERR_INIT;
    assert_int_equal(billing_buy_extra_personas(f->store, &b.caller, 10, &rq, &r, &err),
                     ERR_FORBIDDEN);
    assert_string_equal(err.msg, "only a workspace admin may do this");
    billing_result_release(&r);
    assert_int_equal(billing_upgrade(f->store, &b.caller, "agency", &rq, &r, &err), ERR_FORBIDDEN);
    billing_result_release(&r);
    assert_int_equal(billing_downgrade(f->store, &b.caller, "individual", &rq, &r, &err),
                     ERR_FORBIDDEN);
    billing_result_release(&r);
    assert_int_equal(billing_cancel_change(f->store, &b.caller, rq.now, &st, &err), ERR_FORBIDDEN);
    /* but a member reads the billing state */
    assert_ok(billing_get(f->store, b.caller.workspace_id, rq.now, NULL, &st, &err), &err);
    assert_string_equal(st.plan->name, "business");
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", a.caller.workspace_id), 0);
    fixture_user_release(&b);
    fixture_user_release(&a);
}

static void downgrade_is_refused_with_the_figures(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    set_period(f, &a, "business", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    add_personas(f, ws, 101);
    add_project(f, ws, "p1");
    add_project(f, ws, "p2");
    fixture_insert_invite(f, ws, "bob@example.com", a.caller.user_id, "tok-bob");
    struct billing_request rq = at_time(at("2026-01-10T00:00:00.000Z"), NULL);
    struct billing_result r;
    struct err err = ERR_INIT;

    /* individual allows 100 personas, 1 project, 1 member */
    assert_int_equal(billing_downgrade(f->store, &a.caller, "individual", &rq, &r, &err),
                     ERR_CONFLICT);
    assert_string_equal(err.field, "plan");
    assert_string_equal(err.msg,
                        "cannot downgrade to individual: the workspace has 101 personas where "
                        "individual allows 100, 2 projects where individual allows 1, 2 members "
                        "(with open invites) where individual allows 1; remove some first");
    assert_true(r.fit.any);
    assert_string_equal(r.fit.plan->name, "individual");
    assert_int_equal(r.fit.used[LIMIT_PERSONAS], 101);
    assert_int_equal(r.fit.limit[LIMIT_PERSONAS], 100);
    assert_true(r.fit.exceeds[LIMIT_PERSONAS]);
    assert_int_equal(r.fit.used[LIMIT_PROJECTS], 2);
    assert_int_equal(r.fit.limit[LIMIT_PROJECTS], 1);
    assert_true(r.fit.exceeds[LIMIT_PROJECTS]);
    assert_int_equal(r.fit.used[LIMIT_MEMBERS], 2);
    assert_int_equal(r.fit.limit[LIMIT_MEMBERS], 1);
    assert_true(r.fit.exceeds[LIMIT_MEMBERS]);
    billing_result_release(&r);

    /* free allows 20 personas */
    assert_int_equal(billing_downgrade(f->store, &a.caller, "free", &rq, &r, &err), ERR_CONFLICT);
    assert_int_equal(r.fit.limit[LIMIT_PERSONAS], 20);
    billing_result_release(&r);

    /* to a plan above: an upgrade */
    assert_int_equal(billing_downgrade(f->store, &a.caller, "agency", &rq, &r, &err), ERR_CONFLICT);
    assert_contains(err.msg, "agency is above the workspace's business plan");
    assert_contains(err.msg, "POST /api/billing/upgrade");
    billing_result_release(&r);
    assert_int_equal(billing_downgrade(f->store, &a.caller, "enterprise", &rq, &r, &err),
                     ERR_FORBIDDEN);
    billing_result_release(&r);

    /* one project deleted, the invite revoked: only personas exceed (101 > 100) */
    fixture_exec(f, "DELETE FROM projects WHERE id = 'p2'");
    fixture_exec(f, "DELETE FROM invites");
    assert_int_equal(billing_downgrade(f->store, &a.caller, "individual", &rq, &r, &err),
                     ERR_CONFLICT);
    assert_string_equal(err.msg, "cannot downgrade to individual: the workspace has 101 personas "
                                 "where individual allows 100; remove some first");
    assert_false(r.fit.exceeds[LIMIT_PROJECTS]);
    assert_false(r.fit.exceeds[LIMIT_MEMBERS]);
    billing_result_release(&r);
    assert_int_equal(ws_int(f, "scheduled_plan IS NULL", ws), 1);
    fixture_user_release(&a);
}

static void quotes_price_without_charging(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a, b;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    set_period(f, &a, "business", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    int64_t now = at("2026-01-10T00:00:00.000Z");
    struct billing_quote q;
    struct billing_fit fit;
    struct err err = ERR_INIT;

    /* extra personas: the plan's unit price times the quantity, now */
    assert_ok(
        billing_quote(f->store, &a.caller, BILLING_EXTRA_PERSONAS, NULL, 25, now, &q, &fit, &err),
        &err);
    assert_int_equal(q.quantity, 25);
    assert_int_equal(q.unit_cents, 8);
    assert_int_equal(q.amount_cents, 200);
    assert_string_equal(q.plan->name, "business");
    assert_int_equal(q.effective_at, now);
    assert_int_equal(q.period_end, at("2026-02-01T00:00:00.000Z"));
    assert_int_equal(q.ms_left, 22 * 86400000LL);
    assert_int_equal(q.period_ms, 31 * 86400000LL);
    assert_contains(q.description, "25 extra personas at 0.08 each");
    assert_int_equal(
        billing_quote(f->store, &a.caller, BILLING_EXTRA_PERSONAS, NULL, 0, now, &q, &fit, &err),
        ERR_INVALID);
    assert_string_equal(err.field, "quantity");

    /* a downgrade that fits: nothing now, the plan at the period's end, nothing scheduled */
    assert_ok(
        billing_quote(f->store, &a.caller, BILLING_DOWNGRADE, "individual", 0, now, &q, &fit, &err),
        &err);
    assert_int_equal(q.amount_cents, 0);
    assert_int_equal(q.effective_at, at("2026-02-01T00:00:00.000Z"));
    assert_int_equal(ws_int(f, "scheduled_plan IS NULL", ws), 1);
    /* one that does not: the figures, as the downgrade itself gives them */
    add_personas(f, ws, 101);
    assert_int_equal(
        billing_quote(f->store, &a.caller, BILLING_DOWNGRADE, "individual", 0, now, &q, &fit, &err),
        ERR_CONFLICT);
    assert_true(fit.any);
    assert_true(fit.exceeds[LIMIT_PERSONAS]);
    assert_contains(err.msg, "101 personas where individual allows 100");

    /* the refusals of the operations */
    assert_int_equal(
        billing_quote(f->store, &a.caller, BILLING_UPGRADE, "free", 0, now, &q, &fit, &err),
        ERR_CONFLICT);
    assert_int_equal(
        billing_quote(f->store, &a.caller, BILLING_UPGRADE, "nope", 0, now, &q, &fit, &err),
        ERR_INVALID);
    assert_string_equal(err.field, "plan");
    assert_int_equal(
        billing_quote(f->store, &a.caller, BILLING_UPGRADE, "enterprise", 0, now, &q, &fit, &err),
        ERR_FORBIDDEN);
    fixture_insert_invite(f, ws, "bob@example.com", a.caller.user_id, "tok-bob");
    fixture_user_new(f, "bob@example.com", "tok-bob", &b);
    assert_int_equal(
        billing_quote(f->store, &b.caller, BILLING_UPGRADE, "agency", 0, now, &q, &fit, &err),
        ERR_FORBIDDEN);

    /* nothing was charged or changed by any of it */
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", ws), 0);
    assert_string_equal(plan_now(f, ws), "business");
    fixture_user_release(&b);
    fixture_user_release(&a);
}

static void downgrade_is_scheduled_and_cancelled(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    set_period(f, &a, "business", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    add_personas(f, ws, 100); /* exactly individual's limit */
    struct billing_request rq = at_time(at("2026-01-10T00:00:00.000Z"), NULL);
    struct billing_result r;
    struct billing_state st;
    struct err err = ERR_INIT;
    assert_ok(billing_downgrade(f->store, &a.caller, "individual", &rq, &r, &err), &err);
    assert_false(r.fit.any);
    assert_string_equal(r.state.plan->name, "business"); /* still, until the period's end */
    assert_non_null(r.state.scheduled);
    assert_string_equal(r.state.scheduled->name, "individual");
    assert_int_equal(r.state.period_end, at("2026-02-01T00:00:00.000Z"));
    assert_string_equal(r.invoice.id, ""); /* no charge */
    billing_result_release(&r);
    char text[32];
    assert_string_equal(ws_text(f, "scheduled_plan", ws, text, sizeof(text)), "individual");
    assert_string_equal(plan_now(f, ws), "business");

    /* a second downgrade replaces the first */
    fixture_exec(f, "DELETE FROM personas");
    assert_ok(billing_downgrade(f->store, &a.caller, "free", &rq, &r, &err), &err);
    assert_string_equal(r.state.scheduled->name, "free");
    billing_result_release(&r);

    assert_ok(billing_cancel_change(f->store, &a.caller, rq.now, &st, &err), &err);
    assert_null(st.scheduled);
    assert_int_equal(ws_int(f, "scheduled_plan IS NULL", ws), 1);
    assert_int_equal(billing_cancel_change(f->store, &a.caller, rq.now, &st, &err), ERR_NOT_FOUND);
    assert_string_equal(err.msg, "no plan change is scheduled");

    /* an upgrade drops a scheduled downgrade */
    assert_ok(billing_downgrade(f->store, &a.caller, "individual", &rq, &r, &err), &err);
    billing_result_release(&r);
    assert_ok(billing_upgrade(f->store, &a.caller, "agency", &rq, &r, &err), &err);
    assert_null(r.state.scheduled);
    billing_result_release(&r);
    assert_int_equal(ws_int(f, "scheduled_plan IS NULL", ws), 1);
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", ws), 1);
    fixture_user_release(&a);
}

/* ---- the scheduler ----------------------------------------------------------------------- */

static void scheduler_applies_the_change_at_the_period_end(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    set_period(f, &a, "business", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    struct billing_request rq = at_time(at("2026-01-20T00:00:00.000Z"), NULL);
    struct billing_result r;
    struct err err = ERR_INIT;
    assert_ok(billing_downgrade(f->store, &a.caller, "individual", &rq, &r, &err), &err);
    billing_result_release(&r);
    assert_int_equal(fixture_int(f, "SELECT api_quota FROM users WHERE id = ?",
                                 (struct store_param[]){ STORE_TEXT(a.caller.user_id) }, 1),
                     60); /* the free plan's default, set at sign-up */

    /* one ms before the end: nothing */
    int64_t rolled = -1;
    assert_ok(billing_run_due(f->store, NULL, at("2026-01-31T23:59:59.999Z"), &rolled, &err), &err);
    assert_int_equal(rolled, 0);
    assert_string_equal(plan_now(f, ws), "business");

    /* at the end: the change, the next period, its invoice (individual: 9.90) */
    assert_ok(billing_run_due(f->store, NULL, at("2026-02-01T00:00:00.000Z"), &rolled, &err), &err);
    assert_int_equal(rolled, 1);
    assert_string_equal(plan_now(f, ws), "individual");
    assert_int_equal(ws_int(f, "scheduled_plan IS NULL", ws), 1);
    assert_int_equal(ws_int(f, "current_period_start", ws), at("2026-02-01T00:00:00.000Z"));
    assert_int_equal(ws_int(f, "current_period_end", ws), at("2026-03-01T00:00:00.000Z"));
    assert_int_equal(
        fixture_count(f, "invoices WHERE workspace_id = ? AND kind = 'subscription'", ws), 1);
    struct store_param w[] = { STORE_TEXT(ws) };
    assert_int_equal(fixture_int(f,
                                 "SELECT total_cents FROM invoices WHERE workspace_id = ? AND "
                                 "kind = 'subscription'",
                                 w, 1),
                     990);
    assert_int_equal(fixture_int(f,
                                 "SELECT period_start FROM invoices WHERE workspace_id = ? AND "
                                 "kind = 'subscription'",
                                 w, 1),
                     at("2026-02-01T00:00:00.000Z"));
    assert_int_equal(
        fixture_count(f, "notifications WHERE workspace_id = ? AND kind = 'plan_changed'", ws), 1);

    /* run again at the same time: nothing more */
    assert_ok(billing_run_due(f->store, NULL, at("2026-02-01T00:00:00.000Z"), &rolled, &err), &err);
    assert_int_equal(rolled, 0);
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", ws), 1);

    /* three periods at once (Mar, Apr, May): three invoices of 9.90 */
    assert_ok(billing_run_due(f->store, NULL, at("2026-05-01T00:00:00.001Z"), &rolled, &err), &err);
    assert_int_equal(rolled, 3);
    assert_int_equal(ws_int(f, "current_period_start", ws), at("2026-05-01T00:00:00.000Z"));
    assert_int_equal(ws_int(f, "current_period_end", ws), at("2026-06-01T00:00:00.000Z"));
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", ws), 4);
    assert_int_equal(ledger_total(f, ws), 4 * 990);
    assert_int_equal(unbalanced_invoices(f), 0);
    fixture_user_release(&a);
}

static void a_free_workspace_rolls_over_without_invoices(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    set_period(f, &a, "free", "2026-01-31T00:00:00.000Z", "2026-02-28T00:00:00.000Z");
    int64_t rolled = 0;
    struct err err = ERR_INIT;
    assert_ok(billing_run_due(f->store, NULL, at("2026-03-01T00:00:00.000Z"), &rolled, &err), &err);
    assert_int_equal(rolled, 1);
    assert_int_equal(ws_int(f, "current_period_start", ws), at("2026-02-28T00:00:00.000Z"));
    assert_int_equal(ws_int(f, "current_period_end", ws), at("2026-03-31T00:00:00.000Z"));
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", ws), 0);
    fixture_user_release(&a);
}

static void every_request_rolls_its_workspace_over_first(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    set_period(f, &a, "agency", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    struct billing_request rq = at_time(at("2026-01-05T00:00:00.000Z"), NULL);
    struct billing_result r;
    struct billing_state st;
    struct err err = ERR_INIT;
    assert_ok(billing_downgrade(f->store, &a.caller, "business", &rq, &r, &err), &err);
    billing_result_release(&r);
    /* no scheduler ran; reading on February 2 sees February, on business, invoiced 24.90 */
    assert_ok(billing_get(f->store, ws, at("2026-02-02T00:00:00.000Z"), NULL, &st, &err), &err);
    assert_string_equal(st.plan->name, "business");
    assert_null(st.scheduled);
    assert_int_equal(st.period_start, at("2026-02-01T00:00:00.000Z"));
    assert_int_equal(st.period_end, at("2026-03-01T00:00:00.000Z"));
    assert_int_equal(st.charges_cents, 2490);
    assert_int_equal(st.invoices_in_period, 1);
    assert_int_equal(st.price_cents, 2490);
    /* buying extras on February 10 is priced at business's 0.08 and counted in February */
    rq.now = at("2026-02-10T00:00:00.000Z");
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, 25, &rq, &r, &err), &err);
    assert_int_equal(r.invoice.total_cents, 200);
    assert_int_equal(r.state.charges_cents, 2490 + 200);
    assert_int_equal(r.state.invoices_in_period, 2);
    assert_int_equal(r.state.charged_total_cents, 2690);
    billing_result_release(&r);
    fixture_user_release(&a);
}

static void the_scheduler_thread_rolls_periods_over(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    /* a period that ended a second ago (the thread reads the real clock) */
    int64_t end = clock_now_ms() - 1000, start = clock_add_months(end, -1);
    struct store_param p[] = { STORE_INT(start), STORE_INT(start), STORE_INT(end), STORE_TEXT(ws) };
    fixture_run(f,
                "UPDATE workspaces SET plan_type = 'individual', created_at = ?, "
                "current_period_start = ?, current_period_end = ? WHERE id = ?",
                p, ARRAY_SIZE(p));
    struct err err = ERR_INIT;
    struct billing_scheduler *b = billing_scheduler_start(f->store, NULL, 10, &err);
    assert_non_null(b);
    /* wait for its first pass (it looks at once), 5 s at most */
    for (int i = 0; i < 500 && ws_int(f, "current_period_start", ws) != end; i++)
        clock_sleep_ms(10);
    billing_scheduler_stop(b);
    billing_scheduler_stop(NULL);
    assert_int_equal(ws_int(f, "current_period_start", ws), end);
    assert_int_equal(ws_int(f, "current_period_end", ws), clock_add_months(start, 2));
    assert_int_equal(ledger_total(f, ws), 990);
    fixture_user_release(&a);
}

/* ---- extra personas ---------------------------------------------------------------------- */

static void extra_personas_cost_the_plans_price(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    const char *s = "2026-01-01T00:00:00.000Z", *e = "2026-02-01T00:00:00.000Z";
    struct billing_request rq = at_time(at("2026-01-10T00:00:00.000Z"), NULL);
    struct billing_result r;
    struct err err = ERR_INIT;

    set_period(f, &a, "individual", s, e);
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, 250, &rq, &r, &err), &err);
    assert_int_equal(r.invoice.total_cents, 2500); /* 250 x 0.10 */
    assert_int_equal(r.invoice.n_lines, 1);
    assert_string_equal(r.invoice.lines[0].kind, "extra_personas");
    assert_int_equal(r.invoice.lines[0].quantity, 250);
    assert_int_equal(r.invoice.lines[0].unit_cents, 10);
    assert_int_equal(r.invoice.lines[0].amount_cents, 2500);
    assert_string_equal(r.invoice.lines[0].description,
                        "250 extra personas at 0.10 each (individual plan)");
    assert_int_equal(r.invoice.number, 1);
    assert_int_equal(r.state.extra_personas, 250);
    assert_int_equal(r.state.limits.personas, 350);
    billing_result_release(&r);
    assert_int_equal(ws_int(f, "extra_personas", ws), 250);
    assert_int_equal(
        fixture_count(f, "notifications WHERE workspace_id = ? AND kind = 'extra_charge'", ws), 1);

    set_period(f, &a, "business", s, e);
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, 100, &rq, &r, &err), &err);
    assert_int_equal(r.invoice.total_cents, 800); /* 100 x 0.08 */
    assert_int_equal(r.invoice.number, 2);
    assert_int_equal(r.state.limits.personas, 300 + 350);
    billing_result_release(&r);

    set_period(f, &a, "agency", s, e);
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, BILLING_QUANTITY_MAX, &rq, &r, &err),
              &err);
    assert_int_equal(r.invoice.total_cents, 500000); /* 100 000 x 0.05 */
    billing_result_release(&r);
    assert_int_equal(ws_int(f, "extra_personas", ws), 100350);

    /* the bounds of quantity */
    assert_int_equal(billing_buy_extra_personas(f->store, &a.caller, 0, &rq, &r, &err),
                     ERR_INVALID);
    assert_string_equal(err.field, "quantity");
    billing_result_release(&r);
    assert_int_equal(
        billing_buy_extra_personas(f->store, &a.caller, BILLING_QUANTITY_MAX + 1, &rq, &r, &err),
        ERR_INVALID);
    billing_result_release(&r);
    assert_int_equal(billing_buy_extra_personas(f->store, &a.caller, 1, &rq, &r, &err), ERR_OK);
    assert_int_equal(r.invoice.total_cents, 5);
    assert_string_equal(r.invoice.lines[0].description,
                        "1 extra persona at 0.05 each (agency plan)");
    billing_result_release(&r);

    /* extras stay for good: on free after a downgrade the limit is 20 + extras */
    set_period(f, &a, "free", s, e);
    struct billing_state st;
    assert_ok(billing_get(f->store, ws, rq.now, NULL, &st, &err), &err);
    assert_int_equal(st.limits.personas, 20 + 100351);
    assert_int_equal(ledger_total(f, ws), 2500 + 800 + 500000 + 5);
    assert_int_equal(unbalanced_invoices(f), 0);
    fixture_user_release(&a);
}

static void extra_personas_are_refused_on_the_free_plan(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    struct billing_request rq = at_time(clock_now_ms(), NULL);
    struct billing_result r;
    struct err err = ERR_INIT;
    assert_int_equal(billing_buy_extra_personas(f->store, &a.caller, 10, &rq, &r, &err),
                     ERR_FORBIDDEN);
    assert_contains(err.msg, "extra personas are not available on this plan (free)");
    assert_string_equal(err.field, "plan");
    billing_result_release(&r);
    assert_int_equal(ws_int(f, "extra_personas", a.caller.workspace_id), 0);
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", a.caller.workspace_id), 0);
    fixture_user_release(&a);
}

/* ---- enterprise -------------------------------------------------------------------------- */

static struct billing_terms terms(const char *plan)
{
    return (struct billing_terms){ plan, BILLING_KEEP, BILLING_KEEP, BILLING_KEEP, BILLING_KEEP };
}

static void enterprise_terms_are_set_by_the_operator_and_used(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    set_period(f, &a, "agency", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    int64_t now = at("2026-01-10T00:00:00.000Z");
    struct err err = ERR_INIT;

    /* moving to enterprise needs every term */
    struct billing_terms t = terms("enterprise");
    t.max_personas = 5000;
    assert_int_equal(billing_set_terms(f->store, ws, &t, now, &err), ERR_INVALID);
    assert_string_equal(err.msg, "moving to the enterprise plan needs all its terms; missing: "
                                 "max_projects, team_members, price_cents");
    /* terms belong to enterprise only */
    t = terms(NULL);
    t.price_cents = 100;
    assert_int_equal(billing_set_terms(f->store, ws, &t, now, &err), ERR_INVALID);
    assert_string_equal(err.field, "price_cents");
    assert_contains(err.msg, "the workspace would be on the agency plan");
    t = terms("enterprise");
    t.max_personas = BILLING_TERMS_LIMIT_MAX + 1;
    assert_int_equal(billing_set_terms(f->store, ws, &t, now, &err), ERR_INVALID);
    assert_string_equal(err.field, "max_personas");
    assert_string_equal(plan_now(f, ws), "agency");

    t = (struct billing_terms){ "enterprise", 5000, 50, 25, 150000 };
    assert_ok(billing_set_terms(f->store, ws, &t, now, &err), &err);
    assert_string_equal(plan_now(f, ws), "enterprise");
    assert_int_equal(ws_int(f, "limit_personas", ws), 5000);
    assert_int_equal(ws_int(f, "price_cents", ws), 150000);
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", ws), 0); /* no charge */
    assert_int_equal(
        fixture_count(f, "notifications WHERE workspace_id = ? AND kind = 'plan_changed'", ws), 1);

    /* the caller carries the contract's limits, and the gate counts against them */
    fixture_caller(f, &a.session, &a.caller);
    assert_int_equal(gate_limit_of(&a.caller, LIMIT_PERSONAS), 5000);
    assert_int_equal(gate_limit_of(&a.caller, LIMIT_PROJECTS), 50);
    assert_int_equal(gate_limit_of(&a.caller, LIMIT_MEMBERS), 25);
    struct billing_state st;
    assert_ok(billing_get(f->store, ws, now, NULL, &st, &err), &err);
    assert_true(st.custom_terms);
    assert_int_equal(st.price_cents, 150000);
    assert_int_equal(st.limits.personas, 5000);

    /* extras at enterprise's 0.03, on top of the contract */
    struct billing_request rq = at_time(now, NULL);
    struct billing_result r;
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, 100, &rq, &r, &err), &err);
    assert_int_equal(r.invoice.total_cents, 300);
    assert_int_equal(r.state.limits.personas, 5100);
    billing_result_release(&r);
    /* nothing is above enterprise */
    assert_int_equal(billing_upgrade(f->store, &a.caller, "agency", &rq, &r, &err), ERR_CONFLICT);
    billing_result_release(&r);

    /* the next period is invoiced at the contract's price */
    int64_t rolled = 0;
    assert_ok(billing_run_due(f->store, NULL, at("2026-02-01T00:00:00.000Z"), &rolled, &err), &err);
    struct store_param w[] = { STORE_TEXT(ws) };
    assert_int_equal(fixture_int(f,
                                 "SELECT total_cents FROM invoices WHERE workspace_id = ? AND "
                                 "kind = 'subscription'",
                                 w, 1),
                     150000);

    /* an unlimited allowance has no extras to sell */
    t = terms(NULL);
    t.max_personas = -1;
    assert_ok(billing_set_terms(f->store, ws, &t, now, &err), &err);
    fixture_caller(f, &a.session, &a.caller);
    assert_int_equal(gate_limit_of(&a.caller, LIMIT_PERSONAS), -1);
    rq.now = at("2026-02-02T00:00:00.000Z");
    assert_int_equal(billing_buy_extra_personas(f->store, &a.caller, 1, &rq, &r, &err),
                     ERR_CONFLICT);
    billing_result_release(&r);

    /* leaving enterprise drops the contract */
    t = terms("agency");
    assert_ok(billing_set_terms(f->store, ws, &t, now, &err), &err);
    assert_int_equal(ws_int(f, "limit_projects IS NULL AND price_cents IS NULL", ws), 1);
    fixture_caller(f, &a.session, &a.caller);
    assert_int_equal(gate_limit_of(&a.caller, LIMIT_PROJECTS), 10);
    assert_int_equal(
        billing_set_terms(f->store, "01a00000-0000-7000-8000-000000000000", &t, now, &err),
        ERR_NOT_FOUND);
    fixture_user_release(&a);
}

static void a_plan_change_moves_default_api_quotas(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    set_period(f, &a, "free", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    struct store_param u[] = { STORE_TEXT(a.caller.user_id) };
    assert_int_equal(fixture_int(f, "SELECT api_quota FROM users WHERE id = ?", u, 1), 60);
    struct billing_request rq = at_time(at("2026-01-10T00:00:00.000Z"), NULL);
    struct billing_result r;
    struct err err = ERR_INIT;
    assert_ok(billing_upgrade(f->store, &a.caller, "business", &rq, &r, &err), &err);
    billing_result_release(&r);
    assert_int_equal(fixture_int(f, "SELECT api_quota FROM users WHERE id = ?", u, 1), 300);
    /* a quota set by hand stays */
    fixture_exec(f, "UPDATE users SET api_quota = 77");
    assert_ok(billing_upgrade(f->store, &a.caller, "agency", &rq, &r, &err), &err);
    billing_result_release(&r);
    assert_int_equal(fixture_int(f, "SELECT api_quota FROM users WHERE id = ?", u, 1), 77);
    fixture_user_release(&a);
}

/* ---- idempotency ------------------------------------------------------------------------- */

/* A test's answer: the invoice's id and total. */
static char *render_invoice(const struct billing_result *r, void *ctx)
{
    int *calls = ctx;
    (*calls)++;
    char text[128];
    snprintf(text, sizeof(text), "{\"invoice\":\"%s\",\"total\":%" PRId64 "}", r->invoice.id,
             r->invoice.total_cents);
    return strdup(text);
}

static void a_retry_with_the_same_key_charges_once(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    set_period(f, &a, "individual", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    int renders = 0;
    struct billing_request rq = { .now = at("2026-01-10T00:00:00.000Z"),
                                  .idempotency_key = "buy-40",
                                  .render = render_invoice,
                                  .render_ctx = &renders };
    struct billing_result r1, r2;
    struct err err = ERR_INIT;
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, 40, &rq, &r1, &err), &err);
    assert_false(r1.replayed);
    assert_int_equal(r1.status, 200);
    assert_int_equal(r1.invoice.total_cents, 400);
    rq.now += 60000; /* a minute later */
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, 40, &rq, &r2, &err), &err);
    assert_true(r2.replayed);
    assert_int_equal(r2.status, 200);
    assert_string_equal(r2.response, r1.response);
    assert_string_equal(r2.invoice.id, r1.invoice.id);
    assert_int_equal(r2.invoice.total_cents, 400);
    assert_int_equal(renders, 1);
    billing_result_release(&r2);
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", ws), 1);
    assert_int_equal(ws_int(f, "extra_personas", ws), 40);
    assert_int_equal(
        fixture_count(f, "notifications WHERE workspace_id = ? AND kind = 'extra_charge'", ws), 1);

    /* the same key with another quantity, or for another operation: refused */
    assert_int_equal(billing_buy_extra_personas(f->store, &a.caller, 41, &rq, &r2, &err),
                     ERR_CONFLICT);
    assert_string_equal(err.field, "Idempotency-Key");
    assert_contains(err.msg, "'buy-40' was already used for another request");
    billing_result_release(&r2);
    assert_int_equal(billing_upgrade(f->store, &a.caller, "business", &rq, &r2, &err),
                     ERR_CONFLICT);
    billing_result_release(&r2);
    assert_string_equal(plan_now(f, ws), "individual");

    /* the same key in another workspace is another key */
    struct fixture_user b;
    fixture_user_new(f, "bob@example.com", NULL, &b);
    set_period(f, &b, "individual", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    assert_ok(billing_buy_extra_personas(f->store, &b.caller, 40, &rq, &r2, &err), &err);
    assert_false(r2.replayed);
    assert_string_not_equal(r2.invoice.id, r1.invoice.id);
    billing_result_release(&r2);
    billing_result_release(&r1);

    /* a refused request stores nothing: its key works once the refusal is gone */
    rq.idempotency_key = "later";
    set_period(f, &a, "free", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    assert_int_equal(billing_buy_extra_personas(f->store, &a.caller, 5, &rq, &r1, &err),
                     ERR_FORBIDDEN);
    billing_result_release(&r1);
    set_period(f, &a, "individual", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, 5, &rq, &r1, &err), &err);
    assert_false(r1.replayed);
    billing_result_release(&r1);

    /* an upgrade retried: one charge */
    rq.idempotency_key = "up-1";
    assert_ok(billing_upgrade(f->store, &a.caller, "agency", &rq, &r1, &err), &err);
    assert_ok(billing_upgrade(f->store, &a.caller, "agency", &rq, &r2, &err), &err);
    assert_true(r2.replayed);
    assert_string_equal(r2.invoice.id, r1.invoice.id);
    billing_result_release(&r1);
    billing_result_release(&r2);
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ? AND kind = 'upgrade'", ws),
                     1);
    fixture_user_release(&b);
    fixture_user_release(&a);
}

static void idempotency_keys_are_checked(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    set_period(f, &a, "individual", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    char key[BILLING_KEY_MAX + 2];
    memset(key, 'k', sizeof(key));
    key[BILLING_KEY_MAX + 1] = '\0';
    struct billing_request rq = at_time(at("2026-01-10T00:00:00.000Z"), key);
    struct billing_result r;
    struct err err = ERR_INIT;
    assert_int_equal(billing_buy_extra_personas(f->store, &a.caller, 1, &rq, &r, &err),
                     ERR_INVALID); /* 256 characters */
    assert_string_equal(err.field, "Idempotency-Key");
    billing_result_release(&r);
    key[BILLING_KEY_MAX] = '\0'; /* 255 */
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, 1, &rq, &r, &err), &err);
    billing_result_release(&r);
    rq.idempotency_key = "has space";
    assert_int_equal(billing_buy_extra_personas(f->store, &a.caller, 1, &rq, &r, &err),
                     ERR_INVALID);
    billing_result_release(&r);
    rq.idempotency_key = ""; /* as none */
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, 1, &rq, &r, &err), &err);
    billing_result_release(&r);
    assert_ok(billing_buy_extra_personas(f->store, &a.caller, 1, &rq, &r, &err), &err);
    billing_result_release(&r);
    assert_int_equal(fixture_count(f, "invoices WHERE workspace_id = ?", a.caller.workspace_id), 3);
    fixture_user_release(&a);
}

/* ---- the ledger -------------------------------------------------------------------------- */

static void invoices_are_listed_newest_first(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a, b;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    fixture_user_new(f, "bob@example.com", NULL, &b);
    set_period(f, &a, "individual", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    set_period(f, &b, "individual", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    struct billing_request rq = at_time(at("2026-01-10T00:00:00.000Z"), NULL);
    struct billing_result r;
    struct err err = ERR_INIT;
    for (int q = 1; q <= 3; q++) {
        assert_ok(billing_buy_extra_personas(f->store, &a.caller, q, &rq, &r, &err), &err);
        billing_result_release(&r);
    }
    assert_ok(billing_buy_extra_personas(f->store, &b.caller, 9, &rq, &r, &err), &err);
    billing_result_release(&r);
    struct invoice_page pg;
    assert_ok(billing_invoices(f->store, a.caller.workspace_id, 2, 0, &pg, &err), &err);
    assert_int_equal(pg.total, 3);
    assert_int_equal(pg.n, 2);
    assert_int_equal(pg.items[0].number, 3);
    assert_int_equal(pg.items[0].total_cents, 30);
    assert_int_equal(pg.items[0].n_lines, 1);
    assert_int_equal(pg.items[1].number, 2);
    invoice_page_release(&pg);
    assert_ok(billing_invoices(f->store, a.caller.workspace_id, 2, 2, &pg, &err), &err);
    assert_int_equal(pg.n, 1);
    assert_int_equal(pg.items[0].number, 1);
    assert_int_equal(pg.items[0].total_cents, 10);
    invoice_page_release(&pg);
    /* the other workspace's numbering is its own */
    assert_ok(billing_invoices(f->store, b.caller.workspace_id, 10, 0, &pg, &err), &err);
    assert_int_equal(pg.total, 1);
    assert_int_equal(pg.items[0].number, 1);
    assert_int_equal(pg.items[0].total_cents, 90);
    invoice_page_release(&pg);
    assert_int_equal(billing_invoices(f->store, a.caller.workspace_id, 0, 0, &pg, &err),
                     ERR_INVALID);
    assert_int_equal(billing_invoices(f->store, a.caller.workspace_id, BILLING_INVOICE_PAGE_MAX + 1,
                                      0, &pg, &err),
                     ERR_INVALID);
    fixture_user_release(&b);
    fixture_user_release(&a);
}

/* ---- parallel ---------------------------------------------------------------------------- */

#define THREADS         6
#define BUYS_PER_THREAD 8

struct worker {
    struct fixture *f;
    const struct caller *c;
    int index;
    int64_t now;
    int64_t charged;  /* cents of the charges this thread made (not replayed) */
    int64_t bought;   /* extra personas this thread bought */
    int64_t replays;  /* answers of the shared key replayed */
    int64_t failures; /* errors other than refused upgrades */
};

static void *buy_and_upgrade(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < BUYS_PER_THREAD; i++) {
        char key[64];
        snprintf(key, sizeof(key), "t%d-%d", w->index, i);
        /* every thread's first purchase uses one shared key: exactly one may charge */
        struct billing_request rq = at_time(w->now, i == 0 ? "shared" : key);
        struct billing_result r;
        struct err err = ERR_INIT;
        int64_t q = i == 0 ? 7 : w->index + i;
        enum err_code rc = billing_buy_extra_personas(w->f->store, w->c, q, &rq, &r, &err);
        if (rc) {
            w->failures++;
            fprintf(stderr, "buy: %s\n", err.msg);
        } else if (r.replayed) {
            w->replays++;
        } else {
            w->charged += r.invoice.total_cents;
            w->bought += q;
        }
        billing_result_release(&r);
        if (i == 3 || i == 6) {
            /* threads race to upgrade: each upgrade is charged against the plan it changes */
            rq = at_time(w->now, NULL);
            rc = billing_upgrade(w->f->store, w->c, w->index % 2 ? "agency" : "business", &rq, &r,
                                 &err);
            if (!rc)
                w->charged += r.invoice.total_cents;
            else if (rc != ERR_CONFLICT)
                w->failures++;
            billing_result_release(&r);
        }
    }
    return NULL;
}

static void parallel_purchases_and_upgrades_keep_the_ledger(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    fixture_user_new(f, "ana@example.com", NULL, &a);
    const char *ws = a.caller.workspace_id;
    set_period(f, &a, "individual", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z");
    pthread_t threads[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){
            .f = f, .c = &a.caller, .index = i, .now = at("2026-01-11T00:00:00.000Z")
        };
        assert_int_equal(pthread_create(&threads[i], NULL, buy_and_upgrade, &w[i]), 0);
    }
    int64_t charged = 0, bought = 0, replays = 0, failures = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        charged += w[i].charged;
        bought += w[i].bought;
        replays += w[i].replays;
        failures += w[i].failures;
    }
    assert_int_equal(failures, 0);
    assert_int_equal(replays, THREADS - 1);
    /* every invoice's lines sum to its total, and the invoices to what the threads were charged */
    assert_int_equal(unbalanced_invoices(f), 0);
    assert_int_equal(ledger_total(f, ws), charged);
    struct store_param p[] = { STORE_TEXT(ws) };
    assert_int_equal(fixture_int(f,
                                 "SELECT COALESCE(SUM(amount_cents), 0) FROM invoice_lines WHERE "
                                 "workspace_id = ?",
                                 p, 1),
                     charged);
    /* what was bought raised the allowance exactly once each */
    assert_int_equal(ws_int(f, "extra_personas", ws), bought);
    int64_t expected = 7;
    for (int t = 0; t < THREADS; t++)
        for (int i = 1; i < BUYS_PER_THREAD; i++)
            expected += t + i;
    assert_int_equal(bought, expected);
    /* one invoice per purchase and per upgrade, numbered 1..n without a gap or a repeat */
    int64_t n = fixture_count(f, "invoices WHERE workspace_id = ?", ws);
    int64_t purchases = fixture_count(f,
                                      "invoices WHERE workspace_id = ? AND kind = "
                                      "'extra_personas'",
                                      ws);
    assert_int_equal(purchases, 1 + THREADS * (BUYS_PER_THREAD - 1));
    assert_int_equal(
        fixture_int(f, "SELECT MAX(number) FROM invoices WHERE workspace_id = ?", p, 1), n);
    assert_int_equal(fixture_int(f,
                                 "SELECT COUNT(DISTINCT number) FROM invoices WHERE "
                                 "workspace_id = ?",
                                 p, 1),
                     n);
    assert_int_equal(fixture_count(f,
                                   "invoices WHERE workspace_id = ? AND idempotency_key = "
                                   "'request:shared'",
                                   ws),
                     1);
    /* the upgrades ended on agency, each charged once: 1016 + 1694, or 2710 at once */
    assert_string_equal(plan_now(f, ws), "agency");
    int64_t upgrades = fixture_int(f,
                                   "SELECT SUM(total_cents) FROM invoices WHERE workspace_id = ? "
                                   "AND kind = 'upgrade'",
                                   p, 1);
    assert_true(upgrades == 1016 + 1694 || upgrades == 2710);
    fixture_user_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prorate_rounds_half_up_in_integers),
        cmocka_unit_test(periods_follow_the_subscription_day),
        FIXTURE_TEST(upgrade_is_prorated_at_points_of_january),
        FIXTURE_TEST(february_is_shorter_than_january),
        FIXTURE_TEST(upgrade_refusals_say_why),
        FIXTURE_TEST(only_admins_buy_and_change_plans),
        FIXTURE_TEST(downgrade_is_refused_with_the_figures),
        FIXTURE_TEST(quotes_price_without_charging),
        FIXTURE_TEST(downgrade_is_scheduled_and_cancelled),
        FIXTURE_TEST(scheduler_applies_the_change_at_the_period_end),
        FIXTURE_TEST(a_free_workspace_rolls_over_without_invoices),
        FIXTURE_TEST(every_request_rolls_its_workspace_over_first),
        FIXTURE_TEST(the_scheduler_thread_rolls_periods_over),
        FIXTURE_TEST(extra_personas_cost_the_plans_price),
        FIXTURE_TEST(extra_personas_are_refused_on_the_free_plan),
        FIXTURE_TEST(enterprise_terms_are_set_by_the_operator_and_used),
        FIXTURE_TEST(a_plan_change_moves_default_api_quotas),
        FIXTURE_TEST(a_retry_with_the_same_key_charges_once),
        FIXTURE_TEST(idempotency_keys_are_checked),
        FIXTURE_TEST(invoices_are_listed_newest_first),
        FIXTURE_TEST(parallel_purchases_and_upgrades_keep_the_ledger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
