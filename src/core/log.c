/*
 * core/log.c - the JSON-lines logger: formatting, the console stream, the
 * rotated files and the compressor thread.
 *
 * State is process-wide (there is one log). The level is an atomic read on
 * every LOG_* call; file writes and rotation happen under one mutex; gzip
 * runs on a background thread so a request that triggers a rotation only
 * pays for a rename.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <zlib.h>

#define LOG_LINE_MAX  (64 * 1024) /* a line longer than this is cut and marked */
#define LOG_MSG_MAX   4096        /* the formatted message part */
#define LOG_VALUE_MAX 2048        /* one string field value */

/* ---- state --------------------------------------------------------------- */

struct log_stream {
    char *path; /* <dir>/<base>.log */
    char *base; /* file name without ".log" */
    int fd;     /* -1 when closed */
    size_t size;
    bool rotate_failed; /* reported once */
};

struct compress_job {
    struct compress_job *next;
    char *path; /* rotated plain file, compressed then unlinked */
    char *base; /* which stream it came from, for pruning */
};

static atomic_int log_level_cur = LOG_LEVEL_INFO;
static int log_console_fd = 2;
static _Thread_local const char *ctx_request_id;
static _Thread_local const char *ctx_run_id;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char *log_dir;
static size_t log_max_bytes;
static unsigned log_max_files;
static unsigned log_rotate_seq;
static struct log_stream log_main = { .fd = -1 };
static struct log_stream log_errors = { .fd = -1 };

static pthread_mutex_t gz_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gz_cond = PTHREAD_COND_INITIALIZER;
static struct compress_job *gz_head, *gz_tail;
static bool gz_stop;
static bool gz_running;
static pthread_t gz_thread;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

/* ---- levels and context ---------------------------------------------------- */

bool log_enabled(enum log_level level)
{
    return (int)level >= atomic_load_explicit(&log_level_cur, memory_order_relaxed);
}

void log_set_level(enum log_level level)
{
    atomic_store(&log_level_cur, (int)level);
}

const char *log_level_name(enum log_level level)
{
    if ((unsigned)level >= ARRAY_SIZE(level_names))
        return "error";
    return level_names[level];
}

bool log_level_parse(const char *s, enum log_level *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(level_names); i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return true;
        }
    }
    return false;
}

void log_context_set(const char *request_id, const char *run_id)
{
    ctx_request_id = request_id;
    ctx_run_id = run_id;
}

/* ---- writing ------------------------------------------------------------- */

/* write(2) all of p, retrying on EINTR and short writes; errors are dropped. */
static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

static void add_json_str(struct buf *b, const char *s, size_t max)
{
    size_t n = strlen(s);
    buf_addch(b, '"');
    buf_add_json_escaped(b, s, n > max ? max : n);
    if (n > max)
        buf_adds(b, "...");
    buf_addch(b, '"');
}

static void add_field(struct buf *b, const struct log_field *f)
{
    buf_addch(b, ',');
    add_json_str(b, f->key, 64);
    buf_addch(b, ':');
    switch (f->type) {
    case LOG_FIELD_STR:
        if (f->v.s)
            add_json_str(b, f->v.s, LOG_VALUE_MAX);
        else
            buf_adds(b, "null");
        break;
    case LOG_FIELD_INT:
        buf_addf(b, "%" PRId64, f->v.i);
        break;
    case LOG_FIELD_DBL:
        if (f->v.d == f->v.d && f->v.d - f->v.d == 0) /* finite */
            buf_addf(b, "%.6g", f->v.d);
        else
            buf_adds(b, "null");
        break;
    case LOG_FIELD_BOOL:
        buf_adds(b, f->v.b ? "true" : "false");
        break;
    }
}

static void gz_enqueue(const char *path, const char *base);

/* Moves the current file aside and opens a fresh one. Called under log_lock. */
static void rotate(struct log_stream *s)
{
    char stamp[32];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);

    struct buf rotated;
    buf_init(&rotated, PATH_MAX);
    buf_addf(&rotated, "%s/%s.%s%03ldZ.%06u.log", log_dir, s->base, stamp, ts.tv_nsec / 1000000,
             ++log_rotate_seq % 1000000);
    close(s->fd);
    s->fd = -1;
    bool moved = rename(s->path, rotated.data) == 0;
    if (moved)
        gz_enqueue(rotated.data, s->base);
    buf_release(&rotated);
    s->fd = open(s->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (!moved) {
        /* the file could not be moved aside: keep appending, and say so once */
        struct stat st;
        s->size = s->fd >= 0 && fstat(s->fd, &st) == 0 ? (size_t)st.st_size : 0;
        if (!s->rotate_failed)
            fprintf(stderr, "log: cannot rotate %s: %s\n", s->path, strerror(errno));
        s->rotate_failed = true;
        return;
    }
    s->size = 0;
}

