/*
 * domain/test_spec_json.c - a test spec (domain/test_spec.h) from JSON text
 * and back: the domain's JSON edge for tests, as domain/templates_json.c is
 * for template files. The reader checks every field where it stands (type,
 * bounds, text, ids) with the field tables of core/jsonio.h, builds the
 * struct, then leaves the rules between fields to test_spec_check
 * (test_spec.c). The writer gives the canonical text: keys in the order of
 * the header's shape, defaults written out, what was not given left out.
 *
 * Every error is ERR_INVALID with err->field the JSON path of the field
 * ("config.scenarios[0].questions[1].scale.max") and a message that starts
 * with that path and says what was expected and what was given (a bad value
 * quoted to QUOTE_MAX bytes); text that is not JSON is ERR_BAD_JSON.
 * Reentrant.
 */
#include "core/compat.h"

#include "domain/test_spec.h"

#include "core/ids.h"
#include "core/jsonio.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/check.h"
#include "domain/personas.h"
#include "report/criteria.h"

#define QUOTE_MAX       60  /* bytes of a bad value quoted back in a message */
#define PATH_MAX_       96  /* bytes of a JSON path built here (err->field keeps 63) */
#define FILTER_TEXT_MAX 200 /* characters of a filter's text field, as GET /api/personas */

/* ---- field helpers ----------------------------------------------------------------- */

/* Writes a JSON path into out (n bytes; a longer one is cut). */
static void pathf(char *out, size_t n, const char *fmt, ...) ATTR_PRINTF(3, 4);
static void pathf(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, n, fmt, ap);
    va_end(ap);
}

/* Bytes of s quoted back in a message: at most QUOTE_MAX, cut on a character. */
static int quote_len(const char *s)
{
    return (int)utf8_cut(s, strlen(s), QUOTE_MAX);
}

static void join(char *out, const char *prefix, const char *key)
{
    pathf(out, PATH_MAX_, "%s%s%s", prefix, *prefix ? "." : "", key);
}

/*
 * jsonio_check with this file's messages: an unknown key names the keys
 * expected, and jsonio's "'path' must be..." loses its quotes so that
 * every message starts with the path.
 */
static enum err_code check_fields(const json_t *obj, const struct jfield *fields, size_t n,
                                  const char *prefix, struct err *err)
{
    if (!json_is_object(obj))
        return err_set(err, ERR_INVALID, prefix, "%s must be an object (got %s)", prefix,
                       jsonio_kind(obj));
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)obj, key, v) {
        bool known = false;
        for (size_t i = 0; i < n && !known; i++)
            known = strcmp(fields[i].name, key) == 0;
        if (known)
            continue;
        char path[PATH_MAX_], expected[256] = "";
        pathf(path, sizeof(path), "%s%s%.*s", prefix, *prefix ? "." : "", quote_len(key), key);
        size_t used = 0;
        for (size_t i = 0; i < n && used < sizeof(expected); i++)
            used += (size_t)snprintf(expected + used, sizeof(expected) - used, "%s%s",
                                     i ? ", " : "", fields[i].name);
        return err_set(err, ERR_INVALID, path, "%s: unknown field (expected one of: %s)", path,
                       expected);
    }
    enum err_code rc = jsonio_check(obj, fields, n, prefix, err);
    size_t flen = rc && err ? strlen(err->field) : 0;
    if (flen && err->msg[0] == '\'' && strncmp(err->msg + 1, err->field, flen) == 0 &&
        err->msg[flen + 1] == '\'') {
        memmove(err->msg + flen + 1, err->msg + flen + 2, strlen(err->msg + flen + 2) + 1);
        memmove(err->msg, err->msg + 1, strlen(err->msg + 1) + 1);
    }
    return rc;
}

/* obj[key] when given: present and not null. */
static const json_t *given(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return v && !json_is_null(v) ? v : NULL;
}

static bool space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * The text v (a JSON string already type-checked, or a value to check)
 * checked by check_text under path and copied into *out: without the
 * spaces, tabs and line breaks around it, or as written when keep (then
 * only checked not to be blank). NUL cannot occur: jsonio_parse refuses
 * \u0000; the length check stays in case that ever changes.
 */
static enum err_code text_value(const json_t *v, const char *path, size_t min, size_t max,
                                unsigned rules, bool keep, char **out, struct err *err)
{
    if (!json_is_string(v))
        return err_set(err, ERR_INVALID, path, "%s must be a string (got %s)", path,
                       jsonio_kind(v));
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v))
        return err_set(err, ERR_INVALID, path, "%s must not contain U+0000", path);
    struct span t;
    if (keep) {
        enum err_code rc = check_text(path, s, min, max, rules | TEXT_TRIM, &t, err);
        if (!rc)
            *out = xstrdup(s);
        return rc;
    }
    size_t b = 0, e = strlen(s);
    while (b < e && space(s[b]))
        b++;
    while (e > b && space(s[e - 1]))
        e--;
    char *copy = xmemdupz(s + b, e - b);
    enum err_code rc = check_text(path, copy, min, max, rules & ~(unsigned)TEXT_TRIM, &t, err);
    if (rc) {
        free(copy);
        return rc;
    }
    *out = copy;
    return ERR_OK;
}

