/*
 * tests/unit/core/test_span.c - struct span (core/span.h): comparisons that
 * never read past len, trim and cut, and the checked integer parsers at
 * every boundary (empty, sign only, overflow by one, INT64_MIN, range).
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "core/span.h"

/* The span of a string literal without its NUL. */
#define S(lit) SPAN_LIT(lit)

/* A span over the first n bytes of s (which may continue past n). */
static struct span prefix_of(const char *s, size_t n)
{
    return span_make(s, n);
}

/* span_parse_i64 over a literal, with [min, max]; *out set only on success. */
static bool parse_i64(const char *text, int64_t min, int64_t max, int64_t *out)
{
    return span_parse_i64(span_cstr(text), min, max, out);
}

static bool parse_u64(const char *text, uint64_t max, uint64_t *out)
{
    return span_parse_u64(span_cstr(text), max, out);
}

/* Asserts that text does not parse as an int64 in the full range and *out stays. */
static void assert_i64_rejected(const char *text)
{
    int64_t v = 12345;
    if (parse_i64(text, INT64_MIN, INT64_MAX, &v))
        fail_msg("'%s' was accepted", text);
    assert_int_equal(v, 12345);
}

static void assert_u64_rejected(const char *text)
{
    uint64_t v = 12345;
    if (parse_u64(text, UINT64_MAX, &v))
        fail_msg("'%s' was accepted", text);
    assert_int_equal(v, 12345);
}

/* ---- construction and equality ------------------------------------------------- */

static void cstr_of_null_is_the_empty_span(void **state)
{
    (void)state;
    struct span s = span_cstr(NULL);
    assert_int_equal(s.len, 0);
    assert_int_equal(span_cstr("abc").len, 3);
    assert_int_equal(SPAN_LIT("abcd").len, 4);
}

static void eq_compares_length_and_bytes(void **state)
{
    (void)state;
    assert_true(span_eq(S("abc"), S("abc")));
    assert_false(span_eq(S("abc"), S("abd")));
    assert_false(span_eq(S("abc"), S("ab")));
    assert_false(span_eq(S("ab"), S("abc")));
    assert_true(span_eq(S("a\0b"), S("a\0b")));
    assert_false(span_eq(S("a\0b"), S("a\0c")));
}

static void eq_of_empty_spans_is_true_even_with_null_pointers(void **state)
{
    (void)state;
    assert_true(span_eq(span_cstr(NULL), S("")));
    assert_true(span_eq(span_make(NULL, 0), span_make(NULL, 0)));
    assert_false(span_eq(span_cstr(NULL), S("a")));
}

static void eq_cstr_compares_whole_span_with_string(void **state)
{
    (void)state;
    const char *text = "content-type: json";
    assert_true(span_eq_cstr(prefix_of(text, 12), "content-type"));
    assert_false(span_eq_cstr(prefix_of(text, 12), "content-typ"));
    assert_false(span_eq_cstr(prefix_of(text, 11), "content-type"));
    assert_true(span_eq_cstr(span_cstr(NULL), ""));
}

static void eq_nocase_ignores_ascii_case_only(void **state)
{
    (void)state;
    assert_true(span_eq_nocase(S("Content-Type"), "content-TYPE"));
    assert_false(span_eq_nocase(S("Content-Type"), "content-typ"));
    assert_false(span_eq_nocase(S("abc"), "abd"));
    assert_true(span_eq_nocase(S(""), ""));
    assert_true(span_eq_nocase(span_cstr(NULL), ""));
}

static void eq_nocase_does_not_read_past_len(void **state)
{
    (void)state;
    const char *text = "GETX";
    assert_true(span_eq_nocase(prefix_of(text, 3), "get"));
    assert_false(span_eq_nocase(prefix_of(text, 3), "getx"));
}

/* ---- prefixes and suffixes --------------------------------------------------- */

static void starts_with_checks_the_prefix(void **state)
{
    (void)state;
    assert_true(span_starts_with(S("/v1/personas"), "/v1/"));
    assert_true(span_starts_with(S("/v1/"), "/v1/"));
    assert_false(span_starts_with(S("/v1"), "/v1/"));
    assert_false(span_starts_with(S("/v2/personas"), "/v1/"));
    assert_true(span_starts_with(S("abc"), ""));
}

