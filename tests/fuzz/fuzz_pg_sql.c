/*
 * tests/fuzz/fuzz_pg_sql.c - fuzzes the placeholder rewriter of the
 * PostgreSQL backend (store/pg_sql.h, STYLE.md Z1) and checks its contract:
 * on success the text is NUL-terminated, holds no `?` that the input's
 * rewrite left behind outside quotes (checked by rewriting the output again:
 * a fixed point, since $n is not a placeholder), and n_params is within
 * 0..PG_SQL_MAX_PARAMS; on failure nothing is returned.
 * Corpus: tests/fuzz/corpus/pg_sql/.
 */
#include "core/compat.h"

#include "store/pg_sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *sql = malloc(size + 1);
    if (!sql)
        return 0;
    memcpy(sql, data, size);
    sql[size] = '\0';
    char *out = NULL;
    int n = -1;
    struct err err = ERR_INIT;
    enum err_code rc = pg_sql_rewrite(sql, &out, &n, &err);
    if (rc) {
        if (out || rc != ERR_INTERNAL || !err.msg[0])
            abort();
    } else {
        if (!out || n < 0 || n > PG_SQL_MAX_PARAMS)
            abort();
        char *again = NULL;
        int n_again = -1;
        if (pg_sql_rewrite(out, &again, &n_again, &err) != ERR_OK || n_again != 0 ||
            strcmp(again, out) != 0)
            abort();
        free(again);
    }
    free(out);
    free(sql);
    return 0;
}
