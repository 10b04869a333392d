/*
 * tests/unit/http/test_forwarded.c - the client's address behind a reverse
 * proxy (http/forwarded.c): believed only from trusted proxies, the
 * rightmost untrusted hop, never a spoofed entry to its left.
 */
#include "core/compat.h"

#include "http/forwarded.h"

#include <arpa/inet.h>
#include <setjmp.h>

#include <cmocka.h>

static struct proxy_addr *trusted;
static size_t n_trusted;

static int trust(void **state)
{
    (void)state;
    char bad[64];
    assert_true(forwarded_parse_trusted(" 127.0.0.1, 10.0.0.5 ,::1", &trusted, &n_trusted, bad,
                                        sizeof(bad)));
    assert_int_equal(n_trusted, 3);
    return 0;
}

static int untrust(void **state)
{
    (void)state;
    free(trusted);
    trusted = NULL;
    n_trusted = 0;
    return 0;
}

static const char *client(const char *peer, const char *xff)
{
    static char out[INET6_ADDRSTRLEN];
    forwarded_client(peer, xff, trusted, n_trusted, out, sizeof(out));
    return out;
}

static void a_trusted_proxy_names_the_client(void **state)
{
    (void)state;
    assert_string_equal(client("127.0.0.1", "203.0.113.7"), "203.0.113.7");
    assert_string_equal(client("::1", "2001:db8::1"), "2001:db8::1");
    assert_string_equal(client("127.0.0.1", " 203.0.113.7 "), "203.0.113.7");
}

static void the_rightmost_untrusted_hop_is_the_client(void **state)
{
    (void)state;
    /* the client wrote 1.2.3.4 itself; nginx appended what it saw */
    assert_string_equal(client("127.0.0.1", "1.2.3.4, 203.0.113.7"), "203.0.113.7");
    /* two trusted hops: the load balancer, then nginx */
    assert_string_equal(client("127.0.0.1", "203.0.113.7, 10.0.0.5"), "203.0.113.7");
}

static void anyone_else_keeps_their_own_address(void **state)
{
    (void)state;
    assert_string_equal(client("198.51.100.9", "203.0.113.7"), "198.51.100.9");
    assert_string_equal(client("127.0.0.1", NULL), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", ""), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", "evil"), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", "203.0.113.7, <script>"), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", "10.0.0.5, 127.0.0.1"), "127.0.0.1");
}

static void nothing_is_believed_without_trusted_proxies(void **state)
{
    (void)state;
    char out[INET6_ADDRSTRLEN];
    forwarded_client("127.0.0.1", "203.0.113.7", NULL, 0, out, sizeof(out));
    assert_string_equal(out, "127.0.0.1");
}

static void a_bad_list_is_refused_naming_the_entry(void **state)
{
    (void)state;
    struct proxy_addr *list = NULL;
    size_t n = 9;
    char bad[64];
    assert_false(forwarded_parse_trusted("127.0.0.1, nginx.local", &list, &n, bad, sizeof(bad)));
    assert_string_equal(bad, "nginx.local");
    assert_null(list);
    assert_int_equal(n, 0);
    assert_true(forwarded_parse_trusted("", &list, &n, bad, sizeof(bad)));
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_trusted_proxy_names_the_client, trust, untrust),
        cmocka_unit_test_setup_teardown(the_rightmost_untrusted_hop_is_the_client, trust, untrust),
        cmocka_unit_test_setup_teardown(anyone_else_keeps_their_own_address, trust, untrust),
        cmocka_unit_test(nothing_is_believed_without_trusted_proxies),
        cmocka_unit_test(a_bad_list_is_refused_naming_the_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
