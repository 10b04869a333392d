/*
 * http/request.c - the accessors handlers use, and deferred answers.
 */
#include "core/compat.h"

#include <arpa/inet.h>
#include <microhttpd.h>

#include "core/jsonio.h"
#include "http/internal.h"
#include "http/request.h"

unsigned req_method(const struct req *req)
{
    return req->method;
}

const char *req_path(const struct req *req)
{
    return req->path;
}

const char *req_route_pattern(const struct req *req)
{
    return req->match == ROUTER_FOUND ? req->route->pattern : NULL;
}

const char *req_id(const struct req *req)
{
    return req->id;
}

struct pool *req_pool(struct req *req)
{
    return req->pool;
}

void *req_app(const struct req *req)
{
    return req->srv->app;
}

/* the client's address: the connection's, or behind a trusted proxy the one it names */
const char *req_client(struct req *req)
{
    if (req->client[0])
        return req->client;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return req->client;
    const struct sockaddr *sa = ci->client_addr;
    char peer[INET6_ADDRSTRLEN] = "";
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, peer,
                  sizeof(peer));
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, peer,
                  sizeof(peer));
    forwarded_client(peer, req_header(req, "X-Forwarded-For"), req->srv->trusted,
                     req->srv->n_trusted, req->client, sizeof(req->client));
    return req->client;
}

void req_set_user(struct req *req, void *user)
{
    req->user = user;
}

void *req_user(const struct req *req)
{
    return req->user;
}

const char *req_param(struct req *req, const char *name)
{
    struct span v = route_param(&req->params, name);
    return v.ptr ? pool_memdupz(req->pool, v.ptr, v.len) : NULL;
}

const char *req_query(const struct req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

enum err_code req_query_int(const struct req *req, const char *name, int64_t def, int64_t min,
                            int64_t max, int64_t *out, struct err *err)
{
    const char *v = req_query(req, name);
    *out = def;
    if (!v)
        return ERR_OK;
    if (span_parse_i64(span_cstr(v), min, max, out))
        return ERR_OK;
    if (max == INT64_MAX)
        return err_set(err, ERR_INVALID, name, "%s: '%.40s' is not a whole number >= %" PRId64,
                       name, v, min);
    return err_set(err, ERR_INVALID, name,
                   "%s: '%.40s' is not a whole number in %" PRId64 "..%" PRId64, name, v, min, max);
}

const char *req_header(const struct req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

struct span req_body(const struct req *req)
{
    return span_make(req->body.data, req->body.len);
}

enum err_code req_json(struct req *req, json_t **out, struct err *err)
{
    *out = NULL;
    if (!req->json) {
        enum err_code rc = jsonio_parse(req->body.data, req->body.len, &req->json, err);
        if (rc)
            return rc;
    }
    *out = req->json;
    return ERR_OK;
}

void req_defer(struct req *req)
{
    pthread_mutex_lock(&req->lock);
    req->deferred = true;
    pthread_mutex_unlock(&req->lock);
}

void req_complete(struct req *req)
{
    pthread_mutex_lock(&req->lock);
    req->completed = true;
    bool wake = req->suspended;
    req->suspended = false;
    struct MHD_Connection *conn = req->conn;
    pthread_mutex_unlock(&req->lock);
    /* once resumed, the HTTP thread may free req: conn was read above */
    if (wake)
        MHD_resume_connection(conn);
}
