/*
 * tests/unit/domain/test_test_spec.c - a test as the API, the UI and
 * `crowdelic run` write it (domain/test_spec.h): SPEC.md 3's example and
 * one test of each type read and written back byte for byte, then one test
 * per rule, each asserting the code, the exact JSON path in err->field and
 * that the message starts with that path.
 *
 * Each case starts from a valid document of its type (jansson, so that one
 * field can be changed by its path) and breaks one thing.
 */
#include "core/compat.h"

#include "domain/test_spec.h"

#include <jansson.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/xalloc.h"
#include "testutil.h"

/* ---- documents ------------------------------------------------------------------------- */

/* SPEC.md 3 "A test, as the API, the UI and `crowdelic run` all write it", with real ids. */
static const char PRODUCT[] =
    "{'name': 'Meal kit concept', 'type': 'product',"
    " 'config': {"
    "  'personas': ['0192f5a0-7c1e-7b3a-9f00-000000000001', '0192f5a0-7c1e-7b3a-9f00-000000000002'],"
    "  'scenarios': [{"
    "    'id': 'concept', 'title': 'First look',"
    "    'stimulus': 'FreshBox: 3 chef-designed dinners a week, delivered, $49/month.',"
    "    'variants': [],"
    "    'questions': ["
    "      {'id': 'appeal', 'kind': 'rating', 'prompt': 'How appealing is this?', 'scale': {'min': 1, 'max': 10}},"
    "      {'id': 'buy', 'kind': 'yes_no', 'prompt': 'Would you subscribe?'},"
    "      {'id': 'price', 'kind': 'choice', 'prompt': 'The price is\xe2\x80\xa6', 'options': ['too low', 'fair', 'too high']},"
    "      {'id': 'why', 'kind': 'text', 'prompt': 'What would make you try it?'}"
    "    ]}],"
    "  'environment': 'online', 'timeout': 600, 'seed': 42,"
    "  'model': {'name': 'gpt-4o-mini', 'temperature': 1.0, 'concurrency': 16},"
    "  'elicitation': 'direct', 'samples': 1,"
    "  'success_criteria': ['mean(appeal) >= 7', 'share(buy == \\'yes\\') >= 0.4']}}";

/* The example's canonical text: keys in the header's order, the empty variants left out. */
static const char PRODUCT_CANONICAL[] =
    "{'name':'Meal kit concept','type':'product','config':{"
    "'personas':['0192f5a0-7c1e-7b3a-9f00-000000000001','0192f5a0-7c1e-7b3a-9f00-000000000002'],"
    "'scenarios':[{'id':'concept','title':'First look',"
    "'stimulus':'FreshBox: 3 chef-designed dinners a week, delivered, $49/month.',"
    "'questions':["
    "{'id':'appeal','kind':'rating','prompt':'How appealing is this?','scale':{'min':1,'max':10}},"
    "{'id':'buy','kind':'yes_no','prompt':'Would you subscribe?'},"
    "{'id':'price','kind':'choice','prompt':'The price is\xe2\x80\xa6','options':['too low','fair','too high']},"
    "{'id':'why','kind':'text','prompt':'What would make you try it?'}]}],"
    "'environment':'online','timeout':600,'seed':42,"
    "'model':{'name':'gpt-4o-mini','temperature':1.0,'concurrency':16},"
    "'elicitation':'direct','samples':1,"
    "'success_criteria':['mean(appeal) >= 7','share(buy == \\'yes\\') >= 0.4']}}";

/* An A/B test of two ads in two placements; the winner as a criterion. */
static const char MESSAGE[] =
    "{'name': 'Spring campaign headline', 'type': 'message',"
    " 'project_id': '0192f5a0-7c1e-7b3a-9f00-00000000abcd',"
    " 'config': {"
    "  'panel': {'filter': {'country': 'Brazil', 'age_min': 25, 'age_max': 40, 'tag': ['parents']}},"
    "  'scenarios': ["
    "   {'id': 'feed', 'title': 'Instagram feed',"
    "    'stimulus': 'You are scrolling your feed on a Sunday evening and see this ad.',"
    "    'image_url': 'https://cdn.example.com/ads/spring.png',"
    "    'variants': [{'id': 'A', 'stimulus': 'Dinner sorted in 15 minutes.'},"
    "                 {'id': 'B', 'stimulus': 'Real food, no planning: FreshBox.'}],"
    "    'questions': ["
    "      {'id': 'appeal', 'kind': 'rating', 'prompt': 'How appealing is this ad?', 'scale': {'min': 1, 'max': 7}},"
    "      {'id': 'message', 'kind': 'ranking', 'prompt': 'Rank what the ad says to you',"
    "       'options': ['convenience', 'health', 'price']}]},"
    "   {'id': 'email',"
    "    'stimulus': 'This arrives in your inbox.\\nSubject: your week of dinners',"
    "    'variants': [{'id': 'A', 'stimulus': 'Dinner sorted in 15 minutes.'},"
    "                 {'id': 'B', 'stimulus': 'Real food, no planning: FreshBox.'},"
    "                 {'id': 'C', 'stimulus': 'Cook like a chef tonight.'}],"
    "    'questions': ["
    "      {'id': 'appeal', 'kind': 'rating', 'prompt': 'How appealing is this email?', 'scale': {'min': 1, 'max': 7}},"
    "      {'id': 'open', 'kind': 'yes_no', 'prompt': 'Would you open it?'}]}],"
    "  'elicitation': 'ssr', 'samples': 3,"
    "  'success_criteria': ['winner == \\'B\\'', 'mean(appeal) >= 5']}}";

/* An onboarding flow walked step by step; the last step asks nothing. */
static const char JOURNEY[] =
    "{'name': 'Onboarding flow', 'type': 'journey',"
    " 'config': {"
    "  'panel': {'generate': 50, 'description': 'Urban parents 25-40,\\nmixed incomes'},"
    "  'scenarios': ["
    "   {'id': 'signup', 'title': 'Sign up', 'stimulus': 'A form asks for email, password and phone.',"
    "    'questions': [{'id': 'confused', 'kind': 'yes_no', 'prompt': 'Is anything confusing?'},"
    "                  {'id': 'ease', 'kind': 'rating', 'prompt': 'How easy was this step?', 'scale': {'min': 1, 'max': 5}}]},"
    "   {'id': 'verify', 'title': 'Verify phone', 'stimulus': 'A six-digit code is sent by SMS.',"
    "    'questions': [{'id': 'confused', 'kind': 'yes_no', 'prompt': 'Is anything confusing?'},"
    "                  {'id': 'give_up', 'kind': 'yes_no', 'prompt': 'Would you give up here?'}]},"
    "   {'id': 'first-task', 'title': 'First recipe', 'stimulus': 'The app suggests three recipes.'}],"
    "  'timeout': 1200, 'seed': 7,"
    "  'success_criteria': ['share(give_up == \\'yes\\') <= 0.2']}}";

/* Six personas of a library discuss with a moderator. */
static const char FOCUS_GROUP[] =
    "{'name': 'Weeknight dinners', 'type': 'focus_group',"
    " 'config': {"
    "  'panel': {'library_id': '0192f5a0-7c1e-7b3a-9f00-00000000beef'},"
    "  'scenarios': [{'id': 'topic', 'stimulus': 'How do you decide what to cook on weeknights?',"
    "                 'variants': []}],"
    "  'moderator': {'questions': ['What did you cook last night, and why?',"
    "                              'What would make weeknight cooking easier?'], 'rounds': 2},"
    "  'environment': 'a video call', 'model': {'temperature': 0.7}}}";

