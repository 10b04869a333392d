/*
 * http/router.h - matches a method and a path against the static route
 * table (STYLE.md H5; the table itself is api/routes.c).
 *
 * Patterns are absolute paths whose segments are literals or parameters
 * (":id"). When several patterns match a path, the most specific wins: at
 * the first segment where they differ, a literal beats a parameter
 * (/api/personas/templates before /api/personas/:id). The method is checked
 * against the winning pattern only, so a path that exists with another
 * method gives ROUTER_METHOD and the set of allowed methods (405 + Allow).
 * HEAD is served by GET routes.
 *
 * A struct router is immutable after router_new(), so any thread may match.
 * router_match() is a pure function of its input (fuzzed: tests/fuzz).
 */
#ifndef HTTP_ROUTER_H
#define HTTP_ROUTER_H

#include "core/compat.h"
#include "core/err.h"
#include "core/span.h"

struct req;

/* A handler answers with resp_*() and returns ERR_OK, or returns an error
 * that the server turns into the one JSON error response (STYLE.md E4). */
typedef enum err_code route_fn(struct req *req, struct err *err);

enum http_method {
    HTTP_GET = 1 << 0,
    HTTP_HEAD = 1 << 1,
    HTTP_POST = 1 << 2,
    HTTP_PUT = 1 << 3,
    HTTP_PATCH = 1 << 4,
    HTTP_DELETE = 1 << 5,
    HTTP_OPTIONS = 1 << 6,
};

/* Route flags. */
#define ROUTE_BODY_JSON (1u << 0) /* a body must be application/json (else 415) */
#define ROUTE_TEST_ONLY (1u << 1) /* exists only when CROWDELIC_ENV=test */
#define ROUTE_PUBLIC    (1u << 2) /* the server's guard is not called (register, login, health) */

#define ROUTE_MAX_SEGMENTS 16
#define ROUTE_MAX_PARAMS   8

struct route {
    unsigned method; /* exactly one enum http_method */
    const char *pattern;
    route_fn *handler;
    unsigned flags;
};

struct route_params {
    size_t n;
    struct {
        struct span name;  /* borrowed from the route table */
        struct span value; /* borrowed from the matched path */
    } items[ROUTE_MAX_PARAMS];
};

enum router_result {
    ROUTER_FOUND,
    ROUTER_NOT_FOUND,
    ROUTER_METHOD, /* the path exists, not with this method */
};

struct router;

/*
 * Compiles routes[0..n) (borrowed: the table must outlive the router),
 * skipping those whose flags intersect skip_flags. ERR_INVALID naming the
 * pattern for a malformed one or two routes with the same method and shape.
 */
struct router *router_new(const struct route *routes, size_t n, unsigned skip_flags,
                          struct err *err);
void router_free(struct router *r);

/*
 * Matches. On ROUTER_FOUND *route and *params are set (params borrow from
 * path). On ROUTER_METHOD *allowed holds the methods the path accepts.
 */
enum router_result router_match(const struct router *r, unsigned method, struct span path,
                                const struct route **route, struct route_params *params,
                                unsigned *allowed);

/* Number of compiled routes, and the i-th (for listings and tests). */
size_t router_count(const struct router *r);
const struct route *router_route(const struct router *r, size_t i);

/* The method for a request-line token ("GET"), or 0 when unknown. */
unsigned http_method_parse(const char *s);
const char *http_method_name(unsigned method);
/* Writes "GET, HEAD, POST" for a mask (GET implies HEAD). */
void http_methods_format(unsigned mask, char *out, size_t n);

/* The value of parameter name, or an empty span with ptr NULL when absent. */
struct span route_param(const struct route_params *p, const char *name);

#endif
