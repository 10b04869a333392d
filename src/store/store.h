/*
 * store/store.h - the one storage interface (ARCHITECTURE.md "Storage").
 *
 * A struct store is a database reached through a pool of connections; the
 * backend (SQLite or PostgreSQL) is chosen by the URL and never visible above
 * this folder. SQL is written once, portably, with `?` placeholders
 * (PostgreSQL's backend rewrites them to $1..$n); parameters are always
 * bound, never formatted into SQL. Portable means: BIGINT for anything that
 * may pass 2^31 (PostgreSQL's INTEGER is 32-bit), ON CONFLICT rather than
 * INSERT OR IGNORE/REPLACE, CASE rather than IIF, no rowid, PRAGMA, datetime
 * or json functions, GLOB, LIMIT -1 or `||` on numbers; LIKE only on text
 * already lower-cased (SQLite's LIKE ignores ASCII case, PostgreSQL's does
 * not); `?` never stands for anything but a parameter.
 *
 * Conventions: ids are TEXT (UUIDv7), money INTEGER (cents or micro-dollars),
 * times INTEGER milliseconds since the epoch.
 *
 * Threading: store_open/store_close by the owner only; store_acquire,
 * store_release and the calls that take a whole store (store_ping,
 * store_read_row, store_read_page) from any thread. A struct store_conn,
 * and every statement prepared on it, belongs to the thread that acquired
 * it until released.
 * Errors: constraint violations map to ERR_CONFLICT, busy/locked (and on
 * PostgreSQL serialization failures, deadlocks, lock and statement timeouts,
 * a lost connection) to ERR_UNAVAILABLE, everything else to ERR_INTERNAL,
 * with the backend's message in err->msg (for the log, never for clients).
 * A statement that fails inside a transaction may have ended it (PostgreSQL
 * aborts the transaction; SQLite keeps it): on an error, roll back.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include "core/compat.h"
#include "core/err.h"

struct store;
struct store_conn;
struct store_stmt;

/*
 * The largest pool_size store_open accepts: far more connections than SQLite
 * (one writer at a time) or a typical PostgreSQL server serves well.
 */
#define STORE_MAX_POOL_SIZE 256

struct store_options {
    unsigned pool_size;       /* connections kept open; 1..STORE_MAX_POOL_SIZE */
    int busy_timeout_ms;      /* how long a statement waits for a lock; >= 0 */
    int acquire_timeout_ms;   /* how long store_acquire waits for a free connection; >= 0 */
    int statement_timeout_ms; /* PostgreSQL: a statement running longer is cancelled
                                 (ERR_UNAVAILABLE); 0: no limit; SQLite ignores it */
};

/*
 * Opens the database named by url: a file path (or "sqlite:" + path, or
 * ":memory:" for a private in-memory database per connection - tests only)
 * selects SQLite; "postgres://" or "postgresql://" selects PostgreSQL.
 * For SQLite the parent directory is created when missing, and every
 * connection runs in WAL mode with foreign keys on. A postgres URL is libpq's
 * (postgres://user:password@host:port/db?sslmode=...&host=/socket/dir);
 * text sorts as on SQLite only in a database whose collation is C (create
 * it with LOCALE 'C' or TEMPLATE template0 LC_COLLATE 'C'). Returns
 * ERR_INVALID with a clear message for an unusable URL or file,
 * ERR_UNAVAILABLE for a PostgreSQL server that cannot be reached.
 *
 * "sqlite:///abs/path" (empty authority) is also accepted; "sqlite://host/.."
 * is not. opts may be NULL: a pool of 4, the busy and acquire timeouts
 * 5000 ms, no statement timeout. All pool_size
 * connections are opened here. Messages never echo a postgres URL (it may
 * hold a password).
 */
enum err_code store_open(const char *url, const struct store_options *opts, struct store **out,
                         struct err *err);
/*
 * Closes every connection; all must have been released (BUG() otherwise).
 * Accepts NULL.
 */
void store_close(struct store *s);

/* "sqlite" or "postgres". */
const char *store_backend_name(const struct store *s);

