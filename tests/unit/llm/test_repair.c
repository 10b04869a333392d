/*
 * tests/unit/llm/test_repair.c - llm/repair.h: clean JSON (not marked as
 * repaired), prose before and after, ```json and bare fences (inline,
 * CRLF, unclosed, several, other languages), braces and escapes inside
 * strings, stray and placeholder braces before the answer, broken answers
 * never replaced by a fragment, scalars, empty and blank text, the 1 MiB
 * limit at its boundary, the candidate budget at its boundary, duplicate
 * keys, the parse error of the whole text, and a realistic chat answer.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/xalloc.h"
#include "llm/repair.h"

/* ---- helpers ------------------------------------------------------------------- */

/* Asserts that text repairs to the JSON want (compared with json_equal) and the repaired flag. */
static void assert_repairs_to(const char *text, const char *want, bool want_repaired)
{
    json_error_t jerr;
    json_t *expected = json_loads(want, 0, &jerr);
    if (!expected)
        fail_msg("expected value '%s' is not JSON: %s", want, jerr.text);
    json_t *out = NULL;
    bool repaired = !want_repaired;
    struct err e = ERR_INIT;
    enum err_code rc = repair_json(text, strlen(text), &out, &repaired, &e);
    if (rc != ERR_OK)
        fail_msg("'%s' was not repaired: %s", text, e.msg);
    if (!json_equal(out, expected)) {
        char *got = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
        fail_msg("'%s' repaired to %s, expected %s", text, got, want);
    }
    assert_int_equal(repaired, want_repaired);
    json_decref(out);
    json_decref(expected);
}

/* Asserts that text is refused with code and a message containing want. */
static void assert_refused(const char *text, size_t len, enum err_code code, const char *want)
{
    json_t *out = json_true(); /* a singleton: must be reset to NULL */
    bool repaired = true;
    struct err e = ERR_INIT;
    enum err_code rc = repair_json(text, len, &out, &repaired, &e);
    if (rc != code)
        fail_msg("'%.*s': expected %s, got %s (%s)", (int)(len > 200 ? 200 : len), text,
                 err_slug(code), err_slug(rc), e.msg);
    assert_null(out);
    assert_false(repaired);
    assert_int_equal(e.code, code);
    assert_contains(e.msg, want);
}

/* ---- whole text ---------------------------------------------------------------- */

static void clean_object_is_not_marked_repaired(void **state)
{
    (void)state;
    assert_repairs_to("{\"appeal\": 7, \"buy\": true}", "{\"appeal\": 7, \"buy\": true}", false);
}

static void clean_array_is_not_marked_repaired(void **state)
{
    (void)state;
    assert_repairs_to("[1, {\"a\": []}]", "[1, {\"a\": []}]", false);
}

static void surrounding_whitespace_is_not_a_repair(void **state)
{
    (void)state;
    assert_repairs_to("\n\n  {\"a\": 1}\r\n\t \n", "{\"a\": 1}", false);
}

static void only_len_bytes_are_read(void **state)
{
    (void)state;
    const char *text = "{\"a\":1}{\"b\":2}";
    json_t *out = NULL;
    assert_ok(repair_json(text, 7, &out, NULL, NULL), NULL);
    assert_non_null(json_object_get(out, "a"));
    json_decref(out);
}

/* ---- prose --------------------------------------------------------------------- */

static void leading_prose_is_dropped(void **state)
{
    (void)state;
    assert_repairs_to("Sure! Here is my answer: {\"appeal\": 7}", "{\"appeal\": 7}", true);
}

static void trailing_prose_is_dropped(void **state)
{
    (void)state;
    assert_repairs_to("{\"appeal\": 7}\n\nI hope this helps!", "{\"appeal\": 7}", true);
}

static void prose_on_both_sides_is_dropped(void **state)
{
    (void)state;
    assert_repairs_to("Answer:\n[\"a\", \"b\"]\nThat is all.", "[\"a\", \"b\"]", true);
}

/* ---- fences -------------------------------------------------------------------- */

static void json_fence_is_unwrapped(void **state)
{
    (void)state;
    assert_repairs_to("```json\n{\"a\": 1}\n```", "{\"a\": 1}", true);
    assert_repairs_to("```JSON\n{\"a\": 1}\n```", "{\"a\": 1}", true);
}

static void bare_fence_is_unwrapped(void **state)
{
    (void)state;
    assert_repairs_to("```\n[1, 2]\n```", "[1, 2]", true);
}

static void crlf_fence_is_unwrapped(void **state)
{
    (void)state;
    assert_repairs_to("Here:\r\n```json\r\n{\"a\": \"x\"}\r\n```\r\n", "{\"a\": \"x\"}", true);
    assert_repairs_to("```\r\n{\"a\": 2}\r\n```", "{\"a\": 2}", true);
}

