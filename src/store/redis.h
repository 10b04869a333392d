/*
 * store/redis.h - an optional Redis server shared by the nodes
 * (REDIS_URL): a small client over hiredis's synchronous API that never
 * stalls its caller for long and never fails a request because Redis is
 * gone.
 *
 * Commands use a bounded pool of connections with connect and command
 * timeouts (a few hundred milliseconds). When a command fails on the
 * connection (refused, reset, timed out), the client is marked down: every
 * further call fails at once with ERR_UNAVAILABLE, without touching the
 * network, until a retry time (1 s later, then doubling up to 5 s), when one
 * caller tries a reconnect. Going down logs one WARN line and recovering
 * one INFO line; the gauge redis_up (1/0) and the counter
 * redis_errors_total follow it.
 *
 * Who uses it (all in store/): kv_redis.c (rate-limit windows),
 * llm_cache_redis.c (the model-call cache in front of the table) and
 * notify.c (run events published between nodes). Nothing above store/
 * sees a hiredis type: this header is opaque; redis_internal.h is for
 * store/ files.
 *
 * Threading: every function may be called from any thread, except
 * redis_close (once, after the users stopped).
 */
#ifndef STORE_REDIS_H
#define STORE_REDIS_H

#include "core/compat.h"
#include "core/err.h"

struct redis;

/* Where a server is, read from redis://[:password@]host[:port][/db] or unix:/path[?db=N]. */
struct redis_url {
    char host[256];      /* "" for a unix socket */
    int port;            /* 6379 when not given */
    char unix_path[256]; /* "" for TCP */
    char password[256];  /* "" for none (percent-escapes decoded) */
    int db;              /* 0 when not given */
};

/*
 * Parses url. ERR_INVALID with a message naming what is wrong: another
 * scheme (rediss:// is refused: this hiredis has no TLS), an empty host, a
 * port outside 1..65535, a db that is not a number in 0..1000000, a part too
 * long, a user name (Redis 5 has no ACL users).
 */
enum err_code redis_url_parse(const char *url, struct redis_url *out, struct err *err);

struct redis_options {
    int64_t connect_timeout_ms; /* 0: 300 */
    int64_t command_timeout_ms; /* 0: 300 */
    int64_t retry_min_ms;       /* first retry after going down; 0: 1000 */
    int64_t retry_max_ms;       /* the retry delay doubles up to this; 0: 5000 */
    unsigned max_connections;   /* 0: 16; a caller past it waits up to the command timeout */
};

/*
 * Parses url and makes a client. A server that does not answer yet is not an
 * error: the client starts down (logged) and connects at its first retry.
 * ERR_INVALID for a bad URL. o may be NULL (defaults).
 */
enum err_code redis_open(const char *url, const struct redis_options *o, struct redis **out,
                         struct err *err);

/* Closes every connection and frees; accepts NULL. */
void redis_close(struct redis *r);

/* True while the client believes the server answers (the last command worked). */
bool redis_is_up(struct redis *r);

/*
 * Sends PING when the retry time has come (or the client is up): true when
 * the server answered. For tests and readiness; never blocks longer than the
 * timeouts.
 */
bool redis_ping(struct redis *r);

#endif
