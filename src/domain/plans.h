/*
 * domain/plans.h - the plans (SPEC.md 5): their prices, limits and features,
 * defined once. A limit of PLAN_CUSTOM (enterprise) is set per contract:
 * the workspace's own value applies (none is unlimited).
 */
#ifndef DOMAIN_PLANS_H
#define DOMAIN_PLANS_H

#include "core/compat.h"

#define PLAN_CUSTOM (-1) /* a price or limit agreed per contract */

enum plan_type {
    PLAN_FREE,
    PLAN_INDIVIDUAL,
    PLAN_BUSINESS,
    PLAN_AGENCY,
    PLAN_ENTERPRISE,
    PLAN_COUNT_,
};

struct plan {
    enum plan_type type;
    const char *name;            /* "free", "individual", ... */
    int64_t price_cents;         /* per month; PLAN_CUSTOM */
    int64_t max_personas;        /* PLAN_CUSTOM */
    int64_t max_projects;        /* PLAN_CUSTOM */
    int64_t extra_persona_cents; /* the price of one extra persona; 0: not sold on this plan */
    bool api_access, advanced_analytics, priority_support, custom_personas;
    int64_t team_members; /* PLAN_CUSTOM */
    int64_t api_quota;    /* default API requests per minute for its users */
};

/* The plan called name, or NULL. */
const struct plan *plan_find(const char *name);
const struct plan *plan_of(enum plan_type type);
/* All plans, cheapest first. */
const struct plan *plans_all(size_t *n);

#endif
