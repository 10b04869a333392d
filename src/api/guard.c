/*
 * api/guard.c - authentication and quotas before every non-public route
 * (see guard.h).
 */
#include "core/compat.h"

#include "api/guard.h"

#include "api/app.h"
#include "http/request.h"
#include "http/response.h"

enum err_code api_guard(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct caller *c = pool_zalloc(req_pool(req), sizeof(*c));
    enum err_code rc =
        accounts_authenticate(app->accounts, req_header(req, "Authorization"), c, err);
    if (rc == ERR_UNAUTHORIZED)
        resp_header(req, "WWW-Authenticate", "Bearer");
    if (rc)
        return rc;
    int64_t retry_after = 0;
    rc = accounts_quota(app->accounts, c, &retry_after, err);
    if (rc == ERR_RATE_LIMITED) {
        char seconds[32];
        snprintf(seconds, sizeof(seconds), "%" PRId64, retry_after);
        resp_header(req, "Retry-After", seconds);
    }
    if (rc)
        return rc;
    req_set_user(req, c);
    return ERR_OK;
}

const struct caller *api_caller(struct req *req)
{
    const struct caller *c = req_user(req);
    if (!c)
        BUG("%s has no caller: is its route public by mistake?", req_path(req));
    return c;
}
