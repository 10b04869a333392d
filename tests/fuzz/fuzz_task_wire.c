/*
 * tests/fuzz/fuzz_task_wire.c - fuzzes the task wire format
 * (engine/tasks.h, STYLE.md Z1): the text llm-serve and any provider without
 * the typed task read from the network, and the offline model behind it.
 *
 * The input is a request's messages separated by NUL bytes, alternating
 * system, user, assistant, user, ... (a re-ask's history). Checks the
 * contract:
 *   - task_parse returns only ERR_OK, ERR_INVALID (with a message) or
 *     ERR_NOT_FOUND;
 *   - a parsed task renders, and the rendering parses back to a task that
 *     renders to the same text (the wire format is a fixed point);
 *   - the offline model answers every parsed task with an answer that its
 *     schema and its own validation accept.
 * Corpus: tests/fuzz/corpus/task_wire/ (a rendered task of every kind).
 */
#include "core/compat.h"

#include "engine/offline/model.h"
#include "engine/tasks.h"
#include "llm/llm.h"
#include "llm/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct offline_model *the_model(void)
{
    static struct offline_model *model;
    struct err err = ERR_INIT;
    if (!model && offline_model_load(NULL, &model, &err))
        abort();
    return model;
}

static struct llm_request *request_of(const uint8_t *data, size_t size)
{
    static const enum llm_role roles[] = { LLM_ROLE_USER, LLM_ROLE_ASSISTANT };
    struct llm_request *req = llm_request_new("fuzz");
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    size_t i = 0;
    for (const char *p = text; p <= text + size; p += strlen(p) + 1, i++)
        llm_request_add(req, i == 0 ? LLM_ROLE_SYSTEM : roles[(i - 1) % 2], p);
    free(text);
    return req;
}

static bool same_messages(const struct llm_request *a, const struct llm_request *b)
{
    if (a->n_messages != b->n_messages)
        return false;
    for (size_t i = 0; i < a->n_messages; i++)
        if (a->messages[i].role != b->messages[i].role ||
            strcmp(a->messages[i].content, b->messages[i].content) != 0)
            return false;
    return true;
}

static void check_answer(const struct task *t)
{
    json_t *answer = NULL;
    struct err err = ERR_INIT;
    if (offline_answer(the_model(), t, 7, &answer, &err))
        abort(); /* every task that parses has an answer */
    json_t *schema = task_schema(t);
    if (schema_validate(schema, answer, &err) || task_validate(t, answer, &err))
        abort();
    json_decref(schema);
    json_decref(answer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct llm_request *req = request_of(data, size);
    struct task *t = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = task_parse(req, &t, &err);
    llm_request_free(req);
    if (rc == ERR_INVALID || rc == ERR_NOT_FOUND) {
        if (t || !err.msg[0])
            abort();
        return 0;
    }
    if (rc != ERR_OK || !t)
        abort();

    struct llm_request *once = task_render(t);
    struct task *again = NULL;
    if (task_parse(once, &again, &err))
        abort(); /* what we render we must read */
    struct llm_request *twice = task_render(again);
    if (!same_messages(once, twice))
        abort();
    llm_request_free(twice);
    llm_request_free(once);

    check_answer(t);
    task_free(again);
    task_free(t);
    return 0;
}
