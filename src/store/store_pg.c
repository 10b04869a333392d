/*
 * store/store_pg.c - the PostgreSQL backend (libpq 15): one PGconn per pooled
 * connection, filled into store_pg_backend (store_backend.h).
 *
 * Statements: store.h's `?` placeholders are rewritten to $1..$n when a
 * statement is prepared (store/pg_sql.c); the first step sends it with its
 * parameters (text format) and keeps the whole result, which later steps walk
 * row by row. Each connection keeps the server-side prepared statements it
 * made, by SQL text and parameter types, so a statement run again skips the
 * server's parser and planner (measured: more than half of a one-row read's
 * time on a busy machine); the least recently used one is deallocated to make
 * room. Parameters are typed: integers as bigint, text as text,
 * store_bind_null as unknown (the server infers it from where it stands), so
 * `? IS NULL`, `? || '/'` and `LIMIT ?` mean what they mean on SQLite. Values
 * come back as text: store_col_int64 parses them (booleans "t"/"f" as 1/0,
 * numeric sums truncated like SQLite's).
 *
 * Transactions (the serialisation the domain relies on; see begin() below):
 * store_begin_write is READ COMMITTED plus one transaction-scoped advisory
 * lock shared by every writer, so write transactions run one at a time as
 * SQLite's BEGIN IMMEDIATE makes them; store_begin is REPEATABLE READ, one
 * snapshot for every statement as in a SQLite read transaction;
 * store_begin_rows is READ COMMITTED without the lock, for the job queue's
 * row-locking claims and heartbeats. A statement
 * that fails inside a transaction aborts it on PostgreSQL (SQLite keeps it
 * open): the caller rolls back, as every caller already does on an error.
 *
 * Errors: SQLSTATE class 23 (unique, foreign key, not null, check) ->
 * ERR_CONFLICT; serialization failure, deadlock, lock timeout, statement
 * timeout, a lost or refused connection, too many connections ->
 * ERR_UNAVAILABLE, so callers' retries work; anything else ERR_INTERNAL.
 * Messages carry the server's primary message and SQLSTATE, never the URL or
 * a DETAIL (which may quote row values).
 *
 * Connections: every connection gets statement_timeout, lock_timeout (the
 * busy timeout) and quiet notices when opened and again after a reset. A
 * connection found broken - at acquire (the server closed it while it sat in
 * the pool) or by a failed statement - is reset with PQreset; the statement
 * is sent again once when no transaction was open, never inside one (the
 * server rolled that back: the caller hears ERR_UNAVAILABLE). The risk of
 * sending again is a statement the server ran but whose answer was lost with
 * the connection; what this program sends outside a transaction is an
 * idempotent update or an insert keyed by a UUID (a repeat is a conflict, not
 * a copy), and increments are made inside transactions.
 *
 * Threading: a connection and its statements are used by one thread at a
 * time (the pool hands them over under its mutex); libpq is thread-safe on
 * that footing (PQisthreadsafe). No global state.
 */
#include "core/compat.h"

#include <libpq-fe.h>
#include <poll.h>

#include "core/xalloc.h"
#include "store/pg_sql.h"
#include "store/store_backend.h"

/* Type OIDs of the parameters we send (pg_type.h, stable since forever). */
#define OID_INT8 20
#define OID_TEXT 25

/*
 * The key of the advisory lock every write transaction takes: any constant
 * works as long as it is the same in every process; this one spells "crowd".
 */
#define WRITE_LOCK_KEY "99009414230884"

#define CONNECT_TIMEOUT_S "10" /* libpq waits forever by default; a URL may say otherwise */

/*
 * Server-side prepared statements kept per connection. The domain runs about
 * 200 distinct statements; the hot ones (authentication, the run worker's
 * step) fit many times over, and a miss costs one round trip more.
 */
#define PREPARED_CACHE 128

struct pg_stmt;

struct prepared {
    char *key; /* owned: the SQL, a NUL, the parameter types ("itu"); NULL: free */
    size_t key_len;
    unsigned name; /* the statement is "s<name>" on the server */
    uint64_t last_use;
};

