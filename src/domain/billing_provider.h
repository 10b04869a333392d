/*
 * domain/billing_provider.h - the one way money moves (SPEC.md 5): a billing
 * provider charges a workspace a list of line items under an idempotency
 * key and answers with the invoice; the ledger (the invoices and
 * invoice_lines tables, sql/0011_billing.sql) is the record of every charge.
 *
 * The built-in provider, billing_ledger(), moves no real money: its charge
 * is the ledger row itself. A provider that charges a card elsewhere would
 * send the same key to its service first (so a retry after a crash between
 * its charge and our commit is not charged twice there) and then record the
 * invoice with billing_ledger_record. No card data is ever stored here.
 *
 * Money is integer cents (USD) everywhere; an invoice's total is exactly the
 * sum of its lines' amounts.
 *
 * Threading: a provider is immutable and used from any thread; charge runs
 * on the caller's connection inside the caller's write transaction, so the
 * charge and what it pays for (the plan, the extras) commit together.
 */
#ifndef DOMAIN_BILLING_PROVIDER_H
#define DOMAIN_BILLING_PROVIDER_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"

struct store_conn;

#define BILLING_CURRENCY        "USD"
#define BILLING_LINES_MAX       8   /* line items in one charge */
#define BILLING_KIND_MAX        32  /* "extra_personas", "upgrade", "subscription" */
#define BILLING_DESCRIPTION_MAX 200 /* bytes of a line's description */
#define BILLING_KEY_MAX         255 /* bytes of a client's Idempotency-Key */
#define BILLING_CHARGE_KEY_MAX  320 /* bytes of a charge's key: a client's key and a prefix */

/* One line item of a charge (borrowed strings). */
struct billing_line {
    const char *kind;        /* what it pays for */
    const char *description; /* for people, at most BILLING_DESCRIPTION_MAX bytes */
    int64_t quantity;        /* >= 1 */
    int64_t unit_cents;      /* >= 0 */
    int64_t amount_cents;    /* >= 0: quantity x unit_cents, or a prorated figure */
};

/* What a provider is asked to collect (borrowed). */
struct billing_charge {
    const char *workspace_id;
    const char *kind; /* the invoice's kind: its first line's, usually */
    const struct billing_line *lines;
    size_t n_lines;                   /* 1..BILLING_LINES_MAX */
    const char *idempotency_key;      /* 1..BILLING_CHARGE_KEY_MAX bytes, unique in the workspace */
    int64_t period_start, period_end; /* the billing period it belongs to, ms */
    int64_t now;                      /* ms: the invoice's time */
};

/* A line of an invoice as stored. */
struct invoice_line {
    char kind[BILLING_KIND_MAX];
    char description[BILLING_DESCRIPTION_MAX + 1];
    int64_t quantity, unit_cents, amount_cents;
};

/* An invoice as stored. */
struct invoice {
    char id[IDS_UUID_LEN]; /* "" when there is none */
    char workspace_id[IDS_UUID_LEN];
    int64_t number; /* 1, 2, 3... within the workspace */
    char kind[BILLING_KIND_MAX];
    int64_t total_cents;
    char currency[8];
    char status[16];                              /* "paid" */
    char provider[16];                            /* "ledger" */
    int64_t period_start, period_end, created_at; /* ms */
    struct invoice_line *lines;                   /* owned, n_lines of them */
    size_t n_lines;
};

/* Frees inv's lines and zeroes it; accepts a zeroed struct. */
void invoice_release(struct invoice *inv);

struct billing_provider {
    const char *name; /* recorded on every invoice: "ledger" */
    /*
     * Collects ch on conn, inside the caller's write transaction, and fills
     * out (release it) with the invoice. A key charged before answers that
     * invoice again and collects nothing. ERR_INVALID for a malformed
     * charge (no lines, a negative amount); a remote provider's failure is
     * ERR_UPSTREAM (the caller rolls back: nothing it paid for is given).
     */
    enum err_code (*charge)(const struct billing_provider *p, struct store_conn *conn,
                            const struct billing_charge *ch, struct invoice *out, struct err *err);
};

/* The built-in provider: the charge is its ledger row. */
const struct billing_provider *billing_ledger(void);

/*
 * Records ch as an invoice of provider_name (status "paid", the next number
 * of the workspace, the total the sum of the lines) with its lines, on conn
 * inside the caller's write transaction; or, when the workspace already has
 * an invoice with ch's key, reads that one. Fills out (release it).
 */
enum err_code billing_ledger_record(struct store_conn *conn, const char *provider_name,
                                    const struct billing_charge *ch, struct invoice *out,
                                    struct err *err);

/*
 * Reads invoice id of workspace_id, with its lines, into out (release it).
 * ERR_NOT_FOUND when the workspace has none of that id.
 */
enum err_code billing_invoice_read(struct store_conn *conn, const char *workspace_id,
                                   const char *id, struct invoice *out, struct err *err);

#endif
