/*
 * tests/unit/report/test_svg.c - the report's charts (report/svg.h). Every
 * chart drawn here goes through markup_check (markup.h) with the rules of
 * the XML the charts may use (one root, balanced tags, quoted attributes
 * without duplicates and without a raw apostrophe, only the references
 * html.h writes, valid UTF-8, only the elements svg, title, g, text, rect
 * and line), so a label can never open an element. Covered: the frame
 * (viewBox, no size, role, aria-label, title, nothing external), labels and
 * titles with markup in them, cutting by characters at and one past the
 * limit, "No answers" for every chart with no data, NaN and infinite values
 * shown as "n/a", the value axis (computed, given, fractional, negative),
 * error bars, colours, decimals, the distribution's shares, the funnel's
 * widths and drop-offs, the variants' annotations, the buf's maximum, and
 * seeded random inputs.
 */
#include "core/compat.h"

#include <math.h>
#include <setjmp.h>

#include <cmocka.h>

#include "markup.h"
#include "testutil.h"

#include "core/buf.h"
#include "core/prng.h"
#include "report/svg.h"

#define REPL     "\xef\xbf\xbd" /* U+FFFD */
#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

/* ---- the markup a chart may use ---------------------------------------------------------- */

static const char *const chart_elements[] = { "svg", "title", "g", "text", "rect", "line" };

/* Strict XML (markup.h): one root of these elements, an apostrophe escaped in attributes too. */
static const struct markup_rules chart_markup = {
    .elements = chart_elements,
    .n_elements = ARRAY_SIZE(chart_elements),
    .apostrophes_escaped = true,
};

/* ---- helpers ------------------------------------------------------------------------------ */

/* unit repeated times times, into out (NUL-terminated). */
static char *repeat(char *out, size_t size, const char *unit, size_t times)
{
    size_t len = strlen(unit), at = 0;
    assert_true(len * times < size);
    for (size_t i = 0; i < times; i++, at += len)
        memcpy(out + at, unit, len);
    out[at] = '\0';
    return out;
}

/* What no chart may ever show. */
static void assert_no_raw_numbers(const char *svg)
{
    assert_lacks(svg, "nan");
    assert_lacks(svg, "NaN");
    assert_lacks(svg, "inf");
    assert_lacks(svg, "Inf");
    assert_lacks(svg, "-0.0<");
    assert_lacks(svg, "\"-0.0\"");
}

/* The text of a chart, checked well-formed; the caller frees it. */
static char *finish(struct buf *b, bool ok)
{
    assert_true(ok);
    assert_false(b->failed);
    char *s = buf_detach(b, NULL);
    buf_release(b);
    markup_check(s, &chart_markup);
    assert_no_raw_numbers(s);
    return s;
}

static char *bars(const struct svg_bars *c)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    return finish(&b, svg_add_bars(&b, c));
}

static char *distribution(const struct svg_distribution *c)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    return finish(&b, svg_add_distribution(&b, c));
}

static char *funnel(const struct svg_funnel *c)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    return finish(&b, svg_add_funnel(&b, c));
}

static char *variants(const struct svg_variants *c)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    return finish(&b, svg_add_variants(&b, c));
}

static const char *const three_labels[] = { "Price", "Design", "Battery life" };
static const double three_values[] = { 42, 17.5, 80 };

/* ---- the frame
 * ----------------------------------------------------------------------------------- */

static void a_chart_scales_and_names_itself(void **state)
{
    (void)state;
    struct svg_bars c = {
        .title = "Why they would buy", .n = 3, .labels = three_labels, .values = three_values
    };
    char *s = bars(&c);
    const char *want = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 700 118.0\" "
                       "role=\"img\" aria-label=\"Why they would buy\" "
                       "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">"
                       "<title>Why they would buy</title>";
    assert_int_equal(strncmp(s, want, strlen(want)), 0);
    assert_int_equal(strcmp(s + strlen(s) - 6, "</svg>"), 0);
    assert_int_equal(count(s, "<svg"), 1);
    free(s);
}

