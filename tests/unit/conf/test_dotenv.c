/*
 * tests/unit/conf/test_dotenv.c - the .env parser (conf/dotenv.h): every
 * syntax rule (comments, blank lines, export, spaces around '=', unquoted
 * values with and without a trailing comment, double-quoted escapes,
 * single-quoted literals, CRLF), every error with its line number
 * (unterminated quotes, bad names, text after a closing quote, NUL bytes),
 * the 64 KiB value limit at the limit and one past it, a callback that stops
 * the parse, and empty input.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "conf/dotenv.h"

#define VALUE_MAX (64 * 1024) /* DOTENV_VALUE_MAX in conf/dotenv.c */
#define MAX_SEEN  16

/* ---- a callback that records what it was given ------------------------------------ */

struct seen {
    size_t n;
    size_t stop_after; /* return false on this call (1-based); 0 never */
    struct {
        char key[64];
        char *value; /* owned copy of value_len bytes plus NUL */
        size_t len;
        int line;
    } items[MAX_SEEN];
};

static bool record(void *ctx, struct span key, const char *value, size_t value_len, int line)
{
    struct seen *s = ctx;
    if (s->n == MAX_SEEN)
        fail_msg("more than %d assignments", MAX_SEEN);
    if (key.len >= sizeof(s->items[0].key))
        fail_msg("key of %zu bytes", key.len);
    /* the value must be NUL-terminated at value_len */
    assert_int_equal(value[value_len], '\0');
    memcpy(s->items[s->n].key, key.ptr, key.len);
    s->items[s->n].key[key.len] = '\0';
    s->items[s->n].value = malloc(value_len + 1);
    assert_non_null(s->items[s->n].value);
    memcpy(s->items[s->n].value, value, value_len + 1);
    s->items[s->n].len = value_len;
    s->items[s->n].line = line;
    s->n++;
    return !(s->stop_after && s->n == s->stop_after);
}

static void seen_release(struct seen *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i].value);
    s->n = 0;
}

/* Parses text (a C string) into s; returns the code and fills e. */
static enum err_code parse_into(const char *text, struct seen *s, struct err *e)
{
    return dotenv_parse(text, strlen(text), record, s, e);
}

/* Asserts that item i of s is key=value (value compared as a C string) from line. */
static void assert_item(const struct seen *s, size_t i, const char *key, const char *value,
                        int line)
{
    if (i >= s->n)
        fail_msg("only %zu assignments, wanted item %zu (%s)", s->n, i, key);
    assert_string_equal(s->items[i].key, key);
    assert_string_equal(s->items[i].value, value);
    assert_int_equal(s->items[i].len, strlen(value));
    assert_int_equal(s->items[i].line, line);
}

/* Parses text that must hold exactly one assignment key=want on line 1. */
static void assert_single(const char *text, const char *key, const char *want)
{
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    enum err_code rc = parse_into(text, &s, &e);
    if (rc != ERR_OK)
        fail_msg("'%s' failed: %s", text, e.msg);
    assert_int_equal(s.n, 1);
    assert_item(&s, 0, key, want, 1);
    seen_release(&s);
}

/* Parses text[0..len) that must fail with a message containing want, after n_before assignments. */
static void assert_fails_len(const char *text, size_t len, const char *want, size_t n_before)
{
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    enum err_code rc = dotenv_parse(text, len, record, &s, &e);
    if (rc != ERR_INVALID)
        fail_msg("'%.*s' gave %d, not ERR_INVALID", (int)len, text, (int)rc);
    if (!strstr(e.msg, want))
        fail_msg("message '%s' lacks '%s'", e.msg, want);
    assert_int_equal(s.n, n_before);
    seen_release(&s);
}

/* assert_fails_len over a C string. */
static void assert_fails(const char *text, const char *want, size_t n_before)
{
    assert_fails_len(text, strlen(text), want, n_before);
}

