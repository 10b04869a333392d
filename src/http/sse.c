/*
 * http/sse.c - event streams: the queue between producer threads and the
 * connection, suspend/resume around it, the heartbeat thread and the
 * registry of open streams.
 *
 * Locks: srv->sse_lock guards the registry and is never held while taking a
 * stream's lock or entering MHD (sweeps work on a snapshot of references).
 * MHD_resume_connection is called without the stream lock held;
 * MHD_suspend_connection is called by the content reader with it held (the
 * reader runs on the connection's HTTP thread).
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "http/internal.h"
#include "http/request.h"
#include "http/sse.h"

#define SSE_BLOCK         16384 /* bytes MHD asks the reader for at most */
#define SSE_ID_MAX_DIGITS 16    /* ids up to 2^53, exact in a JavaScript number */
#define SSE_ID_MAX        (UINT64_C(1) << 53)
#define SSE_RETRY_MS      2000 /* EventSource reconnection delay we suggest */

struct sse_stream {
    atomic_int refs;
    struct http_server *srv;
    struct req *req; /* valid while the response lives (reader calls only) */
    struct MHD_Connection *conn;
    pthread_mutex_t lock;
    struct buf queue; /* bytes not yet handed to MHD */
    bool closed;      /* no more events; end once the queue is drained */
    bool gone;        /* the response was destroyed: client left or stream ended */
    bool suspended;   /* the reader suspended the connection; a send must resume it */
    int64_t last_write_ms;
    struct sse_stream *prev, *next; /* registry, under srv->sse_lock */
};

/* ---- wire format ----------------------------------------------------------- */

void sse_format_event(struct buf *out, uint64_t id, const char *event, const char *data, size_t len)
{
    if (id)
        buf_addf(out, "id: %" PRIu64 "\n", id);
    if (event) {
        buf_adds(out, "event: ");
        for (const char *p = event; *p; p++)
            if (*p != '\n' && *p != '\r')
                buf_addch(out, *p);
        buf_addch(out, '\n');
    }
    /* one data: line per line; a final line break adds no empty line */
    size_t i = 0;
    for (;;) {
        size_t j = i;
        while (j < len && data[j] != '\n' && data[j] != '\r')
            j++;
        buf_adds(out, "data: ");
        if (j > i)
            buf_add(out, data + i, j - i);
        buf_addch(out, '\n');
        if (j >= len)
            break;
        if (data[j] == '\r' && j + 1 < len && data[j + 1] == '\n')
            j++;
        i = j + 1;
        if (i >= len)
            break;
    }
    buf_addch(out, '\n');
}

bool sse_parse_event_id(const char *s, size_t n, uint64_t *out)
{
    if (n == 0 || n > SSE_ID_MAX_DIGITS)
        return false;
    return span_parse_u64(span_make(s, n), SSE_ID_MAX, out);
}

enum err_code sse_last_event_id(const struct req *req, uint64_t *out, struct err *err)
{
    const char *name = "Last-Event-ID";
    const char *v = req_header(req, name);
    if (!v) {
        name = "last_event_id";
        v = req_query(req, name);
    }
    *out = 0;
    if (!v || !*v)
        return ERR_OK;
    if (!sse_parse_event_id(v, strlen(v), out))
        return err_set(err, ERR_INVALID, name,
                       "%s: '%.40s' is not an event id (expected 1..%" PRIu64 ")", name, v,
                       SSE_ID_MAX);
    return ERR_OK;
}

/* ---- reference counting ------------------------------------------------------ */

void sse_ref(struct sse_stream *s)
{
    atomic_fetch_add(&s->refs, 1);
}

