/*
 * tests/unit/http/test_router.c - the router (http/router.h): the
 * specificity rule whatever the table order, parameter capture, 404 against
 * 405 with the allowed methods, HEAD served by GET, paths that never match
 * (trailing slash, "//", too many segments), the segment and parameter
 * limits at the limit and one past it, router_new refusing overlapping
 * routes and malformed patterns, skip_flags, and the method helpers.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "http/router.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* Distinct handlers, so a test can tell which route matched. */
static enum err_code h_a(struct req *req, struct err *err)
{
    (void)req;
    (void)err;
    return ERR_OK;
}

static enum err_code h_b(struct req *req, struct err *err)
{
    (void)req;
    (void)err;
    return ERR_OK;
}

/* Compiles routes (skip_flags 0), failing the test when router_new refuses. */
static struct router *compile_ok(const struct route *routes, size_t n, unsigned skip)
{
    struct err e = ERR_INIT;
    struct router *r = router_new(routes, n, skip, &e);
    if (!r)
        fail_msg("router_new refused: %s", e.msg);
    return r;
}

/* Asserts router_new refuses routes with a message containing want. */
static void assert_refused(const struct route *routes, size_t n, const char *want)
{
    struct err e = ERR_INIT;
    struct router *r = router_new(routes, n, 0, &e);
    if (r) {
        router_free(r);
        fail_msg("router_new accepted a table it should refuse (%s)", want);
    }
    assert_int_equal(e.code, ERR_INVALID);
    if (!strstr(e.msg, want))
        fail_msg("message '%s' lacks '%s'", e.msg, want);
}

struct result {
    enum router_result rc;
    const struct route *route;
    struct route_params params;
    unsigned allowed;
};

static struct result match(const struct router *r, unsigned method, const char *path)
{
    struct result m;
    memset(&m, 0xa5, sizeof(m)); /* router_match must set every output */
    m.rc = router_match(r, method, span_cstr(path), &m.route, &m.params, &m.allowed);
    return m;
}

/* Asserts method+path finds the route with this pattern. */
static struct result assert_found(const struct router *r, unsigned method, const char *path,
                                  const char *pattern)
{
    struct result m = match(r, method, path);
    if (m.rc != ROUTER_FOUND)
        fail_msg("%s %s gave %d, expected it to find %s", http_method_name(method), path, (int)m.rc,
                 pattern);
    assert_non_null(m.route);
    assert_string_equal(m.route->pattern, pattern);
    assert_int_equal(m.allowed, 0);
    return m;
}

static void assert_not_found(const struct router *r, unsigned method, const char *path)
{
    struct result m = match(r, method, path);
    if (m.rc != ROUTER_NOT_FOUND)
        fail_msg("%s '%s' gave %d, expected ROUTER_NOT_FOUND", http_method_name(method), path,
                 (int)m.rc);
    assert_null(m.route);
    assert_int_equal(m.allowed, 0);
    assert_int_equal(m.params.n, 0);
}

/* Asserts 405 with exactly the allowed methods formatted as want ("GET, HEAD"). */
static void assert_method_not_allowed(const struct router *r, unsigned method, const char *path,
                                      const char *want)
{
    struct result m = match(r, method, path);
    if (m.rc != ROUTER_METHOD)
        fail_msg("%s '%s' gave %d, expected ROUTER_METHOD", http_method_name(method), path,
                 (int)m.rc);
    assert_null(m.route);
    char allow[128];
    http_methods_format(m.allowed, allow, sizeof(allow));
    assert_string_equal(allow, want);
}

/* Writes "/s/s/.../s" with n segments into out. */
static void path_of(char *out, size_t size, size_t n, const char *seg)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + used, size - used, "/%s", seg);
        assert_true(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
    }
}

static bool span_is(struct span s, const char *text)
{
    return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0;
}

/* ---- specificity ---------------------------------------------------------------------- */

static const struct route literal_first[] = {
    { HTTP_GET, "/api/personas/templates", h_a, 0 },
    { HTTP_GET, "/api/personas/:id", h_b, 0 },
};