struct pg_conn {
    struct store_conn base; /* first: store.c sees only this */
    PGconn *pg;             /* owned */
    int statement_timeout_ms;
    int lock_timeout_ms;
    bool in_tx;            /* begin succeeded; commit or rollback not yet */
    struct pg_stmt *stmts; /* prepared and not finalized (a list through next) */
    struct prepared cache[PREPARED_CACHE];
    uint64_t clock;     /* for least-recently-used eviction */
    unsigned next_name; /* names are never reused within a session */
};

struct pg_stmt {
    struct store_stmt base; /* first */
    struct pg_conn *conn;   /* borrowed */
    struct pg_stmt *next;   /* in conn->stmts */
    char *sql;              /* rewritten to $n; owned */
    int n_params;
    char **values; /* owned copies, n_params of them; NULL: SQL null */
    Oid *types;    /* OID_INT8, OID_TEXT or 0 (unknown: the server infers it) */
    int bind_idx;  /* the first failed bind since the last reset; 0 if none */
    PGresult *res; /* the last run's rows; owned */
    int row;       /* the current row of res; -1 before the first */
    bool ran;      /* sent since the last reset */
    bool has_row;  /* the last step produced a row */
    int64_t changes;
};

static struct pg_conn *conn_of(struct store_conn *c)
{
    return STORE_CONTAINER_OF(c, struct pg_conn, base);
}

static struct pg_stmt *stmt_of(struct store_stmt *st)
{
    return STORE_CONTAINER_OF(st, struct pg_stmt, base);
}

/* ---- errors ---------------------------------------------------------------- */

/* What a SQLSTATE means to our callers (see the file comment). */
static enum err_code map_sqlstate(const char *state)
{
    if (!state || strlen(state) != 5)
        return ERR_INTERNAL;
    if (strncmp(state, "23", 2) == 0)
        return ERR_CONFLICT;
    static const char *const transient[] = {
        "40001", /* serialization_failure */
        "40P01", /* deadlock_detected */
        "55P03", /* lock_not_available: lock_timeout */
        "57014", /* query_canceled: statement_timeout */
        "57P01", /* admin_shutdown */
        "57P02", /* crash_shutdown */
        "57P03", /* cannot_connect_now: starting up */
        "53300", /* too_many_connections */
    };
    for (size_t i = 0; i < ARRAY_SIZE(transient); i++)
        if (strcmp(state, transient[i]) == 0)
            return ERR_UNAVAILABLE;
    if (strncmp(state, "08", 2) == 0) /* connection_exception */
        return ERR_UNAVAILABLE;
    return ERR_INTERNAL;
}

