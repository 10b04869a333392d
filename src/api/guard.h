/*
 * api/guard.h - who is calling: the server's guard (http_server_start)
 * authenticates every non-public route - a token or an API key - counts the
 * request against the caller's quota (429 with Retry-After past it), and
 * leaves the caller on the request for the handler.
 */
#ifndef API_GUARD_H
#define API_GUARD_H

#include "core/compat.h"
#include "domain/accounts.h"
#include "http/router.h"

route_fn api_guard;

/* The caller the guard resolved (a route without ROUTE_PUBLIC always has one). */
const struct caller *api_caller(struct req *req);

#endif