static void a_chart_needs_nothing_outside_itself(void **state)
{
    (void)state;
    const char *const notes[] = { "a", NULL, "c" };
    const double lo[] = { 40, 10, 70 }, hi[] = { 44, 20, 90 };
    struct svg_bars c = { .title = "T",
                          .n = 3,
                          .labels = three_labels,
                          .values = three_values,
                          .notes = notes,
                          .lo = lo,
                          .hi = hi };
    size_t sizes[] = { 2, 3, 4 };
    struct svg_distribution d = { .n = 3, .counts = sizes, .first = 1 };
    struct svg_funnel f = { .n = 3, .labels = three_labels, .counts = sizes };
    char *all[] = { bars(&c), distribution(&d), funnel(&f) };
    for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
        static const char *const banned[] = { "<script",    "href",   "<style",        "style=",
                                              "url(",       "<image", "foreignObject", "@import",
                                              "javascript", " on" };
        for (size_t k = 0; k < ARRAY_SIZE(banned); k++)
            assert_lacks(all[i], banned[k]);
        const char *end = strchr(all[i], '>');
        assert_null(memmem(all[i], (size_t)(end - all[i]), " width=", 7));
        assert_null(memmem(all[i], (size_t)(end - all[i]), " height=", 8));
        free(all[i]);
    }
}

static void each_bar_has_a_title_with_its_label_and_value(void **state)
{
    (void)state;
    const char *const notes[] = { "42% (n=12)", NULL, NULL };
    struct svg_bars c = {
        .n = 3, .labels = three_labels, .values = three_values, .notes = notes, .decimals = 1
    };
    char *s = bars(&c);
    assert_contains(s, "<title>Chart</title>"); /* no title given */
    assert_contains(s, "<g><title>Price: 42% (n=12)</title>");
    assert_contains(s, "<g><title>Design: 17.5</title>");
    assert_contains(s, "<g><title>Battery life: 80.0</title>");
    assert_contains(s, ">42% (n=12)</text>");
    assert_int_equal(count(s, "<rect"), 3);
    assert_int_equal(count(s, "<g>"), 3);
    free(s);
}

/* ---- text from outside
 * ----------------------------------------------------------------------------- */

static void markup_in_labels_titles_and_notes_comes_out_escaped(void **state)
{
    (void)state;
    const char *const labels[] = { "</text><script>alert(1)</script>", "a & b", "'q'" };
    const char *const notes[] = { "<b>&amp;</b>", "\"x\"", NULL };
    const char *const colors[] = { "#fff\" onload=\"x", "url(#a)", NULL };
    struct svg_bars c = { .title = "\"><svg onload=alert(1)>",
                          .n = 3,
                          .labels = labels,
                          .values = three_values,
                          .notes = notes,
                          .colors = colors,
                          .color = "red" };
    char *s = bars(&c);
    assert_lacks(s, "<script");
    assert_lacks(s, "</text><script>");
    assert_lacks(s, "<b>");
    assert_lacks(s, "onload=\"");
    assert_lacks(s, "\"red\"");
    assert_contains(s, "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_contains(s, "aria-label=\"&quot;&gt;&lt;svg onload=alert(1)&gt;\"");
    assert_contains(s, "<title>&quot;&gt;&lt;svg onload=alert(1)&gt;</title>");
    assert_contains(s, ">&lt;b&gt;&amp;amp;&lt;/b&gt;</text>");
    assert_contains(s, ">a &amp; b</text>");
    assert_contains(s, ">&#39;q&#39;</text>");
    assert_int_equal(count(s, "fill=\"" SVG_TEAL "\""), 3); /* every bad colour: the default */
    /* svg, title, ticks, 3 rows */
    assert_int_equal(markup_check(s, &chart_markup), 1 + 1 + 5 * 2 + 3 * 5);
    free(s);
}

static void invalid_utf8_in_labels_shows_as_replacement_characters(void **state)
{
    (void)state;
    const char *const labels[] = { "bad \xff\xfe byte", "cut \xe2\x82", "ok" };
    struct svg_bars c = {
        .title = "t\xc0\xafitle", .n = 3, .labels = labels, .values = three_values
    };
    char *s = bars(&c);
    assert_contains(s, ">bad " REPL REPL " byte</text>");
    assert_contains(s, ">cut " REPL REPL "</text>");
    assert_contains(s, "<title>t" REPL REPL "itle</title>");
    free(s);
}

static void a_label_up_to_the_limit_is_shown_whole(void **state)
{
    (void)state;
    char label[256], want[300];
    repeat(label, sizeof(label), "\xc3\xa9", SVG_LABEL_CHARS); /* é: 2 bytes, 1 character */
    const char *labels[] = { label };
    const double values[] = { 1 };
    struct svg_bars c = { .n = 1, .labels = labels, .values = values };
    char *s = bars(&c);
    snprintf(want, sizeof(want), ">%s</text>", label);
    assert_contains(s, want);
    assert_lacks(s, ELLIPSIS);
    free(s);
}

