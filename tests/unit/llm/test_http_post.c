/*
 * tests/unit/llm/test_http_post.c - llm/http_post.h against a one-connection
 * HTTP server on a thread of this test (127.0.0.1, a free port): the
 * request as it arrives (method, path, headers, the exact body, no
 * Expect), any status returned as a status, a redirect not followed, a
 * silent server timed out, a closed port, schemes other than http(s)
 * refused before anything is sent, the deny_private check (loopback
 * refused, nothing accepted), and the table of private addresses.
 */
#include "core/compat.h"

#include "llm/http_post.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/clock.h"
#include "llm/openai.h"

/* ---- the server -------------------------------------------------------------------------- */

struct server {
    int fd;
    int port;
    pthread_t thread;
    const char *answer; /* the raw response; NULL: answer nothing, hold the connection */
    int hold_ms;        /* with answer NULL: how long to hold before closing */
    int accepted;       /* connections accepted (within 1 s of starting) */
    char request[8192]; /* what the one connection sent, NUL-terminated */
    size_t request_len;
};

/* Reads the request's head and its Content-Length body into s->request. */
static void read_request(struct server *s, int c)
{
    size_t want = 0;
    bool head_done = false;
    while (s->request_len < sizeof(s->request) - 1) {
        struct pollfd p = { .fd = c, .events = POLLIN };
        if (poll(&p, 1, 2000) <= 0)
            break;
        ssize_t n = read(c, s->request + s->request_len, sizeof(s->request) - 1 - s->request_len);
        if (n <= 0)
            break;
        s->request_len += (size_t)n;
        s->request[s->request_len] = '\0';
        char *end = strstr(s->request, "\r\n\r\n");
        if (!head_done && end) {
            head_done = true;
            const char *cl = strcasestr(s->request, "\r\nContent-Length:");
            size_t len = cl ? strtoul(cl + 17, NULL, 10) : 0;
            want = (size_t)(end + 4 - s->request) + len;
        }
        if (head_done && s->request_len >= want)
            break;
    }
}

static void *serve(void *arg)
{
    struct server *s = arg;
    struct pollfd p = { .fd = s->fd, .events = POLLIN };
    if (poll(&p, 1, 1000) <= 0)
        return NULL;
    int c = accept(s->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    s->accepted++;
    read_request(s, c);
    if (s->answer) {
        ssize_t ignored = write(c, s->answer, strlen(s->answer));
        (void)ignored;
    } else {
        clock_sleep_ms(s->hold_ms);
    }
    close(c);
    return NULL;
}

/* A listening socket on 127.0.0.1 and a free port, without the thread. */
static void listen_on_free_port(struct server *s)
{
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(s->fd, 4), 0);
    socklen_t len = sizeof(a);
    assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
    s->port = ntohs(a.sin_port);
}