static const struct route param_first[] = {
    { HTTP_GET, "/api/personas/:id", h_b, 0 },
    { HTTP_GET, "/api/personas/templates", h_a, 0 },
};

static void literal_beats_parameter_when_listed_first(void **state)
{
    (void)state;
    struct router *r = compile_ok(literal_first, ARRAY_SIZE(literal_first), 0);
    struct result m =
        assert_found(r, HTTP_GET, "/api/personas/templates", "/api/personas/templates");
    assert_ptr_equal(m.route->handler, h_a);
    assert_int_equal(m.params.n, 0);
    m = assert_found(r, HTTP_GET, "/api/personas/42", "/api/personas/:id");
    assert_ptr_equal(m.route->handler, h_b);
    router_free(r);
}

static void literal_beats_parameter_when_listed_last(void **state)
{
    (void)state;
    struct router *r = compile_ok(param_first, ARRAY_SIZE(param_first), 0);
    struct result m =
        assert_found(r, HTTP_GET, "/api/personas/templates", "/api/personas/templates");
    assert_ptr_equal(m.route->handler, h_a);
    m = assert_found(r, HTTP_GET, "/api/personas/template", "/api/personas/:id");
    assert_true(span_is(route_param(&m.params, "id"), "template"));
    router_free(r);
}

static void earliest_differing_literal_wins(void **state)
{
    (void)state;
    /* /a/b/:y and /a/:x/c both match /a/b/c; they differ first at segment 2 */
    static const struct route routes[] = {
        { HTTP_GET, "/a/:x/c", h_a, 0 },
        { HTTP_GET, "/a/b/:y", h_b, 0 },
    };
    struct router *r = compile_ok(routes, ARRAY_SIZE(routes), 0);
    struct result m = assert_found(r, HTTP_GET, "/a/b/c", "/a/b/:y");
    assert_true(span_is(route_param(&m.params, "y"), "c"));
    assert_found(r, HTTP_GET, "/a/z/c", "/a/:x/c");
    assert_not_found(r, HTTP_GET, "/a/z/d");
    router_free(r);
}

/* ---- parameters ------------------------------------------------------------------------- */

static void parameters_are_captured_by_name(void **state)
{
    (void)state;
    static const struct route routes[] = {
        { HTTP_GET, "/api/tests/:test_id/runs/:run_id", h_a, 0 },
    };
    struct router *r = compile_ok(routes, ARRAY_SIZE(routes), 0);
    const char *path = "/api/tests/t-1/runs/0192f5c8";
    struct result m = assert_found(r, HTTP_GET, path, "/api/tests/:test_id/runs/:run_id");
    assert_int_equal(m.params.n, 2);
    assert_true(span_is(m.params.items[0].name, "test_id"));
    assert_true(span_is(m.params.items[0].value, "t-1"));
    assert_true(span_is(m.params.items[1].name, "run_id"));
    assert_true(span_is(route_param(&m.params, "test_id"), "t-1"));
    assert_true(span_is(route_param(&m.params, "run_id"), "0192f5c8"));
    /* values borrow from the path */
    assert_ptr_equal(route_param(&m.params, "test_id").ptr, path + strlen("/api/tests/"));
    router_free(r);
}

static void absent_parameter_is_an_empty_null_span(void **state)
{
    (void)state;
    struct router *r = compile_ok(param_first, ARRAY_SIZE(param_first), 0);
    struct result m = assert_found(r, HTTP_GET, "/api/personas/7", "/api/personas/:id");
    struct span s = route_param(&m.params, "nope");
    assert_null(s.ptr);
    assert_int_equal(s.len, 0);
    s = route_param(&m.params, "i"); /* a prefix of a name is not the name */
    assert_null(s.ptr);
    router_free(r);
}

