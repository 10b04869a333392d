/*
 * engine/checkpoint.h - control (ENGINE.md 7): after every step, its
 * results and the state needed to go on go to a checkpoint sink the
 * caller supplies, in one write; resume restores the last checkpoint and
 * continues to the same final result as an uninterrupted run.
 *
 * A world's checkpoint is everything that shapes what comes next: each
 * agent's persona, mental state, episodic memory (with the count of what
 * was dropped and where the episode starts), what its turns have seen,
 * semantic memory (in order, so retrieval ranks alike), the repetition
 * guard and counters; the clock, the step, what was said, the talk that
 * was dropped, and which interventions have fired. Interventions are code
 * (conditions are C callbacks): the caller rebuilds the world's definition
 * - options and interventions, with the same names - and loads the
 * checkpoint into it.
 *
 * A survey needs no state beyond its units' rows (ENGINE.md 7): a unit's
 * result is its checkpoint, written under a key of persona x scenario, so
 * writing it twice is harmless and a resumed survey runs only the units
 * without one.
 *
 * The format is compact JSON with a "version"; a checkpoint of another
 * version, or one that does not parse, is refused with a clear error.
 */
#ifndef ENGINE_CHECKPOINT_H
#define ENGINE_CHECKPOINT_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/survey.h"
#include "engine/world.h"

#define CHECKPOINT_VERSION 1

/* Where checkpoints go: write replaces what key held, atomically. */
struct checkpoint_sink {
    enum err_code (*write)(void *ctx, const char *key, const char *data, size_t len,
                           struct err *err);
    void *ctx;
};

/* The world's state as a checkpoint (malloc'd compact JSON; *len set when not NULL). */
char *world_checkpoint(const struct world *w, size_t *len);

/*
 * Loads a checkpoint into w, a fresh world built from the same definition
 * (options and interventions; no agents, no step yet). ERR_INVALID naming
 * what is wrong (and w unchanged) when the text is not such a checkpoint.
 */
enum err_code world_load(struct world *w, const char *data, size_t len, struct err *err);

/*
 * Runs steps until w->step reaches last_step, writing a checkpoint after
 * each to sink under key (the write's failure stops the run with its
 * error; the step itself stays applied in w).
 */
enum err_code world_run_checkpointed(struct world *w, const struct engine *e, int64_t last_step,
                                     const struct checkpoint_sink *sink, const char *key,
                                     struct engine_usage *usage, struct err *err);

/* A unit result as a checkpoint (malloc'd compact JSON), and back (into a zeroed out). */
char *survey_unit_checkpoint(const struct survey_unit_result *r, size_t *len);
enum err_code survey_unit_load(const struct survey_spec *spec, const char *data, size_t len,
                               struct survey_unit_result *out, struct err *err);

#endif
