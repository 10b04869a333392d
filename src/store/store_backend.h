/*
 * store/store_backend.h - the internal interface between store.c (the pool,
 * the URL, the public API) and one storage backend (STYLE.md L3).
 *
 * A backend is one file that fills a `static const struct store_backend`
 * table and exports it here; store.c picks the table from the URL's scheme.
 * There is no registration code. Only files in src/store/ include this.
 *
 * Objects: a backend's connection and statement structs embed struct
 * store_conn / struct store_stmt as their FIRST member and hand out a pointer
 * to it; the backend gets its own struct back with STORE_CONTAINER_OF. The
 * base structs carry what store.c needs to dispatch and to run the pool.
 *
 * Threading: conn_open/conn_close are called by the store's owner; every
 * other entry point by the one thread that holds the connection (the pool's
 * mutex orders the hand-over between threads). Backends keep no global state.
 */
#ifndef STORE_STORE_BACKEND_H
#define STORE_STORE_BACKEND_H

#include "core/compat.h"
#include "core/err.h"
#include "store/store.h"

struct store_backend;

/* The kinds of transaction (store.h: store_begin, _write, _rows). */
enum store_tx { STORE_TX_READ, STORE_TX_WRITE, STORE_TX_ROWS };

struct store_conn {
    const struct store_backend *backend;
    struct store *owner; /* set by store.c; the pool this connection belongs to */
    bool in_use;         /* set by store.c under the pool mutex: acquired, not released */
};

struct store_stmt {
    const struct store_backend *backend;
};

#define STORE_CONTAINER_OF(ptr, type, member) \
    ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

struct store_backend {
    const char *name;        /* what store_backend_name() returns and migrations select on */
    const char *skip_locked; /* what store_skip_locked() returns */

    /*
     * Opens one connection to target (for SQLite the URL with any scheme
     * prefix removed, e.g. a file path; for PostgreSQL the whole URL)
     * configured as opts says. Errors that mean the target
     * is unusable are ERR_INVALID with a message naming it.
     */
    enum err_code (*conn_open)(const char *target, const struct store_options *opts,
                               struct store_conn **out, struct err *err);
    /* Closes and frees; accepts NULL. Statements must have been finalized. */
    void (*conn_close)(struct store_conn *c);
    /*
     * May be NULL. Called by store_acquire, outside the pool's lock, before
     * the connection is handed out: repairs a connection that broke while it
     * was idle (a server restart), when it can.
     */
    void (*conn_check)(struct store_conn *c);
    /*
     * Called by store_release before the connection goes back to the pool:
     * returns false when the holder left it dirty (open transaction, or
     * statements not finalized), after rolling back what it can.
     */
    bool (*conn_reset)(struct store_conn *c);

    enum err_code (*exec)(struct store_conn *c, const char *sql, struct err *err);
    enum err_code (*begin)(struct store_conn *c, enum store_tx kind, struct err *err);
    enum err_code (*commit)(struct store_conn *c, struct err *err);
    void (*rollback)(struct store_conn *c);

    enum err_code (*prepare)(struct store_conn *c, const char *sql, struct store_stmt **out,
                             struct err *err);
    /* s == NULL binds null; failures are remembered for the next step. */
    void (*bind_textn)(struct store_stmt *st, int idx, const char *s, size_t len);
    void (*bind_int64)(struct store_stmt *st, int idx, int64_t v);
    void (*bind_null)(struct store_stmt *st, int idx);
    enum err_code (*step)(struct store_stmt *st, bool *has_row, struct err *err);
    void (*reset)(struct store_stmt *st);
    const char *(*col_text)(struct store_stmt *st, int col);
    int64_t (*col_int64)(struct store_stmt *st, int col);
    bool (*col_is_null)(struct store_stmt *st, int col);
    int (*col_count)(struct store_stmt *st);
    int64_t (*changes)(struct store_stmt *st);
    void (*finalize)(struct store_stmt *st);
};

/* store_sqlite.c */
extern const struct store_backend store_sqlite_backend;
/* store_pg.c */
extern const struct store_backend store_pg_backend;

#endif
