/*
 * tests/unit/engine/test_persona.c - engine/persona.h: round trips in the
 * spec and the API shapes and the mapping between them, byte-identical
 * rendering whatever the input's key order, every validation error with
 * its path, the size limits at the limit and one past it, unknown fields
 * kept and rendered, fragments (added keys, recursive merges, list unions,
 * conflicts, overwrite, unknown fields), deep dup, names and countries.
 * The persona is Ana Souza, 34, a nurse in Porto Alegre.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/buf.h"
#include "core/jsonio.h"
#include "core/xalloc.h"
#include "engine/persona.h"

/* ---- fixtures ------------------------------------------------------------------- */

/* Ana in the spec shape, keys in the order persona_to_json writes them. */
static const char ana_spec[] =
    "{\"name\":\"Ana Souza\",\"age\":34,\"gender\":\"female\",\"nationality\":\"Brazilian\","
    "\"residence\":\"Porto Alegre, Brazil\",\"education\":\"nursing degree\","
    "\"language\":\"pt-BR\",\"income_level\":\"lower_middle\","
    "\"long_term_goals\":[\"buy a flat near the hospital\"],"
    "\"occupation\":{\"title\":\"nurse\",\"organization\":\"Hospital de Clínicas\","
    "\"description\":\"night shifts in the emergency ward\"},"
    "\"style\":\"warm, direct, a little tired\","
    "\"personality\":{\"traits\":[\"careful\",\"warm\"],\"big_five\":{\"openness\":\"medium\","
    "\"conscientiousness\":\"high\",\"extraversion\":\"medium\",\"agreeableness\":\"high\","
    "\"neuroticism\":\"low\"}},"
    "\"preferences\":{\"interests\":[\"cooking\",\"running\"],\"likes\":[\"street markets\"],"
    "\"dislikes\":[\"long queues\"]},"
    "\"values\":[\"family\",\"thrift\"],\"skills\":[\"triage\"],"
    "\"beliefs\":[\"public health care matters\"],"
    "\"behaviors\":{\"general\":[\"compares prices before buying\"],"
    "\"routines\":{\"evening\":\"cooks for the week\",\"morning\":\"runs by the Guaíba\"}},"
    "\"health\":\"good; a sore back\","
    "\"relationships\":[{\"name\":\"Marcos\",\"description\":\"her husband, a bus driver\"},"
    "{\"name\":\"Dona Lúcia\"}],"
    "\"other_facts\":[\"grew up in Pelotas\"]}";

/* Ana as the API writes her (SPEC.md), with the API layer's own keys. */
static const char ana_api_full[] =
    "{\"id\":\"0192f5aa-0000-7000-8000-000000000001\",\"name\":\"Ana Souza\",\"type\":\"custom\","
    "\"tags\":[\"pt-BR\",\"parents\"],"
    "\"demographics\":{\"age\":34,\"gender\":\"female\",\"location\":\"Porto Alegre, Brazil\","
    "\"occupation\":\"nurse\",\"income_level\":\"lower_middle\",\"nationality\":\"Brazilian\","
    "\"education\":\"nursing degree\",\"language\":\"pt-BR\"},"
    "\"personality\":{\"traits\":[\"careful\",\"warm\"],\"interests\":[\"cooking\",\"running\"],"
    "\"values\":[\"family\",\"thrift\"],\"big_five\":{\"openness\":\"medium\","
    "\"conscientiousness\":\"high\",\"extraversion\":\"medium\",\"agreeableness\":\"high\","
    "\"neuroticism\":\"low\"}},"
    "\"profile\":{\"occupation_detail\":{\"organization\":\"Hospital de Clínicas\","
    "\"description\":\"night shifts in the emergency ward\"},"
    "\"style\":\"warm, direct, a little tired\","
    "\"long_term_goals\":[\"buy a flat near the hospital\"],"
    "\"beliefs\":[\"public health care matters\"],\"likes\":[\"street markets\"],"
    "\"dislikes\":[\"long queues\"],\"skills\":[\"triage\"],"
    "\"behaviors\":{\"general\":[\"compares prices before buying\"],"
    "\"routines\":{\"evening\":\"cooks for the week\",\"morning\":\"runs by the Guaíba\"}},"
    "\"health\":\"good; a sore back\","
    "\"relationships\":[{\"name\":\"Marcos\",\"description\":\"her husband, a bus driver\"},"
    "{\"name\":\"Dona Lúcia\"}],"
    "\"other_facts\":[\"grew up in Pelotas\"]},"
    "\"tiny_troupe_config\":{\"person_id\":\"p1\",\"cached_state\":{},"
    "\"last_updated\":\"2026-11-25T10:00:00Z\"},"
    "\"workspace_id\":\"w1\",\"created_at\":\"2026-11-25T10:00:00Z\","
    "\"updated_at\":\"2026-11-26T10:00:00Z\"}";

/* The same without the API layer's keys, in the order persona_to_json writes. */
static const char ana_api[] =
    "{\"name\":\"Ana Souza\","
    "\"demographics\":{\"age\":34,\"gender\":\"female\",\"location\":\"Porto Alegre, Brazil\","
    "\"occupation\":\"nurse\",\"income_level\":\"lower_middle\",\"nationality\":\"Brazilian\","
    "\"education\":\"nursing degree\",\"language\":\"pt-BR\"},"
    "\"personality\":{\"traits\":[\"careful\",\"warm\"],\"interests\":[\"cooking\",\"running\"],"
    "\"values\":[\"family\",\"thrift\"],\"big_five\":{\"openness\":\"medium\","
    "\"conscientiousness\":\"high\",\"extraversion\":\"medium\",\"agreeableness\":\"high\","
    "\"neuroticism\":\"low\"}},"
    "\"profile\":{\"occupation_detail\":{\"organization\":\"Hospital de Clínicas\","
    "\"description\":\"night shifts in the emergency ward\"},"
    "\"style\":\"warm, direct, a little tired\","
    "\"long_term_goals\":[\"buy a flat near the hospital\"],"
    "\"beliefs\":[\"public health care matters\"],\"likes\":[\"street markets\"],"
    "\"dislikes\":[\"long queues\"],\"skills\":[\"triage\"],"
    "\"behaviors\":{\"general\":[\"compares prices before buying\"],"
    "\"routines\":{\"evening\":\"cooks for the week\",\"morning\":\"runs by the Guaíba\"}},"
    "\"health\":\"good; a sore back\","
    "\"relationships\":[{\"name\":\"Marcos\",\"description\":\"her husband, a bus driver\"},"
    "{\"name\":\"Dona Lúcia\"}],"
    "\"other_facts\":[\"grew up in Pelotas\"]}}";

/* ---- helpers -------------------------------------------------------------------- */

/* Parses a literal that must be valid JSON (test input, not the code under test). */
static json_t *load(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!j)
        fail_msg("test input is not JSON: %s\n%s", jerr.text, text);
    return j;
}

/* Reads text in shape; the test fails if it is refused. */
static struct persona *read_ok(const char *text, enum persona_shape shape)
{
    json_t *j = load(text);
    struct persona *p = NULL;
    struct err e = ERR_INIT;
    assert_ok(persona_from_json(j, shape, &p, &e), &e);
    assert_non_null(p);
    json_decref(j);
    return p;
}

static struct persona *spec(const char *text)
{
    return read_ok(text, PERSONA_SHAPE_SPEC);
}

/* persona_to_json serialised compactly, keys in the order written (malloc'd). */
static char *to_text(const struct persona *p, enum persona_shape shape)
{
    json_t *j = persona_to_json(p, shape);
    char *s = jsonio_dump(j, 0, NULL);
    json_decref(j);
    return s;
}

