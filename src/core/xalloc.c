/*
 * core/xalloc.c - malloc wrappers that abort on exhaustion. Thread-safe.
 */
#include "core/compat.h"

#include "core/xalloc.h"

static void ATTR_NORETURN die_oom(size_t n)
{
    /* No logger here: it may itself need memory. One line, then abort. */
    fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_oom(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        die_oom(count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die_oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return xmemdupz(s, strlen(s));
}

char *xstrdup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

char *xmemdupz(const void *p, size_t len)
{
    char *s = xmalloc(st_add(len, 1));
    if (len)
        memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

size_t st_mult(size_t a, size_t b)
{
    size_t r;
    if (__builtin_mul_overflow(a, b, &r)) {
        fprintf(stderr, "fatal: size overflow %zu * %zu\n", a, b);
        abort();
    }
    return r;
}

size_t st_add(size_t a, size_t b)
{
    size_t r;
    if (__builtin_add_overflow(a, b, &r)) {
        fprintf(stderr, "fatal: size overflow %zu + %zu\n", a, b);
        abort();
    }
    return r;
}
