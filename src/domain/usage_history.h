/*
 * domain/usage_history.h - a workspace's activity day by day, for the
 * dashboard (GET /api/usage/history): the tests run (runs started), the
 * persona answers stored and the model cost, per UTC day; and the same
 * three over the current billing period (GET /api/usage's "period").
 */
#ifndef DOMAIN_USAGE_HISTORY_H
#define DOMAIN_USAGE_HISTORY_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/accounts.h"

#define USAGE_HISTORY_DEFAULT 30 /* days */
#define USAGE_HISTORY_MAX     365

struct usage_day {
    char date[11];           /* "2026-11-25" */
    int64_t tests_run;       /* runs started that day */
    int64_t persona_answers; /* results stored that day */
    int64_t cost_micros;     /* the cost of the runs started that day */
};

/*
 * The last `days` days (1..USAGE_HISTORY_MAX), oldest first, today (UTC)
 * last, days without activity included. *out is malloc'd (days items).
 * ERR_INVALID naming "days" out of range.
 */
enum err_code usage_history(struct store *s, const struct caller *c, int64_t days,
                            struct usage_day **out, struct err *err);

/* A workspace's activity in its current billing period. */
struct usage_period {
    int64_t start, end;      /* ms: the period, [start, end) */
    int64_t tests_run;       /* runs started in it */
    int64_t persona_answers; /* results stored in it */
    int64_t cost_micros;     /* the cost of the runs started in it */
};

/* The caller's workspace's activity since its current period started. */
enum err_code usage_period(struct store *s, const struct caller *c, struct usage_period *out,
                           struct err *err);

#endif
