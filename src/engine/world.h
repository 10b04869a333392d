/*
 * engine/world.h - agents that share a place and hear each other (ENGINE.md
 * 8): a focus group, an interview, a conversation.
 *
 * A step:
 *   1. the simulated clock advances (minutes_per_step) and every agent's
 *      time follows it;
 *   2. interventions are checked in the order they were added - a C
 *      condition over the world, and/or a claim the model checks over what
 *      was said - and the effect of each whose condition holds is applied
 *      (a stimulus to one agent or to everyone, or a new context);
 *   3. agents whose episode reached EPISODE_MAX consolidate it (one batch);
 *   4. every agent acts: all their model calls are in flight together
 *      (one engine batch), and the answers are committed in agent order;
 *   5. what they said is delivered in agent order, so replies sent in step
 *      t are heard in step t+1: a TALK goes to its target - found by full
 *      name, then by first name, case-insensitively - as a CONVERSATION
 *      stimulus; with no target or an unknown one it goes to everyone else
 *      when the world broadcasts (focus groups) and is dropped otherwise
 *      (surveys: respondents never hear each other); a REACH_OUT to a known
 *      agent makes the two reachable to each other, with a SOCIAL stimulus
 *      to both;
 *   6. agents whose episode grew past EPISODE_MIN consolidate it (one batch).
 * The step is applied to the world only when every call of it succeeded:
 * a failed step leaves the world as it was (and can be retried or resumed).
 *
 * Everything is seeded from the engine's seed, the agent's name and the
 * step number, so the same world, seed and model answers give the same
 * run. A world has one owner; it is not thread-safe.
 */
#ifndef ENGINE_WORLD_H
#define ENGINE_WORLD_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/agent.h"
#include "engine/engine.h"
#include "engine/tasks.h"

#define WORLD_DEFAULT_START "2026-01-05T09:00:00Z" /* a Monday morning, the same every run */

struct world_options {
    const char *name;       /* may be NULL */
    bool broadcast;         /* untargeted talk reaches everyone else */
    const char *start_time; /* ISO-8601 UTC "YYYY-MM-DDTHH:MM:SSZ"; NULL: the default */
    int minutes_per_step;   /* how far the clock moves each step; 0: it does not */
};

struct world;

/* A condition over the world's state (a C callback). */
typedef bool world_condition_fn(const struct world *w, void *ctx);

enum intervention_effect {
    EFFECT_STIMULUS, /* a stimulus to the target agent, or to everyone */
    EFFECT_CONTEXT,  /* a new context for the target agent, or for everyone */
};

struct intervention_spec {
    const char *name;              /* unique in the world; kept in checkpoints */
    world_condition_fn *condition; /* a C condition; NULL: none */
    void *ctx;
    /*
     * And/or a claim the model checks over what was said (one proposition
     * call when the C condition holds): true fires it; with a threshold
     * (1..9) the claim is scored instead, and it fires when the score is
     * below the threshold (a property gone weak). NULL: none.
     */
    const char *claim;
    int threshold;
    int64_t from_step; /* not before this step (1-based; 0: any) */
    bool once;         /* fires at most once */
    enum intervention_effect effect;
    enum stimulus_type stimulus; /* EFFECT_STIMULUS */
    const char *content;         /* the stimulus, or one line of context */
    const char *source;          /* the stimulus's source; may be NULL */
    const char *target;          /* an agent's name; NULL: everyone */
};

/* An intervention as the world keeps it (from an intervention_spec; strings owned). */
struct intervention {
    char *name;
    world_condition_fn *condition;
    void *ctx;
    char *claim;
    int threshold;
    int64_t from_step;
    bool once, fired;
    enum intervention_effect effect;
    enum stimulus_type stimulus;
    char *content, *source, *target;
};

/* One line of what was said: who said it to whom, at which step. */
struct said {
    int64_t step;
    char *speaker;
    char *target; /* the resolved addressee; NULL for everyone */
    char *text;
    bool delivered; /* reached at least one agent */
};

struct world {
    char *name;
    bool broadcast;
    char *start_time;
    int minutes_per_step;
    int64_t step;          /* steps completed */
    int64_t clock_minutes; /* simulated minutes since start_time */
    struct agent **agents; /* owned */
    size_t n_agents, alloc_agents;
    struct intervention *interventions;
    size_t n_interventions, alloc_interventions;
    struct said *said; /* everything said, in order (TALK and broadcasts) */
    size_t n_said, alloc_said;
    int64_t dropped; /* talk that reached nobody */
};

struct world *world_new(const struct world_options *opt);
void world_free(struct world *w); /* accepts NULL */

/* Adds an agent (taken). ERR_CONFLICT when its name is already in the world. */
enum err_code world_add_agent(struct world *w, struct agent *a, struct err *err);
/* Makes everyone reachable by everyone. */
void world_make_everyone_accessible(struct world *w);
/* The agent called name (full name, then first name; case-insensitive), or NULL. */
struct agent *world_find(const struct world *w, const char *name);

/* ERR_CONFLICT for a duplicate name, ERR_INVALID for a bad spec. */
enum err_code world_add_intervention(struct world *w, const struct intervention_spec *spec,
                                     struct err *err);

/* Something everyone hears at once (no model call): a CONVERSATION from source. */
void world_broadcast(struct world *w, const char *content, const char *source);
/* Any stimulus to everyone. */
void world_broadcast_stimulus(struct world *w, enum stimulus_type type, const char *content,
                              const char *source);
/* The current simulated time, ISO-8601 UTC, into out. */
void world_time(const struct world *w, char out[32]);

/*
 * Runs one step (see above); usage (may be NULL) gets its calls' costs. On
 * error the world is unchanged (the calls' costs still count).
 */
enum err_code world_step(struct world *w, const struct engine *e, struct engine_usage *usage,
                         struct err *err);

/* Runs n steps, stopping at the first error. */
enum err_code world_run(struct world *w, const struct engine *e, int64_t n,
                        struct engine_usage *usage, struct err *err);

#endif
