/*
 * domain/templates_json.c - reads one template file (domain/templates.h):
 * the domain's one JSON reader, for data files it ships. The persona
 * fields go through persona_spec_check as text, like an API body; the file
 * adds only its tags.
 */
#include "core/compat.h"

#include "domain/templates.h"

#include "core/buf.h"
#include "core/jsonio.h"
#include "domain/personas.h"

/* The tags of a template: an array of strings, checked like an API body's. */
static enum err_code read_tags(const json_t *doc, struct strlist *out, struct err *err)
{
    const json_t *tags = json_object_get(doc, "tags");
    if (!json_is_array(tags))
        return err_set(err, ERR_INVALID, "tags", "tags: must be an array of strings");
    struct strlist raw = { 0 };
    size_t i;
    const json_t *v;
    enum err_code rc = ERR_OK;
    json_array_foreach (tags, i, v) {
        if (!json_is_string(v)) {
            rc = err_set(err, ERR_INVALID, "tags", "tags[%zu]: must be a string", i);
            break;
        }
        strlist_add(&raw, json_string_value(v));
    }
    if (!rc)
        rc = persona_tags_check(&raw, out, err);
    strlist_release(&raw);
    return rc;
}

enum err_code template_read(const char *text, size_t len, struct persona_template *t,
                            struct err *err)
{
    json_t *doc = NULL;
    enum err_code rc = jsonio_parse(text, len, &doc, err);
    if (!rc && !json_is_object(doc))
        rc = err_set(err, ERR_INVALID, NULL, "a template must be a JSON object");
    if (!rc)
        rc = read_tags(doc, &t->tags, err);
    if (!rc) {
        /* the persona fields alone, as an API body would hold them */
        json_object_del(doc, "tags");
        size_t n;
        char *spec = jsonio_dump(doc, 0, &n);
        struct buf canon;
        buf_init(&canon, PERSONA_SPEC_MAX * 2);
        rc = persona_spec_check(spec, n, &t->persona, &canon, err);
        free(spec);
        if (!rc)
            t->spec = buf_detach(&canon, NULL);
        buf_release(&canon);
    }
    json_decref(doc);
    return rc;
}
