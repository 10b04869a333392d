/*
 * tests/unit/testdb.c - see testdb.h. Databases are created and dropped
 * through store.h itself, on a one-connection store on the server's URL.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdatomic.h>

#include <cmocka.h>

#include "testdb.h"

#include "store/store.h"

const char *testdb_server_url(void)
{
    const char *url = getenv("TEST_DATABASE_URL");
    if (!url || (strncmp(url, "postgres://", 11) != 0 && strncmp(url, "postgresql://", 13) != 0))
        return NULL;
    return url;
}

int testdb_url_with_name(const char *base, const char *name, char *out, size_t size)
{
    const char *auth = strstr(base, "://");
    if (!auth)
        return -1;
    auth += 3;
    size_t end_auth = strcspn(auth, "/?");
    const char *rest = auth + end_auth; /* "/db?query", "?query" or "" */
    const char *query = strchr(rest, '?');
    int n = snprintf(out, size, "%.*s/%s%s", (int)(auth - base + end_auth), base, name,
                     query ? query : "");
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Runs sql on the server's maintenance database (the URL as given). */
static int server_exec(const char *sql)
{
    struct store_options o = { .pool_size = 1,
                               .busy_timeout_ms = 5000,
                               .acquire_timeout_ms = 5000 };
    struct store *s = NULL;
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = store_open(testdb_server_url(), &o, &s, &err);
    if (!rc)
        rc = store_acquire(s, &c, &err);
    if (!rc)
        rc = store_exec(c, sql, &err);
    store_release(s, c);
    store_close(s);
    if (rc)
        fprintf(stderr, "testdb: %s: %s\n", sql, err.msg);
    return rc ? -1 : 0;
}

int testdb_create(const char *sqlite_path, char *url, size_t size)
{
    static atomic_int counter;
    if (!testdb_server_url()) {
        int n = snprintf(url, size, "%s", sqlite_path);
        return n < 0 || (size_t)n >= size ? -1 : 0;
    }
    char name[64], sql[128];
    snprintf(name, sizeof(name), "crowdelic_t%ld_%d", (long)getpid(),
             atomic_fetch_add(&counter, 1));
    if (testdb_url_with_name(testdb_server_url(), name, url, size)) {
        fprintf(stderr, "testdb: cannot make a URL for %s\n", name);
        return -1;
    }
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
    return server_exec(sql);
}

static char shared_url[512]; /* testdb_fresh's database; "" until made */

static void drop_shared(void)
{
    testdb_drop(shared_url);
}

/* Deletes every row of every table of url's database but schema_migrations. */
static int empty_tables(const char *url)
{
    struct store_options o = { .pool_size = 1,
                               .busy_timeout_ms = 5000,
                               .acquire_timeout_ms = 5000 };
    struct store *s = NULL;
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool row = false;
    char sql[4096] = "BEGIN; SET LOCAL session_replication_role = replica;"; /* no FK order */
    size_t len = strlen(sql);
    enum err_code rc = store_open(url, &o, &s, &err);
    if (!rc)
        rc = store_acquire(s, &c, &err);
    if (!rc)
        rc = store_prepare(c,
                           "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                           "AND tablename <> 'schema_migrations'",
                           &st, &err);
    while (!rc && !(rc = store_step(st, &row, &err)) && row) {
        int n = snprintf(sql + len, sizeof(sql) - len, " DELETE FROM %s;", store_col_text(st, 0));
        if (n < 0 || (size_t)n >= sizeof(sql) - len)
            rc = err_set(&err, ERR_INTERNAL, NULL, "too many tables");
        else
            len += (size_t)n;
    }
    store_finalize(st);
    if (!rc) {
        snprintf(sql + len, sizeof(sql) - len, " COMMIT");
        rc = store_exec(c, sql, &err);
    }
    store_release(s, c);
    store_close(s);
    if (rc)
        fprintf(stderr, "testdb: emptying the tables: %s\n", err.msg);
    return rc ? -1 : 0;
}

/* Runs sql on url's database. */
static int db_exec(const char *url, const char *sql)
{
    struct store_options o = { .pool_size = 1,
                               .busy_timeout_ms = 5000,
                               .acquire_timeout_ms = 5000 };
    struct store *s = NULL;
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = store_open(url, &o, &s, &err);
    if (!rc)
        rc = store_acquire(s, &c, &err);
    if (!rc)
        rc = store_exec(c, sql, &err);
    store_release(s, c);
    store_close(s);
    if (rc)
        fprintf(stderr, "testdb: %s: %s\n", sql, err.msg);
    return rc ? -1 : 0;
}

/* testdb_fresh (blank false) and testdb_blank (true). */
static int shared(const char *sqlite_path, char *url, size_t size, bool blank)
{
    if (!testdb_server_url())
        return testdb_create(sqlite_path, url, size);
    if (!shared_url[0]) {
        if (testdb_create(NULL, shared_url, sizeof(shared_url)))
            return -1;
        atexit(drop_shared);
    } else if (blank ? db_exec(shared_url, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                     : empty_tables(shared_url)) {
        return -1;
    }
    int n = snprintf(url, size, "%s", shared_url);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int testdb_fresh(const char *sqlite_path, char *url, size_t size)
{
    return shared(sqlite_path, url, size, false);
}

int testdb_blank(const char *sqlite_path, char *url, size_t size)
{
    return shared(sqlite_path, url, size, true);
}

int testdb_drop(const char *url)
{
    if (!testdb_server_url())
        return 0;
    const char *auth = strstr(url, "://");
    if (!auth)
        return -1;
    auth += 3;
    const char *name = auth + strcspn(auth, "/?");
    if (*name != '/')
        return -1;
    name++;
    char sql[160];
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %.*s WITH (FORCE)", (int)strcspn(name, "?"),
             name);
    return server_exec(sql);
}
