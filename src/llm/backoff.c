/*
 * llm/backoff.c - exponential backoff with full jitter, drawn from the
 * xorshift64* state in struct backoff, and a locale-free parser for the
 * Retry-After header (delay-seconds and the three HTTP-date forms of RFC
 * 9110 section 5.6.7). Pure functions of their arguments; reentrant.
 */
#include "core/compat.h"

#include "llm/backoff.h"

/* Retry-After values are capped at 24 hours, as delay-seconds or as a date. */
#define RETRY_AFTER_MAX_MS INT64_C(86400000)

/* Replaces a zero seed: xorshift never leaves the all-zero state. */
#define RNG_ZERO_SEED UINT64_C(0x9E3779B97F4A7C15)

/* ---- backoff ---------------------------------------------------------------- */

int64_t backoff_cap_ms(const struct backoff *b, int attempt)
{
    assert(b != NULL);
    if (b->base_ms <= 0 || b->max_ms <= 0)
        return 0;
    int64_t cap = b->base_ms;
    /* at most 62 doublings before cap >= max_ms, so attempt 100 or INT_MAX is cheap */
    for (int i = 1; i < attempt && cap < b->max_ms; i++) {
        if (cap > INT64_MAX / 2) {
            cap = INT64_MAX;
            break;
        }
        cap *= 2;
    }
    return cap < b->max_ms ? cap : b->max_ms;
}

/* xorshift64* (Vigna 2016): the next 64 random bits; advances *state. */
static uint64_t rng_next(uint64_t *state)
{
    uint64_t x = *state != 0 ? *state : RNG_ZERO_SEED;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

/* Uniform in [0, hi] (hi >= 0), without modulo bias. */
static int64_t rng_upto(uint64_t *state, int64_t hi)
{
    uint64_t range = (uint64_t)hi + 1;           /* <= 2^63: no overflow */
    uint64_t reject_below = (0 - range) % range; /* 2^64 mod range */
    uint64_t r;
    do {
        r = rng_next(state);
    } while (r < reject_below);
    return (int64_t)(r % range);
}

int64_t backoff_delay_ms(struct backoff *b, int attempt)
{
    assert(b != NULL);
    int64_t cap = backoff_cap_ms(b, attempt);
    if (!b->jitter)
        return cap;
    return rng_upto(&b->rng, cap);
}

/* ---- Retry-After --------------------------------------------------------------
 *
 * Parsed by hand over a (ptr, len) cursor, since strptime depends on the
 * locale. Names of days and months match case-insensitively; everything
 * else must follow RFC 9110's grammar exactly. The day name is checked to be
 * a day name but not against the date, as curl and Go do.
 */

struct cursor {
    const char *p;
    const char *end;
};

static const char *const month_names[12] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static const char *const day_names[7] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};

static bool is_http_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Consumes c if it is next. */
static bool eat_char(struct cursor *c, char ch)
{
    if (c->p == c->end || *c->p != ch)
        return false;
    c->p++;
    return true;
}

/* Consumes exactly n digits into *out. */
static bool eat_digits(struct cursor *c, int n, int *out)
{
    if (c->end - c->p < n)
        return false;
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(c->p[i]))
            return false;
        v = v * 10 + (c->p[i] - '0');
    }
    c->p += n;
    *out = v;
    return true;
}

/* Consumes the first n bytes of word (case-insensitive) if they are next. */
static bool eat_word_n(struct cursor *c, const char *word, size_t n)
{
    if ((size_t)(c->end - c->p) < n || strncasecmp(c->p, word, n) != 0)
        return false;
    c->p += n;
    return true;
}

/* Consumes word (case-insensitive) if it is next. */
static bool eat_word(struct cursor *c, const char *word)
{
    return eat_word_n(c, word, strlen(word));
}

/* Consumes a month name; *mon is 0..11. */
static bool eat_month(struct cursor *c, int *mon)
{
    for (int i = 0; i < 12; i++) {
        if (eat_word(c, month_names[i])) {
            *mon = i;
            return true;
        }
    }
    return false;
}

/* Consumes a day name: the full one ("Sunday") when full, else "Sun". */
static bool eat_day_name(struct cursor *c, bool full)
{
    for (int i = 0; i < 7; i++) {
        if (eat_word_n(c, day_names[i], full ? strlen(day_names[i]) : 3))
            return true;
    }
    return false;
}

/* Consumes "HH:MM:SS" (a leap second 60 is allowed, as in RFC 9110). */
static bool eat_time(struct cursor *c, struct tm *tm)
{
    return eat_digits(c, 2, &tm->tm_hour) && eat_char(c, ':') && eat_digits(c, 2, &tm->tm_min) &&
           eat_char(c, ':') && eat_digits(c, 2, &tm->tm_sec) && tm->tm_hour <= 23 &&
           tm->tm_min <= 59 && tm->tm_sec <= 60;
}

