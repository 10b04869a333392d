/*
 * report/html.c - HTML and XML escaping (report/html.h): runs of bytes that
 * need nothing are copied in one append; everything else is decided a
 * character at a time.
 *
 * Reentrant; no state outside the calls.
 */
#include "core/compat.h"

#include "report/html.h"

#include "core/utf8.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* Does the byte need a look (markup, a control, the start of a multi-byte sequence)? */
static bool special(unsigned char ch)
{
    return ch < 0x20 || ch >= 0x80 || ch == '&' || ch == '<' || ch == '>' || ch == '"' ||
           ch == '\'';
}

/* U+FFFE or U+FFFF, as the valid 3-byte sequence at p (XML forbids both). */
static bool noncharacter(const unsigned char *p, size_t len)
{
    return len == 3 && p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf);
}

static bool add_escaped(struct buf *out, const char *s, size_t n, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    assert(s || n == 0);
    while (i < n && !out->failed) {
        size_t run = i;
        while (run < n && !special(p[run]))
            run++;
        buf_add(out, p + i, run - i);
        i = run;
        if (i >= n)
            break;
        unsigned char ch = p[i];
        size_t len = 1;
        switch (ch) {
        case '&':
            buf_adds(out, "&amp;");
            break;
        case '<':
            buf_adds(out, "&lt;");
            break;
        case '>':
            buf_adds(out, "&gt;");
            break;
        case '"':
            buf_adds(out, "&quot;");
            break;
        case '\'':
            buf_adds(out, "&#39;");
            break;
        case '\t':
            buf_adds(out, attr ? "&#9;" : "\t");
            break;
        case '\n':
            buf_adds(out, attr ? "&#10;" : "\n");
            break;
        case '\r':
            buf_adds(out, attr ? "&#13;" : "\r");
            break;
        default:
            if (ch < 0x20) {
                buf_adds(out, REPLACEMENT);
                break;
            }
            len = utf8_seq_len(p + i, n - i);
            if (len == 0 || noncharacter(p + i, len)) {
                buf_adds(out, REPLACEMENT);
                len = len ? len : 1;
            } else {
                buf_add(out, p + i, len);
            }
            break;
        }
        i += len;
    }
    return !out->failed;
}

bool html_add_text(struct buf *out, const char *s, size_t n)
{
    return add_escaped(out, s, n, false);
}

bool html_add_attr(struct buf *out, const char *s, size_t n)
{
    return add_escaped(out, s, n, true);
}

bool html_add_texts(struct buf *out, const char *s)
{
    return s ? html_add_text(out, s, strlen(s)) : !out->failed;
}

bool html_add_attrs(struct buf *out, const char *s)
{
    return s ? html_add_attr(out, s, strlen(s)) : !out->failed;
}
