/*
 * tests/unit/report/test_report.c - a run's report (report/report.h) and
 * the grounding of a summary in it (report/grounding.h): figures checked
 * exactly on small hand-made panels - a message test whose variant B is
 * clearly better (a winner) and one whose variants tie (no winner), a
 * journey's funnel with its reasons, segments with the small ones marked,
 * criteria passed, failed and undecided with their figures - and the
 * same input giving the same document byte for byte.
 */
#include "core/compat.h"

#include "report/report.h"

#include <math.h>
#include <setjmp.h>

#include <cmocka.h>
#include <jansson.h>

#include "testutil.h"

#include "report/grounding.h"

/* ---- a message test: two variants, a rating and a yes/no ------------------------------------- */

static const char *const VARIANTS[] = { "A", "B" };
static const char *const OPTIONS[] = { "too low", "fair", "too high" };
static const struct report_question QUESTIONS[] = {
    { .id = "appeal",
      .prompt = "How appealing?",
      .kind = REPORT_RATING,
      .scale_min = 1,
      .scale_max = 5 },
    { .id = "buy", .prompt = "Would you buy?", .kind = REPORT_YES_NO },
    { .id = "price",
      .prompt = "The price is",
      .kind = REPORT_CHOICE,
      .options = OPTIONS,
      .n_options = 3 },
};
static const struct report_scenario MESSAGE = {
    .id = "ad", .variants = VARIANTS, .n_variants = 2, .questions = QUESTIONS, .n_questions = 3
};

enum { MEMBERS = 12 };

static struct report_member members[MEMBERS];
static char ids[MEMBERS][16];

static void members_init(void)
{
    static const char *const genders[] = { "female", "male" };
    for (size_t m = 0; m < MEMBERS; m++) {
        snprintf(ids[m], sizeof(ids[m]), "p%zu", m);
        /* 8 people of 25-34, 4 of 65+; half women */
        members[m] = (struct report_member){ .id = ids[m],
                                             .name = ids[m],
                                             .age = m < 8 ? 30 : 70,
                                             .gender = genders[m % 2],
                                             .country = "Lisbon, Portugal",
                                             .income = "middle",
                                             .occupation = m % 3 ? "Software engineer" : "Nurse" };
    }
}

/* Every member answers both variants: ratings a[m] for A and b[m] for B, "yes" when >= 4. */
static size_t message_answers(const double *a, const double *b, struct report_answer *out,
                              struct report_unit *units)
{
    size_t n = 0;
    for (size_t m = 0; m < MEMBERS; m++)
        for (int v = 0; v < 2; v++) {
            double r = v ? b[m] : a[m];
            out[n++] =
                (struct report_answer){ .member = m, .variant = v, .question = 0, .number = r };
            out[n++] = (struct report_answer){ .member = m,
                                               .variant = v,
                                               .question = 1,
                                               .number = NAN,
                                               .text = r >= 4 ? "yes" : "no" };
            out[n++] = (struct report_answer){
                .member = m, .variant = v, .question = 2, .number = NAN, .text = "fair"
            };
            units[m * 2 + (size_t)v] = (struct report_unit){ .member = m, .variant = v };
        }
    return n;
}

static json_t *build(const struct report_input *in)
{
    char *text = NULL;
    size_t len = 0;
    struct err err = ERR_INIT;
    assert_ok(report_build(in, &text, &len, &err), &err);
    assert_int_equal(strlen(text), len);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (!doc)
        fail_msg("not JSON: %s", jerr.text);
    free(text);
    return doc;
}

/* The value at path: "$" then ".key", "[index]" or "['key']" steps. */
static json_t *json_path(json_t *v, const char *path)
{
    const char *p = path + 1;
    while (v && *p) {
        char key[128];
        size_t n = 0;
        if (p[0] == '[' && p[1] == '\'') {
            p += 2;
            while (*p && !(p[0] == '\'' && p[1] == ']') && n + 1 < sizeof(key))
                key[n++] = *p++;
            key[n] = '\0';
            p += 2;
            v = json_object_get(v, key);
        } else if (*p == '[') {
            v = json_array_get(v, strtoul(p + 1, NULL, 10));
            p = strchr(p, ']') + 1;
        } else {
            p++; /* the '.' */
            while (*p && *p != '.' && *p != '[' && n + 1 < sizeof(key))
                key[n++] = *p++;
            key[n] = '\0';
            v = json_object_get(v, key);
        }
    }
    return v;
}

