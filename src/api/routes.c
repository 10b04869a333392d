/*
 * api/routes.c - the route table. A literal segment wins over a parameter
 * (http/router.h), so order here does not matter. Every route here is
 * described in docs/openapi.yaml (a unit test checks it).
 */
#include "core/compat.h"

#include "api/handlers.h"
#include "api/routes.h"

const struct route api_routes[] = {
    { HTTP_GET, "/healthz", health_live, 0 },
    { HTTP_GET, "/readyz", health_ready, 0 },
    { HTTP_GET, "/metrics", health_metrics, 0 },
    { HTTP_GET, "/api/openapi.yaml", health_openapi, 0 },
    { HTTP_GET, "/api/llm/status", llm_status, 0 },

    /* diagnostics for the end-to-end tests; absent unless CROWDELIC_ENV=test */
    { HTTP_POST, "/api/_test/echo", testing_echo, ROUTE_BODY_JSON | ROUTE_TEST_ONLY },
    { HTTP_GET, "/api/_test/slow", testing_slow, ROUTE_TEST_ONLY },
    { HTTP_GET, "/api/_test/ticker", testing_ticker, ROUTE_TEST_ONLY },
    { HTTP_GET, "/api/_test/fail", testing_fail, ROUTE_TEST_ONLY },
};

const size_t n_api_routes = ARRAY_SIZE(api_routes);
