/*
 * tests/unit/llm/test_schema.c - llm/schema.h: schema_validate on every
 * keyword of the subset, accepted and refused at its boundary, with the
 * exact message and JSON Pointer a re-ask sends to the model (nested
 * paths, '~' and '/' escaping, the root as "/"), anyOf, the depth limit on
 * values and schemas, the uniqueItems work limit; schema_check on a
 * realistic schema and on each malformed keyword, with the schema path.
 *
 * JSON literals are written with single quotes, which load() turns into
 * double quotes, so that schemas stay readable; \u0000 is allowed in them.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/xalloc.h"
#include "llm/schema.h"

/* ---- helpers ------------------------------------------------------------------- */

/*
 * Parses a test literal with ' standing for " (any JSON value, NUL escapes
 * allowed); fails the test if it is not JSON.
 */
static json_t *load(const char *text)
{
    char *copy = xstrdup(text);
    for (char *c = copy; *c; c++)
        if (*c == '\'')
            *c = '"';
    json_error_t jerr;
    json_t *j = json_loads(copy, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!j)
        fail_msg("test input '%s' is not JSON: %s", copy, jerr.text);
    free(copy);
    return j;
}

/* Validates value against schema (which must pass schema_check); returns the code. */
static enum err_code validate(const char *schema_text, const char *value_text, struct err *e)
{
    json_t *schema = load(schema_text);
    json_t *value = load(value_text);
    struct err ce = ERR_INIT;
    assert_ok(schema_check(schema, &ce), &ce);
    enum err_code rc = schema_validate(schema, value, e);
    json_decref(schema);
    json_decref(value);
    return rc;
}

static void assert_valid(const char *schema_text, const char *value_text)
{
    struct err e = ERR_INIT;
    if (validate(schema_text, value_text, &e) != ERR_OK)
        fail_msg("%s was refused by %s: %s", value_text, schema_text, e.msg);
}

/* Asserts a refusal with exactly this pointer in err->field and this message. */
static void assert_invalid(const char *schema_text, const char *value_text, const char *field,
                           const char *msg)
{
    struct err e = ERR_INIT;
    if (validate(schema_text, value_text, &e) != ERR_INVALID)
        fail_msg("%s was accepted by %s", value_text, schema_text);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, field);
    assert_string_equal(e.msg, msg);
}

/* Asserts that schema_check refuses the schema at field with a message containing want. */
static void assert_bad_schema(const char *schema_text, const char *field, const char *want)
{
    json_t *schema = load(schema_text);
    struct err e = ERR_INIT;
    if (schema_check(schema, &e) != ERR_INVALID)
        fail_msg("schema %s was accepted", schema_text);
    json_decref(schema);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, field);
    assert_contains(e.msg, want);
}

static void assert_good_schema(const char *schema_text)
{
    json_t *schema = load(schema_text);
    struct err e = ERR_INIT;
    assert_ok(schema_check(schema, &e), &e);
    json_decref(schema);
}

/* n arrays nested around a 0: "[[0]]" for n = 2. */
static char *nested_arrays(int n)
{
    struct buf b;
    buf_init(&b, 4096);
    for (int i = 0; i < n; i++)
        buf_addch(&b, '[');
    buf_addch(&b, '0');
    for (int i = 0; i < n; i++)
        buf_addch(&b, ']');
    return buf_detach(&b, NULL);
}

/* A schema of n nested "items" levels below the root: {"items":{"items":{}}} for n = 2. */
static char *nested_items_schema(int n)
{
    struct buf b;
    buf_init(&b, 4096);
    for (int i = 0; i < n; i++)
        buf_adds(&b, "{'items':");
    buf_adds(&b, "{'type':'integer'}");
    for (int i = 0; i < n; i++)
        buf_addch(&b, '}');
    return buf_detach(&b, NULL);
}

/* ---- type ---------------------------------------------------------------------- */

static void type_accepts_each_kind_by_its_name(void **state)
{
    (void)state;
    assert_valid("{'type':'object'}", "{}");
    assert_valid("{'type':'array'}", "[]");
    assert_valid("{'type':'string'}", "''");
    assert_valid("{'type':'number'}", "1.5");
    assert_valid("{'type':'integer'}", "7");
    assert_valid("{'type':'boolean'}", "false");
    assert_valid("{'type':'null'}", "null");
}

static void type_refuses_with_expected_and_got(void **state)
{
    (void)state;
    assert_invalid("{'type':'string'}", "3", "", "/: expected string, got integer");
    assert_invalid("{'type':'object'}", "[]", "", "/: expected object, got array");
    assert_invalid("{'type':'array'}", "{}", "", "/: expected array, got object");
    assert_invalid("{'type':'boolean'}", "0", "", "/: expected boolean, got integer");
    assert_invalid("{'type':'null'}", "false", "", "/: expected null, got boolean");
    assert_invalid("{'type':'number'}", "'1'", "", "/: expected number, got string");
    assert_invalid("{'type':'integer'}", "true", "", "/: expected integer, got boolean");
}

static void type_integer_accepts_a_real_without_fraction(void **state)
{
    (void)state;
    assert_valid("{'type':'integer'}", "2.0");
    assert_valid("{'type':'integer'}", "-0.0");
    assert_valid("{'type':'integer'}", "1e3");
    assert_invalid("{'type':'integer'}", "2.5", "", "/: expected integer, got number");
}

static void type_number_accepts_integers_and_reals(void **state)
{
    (void)state;
    assert_valid("{'type':'number'}", "3");
    assert_valid("{'type':'number'}", "-3.25");
}

static void type_array_of_names_accepts_any_and_lists_them(void **state)
{
    (void)state;
    assert_valid("{'type':['string','null']}", "null");
    assert_valid("{'type':['string','null']}", "'x'");
    assert_invalid("{'type':['string','null']}", "1", "",
                   "/: expected string or null, got integer");
    assert_invalid("{'type':['string','integer','null']}", "{}", "",
                   "/: expected string, integer or null, got object");
}

/* ---- properties, required, additionalProperties, paths ----------------------- */

static const char *answer_schema =
    "{'type':'object','required':['answers'],'additionalProperties':false,"
    " 'properties':{'answers':{'type':'object','required':['appeal','buy'],"
    "   'properties':{'appeal':{'type':'integer','minimum':0,'maximum':10},"
    "                 'buy':{'type':'boolean'},"
    "                 'price':{'enum':['too low','fair','too high']}}}}}";

