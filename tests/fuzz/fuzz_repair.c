/*
 * tests/fuzz/fuzz_repair.c - fuzzes llm/repair.h (STYLE.md Z1): repair_json
 * on the raw bytes. A value found must be an object or an array whose
 * serialisation parses again to an equal value; a text not marked as
 * repaired must parse whole; a refusal leaves no value and explains
 * itself; a second call gives the same answer. Corpus:
 * tests/fuzz/corpus/repair/. No global state.
 */
#include "core/compat.h"

#include "core/jsonio.h"
#include "llm/repair.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    json_t *out = NULL;
    bool repaired = false;
    struct err err = ERR_INIT;
    enum err_code rc = repair_json(p, size, &out, &repaired, &err);

    json_t *again = NULL;
    bool repaired_again = false;
    enum err_code rc_again = repair_json(p, size, &again, &repaired_again, NULL);
    if (rc != rc_again || repaired != repaired_again || !out != !again ||
        (out && !json_equal(out, again)))
        abort(); /* not deterministic */
    json_decref(again);

    if (rc != ERR_OK) {
        if (out || repaired || err.code != rc || err.msg[0] == '\0')
            abort(); /* a refusal leaves no value and explains itself */
        if (rc != ERR_BAD_JSON && rc != ERR_TOO_LARGE)
            abort();
        return 0;
    }
    if (!out || !(json_is_object(out) || json_is_array(out)))
        abort(); /* the contract: an object or an array */

    /* what was found serialises, and the text parses again to the same value */
    char *text = json_dumps(out, JSON_COMPACT);
    if (!text)
        abort();
    json_t *reparsed = NULL;
    if (jsonio_parse(text, strlen(text), &reparsed, NULL) != ERR_OK || !json_equal(out, reparsed))
        abort();
    json_decref(reparsed);
    free(text);

    /* not repaired means the whole text was the answer */
    if (!repaired) {
        json_t *whole = NULL;
        if (jsonio_parse(p, size, &whole, NULL) != ERR_OK || !json_equal(out, whole))
            abort();
        json_decref(whole);
    }
    json_decref(out);
    return 0;
}
