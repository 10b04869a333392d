/*
 * report/svg.c - the report's charts as inline SVG (report/svg.h).
 *
 * Every chart is laid out on a fixed user-space width (WIDTH) and a height
 * that grows with its rows; the viewBox makes it scale. Positions come from
 * values clamped to +-VALUE_LIMIT, so every coordinate is finite and every
 * number printed is short. Text goes out through html.h only, cut to its
 * room by characters (an invalid byte counts as one: html.h shows it as one
 * U+FFFD). No number is ever printed with a bare "%g" of a value that may
 * not be finite: add_num writes "n/a" for those.
 *
 * Reentrant; no state outside the calls.
 */
#include "core/compat.h"

#include "report/svg.h"

#include <math.h>

#include "core/utf8.h"
#include "core/xalloc.h"
#include "report/html.h"

#define WIDTH        700
#define FONT         "Helvetica, Arial, sans-serif"
#define GRID         "#E2E8F0"      /* gridlines and the baseline */
#define ZERO_LINE    "#CBD5E0"      /* the zero line of a chart with negative values */
#define ELLIPSIS     "\xe2\x80\xa6" /* U+2026 */
#define NA           "n/a"
#define EMPTY_TEXT   "No answers"
#define VALUE_LIMIT  1e15 /* values are clamped to +-this for layout */
#define DECIMALS_MAX 6    /* of a value written by svg_add_bars or svg_add_variants */

/* ---- numbers ----------------------------------------------------------------
 * printf with a fixed precision, then the locale's decimal point made '.'
 * and a negative zero ("-0.0") made positive.
 */

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Appends v with decimals digits after the point, or "n/a" when v is not finite. */
static void add_num(struct buf *out, double v, int decimals)
{
    char s[64], t[64];
    if (!isfinite(v)) {
        buf_adds(out, NA);
        return;
    }
    decimals = decimals < 0 ? 0 : decimals > 9 ? 9 : decimals;
    int n = fabs(v) < 1e12 ? snprintf(s, sizeof(s), "%.*f", decimals, v)
                           : snprintf(s, sizeof(s), "%.4g", v);
    if (n < 0 || (size_t)n >= sizeof(s)) {
        buf_adds(out, NA); /* cannot happen: at most 24 bytes */
        return;
    }
    /* each run of bytes that is not a digit, a sign or 'e' is the decimal point */
    size_t j = 0;
    bool nonzero = false;
    for (size_t i = 0; i < (size_t)n;) {
        char ch = s[i];
        if (is_digit(ch) || ch == '-' || ch == '+' || ch == 'e') {
            nonzero |= ch >= '1' && ch <= '9';
            t[j++] = ch;
            i++;
            continue;
        }
        t[j++] = '.';
        while (i < (size_t)n && !is_digit(s[i]) && s[i] != 'e')
            i++;
    }
    t[j] = '\0';
    buf_adds(out, t[0] == '-' && !nonzero ? t + 1 : t);
}

/* A coordinate: one decimal is a tenth of a user unit, finer than any screen shows. */
static void add_xy(struct buf *out, double v)
{
    add_num(out, v, 1);
}

/*
 * Appends num as a share of den, as markup: "42%", "&lt;1%", "&gt;99%"
 * (a share is never rounded to 0% or 100% when it is not); "n/a" when den
 * is 0.
 */
static void add_share(struct buf *out, size_t num, size_t den)
{
    if (den == 0) {
        buf_adds(out, NA);
        return;
    }
    double p = 100.0 * (double)num / (double)den;
    if (num > 0 && p < 0.5)
        buf_adds(out, "&lt;1%");
    else if (num < den && p >= 99.5)
        buf_adds(out, "&gt;99%");
    else
        buf_addf(out, "%.0f%%", p); /* no decimal point: the same in every locale */
}

static double clampv(double v)
{
    return v < -VALUE_LIMIT ? -VALUE_LIMIT : v > VALUE_LIMIT ? VALUE_LIMIT : v;
}

/* ---- text ---------------------------------------------------------------------
 * Lengths in characters as the reader will see them: a valid sequence is one
 * character, and so is an invalid byte (html.h writes one U+FFFD for it).
 */

