/*
 * api/persona_model.c - the model's work on personas, answered from the
 * worker pool (the model may take minutes; an HTTP thread never waits):
 *   POST /api/personas/generate       {description, count, language?, seed?, dry_run?}
 *       -> 201 {personas: [ids], plan: {dimensions, groups}, samples, stats,
 *               seed, usage}; a dry run: 200, the plan and the samples' draws
 *               only (generating with its seed plans alike)
 *   POST /api/personas/:id/validate   {expectations?, rounds?}
 *       -> 200 {score, reasons, rounds, model, interview, validated_at, usage}
 * (domain/persona_model.h).
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/bodies.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/clock.h"
#include "core/jsonio.h"
#include "core/pool.h"
#include "core/workpool.h"
#include "core/xalloc.h"
#include "domain/persona_model.h"
#include "http/request.h"
#include "http/response.h"

/* What a deferred request carries to the worker: strings live in the request's pool. */
struct model_task {
    struct req *req;
    const struct app *app;
    struct caller caller;
    const char *id;
    struct generate_request gen;
    const char *expectations;
    int rounds;
};

static const char *pool_copy(struct req *req, const json_t *v)
{
    return json_is_string(v) ? pool_strdup(req_pool(req), json_string_value(v)) : NULL;
}

/* Hands t to the worker pool; the answer comes from fn. */
static enum err_code defer(struct req *req, struct model_task *t, void (*fn)(void *),
                           struct err *err)
{
    const struct app *app = req_app(req);
    t->req = req;
    t->app = app;
    t->caller = *api_caller(req);
    req_defer(req);
    enum err_code rc = workpool_submit(app->model_workers, fn, t, err);
    if (rc) {
        free(t);
        resp_error(req, err);
        req_complete(req);
    }
    return ERR_OK;
}

static json_t *usage_json(const struct engine_usage *u)
{
    json_t *o = json_object();
    jsonio_set_new(o, "calls", json_integer(u->calls));
    jsonio_set_new(o, "cache_hits", json_integer(u->cache_hits));
    jsonio_set_new(o, "tokens_in", json_integer(u->tokens_in));
    jsonio_set_new(o, "tokens_out", json_integer(u->tokens_out));
    jsonio_set_new(o, "cost_usd", json_real((double)u->cost_micros / 1e6));
    return o;
}

/* ---- generate ------------------------------------------------------------------------------- */

static json_t *dimensions_json(const struct population_result *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->n_dimensions; i++) {
        const struct dimension *d = &p->dimensions[i];
        json_t *o = json_object();
        jsonio_set_str(o, "name", d->name);
        if (d->numeric) {
            jsonio_set_new(o, "min", json_real(d->min));
            jsonio_set_new(o, "max", json_real(d->max));
        } else {
            json_t *values = json_array();
            for (size_t k = 0; k < d->n_values; k++) {
                json_t *v = json_object();
                jsonio_set_str(v, "value", d->values[k].value);
                jsonio_set_new(v, "share", json_real(d->values[k].share));
                json_array_append_new(values, v);
            }
            jsonio_set_new(o, "values", values);
        }
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *groups_json(const struct population_result *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->n_groups; i++) {
        const struct population_group *g = &p->groups[i];
        json_t *o = json_object();
        jsonio_set_str(o, "description", g->description);
        jsonio_set_new(o, "planned", json_integer(g->planned));
        jsonio_set_new(o, "quantity", json_integer(g->quantity));
        json_t *traits = json_object();
        for (size_t k = 0; k < g->n_traits; k++)
            jsonio_set_str(traits, g->traits[k].dimension, g->traits[k].value);
        jsonio_set_new(o, "traits", traits);
        json_array_append_new(a, o);
    }
    return a;
}

