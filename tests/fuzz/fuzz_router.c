/*
 * tests/fuzz/fuzz_router.c - fuzzes the request-line parsers of http/
 * (STYLE.md Z1): router_match on a fixed table shaped like api/routes.c
 * (literals against parameters, several parameters, the segment and
 * parameter limits), plus sse_parse_event_id, static_path_is_safe,
 * static_mime_type and sse_format_event on the same bytes.
 *
 * Input: "METHOD\npath"; without a newline the method is GET and the whole
 * input is the path. Each result is checked against the router's contract
 * and any breach aborts. The router is compiled once and never changes, so
 * inputs stay independent. Corpus: tests/fuzz/corpus/router/.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "http/router.h"
#include "http/sse.h"
#include "http/static.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum err_code handler(struct req *req, struct err *err)
{
    (void)req;
    (void)err;
    return ERR_OK;
}

static const struct route routes[] = {
    { HTTP_GET, "/healthz", handler, 0 },
    { HTTP_GET, "/readyz", handler, 0 },
    { HTTP_GET, "/metrics", handler, 0 },
    { HTTP_GET, "/api/openapi.yaml", handler, 0 },
    { HTTP_POST, "/api/_test/echo", handler, ROUTE_BODY_JSON | ROUTE_TEST_ONLY },
    { HTTP_GET, "/api/_test/ticker", handler, ROUTE_TEST_ONLY },
    { HTTP_GET, "/api/personas", handler, 0 },
    { HTTP_POST, "/api/personas", handler, ROUTE_BODY_JSON },
    { HTTP_GET, "/api/personas/templates", handler, 0 },
    { HTTP_GET, "/api/personas/:id", handler, 0 },
    { HTTP_PATCH, "/api/personas/:id", handler, ROUTE_BODY_JSON },
    { HTTP_DELETE, "/api/personas/:id", handler, 0 },
    { HTTP_GET, "/api/tests/:test_id/runs/:run_id", handler, 0 },
    { HTTP_GET, "/api/tests/:test_id/runs/:run_id/events", handler, 0 },
    { HTTP_POST, "/api/tests/:test_id/runs", handler, ROUTE_BODY_JSON },
    { HTTP_PUT, "/api/workspaces/:ws/members/:user_id", handler, ROUTE_BODY_JSON },
    { HTTP_GET, "/p/:a/:b/:c/:d/:e/:f/:g/:h", handler, 0 },
    { HTTP_GET, "/s/s/s/s/s/s/s/s/s/s/s/s/s/s/s/:last", handler, 0 },
};

static const struct router *the_router(void)
{
    static struct router *r;
    if (!r) {
        struct err err = ERR_INIT;
        r = router_new(routes, ARRAY_SIZE(routes), 0, &err);
        if (!r) {
            fprintf(stderr, "fuzz_router: %s\n", err.msg);
            abort();
        }
    }
    return r;
}

/* True when s lies inside [base, base + n). */
static bool inside(struct span s, const char *base, size_t n)
{
    return s.ptr >= base && s.len <= n && s.ptr - base <= (ptrdiff_t)(n - s.len);
}

static void check_match(unsigned method, struct span path)
{
    const struct route *route = NULL;
    struct route_params params;
    unsigned allowed = 0;
    enum router_result rc = router_match(the_router(), method, path, &route, &params, &allowed);
    switch (rc) {
    case ROUTER_FOUND:
        if (!route || allowed || params.n > ROUTE_MAX_PARAMS)
            abort();
        if (route->method != method && !(method == HTTP_HEAD && route->method == HTTP_GET))
            abort();
        for (size_t i = 0; i < params.n; i++) {
            struct span v = params.items[i].value;
            if (!v.len || !inside(v, path.ptr, path.len) || memchr(v.ptr, '/', v.len))
                abort();
            char name[32];
            snprintf(name, sizeof(name), "%.*s", SPAN_FMT(params.items[i].name));
            struct span got = route_param(&params, name);
            if (got.ptr != v.ptr || got.len != v.len)
                abort(); /* parameter names of one route are distinct */
        }
        break;
    case ROUTER_METHOD: {
        if (route || !allowed || (allowed & (method == HTTP_HEAD ? HTTP_GET : method)))
            abort();
        char allow[128];
        http_methods_format(allowed, allow, sizeof(allow));
        if (!allow[0])
            abort();
        break;
    }
    case ROUTER_NOT_FOUND:
        if (route || allowed)
            abort();
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *nl = memchr(p, '\n', size);
    unsigned method = HTTP_GET;
    struct span path = span_make(p, size);
    char method_text[16] = "";
    if (nl) {
        size_t mlen = (size_t)(nl - p);
        if (mlen < sizeof(method_text)) {
            memcpy(method_text, p, mlen);
            method_text[mlen] = '\0';
        }
        method = http_method_parse(method_text); /* 0 when unknown */
        path = span_make(nl + 1, size - mlen - 1);
    }
    check_match(method, path);
    if (method == HTTP_GET)
        check_match(HTTP_HEAD, path);

    /* the other request-line helpers on the same bytes */
    uint64_t id = 0;
    if (sse_parse_event_id(p, size, &id) && id > (UINT64_C(1) << 53))
        abort();

    char *copy = malloc(size + 1);
    if (!copy)
        abort();
    memcpy(copy, p, size);
    copy[size] = '\0';
    if (static_path_is_safe(copy)) {
        if (copy[0] != '/' || strstr(copy, "/.") || strstr(copy, "//") || strchr(copy, '\\'))
            abort();
        for (const char *c = copy; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                abort();
    }
    if (!static_mime_type(copy)[0])
        abort();

    /* an event whose name and data are the input: no CR anywhere on the wire */
    struct buf wire;
    buf_init(&wire, 10 * size + 64); /* the most sse_format_event can write */
    sse_format_event(&wire, id, copy, p, size);
    if (wire.failed || memchr(wire.data, '\r', wire.len) || wire.len < 2 ||
        memcmp(wire.data + wire.len - 2, "\n\n", 2) != 0)
        abort();
    buf_release(&wire);
    free(copy);
    return 0;
}
