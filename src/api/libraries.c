/*
 * api/libraries.c - /api/libraries: list (paged), create, get, update (PUT:
 * name and/or description), delete, in the caller's workspace; and
 * /api/libraries/:id/personas: add personas (POST {"persona_ids": [...]})
 * and take one out (DELETE .../:persona_id). The rules live in
 * domain/libraries.h; a library's personas themselves are listed by
 * GET /api/personas?library_id=<id> (api/personas.c).
 *
 * A library is written as {id, name, description, persona_count,
 * created_at, updated_at}, plus persona_ids (oldest member first) when one
 * library is answered (create, get, update, add).
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/bodies.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/jsonio.h"
#include "domain/libraries.h"
#include "http/request.h"
#include "http/response.h"

/* The JSON of a library (a new reference); with its persona_ids when with_members. */
static json_t *library_json(const struct library *l, bool with_members)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", l->id);
    jsonio_set_str(o, "name", l->name);
    jsonio_set_str(o, "description", l->description);
    jsonio_set_new(o, "persona_count", json_integer(l->persona_count));
    if (with_members) {
        json_t *ids = json_array();
        for (size_t i = 0; i < l->persona_ids.n; i++)
            json_array_append_new(
                ids, jsonio_string(l->persona_ids.items[i], strlen(l->persona_ids.items[i])));
        jsonio_set_new(o, "persona_ids", ids);
    }
    jsonio_set_new(o, "created_at", view_time(l->created_at, false));
    jsonio_set_new(o, "updated_at", view_time(l->updated_at, false));
    return o;
}

/* Answers one library with its members and releases it. */
static void answer(struct req *req, int status, struct library *l)
{
    resp_json_take(req, status, library_json(l, true));
    library_release(l);
}

/*
 * Validates the body against b (api/bodies.h: types and unknown keys; the
 * domain checks the texts, trimmed) and reads name and description from it.
 */
static enum err_code read_input(struct req *req, const struct api_body *b, struct library_input *in,
                                struct err *err)
{
    json_t *body = NULL; /* owned by the request */
    enum err_code rc = req_json(req, &body, err);
    if (!rc)
        rc = api_body_check(body, b, err);
    if (!rc)
        rc = jsonio_get_str(body, "name", &in->name, err);
    if (!rc)
        rc = jsonio_get_str(body, "description", &in->description, err);
    return rc;
}

enum err_code libraries_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t limit, offset;
    enum err_code rc =
        view_page_args(req, LIBRARY_PAGE_DEFAULT, LIBRARY_PAGE_MAX, &limit, &offset, err);
    struct library_page pg = { 0 };
    if (!rc)
        rc = library_list(app->store, api_caller(req), limit, offset, &pg, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < pg.n; i++)
        json_array_append_new(list, library_json(&pg.items[i], false));
    json_t *body = view_page("libraries", list, pg.total, pg.limit, pg.offset);
    library_page_release(&pg);
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code libraries_create(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct library_input in = { 0 };
    struct library l = { 0 };
    enum err_code rc = read_input(req, &BODY_LIBRARY_CREATE, &in, err);
    if (!rc)
        rc = library_create(app->store, api_caller(req), &in, &l, err);
    if (rc)
        return rc;
    char location[64];
    snprintf(location, sizeof(location), "/api/libraries/%s", l.id);
    resp_header(req, "Location", location);
    answer(req, 201, &l);
    return ERR_OK;
}

enum err_code libraries_get(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct library l = { 0 };
    enum err_code rc = library_get(app->store, api_caller(req), req_param(req, "id"), &l, err);
    if (rc)
        return rc;
    answer(req, 200, &l);
    return ERR_OK;
}

enum err_code libraries_update(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct library_input in = { 0 };
    struct library l = { 0 };
    enum err_code rc = read_input(req, &BODY_LIBRARY_UPDATE, &in, err);
    if (!rc)
        rc = library_update(app->store, api_caller(req), req_param(req, "id"), &in, &l, err);
    if (rc)
        return rc;
    answer(req, 200, &l);
    return ERR_OK;
}

enum err_code libraries_delete(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc = library_delete(app->store, api_caller(req), req_param(req, "id"), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}

/* Reads {"persona_ids": [1..LIBRARY_ADD_MAX strings]} into ids (copies). */
static enum err_code read_persona_ids(struct req *req, struct strlist *ids, struct err *err)
{
    json_t *body = NULL; /* owned by the request */
    enum err_code rc = req_json(req, &body, err);
    if (!rc)
        rc = api_body_check(body, &BODY_LIBRARY_ADD, err);
    if (rc)
        return rc;
    size_t i;
    const json_t *v;
    json_array_foreach (json_object_get(body, "persona_ids"), i, v) {
        char field[48];
        snprintf(field, sizeof(field), "persona_ids[%zu]", i);
        if (!json_is_string(v))
            return err_set(err, ERR_INVALID, field, "%s: must be a persona id, a string (got %s)",
                           field, jsonio_kind(v));
        if (strlen(json_string_value(v)) != json_string_length(v))
            return err_set(err, ERR_INVALID, field, "%s: must not contain U+0000", field);
        strlist_add(ids, json_string_value(v));
    }
    return ERR_OK;
}

enum err_code libraries_add_personas(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct strlist ids = { 0 };
    struct library l = { 0 };
    enum err_code rc = read_persona_ids(req, &ids, err);
    if (!rc)
        rc = library_add_personas(app->store, api_caller(req), req_param(req, "id"), &ids, &l, err);
    strlist_release(&ids);
    if (rc)
        return rc;
    answer(req, 200, &l);
    return ERR_OK;
}

enum err_code libraries_remove_persona(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc = library_remove_persona(app->store, api_caller(req), req_param(req, "id"),
                                              req_param(req, "persona_id"), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}
