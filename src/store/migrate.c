/*
 * store/migrate.c - loading the embedded sql/NNNN_name.sql files and
 * applying them, each in its own write transaction together with its row in
 * schema_migrations (version, name, checksum = hex SHA-256 of the text,
 * applied_at in ms since the epoch).
 *
 * Invariant: a version is recorded if and only if its SQL ran and committed.
 * A recorded version whose text changed is reported, never re-run. Two
 * processes migrating at once are serialised by the write transaction: each
 * migration's "is it recorded?" check runs inside it.
 *
 * Threading: no global state; each call acquires one pooled connection and
 * releases it before returning.
 */
#include "core/compat.h"

#include "store/migrate.h"

#include "core/clock.h"
#include "core/embed.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "store/store.h"

#define MIGRATE_MIN_DIGITS 4
#define MIGRATE_MAX_DIGITS 9 /* 999999999 fits an int */

static const char *const known_backends[] = { "sqlite", "postgres" };

/* Portable SQL: runs unchanged on SQLite and PostgreSQL. BIGINT: ms times pass 2^31. */
static const char create_table_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations (\n"
                                       "    version INTEGER PRIMARY KEY,\n"
                                       "    name TEXT NOT NULL,\n"
                                       "    checksum TEXT NOT NULL,\n"
                                       "    applied_at BIGINT NOT NULL\n"
                                       ")";

/* A row of schema_migrations. */
struct recorded {
    int version;
    char name[64];
    char checksum[SHA256_HEX_LEN];
    int64_t applied_at;
};

/* ---- file names ----------------------------------------------------------- */

static bool is_known_backend(const char *s, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(known_backends); i++)
        if (strlen(known_backends[i]) == len && memcmp(known_backends[i], s, len) == 0)
            return true;
    return false;
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* True when s[0..len) is a valid migration name. */
static bool valid_name(const char *s, size_t len)
{
    if (len < 1 || len > 63)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_name_char(s[i]))
            return false;
    return true;
}

enum err_code migrate_parse_filename(const char *path, struct migration_file *out, struct err *err)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);

    memset(out, 0, sizeof(*out));
    if (len < 4 || memcmp(base + len - 4, ".sql", 4) != 0)
        return err_set(err, ERR_INVALID, NULL, "migration '%s': name does not end in .sql", path);
    len -= 4;

    size_t n_digits = 0;
    int version = 0;
    while (n_digits < len && base[n_digits] >= '0' && base[n_digits] <= '9') {
        if (n_digits < MIGRATE_MAX_DIGITS)
            version = version * 10 + (base[n_digits] - '0');
        n_digits++;
    }
    if (n_digits < MIGRATE_MIN_DIGITS || n_digits > MIGRATE_MAX_DIGITS)
        return err_set(err, ERR_INVALID, NULL,
                       "migration '%s': expected a version of %d to %d digits at the start", path,
                       MIGRATE_MIN_DIGITS, MIGRATE_MAX_DIGITS);
    if (version == 0)
        return err_set(err, ERR_INVALID, NULL, "migration '%s': version must be greater than 0",
                       path);
    if (n_digits == len || base[n_digits] != '_')
        return err_set(err, ERR_INVALID, NULL, "migration '%s': expected '_' after the version",
                       path);

    const char *name = base + n_digits + 1;
    const char *end = base + len;
    const char *dot = memchr(name, '.', (size_t)(end - name));
    size_t name_len = (size_t)((dot ? dot : end) - name);
    if (!valid_name(name, name_len))
        return err_set(err, ERR_INVALID, NULL,
                       "migration '%s': the name must be 1 to 63 characters of a-z, 0-9 and _",
                       path);
    if (dot) {
        size_t blen = (size_t)(end - dot - 1);
        if (!is_known_backend(dot + 1, blen))
            return err_set(err, ERR_INVALID, NULL,
                           "migration '%s': unknown backend '%.*s' (expected sqlite or postgres)",
                           path, (int)blen, dot + 1);
        memcpy(out->backend, dot + 1, blen);
    }
    out->version = version;
    memcpy(out->name, name, name_len);
    return ERR_OK;
}

