/*
 * store/pg_sql.c - `?` placeholders to $1..$n, statements counted on the way
 * (pg_sql.h has the rules).
 *
 * One pass over the text with a small lexer that knows where SQL is not SQL:
 * string literals ('' doubles a quote; E'' strings also escape with a
 * backslash), quoted identifiers, dollar-quoted strings, line comments and
 * nested block comments. Outside them, a `?` becomes `$n` and a `;` ends a
 * statement.
 *
 * Threading: reentrant, no global state.
 */
#include "core/compat.h"

#include "store/pg_sql.h"

#include "core/xalloc.h"

/* A byte that may continue an identifier (letters of any script are bytes >= 0x80 in UTF-8). */
static bool ident_char(char ch)
{
    unsigned char u = (unsigned char)ch;
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
           u == '$' || u >= 0x80;
}

static bool ident_start(char ch)
{
    return ident_char(ch) && ch != '$' && !(ch >= '0' && ch <= '9');
}

static bool blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* The index just past the quoted text that starts at sql[i] (a quote q), or len. */
static size_t skip_quoted(const char *sql, size_t len, size_t i, char q, bool backslash)
{
    for (i++; i < len; i++) {
        if (backslash && sql[i] == '\\' && i + 1 < len) {
            i++;
            continue;
        }
        if (sql[i] == q) {
            if (i + 1 < len && sql[i + 1] == q) { /* a doubled quote stands for itself */
                i++;
                continue;
            }
            return i + 1;
        }
    }
    return len;
}

/* Past a block comment starting at sql[i] ("/" "*"); PostgreSQL nests them. */
static size_t skip_block_comment(const char *sql, size_t len, size_t i)
{
    int depth = 0;
    while (i < len) {
        if (sql[i] == '/' && i + 1 < len && sql[i + 1] == '*') {
            depth++;
            i += 2;
        } else if (sql[i] == '*' && i + 1 < len && sql[i + 1] == '/') {
            i += 2;
            if (--depth == 0)
                return i;
        } else {
            i++;
        }
    }
    return len;
}

/*
 * When sql[i] starts a dollar quote ($$ or $tag$), the index past its end;
 * otherwise i (a `$` that is a parameter, or inside a name: after_ident).
 */
static size_t skip_dollar_quote(const char *sql, size_t len, size_t i, bool after_ident)
{
    if (after_ident)
        return i;
    size_t t = i + 1;
    if (t < len && ident_start(sql[t]))
        while (t < len && ident_char(sql[t]) && sql[t] != '$')
            t++;
    if (t >= len || sql[t] != '$')
        return i;
    size_t tag_len = t + 1 - i; /* "$tag$" */
    for (size_t j = t + 1; j + tag_len <= len; j++)
        if (sql[j] == '$' && memcmp(sql + j, sql + i, tag_len) == 0)
            return j + tag_len;
    return len;
}

enum err_code pg_sql_rewrite(const char *sql, char **out, int *n_params, struct err *err)
{
    size_t len = strlen(sql);
    size_t marks = 0;
    for (size_t i = 0; i < len; i++)
        marks += sql[i] == '?';
    /* "?" (1 byte) becomes at most " $32766 " (8 bytes); "?NNN" grows by the spaces at most */
    char *o = xmalloc(st_add(st_add(len, st_mult(marks, 7)), 1));
    size_t n = 0;
    int highest = 0;
    int statements = 0;
    bool content = false; /* something other than blanks and comments since the last ';' */

    *out = NULL;
    *n_params = 0;
    for (size_t i = 0; i < len;) {
        char ch = sql[i];
        size_t end = i + 1;
        if (ch == '-' && i + 1 < len && sql[i + 1] == '-') {
            end = i + 2;
            while (end < len && sql[end] != '\n')
                end++;
        } else if (ch == '/' && i + 1 < len && sql[i + 1] == '*') {
            end = skip_block_comment(sql, len, i);
        } else if (blank(ch)) {
            /* nothing to do: copied below */
        } else if (ch == ';') {
            if (content)
                statements++;
            content = false;
        } else {
            if (!content && statements > 0) {
                free(o);
                return err_set(err, ERR_INTERNAL, NULL,
                               "postgres: more than one statement in \"%.80s\"", sql);
            }
            content = true;
            /* what came before, as written out: the same whether or not ? were rewritten */
            bool after_ident = n > 0 && ident_char(o[n - 1]);
            if (ch == '\'') {
                bool e = n > 0 && (o[n - 1] == 'E' || o[n - 1] == 'e') &&
                         !(n > 1 && ident_char(o[n - 2]));
                end = skip_quoted(sql, len, i, '\'', e);
            } else if (ch == '"') {
                end = skip_quoted(sql, len, i, '"', false);
            } else if (ch == '$') {
                end = skip_dollar_quote(sql, len, i, after_ident);
                if (end == i)
                    end = i + 1;
            } else if (ch == '?') {
                long number = highest + 1;
                size_t d = i + 1;
                if (d < len && sql[d] >= '0' && sql[d] <= '9') {
                    number = 0;
                    while (d < len && sql[d] >= '0' && sql[d] <= '9') {
                        if (number <= PG_SQL_MAX_PARAMS)
                            number = number * 10 + (sql[d] - '0');
                        d++;
                    }
                }
                if (number < 1 || number > PG_SQL_MAX_PARAMS) {
                    free(o);
                    return err_set(err, ERR_INTERNAL, NULL,
                                   "postgres: parameter ?%.*s is out of range (1..%d) in \"%.80s\"",
                                   (int)(d - i - 1 > 8 ? 8 : d - i - 1), sql + i + 1,
                                   PG_SQL_MAX_PARAMS, sql);
                }
                if (number > highest)
                    highest = (int)number;
                /*
                 * "a?b" is a, ? and b to SQLite; "a$1b" would be one name to PostgreSQL
                 * (and "$?$" a dollar quote): spaces keep the tokens apart
                 */
                if (after_ident)
                    o[n++] = ' ';
                n += (size_t)snprintf(o + n, 8, "$%ld", number);
                if (d < len && ident_char(sql[d]))
                    o[n++] = ' ';
                i = d;
                continue;
            }
        }
        memcpy(o + n, sql + i, end - i);
        n += end - i;
        i = end;
    }
    if (content)
        statements++;
    o[n] = '\0';
    if (statements == 0) {
        free(o);
        return err_set(err, ERR_INTERNAL, NULL, "postgres: no statement in \"%.80s\"", sql);
    }
    *out = o;
    *n_params = highest;
    return ERR_OK;
}