static void a_label_one_past_the_limit_is_cut_by_characters(void **state)
{
    (void)state;
    char label[256], shown[256], want[300];
    repeat(label, sizeof(label), "\xc3\xa9", SVG_LABEL_CHARS + 1);
    repeat(shown, sizeof(shown), "\xc3\xa9", SVG_LABEL_CHARS - 1);
    const char *labels[] = { label };
    const double values[] = { 1 };
    struct svg_bars c = { .n = 1, .labels = labels, .values = values };
    char *s = bars(&c);
    snprintf(want, sizeof(want), ">%s" ELLIPSIS "</text>", shown);
    assert_contains(s, want);
    snprintf(want, sizeof(want), "<title>%s: 1</title>", label); /* the whole label */
    assert_contains(s, want);
    free(s);
}

static void a_cut_label_drops_the_spaces_before_the_ellipsis(void **state)
{
    (void)state;
    const char *labels[] = { "Design looks premium and modern" }; /* 25th character: ' ' */
    const double values[] = { 1 };
    struct svg_bars c = { .n = 1, .labels = labels, .values = values };
    char *s = bars(&c);
    assert_contains(s, ">Design looks premium and" ELLIPSIS "</text>");
    assert_contains(s, "<title>Design looks premium and modern: 1</title>");
    free(s);
}

static void cutting_never_splits_a_character(void **state)
{
    (void)state;
    char emoji[512], shown[512], bad[64], want[600];
    repeat(emoji, sizeof(emoji), "\xf0\x9f\x98\x80", 40);
    repeat(shown, sizeof(shown), "\xf0\x9f\x98\x80", SVG_LABEL_CHARS - 1);
    repeat(bad, sizeof(bad), "\xff", 40); /* each invalid byte is one character */
    const char *labels[] = { emoji, bad };
    const double values[] = { 1, 2 };
    struct svg_bars c = { .n = 2, .labels = labels, .values = values };
    char *s = bars(&c);
    snprintf(want, sizeof(want), ">%s" ELLIPSIS "</text>", shown);
    assert_contains(s, want);
    repeat(shown, sizeof(shown), REPL, SVG_LABEL_CHARS - 1);
    snprintf(want, sizeof(want), ">%s" ELLIPSIS "</text>", shown);
    assert_contains(s, want);
    free(s);
}

static void long_notes_are_cut_too(void **state)
{
    (void)state;
    char note[128], shown[128], want[200];
    repeat(note, sizeof(note), "x", SVG_NOTE_CHARS + 1);
    repeat(shown, sizeof(shown), "x", SVG_NOTE_CHARS - 1);
    const char *notes[] = { note };
    const char *labels[] = { "a" };
    const double values[] = { 1 };
    struct svg_bars c = { .n = 1, .labels = labels, .values = values, .notes = notes };
    char *s = bars(&c);
    snprintf(want, sizeof(want), ">%s" ELLIPSIS "</text>", shown);
    assert_contains(s, want);
    snprintf(want, sizeof(want), "<title>a: %s</title>", note);
    assert_contains(s, want);
    free(s);
}

/* ---- no data
 * ------------------------------------------------------------------------------------------ */

static void assert_no_answers(char *s)
{
    assert_contains(s, ">No answers</text>");
    assert_lacks(s, "<rect");
    assert_lacks(s, "<line");
    assert_int_equal(markup_check(s, &chart_markup), 3); /* svg, title, text */
    free(s);
}

static void every_chart_without_data_says_no_answers(void **state)
{
    (void)state;
    const double nans[] = { NAN, INFINITY, -INFINITY };
    const size_t zeros[] = { 0, 0, 0 };
    const struct svg_variant none[] = { { "A", NAN, NAN, NAN, 0 }, { "B", NAN, 1, 2, 0 } };

    struct svg_bars b0 = { .title = "Empty", .n = 0 };
    char *s = bars(&b0);
    assert_contains(s, "aria-label=\"Empty\"");
    assert_no_answers(s);
    struct svg_bars b1 = { .n = 3, .labels = three_labels, .values = nans };
    assert_no_answers(bars(&b1));
    struct svg_distribution d0 = { .n = 0 };
    assert_no_answers(distribution(&d0));
    struct svg_distribution d1 = { .n = 3, .counts = zeros };
    assert_no_answers(distribution(&d1));
    struct svg_funnel f0 = { .n = 0 };
    assert_no_answers(funnel(&f0));
    struct svg_funnel f1 = { .n = 3, .labels = three_labels, .counts = zeros };
    assert_no_answers(funnel(&f1));
    struct svg_variants v0 = { .n = 0 };
    assert_no_answers(variants(&v0));
    struct svg_variants v1 = { .n = 2, .variants = none };
    assert_no_answers(variants(&v1));
}