static void properties_accept_a_valid_answer(void **state)
{
    (void)state;
    assert_valid(answer_schema, "{'answers':{'appeal':7,'buy':true,'price':'fair'}}");
    assert_valid(answer_schema, "{'answers':{'appeal':0,'buy':false}}");
}

static void required_refuses_a_missing_property_at_its_object(void **state)
{
    (void)state;
    assert_invalid(answer_schema, "{'answers':{'appeal':7}}", "/answers",
                   "/answers: missing required property 'buy'");
    assert_invalid(answer_schema, "{}", "", "/: missing required property 'answers'");
}

static void required_is_checked_in_its_listed_order(void **state)
{
    (void)state;
    assert_invalid(answer_schema, "{'answers':{}}", "/answers",
                   "/answers: missing required property 'appeal'");
}

static void required_accepts_a_present_null(void **state)
{
    (void)state;
    assert_valid("{'required':['a']}", "{'a':null}");
}

static void properties_report_the_nested_pointer(void **state)
{
    (void)state;
    assert_invalid(answer_schema, "{'answers':{'appeal':11,'buy':true}}", "/answers/appeal",
                   "/answers/appeal: 11 is above the maximum 10");
    assert_invalid(answer_schema, "{'answers':{'appeal':5,'buy':'yes'}}", "/answers/buy",
                   "/answers/buy: expected boolean, got string");
}

static void properties_apply_only_to_present_keys(void **state)
{
    (void)state;
    assert_valid("{'properties':{'a':{'type':'string'}}}", "{}");
    assert_valid("{'properties':{'a':{'type':'string'}}}", "{'b':1}");
}

static void object_keywords_ignore_other_kinds(void **state)
{
    (void)state;
    assert_valid("{'required':['a'],'additionalProperties':false}", "[1]");
    assert_valid("{'properties':{'a':{'type':'string'}}}", "'text'");
}

static void additional_false_refuses_an_unknown_property_at_the_root(void **state)
{
    (void)state;
    assert_invalid(answer_schema, "{'answers':{'appeal':1,'buy':true},'foo':1}", "",
                   "/: additional property 'foo' is not allowed");
}

static void additional_false_without_properties_refuses_every_key(void **state)
{
    (void)state;
    assert_valid("{'additionalProperties':false}", "{}");
    assert_invalid("{'additionalProperties':false}", "{'a':1}", "",
                   "/: additional property 'a' is not allowed");
}

static void additional_true_or_absent_allows_anything(void **state)
{
    (void)state;
    assert_valid("{'properties':{'a':{}},'additionalProperties':true}", "{'a':1,'b':2}");
    assert_valid("{'properties':{'a':{}}}", "{'a':1,'b':[]}");
}

static void additional_schema_validates_the_extra_values(void **state)
{
    (void)state;
    const char *schema = "{'properties':{'name':{'type':'string'}},"
                         " 'additionalProperties':{'type':'integer','minimum':0}}";
    assert_valid(schema, "{'name':'x','a':1,'b':2}");
    assert_invalid(schema, "{'name':'x','a':1,'b':'two'}", "/b",
                   "/b: expected integer, got string");
    assert_invalid(schema, "{'name':'x','c':-1}", "/c", "/c: -1 is below the minimum 0");
    /* declared properties do not go through additionalProperties */
    assert_invalid(schema, "{'name':3}", "/name", "/name: expected string, got integer");
}

static void additional_property_names_are_quoted_and_cut(void **state)
{
    (void)state;
    char value[200];
    snprintf(value, sizeof(value), "{'%080d':1}", 0);
    struct err e = ERR_INIT;
    assert_int_equal(validate("{'additionalProperties':false}", value, &e), ERR_INVALID);
    assert_contains(e.msg, "/: additional property '000000");
    assert_contains(e.msg, "...' is not allowed");
}

static void items_report_the_index_in_the_pointer(void **state)
{
    (void)state;
    const char *schema = "{'type':'object','properties':{'actions':{'type':'array',"
                         " 'items':{'type':'object','properties':{'type':{'type':'string'}}}}}}";
    assert_valid(schema, "{'actions':[{'type':'THINK'},{'type':'TALK'}]}");
    assert_invalid(schema, "{'actions':[{'type':3}]}", "/actions/0/type",
                   "/actions/0/type: expected string, got integer");
    assert_invalid(schema, "{'actions':[{'type':'a'},{'type':'b'},{'type':null}]}",
                   "/actions/2/type", "/actions/2/type: expected string, got null");
}

static void pointer_escapes_tilde_and_slash(void **state)
{
    (void)state;
    const char *schema = "{'properties':{'a/b':{'type':'string'},'m~n':{'type':'string'},"
                         " '~/':{'type':'string'}}}";
    assert_invalid(schema, "{'a/b':1}", "/a~1b", "/a~1b: expected string, got integer");
    assert_invalid(schema, "{'m~n':1}", "/m~0n", "/m~0n: expected string, got integer");
    assert_invalid(schema, "{'~/':1}", "/~0~1", "/~0~1: expected string, got integer");
}

static void pointer_of_an_empty_key_is_a_lone_slash(void **state)
{
    (void)state;
    assert_invalid("{'properties':{'':{'type':'string'}}}", "{'':1}", "/",
                   "/: expected string, got integer");
}

static void long_pointers_are_cut_in_field_but_not_overflowed(void **state)
{
    (void)state;
    char key[101];
    memset(key, 'k', 100);
    key[100] = '\0';
    char schema[400], value[300];
    snprintf(schema, sizeof(schema), "{'properties':{'%s':{'properties':{'%s':{'type':'null'}}}}}",
             key, key);
    snprintf(value, sizeof(value), "{'%s':{'%s':1}}", key, key);
    struct err e = ERR_INIT;
    assert_int_equal(validate(schema, value, &e), ERR_INVALID);
    assert_int_equal(strlen(e.field), sizeof(e.field) - 1);
    assert_true(strncmp(e.field, "/kkkk", 5) == 0);
    assert_contains(e.msg, "expected null, got integer");
}

