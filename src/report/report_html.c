/*
 * report/report_html.c - the HTML export of a report (report/report_html.h):
 * owns the page's markup and style sheet, the reading of the report
 * document's members (tolerantly: anything missing or of the wrong type is
 * absent), and the way its numbers are written.
 *
 * The page is written front to back into the caller's buf: the frame, then
 * one function per section, each of which looks at its part of the document
 * and writes nothing when it is not there. Texts go through report/html.h;
 * charts through report/svg.h. Numbers: integers exactly (grouped by
 * thousands with ','), other numbers with csv_format_number (up to 10
 * significant digits: the document's rounding shows through), shares with
 * one decimal; printf's decimal point is always made '.'.
 *
 * Reentrant; no state outside the calls.
 */
#include "core/compat.h"

#include "report/report_html.h"

#include <math.h>

#include "core/clock.h"
#include "core/jsonio.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "report/csv.h"
#include "report/html.h"
#include "report/report.h"
#include "report/svg.h"

#define NUM_MAX       48                 /* bytes of one formatted number, with the NUL */
#define NOTE_MAX      (2 * NUM_MAX + 8)  /* bytes of a note built here, with the NUL */
#define COUNT_MAX     1e15               /* counts from the document are clamped to this */
#define HEAD_CHARS    40                 /* characters of a prompt in a table's column head */
#define EXACT_INT     9007199254740992.0 /* 2^53 */
#define SIG_DIGITS    10 /* of a number that is not whole: more than the document's rounding */
#define OFFLINE_TEXT  "Offline model \xe2\x80\x94 simulated answers, not a language model"
#define NA            "n/a"
#define EN_DASH       "\xe2\x80\x93"
#define YEAR_10000_MS 253402300800000 /* 10000-01-01T00:00:00Z: the last time clock.h writes */

/* The page's style sheet: Purity UI's look, and a print layout for A4. */
static const char *const style_sheet[] = {
    "*{box-sizing:border-box}",
    "html{-webkit-text-size-adjust:100%}",
    "body{margin:0;background:#F8F9FA;color:#2D3748;font:14px/1.5 -apple-system,"
    "BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Helvetica,Arial,sans-serif;"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact;overflow-wrap:anywhere}",
    "main{max-width:1040px;margin:0 auto;padding:28px 20px 40px}",
    ".card{background:#fff;border-radius:15px;box-shadow:0 3.5px 12px rgba(0,0,0,.05);"
    "padding:22px 26px;margin:0 0 20px}",
    "h1{font-size:24px;line-height:1.25;margin:4px 0 12px;font-weight:700}",
    "h2{font-size:18px;margin:0 0 14px;font-weight:700}",
    "h3{font-size:15px;margin:0 0 8px;font-weight:700}",
    "h2.group{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:#A0AEC0;"
    "margin:30px 4px 12px}",
    "p{margin:0 0 10px}",
    ".eyebrow{font-size:12px;font-weight:700;color:#A0AEC0;text-transform:uppercase;"
    "letter-spacing:.05em}",
    ".muted{color:#A0AEC0}",
    ".mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}",
    ".hero{border-top:4px solid #4FD1C5}",
    ".meta{display:flex;flex-wrap:wrap;gap:6px 28px;margin:14px 0 0;font-size:13px}",
    ".meta dt{color:#A0AEC0;font-size:11px;font-weight:700;text-transform:uppercase;"
    "letter-spacing:.05em}",
    ".meta dd{margin:0;word-break:break-all}",
    ".badge{display:inline-block;padding:2px 10px;border-radius:999px;font-size:12px;"
    "font-weight:700;line-height:1.6;white-space:nowrap}",
    ".type{background:#E6FFFA;color:#2C7A7B}",
    ".offline{background:#FEFCBF;color:#744210;border:1px solid #F6E05E;white-space:normal}",
    ".pass{background:#C6F6D5;color:#22543D}",
    ".fail{background:#FED7D7;color:#822727}",
    ".undecided{background:#EDF2F7;color:#4A5568}",
    ".sig{background:#4FD1C5;color:#fff}",
    ".nsig{background:#EDF2F7;color:#4A5568}",
    ".figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(118px,1fr));"
    "gap:14px;margin:0 0 20px}",
    ".figure{background:#fff;border-radius:15px;box-shadow:0 3.5px 12px rgba(0,0,0,.05);"
    "padding:14px 18px}",
    ".figure .label{font-size:12px;font-weight:700;color:#A0AEC0}",
    ".figure .value{font-size:20px;font-weight:700;font-variant-numeric:tabular-nums}",
    ".figure .sub{font-size:12px;color:#A0AEC0}",
    ".stats{display:flex;flex-wrap:wrap;gap:10px 28px;margin:10px 0 4px}",
    ".stats dt{font-size:11px;font-weight:700;color:#A0AEC0;text-transform:uppercase;"
    "letter-spacing:.05em}",
    ".stats dd{margin:0;font-size:15px;font-weight:700;font-variant-numeric:tabular-nums}",
    ".stats dd span{font-weight:400;color:#718096;font-size:13px}",
    ".chart{margin:12px 0 4px;max-width:760px}",
    ".chart svg{display:block;width:100%;height:auto}",
    "table{width:100%;border-collapse:collapse;font-size:13px;margin:6px 0 12px}",
    "table.narrow{width:auto;min-width:320px}",
    "caption{text-align:left;font-weight:700;padding:0 0 6px}",
    "th{text-align:left;color:#A0AEC0;font-size:11px;font-weight:700;text-transform:uppercase;"
    "letter-spacing:.04em;border-bottom:1px solid #E2E8F0;padding:6px 8px}",
    "td{padding:7px 8px;border-bottom:1px solid #EDF2F7;vertical-align:top}",
    "tr:last-child td{border-bottom:0}",
    ".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
    "tr.small td{color:#A0AEC0}",
    ".tag{display:inline-block;margin-left:6px;padding:0 8px;border-radius:999px;"
    "background:#EDF2F7;color:#718096;font-size:11px;font-weight:700}",
    "ul{margin:0 0 10px;padding-left:20px}",
    "li{margin:2px 0}",
    "blockquote{margin:6px 0;padding:6px 12px;border-left:3px solid #4FD1C5;"
    "background:#F8F9FA;border-radius:0 8px 8px 0;font-style:italic}",
    ".quotes{list-style:none;padding:0}",
    ".note{padding:10px 14px;background:#FFFAF0;border-radius:10px;color:#7B341E}",
    ".err{color:#C53030;font-size:12px}",
    ".winner{display:flex;align-items:baseline;flex-wrap:wrap;gap:8px 14px;padding:14px 18px;"
    "border-radius:12px;background:#E6FFFA;margin:0 0 16px}",
    ".winner strong{font-size:22px;color:#2C7A7B}",
    ".nowinner{background:#F7FAFC}",
    ".block{border-top:1px solid #EDF2F7;padding-top:16px;margin-top:16px}",
    ".block:first-of-type{border-top:0;padding-top:0;margin-top:0}",
    ".grid2{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:8px 24px}",
    ".themes{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:20px}",
    ".theme{margin:0 0 14px}",
    ".theme-head{display:flex;justify-content:space-between;gap:8px;font-weight:700}",
    ".line{margin:6px 0;line-height:1.5}.line .who{font-weight:700;color:#2D3748;margin-right:6px}",
    ".line.moderator{color:#4A5568;font-style:italic}",
    ".count{color:#A0AEC0;font-variant-numeric:tabular-nums}",
    ".dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:8px}",
    ".positive{background:#48BB78}.negative{background:#F56565}.neutral{background:#A0AEC0}",
    "footer{font-size:12px;color:#A0AEC0;text-align:center;margin-top:28px}",
    "@page{size:A4;margin:12mm}",
    "@media print{body{background:#fff;font-size:12px}",
    "main{max-width:none;padding:0}",
    ".card,.figure{box-shadow:none;border:1px solid #E2E8F0;break-inside:avoid}",
    ".figures{grid-template-columns:repeat(4,1fr)}",
    ".card.long{break-inside:auto}",
    ".grid2 table{break-inside:avoid}",
    ".block{break-inside:avoid}",
    "h2,h3{break-after:avoid}",
    ".chart{max-width:170mm;break-inside:avoid}",
    "tr{break-inside:avoid}}",
};

/* What the page is being written from and into. */
struct page {
    struct buf *out;           /* borrowed: the caller's */
    const json_t *doc;         /* the report document */
    const json_t *questions;   /* doc.questions (an array), or NULL */
    const json_t *scenarios;   /* doc.scenarios (an array), or NULL */
    const json_t *comparisons; /* doc.comparisons (an array), or NULL */
};

