/*
 * tests/unit/core/test_secret.c - passwords and constant-time comparison
 * (core/secret.h): a hash is argon2id, checks its own password and no
 * other, differs for the same password each time (salted); equal compares.
 * The cheapest cost keeps the test fast; the production cost is measured
 * by make bench.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/ids.h"
#include "core/secret.h"

static void a_hash_checks_its_password_and_no_other(void **state)
{
    (void)state;
    char a[SECRET_HASH_LEN], b[SECRET_HASH_LEN];
    struct err err = ERR_INIT;
    const char *pw = "correct horse battery staple";
    assert_ok(secret_hash_password(pw, strlen(pw), PWHASH_MINIMUM, a, &err), &err);
    assert_ok(secret_hash_password(pw, strlen(pw), PWHASH_MINIMUM, b, &err), &err);
    assert_contains(a, "$argon2id$");
    assert_string_not_equal(a, b); /* salted */
    assert_true(secret_check_password(a, pw, strlen(pw)));
    assert_true(secret_check_password(b, pw, strlen(pw)));
    assert_false(secret_check_password(a, "correct horse battery stapl", 27));
    assert_false(secret_check_password(a, "", 0));
    assert_false(secret_check_password("not a hash", pw, strlen(pw)));
    assert_false(secret_check_password(NULL, pw, strlen(pw)));
    /* a NUL inside the password counts */
    assert_false(secret_check_password(a, "correct horse battery staple\0x", 30));
}

static void equal_compares_bytes(void **state)
{
    (void)state;
    assert_true(secret_equal("abcdef", "abcdef", 6));
    assert_false(secret_equal("abcdef", "abcdeg", 6));
    assert_false(secret_equal("xbcdef", "abcdef", 6));
    assert_true(secret_equal("", "", 0));
    assert_contains(pwhash_cost_name(PWHASH_INTERACTIVE), "INTERACTIVE");
}

int main(void)
{
    ids_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_hash_checks_its_password_and_no_other),
        cmocka_unit_test(equal_compares_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