static void long_multibyte_pointers_are_cut_between_characters(void **state)
{
    (void)state;
    struct buf key;
    buf_init(&key, 4096);
    for (int i = 0; i < 300; i++)
        buf_adds(&key, "\xc3\xa9"); /* U+00E9, two bytes */
    char *schema = xmalloc(2000), *value = xmalloc(2000);
    snprintf(schema, 2000, "{'properties':{'%s':{'type':'null'}}}", key.data);
    snprintf(value, 2000, "{'%s':1}", key.data);
    struct err e = ERR_INIT;
    assert_int_equal(validate(schema, value, &e), ERR_INVALID);
    json_t *msg = json_string(e.msg); /* NULL unless valid UTF-8 */
    assert_non_null(msg);
    json_decref(msg);
    assert_contains(e.msg, "...");
    assert_contains(e.msg, "\xc3\xa9: expected null, got integer");
    free(schema);
    free(value);
    buf_release(&key);
}

/* ---- enum and const ------------------------------------------------------------ */

static void enum_lists_the_allowed_values(void **state)
{
    (void)state;
    assert_valid(answer_schema, "{'answers':{'appeal':1,'buy':true,'price':'too high'}}");
    assert_invalid(answer_schema, "{'answers':{'appeal':1,'buy':true,'price':'cheap'}}",
                   "/answers/price",
                   "/answers/price: 'cheap' is not one of \"too low\", \"fair\", \"too high\"");
}

static void enum_compares_with_json_equal(void **state)
{
    (void)state;
    const char *schema = "{'enum':[1,'1',[1,2],{'a':{'b':null}},null]}";
    assert_valid(schema, "1");
    assert_valid(schema, "'1'");
    assert_valid(schema, "[1,2]");
    assert_valid(schema, "{'a':{'b':null}}");
    assert_valid(schema, "null");
    assert_invalid(schema, "[2,1]", "",
                   "/: [2,1] is not one of 1, \"1\", [1,2], {\"a\":{\"b\":null}}, null");
    /* json_equal: a real never equals an integer */
    assert_invalid("{'enum':[1]}", "1.0", "", "/: 1 is not one of 1");
}

static void enum_message_cuts_a_long_list(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    buf_adds(&b, "{'enum':[");
    for (int i = 0; i < 100; i++)
        buf_addf(&b, "%s'option number %d'", i ? "," : "", i);
    buf_adds(&b, "]}");
    struct err e = ERR_INIT;
    assert_int_equal(validate(b.data, "'none'", &e), ERR_INVALID);
    buf_release(&b);
    assert_contains(e.msg, "/: 'none' is not one of \"option number 0\", ");
    assert_contains(e.msg, ", ...");
    assert_lacks(e.msg, "option number 99");
}

static void const_accepts_only_its_value(void **state)
{
    (void)state;
    assert_valid("{'const':'a'}", "'a'");
    assert_valid("{'const':{'x':[1]}}", "{'x':[1]}");
    assert_invalid("{'properties':{'kind':{'const':'a'}}}", "{'kind':'b'}", "/kind",
                   "/kind: 'b' is not the required value \"a\"");
    assert_invalid("{'const':null}", "0", "", "/: 0 is not the required value null");
}

static void long_containers_are_cut_in_messages_deterministically(void **state)
{
    (void)state;
    /*
     * Found by fuzz_schema (corpus crash_long_const_message_cut.txt): a
     * serialisation chunk crossing the cut (here the long key) was skipped
     * whole, and the message showed uninitialised bytes.
     */
    char schema[200], want[200];
    snprintf(schema, sizeof(schema), "{'const':{'%0100d':1}}", 0);
    snprintf(want, sizeof(want), "/: null is not the required value {\"%058d...", 0);
    struct err first = ERR_INIT, second = ERR_INIT;
    assert_int_equal(validate(schema, "null", &first), ERR_INVALID);
    assert_int_equal(validate(schema, "null", &second), ERR_INVALID);
    assert_string_equal(first.msg, want);
    assert_string_equal(second.msg, want);
    /* exactly SHOW_MAX (60) bytes are shown whole, 61 are cut */
    assert_invalid("{'const':null}", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,11]",
                   "",
                   "/: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,11] is not the "
                   "required value null");
    assert_invalid("{'const':null}",
                   "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", "",
                   "/: [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1... is not the "
                   "required value null");
}

/* ---- numbers ------------------------------------------------------------------- */

static void minimum_is_inclusive(void **state)
{
    (void)state;
    assert_valid("{'minimum':10}", "10");
    assert_valid("{'minimum':10}", "10.0");
    assert_invalid("{'minimum':10}", "9", "", "/: 9 is below the minimum 10");
    assert_invalid("{'minimum':10}", "9.5", "", "/: 9.5 is below the minimum 10");
}

static void maximum_is_inclusive(void **state)
{
    (void)state;
    assert_valid("{'maximum':10}", "10");
    assert_invalid("{'maximum':10}", "11", "", "/: 11 is above the maximum 10");
    assert_invalid("{'maximum':10}", "10.5", "", "/: 10.5 is above the maximum 10");
}

static void exclusive_minimum_refuses_the_bound(void **state)
{
    (void)state;
    assert_valid("{'exclusiveMinimum':0}", "0.5");
    assert_valid("{'exclusiveMinimum':0}", "1");
    assert_invalid("{'exclusiveMinimum':0}", "0", "", "/: 0 is not above the exclusive minimum 0");
    assert_invalid("{'exclusiveMinimum':0}", "-1", "",
                   "/: -1 is not above the exclusive minimum 0");
}

static void exclusive_maximum_refuses_the_bound(void **state)
{
    (void)state;
    assert_valid("{'exclusiveMaximum':1}", "0.999");
    assert_invalid("{'exclusiveMaximum':1}", "1", "", "/: 1 is not below the exclusive maximum 1");
    assert_invalid("{'exclusiveMaximum':1}", "1.0", "",
                   "/: 1 is not below the exclusive maximum 1");
}

static void real_bounds_are_shown_in_their_shortest_form(void **state)
{
    (void)state;
    assert_valid("{'maximum':0.3}", "0.3");
    assert_invalid("{'maximum':0.3}", "0.30000000000000004", "",
                   "/: 0.30000000000000004 is above the maximum 0.3");
    assert_invalid("{'minimum':0.1}", "0.05", "", "/: 0.05 is below the minimum 0.1");
}

static void integers_compare_exactly_beyond_double_precision(void **state)
{
    (void)state;
    /* 2^53 + 1 rounds to 2^53 as a double; integer against integer must not */
    assert_valid("{'maximum':9007199254740992}", "9007199254740992");
    assert_invalid("{'maximum':9007199254740992}", "9007199254740993", "",
                   "/: 9007199254740993 is above the maximum 9007199254740992");
    assert_valid("{'minimum':-9223372036854775808,'maximum':9223372036854775807}",
                 "9223372036854775807");
}

