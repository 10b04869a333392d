/*
 * core/span.c - span comparisons and checked integer parsing. Reentrant.
 */
#include "core/compat.h"

#include "core/span.h"

bool span_eq(struct span a, struct span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool span_eq_cstr(struct span a, const char *s)
{
    return span_eq(a, span_cstr(s));
}

bool span_eq_nocase(struct span a, const char *s)
{
    size_t n = strlen(s);
    return a.len == n && (n == 0 || strncasecmp(a.ptr, s, n) == 0);
}

bool span_starts_with(struct span a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.len >= n && (n == 0 || memcmp(a.ptr, prefix, n) == 0);
}

bool span_ends_with(struct span a, const char *suffix)
{
    size_t n = strlen(suffix);
    return a.len >= n && (n == 0 || memcmp(a.ptr + a.len - n, suffix, n) == 0);
}

struct span span_trim(struct span a)
{
    while (a.len && (a.ptr[0] == ' ' || a.ptr[0] == '\t')) {
        a.ptr++;
        a.len--;
    }
    while (a.len && (a.ptr[a.len - 1] == ' ' || a.ptr[a.len - 1] == '\t'))
        a.len--;
    return a;
}

struct span span_cut(struct span *rest, char sep)
{
    struct span head = *rest;
    const char *p = rest->len ? memchr(rest->ptr, sep, rest->len) : NULL;
    if (!p) {
        /* no arithmetic on a NULL ptr (the empty span): UB that clang flags */
        *rest = span_make(rest->len ? rest->ptr + rest->len : rest->ptr, 0);
        return head;
    }
    head.len = (size_t)(p - rest->ptr);
    *rest = span_make(p + 1, rest->len - head.len - 1);
    return head;
}

bool span_parse_u64(struct span s, uint64_t max, uint64_t *out)
{
    if (s.len == 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < '0' || c > '9')
            return false;
        if (v > (UINT64_MAX - (c - '0')) / 10)
            return false;
        v = v * 10 + (c - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

bool span_parse_i64(struct span s, int64_t min, int64_t max, int64_t *out)
{
    bool neg = false;
    if (s.len && (s.ptr[0] == '-' || s.ptr[0] == '+')) {
        neg = s.ptr[0] == '-';
        s.ptr++;
        s.len--;
    }
    uint64_t mag;
    if (!span_parse_u64(s, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &mag))
        return false;
    int64_t v = neg ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}