/* Bytes of the first k characters of s[0..n); *total gets the characters of all of s. */
static size_t char_prefix(const char *s, size_t n, size_t k, size_t *total)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t chars = 0, cut = n;
    for (size_t i = 0; i < n;) {
        if (chars == k)
            cut = i;
        size_t len = utf8_seq_len(p + i, n - i);
        i += len ? len : 1;
        chars++;
    }
    *total = chars;
    return chars > k ? cut : n;
}

/*
 * Appends s (NULL: "") escaped as element content, cut to max_chars
 * characters: when longer, its first max_chars - 1 (less the spaces they
 * end with) and an ellipsis.
 */
static void add_cut(struct buf *out, const char *s, size_t max_chars)
{
    if (!s)
        return;
    size_t n = strlen(s), total;
    size_t keep = max_chars > 0 ? max_chars - 1 : 0;
    size_t cut = char_prefix(s, n, keep, &total);
    if (total <= max_chars) {
        html_add_text(out, s, n);
        return;
    }
    while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == '\t' || s[cut - 1] == '\n'))
        cut--;
    html_add_text(out, s, cut);
    buf_adds(out, ELLIPSIS);
}

/* Is s "#rgb" or "#rrggbb"? */
static bool valid_color(const char *s)
{
    if (!s || s[0] != '#')
        return false;
    size_t n = strlen(s + 1);
    if (n != 3 && n != 6)
        return false;
    for (size_t i = 1; i <= n; i++) {
        char ch = s[i];
        if (!is_digit(ch) && !(ch >= 'a' && ch <= 'f') && !(ch >= 'A' && ch <= 'F'))
            return false;
    }
    return true;
}

static const char *pick_color(const char *want, const char *fallback)
{
    return valid_color(want) ? want : fallback;
}

/* ---- the frame ---------------------------------------------------------------
 * The <svg> element with its accessible name, and the chart with no data.
 */

