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

struct store;
struct workpool;

struct app {
    const struct config *conf;
    struct store *store;      /* the database (opaque above store/) */
    struct workpool *workers; /* slow work off the HTTP threads */
    int64_t started_mono_ms;  /* for uptime */
};

#endif
