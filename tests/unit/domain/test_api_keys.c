/*
 * tests/unit/domain/test_api_keys.c - domain/api_keys.h against a real
 * SQLite store with every migration applied, in a mkdtemp directory per
 * test: the api_access gate, keys that authenticate through
 * accounts_authenticate until revoked, what is stored (a hash, never the
 * key), listing, who may revoke, the live-key cap, validation and tenant
 * isolation. Workspaces and callers come from accounts_register and
 * accounts_authenticate, as in the server. Single-threaded.
 */
#include "core/compat.h"

#include "domain/api_keys.h"

#include <setjmp.h>

#include <cmocka.h>

#include "fixture.h"
#include "testutil.h"

#include "core/clock.h"
#include "core/sha256.h"

/* A key made by a test: what create answered. */
struct made_key {
    struct api_key k;
    char key[API_KEY_TEXT_LEN];
};

/* Registers email as the admin of a new workspace on the free plan. */
static void register_admin(struct fixture *f, const char *email, struct fixture_user *u)
{
    fixture_user_new(f, email, NULL, u);
    assert_int_equal(u->caller.role, ROLE_ADMIN);
}

/* Registers email as a member (role user) of admin's workspace through an invite row. */
static void register_invited(struct fixture *f, const struct fixture_user *admin, const char *email,
                             struct fixture_user *u)
{
    char token[33];
    ids_random_hex(token, 16);
    fixture_insert_invite(f, admin->caller.workspace_id, email, admin->caller.user_id, token);
    fixture_user_new(f, email, token, u);
    assert_int_equal(u->caller.role, ROLE_USER);
    assert_string_equal(u->caller.workspace_id, admin->caller.workspace_id);
}

static void create_ok(struct fixture *f, const struct fixture_user *m, const char *name,
                      struct made_key *out)
{
    struct err err = ERR_INIT;
    assert_ok(api_key_create(f->store, &m->caller, name, &out->k, out->key, &err), &err);
}

/* The api_keys rows of a workspace (live ones only when live), counted straight from the table. */
static int64_t count_rows(struct fixture *f, const char *workspace_id, bool live)
{
    return fixture_count(f,
                         live ? "api_keys WHERE workspace_id = ? AND revoked_at IS NULL"
                              : "api_keys WHERE workspace_id = ?",
                         workspace_id);
}

/* The revoked_at of key id (0 when live). */
static int64_t revoked_at(struct fixture *f, const char *id)
{
    struct store_param p[] = { STORE_TEXT(id) };
    return fixture_int(f, "SELECT revoked_at FROM api_keys WHERE id = ?", p, 1);
}

/* ---- the plan gate ----------------------------------------------------------------------- */

static void refused_on_a_plan_without_api_access(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    register_admin(f, "ana@example.com", &a);
    const char *plans[] = { "free", "individual" };
    for (size_t i = 0; i < ARRAY_SIZE(plans); i++) {
        fixture_user_set_plan(f, &a, plans[i]);
        struct err err = ERR_INIT;
        struct made_key m;
        assert_int_equal(api_key_create(f->store, &a.caller, "ci", &m.k, m.key, &err),
                         ERR_FORBIDDEN);
        assert_string_equal(err.field, "api_access");
        assert_non_null(strstr(err.msg, "api_access"));
        assert_non_null(strstr(err.msg, plans[i]));
        assert_string_equal(m.key, "");
    }
    assert_int_equal(count_rows(f, a.caller.workspace_id, false), 0);
    fixture_user_release(&a);
}

/* ---- create and authenticate ------------------------------------------------------------- */

