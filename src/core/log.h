/*
 * core/log.h - the JSON-lines logger (STYLE.md 3.10).
 *
 * One line per event: {"ts","level","component","msg","request_id"?,"run_id"?,
 * fields...}. Each line is formatted into one buffer and written with a
 * single write(2), so lines from different threads never interleave. With a
 * directory, lines also go to <dir>/<name>.log, rotated past max_bytes; the
 * rotated file is gzip-compressed by a background thread and only the newest
 * max_files are kept. Error lines also go to <dir>/<name>-error.log, rotated
 * the same way.
 *
 * Threading: every function may be called from any thread; log_open() and
 * log_close() only from main, before and after the other threads.
 * The LOG_* macros test the level before formatting anything.
 */
#ifndef CORE_LOG_H
#define CORE_LOG_H

#include "core/compat.h"
#include "core/err.h"

enum log_level {
    LOG_LEVEL_DEBUG,
    LOG_LEVEL_INFO,
    LOG_LEVEL_WARN,
    LOG_LEVEL_ERROR,
};

enum log_field_type {
    LOG_FIELD_STR,
    LOG_FIELD_INT,
    LOG_FIELD_DBL,
    LOG_FIELD_BOOL,
};

struct log_field {
    const char *key;
    enum log_field_type type;
    union {
        const char *s; /* NULL is written as null */
        int64_t i;
        double d;
        bool b;
    } v;
};

#define LOG_STR(k, val) ((struct log_field){ .key = (k), .type = LOG_FIELD_STR, .v.s = (val) })
#define LOG_INT(k, val) \
    ((struct log_field){ .key = (k), .type = LOG_FIELD_INT, .v.i = (int64_t)(val) })
#define LOG_DBL(k, val) \
    ((struct log_field){ .key = (k), .type = LOG_FIELD_DBL, .v.d = (double)(val) })
#define LOG_BOOL(k, val) ((struct log_field){ .key = (k), .type = LOG_FIELD_BOOL, .v.b = (val) })

struct log_options {
    enum log_level level;
    int console_fd;     /* 1 in serve, 2 in CLI commands, -1 for none */
    const char *dir;    /* NULL or "": no files */
    const char *name;   /* file base name; "crowdelic" when NULL */
    size_t max_bytes;   /* rotate a file once it would grow past this */
    unsigned max_files; /* compressed rotated files kept per stream */
};

/*
 * Applies opts. Creates dir when missing, opens the files, compresses rotated
 * files a previous process left uncompressed. Returns ERR_INVALID with a
 * message naming the path when the directory or a file cannot be opened.
 * Before log_open() the logger writes info and above to stderr.
 */
enum err_code log_open(const struct log_options *opts, struct err *err);
/*
 * Closes the files, waits until every rotated file is compressed, and
 * returns to the state before log_open() (info and above to stderr).
 */
void log_close(void);

bool log_enabled(enum log_level level);
void log_set_level(enum log_level level);
const char *log_level_name(enum log_level level);
/* Parses "debug", "info", "warn" or "error"; false otherwise. */
bool log_level_parse(const char *s, enum log_level *out);

/*
 * The request id and run id of the calling thread, added to its lines until
 * changed; NULL clears. The strings are borrowed: keep them alive until the
 * context is cleared.
 */
void log_context_set(const char *request_id, const char *run_id);

/* Writes one line. fields may be NULL when n_fields is 0. */
void log_emit(enum log_level level, const char *component, const struct log_field *fields,
              size_t n_fields, const char *fmt, ...) ATTR_PRINTF(5, 6);

#define LOG_AT_(lvl, comp, ...)                            \
    do {                                                   \
        if (log_enabled(lvl))                              \
            log_emit((lvl), (comp), NULL, 0, __VA_ARGS__); \
    } while (0)

#define LOG_ERROR(comp, ...) LOG_AT_(LOG_LEVEL_ERROR, comp, __VA_ARGS__)
#define LOG_WARN(comp, ...)  LOG_AT_(LOG_LEVEL_WARN, comp, __VA_ARGS__)
#define LOG_INFO(comp, ...)  LOG_AT_(LOG_LEVEL_INFO, comp, __VA_ARGS__)
#define LOG_DEBUG(comp, ...) LOG_AT_(LOG_LEVEL_DEBUG, comp, __VA_ARGS__)

/* A line with structured fields: LOG_KV(LOG_LEVEL_INFO, "http", "request", LOG_INT("status", 200))
 */
#define LOG_FIELDS_(...)                       \
    (const struct log_field[]){ __VA_ARGS__ }, \
        (sizeof((const struct log_field[]){ __VA_ARGS__ }) / sizeof(struct log_field))
#define LOG_KV(lvl, comp, msg, ...)                                         \
    do {                                                                    \
        if (log_enabled(lvl))                                               \
            log_emit((lvl), (comp), LOG_FIELDS_(__VA_ARGS__), "%s", (msg)); \
    } while (0)

#endif
