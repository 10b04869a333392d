/*
 * domain/test_spec.h - a test as the API, the UI and `crowdelic run` write
 * it (SPEC.md 3 "A test, as the API ... write it"): its name, type, project,
 * panel, scenarios with stimuli, variants and typed questions, parameters
 * and success criteria - read from JSON text, every field checked with a
 * message naming its path, and written back as canonical JSON text.
 *
 *   {"name": "...", "type": "product" | "message" | "journey" | "focus_group",
 *    "project_id": "<uuid>"?,
 *    "config": {
 *      "personas": ["<persona id>", ...]              one of personas / panel
 *      "panel": {"library_id": "<uuid>"}
 *             | {"filter": {"country": ..., "age_min": ..., "tag": [...], ...}}
 *             | {"generate": 50, "description": "..."}
 *             | {"templates": "all"},
 *      "scenarios": [{"id", "title"?, "stimulus", "image_url"?,
 *                     "variants": [{"id", "stimulus"}]?,
 *                     "questions": [{"id", "kind", "prompt",
 *                                    "scale": {"min", "max"}?, "options": [...]?}]}],
 *      "moderator": {"questions": ["..."], "rounds": 2}?,   focus groups only
 *      "environment": "online"?, "timeout": 600?, "seed": 42?,
 *      "model": {"name"?, "temperature"?, "concurrency"?}?,
 *      "elicitation": "direct" | "ssr"?, "samples": 1?,
 *      "success_criteria": ["mean(appeal) >= 7", ...]?}}
 *
 * The rules (each refused with ERR_INVALID and the path of the field, e.g.
 * "config.scenarios[0].questions[1].scale.max"):
 * - Unknown keys are refused at every level; types are checked.
 * - name 1..TEST_NAME_MAX characters (trimmed); type one of the four.
 * - The panel is exactly one of config.personas (1..TEST_PERSONAS_MAX ids,
 *   no duplicates) and config.panel (one of its four forms; generate
 *   1..TEST_GENERATE_MAX with a description; a filter's fields are those of
 *   GET /api/personas: q, age_min, age_max, gender, country, location,
 *   occupation, income_level, nationality, education, language, type, tag).
 *   Whether the personas or the library exist is the caller's to check
 *   (domain/tests.c): this file knows no workspace.
 * - 1..TEST_SCENARIOS_MAX scenarios with unique ids (1..64 characters of
 *   letters, digits, '-', '_'); a stimulus 1..TEST_STIMULUS_MAX characters.
 * - Questions: 0..TEST_QUESTIONS_MAX per scenario, unique ids within it; a
 *   question id used in several scenarios has the same kind everywhere
 *   (and, for a rating, the same scale).
 *   rating needs scale {min, max} with min < max (integers, -100..100);
 *   choice and ranking need 2..TEST_OPTIONS_MAX distinct options; yes_no
 *   and text take neither. A prompt is 1..TEST_PROMPT_MAX characters.
 * - Variants: 2..TEST_VARIANTS_MAX with unique ids, in product and message
 *   tests only; a message test needs them in every scenario.
 * - product and message tests need at least one question in every
 *   scenario; a journey's scenarios are its ordered steps (questions
 *   optional); a focus group needs moderator (1..TEST_QUESTIONS_MAX
 *   questions, rounds 1..TEST_ROUNDS_MAX), which other types must not have,
 *   and seats 2..TEST_FOCUS_GROUP_MAX personas (config.personas or
 *   panel.generate; a library's or a filter's panel is counted when a run
 *   resolves it).
 * - timeout 1..TEST_TIMEOUT_MAX seconds (default TEST_TIMEOUT_DEFAULT);
 *   seed 0..2^53 (default: none - a run draws one); model.temperature
 *   0..2, model.concurrency 1..TEST_CONCURRENCY_MAX, model.name 1..100
 *   characters; elicitation direct (default) or ssr; samples
 *   1..SURVEY_MAX_SAMPLES (default 1); environment 0..200 characters.
 * - success_criteria: 0..TEST_CRITERIA_MAX, each parsed by
 *   report/criteria.h against the test's questions and variant ids; the
 *   error names "config.success_criteria[i]" and the column and token.
 *
 * Where the shape above leaves room, the reader decides:
 * - An optional field given as null is not given; "variants": [] is no
 *   variants (SPEC.md's example writes it), so a product or message test
 *   has none or 2..TEST_VARIANTS_MAX, and journeys and focus groups may
 *   write the empty list. "questions" may be left out (none).
 * - Every id (scenario, question, variant, persona) is 1..TEST_ID_MAX
 *   letters, digits, '-' and '_' (persona ids: a UUID or a template's id);
 *   project_id and panel.library_id are UUIDs. Persona ids are compared
 *   ignoring ASCII case; options too ("Yes" and "yes" are one option).
 * - Texts are valid UTF-8 without control characters (stimuli, prompts and
 *   the generate description may hold newlines and tabs) and are kept
 *   trimmed - except criteria, kept as written so that the criteria
 *   parser's columns match the text. An option is 1..TEST_OPTION_MAX
 *   characters, a title 1..TEST_NAME_MAX, a generate description
 *   1..TEST_DESCRIPTION_MAX, a criterion 1..CRITERION_MAX.
 * - image_url is an http:// or https:// URL of 1..TEST_URL_MAX bytes
 *   without spaces.
 * - moderator.rounds is required (no default); a filter's age_min and
 *   age_max are PERSONA_AGE_MIN..PERSONA_AGE_MAX with min <= max, its
 *   income_level and type the listing's words (stored lower-case), its tag
 *   at most PERSONA_TAGS_MAX tags of 1..PERSONA_TAG_MAX characters (stored
 *   lower-case, no duplicates), every other field 1..200 characters; an
 *   empty filter is every persona of the workspace.
 * - Each field is checked where it stands, in document order; the rules
 *   between fields (test_spec_check) come after the whole document is read.
 *
 * Reentrant; a spec has one owner.
 */
