/*
 * engine/survey.h - survey units (ENGINE.md 3.4, 7, 8): what tests use. A
 * unit is one persona shown one scenario (stimuli) and asked the survey's
 * questions, k times (samples); each sample is one model call - a survey
 * turn of a fresh agent, whose answer carries the persona's THINK/TALK and
 * a typed value per question - so one call yields both the reasoning and
 * the data. Units share nothing: respondents never hear each other, and a
 * panel of 1,000 is 1,000 independent units whose calls are all in flight
 * together (one engine batch), bounded only by the model's limits.
 *
 * Per sample, with a generator seeded from (the engine's seed, persona,
 * scenario, sample): the options of choice and ranking questions are
 * shuffled and the answers mapped back to the options as given (the order
 * shown is kept with each answer), and so is the order of a scenario's
 * stimuli when it has several (A/B variants). Ratings are elicited
 * directly (the model gives the number) or by semantic similarity
 * (ssr: the model answers in words, the rating comes from the answer's
 * similarity to anchor statements; engine/ssr.h).
 *
 * Results are rows keyed by persona x scenario x sample x question, in
 * input order whatever the completion order. A unit fails or succeeds as a
 * whole.
 */
#ifndef ENGINE_SURVEY_H
#define ENGINE_SURVEY_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/engine.h"
#include "engine/offline/data.h"
#include "engine/persona.h"
#include "engine/tasks.h"

#define SURVEY_MAX_SAMPLES 10

enum elicitation {
    ELICIT_DIRECT, /* the model gives the number */
    ELICIT_SSR,    /* the model answers in words; the number comes from anchor similarity */
};

struct survey_scenario {
    const char *id;                 /* e.g. "A", "ad-2"; unique in a survey */
    const struct stimulus *stimuli; /* shown to the persona, in order (shuffled when several) */
    size_t n_stimuli;
    const char *document_name; /* an optional brief the persona can draw on; may be NULL */
    const char *document;
};

struct survey_spec {
    const struct question *questions;
    size_t n_questions;
    enum elicitation elicitation;
    int samples;                     /* answers per persona and scenario, 1..SURVEY_MAX_SAMPLES */
    bool keep_option_order;          /* do not shuffle options (a fixed order on purpose) */
    struct llm_gateway *embeddings;  /* ssr: a gateway whose provider embeds; NULL: lexical */
    const struct offline_data *data; /* ssr: the anchor statements; NULL: the built-in tables */
};

/* One answer: persona x scenario x sample x question. */
struct survey_row {
    size_t persona, scenario; /* indexes into the caller's arrays */
    int sample;               /* 0-based */
    const char *question_id;  /* borrowed from the spec */
    enum question_kind kind;
    double rating;          /* QUESTION_RATING */
    double pmf[5];          /* ssr: probability of each anchor point 1..5 (else zeros) */
    char *text;             /* CHOICE (the option as given), YES_NO, TEXT, ssr words */
    struct strlist ranking; /* RANKING: options as given, best first */
    struct strlist shown;   /* CHOICE and RANKING: the options in the order shown */
};

/* What one unit gave. */
struct survey_unit_result {
    enum err_code code; /* ERR_OK, or why the unit failed (no rows then) */
    struct err err;
    struct survey_row *rows;
    size_t n_rows;
    struct strlist thoughts, talk; /* the THINK and TALK of every sample, in order */
    char *model;                   /* who answered */
    struct engine_usage usage;     /* the unit's calls */
};

void survey_unit_result_release(struct survey_unit_result *r);

/* ERR_INVALID naming the problem: no questions, a bad scale, too few options, samples... */
enum err_code survey_spec_check(const struct survey_spec *spec, struct err *err);

/* One unit of work: a persona and a scenario. */
struct survey_unit {
    size_t persona, scenario; /* indexes, copied into the rows */
    const struct persona *who;
    const struct survey_scenario *what;
};

/*
 * Runs the units (all their calls in one batch) and fills out[i] for
 * units[i]. Returns ERR_OK when the spec is valid (each unit then says
 * whether it succeeded), else the spec's error and no call is made.
 */
enum err_code survey_run(const struct engine *e, const struct survey_spec *spec,
                         const struct survey_unit *units, size_t n, struct survey_unit_result *out,
                         struct err *err);

struct turn_result; /* engine/agent.h */

/*
 * What survey_run makes of each sample, for callers that run their own
 * turns (a journey's steps): the rows of one committed turn t of u->who
 * (sample `sample`, 0-based) answering spec's questions - shown holds them
 * as the turn showed them (options in the order shown), NULL when they were
 * shown as given - appended to out, with the turn's THINK and TALK; a
 * rating answered in words is rated when spec asks for ssr. ERR_INVALID
 * naming a question the turn did not answer, or the ssr rating's error
 * (out may then hold some of the rows: fail the unit).
 */
enum err_code survey_turn_rows(const struct engine *e, const struct survey_spec *spec,
                               const struct survey_unit *u, int sample,
                               const struct question *shown, const struct turn_result *t,
                               struct survey_unit_result *out, struct err *err);

/*
 * The request unit u's first sample would send (free with
 * llm_request_free), rendered exactly as survey_run renders it: for what a
 * test will cost before it runs.
 */
struct llm_request *survey_sample_request(const struct engine *e, const struct survey_spec *spec,
                                          const struct survey_unit *u);

#endif
