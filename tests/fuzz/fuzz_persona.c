/*
 * tests/fuzz/fuzz_persona.c - fuzzes the persona specs (STYLE.md Z1): the
 * engine's reader (engine/persona.h, persona_parse in both shapes) and the
 * domain's check of an API body's spec (domain/personas.h,
 * persona_spec_check, pure: no store) and tags (persona_tags_check).
 *
 * The same bytes go through each; checked:
 *   - persona_spec_check returns ERR_OK or ERR_INVALID (with a message, and
 *     no persona on failure); what it accepts has a name and an age in
 *     PERSONA_AGE_MIN..PERSONA_AGE_MAX, and its canonical text is a fixed
 *     point: checked again it is accepted and gives the same text;
 *   - persona_parse returns ERR_OK, ERR_INVALID or ERR_BAD_JSON, each
 *     refusal explained; a persona read in either shape, written in that
 *     shape, reads back to the same text (persona_format is a fixed point),
 *     and persona_render and persona_dup work on it;
 *   - when the input is an object with "tags", a list of strings, the tags
 *     persona_tags_check gives are trimmed, lower-case, without duplicates,
 *     and checking them again changes nothing.
 * Corpus: tests/fuzz/corpus/persona/ (the template personas of
 * data/personas/ and the API's bodies). No global state.
 */
#include "core/compat.h"

#include <ctype.h>

#include "core/buf.h"
#include "core/jsonio.h"
#include "domain/personas.h"
#include "engine/persona.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless rc is one of the allowed codes and a refusal explains itself. */
static void expect(enum err_code rc, const struct err *err, bool bad_json_ok)
{
    if (rc == ERR_OK)
        return;
    if (rc != ERR_INVALID && !(bad_json_ok && rc == ERR_BAD_JSON))
        abort();
    if (err->code != rc || err->msg[0] == '\0')
        abort();
}

/* persona_spec_check: its canonical text is accepted again, unchanged. */
static void check_spec(const char *p, size_t size)
{
    struct persona *persona = NULL;
    struct buf canon;
    buf_init(&canon, 1u << 22);
    struct err err = ERR_INIT;
    enum err_code rc = persona_spec_check(p, size, &persona, &canon, &err);
    expect(rc, &err, false);
    if (rc) {
        if (persona || canon.len)
            abort();
        buf_release(&canon);
        return;
    }
    if (!persona || !persona->name || persona->age < PERSONA_AGE_MIN ||
        persona->age > PERSONA_AGE_MAX || canon.failed || canon.len == 0)
        abort();

    struct persona *again = NULL;
    struct buf canon2;
    buf_init(&canon2, 1u << 22);
    if (persona_spec_check(canon.data, canon.len, &again, &canon2, &err) != ERR_OK)
        abort(); /* what we wrote we must accept */
    if (canon2.len != canon.len || memcmp(canon.data, canon2.data, canon.len) != 0)
        abort(); /* and it is canonical */
    persona_free(again);
    persona_free(persona);
    buf_release(&canon2);
    buf_release(&canon);
}

/* persona_parse in one shape: format, parse, format gives the same text. */
static void check_shape(const char *p, size_t size, enum persona_shape shape)
{
    struct persona *persona = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = persona_parse(p, size, shape, &persona, &err);
    expect(rc, &err, true);
    if (rc) {
        if (persona)
            abort();
        return;
    }
    struct buf once, twice, prompt;
    buf_init(&once, 1u << 22);
    buf_init(&twice, 1u << 22);
    buf_init(&prompt, 1u << 22);
    persona_format(persona, shape, &once);
    struct persona *again = NULL;
    if (once.failed || persona_parse(once.data, once.len, shape, &again, &err) != ERR_OK)
        abort();
    persona_format(again, shape, &twice);
    if (twice.len != once.len || memcmp(once.data, twice.data, once.len) != 0)
        abort();

    struct persona *copy = persona_dup(persona);
    persona_render(copy, &prompt);
    if (prompt.failed || prompt.len == 0)
        abort();
    persona_free(copy);
    persona_free(again);
    persona_free(persona);
    buf_release(&prompt);
    buf_release(&twice);
    buf_release(&once);
}

/* True when a and b hold the same strings in the same order. */
static bool same_list(const struct strlist *a, const struct strlist *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return false;
    return true;
}

/* persona_tags_check on the "tags" of an object body, when they are strings. */
static void check_tags(const char *p, size_t size)
{
    json_t *root = NULL;
    struct err err = ERR_INIT;
    if (jsonio_parse(p, size, &root, &err))
        return;
    const json_t *tags = json_object_get(root, "tags");
    struct strlist in = { 0 }, out = { 0 }, out2 = { 0 };
    size_t i;
    const json_t *v;
    bool strings = json_is_array(tags);
    json_array_foreach (tags, i, v) {
        if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
            strings = false;
            break;
        }
        strlist_add(&in, json_string_value(v));
    }
    if (strings) {
        enum err_code rc = persona_tags_check(&in, &out, &err);
        expect(rc, &err, false);
        if (rc == ERR_OK) {
            for (size_t k = 0; k < out.n; k++) {
                const char *t = out.items[k];
                size_t n = strlen(t);
                if (n && (isspace((unsigned char)t[0]) || isspace((unsigned char)t[n - 1])))
                    abort(); /* trimmed */
                for (size_t c = 0; c < n; c++)
                    if (isupper((unsigned char)t[c]))
                        abort(); /* lower-case */
                for (size_t m = 0; m < k; m++)
                    if (strcmp(out.items[m], t) == 0)
                        abort(); /* no duplicates */
            }
            if (persona_tags_check(&out, &out2, &err) != ERR_OK || !same_list(&out, &out2))
                abort(); /* normal tags stay as they are */
        }
    }
    strlist_release(&out2);
    strlist_release(&out);
    strlist_release(&in);
    json_decref(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    check_spec(p, size);
    check_shape(p, size, PERSONA_SHAPE_API);
    check_shape(p, size, PERSONA_SHAPE_SPEC);
    check_tags(p, size);
    return 0;
}
