/*
 * tests/unit/http/test_sse.c - the pure helpers of http/sse.h: the exact
 * wire text of sse_format_event (id, event, data split at \n, \r\n and \r,
 * empty data, trailing line breaks, id 0, CR/LF in the event name) and
 * sse_parse_event_id at its limits (digits 16 and 17, 2^53 and 2^53 + 1,
 * signs, spaces, trailing text, length respected).
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "http/sse.h"

#define WIRE_MAX (64 * 1024)

/* ---- helpers ------------------------------------------------------------------------ */

/* Formats one event with data given as a C string and compares the whole wire text. */
static void assert_wire(uint64_t id, const char *event, const char *data, const char *want)
{
    struct buf out;
    buf_init(&out, WIRE_MAX);
    sse_format_event(&out, id, event, data, strlen(data));
    assert_false(out.failed);
    assert_string_equal(out.data, want);
    assert_int_equal(out.len, strlen(want));
    buf_release(&out);
}

/* Parses a C string as an event id; *out set only on success. */
static bool parse_id(const char *s, uint64_t *out)
{
    return sse_parse_event_id(s, strlen(s), out);
}

static void assert_id(const char *s, uint64_t want)
{
    uint64_t v = 12345;
    if (!parse_id(s, &v))
        fail_msg("'%s' was rejected", s);
    assert_int_equal(v, want);
}

static void assert_id_rejected(const char *s)
{
    uint64_t v = 12345;
    if (parse_id(s, &v))
        fail_msg("'%s' was accepted", s);
    assert_int_equal(v, 12345);
}

/* ---- sse_format_event ------------------------------------------------------------------ */

static void event_with_id_name_and_one_line(void **state)
{
    (void)state;
    assert_wire(7, "tick", "hello", "id: 7\nevent: tick\ndata: hello\n\n");
}

static void data_lines_split_at_lf(void **state)
{
    (void)state;
    assert_wire(1, NULL, "a\nb\nc", "id: 1\ndata: a\ndata: b\ndata: c\n\n");
}

static void data_lines_split_at_crlf(void **state)
{
    (void)state;
    assert_wire(1, NULL, "a\r\nb", "id: 1\ndata: a\ndata: b\n\n");
}

static void data_lines_split_at_lone_cr(void **state)
{
    (void)state;
    assert_wire(1, NULL, "a\rb", "id: 1\ndata: a\ndata: b\n\n");
}

static void lf_then_cr_is_two_line_breaks(void **state)
{
    (void)state;
    assert_wire(0, NULL, "a\n\rb", "data: a\ndata: \ndata: b\n\n");
}

static void empty_lines_inside_data_are_kept(void **state)
{
    (void)state;
    assert_wire(0, NULL, "a\n\nb", "data: a\ndata: \ndata: b\n\n");
    assert_wire(0, NULL, "a\r\n\r\nb", "data: a\ndata: \ndata: b\n\n");
}

static void empty_data_is_one_empty_data_line(void **state)
{
    (void)state;
    assert_wire(3, "ping", "", "id: 3\nevent: ping\ndata: \n\n");
}

static void trailing_line_break_adds_no_data_line(void **state)
{
    (void)state;
    assert_wire(0, NULL, "a\n", "data: a\n\n");
    assert_wire(0, NULL, "a\r\n", "data: a\n\n");
    assert_wire(0, NULL, "a\r", "data: a\n\n");
}

static void only_the_final_line_break_is_dropped(void **state)
{
    (void)state;
    assert_wire(0, NULL, "a\n\n", "data: a\ndata: \n\n");
    assert_wire(0, NULL, "\n", "data: \n\n");
}

static void id_zero_is_omitted(void **state)
{
    (void)state;
    assert_wire(0, "tick", "x", "event: tick\ndata: x\n\n");
}

static void null_event_is_omitted(void **state)
{
    (void)state;
    assert_wire(9, NULL, "x", "id: 9\ndata: x\n\n");
}

static void largest_id_is_written_in_full(void **state)
{
    (void)state;
    assert_wire(UINT64_MAX, NULL, "x", "id: 18446744073709551615\ndata: x\n\n");
}

