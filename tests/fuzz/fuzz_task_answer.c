/*
 * tests/fuzz/fuzz_task_answer.c - fuzzes the model's JSON answers on the
 * way the gateway takes them (STYLE.md Z1): the answer text through
 * repair_json (llm/repair.h), the task's schema (schema_validate) and its
 * own validator (task_validate, engine/tasks_schema.c), then the reader of
 * that kind of answer (engine/tasks.h, analysis_json.c, population_json.c).
 *
 * Input: the answer text up to the first newline; after it, a task in the
 * wire format as fuzz_task_wire takes it (messages separated by NUL bytes:
 * system, user, assistant, user, ...). Inputs whose task does not parse or
 * whose answer holds no JSON are dropped.
 * Checked: the validators return ERR_OK or ERR_INVALID with a message; an
 * answer both accept is read without error by its reader (the readers'
 * contract: the gateway's validation prevents ERR_INVALID), and the
 * validators are deterministic.
 * Corpus: tests/fuzz/corpus/task_answer/ (each task of
 * tests/fuzz/corpus/task_wire/ with the offline model's answer, and broken
 * answers). No global state.
 */
#include "core/compat.h"

#include "core/xalloc.h"
#include "engine/analysis.h"
#include "engine/population.h"
#include "engine/tasks.h"
#include "llm/llm.h"
#include "llm/repair.h"
#include "llm/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The request of a task in the wire format: messages separated by NUL bytes. */
static struct llm_request *request_of(const char *data, size_t size)
{
    static const enum llm_role roles[] = { LLM_ROLE_USER, LLM_ROLE_ASSISTANT };
    struct llm_request *req = llm_request_new("fuzz");
    char *text = xmemdupz(data, size);
    size_t i = 0;
    for (const char *p = text; p <= text + size; p += strlen(p) + 1, i++)
        llm_request_add(req, i == 0 ? LLM_ROLE_SYSTEM : roles[(i - 1) % 2], p);
    free(text);
    return req;
}

/* Aborts unless rc is ERR_OK or an explained ERR_INVALID. */
static void expect(enum err_code rc, const struct err *err)
{
    if (rc != ERR_OK && (rc != ERR_INVALID || err->msg[0] == '\0'))
        abort();
}

/* Reads a validated answer with its kind's reader, which must accept it. */
static void read_answer(const struct task *t, json_t *answer)
{
    struct err err = ERR_INIT;
    enum err_code rc = ERR_OK;
    struct llm_response resp = { 0 };
    resp.json = answer;
    switch (t->kind) {
    case TASK_ACT: {
        struct act_answer a;
        memset(&a, 0, sizeof(a));
        rc = act_answer_read(&t->u.act, answer, &a, &err);
        act_answer_release(&a);
        break;
    }
    case TASK_EXTRACT: {
        struct analysis_extraction x;
        memset(&x, 0, sizeof(x));
        rc = analysis_read_extraction(&t->u.extract, &resp, &x, &err);
        analysis_extraction_release(&x);
        break;
    }
    case TASK_DIMENSIONS:
    case TASK_PLAN: {
        struct population_result *r = xcalloc(1, sizeof(*r));
        rc = t->kind == TASK_PLAN ? population_read_plan(&resp, r, &err)
                                  : population_read_dimensions(&resp, r, &err);
        population_result_free(r);
        break;
    }
    case TASK_PERSON: {
        struct persona *p = NULL;
        rc = population_read_person(&resp, &p, &err);
        persona_free(p);
        break;
    }
    case TASK_CONSOLIDATE: {
        struct strlist memories = { 0 };
        rc = consolidate_answer_read(answer, &memories, &err);
        strlist_release(&memories);
        break;
    }
    case TASK_VALIDATE: {
        struct validate_answer v;
        memset(&v, 0, sizeof(v));
        rc = validate_answer_read(answer, &v, &err);
        validate_answer_release(&v);
        break;
    }
    case TASK_PROPOSITION: {
        struct analysis_verdict v;
        memset(&v, 0, sizeof(v));
        rc = analysis_read_verdict(&resp, t->u.proposition.scored, &v, &err);
        analysis_verdict_release(&v);
        break;
    }
    case TASK_NORMALIZE: {
        struct analysis_themes th;
        memset(&th, 0, sizeof(th));
        rc = analysis_read_themes(&resp, &th, &err);
        analysis_themes_release(&th);
        break;
    }
    case TASK_INSIGHTS: {
        struct analysis_insights x;
        memset(&x, 0, sizeof(x));
        rc = analysis_read_insights(&resp, &x, &err);
        analysis_insights_release(&x);
        break;
    }
    case TASK_COUNT_:
        abort();
    }
    if (rc != ERR_OK)
        abort(); /* the validators let through an answer its reader refuses */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *nl = memchr(p, '\n', size);
    if (!nl)
        return 0;
    size_t answer_len = (size_t)(nl - p);

    struct llm_request *req = request_of(nl + 1, size - answer_len - 1);
    struct task *t = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = task_parse(req, &t, &err);
    llm_request_free(req);
    if (rc)
        return 0;

    json_t *answer = NULL;
    bool repaired = false;
    err_clear(&err);
    if (repair_json(p, answer_len, &answer, &repaired, &err) == ERR_OK) {
        json_t *schema = task_schema(t);
        struct err e1 = ERR_INIT, e2 = ERR_INIT;
        enum err_code rs = schema_validate(schema, answer, &e1);
        expect(rs, &e1);
        if (rs == ERR_OK) {
            enum err_code rv = task_validate(t, answer, &e1);
            expect(rv, &e1);
            if (task_validate(t, answer, &e2) != rv || strcmp(e1.msg, e2.msg) != 0)
                abort(); /* not deterministic */
            if (rv == ERR_OK)
                read_answer(t, answer);
        }
        json_decref(schema);
        json_decref(answer);
    }
    task_free(t);
    return 0;
}