static void number_keywords_ignore_other_kinds(void **state)
{
    (void)state;
    assert_valid("{'maximum':1,'minimum':0}", "'100'");
    assert_valid("{'maximum':1}", "[5]");
}

static void all_number_bounds_together(void **state)
{
    (void)state;
    const char *schema = "{'type':'number','minimum':0,'maximum':1,'exclusiveMaximum':1}";
    assert_valid(schema, "0");
    assert_valid(schema, "0.75");
    assert_invalid(schema, "1", "", "/: 1 is not below the exclusive maximum 1");
}

/* ---- strings ------------------------------------------------------------------- */

static void min_length_at_its_boundary(void **state)
{
    (void)state;
    assert_valid("{'minLength':0}", "''");
    assert_valid("{'minLength':1}", "'a'");
    assert_invalid("{'minLength':1}", "''", "",
                   "/: '' has 0 characters, fewer than the minimum length 1");
    assert_invalid("{'minLength':3}", "'ab'", "",
                   "/: 'ab' has 2 characters, fewer than the minimum length 3");
}

static void max_length_at_its_boundary(void **state)
{
    (void)state;
    assert_valid("{'maxLength':0}", "''");
    assert_valid("{'maxLength':2}", "'ab'");
    assert_invalid("{'maxLength':2}", "'abc'", "",
                   "/: 'abc' has 3 characters, more than the maximum length 2");
    assert_invalid("{'maxLength':0}", "'a'", "",
                   "/: 'a' has 1 character, more than the maximum length 0");
}

static void lengths_count_characters_not_bytes(void **state)
{
    (void)state;
    /* three characters, six bytes */
    assert_valid("{'maxLength':3,'minLength':3}", "'\xc3\xa7\xc3\xa3\xc3\xa9'");
    assert_invalid(
        "{'maxLength':2}", "'\xc3\xa7\xc3\xa3\xc3\xa9'", "",
        "/: '\xc3\xa7\xc3\xa3\xc3\xa9' has 3 characters, more than the maximum length 2");
}

static void long_strings_are_cut_in_messages(void **state)
{
    (void)state;
    char value[400];
    snprintf(value, sizeof(value), "'%0300d'", 0);
    struct err e = ERR_INIT;
    assert_int_equal(validate("{'maxLength':280}", value, &e), ERR_INVALID);
    assert_contains(e.msg, "...' has 300 characters, more than the maximum length 280");
    assert_true(strlen(e.msg) < 160);
}

static void strings_with_quotes_and_newlines_are_escaped_in_messages(void **state)
{
    (void)state;
    assert_invalid("{'enum':['a']}", "'say \\'hi\\'\\n'", "",
                   "/: 'say \\\"hi\\\"\\n' is not one of \"a\"");
}

static void string_keywords_ignore_other_kinds(void **state)
{
    (void)state;
    assert_valid("{'minLength':5}", "3");
}

/* ---- arrays -------------------------------------------------------------------- */

static void min_items_at_its_boundary(void **state)
{
    (void)state;
    assert_valid("{'minItems':0}", "[]");
    assert_valid("{'minItems':2}", "[1,2]");
    assert_invalid("{'minItems':2}", "[1]", "", "/: array has 1 item, fewer than the minimum 2");
    assert_invalid("{'minItems':1}", "[]", "", "/: array has 0 items, fewer than the minimum 1");
}

static void max_items_at_its_boundary(void **state)
{
    (void)state;
    assert_valid("{'maxItems':0}", "[]");
    assert_valid("{'maxItems':2}", "[1,2]");
    assert_invalid("{'maxItems':2}", "[1,2,3]", "",
                   "/: array has 3 items, more than the maximum 2");
}

static void unique_items_names_the_equal_pair(void **state)
{
    (void)state;
    assert_valid("{'uniqueItems':true}", "[]");
    assert_valid("{'uniqueItems':true}", "[1,'1',[1],{'a':1},{'a':2}]");
    assert_invalid("{'uniqueItems':true}", "[1,2,1]", "",
                   "/: items 0 and 2 are equal, but items must be unique");
    assert_invalid("{'uniqueItems':true}", "[{'a':[1]},{'a':[1]}]", "",
                   "/: items 0 and 1 are equal, but items must be unique");
    assert_valid("{'uniqueItems':false}", "[1,1]");
}

static void unique_items_checks_up_to_its_work_limit(void **state)
{
    (void)state;
    json_t *schema = load("{'uniqueItems':true}");
    json_t *value = json_array();
    for (int i = 0; i < 1000; i++)
        json_array_append_new(value, json_integer(i));
    struct err e = ERR_INIT;
    assert_ok(schema_validate(schema, value, &e), &e);
    json_array_append_new(value, json_integer(1000));
    assert_int_equal(schema_validate(schema, value, &e), ERR_INVALID);
    assert_string_equal(e.msg,
                        "/: array has 1001 items, too many to check uniqueItems (limit 1000)");
    json_decref(value);
    json_decref(schema);
}

static void items_apply_to_every_element(void **state)
{
    (void)state;
    const char *schema = "{'items':{'type':'integer','minimum':1}}";
    assert_valid(schema, "[]");
    assert_valid(schema, "[1,2,3]");
    assert_invalid(schema, "[1,2,0]", "/2", "/2: 0 is below the minimum 1");
}

static void array_keywords_ignore_other_kinds(void **state)
{
    (void)state;
    assert_valid("{'minItems':3,'items':{'type':'string'},'uniqueItems':true}", "{'a':1}");
}

/* ---- anyOf --------------------------------------------------------------------- */

static void any_of_accepts_when_one_branch_matches(void **state)
{
    (void)state;
    const char *schema = "{'anyOf':[{'type':'string','maxLength':2},{'type':'integer'}]}";
    assert_valid(schema, "'ab'");
    assert_valid(schema, "5");
}

static void any_of_refuses_with_the_first_branch_reason(void **state)
{
    (void)state;
    const char *schema = "{'properties':{'x':{'anyOf':[{'type':'string'},{'type':'integer'}]}}}";
    assert_invalid(schema, "{'x':1.5}", "/x",
                   "/x: matches none of the 2 alternatives (anyOf); the first fails with: /x: "
                   "expected string, got number");
}

