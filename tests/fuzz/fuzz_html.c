/*
 * tests/fuzz/fuzz_html.c - fuzzes the HTML escaping of report exports
 * (report/html.h) and the report page (report/report_html.h), STYLE.md Z1,
 * by properties:
 *   - html_add_text and html_add_attr of any bytes give valid UTF-8 with no
 *     '<', '>', '"' or '\'', every '&' starting one of the entities they
 *     write, no control character but TAB, LF and CR (none at all in an
 *     attribute), no U+FFFE or U+FFFF; text that is already clean (valid
 *     UTF-8, no other control character, no non-character) unescapes to
 *     itself; with a small maximum they stop at it and say so;
 *   - report_html of the bytes (as the report's JSON) returns ERR_OK,
 *     ERR_BAD_JSON, ERR_INVALID or ERR_TOO_LARGE; a refusal leaves the
 *     buffer as it was; a page is valid UTF-8, starts with the doctype, ends
 *     with </html>, and read by a small tokenizer has only the elements the
 *     page writes (so no text of the document became markup), quoted
 *     attribute values, and entities for every '&' outside <style>.
 * Corpus: tests/fuzz/corpus/html/ (the web UI's report fixtures, and texts).
 * No global state.
 */
#include "core/compat.h"

#include <ctype.h>

#include "core/utf8.h"
#include "report/html.h"
#include "report/report_html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ENTITIES[] = { "&amp;", "&lt;", "&gt;",  "&quot;",
                                        "&#39;", "&#9;", "&#10;", "&#13;" };
static const char ENTITY_CHARS[] = { '&', '<', '>', '"', '\'', '\t', '\n', '\r' };

/* The entity at s[0..n) (s[0] == '&'): its index in ENTITIES, or -1. */
static int entity_at(const char *s, size_t n)
{
    for (size_t e = 0; e < ARRAY_SIZE(ENTITIES); e++) {
        size_t len = strlen(ENTITIES[e]);
        if (n >= len && memcmp(s, ENTITIES[e], len) == 0)
            return (int)e;
    }
    return -1;
}

/* Is s[0..n) clean: valid UTF-8, no control but TAB/LF/CR, no U+FFFE/U+FFFF? */
static bool clean(const char *s, size_t n)
{
    if (!utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
            return false;
        if (ch == 0xef && i + 2 < n && (unsigned char)s[i + 1] == 0xbf &&
            ((unsigned char)s[i + 2] == 0xbe || (unsigned char)s[i + 2] == 0xbf))
            return false;
    }
    return true;
}

/* Checks escaped output; returns it unescaped (malloc'd, length in *len). */
static char *check_escaped(const char *s, size_t n, bool attr, size_t *len)
{
    if (!utf8_valid(s, n) || !clean(s, n))
        abort();
    char *plain = malloc(n + 1);
    if (!plain)
        abort();
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '<' || ch == '>' || ch == '"' || ch == '\'')
            abort();
        if (attr && (ch == '\t' || ch == '\n' || ch == '\r'))
            abort();
        if (ch == '&') {
            int e = entity_at(s + i, n - i);
            if (e < 0)
                abort(); /* a raw '&' */
            plain[j++] = ENTITY_CHARS[e];
            i += strlen(ENTITIES[e]) - 1;
            continue;
        }
        plain[j++] = ch;
    }
    plain[j] = '\0';
    *len = j;
    return plain;
}

static void check_escaper(const char *p, size_t size, bool attr)
{
    struct buf out;
    buf_init(&out, 8 * size + 16);
    bool ok = attr ? html_add_attr(&out, p, size) : html_add_text(&out, p, size);
    if (!ok || out.failed)
        abort();
    size_t len = 0;
    char *plain = check_escaped(out.data, out.len, attr, &len);
    if (clean(p, size) && (len != size || memcmp(plain, p, size) != 0))
        abort(); /* clean text round-trips */
    free(plain);
    buf_release(&out);

    /* a maximum smaller than the output: refused, never passed */
    if (size > 1) {
        struct buf small;
        buf_init(&small, size / 2);
        ok = attr ? html_add_attr(&small, p, size) : html_add_text(&small, p, size);
        if (ok != !small.failed || small.len > size / 2)
            abort();
        buf_release(&small);
    }
}

