/*
 * tests/unit/llm/test_schema_example.c - schema_example(): the value built
 * for each keyword of the subset, the bounds at and next to their limits,
 * strings cut on UTF-8 boundaries, unsatisfiable schemas giving NULL, the
 * depth bound, and every example of a corpus of schemas passing
 * schema_validate. Single-threaded.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/jsonio.h"
#include "llm/schema.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

/* Parses a schema written in the test (it must be valid JSON). */
static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!j)
        fail_msg("bad test JSON at %d:%d: %s\n%s", jerr.line, jerr.column, jerr.text, text);
    return j;
}

/* The example of schema_text with seed, serialised compactly; NULL when none. */
static char *example_text(const char *schema_text, const char *seed)
{
    json_t *schema = parse(schema_text);
    json_t *v = schema_example(schema, seed);
    char *out = v ? jsonio_dump(v, JSON_ENCODE_ANY, NULL) : NULL;
    json_decref(v);
    json_decref(schema);
    return out;
}

/* Asserts the example of schema_text with seed serialises as expected (NULL: none). */
static void expect(const char *schema_text, const char *seed, const char *expected)
{
    char *got = example_text(schema_text, seed);
    if (!expected) {
        if (got)
            fail_msg("expected no example for %s, got %s", schema_text, got);
        return;
    }
    if (!got)
        fail_msg("expected %s for %s, got no example", expected, schema_text);
    assert_string_equal(got, expected);
    free(got);
}

/* Asserts that the example exists and passes schema_validate. */
static void expect_valid(const char *schema_text, const char *seed)
{
    json_t *schema = parse(schema_text);
    struct err err = ERR_INIT;
    assert_ok(schema_check(schema, &err), &err);
    json_t *v = schema_example(schema, seed);
    if (!v)
        fail_msg("no example for %s", schema_text);
    enum err_code rc = schema_validate(schema, v, &err);
    if (rc) {
        char *text = jsonio_dump(v, JSON_ENCODE_ANY, NULL);
        fail_msg("example %s of %s does not validate: %s", text, schema_text, err.msg);
    }
    json_decref(v);
    json_decref(schema);
}

/* ---- objects and arrays ---------------------------------------------------------- */

static void object_holds_only_required_properties(void **state)
{
    (void)state;
    expect("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
           "\"b\":{\"type\":\"string\"},\"c\":{\"type\":\"boolean\"}},\"required\":[\"c\",\"a\"]}",
           "hi", "{\"c\":false,\"a\":0}");
}

static void object_without_required_is_empty(void **state)
{
    (void)state;
    expect("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}", "hi", "{}");
}

static void required_property_without_schema_is_a_string(void **state)
{
    (void)state;
    expect("{\"type\":\"object\",\"required\":[\"why\"]}", "because", "{\"why\":\"because\"}");
}

static void required_property_forbidden_by_additional_properties_is_unsatisfiable(void **state)
{
    (void)state;
    expect("{\"type\":\"object\",\"properties\":{},\"required\":[\"x\"],"
           "\"additionalProperties\":false}",
           "s", NULL);
}

static void required_property_uses_additional_properties_schema(void **state)
{
    (void)state;
    expect("{\"type\":\"object\",\"required\":[\"n\"],\"additionalProperties\":{\"type\":"
           "\"integer\",\"minimum\":7}}",
           "s", "{\"n\":7}");
}

static void array_has_min_items_items(void **state)
{
    (void)state;
    expect("{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":3}", "s", "[0,0,0]");
    expect("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}", "s", "[]");
}

static void array_min_items_above_max_items_is_unsatisfiable(void **state)
{
    (void)state;
    expect("{\"type\":\"array\",\"minItems\":3,\"maxItems\":2}", "s", NULL);
    expect("{\"type\":\"array\",\"minItems\":2,\"maxItems\":2}", "s", "[\"s\",\"s\"]");
}

static void unique_items_are_made_distinct(void **state)
{
    (void)state;
    expect("{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"minimum\":1},\"minItems\":3,"
           "\"uniqueItems\":true}",
           "s", "[1,2,3]");
    expect("{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]},\"minItems\":2,"
           "\"uniqueItems\":true}",
           "s", "[\"a\",\"b\"]");
    expect("{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":2,"
           "\"uniqueItems\":true}",
           "s", "[\"s\",\"1 s\"]");
}

static void unique_items_impossible_is_unsatisfiable(void **state)
{
    (void)state;
    expect("{\"type\":\"array\",\"items\":{\"type\":\"boolean\"},\"minItems\":3,"
           "\"uniqueItems\":true}",
           "s", NULL);
    expect("{\"type\":\"array\",\"items\":{\"enum\":[\"a\"]},\"minItems\":2,"
           "\"uniqueItems\":true}",
           "s", NULL);
}

