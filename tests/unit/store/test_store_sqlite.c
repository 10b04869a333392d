/*
 * tests/unit/store/test_store_sqlite.c - store.h over the SQLite backend:
 * URLs, the pool (limits, timeouts, threads), pragmas, binding and columns,
 * error mapping, transactions, one-row reads (store_read_row).
 *
 * Each test gets a fresh directory from mkdtemp under /tmp, removed in its
 * teardown. Tests run one at a time; some start their own threads.
 */
#include "core/compat.h"

#include "store/store.h"

#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/clock.h"

struct fixture {
    char dir[64];   /* the test's own directory */
    char path[128]; /* dir/test.db */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/crowdelic-store-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof(f->path), "%s/test.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    int rc = testutil_rmtree(f->dir);
    free(f);
    return rc;
}

static struct store *open_store(const char *url, unsigned pool_size, int busy_ms, int acquire_ms)
{
    struct store_options opts = {
        .pool_size = pool_size,
        .busy_timeout_ms = busy_ms,
        .acquire_timeout_ms = acquire_ms,
    };
    struct store *s = NULL;
    struct err err = ERR_INIT;
    assert_ok(store_open(url, &opts, &s, &err), &err);
    assert_non_null(s);
    return s;
}

static void exec_ok(struct store_conn *c, const char *sql)
{
    struct err err = ERR_INIT;
    assert_ok(store_exec(c, sql, &err), &err);
}

/* Runs a one-row, one-column integer query. */
static int64_t query_int(struct store_conn *c, const char *sql)
{
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool has_row = false;
    assert_ok(store_prepare(c, sql, &st, &err), &err);
    assert_ok(store_step(st, &has_row, &err), &err);
    assert_true(has_row);
    int64_t v = store_col_int64(st, 0);
    store_finalize(st);
    return v;
}

/* Runs a one-row, one-column text query; returns a malloc'd copy. */
static char *query_text(struct store_conn *c, const char *sql)
{
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool has_row = false;
    assert_ok(store_prepare(c, sql, &st, &err), &err);
    assert_ok(store_step(st, &has_row, &err), &err);
    assert_true(has_row);
    const char *t = store_col_text(st, 0);
    char *copy = strdup(t ? t : "(null)");
    store_finalize(st);
    return copy;
}

/* Inserts name into t(name TEXT UNIQUE); returns the step's code. */
static enum err_code insert_name(struct store_conn *c, const char *name, struct err *err)
{
    struct store_stmt *st = NULL;
    bool has_row = false;
    enum err_code rc = store_prepare(c, "INSERT INTO t (name) VALUES (?)", &st, err);
    if (rc)
        return rc;
    store_bind_text(st, 1, name);
    rc = store_step(st, &has_row, err);
    store_finalize(st);
    return rc;
}

/* ---- opening -------------------------------------------------------------- */

static void opens_and_closes_a_file_database(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 2, 1000, 1000);
    assert_string_equal(store_backend_name(s), "sqlite");
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    store_close(s);
}

static void close_accepts_null(void **state)
{
    (void)state;
    store_close(NULL);
}

static void data_survives_close_and_reopen(void **state)
{
    struct fixture *f = *state;
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;

    struct store *s = open_store(f->path, 1, 1000, 1000);
    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE t (name TEXT UNIQUE); INSERT INTO t VALUES ('kept')");
    store_release(s, c);
    store_close(s);

    s = open_store(f->path, 1, 1000, 1000);
    assert_ok(store_acquire(s, &c, &err), &err);
    char *name = query_text(c, "SELECT name FROM t");
    assert_string_equal(name, "kept");
    free(name);
    store_release(s, c);
    store_close(s);
}

static void creates_missing_parent_directories(void **state)
{
    struct fixture *f = *state;
    char path[256];
    snprintf(path, sizeof(path), "%s/a/b/c/nested.db", f->dir);
    struct store *s = open_store(path, 1, 1000, 1000);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    store_close(s);
}

static void accepts_sqlite_prefixed_urls(void **state)
{
    struct fixture *f = *state;
    char url[256];
    struct stat sb;

    snprintf(url, sizeof(url), "sqlite:%s/prefixed.db", f->dir);
    struct store *s = open_store(url, 1, 1000, 1000);
    assert_string_equal(store_backend_name(s), "sqlite");
    store_close(s);
    snprintf(url, sizeof(url), "%s/prefixed.db", f->dir);
    assert_int_equal(stat(url, &sb), 0);

    /* the URL form with an empty authority: sqlite:///abs/path */
    snprintf(url, sizeof(url), "sqlite://%s/url-form.db", f->dir);
    s = open_store(url, 1, 1000, 1000);
    store_close(s);
    snprintf(url, sizeof(url), "%s/url-form.db", f->dir);
    assert_int_equal(stat(url, &sb), 0);
}

