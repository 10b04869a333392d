/*
 * store/redis.c - the Redis client (store/redis.h): the URL, a bounded
 * pool of hiredis connections under one mutex, and the up/down state that
 * makes a dead server cost nothing but one failed attempt per retry time.
 *
 * Invariants: r->open counts every connection made and not yet freed (idle
 * or lent out), never above max_connections. A connection lent out carries
 * the generation it was made in; going down bumps the generation, so every
 * connection of before is freed when it comes back instead of being reused.
 * While down, at most one caller (the prober) touches the network.
 *
 * Threading: the mutex guards everything in struct redis but the URL and
 * the options (read-only after redis_open). Commands run outside it, each
 * on a connection lent to one thread.
 */
#include "core/compat.h"

#include "store/redis.h"
#include "store/redis_internal.h"

#include <pthread.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/xalloc.h"

#define DEFAULT_TIMEOUT_MS   300
#define DEFAULT_RETRY_MIN_MS 1000
#define DEFAULT_RETRY_MAX_MS 5000
#define DEFAULT_CONNECTIONS  16
#define DB_MAX               1000000

struct redis {
    struct redis_url url;
    char user[128]; /* ACL user ("" for the default user) */
    struct redis_options o;
    pthread_mutex_t lock;
    pthread_cond_t returned; /* a connection came back or was freed */
    redisContext **idle;     /* max_connections slots */
    size_t n_idle;
    unsigned open;       /* made and not freed: idle + lent out */
    bool up;             /* the last attempt worked */
    bool probing;        /* a caller is trying to reconnect while down */
    int64_t retry_at_ms; /* monotonic: when a caller may try again while down */
    int64_t backoff_ms;  /* the delay before the next retry after a failure */
    uint64_t generation; /* bumped when going down */
};

static struct metric *m_up(void)
{
    return metrics_gauge("redis_up", "1 while the configured Redis answers, 0 while it is down");
}

static struct metric *m_errors(void)
{
    return metrics_counter("redis_errors_total",
                           "Redis commands or connections that failed, and error replies");
}

void redis_count_error(void)
{
    metric_add(m_errors(), METRIC_NO_LABELS, 1);
}

/* ---- the URL ------------------------------------------------------------------------------ */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Copies s[0..n) into out (size cap) decoding %XX; false when too long or a bad escape. */
static bool decode_part(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n || hex_digit(s[i + 1]) < 0 || hex_digit(s[i + 2]) < 0)
                return false;
            c = (char)(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        }
        if (c == '\0' || o + 1 >= cap)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return true;
}

