/*
 * core/buf.h - the growing string builder with a mandatory maximum (STYLE.md 3.6).
 *
 * Invariants: after buf_init() `data` is never NULL and always NUL-terminated;
 * `len` never exceeds `max`. An append that would pass `max` sets the sticky
 * `failed` flag and does nothing, and so does every later append, so a chain
 * of appends is checked once at the end. A struct buf has one owner and is
 * not thread-safe.
 */
#ifndef CORE_BUF_H
#define CORE_BUF_H

#include "core/compat.h"

struct buf {
    char *data;   /* owned; points to a shared empty string until the first append */
    size_t len;   /* bytes used, excluding the NUL */
    size_t alloc; /* bytes allocated at data, 0 while data is the shared empty string */
    size_t max;   /* largest len allowed */
    bool failed;  /* sticky: an append was refused because of max */
};

/* Sets up b, empty, refusing to grow past max bytes. */
void buf_init(struct buf *b, size_t max);
/* Frees the contents; b may then be initialised again. */
void buf_release(struct buf *b);
/* Empties b, keeping its memory and clearing the failed flag. */
void buf_reset(struct buf *b);

/* Appends; each returns false (and sets b->failed) when max would be passed. */
bool buf_add(struct buf *b, const void *p, size_t n);
bool buf_adds(struct buf *b, const char *s);
bool buf_addch(struct buf *b, char c);
bool buf_addf(struct buf *b, const char *fmt, ...) ATTR_PRINTF(2, 3);
bool buf_vaddf(struct buf *b, const char *fmt, va_list ap) ATTR_PRINTF(2, 0);

/*
 * Appends s[0..n) as the inside of a JSON string: quotes, backslashes and
 * control characters escaped; bytes that are not valid UTF-8 become U+FFFD,
 * so the result is always valid JSON text. No surrounding quotes.
 */
bool buf_add_json_escaped(struct buf *b, const char *s, size_t n);

/* Appends s as a JSON string with its quotes, or null when s is NULL. */
bool buf_add_json_string(struct buf *b, const char *s);

/* Appends s[0..n) with every byte that is not valid UTF-8 replaced by U+FFFD. */
bool buf_add_utf8_repaired(struct buf *b, const char *s, size_t n);

/* Drops bytes past len (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);

/*
 * Hands the contents to the caller as a malloc'd NUL-terminated string
 * (never NULL), stores the length in *len when len is not NULL, and leaves b
 * empty and initialised with the same max.
 */
char *buf_detach(struct buf *b, size_t *len);

#endif
