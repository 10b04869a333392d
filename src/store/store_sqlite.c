/*
 * store/store_sqlite.c - the SQLite backend (3.40): one sqlite3 handle per
 * pooled connection, filled into store_sqlite_backend (store_backend.h).
 *
 * Every connection runs with journal_mode=WAL (readers never block the
 * writer), synchronous=NORMAL (durable across a process crash; a power cut
 * may lose the last transactions, never corrupt), foreign_keys=ON and a busy
 * timeout. ":memory:" gives each connection its own private database.
 * Text is bound with SQLITE_TRANSIENT (copied). Result codes map to
 * ERR_CONFLICT (constraint), ERR_UNAVAILABLE (busy, locked), ERR_INTERNAL.
 *
 * Threading: handles are opened with SQLITE_OPEN_NOMUTEX, since a connection
 * and its statements are used by one thread at a time (the pool hands them
 * over under its mutex). No global state.
 */
#include "core/compat.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "core/xalloc.h"
#include "store/store_backend.h"

/*
 * Each connection keeps its prepared statements by SQL text, so a query a
 * request runs again skips SQLite's parser (measured: re-preparing was a
 * fifth of an authenticated request's time). store_finalize() resets a
 * cached statement and gives it back; the least recently used idle one
 * makes room.
 */
#define STMT_CACHE        64
#define SQLITE_MMAP_BYTES "268435456" /* 256 MiB of the file mapped: address space, not memory */

struct sqlite_stmt;

struct cached_stmt {
    char *sql;             /* owned; NULL: a free slot */
    struct sqlite_stmt *s; /* owned */
    bool in_use;           /* handed out by prepare, not yet finalized */
    uint64_t last_use;
};

struct sqlite_conn {
    struct store_conn base; /* first: store.c sees only this */
    sqlite3 *db;            /* owned */
    struct cached_stmt cache[STMT_CACHE];
    uint64_t clock; /* for least-recently-used eviction */
};

struct sqlite_stmt {
    struct store_stmt base;   /* first */
    sqlite3_stmt *st;         /* owned (by the cache entry when cached) */
    struct cached_stmt *slot; /* its cache entry, or NULL for a one-off */
    int bind_rc;              /* first failed bind since the last reset; SQLITE_OK if none */
    int bind_idx;             /* its parameter index */
    bool has_row;             /* the last step produced a row: columns may be read */
};

static sqlite3 *db_of(struct store_conn *c)
{
    return STORE_CONTAINER_OF(c, struct sqlite_conn, base)->db;
}

static struct sqlite_stmt *stmt_of(struct store_stmt *st)
{
    return STORE_CONTAINER_OF(st, struct sqlite_stmt, base);
}

static enum err_code map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
        return ERR_OK;
    case SQLITE_CONSTRAINT:
        return ERR_CONFLICT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ERR_UNAVAILABLE;
    default:
        return ERR_INTERNAL;
    }
}

/* Fills err from the handle's last error, with the code mapped from rc. */
static enum err_code db_error(sqlite3 *db, int rc, struct err *err)
{
    return err_set(err, map_rc(rc), NULL, "sqlite: %s", sqlite3_errmsg(db));
}

/* ---- opening -------------------------------------------------------------- */

/*
 * Creates every missing directory above the file path (like mkdir -p on its
 * dirname) and checks that the last one is a directory. ERR_INVALID naming
 * the directory otherwise.
 */
static enum err_code make_parent_dirs(const char *path, struct err *err)
{
    enum err_code rc = ERR_OK;
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        goto out; /* in the working directory, or in / */
    *slash = '\0';

    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
            rc = err_set(err, ERR_INVALID, NULL, "database '%s': cannot create directory '%s': %s",
                         path, dir, strerror(errno));
            goto out;
        }
        *p = saved;
        if (!saved)
            break;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        rc = err_set(err, ERR_INVALID, NULL, "database '%s': '%s' is not a directory", path, dir);
out:
    free(dir);
    return rc;
}

