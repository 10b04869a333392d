/*
 * core/clock.h - time: wall-clock milliseconds (what the database stores),
 * monotonic time (what durations and timeouts use) and ISO-8601 UTC text
 * (what the API shows). Reentrant.
 */
#ifndef CORE_CLOCK_H
#define CORE_CLOCK_H

#include "core/compat.h"

/* Milliseconds since the Unix epoch, wall clock (plus the test offset, below). */
int64_t clock_now_ms(void);

/*
 * Tests only: moves clock_now_ms by offset_ms (atomic, so any thread may
 * read the clock meanwhile), so a test sets the date instead of sleeping
 * (POST /api/_test/clock under CROWDELIC_ENV=test). Production never sets
 * it: the offset is 0. Monotonic time is not moved.
 */
void clock_set_offset_ms(int64_t offset_ms);
int64_t clock_offset_ms(void);
/* Monotonic nanoseconds and milliseconds; only differences mean anything. */
int64_t clock_mono_ns(void);
int64_t clock_mono_ms(void);

#define CLOCK_ISO8601_LEN 25 /* "2026-11-25T10:00:00.000Z" + NUL */

/* Writes ms since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ" into out. */
void clock_iso8601(int64_t ms, char out[CLOCK_ISO8601_LEN]);

/*
 * Reads "YYYY-MM-DDTHH:MM:SS" with an optional ".mmm" and a final "Z" (UTC)
 * into ms since the epoch; false for anything else (a bad field, a day
 * past the month's end, a year outside 1000..9999).
 */
bool clock_parse_iso8601(const char *s, int64_t *ms);

/*
 * ms plus n calendar months (UTC), the day kept or clamped to the month's
 * last (Jan 31 + 1 month = Feb 28 or 29): a billing period's end.
 */
int64_t clock_add_months(int64_t ms, int n);

/* Sleeps for ms milliseconds (restarts after signals). */
void clock_sleep_ms(int64_t ms);

#endif