static void starts_with_empty_prefix_holds_for_the_empty_span(void **state)
{
    (void)state;
    assert_true(span_starts_with(S(""), ""));
    assert_true(span_starts_with(span_cstr(NULL), ""));
    assert_false(span_starts_with(span_cstr(NULL), "a"));
}

static void starts_with_does_not_read_past_len(void **state)
{
    (void)state;
    assert_false(span_starts_with(prefix_of("abcdef", 2), "abc"));
}

static void ends_with_checks_the_suffix(void **state)
{
    (void)state;
    assert_true(span_ends_with(S("report.csv"), ".csv"));
    assert_true(span_ends_with(S(".csv"), ".csv"));
    assert_false(span_ends_with(S("csv"), ".csv"));
    assert_false(span_ends_with(S("report.html"), ".csv"));
    assert_true(span_ends_with(S("abc"), ""));
}

static void ends_with_empty_suffix_holds_for_the_empty_span(void **state)
{
    (void)state;
    assert_true(span_ends_with(S(""), ""));
    assert_true(span_ends_with(span_cstr(NULL), ""));
    assert_false(span_ends_with(span_cstr(NULL), "a"));
}

static void ends_with_looks_at_the_end_of_the_span_not_the_string(void **state)
{
    (void)state;
    assert_true(span_ends_with(prefix_of("abc.csv!", 7), ".csv"));
    assert_false(span_ends_with(prefix_of("abc.csv!", 8), ".csv"));
}

/* ---- trim ------------------------------------------------------------------------ */

static void trim_strips_spaces_and_tabs_from_both_ends(void **state)
{
    (void)state;
    struct span t = span_trim(S(" \t value with  spaces\t "));
    assert_true(span_eq_cstr(t, "value with  spaces"));
}

static void trim_keeps_other_whitespace(void **state)
{
    (void)state;
    struct span t = span_trim(S("\n x \r"));
    assert_true(span_eq_cstr(t, "\n x \r"));
}

static void trim_of_blank_or_empty_span_is_empty(void **state)
{
    (void)state;
    assert_int_equal(span_trim(S(" \t  ")).len, 0);
    assert_int_equal(span_trim(S("")).len, 0);
    assert_int_equal(span_trim(span_cstr(NULL)).len, 0);
    assert_true(span_eq_cstr(span_trim(S("x")), "x"));
}

/* ---- cut --------------------------------------------------------------------------- */

static void cut_splits_at_the_first_separator(void **state)
{
    (void)state;
    struct span rest = S("key=value=more");
    struct span head = span_cut(&rest, '=');
    assert_true(span_eq_cstr(head, "key"));
    assert_true(span_eq_cstr(rest, "value=more"));
}

static void cut_walks_every_field_including_empty_ones(void **state)
{
    (void)state;
    static const char *const want[] = { "a", "bb", "", "c" };
    struct span rest = S("a,bb,,c");
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        struct span f = span_cut(&rest, ',');
        if (!span_eq_cstr(f, want[i]))
            fail_msg("field %zu is '%.*s', want '%s'", i, SPAN_FMT(f), want[i]);
    }
    assert_int_equal(rest.len, 0);
}

static void cut_without_separator_returns_everything_and_empties_rest(void **state)
{
    (void)state;
    const char *text = "no-separator";
    struct span rest = span_cstr(text);
    struct span head = span_cut(&rest, ',');
    assert_true(span_eq_cstr(head, "no-separator"));
    assert_int_equal(rest.len, 0);
    assert_ptr_equal(rest.ptr, text + strlen(text));
}

static void cut_with_separator_last_leaves_empty_rest(void **state)
{
    (void)state;
    struct span rest = S("abc,");
    struct span head = span_cut(&rest, ',');
    assert_true(span_eq_cstr(head, "abc"));
    assert_int_equal(rest.len, 0);
}

static void cut_with_separator_first_gives_empty_head(void **state)
{
    (void)state;
    struct span rest = S(",abc");
    struct span head = span_cut(&rest, ',');
    assert_int_equal(head.len, 0);
    assert_true(span_eq_cstr(rest, "abc"));
}

