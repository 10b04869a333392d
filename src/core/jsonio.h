/*
 * core/jsonio.h - the JSON helpers every edge uses (STYLE.md 3.7): parsing a
 * request or model body strictly, validating an object against a field
 * table, building strings from untrusted text, and serialising.
 *
 * Ownership follows jansson: functions returning json_t * return a new
 * reference; the table check borrows. Reentrant.
 */
#ifndef CORE_JSONIO_H
#define CORE_JSONIO_H

#include "core/compat.h"
#include "core/err.h"

#include <jansson.h>

/*
 * Parses p[0..n) (not NUL-terminated) into *out (a new reference): an object
 * or an array, duplicate keys rejected. On failure returns ERR_BAD_JSON with
 * "line L column C: reason" in err->msg and leaves *out NULL.
 */
enum err_code jsonio_parse(const char *p, size_t n, json_t **out, struct err *err);

enum jfield_type {
    JF_STRING,
    JF_INT,
    JF_NUMBER, /* integer or real */
    JF_BOOL,
    JF_OBJECT,
    JF_ARRAY,
    JF_ANY,
};

#define JF_REQUIRED (1u << 0) /* the key must be present */
#define JF_NULLABLE (1u << 1) /* null is accepted as "not given" */
#define JF_BOUNDED  (1u << 2) /* check [min, max]: string length in characters, */
                              /* integer value, number value, array length */

struct jfield {
    const char *name;
    enum jfield_type type;
    unsigned flags;
    int64_t min, max; /* used with JF_BOUNDED */
};

/*
 * Checks that obj is an object whose keys are all in fields, that each
 * required field is present, and that each value has its type and bounds.
 * prefix names obj's own path for messages ("" at the top, "config.model"
 * deeper). Returns ERR_INVALID with err->field set to the full path of the
 * first bad field. Borrows everything.
 */
enum err_code jsonio_check(const json_t *obj, const struct jfield *fields, size_t n_fields,
                           const char *prefix, struct err *err);

/*
 * The string obj[key] (borrowed from obj) into *out, or NULL when absent,
 * null or not a string (jsonio_check has already refused a wrong type).
 * ERR_INVALID naming key for a string holding U+0000, which C strings
 * cannot carry.
 */
enum err_code jsonio_get_str(const json_t *obj, const char *key, const char **out, struct err *err);

/*
 * The JSON Schema name of v's type: "object", "array", "string", "integer",
 * "number" (a real), "boolean", "null"; "nothing" for NULL. For messages.
 */
const char *jsonio_kind(const json_t *v);

/*
 * A new JSON string from arbitrary bytes: invalid UTF-8 becomes U+FFFD, so
 * it never fails (STYLE.md J3). Aborts only when memory runs out.
 */
json_t *jsonio_string(const char *s, size_t n);
/* obj[key] = jsonio_string(s); s may be NULL for null. */
void jsonio_set_str(json_t *obj, const char *key, const char *s);
/* obj[key] = value (stolen); aborts if jansson refuses, which only OOM causes. */
void jsonio_set_new(json_t *obj, const char *key, json_t *value);

/*
 * Serialises j compactly (plus extra jansson flags; reals with 15
 * significant digits, so 7.2 prints as 7.2, or with 17 when j holds a real
 * that 15 would round past the largest double) into a malloc'd string,
 * storing its length in *len when len is not NULL. Never NULL.
 */
char *jsonio_dump(const json_t *j, size_t extra_flags, size_t *len);

#endif
