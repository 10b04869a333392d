/*
 * tests/unit/api/test_routes.c - the route table (api/routes.c): it compiles
 * with and without the test-only routes, and every route in it is described
 * in the embedded docs/openapi.yaml, its path (":id" written "{id}") as a key
 * under "paths:" and its method as a key under that path.
 *
 * The YAML is read with a small line scanner, not a YAML parser: top-level
 * keys start in column 0, path keys are indented by 2 spaces, method keys by
 * 4; comments, blank lines and deeper lines are skipped; keys may be quoted.
 * The scanner itself is checked on inline documents first.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "api/routes.h"
#include "core/buf.h"
#include "core/embed.h"
#include "http/router.h"

#define OPENAPI_PATH "docs/openapi.yaml"

/* ---- the line scanner ------------------------------------------------------------------- */

/*
 * True when the text at s (one line, n bytes, indentation already removed)
 * is the mapping key want: `want:` or `'want':` or `"want":`, followed by
 * the end of the line, a space, or (for flow values) anything after ": ".
 */
static bool line_is_key(const char *s, size_t n, const char *want)
{
    size_t w = strlen(want);
    size_t k = 0;
    if (n && (s[0] == '\'' || s[0] == '"')) {
        char q = s[0];
        if (n < w + 2 || memcmp(s + 1, want, w) != 0 || s[w + 1] != q)
            return false;
        k = w + 2;
    } else {
        if (n < w || memcmp(s, want, w) != 0)
            return false;
        k = w;
    }
    if (k >= n || s[k] != ':')
        return false;
    return k + 1 == n || s[k + 1] == ' ';
}

/* Number of leading spaces of line[0..n). */
static size_t indent_of(const char *line, size_t n)
{
    size_t i = 0;
    while (i < n && line[i] == ' ')
        i++;
    return i;
}

/*
 * True when yaml has the key method (lower case) directly under the key path
 * directly under the top-level key "paths".
 */
static bool openapi_has(const char *yaml, size_t len, const char *path, const char *method)
{
    bool in_paths = false, in_path = false;
    size_t pos = 0;
    while (pos < len) {
        const char *line = yaml + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + 1;
        if (n && line[n - 1] == '\r')
            n--;
        size_t ind = indent_of(line, n);
        if (ind == n || line[ind] == '#')
            continue; /* blank or comment */
        if (ind == 0) {
            in_paths = line_is_key(line, n, "paths");
            in_path = false;
        } else if (in_paths && ind == 2) {
            in_path = line_is_key(line + 2, n - 2, path);
        } else if (in_path && ind == 4 && line_is_key(line + 4, n - 4, method)) {
            return true;
        }
    }
    return false;
}

/* Writes pattern with each ":name" segment as "{name}" into out. */
static void openapi_path_of(const char *pattern, char *out, size_t size)
{
    struct buf b;
    buf_init(&b, size - 1);
    for (const char *p = pattern; *p; p++) {
        if (*p == ':' && p > pattern && p[-1] == '/') {
            size_t name = strcspn(p + 1, "/");
            buf_addf(&b, "{%.*s}", (int)name, p + 1);
            p += name;
        } else {
            buf_addch(&b, *p);
        }
    }
    assert_false(b.failed);
    snprintf(out, size, "%s", b.data);
    buf_release(&b);
}