/* A line "V=" followed by n copies of ch, as a malloc'd string. */
static char *long_line(const char *prefix, size_t n, char ch, const char *suffix)
{
    size_t p = strlen(prefix), q = strlen(suffix);
    char *t = malloc(p + n + q + 1);
    assert_non_null(t);
    memcpy(t, prefix, p);
    memset(t + p, ch, n);
    memcpy(t + p + n, suffix, q + 1);
    return t;
}

/* ---- empty input, blank lines, comments ------------------------------------------ */

static void empty_input_reports_nothing(void **state)
{
    (void)state;
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    assert_int_equal(dotenv_parse("", 0, record, &s, &e), ERR_OK);
    assert_int_equal(dotenv_parse(NULL, 0, record, &s, &e), ERR_OK);
    assert_int_equal(s.n, 0);
}

static void blank_lines_and_comments_are_skipped_but_counted(void **state)
{
    (void)state;
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    const char *text = "# a comment\n"
                       "\n"
                       "   \t \n"
                       "  # indented comment with A=1\n"
                       "A=1\n"
                       "#B=2\n"
                       "\n"
                       "C=3\n";
    assert_int_equal(parse_into(text, &s, &e), ERR_OK);
    assert_int_equal(s.n, 2);
    assert_item(&s, 0, "A", "1", 5);
    assert_item(&s, 1, "C", "3", 8);
    seen_release(&s);
}

static void last_line_without_newline_is_parsed(void **state)
{
    (void)state;
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    assert_int_equal(parse_into("A=1\nB=2", &s, &e), ERR_OK);
    assert_int_equal(s.n, 2);
    assert_item(&s, 1, "B", "2", 2);
    seen_release(&s);
}

/* ---- names and '=' ----------------------------------------------------------------- */

static void export_prefix_is_ignored(void **state)
{
    (void)state;
    assert_single("export A=1\n", "A", "1");
    assert_single("export\tA=1\n", "A", "1");
    assert_single("export    A=1\n", "A", "1");
}

static void export_is_also_a_valid_name(void **state)
{
    (void)state;
    assert_single("export=1\n", "export", "1");
    assert_single("exportA=1\n", "exportA", "1");
}

static void spaces_around_equals_are_dropped(void **state)
{
    (void)state;
    assert_single("A = 1\n", "A", "1");
    assert_single("  A\t=\t1  \n", "A", "1");
    assert_single("A =hello world  \n", "A", "hello world");
}

static void names_may_hold_letters_digits_and_underscores(void **state)
{
    (void)state;
    assert_single("_=x\n", "_", "x");
    assert_single("a_B9=x\n", "a_B9", "x");
    assert_single("DB_POOL_SIZE_2=x\n", "DB_POOL_SIZE_2", "x");
}

static void name_starting_with_digit_is_an_error(void **state)
{
    (void)state;
    assert_fails("9A=1\n", "line 1: expected NAME=value", 0);
}

static void name_with_dash_or_dot_is_an_error(void **state)
{
    (void)state;
    assert_fails("A-B=1\n", "line 1: expected '=' after 'A'", 0);
    assert_fails("A.B=1\n", "line 1: expected '=' after 'A'", 0);
}

static void line_without_equals_is_an_error(void **state)
{
    (void)state;
    assert_fails("A=1\nJUSTANAME\n", "line 2: expected '=' after 'JUSTANAME'", 1);
}

static void missing_name_is_an_error(void **state)
{
    (void)state;
    assert_fails("=1\n", "line 1: expected NAME=value", 0);
    assert_fails("export =1\n", "line 1: expected NAME=value", 0);
}

/* ---- unquoted values ----------------------------------------------------------------- */

static void empty_unquoted_value_is_empty_string(void **state)
{
    (void)state;
    assert_single("A=\n", "A", "");
    assert_single("A=   \n", "A", "");
}

static void unquoted_value_drops_comment_after_space(void **state)
{
    (void)state;
    assert_single("A=value # a comment\n", "A", "value");
    assert_single("A=value\t# a comment\n", "A", "value");
    assert_single("A=# only a comment\n", "A", "");
}

static void hash_inside_unquoted_value_is_kept(void **state)
{
    (void)state;
    assert_single("A=a#b\n", "A", "a#b");
    assert_single("URL=http://h/p#frag # comment\n", "URL", "http://h/p#frag");
}

