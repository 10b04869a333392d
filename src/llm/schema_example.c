/*
 * llm/schema_example.c - schema_example(): a small value that satisfies a
 * JSON Schema of the subset llm/schema.h describes, for crowdelic
 * llm-serve's echo responder (and for tests that need a valid answer).
 *
 * Rules, in order of precedence for one schema object:
 *   const          a copy of it;
 *   enum           the first member of the declared type (any, without one);
 *   anyOf          the example of the first branch that has one;
 *   type           the first non-"null" type of a list ("null" alone: null);
 *                  without a type, one is inferred from the keywords used
 *                  (properties/required: object, items: array, ...), and
 *                  a schema with none of them ({} or true) gets a string;
 *   object         its required properties only, each from properties (or
 *                  additionalProperties when it is a schema);
 *   array          minItems items from items (a schema, or a list for the
 *                  tuple form), made distinct when uniqueItems is set;
 *   integer/number 0 when the bounds allow it, else the bound nearest to 0
 *                  (exclusive bounds in both the draft 4 boolean form and
 *                  the numeric form);
 *   string         seed_text (or "x" when it is empty), repeated up to
 *                  minLength and cut to maxLength, counting characters and
 *                  never splitting a UTF-8 sequence;
 *   boolean        false; null: null.
 * A schema that cannot be satisfied (minimum above maximum, an empty enum,
 * false, a required property forbidden by additionalProperties: false,
 * nesting past SCHEMA_MAX_DEPTH, ...) gives NULL. Keywords of the wrong
 * type are ignored, so any input is safe, checked by schema_check or not.
 *
 * Pure and reentrant: no state outside the call.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/jsonio.h"
#include "core/utf8.h"
#include "llm/schema.h"

#include <math.h>

/* Most items an example array holds; a larger minItems is refused (NULL). */
#define EXAMPLE_MAX_ITEMS 1024
/* Longest example string in characters; a larger minLength is refused. */
#define EXAMPLE_MAX_CHARS (256 * 1024)

enum kind {
    K_NONE,
    K_OBJECT,
    K_ARRAY,
    K_STRING,
    K_INTEGER,
    K_NUMBER,
    K_BOOLEAN,
    K_NULL,
};

static const struct {
    const char *name;
    enum kind kind;
} kind_names[] = {
    { "object", K_OBJECT },   { "array", K_ARRAY },   { "string", K_STRING },
    { "integer", K_INTEGER }, { "number", K_NUMBER }, { "boolean", K_BOOLEAN },
    { "null", K_NULL },
};

static json_t *example(const json_t *s, const char *seed, unsigned variant, int depth);

static enum kind kind_of_name(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(kind_names); i++)
        if (strcmp(kind_names[i].name, name) == 0)
            return kind_names[i].kind;
    return K_NONE;
}

/* True when value is an instance of kind (an integer is also a number). */
static bool value_is(const json_t *v, enum kind k)
{
    switch (k) {
    case K_OBJECT:
        return json_is_object(v);
    case K_ARRAY:
        return json_is_array(v);
    case K_STRING:
        return json_is_string(v);
    case K_INTEGER:
        return json_is_integer(v) ||
               (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)));
    case K_NUMBER:
        return json_is_number(v);
    case K_BOOLEAN:
        return json_is_boolean(v);
    case K_NULL:
        return json_is_null(v);
    case K_NONE:
        break;
    }
    return true;
}

/*
 * True when v matches the schema's declared type (a string or a list);
 * a schema without a usable type accepts every value.
 */
static bool matches_type(const json_t *s, const json_t *v)
{
    const json_t *t = json_object_get(s, "type");
    if (json_is_string(t)) {
        enum kind k = kind_of_name(json_string_value(t));
        return k == K_NONE || value_is(v, k);
    }
    if (!json_is_array(t) || json_array_size(t) == 0)
        return true;
    size_t i;
    const json_t *e;
    json_array_foreach (t, i, e) {
        if (json_is_string(e) && value_is(v, kind_of_name(json_string_value(e))))
            return true;
    }
    return false;
}

/*
 * The kind to produce: the declared type (the first non-null member of a
 * list; null alone gives K_NULL), or one inferred from the keywords. Sets
 * *bad when the type names nothing we know.
 */