/* persona_render into a fresh buffer (malloc'd). */
static char *render(const struct persona *p)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    persona_render(p, &b);
    assert_false(b.failed);
    return buf_detach(&b, NULL);
}

static void assert_renders(const struct persona *p, const char *want)
{
    char *got = render(p);
    assert_string_equal(got, want);
    free(got);
}

/* Asserts that j (stolen) is refused in shape on field with a message containing want. */
static void assert_refused_json(json_t *j, enum persona_shape shape, const char *field,
                                const char *want)
{
    struct persona *p = NULL;
    struct err e = ERR_INIT;
    enum err_code rc = persona_from_json(j, shape, &p, &e);
    json_decref(j);
    if (rc != ERR_INVALID) {
        persona_free(p);
        fail_msg("expected invalid_request on '%s', got %s", field, err_slug(rc));
    }
    assert_null(p);
    assert_string_equal(e.field, field);
    assert_contains(e.msg, want);
}

static void assert_refused(const char *text, enum persona_shape shape, const char *field,
                           const char *want)
{
    assert_refused_json(load(text), shape, field, want);
}

/* A string of n copies of the UTF-8 character c (malloc'd). */
static char *repeat(const char *c, size_t n)
{
    size_t len = strlen(c);
    char *s = malloc(n * len + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, c, len);
    s[n * len] = '\0';
    return s;
}

/* {"name":"Ana Souza"} plus path = value (stolen), path being "a" or "a.b". */
static json_t *ana_with(const char *path, json_t *value)
{
    json_t *root = load("{\"name\":\"Ana Souza\"}");
    const char *dot = strchr(path, '.');
    if (!dot) {
        json_object_set_new(root, path, value);
        return root;
    }
    char outer[64];
    snprintf(outer, sizeof(outer), "%.*s", (int)(dot - path), path);
    json_t *inner = json_object();
    json_object_set_new(inner, dot + 1, value);
    json_object_set_new(root, outer, inner);
    return root;
}

/* An array of n distinct strings "item 0", "item 1", ... */
static json_t *n_items(size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        char s[32];
        snprintf(s, sizeof(s), "item %zu", i);
        json_array_append_new(a, json_string(s));
    }
    return a;
}

/* Merges the fragment text onto p; returns the code. */
static enum err_code merge(struct persona *p, const char *fragment, bool overwrite, struct err *e)
{
    json_t *f = load(fragment);
    enum err_code rc = persona_merge_fragment(p, f, overwrite, e);
    json_decref(f);
    return rc;
}

static void merge_ok(struct persona *p, const char *fragment, bool overwrite)
{
    struct err e = ERR_INIT;
    assert_ok(merge(p, fragment, overwrite, &e), &e);
}

/* Asserts that the fragment is refused with code on field, message containing want, p unchanged. */
static void assert_merge_refused(struct persona *p, const char *fragment, enum err_code code,
                                 const char *field, const char *want)
{
    char *before = render(p);
    struct err e = ERR_INIT;
    enum err_code rc = merge(p, fragment, false, &e);
    if (rc != code)
        fail_msg("fragment %s: expected %s, got %s (%s)", fragment, err_slug(code), err_slug(rc),
                 e.msg);
    assert_string_equal(e.field, field);
    assert_contains(e.msg, want);
    char *after = render(p);
    assert_string_equal(after, before);
    free(before);
    free(after);
}

/* ---- round trips and the mapping ---------------------------------------------------- */

static void spec_round_trip_is_exact(void **state)
{
    (void)state;
    struct persona *p = spec(ana_spec);
    char *out = to_text(p, PERSONA_SHAPE_SPEC);
    assert_string_equal(out, ana_spec);
    free(out);
    persona_free(p);
}

static void api_round_trip_is_exact(void **state)
{
    (void)state;
    struct persona *p = read_ok(ana_api, PERSONA_SHAPE_API);
    char *out = to_text(p, PERSONA_SHAPE_API);
    assert_string_equal(out, ana_api);
    free(out);
    persona_free(p);
}

static void api_layer_keys_are_ignored_not_kept(void **state)
{
    (void)state;
    struct persona *p = read_ok(ana_api_full, PERSONA_SHAPE_API);
    assert_null(p->extra_json);
    char *out = to_text(p, PERSONA_SHAPE_API);
    assert_string_equal(out, ana_api);
    free(out);
    persona_free(p);
}

static void spec_maps_to_api_field_by_field(void **state)
{
    (void)state;
    struct persona *p = spec(ana_spec);
    char *out = to_text(p, PERSONA_SHAPE_API);
    assert_string_equal(out, ana_api);
    free(out);
    persona_free(p);
}

static void api_maps_to_spec_field_by_field(void **state)
{
    (void)state;
    struct persona *p = read_ok(ana_api_full, PERSONA_SHAPE_API);
    char *out = to_text(p, PERSONA_SHAPE_SPEC);
    assert_string_equal(out, ana_spec);
    free(out);
    persona_free(p);
}

static void api_fields_land_in_the_engine_fields(void **state)
{
    (void)state;
    struct persona *p = read_ok(ana_api, PERSONA_SHAPE_API);
    assert_string_equal(p->name, "Ana Souza");
    assert_int_equal(p->age, 34);
    assert_string_equal(p->residence, "Porto Alegre, Brazil");
    assert_string_equal(p->occupation_title, "nurse");
    assert_string_equal(p->occupation_organization, "Hospital de Clínicas");
    assert_string_equal(p->occupation_description, "night shifts in the emergency ward");
    assert_int_equal(p->income, INCOME_LOWER_MIDDLE);
    assert_string_equal(p->language, "pt-BR");
    assert_int_equal(p->big5[BIG5_OPENNESS], BIG5_MEDIUM);
    assert_int_equal(p->big5[BIG5_CONSCIENTIOUSNESS], BIG5_HIGH);
    assert_int_equal(p->big5[BIG5_NEUROTICISM], BIG5_LOW);
    assert_int_equal(p->interests.n, 2);
    assert_string_equal(p->interests.items[1], "running");
    assert_string_equal(p->values.items[0], "family");
    assert_string_equal(p->likes.items[0], "street markets");
    assert_string_equal(p->dislikes.items[0], "long queues");
    assert_string_equal(p->behaviors.items[0], "compares prices before buying");
    assert_int_equal(p->n_routines, 2);
    assert_int_equal(p->n_relationships, 2);
    assert_string_equal(p->relationships[0].name, "Marcos");
    assert_null(p->relationships[1].description);
    assert_string_equal(persona_country(p), "Brazil");
    persona_free(p);
}

/* ---- rendering ---------------------------------------------------------------------- */

