/*
 * engine/offline/offline.c - the offline model as a provider: the task
 * dispatcher (with a self-check: an answer that breaks its own task's
 * schema is a bug, reported as one, never sent), plain chat, and the
 * provider table.
 */
#include "core/compat.h"

#include "engine/offline/offline.h"

#include "core/buf.h"
#include "core/jsonio.h"
#include "core/xalloc.h"
#include "engine/offline/model.h"
#include "engine/tasks.h"
#include "llm/schema.h"

/* ---- answering a task ------------------------------------------------------------------ */

/* What a task is about, mixed into the seed: the same seed for two personas differs. */
static const char *task_identity(const struct task *t)
{
    switch (t->kind) {
    case TASK_ACT:
        return t->u.act.persona ? t->u.act.persona->name : "";
    case TASK_VALIDATE:
        return t->u.validate.persona ? t->u.validate.persona->name : "";
    case TASK_CONSOLIDATE:
        return t->u.consolidate.persona_name ? t->u.consolidate.persona_name : "";
    case TASK_PERSON:
        return t->u.person.description ? t->u.person.description : "";
    default:
        return "";
    }
}

static json_t *dispatch(const struct offline_model *m, const struct task *t, struct prng *r)
{
    switch (t->kind) {
    case TASK_ACT:
        return offline_act(m, &t->u.act, r);
    case TASK_EXTRACT:
        return offline_extract(m, &t->u.extract, r);
    case TASK_DIMENSIONS:
        return offline_dimensions(m, &t->u.dimensions, r);
    case TASK_PLAN:
        return offline_plan(m, &t->u.plan, r);
    case TASK_PERSON:
        return offline_person(m, &t->u.person, r);
    case TASK_CONSOLIDATE:
        return offline_consolidate(m, &t->u.consolidate, r);
    case TASK_VALIDATE:
        return offline_validate(m, &t->u.validate, r);
    case TASK_PROPOSITION:
        return offline_proposition(m, &t->u.proposition, r);
    case TASK_NORMALIZE:
        return offline_normalize(m, &t->u.normalize, r);
    case TASK_INSIGHTS:
        return offline_insights(m, &t->u.insights, r);
    case TASK_COUNT_:
        break;
    }
    return NULL;
}

enum err_code offline_answer(const struct offline_model *m, const struct task *t, uint64_t seed,
                             json_t **out, struct err *err)
{
    struct prng r;
    prng_seed(&r, prng_mix(prng_mix(seed, task_name(t->kind)), task_identity(t)));
    json_t *answer = dispatch(m, t, &r);
    if (!answer)
        return err_set(err, ERR_INTERNAL, NULL, "offline model: no answer for task %s",
                       task_name(t->kind));
    json_t *schema = task_schema(t);
    struct err why = ERR_INIT;
    enum err_code rc = schema_validate(schema, answer, &why);
    if (!rc)
        rc = task_validate(t, answer, &why);
    json_decref(schema);
    if (rc) {
        json_decref(answer);
        return err_set(err, ERR_INTERNAL, NULL, "offline model: its %s answer is invalid: %s",
                       task_name(t->kind), why.msg);
    }
    *out = answer;
    return ERR_OK;
}

/* ---- plain chat ------------------------------------------------------------------------- */

/* The persona a chat's system message shows in a ### PERSONA section, or NULL. */
static struct persona *chat_persona(const struct llm_request *req)
{
    for (size_t i = 0; i < req->n_messages; i++) {
        if (req->messages[i].role != LLM_ROLE_SYSTEM)
            continue;
        const char *s = strstr(req->messages[i].content, "### PERSONA");
        const char *open = s ? strstr(s, "```json") : NULL;
        const char *close = open ? strstr(open + 7, "```") : NULL;
        if (!close)
            continue;
        json_t *j = NULL;
        struct persona *p = NULL;
        if (jsonio_parse(open + 7, (size_t)(close - open - 7), &j, NULL) == ERR_OK)
            persona_from_json(j, PERSONA_SHAPE_SPEC, &p, NULL);
        json_decref(j);
        if (p)
            return p;
    }
    return NULL;
}

