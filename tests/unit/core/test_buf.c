/*
 * tests/unit/core/test_buf.c - struct buf (core/buf.h): the never-NULL,
 * always-terminated invariants, growth, the mandatory maximum with its sticky
 * failed flag, reset/truncate/detach, and the JSON-escaping and UTF-8
 * repairing appends.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include <jansson.h>
#include <wchar.h>

#include "core/buf.h"

#define REPL "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

/* Asserts that b holds exactly the n bytes of want, NUL-terminated. */
static void assert_buf(const struct buf *b, const char *want, size_t n)
{
    assert_int_equal(b->len, n);
    if (n)
        assert_memory_equal(b->data, want, n);
    assert_int_equal(b->data[n], '\0');
}

#define assert_buf_str(b, s) assert_buf((b), (s), sizeof(s) - 1)

/* Escapes s[0..n) into a fresh buffer and compares it with want. */
static void assert_escaped(const char *s, size_t n, const char *want)
{
    struct buf b;
    buf_init(&b, 1024);
    assert_true(buf_add_json_escaped(&b, s, n));
    assert_string_equal(b.data, want);
    buf_release(&b);
}

/* Repairs s[0..n) into a fresh buffer and compares it with want. */
static void assert_repaired(const char *s, size_t n, const char *want)
{
    struct buf b;
    buf_init(&b, 1024);
    assert_true(buf_add_utf8_repaired(&b, s, n));
    assert_string_equal(b.data, want);
    buf_release(&b);
}

/* ---- invariants ------------------------------------------------------------ */

static void init_gives_empty_terminated_data_that_is_never_null(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_non_null(b.data);
    assert_buf_str(&b, "");
    assert_false(b.failed);
    assert_int_equal(b.max, 10);
    buf_release(&b);
}

static void release_returns_buffer_to_its_initial_state(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    buf_adds(&b, "hello");
    buf_release(&b);
    assert_non_null(b.data);
    assert_buf_str(&b, "");
    assert_int_equal(b.max, 100);
    assert_true(buf_adds(&b, "again"));
    assert_buf_str(&b, "again");
    buf_release(&b);
}

static void release_of_unused_buffer_is_safe(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    buf_release(&b);
    buf_release(&b);
    assert_buf_str(&b, "");
}

/* ---- appending and growth -------------------------------------------------- */

static void add_appends_bytes_including_nul_bytes(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    assert_true(buf_add(&b, "ab\0c", 4));
    assert_true(buf_add(&b, "de", 2));
    assert_buf(&b, "ab\0cde", 6);
    buf_release(&b);
}

static void add_of_zero_bytes_succeeds_and_changes_nothing(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    assert_true(buf_add(&b, "", 0));
    assert_buf_str(&b, "");
    assert_false(b.failed);
    buf_release(&b);
}

static void adds_and_addch_append_text(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    assert_true(buf_adds(&b, "key"));
    assert_true(buf_addch(&b, '='));
    assert_true(buf_adds(&b, ""));
    assert_true(buf_adds(&b, "value"));
    assert_buf_str(&b, "key=value");
    buf_release(&b);
}

static void addf_formats_its_arguments(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    assert_true(buf_addf(&b, "%s=%d;", "n", 42));
    assert_true(buf_addf(&b, "%05.1f|%x", 3.5, 255u));
    assert_buf_str(&b, "n=42;003.5|ff");
    buf_release(&b);
}

static void addf_output_longer_than_its_stack_buffer_is_complete(void **state)
{
    (void)state;
    char big[1001];
    memset(big, 'z', 1000);
    big[1000] = '\0';
    struct buf b;
    buf_init(&b, 5000);
    buf_adds(&b, "<");
    assert_true(buf_addf(&b, "%s>%d", big, 7));
    assert_int_equal(b.len, 1 + 1000 + 2);
    assert_int_equal(b.data[0], '<');
    assert_memory_equal(b.data + 1, big, 1000);
    assert_string_equal(b.data + 1001, ">7");
    buf_release(&b);
}