static void parameter_value_may_hold_any_bytes_but_slash(void **state)
{
    (void)state;
    struct router *r = compile_ok(param_first, ARRAY_SIZE(param_first), 0);
    struct result m = assert_found(r, HTTP_GET, "/api/personas/a:b%20c..", "/api/personas/:id");
    assert_true(span_is(route_param(&m.params, "id"), "a:b%20c.."));
    assert_not_found(r, HTTP_GET, "/api/personas/a/b");
    router_free(r);
}

static void eight_parameters_are_accepted_and_nine_refused(void **state)
{
    (void)state;
    static const struct route eight[] = {
        { HTTP_GET, "/:a/:b/:c/:d/:e/:f/:g/:h", h_a, 0 },
    };
    static const struct route nine[] = {
        { HTTP_GET, "/:a/:b/:c/:d/:e/:f/:g/:h/:i", h_a, 0 },
    };
    static_assert(ROUTE_MAX_PARAMS == 8, "the tables above assume 8");
    struct router *r = compile_ok(eight, 1, 0);
    struct result m = assert_found(r, HTTP_GET, "/1/2/3/4/5/6/7/8", eight[0].pattern);
    assert_int_equal(m.params.n, ROUTE_MAX_PARAMS);
    assert_true(span_is(route_param(&m.params, "h"), "8"));
    router_free(r);
    assert_refused(nine, 1, "too many parameters");
}

/* ---- 404 and 405 ----------------------------------------------------------------------------- */

static const struct route crud[] = {
    { HTTP_GET, "/api/personas", h_a, 0 },        { HTTP_POST, "/api/personas", h_b, 0 },
    { HTTP_GET, "/api/personas/:id", h_a, 0 },    { HTTP_PATCH, "/api/personas/:id", h_a, 0 },
    { HTTP_DELETE, "/api/personas/:id", h_b, 0 }, { HTTP_POST, "/api/login", h_a, 0 },
};

static void unknown_path_is_not_found(void **state)
{
    (void)state;
    struct router *r = compile_ok(crud, ARRAY_SIZE(crud), 0);
    assert_not_found(r, HTTP_GET, "/api/nope");
    assert_not_found(r, HTTP_DELETE, "/api/personas/1/extra");
    assert_not_found(r, HTTP_GET, "/api");
    router_free(r);
}

static void known_path_with_other_method_gives_allowed_set(void **state)
{
    (void)state;
    struct router *r = compile_ok(crud, ARRAY_SIZE(crud), 0);
    assert_method_not_allowed(r, HTTP_DELETE, "/api/personas", "GET, HEAD, POST");
    assert_method_not_allowed(r, HTTP_PUT, "/api/personas/9", "GET, HEAD, PATCH, DELETE");
    assert_method_not_allowed(r, HTTP_GET, "/api/login", "POST");
    assert_method_not_allowed(r, HTTP_OPTIONS, "/api/login", "POST");
    router_free(r);
}

static void allowed_set_comes_from_the_winning_pattern_only(void **state)
{
    (void)state;
    static const struct route routes[] = {
        { HTTP_GET, "/api/personas/templates", h_a, 0 },
        { HTTP_DELETE, "/api/personas/:id", h_b, 0 },
    };
    struct router *r = compile_ok(routes, ARRAY_SIZE(routes), 0);
    /* the literal wins, so DELETE on it is 405 even though :id has DELETE */
    assert_method_not_allowed(r, HTTP_DELETE, "/api/personas/templates", "GET, HEAD");
    assert_found(r, HTTP_DELETE, "/api/personas/5", "/api/personas/:id");
    router_free(r);
}

static void head_is_served_by_get_routes(void **state)
{
    (void)state;
    struct router *r = compile_ok(crud, ARRAY_SIZE(crud), 0);
    struct result m = assert_found(r, HTTP_HEAD, "/api/personas/3", "/api/personas/:id");
    assert_int_equal(m.route->method, HTTP_GET);
    assert_true(span_is(route_param(&m.params, "id"), "3"));
    router_free(r);
}

static void head_on_a_path_without_get_is_405(void **state)
{
    (void)state;
    struct router *r = compile_ok(crud, ARRAY_SIZE(crud), 0);
    assert_method_not_allowed(r, HTTP_HEAD, "/api/login", "POST");
    router_free(r);
}

