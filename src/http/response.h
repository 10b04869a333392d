/*
 * http/response.h - writing the one response of a request.
 *
 * Every response gets X-Request-Id, the security headers, and the CORS
 * headers when the request's Origin is allowed. Errors become
 * {"error":{"code","message","field"?}} in exactly one place, resp_error()
 * (STYLE.md E4): a 5xx shows "internal error (request <id>)" and the real
 * message goes to the log.
 *
 * Calling a resp_* function twice on one request is a programmer error.
 */
#ifndef HTTP_RESPONSE_H
#define HTTP_RESPONSE_H

#include "core/compat.h"
#include "core/err.h"

#include <jansson.h>

struct req;

/* Adds a header to the response about to be written (name and value copied). */
void resp_header(struct req *req, const char *name, const char *value);

/* Serialises body (stolen, STYLE.md M2) as application/json. */
void resp_json_take(struct req *req, int status, json_t *body);
/* Sends p[0..n) (copied) with the given content type. */
void resp_bytes(struct req *req, int status, const char *content_type, const void *p, size_t n);
/* Sends a static buffer that outlives the server (not copied). */
void resp_static(struct req *req, int status, const char *content_type, const char *p, size_t n);
/*
 * For fault injection only (crowdelic llm-serve's "truncated" fault): the
 * headers promise p[0..n) (copied; Content-Length: n), but only the first
 * cut_at bytes are sent before the connection is closed, as when a server
 * dies in the middle of an answer. cut_at >= n sends the whole body.
 */
void resp_bytes_cut(struct req *req, int status, const char *content_type, const void *p, size_t n,
                    size_t cut_at);
/* Status with no body (204, 304). */
void resp_empty(struct req *req, int status);
/* The JSON error for e; counts http_errors_total{code}. */
void resp_error(struct req *req, const struct err *e);
/*
 * resp_error with "details" (stolen; NULL: none) added to the error object:
 * the figures behind a refusal (a downgrade's usage against the plan's
 * limits). Dropped for a 5xx, whose details are internals.
 */
void resp_error_details(struct req *req, const struct err *e, json_t *details);

#endif
