/*
 * engine/engine.h - how the engine asks the model (ENGINE.md 3, 8): every
 * call of the simulation is a task of the catalogue, rendered and sent
 * through the gateway. A batch of calls is submitted at once (their model
 * calls in flight together, up to the provider's concurrency) and the
 * answers are handed back in the order of the batch, never in completion
 * order, so results do not depend on timing.
 *
 * Seeds: every call carries a seed derived from the run's seed and what
 * the call is about (engine_seed), never from the run's id or the clock,
 * so an unchanged test asks the same questions and is answered from the
 * cache.
 *
 * A struct engine is read-only while calls run; any thread may use it.
 */
#ifndef ENGINE_ENGINE_H
#define ENGINE_ENGINE_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/tasks.h"
#include "llm/gateway.h"
#include "llm/llm.h"

struct engine {
    struct llm_gateway *gw; /* borrowed */
    const char *model;      /* NULL: the provider's default */
    struct llm_tags tags;   /* workspace and run; the persona tag is set per call */
    bool no_cache;          /* the run opted out of the model-call cache */
    uint64_t seed;          /* the test's seed */
};

/* What a run's calls cost, summed in the caller's thread. */
struct engine_usage {
    int64_t calls, failures, cache_hits, reasks;
    int64_t tokens_in, tokens_out, cost_micros;
};

/* One call of a batch. */
struct engine_call {
    const struct task *task; /* borrowed: must live until the batch returns */
    uint64_t seed;
    const char *persona;       /* accounting tag; may be NULL */
    struct llm_response *resp; /* set by engine_run: owned by the caller (llm_response_free) */
};

/*
 * A seed for one call from the run's seed and what it is about (any number
 * of strings, NULL-terminated): the same inputs give the same seed.
 */
uint64_t engine_seed(uint64_t base, ...);

/*
 * Sends every call of the batch at once and waits for all; calls[i].resp
 * is then set (never NULL: check resp->code). Adds each call's cost to
 * usage when it is not NULL.
 */
void engine_run(const struct engine *e, struct engine_call *calls, size_t n,
                struct engine_usage *usage);

/* One call: engine_run with a batch of one. Returns the response (never NULL). */
struct llm_response *engine_ask(const struct engine *e, const struct task *t, uint64_t seed,
                                const char *persona, struct engine_usage *usage);

void engine_usage_add(struct engine_usage *u, const struct llm_response *resp);

#endif
