/*
 * tests/fuzz/fuzz_criteria.c - fuzzes the success-criteria parser and
 * evaluator (report/criteria.h, STYLE.md Z1). The first byte picks the
 * test the criterion is checked against (every question kind with options
 * and variants, three questions and no variants, or nothing); the rest,
 * up to its first NUL, is the criterion.
 *
 * The contract checked (any breach aborts): a success leaves a criterion
 * that evaluates to ERR_OK or to ERR_INVALID "no value for ...", the same
 * way twice; a refusal is ERR_INVALID with no criterion, an empty field and
 * a message that starts with "column ", is valid UTF-8, and is the same on
 * a second parse. Corpus: tests/fuzz/corpus/criteria/. No global state.
 */
#include "core/compat.h"

#include "core/utf8.h"
#include "report/criteria.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const colors[] = { "red", "green", "light blue" };
static const char *const orders[] = { "a", "b", "c" };
static const char *const variants[] = { "A", "B" };

static const struct criteria_question questions[] = {
    { "appeal", CRITERIA_RATING, NULL, 0 },   { "buy", CRITERIA_YES_NO, NULL, 0 },
    { "price", CRITERIA_RATING, NULL, 0 },    { "color", CRITERIA_CHOICE, colors, 3 },
    { "order", CRITERIA_RANKING, orders, 3 }, { "comment", CRITERIA_TEXT, NULL, 0 },
    { "free", CRITERIA_CHOICE, NULL, 0 },     { "2nd-q", CRITERIA_RATING, NULL, 0 },
};

static const struct criteria_env envs[] = {
    { questions, ARRAY_SIZE(questions), variants, 2 },
    { questions, 3, NULL, 0 },
    { NULL, 0, NULL, 0 },
};

/* Known for some names only, from the names' bytes: deterministic. */
static bool stat_of(void *ctx, const char *fn, const char *question_id, double *out)
{
    (void)ctx;
    size_t h = strlen(fn) * 31 + strlen(question_id);
    *out = (double)(h % 11);
    return h % 3 != 0;
}

static bool share_of(void *ctx, const char *question_id, const char *op, const char *text,
                     double number, bool is_number, double *out)
{
    (void)ctx;
    if (!question_id || !op || !text || (is_number && number != number))
        abort(); /* every argument is given; a number is a number */
    *out = (double)((strlen(question_id) + strlen(text)) % 5) / 4;
    return strlen(op) != 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const struct criteria_env *env = &envs[data[0] % ARRAY_SIZE(envs)];
    char *text = malloc(size);
    if (!text)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';

    struct criterion *c = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = criterion_parse(text, env, &c, &err);
    if (rc == ERR_OK) {
        if (!c)
            abort();
        struct criteria_values v = { stat_of, share_of, data[0] & 0x80 ? "A" : NULL, NULL };
        bool passed = false, passed_again = false;
        struct err e1 = ERR_INIT, e2 = ERR_INIT;
        enum err_code r1 = criterion_eval(c, &v, &passed, &e1);
        enum err_code r2 = criterion_eval(c, &v, &passed_again, &e2);
        if (r1 != r2 || passed != passed_again || strcmp(e1.msg, e2.msg) != 0)
            abort(); /* not deterministic */
        if (r1 != ERR_OK && (r1 != ERR_INVALID || passed || strncmp(e1.msg, "no value for ", 13)))
            abort();
        criterion_free(c);
    } else {
        if (rc != ERR_INVALID || c || err.field[0] || strncmp(err.msg, "column ", 7) != 0 ||
            !utf8_valid(err.msg, strlen(err.msg)))
            abort(); /* a refusal explains itself, with a column */
        struct err again = ERR_INIT;
        if (criterion_parse(text, env, &c, &again) != rc || c || strcmp(again.msg, err.msg) != 0)
            abort();
    }
    free(text);
    return 0;
}