static void open_svg(struct buf *out, double height, const char *title)
{
    if (!title)
        title = "Chart";
    buf_adds(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    buf_addf(out, "%d ", WIDTH);
    add_xy(out, height);
    buf_adds(out, "\" role=\"img\" aria-label=\"");
    html_add_attrs(out, title);
    buf_adds(out, "\" font-family=\"" FONT "\" font-size=\"12\"><title>");
    html_add_texts(out, title);
    buf_adds(out, "</title>");
}

static bool close_svg(struct buf *out)
{
    return buf_adds(out, "</svg>");
}

/* A chart with nothing to draw: its title and "No answers". */
static bool add_empty(struct buf *out, const char *title)
{
    open_svg(out, 60, title);
    buf_addf(out,
             "<text x=\"%d\" y=\"34\" text-anchor=\"middle\" fill=\"" SVG_GRAY "\">" EMPTY_TEXT
             "</text>",
             WIDTH / 2);
    return close_svg(out);
}

/* <text x y [anchor] fill [size]> opened; the caller writes the text and "</text>". */
static void open_text(struct buf *out, double x, double y, const char *anchor, const char *fill,
                      int size)
{
    buf_adds(out, "<text x=\"");
    add_xy(out, x);
    buf_adds(out, "\" y=\"");
    add_xy(out, y);
    buf_addch(out, '"');
    if (anchor)
        buf_addf(out, " text-anchor=\"%s\"", anchor);
    buf_addf(out, " fill=\"%s\"", fill);
    if (size)
        buf_addf(out, " font-size=\"%d\"", size);
    buf_addch(out, '>');
}

static void add_rect(struct buf *out, double x, double y, double w, double h, const char *fill)
{
    buf_adds(out, "<rect x=\"");
    add_xy(out, x);
    buf_adds(out, "\" y=\"");
    add_xy(out, y);
    buf_adds(out, "\" width=\"");
    add_xy(out, w);
    buf_adds(out, "\" height=\"");
    add_xy(out, h);
    buf_addf(out, "\" rx=\"3\" fill=\"%s\"/>", fill);
}

static void add_line(struct buf *out, double x1, double y1, double x2, double y2,
                     const char *stroke, const char *width)
{
    buf_adds(out, "<line x1=\"");
    add_xy(out, x1);
    buf_adds(out, "\" y1=\"");
    add_xy(out, y1);
    buf_adds(out, "\" x2=\"");
    add_xy(out, x2);
    buf_adds(out, "\" y2=\"");
    add_xy(out, y2);
    buf_addf(out, "\" stroke=\"%s\" stroke-width=\"%s\"/>", stroke, width);
}

/* ---- the value axis -----------------------------------------------------------
 * From lo (0 or below) to hi, ticks every step: 1, 2 or 5 times a power of
 * ten, about five of them.
 */

struct axis {
    double lo, hi; /* lo < hi, both finite */
    double step;   /* between ticks, > 0 */
    int decimals;  /* of a tick's label */
};

static double nice_step(double range)
{
    double raw = range / 5;
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

/* The axis over data from lo to hi (clamped, finite), ending at max when that is given. */
static void axis_fit(struct axis *a, double lo, double hi, double max)
{
    bool given = isfinite(max) && max > 0;
    a->lo = fmin(0, lo);
    a->hi = given ? clampv(max) : fmax(0, hi);
    if (!(a->hi - a->lo >= 1e-9))
        a->hi = a->lo + 1;
    a->step = nice_step(a->hi - a->lo);
    a->lo = floor(a->lo / a->step) * a->step;
    if (!given)
        a->hi = ceil(a->hi / a->step - 1e-9) * a->step;
    a->decimals = a->step >= 1 ? 0 : (int)ceil(-log10(a->step) - 1e-9);
}

/* The x of v (clamped to the axis) between left and right. */
static double axis_x(const struct axis *a, double v, double left, double right)
{
    v = v < a->lo ? a->lo : v > a->hi ? a->hi : v;
    return left + (v - a->lo) / (a->hi - a->lo) * (right - left);
}

/* Vertical gridlines from top to bottom, each with its value below. */
static void add_ticks(struct buf *out, const struct axis *a, double left, double right, double top,
                      double bottom)
{
    double first = ceil(a->lo / a->step - 1e-9);
    for (int k = 0; k <= 50; k++) {
        double v = (first + k) * a->step;
        if (v > a->hi + a->step * 1e-9)
            break;
        double x = axis_x(a, v, left, right);
        add_line(out, x, top, x, bottom, v == 0 && a->lo < 0 ? ZERO_LINE : GRID, "1");
        open_text(out, x, bottom + 16, "middle", SVG_GRAY, 11);
        add_num(out, v, a->decimals);
        buf_adds(out, "</text>");
    }
}

/* ---- horizontal bars --------------------------------------------------------------
 * Rows of ROW units: the label right-aligned in the left column, the bar
 * from the zero line, the error bar across it, the annotation after both.
 */

#define BAR_TOP     8
#define BAR_ROW     28
#define BAR_HEIGHT  16
#define BAR_AXIS    26 /* below the rows: tick labels */
#define BAR_LABEL_X 182
#define BAR_LEFT    190
#define BAR_RIGHT   500

/* The error bar of bar i, ordered, when it has one. */
static bool error_bar(const struct svg_bars *c, size_t i, double *lo, double *hi)
{
    if (!c->lo || !c->hi || !isfinite(c->lo[i]) || !isfinite(c->hi[i]))
        return false;
    *lo = clampv(fmin(c->lo[i], c->hi[i]));
    *hi = clampv(fmax(c->lo[i], c->hi[i]));
    return true;
}

/* Bar i's annotation: the caller's (cut to max_chars; 0: whole) or its value. */
static void add_note(struct buf *out, const struct svg_bars *c, size_t i, size_t max_chars)
{
    const char *note = c->notes ? c->notes[i] : NULL;
    int decimals = c->decimals < 0 ? 0 : c->decimals > DECIMALS_MAX ? DECIMALS_MAX : c->decimals;
    if (!note)
        add_num(out, c->values[i], decimals);
    else if (max_chars)
        add_cut(out, note, max_chars);
    else
        html_add_texts(out, note);
}

static void add_bar_row(struct buf *out, const struct svg_bars *c, const struct axis *a, size_t i)
{
    const char *label = c->labels[i] ? c->labels[i] : "";
    const char *fill = pick_color(c->colors ? c->colors[i] : NULL, pick_color(c->color, SVG_TEAL));
    double y0 = BAR_TOP + (double)i * BAR_ROW;
    double mid = y0 + BAR_ROW / 2.0;
    double zero = axis_x(a, 0, BAR_LEFT, BAR_RIGHT);
    double v = c->values[i], end = zero, elo, ehi;

    buf_adds(out, "<g><title>");
    html_add_texts(out, label);
    buf_adds(out, ": ");
    add_note(out, c, i, 0);
    buf_adds(out, "</title>");
    open_text(out, BAR_LABEL_X, mid + 4, "end", SVG_DARK, 0);
    add_cut(out, label, SVG_LABEL_CHARS);
    buf_adds(out, "</text>");
    if (isfinite(v)) {
        double x = axis_x(a, clampv(v), BAR_LEFT, BAR_RIGHT);
        if (fabs(x - zero) >= 0.05)
            add_rect(out, fmin(x, zero), mid - BAR_HEIGHT / 2.0, fabs(x - zero), BAR_HEIGHT, fill);
        end = fmax(x, zero);
    }
    if (error_bar(c, i, &elo, &ehi)) {
        double x1 = axis_x(a, elo, BAR_LEFT, BAR_RIGHT), x2 = axis_x(a, ehi, BAR_LEFT, BAR_RIGHT);
        add_line(out, x1, mid, x2, mid, SVG_DARK, "1.5");
        add_line(out, x1, mid - 5, x1, mid + 5, SVG_DARK, "1.5");
        add_line(out, x2, mid - 5, x2, mid + 5, SVG_DARK, "1.5");
        end = fmax(end, x2);
    }
    open_text(out, end + 6, mid + 4, NULL, isfinite(v) ? SVG_DARK : SVG_GRAY, 0);
    add_note(out, c, i, SVG_NOTE_CHARS);
    buf_adds(out, "</text></g>");
}

bool svg_add_bars(struct buf *out, const struct svg_bars *c)
{
    assert(out && c && (c->n == 0 || (c->labels && c->values)));
    double lo = 0, hi = 0, elo, ehi;
    bool any = false;
    for (size_t i = 0; i < c->n; i++) {
        if (isfinite(c->values[i])) {
            any = true;
            lo = fmin(lo, clampv(c->values[i]));
            hi = fmax(hi, clampv(c->values[i]));
        }
        if (error_bar(c, i, &elo, &ehi)) {
            lo = fmin(lo, elo);
            hi = fmax(hi, ehi);
        }
    }
    if (!any)
        return add_empty(out, c->title);

    struct axis a;
    axis_fit(&a, lo, hi, c->max);
    double bottom = BAR_TOP + (double)c->n * BAR_ROW;
    open_svg(out, bottom + BAR_AXIS, c->title);
    add_ticks(out, &a, BAR_LEFT, BAR_RIGHT, BAR_TOP, bottom);
    for (size_t i = 0; i < c->n && !out->failed; i++)
        add_bar_row(out, c, &a, i);
    return close_svg(out);
}

/* ---- distribution -------------------------------------------------------------------
 * A slot per bar across the width; the bar's share above it and its label
 * below, each only where the slot has room for it.
 */

#define DIST_TOP     24 /* room for the share above the tallest bar */
#define DIST_HEIGHT  150
#define DIST_MARGIN  10
#define DIST_BAR_MAX 56.0 /* widest bar */
#define GLYPH_WIDTH  7.0  /* a character of 12 units, generously */

static void add_dist_label(struct buf *out, const struct svg_distribution *c, size_t i,
                           size_t max_chars)
{
    if (c->labels) {
        if (max_chars)
            add_cut(out, c->labels[i] ? c->labels[i] : "", max_chars);
        else
            html_add_texts(out, c->labels[i]);
    } else {
        buf_addf(out, "%lld", (long long)c->first + (long long)i);
    }
}

bool svg_add_distribution(struct buf *out, const struct svg_distribution *c)
{
    assert(out && c && (c->n == 0 || c->counts));
    size_t total = 0, top = 0;
    for (size_t i = 0; i < c->n; i++) {
        total += c->counts[i];
        top = c->counts[i] > top ? c->counts[i] : top;
    }
    if (total == 0)
        return add_empty(out, c->title);

    const char *fill = pick_color(c->color, SVG_TEAL);
    double base = DIST_TOP + DIST_HEIGHT;
    double slot = (WIDTH - 2.0 * DIST_MARGIN) / (double)c->n;
    double bar_w = fmin(slot * 0.7, DIST_BAR_MAX);
    size_t label_chars = (size_t)(slot / GLYPH_WIDTH);
    bool show_share = slot >= 4 * GLYPH_WIDTH; /* ">99%" */
    open_svg(out, base + 28, c->title);
    add_line(out, DIST_MARGIN, base, WIDTH - DIST_MARGIN, base, GRID, "1");
    for (size_t i = 0; i < c->n && !out->failed; i++) {
        double cx = DIST_MARGIN + ((double)i + 0.5) * slot;
        double h = (double)c->counts[i] / (double)top * DIST_HEIGHT;
        buf_adds(out, "<g><title>");
        add_dist_label(out, c, i, 0);
        buf_addf(out, ": %zu of %zu (", c->counts[i], total);
        add_share(out, c->counts[i], total);
        buf_adds(out, ")</title>");
        if (c->counts[i] > 0)
            add_rect(out, cx - bar_w / 2, base - h, bar_w, h, fill);
        if (show_share) {
            open_text(out, cx, base - h - 6, "middle", SVG_DARK, 11);
            add_share(out, c->counts[i], total);
            buf_adds(out, "</text>");
        }
        if (label_chars > 0) {
            open_text(out, cx, base + 18, "middle", SVG_DARK, 0);
            add_dist_label(out, c, i, label_chars);
            buf_adds(out, "</text>");
        }
        buf_adds(out, "</g>");
    }
    return close_svg(out);
}

/* ---- funnel -----------------------------------------------------------------------
 * A row per step: the label on the left, a bar centred on the plot, the
 * count and share of the first step on the right; the drop-off under the
 * gap between two rows.
 */

#define FUN_TOP     8
#define FUN_ROW     44 /* a bar and the gap that holds the drop-off */
#define FUN_BAR     24
#define FUN_LABEL_X 182
#define FUN_LEFT    190
#define FUN_RIGHT   550
#define FUN_COUNT_X 556

/* "25% drop-off" from prev to cur; "-20% drop-off" when it rose; "n/a" after 0. */
static void add_drop(struct buf *out, size_t prev, size_t cur)
{
    if (prev == 0) {
        buf_adds(out, NA);
        return;
    }
    if (cur > prev)
        buf_addch(out, '-');
    add_share(out, cur > prev ? cur - prev : prev - cur, prev);
    buf_adds(out, " drop-off");
}

bool svg_add_funnel(struct buf *out, const struct svg_funnel *c)
{
    assert(out && c && (c->n == 0 || (c->labels && c->counts)));
    size_t top = 0;
    for (size_t i = 0; i < c->n; i++)
        top = c->counts[i] > top ? c->counts[i] : top;
    if (top == 0)
        return add_empty(out, c->title);

    const char *fill = pick_color(c->color, SVG_TEAL);
    double center = (FUN_LEFT + FUN_RIGHT) / 2.0;
    open_svg(out, FUN_TOP + (double)(c->n - 1) * FUN_ROW + FUN_BAR + 8, c->title);
    for (size_t i = 0; i < c->n && !out->failed; i++) {
        const char *label = c->labels[i] ? c->labels[i] : "";
        double y0 = FUN_TOP + (double)i * FUN_ROW;
        double w = (double)c->counts[i] / (double)top * (FUN_RIGHT - FUN_LEFT);
        if (c->counts[i] > 0 && w < 2)
            w = 2; /* a step with anyone in it stays visible */
        buf_adds(out, "<g><title>");
        html_add_texts(out, label);
        buf_addf(out, ": %zu (", c->counts[i]);
        add_share(out, c->counts[i], c->counts[0]);
        buf_adds(out, " of the first step)</title>");
        open_text(out, FUN_LABEL_X, y0 + FUN_BAR / 2.0 + 4, "end", SVG_DARK, 0);
        add_cut(out, label, SVG_LABEL_CHARS);
        buf_adds(out, "</text>");
        if (w > 0)
            add_rect(out, center - w / 2, y0, w, FUN_BAR, fill);
        open_text(out, FUN_COUNT_X, y0 + FUN_BAR / 2.0 + 4, NULL, SVG_DARK, 0);
        buf_addf(out, "%zu (", c->counts[i]);
        add_share(out, c->counts[i], c->counts[0]);
        buf_adds(out, ")</text></g>");
        if (i + 1 < c->n) {
            buf_adds(out, "<g><title>");
            html_add_texts(out, label);
            buf_adds(out, " to ");
            html_add_texts(out, c->labels[i + 1]);
            buf_adds(out, ": ");
            add_drop(out, c->counts[i], c->counts[i + 1]);
            buf_adds(out, "</title>");
            open_text(out, center, y0 + FUN_BAR + 14, "middle", SVG_GRAY, 11);
            add_drop(out, c->counts[i], c->counts[i + 1]);
            buf_adds(out, "</text></g>");
        }
    }
    return close_svg(out);
}

/* ---- variants -------------------------------------------------------------------------
 * svg_add_bars over arrays built here; the notes are formatted into one
 * buffer, NUL-separated, and pointed into once it is complete.
 */

static const char *const palette[] = { SVG_TEAL,  "#4299E1", "#9F7AEA",
                                       "#ED8936", "#F56565", "#48BB78" };

bool svg_add_variants(struct buf *out, const struct svg_variants *c)
{
    assert(out && c && (c->n == 0 || c->variants));
    bool any = false;
    for (size_t i = 0; i < c->n; i++)
        any |= isfinite(c->variants[i].mean) != 0;
    if (!any)
        return add_empty(out, c->title);

    size_t n = c->n;
    int decimals = c->decimals < 0 ? 0 : c->decimals > DECIMALS_MAX ? DECIMALS_MAX : c->decimals;
    const char **labels = xcalloc(n, sizeof(*labels));
    const char **notes = xcalloc(n, sizeof(*notes));
    const char **colors = xcalloc(n, sizeof(*colors));
    double *values = xcalloc(n, sizeof(*values));
    double *lo = xcalloc(n, sizeof(*lo));
    double *hi = xcalloc(n, sizeof(*hi));
    size_t *at = xcalloc(n, sizeof(*at));
    struct buf text;
    buf_init(&text, SIZE_MAX / 2);
    for (size_t i = 0; i < n; i++) {
        const struct svg_variant *v = &c->variants[i];
        labels[i] = v->label;
        colors[i] = palette[i % ARRAY_SIZE(palette)];
        values[i] = v->mean;
        lo[i] = v->lo;
        hi[i] = v->hi;
        at[i] = text.len;
        add_num(&text, v->mean, decimals);
        if (isfinite(v->lo) && isfinite(v->hi)) {
            buf_adds(&text, " [");
            add_num(&text, fmin(v->lo, v->hi), decimals);
            buf_adds(&text, ", ");
            add_num(&text, fmax(v->lo, v->hi), decimals);
            buf_addch(&text, ']');
        }
        buf_addf(&text, " (n=%zu)", v->n);
        buf_add(&text, "", 1); /* the NUL that ends this note */
    }
    for (size_t i = 0; i < n; i++)
        notes[i] = text.data + at[i];
    struct svg_bars bars = {
        .title = c->title,
        .n = n,
        .labels = labels,
        .values = values,
        .notes = notes,
        .lo = lo,
        .hi = hi,
        .colors = colors,
        .max = c->max,
        .decimals = decimals,
    };
    bool ok = svg_add_bars(out, &bars);
    buf_release(&text);
    free(labels);
    free(notes);
    free(colors);
    free(values);
    free(lo);
    free(hi);
    free(at);
    return ok;
}
