/*
 * domain/billing_ledger.c - the built-in billing provider and the ledger
 * every provider records into (see billing_provider.h): invoices numbered
 * per workspace, their line items, one invoice per idempotency key.
 *
 * Every function works on the caller's connection; the writes belong to the
 * caller's write transaction, under which the next invoice number is counted,
 * so two charges never take the same number.
 */
#include "core/compat.h"

#include "domain/billing_provider.h"

#include "core/xalloc.h"
#include "store/store.h"

#define INVOICE_COLUMNS                                                                       \
    "id, workspace_id, number, kind, total_cents, currency, status, provider, period_start, " \
    "period_end, created_at"

void invoice_release(struct invoice *inv)
{
    free(inv->lines);
    memset(inv, 0, sizeof(*inv));
}

/* ---- reading ----------------------------------------------------------------------------- */

static void read_line(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    struct invoice_line *l = item;
    snprintf(l->kind, sizeof(l->kind), "%s", store_col_text(st, 0));
    snprintf(l->description, sizeof(l->description), "%s", store_col_text(st, 1));
    l->quantity = store_col_int64(st, 2);
    l->unit_cents = store_col_int64(st, 3);
    l->amount_cents = store_col_int64(st, 4);
}

/* Reads the lines of inv (its id and workspace set) into inv->lines. */
static enum err_code read_lines(struct store_conn *conn, struct invoice *inv, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(inv->id), STORE_TEXT(inv->workspace_id) };
    void *items = NULL;
    enum err_code rc = store_read_rows(
        conn,
        "SELECT kind, description, quantity, unit_cents, amount_cents FROM invoice_lines "
        "WHERE invoice_id = ? AND workspace_id = ? ORDER BY line_no",
        p, 2, BILLING_LINES_MAX, sizeof(struct invoice_line), read_line, NULL, &items,
        &inv->n_lines, err);
    inv->lines = items;
    return rc;
}

/* Reads the one invoice row sql selects (INVOICE_COLUMNS) with params, and its lines. */
static enum err_code read_invoice(struct store_conn *conn, const char *sql,
                                  const struct store_param *params, size_t n, struct invoice *out,
                                  struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_stmt *st = NULL;
    bool row = false;
    enum err_code rc = store_prepare_params(conn, sql, params, n, &st, err);
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && !row)
        rc = err_set(err, ERR_NOT_FOUND, "id", "no invoice");
    if (!rc) {
        snprintf(out->id, sizeof(out->id), "%s", store_col_text(st, 0));
        snprintf(out->workspace_id, sizeof(out->workspace_id), "%s", store_col_text(st, 1));
        out->number = store_col_int64(st, 2);
        snprintf(out->kind, sizeof(out->kind), "%s", store_col_text(st, 3));
        out->total_cents = store_col_int64(st, 4);
        snprintf(out->currency, sizeof(out->currency), "%s", store_col_text(st, 5));
        snprintf(out->status, sizeof(out->status), "%s", store_col_text(st, 6));
        snprintf(out->provider, sizeof(out->provider), "%s", store_col_text(st, 7));
        out->period_start = store_col_int64(st, 8);
        out->period_end = store_col_int64(st, 9);
        out->created_at = store_col_int64(st, 10);
    }
    store_finalize(st);
    if (!rc)
        rc = read_lines(conn, out, err);
    if (rc)
        invoice_release(out);
    return rc;
}

enum err_code billing_invoice_read(struct store_conn *conn, const char *workspace_id,
                                   const char *id, struct invoice *out, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(workspace_id) };
    return read_invoice(
        conn, "SELECT " INVOICE_COLUMNS " FROM invoices WHERE id = ? AND workspace_id = ?", p, 2,
        out, err);
}

/* ---- recording --------------------------------------------------------------------------- */