static void runs_in_wal_mode_with_foreign_keys_on_every_connection(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 2, 1000, 1000);
    struct store_conn *c[2] = { NULL, NULL };
    struct err err = ERR_INIT;

    for (int i = 0; i < 2; i++) {
        assert_ok(store_acquire(s, &c[i], &err), &err);
        char *mode = query_text(c[i], "PRAGMA journal_mode");
        assert_string_equal(mode, "wal");
        free(mode);
        assert_int_equal(query_int(c[i], "PRAGMA foreign_keys"), 1);
        assert_int_equal(query_int(c[i], "PRAGMA synchronous"), 1); /* NORMAL */
    }
    assert_ptr_not_equal(c[0], c[1]);
    store_release(s, c[0]);
    store_release(s, c[1]);
    store_close(s);
}

static void readers_are_not_blocked_by_a_writer(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 2, 50, 1000);
    struct store_conn *w = NULL, *r = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &w, &err), &err);
    assert_ok(store_acquire(s, &r, &err), &err);
    exec_ok(w, "CREATE TABLE t (name TEXT UNIQUE); INSERT INTO t VALUES ('a')");
    assert_ok(store_begin_write(w, &err), &err);
    exec_ok(w, "INSERT INTO t VALUES ('b')");
    /* WAL: the reader sees the last committed state, without waiting */
    assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"), 1);
    assert_ok(store_commit(w, &err), &err);
    assert_int_equal(query_int(r, "SELECT COUNT(*) FROM t"), 2);
    store_release(s, w);
    store_release(s, r);
    store_close(s);
}

static void memory_database_is_private_per_connection(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 2, 1000, 1000);
    struct store_conn *a = NULL, *b = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &a, &err), &err);
    assert_ok(store_acquire(s, &b, &err), &err);
    exec_ok(a, "CREATE TABLE only_in_a (x INTEGER)");
    assert_int_equal(store_exec(b, "SELECT * FROM only_in_a", &err), ERR_INTERNAL);
    assert_contains(err.msg, "no such table");
    store_release(s, a);
    store_release(s, b);
    store_close(s);
}

static void rejects_empty_and_malformed_urls(void **state)
{
    (void)state;
    static const struct {
        const char *url;
        const char *says;
    } cases[] = {
        { "", "empty" },
        { "mysql://u:p@h/db", "unknown scheme 'mysql'" },
        { "sqlite:", "no file path" },
        { "sqlite://host/x.db", "expected sqlite:///absolute/path" },
    };
    struct store *s = NULL;
    struct err err = ERR_INIT;

    assert_int_equal(store_open(NULL, NULL, &s, &err), ERR_INVALID);
    assert_contains(err.msg, "empty");
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_int_equal(store_open(cases[i].url, NULL, &s, &err), ERR_INVALID);
        assert_null(s);
        assert_contains(err.msg, cases[i].says);
    }
}

static void rejects_a_path_under_a_regular_file(void **state)
{
    struct fixture *f = *state;
    char file[160], url[256];
    struct store *s = NULL;
    struct err err = ERR_INIT;

    snprintf(file, sizeof(file), "%s/plain-file", f->dir);
    int fd = open(file, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);

    /* the file is the direct parent */
    snprintf(url, sizeof(url), "%s/db.sqlite", file);
    assert_int_equal(store_open(url, NULL, &s, &err), ERR_INVALID);
    assert_null(s);
    assert_contains(err.msg, url);
    assert_contains(err.msg, "is not a directory");

    /* the file is further up */
    snprintf(url, sizeof(url), "%s/sub/db.sqlite", file);
    assert_int_equal(store_open(url, NULL, &s, &err), ERR_INVALID);
    assert_contains(err.msg, "cannot create directory");
    assert_contains(err.msg, "Not a directory");
}

static void rejects_a_directory_as_the_database_file(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(store_open(f->dir, NULL, &s, &err), ERR_INVALID);
    assert_null(s);
    assert_contains(err.msg, f->dir);
    assert_contains(err.msg, "is a directory");
}