/*
 * Runs PRAGMA journal_mode=WAL; *is_wal says whether the mode it reports is
 * the one expected ("memory" for an in-memory database), and mode[] holds it.
 */
static int enable_wal(sqlite3 *db, bool memory, bool *is_wal, char mode[16])
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *got = (const char *)sqlite3_column_text(st, 0);
        snprintf(mode, 16, "%s", got ? got : "unknown");
        *is_wal = strcmp(mode, memory ? "memory" : "wal") == 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Applies the per-connection settings; ERR_INVALID (or busy) naming path. */
static enum err_code configure(sqlite3 *db, const char *path, bool memory,
                               const struct store_options *opts, struct err *err)
{
    bool is_wal = false;
    char mode[16] = "";

    sqlite3_busy_timeout(db, opts->busy_timeout_ms);
    int rc = enable_wal(db, memory, &is_wal, mode);
    if (rc == SQLITE_OK && !is_wal)
        return err_set(err, ERR_INVALID, NULL,
                       "database '%s': WAL mode could not be enabled (journal mode is '%s')", path,
                       mode);
    /*
     * Reads through a memory map instead of copying each page out of the
     * OS cache (pread): a search scans whole tables (the personas' text),
     * and the copies were most of its time (bench/run). A failed map falls
     * back to reads by itself.
     */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db,
                          "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                          "PRAGMA mmap_size=" SQLITE_MMAP_BYTES,
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return ERR_OK;
    enum err_code code = map_rc(rc) == ERR_UNAVAILABLE ? ERR_UNAVAILABLE : ERR_INVALID;
    return err_set(err, code, NULL, "database '%s': %s", path, sqlite3_errmsg(db));
}

static enum err_code sq_conn_open(const char *target, const struct store_options *opts,
                                  struct store_conn **out, struct err *err)
{
    sqlite3 *db = NULL;
    bool memory = strcmp(target, ":memory:") == 0;
    enum err_code rc = ERR_OK;