/* obj[key] as text when given (*out stays NULL otherwise). */
static enum err_code text_field(const json_t *obj, const char *key, const char *prefix, size_t min,
                                size_t max, unsigned rules, char **out, struct err *err)
{
    const json_t *v = given(obj, key);
    if (!v)
        return ERR_OK;
    char path[PATH_MAX_];
    join(path, prefix, key);
    return text_value(v, path, min, max, rules | TEXT_TRIM, false, out, err);
}

static bool id_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* An id: 1..TEST_ID_MAX letters, digits, '-' and '_'. */
static enum err_code id_value(const json_t *v, const char *path, char **out, struct err *err)
{
    if (!json_is_string(v))
        return err_set(err, ERR_INVALID, path, "%s must be a string (got %s)", path,
                       jsonio_kind(v));
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    bool ok = len >= 1 && len <= TEST_ID_MAX;
    for (size_t i = 0; ok && i < len; i++)
        ok = id_char((unsigned char)s[i]);
    if (!ok)
        return err_set(err, ERR_INVALID, path,
                       "%s must be an id of 1 to %d letters, digits, '-' or '_' (got '%.*s')", path,
                       TEST_ID_MAX, quote_len(s), s);
    *out = xstrdup(s);
    return ERR_OK;
}

static enum err_code uuid_field(const json_t *obj, const char *key, const char *prefix, char **out,
                                struct err *err)
{
    const json_t *v = given(obj, key);
    if (!v)
        return ERR_OK;
    char path[PATH_MAX_];
    join(path, prefix, key);
    const char *s = json_string_value(v);
    if (!ids_is_uuid(s, json_string_length(v)))
        return err_set(err, ERR_INVALID, path, "%s must be a UUID (got '%.*s')", path, quote_len(s),
                       s);
    *out = xstrdup(s);
    return ERR_OK;
}

/* The strings of array a (type-checked as an array) into l, each checked as text. */
static enum err_code text_list(const json_t *a, const char *path, size_t min, size_t max,
                               unsigned rules, bool keep, struct strlist *l, struct err *err)
{
    size_t i;
    const json_t *v;
    json_array_foreach (a, i, v) {
        char p[PATH_MAX_];
        char *s = NULL;
        pathf(p, sizeof(p), "%s[%zu]", path, i);
        enum err_code rc = text_value(v, p, min, max, rules, keep, &s, err);
        if (rc)
            return rc;
        strlist_add(l, s);
        free(s);
    }
    return ERR_OK;
}

static char *lower_dup(const char *s)
{
    char *d = xstrdup(s);
    for (char *p = d; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return d;
}

/* ---- the panel ----------------------------------------------------------------------- */

static const struct jfield FILTER_FIELDS[] = {
    { "q", JF_STRING, JF_NULLABLE, 0, 0 },
    { "age_min", JF_INT, JF_NULLABLE | JF_BOUNDED, PERSONA_AGE_MIN, PERSONA_AGE_MAX },
    { "age_max", JF_INT, JF_NULLABLE | JF_BOUNDED, PERSONA_AGE_MIN, PERSONA_AGE_MAX },
    { "gender", JF_STRING, JF_NULLABLE, 0, 0 },
    { "country", JF_STRING, JF_NULLABLE, 0, 0 },
    { "location", JF_STRING, JF_NULLABLE, 0, 0 },
    { "occupation", JF_STRING, JF_NULLABLE, 0, 0 },
    { "income_level", JF_STRING, JF_NULLABLE, 0, 0 },
    { "nationality", JF_STRING, JF_NULLABLE, 0, 0 },
    { "education", JF_STRING, JF_NULLABLE, 0, 0 },
    { "language", JF_STRING, JF_NULLABLE, 0, 0 },
    { "type", JF_STRING, JF_NULLABLE, 0, 0 },
    { "tag", JF_ARRAY, JF_NULLABLE | JF_BOUNDED, 0, PERSONA_TAGS_MAX },
};

/* The filter's text fields, in FILTER_FIELDS order (q and type included). */
static char **filter_text(struct panel_filter *f, size_t i)
{
    char **slots[] = { &f->q,
                       NULL,
                       NULL,
                       &f->gender,
                       &f->country,
                       &f->location,
                       &f->occupation,
                       &f->income_level,
                       &f->nationality,
                       &f->education,
                       &f->language,
                       &f->type,
                       NULL };
    return slots[i];
}

/* income_level and type: the listing's words, stored lower-case. */
static enum err_code filter_enums(struct panel_filter *f, struct err *err)
{
    if (f->income_level) {
        bool ok = false;
        for (int l = INCOME_LOW; l <= INCOME_HIGH && !ok; l++)
            ok = strcasecmp(f->income_level, persona_income_name((enum income_level)l)) == 0;
        if (!ok)
            return err_set(err, ERR_INVALID, "config.panel.filter.income_level",
                           "config.panel.filter.income_level must be low, lower_middle, middle, "
                           "upper_middle or high (got '%.*s')",
                           quote_len(f->income_level), f->income_level);
        char *low = lower_dup(f->income_level);
        free(f->income_level);
        f->income_level = low;
    }
    if (f->type) {
        bool ok = false;
        for (int k = PERSONA_KIND_CUSTOM; k <= PERSONA_KIND_GENERATED && !ok; k++)
            ok = strcasecmp(f->type, persona_kind_name((enum persona_kind)k)) == 0;
        if (!ok)
            return err_set(err, ERR_INVALID, "config.panel.filter.type",
                           "config.panel.filter.type must be custom, template or generated (got "
                           "'%.*s')",
                           quote_len(f->type), f->type);
        char *low = lower_dup(f->type);
        free(f->type);
        f->type = low;
    }
    return ERR_OK;
}

/* tag: trimmed, lower-case, each once. */
static enum err_code filter_tags(const json_t *a, struct strlist *tags, struct err *err)
{
    const char *path = "config.panel.filter.tag";
    enum err_code rc = text_list(a, path, 1, PERSONA_TAG_MAX, TEXT_TRIM, false, tags, err);
    for (size_t i = 0; !rc && i < tags->n; i++) {
        char *low = lower_dup(tags->items[i]);
        free(tags->items[i]);
        tags->items[i] = low;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(tags->items[i], tags->items[j]) == 0) {
                char p[PATH_MAX_];
                pathf(p, sizeof(p), "%s[%zu]", path, i);
                return err_set(err, ERR_INVALID, p,
                               "%s: '%.*s' is already %s[%zu] (expected each tag once)", p,
                               quote_len(low), low, path, j);
            }
        }
    }
    return rc;
}

