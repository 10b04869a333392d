/*
 * core/utf8.h - the few UTF-8 facts the program needs: how long a valid
 * sequence is, how many characters a text holds, and where to cut a text
 * without splitting a character. Pure functions; reentrant.
 */
#ifndef CORE_UTF8_H
#define CORE_UTF8_H

#include "core/compat.h"

/*
 * Length of the valid UTF-8 sequence at s[0..n) (1 to 4), or 0 when it is
 * not valid: a stray continuation byte, a truncated sequence, an overlong
 * form, a surrogate or a code point above U+10FFFF.
 */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/* Is s[0..n) valid UTF-8 throughout (no NUL byte counts as invalid)? */
bool utf8_valid(const char *s, size_t n);

/* Characters in s[0..n): the bytes that do not continue a sequence. */
size_t utf8_chars(const char *s, size_t n);

/* Bytes of the first n_chars characters of s[0..len) (all of it when shorter). */
size_t utf8_prefix(const char *s, size_t len, size_t n_chars);

/* The longest prefix of s[0..n) of at most max bytes that ends on a character boundary. */
size_t utf8_cut(const char *s, size_t n, size_t max);

#endif
