/*
 * engine/tasks.h - the task catalogue (ENGINE.md 5): every kind of model
 * call, defined once - its input, its prompt in the wire format, its
 * answer's JSON schema, its validator, and the way back from the wire.
 *
 * The wire format. The system message is the stable part: the rules of the
 * task and, for tasks about one person, a `### PERSONA` section, so that it
 * is identical across turns (providers cache prompt prefixes). The last
 * user message starts with the line `### TASK <name>`; every structured
 * input follows as a line `### <SECTION>` and a fenced ```json block
 * holding compact JSON; free-text instructions sit outside the fences; the
 * answer's schema is the last section, `### SCHEMA`. A task rebuilt from
 * the wire (task_parse) equals the task that was rendered (task_render).
 *
 * Inputs and answers are typed structs; JSON exists only in the wire files
 * tasks_wire.c (the prompt text and its parser) and tasks_schema.c (the
 * answers' schemas, validators and readers). Every struct here owns its strings unless a field says
 * borrowed. Reentrant; a struct has one owner.
 */
#ifndef ENGINE_TASKS_H
#define ENGINE_TASKS_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/persona.h"
#include "llm/llm.h"

enum task_kind {
    TASK_ACT,         /* a turn: actions, cognitive state, and answers to questions */
    TASK_EXTRACT,     /* fields from a transcript */
    TASK_DIMENSIONS,  /* sampling dimensions for a population */
    TASK_PLAN,        /* sub-populations with quantities */
    TASK_PERSON,      /* one person from a sample */
    TASK_CONSOLIDATE, /* an episode into at most six memories */
    TASK_VALIDATE,    /* one interview round of the persona validator */
    TASK_PROPOSITION, /* a claim about a transcript: true/false or a 0-9 score */
    TASK_NORMALIZE,   /* open answers into at most n themes */
    TASK_INSIGHTS,    /* a report's summary from its aggregates */
    TASK_COUNT_,
};

const char *task_name(enum task_kind kind);
/* The kind named name, or -1. */
int task_kind_parse(const char *name);

/* ---- shared pieces ----------------------------------------------------------------- */

enum stimulus_type {
    STIMULUS_CONVERSATION, /* someone speaks to me */
    STIMULUS_VISUAL,       /* something I see: an ad, a product page, a screen */
    STIMULUS_THOUGHT,
    STIMULUS_SOCIAL, /* someone reached out */
    STIMULUS_GOAL,
    STIMULUS_CONTEXT,
    STIMULUS_COUNT_,
};

struct stimulus {
    enum stimulus_type type;
    char *content;
    char *source; /* who or what it came from; may be NULL */
};

enum question_kind {
    QUESTION_RATING,  /* a number on scale_min..scale_max */
    QUESTION_CHOICE,  /* one of options */
    QUESTION_YES_NO,  /* "yes" or "no" */
    QUESTION_RANKING, /* all of options, in order */
    QUESTION_TEXT,    /* free text */
    QUESTION_COUNT_,
};

struct question {
    char *id;
    enum question_kind kind;
    char *prompt;
    int scale_min, scale_max; /* QUESTION_RATING */
    struct strlist options;   /* QUESTION_CHOICE and QUESTION_RANKING, in the order shown */
};

struct cognitive_state {
    char *time;     /* the simulated clock, ISO-8601; may be NULL */
    char *location; /* may be NULL */
    struct strlist context;
    struct strlist goals;
    char *attention;           /* may be NULL */
    char *emotions;            /* may be NULL */
    struct strlist accessible; /* who I can talk to */
};

struct utterance {
    char *speaker;
    char *text;
};

struct transcript {
    struct utterance *lines;
    size_t n, alloc;
};

void transcript_add(struct transcript *t, const char *speaker, const char *text);
void transcript_release(struct transcript *t);

void cognitive_state_release(struct cognitive_state *s);
/* A deep copy of src into dst (dst is overwritten, not released). */
void cognitive_state_copy(struct cognitive_state *dst, const struct cognitive_state *src);

const char *stimulus_type_name(enum stimulus_type t); /* "CONVERSATION", ... */
const char *question_kind_name(enum question_kind k); /* "rating", "choice", ... */

/* ---- inputs ------------------------------------------------------------------------ */

struct act_input {
    struct persona *persona; /* owned */
    struct cognitive_state state;
    struct strlist episodic; /* recent memory, already windowed by the engine */
    struct strlist semantic; /* memories retrieved for this turn */
    struct stimulus *stimuli;
    size_t n_stimuli, alloc_stimuli;
    struct question *questions; /* a survey turn when n_questions > 0 */
    size_t n_questions, alloc_questions;
    bool ssr;          /* ratings answered in words (semantic similarity rating) */
    int journey_step;  /* 1-based step of a journey, 0 when not a journey */
    int journey_steps; /* the journey's length */
};

enum extract_type {
    EXTRACT_STRING,
    EXTRACT_NUMBER,
    EXTRACT_BOOLEAN,
    EXTRACT_LIST, /* of strings */
};

struct extract_field {
    char *name;
    char *description;
    enum extract_type type;
};

struct extract_input {
    char *instructions; /* may be NULL */
    struct transcript transcript;
    struct extract_field *fields;
    size_t n_fields, alloc_fields;
};

struct dimensions_input {
    char *description; /* the population, in words */
    int n;             /* how many people will be drawn */
    char *language;    /* of the answer's values ("en", "pt-BR") */
};

struct dimension_value {
    char *value;
    double share; /* 0..1; a dimension's shares sum to 1 */
};

struct dimension {
    char *name;
    bool numeric; /* a range (min..max) instead of values */
    double min, max;
    struct dimension_value *values;
    size_t n_values, alloc_values;
};

