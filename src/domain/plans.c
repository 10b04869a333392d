/*
 * domain/plans.c - the plan table of SPEC.md 5 (the original numbers).
 */
#include "core/compat.h"

#include "domain/plans.h"

/* Default per-user API quotas (requests per minute): ours, rising with the plan. */
static const struct plan PLANS[PLAN_COUNT_] = {
    { PLAN_FREE, "free", 0, 20, 1, 0, false, false, false, false, 1, 60 },
    { PLAN_INDIVIDUAL, "individual", 990, 100, 1, 10, false, false, false, true, 1, 120 },
    { PLAN_BUSINESS, "business", 2490, 300, 3, 8, true, true, false, true, 3, 300 },
    { PLAN_AGENCY, "agency", 4990, 1000, 10, 5, true, true, true, true, 10, 600 },
    { PLAN_ENTERPRISE, "enterprise", PLAN_CUSTOM, PLAN_CUSTOM, PLAN_CUSTOM, 3, true, true, true,
      true, PLAN_CUSTOM, 1200 },
};

const struct plan *plan_find(const char *name)
{
    for (size_t i = 0; name && i < PLAN_COUNT_; i++)
        if (strcmp(PLANS[i].name, name) == 0)
            return &PLANS[i];
    return NULL;
}

const struct plan *plan_of(enum plan_type type)
{
    return (unsigned)type < PLAN_COUNT_ ? &PLANS[type] : &PLANS[PLAN_FREE];
}

const struct plan *plans_all(size_t *n)
{
    *n = PLAN_COUNT_;
    return PLANS;
}