static json_t *at(json_t *doc, const char *path)
{
    json_t *v = json_path(doc, path);
    if (!v)
        fail_msg("no %s", path);
    return v;
}

static double num_at(json_t *doc, const char *path)
{
    return json_number_value(at(doc, path));
}

static const double A_CLEAR[MEMBERS] = { 2, 3, 2, 1, 3, 2, 2, 3, 1, 2, 3, 2 };
static const double B_CLEAR[MEMBERS] = { 5, 4, 5, 5, 4, 5, 4, 5, 5, 4, 5, 4 };

static struct report_input message_input(const double *a, const double *b,
                                         struct report_answer *answers, struct report_unit *units)
{
    static const char *const criteria[] = { "mean(appeal) >= 3", "winner == \"B\"",
                                            "share(buy == \"yes\") >= 0.9",
                                            "mean(appeal) > 3 or count(appeal) > 100" };
    size_t n = message_answers(a, b, answers, units);
    return (struct report_input){ .test_name = "Ad copy",
                                  .test_type = "message",
                                  .seed = 7,
                                  .calls = 24,
                                  .cost_micros = 1234567,
                                  .started_at_ms = 1000,
                                  .finished_at_ms = 4500,
                                  .scenarios = &MESSAGE,
                                  .n_scenarios = 1,
                                  .members = members,
                                  .n_members = MEMBERS,
                                  .answers = answers,
                                  .n_answers = n,
                                  .units = units,
                                  .n_units = MEMBERS * 2,
                                  .criteria = criteria,
                                  .n_criteria = 4,
                                  .segments = true };
}

static void figures_of_a_question_are_exact(void **state)
{
    (void)state;
    struct report_answer answers[MEMBERS * 6];
    struct report_unit units[MEMBERS * 2];
    struct report_input in = message_input(A_CLEAR, B_CLEAR, answers, units);
    json_t *doc = build(&in);
    assert_int_equal(json_integer_value(at(doc, "$.respondents")), MEMBERS);
    /* every answer to appeal: A sums 26, B sums 55: mean 81 / 24 = 3.375 */
    assert_string_equal(json_string_value(at(doc, "$.questions[0].id")), "appeal");
    assert_int_equal(json_integer_value(at(doc, "$.questions[0].n")), 24);
    assert_true(num_at(doc, "$.questions[0].mean") == 3.375);
    assert_true(num_at(doc, "$.questions[0].median") == 3.5);
    assert_true(num_at(doc, "$.questions[0].min") == 1);
    assert_true(num_at(doc, "$.questions[0].max") == 5);
    /* the distribution has every point of 1..5; 4 and 5 are the top two boxes: 12 of 24 */
    assert_int_equal(json_array_size(at(doc, "$.questions[0].distribution")), 5);
    assert_int_equal(json_integer_value(at(doc, "$.questions[0].distribution[4].count")), 7);
    assert_true(num_at(doc, "$.questions[0].top2_box.share") == 0.5);
    double lo = num_at(doc, "$.questions[0].ci[0]"), hi = num_at(doc, "$.questions[0].ci[1]");
    assert_true(lo < 3.375 && hi > 3.375 && hi - lo < 2);
    /* yes/no: 12 yes (every B) of 24, with a Wilson interval */
    assert_string_equal(json_string_value(at(doc, "$.questions[1].distribution[0].value")), "yes");
    assert_int_equal(json_integer_value(at(doc, "$.questions[1].distribution[0].count")), 12);
    assert_true(num_at(doc, "$.questions[1].distribution[0].share") == 0.5);
    assert_true(num_at(doc, "$.questions[1].distribution[0].ci[0]") ==
                0.314); /* Wilson, 3 places */
    /* a slot per variant */
    assert_string_equal(json_string_value(at(doc, "$.scenarios[0].slots[1].key")), "ad/B");
    assert_true(num_at(doc, "$.scenarios[0].slots[1].questions[0].mean") == 4.583);
    assert_true(num_at(doc, "$.run.cost_usd") == 1.234567);
    assert_true(num_at(doc, "$.run.duration_s") == 3.5);
    json_decref(doc);
}