static void rendering_does_not_depend_on_key_order(void **state)
{
    (void)state;
    /* Ana again: every object's keys in another order, unknown fields too */
    static const char shuffled[] =
        "{\"other_facts\":[\"grew up in Pelotas\"],\"zodiac\":\"leo\","
        "\"relationships\":[{\"description\":\"her husband, a bus driver\",\"name\":\"Marcos\"},"
        "{\"name\":\"Dona Lúcia\"}],"
        "\"health\":\"good; a sore back\","
        "\"behaviors\":{\"routines\":{\"morning\":\"runs by the Guaíba\","
        "\"evening\":\"cooks for the week\"},\"general\":[\"compares prices before buying\"]},"
        "\"beliefs\":[\"public health care matters\"],\"skills\":[\"triage\"],"
        "\"values\":[\"family\",\"thrift\"],"
        "\"preferences\":{\"dislikes\":[\"long queues\"],\"likes\":[\"street markets\"],"
        "\"interests\":[\"cooking\",\"running\"]},"
        "\"personality\":{\"big_five\":{\"neuroticism\":\"low\",\"agreeableness\":\"high\","
        "\"extraversion\":\"medium\",\"conscientiousness\":\"high\",\"openness\":\"medium\"},"
        "\"traits\":[\"careful\",\"warm\"]},"
        "\"style\":\"warm, direct, a little tired\","
        "\"occupation\":{\"description\":\"night shifts in the emergency ward\","
        "\"organization\":\"Hospital de Clínicas\",\"title\":\"nurse\"},"
        "\"long_term_goals\":[\"buy a flat near the hospital\"],"
        "\"income_level\":\"lower_middle\",\"language\":\"pt-BR\","
        "\"education\":\"nursing degree\",\"residence\":\"Porto Alegre, Brazil\","
        "\"nationality\":\"Brazilian\",\"gender\":\"female\",\"age\":34,"
        "\"pets\":{\"dog\":\"Bolt\",\"cat\":\"Mia\"},\"name\":\"Ana Souza\"}";
    struct persona *a = spec(ana_spec);
    merge_ok(a, "{\"pets\":{\"cat\":\"Mia\",\"dog\":\"Bolt\"},\"zodiac\":\"leo\"}", false);
    struct persona *b = spec(shuffled);
    char *ra = render(a), *rb = render(b);
    assert_string_equal(ra, rb);
    /* the unknown fields come last, sorted, nested keys too */
    assert_contains(ra, "\"other_facts\":[\"grew up in Pelotas\"],"
                        "\"pets\":{\"cat\":\"Mia\",\"dog\":\"Bolt\"},\"zodiac\":\"leo\"}");
    free(ra);
    free(rb);
    persona_free(a);
    persona_free(b);
}

static void render_is_compact_and_appends(void **state)
{
    (void)state;
    struct persona *p = spec(ana_spec);
    struct buf b;
    buf_init(&b, 1 << 16);
    buf_adds(&b, "### PERSONA\n");
    persona_render(p, &b);
    assert_int_equal(strncmp(b.data, "### PERSONA\n{\"name\":\"Ana Souza\",", 32), 0);
    assert_string_equal(b.data + strlen("### PERSONA\n"), ana_spec);
    assert_lacks(b.data, ": ");
    buf_release(&b);
    persona_free(p);
}

static void empty_fields_are_left_out(void **state)
{
    (void)state;
    struct persona *p = spec("{\"name\":\"Ana Souza\",\"age\":0,\"gender\":\"\",\"health\":null,"
                             "\"skills\":[],\"occupation\":{},\"language\":\"\","
                             "\"personality\":{\"traits\":[],\"big_five\":{\"openness\":null}},"
                             "\"behaviors\":{\"routines\":{\"morning\":\"\"}},"
                             "\"relationships\":[],\"income_level\":null,\"zodiac\":null}");
    assert_renders(p, "{\"name\":\"Ana Souza\",\"language\":\"en\"}");
    assert_null(p->gender);
    assert_null(p->extra_json);
    assert_int_equal(p->n_routines, 0);
    char *api = to_text(p, PERSONA_SHAPE_API);
    assert_string_equal(api, "{\"name\":\"Ana Souza\",\"demographics\":{\"language\":\"en\"}}");
    free(api);
    persona_free(p);
}

static void language_is_en_when_not_given(void **state)
{
    (void)state;
    struct persona *p = persona_new();
    assert_string_equal(p->language, "en");
    assert_renders(p, "{\"language\":\"en\"}");
    FREE_AND_NULL(p->language); /* even when a caller clears it */
    assert_renders(p, "{\"language\":\"en\"}");
    persona_free(p);

    p = spec("{\"name\":\"Ana Souza\"}");
    assert_string_equal(p->language, "en");
    persona_free(p);
}

static void occupation_may_be_a_plain_title(void **state)
{
    (void)state;
    struct persona *p = spec("{\"name\":\"Ana Souza\",\"occupation\":\"nurse\"}");
    assert_string_equal(p->occupation_title, "nurse");
    assert_renders(p, "{\"name\":\"Ana Souza\",\"language\":\"en\",\"occupation\":{\"title\":"
                      "\"nurse\"}}");
    persona_free(p);
}

static void big_five_accepts_words_numbers_and_tinytroupe_text(void **state)
{
    (void)state;
    struct persona *p = spec(
        "{\"name\":\"Ana Souza\",\"personality\":{\"big_five\":{\"openness\":\"High. Very "
        "imaginative and curious.\",\"conscientiousness\":\"MEDIUM\",\"extraversion\":\" low\","
        "\"agreeableness\":0.67,\"neuroticism\":0.3399}}}");
    assert_int_equal(p->big5[BIG5_OPENNESS], BIG5_HIGH);
    assert_int_equal(p->big5[BIG5_CONSCIENTIOUSNESS], BIG5_MEDIUM);
    assert_int_equal(p->big5[BIG5_EXTRAVERSION], BIG5_LOW);
    assert_int_equal(p->big5[BIG5_AGREEABLENESS], BIG5_HIGH);
    assert_int_equal(p->big5[BIG5_NEUROTICISM], BIG5_LOW);
    persona_free(p);

    /* the number boundaries: 0 and 0.34 and 0.67 and 1 */
    static const struct {
        const char *value;
        enum big5_level want;
    } cases[] = {
        { "0", BIG5_LOW },        { "0.0", BIG5_LOW },
        { "0.339", BIG5_LOW },    { "0.34", BIG5_MEDIUM },
        { "0.669", BIG5_MEDIUM }, { "0.67", BIG5_HIGH },
        { "1", BIG5_HIGH },       { "1.0", BIG5_HIGH },
        { "\"Low\"", BIG5_LOW },  { "\"medium, most of the time\"", BIG5_MEDIUM },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char text[160];
        snprintf(text, sizeof(text),
                 "{\"name\":\"Ana Souza\",\"personality\":{\"big_five\":{\"openness\":%s}}}",
                 cases[i].value);
        p = spec(text);
        if (p->big5[BIG5_OPENNESS] != cases[i].want)
            fail_msg("openness %s: got %d, want %d", cases[i].value, p->big5[BIG5_OPENNESS],
                     cases[i].want);
        persona_free(p);
    }
}

static void big_five_refuses_other_values(void **state)
{
    (void)state;
    static const char *values[] = { "1.01", "-0.1", "2",          "\"very high\"", "\"highly\"",
                                    "\"\"", "true", "[\"high\"]", "\"high_ish\"" };
    for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
        char text[160];
        snprintf(text, sizeof(text),
                 "{\"name\":\"Ana Souza\",\"personality\":{\"big_five\":{\"openness\":%s}}}",
                 values[i]);
        assert_refused(text, PERSONA_SHAPE_SPEC, "personality.big_five.openness",
                       "personality.big_five.openness: must be low, medium or high");
    }
    assert_refused("{\"name\":\"Ana Souza\",\"personality\":{\"big_five\":{\"openness\":5}}}",
                   PERSONA_SHAPE_API, "personality.big_five.openness", "(got 5)");
    assert_refused("{\"name\":\"Ana Souza\",\"personality\":{\"big_five\":{\"charm\":\"high\"}}}",
                   PERSONA_SHAPE_SPEC, "personality.big_five.charm",
                   "personality.big_five.charm: unknown field");
    assert_refused("{\"name\":\"Ana Souza\",\"personality\":{\"big_five\":\"high\"}}",
                   PERSONA_SHAPE_API, "personality.big_five",
                   "personality.big_five: must be an object (got string)");
}

