/*
 * store/store.c - the public storage interface: URL -> backend, the
 * connection pool, and thin dispatch of every other call to the backend's
 * table (store/store_backend.h).
 *
 * Invariants: a store holds exactly n_conns open connections for its whole
 * life; each is either on the idle stack or held by exactly one thread
 * (in_use). The pool's mutex guards the idle stack and the in_use flags.
 *
 * Threading: store_open/store_close by the owner only; store_acquire,
 * store_release and the calls that take a whole store (store_ping,
 * store_read_row, store_read_page) from any thread. Every other function
 * acts on a connection or statement that belongs to the calling thread, so
 * it takes no lock.
 */
#include "core/compat.h"

#include "store/store.h"

#include <pthread.h>

#include "core/xalloc.h"
#include "store/store_backend.h"

/*
 * Used when store_open gets NULL options: a small pool, the busy timeout
 * reference/libs.md recommends for SQLite, no statement timeout.
 */
static const struct store_options default_options = {
    .pool_size = 4,
    .busy_timeout_ms = 5000,
    .acquire_timeout_ms = 5000,
};

struct store {
    const struct store_backend *backend; /* static table, never freed */
    int acquire_timeout_ms;
    pthread_mutex_t lock;
    pthread_cond_t released;   /* signalled for every connection pushed on idle */
    struct store_conn **conns; /* every open connection; owned */
    struct store_conn **idle;  /* stack of released connections; borrowed from conns */
    unsigned n_conns;
    unsigned n_idle;
};

/* ---- URL ------------------------------------------------------------------
 *
 * A URL picks the backend and gives it a target. Messages never echo a
 * postgres URL: it may hold a password.
 */

static bool has_prefix_nocase(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * Splits url into a backend and its target (a pointer into url: the path for
 * SQLite, the whole URL for PostgreSQL). Returns ERR_INVALID with a message
 * for an empty URL, an unknown scheme, or an empty path.
 */
static enum err_code resolve_url(const char *url, const struct store_backend **backend,
                                 const char **target, struct err *err)
{
    if (!url || !*url)
        return err_set(err, ERR_INVALID, NULL, "database url is empty");
    if (has_prefix_nocase(url, "postgres://") || has_prefix_nocase(url, "postgresql://")) {
        *backend = &store_pg_backend;
        *target = url; /* libpq reads the URL itself */
        return ERR_OK;
    }

    const char *path = url;
    if (has_prefix_nocase(url, "sqlite:")) {
        path = url + strlen("sqlite:");
        if (path[0] == '/' && path[1] == '/') {
            /* URL form: only an empty authority, sqlite:///absolute/path */
            if (path[2] != '/')
                return err_set(err, ERR_INVALID, NULL,
                               "database url '%s': expected sqlite:///absolute/path or "
                               "sqlite:relative/path",
                               url);
            path += 2;
        }
    } else {
        const char *sep = strstr(url, "://");
        if (sep)
            return err_set(err, ERR_INVALID, NULL,
                           "database url: unknown scheme '%.*s' (expected a file path, "
                           "sqlite:<path> or postgres://...)",
                           (int)(sep - url), url);
    }
    if (!*path)
        return err_set(err, ERR_INVALID, NULL, "database url '%s': no file path", url);
    *backend = &store_sqlite_backend;
    *target = path;
    return ERR_OK;
}

static enum err_code check_options(const struct store_options *o, struct err *err)
{
    if (o->pool_size < 1 || o->pool_size > STORE_MAX_POOL_SIZE)
        return err_set(err, ERR_INVALID, "pool_size", "pool_size: %u is out of range (1..%u)",
                       o->pool_size, (unsigned)STORE_MAX_POOL_SIZE);
    if (o->busy_timeout_ms < 0)
        return err_set(err, ERR_INVALID, "busy_timeout_ms",
                       "busy_timeout_ms: %d is negative (expected 0 or more)", o->busy_timeout_ms);
    if (o->acquire_timeout_ms < 0)
        return err_set(err, ERR_INVALID, "acquire_timeout_ms",
                       "acquire_timeout_ms: %d is negative (expected 0 or more)",
                       o->acquire_timeout_ms);
    if (o->statement_timeout_ms < 0)
        return err_set(err, ERR_INVALID, "statement_timeout_ms",
                       "statement_timeout_ms: %d is negative (expected 0 or more)",
                       o->statement_timeout_ms);
    return ERR_OK;
}

/* ---- the pool ------------------------------------------------------------- */

/* The condition variable waits on CLOCK_MONOTONIC, so wall-clock jumps don't matter. */
static void init_sync(struct store *s)
{
    pthread_condattr_t attr;
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->released, &attr);
    pthread_condattr_destroy(&attr);
}