static void rejects_a_file_that_is_not_a_database(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct err err = ERR_INIT;
    static const char junk[] = "this is certainly not an SQLite database file, just some text";

    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 100; i++)
        fputs(junk, fp);
    fclose(fp);
    assert_int_equal(store_open(f->path, NULL, &s, &err), ERR_INVALID);
    assert_null(s);
    assert_contains(err.msg, f->path);
    assert_contains(err.msg, "not a database");
}

static void pool_size_must_be_between_1_and_the_maximum(void **state)
{
    (void)state;
    struct store_options opts = { .pool_size = 0, .busy_timeout_ms = 0, .acquire_timeout_ms = 0 };
    struct store *s = NULL;
    struct err err = ERR_INIT;

    assert_int_equal(store_open(":memory:", &opts, &s, &err), ERR_INVALID);
    assert_string_equal(err.field, "pool_size");
    assert_null(s);

    opts.pool_size = STORE_MAX_POOL_SIZE + 1;
    assert_int_equal(store_open(":memory:", &opts, &s, &err), ERR_INVALID);
    assert_contains(err.msg, "257");

    opts.pool_size = 1;
    assert_ok(store_open(":memory:", &opts, &s, &err), &err);
    store_close(s);

    opts.pool_size = STORE_MAX_POOL_SIZE;
    assert_ok(store_open(":memory:", &opts, &s, &err), &err);
    store_close(s);
}

static void negative_timeouts_are_rejected(void **state)
{
    (void)state;
    struct store_options opts = { .pool_size = 1, .busy_timeout_ms = -1, .acquire_timeout_ms = 0 };
    struct store *s = NULL;
    struct err err = ERR_INIT;

    assert_int_equal(store_open(":memory:", &opts, &s, &err), ERR_INVALID);
    assert_string_equal(err.field, "busy_timeout_ms");
    opts.busy_timeout_ms = 0;
    opts.acquire_timeout_ms = -1;
    assert_int_equal(store_open(":memory:", &opts, &s, &err), ERR_INVALID);
    assert_string_equal(err.field, "acquire_timeout_ms");
}

static void null_options_give_a_pool_of_four(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct store_conn *c[4] = { NULL };
    struct err err = ERR_INIT;

    assert_ok(store_open(":memory:", NULL, &s, &err), &err);
    for (int i = 0; i < 4; i++)
        assert_ok(store_acquire(s, &c[i], &err), &err);
    for (int i = 0; i < 4; i++)
        store_release(s, c[i]);
    store_close(s);
}

/* ---- statements ----------------------------------------------------------- */

static void binds_and_reads_text_int64_and_null(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool has_row = false;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE v (t TEXT, i INTEGER, n TEXT, e TEXT, tn TEXT)");
    assert_ok(store_prepare(c, "INSERT INTO v VALUES (?, ?, ?, ?, ?)", &st, &err), &err);
    store_bind_text(st, 1, "héllo");
    store_bind_int64(st, 2, INT64_MIN);
    store_bind_null(st, 3);
    store_bind_text(st, 4, "");
    store_bind_text(st, 5, NULL);
    assert_ok(store_step(st, &has_row, &err), &err);
    assert_false(has_row);
    store_reset(st);
    store_bind_text(st, 1, "second");
    store_bind_int64(st, 2, INT64_MAX);
    assert_ok(store_step(st, &has_row, &err), &err);
    store_finalize(st);

    assert_ok(store_prepare(c, "SELECT t, i, n, e, tn FROM v ORDER BY i", &st, &err), &err);
    assert_int_equal(store_col_count(st), 5);
    assert_ok(store_step(st, &has_row, &err), &err);
    assert_true(has_row);
    assert_string_equal(store_col_text(st, 0), "héllo");
    assert_true(store_col_int64(st, 1) == INT64_MIN);
    assert_true(store_col_is_null(st, 2));
    assert_null(store_col_text(st, 2));
    assert_false(store_col_is_null(st, 3)); /* empty text is not null */
    assert_string_equal(store_col_text(st, 3), "");
    assert_true(store_col_is_null(st, 4)); /* store_bind_text(NULL) binds null */
    assert_false(store_col_is_null(st, 0));

    assert_ok(store_step(st, &has_row, &err), &err);
    assert_true(has_row);
    assert_string_equal(store_col_text(st, 0), "second");
    assert_true(store_col_int64(st, 1) == INT64_MAX);
    /* reset cleared the bindings of the first run */
    assert_true(store_col_is_null(st, 2));
    assert_true(store_col_is_null(st, 3));

    assert_ok(store_step(st, &has_row, &err), &err);
    assert_false(has_row);
    store_finalize(st);
    store_release(s, c);
    store_close(s);
}