static void inline_fence_is_unwrapped(void **state)
{
    (void)state;
    assert_repairs_to("The answer is ```json {\"a\": 1}``` as requested.", "{\"a\": 1}", true);
    assert_repairs_to("```{\"a\": 1}```", "{\"a\": 1}", true);
}

static void unclosed_fence_runs_to_the_end(void **state)
{
    (void)state;
    assert_repairs_to("```json\n{\"a\": 1}\n", "{\"a\": 1}", true);
}

static void first_of_two_valid_fences_wins(void **state)
{
    (void)state;
    assert_repairs_to("```json\n{\"first\": 1}\n```\nor maybe\n```json\n{\"second\": 2}\n```",
                      "{\"first\": 1}", true);
}

static void a_broken_fence_is_passed_for_the_next(void **state)
{
    (void)state;
    assert_repairs_to("```json\n{\"draft\": \n```\nFixed:\n```json\n{\"final\": 2}\n```",
                      "{\"final\": 2}", true);
}

static void fences_of_other_languages_are_skipped(void **state)
{
    (void)state;
    /* the python fence's {} would parse; only json and bare fences count */
    assert_repairs_to("```python\nprint({})\n```\n```json\n{\"a\": 1}\n```", "{\"a\": 1}", true);
}

static void fence_tag_line_text_is_skipped(void **state)
{
    (void)state;
    assert_repairs_to("```json title=answer.json\n{\"a\": 1}\n```", "{\"a\": 1}", true);
}

static void longer_fences_are_accepted(void **state)
{
    (void)state;
    assert_repairs_to("````json\n{\"a\": 1}\n````", "{\"a\": 1}", true);
}

/* ---- balanced spans ------------------------------------------------------------ */

static void braces_inside_strings_do_not_count(void **state)
{
    (void)state;
    assert_repairs_to("Result: {\"text\": \"a } and { and ] [\", \"n\": 1} done",
                      "{\"text\": \"a } and { and ] [\", \"n\": 1}", true);
}

static void escaped_quotes_inside_strings_do_not_end_them(void **state)
{
    (void)state;
    assert_repairs_to("Result: {\"q\": \"she said \\\"}\\\" twice\", \"b\": \"\\\\\"} ok",
                      "{\"q\": \"she said \\\"}\\\" twice\", \"b\": \"\\\\\"}", true);
}

static void an_unbalanced_brace_before_the_answer_is_passed(void **state)
{
    (void)state;
    assert_repairs_to("I think {maybe. Here it is: {\"a\": 1}", "{\"a\": 1}", true);
    assert_repairs_to("[1, 2 oops {\"a\": [3]}", "{\"a\": [3]}", true);
}

static void a_placeholder_before_the_answer_is_passed(void **state)
{
    (void)state;
    assert_repairs_to("Using the format {answer}: {\"a\": 1}", "{\"a\": 1}", true);
}

static void the_first_span_that_parses_wins(void **state)
{
    (void)state;
    assert_repairs_to("{\"a\": 1} and also {\"b\": 2}", "{\"a\": 1}", true);
    /* a citation-like array that parses comes first, as the header says */
    assert_repairs_to("See [1]. {\"a\": 1}", "[1]", true);
}

static void a_broken_answer_is_not_replaced_by_a_fragment(void **state)
{
    (void)state;
    /* the outer span balances but does not parse: its inner object is not used */
    assert_refused("{\"answers\": {\"appeal\": 7}, }", 28, ERR_BAD_JSON, "line 1 column");
    assert_repairs_to("{\"a\": {\"b\": 1},} then {\"c\": 3}", "{\"c\": 3}", true);
}

static void a_scalar_before_the_answer_is_passed(void **state)
{
    (void)state;
    assert_repairs_to("42 {\"a\": 1}", "{\"a\": 1}", true);
}

/* ---- refusals ------------------------------------------------------------------ */

static void a_scalar_alone_is_refused(void **state)
{
    (void)state;
    assert_refused("42", 2, ERR_BAD_JSON, "line 1 column");
    assert_refused("\"hi\"", 4, ERR_BAD_JSON, "line 1 column");
    assert_refused("true", 4, ERR_BAD_JSON, "line 1 column");
    assert_refused("```json\n\"hi\"\n```", 16, ERR_BAD_JSON, "line 1 column");
}

static void empty_text_is_refused(void **state)
{
    (void)state;
    assert_refused("", 0, ERR_BAD_JSON, "the answer is empty");
    assert_refused(NULL, 0, ERR_BAD_JSON, "the answer is empty");
    assert_refused(" \r\n\t\n", 5, ERR_BAD_JSON, "the answer is empty");
}

static void empty_fences_are_refused(void **state)
{
    (void)state;
    assert_refused("```json\n```", 11, ERR_BAD_JSON, "line 1 column");
}

