/*
 * tests/fuzz/fuzz_csv.c - fuzzes the CSV writer of report exports
 * (report/csv.h, STYLE.md Z1) by a property: the file it writes, read back
 * by a strict RFC 4180 reader written here, gives the rows and fields that
 * were written.
 *
 * Input: rows separated by 0x1E, fields by 0x1F. A field that is exactly
 * 0x1D is a missing value (csv_add_null); one that starts with 0x1C is a
 * number (the next 8 bytes as a double when there are 8 or more, otherwise
 * the rest read by strtod); any other is text (csv_add_textn: it may hold
 * NUL, quotes, commas, CR and LF). When the first byte of the input is 0x1B
 * it is dropped and a byte order mark is written first.
 *
 * The reader refuses anything RFC 4180 does not allow (a quote inside an
 * unquoted field, text after a closing quote, a row not ended by CRLF);
 * then, field by field:
 *   - text that is valid UTF-8 with no NUL reads back as written, with an
 *     apostrophe in front when it starts with = + - @ TAB or CR; other text
 *     reads back as valid UTF-8 with no NUL; an empty text reads back as a
 *     quoted empty field, never as a missing value;
 *   - a missing value reads back as an unquoted empty field, and so does a
 *     number that is NaN or infinite;
 *   - a finite number reads back unquoted, as csv_format_number writes it,
 *     and strtod of it is within 1e-9 (relative) of the number;
 *   - a row of no fields reads back as one missing value.
 * Corpus: tests/fuzz/corpus/csv/. No global state.
 */
#include "core/compat.h"

#include <ctype.h>
#include <math.h>

#include "core/utf8.h"
#include "report/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROW_SEP   0x1e
#define FIELD_SEP 0x1f
#define NULL_MARK 0x1d
#define NUM_MARK  0x1c
#define BOM_MARK  0x1b

enum kind { K_TEXT, K_NULL, K_NUMBER };

/* One field as written. */
struct field {
    enum kind kind;
    const char *text; /* K_TEXT: into the input */
    size_t len;
    double v; /* K_NUMBER */
};

/* One field as read back. */
struct cell {
    char *text; /* owned, unescaped, NUL-terminated (may hold NULs before len) */
    size_t len;
    bool quoted;
};

/* The cells read, row by row (row_end[r] is one past row r's last cell). */
struct table {
    struct cell *cells;
    size_t n_cells, alloc;
    size_t *row_end;
    size_t n_rows, rows_alloc;
};

static void *grow(void *p, size_t *alloc, size_t need, size_t size)
{
    if (need <= *alloc)
        return p;
    size_t n = *alloc ? 2 * *alloc : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * size);
    if (!q)
        abort();
    *alloc = n;
    return q;
}

static void add_cell(struct table *t, const char *s, size_t n, bool quoted)
{
    t->cells = grow(t->cells, &t->alloc, t->n_cells + 1, sizeof(*t->cells));
    char *copy = malloc(n + 1);
    if (!copy)
        abort();
    memcpy(copy, s, n);
    copy[n] = '\0';
    t->cells[t->n_cells++] = (struct cell){ copy, n, quoted };
}

static void end_row(struct table *t)
{
    t->row_end = grow(t->row_end, &t->rows_alloc, t->n_rows + 1, sizeof(*t->row_end));
    t->row_end[t->n_rows++] = t->n_cells;
}

static void table_release(struct table *t)
{
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i].text);
    free(t->cells);
    free(t->row_end);
}

/*
 * A strict RFC 4180 reader of s[0..n): every row ends with CRLF. Aborts on
 * anything the RFC does not allow.
 */
static void read_csv(const char *s, size_t n, struct table *t)
{
    size_t i = 0;
    char *tmp = malloc(n + 1);
    if (!tmp)
        abort();
    while (i < n) {
        for (;;) { /* one field */
            if (i < n && s[i] == '"') {
                size_t len = 0;
                i++;
                for (;;) {
                    if (i >= n)
                        abort(); /* an unterminated quote */
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"') {
                            tmp[len++] = '"';
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    tmp[len++] = s[i++];
                }
                add_cell(t, tmp, len, true);
            } else {
                size_t start = i;
                while (i < n && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
                    if (s[i] == '"')
                        abort(); /* a quote inside an unquoted field */
                    i++;
                }
                add_cell(t, s + start, i - start, false);
            }
            if (i < n && s[i] == ',') {
                i++;
                continue;
            }
            if (i + 1 < n && s[i] == '\r' && s[i + 1] == '\n') {
                i += 2;
                end_row(t);
                break;
            }
            abort(); /* text after a closing quote, a bare CR or LF, or no CRLF at the end */
        }
    }
    free(tmp);
}

static bool starts_formula(char ch)
{
    return ch == '=' || ch == '+' || ch == '-' || ch == '@' || ch == '\t' || ch == '\r';
}

