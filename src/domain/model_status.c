/*
 * domain/model_status.c - the model's status with a cached live check.
 */
#include "core/compat.h"

#include "domain/model_status.h"

#include <pthread.h>

#include "core/clock.h"
#include "llm/gateway.h"

static pthread_mutex_t check_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t check_mono_ms = -1; /* when the cached check ran; -1: never */
static struct llm_gateway *check_gw;
static bool check_ok;
static int64_t check_at;
static char check_error[256];

/* The live check, at most once per MODEL_STATUS_TTL_MS per gateway. */
static void live_check(struct llm_gateway *gw, struct model_status *out)
{
    pthread_mutex_lock(&check_lock);
    int64_t now = clock_mono_ms();
    if (check_gw != gw || check_mono_ms < 0 || now - check_mono_ms >= MODEL_STATUS_TTL_MS) {
        struct err err = ERR_INIT;
        check_ok = llm_gateway_ping(gw, &err) == ERR_OK;
        check_at = clock_now_ms();
        snprintf(check_error, sizeof(check_error), "%s", check_ok ? "" : err.msg);
        check_mono_ms = clock_mono_ms();
        check_gw = gw;
    }
    out->reachable = check_ok;
    out->checked_at = check_at;
    snprintf(out->error, sizeof(out->error), "%s", check_error);
    pthread_mutex_unlock(&check_lock);
}

void model_status_get(struct llm_gateway *gw, const char *unavailable, struct model_status *out)
{
    memset(out, 0, sizeof(*out));
    if (!gw) {
        snprintf(out->provider, sizeof(out->provider), "offline");
        snprintf(out->model, sizeof(out->model), "crowdelic-offline");
        snprintf(out->error, sizeof(out->error), "%s", unavailable ? unavailable : "no model");
        return;
    }
    struct llm_status st;
    llm_gateway_status(gw, &st);
    snprintf(out->provider, sizeof(out->provider), "%s", st.provider);
    snprintf(out->model, sizeof(out->model), "%s", st.model);
    out->available = true;
    out->calls = st.calls;
    out->failures = st.failures;
    out->in_flight = st.in_flight;
    out->queued = st.queued;
    out->has_last_call = st.has_result;
    out->last_call_ok = st.last_ok;
    out->last_call_at = st.last_at_ms;
    snprintf(out->last_call_error, sizeof(out->last_call_error), "%s",
             st.last_ok ? "" : st.last_error);
    live_check(gw, out);
}