static void cut_of_empty_span_gives_two_empty_spans(void **state)
{
    (void)state;
    struct span rest = S("");
    struct span head = span_cut(&rest, ',');
    assert_int_equal(head.len, 0);
    assert_int_equal(rest.len, 0);
    rest = span_cstr(NULL);
    head = span_cut(&rest, ',');
    assert_int_equal(head.len, 0);
    assert_int_equal(rest.len, 0);
}

static void cut_does_not_find_separator_past_len(void **state)
{
    (void)state;
    struct span rest = prefix_of("ab,c", 2);
    struct span head = span_cut(&rest, ',');
    assert_true(span_eq_cstr(head, "ab"));
    assert_int_equal(rest.len, 0);
}

/* ---- span_parse_u64 ---------------------------------------------------------------- */

static void parse_u64_accepts_zero_and_plain_numbers(void **state)
{
    (void)state;
    uint64_t v = 1;
    assert_true(parse_u64("0", UINT64_MAX, &v));
    assert_int_equal(v, 0);
    assert_true(parse_u64("8080", UINT64_MAX, &v));
    assert_int_equal(v, 8080);
    assert_true(parse_u64("007", UINT64_MAX, &v));
    assert_int_equal(v, 7);
}

static void parse_u64_accepts_uint64_max(void **state)
{
    (void)state;
    uint64_t v = 0;
    assert_true(parse_u64("18446744073709551615", UINT64_MAX, &v));
    assert_true(v == UINT64_MAX);
}

static void parse_u64_rejects_uint64_max_plus_one(void **state)
{
    (void)state;
    assert_u64_rejected("18446744073709551616");
    assert_u64_rejected("18446744073709551620");
    assert_u64_rejected("99999999999999999999999");
}

static void parse_u64_rejects_empty_signs_spaces_and_junk(void **state)
{
    (void)state;
    assert_u64_rejected("");
    assert_u64_rejected("+");
    assert_u64_rejected("-");
    assert_u64_rejected("+1");
    assert_u64_rejected("-1");
    assert_u64_rejected(" 1");
    assert_u64_rejected("1 ");
    assert_u64_rejected("1a");
    assert_u64_rejected("0x10");
    assert_u64_rejected("1.0");
}

static void parse_u64_checks_max_at_the_limit(void **state)
{
    (void)state;
    uint64_t v = 7;
    assert_true(parse_u64("65535", 65535, &v));
    assert_int_equal(v, 65535);
    v = 7;
    assert_false(parse_u64("65536", 65535, &v));
    assert_int_equal(v, 7);
    assert_true(parse_u64("0", 0, &v));
    assert_int_equal(v, 0);
    assert_false(parse_u64("1", 0, &v));
}

static void parse_u64_reads_only_len_bytes(void **state)
{
    (void)state;
    uint64_t v = 0;
    assert_true(span_parse_u64(prefix_of("123abc", 3), UINT64_MAX, &v));
    assert_int_equal(v, 123);
}

/* ---- span_parse_i64 ---------------------------------------------------------------- */

static void parse_i64_accepts_signs(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_true(parse_i64("-42", INT64_MIN, INT64_MAX, &v));
    assert_int_equal(v, -42);
    assert_true(parse_i64("+42", INT64_MIN, INT64_MAX, &v));
    assert_int_equal(v, 42);
    assert_true(parse_i64("-0", INT64_MIN, INT64_MAX, &v));
    assert_int_equal(v, 0);
}

static void parse_i64_accepts_int64_min_and_max(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_true(parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v));
    assert_true(v == INT64_MIN);
    assert_true(parse_i64("9223372036854775807", INT64_MIN, INT64_MAX, &v));
    assert_true(v == INT64_MAX);
}

static void parse_i64_rejects_overflow_by_one(void **state)
{
    (void)state;
    assert_i64_rejected("-9223372036854775809");
    assert_i64_rejected("9223372036854775808");
    assert_i64_rejected("+9223372036854775808");
    assert_i64_rejected("18446744073709551616");
}

