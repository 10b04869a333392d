/*
 * tests/unit/core/test_log.c - the JSON-lines logger (core/log.h) writing
 * into a fresh mkdtemp() LOG_DIR per test: every line parses as JSON with
 * ts/level/component/msg and typed fields, the level filter, the per-thread
 * request_id/run_id context, the error stream, the length caps, rotation
 * (live file size, gzip-compressed rotated files holding whole lines, at most
 * max_files kept per stream, no plain rotated file left), leftovers of a
 * previous process compressed at log_open(), and lines from concurrent
 * threads never interleaving. The console is off (-1) except where a pipe
 * stands in for it.
 */
#include "core/compat.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testutil.h"

#include <jansson.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"

#define FILE_MAX (64 * 1024 * 1024) /* largest log file a test reads */

#define LOG_VALUE_MAX 2048 /* log.c: a string field value longer than this is cut */
#define LOG_MSG_MAX   4096 /* log.c: the formatted message buffer, NUL included */

static char test_dir[PATH_MAX]; /* the current test's LOG_DIR */

/* ---- files and directories -------------------------------------------------------------- */

/* out = dir "/" name; fails the test when it does not fit. */
static void join(char out[PATH_MAX], const char *dir, const char *name)
{
    int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);
    assert_true(n > 0 && n < PATH_MAX);
}

/* Appends the whole file at path to out. */
static void read_plain(const char *path, struct buf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail_msg("cannot open %s: %s", path, strerror(errno));
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
        assert_true(buf_add(out, chunk, (size_t)n));
    assert_int_equal(n, 0);
    close(fd);
}

/* Appends the decompressed contents of the gzip file at path to out. */
static void read_gzip(const char *path, struct buf *out)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        fail_msg("cannot gzopen %s", path);
    assert_int_equal(gzdirect(gz), 0); /* really compressed, not plain text */
    char chunk[65536];
    int n;
    while ((n = gzread(gz, chunk, sizeof(chunk))) > 0)
        assert_true(buf_add(out, chunk, (size_t)n));
    assert_int_equal(n, 0);
    assert_int_equal(gzclose(gz), Z_OK);
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static off_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_size;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in test_dir that start with prefix and end with suffix. */
struct names {
    char **v;
    size_t n, alloc;
};

static void names_list(struct names *out, const char *prefix, const char *suffix)
{
    memset(out, 0, sizeof(*out));
    DIR *d = opendir(test_dir);
    assert_non_null(d);
    struct dirent *de;
    size_t plen = strlen(prefix), slen = strlen(suffix);
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len >= plen + slen && strncmp(de->d_name, prefix, plen) == 0 &&
            strcmp(de->d_name + len - slen, suffix) == 0) {
            ALLOC_GROW(out->v, out->n + 1, out->alloc);
            out->v[out->n++] = xstrdup(de->d_name);
        }
    }
    closedir(d);
    if (out->n)
        qsort(out->v, out->n, sizeof(*out->v), cmp_names);
}

static void names_release(struct names *n)
{
    for (size_t i = 0; i < n->n; i++)
        free(n->v[i]);
    free(n->v);
}

static size_t count_names(const char *prefix, const char *suffix)
{
    struct names n;
    names_list(&n, prefix, suffix);
    size_t count = n.n;
    names_release(&n);
    return count;
}

/* ---- lines ----------------------------------------------------------------------------- */

/*
 * Parses text as JSON lines into a new array of objects: every line must be
 * one whole JSON object without duplicate keys, and text must end with '\n'.
 */
static json_t *parse_lines(const struct buf *text)
{
    json_t *lines = json_array();
    if (text->len == 0)
        return lines;
    assert_int_equal(text->data[text->len - 1], '\n');
    const char *p = text->data, *end = text->data + text->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        assert_non_null(nl);
        json_error_t jerr;
        json_t *line = json_loadb(p, (size_t)(nl - p), JSON_REJECT_DUPLICATES, &jerr);
        if (!line)
            fail_msg("not a JSON line: '%.*s': %s", (int)(nl - p > 200 ? 200 : nl - p), p,
                     jerr.text);
        assert_true(json_is_object(line));
        json_array_append_new(lines, line);
        p = nl + 1;
    }
    return lines;
}

/* The parsed lines of test_dir/name (plain text). */
static json_t *lines_of(const char *name)
{
    char path[PATH_MAX];
    join(path, test_dir, name);
    struct buf text;
    buf_init(&text, FILE_MAX);
    read_plain(path, &text);
    json_t *lines = parse_lines(&text);
    buf_release(&text);
    return lines;
}

