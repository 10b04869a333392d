/*
 * tests/unit/report/test_criteria.c - the success-criteria language
 * (report/criteria.h): every grammar form, precedence (not over and over
 * or), every parse error with its exact column and message (lexical,
 * syntax, types, questions, options, variants), the length and depth
 * limits at and one past the limit, evaluation (true, false, unknown values
 * in three-valued logic, what the callbacks receive), and a loop of
 * mutated texts that must never crash the parser or the evaluator.
 */
#include "core/compat.h"

#include <math.h>
#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/prng.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "report/criteria.h"

/* ---- the test's questions and variants ----------------------------------------- */

static const char *const colors[] = { "red", "green", "light blue" };
static const char *const orders[] = { "a", "b", "c" };
static const char *const variants[] = { "A", "B" };

static const struct criteria_question questions[] = {
    { "appeal", CRITERIA_RATING, NULL, 0 },   { "buy", CRITERIA_YES_NO, NULL, 0 },
    { "price", CRITERIA_RATING, NULL, 0 },    { "color", CRITERIA_CHOICE, colors, 3 },
    { "order", CRITERIA_RANKING, orders, 3 }, { "comment", CRITERIA_TEXT, NULL, 0 },
    { "free", CRITERIA_CHOICE, NULL, 0 },     { "2nd-q", CRITERIA_RATING, NULL, 0 },
};

/* every kind, options, variants A and B */
static const struct criteria_env full = { questions, ARRAY_SIZE(questions), variants, 2 };
/* appeal, buy, price; no variants */
static const struct criteria_env small = { questions, 3, NULL, 0 };
/* nothing at all */
static const struct criteria_env empty = { NULL, 0, NULL, 0 };

/* ---- fake values ---------------------------------------------------------------------
 * Statistics by name ("mean(appeal)"); the last share call recorded.
 */

struct stat_entry {
    const char *name;
    double value;
};

static const struct stat_entry default_stats[] = {
    { "mean(appeal)", 7.5 },  { "median(appeal)", 8 },   { "min(appeal)", 2 },
    { "max(appeal)", 10 },    { "stdev(appeal)", 1.25 }, { "count(appeal)", 40 },
    { "count(comment)", 12 }, { "mean(price)", 3 },      { "mean(2nd-q)", -2 },
};

struct fake {
    const struct stat_entry *stats;
    size_t n_stats;
    int stat_calls;
    bool share_known;
    double share_value;
    int share_calls;
    char share_question[64];
    char share_op[4];
    char share_text[128];
    double share_number;
    bool share_is_number;
};

static bool fake_stat(void *ctx, const char *fn, const char *question_id, double *out)
{
    struct fake *f = ctx;
    char name[128];
    snprintf(name, sizeof(name), "%s(%s)", fn, question_id);
    f->stat_calls++;
    for (size_t i = 0; i < f->n_stats; i++) {
        if (strcmp(f->stats[i].name, name) == 0) {
            *out = f->stats[i].value;
            return true;
        }
    }
    return false;
}

static bool fake_share(void *ctx, const char *question_id, const char *op, const char *text,
                       double number, bool is_number, double *out)
{
    struct fake *f = ctx;
    f->share_calls++;
    snprintf(f->share_question, sizeof(f->share_question), "%s", question_id);
    snprintf(f->share_op, sizeof(f->share_op), "%s", op);
    snprintf(f->share_text, sizeof(f->share_text), "%s", text);
    f->share_number = number;
    f->share_is_number = is_number;
    if (!f->share_known)
        return false;
    *out = f->share_value;
    return true;
}

static struct fake fake_default(void)
{
    return (struct fake){ .stats = default_stats,
                          .n_stats = ARRAY_SIZE(default_stats),
                          .share_known = true,
                          .share_value = 0.6 };
}

static struct criteria_values values_of(struct fake *f, const char *winner)
{
    return (struct criteria_values){ fake_stat, fake_share, winner, f };
}

/* Parses text against full (must succeed) and evaluates it; returns eval's code. */
static enum err_code eval_text(const char *text, struct fake *f, const char *winner, bool *passed,
                               struct err *err)
{
    struct criterion *c = NULL;
    struct err perr = ERR_INIT;
    enum err_code rc = criterion_parse(text, &full, &c, &perr);
    if (rc != ERR_OK)
        fail_msg("'%s' did not parse: %s", text, perr.msg);
    struct criteria_values v = values_of(f, winner);
    rc = criterion_eval(c, &v, passed, err);
    criterion_free(c);
    return rc;
}

/* The outcome of text on the default values, winner "B". */
static bool passes(const char *text)
{
    struct fake f = fake_default();
    struct err err = ERR_INIT;
    bool passed = false;
    enum err_code rc = eval_text(text, &f, "B", &passed, &err);
    if (rc != ERR_OK)
        fail_msg("'%s' did not evaluate: %s", text, err.msg);
    return passed;
}

static void assert_parses(const struct criteria_env *env, const char *text)
{
    struct criterion *c = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = criterion_parse(text, env, &c, &err);
    if (rc != ERR_OK || !c)
        fail_msg("'%s' did not parse: %s", text, err.msg);
    criterion_free(c);
}

/* Parsing text fails with exactly want, *out NULL and err->field empty. */
static void assert_parse_error(const struct criteria_env *env, const char *text, const char *want)
{
    struct criterion *c = (struct criterion *)&c; /* not NULL: the call must clear it */
    struct err err = ERR_INIT;
    enum err_code rc = criterion_parse(text, env, &c, &err);
    if (rc == ERR_OK) {
        criterion_free(c);
        fail_msg("'%s' parsed, but should fail with: %s", text, want);
    }
    assert_int_equal(rc, ERR_INVALID);
    assert_null(c);
    assert_string_equal(err.field, "");
    if (strcmp(err.msg, want) != 0)
        fail_msg("text: %s\nwant: %s\ngot:  %s", text, want, err.msg);
}

struct error_case {
    const char *text;
    const char *msg;
};

static void assert_error_cases(const struct criteria_env *env, const struct error_case *cases,
                               size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_parse_error(env, cases[i].text, cases[i].msg);
}

/* ---- grammar: each form --------------------------------------------------------------- */

static void each_statistic_of_a_rating_question_is_compared(void **state)
{
    (void)state;
    assert_true(passes("mean(appeal) >= 7.5"));
    assert_false(passes("mean(appeal) > 7.5"));
    assert_true(passes("median(appeal) == 8"));
    assert_true(passes("min(appeal) < 3"));
    assert_false(passes("max(appeal) <= 9"));
    assert_false(passes("stdev(appeal) != 1.25"));
    assert_true(passes("count(appeal) == 40"));
}