static void stream_write(struct log_stream *s, const char *line, size_t n)
{
    if (s->fd < 0)
        return;
    if (s->size > 0 && s->size + n > log_max_bytes)
        rotate(s);
    if (s->fd < 0)
        return;
    write_all(s->fd, line, n);
    s->size += n;
}

void log_emit(enum log_level level, const char *component, const struct log_field *fields,
              size_t n_fields, const char *fmt, ...)
{
    char msg[LOG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    char ts[CLOCK_ISO8601_LEN];
    clock_iso8601(clock_now_ms(), ts);

    struct buf b;
    buf_init(&b, LOG_LINE_MAX);
    buf_addf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"component\":", ts, log_level_name(level));
    add_json_str(&b, component ? component : "-", 64);
    buf_adds(&b, ",\"msg\":");
    add_json_str(&b, msg, LOG_MSG_MAX);
    if (ctx_request_id) {
        buf_adds(&b, ",\"request_id\":");
        add_json_str(&b, ctx_request_id, 64);
    }
    if (ctx_run_id) {
        buf_adds(&b, ",\"run_id\":");
        add_json_str(&b, ctx_run_id, 64);
    }
    for (size_t i = 0; i < n_fields; i++)
        add_field(&b, &fields[i]);
    buf_adds(&b, "}\n");
    if (b.failed) {
        /* cannot happen with the caps above, but never write half a line */
        buf_reset(&b);
        buf_addf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"log line too long\"}\n", ts,
                 log_level_name(level));
    }

    if (log_console_fd >= 0)
        write_all(log_console_fd, b.data, b.len);
    if (log_dir) {
        pthread_mutex_lock(&log_lock);
        stream_write(&log_main, b.data, b.len);
        if (level >= LOG_LEVEL_ERROR)
            stream_write(&log_errors, b.data, b.len);
        pthread_mutex_unlock(&log_lock);
    }
    buf_release(&b);
}

/* ---- compression and pruning ------------------------------------------------ */

/* gzip src into src.gz; true on success (src is then removed). */
static bool gzip_file(const char *src)
{
    char dst[PATH_MAX];
    if ((size_t)snprintf(dst, sizeof(dst), "%s.gz", src) >= sizeof(dst))
        return false;
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return false;
    gzFile out = gzopen(dst, "wb6");
    bool ok = out != NULL;
    char chunk[64 * 1024];
    while (ok) {
        ssize_t n = read(in, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        ok = gzwrite(out, chunk, (unsigned)n) == (int)n;
    }
    close(in);
    if (out && gzclose(out) != Z_OK)
        ok = false;
    if (ok)
        unlink(src);
    else
        unlink(dst);
    return ok;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keeps the newest log_max_files "<base>.<stamp>.log.gz" files in log_dir. */
static void prune(const char *base)
{
    DIR *d = opendir(log_dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, alloc = 0;
    size_t blen = strlen(base);
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len > blen + 8 && strncmp(de->d_name, base, blen) == 0 && de->d_name[blen] == '.' &&
            strcmp(de->d_name + len - 7, ".log.gz") == 0) {
            ALLOC_GROW(names, n + 1, alloc);
            names[n++] = xstrdup(de->d_name);
        }
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (i + log_max_files < n) {
            char path[PATH_MAX];
            if ((size_t)snprintf(path, sizeof(path), "%s/%s", log_dir, names[i]) < sizeof(path))
                unlink(path);
        }
        free(names[i]);
    }
    free(names);
}

static void *gz_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&gz_lock);
    for (;;) {
        while (!gz_head && !gz_stop)
            pthread_cond_wait(&gz_cond, &gz_lock);
        if (!gz_head && gz_stop)
            break;
        struct compress_job *job = gz_head;
        gz_head = job->next;
        if (!gz_head)
            gz_tail = NULL;
        pthread_mutex_unlock(&gz_lock);

        if (!gzip_file(job->path)) {
            /* stderr, not the log: we may be inside a rotation storm */
            fprintf(stderr, "log: could not compress %s: %s\n", job->path, strerror(errno));
        }
        prune(job->base);
        free(job->path);
        free(job->base);
        free(job);

        pthread_mutex_lock(&gz_lock);
    }
    pthread_mutex_unlock(&gz_lock);
    return NULL;
}