/* Reads a whole decimal number in [min, max] from s[0..n). */
static bool parse_num(const char *s, size_t n, long min, long max, long *out)
{
    if (n == 0 || n > 9)
        return false;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

static enum err_code parse_unix(const char *rest, struct redis_url *out, struct err *err)
{
    /* unix:/path or unix:///path, then ?db=N */
    if (strncmp(rest, "//", 2) == 0)
        rest += 2;
    size_t plen = strcspn(rest, "?");
    if (plen == 0 || rest[0] != '/')
        return err_set(err, ERR_INVALID, "REDIS_URL",
                       "REDIS_URL: a unix socket needs an absolute path (unix:/path/redis.sock)");
    if (plen >= sizeof(out->unix_path))
        return err_set(err, ERR_INVALID, "REDIS_URL", "REDIS_URL: the socket path is too long");
    memcpy(out->unix_path, rest, plen);
    out->unix_path[plen] = '\0';
    const char *q = rest + plen;
    if (*q) {
        long db;
        if (strncmp(q, "?db=", 4) != 0 || !parse_num(q + 4, strlen(q + 4), 0, DB_MAX, &db))
            return err_set(err, ERR_INVALID, "REDIS_URL",
                           "REDIS_URL: after the socket path only ?db=N (0..%d) is accepted",
                           DB_MAX);
        out->db = (int)db;
    }
    return ERR_OK;
}

/* As redis_url_parse, also giving the ACL user (user_cap bytes). */
static enum err_code parse_url(const char *url, struct redis_url *out, char *user, size_t user_cap,
                               struct err *err)
{
    memset(out, 0, sizeof(*out));
    user[0] = '\0';
    out->port = 6379;
    if (!url || !*url)
        return err_set(err, ERR_INVALID, "REDIS_URL", "REDIS_URL: empty");
    if (strncmp(url, "rediss://", 9) == 0)
        return err_set(err, ERR_INVALID, "REDIS_URL",
                       "REDIS_URL: rediss:// (TLS) is not supported: this build's hiredis has no "
                       "TLS; use redis:// on a private network or through a TLS tunnel");
    if (strncmp(url, "unix:", 5) == 0)
        return parse_unix(url + 5, out, err);
    if (strncmp(url, "redis://", 8) != 0)
        return err_set(err, ERR_INVALID, "REDIS_URL",
                       "REDIS_URL: '%.40s' is not a Redis URL (expected "
                       "redis://[:password@]host[:port][/db] or unix:/path)",
                       url);
    const char *auth = url + 8;
    size_t alen = strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *p = auth; p < auth + alen; p++)
        if (*p == '@')
            at = p;
    const char *host = auth;
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        if (!colon)
            return err_set(err, ERR_INVALID, "REDIS_URL",
                           "REDIS_URL: the part before '@' must be :password or user:password");
        if (!decode_part(auth, (size_t)(colon - auth), user, user_cap) ||
            !decode_part(colon + 1, (size_t)(at - colon - 1), out->password, sizeof(out->password)))
            return err_set(err, ERR_INVALID, "REDIS_URL",
                           "REDIS_URL: the user or password is too long or has a bad %%-escape");
        host = at + 1;
    }
    size_t hlen = (size_t)(auth + alen - host);
    const char *port = NULL;
    if (hlen && host[0] == '[') { /* [IPv6] */
        const char *close = memchr(host, ']', hlen);
        if (!close)
            return err_set(err, ERR_INVALID, "REDIS_URL", "REDIS_URL: '[' without ']'");
        if (close + 1 < host + hlen) {
            if (close[1] != ':')
                return err_set(err, ERR_INVALID, "REDIS_URL",
                               "REDIS_URL: unexpected text after ']'");
            port = close + 2;
        }
        hlen = (size_t)(close - host - 1);
        host++;
    } else {
        const char *colon = memchr(host, ':', hlen);
        if (colon) {
            port = colon + 1;
            hlen = (size_t)(colon - host);
        }
    }
    if (hlen == 0)
        return err_set(err, ERR_INVALID, "REDIS_URL",
                       "REDIS_URL: no host (expected "
                       "redis://host:port)");
    if (hlen >= sizeof(out->host))
        return err_set(err, ERR_INVALID, "REDIS_URL", "REDIS_URL: the host is too long");
    memcpy(out->host, host, hlen);
    out->host[hlen] = '\0';
    if (port) {
        long v;
        if (!parse_num(port, (size_t)(auth + alen - port), 1, 65535, &v))
            return err_set(err, ERR_INVALID, "REDIS_URL",
                           "REDIS_URL: the port is not a number in 1..65535");
        out->port = (int)v;
    }
    const char *rest = auth + alen;
    if (*rest == '/') {
        rest++;
        size_t dlen = strcspn(rest, "?#");
        long db = 0;
        if (dlen && !parse_num(rest, dlen, 0, DB_MAX, &db))
            return err_set(err, ERR_INVALID, "REDIS_URL",
                           "REDIS_URL: the database after '/' is not a number in 0..%d", DB_MAX);
        out->db = (int)db;
        rest += dlen;
    }
    if (*rest)
        return err_set(err, ERR_INVALID, "REDIS_URL",
                       "REDIS_URL: unexpected '%.40s' (no query options are accepted)", rest);
    return ERR_OK;
}

enum err_code redis_url_parse(const char *url, struct redis_url *out, struct err *err)
{
    char user[128];
    return parse_url(url, out, user, sizeof(user), err);
}

/* ---- connections ----------------------------------------------------------------------------- */

