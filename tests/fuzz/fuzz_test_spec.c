/*
 * tests/fuzz/fuzz_test_spec.c - fuzzes the test JSON of /api/tests and
 * `crowdelic run` (domain/test_spec.h, STYLE.md Z1): test_spec_parse on
 * the raw bytes, then the canonical write-back.
 *
 * Checked: test_spec_parse returns ERR_OK, ERR_INVALID or ERR_BAD_JSON, a
 * refusal explains itself and leaves no spec; a spec it accepts passes
 * test_spec_check again, and its canonical text is a fixed point:
 * write(parse(write(parse(x)))) == write(parse(x)).
 * Corpus: tests/fuzz/corpus/test_spec/ (the examples/ tests and variants
 * of them with errors). No global state.
 */
#include "core/compat.h"

#include "domain/test_spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct test_spec *t = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = test_spec_parse((const char *)data, size, &t, &err);
    if (rc) {
        if (t || (rc != ERR_INVALID && rc != ERR_BAD_JSON) || err.code != rc || !err.msg[0])
            abort(); /* a refusal leaves nothing and explains itself */
        return 0;
    }
    if (!t || test_spec_check(t, &err) != ERR_OK)
        abort(); /* what was accepted stays acceptable */

    size_t len1 = 0, len2 = 0;
    char *once = test_spec_format(t, &len1);
    if (!once || strlen(once) != len1)
        abort();
    struct test_spec *again = NULL;
    if (test_spec_parse(once, len1, &again, &err) != ERR_OK)
        abort(); /* what we write we must read */
    char *twice = test_spec_format(again, &len2);
    if (len1 != len2 || memcmp(once, twice, len1) != 0)
        abort(); /* the canonical text is a fixed point */
    free(twice);
    free(once);
    test_spec_free(again);
    test_spec_free(t);
    return 0;
}