static void nothing_parseable_reports_the_whole_text_error(void **state)
{
    (void)state;
    const char *text = "I would rather not answer.";
    assert_refused(text, strlen(text), ERR_BAD_JSON, "line 1 column 1: ");
    text = "\nsure\n{\"a\": }";
    assert_refused(text, strlen(text), ERR_BAD_JSON, "line 2 column");
}

static void duplicate_keys_are_refused_everywhere(void **state)
{
    (void)state;
    const char *text = "{\"a\": 1, \"a\": 2}";
    assert_refused(text, strlen(text), ERR_BAD_JSON, "duplicate");
    text = "Here: ```json\n{\"a\": 1, \"a\": 2}\n```";
    assert_refused(text, strlen(text), ERR_BAD_JSON, "line 1 column");
    text = "Here: {\"o\": {\"k\": 1, \"k\": 2}}";
    assert_refused(text, strlen(text), ERR_BAD_JSON, "line 1 column");
}

static void invalid_utf8_is_refused(void **state)
{
    (void)state;
    const char *text = "Here: {\"a\": \"\xff\"}";
    assert_refused(text, strlen(text), ERR_BAD_JSON, "line 1 column");
}

static void embedded_nul_bytes_do_not_stop_the_scan(void **state)
{
    (void)state;
    static const char text[] = "x\0y {\"a\": 1}";
    json_t *out = NULL;
    bool repaired = false;
    assert_ok(repair_json(text, sizeof(text) - 1, &out, &repaired, NULL), NULL);
    assert_true(repaired);
    assert_non_null(json_object_get(out, "a"));
    json_decref(out);
}

/* ---- limits -------------------------------------------------------------------- */

/* A JSON object of exactly n bytes: {"a":"xxx..."}. */
static char *object_of_size(size_t n)
{
    char *text = xmalloc(n + 1);
    memcpy(text, "{\"a\":\"", 6);
    memset(text + 6, 'x', n - 8);
    memcpy(text + n - 2, "\"}", 3);
    return text;
}

static void input_of_exactly_one_mib_is_accepted(void **state)
{
    (void)state;
    size_t n = (size_t)1 << 20;
    char *text = object_of_size(n);
    json_t *out = NULL;
    struct err e = ERR_INIT;
    assert_ok(repair_json(text, n, &out, NULL, &e), &e);
    assert_int_equal(json_string_length(json_object_get(out, "a")), n - 8);
    json_decref(out);
    free(text);
}

static void input_over_one_mib_is_too_large(void **state)
{
    (void)state;
    size_t n = ((size_t)1 << 20) + 1;
    char *text = object_of_size(n);
    assert_refused(text, n, ERR_TOO_LARGE, "the answer is 1048577 bytes, more than the 1048576");
    free(text);
}

/* Prose with `strays` unclosed '{' and then an object. */
static char *strays_then_object(int strays)
{
    size_t n = (size_t)strays * 4 + 64;
    char *text = xmalloc(n);
    size_t len = 0;
    for (int i = 0; i < strays; i++) {
        memcpy(text + len, "a { ", 4);
        len += 4;
    }
    snprintf(text + len, n - len, "{\"a\": 1}");
    return text;
}

static void the_candidate_budget_is_sixty_four_starts(void **state)
{
    (void)state;
    /* 63 stray starts and the answer: 64 candidates, found */
    char *text = strays_then_object(63);
    assert_repairs_to(text, "{\"a\": 1}", true);
    free(text);
    /* 64 stray starts: the answer would be the 65th candidate */
    text = strays_then_object(64);
    assert_refused(text, strlen(text), ERR_BAD_JSON, "line 1 column");
    free(text);
}

static void many_unclosed_braces_finish_quickly(void **state)
{
    (void)state;
    size_t n = (size_t)1 << 20;
    char *text = xmalloc(n);
    memset(text, '{', n);
    assert_refused(text, n, ERR_BAD_JSON, "line 1 column");
    memset(text, '"', n);
    assert_refused(text, n, ERR_BAD_JSON, "line 1 column");
    for (size_t i = 0; i < n; i++)
        text[i] = "```{"[i % 4];
    assert_refused(text, n, ERR_BAD_JSON, "line 1 column");
    free(text);
}

/* ---- contracts ----------------------------------------------------------------- */

static void null_repaired_and_err_are_accepted(void **state)
{
    (void)state;
    json_t *out = NULL;
    assert_int_equal(repair_json("x {\"a\": 1}", 10, &out, NULL, NULL), ERR_OK);
    json_decref(out);
    assert_int_equal(repair_json("x", 1, &out, NULL, NULL), ERR_BAD_JSON);
    assert_null(out);
}

