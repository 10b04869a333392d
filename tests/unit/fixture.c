/*
 * tests/unit/fixture.c - the database-and-accounts fixture (see fixture.h).
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "fixture.h"
#include "testdb.h"
#include "testutil.h"

#include "core/clock.h"
#include "core/ids.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "store/kv.h"
#include "store/migrate.h"

struct fixture fx;

int fixture_open(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    ids_init();
    if (testutil_mkdtemp(f->dir, sizeof(f->dir), "fixture"))
        return -1;
    char path[192];
    snprintf(path, sizeof(path), "%s/test.db", f->dir);
    if (testdb_fresh(path, f->url, sizeof(f->url)))
        return -1;
    struct store_options opts = { .pool_size = 4,
                                  .busy_timeout_ms = 5000,
                                  .acquire_timeout_ms = 5000 };
    struct err err = ERR_INIT;
    int applied = 0;
    if (store_open(f->url, &opts, &f->store, &err) || migrate_run(f->store, &applied, &err)) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        return -1;
    }
    f->kv = kv_mem_new(10000);
    struct accounts_options ao = { .store = f->store,
                                   .kv = f->kv,
                                   .jwt_secret = "fixture-secret-fixture-secret-fixture-secret",
                                   .token_ttl_s = 3600,
                                   .hash_cost = PWHASH_MINIMUM };
    f->accounts = accounts_new(&ao);
    return 0;
}

int fixture_close(struct fixture *f)
{
    accounts_free(f->accounts);
    kv_free(f->kv);
    store_close(f->store);
    f->store = NULL;
    return testutil_rmtree(f->dir); /* a PostgreSQL database is emptied by the next open */
}

int fixture_setup(void **state)
{
    *state = &fx;
    return fixture_open(&fx);
}

int fixture_teardown(void **state)
{
    (void)state;
    return fixture_close(&fx);
}

/* ---- users ------------------------------------------------------------------------------- */

enum err_code fixture_try_register(struct fixture *f, const char *email, const char *company,
                                   const char *invite_token, struct session *out, struct err *err)
{
    struct registration r = { .email = email,
                              .password = FIXTURE_PASSWORD,
                              .company = company,
                              .invite_token = invite_token };
    return accounts_register(f->accounts, &r, out, err);
}

void fixture_register(struct fixture *f, const char *email, const char *company,
                      struct session *out)
{
    struct err err = ERR_INIT;
    assert_ok(fixture_try_register(f, email, company, NULL, out, &err), &err);
}

enum err_code fixture_bearer(struct fixture *f, const char *credential, struct caller *out,
                             struct err *err)
{
    char header[4200];
    snprintf(header, sizeof(header), "Bearer %s", credential);
    return accounts_authenticate(f->accounts, header, out, err);
}

void fixture_caller(struct fixture *f, const struct session *s, struct caller *out)
{
    struct err err = ERR_INIT;
    assert_ok(fixture_bearer(f, s->token, out, &err), &err);
}

void fixture_user_new(struct fixture *f, const char *email, const char *invite_token,
                      struct fixture_user *u)
{
    struct err err = ERR_INIT;
    assert_ok(fixture_try_register(f, email, NULL, invite_token, &u->session, &err), &err);
    fixture_caller(f, &u->session, &u->caller);
}

void fixture_user_set_plan(struct fixture *f, struct fixture_user *u, const char *plan)
{
    fixture_set_plan(f, u->caller.workspace_id, plan);
    fixture_caller(f, &u->session, &u->caller); /* the caller carries the plan and its limits */
    assert_string_equal(u->caller.plan->name, plan);
}

void fixture_user_release(struct fixture_user *u)
{
    session_release(&u->session);
}

struct fixture_user fx_user;

int fixture_user_setup(void **state)
{
    if (fixture_setup(state))
        return -1;
    fixture_user_new(&fx, "ana@example.com", NULL, &fx_user);
    return 0;
}

int fixture_user_teardown(void **state)
{
    fixture_user_release(&fx_user);
    return fixture_teardown(state);
}

/* ---- statements -------------------------------------------------------------------------- */

void fixture_exec(struct fixture *f, const char *sql)
{
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    assert_ok(store_acquire(f->store, &c, &err), &err);
    assert_ok(store_exec(c, sql, &err), &err);
    store_release(f->store, c);
}

void fixture_run(struct fixture *f, const char *sql, const struct store_param *params, size_t n)
{
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    assert_ok(store_acquire(f->store, &c, &err), &err);
    assert_ok(store_run(c, sql, params, n, NULL, &err), &err);
    store_release(f->store, c);
}

static void read_int(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    *(int64_t *)item = store_col_is_null(st, 0) ? 0 : store_col_int64(st, 0);
}

int64_t fixture_int(struct fixture *f, const char *sql, const struct store_param *params, size_t n)
{
    int64_t v = 0;
    bool row = false;
    struct err err = ERR_INIT;
    assert_ok(store_read_row(f->store, sql, params, n, sizeof(v), read_int, NULL, &v, &row, &err),
              &err);
    assert_true(row); /* unlike store_query_int: a missing row is a failed test, not 0 */
    return v;
}

static void read_text(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    *(char **)item = xstrdup_or_null(store_col_text(st, 0));
}

char *fixture_text(struct fixture *f, const char *sql, const char *param)
{
    char *v = NULL;
    struct err err = ERR_INIT;
    struct store_param p[] = { STORE_TEXT(param) };
    assert_ok(store_read_row(f->store, sql, p, 1, sizeof(v), read_text, NULL, &v, NULL, &err),
              &err);
    return v;
}

int64_t fixture_count(struct fixture *f, const char *from, const char *param)
{
    char sql[512];
    int len = snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", from);
    assert_true(len > 0 && (size_t)len < sizeof(sql));
    struct store_param p[] = { STORE_TEXT(param) };
    return fixture_int(f, sql, p, param ? 1 : 0);
}

/* ---- rows planted directly --------------------------------------------------------------- */

void fixture_set_plan(struct fixture *f, const char *workspace_id, const char *plan)
{
    struct store_param p[] = { STORE_TEXT(plan), STORE_TEXT(workspace_id) };
    fixture_run(f, "UPDATE workspaces SET plan_type = ? WHERE id = ?", p, ARRAY_SIZE(p));
}

void fixture_insert_invite(struct fixture *f, const char *workspace_id, const char *email,
                           const char *invited_by, const char *token)
{
    char id[IDS_UUID_LEN], hash[SHA256_HEX_LEN];
    ids_uuid7(id);
    sha256_hex(token, strlen(token), hash);
    int64_t now = clock_now_ms();
    struct store_param p[] = { STORE_TEXT(id),
                               STORE_TEXT(workspace_id),
                               STORE_TEXT(email),
                               STORE_TEXT(hash),
                               STORE_TEXT(invited_by),
                               STORE_INT(now),
                               STORE_INT(now + INVITE_TTL_MS) };
    fixture_run(f,
                "INSERT INTO invites (id, workspace_id, email, role, token_hash, invited_by, "
                "created_at, expires_at) VALUES (?, ?, ?, 'user', ?, ?, ?, ?)",
                p, ARRAY_SIZE(p));
}
