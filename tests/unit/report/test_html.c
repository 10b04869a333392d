/*
 * tests/unit/report/test_html.c - HTML and XML escaping (report/html.h):
 * each of & < > " ' in content and in attributes, text that needs nothing,
 * TAB/LF/CR kept in content and written as references in attributes, every
 * kind of invalid UTF-8, the control characters and non-characters XML
 * forbids, NULL and empty input, the buf's maximum, and seeded random bytes
 * that must always come out as valid UTF-8 with no raw markup.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/prng.h"
#include "core/utf8.h"
#include "report/html.h"

#define REPL "\xef\xbf\xbd" /* U+FFFD */

/* Escapes s[0..n) as content (attr false) or an attribute value and compares. */
static void assert_escape(bool attr, const char *s, size_t n, const char *want)
{
    struct buf b;
    buf_init(&b, 4096);
    assert_true(attr ? html_add_attr(&b, s, n) : html_add_text(&b, s, n));
    assert_string_equal(b.data, want);
    buf_release(&b);
}

/* The same in both contexts, for a NUL-terminated s (through the *s variants too). */
static void assert_both(const char *s, const char *want)
{
    assert_escape(false, s, strlen(s), want);
    assert_escape(true, s, strlen(s), want);

    struct buf b;
    buf_init(&b, 4096);
    assert_true(html_add_texts(&b, s));
    assert_string_equal(b.data, want);
    buf_reset(&b);
    assert_true(html_add_attrs(&b, s));
    assert_string_equal(b.data, want);
    buf_release(&b);
}

/* Both contexts, for s[0..n) that may hold NUL bytes. */
#define assert_both_n(s, want)                            \
    do {                                                  \
        assert_escape(false, (s), sizeof(s) - 1, (want)); \
        assert_escape(true, (s), sizeof(s) - 1, (want));  \
    } while (0)

/* ---- the five characters ---------------------------------------------------------- */

static void each_special_character_is_escaped(void **state)
{
    (void)state;
    assert_both("&", "&amp;");
    assert_both("<", "&lt;");
    assert_both(">", "&gt;");
    assert_both("\"", "&quot;");
    assert_both("'", "&#39;");
    assert_both("a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&#39;f");
}

static void an_existing_reference_is_escaped_again(void **state)
{
    (void)state;
    assert_both("&amp;", "&amp;amp;");
    assert_both("&#60;", "&amp;#60;");
}

static void markup_in_text_never_survives(void **state)
{
    (void)state;
    assert_both("</text><script>alert(1)</script>",
                "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_both("\" onload=\"alert(1)", "&quot; onload=&quot;alert(1)");
    assert_both("' onmouseover='x", "&#39; onmouseover=&#39;x");
    assert_both("<![CDATA[x]]>", "&lt;![CDATA[x]]&gt;");
}

static void text_that_needs_nothing_is_copied(void **state)
{
    (void)state;
    assert_both("", "");
    assert_both("Plain words; 42% (n=12) #1 = ok", "Plain words; 42% (n=12) #1 = ok");
    assert_both("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad",
                "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad");
    assert_both(REPL, REPL);                             /* U+FFFD itself is a character */
    assert_both("\xef\xbf\xbc", "\xef\xbf\xbc");         /* U+FFFC */
    assert_both("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"); /* U+10FFFF, the last one */
    assert_both("\x7f", "\x7f");                         /* DEL is an XML character */
}

/* ---- whitespace ---------------------------------------------------------------------- */

static void content_keeps_tab_newline_and_cr(void **state)
{
    (void)state;
    assert_escape(false, "a\tb\nc\rd", 7, "a\tb\nc\rd");
}

static void attributes_write_tab_newline_and_cr_as_references(void **state)
{
    (void)state;
    assert_escape(true, "a\tb\nc\rd", 7, "a&#9;b&#10;c&#13;d");
}

/* ---- what XML forbids ------------------------------------------------------------------ */

static void invalid_utf8_becomes_replacement_characters(void **state)
{
    (void)state;
    assert_both_n("a\x80z", "a" REPL "z");                  /* a stray continuation byte */
    assert_both_n("a\xe2\x82z", "a" REPL REPL "z");         /* a cut 3-byte sequence */
    assert_both_n("\xe2\x82", REPL REPL);                   /* ... at the end */
    assert_both_n("\xc0\xaf", REPL REPL);                   /* an overlong '/' */
    assert_both_n("\xe0\x80\xbc", REPL REPL REPL);          /* an overlong '<' */
    assert_both_n("\xed\xa0\x80", REPL REPL REPL);          /* a surrogate, U+D800 */
    assert_both_n("\xf4\x90\x80\x80", REPL REPL REPL REPL); /* past U+10FFFF */
    assert_both_n("\xff\xfe", REPL REPL);
    assert_both_n("\xc3", REPL); /* a lone lead byte */
}

