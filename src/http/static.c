/*
 * http/static.c - the built web UI: files under WEB_DIR with their MIME
 * types, ETag revalidation, precompressed .gz variants, long caching for
 * Vite's content-hashed assets/, history-route fallback to index.html, and
 * a page saying how to build the UI while WEB_DIR has no index.html.
 *
 * Paths are checked twice: segment by segment (static_path_is_safe) and,
 * after resolving symlinks, against the real path of WEB_DIR.
 */
#include "core/compat.h"

#include "http/internal.h"
#include "http/response.h"
#include "http/static.h"

#include <fcntl.h>
#include <sys/stat.h>

static const char build_ui_page[] =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<title>Crowdelic - build the web UI</title>\n"
    "<style>body{font-family:system-ui,sans-serif;background:#f8f9fa;color:#2d3748;"
    "max-width:40rem;margin:4rem auto;padding:0 1rem}"
    "code,pre{background:#fff;border-radius:8px;padding:.2rem .4rem;"
    "box-shadow:0 2px 6px rgba(0,0,0,.05)}pre{padding:1rem}h1{color:#4fd1c5}</style>\n"
    "</head><body>\n<h1>Crowdelic is running</h1>\n"
    "<p>The API answers under <code>/api</code> (see <a href=\"/api/openapi.yaml\">"
    "/api/openapi.yaml</a>), and <a href=\"/healthz\">/healthz</a> and "
    "<a href=\"/metrics\">/metrics</a> are up.</p>\n"
    "<p>The web UI has not been built yet. From the repository, run:</p>\n"
    "<pre>make run</pre>\n"
    "<p>which builds it into <code>web/dist</code> (Node.js 20.19 or newer is needed), "
    "or point <code>WEB_DIR</code> at a built copy.</p>\n</body></html>\n";

static const struct {
    const char *ext;
    const char *type;
} mime_types[] = {
    { "html", "text/html; charset=utf-8" },
    { "js", "text/javascript; charset=utf-8" },
    { "mjs", "text/javascript; charset=utf-8" },
    { "css", "text/css; charset=utf-8" },
    { "json", "application/json" },
    { "map", "application/json" },
    { "webmanifest", "application/manifest+json" },
    { "svg", "image/svg+xml" },
    { "png", "image/png" },
    { "jpg", "image/jpeg" },
    { "jpeg", "image/jpeg" },
    { "gif", "image/gif" },
    { "webp", "image/webp" },
    { "avif", "image/avif" },
    { "ico", "image/x-icon" },
    { "woff2", "font/woff2" },
    { "woff", "font/woff" },
    { "ttf", "font/ttf" },
    { "otf", "font/otf" },
    { "txt", "text/plain; charset=utf-8" },
    { "csv", "text/csv; charset=utf-8" },
    { "xml", "application/xml" },
    { "yaml", "application/yaml" },
    { "pdf", "application/pdf" },
    { "wasm", "application/wasm" },
};

const char *static_mime_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (dot && (!slash || dot > slash)) {
        for (size_t i = 0; i < ARRAY_SIZE(mime_types); i++)
            if (strcasecmp(dot + 1, mime_types[i].ext) == 0)
                return mime_types[i].type;
    }
    return "application/octet-stream";
}

bool static_path_is_safe(const char *path)
{
    if (path[0] != '/')
        return false;
    const char *seg = path + 1;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if (len == 0 && end)
            return false; /* "//" */
        if (len > 0 && seg[0] == '.')
            return false; /* ".", "..", dot files */
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)seg[i];
            if (c < 0x20 || c == 0x7f || c == '\\')
                return false;
        }
        if (!end)
            return true;
        seg = end + 1;
    }
}

/* Does the Accept-Encoding header accept gzip (without q=0)? */
static bool accepts_gzip(struct req *req)
{
    const char *ae = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Accept-Encoding");
    if (!ae)
        return false;
    struct span rest = span_cstr(ae);
    while (rest.len) {
        struct span item = span_trim(span_cut(&rest, ','));
        struct span params = item;
        struct span coding = span_trim(span_cut(&params, ';'));
        if (span_eq_nocase(coding, "gzip"))
            return !(span_starts_with(span_trim(params), "q=0") &&
                     !span_starts_with(span_trim(params), "q=0."));
    }
    return false;
}