void sse_unref(struct sse_stream *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    buf_release(&s->queue);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* ---- the connection side ------------------------------------------------------- */

static ssize_t sse_reader(void *cls, uint64_t pos, char *out, size_t max)
{
    struct sse_stream *s = cls;
    (void)pos;
    ssize_t ret;
    pthread_mutex_lock(&s->lock);
    if (s->queue.len) {
        size_t n = s->queue.len < max ? s->queue.len : max;
        memcpy(out, s->queue.data, n);
        memmove(s->queue.data, s->queue.data + n, s->queue.len - n);
        buf_truncate(&s->queue, s->queue.len - n);
        s->req->bytes += n;
        ret = (ssize_t)n;
    } else if (s->closed) {
        ret = MHD_CONTENT_READER_END_OF_STREAM;
    } else {
        /* never return 0 without suspending: MHD would spin (libs.md 3.1) */
        s->suspended = true;
        MHD_suspend_connection(s->conn);
        ret = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return ret;
}

static void registry_remove(struct sse_stream *s)
{
    struct http_server *srv = s->srv;
    pthread_mutex_lock(&srv->sse_lock);
    if (s->prev)
        s->prev->next = s->next;
    else if (srv->streams == s)
        srv->streams = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->prev = s->next = NULL;
    srv->n_streams--;
    metric_set(srv->m_sse_open, METRIC_NO_LABELS, (double)srv->n_streams);
    pthread_mutex_unlock(&srv->sse_lock);
}

/* The response is gone (stream ended, client left, server stopping). */
static void sse_response_freed(void *cls)
{
    struct sse_stream *s = cls;
    pthread_mutex_lock(&s->lock);
    s->gone = true;
    s->closed = true;
    s->req = NULL;
    pthread_mutex_unlock(&s->lock);
    registry_remove(s);
    sse_unref(s);
}

/* ---- the producer side ---------------------------------------------------------- */

/*
 * Under s->lock: the connection to resume when the reader has suspended it
 * (and the stream still has a response), or NULL. The caller resumes it
 * after unlocking.
 */
static struct MHD_Connection *take_wake(struct sse_stream *s)
{
    if (!s->suspended || s->gone)
        return NULL;
    s->suspended = false;
    return s->conn;
}

/* Appends bytes to the queue and wakes the connection; the lock is not held. */
static enum err_code enqueue(struct sse_stream *s, const struct buf *chunk, struct err *err)
{
    enum err_code rc = ERR_OK;
    pthread_mutex_lock(&s->lock);
    if (s->closed) {
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "event stream is closed");
    } else if (chunk->failed || s->queue.len + chunk->len > s->queue.max) {
        /* the client is too far behind: end the stream, it resumes by id */
        s->closed = true;
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "event stream closed: client too far behind");
    } else {
        buf_add(&s->queue, chunk->data, chunk->len);
        s->last_write_ms = clock_mono_ms();
    }
    struct MHD_Connection *wake = take_wake(s);
    pthread_mutex_unlock(&s->lock);
    if (wake)
        MHD_resume_connection(wake);
    return rc;
}

enum err_code sse_send(struct sse_stream *s, uint64_t id, const char *event, const char *data,
                       size_t len, struct err *err)
{
    struct buf chunk;
    buf_init(&chunk, s->queue.max);
    sse_format_event(&chunk, id, event, data, len);
    enum err_code rc = enqueue(s, &chunk, err);
    buf_release(&chunk);
    return rc;
}

enum err_code sse_comment(struct sse_stream *s, const char *text, struct err *err)
{
    struct buf chunk;
    buf_init(&chunk, 1024);
    buf_adds(&chunk, ": ");
    for (const char *p = text; *p; p++)
        if (*p != '\n' && *p != '\r')
            buf_addch(&chunk, *p);
    buf_adds(&chunk, "\n\n");
    enum err_code rc = enqueue(s, &chunk, err);
    buf_release(&chunk);
    return rc;
}

void sse_close(struct sse_stream *s)
{
    pthread_mutex_lock(&s->lock);
    s->closed = true;
    struct MHD_Connection *wake = take_wake(s);
    pthread_mutex_unlock(&s->lock);
    if (wake)
        MHD_resume_connection(wake);
}

bool sse_is_open(struct sse_stream *s)
{
    pthread_mutex_lock(&s->lock);
    bool open = !s->closed;
    pthread_mutex_unlock(&s->lock);
    return open;
}

enum err_code sse_open(struct req *req, struct sse_stream **out, struct err *err)
{
    struct http_server *srv = req->srv;
    *out = NULL;
    if (atomic_load(&srv->stopping))
        return err_set(err, ERR_UNAVAILABLE, NULL, "server is shutting down");

    struct sse_stream *s = xcalloc(1, sizeof(*s));
    atomic_init(&s->refs, 2); /* the response's and the caller's */
    s->srv = srv;
    s->req = req;
    s->conn = req->conn;
    pthread_mutex_init(&s->lock, NULL);
    buf_init(&s->queue, (size_t)srv->conf->sse_queue_bytes);
    buf_addf(&s->queue, "retry: %d\n\n", SSE_RETRY_MS);
    s->last_write_ms = clock_mono_ms();

