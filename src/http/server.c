/*
 * http/server.c - the libmicrohttpd daemon and the request state machine.
 *
 * The access handler is called several times per request (STYLE.md H1):
 *   1. first call: allocate struct req, read the request id, route, and
 *      reject at once what needs no body (413 by Content-Length, 415);
 *   2. body chunks: appended to a buffer capped at HTTP_MAX_BODY_BYTES; a
 *      chunked body past the cap is dropped and answered 413 at its end
 *      (MHD takes no response mid-body), or cut off if it goes on and on;
 *   3. final call: dispatch to the handler (or 404/405, OPTIONS, static
 *      files) and queue exactly one response - answering here, not on the
 *      first call, keeps the connection alive (reference/libs.md 3.1);
 *   4. after req_complete() resumed a deferred request: queue its response.
 * The completion callback writes the access-log line, records the metrics
 * and frees the request.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "http/internal.h"
#include "http/request.h"
#include "http/response.h"
#include "http/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Bytes of an oversized chunked body read and dropped before the 413 can be
 * sent; beyond this the connection is closed without an answer. */
#define BODY_DRAIN_MAX (8 * 1024 * 1024)

static const double duration_buckets[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                           0.1,    0.25,  0.5,    1,     2.5,  5,     10 };

/* ---- request lifecycle --------------------------------------------------- */