static void income_levels_are_matched_ignoring_case(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum income_level want;
    } cases[] = {
        { "low", INCOME_LOW },       { "Lower_Middle", INCOME_LOWER_MIDDLE },
        { "middle", INCOME_MIDDLE }, { "upper-middle", INCOME_UPPER_MIDDLE },
        { "HIGH", INCOME_HIGH },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char text[160];
        snprintf(text, sizeof(text),
                 "{\"name\":\"Ana Souza\",\"demographics\":{\"income_level\":\"%s\"}}",
                 cases[i].text);
        struct persona *p = read_ok(text, PERSONA_SHAPE_API);
        assert_int_equal(p->income, cases[i].want);
        persona_free(p);
    }
    assert_refused("{\"name\":\"Ana Souza\",\"demographics\":{\"income_level\":\"rich\"}}",
                   PERSONA_SHAPE_API, "demographics.income_level",
                   "demographics.income_level: must be low, lower_middle, middle, upper_middle "
                   "or high (got 'rich')");
    assert_refused("{\"name\":\"Ana Souza\",\"income_level\":3}", PERSONA_SHAPE_SPEC,
                   "income_level", "income_level: must be a string (got integer)");
}

static void tinytroupe_routine_arrays_are_joined(void **state)
{
    (void)state;
    struct persona *p = spec("{\"name\":\"Lisa Carter\",\"behaviors\":{\"routines\":{"
                             "\"workday\":[\"logs in by 8:30\",\"attends stand-ups\"],"
                             "\"morning\":[\"Wakes at 6:30 AM.\",\"Does yoga.\"],"
                             "\"weekend\":[]}}}");
    assert_int_equal(p->n_routines, 2);
    assert_renders(p, "{\"name\":\"Lisa Carter\",\"language\":\"en\",\"behaviors\":{"
                      "\"routines\":{\"morning\":\"Wakes at 6:30 AM. Does yoga.\","
                      "\"workday\":\"logs in by 8:30; attends stand-ups\"}}}");
    persona_free(p);
}

/* ---- validation -------------------------------------------------------------------------- */

static void wrong_types_are_refused_with_their_path(void **state)
{
    (void)state;
    const enum persona_shape S = PERSONA_SHAPE_SPEC, A = PERSONA_SHAPE_API;
    assert_refused("{\"name\":\"Ana Souza\",\"age\":\"34\"}", S, "age",
                   "age: must be an integer (got string)");
    assert_refused("{\"name\":\"Ana Souza\",\"age\":34.5}", S, "age",
                   "age: must be an integer (got number)");
    assert_refused("{\"name\":\"Ana Souza\",\"demographics\":{\"age\":true}}", A,
                   "demographics.age", "demographics.age: must be an integer (got boolean)");
    assert_refused("{\"name\":\"Ana Souza\",\"gender\":5}", S, "gender",
                   "gender: must be a string (got integer)");
    assert_refused("{\"name\":\"Ana Souza\",\"demographics\":{\"location\":[\"Porto Alegre\"]}}", A,
                   "demographics.location", "demographics.location: must be a string");
    assert_refused("{\"name\":7}", S, "name", "name: must be a string (got integer)");
    assert_refused("{\"name\":\"Ana Souza\",\"preferences\":{\"likes\":\"markets\"}}", S,
                   "preferences.likes",
                   "preferences.likes: must be an array of strings (got string)");
    assert_refused("{\"name\":\"Ana Souza\",\"preferences\":{\"likes\":[\"a\",\"b\",3]}}", S,
                   "preferences.likes[2]", "preferences.likes[2]: must be a string (got integer)");
    assert_refused("{\"name\":\"Ana Souza\",\"profile\":{\"likes\":[null]}}", A, "profile.likes[0]",
                   "profile.likes[0]: must be a string (got null)");
    assert_refused("{\"name\":\"Ana Souza\",\"values\":[\"family\",\"\"]}", S, "values[1]",
                   "values[1]: must not be empty");
    assert_refused("{\"name\":\"Ana Souza\",\"style\":\"warm\\u0000cold\"}", S, "style",
                   "style: must not contain a NUL character");
    assert_refused("{\"name\":\"Ana Souza\",\"personality\":[]}", S, "personality",
                   "personality: must be an object (got array)");
    assert_refused("{\"name\":\"Ana Souza\",\"occupation\":5}", S, "occupation",
                   "occupation: must be an object or a string (got integer)");
    assert_refused("{\"name\":\"Ana Souza\",\"demographics\":{\"occupation\":{\"title\":\"n\"}}}",
                   A, "demographics.occupation",
                   "demographics.occupation: must be a string (got object)");
    assert_refused("{\"name\":\"Ana Souza\",\"profile\":{\"occupation_detail\":\"nurse\"}}", A,
                   "profile.occupation_detail",
                   "profile.occupation_detail: must be an object (got string)");
    assert_refused("{\"name\":\"Ana Souza\",\"relationships\":[\"Marcos\"]}", S, "relationships[0]",
                   "relationships[0]: must be an object with a name (got string)");
    assert_refused("{\"name\":\"Ana Souza\",\"relationships\":{\"name\":\"Marcos\"}}", S,
                   "relationships", "relationships: must be an array of objects (got object)");
    assert_refused("{\"name\":\"Ana Souza\",\"profile\":{\"relationships\":[{\"name\":\"Marcos\"},"
                   "{\"description\":\"a friend\"}]}}",
                   A, "profile.relationships[1].name",
                   "profile.relationships[1].name: is required");
    assert_refused("{\"name\":\"Ana Souza\",\"relationships\":[{\"name\":\"Marcos\",\"age\":40}]}",
                   S, "relationships[0].age", "relationships[0].age: unknown field");
    assert_refused("{\"name\":\"Ana Souza\",\"relationships\":[{\"name\":\"\"}]}", S,
                   "relationships[0].name", "relationships[0].name: must not be empty");
    assert_refused("{\"name\":\"Ana Souza\",\"behaviors\":{\"routines\":{\"morning\":7}}}", S,
                   "behaviors.routines.morning",
                   "behaviors.routines.morning: must be a string or an array of strings "
                   "(got integer)");
    assert_refused(
        "{\"name\":\"Ana Souza\",\"behaviors\":{\"routines\":{\"morning\":[\"run\",1]}}}", S,
        "behaviors.routines.morning[1]", "behaviors.routines.morning[1]: must be a string");
    assert_refused("{\"name\":\"Ana Souza\",\"behaviors\":{\"routines\":[\"run\"]}}", S,
                   "behaviors.routines", "behaviors.routines: must be an object (got array)");
    assert_refused("{\"name\":\"Ana Souza\",\"behaviors\":{\"routines\":{\"\":\"run\"}}}", S,
                   "behaviors.routines", "a routine's name must not be empty");
}

static void ages_are_checked(void **state)
{
    (void)state;
    static const int good[] = { 0, 1, 18, 34, 120 };
    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        char text[96];
        snprintf(text, sizeof(text), "{\"name\":\"Ana Souza\",\"demographics\":{\"age\":%d}}",
                 good[i]);
        struct persona *p = read_ok(text, PERSONA_SHAPE_API);
        assert_int_equal(p->age, good[i]);
        persona_free(p);
    }
    assert_refused("{\"name\":\"Ana Souza\",\"demographics\":{\"age\":130}}", PERSONA_SHAPE_API,
                   "demographics.age", "demographics.age: 130 is out of range (1..120)");
    assert_refused("{\"name\":\"Ana Souza\",\"demographics\":{\"age\":121}}", PERSONA_SHAPE_API,
                   "demographics.age", "demographics.age: 121 is out of range");
    assert_refused("{\"name\":\"Ana Souza\",\"age\":-1}", PERSONA_SHAPE_SPEC, "age",
                   "age: -1 is out of range (1..120)");
}

