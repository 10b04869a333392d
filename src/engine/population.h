/*
 * engine/population.h - the factory (ENGINE.md 4): a population's
 * description and a size n in, n distinct personas out, each with the
 * sample it was drawn from.
 *
 * 1. Dimensions: one TASK_DIMENSIONS call turns the description into
 *    sampling dimensions (values with shares, or numeric ranges); shares
 *    are normalised to sum to 1.
 * 2. Plan: one TASK_PLAN call splits the population into groups with
 *    quantities and traits. The model is not trusted: at most
 *    POPULATION_MAX_GROUPS groups are kept and the quantities are repaired
 *    to sum exactly to n (population_repair_quantities).
 * 3. Expand and shuffle: each group's traits copied quantity times, the
 *    list shuffled, ranges (a value "35-42", "35 to 42", "35 a 42", or
 *    {min, max} in the plan) drawn to a concrete value and option lists to
 *    one option, all from a generator seeded by engine_seed(e->seed,
 *    "population", ...).
 * 4. Generate: one TASK_PERSON per sample, all in one batch (engine_run),
 *    each carrying the names already taken (those of the samples sharing
 *    the most picks first; at most POPULATION_NAMES_SENT, doubled each
 *    round, and all of them in the last round). The answers are then
 *    checked in sample order: a name already taken (case-insensitive) is
 *    a duplicate, a spec more than POPULATION_NEAR_DUPLICATE alike
 *    (population_similarity) to an accepted one is a near-duplicate. The
 *    rejected samples and the failed calls are asked again in the next
 *    round with a new seed and the names taken so far, at most
 *    POPULATION_EXTRA_ROUNDS times; a sample that still has no persona is
 *    kept in the result with the reason (never dropped silently).
 *
 * Everything depends on the seed and the model's answers only, never on
 * timing: the same seed and answers give byte-identical personas.
 *
 * JSON: the task answers are read in engine/population_json.c (a wire
 * file); this header and population.c work on typed structs. Every struct
 * owns its strings. Reentrant; a result has one owner.
 */
#ifndef ENGINE_POPULATION_H
#define ENGINE_POPULATION_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/engine.h"
#include "engine/persona.h"
#include "engine/tasks.h"

#define POPULATION_MAX             10000 /* people one call may ask for */
#define POPULATION_DESCRIPTION_MAX 10000 /* bytes of a description */
#define POPULATION_MAX_GROUPS      100   /* groups kept from a plan (the plan task's maxItems) */
#define POPULATION_EXTRA_ROUNDS    3     /* rounds after the first for rejected samples */
#define POPULATION_NEAR_DUPLICATE  0.8   /* a similarity above this is a near-duplicate */
/*
 * Names sent with one person task of the first rounds: the prompt's cost
 * grows with them, and uniqueness is enforced after the answer anyway.
 */
#define POPULATION_NAMES_SENT 500

struct population_request {
    const char *description;          /* the population, in words */
    int n;                            /* 1..POPULATION_MAX */
    const char *language;             /* of the plan's values: "en", "pt-BR"; NULL: "en" */
    const struct strlist *used_names; /* names taken already (a workspace's); may be NULL */
    bool plan_only; /* the dimensions, the plan and each sample's draws; no person calls */
};

/* One trait of a plan group, as the plan wrote it. */
struct population_trait {
    char *dimension;
    char *value;            /* a value, a range ("35-42"), or the options joined by " | " */
    struct strlist options; /* when the plan left a choice: one is drawn per sample */
};

/* A group of the plan (a "sampling directive"). */
struct population_group {
    char *description;
    int planned;  /* the quantity the model planned */
    int quantity; /* after the repair: the groups' quantities sum to n; may be 0 */
    struct population_trait *traits;
    size_t n_traits, alloc_traits;
};