/* ---- loading a set -------------------------------------------------------- */

/* A parsed migration file. */
struct entry {
    struct migration_file f;
    const struct embedded_file *file; /* borrowed */
};

static int compare_entries(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->f.version != y->f.version)
        return x->f.version < y->f.version ? -1 : 1;
    return strcmp(x->f.backend, y->f.backend); /* the portable file ("") first */
}

static bool is_migration_path(const char *path)
{
    size_t len = strlen(path);
    return len >= 8 && strncmp(path, "sql/", 4) == 0 && strcmp(path + len - 4, ".sql") == 0;
}

/*
 * Checks the files of one version, e[0..n): one portable file, or exactly one
 * per known backend. ERR_INVALID naming the files otherwise.
 */
static enum err_code check_version_group(const struct entry *e, size_t n, struct err *err)
{
    if (e[0].f.backend[0] == '\0') {
        if (n > 1)
            return err_set(err, ERR_INVALID, NULL, "migrations '%s' and '%s' have the same version",
                           e[0].file->path, e[1].file->path);
        return ERR_OK;
    }
    for (size_t i = 1; i < n; i++)
        if (strcmp(e[i].f.backend, e[i - 1].f.backend) == 0)
            return err_set(err, ERR_INVALID, NULL, "migrations '%s' and '%s' have the same version",
                           e[i - 1].file->path, e[i].file->path);
    for (size_t b = 0; b < ARRAY_SIZE(known_backends); b++) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            found = found || strcmp(e[i].f.backend, known_backends[b]) == 0;
        if (!found)
            return err_set(err, ERR_INVALID, NULL,
                           "migration '%s': no %s file for version %d (a migration that is not "
                           "portable needs one file per backend)",
                           e[0].file->path, known_backends[b], e[0].f.version);
    }
    return ERR_OK;
}

/*
 * Copies the entries that backend runs into one malloc'd block: the array,
 * then the names.
 */
static struct migration *build_set(const struct entry *e, size_t n_entries, const char *backend,
                                   size_t *n)
{
    size_t count = 0, names = 0;
    for (size_t i = 0; i < n_entries; i++) {
        if (e[i].f.backend[0] && strcmp(e[i].f.backend, backend) != 0)
            continue;
        count++;
        names = st_add(names, strlen(e[i].f.name) + 1);
    }
    *n = count;
    if (!count)
        return NULL;
    size_t array_size = st_mult(count, sizeof(struct migration));
    struct migration *set = xmalloc(st_add(array_size, names));
    char *name_at = (char *)set + array_size;
    size_t k = 0;
    for (size_t i = 0; i < n_entries; i++) {
        if (e[i].f.backend[0] && strcmp(e[i].f.backend, backend) != 0)
            continue;
        size_t len = strlen(e[i].f.name);
        memcpy(name_at, e[i].f.name, len + 1);
        set[k++] = (struct migration){
            .version = e[i].f.version,
            .name = name_at,
            .sql = e[i].file->data,
            .len = e[i].file->len,
        };
        name_at += len + 1;
    }
    return set;
}

enum err_code migrate_load_files(const struct embedded_file *files, size_t n_files,
                                 const char *backend, struct migration **out, size_t *n,
                                 struct err *err)
{
    enum err_code rc = ERR_OK;
    struct entry *entries = NULL;
    size_t n_entries = 0;

    *out = NULL;
    *n = 0;
    if (!is_known_backend(backend, strlen(backend)))
        return err_set(err, ERR_INVALID, NULL,
                       "migrations: unknown backend '%s' (expected sqlite or postgres)", backend);