static void text_is_copied_when_bound(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool has_row = false;
    char source[] = "original";

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE t (name TEXT UNIQUE)");
    assert_ok(store_prepare(c, "INSERT INTO t (name) VALUES (?)", &st, &err), &err);
    store_bind_text(st, 1, source);
    memcpy(source, "CHANGED!", sizeof(source));
    assert_ok(store_step(st, &has_row, &err), &err);
    store_finalize(st);

    char *name = query_text(c, "SELECT name FROM t");
    assert_string_equal(name, "original");
    free(name);
    store_release(s, c);
    store_close(s);
}

static void bind_textn_binds_exactly_len_bytes(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool has_row = false;

    assert_ok(store_acquire(s, &c, &err), &err);
    assert_ok(store_prepare(c, "SELECT ?, length(?), ?", &st, &err), &err);
    store_bind_textn(st, 1, "abcdef", 3);
    store_bind_textn(st, 2, "abcdef", 0);
    store_bind_textn(st, 3, NULL, 5);
    assert_ok(store_step(st, &has_row, &err), &err);
    assert_string_equal(store_col_text(st, 0), "abc");
    assert_int_equal(store_col_int64(st, 1), 0);
    assert_false(store_col_is_null(st, 1));
    assert_true(store_col_is_null(st, 2));
    store_finalize(st);
    store_release(s, c);
    store_close(s);
}

static void bad_bind_index_is_reported_by_the_next_step_until_reset(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool has_row = true;

    assert_ok(store_acquire(s, &c, &err), &err);
    assert_ok(store_prepare(c, "SELECT ?", &st, &err), &err);
    store_bind_int64(st, 1, 7);
    store_bind_int64(st, 2, 8); /* one past the last parameter */
    store_bind_text(st, 0, "x");
    assert_int_equal(store_step(st, &has_row, &err), ERR_INTERNAL);
    assert_false(has_row);
    assert_contains(err.msg, "parameter 2"); /* the first failure is the one reported */

    store_reset(st);
    store_bind_int64(st, 1, 9);
    assert_ok(store_step(st, &has_row, &err), &err);
    assert_true(has_row);
    assert_int_equal(store_col_int64(st, 0), 9);
    store_finalize(st);
    store_release(s, c);
    store_close(s);
}

static void reset_runs_a_statement_again(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool has_row = false;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE t (name TEXT UNIQUE)");
    assert_ok(store_prepare(c, "INSERT INTO t (name) VALUES (?)", &st, &err), &err);
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof(name), "n%d", i);
        store_bind_text(st, 1, name);
        assert_ok(store_step(st, &has_row, &err), &err);
        store_reset(st);
    }
    store_finalize(st);
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM t"), 3);
    store_release(s, c);
    store_close(s);
}

static void changes_counts_the_rows_of_the_last_statement(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool has_row = false;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE t (name TEXT UNIQUE, n INTEGER);"
               "INSERT INTO t VALUES ('a', 1), ('b', 1), ('c', 1), ('d', 2)");
    assert_ok(store_prepare(c, "UPDATE t SET n = n + 10 WHERE n = ?", &st, &err), &err);
    store_bind_int64(st, 1, 1);
    assert_ok(store_step(st, &has_row, &err), &err);
    assert_int_equal(store_changes(st), 3);
    store_reset(st);
    store_bind_int64(st, 1, 99);
    assert_ok(store_step(st, &has_row, &err), &err);
    assert_int_equal(store_changes(st), 0);
    store_finalize(st);
    store_release(s, c);
    store_close(s);
}

static void prepare_rejects_bad_sql_and_more_than_one_statement(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct store_stmt *st = (struct store_stmt *)&st;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c, &err), &err);
    assert_int_equal(store_prepare(c, "SELEC 1", &st, &err), ERR_INTERNAL);
    assert_null(st);
    assert_contains(err.msg, "syntax error");
    assert_contains(err.msg, "SELEC 1");

    assert_int_equal(store_prepare(c, "SELECT 1; SELECT 2", &st, &err), ERR_INTERNAL);
    assert_null(st);
    assert_contains(err.msg, "more than one statement");

    assert_int_equal(store_prepare(c, "  -- nothing\n", &st, &err), ERR_INTERNAL);
    assert_null(st);
    assert_contains(err.msg, "no statement");

    /* a trailing semicolon, blanks and a comment are not a second statement */
    assert_ok(store_prepare(c, "SELECT 1;  -- done\n", &st, &err), &err);
    store_finalize(st);
    store_finalize(NULL);
    store_release(s, c);
    store_close(s);
}

