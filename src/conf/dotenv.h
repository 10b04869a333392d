/*
 * conf/dotenv.h - the .env parser: a pure function of its input, so it can
 * be fuzzed (STYLE.md Z1).
 *
 * Accepted syntax, one assignment per line:
 *   # comment            blank lines are ignored
 *   KEY=value            unquoted: trailing spaces and a " #comment" dropped
 *   export KEY=value     "export " is ignored
 *   KEY="a \"b\"\n"      double quotes: \n \r \t \" \\ escapes
 *   KEY='literal'        single quotes: no escapes
 * KEY is [A-Za-z_][A-Za-z0-9_]*. Reentrant.
 */
#ifndef CONF_DOTENV_H
#define CONF_DOTENV_H

#include "core/compat.h"
#include "core/err.h"
#include "core/span.h"

/*
 * Called once per assignment; value is NUL-terminated and valid only during
 * the call. Returning false stops the parse (dotenv_parse then returns
 * ERR_OK without looking further).
 */
typedef bool dotenv_fn(void *ctx, struct span key, const char *value, size_t value_len, int line);

/*
 * Parses p[0..n). On a malformed line returns ERR_INVALID with
 * "line N: reason" in err->msg; assignments before it have been reported.
 */
enum err_code dotenv_parse(const char *p, size_t n, dotenv_fn *fn, void *ctx, struct err *err);

#endif