    *out = NULL;
    if (!memory) {
        rc = make_parent_dirs(target, err);
        if (rc)
            goto fail;
        struct stat sb;
        if (stat(target, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            rc =
                err_set(err, ERR_INVALID, NULL, "database '%s' is a directory, not a file", target);
            goto fail;
        }
    }
    int src = sqlite3_open_v2(
        target, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK) {
        rc = err_set(err, ERR_INVALID, NULL, "database '%s': cannot open: %s", target,
                     db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
        goto fail;
    }
    if (sqlite3_db_readonly(db, "main") == 1) {
        rc = err_set(err, ERR_INVALID, NULL, "database '%s': file is read-only", target);
        goto fail;
    }
    rc = configure(db, target, memory, opts, err);
    if (rc)
        goto fail;

    struct sqlite_conn *c = xcalloc(1, sizeof(*c));
    c->base.backend = &store_sqlite_backend;
    c->db = db;
    *out = &c->base;
    return ERR_OK;

fail:
    sqlite3_close(db); /* accepts NULL */
    return rc;
}

static void cache_drop(struct cached_stmt *e)
{
    sqlite3_finalize(e->s->st);
    free(e->s);
    free(e->sql);
    memset(e, 0, sizeof(*e));
}

static void sq_conn_close(struct store_conn *c)
{
    if (!c)
        return;
    struct sqlite_conn *sc = STORE_CONTAINER_OF(c, struct sqlite_conn, base);
    for (size_t i = 0; i < STMT_CACHE; i++)
        if (sc->cache[i].sql && !sc->cache[i].in_use)
            cache_drop(&sc->cache[i]);
    if (NEVER(sqlite3_close(sc->db) != SQLITE_OK))
        sqlite3_close_v2(sc->db); /* statements left open: closes when they are finalized */
    free(sc);
}

static void sq_rollback(struct store_conn *c)
{
    sqlite3 *db = db_of(c);
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static bool sq_conn_reset(struct store_conn *c)
{
    sqlite3 *db = db_of(c);
    bool clean = true;
    /* A statement left mid-run would keep a read transaction open (cached idle ones are reset). */
    for (sqlite3_stmt *p = sqlite3_next_stmt(db, NULL); p; p = sqlite3_next_stmt(db, p)) {
        if (!sqlite3_stmt_busy(p))
            continue;
        clean = false;
        sqlite3_reset(p);
    }
    if (!sqlite3_get_autocommit(db)) {
        clean = false;
        sq_rollback(c);
    }
    return clean;
}

/* ---- statements without results ------------------------------------------- */

static enum err_code sq_exec(struct store_conn *c, const char *sql, struct err *err)
{
    sqlite3 *db = db_of(c);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return db_error(db, rc, err);
    return ERR_OK;
}

/* a rows transaction is a write transaction: SQLite has one lock, no row locks */
static enum err_code sq_begin(struct store_conn *c, enum store_tx kind, struct err *err)
{
    return sq_exec(c, kind == STORE_TX_READ ? "BEGIN" : "BEGIN IMMEDIATE", err);
}

static enum err_code sq_commit(struct store_conn *c, struct err *err)
{
    return sq_exec(c, "COMMIT", err);
}

/* ---- prepared statements -------------------------------------------------- */

/* True when sql holds a statement (not only blanks, comments and semicolons). */
static bool holds_statement(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r')
        sql++;
    if (!*sql)
        return false;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    sqlite3_finalize(st);
    return rc != SQLITE_OK || st != NULL;
}

/* An idle cached statement for sql, reset, or NULL. */
static struct sqlite_stmt *cache_take(struct sqlite_conn *c, const char *sql)
{
    for (size_t i = 0; i < STMT_CACHE; i++) {
        struct cached_stmt *e = &c->cache[i];
        if (e->sql && !e->in_use && strcmp(e->sql, sql) == 0) {
            e->in_use = true;
            e->last_use = ++c->clock;
            e->s->bind_rc = SQLITE_OK;
            e->s->bind_idx = 0;
            e->s->has_row = false;
            return e->s;
        }
    }
    return NULL;
}

/* A slot for a new statement: a free one, or the least recently used idle one; NULL if none. */
static struct cached_stmt *cache_slot(struct sqlite_conn *c)
{
    struct cached_stmt *lru = NULL;
    for (size_t i = 0; i < STMT_CACHE; i++) {
        struct cached_stmt *e = &c->cache[i];
        if (!e->sql)
            return e;
        if (!e->in_use && (!lru || e->last_use < lru->last_use))
            lru = e;
    }
    if (lru)
        cache_drop(lru);
    return lru;
}

static enum err_code sq_prepare(struct store_conn *c, const char *sql, struct store_stmt **out,
                                struct err *err)
{
    struct sqlite_conn *sc = STORE_CONTAINER_OF(c, struct sqlite_conn, base);
    struct sqlite_stmt *cached = cache_take(sc, sql);
    if (cached) {
        *out = &cached->base;
        return ERR_OK;
    }
    sqlite3 *db = sc->db;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;

    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail);
    if (rc != SQLITE_OK)
        return err_set(err, map_rc(rc), NULL, "sqlite: %s (in \"%.80s\")", sqlite3_errmsg(db), sql);
    if (!st)
        return err_set(err, ERR_INTERNAL, NULL, "sqlite: no statement in \"%.80s\"", sql);
    if (holds_statement(db, tail)) {
        sqlite3_finalize(st);
        return err_set(err, ERR_INTERNAL, NULL, "sqlite: more than one statement in \"%.80s\"",
                       sql);
    }
    struct sqlite_stmt *s = xcalloc(1, sizeof(*s));
    s->base.backend = &store_sqlite_backend;
    s->st = st;
    struct cached_stmt *slot = cache_slot(sc);
    if (slot) {
        *slot = (struct cached_stmt){
            .sql = xstrdup(sql), .s = s, .in_use = true, .last_use = ++sc->clock
        };
        s->slot = slot;
    }
    *out = &s->base;
    return ERR_OK;
}

/* Keeps the first failed bind for the next step (store.h: sticky bind errors). */
static void remember_bind(struct sqlite_stmt *s, int idx, int rc)
{
    if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK) {
        s->bind_rc = rc;
        s->bind_idx = idx;
    }
}

static void sq_bind_textn(struct store_stmt *st, int idx, const char *text, size_t len)
{
    struct sqlite_stmt *s = stmt_of(st);
    int rc;
    if (text)
        rc = sqlite3_bind_text64(s->st, idx, text, len, SQLITE_TRANSIENT, SQLITE_UTF8);
    else
        rc = sqlite3_bind_null(s->st, idx);
    remember_bind(s, idx, rc);
}

static void sq_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
    struct sqlite_stmt *s = stmt_of(st);
    remember_bind(s, idx, sqlite3_bind_int64(s->st, idx, (sqlite3_int64)v));
}