/* Copies libpq's message into out on one line (it may hold newlines and tabs). */
static void one_line(const char *msg, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = msg ? msg : ""; *p && n + 1 < size; p++) {
        char ch = *p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p;
        if (ch == ' ' && (n == 0 || out[n - 1] == ' '))
            continue;
        out[n++] = ch;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

/*
 * Fills err from a failed result (res may be NULL: then the connection's
 * message). A lost connection is ERR_UNAVAILABLE whatever else it says.
 * sql, when not NULL, is quoted for errors in the statement itself (class 42).
 */
static enum err_code result_error(PGconn *pg, const PGresult *res, const char *sql, struct err *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char msg[200];
    one_line(primary ? primary : PQerrorMessage(pg), msg, sizeof(msg));
    enum err_code code = map_sqlstate(state);
    if (PQstatus(pg) == CONNECTION_BAD)
        code = ERR_UNAVAILABLE;
    if (sql && state && strncmp(state, "42", 2) == 0)
        return err_set(err, code, NULL, "postgres: %s (SQLSTATE %s) in \"%.80s\"", msg, state, sql);
    if (state)
        return err_set(err, code, NULL, "postgres: %s (SQLSTATE %s)", msg, state);
    return err_set(err, code, NULL, "postgres: %s", msg[0] ? msg : "connection lost");
}

/* Runs sql (no parameters, no rows wanted) on pg; ERR_OK or the mapped error. */
static enum err_code simple_exec(PGconn *pg, const char *sql, struct err *err)
{
    PGresult *res = PQexec(pg, sql);
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    enum err_code rc = ERR_OK;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
        rc = result_error(pg, res, sql, err);
    PQclear(res);
    return rc;
}

/* ---- connections ----------------------------------------------------------- */

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/*
 * The session settings, applied on every new and every reset connection:
 * statement_timeout (0: none), lock_timeout from the busy timeout (at least
 * 1 ms: SQLite's 0 means "don't wait", PostgreSQL's 0 means "forever"), no
 * notices (CREATE ... IF NOT EXISTS and friends), standard strings (our LIKE
 * patterns escape with a plain backslash).
 */
static enum err_code session_setup(struct pg_conn *c, struct err *err)
{
    char sql[256];
    PQsetNoticeProcessor(c->pg, ignore_notice, NULL);
    snprintf(sql, sizeof(sql),
             "SET statement_timeout = %d; SET lock_timeout = %d; "
             "SET client_min_messages = warning; SET standard_conforming_strings = on",
             c->statement_timeout_ms, c->lock_timeout_ms > 0 ? c->lock_timeout_ms : 1);
    return simple_exec(c->pg, sql, err);
}

/* Forgets every prepared statement (the server's session that held them is gone). */
static void cache_clear(struct pg_conn *c)
{
    for (size_t i = 0; i < PREPARED_CACHE; i++) {
        free(c->cache[i].key);
        c->cache[i] = (struct prepared){ 0 };
    }
}

/*
 * Reconnects c with the parameters it was opened with (PQreset) and applies
 * the session settings again. Statements of c survive (their server-side
 * counterparts are prepared again when next sent); a transaction that was
 * open is gone. ERR_UNAVAILABLE when the server cannot be reached.
 */
static enum err_code reconnect(struct pg_conn *c, struct err *err)
{
    char msg[200];
    c->in_tx = false;
    cache_clear(c);
    PQreset(c->pg);
    if (PQstatus(c->pg) != CONNECTION_OK) {
        one_line(PQerrorMessage(c->pg), msg, sizeof(msg));
        return err_set(err, ERR_UNAVAILABLE, NULL, "postgres: reconnecting failed: %s", msg);
    }
    return session_setup(c, err);
}

static enum err_code pg_conn_open(const char *target, const struct store_options *opts,
                                  struct store_conn **out, struct err *err)
{
    /* ours first: keywords of the URL (expanded in place of dbname) override them */
    const char *const keys[] = { "connect_timeout", "application_name", "client_encoding", "dbname",
                                 NULL };
    char *url = xstrdup(target);
    const char *const values[] = { CONNECT_TIMEOUT_S, "crowdelic", "UTF8", url, NULL };
    char msg[200];
    enum err_code rc = ERR_OK;

    *out = NULL;
    /* store.c takes POSTGRES:// too; libpq only the lower-case scheme */
    for (char *p = url; *p && *p != ':'; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    /* libpq's parse errors may quote the URL, password and all: say only that it failed */
    PQconninfoOption *parsed = PQconninfoParse(url, NULL);
    if (!parsed) {
        free(url);
        return err_set(err, ERR_INVALID, NULL,
                       "database url: libpq cannot read this postgres:// URL (expected "
                       "postgres://user:password@host:port/database?param=value)");
    }
    PQconninfoFree(parsed);
    PGconn *pg = PQconnectdbParams(keys, values, 1);
    free(url);
    if (!pg)
        return err_set(err, ERR_UNAVAILABLE, NULL, "postgres: out of memory connecting");
    if (PQstatus(pg) != CONNECTION_OK) {
        /* libpq never puts the password in its messages */
        one_line(PQerrorMessage(pg), msg, sizeof(msg));
        PQfinish(pg);
        return err_set(err, ERR_UNAVAILABLE, NULL, "postgres: cannot connect: %s", msg);
    }
    struct pg_conn *c = xcalloc(1, sizeof(*c));
    c->base.backend = &store_pg_backend;
    c->pg = pg;
    c->statement_timeout_ms = opts->statement_timeout_ms;
    c->lock_timeout_ms = opts->busy_timeout_ms;
    rc = session_setup(c, err);
    if (rc) {
        PQfinish(pg);
        free(c);
        return rc;
    }
    *out = &c->base;
    return ERR_OK;
}

static void pg_conn_close(struct store_conn *sc)
{
    if (!sc)
        return;
    struct pg_conn *c = conn_of(sc);
    assert(c->stmts == NULL && "store_close: a statement was not finalized");
    cache_clear(c);
    PQfinish(c->pg);
    free(c);
}

/*
 * Called when the pool hands c out: a connection the server closed while it
 * sat idle (a restart, an idle timeout, an administrator) shows as a readable
 * socket; reading it finds the end of the stream, and c is reset. A reset
 * that fails leaves c broken: its first statement tries again and reports.
 */
static void pg_conn_check(struct store_conn *sc)
{
    struct pg_conn *c = conn_of(sc);
    if (PQstatus(c->pg) == CONNECTION_OK) {
        struct pollfd p = { .fd = PQsocket(c->pg), .events = POLLIN };
        if (p.fd >= 0 && poll(&p, 1, 0) > 0 && PQconsumeInput(c->pg)) {
            PGnotify *n;
            while ((n = PQnotifies(c->pg)) != NULL)
                PQfreemem(n);
        }
    }
    if (PQstatus(c->pg) != CONNECTION_OK)
        reconnect(c, NULL);
}

/* True when the server holds a transaction of c's open (or c thinks so). */
static bool tx_open(const struct pg_conn *c)
{
    PGTransactionStatusType t = PQtransactionStatus(c->pg);
    return c->in_tx || t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static void pg_rollback(struct store_conn *sc)
{
    struct pg_conn *c = conn_of(sc);
    bool open = tx_open(c);
    c->in_tx = false;
    if (open && PQstatus(c->pg) == CONNECTION_OK)
        simple_exec(c->pg, "ROLLBACK", NULL);
}

static bool pg_conn_reset(struct store_conn *sc)
{
    struct pg_conn *c = conn_of(sc);
    bool clean = true;
    /* as on SQLite: a statement stopped in the middle of its rows is left behind */
    for (struct pg_stmt *s = c->stmts; s; s = s->next)
        if (s->has_row)
            clean = false;
    if (tx_open(c)) {
        clean = false;
        pg_rollback(sc);
    }
    return clean;
}

/* ---- sending ------------------------------------------------------------------ */

/* The cache key of s: its SQL, a NUL, one letter per parameter type. Malloc'd. */
static char *cache_key(const struct pg_stmt *s, size_t *len)
{
    size_t sql_len = strlen(s->sql);
    *len = sql_len + 1 + (size_t)s->n_params;
    char *key = xmalloc(*len + 1);
    memcpy(key, s->sql, sql_len + 1);
    for (int i = 0; i < s->n_params; i++)
        key[sql_len + 1 + i] = s->types[i] == OID_INT8 ? 'i' : s->types[i] == OID_TEXT ? 't' : 'u';
    key[*len] = '\0';
    return key;
}

static struct prepared *cache_find(struct pg_conn *c, const char *key, size_t len)
{
    for (size_t i = 0; i < PREPARED_CACHE; i++) {
        struct prepared *e = &c->cache[i];
        if (e->key && e->key_len == len && memcmp(e->key, key, len) == 0)
            return e;
    }
    return NULL;
}

/* Drops entry e, deallocating its statement on the server (a failure there is harmless). */
static void cache_evict(struct pg_conn *c, struct prepared *e)
{
    char sql[32];
    snprintf(sql, sizeof(sql), "DEALLOCATE s%u", e->name);
    if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_INERROR)
        simple_exec(c->pg, sql, NULL);
    free(e->key);
    *e = (struct prepared){ 0 };
}

/* A free entry: an unused one, or the least recently used, evicted. */
static struct prepared *cache_slot(struct pg_conn *c)
{
    struct prepared *lru = &c->cache[0];
    for (size_t i = 0; i < PREPARED_CACHE; i++) {
        if (!c->cache[i].key)
            return &c->cache[i];
        if (c->cache[i].last_use < lru->last_use)
            lru = &c->cache[i];
    }
    cache_evict(c, lru);
    return lru;
}

/*
 * Sends s with its parameters: prepares it on the server first unless c
 * already has it. Returns the execution's result (or the failed preparation's;
 * NULL when libpq had none to give).
 */
static PGresult *send_prepared(struct pg_conn *c, struct pg_stmt *s)
{
    size_t len = 0;
    char *key = cache_key(s, &len);
    struct prepared *e = cache_find(c, key, len);
    char name[16];
    if (!e) {
        e = cache_slot(c);
        unsigned number = ++c->next_name;
        snprintf(name, sizeof(name), "s%u", number);
        PGresult *r = PQprepare(c->pg, name, s->sql, s->n_params, s->types);
        if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
            free(key);
            return r;
        }
        PQclear(r);
        *e = (struct prepared){ .key = key, .key_len = len, .name = number };
        key = NULL;
    }
    free(key);
    e->last_use = ++c->clock;
    snprintf(name, sizeof(name), "s%u", e->name);
    PGresult *r =
        PQexecPrepared(c->pg, name, s->n_params, (const char *const *)s->values, NULL, NULL, 0);
    /* a table changed under a plan that returned other columns: prepare it afresh next time */
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (state && strcmp(state, "0A000") == 0)
        cache_evict(c, e);
    return r;
}

/*
 * Runs s (or, when s is NULL, the plain sql, which may hold several
 * statements) on c: when the connection is found broken and no transaction
 * is open, once more after a reset. Keeps the result in *res for the caller
 * (PQclear it), NULL on an error.
 */
static enum err_code run_retrying(struct pg_conn *c, struct pg_stmt *s, const char *sql,
                                  PGresult **res, struct err *err)
{
    bool in_tx = tx_open(c);
    *res = NULL;
    for (int sent = 0;;) {
        if (PQstatus(c->pg) != CONNECTION_OK) {
            if (in_tx) /* the server rolled it back: the caller must know */
                return result_error(c->pg, NULL, NULL, err);
            enum err_code rc = reconnect(c, err);
            if (rc)
                return rc;
        }
        PGresult *r = s ? send_prepared(c, s) : PQexec(c->pg, sql);
        sent++;
        ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
            status == PGRES_EMPTY_QUERY) {
            *res = r;
            return ERR_OK;
        }
        const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
        bool stale_plan = state && strcmp(state, "0A000") == 0 && s;
        if ((PQstatus(c->pg) != CONNECTION_OK || stale_plan) && !in_tx && sent < 2) {
            PQclear(r);
            continue; /* reconnects (or prepares again) at the top, then sends it once more */
        }
        enum err_code rc = result_error(c->pg, r, s ? s->sql : sql, err);
        PQclear(r);
        return rc;
    }
}

