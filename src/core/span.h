/*
 * core/span.h - a view of bytes that is not NUL-terminated (STYLE.md S1),
 * and the checked number parsers every parser in the program uses.
 *
 * A span borrows its bytes; it is valid while they are. Print with "%.*s".
 * Never pass span.ptr to a function that expects a C string.
 */
#ifndef CORE_SPAN_H
#define CORE_SPAN_H

#include "core/compat.h"

struct span {
    const char *ptr;
    size_t len;
};

#define SPAN_LIT(s) ((struct span){ (s), sizeof(s) - 1 })
#define SPAN_FMT(s) (int)(s).len, (s).ptr

static inline struct span span_make(const char *ptr, size_t len)
{
    return (struct span){ ptr, len };
}

static inline struct span span_cstr(const char *s)
{
    return (struct span){ s, s ? strlen(s) : 0 };
}

bool span_eq(struct span a, struct span b);
bool span_eq_cstr(struct span a, const char *s);
bool span_eq_nocase(struct span a, const char *s);
bool span_starts_with(struct span a, const char *prefix);
bool span_ends_with(struct span a, const char *suffix);
/* Strips ASCII spaces and tabs from both ends. */
struct span span_trim(struct span a);
/*
 * Splits *rest at the first sep: returns the part before it and leaves
 * *rest after it (empty when sep was not found; the whole span is returned).
 */
struct span span_cut(struct span *rest, char sep);

/*
 * Parse a whole span as a decimal integer: span_parse_i64 takes an optional
 * sign and checks [min, max]; span_parse_u64 takes digits only and checks
 * [0, max]. At least one digit, nothing else (no spaces). Return false on
 * any other text or a value out of range; *out is untouched then.
 */
bool span_parse_i64(struct span s, int64_t min, int64_t max, int64_t *out);
bool span_parse_u64(struct span s, uint64_t max, uint64_t *out);

#endif
