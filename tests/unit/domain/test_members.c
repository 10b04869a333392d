/*
 * tests/unit/domain/test_members.c - workspaces, members and invites
 * (domain/members.h) on a real, migrated SQLite database with accounts made
 * by accounts_register: the member limit (members plus open invites) on the
 * free and business plans, for invites and for registrations; joining by
 * token with the invite's role, once, by the invited email only; admin-only
 * writes; a removed member's token and API key refused at once; the last
 * admin kept; no removing oneself; replacing, listing, expiring and
 * revoking invites; renaming; and tenant isolation (another workspace's
 * rows are not found and stay as they were). Single-threaded; a fresh
 * database per test.
 */
#include "core/compat.h"

#include "domain/members.h"

#include <ctype.h>
#include <setjmp.h>

#include <cmocka.h>

#include "fixture.h"
#include "testutil.h"

#include "core/sha256.h"
#include "store/store.h"

/* ---- helpers ----------------------------------------------------------------------------- */

/* Resolves "Bearer <credential>": the code, and the caller into *out. */
static enum err_code authenticate(const char *credential, struct caller *out)
{
    struct err err = ERR_INIT;
    return fixture_bearer(&fx, credential, out, &err);
}

/* Registers an admin of a new workspace; plan (NULL: free) is set directly; their caller. */
static void new_admin(const char *email, const char *plan, struct session *s, struct caller *c)
{
    fixture_register(&fx, email, "Acme", s);
    if (plan)
        fixture_set_plan(&fx, s->workspace_id, plan);
    fixture_caller(&fx, s, c); /* the caller carries the plan's limits */
}

/* Registers email with an invite token; the code (the session is released). */
static enum err_code register_with(const char *email, const char *token, struct session *s,
                                   struct err *err)
{
    return fixture_try_register(&fx, email, NULL, token, s, err);
}

/* An admin invites email with role (NULL: user), which must succeed: the invite and its token. */
static void invite_ok(const struct caller *admin, const char *email, const char *role,
                      struct invite_view *inv, char token[INVITE_TOKEN_LEN])
{
    struct err err = ERR_INIT;
    assert_ok(members_invite(fx.store, admin, email, role, inv, token, &err), &err);
}

/* An admin invites email with role and it registers: the new member's session and caller. */
static void join(const struct caller *admin, const char *email, const char *role, struct session *s,
                 struct caller *c)
{
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    invite_ok(admin, email, role, &inv, token);
    assert_ok(register_with(email, token, s, &err), &err);
    fixture_caller(&fx, s, c);
}

/* Inserts an API key for the user directly; the key into out. */
static void insert_key(const struct caller *c, char out[64])
{
    char id[IDS_UUID_LEN], random[33], hash[SHA256_HEX_LEN];
    ids_uuid7(id);
    ids_random_hex(random, 16);
    snprintf(out, 64, "%s%s", API_KEY_PREFIX, random);
    sha256_hex(out, strlen(out), hash);
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id), STORE_TEXT(c->user_id),
                               STORE_TEXT(hash) };
    fixture_run(&fx,
                "INSERT INTO api_keys (id, workspace_id, user_id, name, prefix, key_hash, "
                "created_at) VALUES (?, ?, ?, 'ci', 'ck_', ?, 1)",
                p, ARRAY_SIZE(p));
}

/* The member with email in the caller's workspace, or a zeroed view when none. */
static struct user_view member(const struct caller *c, const char *email)
{
    struct user_view *all = NULL, found = { 0 };
    size_t n = 0;
    struct err err = ERR_INIT;
    assert_ok(members_all(fx.store, c, &all, &n, &err), &err);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].email, email) == 0)
            found = all[i];
    free(all);
    return found;
}

/* The caller's invites (an admin's): their number, and the one for email into *out. */
static size_t invite_of(const struct caller *c, const char *email, struct invite_view *out)
{
    struct invite_view *all = NULL;
    size_t n = 0, hits = 0;
    struct err err = ERR_INIT;
    assert_ok(members_invites(fx.store, c, &all, &n, &err), &err);
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].email, email) == 0) {
            *out = all[i];
            hits++;
        }
    free(all);
    return hits;
}