/*
 * Takes a connection from the pool, waiting up to acquire_timeout_ms; then
 * ERR_UNAVAILABLE (at once when acquire_timeout_ms is 0). Every successful
 * acquire is matched by one release. A PostgreSQL connection the server
 * closed while it was idle is reconnected here. store_release accepts a NULL c; the
 * connection must come back with its statements finalized and no transaction
 * open: debug builds assert that, release builds roll back and reset.
 */
enum err_code store_acquire(struct store *s, struct store_conn **out, struct err *err);
void store_release(struct store *s, struct store_conn *c);

/* Runs a cheap query on a pooled connection (readiness checks). */
enum err_code store_ping(struct store *s, struct err *err);

/* Runs one or more statements without parameters (migrations, pragmas). */
enum err_code store_exec(struct store_conn *c, const char *sql, struct err *err);

/*
 * Transactions. store_begin_write takes the write lock up front (SQLite
 * BEGIN IMMEDIATE; on PostgreSQL one advisory lock every writer takes), so
 * write transactions run one at a time and a read-then-write transaction
 * cannot deadlock or act on a stale read. store_begin is a read transaction:
 * every statement sees the same snapshot. store_rollback is safe to call
 * when no transaction is open. A failed store_commit leaves the transaction
 * open: call store_rollback.
 *
 * store_begin_rows is a write transaction that does NOT take the write lock
 * on PostgreSQL (on SQLite it is store_begin_write: there is one lock): it
 * relies on row locks alone, so it neither waits for nor holds up the other
 * writers. Only for work that names its rows and compares before it sets: a
 * job queue's claim (SELECT ... store_skip_locked, then UPDATE of that row)
 * and a lease's heartbeat. Every other writer of those rows must
 * compare-and-set too (UPDATE ... WHERE status = the status it read).
 */
enum err_code store_begin(struct store_conn *c, struct err *err);
enum err_code store_begin_write(struct store_conn *c, struct err *err);
enum err_code store_begin_rows(struct store_conn *c, struct err *err);

/*
 * What ends a SELECT that locks the rows it returns and passes over rows
 * another transaction holds: " FOR UPDATE SKIP LOCKED" on PostgreSQL, ""
 * on SQLite (one writer at a time: nothing is held by anyone else). Use in
 * a store_begin_rows transaction.
 */
const char *store_skip_locked(const struct store_conn *c);
enum err_code store_commit(struct store_conn *c, struct err *err);
void store_rollback(struct store_conn *c);

/*
 * Prepares one statement; *out is freed with store_finalize on every path.
 * SQL holding more than one statement, or none, is an ERR_INTERNAL.
 */
enum err_code store_prepare(struct store_conn *c, const char *sql, struct store_stmt **out,
                            struct err *err);

/*
 * Binding, with 1-based parameter indexes. Text is copied (NULL binds a null
 * of type text; store_bind_null a null of the type the column or expression
 * gives it).
 * A failed bind (bad index) is remembered and reported by the next
 * store_step, so a run of binds needs no checks of its own.
 */
void store_bind_text(struct store_stmt *st, int idx, const char *s);
void store_bind_textn(struct store_stmt *st, int idx, const char *s, size_t len);
void store_bind_int64(struct store_stmt *st, int idx, int64_t v);
void store_bind_null(struct store_stmt *st, int idx);

/*
 * Runs the statement to its next row: *has_row is true when a row is
 * available for the store_col_* calls, false when the statement is done.
 */
enum err_code store_step(struct store_stmt *st, bool *has_row, struct err *err);

/* Clears bindings and rewinds, so the statement can run again. */
void store_reset(struct store_stmt *st);

/*
 * Column values of the current row, 0-based. (store_col_count is known
 * after the first step on PostgreSQL, where it is 0 before.) The text pointer is borrowed:
 * valid until the next store_step, store_reset or store_finalize on st; NULL
 * for SQL null. Copy it into the row struct (STYLE.md D2).
 */
const char *store_col_text(struct store_stmt *st, int col);
int64_t store_col_int64(struct store_stmt *st, int col);
bool store_col_is_null(struct store_stmt *st, int col);
int store_col_count(struct store_stmt *st);

/* Rows changed by the last INSERT/UPDATE/DELETE on the statement's connection. */
int64_t store_changes(struct store_stmt *st);

/* Frees the statement; accepts NULL. */
void store_finalize(struct store_stmt *st);

