/*
 * core/err.c - the error table and err_set(). Reentrant; no global state.
 */
#include "core/compat.h"

#include "core/err.h"

static const struct {
    int status;
    const char *slug;
} err_table[] = {
#define X(name, status, slug) [ERR_##name] = { status, slug },
    ERR_CODES(X)
#undef X
};

static_assert(ARRAY_SIZE(err_table) == ERR_COUNT_, "err_table covers every code");

enum err_code err_set(struct err *e, enum err_code code, const char *field, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

enum err_code err_recast(struct err *e, enum err_code code, const char *field)
{
    if (e) {
        e->code = code;
        snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
    }
    return code;
}

void err_prefix(struct err *e, const char *prefix)
{
    if (!e)
        return;
    size_t plen = strlen(prefix);
    if (plen + 2 >= sizeof(e->msg))
        plen = sizeof(e->msg) - 3;
    size_t mlen = strlen(e->msg);
    if (plen + 2 + mlen >= sizeof(e->msg))
        mlen = sizeof(e->msg) - plen - 3; /* the tail of the message is cut */
    memmove(e->msg + plen + 2, e->msg, mlen);
    memcpy(e->msg, prefix, plen);
    e->msg[plen] = ':';
    e->msg[plen + 1] = ' ';
    e->msg[plen + 2 + mlen] = '\0';
}

void err_clear(struct err *e)
{
    if (!e)
        return;
    e->code = ERR_OK;
    e->field[0] = '\0';
    e->msg[0] = '\0';
}

int err_http_status(enum err_code code)
{
    if ((unsigned)code >= ERR_COUNT_)
        return 500;
    return err_table[code].status;
}

const char *err_slug(enum err_code code)
{
    if ((unsigned)code >= ERR_COUNT_)
        return "internal";
    return err_table[code].slug;
}

void bug_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