/* ---- reading the document ------------------------------------------------------------
 * A member that is missing, null or not of the expected type is NULL (or
 * false, or NaN): the page leaves it out.
 */

static const json_t *get(const json_t *obj, const char *key)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_null(v) ? NULL : v;
}

static const json_t *get_obj(const json_t *obj, const char *key)
{
    const json_t *v = get(obj, key);
    return json_is_object(v) ? v : NULL;
}

/* obj[key] when it is an array with at least one element. */
static const json_t *get_arr(const json_t *obj, const char *key)
{
    const json_t *v = get(obj, key);
    return json_is_array(v) && json_array_size(v) > 0 ? v : NULL;
}

/* obj[key] when it is a string (the json_t, so that its length is known). */
static const json_t *get_jstr(const json_t *obj, const char *key)
{
    const json_t *v = get(obj, key);
    return json_is_string(v) ? v : NULL;
}

/* obj[key] as a C string (borrowed from obj), or NULL. */
static const char *get_str(const json_t *obj, const char *key)
{
    return json_string_value(get(obj, key));
}

/* obj[key] when it is a finite number. */
static bool get_num(const json_t *obj, const char *key, double *v)
{
    const json_t *j = get(obj, key);
    if (!json_is_number(j) || !isfinite(json_number_value(j)))
        return false;
    *v = json_number_value(j);
    return true;
}

static double num_or_nan(const json_t *obj, const char *key)
{
    double v;
    return get_num(obj, key, &v) ? v : NAN;
}

/* obj[key] as a count: 0 when absent or negative, at most COUNT_MAX. */
static size_t get_count(const json_t *obj, const char *key)
{
    double v;
    if (!get_num(obj, key, &v) || v <= 0)
        return 0;
    return (size_t)(v > COUNT_MAX ? COUNT_MAX : v);
}

/* obj[key] as an interval: an array of two finite numbers. */
static bool get_ci(const json_t *obj, const char *key, double *lo, double *hi)
{
    const json_t *ci = get(obj, key);
    if (!json_is_array(ci) || json_array_size(ci) != 2)
        return false;
    const json_t *a = json_array_get(ci, 0), *b = json_array_get(ci, 1);
    if (!json_is_number(a) || !json_is_number(b))
        return false;
    *lo = json_number_value(a);
    *hi = json_number_value(b);
    return isfinite(*lo) && isfinite(*hi);
}

/* The element of the array arr whose "id" is id, or NULL. */
static const json_t *find_id(const json_t *arr, const char *id)
{
    size_t i;
    const json_t *v;
    if (!id || !json_is_array(arr))
        return NULL;
    json_array_foreach (arr, i, v) {
        const char *vid = get_str(v, "id");
        if (vid && strcmp(vid, id) == 0)
            return v;
    }
    return NULL;
}

/* The document's question id (a stat of doc.questions), or NULL. */
static const json_t *question(const struct page *p, const char *id)
{
    return find_id(p->questions, id);
}

/* ---- numbers --------------------------------------------------------------------------
 * Locale-independent: printf's output has its decimal point (whatever the
 * locale made it) rewritten as '.', a negative zero written as 0, and the
 * digits before the point grouped by thousands with ',' ("12,345.5").
 * Numbers of any size but the far ends (below 1e-9, from 1e15) are written
 * without an exponent.
 */

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Rewrites s[0..n) in place: each run of bytes that is no digit, sign or 'e' becomes '.'. */
static void dot_point(char *s, size_t n)
{
    size_t j = 0;
    bool nonzero = false;
    for (size_t i = 0; i < n;) {
        char ch = s[i];
        if (is_digit(ch) || ch == '-' || ch == '+' || ch == 'e') {
            nonzero |= ch >= '1' && ch <= '9';
            s[j++] = ch;
            i++;
            continue;
        }
        s[j++] = '.';
        while (i < n && !is_digit(s[i]) && s[i] != 'e')
            i++;
    }
    s[j] = '\0';
    if (s[0] == '-' && !nonzero)
        memmove(s, s + 1, j);
}

/* Inserts ',' between groups of three digits before the point of s (NUM_MAX bytes). */
static void group_thousands(char *s)
{
    char t[NUM_MAX];
    size_t start = s[0] == '-' ? 1 : 0, end = start, j = 0;
    while (is_digit(s[end]))
        end++;
    if (strchr(s, 'e') || end - start <= 3 || strlen(s) + (end - start) / 3 >= NUM_MAX)
        return;
    for (size_t i = 0; s[i]; i++) {
        if (i > start && i < end && (end - i) % 3 == 0)
            t[j++] = ',';
        t[j++] = s[i];
    }
    t[j] = '\0';
    memcpy(s, t, j + 1);
}

