/*
 * tests/unit/report/test_csv.c - the RFC 4180 writer (report/csv.h):
 * when fields are quoted (separators, quotes, CR, LF, edge spaces, empty
 * text) and when not, quotes doubled, CRLF rows, embedded newlines, the
 * apostrophe before every formula start in text and never in numbers, the
 * number formats, invalid UTF-8 and NUL, the byte order mark, the buf's
 * maximum, and a seeded round trip of random rows through a small strict
 * RFC 4180 reader that lives in this file only.
 */
#include "core/compat.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/prng.h"
#include "core/utf8.h"
#include "report/csv.h"

#define REPL "\xef\xbf\xbd" /* U+FFFD */

/* ---- helpers ------------------------------------------------------------------- */

/* Writes one row of text fields (NULL entries are missing values) and compares. */
static void assert_row(const char *const *fields, size_t n, const char *want)
{
    struct buf b;
    struct csv c;
    buf_init(&b, 4096);
    csv_init(&c, &b);
    assert_true(csv_add_row(&c, fields, n));
    assert_string_equal(b.data, want);
    buf_release(&b);
}

/* One text field written as a whole row. */
static void assert_field(const char *text, const char *want)
{
    assert_row(&text, 1, want);
}

static void assert_number(double v, const char *want)
{
    char num[CSV_NUMBER_MAX];
    size_t n = csv_format_number(num, v);
    assert_string_equal(num, want);
    assert_int_equal(n, strlen(want));

    struct buf b;
    struct csv c;
    buf_init(&b, 128);
    csv_init(&c, &b);
    csv_begin_row(&c);
    assert_true(csv_add_number(&c, v));
    assert_true(csv_end_row(&c));
    char row[64];
    snprintf(row, sizeof(row), "%s\r\n", want);
    assert_string_equal(b.data, row);
    buf_release(&b);
}

/* ---- quoting ---------------------------------------------------------------------- */

static void plain_fields_are_bare_and_rows_end_with_crlf(void **state)
{
    (void)state;
    const char *const row[] = { "a", "b c", "x'y", "caf\xc3\xa9" };
    assert_row(row, 4, "a,b c,x'y,caf\xc3\xa9\r\n");
}

static void separators_quotes_cr_and_lf_are_quoted(void **state)
{
    (void)state;
    assert_field("a,b", "\"a,b\"\r\n");
    assert_field("say \"hi\"", "\"say \"\"hi\"\"\"\r\n");
    assert_field("\"", "\"\"\"\"\r\n");
    assert_field("a\rb", "\"a\rb\"\r\n");
    assert_field("a\nb", "\"a\nb\"\r\n");
}

static void embedded_newlines_are_kept_inside_quotes(void **state)
{
    (void)state;
    assert_field("line 1\nline 2\r\nline 3\n", "\"line 1\nline 2\r\nline 3\n\"\r\n");
    const char *const row[] = { "x", "two\nlines", "y" };
    assert_row(row, 3, "x,\"two\nlines\",y\r\n");
}

static void leading_or_trailing_space_is_quoted(void **state)
{
    (void)state;
    assert_field(" a", "\" a\"\r\n");
    assert_field("a ", "\"a \"\r\n");
    assert_field(" ", "\" \"\r\n");
    assert_field("a\t", "\"a\t\"\r\n");
    assert_field("a b", "a b\r\n");
}

static void empty_text_is_quoted_and_a_missing_value_is_nothing(void **state)
{
    (void)state;
    const char *const row[] = { NULL, "", NULL };
    assert_row(row, 3, ",\"\",\r\n");

    struct buf b;
    struct csv c;
    buf_init(&b, 128);
    csv_init(&c, &b);
    csv_begin_row(&c);
    assert_true(csv_add_null(&c));
    assert_true(csv_add_text(&c, NULL));
    assert_true(csv_add_textn(&c, NULL, 0));
    assert_true(csv_end_row(&c));
    assert_string_equal(b.data, ",,\"\"\r\n");
    buf_release(&b);
}

static void a_row_of_no_fields_is_an_empty_line(void **state)
{
    (void)state;
    assert_row(NULL, 0, "\r\n");
}

static void rows_follow_each_other(void **state)
{
    (void)state;
    struct buf b;
    struct csv c;
    buf_init(&b, 256);
    csv_init(&c, &b);
    const char *const header[] = { "persona", "rating", "comment" };
    assert_true(csv_add_row(&c, header, 3));
    csv_begin_row(&c);
    csv_add_text(&c, "Ann");
    csv_add_number(&c, 7);
    csv_add_text(&c, "fine, I guess");
    assert_true(csv_end_row(&c));
    csv_begin_row(&c);
    csv_add_text(&c, "Bo");
    csv_add_null(&c);
    csv_add_null(&c);
    assert_true(csv_end_row(&c));
    assert_string_equal(b.data, "persona,rating,comment\r\nAnn,7,\"fine, I guess\"\r\nBo,,\r\n");
    buf_release(&b);
}

