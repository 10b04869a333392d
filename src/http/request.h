/*
 * http/request.h - what a handler sees of a request: method, path, route
 * parameters, query arguments, headers, the body, the request id, a pool
 * for temporaries, and the application context given to the server.
 *
 * A struct req lives from the first byte of the request until its response
 * has been sent; pointers returned here are valid until then. A handler runs
 * on an HTTP pool thread and must not block (reference/libs.md 3.1): short
 * database work is fine, anything slow goes to a worker with req_defer().
 * Only the thread that holds the request may call these functions: the HTTP
 * thread during the handler, then the worker between req_defer() and
 * req_complete().
 */
#ifndef HTTP_REQUEST_H
#define HTTP_REQUEST_H

#include "core/compat.h"
#include "core/err.h"
#include "core/pool.h"
#include "core/span.h"

#include <jansson.h>

struct req;

unsigned req_method(const struct req *req); /* enum http_method */
const char *req_path(const struct req *req);
/* The matched route's pattern ("/api/personas/:id"), or NULL. */
const char *req_route_pattern(const struct req *req);
const char *req_id(const struct req *req);
struct pool *req_pool(struct req *req);
/* The application context given to http_server_start(). */
void *req_app(const struct req *req);

/* A route parameter as a NUL-terminated copy in the request pool, or NULL. */
const char *req_param(struct req *req, const char *name);
/* A query argument (already percent-decoded), or NULL. */
const char *req_query(const struct req *req, const char *name);
/*
 * An integer query argument in [min, max]: def when absent. ERR_INVALID
 * naming the argument when it is not a whole number in range.
 */
enum err_code req_query_int(const struct req *req, const char *name, int64_t def, int64_t min,
                            int64_t max, int64_t *out, struct err *err);
/* A request header (case-insensitive name), or NULL. */
const char *req_header(const struct req *req, const char *name);

/* The client's address as text ("127.0.0.1", "::1"; "" when unknown). */
const char *req_client(struct req *req);

/* What the server's guard learned about the caller (pool memory), or NULL. */
void req_set_user(struct req *req, void *user);
void *req_user(const struct req *req);

/* The raw body (empty span when none). */
struct span req_body(const struct req *req);

/*
 * Parses the body as JSON (duplicate keys rejected) into *out, a new
 * reference the request owns: it is released with the request, so the
 * caller never decrefs it. ERR_BAD_JSON with line and column on failure.
 */
enum err_code req_json(struct req *req, json_t **out, struct err *err);

/*
 * Asynchronous answers. A handler that will answer from another thread calls
 * req_defer() before handing req over, then returns ERR_OK. The other thread
 * writes the response with resp_*() (or resp_error()) and then calls
 * req_complete() exactly once; after that it must not touch req. The
 * connection sleeps in between and costs no thread.
 */
void req_defer(struct req *req);
void req_complete(struct req *req);

#endif