static void server_start(struct server *s, const char *answer)
{
    memset(s, 0, sizeof(*s));
    s->answer = answer;
    listen_on_free_port(s);
    assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void server_stop(struct server *s)
{
    pthread_join(s->thread, NULL);
    close(s->fd);
}

static const char *const HEADERS[] = { "Content-Type: application/json", "X-Test: yes" };

static struct http_post_request request_to(const char *url, const char *body)
{
    struct http_post_request r = { .url = url,
                                   .headers = HEADERS,
                                   .n_headers = ARRAY_SIZE(HEADERS),
                                   .body = body,
                                   .body_len = strlen(body),
                                   .timeout_ms = 3000 };
    return r;
}

/* ---- requests ---------------------------------------------------------------------------- */

static void posts_the_body_with_its_headers(void **state)
{
    (void)state;
    struct server s;
    server_start(&s, "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    char url[96];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook?x=1", s.port);
    /* a body past 1024 bytes, where older curls would ask Expect: 100-continue */
    char body[3000];
    memset(body, 'b', sizeof(body) - 1);
    memcpy(body, "{\"a\":\"", 6);
    memcpy(body + sizeof(body) - 3, "\"}", 2);
    body[sizeof(body) - 1] = '\0';
    struct http_post_request r = request_to(url, body);
    long status = 0;
    struct err err = ERR_INIT;
    enum err_code rc = http_post(&r, &status, &err);
    server_stop(&s);
    if (rc)
        fail_msg("http_post: %s", err.msg);
    assert_int_equal(status, 201);
    assert_int_equal(s.accepted, 1);
    assert_int_equal(strncmp(s.request, "POST /hook?x=1 HTTP/1.1\r\n", 25), 0);
    assert_non_null(strstr(s.request, "\r\nContent-Type: application/json\r\n"));
    assert_non_null(strstr(s.request, "\r\nX-Test: yes\r\n"));
    assert_non_null(strstr(s.request, "\r\nContent-Length: 2999\r\n"));
    assert_null(strcasestr(s.request, "Expect:"));
    const char *got = strstr(s.request, "\r\n\r\n") + 4;
    assert_string_equal(got, body);
}

static void any_status_is_a_status(void **state)
{
    (void)state;
    struct server s;
    server_start(&s, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
    char url[96];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
    struct http_post_request r = request_to(url, "{}");
    long status = 0;
    struct err err = ERR_INIT;
    assert_int_equal(http_post(&r, &status, &err), ERR_OK);
    server_stop(&s);
    assert_int_equal(status, 500);
}

static void redirects_are_not_followed(void **state)
{
    (void)state;
    struct server target;
    server_start(&target, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    char answer[256];
    snprintf(answer, sizeof(answer),
             "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:%d/\r\n"
             "Content-Length: 0\r\n\r\n",
             target.port);
    struct server s;
    server_start(&s, answer);
    char url[96];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
    struct http_post_request r = request_to(url, "{}");
    long status = 0;
    struct err err = ERR_INIT;
    assert_int_equal(http_post(&r, &status, &err), ERR_OK);
    server_stop(&s);
    server_stop(&target); /* its accept waits 1 s, in vain */
    assert_int_equal(status, 307);
    assert_int_equal(target.accepted, 0);
}

static void a_silent_server_times_out(void **state)
{
    (void)state;
    struct server s;
    memset(&s, 0, sizeof(s));
    s.hold_ms = 1500;
    listen_on_free_port(&s);
    assert_int_equal(pthread_create(&s.thread, NULL, serve, &s), 0);
    char url[96];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
    struct http_post_request r = request_to(url, "{}");
    r.timeout_ms = 300;
    long status = -1;
    struct err err = ERR_INIT;
    int64_t started = clock_mono_ms();
    assert_int_equal(http_post(&r, &status, &err), ERR_TIMEOUT);
    int64_t took = clock_mono_ms() - started;
    server_stop(&s);
    assert_int_equal(status, 0);
    assert_true(took >= 250 && took < 1400);
    assert_string_equal(err.msg, "no answer in 300 ms");
}

static void a_closed_port_is_an_upstream_error(void **state)
{
    (void)state;
    struct server s;
    memset(&s, 0, sizeof(s));
    listen_on_free_port(&s);
    close(s.fd); /* nobody listens there now */
    char url[96];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
    struct http_post_request r = request_to(url, "{}");
    long status = -1;
    struct err err = ERR_INIT;
    assert_int_equal(http_post(&r, &status, &err), ERR_UPSTREAM);
    assert_int_equal(status, 0);
    assert_true(err.msg[0] != '\0');
}

static void only_http_and_https_are_sent_to(void **state)
{
    (void)state;
    static const char *const urls[] = { "ftp://127.0.0.1/x", "file:///etc/passwd",
                                        "gopher://127.0.0.1/", "127.0.0.1:80/", "" };
    for (size_t i = 0; i < ARRAY_SIZE(urls); i++) {
        struct http_post_request r = request_to(urls[i], "{}");
        long status = -1;
        struct err err = ERR_INIT;
        assert_int_equal(http_post(&r, &status, &err), ERR_INVALID);
        assert_string_equal(err.field, "url");
        assert_int_equal(status, 0);
    }
    struct http_post_request r = request_to(NULL, "{}");
    long status = -1;
    struct err err = ERR_INIT;
    assert_int_equal(http_post(&r, &status, &err), ERR_INVALID);
}

static void deny_private_refuses_loopback(void **state)
{
    (void)state;
    struct server s;
    server_start(&s, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    char url[96];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
    struct http_post_request r = request_to(url, "{}");
    r.deny_private = true;
    long status = -1;
    struct err err = ERR_INIT;
    assert_int_equal(http_post(&r, &status, &err), ERR_FORBIDDEN);
    assert_string_equal(err.msg, "refused: the host is not a public address");
    /* a name is judged by the address it resolves to */
    snprintf(url, sizeof(url), "http://localhost:%d/", s.port);
    r.url = url;
    assert_int_equal(http_post(&r, &status, &err), ERR_FORBIDDEN);
    server_stop(&s);
    assert_int_equal(s.accepted, 0);
}

/* ---- the address table ------------------------------------------------------------------- */

static bool is_private(const char *text)
{
    unsigned char a[16];
    if (inet_pton(AF_INET, text, a) == 1)
        return http_post_address_is_private(AF_INET, a);
    if (inet_pton(AF_INET6, text, a) == 1)
        return http_post_address_is_private(AF_INET6, a);
    fail_msg("not an address: %s", text);
    return false;
}

static void knows_private_addresses(void **state)
{
    (void)state;
    static const char *const private_ones[] = {
        "0.0.0.0",
        "10.1.2.3",
        "127.0.0.1",
        "127.255.255.254",
        "100.64.0.1",
        "100.127.1.1",
        "169.254.169.254",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "192.0.0.8",
        "198.18.0.1",
        "198.19.1.1",
        "224.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2001:db8::1",
    };
    static const char *const public_ones[] = {
        "8.8.8.8",      "1.1.1.1",      "100.63.255.255", "100.128.0.1", "172.15.255.255",
        "172.32.0.1",   "192.169.0.1",  "198.17.255.255", "198.20.0.1",  "223.255.255.255",
        "2606:4700::1", "2a00:1450::1", "::ffff:8.8.8.8", "fe7f::1",
    };
    for (size_t i = 0; i < ARRAY_SIZE(private_ones); i++)
        if (!is_private(private_ones[i]))
            fail_msg("%s should be private", private_ones[i]);
    for (size_t i = 0; i < ARRAY_SIZE(public_ones); i++)
        if (is_private(public_ones[i]))
            fail_msg("%s should be public", public_ones[i]);
    unsigned char any[16] = { 0 };
    assert_true(http_post_address_is_private(AF_UNIX, any));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(posts_the_body_with_its_headers),
        cmocka_unit_test(any_status_is_a_status),
        cmocka_unit_test(redirects_are_not_followed),
        cmocka_unit_test(a_silent_server_times_out),
        cmocka_unit_test(a_closed_port_is_an_upstream_error),
        cmocka_unit_test(only_http_and_https_are_sent_to),
        cmocka_unit_test(deny_private_refuses_loopback),
        cmocka_unit_test(knows_private_addresses),
    };
    openai_global_init();
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    openai_global_cleanup();
    return failed;
}