static void each_statistic_is_asked_by_its_name(void **state)
{
    (void)state;
    static const char *const fns[] = { "mean", "median", "min", "max", "stdev", "count" };
    for (size_t i = 0; i < ARRAY_SIZE(fns); i++) {
        char text[64];
        snprintf(text, sizeof(text), "%s(price) > 0", fns[i]);
        struct stat_entry one = { NULL, 1 };
        char name[32];
        snprintf(name, sizeof(name), "%s(price)", fns[i]);
        one.name = name;
        struct fake f = { .stats = &one, .n_stats = 1 };
        struct err err = ERR_INIT;
        bool passed = false;
        assert_ok(eval_text(text, &f, NULL, &passed, &err), &err);
        assert_true(passed);
        assert_int_equal(f.stat_calls, 1);
    }
}

static void count_takes_a_question_of_any_kind(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(questions); i++) {
        char text[64];
        snprintf(text, sizeof(text), "count(%s) >= 1", questions[i].id);
        assert_parses(&full, text);
    }
    assert_true(passes("count(comment) >= 10"));
}

static void every_operator_compares_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool want;
    } cases[] = {
        { "mean(appeal) >= 7", true },   { "mean(appeal) >= 7.5", true },
        { "mean(appeal) >= 8", false },  { "mean(appeal) <= 7", false },
        { "mean(appeal) <= 7.5", true }, { "mean(appeal) <= 8", true },
        { "mean(appeal) > 7", true },    { "mean(appeal) > 7.5", false },
        { "mean(appeal) < 8", true },    { "mean(appeal) < 7.5", false },
        { "mean(appeal) == 7.5", true }, { "mean(appeal) == 7", false },
        { "mean(appeal) != 7", true },   { "mean(appeal) != 7.5", false },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        if (passes(cases[i].text) != cases[i].want)
            fail_msg("'%s' should be %s", cases[i].text, cases[i].want ? "true" : "false");
}

static void numbers_are_integers_decimals_or_negative(void **state)
{
    (void)state;
    assert_true(passes("mean(2nd-q) >= -2"));
    assert_true(passes("mean(2nd-q) < -1.5"));
    assert_false(passes("mean(2nd-q) > -2.0"));
    assert_true(passes("mean(appeal) == 7.50"));
    assert_true(passes("mean(appeal) > 007"));
    assert_true(passes("mean(appeal) > 0.0001"));
}

static void a_constant_may_stand_on_either_side_and_values_on_both(void **state)
{
    (void)state;
    assert_true(passes("8 > mean(appeal)"));
    assert_false(passes("7 >= mean(appeal)"));
    assert_false(passes("mean(appeal) < mean(price)"));
    assert_true(passes("mean(appeal) > mean(price)"));
}

static void share_of_a_rating_compares_with_a_number_under_any_operator(void **state)
{
    (void)state;
    static const char *const ops[] = { ">=", "<=", ">", "<", "==", "!=" };
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        char text[64];
        snprintf(text, sizeof(text), "share(appeal %s 7) >= 0.5", ops[i]);
        struct fake f = fake_default();
        struct err err = ERR_INIT;
        bool passed = false;
        assert_ok(eval_text(text, &f, NULL, &passed, &err), &err);
        assert_true(passed); /* 0.6 >= 0.5 */
        assert_int_equal(f.share_calls, 1);
        assert_string_equal(f.share_question, "appeal");
        assert_string_equal(f.share_op, ops[i]);
        assert_true(f.share_is_number);
        assert_true(f.share_number == 7);
        assert_string_equal(f.share_text, "7"); /* the number as written */
    }
}