static struct timeval tv_of(int64_t ms)
{
    return (struct timeval){ .tv_sec = (time_t)(ms / 1000),
                             .tv_usec = (suseconds_t)(ms % 1000) * 1000 };
}

/* Sends a command expecting +OK; false with err set otherwise. */
static bool expect_ok(redisContext *c, int argc, const char **argv, struct err *err)
{
    redisReply *rep = redisCommandArgv(c, argc, argv, NULL);
    if (!rep) {
        err_set(err, ERR_UNAVAILABLE, NULL, "Redis %s: %s", argv[0], c->errstr);
        return false;
    }
    bool ok = rep->type == REDIS_REPLY_STATUS && rep->str && strcmp(rep->str, "OK") == 0;
    if (!ok)
        err_set(err, ERR_UNAVAILABLE, NULL, "Redis %s: %s", argv[0],
                rep->type == REDIS_REPLY_ERROR && rep->str ? rep->str : "unexpected reply");
    freeReplyObject(rep);
    return ok;
}

/* A new connection, authenticated and on its database; NULL with err set. */
static redisContext *connect_new(struct redis *r, struct err *err)
{
    const struct redis_url *u = &r->url;
    redisContext *c =
        u->unix_path[0] ? redisConnectUnixWithTimeout(u->unix_path, tv_of(r->o.connect_timeout_ms))
                        : redisConnectWithTimeout(u->host, u->port, tv_of(r->o.connect_timeout_ms));
    if (!c) {
        err_set(err, ERR_UNAVAILABLE, NULL, "Redis: out of memory");
        return NULL;
    }
    if (c->err) {
        err_set(err, ERR_UNAVAILABLE, NULL, "Redis connect: %s", c->errstr);
        redisFree(c);
        return NULL;
    }
    if (redisSetTimeout(c, tv_of(r->o.command_timeout_ms)) != REDIS_OK) {
        err_set(err, ERR_UNAVAILABLE, NULL, "Redis: cannot set the timeout: %s", c->errstr);
        redisFree(c);
        return NULL;
    }
    if (!u->unix_path[0])
        (void)redisEnableKeepAlive(c);
    bool ok = true;
    if (u->password[0]) {
        const char *a[] = { "AUTH", r->user, u->password };
        ok = r->user[0] ? expect_ok(c, 3, a, err)
                        : expect_ok(c, 2, (const char *[]){ "AUTH", u->password }, err);
    }
    if (ok && u->db) {
        char db[16];
        snprintf(db, sizeof(db), "%d", u->db);
        ok = expect_ok(c, 2, (const char *[]){ "SELECT", db }, err);
    }
    if (!ok) {
        redisFree(c);
        return NULL;
    }
    return c;
}

/* Caller holds the lock. Frees the idle connections. */
static void drop_idle_locked(struct redis *r)
{
    for (size_t i = 0; i < r->n_idle; i++)
        redisFree(r->idle[i]);
    r->open -= (unsigned)r->n_idle;
    r->n_idle = 0;
    pthread_cond_broadcast(&r->returned);
}

/* Caller holds the lock. Marks the client down after a failure (why: for the log). */
static void mark_down_locked(struct redis *r, const char *why)
{
    int64_t now = clock_mono_ms();
    if (r->up) {
        r->backoff_ms = r->o.retry_min_ms;
        LOG_KV(LOG_LEVEL_WARN, "redis",
               "Redis is down: serving without it (cache from the database, per-node rate "
               "limits, events polled) until it answers again",
               LOG_STR("error", why), LOG_INT("retry_ms", r->backoff_ms));
    } else {
        r->backoff_ms =
            r->backoff_ms * 2 > r->o.retry_max_ms ? r->o.retry_max_ms : r->backoff_ms * 2;
        LOG_DEBUG("redis", "Redis still down: %s (next try in %" PRId64 " ms)", why, r->backoff_ms);
    }
    r->up = false;
    r->retry_at_ms = now + r->backoff_ms;
    r->generation++;
    drop_idle_locked(r);
    redis_count_error();
    metric_set(m_up(), METRIC_NO_LABELS, 0);
}