/* text with every ' turned into " (the documents above read better that way). */
static char *dq(const char *text)
{
    char *s = xstrdup(text);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

static json_t *doc_of(const char *text)
{
    char *s = dq(text);
    json_error_t jerr;
    json_t *doc = json_loads(s, 0, &jerr);
    if (!doc)
        fail_msg("bad test document: %s (line %d column %d)", jerr.text, jerr.line, jerr.column);
    free(s);
    return doc;
}

/* ---- paths ----------------------------------------------------------------------------- */

/* The value at path ("config.scenarios[0].questions[1]"; "" is doc), borrowed, or NULL. */
static json_t *at(json_t *doc, const char *path)
{
    json_t *cur = doc;
    const char *p = path;
    while (*p && cur) {
        if (*p == '.')
            p++;
        if (*p == '[') {
            char *end;
            size_t i = strtoul(p + 1, &end, 10);
            cur = json_array_get(cur, i);
            p = end + 1;
            continue;
        }
        size_t n = strcspn(p, ".[");
        char key[64];
        snprintf(key, sizeof(key), "%.*s", (int)n, p);
        cur = json_object_get(cur, key);
        p += n;
    }
    return cur;
}

/* Sets the value at path (stolen; an index past the end appends), or deletes it (NULL). */
static void put(json_t *doc, const char *path, json_t *value)
{
    const char *dot = strrchr(path, '.'), *br = strrchr(path, '[');
    const char *last = dot > br ? dot : br;
    char parent[256];
    size_t plen = last ? (size_t)(last - path) : 0;
    snprintf(parent, sizeof(parent), "%.*s", (int)plen, path);
    json_t *p = at(doc, parent);
    if (!p)
        fail_msg("no parent '%s' for '%s'", parent, path);
    if (last && *last == '[') {
        size_t i = strtoul(last + 1, NULL, 10);
        if (!value)
            json_array_remove(p, i);
        else if (i >= json_array_size(p))
            json_array_append_new(p, value);
        else
            json_array_set_new(p, i, value);
        return;
    }
    const char *key = last ? last + 1 : path;
    if (value)
        json_object_set_new(p, key, value);
    else
        json_object_del(p, key);
}

/* Puts value parsed from JSON text (single quotes for double). */
static void put_json(json_t *doc, const char *path, const char *text)
{
    char *s = dq(text);
    json_error_t jerr;
    json_t *v = json_loads(s, JSON_DECODE_ANY, &jerr);
    if (!v)
        fail_msg("bad value %s: %s", s, jerr.text);
    free(s);
    put(doc, path, v);
}

/* n copies of unit, as a JSON string. */
static json_t *repeat(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = xmalloc(u * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    s[u * n] = '\0';
    json_t *j = json_string(s);
    free(s);
    return j;
}

/* ---- expectations ---------------------------------------------------------------------- */

/* Parses doc (consumed) and asserts success; the spec for the caller to free. */
static struct test_spec *expect_ok(json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    struct test_spec *t = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = test_spec_parse(text, strlen(text), &t, &err);
    free(text);
    if (rc)
        fail_msg("expected the spec to parse; got %s: %s (field '%s')", err_slug(rc), err.msg,
                 err.field);
    assert_non_null(t);
    return t;
}

static void ok(json_t *doc)
{
    test_spec_free(expect_ok(doc));
}

/*
 * Parses doc (consumed) and asserts ERR_INVALID naming field, a message
 * starting with the field and holding needle (when not NULL).
 */
static void refused(json_t *doc, const char *field, const char *needle)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    struct test_spec *t = (struct test_spec *)&t; /* must be set to NULL */
    struct err err = ERR_INIT;
    enum err_code rc = test_spec_parse(text, strlen(text), &t, &err);
    free(text);
    if (rc != ERR_INVALID) {
        if (!rc)
            test_spec_free(t);
        fail_msg("expected invalid_request at '%s'; got %s: %s (field '%s')", field, err_slug(rc),
                 err.msg, err.field);
    }
    assert_null(t);
    assert_string_equal(err.field, field);
    if (strncmp(err.msg, field, strlen(field)) != 0)
        fail_msg("message does not start with '%s': %s", field, err.msg);
    if (needle)
        assert_contains(err.msg, needle);
}

static char *format_of(const char *text)
{
    struct test_spec *t = NULL;
    struct err err = ERR_INIT;
    assert_ok(test_spec_parse(text, strlen(text), &t, &err), &err);
    size_t len = 0;
    char *out = test_spec_format(t, &len);
    assert_int_equal(len, strlen(out));
    test_spec_free(t);
    return out;
}

/* format(parse(x)) is a fixed point: parsing and formatting it again gives the same bytes. */
static char *assert_round_trip(const char *text)
{
    char *s = dq(text);
    char *once = format_of(s);
    char *twice = format_of(once);
    assert_string_equal(once, twice);
    free(twice);
    free(s);
    return once;
}

/* ---- the four types ---------------------------------------------------------------------- */

static void spec_example_parses_with_every_field(void **state)
{
    (void)state;
    struct test_spec *t = expect_ok(doc_of(PRODUCT));
    assert_string_equal(t->name, "Meal kit concept");
    assert_int_equal(t->type, TEST_PRODUCT);
    assert_null(t->project_id);
    assert_int_equal(t->panel.kind, PANEL_PERSONAS);
    assert_int_equal(t->panel.persona_ids.n, 2);
    assert_string_equal(t->panel.persona_ids.items[1], "0192f5a0-7c1e-7b3a-9f00-000000000002");
    assert_int_equal(t->n_scenarios, 1);
    const struct test_scenario *s = &t->scenarios[0];
    assert_string_equal(s->id, "concept");
    assert_string_equal(s->title, "First look");
    assert_null(s->image_url);
    assert_int_equal(s->n_variants, 0);
    assert_int_equal(s->n_questions, 4);
    assert_int_equal(s->questions[0].kind, QUESTION_RATING);
    assert_int_equal(s->questions[0].scale_min, 1);
    assert_int_equal(s->questions[0].scale_max, 10);
    assert_int_equal(s->questions[1].kind, QUESTION_YES_NO);
    assert_int_equal(s->questions[2].kind, QUESTION_CHOICE);
    assert_int_equal(s->questions[2].options.n, 3);
    assert_string_equal(s->questions[2].options.items[2], "too high");
    assert_string_equal(s->questions[2].prompt, "The price is\xe2\x80\xa6");
    assert_int_equal(s->questions[3].kind, QUESTION_TEXT);
    assert_string_equal(t->environment, "online");
    assert_int_equal(t->timeout_s, 600);
    assert_true(t->has_seed);
    assert_int_equal(t->seed, 42);
    assert_string_equal(t->model_name, "gpt-4o-mini");
    assert_true(t->has_temperature);
    assert_true(t->temperature == 1.0);
    assert_int_equal(t->concurrency, 16);
    assert_int_equal(t->elicitation, ELICIT_DIRECT);
    assert_int_equal(t->samples, 1);
    assert_int_equal(t->criteria.n, 2);
    assert_string_equal(t->criteria.items[1], "share(buy == \"yes\") >= 0.4");
    assert_int_equal(t->moderator_rounds, 0);
    test_spec_free(t);
}

static void message_test_reads_variants_and_filter(void **state)
{
    (void)state;
    struct test_spec *t = expect_ok(doc_of(MESSAGE));
    assert_int_equal(t->type, TEST_MESSAGE);
    assert_string_equal(t->project_id, "0192f5a0-7c1e-7b3a-9f00-00000000abcd");
    assert_int_equal(t->panel.kind, PANEL_FILTER);
    assert_string_equal(t->panel.filter.country, "Brazil");
    assert_int_equal(t->panel.filter.age_min, 25);
    assert_int_equal(t->panel.filter.age_max, 40);
    assert_int_equal(t->panel.filter.tags.n, 1);
    assert_null(t->panel.filter.gender);
    assert_int_equal(t->n_scenarios, 2);
    assert_string_equal(t->scenarios[0].image_url, "https://cdn.example.com/ads/spring.png");
    assert_int_equal(t->scenarios[0].n_variants, 2);
    assert_string_equal(t->scenarios[0].variants[1].id, "B");
    assert_int_equal(t->scenarios[1].n_variants, 3);
    assert_null(t->scenarios[1].title);
    assert_string_equal(t->scenarios[1].stimulus,
                        "This arrives in your inbox.\nSubject: your week of dinners");
    assert_int_equal(t->scenarios[0].questions[1].kind, QUESTION_RANKING);
    assert_int_equal(t->elicitation, ELICIT_SSR);
    assert_int_equal(t->samples, 3);
    assert_false(t->has_seed);
    assert_null(t->model_name);
    test_spec_free(t);
}

static void journey_keeps_its_steps_in_order(void **state)
{
    (void)state;
    struct test_spec *t = expect_ok(doc_of(JOURNEY));
    assert_int_equal(t->type, TEST_JOURNEY);
    assert_int_equal(t->panel.kind, PANEL_GENERATE);
    assert_int_equal(t->panel.generate, 50);
    assert_string_equal(t->panel.description, "Urban parents 25-40,\nmixed incomes");
    assert_int_equal(t->n_scenarios, 3);
    assert_string_equal(t->scenarios[0].id, "signup");
    assert_string_equal(t->scenarios[1].id, "verify");
    assert_string_equal(t->scenarios[2].id, "first-task");
    assert_int_equal(t->scenarios[2].n_questions, 0);
    assert_int_equal(t->timeout_s, 1200);
    assert_int_equal(t->seed, 7);
    test_spec_free(t);
}

static void focus_group_reads_its_moderator(void **state)
{
    (void)state;
    struct test_spec *t = expect_ok(doc_of(FOCUS_GROUP));
    assert_int_equal(t->type, TEST_FOCUS_GROUP);
    assert_int_equal(t->panel.kind, PANEL_LIBRARY);
    assert_string_equal(t->panel.library_id, "0192f5a0-7c1e-7b3a-9f00-00000000beef");
    assert_int_equal(t->moderator_questions.n, 2);
    assert_string_equal(t->moderator_questions.items[1],
                        "What would make weeknight cooking easier?");
    assert_int_equal(t->moderator_rounds, 2);
    assert_int_equal(t->scenarios[0].n_questions, 0);
    assert_string_equal(t->environment, "a video call");
    assert_true(t->has_temperature);
    assert_true(t->temperature == 0.7);
    assert_int_equal(t->concurrency, 0);
    test_spec_free(t);
}

static void type_names_go_both_ways(void **state)
{
    (void)state;
    const char *names[] = { "product", "message", "journey", "focus_group" };
    for (int i = 0; i < 4; i++) {
        assert_string_equal(test_type_name((enum test_type)i), names[i]);
        assert_int_equal(test_type_parse(names[i]), i);
    }
    assert_int_equal(test_type_parse("Product"), -1);
    assert_int_equal(test_type_parse(""), -1);
    assert_int_equal(test_type_parse(NULL), -1);
    test_spec_free(NULL);
}

/* ---- the canonical text --------------------------------------------------------------------- */

static void spec_example_formats_canonically(void **state)
{
    (void)state;
    char *once = assert_round_trip(PRODUCT);
    char *want = dq(PRODUCT_CANONICAL);
    assert_string_equal(once, want);
    free(want);
    free(once);
}

static void every_type_round_trips_byte_for_byte(void **state)
{
    (void)state;
    const char *docs[] = { PRODUCT, MESSAGE, JOURNEY, FOCUS_GROUP };
    for (size_t i = 0; i < ARRAY_SIZE(docs); i++)
        free(assert_round_trip(docs[i]));
}

static void defaults_are_written_out(void **state)
{
    (void)state;
    const char *minimal = "{'name':'Steps','type':'journey','config':{'panel':{'templates':'all'},"
                          "'scenarios':[{'id':'s','stimulus':'x'}]}}";
    char *text = dq(minimal);
    struct test_spec *t = NULL;
    struct err err = ERR_INIT;
    assert_ok(test_spec_parse(text, strlen(text), &t, &err), &err);
    assert_int_equal(t->timeout_s, TEST_TIMEOUT_DEFAULT);
    assert_int_equal(t->samples, 1);
    assert_int_equal(t->elicitation, ELICIT_DIRECT);
    assert_false(t->has_seed);
    assert_false(t->has_temperature);
    assert_null(t->environment);
    test_spec_free(t);
    free(text);
    char *once = assert_round_trip(minimal);
    char *want = dq("{'name':'Steps','type':'journey','config':{'panel':{'templates':'all'},"
                    "'scenarios':[{'id':'s','stimulus':'x','questions':[]}],"
                    "'timeout':600,'elicitation':'direct','samples':1}}");
    assert_string_equal(once, want);
    free(want);
    free(once);
}

static void optional_fields_are_left_out_and_texts_trimmed(void **state)
{
    (void)state;
    char *once =
        assert_round_trip("{'name':'  Spaced  ','type':'journey','project_id':null,'config':{"
                          "'panel':{'templates':'all'},'scenarios':[{'id':'s','title':null,"
                          "'stimulus':' Step one \\n','variants':[]}],'seed':null,'model':{},"
                          "'success_criteria':[]}}");
    char *want = dq("{'name':'Spaced','type':'journey','config':{'panel':{'templates':'all'},"
                    "'scenarios':[{'id':'s','stimulus':'Step one','questions':[]}],"
                    "'timeout':600,'elicitation':'direct','samples':1}}");
    assert_string_equal(once, want);
    free(want);
    free(once);
}

static void panel_forms_format_canonically(void **state)
{
    (void)state;
    json_t *doc = doc_of(MESSAGE);
    put_json(doc, "config.panel",
             "{'filter':{'tag':[' Parents ','Urban'],'type':'Template','income_level':'MIDDLE',"
             "'language':'pt-BR','education':'degree','nationality':'Brazilian',"
             "'occupation':'nurse','location':'Porto','country':'Brazil','gender':'female',"
             "'age_max':40,'age_min':25,'q':'cooks at home'}}");
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    char *once = format_of(text);
    assert_contains(once,
                    "{\"panel\":{\"filter\":{\"q\":\"cooks at home\",\"age_min\":25,\"age_max\":40,"
                    "\"gender\":\"female\",\"country\":\"Brazil\",\"location\":\"Porto\","
                    "\"occupation\":\"nurse\",\"income_level\":\"middle\","
                    "\"nationality\":\"Brazilian\",\"education\":\"degree\",\"language\":\"pt-BR\","
                    "\"type\":\"template\",\"tag\":[\"parents\",\"urban\"]}}");
    char *twice = format_of(once);
    assert_string_equal(once, twice);
    free(twice);
    free(once);
    free(text);
}

static void temperature_given_as_integer_formats_as_real(void **state)
{
    (void)state;
    json_t *doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.model", "{'temperature':1,'name':'gpt-4o','concurrency':4}");
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    char *once = format_of(text);
    assert_contains(once, "\"model\":{\"name\":\"gpt-4o\",\"temperature\":1.0,\"concurrency\":4}");
    char *twice = format_of(once);
    assert_string_equal(once, twice);
    free(twice);
    free(once);
    free(text);
}

/* ---- not JSON, not an object ------------------------------------------------------------- */

static void garbage_is_bad_json(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "   ", "{", "{'name':}", "nope", "{\"a\":1}{", "{\"name\":\"a\",\"name\":\"b\"}"
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *s = dq(bad[i]);
        struct test_spec *t = (struct test_spec *)&t;
        struct err err = ERR_INIT;
        assert_int_equal(test_spec_parse(s, strlen(s), &t, &err), ERR_BAD_JSON);
        assert_null(t);
        free(s);
    }
}