static void a_clearly_better_variant_wins(void **state)
{
    (void)state;
    struct report_answer answers[MEMBERS * 6];
    struct report_unit units[MEMBERS * 2];
    struct report_input in = message_input(A_CLEAR, B_CLEAR, answers, units);
    json_t *doc = build(&in);
    assert_string_equal(json_string_value(at(doc, "$.winner")), "B");
    json_t *c = at(doc, "$.comparisons[0]");
    assert_string_equal(json_string_value(json_object_get(c, "test")), "permutation");
    assert_string_equal(json_string_value(json_object_get(c, "best")), "B");
    assert_true(json_is_true(json_object_get(c, "significant")));
    assert_true(num_at(doc, "$.comparisons[0].p") < 0.001);
    assert_true(num_at(doc, "$.comparisons[0].effect.value") > 2); /* Cohen's d */
    assert_true(num_at(doc, "$.comparisons[0].welch.p") < 0.001);
    /* the yes/no by chi-square, B best; the choice compared but never a winner */
    assert_string_equal(json_string_value(at(doc, "$.comparisons[1].test")), "chi_square");
    assert_string_equal(json_string_value(at(doc, "$.comparisons[1].winner")), "B");
    assert_true(json_is_null(at(doc, "$.comparisons[2].winner")));
    /* criteria with their figures */
    assert_true(json_is_true(at(doc, "$.criteria[0].passed")));
    assert_true(num_at(doc, "$.criteria[0].figures['mean(appeal)']") == 3.375);
    assert_true(json_is_true(at(doc, "$.criteria[1].passed")));
    assert_true(json_is_false(at(doc, "$.criteria[2].passed")));
    assert_true(num_at(doc, "$.criteria[2].figures['share(buy == \"yes\")']") == 0.5);
    assert_true(json_is_true(at(doc, "$.criteria[3].passed")));
    json_decref(doc);
}

static void tied_variants_have_no_winner(void **state)
{
    (void)state;
    static const double same[MEMBERS] = { 3, 4, 2, 5, 3, 4, 2, 3, 4, 5, 3, 2 };
    static const double shifted[MEMBERS] = { 4, 3, 2, 4, 3, 5, 2, 3, 4, 4, 3, 3 };
    struct report_answer answers[MEMBERS * 6];
    struct report_unit units[MEMBERS * 2];
    struct report_input in = message_input(same, shifted, answers, units);
    json_t *doc = build(&in);
    assert_true(json_is_null(at(doc, "$.winner")));
    assert_true(json_is_false(at(doc, "$.comparisons[0].significant")));
    assert_true(num_at(doc, "$.comparisons[0].p") > 0.5);
    assert_non_null(json_string_value(at(doc, "$.comparisons[0].best"))); /* best, not winner */
    /* winner == "B" cannot be decided without a winner */
    assert_true(json_is_null(at(doc, "$.criteria[1].passed")) ||
                json_is_false(at(doc, "$.criteria[1].passed")));
    json_decref(doc);
}

static void segments_are_marked_when_small(void **state)
{
    (void)state;
    struct report_answer answers[MEMBERS * 6];
    struct report_unit units[MEMBERS * 2];
    struct report_input in = message_input(A_CLEAR, B_CLEAR, answers, units);
    json_t *doc = build(&in);
    assert_string_equal(json_string_value(at(doc, "$.segments[0].dimension")), "age_band");
    assert_string_equal(json_string_value(at(doc, "$.segments[0].groups[0].value")), "25-34");
    assert_int_equal(json_integer_value(at(doc, "$.segments[0].groups[0].n")), 8);
    assert_true(json_is_false(at(doc, "$.segments[0].groups[0].too_small")));
    assert_string_equal(json_string_value(at(doc, "$.segments[0].groups[1].value")), "65+");
    assert_true(json_is_true(at(doc, "$.segments[0].groups[1].too_small"))); /* 4 people */
    /* the country of "Lisbon, Portugal"; occupations in groups */
    assert_string_equal(json_string_value(at(doc, "$.segments[3].groups[0].value")), "Portugal");
    assert_string_equal(json_string_value(at(doc, "$.segments[4].groups[0].value")), "Health");
    assert_string_equal(json_string_value(at(doc, "$.segments[4].groups[1].value")), "Technology");
    /* the segment's answers: 8 people x 2 variants */
    assert_int_equal(json_integer_value(at(doc, "$.segments[0].groups[0].questions[0].n")), 16);
    json_decref(doc);
    in.segments = false;
    doc = build(&in);
    assert_true(json_is_null(at(doc, "$.segments")));
    json_decref(doc);
}

