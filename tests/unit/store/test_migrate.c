/*
 * tests/unit/store/test_migrate.c - migrate.h: the file-name parser, loading
 * sets (the embedded one and hand-made tables), applying hand-made sets to a
 * database (order, records, idempotence, failures, changed checksums) and
 * status. Each test gets its own mkdtemp directory under /tmp, removed in its
 * teardown, and an empty database: a SQLite file there, or with
 * TEST_DATABASE_URL a PostgreSQL database without tables (testdb.h).
 * Single-threaded.
 */
#include "core/compat.h"

#include "store/migrate.h"

#include <setjmp.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testdb.h"
#include "testutil.h"

#include "core/clock.h"
#include "core/embed.h"
#include "core/sha256.h"
#include "store/store.h"

struct fixture {
    char dir[64];
    char path[128]; /* dir/test.db */
    char url[512];  /* path, or a postgres URL */
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct store_options opts = { .pool_size = 2,
                                  .busy_timeout_ms = 1000,
                                  .acquire_timeout_ms = 1000 };
    struct err err = ERR_INIT;
    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/crowdelic-migrate-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof(f->path), "%s/test.db", f->dir);
    if (testdb_blank(f->path, f->url, sizeof(f->url)) ||
        store_open(f->url, &opts, &f->s, &err) != ERR_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        testutil_rmtree(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    int rc = testutil_rmtree(f->dir);
    free(f);
    return rc;
}

/* Runs a one-row integer query on a pooled connection. */
static int64_t query_int(struct store *s, const char *sql)
{
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    struct err err = ERR_INIT;
    bool has_row = false;
    assert_ok(store_acquire(s, &c, &err), &err);
    assert_ok(store_prepare(c, sql, &st, &err), &err);
    assert_ok(store_step(st, &has_row, &err), &err);
    assert_true(has_row);
    int64_t v = store_col_int64(st, 0);
    store_finalize(st);
    store_release(s, c);
    return v;
}

/* Whether name is a table: reading it works (portable: no catalog is common to both). */
static bool table_exists(struct store *s, const char *name)
{
    struct store_conn *c = NULL;
    struct err err = ERR_INIT;
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", name);
    assert_ok(store_acquire(s, &c, &err), &err);
    enum err_code rc = store_exec(c, sql, &err);
    store_release(s, c);
    if (rc && rc != ERR_INTERNAL)
        fail_msg("%s: %s", sql, err.msg);
    return rc == ERR_OK;
}

static int current_version(struct store *s)
{
    int v = -1;
    struct err err = ERR_INIT;
    assert_ok(migrate_current_version(s, &v, &err), &err);
    return v;
}

#define MIGRATION(v, name, sql)             \
    {                                       \
        (v), (name), (sql), sizeof(sql) - 1 \
    }

static const char sql_people[] = "CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL);";
static const char sql_people_age[] = "ALTER TABLE people ADD COLUMN age INTEGER;\n"
                                     "INSERT INTO people (id, name, age) VALUES ('p1', 'Ann', 41);";
static const char sql_pets[] = "CREATE TABLE pets (id TEXT PRIMARY KEY);";
static const char sql_broken[] = "CREATE TABLE half_done (x INTEGER);\n"
                                 "INSERT INTO no_such_table VALUES (1);";

/* ---- file names ----------------------------------------------------------- */

static void parse_filename_reads_portable_and_backend_files(void **state)
{
    (void)state;
    struct migration_file mf;
    struct err err = ERR_INIT;

    assert_ok(migrate_parse_filename("sql/0001_instance.sql", &mf, &err), &err);
    assert_int_equal(mf.version, 1);
    assert_string_equal(mf.name, "instance");
    assert_string_equal(mf.backend, "");

    assert_ok(migrate_parse_filename("0042_add_index_2.sqlite.sql", &mf, &err), &err);
    assert_int_equal(mf.version, 42);
    assert_string_equal(mf.name, "add_index_2");
    assert_string_equal(mf.backend, "sqlite");

    assert_ok(migrate_parse_filename("a/b/sql/123456789_x.postgres.sql", &mf, &err), &err);
    assert_int_equal(mf.version, 123456789);
    assert_string_equal(mf.name, "x");
    assert_string_equal(mf.backend, "postgres");
}

static void parse_filename_rejects_malformed_names(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        const char *says;
    } cases[] = {
        { "sql/0001_instance.txt", "does not end in .sql" },
        { "sql/.sql", "4 to 9 digits" },
        { "sql/001_three_digits.sql", "4 to 9 digits" },
        { "sql/1234567890_ten_digits.sql", "4 to 9 digits" },
        { "sql/instance.sql", "4 to 9 digits" },
        { "sql/0000_zero.sql", "greater than 0" },
        { "sql/0001-dash.sql", "expected '_'" },
        { "sql/0001.sql", "expected '_'" },
        { "sql/0001_.sql", "1 to 63 characters" },
        { "sql/0001_Upper.sql", "1 to 63 characters" },
        { "sql/0001_has space.sql", "1 to 63 characters" },
        { "sql/0001_x.mysql.sql", "unknown backend 'mysql'" },
        { "sql/0001_x..sql", "unknown backend ''" },
        { "sql/0001_x.sqlite.extra.sql", "unknown backend 'sqlite.extra'" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct migration_file mf;
        struct err err = ERR_INIT;
        if (migrate_parse_filename(cases[i].path, &mf, &err) != ERR_INVALID)
            fail_msg("'%s' was accepted", cases[i].path);
        assert_contains(err.msg, cases[i].path);
        assert_contains(err.msg, cases[i].says);
    }
}

static void parse_filename_limits_name_to_63_characters(void **state)
{
    (void)state;
    char path[128], name[70];
    struct migration_file mf;
    struct err err = ERR_INIT;

    memset(name, 'n', 63);
    name[63] = '\0';
    snprintf(path, sizeof(path), "sql/0001_%s.sql", name);
    assert_ok(migrate_parse_filename(path, &mf, &err), &err);
    assert_int_equal(strlen(mf.name), 63);

    memset(name, 'n', 64);
    name[64] = '\0';
    snprintf(path, sizeof(path), "sql/0001_%s.sql", name);
    assert_int_equal(migrate_parse_filename(path, &mf, &err), ERR_INVALID);

    assert_ok(migrate_parse_filename("sql/0001_a.sql", &mf, &err), &err);
    assert_string_equal(mf.name, "a");
}

/* ---- loading -------------------------------------------------------------- */

static void embedded_set_has_version_1_instance_for_both_backends(void **state)
{
    (void)state;
    static const char *const backends[] = { "sqlite", "postgres" };
    for (size_t b = 0; b < ARRAY_SIZE(backends); b++) {
        struct migration *set = NULL;
        size_t n = 0;
        struct err err = ERR_INIT;
        assert_ok(migrate_load_embedded(backends[b], &set, &n, &err), &err);
        assert_true(n >= 1);
        assert_int_equal(set[0].version, 1);
        assert_string_equal(set[0].name, "instance");
        assert_non_null(strstr(set[0].sql, "CREATE TABLE instance"));
        assert_int_equal(set[0].len, strlen(set[0].sql));
        for (size_t i = 1; i < n; i++)
            assert_true(set[i].version > set[i - 1].version);
        free(set);
    }
}

static void load_rejects_an_unknown_backend(void **state)
{
    (void)state;
    struct migration *set = NULL;
    size_t n = 7;
    struct err err = ERR_INIT;
    assert_int_equal(migrate_load_embedded("mysql", &set, &n, &err), ERR_INVALID);
    assert_null(set);
    assert_int_equal(n, 0);
    assert_contains(err.msg, "'mysql'");
}

static void load_files_picks_the_backends_files_in_version_order(void **state)
{
    (void)state;
    static const struct embedded_file files[] = {
        { "docs/openapi.yaml", 4, "x: 1" },
        { "sql/10000_late.sql", 7, "-- late" },
        { "sql/0002_tuned.postgres.sql", 5, "-- pg" },
        { "sql/0002_tuned.sqlite.sql", 5, "-- sq" },
        { "sql/0001_first.sql", 8, "-- first" },
        { "sql/9999_before_late.sql", 5, "-- 99" },
    };
    struct migration *set = NULL;
    size_t n = 0;
    struct err err = ERR_INIT;

    assert_ok(migrate_load_files(files, ARRAY_SIZE(files), "sqlite", &set, &n, &err), &err);
    assert_int_equal(n, 4);
    assert_int_equal(set[0].version, 1);
    assert_string_equal(set[0].name, "first");
    assert_int_equal(set[1].version, 2);
    assert_string_equal(set[1].sql, "-- sq");
    assert_int_equal(set[2].version, 9999);
    assert_int_equal(set[3].version, 10000);
    assert_string_equal(set[3].name, "late");
    assert_ptr_equal(set[3].sql, files[1].data); /* borrowed, not copied */
    free(set);

    assert_ok(migrate_load_files(files, ARRAY_SIZE(files), "postgres", &set, &n, &err), &err);
    assert_int_equal(n, 4);
    assert_string_equal(set[1].sql, "-- pg");
    free(set);
}

static void load_files_of_an_empty_table_gives_an_empty_set(void **state)
{
    (void)state;
    static const struct embedded_file files[] = { { "docs/openapi.yaml", 4, "x: 1" } };
    struct migration *set = (struct migration *)&set;
    size_t n = 9;
    struct err err = ERR_INIT;
    assert_ok(migrate_load_files(files, 0, "sqlite", &set, &n, &err), &err);
    assert_null(set);
    assert_int_equal(n, 0);
    assert_ok(migrate_load_files(files, 1, "sqlite", &set, &n, &err), &err);
    assert_int_equal(n, 0);
}

static void load_files_rejects_duplicate_versions_naming_both_files(void **state)
{
    (void)state;
    static const struct embedded_file two_portable[] = {
        { "sql/0003_a.sql", 1, ";" },
        { "sql/0003_b.sql", 1, ";" },
    };
    static const struct embedded_file portable_and_specific[] = {
        { "sql/0003_a.sql", 1, ";" },
        { "sql/0003_a.sqlite.sql", 1, ";" },
        { "sql/0003_a.postgres.sql", 1, ";" },
    };
    static const struct embedded_file two_for_one_backend[] = {
        { "sql/0003_a.sqlite.sql", 1, ";" },
        { "sql/0003_b.sqlite.sql", 1, ";" },
        { "sql/0003_a.postgres.sql", 1, ";" },
    };
    struct migration *set = NULL;
    size_t n = 0;
    struct err err = ERR_INIT;

    assert_int_equal(migrate_load_files(two_portable, 2, "sqlite", &set, &n, &err), ERR_INVALID);
    assert_contains(err.msg, "'sql/0003_a.sql' and 'sql/0003_b.sql' have the same version");
    assert_null(set);

    assert_int_equal(migrate_load_files(portable_and_specific, 3, "postgres", &set, &n, &err),
                     ERR_INVALID);
    assert_contains(err.msg, "'sql/0003_a.sql' and 'sql/0003_a.postgres.sql'");

    assert_int_equal(migrate_load_files(two_for_one_backend, 3, "postgres", &set, &n, &err),
                     ERR_INVALID);
    assert_contains(err.msg, "'sql/0003_a.sqlite.sql' and 'sql/0003_b.sqlite.sql'");
}

static void load_files_requires_a_counterpart_for_a_backend_file(void **state)
{
    (void)state;
    static const struct embedded_file files[] = {
        { "sql/0001_base.sql", 1, ";" },
        { "sql/0002_fts.sqlite.sql", 1, ";" },
    };
    struct migration *set = NULL;
    size_t n = 0;
    struct err err = ERR_INIT;

    /* refused for both backends, so a missing file is found on either */
    assert_int_equal(migrate_load_files(files, 2, "sqlite", &set, &n, &err), ERR_INVALID);
    assert_contains(err.msg, "'sql/0002_fts.sqlite.sql': no postgres file for version 2");
    assert_int_equal(migrate_load_files(files, 2, "postgres", &set, &n, &err), ERR_INVALID);
    assert_null(set);
}

static void load_files_rejects_a_malformed_name_naming_the_file(void **state)
{
    (void)state;
    static const struct embedded_file files[] = {
        { "sql/0001_ok.sql", 1, ";" },
        { "sql/2_short.sql", 1, ";" },
    };
    struct migration *set = NULL;
    size_t n = 0;
    struct err err = ERR_INIT;
    assert_int_equal(migrate_load_files(files, 2, "sqlite", &set, &n, &err), ERR_INVALID);
    assert_contains(err.msg, "sql/2_short.sql");
    assert_null(set);
}

/* ---- applying ------------------------------------------------------------- */

static void apply_runs_migrations_in_order_and_records_them(void **state)
{
    struct fixture *f = *state;
    const struct migration set[] = {
        MIGRATION(1, "people", sql_people),
        MIGRATION(2, "people_age", sql_people_age), /* needs 1 first */
    };
    struct err err = ERR_INIT;
    int n_applied = -1;
    int64_t before = clock_now_ms();

    assert_ok(migrate_apply(f->s, set, 2, &n_applied, &err), &err);
    int64_t after = clock_now_ms();
    assert_int_equal(n_applied, 2);
    assert_int_equal(query_int(f->s, "SELECT age FROM people WHERE id = 'p1'"), 41);
    assert_int_equal(current_version(f->s), 2);

    /* the rows: versions, names, checksums of the exact text, times */
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    bool has_row = false;
    assert_ok(store_acquire(f->s, &c, &err), &err);
    assert_ok(store_prepare(c,
                            "SELECT version, name, checksum, applied_at FROM schema_migrations "
                            "ORDER BY version",
                            &st, &err),
              &err);
    for (size_t i = 0; i < 2; i++) {
        char want[SHA256_HEX_LEN];
        sha256_hex(set[i].sql, set[i].len, want);
        assert_ok(store_step(st, &has_row, &err), &err);
        assert_true(has_row);
        assert_int_equal(store_col_int64(st, 0), set[i].version);
        assert_string_equal(store_col_text(st, 1), set[i].name);
        assert_string_equal(store_col_text(st, 2), want);
        assert_true(store_col_int64(st, 3) >= before);
        assert_true(store_col_int64(st, 3) <= after);
    }
    assert_ok(store_step(st, &has_row, &err), &err);
    assert_false(has_row);
    store_finalize(st);
    store_release(f->s, c);
}

static void apply_twice_applies_nothing_the_second_time(void **state)
{
    struct fixture *f = *state;
    const struct migration set[] = {
        MIGRATION(1, "people", sql_people),
        MIGRATION(2, "people_age", sql_people_age),
    };
    struct err err = ERR_INIT;
    int n_applied = -1;

    assert_ok(migrate_apply(f->s, set, 2, &n_applied, &err), &err);
    assert_int_equal(n_applied, 2);
    assert_ok(migrate_apply(f->s, set, 2, &n_applied, &err), &err);
    assert_int_equal(n_applied, 0);
    /* the data migration did not run again */
    assert_int_equal(query_int(f->s, "SELECT COUNT(*) FROM people"), 1);
    assert_int_equal(query_int(f->s, "SELECT COUNT(*) FROM schema_migrations"), 2);
}

static void apply_of_a_longer_set_runs_only_the_new_migrations(void **state)
{
    struct fixture *f = *state;
    const struct migration set[] = {
        MIGRATION(1, "people", sql_people),
        MIGRATION(2, "people_age", sql_people_age),
        MIGRATION(3, "pets", sql_pets),
    };
    struct err err = ERR_INIT;
    int n_applied = -1;

    assert_ok(migrate_apply(f->s, set, 1, &n_applied, &err), &err);
    assert_int_equal(n_applied, 1);
    assert_ok(migrate_apply(f->s, set, 3, &n_applied, &err), &err);
    assert_int_equal(n_applied, 2);
    assert_true(table_exists(f->s, "pets"));
    assert_int_equal(current_version(f->s), 3);
}

static void failing_migration_rolls_back_only_itself_and_names_its_file(void **state)
{
    struct fixture *f = *state;
    const struct migration set[] = {
        MIGRATION(1, "people", sql_people),
        MIGRATION(2, "broken", sql_broken),
        MIGRATION(3, "pets", sql_pets),
    };
    struct err err = ERR_INIT;
    int n_applied = -1;

    assert_int_equal(migrate_apply(f->s, set, 3, &n_applied, &err), ERR_INTERNAL);
    assert_int_equal(n_applied, 1);
    assert_contains(err.msg, "sql/0002_broken.sql: ");
    assert_contains(err.msg, "no_such_table");     /* the backend says how */
    assert_true(table_exists(f->s, "people"));     /* 1 stays applied */
    assert_false(table_exists(f->s, "half_done")); /* 2's first statement undone */
    assert_false(table_exists(f->s, "pets"));      /* 3 never ran */
    assert_int_equal(current_version(f->s), 1);

    /* fixed, the rest applies */
    const struct migration fixed[] = {
        MIGRATION(1, "people", sql_people),
        MIGRATION(2, "people_age", sql_people_age),
        MIGRATION(3, "pets", sql_pets),
    };
    assert_ok(migrate_apply(f->s, fixed, 3, &n_applied, &err), &err);
    assert_int_equal(n_applied, 2);
    assert_int_equal(current_version(f->s), 3);
}

static void changed_checksum_is_refused_before_anything_runs(void **state)
{
    struct fixture *f = *state;
    static const char sql_people_edited[] =
        "CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, extra TEXT);";
    const struct migration first[] = { MIGRATION(1, "people", sql_people) };
    const struct migration edited[] = {
        MIGRATION(1, "people", sql_people_edited),
        MIGRATION(2, "pets", sql_pets),
    };
    struct err err = ERR_INIT;
    int n_applied = -1;

    assert_ok(migrate_apply(f->s, first, 1, &n_applied, &err), &err);
    assert_int_equal(migrate_apply(f->s, edited, 2, &n_applied, &err), ERR_CONFLICT);
    assert_int_equal(n_applied, 0);
    assert_contains(err.msg, "sql/0001_people.sql: checksum changed since version 1");
    assert_false(table_exists(f->s, "pets"));
    assert_int_equal(current_version(f->s), 1);
}

static void apply_rejects_bad_sets_before_touching_the_database(void **state)
{
    struct fixture *f = *state;
    static const char unterminated[] = "CREATE TABLE x (a INTEGER);";
    const struct {
        struct migration set[2];
        size_t n;
        const char *says;
    } cases[] = {
        { { MIGRATION(1, "a", sql_people), MIGRATION(1, "b", sql_pets) }, 2, "duplicated" },
        { { MIGRATION(2, "a", sql_people), MIGRATION(1, "b", sql_pets) }, 2, "out of order" },
        { { MIGRATION(0, "zero", sql_people) }, 1, "greater than 0" },
        { { MIGRATION(-4, "neg", sql_people) }, 1, "greater than 0" },
        { { MIGRATION(1, "Bad-Name", sql_people) }, 1, "1 to 63 characters" },
        { { MIGRATION(1, "", sql_people) }, 1, "1 to 63 characters" },
        { { { 1, NULL, sql_people, sizeof(sql_people) - 1 } }, 1, "1 to 63 characters" },
        { { { 1, "short_len", unterminated, 5 } }, 1, "NUL-terminated" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct err err = ERR_INIT;
        int n_applied = -1;
        assert_int_equal(migrate_apply(f->s, cases[i].set, cases[i].n, &n_applied, &err),
                         ERR_INVALID);
        assert_int_equal(n_applied, 0);
        assert_contains(err.msg, cases[i].says);
    }
    assert_false(table_exists(f->s, "schema_migrations"));
    assert_false(table_exists(f->s, "people"));
}

static void apply_of_an_empty_set_applies_nothing(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int n_applied = -1;
    assert_ok(migrate_apply(f->s, NULL, 0, &n_applied, &err), &err);
    assert_int_equal(n_applied, 0);
    assert_int_equal(current_version(f->s), 0);
}

/* ---- the embedded set, status --------------------------------------------- */

static void current_version_of_a_fresh_database_is_0(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(current_version(f->s), 0);
}

static void run_applies_the_embedded_set_once(void **state)
{
    struct fixture *f = *state;
    struct err err = ERR_INIT;
    int n_applied = -1;

    assert_ok(migrate_run(f->s, &n_applied, &err), &err);
    assert_true(n_applied >= 1);
    assert_true(table_exists(f->s, "instance"));
    assert_true(current_version(f->s) >= 1);
    assert_ok(migrate_run(f->s, &n_applied, &err), &err);
    assert_int_equal(n_applied, 0);

    /* instance takes a text id and a millisecond time past 2^31 */
    struct store_conn *c = NULL;
    assert_ok(store_acquire(f->s, &c, &err), &err);
    assert_ok(
        store_exec(c, "INSERT INTO instance (id, created_at) VALUES ('i1', 1764000000000)", &err),
        &err);
    assert_int_equal(store_exec(c, "INSERT INTO instance (id, created_at) VALUES ('i1', 1)", &err),
                     ERR_CONFLICT);
    assert_int_equal(store_exec(c, "INSERT INTO instance (id) VALUES ('i2')", &err), ERR_CONFLICT);
    store_release(f->s, c);
    assert_int_equal(query_int(f->s, "SELECT created_at FROM instance"), 1764000000000);
}

/* Finds version v in rows[0..n), or fails the test. */
static const struct migration_status *find_status(const struct migration_status *rows, size_t n,
                                                  int v)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].version == v)
            return &rows[i];
    fail_msg("no status row for version %d", v);
    return NULL;
}

