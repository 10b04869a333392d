/*
 * engine/analysis.h - what the engine reads out of what personas said
 * (ENGINE.md 5; TinyTroupe's ResultsExtractor, Normalizer and Proposition,
 * with their defects fixed):
 *
 *   - extraction: fields of a declared type from a transcript, one
 *     `extract` task per transcript; a field the transcript does not
 *     answer is an explicit null, and a failed call is an error, never an
 *     empty object (TinyTroupe turns both into `{}`);
 *   - normalisation: open answers into at most n themes through one
 *     `normalize` task, then settled here: whatever the model returned,
 *     every answer ends in exactly one theme and there are never more than
 *     n (the smallest themes are merged into "Other");
 *   - propositions: a claim about a transcript checked (true/false) or
 *     scored (0..9), each with a justification.
 *
 * Every call goes through engine_ask/engine_run, so the gateway's cache,
 * rate limits, schema validation and re-asks apply; its cost is added to
 * the caller's struct engine_usage, and every result names the model that
 * answered and what it cost. Seeds come from the engine's seed and the
 * inputs' content, so an unchanged analysis is answered from the cache.
 *
 * Results are typed structs that own their strings; JSON is read only in
 * analysis_json.c. Reentrant: a struct engine may be shared, a result has
 * one owner.
 */
#ifndef ENGINE_ANALYSIS_H
#define ENGINE_ANALYSIS_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/engine.h"
#include "engine/persona.h"
#include "engine/tasks.h"
#include "llm/llm.h"

/* ---- extraction ------------------------------------------------------------------------------ */

/* What to extract: the same for every transcript of a batch. Everything borrowed. */
struct analysis_extract_spec {
    const char *objective;              /* what to extract and why; required */
    const char *situation;              /* who is speaking, where, about what; may be NULL */
    const struct extract_field *fields; /* names unique and non-empty; type and hint each */
    size_t n_fields;
};

/* One field's value. */
struct analysis_value {
    char *name; /* the field's name */
    enum extract_type type;
    bool is_null;        /* the transcript does not answer it (no value below is set) */
    char *text;          /* EXTRACT_STRING */
    double number;       /* EXTRACT_NUMBER */
    bool boolean;        /* EXTRACT_BOOLEAN */
    struct strlist list; /* EXTRACT_LIST (may be empty: "none of them" is an answer) */
};

struct analysis_extraction {
    enum err_code code; /* ERR_OK, or why this transcript has no values */
    struct err err;
    struct analysis_value *values; /* one per field, in the spec's order; NULL on failure */
    size_t n_values;
    char *model;         /* which model answered; NULL when none did */
    int64_t cost_micros; /* what the call cost */
};

/*
 * Extracts spec's fields from transcript (one model call; NULL is an empty
 * transcript). On success, out holds one value per field; on failure it
 * holds none, and out->code and the returned code say why: ERR_INVALID for
 * a bad spec and ERR_TOO_LARGE for a transcript larger than one call takes
 * (both before any call), else the gateway's code (ERR_UPSTREAM,
 * ERR_UNAVAILABLE, ...). Release out in either case.
 */
enum err_code analysis_extract(const struct engine *e, const struct analysis_extract_spec *spec,
                               const struct transcript *transcript, struct engine_usage *usage,
                               struct analysis_extraction *out, struct err *err);

/*
 * The same for n transcripts, all calls in one batch; out[i] is the result
 * for transcripts[i] (out has n elements). Returns ERR_OK when every call
 * succeeded, else the code of the first failure with err naming its index;
 * the other results are complete either way. Release every out[i].
 */
enum err_code analysis_extract_batch(const struct engine *e,
                                     const struct analysis_extract_spec *spec,
                                     const struct transcript *transcripts, size_t n,
                                     struct engine_usage *usage, struct analysis_extraction *out,
                                     struct err *err);

/* The value of the field named name, or NULL when there is no such field. */
const struct analysis_value *analysis_extraction_get(const struct analysis_extraction *x,
                                                     const char *name);

void analysis_extraction_release(struct analysis_extraction *x);

/* ---- normalisation --------------------------------------------------------------------------- */

enum analysis_sentiment {
    ANALYSIS_NEUTRAL,
    ANALYSIS_POSITIVE,
    ANALYSIS_NEGATIVE,
};

/* "positive", "negative" or "neutral". */
const char *analysis_sentiment_name(enum analysis_sentiment s);

struct analysis_theme {
    char *name;
    enum analysis_sentiment sentiment;
    size_t *answers; /* indexes of the input answers, in the model's order (its most telling
                        first: a report quotes the first few), each once */
    size_t n_answers, alloc_answers;
};

struct analysis_themes {
    struct analysis_theme *themes; /* largest first, "Other" last */
    size_t n_themes, alloc_themes;
    size_t *theme_of; /* for each input answer, the index of its theme */
    size_t n_texts;   /* the number of input answers */
    char *model;      /* which model answered; NULL when no call was needed (no answers) */
    int64_t cost_micros;
};

