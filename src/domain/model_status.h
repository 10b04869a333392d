/*
 * domain/model_status.h - which model answers and whether it does, for
 * GET /api/llm/status. A live check asks the provider (blocking: call it
 * from a worker, never an HTTP thread); its result is kept for
 * MODEL_STATUS_TTL_MS so that the endpoint cannot be used to flood the
 * model server. Thread-safe.
 */
#ifndef DOMAIN_MODEL_STATUS_H
#define DOMAIN_MODEL_STATUS_H

#include "core/compat.h"
#include "core/err.h"

struct llm_gateway;

#define MODEL_STATUS_TTL_MS 15000

struct model_status {
    char provider[32];
    char model[128];
    bool available;     /* a model is configured and built */
    bool reachable;     /* the last live check succeeded */
    int64_t checked_at; /* wall-clock ms of that check */
    char error[256];    /* why not available or not reachable; "" otherwise */
    int64_t calls, failures, in_flight, queued;
    bool has_last_call;
    bool last_call_ok;
    int64_t last_call_at;
    char last_call_error[256];
};

/*
 * Fills out for gw (NULL: no model, for the reason `unavailable`), running
 * a live check unless a recent one is known.
 */
void model_status_get(struct llm_gateway *gw, const char *unavailable, struct model_status *out);

#endif
