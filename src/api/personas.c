/*
 * api/personas.c - /api/personas: list (search, filters, sort, pages),
 * create (custom, or from a template), get, update (PUT: the persona's
 * fields and/or its tags), delete; /api/personas/templates, the catalogue.
 * The rules live in domain/personas.h; this file reads bodies and query
 * arguments and writes the persona in SPEC.md's shape:
 *   {id, name, type, template_id, tags, demographics, personality, profile,
 *    tiny_troupe_config, validation, workspace_id, created_at, updated_at}
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonio.h"
#include "core/xalloc.h"
#include "domain/personas.h"
#include "domain/templates.h"
#include "http/request.h"
#include "http/response.h"

/* The largest answer: a page of PERSONA_PAGE_MAX personas of PERSONA_SPEC_MAX each, and more. */
#define RESPONSE_MAX ((size_t)PERSONA_PAGE_MAX * PERSONA_SPEC_MAX * 2)

/* The keys of a body that are the persona's own fields (its spec). */
static const char *const SPEC_KEYS[] = { "name", "demographics", "personality", "profile" };

/* Fields a client may send back from a GET: ignored, they are not its to change. */
static const char *const READ_ONLY_KEYS[] = { "id",         "workspace_id",       "created_at",
                                              "updated_at", "tiny_troupe_config", "validation" };

static bool is_one_of(const char *key, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

/* ---- writing ------------------------------------------------------------------------------ */

static json_t *strlist_json(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, jsonio_string(l->items[i], strlen(l->items[i])));
    return a;
}

static void add_tags(struct buf *b, const struct strlist *tags)
{
    buf_addch(b, '[');
    for (size_t i = 0; i < tags->n; i++) {
        if (i)
            buf_addch(b, ',');
        buf_add_json_string(b, tags->items[i]);
    }
    buf_addch(b, ']');
}

/*
 * A persona as JSON text, written straight into out. The stored spec is
 * already canonical JSON (domain/personas.c wrote it), so it is copied in,
 * not parsed and written again: with jansson doing both, a page of 50
 * personas (~140 KB) spent most of its time there (bench/run).
 */
static void persona_record_text(const struct persona_record *r, struct buf *out)
{
    buf_adds(out, "{\"id\":");
    buf_add_json_string(out, r->id);
    view_text_members(out, r->spec);
    view_text_key(out, "type");
    buf_add_json_string(out, persona_kind_name(r->kind));
    view_text_key(out, "template_id");
    buf_add_json_string(out, r->template_id);
    view_text_key(out, "tags");
    add_tags(out, &r->tags);
    view_text_key(out, "tiny_troupe_config");
    buf_adds(out, "{\"person_id\":");
    buf_add_json_string(out, r->id);
    buf_adds(out, ",\"cached_state\":{},\"last_updated\":");
    view_text_time(out, r->updated_at);
    buf_addch(out, '}');
    view_text_key(out, "validation");
    if (r->validated) {
        buf_addf(out, "{\"score\":%.3f,\"reasons\":", r->validation_score);
        buf_add_json_string(out, r->validation_reasons ? r->validation_reasons : "");
        buf_adds(out, ",\"validated_at\":");
        view_text_time(out, r->validated_at);
        buf_addch(out, '}');
    } else {
        buf_adds(out, "null");
    }
    view_text_key(out, "workspace_id");
    buf_add_json_string(out, r->workspace_id);
    view_text_key(out, "created_at");
    view_text_time(out, r->created_at);
    view_text_key(out, "updated_at");
    view_text_time(out, r->updated_at);
    buf_addch(out, '}');
}

/* Sends text (a JSON document built in b) and releases b. */
static void send_text(struct req *req, int status, struct buf *b)
{
    resp_bytes(req, status, "application/json", b->data, b->len);
    buf_release(b);
}

/* Copies the keys of a stored spec (trusted JSON text) into o. */
static void add_spec(json_t *o, const char *spec)
{
    json_t *j = json_loads(spec, 0, NULL);
    const char *key;
    json_t *v;
    json_object_foreach (j, key, v)
        json_object_set(o, key, v);
    json_decref(j);
}

static json_t *template_json(const struct persona_template *t)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", t->id);
    add_spec(o, t->spec);
    jsonio_set_new(o, "tags", strlist_json(&t->tags));
    return o;
}