/* Caller holds the lock. */
static void mark_up_locked(struct redis *r)
{
    if (!r->up)
        LOG_INFO("redis", "Redis answers again: sharing the cache, rate limits and events");
    r->up = true;
    r->backoff_ms = r->o.retry_min_ms;
    metric_set(m_up(), METRIC_NO_LABELS, 1);
}

/*
 * Lends a connection: an idle one (*reused true), a new one, or - while down,
 * at the retry time - the prober's new one. NULL with err set when down,
 * when no connection comes free within the command timeout, or when
 * connecting fails (the client is then down).
 */
static redisContext *acquire(struct redis *r, uint64_t *gen, bool *reused, struct err *err)
{
    *reused = false;
    pthread_mutex_lock(&r->lock);
    int64_t give_up = clock_mono_ms() + r->o.command_timeout_ms;
    for (;;) {
        int64_t now = clock_mono_ms();
        if (!r->up && (r->probing || now < r->retry_at_ms)) {
            int64_t left = r->retry_at_ms - now;
            pthread_mutex_unlock(&r->lock);
            err_set(err, ERR_UNAVAILABLE, NULL, "Redis is down (next try in %" PRId64 " ms)",
                    left > 0 ? left : 0);
            return NULL;
        }
        if (r->up && r->n_idle) {
            redisContext *c = r->idle[--r->n_idle];
            *gen = r->generation;
            *reused = true;
            pthread_mutex_unlock(&r->lock);
            return c;
        }
        if (r->open < r->o.max_connections) {
            bool probe = !r->up;
            r->open++;
            if (probe) {
                r->probing = true;
                r->retry_at_ms = now + r->backoff_ms;
            }
            pthread_mutex_unlock(&r->lock);
            redisContext *c = connect_new(r, err);
            pthread_mutex_lock(&r->lock);
            if (probe)
                r->probing = false;
            if (!c) {
                r->open--;
                pthread_cond_broadcast(&r->returned);
                mark_down_locked(r, err ? err->msg : "connect failed");
            } else {
                mark_up_locked(r);
                *gen = r->generation;
            }
            pthread_mutex_unlock(&r->lock);
            return c;
        }
        if (now >= give_up) {
            pthread_mutex_unlock(&r->lock);
            err_set(err, ERR_UNAVAILABLE, NULL, "no free Redis connection within %" PRId64 " ms",
                    r->o.command_timeout_ms);
            return NULL;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        int64_t wait_ms = give_up - now;
        until.tv_sec += (time_t)(wait_ms / 1000);
        until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&r->returned, &r->lock, &until);
    }
}

/* Gives c back: kept when it worked and is of the current generation, freed otherwise. */
static void release(struct redis *r, redisContext *c, uint64_t gen, bool ok)
{
    pthread_mutex_lock(&r->lock);
    if (ok && r->up && gen == r->generation && r->n_idle < r->o.max_connections) {
        r->idle[r->n_idle++] = c;
        c = NULL;
    } else {
        r->open--;
    }
    pthread_cond_broadcast(&r->returned);
    pthread_mutex_unlock(&r->lock);
    if (c)
        redisFree(c);
}

redisReply *redis_command(struct redis *r, int argc, const char **argv, const size_t *lens,
                          struct err *err)
{
    struct err local = ERR_INIT;
    if (!err)
        err = &local;
    /* a reused connection may have died while idle (the server restarted): one more try on a
       new one before calling the server down */
    for (int attempt = 0; attempt < 2; attempt++) {
        uint64_t gen = 0;
        bool reused = false;
        redisContext *c = acquire(r, &gen, &reused, err);
        if (!c)
            return NULL;
        redisReply *rep = redisCommandArgv(c, argc, argv, lens);
        if (rep) {
            if (rep->type == REDIS_REPLY_ERROR)
                redis_count_error();
            release(r, c, gen, true);
            return rep;
        }
        err_set(err, ERR_UNAVAILABLE, NULL, "Redis %s: %s", argv[0],
                c->errstr[0] ? c->errstr : "no reply");
        release(r, c, gen, false);
        if (reused && attempt == 0) {
            /* the other idle connections are as old: drop them, try a new one */
            pthread_mutex_lock(&r->lock);
            drop_idle_locked(r);
            redis_count_error();
            pthread_mutex_unlock(&r->lock);
            continue;
        }
        pthread_mutex_lock(&r->lock);
        mark_down_locked(r, err->msg);
        pthread_mutex_unlock(&r->lock);
        return NULL;
    }
    return NULL;
}

