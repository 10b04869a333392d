/*
 * report/criteria.h - success criteria (SPEC.md 3 "Test creation"): a small
 * expression language over a test's question ids, parsed when a test is
 * saved - so a mistake is pointed at then, token and column - and evaluated
 * against a run's aggregates when its report is made.
 *
 * Grammar (whitespace between tokens is free; keywords are lower-case):
 *   criterion := or
 *   or        := and { "or" and }
 *   and       := not { "and" not }
 *   not       := "not" not | compare
 *   compare   := value [ op value ]          op: >= <= > < == !=
 *   value     := number | string | "winner" | call | "(" or ")"
 *   call      := fn "(" question ")"            fn: mean median min max stdev count
 *              | "share" "(" question op literal ")"
 *   literal   := number | string
 *   number    := [ "-" ] digits [ "." digits ]  e.g. 7, 0.4, -2 (no exponent)
 *   string    := '"' ... '"'                    with \" and \\ inside; no control characters
 *   question  := a question id: letters, digits, '_' and '-'
 * So "and" binds tighter than "or", and "not" tighter than both:
 * "not a or b and c" is "(not a) or (b and c)".
 *
 * A criterion must compare (or combine comparisons): "mean(appeal)" alone
 * is refused. Types are checked against the questions: mean, median, min,
 * max and stdev need a rating question; share compares a rating with a
 * number (any op) and any other kind with a string using == or != (a yes_no
 * with "yes" or "no", a choice or ranking with one of its options when it
 * has any, text with any string); count takes any question; winner is a
 * string compared with == or != against a variant id (and needs variants).
 * Numbers compare with numbers, strings with strings (only == and !=), a
 * condition with nothing; a comparison of two constants ("3 > 2") is refused.
 *
 * Limits: CRITERION_MAX bytes of text; at most CRITERION_DEPTH_MAX levels of
 * "(" and "not" nested in each other (parsing and evaluation recurse no
 * deeper than that allows). The text must be valid UTF-8; columns count
 * characters, from 1.
 *
 * Reentrant; no state outside the calls. A parsed criterion is immutable:
 * several threads may evaluate it at once.
 */
#ifndef REPORT_CRITERIA_H
#define REPORT_CRITERIA_H

#include "core/compat.h"
#include "core/err.h"

#define CRITERION_MAX       500 /* bytes of one criterion */
#define CRITERION_DEPTH_MAX 32  /* nested "(" and "not": far past what a person writes */

enum criteria_kind {
    CRITERIA_RATING,
    CRITERIA_CHOICE,
    CRITERIA_YES_NO,
    CRITERIA_RANKING,
    CRITERIA_TEXT,
};

/* A question a criterion may name. */
struct criteria_question {
    const char *id;
    enum criteria_kind kind;
    const char *const *options; /* CRITERIA_CHOICE and CRITERIA_RANKING; may be NULL */
    size_t n_options;
};

/* What a criterion may refer to: the test's questions and variant ids. */
struct criteria_env {
    const struct criteria_question *questions;
    size_t n_questions;
    const char *const *variants; /* variant ids of an A/B/n test; NULL when none */
    size_t n_variants;
};

struct criterion; /* a parsed criterion (opaque) */

/*
 * Parses text (NUL-terminated) against env (borrowed for the call only: the
 * criterion keeps copies of what it needs). ERR_INVALID with a message that
 * names the column (1-based, in characters) and the token at fault and says
 * what was expected, e.g.
 * "column 6: unknown question 'apeal' (questions: appeal, buy, price)",
 * "column 14: expected a comparison (>=, <=, >, <, ==, !=) after 'mean(appeal)'"
 * or "column 12: unexpected end: expected a number"; err->field is left
 * empty (the caller names the field). *out is NULL on failure; on success
 * the caller frees it with criterion_free.
 */
enum err_code criterion_parse(const char *text, const struct criteria_env *env,
                              struct criterion **out, struct err *err);

void criterion_free(struct criterion *c); /* accepts NULL */

/* What a run's report knows, for evaluating criteria (report/ fills it later). */
struct criteria_values {
    /*
     * the statistic fn ("mean", "median", "min", "max", "stdev", "count") of
     * question id; false when unknown. NULL: every statistic is unknown.
     */
    bool (*stat)(void *ctx, const char *fn, const char *question_id, double *out);
    /*
     * share of answers to question_id that compare (op: ">=", "<=", ">", "<",
     * "==", "!=") with the literal, 0..1: a number when is_number (text is
     * then the number as written, e.g. "0.5"), else the string text. false
     * when unknown. NULL: every share is unknown.
     */
    bool (*share)(void *ctx, const char *question_id, const char *op, const char *text,
                  double number, bool is_number, double *out);
    const char *winner; /* the winning variant id, or NULL */
    void *ctx;
};

/*
 * Evaluates c: *passed is the outcome. A value that is NaN or infinite
 * counts as unknown. Unknown values follow three-valued logic, so an
 * outcome that does not depend on them is still decided ("a or b" with a
 * true and b unknown passes); ERR_INVALID naming the value (e.g. "no value
 * for mean(appeal)") when the outcome depends on an unknown one, and
 * *passed is false then. Calls the callbacks on the caller's thread.
 */
enum err_code criterion_eval(const struct criterion *c, const struct criteria_values *v,
                             bool *passed, struct err *err);

#endif
