/*
 * domain/estimate.h - what a test will cost before it runs (SPEC.md 3;
 * ENGINE.md 3.4): the model calls it makes, their tokens and cost.
 *
 * The panel is measured (how many personas its ids, library, filter,
 * templates or generation stand for) and one of its personas stands for
 * all: for every scenario the engine renders the very request a run sends
 * (survey_sample_request for questions; an agent turn for a journey step
 * or a focus-group turn) and the gateway prices it the way its rate
 * limiter estimates a call (llm_gateway_estimate). Calls per scenario:
 *   product, message  personas x max(1, variants) x samples (each persona
 *                     answers every variant);
 *   journey           personas, one turn per step;
 *   focus_group       personas x (moderator questions x rounds, + 1 for a
 *                     scenario with questions: the closing turn asking them).
 * A generated panel adds its factory calls (2 + the count) to calls; their
 * tokens are not estimated (generated_calls says how many). The cache is
 * not consulted: a re-run of an unchanged test costs less than this.
 */
#ifndef DOMAIN_ESTIMATE_H
#define DOMAIN_ESTIMATE_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/accounts.h"

struct store;
struct llm_gateway;

#define ESTIMATE_ID_MAX 65

struct scenario_estimate {
    char id[ESTIMATE_ID_MAX];
    int64_t calls, tokens_in, tokens_out, cost_micros;
};

struct test_estimate {
    int64_t personas;
    int64_t calls; /* every model call, the factory's included */
    int64_t generate_calls;
    int64_t tokens_in, tokens_out, cost_micros;
    char model[128];
    bool priced; /* false: the model has no price, cost is 0 */
    struct scenario_estimate *scenarios;
    size_t n_scenarios;
};

void test_estimate_release(struct test_estimate *e);

/*
 * Estimates test id of the caller's workspace. ERR_UNAVAILABLE without a
 * model; ERR_CONFLICT for a panel that holds no persona (an empty library
 * or a filter nobody matches).
 */
enum err_code test_estimate(struct store *s, struct llm_gateway *gw, const char *model,
                            const struct caller *c, const char *id, struct test_estimate *out,
                            struct err *err);

#endif