/* ---- values that are not numbers
 * ---------------------------------------------------------------------- */

static void values_that_are_not_finite_show_as_na(void **state)
{
    (void)state;
    const char *const labels[] = { "a", "b", "c", "d" };
    const double values[] = { NAN, 5, INFINITY, -INFINITY };
    const double lo[] = { NAN, 4, 1, -INFINITY }, hi[] = { NAN, INFINITY, 2, 3 };
    struct svg_bars c = {
        .n = 4, .labels = labels, .values = values, .lo = lo, .hi = hi, .max = NAN, .decimals = 2
    };
    char *s = bars(&c);
    assert_int_equal(count(s, ">n/a</text>"), 3);
    assert_contains(s, "<title>a: n/a</title>");
    assert_contains(s, ">5.00</text>");
    assert_int_equal(count(s, "<rect"), 1);
    assert_int_equal(count(s, "stroke-width=\"1.5\""), 3); /* only c's error bar is finite */
    free(s);
}

/* ---- the value axis
 * ------------------------------------------------------------------------------------- */

static void the_axis_end_is_computed_and_rounded_up(void **state)
{
    (void)state;
    const char *const labels[] = { "a", "b" };
    const double values[] = { 3, 7.2 };
    struct svg_bars c = { .n = 2, .labels = labels, .values = values };
    char *s = bars(&c);
    for (int t = 0; t <= 8; t += 2) {
        char want[64];
        snprintf(want, sizeof(want), " font-size=\"11\">%d</text>", t);
        assert_contains(s, want);
    }
    assert_lacks(s, ">10</text>");
    assert_contains(s, "width=\"279.0\""); /* 7.2 of 8 over 310 units */
    free(s);
}

static void a_given_axis_end_is_kept_and_bars_past_it_are_cut(void **state)
{
    (void)state;
    const char *const labels[] = { "a", "b" };
    const double values[] = { 5, 20 };
    struct svg_bars c = { .n = 2, .labels = labels, .values = values, .max = 10 };
    char *s = bars(&c);
    assert_contains(s, " font-size=\"11\">10</text>");
    assert_lacks(s, ">12</text>");
    assert_contains(s, "width=\"155.0\"");
    assert_contains(s, "width=\"310.0\"");
    assert_contains(s, ">20</text>"); /* the note says the real value */
    free(s);
}

static void a_fractional_axis_labels_its_ticks_with_decimals(void **state)
{
    (void)state;
    const char *const labels[] = { "a", "b" };
    const double values[] = { 0.3, 0.7 };
    struct svg_bars c = { .n = 2, .labels = labels, .values = values, .decimals = 1 };
    char *s = bars(&c);
    assert_contains(s, " font-size=\"11\">0.0</text>");
    assert_contains(s, " font-size=\"11\">0.2</text>");
    assert_contains(s, " font-size=\"11\">0.8</text>");
    assert_lacks(s, " font-size=\"11\">1.0</text>");
    free(s);
}

static void negative_values_grow_left_of_a_zero_line(void **state)
{
    (void)state;
    const char *const labels[] = { "worse", "better" };
    const double values[] = { -2, 4 };
    struct svg_bars c = { .n = 2, .labels = labels, .values = values };
    char *s = bars(&c);
    assert_contains(s, " font-size=\"11\">-2</text>");
    assert_contains(s, "stroke=\"#CBD5E0\""); /* the zero line */
    assert_contains(s, "<rect x=\"190.0\" y=\"14.0\" width=\"103.3\"");
    assert_contains(s, "<rect x=\"293.3\" y=\"42.0\" width=\"206.7\"");
    free(s);
}

