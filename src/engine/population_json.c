/*
 * engine/population_json.c - the factory's wire file: the answers of the
 * dimensions, plan and person tasks (validated by the gateway against
 * tasks_schema.c) read into the typed structs of population.h, so that
 * population.c never sees JSON. Reading only: no repair here beyond what
 * the structs cannot hold (a trait's value becomes text).
 */
#include "core/compat.h"

#include "engine/population.h"

#include <math.h>

#include "core/buf.h"
#include "core/jsonio.h"
#include "core/xalloc.h"

#define QUANTITY_CLAMP 1000000000 /* a planned quantity above this is read as this */
#define TRAIT_TEXT_MAX 4000       /* bytes of one trait's text */

/* The answer's object, or ERR_INVALID naming the task. */
static enum err_code answer_of(const struct llm_response *resp, const char *task,
                               const json_t **out, struct err *err)
{
    if (!resp || !json_is_object(resp->json))
        return err_set(err, ERR_INVALID, NULL, "the %s answer is not a JSON object", task);
    *out = resp->json;
    return ERR_OK;
}

/* A number as a trait writes it: integral values without a decimal point. */
static void add_number(struct buf *b, double x)
{
    if (x == floor(x) && fabs(x) < 1e15)
        buf_addf(b, "%.0f", x);
    else
        buf_addf(b, "%g", x);
}

/* A scalar as text into b; false for anything else (null, arrays, objects). */
static bool add_scalar(struct buf *b, const json_t *v)
{
    if (json_is_string(v))
        buf_add(b, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v))
        buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        add_number(b, json_real_value(v));
    else if (json_is_boolean(v))
        buf_adds(b, json_is_true(v) ? "true" : "false");
    else
        return false;
    return true;
}

/* ---- dimensions ----------------------------------------------------------------------- */

static void read_dimension(const json_t *d, struct population_result *out)
{
    const char *name = json_string_value(json_object_get(d, "name"));
    const json_t *values = json_object_get(d, "values");
    const json_t *range = json_object_get(d, "range");
    const json_t *lo = json_object_get(range, "min"), *hi = json_object_get(range, "max");
    bool has_values = json_array_size(values) > 0;
    bool has_range = json_is_number(lo) && json_is_number(hi);
    if (!name || (!has_values && !has_range))
        return;

    ALLOC_GROW(out->dimensions, out->n_dimensions + 1, out->alloc_dimensions);
    struct dimension *dim = &out->dimensions[out->n_dimensions++];
    memset(dim, 0, sizeof(*dim));
    dim->name = xstrdup(name);
    if (!has_values) {
        double a = json_number_value(lo), b = json_number_value(hi);
        dim->numeric = true;
        dim->min = a < b ? a : b;
        dim->max = a < b ? b : a;
        return;
    }
    size_t i;
    const json_t *v;
    json_array_foreach (values, i, v) {
        const char *value = json_string_value(json_object_get(v, "value"));
        const json_t *share = json_object_get(v, "share");
        if (value)
            dimension_add_value(dim, value, json_is_number(share) ? json_number_value(share) : 0);
    }
}

enum err_code population_read_dimensions(const struct llm_response *resp,
                                         struct population_result *out, struct err *err)
{
    const json_t *answer = NULL;
    enum err_code rc = answer_of(resp, "dimensions", &answer, err);
    if (rc)
        return rc;
    const json_t *dims = json_object_get(answer, "dimensions");
    if (!json_is_array(dims))
        return err_set(err, ERR_INVALID, "dimensions", "the dimensions answer has no list");
    size_t i;
    const json_t *d;
    json_array_foreach (dims, i, d)
        read_dimension(d, out);
    return ERR_OK;
}

/* ---- plan ----------------------------------------------------------------------------- */

/* The text of one trait's value into t; false when there is nothing to keep. */
static bool read_trait_value(const json_t *v, struct population_trait *t)
{
    struct buf b;
    buf_init(&b, TRAIT_TEXT_MAX);
    bool ok = add_scalar(&b, v);
    if (!ok && json_is_array(v)) {
        /* a choice the plan left open: the options, one drawn per sample */
        size_t i;
        const json_t *item;
        json_array_foreach (v, i, item) {
            struct buf one;
            buf_init(&one, TRAIT_TEXT_MAX);
            if (add_scalar(&one, item) && one.len > 0 && !one.failed)
                strlist_add(&t->options, one.data);
            buf_release(&one);
        }
        for (size_t k = 0; k < t->options.n; k++)
            buf_addf(&b, "%s%s", k ? " | " : "", t->options.items[k]);
        if (t->options.n == 1)
            strlist_release(&t->options); /* one option is a plain value */
        ok = b.len > 0;
    } else if (!ok && json_is_object(v)) {
        const json_t *lo = json_object_get(v, "min"), *hi = json_object_get(v, "max");
        if (json_is_number(lo) && json_is_number(hi)) {
            add_number(&b, json_number_value(lo));
            buf_addch(&b, '-');
            add_number(&b, json_number_value(hi));
        } else {
            char *text = jsonio_dump(v, 0, NULL);
            buf_adds(&b, text);
            free(text);
        }
        ok = true;
    }
    if (ok && !b.failed && b.len > 0)
        t->value = buf_detach(&b, NULL);
    buf_release(&b);
    return t->value != NULL;
}

static void read_group(const json_t *g, struct population_result *out)
{
    ALLOC_GROW(out->groups, out->n_groups + 1, out->alloc_groups);
    struct population_group *group = &out->groups[out->n_groups++];
    memset(group, 0, sizeof(*group));
    const char *desc = json_string_value(json_object_get(g, "description"));
    group->description = xstrdup(desc ? desc : "");
    const json_t *q = json_object_get(g, "quantity");
    json_int_t quantity = json_is_integer(q) ? json_integer_value(q) : 0;
    if (quantity < 0)
        quantity = 0;
    if (quantity > QUANTITY_CLAMP)
        quantity = QUANTITY_CLAMP;
    group->planned = (int)quantity;
    group->quantity = group->planned;

    const char *dim;
    const json_t *v;
    json_object_foreach ((json_t *)json_object_get(g, "traits"), dim, v) {
        struct population_trait t = { 0 };
        if (!*dim || !read_trait_value(v, &t)) {
            strlist_release(&t.options);
            continue;
        }
        t.dimension = xstrdup(dim);
        ALLOC_GROW(group->traits, group->n_traits + 1, group->alloc_traits);
        group->traits[group->n_traits++] = t;
    }
}

enum err_code population_read_plan(const struct llm_response *resp, struct population_result *out,
                                   struct err *err)
{
    const json_t *answer = NULL;
    enum err_code rc = answer_of(resp, "plan", &answer, err);
    if (rc)
        return rc;
    const json_t *groups = json_object_get(answer, "groups");
    if (!json_is_array(groups))
        return err_set(err, ERR_INVALID, "groups", "the plan answer has no list of groups");
    size_t i;
    const json_t *g;
    json_array_foreach (groups, i, g)
        if (json_is_object(g))
            read_group(g, out);
    return ERR_OK;
}

/* ---- person --------------------------------------------------------------------------- */

enum err_code population_read_person(const struct llm_response *resp, struct persona **out,
                                     struct err *err)
{
    const json_t *answer = NULL;
    enum err_code rc = answer_of(resp, "person", &answer, err);
    if (rc)
        return rc;
    return persona_from_json(answer, PERSONA_SHAPE_SPEC, out, err);
}