static void exec_runs_several_statements_and_reports_errors(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE t (name TEXT UNIQUE); INSERT INTO t VALUES ('a'); "
               "INSERT INTO t VALUES ('b');");
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM t"), 2);
    assert_int_equal(store_exec(c, "INSERT INTO nowhere VALUES (1)", &err), ERR_INTERNAL);
    assert_contains(err.msg, "no such table: nowhere");
    store_release(s, c);
    store_close(s);
}

/* ---- error mapping -------------------------------------------------------- */

static void unique_violation_maps_to_conflict(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE t (name TEXT UNIQUE)");
    assert_ok(insert_name(c, "dup", &err), &err);
    assert_int_equal(insert_name(c, "dup", &err), ERR_CONFLICT);
    assert_int_equal(err.code, ERR_CONFLICT);
    assert_contains(err.msg, "UNIQUE constraint failed: t.name");
    store_release(s, c);
    store_close(s);
}

static void foreign_key_violation_maps_to_conflict(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE parent (id TEXT PRIMARY KEY);"
               "CREATE TABLE child (parent_id TEXT NOT NULL REFERENCES parent (id))");
    assert_int_equal(store_exec(c, "INSERT INTO child VALUES ('missing')", &err), ERR_CONFLICT);
    assert_contains(err.msg, "FOREIGN KEY constraint failed");
    store_release(s, c);
    store_close(s);
}

static void busy_database_maps_to_unavailable_after_the_busy_timeout(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 2, 100, 1000);
    struct store_conn *a = NULL, *b = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &a, &err), &err);
    assert_ok(store_acquire(s, &b, &err), &err);
    exec_ok(a, "CREATE TABLE t (name TEXT UNIQUE)");
    assert_ok(store_begin(a, &err), &err);
    assert_ok(insert_name(a, "held", &err), &err); /* a now holds the write lock */

    int64_t start = clock_mono_ms();
    assert_int_equal(insert_name(b, "blocked", &err), ERR_UNAVAILABLE);
    int64_t waited = clock_mono_ms() - start;
    assert_int_equal(err.code, ERR_UNAVAILABLE);
    assert_contains(err.msg, "locked");
    assert_true(waited >= 90);  /* the busy handler waited ... */
    assert_true(waited < 5000); /* ... and then gave up */

    store_rollback(a);
    assert_ok(insert_name(b, "free again", &err), &err);
    store_release(s, a);
    store_release(s, b);
    store_close(s);
}

/* ---- transactions --------------------------------------------------------- */

static void rollback_undoes_a_transaction(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE t (name TEXT UNIQUE); INSERT INTO t VALUES ('before')");
    assert_ok(store_begin_write(c, &err), &err);
    assert_ok(insert_name(c, "inside", &err), &err);
    exec_ok(c, "DELETE FROM t WHERE name = 'before'");
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM t WHERE name = 'inside'"), 1);
    store_rollback(c);
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM t WHERE name = 'inside'"), 0);
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM t WHERE name = 'before'"), 1);
    store_release(s, c);
    store_close(s);
}

static void rollback_without_a_transaction_is_harmless(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 1000);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE t (name TEXT UNIQUE); INSERT INTO t VALUES ('kept')");
    store_rollback(c);
    store_rollback(c);
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM t"), 1);
    /* a transaction can still begin and commit afterwards */
    assert_ok(store_begin(c, &err), &err);
    assert_ok(insert_name(c, "more", &err), &err);
    assert_ok(store_commit(c, &err), &err);
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM t"), 2);
    store_release(s, c);
    store_close(s);
}

static void commit_makes_writes_visible_to_other_connections(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 2, 1000, 1000);
    struct store_conn *a = NULL, *b = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &a, &err), &err);
    assert_ok(store_acquire(s, &b, &err), &err);
    exec_ok(a, "CREATE TABLE t (name TEXT UNIQUE)");
    assert_ok(store_begin(a, &err), &err);
    assert_ok(insert_name(a, "x", &err), &err);
    assert_int_equal(query_int(b, "SELECT COUNT(*) FROM t"), 0);
    assert_ok(store_commit(a, &err), &err);
    assert_int_equal(query_int(b, "SELECT COUNT(*) FROM t"), 1);
    store_release(s, a);
    store_release(s, b);
    store_close(s);
}