static void error_bars_span_their_interval_with_caps(void **state)
{
    (void)state;
    const char *const labels[] = { "a", "b", "c" };
    const double values[] = { 5, 6, 7 };
    const double lo[] = { 6, NAN, 9 }, hi[] = { 4, 7, 12 }; /* a's ends swapped */
    struct svg_bars c = {
        .n = 3, .labels = labels, .values = values, .lo = lo, .hi = hi, .max = 10
    };
    char *s = bars(&c);
    assert_int_equal(count(s, "stroke-width=\"1.5\""), 6); /* a and c: a line and two caps */
    assert_contains(s, "<line x1=\"314.0\" y1=\"22.0\" x2=\"376.0\" y2=\"22.0\"");
    assert_contains(s, "x2=\"500.0\" y2=\"78.0\""); /* c's 12 cut at the axis's 10 */
    free(s);
}

/* ---- colours and numbers
 * ------------------------------------------------------------------------------------ */

static void colours_come_from_the_bar_then_the_series_then_teal(void **state)
{
    (void)state;
    const char *const colors[] = { "#abcdef", "blue", NULL };
    struct svg_bars c = { .n = 3, .labels = three_labels, .values = three_values };
    char *s = bars(&c);
    assert_int_equal(count(s, "fill=\"#4FD1C5\""), 3);
    free(s);

    c.color = "#123";
    c.colors = colors;
    s = bars(&c);
    assert_int_equal(count(s, "fill=\"#abcdef\""), 1);
    assert_int_equal(count(s, "fill=\"#123\""), 2);
    assert_lacks(s, "blue");
    free(s);

    c.color = "#12345"; /* neither 3 nor 6 digits */
    s = bars(&c);
    assert_int_equal(count(s, "fill=\"#4FD1C5\""), 2);
    free(s);
}

static void values_are_written_with_the_decimals_asked(void **state)
{
    (void)state;
    const char *const labels[] = { "a", "b", "c" };
    const double values[] = { 7.456, -0.04, 1.0 / 3 };
    struct svg_bars c = { .n = 3, .labels = labels, .values = values, .decimals = 1 };
    char *s = bars(&c);
    assert_contains(s, "<title>a: 7.5</title>");
    assert_contains(s, "<title>b: 0.0</title>"); /* never "-0.0" */
    assert_contains(s, "<title>c: 0.3</title>");
    free(s);

    c.decimals = 99; /* at most 6 */
    s = bars(&c);
    assert_contains(s, "<title>c: 0.333333</title>");
    free(s);

    c.decimals = -1; /* at least 0 */
    s = bars(&c);
    assert_contains(s, "<title>a: 7</title>");
    free(s);
}

static void huge_values_stay_short_and_inside(void **state)
{
    (void)state;
    const char *const labels[] = { "a", "b" };
    const double values[] = { 1e300, -1e300 };
    struct svg_bars c = { .n = 2, .labels = labels, .values = values };
    char *s = bars(&c);
    assert_contains(s, "<title>a: 1e+300</title>");
    assert_contains(s, "<title>b: -1e+300</title>");
    assert_lacks(s, "e+300\""); /* no coordinate from an unclamped value */
    free(s);
}

/* ---- distribution
 * ------------------------------------------------------------------------------------------------
 */

static void a_distribution_shows_each_share_and_label(void **state)
{
    (void)state;
    const size_t counts[] = { 0, 2, 6, 2 };
    struct svg_distribution c = { .title = "Appeal", .n = 4, .counts = counts, .first = 1 };
    char *s = distribution(&c);
    assert_int_equal(count(s, "<rect"), 3); /* no bar for 0 */
    assert_contains(s, "<g><title>1: 0 of 10 (0%)</title>");
    assert_contains(s, "<g><title>3: 6 of 10 (60%)</title>");
    assert_contains(s, ">60%</text>");
    assert_int_equal(count(s, ">20%</text>"), 2);
    assert_contains(s, ">4</text>");
    assert_contains(s, "height=\"150.0\""); /* the largest count is the full height */
    assert_contains(s, "height=\"50.0\"");
    free(s);
}

static void a_distribution_numbers_from_first(void **state)
{
    (void)state;
    const size_t counts[] = { 1, 1, 1 };
    struct svg_distribution c = { .n = 3, .counts = counts, .first = 0 };
    char *s = distribution(&c);
    assert_contains(s, "<title>0: 1 of 3 (33%)</title>");
    assert_contains(s, "<title>2: 1 of 3 (33%)</title>");
    free(s);
}