static void nul_and_invalid_utf8_are_bad_json(void **state)
{
    (void)state;
    char *s = dq(PRODUCT);
    struct test_spec *t = NULL;
    struct err err = ERR_INIT;
    /* an escaped U+0000 in a string */
    char *nul = strstr(s, "Meal kit");
    char *with_nul = xmalloc(strlen(s) + 8);
    snprintf(with_nul, strlen(s) + 8, "%.*s\\u0000%s", (int)(nul - s), s, nul);
    assert_int_equal(test_spec_parse(with_nul, strlen(with_nul), &t, &err), ERR_BAD_JSON);
    assert_null(t);
    /* a raw NUL byte inside the text */
    size_t len = strlen(s);
    char *raw = xmemdupz(s, len);
    raw[nul - s] = '\0';
    assert_int_equal(test_spec_parse(raw, len, &t, &err), ERR_BAD_JSON);
    /* bytes that are not UTF-8 */
    raw[nul - s] = (char)0xff;
    assert_int_equal(test_spec_parse(raw, len, &t, &err), ERR_BAD_JSON);
    raw[nul - s] = (char)0xc3; /* a cut sequence: 0xc3 then 'e' */
    assert_int_equal(test_spec_parse(raw, len, &t, &err), ERR_BAD_JSON);
    assert_null(t);
    free(raw);
    free(with_nul);
    free(s);
}

static void utf8_text_counts_characters_not_bytes(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "name", repeat("\xc3\xa9", TEST_NAME_MAX)); /* 200 characters, 400 bytes */
    ok(doc);
    doc = doc_of(PRODUCT);
    put(doc, "name", repeat("\xf0\x9f\x8d\xb2", TEST_NAME_MAX + 1));
    refused(doc, "name", "at most 200 characters (got 201)");
}

static void control_characters_are_refused_with_the_path(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "name", json_string("Meal\x01kit"));
    refused(doc, "name", "control characters");
    doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].questions[2].options[1]", json_string("fa\tir"));
    refused(doc, "config.scenarios[0].questions[2].options[1]", "control characters");
    /* a stimulus and a prompt may hold newlines and tabs; a title may not */
    doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].stimulus", json_string("Line one\n\tLine two"));
    put(doc, "config.scenarios[0].questions[0].prompt", json_string("Two\nlines"));
    ok(doc);
    doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].title", json_string("First\nlook"));
    refused(doc, "config.scenarios[0].title", "control characters");
}

static void a_document_that_is_not_an_object_is_refused(void **state)
{
    (void)state;
    const char *text = "[1,2]";
    struct test_spec *t = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(test_spec_parse(text, strlen(text), &t, &err), ERR_INVALID);
    assert_string_equal(err.field, "");
    assert_contains(err.msg, "must be a JSON object (got array)");
}

/* ---- unknown keys, types, required ------------------------------------------------------ */