static void many_appends_grow_the_buffer_and_keep_every_byte(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    for (int i = 0; i < 100000; i++)
        assert_true(buf_addch(&b, (char)('a' + i % 26)));
    assert_int_equal(b.len, 100000);
    assert_true(b.alloc > b.len);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    assert_int_equal(b.data[100000], '\0');
    buf_release(&b);
}

static void addf_encoding_error_sets_failed_and_appends_nothing(void **state)
{
    (void)state;
    /* in the C locale a wide character past ASCII cannot be converted */
    static const wchar_t wide[] = { 0x20ac, 0 };
    struct buf b;
    buf_init(&b, 100);
    buf_adds(&b, "ok");
    assert_false(buf_addf(&b, "%ls", wide));
    assert_true(b.failed);
    assert_buf_str(&b, "ok");
    buf_release(&b);
}

/* ---- the maximum ---------------------------------------------------------------- */

static void max_zero_accepts_nothing_but_empty_appends(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_true(buf_add(&b, "", 0));
    assert_false(b.failed);
    assert_false(buf_addch(&b, 'x'));
    assert_true(b.failed);
    assert_buf_str(&b, "");
    buf_release(&b);
}

static void add_of_exactly_max_bytes_succeeds(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 16);
    assert_true(buf_add(&b, "0123456789abcdef", 16));
    assert_false(b.failed);
    assert_buf_str(&b, "0123456789abcdef");
    assert_true(b.alloc <= 17);
    buf_release(&b);
}

static void add_of_max_plus_one_fails_and_appends_nothing(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 16);
    assert_false(buf_add(&b, "0123456789abcdefg", 17));
    assert_true(b.failed);
    assert_buf_str(&b, "");
    buf_release(&b);
}

static void filling_up_to_max_in_pieces_succeeds_and_one_more_byte_fails(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_true(buf_adds(&b, "abc"));
    assert_true(buf_adds(&b, "defgh"));
    assert_false(b.failed);
    assert_false(buf_addch(&b, 'i'));
    assert_true(b.failed);
    assert_buf_str(&b, "abcdefgh");
    buf_release(&b);
}

static void failure_is_sticky_and_refuses_later_small_appends(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 16);
    assert_true(buf_adds(&b, "0123456789"));
    assert_false(buf_adds(&b, "too-long"));
    assert_false(buf_addch(&b, 'x'));
    assert_false(buf_add(&b, "", 0));
    assert_false(buf_addf(&b, "%d", 1));
    assert_false(buf_add_json_escaped(&b, "y", 1));
    assert_false(buf_add_utf8_repaired(&b, "z", 1));
    assert_true(b.failed);
    assert_buf_str(&b, "0123456789");
    buf_release(&b);
}

static void addf_of_exactly_max_succeeds_on_both_paths(void **state)
{
    (void)state;
    char big[301];
    memset(big, 'q', 300);
    big[300] = '\0';
    struct buf small, large;
    buf_init(&small, 10);
    buf_init(&large, 300);
    assert_true(buf_addf(&small, "%s", "0123456789"));
    assert_true(buf_addf(&large, "%s", big));
    assert_buf_str(&small, "0123456789");
    assert_int_equal(large.len, 300);
    assert_false(small.failed);
    assert_false(large.failed);
    buf_release(&small);
    buf_release(&large);
}

static void addf_of_max_plus_one_fails_on_both_paths(void **state)
{
    (void)state;
    char big[302];
    memset(big, 'q', 301);
    big[301] = '\0';
    struct buf small, large;
    buf_init(&small, 10);
    buf_init(&large, 300);
    assert_false(buf_addf(&small, "%s", "0123456789a"));
    assert_false(buf_addf(&large, "%s", big));
    assert_true(small.failed);
    assert_true(large.failed);
    assert_buf_str(&small, "");
    assert_buf_str(&large, "");
    buf_release(&small);
    buf_release(&large);
}

/* ---- reset, truncate, detach ------------------------------------------------ */