static const char *header(struct MHD_Connection *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* [A-Za-z0-9._-]{1,64}: anything else is replaced by a fresh id. */
static bool valid_request_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (n == 64 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return n > 0;
}

static bool is_api_path(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
           strcmp(path, "/healthz") == 0 || strcmp(path, "/readyz") == 0 ||
           strcmp(path, "/metrics") == 0;
}

static const char *allowed_origin(struct http_server *srv, const char *origin)
{
    if (!origin)
        return NULL;
    for (size_t i = 0; i < srv->n_cors_origins; i++)
        if (strcasecmp(srv->cors_origins[i], origin) == 0)
            return srv->cors_origins[i];
    return NULL;
}

static struct req *req_new(struct http_server *srv, struct MHD_Connection *conn, const char *url,
                           const char *method)
{
    struct req *req = xcalloc(1, sizeof(*req));
    req->srv = srv;
    req->conn = conn;
    req->pool = pool_new();
    req->start_ns = clock_mono_ns();
    req->method_text = pool_strdup(req->pool, method);
    req->method = http_method_parse(method);
    req->path = pool_strdup(req->pool, url);
    req->is_api = is_api_path(req->path);
    buf_init(&req->body, (size_t)srv->conf->http_max_body_bytes);
    pthread_mutex_init(&req->lock, NULL);

    const char *rid = header(conn, "X-Request-Id");
    if (rid && valid_request_id(rid))
        snprintf(req->id, sizeof(req->id), "%s", rid);
    else
        ids_uuid7(req->id);

    req->cors_origin = allowed_origin(srv, header(conn, "Origin"));
    req->match = router_match(srv->router, req->method ? req->method : HTTP_GET,
                              span_cstr(req->path), &req->route, &req->params, &req->allowed);
    if (!req->method)
        req->match = ROUTER_METHOD; /* a method we do not know at all */

    long n = atomic_fetch_add(&srv->in_flight, 1) + 1;
    metric_set(srv->m_in_flight, METRIC_NO_LABELS, (double)n);
    return req;
}

static void req_free(struct req *req)
{
    json_decref(req->json);
    buf_release(&req->body);
    if (req->response)
        MHD_destroy_response(req->response);
    pthread_mutex_destroy(&req->lock);
    pool_free(req->pool);
    free(req);
}

static enum MHD_Result queue_response(struct req *req)
{
    if (!req->response) {
        struct err e;
        err_set(&e, ERR_INTERNAL, NULL, "handler returned without a response");
        resp_error(req, &e);
    }
    enum MHD_Result rc = MHD_queue_response(req->conn, (unsigned)req->status, req->response);
    MHD_destroy_response(req->response);
    req->response = NULL;
    req->queued = true;
    return rc;
}

/* Replaces whatever response was written with the error e. */
static void answer_error(struct req *req, const struct err *e)
{
    if (req->response) {
        MHD_destroy_response(req->response);
        req->response = NULL;
        req->headers = NULL;
    }
    if (e->code == ERR_METHOD) {
        char allow[128];
        http_methods_format(req->allowed ? req->allowed : HTTP_GET, allow, sizeof(allow));
        resp_header(req, "Allow", allow);
    }
    resp_error(req, e);
}

/* ---- checks before the body arrives ------------------------------------------ */

static bool has_json_content_type(const char *ct)
{
    if (!ct)
        return false;
    struct span s = span_trim(span_cstr(ct));
    struct span rest = s;
    struct span type = span_trim(span_cut(&rest, ';'));
    return span_eq_nocase(type, "application/json");
}

/*
 * First-call checks; true when req must be answered now (e->code set).
 * Only rejections are answered early: the connection is closed after them,
 * which is what a client sending an unwanted body deserves.
 */
static bool precheck(struct req *req, struct err *e)
{
    struct MHD_Connection *conn = req->conn;
    const char *cl = header(conn, "Content-Length");
    const char *te = header(conn, "Transfer-Encoding");
    uint64_t len = 0;
    if (cl && !span_parse_u64(span_trim(span_cstr(cl)), UINT64_MAX, &len)) {
        err_set(e, ERR_INVALID, NULL, "Content-Length: '%s' is not a number", cl);
        return true;
    }
    req->has_body = len > 0 || (te && strcasecmp(te, "identity") != 0);
    if (len > (uint64_t)req->srv->conf->http_max_body_bytes) {
        err_set(e, ERR_TOO_LARGE, NULL,
                "request body of %" PRIu64 " bytes is larger than the limit of %" PRId64 " bytes",
                len, req->srv->conf->http_max_body_bytes);
        return true;
    }
    if (req->has_body && req->match == ROUTER_FOUND && (req->route->flags & ROUTE_BODY_JSON) &&
        !has_json_content_type(header(conn, "Content-Type"))) {
        const char *ct = header(conn, "Content-Type");
        err_set(e, ERR_MEDIA_TYPE, NULL,
                "Content-Type '%s' is not supported (expected application/json)",
                ct ? ct : "(none)");
        return true;
    }
    return false;
}

/* ---- dispatch ---------------------------------------------------------------- */

static enum err_code handle_options(struct req *req, struct err *err)
{
    const char *origin = header(req->conn, "Origin");
    unsigned allowed = req->allowed;
    if (req->match == ROUTER_FOUND)
        allowed = req->route->method;
    if (req->match == ROUTER_NOT_FOUND && req->is_api)
        return err_set(err, ERR_NOT_FOUND, NULL, "no route for %s", req->path);
    if (!req->is_api)
        allowed = HTTP_GET;
    char methods[128];
    http_methods_format(allowed | HTTP_OPTIONS, methods, sizeof(methods));
    if (origin && !req->cors_origin)
        return err_set(err, ERR_FORBIDDEN, NULL, "origin '%s' is not allowed", origin);
    resp_header(req, "Allow", methods);
    if (req->cors_origin) {
        resp_header(req, "Access-Control-Allow-Methods", methods);
        resp_header(req, "Access-Control-Allow-Headers",
                    "Authorization, Content-Type, X-Request-Id, Idempotency-Key, Last-Event-ID");
        resp_header(req, "Access-Control-Max-Age", "600");
    }
    resp_empty(req, 204);
    return ERR_OK;
}

static enum err_code route_request(struct req *req, struct err *err)
{
    if (req->method == HTTP_OPTIONS)
        return handle_options(req, err);
    switch (req->match) {
    case ROUTER_FOUND:
        if (req->srv->guard && !(req->route->flags & ROUTE_PUBLIC)) {
            enum err_code rc = req->srv->guard(req, err);
            if (rc)
                return rc;
        }
        return req->route->handler(req, err);
    case ROUTER_METHOD:
        return err_set(err, ERR_METHOD, NULL, "method %s is not allowed on %s", req->method_text,
                       req->path);
    case ROUTER_NOT_FOUND:
        break;
    }
    if (req->is_api)
        return err_set(err, ERR_NOT_FOUND, NULL, "no route for %s %s", req->method_text, req->path);
    if (req->method != HTTP_GET && req->method != HTTP_HEAD) {
        req->allowed = HTTP_GET;
        return err_set(err, ERR_METHOD, NULL, "method %s is not allowed on %s", req->method_text,
                       req->path);
    }
    return static_serve(req, err);
}

static enum MHD_Result dispatch(struct req *req)
{
    struct err err = ERR_INIT;
    log_context_set(req->id, NULL);
    enum err_code rc = route_request(req, &err);
    log_context_set(NULL, NULL);
    if (rc) {
        if (req->deferred)
            BUG("handler deferred %s and then failed", req->path);
        if (NEVER(err.code != rc)) /* a code returned without err_set() */
            err_set(&err, rc, NULL, "%s", err_slug(rc));
        answer_error(req, &err);
    }
    if (!req->deferred)
        return queue_response(req);

    /* The worker may already have completed; otherwise sleep until it does. */
    pthread_mutex_lock(&req->lock);
    bool done = req->completed;
    if (!done) {
        MHD_suspend_connection(req->conn);
        req->suspended = true;
    }
    pthread_mutex_unlock(&req->lock);
    return done ? queue_response(req) : MHD_YES;
}

static void watch_request(struct http_server *srv, struct MHD_Connection *conn, bool begins);

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    struct http_server *srv = cls;
    struct req *req = *req_cls;
    (void)version;

    if (!req) {
        watch_request(srv, conn, true);
        req = req_new(srv, conn, url, method);
        *req_cls = req;
        struct err e = ERR_INIT;
        if (precheck(req, &e)) {
            answer_error(req, &e);
            return queue_response(req);
        }
        return MHD_YES;
    }
    if (req->queued) {
        *upload_data_size = 0; /* answered early; the rest of the body is dropped */
        return MHD_YES;
    }

    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (!req->body_too_large && buf_add(&req->body, upload_data, n))
            return MHD_YES;
        /*
         * Past the cap (a chunked body: a declared length was refused on the
         * first call). MHD accepts no response in the middle of a body, so
         * the rest is read and dropped and the 413 goes out at the end; a
         * client that keeps sending far past the cap is cut off instead.
         */
        req->body_too_large = true;
        req->body_dropped += n;
        if (req->body_dropped > (uint64_t)srv->conf->http_max_body_bytes + BODY_DRAIN_MAX) {
            LOG_WARN("http",
                     "closing a connection that sent more than %" PRId64
                     " bytes past the body limit",
                     (int64_t)BODY_DRAIN_MAX);
            return MHD_NO;
        }
        return MHD_YES;
    }

    if (req->body_too_large) {
        struct err e;
        err_set(&e, ERR_TOO_LARGE, NULL,
                "request body is larger than the limit of %" PRId64 " bytes",
                srv->conf->http_max_body_bytes);
        answer_error(req, &e);
        return queue_response(req);
    }
    if (req->deferred)
        return queue_response(req); /* resumed by req_complete() */
    return dispatch(req);
}