static enum err_code read_filter(const json_t *o, struct panel_filter *f, struct err *err)
{
    const char *prefix = "config.panel.filter";
    enum err_code rc = check_fields(o, FILTER_FIELDS, ARRAY_SIZE(FILTER_FIELDS), prefix, err);
    for (size_t i = 0; !rc && i < ARRAY_SIZE(FILTER_FIELDS); i++) {
        char **slot = filter_text(f, i);
        if (slot)
            rc = text_field(o, FILTER_FIELDS[i].name, prefix, 1,
                            i == 0 ? PERSONA_QUERY_MAX : FILTER_TEXT_MAX, TEXT_LINE, slot, err);
    }
    if (!rc)
        rc = filter_enums(f, err);
    if (!rc) {
        const json_t *min = given(o, "age_min"), *max = given(o, "age_max");
        f->age_min = min ? json_integer_value(min) : 0;
        f->age_max = max ? json_integer_value(max) : 0;
        if (min && max && f->age_min > f->age_max)
            rc = err_set(err, ERR_INVALID, "config.panel.filter.age_max",
                         "config.panel.filter.age_max must be at least age_min (%" PRId64
                         ") (got %" PRId64 ")",
                         f->age_min, f->age_max);
    }
    const json_t *tag = given(o, "tag");
    if (!rc && tag)
        rc = filter_tags(tag, &f->tags, err);
    return rc;
}

static const struct jfield PANEL_FIELDS[] = {
    { "library_id", JF_STRING, JF_NULLABLE, 0, 0 },
    { "filter", JF_OBJECT, JF_NULLABLE, 0, 0 },
    { "generate", JF_INT, JF_NULLABLE | JF_BOUNDED, 1, TEST_GENERATE_MAX },
    { "description", JF_STRING, JF_NULLABLE, 0, 0 },
    { "templates", JF_STRING, JF_NULLABLE, 0, 0 },
};