static void status_lists_pending_applied_and_unknown_recorded_versions(void **state)
{
    struct fixture *f = *state;
    struct migration_status *rows = NULL;
    size_t n = 0, n_embedded = 0;
    struct migration *embedded = NULL;
    struct err err = ERR_INIT;
    int n_applied = -1;

    assert_ok(migrate_load_embedded(store_backend_name(f->s), &embedded, &n_embedded, &err), &err);
    free(embedded);

    /* fresh: everything pending */
    assert_ok(migrate_status(f->s, &rows, &n, &err), &err);
    assert_int_equal(n, n_embedded);
    assert_int_equal(rows[0].version, 1);
    assert_string_equal(rows[0].name, "instance");
    for (size_t i = 0; i < n; i++) {
        assert_false(rows[i].applied);
        assert_int_equal(rows[i].applied_at, 0);
    }
    free(rows);

    /* applied, plus a version from a newer binary */
    const struct migration future[] = { MIGRATION(999999, "from_the_future", sql_pets) };
    int64_t before = clock_now_ms();
    assert_ok(migrate_run(f->s, &n_applied, &err), &err);
    assert_ok(migrate_apply(f->s, future, 1, &n_applied, &err), &err);
    assert_ok(migrate_status(f->s, &rows, &n, &err), &err);
    assert_int_equal(n, n_embedded + 1);
    for (size_t i = 0; i < n; i++) {
        assert_true(rows[i].applied);
        assert_true(rows[i].applied_at >= before);
        if (i > 0)
            assert_true(rows[i].version > rows[i - 1].version);
    }
    const struct migration_status *unknown = find_status(rows, n, 999999);
    assert_string_equal(unknown->name, "from_the_future");
    assert_ptr_equal(unknown, &rows[n - 1]);
    free(rows);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_filename_reads_portable_and_backend_files),
        cmocka_unit_test(parse_filename_rejects_malformed_names),
        cmocka_unit_test(parse_filename_limits_name_to_63_characters),
        cmocka_unit_test(embedded_set_has_version_1_instance_for_both_backends),
        cmocka_unit_test(load_rejects_an_unknown_backend),
        cmocka_unit_test(load_files_picks_the_backends_files_in_version_order),
        cmocka_unit_test(load_files_of_an_empty_table_gives_an_empty_set),
        cmocka_unit_test(load_files_rejects_duplicate_versions_naming_both_files),
        cmocka_unit_test(load_files_requires_a_counterpart_for_a_backend_file),
        cmocka_unit_test(load_files_rejects_a_malformed_name_naming_the_file),
        T(apply_runs_migrations_in_order_and_records_them),
        T(apply_twice_applies_nothing_the_second_time),
        T(apply_of_a_longer_set_runs_only_the_new_migrations),
        T(failing_migration_rolls_back_only_itself_and_names_its_file),
        T(changed_checksum_is_refused_before_anything_runs),
        T(apply_rejects_bad_sets_before_touching_the_database),
        T(apply_of_an_empty_set_applies_nothing),
        T(current_version_of_a_fresh_database_is_0),
        T(run_applies_the_embedded_set_once),
        T(status_lists_pending_applied_and_unknown_recorded_versions),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
