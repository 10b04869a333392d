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
 * Embeddings (llm_embed) take a shorter way: cache lookup per text ->
 * the provider's embed for the misses (its own retries) -> accounting ->
 * cache store; synchronous, on the caller's thread.
 *
 * Threading: the gateway owns one thread, on which providers' results are
 * processed and callers' callbacks run. llm_submit, llm_call, llm_embed,
 * llm_gateway_usage and llm_gateway_status may be called from any thread
 * (llm_call and llm_embed never from a callback of a provider; llm_call
 * never from a gateway callback). llm_gateway_new/free by the owner, with
 * no llm_embed running. Because llm_embed uses the cache from the
 * caller's thread, the cache must be thread-safe (cache_mem and the
 * database cache are).
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

/* What one call is expected to take before it is made (llm_gateway_estimate). */
struct llm_estimate {
    const char *model;  /* the model that would answer (borrowed) */
    int64_t tokens_in;  /* from the request's text, as the rate limiter estimates it */
    int64_t tokens_out; /* max_tokens, or the completion estimate */
    int64_t cost_micros;
    bool priced; /* false: the model has no price (cost 0) */
};

/*
 * The tokens and cost of sending req through gw, estimated the way the
 * rate limiter does before a call: no call is made.
 */
void llm_gateway_estimate(const struct llm_gateway *gw, const struct llm_request *req,
                          struct llm_estimate *out);

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

/* ---- embeddings ---------------------------------------------------------------------- */

/* How to embed; NULL or a zeroed struct takes every default. */
struct llm_embed_params {
    const char *model;    /* NULL: the provider's (CROWDELIC_LLM_EMBEDDING_MODEL) */
    int dimensions;       /* 0: the model's own; else asked of the model (text-embedding-3-*) */
    struct llm_tags tags; /* accounting, as for a chat call */
    bool no_cache;        /* the run opted out of the cache */
};

/* The vectors of one llm_embed call. */
struct llm_embeddings {
    float *vectors; /* n * dim floats, row i for texts[i]; owned */
    size_t n, dim;
    char *model;         /* the model that made them (the cache's record for hits); owned */
    int64_t tokens;      /* input tokens billed by this call (0 when all came from the cache) */
    int64_t cost_micros; /* from LLM_PRICES for model */
    size_t from_cache;   /* texts answered from the cache */
    int attempts;        /* HTTP attempts at the provider, retries included */
};

/* Does the gateway's provider embed? (false for the offline model) */
bool llm_gateway_can_embed(const struct llm_gateway *gw);

/*
 * Embeds texts[0..n) (borrowed) and fills *out (zeroed first; free with
 * llm_embeddings_release, which is also safe after a failure). Each text
 * is looked up in the cache on its own (key: llm_embed_key; value: its
 * vector as JSON, {"model":..., "embedding":[...]}); the misses go to the
 * provider in one embed call (batched there), and their vectors are
 * stored. Tokens and cost are accounted to params' tags like a chat call
 * (one call; a cache hit when every text came from the cache), and counted
 * in llm_embeddings_total{provider,model,outcome},
 * llm_embedding_texts_total{source}, llm_tokens_total{direction="in"},
 * llm_cost_microdollars_total, llm_errors_total and llm_retries_total.
 * Not rate-limited by LLM_RPM/LLM_TPM (providers limit embedding models
 * apart; their 429s are retried).
 *
 * Synchronous: blocks the calling thread until the vectors are known. n ==
 * 0 is ERR_OK with no vectors. ERR_UNAVAILABLE when the provider has no
 * embeddings (llm_gateway_can_embed false); otherwise the provider's
 * error (ERR_UPSTREAM, ERR_RATE_LIMITED, ERR_TIMEOUT, ...) after its
 * retries, or ERR_UPSTREAM when the vectors' sizes disagree.
 */
enum err_code llm_embed(struct llm_gateway *gw, const char *const *texts, size_t n,
                        const struct llm_embed_params *params, struct llm_embeddings *out,
                        struct err *err);

/* Frees the vectors and the model name and zeroes *e; accepts NULL. */
void llm_embeddings_release(struct llm_embeddings *e);

/*
 * The cache key of one text's embedding: the hex SHA-256 of the canonical
 * JSON {"dimensions", "input", "kind":"embedding", "model"} (keys sorted).
 */
void llm_embed_key(const char *model, int dimensions, const char *text, char out[65]);

#endif