    pthread_mutex_lock(&srv->sse_lock);
    if (srv->n_streams >= (size_t)srv->conf->sse_max_streams) {
        pthread_mutex_unlock(&srv->sse_lock);
        buf_release(&s->queue);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return err_set(err, ERR_UNAVAILABLE, NULL,
                       "too many open event streams (limit %" PRId64 ")",
                       srv->conf->sse_max_streams);
    }
    s->next = srv->streams;
    if (srv->streams)
        srv->streams->prev = s;
    srv->streams = s;
    srv->n_streams++;
    metric_set(srv->m_sse_open, METRIC_NO_LABELS, (double)srv->n_streams);
    pthread_mutex_unlock(&srv->sse_lock);

    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, SSE_BLOCK,
                                                               sse_reader, s, sse_response_freed);
    if (!r)
        BUG("MHD_create_response_from_callback failed");
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "X-Accel-Buffering", "no"); /* nginx: do not buffer */
    resp_install(req, r, 200, "text/event-stream; charset=utf-8", 0);
    *out = s;
    return ERR_OK;
}

/* ---- heartbeat and shutdown ---------------------------------------------------------- */

/*
 * References to every open stream, taken under the registry lock, so the
 * caller can act on them without holding it (MHD is never entered with the
 * registry lock held). *n is set; free the array with release_snapshot().
 */
static struct sse_stream **snapshot(struct http_server *srv, size_t *n)
{
    pthread_mutex_lock(&srv->sse_lock);
    struct sse_stream **all = xcalloc(srv->n_streams ? srv->n_streams : 1, sizeof(*all));
    size_t k = 0;
    for (struct sse_stream *s = srv->streams; s; s = s->next) {
        sse_ref(s);
        all[k++] = s;
    }
    pthread_mutex_unlock(&srv->sse_lock);
    *n = k;
    return all;
}

static void release_snapshot(struct sse_stream **all, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sse_unref(all[i]);
    free(all);
}

static void *heartbeat_main(void *arg)
{
    struct http_server *srv = arg;
    int64_t every_ms = srv->conf->sse_heartbeat_s * 1000;
    int64_t tick_ms = every_ms < 1000 ? every_ms : 1000;
    pthread_mutex_lock(&srv->sse_lock);
    while (!srv->heartbeat_stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += tick_ms / 1000;
        until.tv_nsec += (tick_ms % 1000) * 1000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&srv->sse_wake, &srv->sse_lock, &until);
        if (srv->heartbeat_stop)
            break;
        pthread_mutex_unlock(&srv->sse_lock);

        size_t n;
        struct sse_stream **all = snapshot(srv, &n);
        int64_t now = clock_mono_ms();
        for (size_t i = 0; i < n; i++) {
            pthread_mutex_lock(&all[i]->lock);
            bool due = !all[i]->closed && now - all[i]->last_write_ms >= every_ms;
            pthread_mutex_unlock(&all[i]->lock);
            if (due)
                sse_comment(all[i], "ping", NULL);
        }
        release_snapshot(all, n);
        pthread_mutex_lock(&srv->sse_lock);
    }
    pthread_mutex_unlock(&srv->sse_lock);
    return NULL;
}

void sse_server_init(struct http_server *srv)
{
    pthread_mutex_init(&srv->sse_lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_cond_init(&srv->sse_wake, &ca);
    pthread_condattr_destroy(&ca);
    srv->heartbeat_stop = false;
    if (pthread_create(&srv->heartbeat_thread, NULL, heartbeat_main, srv) == 0)
        srv->heartbeat_running = true;
    else
        LOG_ERROR("sse", "cannot start the heartbeat thread: event streams get no keep-alive");
}

void sse_close_all(struct http_server *srv)
{
    size_t n;
    struct sse_stream **all = snapshot(srv, &n);
    for (size_t i = 0; i < n; i++)
        sse_close(all[i]);
    release_snapshot(all, n);
}

void sse_server_release(struct http_server *srv)
{
    if (srv->heartbeat_running) {
        pthread_mutex_lock(&srv->sse_lock);
        srv->heartbeat_stop = true;
        pthread_cond_broadcast(&srv->sse_wake);
        pthread_mutex_unlock(&srv->sse_lock);
        pthread_join(srv->heartbeat_thread, NULL);
        srv->heartbeat_running = false;
    }
    pthread_cond_destroy(&srv->sse_wake);
    pthread_mutex_destroy(&srv->sse_lock);
}
