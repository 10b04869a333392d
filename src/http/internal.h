/*
 * http/internal.h - the structures shared by the files of http/ (server,
 * request, response, sse, static). Nothing outside http/ includes this file;
 * it is the only place besides those files where libmicrohttpd's types
 * appear.
 */
#ifndef HTTP_INTERNAL_H
#define HTTP_INTERNAL_H

#include "conf/config.h"
#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"
#include "core/metrics.h"
#include "core/pool.h"
#include "http/forwarded.h"
#include "http/router.h"

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>

struct sse_stream;

struct http_server {
    const struct config *conf;
    struct MHD_Daemon *daemon;
    struct router *router;
    route_fn *guard; /* before every non-public route's handler; may be NULL */
    void *app;
    int port;
    int listen_fd; /* from MHD_quiesce_daemon, closed after MHD_stop_daemon; -1 before */
    atomic_long in_flight;
    atomic_long connections; /* open connections, for HTTP_MAX_CONNECTIONS */
    atomic_bool stopping;

    char **cors_origins; /* parsed CORS_ORIGINS; owned */
    size_t n_cors_origins;
    struct proxy_addr *trusted; /* parsed TRUSTED_PROXIES; owned */
    size_t n_trusted;

    /*
     * WEB_DIR, opened at start or, when it did not exist then, at the first
     * request after it appears (static_web_root): web_dir is written once,
     * under web_dir_lock, before web_dir_fd is published.
     */
    pthread_mutex_t web_dir_lock;
    char *web_dir;          /* realpath of WEB_DIR, or NULL while it does not exist */
    _Atomic int web_dir_fd; /* WEB_DIR opened O_PATH, or -1 */

    pthread_mutex_t sse_lock; /* guards the stream list and n_streams */
    pthread_cond_t sse_wake;  /* wakes the heartbeat thread early (stop) */
    struct sse_stream *streams;
    size_t n_streams;
    bool heartbeat_stop;
    bool heartbeat_running;
    pthread_t heartbeat_thread;

    /*
     * The open connections that are not inside a request (http/server.c's
     * watchdog): one trickling its headers a byte at a time is never idle,
     * so libmicrohttpd's HTTP_IDLE_TIMEOUT does not cut it; the watchdog
     * shuts down one that has not begun a request HTTP_IDLE_TIMEOUT after
     * it opened or finished its last one.
     */
    pthread_mutex_t watch_lock; /* guards the list and every conn_watch's fields */
    pthread_cond_t watch_wake;  /* wakes the watchdog early (stop) */
    struct conn_watch *watched;
    bool watch_stop;
    bool watch_running;
    pthread_t watch_thread;

    struct metric *m_duration;  /* http_request_duration_seconds{route,method,status} */
    struct metric *m_in_flight; /* http_requests_in_flight */
    struct metric *m_errors;    /* http_errors_total{code} */
    struct metric *m_sse_open;  /* http_sse_streams_open */
    struct metric *m_rejected;  /* http_connections_rejected_total */
};

struct extra_header {
    struct extra_header *next;
    const char *name, *value; /* in the request pool */
};

struct req {
    struct http_server *srv;
    struct MHD_Connection *conn;
    struct pool *pool;
    unsigned method;         /* enum http_method, 0 when unknown */
    const char *method_text; /* as received */
    const char *path;        /* percent-decoded, without the query string */
    char id[72];             /* X-Request-Id */
    int64_t start_ns;

    enum router_result match;
    const struct route *route;
    struct route_params params;
    unsigned allowed; /* methods, for 405 */
    bool is_api;      /* /api/... or one of the operational routes */

    struct buf body;
    bool has_body;
    bool body_too_large;   /* a chunked body passed the cap */
    uint64_t body_dropped; /* bytes read and dropped since then */
    json_t *json;          /* parsed body, owned */

    struct MHD_Response *response; /* written, not yet queued */
    int status;
    uint64_t bytes; /* body bytes of the response (streams: bytes sent) */
    enum err_code error_code;
    struct extra_header *headers;
    const char *cors_origin; /* the request's Origin when allowed, else NULL */
    void *user;              /* what the guard learned about the caller (req_set_user) */
    char client[64];         /* the client's address, text */

    pthread_mutex_t lock; /* guards the three flags below (req_defer/req_complete) */
    bool deferred;
    bool completed;
    bool suspended;
    bool queued;
};

/* response.c: adds the standard headers and stores the response in req. */
void resp_install(struct req *req, struct MHD_Response *r, int status, const char *content_type,
                  uint64_t bytes);

/* static.c: answers a GET/HEAD for a path outside the API. */
enum err_code static_serve(struct req *req, struct err *err);
/*
 * The web root's directory descriptor: WEB_DIR opened when the server was
 * made or, if it did not exist then, as soon as it does; -1 until then.
 */
int static_web_root(struct http_server *srv);

/* sse.c: the heartbeat thread and the stop-time sweep. */
void sse_server_init(struct http_server *srv);
void sse_close_all(struct http_server *srv);
void sse_server_release(struct http_server *srv);

#endif