/* Method names in OpenAPI are lower case. */
static void lower_method_of(unsigned method, char *out, size_t size)
{
    const char *name = http_method_name(method);
    size_t i = 0;
    for (; name[i] && i + 1 < size; i++)
        out[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
    out[i] = '\0';
}

static bool doc_has(const char *yaml, const char *path, const char *method)
{
    return openapi_has(yaml, strlen(yaml), path, method);
}

/* ---- the scanner on inline documents ------------------------------------------------------- */

static const char sample[] = "openapi: 3.0.3\n"
                             "info:\n"
                             "  title: x\n"
                             "  /not-a-path:\n"
                             "    get:\n"
                             "paths:\n"
                             "  # a comment\n"
                             "  /healthz:\n"
                             "    get:\n"
                             "      summary: liveness\n"
                             "      post:\n"
                             "\n"
                             "  '/api/personas/{id}':\r\n"
                             "    parameters: []\r\n"
                             "    delete:\r\n"
                             "    patch: {summary: x}\n"
                             "  /api/personas:\n"
                             "    summary: list\n"
                             "components:\n"
                             "  /late:\n"
                             "    put:\n";

static void scanner_finds_methods_under_their_path(void **state)
{
    (void)state;
    assert_true(doc_has(sample, "/healthz", "get"));
    assert_true(doc_has(sample, "/api/personas/{id}", "delete"));
    assert_true(doc_has(sample, "/api/personas/{id}", "patch"));
}

static void scanner_ignores_deeper_keys_and_other_paths(void **state)
{
    (void)state;
    assert_false(doc_has(sample, "/healthz", "post"));            /* indented 6 */
    assert_false(doc_has(sample, "/healthz", "delete"));          /* under another path */
    assert_false(doc_has(sample, "/api/personas", "delete"));     /* a longer path has it */
    assert_false(doc_has(sample, "/health", "get"));              /* prefix of a path */
    assert_false(doc_has(sample, "/api/personas/{id}", "param")); /* prefix of a key */
}

static void scanner_ignores_keys_outside_paths(void **state)
{
    (void)state;
    assert_false(doc_has(sample, "/not-a-path", "get"));
    assert_false(doc_has(sample, "/late", "put"));
}

static void scanner_finds_nothing_in_an_empty_document(void **state)
{
    (void)state;
    assert_false(doc_has("", "/healthz", "get"));
    assert_false(doc_has("paths:\n", "/healthz", "get"));
}

static void patterns_convert_to_openapi_paths(void **state)
{
    (void)state;
    char out[128];
    openapi_path_of("/api/personas/:id", out, sizeof(out));
    assert_string_equal(out, "/api/personas/{id}");
    openapi_path_of("/api/tests/:test_id/runs/:run_id/events", out, sizeof(out));
    assert_string_equal(out, "/api/tests/{test_id}/runs/{run_id}/events");
    openapi_path_of("/healthz", out, sizeof(out));
    assert_string_equal(out, "/healthz");
    lower_method_of(HTTP_DELETE, out, sizeof(out));
    assert_string_equal(out, "delete");
}

/* ---- the real table ---------------------------------------------------------------------------
 */

static void route_table_compiles(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    struct router *r = router_new(api_routes, n_api_routes, 0, &e);
    if (!r)
        fail_msg("router_new(api_routes) refused: %s", e.msg);
    assert_int_equal(router_count(r), n_api_routes);
    router_free(r);
}

static void route_table_compiles_without_test_routes(void **state)
{
    (void)state;
    size_t n_test_only = 0;
    for (size_t i = 0; i < n_api_routes; i++)
        n_test_only += (api_routes[i].flags & ROUTE_TEST_ONLY) != 0;
    struct err e = ERR_INIT;
    struct router *r = router_new(api_routes, n_api_routes, ROUTE_TEST_ONLY, &e);
    if (!r)
        fail_msg("router_new(api_routes, ROUTE_TEST_ONLY) refused: %s", e.msg);
    assert_int_equal(router_count(r), n_api_routes - n_test_only);
    router_free(r);
}

static void every_route_has_a_handler(void **state)
{
    (void)state;
    assert_true(n_api_routes > 0);
    for (size_t i = 0; i < n_api_routes; i++)
        if (!api_routes[i].handler)
            fail_msg("route %s %s has no handler", http_method_name(api_routes[i].method),
                     api_routes[i].pattern);
}

static void every_route_is_in_openapi_yaml(void **state)
{
    (void)state;
    const struct embedded_file *f = embed_find(OPENAPI_PATH);
    if (!f)
        fail_msg("%s is not embedded", OPENAPI_PATH);
    struct buf missing;
    buf_init(&missing, 16 * 1024);
    size_t n_missing = 0;
    for (size_t i = 0; i < n_api_routes; i++) {
        char path[512], method[16];
        openapi_path_of(api_routes[i].pattern, path, sizeof(path));
        lower_method_of(api_routes[i].method, method, sizeof(method));
        if (!openapi_has(f->data, f->len, path, method)) {
            buf_addf(&missing, "  %s %s\n", method, path);
            n_missing++;
        }
    }
    if (n_missing) {
        /* copy out, so the buffer is freed before cmocka jumps away */
        char msg[2048];
        snprintf(msg, sizeof(msg), "%s", missing.data);
        buf_release(&missing);
        fail_msg("%zu of %zu routes are not described in %s (%zu bytes):\n%s", n_missing,
                 n_api_routes, OPENAPI_PATH, f->len, msg);
    }
    buf_release(&missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scanner_finds_methods_under_their_path),
        cmocka_unit_test(scanner_ignores_deeper_keys_and_other_paths),
        cmocka_unit_test(scanner_ignores_keys_outside_paths),
        cmocka_unit_test(scanner_finds_nothing_in_an_empty_document),
        cmocka_unit_test(patterns_convert_to_openapi_paths),
        cmocka_unit_test(route_table_compiles),
        cmocka_unit_test(route_table_compiles_without_test_routes),
        cmocka_unit_test(every_route_has_a_handler),
        cmocka_unit_test(every_route_is_in_openapi_yaml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
