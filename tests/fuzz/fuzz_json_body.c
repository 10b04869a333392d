/*
 * tests/fuzz/fuzz_json_body.c - fuzzes the request-body path of core/jsonio.h
 * (STYLE.md Z1): jsonio_parse on the raw bytes, then jsonio_check against a
 * small field table like an endpoint's (every field type, bounds, nullable,
 * required, and a nested object checked with a prefix), then jsonio_dump of
 * what was parsed, which must parse again to the same value (reals to the
 * 15 significant digits jsonio_dump writes). The raw bytes also go through
 * jsonio_string, which must accept any bytes.
 *
 * Then every route's own table (api/bodies.h: every body the API checks
 * with jsonio_check) checks the parsed value, and its answer must agree
 * with a reference written here from jsonio.h's contract (an object; no
 * unknown key; required fields present and not null; null only where
 * nullable; types; bounds on string characters, integer and number
 * values, array lengths); a refusal names a field and explains itself.
 * The persona and test bodies have readers of their own (fuzz_persona,
 * fuzz_test_spec). Corpus: tests/fuzz/corpus/json_body/ (with the bodies of
 * tests/e2e), dictionary: tests/fuzz/json.dict. No global state.
 */
#include "core/compat.h"

#include <math.h>

#include "api/bodies.h"
#include "core/jsonio.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct jfield model_fields[] = {
    { "model", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, 64 },
    { "temperature", JF_NUMBER, JF_BOUNDED, 0, 2 },
    { "max_tokens", JF_INT, JF_BOUNDED | JF_NULLABLE, 1, 100000 },
};

static const struct jfield body_fields[] = {
    { "name", JF_STRING, JF_REQUIRED | JF_BOUNDED, 1, 200 },
    { "age", JF_INT, JF_BOUNDED, 0, 150 },
    { "score", JF_NUMBER, JF_BOUNDED | JF_NULLABLE, -1000, 1000 },
    { "active", JF_BOOL, 0, 0, 0 },
    { "tags", JF_ARRAY, JF_BOUNDED, 0, 50 },
    { "config", JF_OBJECT, JF_NULLABLE, 0, 0 },
    { "extra", JF_ANY, 0, 0, 0 },
};

/*
 * json_equal, but reals within the 15 significant digits jsonio_dump writes
 * (core/jsonio.h: 7.2 stays "7.2", so not every double reads back exactly).
 */
static bool same_value(const json_t *a, const json_t *b)
{
    if (json_is_real(a) && json_is_real(b)) {
        double x = json_real_value(a), y = json_real_value(b);
        return fabs(x - y) <= 1e-14 * fmax(fabs(x), fabs(y));
    }
    if (json_typeof(a) != json_typeof(b))
        return false;
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b))
            return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same_value(json_array_get(a, i), json_array_get(b, i)))
                return false;
        return true;
    }
    if (json_is_object(a)) {
        const char *key;
        json_t *v;
        if (json_object_size(a) != json_object_size(b))
            return false;
        json_object_foreach ((json_t *)a, key, v) {
            const json_t *w = json_object_get(b, key);
            if (!w || !same_value(v, w))
                return false;
        }
        return true;
    }
    return json_equal(a, b);
}

/* The reference: does value v pass field f (present and not null)? */
static bool value_ok(const json_t *v, const struct jfield *f)
{
    bool bounded = f->flags & JF_BOUNDED;
    switch (f->type) {
    case JF_STRING: {
        if (!json_is_string(v))
            return false;
        int64_t n = (int64_t)utf8_chars(json_string_value(v), json_string_length(v));
        return !bounded || (n >= f->min && n <= f->max);
    }
    case JF_INT:
        return json_is_integer(v) &&
               (!bounded || (json_integer_value(v) >= f->min && json_integer_value(v) <= f->max));
    case JF_NUMBER:
        return json_is_number(v) && (!bounded || (json_number_value(v) >= (double)f->min &&
                                                  json_number_value(v) <= (double)f->max));
    case JF_BOOL:
        return json_is_boolean(v);
    case JF_OBJECT:
        return json_is_object(v);
    case JF_ARRAY:
        return json_is_array(v) && (!bounded || ((int64_t)json_array_size(v) >= f->min &&
                                                 (int64_t)json_array_size(v) <= f->max));
    case JF_ANY:
        return true;
    }
    return false;
}

