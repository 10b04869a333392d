/*
 * llm/schema.c - the JSON Schema subset validator of llm/schema.h: checking
 * a schema (schema_check) and validating a model's answer against it
 * (schema_validate).
 *
 * Invariants: nothing is allocated that outlives a call; recursion follows
 * the schema (properties, items, additionalProperties, anyOf) and is cut at
 * SCHEMA_MAX_DEPTH levels, and a value nested deeper than that is refused
 * before any keyword runs, so json_equal (enum, const, uniqueItems) never
 * walks an unbounded value. Paths are JSON Pointers built in a fixed buffer
 * on the stack. Messages are written for the model that will read them in a
 * re-ask: the pointer of the bad value, then what is wrong with it.
 *
 * Threading: pure functions of their arguments; reentrant. The json_t
 * arguments are only read, so several threads may validate against one
 * shared schema as long as nobody changes it.
 */
#include "core/compat.h"

#include "llm/schema.h"

#include <math.h>

#include "core/buf.h"
#include "core/jsonio.h"
#include "core/utf8.h"

/* uniqueItems compares every pair; longer arrays are refused (work bound). */
#define UNIQUE_MAX_ITEMS 1000

/* Bytes of a value or key quoted in a message before it is cut with "...". */
#define SHOW_MAX 60

/* ---- JSON Pointers ------------------------------------------------------------- */

/*
 * A JSON Pointer under construction: segments are pushed before a recursive
 * call and popped after it. A segment that does not fit is cut; messages are
 * shorter than the buffer anyway.
 */
struct ptr {
    char s[512];
    size_t len;
};

/*
 * Appends "/" and key[0..len) with '~' as "~0" and '/' as "~1" (a NUL byte
 * in a key ends it here; a cut falls between characters); returns the
 * length to pop back to.
 */
static size_t ptr_push_keyn(struct ptr *p, const char *key, size_t len)
{
    size_t old = p->len;
    size_t cap = sizeof(p->s) - 1;
    if (p->len < cap)
        p->s[p->len++] = '/';
    size_t i = 0;
    while (i < len && key[i]) {
        const char *esc = key[i] == '~' ? "~0" : key[i] == '/' ? "~1" : NULL;
        const char *from = esc ? esc : key + i;
        size_t n = esc ? 2 : 1;
        while (!esc && i + n < len && ((unsigned char)key[i + n] & 0xc0) == 0x80)
            n++; /* the continuation bytes of this character */
        if (p->len + n > cap)
            break;
        memcpy(p->s + p->len, from, n);
        p->len += n;
        i += esc ? 1 : n;
    }
    p->s[p->len] = '\0';
    return old;
}

static size_t ptr_push_key(struct ptr *p, const char *key)
{
    return ptr_push_keyn(p, key, strlen(key));
}

/* Appends "/<i>"; returns the length to pop back to. */
static size_t ptr_push_index(struct ptr *p, size_t i)
{
    char num[32];
    snprintf(num, sizeof(num), "%zu", i);
    return ptr_push_key(p, num);
}

static void ptr_pop(struct ptr *p, size_t old)
{
    p->len = old;
    p->s[old] = '\0';
}

/* The pointer as err->field holds it: "" for the root. */
static const char *ptr_field(const struct ptr *p)
{
    return p->s;
}

/*
 * The pointer as messages show it: "/" for the root, and a pointer longer
 * than PTR_SHOW_MAX bytes shortened in the middle with "...", so that the
 * reason after it still fits in err->msg.
 */
#define PTR_SHOW_MAX 120
struct ptr_text {
    char s[PTR_SHOW_MAX + 8];
};

static struct ptr_text ptr_show(const struct ptr *p)
{
    struct ptr_text t;
    if (p->len == 0) {
        memcpy(t.s, "/", 2);
    } else if (p->len <= PTR_SHOW_MAX) {
        memcpy(t.s, p->s, p->len + 1);
    } else {
        size_t head = utf8_cut(p->s, p->len, PTR_SHOW_MAX / 3);
        size_t tail = p->len - (PTR_SHOW_MAX - PTR_SHOW_MAX / 3 - 3);
        while (tail < p->len && ((unsigned char)p->s[tail] & 0xc0) == 0x80)
            tail++;
        memcpy(t.s, p->s, head);
        memcpy(t.s + head, "...", 3);
        memcpy(t.s + head + 3, p->s + tail, p->len - tail + 1);
    }
    return t;
}