static void any_of_branch_errors_keep_deeper_pointers(void **state)
{
    (void)state;
    const char *schema = "{'anyOf':[{'properties':{'a':{'type':'string'}}},{'type':'array'}]}";
    assert_invalid(schema, "{'a':1}", "",
                   "/: matches none of the 2 alternatives (anyOf); the first fails with: /a: "
                   "expected string, got integer");
}

static void any_of_runs_after_the_other_keywords(void **state)
{
    (void)state;
    const char *schema = "{'type':'integer','anyOf':[{'minimum':5},{'maximum':-5}]}";
    assert_valid(schema, "7");
    assert_valid(schema, "-7");
    assert_invalid(schema, "'x'", "", "/: expected integer, got string");
    assert_invalid(schema, "0", "",
                   "/: matches none of the 2 alternatives (anyOf); the first fails with: /: 0 is "
                   "below the minimum 5");
}

static void nested_any_of_validates(void **state)
{
    (void)state;
    const char *schema = "{'anyOf':[{'anyOf':[{'type':'null'},{'type':'boolean'}]},"
                         " {'type':'string'}]}";
    assert_valid(schema, "true");
    assert_valid(schema, "null");
    assert_valid(schema, "'s'");
    struct err e = ERR_INIT;
    assert_int_equal(validate(schema, "1", &e), ERR_INVALID);
    /* the innermost reason is quoted, not the inner anyOf's own message */
    assert_string_equal(e.msg, "/: matches none of the 2 alternatives (anyOf); the first fails "
                               "with: /: expected null, got integer");
}

/* ---- depth --------------------------------------------------------------------- */

static void values_nested_up_to_the_limit_are_accepted(void **state)
{
    (void)state;
    char *v = nested_arrays(SCHEMA_MAX_DEPTH);
    assert_valid("{}", v);
    free(v);
}

static void values_nested_past_the_limit_are_refused(void **state)
{
    (void)state;
    char *v = nested_arrays(SCHEMA_MAX_DEPTH + 1);
    struct err e = ERR_INIT;
    assert_int_equal(validate("{}", v, &e), ERR_INVALID);
    free(v);
    assert_contains(e.msg, "nested deeper than 64 levels");
    assert_true(strncmp(e.msg, "/0/0/0/", 7) == 0);
}

static void schemas_nested_up_to_the_limit_validate(void **state)
{
    (void)state;
    char *s = nested_items_schema(SCHEMA_MAX_DEPTH);
    char *v = nested_arrays(SCHEMA_MAX_DEPTH);
    assert_valid(s, v);
    free(s);
    free(v);
}

static void schemas_nested_past_the_limit_are_refused_by_check(void **state)
{
    (void)state;
    char *s = nested_items_schema(SCHEMA_MAX_DEPTH + 1);
    json_t *schema = load(s);
    free(s);
    struct err e = ERR_INIT;
    assert_int_equal(schema_check(schema, &e), ERR_INVALID);
    assert_contains(e.msg, "nested deeper than 64 levels");
    assert_true(strncmp(e.field, "/items/items/", 13) == 0);
    /* the message shortens the long pointer so that the reason fits */
    assert_contains(e.msg, "schema /items/items/");
    assert_contains(e.msg, "...");
    assert_contains(e.msg, "/items/items: nested deeper than 64 levels");
    json_decref(schema);
}

static void deep_any_of_chains_are_bounded(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8192);
    for (int i = 0; i < SCHEMA_MAX_DEPTH + 1; i++)
        buf_adds(&b, "{'anyOf':[");
    buf_adds(&b, "{}");
    for (int i = 0; i < SCHEMA_MAX_DEPTH + 1; i++)
        buf_adds(&b, "]}");
    json_t *schema = load(b.data);
    buf_release(&b);
    struct err e = ERR_INIT;
    assert_int_equal(schema_check(schema, &e), ERR_INVALID);
    assert_contains(e.msg, "nested deeper than 64 levels");
    /* validate, given the unchecked schema anyway, stops at the same depth */
    json_t *value = json_integer(1);
    assert_int_equal(schema_validate(schema, value, &e), ERR_INVALID);
    assert_contains(e.msg, "the schema is nested deeper than 64 levels");
    json_decref(value);
    json_decref(schema);
}

/* ---- validate: other contracts ------------------------------------------------- */

static void empty_schema_accepts_everything(void **state)
{
    (void)state;
    assert_valid("{}", "{'a':[1,{'b':null}]}");
    assert_valid("{}", "'x'");
}

static void annotations_and_unknown_keywords_are_ignored(void **state)
{
    (void)state;
    assert_valid("{'title':'t','description':'d','$comment':'c','format':'uri','examples':[1],"
                 " 'x-vendor':{'type':5},'type':'string'}",
                 "'not a uri'");
}

static void validate_accepts_a_null_err(void **state)
{
    (void)state;
    json_t *schema = load("{'type':'string'}");
    json_t *value = load("1");
    assert_int_equal(schema_validate(schema, value, NULL), ERR_INVALID);
    json_decref(value);
    value = load("'s'");
    assert_int_equal(schema_validate(schema, value, NULL), ERR_OK);
    json_decref(value);
    json_decref(schema);
}

static void validate_of_a_null_value_is_refused(void **state)
{
    (void)state;
    json_t *schema = load("{}");
    struct err e = ERR_INIT;
    assert_int_equal(schema_validate(schema, NULL, &e), ERR_INVALID);
    assert_string_equal(e.field, "");
    assert_contains(e.msg, "/: ");
    json_decref(schema);
}

static void validate_leaves_err_alone_on_success(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    assert_int_equal(validate("{'anyOf':[{'type':'string'},{'type':'integer'}]}", "1", &e), ERR_OK);
    assert_int_equal(e.code, ERR_OK);
    assert_string_equal(e.msg, "");
    assert_string_equal(e.field, "");
}