/* ---- completion: access log and metrics ----------------------------------------- */

static const char *route_label(const struct req *req)
{
    if (req->match == ROUTER_FOUND)
        return req->route->pattern;
    if (!req->is_api && (req->method == HTTP_GET || req->method == HTTP_HEAD))
        return "static";
    return "unmatched";
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct req *req = *req_cls;
    if (!req)
        return;
    watch_request(srv, conn, false);
    *req_cls = NULL;

    double secs = (double)(clock_mono_ns() - req->start_ns) / 1e9;
    char status[16];
    snprintf(status, sizeof(status), "%d", req->queued ? req->status : 0);
    const char *route = route_label(req);
    metric_observe(
        srv->m_duration,
        METRIC_LABELS({ "route", route }, { "method", req->method_text }, { "status", status }),
        secs);

    log_context_set(req->id, NULL);
    LOG_KV(LOG_LEVEL_INFO, "http", "request", LOG_STR("method", req->method_text),
           LOG_STR("path", req->path), LOG_STR("route", route),
           LOG_INT("status", req->queued ? req->status : 0), LOG_DBL("duration_ms", secs * 1e3),
           LOG_INT("bytes", (int64_t)req->bytes),
           LOG_STR("error", req->error_code ? err_slug(req->error_code) : NULL),
           LOG_STR("client", req_client(req)),
           LOG_BOOL("completed", toe == MHD_REQUEST_TERMINATED_COMPLETED_OK));
    log_context_set(NULL, NULL);

    req_free(req);
    long n = atomic_fetch_sub(&srv->in_flight, 1) - 1;
    metric_set(srv->m_in_flight, METRIC_NO_LABELS, (double)n);
}

/* ---- the connection limit ------------------------------------------------------ */

/*
 * libmicrohttpd's own limit is split between the pool threads, and a
 * thread at its share leaves new connections in the listen backlog until
 * its next timer wake-up (up to HTTP_IDLE_TIMEOUT later, measured with
 * 0.9.75). So the limit is ours: connections are counted here and one past
 * HTTP_MAX_CONNECTIONS is closed at accept, at once, while MHD's own limit
 * is set higher so that it never bites first.
 */
static void watch_add(struct http_server *srv, struct MHD_Connection *conn, void **socket_ctx);
static void watch_remove(struct http_server *srv, void **socket_ctx);

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
    struct http_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        atomic_fetch_add(&srv->connections, 1);
        watch_add(srv, conn, socket_ctx);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        watch_remove(srv, socket_ctx);
        atomic_fetch_sub(&srv->connections, 1);
    }
}