/* The parsed lines of the gzip file test_dir/name. */
static json_t *gz_lines_of(const char *name)
{
    char path[PATH_MAX];
    join(path, test_dir, name);
    struct buf text;
    buf_init(&text, FILE_MAX);
    read_gzip(path, &text);
    json_t *lines = parse_lines(&text);
    buf_release(&text);
    return lines;
}

static const char *str_of(const json_t *line, const char *key)
{
    return json_string_value(json_object_get(line, key));
}

/* Asserts that line i of lines has this level and msg. */
static void assert_line(const json_t *lines, size_t i, const char *level, const char *msg)
{
    const json_t *line = json_array_get(lines, i);
    assert_non_null(line);
    assert_string_equal(str_of(line, "level"), level);
    assert_string_equal(str_of(line, "msg"), msg);
}

/* ---- opening the log -------------------------------------------------------------------- */

static void open_log(enum log_level level, size_t max_bytes, unsigned max_files)
{
    struct log_options opts = {
        .level = level,
        .console_fd = -1,
        .dir = test_dir,
        .name = NULL,
        .max_bytes = max_bytes,
        .max_files = max_files,
    };
    struct err e = ERR_INIT;
    if (log_open(&opts, &e) != ERR_OK)
        fail_msg("log_open: %s", e.msg);
}

static int setup_dir(void **state)
{
    (void)state;
    int n = snprintf(test_dir, sizeof(test_dir), "/tmp/crowdelic-test-log-XXXXXX");
    assert_true(n > 0 && (size_t)n < sizeof(test_dir));
    if (!mkdtemp(test_dir))
        fail_msg("mkdtemp: %s", strerror(errno));
    return 0;
}

static int teardown_dir(void **state)
{
    (void)state;
    log_close();
    log_context_set(NULL, NULL);
    testutil_rmtree(test_dir);
    return 0;
}

/* ---- line format ------------------------------------------------------------------------- */

static void line_has_ts_level_component_and_msg(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, 0, 3);
    LOG_INFO("http", "listening on port %d", 8080);
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_int_equal(json_array_size(lines), 1);
    const json_t *line = json_array_get(lines, 0);
    assert_string_equal(str_of(line, "level"), "info");
    assert_string_equal(str_of(line, "component"), "http");
    assert_string_equal(str_of(line, "msg"), "listening on port 8080");
    assert_null(json_object_get(line, "request_id"));
    assert_null(json_object_get(line, "run_id"));
    json_decref(lines);
}

static void ts_is_the_current_utc_time_in_milliseconds(void **state)
{
    (void)state;
    char before[CLOCK_ISO8601_LEN], after[CLOCK_ISO8601_LEN];
    open_log(LOG_LEVEL_INFO, 0, 3);
    clock_iso8601(clock_now_ms(), before);
    LOG_INFO("t", "now");
    clock_iso8601(clock_now_ms(), after);
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    const char *ts = str_of(json_array_get(lines, 0), "ts");
    assert_non_null(ts);
    assert_int_equal(strlen(ts), CLOCK_ISO8601_LEN - 1);
    assert_true(strcmp(ts, before) >= 0);
    assert_true(strcmp(ts, after) <= 0);
    json_decref(lines);
}

static void fields_of_every_type_are_written(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, 0, 3);
    LOG_KV(LOG_LEVEL_INFO, "http", "request", LOG_STR("path", "/v1/\"x\""),
           LOG_INT("min", INT64_MIN), LOG_INT("status", 200), LOG_DBL("ms", 1.5),
           LOG_BOOL("yes", true), LOG_BOOL("no", false), LOG_STR("none", NULL));
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    const json_t *line = json_array_get(lines, 0);
    assert_string_equal(str_of(line, "msg"), "request");
    assert_string_equal(str_of(line, "path"), "/v1/\"x\"");
    assert_true(json_integer_value(json_object_get(line, "min")) == INT64_MIN);
    assert_int_equal(json_integer_value(json_object_get(line, "status")), 200);
    assert_true(json_is_real(json_object_get(line, "ms")));
    assert_true(json_real_value(json_object_get(line, "ms")) == 1.5);
    assert_true(json_is_true(json_object_get(line, "yes")));
    assert_true(json_is_false(json_object_get(line, "no")));
    assert_true(json_is_null(json_object_get(line, "none")));
    json_decref(lines);
}

