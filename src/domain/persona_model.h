/*
 * domain/persona_model.h - what the model does with a workspace's personas
 * (SPEC.md 3 "Persona management"; ENGINE.md 4): generate a population
 * with the engine's factory and add it to the workspace, and validate one
 * persona with the engine's validator, keeping the verdict.
 *
 * Both take the model gateway (NULL: no model available, ERR_UNAVAILABLE)
 * and run on the calling thread for as long as the model takes: callers on
 * an HTTP thread hand them to the worker pool. The generated population's
 * sampling plan is the engine's own struct (engine/population.h), given to
 * the caller as it is.
 */
#ifndef DOMAIN_PERSONA_MODEL_H
#define DOMAIN_PERSONA_MODEL_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"
#include "domain/accounts.h"
#include "engine/population.h"

struct store;
struct llm_gateway;

#define GENERATE_MAX            200 /* personas one request may generate */
#define VALIDATE_ROUNDS_DEFAULT 3
#define VALIDATE_EXPECT_MAX     2000 /* characters of the expectations */

struct generate_request {
    const char *description; /* the population, in words */
    int n;                   /* 1..GENERATE_MAX */
    const char *language;    /* of the plan's values: "en" or "pt-BR"; NULL: "en" */
    uint64_t seed;           /* 0: drawn at random */
    bool dry_run;            /* plan only: the model's dimensions and plan, nothing added */
};

struct generate_result {
    struct population_result *population; /* the plan, the samples and their reasons */
    char (*ids)[IDS_UUID_LEN];            /* of the personas added, in sample order */
    size_t n_ids;
    uint64_t seed;
    bool dry_run; /* planned, not generated: no personas, no ids */
    struct engine_usage usage;
};

void generate_result_release(struct generate_result *r);

/*
 * Generates req->n personas and adds those made to the caller's workspace
 * (type "generated"). Needs custom_personas, and room for n under
 * max_personas before any model call; the insert checks again, atomically.
 * With req->dry_run, the same checks and the same plan (for the same seed:
 * the generation that follows with out->seed plans alike), and nothing
 * else: a preview of the sampling plan.
 * ERR_INVALID naming "description", "count" or "language".
 */
enum err_code personas_generate(struct store *s, struct llm_gateway *gw, const char *model,
                                const struct caller *c, const struct generate_request *req,
                                struct generate_result *out, struct err *err);

struct validate_result {
    double score;
    char *reasons;
    int rounds;
    char *model;
    struct transcript interview;
    struct engine_usage usage;
};

void validate_result_release(struct validate_result *r);

/*
 * Interviews persona id with the engine's validator (rounds 2..10; 0: the
 * default) against expectations (may be NULL) and stores the score and the
 * reasons on the persona. Every plan.
 */
enum err_code personas_validate(struct store *s, struct llm_gateway *gw, const char *model,
                                const struct caller *c, const char *id, const char *expectations,
                                int rounds, struct validate_result *out, struct err *err);

#endif
