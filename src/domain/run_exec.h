/*
 * domain/run_exec.h - one run's work (SPEC.md 3 "Test execution"; ENGINE.md
 * 3.4, 7, 8): a test's scenarios shown to its panel through the engine, in
 * steps, each step's results handed to a sink that stores them in one
 * transaction (the checkpoint), the sink asked between steps whether to go
 * on, pause or cancel. No database and no clock of its own: the sink and
 * the deadline are the caller's (domain/runs.c), so this file is tested
 * with an in-memory sink.
 *
 * Units and keys. A unit is one persona and one scenario key; its result
 * holds every sample:
 *   product, message  a unit per persona x scenario x variant: key
 *                     "<scenario>" or "<scenario>/<variant>" (each persona
 *                     answers every variant, shown as one text: the
 *                     scenario's stimulus, then the variant's); one survey turn per sample
 *                     (engine/survey.h), so units share nothing and a step
 *                     of them is one engine batch: at most step_units units
 *                     of one scenario (survey_run asks one scenario's
 *                     questions), in the order scenario, variant, member;
 *   journey           a unit per persona x step, key "<step id>": one agent
 *                     per persona walks the steps in order (a journey turn
 *                     each, ENGINE.md 6); a persona who abandons has no
 *                     units for the later steps, and its abandoning unit
 *                     says so. A step of the run is one journey step for
 *                     every persona still walking (step_units does not
 *                     apply). A journey is walked once per persona
 *                     (samples apply to product and message tests). A
 *                     turn that fails stops the persona too: its unit
 *                     holds the error.
 *   focus_group       the panel (2..TEST_FOCUS_GROUP_MAX members) sits in one
 *                     world that broadcasts (ENGINE.md 8), one agent per
 *                     member (a name met twice gets " (2)", ...). For each
 *                     scenario, in order: its discussion - for each round,
 *                     each moderator question broadcast by "Moderator" (the
 *                     scenario's stimulus before its first, which becomes
 *                     everyone's context), then one world
 *                     step in which everyone acts and hears the others at
 *                     the next - and its closing: a unit per member, key
 *                     "<scenario>", holding what the member said in the
 *                     discussion and, when the scenario has questions, the
 *                     answers of one more turn asking them (one batch). A
 *                     run step is one world step or one closing; after
 *                     each, the world's checkpoint goes to the sink with
 *                     it (state) and what was said in a world step with
 *                     it (said). A world step whose calls failed for good
 *                     fails the run (nothing of it is saved); a closing
 *                     turn that fails is stored with its error.
 * A result's rows carry the member's index in members and the scenario's
 * index in t->scenarios (the key tells the variant).
 * Resuming: units the sink already has (done) are not asked again. A
 * focus group loads the world from the sink's state (load_state) and goes
 * on from the step after it: its world steps come from the world's step
 * count, and a scenario whose units the sink holds is closed. A
 * journey is walked again from its first step for a persona with any step
 * missing - the same seeds ask the same questions, so the model's cache
 * answers them at no cost - and only the missing units are handed over
 * (should walking again fail at a step the sink has, the persona's first
 * missing step is handed over with that error).
 *
 * Progress: for a focus group, done and total count run steps (world
 * steps and closings). Otherwise done counts the units the sink had when the run started and
 * every unit handed over since; when a journey's persona stops early
 * (abandons, or its turn fails), the units of its later steps, which it
 * will never have, count as done at once, so a run that completes reaches
 * total. (A resumed journey counts an earlier run's abandoning persona's
 * skipped steps again only when it has walked back to where it stopped.)
 *
 * Determinism: the engine's seed (the run's) and the unit's key fix every
 * call (engine_seed), never the order of completion or the step size.
 */
#ifndef DOMAIN_RUN_EXEC_H
#define DOMAIN_RUN_EXEC_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/test_spec.h"
#include "engine/engine.h"
#include "engine/survey.h"