    entries = xcalloc(n_files ? n_files : 1, sizeof(*entries));
    for (size_t i = 0; i < n_files; i++) {
        if (!is_migration_path(files[i].path))
            continue;
        rc = migrate_parse_filename(files[i].path, &entries[n_entries].f, err);
        if (rc)
            goto out;
        entries[n_entries++].file = &files[i];
    }
    qsort(entries, n_entries, sizeof(*entries), compare_entries);
    for (size_t i = 0; i < n_entries;) {
        size_t j = i + 1;
        while (j < n_entries && entries[j].f.version == entries[i].f.version)
            j++;
        rc = check_version_group(entries + i, j - i, err);
        if (rc)
            goto out;
        i = j;
    }
    *out = build_set(entries, n_entries, backend, n);
out:
    free(entries);
    return rc;
}

enum err_code migrate_load_embedded(const char *backend, struct migration **out, size_t *n,
                                    struct err *err)
{
    return migrate_load_files(embedded_files, n_embedded_files, backend, out, n, err);
}

/* ---- the schema_migrations table ------------------------------------------ */

/* Reads every row of schema_migrations, in version order, into *out (malloc'd). */
static enum err_code read_recorded(struct store_conn *c, struct recorded **out, size_t *n,
                                   struct err *err)
{
    struct store_stmt *st = NULL;
    struct recorded *rows = NULL;
    size_t n_rows = 0, alloc = 0;
    bool has_row = false;

    enum err_code rc = store_prepare(
        c, "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version",
        &st, err);
    if (rc)
        return rc;
    for (;;) {
        rc = store_step(st, &has_row, err);
        if (rc || !has_row)
            break;
        int64_t version = store_col_int64(st, 0);
        if (version <= 0 || version > INT_MAX) {
            rc = err_set(err, ERR_INTERNAL, NULL,
                         "schema_migrations: version %" PRId64 " is out of range", version);
            break;
        }
        ALLOC_GROW(rows, n_rows + 1, alloc);
        struct recorded *r = &rows[n_rows++];
        const char *name = store_col_text(st, 1);
        const char *checksum = store_col_text(st, 2);
        r->version = (int)version;
        snprintf(r->name, sizeof(r->name), "%s", name ? name : "");
        snprintf(r->checksum, sizeof(r->checksum), "%s", checksum ? checksum : "");
        r->applied_at = store_col_int64(st, 3);
    }
    store_finalize(st);
    if (rc) {
        free(rows);
        return rc;
    }
    *out = rows;
    *n = n_rows;
    return ERR_OK;
}

static const struct recorded *find_recorded(const struct recorded *rec, size_t n, int version)
{
    for (size_t i = 0; i < n; i++)
        if (rec[i].version == version)
            return &rec[i];
    return NULL;
}

/*
 * Acquires a connection and makes sure schema_migrations exists. With locked,
 * inside the write lock: on PostgreSQL two processes creating it at once
 * collide in the catalog (a unique violation), IF NOT EXISTS or not. Readers
 * (the status, readiness probes) take no lock: the table is there by then,
 * and when it is not, creating it twice is their only risk.
 */
static enum err_code open_conn(struct store *s, bool locked, struct store_conn **c, struct err *err)
{
    enum err_code rc = store_acquire(s, c, err);
    if (rc)
        return rc;
    if (locked)
        rc = store_begin_write(*c, err);
    if (!rc)
        rc = store_exec(*c, create_table_sql, err);
    if (!rc && locked)
        rc = store_commit(*c, err);
    if (rc) {
        store_rollback(*c);
        err_prefix(err, "schema_migrations");
        store_release(s, *c);
        *c = NULL;
    }
    return rc;
}

/* ---- applying ------------------------------------------------------------- */

/*
 * Writes into out the file that m came from: the embedded path when m->sql
 * is an embedded file, else the portable name it would have.
 */
static void file_label(const struct migration *m, char *out, size_t size)
{
    for (size_t i = 0; i < n_embedded_files; i++) {
        if (embedded_files[i].data == m->sql) {
            snprintf(out, size, "%s", embedded_files[i].path);
            return;
        }
    }
    snprintf(out, size, "sql/%04d_%s.sql", m->version, m->name);
}

