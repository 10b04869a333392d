/*
 * api/routes.h - the route table (STYLE.md H5): every HTTP route of the
 * program, with its method, pattern, handler and flags. Read-only data.
 */
#ifndef API_ROUTES_H
#define API_ROUTES_H

#include "core/compat.h"
#include "http/router.h"

extern const struct route api_routes[];
extern const size_t n_api_routes;

/* What `crowdelic worker` serves with WORKER_HTTP=on: its health and its metrics. */
extern const struct route worker_routes[];
extern const size_t n_worker_routes;

#endif
