/*
 * core/clock.c - clock_gettime wrappers and ISO-8601 formatting.
 */
#include "core/compat.h"

#include "core/clock.h"

int64_t clock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

void clock_sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}
