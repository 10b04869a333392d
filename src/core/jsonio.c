/*
 * core/jsonio.c - strict parsing, table-driven validation and safe string
 * construction on top of jansson.
 */
#include "core/compat.h"

#include <math.h>

#include "core/buf.h"
#include "core/jsonio.h"
#include "core/utf8.h"
#include "core/xalloc.h"

enum err_code jsonio_parse(const char *p, size_t n, json_t **out, struct err *err)
{
    *out = NULL;
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i == n)
        return err_set(err, ERR_BAD_JSON, NULL, "body is empty: expected a JSON object");

    json_error_t jerr;
    json_t *root = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return err_set(err, ERR_BAD_JSON, NULL, "line %d column %d: %s", jerr.line, jerr.column,
                       jerr.text);
    *out = root;
    return ERR_OK;
}

static const char *type_name(enum jfield_type t)
{
    switch (t) {
    case JF_STRING:
        return "a string";
    case JF_INT:
        return "an integer";
    case JF_NUMBER:
        return "a number";
    case JF_BOOL:
        return "true or false";
    case JF_OBJECT:
        return "an object";
    case JF_ARRAY:
        return "an array";
    case JF_ANY:
        break;
    }
    return "a value";
}

const char *jsonio_kind(const json_t *v)
{
    if (!v)
        return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
        return "null";
    }
    return "value";
}

static bool type_matches(const json_t *v, enum jfield_type t)
{
    switch (t) {
    case JF_STRING:
        return json_is_string(v);
    case JF_INT:
        return json_is_integer(v);
    case JF_NUMBER:
        return json_is_number(v);
    case JF_BOOL:
        return json_is_boolean(v);
    case JF_OBJECT:
        return json_is_object(v);
    case JF_ARRAY:
        return json_is_array(v);
    case JF_ANY:
        return true;
    }
    return false;
}

static void join_path(char *out, size_t n, const char *prefix, const char *name)
{
    if (prefix && *prefix)
        snprintf(out, n, "%s.%s", prefix, name);
    else
        snprintf(out, n, "%s", name);
}

/* Checks the bounds of one value whose type already matched. */
static enum err_code check_bounds(const json_t *v, const struct jfield *f, const char *path,
                                  struct err *err)
{
    switch (f->type) {
    case JF_STRING: {
        size_t chars = utf8_chars(json_string_value(v), json_string_length(v));
        if ((int64_t)chars < f->min || (int64_t)chars > f->max) {
            if (f->min > 0 && chars == 0)
                return err_set(err, ERR_INVALID, path, "'%s' must not be empty", path);
            return err_set(err, ERR_INVALID, path,
                           "'%s' must be %" PRId64 " to %" PRId64 " characters long (got %zu)",
                           path, f->min, f->max, chars);
        }
        break;
    }
    case JF_INT: {
        json_int_t x = json_integer_value(v);
        if (x < f->min || x > f->max)
            return err_set(err, ERR_INVALID, path,
                           "'%s' must be between %" PRId64 " and %" PRId64
                           " (got %" JSON_INTEGER_FORMAT ")",
                           path, f->min, f->max, x);
        break;
    }
    case JF_NUMBER: {
        double x = json_number_value(v);
        if (x < (double)f->min || x > (double)f->max)
            return err_set(err, ERR_INVALID, path,
                           "'%s' must be between %" PRId64 " and %" PRId64 " (got %g)", path,
                           f->min, f->max, x);
        break;
    }
    case JF_ARRAY: {
        size_t len = json_array_size(v);
        if ((int64_t)len < f->min || (int64_t)len > f->max)
            return err_set(err, ERR_INVALID, path,
                           "'%s' must have %" PRId64 " to %" PRId64 " items (got %zu)", path,
                           f->min, f->max, len);
        break;
    }
    default:
        break;
    }
    return ERR_OK;
}

