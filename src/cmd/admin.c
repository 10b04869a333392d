/*
 * cmd/admin.c - "crowdelic admin workspace ID [terms]": the operator's view
 * of a workspace's billing (plan, period, usage against limits, the ledger)
 * and the enterprise terms only the operator sets (domain/billing.h
 * billing_set_terms): the plan, the contract's limits and its price a
 * month. Looking changes nothing (no period is rolled over, nothing is
 * charged); setting terms first rolls the workspace's ended periods over at
 * the old terms, as the scheduler would. Works on DATABASE_URL directly (no server needed; a
 * running server sees the change at its next request). Exit 0; 1 when the workspace does not exist
 * or the database fails; 2 for bad usage or bad terms.
 */
#include "core/compat.h"

#include "cmd/cmd.h"
#include "core/clock.h"
#include "core/log.h"
#include "domain/billing.h"
#include "store/store.h"

#define ADMIN_INVOICES 20 /* the newest invoices printed */

/* The value of option name at argv[*i] ("--name V" or "--name=V"), advancing *i; NULL if none. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (strcmp(argv[*i], name) != 0)
        return NULL;
    if (*i + 1 >= argc)
        return "";
    return argv[++*i];
}

/* Reads a whole number 0..max (or "unlimited" as -1 when allowed) into *out; false otherwise. */
static bool parse_count(const char *s, int64_t max, bool unlimited, int64_t *out)
{
    if (unlimited && strcmp(s, "unlimited") == 0) {
        *out = -1;
        return true;
    }
    if (!*s)
        return false;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > (max - (*p - '0')) / 10)
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return true;
}

static void money_text(int64_t cents, char out[32])
{
    snprintf(out, 32, "%" PRId64 ".%02" PRId64, cents / 100, cents % 100);
}

static void limit_text(int64_t v, char out[32])
{
    if (v < 0)
        snprintf(out, 32, "unlimited");
    else
        snprintf(out, 32, "%" PRId64, v);
}

/* Prints the workspace's billing state and its newest invoices; 0, or 1 after saying why. */
static int print_workspace(struct store *s, const char *id)
{
    struct billing_state st;
    struct invoice_page pg = { 0 };
    struct err err = ERR_INIT;
    if (billing_peek(s, id, &st, &err) || billing_invoices(s, id, ADMIN_INVOICES, 0, &pg, &err)) {
        fprintf(stderr, "crowdelic admin: %s\n", err.msg);
        return 1;
    }
    char a[32], b[32], start[CLOCK_ISO8601_LEN], end[CLOCK_ISO8601_LEN];
    clock_iso8601(st.period_start, start);
    clock_iso8601(st.period_end, end);
    printf("workspace  %s (%s)\n", st.workspace_id, st.name);
    printf("plan       %s%s\n", st.plan->name, st.custom_terms ? " (contract terms)" : "");
    if (st.price_cents < 0) {
        printf("price      none agreed\n");
    } else {
        money_text(st.price_cents, a);
        printf("price      %s %s a month\n", a, BILLING_CURRENCY);
    }
    printf("period     %s to %s%s\n", start, end,
           st.period_end <= clock_now_ms() ? " (ended: the scheduler rolls it over)" : "");
    if (st.scheduled)
        printf("scheduled  %s at %s\n", st.scheduled->name, end);
    else
        printf("scheduled  none\n");
    limit_text(st.limits.personas, a);
    printf("personas   %" PRId64 " of %s (%" PRId64 " extra bought)\n", st.usage.personas, a,
           st.extra_personas);
    limit_text(st.limits.projects, a);
    printf("projects   %" PRId64 " of %s\n", st.usage.projects, a);
    limit_text(st.limits.members, a);
    printf("members    %" PRId64 " of %s (%" PRId64 " open invites)\n",
           gate_used(&st.usage, LIMIT_MEMBERS), a, st.usage.pending_invites);
    money_text(st.charges_cents, a);
    money_text(st.charged_total_cents, b);
    printf("charged    %s %s this period (%" PRId64 " invoices); %s %s in all (%" PRId64
           " invoices)\n",
           a, BILLING_CURRENCY, st.invoices_in_period, b, BILLING_CURRENCY, st.invoices_total);
    if (pg.n)
        printf("ledger     the newest %zu of %" PRId64 " invoices:\n", pg.n, pg.total);
    for (size_t i = 0; i < pg.n; i++) {
        const struct invoice *inv = &pg.items[i];
        char when[CLOCK_ISO8601_LEN];
        clock_iso8601(inv->created_at, when);
        money_text(inv->total_cents, a);
        printf("  #%-4" PRId64 " %s  %-14s %10s %s\n", inv->number, when, inv->kind, a,
               inv->currency);
        for (size_t k = 0; k < inv->n_lines; k++) {
            money_text(inv->lines[k].amount_cents, b);
            printf("         %s  x%" PRId64 "  %s\n", inv->lines[k].description,
                   inv->lines[k].quantity, b);
        }
    }
    invoice_page_release(&pg);
    return 0;
}