static void reset_empties_and_clears_failed_keeping_max(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4);
    buf_adds(&b, "abcd");
    buf_addch(&b, 'e');
    assert_true(b.failed);
    buf_reset(&b);
    assert_false(b.failed);
    assert_buf_str(&b, "");
    assert_int_equal(b.max, 4);
    assert_true(buf_adds(&b, "wxyz"));
    assert_false(buf_addch(&b, '!'));
    assert_buf_str(&b, "wxyz");
    buf_release(&b);
}

static void reset_of_unused_buffer_keeps_it_empty(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4);
    buf_reset(&b);
    assert_buf_str(&b, "");
    buf_release(&b);
}

static void truncate_drops_the_tail(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    buf_adds(&b, "hello world");
    buf_truncate(&b, 5);
    assert_buf_str(&b, "hello");
    buf_truncate(&b, 0);
    assert_buf_str(&b, "");
    buf_release(&b);
}

static void truncate_to_current_length_or_more_changes_nothing(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    buf_truncate(&b, 0);
    assert_buf_str(&b, "");
    buf_adds(&b, "abc");
    buf_truncate(&b, 3);
    buf_truncate(&b, 50);
    assert_buf_str(&b, "abc");
    buf_release(&b);
}

static void detach_hands_over_the_string_and_leaves_buffer_reusable(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    buf_adds(&b, "owned");
    const char *before = b.data;
    size_t len = 0;
    char *s = buf_detach(&b, &len);
    assert_ptr_equal(s, before);
    assert_string_equal(s, "owned");
    assert_int_equal(len, 5);
    assert_buf_str(&b, "");
    assert_false(b.failed);
    assert_true(buf_adds(&b, "new"));
    assert_buf_str(&b, "new");
    assert_string_equal(s, "owned");
    free(s);
    buf_release(&b);
}

static void detach_keeps_max_for_the_reused_buffer(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4);
    buf_adds(&b, "ab");
    free(buf_detach(&b, NULL));
    assert_int_equal(b.max, 4);
    assert_true(buf_adds(&b, "abcd"));
    assert_false(buf_addch(&b, 'e'));
    buf_release(&b);
}

static void detach_of_empty_buffer_returns_a_malloced_empty_string(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4);
    size_t len = 99;
    char *s = buf_detach(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s); /* must be a real allocation: ASan would flag freeing a static */
    buf_release(&b);
}

static void detach_of_failed_buffer_clears_failed(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 2);
    buf_adds(&b, "abc");
    assert_true(b.failed);
    free(buf_detach(&b, NULL));
    assert_false(b.failed);
    assert_true(buf_adds(&b, "ab"));
    buf_release(&b);
}

/* ---- JSON escaping ---------------------------------------------------------------- */

static void json_escaped_escapes_quote_and_backslash(void **state)
{
    (void)state;
    assert_escaped("a\"b\\c", 5, "a\\\"b\\\\c");
    assert_escaped("\"", 1, "\\\"");
}

static void json_escaped_uses_short_forms_for_newline_cr_and_tab(void **state)
{
    (void)state;
    assert_escaped("a\nb\rc\td", 7, "a\\nb\\rc\\td");
}

static void json_escaped_writes_other_control_chars_as_u00xx(void **state)
{
    (void)state;
    assert_escaped("\x01", 1, "\\u0001");
    assert_escaped("\x08\x0c", 2, "\\u0008\\u000c");
    assert_escaped("\x1f", 1, "\\u001f");
    assert_escaped("a\0b", 3, "a\\u0000b");
}

static void json_escaped_leaves_space_slash_and_del_as_they_are(void **state)
{
    (void)state;
    assert_escaped(" /~\x7f", 4, " /~\x7f");
}

static void json_escaped_keeps_valid_multibyte_utf8(void **state)
{
    (void)state;
    /* U+0080, U+00E9, U+07FF, U+0800, U+20AC, U+FFFD, U+10000, U+1F600, U+10FFFF */
    const char *s = "\xc2\x80\xc3\xa9\xdf\xbf\xe0\xa0\x80\xe2\x82\xac" REPL
                    "\xf0\x90\x80\x80\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf";
    assert_escaped(s, strlen(s), s);
}