struct plan_input {
    char *description;
    int n;
    struct dimension *dimensions;
    size_t n_dimensions, alloc_dimensions;
};

struct trait_pick {
    char *dimension;
    char *value;
};

struct person_input {
    char *description;        /* of the population */
    struct trait_pick *picks; /* the sample: one value per dimension */
    size_t n_picks, alloc_picks;
    struct strlist used_names; /* names already taken */
    char *language;
};

struct consolidate_input {
    char *persona_name;
    char *language;
    struct strlist events; /* the episode, oldest first */
};

struct validate_input {
    struct persona *persona;     /* owned */
    char *expectations;          /* what the persona should be like */
    struct transcript interview; /* questions and answers so far */
    int round, max_rounds;       /* the last round asks for the score */
};

struct proposition_input {
    char *claim;
    struct transcript transcript;
    bool scored; /* a 0..9 score instead of true/false */
};

struct normalize_input {
    struct strlist texts; /* the open answers */
    int max_themes;
    char *language;
};

struct insights_input {
    char *aggregates_json; /* the report's aggregates, compact JSON (carried as is) */
    char *language;
};

/* One task: its kind and the matching input (the other members are unused). */
struct task {
    enum task_kind kind;
    union {
        struct act_input act;
        struct extract_input extract;
        struct dimensions_input dimensions;
        struct plan_input plan;
        struct person_input person;
        struct consolidate_input consolidate;
        struct validate_input validate;
        struct proposition_input proposition;
        struct normalize_input normalize;
        struct insights_input insights;
    } u;
};

/* A task of kind with an empty input (persona NULL); free with task_free. */
struct task *task_new(enum task_kind kind);
void task_free(struct task *t);

/* Builders for the lists above (strings copied). */
struct stimulus *act_add_stimulus(struct act_input *in, enum stimulus_type type,
                                  const char *content, const char *source);
struct question *act_add_question(struct act_input *in, const char *id, enum question_kind kind,
                                  const char *prompt);
struct extract_field *extract_add_field(struct extract_input *in, const char *name,
                                        const char *description, enum extract_type type);
struct dimension *plan_add_dimension(struct plan_input *in, const char *name);
void dimension_add_value(struct dimension *d, const char *value, double share);
void person_add_pick(struct person_input *in, const char *dimension, const char *value);

/* ---- answers ----------------------------------------------------------------------- */

enum action_type {
    ACTION_THINK,
    ACTION_TALK,
    ACTION_REACH_OUT,
    ACTION_DONE,
    ACTION_COUNT_,
};

struct action {
    enum action_type type;
    char *content; /* NULL for DONE */
    char *target;  /* whom TALK or REACH_OUT is for; may be NULL */
};

const char *action_type_name(enum action_type t); /* "THINK", "TALK", "REACH_OUT", "DONE" */
/* The type named name, or -1. */
int action_type_parse(const char *name);

/* A typed answer to one question. */
struct answer_value {
    char *question_id;
    enum question_kind kind;
    double rating; /* QUESTION_RATING (direct) */
    char *text;    /* CHOICE (the option), YES_NO ("yes"/"no"), TEXT, or a rating in words (ssr) */
    struct strlist ranking; /* QUESTION_RANKING */
};

void answer_value_release(struct answer_value *v);

struct act_answer {
    struct action *actions;
    size_t n_actions, alloc_actions;
    struct cognitive_state state;
    struct answer_value *answers;
    size_t n_answers, alloc_answers;
    bool journey_continue; /* journeys: does the persona go on */
    char *journey_reason;  /* why (always given when it stops) */
};

void act_answer_release(struct act_answer *a);

/*
 * Reads a validated act answer (borrowed JSON, from the gateway) into out.
 * ERR_INVALID when it does not fit in (the gateway's validator prevents
 * this).
 */
enum err_code act_answer_read(const struct act_input *in, const json_t *answer,
                              struct act_answer *out, struct err *err);

/* The memories of a validated consolidate answer (borrowed), appended to memories. */
enum err_code consolidate_answer_read(const json_t *answer, struct strlist *memories,
                                      struct err *err);

/* One round of the persona validator: the next question, or the score. */
struct validate_answer {
    char *question; /* NULL on the last round */
    bool has_score;
    double score; /* 0..1 */
    char *justification;
};

/* Reads a validated validate answer (borrowed). */
enum err_code validate_answer_read(const json_t *answer, struct validate_answer *out,
                                   struct err *err);
void validate_answer_release(struct validate_answer *a);

/* ---- the catalogue ------------------------------------------------------------------- */

/*
 * Renders t as a model request (system and user messages in the wire
 * format, JSON-schema format with the task's schema and validator). The
 * request keeps a pointer to t (borrowed: t must outlive the call) so that
 * an in-process provider can answer the typed task without parsing.
 */
struct llm_request *task_render(const struct task *t);

/*
 * Rebuilds a task from a request's messages (what llm-serve and any
 * provider without the typed task do). ERR_INVALID when the messages are
 * not in the wire format (no "### TASK" line, a section that does not
 * parse); ERR_NOT_FOUND when there is no task at all (a plain chat).
 */
enum err_code task_parse(const struct llm_request *req, struct task **out, struct err *err);

/* The answer's JSON schema for t: a new reference. */
json_t *task_schema(const struct task *t);

/*
 * The task's own check of an answer that satisfies its schema (known
 * action types, ratings on their scale, choices among the options,
 * rankings that are permutations, quantities that sum, ...). Borrows both.
 */
enum err_code task_validate(const struct task *t, const json_t *answer, struct err *err);

/* The llm_validate_fn adapter: ctx is the task. */
enum err_code task_validate_fn(const json_t *answer, void *ctx, struct err *err);

#endif