static void cr_and_lf_are_stripped_from_the_event_name(void **state)
{
    (void)state;
    assert_wire(0, "ti\r\nck\n", "x", "event: tick\ndata: x\n\n");
    assert_wire(0, "\r\n", "x", "event: \ndata: x\n\n");
}

static void data_length_is_respected(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, WIRE_MAX);
    sse_format_event(&out, 0, NULL, "abc\ndef", 2); /* only "ab" */
    assert_string_equal(out.data, "data: ab\n\n");
    buf_release(&out);
}

static void event_is_appended_to_existing_text(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, WIRE_MAX);
    buf_adds(&out, ": hi\n\n");
    sse_format_event(&out, 2, NULL, "x", 1);
    assert_string_equal(out.data, ": hi\n\nid: 2\ndata: x\n\n");
    buf_release(&out);
}

static void full_buffer_sets_the_sticky_failure(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, 8);
    sse_format_event(&out, 0, NULL, "0123456789", 10);
    assert_true(out.failed);
    assert_true(out.len <= 8);
    buf_release(&out);
}

/* ---- sse_parse_event_id --------------------------------------------------------------------- */

static void zero_and_one_are_ids(void **state)
{
    (void)state;
    assert_id("0", 0);
    assert_id("1", 1);
    assert_id("42", 42);
}

static void sixteen_digits_are_accepted(void **state)
{
    (void)state;
    assert_id("1000000000000000", UINT64_C(1000000000000000));
    assert_id("0000000000000001", 1);
}

static void seventeen_digits_are_rejected(void **state)
{
    (void)state;
    assert_id_rejected("10000000000000000");
    assert_id_rejected("00000000000000001"); /* even with a small value */
}

static void two_to_the_53_is_the_largest_id(void **state)
{
    (void)state;
    assert_id("9007199254740992", UINT64_C(1) << 53);
    assert_id_rejected("9007199254740993");
    assert_id_rejected("9999999999999999");
}

static void signs_spaces_and_letters_are_rejected(void **state)
{
    (void)state;
    assert_id_rejected("-1");
    assert_id_rejected("+1");
    assert_id_rejected("");
    assert_id_rejected(" 1");
    assert_id_rejected("1 ");
    assert_id_rejected("1a");
    assert_id_rejected("0x10");
    assert_id_rejected("1.0");
}

static void id_length_is_respected(void **state)
{
    (void)state;
    uint64_t v = 0;
    assert_true(sse_parse_event_id("12x", 2, &v));
    assert_int_equal(v, 12);
    v = 5;
    assert_false(sse_parse_event_id("12", 0, &v));
    assert_int_equal(v, 5);
    static const char embedded_nul[] = { '1', '\0', '2' };
    assert_false(sse_parse_event_id(embedded_nul, sizeof(embedded_nul), &v));
    assert_int_equal(v, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_with_id_name_and_one_line),
        cmocka_unit_test(data_lines_split_at_lf),
        cmocka_unit_test(data_lines_split_at_crlf),
        cmocka_unit_test(data_lines_split_at_lone_cr),
        cmocka_unit_test(lf_then_cr_is_two_line_breaks),
        cmocka_unit_test(empty_lines_inside_data_are_kept),
        cmocka_unit_test(empty_data_is_one_empty_data_line),
        cmocka_unit_test(trailing_line_break_adds_no_data_line),
        cmocka_unit_test(only_the_final_line_break_is_dropped),
        cmocka_unit_test(id_zero_is_omitted),
        cmocka_unit_test(null_event_is_omitted),
        cmocka_unit_test(largest_id_is_written_in_full),
        cmocka_unit_test(cr_and_lf_are_stripped_from_the_event_name),
        cmocka_unit_test(data_length_is_respected),
        cmocka_unit_test(event_is_appended_to_existing_text),
        cmocka_unit_test(full_buffer_sets_the_sticky_failure),
        cmocka_unit_test(zero_and_one_are_ids),
        cmocka_unit_test(sixteen_digits_are_accepted),
        cmocka_unit_test(seventeen_digits_are_rejected),
        cmocka_unit_test(two_to_the_53_is_the_largest_id),
        cmocka_unit_test(signs_spaces_and_letters_are_rejected),
        cmocka_unit_test(id_length_is_respected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