/* The elements report_html and svg.c write. */
static const char *const ELEMENTS[] = {
    "article", "blockquote", "body",  "br",   "caption", "dd",    "div",  "dl",
    "dt",      "footer",     "g",     "h1",   "h2",      "h3",    "head", "header",
    "html",    "li",         "line",  "main", "meta",    "p",     "rect", "section",
    "span",    "strong",     "style", "svg",  "table",   "tbody", "td",   "text",
    "th",      "thead",      "title", "tr",   "ul",
};

static bool known_element(const char *s, size_t n)
{
    for (size_t e = 0; e < ARRAY_SIZE(ELEMENTS); e++)
        if (strlen(ELEMENTS[e]) == n && memcmp(ELEMENTS[e], s, n) == 0)
            return true;
    return false;
}

/* Is s[0..n) (s[0] == '&') a character reference: &name; &#digits; &#xhex;? */
static bool reference_at(const char *s, size_t n)
{
    size_t i = 1;
    if (i < n && s[i] == '#') {
        i++;
        bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
        if (hex)
            i++;
        size_t start = i;
        while (i < n && (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])))
            i++;
        return i > start && i < n && s[i] == ';';
    }
    size_t start = i;
    while (i < n && isalnum((unsigned char)s[i]))
        i++;
    return i > start && i < n && s[i] == ';';
}

/* A small tokenizer of the page: aborts on markup the page does not write. */
static void check_page(const char *s, size_t n)
{
    static const char doctype[] = "<!doctype html>\n";
    static const char end[] = "</html>\n";
    if (!utf8_valid(s, n) || n < sizeof(doctype) + sizeof(end) ||
        memcmp(s, doctype, sizeof(doctype) - 1) != 0 ||
        memcmp(s + n - (sizeof(end) - 1), end, sizeof(end) - 1) != 0)
        abort();
    size_t i = sizeof(doctype) - 1;
    while (i < n) {
        char ch = s[i];
        if (ch == '&') {
            if (!reference_at(s + i, n - i))
                abort();
            i++;
            continue;
        }
        if (ch == '>')
            abort(); /* outside a tag */
        if (ch != '<') {
            i++;
            continue;
        }
        /* a tag: <name ...> or </name> */
        i++;
        bool closing = i < n && s[i] == '/';
        if (closing)
            i++;
        size_t name = i;
        while (i < n && (isalnum((unsigned char)s[i])))
            i++;
        if (!known_element(s + name, i - name))
            abort(); /* text became markup */
        bool style = !closing && i - name == 5 && memcmp(s + name, "style", 5) == 0;
        while (i < n && s[i] != '>') {
            if (s[i] == '<' || s[i] == '\'')
                abort();
            if (s[i] == '"') {
                i++;
                while (i < n && s[i] != '"') {
                    if (s[i] == '<' || s[i] == '>' || (s[i] == '&' && !reference_at(s + i, n - i)))
                        abort();
                    i++;
                }
                if (i >= n)
                    abort();
            }
            i++;
        }
        if (i >= n)
            abort();
        i++;
        if (style) { /* raw text up to </style> */
            const char *close = NULL;
            for (size_t k = i; k + 8 <= n; k++)
                if (memcmp(s + k, "</style>", 8) == 0) {
                    close = s + k;
                    break;
                }
            if (!close)
                abort();
            i = (size_t)(close - s);
        }
    }
}

static void check_report(const char *p, size_t size)
{
    static const char prefix[] = "before";
    struct buf out;
    buf_init(&out, 4u << 20);
    buf_adds(&out, prefix);
    struct err err = ERR_INIT;
    enum err_code rc = report_html(p, size, &out, &err);
    if (rc) {
        if ((rc != ERR_BAD_JSON && rc != ERR_INVALID && rc != ERR_TOO_LARGE) || err.code != rc ||
            !err.msg[0] || out.len != sizeof(prefix) - 1)
            abort(); /* a refusal explains itself and leaves out as it was */
    } else {
        check_page(out.data + sizeof(prefix) - 1, out.len - (sizeof(prefix) - 1));
    }
    buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    check_escaper(p, size, false);
    check_escaper(p, size, true);
    check_report(p, size);
    return 0;
}