static void non_finite_doubles_are_written_as_null(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, 0, 3);
    LOG_KV(LOG_LEVEL_INFO, "t", "m", LOG_DBL("nan", NAN), LOG_DBL("inf", INFINITY),
           LOG_DBL("ninf", -INFINITY));
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    const json_t *line = json_array_get(lines, 0);
    assert_true(json_is_null(json_object_get(line, "nan")));
    assert_true(json_is_null(json_object_get(line, "inf")));
    assert_true(json_is_null(json_object_get(line, "ninf")));
    json_decref(lines);
}

static void message_text_is_escaped_and_repaired(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, 0, 3);
    LOG_INFO("t", "q\"b\\n\nt\t\x01 bad\xff end");
    LOG_INFO(NULL, "no component");
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_int_equal(json_array_size(lines), 2);
    assert_line(lines, 0, "info", "q\"b\\n\nt\t\x01 bad\xef\xbf\xbd end");
    assert_string_equal(str_of(json_array_get(lines, 1), "component"), "-");
    json_decref(lines);
}

static void string_field_of_exactly_the_cap_is_kept_whole(void **state)
{
    (void)state;
    char *v = xmalloc(LOG_VALUE_MAX + 1);
    memset(v, 'v', LOG_VALUE_MAX);
    v[LOG_VALUE_MAX] = '\0';
    open_log(LOG_LEVEL_INFO, 0, 3);
    LOG_KV(LOG_LEVEL_INFO, "t", "m", LOG_STR("big", v));
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_string_equal(str_of(json_array_get(lines, 0), "big"), v);
    json_decref(lines);
    free(v);
}

static void string_field_one_past_the_cap_is_cut_and_marked(void **state)
{
    (void)state;
    char *v = xmalloc(LOG_VALUE_MAX + 2);
    memset(v, 'v', LOG_VALUE_MAX + 1);
    v[LOG_VALUE_MAX + 1] = '\0';
    open_log(LOG_LEVEL_INFO, 0, 3);
    LOG_KV(LOG_LEVEL_INFO, "t", "m", LOG_STR("big", v));
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    const char *got = str_of(json_array_get(lines, 0), "big");
    assert_int_equal(strlen(got), LOG_VALUE_MAX + 3);
    assert_memory_equal(got, v, LOG_VALUE_MAX);
    assert_string_equal(got + LOG_VALUE_MAX, "...");
    json_decref(lines);
    free(v);
}

static void long_message_is_cut_at_the_message_cap(void **state)
{
    (void)state;
    char *m = xmalloc(LOG_MSG_MAX + 1);
    memset(m, 'm', LOG_MSG_MAX);
    m[LOG_MSG_MAX] = '\0';
    open_log(LOG_LEVEL_INFO, 0, 3);
    LOG_INFO("t", "%s", m + 1); /* exactly what fits: LOG_MSG_MAX - 1 characters */
    LOG_INFO("t", "%s", m);     /* one more */
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_int_equal(json_array_size(lines), 2);
    assert_int_equal(strlen(str_of(json_array_get(lines, 0), "msg")), LOG_MSG_MAX - 1);
    assert_int_equal(strlen(str_of(json_array_get(lines, 1), "msg")), LOG_MSG_MAX - 1);
    json_decref(lines);
    free(m);
}

static void line_past_the_line_cap_is_replaced_by_a_marker_line(void **state)
{
    (void)state;
    /* control characters escape to six bytes: 6 fields of 2048 pass the 64 KiB line cap */
    char *v = xmalloc(LOG_VALUE_MAX + 1);
    memset(v, 0x01, LOG_VALUE_MAX);
    v[LOG_VALUE_MAX] = '\0';
    open_log(LOG_LEVEL_INFO, 0, 3);
    LOG_KV(LOG_LEVEL_WARN, "t", "huge", LOG_STR("a", v), LOG_STR("b", v), LOG_STR("c", v),
           LOG_STR("d", v), LOG_STR("e", v), LOG_STR("f", v));
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_int_equal(json_array_size(lines), 1);
    assert_line(lines, 0, "warn", "log line too long");
    assert_null(json_object_get(json_array_get(lines, 0), "a"));
    json_decref(lines);
    free(v);
}

/* ---- levels ---------------------------------------------------------------------------------- */

static void debug_lines_are_not_written_at_info_level(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, 0, 3);
    assert_false(log_enabled(LOG_LEVEL_DEBUG));
    assert_true(log_enabled(LOG_LEVEL_INFO));
    LOG_DEBUG("t", "hidden");
    LOG_KV(LOG_LEVEL_DEBUG, "t", "hidden too", LOG_INT("n", 1));
    LOG_INFO("t", "shown");
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_int_equal(json_array_size(lines), 1);
    assert_line(lines, 0, "info", "shown");
    json_decref(lines);
}