static void unknown_keys_are_refused_at_every_level(void **state)
{
    (void)state;
    const struct {
        const char *doc, *at, *field;
    } cases[] = {
        { PRODUCT, "", "colour" },
        { PRODUCT, "config", "steps" },
        { PRODUCT, "config.scenarios[0]", "image" },
        { PRODUCT, "config.scenarios[0].questions[0]", "type" },
        { PRODUCT, "config.scenarios[0].questions[0].scale", "step" },
        { PRODUCT, "config.model", "top_p" },
        { MESSAGE, "config.scenarios[0].variants[1]", "title" },
        { MESSAGE, "config.panel", "size" },
        { MESSAGE, "config.panel.filter", "city" },
        { FOCUS_GROUP, "config.moderator", "style" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        json_t *doc = doc_of(cases[i].doc);
        char path[128], field[128];
        snprintf(path, sizeof(path), "%s%s%s", cases[i].at, *cases[i].at ? "." : "",
                 cases[i].field);
        snprintf(field, sizeof(field), "%s", path);
        put(doc, path, json_true());
        refused(doc, field, "unknown field (expected one of: ");
    }
}

static void unknown_key_message_lists_the_known_ones(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "config.model.top_p", json_real(0.9));
    refused(doc, "config.model.top_p",
            "config.model.top_p: unknown field (expected one of: name, temperature, concurrency)");
}

static void wrong_types_are_refused(void **state)
{
    (void)state;
    const struct {
        const char *doc, *path, *value, *needle;
    } cases[] = {
        { PRODUCT, "name", "42", "name must be a string (got integer)" },
        { PRODUCT, "type", "['product']", "type must be a string (got array)" },
        { PRODUCT, "project_id", "7", "project_id must be a string (got integer)" },
        { PRODUCT, "config", "[]", "config must be an object (got array)" },
        { PRODUCT, "config.personas", "'all'", "config.personas must be an array (got string)" },
        { PRODUCT, "config.personas[1]", "{}", "config.personas[1] must be a string (got object)" },
        { PRODUCT, "config.scenarios", "{}", "config.scenarios must be an array (got object)" },
        { PRODUCT, "config.scenarios[0]", "'concept'",
          "config.scenarios[0] must be an object (got string)" },
        { PRODUCT, "config.scenarios[0].id", "1", "must be a string (got integer)" },
        { PRODUCT, "config.scenarios[0].questions[0].kind", "3", "must be a string (got integer)" },
        { PRODUCT, "config.scenarios[0].questions[0].scale", "[1,10]",
          "must be an object (got array)" },
        { PRODUCT, "config.scenarios[0].questions[0].scale.max", "10.5",
          "must be an integer (got number)" },
        { PRODUCT, "config.scenarios[0].questions[2].options[1]", "2",
          "must be a string (got integer)" },
        { PRODUCT, "config.timeout", "'600'", "config.timeout must be an integer (got string)" },
        { PRODUCT, "config.timeout", "600.0", "config.timeout must be an integer (got number)" },
        { PRODUCT, "config.seed", "4.2", "config.seed must be an integer (got number)" },
        { PRODUCT, "config.model", "'gpt-4o'", "config.model must be an object (got string)" },
        { PRODUCT, "config.model.temperature", "'warm'", "must be a number (got string)" },
        { PRODUCT, "config.model.concurrency", "true", "must be an integer (got boolean)" },
        { PRODUCT, "config.elicitation", "1", "must be a string (got integer)" },
        { PRODUCT, "config.samples", "'1'", "must be an integer (got string)" },
        { PRODUCT, "config.environment", "{}", "must be a string (got object)" },
        { PRODUCT, "config.success_criteria", "'mean(appeal) >= 7'",
          "must be an array (got string)" },
        { PRODUCT, "config.success_criteria[0]", "7", "must be a string (got integer)" },
        { MESSAGE, "config.scenarios[0].variants", "{}", "must be an array (got object)" },
        { MESSAGE, "config.scenarios[0].variants[0]", "'A'", "must be an object (got string)" },
        { MESSAGE, "config.panel", "'all'", "config.panel must be an object (got string)" },
        { MESSAGE, "config.panel.filter.age_min", "'25'", "must be an integer (got string)" },
        { MESSAGE, "config.panel.filter.tag", "'parents'", "must be an array (got string)" },
        { MESSAGE, "config.panel.filter.tag[0]", "1", "must be a string (got integer)" },
        { JOURNEY, "config.panel.generate", "'50'", "must be an integer (got string)" },
        { FOCUS_GROUP, "config.moderator", "[]", "must be an object (got array)" },
        { FOCUS_GROUP, "config.moderator.rounds", "2.0", "must be an integer (got number)" },
        { FOCUS_GROUP, "config.moderator.questions[0]", "null", "must be a string (got null)" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        json_t *doc = doc_of(cases[i].doc);
        put_json(doc, cases[i].path, cases[i].value);
        refused(doc, cases[i].path, cases[i].needle);
    }
}

static void null_for_a_required_field_is_refused(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "name", json_null());
    refused(doc, "name", "name must be a string, not null");
}

static void missing_required_fields_are_named(void **state)
{
    (void)state;
    const struct {
        const char *doc, *path;
    } cases[] = {
        { PRODUCT, "name" },
        { PRODUCT, "type" },
        { PRODUCT, "config" },
        { PRODUCT, "config.scenarios" },
        { PRODUCT, "config.scenarios[0].id" },
        { PRODUCT, "config.scenarios[0].stimulus" },
        { PRODUCT, "config.scenarios[0].questions[1].id" },
        { PRODUCT, "config.scenarios[0].questions[1].kind" },
        { PRODUCT, "config.scenarios[0].questions[1].prompt" },
        { PRODUCT, "config.scenarios[0].questions[0].scale.min" },
        { PRODUCT, "config.scenarios[0].questions[0].scale.max" },
        { MESSAGE, "config.scenarios[0].variants[1].id" },
        { MESSAGE, "config.scenarios[0].variants[1].stimulus" },
        { FOCUS_GROUP, "config.moderator.questions" },
        { FOCUS_GROUP, "config.moderator.rounds" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        json_t *doc = doc_of(cases[i].doc);
        put(doc, cases[i].path, NULL);
        char needle[128];
        snprintf(needle, sizeof(needle), "%s is required", cases[i].path);
        refused(doc, cases[i].path, needle);
    }
}

static void a_rating_needs_a_scale_and_a_choice_options(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].questions[0].scale", NULL);
    refused(doc, "config.scenarios[0].questions[0].scale", "is required for a rating question");
    doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].questions[2].options", NULL);
    refused(doc, "config.scenarios[0].questions[2].options", "is required for a choice question");
    doc = doc_of(MESSAGE);
    put(doc, "config.scenarios[0].questions[1].options", json_null());
    refused(doc, "config.scenarios[0].questions[1].options", "is required for a ranking question");
}

static void kinds_refuse_what_they_do_not_take(void **state)
{
    (void)state;
    const struct {
        const char *path, *value, *needle;
    } cases[] = {
        { "config.scenarios[0].questions[0].options", "['a','b']",
          "a rating question takes no options" },
        { "config.scenarios[0].questions[1].scale", "{'min':1,'max':2}",
          "a yes_no question takes no scale" },
        { "config.scenarios[0].questions[1].options", "['yes','no']",
          "a yes_no question takes no options" },
        { "config.scenarios[0].questions[2].scale", "{'min':1,'max':2}",
          "a choice question takes no scale" },
        { "config.scenarios[0].questions[3].options", "['a','b']",
          "a text question takes no options" },
        { "config.scenarios[0].questions[3].scale", "{'min':1,'max':2}",
          "a text question takes no scale" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        json_t *doc = doc_of(PRODUCT);
        put_json(doc, cases[i].path, cases[i].value);
        refused(doc, cases[i].path, cases[i].needle);
    }
}

static void unknown_type_kind_and_elicitation_are_quoted(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "type", json_string("survey"));
    refused(doc, "type", "must be product, message, journey or focus_group (got 'survey')");
    doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].questions[0].kind", json_string("scale"));
    refused(doc, "config.scenarios[0].questions[0].kind",
            "must be rating, choice, yes_no, ranking or text (got 'scale')");
    doc = doc_of(PRODUCT);
    put(doc, "config.elicitation", json_string("SSR"));
    refused(doc, "config.elicitation", "must be direct or ssr (got 'SSR')");
}

static void a_long_bad_value_is_quoted_to_sixty_bytes(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "type", repeat("\xc3\xa9", 100)); /* 200 bytes: cut at 60, on a character */
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    struct test_spec *t = NULL;
    struct err err = ERR_INIT;
    assert_int_equal(test_spec_parse(text, strlen(text), &t, &err), ERR_INVALID);
    char want[128];
    int n = snprintf(want, sizeof(want), "(got '");
    for (int i = 0; i < 30; i++)
        n += snprintf(want + n, sizeof(want) - (size_t)n, "\xc3\xa9");
    snprintf(want + n, sizeof(want) - (size_t)n, "')");
    assert_contains(err.msg, want);
    free(text);
}

