/*
 * api/health.c - operational routes: liveness (/healthz), readiness with
 * the database (/readyz), Prometheus metrics (/metrics) and the API
 * description (/api/openapi.yaml).
 */
#include "core/compat.h"

#include "api/app.h"
#include "api/handlers.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/jsonio.h"
#include "core/metrics.h"
#include "domain/system.h"
#include "http/request.h"
#include "http/response.h"

#define METRICS_MAX_BYTES (4 * 1024 * 1024) /* the exposition stays far below this */

enum err_code health_live(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    (void)err;
    json_t *body = json_object();
    jsonio_set_str(body, "status", "ok");
    jsonio_set_str(body, "version", CROWDELIC_VERSION);
    jsonio_set_new(body, "uptime_seconds",
                   json_integer((clock_mono_ms() - app->started_mono_ms) / 1000));
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code health_ready(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct system_status st;
    enum err_code rc = system_ready(app->store, &st, err);
    if (rc) {
        char detail[sizeof(err->msg)];
        memcpy(detail, err->msg, sizeof(detail));
        return err_set(err, ERR_UNAVAILABLE, NULL, "database is not reachable: %s", detail);
    }
    json_t *body = json_object();
    jsonio_set_str(body, "status", "ready");
    jsonio_set_str(body, "database", st.backend);
    jsonio_set_new(body, "schema_version", json_integer(st.schema_version));
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code health_metrics(struct req *req, struct err *err)
{
    struct buf out;
    buf_init(&out, METRICS_MAX_BYTES);
    metrics_render(&out);
    if (out.failed) {
        buf_release(&out);
        return err_set(err, ERR_INTERNAL, NULL, "metrics exposition exceeds %d bytes",
                       METRICS_MAX_BYTES);
    }
    resp_bytes(req, 200, "text/plain; version=0.0.4; charset=utf-8", out.data, out.len);
    buf_release(&out);
    return ERR_OK;
}

enum err_code health_openapi(struct req *req, struct err *err)
{
    const struct embedded_file *f = embed_find("docs/openapi.yaml");
    if (!f)
        return err_set(err, ERR_INTERNAL, NULL, "docs/openapi.yaml is not embedded");
    resp_header(req, "Cache-Control", "no-cache");
    resp_static(req, 200, "application/yaml; charset=utf-8", f->data, f->len);
    return ERR_OK;
}
