/*
 * tests/unit/core/test_utf8.c - core/utf8.h: sequence lengths (valid and
 * every kind of invalid), character counts, prefixes by characters and
 * cuts by bytes that never split a character.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "core/utf8.h"

#define U(s) ((const unsigned char *)(s))

static void seq_len_accepts_one_to_four_byte_characters(void **state)
{
    (void)state;
    assert_int_equal(utf8_seq_len(U("a"), 1), 1);
    assert_int_equal(utf8_seq_len(U("\xc3\xa9"), 2), 2);         /* é */
    assert_int_equal(utf8_seq_len(U("\xe2\x82\xac"), 3), 3);     /* € */
    assert_int_equal(utf8_seq_len(U("\xf0\x9f\x98\x80"), 4), 4); /* 😀 */
    assert_int_equal(utf8_seq_len(U("\xf4\x8f\xbf\xbf"), 4), 4); /* U+10FFFF */
}

static void seq_len_refuses_what_is_not_a_character(void **state)
{
    (void)state;
    assert_int_equal(utf8_seq_len(U("\x80"), 1), 0);             /* a lone continuation */
    assert_int_equal(utf8_seq_len(U("\xc3"), 1), 0);             /* truncated */
    assert_int_equal(utf8_seq_len(U("\xc3\x41"), 2), 0);         /* bad continuation */
    assert_int_equal(utf8_seq_len(U("\xc0\xaf"), 2), 0);         /* overlong '/' */
    assert_int_equal(utf8_seq_len(U("\xe0\x80\xaf"), 3), 0);     /* overlong, 3 bytes */
    assert_int_equal(utf8_seq_len(U("\xed\xa0\x80"), 3), 0);     /* a surrogate */
    assert_int_equal(utf8_seq_len(U("\xf4\x90\x80\x80"), 4), 0); /* above U+10FFFF */
    assert_int_equal(utf8_seq_len(U("\xff"), 1), 0);
}

static void chars_counts_characters_not_bytes(void **state)
{
    (void)state;
    assert_int_equal(utf8_chars("", 0), 0);
    assert_int_equal(utf8_chars("abc", 3), 3);
    assert_int_equal(utf8_chars("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10), 4);
}

static void prefix_takes_whole_characters(void **state)
{
    (void)state;
    const char *s = "a\xc3\xa9\xe2\x82\xac!"; /* a é € ! */
    assert_int_equal(utf8_prefix(s, 7, 0), 0);
    assert_int_equal(utf8_prefix(s, 7, 1), 1);
    assert_int_equal(utf8_prefix(s, 7, 2), 3);
    assert_int_equal(utf8_prefix(s, 7, 3), 6);
    assert_int_equal(utf8_prefix(s, 7, 4), 7);
    assert_int_equal(utf8_prefix(s, 7, 99), 7);
}

static void cut_never_splits_a_character(void **state)
{
    (void)state;
    const char *s = "a\xe2\x82\xac"; /* a € : 4 bytes */
    assert_int_equal(utf8_cut(s, 4, 4), 4);
    assert_int_equal(utf8_cut(s, 4, 3), 1);
    assert_int_equal(utf8_cut(s, 4, 2), 1);
    assert_int_equal(utf8_cut(s, 4, 1), 1);
    assert_int_equal(utf8_cut(s, 4, 0), 0);
    assert_int_equal(utf8_cut(s, 4, 10), 4);
}

static void valid_checks_every_sequence(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("plain ascii", 11));
    assert_true(utf8_valid("S\xc3\xa3o Paulo \xe2\x82\xac \xf0\x9f\x98\x80", 19));
    assert_false(utf8_valid("\xc3", 1)); /* cut */
    assert_false(utf8_valid("\x80"
                            "abc",
                            4));                 /* stray continuation */
    assert_false(utf8_valid("\xc0\xaf", 2));     /* overlong */
    assert_false(utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
    assert_false(utf8_valid("ab\0cd", 5));       /* a NUL inside */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_checks_every_sequence),
        cmocka_unit_test(seq_len_accepts_one_to_four_byte_characters),
        cmocka_unit_test(seq_len_refuses_what_is_not_a_character),
        cmocka_unit_test(chars_counts_characters_not_bytes),
        cmocka_unit_test(prefix_takes_whole_characters),
        cmocka_unit_test(cut_never_splits_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
