/*
 * tests/unit/domain/test_accounts.c - sign-up, sign-in and callers
 * (domain/accounts.h) on a real database: a registration makes an admin of
 * a new free workspace; emails are normalised and unique; weak passwords
 * and bad emails are refused; a login answers the same for an unknown email
 * and a wrong password, and too many failures lock that email and that
 * address for a while; tokens resolve to callers until logout revokes
 * them; a token signed with another secret, or for a user who is gone, is
 * refused; the quota counts requests per minute.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "fixture.h"
#include "testutil.h"

#include "core/jwt.h"
#include "store/kv.h"

static enum err_code login(const char *email, const char *password, const char *client,
                           struct session *s, int64_t *retry, struct err *err)
{
    return accounts_login(fx.accounts, email, password, client, s, retry, err);
}

static void a_registration_makes_an_admin_of_a_free_workspace(void **state)
{
    (void)state;
    struct session s;
    fixture_register(&fx, "  Owner@Example.COM ", "Acme", &s);
    struct caller c;
    fixture_caller(&fx, &s, &c);
    assert_string_equal(c.email, "owner@example.com");
    assert_int_equal(c.role, ROLE_ADMIN);
    assert_string_equal(c.plan->name, "free");
    assert_int_equal(c.limits.projects, 1);
    assert_int_equal(c.api_quota, 60);
    assert_string_equal(c.workspace_id, s.workspace_id);
    struct user_view u;
    struct workspace_view w;
    struct err err = ERR_INIT;
    assert_ok(accounts_me(fx.accounts, &c, &u, &w, &err), &err);
    assert_string_equal(w.name, "Acme");
    assert_true(w.current_period_end > w.current_period_start);
    session_release(&s);

    /* the same email, in any case, is taken */
    struct registration again = { .email = "OWNER@example.com", .password = FIXTURE_PASSWORD };
    assert_int_equal(accounts_register(fx.accounts, &again, &s, &err), ERR_CONFLICT);
    assert_string_equal(err.field, "email");
}

static void bad_emails_and_weak_passwords_are_refused(void **state)
{
    (void)state;
    static const char *const bad_emails[] = { "",
                                              "no-at-sign",
                                              "@example.com",
                                              "a@b",
                                              "a@@example.com",
                                              "a b@example.com",
                                              "a@example..com" };
    struct session s;
    struct err err = ERR_INIT;
    for (size_t i = 0; i < ARRAY_SIZE(bad_emails); i++) {
        struct registration r = { .email = bad_emails[i], .password = FIXTURE_PASSWORD };
        assert_int_equal(accounts_register(fx.accounts, &r, &s, &err), ERR_INVALID);
        assert_string_equal(err.field, "email");
    }
    static const char *const weak[] = { "short", "password123", "qwertyuiop", "aaaaaaaaaaaa" };
    for (size_t i = 0; i < ARRAY_SIZE(weak); i++) {
        struct registration r = { .email = "weak@example.com", .password = weak[i] };
        assert_int_equal(accounts_register(fx.accounts, &r, &s, &err), ERR_INVALID);
        assert_string_equal(err.field, "password");
    }
}

static void login_says_the_same_for_unknown_emails_and_wrong_passwords(void **state)
{
    (void)state;
    struct session s;
    fixture_register(&fx, "login@example.com", NULL, &s);
    session_release(&s);
    int64_t retry;
    struct err wrong = ERR_INIT, unknown = ERR_INIT, err = ERR_INIT;
    assert_int_equal(login("login@example.com", "not the password", "10.0.0.1", &s, &retry, &wrong),
                     ERR_UNAUTHORIZED);
    assert_int_equal(
        login("nobody@example.com", FIXTURE_PASSWORD, "10.0.0.1", &s, &retry, &unknown),
        ERR_UNAUTHORIZED);
    assert_string_equal(wrong.msg, unknown.msg);
    assert_ok(login("LOGIN@example.com", FIXTURE_PASSWORD, "10.0.0.1", &s, &retry, &err), &err);
    struct caller c;
    fixture_caller(&fx, &s, &c);
    assert_string_equal(c.email, "login@example.com");
    session_release(&s);
}

static void failed_logins_lock_the_email_and_the_address(void **state)
{
    (void)state;
    struct session s;
    fixture_register(&fx, "target@example.com", NULL, &s);
    session_release(&s);
    int64_t retry = 0;
    struct err err = ERR_INIT;
    for (int i = 0; i < LOGIN_MAX_PER_EMAIL; i++)
        assert_int_equal(login("target@example.com", "wrong guess", "10.0.0.2", &s, &retry, &err),
                         ERR_UNAUTHORIZED);
    /* now even the right password waits, with a time to come back */
    assert_int_equal(login("target@example.com", FIXTURE_PASSWORD, "10.0.0.3", &s, &retry, &err),
                     ERR_RATE_LIMITED);
    assert_true(retry > 0 && retry <= LOGIN_WINDOW_MS / 1000);

    /* one address failing on many emails is stopped too */
    char email[64];
    for (int i = 0; i < LOGIN_MAX_PER_CLIENT; i++) {
        snprintf(email, sizeof(email), "spray%d@example.com", i);
        login(email, "wrong guess", "10.9.9.9", &s, &retry, &err);
    }
    assert_int_equal(login("login@example.com", FIXTURE_PASSWORD, "10.9.9.9", &s, &retry, &err),
                     ERR_RATE_LIMITED);
    assert_ok(login("login@example.com", FIXTURE_PASSWORD, "10.0.0.4", &s, &retry, &err), &err);
    session_release(&s);
}