static enum err_code pg_exec(struct store_conn *sc, const char *sql, struct err *err)
{
    PGresult *res = NULL;
    enum err_code rc = run_retrying(conn_of(sc), NULL, sql, &res, err);
    PQclear(res);
    return rc;
}

/*
 * The serialisation the domain relies on. With SQLite, BEGIN IMMEDIATE takes
 * the database's one write lock up front: write transactions run one after the
 * other, and each reads what every earlier one committed. billing.c re-reads
 * the workspace "under the lock" before charging, gate_room counts before it
 * inserts, invoices are numbered MAX + 1, the webhook outbox selects a row
 * then updates it - all correct exactly because of that. (run_claim does not
 * need it: it locks its row, below.)
 *
 * Here a write transaction is READ COMMITTED and takes one advisory lock,
 * pg_advisory_xact_lock(WRITE_LOCK_KEY), before anything else; the server
 * frees it at COMMIT or ROLLBACK. So write transactions are again totally
 * ordered, and since READ COMMITTED gives each statement a fresh snapshot,
 * every statement after the lock sees all that earlier writers committed.
 * Waiting is bounded by lock_timeout (the busy timeout) and then
 * ERR_UNAVAILABLE, like SQLITE_BUSY. Readers never wait (MVCC), as in WAL.
 *
 * SERIALIZABLE would serialise too, but by aborting one of two conflicting
 * transactions at any statement or at COMMIT (40001): every caller would need
 * a retry loop that SQLite never made it write. Per-row locks (SELECT ... FOR
 * UPDATE) would need every read-then-write in the domain to name its rows,
 * and would miss inserts (phantoms: the count before an insert). The one lock
 * gives SQLite's guarantee with no change above this file; its cost is
 * SQLite's too (one writer at a time), which the short write transactions of
 * the domain keep small. NEEDSWORK: a lock per workspace would let tenants
 * write in parallel, once a transaction says which workspace it writes.
 *
 * Single statements outside a transaction take no lock: each is atomic on its
 * own, and PostgreSQL's row locks order two of them on the same row.
 *
 * A read transaction is REPEATABLE READ: every statement sees one snapshot,
 * like a read transaction in WAL mode (a count and its page agree).
 *
 * A rows transaction (store_begin_rows) is READ COMMITTED without the lock:
 * the job queue's claims and heartbeats, which lock the one row they change
 * (FOR UPDATE SKIP LOCKED, or the UPDATE itself) and so run beside the
 * writers instead of queueing behind them. Two workers claiming at once take
 * two different runs, and neither waits for the other.
 */