#ifndef DOMAIN_TEST_SPEC_H
#define DOMAIN_TEST_SPEC_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/persona.h"
#include "engine/survey.h"
#include "engine/tasks.h"

#define TEST_NAME_MAX        200
#define TEST_PERSONAS_MAX    5000
#define TEST_GENERATE_MAX    1000
#define TEST_SCENARIOS_MAX   50
#define TEST_QUESTIONS_MAX   30
#define TEST_OPTIONS_MAX     20
#define TEST_VARIANTS_MAX    10
#define TEST_ROUNDS_MAX      10
#define TEST_FOCUS_GROUP_MAX 20 /* personas a focus group seats (and at least 2) */
#define TEST_CRITERIA_MAX    20
#define TEST_PROMPT_MAX      1000
#define TEST_STIMULUS_MAX    10000
#define TEST_TIMEOUT_DEFAULT 600
#define TEST_TIMEOUT_MAX     86400
#define TEST_CONCURRENCY_MAX 256
#define TEST_ID_MAX          64   /* characters of an id */
#define TEST_OPTION_MAX      200  /* characters of a choice's option */
#define TEST_DESCRIPTION_MAX 2000 /* characters of panel.description (as POST generate) */
#define TEST_MODEL_NAME_MAX  100  /* characters of model.name */
#define TEST_ENVIRONMENT_MAX 200  /* characters of environment */
#define TEST_URL_MAX         2048 /* bytes of image_url */
#define TEST_SCALE_LIMIT     100  /* a rating's scale lies in -100..100 */
#define TEST_SEED_MAX        (UINT64_C(1) << 53) /* exact in a JSON number */

enum test_type {
    TEST_PRODUCT,
    TEST_MESSAGE,
    TEST_JOURNEY,
    TEST_FOCUS_GROUP,
};

const char *test_type_name(enum test_type t); /* "product", ... */
/* The type named name (exactly, lower-case), or -1. */
int test_type_parse(const char *name);

enum panel_kind {
    PANEL_PERSONAS,  /* config.personas: ids */
    PANEL_LIBRARY,   /* config.panel.library_id */
    PANEL_FILTER,    /* config.panel.filter */
    PANEL_GENERATE,  /* config.panel.generate + description */
    PANEL_TEMPLATES, /* config.panel.templates: "all" */
};

/* A filter as GET /api/personas takes it (strings as given; NULL: not given). */
struct panel_filter {
    char *q, *gender, *country, *location, *occupation, *income_level, *nationality, *education,
        *language, *type;
    int64_t age_min, age_max; /* 0: not given */
    struct strlist tags;
};

struct test_panel {
    enum panel_kind kind;
    struct strlist persona_ids; /* PANEL_PERSONAS */
    char *library_id;           /* PANEL_LIBRARY */
    struct panel_filter filter; /* PANEL_FILTER */
    int generate;               /* PANEL_GENERATE */
    char *description;          /* PANEL_GENERATE */
};

struct test_variant {
    char *id;
    char *stimulus;
};

struct test_scenario {
    char *id;
    char *title; /* may be NULL */
    char *stimulus;
    char *image_url; /* may be NULL */
    struct test_variant *variants;
    size_t n_variants;
    struct question *questions; /* engine/tasks.h: id, kind, prompt, scale, options */
    size_t n_questions;
};

struct test_spec {
    char *name;
    enum test_type type;
    char *project_id; /* NULL when not given */
    struct test_panel panel;
    struct test_scenario *scenarios;
    size_t n_scenarios;
    struct strlist moderator_questions; /* focus groups */
    int moderator_rounds;               /* focus groups: 1..TEST_ROUNDS_MAX */
    char *environment;                  /* may be NULL */
    int64_t timeout_s;
    bool has_seed;
    uint64_t seed;
    char *model_name; /* NULL: the server's model */
    bool has_temperature;
    double temperature;
    int concurrency; /* 0: the server's */
    enum elicitation elicitation;
    int samples;
    struct strlist criteria;
};

/*
 * Reads and checks a test from JSON text (the rules above). *out is NULL on
 * failure. ERR_INVALID naming the path; ERR_BAD_JSON for text that is not
 * JSON.
 */
enum err_code test_spec_parse(const char *text, size_t len, struct test_spec **out,
                              struct err *err);

void test_spec_free(struct test_spec *t); /* accepts NULL */

/*
 * The rules between fields of a spec whose fields are each well formed
 * (test_spec_parse calls it after reading them): no duplicate persona,
 * scenario, question, variant or option, a question id with one kind in
 * every scenario, variants, questions and moderator as the type wants them,
 * and the success criteria against the questions and variant ids.
 * ERR_INVALID naming the path, as test_spec_parse does. Borrows t.
 */
enum err_code test_spec_check(const struct test_spec *t, struct err *err);

/*
 * The spec as canonical JSON text (malloc'd, NUL-terminated; its length in
 * *len when not NULL): keys in the order of the shape above, defaults
 * written out, so parsing it again gives the same spec and the same text.
 */
char *test_spec_format(const struct test_spec *t, size_t *len);

#endif