/* Validates a hand-made or loaded set before anything runs. */
static enum err_code check_set(const struct migration *set, size_t n, struct err *err)
{
    for (size_t i = 0; i < n; i++) {
        const struct migration *m = &set[i];
        if (m->version <= 0)
            return err_set(err, ERR_INVALID, NULL, "migration %d: version must be greater than 0",
                           m->version);
        if (!m->name || !valid_name(m->name, strlen(m->name)))
            return err_set(err, ERR_INVALID, NULL,
                           "migration %d: the name must be 1 to 63 characters of a-z, 0-9 and _",
                           m->version);
        if (!m->sql || m->sql[m->len] != '\0')
            return err_set(err, ERR_INVALID, NULL,
                           "migration %d: sql must be NUL-terminated at its length", m->version);
        if (i > 0 && m->version <= set[i - 1].version)
            return err_set(err, ERR_INVALID, NULL,
                           "migration %d (%s) is duplicated or out of order after version %d",
                           m->version, m->name, set[i - 1].version);
    }
    return ERR_OK;
}

/* ERR_CONFLICT when r's checksum is not m's (the caller names the file). */
static enum err_code check_checksum(const struct migration *m, const char *checksum,
                                    const struct recorded *r, struct err *err)
{
    if (strcmp(r->checksum, checksum) == 0)
        return ERR_OK;
    return err_set(err, ERR_CONFLICT, NULL,
                   "checksum changed since version %d was applied (recorded %.12s..., now "
                   "%.12s...); add a new migration instead of editing an applied one",
                   m->version, r->checksum, checksum);
}

/* Looks up one version's row inside the current transaction. */
static enum err_code lookup_one(struct store_conn *c, int version, bool *found, struct recorded *r,
                                struct err *err)
{
    struct store_stmt *st = NULL;
    enum err_code rc =
        store_prepare(c, "SELECT checksum FROM schema_migrations WHERE version = ?", &st, err);
    if (rc)
        return rc;
    store_bind_int64(st, 1, version);
    rc = store_step(st, found, err);
    if (!rc && *found) {
        const char *checksum = store_col_text(st, 0);
        r->version = version;
        snprintf(r->checksum, sizeof(r->checksum), "%s", checksum ? checksum : "");
    }
    store_finalize(st);
    return rc;
}

static enum err_code record(struct store_conn *c, const struct migration *m, const char *checksum,
                            struct err *err)
{
    struct store_stmt *st = NULL;
    bool has_row = false;
    enum err_code rc = store_prepare(
        c,
        "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
        &st, err);
    if (rc)
        return rc;
    store_bind_int64(st, 1, m->version);
    store_bind_text(st, 2, m->name);
    store_bind_text(st, 3, checksum);
    store_bind_int64(st, 4, clock_now_ms());
    rc = store_step(st, &has_row, err);
    store_finalize(st);
    return rc;
}

/*
 * Runs m and records it in one write transaction, unless another process
 * recorded it first (then *ran is false). Rolls back on any failure.
 */
static enum err_code apply_one(struct store_conn *c, const struct migration *m,
                               const char *checksum, bool *ran, struct err *err)
{
    struct recorded r = { 0 };
    bool found = false;

    *ran = false;
    enum err_code rc = store_begin_write(c, err);
    if (rc)
        return rc;
    rc = lookup_one(c, m->version, &found, &r, err);
    if (!rc && found)
        rc = check_checksum(m, checksum, &r, err);
    if (!rc && !found)
        rc = store_exec(c, m->sql, err);
    if (!rc && !found)
        rc = record(c, m, checksum, err);
    if (!rc)
        rc = store_commit(c, err);
    if (rc) {
        store_rollback(c);
        return rc;
    }
    *ran = !found;
    return ERR_OK;
}

enum err_code migrate_apply(struct store *s, const struct migration *set, size_t n, int *n_applied,
                            struct err *err)
{
    struct store_conn *c = NULL;
    struct recorded *rec = NULL;
    size_t n_rec = 0;
    char checksum[SHA256_HEX_LEN];
    char file[256];

    *n_applied = 0;
    enum err_code rc = check_set(set, n, err);
    if (rc)
        return rc;
    rc = open_conn(s, true, &c, err);
    if (rc)
        return rc;
    rc = read_recorded(c, &rec, &n_rec, err);
    if (rc)
        goto out;