static void a_ratings_interval_stays_on_its_scale(void **state)
{
    (void)state;
    /* two answers, 1 and 5: t(0.975, 1) = 12.7 makes the raw interval -22.4..28.4 */
    struct report_answer answers[2] = {
        { .member = 0, .variant = 0, .question = 0, .number = 1 },
        { .member = 1, .variant = 0, .question = 0, .number = 5 },
    };
    struct report_input in = { .test_name = "Tiny",
                               .test_type = "message",
                               .scenarios = &MESSAGE,
                               .n_scenarios = 1,
                               .members = members,
                               .n_members = MEMBERS,
                               .answers = answers,
                               .n_answers = 2,
                               .segments = true };
    json_t *doc = build(&in);
    assert_true(num_at(doc, "$.questions[0].mean") == 3);
    assert_true(num_at(doc, "$.questions[0].ci[0]") == 1);
    assert_true(num_at(doc, "$.questions[0].ci[1]") == 5);
    assert_true(num_at(doc, "$.segments[0].groups[0].questions[0].ci[0]") == 1);
    assert_true(num_at(doc, "$.comparisons[0].variants[0].ci[1]") == 5);
    json_decref(doc);
}

static void themes_list_the_answers_they_cover(void **state)
{
    (void)state;
    static const char *const quotes[] = { "Tasty and quick." };
    static const struct report_ref refs[] = { { "p0", "ad/A", 0 }, { "p1", "ad/B", 0 } };
    static const struct report_theme themes[] = {
        { .name = "Saves time",
          .sentiment = 1,
          .count = 2,
          .quotes = quotes,
          .n_quotes = 1,
          .answers = refs,
          .n_answers = 2 },
        { .name = "Too dear", .sentiment = -1, .count = 1 },
    };
    struct report_answer answers[MEMBERS * 6];
    struct report_unit units[MEMBERS * 2];
    struct report_input in = message_input(A_CLEAR, B_CLEAR, answers, units);
    in.themes = themes;
    in.n_themes = 2;
    json_t *doc = build(&in);
    assert_string_equal(json_string_value(at(doc, "$.themes.positive[0].name")), "Saves time");
    assert_int_equal(json_integer_value(at(doc, "$.themes.positive[0].count")), 2);
    assert_string_equal(json_string_value(at(doc, "$.themes.positive[0].quotes[0]")),
                        "Tasty and quick.");
    assert_string_equal(json_string_value(at(doc, "$.themes.positive[0].answers[1].scenario")),
                        "ad/B");
    assert_string_equal(json_string_value(at(doc, "$.themes.negative[0].name")), "Too dear");
    assert_int_equal(json_array_size(at(doc, "$.themes.negative[0].answers")), 0);
    assert_int_equal(json_array_size(at(doc, "$.themes.neutral")), 0);
    json_decref(doc);
}

static void the_same_input_gives_the_same_document(void **state)
{
    (void)state;
    struct report_answer answers[MEMBERS * 6];
    struct report_unit units[MEMBERS * 2];
    struct report_input in = message_input(A_CLEAR, B_CLEAR, answers, units);
    char *a = NULL, *b = NULL;
    struct err err = ERR_INIT;
    assert_ok(report_build(&in, &a, NULL, &err), &err);
    assert_ok(report_build(&in, &b, NULL, &err), &err);
    assert_string_equal(a, b); /* the permutation test's random splits come from the seed */
    free(a);
    free(b);
}

static void an_answer_outside_the_input_is_refused(void **state)
{
    (void)state;
    struct report_answer answers[MEMBERS * 6];
    struct report_unit units[MEMBERS * 2];
    struct report_input in = message_input(A_CLEAR, B_CLEAR, answers, units);
    answers[3].variant = 2;
    char *out = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(report_build(&in, &out, NULL, &err), ERR_INVALID);
    assert_null(out);
    assert_contains(err.msg, "answer 3 points outside the input");
}

/* ---- a journey's funnel ------------------------------------------------------------------------
 */