static void created_key_authenticates_as_its_creator(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    register_admin(f, "ana@example.com", &a);
    fixture_user_set_plan(f, &a, "business");
    struct made_key m;
    create_ok(f, &a, "  CI pipeline  ", &m);
    assert_true(ids_is_uuid(m.k.id, strlen(m.k.id)));
    assert_string_equal(m.k.name, "CI pipeline");
    assert_string_equal(m.k.user_id, a.caller.user_id);
    assert_int_equal(strlen(m.key), API_KEY_TEXT_LEN - 1);
    assert_memory_equal(m.key, API_KEY_PREFIX, strlen(API_KEY_PREFIX));
    for (const char *p = m.key + strlen(API_KEY_PREFIX); *p; p++)
        assert_non_null(strchr("0123456789abcdef", *p));
    assert_int_equal(strlen(m.k.prefix), strlen(API_KEY_PREFIX) + API_KEY_DISPLAY_HEX);
    assert_memory_equal(m.k.prefix, m.key, strlen(m.k.prefix));
    assert_true(m.k.created_at > 0);
    assert_int_equal(m.k.revoked_at, 0);

    struct caller c;
    struct err err = ERR_INIT;
    assert_ok(fixture_bearer(f, m.key, &c, &err), &err);
    assert_true(c.via_key);
    assert_string_equal(c.user_id, a.caller.user_id);
    assert_string_equal(c.workspace_id, a.caller.workspace_id);
    assert_string_equal(c.credential_id, m.k.id);
    assert_string_equal(c.plan->name, "business");
    /* and the use is noted */
    struct api_key_list l;
    assert_ok(api_key_list(f->store, &a.caller, &l, &err), &err);
    assert_int_equal(l.n, 1);
    assert_true(l.items[0].last_used_at >= m.k.created_at);
    api_key_list_release(&l);

    /* two keys are never the same */
    struct made_key m2;
    create_ok(f, &a, "second", &m2);
    assert_string_not_equal(m.key, m2.key);
    fixture_user_release(&a);
}

static void stored_row_never_holds_the_key(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    register_admin(f, "ana@example.com", &a);
    fixture_user_set_plan(f, &a, "business");
    struct made_key m;
    create_ok(f, &a, "stored", &m);
    const char *secret_part = m.key + strlen(API_KEY_PREFIX);
    char hash[SHA256_HEX_LEN];
    sha256_hex(m.key, strlen(m.key), hash);

    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool row = false;
    assert_ok(store_acquire(f->store, &c, &err), &err);
    assert_ok(store_prepare(c, "SELECT * FROM api_keys", &st, &err), &err);
    int rows = 0;
    for (;;) {
        assert_ok(store_step(st, &row, &err), &err);
        if (!row)
            break;
        rows++;
        for (int i = 0; i < store_col_count(st); i++) {
            const char *v = store_col_text(st, i);
            if (!v)
                continue;
            assert_null(strstr(v, m.key));
            assert_null(strstr(v, secret_part));
            /* the display prefix shows at most API_KEY_DISPLAY_HEX digits of it */
            char head[API_KEY_DISPLAY_HEX + 2];
            snprintf(head, sizeof(head), "%.*s", API_KEY_DISPLAY_HEX + 1, secret_part);
            assert_null(strstr(v, head));
        }
    }
    store_finalize(st);
    assert_ok(store_prepare(c, "SELECT key_hash, prefix FROM api_keys WHERE id = ?", &st, &err),
              &err);
    store_bind_text(st, 1, m.k.id);
    assert_ok(store_step(st, &row, &err), &err);
    assert_true(row);
    assert_string_equal(store_col_text(st, 0), hash);
    assert_string_equal(store_col_text(st, 1), m.k.prefix);
    store_finalize(st);
    store_release(f->store, c);
    assert_int_equal(rows, 1);
    fixture_user_release(&a);
}

static void a_key_cannot_create_keys(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    register_admin(f, "ana@example.com", &a);
    fixture_user_set_plan(f, &a, "business");
    struct made_key m, other;
    create_ok(f, &a, "script", &m);
    struct caller by_key;
    struct err err = ERR_INIT;
    assert_ok(fixture_bearer(f, m.key, &by_key, &err), &err);
    assert_int_equal(api_key_create(f->store, &by_key, "more", &other.k, other.key, &err),
                     ERR_FORBIDDEN);
    assert_int_equal(count_rows(f, a.caller.workspace_id, false), 1);
    fixture_user_release(&a);
}

static void validates_the_name(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    register_admin(f, "ana@example.com", &a);
    fixture_user_set_plan(f, &a, "business");
    char at_max[API_KEY_NAME_MAX * 2 + 1], over[API_KEY_NAME_MAX + 2];
    for (int i = 0; i < API_KEY_NAME_MAX; i++)
        memcpy(at_max + 2 * i, "\xc3\xa7", 2); /* ç: one character, two bytes */
    at_max[API_KEY_NAME_MAX * 2] = '\0';
    memset(over, 'k', API_KEY_NAME_MAX + 1);
    over[API_KEY_NAME_MAX + 1] = '\0';
    const char *bad[] = { NULL, "", "   ", over, "tab\there", "\xc3" };
    struct made_key m;
    struct err err = ERR_INIT;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(api_key_create(f->store, &a.caller, bad[i], &m.k, m.key, &err),
                         ERR_INVALID);
        assert_string_equal(err.field, "name");
    }
    assert_int_equal(count_rows(f, a.caller.workspace_id, false), 0);
    create_ok(f, &a, at_max, &m);
    assert_string_equal(m.k.name, at_max);
    create_ok(f, &a, "k", &m);
    fixture_user_release(&a);
}