/* The terms of "admin workspace ID [options]" into t; 0, or 2 after saying what is wrong. */
static int parse_terms(int argc, char **argv, struct billing_terms *t, bool *any)
{
    static const struct {
        const char *flag;
        size_t offset;
        int64_t max;
        bool unlimited;
    } NUMBERS[] = {
        { "--max-personas", offsetof(struct billing_terms, max_personas), BILLING_TERMS_LIMIT_MAX,
          true },
        { "--max-projects", offsetof(struct billing_terms, max_projects), BILLING_TERMS_LIMIT_MAX,
          true },
        { "--team-members", offsetof(struct billing_terms, team_members), BILLING_TERMS_LIMIT_MAX,
          true },
        { "--price-cents", offsetof(struct billing_terms, price_cents), BILLING_TERMS_PRICE_MAX,
          false },
    };
    *t = (struct billing_terms){ NULL, BILLING_KEEP, BILLING_KEEP, BILLING_KEEP, BILLING_KEEP };
    *any = false;
    for (int i = 0; i < argc; i++) {
        const char *v = option_value(argc, argv, &i, "--plan");
        if (v) {
            if (!*v || !plan_find(v)) {
                fprintf(stderr,
                        "crowdelic admin: --plan needs one of free, individual, business, "
                        "agency, enterprise%s%s\n",
                        *v ? ", not " : "", v);
                return 2;
            }
            t->plan = v;
            *any = true;
            continue;
        }
        bool known = false;
        for (size_t k = 0; k < ARRAY_SIZE(NUMBERS) && !known; k++) {
            v = option_value(argc, argv, &i, NUMBERS[k].flag);
            if (!v)
                continue;
            known = true;
            int64_t *field = (int64_t *)(void *)((char *)t + NUMBERS[k].offset);
            if (!parse_count(v, NUMBERS[k].max, NUMBERS[k].unlimited, field)) {
                fprintf(stderr,
                        "crowdelic admin: %s needs a whole number from 0 to %" PRId64 "%s, not "
                        "'%s'\n",
                        NUMBERS[k].flag, NUMBERS[k].max,
                        NUMBERS[k].unlimited ? " or 'unlimited'" : "", v);
                return 2;
            }
            *any = true;
        }
        if (!known) {
            fprintf(stderr, "crowdelic admin: unknown argument '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    return 0;
}

int cmd_admin(int argc, char **argv)
{
    if (cmd_wants_help(argc, argv))
        return cmd_print_usage("admin");
    if (argc < 1 || strcmp(argv[0], "workspace") != 0) {
        fprintf(stderr, "crowdelic admin: %s (see --help)\n",
                argc < 1 ? "what to administer? 'workspace ID'" : "unknown subject");
        return 2;
    }
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "crowdelic admin workspace: the workspace's id is missing (see --help)\n");
        return 2;
    }
    const char *id = argv[1];
    struct billing_terms terms;
    bool any;
    int rc = parse_terms(argc - 2, argv + 2, &terms, &any);
    if (rc)
        return rc;

    struct config c;
    rc = cmd_setup(&c, false);
    if (rc)
        return rc;
    struct store *s = NULL;
    rc = 1;
    if (cmd_open_store(&c, &s))
        goto out;
    if (any) {
        struct err err = ERR_INIT;
        enum err_code e = billing_set_terms(s, id, &terms, clock_now_ms(), &err);
        if (e) {
            fprintf(stderr, "crowdelic admin: %s\n", err.msg);
            rc = e == ERR_INVALID ? 2 : 1;
            goto out;
        }
    }
    rc = print_workspace(s, id);
out:
    store_close(s);
    config_release(&c);
    log_close();
    return rc;
}
