/*
 * llm/backoff.h - when to try a failed model call again: exponential
 * backoff with full jitter (delay drawn uniformly from [0, min(max,
 * base * 2^(attempt-1))]), and the Retry-After header, which wins when
 * present.
 * Pure functions; the randomness is a caller-owned state (STYLE.md S3).
 */
#ifndef LLM_BACKOFF_H
#define LLM_BACKOFF_H

#include "core/compat.h"

struct backoff {
    int64_t base_ms; /* first cap */
    int64_t max_ms;  /* the cap never grows past this */
    bool jitter;     /* false: always the cap (deterministic, for tests) */
    uint64_t rng;    /* xorshift state; any non-zero seed */
};

/*
 * The delay before retry number attempt (1 for the first retry): uniform
 * in [0, cap] with jitter, the cap without; cap = min(max_ms, base_ms *
 * 2^(attempt-1)). With jitter, advances b->rng (xorshift64*; a zero seed
 * is replaced by a fixed non-zero constant); the same seed gives the same
 * sequence.
 */
int64_t backoff_delay_ms(struct backoff *b, int attempt);

/*
 * The cap for retry number attempt (what the delay is drawn under). The
 * doubling saturates at max_ms and never overflows, whatever attempt is;
 * attempt < 1 counts as 1; base_ms or max_ms <= 0 gives 0.
 */
int64_t backoff_cap_ms(const struct backoff *b, int attempt);

/*
 * Parses a Retry-After value: delay-seconds ("120", digits only) or an
 * HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT", compared with now_ms, wall
 * clock; the obsolete RFC 850 "Wednesday, 21-Oct-15 07:28:00 GMT" and
 * asctime "Wed Oct 21 07:28:00 2015" forms too). Parsed without the locale.
 * ASCII whitespace around the value (a trailing CR LF from libcurl) is
 * ignored. Returns the delay in milliseconds, at most 24 hours (0 for a
 * date in the past), or -1 when the value is neither (NULL, empty, "-1",
 * "1.5", a day that does not exist).
 */
int64_t backoff_parse_retry_after(const char *value, int64_t now_ms);

#endif