static void debug_lines_are_written_once_the_level_is_debug(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, 0, 3);
    log_set_level(LOG_LEVEL_DEBUG);
    LOG_DEBUG("t", "visible");
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_int_equal(json_array_size(lines), 1);
    assert_line(lines, 0, "debug", "visible");
    json_decref(lines);
}

static void warn_level_keeps_warn_and_error_only(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_WARN, 0, 3);
    LOG_DEBUG("t", "d");
    LOG_INFO("t", "i");
    LOG_WARN("t", "w");
    LOG_ERROR("t", "e");
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_int_equal(json_array_size(lines), 2);
    assert_line(lines, 0, "warn", "w");
    assert_line(lines, 1, "error", "e");
    json_decref(lines);
}

static void level_names_parse_back_and_others_are_refused(void **state)
{
    (void)state;
    static const enum log_level all[] = { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN,
                                          LOG_LEVEL_ERROR };
    for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
        enum log_level got = (enum log_level)99;
        assert_true(log_level_parse(log_level_name(all[i]), &got));
        assert_int_equal(got, all[i]);
    }
    enum log_level untouched = LOG_LEVEL_WARN;
    assert_false(log_level_parse("WARN", &untouched));
    assert_false(log_level_parse("", &untouched));
    assert_false(log_level_parse("verbose", &untouched));
    assert_int_equal(untouched, LOG_LEVEL_WARN);
    assert_string_equal(log_level_name(LOG_LEVEL_WARN), "warn");
}

/* ---- context ------------------------------------------------------------------------------- */

static void request_and_run_ids_appear_until_cleared(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, 0, 3);
    log_context_set("req-1", "run-9");
    LOG_INFO("t", "both");
    log_context_set("req-2", NULL);
    LOG_INFO("t", "request only");
    log_context_set(NULL, NULL);
    LOG_INFO("t", "none");
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_int_equal(json_array_size(lines), 3);
    assert_string_equal(str_of(json_array_get(lines, 0), "request_id"), "req-1");
    assert_string_equal(str_of(json_array_get(lines, 0), "run_id"), "run-9");
    assert_string_equal(str_of(json_array_get(lines, 1), "request_id"), "req-2");
    assert_null(json_object_get(json_array_get(lines, 1), "run_id"));
    assert_null(json_object_get(json_array_get(lines, 2), "request_id"));
    assert_null(json_object_get(json_array_get(lines, 2), "run_id"));
    json_decref(lines);
}

static void *log_from_other_thread(void *arg)
{
    (void)arg;
    LOG_INFO("t", "thread without context");
    log_context_set("thread-req", "thread-run");
    LOG_INFO("t", "thread with context");
    return NULL;
}

static void context_belongs_to_the_calling_thread(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, 0, 3);
    log_context_set("main-req", NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, log_from_other_thread, NULL), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    LOG_INFO("t", "main after thread");
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_int_equal(json_array_size(lines), 3);
    assert_line(lines, 0, "info", "thread without context");
    assert_null(json_object_get(json_array_get(lines, 0), "request_id"));
    assert_string_equal(str_of(json_array_get(lines, 1), "request_id"), "thread-req");
    assert_string_equal(str_of(json_array_get(lines, 1), "run_id"), "thread-run");
    assert_string_equal(str_of(json_array_get(lines, 2), "request_id"), "main-req");
    assert_null(json_object_get(json_array_get(lines, 2), "run_id"));
    json_decref(lines);
}

/* ---- streams and opening -------------------------------------------------------------------- */

static void error_lines_also_go_to_the_error_file(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_DEBUG, 0, 3);
    LOG_DEBUG("t", "d");
    LOG_INFO("t", "i");
    LOG_WARN("t", "w");
    LOG_ERROR("t", "e");
    log_close();
    json_t *all = lines_of("crowdelic.log");
    json_t *errors = lines_of("crowdelic-error.log");
    assert_int_equal(json_array_size(all), 4);
    assert_int_equal(json_array_size(errors), 1);
    assert_line(errors, 0, "error", "e");
    json_decref(all);
    json_decref(errors);
}

static void name_option_names_both_files(void **state)
{
    (void)state;
    struct log_options opts = {
        .level = LOG_LEVEL_INFO, .console_fd = -1, .dir = test_dir, .name = "worker"
    };
    assert_int_equal(log_open(&opts, NULL), ERR_OK);
    LOG_ERROR("t", "e");
    log_close();
    json_t *all = lines_of("worker.log");
    json_t *errors = lines_of("worker-error.log");
    assert_int_equal(json_array_size(all), 1);
    assert_int_equal(json_array_size(errors), 1);
    json_decref(all);
    json_decref(errors);
}