/* config.panel: exactly one of its four forms. */
static enum err_code read_panel(const json_t *o, struct test_panel *p, struct err *err)
{
    const char *prefix = "config.panel";
    enum err_code rc = check_fields(o, PANEL_FIELDS, ARRAY_SIZE(PANEL_FIELDS), prefix, err);
    if (rc)
        return rc;
    const char *forms[] = { "library_id", "filter", "generate", "templates" };
    const char *got[ARRAY_SIZE(forms)];
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(forms); i++)
        if (given(o, forms[i]))
            got[n++] = forms[i];
    if (n == 0)
        return err_set(err, ERR_INVALID, prefix,
                       "%s must have one of library_id, filter, generate or templates (got none)",
                       prefix);
    if (n > 1)
        return err_set(err, ERR_INVALID, prefix,
                       "%s must have only one of library_id, filter, generate or templates (got %s "
                       "and %s)",
                       prefix, got[0], got[1]);
    bool generate = given(o, "generate") != NULL;
    if (given(o, "description") && !generate)
        return err_set(err, ERR_INVALID, "config.panel.description",
                       "config.panel.description goes with generate only (got it with %s)", got[0]);
    if (generate && !given(o, "description"))
        return err_set(err, ERR_INVALID, "config.panel.description",
                       "config.panel.description is required with generate: the population, in "
                       "words");
    if (given(o, "library_id")) {
        p->kind = PANEL_LIBRARY;
        return uuid_field(o, "library_id", prefix, &p->library_id, err);
    }
    if (given(o, "filter")) {
        p->kind = PANEL_FILTER;
        return read_filter(json_object_get(o, "filter"), &p->filter, err);
    }
    if (generate) {
        p->kind = PANEL_GENERATE;
        p->generate = (int)json_integer_value(json_object_get(o, "generate"));
        return text_field(o, "description", prefix, 1, TEST_DESCRIPTION_MAX, TEXT_MULTILINE,
                          &p->description, err);
    }
    p->kind = PANEL_TEMPLATES;
    const char *t = json_string_value(json_object_get(o, "templates"));
    if (strcmp(t, "all") != 0)
        return err_set(err, ERR_INVALID, "config.panel.templates",
                       "config.panel.templates must be \"all\" (got '%.*s')", quote_len(t), t);
    return ERR_OK;
}

/* config.personas (1..TEST_PERSONAS_MAX ids) or config.panel: one of them. */
static enum err_code read_panel_choice(const json_t *config, struct test_panel *p, struct err *err)
{
    const json_t *personas = given(config, "personas"), *panel = given(config, "panel");
    if (personas && panel)
        return err_set(err, ERR_INVALID, "config.panel",
                       "config.panel: give config.personas or config.panel, not both");
    if (!personas && !panel)
        return err_set(err, ERR_INVALID, "config.personas",
                       "config.personas is required: a list of persona ids, or config.panel "
                       "(library_id, filter, generate or templates) in its place (got neither)");
    if (panel)
        return read_panel(panel, p, err);
    p->kind = PANEL_PERSONAS;
    size_t i;
    const json_t *v;
    json_array_foreach (personas, i, v) {
        char path[PATH_MAX_];
        char *id = NULL;
        pathf(path, sizeof(path), "config.personas[%zu]", i);
        enum err_code rc = id_value(v, path, &id, err);
        if (rc)
            return rc;
        strlist_add(&p->persona_ids, id);
        free(id);
    }
    return ERR_OK;
}

/* ---- scenarios ------------------------------------------------------------------------- */

static const struct jfield SCALE_FIELDS[] = {
    { "min", JF_INT, JF_REQUIRED | JF_BOUNDED, -TEST_SCALE_LIMIT, TEST_SCALE_LIMIT },
    { "max", JF_INT, JF_REQUIRED | JF_BOUNDED, -TEST_SCALE_LIMIT, TEST_SCALE_LIMIT },
};

static const struct jfield QUESTION_FIELDS[] = {
    { "id", JF_STRING, JF_REQUIRED, 0, 0 },     { "kind", JF_STRING, JF_REQUIRED, 0, 0 },
    { "prompt", JF_STRING, JF_REQUIRED, 0, 0 }, { "scale", JF_OBJECT, JF_NULLABLE, 0, 0 },
    { "options", JF_ARRAY, JF_NULLABLE, 0, 0 },
};

static int question_kind_parse(const char *s)
{
    for (int k = 0; k < QUESTION_COUNT_; k++)
        if (strcmp(s, question_kind_name((enum question_kind)k)) == 0)
            return k;
    return -1;
}

/* scale (ratings only) and options (choices and rankings only), as the kind wants them. */
static enum err_code read_question_shape(const json_t *o, struct question *q, const char *prefix,
                                         struct err *err)
{
    const char *kind = question_kind_name(q->kind);
    const json_t *scale = given(o, "scale"), *options = given(o, "options");
    char path[PATH_MAX_];
    bool wants_options = q->kind == QUESTION_CHOICE || q->kind == QUESTION_RANKING;
    join(path, prefix, "scale");
    if (q->kind == QUESTION_RATING && !scale)
        return err_set(err, ERR_INVALID, path,
                       "%s is required for a rating question: {\"min\": m, \"max\": n} with "
                       "-%d <= m < n <= %d",
                       path, TEST_SCALE_LIMIT, TEST_SCALE_LIMIT);
    if (q->kind != QUESTION_RATING && scale)
        return err_set(err, ERR_INVALID, path,
                       "%s: a %s question takes no scale (only rating questions do)", path, kind);
    join(path, prefix, "options");
    if (wants_options && !options)
        return err_set(err, ERR_INVALID, path, "%s is required for a %s question: 2 to %d options",
                       path, kind, TEST_OPTIONS_MAX);
    if (!wants_options && options)
        return err_set(err, ERR_INVALID, path,
                       "%s: a %s question takes no options (only choice and ranking questions "
                       "do)",
                       path, kind);
    if (scale) {
        join(path, prefix, "scale");
        enum err_code rc = check_fields(scale, SCALE_FIELDS, ARRAY_SIZE(SCALE_FIELDS), path, err);
        if (rc)
            return rc;
        q->scale_min = (int)json_integer_value(json_object_get(scale, "min"));
        q->scale_max = (int)json_integer_value(json_object_get(scale, "max"));
        if (q->scale_min >= q->scale_max) {
            join(path, prefix, "scale.max");
            return err_set(err, ERR_INVALID, path, "%s must be above scale.min (%d) (got %d)", path,
                           q->scale_min, q->scale_max);
        }
    }
    if (options) {
        size_t n = json_array_size(options);
        if (n < 2 || n > TEST_OPTIONS_MAX)
            return err_set(err, ERR_INVALID, path, "%s must have 2 to %d items (got %zu)", path,
                           TEST_OPTIONS_MAX, n);
        return text_list(options, path, 1, TEST_OPTION_MAX, TEXT_TRIM, false, &q->options, err);
    }
    return ERR_OK;
}