static const char *const begin_sql[] = {
    [STORE_TX_READ] = "BEGIN ISOLATION LEVEL REPEATABLE READ",
    [STORE_TX_WRITE] = "BEGIN ISOLATION LEVEL READ COMMITTED; "
                       "SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")",
    [STORE_TX_ROWS] = "BEGIN ISOLATION LEVEL READ COMMITTED",
};

static enum err_code pg_begin(struct store_conn *sc, enum store_tx kind, struct err *err)
{
    struct pg_conn *c = conn_of(sc);
    if (tx_open(c))
        return err_set(err, ERR_INTERNAL, NULL,
                       "postgres: cannot start a transaction within a transaction");
    PGresult *res = NULL;
    enum err_code rc = run_retrying(c, NULL, begin_sql[kind], &res, err);
    PQclear(res);
    if (rc) {
        if (PQstatus(c->pg) == CONNECTION_OK &&
            PQtransactionStatus(c->pg) != PQTRANS_IDLE) /* BEGIN ran, the lock timed out */
            simple_exec(c->pg, "ROLLBACK", NULL);
        return rc;
    }
    c->in_tx = true;
    return ERR_OK;
}

static enum err_code pg_commit(struct store_conn *sc, struct err *err)
{
    struct pg_conn *c = conn_of(sc);
    /* COMMIT of a failed transaction "succeeds" by rolling back: say what it really did */
    if (PQtransactionStatus(c->pg) == PQTRANS_INERROR)
        return err_set(err, ERR_INTERNAL, NULL,
                       "postgres: a statement of the transaction failed: it cannot commit");
    if (!tx_open(c))
        return err_set(err, ERR_INTERNAL, NULL, "postgres: commit without a transaction");
    PGresult *res = PQexec(c->pg, "COMMIT");
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    enum err_code rc = ERR_OK;
    if (status != PGRES_COMMAND_OK)
        rc = result_error(c->pg, res, NULL, err);
    else
        c->in_tx = false;
    PQclear(res);
    return rc;
}

