/*
 * report/svg.h - the charts of a report as self-contained inline SVG:
 * horizontal bars (with annotations and error bars), a distribution
 * (vertical bars of counts: scale points or options), a funnel (steps with
 * the drop-off between them) and a comparison of variants (means with
 * confidence intervals).
 *
 * Every chart is one <svg> element that:
 *   - needs nothing else: no script, no external resource (no href, no
 *     font, no image), no <style> element and no style attribute (a style
 *     element would leak into a page that holds several charts, and a
 *     content security policy may forbid style attributes): colours and
 *     fonts are presentation attributes;
 *   - scales: a viewBox and no width or height, so it takes its
 *     container's width and keeps its aspect ratio;
 *   - is accessible: role="img", aria-label and a <title> with the chart's
 *     title; each bar, step or point is a <g> whose <title> (the tooltip)
 *     holds its full label and its value;
 *   - escapes every text through report/html.h, so labels from users and
 *     models never become markup, and invalid UTF-8 shows as U+FFFD;
 *   - cuts a label longer than its room (counted in characters, never
 *     splitting one) to that many characters ending in U+2026 "...", the
 *     whole label staying in the <title>;
 *   - writes numbers the same in every locale ('.' as the decimal point);
 *     a value that is NaN or infinite is drawn as no bar and shown as
 *     "n/a", never "nan" or "inf";
 *   - with no data (no bars, no answers counted, no finite value) is a
 *     small chart that says "No answers", with no division by zero.
 * The look follows Purity UI: teal bars (SVG_TEAL), labels in SVG_DARK,
 * axis text in SVG_GRAY, Helvetica.
 *
 * Reentrant; the inputs are borrowed for the call only. Each function
 * appends to out and returns false (out->failed set, sticky) when out's
 * maximum was reached; the text then ends mid-chart and must be dropped.
 */
#ifndef REPORT_SVG_H
#define REPORT_SVG_H

#include "core/compat.h"

#include "core/buf.h"

#define SVG_TEAL "#4FD1C5" /* bars: Purity UI's accent */
#define SVG_GRAY "#A0AEC0" /* axis and secondary text */
#define SVG_DARK "#2D3748" /* labels and annotations */

#define SVG_LABEL_CHARS 26 /* characters of a bar's or step's label before it is cut */
#define SVG_NOTE_CHARS  28 /* characters of a bar's annotation before it is cut */

/*
 * A horizontal bar chart, one bar per label; with lo and hi, a comparison
 * of means with their confidence intervals. The value axis starts at 0 (or
 * below, when a value or an error bar is negative: bars then grow left or
 * right of a zero line) and ends at max; bars and error bars past the axis
 * are cut at its end, their annotations still say the real value.
 * A colour is "#rgb" or "#rrggbb"; anything else is ignored.
 */
struct svg_bars {
    const char *title;         /* the chart's <title> and aria-label; NULL: "Chart" */
    size_t n;                  /* bars */
    const char *const *labels; /* n labels (an entry NULL: "") */
    const double *values;      /* n values; NaN or infinite: no bar, "n/a" */
    /*
     * NULL, or n annotations written after each bar, e.g. "42% (n=12)" (an
     * entry NULL: the value with `decimals` digits)
     */
    const char *const *notes;
    const double *lo;          /* NULL, or n low ends of each bar's error bar */
    const double *hi;          /* NULL, or n high ends (a pair not both finite: none) */
    const char *const *colors; /* NULL, or n colours (an entry NULL or invalid: color) */
    const char *color;         /* the series' colour; NULL or invalid: SVG_TEAL */
    /*
     * the value axis's end; 0, negative or not finite: computed from the
     * values and error bars, rounded up to a round number
     */
    double max;
    int decimals; /* digits after the point of a value written for a NULL note, 0..6 */
};

/* Appends the bar chart c ("No answers" when c->n is 0 or no value is finite). */
bool svg_add_bars(struct buf *out, const struct svg_bars *c);

/*
 * A distribution: one vertical bar per scale point or option, its height
 * the count, the share of the total above it and the label below.
 */
struct svg_distribution {
    const char *title;         /* NULL: "Chart" */
    size_t n;                  /* bars */
    const char *const *labels; /* n labels; NULL: the bars are numbered first, first + 1, ... */
    int first;                 /* the first number when labels is NULL (1 for a 1..10 scale) */
    const size_t *counts;      /* n answer counts */
    const char *color;         /* NULL or invalid: SVG_TEAL */
};

/* Appends the distribution c ("No answers" when c->n is 0 or every count is 0). */
bool svg_add_distribution(struct buf *out, const struct svg_distribution *c);

/*
 * A funnel: ordered steps, each a centred bar as wide as its count (the
 * largest count is the full width), its count and its share of the first
 * step beside it, and between two steps the drop-off: the share of the
 * earlier step's count that the later one lost ("25% drop-off"; a negative
 * share when the count rose; "n/a" after a step of 0).
 */
struct svg_funnel {
    const char *title;         /* NULL: "Chart" */
    size_t n;                  /* steps, in order */
    const char *const *labels; /* n step names */
    const size_t *counts;      /* n counts */
    const char *color;         /* NULL or invalid: SVG_TEAL */
};

/* Appends the funnel c ("No answers" when c->n is 0 or every count is 0). */
bool svg_add_funnel(struct buf *out, const struct svg_funnel *c);

/* One variant of an A/B/n test. */
struct svg_variant {
    const char *label; /* the variant's name */
    double mean;       /* NaN: no mean (shown "n/a") */
    double lo, hi;     /* the confidence interval's ends; NaN: none */
    size_t n;          /* answers behind the mean */
};

/*
 * Variants compared: svg_add_bars with a bar per variant (colours from a
 * fixed palette that starts with SVG_TEAL), its interval as an error bar
 * and the annotation "7.4 [6.9, 7.9] n=40".
 */
struct svg_variants {
    const char *title; /* NULL: "Chart" */
    size_t n;
    const struct svg_variant *variants; /* n variants */
    double max;                         /* as svg_bars.max (e.g. 10 for a 1..10 scale) */
    int decimals;                       /* digits after the point of the numbers, 0..6 */
};

/* Appends the comparison c ("No answers" when c->n is 0 or no mean is finite). */
bool svg_add_variants(struct buf *out, const struct svg_variants *c);

#endif
