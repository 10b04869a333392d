/*
 * llm/http_post.h - one small, generic, blocking HTTP POST on libcurl, for
 * callers outside llm/ that must send a request (the webhooks of
 * domain/webhooks.c): libcurl may live only in llm/ (the layering), and
 * this is the whole of what they get. A URL, headers and a body go out; the
 * status comes back, or an error. The answer's body is read and dropped.
 *
 * Only http:// and https:// URLs; redirects are never followed (a 3xx is
 * returned as the status); certificates are verified. With deny_private,
 * a connection to a loopback, private, link-local, carrier-grade NAT,
 * multicast or unspecified address is refused (after name resolution, so
 * a public name that resolves to 127.0.0.1 is refused too), and proxies
 * from the environment are ignored so the check sees the real peer.
 *
 * Threading: any thread, any number at once (each call has its own easy
 * handle); curl_global_init must have run (main does, openai_global_init).
 */
#ifndef LLM_HTTP_POST_H
#define LLM_HTTP_POST_H

#include "core/compat.h"
#include "core/err.h"

struct http_post_request {
    const char *url;            /* http:// or https:// */
    const char *const *headers; /* n_headers lines "Name: value"; borrowed */
    size_t n_headers;
    const char *body; /* borrowed; body_len bytes */
    size_t body_len;
    int64_t timeout_ms; /* the whole exchange, connecting included; > 0 */
    bool deny_private;  /* refuse non-public peer addresses (see above) */
};

/*
 * Sends the POST and stores the answer's status in *status. ERR_INVALID for
 * a URL that is not http(s) (nothing is sent); ERR_TIMEOUT when timeout_ms
 * passed; ERR_FORBIDDEN when deny_private refused the peer; ERR_UPSTREAM
 * for every other failure to get an answer (no such host, connection
 * refused, TLS); the message says which, and never holds the headers.
 * Any status, 2xx or not, is ERR_OK: the caller decides.
 */
enum err_code http_post(const struct http_post_request *r, long *status, struct err *err);

/*
 * Is the IPv4 address (network order, 4 bytes) or IPv6 address (16 bytes)
 * one deny_private refuses? family is AF_INET or AF_INET6; anything else
 * is refused too. IPv4-mapped IPv6 addresses are judged as their IPv4.
 */
bool http_post_address_is_private(int family, const unsigned char *addr);

#endif