char *offline_chat(const struct offline_model *m, const struct llm_request *req, uint64_t seed)
{
    const char *last = "";
    for (size_t i = 0; i < req->n_messages; i++)
        if (req->messages[i].role == LLM_ROLE_USER)
            last = req->messages[i].content;
    struct prng r;
    prng_seed(&r, prng_mix(seed, last));
    struct buf b;
    buf_init(&b, 8192);
    struct persona *p = chat_persona(req);
    if (p) {
        struct persona_reading pr;
        persona_read(m, p, &pr);
        struct stimulus_reading sr;
        stimulus_read(m, last, &sr);
        size_t best = 0;
        for (size_t t = 1; t < m->data->n_topics; t++)
            if (sr.topics[t] > sr.topics[best])
                best = t;
        struct buf job;
        buf_init(&job, 256);
        offline_occupation_phrase(p->occupation_title ? p->occupation_title : "", pr.lang, &job);
        struct phrase_vars v = { .name = p->name,
                                 .occupation = job.len ? job.data : NULL,
                                 .topic = topic_label(m, best, pr.lang) };
        compose(m, "chat.greeting", pr.lang, &v, &r, &b);
        compose(m, "chat.reply", pr.lang, &v, &r, &b);
        buf_release(&job);
        stimulus_reading_release(&sr);
        persona_reading_release(&pr);
        persona_free(p);
    } else {
        buf_addf(&b,
                 "This is Crowdelic's built-in offline model. It answers simulation tasks "
                 "(### TASK ...), not open conversation. You said: %.300s",
                 last);
    }
    return buf_detach(&b, NULL);
}

/* ---- the provider ------------------------------------------------------------------------- */

struct offline_provider {
    struct llm_provider iface; /* first */
    struct offline_model *model;
};

static uint64_t request_seed(const struct llm_request *req)
{
    return req->has_seed ? (uint64_t)req->seed : 0;
}

enum err_code offline_provider_answer(struct llm_provider *p, const struct llm_request *req,
                                      char **content, struct err *err)
{
    struct offline_provider *op = (struct offline_provider *)p;
    *content = NULL;
    const struct task *t = req->native;
    struct task *parsed = NULL;
    if (!t) {
        enum err_code rc = task_parse(req, &parsed, err);
        if (rc == ERR_NOT_FOUND) {
            *content = offline_chat(op->model, req, request_seed(req));
            return ERR_OK;
        }
        if (rc)
            return rc;
        t = parsed;
    }
    json_t *answer = NULL;
    enum err_code rc = offline_answer(op->model, t, request_seed(req), &answer, err);
    if (!rc) {
        *content = jsonio_dump(answer, 0, NULL);
        json_decref(answer);
    }
    task_free(parsed);
    return rc;
}

static enum err_code offline_submit(struct llm_provider *p, const struct llm_request *req,
                                    llm_raw_fn *done, void *ctx, struct err *err)
{
    (void)err;
    struct llm_raw raw = { .code = ERR_OK, .attempts = 1 };
    char *content = NULL;
    raw.code = offline_provider_answer(p, req, &content, &raw.err);
    size_t in_chars = 0;
    for (size_t i = 0; i < req->n_messages; i++)
        in_chars += strlen(req->messages[i].content);
    raw.tokens_in = (int64_t)(in_chars + 3) / 4;
    raw.tokens_out = content ? (int64_t)(strlen(content) + 3) / 4 : 0;
    raw.content = content;
    raw.model = xstrdup(OFFLINE_MODEL_NAME);
    done(ctx, &raw);
    free(raw.content);
    free(raw.model);
    return ERR_OK;
}

static enum err_code offline_ping(struct llm_provider *p, struct err *err)
{
    (void)p;
    (void)err;
    return ERR_OK;
}

static void offline_destroy(struct llm_provider *p)
{
    struct offline_provider *op = (struct offline_provider *)p;
    offline_model_free(op->model);
    free(op);
}

enum err_code offline_provider_new(const char *data_dir, struct llm_provider **out, struct err *err)
{
    *out = NULL;
    struct offline_model *m = NULL;
    enum err_code rc = offline_model_load(data_dir, &m, err);
    if (rc)
        return rc;
    struct offline_provider *op = xcalloc(1, sizeof(*op));
    op->model = m;
    op->iface = (struct llm_provider){
        .name = "offline",
        .default_model = OFFLINE_MODEL_NAME,
        .submit = offline_submit,
        .ping = offline_ping,
        .destroy = offline_destroy,
        /* answering costs microseconds; a database lookup costs more */
        .cacheable = false,
    };
    *out = &op->iface;
    return ERR_OK;
}