static void parse_i64_rejects_empty_sign_only_spaces_and_junk(void **state)
{
    (void)state;
    assert_i64_rejected("");
    assert_i64_rejected("-");
    assert_i64_rejected("+");
    assert_i64_rejected("--1");
    assert_i64_rejected("+-1");
    assert_i64_rejected(" 1");
    assert_i64_rejected("1 ");
    assert_i64_rejected("- 1");
    assert_i64_rejected("1e3");
    assert_i64_rejected("12-");
}

static void parse_i64_checks_range_at_both_limits(void **state)
{
    (void)state;
    int64_t v = 99;
    assert_false(parse_i64("-11", -10, 10, &v));
    assert_int_equal(v, 99);
    assert_true(parse_i64("-10", -10, 10, &v));
    assert_int_equal(v, -10);
    assert_true(parse_i64("10", -10, 10, &v));
    assert_int_equal(v, 10);
    v = 99;
    assert_false(parse_i64("11", -10, 10, &v));
    assert_int_equal(v, 99);
}

static void parse_i64_with_single_value_range_accepts_only_it(void **state)
{
    (void)state;
    int64_t v = 99;
    assert_true(parse_i64("0", 0, 0, &v));
    assert_int_equal(v, 0);
    assert_false(parse_i64("1", 0, 0, &v));
    assert_false(parse_i64("-1", 0, 0, &v));
}

static void parse_i64_reads_only_len_bytes(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_true(span_parse_i64(prefix_of("-15,3", 3), INT64_MIN, INT64_MAX, &v));
    assert_int_equal(v, -15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cstr_of_null_is_the_empty_span),
        cmocka_unit_test(eq_compares_length_and_bytes),
        cmocka_unit_test(eq_of_empty_spans_is_true_even_with_null_pointers),
        cmocka_unit_test(eq_cstr_compares_whole_span_with_string),
        cmocka_unit_test(eq_nocase_ignores_ascii_case_only),
        cmocka_unit_test(eq_nocase_does_not_read_past_len),
        cmocka_unit_test(starts_with_checks_the_prefix),
        cmocka_unit_test(starts_with_empty_prefix_holds_for_the_empty_span),
        cmocka_unit_test(starts_with_does_not_read_past_len),
        cmocka_unit_test(ends_with_checks_the_suffix),
        cmocka_unit_test(ends_with_empty_suffix_holds_for_the_empty_span),
        cmocka_unit_test(ends_with_looks_at_the_end_of_the_span_not_the_string),
        cmocka_unit_test(trim_strips_spaces_and_tabs_from_both_ends),
        cmocka_unit_test(trim_keeps_other_whitespace),
        cmocka_unit_test(trim_of_blank_or_empty_span_is_empty),
        cmocka_unit_test(cut_splits_at_the_first_separator),
        cmocka_unit_test(cut_walks_every_field_including_empty_ones),
        cmocka_unit_test(cut_without_separator_returns_everything_and_empties_rest),
        cmocka_unit_test(cut_with_separator_last_leaves_empty_rest),
        cmocka_unit_test(cut_with_separator_first_gives_empty_head),
        cmocka_unit_test(cut_of_empty_span_gives_two_empty_spans),
        cmocka_unit_test(cut_does_not_find_separator_past_len),
        cmocka_unit_test(parse_u64_accepts_zero_and_plain_numbers),
        cmocka_unit_test(parse_u64_accepts_uint64_max),
        cmocka_unit_test(parse_u64_rejects_uint64_max_plus_one),
        cmocka_unit_test(parse_u64_rejects_empty_signs_spaces_and_junk),
        cmocka_unit_test(parse_u64_checks_max_at_the_limit),
        cmocka_unit_test(parse_u64_reads_only_len_bytes),
        cmocka_unit_test(parse_i64_accepts_signs),
        cmocka_unit_test(parse_i64_accepts_int64_min_and_max),
        cmocka_unit_test(parse_i64_rejects_overflow_by_one),
        cmocka_unit_test(parse_i64_rejects_empty_sign_only_spaces_and_junk),
        cmocka_unit_test(parse_i64_checks_range_at_both_limits),
        cmocka_unit_test(parse_i64_with_single_value_range_accepts_only_it),
        cmocka_unit_test(parse_i64_reads_only_len_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
