/*
 * tests/unit/store/test_store_pg.c - store.h over the PostgreSQL backend:
 * placeholder rewriting (store/pg_sql.h, no server needed), URLs that never
 * show a password, and against a server (TEST_DATABASE_URL, from
 * scripts/pg-cluster; skipped without one): typed binds, error mapping,
 * transactions and the write lock, statement timeout, reconnection after
 * the server restarts (TEST_PG_DIR: the cluster's folder, restarted with
 * scripts/pg-cluster restart).
 *
 * The server tests share one database, created by the group setup and
 * dropped by its teardown; each test makes its own tables. Tests run one at
 * a time; one starts threads.
 */
#include "core/compat.h"

#include "store/store.h"

#include <pthread.h>
#include <setjmp.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "testdb.h"
#include "testutil.h"

#include "core/clock.h"
#include "store/pg_sql.h"

#ifndef TESTS_SOURCE_DIR
#    define TESTS_SOURCE_DIR "tests"
#endif

static char db_url[512]; /* the group's database; "" without a server */

static int group_setup(void **state)
{
    (void)state;
    if (!testdb_server_url())
        return 0;
    return testdb_create(NULL, db_url, sizeof(db_url));
}

static int group_teardown(void **state)
{
    (void)state;
    return db_url[0] ? testdb_drop(db_url) : 0;
}

/* Skips the test when no server was given. */
static void need_server(void)
{
    if (!db_url[0])
        skip();
}

static struct store *open_store(unsigned pool_size, int busy_ms, int statement_ms)
{
    struct store_options opts = {
        .pool_size = pool_size,
        .busy_timeout_ms = busy_ms,
        .acquire_timeout_ms = 2000,
        .statement_timeout_ms = statement_ms,
    };
    struct store *s = NULL;
    struct err err = ERR_INIT;
    assert_ok(store_open(db_url, &opts, &s, &err), &err);
    assert_string_equal(store_backend_name(s), "postgres");
    return s;
}

static void exec_ok(struct store_conn *c, const char *sql)
{
    struct err err = ERR_INIT;
    assert_ok(store_exec(c, sql, &err), &err);
}

static int64_t query_int(struct store_conn *c, const char *sql)
{
    int64_t v = -1;
    struct err err = ERR_INIT;
    assert_ok(store_query_int(c, sql, NULL, 0, &v, &err), &err);
    return v;
}

/* Inserts name into t(name TEXT UNIQUE); returns the step's code. */
static enum err_code insert_name(struct store_conn *c, const char *name, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(name) };
    return store_run(c, "INSERT INTO t (name) VALUES (?)", p, 1, NULL, err);
}

/* ---- placeholders (no server) --------------------------------------------- */

/* Rewrites sql, expecting want and n params. */
static void rewrites(const char *sql, const char *want, int n)
{
    char *out = NULL;
    int n_params = -1;
    struct err err = ERR_INIT;
    assert_ok(pg_sql_rewrite(sql, &out, &n_params, &err), &err);
    assert_string_equal(out, want);
    assert_int_equal(n_params, n);
    free(out);
}

static void refuses(const char *sql, const char *says)
{
    char *out = (char *)&out;
    int n_params = -1;
    struct err err = ERR_INIT;
    assert_int_equal(pg_sql_rewrite(sql, &out, &n_params, &err), ERR_INTERNAL);
    assert_null(out);
    assert_contains(err.msg, says);
}

static void rewrite_numbers_placeholders_like_sqlite(void **state)
{
    (void)state;
    rewrites("SELECT 1", "SELECT 1", 0);
    rewrites("SELECT ?", "SELECT $1", 1);
    rewrites("UPDATE t SET a = ?, b = ? WHERE id = ?", "UPDATE t SET a = $1, b = $2 WHERE id = $3",
             3);
    /* ?NNN is parameter NNN; a bare ? after it is one more than the largest so far */
    rewrites("SELECT ?2, ?1, ?", "SELECT $2, $1, $3", 3);
    rewrites("SELECT ?, ?5, ?", "SELECT $1, $5, $6", 6);
    rewrites("SELECT ?3", "SELECT $3", 3);
    /* ten and more: every digit kept */
    rewrites("VALUES (?,?,?,?,?,?,?,?,?,?,?)", "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)", 11);
    rewrites("SELECT ?32766", "SELECT $32766", PG_SQL_MAX_PARAMS);
    /* a name right after: still two tokens, as SQLite reads them */
    rewrites("SELECT ?x, ?2$q$?$q$, a?", "SELECT $1 x, $2 $q$?$q$, a $3", 3);
}

