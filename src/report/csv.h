/*
 * report/csv.h - the CSV writer of report exports (RFC 4180), one row at a
 * time, appending to a caller's struct buf.
 *
 * What it writes:
 *   - fields separated by ',' and rows ended by CRLF;
 *   - a text field in double quotes when it holds ',', '"', CR or LF, starts
 *     or ends with a space, or is empty (so an empty text, `""`, reads back
 *     apart from a missing value, which is nothing at all); a quote inside is
 *     doubled;
 *   - text as UTF-8: a byte that is not valid UTF-8, and a NUL, becomes U+FFFD;
 *   - numbers the same in every locale (a '.' as the decimal point, never a
 *     thousands separator): an integer (|v| <= 2^53) without ".0", anything
 *     else with up to 10 significant digits ("0.3333333333", "1.5e-07"),
 *     or 17 within 5e-10 of the largest double, which 10 would round up to
 *     a text that reads as infinite; a number that is NaN or infinite is
 *     written as a missing value.
 *
 * Spreadsheet formula injection (OWASP "CSV Injection"): a spreadsheet runs a
 * cell that starts with '=', '+', '-', '@', TAB or CR as a formula, and
 * persona answers and labels are text from a model or a user. So a TEXT field
 * starting with one of those characters gets a leading apostrophe: "=1+2"
 * is written '=1+2 (quoted as usual when it needs to be), which a spreadsheet
 * shows as text; a program reading the file sees the apostrophe. NUMBER
 * fields are never changed: "-3" written with csv_add_number stays -3, a
 * number. Write numbers with csv_add_number, not as text.
 *
 * A struct csv has one owner and is not thread-safe. Appends stop at the
 * buf's maximum: out->failed is then set (sticky), and every function returns
 * false from then on, so a whole export is checked once at the end.
 */
#ifndef REPORT_CSV_H
#define REPORT_CSV_H

#include "core/compat.h"

#include "core/buf.h"

/* Bytes csv_format_number needs at most, with the NUL. */
#define CSV_NUMBER_MAX 32

struct csv {
    struct buf *out; /* borrowed: the caller's buffer, kept until the last call */
    size_t n_fields; /* fields written in the current row */
    bool in_row;     /* between csv_begin_row and csv_end_row */
};

/* Sets up c to append to out (keeps a reference to out). Writes nothing. */
void csv_init(struct csv *c, struct buf *out);

/*
 * Appends the UTF-8 byte order mark (EF BB BF), which Excel needs to read
 * the file as UTF-8. Call it before the first row, or not at all.
 */
bool csv_add_bom(struct csv *c);

/* Starts a row (the previous one must have been ended). */
bool csv_begin_row(struct csv *c);

/* Appends text (NUL-terminated; NULL is a missing value) as a field. */
bool csv_add_text(struct csv *c, const char *s);

/* Appends s[0..n) as a text field (s may hold NUL bytes: they become U+FFFD). */
bool csv_add_textn(struct csv *c, const char *s, size_t n);

/* Appends v as a number field (see above); NaN or infinite: a missing value. */
bool csv_add_number(struct csv *c, double v);

/* Appends a missing value: an empty, unquoted field. */
bool csv_add_null(struct csv *c);

/*
 * Ends the row with CRLF. A row of no fields is an empty line, which a
 * reader sees as one missing value.
 */
bool csv_end_row(struct csv *c);

/* A whole row of text fields (e.g. the header row): begin, each field, end. */
bool csv_add_row(struct csv *c, const char *const *fields, size_t n_fields);

/*
 * Writes the text csv_add_number writes for v into out (CSV_NUMBER_MAX
 * bytes) and returns its length; "" (0) when v is NaN or infinite.
 */
size_t csv_format_number(char out[CSV_NUMBER_MAX], double v);

#endif
