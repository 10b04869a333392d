/*
 * core/xalloc.h - allocation that never returns NULL (STYLE.md M9).
 *
 * Running out of memory aborts the process after one line on stderr; sizes
 * that come from input must be checked against their limits before they get
 * here. FREE_AND_NULL frees a member and clears it (M5). Thread-safe.
 */
#ifndef CORE_XALLOC_H
#define CORE_XALLOC_H

#include "core/compat.h"

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* xstrdup, or NULL for NULL. */
char *xstrdup_or_null(const char *s);
/* Copies len bytes of p and adds a terminating NUL. */
char *xmemdupz(const void *p, size_t len);

/* Overflow-checked a * b for allocation sizes; aborts on overflow. */
size_t st_mult(size_t a, size_t b);
/* Overflow-checked a + b for allocation sizes; aborts on overflow. */
size_t st_add(size_t a, size_t b);

#define FREE_AND_NULL(p) \
    do {                 \
        free(p);         \
        (p) = NULL;      \
    } while (0)

/* Grows array (of alloc elements) to hold at least nr elements. */
#define ALLOC_GROW(array, nr, alloc)                                               \
    do {                                                                           \
        if ((nr) > (alloc)) {                                                      \
            size_t alloc_grow_n_ = (alloc) ? st_mult((alloc), 2) : 8;              \
            if (alloc_grow_n_ < (nr))                                              \
                alloc_grow_n_ = (nr);                                              \
            (array) = xrealloc((array), st_mult(alloc_grow_n_, sizeof(*(array)))); \
            (alloc) = alloc_grow_n_;                                               \
        }                                                                          \
    } while (0)

#endif