static void rewrite_leaves_quoted_text_and_comments_alone(void **state)
{
    (void)state;
    rewrites("SELECT '?', ? FROM t", "SELECT '?', $1 FROM t", 1);
    rewrites("SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1);
    rewrites("SELECT \"odd?name\" FROM t WHERE x = ?", "SELECT \"odd?name\" FROM t WHERE x = $1",
             1);
    rewrites("SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1);
    rewrites("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2);
    rewrites("SELECT /* ? /* nested ? */ still ? */ ?", "SELECT /* ? /* nested ? */ still ? */ $1",
             1);
    rewrites("SELECT $$?$$, $q$ ? $q$, ?", "SELECT $$?$$, $q$ ? $q$, $1", 1);
    /* a $ that is a parameter or inside a name is not a quote */
    rewrites("SELECT a$b, ?", "SELECT a$b, $1", 1);
    /* LIKE patterns escaped with a backslash (standard strings) */
    rewrites("SELECT 1 WHERE s LIKE ? ESCAPE '\\'", "SELECT 1 WHERE s LIKE $1 ESCAPE '\\'", 1);
}

/* Rewriting what was rewritten changes nothing: the tokens around a ? stay what they were. */
static void rewrite_of_its_own_output_changes_nothing(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "SELECT a?b",     "SELECT $?$$ x $$", "SELECT ?4$$EC= $$",
        "SELECT E?'\\''", "SELECT \xd9$?4$$", "SELECT ?x?y",
    };
    for (size_t i = 0; i < ARRAY_SIZE(inputs); i++) {
        char *once = NULL, *twice = NULL;
        int n1 = -1, n2 = -1;
        struct err err = ERR_INIT;
        assert_ok(pg_sql_rewrite(inputs[i], &once, &n1, &err), &err);
        assert_ok(pg_sql_rewrite(once, &twice, &n2, &err), &err);
        assert_string_equal(twice, once);
        assert_int_equal(n2, 0);
        free(once);
        free(twice);
    }
    rewrites("SELECT a?b", "SELECT a $1 b", 1);
}

static void rewrite_counts_statements(void **state)
{
    (void)state;
    rewrites("SELECT ?;", "SELECT $1;", 1);
    rewrites("SELECT 1;  -- done\n", "SELECT 1;  -- done\n", 0);
    rewrites("  SELECT 1 ; ; ", "  SELECT 1 ; ; ", 0);
    rewrites("SELECT ';'", "SELECT ';'", 0);
    refuses("SELECT 1; SELECT 2", "more than one statement");
    refuses("", "no statement");
    refuses("  -- nothing\n", "no statement");
    refuses(" ; /* */ ;", "no statement");
}

static void rewrite_refuses_parameter_numbers_out_of_range(void **state)
{
    (void)state;
    refuses("SELECT ?0", "?0 is out of range");
    refuses("SELECT ?32767", "out of range");
    refuses("SELECT ?32766, ?", "out of range");
    refuses("SELECT ?99999999999999999999", "out of range");
}

/* ---- URLs (no server) ------------------------------------------------------ */

static void urls_never_show_the_password(void **state)
{
    (void)state;
    static const struct {
        const char *url;
        enum err_code code;
        const char *says;
    } cases[] = {
        /* nothing listens there: the server is unavailable, the message names the socket */
        { "postgresql://app:s3cret@/crowdelic?host=/nonexistent-crowdelic&connect_timeout=2",
          ERR_UNAVAILABLE, "cannot connect" },
        { "postgres://app:s3cret@/crowdelic?host=/nonexistent-crowdelic", ERR_UNAVAILABLE,
          "nonexistent-crowdelic" },
        /* libpq cannot read these; its own messages would quote them */
        { "postgres://app:s3cret@[::1/crowdelic", ERR_INVALID, "cannot read" },
        { "postgresql://app:s3cret@h/db?nosuchparam=1", ERR_INVALID, "cannot read" },
        { "POSTGRES://app:s3cret%zz@h/db", ERR_INVALID, "cannot read" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct store *s = (struct store *)&s; /* must be reset to NULL */
        struct err err = ERR_INIT;
        assert_int_equal(store_open(cases[i].url, NULL, &s, &err), cases[i].code);
        assert_null(s);
        assert_contains(err.msg, cases[i].says);
        assert_lacks(err.msg, "s3cret");
    }
}

static void statement_timeout_must_not_be_negative(void **state)
{
    (void)state;
    struct store_options opts = { .pool_size = 1, .statement_timeout_ms = -1 };
    struct store *s = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(store_open(":memory:", &opts, &s, &err), ERR_INVALID);
    assert_string_equal(err.field, "statement_timeout_ms");
}

/* ---- binds and columns ------------------------------------------------------ */

static void binds_are_typed_like_sqlite_values(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(1, 1000, 0);
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool row = false;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "DROP TABLE IF EXISTS v; CREATE TABLE v (t TEXT, i BIGINT, n INTEGER, e TEXT)");
    assert_ok(store_prepare(c, "INSERT INTO v VALUES (?, ?, ?, ?)", &st, &err), &err);
    store_bind_text(st, 1, "héllo");
    store_bind_int64(st, 2, INT64_MIN);
    store_bind_null(st, 3); /* an untyped null: the column's type */
    store_bind_text(st, 4, "");
    assert_ok(store_step(st, &row, &err), &err);
    assert_false(row);
    assert_int_equal(store_changes(st), 1);
    store_reset(st);
    store_bind_text(st, 1, "second");
    store_bind_int64(st, 2, INT64_MAX);
    store_bind_int64(st, 3, 7); /* a bigint into an INTEGER column */
    assert_ok(store_step(st, &row, &err), &err);
    store_finalize(st);

    assert_ok(store_prepare(c, "SELECT t, i, n, e FROM v ORDER BY i", &st, &err), &err);
    assert_ok(store_step(st, &row, &err), &err);
    assert_true(row);
    assert_int_equal(store_col_count(st), 4);
    assert_string_equal(store_col_text(st, 0), "héllo");
    assert_true(store_col_int64(st, 1) == INT64_MIN);
    assert_true(store_col_is_null(st, 2));
    assert_null(store_col_text(st, 2));
    assert_false(store_col_is_null(st, 3));
    assert_string_equal(store_col_text(st, 3), "");
    assert_ok(store_step(st, &row, &err), &err);
    assert_true(row);
    assert_true(store_col_int64(st, 1) == INT64_MAX);
    assert_int_equal(store_col_int64(st, 2), 7);
    assert_ok(store_step(st, &row, &err), &err);
    assert_false(row);
    store_finalize(st);

    /* a text null knows its type ("? IS NULL"), numbers compute as bigint, booleans read 1/0 */
    struct store_param p[] = { STORE_TEXT(NULL), STORE_TEXT("a"), STORE_INT(3000000000),
                               STORE_INT(1) };
    assert_ok(store_prepare_params(c, "SELECT ? IS NULL, ? || '/', ? + 1, ? = 2, length(?2)", p, 4,
                                   &st, &err),
              &err);
    assert_ok(store_step(st, &row, &err), &err);
    assert_int_equal(store_col_int64(st, 0), 1);
    assert_string_equal(store_col_text(st, 1), "a/");
    assert_true(store_col_int64(st, 2) == 3000000001LL);
    assert_int_equal(store_col_int64(st, 3), 0);
    assert_int_equal(store_col_int64(st, 4), 1);
    store_finalize(st);

    /* LIMIT ? OFFSET ? with int64 values, as store_read_page binds them */
    struct store_param lim[] = { STORE_INT(INT64_MAX), STORE_INT(1) };
    int64_t v = 0;
    assert_ok(store_query_int(c, "SELECT i FROM v ORDER BY i LIMIT ? OFFSET ?", lim, 2, &v, &err),
              &err);
    assert_true(v == INT64_MAX);
    store_release(s, c);
    store_close(s);
}

static void bad_bind_index_is_reported_by_the_next_step_until_reset(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(1, 1000, 0);
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool row = true;

    assert_ok(store_acquire(s, &c, &err), &err);
    assert_ok(store_prepare(c, "SELECT ?", &st, &err), &err);
    store_bind_int64(st, 1, 7);
    store_bind_int64(st, 2, 8);
    store_bind_text(st, 0, "x");
    assert_int_equal(store_step(st, &row, &err), ERR_INTERNAL);
    assert_false(row);
    assert_contains(err.msg, "parameter 2");
    store_reset(st);
    store_bind_int64(st, 1, 9);
    assert_ok(store_step(st, &row, &err), &err);
    assert_true(row);
    assert_int_equal(store_col_int64(st, 0), 9);
    store_finalize(st);
    store_release(s, c);
    store_close(s);
}

static void prepare_rejects_more_than_one_statement_and_step_reports_bad_sql(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(1, 1000, 0);
    struct store_conn *c = NULL;
    struct store_stmt *st = (struct store_stmt *)&st;
    struct err err = ERR_INIT;
    bool row = false;

    assert_ok(store_acquire(s, &c, &err), &err);
    assert_int_equal(store_prepare(c, "SELECT 1; SELECT 2", &st, &err), ERR_INTERNAL);
    assert_null(st);
    assert_contains(err.msg, "more than one statement");
    /* the server parses at the first step: the error names the statement */
    assert_ok(store_prepare(c, "SELEC 1", &st, &err), &err);
    assert_int_equal(store_step(st, &row, &err), ERR_INTERNAL);
    assert_contains(err.msg, "syntax error");
    assert_contains(err.msg, "SELEC 1");
    assert_contains(err.msg, "42601");
    store_finalize(st);
    /* the connection is still good */
    assert_int_equal(query_int(c, "SELECT 41 + 1"), 42);
    store_release(s, c);
    store_close(s);
}

/* ---- errors ------------------------------------------------------------------ */

static void constraint_violations_map_to_conflict(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(1, 1000, 0);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "DROP TABLE IF EXISTS child; DROP TABLE IF EXISTS t; DROP TABLE IF EXISTS parent;"
               "CREATE TABLE t (name TEXT UNIQUE CHECK (name <> 'bad'));"
               "CREATE TABLE parent (id TEXT PRIMARY KEY);"
               "CREATE TABLE child (parent_id TEXT NOT NULL REFERENCES parent (id))");
    assert_ok(insert_name(c, "dup", &err), &err);
    assert_int_equal(insert_name(c, "dup", &err), ERR_CONFLICT);
    assert_contains(err.msg, "duplicate key");
    assert_contains(err.msg, "23505");
    assert_lacks(err.msg, "(name)=(dup)"); /* no DETAIL: it quotes row values */
    assert_int_equal(store_exec(c, "INSERT INTO child VALUES ('missing')", &err), ERR_CONFLICT);
    assert_contains(err.msg, "23503");
    assert_int_equal(store_exec(c, "INSERT INTO child VALUES (NULL)", &err), ERR_CONFLICT);
    assert_int_equal(insert_name(c, "bad", &err), ERR_CONFLICT);
    assert_int_equal(store_exec(c, "INSERT INTO nowhere VALUES (1)", &err), ERR_INTERNAL);
    assert_contains(err.msg, "relation \"nowhere\" does not exist");
    store_release(s, c);
    store_close(s);
}

static void a_failed_statement_ends_the_transaction_and_commit_says_so(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(1, 1000, 0);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "DROP TABLE IF EXISTS t; CREATE TABLE t (name TEXT UNIQUE)");
    assert_ok(store_begin_write(c, &err), &err);
    assert_ok(insert_name(c, "a", &err), &err);
    assert_int_equal(insert_name(c, "a", &err), ERR_CONFLICT);
    assert_int_equal(store_commit(c, &err), ERR_INTERNAL);
    assert_contains(err.msg, "cannot commit");
    store_rollback(c);
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM t"), 0);
    /* store_end does it all */
    assert_ok(store_begin_write(c, &err), &err);
    assert_ok(insert_name(c, "b", &err), &err);
    assert_ok(store_end(c, ERR_OK, &err), &err);
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM t"), 1);
    /* a transaction cannot begin inside another */
    assert_ok(store_begin(c, &err), &err);
    assert_int_equal(store_begin(c, &err), ERR_INTERNAL);
    store_rollback(c);
    store_rollback(c); /* harmless without one */
    store_release(s, c);
    store_close(s);
}

