/*
 * report/grounding.c - numbers of a text checked against a report's
 * (report/grounding.h).
 */
#include "core/compat.h"

#include "report/grounding.h"

#include <ctype.h>
#include <math.h>

#include <jansson.h>

#include "core/xalloc.h"

struct numbers {
    double *v;
    size_t n, alloc;
};

static void add(struct numbers *ns, double v)
{
    if (!isfinite(v))
        return;
    ALLOC_GROW(ns->v, ns->n + 1, ns->alloc);
    ns->v[ns->n++] = fabs(v);
}

/*
 * The next number of s from *pos on: its value and decimals, and where it
 * is (start, len). False when there is none left.
 */
static bool next_number(const char *s, size_t *pos, double *value, int *decimals, size_t *start,
                        size_t *len)
{
    size_t i = *pos;
    while (s[i] && !isdigit((unsigned char)s[i]))
        i++;
    if (!s[i])
        return false;
    /* a digit glued to letters ("B2", "mp3") is a name, not a figure */
    bool named = i > 0 && isalpha((unsigned char)s[i - 1]);
    char digits[64];
    size_t nd = 0, j = i;
    int dec = -1;
    while (s[j] && nd + 1 < sizeof(digits)) {
        if (isdigit((unsigned char)s[j])) {
            digits[nd++] = s[j];
            if (dec >= 0)
                dec++;
            j++;
        } else if ((s[j] == ',' || s[j] == ' ') && dec < 0 && isdigit((unsigned char)s[j + 1]) &&
                   isdigit((unsigned char)s[j + 2]) && isdigit((unsigned char)s[j + 3]) &&
                   !isdigit((unsigned char)s[j + 4])) {
            j++; /* a thousands separator */
        } else if (s[j] == '.' && dec < 0 && isdigit((unsigned char)s[j + 1])) {
            digits[nd++] = '.';
            dec = 0;
            j++;
        } else {
            break;
        }
    }
    digits[nd] = '\0';
    *pos = j;
    if (named)
        return next_number(s, pos, value, decimals, start, len);
    *value = strtod(digits, NULL);
    *decimals = dec < 0 ? 0 : dec;
    *start = i;
    *len = j - i;
    return true;
}

static void collect(const json_t *v, struct numbers *ns, int depth)
{
    if (depth > 64)
        return;
    if (json_is_number(v)) {
        add(ns, json_number_value(v));
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t pos = 0, start, len;
        double x;
        int d;
        while (next_number(s, &pos, &x, &d, &start, &len))
            add(ns, x);
    } else if (json_is_array(v)) {
        size_t i;
        const json_t *it;
        json_array_foreach (v, i, it)
            collect(it, ns, depth + 1);
    } else if (json_is_object(v)) {
        const char *k;
        const json_t *it;
        json_object_foreach ((json_t *)v, k, it)
            collect(it, ns, depth + 1);
    }
}

/* Whether x shows as want at d decimals. */
static bool shows_as(double x, double want, int d)
{
    double f = pow(10, d);
    return fabs(round(x * f) - round(want * f)) < 0.5;
}

static bool grounded(const struct numbers *ns, double want, int d)
{
    for (size_t i = 0; i < ns->n; i++)
        if (shows_as(ns->v[i], want, d) || (ns->v[i] <= 1 && shows_as(ns->v[i] * 100, want, d)))
            return true;
    return false;
}

bool report_grounded(const char *report_json, size_t len, const char *text, char *bad,
                     size_t bad_size)
{
    if (bad_size)
        bad[0] = '\0';
    json_t *doc = json_loadb(report_json, len, 0, NULL);
    struct numbers ns = { 0 };
    if (doc)
        collect(doc, &ns, 0);
    json_decref(doc);
    bool ok = true;
    size_t pos = 0, start, n;
    double x;
    int d;
    while (ok && text && next_number(text, &pos, &x, &d, &start, &n)) {
        ok = grounded(&ns, x, d);
        if (!ok && bad_size)
            snprintf(bad, bad_size, "%.*s", (int)n, text + start);
    }
    free(ns.v);
    return ok;
}