static void a_journey_has_a_funnel_with_reasons(void **state)
{
    (void)state;
    static const struct report_scenario steps[] = { { .id = "signup" },
                                                    { .id = "verify" },
                                                    { .id = "pay" } };
    struct report_unit units[MEMBERS * 3];
    size_t n = 0;
    for (size_t m = 0; m < MEMBERS; m++) {
        units[n++] = (struct report_unit){ .member = m, .scenario = 0, .variant = -1 };
        if (m < 3)
            continue; /* never got further: no unit (they failed before) */
        bool gives_up = m < 7;
        units[n++] = (struct report_unit){ .member = m,
                                           .scenario = 1,
                                           .variant = -1,
                                           .abandoned = gives_up,
                                           .reason = m < 6 ? "Too many documents" : "No time" };
        if (!gives_up)
            units[n++] = (struct report_unit){ .member = m, .scenario = 2, .variant = -1 };
    }
    units[0].error = "the model did not answer";
    struct report_input in = { .test_name = "Onboarding",
                               .test_type = "journey",
                               .scenarios = steps,
                               .n_scenarios = 3,
                               .members = members,
                               .n_members = MEMBERS,
                               .units = units,
                               .n_units = n };
    json_t *doc = build(&in);
    assert_int_equal(json_integer_value(at(doc, "$.funnel.steps[0].reached")), 12);
    assert_int_equal(json_integer_value(at(doc, "$.funnel.steps[0].failed")), 1);
    assert_int_equal(json_integer_value(at(doc, "$.funnel.steps[1].reached")), 9);
    assert_int_equal(json_integer_value(at(doc, "$.funnel.steps[1].abandoned")), 4);
    assert_int_equal(json_integer_value(at(doc, "$.funnel.steps[1].continued")), 5);
    assert_true(num_at(doc, "$.funnel.steps[1].drop_off") == 0.444);
    assert_string_equal(json_string_value(at(doc, "$.funnel.steps[1].reasons[0].text")),
                        "Too many documents");
    assert_int_equal(json_integer_value(at(doc, "$.funnel.steps[1].reasons[0].count")), 3);
    assert_int_equal(json_integer_value(at(doc, "$.funnel.steps[2].reached")), 5);
    assert_int_equal(json_integer_value(at(doc, "$.units.abandoned")), 4);
    assert_int_equal(json_integer_value(at(doc, "$.units.failed")), 1);
    assert_null(json_object_get(doc, "winner")); /* no variants compete: no winner to speak of */
    json_decref(doc);
}

/* ---- grounding ----------------------------------------------------------------------------------
 */

static const char GROUND[] = "{\"respondents\": 55, \"mean\": 7.491, \"ci\": [7.068, 7.914],"
                             " \"share\": 0.664, \"n\": 1200, \"value\": \"25-34\"}";

static void grounded(const char *text)
{
    char bad[32];
    if (!report_grounded(GROUND, strlen(GROUND), text, bad, sizeof(bad)))
        fail_msg("'%s' should be grounded (not: %s)", text, bad);
}

static void ungrounded(const char *text, const char *want_bad)
{
    char bad[32];
    assert_false(report_grounded(GROUND, strlen(GROUND), text, bad, sizeof(bad)));
    assert_string_equal(bad, want_bad);
}

static void a_summary_may_state_only_the_reports_numbers(void **state)
{
    (void)state;
    grounded("55 people answered; the mean was 7.491 (7.068 to 7.914).");
    grounded("The mean was 7.5, about 7, with 66.4% saying yes (66%, 0.66).");
    grounded("1,200 answers; the 25-34 group.");
    grounded("No numbers at all.");
    grounded("Variant B2 and an mp3 are names, not figures.");
    ungrounded("The mean was 7.6.", "7.6");
    ungrounded("55 people, 12 of whom loved it.", "12");
    ungrounded("A rise of 2026 percent.", "2026");
    char bad[8];
    assert_false(report_grounded("not json", 8, "7", bad, sizeof(bad))); /* grounds nothing */
    assert_true(report_grounded("not json", 8, "none", bad, sizeof(bad)));
}

int main(void)
{
    members_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figures_of_a_question_are_exact),
        cmocka_unit_test(a_clearly_better_variant_wins),
        cmocka_unit_test(tied_variants_have_no_winner),
        cmocka_unit_test(segments_are_marked_when_small),
        cmocka_unit_test(a_ratings_interval_stays_on_its_scale),
        cmocka_unit_test(themes_list_the_answers_they_cover),
        cmocka_unit_test(the_same_input_gives_the_same_document),
        cmocka_unit_test(an_answer_outside_the_input_is_refused),
        cmocka_unit_test(a_journey_has_a_funnel_with_reasons),
        cmocka_unit_test(a_summary_may_state_only_the_reports_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