/* ---- texts and ids ----------------------------------------------------------------------- */

static void name_is_trimmed_and_1_to_200_characters(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "name", repeat("n", TEST_NAME_MAX));
    ok(doc);
    doc = doc_of(PRODUCT);
    put(doc, "name", repeat("n", TEST_NAME_MAX + 1));
    refused(doc, "name", "name: at most 200 characters (got 201)");
    doc = doc_of(PRODUCT);
    put(doc, "name", json_string(""));
    refused(doc, "name", "name must not be empty");
    doc = doc_of(PRODUCT);
    put(doc, "name", json_string("   "));
    refused(doc, "name", "name must not be empty");
    doc = doc_of(PRODUCT);
    put(doc, "name", json_string("  x  "));
    struct test_spec *t = expect_ok(doc);
    assert_string_equal(t->name, "x");
    test_spec_free(t);
}

static void ids_are_letters_digits_dash_underscore_up_to_64(void **state)
{
    (void)state;
    const char *paths[] = { "config.scenarios[0].id", "config.scenarios[0].questions[0].id",
                            "config.personas[0]" };
    for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
        json_t *doc = doc_of(PRODUCT);
        put(doc, paths[i], repeat("a", TEST_ID_MAX));
        if (i == 1) /* the criteria name the question */
            put(doc, "config.success_criteria", NULL);
        ok(doc);
        doc = doc_of(PRODUCT);
        put(doc, paths[i], repeat("a", TEST_ID_MAX + 1));
        refused(doc, paths[i], "must be an id of 1 to 64 letters, digits, '-' or '_'");
        doc = doc_of(PRODUCT);
        put(doc, paths[i], json_string(""));
        refused(doc, paths[i], "(got '')");
        doc = doc_of(PRODUCT);
        put(doc, paths[i], json_string("a b"));
        refused(doc, paths[i], "(got 'a b')");
    }
    json_t *doc = doc_of(MESSAGE);
    put(doc, "config.scenarios[0].variants[0].id", json_string("A/1"));
    refused(doc, "config.scenarios[0].variants[0].id", "(got 'A/1')");
}

static void project_and_library_ids_are_uuids(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "project_id", json_string("my-project"));
    refused(doc, "project_id", "project_id must be a UUID (got 'my-project')");
    doc = doc_of(FOCUS_GROUP);
    put(doc, "config.panel.library_id", json_string("0192f5a0"));
    refused(doc, "config.panel.library_id", "must be a UUID (got '0192f5a0')");
}

static void stimulus_is_1_to_10000_characters(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].stimulus", repeat("\xc3\xa9", TEST_STIMULUS_MAX));
    ok(doc);
    doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].stimulus", repeat("\xc3\xa9", TEST_STIMULUS_MAX + 1));
    refused(doc, "config.scenarios[0].stimulus", "at most 10000 characters (got 10001)");
    doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].stimulus", json_string(" \n "));
    refused(doc, "config.scenarios[0].stimulus", "must not be empty");
    doc = doc_of(MESSAGE);
    put(doc, "config.scenarios[1].variants[2].stimulus", repeat("v", TEST_STIMULUS_MAX + 1));
    refused(doc, "config.scenarios[1].variants[2].stimulus", "at most 10000 characters");
}

static void prompt_is_1_to_1000_characters(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].questions[3].prompt", repeat("p", TEST_PROMPT_MAX));
    ok(doc);
    doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].questions[3].prompt", repeat("p", TEST_PROMPT_MAX + 1));
    refused(doc, "config.scenarios[0].questions[3].prompt", "at most 1000 characters (got 1001)");
    doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].questions[3].prompt", json_string(""));
    refused(doc, "config.scenarios[0].questions[3].prompt", "must not be empty");
    doc = doc_of(FOCUS_GROUP);
    put(doc, "config.moderator.questions[1]", repeat("p", TEST_PROMPT_MAX + 1));
    refused(doc, "config.moderator.questions[1]", "at most 1000 characters");
}

static void title_option_and_model_name_lengths(void **state)
{
    (void)state;
    const struct {
        const char *path;
        size_t max;
    } cases[] = {
        { "config.scenarios[0].title", TEST_NAME_MAX },
        { "config.scenarios[0].questions[2].options[0]", TEST_OPTION_MAX },
        { "config.model.name", TEST_MODEL_NAME_MAX },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        json_t *doc = doc_of(PRODUCT);
        put(doc, cases[i].path, repeat("t", cases[i].max));
        ok(doc);
        doc = doc_of(PRODUCT);
        put(doc, cases[i].path, repeat("t", cases[i].max + 1));
        refused(doc, cases[i].path, "characters");
        doc = doc_of(PRODUCT);
        put(doc, cases[i].path, json_string(""));
        refused(doc, cases[i].path, "must not be empty");
    }
}

static void environment_is_0_to_200_characters(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "config.environment", json_string(""));
    struct test_spec *t = expect_ok(doc);
    assert_string_equal(t->environment, "");
    test_spec_free(t);
    doc = doc_of(PRODUCT);
    put(doc, "config.environment", repeat("e", TEST_ENVIRONMENT_MAX));
    ok(doc);
    doc = doc_of(PRODUCT);
    put(doc, "config.environment", repeat("e", TEST_ENVIRONMENT_MAX + 1));
    refused(doc, "config.environment", "at most 200 characters (got 201)");
}

static void image_url_is_an_http_url(void **state)
{
    (void)state;
    const char *good[] = { "http://example.com/a.png", "HTTPS://example.com/x?y=1" };
    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        json_t *doc = doc_of(MESSAGE);
        put(doc, "config.scenarios[0].image_url", json_string(good[i]));
        ok(doc);
    }
    const char *bad[] = { "ftp://example.com/a.png", "https://", "javascript:alert(1)",
                          "https://example.com/a b.png", "/uploads/a.png" };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        json_t *doc = doc_of(MESSAGE);
        put(doc, "config.scenarios[0].image_url", json_string(bad[i]));
        refused(doc, "config.scenarios[0].image_url", "must be an http:// or https:// URL");
    }
    /* TEST_URL_MAX bytes, then one more */
    json_t *doc = doc_of(MESSAGE);
    json_t *u = repeat("a", TEST_URL_MAX - 8);
    char *url = xmalloc(TEST_URL_MAX + 2);
    snprintf(url, TEST_URL_MAX + 2, "https://%s", json_string_value(u));
    put(doc, "config.scenarios[0].image_url", json_string(url));
    ok(doc);
    doc = doc_of(MESSAGE);
    snprintf(url, TEST_URL_MAX + 2, "https://%sa", json_string_value(u));
    put(doc, "config.scenarios[0].image_url", json_string(url));
    refused(doc, "config.scenarios[0].image_url", "characters");
    free(url);
    json_decref(u);
}

/* ---- counts and bounds ------------------------------------------------------------------------
 */

/* A product scenario with id "s<i>" and one rating question "q". */
static json_t *scenario(size_t i)
{
    char text[256];
    snprintf(text, sizeof(text),
             "{'id':'s%zu','stimulus':'Stimulus %zu','questions':[{'id':'q','kind':'rating',"
             "'prompt':'How much?','scale':{'min':1,'max':5}}]}",
             i, i);
    char *s = dq(text);
    json_t *j = json_loads(s, 0, NULL);
    free(s);
    return j;
}

static void scenarios_are_1_to_50(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    for (size_t i = 1; i < TEST_SCENARIOS_MAX; i++)
        json_array_append_new(at(doc, "config.scenarios"), scenario(i));
    ok(doc);
    doc = doc_of(PRODUCT);
    for (size_t i = 1; i <= TEST_SCENARIOS_MAX; i++)
        json_array_append_new(at(doc, "config.scenarios"), scenario(i));
    refused(doc, "config.scenarios", "must have 1 to 50 items (got 51)");
    doc = doc_of(PRODUCT);
    put_json(doc, "config.scenarios", "[]");
    refused(doc, "config.scenarios", "must have 1 to 50 items (got 0)");
}

static json_t *question(size_t i)
{
    char text[128];
    snprintf(text, sizeof(text), "{'id':'extra%zu','kind':'text','prompt':'Anything else?'}", i);
    char *s = dq(text);
    json_t *j = json_loads(s, 0, NULL);
    free(s);
    return j;
}

static void questions_are_0_to_30_per_scenario(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    for (size_t i = 4; i < TEST_QUESTIONS_MAX; i++)
        json_array_append_new(at(doc, "config.scenarios[0].questions"), question(i));
    ok(doc);
    doc = doc_of(PRODUCT);
    for (size_t i = 4; i <= TEST_QUESTIONS_MAX; i++)
        json_array_append_new(at(doc, "config.scenarios[0].questions"), question(i));
    refused(doc, "config.scenarios[0].questions", "must have 0 to 30 items (got 31)");
}