static void serialization_failure_maps_to_unavailable(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(2, 1000, 0);
    struct store_conn *a = NULL, *b = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &a, &err), &err);
    assert_ok(store_acquire(s, &b, &err), &err);
    exec_ok(a, "DROP TABLE IF EXISTS n; CREATE TABLE n (v BIGINT); INSERT INTO n VALUES (1)");
    /* two read transactions (one snapshot each) that both go on to write the same row */
    assert_ok(store_begin(a, &err), &err);
    assert_ok(store_begin(b, &err), &err);
    assert_int_equal(query_int(a, "SELECT v FROM n"), 1);
    assert_int_equal(query_int(b, "SELECT v FROM n"), 1);
    assert_ok(store_exec(a, "UPDATE n SET v = v + 1", &err), &err);
    assert_ok(store_commit(a, &err), &err);
    assert_int_equal(store_exec(b, "UPDATE n SET v = v + 1", &err), ERR_UNAVAILABLE);
    assert_contains(err.msg, "40001");
    store_rollback(b);
    assert_int_equal(query_int(b, "SELECT v FROM n"), 2);
    store_release(s, a);
    store_release(s, b);
    store_close(s);
}

/* ---- transactions ------------------------------------------------------------- */

static void read_transaction_sees_one_snapshot(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(2, 1000, 0);
    struct store_conn *r = NULL, *w = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &r, &err), &err);
    assert_ok(store_acquire(s, &w, &err), &err);
    exec_ok(w, "DROP TABLE IF EXISTS t; CREATE TABLE t (name TEXT UNIQUE)");
    assert_ok(store_begin(r, &err), &err);
    assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"), 0);
    assert_ok(insert_name(w, "x", &err), &err); /* committed at once */
    assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"), 0);
    assert_ok(store_commit(r, &err), &err);
    assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"), 1);
    store_release(s, r);
    store_release(s, w);
    store_close(s);
}