enum err_code store_open(const char *url, const struct store_options *opts, struct store **out,
                         struct err *err)
{
    const struct store_backend *backend = NULL;
    const char *target = NULL;
    const struct store_options *o = opts ? opts : &default_options;

    *out = NULL;
    enum err_code rc = resolve_url(url, &backend, &target, err);
    if (rc)
        return rc;
    rc = check_options(o, err);
    if (rc)
        return rc;

    struct store *s = xcalloc(1, sizeof(*s));
    s->backend = backend;
    s->acquire_timeout_ms = o->acquire_timeout_ms;
    s->conns = xcalloc(o->pool_size, sizeof(*s->conns));
    s->idle = xcalloc(o->pool_size, sizeof(*s->idle));
    init_sync(s);

    for (unsigned i = 0; i < o->pool_size; i++) {
        struct store_conn *c = NULL;
        rc = backend->conn_open(target, o, &c, err);
        if (rc) {
            store_close(s);
            return rc;
        }
        c->owner = s;
        c->in_use = false;
        s->conns[s->n_conns++] = c;
        s->idle[s->n_idle++] = c;
    }
    *out = s;
    return ERR_OK;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->n_idle != s->n_conns)
        BUG("store_close: %u of %u connections still acquired", s->n_conns - s->n_idle, s->n_conns);
    for (unsigned i = 0; i < s->n_conns; i++)
        s->backend->conn_close(s->conns[i]);
    pthread_cond_destroy(&s->released);
    pthread_mutex_destroy(&s->lock);
    free(s->conns);
    free(s->idle);
    free(s);
}

const char *store_backend_name(const struct store *s)
{
    return s->backend->name;
}

/* The absolute CLOCK_MONOTONIC time ms milliseconds from now. */
static struct timespec deadline_after_ms(int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec += 1;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

enum err_code store_acquire(struct store *s, struct store_conn **out, struct err *err)
{
    *out = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->n_idle == 0 && s->acquire_timeout_ms > 0) {
        struct timespec deadline = deadline_after_ms(s->acquire_timeout_ms);
        while (s->n_idle == 0) {
            if (pthread_cond_timedwait(&s->released, &s->lock, &deadline) == ETIMEDOUT)
                break;
        }
    }
    if (s->n_idle == 0) {
        pthread_mutex_unlock(&s->lock);
        return err_set(err, ERR_UNAVAILABLE, NULL,
                       "no database connection free after %d ms (pool of %u)",
                       s->acquire_timeout_ms, s->n_conns);
    }
    struct store_conn *c = s->idle[--s->n_idle];
    c->in_use = true;
    pthread_mutex_unlock(&s->lock);
    if (c->backend->conn_check)
        c->backend->conn_check(c); /* ours alone now: may take a reconnection's time */
    *out = c;
    return ERR_OK;
}

