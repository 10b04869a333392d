/*
 * http/server.h - the HTTP server: libmicrohttpd's thread pool with epoll,
 * the request state machine, limits, routing, static files, CORS, access
 * log and request metrics. Nothing above http/ sees libmicrohttpd.
 *
 * Threading: http_server_start/stop/free are called by the owner (the serve
 * command's main thread). Handlers run on the pool threads.
 */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include "conf/config.h"
#include "core/compat.h"
#include "core/err.h"
#include "http/router.h"

struct http_server;

/*
 * Starts listening on conf->port (0 picks a free port) with the limits of
 * conf. routes[0..n) is the route table (borrowed; ROUTE_TEST_ONLY routes
 * are dropped outside CROWDELIC_ENV=test); app is handed to handlers via
 * req_app(). guard (may be NULL) runs before the handler of every matched
 * route without ROUTE_PUBLIC - authentication, rate limits - and an error
 * it returns is the answer (the handler does not run). ERR_INVALID for a
 * bad table, ERR_UNAVAILABLE when the port cannot be bound.
 */
enum err_code http_server_start(const struct config *conf, const struct route *routes,
                                size_t n_routes, route_fn *guard, void *app,
                                struct http_server **out, struct err *err);

/* The port actually bound. */
int http_server_port(const struct http_server *s);

/* Requests being processed now (including deferred ones and open streams). */
long http_server_in_flight(const struct http_server *s);

/*
 * Graceful stop: stops accepting, ends every event stream, waits up to
 * grace_ms for in-flight requests to finish, then closes the rest. Returns
 * the number of requests still in flight when the grace ran out.
 */
long http_server_stop(struct http_server *s, int64_t grace_ms);

/* Frees a stopped (or never started) server; accepts NULL. */
void http_server_free(struct http_server *s);

#endif