/* ---- showing values in messages ------------------------------------------------ */

/* Formats a real with the fewest digits (15 to 17) that read back as the same double. */
static void fmt_real(double x, char *out, size_t n)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, n, "%.*g", prec, x);
        if (strtod(out, NULL) == x)
            return;
    }
}

/*
 * The first cap bytes of a serialisation. (json_dumpb cannot do this: it
 * skips a chunk that does not fit whole, leaving the rest of the buffer
 * unwritten.) Stops the dump once the buffer is full, which also bounds the
 * work on a large value.
 */
struct capped {
    char *p;
    size_t cap;
    size_t used; /* bytes in p; reaching cap means the dump was cut */
};

static int dump_capped(const char *chunk, size_t n, void *data)
{
    struct capped *c = data;
    size_t room = c->cap - c->used;
    size_t k = n < room ? n : room;
    memcpy(c->p + c->used, chunk, k);
    c->used += k;
    return c->used == c->cap ? -1 : 0;
}

/* A string value between quote characters, JSON-escaped, cut after SHOW_MAX bytes with "...". */
static void show_string(const json_t *v, char quote, char *out, size_t n)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    size_t cut = utf8_cut(s, len, SHOW_MAX);
    struct buf b;
    buf_init(&b, 8 * SHOW_MAX);
    buf_addch(&b, quote);
    buf_add_json_escaped(&b, s, cut);
    if (cut < len)
        buf_adds(&b, "...");
    buf_addch(&b, quote);
    snprintf(out, n, "%s", b.data);
    buf_release(&b);
}

/*
 * Writes v into out as messages show it: a string in single quotes (JSON
 * escapes for quotes and control characters), a number in its shortest
 * form, anything else as compact JSON; cut at about SHOW_MAX bytes with
 * "...".
 */
static void show_value(const json_t *v, char *out, size_t n)
{
    if (json_is_string(v)) {
        show_string(v, '\'', out, n);
    } else if (json_is_integer(v)) {
        snprintf(out, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_real(v)) {
        fmt_real(json_real_value(v), out, n);
    } else {
        char tmp[SHOW_MAX + 1];
        struct capped c = { .p = tmp, .cap = sizeof(tmp), .used = 0 };
        json_dump_callback(v, dump_capped, &c, JSON_COMPACT | JSON_ENCODE_ANY);
        if (c.used <= SHOW_MAX) {
            snprintf(out, n, "%.*s", (int)c.used, tmp);
        } else {
            size_t cut = utf8_cut(tmp, sizeof(tmp), SHOW_MAX);
            snprintf(out, n, "%.*s...", (int)cut, tmp);
        }
    }
}

/* Like show_value, but strings in double quotes as JSON writes them (for enum lists). */
static void show_json(const json_t *v, char *out, size_t n)
{
    if (json_is_string(v))
        show_string(v, '"', out, n);
    else
        show_value(v, out, n);
}

/* Shows key[0..len) quoted and cut like a string value. */
static void show_key(const char *key, size_t len, char *out, size_t n)
{
    json_t *k = jsonio_string(key, len);
    show_value(k, out, n);
    json_decref(k);
}

/* ---- numbers and types --------------------------------------------------------- */

/* True for a JSON integer or a finite real with no fractional part. */
static bool is_integral(const json_t *v)
{
    if (json_is_integer(v))
        return true;
    if (!json_is_real(v))
        return false;
    double x = json_real_value(v);
    return isfinite(x) && floor(x) == x;
}

/* Compares two numbers: exactly when both are JSON integers, as doubles otherwise. */
static int num_cmp(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b)) {
        json_int_t x = json_integer_value(a), y = json_integer_value(b);
        return (x > y) - (x < y);
    }
    double x = json_number_value(a), y = json_number_value(b);
    return (x > y) - (x < y);
}

/*
 * Reads a length keyword: a non-negative integer (a JSON integer or an
 * integral real), saturated at SIZE_MAX. False for anything else.
 */