static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Whether day exists in month mon (0..11) of year. */
static bool day_exists(int year, int mon, int day)
{
    static const int days_in[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int n = days_in[mon] + (mon == 1 && is_leap(year));
    return day >= 1 && day <= n;
}

/* IMF-fixdate after "Sun, ": "06 Nov 1994 08:49:37 GMT". */
static bool parse_imf_fixdate(struct cursor *c, struct tm *tm, int *year)
{
    return eat_digits(c, 2, &tm->tm_mday) && eat_char(c, ' ') && eat_month(c, &tm->tm_mon) &&
           eat_char(c, ' ') && eat_digits(c, 4, year) && eat_char(c, ' ') && eat_time(c, tm) &&
           eat_char(c, ' ') && eat_word(c, "GMT");
}

/*
 * RFC 850 date after "Sunday, ": "06-Nov-94 08:49:37 GMT". A two-digit year
 * that would lie more than 50 years after now_year belongs to the century
 * before (RFC 9110 section 5.6.7).
 */
static bool parse_rfc850(struct cursor *c, struct tm *tm, int *year, int now_year)
{
    int yy;
    if (!(eat_digits(c, 2, &tm->tm_mday) && eat_char(c, '-') && eat_month(c, &tm->tm_mon) &&
          eat_char(c, '-') && eat_digits(c, 2, &yy) && eat_char(c, ' ') && eat_time(c, tm) &&
          eat_char(c, ' ') && eat_word(c, "GMT")))
        return false;
    *year = now_year - now_year % 100 + yy;
    if (*year > now_year + 50)
        *year -= 100;
    return true;
}

/* asctime date after "Sun ": "Nov  6 08:49:37 1994" (or "Nov 06 ..."). */
static bool parse_asctime(struct cursor *c, struct tm *tm, int *year)
{
    if (!(eat_month(c, &tm->tm_mon) && eat_char(c, ' ')))
        return false;
    if (eat_char(c, ' ')) {
        if (!eat_digits(c, 1, &tm->tm_mday))
            return false;
    } else if (!eat_digits(c, 2, &tm->tm_mday)) {
        return false;
    }
    return eat_char(c, ' ') && eat_time(c, tm) && eat_char(c, ' ') && eat_digits(c, 4, year);
}

/* The year now_ms falls in (UTC), for RFC 850's two-digit years. */
static bool year_of(int64_t now_ms, int *year)
{
    time_t now_s = (time_t)(now_ms / 1000);
    struct tm now_tm;
    if (gmtime_r(&now_s, &now_tm) == NULL)
        return false;
    *year = now_tm.tm_year + 1900;
    return true;
}

/*
 * Parses an HTTP-date in any of its three forms, told apart by what follows
 * the day name, into seconds since the epoch (*secs). now_ms places RFC
 * 850's two-digit years. Returns false if the text is not a valid date.
 */
static bool parse_http_date(const struct cursor *text, int64_t now_ms, int64_t *secs)
{
    struct tm tm = { 0 };
    int year = 0;
    int now_year = 0;
    bool ok = false;
    struct cursor c = *text;
    if (eat_day_name(&c, false) && eat_char(&c, ',') && eat_char(&c, ' ')) {
        ok = parse_imf_fixdate(&c, &tm, &year);
    } else {
        c = *text;
        if (eat_day_name(&c, false) && eat_char(&c, ' ')) {
            ok = parse_asctime(&c, &tm, &year);
        } else {
            c = *text;
            if (eat_day_name(&c, true) && eat_char(&c, ',') && eat_char(&c, ' ') &&
                year_of(now_ms, &now_year))
                ok = parse_rfc850(&c, &tm, &year, now_year);
        }
    }
    /* years outside 0..9999 only come from an RFC 850 date and an absurd now_ms */
    if (!ok || c.p != c.end || year < 0 || year > 9999 || !day_exists(year, tm.tm_mon, tm.tm_mday))
        return false;
    tm.tm_year = year - 1900;
    tm.tm_isdst = 0;
    errno = 0;
    time_t t = timegm(&tm);
    if (t == (time_t)-1 && errno != 0)
        return false;
    *secs = (int64_t)t;
    return true;
}

int64_t backoff_parse_retry_after(const char *value, int64_t now_ms)
{
    if (value == NULL)
        return -1;
    const char *p = value;
    const char *end = value + strlen(value);
    while (p < end && is_http_space(*p))
        p++;
    while (end > p && is_http_space(end[-1]))
        end--;
    if (p == end)
        return -1;

    if (is_digit(*p)) {
        int64_t secs = 0;
        for (const char *q = p; q < end; q++) {
            if (!is_digit(*q))
                return -1;
            if (secs <= RETRY_AFTER_MAX_MS / 1000)
                secs = secs * 10 + (*q - '0');
        }
        return secs > RETRY_AFTER_MAX_MS / 1000 ? RETRY_AFTER_MAX_MS : secs * 1000;
    }

    int64_t secs;
    struct cursor text = { .p = p, .end = end };
    if (!parse_http_date(&text, now_ms, &secs))
        return -1;
    int64_t delay; /* secs * 1000 fits (years 0..9999): only now_ms can overflow this */
    if (__builtin_sub_overflow(secs * 1000, now_ms, &delay))
        return now_ms < 0 ? RETRY_AFTER_MAX_MS : 0;
    if (delay <= 0)
        return 0;
    return delay > RETRY_AFTER_MAX_MS ? RETRY_AFTER_MAX_MS : delay;
}