/* ---- the member limit -------------------------------------------------------------------- */

static void the_free_plan_has_no_seat_to_invite_into(void **state)
{
    (void)state;
    struct session s;
    struct caller admin;
    new_admin("owner@example.com", NULL, &s, &admin);
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    assert_int_equal(members_invite(fx.store, &admin, "new@example.com", NULL, &inv, token, &err),
                     ERR_PLAN_LIMIT);
    assert_string_equal(err.field, "team_members");
    assert_contains(err.msg, "team_members");
    assert_contains(err.msg, "free");
    assert_string_equal(token, "");
    assert_int_equal(fixture_count(&fx, "invites", NULL), 0);
    session_release(&s);
}

static void business_allows_three_counting_open_invites(void **state)
{
    (void)state;
    struct session s;
    struct caller admin;
    new_admin("owner@example.com", "business", &s, &admin);
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    /* 1 member + 1 invite, then + 2: exactly the limit */
    invite_ok(&admin, "one@example.com", NULL, &inv, token);
    invite_ok(&admin, "two@example.com", NULL, &inv, token);
    struct usage u;
    assert_ok(members_workspace(fx.store, &admin, NULL, &u, &err), &err);
    assert_int_equal(u.members, 1);
    assert_int_equal(u.pending_invites, 2);
    /* the limit + 1 */
    assert_int_equal(members_invite(fx.store, &admin, "three@example.com", NULL, &inv, token, &err),
                     ERR_PLAN_LIMIT);
    assert_string_equal(err.field, "team_members");
    assert_contains(err.msg, "business");
    assert_int_equal(invite_of(&admin, "three@example.com", &inv), 0);
    session_release(&s);
}

static void a_third_registration_on_business_passes_the_limit(void **state)
{
    (void)state;
    struct session s, s1, s2, s3;
    struct caller admin, m1, m2;
    new_admin("owner@example.com", "business", &s, &admin);
    join(&admin, "one@example.com", NULL, &s1, &m1);
    join(&admin, "two@example.com", NULL, &s2, &m2);
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    assert_int_equal(members_invite(fx.store, &admin, "three@example.com", NULL, &inv, token, &err),
                     ERR_PLAN_LIMIT);
    /* an invite that got in past the gate still seats nobody past the limit */
    fixture_insert_invite(&fx, admin.workspace_id, "three@example.com", admin.user_id,
                          "sneaked-in-token");
    assert_int_equal(register_with("three@example.com", "sneaked-in-token", &s3, &err),
                     ERR_PLAN_LIMIT);
    assert_contains(err.msg, "team_members");
    assert_int_equal(fixture_count(&fx, "users WHERE workspace_id = ?", admin.workspace_id), 3);
    session_release(&s);
    session_release(&s1);
    session_release(&s2);
}

/* ---- joining by invite ------------------------------------------------------------------- */

static void a_token_joins_with_the_invites_role_once(void **state)
{
    (void)state;
    struct session s, joined, again;
    struct caller admin;
    new_admin("owner@example.com", "business", &s, &admin);
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    invite_ok(&admin, "  Helper@Example.COM ", "admin", &inv, token);
    assert_string_equal(inv.email, "helper@example.com");
    assert_int_equal(inv.role, ROLE_ADMIN);
    assert_int_equal(inv.state, INVITE_OPEN);
    assert_string_equal(inv.invited_by, admin.user_id);
    assert_int_equal(inv.expires_at - inv.created_at, INVITE_TTL_MS);
    assert_int_equal(strlen(token), 64);

    assert_ok(register_with("helper@example.com", token, &joined, &err), &err);
    assert_string_equal(joined.workspace_id, admin.workspace_id);
    struct caller c;
    fixture_caller(&fx, &joined, &c);
    assert_int_equal(c.role, ROLE_ADMIN);
    assert_string_equal(c.workspace_id, admin.workspace_id);
    assert_int_equal(member(&admin, "helper@example.com").role, ROLE_ADMIN);

    assert_int_equal(invite_of(&admin, "helper@example.com", &inv), 1);
    assert_int_equal(inv.state, INVITE_ACCEPTED);
    assert_true(inv.accepted_at > 0);

    /* the token was used: not by anyone again */
    assert_int_equal(register_with("other@example.com", token, &again, &err), ERR_INVALID);
    assert_string_equal(err.field, "invite_token");
    assert_contains(err.msg, "already used");
    session_release(&s);
    session_release(&joined);
}