static void tiny_and_near_total_shares_are_not_rounded_away(void **state)
{
    (void)state;
    const char *const labels[] = { "rare", "common" };
    const size_t counts[] = { 1, 299 };
    struct svg_distribution c = { .n = 2, .labels = labels, .counts = counts };
    char *s = distribution(&c);
    assert_contains(s, "<title>rare: 1 of 300 (&lt;1%)</title>");
    assert_contains(s, "<title>common: 299 of 300 (&gt;99%)</title>");
    free(s);
}

static void many_options_leave_out_what_has_no_room(void **state)
{
    (void)state;
    const char *labels[200];
    size_t counts[200];
    for (size_t i = 0; i < 200; i++) {
        labels[i] = "a long option name";
        counts[i] = i;
    }
    struct svg_distribution c = { .n = 200, .labels = labels, .counts = counts };
    char *s = distribution(&c);
    assert_int_equal(count(s, "<title>a long option name:"), 200);
    assert_lacks(s, "%</text>");       /* 3.4 units a slot: no share */
    assert_lacks(s, "option name</t"); /* nor label */
    free(s);

    c.n = 40; /* 17 units a slot: 2 characters of label, no share */
    s = distribution(&c);
    assert_int_equal(count(s, ">a" ELLIPSIS "</text>"), 40);
    assert_lacks(s, "%</text>");
    free(s);
}

/* ---- funnel
 * ---------------------------------------------------------------------------------------------------------
 */

static void a_funnel_shows_counts_shares_and_drop_offs(void **state)
{
    (void)state;
    const char *const labels[] = { "Saw the ad", "Visited", "Added to cart", "Bought" };
    const size_t counts[] = { 100, 75, 75, 30 };
    struct svg_funnel c = { .title = "Journey", .n = 4, .labels = labels, .counts = counts };
    char *s = funnel(&c);
    assert_contains(s, ">100 (100%)</text>");
    assert_contains(s, ">75 (75%)</text>");
    assert_contains(s, ">30 (30%)</text>");
    assert_contains(s, ">25% drop-off</text>");
    assert_contains(s, ">0% drop-off</text>");
    assert_contains(s, ">60% drop-off</text>");
    assert_contains(s, "<title>Added to cart to Bought: 60% drop-off</title>");
    assert_contains(s, "<title>Visited: 75 (75% of the first step)</title>");
    assert_contains(s, "width=\"360.0\"");
    assert_contains(s, "width=\"270.0\"");
    assert_contains(s, "width=\"108.0\"");
    assert_int_equal(count(s, "drop-off</text>"), 3);
    free(s);
}

static void a_funnel_handles_rises_and_empty_steps(void **state)
{
    (void)state;
    const char *const labels[] = { "one", "two", "three", "four" };
    const size_t counts[] = { 10, 20, 0, 5 };
    struct svg_funnel c = { .n = 4, .labels = labels, .counts = counts };
    char *s = funnel(&c);
    assert_contains(s, ">-100% drop-off</text>"); /* 10 to 20 */
    assert_contains(s, ">100% drop-off</text>");  /* 20 to 0 */
    assert_contains(s, "<title>three to four: n/a</title>");
    assert_contains(s, ">20 (200%)</text>");
    assert_contains(s, "width=\"360.0\""); /* the largest step, not the first, is full width */
    free(s);
}

static void a_funnel_whose_first_step_is_empty_has_no_shares(void **state)
{
    (void)state;
    const char *const labels[] = { "one", "two" };
    const size_t counts[] = { 0, 4 };
    struct svg_funnel c = { .n = 2, .labels = labels, .counts = counts };
    char *s = funnel(&c);
    assert_contains(s, ">0 (n/a)</text>");
    assert_contains(s, ">4 (n/a)</text>");
    assert_contains(s, ">n/a</text>");
    free(s);
}

static void a_step_with_anyone_in_it_stays_visible(void **state)
{
    (void)state;
    const char *const labels[] = { "many", "one" };
    const size_t counts[] = { 100000, 1 };
    struct svg_funnel c = { .n = 2, .labels = labels, .counts = counts };
    char *s = funnel(&c);
    assert_contains(s, "width=\"2.0\"");
    assert_contains(s, ">1 (&lt;1%)</text>");
    free(s);
}

/* ---- variants
 * ---------------------------------------------------------------------------------------------------------
 */