static enum err_code read_question(const json_t *o, const char *prefix, struct question *q,
                                   struct err *err)
{
    enum err_code rc = check_fields(o, QUESTION_FIELDS, ARRAY_SIZE(QUESTION_FIELDS), prefix, err);
    char path[PATH_MAX_];
    join(path, prefix, "id");
    if (!rc)
        rc = id_value(json_object_get(o, "id"), path, &q->id, err);
    if (rc)
        return rc;
    const char *kind = json_string_value(json_object_get(o, "kind"));
    int k = question_kind_parse(kind);
    if (k < 0) {
        join(path, prefix, "kind");
        return err_set(err, ERR_INVALID, path,
                       "%s must be rating, choice, yes_no, ranking or text (got '%.*s')", path,
                       quote_len(kind), kind);
    }
    q->kind = (enum question_kind)k;
    rc = text_field(o, "prompt", prefix, 1, TEST_PROMPT_MAX, TEXT_MULTILINE, &q->prompt, err);
    if (!rc)
        rc = read_question_shape(o, q, prefix, err);
    return rc;
}

static const struct jfield VARIANT_FIELDS[] = {
    { "id", JF_STRING, JF_REQUIRED, 0, 0 },
    { "stimulus", JF_STRING, JF_REQUIRED, 0, 0 },
};

static enum err_code read_variant(const json_t *o, const char *prefix, struct test_variant *v,
                                  struct err *err)
{
    enum err_code rc = check_fields(o, VARIANT_FIELDS, ARRAY_SIZE(VARIANT_FIELDS), prefix, err);
    char path[PATH_MAX_];
    join(path, prefix, "id");
    if (!rc)
        rc = id_value(json_object_get(o, "id"), path, &v->id, err);
    if (!rc)
        rc = text_field(o, "stimulus", prefix, 1, TEST_STIMULUS_MAX, TEXT_MULTILINE, &v->stimulus,
                        err);
    return rc;
}

/* image_url: an http(s) URL without spaces, at most TEST_URL_MAX bytes. */
static enum err_code read_image_url(const json_t *o, const char *prefix, char **out,
                                    struct err *err)
{
    enum err_code rc = text_field(o, "image_url", prefix, 1, TEST_URL_MAX, TEXT_LINE, out, err);
    if (rc || !*out)
        return rc;
    const char *u = *out;
    size_t len = strlen(u);
    size_t scheme = strncasecmp(u, "https://", 8) == 0  ? 8
                    : strncasecmp(u, "http://", 7) == 0 ? 7
                                                        : 0;
    bool ok = scheme && len > scheme && len <= TEST_URL_MAX && !strpbrk(u, " \"<>\\");
    if (ok)
        return ERR_OK;
    char path[PATH_MAX_];
    join(path, prefix, "image_url");
    return err_set(err, ERR_INVALID, path,
                   "%s must be an http:// or https:// URL of at most %d bytes without spaces (got "
                   "'%.*s')",
                   path, TEST_URL_MAX, quote_len(u), u);
}

static const struct jfield SCENARIO_FIELDS[] = {
    { "id", JF_STRING, JF_REQUIRED, 0, 0 },
    { "title", JF_STRING, JF_NULLABLE, 0, 0 },
    { "stimulus", JF_STRING, JF_REQUIRED, 0, 0 },
    { "image_url", JF_STRING, JF_NULLABLE, 0, 0 },
    { "variants", JF_ARRAY, JF_NULLABLE, 0, 0 },
    { "questions", JF_ARRAY, JF_NULLABLE | JF_BOUNDED, 0, TEST_QUESTIONS_MAX },
};