static void begin_write_takes_the_write_lock_up_front(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 2, 50, 1000);
    struct store_conn *a = NULL, *b = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &a, &err), &err);
    assert_ok(store_acquire(s, &b, &err), &err);
    exec_ok(a, "CREATE TABLE t (name TEXT UNIQUE)");
    /* a plain begin takes no lock: both may start */
    assert_ok(store_begin(a, &err), &err);
    assert_ok(store_begin(b, &err), &err);
    store_rollback(a);
    store_rollback(b);
    /* begin_write on a, no write yet: b cannot take the lock */
    assert_ok(store_begin_write(a, &err), &err);
    assert_int_equal(store_begin_write(b, &err), ERR_UNAVAILABLE);
    assert_ok(store_commit(a, &err), &err);
    assert_ok(store_begin_write(b, &err), &err);
    assert_ok(store_commit(b, &err), &err);
    store_release(s, a);
    store_release(s, b);
    store_close(s);
}

/* ---- the pool ------------------------------------------------------------- */

static void exhausted_pool_times_out_with_unavailable(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 2, 1000, 200);
    struct store_conn *c[2] = { NULL, NULL };
    struct store_conn *extra = (struct store_conn *)&extra;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c[0], &err), &err);
    assert_ok(store_acquire(s, &c[1], &err), &err);
    int64_t start = clock_mono_ms();
    assert_int_equal(store_acquire(s, &extra, &err), ERR_UNAVAILABLE);
    int64_t waited = clock_mono_ms() - start;
    assert_null(extra);
    assert_contains(err.msg, "no database connection free after 200 ms");
    assert_true(waited >= 190);
    assert_true(waited < 2000);
    assert_int_equal(store_ping(s, &err), ERR_UNAVAILABLE);

    /* one released: the next acquire succeeds at once */
    store_release(s, c[1]);
    assert_ok(store_acquire(s, &extra, &err), &err);
    assert_ptr_equal(extra, c[1]);
    store_release(s, extra);
    store_release(s, c[0]);
    store_close(s);
}

static void zero_acquire_timeout_fails_at_once(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 0);
    struct store_conn *c = NULL, *extra = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_acquire(s, &c, &err), &err);
    int64_t start = clock_mono_ms();
    assert_int_equal(store_acquire(s, &extra, &err), ERR_UNAVAILABLE);
    assert_true(clock_mono_ms() - start < 100);
    store_release(s, c);
    store_close(s);
}

static void release_accepts_null(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 0);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    store_release(s, NULL);
    assert_ok(store_acquire(s, &c, &err), &err);
    store_release(s, c);
    store_close(s);
}

struct delayed_release {
    struct store *s;
    struct store_conn *c;
    int delay_ms;
};

static void *release_later(void *arg)
{
    struct delayed_release *d = arg;
    clock_sleep_ms(d->delay_ms);
    store_release(d->s, d->c);
    return NULL;
}

static void acquire_waits_for_a_release_from_another_thread(void **state)
{
    (void)state;
    struct store *s = open_store(":memory:", 1, 1000, 5000);
    struct delayed_release d = { .s = s, .delay_ms = 100 };
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    pthread_t t;

    assert_ok(store_acquire(s, &d.c, &err), &err);
    assert_int_equal(pthread_create(&t, NULL, release_later, &d), 0);
    int64_t start = clock_mono_ms();
    assert_ok(store_acquire(s, &c, &err), &err);
    int64_t waited = clock_mono_ms() - start;
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_ptr_equal(c, d.c);
    assert_true(waited >= 50);
    assert_true(waited < 4000);
    store_release(s, c);
    store_close(s);
}

#define N_THREADS       8
#define N_ROUNDS        50
#define THREADS_POOL_SZ 3

struct worker {
    struct store *s;
    atomic_int *holders;     /* connections held right now, over all threads */
    atomic_int *max_holders; /* the most ever held at once */
    int n_done;              /* rounds that committed */
    char failure[300];       /* first failure, "" if none */
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct err err = ERR_INIT;