static void console_fd_receives_the_same_line(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    struct log_options opts = { .level = LOG_LEVEL_INFO, .console_fd = fds[1], .dir = NULL };
    assert_int_equal(log_open(&opts, NULL), ERR_OK);
    LOG_INFO("console", "to the pipe");
    log_close();
    struct log_options off = { .level = LOG_LEVEL_INFO, .console_fd = -1, .dir = NULL };
    assert_int_equal(log_open(&off, NULL), ERR_OK);
    close(fds[1]);

    struct buf text;
    buf_init(&text, FILE_MAX);
    char chunk[4096];
    ssize_t n;
    while ((n = read(fds[0], chunk, sizeof(chunk))) > 0)
        buf_add(&text, chunk, (size_t)n);
    close(fds[0]);
    json_t *lines = parse_lines(&text);
    assert_int_equal(json_array_size(lines), 1);
    assert_line(lines, 0, "info", "to the pipe");
    assert_int_equal(count_names("", ".log"), 0); /* no dir: no files */
    json_decref(lines);
    buf_release(&text);
}

static void open_creates_a_missing_directory(void **state)
{
    (void)state;
    char sub[PATH_MAX], file[PATH_MAX];
    join(sub, test_dir, "new");
    struct log_options opts = { .level = LOG_LEVEL_INFO, .console_fd = -1, .dir = sub };
    assert_int_equal(log_open(&opts, NULL), ERR_OK);
    LOG_INFO("t", "m");
    log_close();
    join(file, sub, "crowdelic.log");
    assert_true(file_size(file) > 0);
}

static void open_fails_with_invalid_when_the_directory_is_unusable(void **state)
{
    (void)state;
    char blocker[PATH_MAX], bad[PATH_MAX];
    join(blocker, test_dir, "file");
    write_file(blocker, "not a directory\n");
    join(bad, blocker, "logs");
    struct log_options opts = { .level = LOG_LEVEL_INFO, .console_fd = -1, .dir = bad };
    struct err e = ERR_INIT;
    assert_int_equal(log_open(&opts, &e), ERR_INVALID);
    assert_string_equal(e.field, "LOG_DIR");
    assert_non_null(strstr(e.msg, bad));
}

static void open_fails_when_a_log_file_cannot_be_opened(void **state)
{
    (void)state;
    char blocker[PATH_MAX];
    join(blocker, test_dir, "crowdelic-error.log");
    assert_int_equal(mkdir(blocker, 0750), 0); /* a directory where the file should be */
    struct log_options opts = { .level = LOG_LEVEL_INFO, .console_fd = -1, .dir = test_dir };
    struct err e = ERR_INIT;
    assert_int_equal(log_open(&opts, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, blocker));
}

/* ---- rotation ----------------------------------------------------------------------------------
 */

#define ROT_MAX_BYTES 1024
#define ROT_MAX_FILES 3
#define ROT_LINES     300
#define ROT_LINE_MAX  300 /* longer than any write_numbered() line */

/* Writes n lines numbered by "seq" at level, each about 200 bytes. */
static void write_numbered(int n, enum log_level level)
{
    static const char pad[] = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqr"
                              "stuvwxyz0123456789";
    for (int i = 0; i < n; i++)
        LOG_KV(level, "rot", "numbered line", LOG_INT("seq", i), LOG_STR("pad", pad));
}

/* Appends the "seq" of every line of lines to *seqs (an array of json integers). */
static void collect_seqs(json_t *seqs, const json_t *lines)
{
    size_t i;
    json_t *line;
    json_array_foreach (lines, i, line) {
        json_array_append(seqs, json_object_get(line, "seq"));
    }
}

/* Asserts that no rotated file was left uncompressed: only the two live files end in .log. */
static void assert_no_plain_rotated_files(const char *base)
{
    struct names all;
    names_list(&all, "", ".log");
    char live[64], live_err[64];
    snprintf(live, sizeof(live), "%s.log", base);
    snprintf(live_err, sizeof(live_err), "%s-error.log", base);
    for (size_t i = 0; i < all.n; i++)
        if (strcmp(all.v[i], live) != 0 && strcmp(all.v[i], live_err) != 0)
            fail_msg("uncompressed rotated file left: %s", all.v[i]);
    names_release(&all);
}