    /* First refuse to touch a database whose history differs from ours. */
    for (size_t i = 0; i < n; i++) {
        const struct recorded *r = find_recorded(rec, n_rec, set[i].version);
        if (!r)
            continue;
        sha256_hex(set[i].sql, set[i].len, checksum);
        rc = check_checksum(&set[i], checksum, r, err);
        if (rc) {
            file_label(&set[i], file, sizeof(file));
            err_prefix(err, file);
            goto out;
        }
    }
    for (size_t i = 0; i < n; i++) {
        bool ran = false;
        if (find_recorded(rec, n_rec, set[i].version))
            continue;
        sha256_hex(set[i].sql, set[i].len, checksum);
        rc = apply_one(c, &set[i], checksum, &ran, err);
        if (rc) {
            file_label(&set[i], file, sizeof(file));
            err_prefix(err, file);
            goto out;
        }
        if (ran)
            (*n_applied)++;
    }
out:
    free(rec);
    store_release(s, c);
    return rc;
}

enum err_code migrate_run(struct store *s, int *n_applied, struct err *err)
{
    struct migration *set = NULL;
    size_t n = 0;

    *n_applied = 0;
    enum err_code rc = migrate_load_embedded(store_backend_name(s), &set, &n, err);
    if (!rc)
        rc = migrate_apply(s, set, n, n_applied, err);
    free(set);
    return rc;
}

/* ---- status --------------------------------------------------------------- */

/* Merges the known set and the recorded rows, both in version order. */
static struct migration_status *merge_status(const struct migration *set, size_t n_set,
                                             const struct recorded *rec, size_t n_rec, size_t *n)
{
    size_t total = st_add(n_set, n_rec);
    struct migration_status *rows = total ? xcalloc(total, sizeof(*rows)) : NULL;
    size_t i = 0, j = 0, k = 0;

    while (i < n_set || j < n_rec) {
        struct migration_status *row = &rows[k++];
        bool take_set = j == n_rec || (i < n_set && set[i].version <= rec[j].version);
        bool take_rec = i == n_set || (j < n_rec && rec[j].version <= set[i].version);
        if (take_set) {
            row->version = set[i].version;
            snprintf(row->name, sizeof(row->name), "%s", set[i].name);
            i++;
        } else {
            row->version = rec[j].version;
            snprintf(row->name, sizeof(row->name), "%s", rec[j].name);
        }
        if (take_rec) {
            row->applied = true;
            row->applied_at = rec[j].applied_at;
            j++;
        }
    }
    *n = k;
    if (!k)
        FREE_AND_NULL(rows);
    return rows;
}

enum err_code migrate_status(struct store *s, struct migration_status **out, size_t *n,
                             struct err *err)
{
    struct migration *set = NULL;
    size_t n_set = 0;
    struct store_conn *c = NULL;
    struct recorded *rec = NULL;
    size_t n_rec = 0;

    *out = NULL;
    *n = 0;
    enum err_code rc = migrate_load_embedded(store_backend_name(s), &set, &n_set, err);
    if (rc)
        goto out;
    rc = open_conn(s, false, &c, err);
    if (rc)
        goto out;
    rc = read_recorded(c, &rec, &n_rec, err);
    if (rc)
        goto out;
    *out = merge_status(set, n_set, rec, n_rec, n);
out:
    store_release(s, c);
    free(rec);
    free(set);
    return rc;
}

enum err_code migrate_current_version(struct store *s, int *out, struct err *err)
{
    struct store_conn *c = NULL;
    struct store_stmt *st = NULL;
    bool has_row = false;

    *out = 0;
    enum err_code rc = open_conn(s, false, &c, err);
    if (rc)
        return rc;
    rc = store_prepare(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &st, err);
    if (!rc)
        rc = store_step(st, &has_row, err);
    if (!rc && has_row)
        *out = (int)store_col_int64(st, 0);
    store_finalize(st);
    store_release(s, c);
    return rc;
}
