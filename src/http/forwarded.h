/*
 * http/forwarded.h - the client's address behind a reverse proxy.
 *
 * Behind nginx every connection comes from nginx, so the address a server
 * sees is nginx's: the access log and the failed-sign-in limit per address
 * would lump every client together. A proxy listed in TRUSTED_PROXIES says
 * who its client was in X-Forwarded-For ("client, proxy1, proxy2", each hop
 * appending the address it received from). Only the hops we trust can be
 * believed, so the client is the rightmost address that is not a trusted
 * proxy; anything a client wrote to the left of that is ignored, and a
 * connection from an address not trusted keeps its own address whatever
 * its headers say.
 */
#ifndef HTTP_FORWARDED_H
#define HTTP_FORWARDED_H

#include "core/compat.h"

#include <netinet/in.h>

/* One trusted proxy's address, IPv4 or IPv6. */
struct proxy_addr {
    int family; /* AF_INET or AF_INET6 */
    unsigned char bytes[16];
};

/*
 * Parses a comma-separated list of addresses into *out (malloc'd; free()
 * it) and *n. Returns false at the first entry that is not an IPv4 or IPv6
 * address, with that entry's text in bad (bad_size bytes).
 */
bool forwarded_parse_trusted(const char *list, struct proxy_addr **out, size_t *n, char *bad,
                             size_t bad_size);

/*
 * Writes the client's address into out (size bytes, at least
 * INET6_ADDRSTRLEN): peer itself unless peer is one of trusted[0..n), then
 * the rightmost address of xff (may be NULL) that is not trusted, written
 * canonically; peer again when xff holds none or holds something that is
 * not an address where the client should be.
 */
void forwarded_client(const char *peer, const char *xff, const struct proxy_addr *trusted, size_t n,
                      char *out, size_t size);

#endif
