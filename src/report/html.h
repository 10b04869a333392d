/*
 * report/html.h - text made safe for HTML and SVG (which is XML): the one
 * way report exports put a label, an answer or a title into markup.
 *
 * Both escapers write &amp; &lt; &gt; &quot; &#39; for & < > " ', so their
 * output is safe in element content and in an attribute value quoted with
 * either ' or ". They also make the text well-formed XML 1.0 characters,
 * so one bad label cannot break an SVG:
 *   - a byte that is not valid UTF-8 (a stray continuation byte, a cut
 *     sequence, an overlong form, a surrogate, past U+10FFFF) becomes U+FFFD;
 *   - a control character XML forbids (U+0000..U+001F but TAB, LF and CR),
 *     and the non-characters U+FFFE and U+FFFF, become U+FFFD too.
 * html_add_attr also writes TAB, LF and CR as &#9; &#10; &#13;, which an XML
 * parser would otherwise turn into spaces inside an attribute value.
 *
 * Pure functions over a caller's struct buf; reentrant. Each returns false
 * (with out->failed set, sticky) when the buf's maximum was reached.
 */
#ifndef REPORT_HTML_H
#define REPORT_HTML_H

#include "core/compat.h"

#include "core/buf.h"

/* Appends s[0..n) escaped for element content (s may be NULL when n is 0). */
bool html_add_text(struct buf *out, const char *s, size_t n);

/* Appends s[0..n) escaped for a quoted attribute value. */
bool html_add_attr(struct buf *out, const char *s, size_t n);

/* html_add_text of a NUL-terminated s; NULL appends nothing. */
bool html_add_texts(struct buf *out, const char *s);

/* html_add_attr of a NUL-terminated s; NULL appends nothing. */
bool html_add_attrs(struct buf *out, const char *s);

#endif