static void product_and_message_need_questions_in_every_scenario(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put_json(doc, "config.scenarios[0].questions", "[]");
    put(doc, "config.success_criteria", NULL);
    refused(doc, "config.scenarios[0].questions",
            "a product test needs at least one question in every scenario (got none)");
    doc = doc_of(MESSAGE);
    put(doc, "config.scenarios[1].questions", NULL);
    refused(doc, "config.scenarios[1].questions", "a message test needs at least one question");
    /* a journey step and a focus group may ask nothing */
    doc = doc_of(JOURNEY);
    put(doc, "config.scenarios[1].questions", NULL);
    put(doc, "config.success_criteria", NULL);
    ok(doc);
}

static void options_are_2_to_20(void **state)
{
    (void)state;
    const char *path = "config.scenarios[0].questions[2].options";
    json_t *doc = doc_of(PRODUCT);
    put_json(doc, path, "['cheap','dear']");
    ok(doc);
    doc = doc_of(PRODUCT);
    put_json(doc, path, "['fair']");
    refused(doc, path, "must have 2 to 20 items (got 1)");
    doc = doc_of(PRODUCT);
    put_json(doc, path, "[]");
    refused(doc, path, "(got 0)");
    json_t *twenty = json_array();
    for (int i = 0; i < TEST_OPTIONS_MAX; i++) {
        char o[32];
        snprintf(o, sizeof(o), "option %d", i);
        json_array_append_new(twenty, json_string(o));
    }
    doc = doc_of(PRODUCT);
    put(doc, path, json_deep_copy(twenty));
    ok(doc);
    json_array_append_new(twenty, json_string("one too many"));
    doc = doc_of(PRODUCT);
    put(doc, path, twenty);
    refused(doc, path, "must have 2 to 20 items (got 21)");
}

static void options_are_distinct_ignoring_case(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put_json(doc, "config.scenarios[0].questions[2].options", "['fair','too high','Fair']");
    refused(doc, "config.scenarios[0].questions[2].options[2]",
            "'Fair' is already options[0] (expected distinct options)");
    doc = doc_of(PRODUCT);
    put_json(doc, "config.scenarios[0].questions[2].options", "['fair',' fair ']");
    refused(doc, "config.scenarios[0].questions[2].options[1]", "is already options[0]");
}

/* The example without its criteria (whose thresholds could fall outside a scale tried). */
static json_t *plain_product(void)
{
    json_t *doc = doc_of(PRODUCT);
    put(doc, "config.success_criteria", NULL);
    return doc;
}

static void scale_bounds_and_order(void **state)
{
    (void)state;
    const char *q = "config.scenarios[0].questions[0].scale";
    json_t *doc = plain_product();
    put_json(doc, q, "{'min':-100,'max':100}");
    ok(doc);
    doc = plain_product();
    put_json(doc, q, "{'min':-101,'max':10}");
    refused(doc, "config.scenarios[0].questions[0].scale.min",
            "must be between -100 and 100 (got -101)");
    doc = plain_product();
    put_json(doc, q, "{'min':1,'max':101}");
    refused(doc, "config.scenarios[0].questions[0].scale.max",
            "must be between -100 and 100 (got 101)");
    doc = plain_product();
    put_json(doc, q, "{'min':5,'max':5}");
    refused(doc, "config.scenarios[0].questions[0].scale.max",
            "must be above scale.min (5) (got 5)");
    doc = plain_product();
    put_json(doc, q, "{'min':0,'max':1}");
    ok(doc);
    doc = plain_product();
    put_json(doc, q, "{'min':10,'max':1}");
    refused(doc, "config.scenarios[0].questions[0].scale.max", "(got 1)");
}

static void variants_are_2_to_10_with_unique_ids(void **state)
{
    (void)state;
    const char *path = "config.scenarios[1].variants";
    json_t *doc = doc_of(MESSAGE);
    put_json(doc, path, "[{'id':'A','stimulus':'a'}]");
    refused(doc, path, "must have 2 to 10 variants (got 1)");
    json_t *ten = json_array();
    for (int i = 0; i < TEST_VARIANTS_MAX; i++) {
        char id[16];
        snprintf(id, sizeof(id), "V%d", i);
        json_t *v = json_object();
        json_object_set_new(v, "id", json_string(id));
        json_object_set_new(v, "stimulus", json_string("text"));
        json_array_append_new(ten, v);
    }
    doc = doc_of(MESSAGE);
    put(doc, path, json_deep_copy(ten));
    ok(doc);
    put_json(ten, "[10]", "{'id':'V10','stimulus':'text'}");
    doc = doc_of(MESSAGE);
    put(doc, path, ten);
    refused(doc, path, "must have 2 to 10 variants (got 11)");
    doc = doc_of(MESSAGE);
    put(doc, "config.scenarios[1].variants[2].id", json_string("A"));
    refused(doc, "config.scenarios[1].variants[2].id",
            "'A' is already config.scenarios[1].variants[0].id");
}

static void a_product_test_may_have_variants(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put_json(doc, "config.scenarios[0].variants",
             "[{'id':'A','stimulus':'$49/month'},{'id':'B','stimulus':'$39/month'}]");
    put_json(doc, "config.success_criteria[2]", "'winner == \\'A\\''");
    struct test_spec *t = expect_ok(doc);
    assert_int_equal(t->scenarios[0].n_variants, 2);
    test_spec_free(t);
}

static void a_message_test_needs_variants_in_every_scenario(void **state)
{
    (void)state;
    json_t *doc = doc_of(MESSAGE);
    put(doc, "config.scenarios[1].variants", NULL);
    refused(doc, "config.scenarios[1].variants",
            "a message test needs 2 to 10 variants in every scenario (got none)");
    doc = doc_of(MESSAGE);
    put_json(doc, "config.scenarios[0].variants", "[]");
    refused(doc, "config.scenarios[0].variants", "(got none)");
}

static void journeys_and_focus_groups_take_no_variants(void **state)
{
    (void)state;
    json_t *doc = doc_of(JOURNEY);
    put_json(doc, "config.scenarios[2].variants",
             "[{'id':'A','stimulus':'a'},{'id':'B','stimulus':'b'}]");
    refused(doc, "config.scenarios[2].variants", "a journey test takes no variants (got 2)");
    doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.scenarios[0].variants",
             "[{'id':'A','stimulus':'a'},{'id':'B','stimulus':'b'}]");
    refused(doc, "config.scenarios[0].variants", "a focus_group test takes no variants");
}

static void scenario_and_question_ids_are_unique(void **state)
{
    (void)state;
    json_t *doc = doc_of(JOURNEY);
    put(doc, "config.scenarios[2].id", json_string("signup"));
    refused(doc, "config.scenarios[2].id",
            "'signup' is already config.scenarios[0].id (expected unique ids)");
    doc = doc_of(PRODUCT);
    put(doc, "config.scenarios[0].questions[3].id", json_string("buy"));
    refused(doc, "config.scenarios[0].questions[3].id",
            "'buy' is already config.scenarios[0].questions[1].id");
}

static void a_question_id_keeps_its_kind_across_scenarios(void **state)
{
    (void)state;
    json_t *doc = doc_of(MESSAGE);
    put_json(doc, "config.scenarios[1].questions[0]",
             "{'id':'appeal','kind':'choice','prompt':'Appeal?','options':['low','high']}");
    refused(doc, "config.scenarios[1].questions[0].kind",
            "question 'appeal' is a rating in config.scenarios[0]; expected rating everywhere "
            "(got choice)");
    /* the same id and kind in several scenarios is what a journey does */
    ok(doc_of(JOURNEY));
    /* a rating keeps its scale too: mean(appeal) must mean one thing */
    doc = doc_of(MESSAGE);
    put_json(doc, "config.scenarios[1].questions[0]",
             "{'id':'appeal','kind':'rating','prompt':'Appeal?','scale':{'min':1,'max':10}}");
    refused(doc, "config.scenarios[1].questions[0].scale",
            "question 'appeal' is rated 1..7 in config.scenarios[0]; expected the same scale "
            "everywhere (got 1..10)");
    doc = doc_of(MESSAGE);
    put_json(doc, "config.scenarios[1].questions[0]",
             "{'id':'appeal','kind':'rating','prompt':'Appeal?','scale':{'min':1,'max':7}}");
    ok(doc);
}

static void a_focus_group_seats_two_to_twenty_personas(void **state)
{
    (void)state;
    json_t *doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.panel", "null");
    put_json(doc, "config.personas", "['maria-silva']");
    refused(doc, "config.personas", "a focus group seats 2 to 20 personas (got 1)");
    json_t *ids = json_array();
    for (int i = 0; i < 21; i++)
        json_array_append_new(ids, json_sprintf("p-%d", i));
    doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.panel", "null");
    put(doc, "config.personas", ids);
    refused(doc, "config.personas", "(got 21)");
    doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.panel", "{'generate': 21, 'description': 'parents'}");
    refused(doc, "config.panel.generate", "a focus group seats 2 to 20 personas (got 21)");
    doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.panel", "{'generate': 6, 'description': 'parents'}");
    ok(doc);
    /* a product test's panel is not a focus group's */
    doc = doc_of(PRODUCT);
    put_json(doc, "config.personas", "['maria-silva']");
    ok(doc);
}