static void variants_show_means_intervals_and_counts(void **state)
{
    (void)state;
    const struct svg_variant v[] = {
        { "A: green box", 7.4, 6.9, 7.9, 40 },
        { "B: red box", 6.26, 6.8, 5.5, 38 }, /* ends given in either order */
        { "C", NAN, NAN, NAN, 0 },
        { "D", 5, NAN, 6, 3 },
    };
    struct svg_variants c = {
        .title = "Appeal by variant", .n = 4, .variants = v, .max = 10, .decimals = 1
    };
    char *s = variants(&c);
    assert_contains(s, ">7.4 [6.9, 7.9] (n=40)</text>");
    assert_contains(s, ">6.3 [5.5, 6.8] (n=38)</text>");
    assert_contains(s, ">n/a (n=0)</text>");
    assert_contains(s, ">5.0 (n=3)</text>");
    assert_contains(s, "<title>A: green box: 7.4 [6.9, 7.9] (n=40)</title>");
    assert_contains(s, "fill=\"#4FD1C5\"");
    assert_contains(s, "fill=\"#4299E1\"");
    assert_contains(s, "fill=\"#ED8936\""); /* D, the fourth colour */
    assert_contains(s, "width=\"229.4\"");  /* 7.4 of 10 */
    assert_int_equal(count(s, "<rect"), 3);
    assert_int_equal(count(s, "stroke-width=\"1.5\""), 6);
    free(s);
}

/* ---- the maximum
 * ------------------------------------------------------------------------------------------------------
 */

static void every_chart_reports_the_maximum(void **state)
{
    (void)state;
    const size_t counts[] = { 1, 2 };
    const struct svg_variant v[] = { { "A", 1, 0, 2, 3 } };
    struct svg_bars b = { .n = 3, .labels = three_labels, .values = three_values };
    struct svg_distribution d = { .n = 2, .counts = counts };
    struct svg_funnel f = { .n = 2, .labels = three_labels, .counts = counts };
    struct svg_variants vs = { .n = 1, .variants = v };
    for (int k = 0; k < 5; k++) {
        struct buf out;
        buf_init(&out, 200);
        bool ok = k == 0   ? svg_add_bars(&out, &b)
                  : k == 1 ? svg_add_distribution(&out, &d)
                  : k == 2 ? svg_add_funnel(&out, &f)
                  : k == 3 ? svg_add_variants(&out, &vs)
                           : svg_add_bars(&out, &(struct svg_bars){ .n = 0 }); /* "No answers" */
        assert_false(ok);
        assert_true(out.failed);
        buf_release(&out);
    }
}

/* ---- random inputs
 * ------------------------------------------------------------------------------------------------------
 */

/* Pieces of random labels: markup, references, bad bytes, controls; no n, i or f. */
static const char *const pieces[] = {
    "<",
    ">",
    "&",
    "&amp;",
    "\"",
    "'",
    "a",
    "Z",
    " ",
    "\n",
    "\t",
    "\x01",
    "\xff",
    "\xe2\x82",
    "\xc3\xa9",
    "\xf0\x9f\x98\x80",
    "\xef\xbf\xbe",
    "</text>",
    "<script>",
    ";",
    "#",
    "%",
};

static void random_text(struct prng *r, char *out, size_t size)
{
    size_t len = 0, n = (size_t)prng_below(r, 40);
    for (size_t k = 0; k < n; k++) {
        const char *p = pieces[prng_below(r, ARRAY_SIZE(pieces))];
        size_t plen = strlen(p);
        if (len + plen >= size)
            break;
        memcpy(out + len, p, plen);
        len += plen;
    }
    out[len] = '\0';
}

static double random_value(struct prng *r)
{
    static const double odd[] = { NAN, INFINITY, -INFINITY, 1e300, -1e300, 0, -0.0, 1e-300 };
    if (prng_below(r, 3) == 0)
        return odd[prng_below(r, ARRAY_SIZE(odd))];
    return prng_normal(r) * 10;
}

