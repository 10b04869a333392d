/*
 * tests/unit/scripted.h - a model provider for tests whose answers a
 * callback writes: fixed answers, odd answers, failures, or the offline
 * model's answer for everything but one case. It answers inside submit
 * (like the offline model) and counts its calls.
 */
#ifndef TESTS_UNIT_SCRIPTED_H
#define TESTS_UNIT_SCRIPTED_H

#include "core/compat.h"
#include "llm/gateway.h"
#include "llm/llm.h"

/*
 * The content for req (malloc'd), or NULL to fail the call with
 * *fail (set it; ERR_UPSTREAM when left ERR_OK).
 */
typedef char *scripted_answer_fn(void *ctx, const struct llm_request *req, enum err_code *fail);

struct scripted {
    struct llm_provider iface; /* first */
    scripted_answer_fn *answer;
    void *ctx;
    struct llm_provider *offline; /* for scripted_offline_answer */
    int calls;                    /* read it after the gateway is freed */
};

/* A provider calling answer(ctx, ...); free it after its gateway (scripted_free). */
struct scripted *scripted_new(scripted_answer_fn *answer, void *ctx);
void scripted_free(struct scripted *s);

/* A gateway in front of s (max_reasks re-asks). */
struct llm_gateway *scripted_gateway(struct scripted *s, int max_reasks);

/* What the offline model would answer to req (malloc'd), for answer functions. */
char *scripted_offline_answer(struct scripted *s, const struct llm_request *req);

/* The text of the request's last user message ("" when none). */
const char *scripted_last_user(const struct llm_request *req);

#endif