static bool get_count(const json_t *kw, size_t *out)
{
    if (!is_integral(kw))
        return false;
    if (json_is_integer(kw)) {
        json_int_t x = json_integer_value(kw);
        if (x < 0)
            return false;
        *out = (uint64_t)x > SIZE_MAX ? SIZE_MAX : (size_t)x;
        return true;
    }
    double x = json_real_value(kw);
    if (x < 0)
        return false;
    *out = x >= (double)SIZE_MAX ? SIZE_MAX : (size_t)x;
    return true;
}

static const char *const type_names[] = {
    "object", "array", "string", "number", "integer", "boolean", "null",
};

/* Whether t is a JSON string holding exactly one of the type names (no NUL tricks). */
static bool is_type_name(const json_t *t)
{
    if (!json_is_string(t))
        return false;
    const char *s = json_string_value(t);
    if (strlen(s) != json_string_length(t))
        return false;
    for (size_t i = 0; i < ARRAY_SIZE(type_names); i++)
        if (strcmp(s, type_names[i]) == 0)
            return true;
    return false;
}

/* Whether v is of the JSON Schema type name. */
static bool type_matches(const char *name, const json_t *v)
{
    if (strcmp(name, "object") == 0)
        return json_is_object(v);
    if (strcmp(name, "array") == 0)
        return json_is_array(v);
    if (strcmp(name, "string") == 0)
        return json_is_string(v);
    if (strcmp(name, "number") == 0)
        return json_is_number(v);
    if (strcmp(name, "integer") == 0)
        return is_integral(v);
    if (strcmp(name, "boolean") == 0)
        return json_is_boolean(v);
    if (strcmp(name, "null") == 0)
        return json_is_null(v);
    return false;
}

/*
 * Whether v holds a value nested more than limit containers deep; on true,
 * *p is left at the first such value's pointer (for messages).
 */
static bool too_deep(const json_t *v, int limit, struct ptr *p)
{
    if (json_is_object(v)) {
        if (limit == 0)
            return json_object_size(v) > 0;
        const char *key;
        size_t key_len;
        json_t *child;
        json_object_keylen_foreach((json_t *)v, key, key_len, child)
        {
            size_t old = ptr_push_keyn(p, key, key_len);
            if (too_deep(child, limit - 1, p))
                return true;
            ptr_pop(p, old);
        }
    } else if (json_is_array(v)) {
        if (limit == 0)
            return json_array_size(v) > 0;
        for (size_t i = 0; i < json_array_size(v); i++) {
            size_t old = ptr_push_index(p, i);
            if (too_deep(json_array_get(v, i), limit - 1, p))
                return true;
            ptr_pop(p, old);
        }
    }
    return false;
}

/* ---- schema_check -------------------------------------------------------------- */

/*
 * Assertion keywords of JSON Schema that this subset does not implement.
 * A schema using one is refused rather than silently half-enforced;
 * annotations (title, description, format, examples, ...) are ignored.
 */
static const char *const unsupported[] = {
    "$ref",
    "additionalItems",
    "allOf",
    "contains",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "else",
    "if",
    "maxContains",
    "maxProperties",
    "minContains",
    "minProperties",
    "multipleOf",
    "not",
    "oneOf",
    "pattern",
    "patternProperties",
    "prefixItems",
    "propertyNames",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
};

static const char *const number_keywords[] = {
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
};

static const char *const count_keywords[] = {
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
};

#define TYPE_NAMES "object, array, string, number, integer, boolean, null"

static enum err_code check_node(const json_t *schema, struct ptr *p, int depth, struct err *err);

/*
 * Refuses the schema at *p: err->field is the schema pointer (with kw and
 * then index pushed when given), err->msg "schema <pointer>: <reason>".
 */
static enum err_code check_fail(struct ptr *p, const char *kw, size_t index, struct err *err,
                                const char *fmt, ...) ATTR_PRINTF(5, 6);