static void unknown_method_on_a_known_path_is_405(void **state)
{
    (void)state;
    struct router *r = compile_ok(crud, ARRAY_SIZE(crud), 0);
    assert_method_not_allowed(r, 0, "/api/login", "POST");
    router_free(r);
}

/* ---- paths that never match ----------------------------------------------------------------- */

static void trailing_slash_does_not_match(void **state)
{
    (void)state;
    struct router *r = compile_ok(crud, ARRAY_SIZE(crud), 0);
    assert_found(r, HTTP_GET, "/api/personas", "/api/personas");
    assert_not_found(r, HTTP_GET, "/api/personas/");
    assert_not_found(r, HTTP_GET, "/api/personas/7/");
    router_free(r);
}

static void empty_segments_do_not_match(void **state)
{
    (void)state;
    struct router *r = compile_ok(crud, ARRAY_SIZE(crud), 0);
    assert_not_found(r, HTTP_GET, "//api/personas");
    assert_not_found(r, HTTP_GET, "/api//personas");
    assert_not_found(r, HTTP_GET, "/api/personas//");
    /* an empty segment is not a parameter value */
    assert_not_found(r, HTTP_GET, "/api/personas//x");
    router_free(r);
}

static void relative_and_empty_paths_do_not_match(void **state)
{
    (void)state;
    struct router *r = compile_ok(crud, ARRAY_SIZE(crud), 0);
    assert_not_found(r, HTTP_GET, "api/personas");
    assert_not_found(r, HTTP_GET, "");
    assert_not_found(r, HTTP_GET, "*");
    struct result m;
    m.rc = router_match(r, HTTP_GET, span_make(NULL, 0), &m.route, &m.params, &m.allowed);
    assert_int_equal(m.rc, ROUTER_NOT_FOUND);
    router_free(r);
}

static void root_route_matches_only_the_root(void **state)
{
    (void)state;
    static const struct route routes[] = {
        { HTTP_GET, "/", h_a, 0 },
        { HTTP_GET, "/:page", h_b, 0 },
    };
    struct router *r = compile_ok(routes, ARRAY_SIZE(routes), 0);
    struct result m = assert_found(r, HTTP_GET, "/", "/");
    assert_int_equal(m.params.n, 0);
    assert_found(r, HTTP_GET, "/about", "/:page");
    assert_not_found(r, HTTP_GET, "//");
    router_free(r);
}

static void path_match_is_case_sensitive_and_exact(void **state)
{
    (void)state;
    struct router *r = compile_ok(crud, ARRAY_SIZE(crud), 0);
    assert_not_found(r, HTTP_GET, "/API/personas");
    assert_not_found(r, HTTP_GET, "/api/persona");
    assert_not_found(r, HTTP_GET, "/api/personasx");
    router_free(r);
}

/* ---- the segment limit ---------------------------------------------------------------------- */

static void exactly_max_segments_match(void **state)
{
    (void)state;
    char pattern[256], path[256];
    path_of(pattern, sizeof(pattern), ROUTE_MAX_SEGMENTS, "s");
    const struct route routes[] = { { HTTP_GET, pattern, h_a, 0 } };
    struct router *r = compile_ok(routes, 1, 0);
    path_of(path, sizeof(path), ROUTE_MAX_SEGMENTS, "s");
    assert_found(r, HTTP_GET, path, pattern);
    router_free(r);
}

static void one_segment_over_the_limit_does_not_match(void **state)
{
    (void)state;
    char pattern[256], path[256];
    path_of(pattern, sizeof(pattern), ROUTE_MAX_SEGMENTS, "s");
    const struct route routes[] = {
        { HTTP_GET, pattern, h_a, 0 },
        { HTTP_GET, "/s/:a/:b/:c/:d/:e/:f/:g/:h/s/s/s/s/s/s/s", h_b, 0 },
    };
    struct router *r = compile_ok(routes, ARRAY_SIZE(routes), 0);
    path_of(path, sizeof(path), ROUTE_MAX_SEGMENTS + 1, "s");
    assert_not_found(r, HTTP_GET, path);
    router_free(r);
}

