/*
 * tests/unit/core/test_jsonio.c - core/jsonio.h: strict parsing (empty and
 * blank bodies, line and column of a syntax error, duplicate keys, trailing
 * garbage, scalars), the field-table check (unknown, missing, null, wrong
 * type, bounds at min-1/min/max/max+1 for strings, integers, numbers and
 * arrays, paths with a prefix), strings from invalid UTF-8 and compact dumps.
 */
#include "core/compat.h"

#include <float.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/jsonio.h"
#include "core/utf8.h"

#define REPL "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

/* ---- helpers --------------------------------------------------------------------- */

/* Parses a literal that must be valid JSON (test input, not the code under test). */
static json_t *load(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!j)
        fail_msg("test input '%s' is not JSON: %s", text, jerr.text);
    return j;
}

/* jsonio_parse over a C string; returns the code and fills *out and *e. */
static enum err_code parse(const char *text, json_t **out, struct err *e)
{
    return jsonio_parse(text, strlen(text), out, e);
}

/* Asserts that text fails to parse with ERR_BAD_JSON and a message containing want. */
static void assert_parse_fails(const char *text, const char *want)
{
    struct err e = ERR_INIT;
    json_t *out = NULL;
    assert_int_equal(parse(text, &out, &e), ERR_BAD_JSON);
    assert_null(out);
    if (!strstr(e.msg, want))
        fail_msg("message '%s' lacks '%s'", e.msg, want);
}

/* jsonio_check of a JSON literal against fields with a prefix. */
static enum err_code check(const char *text, const struct jfield *fields, size_t n,
                           const char *prefix, struct err *e)
{
    json_t *j = load(text);
    enum err_code rc = jsonio_check(j, fields, n, prefix, e);
    json_decref(j);
    return rc;
}

/* Asserts that text passes fields. */
static void assert_check_ok(const char *text, const struct jfield *fields, size_t n)
{
    struct err e = ERR_INIT;
    if (check(text, fields, n, "", &e) != ERR_OK)
        fail_msg("'%s' was refused: %s", text, e.msg);
}

/* Asserts that text fails fields on field with a message containing want. */
static void assert_check_fails(const char *text, const struct jfield *fields, size_t n,
                               const char *prefix, const char *field, const char *want)
{
    struct err e = ERR_INIT;
    if (check(text, fields, n, prefix, &e) != ERR_INVALID)
        fail_msg("'%s' was accepted", text);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, field);
    if (!strstr(e.msg, want))
        fail_msg("message '%s' lacks '%s'", e.msg, want);
}

/* ---- jsonio_parse ---------------------------------------------------------------- */

static void parse_accepts_an_object(void **state)
{
    (void)state;
    json_t *out = NULL;
    struct err e = ERR_INIT;
    assert_int_equal(parse(" {\"a\": [1, 2], \"b\": \"x\"}\n", &out, &e), ERR_OK);
    assert_true(json_is_object(out));
    assert_int_equal(json_array_size(json_object_get(out, "a")), 2);
    json_decref(out);
}

static void parse_accepts_an_array(void **state)
{
    (void)state;
    json_t *out = NULL;
    assert_int_equal(parse("[1, {}]", &out, NULL), ERR_OK);
    assert_true(json_is_array(out));
    json_decref(out);
}

static void parse_rejects_a_scalar_body(void **state)
{
    (void)state;
    assert_parse_fails("\"text\"", "line 1");
    assert_parse_fails("42", "line 1");
    assert_parse_fails("null", "line 1");
}

static void parse_of_empty_body_is_malformed_json(void **state)
{
    (void)state;
    json_t *out = json_true(); /* a singleton: must be reset to NULL */
    struct err e = ERR_INIT;
    assert_int_equal(jsonio_parse(NULL, 0, &out, &e), ERR_BAD_JSON);
    assert_null(out);
    assert_non_null(strstr(e.msg, "empty"));
    assert_string_equal(e.field, "");
}

static void parse_of_whitespace_only_body_is_malformed_json(void **state)
{
    (void)state;
    assert_parse_fails(" \t\r\n  \n", "empty");
}

static void parse_reports_line_and_column_of_the_error(void **state)
{
    (void)state;
    assert_parse_fails("{\n  \"a\": 1,\n  \"b\": }", "line 3 column 8: ");
    assert_parse_fails("{\n\"name\": tru}", "line 2 column 11: ");
}

static void parse_counts_columns_in_characters_not_bytes(void **state)
{
    (void)state;
    assert_parse_fails("{\"\xc3\xa9\": x}", "line 1 column 7: ");
}