/* ---- the watchdog: a request's headers within HTTP_IDLE_TIMEOUT ------------------- */

struct conn_watch {
    struct conn_watch *prev, *next;
    int fd;           /* the connection's socket: MHD's, open until after NOTIFY_CLOSED */
    int64_t since_ms; /* opened, or its last request finished */
    bool in_request;  /* between the first call of the access handler and completion */
    bool shut;        /* shut down by the watchdog once */
};

static void watch_add(struct http_server *srv, struct MHD_Connection *conn, void **socket_ctx)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct conn_watch *w = xcalloc(1, sizeof(*w));
    w->fd = info ? info->connect_fd : -1;
    w->since_ms = clock_mono_ms();
    pthread_mutex_lock(&srv->watch_lock);
    w->next = srv->watched;
    if (srv->watched)
        srv->watched->prev = w;
    srv->watched = w;
    pthread_mutex_unlock(&srv->watch_lock);
    *socket_ctx = w;
}

static void watch_remove(struct http_server *srv, void **socket_ctx)
{
    struct conn_watch *w = *socket_ctx;
    if (!w)
        return;
    pthread_mutex_lock(&srv->watch_lock);
    if (w->prev)
        w->prev->next = w->next;
    else
        srv->watched = w->next;
    if (w->next)
        w->next->prev = w->prev;
    pthread_mutex_unlock(&srv->watch_lock);
    free(w);
    *socket_ctx = NULL;
}

/* A request begins (true) or ends (false) on conn. */
static void watch_request(struct http_server *srv, struct MHD_Connection *conn, bool begins)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct conn_watch *w = info ? info->socket_context : NULL;
    if (!w)
        return;
    pthread_mutex_lock(&srv->watch_lock);
    w->in_request = begins;
    w->since_ms = clock_mono_ms();
    pthread_mutex_unlock(&srv->watch_lock);
}

static void *watch_main(void *arg)
{
    struct http_server *srv = arg;
    int64_t limit_ms = srv->conf->http_idle_timeout_s * 1000;
    pthread_mutex_lock(&srv->watch_lock);
    while (!srv->watch_stop) {
        int64_t now = clock_mono_ms();
        for (struct conn_watch *w = srv->watched; w; w = w->next)
            if (!w->in_request && !w->shut && w->fd >= 0 && now - w->since_ms > limit_ms) {
                /* MHD sees the end of the stream and closes it as usual */
                shutdown(w->fd, SHUT_RDWR);
                w->shut = true;
            }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&srv->watch_wake, &srv->watch_lock, &until);
    }
    pthread_mutex_unlock(&srv->watch_lock);
    return NULL;
}

static void watch_stop(struct http_server *srv)
{
    if (!srv->watch_running)
        return;
    pthread_mutex_lock(&srv->watch_lock);
    srv->watch_stop = true;
    pthread_cond_signal(&srv->watch_wake);
    pthread_mutex_unlock(&srv->watch_lock);
    pthread_join(srv->watch_thread, NULL);
    srv->watch_running = false;
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    struct http_server *srv = cls;
    (void)addr;
    (void)addrlen;
    if (atomic_load(&srv->connections) < srv->conf->http_max_connections)
        return MHD_YES;
    metric_add(srv->m_rejected, METRIC_NO_LABELS, 1);
    return MHD_NO;
}

/* ---- start and stop ---------------------------------------------------------- */

static void mhd_log(void *cls, const char *fmt, va_list ap) ATTR_PRINTF(2, 0);

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    LOG_WARN("mhd", "%s", msg);
}

static void parse_cors(struct http_server *srv)
{
    struct span rest = span_cstr(srv->conf->cors_origins);
    while (rest.len) {
        struct span o = span_trim(span_cut(&rest, ','));
        if (!o.len)
            continue;
        srv->cors_origins =
            xrealloc(srv->cors_origins, st_mult(srv->n_cors_origins + 1, sizeof(char *)));
        srv->cors_origins[srv->n_cors_origins++] = xmemdupz(o.ptr, o.len);
    }
}

enum err_code http_server_start(const struct config *conf, const struct route *routes,
                                size_t n_routes, route_fn *guard, void *app,
                                struct http_server **out, struct err *err)
{
    *out = NULL;
    unsigned skip = conf->env == CONFIG_ENV_TEST ? 0 : ROUTE_TEST_ONLY;
    struct router *router = router_new(routes, n_routes, skip, err);
    if (!router)
        return ERR_INVALID;