#define RUN_STEP_UNITS 50 /* units in a step when the caller does not say */
#define RUN_KEY_MAX    140

/* One member of the panel. */
struct run_member {
    const char *id;                /* a persona id, or "template:<id>" */
    const struct persona *persona; /* borrowed */
};

/* One unit's outcome, handed to the sink. */
struct run_unit_done {
    const char *member_id;                   /* run_member.id */
    const char *key;                         /* the scenario key */
    const struct survey_unit_result *result; /* rows per sample and question, THINK/TALK, usage */
    bool abandoned;                          /* journeys: the persona gave up at this step */
    const char *reason;                      /* journeys: why, when it gave up; else NULL */
};

enum run_control {
    RUN_GO,
    RUN_PAUSE,
    RUN_CANCEL,
};

/* A line of a focus group's discussion, handed to the sink with its world step. */
struct run_said {
    const char *member_id; /* the speaker's run_member.id; NULL: the moderator */
    const char *speaker;   /* the speaker's name in the world */
    const char *target;    /* whom it was said to; NULL: everyone */
    const char *text;
    const char *scenario; /* the scenario's id */
    int round;            /* 1-based */
};

/* One step, handed to the sink; everything in it is borrowed for the call. */
struct run_step {
    const struct run_unit_done *units;
    size_t n_units;
    int64_t done, total; /* the run's progress, earlier steps and runs counted */
    const struct engine_usage *usage;
    const char *state; /* focus groups: the world's checkpoint (replaces the last); else NULL */
    size_t state_len;
    const struct run_said *said; /* focus groups: what was said in this world step */
    size_t n_said;
};

struct run_sink {
    /*
     * Whether member's unit key already has its result (a resumed run skips
     * it). Asked for every unit before the first step. NULL: none has.
     */
    bool (*done)(void *ctx, const char *member_id, const char *key);
    /*
     * Stores a step in one write: its units, its state and lines, the
     * run's progress and the step's model usage. An error stops the run
     * with it. A journey's step may hand over no unit (a persona walking
     * again through steps the sink has): its usage and progress are still
     * saved.
     */
    enum err_code (*save_step)(void *ctx, const struct run_step *step, struct err *err);
    /*
     * Focus groups: the state the last step saved (malloc'd into *state,
     * *len its length), or *state NULL when there is none. NULL: never any.
     */
    enum err_code (*load_state)(void *ctx, char **state, size_t *len, struct err *err);
    /*
     * Asked before every step (NULL: always RUN_GO). A cancel beats the
     * timeout, and the timeout beats a pause.
     */
    enum run_control (*control)(void *ctx);
    /* Whether the run's time is up (the test's timeout); asked before every step. NULL: never. */
    bool (*expired)(void *ctx);
    void *ctx;
};

enum run_outcome {
    RUN_COMPLETED,
    RUN_PAUSED,
    RUN_CANCELLED,
    RUN_TIMED_OUT,
};

/*
 * The number of units a run of t over n members has (for progress: total):
 * n x the scenarios' max(1, variants) for product and message tests, n x
 * the steps for a journey (the most it can have: see Progress above), and
 * for a focus group its run steps: the scenarios x (rounds x moderator
 * questions + 1).
 */
int64_t run_units_total(const struct test_spec *t, size_t n_members);

/*
 * Runs t over members with e (its seed is the run's), step_units units a
 * step (0: RUN_STEP_UNITS), and says how it ended in *outcome (stopped
 * before a step: nothing of that step was asked or saved). Units that
 * fail (their model calls failed for good) are stored with their error
 * like the others; the run fails (an error returned) when the sink fails,
 * when a focus group's world step fails, or when t cannot be run with
 * these members (ERR_INVALID naming "panel": a focus group's size).
 */
enum err_code run_exec(const struct engine *e, const struct test_spec *t,
                       const struct run_member *members, size_t n_members, size_t step_units,
                       const struct run_sink *sink, enum run_outcome *outcome, struct err *err);

#endif