/* Aborts unless the cell read back is what field f wrote. */
static void check_cell(const struct field *f, const struct cell *c)
{
    if (f->kind == K_NULL) {
        if (c->quoted || c->len != 0)
            abort();
        return;
    }
    if (f->kind == K_NUMBER) {
        char num[CSV_NUMBER_MAX];
        size_t n = csv_format_number(num, f->v);
        if (c->quoted || c->len != n || memcmp(c->text, num, n) != 0)
            abort();
        if (!isfinite(f->v))
            return;
        char *end = NULL;
        double back = strtod(c->text, &end);
        if (end != c->text + c->len || fabs(back - f->v) > 1e-9 * fmax(1.0, fabs(f->v)))
            abort();
        return;
    }
    if (f->len == 0) {
        if (!c->quoted || c->len != 0)
            abort(); /* "" is not a missing value */
        return;
    }
    if (memchr(c->text, '\0', c->len) || !utf8_valid(c->text, c->len))
        abort();
    if (memchr(f->text, '\0', f->len) || !utf8_valid(f->text, f->len))
        return; /* repaired: checked as valid text only */
    size_t skip = starts_formula(f->text[0]) ? 1 : 0;
    if (skip && (c->len == 0 || c->text[0] != '\''))
        abort(); /* a formula is defused */
    if (c->len != f->len + skip || memcmp(c->text + skip, f->text, f->len) != 0)
        abort();
}

/* Splits the input into fields; rows[r] is one past row r's last field. */
static void split(const char *p, size_t size, struct field **fields, size_t *n_fields,
                  size_t **rows, size_t *n_rows)
{
    size_t fa = 0, ra = 0;
    size_t start = 0;
    bool row_has_fields = false;
    for (size_t i = 0; i <= size; i++) {
        bool end = i == size || p[i] == ROW_SEP || p[i] == FIELD_SEP;
        if (!end)
            continue;
        size_t len = i - start;
        const char *s = p + start;
        /* an empty last row of the input (after a row separator) has no field */
        bool empty_row_end = len == 0 && (i == size || p[i] == ROW_SEP) && !row_has_fields &&
                             (start == 0 || p[start - 1] == ROW_SEP);
        if (!empty_row_end) {
            struct field f = { K_TEXT, s, len, 0 };
            if (len == 1 && s[0] == NULL_MARK) {
                f.kind = K_NULL;
            } else if (len > 0 && s[0] == NUM_MARK) {
                f.kind = K_NUMBER;
                if (len >= 9) {
                    memcpy(&f.v, s + 1, sizeof(f.v));
                } else {
                    char tmp[9];
                    memcpy(tmp, s + 1, len - 1);
                    tmp[len - 1] = '\0';
                    f.v = strtod(tmp, NULL);
                }
            }
            *fields = grow(*fields, &fa, *n_fields + 1, sizeof(**fields));
            (*fields)[(*n_fields)++] = f;
            row_has_fields = true;
        }
        if (i == size || p[i] == ROW_SEP) {
            *rows = grow(*rows, &ra, *n_rows + 1, sizeof(**rows));
            (*rows)[(*n_rows)++] = *n_fields;
            row_has_fields = false;
        }
        start = i + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    bool bom = size > 0 && data[0] == BOM_MARK;
    if (bom) {
        p++;
        size--;
    }
    struct field *fields = NULL;
    size_t n_fields = 0, *rows = NULL, n_rows = 0;
    split(p, size, &fields, &n_fields, &rows, &n_rows);

    struct buf out;
    buf_init(&out, 8 * size + 64 * (n_fields + n_rows) + 16);
    struct csv c;
    csv_init(&c, &out);
    if (bom)
        csv_add_bom(&c);
    size_t f = 0;
    for (size_t r = 0; r < n_rows; r++) {
        csv_begin_row(&c);
        for (; f < rows[r]; f++) {
            if (fields[f].kind == K_NULL)
                csv_add_null(&c);
            else if (fields[f].kind == K_NUMBER)
                csv_add_number(&c, fields[f].v);
            else
                csv_add_textn(&c, fields[f].text, fields[f].len);
        }
        if (!csv_end_row(&c))
            abort(); /* the buffer is large enough for any expansion */
    }

    const char *text = out.data;
    size_t len = out.len;
    if (bom) {
        if (len < 3 || memcmp(text, "\xef\xbb\xbf", 3) != 0)
            abort();
        text += 3;
        len -= 3;
    }
    struct table t = { 0 };
    read_csv(text, len, &t);
    if (t.n_rows != n_rows)
        abort();
    size_t cell = 0;
    f = 0;
    for (size_t r = 0; r < n_rows; r++) {
        size_t written = rows[r] - f, read = t.row_end[r] - cell;
        if (written == 0) {
            /* an empty line: one missing value */
            if (read != 1 || t.cells[cell].quoted || t.cells[cell].len != 0)
                abort();
            cell++;
            continue;
        }
        if (read != written)
            abort();
        for (; f < rows[r]; f++, cell++)
            check_cell(&fields[f], &t.cells[cell]);
    }
    table_release(&t);
    buf_release(&out);
    free(rows);
    free(fields);
    return 0;
}