/* The reference: does body pass the route's table b? */
static bool body_ok(const json_t *body, const struct api_body *b)
{
    if (!json_is_object(body))
        return false;
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)body, key, v) {
        bool known = false;
        for (size_t i = 0; i < b->n_fields && !known; i++)
            known = strcmp(b->fields[i].name, key) == 0;
        if (!known)
            return false;
    }
    for (size_t i = 0; i < b->n_fields; i++) {
        const struct jfield *f = &b->fields[i];
        v = json_object_get(body, f->name);
        if (!v || json_is_null(v)) {
            if ((v && !(f->flags & JF_NULLABLE)) || (f->flags & JF_REQUIRED))
                return false;
        } else if (!value_ok(v, f)) {
            return false;
        }
    }
    return true;
}

/* Is field one of b's fields or a key of body (cut to what struct err holds)? */
static bool names_a_field(const char *field, const json_t *body, const struct api_body *b)
{
    for (size_t i = 0; i < b->n_fields; i++)
        if (strcmp(b->fields[i].name, field) == 0)
            return true;
    const char *key;
    json_t *v;
    size_t n = strlen(field);
    json_object_foreach ((json_t *)body, key, v) {
        if (strncmp(key, field, n) == 0 &&
            (key[n] == '\0' || n + 1 == sizeof(((struct err *)0)->field)))
            return true;
    }
    return false;
}

/* Every route's table against root: jsonio_check agrees with the reference. */
static void check_routes(const json_t *root)
{
    for (size_t i = 0; i < API_BODIES_COUNT; i++) {
        const struct api_body *b = API_BODIES[i];
        struct err err = ERR_INIT;
        enum err_code rc = api_body_check(root, b, &err);
        if ((rc == ERR_OK) != body_ok(root, b))
            abort(); /* jsonio_check does not do what jsonio.h says */
        if (rc != ERR_OK && (rc != ERR_INVALID || err.code != ERR_INVALID || !err.msg[0] ||
                             (json_is_object(root) && !names_a_field(err.field, root, b))))
            abort(); /* a refusal of an object names its field and explains itself */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct err err = ERR_INIT;
    json_t *root = NULL;

    if (jsonio_parse(p, size, &root, &err) == ERR_OK) {
        if (!root || !(json_is_object(root) || json_is_array(root)))
            abort(); /* the contract: an object or an array */
        check_routes(root);
        err_clear(&err);
        if (jsonio_check(root, body_fields, ARRAY_SIZE(body_fields), "", &err) == ERR_OK) {
            const json_t *config = json_object_get(root, "config");
            if (json_is_object(config))
                jsonio_check(config, model_fields, ARRAY_SIZE(model_fields), "config", &err);
        } else if (err.code != ERR_INVALID || err.msg[0] == '\0') {
            abort(); /* a refusal always explains itself */
        }

        /* what was parsed serialises, and the text parses again */
        size_t len = 0;
        char *text = jsonio_dump(root, JSON_SORT_KEYS, &len);
        json_t *again = NULL;
        if (jsonio_parse(text, len, &again, &err) != ERR_OK || !same_value(root, again))
            abort();
        json_decref(again);
        free(text);
        json_decref(root);
    } else if (root || err.code != ERR_BAD_JSON || err.msg[0] == '\0') {
        abort(); /* a failure leaves no value and explains itself */
    }

    /* any bytes make a valid string */
    json_t *s = jsonio_string(p, size);
    if (!json_is_string(s))
        abort();
    json_decref(s);
    return 0;
}