/* ---- formula injection --------------------------------------------------------------- */

static void each_formula_start_gets_an_apostrophe(void **state)
{
    (void)state;
    assert_field("=1+2", "'=1+2\r\n");
    assert_field("+1", "'+1\r\n");
    assert_field("-1", "'-1\r\n");
    assert_field("@SUM(A1:A9)", "'@SUM(A1:A9)\r\n");
    assert_field("\tx", "\"'\tx\"\r\n"); /* quoted too: it starts with a space */
    assert_field("\rx", "\"'\rx\"\r\n"); /* quoted too: it holds a CR */
    assert_field("=", "'=\r\n");
}

static void a_neutralised_field_is_still_quoted_when_it_needs_it(void **state)
{
    (void)state;
    assert_field("=HYPERLINK(\"http://x\",\"click\")",
                 "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"\r\n");
    assert_field("=1,2", "\"'=1,2\"\r\n");
    assert_field("-a ", "\"'-a \"\r\n");
}

static void formula_characters_elsewhere_are_left_alone(void **state)
{
    (void)state;
    assert_field("a=b", "a=b\r\n");
    assert_field("1-2", "1-2\r\n");
    assert_field("me@example.com", "me@example.com\r\n");
    assert_field(" =1", "\" =1\"\r\n");
    assert_field("'=1", "'=1\r\n"); /* already an apostrophe: nothing more */
}

static void numbers_are_never_neutralised(void **state)
{
    (void)state;
    struct buf b;
    struct csv c;
    buf_init(&b, 128);
    csv_init(&c, &b);
    csv_begin_row(&c);
    csv_add_number(&c, -3);
    csv_add_number(&c, -0.25);
    csv_add_text(&c, "-3");
    assert_true(csv_end_row(&c));
    assert_string_equal(b.data, "-3,-0.25,'-3\r\n");
    buf_release(&b);
}

/* ---- numbers ------------------------------------------------------------------------------ */

static void integers_are_written_without_a_decimal_point(void **state)
{
    (void)state;
    assert_number(0, "0");
    assert_number(-0.0, "0");
    assert_number(42, "42");
    assert_number(-7, "-7");
    assert_number(1e15, "1000000000000000");
    assert_number(9007199254740992.0, "9007199254740992"); /* 2^53 */
    assert_number(-9007199254740992.0, "-9007199254740992");
    assert_number(18014398509481984.0, "1.801439851e+16"); /* 2^54: past exact integers */
}

static void fractions_have_up_to_ten_significant_digits(void **state)
{
    (void)state;
    assert_number(0.5, "0.5");
    assert_number(-2.25, "-2.25");
    assert_number(0.1 + 0.2, "0.3");
    assert_number(1.0 / 3, "0.3333333333");
    assert_number(2.0 / 3, "0.6666666667");
    assert_number(1234.5678901234, "1234.56789");
    assert_number(7.45, "7.45");
    assert_number(1.5e-7, "1.5e-07");
    assert_number(123456789012.5, "1.23456789e+11");
    assert_number(1e300, "1e+300");
}

/* Found by fuzz_csv: ten digits rounded these past DBL_MAX, to a text read as infinite. */
static void numbers_next_to_the_largest_double_read_back_finite(void **state)
{
    (void)state;
    assert_number(DBL_MAX, "1.7976931348623157e+308");
    assert_number(-DBL_MAX, "-1.7976931348623157e+308");
    assert_number(1.797693134e308, "1.797693134e+308"); /* ten digits still fit */
    char num[CSV_NUMBER_MAX];
    csv_format_number(num, nextafter(DBL_MAX, 0));
    assert_true(isfinite(strtod(num, NULL)));
}

static void numbers_that_are_not_finite_are_missing_values(void **state)
{
    (void)state;
    assert_number(NAN, "");
    assert_number(INFINITY, "");
    assert_number(-INFINITY, "");
}

/* ---- text bytes --------------------------------------------------------------------------- */

static void invalid_utf8_and_nul_become_replacement_characters(void **state)
{
    (void)state;
    struct buf b;
    struct csv c;
    buf_init(&b, 128);
    csv_init(&c, &b);
    csv_begin_row(&c);
    assert_true(csv_add_textn(&c,
                              "a\xff"
                              "b\0c\xe2\x82",
                              7));
    assert_true(csv_add_textn(&c, "\xc0\xaf\"", 3));
    csv_end_row(&c);
    assert_string_equal(b.data, "a" REPL "b" REPL "c" REPL REPL ",\"" REPL REPL "\"\"\"\r\n");
    assert_true(utf8_valid(b.data, b.len));
    buf_release(&b);
}

static void the_byte_order_mark_comes_first(void **state)
{
    (void)state;
    struct buf b;
    struct csv c;
    buf_init(&b, 128);
    csv_init(&c, &b);
    assert_true(csv_add_bom(&c));
    const char *const row[] = { "x" };
    csv_add_row(&c, row, 1);
    assert_string_equal(b.data, "\xef\xbb\xbfx\r\n");
    buf_release(&b);
}

/* ---- the maximum ------------------------------------------------------------------------------
 */

static void writing_stops_at_the_maximum_and_stays_failed(void **state)
{
    (void)state;
    struct buf b;
    struct csv c;
    buf_init(&b, 8);
    csv_init(&c, &b);
    csv_begin_row(&c);
    assert_true(csv_add_text(&c, "1234567")); /* 7 bytes */
    assert_false(csv_add_text(&c, "x"));      /* ",x" would make 9 */
    assert_true(b.failed);
    assert_false(csv_add_null(&c));
    assert_false(csv_add_number(&c, 1));
    assert_false(csv_end_row(&c));
    assert_false(csv_begin_row(&c));
    assert_true(b.len <= 8);
    buf_release(&b);
}

static void a_row_that_fits_exactly_is_accepted(void **state)
{
    (void)state;
    struct buf b;
    struct csv c;
    buf_init(&b, 9); /* "\"a,b\",1\r\n" */
    csv_init(&c, &b);
    csv_begin_row(&c);
    csv_add_text(&c, "a,b");
    csv_add_number(&c, 1);
    assert_true(csv_end_row(&c));
    assert_int_equal(b.len, 9);
    buf_release(&b);
}

/* ---- round trip --------------------------------------------------------------------------------
 * A strict RFC 4180 reader: a record is fields separated by ',' and ended
 * by CRLF; a field is bare (no '"', CR or LF) or quoted ('""' inside is one
 * quote, and the closing quote is followed by ',' or CRLF). Anything else
 * fails the test.
 */

#define MAX_FIELDS 8

struct rfield {
    struct buf text;
    bool quoted;
};

struct rrow {
    struct rfield f[MAX_FIELDS];
    size_t n;
};

static void rrow_release(struct rrow *r)
{
    for (size_t i = 0; i < MAX_FIELDS; i++)
        buf_release(&r->f[i].text);
}

/* Reads the record at s[*pos..n) into r; false at the end of the text. */
static bool read_record(const char *s, size_t n, size_t *pos, struct rrow *r)
{
    size_t i = *pos;
    if (i >= n)
        return false;
    r->n = 0;
    for (;;) {
        assert_true(r->n < MAX_FIELDS);
        struct rfield *f = &r->f[r->n++];
        buf_reset(&f->text);
        f->quoted = i < n && s[i] == '"';
        if (f->quoted) {
            i++;
            for (;;) {
                if (i >= n)
                    fail_msg("unterminated quoted field at byte %zu", i);
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        buf_addch(&f->text, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                buf_addch(&f->text, s[i++]);
            }
        } else {
            while (i < n && s[i] != ',' && s[i] != '\r') {
                if (s[i] == '"' || s[i] == '\n')
                    fail_msg("'%c' in a bare field at byte %zu", s[i] == '"' ? '"' : 'n', i);
                buf_addch(&f->text, s[i++]);
            }
        }
        if (i < n && s[i] == ',') {
            i++;
            continue;
        }
        if (i + 1 < n && s[i] == '\r' && s[i + 1] == '\n') {
            *pos = i + 2;
            return true;
        }
        fail_msg("expected ',' or CRLF at byte %zu", i);
    }
}

/* Pieces random text is made of: every special case and characters of 1 to 4 bytes. */
static const char *const pieces[] = {
    "a",  "Z", "0", " ", ",", "\"", "\"\"", "\r",       "\n",           "\r\n",
    "\t", "=", "+", "-", "@", "'",  ";",    "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
};

enum kind { K_TEXT, K_NUMBER, K_NULL };

struct gen_field {
    enum kind kind;
    char text[64];
    double number;
};

static void gen_field(struct prng *r, struct gen_field *g)
{
    g->kind = (enum kind)prng_below(r, 3);
    g->text[0] = '\0';
    if (g->kind == K_TEXT) {
        size_t len = 0, n = (size_t)prng_below(r, 10);
        for (size_t k = 0; k < n; k++) {
            const char *p = pieces[prng_below(r, ARRAY_SIZE(pieces))];
            size_t plen = strlen(p);
            if (len + plen >= sizeof(g->text))
                break;
            memcpy(g->text + len, p, plen);
            len += plen;
        }
        g->text[len] = '\0';
    } else if (g->kind == K_NUMBER) {
        switch (prng_below(r, 3)) {
        case 0:
            g->number = (double)(int64_t)prng_below(r, 2000000) - 1000000;
            break;
        case 1:
            g->number = (prng_unit(r) - 0.5) * 1e6;
            break;
        default:
            g->number = prng_normal(r) * 1e-6;
            break;
        }
    }
}

/* What the reader must see for g: its text, the apostrophe included. */
static void assert_read_back(const struct gen_field *g, const struct rfield *f)
{
    char want[80];
    switch (g->kind) {
    case K_NULL:
        assert_false(f->quoted);
        assert_int_equal(f->text.len, 0);
        break;
    case K_NUMBER:
        csv_format_number(want, g->number);
        assert_false(f->quoted);
        assert_string_equal(f->text.data, want);
        assert_true(fabs(strtod(f->text.data, NULL) - g->number) <=
                    fabs(g->number) * 1e-9 + 1e-300);
        break;
    case K_TEXT: {
        bool formula = strchr("=+-@\t\r", g->text[0]) && g->text[0] != '\0';
        snprintf(want, sizeof(want), "%s%s", formula ? "'" : "", g->text);
        assert_string_equal(f->text.data, want);
        if (g->text[0] == '\0')
            assert_true(f->quoted);
        break;
    }
    }
}

static void random_rows_read_back_as_written(void **state)
{
    (void)state;
    struct prng r;
    prng_seed(&r, 4180);
    struct rrow row;
    for (size_t i = 0; i < MAX_FIELDS; i++)
        buf_init(&row.f[i].text, 256);

    for (int round = 0; round < 200; round++) {
        struct gen_field gen[20][MAX_FIELDS];
        size_t n_rows = 1 + (size_t)prng_below(&r, 20), n_fields[20];
        struct buf b;
        struct csv c;
        buf_init(&b, 1 << 20);
        csv_init(&c, &b);
        for (size_t i = 0; i < n_rows; i++) {
            n_fields[i] = 1 + (size_t)prng_below(&r, MAX_FIELDS);
            csv_begin_row(&c);
            for (size_t j = 0; j < n_fields[i]; j++) {
                struct gen_field *g = &gen[i][j];
                gen_field(&r, g);
                if (g->kind == K_TEXT)
                    csv_add_text(&c, g->text);
                else if (g->kind == K_NUMBER)
                    csv_add_number(&c, g->number);
                else
                    csv_add_null(&c);
            }
            assert_true(csv_end_row(&c));
        }
        assert_true(utf8_valid(b.data, b.len));

        size_t pos = 0, got = 0;
        while (read_record(b.data, b.len, &pos, &row)) {
            assert_true(got < n_rows);
            /* a row of one missing value is an empty line, read as one empty field */
            assert_int_equal(row.n, n_fields[got]);
            for (size_t j = 0; j < row.n; j++)
                assert_read_back(&gen[got][j], &row.f[j]);
            got++;
        }
        assert_int_equal(got, n_rows);
        assert_int_equal(pos, b.len);
        buf_release(&b);
    }
    rrow_release(&row);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_fields_are_bare_and_rows_end_with_crlf),
        cmocka_unit_test(separators_quotes_cr_and_lf_are_quoted),
        cmocka_unit_test(embedded_newlines_are_kept_inside_quotes),
        cmocka_unit_test(leading_or_trailing_space_is_quoted),
        cmocka_unit_test(empty_text_is_quoted_and_a_missing_value_is_nothing),
        cmocka_unit_test(a_row_of_no_fields_is_an_empty_line),
        cmocka_unit_test(rows_follow_each_other),
        cmocka_unit_test(each_formula_start_gets_an_apostrophe),
        cmocka_unit_test(a_neutralised_field_is_still_quoted_when_it_needs_it),
        cmocka_unit_test(formula_characters_elsewhere_are_left_alone),
        cmocka_unit_test(numbers_are_never_neutralised),
        cmocka_unit_test(integers_are_written_without_a_decimal_point),
        cmocka_unit_test(fractions_have_up_to_ten_significant_digits),
        cmocka_unit_test(numbers_next_to_the_largest_double_read_back_finite),
        cmocka_unit_test(numbers_that_are_not_finite_are_missing_values),
        cmocka_unit_test(invalid_utf8_and_nul_become_replacement_characters),
        cmocka_unit_test(the_byte_order_mark_comes_first),
        cmocka_unit_test(writing_stops_at_the_maximum_and_stays_failed),
        cmocka_unit_test(a_row_that_fits_exactly_is_accepted),
        cmocka_unit_test(random_rows_read_back_as_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