static void tuple_items_are_used_in_order(void **state)
{
    (void)state;
    expect("{\"type\":\"array\",\"items\":[{\"type\":\"integer\"},{\"type\":\"boolean\"}],"
           "\"minItems\":2}",
           "s", "[0,false]");
}

static void nested_objects_and_arrays(void **state)
{
    (void)state;
    expect("{\"type\":\"object\",\"required\":[\"list\"],\"properties\":{\"list\":{\"type\":"
           "\"array\",\"minItems\":1,\"items\":{\"type\":\"object\",\"required\":[\"id\"],"
           "\"properties\":{\"id\":{\"type\":\"integer\",\"minimum\":1}}}}}}",
           "s", "{\"list\":[{\"id\":1}]}");
}

/* ---- types, enum, const, anyOf -------------------------------------------------------- */

static void type_list_takes_the_first_non_null(void **state)
{
    (void)state;
    expect("{\"type\":[\"null\",\"integer\",\"string\"]}", "s", "0");
    expect("{\"type\":[\"null\"]}", "s", "null");
    expect("{\"type\":\"null\"}", "s", "null");
}

static void unknown_type_is_unsatisfiable(void **state)
{
    (void)state;
    expect("{\"type\":\"date\"}", "s", NULL);
    expect("{\"type\":[\"date\"]}", "s", NULL);
}

static void enum_gives_its_first_member_of_the_type(void **state)
{
    (void)state;
    expect("{\"enum\":[\"red\",\"green\"]}", "s", "\"red\"");
    expect("{\"type\":\"integer\",\"enum\":[\"one\",2,3]}", "s", "2");
    expect("{\"enum\":[]}", "s", NULL);
    expect("{\"type\":\"boolean\",\"enum\":[\"yes\"]}", "s", NULL);
}

static void const_is_copied(void **state)
{
    (void)state;
    expect("{\"const\":{\"k\":[1,2]}}", "s", "{\"k\":[1,2]}");
}

static void any_of_takes_the_first_satisfiable_branch(void **state)
{
    (void)state;
    expect("{\"anyOf\":[{\"type\":\"integer\",\"minimum\":5,\"maximum\":1},{\"type\":"
           "\"boolean\"},{\"type\":\"string\"}]}",
           "s", "false");
    expect("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}", "s", "\"s\"");
    expect("{\"anyOf\":[false]}", "s", NULL);
}

static void empty_and_true_schemas_give_the_seed(void **state)
{
    (void)state;
    expect("{}", "anything", "\"anything\"");
    expect("true", "anything", "\"anything\"");
}

static void false_and_non_schemas_are_unsatisfiable(void **state)
{
    (void)state;
    expect("false", "s", NULL);
    expect("[1]", "s", NULL);
    expect("42", "s", NULL);
}

static void type_is_inferred_from_keywords(void **state)
{
    (void)state;
    expect("{\"required\":[\"a\"],\"properties\":{\"a\":{\"const\":1}}}", "s", "{\"a\":1}");
    expect("{\"items\":{\"type\":\"integer\"},\"minItems\":1}", "s", "[0]");
    expect("{\"minimum\":2.5}", "s", "2.5");
}

/* ---- numbers -------------------------------------------------------------------------- */

static void integer_is_zero_within_bounds(void **state)
{
    (void)state;
    expect("{\"type\":\"integer\"}", "s", "0");
    expect("{\"type\":\"integer\",\"minimum\":-5,\"maximum\":5}", "s", "0");
    expect("{\"type\":\"integer\",\"minimum\":0,\"maximum\":0}", "s", "0");
}

static void integer_takes_the_bound_nearest_zero(void **state)
{
    (void)state;
    expect("{\"type\":\"integer\",\"minimum\":1,\"maximum\":10}", "s", "1");
    expect("{\"type\":\"integer\",\"minimum\":-10,\"maximum\":-3}", "s", "-3");
    expect("{\"type\":\"integer\",\"minimum\":1.5}", "s", "2");
    expect("{\"type\":\"integer\",\"maximum\":-1.5}", "s", "-2");
}

static void integer_exclusive_bounds_in_both_forms(void **state)
{
    (void)state;
    expect("{\"type\":\"integer\",\"exclusiveMinimum\":0}", "s", "1");
    expect("{\"type\":\"integer\",\"exclusiveMaximum\":0}", "s", "-1");
    expect("{\"type\":\"integer\",\"minimum\":0,\"exclusiveMinimum\":true}", "s", "1");
    expect("{\"type\":\"integer\",\"maximum\":0,\"exclusiveMaximum\":true}", "s", "-1");
    expect("{\"type\":\"integer\",\"minimum\":3,\"exclusiveMinimum\":5}", "s", "6");
}