/* ---- prepared statements -------------------------------------------------- */

static enum err_code pg_prepare(struct store_conn *sc, const char *sql, struct store_stmt **out,
                                struct err *err)
{
    struct pg_conn *c = conn_of(sc);
    char *text = NULL;
    int n_params = 0;
    enum err_code rc = pg_sql_rewrite(sql, &text, &n_params, err);
    if (rc)
        return rc;
    struct pg_stmt *s = xcalloc(1, sizeof(*s));
    s->base.backend = &store_pg_backend;
    s->conn = c;
    s->sql = text;
    s->n_params = n_params;
    s->values = xcalloc(n_params ? (size_t)n_params : 1, sizeof(*s->values));
    s->types = xcalloc(n_params ? (size_t)n_params : 1, sizeof(*s->types));
    s->row = -1;
    s->next = c->stmts;
    c->stmts = s;
    *out = &s->base;
    return ERR_OK;
}

/* Sets parameter idx to value (owned, NULL: null) of type, or remembers a bad index. */
static void bind(struct pg_stmt *s, int idx, char *value, Oid type)
{
    if (idx < 1 || idx > s->n_params) {
        if (!s->bind_idx)
            s->bind_idx = idx;
        free(value);
        return;
    }
    free(s->values[idx - 1]);
    s->values[idx - 1] = value;
    s->types[idx - 1] = type;
}

