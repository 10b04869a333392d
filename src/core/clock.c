/*
 * core/clock.c - clock_gettime wrappers and ISO-8601 formatting.
 */
#include "core/compat.h"

#include "core/clock.h"

#include <stdatomic.h>

/* The test offset of clock_now_ms (clock_set_offset_ms); 0 in production. */
static _Atomic int64_t now_offset_ms;

void clock_set_offset_ms(int64_t offset_ms)
{
    atomic_store(&now_offset_ms, offset_ms);
}

int64_t clock_offset_ms(void)
{
    return atomic_load(&now_offset_ms);
}

int64_t clock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + atomic_load(&now_offset_ms);
}

int64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t clock_mono_ms(void)
{
    return clock_mono_ns() / 1000000;
}

void clock_iso8601(int64_t ms, char out[CLOCK_ISO8601_LEN])
{
    int64_t secs = ms / 1000;
    int64_t frac = ms % 1000;
    if (frac < 0) {
        frac += 1000;
        secs -= 1;
    }
    time_t t = (time_t)secs;
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, CLOCK_ISO8601_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
    if (n != 19) {
        /* a year outside 1000..9999: not a time the program ever stores */
        snprintf(out, CLOCK_ISO8601_LEN, "0000-00-00T00:00:00.000Z");
        return;
    }
    snprintf(out + n, CLOCK_ISO8601_LEN - n, ".%03dZ", (int)frac);
}

/* Reads n digits at *s (advancing it); -1 when one is not a digit. */
static int digits(const char **s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return -1;
        v = v * 10 + (**s - '0');
    }
    return v;
}

static bool expect(const char **s, char c)
{
    if (**s != c)
        return false;
    (*s)++;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

bool clock_parse_iso8601(const char *s, int64_t *ms)
{
    int y = digits(&s, 4);
    if (y < 1000 || !expect(&s, '-'))
        return false;
    int mo = digits(&s, 2);
    if (mo < 1 || mo > 12 || !expect(&s, '-'))
        return false;
    int d = digits(&s, 2);
    if (d < 1 || d > days_in_month(y, mo) || !expect(&s, 'T'))
        return false;
    int h = digits(&s, 2);
    if (h < 0 || h > 23 || !expect(&s, ':'))
        return false;
    int mi = digits(&s, 2);
    if (mi < 0 || mi > 59 || !expect(&s, ':'))
        return false;
    int sec = digits(&s, 2);
    if (sec < 0 || sec > 59)
        return false;
    int frac = 0;
    if (*s == '.') {
        s++;
        frac = digits(&s, 3);
        if (frac < 0)
            return false;
    }
    if (!expect(&s, 'Z') || *s)
        return false;
    *ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + (int64_t)sec * 1000 + frac;
    return true;
}

/* The civil date of a day count since 1970-01-01 (the inverse of days_from_civil). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int64_t clock_add_months(int64_t ms, int n)
{
    int64_t day_ms = 86400000;
    int64_t days = ms >= 0 ? ms / day_ms : -((-ms + day_ms - 1) / day_ms);
    int64_t within = ms - days * day_ms;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int64_t months = y * 12 + (m - 1) + n;
    y = months >= 0 ? months / 12 : -((-months + 11) / 12);
    m = (int)(months - y * 12) + 1;
    int last = days_in_month((int)y, m);
    if (d > last)
        d = last;
    return days_from_civil(y, m, d) * day_ms + within;
}

void clock_sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}
