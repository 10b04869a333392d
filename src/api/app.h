/*
 * api/app.h - the application context every handler reaches through
 * req_app(): the configuration and the services cmd/serve wired together.
 * Built once before the server starts; read-only afterwards, so handlers on
 * any thread may read it.
 */
#ifndef API_APP_H
#define API_APP_H

#include "conf/config.h"
#include "core/compat.h"

struct accounts;
struct llm_gateway;
struct store;
struct workpool;

struct app {
    const struct config *conf;
    struct store *store;            /* the database (opaque above store/) */
    struct workpool *workers;       /* slow work off the HTTP threads (password hashing too) */
    struct workpool *model_workers; /* the model's work a request waits for */
    struct workpool *followers;     /* a thread per client following a run's events */
    struct accounts *accounts;      /* sign-in and callers */
    struct llm_gateway *llm;        /* the model gateway; NULL when no model is available */
    const char *llm_unavailable;    /* why llm is NULL */
    int64_t started_mono_ms;        /* for uptime */
};

#endif
