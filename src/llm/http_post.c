/*
 * llm/http_post.c - a blocking POST on one libcurl easy handle (see
 * http_post.h). The handle is made and cleaned up per call: a webhook is
 * one request now and then, so connection reuse is not worth a shared
 * handle's locking. The peer check runs in curl's open-socket callback,
 * which sees each address curl is about to connect to after resolution.
 */
#include "core/compat.h"

#include "llm/http_post.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define HEADERS_MAX 32

struct post_ctx {
    bool deny_private;
    bool refused; /* a peer address was refused */
};

/* Reads the answer's body and drops it. */
static size_t drop_body(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

static bool v4_private(const unsigned char *a)
{
    return a[0] == 0                                  /* "this network" */
           || a[0] == 10                              /* private */
           || a[0] == 127                             /* loopback */
           || (a[0] == 100 && (a[1] & 0xc0) == 64)    /* carrier-grade NAT 100.64/10 */
           || (a[0] == 169 && a[1] == 254)            /* link-local, cloud metadata */
           || (a[0] == 172 && (a[1] & 0xf0) == 16)    /* private 172.16/12 */
           || (a[0] == 192 && a[1] == 168)            /* private */
           || (a[0] == 192 && a[1] == 0 && a[2] == 0) /* IETF protocol assignments */
           || (a[0] == 198 && (a[1] & 0xfe) == 18)    /* benchmarking 198.18/15 */
           || a[0] >= 224;                            /* multicast, reserved, broadcast */
}

bool http_post_address_is_private(int family, const unsigned char *addr)
{
    if (family == AF_INET)
        return v4_private(addr);
    if (family != AF_INET6)
        return true;
    static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    if (memcmp(addr, mapped, sizeof(mapped)) == 0)
        return v4_private(addr + 12);
    bool zero_prefix = true; /* :: and ::1, and the old IPv4-compatible ::a.b.c.d */
    for (int i = 0; i < 12; i++)
        zero_prefix = zero_prefix && addr[i] == 0;
    return zero_prefix                                      /* ::, ::1, ::a.b.c.d */
           || (addr[0] & 0xfe) == 0xfc                      /* unique local fc00::/7 */
           || (addr[0] == 0xfe && (addr[1] & 0x80) == 0x80) /* link-local, old site-local */
           || addr[0] == 0xff                               /* multicast */
           || (addr[0] == 0x20 && addr[1] == 0x01 && addr[2] == 0x0d &&
               addr[3] == 0xb8); /* documentation 2001:db8::/32 */
}

/* curl's open-socket callback: refuses a non-public peer when asked to. */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct post_ctx *ctx = clientp;
    if (ctx->deny_private && purpose == CURLSOCKTYPE_IPCXN) {
        const unsigned char *addr = NULL;
        if (a->family == AF_INET && a->addrlen >= sizeof(struct sockaddr_in)) {
            const struct sockaddr_in *in = (const void *)&a->addr;
            addr = (const unsigned char *)&in->sin_addr;
        } else if (a->family == AF_INET6 && a->addrlen >= sizeof(struct sockaddr_in6)) {
            const struct sockaddr_in6 *in6 = (const void *)&a->addr;
            addr = in6->sin6_addr.s6_addr;
        }
        if (!addr || http_post_address_is_private(a->family, addr)) {
            ctx->refused = true;
            return CURL_SOCKET_BAD;
        }
    }
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static bool scheme_ok(const char *url)
{
    return url && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0);
}

enum err_code http_post(const struct http_post_request *r, long *status, struct err *err)
{
    *status = 0;
    if (!scheme_ok(r->url))
        return err_set(err, ERR_INVALID, "url", "only http:// and https:// URLs are sent to");
    if (r->n_headers > HEADERS_MAX || r->timeout_ms <= 0)
        return err_set(err, ERR_INVALID, NULL, "http_post: at most %d headers and a timeout",
                       HEADERS_MAX);
    CURL *e = curl_easy_init();
    if (!e)
        return err_set(err, ERR_INTERNAL, NULL, "http_post: no curl handle (out of memory)");
    struct curl_slist *headers = NULL;
    bool oom = false;
    for (size_t i = 0; i < r->n_headers && !oom; i++) {
        struct curl_slist *more = curl_slist_append(headers, r->headers[i]);
        oom = !more;
        if (more)
            headers = more;
    }
    /* no "Expect: 100-continue" round trip before the body */
    struct curl_slist *more = oom ? NULL : curl_slist_append(headers, "Expect:");
    if (!more) {
        curl_slist_free_all(headers);
        curl_easy_cleanup(e);
        return err_set(err, ERR_INTERNAL, NULL, "http_post: out of memory");
    }
    headers = more;
    struct post_ctx ctx = { .deny_private = r->deny_private };
    char curl_error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(r->body ? r->body_len : 0));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, drop_body);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)r->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)r->timeout_ms);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &ctx);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, curl_error);
    if (r->deny_private)
        curl_easy_setopt(e, CURLOPT_PROXY, ""); /* the check must see the real peer */
    CURLcode cc = curl_easy_perform(e);
    enum err_code rc = ERR_OK;
    if (cc == CURLE_OK) {
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
    } else if (ctx.refused) {
        rc = err_set(err, ERR_FORBIDDEN, "url", "refused: the host is not a public address");
    } else if (cc == CURLE_OPERATION_TIMEDOUT) {
        rc = err_set(err, ERR_TIMEOUT, NULL, "no answer in %" PRId64 " ms", r->timeout_ms);
    } else if (cc == CURLE_UNSUPPORTED_PROTOCOL) {
        rc = err_set(err, ERR_INVALID, "url", "only http:// and https:// URLs are sent to");
    } else {
        rc = err_set(err, ERR_UPSTREAM, NULL, "%s",
                     curl_error[0] ? curl_error : curl_easy_strerror(cc));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(e);
    return rc;
}