static void parse_rejects_duplicate_keys(void **state)
{
    (void)state;
    assert_parse_fails("{\"a\": 1,\n \"a\": 2}", "duplicate");
    assert_parse_fails("{\"o\": {\"k\": 1, \"k\": 1}}", "duplicate");
}

static void parse_rejects_trailing_garbage(void **state)
{
    (void)state;
    assert_parse_fails("{\"a\": 1} x", "line 1 column 10: ");
    assert_parse_fails("{} {}", "end of file expected");
    assert_parse_fails("[1]]", "end of file expected");
}

static void parse_reads_only_n_bytes(void **state)
{
    (void)state;
    const char *text = "{\"a\":1}garbage";
    json_t *out = NULL;
    assert_int_equal(jsonio_parse(text, 7, &out, NULL), ERR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "a")), 1);
    json_decref(out);
}

static void parse_rejects_invalid_utf8_in_strings(void **state)
{
    (void)state;
    assert_parse_fails("{\"a\": \"\xff\"}", "line 1");
}

static void parse_accepts_null_err(void **state)
{
    (void)state;
    json_t *out = NULL;
    assert_int_equal(parse("{", &out, NULL), ERR_BAD_JSON);
    assert_null(out);
}

/* ---- jsonio_check: presence, nulls, types ---------------------------------------------- */

static const struct jfield person_fields[] = {
    { "name", JF_STRING, JF_REQUIRED, 0, 0 },
    { "age", JF_INT, 0, 0, 0 },
    { "note", JF_STRING, JF_NULLABLE, 0, 0 },
};

static void check_accepts_a_valid_object(void **state)
{
    (void)state;
    assert_check_ok("{\"name\": \"Ada\", \"age\": 36, \"note\": \"x\"}", person_fields,
                    ARRAY_SIZE(person_fields));
}

static void check_accepts_missing_optional_fields(void **state)
{
    (void)state;
    assert_check_ok("{\"name\": \"Ada\"}", person_fields, ARRAY_SIZE(person_fields));
}

static void check_rejects_an_unknown_field(void **state)
{
    (void)state;
    assert_check_fails("{\"name\": \"Ada\", \"nmae\": 1}", person_fields, ARRAY_SIZE(person_fields),
                       "", "nmae", "unknown field 'nmae'");
}

static void check_with_empty_table_rejects_any_key(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    assert_int_equal(check("{}", NULL, 0, "", &e), ERR_OK);
    assert_check_fails("{\"a\": 1}", NULL, 0, "", "a", "unknown field 'a'");
}

static void check_rejects_a_missing_required_field(void **state)
{
    (void)state;
    assert_check_fails("{\"age\": 3}", person_fields, ARRAY_SIZE(person_fields), "", "name",
                       "'name' is required");
}

static void check_rejects_null_without_nullable(void **state)
{
    (void)state;
    assert_check_fails("{\"name\": \"Ada\", \"age\": null}", person_fields,
                       ARRAY_SIZE(person_fields), "", "age", "'age' must be an integer, not null");
}

static void check_accepts_null_with_nullable(void **state)
{
    (void)state;
    assert_check_ok("{\"name\": \"Ada\", \"note\": null}", person_fields,
                    ARRAY_SIZE(person_fields));
}

static void check_treats_null_for_required_nullable_as_missing(void **state)
{
    (void)state;
    static const struct jfield fields[] = {
        { "id", JF_STRING, JF_REQUIRED | JF_NULLABLE, 0, 0 },
    };
    assert_check_fails("{\"id\": null}", fields, ARRAY_SIZE(fields), "", "id", "'id' is required");
}

static void check_rejects_a_wrong_type_naming_the_prefixed_path(void **state)
{
    (void)state;
    static const struct jfield fields[] = {
        { "model", JF_STRING, JF_REQUIRED, 0, 0 },
    };
    assert_check_fails("{\"model\": 4}", fields, ARRAY_SIZE(fields), "config", "config.model",
                       "'config.model' must be a string (got integer)");
}

static void check_reports_unknown_fields_with_the_prefix(void **state)
{
    (void)state;
    assert_check_fails("{\"name\": \"x\", \"extra\": true}", person_fields,
                       ARRAY_SIZE(person_fields), "config", "config.extra",
                       "unknown field 'config.extra'");
}

static void check_rejects_a_body_that_is_not_an_object(void **state)
{
    (void)state;
    assert_check_fails("[1]", person_fields, ARRAY_SIZE(person_fields), "", "",
                       "must be an object (got array)");
    assert_check_fails("\"s\"", person_fields, ARRAY_SIZE(person_fields), "config", "config",
                       "config must be an object (got string)");
}