static void live_keys_are_capped(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    register_admin(f, "ana@example.com", &a);
    fixture_user_set_plan(f, &a, "business");
    struct made_key m, first;
    create_ok(f, &a, "key 0", &first);
    for (int i = 1; i < API_KEYS_MAX_LIVE; i++)
        create_ok(f, &a, "key", &m);
    struct err err = ERR_INIT;
    assert_int_equal(api_key_create(f->store, &a.caller, "one too many", &m.k, m.key, &err),
                     ERR_PLAN_LIMIT);
    assert_string_equal(err.field, "api_keys");
    assert_non_null(strstr(err.msg, "25"));
    assert_int_equal(count_rows(f, a.caller.workspace_id, false), API_KEYS_MAX_LIVE);
    /* a revoked key frees a place */
    assert_ok(api_key_revoke(f->store, &a.caller, first.k.id, &err), &err);
    create_ok(f, &a, "replacement", &m);
    assert_int_equal(count_rows(f, a.caller.workspace_id, true), API_KEYS_MAX_LIVE);
    fixture_user_release(&a);
}

/* ---- list -------------------------------------------------------------------------------- */

static void lists_the_workspace_keys_without_secrets(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a, u;
    register_admin(f, "ana@example.com", &a);
    fixture_user_set_plan(f, &a, "business");
    register_invited(f, &a, "ugo@example.com", &u);
    struct made_key old, mine, theirs;
    create_ok(f, &a, "old", &old);
    create_ok(f, &a, "mine", &mine);
    create_ok(f, &u, "theirs", &theirs);
    struct err err = ERR_INIT;
    assert_ok(api_key_revoke(f->store, &a.caller, old.k.id, &err), &err);

    /* a member sees every key of the workspace: live newest first, then revoked */
    struct api_key_list l;
    assert_ok(api_key_list(f->store, &u.caller, &l, &err), &err);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.items[0].id, theirs.k.id);
    assert_string_equal(l.items[0].user_id, u.caller.user_id);
    assert_string_equal(l.items[0].name, "theirs");
    assert_string_equal(l.items[0].prefix, theirs.k.prefix);
    assert_int_equal(l.items[0].revoked_at, 0);
    assert_int_equal(l.items[0].last_used_at, 0);
    assert_string_equal(l.items[1].id, mine.k.id);
    assert_string_equal(l.items[2].id, old.k.id);
    assert_true(l.items[2].revoked_at >= l.items[2].created_at);
    assert_true(l.items[2].revoked_at > 0);
    api_key_list_release(&l);
    fixture_user_release(&a);
    fixture_user_release(&u);
}

/* ---- revoke ------------------------------------------------------------------------------ */

static void revoked_key_no_longer_authenticates(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    register_admin(f, "ana@example.com", &a);
    fixture_user_set_plan(f, &a, "business");
    struct made_key m, other;
    create_ok(f, &a, "short-lived", &m);
    create_ok(f, &a, "stays", &other);
    struct err err = ERR_INIT;
    struct caller c;
    assert_ok(api_key_revoke(f->store, &a.caller, m.k.id, &err), &err);
    assert_int_equal(fixture_bearer(f, m.key, &c, &err), ERR_UNAUTHORIZED);
    int64_t first = revoked_at(f, m.k.id);
    assert_true(first > 0);
    /* twice is fine, and the first time stays */
    clock_sleep_ms(2);
    assert_ok(api_key_revoke(f->store, &a.caller, m.k.id, &err), &err);
    assert_int_equal(revoked_at(f, m.k.id), first);
    /* the other key is untouched */
    assert_ok(fixture_bearer(f, other.key, &c, &err), &err);
    assert_int_equal(revoked_at(f, other.k.id), 0);
    fixture_user_release(&a);
}

