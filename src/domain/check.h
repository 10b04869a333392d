/*
 * domain/check.h - the input checks every domain module shares: a piece of
 * user text (valid UTF-8, no control characters, a length in characters)
 * and an object's id (a UUID; anything else is simply not found, so no
 * query runs for it).
 */
#ifndef DOMAIN_CHECK_H
#define DOMAIN_CHECK_H

#include "core/compat.h"
#include "core/err.h"
#include "core/span.h"

/* How check_text treats its text. */
enum text_rule {
    TEXT_LINE = 0,      /* one line: no control characters at all */
    TEXT_MULTILINE = 1, /* newlines and tabs allowed */
    TEXT_TRIM = 2,      /* checked (and *out) without surrounding spaces */
};

/*
 * Checks s (NUL-terminated) against [min, max] characters as valid UTF-8
 * with no control characters (rules: TEXT_* flags). ERR_INVALID naming
 * field otherwise. *out is the text checked (trimmed with TEXT_TRIM).
 */
enum err_code check_text(const char *field, const char *s, size_t min, size_t max, unsigned rules,
                         struct span *out, struct err *err);

/*
 * ERR_OK when id is a UUID; otherwise ERR_NOT_FOUND (field "id") saying
 * "no <what> '<id>'", the same answer an id that exists nowhere gets.
 */
enum err_code check_id(const char *id, const char *what, struct err *err);

/* ERR_INVALID naming "limit" unless 1 <= limit <= max, or "offset" when it is negative. */
enum err_code check_page(int64_t limit, int64_t offset, int64_t max, struct err *err);

#endif