static void integer_without_room_is_unsatisfiable(void **state)
{
    (void)state;
    expect("{\"type\":\"integer\",\"minimum\":5,\"maximum\":4}", "s", NULL);
    expect("{\"type\":\"integer\",\"exclusiveMinimum\":1,\"exclusiveMaximum\":2}", "s", NULL);
    expect("{\"type\":\"integer\",\"minimum\":1.2,\"maximum\":1.8}", "s", NULL);
    expect("{\"type\":\"integer\",\"minimum\":1e300}", "s", NULL);
}

static void number_bounds(void **state)
{
    (void)state;
    expect("{\"type\":\"number\"}", "s", "0");
    expect("{\"type\":\"number\",\"minimum\":0.25}", "s", "0.25");
    expect("{\"type\":\"number\",\"exclusiveMinimum\":0,\"exclusiveMaximum\":1}", "s", "0.5");
    expect("{\"type\":\"number\",\"exclusiveMinimum\":2}", "s", "3");
    expect("{\"type\":\"number\",\"minimum\":2,\"maximum\":1}", "s", NULL);
    expect("{\"type\":\"number\",\"exclusiveMinimum\":1,\"exclusiveMaximum\":1}", "s", NULL);
}

/* ---- strings -------------------------------------------------------------------------- */

static void string_is_the_seed(void **state)
{
    (void)state;
    expect("{\"type\":\"string\"}", "hello world", "\"hello world\"");
}

static void empty_seed_gives_x(void **state)
{
    (void)state;
    expect("{\"type\":\"string\"}", "", "\"x\"");
    json_t *schema = parse("{\"type\":\"string\"}");
    json_t *v = schema_example(schema, NULL);
    assert_string_equal(json_string_value(v), "x");
    json_decref(v);
    json_decref(schema);
}

static void string_is_repeated_up_to_min_length(void **state)
{
    (void)state;
    expect("{\"type\":\"string\",\"minLength\":7}", "abc", "\"abc abc\"");
    expect("{\"type\":\"string\",\"minLength\":8}", "abc", "\"abc abc abc\"");
    expect("{\"type\":\"string\",\"minLength\":3}", "abc", "\"abc\"");
}

static void string_is_cut_to_max_length(void **state)
{
    (void)state;
    expect("{\"type\":\"string\",\"maxLength\":5}", "hello world", "\"hello\"");
    expect("{\"type\":\"string\",\"maxLength\":0}", "hello", "\"\"");
    expect("{\"type\":\"string\",\"minLength\":4,\"maxLength\":4}", "ab", "\"ab a\"");
}

static void string_cut_keeps_utf8_characters_whole(void **state)
{
    (void)state;
    /* "héllo" has 5 characters and 6 bytes; maxLength counts characters */
    expect("{\"type\":\"string\",\"maxLength\":2}", "h\xc3\xa9llo", "\"h\xc3\xa9\"");
    expect("{\"type\":\"string\",\"maxLength\":1}", "\xe2\x82\xac\xe2\x82\xac", "\"\xe2\x82\xac\"");
    expect("{\"type\":\"string\",\"minLength\":3}", "\xf0\x9f\x98\x80",
           "\"\xf0\x9f\x98\x80 \xf0\x9f\x98\x80\"");
}

static void string_min_length_above_max_length_is_unsatisfiable(void **state)
{
    (void)state;
    expect("{\"type\":\"string\",\"minLength\":5,\"maxLength\":4}", "s", NULL);
}

/* ---- bounds on the work --------------------------------------------------------------- */

/* {"type":"object","required":["a"],"properties":{"a": ... depth times ... {}}} */
static char *nested_schema(int depth)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    for (int i = 0; i < depth; i++)
        buf_adds(&b, "{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":");
    buf_adds(&b, "{\"type\":\"integer\"}");
    for (int i = 0; i < depth; i++)
        buf_adds(&b, "}}");
    return buf_detach(&b, NULL);
}

static void nesting_is_bounded(void **state)
{
    (void)state;
    char *ok = nested_schema(10);
    char *got = example_text(ok, "s");
    assert_non_null(got);
    free(got);
    free(ok);
    char *deep = nested_schema(SCHEMA_MAX_DEPTH + 5);
    assert_null(example_text(deep, "s"));
    free(deep);
}

static void huge_counts_are_refused(void **state)
{
    (void)state;
    expect("{\"type\":\"array\",\"minItems\":100000000}", "s", NULL);
    expect("{\"type\":\"string\",\"minLength\":100000000}", "s", NULL);
}

static void keywords_of_the_wrong_type_are_ignored(void **state)
{
    (void)state;
    expect("{\"type\":\"string\",\"minLength\":\"5\"}", "ab", "\"ab\"");
    expect("{\"type\":\"object\",\"required\":\"a\"}", "s", "{}");
    expect("{\"type\":\"integer\",\"minimum\":\"3\"}", "s", "0");
}

