/*
 * engine/validator.c - the persona validator's interview loop: a validate
 * task per round, the persona's answer as an agent turn between them (see
 * validator.h).
 */
#include "core/compat.h"

#include "engine/validator.h"

#include "core/buf.h"
#include "core/xalloc.h"
#include "engine/agent.h"

void validation_release(struct validation *v)
{
    free(v->justification);
    transcript_release(&v->interview);
    free(v->model);
    memset(v, 0, sizeof(*v));
}

static uint64_t round_seed(const struct engine *e, const struct persona *p, int round,
                           const char *what)
{
    char n[16];
    snprintf(n, sizeof(n), "%d", round);
    return engine_seed(e->seed, "validate", p->name ? p->name : "", what, n, (const char *)NULL);
}

/* The interviewer's next move: a question, or (on the last round) the score. */
static enum err_code interviewer(const struct engine *e, const struct persona *p,
                                 const char *expectations, const struct transcript *so_far,
                                 int round, int rounds, struct engine_usage *usage,
                                 struct validate_answer *out, char **model, struct err *err)
{
    struct task *t = task_new(TASK_VALIDATE);
    struct validate_input *in = &t->u.validate;
    in->persona = persona_dup(p);
    in->expectations = xstrdup(expectations && *expectations ? expectations : "");
    for (size_t i = 0; i < so_far->n; i++)
        transcript_add(&in->interview, so_far->lines[i].speaker, so_far->lines[i].text);
    in->round = round;
    in->max_rounds = rounds;
    struct llm_response *r = engine_ask(e, t, round_seed(e, p, round, "ask"), p->name, usage);
    enum err_code rc =
        r->code ? err_set(err, r->code, r->err.field, "validator, round %d: %s", round, r->err.msg)
                : validate_answer_read(r->json, out, err);
    if (!rc && !*model && r->model)
        *model = xstrdup(r->model);
    llm_response_free(r);
    task_free(t);
    return rc;
}

/* The persona's answer to question: what it says (TALK), or what it thinks when silent. */
static enum err_code answer(const struct engine *e, struct agent *a, const char *question,
                            int round, struct engine_usage *usage, struct buf *out, struct err *err)
{
    agent_perceive(a, STIMULUS_CONVERSATION, question, VALIDATOR_INTERVIEWER);
    struct task *t = agent_turn_task(a, NULL);
    struct llm_response *r =
        engine_ask(e, t, round_seed(e, a->persona, round, "answer"), agent_name(a), usage);
    struct turn_result tr;
    enum err_code rc = agent_turn_commit(a, t, r, &tr, err);
    if (!rc) {
        for (int pass = 0; pass < 2 && out->len == 0; pass++)
            for (size_t i = 0; i < tr.n_actions; i++) {
                const struct action *act = &tr.actions[i];
                if (act->content && act->type == (pass == 0 ? ACTION_TALK : ACTION_THINK))
                    buf_addf(out, "%s%s", out->len ? " " : "", act->content);
            }
        turn_result_release(&tr);
    }
    llm_response_free(r);
    task_free(t);
    return rc;
}

enum err_code persona_validate(const struct engine *e, const struct persona *persona,
                               const char *expectations, int rounds, struct engine_usage *usage,
                               struct validation *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (rounds < 2 || rounds > VALIDATOR_MAX_ROUNDS)
        return err_set(err, ERR_INVALID, "rounds", "rounds must be 2 to %d", VALIDATOR_MAX_ROUNDS);
    struct agent *a = agent_new(persona_dup(persona));
    enum err_code rc = ERR_OK;
    for (int round = 1; round <= rounds && !rc; round++) {
        struct validate_answer v;
        rc = interviewer(e, persona, expectations, &out->interview, round, rounds, usage, &v,
                         &out->model, err);
        if (rc)
            break;
        out->rounds = round;
        if (round == rounds || !v.question) {
            out->score = v.has_score ? v.score : 0;
            out->justification = v.justification;
            v.justification = NULL;
            validate_answer_release(&v);
            break;
        }
        transcript_add(&out->interview, VALIDATOR_INTERVIEWER, v.question);
        struct buf said;
        buf_init(&said, 1 << 16);
        rc = answer(e, a, v.question, round, usage, &said, err);
        if (!rc)
            transcript_add(&out->interview, agent_name(a), said.data);
        buf_release(&said);
        validate_answer_release(&v);
    }
    agent_free(a);
    if (rc)
        validation_release(out);
    return rc;
}