static void json_escaped_replaces_invalid_bytes_with_u_fffd(void **state)
{
    (void)state;
    assert_escaped("a\xff"
                   "b",
                   3, "a" REPL "b");
    assert_escaped("\x80", 1, REPL);                   /* lone continuation byte */
    assert_escaped("\xfe\xf5\xf8", 3, REPL REPL REPL); /* never valid lead bytes */
}

static void json_escaped_replaces_truncated_sequences(void **state)
{
    (void)state;
    assert_escaped("\xe2\x82", 2, REPL REPL);      /* end of input mid-sequence */
    assert_escaped("\xe2\x82x", 3, REPL REPL "x"); /* broken by an ASCII byte */
    assert_escaped("\xc3", 1, REPL);
}

static void json_escaped_rejects_overlong_encodings(void **state)
{
    (void)state;
    assert_escaped("\xc0\xaf", 2, REPL REPL);                   /* '/' in two bytes */
    assert_escaped("\xc1\xbf", 2, REPL REPL);                   /* U+007F in two bytes */
    assert_escaped("\xe0\x80\xaf", 3, REPL REPL REPL);          /* '/' in three bytes */
    assert_escaped("\xe0\x9f\xbf", 3, REPL REPL REPL);          /* U+07FF in three bytes */
    assert_escaped("\xf0\x8f\xbf\xbf", 4, REPL REPL REPL REPL); /* U+FFFF in four bytes */
}

static void json_escaped_rejects_surrogates_and_code_points_past_10ffff(void **state)
{
    (void)state;
    assert_escaped("\xed\xa0\x80", 3, REPL REPL REPL);          /* U+D800 */
    assert_escaped("\xed\xbf\xbf", 3, REPL REPL REPL);          /* U+DFFF */
    assert_escaped("\xed\x9f\xbf", 3, "\xed\x9f\xbf");          /* U+D7FF is fine */
    assert_escaped("\xf4\x90\x80\x80", 4, REPL REPL REPL REPL); /* U+110000 */
}

static void json_escaped_output_is_always_a_valid_json_string(void **state)
{
    (void)state;
    /* every single byte, and every pair of a lead byte with a second byte */
    struct buf b;
    buf_init(&b, 4096);
    for (unsigned i = 0; i < 256; i++) {
        for (unsigned j = 0; j < 256; j += 17) {
            char in[2] = { (char)i, (char)j };
            buf_reset(&b);
            buf_addch(&b, '"');
            buf_add_json_escaped(&b, in, i % 2 ? 1 : 2);
            buf_addch(&b, '"');
            assert_false(b.failed);
            json_error_t jerr;
            json_t *v = json_loadb(b.data, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
            if (!v)
                fail_msg("bytes %02x %02x: %s: %s", i, j, b.data, jerr.text);
            assert_true(json_is_string(v));
            json_decref(v);
        }
    }
    buf_release(&b);
}

static void json_escaped_fits_exactly_max_and_fails_one_past(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 2);
    assert_true(buf_add_json_escaped(&b, "\"", 1));
    assert_buf_str(&b, "\\\"");
    buf_release(&b);

    buf_init(&b, 5);
    assert_false(buf_add_json_escaped(&b, "\x01", 1));
    assert_true(b.failed);
    buf_release(&b);

    buf_init(&b, 6);
    assert_true(buf_add_json_escaped(&b, "\x01", 1));
    assert_buf_str(&b, "\\u0001");
    buf_release(&b);
}

static void json_escaped_of_empty_input_appends_nothing(void **state)
{
    (void)state;
    assert_escaped("", 0, "");
}

/* ---- UTF-8 repair ------------------------------------------------------------------ */

static void utf8_repaired_keeps_valid_text_unescaped(void **state)
{
    (void)state;
    const char *s = "a\"\\\n\x01\xc3\xa9\xf0\x9f\x98\x80";
    assert_repaired(s, strlen(s), s);
}