static void rotation_keeps_the_live_file_under_max_bytes_plus_one_line(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, ROT_MAX_BYTES, ROT_MAX_FILES);
    write_numbered(ROT_LINES, LOG_LEVEL_INFO);
    log_close();
    char live[PATH_MAX];
    join(live, test_dir, "crowdelic.log");
    json_t *lines = lines_of("crowdelic.log");
    assert_true(json_array_size(lines) > 0);
    assert_true(json_array_size(lines) < ROT_LINES);
    assert_true(file_size(live) <= ROT_MAX_BYTES + ROT_LINE_MAX);
    json_decref(lines);
}

static void rotation_keeps_at_most_max_files_gzip_files(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, ROT_MAX_BYTES, ROT_MAX_FILES);
    write_numbered(ROT_LINES, LOG_LEVEL_INFO);
    log_close();
    assert_int_equal(count_names("crowdelic.", ".log.gz"), ROT_MAX_FILES);
    assert_no_plain_rotated_files("crowdelic");
}

static void rotated_files_are_gzip_holding_whole_json_lines(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, ROT_MAX_BYTES, ROT_MAX_FILES);
    write_numbered(ROT_LINES, LOG_LEVEL_INFO);
    log_close();
    struct names gz;
    names_list(&gz, "crowdelic.", ".log.gz");
    assert_int_equal(gz.n, ROT_MAX_FILES);
    for (size_t i = 0; i < gz.n; i++) {
        json_t *lines = gz_lines_of(gz.v[i]); /* fails on a partial line */
        assert_true(json_array_size(lines) > 0);
        assert_string_equal(str_of(json_array_get(lines, 0), "msg"), "numbered line");
        json_decref(lines);
    }
    names_release(&gz);
}

static void kept_files_and_live_file_hold_the_newest_lines_without_gaps(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, ROT_MAX_BYTES, ROT_MAX_FILES);
    write_numbered(ROT_LINES, LOG_LEVEL_INFO);
    log_close();
    json_t *seqs = json_array();
    struct names gz;
    names_list(&gz, "crowdelic.", ".log.gz");
    for (size_t i = 0; i < gz.n; i++) {
        json_t *lines = gz_lines_of(gz.v[i]);
        collect_seqs(seqs, lines);
        json_decref(lines);
    }
    names_release(&gz);
    json_t *live = lines_of("crowdelic.log");
    collect_seqs(seqs, live);
    json_decref(live);

    size_t n = json_array_size(seqs);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        json_int_t want = ROT_LINES - (json_int_t)n + (json_int_t)i;
        if (json_integer_value(json_array_get(seqs, i)) != want)
            fail_msg("line %zu has seq %" JSON_INTEGER_FORMAT ", want %" JSON_INTEGER_FORMAT, i,
                     json_integer_value(json_array_get(seqs, i)), want);
    }
    json_decref(seqs);
}

static void error_stream_rotates_and_prunes_on_its_own(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, ROT_MAX_BYTES, ROT_MAX_FILES);
    write_numbered(ROT_LINES / 3, LOG_LEVEL_INFO);
    write_numbered(ROT_LINES, LOG_LEVEL_ERROR);
    log_close();
    assert_int_equal(count_names("crowdelic-error.", ".log.gz"), ROT_MAX_FILES);
    assert_int_equal(count_names("crowdelic.", ".log.gz"), ROT_MAX_FILES);
    json_t *errors = lines_of("crowdelic-error.log");
    size_t i;
    json_t *line;
    json_array_foreach (errors, i, line) {
        assert_string_equal(str_of(line, "level"), "error");
    }
    json_decref(errors);
    assert_no_plain_rotated_files("crowdelic");
}

/* The length of one write_numbered() line with a one-digit seq; leaves no file. */
static size_t numbered_line_len(void)
{
    char live[PATH_MAX];
    join(live, test_dir, "crowdelic.log");
    open_log(LOG_LEVEL_INFO, 0, 3);
    write_numbered(1, LOG_LEVEL_INFO);
    log_close();
    size_t one = (size_t)file_size(live);
    unlink(live);
    return one;
}

static void lines_filling_exactly_max_bytes_do_not_rotate(void **state)
{
    (void)state;
    size_t one = numbered_line_len();
    open_log(LOG_LEVEL_INFO, 2 * one, 3);
    write_numbered(2, LOG_LEVEL_INFO); /* seq 0 and 1: the same length */
    log_close();
    char live[PATH_MAX];
    join(live, test_dir, "crowdelic.log");
    assert_int_equal(file_size(live), 2 * one);
    assert_int_equal(count_names("crowdelic.", ".log.gz"), 0);
}

