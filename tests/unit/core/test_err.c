/*
 * tests/unit/core/test_err.c - the error vocabulary (core/err.h): err_set()
 * fills and returns, tolerates a NULL err and truncates long text;
 * err_recast(), err_prefix() and err_clear(); every code has its stable slug and status.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "core/err.h"

/* A string of n copies of c, NUL-terminated, in out (which holds n + 1). */
static void fill(char *out, size_t n, char c)
{
    memset(out, c, n);
    out[n] = '\0';
}

/* ---- err_set --------------------------------------------------------------- */

static void set_returns_code_and_fills_field_and_message(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    enum err_code rc = err_set(&e, ERR_NOT_FOUND, "persona_id", "no persona '%s'", "p1");
    assert_int_equal(rc, ERR_NOT_FOUND);
    assert_int_equal(e.code, ERR_NOT_FOUND);
    assert_string_equal(e.field, "persona_id");
    assert_string_equal(e.msg, "no persona 'p1'");
}

static void set_with_null_field_leaves_field_empty(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    err_set(&e, ERR_INVALID, "old", "first");
    err_set(&e, ERR_CONFLICT, NULL, "second");
    assert_int_equal(e.code, ERR_CONFLICT);
    assert_string_equal(e.field, "");
    assert_string_equal(e.msg, "second");
}

static void set_with_null_err_only_returns_code(void **state)
{
    (void)state;
    assert_int_equal(err_set(NULL, ERR_TIMEOUT, "f", "%d", 1), ERR_TIMEOUT);
    assert_int_equal(err_set(NULL, ERR_OK, NULL, "x"), ERR_OK);
}

static void set_keeps_message_of_exactly_buffer_capacity(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    char text[sizeof(e.msg)];
    fill(text, sizeof(e.msg) - 1, 'm');
    err_set(&e, ERR_INVALID, NULL, "%s", text);
    assert_string_equal(e.msg, text);
}

static void set_truncates_message_one_past_capacity(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    char text[sizeof(e.msg) + 1];
    fill(text, sizeof(e.msg), 'm');
    err_set(&e, ERR_INVALID, NULL, "%s", text);
    assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
    assert_memory_equal(e.msg, text, sizeof(e.msg) - 1);
}

static void set_truncates_very_long_message(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    char text[1000];
    fill(text, sizeof(text) - 1, 'x');
    err_set(&e, ERR_INVALID, "f", "start %s", text);
    assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
    assert_memory_equal(e.msg, "start xxx", 9);
}

static void set_accepts_empty_message(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    err_set(&e, ERR_INVALID, "f", "before");
    err_set(&e, ERR_INVALID, "f", "%s", "");
    assert_string_equal(e.msg, "");
}

static void set_keeps_field_of_exactly_capacity_and_truncates_longer(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    char name[sizeof(e.field) + 1];
    fill(name, sizeof(e.field) - 1, 'f');
    err_set(&e, ERR_INVALID, name, "m");
    assert_string_equal(e.field, name);

    fill(name, sizeof(e.field), 'g');
    err_set(&e, ERR_INVALID, name, "m");
    assert_int_equal(strlen(e.field), sizeof(e.field) - 1);
    assert_memory_equal(e.field, name, sizeof(e.field) - 1);
}

/* ---- err_recast ------------------------------------------------------------- */

static void recast_keeps_the_message_and_changes_code_and_field(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    err_set(&e, ERR_NOT_FOUND, "id", "no conversation 'x'");
    assert_int_equal(err_recast(&e, ERR_NOT_FOUND, "conversation_id"), ERR_NOT_FOUND);
    assert_string_equal(e.msg, "no conversation 'x'");
    assert_string_equal(e.field, "conversation_id");
    assert_int_equal(err_recast(&e, ERR_INVALID, NULL), ERR_INVALID);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, "");
    assert_string_equal(e.msg, "no conversation 'x'");
    assert_int_equal(err_recast(NULL, ERR_CONFLICT, "f"), ERR_CONFLICT);
}

/* ---- err_prefix and err_clear --------------------------------------------- */

static void prefix_prepends_prefix_colon_and_space(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    err_set(&e, ERR_INVALID, "PORT", "'abc' is not a number");
    err_prefix(&e, ".env");
    assert_string_equal(e.msg, ".env: 'abc' is not a number");
    assert_string_equal(e.field, "PORT");
    assert_int_equal(e.code, ERR_INVALID);
}

static void prefix_of_empty_message_leaves_prefix_and_separator(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    err_prefix(&e, "file");
    assert_string_equal(e.msg, "file: ");
}

static void prefix_cuts_the_tail_of_a_message_that_no_longer_fits(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    char text[sizeof(e.msg)];
    fill(text, sizeof(e.msg) - 1, 'm');
    err_set(&e, ERR_INVALID, NULL, "%s", text);
    err_prefix(&e, "cfg");
    assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
    assert_memory_equal(e.msg, "cfg: mmm", 8);
}