static void validate_of_an_unchecked_malformed_schema_is_internal(void **state)
{
    (void)state;
    static const char *const schemas[] = {
        "{'type':'strin'}",      "{'type':5}",
        "{'type':[]}",           "{'enum':5}",
        "{'maximum':'10'}",      "{'minLength':-1}",
        "{'minItems':1.5}",      "{'items':[{}]}",
        "{'required':[1]}",      "{'anyOf':[]}",
        "{'properties':[]}",     "{'additionalProperties':1}",
        "{'uniqueItems':'yes'}", "{'properties':{'a':5}}",
    };
    static const char *const values[] = {
        "1", "1", "1", "1", "1", "'a'", "[]", "[1]", "{}", "1", "{}", "{'a':1}", "[]", "{'a':1}",
    };
    static_assert(ARRAY_SIZE(schemas) == ARRAY_SIZE(values), "one value per schema");
    for (size_t i = 0; i < ARRAY_SIZE(schemas); i++) {
        json_t *schema = load(schemas[i]);
        json_t *value = load(values[i]);
        struct err e = ERR_INIT;
        assert_int_equal(schema_check(schema, NULL), ERR_INVALID);
        if (schema_validate(schema, value, &e) != ERR_INTERNAL)
            fail_msg("%s with %s: expected internal, got %s: %s", schemas[i], values[i],
                     err_slug(e.code), e.msg);
        assert_contains(e.msg, "malformed schema");
        json_decref(value);
        json_decref(schema);
    }
}

static void validate_reports_the_first_property_in_schema_order(void **state)
{
    (void)state;
    const char *schema = "{'properties':{'b':{'type':'string'},'a':{'type':'string'}}}";
    assert_invalid(schema, "{'a':1,'b':2}", "/b", "/b: expected string, got integer");
}

static void realistic_act_answer_validates(void **state)
{
    (void)state;
    const char *schema =
        "{'type':'object','additionalProperties':false,'required':['actions'],"
        " 'properties':{'actions':{'type':'array','minItems':1,'maxItems':5,"
        "   'items':{'type':'object','additionalProperties':false,'required':['type'],"
        "     'properties':{'type':{'enum':['THINK','TALK','DONE']},"
        "                   'content':{'type':'string','maxLength':2000},"
        "                   'target':{'type':['string','null']}}}},"
        "  'cognitive_state':{'type':'object','properties':{"
        "     'emotions':{'type':'string'},'attention':{'type':'string'}}}}}";
    assert_valid(schema, "{'actions':[{'type':'THINK','content':'Hmm, pricey.'},"
                         " {'type':'TALK','content':'Too expensive for me.','target':null},"
                         " {'type':'DONE'}],"
                         " 'cognitive_state':{'emotions':'doubtful','attention':'price'}}");
    assert_invalid(
        schema, "{'actions':[{'type':'TALK','content':'hi','target':'Ana'},{'type':'SAY'}]}",
        "/actions/1/type", "/actions/1/type: 'SAY' is not one of \"THINK\", \"TALK\", \"DONE\"");
    assert_invalid(schema, "{'actions':[{'type':'DONE','mood':'ok'}]}", "/actions/0",
                   "/actions/0: additional property 'mood' is not allowed");
    assert_invalid(schema, "{'actions':[]}", "/actions",
                   "/actions: array has 0 items, fewer than the minimum 1");
}

/* ---- schema_check -------------------------------------------------------------- */

static void check_accepts_the_full_subset(void **state)
{
    (void)state;
    assert_good_schema(answer_schema);
    assert_good_schema("{}");
    assert_good_schema(
        "{'type':['object','null'],'properties':{'a':{'type':'array','items':{'type':'number',"
        " 'minimum':-1.5,'maximum':2,'exclusiveMinimum':-2,'exclusiveMaximum':3}},"
        " 'b':{'type':'string','minLength':0,'maxLength':10,'enum':['x','y'],'const':'x'},"
        " 'c':{'anyOf':[{'type':'integer'},{'type':'boolean'}]}},"
        " 'required':[],'additionalProperties':{'type':'string'},'minItems':0,'maxItems':2.0,"
        " 'uniqueItems':false,'description':'d','title':'t'}");
}

static void check_refuses_a_schema_that_is_not_an_object(void **state)
{
    (void)state;
    assert_bad_schema("[]", "", "schema /: a schema must be an object, got array");
    assert_bad_schema("true", "", "schema /: a schema must be an object, got boolean");
    assert_bad_schema("'object'", "", "schema /: a schema must be an object, got string");
}

static void check_of_a_null_pointer_is_refused(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    assert_int_equal(schema_check(NULL, &e), ERR_INVALID);
    assert_contains(e.msg, "a schema must be an object");
}

static void check_refuses_an_unknown_type_name(void **state)
{
    (void)state;
    assert_bad_schema("{'type':'strin'}", "/type",
                      "schema /type: 'strin' is not a type name (object, array, string, number, "
                      "integer, boolean, null)");
    assert_bad_schema("{'type':'Integer'}", "/type", "'Integer' is not a type name");
    assert_bad_schema("{'type':'string\\u0000x'}", "/type", "'string\\u0000x' is not a type name");
}

static void check_refuses_type_of_the_wrong_kind(void **state)
{
    (void)state;
    assert_bad_schema("{'type':5}", "/type",
                      "schema /type: type must be a type name or an array of type names, got 5");
    assert_bad_schema("{'type':{}}", "/type", "got {}");
}

static void check_refuses_bad_type_arrays(void **state)
{
    (void)state;
    assert_bad_schema("{'type':[]}", "/type", "schema /type: type must not be an empty array");
    assert_bad_schema("{'type':['string',1]}", "/type/1", "schema /type/1: 1 is not a type name");
    assert_bad_schema("{'type':['string','nul']}", "/type/1", "'nul' is not a type name");
    assert_bad_schema("{'type':['string','null','string']}", "/type/2",
                      "schema /type/2: type 'string' is listed twice");
}

static void check_refuses_properties_that_are_not_an_object_of_objects(void **state)
{
    (void)state;
    assert_bad_schema("{'properties':[]}", "/properties",
                      "schema /properties: properties must be an object of schemas, got []");
    assert_bad_schema("{'properties':{'a':{},'b':'string'}}", "/properties/b",
                      "schema /properties/b: a schema must be an object, got string");
}

static void check_refuses_required_that_is_not_an_array_of_strings(void **state)
{
    (void)state;
    assert_bad_schema("{'required':'a'}", "/required",
                      "schema /required: required must be an array of property names, got 'a'");
    assert_bad_schema("{'required':['a',2]}", "/required/1",
                      "schema /required/1: required must list property names, got integer");
    assert_good_schema("{'required':[]}");
}

static void check_refuses_items_that_is_not_an_object(void **state)
{
    (void)state;
    assert_bad_schema(
        "{'items':[{'type':'string'}]}", "/items",
        "schema /items: items must be a schema (an object), got [{\"type\":\"string\"}]");
    assert_bad_schema("{'items':true}", "/items", "got true");
}