static void begin_write_takes_the_write_lock_up_front(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(3, 100, 0);
    struct store_conn *a = NULL, *b = NULL, *r = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &a, &err), &err);
    assert_ok(store_acquire(s, &b, &err), &err);
    assert_ok(store_acquire(s, &r, &err), &err);
    exec_ok(a, "DROP TABLE IF EXISTS t; CREATE TABLE t (name TEXT UNIQUE)");
    /* a holds the lock without having written: b waits its busy timeout, then gives up */
    assert_ok(store_begin_write(a, &err), &err);
    int64_t start = clock_mono_ms();
    assert_int_equal(store_begin_write(b, &err), ERR_UNAVAILABLE);
    int64_t waited = clock_mono_ms() - start;
    assert_contains(err.msg, "55P03");
    assert_true(waited >= 90);
    assert_true(waited < 3000);
    /* readers never wait */
    assert_ok(store_begin(r, &err), &err);
    assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"), 0);
    assert_ok(store_commit(r, &err), &err);
    /* b was left outside any transaction, and gets the lock once a commits */
    assert_ok(insert_name(a, "a", &err), &err);
    assert_ok(store_commit(a, &err), &err);
    assert_ok(store_begin_write(b, &err), &err);
    assert_int_equal(query_int(b, "SELECT COUNT(*) FROM t"), 1);
    assert_ok(store_commit(b, &err), &err);
    store_release(s, a);
    store_release(s, b);
    store_release(s, r);
    store_close(s);
}