static enum err_code read_scenario(const json_t *o, const char *prefix, struct test_scenario *s,
                                   struct err *err)
{
    enum err_code rc = check_fields(o, SCENARIO_FIELDS, ARRAY_SIZE(SCENARIO_FIELDS), prefix, err);
    char path[PATH_MAX_];
    join(path, prefix, "id");
    if (!rc)
        rc = id_value(json_object_get(o, "id"), path, &s->id, err);
    if (!rc)
        rc = text_field(o, "title", prefix, 1, TEST_NAME_MAX, TEXT_LINE, &s->title, err);
    if (!rc)
        rc = text_field(o, "stimulus", prefix, 1, TEST_STIMULUS_MAX, TEXT_MULTILINE, &s->stimulus,
                        err);
    if (!rc)
        rc = read_image_url(o, prefix, &s->image_url, err);
    if (rc)
        return rc;
    /* the counts of variants are test_spec_check's: they depend on the test's type */
    const json_t *variants = given(o, "variants");
    size_t n = json_array_size(variants);
    s->variants = n ? xcalloc(n, sizeof(*s->variants)) : NULL;
    for (size_t i = 0; i < n && !rc; i++) {
        pathf(path, sizeof(path), "%s.variants[%zu]", prefix, i);
        s->n_variants++;
        rc = read_variant(json_array_get(variants, i), path, &s->variants[i], err);
    }
    const json_t *questions = given(o, "questions");
    n = json_array_size(questions);
    s->questions = n && !rc ? xcalloc(n, sizeof(*s->questions)) : NULL;
    for (size_t i = 0; i < n && !rc; i++) {
        pathf(path, sizeof(path), "%s.questions[%zu]", prefix, i);
        s->n_questions++;
        rc = read_question(json_array_get(questions, i), path, &s->questions[i], err);
    }
    return rc;
}

/* ---- config ------------------------------------------------------------------------------ */

static const struct jfield MODERATOR_FIELDS[] = {
    { "questions", JF_ARRAY, JF_REQUIRED | JF_BOUNDED, 1, TEST_QUESTIONS_MAX },
    { "rounds", JF_INT, JF_REQUIRED | JF_BOUNDED, 1, TEST_ROUNDS_MAX },
};

static const struct jfield MODEL_FIELDS[] = {
    { "name", JF_STRING, JF_NULLABLE, 0, 0 },
    { "temperature", JF_NUMBER, JF_NULLABLE | JF_BOUNDED, 0, 2 },
    { "concurrency", JF_INT, JF_NULLABLE | JF_BOUNDED, 1, TEST_CONCURRENCY_MAX },
};

static const struct jfield CONFIG_FIELDS[] = {
    { "personas", JF_ARRAY, JF_NULLABLE | JF_BOUNDED, 1, TEST_PERSONAS_MAX },
    { "panel", JF_OBJECT, JF_NULLABLE, 0, 0 },
    { "scenarios", JF_ARRAY, JF_REQUIRED | JF_BOUNDED, 1, TEST_SCENARIOS_MAX },
    { "moderator", JF_OBJECT, JF_NULLABLE, 0, 0 },
    { "environment", JF_STRING, JF_NULLABLE, 0, 0 },
    { "timeout", JF_INT, JF_NULLABLE | JF_BOUNDED, 1, TEST_TIMEOUT_MAX },
    { "seed", JF_INT, JF_NULLABLE | JF_BOUNDED, 0, (int64_t)TEST_SEED_MAX },
    { "model", JF_OBJECT, JF_NULLABLE, 0, 0 },
    { "elicitation", JF_STRING, JF_NULLABLE, 0, 0 },
    { "samples", JF_INT, JF_NULLABLE | JF_BOUNDED, 1, SURVEY_MAX_SAMPLES },
    { "success_criteria", JF_ARRAY, JF_NULLABLE | JF_BOUNDED, 0, TEST_CRITERIA_MAX },
};

static enum err_code read_scenarios(const json_t *a, struct test_spec *t, struct err *err)
{
    size_t n = json_array_size(a);
    t->scenarios = xcalloc(n, sizeof(*t->scenarios));
    enum err_code rc = ERR_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        char path[PATH_MAX_];
        pathf(path, sizeof(path), "config.scenarios[%zu]", i);
        t->n_scenarios++;
        rc = read_scenario(json_array_get(a, i), path, &t->scenarios[i], err);
    }
    return rc;
}

static enum err_code read_moderator(const json_t *o, struct test_spec *t, struct err *err)
{
    const char *prefix = "config.moderator";
    enum err_code rc = check_fields(o, MODERATOR_FIELDS, ARRAY_SIZE(MODERATOR_FIELDS), prefix, err);
    if (!rc)
        rc = text_list(json_object_get(o, "questions"), "config.moderator.questions", 1,
                       TEST_PROMPT_MAX, TEXT_MULTILINE | TEXT_TRIM, false, &t->moderator_questions,
                       err);
    if (!rc)
        t->moderator_rounds = (int)json_integer_value(json_object_get(o, "rounds"));
    return rc;
}