static void an_invite_for_one_email_refuses_another(void **state)
{
    (void)state;
    struct session s, other;
    struct caller admin;
    new_admin("owner@example.com", "business", &s, &admin);
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    invite_ok(&admin, "invited@example.com", NULL, &inv, token);
    assert_int_equal(register_with("intruder@example.com", token, &other, &err), ERR_INVALID);
    assert_string_equal(err.field, "email");
    assert_int_equal(fixture_count(&fx, "users WHERE email = ?", "intruder@example.com"), 0);
    assert_int_equal(invite_of(&admin, "invited@example.com", &inv), 1);
    assert_int_equal(inv.state, INVITE_OPEN);
    session_release(&s);
}

static void the_token_is_stored_only_as_its_hash(void **state)
{
    (void)state;
    struct session s;
    struct caller admin;
    new_admin("owner@example.com", "business", &s, &admin);
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN], hash[SHA256_HEX_LEN];
    invite_ok(&admin, "x@example.com", NULL, &inv, token);
    for (const char *p = token; *p; p++)
        assert_non_null(strchr("0123456789abcdef", *p));
    sha256_hex(token, strlen(token), hash);
    struct store_param stored[] = { STORE_TEXT(inv.id), STORE_TEXT(hash) };
    assert_int_equal(
        fixture_int(&fx, "SELECT COUNT(*) FROM invites WHERE id = ? AND token_hash = ?", stored, 2),
        1);
    assert_int_equal(fixture_count(&fx, "invites WHERE token_hash = ?", token), 0);
    assert_int_equal(inv.role, ROLE_USER); /* the default role */
    session_release(&s);
}