static void prefix_that_fills_the_buffer_keeps_only_the_prefix(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    char prefix[400];
    fill(prefix, sizeof(prefix) - 1, 'p');
    err_set(&e, ERR_INVALID, NULL, "message");
    err_prefix(&e, prefix);
    assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
    assert_memory_equal(e.msg, prefix, sizeof(e.msg) - 3);
    assert_memory_equal(e.msg + sizeof(e.msg) - 3, ": ", 2);
}

static void prefix_and_clear_accept_a_null_err(void **state)
{
    (void)state;
    /* the behaviour is "no crash": both return at once */
    err_prefix(NULL, "x");
    err_clear(NULL);
}

static void clear_resets_code_field_and_message(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    err_set(&e, ERR_FORBIDDEN, "role", "not an admin");
    err_clear(&e);
    assert_int_equal(e.code, ERR_OK);
    assert_string_equal(e.field, "");
    assert_string_equal(e.msg, "");
}

static void init_macro_is_ok_and_empty(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    assert_int_equal(e.code, ERR_OK);
    assert_string_equal(e.field, "");
    assert_string_equal(e.msg, "");
}

/* ---- the table --------------------------------------------------------------- */

static const struct {
    enum err_code code;
    int status;
    const char *slug;
} expected_codes[] = {
    { ERR_OK, 200, "ok" },
    { ERR_INVALID, 400, "invalid_request" },
    { ERR_BAD_JSON, 400, "malformed_json" },
    { ERR_UNAUTHORIZED, 401, "unauthorized" },
    { ERR_FORBIDDEN, 403, "forbidden" },
    { ERR_NOT_FOUND, 404, "not_found" },
    { ERR_METHOD, 405, "method_not_allowed" },
    { ERR_CONFLICT, 409, "conflict" },
    { ERR_TOO_LARGE, 413, "payload_too_large" },
    { ERR_MEDIA_TYPE, 415, "unsupported_media_type" },
    { ERR_PLAN_LIMIT, 422, "plan_limit" },
    { ERR_RATE_LIMITED, 429, "rate_limited" },
    { ERR_INTERNAL, 500, "internal" },
    { ERR_UPSTREAM, 502, "upstream_error" },
    { ERR_UNAVAILABLE, 503, "unavailable" },
    { ERR_TIMEOUT, 504, "timeout" },
};

static void every_code_is_listed_in_this_test(void **state)
{
    (void)state;
    assert_int_equal(ARRAY_SIZE(expected_codes), ERR_COUNT_);
}

static void every_code_has_its_shipped_slug_and_status(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(expected_codes); i++) {
        assert_string_equal(err_slug(expected_codes[i].code), expected_codes[i].slug);
        assert_int_equal(err_http_status(expected_codes[i].code), expected_codes[i].status);
    }
}

static void slugs_are_unique(void **state)
{
    (void)state;
    for (int a = 0; a < ERR_COUNT_; a++)
        for (int b = a + 1; b < ERR_COUNT_; b++)
            assert_string_not_equal(err_slug((enum err_code)a), err_slug((enum err_code)b));
}

static void out_of_range_code_maps_to_internal_500(void **state)
{
    (void)state;
    assert_int_equal(err_http_status(ERR_COUNT_), 500);
    assert_string_equal(err_slug(ERR_COUNT_), "internal");
    assert_int_equal(err_http_status((enum err_code) - 1), 500);
    assert_string_equal(err_slug((enum err_code) - 1), "internal");
}

static void never_is_false_for_a_false_condition(void **state)
{
    (void)state;
    int zero = 0;
    assert_false(NEVER(zero != 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_returns_code_and_fills_field_and_message),
        cmocka_unit_test(set_with_null_field_leaves_field_empty),
        cmocka_unit_test(set_with_null_err_only_returns_code),
        cmocka_unit_test(set_keeps_message_of_exactly_buffer_capacity),
        cmocka_unit_test(set_truncates_message_one_past_capacity),
        cmocka_unit_test(set_truncates_very_long_message),
        cmocka_unit_test(set_accepts_empty_message),
        cmocka_unit_test(set_keeps_field_of_exactly_capacity_and_truncates_longer),
        cmocka_unit_test(recast_keeps_the_message_and_changes_code_and_field),
        cmocka_unit_test(prefix_prepends_prefix_colon_and_space),
        cmocka_unit_test(prefix_of_empty_message_leaves_prefix_and_separator),
        cmocka_unit_test(prefix_cuts_the_tail_of_a_message_that_no_longer_fits),
        cmocka_unit_test(prefix_that_fills_the_buffer_keeps_only_the_prefix),
        cmocka_unit_test(prefix_and_clear_accept_a_null_err),
        cmocka_unit_test(clear_resets_code_field_and_message),
        cmocka_unit_test(init_macro_is_ok_and_empty),
        cmocka_unit_test(every_code_is_listed_in_this_test),
        cmocka_unit_test(every_code_has_its_shipped_slug_and_status),
        cmocka_unit_test(slugs_are_unique),
        cmocka_unit_test(out_of_range_code_maps_to_internal_500),
        cmocka_unit_test(never_is_false_for_a_false_condition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