static void language_must_be_a_tag(void **state)
{
    (void)state;
    static const char *good[] = { "en", "pt-BR", "es-419", "zh-Hant-TW", "fil" };
    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        char text[96];
        snprintf(text, sizeof(text), "{\"name\":\"Ana Souza\",\"language\":\"%s\"}", good[i]);
        struct persona *p = spec(text);
        assert_string_equal(p->language, good[i]);
        persona_free(p);
    }
    static const char *bad[] = { "Portuguese", "p", "pt_BR", "pt-", "pt--BR", "pt-BRAZILIAN1" };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char text[96];
        snprintf(text, sizeof(text),
                 "{\"name\":\"Ana Souza\",\"demographics\":{\"language\":\"%s\"}}", bad[i]);
        assert_refused(text, PERSONA_SHAPE_API, "demographics.language",
                       "is not a language tag (expected one like en or pt-BR)");
    }
}

static void name_is_required(void **state)
{
    (void)state;
    assert_refused("{\"age\":34}", PERSONA_SHAPE_SPEC, "name", "name: is required");
    assert_refused("{\"name\":null}", PERSONA_SHAPE_SPEC, "name", "name: is required");
    assert_refused("{\"demographics\":{\"age\":34}}", PERSONA_SHAPE_API, "name",
                   "name: is required");
    assert_refused("{\"name\":\"\"}", PERSONA_SHAPE_SPEC, "name", "name: must not be empty");
    assert_refused("{\"name\":\" \\t \"}", PERSONA_SHAPE_API, "name", "name: must not be empty");

    struct persona *p = spec("{\"name\":\"A\"}");
    persona_free(p);
}

static void unknown_and_misplaced_fields_are_named(void **state)
{
    (void)state;
    const enum persona_shape S = PERSONA_SHAPE_SPEC, A = PERSONA_SHAPE_API;
    assert_refused("{\"name\":\"Ana Souza\",\"color\":\"red\"}", A, "color",
                   "color: unknown field (a persona has name, demographics, personality and "
                   "profile)");
    assert_refused("{\"name\":\"Ana Souza\",\"demographics\":{\"height\":170}}", A,
                   "demographics.height", "demographics.height: unknown field");
    assert_refused("{\"name\":\"Ana Souza\",\"personality\":{\"mbti\":\"INTJ\"}}", A,
                   "personality.mbti", "personality.mbti: unknown field");
    assert_refused("{\"name\":\"Ana Souza\",\"occupation\":{\"salary\":3000}}", S,
                   "occupation.salary", "occupation.salary: unknown field");
    assert_refused("{\"name\":\"Ana Souza\",\"profile\":{\"age\":34}}", A, "profile.age",
                   "profile.age: misplaced field (it belongs in demographics.age)");
    assert_refused("{\"name\":\"Ana Souza\",\"likes\":[\"markets\"]}", A, "likes",
                   "likes: misplaced field (it belongs in profile.likes)");
    assert_refused("{\"name\":\"Ana Souza\",\"likes\":[\"markets\"]}", S, "likes",
                   "likes: misplaced field (it belongs in preferences.likes)");
    assert_refused("{\"name\":\"Ana Souza\",\"location\":\"Porto Alegre, Brazil\"}", S, "location",
                   "location: misplaced field (it belongs in residence)");
    assert_refused("{\"name\":\"Ana Souza\",\"demographics\":{\"age\":34}}", S, "demographics",
                   "demographics: misplaced field (it belongs in the API shape)");
    assert_refused("{\"name\":\"Ana Souza\",\"personality\":{\"interests\":[\"x\"]}}", S,
                   "personality.interests",
                   "personality.interests: misplaced field (it belongs in preferences.interests)");
}

static void not_an_object_is_refused(void **state)
{
    (void)state;
    struct persona *p = (struct persona *)1;
    struct err e = ERR_INIT;
    json_t *j = load("[1]");
    assert_int_equal(persona_from_json(j, PERSONA_SHAPE_SPEC, &p, &e), ERR_INVALID);
    assert_null(p);
    assert_contains(e.msg, "a persona must be a JSON object (got array)");
    json_decref(j);
}

/* ---- limits ------------------------------------------------------------------------------ */

static void lists_hold_at_most_100_items(void **state)
{
    (void)state;
    static const size_t good[] = { 0, 1, 100 };
    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        json_t *j = ana_with("preferences.likes", n_items(good[i]));
        struct persona *p = NULL;
        struct err e = ERR_INIT;
        assert_ok(persona_from_json(j, PERSONA_SHAPE_SPEC, &p, &e), &e);
        assert_int_equal(p->likes.n, good[i]);
        persona_free(p);
        json_decref(j);
    }
    assert_refused_json(ana_with("preferences.likes", n_items(101)), PERSONA_SHAPE_SPEC,
                        "preferences.likes",
                        "preferences.likes: 101 items is too many (at most 100)");
    assert_refused_json(ana_with("profile.skills", n_items(101)), PERSONA_SHAPE_API,
                        "profile.skills", "101 items is too many (at most 100)");
}

static void strings_hold_at_most_2000_characters(void **state)
{
    (void)state;
    /* counted in characters: 2000 'é' are 4000 bytes and fit */
    char *s = repeat("é", 2000);
    json_t *j = ana_with("style", json_string(s));
    struct persona *p = NULL;
    struct err e = ERR_INIT;
    assert_ok(persona_from_json(j, PERSONA_SHAPE_SPEC, &p, &e), &e);
    assert_int_equal(strlen(p->style), 4000);
    persona_free(p);
    json_decref(j);
    free(s);

    s = repeat("a", 2001);
    assert_refused_json(ana_with("style", json_string(s)), PERSONA_SHAPE_SPEC, "style",
                        "style: 2001 characters is too long (at most 2000)");
    json_t *list = json_array();
    json_array_append_new(list, json_string("ok"));
    json_array_append_new(list, json_string(s));
    assert_refused_json(ana_with("profile.beliefs", list), PERSONA_SHAPE_API, "profile.beliefs[1]",
                        "2001 characters is too long (at most 2000)");
    free(s);
}

static void names_hold_at_most_200_characters(void **state)
{
    (void)state;
    char *s = repeat("ã", 200);
    json_t *j = json_pack("{s:s}", "name", s);
    struct persona *p = NULL;
    struct err e = ERR_INIT;
    assert_ok(persona_from_json(j, PERSONA_SHAPE_SPEC, &p, &e), &e);
    persona_free(p);
    json_decref(j);
    free(s);

    s = repeat("a", 201);
    assert_refused_json(json_pack("{s:s}", "name", s), PERSONA_SHAPE_API, "name",
                        "name: 201 characters is too long (at most 200)");
    assert_refused_json(
        json_pack("{s:s, s:[{s:s}]}", "name", "Ana Souza", "relationships", "name", s),
        PERSONA_SHAPE_SPEC, "relationships[0].name", "201 characters is too long (at most 200)");
    free(s);
}