static enum err_code read_model(const json_t *o, struct test_spec *t, struct err *err)
{
    const char *prefix = "config.model";
    enum err_code rc = check_fields(o, MODEL_FIELDS, ARRAY_SIZE(MODEL_FIELDS), prefix, err);
    if (!rc)
        rc = text_field(o, "name", prefix, 1, TEST_MODEL_NAME_MAX, TEXT_LINE, &t->model_name, err);
    const json_t *v = given(o, "temperature");
    if (!rc && v) {
        t->has_temperature = true;
        t->temperature = json_number_value(v);
    }
    v = given(o, "concurrency");
    if (!rc && v)
        t->concurrency = (int)json_integer_value(v);
    return rc;
}

/* The parameters after the scenarios: environment, timeout, seed, model, elicitation, samples. */
static enum err_code read_parameters(const json_t *c, struct test_spec *t, struct err *err)
{
    enum err_code rc = text_field(c, "environment", "config", 0, TEST_ENVIRONMENT_MAX, TEXT_LINE,
                                  &t->environment, err);
    const json_t *v = given(c, "timeout");
    t->timeout_s = v ? json_integer_value(v) : TEST_TIMEOUT_DEFAULT;
    v = given(c, "seed");
    t->has_seed = v != NULL;
    t->seed = v ? (uint64_t)json_integer_value(v) : 0;
    v = given(c, "model");
    if (!rc && v)
        rc = read_model(v, t, err);
    v = given(c, "elicitation");
    t->elicitation = ELICIT_DIRECT;
    if (!rc && v) {
        const char *e = json_string_value(v);
        if (strcmp(e, "ssr") == 0)
            t->elicitation = ELICIT_SSR;
        else if (strcmp(e, "direct") != 0)
            rc = err_set(err, ERR_INVALID, "config.elicitation",
                         "config.elicitation must be direct or ssr (got '%.*s')", quote_len(e), e);
    }
    v = given(c, "samples");
    t->samples = v ? (int)json_integer_value(v) : 1;
    return rc;
}

static enum err_code read_config(const json_t *c, struct test_spec *t, struct err *err)
{
    enum err_code rc = check_fields(c, CONFIG_FIELDS, ARRAY_SIZE(CONFIG_FIELDS), "config", err);
    if (!rc)
        rc = read_panel_choice(c, &t->panel, err);
    if (!rc)
        rc = read_scenarios(json_object_get(c, "scenarios"), t, err);
    const json_t *v = given(c, "moderator");
    if (!rc && v)
        rc = read_moderator(v, t, err);
    if (!rc)
        rc = read_parameters(c, t, err);
    v = given(c, "success_criteria");
    if (!rc && v)
        rc = text_list(v, "config.success_criteria", 1, CRITERION_MAX, TEXT_TRIM, true,
                       &t->criteria, err);
    return rc;
}

static const struct jfield TEST_FIELDS[] = {
    { "name", JF_STRING, JF_REQUIRED, 0, 0 },
    { "type", JF_STRING, JF_REQUIRED, 0, 0 },
    { "project_id", JF_STRING, JF_NULLABLE, 0, 0 },
    { "config", JF_OBJECT, JF_REQUIRED, 0, 0 },
};

static enum err_code read_test(const json_t *doc, struct test_spec *t, struct err *err)
{
    if (!json_is_object(doc))
        return err_set(err, ERR_INVALID, NULL, "a test must be a JSON object (got %s)",
                       jsonio_kind(doc));
    enum err_code rc = check_fields(doc, TEST_FIELDS, ARRAY_SIZE(TEST_FIELDS), "", err);
    if (!rc)
        rc = text_field(doc, "name", "", 1, TEST_NAME_MAX, TEXT_LINE, &t->name, err);
    if (rc)
        return rc;
    const char *type = json_string_value(json_object_get(doc, "type"));
    int k = test_type_parse(type);
    if (k < 0)
        return err_set(err, ERR_INVALID, "type",
                       "type must be product, message, journey or focus_group (got '%.*s')",
                       quote_len(type), type);
    t->type = (enum test_type)k;
    rc = uuid_field(doc, "project_id", "", &t->project_id, err);
    if (!rc)
        rc = read_config(json_object_get(doc, "config"), t, err);
    return rc;
}

enum err_code test_spec_parse(const char *text, size_t len, struct test_spec **out, struct err *err)
{
    *out = NULL;
    json_t *doc = NULL;
    enum err_code rc = jsonio_parse(text, len, &doc, err);
    if (rc)
        return rc;
    struct test_spec *t = xcalloc(1, sizeof(*t));
    rc = read_test(doc, t, err);
    json_decref(doc);
    if (!rc)
        rc = test_spec_check(t, err);
    if (rc) {
        test_spec_free(t);
        return rc;
    }
    *out = t;
    return ERR_OK;
}

/* ---- the canonical text ------------------------------------------------------------------ */

static json_t *str_array(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, jsonio_string(l->items[i], strlen(l->items[i])));
    return a;
}