static void check_of_null_pointer_is_refused(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    assert_int_equal(jsonio_check(NULL, person_fields, ARRAY_SIZE(person_fields), NULL, &e),
                     ERR_INVALID);
    assert_non_null(strstr(e.msg, "got nothing"));
}

static void check_int_refuses_a_real(void **state)
{
    (void)state;
    assert_check_fails("{\"name\": \"x\", \"age\": 3.0}", person_fields, ARRAY_SIZE(person_fields),
                       "", "age", "must be an integer (got number)");
}

static void check_types_accept_only_their_json_kinds(void **state)
{
    (void)state;
    static const struct jfield fields[] = {
        { "n", JF_NUMBER, 0, 0, 0 }, { "b", JF_BOOL, 0, 0, 0 },  { "o", JF_OBJECT, 0, 0, 0 },
        { "a", JF_ARRAY, 0, 0, 0 },  { "any", JF_ANY, 0, 0, 0 },
    };
    size_t n = ARRAY_SIZE(fields);
    assert_check_ok("{\"n\": 1, \"b\": false, \"o\": {}, \"a\": [], \"any\": \"s\"}", fields, n);
    assert_check_ok("{\"n\": 1.5, \"b\": true, \"any\": [1]}", fields, n);
    assert_check_fails("{\"n\": \"1\"}", fields, n, "", "n", "must be a number (got string)");
    assert_check_fails("{\"b\": 0}", fields, n, "", "b", "must be true or false (got integer)");
    assert_check_fails("{\"o\": []}", fields, n, "", "o", "must be an object (got array)");
    assert_check_fails("{\"a\": {}}", fields, n, "", "a", "must be an array (got object)");
    assert_check_fails("{\"any\": null}", fields, n, "", "any", "not null");
}

/* ---- jsonio_check: bounds ------------------------------------------------------------- */

static const struct jfield bounded_fields[] = {
    { "s", JF_STRING, JF_BOUNDED, 2, 4 }, { "i", JF_INT, JF_BOUNDED, -5, 10 },
    { "x", JF_NUMBER, JF_BOUNDED, 0, 1 }, { "a", JF_ARRAY, JF_BOUNDED, 1, 3 },
    { "e", JF_STRING, JF_BOUNDED, 1, 3 }, { "u", JF_STRING, 0, 2, 4 },
};

#define BF bounded_fields, ARRAY_SIZE(bounded_fields)

static void check_string_length_counts_characters_at_each_bound(void **state)
{
    (void)state;
    /* "é" is two bytes but one character */
    assert_check_fails("{\"s\": \"\xc3\xa9\"}", BF, "", "s",
                       "must be 2 to 4 characters long (got 1)");
    assert_check_ok("{\"s\": \"\xc3\xa9\xc3\xa9\"}", BF);
    assert_check_ok("{\"s\": \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z\"}", BF);
    assert_check_fails("{\"s\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}", BF, "", "s",
                       "(got 5)");
}

static void check_string_counts_escaped_characters_once(void **state)
{
    (void)state;
    assert_check_ok("{\"s\": \"\\u00e9\\n\\\"\\\\\"}", BF);
    assert_check_fails("{\"s\": \"\\ud83d\\ude00\"}", BF, "", "s", "(got 1)");
}

static void check_empty_string_with_positive_min_says_empty(void **state)
{
    (void)state;
    assert_check_fails("{\"e\": \"\"}", BF, "", "e", "'e' must not be empty");
}

static void check_ignores_bounds_without_bounded_flag(void **state)
{
    (void)state;
    assert_check_ok("{\"u\": \"\"}", BF);
    assert_check_ok("{\"u\": \"much longer than four\"}", BF);
}

static void check_int_bounds_at_min_minus_one_min_max_and_max_plus_one(void **state)
{
    (void)state;
    assert_check_fails("{\"i\": -6}", BF, "", "i", "'i' must be between -5 and 10 (got -6)");
    assert_check_ok("{\"i\": -5}", BF);
    assert_check_ok("{\"i\": 10}", BF);
    assert_check_fails("{\"i\": 11}", BF, "", "i", "(got 11)");
}

static void check_int_bounds_at_the_int64_extremes(void **state)
{
    (void)state;
    static const struct jfield fields[] = {
        { "lo", JF_INT, JF_BOUNDED, INT64_MIN + 1, INT64_MAX - 1 },
    };
    size_t n = ARRAY_SIZE(fields);
    assert_check_fails("{\"lo\": -9223372036854775808}", fields, n, "", "lo", "(got ");
    assert_check_ok("{\"lo\": -9223372036854775807}", fields, n);
    assert_check_ok("{\"lo\": 9223372036854775806}", fields, n);
    assert_check_fails("{\"lo\": 9223372036854775807}", fields, n, "", "lo", "(got ");
}

