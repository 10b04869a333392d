/*
 * store/pg_sql.h - SQL text as PostgreSQL wants it: the `?` placeholders of
 * store.h rewritten to $1..$n (an internal of store_pg.c; pure, so the unit
 * tests and a fuzzer can call it directly).
 *
 * The rules are SQLite's, so one text means the same on both backends: `?NNN`
 * is parameter NNN, a bare `?` is one more than the largest number before it
 * (`? ?5 ?` is $1 $5 $6). A `?` inside a string literal ('...', E'...'), a
 * quoted identifier ("..."), a dollar-quoted string ($tag$...$tag$) or a
 * comment (-- and nested block comments) is text, not a parameter. PostgreSQL's
 * own operators spelled with `?` (jsonb ?|, geometric ?-) can therefore not
 * be written: none is portable anyway.
 *
 * Threading: reentrant, no global state.
 */
#ifndef STORE_PG_SQL_H
#define STORE_PG_SQL_H

#include "core/compat.h"
#include "core/err.h"

/* The largest parameter number accepted: SQLite's default SQLITE_MAX_VARIABLE_NUMBER. */
#define PG_SQL_MAX_PARAMS 32766

/*
 * Rewrites sql into *out (malloc'd, NUL-terminated; free it) and sets
 * *n_params to the highest parameter number used (0 when none). ERR_INTERNAL
 * with a message quoting the start of sql, and *out NULL, for text holding no
 * statement (only blanks, comments and semicolons), more than one statement,
 * or a parameter number of 0 or above PG_SQL_MAX_PARAMS. Unterminated quotes
 * or comments are left for the server to report.
 */
enum err_code pg_sql_rewrite(const char *sql, char **out, int *n_params, struct err *err);

#endif
