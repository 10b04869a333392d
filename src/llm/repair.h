/*
 * llm/repair.h - recovering the JSON a model meant to send: models wrap
 * answers in prose ("Sure! Here is ...") or Markdown code fences
 * (```json ... ```), or add a trailing remark. The repair finds the
 * intended JSON value without ever inventing content: it never turns a bad
 * answer into an empty one.
 *
 * Order of attempts: the whole text (trimmed); the content of the first
 * ```json (or bare ```) fence that parses; the first balanced {...} or
 * [...] span, scanning with string and escape awareness, that parses.
 * Pure function of its input; reentrant; fuzzed (tests/fuzz).
 */
#ifndef LLM_REPAIR_H
#define LLM_REPAIR_H

#include "core/compat.h"
#include "core/err.h"

#include <jansson.h>

/*
 * Extracts a JSON object or array from text[0..len) into *out (a new
 * reference). Sets *repaired when the value was not the whole text (for
 * metrics). ERR_BAD_JSON when no candidate parses, with the parse error of
 * the whole text ("line L column C: ...") in err->msg.
 */
enum err_code repair_json(const char *text, size_t len, json_t **out, bool *repaired,
                          struct err *err);

#endif
