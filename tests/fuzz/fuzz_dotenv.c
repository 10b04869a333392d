/*
 * tests/fuzz/fuzz_dotenv.c - fuzzes the .env parser (conf/dotenv.h,
 * STYLE.md Z1) and the configuration loader behind it: dotenv_parse with a
 * callback that reads every byte of each value and checks the contract (key
 * syntax, NUL at value_len and none before, the 64 KiB limit, line numbers
 * that never go down; a key named STOP stops the parse), then
 * config_load_from with the input as the .env text, then config_print
 * (which must list something whatever was loaded).
 * Corpus: tests/fuzz/corpus/dotenv/.
 */
#include "core/compat.h"

#include "conf/config.h"
#include "conf/dotenv.h"
#include "core/ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    const char *input;
    size_t size;
    int last_line;
    unsigned sum; /* keeps the reads of the value from being optimised away */
};

static bool on_value(void *ctx, struct span key, const char *value, size_t value_len, int line)
{
    struct seen *s = ctx;
    if (key.len == 0 || key.ptr < s->input || key.ptr + key.len > s->input + s->size)
        abort();
    for (size_t i = 0; i < key.len; i++) {
        char c = key.ptr[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
                  (i > 0 && c >= '0' && c <= '9');
        if (!ok)
            abort();
    }
    if (value[value_len] != '\0' || memchr(value, '\0', value_len) || value_len > 64 * 1024)
        abort();
    for (size_t i = 0; i < value_len; i++)
        s->sum += (unsigned char)value[i];
    if (line < 1 || line < s->last_line)
        abort();
    s->last_line = line;
    return !(key.len == 4 && memcmp(key.ptr, "STOP", 4) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        ids_init(); /* config_load_from may generate a JWT_SECRET */
        ready = true;
    }
    const char *p = (const char *)data;
    struct seen s = { p, size, 0, 0 };
    struct err err = ERR_INIT;
    enum err_code rc = dotenv_parse(p, size, on_value, &s, &err);
    if (rc != ERR_OK && (rc != ERR_INVALID || strncmp(err.msg, "line ", 5) != 0))
        abort();

    struct config c;
    struct buf problems, out;
    buf_init(&problems, 1 << 20);
    buf_init(&out, 1 << 20);
    rc = config_load_from(&c, p, size, "fuzz.env", NULL, &problems);
    if ((rc == ERR_OK) != (problems.len == 0 && !problems.failed))
        abort();
    config_print(&c, &out);
    if (out.failed || out.len == 0)
        abort();
    config_release(&c);
    buf_release(&problems);
    buf_release(&out);
    return 0;
}
