/*
 * tests/fuzz/fuzz_last_event_id.c - fuzzes the parser of an event stream's
 * resume point (http/sse.h, sse_parse_event_id: the Last-Event-ID header
 * or the last_event_id query argument that sse_last_event_id reads from a
 * request), STYLE.md Z1, against a reference written here: the text is
 * accepted exactly when it is 1 to 16 ASCII digits whose value is at most
 * 2^53 (exact in a JavaScript number), and then the value is the digits'
 * value (leading zeros allowed); on a refusal *out is left alone.
 * fuzz_router also feeds it paths; this target has its own corpus of ids.
 * Corpus: tests/fuzz/corpus/last_event_id/. No global state.
 */
#include "core/compat.h"

#include "http/sse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ID_MAX (UINT64_C(1) << 53)

/* The reference: true with *out when s[0..n) is a valid id. */
static bool reference(const char *s, size_t n, uint64_t *out)
{
    if (n == 0 || n > 16)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0'); /* 16 digits cannot overflow */
    }
    if (v > ID_MAX)
        return false;
    *out = v;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const uint64_t untouched = UINT64_C(0xdeadbeef);
    uint64_t got = untouched, want = 0;
    bool ok = sse_parse_event_id(p, size, &got);
    if (ok != reference(p, size, &want))
        abort();
    if (ok ? got != want : got != untouched)
        abort();
    if (ok) {
        /* the value printed is the input without its leading zeros */
        char text[24];
        int n = snprintf(text, sizeof(text), "%" PRIu64, got);
        size_t zeros = 0;
        while (zeros + 1 < size && p[zeros] == '0')
            zeros++;
        if (n < 0 || (size_t)n != size - zeros || memcmp(text, p + zeros, (size_t)n) != 0)
            abort();
    }
    return 0;
}