static json_t *panel_json(const struct test_panel *p)
{
    json_t *o = json_object();
    switch (p->kind) {
    case PANEL_PERSONAS:
        break;
    case PANEL_LIBRARY:
        jsonio_set_str(o, "library_id", p->library_id);
        break;
    case PANEL_FILTER: {
        json_t *f = json_object();
        struct panel_filter *pf = (struct panel_filter *)&p->filter; /* filter_text only reads */
        for (size_t i = 0; i < ARRAY_SIZE(FILTER_FIELDS); i++) {
            char **slot = filter_text(pf, i);
            if (slot && *slot)
                jsonio_set_str(f, FILTER_FIELDS[i].name, *slot);
            if (i == 1 && p->filter.age_min)
                jsonio_set_new(f, "age_min", json_integer(p->filter.age_min));
            if (i == 2 && p->filter.age_max)
                jsonio_set_new(f, "age_max", json_integer(p->filter.age_max));
        }
        if (p->filter.tags.n)
            jsonio_set_new(f, "tag", str_array(&p->filter.tags));
        jsonio_set_new(o, "filter", f);
        break;
    }
    case PANEL_GENERATE:
        jsonio_set_new(o, "generate", json_integer(p->generate));
        jsonio_set_str(o, "description", p->description);
        break;
    case PANEL_TEMPLATES:
        jsonio_set_str(o, "templates", "all");
        break;
    }
    return o;
}

static json_t *question_json(const struct question *q)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", q->id);
    jsonio_set_str(o, "kind", question_kind_name(q->kind));
    jsonio_set_str(o, "prompt", q->prompt);
    if (q->kind == QUESTION_RATING) {
        json_t *s = json_object();
        jsonio_set_new(s, "min", json_integer(q->scale_min));
        jsonio_set_new(s, "max", json_integer(q->scale_max));
        jsonio_set_new(o, "scale", s);
    }
    if (q->options.n)
        jsonio_set_new(o, "options", str_array(&q->options));
    return o;
}

static json_t *scenario_json(const struct test_scenario *s)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", s->id);
    if (s->title)
        jsonio_set_str(o, "title", s->title);
    jsonio_set_str(o, "stimulus", s->stimulus);
    if (s->image_url)
        jsonio_set_str(o, "image_url", s->image_url);
    if (s->n_variants) {
        json_t *a = json_array();
        for (size_t i = 0; i < s->n_variants; i++) {
            json_t *v = json_object();
            jsonio_set_str(v, "id", s->variants[i].id);
            jsonio_set_str(v, "stimulus", s->variants[i].stimulus);
            json_array_append_new(a, v);
        }
        jsonio_set_new(o, "variants", a);
    }
    json_t *qs = json_array();
    for (size_t i = 0; i < s->n_questions; i++)
        json_array_append_new(qs, question_json(&s->questions[i]));
    jsonio_set_new(o, "questions", qs);
    return o;
}

static json_t *config_json(const struct test_spec *t)
{
    json_t *c = json_object();
    if (t->panel.kind == PANEL_PERSONAS)
        jsonio_set_new(c, "personas", str_array(&t->panel.persona_ids));
    else
        jsonio_set_new(c, "panel", panel_json(&t->panel));
    json_t *scenarios = json_array();
    for (size_t i = 0; i < t->n_scenarios; i++)
        json_array_append_new(scenarios, scenario_json(&t->scenarios[i]));
    jsonio_set_new(c, "scenarios", scenarios);
    if (t->moderator_rounds || t->moderator_questions.n) {
        json_t *m = json_object();
        jsonio_set_new(m, "questions", str_array(&t->moderator_questions));
        jsonio_set_new(m, "rounds", json_integer(t->moderator_rounds));
        jsonio_set_new(c, "moderator", m);
    }
    if (t->environment)
        jsonio_set_str(c, "environment", t->environment);
    jsonio_set_new(c, "timeout", json_integer(t->timeout_s));
    if (t->has_seed)
        jsonio_set_new(c, "seed", json_integer((json_int_t)t->seed));
    if (t->model_name || t->has_temperature || t->concurrency) {
        json_t *m = json_object();
        if (t->model_name)
            jsonio_set_str(m, "name", t->model_name);
        if (t->has_temperature)
            jsonio_set_new(m, "temperature", json_real(t->temperature));
        if (t->concurrency)
            jsonio_set_new(m, "concurrency", json_integer(t->concurrency));
        jsonio_set_new(c, "model", m);
    }
    jsonio_set_str(c, "elicitation", t->elicitation == ELICIT_SSR ? "ssr" : "direct");
    jsonio_set_new(c, "samples", json_integer(t->samples));
    if (t->criteria.n)
        jsonio_set_new(c, "success_criteria", str_array(&t->criteria));
    return c;
}

char *test_spec_format(const struct test_spec *t, size_t *len)
{
    json_t *doc = json_object();
    jsonio_set_str(doc, "name", t->name);
    jsonio_set_str(doc, "type", test_type_name(t->type));
    if (t->project_id)
        jsonio_set_str(doc, "project_id", t->project_id);
    jsonio_set_new(doc, "config", config_json(t));
    char *text = jsonio_dump(doc, 0, len);
    json_decref(doc);
    return text;
}