enum err_code jsonio_check(const json_t *obj, const struct jfield *fields, size_t n_fields,
                           const char *prefix, struct err *err)
{
    char path[128];
    if (!json_is_object(obj))
        return err_set(err, ERR_INVALID, prefix, "%s%smust be an object (got %s)",
                       prefix && *prefix ? prefix : "", prefix && *prefix ? " " : "body ",
                       jsonio_kind(obj));

    const char *key;
    json_t *value;
    json_object_foreach ((json_t *)obj, key, value) {
        bool known = false;
        for (size_t i = 0; i < n_fields && !known; i++)
            known = strcmp(fields[i].name, key) == 0;
        if (!known) {
            join_path(path, sizeof(path), prefix, key);
            return err_set(err, ERR_INVALID, path, "unknown field '%s'", path);
        }
    }

    for (size_t i = 0; i < n_fields; i++) {
        const struct jfield *f = &fields[i];
        const json_t *v = json_object_get(obj, f->name);
        join_path(path, sizeof(path), prefix, f->name);
        if (!v || json_is_null(v)) {
            if (v && !(f->flags & JF_NULLABLE))
                return err_set(err, ERR_INVALID, path, "'%s' must be %s, not null", path,
                               type_name(f->type));
            if (f->flags & JF_REQUIRED)
                return err_set(err, ERR_INVALID, path, "'%s' is required", path);
            continue;
        }
        if (!type_matches(v, f->type))
            return err_set(err, ERR_INVALID, path, "'%s' must be %s (got %s)", path,
                           type_name(f->type), jsonio_kind(v));
        if (f->flags & JF_BOUNDED) {
            enum err_code rc = check_bounds(v, f, path, err);
            if (rc)
                return rc;
        }
    }
    return ERR_OK;
}

json_t *jsonio_string(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    if (!j) {
        /* invalid UTF-8: replace the bad bytes and try again */
        struct buf b;
        buf_init(&b, st_add(st_mult(n, 3), 1));
        buf_add_utf8_repaired(&b, s, n);
        j = json_stringn(b.data, b.len);
        buf_release(&b);
    }
    if (!j) {
        fprintf(stderr, "fatal: out of memory building a JSON string\n");
        abort();
    }
    return j;
}

void jsonio_set_new(json_t *obj, const char *key, json_t *value)
{
    if (json_object_set_new(obj, key, value) != 0)
        BUG("json_object_set_new('%s') failed", key);
}

void jsonio_set_str(json_t *obj, const char *key, const char *s)
{
    jsonio_set_new(obj, key, s ? jsonio_string(s, strlen(s)) : json_null());
}

/*
 * Does j hold a real that 15 digits round past DBL_MAX ("1.79769313486232e308",
 * which no parser reads back)? Those are written with 17.
 */
static bool has_edge_real(const json_t *j)
{
    const char *key;
    const json_t *v;
    size_t i;
    switch (json_typeof(j)) {
    case JSON_REAL:
        return fabs(json_real_value(j)) > 1.79769313486231e308;
    case JSON_ARRAY:
        json_array_foreach (j, i, v)
            if (has_edge_real(v))
                return true;
        return false;
    case JSON_OBJECT:
        json_object_foreach ((json_t *)j, key, v)
            if (has_edge_real(v))
                return true;
        return false;
    default:
        return false;
    }
}

char *jsonio_dump(const json_t *j, size_t extra_flags, size_t *len)
{
    /* 15 significant digits: 7.2 stays "7.2" (17 would print 7.2000000000000002) */
    int digits = has_edge_real(j) ? 17 : 15;
    char *out = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(digits) | extra_flags);
    if (!out) {
        /* jansson fails only on OOM or a non-container root */
        BUG("json_dumps failed");
    }
    if (len)
        *len = strlen(out);
    return out;
}

enum err_code jsonio_get_str(const json_t *obj, const char *key, const char **out, struct err *err)
{
    const json_t *v = json_object_get(obj, key);
    *out = json_is_string(v) ? json_string_value(v) : NULL;
    if (*out && strlen(*out) != json_string_length(v))
        return err_set(err, ERR_INVALID, key, "%s: must not contain U+0000", key);
    return ERR_OK;
}