static void pattern_over_the_segment_limit_is_refused(void **state)
{
    (void)state;
    char pattern[256];
    path_of(pattern, sizeof(pattern), ROUTE_MAX_SEGMENTS + 1, "s");
    const struct route routes[] = { { HTTP_GET, pattern, h_a, 0 } };
    assert_refused(routes, 1, "malformed pattern");
}

/* ---- router_new refusals -----------------------------------------------------------------------
 */

static void same_pattern_and_method_twice_is_refused(void **state)
{
    (void)state;
    static const struct route routes[] = {
        { HTTP_GET, "/a/b", h_a, 0 },
        { HTTP_GET, "/a/b", h_b, 0 },
    };
    assert_refused(routes, ARRAY_SIZE(routes), "routes '/a/b' and '/a/b' overlap for GET");
}

static void same_shape_with_other_param_names_is_refused(void **state)
{
    (void)state;
    static const struct route routes[] = {
        { HTTP_POST, "/a/:id/x", h_a, 0 },
        { HTTP_GET, "/a/:id/x", h_a, 0 },
        { HTTP_POST, "/a/:name/x", h_b, 0 },
    };
    assert_refused(routes, ARRAY_SIZE(routes),
                   "routes '/a/:id/x' and '/a/:name/x' overlap for POST");
}

static void same_shape_with_other_methods_is_accepted(void **state)
{
    (void)state;
    static const struct route routes[] = {
        { HTTP_GET, "/a/:id", h_a, 0 },
        { HTTP_PUT, "/a/:id", h_a, 0 },
        { HTTP_GET, "/a/b", h_b, 0 },
        { HTTP_GET, "/a/:id/c", h_b, 0 },
    };
    struct router *r = compile_ok(routes, ARRAY_SIZE(routes), 0);
    assert_int_equal(router_count(r), ARRAY_SIZE(routes));
    router_free(r);
}

static void malformed_patterns_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *pattern;
        const char *want;
    } cases[] = {
        { "", "malformed pattern" },         { "api/x", "malformed pattern" },
        { "/api/", "malformed pattern" },    { "//api", "malformed pattern" },
        { "/a//b", "malformed pattern" },    { "/:", "bad parameter name" },
        { "/a/:Id", "bad parameter name" },  { "/a/:1d", "bad parameter name" },
        { "/a/:a-b", "bad parameter name" }, { "/a/:a:b", "bad parameter name" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct route routes[] = { { HTTP_GET, cases[i].pattern, h_a, 0 } };
        char want[128];
        snprintf(want, sizeof(want), "route '%s': %s", cases[i].pattern, cases[i].want);
        assert_refused(routes, 1, want);
    }
}

static void good_parameter_names_are_accepted(void **state)
{
    (void)state;
    static const struct route routes[] = {
        { HTTP_GET, "/a/:id", h_a, 0 },
        { HTTP_GET, "/b/:run_id2", h_a, 0 },
        { HTTP_GET, "/c/:_x", h_a, 0 },
    };
    struct router *r = compile_ok(routes, ARRAY_SIZE(routes), 0);
    struct result m = assert_found(r, HTTP_GET, "/b/9", "/b/:run_id2");
    assert_true(span_is(route_param(&m.params, "run_id2"), "9"));
    router_free(r);
}

static void bad_methods_are_refused(void **state)
{
    (void)state;
    static const unsigned methods[] = { 0, HTTP_HEAD, HTTP_GET | HTTP_POST, 1u << 7, 1u << 31 };
    for (size_t i = 0; i < ARRAY_SIZE(methods); i++) {
        const struct route routes[] = { { methods[i], "/x", h_a, 0 } };
        assert_refused(routes, 1, "route '/x': needs exactly one method, not HEAD");
    }
}

