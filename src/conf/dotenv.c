/*
 * conf/dotenv.c - the .env parser. See dotenv.h for the syntax.
 */
#include "core/compat.h"

#include "conf/dotenv.h"
#include "core/buf.h"

#define DOTENV_VALUE_MAX (64 * 1024)

static bool is_key_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_key_char(char c)
{
    return is_key_start(c) || (c >= '0' && c <= '9');
}

/* What may follow a closing quote: spaces, then nothing or a comment. */
static bool only_trailer(struct span rest)
{
    rest = span_trim(rest);
    return rest.len == 0 || rest.ptr[0] == '#';
}

static enum err_code parse_double_quoted(struct span v, struct buf *out, int line, struct err *err)
{
    size_t i = 1; /* after the opening quote */
    while (i < v.len && v.ptr[i] != '"') {
        char c = v.ptr[i];
        if (c == '\\' && i + 1 < v.len) {
            char e = v.ptr[++i];
            switch (e) {
            case 'n':
                buf_addch(out, '\n');
                break;
            case 'r':
                buf_addch(out, '\r');
                break;
            case 't':
                buf_addch(out, '\t');
                break;
            case '"':
            case '\\':
            case '$':
                buf_addch(out, e);
                break;
            default:
                buf_addch(out, '\\');
                buf_addch(out, e);
                break;
            }
        } else {
            buf_addch(out, c);
        }
        i++;
    }
    if (i >= v.len)
        return err_set(err, ERR_INVALID, NULL, "line %d: unterminated double-quoted value", line);
    if (!only_trailer(span_make(v.ptr + i + 1, v.len - i - 1)))
        return err_set(err, ERR_INVALID, NULL, "line %d: unexpected text after closing quote",
                       line);
    return ERR_OK;
}

static enum err_code parse_single_quoted(struct span v, struct buf *out, int line, struct err *err)
{
    const char *end = memchr(v.ptr + 1, '\'', v.len - 1);
    if (!end)
        return err_set(err, ERR_INVALID, NULL, "line %d: unterminated single-quoted value", line);
    buf_add(out, v.ptr + 1, (size_t)(end - v.ptr - 1));
    if (!only_trailer(span_make(end + 1, v.len - (size_t)(end + 1 - v.ptr))))
        return err_set(err, ERR_INVALID, NULL, "line %d: unexpected text after closing quote",
                       line);
    return ERR_OK;
}

static void parse_unquoted(struct span v, struct buf *out)
{
    /* a '#' that starts the value or follows a space begins a comment */
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] == '#' && (i == 0 || v.ptr[i - 1] == ' ' || v.ptr[i - 1] == '\t')) {
            v.len = i;
            break;
        }
    }
    v = span_trim(v);
    buf_add(out, v.ptr, v.len);
}

/* Parses one non-blank, non-comment line. */
static enum err_code parse_line(struct span l, int line, dotenv_fn *fn, void *ctx, bool *stop,
                                struct err *err)
{
    if (span_starts_with(l, "export ") || span_starts_with(l, "export\t"))
        l = span_trim(span_make(l.ptr + 7, l.len - 7));
    size_t k = 0;
    if (l.len == 0 || !is_key_start(l.ptr[0]))
        return err_set(err, ERR_INVALID, NULL, "line %d: expected NAME=value", line);
    while (k < l.len && is_key_char(l.ptr[k]))
        k++;
    struct span key = span_make(l.ptr, k);
    struct span rest = span_trim(span_make(l.ptr + k, l.len - k));
    if (rest.len == 0 || rest.ptr[0] != '=')
        return err_set(err, ERR_INVALID, NULL, "line %d: expected '=' after '%.*s'", line,
                       SPAN_FMT(key));
    struct span v = span_trim(span_make(rest.ptr + 1, rest.len - 1));

    struct buf out;
    buf_init(&out, DOTENV_VALUE_MAX);
    enum err_code rc = ERR_OK;
    if (v.len && v.ptr[0] == '"')
        rc = parse_double_quoted(v, &out, line, err);
    else if (v.len && v.ptr[0] == '\'')
        rc = parse_single_quoted(v, &out, line, err);
    else
        parse_unquoted(v, &out);
    if (!rc && out.failed)
        rc = err_set(err, ERR_INVALID, NULL, "line %d: value longer than %d bytes", line,
                     DOTENV_VALUE_MAX);
    if (!rc && memchr(out.data, '\0', out.len))
        rc = err_set(err, ERR_INVALID, NULL, "line %d: value contains a NUL byte", line);
    if (!rc && !fn(ctx, key, out.data, out.len, line))
        *stop = true;
    buf_release(&out);
    return rc;
}

enum err_code dotenv_parse(const char *p, size_t n, dotenv_fn *fn, void *ctx, struct err *err)
{
    struct span rest = span_make(p, n);
    int line = 0;
    bool stop = false;
    while (rest.len && !stop) {
        struct span l = span_cut(&rest, '\n');
        line++;
        if (l.len && l.ptr[l.len - 1] == '\r')
            l.len--;
        l = span_trim(l);
        if (l.len == 0 || l.ptr[0] == '#')
            continue;
        enum err_code rc = parse_line(l, line, fn, ctx, &stop, err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}