static void relationships_and_routines_hold_at_most_100(void **state)
{
    (void)state;
    for (size_t n = 100; n <= 101; n++) {
        json_t *rels = json_array();
        json_t *routines = json_object();
        for (size_t i = 0; i < n; i++) {
            char name[32];
            snprintf(name, sizeof(name), "friend %zu", i);
            json_array_append_new(rels, json_pack("{s:s}", "name", name));
            json_object_set_new(routines, name, json_string("visits"));
        }
        json_t *a = ana_with("relationships", rels);
        json_t *b = ana_with("behaviors.routines", routines);
        if (n == 100) {
            struct persona *p = NULL, *q = NULL;
            struct err e = ERR_INIT;
            assert_ok(persona_from_json(a, PERSONA_SHAPE_SPEC, &p, &e), &e);
            assert_ok(persona_from_json(b, PERSONA_SHAPE_SPEC, &q, &e), &e);
            assert_int_equal(p->n_relationships, 100);
            assert_int_equal(q->n_routines, 100);
            persona_free(p);
            persona_free(q);
            json_decref(a);
            json_decref(b);
        } else {
            assert_refused_json(a, PERSONA_SHAPE_SPEC, "relationships",
                                "relationships: 101 items is too many (at most 100)");
            assert_refused_json(b, PERSONA_SHAPE_SPEC, "behaviors.routines",
                                "behaviors.routines: 101 routines is too many (at most 100)");
        }
    }
}

static void unknown_fields_are_bounded(void **state)
{
    (void)state;
    json_t *j = load("{\"name\":\"Ana Souza\"}");
    for (int i = 0; i < 100; i++) {
        char key[32];
        snprintf(key, sizeof(key), "fact_%03d", i);
        json_object_set_new(j, key, json_integer(i));
    }
    struct persona *p = NULL;
    struct err e = ERR_INIT;
    assert_ok(persona_from_json(j, PERSONA_SHAPE_SPEC, &p, &e), &e);
    persona_free(p);
    json_object_set_new(j, "fact_100", json_integer(100));
    assert_refused_json(j, PERSONA_SHAPE_SPEC, "fact_100", "too many unknown fields (at most 100)");

    /* {"diary":"x...x"} is 12 bytes more than its x's: 16372 of them make 16384 */
    char *big = repeat("x", 16372);
    j = ana_with("profile.diary", json_string(big));
    assert_ok(persona_from_json(j, PERSONA_SHAPE_API, &p, &e), &e);
    assert_int_equal(strlen(p->extra_json), 16384);
    /* a fragment may not make them larger */
    struct err me = ERR_INIT;
    assert_int_equal(merge(p, "{\"zodiac\":\"leo\"}", false, &me), ERR_INVALID);
    assert_contains(me.msg, "fragment: unknown fields would take 16399 bytes of JSON (at most "
                            "16384)");
    persona_free(p);
    json_decref(j);
    free(big);
    big = repeat("x", 16373);
    assert_refused_json(ana_with("profile.diary", json_string(big)), PERSONA_SHAPE_API,
                        "profile.diary", "unknown fields take more than 16384 bytes of JSON");
    free(big);
}

/* ---- unknown fields ------------------------------------------------------------------------ */

static void unknown_fields_are_kept_sorted_and_rendered(void **state)
{
    (void)state;
    struct persona *p = spec("{\"zodiac\":\"leo\",\"name\":\"Ana Souza\",\"age\":34,"
                             "\"pets\":{\"dog\":\"Bolt\",\"cat\":\"Mia\"},\"lucky\":[3,7]}");
    assert_string_equal(p->extra_json,
                        "{\"lucky\":[3,7],\"pets\":{\"cat\":\"Mia\",\"dog\":\"Bolt\"},"
                        "\"zodiac\":\"leo\"}");
    assert_renders(p, "{\"name\":\"Ana Souza\",\"age\":34,\"language\":\"en\",\"lucky\":[3,7],"
                      "\"pets\":{\"cat\":\"Mia\",\"dog\":\"Bolt\"},\"zodiac\":\"leo\"}");
    /* in the API shape they live in profile, and come back from there */
    char *api = to_text(p, PERSONA_SHAPE_API);
    assert_string_equal(api, "{\"name\":\"Ana Souza\",\"demographics\":{\"age\":34,\"language\":"
                             "\"en\"},\"profile\":{\"lucky\":[3,7],\"pets\":{\"cat\":\"Mia\","
                             "\"dog\":\"Bolt\"},\"zodiac\":\"leo\"}}");
    struct persona *q = read_ok(api, PERSONA_SHAPE_API);
    assert_string_equal(q->extra_json, p->extra_json);
    free(api);
    persona_free(p);
    persona_free(q);

    /* any JSON is kept as it is, a NUL inside a string included */
    p = spec("{\"name\":\"Ana Souza\",\"code\":\"a\\u0000b\",\"n\":1.5,\"ok\":true}");
    assert_renders(p, "{\"name\":\"Ana Souza\",\"language\":\"en\",\"code\":\"a\\u0000b\","
                      "\"n\":1.5,\"ok\":true}");
    merge_ok(p, "{\"code\":\"a\\u0000b\",\"more\":[1]}", false);
    assert_string_equal(p->extra_json, "{\"code\":\"a\\u0000b\",\"more\":[1],\"n\":1.5,"
                                       "\"ok\":true}");
    persona_free(p);
}

/* ---- fragments ---------------------------------------------------------------------------- */

static void fragment_adds_new_keys(void **state)
{
    (void)state;
    struct persona *p = spec("{\"name\":\"Ana Souza\",\"age\":34}");
    merge_ok(p,
             "{\"income_level\":\"middle\",\"preferences\":{\"likes\":[\"discount coupons\"]},"
             "\"traits_note\":\"price-sensitive\",\"behaviors\":{\"routines\":{\"saturday\":"
             "\"compares supermarket flyers\"}},\"relationships\":[{\"name\":\"Marcos\"}]}",
             false);
    assert_renders(p, "{\"name\":\"Ana Souza\",\"age\":34,\"language\":\"en\","
                      "\"income_level\":\"middle\",\"preferences\":{\"likes\":[\"discount "
                      "coupons\"]},\"behaviors\":{\"routines\":{\"saturday\":\"compares "
                      "supermarket flyers\"}},\"relationships\":[{\"name\":\"Marcos\"}],"
                      "\"traits_note\":\"price-sensitive\"}");
    persona_free(p);
}

static void fragment_merges_objects_recursively(void **state)
{
    (void)state;
    struct persona *p = spec("{\"name\":\"Ana Souza\",\"occupation\":\"nurse\","
                             "\"personality\":{\"traits\":[\"careful\"],\"big_five\":{"
                             "\"conscientiousness\":\"high\"}},"
                             "\"relationships\":[{\"name\":\"Marcos\"}],"
                             "\"behaviors\":{\"routines\":{\"morning\":\"runs\"}},"
                             "\"pets\":{\"dog\":\"Bolt\"}}");
    merge_ok(p,
             "{\"occupation\":{\"organization\":\"Hospital de Clínicas\"},"
             "\"personality\":{\"big_five\":{\"openness\":\"high\",\"conscientiousness\":"
             "\"high\"}},\"relationships\":[{\"name\":\"marcos\",\"description\":\"her "
             "husband\"}],\"behaviors\":{\"routines\":{\"evening\":\"reads\",\"morning\":"
             "\"runs\"}},\"pets\":{\"cat\":\"Mia\"}}",
             false);
    assert_string_equal(p->occupation_title, "nurse");
    assert_string_equal(p->occupation_organization, "Hospital de Clínicas");
    assert_int_equal(p->big5[BIG5_OPENNESS], BIG5_HIGH);
    assert_int_equal(p->big5[BIG5_CONSCIENTIOUSNESS], BIG5_HIGH);
    assert_int_equal(p->n_relationships, 1);
    assert_string_equal(p->relationships[0].name, "Marcos");
    assert_string_equal(p->relationships[0].description, "her husband");
    assert_int_equal(p->n_routines, 2);
    assert_string_equal(p->extra_json, "{\"pets\":{\"cat\":\"Mia\",\"dog\":\"Bolt\"}}");
    persona_free(p);
}

