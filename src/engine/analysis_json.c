/*
 * engine/analysis_json.c - the JSON answers of the extract, normalize and
 * proposition tasks read into analysis.h's typed results. A wire file of
 * the engine (json_t is allowed here and nowhere else in analysis).
 *
 * The gateway has already checked each answer against its task's schema
 * and validator; these readers still check every type they rely on, so a
 * provider that slipped past the schema gives ERR_INVALID, never a value
 * that is quietly empty.
 */
#include "core/compat.h"

#include "engine/analysis.h"

#include <jansson.h>

#include "core/span.h"
#include "core/xalloc.h"

static const char *const type_names[] = { "a string", "a number", "true or false",
                                          "a list of strings" };

/* s without surrounding white space, copied; NULL when nothing is left. */
static char *trimmed_dup(const char *s)
{
    struct span t = span_trim(span_cstr(s));
    return t.len ? xmemdupz(t.ptr, t.len) : NULL;
}

static enum err_code wrong_type(const struct extract_field *f, struct err *err)
{
    return err_set(err, ERR_INVALID, f->name, "/values/%s: expected %s or null", f->name,
                   type_names[f->type]);
}

static enum err_code read_list(const struct extract_field *f, const json_t *v,
                               struct analysis_value *out, struct err *err)
{
    if (!json_is_array(v))
        return wrong_type(f, err);
    size_t i;
    const json_t *item;
    json_array_foreach (v, i, item) {
        if (!json_is_string(item))
            return err_set(err, ERR_INVALID, f->name, "/values/%s/%zu: expected a string", f->name,
                           i);
        char *s = trimmed_dup(json_string_value(item));
        if (s)
            strlist_add(&out->list, s); /* a blank item says nothing */
        free(s);
    }
    return ERR_OK;
}

/* One field's value; null (or a blank string) is the explicit "not answered". */
static enum err_code read_value(const struct extract_field *f, const json_t *v,
                                struct analysis_value *out, struct err *err)
{
    out->name = xstrdup(f->name);
    out->type = f->type;
    out->is_null = true;
    if (!v || json_is_null(v))
        return ERR_OK;
    switch (f->type) {
    case EXTRACT_STRING:
        if (!json_is_string(v))
            return wrong_type(f, err);
        out->text = trimmed_dup(json_string_value(v));
        out->is_null = out->text == NULL;
        return ERR_OK;
    case EXTRACT_NUMBER:
        if (!json_is_number(v))
            return wrong_type(f, err);
        out->number = json_number_value(v);
        break;
    case EXTRACT_BOOLEAN:
        if (!json_is_boolean(v))
            return wrong_type(f, err);
        out->boolean = json_is_true(v);
        break;
    case EXTRACT_LIST: {
        enum err_code rc = read_list(f, v, out, err);
        if (rc)
            return rc;
        break;
    }
    }
    out->is_null = false;
    return ERR_OK;
}

enum err_code analysis_read_extraction(const struct extract_input *in,
                                       const struct llm_response *resp,
                                       struct analysis_extraction *out, struct err *err)
{
    const json_t *values = json_object_get(resp->json, "values");
    if (!json_is_object(values))
        return err_set(err, ERR_INVALID, "values", "the answer has no \"values\" object");
    out->values = xcalloc(in->n_fields ? in->n_fields : 1, sizeof(*out->values));
    for (size_t i = 0; i < in->n_fields; i++) {
        out->n_values = i + 1;
        const struct extract_field *f = &in->fields[i];
        enum err_code rc = read_value(f, json_object_get(values, f->name), &out->values[i], err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

static enum analysis_sentiment sentiment_parse(const char *s)
{
    if (s && strcmp(s, "positive") == 0)
        return ANALYSIS_POSITIVE;
    if (s && strcmp(s, "negative") == 0)
        return ANALYSIS_NEGATIVE;
    return ANALYSIS_NEUTRAL;
}

enum err_code analysis_read_themes(const struct llm_response *resp, struct analysis_themes *out,
                                   struct err *err)
{
    const json_t *themes = json_object_get(resp->json, "themes");
    if (!json_is_array(themes))
        return err_set(err, ERR_INVALID, "themes", "the answer has no \"themes\" array");
    size_t i;
    const json_t *theme;
    json_array_foreach (themes, i, theme) {
        const char *name = json_string_value(json_object_get(theme, "name"));
        const json_t *answers = json_object_get(theme, "answers");
        if (!json_is_object(theme) || !name || !json_is_array(answers))
            return err_set(err, ERR_INVALID, "themes",
                           "/themes/%zu: expected {name, sentiment, answers}", i);
        struct analysis_theme *t = analysis_themes_add(
            out, name, sentiment_parse(json_string_value(json_object_get(theme, "sentiment"))));
        size_t j;
        const json_t *idx;
        json_array_foreach (answers, j, idx) {
            if (!json_is_integer(idx) || json_integer_value(idx) < 0)
                return err_set(err, ERR_INVALID, "themes",
                               "/themes/%zu/answers/%zu: expected an answer's index", i, j);
            /* out of range or repeated: settled by analysis_themes_settle */
            analysis_theme_add_answer(t, (size_t)json_integer_value(idx));
        }
    }
    return ERR_OK;
}

enum err_code analysis_read_insights(const struct llm_response *resp, struct analysis_insights *out,
                                     struct err *err)
{
    const char *summary = json_string_value(json_object_get(resp->json, "summary"));
    const json_t *highlights = json_object_get(resp->json, "highlights");
    if (!summary || !json_is_array(highlights))
        return err_set(err, ERR_INVALID, "summary",
                       "the answer has no \"summary\" text and \"highlights\" list");
    out->summary = xstrdup(summary);
    size_t i;
    const json_t *h;
    json_array_foreach (highlights, i, h)
        if (json_string_value(h))
            strlist_add(&out->highlights, json_string_value(h));
    return ERR_OK;
}

enum err_code analysis_read_verdict(const struct llm_response *resp, bool scored,
                                    struct analysis_verdict *out, struct err *err)
{
    const json_t *value = json_object_get(resp->json, "value");
    const char *why = json_string_value(json_object_get(resp->json, "justification"));
    if (scored) {
        if (!json_is_integer(value) || json_integer_value(value) < 0 ||
            json_integer_value(value) > 9)
            return err_set(err, ERR_INVALID, "value", "/value: expected an integer from 0 to 9");
        out->score = (int)json_integer_value(value);
    } else {
        if (!json_is_boolean(value))
            return err_set(err, ERR_INVALID, "value", "/value: expected true or false");
        out->value = json_is_true(value);
    }
    out->justification = why ? trimmed_dup(why) : NULL;
    if (!out->justification)
        return err_set(err, ERR_INVALID, "justification", "/justification: the reason is missing");
    return ERR_OK;
}
