/*
 * api/handlers.h - the handlers the route table names, one group per file
 * of api/. Each follows route_fn (http/router.h): answer with resp_*() and
 * return ERR_OK, or return an error for the server to answer.
 */
#ifndef API_HANDLERS_H
#define API_HANDLERS_H

#include "core/compat.h"
#include "http/router.h"

/* api/health.c */
route_fn health_live;
route_fn health_ready;
route_fn health_metrics;
route_fn health_openapi;

/* api/llm.c */
route_fn llm_status;

/* api/testing.c (ROUTE_TEST_ONLY) */
route_fn testing_echo;
route_fn testing_slow;
route_fn testing_ticker;
route_fn testing_fail;

#endif