static void fragment_lists_are_unions_without_duplicates(void **state)
{
    (void)state;
    struct persona *p = spec("{\"name\":\"Ana Souza\",\"preferences\":{\"likes\":[\"street "
                             "markets\",\"Água de coco\"]},\"lucky\":[\"three\",7]}");
    merge_ok(p,
             "{\"preferences\":{\"likes\":[\"Street Markets\",\"coupons\",\"ÁGUA DE COCO\","
             "\"coupons\"]},\"lucky\":[\"THREE\",7,8]}",
             false);
    assert_int_equal(p->likes.n, 3);
    assert_string_equal(p->likes.items[0], "street markets");
    assert_string_equal(p->likes.items[1], "Água de coco");
    assert_string_equal(p->likes.items[2], "coupons");
    assert_string_equal(p->extra_json, "{\"lucky\":[\"three\",7,8]}");
    persona_free(p);
}

static void fragment_conflicts_are_refused_with_the_field(void **state)
{
    (void)state;
    struct persona *p = spec(ana_spec);
    merge_ok(p, "{\"pets\":{\"dog\":\"Bolt\"}}", false);
    assert_merge_refused(p, "{\"preferences\":{\"likes\":[\"coupons\"]},\"age\":40}", ERR_CONFLICT,
                         "age", "fragment: 'age' is 34 here and 40 in the fragment");
    assert_merge_refused(p, "{\"occupation\":{\"title\":\"doctor\"}}", ERR_CONFLICT,
                         "occupation.title",
                         "fragment: 'occupation.title' is 'nurse' here and 'doctor' in the "
                         "fragment");
    assert_merge_refused(p, "{\"occupation\":\"doctor\"}", ERR_CONFLICT, "occupation.title",
                         "'occupation.title' is 'nurse'");
    assert_merge_refused(p, "{\"personality\":{\"big_five\":{\"neuroticism\":\"high\"}}}",
                         ERR_CONFLICT, "personality.big_five.neuroticism",
                         "fragment: 'personality.big_five.neuroticism' is 'low' here and 'high' "
                         "in the fragment");
    assert_merge_refused(p, "{\"income_level\":\"high\"}", ERR_CONFLICT, "income_level",
                         "'income_level' is 'lower_middle' here and 'high' in the fragment");
    assert_merge_refused(p, "{\"gender\":\"Female\"}", ERR_CONFLICT, "gender",
                         "'gender' is 'female' here and 'Female' in the fragment");
    assert_merge_refused(p, "{\"language\":\"en\"}", ERR_CONFLICT, "language",
                         "'language' is 'pt-BR' here and 'en' in the fragment");
    assert_merge_refused(p, "{\"behaviors\":{\"routines\":{\"morning\":\"sleeps in\"}}}",
                         ERR_CONFLICT, "behaviors.routines.morning",
                         "'behaviors.routines.morning' is 'runs by the Guaíba'");
    assert_merge_refused(p,
                         "{\"relationships\":[{\"name\":\"MARCOS\",\"description\":\"a "
                         "neighbour\"}]}",
                         ERR_CONFLICT, "relationships[0].description",
                         "'relationships[0].description' is 'her husband, a bus driver'");
    assert_merge_refused(p, "{\"pets\":{\"dog\":\"Rex\"}}", ERR_CONFLICT, "pets.dog",
                         "fragment: 'pets.dog' is 'Bolt' here and 'Rex' in the fragment");
    assert_merge_refused(p, "{\"pets\":[\"Rex\"]}", ERR_CONFLICT, "pets",
                         "'pets' is '{\"dog\":\"Bolt\"}' here and '[\"Rex\"]' in the fragment");
    persona_free(p);
}

static void fragment_equal_scalars_are_not_conflicts(void **state)
{
    (void)state;
    struct persona *p = spec(ana_spec);
    char *before = render(p);
    merge_ok(p,
             "{\"name\":\"Ana Souza\",\"age\":34,\"gender\":\"female\",\"language\":\"pt-BR\","
             "\"income_level\":\"Lower_Middle\",\"occupation\":{\"title\":\"nurse\"},"
             "\"personality\":{\"big_five\":{\"openness\":0.5}},\"health\":\"\","
             "\"preferences\":{\"likes\":[\"STREET MARKETS\"]}}",
             false);
    char *after = render(p);
    assert_string_equal(after, before);
    free(before);
    free(after);
    persona_free(p);
}

static void fragment_overwrite_replaces_scalars(void **state)
{
    (void)state;
    struct persona *p = spec(ana_spec);
    merge_ok(p, "{\"pets\":{\"dog\":\"Bolt\"}}", false);
    merge_ok(p,
             "{\"age\":40,\"occupation\":{\"title\":\"head nurse\"},\"personality\":{"
             "\"big_five\":{\"neuroticism\":\"high\"}},\"preferences\":{\"likes\":[\"coupons\"]},"
             "\"pets\":{\"dog\":\"Rex\"},\"behaviors\":{\"routines\":{\"morning\":\"sleeps in\"}}}",
             true);
    assert_int_equal(p->age, 40);
    assert_string_equal(p->occupation_title, "head nurse");
    assert_string_equal(p->occupation_organization, "Hospital de Clínicas");
    assert_int_equal(p->big5[BIG5_NEUROTICISM], BIG5_HIGH);
    assert_int_equal(p->likes.n, 2); /* lists are still unions */
    assert_string_equal(p->likes.items[0], "street markets");
    assert_string_equal(p->extra_json, "{\"pets\":{\"dog\":\"Rex\"}}");
    char *r = render(p);
    assert_contains(r, "\"morning\":\"sleeps in\"");
    free(r);
    persona_free(p);
}

static void fragment_is_validated_like_a_spec(void **state)
{
    (void)state;
    struct persona *p = spec(ana_spec);
    assert_merge_refused(p, "{\"age\":\"forty\"}", ERR_INVALID, "age",
                         "fragment: age: must be an integer (got string)");
    assert_merge_refused(p, "{\"preferences\":{\"likes\":[\"a\",2]}}", ERR_INVALID,
                         "preferences.likes[1]",
                         "fragment: preferences.likes[1]: must be a string");
    assert_merge_refused(p, "{\"demographics\":{}}", ERR_INVALID, "demographics",
                         "fragment: demographics: misplaced field");
    assert_merge_refused(p, "[\"early adopter\"]", ERR_INVALID, "",
                         "fragment: must be an object (got array)");
    /* an empty fragment and a name-less one are fine */
    merge_ok(p, "{}", false);
    merge_ok(p, "{\"skills\":[\"wound care\"]}", false);
    assert_int_equal(p->skills.n, 2);
    persona_free(p);
}

static void fragment_may_not_grow_a_list_past_100(void **state)
{
    (void)state;
    json_t *j = ana_with("preferences.likes", n_items(99));
    struct persona *p = NULL;
    struct err e = ERR_INIT;
    assert_ok(persona_from_json(j, PERSONA_SHAPE_SPEC, &p, &e), &e);
    json_decref(j);
    merge_ok(p, "{\"preferences\":{\"likes\":[\"item 0\",\"coupons\"]}}", false);
    assert_int_equal(p->likes.n, 100);
    assert_merge_refused(p, "{\"preferences\":{\"likes\":[\"flyers\"]}}", ERR_INVALID,
                         "preferences.likes",
                         "fragment: preferences.likes would hold 101 items (at most 100)");
    persona_free(p);
}

/* ---- lifecycle, names, lists --------------------------------------------------------------------
 */

