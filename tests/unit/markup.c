/*
 * tests/unit/markup.c - see markup.h. One pass over the text with a stack
 * of the open elements (offsets of their names into the text); every
 * failure is a cmocka fail_msg, so nothing here returns an error.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "markup.h"

#include "core/utf8.h"

#define DEPTH_MAX 64 /* open elements at once */
#define ATTRS_MAX 32 /* attributes of one start tag */

static bool name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == ':';
}

/* Whether s[0..len) is one of list[0..n). */
static bool in_list(const char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t k = 0; k < n; k++)
        if (strlen(list[k]) == len && strncmp(s, list[k], len) == 0)
            return true;
    return false;
}

/* Length of the reference at s (one html.h writes), or 0. */
static size_t reference_len(const char *s)
{
    static const char *const named[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
    for (size_t k = 0; k < ARRAY_SIZE(named); k++)
        if (strncmp(s, named[k], strlen(named[k])) == 0)
            return strlen(named[k]);
    if (s[0] == '&' && s[1] == '#') {
        size_t i = 2;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        if (i > 2 && s[i] == ';')
            return i + 1;
    }
    return 0;
}

/* Checks character data at s[i] (text, or an attribute value); returns how many bytes it takes. */
static size_t check_char(const char *s, size_t i, bool in_attr, const struct markup_rules *r)
{
    unsigned char ch = (unsigned char)s[i];
    if (ch == '&') {
        size_t len = reference_len(s + i);
        if (!len)
            fail_msg("a bare '&' at byte %zu: %.40s", i, s + i);
        return len;
    }
    if (ch == '<' || ch == '>' || (in_attr && ch == '\'' && r->apostrophes_escaped))
        fail_msg("a raw '%c' in %s at byte %zu: %.60s", ch, in_attr ? "an attribute" : "text", i,
                 s + i);
    if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
        fail_msg("control character 0x%02x at byte %zu", ch, i);
    return 1;
}

/* The attributes of a start tag from s[j] on; returns the index of its '>' or "/>". */
static size_t check_attributes(const char *s, size_t j, const struct markup_rules *r)
{
    size_t attr_at[ATTRS_MAX], attr_len[ATTRS_MAX], n_attrs = 0;
    for (;;) {
        if (s[j] == '>' || (s[j] == '/' && s[j + 1] == '>'))
            return j;
        if (s[j] != ' ')
            fail_msg("expected a space, '>' or '/>' at byte %zu: %.30s", j, s + j);
        j++;
        size_t a = j;
        while (name_char(s[j]))
            j++;
        if (j == a || s[j] != '=' || s[j + 1] != '"')
            fail_msg("malformed attribute at byte %zu: %.30s", a, s + a);
        for (size_t k = 0; k < n_attrs; k++)
            if (attr_len[k] == j - a && strncmp(s + attr_at[k], s + a, j - a) == 0)
                fail_msg("attribute '%.*s' twice at byte %zu", (int)(j - a), s + a, a);
        assert_true(n_attrs < ATTRS_MAX);
        if (r->no_event_handlers && j - a > 2 && strncmp(s + a, "on", 2) == 0)
            fail_msg("an event handler attribute at byte %zu", a);
        attr_at[n_attrs] = a;
        attr_len[n_attrs++] = j - a;
        j += 2;
        while (s[j] != '"') {
            if (s[j] == '\0')
                fail_msg("unterminated attribute value");
            j += check_char(s, j, true, r);
        }
        j++;
    }
}

/* Skips a <style> element's text to its end tag; fails on markup inside. */
static size_t skip_style(const char *s, size_t i)
{
    const char *end = strstr(s + i, "</style>");
    if (!end)
        fail_msg("unterminated <style>");
    for (const char *c = s + i; c < end; c++)
        if (*c == '<' || *c == '>' || *c == '&')
            fail_msg("'%c' inside <style> at byte %zu", *c, (size_t)(c - s));
    return (size_t)(end - s);
}

size_t markup_check(const char *s, const struct markup_rules *r)
{
    size_t n = strlen(s), i = r->prologue ? strlen(r->prologue) : 0, depth = 0, elements = 0;
    size_t open_at[DEPTH_MAX], open_len[DEPTH_MAX];
    if (!utf8_valid(s, n))
        fail_msg("not valid UTF-8");
    if (r->prologue && strncmp(s, r->prologue, i) != 0)
        fail_msg("no '%.*s' at the start", (int)strcspn(r->prologue, "\n"), r->prologue);
    while (i < n) {
        if (s[i] != '<') {
            if (depth == 0 && !(r->newlines_outside_root && s[i] == '\n'))
                fail_msg("text outside the root at byte %zu", i);
            i += check_char(s, i, false, r);
            continue;
        }
        bool closing = s[i + 1] == '/';
        size_t name = i + 1 + (closing ? 1 : 0), j = name;
        while (name_char(s[j]))
            j++;
        size_t name_len = j - name;
        if (!in_list(r->elements, r->n_elements, s + name, name_len))
            fail_msg("element '%.*s' at byte %zu", (int)name_len, s + name, i);
        if (closing) {
            if (s[j] != '>')
                fail_msg("junk in an end tag at byte %zu", j);
            if (depth == 0 || open_len[depth - 1] != name_len ||
                strncmp(s + open_at[depth - 1], s + name, name_len) != 0)
                fail_msg("end tag '%.*s' does not match at byte %zu", (int)name_len, s + name, i);
            depth--;
            i = j + 1;
            continue;
        }
        if (depth == 0 && elements > 0)
            fail_msg("a second root at byte %zu", i);
        elements++;
        j = check_attributes(s, j, r);
        if (s[j] == '/' || in_list(r->void_elements, r->n_void_elements, s + name, name_len)) {
            i = j + (s[j] == '/' ? 2 : 1);
            continue;
        }
        assert_true(depth < DEPTH_MAX);
        open_at[depth] = name;
        open_len[depth++] = name_len;
        i = j + 1;
        if (r->style_text && name_len == 5 && strncmp(s + name, "style", 5) == 0)
            i = skip_style(s, i);
    }
    if (depth != 0 || elements == 0)
        fail_msg("%zu element(s) left open", depth);
    return elements;
}

size_t count(const char *text, const char *needle)
{
    size_t k = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        k++;
    return k;
}
