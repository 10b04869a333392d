/*
 * http/response.c - building responses: standard headers, JSON bodies, and
 * the one place where an error becomes {"error":{...}} (STYLE.md E4).
 */
#include "core/compat.h"

#include "core/jsonio.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "http/internal.h"
#include "http/response.h"

/*
 * Sent on every response. The CSP allows what the built UI needs: its own
 * scripts, Emotion's runtime <style> tags (reference/frontend.md 6), images
 * and fonts inline as data URLs, and calls to its own origin only.
 */
static const struct {
    const char *name, *value;
} security_headers[] = {
    { "X-Content-Type-Options", "nosniff" },
    { "X-Frame-Options", "DENY" },
    { "Referrer-Policy", "no-referrer" },
    { "Content-Security-Policy",
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data: https:; font-src 'self' data:; connect-src 'self'; "
      "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'" },
};

void resp_header(struct req *req, const char *name, const char *value)
{
    struct extra_header *h = pool_alloc(req->pool, sizeof(*h));
    h->name = pool_strdup(req->pool, name);
    h->value = pool_strdup(req->pool, value);
    h->next = req->headers;
    req->headers = h;
}

void resp_install(struct req *req, struct MHD_Response *r, int status, const char *content_type,
                  uint64_t bytes)
{
    if (req->response)
        BUG("second response for %s %s", req->method_text, req->path);
    MHD_add_response_header(r, "X-Request-Id", req->id);
    if (content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    for (size_t i = 0; i < ARRAY_SIZE(security_headers); i++)
        MHD_add_response_header(r, security_headers[i].name, security_headers[i].value);
    if (req->cors_origin) {
        MHD_add_response_header(r, "Access-Control-Allow-Origin", req->cors_origin);
        MHD_add_response_header(r, "Access-Control-Expose-Headers",
                                "X-Request-Id, Retry-After, Location");
    }
    if (req->srv->n_cors_origins)
        MHD_add_response_header(r, "Vary", "Origin");
    for (const struct extra_header *h = req->headers; h; h = h->next)
        MHD_add_response_header(r, h->name, h->value);
    /* answers carry tokens, keys and tenants' data: never stored by a cache
     * unless their route says otherwise (static files, event streams) */
    if (!MHD_get_response_header(r, "Cache-Control"))
        MHD_add_response_header(r, "Cache-Control", "no-store");
    req->response = r;
    req->status = status;
    req->bytes = bytes;
}

void resp_bytes(struct req *req, int status, const char *content_type, const void *p, size_t n)
{
    void *copy = xmalloc(n ? n : 1);
    if (n)
        memcpy(copy, p, n);
    struct MHD_Response *r = MHD_create_response_from_buffer(n, copy, MHD_RESPMEM_MUST_FREE);
    if (!r)
        BUG("MHD_create_response_from_buffer failed");
    resp_install(req, r, status, content_type, n);
}

/* A body sent up to a cut, then the connection dropped (resp_bytes_cut). */
struct cut_body {
    size_t cut; /* bytes actually sent, <= the length announced */
    char data[];
};

static ssize_t cut_reader(void *cls, uint64_t pos, char *out, size_t max)
{
    const struct cut_body *b = cls;
    if (pos >= b->cut)
        return MHD_CONTENT_READER_END_WITH_ERROR; /* MHD closes the connection */
    size_t k = b->cut - (size_t)pos;
    if (k > max)
        k = max;
    memcpy(out, b->data + pos, k);
    return (ssize_t)k;
}

void resp_bytes_cut(struct req *req, int status, const char *content_type, const void *p, size_t n,
                    size_t cut_at)
{
    struct cut_body *b = xmalloc(st_add(sizeof(*b), n));
    b->cut = cut_at < n ? cut_at : n;
    if (n)
        memcpy(b->data, p, n);
    struct MHD_Response *r = MHD_create_response_from_callback(n, 16 * 1024, cut_reader, b, free);
    if (!r)
        BUG("MHD_create_response_from_callback failed");
    resp_install(req, r, status, content_type, b->cut);
}

void resp_static(struct req *req, int status, const char *content_type, const char *p, size_t n)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(n, (void *)(uintptr_t)p, MHD_RESPMEM_PERSISTENT);
    if (!r)
        BUG("MHD_create_response_from_buffer failed");
    resp_install(req, r, status, content_type, n);
}

void resp_json_take(struct req *req, int status, json_t *body)
{
    size_t len;
    char *text = jsonio_dump(body, 0, &len);
    json_decref(body);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r)
        BUG("MHD_create_response_from_buffer failed");
    resp_install(req, r, status, "application/json", len);
}

void resp_empty(struct req *req, int status)
{
    resp_static(req, status, NULL, "", 0);
}

void resp_error(struct req *req, const struct err *e)
{
    resp_error_details(req, e, NULL);
}

void resp_error_details(struct req *req, const struct err *e, json_t *details)
{
    int status = err_http_status(e->code);
    const char *slug = err_slug(e->code);
    char msg[sizeof(e->msg) + sizeof(req->id) + 32];
    if (status >= 500) {
        /* the detail is for the log only (SPEC.md 4: "no internals"); the
         * context carries the id on whichever thread answers */
        log_context_set(req->id, NULL);
        LOG_KV(LOG_LEVEL_ERROR, "http", e->msg[0] ? e->msg : "server error", LOG_STR("code", slug),
               LOG_STR("path", req->path));
        log_context_set(NULL, NULL);
        if (e->code == ERR_INTERNAL)
            snprintf(msg, sizeof(msg), "internal error (request %s)", req->id);
        else
            snprintf(msg, sizeof(msg), "%s (request %s)", e->msg[0] ? e->msg : slug, req->id);
    } else {
        snprintf(msg, sizeof(msg), "%s", e->msg[0] ? e->msg : slug);
    }
    json_t *inner = json_object();
    jsonio_set_str(inner, "code", slug);
    jsonio_set_str(inner, "message", msg);
    if (e->field[0])
        jsonio_set_str(inner, "field", e->field);
    if (details && status < 500)
        jsonio_set_new(inner, "details", details);
    else
        json_decref(details);
    json_t *body = json_object();
    jsonio_set_new(body, "error", inner);
    metric_add(req->srv->m_errors, METRIC_LABELS({ "code", slug }), 1);
    req->error_code = e->code;
    resp_json_take(req, status, body);
}
