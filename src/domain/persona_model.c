/*
 * domain/persona_model.c - generating and validating a workspace's personas
 * with the model (domain/persona_model.h).
 */
#include "core/compat.h"

#include "domain/persona_model.h"

#include "core/xalloc.h"
#include "domain/check.h"
#include "domain/gate.h"
#include "domain/personas.h"
#include "engine/validator.h"
#include "store/store.h"

#define DESCRIPTION_MAX 2000 /* characters of a population's description */

/* An engine for one request: the gateway, the model and the workspace's tag. */
static void engine_for(struct engine *e, struct llm_gateway *gw, const char *model,
                       const struct caller *c, uint64_t seed)
{
    memset(e, 0, sizeof(*e));
    e->gw = gw;
    e->model = model && *model ? model : NULL;
    e->seed = seed;
    snprintf(e->tags.workspace, sizeof(e->tags.workspace), "%s", c->workspace_id);
}

void generate_result_release(struct generate_result *r)
{
    population_result_free(r->population);
    free(r->ids);
    memset(r, 0, sizeof(*r));
}

static enum err_code check_generate(const struct generate_request *req, struct err *err)
{
    struct span ignored;
    if (!req->description)
        return err_set(err, ERR_INVALID, "description", "description: is required");
    enum err_code rc = check_text("description", req->description, 1, DESCRIPTION_MAX,
                                  TEXT_MULTILINE | TEXT_TRIM, &ignored, err);
    if (rc)
        return rc;
    if (req->n < 1 || req->n > GENERATE_MAX)
        return err_set(err, ERR_INVALID, "count", "count: must be 1..%d (got %d)", GENERATE_MAX,
                       req->n);
    if (req->language && strcmp(req->language, "en") != 0 && strcmp(req->language, "pt-BR") != 0)
        return err_set(err, ERR_INVALID, "language", "language: must be en or pt-BR");
    return ERR_OK;
}

/* Is there room for n more personas now? (Checked again, atomically, at the insert.) */
static enum err_code room_for(struct store *s, const struct caller *c, int n, struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    /* a look only: rolled back, so gate_room's alert waits for the insert */
    rc = store_begin_write(conn, err);
    if (!rc)
        rc = gate_room(conn, c, LIMIT_PERSONAS, n, err);
    store_rollback(conn);
    store_release(s, conn);
    return rc;
}

enum err_code personas_generate(struct store *s, struct llm_gateway *gw, const char *model,
                                const struct caller *c, const struct generate_request *req,
                                struct generate_result *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = gate_feature(c, FEATURE_CUSTOM_PERSONAS, err);
    if (!rc)
        rc = check_generate(req, err);
    if (!rc)
        rc = room_for(s, c, req->n, err);
    if (!rc && !gw)
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "no language model is available");
    if (rc)
        return rc;
    struct strlist used = { 0 };
    rc = personas_names(s, c, &used, err);
    out->seed = req->seed ? req->seed : ids_random_seed();
    struct engine e;
    engine_for(&e, gw, model, c, out->seed);
    struct population_request pr = { .description = req->description,
                                     .n = req->n,
                                     .language = req->language,
                                     .used_names = &used,
                                     .plan_only = req->dry_run };
    out->dry_run = req->dry_run;
    if (!rc)
        rc = population_generate(&e, &pr, &out->usage, &out->population, err);
    strlist_release(&used);
    if (rc)
        return rc;
    if (req->dry_run)
        return ERR_OK;
    struct population_result *pop = out->population;
    struct persona **made = xcalloc(pop->n_samples ? pop->n_samples : 1, sizeof(*made));
    size_t n = 0;
    for (size_t i = 0; i < pop->n_samples; i++)
        if (pop->samples[i].persona)
            made[n++] = pop->samples[i].persona;
    out->ids = xcalloc(n ? n : 1, sizeof(*out->ids));
    rc = personas_add_generated(s, c, made, n, out->ids, err);
    if (!rc)
        out->n_ids = n;
    free(made);
    return rc;
}

void validate_result_release(struct validate_result *r)
{
    free(r->reasons);
    free(r->model);
    transcript_release(&r->interview);
    memset(r, 0, sizeof(*r));
}

enum err_code personas_validate(struct store *s, struct llm_gateway *gw, const char *model,
                                const struct caller *c, const char *id, const char *expectations,
                                int rounds, struct validate_result *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct span ignored;
    enum err_code rc = ERR_OK;
    if (expectations)
        rc = check_text("expectations", expectations, 0, VALIDATE_EXPECT_MAX, TEXT_MULTILINE,
                        &ignored, err);
    if (!rc && rounds != 0 && (rounds < 2 || rounds > VALIDATOR_MAX_ROUNDS))
        rc = err_set(err, ERR_INVALID, "rounds", "rounds: must be 2..%d", VALIDATOR_MAX_ROUNDS);
    struct persona *p = NULL;
    if (!rc)
        rc = personas_load(s, c, id, &p, err);
    if (!rc && !gw)
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "no language model is available");
    struct validation v = { 0 };
    if (!rc) {
        struct engine e;
        /* the persona's id seeds it: validating an unchanged persona asks the same questions */
        engine_for(&e, gw, model, c, engine_seed(0, "validate", id, expectations, NULL));
        rc = persona_validate(&e, p, expectations && *expectations ? expectations : NULL,
                              rounds ? rounds : VALIDATE_ROUNDS_DEFAULT, &out->usage, &v, err);
    }
    if (!rc)
        rc = personas_set_validation(s, c, id, v.score, v.justification, err);
    if (!rc) {
        out->score = v.score;
        out->reasons = xstrdup(v.justification ? v.justification : "");
        out->rounds = v.rounds;
        out->model = xstrdup(v.model ? v.model : "");
        out->interview = v.interview;
        memset(&v.interview, 0, sizeof(v.interview));
    }
    validation_release(&v);
    persona_free(p);
    return rc;
}
