/*
 * tests/unit/fixture.h - a real, migrated database (SQLite in a temporary
 * directory, or a fresh PostgreSQL database when TEST_DATABASE_URL names a
 * server: testdb.h) with the accounts service on top (cheapest password hashing),
 * for the domain's tests; sign-ups in one call, and statements run straight
 * on the database (to set a plan, plant a row or count rows) with their
 * failures failing the test. Single-threaded, like the tests that use it.
 */
#ifndef TESTS_UNIT_FIXTURE_H
#define TESTS_UNIT_FIXTURE_H

#include "core/compat.h"
#include "domain/accounts.h"
#include "store/store.h"

struct fixture {
    char dir[128];
    char url[512]; /* the database's: dir/test.db, or a postgres URL */
    struct store *store;
    struct kv *kv;
    struct accounts *accounts;
};

/* Opens the database and the service; 0, or -1 with a message (for a cmocka setup). */
int fixture_open(struct fixture *f);
int fixture_close(struct fixture *f);

/*
 * The fixture of the running test. fixture_setup opens it and points *state
 * at it, fixture_teardown closes it: a cmocka setup and teardown, for each
 * test or for a group.
 */
extern struct fixture fx;
int fixture_setup(void **state);
int fixture_teardown(void **state);
/* A cmocka test with a fresh fixture of its own. */
#define FIXTURE_TEST(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)

#define FIXTURE_PASSWORD "blue kettle over 9 hills"

/*
 * Registers email with FIXTURE_PASSWORD, company (may be NULL) and
 * invite_token (NULL: a new workspace): accounts_register's code, the session
 * in *out when it is ERR_OK (release it).
 */
enum err_code fixture_try_register(struct fixture *f, const char *email, const char *company,
                                   const char *invite_token, struct session *out, struct err *err);
/* Registers email (company may be NULL) in a new workspace; the session (release it). */
void fixture_register(struct fixture *f, const char *email, const char *company,
                      struct session *out);
/* Resolves "Bearer <credential>" (a token or an API key): the code, the caller into *out. */
enum err_code fixture_bearer(struct fixture *f, const char *credential, struct caller *out,
                             struct err *err);
/* The caller a session's token resolves to. */
void fixture_caller(struct fixture *f, const struct session *s, struct caller *out);

/* A registered user: its session (the token) and the caller it resolves to. */
struct fixture_user {
    struct session session;
    struct caller caller;
};

/*
 * Registers email - with invite_token into the inviting workspace, with NULL
 * as the admin of a new one on the free plan - and resolves its caller.
 * Release it with fixture_user_release.
 */
void fixture_user_new(struct fixture *f, const char *email, const char *invite_token,
                      struct fixture_user *u);
/* Moves u's workspace to plan (fixture_set_plan) and resolves u's caller again. */
void fixture_user_set_plan(struct fixture *f, struct fixture_user *u, const char *plan);
void fixture_user_release(struct fixture_user *u);

/*
 * The user of a FIXTURE_USER_TEST: ana@example.com, the admin of a new
 * workspace on the free plan. fixture_user_setup opens the fixture and
 * registers her, fixture_user_teardown releases her and closes it.
 */
extern struct fixture_user fx_user;
int fixture_user_setup(void **state);
int fixture_user_teardown(void **state);
/* A cmocka test with a fresh fixture of its own and fx_user in it. */
#define FIXTURE_USER_TEST(fn) \
    cmocka_unit_test_setup_teardown(fn, fixture_user_setup, fixture_user_teardown)

/* Runs sql (fixed statements without parameters: deletes and the like) on the database. */
void fixture_exec(struct fixture *f, const char *sql);
/* Runs one statement with params[0..n) bound to ?1..?n to its end. */
void fixture_run(struct fixture *f, const char *sql, const struct store_param *params, size_t n);
/* The integer in the first column of the first row of sql (there must be one; NULL is 0). */
int64_t fixture_int(struct fixture *f, const char *sql, const struct store_param *params, size_t n);
/*
 * The text in the first column of the first row of sql with param bound to
 * its one ?: malloc'd (free it), NULL when there is no row or the text is NULL.
 */
char *fixture_text(struct fixture *f, const char *sql, const char *param);
/*
 * The number of rows of "SELECT COUNT(*) FROM <from>", with param (NULL:
 * none) bound to the one ? of from: fixture_count(f, "users WHERE email = ?",
 * email).
 */
int64_t fixture_count(struct fixture *f, const char *from, const char *param);

/* Sets the plan_type of workspace_id directly (past every check). */
void fixture_set_plan(struct fixture *f, const char *workspace_id, const char *plan);
/*
 * Inserts an open invite of email into workspace_id by invited_by directly
 * (past every check), for the token given, valid for INVITE_TTL_MS.
 */
void fixture_insert_invite(struct fixture *f, const char *workspace_id, const char *email,
                           const char *invited_by, const char *token);

#endif
