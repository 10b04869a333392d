/*
 * store/migrate.h - versioned schema migrations (ARCHITECTURE.md "Storage").
 *
 * Migrations are the files sql/NNNN_name.sql embedded in the binary
 * (core/embed.h). A migration that cannot be portable has one file per
 * backend, sql/NNNN_name.sqlite.sql and sql/NNNN_name.postgres.sql, and the
 * backend picks its own. Each migration runs in its own transaction together
 * with its row in schema_migrations (version, name, checksum, applied_at);
 * a recorded migration whose text has since changed is an error, never
 * silently re-run or skipped.
 *
 * Threading: call from one thread while nothing else writes the schema;
 * two processes migrating at once are serialised by the backend's write lock.
 */
#ifndef STORE_MIGRATE_H
#define STORE_MIGRATE_H

#include "core/compat.h"
#include "core/err.h"

struct store;
struct embedded_file;

struct migration {
    int version;      /* NNNN, unique, > 0 */
    const char *name; /* "instance" for sql/0001_instance.sql; borrowed */
    const char *sql;  /* the whole file; borrowed */
    size_t len;
};

struct migration_status {
    int version;
    char name[64];
    bool applied;
    int64_t applied_at; /* ms since the epoch; 0 when not applied */
};

/* What a migration's file name says. */
struct migration_file {
    int version;
    char name[64];    /* NUL-terminated, 1..63 characters of a-z, 0-9 and _ */
    char backend[16]; /* "" for a portable file, else "sqlite" or "postgres" */
};

/*
 * Parses the base name of path (a leading directory is ignored):
 * NNNN_name.sql or NNNN_name.<backend>.sql, where NNNN is 4 to 9 digits
 * worth more than 0, name is 1..63 characters of a-z, 0-9 and _, and backend
 * is "sqlite" or "postgres". ERR_INVALID naming path and the problem
 * otherwise. Pure and reentrant (fuzzable).
 */
enum err_code migrate_parse_filename(const char *path, struct migration_file *out, struct err *err);

/*
 * The embedded migrations for backend ("sqlite" or "postgres") in version
 * order. *out is one malloc'd block (free it): the sql strings are borrowed
 * from the embedded table, the names live in the block. ERR_INVALID for an
 * unknown backend, a malformed file name or a duplicate version, naming the
 * file. A version is either one portable file or one file per backend; a
 * backend-specific file without its counterpart for the other backend is
 * also ERR_INVALID. *n may be 0, with *out NULL.
 */
enum err_code migrate_load_embedded(const char *backend, struct migration **out, size_t *n,
                                    struct err *err);

/*
 * migrate_load_embedded over files[0..n_files) instead of the embedded table
 * (tests use hand-made tables). Only paths "sql/....sql" are migrations; any
 * other file is ignored. The sql strings are borrowed from files.
 */
enum err_code migrate_load_files(const struct embedded_file *files, size_t n_files,
                                 const char *backend, struct migration **out, size_t *n,
                                 struct err *err);

/*
 * Applies, in order, every migration of set[0..n) not yet recorded; stores
 * how many ran in *n_applied. Stops at the first failure, which rolls back
 * that migration only (earlier ones stay applied) and names its file.
 *
 * set must be in strictly increasing version order with valid names and
 * each sql NUL-terminated at len; otherwise ERR_INVALID before anything
 * runs. Before applying anything, every recorded migration that set also
 * holds is checked: a different checksum is ERR_CONFLICT naming the file.
 * Versions recorded in the database but absent from set are left alone.
 * Creates schema_migrations when missing (as do migrate_status and
 * migrate_current_version).
 */
enum err_code migrate_apply(struct store *s, const struct migration *set, size_t n, int *n_applied,
                            struct err *err);

/* migrate_load_embedded + migrate_apply for the store's own backend. */
enum err_code migrate_run(struct store *s, int *n_applied, struct err *err);

/*
 * One row per known migration (embedded or recorded), in version order;
 * *out is malloc'd (NULL when *n is 0). A recorded version that the binary
 * does not know is listed with applied = true and its recorded name.
 */
enum err_code migrate_status(struct store *s, struct migration_status **out, size_t *n,
                             struct err *err);

/* The highest version recorded in the database, 0 for a fresh one. */
enum err_code migrate_current_version(struct store *s, int *out, struct err *err);

#endif