static void member_revokes_own_keys_and_admin_any(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a, u;
    register_admin(f, "ana@example.com", &a);
    fixture_user_set_plan(f, &a, "business");
    register_invited(f, &a, "ugo@example.com", &u);
    struct made_key admins, own, own2;
    create_ok(f, &a, "admin's", &admins);
    create_ok(f, &u, "member's", &own);
    create_ok(f, &u, "member's too", &own2);
    struct err err = ERR_INIT;
    struct caller c;

    assert_int_equal(api_key_revoke(f->store, &u.caller, admins.k.id, &err), ERR_FORBIDDEN);
    assert_int_equal(revoked_at(f, admins.k.id), 0);
    assert_ok(fixture_bearer(f, admins.key, &c, &err), &err);

    assert_ok(api_key_revoke(f->store, &u.caller, own.k.id, &err), &err);
    assert_int_equal(fixture_bearer(f, own.key, &c, &err), ERR_UNAUTHORIZED);

    assert_ok(api_key_revoke(f->store, &a.caller, own2.k.id, &err), &err);
    assert_int_equal(fixture_bearer(f, own2.key, &c, &err), ERR_UNAUTHORIZED);
    fixture_user_release(&a);
    fixture_user_release(&u);
}

static void malformed_and_unknown_ids_are_not_found(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    register_admin(f, "ana@example.com", &a);
    const char *ids[] = { "0192f5c8-0000-7000-8000-000000000000", "nope", "", "' OR ''='" };
    struct err err = ERR_INIT;
    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        assert_int_equal(api_key_revoke(f->store, &a.caller, ids[i], &err), ERR_NOT_FOUND);
        assert_non_null(strstr(err.msg, "no API key '"));
    }
    assert_int_equal(api_key_revoke(f->store, &a.caller, NULL, &err), ERR_NOT_FOUND);
    fixture_user_release(&a);
}

static void downgraded_workspace_keys_stop_but_can_be_cleaned_up(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a;
    register_admin(f, "ana@example.com", &a);
    fixture_user_set_plan(f, &a, "business");
    struct made_key m;
    create_ok(f, &a, "before downgrade", &m);
    fixture_user_set_plan(f, &a, "free");
    struct err err = ERR_INIT;
    struct caller c;
    assert_int_equal(fixture_bearer(f, m.key, &c, &err), ERR_FORBIDDEN);
    struct api_key_list l;
    assert_ok(api_key_list(f->store, &a.caller, &l, &err), &err);
    assert_int_equal(l.n, 1);
    api_key_list_release(&l);
    assert_ok(api_key_revoke(f->store, &a.caller, m.k.id, &err), &err);
    assert_true(revoked_at(f, m.k.id) > 0);
    fixture_user_release(&a);
}

/* ---- tenant isolation -------------------------------------------------------------------- */

static void another_workspace_cannot_see_or_revoke_a_key(void **state)
{
    struct fixture *f = *state;
    struct fixture_user a, b;
    register_admin(f, "ana@example.com", &a);
    register_admin(f, "bruno@example.org", &b);
    fixture_user_set_plan(f, &a, "business");
    fixture_user_set_plan(f, &b, "business");
    struct made_key m;
    create_ok(f, &a, "a's key", &m);
    struct err err = ERR_INIT;
    /* b is an admin, but of another workspace */
    assert_int_equal(api_key_revoke(f->store, &b.caller, m.k.id, &err), ERR_NOT_FOUND);
    assert_null(strstr(err.msg, "a's key"));
    assert_int_equal(revoked_at(f, m.k.id), 0);
    struct caller c;
    assert_ok(fixture_bearer(f, m.key, &c, &err), &err);
    assert_string_equal(c.workspace_id, a.caller.workspace_id);

    struct api_key_list l;
    assert_ok(api_key_list(f->store, &b.caller, &l, &err), &err);
    assert_int_equal(l.n, 0);
    api_key_list_release(&l);
    assert_ok(api_key_list(f->store, &a.caller, &l, &err), &err);
    assert_int_equal(l.n, 1);
    api_key_list_release(&l);
    fixture_user_release(&a);
    fixture_user_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(refused_on_a_plan_without_api_access),
        FIXTURE_TEST(created_key_authenticates_as_its_creator),
        FIXTURE_TEST(stored_row_never_holds_the_key),
        FIXTURE_TEST(a_key_cannot_create_keys),
        FIXTURE_TEST(validates_the_name),
        FIXTURE_TEST(live_keys_are_capped),
        FIXTURE_TEST(lists_the_workspace_keys_without_secrets),
        FIXTURE_TEST(revoked_key_no_longer_authenticates),
        FIXTURE_TEST(member_revokes_own_keys_and_admin_any),
        FIXTURE_TEST(malformed_and_unknown_ids_are_not_found),
        FIXTURE_TEST(downgraded_workspace_keys_stop_but_can_be_cleaned_up),
        FIXTURE_TEST(another_workspace_cannot_see_or_revoke_a_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