    struct http_server *srv = xcalloc(1, sizeof(*srv));
    srv->conf = conf;
    srv->router = router;
    srv->guard = guard;
    srv->app = app;
    srv->listen_fd = -1;
    parse_cors(srv);
    char bad[64];
    if (!forwarded_parse_trusted(srv->conf->trusted_proxies, &srv->trusted, &srv->n_trusted, bad,
                                 sizeof(bad)))
        LOG_WARN("http", "TRUSTED_PROXIES: '%s' is not an address: no proxy is trusted", bad);
    pthread_mutex_init(&srv->web_dir_lock, NULL);
    pthread_mutex_init(&srv->watch_lock, NULL);
    pthread_cond_init(&srv->watch_wake, NULL);
    atomic_init(&srv->web_dir_fd, -1);
    (void)static_web_root(srv);
    srv->m_duration = metrics_histogram("http_request_duration_seconds",
                                        "Time from the first byte of a request to its completion",
                                        duration_buckets, ARRAY_SIZE(duration_buckets));
    srv->m_in_flight = metrics_gauge("http_requests_in_flight", "Requests being processed");
    srv->m_errors = metrics_counter("http_errors_total", "Error responses by error code");
    srv->m_sse_open = metrics_gauge("http_sse_streams_open", "Open Server-Sent Events streams");
    srv->m_rejected = metrics_counter("http_connections_rejected_total",
                                      "Connections closed at accept: HTTP_MAX_CONNECTIONS reached");
    metric_add(srv->m_rejected, METRIC_NO_LABELS, 0);
    metric_set(srv->m_in_flight, METRIC_NO_LABELS, 0);
    sse_server_init(srv);

    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)conf->port) };
    if (inet_pton(AF_INET, conf->bind_address, &addr.sin_addr) != 1) {
        err_set(err, ERR_INVALID, "BIND_ADDRESS", "BIND_ADDRESS: '%s' is not an IPv4 address",
                conf->bind_address);
        http_server_free(srv);
        return ERR_INVALID;
    }

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG;
    /* clang-format off */
    srv->daemon = MHD_start_daemon(
        flags, (uint16_t)conf->port, on_accept, srv, on_request, srv,
        /* the logger first, or MHD prints to stderr until it is set */
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)conf->http_threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(2 * conf->http_max_connections),
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)conf->http_max_conn_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)conf->http_idle_timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)conf->http_conn_memory_bytes,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_END);
    /* clang-format on */
    if (!srv->daemon) {
        err_set(err, ERR_UNAVAILABLE, "PORT", "cannot listen on %s:%" PRId64 " (%s)",
                conf->bind_address, conf->port, strerror(errno));
        http_server_free(srv);
        return ERR_UNAVAILABLE;
    }
    if (pthread_create(&srv->watch_thread, NULL, watch_main, srv) == 0)
        srv->watch_running = true;
    else
        LOG_ERROR("http", "cannot start the watchdog: slow headers are cut by nothing");
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : (int)conf->port;
    *out = srv;
    return ERR_OK;
}

int http_server_port(const struct http_server *s)
{
    return s->port;
}

long http_server_in_flight(const struct http_server *s)
{
    return atomic_load(&((struct http_server *)s)->in_flight);
}

long http_server_stop(struct http_server *s, int64_t grace_ms)
{
    if (!s->daemon)
        return 0;
    atomic_store(&s->stopping, true);
    /* stop accepting; the socket is ours to close, after MHD_stop_daemon */
    if (s->listen_fd < 0)
        s->listen_fd = MHD_quiesce_daemon(s->daemon);
    sse_close_all(s);
    int64_t deadline = clock_mono_ms() + grace_ms;
    while (atomic_load(&s->in_flight) > 0 && clock_mono_ms() < deadline)
        clock_sleep_ms(10);
    return atomic_load(&s->in_flight);
}

void http_server_free(struct http_server *s)
{
    if (!s)
        return;
    watch_stop(s);
    if (s->daemon) {
        sse_close_all(s);
        MHD_stop_daemon(s->daemon);
    }
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    sse_server_release(s);
    router_free(s->router);
    for (size_t i = 0; i < s->n_cors_origins; i++)
        free(s->cors_origins[i]);
    free(s->cors_origins);
    free(s->trusted);
    free(s->web_dir);
    if (atomic_load(&s->web_dir_fd) >= 0)
        close(atomic_load(&s->web_dir_fd));
    pthread_mutex_destroy(&s->web_dir_lock);
    pthread_mutex_destroy(&s->watch_lock);
    pthread_cond_destroy(&s->watch_wake);
    free(s);
}