static void unquoted_value_keeps_inner_spaces_and_quotes(void **state)
{
    (void)state;
    assert_single("A=a  b\n", "A", "a  b");
    assert_single("A=it's \"x\"\n", "A", "it's \"x\"");
    assert_single("A=a=b=c\n", "A", "a=b=c");
}

/* ---- double quotes -------------------------------------------------------------------- */

static void double_quoted_escapes_are_decoded(void **state)
{
    (void)state;
    assert_single("A=\"x\\ny\"\n", "A", "x\ny");
    assert_single("A=\"x\\ry\"\n", "A", "x\ry");
    assert_single("A=\"x\\ty\"\n", "A", "x\ty");
    assert_single("A=\"say \\\"hi\\\"\"\n", "A", "say \"hi\"");
    assert_single("A=\"back\\\\slash\"\n", "A", "back\\slash");
    assert_single("A=\"\\$HOME\"\n", "A", "$HOME");
}

static void double_quoted_unknown_escape_is_kept_verbatim(void **state)
{
    (void)state;
    assert_single("A=\"a\\qb\"\n", "A", "a\\qb");
}

static void double_quoted_value_keeps_hash_and_spaces(void **state)
{
    (void)state;
    assert_single("A=\"  a # b  \"\n", "A", "  a # b  ");
    assert_single("A=\"\"\n", "A", "");
}

static void double_quoted_value_may_be_followed_by_comment(void **state)
{
    (void)state;
    assert_single("A=\"v\"   # note\n", "A", "v");
    assert_single("A=\"v\"  \t\n", "A", "v");
}

static void unterminated_double_quote_is_an_error_with_line(void **state)
{
    (void)state;
    assert_fails("A=1\nB=2\nC=\"abc\nD=4\n", "line 3: unterminated double-quoted value", 2);
}

static void escaped_closing_quote_leaves_value_unterminated(void **state)
{
    (void)state;
    assert_fails("A=\"abc\\\"\n", "line 1: unterminated double-quoted value", 0);
    assert_fails("A=\"abc\\", "line 1: unterminated double-quoted value", 0);
}

static void text_after_closing_double_quote_is_an_error(void **state)
{
    (void)state;
    assert_fails("A=\"v\" x\n", "line 1: unexpected text after closing quote", 0);
    assert_fails("A=\"v\"x\n", "line 1: unexpected text after closing quote", 0);
}

/* ---- single quotes --------------------------------------------------------------------- */

static void single_quoted_value_is_literal(void **state)
{
    (void)state;
    assert_single("A='x\\ny'\n", "A", "x\\ny");
    assert_single("A='$HOME # not a comment'\n", "A", "$HOME # not a comment");
    assert_single("A='say \"hi\"'\n", "A", "say \"hi\"");
    assert_single("A=''\n", "A", "");
}

static void single_quoted_value_may_be_followed_by_comment(void **state)
{
    (void)state;
    assert_single("A='v' # note\n", "A", "v");
}

static void unterminated_single_quote_is_an_error_with_line(void **state)
{
    (void)state;
    assert_fails("A=1\n\nB='abc\n", "line 3: unterminated single-quoted value", 1);
    assert_fails("A='", "line 1: unterminated single-quoted value", 0);
}

static void text_after_closing_single_quote_is_an_error(void **state)
{
    (void)state;
    assert_fails("A='v'x\n", "line 1: unexpected text after closing quote", 0);
    assert_fails("A='a'b'\n", "line 1: unexpected text after closing quote", 0);
}

/* ---- line endings ----------------------------------------------------------------------- */

static void crlf_line_endings_are_accepted(void **state)
{
    (void)state;
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    const char *text = "# c\r\nA=1\r\n\r\nB=\"two\"\r\nC='3' # x\r\nD=4 # y\r\n";
    assert_int_equal(parse_into(text, &s, &e), ERR_OK);
    assert_int_equal(s.n, 4);
    assert_item(&s, 0, "A", "1", 2);
    assert_item(&s, 1, "B", "two", 4);
    assert_item(&s, 2, "C", "3", 5);
    assert_item(&s, 3, "D", "4", 6);
    seen_release(&s);
}