/* Drops the zeros at the end of a fraction, and the point when nothing is left after it. */
static void trim_zeros(char *s)
{
    size_t n = strlen(s);
    if (!strchr(s, '.') || strchr(s, 'e'))
        return;
    while (n > 0 && s[n - 1] == '0')
        s[--n] = '\0';
    if (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
}

/* v with exactly decimals digits after the point, grouped ("n/a" when not finite). */
static void fmt_fixed(char out[NUM_MAX], double v, int decimals)
{
    static_assert(CSV_NUMBER_MAX <= NUM_MAX, "a csv number fits");
    if (!isfinite(v)) {
        snprintf(out, NUM_MAX, NA);
        return;
    }
    if (fabs(v) >= 1e15) {
        csv_format_number(out, v); /* "1.5e+15" */
        return;
    }
    int n = snprintf(out, NUM_MAX, "%.*f", decimals, v);
    if (n < 0 || n >= NUM_MAX) { /* cannot happen: at most 16 + 1 + 18 bytes */
        snprintf(out, NUM_MAX, NA);
        return;
    }
    dot_point(out, (size_t)n);
    group_thousands(out);
}

/*
 * v as the document has it: a whole number exactly, anything else with
 * SIG_DIGITS significant digits and no zeros at the end ("0.00001473").
 */
static void fmt_num(char out[NUM_MAX], double v)
{
    double a = fabs(v);
    if (isfinite(v) && a < EXACT_INT && v == trunc(v)) {
        fmt_fixed(out, v, 0);
    } else if (isfinite(v) && a >= 1e-9 && a < 1e15) {
        int decimals = SIG_DIGITS - ((int)floor(log10(a)) + 1);
        fmt_fixed(out, v, decimals < 0 ? 0 : decimals > 18 ? 18 : decimals);
        trim_zeros(out);
    } else if (isfinite(v)) {
        csv_format_number(out, v); /* "1.473e-12" */
    } else {
        snprintf(out, NUM_MAX, NA);
    }
}

/* v grouped by thousands ("-12,345"): exact for every int64_t. */
static void fmt_int(char out[NUM_MAX], int64_t v)
{
    int n = snprintf(out, NUM_MAX, "%" PRId64, v);
    if (n < 0 || n >= NUM_MAX) /* cannot happen: at most 20 bytes */
        snprintf(out, NUM_MAX, NA);
    group_thousands(out);
}

/* A share (0..1) as a percentage with one decimal: "42.4%". */
static void fmt_pct(char out[NUM_MAX], double share)
{
    fmt_fixed(out, share * 100, 1);
    size_t n = strlen(out);
    if (isfinite(share) && n + 2 <= NUM_MAX) {
        out[n] = '%';
        out[n + 1] = '\0';
    }
}

static void add_num(struct buf *out, double v)
{
    char s[NUM_MAX];
    fmt_num(s, v);
    buf_adds(out, s);
}

static void add_pct(struct buf *out, double share)
{
    char s[NUM_MAX];
    fmt_pct(s, share);
    buf_adds(out, s);
}

/* A JSON number as the document has it (an integer exactly); "n/a" for anything else. */
static void add_jnum(struct buf *out, const json_t *j)
{
    char s[NUM_MAX];
    if (json_is_integer(j))
        fmt_int(s, (int64_t)json_integer_value(j));
    else
        fmt_num(s, json_is_real(j) ? json_real_value(j) : NAN);
    buf_adds(out, s);
}

/* " [lo, hi]" of obj[key] (as shares when pct); nothing when there is no interval. */
static void add_ci(struct buf *out, const json_t *obj, const char *key, bool pct)
{
    double lo, hi;
    if (!get_ci(obj, key, &lo, &hi))
        return;
    char a[NUM_MAX], b[NUM_MAX];
    if (pct) {
        fmt_pct(a, lo);
        fmt_pct(b, hi);
    } else {
        fmt_num(a, lo);
        fmt_num(b, hi);
    }
    buf_addf(out, " [%s, %s]", a, b);
}

/* Digits after the point of v as fmt_num writes it (for charts: 0..3). */
static int decimals_of(double v)
{
    char s[NUM_MAX];
    fmt_num(s, v);
    const char *dot = strchr(s, '.');
    if (!dot || strchr(s, 'e'))
        return 0;
    size_t d = strlen(dot + 1);
    return d > REPORT_DECIMALS ? REPORT_DECIMALS : (int)d;
}

/* ---- text -------------------------------------------------------------------------------- */

/* Appends the JSON string j escaped (its whole length: a U+0000 becomes U+FFFD), or fallback. */
static void add_jtext(struct buf *out, const json_t *j, const char *fallback)
{
    if (json_is_string(j))
        html_add_text(out, json_string_value(j), json_string_length(j));
    else if (fallback)
        html_add_texts(out, fallback);
}

/* obj[key] escaped, or fallback (escaped too) when it is not a string. */
static void add_member(struct buf *out, const json_t *obj, const char *key, const char *fallback)
{
    add_jtext(out, get_jstr(obj, key), fallback);
}

/* s escaped and cut to max_chars characters (ending in U+2026 when cut). */
static void add_cut(struct buf *out, const char *s, size_t max_chars)
{
    size_t n = strlen(s), keep = utf8_prefix(s, n, max_chars);
    html_add_text(out, s, keep);
    if (keep < n)
        buf_adds(out, "\xe2\x80\xa6");
}

/* The words of a test type: "Product test"; an unknown type as it is. */
static const char *type_words(const char *type)
{
    static const char *const names[][2] = {
        { "product", "Product test" },
        { "message", "Message test" },
        { "journey", "Journey test" },
        { "focus_group", "Focus group" },
    };
    for (size_t i = 0; type && i < ARRAY_SIZE(names); i++)
        if (strcmp(type, names[i][0]) == 0)
            return names[i][1];
    return type;
}

/* The words of a question kind: "Rating"; an unknown kind as it is. */
static const char *kind_words(const char *kind)
{
    static const char *const names[][2] = {
        { "rating", "Rating" },   { "yes_no", "Yes / no" }, { "choice", "Choice" },
        { "ranking", "Ranking" }, { "text", "Open text" },
    };
    for (size_t i = 0; kind && i < ARRAY_SIZE(names); i++)
        if (strcmp(kind, names[i][0]) == 0)
            return names[i][1];
    return kind ? kind : "Question";
}

static bool kind_is(const json_t *stat, const char *kind)
{
    const char *k = get_str(stat, "kind");
    return k && strcmp(k, kind) == 0;
}

/* The label of an answer value: "Yes" and "No" for yes_no, else the value ("" if none). */
static const char *value_label(const json_t *entry, const char *key, bool yes_no)
{
    const char *v = get_str(entry, key);
    if (yes_no && v && strcmp(v, "yes") == 0)
        return "Yes";
    if (yes_no && v && strcmp(v, "no") == 0)
        return "No";
    return v ? v : "";
}

/* Is t a time: a string, or milliseconds since the epoch before the year 10000? */
static bool is_time(const json_t *t)
{
    return json_is_string(t) || (json_is_integer(t) && json_integer_value(t) > 0 &&
                                 json_integer_value(t) < YEAR_10000_MS);
}

/* A time (is_time): ISO-8601 text or milliseconds since the epoch, as "2026-03-01 14:05 UTC". */
static void add_time(struct buf *out, const json_t *t)
{
    int64_t ms = 0;
    char iso[CLOCK_ISO8601_LEN];
    if (json_is_integer(t)) {
        ms = (int64_t)json_integer_value(t);
    } else if (!json_is_string(t) || !clock_parse_iso8601(json_string_value(t), &ms)) {
        add_jtext(out, t, NULL); /* not a time this page can read: as it is (a string) */
        return;
    }
    clock_iso8601(ms, iso);
    buf_addf(out, "%.10s %.5s UTC", iso, iso + 11);
}

/* ---- charts ----------------------------------------------------------------------------
 * The arrays a chart of report/svg.h borrows, built from the document.
 */

struct bars {
    size_t n;
    const char **labels; /* borrowed from the document, or "" */
    double *values, *lo, *hi;
    char (*notes)[NOTE_MAX];
    const char **note_ptrs; /* into notes */
};

static void bars_init(struct bars *b, size_t n)
{
    b->n = n;
    b->labels = xcalloc(n, sizeof(*b->labels));
    b->values = xcalloc(n, sizeof(*b->values));
    b->lo = xcalloc(n, sizeof(*b->lo));
    b->hi = xcalloc(n, sizeof(*b->hi));
    b->notes = xcalloc(n, sizeof(*b->notes));
    b->note_ptrs = xcalloc(n, sizeof(*b->note_ptrs));
    for (size_t i = 0; i < n; i++)
        b->note_ptrs[i] = b->notes[i];
}

static void bars_release(struct bars *b)
{
    free(b->labels);
    free(b->values);
    free(b->lo);
    free(b->hi);
    free(b->notes);
    free(b->note_ptrs);
}

/*
 * Bar i from entry: its share (0..1) as a percentage, the interval of
 * entry.ci as the error bar, and the note "42.4% n=17" (the count of
 * entry[count_key]).
 */
static void bars_set_share(struct bars *b, size_t i, const json_t *entry, const char *count_key)
{
    char pct[NUM_MAX], count[NUM_MAX];
    double share = num_or_nan(entry, "share"), lo, hi;
    b->values[i] = share * 100;
    b->lo[i] = b->hi[i] = NAN;
    if (get_ci(entry, "ci", &lo, &hi)) {
        b->lo[i] = lo * 100;
        b->hi[i] = hi * 100;
    }
    fmt_pct(pct, share);
    fmt_num(count, (double)get_count(entry, count_key));
    snprintf(b->notes[i], NOTE_MAX, "%s n=%s", pct, count);
}

/*
 * A chart of shares, one bar per element of arr (an answer's distribution,
 * or a comparison's variants): label arr[i][label_key], count
 * arr[i][count_key].
 */
static void add_share_chart(struct buf *out, const char *title, const json_t *arr,
                            const char *label_key, const char *count_key, bool yes_no)
{
    struct bars b;
    bars_init(&b, json_array_size(arr));
    for (size_t i = 0; i < b.n; i++) {
        const json_t *e = json_array_get(arr, i);
        b.labels[i] = value_label(e, label_key, yes_no);
        bars_set_share(&b, i, e, count_key);
    }
    struct svg_bars c = {
        .title = title,
        .n = b.n,
        .labels = b.labels,
        .values = b.values,
        .notes = b.note_ptrs,
        .lo = b.lo,
        .hi = b.hi,
        .max = 100,
        .decimals = 1,
    };
    buf_adds(out, "<div class=\"chart\">");
    svg_add_bars(out, &c);
    buf_adds(out, "</div>");
    bars_release(&b);
}

/* A rating's distribution: a bar per point of the scale, its count. */
static void add_rating_chart(struct buf *out, const char *title, const json_t *dist)
{
    size_t n = json_array_size(dist);
    const char **labels = xcalloc(n, sizeof(*labels));
    char(*text)[NUM_MAX] = xcalloc(n, sizeof(*text));
    size_t *counts = xcalloc(n, sizeof(*counts));
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(dist, i);
        fmt_num(text[i], num_or_nan(e, "value"));
        labels[i] = text[i];
        counts[i] = get_count(e, "count");
    }
    struct svg_distribution c = { .title = title, .n = n, .labels = labels, .counts = counts };
    buf_adds(out, "<div class=\"chart\">");
    svg_add_distribution(out, &c);
    buf_adds(out, "</div>");
    free(labels);
    free(text);
    free(counts);
}

/* The variants of a rating comparison: means with their intervals, on the scale's axis. */
static void add_variants_chart(struct buf *out, const char *title, const json_t *variants,
                               double max)
{
    size_t n = json_array_size(variants);
    struct svg_variant *v = xcalloc(n, sizeof(*v));
    int decimals = 1;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(variants, i);
        v[i].label = value_label(e, "id", false);
        v[i].mean = num_or_nan(e, "mean");
        v[i].lo = v[i].hi = NAN;
        get_ci(e, "ci", &v[i].lo, &v[i].hi);
        v[i].n = get_count(e, "n");
        if (isfinite(v[i].mean) && decimals_of(v[i].mean) > decimals)
            decimals = decimals_of(v[i].mean);
    }
    struct svg_variants c = {
        .title = title, .n = n, .variants = v, .max = max, .decimals = decimals
    };
    buf_adds(out, "<div class=\"chart\">");
    svg_add_variants(out, &c);
    buf_adds(out, "</div>");
    free(v);
}