/* ---- reading a body -------------------------------------------------------------------------- */

/* The tags array of a body into out; absent: *given false. */
static enum err_code read_tags(const json_t *body, struct strlist *out, bool *given,
                               struct err *err)
{
    const json_t *tags = json_object_get(body, "tags");
    *given = tags != NULL && !json_is_null(tags);
    if (!*given)
        return ERR_OK;
    if (!json_is_array(tags))
        return err_set(err, ERR_INVALID, "tags", "tags: must be an array of strings (got %s)",
                       jsonio_kind(tags));
    if (json_array_size(tags) > PERSONA_TAGS_MAX)
        return err_set(err, ERR_INVALID, "tags", "tags: at most %d (got %zu)", PERSONA_TAGS_MAX,
                       json_array_size(tags));
    size_t i;
    const json_t *v;
    json_array_foreach (tags, i, v) {
        if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
            char field[32];
            snprintf(field, sizeof(field), "tags[%zu]", i);
            return err_set(err, ERR_INVALID, field, "%s: must be a string", field);
        }
        strlist_add(out, json_string_value(v));
    }
    return ERR_OK;
}

/* What a create or update body holds, read and checked for its shape. */
struct body {
    struct persona_input in;
    struct strlist tags;
    char *spec; /* owned */
};

static void body_release(struct body *b)
{
    strlist_release(&b->tags);
    free(b->spec);
}

/*
 * Reads a body: template_id (creating only), type (only "custom" may be
 * written), tags, and the spec's keys, which go to the domain as text.
 * Any other key is refused, naming it.
 */
static enum err_code read_body(struct req *req, bool creating, struct body *b, struct err *err)
{
    json_t *body = NULL; /* owned by the request */
    enum err_code rc = req_json(req, &body, err);
    if (rc)
        return rc;
    if (!json_is_object(body))
        return err_set(err, ERR_INVALID, NULL, "the body must be a JSON object (got %s)",
                       jsonio_kind(body));
    json_t *spec = json_object();
    const char *key;
    json_t *v;
    json_object_foreach (body, key, v) {
        if (is_one_of(key, SPEC_KEYS, ARRAY_SIZE(SPEC_KEYS))) {
            json_object_set(spec, key, v);
        } else if (strcmp(key, "template_id") == 0 && creating) {
            if (!json_is_string(v)) {
                rc = err_set(err, ERR_INVALID, key, "template_id: must be a string");
                break;
            }
            b->in.template_id = json_string_value(v);
        } else if (strcmp(key, "type") == 0 && (creating || json_is_string(v))) {
            const char *t = json_is_string(v) ? json_string_value(v) : "";
            if (creating && strcmp(t, "custom") != 0 &&
                !(strcmp(t, "template") == 0 && json_object_get(body, "template_id"))) {
                rc = err_set(err, ERR_INVALID, "type",
                             "type: only custom personas are written here (a template's with "
                             "template_id; generated ones with POST /api/personas/generate)");
                break;
            }
        } else if (strcmp(key, "tags") == 0 ||
                   (!creating && (is_one_of(key, READ_ONLY_KEYS, ARRAY_SIZE(READ_ONLY_KEYS)) ||
                                  strcmp(key, "template_id") == 0))) {
            continue;
        } else {
            rc = err_set(err, ERR_INVALID, key, "%s: unknown field", key);
            break;
        }
    }
    bool tags_given = false;
    if (!rc)
        rc = read_tags(body, &b->tags, &tags_given, err);
    if (!rc && tags_given)
        b->in.tags = &b->tags;
    if (!rc && json_object_size(spec)) {
        b->spec = jsonio_dump(spec, 0, &b->in.spec_len);
        b->in.spec = b->spec;
    }
    json_decref(spec);
    return rc;
}

/* ---- handlers
 * ------------------------------------------------------------------------------------ */

static void answer(struct req *req, int status, const struct persona_record *r)
{
    struct buf b;
    buf_init(&b, RESPONSE_MAX);
    persona_record_text(r, &b);
    send_text(req, status, &b);
}

/* The tag argument: tags separated by commas. */
static void split_tags(const char *arg, struct strlist *out)
{
    while (arg && *arg) {
        const char *comma = strchr(arg, ',');
        size_t n = comma ? (size_t)(comma - arg) : strlen(arg);
        if (n) {
            char *tag = xmemdupz(arg, n);
            strlist_add(out, tag);
            free(tag);
        }
        arg = comma ? comma + 1 : arg + n;
    }
}