static void check_refuses_enum_that_is_not_a_non_empty_array(void **state)
{
    (void)state;
    assert_bad_schema("{'enum':'a'}", "/enum",
                      "schema /enum: enum must be a non-empty array, got 'a'");
    assert_bad_schema("{'enum':[]}", "/enum", "schema /enum: enum must not be empty");
    assert_good_schema("{'enum':[null]}");
}

static void check_refuses_numeric_keywords_that_are_not_numbers(void **state)
{
    (void)state;
    static const char *const kws[] = {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    };
    for (size_t i = 0; i < ARRAY_SIZE(kws); i++) {
        char schema[100], field[40], want[100];
        snprintf(schema, sizeof(schema), "{'%s':'10'}", kws[i]);
        snprintf(field, sizeof(field), "/%s", kws[i]);
        snprintf(want, sizeof(want), "schema /%s: %s must be a number, got '10'", kws[i], kws[i]);
        assert_bad_schema(schema, field, want);
        /* draft-4 boolean exclusive bounds are not this subset */
        snprintf(schema, sizeof(schema), "{'%s':true}", kws[i]);
        assert_bad_schema(schema, field, "must be a number, got true");
        snprintf(schema, sizeof(schema), "{'%s':-0.5}", kws[i]);
        assert_good_schema(schema);
    }
}

static void check_refuses_length_keywords_that_are_not_non_negative_integers(void **state)
{
    (void)state;
    static const char *const kws[] = {
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
    };
    for (size_t i = 0; i < ARRAY_SIZE(kws); i++) {
        char schema[100], field[40], want[100];
        snprintf(field, sizeof(field), "/%s", kws[i]);
        snprintf(schema, sizeof(schema), "{'%s':-1}", kws[i]);
        snprintf(want, sizeof(want), "schema /%s: %s must be a non-negative integer, got -1",
                 kws[i], kws[i]);
        assert_bad_schema(schema, field, want);
        snprintf(schema, sizeof(schema), "{'%s':1.5}", kws[i]);
        assert_bad_schema(schema, field, "must be a non-negative integer, got 1.5");
        snprintf(schema, sizeof(schema), "{'%s':'3'}", kws[i]);
        assert_bad_schema(schema, field, "must be a non-negative integer, got '3'");
        snprintf(schema, sizeof(schema), "{'%s':0}", kws[i]);
        assert_good_schema(schema);
        snprintf(schema, sizeof(schema), "{'%s':3.0}", kws[i]);
        assert_good_schema(schema);
    }
}

static void check_refuses_additional_properties_of_the_wrong_kind(void **state)
{
    (void)state;
    assert_bad_schema("{'additionalProperties':'no'}", "/additionalProperties",
                      "schema /additionalProperties: additionalProperties must be true, false or "
                      "a schema, got 'no'");
    assert_bad_schema("{'additionalProperties':{'type':'nothing'}}", "/additionalProperties/type",
                      "'nothing' is not a type name");
    assert_good_schema("{'additionalProperties':true}");
    assert_good_schema("{'additionalProperties':false}");
}

static void check_refuses_any_of_that_is_not_a_non_empty_array_of_objects(void **state)
{
    (void)state;
    assert_bad_schema("{'anyOf':{}}", "/anyOf",
                      "schema /anyOf: anyOf must be a non-empty array of schemas, got {}");
    assert_bad_schema("{'anyOf':[]}", "/anyOf", "schema /anyOf: anyOf must not be empty");
    assert_bad_schema("{'anyOf':[{},'x']}", "/anyOf/1",
                      "schema /anyOf/1: a schema must be an object, got string");
    assert_bad_schema("{'anyOf':[{'minimum':'0'}]}", "/anyOf/0/minimum", "must be a number");
}

static void check_refuses_unique_items_that_is_not_a_boolean(void **state)
{
    (void)state;
    assert_bad_schema("{'uniqueItems':1}", "/uniqueItems",
                      "schema /uniqueItems: uniqueItems must be true or false, got 1");
}

static void check_refuses_unsupported_assertion_keywords(void **state)
{
    (void)state;
    assert_bad_schema("{'type':'string','pattern':'^a'}", "/pattern",
                      "schema /pattern: keyword 'pattern' is not supported by this validator");
    assert_bad_schema("{'oneOf':[{}]}", "/oneOf", "keyword 'oneOf' is not supported");
    assert_bad_schema("{'properties':{'a':{'$ref':'#/x'}}}", "/properties/a/$ref",
                      "keyword '$ref' is not supported");
    assert_bad_schema("{'allOf':[{}]}", "/allOf", "not supported");
    assert_bad_schema("{'not':{}}", "/not", "not supported");
    assert_bad_schema("{'multipleOf':2}", "/multipleOf", "not supported");
}

static void check_names_the_nested_schema_path(void **state)
{
    (void)state;
    assert_bad_schema("{'properties':{'answers':{'properties':{'appeal':{'maximum':'ten'}}}}}",
                      "/properties/answers/properties/appeal/maximum",
                      "schema /properties/answers/properties/appeal/maximum: maximum must be a "
                      "number, got 'ten'");
    assert_bad_schema("{'items':{'items':{'type':'int'}}}", "/items/items/type",
                      "'int' is not a type name");
}

static void check_escapes_property_names_in_the_path(void **state)
{
    (void)state;
    assert_bad_schema("{'properties':{'a/b~c':{'type':1}}}", "/properties/a~1b~0c/type",
                      "schema /properties/a~1b~0c/type: type must be");
}

static void check_accepts_schemas_up_to_the_depth_limit(void **state)
{
    (void)state;
    char *s = nested_items_schema(SCHEMA_MAX_DEPTH);
    assert_good_schema(s);
    free(s);
}

static void check_refuses_too_deep_enum_and_const_values(void **state)
{
    (void)state;
    char *v = nested_arrays(SCHEMA_MAX_DEPTH + 2);
    char schema[400];
    snprintf(schema, sizeof(schema), "{'enum':%s}", v);
    assert_bad_schema(schema, "/enum", "nested deeper than 64 levels");
    snprintf(schema, sizeof(schema), "{'const':%s}", v);
    assert_bad_schema(schema, "/const", "nested deeper than 64 levels");
    free(v);
    v = nested_arrays(SCHEMA_MAX_DEPTH);
    snprintf(schema, sizeof(schema), "{'const':%s}", v);
    assert_good_schema(schema);
    free(v);
}