void store_release(struct store *s, struct store_conn *c)
{
    if (!c)
        return;
    if (c->owner != s)
        BUG("store_release: connection does not belong to this store");
    /* Still ours alone: clean it before anyone else can take it. */
    bool was_clean = c->backend->conn_reset(c);

    pthread_mutex_lock(&s->lock);
    if (!c->in_use) {
        pthread_mutex_unlock(&s->lock);
        BUG("store_release: connection released twice");
    }
    c->in_use = false;
    s->idle[s->n_idle++] = c;
    pthread_cond_signal(&s->released);
    pthread_mutex_unlock(&s->lock);

    /* Defensive: the backend already rolled back and reset what was left open. */
    assert(was_clean && "store_release: open transaction or unfinalized statement left behind");
    (void)was_clean;
}

enum err_code store_ping(struct store *s, struct err *err)
{
    struct store_conn *c = NULL;
    enum err_code rc = store_acquire(s, &c, err);
    if (rc)
        return rc;
    rc = store_exec(c, "SELECT 1", err);
    store_release(s, c);
    return rc;
}

/* ---- dispatch ------------------------------------------------------------- */

enum err_code store_exec(struct store_conn *c, const char *sql, struct err *err)
{
    assert(c && sql);
    return c->backend->exec(c, sql, err);
}

enum err_code store_begin(struct store_conn *c, struct err *err)
{
    return c->backend->begin(c, STORE_TX_READ, err);
}

enum err_code store_begin_write(struct store_conn *c, struct err *err)
{
    return c->backend->begin(c, STORE_TX_WRITE, err);
}

enum err_code store_begin_rows(struct store_conn *c, struct err *err)
{
    return c->backend->begin(c, STORE_TX_ROWS, err);
}

const char *store_skip_locked(const struct store_conn *c)
{
    return c->backend->skip_locked;
}

enum err_code store_commit(struct store_conn *c, struct err *err)
{
    return c->backend->commit(c, err);
}

void store_rollback(struct store_conn *c)
{
    c->backend->rollback(c);
}

enum err_code store_prepare(struct store_conn *c, const char *sql, struct store_stmt **out,
                            struct err *err)
{
    assert(c && sql);
    *out = NULL;
    return c->backend->prepare(c, sql, out, err);
}

void store_bind_text(struct store_stmt *st, int idx, const char *s)
{
    st->backend->bind_textn(st, idx, s, s ? strlen(s) : 0);
}

void store_bind_textn(struct store_stmt *st, int idx, const char *s, size_t len)
{
    st->backend->bind_textn(st, idx, s, len);
}

void store_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
    st->backend->bind_int64(st, idx, v);
}

void store_bind_null(struct store_stmt *st, int idx)
{
    st->backend->bind_null(st, idx);
}

enum err_code store_step(struct store_stmt *st, bool *has_row, struct err *err)
{
    *has_row = false;
    return st->backend->step(st, has_row, err);
}

void store_reset(struct store_stmt *st)
{
    st->backend->reset(st);
}

const char *store_col_text(struct store_stmt *st, int col)
{
    return st->backend->col_text(st, col);
}

int64_t store_col_int64(struct store_stmt *st, int col)
{
    return st->backend->col_int64(st, col);
}

bool store_col_is_null(struct store_stmt *st, int col)
{
    return st->backend->col_is_null(st, col);
}

int store_col_count(struct store_stmt *st)
{
    return st->backend->col_count(st);
}

int64_t store_changes(struct store_stmt *st)
{
    return st->backend->changes(st);
}

void store_finalize(struct store_stmt *st)
{
    if (st)
        st->backend->finalize(st);
}

/* ---- one-statement helpers -------------------------------------------------------- */

enum err_code store_prepare_params(struct store_conn *c, const char *sql,
                                   const struct store_param *params, size_t n,
                                   struct store_stmt **out, struct err *err)
{
    enum err_code rc = store_prepare(c, sql, out, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        int idx = (int)i + 1;
        if (params[i].kind == STORE_PARAM_INT)
            store_bind_int64(*out, idx, params[i].i);
        else if (params[i].kind == STORE_PARAM_TEXT)
            store_bind_text(*out, idx, params[i].text); /* NULL: a null of type text */
        else
            store_bind_null(*out, idx);
    }
    return ERR_OK;
}