static void dup_is_deep(void **state)
{
    (void)state;
    struct persona *p = spec(ana_spec);
    merge_ok(p, "{\"pets\":{\"dog\":\"Bolt\"}}", false);
    char *want = render(p);
    struct persona *d = persona_dup(p);
    assert_ptr_not_equal(d->name, p->name);
    assert_ptr_not_equal(d->likes.items, p->likes.items);
    assert_ptr_not_equal(d->likes.items[0], p->likes.items[0]);
    assert_ptr_not_equal(d->routines, p->routines);
    assert_ptr_not_equal(d->relationships[0].name, p->relationships[0].name);
    assert_ptr_not_equal(d->extra_json, p->extra_json);
    strlist_add(&p->likes, "coupons");
    p->age = 35;
    p->name[0] = 'E';
    persona_free(p);
    assert_renders(d, want);
    free(want);
    persona_free(d);
}

static void free_accepts_null(void **state)
{
    (void)state;
    persona_free(NULL);
    struct persona *p = persona_new();
    struct persona *d = persona_dup(p);
    persona_free(p);
    persona_free(d);
}

static void names_of_levels_and_dimensions(void **state)
{
    (void)state;
    assert_null(persona_income_name(INCOME_UNSET));
    assert_string_equal(persona_income_name(INCOME_LOW), "low");
    assert_string_equal(persona_income_name(INCOME_LOWER_MIDDLE), "lower_middle");
    assert_string_equal(persona_income_name(INCOME_MIDDLE), "middle");
    assert_string_equal(persona_income_name(INCOME_UPPER_MIDDLE), "upper_middle");
    assert_string_equal(persona_income_name(INCOME_HIGH), "high");
    assert_string_equal(persona_big5_name(BIG5_OPENNESS), "openness");
    assert_string_equal(persona_big5_name(BIG5_CONSCIENTIOUSNESS), "conscientiousness");
    assert_string_equal(persona_big5_name(BIG5_EXTRAVERSION), "extraversion");
    assert_string_equal(persona_big5_name(BIG5_AGREEABLENESS), "agreeableness");
    assert_string_equal(persona_big5_name(BIG5_NEUROTICISM), "neuroticism");
    assert_null(persona_big5_name(BIG5_COUNT_));
    assert_null(persona_big5_level_name(BIG5_UNSET));
    assert_string_equal(persona_big5_level_name(BIG5_LOW), "low");
    assert_string_equal(persona_big5_level_name(BIG5_MEDIUM), "medium");
    assert_string_equal(persona_big5_level_name(BIG5_HIGH), "high");
}

static void country_is_the_last_part_of_residence(void **state)
{
    (void)state;
    static const struct {
        const char *residence, *country;
    } cases[] = {
        { "Porto Alegre, Brazil", "Brazil" },
        { "São Paulo, SP, Brazil", "Brazil" },
        { "USA", "USA" },
        { "Lisbon,Portugal", "Portugal" },
        { "Nowhere, ", "" },
    };
    struct persona *p = persona_new();
    assert_string_equal(persona_country(p), "");
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        free(p->residence);
        p->residence = strdup(cases[i].residence);
        assert_string_equal(persona_country(p), cases[i].country);
    }
    persona_free(p);
}

static void strlist_ignores_case_of_accented_letters(void **state)
{
    (void)state;
    struct strlist l = { 0 };
    assert_false(strlist_has(&l, "anything"));
    strlist_add(&l, "Água de coco");
    strlist_add(&l, "ПРИВЕТ");
    assert_true(strlist_has(&l, "água DE COCO"));
    assert_true(strlist_has(&l, "привет"));
    assert_false(strlist_has(&l, "agua de coco"));
    assert_false(strlist_has(&l, "Água de coc"));
    assert_false(strlist_has(&l, "Água de cocoa"));
    assert_int_equal(l.n, 2);
    strlist_release(&l);
    assert_null(l.items);
    assert_int_equal(l.n, 0);
    strlist_release(&l);
}

/* A list kept as one text (tags, a run's members) comes back as it was. */
static void strlist_lines_round_trip(void **state)
{
    (void)state;
    struct strlist l = { 0 }, back = { 0 };
    char *empty = strlist_join_lines(&l);
    assert_string_equal(empty, "");
    strlist_split_lines(empty, &back);
    assert_int_equal(back.n, 0);
    free(empty);
    strlist_add(&l, "pt-br");
    strlist_add(&l, "parents");
    strlist_add(&l, "São Paulo");
    char *text = strlist_join_lines(&l);
    assert_string_equal(text, "pt-br\nparents\nSão Paulo");
    strlist_split_lines(text, &back);
    assert_int_equal(back.n, 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(back.items[i], l.items[i]);
    free(text);
    strlist_release(&back);
    strlist_split_lines("a\n", &back);
    assert_int_equal(back.n, 1);
    assert_string_equal(back.items[0], "a");
    strlist_split_lines(NULL, &back);
    assert_int_equal(back.n, 1);
    strlist_release(&back);
    strlist_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strlist_lines_round_trip),
        cmocka_unit_test(spec_round_trip_is_exact),
        cmocka_unit_test(api_round_trip_is_exact),
        cmocka_unit_test(api_layer_keys_are_ignored_not_kept),
        cmocka_unit_test(spec_maps_to_api_field_by_field),
        cmocka_unit_test(api_maps_to_spec_field_by_field),
        cmocka_unit_test(api_fields_land_in_the_engine_fields),
        cmocka_unit_test(rendering_does_not_depend_on_key_order),
        cmocka_unit_test(render_is_compact_and_appends),
        cmocka_unit_test(empty_fields_are_left_out),
        cmocka_unit_test(language_is_en_when_not_given),
        cmocka_unit_test(occupation_may_be_a_plain_title),
        cmocka_unit_test(big_five_accepts_words_numbers_and_tinytroupe_text),
        cmocka_unit_test(big_five_refuses_other_values),
        cmocka_unit_test(income_levels_are_matched_ignoring_case),
        cmocka_unit_test(tinytroupe_routine_arrays_are_joined),
        cmocka_unit_test(wrong_types_are_refused_with_their_path),
        cmocka_unit_test(ages_are_checked),
        cmocka_unit_test(language_must_be_a_tag),
        cmocka_unit_test(name_is_required),
        cmocka_unit_test(unknown_and_misplaced_fields_are_named),
        cmocka_unit_test(not_an_object_is_refused),
        cmocka_unit_test(lists_hold_at_most_100_items),
        cmocka_unit_test(strings_hold_at_most_2000_characters),
        cmocka_unit_test(names_hold_at_most_200_characters),
        cmocka_unit_test(relationships_and_routines_hold_at_most_100),
        cmocka_unit_test(unknown_fields_are_bounded),
        cmocka_unit_test(unknown_fields_are_kept_sorted_and_rendered),
        cmocka_unit_test(fragment_adds_new_keys),
        cmocka_unit_test(fragment_merges_objects_recursively),
        cmocka_unit_test(fragment_lists_are_unions_without_duplicates),
        cmocka_unit_test(fragment_conflicts_are_refused_with_the_field),
        cmocka_unit_test(fragment_equal_scalars_are_not_conflicts),
        cmocka_unit_test(fragment_overwrite_replaces_scalars),
        cmocka_unit_test(fragment_is_validated_like_a_spec),
        cmocka_unit_test(fragment_may_not_grow_a_list_past_100),
        cmocka_unit_test(dup_is_deep),
        cmocka_unit_test(free_accepts_null),
        cmocka_unit_test(names_of_levels_and_dimensions),
        cmocka_unit_test(country_is_the_last_part_of_residence),
        cmocka_unit_test(strlist_ignores_case_of_accented_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