static void a_second_invite_of_an_email_replaces_the_first(void **state)
{
    (void)state;
    struct session s, joined;
    struct caller admin;
    new_admin("owner@example.com", "business", &s, &admin);
    struct invite_view first, second, other, listed;
    char t1[INVITE_TOKEN_LEN], t2[INVITE_TOKEN_LEN], t3[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    invite_ok(&admin, "twice@example.com", NULL, &first, t1);
    invite_ok(&admin, "other@example.com", NULL, &other, t3);
    /* the workspace is full (1 + 2), yet the same email may be invited again */
    invite_ok(&admin, "twice@example.com", "admin", &second, t2);
    assert_int_equal(invite_of(&admin, "twice@example.com", &listed), 1);
    assert_string_equal(listed.id, second.id);
    assert_int_equal(listed.role, ROLE_ADMIN);
    assert_string_not_equal(t1, t2);
    assert_int_equal(register_with("twice@example.com", t1, &joined, &err), ERR_INVALID);
    assert_string_equal(err.field, "invite_token");
    assert_ok(register_with("twice@example.com", t2, &joined, &err), &err);
    assert_string_equal(joined.workspace_id, admin.workspace_id);
    session_release(&s);
    session_release(&joined);
}

static void an_email_with_an_account_cannot_be_invited(void **state)
{
    (void)state;
    struct session s, elsewhere;
    struct caller admin, other;
    new_admin("owner@example.com", "business", &s, &admin);
    new_admin("taken@example.com", NULL, &elsewhere, &other);
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    assert_int_equal(members_invite(fx.store, &admin, "TAKEN@example.com", NULL, &inv, token, &err),
                     ERR_CONFLICT);
    assert_string_equal(err.field, "email");
    assert_int_equal(members_invite(fx.store, &admin, "owner@example.com", NULL, &inv, token, &err),
                     ERR_CONFLICT);
    assert_int_equal(members_invite(fx.store, &admin, "not-an-email", NULL, &inv, token, &err),
                     ERR_INVALID);
    assert_string_equal(err.field, "email");
    assert_int_equal(members_invite(fx.store, &admin, "ok@example.com", "owner", &inv, token, &err),
                     ERR_INVALID);
    assert_string_equal(err.field, "role");
    assert_int_equal(fixture_count(&fx, "invites", NULL), 0);
    session_release(&s);
    session_release(&elsewhere);
}

static void an_expired_invite_frees_its_seat_and_registers_nobody(void **state)
{
    (void)state;
    struct session s, joined;
    struct caller admin;
    new_admin("owner@example.com", "business", &s, &admin);
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    invite_ok(&admin, "late@example.com", NULL, &inv, token);
    struct store_param id[] = { STORE_TEXT(inv.id) };
    fixture_run(&fx, "UPDATE invites SET expires_at = 1 WHERE id = ?", id, 1);
    struct usage u;
    assert_ok(members_workspace(fx.store, &admin, NULL, &u, &err), &err);
    assert_int_equal(u.pending_invites, 0);
    assert_int_equal(invite_of(&admin, "late@example.com", &inv), 1);
    assert_int_equal(inv.state, INVITE_EXPIRED);
    assert_string_equal(invite_state_name(inv.state), "expired");
    assert_int_equal(register_with("late@example.com", token, &joined, &err), ERR_INVALID);
    assert_contains(err.msg, "expired");
    session_release(&s);
}

static void revoking_an_invite_kills_its_token(void **state)
{
    (void)state;
    struct session s, joined;
    struct caller admin;
    new_admin("owner@example.com", "business", &s, &admin);
    struct invite_view open, used;
    char t1[INVITE_TOKEN_LEN], t2[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    invite_ok(&admin, "gone@example.com", NULL, &open, t1);
    invite_ok(&admin, "kept@example.com", NULL, &used, t2);
    assert_ok(register_with("kept@example.com", t2, &joined, &err), &err);
    session_release(&joined);

    assert_ok(members_revoke_invite(fx.store, &admin, open.id, &err), &err);
    assert_int_equal(invite_of(&admin, "gone@example.com", &open), 0);
    assert_int_equal(register_with("gone@example.com", t1, &joined, &err), ERR_INVALID);
    assert_string_equal(err.field, "invite_token");
    /* twice: it is gone */
    assert_int_equal(members_revoke_invite(fx.store, &admin, open.id, &err), ERR_NOT_FOUND);
    /* an accepted invite stays: it is the member's history */
    assert_int_equal(members_revoke_invite(fx.store, &admin, used.id, &err), ERR_CONFLICT);
    assert_int_equal(members_revoke_invite(fx.store, &admin, "not-a-uuid", &err), ERR_NOT_FOUND);
    assert_int_equal(members_revoke_invite(fx.store, &admin, NULL, &err), ERR_NOT_FOUND);
    session_release(&s);
}

/* ---- admins only ------------------------------------------------------------------------- */

static void a_non_admin_cannot_manage_the_team(void **state)
{
    (void)state;
    struct session s, sm, sx;
    struct caller admin, user, other;
    new_admin("owner@example.com", "agency", &s, &admin); /* room for 3 members and an invite */
    join(&admin, "member@example.com", NULL, &sm, &user);
    assert_int_equal(user.role, ROLE_USER);
    struct invite_view inv;
    char token[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    invite_ok(&admin, "pending@example.com", NULL, &inv, token);
    join(&admin, "other@example.com", NULL, &sx, &other);

    assert_int_equal(members_invite(fx.store, &user, "new@example.com", NULL, &inv, token, &err),
                     ERR_FORBIDDEN);
    assert_int_equal(members_delete(fx.store, &user, other.user_id, &err), ERR_FORBIDDEN);
    assert_int_equal(members_set_role(fx.store, &user, user.user_id, "admin", NULL, &err),
                     ERR_FORBIDDEN);
    assert_int_equal(members_set_role(fx.store, &user, admin.user_id, "user", NULL, &err),
                     ERR_FORBIDDEN);
    struct invite_view *list = NULL;
    size_t n = 0;
    assert_int_equal(members_invites(fx.store, &user, &list, &n, &err), ERR_FORBIDDEN);
    assert_null(list);
    assert_int_equal(members_revoke_invite(fx.store, &user, inv.id, &err), ERR_FORBIDDEN);
    assert_int_equal(members_rename(fx.store, &user, "Mine now", NULL, &err), ERR_FORBIDDEN);

    /* nothing changed; and a member may still see the team */
    assert_int_equal(member(&user, "member@example.com").role, ROLE_USER);
    assert_int_equal(member(&user, "owner@example.com").role, ROLE_ADMIN);
    assert_int_equal(member(&user, "other@example.com").role, ROLE_USER);
    assert_int_equal(invite_of(&admin, "pending@example.com", &inv), 1);
    struct workspace_view ws;
    assert_ok(members_workspace(fx.store, &user, &ws, NULL, &err), &err);
    assert_string_equal(ws.name, "Acme");
    session_release(&s);
    session_release(&sm);
    session_release(&sx);
}

/* ---- removing and roles ------------------------------------------------------------------ */

static void a_removed_members_token_and_key_stop_working(void **state)
{
    (void)state;
    struct session s, sm;
    struct caller admin, user, check;
    new_admin("owner@example.com", "business", &s, &admin);
    join(&admin, "leaving@example.com", NULL, &sm, &user);
    char key[64];
    insert_key(&user, key);
    assert_int_equal(authenticate(key, &check), ERR_OK);
    assert_string_equal(check.user_id, user.user_id);
    assert_int_equal(authenticate(sm.token, &check), ERR_OK);

    struct err err = ERR_INIT;
    assert_ok(members_delete(fx.store, &admin, user.user_id, &err), &err);
    assert_int_equal(authenticate(sm.token, &check), ERR_UNAUTHORIZED);
    assert_int_equal(authenticate(key, &check), ERR_UNAUTHORIZED);
    assert_int_equal(fixture_count(&fx, "api_keys WHERE user_id = ?", user.user_id), 0);
    assert_int_equal(member(&admin, "leaving@example.com").id[0], '\0');
    /* the admin is untouched */
    assert_int_equal(authenticate(s.token, &check), ERR_OK);
    /* and the seat is free again */
    struct usage u;
    assert_ok(members_workspace(fx.store, &admin, NULL, &u, &err), &err);
    assert_int_equal(u.members, 1);
    assert_int_equal(members_delete(fx.store, &admin, user.user_id, &err), ERR_NOT_FOUND);
    session_release(&s);
    session_release(&sm);
}

static void you_cannot_remove_yourself(void **state)
{
    (void)state;
    struct session s;
    struct caller admin, check;
    new_admin("owner@example.com", NULL, &s, &admin);
    struct err err = ERR_INIT;
    assert_int_equal(members_delete(fx.store, &admin, admin.user_id, &err), ERR_CONFLICT);
    assert_string_equal(err.msg, "you cannot remove yourself");
    /* an upper-case spelling of one's own id is still oneself */
    char upper[IDS_UUID_LEN];
    for (size_t i = 0; i < sizeof(upper); i++)
        upper[i] = (char)toupper((unsigned char)admin.user_id[i]);
    assert_int_equal(members_delete(fx.store, &admin, upper, &err), ERR_CONFLICT);
    assert_int_equal(authenticate(s.token, &check), ERR_OK);
    session_release(&s);
}

static void the_last_admin_cannot_be_demoted(void **state)
{
    (void)state;
    struct session s, sm;
    struct caller admin, second;
    new_admin("owner@example.com", "business", &s, &admin);
    struct err err = ERR_INIT;
    assert_int_equal(members_set_role(fx.store, &admin, admin.user_id, "user", NULL, &err),
                     ERR_CONFLICT);
    assert_contains(err.msg, "last admin");
    assert_int_equal(member(&admin, "owner@example.com").role, ROLE_ADMIN);
    /* keeping the role is no change */
    struct user_view u;
    assert_ok(members_set_role(fx.store, &admin, admin.user_id, "admin", &u, &err), &err);
    assert_int_equal(u.role, ROLE_ADMIN);

    join(&admin, "second@example.com", NULL, &sm, &second);
    assert_ok(members_set_role(fx.store, &admin, second.user_id, "admin", &u, &err), &err);
    assert_int_equal(u.role, ROLE_ADMIN);
    assert_string_equal(u.email, "second@example.com");
    assert_string_equal(u.workspace_id, admin.workspace_id);
    /* with two admins one may step down; then the other is the last */
    assert_ok(members_set_role(fx.store, &admin, admin.user_id, "user", &u, &err), &err);
    assert_int_equal(u.role, ROLE_USER);
    fixture_caller(&fx, &sm, &second);
    assert_int_equal(second.role, ROLE_ADMIN);
    assert_int_equal(members_set_role(fx.store, &second, second.user_id, "user", NULL, &err),
                     ERR_CONFLICT);
    assert_int_equal(members_set_role(fx.store, &second, admin.user_id, "boss", NULL, &err),
                     ERR_INVALID);
    assert_string_equal(err.field, "role");
    assert_int_equal(members_set_role(fx.store, &second, admin.user_id, NULL, NULL, &err),
                     ERR_INVALID);
    assert_int_equal(members_set_role(fx.store, &second, "12345", "user", NULL, &err),
                     ERR_NOT_FOUND);
    assert_int_equal(member(&second, "second@example.com").role, ROLE_ADMIN);
    session_release(&s);
    session_release(&sm);
}

/* ---- the workspace ----------------------------------------------------------------------- */

static void an_admin_renames_the_workspace(void **state)
{
    (void)state;
    struct session s;
    struct caller admin;
    new_admin("owner@example.com", NULL, &s, &admin);
    struct workspace_view ws;
    struct err err = ERR_INIT;
    assert_ok(members_rename(fx.store, &admin, "  Acme Research  ", &ws, &err), &err);
    assert_string_equal(ws.name, "Acme Research");
    assert_string_equal(ws.id, admin.workspace_id);
    assert_string_equal(ws.plan->name, "free");
    assert_ok(members_workspace(fx.store, &admin, &ws, NULL, &err), &err);
    assert_string_equal(ws.name, "Acme Research");

    char name[WORKSPACE_NAME_MAX + 2];
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    assert_int_equal(members_rename(fx.store, &admin, name, NULL, &err), ERR_INVALID); /* 201 */
    assert_string_equal(err.field, "name");
    name[WORKSPACE_NAME_MAX] = '\0';
    assert_ok(members_rename(fx.store, &admin, name, &ws, &err), &err); /* exactly 200 */
    assert_int_equal(strlen(ws.name), WORKSPACE_NAME_MAX);
    assert_ok(members_rename(fx.store, &admin, "X", &ws, &err), &err); /* 1 */
    assert_int_equal(members_rename(fx.store, &admin, "   ", NULL, &err), ERR_INVALID);
    assert_int_equal(members_rename(fx.store, &admin, "", NULL, &err), ERR_INVALID);
    assert_int_equal(members_rename(fx.store, &admin, NULL, NULL, &err), ERR_INVALID);
    assert_int_equal(members_rename(fx.store, &admin, "two\nlines", NULL, &err), ERR_INVALID);
    assert_int_equal(members_rename(fx.store, &admin, "bad \xff byte", NULL, &err), ERR_INVALID);
    assert_ok(members_workspace(fx.store, &admin, &ws, NULL, &err), &err);
    assert_string_equal(ws.name, "X");
    session_release(&s);
}

static void members_are_listed_oldest_first(void **state)
{
    (void)state;
    struct session s, s1, s2;
    struct caller admin, m1, m2;
    new_admin("owner@example.com", "business", &s, &admin);
    join(&admin, "one@example.com", "admin", &s1, &m1);
    join(&admin, "two@example.com", NULL, &s2, &m2);
    struct user_view *all = NULL;
    size_t n = 0;
    struct err err = ERR_INIT;
    assert_ok(members_all(fx.store, &m2, &all, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_string_equal(all[0].email, "owner@example.com");
    assert_string_equal(all[1].email, "one@example.com");
    assert_int_equal(all[1].role, ROLE_ADMIN);
    assert_string_equal(all[2].email, "two@example.com");
    assert_string_equal(all[2].id, m2.user_id);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(all[i].workspace_id, admin.workspace_id);
    free(all);
    session_release(&s);
    session_release(&s1);
    session_release(&s2);
}

/* ---- tenants ----------------------------------------------------------------------------- */

static void another_workspaces_team_is_not_found_and_unchanged(void **state)
{
    (void)state;
    struct session sa, sam, sb;
    struct caller a, a_member, b;
    new_admin("a@example.com", "business", &sa, &a);
    join(&a, "a-member@example.com", NULL, &sam, &a_member);
    struct invite_view a_inv, inv;
    char token[INVITE_TOKEN_LEN];
    struct err err = ERR_INIT;
    invite_ok(&a, "a-pending@example.com", NULL, &a_inv, token);
    new_admin("b@example.com", "business", &sb, &b);

    assert_int_equal(members_set_role(fx.store, &b, a_member.user_id, "admin", NULL, &err),
                     ERR_NOT_FOUND);
    assert_int_equal(members_set_role(fx.store, &b, a.user_id, "user", NULL, &err), ERR_NOT_FOUND);
    assert_int_equal(members_delete(fx.store, &b, a_member.user_id, &err), ERR_NOT_FOUND);
    assert_int_equal(members_delete(fx.store, &b, a.user_id, &err), ERR_NOT_FOUND);
    assert_int_equal(members_revoke_invite(fx.store, &b, a_inv.id, &err), ERR_NOT_FOUND);
    assert_int_equal(member(&b, "a-member@example.com").id[0], '\0');
    assert_int_equal(member(&b, "a@example.com").id[0], '\0');
    assert_int_equal(invite_of(&b, "a-pending@example.com", &inv), 0);
    /* B's own invite of the same address is B's alone: A's stays */
    invite_ok(&b, "a-pending@example.com", NULL, &inv, token);

    /* A's rows are as they were */
    struct caller check;
    assert_int_equal(authenticate(sam.token, &check), ERR_OK);
    assert_int_equal(check.role, ROLE_USER);
    assert_string_equal(check.workspace_id, a.workspace_id);
    assert_int_equal(member(&a, "a@example.com").role, ROLE_ADMIN);
    assert_int_equal(invite_of(&a, "a-pending@example.com", &inv), 1);
    assert_string_equal(inv.id, a_inv.id);
    assert_int_equal(inv.state, INVITE_OPEN);
    struct usage u;
    assert_ok(members_workspace(fx.store, &a, NULL, &u, &err), &err);
    assert_int_equal(u.members, 2);
    assert_int_equal(u.pending_invites, 1);
    session_release(&sa);
    session_release(&sam);
    session_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(the_free_plan_has_no_seat_to_invite_into),
        FIXTURE_TEST(business_allows_three_counting_open_invites),
        FIXTURE_TEST(a_third_registration_on_business_passes_the_limit),
        FIXTURE_TEST(a_token_joins_with_the_invites_role_once),
        FIXTURE_TEST(an_invite_for_one_email_refuses_another),
        FIXTURE_TEST(the_token_is_stored_only_as_its_hash),
        FIXTURE_TEST(a_second_invite_of_an_email_replaces_the_first),
        FIXTURE_TEST(an_email_with_an_account_cannot_be_invited),
        FIXTURE_TEST(an_expired_invite_frees_its_seat_and_registers_nobody),
        FIXTURE_TEST(revoking_an_invite_kills_its_token),
        FIXTURE_TEST(a_non_admin_cannot_manage_the_team),
        FIXTURE_TEST(a_removed_members_token_and_key_stop_working),
        FIXTURE_TEST(you_cannot_remove_yourself),
        FIXTURE_TEST(the_last_admin_cannot_be_demoted),
        FIXTURE_TEST(an_admin_renames_the_workspace),
        FIXTURE_TEST(members_are_listed_oldest_first),
        FIXTURE_TEST(another_workspaces_team_is_not_found_and_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