static void crlf_error_reports_the_right_line(void **state)
{
    (void)state;
    assert_fails("A=1\r\nB=2\r\nC='x\r\n", "line 3: unterminated single-quoted value", 2);
}

/* ---- NUL bytes ---------------------------------------------------------------------------- */

static void nul_byte_in_unquoted_value_is_an_error(void **state)
{
    (void)state;
    static const char text[] = "A=1\nB=a\0b\n";
    assert_fails_len(text, sizeof(text) - 1, "line 2: value contains a NUL byte", 1);
}

static void nul_byte_in_quoted_value_is_an_error(void **state)
{
    (void)state;
    static const char dq[] = "A=\"a\0b\"\n";
    static const char sq[] = "A='a\0b'\n";
    assert_fails_len(dq, sizeof(dq) - 1, "line 1: value contains a NUL byte", 0);
    assert_fails_len(sq, sizeof(sq) - 1, "line 1: value contains a NUL byte", 0);
}

static void nul_byte_in_comment_is_ignored(void **state)
{
    (void)state;
    static const char text[] = "# a\0b\nA=1 # c\0d\n";
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    assert_int_equal(dotenv_parse(text, sizeof(text) - 1, record, &s, &e), ERR_OK);
    assert_int_equal(s.n, 1);
    assert_item(&s, 0, "A", "1", 2);
    seen_release(&s);
}

/* ---- the 64 KiB value limit ------------------------------------------------------------------ */

static void value_of_exactly_64k_is_accepted(void **state)
{
    (void)state;
    char *text = long_line("A=", VALUE_MAX, 'x', "\n");
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    assert_int_equal(parse_into(text, &s, &e), ERR_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.items[0].len, VALUE_MAX);
    assert_int_equal(s.items[0].value[VALUE_MAX - 1], 'x');
    seen_release(&s);
    free(text);
}

static void value_of_64k_plus_one_is_rejected(void **state)
{
    (void)state;
    char *text = long_line("A=", VALUE_MAX + 1, 'x', "\n");
    assert_fails(text, "line 1: value longer than 65536 bytes", 0);
    free(text);
}

static void quoted_value_limit_counts_decoded_bytes(void **state)
{
    (void)state;
    /* 64 KiB + 1 decoded bytes in quotes is refused; exactly 64 KiB passes */
    char *over = long_line("A=\"", VALUE_MAX + 1, 'y', "\"\n");
    char *exact = long_line("A='", VALUE_MAX, 'y', "'\n");
    assert_fails(over, "line 1: value longer than 65536 bytes", 0);
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    assert_int_equal(parse_into(exact, &s, &e), ERR_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.items[0].len, VALUE_MAX);
    seen_release(&s);
    free(over);
    free(exact);
}

static void long_comment_is_not_a_long_value(void **state)
{
    (void)state;
    char *text = long_line("A=v # ", VALUE_MAX * 2, 'c', "\n");
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    assert_int_equal(parse_into(text, &s, &e), ERR_OK);
    assert_item(&s, 0, "A", "v", 1);
    seen_release(&s);
    free(text);
}

/* ---- the callback
 * -------------------------------------------------------------------------------- */

static void callback_returning_false_stops_the_parse(void **state)
{
    (void)state;
    struct seen s = { .stop_after = 2 };
    struct err e = ERR_INIT;
    /* line 3 is malformed: it must not be looked at */
    assert_int_equal(parse_into("A=1\nB=2\nnot valid\nC=3\n", &s, &e), ERR_OK);
    assert_int_equal(s.n, 2);
    assert_item(&s, 1, "B", "2", 2);
    assert_string_equal(e.msg, "");
    seen_release(&s);
}

static void callback_returning_false_on_last_line_is_ok(void **state)
{
    (void)state;
    struct seen s = { .stop_after = 1 };
    struct err e = ERR_INIT;
    assert_int_equal(parse_into("A=1", &s, &e), ERR_OK);
    assert_int_equal(s.n, 1);
    seen_release(&s);
}