static enum kind pick_kind(const json_t *s, bool *bad)
{
    const json_t *t = json_object_get(s, "type");
    *bad = false;
    if (json_is_string(t)) {
        enum kind k = kind_of_name(json_string_value(t));
        *bad = k == K_NONE;
        return k;
    }
    if (json_is_array(t) && json_array_size(t) > 0) {
        bool has_null = false;
        size_t i;
        const json_t *e;
        json_array_foreach (t, i, e) {
            enum kind k = json_is_string(e) ? kind_of_name(json_string_value(e)) : K_NONE;
            if (k == K_NULL)
                has_null = true;
            else if (k != K_NONE)
                return k;
        }
        if (has_null)
            return K_NULL;
        *bad = true;
        return K_NONE;
    }
    if (json_object_get(s, "properties") || json_object_get(s, "required") ||
        json_object_get(s, "additionalProperties"))
        return K_OBJECT;
    if (json_object_get(s, "items") || json_object_get(s, "minItems") ||
        json_object_get(s, "maxItems"))
        return K_ARRAY;
    if (json_object_get(s, "minimum") || json_object_get(s, "maximum") ||
        json_object_get(s, "exclusiveMinimum") || json_object_get(s, "exclusiveMaximum"))
        return K_NUMBER;
    return K_STRING;
}

/* ---- numbers ----------------------------------------------------------------------- */

struct bounds {
    bool has_lo, has_hi;
    double lo, hi;
    bool lo_excl, hi_excl;
};

/*
 * Reads minimum/maximum and both forms of exclusiveMinimum/Maximum (draft
 * 4: a boolean on minimum; later drafts: a number of its own). Where both a
 * minimum and a numeric exclusiveMinimum are given, the tighter one wins.
 */
static struct bounds read_bounds(const json_t *s)
{
    struct bounds b = { 0 };
    const json_t *min = json_object_get(s, "minimum"), *max = json_object_get(s, "maximum");
    const json_t *xmin = json_object_get(s, "exclusiveMinimum");
    const json_t *xmax = json_object_get(s, "exclusiveMaximum");
    if (json_is_number(min)) {
        b.has_lo = true;
        b.lo = json_number_value(min);
        b.lo_excl = json_is_true(xmin);
    }
    if (json_is_number(xmin) && (!b.has_lo || json_number_value(xmin) >= b.lo)) {
        b.has_lo = true;
        b.lo = json_number_value(xmin);
        b.lo_excl = true;
    }
    if (json_is_number(max)) {
        b.has_hi = true;
        b.hi = json_number_value(max);
        b.hi_excl = json_is_true(xmax);
    }
    if (json_is_number(xmax) && (!b.has_hi || json_number_value(xmax) <= b.hi)) {
        b.has_hi = true;
        b.hi = json_number_value(xmax);
        b.hi_excl = true;
    }
    return b;
}

static bool within(const struct bounds *b, double v)
{
    if (!isfinite(v))
        return false;
    if (b->has_lo && (b->lo_excl ? !(v > b->lo) : !(v >= b->lo)))
        return false;
    if (b->has_hi && (b->hi_excl ? !(v < b->hi) : !(v <= b->hi)))
        return false;
    return true;
}

/* Integers exactly representable as doubles, so the arithmetic stays exact. */
#define EXACT_INT_MAX 9007199254740992.0 /* 2^53 */

static json_t *integer_example(const json_t *s, unsigned variant)
{
    struct bounds b = read_bounds(s);
    double lo = -EXACT_INT_MAX, hi = EXACT_INT_MAX;
    if (b.has_lo)
        lo = b.lo_excl ? floor(b.lo) + 1 : ceil(b.lo);
    if (b.has_hi)
        hi = b.hi_excl ? ceil(b.hi) - 1 : floor(b.hi);
    if (!(lo <= hi) || lo > EXACT_INT_MAX || hi < -EXACT_INT_MAX)
        return NULL;
    if (lo < -EXACT_INT_MAX)
        lo = -EXACT_INT_MAX;
    if (hi > EXACT_INT_MAX)
        hi = EXACT_INT_MAX;
    double v = 0 < lo ? lo : (0 > hi ? hi : 0);
    /* distinct values for uniqueItems: step away from v inside the bounds */
    if (variant) {
        if (v + variant <= hi)
            v += variant;
        else if (v - variant >= lo)
            v -= variant;
        else
            return NULL;
    }
    return json_integer((json_int_t)v);
}