static void refused_table_names_the_later_bad_route(void **state)
{
    (void)state;
    static const struct route routes[] = {
        { HTTP_GET, "/fine", h_a, 0 },
        { HTTP_GET, "/broken/", h_a, 0 },
    };
    assert_refused(routes, ARRAY_SIZE(routes), "route '/broken/': malformed pattern");
}

/* ---- skip_flags
 * ------------------------------------------------------------------------------------ */

static const struct route with_test_only[] = {
    { HTTP_GET, "/healthz", h_a, 0 },
    { HTTP_POST, "/api/_test/echo", h_b, ROUTE_BODY_JSON | ROUTE_TEST_ONLY },
    { HTTP_GET, "/api/_test/slow", h_b, ROUTE_TEST_ONLY },
};

static void test_only_routes_are_skipped_by_skip_flags(void **state)
{
    (void)state;
    struct router *r = compile_ok(with_test_only, ARRAY_SIZE(with_test_only), ROUTE_TEST_ONLY);
    assert_int_equal(router_count(r), 1);
    assert_string_equal(router_route(r, 0)->pattern, "/healthz");
    assert_null(router_route(r, 1));
    assert_not_found(r, HTTP_POST, "/api/_test/echo");
    assert_not_found(r, HTTP_GET, "/api/_test/slow");
    assert_found(r, HTTP_GET, "/healthz", "/healthz");
    router_free(r);
}

static void test_only_routes_are_kept_without_skip_flags(void **state)
{
    (void)state;
    struct router *r = compile_ok(with_test_only, ARRAY_SIZE(with_test_only), 0);
    assert_int_equal(router_count(r), 3);
    struct result m = assert_found(r, HTTP_POST, "/api/_test/echo", "/api/_test/echo");
    assert_true(m.route->flags & ROUTE_BODY_JSON);
    router_free(r);
}

static void skipped_routes_are_not_checked(void **state)
{
    (void)state;
    static const struct route routes[] = {
        { HTTP_GET, "/a", h_a, 0 },
        { HTTP_GET, "/a", h_b, ROUTE_TEST_ONLY },    /* would overlap */
        { HTTP_GET, "bad//", h_b, ROUTE_TEST_ONLY }, /* would be malformed */
    };
    struct router *r = compile_ok(routes, ARRAY_SIZE(routes), ROUTE_TEST_ONLY);
    assert_int_equal(router_count(r), 1);
    router_free(r);
}

static void empty_table_matches_nothing(void **state)
{
    (void)state;
    struct router *r = compile_ok(NULL, 0, 0);
    assert_int_equal(router_count(r), 0);
    assert_null(router_route(r, 0));
    assert_not_found(r, HTTP_GET, "/");
    router_free(r);
    router_free(NULL);
}

/* ---- method helpers
 * ---------------------------------------------------------------------------------- */

static void method_names_round_trip(void **state)
{
    (void)state;
    static const unsigned all[] = { HTTP_GET,   HTTP_HEAD,   HTTP_POST,   HTTP_PUT,
                                    HTTP_PATCH, HTTP_DELETE, HTTP_OPTIONS };
    static const char *const names[] = {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"
    };
    for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
        assert_int_equal(http_method_parse(names[i]), all[i]);
        assert_string_equal(http_method_name(all[i]), names[i]);
    }
}

static void unknown_method_tokens_parse_to_zero(void **state)
{
    (void)state;
    assert_int_equal(http_method_parse("get"), 0);
    assert_int_equal(http_method_parse(""), 0);
    assert_int_equal(http_method_parse("GETX"), 0);
    assert_int_equal(http_method_parse("GE"), 0);
    assert_int_equal(http_method_parse("CONNECT"), 0);
    assert_int_equal(http_method_parse("TRACE"), 0);
    assert_int_equal(http_method_parse(" GET"), 0);
}

static void name_of_no_or_several_methods_is_question_mark(void **state)
{
    (void)state;
    assert_string_equal(http_method_name(0), "?");
    assert_string_equal(http_method_name(HTTP_GET | HTTP_POST), "?");
    assert_string_equal(http_method_name(1u << 7), "?");
}