#define N_THREADS 4
#define N_ROUNDS  25

struct counter_worker {
    struct store *s;
    int n_done;
    char failure[300];
};

/* Read-then-write increments, each in a write transaction: lost updates would show. */
static void *increment_main(void *arg)
{
    struct counter_worker *w = arg;
    struct err err = ERR_INIT;
    for (int i = 0; i < N_ROUNDS; i++) {
        struct store_conn *c = NULL;
        int64_t v = 0;
        enum err_code rc = store_acquire(w->s, &c, &err);
        if (!rc)
            rc = store_begin_write(c, &err);
        if (!rc)
            rc = store_query_int(c, "SELECT v FROM counter", NULL, 0, &v, &err);
        if (!rc) {
            struct store_param p[] = { STORE_INT(v + 1) };
            rc = store_run(c, "UPDATE counter SET v = ?", p, 1, NULL, &err);
        }
        if (c)
            rc = store_end(c, rc, &err);
        store_release(w->s, c);
        if (rc) {
            snprintf(w->failure, sizeof(w->failure), "%s", err.msg);
            return NULL;
        }
        w->n_done++;
    }
    return NULL;
}

static void write_transactions_never_lose_an_update(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(N_THREADS, 10000, 0);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    struct counter_worker w[N_THREADS];
    pthread_t t[N_THREADS];

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "DROP TABLE IF EXISTS counter; CREATE TABLE counter (v BIGINT NOT NULL);"
               "INSERT INTO counter VALUES (0)");
    store_release(s, c);
    for (int i = 0; i < N_THREADS; i++) {
        w[i] = (struct counter_worker){ .s = s };
        assert_int_equal(pthread_create(&t[i], NULL, increment_main, &w[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_string_equal(w[i].failure, "");
        assert_int_equal(w[i].n_done, N_ROUNDS);
    }
    assert_ok(store_acquire(s, &c, &err), &err);
    assert_int_equal(query_int(c, "SELECT v FROM counter"), N_THREADS * N_ROUNDS);
    store_release(s, c);
    store_close(s);
}

static void statement_timeout_cancels_with_unavailable(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(1, 1000, 100);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c, &err), &err);
    int64_t start = clock_mono_ms();
    assert_int_equal(store_exec(c, "SELECT pg_sleep(2)", &err), ERR_UNAVAILABLE);
    assert_true(clock_mono_ms() - start < 1500);
    assert_contains(err.msg, "statement timeout");
    assert_contains(err.msg, "57014");
    assert_int_equal(query_int(c, "SELECT 1"), 1);
    store_release(s, c);
    store_close(s);

    /* 0: no limit */
    s = open_store(1, 1000, 0);
    assert_ok(store_acquire(s, &c, &err), &err);
    assert_ok(store_exec(c, "SELECT pg_sleep(0.3)", &err), &err);
    store_release(s, c);
    store_close(s);
}