/* ---- the frame -------------------------------------------------------------------------- */

static void add_head(struct buf *out, const json_t *test)
{
    buf_adds(out, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; img-src data:\">\n"
                  "<meta name=\"generator\" content=\"Crowdelic\">\n<title>");
    add_member(out, test, "name", "Untitled test");
    buf_adds(out, " \xe2\x80\x94 Crowdelic report</title>\n<style>");
    for (size_t i = 0; i < ARRAY_SIZE(style_sheet); i++)
        buf_adds(out, style_sheet[i]);
    buf_adds(out, "</style>\n</head>\n<body>\n<main>\n");
}

static void add_foot(struct page *p)
{
    const json_t *run = get_obj(p->doc, "run"), *seed = get(run, "seed");
    buf_adds(p->out, "<footer>Crowdelic report");
    if (json_is_integer(seed))
        buf_addf(p->out, " \xc2\xb7 seed %" JSON_INTEGER_FORMAT, json_integer_value(seed));
    buf_adds(p->out, " \xc2\xb7 every figure on this page is a figure of the run&#39;s report"
                     "</footer>\n</main>\n</body>\n</html>\n");
}

/* ---- header ----------------------------------------------------------------------------- */

/* One "<div><dt>label</dt><dd>...</dd></div>" of the header's list, for a string member. */
static void add_meta_str(struct buf *out, const char *label, const json_t *obj, const char *key,
                         bool mono)
{
    const json_t *v = get_jstr(obj, key);
    if (!v)
        return;
    buf_addf(out, "<div><dt>%s</dt><dd%s>", label, mono ? " class=\"mono\"" : "");
    add_jtext(out, v, NULL);
    buf_adds(out, "</dd></div>");
}

static void add_meta_time(struct buf *out, const json_t *run)
{
    const json_t *t = get(run, "finished_at");
    const char *label = "Finished";
    if (!t) {
        t = get(run, "started_at");
        label = "Started";
    }
    if (!is_time(t))
        return;
    buf_addf(out, "<div><dt>%s</dt><dd>", label);
    add_time(out, t);
    buf_adds(out, "</dd></div>");
}

static void add_header(struct page *p, const json_t *test)
{
    struct buf *out = p->out;
    const json_t *run = get_obj(p->doc, "run");
    const char *type = get_str(test, "type");
    buf_adds(out, "<header class=\"card hero\">\n<div class=\"eyebrow\">Crowdelic report</div>\n"
                  "<h1>");
    add_member(out, test, "name", "Untitled test");
    buf_adds(out, "</h1>\n<div>");
    if (type) {
        buf_adds(out, "<span class=\"badge type\">");
        html_add_texts(out, type_words(type));
        buf_adds(out, "</span> ");
    }
    if (json_is_true(get(run, "offline")))
        buf_adds(out, "<span class=\"badge offline\">" OFFLINE_TEXT "</span>");
    buf_adds(out, "</div>\n<dl class=\"meta\">");
    add_meta_str(out, "Run", run, "id", true);
    add_meta_str(out, "Status", run, "status", false);
    add_meta_str(out, "Model", run, "model", false);
    add_meta_time(out, run);
    add_meta_str(out, "Test", test, "id", true);
    buf_adds(out, "</dl>\n</header>\n");
}

/* ---- key figures ------------------------------------------------------------------------ */

/* Opens a figure tile: its label. */
static void open_figure(struct buf *out, const char *label)
{
    buf_addf(out, "<div class=\"figure\"><div class=\"label\">%s</div><div class=\"value\">",
             label);
}

/* A tile of a number member: label, obj[key] and a unit after it (may be ""). */
static void add_figure(struct buf *out, const char *label, const json_t *obj, const char *key,
                       const char *unit)
{
    const json_t *v = get(obj, key);
    if (!json_is_number(v))
        return;
    open_figure(out, label);
    add_jnum(out, v);
    buf_addf(out, "%s</div></div>", unit);
}

static void add_units_figure(struct buf *out, const json_t *units)
{
    if (!json_is_number(get(units, "total")))
        return;
    open_figure(out, "Units");
    add_jnum(out, get(units, "total"));
    buf_adds(out, "</div><div class=\"sub\">");
    if (json_is_number(get(units, "failed"))) {
        add_jnum(out, get(units, "failed"));
        buf_adds(out, " failed");
    }
    if (json_is_number(get(units, "abandoned"))) {
        buf_adds(out, " \xc2\xb7 ");
        add_jnum(out, get(units, "abandoned"));
        buf_adds(out, " abandoned");
    }
    buf_adds(out, "</div></div>");
}

static void add_tokens_figure(struct buf *out, const json_t *run)
{
    double in, outn;
    bool has_in = get_num(run, "tokens_in", &in), has_out = get_num(run, "tokens_out", &outn);
    if (!has_in && !has_out)
        return;
    open_figure(out, "Tokens");
    add_num(out, (has_in ? in : 0) + (has_out ? outn : 0));
    buf_adds(out, "</div><div class=\"sub\">");
    if (has_in) {
        add_jnum(out, get(run, "tokens_in"));
        buf_adds(out, " in");
    }
    if (has_out) {
        buf_adds(out, has_in ? " \xc2\xb7 " : "");
        add_jnum(out, get(run, "tokens_out"));
        buf_adds(out, " out");
    }
    buf_adds(out, "</div></div>");
}

/* Cost in US dollars, as the document has it, with at least two decimals ("$0.50"). */
static void add_cost_figure(struct buf *out, const json_t *run)
{
    double usd;
    char s[NUM_MAX];
    if (!get_num(run, "cost_usd", &usd))
        return;
    fmt_num(s, usd);
    if (decimals_of(usd) < 2 && fabs(usd) < 1e15)
        fmt_fixed(s, usd, 2);
    open_figure(out, "Cost");
    buf_addf(out, "$%s</div></div>", s);
}

static void add_figures(struct page *p)
{
    struct buf *out = p->out;
    const json_t *run = get_obj(p->doc, "run"), *units = get_obj(p->doc, "units");
    size_t start = out->len;
    buf_adds(out, "<section class=\"figures\" id=\"figures\" aria-label=\"Key figures\">\n");
    size_t empty = out->len;
    add_figure(out, "Respondents", p->doc, "respondents", "");
    add_units_figure(out, units);
    add_figure(out, "Model calls", run, "calls", "");
    add_figure(out, "Cache hits", run, "cache_hits", "");
    add_tokens_figure(out, run);
    add_cost_figure(out, run);
    add_figure(out, "Duration", run, "duration_s", " s");
    if (out->len == empty && !out->failed)
        buf_truncate(out, start);
    else
        buf_adds(out, "\n</section>\n");
}

/* ---- insights --------------------------------------------------------------------------- */

/* A sentence of the document: its first letter (a-z) made upper case, escaped. */
static void add_sentence(struct buf *out, const json_t *j)
{
    const char *t = json_string_value(j);
    size_t n = json_string_length(j);
    if (n > 0 && t[0] >= 'a' && t[0] <= 'z') {
        buf_addch(out, (char)(t[0] - 'a' + 'A'));
        t++;
        n--;
    }
    html_add_text(out, t, n);
}

static void add_highlights(struct buf *out, const json_t *highlights)
{
    size_t i;
    const json_t *h;
    buf_adds(out, "<ul>");
    json_array_foreach (highlights, i, h) {
        if (!json_is_string(h))
            continue;
        buf_adds(out, "<li>");
        add_jtext(out, h, NULL);
        buf_adds(out, "</li>");
    }
    buf_adds(out, "</ul>\n");
}

/*
 * The model's summary and highlights, and who wrote them; or, when they
 * were dropped (insights.dropped: why, or true), only a note saying so.
 */
static void add_insights(struct page *p)
{
    struct buf *out = p->out;
    const json_t *ins = get_obj(p->doc, "insights"), *dropped = get(ins, "dropped");
    const json_t *summary = get_jstr(ins, "summary"), *highlights = get_arr(ins, "highlights");
    bool is_dropped = json_is_string(dropped) || json_is_true(dropped);
    if (!is_dropped && !summary && !highlights)
        return;
    buf_adds(out, "<section class=\"card\" id=\"insights\">\n<h2>Insights</h2>\n");
    if (is_dropped) {
        buf_adds(out, "<p class=\"note\"><strong>No written summary.</strong> ");
        if (json_is_string(dropped))
            add_sentence(out, dropped);
        else
            buf_adds(out, "It stated something the figures of this report do not hold.");
        buf_adds(out, "</p>\n</section>\n");
        return;
    }
    if (summary) {
        buf_adds(out, "<p>");
        add_jtext(out, summary, NULL);
        buf_adds(out, "</p>\n");
    }
    if (highlights)
        add_highlights(out, highlights);
    if (get_jstr(ins, "model")) {
        buf_adds(out, "<p class=\"muted\">Written by ");
        add_member(out, ins, "model", NULL);
        buf_adds(out, "; every number in it is a figure of this report.</p>\n");
    }
    buf_adds(out, "</section>\n");
}