static void methods_format_lists_in_table_order(void **state)
{
    (void)state;
    char out[128];
    http_methods_format(0, out, sizeof(out));
    assert_string_equal(out, "");
    http_methods_format(HTTP_GET, out, sizeof(out));
    assert_string_equal(out, "GET, HEAD");
    http_methods_format(HTTP_HEAD, out, sizeof(out));
    assert_string_equal(out, "HEAD");
    http_methods_format(HTTP_DELETE | HTTP_POST, out, sizeof(out));
    assert_string_equal(out, "POST, DELETE");
    http_methods_format(HTTP_OPTIONS | HTTP_PATCH | HTTP_PUT | HTTP_DELETE | HTTP_POST | HTTP_GET,
                        out, sizeof(out));
    assert_string_equal(out, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
}

static void methods_format_stays_within_a_small_buffer(void **state)
{
    (void)state;
    char out[16];
    memset(out, 'x', sizeof(out));
    http_methods_format(HTTP_GET | HTTP_POST, out, 10); /* "GET, HEAD" fits exactly */
    assert_string_equal(out, "GET, HEAD");
    assert_int_equal(out[10], 'x');
    memset(out, 'x', sizeof(out));
    http_methods_format(HTTP_GET, out, 4);
    assert_int_equal(strnlen(out, 4), 3); /* NUL-terminated inside the buffer */
    assert_int_equal(out[4], 'x');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literal_beats_parameter_when_listed_first),
        cmocka_unit_test(literal_beats_parameter_when_listed_last),
        cmocka_unit_test(earliest_differing_literal_wins),
        cmocka_unit_test(parameters_are_captured_by_name),
        cmocka_unit_test(absent_parameter_is_an_empty_null_span),
        cmocka_unit_test(parameter_value_may_hold_any_bytes_but_slash),
        cmocka_unit_test(eight_parameters_are_accepted_and_nine_refused),
        cmocka_unit_test(unknown_path_is_not_found),
        cmocka_unit_test(known_path_with_other_method_gives_allowed_set),
        cmocka_unit_test(allowed_set_comes_from_the_winning_pattern_only),
        cmocka_unit_test(head_is_served_by_get_routes),
        cmocka_unit_test(head_on_a_path_without_get_is_405),
        cmocka_unit_test(unknown_method_on_a_known_path_is_405),
        cmocka_unit_test(trailing_slash_does_not_match),
        cmocka_unit_test(empty_segments_do_not_match),
        cmocka_unit_test(relative_and_empty_paths_do_not_match),
        cmocka_unit_test(root_route_matches_only_the_root),
        cmocka_unit_test(path_match_is_case_sensitive_and_exact),
        cmocka_unit_test(exactly_max_segments_match),
        cmocka_unit_test(one_segment_over_the_limit_does_not_match),
        cmocka_unit_test(pattern_over_the_segment_limit_is_refused),
        cmocka_unit_test(same_pattern_and_method_twice_is_refused),
        cmocka_unit_test(same_shape_with_other_param_names_is_refused),
        cmocka_unit_test(same_shape_with_other_methods_is_accepted),
        cmocka_unit_test(malformed_patterns_are_refused),
        cmocka_unit_test(good_parameter_names_are_accepted),
        cmocka_unit_test(bad_methods_are_refused),
        cmocka_unit_test(refused_table_names_the_later_bad_route),
        cmocka_unit_test(test_only_routes_are_skipped_by_skip_flags),
        cmocka_unit_test(test_only_routes_are_kept_without_skip_flags),
        cmocka_unit_test(skipped_routes_are_not_checked),
        cmocka_unit_test(empty_table_matches_nothing),
        cmocka_unit_test(method_names_round_trip),
        cmocka_unit_test(unknown_method_tokens_parse_to_zero),
        cmocka_unit_test(name_of_no_or_several_methods_is_question_mark),
        cmocka_unit_test(methods_format_lists_in_table_order),
        cmocka_unit_test(methods_format_stays_within_a_small_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