static void share_of_other_kinds_compares_with_a_string(void **state)
{
    (void)state;
    static const struct {
        const char *text, *question, *op, *literal;
    } cases[] = {
        { "share(buy == \"yes\") >= 0.4", "buy", "==", "yes" },
        { "share(buy != \"no\") >= 0.4", "buy", "!=", "no" },
        { "share(color == \"light blue\") >= 0.4", "color", "==", "light blue" },
        { "share(order == \"c\") >= 0.4", "order", "==", "c" },
        { "share(comment == \"anything at all\") >= 0.4", "comment", "==", "anything at all" },
        { "share(comment == \"\") >= 0.4", "comment", "==", "" },
        { "share(free != \"whatever\") >= 0.4", "free", "!=", "whatever" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct fake f = fake_default();
        struct err err = ERR_INIT;
        bool passed = false;
        assert_ok(eval_text(cases[i].text, &f, NULL, &passed, &err), &err);
        assert_true(passed);
        assert_string_equal(f.share_question, cases[i].question);
        assert_string_equal(f.share_op, cases[i].op);
        assert_string_equal(f.share_text, cases[i].literal);
        assert_false(f.share_is_number);
    }
}

static void strings_unescape_quotes_and_backslashes(void **state)
{
    (void)state;
    struct fake f = fake_default();
    struct err err = ERR_INIT;
    bool passed = false;
    assert_ok(
        eval_text("share(comment == \"say \\\"hi\\\" \\\\o/\") > 0.5", &f, NULL, &passed, &err),
        &err);
    assert_string_equal(f.share_text, "say \"hi\" \\o/");
    assert_ok(eval_text("share(comment == \"ünïcödé ✓\") > 0.5", &f, NULL, &passed, &err), &err);
    assert_string_equal(f.share_text, "ünïcödé ✓");
}

static void winner_compares_with_a_variant_either_way(void **state)
{
    (void)state;
    assert_true(passes("winner == \"B\""));
    assert_false(passes("winner == \"A\""));
    assert_true(passes("winner != \"A\""));
    assert_false(passes("\"A\" == winner"));
    assert_true(passes("\"B\" == winner"));
    assert_true(passes("winner == winner"));
}

static void whitespace_between_tokens_is_free(void **state)
{
    (void)state;
    assert_true(passes(" \t\nmean ( appeal )\r\n>=\t7 "));
    assert_true(passes("share(buy==\"yes\")>=0.4"));
    assert_true(passes("mean(appeal)>=7 and(mean(price)<5)"));
    assert_true(passes("not(mean(price)>5)"));
    assert_true(passes("winner==\"B\"or mean(price)>5"));
}

static void parentheses_wrap_a_value_or_a_condition(void **state)
{
    (void)state;
    assert_true(passes("(mean(appeal)) >= (7)"));
    assert_true(passes("((mean(appeal) >= 7))"));
    assert_true(passes("(((winner))) == \"B\""));
}

static void question_ids_may_hold_digits_hyphens_and_keywords(void **state)
{
    (void)state;
    static const struct criteria_question odd[] = {
        { "2nd-q", CRITERIA_RATING, NULL, 0 },
        { "and", CRITERIA_RATING, NULL, 0 },
        { "mean", CRITERIA_YES_NO, NULL, 0 },
        { "q_3", CRITERIA_TEXT, NULL, 0 },
    };
    struct criteria_env env = { odd, ARRAY_SIZE(odd), NULL, 0 };
    assert_parses(&env, "mean(2nd-q) < 0");
    assert_parses(&env, "mean(and) > 1 and share(mean == \"yes\") > 0.5");
    assert_parses(&env, "count( q_3 ) >= 1");
}

static void not_negates_and_may_repeat(void **state)
{
    (void)state;
    assert_false(passes("not mean(appeal) > 7"));
    assert_true(passes("not not mean(appeal) > 7"));
    assert_true(passes("not (mean(price) > 5)"));
    assert_true(passes("not not not winner == \"A\""));
}

/* ---- precedence ------------------------------------------------------------------------ */

/* T and F: a true and a false comparison. */
#define T "mean(appeal) > 7"
#define F "mean(price) > 5"

static void and_binds_tighter_than_or(void **state)
{
    (void)state;
    assert_true(passes(T " or " F " and " F)); /* T or (F and F) */
    assert_false(passes("(" T " or " F ") and " F));
    assert_true(passes(F " and " F " or " T)); /* (F and F) or T */
    assert_false(passes(F " and (" F " or " T ")"));
}

static void not_binds_tighter_than_and_and_or(void **state)
{
    (void)state;
    assert_false(passes("not " T " and " F)); /* (not T) and F */
    assert_true(passes("not (" T " and " F ")"));
    assert_true(passes("not " T " or " T)); /* (not T) or T */
    assert_false(passes("not (" T " or " T ")"));
}

static void chains_of_and_and_or_take_every_operand(void **state)
{
    (void)state;
    assert_false(passes(T " and " T " and " T " and " F));
    assert_true(passes(T " and " T " and " T " and " T));
    assert_true(passes(F " or " F " or " F " or " T));
    assert_false(passes(F " or " F " or " F " or " F));
    assert_true(passes(F " or " T " and " T " or " F)); /* F or (T and T) or F */
}

#undef T
#undef F

/* ---- parse errors ----------------------------------------------------------------------- */

static void the_documented_examples_read_as_documented(void **state)
{
    (void)state;
    assert_parse_error(&small, "mean(apeal) >= 7",
                       "column 6: unknown question 'apeal' (questions: appeal, buy, price)");
    assert_parse_error(&full, "mean(appeal) = 7",
                       "column 14: expected a comparison (>=, <=, >, <, ==, !=) after "
                       "'mean(appeal)'");
    assert_parse_error(&full, "share(buy == \"maybe\") >= 0.4",
                       "column 14: share of a yes_no question compares with \"yes\" or \"no\" (got "
                       "\"maybe\")");
    assert_parse_error(&small, "winner == \"B\"",
                       "column 1: winner needs variants (this test has none)");
    assert_parse_error(&full, "max(price)>", "column 12: unexpected end: expected a number");
}

static void lexical_errors_name_the_character(void **state)
{
    (void)state;
    static const struct error_case cases[] = {
        { "mean(appeal) >= 7 && mean(price) < 3",
          "column 19: unexpected character '&' (write 'and')" },
        { "mean(appeal) > 1 || mean(price) < 3",
          "column 18: unexpected character '|' (write 'or')" },
        { "!(mean(appeal) > 1)", "column 1: unexpected character '!' (write 'not' or '!=')" },
        { "share(buy == 'yes') > 0",
          "column 14: unexpected character ''' (strings go in double quotes)" },
        { "mean(appeal) >= .5",
          "column 17: unexpected character '.' (a number starts with a digit, e.g. 0.5)" },
        { "mean(appeal) ≥ 7", "column 14: unexpected character '≥'" },
        { "mean(appeal) > 1 @", "column 18: unexpected character '@'" },
        { "mean(appeal) > 1\x01", "column 17: unexpected control character U+0001" },
        { "mean(appeal) >= 1e5",
          "column 17: malformed number '1e5' (expected digits, then '.' and digits, e.g. 0.4)" },
        { "mean(appeal) >= 1.",
          "column 17: malformed number '1.' (expected digits, then '.' and digits, e.g. 0.4)" },
        { "mean(appeal) >= 1.2.3",
          "column 17: malformed number '1.2.3' (expected digits, then '.' and digits, e.g. 0.4)" },
        { "mean(appeal)>=7and mean(price) < 1",
          "column 15: malformed number '7and' (expected digits, then '.' and digits, e.g. 0.4)" },
        { "mean(appeal) > - 1", "column 16: unexpected character '-'" },
        { "share(comment == \"open", "column 18: unterminated string: expected a closing '\"'" },
        { "share(comment == \"open\\\"",
          "column 18: unterminated string: expected a closing '\"'" },
        { "share(comment == \"bad \\n\") > 0",
          "column 23: unknown escape '\\n' in a string (only \\\" and \\\\)" },
        { "share(comment == \"a\tb\") > 0", "column 20: control character U+0009 in a string" },
        { "mean(\xff) > 1", "column 6: invalid UTF-8 (byte 0xff)" },
        { "share(comment == \"é\xc3\") > 1", "column 20: invalid UTF-8 (byte 0xc3)" },
    };
    assert_error_cases(&full, cases, ARRAY_SIZE(cases));
}

static void syntax_errors_say_what_was_expected(void **state)
{
    (void)state;
    static const struct error_case cases[] = {
        { "", "column 1: empty criterion: expected a comparison, e.g. mean(appeal) >= 7" },
        { "   ", "column 4: empty criterion: expected a comparison, e.g. mean(appeal) >= 7" },
        { "mean(appeal)",
          "column 13: unexpected end: expected a comparison (>=, <=, >, <, ==, !=) after "
          "'mean(appeal)'" },
        { "winner", "column 7: unexpected end: expected a comparison (==, !=) after 'winner'" },
        { "not mean(appeal)",
          "column 17: unexpected end: expected a comparison (>=, <=, >, <, ==, !=) after "
          "'mean(appeal)'" },
        { "mean(price) and mean(appeal) > 1",
          "column 13: expected a comparison (>=, <=, >, <, ==, !=) after 'mean(price)'" },
        { "mean(appeal) > 1 and mean(price)",
          "column 33: unexpected end: expected a comparison (>=, <=, >, <, ==, !=) after "
          "'mean(price)'" },
        { "(mean(appeal)) or mean(price) > 1",
          "column 16: expected a comparison (>=, <=, >, <, ==, !=) after '(mean(appeal))'" },
        { "mean(appeal) > 1 or",
          "column 20: unexpected end: expected a function (mean, median, min, max, stdev, count, "
          "share), winner, a number, a string, 'not' or '('" },
        { "()",
          "column 2: unexpected ')': expected a function (mean, median, min, max, stdev, count, "
          "share), winner, a number, a string, 'not' or '('" },
        { "mean(appeal) >= 7 x", "column 19: unexpected 'x': expected 'and', 'or' or the end" },
        { "mean(appeal) > 1 AND mean(price) < 2",
          "column 18: unexpected 'AND': expected 'and', 'or' or the end" },
        { "mean(appeal) > 1 > 2", "column 18: unexpected '>': expected 'and', 'or' or the end" },
        { "mean(appeal) > 1)", "column 17: unexpected ')': expected 'and', 'or' or the end" },
        { "winner == \"A\" == \"B\"",
          "column 15: unexpected '==': expected 'and', 'or' or the end" },
        { "(mean(appeal) >= 7",
          "column 19: unexpected end: expected 'and', 'or' or ')' to close '(' at column 1" },
        { "(mean(appeal) > 1 7)",
          "column 19: unexpected '7': expected 'and', 'or' or ')' to close '(' at column 1" },
        { "(mean(appeal) 7)",
          "column 15: expected a comparison (>=, <=, >, <, ==, !=) after 'mean(appeal)'" },
        { "mean appeal > 1", "column 6: unexpected 'appeal': expected '(' after 'mean'" },
        { "share", "column 6: unexpected end: expected '(' after 'share'" },
        { "mean() > 1",
          "column 6: unexpected ')': expected a question id (questions: appeal, buy, price, "
          "color, order, comment, free, 2nd-q)" },
        { "mean(appeal > 1",
          "column 13: unexpected '>': expected ')' to close 'mean(' at column 5" },
        { "count(buy", "column 10: unexpected end: expected ')' to close 'count(' at column 6" },
        { "share(buy) > 1", "column 10: expected a comparison (==, !=) after 'buy'" },
        { "share(appeal) > 1",
          "column 13: expected a comparison (>=, <=, >, <, ==, !=) after 'appeal'" },
        { "share(buy ==", "column 13: unexpected end: expected \"yes\" or \"no\"" },
        { "share(buy == \"yes\" > 0",
          "column 20: unexpected '>': expected ')' to close 'share(' at column 6" },
        { "share(buy == yes) > 0", "column 14: unexpected 'yes': expected \"yes\" or \"no\"" },
        { "share(appeal >= x) > 1", "column 17: unexpected 'x': expected a number" },
        { "share(color == red) > 1",
          "column 16: unexpected 'red': expected one of its options: \"red\", \"green\", \"light "
          "blue\"" },
        { "share(comment == ) > 1",
          "column 18: unexpected ')': expected a string in double quotes" },
    };
    assert_error_cases(&full, cases, ARRAY_SIZE(cases));
}

static void type_errors_name_both_sides(void **state)
{
    (void)state;
    static const struct error_case cases[] = {
        { "mean(appeal) >= \"7\"", "column 17: unexpected \"7\": expected a number" },
        { "mean(appeal) >= winner", "column 17: unexpected 'winner': expected a number" },
        { "mean(appeal) >= (mean(appeal) > 1)",
          "column 17: unexpected '(mean(appeal) > 1)': expected a number" },
        { "winner >= \"A\"",
          "column 8: strings compare only with == or != (got '>=' after 'winner')" },
        { "winner == 3",
          "column 11: unexpected '3': expected a variant id in double quotes (\"A\", \"B\")" },
        { "winner == B",
          "column 11: unexpected 'B': expected a variant id in double quotes (\"A\", \"B\")" },
        { "winner == (winner == \"A\")",
          "column 11: unexpected '(winner == \"A\")': expected a variant id in double quotes "
          "(\"A\", \"B\")" },
        { "\"A\" == 3", "column 8: unexpected '3': expected winner" },
        { "(mean(appeal) > 1) > 2",
          "column 20: unexpected '>': '(mean(appeal) > 1)' is a condition, not a value to compare "
          "(combine conditions with and, or, not)" },
        { "3 > 2",
          "column 1: '3 > 2' compares two constants (one side must be a function of a question, "
          "or winner)" },
        { "\"A\" != \"A\"",
          "column 1: '\"A\" != \"A\"' compares two constants (one side must be a function of a "
          "question, or winner)" },
        { "(1) <= (2)",
          "column 1: '(1) <= (2)' compares two constants (one side must be a function of a "
          "question, or winner)" },
    };
    assert_error_cases(&full, cases, ARRAY_SIZE(cases));
}

static void questions_are_checked_by_id_and_kind(void **state)
{
    (void)state;
    static const struct error_case cases[] = {
        { "mean(buy) > 1",
          "column 6: mean needs a rating question, and 'buy' is a yes_no question" },
        { "median(color) > 1",
          "column 8: median needs a rating question, and 'color' is a choice question" },
        { "min(order) > 1",
          "column 5: min needs a rating question, and 'order' is a ranking question" },
        { "max(free) > 1",
          "column 5: max needs a rating question, and 'free' is a choice question" },
        { "stdev(comment) > 1",
          "column 7: stdev needs a rating question, and 'comment' is a text question" },
        { "mean(Appeal) > 1",
          "column 6: unknown question 'Appeal' (questions: appeal, buy, price, color, order, "
          "comment, free, 2nd-q)" },
        { "foo(appeal) > 1",
          "column 1: unknown function 'foo' (functions: mean, median, min, max, stdev, count, "
          "share)" },
        { "MEAN(appeal) > 1",
          "column 1: unknown function 'MEAN' (write 'mean': names are lower-case)" },
        { "Share (buy == \"yes\") > 1",
          "column 1: unknown function 'Share' (write 'share': names are lower-case)" },
        { "appeal > 3",
          "column 1: 'appeal' is a question: use a function of it, e.g. mean(appeal)" },
        { "buy == \"yes\"",
          "column 1: 'buy' is a question: use a function of it, e.g. share(buy == \"yes\")" },
        { "color == \"red\"",
          "column 1: 'color' is a question: use a function of it, e.g. share(color == \"red\")" },
        { "comment",
          "column 1: 'comment' is a question: use a function of it, e.g. count(comment)" },
        { "mean(appeal) > 1 and foo", "column 22: unexpected 'foo': expected a function (mean, "
                                      "median, min, max, stdev, count, share), winner, a number, a "
                                      "string, 'not' or '('" },
    };
    assert_error_cases(&full, cases, ARRAY_SIZE(cases));
    assert_parse_error(&empty, "mean(x) > 1",
                       "column 6: unknown question 'x' (this test has no questions)");
}

static void share_literals_are_checked_against_the_kind_and_options(void **state)
{
    (void)state;
    static const struct error_case cases[] = {
        { "share(buy >= \"yes\") > 0.5",
          "column 11: share of a yes_no question compares only with == or != (got '>=')" },
        { "share(color < \"red\") > 0.5",
          "column 13: share of a choice question compares only with == or != (got '<')" },
        { "share(comment > \"x\") > 0.5",
          "column 15: share of a text question compares only with == or != (got '>')" },
        { "share(buy == 1) > 0",
          "column 14: share of a yes_no question compares with \"yes\" or \"no\" (got 1)" },
        { "share(buy == \"Yes\") > 0",
          "column 14: share of a yes_no question compares with \"yes\" or \"no\" (got \"Yes\")" },
        { "share(appeal >= \"x\") > 1",
          "column 17: share of a rating question compares with a number (got \"x\")" },
        { "share(color == \"pink\") > 0",
          "column 16: share of a choice question compares with one of its options: \"red\", "
          "\"green\", \"light blue\" (got \"pink\")" },
        { "share(order != \"d\") > 0",
          "column 16: share of a ranking question compares with one of its options: \"a\", \"b\", "
          "\"c\" (got \"d\")" },
        { "share(comment == 1) > 0",
          "column 18: share of a text question compares with a string in double quotes (got 1)" },
        { "share(free == 2) > 0",
          "column 15: share of a choice question compares with a string in double quotes (got 2)" },
    };
    assert_error_cases(&full, cases, ARRAY_SIZE(cases));
}

static void winner_needs_variants_and_a_known_variant_id(void **state)
{
    (void)state;
    assert_parse_error(&small, "mean(appeal) > 1 or winner == \"A\"",
                       "column 21: winner needs variants (this test has none)");
    assert_parse_error(&full, "winner == \"C\"",
                       "column 11: unknown variant \"C\" (variants: \"A\", \"B\")");
    assert_parse_error(&full, "\"a\" != winner",
                       "column 1: unknown variant \"a\" (variants: \"A\", \"B\")");
    assert_parses(&full, "winner == \"A\" or winner == \"B\"");
}

static void columns_count_characters_not_bytes(void **state)
{
    (void)state;
    /* "ééé" is 3 characters and 6 bytes */
    assert_parse_error(&full, "share(comment == \"ééé\") >= 0 x",
                       "column 30: unexpected 'x': expected 'and', 'or' or the end");
}

static void long_tokens_and_lists_are_cut_in_messages(void **state)
{
    (void)state;
    char text[128];
    snprintf(text, sizeof(text), "mean(%s) > 1", "q123456789q123456789q123456789q123456789q1234");
    assert_parse_error(&small, text,
                       "column 6: unknown question 'q123456789q123456789q123456789q123456789...' "
                       "(questions: appeal, buy, price)");

    struct criteria_question many[40];
    char ids[40][16];
    for (size_t i = 0; i < ARRAY_SIZE(many); i++) {
        snprintf(ids[i], sizeof(ids[i]), "question_%02zu", i);
        many[i] = (struct criteria_question){ ids[i], CRITERIA_RATING, NULL, 0 };
    }
    struct criteria_env env = { many, ARRAY_SIZE(many), NULL, 0 };
    struct criterion *c = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(criterion_parse("mean(nope) > 1", &env, &c, &err), ERR_INVALID);
    assert_contains(err.msg, "column 6: unknown question 'nope' (questions: question_00, ");
    assert_contains(err.msg, ", ...)");
    assert_lacks(err.msg, "question_39");
    assert_true(utf8_valid(err.msg, strlen(err.msg)));
}

static void a_question_listed_twice_is_named_once(void **state)
{
    (void)state;
    static const struct criteria_question twice[] = {
        { "appeal", CRITERIA_RATING, NULL, 0 },
        { "buy", CRITERIA_YES_NO, NULL, 0 },
        { "appeal", CRITERIA_RATING, NULL, 0 },
    };
    struct criteria_env env = { twice, ARRAY_SIZE(twice), NULL, 0 };
    assert_parse_error(&env, "mean(x) > 1",
                       "column 6: unknown question 'x' (questions: appeal, buy)");
}

static void a_failure_leaves_the_field_empty_and_accepts_a_null_err(void **state)
{
    (void)state;
    struct criterion *c = NULL;
    struct err err = ERR_INIT;
    err_set(&err, ERR_INVALID, "config.success_criteria[0]", "old");
    assert_int_equal(criterion_parse("mean(", &full, &c, &err), ERR_INVALID);
    assert_string_equal(err.field, "");
    assert_null(c);
    assert_int_equal(criterion_parse("mean(", &full, &c, NULL), ERR_INVALID);
    assert_null(c);
    criterion_free(NULL);
}

static void a_null_text_or_env_is_empty(void **state)
{
    (void)state;
    struct criterion *c = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(criterion_parse(NULL, &full, &c, &err), ERR_INVALID);
    assert_string_equal(err.msg,
                        "column 1: empty criterion: expected a comparison, e.g. mean(appeal) >= 7");
    assert_parse_error(NULL, "mean(appeal) > 1",
                       "column 6: unknown question 'appeal' (this test has no questions)");
}

/* ---- limits ----------------------------------------------------------------------------- */

/* "mean(appeal) >= 7" padded with spaces to n bytes, in a malloc'd string. */
static char *padded(size_t n)
{
    static const char base[] = "mean(appeal) >= 7";
    char *s = xmalloc(n + 1);
    memset(s, ' ', n);
    memcpy(s, base, sizeof(base) - 1);
    s[n] = '\0';
    return s;
}

static void length_is_accepted_up_to_the_limit(void **state)
{
    (void)state;
    char *s = padded(CRITERION_MAX);
    assert_parses(&full, s);
    free(s);
}

static void length_one_past_the_limit_is_refused(void **state)
{
    (void)state;
    char *s = padded(CRITERION_MAX + 1);
    assert_parse_error(&full, s, "column 501: criterion too long (at most 500 bytes)");
    free(s);
    s = padded(100000);
    assert_parse_error(&full, s, "column 501: criterion too long (at most 500 bytes)");
    free(s);
}

static void length_is_counted_in_bytes_and_the_column_in_characters(void **state)
{
    (void)state;
    /* 18 ASCII characters, then 250 two-byte 'é': byte 501 starts the 242nd é */
    char s[1024];
    size_t n = (size_t)snprintf(s, sizeof(s), "share(comment == \"");
    for (int i = 0; i < 250; i++)
        n += (size_t)snprintf(s + n, sizeof(s) - n, "é");
    snprintf(s + n, sizeof(s) - n, "\") > 0");
    assert_parse_error(&full, s, "column 260: criterion too long (at most 500 bytes)");
}

static void nesting_is_accepted_up_to_the_depth_limit(void **state)
{
    (void)state;
    char s[CRITERION_MAX + 1];
    size_t n = 0;
    for (int i = 0; i < CRITERION_DEPTH_MAX; i++)
        s[n++] = '(';
    n += (size_t)snprintf(s + n, sizeof(s) - n, "mean(appeal) > 7");
    for (int i = 0; i < CRITERION_DEPTH_MAX; i++)
        s[n++] = ')';
    s[n] = '\0';
    assert_true(passes(s));

    n = 0;
    for (int i = 0; i < CRITERION_DEPTH_MAX; i++)
        n += (size_t)snprintf(s + n, sizeof(s) - n, "not ");
    snprintf(s + n, sizeof(s) - n, "mean(appeal) > 7");
    assert_true(passes(s)); /* an even number of nots */
}

static void nesting_one_past_the_depth_limit_is_refused(void **state)
{
    (void)state;
    char s[CRITERION_MAX + 1];
    size_t n = 0;
    for (int i = 0; i < CRITERION_DEPTH_MAX + 1; i++)
        s[n++] = '(';
    n += (size_t)snprintf(s + n, sizeof(s) - n, "mean(appeal) > 7");
    for (int i = 0; i < CRITERION_DEPTH_MAX + 1; i++)
        s[n++] = ')';
    s[n] = '\0';
    assert_parse_error(&full, s,
                       "column 33: '(' nested too deeply (at most 32 levels of '(' and 'not')");

    n = 0;
    for (int i = 0; i < CRITERION_DEPTH_MAX + 1; i++)
        n += (size_t)snprintf(s + n, sizeof(s) - n, "not ");
    snprintf(s + n, sizeof(s) - n, "mean(appeal) > 7");
    assert_parse_error(&full, s,
                       "column 129: 'not' nested too deeply (at most 32 levels of '(' and 'not')");

    /* "not (" counts twice: the 17th not is level 33 */
    n = 0;
    for (int i = 0; i < 17; i++)
        n += (size_t)snprintf(s + n, sizeof(s) - n, "not (");
    snprintf(s + n, sizeof(s) - n, "mean(appeal) > 7");
    assert_parse_error(&full, s,
                       "column 81: 'not' nested too deeply (at most 32 levels of '(' and 'not')");

    /* far past the limit: refused the same way, without deep recursion */
    memset(s, '(', CRITERION_MAX);
    s[CRITERION_MAX] = '\0';
    assert_parse_error(&full, s,
                       "column 33: '(' nested too deeply (at most 32 levels of '(' and 'not')");
}

static void long_chains_are_not_nesting(void **state)
{
    (void)state;
    char s[CRITERION_MAX + 1];
    size_t n = (size_t)snprintf(s, sizeof(s), "mean(appeal) > 7");
    while (n + 21 <= CRITERION_MAX)
        n += (size_t)snprintf(s + n, sizeof(s) - n, " and mean(appeal) > 7");
    assert_true(passes(s));
    s[n - 1] = '8'; /* the last operand fails */
    assert_false(passes(s));
}

/* ---- evaluation ---------------------------------------------------------------------------- */

static void an_unknown_statistic_fails_naming_it(void **state)
{
    (void)state;
    struct fake f = { 0 }; /* knows nothing */
    struct err err = ERR_INIT;
    bool passed = true;
    assert_int_equal(eval_text("mean(appeal) >= 7", &f, NULL, &passed, &err), ERR_INVALID);
    assert_false(passed);
    assert_string_equal(err.msg, "no value for mean(appeal)");
    assert_string_equal(err.field, "");

    passed = true;
    assert_int_equal(eval_text("7 <= count(comment)", &f, NULL, &passed, &err), ERR_INVALID);
    assert_false(passed);
    assert_string_equal(err.msg, "no value for count(comment)");
}

static void an_unknown_share_fails_naming_it(void **state)
{
    (void)state;
    struct fake f = fake_default();
    f.share_known = false;
    struct err err = ERR_INIT;
    bool passed = true;
    assert_int_equal(eval_text("share(buy == \"yes\") >= 0.4", &f, NULL, &passed, &err),
                     ERR_INVALID);
    assert_false(passed);
    assert_string_equal(err.msg, "no value for share(buy == \"yes\")");

    assert_int_equal(eval_text("share(appeal > -2.50) >= 0.4", &f, NULL, &passed, &err),
                     ERR_INVALID);
    assert_string_equal(err.msg, "no value for share(appeal > -2.50)");

    assert_int_equal(
        eval_text("share(comment != \"a \\\"b\\\" \\\\\") >= 0.4", &f, NULL, &passed, &err),
        ERR_INVALID);
    assert_string_equal(err.msg, "no value for share(comment != \"a \\\"b\\\" \\\\\")");
}

static void no_winner_fails_naming_it(void **state)
{
    (void)state;
    struct fake f = fake_default();
    struct err err = ERR_INIT;
    bool passed = true;
    assert_int_equal(eval_text("winner == \"A\"", &f, NULL, &passed, &err), ERR_INVALID);
    assert_false(passed);
    assert_string_equal(err.msg, "no value for winner");
    assert_int_equal(eval_text("\"A\" != winner", &f, NULL, &passed, &err), ERR_INVALID);
    assert_string_equal(err.msg, "no value for winner");
}

static void a_value_that_is_not_finite_is_unknown(void **state)
{
    (void)state;
    const struct stat_entry odd[] = { { "mean(appeal)", NAN }, { "mean(price)", INFINITY } };
    struct fake f = { .stats = odd, .n_stats = ARRAY_SIZE(odd) };
    struct err err = ERR_INIT;
    bool passed = true;
    assert_int_equal(eval_text("mean(appeal) != 7", &f, NULL, &passed, &err), ERR_INVALID);
    assert_string_equal(err.msg, "no value for mean(appeal)");
    assert_int_equal(eval_text("mean(price) > 7", &f, NULL, &passed, &err), ERR_INVALID);
    assert_string_equal(err.msg, "no value for mean(price)");
    f.share_known = true;
    f.share_value = NAN;
    assert_int_equal(eval_text("share(buy == \"no\") < 1", &f, NULL, &passed, &err), ERR_INVALID);
}

static void missing_callbacks_make_every_value_unknown(void **state)
{
    (void)state;
    struct criterion *c = NULL;
    struct err err = ERR_INIT;
    assert_ok(criterion_parse("mean(appeal) > 1 or share(buy == \"yes\") > 0", &full, &c, &err),
              &err);
    struct criteria_values none = { NULL, NULL, NULL, NULL };
    bool passed = true;
    assert_int_equal(criterion_eval(c, &none, &passed, &err), ERR_INVALID);
    assert_false(passed);
    assert_string_equal(err.msg, "no value for mean(appeal)");
    criterion_free(c);
}

/* T: true, F: false, U: unknown (mean(price) is not in the table below) */
#define T "mean(appeal) > 7"
#define F "mean(appeal) < 7"
#define U "mean(price) > 1"

static const struct stat_entry appeal_only[] = { { "mean(appeal)", 7.5 } };

/* The outcome (1 true, 0 false) or -1 when unknown, with the message. */
static int kleene(const char *text, char *msg)
{
    struct fake f = { .stats = appeal_only, .n_stats = 1 };
    struct err err = ERR_INIT;
    bool passed = false;
    enum err_code rc = eval_text(text, &f, "A", &passed, &err);
    snprintf(msg, sizeof(err.msg), "%s", err.msg);
    if (rc == ERR_INVALID) {
        assert_false(passed);
        return -1;
    }
    assert_int_equal(rc, ERR_OK);
    return passed ? 1 : 0;
}

static void unknown_values_follow_three_valued_logic(void **state)
{
    (void)state;
    char msg[sizeof(((struct err *)0)->msg)];
    assert_int_equal(kleene(T " or " U, msg), 1);
    assert_int_equal(kleene(U " or " T, msg), 1);
    assert_int_equal(kleene(F " and " U, msg), 0);
    assert_int_equal(kleene(U " and " F, msg), 0);
    assert_int_equal(kleene("not (" U " and " F ")", msg), 1);

    assert_int_equal(kleene(F " or " U, msg), -1);
    assert_string_equal(msg, "no value for mean(price)");
    assert_int_equal(kleene(T " and " U, msg), -1);
    assert_string_equal(msg, "no value for mean(price)");
    assert_int_equal(kleene("not " U, msg), -1);
    assert_string_equal(msg, "no value for mean(price)");
    assert_int_equal(kleene(T " and (" F " or " U ")", msg), -1);
    assert_string_equal(msg, "no value for mean(price)");
}

static void the_first_unknown_value_is_the_one_named(void **state)
{
    (void)state;
    char msg[sizeof(((struct err *)0)->msg)];
    assert_int_equal(kleene("mean(2nd-q) > 1 or " F " or " U, msg), -1);
    assert_string_equal(msg, "no value for mean(2nd-q)");
    assert_int_equal(kleene("mean(appeal) > median(appeal)", msg), -1);
    assert_string_equal(msg, "no value for median(appeal)");
}

#undef T
#undef F
#undef U

static void a_criterion_keeps_its_own_copies_of_the_env(void **state)
{
    (void)state;
    char *id = xstrdup("appeal");
    char *variant = xstrdup("B");
    struct criteria_question q = { id, CRITERIA_RATING, NULL, 0 };
    const char *vs[] = { variant };
    struct criteria_env env = { &q, 1, vs, 1 };
    struct criterion *c = NULL;
    struct err err = ERR_INIT;
    assert_ok(criterion_parse("mean(appeal) > 7 and winner == \"B\"", &env, &c, &err), &err);
    free(id);
    free(variant);
    struct fake f = fake_default();
    struct criteria_values v = values_of(&f, "B");
    bool passed = false;
    assert_ok(criterion_eval(c, &v, &passed, &err), &err);
    assert_true(passed);
    criterion_free(c);
}

static void a_criterion_evaluates_again_with_other_values(void **state)
{
    (void)state;
    struct criterion *c = NULL;
    struct err err = ERR_INIT;
    assert_ok(criterion_parse("winner == \"A\"", &full, &c, &err), &err);
    struct fake f = fake_default();
    bool passed = false;
    struct criteria_values v = values_of(&f, "A");
    assert_ok(criterion_eval(c, &v, &passed, &err), &err);
    assert_true(passed);
    v.winner = "B";
    assert_ok(criterion_eval(c, &v, &passed, &err), &err);
    assert_false(passed);
    criterion_free(c);
}

/* ---- robustness: mutated texts ----------------------------------------------------------- */

static const char *const seeds[] = {
    "mean(appeal) >= 7",
    "share(buy == \"yes\") >= 0.4",
    "winner == \"B\"",
    "not (mean(appeal) > 7 or share(color == \"light blue\") < 0.25) and count(comment) >= 3",
    "median(2nd-q) <= -1.5 or min(price) != max(price)",
    "share(comment == \"say \\\"hi\\\" \\\\\") > 0 and \"A\" != winner",
    "((stdev(appeal) < 2)) and not not share(order == \"a\") > 0.5",
};

static const char *const fragments[] = {
    "(",
    ")",
    "and ",
    "or ",
    "not ",
    "\"",
    "\\",
    "==",
    ">=",
    "<",
    "!",
    "=",
    "-",
    ".",
    "winner",
    "share(",
    "mean(",
    "count(",
    "é",
    "\xff",
    "\x01",
    " ",
    "7",
    "0.5",
    "appeal",
    "buy",
    "\"yes\"",
    "\"red\"",
    ",",
    "\t",
    "1e309",
    "99999999999999999999999999999999999999999999999999999999999999999999999999999999",
    /* whole clauses, so that many mutants still parse */
    " and mean(appeal) > 1",
    " or winner == \"A\"",
    " and not share(buy == \"no\") < 0.5",
    "(mean(price) < 2) or ",
};

/* One random change to s (len bytes, at most cap) in place; returns the new length. */
static size_t mutate(struct prng *r, char *s, size_t len, size_t cap)
{
    switch (prng_below(r, 5)) {
    case 0: /* replace a byte with any byte but NUL */
        if (len)
            s[prng_below(r, len)] = (char)(1 + prng_below(r, 255));
        return len;
    case 1: { /* insert a fragment */
        const char *frag = fragments[prng_below(r, ARRAY_SIZE(fragments))];
        size_t n = strlen(frag), at = (size_t)prng_below(r, len + 1);
        if (len + n > cap)
            return len;
        memmove(s + at + n, s + at, len - at);
        memcpy(s + at, frag, n);
        return len + n;
    }
    case 2: { /* delete a range */
        if (!len)
            return len;
        size_t at = (size_t)prng_below(r, len), n = 1 + (size_t)prng_below(r, len - at);
        memmove(s + at, s + at + n, len - at - n);
        return len - n;
    }
    case 3: { /* duplicate a range */
        if (!len)
            return len;
        size_t at = (size_t)prng_below(r, len), n = 1 + (size_t)prng_below(r, len - at);
        if (len + n > cap)
            return len;
        memmove(s + at + n, s + at, len - at);
        return len + n;
    }
    default: /* cut the end */
        return len ? (size_t)prng_below(r, len) : 0;
    }
}

static void mutated_texts_never_crash_and_always_explain(void **state)
{
    (void)state;
    enum { ROUNDS = 30000, CAP = 700 };
    struct prng r;
    prng_seed(&r, 20240611);
    char *s = xmalloc(CAP + 1);
    size_t parsed = 0, refused = 0;
    for (int round = 0; round < ROUNDS; round++) {
        const char *seed = seeds[prng_below(&r, ARRAY_SIZE(seeds))];
        size_t len = strlen(seed);
        memcpy(s, seed, len);
        int changes = 1 + (int)prng_below(&r, 4);
        for (int k = 0; k < changes; k++)
            len = mutate(&r, s, len, CAP);
        s[len] = '\0';

        struct criterion *c = (struct criterion *)&c;
        struct err err = ERR_INIT;
        enum err_code rc = criterion_parse(s, prng_below(&r, 8) ? &full : &small, &c, &err);
        if (rc == ERR_OK) {
            assert_non_null(c);
            struct fake f = fake_default();
            f.share_known = prng_below(&r, 2);
            struct criteria_values v = values_of(&f, prng_below(&r, 2) ? "A" : NULL);
            bool passed = false;
            enum err_code erc = criterion_eval(c, &v, &passed, &err);
            if (erc != ERR_OK && erc != ERR_INVALID)
                fail_msg("eval of '%s' returned %s", s, err_slug(erc));
            criterion_free(c);
            parsed++;
        } else {
            if (rc != ERR_INVALID || c || strncmp(err.msg, "column ", 7) != 0 || err.field[0] ||
                !utf8_valid(err.msg, strlen(err.msg)))
                fail_msg("'%s' failed badly: %s %s", s, err_slug(rc), err.msg);
            refused++;
        }
    }
    free(s);
    /* the mutations explore both sides */
    assert_true(parsed > ROUNDS / 100);
    assert_true(refused > ROUNDS / 2);
}

static const char *const leaves[] = {
    "mean(appeal) >= 7",         "median(2nd-q) < -1.5",
    "count(comment) != 0",       "share(buy == \"yes\") > 0.4",
    "share(appeal <= 3) <= 0.1", "share(color != \"red\") < 1",
    "winner == \"A\"",           "\"B\" != winner",
    "(stdev(price)) > (2)",      "3 < max(appeal)",
};

/* Appends a random condition of at most depth levels to s (a struct of text and length). */
static void generate(struct prng *r, char *s, size_t *n, size_t cap, int depth)
{
    int pick = depth > 0 ? (int)prng_below(r, 5) : 0;
    switch (pick) {
    case 0:
        *n += (size_t)snprintf(s + *n, cap - *n, "%s", leaves[prng_below(r, ARRAY_SIZE(leaves))]);
        break;
    case 1:
        *n += (size_t)snprintf(s + *n, cap - *n, "not ");
        generate(r, s, n, cap, depth - 1);
        break;
    case 2:
        *n += (size_t)snprintf(s + *n, cap - *n, "(");
        generate(r, s, n, cap, depth - 1);
        *n += (size_t)snprintf(s + *n, cap - *n, ")");
        break;
    default:
        generate(r, s, n, cap, depth - 1);
        *n += (size_t)snprintf(s + *n, cap - *n, pick == 3 ? " and " : " or ");
        generate(r, s, n, cap, depth - 1);
        break;
    }
    if (*n >= cap)
        *n = cap - 1;
}

static void generated_criteria_always_parse_and_evaluate(void **state)
{
    (void)state;
    enum { ROUNDS = 3000, CAP = 4096 };
    struct prng r;
    prng_seed(&r, 7);
    char *s = xmalloc(CAP);
    size_t tried = 0;
    for (int round = 0; round < ROUNDS; round++) {
        size_t n = 0;
        s[0] = '\0';
        generate(&r, s, &n, CAP, 1 + (int)prng_below(&r, 6));
        if (n > CRITERION_MAX)
            continue;
        tried++;
        struct criterion *c = NULL;
        struct err err = ERR_INIT;
        if (criterion_parse(s, &full, &c, &err) != ERR_OK)
            fail_msg("'%s' did not parse: %s", s, err.msg);
        struct fake f = fake_default();
        f.share_known = prng_below(&r, 2);
        struct criteria_values v = values_of(&f, prng_below(&r, 2) ? "A" : NULL);
        bool passed = false;
        enum err_code rc = criterion_eval(c, &v, &passed, &err);
        if (rc != ERR_OK && (rc != ERR_INVALID || strncmp(err.msg, "no value for ", 13) != 0))
            fail_msg("'%s' evaluated to %s: %s", s, err_slug(rc), err.msg);
        criterion_free(c);
    }
    free(s);
    assert_true(tried > ROUNDS / 2);
}

static void degenerate_texts_are_refused_without_deep_recursion(void **state)
{
    (void)state;
    static const char *const units[] = { "(", "not ", "not(", "((", "\"", "\\", ")", "mean(" };
    char s[CRITERION_MAX + 1];
    for (size_t u = 0; u < ARRAY_SIZE(units); u++) {
        size_t n = 0, k = strlen(units[u]);
        while (n + k <= CRITERION_MAX) {
            memcpy(s + n, units[u], k);
            n += k;
        }
        s[n] = '\0';
        struct criterion *c = NULL;
        struct err err = ERR_INIT;
        assert_int_equal(criterion_parse(s, &full, &c, &err), ERR_INVALID);
        assert_null(c);
        assert_contains(err.msg, "column ");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_statistic_of_a_rating_question_is_compared),
        cmocka_unit_test(each_statistic_is_asked_by_its_name),
        cmocka_unit_test(count_takes_a_question_of_any_kind),
        cmocka_unit_test(every_operator_compares_numbers),
        cmocka_unit_test(numbers_are_integers_decimals_or_negative),
        cmocka_unit_test(a_constant_may_stand_on_either_side_and_values_on_both),
        cmocka_unit_test(share_of_a_rating_compares_with_a_number_under_any_operator),
        cmocka_unit_test(share_of_other_kinds_compares_with_a_string),
        cmocka_unit_test(strings_unescape_quotes_and_backslashes),
        cmocka_unit_test(winner_compares_with_a_variant_either_way),
        cmocka_unit_test(whitespace_between_tokens_is_free),
        cmocka_unit_test(parentheses_wrap_a_value_or_a_condition),
        cmocka_unit_test(question_ids_may_hold_digits_hyphens_and_keywords),
        cmocka_unit_test(not_negates_and_may_repeat),
        cmocka_unit_test(and_binds_tighter_than_or),
        cmocka_unit_test(not_binds_tighter_than_and_and_or),
        cmocka_unit_test(chains_of_and_and_or_take_every_operand),
        cmocka_unit_test(the_documented_examples_read_as_documented),
        cmocka_unit_test(lexical_errors_name_the_character),
        cmocka_unit_test(syntax_errors_say_what_was_expected),
        cmocka_unit_test(type_errors_name_both_sides),
        cmocka_unit_test(questions_are_checked_by_id_and_kind),
        cmocka_unit_test(share_literals_are_checked_against_the_kind_and_options),
        cmocka_unit_test(winner_needs_variants_and_a_known_variant_id),
        cmocka_unit_test(columns_count_characters_not_bytes),
        cmocka_unit_test(long_tokens_and_lists_are_cut_in_messages),
        cmocka_unit_test(a_question_listed_twice_is_named_once),
        cmocka_unit_test(a_failure_leaves_the_field_empty_and_accepts_a_null_err),
        cmocka_unit_test(a_null_text_or_env_is_empty),
        cmocka_unit_test(length_is_accepted_up_to_the_limit),
        cmocka_unit_test(length_one_past_the_limit_is_refused),
        cmocka_unit_test(length_is_counted_in_bytes_and_the_column_in_characters),
        cmocka_unit_test(nesting_is_accepted_up_to_the_depth_limit),
        cmocka_unit_test(nesting_one_past_the_depth_limit_is_refused),
        cmocka_unit_test(long_chains_are_not_nesting),
        cmocka_unit_test(an_unknown_statistic_fails_naming_it),
        cmocka_unit_test(an_unknown_share_fails_naming_it),
        cmocka_unit_test(no_winner_fails_naming_it),
        cmocka_unit_test(a_value_that_is_not_finite_is_unknown),
        cmocka_unit_test(missing_callbacks_make_every_value_unknown),
        cmocka_unit_test(unknown_values_follow_three_valued_logic),
        cmocka_unit_test(the_first_unknown_value_is_the_one_named),
        cmocka_unit_test(a_criterion_keeps_its_own_copies_of_the_env),
        cmocka_unit_test(a_criterion_evaluates_again_with_other_values),
        cmocka_unit_test(mutated_texts_never_crash_and_always_explain),
        cmocka_unit_test(generated_criteria_always_parse_and_evaluate),
        cmocka_unit_test(degenerate_texts_are_refused_without_deep_recursion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
