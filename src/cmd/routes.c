/*
 * cmd/routes.c - "crowdelic routes": the API's route table, one route a
 * line - METHOD PATTERN then its flags (public, json, test) - so that
 * tools and tests read the routes from the one table the server uses
 * (the cross-tenant suite tries every route that takes an id).
 */
#include "core/compat.h"

#include "api/routes.h"
#include "cmd/cmd.h"
#include "http/router.h"

int cmd_routes(int argc, char **argv)
{
    int rc = cmd_no_arguments("routes", argc, argv);
    if (rc)
        return rc;
    for (size_t i = 0; i < n_api_routes; i++) {
        const struct route *r = &api_routes[i];
        char method[32];
        http_methods_format(r->method, method, sizeof(method));
        method[strcspn(method, ",")] = '\0'; /* GET, not "GET, HEAD" */
        printf("%s %s%s%s%s\n", method, r->pattern, r->flags & ROUTE_PUBLIC ? " public" : "",
               r->flags & ROUTE_BODY_JSON ? " json" : "",
               r->flags & ROUTE_TEST_ONLY ? " test" : "");
    }
    return 0;
}
