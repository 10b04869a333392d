/*
 * tests/fuzz/fuzz_schema.c - fuzzes llm/schema.h (STYLE.md Z1). The input's
 * first line is a schema, the rest the value to validate (with no newline,
 * the schema is validated against itself). schema_check must explain every
 * refusal; schema_validate must not crash on any schema, checked or not,
 * must return ERR_OK or ERR_INVALID for a checked one, must be
 * deterministic (same code, field and message twice, and the same code
 * without an err), and a refusal's message must start with its pointer.
 * Corpus: tests/fuzz/corpus/schema/. No global state.
 */
#include "core/compat.h"

#include "llm/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses any JSON value (scalars too: a value may be one); NULL when it is not JSON. */
static json_t *parse(const char *p, size_t n)
{
    json_error_t jerr;
    return json_loadb(p, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *nl = memchr(p, '\n', size);
    size_t schema_len = nl ? (size_t)(nl - p) : size;

    json_t *schema = parse(p, schema_len);
    if (!schema)
        return 0;
    json_t *value = nl ? parse(nl + 1, size - schema_len - 1) : json_incref(schema);
    if (!value) {
        json_decref(schema);
        return 0;
    }

    struct err check = ERR_INIT;
    enum err_code checked = schema_check(schema, &check);
    if (checked != ERR_OK && (checked != ERR_INVALID || check.msg[0] == '\0'))
        abort(); /* a refusal is ERR_INVALID and explains itself */
    if (checked == ERR_OK && check.code != ERR_OK)
        abort(); /* success leaves err alone */

    struct err first = ERR_INIT, second = ERR_INIT;
    enum err_code rc1 = schema_validate(schema, value, &first);
    enum err_code rc2 = schema_validate(schema, value, &second);
    enum err_code rc3 = schema_validate(schema, value, NULL);
    if (rc1 != rc2 || rc1 != rc3 || first.code != second.code ||
        strcmp(first.field, second.field) != 0 || strcmp(first.msg, second.msg) != 0)
        abort(); /* not deterministic */
    if (checked == ERR_OK && rc1 != ERR_OK && rc1 != ERR_INVALID)
        abort(); /* a checked schema is never malformed */
    if (rc1 != ERR_OK && rc1 != ERR_INVALID && rc1 != ERR_INTERNAL)
        abort();
    if (rc1 != ERR_OK && (first.code != rc1 || first.msg[0] == '\0'))
        abort(); /* a refusal explains itself */
    if (rc1 == ERR_INVALID && first.msg[0] != '/')
        abort(); /* "<pointer>: <reason>" */
    if (rc1 == ERR_INVALID && first.field[0] != '\0' && first.field[0] != '/')
        abort(); /* err->field is a JSON Pointer */

    json_decref(value);
    json_decref(schema);
    return 0;
}
