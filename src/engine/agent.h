/*
 * engine/agent.h - a simulated person (ENGINE.md 1, 3): a persona, its
 * mental state, its episodic and semantic memory, and its turns.
 *
 * Perceiving costs nothing: stimuli go to episodic memory. A turn is one
 * model call (an act task) in two halves, so that a world can put every
 * agent's call in flight at once and still apply the answers in agent
 * order:
 *   1. agent_turn_task: the task, built from the persona, the current
 *      cognitive state, the window of episodic memory the agent has
 *      already seen, the memories retrieved for this turn (BM25 top 7) and
 *      the stimuli that are new since its last turn; questions make it a
 *      survey turn;
 *   2. agent_turn_commit: the model's answer (validated by the gateway)
 *      committed - actions in order until DONE (at most 15, DONE appended
 *      when missing), each checked by the repetition guard (word-trigram
 *      Jaccard > 0.85 against the previous non-DONE action of the same type
 *      and target becomes DONE, with a feedback note in memory), then the
 *      mental state updated from the answer's cognitive state, field by
 *      field.
 * When an episode grows past EPISODE_MIN events at a turn's end, or
 * reaches EPISODE_MAX, it is consolidated (one consolidate task, also in
 * two halves) into at most six memories in semantic memory.
 *
 * An agent has one owner and is not thread-safe; a world serialises its
 * use (the model calls are what run concurrently).
 */
#ifndef ENGINE_AGENT_H
#define ENGINE_AGENT_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/episodic.h"
#include "engine/persona.h"
#include "engine/semantic.h"
#include "engine/tasks.h"
#include "llm/llm.h"

#define AGENT_REPETITION_THRESHOLD 0.85 /* word-trigram Jaccard above which an action repeats */

struct agent {
    struct persona *persona;      /* owned */
    struct cognitive_state state; /* time, location, context, goals, attention, emotions, who */
    struct episodic episodic;
    struct semantic *semantic; /* owned */
    size_t seen;               /* events [0, seen) were shown to an earlier turn */
    /* the repetition guard: the last committed action that was not DONE */
    bool has_last;
    enum action_type last_type;
    char *last_target, *last_content;
    int64_t turns, actions;
};

/* An agent for persona (taken), with an empty memory and a calm state. */
struct agent *agent_new(struct persona *persona);
void agent_free(struct agent *a); /* accepts NULL */
/* A deep copy: persona, state, both memories, the guard, the counters. */
struct agent *agent_dup(const struct agent *a);

const char *agent_name(const struct agent *a);

/* ---- perceiving (no model call) ---------------------------------------------------- */

/* A stimulus into episodic memory, stamped with the agent's time. */
void agent_perceive(struct agent *a, enum stimulus_type type, const char *content,
                    const char *source);
/* Sets the simulated time (ISO-8601) the agent lives in. */
void agent_set_time(struct agent *a, const char *iso_time);
/* Where the agent is, and what is going on there (replaces the context). */
void agent_move_to(struct agent *a, const char *location, const struct strlist *context);
void agent_set_context(struct agent *a, const struct strlist *context);
/* A goal to internalise: a GOAL stimulus, and the goal in the state. */
void agent_add_goal(struct agent *a, const char *goal);
/* Someone the agent can talk to ("Name: relation"); no duplicates. */
void agent_make_accessible(struct agent *a, const char *name, const char *relation);
bool agent_can_reach(const struct agent *a, const char *name);
/* A document (brief, product page) for the agent to draw on: semantic memory. */
enum err_code agent_read_document(struct agent *a, const char *name, const char *text,
                                  struct err *err);

/* ---- a turn ------------------------------------------------------------------------- */

/* What a survey turn asks, besides the stimuli already perceived. */
struct turn_ask {
    const struct question *questions; /* copied into the task */
    size_t n_questions;
    bool ssr;          /* ratings answered in words */
    int journey_step;  /* 1-based step of a journey, 0 when none */
    int journey_steps; /* the journey's length */
};

/* The act task for the agent's next turn (free with task_free); ask may be NULL. */
struct task *agent_turn_task(const struct agent *a, const struct turn_ask *ask);

/* What one committed turn did. */
struct turn_result {
    struct action *actions; /* committed, in order, DONE not included */
    size_t n_actions, alloc_actions;
    bool repeated;                /* the repetition guard ended the turn */
    struct answer_value *answers; /* a survey turn's answers, as the task asked */
    size_t n_answers;
    bool journey_continue;
    char *journey_reason;
};

void turn_result_release(struct turn_result *r);

/*
 * Commits the answer to task (from agent_turn_task) into the agent. A
 * failed call (resp->code) changes nothing and returns its error; so does
 * an answer that does not fit the task. out may be NULL.
 */
enum err_code agent_turn_commit(struct agent *a, const struct task *task,
                                const struct llm_response *resp, struct turn_result *out,
                                struct err *err);

/* ---- consolidation -------------------------------------------------------------------- */

/* Is the episode due for consolidation (at a turn's end, or at any time)? */
bool agent_needs_consolidation(const struct agent *a, bool turn_ended);
/* The consolidate task for the current episode (free with task_free). */
struct task *agent_consolidation_task(const struct agent *a);
/* The memories into semantic memory and a new episode; a failed call changes nothing. */
enum err_code agent_consolidation_commit(struct agent *a, const struct llm_response *resp,
                                         struct err *err);

/* ---- helpers ---------------------------------------------------------------------------- */

/* Word-trigram Jaccard similarity of two texts (0..1; texts under three words compare as words). */
double text_trigram_jaccard(const char *a, const char *b);

#endif