static void assignments_before_an_error_are_reported(void **state)
{
    (void)state;
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    assert_int_equal(parse_into("A=1\nB='x\nC=3\n", &s, &e), ERR_INVALID);
    assert_int_equal(s.n, 1);
    assert_item(&s, 0, "A", "1", 1);
    seen_release(&s);
}

static void duplicate_names_are_all_reported_in_order(void **state)
{
    (void)state;
    struct seen s = { 0 };
    struct err e = ERR_INIT;
    assert_int_equal(parse_into("A=1\nA=2\n", &s, &e), ERR_OK);
    assert_int_equal(s.n, 2);
    assert_item(&s, 0, "A", "1", 1);
    assert_item(&s, 1, "A", "2", 2);
    seen_release(&s);
}

static void null_err_is_allowed(void **state)
{
    (void)state;
    struct seen s = { 0 };
    assert_int_equal(dotenv_parse("A='x", 4, record, &s, NULL), ERR_INVALID);
    assert_int_equal(s.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_input_reports_nothing),
        cmocka_unit_test(blank_lines_and_comments_are_skipped_but_counted),
        cmocka_unit_test(last_line_without_newline_is_parsed),
        cmocka_unit_test(export_prefix_is_ignored),
        cmocka_unit_test(export_is_also_a_valid_name),
        cmocka_unit_test(spaces_around_equals_are_dropped),
        cmocka_unit_test(names_may_hold_letters_digits_and_underscores),
        cmocka_unit_test(name_starting_with_digit_is_an_error),
        cmocka_unit_test(name_with_dash_or_dot_is_an_error),
        cmocka_unit_test(line_without_equals_is_an_error),
        cmocka_unit_test(missing_name_is_an_error),
        cmocka_unit_test(empty_unquoted_value_is_empty_string),
        cmocka_unit_test(unquoted_value_drops_comment_after_space),
        cmocka_unit_test(hash_inside_unquoted_value_is_kept),
        cmocka_unit_test(unquoted_value_keeps_inner_spaces_and_quotes),
        cmocka_unit_test(double_quoted_escapes_are_decoded),
        cmocka_unit_test(double_quoted_unknown_escape_is_kept_verbatim),
        cmocka_unit_test(double_quoted_value_keeps_hash_and_spaces),
        cmocka_unit_test(double_quoted_value_may_be_followed_by_comment),
        cmocka_unit_test(unterminated_double_quote_is_an_error_with_line),
        cmocka_unit_test(escaped_closing_quote_leaves_value_unterminated),
        cmocka_unit_test(text_after_closing_double_quote_is_an_error),
        cmocka_unit_test(single_quoted_value_is_literal),
        cmocka_unit_test(single_quoted_value_may_be_followed_by_comment),
        cmocka_unit_test(unterminated_single_quote_is_an_error_with_line),
        cmocka_unit_test(text_after_closing_single_quote_is_an_error),
        cmocka_unit_test(crlf_line_endings_are_accepted),
        cmocka_unit_test(crlf_error_reports_the_right_line),
        cmocka_unit_test(nul_byte_in_unquoted_value_is_an_error),
        cmocka_unit_test(nul_byte_in_quoted_value_is_an_error),
        cmocka_unit_test(nul_byte_in_comment_is_ignored),
        cmocka_unit_test(value_of_exactly_64k_is_accepted),
        cmocka_unit_test(value_of_64k_plus_one_is_rejected),
        cmocka_unit_test(quoted_value_limit_counts_decoded_bytes),
        cmocka_unit_test(long_comment_is_not_a_long_value),
        cmocka_unit_test(callback_returning_false_stops_the_parse),
        cmocka_unit_test(callback_returning_false_on_last_line_is_ok),
        cmocka_unit_test(assignments_before_an_error_are_reported),
        cmocka_unit_test(duplicate_names_are_all_reported_in_order),
        cmocka_unit_test(null_err_is_allowed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