static void pg_bind_textn(struct store_stmt *st, int idx, const char *text, size_t len)
{
    /* a NULL text is a null of type text: "? IS NULL" must know what it tests */
    bind(stmt_of(st), idx, text ? xmemdupz(text, len) : NULL, OID_TEXT);
}

static void pg_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
    char num[24];
    snprintf(num, sizeof(num), "%" PRId64, v);
    bind(stmt_of(st), idx, xstrdup(num), OID_INT8);
}

static void pg_bind_null(struct store_stmt *st, int idx)
{
    bind(stmt_of(st), idx, NULL, 0);
}

static enum err_code pg_step(struct store_stmt *st, bool *has_row, struct err *err)
{
    struct pg_stmt *s = stmt_of(st);
    s->has_row = false;
    *has_row = false;
    if (s->bind_idx)
        return err_set(err, ERR_INTERNAL, NULL,
                       "postgres: binding parameter %d failed: the statement has %d", s->bind_idx,
                       s->n_params);
    if (!s->ran) {
        PQclear(s->res);
        s->res = NULL;
        s->row = -1;
        s->changes = 0;
        enum err_code rc = run_retrying(s->conn, s, NULL, &s->res, err);
        if (rc)
            return rc;
        s->ran = true;
        const char *n = PQcmdTuples(s->res);
        s->changes = n && *n ? strtoll(n, NULL, 10) : 0;
    }
    if (PQresultStatus(s->res) == PGRES_TUPLES_OK && s->row + 1 < PQntuples(s->res)) {
        s->row++;
        s->has_row = true;
        *has_row = true;
    } else {
        s->row = PQntuples(s->res);
    }
    return ERR_OK;
}

static void pg_reset(struct store_stmt *st)
{
    struct pg_stmt *s = stmt_of(st);
    for (int i = 0; i < s->n_params; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
        s->types[i] = 0;
    }
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->ran = false;
    s->has_row = false;
    s->bind_idx = 0;
}

/* False (and an assertion in debug builds) when col cannot be read now. */
static bool col_readable(struct pg_stmt *s, int col)
{
    return !NEVER(!s->has_row || col < 0 || col >= PQnfields(s->res));
}

static const char *pg_col_text(struct store_stmt *st, int col)
{
    struct pg_stmt *s = stmt_of(st);
    if (!col_readable(s, col) || PQgetisnull(s->res, s->row, col))
        return NULL;
    return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_int64(struct store_stmt *st, int col)
{
    const char *v = pg_col_text(st, col);
    if (!v)
        return 0;
    if (v[0] == 't' && v[1] == '\0') /* a boolean */
        return 1;
    return (int64_t)strtoll(v, NULL, 10); /* "12.5" -> 12, as SQLite converts a real */
}

static bool pg_col_is_null(struct store_stmt *st, int col)
{
    struct pg_stmt *s = stmt_of(st);
    if (!col_readable(s, col))
        return true;
    return PQgetisnull(s->res, s->row, col) != 0;
}

static int pg_col_count(struct store_stmt *st)
{
    struct pg_stmt *s = stmt_of(st);
    return s->res ? PQnfields(s->res) : 0;
}

static int64_t pg_changes(struct store_stmt *st)
{
    return stmt_of(st)->changes;
}

static void pg_finalize(struct store_stmt *st)
{
    struct pg_stmt *s = stmt_of(st);
    for (struct pg_stmt **p = &s->conn->stmts; *p; p = &(*p)->next) {
        if (*p == s) {
            *p = s->next;
            break;
        }
    }
    pg_reset(st);
    free(s->values);
    free(s->types);
    free(s->sql);
    free(s);
}

const struct store_backend store_pg_backend = {
    .name = "postgres",
    .skip_locked = " FOR UPDATE SKIP LOCKED",
    .conn_open = pg_conn_open,
    .conn_close = pg_conn_close,
    .conn_check = pg_conn_check,
    .conn_reset = pg_conn_reset,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .prepare = pg_prepare,
    .bind_textn = pg_bind_textn,
    .bind_int64 = pg_bind_int64,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .reset = pg_reset,
    .col_text = pg_col_text,
    .col_int64 = pg_col_int64,
    .col_is_null = pg_col_is_null,
    .col_count = pg_col_count,
    .changes = pg_changes,
    .finalize = pg_finalize,
};