/* The largest cap on themes a call may ask for (what the task's wire format reads). */
#define ANALYSIS_THEMES_MAX 100

/*
 * Groups answers into at most max_themes themes (one model call; none for
 * an empty list). language ("en", "pt-BR"; may be NULL) is the language of
 * the theme names. ERR_INVALID when max_themes is not in
 * 1..ANALYSIS_THEMES_MAX, ERR_TOO_LARGE for more answers than one call
 * takes; otherwise ERR_OK or the failed call's code, and then out holds no
 * themes. Release out in any case.
 */
enum err_code analysis_normalize(const struct engine *e, const struct strlist *answers,
                                 int max_themes, const char *language, struct engine_usage *usage,
                                 struct analysis_themes *out, struct err *err);

/*
 * Makes any theme list sound for n_texts answers and at most max_themes
 * themes (>= 1): indexes out of range are dropped; an answer listed twice
 * stays in the first theme that lists it; themes left empty go; answers in
 * no theme go to "Other" ("Outros" when language is Portuguese); when there
 * are more than max_themes themes, the smallest are merged into "Other"
 * (its sentiment: that of most of its answers). Then sorts (largest first,
 * "Other" last), sorts each theme's answers and fills theme_of. What
 * analysis_normalize does to the model's answer; public to be tested.
 */
void analysis_themes_settle(struct analysis_themes *th, size_t n_texts, size_t max_themes,
                            const char *language);

/* Appends a theme named name (copied) with no answers; returns it. */
struct analysis_theme *analysis_themes_add(struct analysis_themes *th, const char *name,
                                           enum analysis_sentiment sentiment);
void analysis_theme_add_answer(struct analysis_theme *t, size_t answer);

void analysis_themes_release(struct analysis_themes *th);

/* ---- propositions ---------------------------------------------------------------------------- */

/* A claim about a transcript. Everything borrowed. */
struct analysis_claim {
    const char *claim; /* required */
    const struct transcript *transcript;
    /*
     * Optional context (TinyTroupe's include_personas): the specs of the
     * people in the transcript, shown to the model before it.
     */
    const struct persona *const *personas;
    size_t n_personas;
};

struct analysis_verdict {
    bool value;          /* analysis_check: does the claim hold (false after a score) */
    int score;           /* analysis_score: 0 (false) .. 9 (certainly true); 0 after a check */
    char *justification; /* the model's reason */
    char *model;         /* which model answered */
    int64_t cost_micros;
};

/*
 * Is the claim true of the transcript? One model call. ERR_INVALID for an
 * empty claim, ERR_TOO_LARGE for a transcript larger than one call takes,
 * else the gateway's code when the call fails (out then holds nothing).
 * Release out in any case.
 */
enum err_code analysis_check(const struct engine *e, const struct analysis_claim *c,
                             struct engine_usage *usage, struct analysis_verdict *out,
                             struct err *err);

/* How true is it, 0..9? As analysis_check. */
enum err_code analysis_score(const struct engine *e, const struct analysis_claim *c,
                             struct engine_usage *usage, struct analysis_verdict *out,
                             struct err *err);

void analysis_verdict_release(struct analysis_verdict *v);

/* ---- reading the answers (analysis_json.c) --------------------------------------------------- */

/*
 * Each reads the JSON answer of a successful response (resp borrowed) into
 * out (the answer's part only: the caller adds the model and the cost);
 * ERR_INVALID when the answer does not have the shape its task's schema
 * promises (the gateway's validation prevents this). Release out in any
 * case.
 */
enum err_code analysis_read_extraction(const struct extract_input *in,
                                       const struct llm_response *resp,
                                       struct analysis_extraction *out, struct err *err);
/* ---- insights ------------------------------------------------------------------------------ */

/* A report's summary, as the model wrote it from the aggregates. */
struct analysis_insights {
    char *summary;
    struct strlist highlights;
    char *model; /* which model answered */
    int64_t cost_micros;
};

/*
 * Asks the model for the summary of a report's aggregates (compact JSON;
 * one `insights` call). attempt (1, 2, ...) picks the call's seed, so
 * asking again after a summary was refused is a new call, not the cache's
 * answer. ERR_TOO_LARGE for aggregates larger than one call takes; else
 * ERR_OK or the failed call's code. Release out in any case.
 */
enum err_code analysis_insights(const struct engine *e, const char *aggregates_json,
                                const char *language, uint64_t attempt, struct engine_usage *usage,
                                struct analysis_insights *out, struct err *err);
void analysis_insights_release(struct analysis_insights *x);

/* The themes as the model gave them, unsettled (indexes may be out of range or repeated). */
enum err_code analysis_read_themes(const struct llm_response *resp, struct analysis_themes *out,
                                   struct err *err);
/* The summary and highlights of an insights answer. */
enum err_code analysis_read_insights(const struct llm_response *resp, struct analysis_insights *out,
                                     struct err *err);
enum err_code analysis_read_verdict(const struct llm_response *resp, bool scored,
                                    struct analysis_verdict *out, struct err *err);

#endif
