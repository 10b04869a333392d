/*
 * tests/fuzz/fuzz_forwarded.c - fuzzes the client's address behind a proxy
 * (http/forwarded.h), STYLE.md Z1. The input is split at its first NUL into
 * a TRUSTED_PROXIES list and an X-Forwarded-For header; the peer is the
 * first trusted address (or 127.0.0.1 when the list is bad or empty).
 * Properties: a bad list leaves nothing allocated and names an entry; the
 * client is the peer or an address that parses; it is never a trusted
 * proxy unless it is the peer; a peer not trusted is always its own client.
 * Corpus: tests/fuzz/corpus/forwarded/. No global state.
 */
#include "core/compat.h"

#include "http/forwarded.h"

#include <arpa/inet.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool parses(const char *s)
{
    unsigned char bytes[16];
    return inet_pton(AF_INET, s, bytes) == 1 || inet_pton(AF_INET6, s, bytes) == 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    const char *list = text;
    const char *xff = memchr(text, '\0', size) ? text + strlen(text) + 1 : "";
    if (xff > text + size)
        xff = "";
    struct proxy_addr *trusted = NULL;
    size_t n = 0;
    char bad[64] = "";
    bool ok = forwarded_parse_trusted(list, &trusted, &n, bad, sizeof(bad));
    if (!ok && (trusted || n))
        abort();
    char peer[INET6_ADDRSTRLEN] = "127.0.0.1";
    if (ok && n)
        inet_ntop(trusted[0].family, trusted[0].bytes, peer, sizeof(peer));
    char out[INET6_ADDRSTRLEN];
    forwarded_client(peer, xff, trusted, n, out, sizeof(out));
    if (!parses(out))
        abort();
    if (strcmp(out, peer) != 0) {
        /* another address: the peer was trusted, and the client is not */
        if (!ok || !n)
            abort();
        char again[INET6_ADDRSTRLEN];
        forwarded_client(out, xff, trusted, n, again, sizeof(again));
        if (strcmp(again, out) != 0) /* an untrusted peer keeps its own address */
            abort();
    }
    /* an untrusted peer is always its own client */
    forwarded_client("198.51.100.200", xff, trusted, n, out, sizeof(out));
    bool peer_trusted = false;
    for (size_t i = 0; i < n; i++) {
        char t[INET6_ADDRSTRLEN];
        if (inet_ntop(trusted[i].family, trusted[i].bytes, t, sizeof(t)) &&
            !strcmp(t, "198.51.100.200"))
            peer_trusted = true;
    }
    if (!peer_trusted && strcmp(out, "198.51.100.200") != 0)
        abort();
    free(trusted);
    free(text);
    return 0;
}