static enum err_code check_charge(const struct billing_charge *ch, int64_t *total, struct err *err)
{
    *total = 0;
    if (ch->n_lines < 1 || ch->n_lines > BILLING_LINES_MAX)
        return err_set(err, ERR_INVALID, "lines", "a charge has 1 to %d lines, not %zu",
                       BILLING_LINES_MAX, ch->n_lines);
    size_t key_len = ch->idempotency_key ? strlen(ch->idempotency_key) : 0;
    if (key_len < 1 || key_len > BILLING_CHARGE_KEY_MAX)
        return err_set(err, ERR_INVALID, "idempotency_key",
                       "a charge needs an idempotency key of 1 to %d bytes",
                       BILLING_CHARGE_KEY_MAX);
    for (size_t i = 0; i < ch->n_lines; i++) {
        const struct billing_line *l = &ch->lines[i];
        if (l->quantity < 1 || l->unit_cents < 0 || l->amount_cents < 0 ||
            l->amount_cents > INT64_MAX / 4 || !l->kind || !l->description)
            return err_set(err, ERR_INVALID, "lines", "line %zu of the charge is malformed", i + 1);
        *total += l->amount_cents;
    }
    return ERR_OK;
}

enum err_code billing_ledger_record(struct store_conn *conn, const char *provider_name,
                                    const struct billing_charge *ch, struct invoice *out,
                                    struct err *err)
{
    memset(out, 0, sizeof(*out));
    int64_t total;
    enum err_code rc = check_charge(ch, &total, err);
    if (rc)
        return rc;
    /* a key charged before: that invoice, nothing collected again */
    struct store_param k[] = { STORE_TEXT(ch->workspace_id), STORE_TEXT(ch->idempotency_key) };
    rc = read_invoice(conn,
                      "SELECT " INVOICE_COLUMNS " FROM invoices WHERE workspace_id = ? AND "
                      "idempotency_key = ?",
                      k, 2, out, err);
    if (rc != ERR_NOT_FOUND)
        return rc;
    err_clear(err);

    int64_t number = 0;
    struct store_param ws[] = { STORE_TEXT(ch->workspace_id) };
    rc = store_query_int(conn,
                         "SELECT COALESCE(MAX(number), 0) FROM invoices WHERE workspace_id = ?", ws,
                         1, &number, err);
    if (rc)
        return rc;
    number++;
    char id[IDS_UUID_LEN];
    ids_uuid7(id);
    struct store_param inv[] = {
        STORE_TEXT(id),
        STORE_TEXT(ch->workspace_id),
        STORE_INT(number),
        STORE_TEXT(ch->kind),
        STORE_INT(total),
        STORE_TEXT(BILLING_CURRENCY),
        STORE_TEXT("paid"),
        STORE_TEXT(provider_name),
        STORE_TEXT(ch->idempotency_key),
        STORE_INT(ch->period_start),
        STORE_INT(ch->period_end),
        STORE_INT(ch->now),
    };
    rc = store_run(conn,
                   "INSERT INTO invoices (id, workspace_id, number, kind, total_cents, currency, "
                   "status, provider, idempotency_key, period_start, period_end, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   inv, ARRAY_SIZE(inv), NULL, err);
    for (size_t i = 0; !rc && i < ch->n_lines; i++) {
        const struct billing_line *l = &ch->lines[i];
        struct store_param lp[] = {
            STORE_TEXT(id),           STORE_INT((int64_t)i + 1),  STORE_TEXT(ch->workspace_id),
            STORE_TEXT(l->kind),      STORE_TEXT(l->description), STORE_INT(l->quantity),
            STORE_INT(l->unit_cents), STORE_INT(l->amount_cents),
        };
        rc = store_run(conn,
                       "INSERT INTO invoice_lines (invoice_id, line_no, workspace_id, kind, "
                       "description, quantity, unit_cents, amount_cents) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       lp, ARRAY_SIZE(lp), NULL, err);
    }
    if (!rc)
        rc = billing_invoice_read(conn, ch->workspace_id, id, out, err);
    return rc;
}

/* ---- the built-in provider --------------------------------------------------------------- */

static enum err_code ledger_charge(const struct billing_provider *p, struct store_conn *conn,
                                   const struct billing_charge *ch, struct invoice *out,
                                   struct err *err)
{
    return billing_ledger_record(conn, p->name, ch, out, err);
}

static const struct billing_provider LEDGER = { "ledger", ledger_charge };

const struct billing_provider *billing_ledger(void)
{
    return &LEDGER;
}