static json_t *number_example(const json_t *s, unsigned variant)
{
    struct bounds b = read_bounds(s);
    /* 0, then whole numbers at the bounds, the middle, and last the
     * nearest doubles beyond exclusive bounds */
    double candidates[6];
    size_t n = 0;
    candidates[n++] = 0;
    if (b.has_lo)
        candidates[n++] = b.lo_excl ? floor(b.lo) + 1 : b.lo;
    if (b.has_hi)
        candidates[n++] = b.hi_excl ? ceil(b.hi) - 1 : b.hi;
    if (b.has_lo && b.has_hi)
        candidates[n++] = b.lo / 2 + b.hi / 2;
    if (b.has_lo)
        candidates[n++] = nextafter(b.lo, INFINITY);
    if (b.has_hi)
        candidates[n++] = nextafter(b.hi, -INFINITY);
    for (size_t i = 0; i < n; i++) {
        double v = candidates[i];
        if (!within(&b, v))
            continue;
        if (variant) {
            /* whole steps away from v, else fractions of the room to a bound */
            double f = (double)variant / (variant + 1.0);
            if (within(&b, v + variant))
                v += variant;
            else if (within(&b, v - variant))
                v -= variant;
            else if (b.has_hi && within(&b, v + (b.hi - v) * f) && v + (b.hi - v) * f != v)
                v += (b.hi - v) * f;
            else if (b.has_lo && within(&b, v - (v - b.lo) * f) && v - (v - b.lo) * f != v)
                v -= (v - b.lo) * f;
            else
                continue;
        }
        /* whole values print as integers, which every number schema accepts */
        if (v == floor(v) && fabs(v) <= EXACT_INT_MAX)
            return json_integer((json_int_t)v);
        return json_real(v);
    }
    return NULL;
}

/* ---- strings ------------------------------------------------------------------------- */

/* A non-negative integer keyword, or def when absent or not one. */
static int64_t count_keyword(const json_t *s, const char *name, int64_t def)
{
    const json_t *v = json_object_get(s, name);
    if (json_is_integer(v) && json_integer_value(v) >= 0)
        return json_integer_value(v);
    if (json_is_real(v) && json_real_value(v) >= 0 && json_real_value(v) < 1e15 &&
        json_real_value(v) == floor(json_real_value(v)))
        return (int64_t)json_real_value(v);
    return def;
}

/* s may be NULL (no constraints). */
static json_t *string_example(const json_t *s, const char *seed, unsigned variant)
{
    int64_t min = count_keyword(s, "minLength", 0);
    int64_t max = count_keyword(s, "maxLength", INT64_MAX);
    if (min > max || min > EXAMPLE_MAX_CHARS)
        return NULL;

    /* the unit repeated: seed_text ("x" when empty), prefixed by the variant */
    struct buf unit;
    buf_init(&unit, strlen(seed) + 32);
    if (variant)
        buf_addf(&unit, "%u ", variant);
    buf_adds(&unit, *seed ? seed : "x");
    size_t unit_chars = utf8_chars(unit.data, unit.len);

    /* at most min + 1 + unit_chars characters of up to 4 bytes each */
    struct buf text;
    buf_init(&text, 4 * (size_t)min + 4 * unit.len + 64);
    buf_add(&text, unit.data, unit.len);
    size_t chars = unit_chars;
    while ((int64_t)chars < min) {
        buf_addch(&text, ' ');
        buf_add(&text, unit.data, unit.len);
        chars += 1 + unit_chars;
    }
    if ((int64_t)chars > max)
        buf_truncate(&text, utf8_prefix(text.data, text.len, (size_t)max));
    json_t *out = jsonio_string(text.data, text.len);
    buf_release(&text);
    buf_release(&unit);
    return out;
}

/* ---- containers ------------------------------------------------------------------------ */