/* ---- success criteria ------------------------------------------------------------------- */

/* The criterion's figures: "name = value" for each scalar member. */
static void add_criterion_figures(struct buf *out, const json_t *figures)
{
    const char *key;
    const json_t *v;
    bool first = true;
    json_object_foreach ((json_t *)figures, key, v) {
        if (json_is_object(v) || json_is_array(v))
            continue;
        buf_adds(out, first ? "" : "<br>");
        first = false;
        buf_adds(out, "<span class=\"mono\">");
        html_add_texts(out, key);
        buf_adds(out, "</span> = ");
        if (json_is_number(v))
            add_jnum(out, v);
        else if (json_is_string(v))
            add_jtext(out, v, NULL);
        else
            buf_adds(out, json_is_true(v) ? "true" : json_is_false(v) ? "false" : NA);
    }
}

static void add_criterion(struct buf *out, const json_t *c)
{
    const json_t *passed = get(c, "passed");
    buf_adds(out, "<tr><td>");
    if (json_is_true(passed))
        buf_adds(out, "<span class=\"badge pass\">Passed</span>");
    else if (json_is_false(passed))
        buf_adds(out, "<span class=\"badge fail\">Failed</span>");
    else
        buf_adds(out, "<span class=\"badge undecided\">Undecided</span>");
    buf_adds(out, "</td><td class=\"mono\">");
    add_member(out, c, "text", "");
    if (get_jstr(c, "error")) {
        buf_adds(out, "<div class=\"err\">");
        add_member(out, c, "error", NULL);
        buf_adds(out, "</div>");
    }
    buf_adds(out, "</td><td>");
    if (get_obj(c, "figures"))
        add_criterion_figures(out, get_obj(c, "figures"));
    buf_adds(out, "</td></tr>\n");
}

static void add_criteria(struct page *p)
{
    const json_t *criteria = get_arr(p->doc, "criteria"), *c;
    size_t i;
    if (!criteria)
        return;
    buf_adds(p->out, "<section class=\"card\" id=\"criteria\">\n<h2>Success criteria</h2>\n"
                     "<table><thead><tr><th>Result</th><th>Criterion</th><th>Figures</th></tr>"
                     "</thead><tbody>\n");
    json_array_foreach (criteria, i, c)
        if (json_is_object(c))
            add_criterion(p->out, c);
    buf_adds(p->out, "</tbody></table>\n</section>\n");
}

/* ---- winner and comparisons --------------------------------------------------------------- */

/* The title of a comparison or a question: its prompt, else its id. */
static const char *prompt_of(const struct page *p, const char *question_id)
{
    const char *prompt = get_str(question(p, question_id), "prompt");
    return prompt ? prompt : question_id ? question_id : "Question";
}

/* The title of a scenario: its title, else its id (NULL when unknown). */
static const char *scenario_title(const struct page *p, const char *scenario_id)
{
    const char *title = get_str(find_id(p->scenarios, scenario_id), "title");
    return title ? title : scenario_id;
}

/* The first comparison won by the variant winner (what decided the report's winner). */
static const json_t *winning_comparison(const struct page *p, const char *winner)
{
    size_t i;
    const json_t *c;
    json_array_foreach (p->comparisons, i, c) {
        const char *w = get_str(c, "winner");
        if (w && strcmp(w, winner) == 0)
            return c;
    }
    return NULL;
}

static void add_winner(struct page *p)
{
    struct buf *out = p->out;
    const json_t *winner = get_jstr(p->doc, "winner");
    if (!winner) {
        buf_adds(out, "<div class=\"winner nowinner\"><span class=\"eyebrow\">Winner</span>"
                      "<span>None: no difference between the variants is significant.</span>"
                      "</div>\n");
        return;
    }
    const json_t *c = winning_comparison(p, json_string_value(winner));
    buf_adds(out, "<div class=\"winner\"><span class=\"eyebrow\">Winner</span><strong>");
    add_jtext(out, winner, NULL);
    buf_adds(out, "</strong>");
    if (c) {
        buf_adds(out, "<span>significantly ahead on \xe2\x80\x9c");
        html_add_texts(out, prompt_of(p, get_str(c, "question")));
        buf_adds(out, "\xe2\x80\x9d (p = ");
        add_jnum(out, get(c, "p"));
        buf_adds(out, ")</span>");
    }
    buf_adds(out, "</div>\n");
}

static const char *test_words(const char *test)
{
    if (test && strcmp(test, "permutation") == 0)
        return "Permutation test of the difference in means";
    if (test && strcmp(test, "chi_square") == 0)
        return "Chi-square test of independence";
    return test;
}

static const char *effect_words(const char *name)
{
    if (name && strcmp(name, "cohens_d") == 0)
        return "Cohen&#39;s d";
    if (name && strcmp(name, "cramers_v") == 0)
        return "Cram\xc3\xa9r&#39;s V";
    return NULL;
}

/* "label = value" of obj[key], with a leading separator; nothing when it is not a number. */
static void add_stat_figure(struct buf *out, const char *label, const json_t *obj, const char *key)
{
    if (!json_is_number(get(obj, key)))
        return;
    buf_addf(out, ", %s = ", label);
    add_jnum(out, get(obj, key));
}

/* The tests' figures of a comparison, in words. */
static void add_comparison_tests(struct buf *out, const json_t *c)
{
    const char *test = get_str(c, "test");
    const json_t *effect = get_obj(c, "effect"), *welch = get_obj(c, "welch");
    const json_t *mw = get_obj(c, "mann_whitney");
    buf_adds(out, "<p>");
    if (test) {
        html_add_texts(out, test_words(test));
        buf_adds(out, ": statistic = ");
        add_jnum(out, get(c, "statistic"));
        add_stat_figure(out, "p", c, "p");
    }
    const char *effect_name = effect_words(get_str(effect, "name"));
    if (effect_name || get_str(effect, "name")) {
        buf_adds(out, test ? "; effect size " : "Effect size ");
        if (effect_name)
            buf_adds(out, effect_name);
        else
            html_add_texts(out, get_str(effect, "name"));
        buf_adds(out, " = ");
        add_jnum(out, get(effect, "value"));
    }
    buf_adds(out, ".");
    if (welch) {
        buf_adds(out, " Welch&#39;s t = ");
        add_jnum(out, get(welch, "t"));
        add_stat_figure(out, "df", welch, "df");
        add_stat_figure(out, "p", welch, "p");
        buf_adds(out, ".");
    }
    if (mw) {
        buf_adds(out, " Mann\xe2\x80\x93Whitney U = ");
        add_jnum(out, get(mw, "u"));
        add_stat_figure(out, "p", mw, "p");
        add_stat_figure(out, "rank-biserial r", mw, "rank_biserial");
        buf_adds(out, ".");
    }
    buf_adds(out, "</p>\n");
}

/* "Significant" or "not significant", in words, and the best variant. */
static void add_comparison_verdict(struct buf *out, const json_t *c)
{
    char alpha[NUM_MAX];
    fmt_num(alpha, REPORT_ALPHA);
    buf_adds(out, "<p>");
    if (json_is_true(get(c, "significant")))
        buf_addf(out,
                 "<span class=\"badge sig\">significant</span> The difference is "
                 "significant (p &lt; %s)",
                 alpha);
    else
        buf_addf(out,
                 "<span class=\"badge nsig\">not significant</span> The difference is not "
                 "significant at p &lt; %s",
                 alpha);
    if (get_jstr(c, "best")) {
        buf_adds(out, "; best: <strong>");
        add_member(out, c, "best", NULL);
        buf_adds(out, "</strong>");
    }
    if (get_jstr(c, "runner_up")) {
        buf_adds(out, ", runner-up: ");
        add_member(out, c, "runner_up", NULL);
    }
    if (get_jstr(c, "winner")) {
        buf_adds(out, "; winner: <strong>");
        add_member(out, c, "winner", NULL);
        buf_adds(out, "</strong>");
    }
    buf_adds(out, ".</p>\n");
}