/* ---- one-statement helpers -------------------------------------------------------- */

/*
 * A parameter for the helpers below: text, an integer, or NULL. STORE_TEXT(NULL)
 * is a null of type text (what "? IS NULL OR name = ?" needs on PostgreSQL);
 * a null for any other column is STORE_NULL, whose type the database infers
 * from where it stands (an INTEGER column refuses a null of type text).
 */
struct store_param {
    enum { STORE_PARAM_TEXT, STORE_PARAM_INT, STORE_PARAM_NULL } kind;
    const char *text;
    int64_t i;
};

#define STORE_TEXT(s) ((struct store_param){ .kind = STORE_PARAM_TEXT, .text = (s) })
#define STORE_INT(v)  ((struct store_param){ .kind = STORE_PARAM_INT, .i = (v) })
#define STORE_NULL    ((struct store_param){ .kind = STORE_PARAM_NULL })

/* Prepares sql and binds params[0..n) to ?1..?n. */
enum err_code store_prepare_params(struct store_conn *c, const char *sql,
                                   const struct store_param *params, size_t n,
                                   struct store_stmt **out, struct err *err);

/* Runs a statement with params to its end; *changes (may be NULL) the rows it changed. */
enum err_code store_run(struct store_conn *c, const char *sql, const struct store_param *params,
                        size_t n, int64_t *changes, struct err *err);

/* The first column of a one-row query as an integer (0 when there is no row). */
enum err_code store_query_int(struct store_conn *c, const char *sql,
                              const struct store_param *params, size_t n, int64_t *out,
                              struct err *err);

/* Copies the current row of st into item (a caller's row struct); ctx as given. */
typedef void store_row_fn(struct store_stmt *st, void *item, void *ctx);

/*
 * Runs sql with params and reads at most max rows, each into a new item of
 * item_size bytes (zeroed, then filled by read): *items is a malloc'd
 * array of *n_items (free it, and what read put in the items, even on an
 * error: the rows read so far are there).
 */
enum err_code store_read_rows(struct store_conn *c, const char *sql,
                              const struct store_param *params, size_t n, size_t max,
                              size_t item_size, store_row_fn *read, void *ctx, void **items,
                              size_t *n_items, struct err *err);

/*
 * Reads at most one row in a call of its own: takes a connection from s,
 * runs sql with params (one statement, so one read transaction), reads its
 * first row, if it has one, into item (item_size bytes) with read, and
 * gives the connection back. Rows after the first are never read.
 *
 * item is zeroed first, so on every return it holds zeros or the row.
 * *found (may be NULL) says whether there was a row: a query that matches
 * nothing is ERR_OK with *found false, and the caller says what that means
 * (not found, a conflict, nothing to do). Errors: ERR_UNAVAILABLE when no
 * connection is free in time or the database is busy, ERR_INTERNAL for
 * anything else (bad SQL); then *found is false, item zeros, and read was
 * not called.
 */
enum err_code store_read_row(struct store *s, const char *sql, const struct store_param *params,
                             size_t n, size_t item_size, store_row_fn *read, void *ctx, void *item,
                             bool *found, struct err *err);

#define STORE_PAGE_PARAMS_MAX 8

/* A page of rows and the total they come from (store_read_page). */
struct store_page_query {
    const char *count_sql;            /* SELECT COUNT(*) ... with params */
    const char *page_sql;             /* the rows: params, then LIMIT ? OFFSET ? */
    const struct store_param *params; /* n <= STORE_PAGE_PARAMS_MAX */
    size_t n;
    int64_t limit, offset; /* checked by the caller */
    size_t item_size;
    store_row_fn *read;
    void *ctx;
};

/*
 * The total and one page (store_read_rows) in one read transaction, so both
 * see the same rows; no page query when offset is past the total.
 */
enum err_code store_read_page(struct store *s, const struct store_page_query *q, void **items,
                              size_t *n_items, int64_t *total, struct err *err);

/*
 * Ends a transaction begun with store_begin*: commits when rc is ERR_OK,
 * rolls back otherwise (or when the commit fails). Returns the outcome.
 */
enum err_code store_end(struct store_conn *c, enum err_code rc, struct err *err);

#endif