    for (int i = 0; i < N_ROUNDS; i++) {
        struct store_conn *c = NULL;
        struct store_stmt *st = NULL;
        bool has_row = false;
        enum err_code rc = store_acquire(w->s, &c, &err);
        if (rc)
            goto fail;
        int now = atomic_fetch_add(w->holders, 1) + 1;
        int seen = atomic_load(w->max_holders);
        while (now > seen && !atomic_compare_exchange_weak(w->max_holders, &seen, now))
            ;
        rc = store_begin_write(c, &err);
        if (!rc)
            rc = store_prepare(c, "INSERT INTO hits (n) VALUES (?)", &st, &err);
        if (!rc) {
            store_bind_int64(st, 1, i);
            rc = store_step(st, &has_row, &err);
        }
        store_finalize(st);
        if (!rc)
            rc = store_commit(c, &err);
        if (rc)
            store_rollback(c);
        atomic_fetch_sub(w->holders, 1);
        store_release(w->s, c);
        if (rc)
            goto fail;
        w->n_done++;
    }
    return NULL;
fail:
    snprintf(w->failure, sizeof(w->failure), "%s", err.msg);
    return NULL;
}

static void acquire_and_release_from_many_threads(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, THREADS_POOL_SZ, 10000, 10000);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    atomic_int holders = 0, max_holders = 0;
    struct worker w[N_THREADS];
    pthread_t t[N_THREADS];

    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE hits (n INTEGER NOT NULL)");
    store_release(s, c);

    for (int i = 0; i < N_THREADS; i++) {
        w[i] = (struct worker){ .s = s, .holders = &holders, .max_holders = &max_holders };
        assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_string_equal(w[i].failure, "");
        assert_int_equal(w[i].n_done, N_ROUNDS);
    }
    assert_int_equal(atomic_load(&holders), 0);
    assert_true(atomic_load(&max_holders) >= 1);
    assert_true(atomic_load(&max_holders) <= THREADS_POOL_SZ);

    assert_ok(store_acquire(s, &c, &err), &err);
    assert_int_equal(query_int(c, "SELECT COUNT(*) FROM hits"), N_THREADS * N_ROUNDS);
    store_release(s, c);
    store_close(s);
}

static void ping_succeeds_on_an_open_store(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_store(f->path, 1, 1000, 0);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;

    assert_ok(store_ping(s, &err), &err);
    /* ping gave its connection back */
    assert_ok(store_acquire(s, &c, &err), &err);
    store_release(s, c);
    store_close(s);
}

/* ---- one-row reads (store_read_row) --------------------------------------- */

/* A row of t(name, n). */
struct named {
    char name[16];
    int64_t n;
};

/* The store_row_fn of the tests: the row into a struct named; ctx (an int) counts the calls. */
static void read_named(struct store_stmt *st, void *item, void *ctx)
{
    struct named *r = item;
    const char *name = store_col_text(st, 0);
    snprintf(r->name, sizeof(r->name), "%s", name ? name : "(null)");
    r->n = store_col_int64(st, 1);
    (*(int *)ctx)++;
}

/* A store on f->path (one connection, no wait for it) with t holding three rows. */
static struct store *open_named(const struct fixture *f)
{
    struct store *s = open_store(f->path, 1, 1000, 0);
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    assert_ok(store_acquire(s, &c, &err), &err);
    exec_ok(c, "CREATE TABLE t (name TEXT, n INTEGER);"
               "INSERT INTO t VALUES ('b', 2), ('a', 1), ('c', 3)");
    store_release(s, c);
    return s;
}

/* Fails unless every byte of r is 0 (as store_read_row leaves it without a row). */
static void assert_zeroed(const struct named *r)
{
    static const struct named zero;
    assert_memory_equal(r, &zero, sizeof(*r));
}

/* Fails unless the store's one connection is free (its timeout is 0). */
static void assert_connection_free(struct store *s)
{
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    assert_ok(store_acquire(s, &c, &err), &err);
    store_release(s, c);
}

static void read_row_binds_params_reads_the_first_row_only_and_releases(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_named(f);
    struct err err = ERR_INIT;
    struct named r;
    int calls = 0;
    bool found = false;

    /* text and integer parameters; three rows match, the first in order is read */
    struct store_param p[] = { STORE_TEXT("z"), STORE_INT(0) };
    assert_ok(store_read_row(s, "SELECT name, n FROM t WHERE name < ? AND n > ? ORDER BY name", p,
                             2, sizeof(r), read_named, &calls, &r, &found, &err),
              &err);
    assert_true(found);
    assert_int_equal(calls, 1);
    assert_string_equal(r.name, "a");
    assert_int_equal(r.n, 1);
    assert_connection_free(s);

    /* a NULL parameter binds NULL; found may be NULL */
    struct store_param null[] = { STORE_TEXT(NULL) };
    assert_ok(store_read_row(s, "SELECT ? IS NULL, 7", null, 1, sizeof(r), read_named, &calls, &r,
                             NULL, &err),
              &err);
    assert_int_equal(calls, 2);
    assert_string_equal(r.name, "1");
    assert_int_equal(r.n, 7);
    store_close(s);
}