/* Opens root + rel if it is a regular file inside root; -1 otherwise. */
static int open_under(const char *root, const char *rel, struct stat *st)
{
    char full[PATH_MAX], real[PATH_MAX];
    if ((size_t)snprintf(full, sizeof(full), "%s%s", root, rel) >= sizeof(full))
        return -1;
    if (!realpath(full, real))
        return -1;
    size_t rlen = strlen(root);
    if (strncmp(real, root, rlen) != 0 || real[rlen] != '/')
        return -1; /* a symlink pointing outside the web root */
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

static void etag_of(const struct stat *st, bool gz, char *out, size_t n)
{
    snprintf(out, n, "\"%llx-%llx%s\"", (unsigned long long)st->st_size,
             (unsigned long long)st->st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)st->st_mtim.tv_nsec,
             gz ? "-gz" : "");
}

static bool etag_matches(struct req *req, const char *etag)
{
    const char *inm = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "If-None-Match");
    if (!inm)
        return false;
    if (strcmp(inm, "*") == 0)
        return true;
    struct span rest = span_cstr(inm);
    while (rest.len) {
        struct span tag = span_trim(span_cut(&rest, ','));
        if (span_starts_with(tag, "W/"))
            tag = span_make(tag.ptr + 2, tag.len - 2);
        if (span_eq_cstr(tag, etag))
            return true;
    }
    return false;
}

/* Serves the file rel (already checked) from the web root; ERR_NOT_FOUND if absent. */
static enum err_code serve_file(struct req *req, const char *rel, struct err *err)
{
    const char *root = req->srv->web_dir;
    struct stat st;
    bool gz = false;
    int fd = -1;
    if (accepts_gzip(req)) {
        char rel_gz[PATH_MAX];
        if ((size_t)snprintf(rel_gz, sizeof(rel_gz), "%s.gz", rel) < sizeof(rel_gz)) {
            fd = open_under(root, rel_gz, &st);
            gz = fd >= 0;
        }
    }
    if (fd < 0)
        fd = open_under(root, rel, &st);
    if (fd < 0)
        return err_set(err, ERR_NOT_FOUND, NULL, "no file %s", rel);

    bool immutable = strncmp(rel, "/assets/", 8) == 0;
    const char *cache = immutable ? "public, max-age=31536000, immutable" : "no-cache";
    char etag[96];
    etag_of(&st, gz, etag, sizeof(etag));
    resp_header(req, "ETag", etag);
    resp_header(req, "Cache-Control", cache);
    resp_header(req, "Vary", "Accept-Encoding");
    if (gz)
        resp_header(req, "Content-Encoding", "gzip");
    if (etag_matches(req, etag)) {
        close(fd);
        resp_empty(req, 304);
        return ERR_OK;
    }
    struct MHD_Response *r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
    if (!r) {
        close(fd);
        return err_set(err, ERR_INTERNAL, NULL, "cannot create a response for %s", rel);
    }
    resp_install(req, r, 200, static_mime_type(rel), (uint64_t)st.st_size);
    return ERR_OK;
}

/* A path that names a client-side route rather than a file: no dot in its last segment. */
static bool looks_like_route(const char *path)
{
    const char *last = strrchr(path, '/');
    return !strchr(last ? last : path, '.');
}

enum err_code static_serve(struct req *req, struct err *err)
{
    const char *path = req->path;
    if (!static_path_is_safe(path))
        return err_set(err, ERR_NOT_FOUND, NULL, "no file %s", path);

    bool built = false;
    if (req->srv->web_dir) {
        char index[PATH_MAX];
        struct stat st;
        snprintf(index, sizeof(index), "%s/index.html", req->srv->web_dir);
        built = stat(index, &st) == 0 && S_ISREG(st.st_mode);
    }
    if (!built) {
        if (!looks_like_route(path))
            return err_set(err, ERR_NOT_FOUND, NULL, "no file %s (the web UI is not built)", path);
        resp_header(req, "Cache-Control", "no-cache");
        resp_static(req, 200, "text/html; charset=utf-8", build_ui_page, sizeof(build_ui_page) - 1);
        return ERR_OK;
    }

    size_t len = strlen(path);
    const char *rel = path;
    if (path[len - 1] == '/')
        rel = pool_printf(req->pool, "%sindex.html", path);
    enum err_code rc = serve_file(req, rel, err);
    if (rc == ERR_NOT_FOUND && looks_like_route(path))
        rc = serve_file(req, "/index.html", err); /* history-route fallback */
    return rc;
}