static enum err_code check_fail(struct ptr *p, const char *kw, size_t index, struct err *err,
                                const char *fmt, ...)
{
    size_t old = p->len;
    if (kw)
        ptr_push_key(p, kw);
    if (index != SIZE_MAX)
        ptr_push_index(p, index);
    char reason[sizeof(err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    enum err_code rc =
        err_set(err, ERR_INVALID, ptr_field(p), "schema %s: %s", ptr_show(p).s, reason);
    ptr_pop(p, old);
    return rc;
}

/* Refuses keyword kw whose value got is not what: "<kw> must be <what>, got <got>". */
static enum err_code check_bad_kw(struct ptr *p, const char *kw, const json_t *got,
                                  const char *what, struct err *err)
{
    char shown[SHOW_MAX * 8];
    show_value(got, shown, sizeof(shown));
    return check_fail(p, kw, SIZE_MAX, err, "%s must be %s, got %s", kw, what, shown);
}

static enum err_code check_type_kw(const json_t *type, struct ptr *p, struct err *err)
{
    char shown[SHOW_MAX * 8];
    if (json_is_string(type)) {
        if (is_type_name(type))
            return ERR_OK;
        show_value(type, shown, sizeof(shown));
        return check_fail(p, "type", SIZE_MAX, err, "%s is not a type name (" TYPE_NAMES ")",
                          shown);
    }
    if (!json_is_array(type))
        return check_bad_kw(p, "type", type, "a type name or an array of type names", err);
    if (json_array_size(type) == 0)
        return check_fail(p, "type", SIZE_MAX, err, "type must not be an empty array");
    for (size_t i = 0; i < json_array_size(type); i++) {
        const json_t *t = json_array_get(type, i);
        if (!is_type_name(t)) {
            show_value(t, shown, sizeof(shown));
            return check_fail(p, "type", i, err, "%s is not a type name (" TYPE_NAMES ")", shown);
        }
        for (size_t j = 0; j < i; j++)
            if (json_equal(t, json_array_get(type, j)))
                return check_fail(p, "type", i, err, "type '%s' is listed twice",
                                  json_string_value(t));
    }
    return ERR_OK;
}

/* Checks the sub-schema sub found under keyword kw, then key (when not NULL) or index. */
static enum err_code check_sub(const json_t *sub, struct ptr *p, const char *kw, const char *key,
                               size_t key_len, size_t index, int depth, struct err *err)
{
    size_t old = ptr_push_key(p, kw);
    if (key)
        ptr_push_keyn(p, key, key_len);
    else if (index != SIZE_MAX)
        ptr_push_index(p, index);
    enum err_code rc = check_node(sub, p, depth + 1, err);
    ptr_pop(p, old);
    return rc;
}

/* The keywords on values: type, enum, const, bounds, uniqueItems, required. */
static enum err_code check_value_keywords(const json_t *schema, struct ptr *p, struct err *err)
{
    enum err_code rc;
    const json_t *kw = json_object_get(schema, "type");
    if (kw && (rc = check_type_kw(kw, p, err)) != ERR_OK)
        return rc;

    struct ptr deep = { .len = 0 };
    kw = json_object_get(schema, "enum");
    if (kw && !json_is_array(kw))
        return check_bad_kw(p, "enum", kw, "a non-empty array", err);
    if (kw && json_array_size(kw) == 0)
        return check_fail(p, "enum", SIZE_MAX, err, "enum must not be empty");
    if (kw && too_deep(kw, SCHEMA_MAX_DEPTH, &deep))
        return check_fail(p, "enum", SIZE_MAX, err, "enum values are nested deeper than %d levels",
                          SCHEMA_MAX_DEPTH);
    kw = json_object_get(schema, "const");
    if (kw && too_deep(kw, SCHEMA_MAX_DEPTH, &deep))
        return check_fail(p, "const", SIZE_MAX, err, "the value is nested deeper than %d levels",
                          SCHEMA_MAX_DEPTH);

    for (size_t i = 0; i < ARRAY_SIZE(number_keywords); i++) {
        kw = json_object_get(schema, number_keywords[i]);
        if (kw && !json_is_number(kw))
            return check_bad_kw(p, number_keywords[i], kw, "a number", err);
    }
    for (size_t i = 0; i < ARRAY_SIZE(count_keywords); i++) {
        size_t n;
        kw = json_object_get(schema, count_keywords[i]);
        if (kw && !get_count(kw, &n))
            return check_bad_kw(p, count_keywords[i], kw, "a non-negative integer", err);
    }
    kw = json_object_get(schema, "uniqueItems");
    if (kw && !json_is_boolean(kw))
        return check_bad_kw(p, "uniqueItems", kw, "true or false", err);

    kw = json_object_get(schema, "required");
    if (kw && !json_is_array(kw))
        return check_bad_kw(p, "required", kw, "an array of property names", err);
    for (size_t i = 0; i < json_array_size(kw); i++) {
        const json_t *name = json_array_get(kw, i);
        if (!json_is_string(name))
            return check_fail(p, "required", i, err, "required must list property names, got %s",
                              jsonio_kind(name));
    }
    return ERR_OK;
}

/* The keywords holding sub-schemas: properties, additionalProperties, items, anyOf. */
static enum err_code check_sub_schemas(const json_t *schema, struct ptr *p, int depth,
                                       struct err *err)
{
    enum err_code rc;
    const json_t *kw = json_object_get(schema, "properties");
    if (kw && !json_is_object(kw))
        return check_bad_kw(p, "properties", kw, "an object of schemas", err);
    if (kw) {
        const char *key;
        size_t key_len;
        json_t *sub;
        json_object_keylen_foreach((json_t *)kw, key, key_len, sub)
        {
            rc = check_sub(sub, p, "properties", key, key_len, SIZE_MAX, depth, err);
            if (rc)
                return rc;
        }
    }

    kw = json_object_get(schema, "additionalProperties");
    if (kw && !json_is_boolean(kw) && !json_is_object(kw))
        return check_bad_kw(p, "additionalProperties", kw, "true, false or a schema", err);
    if (json_is_object(kw) &&
        (rc = check_sub(kw, p, "additionalProperties", NULL, 0, SIZE_MAX, depth, err)) != ERR_OK)
        return rc;

    kw = json_object_get(schema, "items");
    if (kw && !json_is_object(kw))
        return check_bad_kw(p, "items", kw, "a schema (an object)", err);
    if (kw && (rc = check_sub(kw, p, "items", NULL, 0, SIZE_MAX, depth, err)) != ERR_OK)
        return rc;

    kw = json_object_get(schema, "anyOf");
    if (kw && !json_is_array(kw))
        return check_bad_kw(p, "anyOf", kw, "a non-empty array of schemas", err);
    if (kw && json_array_size(kw) == 0)
        return check_fail(p, "anyOf", SIZE_MAX, err, "anyOf must not be empty");
    for (size_t i = 0; i < json_array_size(kw); i++) {
        rc = check_sub(json_array_get(kw, i), p, "anyOf", NULL, 0, i, depth, err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

static enum err_code check_node(const json_t *schema, struct ptr *p, int depth, struct err *err)
{
    if (depth > SCHEMA_MAX_DEPTH)
        return check_fail(p, NULL, SIZE_MAX, err, "nested deeper than %d levels", SCHEMA_MAX_DEPTH);
    if (!json_is_object(schema))
        return check_fail(p, NULL, SIZE_MAX, err, "a schema must be an object, got %s",
                          jsonio_kind(schema));
    for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++)
        if (json_object_get(schema, unsupported[i]))
            return check_fail(p, unsupported[i], SIZE_MAX, err,
                              "keyword '%s' is not supported by this validator", unsupported[i]);
    enum err_code rc = check_value_keywords(schema, p, err);
    if (rc)
        return rc;
    return check_sub_schemas(schema, p, depth, err);
}

enum err_code schema_check(const json_t *schema, struct err *err)
{
    struct ptr p = { .len = 0 };
    p.s[0] = '\0';
    return check_node(schema, &p, 0, err);
}

/* ---- schema_validate ----------------------------------------------------------- */

/*
 * Validation state: the pointer of the value being looked at, and the error
 * (never NULL here; schema_validate copies it out).
 */
struct vctx {
    struct ptr path;
    struct err *err;
    /*
     * Set when the last refusal was an anyOf that matched nothing: cause is
     * then the innermost reason behind it, so nested anyOfs quote that
     * reason instead of each other's messages.
     */
    bool any_of_failed;
    char cause[sizeof(((struct err *)0)->msg)];
};

static enum err_code validate_node(const json_t *schema, const json_t *value, struct vctx *c,
                                   int depth);

/* Refuses the value at the current path: "<pointer>: <reason>". */
static enum err_code fail(struct vctx *c, const char *fmt, ...) ATTR_PRINTF(2, 3);

static enum err_code fail(struct vctx *c, const char *fmt, ...)
{
    char reason[sizeof(c->err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    c->any_of_failed = false;
    return err_set(c->err, ERR_INVALID, ptr_field(&c->path), "%s: %s", ptr_show(&c->path).s,
                   reason);
}

/*
 * A schema of the wrong shape (it was not checked with schema_check): a
 * programmer's error, ERR_INTERNAL, not the model's.
 */
static enum err_code malformed(struct vctx *c, const char *kw)
{
    return err_set(c->err, ERR_INTERNAL, "",
                   "malformed schema at value %s: bad '%s' (the schema did not pass schema_check)",
                   ptr_show(&c->path).s, kw);
}

static enum err_code validate_type(const json_t *type, const json_t *value, struct vctx *c)
{
    if (json_is_string(type)) {
        if (!is_type_name(type))
            return malformed(c, "type");
        if (type_matches(json_string_value(type), value))
            return ERR_OK;
        return fail(c, "expected %s, got %s", json_string_value(type), jsonio_kind(value));
    }
    if (!json_is_array(type) || json_array_size(type) == 0)
        return malformed(c, "type");
    size_t n = json_array_size(type);
    for (size_t i = 0; i < n; i++) {
        const json_t *t = json_array_get(type, i);
        if (!is_type_name(t))
            return malformed(c, "type");
        if (type_matches(json_string_value(t), value))
            return ERR_OK;
    }
    char list[160];
    size_t len = 0;
    for (size_t i = 0; i < n && len < sizeof(list); i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = snprintf(list + len, sizeof(list) - len, "%s%s", sep,
                         json_string_value(json_array_get(type, i)));
        len += w > 0 ? (size_t)w : 0;
    }
    return fail(c, "expected %s, got %s", list, jsonio_kind(value));
}

static enum err_code validate_enum(const json_t *values, const json_t *value, struct vctx *c)
{
    if (!json_is_array(values) || json_array_size(values) == 0)
        return malformed(c, "enum");
    for (size_t i = 0; i < json_array_size(values); i++)
        if (json_equal(value, json_array_get(values, i)))
            return ERR_OK;

    char shown[SHOW_MAX * 8], item[SHOW_MAX * 8];
    show_value(value, shown, sizeof(shown));
    struct buf list;
    buf_init(&list, 256);
    for (size_t i = 0; i < json_array_size(values); i++) {
        if (list.len > 120) {
            buf_adds(&list, ", ...");
            break;
        }
        show_json(json_array_get(values, i), item, sizeof(item));
        buf_addf(&list, "%s%s", i ? ", " : "", item);
    }
    enum err_code rc = fail(c, "%s is not one of %s", shown, list.data);
    buf_release(&list);
    return rc;
}

/* minimum, maximum, exclusiveMinimum, exclusiveMaximum on a number. */
static enum err_code validate_number(const json_t *schema, const json_t *value, struct vctx *c)
{
    static const struct {
        const char *kw;
        int refuse_cmp; /* refused when num_cmp(value, bound) has this sign ... */
        bool or_equal;  /* ... or is 0 */
        const char *what;
    } rules[] = {
        { "minimum", -1, false, "is below the minimum" },
        { "maximum", 1, false, "is above the maximum" },
        { "exclusiveMinimum", -1, true, "is not above the exclusive minimum" },
        { "exclusiveMaximum", 1, true, "is not below the exclusive maximum" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
        const json_t *bound = json_object_get(schema, rules[i].kw);
        if (!bound)
            continue;
        if (!json_is_number(bound))
            return malformed(c, rules[i].kw);
        int cmp = num_cmp(value, bound);
        if (cmp == rules[i].refuse_cmp || (rules[i].or_equal && cmp == 0)) {
            char v[64], b[64];
            show_value(value, v, sizeof(v));
            show_value(bound, b, sizeof(b));
            return fail(c, "%s %s %s", v, rules[i].what, b);
        }
    }
    return ERR_OK;
}

/* Reads a count keyword into *n; false when absent. ERR_INTERNAL in *rc when malformed. */
static bool count_kw(const json_t *schema, const char *kw, size_t *n, enum err_code *rc,
                     struct vctx *c)
{
    const json_t *j = json_object_get(schema, kw);
    if (!j)
        return false;
    if (!get_count(j, n)) {
        *rc = malformed(c, kw);
        return false;
    }
    return true;
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static enum err_code validate_string(const json_t *schema, const json_t *value, struct vctx *c)
{
    enum err_code rc = ERR_OK;
    size_t chars = utf8_chars(json_string_value(value), json_string_length(value));
    size_t min, max;
    char shown[SHOW_MAX * 8];
    if (count_kw(schema, "minLength", &min, &rc, c) && chars < min) {
        show_value(value, shown, sizeof(shown));
        return fail(c, "%s has %zu %s, fewer than the minimum length %zu", shown, chars,
                    plural(chars, "character", "characters"), min);
    }
    if (rc)
        return rc;
    if (count_kw(schema, "maxLength", &max, &rc, c) && chars > max) {
        show_value(value, shown, sizeof(shown));
        return fail(c, "%s has %zu %s, more than the maximum length %zu", shown, chars,
                    plural(chars, "character", "characters"), max);
    }
    return rc;
}

static enum err_code validate_array(const json_t *schema, const json_t *value, struct vctx *c,
                                    int depth)
{
    enum err_code rc = ERR_OK;
    size_t n = json_array_size(value);
    size_t min, max;
    if (count_kw(schema, "minItems", &min, &rc, c) && n < min)
        return fail(c, "array has %zu %s, fewer than the minimum %zu", n,
                    plural(n, "item", "items"), min);
    if (rc)
        return rc;
    if (count_kw(schema, "maxItems", &max, &rc, c) && n > max)
        return fail(c, "array has %zu %s, more than the maximum %zu", n, plural(n, "item", "items"),
                    max);
    if (rc)
        return rc;

    const json_t *unique = json_object_get(schema, "uniqueItems");
    if (unique && !json_is_boolean(unique))
        return malformed(c, "uniqueItems");
    if (json_is_true(unique)) {
        if (n > UNIQUE_MAX_ITEMS)
            return fail(c, "array has %zu items, too many to check uniqueItems (limit %d)", n,
                        UNIQUE_MAX_ITEMS);
        for (size_t i = 1; i < n; i++) {
            for (size_t j = 0; j < i; j++) {
                if (json_equal(json_array_get(value, j), json_array_get(value, i)))
                    return fail(c, "items %zu and %zu are equal, but items must be unique", j, i);
            }
        }
    }

    const json_t *items = json_object_get(schema, "items");
    if (items) {
        if (!json_is_object(items))
            return malformed(c, "items");
        for (size_t i = 0; i < n; i++) {
            size_t old = ptr_push_index(&c->path, i);
            rc = validate_node(items, json_array_get(value, i), c, depth + 1);
            ptr_pop(&c->path, old);
            if (rc)
                return rc;
        }
    }
    return ERR_OK;
}

static enum err_code validate_object(const json_t *schema, const json_t *value, struct vctx *c,
                                     int depth)
{
    enum err_code rc;
    char shown[SHOW_MAX * 8];
    const json_t *required = json_object_get(schema, "required");
    if (required) {
        if (!json_is_array(required))
            return malformed(c, "required");
        for (size_t i = 0; i < json_array_size(required); i++) {
            const json_t *name = json_array_get(required, i);
            if (!json_is_string(name))
                return malformed(c, "required");
            if (!json_object_getn(value, json_string_value(name), json_string_length(name))) {
                show_value(name, shown, sizeof(shown));
                return fail(c, "missing required property %s", shown);
            }
        }
    }

    const json_t *props = json_object_get(schema, "properties");
    if (props && !json_is_object(props))
        return malformed(c, "properties");
    const json_t *extra = json_object_get(schema, "additionalProperties");
    if (extra && !json_is_boolean(extra) && !json_is_object(extra))
        return malformed(c, "additionalProperties");

    const char *key;
    size_t key_len;
    json_t *child;
    if (extra && !json_is_true(extra)) {
        json_object_keylen_foreach((json_t *)value, key, key_len, child)
        {
            if (props && json_object_getn(props, key, key_len))
                continue;
            if (json_is_false(extra)) {
                show_key(key, key_len, shown, sizeof(shown));
                return fail(c, "additional property %s is not allowed", shown);
            }
            size_t old = ptr_push_keyn(&c->path, key, key_len);
            rc = validate_node(extra, child, c, depth + 1);
            ptr_pop(&c->path, old);
            if (rc)
                return rc;
        }
    }

    if (props) {
        json_object_keylen_foreach((json_t *)props, key, key_len, child)
        {
            const json_t *v = json_object_getn(value, key, key_len);
            if (!v)
                continue;
            size_t old = ptr_push_keyn(&c->path, key, key_len);
            rc = validate_node(child, v, c, depth + 1);
            ptr_pop(&c->path, old);
            if (rc)
                return rc;
        }
    }
    return ERR_OK;
}

/* anyOf: valid when one branch is; otherwise says so, with the first branch's reason. */
static enum err_code validate_any_of(const json_t *branches, const json_t *value, struct vctx *c,
                                     int depth)
{
    if (!json_is_array(branches) || json_array_size(branches) == 0)
        return malformed(c, "anyOf");
    char first[sizeof(c->cause)] = "";
    struct err *outer = c->err;
    size_t n = json_array_size(branches);
    for (size_t i = 0; i < n; i++) {
        struct err branch = ERR_INIT;
        c->err = &branch;
        enum err_code rc = validate_node(json_array_get(branches, i), value, c, depth + 1);
        c->err = outer;
        if (rc == ERR_OK)
            return ERR_OK;
        if (rc != ERR_INVALID) {
            *outer = branch;
            return rc;
        }
        if (i == 0)
            snprintf(first, sizeof(first), "%s", c->any_of_failed ? c->cause : branch.msg);
    }
    enum err_code rc = fail(c, "matches none of the %zu %s (anyOf); the first fails with: %s", n,
                            plural(n, "alternative", "alternatives"), first);
    c->any_of_failed = true;
    memcpy(c->cause, first, sizeof(c->cause));
    return rc;
}

static enum err_code validate_node(const json_t *schema, const json_t *value, struct vctx *c,
                                   int depth)
{
    if (depth > SCHEMA_MAX_DEPTH)
        return fail(c, "the schema is nested deeper than %d levels", SCHEMA_MAX_DEPTH);
    if (!json_is_object(schema))
        return malformed(c, "sub-schema");

    enum err_code rc;
    const json_t *kw = json_object_get(schema, "type");
    if (kw && (rc = validate_type(kw, value, c)) != ERR_OK)
        return rc;

    kw = json_object_get(schema, "enum");
    if (kw && (rc = validate_enum(kw, value, c)) != ERR_OK)
        return rc;

    kw = json_object_get(schema, "const");
    if (kw && !json_equal(kw, value)) {
        char want[SHOW_MAX * 8], got[SHOW_MAX * 8];
        show_json(kw, want, sizeof(want));
        show_value(value, got, sizeof(got));
        return fail(c, "%s is not the required value %s", got, want);
    }

    if (json_is_number(value))
        rc = validate_number(schema, value, c);
    else if (json_is_string(value))
        rc = validate_string(schema, value, c);
    else if (json_is_array(value))
        rc = validate_array(schema, value, c, depth);
    else if (json_is_object(value))
        rc = validate_object(schema, value, c, depth);
    else
        rc = ERR_OK;
    if (rc)
        return rc;

    kw = json_object_get(schema, "anyOf");
    if (kw)
        return validate_any_of(kw, value, c, depth);
    return ERR_OK;
}

enum err_code schema_validate(const json_t *schema, const json_t *value, struct err *err)
{
    struct err local = ERR_INIT;
    struct vctx c = { .path = { .len = 0 }, .err = &local, .any_of_failed = false };
    c.path.s[0] = '\0';
    enum err_code rc;
    if (!value)
        rc = err_set(&local, ERR_INVALID, "", "/: expected a value, got nothing");
    else if (too_deep(value, SCHEMA_MAX_DEPTH, &c.path))
        rc = fail(&c, "nested deeper than %d levels", SCHEMA_MAX_DEPTH);
    else
        rc = validate_node(schema, value, &c, 0);
    if (rc && err)
        *err = local;
    return rc;
}