enum err_code store_run(struct store_conn *c, const char *sql, const struct store_param *params,
                        size_t n, int64_t *changes, struct err *err)
{
    struct store_stmt *st = NULL;
    enum err_code rc = store_prepare_params(c, sql, params, n, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && changes)
        *changes = store_changes(st);
    store_finalize(st);
    return rc;
}

enum err_code store_query_int(struct store_conn *c, const char *sql,
                              const struct store_param *params, size_t n, int64_t *out,
                              struct err *err)
{
    struct store_stmt *st = NULL;
    enum err_code rc = store_prepare_params(c, sql, params, n, &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    *out = !rc && row ? store_col_int64(st, 0) : 0;
    store_finalize(st);
    return rc;
}

enum err_code store_read_rows(struct store_conn *c, const char *sql,
                              const struct store_param *params, size_t n, size_t max,
                              size_t item_size, store_row_fn *read, void *ctx, void **items,
                              size_t *n_items, struct err *err)
{
    *items = NULL;
    *n_items = 0;
    struct store_stmt *st = NULL;
    enum err_code rc = store_prepare_params(c, sql, params, n, &st, err);
    /* grown as rows come: max bounds the answer, not what is allocated up front */
    size_t alloc = max < 16 ? (max ? max : 1) : 16;
    if (!rc)
        *items = xcalloc(alloc, item_size);
    bool row = true;
    while (!rc && row && *n_items < max) {
        rc = store_step(st, &row, err);
        if (rc || !row)
            break;
        if (*n_items == alloc) {
            size_t grown = alloc > max / 2 ? max : alloc * 2;
            *items = xrealloc(*items, grown * item_size);
            memset((char *)*items + alloc * item_size, 0, (grown - alloc) * item_size);
            alloc = grown;
        }
        read(st, (char *)*items + *n_items * item_size, ctx);
        (*n_items)++;
    }
    store_finalize(st);
    return rc;
}

enum err_code store_read_row(struct store *s, const char *sql, const struct store_param *params,
                             size_t n, size_t item_size, store_row_fn *read, void *ctx, void *item,
                             bool *found, struct err *err)
{
    memset(item, 0, item_size);
    if (found)
        *found = false;
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    /* one statement, stepped once: no transaction of our own, no second row */
    struct store_stmt *st = NULL;
    bool row = false;
    rc = store_prepare_params(conn, sql, params, n, &st, err);
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && row)
        read(st, item, ctx);
    store_finalize(st);
    store_release(s, conn);
    if (found)
        *found = !rc && row;
    return rc;
}

enum err_code store_read_page(struct store *s, const struct store_page_query *q, void **items,
                              size_t *n_items, int64_t *total, struct err *err)
{
    *items = NULL;
    *n_items = 0;
    *total = 0;
    if (q->n > STORE_PAGE_PARAMS_MAX)
        return err_set(err, ERR_INTERNAL, NULL, "store_read_page: %zu parameters", q->n);
    struct store_param params[STORE_PAGE_PARAMS_MAX + 2];
    memcpy(params, q->params, q->n * sizeof(*params));
    params[q->n] = STORE_INT(q->limit);
    params[q->n + 1] = STORE_INT(q->offset);
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    /* one read transaction: the total and the page see the same rows */
    rc = store_begin(conn, err);
    if (!rc)
        rc = store_query_int(conn, q->count_sql, params, q->n, total, err);
    if (!rc && q->offset < *total)
        rc = store_read_rows(conn, q->page_sql, params, q->n + 2, (size_t)q->limit, q->item_size,
                             q->read, q->ctx, items, n_items, err);
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    return rc;
}

enum err_code store_end(struct store_conn *c, enum err_code rc, struct err *err)
{
    if (!rc)
        rc = store_commit(c, err);
    if (rc)
        store_rollback(c);
    return rc;
}