/* What the comparison's chart shows, in words (the share of which answer). */
static void add_comparison_caption(struct page *p, const json_t *c, const char *qid)
{
    struct buf *out = p->out;
    const json_t *first = json_array_get(get_arr(question(p, qid), "distribution"), 0);
    buf_adds(out, "<p class=\"muted\">");
    if (kind_is(c, "rating")) {
        buf_adds(out, "Mean by variant, with its 95% confidence interval");
    } else if (kind_is(c, "yes_no")) {
        buf_adds(out, "Share answering \xe2\x80\x9cyes\xe2\x80\x9d by variant, with its 95% "
                      "Wilson interval");
    } else {
        buf_adds(out, "Share choosing ");
        if (get_jstr(first, "value")) {
            buf_adds(out, "\xe2\x80\x9c");
            add_member(out, first, "value", NULL);
            buf_adds(out, "\xe2\x80\x9d");
        } else {
            buf_adds(out, "the first option");
        }
        buf_adds(out, " by variant, with its 95% Wilson interval");
    }
    buf_adds(out, "</p>\n");
}

static void add_comparison(struct page *p, const json_t *c)
{
    struct buf *out = p->out;
    const char *qid = get_str(c, "question"), *title = prompt_of(p, qid);
    const char *scenario = scenario_title(p, get_str(c, "scenario"));
    const json_t *variants = get_arr(c, "variants"), *scale = get_obj(question(p, qid), "scale");
    buf_adds(out, "<div class=\"block\">\n<div class=\"eyebrow\">");
    if (scenario) {
        html_add_texts(out, scenario);
        buf_adds(out, " \xc2\xb7 ");
    }
    html_add_texts(out, kind_words(get_str(c, "kind")));
    buf_adds(out, "</div>\n<h3>");
    html_add_texts(out, title);
    buf_adds(out, "</h3>\n");
    if (variants)
        add_comparison_caption(p, c, qid);
    if (variants && kind_is(c, "rating"))
        add_variants_chart(out, title, variants, num_or_nan(scale, "max"));
    else if (variants)
        add_share_chart(out, title, variants, "id", "n", false);
    add_comparison_tests(out, c);
    add_comparison_verdict(out, c);
    buf_adds(out, "</div>\n");
}

static void add_comparisons(struct page *p)
{
    size_t i;
    const json_t *c;
    if (!p->comparisons && !get_jstr(p->doc, "winner"))
        return;
    buf_adds(p->out, "<section class=\"card long\" id=\"variants\">\n<h2>Variants</h2>\n");
    add_winner(p);
    json_array_foreach (p->comparisons, i, c)
        if (json_is_object(c))
            add_comparison(p, c);
    buf_adds(p->out, "</section>\n");
}

/* ---- results by question ------------------------------------------------------------------ */

/* Opens one "<div><dt>label</dt><dd>" of a stat's figures. */
static void open_stat(struct buf *out, const char *label)
{
    buf_addf(out, "<div><dt>%s</dt><dd>", label);
}

/* A figure of the list: obj[key] as a number, the interval of obj[ci_key] after it. */
static void add_stat_num(struct buf *out, const char *label, const json_t *obj, const char *key,
                         const char *ci_key)
{
    if (!json_is_number(get(obj, key)))
        return;
    open_stat(out, label);
    add_jnum(out, get(obj, key));
    if (ci_key) {
        buf_adds(out, "<span>");
        add_ci(out, obj, ci_key, false);
        buf_adds(out, "</span>");
    }
    buf_adds(out, "</dd></div>");
}

static void add_rating(struct buf *out, const json_t *s, const char *title)
{
    const json_t *top2 = get_obj(s, "top2_box"), *dist = get_arr(s, "distribution");
    buf_adds(out, "<dl class=\"stats\">");
    add_stat_num(out, "Mean [95% CI]", s, "mean", "ci");
    add_stat_num(out, "SD", s, "sd", NULL);
    add_stat_num(out, "Median", s, "median", NULL);
    if (json_is_number(get(s, "min")) && json_is_number(get(s, "max"))) {
        open_stat(out, "Range");
        add_jnum(out, get(s, "min"));
        buf_adds(out, EN_DASH);
        add_jnum(out, get(s, "max"));
        buf_adds(out, "</dd></div>");
    }
    if (json_is_number(get(top2, "share"))) {
        open_stat(out, "Top-two-box");
        add_pct(out, num_or_nan(top2, "share"));
        buf_adds(out, "<span>");
        add_ci(out, top2, "ci", true);
        buf_adds(out, "</span></dd></div>");
    }
    buf_adds(out, "</dl>\n");
    if (dist)
        add_rating_chart(out, title, dist);
}

/* A ranking: first places as bars, and the mean rank of each option. */
static void add_ranking(struct buf *out, const json_t *s, const char *title)
{
    const json_t *dist = get_arr(s, "distribution"), *ranks = get_arr(s, "mean_rank"), *r;
    size_t i;
    if (dist) {
        buf_adds(out, "<div class=\"eyebrow\">First places</div>");
        add_share_chart(out, title, dist, "value", "count", false);
    }
    if (!ranks)
        return;
    buf_adds(out, "<table class=\"narrow\"><thead><tr><th>Option</th><th class=\"num\">Mean rank "
                  "(1 = first)"
                  "</th></tr></thead><tbody>");
    json_array_foreach (ranks, i, r) {
        buf_adds(out, "<tr><td>");
        add_member(out, r, "value", "");
        buf_adds(out, "</td><td class=\"num\">");
        add_jnum(out, get(r, "mean"));
        buf_adds(out, "</td></tr>");
    }
    buf_adds(out, "</tbody></table>\n");
}

/* Quotes: the strings of arr, each a blockquote. */
static void add_quotes(struct buf *out, const json_t *arr)
{
    size_t i;
    const json_t *q;
    if (!arr)
        return;
    buf_adds(out, "<ul class=\"quotes\">");
    json_array_foreach (arr, i, q) {
        if (!json_is_string(q))
            continue;
        buf_adds(out, "<li><blockquote>");
        add_jtext(out, q, NULL);
        buf_adds(out, "</blockquote></li>");
    }
    buf_adds(out, "</ul>\n");
}

/* "Q1 · Rating 1–10 · n = 40" above a question's prompt. */
static void add_question_eyebrow(struct buf *out, const json_t *s)
{
    const json_t *scale = get_obj(s, "scale");
    buf_adds(out, "<div class=\"eyebrow\">");
    if (get_jstr(s, "id")) {
        add_member(out, s, "id", NULL);
        buf_adds(out, " \xc2\xb7 ");
    }
    html_add_texts(out, kind_words(get_str(s, "kind")));
    if (json_is_number(get(scale, "min")) && json_is_number(get(scale, "max"))) {
        buf_adds(out, " ");
        add_jnum(out, get(scale, "min"));
        buf_adds(out, EN_DASH);
        add_jnum(out, get(scale, "max"));
    }
    if (json_is_number(get(s, "n"))) {
        buf_adds(out, " \xc2\xb7 n = ");
        add_jnum(out, get(s, "n"));
    }
    buf_adds(out, "</div>\n");
}

static void add_question(struct buf *out, const json_t *s)
{
    const char *title = get_str(s, "prompt");
    const json_t *dist = get_arr(s, "distribution");
    buf_adds(out, "<article class=\"card\">\n");
    add_question_eyebrow(out, s);
    buf_adds(out, "<h2>");
    add_member(out, s, "prompt", get_str(s, "id"));
    buf_adds(out, "</h2>\n");
    if (kind_is(s, "rating"))
        add_rating(out, s, title);
    else if (kind_is(s, "yes_no") && dist)
        add_share_chart(out, title, dist, "value", "count", true);
    else if (kind_is(s, "choice") && dist)
        add_share_chart(out, title, dist, "value", "count", false);
    else if (kind_is(s, "ranking"))
        add_ranking(out, s, title);
    else if (kind_is(s, "text"))
        add_quotes(out, get_arr(s, "quotes"));
    buf_adds(out, "</article>\n");
}

static void add_questions(struct page *p)
{
    size_t i;
    const json_t *s;
    if (!p->questions)
        return;
    buf_adds(p->out, "<section id=\"questions\">\n<h2 class=\"group\">Results by question</h2>\n");
    json_array_foreach (p->questions, i, s)
        if (json_is_object(s))
            add_question(p->out, s);
    buf_adds(p->out, "</section>\n");
}

/* ---- by scenario and slot --------------------------------------------------------------- */

/* The entry of a distribution with the largest share (the first of equals), or NULL. */
static const json_t *top_entry(const json_t *dist)
{
    const json_t *best = NULL, *e;
    double best_share = -1, share;
    size_t i;
    json_array_foreach (dist, i, e) {
        if (get_num(e, "share", &share) && share > best_share) {
            best = e;
            best_share = share;
        }
    }
    return best;
}