static json_t *object_example(const json_t *s, const char *seed, unsigned variant, int depth)
{
    const json_t *props = json_object_get(s, "properties");
    const json_t *extra = json_object_get(s, "additionalProperties");
    const json_t *required = json_object_get(s, "required");
    json_t *out = json_object();
    if (!json_is_array(required))
        return out;
    size_t i;
    const json_t *name;
    json_array_foreach (required, i, name) {
        if (!json_is_string(name))
            continue;
        const char *key = json_string_value(name);
        if (json_object_get(out, key))
            continue; /* listed twice */
        const json_t *ps = json_is_object(props) ? json_object_get(props, key) : NULL;
        json_t *v = NULL;
        if (ps) {
            v = example(ps, seed, variant, depth + 1);
            /* a property that has no distinct value leaves it to the others */
            if (!v && variant)
                v = example(ps, seed, 0, depth + 1);
        } else if (json_is_false(extra))
            v = NULL; /* required but not allowed */
        else if (json_is_object(extra))
            v = example(extra, seed, variant, depth + 1);
        else
            v = string_example(NULL, seed, variant);
        if (!v) {
            json_decref(out);
            return NULL;
        }
        jsonio_set_new(out, key, v);
    }
    return out;
}

/* True when no two members of the array a are equal. */
static bool all_distinct(const json_t *a)
{
    size_t n = json_array_size(a);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (json_equal(json_array_get(a, i), json_array_get(a, j)))
                return false;
    return true;
}

static json_t *array_example(const json_t *s, const char *seed, int depth)
{
    int64_t min = count_keyword(s, "minItems", 0);
    int64_t max = count_keyword(s, "maxItems", INT64_MAX);
    if (min > max || min > EXAMPLE_MAX_ITEMS)
        return NULL;
    const json_t *items = json_object_get(s, "items");
    const json_t *extra = json_object_get(s, "additionalItems");
    bool unique = json_is_true(json_object_get(s, "uniqueItems"));
    json_t *out = json_array();
    for (int64_t i = 0; i < min; i++) {
        const json_t *is = NULL;
        if (json_is_object(items) || json_is_boolean(items))
            is = items;
        else if (json_is_array(items))
            is = i < (int64_t)json_array_size(items) ? json_array_get(items, (size_t)i) : extra;
        unsigned variant = unique ? (unsigned)i : 0;
        /* no items schema: any value will do, a string */
        json_t *v =
            is ? example(is, seed, variant, depth + 1) : string_example(NULL, seed, variant);
        if (!v) {
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, v);
    }
    if (unique && !all_distinct(out)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* ---- the dispatcher -------------------------------------------------------------------------- */

/* The first enum member that matches the declared type, as a new reference. */
static json_t *enum_example(const json_t *s, const json_t *members, unsigned variant)
{
    size_t i, seen = 0;
    const json_t *m;
    json_array_foreach (members, i, m) {
        if (!matches_type(s, m))
            continue;
        if (seen++ == variant)
            return json_deep_copy(m);
    }
    return NULL;
}

static json_t *example(const json_t *s, const char *seed, unsigned variant, int depth)
{
    if (depth > SCHEMA_MAX_DEPTH)
        return NULL;
    if (json_is_true(s))
        s = NULL; /* accepts anything: treated like {} */
    else if (!json_is_object(s))
        return NULL; /* false, or not a schema at all */

    if (s) {
        const json_t *c = json_object_get(s, "const");
        if (c)
            return variant ? NULL : json_deep_copy(c);
        const json_t *members = json_object_get(s, "enum");
        if (json_is_array(members))
            return enum_example(s, members, variant);
        const json_t *any = json_object_get(s, "anyOf");
        if (json_is_array(any) && json_array_size(any) > 0) {
            size_t i;
            const json_t *branch;
            json_array_foreach (any, i, branch) {
                json_t *v = example(branch, seed, variant, depth + 1);
                if (v)
                    return v;
            }
            return NULL;
        }
    }

    bool bad = false;
    enum kind k = s ? pick_kind(s, &bad) : K_STRING;
    if (bad)
        return NULL;
    switch (k) {
    case K_OBJECT:
        return object_example(s, seed, variant, depth);
    case K_ARRAY:
        return array_example(s, seed, depth);
    case K_INTEGER:
        return integer_example(s, variant);
    case K_NUMBER:
        return number_example(s, variant);
    case K_BOOLEAN:
        return variant > 1 ? NULL : json_boolean(variant == 1);
    case K_NULL:
        return variant ? NULL : json_null();
    case K_STRING:
    case K_NONE:
        break;
    }
    return string_example(s, seed, variant);
}

json_t *schema_example(const json_t *schema, const char *seed_text)
{
    return example(schema, seed_text ? seed_text : "", 0, 0);
}