static void a_realistic_chat_answer_is_repaired(void **state)
{
    (void)state;
    const char *text =
        "Sure! As Maria, a 34-year-old nurse from Porto, here is how I'd react to the ad:\r\n"
        "\r\n"
        "```json\r\n"
        "{\r\n"
        "  \"actions\": [\r\n"
        "    {\"type\": \"THINK\", \"content\": \"$49/month? That's {a lot} for me.\"},\r\n"
        "    {\"type\": \"TALK\", \"content\": \"I like the idea, but the price... \\\"no\\\".\"},\r\n"
        "    {\"type\": \"DONE\"}\r\n"
        "  ],\r\n"
        "  \"answers\": {\"appeal\": 4, \"buy\": false, \"price\": \"too high\"}\r\n"
        "}\r\n"
        "```\r\n"
        "\r\n"
        "Let me know if you want me to elaborate on any of these points!";
    json_t *out = NULL;
    bool repaired = false;
    struct err e = ERR_INIT;
    assert_ok(repair_json(text, strlen(text), &out, &repaired, &e), &e);
    assert_true(repaired);
    assert_int_equal(json_array_size(json_object_get(out, "actions")), 3);
    const json_t *answers = json_object_get(out, "answers");
    assert_int_equal(json_integer_value(json_object_get(answers, "appeal")), 4);
    assert_string_equal(json_string_value(json_object_get(answers, "price")), "too high");
    const json_t *talk = json_array_get(json_object_get(out, "actions"), 1);
    assert_string_equal(json_string_value(json_object_get(talk, "content")),
                        "I like the idea, but the price... \"no\".");
    json_decref(out);
}

static void a_realistic_answer_without_fences_is_repaired(void **state)
{
    (void)state;
    assert_repairs_to("Okay, thinking about it as Jo\xc3\xa3o {the persona}...\n\n"
                      "{\"appeal\": 8, \"comment\": \"Gosto muito! {sem d\xc3\xbavida}\"}\n\n"
                      "(Note: scores are 0-10.)",
                      "{\"appeal\": 8, \"comment\": \"Gosto muito! {sem d\xc3\xbavida}\"}", true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_object_is_not_marked_repaired),
        cmocka_unit_test(clean_array_is_not_marked_repaired),
        cmocka_unit_test(surrounding_whitespace_is_not_a_repair),
        cmocka_unit_test(only_len_bytes_are_read),
        cmocka_unit_test(leading_prose_is_dropped),
        cmocka_unit_test(trailing_prose_is_dropped),
        cmocka_unit_test(prose_on_both_sides_is_dropped),
        cmocka_unit_test(json_fence_is_unwrapped),
        cmocka_unit_test(bare_fence_is_unwrapped),
        cmocka_unit_test(crlf_fence_is_unwrapped),
        cmocka_unit_test(inline_fence_is_unwrapped),
        cmocka_unit_test(unclosed_fence_runs_to_the_end),
        cmocka_unit_test(first_of_two_valid_fences_wins),
        cmocka_unit_test(a_broken_fence_is_passed_for_the_next),
        cmocka_unit_test(fences_of_other_languages_are_skipped),
        cmocka_unit_test(fence_tag_line_text_is_skipped),
        cmocka_unit_test(longer_fences_are_accepted),
        cmocka_unit_test(braces_inside_strings_do_not_count),
        cmocka_unit_test(escaped_quotes_inside_strings_do_not_end_them),
        cmocka_unit_test(an_unbalanced_brace_before_the_answer_is_passed),
        cmocka_unit_test(a_placeholder_before_the_answer_is_passed),
        cmocka_unit_test(the_first_span_that_parses_wins),
        cmocka_unit_test(a_broken_answer_is_not_replaced_by_a_fragment),
        cmocka_unit_test(a_scalar_before_the_answer_is_passed),
        cmocka_unit_test(a_scalar_alone_is_refused),
        cmocka_unit_test(empty_text_is_refused),
        cmocka_unit_test(empty_fences_are_refused),
        cmocka_unit_test(nothing_parseable_reports_the_whole_text_error),
        cmocka_unit_test(duplicate_keys_are_refused_everywhere),
        cmocka_unit_test(invalid_utf8_is_refused),
        cmocka_unit_test(embedded_nul_bytes_do_not_stop_the_scan),
        cmocka_unit_test(input_of_exactly_one_mib_is_accepted),
        cmocka_unit_test(input_over_one_mib_is_too_large),
        cmocka_unit_test(the_candidate_budget_is_sixty_four_starts),
        cmocka_unit_test(many_unclosed_braces_finish_quickly),
        cmocka_unit_test(null_repaired_and_err_are_accepted),
        cmocka_unit_test(a_realistic_chat_answer_is_repaired),
        cmocka_unit_test(a_realistic_answer_without_fences_is_repaired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