/* A stat in one cell: a rating's mean [CI], yes_no's share of yes, else the top answer. */
static void add_stat_summary(struct buf *out, const json_t *s)
{
    const json_t *dist = get_arr(s, "distribution"), *top;
    if (kind_is(s, "rating") && json_is_number(get(s, "mean"))) {
        buf_adds(out, "mean ");
        add_jnum(out, get(s, "mean"));
        add_ci(out, s, "ci", false);
    } else if (kind_is(s, "yes_no")) {
        const json_t *yes = NULL, *e;
        size_t i;
        json_array_foreach (dist, i, e)
            if (strcmp(value_label(e, "value", false), "yes") == 0)
                yes = e;
        if (!yes)
            return;
        buf_adds(out, "yes ");
        add_pct(out, num_or_nan(yes, "share"));
        add_ci(out, yes, "ci", true);
    } else if (kind_is(s, "text")) {
        buf_addf(out, "%zu quote%s", json_array_size(get_arr(s, "quotes")),
                 json_array_size(get_arr(s, "quotes")) == 1 ? "" : "s");
    } else if ((top = top_entry(dist)) != NULL) {
        buf_adds(out, kind_is(s, "ranking") ? "first: " : "");
        add_member(out, top, "value", "");
        buf_adds(out, " ");
        add_pct(out, num_or_nan(top, "share"));
    }
}

/*
 * A slot's caption: the scenario's title, then the variant, the slot's key
 * when it says more than the scenario's id, and n.
 */
static void add_slot_caption(struct buf *out, const json_t *sc, const json_t *slot)
{
    const char *key = get_str(slot, "key"), *id = get_str(sc, "id");
    buf_adds(out, "<caption>");
    add_member(out, sc, "title", id ? id : "Scenario");
    buf_adds(out, "<br><span class=\"muted\">");
    if (get_jstr(slot, "variant")) {
        buf_adds(out, "variant ");
        add_member(out, slot, "variant", NULL);
        buf_adds(out, " \xc2\xb7 ");
    }
    if (key && (!id || strcmp(key, id) != 0)) {
        add_member(out, slot, "key", NULL);
        buf_adds(out, " \xc2\xb7 ");
    }
    buf_adds(out, "n = ");
    add_jnum(out, get(slot, "n"));
    buf_adds(out, "</span></caption>\n");
}

/* A slot's table: a row per question, its n and its result in short. */
static void add_slot(struct page *p, const json_t *sc, const json_t *slot)
{
    struct buf *out = p->out;
    const json_t *stats = get_arr(slot, "questions"), *s;
    size_t i;
    buf_adds(out, "<table>");
    add_slot_caption(out, sc, slot);
    buf_adds(out, "<thead><tr><th>Question</th><th class=\"num\">n</th><th>Result</th></tr>"
                  "</thead><tbody>");
    json_array_foreach (stats, i, s) {
        buf_adds(out, "<tr><td>");
        add_cut(out, prompt_of(p, get_str(s, "id")), HEAD_CHARS);
        buf_adds(out, "</td><td class=\"num\">");
        add_jnum(out, get(s, "n"));
        buf_adds(out, "</td><td>");
        add_stat_summary(out, s);
        buf_adds(out, "</td></tr>");
    }
    buf_adds(out, "</tbody></table>\n");
}

static size_t count_slots(const json_t *scenarios)
{
    size_t i, n = 0;
    const json_t *sc;
    json_array_foreach (scenarios, i, sc)
        n += json_array_size(get_arr(sc, "slots"));
    return n;
}

/*
 * A table per slot of every scenario, side by side in a grid; only when
 * there is more than one slot (one would repeat the results by question).
 */
static void add_scenarios(struct page *p)
{
    struct buf *out = p->out;
    size_t i, j;
    const json_t *sc, *slot;
    if (count_slots(p->scenarios) < 2)
        return;
    buf_adds(out, "<section class=\"card\" id=\"scenarios\">\n<h2>By scenario</h2>\n"
                  "<div class=\"grid2\">\n");
    json_array_foreach (p->scenarios, i, sc)
        json_array_foreach (get_arr(sc, "slots"), j, slot)
            add_slot(p, sc, slot);
    buf_adds(out, "</div>\n</section>\n");
}

/* ---- segments --------------------------------------------------------------------------- */

/* The question ids of a dimension's groups, in the order they first appear (a JSON array). */
static json_t *segment_columns(const json_t *groups)
{
    json_t *ids = json_array();
    size_t i, j;
    const json_t *g, *s;
    json_array_foreach (groups, i, g) {
        json_array_foreach (get_arr(g, "questions"), j, s) {
            const char *id = get_str(s, "id");
            bool seen = false;
            for (size_t k = 0; id && k < json_array_size(ids); k++)
                seen |= strcmp(json_string_value(json_array_get(ids, k)), id) == 0;
            if (id && !seen)
                json_array_append_new(ids, json_string(id));
        }
    }
    return ids;
}

/* A short stat in a cell: mean [CI] of a rating, else the share [CI]; with its n. */
static void add_short_stat(struct buf *out, const json_t *s)
{
    if (!s)
        return;
    if (json_is_number(get(s, "mean"))) {
        add_jnum(out, get(s, "mean"));
        add_ci(out, s, "ci", false);
    } else if (json_is_number(get(s, "share"))) {
        add_pct(out, num_or_nan(s, "share"));
        add_ci(out, s, "ci", true);
    }
    if (json_is_number(get(s, "n"))) {
        buf_adds(out, " <span class=\"muted\">n=");
        add_jnum(out, get(s, "n"));
        buf_adds(out, "</span>");
    }
}

static void add_segment_row(struct buf *out, const json_t *g, const json_t *columns)
{
    bool small = json_is_true(get(g, "too_small"));
    buf_adds(out, small ? "<tr class=\"small\"><td>" : "<tr><td>");
    add_member(out, g, "value", "");
    if (small)
        buf_addf(out, "<span class=\"tag\">fewer than %d people</span>", REPORT_SMALL_SEGMENT);
    buf_adds(out, "</td><td class=\"num\">");
    add_jnum(out, get(g, "n"));
    buf_adds(out, "</td>");
    for (size_t k = 0; k < json_array_size(columns); k++) {
        const char *id = json_string_value(json_array_get(columns, k));
        buf_adds(out, "<td class=\"num\">");
        add_short_stat(out, find_id(get_arr(g, "questions"), id));
        buf_adds(out, "</td>");
    }
    buf_adds(out, "</tr>\n");
}

static void add_dimension(struct page *p, const json_t *dim)
{
    struct buf *out = p->out;
    const json_t *groups = get_arr(dim, "groups"), *g;
    size_t i;
    if (!groups)
        return;
    json_t *columns = segment_columns(groups);
    buf_adds(out, "<div class=\"block\">\n<h3>");
    add_member(out, dim, "label", get_str(dim, "dimension") ? get_str(dim, "dimension") : "");
    buf_adds(out, "</h3>\n<table><thead><tr><th>Group</th><th class=\"num\">n</th>");
    for (size_t k = 0; k < json_array_size(columns); k++) {
        buf_adds(out, "<th class=\"num\">");
        add_cut(out, prompt_of(p, json_string_value(json_array_get(columns, k))), HEAD_CHARS);
        buf_adds(out, "</th>");
    }
    buf_adds(out, "</tr></thead><tbody>\n");
    json_array_foreach (groups, i, g)
        if (json_is_object(g))
            add_segment_row(out, g, columns);
    buf_adds(out, "</tbody></table>\n</div>\n");
    json_decref(columns);
}

static void add_segments(struct page *p)
{
    const json_t *segments = get_arr(p->doc, "segments"), *dim;
    size_t i;
    if (!segments && get_jstr(p->doc, "segments_locked")) {
        buf_adds(p->out, "<section class=\"card\" id=\"segments\">\n<h2>Segments</h2>\n"
                         "<p class=\"muted\">Segment breakdowns are not part of this plan "
                         "(they need the feature \xe2\x80\x9c");
        add_member(p->out, p->doc, "segments_locked", NULL);
        buf_adds(p->out, "\xe2\x80\x9d).</p>\n</section>\n");
        return;
    }
    if (!segments)
        return;
    buf_adds(p->out, "<section class=\"card long\" id=\"segments\">\n<h2>Segments</h2>\n");
    json_array_foreach (segments, i, dim)
        add_dimension(p, dim);
    buf_adds(p->out, "</section>\n");
}

/* ---- funnel ----------------------------------------------------------------------------- */

/* The name of a funnel step: its title, else its id. */
static const char *step_name(const json_t *step)
{
    const char *t = get_str(step, "title");
    return t ? t : get_str(step, "id") ? get_str(step, "id") : "";
}