static void gz_enqueue(const char *path, const char *base)
{
    struct compress_job *job = xcalloc(1, sizeof(*job));
    job->path = xstrdup(path);
    job->base = xstrdup(base);
    pthread_mutex_lock(&gz_lock);
    if (gz_tail)
        gz_tail->next = job;
    else
        gz_head = job;
    gz_tail = job;
    pthread_cond_signal(&gz_cond);
    pthread_mutex_unlock(&gz_lock);
}

/* Queues rotated files that a previous process left uncompressed. */
static void gz_enqueue_leftovers(const char *base)
{
    DIR *d = opendir(log_dir);
    if (!d)
        return;
    size_t blen = strlen(base);
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        /* "<base>.<stamp>.log" but not the live "<base>.log" */
        if (len > blen + 5 && strncmp(de->d_name, base, blen) == 0 && de->d_name[blen] == '.' &&
            strcmp(de->d_name + len - 4, ".log") == 0 && len != blen + 4) {
            char path[PATH_MAX];
            if ((size_t)snprintf(path, sizeof(path), "%s/%s", log_dir, de->d_name) < sizeof(path))
                gz_enqueue(path, base);
        }
    }
    closedir(d);
}

/* ---- open and close ------------------------------------------------------ */

static enum err_code stream_open(struct log_stream *s, const char *base, struct err *err)
{
    struct buf p;
    buf_init(&p, PATH_MAX);
    buf_addf(&p, "%s/%s.log", log_dir, base);
    if (p.failed) {
        buf_release(&p);
        return err_set(err, ERR_INVALID, "LOG_DIR", "LOG_DIR: path too long");
    }
    s->fd = open(p.data, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (s->fd < 0) {
        err_set(err, ERR_INVALID, "LOG_DIR", "LOG_DIR: cannot open '%s': %s", p.data,
                strerror(errno));
        buf_release(&p);
        return ERR_INVALID;
    }
    struct stat st;
    s->size = fstat(s->fd, &st) == 0 ? (size_t)st.st_size : 0;
    s->path = buf_detach(&p, NULL);
    s->base = xstrdup(base);
    return ERR_OK;
}

static void stream_close(struct log_stream *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    FREE_AND_NULL(s->path);
    FREE_AND_NULL(s->base);
    s->size = 0;
}

enum err_code log_open(const struct log_options *opts, struct err *err)
{
    log_close(); /* a second open replaces the first */
    log_set_level(opts->level);
    log_console_fd = opts->console_fd;
    if (!opts->dir || !*opts->dir)
        return ERR_OK;

    if (mkdir(opts->dir, 0750) != 0 && errno != EEXIST)
        return err_set(err, ERR_INVALID, "LOG_DIR", "LOG_DIR: cannot create '%s': %s", opts->dir,
                       strerror(errno));
    const char *name = opts->name ? opts->name : "crowdelic";
    char error_base[128];
    snprintf(error_base, sizeof(error_base), "%s-error", name);

    pthread_mutex_lock(&log_lock);
    log_dir = xstrdup(opts->dir);
    log_max_bytes = opts->max_bytes ? opts->max_bytes : 10 * 1024 * 1024;
    log_max_files = opts->max_files;
    enum err_code rc = stream_open(&log_main, name, err);
    if (!rc)
        rc = stream_open(&log_errors, error_base, err);
    if (rc) {
        stream_close(&log_main);
        FREE_AND_NULL(log_dir);
        pthread_mutex_unlock(&log_lock);
        return rc;
    }
    pthread_mutex_unlock(&log_lock);

    gz_stop = false;
    if (pthread_create(&gz_thread, NULL, gz_main, NULL) == 0)
        gz_running = true;
    gz_enqueue_leftovers(name);
    gz_enqueue_leftovers(error_base);
    return ERR_OK;
}

void log_close(void)
{
    if (gz_running) {
        pthread_mutex_lock(&gz_lock);
        gz_stop = true;
        pthread_cond_signal(&gz_cond);
        pthread_mutex_unlock(&gz_lock);
        pthread_join(gz_thread, NULL);
        gz_running = false;
    }
    pthread_mutex_lock(&log_lock);
    stream_close(&log_main);
    stream_close(&log_errors);
    FREE_AND_NULL(log_dir);
    pthread_mutex_unlock(&log_lock);
    log_console_fd = 2; /* back to the state before log_open() */
    log_set_level(LOG_LEVEL_INFO);
    /* jobs queued after the thread stopped (none in practice) are dropped */
    while (gz_head) {
        struct compress_job *job = gz_head;
        gz_head = job->next;
        free(job->path);
        free(job->base);
        free(job);
    }
    gz_tail = NULL;
}
