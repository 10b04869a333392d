/*
 * domain/check.c - the shared input checks (domain/check.h).
 */
#include "core/compat.h"

#include "domain/check.h"

#include "core/ids.h"
#include "core/utf8.h"

#define QUOTED_ID_MAX 64 /* bytes of a bad id quoted back */

static bool bad_control(unsigned char ch, bool multiline)
{
    if (multiline && (ch == '\n' || ch == '\r' || ch == '\t'))
        return false;
    return ch < 0x20 || ch == 0x7f;
}

enum err_code check_text(const char *field, const char *s, size_t min, size_t max, unsigned rules,
                         struct span *out, struct err *err)
{
    struct span v = span_cstr(s ? s : "");
    if (rules & TEXT_TRIM)
        v = span_trim(v);
    if (!utf8_valid(v.ptr, v.len))
        return err_set(err, ERR_INVALID, field, "%s: not valid UTF-8 text", field);
    for (size_t i = 0; i < v.len; i++)
        if (bad_control((unsigned char)v.ptr[i], rules & TEXT_MULTILINE))
            return err_set(err, ERR_INVALID, field, "%s: control characters are not allowed",
                           field);
    size_t chars = utf8_chars(v.ptr, v.len);
    if (chars < min)
        return err_set(err, ERR_INVALID, field, "%s must not be empty", field);
    if (chars > max)
        return err_set(err, ERR_INVALID, field, "%s: at most %zu characters (got %zu)", field, max,
                       chars);
    *out = v;
    return ERR_OK;
}

enum err_code check_id(const char *id, const char *what, struct err *err)
{
    size_t len = id ? strlen(id) : 0;
    if (len && ids_is_uuid(id, len))
        return ERR_OK;
    return err_set(err, ERR_NOT_FOUND, "id", "no %s '%.*s'", what,
                   (int)(len > QUOTED_ID_MAX ? QUOTED_ID_MAX : len), id ? id : "");
}

enum err_code check_page(int64_t limit, int64_t offset, int64_t max, struct err *err)
{
    if (limit < 1 || limit > max)
        return err_set(err, ERR_INVALID, "limit", "limit: %" PRId64 " is not in 1..%" PRId64, limit,
                       max);
    if (offset < 0)
        return err_set(err, ERR_INVALID, "offset", "offset: %" PRId64 " is negative", offset);
    return ERR_OK;
}