redisContext *redis_connect_own(struct redis *r, struct err *err)
{
    return connect_new(r, err);
}

/* ---- the client --------------------------------------------------------------------------------
 */

enum err_code redis_open(const char *url, const struct redis_options *o, struct redis **out,
                         struct err *err)
{
    *out = NULL;
    struct redis *r = xcalloc(1, sizeof(*r));
    enum err_code rc = parse_url(url, &r->url, r->user, sizeof(r->user), err);
    if (rc) {
        free(r);
        return rc;
    }
    if (o)
        r->o = *o;
    if (r->o.connect_timeout_ms <= 0)
        r->o.connect_timeout_ms = DEFAULT_TIMEOUT_MS;
    if (r->o.command_timeout_ms <= 0)
        r->o.command_timeout_ms = DEFAULT_TIMEOUT_MS;
    if (r->o.retry_min_ms <= 0)
        r->o.retry_min_ms = DEFAULT_RETRY_MIN_MS;
    if (r->o.retry_max_ms < r->o.retry_min_ms)
        r->o.retry_max_ms =
            r->o.retry_min_ms > DEFAULT_RETRY_MAX_MS ? r->o.retry_min_ms : DEFAULT_RETRY_MAX_MS;
    if (!r->o.max_connections)
        r->o.max_connections = DEFAULT_CONNECTIONS;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->returned, NULL);
    r->idle = xcalloc(r->o.max_connections, sizeof(*r->idle));
    r->backoff_ms = r->o.retry_min_ms;
    metric_add(m_errors(), METRIC_NO_LABELS, 0);
    /* the first connection now: a server that is not there is logged at start-up */
    r->up = true; /* so that a failure below logs the one WARN line */
    struct err cerr = ERR_INIT;
    redisContext *c = connect_new(r, &cerr);
    pthread_mutex_lock(&r->lock);
    if (c) {
        r->idle[r->n_idle++] = c;
        r->open++;
        mark_up_locked(r);
        if (r->url.unix_path[0])
            LOG_KV(LOG_LEVEL_INFO, "redis", "Redis connected", LOG_STR("socket", r->url.unix_path),
                   LOG_INT("db", r->url.db));
        else
            LOG_KV(LOG_LEVEL_INFO, "redis", "Redis connected", LOG_STR("host", r->url.host),
                   LOG_INT("port", r->url.port), LOG_INT("db", r->url.db));
    } else {
        mark_down_locked(r, cerr.msg);
    }
    pthread_mutex_unlock(&r->lock);
    *out = r;
    return ERR_OK;
}

void redis_close(struct redis *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    drop_idle_locked(r);
    pthread_mutex_unlock(&r->lock);
    pthread_cond_destroy(&r->returned);
    pthread_mutex_destroy(&r->lock);
    free(r->idle);
    free(r);
}

bool redis_is_up(struct redis *r)
{
    pthread_mutex_lock(&r->lock);
    bool up = r->up;
    pthread_mutex_unlock(&r->lock);
    return up;
}

void redis_retry_now(struct redis *r)
{
    pthread_mutex_lock(&r->lock);
    if (!r->up && !r->probing)
        r->retry_at_ms = clock_mono_ms();
    pthread_mutex_unlock(&r->lock);
}

bool redis_ping(struct redis *r)
{
    const char *argv[] = { "PING" };
    redisReply *rep = redis_command(r, 1, argv, NULL, NULL);
    bool ok = rep && rep->type == REDIS_REPLY_STATUS;
    if (rep)
        freeReplyObject(rep);
    return ok;
}
