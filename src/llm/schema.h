/*
 * llm/schema.h - a validator for the subset of JSON Schema that model
 * tasks use for their answers (ENGINE.md 5): type (object, array, string,
 * number, integer, boolean, null, or an array of these), properties,
 * required, additionalProperties (false or a schema), items, enum, const,
 * minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength,
 * maxLength, minItems, maxItems, uniqueItems, and anyOf. Unknown keywords
 * (description, title, $comment, ...) are ignored, as JSON Schema says.
 *
 * Errors name the path of the first bad value in JSON Pointer style
 * ("/answers/appeal: 11 is above the maximum 10") so that a re-ask can
 * tell the model exactly what to fix. Pure functions; reentrant.
 */
#ifndef LLM_SCHEMA_H
#define LLM_SCHEMA_H

#include "core/compat.h"
#include "core/err.h"

#include <jansson.h>

/*
 * Checks that schema itself uses only the supported subset correctly
 * (keywords with values of the right types). ERR_INVALID naming the schema
 * path of the first problem. Borrows schema.
 */
enum err_code schema_check(const json_t *schema, struct err *err);

/*
 * Validates value against schema (already checked with schema_check).
 * ERR_INVALID with err->field set to the JSON Pointer of the bad value
 * ("" for the root) and err->msg "<pointer>: <reason>". Borrows both.
 * Recursion is bounded (SCHEMA_MAX_DEPTH); deeper values are refused.
 */
enum err_code schema_validate(const json_t *schema, const json_t *value, struct err *err);

#define SCHEMA_MAX_DEPTH 64

/*
 * A small value that satisfies schema (checked with schema_check): for each
 * object its required properties, for each array minItems items, the first
 * enum value or the const, numbers at their minimum (or 0 within bounds),
 * strings of minLength built from seed_text (or "x"). Returns a new
 * reference, or NULL when the schema cannot be satisfied (e.g. minimum >
 * maximum). Used by crowdelic llm-serve's echo responder; implemented in
 * llm/schema_example.c.
 */
json_t *schema_example(const json_t *schema, const char *seed_text);

#endif