static void tokens_work_until_logout_and_only_ours(void **state)
{
    (void)state;
    struct fixture_user u;
    fixture_user_new(&fx, "tokens@example.com", NULL, &u);
    struct caller c;
    struct err err = ERR_INIT;
    assert_ok(accounts_logout(fx.accounts, &u.caller, &err), &err);
    assert_int_equal(fixture_bearer(&fx, u.session.token, &c, &err), ERR_UNAUTHORIZED);
    assert_contains(err.msg, "revoked");

    /* a token from someone else's secret, for this very user */
    struct jwt_claims forged = { .iat = 1, .exp = 4000000000 };
    snprintf(forged.sub, sizeof(forged.sub), "%s", u.session.user_id);
    snprintf(forged.ws, sizeof(forged.ws), "%s", u.session.workspace_id);
    snprintf(forged.jti, sizeof(forged.jti), "forged");
    char *token = NULL;
    const char *other = "another-secret-another-secret-another";
    assert_ok(jwt_sign(&forged, other, strlen(other), &token, &err), &err);
    assert_int_equal(fixture_bearer(&fx, token, &c, &err), ERR_UNAUTHORIZED);
    free(token);
    fixture_user_release(&u);

    assert_int_equal(accounts_authenticate(fx.accounts, NULL, &c, &err), ERR_UNAUTHORIZED);
    assert_contains(err.msg, "authentication required");
    assert_int_equal(accounts_authenticate(fx.accounts, "Basic dXNlcjpwYXNz", &c, &err),
                     ERR_UNAUTHORIZED);
    assert_int_equal(accounts_authenticate(fx.accounts, "Bearer ck_nosuchkey", &c, &err),
                     ERR_UNAUTHORIZED);
}

static void a_user_who_is_gone_cannot_come_back_with_a_token(void **state)
{
    (void)state;
    struct session s;
    fixture_register(&fx, "gone@example.com", NULL, &s);
    fixture_exec(&fx, "DELETE FROM users WHERE email = 'gone@example.com'");
    struct caller c;
    struct err err = ERR_INIT;
    assert_int_equal(fixture_bearer(&fx, s.token, &c, &err), ERR_UNAUTHORIZED);
    assert_contains(err.msg, "no longer exists");
    session_release(&s);
}

static void the_quota_counts_requests_per_minute(void **state)
{
    (void)state;
    struct fixture_user u;
    fixture_user_new(&fx, "quota@example.com", NULL, &u);
    u.caller.api_quota = 5;
    u.caller.via_key = true;
    int64_t retry = 0;
    struct err err = ERR_INIT;
    for (int i = 0; i < 5; i++)
        assert_ok(accounts_quota(fx.accounts, &u.caller, &retry, &err), &err);
    assert_int_equal(accounts_quota(fx.accounts, &u.caller, &retry, &err), ERR_RATE_LIMITED);
    assert_true(retry >= 1 && retry <= 60);
    assert_contains(err.msg, "5 requests a minute");
    /* the same user signed in is counted apart, with the sessions' allowance */
    u.caller.via_key = false;
    for (int i = 0; i < ACCOUNTS_SESSION_QUOTA; i++)
        assert_ok(accounts_quota(fx.accounts, &u.caller, &retry, &err), &err);
    assert_int_equal(accounts_quota(fx.accounts, &u.caller, &retry, &err), ERR_RATE_LIMITED);
    assert_contains(err.msg, "for signed-in sessions");
    fixture_user_release(&u);
}

static void a_session_gets_at_least_the_session_quota(void **state)
{
    (void)state;
    struct caller c = { .api_quota = 5, .via_key = true };
    assert_int_equal(accounts_quota_limit(&c), 5);
    c.via_key = false;
    assert_int_equal(accounts_quota_limit(&c), ACCOUNTS_SESSION_QUOTA);
    c.api_quota = ACCOUNTS_SESSION_QUOTA + 1;
    assert_int_equal(accounts_quota_limit(&c), ACCOUNTS_SESSION_QUOTA + 1);
    c.api_quota = -1; /* unlimited stays unlimited */
    assert_int_equal(accounts_quota_limit(&c), -1);
    c.via_key = true;
    assert_int_equal(accounts_quota_limit(&c), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_registration_makes_an_admin_of_a_free_workspace),
        cmocka_unit_test(bad_emails_and_weak_passwords_are_refused),
        cmocka_unit_test(login_says_the_same_for_unknown_emails_and_wrong_passwords),
        cmocka_unit_test(failed_logins_lock_the_email_and_the_address),
        cmocka_unit_test(tokens_work_until_logout_and_only_ours),
        cmocka_unit_test(a_user_who_is_gone_cannot_come_back_with_a_token),
        cmocka_unit_test(the_quota_counts_requests_per_minute),
        cmocka_unit_test(a_session_gets_at_least_the_session_quota),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