static void check_number_bounds_apply_to_reals_and_integers(void **state)
{
    (void)state;
    assert_check_fails("{\"x\": -0.001}", BF, "", "x", "must be between 0 and 1");
    assert_check_ok("{\"x\": 0}", BF);
    assert_check_ok("{\"x\": 1.0}", BF);
    assert_check_fails("{\"x\": 1.001}", BF, "", "x", "must be between 0 and 1");
    assert_check_fails("{\"x\": 2}", BF, "", "x", "must be between 0 and 1");
}

static void check_array_length_bounds(void **state)
{
    (void)state;
    assert_check_fails("{\"a\": []}", BF, "", "a", "'a' must have 1 to 3 items (got 0)");
    assert_check_ok("{\"a\": [1]}", BF);
    assert_check_ok("{\"a\": [1, 2, 3]}", BF);
    assert_check_fails("{\"a\": [1, 2, 3, 4]}", BF, "", "a", "(got 4)");
}

static void check_bound_errors_use_the_prefixed_path(void **state)
{
    (void)state;
    assert_check_fails("{\"i\": 99}", BF, "run.config", "run.config.i", "'run.config.i' must be");
}

/* ---- strings and output ---------------------------------------------------------------- */

static void utf8_chars_counts_characters(void **state)
{
    (void)state;
    assert_int_equal(utf8_chars("", 0), 0);
    assert_int_equal(utf8_chars("abc", 3), 3);
    assert_int_equal(utf8_chars("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10), 4);
}

static void string_keeps_valid_utf8(void **state)
{
    (void)state;
    json_t *j = jsonio_string("caf\xc3\xa9", 5);
    assert_string_equal(json_string_value(j), "caf\xc3\xa9");
    json_decref(j);
}

static void string_replaces_invalid_utf8_with_u_fffd(void **state)
{
    (void)state;
    json_t *j = jsonio_string("a\xff"
                              "b\xed\xa0\x80",
                              6);
    assert_non_null(j);
    assert_string_equal(json_string_value(j), "a" REPL "b" REPL REPL REPL);
    json_decref(j);
}

static void string_of_only_invalid_bytes_is_all_replacements(void **state)
{
    (void)state;
    json_t *j = jsonio_string("\x80\x80", 2);
    assert_string_equal(json_string_value(j), REPL REPL);
    json_decref(j);
}

static void string_keeps_embedded_nul_and_length(void **state)
{
    (void)state;
    json_t *j = jsonio_string("a\0b", 3);
    assert_int_equal(json_string_length(j), 3);
    assert_memory_equal(json_string_value(j), "a\0b", 3);
    json_decref(j);
}

static void string_of_empty_input_is_empty(void **state)
{
    (void)state;
    json_t *j = jsonio_string("", 0);
    assert_string_equal(json_string_value(j), "");
    json_decref(j);
}

static void set_str_writes_string_or_null(void **state)
{
    (void)state;
    json_t *o = json_object();
    jsonio_set_str(o, "a", "x\xff");
    jsonio_set_str(o, "b", NULL);
    assert_string_equal(json_string_value(json_object_get(o, "a")), "x" REPL);
    assert_true(json_is_null(json_object_get(o, "b")));
    json_decref(o);
}

static void set_new_steals_the_value(void **state)
{
    (void)state;
    json_t *o = json_object();
    json_t *v = json_integer(7);
    jsonio_set_new(o, "v", v);
    assert_int_equal(v->refcount, 1); /* owned by o alone */
    assert_ptr_equal(json_object_get(o, "v"), v);
    json_decref(o);
}

static void dump_is_compact(void **state)
{
    (void)state;
    json_t *j = load("{\"a\": [1, 2], \"b\": {\"c\": \"d\"}}");
    size_t len = 0;
    char *s = jsonio_dump(j, JSON_SORT_KEYS, &len);
    assert_string_equal(s, "{\"a\":[1,2],\"b\":{\"c\":\"d\"}}");
    assert_int_equal(len, strlen(s));
    free(s);
    json_decref(j);
}

/* Found by fuzz_json_body: 15 digits wrote DBL_MAX as 1.79769313486232e308, which overflows. */
static void dump_of_a_real_next_to_the_largest_double_parses_again(void **state)
{
    (void)state;
    json_t *j = json_pack("{s:f,s:f}", "max", DBL_MAX, "small", 7.2);
    size_t len = 0;
    char *s = jsonio_dump(j, JSON_SORT_KEYS, &len);
    json_t *again = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(jsonio_parse(s, len, &again, &err), ERR_OK);
    assert_true(json_real_value(json_object_get(again, "max")) == DBL_MAX);
    json_decref(again);
    free(s);
    json_decref(j);
}

static void dump_keeps_non_ascii_unescaped_and_accepts_null_len(void **state)
{
    (void)state;
    json_t *j = load("[\"\xc3\xa9\", \"\\n\"]");
    char *s = jsonio_dump(j, 0, NULL);
    assert_string_equal(s, "[\"\xc3\xa9\",\"\\n\"]");
    free(s);
    json_decref(j);
}

static void dump_sorts_keys_when_asked(void **state)
{
    (void)state;
    json_t *j = json_object();
    jsonio_set_new(j, "zeta", json_integer(1));
    jsonio_set_new(j, "alpha", json_integer(2));
    char *s = jsonio_dump(j, JSON_SORT_KEYS, NULL);
    assert_string_equal(s, "{\"alpha\":2,\"zeta\":1}");
    free(s);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_accepts_an_object),
        cmocka_unit_test(parse_accepts_an_array),
        cmocka_unit_test(parse_rejects_a_scalar_body),
        cmocka_unit_test(parse_of_empty_body_is_malformed_json),
        cmocka_unit_test(parse_of_whitespace_only_body_is_malformed_json),
        cmocka_unit_test(parse_reports_line_and_column_of_the_error),
        cmocka_unit_test(parse_counts_columns_in_characters_not_bytes),
        cmocka_unit_test(parse_rejects_duplicate_keys),
        cmocka_unit_test(parse_rejects_trailing_garbage),
        cmocka_unit_test(parse_reads_only_n_bytes),
        cmocka_unit_test(parse_rejects_invalid_utf8_in_strings),
        cmocka_unit_test(parse_accepts_null_err),
        cmocka_unit_test(check_accepts_a_valid_object),
        cmocka_unit_test(check_accepts_missing_optional_fields),
        cmocka_unit_test(check_rejects_an_unknown_field),
        cmocka_unit_test(check_with_empty_table_rejects_any_key),
        cmocka_unit_test(check_rejects_a_missing_required_field),
        cmocka_unit_test(check_rejects_null_without_nullable),
        cmocka_unit_test(check_accepts_null_with_nullable),
        cmocka_unit_test(check_treats_null_for_required_nullable_as_missing),
        cmocka_unit_test(check_rejects_a_wrong_type_naming_the_prefixed_path),
        cmocka_unit_test(check_reports_unknown_fields_with_the_prefix),
        cmocka_unit_test(check_rejects_a_body_that_is_not_an_object),
        cmocka_unit_test(check_of_null_pointer_is_refused),
        cmocka_unit_test(check_int_refuses_a_real),
        cmocka_unit_test(check_types_accept_only_their_json_kinds),
        cmocka_unit_test(check_string_length_counts_characters_at_each_bound),
        cmocka_unit_test(check_string_counts_escaped_characters_once),
        cmocka_unit_test(check_empty_string_with_positive_min_says_empty),
        cmocka_unit_test(check_ignores_bounds_without_bounded_flag),
        cmocka_unit_test(check_int_bounds_at_min_minus_one_min_max_and_max_plus_one),
        cmocka_unit_test(check_int_bounds_at_the_int64_extremes),
        cmocka_unit_test(check_number_bounds_apply_to_reals_and_integers),
        cmocka_unit_test(check_array_length_bounds),
        cmocka_unit_test(check_bound_errors_use_the_prefixed_path),
        cmocka_unit_test(utf8_chars_counts_characters),
        cmocka_unit_test(string_keeps_valid_utf8),
        cmocka_unit_test(string_replaces_invalid_utf8_with_u_fffd),
        cmocka_unit_test(string_of_only_invalid_bytes_is_all_replacements),
        cmocka_unit_test(string_keeps_embedded_nul_and_length),
        cmocka_unit_test(string_of_empty_input_is_empty),
        cmocka_unit_test(set_str_writes_string_or_null),
        cmocka_unit_test(set_new_steals_the_value),
        cmocka_unit_test(dump_is_compact),
        cmocka_unit_test(dump_of_a_real_next_to_the_largest_double_parses_again),
        cmocka_unit_test(dump_keeps_non_ascii_unescaped_and_accepts_null_len),
        cmocka_unit_test(dump_sorts_keys_when_asked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