static void random_charts_are_always_well_formed(void **state)
{
    (void)state;
    struct prng r;
    prng_seed(&r, 0x5f6);
    enum { N = 12 };
    char text[N][160], notes_text[N][160], title[160];
    const char *labels[N], *notes[N], *colors[N];
    double values[N], lo[N], hi[N];
    size_t counts[N];
    struct svg_variant v[N];
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)prng_below(&r, N + 1);
        random_text(&r, title, sizeof(title));
        for (size_t i = 0; i < n; i++) {
            random_text(&r, text[i], sizeof(text[i]));
            random_text(&r, notes_text[i], sizeof(notes_text[i]));
            labels[i] = prng_below(&r, 8) ? text[i] : NULL;
            notes[i] = prng_below(&r, 2) ? notes_text[i] : NULL;
            colors[i] = prng_below(&r, 2) ? text[i] : "#0f0";
            values[i] = random_value(&r);
            lo[i] = random_value(&r);
            hi[i] = random_value(&r);
            counts[i] = prng_below(&r, 3) ? (size_t)prng_below(&r, 1000) : 0;
            v[i] = (struct svg_variant){ labels[i], values[i], lo[i], hi[i], counts[i] };
        }
        double max = random_value(&r);
        int decimals = (int)prng_below(&r, 12) - 3;
        struct svg_bars b = { .title = title,
                              .n = n,
                              .labels = labels,
                              .values = values,
                              .notes = prng_below(&r, 2) ? notes : NULL,
                              .lo = prng_below(&r, 2) ? lo : NULL,
                              .hi = hi,
                              .colors = prng_below(&r, 2) ? colors : NULL,
                              .color = title,
                              .max = max,
                              .decimals = decimals };
        struct svg_distribution d = { .title = title,
                                      .n = n,
                                      .labels = prng_below(&r, 2) ? labels : NULL,
                                      .first = (int)prng_below(&r, 3) - 1,
                                      .counts = counts };
        struct svg_funnel f = { .title = title, .n = n, .labels = labels, .counts = counts };
        struct svg_variants vs = {
            .title = title, .n = n, .variants = v, .max = max, .decimals = decimals
        };
        char *all[] = { bars(&b), distribution(&d), funnel(&f), variants(&vs) };
        for (size_t k = 0; k < ARRAY_SIZE(all); k++) {
            assert_lacks(all[k], "<script");
            assert_lacks(all[k], "\xef\xbf\xbe");
            free(all[k]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_chart_scales_and_names_itself),
        cmocka_unit_test(a_chart_needs_nothing_outside_itself),
        cmocka_unit_test(each_bar_has_a_title_with_its_label_and_value),
        cmocka_unit_test(markup_in_labels_titles_and_notes_comes_out_escaped),
        cmocka_unit_test(invalid_utf8_in_labels_shows_as_replacement_characters),
        cmocka_unit_test(a_label_up_to_the_limit_is_shown_whole),
        cmocka_unit_test(a_label_one_past_the_limit_is_cut_by_characters),
        cmocka_unit_test(a_cut_label_drops_the_spaces_before_the_ellipsis),
        cmocka_unit_test(cutting_never_splits_a_character),
        cmocka_unit_test(long_notes_are_cut_too),
        cmocka_unit_test(every_chart_without_data_says_no_answers),
        cmocka_unit_test(values_that_are_not_finite_show_as_na),
        cmocka_unit_test(the_axis_end_is_computed_and_rounded_up),
        cmocka_unit_test(a_given_axis_end_is_kept_and_bars_past_it_are_cut),
        cmocka_unit_test(a_fractional_axis_labels_its_ticks_with_decimals),
        cmocka_unit_test(negative_values_grow_left_of_a_zero_line),
        cmocka_unit_test(error_bars_span_their_interval_with_caps),
        cmocka_unit_test(colours_come_from_the_bar_then_the_series_then_teal),
        cmocka_unit_test(values_are_written_with_the_decimals_asked),
        cmocka_unit_test(huge_values_stay_short_and_inside),
        cmocka_unit_test(a_distribution_shows_each_share_and_label),
        cmocka_unit_test(a_distribution_numbers_from_first),
        cmocka_unit_test(tiny_and_near_total_shares_are_not_rounded_away),
        cmocka_unit_test(many_options_leave_out_what_has_no_room),
        cmocka_unit_test(a_funnel_shows_counts_shares_and_drop_offs),
        cmocka_unit_test(a_funnel_handles_rises_and_empty_steps),
        cmocka_unit_test(a_funnel_whose_first_step_is_empty_has_no_shares),
        cmocka_unit_test(a_step_with_anyone_in_it_stays_visible),
        cmocka_unit_test(variants_show_means_intervals_and_counts),
        cmocka_unit_test(every_chart_reports_the_maximum),
        cmocka_unit_test(random_charts_are_always_well_formed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
