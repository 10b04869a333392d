/*
 * tests/fuzz/fuzz_json_body.c - fuzzes the request-body path of core/jsonio.h
 * (STYLE.md Z1): jsonio_parse on the raw bytes, then jsonio_check against a
 * small field table like an endpoint's (every field type, bounds, nullable,
 * required, and a nested object checked with a prefix), then jsonio_dump of
 * what was parsed, which must parse again. The raw bytes also go through
 * jsonio_string, which must accept any bytes. Corpus: tests/fuzz/corpus/json_body/,
 * dictionary: tests/fuzz/json.dict. No global state.
 */
#include "core/compat.h"

#include "core/jsonio.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct err err = ERR_INIT;
    json_t *root = NULL;

    if (jsonio_parse(p, size, &root, &err) == ERR_OK) {
        if (!root || !(json_is_object(root) || json_is_array(root)))
            abort(); /* the contract: an object or an array */
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
        if (jsonio_parse(text, len, &again, &err) != ERR_OK || !json_equal(root, again))
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