static void check_accepts_a_null_err(void **state)
{
    (void)state;
    json_t *schema = load("{'type':'x'}");
    assert_int_equal(schema_check(schema, NULL), ERR_INVALID);
    json_decref(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(type_accepts_each_kind_by_its_name),
        cmocka_unit_test(type_refuses_with_expected_and_got),
        cmocka_unit_test(type_integer_accepts_a_real_without_fraction),
        cmocka_unit_test(type_number_accepts_integers_and_reals),
        cmocka_unit_test(type_array_of_names_accepts_any_and_lists_them),
        cmocka_unit_test(properties_accept_a_valid_answer),
        cmocka_unit_test(required_refuses_a_missing_property_at_its_object),
        cmocka_unit_test(required_is_checked_in_its_listed_order),
        cmocka_unit_test(required_accepts_a_present_null),
        cmocka_unit_test(properties_report_the_nested_pointer),
        cmocka_unit_test(properties_apply_only_to_present_keys),
        cmocka_unit_test(object_keywords_ignore_other_kinds),
        cmocka_unit_test(additional_false_refuses_an_unknown_property_at_the_root),
        cmocka_unit_test(additional_false_without_properties_refuses_every_key),
        cmocka_unit_test(additional_true_or_absent_allows_anything),
        cmocka_unit_test(additional_schema_validates_the_extra_values),
        cmocka_unit_test(additional_property_names_are_quoted_and_cut),
        cmocka_unit_test(items_report_the_index_in_the_pointer),
        cmocka_unit_test(pointer_escapes_tilde_and_slash),
        cmocka_unit_test(pointer_of_an_empty_key_is_a_lone_slash),
        cmocka_unit_test(long_pointers_are_cut_in_field_but_not_overflowed),
        cmocka_unit_test(long_multibyte_pointers_are_cut_between_characters),
        cmocka_unit_test(enum_lists_the_allowed_values),
        cmocka_unit_test(enum_compares_with_json_equal),
        cmocka_unit_test(enum_message_cuts_a_long_list),
        cmocka_unit_test(const_accepts_only_its_value),
        cmocka_unit_test(long_containers_are_cut_in_messages_deterministically),
        cmocka_unit_test(minimum_is_inclusive),
        cmocka_unit_test(maximum_is_inclusive),
        cmocka_unit_test(exclusive_minimum_refuses_the_bound),
        cmocka_unit_test(exclusive_maximum_refuses_the_bound),
        cmocka_unit_test(real_bounds_are_shown_in_their_shortest_form),
        cmocka_unit_test(integers_compare_exactly_beyond_double_precision),
        cmocka_unit_test(number_keywords_ignore_other_kinds),
        cmocka_unit_test(all_number_bounds_together),
        cmocka_unit_test(min_length_at_its_boundary),
        cmocka_unit_test(max_length_at_its_boundary),
        cmocka_unit_test(lengths_count_characters_not_bytes),
        cmocka_unit_test(long_strings_are_cut_in_messages),
        cmocka_unit_test(strings_with_quotes_and_newlines_are_escaped_in_messages),
        cmocka_unit_test(string_keywords_ignore_other_kinds),
        cmocka_unit_test(min_items_at_its_boundary),
        cmocka_unit_test(max_items_at_its_boundary),
        cmocka_unit_test(unique_items_names_the_equal_pair),
        cmocka_unit_test(unique_items_checks_up_to_its_work_limit),
        cmocka_unit_test(items_apply_to_every_element),
        cmocka_unit_test(array_keywords_ignore_other_kinds),
        cmocka_unit_test(any_of_accepts_when_one_branch_matches),
        cmocka_unit_test(any_of_refuses_with_the_first_branch_reason),
        cmocka_unit_test(any_of_branch_errors_keep_deeper_pointers),
        cmocka_unit_test(any_of_runs_after_the_other_keywords),
        cmocka_unit_test(nested_any_of_validates),
        cmocka_unit_test(values_nested_up_to_the_limit_are_accepted),
        cmocka_unit_test(values_nested_past_the_limit_are_refused),
        cmocka_unit_test(schemas_nested_up_to_the_limit_validate),
        cmocka_unit_test(schemas_nested_past_the_limit_are_refused_by_check),
        cmocka_unit_test(deep_any_of_chains_are_bounded),
        cmocka_unit_test(empty_schema_accepts_everything),
        cmocka_unit_test(annotations_and_unknown_keywords_are_ignored),
        cmocka_unit_test(validate_accepts_a_null_err),
        cmocka_unit_test(validate_of_a_null_value_is_refused),
        cmocka_unit_test(validate_leaves_err_alone_on_success),
        cmocka_unit_test(validate_of_an_unchecked_malformed_schema_is_internal),
        cmocka_unit_test(validate_reports_the_first_property_in_schema_order),
        cmocka_unit_test(realistic_act_answer_validates),
        cmocka_unit_test(check_accepts_the_full_subset),
        cmocka_unit_test(check_refuses_a_schema_that_is_not_an_object),
        cmocka_unit_test(check_of_a_null_pointer_is_refused),
        cmocka_unit_test(check_refuses_an_unknown_type_name),
        cmocka_unit_test(check_refuses_type_of_the_wrong_kind),
        cmocka_unit_test(check_refuses_bad_type_arrays),
        cmocka_unit_test(check_refuses_properties_that_are_not_an_object_of_objects),
        cmocka_unit_test(check_refuses_required_that_is_not_an_array_of_strings),
        cmocka_unit_test(check_refuses_items_that_is_not_an_object),
        cmocka_unit_test(check_refuses_enum_that_is_not_a_non_empty_array),
        cmocka_unit_test(check_refuses_numeric_keywords_that_are_not_numbers),
        cmocka_unit_test(check_refuses_length_keywords_that_are_not_non_negative_integers),
        cmocka_unit_test(check_refuses_additional_properties_of_the_wrong_kind),
        cmocka_unit_test(check_refuses_any_of_that_is_not_a_non_empty_array_of_objects),
        cmocka_unit_test(check_refuses_unique_items_that_is_not_a_boolean),
        cmocka_unit_test(check_refuses_unsupported_assertion_keywords),
        cmocka_unit_test(check_names_the_nested_schema_path),
        cmocka_unit_test(check_escapes_property_names_in_the_path),
        cmocka_unit_test(check_accepts_schemas_up_to_the_depth_limit),
        cmocka_unit_test(check_refuses_too_deep_enum_and_const_values),
        cmocka_unit_test(check_accepts_a_null_err),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