static void line_passing_max_bytes_by_one_byte_rotates_first(void **state)
{
    (void)state;
    size_t one = numbered_line_len();
    open_log(LOG_LEVEL_INFO, 2 * one - 1, 3);
    write_numbered(2, LOG_LEVEL_INFO);
    log_close();
    char live[PATH_MAX];
    join(live, test_dir, "crowdelic.log");
    assert_int_equal(file_size(live), one);
    struct names gz;
    names_list(&gz, "crowdelic.", ".log.gz");
    assert_int_equal(gz.n, 1);
    json_t *old = gz_lines_of(gz.v[0]);
    assert_int_equal(json_array_size(old), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(old, 0), "seq")), 0);
    json_decref(old);
    names_release(&gz);
}

static void existing_live_file_is_appended_and_counts_toward_rotation(void **state)
{
    (void)state;
    char live[PATH_MAX];
    join(live, test_dir, "crowdelic.log");
    write_file(live, "{\"msg\":\"from before\"}\n");
    open_log(LOG_LEVEL_INFO, 30, 3);
    LOG_INFO("t", "after");
    log_close();
    json_t *lines = lines_of("crowdelic.log");
    assert_int_equal(json_array_size(lines), 1);
    assert_string_equal(str_of(json_array_get(lines, 0), "msg"), "after");
    json_decref(lines);
    struct names gz;
    names_list(&gz, "crowdelic.", ".log.gz");
    assert_int_equal(gz.n, 1);
    json_t *old = gz_lines_of(gz.v[0]);
    assert_string_equal(str_of(json_array_get(old, 0), "msg"), "from before");
    json_decref(old);
    names_release(&gz);
}

/* ---- leftovers of a previous process ------------------------------------------------------ */

/* Creates n plain rotated files "<base>.20200101T00000<i>000Z.00000<i>.log", oldest first. */
static void make_leftovers(const char *base, int n)
{
    for (int i = 0; i < n; i++) {
        char name[128], path[PATH_MAX], text[128];
        snprintf(name, sizeof(name), "%s.20200101T00000%d000Z.00000%d.log", base, i, i);
        snprintf(text, sizeof(text), "{\"msg\":\"leftover %d\"}\n", i);
        join(path, test_dir, name);
        write_file(path, text);
    }
}

static void leftover_rotated_files_are_compressed_at_open(void **state)
{
    (void)state;
    make_leftovers("crowdelic", 1);
    make_leftovers("crowdelic-error", 1);
    char plain[PATH_MAX];
    join(plain, test_dir, "crowdelic.20200101T000000000Z.000000.log");
    assert_true(file_exists(plain));
    open_log(LOG_LEVEL_INFO, 0, 3);
    log_close();
    assert_false(file_exists(plain));
    assert_no_plain_rotated_files("crowdelic");
    json_t *main_lines = gz_lines_of("crowdelic.20200101T000000000Z.000000.log.gz");
    json_t *err_lines = gz_lines_of("crowdelic-error.20200101T000000000Z.000000.log.gz");
    assert_int_equal(json_array_size(main_lines), 1);
    assert_string_equal(str_of(json_array_get(main_lines, 0), "msg"), "leftover 0");
    assert_int_equal(json_array_size(err_lines), 1);
    json_decref(main_lines);
    json_decref(err_lines);
}

static void leftovers_up_to_max_files_are_all_kept(void **state)
{
    (void)state;
    make_leftovers("crowdelic", 3);
    open_log(LOG_LEVEL_INFO, 0, 3);
    log_close();
    assert_int_equal(count_names("crowdelic.", ".log.gz"), 3);
}

static void leftovers_past_max_files_lose_the_oldest(void **state)
{
    (void)state;
    make_leftovers("crowdelic", 4);
    open_log(LOG_LEVEL_INFO, 0, 3);
    log_close();
    struct names gz;
    names_list(&gz, "crowdelic.", ".log.gz");
    assert_int_equal(gz.n, 3);
    assert_string_equal(gz.v[0], "crowdelic.20200101T000001000Z.000001.log.gz");
    names_release(&gz);
}

static void max_files_zero_keeps_no_rotated_file(void **state)
{
    (void)state;
    make_leftovers("crowdelic", 2);
    open_log(LOG_LEVEL_INFO, 0, 0);
    log_close();
    assert_int_equal(count_names("crowdelic.", ".log.gz"), 0);
    assert_no_plain_rotated_files("crowdelic");
}

/* ---- threads ------------------------------------------------------------------------------------
 */

#define N_WRITERS    4
#define WRITER_LINES 500