/* ---- every example validates ---------------------------------------------------------- */

static void examples_pass_schema_validate(void **state)
{
    (void)state;
    static const char *const schemas[] = {
        "{\"type\":\"object\",\"properties\":{\"appeal\":{\"type\":\"integer\",\"minimum\":1,"
        "\"maximum\":10},\"why\":{\"type\":\"string\",\"minLength\":20,\"maxLength\":40},"
        "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"enum\":[\"price\","
        "\"quality\"]},\"minItems\":1,\"maxItems\":3}},\"required\":[\"appeal\",\"why\","
        "\"tags\"],\"additionalProperties\":false}",
        "{\"type\":\"object\",\"properties\":{\"action\":{\"anyOf\":[{\"type\":\"object\","
        "\"properties\":{\"kind\":{\"const\":\"say\"},\"text\":{\"type\":\"string\"}},"
        "\"required\":[\"kind\",\"text\"]},{\"type\":\"null\"}]}},\"required\":[\"action\"]}",
        "{\"type\":\"array\",\"items\":{\"type\":\"number\",\"exclusiveMinimum\":0,"
        "\"exclusiveMaximum\":1},\"minItems\":4,\"uniqueItems\":true}",
        "{\"type\":[\"string\",\"null\"],\"minLength\":3,\"maxLength\":3}",
        "{\"type\":\"object\",\"properties\":{\"score\":{\"type\":\"number\",\"minimum\":-1,"
        "\"maximum\":1},\"ok\":{\"type\":\"boolean\"},\"n\":{\"type\":\"null\"}},\"required\":"
        "[\"score\",\"ok\",\"n\"]}",
        "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"minItems\":2,"
        "\"uniqueItems\":true,\"items\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":"
        "\"integer\",\"minimum\":1}},\"required\":[\"id\"]}}},\"required\":[\"items\"]}",
        "{\"enum\":[\"a\",1,null]}",
        "{}",
    };
    static const char *const seeds[] = { "", "Rate this product from 1 to 10",
                                         "p\xc3\xa3o de queijo \xe2\x82\xac 3" };
    for (size_t i = 0; i < ARRAY_SIZE(schemas); i++)
        for (size_t k = 0; k < ARRAY_SIZE(seeds); k++)
            expect_valid(schemas[i], seeds[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(object_holds_only_required_properties),
        cmocka_unit_test(object_without_required_is_empty),
        cmocka_unit_test(required_property_without_schema_is_a_string),
        cmocka_unit_test(required_property_forbidden_by_additional_properties_is_unsatisfiable),
        cmocka_unit_test(required_property_uses_additional_properties_schema),
        cmocka_unit_test(array_has_min_items_items),
        cmocka_unit_test(array_min_items_above_max_items_is_unsatisfiable),
        cmocka_unit_test(unique_items_are_made_distinct),
        cmocka_unit_test(unique_items_impossible_is_unsatisfiable),
        cmocka_unit_test(tuple_items_are_used_in_order),
        cmocka_unit_test(nested_objects_and_arrays),
        cmocka_unit_test(type_list_takes_the_first_non_null),
        cmocka_unit_test(unknown_type_is_unsatisfiable),
        cmocka_unit_test(enum_gives_its_first_member_of_the_type),
        cmocka_unit_test(const_is_copied),
        cmocka_unit_test(any_of_takes_the_first_satisfiable_branch),
        cmocka_unit_test(empty_and_true_schemas_give_the_seed),
        cmocka_unit_test(false_and_non_schemas_are_unsatisfiable),
        cmocka_unit_test(type_is_inferred_from_keywords),
        cmocka_unit_test(integer_is_zero_within_bounds),
        cmocka_unit_test(integer_takes_the_bound_nearest_zero),
        cmocka_unit_test(integer_exclusive_bounds_in_both_forms),
        cmocka_unit_test(integer_without_room_is_unsatisfiable),
        cmocka_unit_test(number_bounds),
        cmocka_unit_test(string_is_the_seed),
        cmocka_unit_test(empty_seed_gives_x),
        cmocka_unit_test(string_is_repeated_up_to_min_length),
        cmocka_unit_test(string_is_cut_to_max_length),
        cmocka_unit_test(string_cut_keeps_utf8_characters_whole),
        cmocka_unit_test(string_min_length_above_max_length_is_unsatisfiable),
        cmocka_unit_test(nesting_is_bounded),
        cmocka_unit_test(huge_counts_are_refused),
        cmocka_unit_test(keywords_of_the_wrong_type_are_ignored),
        cmocka_unit_test(examples_pass_schema_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