static enum err_code read_filter(struct req *req, struct persona_filter *f, struct strlist *tags,
                                 struct err *err)
{
    f->q = req_query(req, "q");
    f->gender = req_query(req, "gender");
    f->country = req_query(req, "country");
    f->location = req_query(req, "location");
    f->occupation = req_query(req, "occupation");
    f->income_level = req_query(req, "income_level");
    f->nationality = req_query(req, "nationality");
    f->education = req_query(req, "education");
    f->language = req_query(req, "language");
    f->kind = req_query(req, "type");
    f->library_id = req_query(req, "library_id");
    split_tags(req_query(req, "tag"), tags);
    if (tags->n)
        f->tags = tags;
    enum err_code rc =
        req_query_int(req, "age_min", 0, PERSONA_AGE_MIN, PERSONA_AGE_MAX, &f->age_min, err);
    if (!rc)
        rc = req_query_int(req, "age_max", 0, PERSONA_AGE_MIN, PERSONA_AGE_MAX, &f->age_max, err);
    if (!rc)
        rc =
            view_page_args(req, PERSONA_PAGE_DEFAULT, PERSONA_PAGE_MAX, &f->limit, &f->offset, err);
    const char *sort = req_query(req, "sort");
    if (!rc && sort)
        rc = persona_sort_parse(sort, f, err);
    return rc;
}

enum err_code personas_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct persona_filter f = { 0 };
    struct strlist tags = { 0 };
    struct persona_page pg = { 0 };
    enum err_code rc = read_filter(req, &f, &tags, err);
    if (!rc)
        rc = personas_query(app->store, api_caller(req), &f, &pg, err);
    strlist_release(&tags);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, RESPONSE_MAX);
    buf_adds(&b, "{\"personas\":[");
    for (size_t i = 0; i < pg.n; i++) {
        if (i)
            buf_addch(&b, ',');
        persona_record_text(&pg.items[i], &b);
    }
    view_text_page_end(&b, pg.total, pg.limit, pg.offset);
    persona_page_release(&pg);
    send_text(req, 200, &b);
    return ERR_OK;
}

enum err_code personas_create(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct body b = { 0 };
    struct persona_record r = { 0 };
    enum err_code rc = read_body(req, true, &b, err);
    if (!rc)
        rc = personas_add(app->store, api_caller(req), &b.in, &r, err);
    body_release(&b);
    if (rc)
        return rc;
    char location[64];
    snprintf(location, sizeof(location), "/api/personas/%s", r.id);
    resp_header(req, "Location", location);
    answer(req, 201, &r);
    persona_record_release(&r);
    return ERR_OK;
}

enum err_code personas_get(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct persona_record r = { 0 };
    enum err_code rc = personas_fetch(app->store, api_caller(req), req_param(req, "id"), &r, err);
    if (rc)
        return rc;
    answer(req, 200, &r);
    persona_record_release(&r);
    return ERR_OK;
}

enum err_code personas_update(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct body b = { 0 };
    struct persona_record r = { 0 };
    enum err_code rc = read_body(req, false, &b, err);
    if (!rc)
        rc = personas_edit(app->store, api_caller(req), req_param(req, "id"), &b.in, &r, err);
    body_release(&b);
    if (rc)
        return rc;
    answer(req, 200, &r);
    persona_record_release(&r);
    return ERR_OK;
}

enum err_code personas_delete(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc = personas_remove(app->store, api_caller(req), req_param(req, "id"), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}

enum err_code personas_templates(struct req *req, struct err *err)
{
    const struct persona_template *all;
    size_t n;
    enum err_code rc = templates_get(&all, &n, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, template_json(&all[i]));
    json_t *body = json_object();
    jsonio_set_new(body, "templates", list);
    jsonio_set_new(body, "total", json_integer((json_int_t)n));
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code personas_template_get(struct req *req, struct err *err)
{
    const char *id = req_param(req, "id");
    const struct persona_template *t = templates_find(id);
    if (!t)
        return err_set(err, ERR_NOT_FOUND, "id", "no template '%.80s'", id ? id : "");
    resp_json_take(req, 200, template_json(t));
    return ERR_OK;
}