static void moderator_bounds(void **state)
{
    (void)state;
    json_t *doc = doc_of(FOCUS_GROUP);
    put(doc, "config.moderator.rounds", json_integer(TEST_ROUNDS_MAX));
    ok(doc);
    doc = doc_of(FOCUS_GROUP);
    put(doc, "config.moderator.rounds", json_integer(TEST_ROUNDS_MAX + 1));
    refused(doc, "config.moderator.rounds", "must be between 1 and 10 (got 11)");
    doc = doc_of(FOCUS_GROUP);
    put(doc, "config.moderator.rounds", json_integer(0));
    refused(doc, "config.moderator.rounds", "(got 0)");
    doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.moderator.questions", "[]");
    refused(doc, "config.moderator.questions", "must have 1 to 30 items (got 0)");
    json_t *qs = json_array();
    for (int i = 0; i < TEST_QUESTIONS_MAX; i++)
        json_array_append_new(qs, json_string("Why?"));
    doc = doc_of(FOCUS_GROUP);
    put(doc, "config.moderator.questions", json_deep_copy(qs));
    ok(doc);
    json_array_append_new(qs, json_string("Why?"));
    doc = doc_of(FOCUS_GROUP);
    put(doc, "config.moderator.questions", qs);
    refused(doc, "config.moderator.questions", "must have 1 to 30 items (got 31)");
}

static void a_focus_group_needs_a_moderator(void **state)
{
    (void)state;
    json_t *doc = doc_of(FOCUS_GROUP);
    put(doc, "config.moderator", NULL);
    refused(doc, "config.moderator", "config.moderator is required for a focus_group test");
    doc = doc_of(FOCUS_GROUP);
    put(doc, "config.moderator", json_null());
    refused(doc, "config.moderator", "(got none)");
}

static void only_a_focus_group_takes_a_moderator(void **state)
{
    (void)state;
    const char *docs[] = { PRODUCT, MESSAGE, JOURNEY };
    const char *names[] = { "product", "message", "journey" };
    for (size_t i = 0; i < ARRAY_SIZE(docs); i++) {
        json_t *doc = doc_of(docs[i]);
        put_json(doc, "config.moderator", "{'questions':['Why?'],'rounds':1}");
        char needle[96];
        snprintf(needle, sizeof(needle), "only a focus_group test takes a moderator (this is a %s",
                 names[i]);
        refused(doc, "config.moderator", needle);
    }
}

static void parameters_bounds(void **state)
{
    (void)state;
    const struct {
        const char *path;
        const char *lo_ok, *hi_ok, *lo_bad, *hi_bad, *needle;
    } cases[] = {
        { "config.timeout", "1", "86400", "0", "86401", "must be between 1 and 86400" },
        { "config.seed", "0", "9007199254740992", "-1", "9007199254740993",
          "must be between 0 and 9007199254740992" },
        { "config.model.temperature", "0", "2", "-0.1", "2.01", "must be between 0 and 2" },
        { "config.model.concurrency", "1", "256", "0", "257", "must be between 1 and 256" },
        { "config.samples", "1", "10", "0", "11", "must be between 1 and 10" },
        { "config.panel.generate", "1", "1000", "0", "1001", "must be between 1 and 1000" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *base = i == 5 ? JOURNEY : PRODUCT;
        const char *values[] = { cases[i].lo_ok, cases[i].hi_ok, cases[i].lo_bad, cases[i].hi_bad };
        for (size_t v = 0; v < 4; v++) {
            json_t *doc = doc_of(base);
            put_json(doc, cases[i].path, values[v]);
            if (v < 2)
                ok(doc);
            else
                refused(doc, cases[i].path, cases[i].needle);
        }
    }
}

static void seed_up_to_2_pow_53_round_trips(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put_json(doc, "config.seed", "9007199254740992");
    struct test_spec *t = expect_ok(doc);
    assert_true(t->seed == TEST_SEED_MAX);
    char *text = test_spec_format(t, NULL);
    assert_contains(text, "\"seed\":9007199254740992,");
    free(text);
    test_spec_free(t);
}

/* ---- the panel ---------------------------------------------------------------------------------
 */

static void personas_and_panel_are_exclusive(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put_json(doc, "config.panel", "{'templates':'all'}");
    refused(doc, "config.panel", "give config.personas or config.panel, not both");
    doc = doc_of(PRODUCT);
    put(doc, "config.personas", NULL);
    refused(doc, "config.personas", "config.personas is required");
    doc = doc_of(PRODUCT);
    put(doc, "config.personas", json_null());
    put(doc, "config.panel", json_null());
    refused(doc, "config.personas", "(got neither)");
}

static json_t *persona_ids(size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        char id[64];
        snprintf(id, sizeof(id), "0192f5a0-7c1e-7b3a-9f00-%012zu", i);
        json_array_append_new(a, json_string(id));
    }
    return a;
}

static void personas_are_1_to_5000_without_duplicates(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    put(doc, "config.personas", persona_ids(TEST_PERSONAS_MAX));
    ok(doc);
    doc = doc_of(PRODUCT);
    put(doc, "config.personas", persona_ids(TEST_PERSONAS_MAX + 1));
    refused(doc, "config.personas", "must have 1 to 5000 items (got 5001)");
    doc = doc_of(PRODUCT);
    put_json(doc, "config.personas", "[]");
    refused(doc, "config.personas", "(got 0)");
    doc = doc_of(PRODUCT);
    put_json(doc, "config.personas", "['ana-souza-porto-alegre']");
    ok(doc); /* a template's id is an id too */
}

static void a_duplicate_persona_is_named_where_it_repeats(void **state)
{
    (void)state;
    json_t *doc = doc_of(PRODUCT);
    json_t *ids = persona_ids(TEST_PERSONAS_MAX);
    /* two duplicates; the one that repeats first in the list is named */
    json_array_set_new(ids, 4000, json_string("0192F5A0-7C1E-7B3A-9F00-000000000003"));
    json_array_set_new(ids, 2500, json_string("0192f5a0-7c1e-7b3a-9f00-000000000010"));
    put(doc, "config.personas", ids);
    refused(doc, "config.personas[2500]",
            "'0192f5a0-7c1e-7b3a-9f00-000000000010' is already config.personas[10]");
}

static void library_and_templates_forms(void **state)
{
    (void)state;
    json_t *doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.panel", "{'templates':'all'}");
    struct test_spec *t = expect_ok(doc);
    assert_int_equal(t->panel.kind, PANEL_TEMPLATES);
    test_spec_free(t);
    doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.panel", "{'templates':'some'}");
    refused(doc, "config.panel.templates", "must be \"all\" (got 'some')");
}

static void panel_has_exactly_one_form(void **state)
{
    (void)state;
    json_t *doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.panel", "{}");
    refused(doc, "config.panel",
            "must have one of library_id, filter, generate or templates (got none)");
    doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.panel.filter", "{}");
    refused(doc, "config.panel", "must have only one of");
    doc = doc_of(FOCUS_GROUP);
    put_json(doc, "config.panel.templates", "'all'");
    refused(doc, "config.panel", "(got library_id and templates)");
}

static void generate_needs_a_description_and_only_it(void **state)
{
    (void)state;
    json_t *doc = doc_of(JOURNEY);
    put(doc, "config.panel.description", NULL);
    refused(doc, "config.panel.description", "is required with generate");
    doc = doc_of(FOCUS_GROUP);
    put(doc, "config.panel.description", json_string("parents"));
    refused(doc, "config.panel.description", "goes with generate only (got it with library_id)");
    doc = doc_of(JOURNEY);
    put(doc, "config.panel.description", repeat("d", TEST_DESCRIPTION_MAX));
    ok(doc);
    doc = doc_of(JOURNEY);
    put(doc, "config.panel.description", repeat("d", TEST_DESCRIPTION_MAX + 1));
    refused(doc, "config.panel.description", "at most 2000 characters");
}