static void forbidden_control_characters_become_replacement_characters(void **state)
{
    (void)state;
    assert_both_n("a\0b", "a" REPL "b");
    assert_both_n("\x01\x08\x0b\x0c\x1b\x1f", REPL REPL REPL REPL REPL REPL);
}

static void noncharacters_become_replacement_characters(void **state)
{
    (void)state;
    assert_both_n("\xef\xbf\xbe", REPL); /* U+FFFE */
    assert_both_n("\xef\xbf\xbf", REPL); /* U+FFFF */
}

/* ---- edges ------------------------------------------------------------------------------ */

static void null_appends_nothing(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 16);
    assert_true(html_add_texts(&b, NULL));
    assert_true(html_add_attrs(&b, NULL));
    assert_true(html_add_text(&b, NULL, 0));
    assert_true(html_add_attr(&b, NULL, 0));
    assert_int_equal(b.len, 0);
    buf_release(&b);
}

static void escaping_stops_at_the_maximum(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 5);
    assert_true(html_add_texts(&b, "&")); /* exactly 5: "&amp;" */
    assert_int_equal(b.len, 5);
    assert_false(html_add_texts(&b, "x"));
    assert_true(b.failed);
    assert_false(html_add_texts(&b, NULL)); /* sticky */
    buf_release(&b);

    buf_init(&b, 3);
    assert_false(html_add_texts(&b, "<")); /* "&lt;" is 4: nothing of it is written */
    assert_int_equal(b.len, 0);
    buf_release(&b);
}

/* Is every '&' in s[0..n) the start of one of the references html.h writes? */
static bool references_are_ours(const char *s, size_t n)
{
    static const char *const refs[] = { "&amp;", "&lt;", "&gt;",  "&quot;",
                                        "&#39;", "&#9;", "&#10;", "&#13;" };
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&')
            continue;
        bool ok = false;
        for (size_t k = 0; k < ARRAY_SIZE(refs) && !ok; k++)
            ok = strncmp(s + i, refs[k], strlen(refs[k])) == 0;
        if (!ok)
            return false;
    }
    return true;
}

static void random_bytes_always_come_out_safe(void **state)
{
    (void)state;
    struct prng r;
    prng_seed(&r, 20240601);
    struct buf b;
    buf_init(&b, 1 << 16);
    for (int round = 0; round < 2000; round++) {
        unsigned char in[64];
        size_t n = (size_t)prng_below(&r, sizeof(in));
        for (size_t i = 0; i < n; i++)
            in[i] = (unsigned char)prng_below(&r, 256);
        for (int attr = 0; attr <= 1; attr++) {
            buf_reset(&b);
            assert_true(attr ? html_add_attr(&b, (const char *)in, n)
                             : html_add_text(&b, (const char *)in, n));
            assert_true(utf8_valid(b.data, b.len));
            assert_true(references_are_ours(b.data, b.len));
            for (size_t i = 0; i < b.len; i++) {
                unsigned char ch = (unsigned char)b.data[i];
                assert_true(ch != '<' && ch != '>' && ch != '"' && ch != '\'');
                if (ch < 0x20)
                    assert_true(!attr && (ch == '\t' || ch == '\n' || ch == '\r'));
            }
            assert_null(memmem(b.data, b.len, "\xef\xbf\xbe", 3));
            assert_null(memmem(b.data, b.len, "\xef\xbf\xbf", 3));
        }
    }
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_special_character_is_escaped),
        cmocka_unit_test(an_existing_reference_is_escaped_again),
        cmocka_unit_test(markup_in_text_never_survives),
        cmocka_unit_test(text_that_needs_nothing_is_copied),
        cmocka_unit_test(content_keeps_tab_newline_and_cr),
        cmocka_unit_test(attributes_write_tab_newline_and_cr_as_references),
        cmocka_unit_test(invalid_utf8_becomes_replacement_characters),
        cmocka_unit_test(forbidden_control_characters_become_replacement_characters),
        cmocka_unit_test(noncharacters_become_replacement_characters),
        cmocka_unit_test(null_appends_nothing),
        cmocka_unit_test(escaping_stops_at_the_maximum),
        cmocka_unit_test(random_bytes_always_come_out_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
