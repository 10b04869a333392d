/*
 * tests/unit/fixture.c - the database-and-accounts fixture (see fixture.h).
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "fixture.h"
#include "testutil.h"

#include "core/ids.h"
#include "store/kv.h"
#include "store/migrate.h"
#include "store/store.h"

int fixture_open(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    ids_init();
    if (testutil_mkdtemp(f->dir, sizeof(f->dir), "fixture"))
        return -1;
    char path[192];
    snprintf(path, sizeof(path), "%s/test.db", f->dir);
    struct store_options opts = { .pool_size = 4,
                                  .busy_timeout_ms = 5000,
                                  .acquire_timeout_ms = 5000 };
    struct err err = ERR_INIT;
    int applied = 0;
    if (store_open(path, &opts, &f->store, &err) || migrate_run(f->store, &applied, &err)) {
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
    return testutil_rmtree(f->dir);
}

void fixture_register(struct fixture *f, const char *email, const char *company,
                      struct session *out)
{
    struct registration r = { .email = email, .password = FIXTURE_PASSWORD, .company = company };
    struct err err = ERR_INIT;
    assert_ok(accounts_register(f->accounts, &r, out, &err), &err);
}

void fixture_caller(struct fixture *f, const struct session *s, struct caller *out)
{
    char header[4200];
    snprintf(header, sizeof(header), "Bearer %s", s->token);
    struct err err = ERR_INIT;
    assert_ok(accounts_authenticate(f->accounts, header, out, &err), &err);
}

void fixture_exec(struct fixture *f, const char *sql)
{
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    assert_ok(store_acquire(f->store, &c, &err), &err);
    assert_ok(store_exec(c, sql, &err), &err);
    store_release(f->store, c);
}