static void filter_fields_are_checked(void **state)
{
    (void)state;
    json_t *doc = doc_of(MESSAGE);
    put_json(doc, "config.panel.filter", "{}");
    ok(doc); /* every persona of the workspace */
    const struct {
        const char *path, *value, *needle;
    } cases[] = {
        { "config.panel.filter.age_min", "17", "must be between 18 and 100 (got 17)" },
        { "config.panel.filter.age_max", "101", "must be between 18 and 100 (got 101)" },
        { "config.panel.filter.age_max", "24", "must be at least age_min (25) (got 24)" },
        { "config.panel.filter.income_level", "'rich'",
          "must be low, lower_middle, middle, upper_middle or high (got 'rich')" },
        { "config.panel.filter.type", "'robot'",
          "must be custom, template or generated (got 'robot')" },
        { "config.panel.filter.country", "''", "must not be empty" },
        { "config.panel.filter.q", "'   '", "must not be empty" },
        { "config.panel.filter.tag[1]", "'PARENTS'", "'parents' is already" },
        { "config.panel.filter.tag[0]", "''", "must not be empty" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        doc = doc_of(MESSAGE);
        put_json(doc, cases[i].path, cases[i].value);
        refused(doc, cases[i].path, cases[i].needle);
    }
    doc = doc_of(MESSAGE);
    put(doc, "config.panel.filter.gender", repeat("g", 200));
    put_json(doc, "config.panel.filter.age_min", "40");
    ok(doc); /* age_min == age_max */
    doc = doc_of(MESSAGE);
    put(doc, "config.panel.filter.gender", repeat("g", 201));
    refused(doc, "config.panel.filter.gender", "at most 200 characters");
}

static void filter_tags_are_at_most_20(void **state)
{
    (void)state;
    json_t *tags = json_array();
    for (int i = 0; i < 20; i++) {
        char t[32];
        snprintf(t, sizeof(t), "tag%d", i);
        json_array_append_new(tags, json_string(t));
    }
    json_t *doc = doc_of(MESSAGE);
    put(doc, "config.panel.filter.tag", json_deep_copy(tags));
    ok(doc);
    json_array_append_new(tags, json_string("tag20"));
    doc = doc_of(MESSAGE);
    put(doc, "config.panel.filter.tag", tags);
    refused(doc, "config.panel.filter.tag", "must have 0 to 20 items (got 21)");
}

/* ---- success criteria ---------------------------------------------------------------------- */

static void criteria_are_0_to_20(void **state)
{
    (void)state;
    json_t *list = json_array();
    for (int i = 0; i < TEST_CRITERIA_MAX; i++)
        json_array_append_new(list, json_string("mean(appeal) >= 7"));
    json_t *doc = doc_of(PRODUCT);
    put(doc, "config.success_criteria", json_deep_copy(list));
    ok(doc);
    json_array_append_new(list, json_string("mean(appeal) >= 7"));
    doc = doc_of(PRODUCT);
    put(doc, "config.success_criteria", list);
    refused(doc, "config.success_criteria", "must have 0 to 20 items (got 21)");
    doc = doc_of(PRODUCT);
    put_json(doc, "config.success_criteria[1]", "'  '");
    refused(doc, "config.success_criteria[1]", "must not be empty");
}

static void a_bad_criterion_carries_the_parsers_column(void **state)
{
    (void)state;
    const struct {
        const char *doc, *criterion;
    } cases[] = {
        { PRODUCT, "mean(apeal) >= 7" },                 /* unknown question */
        { PRODUCT, "mean(appeal)" },                     /* no comparison */
        { PRODUCT, "mean(buy) >= 0.5" },                 /* mean of a yes_no */
        { PRODUCT, "winner == \"B\"" },                  /* no variants */
        { MESSAGE, "winner == \"Z\"" },                  /* not a variant */
        { PRODUCT, "share(price == \"cheap\") >= 0.2" }, /* not an option */
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        json_t *doc = doc_of(cases[i].doc);
        put(doc, "config.success_criteria[1]", json_string(cases[i].criterion));
        refused(doc, "config.success_criteria[1]", "config.success_criteria[1]: column ");
    }
}

static void criteria_see_questions_and_variants_of_every_scenario(void **state)
{
    (void)state;
    json_t *doc = doc_of(MESSAGE);
    /* 'open' is asked in the second scenario only, 'C' is a variant there only */
    put_json(doc, "config.success_criteria",
             "['share(open == \\'yes\\') >= 0.5', 'winner == \\'C\\'', 'count(message) > 10']");
    ok(doc);
    /* a choice's options: the union over the scenarios that ask it */
    doc = doc_of(JOURNEY);
    put_json(doc, "config.scenarios[0].questions[2]",
             "{'id':'plan','kind':'choice','prompt':'Plan?','options':['basic','plus']}");
    put_json(doc, "config.scenarios[1].questions[2]",
             "{'id':'plan','kind':'choice','prompt':'Plan?','options':['basic','family']}");
    put_json(doc, "config.success_criteria", "['share(plan == \\'family\\') >= 0.1']");
    ok(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spec_example_parses_with_every_field),
        cmocka_unit_test(message_test_reads_variants_and_filter),
        cmocka_unit_test(journey_keeps_its_steps_in_order),
        cmocka_unit_test(focus_group_reads_its_moderator),
        cmocka_unit_test(type_names_go_both_ways),
        cmocka_unit_test(spec_example_formats_canonically),
        cmocka_unit_test(every_type_round_trips_byte_for_byte),
        cmocka_unit_test(defaults_are_written_out),
        cmocka_unit_test(optional_fields_are_left_out_and_texts_trimmed),
        cmocka_unit_test(panel_forms_format_canonically),
        cmocka_unit_test(temperature_given_as_integer_formats_as_real),
        cmocka_unit_test(garbage_is_bad_json),
        cmocka_unit_test(nul_and_invalid_utf8_are_bad_json),
        cmocka_unit_test(utf8_text_counts_characters_not_bytes),
        cmocka_unit_test(control_characters_are_refused_with_the_path),
        cmocka_unit_test(a_document_that_is_not_an_object_is_refused),
        cmocka_unit_test(unknown_keys_are_refused_at_every_level),
        cmocka_unit_test(unknown_key_message_lists_the_known_ones),
        cmocka_unit_test(wrong_types_are_refused),
        cmocka_unit_test(null_for_a_required_field_is_refused),
        cmocka_unit_test(missing_required_fields_are_named),
        cmocka_unit_test(a_rating_needs_a_scale_and_a_choice_options),
        cmocka_unit_test(kinds_refuse_what_they_do_not_take),
        cmocka_unit_test(unknown_type_kind_and_elicitation_are_quoted),
        cmocka_unit_test(a_long_bad_value_is_quoted_to_sixty_bytes),
        cmocka_unit_test(name_is_trimmed_and_1_to_200_characters),
        cmocka_unit_test(ids_are_letters_digits_dash_underscore_up_to_64),
        cmocka_unit_test(project_and_library_ids_are_uuids),
        cmocka_unit_test(stimulus_is_1_to_10000_characters),
        cmocka_unit_test(prompt_is_1_to_1000_characters),
        cmocka_unit_test(title_option_and_model_name_lengths),
        cmocka_unit_test(environment_is_0_to_200_characters),
        cmocka_unit_test(image_url_is_an_http_url),
        cmocka_unit_test(scenarios_are_1_to_50),
        cmocka_unit_test(questions_are_0_to_30_per_scenario),
        cmocka_unit_test(product_and_message_need_questions_in_every_scenario),
        cmocka_unit_test(options_are_2_to_20),
        cmocka_unit_test(options_are_distinct_ignoring_case),
        cmocka_unit_test(scale_bounds_and_order),
        cmocka_unit_test(variants_are_2_to_10_with_unique_ids),
        cmocka_unit_test(a_product_test_may_have_variants),
        cmocka_unit_test(a_message_test_needs_variants_in_every_scenario),
        cmocka_unit_test(journeys_and_focus_groups_take_no_variants),
        cmocka_unit_test(scenario_and_question_ids_are_unique),
        cmocka_unit_test(a_question_id_keeps_its_kind_across_scenarios),
        cmocka_unit_test(a_focus_group_seats_two_to_twenty_personas),
        cmocka_unit_test(moderator_bounds),
        cmocka_unit_test(a_focus_group_needs_a_moderator),
        cmocka_unit_test(only_a_focus_group_takes_a_moderator),
        cmocka_unit_test(parameters_bounds),
        cmocka_unit_test(seed_up_to_2_pow_53_round_trips),
        cmocka_unit_test(personas_and_panel_are_exclusive),
        cmocka_unit_test(personas_are_1_to_5000_without_duplicates),
        cmocka_unit_test(a_duplicate_persona_is_named_where_it_repeats),
        cmocka_unit_test(library_and_templates_forms),
        cmocka_unit_test(panel_has_exactly_one_form),
        cmocka_unit_test(generate_needs_a_description_and_only_it),
        cmocka_unit_test(filter_fields_are_checked),
        cmocka_unit_test(filter_tags_are_at_most_20),
        cmocka_unit_test(criteria_are_0_to_20),
        cmocka_unit_test(a_bad_criterion_carries_the_parsers_column),
        cmocka_unit_test(criteria_see_questions_and_variants_of_every_scenario),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