/* One person to make: where it comes from, and what came of it. */
struct population_sample {
    size_t group;             /* index into the result's groups */
    struct trait_pick *picks; /* the group's traits with concrete values drawn */
    size_t n_picks, alloc_picks;
    struct persona *persona; /* owned; NULL when the sample failed */
    int round;               /* the round that made it (0: the first batch) */
    struct err err;          /* the last rejection or failure (kept when the persona is NULL) */
};

/* What happened; rejections count answers (a sample may be rejected in several rounds). */
struct population_stats {
    int asked;                   /* n */
    int made;                    /* samples with a persona */
    int rejected_duplicate;      /* answers whose name was taken */
    int rejected_near_duplicate; /* answers too alike to an accepted persona */
    int call_failures;           /* person calls failed or unreadable (asked again) */
    int failed;                  /* samples left without a persona: asked - made */
    int rounds;                  /* batches of person calls, the first included */
};

struct population_result {
    struct dimension *dimensions; /* from the model; a dimension's shares sum to 1 */
    size_t n_dimensions, alloc_dimensions;
    struct population_group *groups; /* the repaired plan */
    size_t n_groups, alloc_groups;
    struct population_sample *samples; /* n, in sample (shuffled) order */
    size_t n_samples;
    struct population_stats stats;
};

/*
 * Generates req->n personas (see the top of this file) with e's gateway
 * (with req->plan_only, only plans them: the samples are drawn, none has a
 * persona, and the stats count nothing asked)
 * and seed, adding every call's cost to usage when it is not NULL. On
 * success *out is the result (free with population_result_free); samples
 * that failed are in it with their reason, and the call fails only when
 * none succeeded. Errors: ERR_INVALID for bad input (field "description",
 * "n" or "language"); a failed model call's own code with its message
 * prefixed by the step ("dimensions: ...", "plan: ...", "person: ...").
 */
enum err_code population_generate(const struct engine *e, const struct population_request *req,
                                  struct engine_usage *usage, struct population_result **out,
                                  struct err *err);

void population_result_free(struct population_result *r); /* accepts NULL */

/*
 * Repairs quantity[0..n_groups) in place to sum exactly to n (n >= 0):
 * negative values count as 0; a plan that sums to n is kept; otherwise
 * each group gets its proportional share of n rounded down, and the
 * people left over go one each to the groups with the largest remainders
 * (the earlier group on a tie). A group may end with 0. When every
 * quantity is 0 the groups share n equally (the earlier ones get the
 * remainder).
 */
void population_repair_quantities(int *quantity, size_t n_groups, int n);

/*
 * The word-set Jaccard similarity (0..1) of two personas: the words of
 * every value of their rendered specs (persona_render), lower-cased, field
 * names left out. 1 for two personas without words.
 */
double population_similarity(const struct persona *a, const struct persona *b);

/* Whether a and b are near-duplicates: a similarity above POPULATION_NEAR_DUPLICATE. */
bool population_near_duplicate(const struct persona *a, const struct persona *b);

/* ---- reading the answers (engine/population_json.c; for population.c) ----------------- */

/*
 * Appends the dimensions of a TASK_DIMENSIONS answer to out->dimensions:
 * the values with their shares as given, or the range (min <= max). A
 * dimension with neither is left out. ERR_INVALID when resp holds no
 * answer of that shape.
 */
enum err_code population_read_dimensions(const struct llm_response *resp,
                                         struct population_result *out, struct err *err);

/*
 * Appends the groups of a TASK_PLAN answer to out->groups (planned =
 * quantity = the model's quantity, clamped to 0..1e9). A trait's value is
 * kept as text: a number as written, a list as options, an object with
 * min and max as a range "min-max"; nulls are left out.
 */
enum err_code population_read_plan(const struct llm_response *resp, struct population_result *out,
                                   struct err *err);

/* The persona of a TASK_PERSON answer (spec shape) into *out. */
enum err_code population_read_person(const struct llm_response *resp, struct persona **out,
                                     struct err *err);

#endif