static void add_funnel_chart(struct buf *out, const json_t *steps)
{
    size_t n = json_array_size(steps);
    const char **labels = xcalloc(n, sizeof(*labels));
    size_t *counts = xcalloc(n, sizeof(*counts));
    for (size_t i = 0; i < n; i++) {
        labels[i] = step_name(json_array_get(steps, i));
        counts[i] = get_count(json_array_get(steps, i), "reached");
    }
    struct svg_funnel c = { .title = "Journey funnel", .n = n, .labels = labels, .counts = counts };
    buf_adds(out, "<div class=\"chart\">");
    svg_add_funnel(out, &c);
    buf_adds(out, "</div>\n");
    free(labels);
    free(counts);
}

/* A cell of a count (or of a share, as a percentage). */
static void add_cell(struct buf *out, const json_t *obj, const char *key, bool pct)
{
    buf_adds(out, "<td class=\"num\">");
    if (pct && json_is_number(get(obj, key)))
        add_pct(out, num_or_nan(obj, key));
    else if (json_is_number(get(obj, key)))
        add_jnum(out, get(obj, key));
    buf_adds(out, "</td>");
}

static void add_funnel_table(struct buf *out, const json_t *steps)
{
    size_t i;
    const json_t *st;
    buf_adds(out, "<table><thead><tr><th>Step</th><th class=\"num\">Reached</th>"
                  "<th class=\"num\">Continued</th><th class=\"num\">Abandoned</th>"
                  "<th class=\"num\">Failed</th><th class=\"num\">Drop-off</th></tr></thead>"
                  "<tbody>\n");
    json_array_foreach (steps, i, st) {
        buf_adds(out, "<tr><td>");
        html_add_texts(out, step_name(st));
        buf_adds(out, "</td>");
        add_cell(out, st, "reached", false);
        add_cell(out, st, "continued", false);
        add_cell(out, st, "abandoned", false);
        add_cell(out, st, "failed", false);
        add_cell(out, st, "drop_off", true);
        buf_adds(out, "</tr>\n");
    }
    buf_adds(out, "</tbody></table>\n");
}

static void add_reasons(struct buf *out, const json_t *steps)
{
    size_t i, j;
    const json_t *st, *r;
    json_array_foreach (steps, i, st) {
        const json_t *reasons = get_arr(st, "reasons");
        if (!reasons)
            continue;
        buf_adds(out, "<h3>Why they left at \xe2\x80\x9c");
        html_add_texts(out, step_name(st));
        buf_adds(out, "\xe2\x80\x9d</h3>\n<ul>");
        json_array_foreach (reasons, j, r) {
            buf_adds(out, "<li>");
            add_member(out, r, "text", "");
            if (json_is_number(get(r, "count"))) {
                buf_adds(out, " <span class=\"count\">(");
                add_jnum(out, get(r, "count"));
                buf_adds(out, ")</span>");
            }
            buf_adds(out, "</li>");
        }
        buf_adds(out, "</ul>\n");
    }
}

static void add_funnel(struct page *p)
{
    const json_t *steps = get_arr(get_obj(p->doc, "funnel"), "steps");
    if (!steps)
        return;
    buf_adds(p->out, "<section class=\"card\" id=\"funnel\">\n<h2>Journey funnel</h2>\n");
    add_funnel_chart(p->out, steps);
    add_funnel_table(p->out, steps);
    add_reasons(p->out, steps);
    buf_adds(p->out, "</section>\n");
}

/* ---- themes ----------------------------------------------------------------------------- */

static void add_theme_list(struct buf *out, const json_t *themes, const char *sentiment,
                           const char *title)
{
    const json_t *list = get_arr(themes, sentiment), *t;
    size_t i;
    if (!list)
        return;
    buf_addf(out, "<div><h3><span class=\"dot %s\"></span>%s</h3>\n", sentiment, title);
    json_array_foreach (list, i, t) {
        buf_adds(out, "<div class=\"theme\"><div class=\"theme-head\"><span>");
        add_member(out, t, "name", "");
        buf_adds(out, "</span><span class=\"count\">");
        if (json_is_number(get(t, "count")))
            add_jnum(out, get(t, "count"));
        buf_adds(out, "</span></div>");
        add_quotes(out, get_arr(t, "quotes"));
        buf_adds(out, "</div>\n");
    }
    buf_adds(out, "</div>\n");
}

static void add_themes(struct page *p)
{
    const json_t *themes = get_obj(p->doc, "themes"), *error = get_jstr(p->doc, "themes_error");
    bool any =
        get_arr(themes, "positive") || get_arr(themes, "negative") || get_arr(themes, "neutral");
    if (!any && !error)
        return;
    buf_adds(p->out, "<section class=\"card\" id=\"themes\">\n<h2>Themes</h2>\n");
    if (error) {
        buf_adds(p->out, "<p class=\"note\"><strong>Themes could not be found.</strong> ");
        add_sentence(p->out, error);
        buf_adds(p->out, "</p>\n");
    }
    if (any) {
        buf_adds(p->out, "<div class=\"themes\">\n");
        add_theme_list(p->out, themes, "positive", "Positive");
        add_theme_list(p->out, themes, "negative", "Negative");
        add_theme_list(p->out, themes, "neutral", "Neutral");
        buf_adds(p->out, "</div>\n");
    }
    buf_adds(p->out, "</section>\n");
}

/* ---- a focus group's discussion ------------------------------------------------------------- */

static void add_transcript(struct page *p)
{
    const json_t *lines = get_arr(p->doc, "transcript"), *l;
    size_t i;
    if (!lines || !json_array_size(lines))
        return;
    buf_adds(p->out, "<section class=\"card\" id=\"transcript\">\n<h2>Discussion</h2>\n");
    const char *scenario = NULL;
    json_int_t round = -1;
    json_array_foreach (lines, i, l) {
        const char *sc = json_string_value(get(l, "scenario"));
        const json_t *r = get(l, "round");
        json_int_t rn = json_is_integer(r) ? json_integer_value(r) : 0;
        if (sc && (!scenario || strcmp(sc, scenario) != 0 || rn != round)) {
            buf_adds(p->out, "<h3>");
            add_cut(p->out, sc, 60);
            if (rn > 0)
                buf_addf(p->out, " · round %lld", (long long)rn);
            buf_adds(p->out, "</h3>\n");
            scenario = sc;
            round = rn;
        }
        const char *who = json_string_value(get(l, "speaker"));
        bool moderator = who && strcmp(who, "Moderator") == 0;
        buf_adds(p->out, moderator ? "<p class=\"line moderator\"><span class=\"who\">"
                                   : "<p class=\"line\"><span class=\"who\">");
        add_member(p->out, l, "speaker", "Someone");
        buf_adds(p->out, "</span>");
        add_member(p->out, l, "text", "");
        buf_adds(p->out, "</p>\n");
    }
    buf_adds(p->out, "</section>\n");
}

/* ---- the page ----------------------------------------------------------------------------- */

static void add_page(struct page *p, const json_t *test)
{
    add_head(p->out, test);
    add_header(p, test);
    add_figures(p);
    add_insights(p);
    add_criteria(p);
    add_comparisons(p);
    add_questions(p);
    add_scenarios(p);
    add_segments(p);
    add_funnel(p);
    add_themes(p);
    add_transcript(p);
    add_foot(p);
}

enum err_code report_html(const char *report_json, size_t len, struct buf *out, struct err *err)
{
    json_t *doc = NULL;
    size_t start = out->len;
    enum err_code rc = jsonio_parse(report_json, len, &doc, err);
    if (rc != ERR_OK) {
        err_prefix(err, "report");
        return rc;
    }
    const json_t *test = get_obj(doc, "test");
    if (!json_is_object(doc))
        rc = err_set(err, ERR_INVALID, NULL, "report: the document is %s, not an object",
                     jsonio_kind(doc));
    else if (!test)
        rc = err_set(err, ERR_INVALID, "test", "report: \"test\" is %s, not an object",
                     jsonio_kind(json_object_get(doc, "test")));
    if (rc == ERR_OK) {
        struct page p = {
            .out = out,
            .doc = doc,
            .questions = get_arr(doc, "questions"),
            .scenarios = get_arr(doc, "scenarios"),
            .comparisons = get_arr(doc, "comparisons"),
        };
        add_page(&p, test);
        if (out->failed)
            rc = err_set(err, ERR_TOO_LARGE, NULL,
                         "report: the HTML page is larger than its maximum (%zu bytes)", out->max);
    }
    if (rc != ERR_OK)
        buf_truncate(out, start);
    json_decref(doc);
    return rc;
}