/* Each sample: its group, the values drawn for it, and the persona made or why not. */
static json_t *samples_json(const struct generate_result *r)
{
    const struct population_result *p = r->population;
    json_t *a = json_array();
    size_t made = 0;
    for (size_t i = 0; i < p->n_samples; i++) {
        const struct population_sample *s = &p->samples[i];
        json_t *o = json_object();
        jsonio_set_new(o, "group", json_integer((json_int_t)s->group));
        json_t *picks = json_object();
        for (size_t k = 0; k < s->n_picks; k++)
            jsonio_set_str(picks, s->picks[k].dimension, s->picks[k].value);
        jsonio_set_new(o, "picks", picks);
        if (r->dry_run) {
            /* planned only: no persona was asked for */
        } else if (s->persona && made < r->n_ids) {
            jsonio_set_str(o, "persona_id", r->ids[made++]);
        } else {
            jsonio_set_new(o, "persona_id", json_null());
            jsonio_set_str(o, "error", s->err.msg);
        }
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *stats_json(const struct population_stats *s)
{
    json_t *o = json_object();
    jsonio_set_new(o, "asked", json_integer(s->asked));
    jsonio_set_new(o, "made", json_integer(s->made));
    jsonio_set_new(o, "failed", json_integer(s->failed));
    jsonio_set_new(o, "rejected_duplicate", json_integer(s->rejected_duplicate));
    jsonio_set_new(o, "rejected_near_duplicate", json_integer(s->rejected_near_duplicate));
    jsonio_set_new(o, "call_failures", json_integer(s->call_failures));
    jsonio_set_new(o, "rounds", json_integer(s->rounds));
    return o;
}

static json_t *generate_json(const struct generate_result *r)
{
    json_t *ids = json_array();
    for (size_t i = 0; i < r->n_ids; i++)
        json_array_append_new(ids, json_string(r->ids[i]));
    json_t *plan = json_object();
    jsonio_set_new(plan, "dimensions", dimensions_json(r->population));
    jsonio_set_new(plan, "groups", groups_json(r->population));
    json_t *o = json_object();
    jsonio_set_new(o, "personas", ids);
    jsonio_set_new(o, "plan", plan);
    jsonio_set_new(o, "samples", samples_json(r));
    jsonio_set_new(o, "stats", stats_json(&r->population->stats));
    jsonio_set_new(o, "seed", json_integer((json_int_t)r->seed));
    jsonio_set_new(o, "dry_run", json_boolean(r->dry_run));
    jsonio_set_new(o, "usage", usage_json(&r->usage));
    return o;
}

static void generate_run(void *arg)
{
    struct model_task *t = arg;
    struct err err = ERR_INIT;
    struct generate_result r;
    enum err_code rc =
        personas_generate(t->app->store, t->app->llm, NULL, &t->caller, &t->gen, &r, &err);
    if (rc)
        resp_error(t->req, &err);
    else
        resp_json_take(t->req, r.dry_run ? 200 : 201, generate_json(&r));
    generate_result_release(&r);
    req_complete(t->req);
    free(t);
}

enum err_code generate_personas(struct req *req, struct err *err)
{
    json_t *body = NULL;
    enum err_code rc = req_json(req, &body, err);
    if (!rc)
        rc = api_body_check(body, &BODY_PERSONAS_GENERATE, err);
    if (rc)
        return rc;
    struct model_task *t = xcalloc(1, sizeof(*t));
    t->gen.description = pool_copy(req, json_object_get(body, "description"));
    t->gen.n = (int)json_integer_value(json_object_get(body, "count"));
    t->gen.language = pool_copy(req, json_object_get(body, "language"));
    t->gen.seed = (uint64_t)json_integer_value(json_object_get(body, "seed"));
    t->gen.dry_run = json_is_true(json_object_get(body, "dry_run"));
    return defer(req, t, generate_run, err);
}

/* ---- validate ------------------------------------------------------------------------------- */

static json_t *validate_json(const struct validate_result *v)
{
    json_t *o = json_object();
    jsonio_set_new(o, "score", json_real(v->score));
    jsonio_set_str(o, "reasons", v->reasons);
    jsonio_set_new(o, "rounds", json_integer(v->rounds));
    jsonio_set_str(o, "model", v->model);
    json_t *lines = json_array();
    for (size_t i = 0; i < v->interview.n; i++) {
        json_t *l = json_object();
        jsonio_set_str(l, "speaker", v->interview.lines[i].speaker);
        jsonio_set_str(l, "text", v->interview.lines[i].text);
        json_array_append_new(lines, l);
    }
    jsonio_set_new(o, "interview", lines);
    jsonio_set_new(o, "validated_at", view_time(clock_now_ms(), false));
    jsonio_set_new(o, "usage", usage_json(&v->usage));
    return o;
}

static void validate_run(void *arg)
{
    struct model_task *t = arg;
    struct err err = ERR_INIT;
    struct validate_result v;
    enum err_code rc = personas_validate(t->app->store, t->app->llm, NULL, &t->caller, t->id,
                                         t->expectations, t->rounds, &v, &err);
    if (rc)
        resp_error(t->req, &err);
    else
        resp_json_take(t->req, 200, validate_json(&v));
    validate_result_release(&v);
    req_complete(t->req);
    free(t);
}

enum err_code validate_persona(struct req *req, struct err *err)
{
    json_t *body = NULL;
    enum err_code rc = ERR_OK;
    /* the body is optional: no body means the defaults */
    if (req_body(req).len) {
        rc = req_json(req, &body, err);
        if (!rc)
            rc = api_body_check(body, &BODY_PERSONA_VALIDATE, err);
    }
    if (rc)
        return rc;
    struct model_task *t = xcalloc(1, sizeof(*t));
    t->id = pool_strdup(req_pool(req), req_param(req, "id"));
    t->expectations = body ? pool_copy(req, json_object_get(body, "expectations")) : NULL;
    t->rounds = body ? (int)json_integer_value(json_object_get(body, "rounds")) : 0;
    return defer(req, t, validate_run, err);
}