static void *writer_main(void *arg)
{
    int id = (int)(intptr_t)arg;
    char value[1500];
    memset(value, 'a' + id, sizeof(value) - 1);
    value[sizeof(value) - 1] = '\0';
    for (int i = 0; i < WRITER_LINES; i++)
        LOG_KV(LOG_LEVEL_INFO, "w", "concurrent", LOG_INT("writer", id), LOG_INT("i", i),
               LOG_STR("value", value));
    return NULL;
}

static void run_writers(void)
{
    pthread_t t[N_WRITERS];
    for (int i = 0; i < N_WRITERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, writer_main, (void *)(intptr_t)i), 0);
    for (int i = 0; i < N_WRITERS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
}

static void lines_from_concurrent_threads_never_interleave(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, FILE_MAX, 3);
    run_writers();
    log_close();
    json_t *lines = lines_of("crowdelic.log"); /* fails on any mixed line */
    assert_int_equal(json_array_size(lines), N_WRITERS * WRITER_LINES);
    int per_writer[N_WRITERS] = { 0 };
    size_t i;
    json_t *line;
    json_array_foreach (lines, i, line) {
        json_int_t w = json_integer_value(json_object_get(line, "writer"));
        assert_true(w >= 0 && w < N_WRITERS);
        const char *v = str_of(line, "value");
        assert_int_equal(strspn(v, (char[]){ (char)('a' + w), '\0' }), 1499);
        assert_int_equal(json_integer_value(json_object_get(line, "i")), per_writer[w]);
        per_writer[w]++;
    }
    for (int w = 0; w < N_WRITERS; w++)
        assert_int_equal(per_writer[w], WRITER_LINES);
    json_decref(lines);
}

static void concurrent_writers_during_rotation_leave_only_whole_lines(void **state)
{
    (void)state;
    open_log(LOG_LEVEL_INFO, 16 * 1024, ROT_MAX_FILES);
    run_writers();
    log_close();
    struct names gz;
    names_list(&gz, "crowdelic.", ".log.gz");
    assert_int_equal(gz.n, ROT_MAX_FILES);
    for (size_t i = 0; i < gz.n; i++)
        json_decref(gz_lines_of(gz.v[i]));
    names_release(&gz);
    json_decref(lines_of("crowdelic.log"));
    assert_no_plain_rotated_files("crowdelic");
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(line_has_ts_level_component_and_msg),
        TEST(ts_is_the_current_utc_time_in_milliseconds),
        TEST(fields_of_every_type_are_written),
        TEST(non_finite_doubles_are_written_as_null),
        TEST(message_text_is_escaped_and_repaired),
        TEST(string_field_of_exactly_the_cap_is_kept_whole),
        TEST(string_field_one_past_the_cap_is_cut_and_marked),
        TEST(long_message_is_cut_at_the_message_cap),
        TEST(line_past_the_line_cap_is_replaced_by_a_marker_line),
        TEST(debug_lines_are_not_written_at_info_level),
        TEST(debug_lines_are_written_once_the_level_is_debug),
        TEST(warn_level_keeps_warn_and_error_only),
        TEST(level_names_parse_back_and_others_are_refused),
        TEST(request_and_run_ids_appear_until_cleared),
        TEST(context_belongs_to_the_calling_thread),
        TEST(error_lines_also_go_to_the_error_file),
        TEST(name_option_names_both_files),
        TEST(console_fd_receives_the_same_line),
        TEST(open_creates_a_missing_directory),
        TEST(open_fails_with_invalid_when_the_directory_is_unusable),
        TEST(open_fails_when_a_log_file_cannot_be_opened),
        TEST(rotation_keeps_the_live_file_under_max_bytes_plus_one_line),
        TEST(rotation_keeps_at_most_max_files_gzip_files),
        TEST(rotated_files_are_gzip_holding_whole_json_lines),
        TEST(kept_files_and_live_file_hold_the_newest_lines_without_gaps),
        TEST(error_stream_rotates_and_prunes_on_its_own),
        TEST(lines_filling_exactly_max_bytes_do_not_rotate),
        TEST(line_passing_max_bytes_by_one_byte_rotates_first),
        TEST(existing_live_file_is_appended_and_counts_toward_rotation),
        TEST(leftover_rotated_files_are_compressed_at_open),
        TEST(leftovers_up_to_max_files_are_all_kept),
        TEST(leftovers_past_max_files_lose_the_oldest),
        TEST(max_files_zero_keeps_no_rotated_file),
        TEST(lines_from_concurrent_threads_never_interleave),
        TEST(concurrent_writers_during_rotation_leave_only_whole_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