static void read_row_without_a_row_is_ok_with_the_item_zeroed(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_named(f);
    struct err err = ERR_INIT;
    struct named r;
    memset(&r, 0x5a, sizeof(r));
    int calls = 0;
    bool found = true;

    struct store_param p[] = { STORE_TEXT("nobody") };
    assert_ok(store_read_row(s, "SELECT name, n FROM t WHERE name = ?", p, 1, sizeof(r), read_named,
                             &calls, &r, &found, &err),
              &err);
    assert_false(found);
    assert_int_equal(calls, 0);
    assert_zeroed(&r);
    assert_connection_free(s);
    store_close(s);
}

static void read_row_errors_leave_the_item_zeroed_and_the_connection_free(void **state)
{
    struct fixture *f = *state;
    struct store *s = open_named(f);
    struct err err = ERR_INIT;
    struct named r;
    int calls = 0;
    bool found = true;

    /* bad SQL: ERR_INTERNAL, and the connection goes back */
    memset(&r, 0x5a, sizeof(r));
    assert_int_equal(store_read_row(s, "SELECT name, n FROM nowhere", NULL, 0, sizeof(r),
                                    read_named, &calls, &r, &found, &err),
                     ERR_INTERNAL);
    assert_contains(err.msg, "nowhere");
    assert_false(found);
    assert_zeroed(&r);
    assert_connection_free(s);

    /* no free connection: ERR_UNAVAILABLE at once (the timeout is 0) */
    struct store_conn *held = NULL;
    assert_ok(store_acquire(s, &held, &err), &err);
    memset(&r, 0x5a, sizeof(r));
    found = true;
    assert_int_equal(store_read_row(s, "SELECT name, n FROM t", NULL, 0, sizeof(r), read_named,
                                    &calls, &r, &found, &err),
                     ERR_UNAVAILABLE);
    assert_false(found);
    assert_zeroed(&r);
    assert_int_equal(calls, 0);
    store_release(s, held);
    assert_connection_free(s);
    store_close(s);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(opens_and_closes_a_file_database),
        T(close_accepts_null),
        T(data_survives_close_and_reopen),
        T(creates_missing_parent_directories),
        T(accepts_sqlite_prefixed_urls),
        T(runs_in_wal_mode_with_foreign_keys_on_every_connection),
        T(readers_are_not_blocked_by_a_writer),
        T(memory_database_is_private_per_connection),
        T(rejects_empty_and_malformed_urls),
        T(rejects_a_path_under_a_regular_file),
        T(rejects_a_directory_as_the_database_file),
        T(rejects_a_file_that_is_not_a_database),
        T(pool_size_must_be_between_1_and_the_maximum),
        T(negative_timeouts_are_rejected),
        T(null_options_give_a_pool_of_four),
        T(binds_and_reads_text_int64_and_null),
        T(text_is_copied_when_bound),
        T(bind_textn_binds_exactly_len_bytes),
        T(bad_bind_index_is_reported_by_the_next_step_until_reset),
        T(reset_runs_a_statement_again),
        T(changes_counts_the_rows_of_the_last_statement),
        T(prepare_rejects_bad_sql_and_more_than_one_statement),
        T(exec_runs_several_statements_and_reports_errors),
        T(unique_violation_maps_to_conflict),
        T(foreign_key_violation_maps_to_conflict),
        T(busy_database_maps_to_unavailable_after_the_busy_timeout),
        T(rollback_undoes_a_transaction),
        T(rollback_without_a_transaction_is_harmless),
        T(commit_makes_writes_visible_to_other_connections),
        T(begin_write_takes_the_write_lock_up_front),
        T(exhausted_pool_times_out_with_unavailable),
        T(zero_acquire_timeout_fails_at_once),
        T(release_accepts_null),
        T(acquire_waits_for_a_release_from_another_thread),
        T(acquire_and_release_from_many_threads),
        T(ping_succeeds_on_an_open_store),
        T(read_row_binds_params_reads_the_first_row_only_and_releases),
        T(read_row_without_a_row_is_ok_with_the_item_zeroed),
        T(read_row_errors_leave_the_item_zeroed_and_the_connection_free),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
