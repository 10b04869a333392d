/*
 * core/buf.c - struct buf. See buf.h for the invariants.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/utf8.h"
#include "core/xalloc.h"

static char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
    b->data = buf_empty;
    b->len = 0;
    b->alloc = 0;
    b->max = max;
    b->failed = false;
}

void buf_release(struct buf *b)
{
    if (b->alloc)
        free(b->data);
    buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->alloc)
        b->data[0] = '\0';
}

/* Makes room for n more bytes plus the NUL; false (sticky) past max. */
static bool buf_grow(struct buf *b, size_t n)
{
    if (b->failed)
        return false;
    if (n > b->max - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + n + 1;
    if (need <= b->alloc)
        return true;
    size_t want = b->alloc ? b->alloc : 64;
    while (want < need)
        want = st_mult(want, 2);
    if (want > b->max + 1)
        want = b->max + 1;
    if (b->alloc) {
        b->data = xrealloc(b->data, want);
    } else {
        b->data = xmalloc(want);
        b->data[0] = '\0';
    }
    b->alloc = want;
    return true;
}

bool buf_add(struct buf *b, const void *p, size_t n)
{
    if (!buf_grow(b, n))
        return false;
    if (n) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
    }
    return true;
}

bool buf_adds(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

bool buf_addch(struct buf *b, char c)
{
    return buf_add(b, &c, 1);
}

bool buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    if (b->failed)
        return false;
    char small[256];
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(small, sizeof(small), fmt, cp);
    va_end(cp);
    if (n < 0) { /* an encoding error in the arguments */
        b->failed = true;
        return false;
    }
    if ((size_t)n < sizeof(small))
        return buf_add(b, small, (size_t)n);
    if (!buf_grow(b, (size_t)n))
        return false;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return true;
}

bool buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = buf_vaddf(b, fmt, ap);
    va_end(ap);
    return ok;
}

bool buf_add_json_escaped(struct buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        /* copy the longest run that needs no escaping in one append */
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > i && !buf_add(b, p + i, run - i))
            return false;
        i = run;
        if (i >= n)
            break;
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            buf_add(b, esc, 2);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n':
                buf_adds(b, "\\n");
                break;
            case '\r':
                buf_adds(b, "\\r");
                break;
            case '\t':
                buf_adds(b, "\\t");
                break;
            default:
                buf_addf(b, "\\u%04x", c);
                break;
            }
            i++;
        } else {
            size_t len = utf8_seq_len(p + i, n - i);
            if (len) {
                buf_add(b, p + i, len);
                i += len;
            } else {
                buf_adds(b, "\xef\xbf\xbd"); /* U+FFFD REPLACEMENT CHARACTER */
                i++;
            }
        }
        if (b->failed)
            return false;
    }
    return !b->failed;
}

bool buf_add_utf8_repaired(struct buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && !b->failed) {
        size_t len = utf8_seq_len(p + i, n - i);
        if (len) {
            buf_add(b, p + i, len);
            i += len;
        } else {
            buf_adds(b, "\xef\xbf\xbd");
            i++;
        }
    }
    return !b->failed;
}

void buf_truncate(struct buf *b, size_t len)
{
    if (len >= b->len)
        return;
    b->len = len;
    b->data[len] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
    char *out;
    if (len)
        *len = b->len;
    if (b->alloc)
        out = b->data;
    else
        out = xstrdup("");
    buf_init(b, b->max);
    return out;
}

bool buf_add_json_string(struct buf *b, const char *s)
{
    if (!s)
        return buf_adds(b, "null");
    buf_addch(b, '"');
    buf_add_json_escaped(b, s, strlen(s));
    return buf_addch(b, '"');
}