static void sq_bind_null(struct store_stmt *st, int idx)
{
    struct sqlite_stmt *s = stmt_of(st);
    remember_bind(s, idx, sqlite3_bind_null(s->st, idx));
}

static enum err_code sq_step(struct store_stmt *st, bool *has_row, struct err *err)
{
    struct sqlite_stmt *s = stmt_of(st);
    s->has_row = false;
    *has_row = false;
    if (s->bind_rc != SQLITE_OK)
        return err_set(err, ERR_INTERNAL, NULL, "sqlite: binding parameter %d failed: %s",
                       s->bind_idx, sqlite3_errstr(s->bind_rc));
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW) {
        s->has_row = true;
        *has_row = true;
        return ERR_OK;
    }
    if (rc == SQLITE_DONE)
        return ERR_OK;
    return db_error(sqlite3_db_handle(s->st), rc, err);
}

static void sq_reset(struct store_stmt *st)
{
    struct sqlite_stmt *s = stmt_of(st);
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    s->bind_rc = SQLITE_OK;
    s->bind_idx = 0;
    s->has_row = false;
}

/* False (and an assertion in debug builds) when col cannot be read now. */
static bool col_readable(struct sqlite_stmt *s, int col)
{
    return !NEVER(!s->has_row || col < 0 || col >= sqlite3_column_count(s->st));
}

static const char *sq_col_text(struct store_stmt *st, int col)
{
    struct sqlite_stmt *s = stmt_of(st);
    if (!col_readable(s, col))
        return NULL;
    return (const char *)sqlite3_column_text(s->st, col);
}

static int64_t sq_col_int64(struct store_stmt *st, int col)
{
    struct sqlite_stmt *s = stmt_of(st);
    if (!col_readable(s, col))
        return 0;
    return (int64_t)sqlite3_column_int64(s->st, col);
}

static bool sq_col_is_null(struct store_stmt *st, int col)
{
    struct sqlite_stmt *s = stmt_of(st);
    if (!col_readable(s, col))
        return true;
    return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

static int sq_col_count(struct store_stmt *st)
{
    return sqlite3_column_count(stmt_of(st)->st);
}

static int64_t sq_changes(struct store_stmt *st)
{
    return (int64_t)sqlite3_changes64(sqlite3_db_handle(stmt_of(st)->st));
}

static void sq_finalize(struct store_stmt *st)
{
    struct sqlite_stmt *s = stmt_of(st);
    if (s->slot) { /* back to the cache, ready for the next run */
        sqlite3_reset(s->st);
        sqlite3_clear_bindings(s->st);
        s->slot->in_use = false;
        return;
    }
    sqlite3_finalize(s->st);
    free(s);
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .skip_locked = "",
    .conn_open = sq_conn_open,
    .conn_close = sq_conn_close,
    .conn_reset = sq_conn_reset,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .bind_textn = sq_bind_textn,
    .bind_int64 = sq_bind_int64,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .reset = sq_reset,
    .col_text = sq_col_text,
    .col_int64 = sq_col_int64,
    .col_is_null = sq_col_is_null,
    .col_count = sq_col_count,
    .changes = sq_changes,
    .finalize = sq_finalize,
};