static void utf8_repaired_replaces_each_invalid_byte(void **state)
{
    (void)state;
    assert_repaired("a\xff"
                    "b\xc0\xaf",
                    5, "a" REPL "b" REPL REPL);
    assert_repaired("\xed\xa0\x80", 3, REPL REPL REPL);
}

static void utf8_repaired_fails_past_max(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 3);
    assert_true(buf_add_utf8_repaired(&b, "\xff", 1));
    assert_buf_str(&b, REPL);
    assert_false(buf_add_utf8_repaired(&b, "a", 1));
    assert_true(b.failed);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_gives_empty_terminated_data_that_is_never_null),
        cmocka_unit_test(release_returns_buffer_to_its_initial_state),
        cmocka_unit_test(release_of_unused_buffer_is_safe),
        cmocka_unit_test(add_appends_bytes_including_nul_bytes),
        cmocka_unit_test(add_of_zero_bytes_succeeds_and_changes_nothing),
        cmocka_unit_test(adds_and_addch_append_text),
        cmocka_unit_test(addf_formats_its_arguments),
        cmocka_unit_test(addf_output_longer_than_its_stack_buffer_is_complete),
        cmocka_unit_test(many_appends_grow_the_buffer_and_keep_every_byte),
        cmocka_unit_test(addf_encoding_error_sets_failed_and_appends_nothing),
        cmocka_unit_test(max_zero_accepts_nothing_but_empty_appends),
        cmocka_unit_test(add_of_exactly_max_bytes_succeeds),
        cmocka_unit_test(add_of_max_plus_one_fails_and_appends_nothing),
        cmocka_unit_test(filling_up_to_max_in_pieces_succeeds_and_one_more_byte_fails),
        cmocka_unit_test(failure_is_sticky_and_refuses_later_small_appends),
        cmocka_unit_test(addf_of_exactly_max_succeeds_on_both_paths),
        cmocka_unit_test(addf_of_max_plus_one_fails_on_both_paths),
        cmocka_unit_test(reset_empties_and_clears_failed_keeping_max),
        cmocka_unit_test(reset_of_unused_buffer_keeps_it_empty),
        cmocka_unit_test(truncate_drops_the_tail),
        cmocka_unit_test(truncate_to_current_length_or_more_changes_nothing),
        cmocka_unit_test(detach_hands_over_the_string_and_leaves_buffer_reusable),
        cmocka_unit_test(detach_keeps_max_for_the_reused_buffer),
        cmocka_unit_test(detach_of_empty_buffer_returns_a_malloced_empty_string),
        cmocka_unit_test(detach_of_failed_buffer_clears_failed),
        cmocka_unit_test(json_escaped_escapes_quote_and_backslash),
        cmocka_unit_test(json_escaped_uses_short_forms_for_newline_cr_and_tab),
        cmocka_unit_test(json_escaped_writes_other_control_chars_as_u00xx),
        cmocka_unit_test(json_escaped_leaves_space_slash_and_del_as_they_are),
        cmocka_unit_test(json_escaped_keeps_valid_multibyte_utf8),
        cmocka_unit_test(json_escaped_replaces_invalid_bytes_with_u_fffd),
        cmocka_unit_test(json_escaped_replaces_truncated_sequences),
        cmocka_unit_test(json_escaped_rejects_overlong_encodings),
        cmocka_unit_test(json_escaped_rejects_surrogates_and_code_points_past_10ffff),
        cmocka_unit_test(json_escaped_output_is_always_a_valid_json_string),
        cmocka_unit_test(json_escaped_fits_exactly_max_and_fails_one_past),
        cmocka_unit_test(json_escaped_of_empty_input_appends_nothing),
        cmocka_unit_test(utf8_repaired_keeps_valid_text_unescaped),
        cmocka_unit_test(utf8_repaired_replaces_each_invalid_byte),
        cmocka_unit_test(utf8_repaired_fails_past_max),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
