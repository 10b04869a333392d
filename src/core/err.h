/*
 * core/err.h - the one error vocabulary of the program (STYLE.md 3.5).
 *
 * A fallible function returns enum err_code (ERR_OK is 0) and, when it has
 * something to explain, fills the struct err passed as its last parameter.
 * The code, its HTTP status and its stable slug are defined together in
 * ERR_CODES so they cannot drift apart; a slug, once shipped, never changes.
 * Thread-safety: everything here is reentrant.
 */
#ifndef CORE_ERR_H
#define CORE_ERR_H

#include "core/compat.h"

#define ERR_CODES(X)                             \
    X(OK, 200, "ok")                             \
    X(INVALID, 400, "invalid_request")           \
    X(BAD_JSON, 400, "malformed_json")           \
    X(UNAUTHORIZED, 401, "unauthorized")         \
    X(FORBIDDEN, 403, "forbidden")               \
    X(NOT_FOUND, 404, "not_found")               \
    X(METHOD, 405, "method_not_allowed")         \
    X(CONFLICT, 409, "conflict")                 \
    X(TOO_LARGE, 413, "payload_too_large")       \
    X(MEDIA_TYPE, 415, "unsupported_media_type") \
    X(PLAN_LIMIT, 422, "plan_limit")             \
    X(RATE_LIMITED, 429, "rate_limited")         \
    X(INTERNAL, 500, "internal")                 \
    X(UPSTREAM, 502, "upstream_error")           \
    X(UNAVAILABLE, 503, "unavailable")           \
    X(TIMEOUT, 504, "timeout")

enum err_code {
#define X(name, status, slug) ERR_##name,
    ERR_CODES(X)
#undef X
        ERR_COUNT_
};

struct err {
    enum err_code code;
    char field[64]; /* the input field at fault, "" if none */
    char msg[256];  /* for humans; never sent to clients for a 5xx */
};

#define ERR_INIT \
    {            \
        0        \
    }

/*
 * Sets *e (when e is not NULL) and returns code, so callers can write
 * `return err_set(err, ERR_NOT_FOUND, "id", "no persona '%s'", id);`.
 * field may be NULL. Messages longer than the buffer are truncated.
 */
enum err_code err_set(struct err *e, enum err_code code, const char *field, const char *fmt, ...)
    ATTR_PRINTF(4, 5);

/* Prefixes e->msg with "<prefix>: " (e.g. the name of a file being read). */
void err_prefix(struct err *e, const char *prefix);

/*
 * Keeps e's message and gives it another code and field (NULL: none), for
 * a caller that knows better what failed ("no conversation" was the body's
 * conversation_id, not the path's id). Returns code.
 */
enum err_code err_recast(struct err *e, enum err_code code, const char *field);

/* Resets *e to ERR_OK with empty field and message. */
void err_clear(struct err *e);

int err_http_status(enum err_code code);
const char *err_slug(enum err_code code);

/*
 * BUG(): a programmer error; logs file and line to stderr and aborts in every
 * build. NEVER(cond): true when cond holds; asserts in debug builds so the
 * defensive branch is found in tests, and recovers in release (STYLE.md E6).
 */
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
void bug_at(const char *file, int line, const char *fmt, ...) ATTR_PRINTF(3, 4) ATTR_NORETURN;

#ifdef NDEBUG
#    define NEVER(cond) (cond)
#else
#    define NEVER(cond) ((cond) ? (assert(!(#    cond)), 1) : 0)
#endif

#endif
