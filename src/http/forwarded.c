/*
 * http/forwarded.c - the client's address behind a reverse proxy
 * (http/forwarded.h).
 */
#include "core/compat.h"

#include "http/forwarded.h"

#include <arpa/inet.h>

#include "core/span.h"
#include "core/xalloc.h"

/* Parses one address (surrounding blanks allowed); false when it is none. */
static bool parse_addr(struct span s, struct proxy_addr *out)
{
    s = span_trim(s);
    char text[INET6_ADDRSTRLEN];
    if (!s.len || s.len >= sizeof(text))
        return false;
    memcpy(text, s.ptr, s.len);
    text[s.len] = '\0';
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, text, out->bytes) == 1) {
        out->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, out->bytes) == 1) {
        out->family = AF_INET6;
        return true;
    }
    return false;
}

static bool is_trusted(const struct proxy_addr *a, const struct proxy_addr *trusted, size_t n)
{
    size_t len = a->family == AF_INET ? 4 : 16;
    for (size_t i = 0; i < n; i++)
        if (trusted[i].family == a->family && memcmp(trusted[i].bytes, a->bytes, len) == 0)
            return true;
    return false;
}

bool forwarded_parse_trusted(const char *list, struct proxy_addr **out, size_t *n, char *bad,
                             size_t bad_size)
{
    *out = NULL;
    *n = 0;
    struct span rest = span_cstr(list ? list : "");
    while (rest.len) {
        struct span item = span_trim(span_cut(&rest, ','));
        if (!item.len)
            continue;
        struct proxy_addr a;
        if (!parse_addr(item, &a)) {
            snprintf(bad, bad_size, "%.*s", SPAN_FMT(item));
            free(*out);
            *out = NULL;
            *n = 0;
            return false;
        }
        *out = xrealloc(*out, st_mult(*n + 1, sizeof(**out)));
        (*out)[(*n)++] = a;
    }
    return true;
}

void forwarded_client(const char *peer, const char *xff, const struct proxy_addr *trusted, size_t n,
                      char *out, size_t size)
{
    snprintf(out, size, "%s", peer ? peer : "");
    struct proxy_addr a;
    if (!n || !xff || !peer || !parse_addr(span_cstr(peer), &a) || !is_trusted(&a, trusted, n))
        return;
    /* from the right: the hops we trust appended what they saw; the first other is the client */
    struct span rest = span_cstr(xff);
    while (rest.len) {
        const char *comma = memrchr(rest.ptr, ',', rest.len);
        struct span hop =
            comma ? span_make(comma + 1, rest.len - (size_t)(comma + 1 - rest.ptr)) : rest;
        rest.len = comma ? (size_t)(comma - rest.ptr) : 0;
        if (!parse_addr(hop, &a))
            return; /* not an address: believe nothing further left */
        if (is_trusted(&a, trusted, n))
            continue;
        char text[INET6_ADDRSTRLEN];
        if (inet_ntop(a.family, a.bytes, text, sizeof(text)))
            snprintf(out, size, "%s", text);
        return;
    }
}
