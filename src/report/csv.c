/*
 * report/csv.c - the RFC 4180 writer (report/csv.h): a text field is
 * scanned once to decide on quotes and the apostrophe, then copied in runs
 * of bytes that need nothing done; numbers are formatted with snprintf and
 * then made independent of the locale's decimal point.
 *
 * Reentrant; a struct csv belongs to one thread.
 */
#include "core/compat.h"

#include "report/csv.h"

#include <math.h>

#include "core/utf8.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD, for bytes that are not valid UTF-8 */

/* The largest integer a double holds exactly, and every one below it: 2^53. */
#define EXACT_INT_MAX 9007199254740992.0

void csv_init(struct csv *c, struct buf *out)
{
    assert(c && out);
    c->out = out;
    c->n_fields = 0;
    c->in_row = false;
}

bool csv_add_bom(struct csv *c)
{
    assert(!c->in_row);
    return buf_add(c->out, "\xef\xbb\xbf", 3);
}

bool csv_begin_row(struct csv *c)
{
    assert(!c->in_row);
    c->in_row = true;
    c->n_fields = 0;
    return !c->out->failed;
}

bool csv_end_row(struct csv *c)
{
    assert(c->in_row);
    c->in_row = false;
    return buf_add(c->out, "\r\n", 2);
}

/* Writes the ',' before every field but the first of a row. */
static void separate(struct csv *c)
{
    assert(c->in_row);
    if (c->n_fields++ > 0)
        buf_addch(c->out, ',');
}

bool csv_add_null(struct csv *c)
{
    separate(c);
    return !c->out->failed;
}

/* Does a spreadsheet read a cell starting with ch as a formula (OWASP)? */
static bool starts_formula(char ch)
{
    return ch == '=' || ch == '+' || ch == '-' || ch == '@' || ch == '\t' || ch == '\r';
}

static bool is_edge_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Must s[0..n) be quoted (see csv.h)? */
static bool needs_quotes(const char *s, size_t n)
{
    if (n == 0 || is_edge_space(s[0]) || is_edge_space(s[n - 1]))
        return true;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ',' || ch == '"' || ch == '\r' || ch == '\n')
            return true;
    }
    return false;
}

/* Copies s[0..n) with quotes doubled and invalid UTF-8 and NUL as U+FFFD. */
static void add_content(struct buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && !out->failed) {
        size_t run = i;
        while (run < n && p[run] != '"' && p[run] != '\0' && p[run] < 0x80)
            run++;
        buf_add(out, p + i, run - i);
        i = run;
        if (i >= n)
            break;
        if (p[i] == '"') {
            buf_add(out, "\"\"", 2);
            i++;
        } else if (p[i] == '\0') {
            buf_adds(out, REPLACEMENT);
            i++;
        } else {
            size_t len = utf8_seq_len(p + i, n - i);
            if (len) {
                buf_add(out, p + i, len);
                i += len;
            } else {
                buf_adds(out, REPLACEMENT);
                i++;
            }
        }
    }
}

bool csv_add_textn(struct csv *c, const char *s, size_t n)
{
    assert(s || n == 0);
    separate(c);
    bool quoted = needs_quotes(s, n);
    if (quoted)
        buf_addch(c->out, '"');
    if (n > 0 && starts_formula(s[0]))
        buf_addch(c->out, '\'');
    add_content(c->out, s, n);
    if (quoted)
        buf_addch(c->out, '"');
    return !c->out->failed;
}

bool csv_add_text(struct csv *c, const char *s)
{
    if (!s)
        return csv_add_null(c);
    return csv_add_textn(c, s, strlen(s));
}

bool csv_add_row(struct csv *c, const char *const *fields, size_t n_fields)
{
    csv_begin_row(c);
    for (size_t i = 0; i < n_fields; i++)
        csv_add_text(c, fields[i]);
    return csv_end_row(c);
}

/*
 * Rewrites, in place, a number printf wrote in the current locale so that
 * its decimal point is '.': each run of bytes that is not a digit, a sign or
 * an exponent's 'e' (the locale's decimal point, one byte or several)
 * becomes one '.'. Returns the new length.
 */
static size_t dot_decimal(char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        char ch = s[i];
        if ((ch >= '0' && ch <= '9') || ch == '-' || ch == '+' || ch == 'e') {
            s[j++] = ch;
            i++;
            continue;
        }
        s[j++] = '.';
        while (i < n && !((s[i] >= '0' && s[i] <= '9') || s[i] == 'e'))
            i++;
    }
    s[j] = '\0';
    return j;
}

size_t csv_format_number(char out[CSV_NUMBER_MAX], double v)
{
    int n;
    out[0] = '\0';
    if (!isfinite(v))
        return 0;
    if (fabs(v) <= EXACT_INT_MAX && v == trunc(v))
        n = snprintf(out, CSV_NUMBER_MAX, "%" PRId64, (int64_t)v); /* -0.0 is "0" */
    else
        n = snprintf(out, CSV_NUMBER_MAX, "%.10g", v);
    /*
     * Ten digits round a number within 5e-10 of DBL_MAX up past it, to a
     * text every reader takes as infinite: those get all 17 digits (parsed
     * in the same locale printf wrote in).
     */
    if (n > 0 && n < CSV_NUMBER_MAX && !isfinite(strtod(out, NULL)))
        n = snprintf(out, CSV_NUMBER_MAX, "%.17g", v);
    if (n < 0 || n >= CSV_NUMBER_MAX) { /* cannot happen: at most 24 bytes in "C" */
        out[0] = '\0';
        return 0;
    }
    return dot_decimal(out, (size_t)n);
}

bool csv_add_number(struct csv *c, double v)
{
    char num[CSV_NUMBER_MAX];
    size_t n = csv_format_number(num, v);
    separate(c);
    return buf_add(c->out, num, n);
}
