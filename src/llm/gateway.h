/*
 * llm/gateway.h - the one way to call a model (ARCHITECTURE.md "The model
 * gateway"). Every call goes:
 *
 *   cache lookup -> rate limiter (fair between runs) -> provider (which
 *   retries transport failures) -> JSON repair -> schema and task
 *   validation -> bounded re-ask with the error -> accounting -> cache store
 *
 * and ends in exactly one callback. An invalid answer is never turned into
 * an empty one: after the last re-ask the call fails with the reason.
 *
 * Threading: the gateway owns one thread, on which providers' results are
 * processed and callers' callbacks run. llm_submit, llm_call,
 * llm_gateway_usage and llm_gateway_status may be called from any thread
 * (llm_call never from a callback). llm_gateway_new/free by the owner.
 */
#ifndef LLM_GATEWAY_H
#define LLM_GATEWAY_H

#include "core/compat.h"
#include "core/err.h"
#include "llm/cache.h"
#include "llm/llm.h"
#include "llm/price.h"

struct llm_gateway;

struct llm_gateway_options {
    int64_t rpm;                     /* requests per minute; 0: no limit */
    int64_t tpm;                     /* tokens per minute; 0: no limit */
    int max_reasks;                  /* re-asks after an invalid answer (0..5) */
    const struct llm_cache *cache;   /* borrowed; NULL: no cache */
    const struct llm_prices *prices; /* borrowed; NULL: every call costs 0 */
    int64_t completion_estimate;     /* tokens assumed for an answer before usage is known */
};

/*
 * Starts a gateway in front of provider (taken: destroyed by
 * llm_gateway_free). Registers the llm_* metrics.
 */
struct llm_gateway *llm_gateway_new(struct llm_provider *provider,
                                    const struct llm_gateway_options *opts);

/*
 * Stops: calls still queued fail with ERR_UNAVAILABLE, calls in flight are
 * failed by the provider's destroy, every callback runs, the thread ends.
 * Accepts NULL.
 */
void llm_gateway_free(struct llm_gateway *gw);

/*
 * Queues req (taken, on every path). done(ctx, resp) then runs exactly
 * once on the gateway's thread. ERR_UNAVAILABLE when the gateway is
 * stopping (done is not called then); ERR_INVALID for a malformed request
 * (no messages, a schema the validator does not support).
 */
enum err_code llm_submit(struct llm_gateway *gw, struct llm_request *req, llm_done_fn *done,
                         void *ctx, struct err *err);

/* llm_submit and wait: the response (never NULL; check resp->code). */
struct llm_response *llm_call(struct llm_gateway *gw, struct llm_request *req);

/* Totals of completed calls, summed by an accounting tag. */
struct llm_usage {
    int64_t calls;
    int64_t cache_hits;
    int64_t tokens_in, tokens_out;
    int64_t cost_micros;
};

enum llm_tag_kind {
    LLM_TAG_WORKSPACE,
    LLM_TAG_RUN,
};

/* The totals for one tag value; all zero when it has no calls. */
void llm_gateway_usage(struct llm_gateway *gw, enum llm_tag_kind kind, const char *tag,
                       struct llm_usage *out);

struct llm_status {
    char provider[32];
    char model[128];
    int64_t calls;      /* completed since start */
    int64_t failures;   /* of which failed */
    int64_t queued;     /* waiting for the limiter */
    int64_t in_flight;  /* at the provider */
    bool has_result;    /* a call has completed */
    bool last_ok;       /* the last completed call succeeded */
    int64_t last_at_ms; /* wall clock of that call */
    char last_error[256];
};

void llm_gateway_status(struct llm_gateway *gw, struct llm_status *out);

/* Asks the provider whether it answers (blocking: never on an HTTP thread). */
enum err_code llm_gateway_ping(struct llm_gateway *gw, struct err *err);

/*
 * The cache key of req as sent to model: the hex SHA-256 of its canonical
 * JSON (model, task, messages, parameters, format, schema; keys sorted).
 */
void llm_request_key(const struct llm_request *req, const char *model, char out[65]);

#endif