/* ---- reconnection ---------------------------------------------------------------- */

/* Restarts the test cluster (TEST_PG_DIR) with pg_ctl restart; skips without one. */
static void restart_server(void)
{
    const char *dir = getenv("TEST_PG_DIR");
    if (!dir || !*dir)
        skip();
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "%s/../scripts/pg-cluster restart '%s'", TESTS_SOURCE_DIR, dir);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
}

static void connections_come_back_after_the_server_restarts(void **state)
{
    (void)state;
    need_server();
    struct store *s = open_store(2, 1000, 0);
    struct store_conn *held = NULL, *c = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &held, &err), &err);
    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "DROP TABLE IF EXISTS t; CREATE TABLE t (name TEXT UNIQUE)");
    assert_ok(store_begin_write(held, &err), &err);
    assert_ok(insert_name(held, "lost", &err), &err);
    store_release(s, c);

    restart_server();

    /* idle in the pool: found broken at acquire and reset there */
    assert_ok(store_acquire(s, &c, &err), &err);
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM t"), 0);
    /* inside a transaction: never sent again, the caller hears of it */
    assert_int_equal(insert_name(held, "after", &err), ERR_UNAVAILABLE);
    store_rollback(held);
    /* ... and the connection works again outside one (reset, then the statement) */
    assert_ok(insert_name(held, "after", &err), &err);
    store_release(s, held);
    store_release(s, c);

    /* held through the restart outside a transaction: the statement is sent again */
    assert_ok(store_acquire(s, &held, &err), &err);
    restart_server();
    assert_int_equal(query_int(held, "SELECT COUNT(*) FROM t"), 1);
    store_release(s, held);
    assert_ok(store_ping(s, &err), &err);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rewrite_numbers_placeholders_like_sqlite),
        cmocka_unit_test(rewrite_leaves_quoted_text_and_comments_alone),
        cmocka_unit_test(rewrite_of_its_own_output_changes_nothing),
        cmocka_unit_test(rewrite_counts_statements),
        cmocka_unit_test(rewrite_refuses_parameter_numbers_out_of_range),
        cmocka_unit_test(urls_never_show_the_password),
        cmocka_unit_test(statement_timeout_must_not_be_negative),
        cmocka_unit_test(binds_are_typed_like_sqlite_values),
        cmocka_unit_test(bad_bind_index_is_reported_by_the_next_step_until_reset),
        cmocka_unit_test(prepare_rejects_more_than_one_statement_and_step_reports_bad_sql),
        cmocka_unit_test(constraint_violations_map_to_conflict),
        cmocka_unit_test(a_failed_statement_ends_the_transaction_and_commit_says_so),
        cmocka_unit_test(serialization_failure_maps_to_unavailable),
        cmocka_unit_test(read_transaction_sees_one_snapshot),
        cmocka_unit_test(begin_write_takes_the_write_lock_up_front),
        cmocka_unit_test(write_transactions_never_lose_an_update),
        cmocka_unit_test(statement_timeout_cancels_with_unavailable),
        cmocka_unit_test(connections_come_back_after_the_server_restarts),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
