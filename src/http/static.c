/*
 * http/static.c - the built web UI: files under WEB_DIR with their MIME
 * types, ETag revalidation, precompressed .gz variants, long caching for
 * Vite's content-hashed assets/, history-route fallback to index.html, and
 * a page saying how to build the UI while WEB_DIR has no index.html.
 *
 * Paths are checked twice: segment by segment (static_path_is_safe), then
 * by the kernel while opening (openat2 RESOLVE_BENEATH from WEB_DIR), or by
 * comparing the resolved path with WEB_DIR where openat2 is unavailable.
 */
#include "core/compat.h"

#include "core/xalloc.h"
#include "http/internal.h"
#include "http/response.h"
#include "http/static.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

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

/* Files up to this size are sent from memory with their headers in one
 * write; larger ones by sendfile. Vite's chunks above it are few. */
#define STATIC_INLINE_MAX (64 * 1024)

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

int static_web_root(struct http_server *srv)
{
    int fd = atomic_load(&srv->web_dir_fd);
    if (fd >= 0)
        return fd;
    pthread_mutex_lock(&srv->web_dir_lock);
    fd = atomic_load(&srv->web_dir_fd);
    char resolved[PATH_MAX];
    if (fd < 0 && realpath(srv->conf->web_dir, resolved)) {
        fd = open(resolved, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            srv->web_dir = xstrdup(resolved);
            atomic_store(&srv->web_dir_fd, fd);
        }
    }
    pthread_mutex_unlock(&srv->web_dir_lock);
    return fd;
}

/*
 * Opens rel (starting with '/') under the web root when it is a regular
 * file that does not escape the root. openat2 with RESOLVE_BENEATH refuses
 * "..", absolute symlinks and symlinks leading out, in one system call;
 * where it is unavailable (kernels before 5.6, seccomp filters) the path is
 * resolved with realpath and compared with the root instead. -1 otherwise.
 */
static int open_under(const struct http_server *srv, int root, const char *rel, struct stat *st)
{
    static atomic_bool no_openat2;
    int fd = -1;
    if (!atomic_load_explicit(&no_openat2, memory_order_relaxed)) {
        struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
                                .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
        fd = (int)syscall(SYS_openat2, root, rel + 1, &how, sizeof(how));
        if (fd < 0 && (errno == ENOSYS || errno == EPERM))
            atomic_store(&no_openat2, true);
    }
    if (atomic_load_explicit(&no_openat2, memory_order_relaxed)) {
        char full[PATH_MAX], real[PATH_MAX];
        size_t rlen = strlen(srv->web_dir);
        if ((size_t)snprintf(full, sizeof(full), "%s%s", srv->web_dir, rel) >= sizeof(full) ||
            !realpath(full, real) || strncmp(real, srv->web_dir, rlen) != 0 || real[rlen] != '/')
            return -1; /* missing, or a symlink pointing outside the web root */
        fd = open(real, O_RDONLY | O_CLOEXEC);
    }
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

/*
 * Sends an open file. A small file is read into the response so that its
 * headers and body leave in one sendmsg; a large one goes out by sendfile.
 * Takes fd in every case.
 */
static enum err_code send_file(struct req *req, int fd, const struct stat *st, const char *rel,
                               struct err *err)
{
    size_t size = (size_t)st->st_size;
    struct MHD_Response *r = NULL;
    if (size <= STATIC_INLINE_MAX) {
        char *data = xmalloc(size ? size : 1);
        ssize_t n = pread(fd, data, size, 0);
        close(fd);
        if (n != (ssize_t)size) {
            free(data);
            return err_set(err, ERR_INTERNAL, NULL, "cannot read %s", rel);
        }
        r = MHD_create_response_from_buffer(size, data, MHD_RESPMEM_MUST_FREE);
        if (!r)
            free(data);
    } else {
        r = MHD_create_response_from_fd64((uint64_t)size, fd);
        if (!r)
            close(fd);
    }
    if (!r)
        return err_set(err, ERR_INTERNAL, NULL, "cannot create a response for %s", rel);
    resp_install(req, r, 200, static_mime_type(rel), (uint64_t)size);
    return ERR_OK;
}

/* Serves the file rel (already checked) from the web root (root); ERR_NOT_FOUND if absent. */
static enum err_code serve_file(struct req *req, int root, const char *rel, struct err *err)
{
    const struct http_server *srv = req->srv;
    struct stat st;
    bool gz = false;
    int fd = -1;
    if (accepts_gzip(req)) {
        char rel_gz[PATH_MAX];
        if ((size_t)snprintf(rel_gz, sizeof(rel_gz), "%s.gz", rel) < sizeof(rel_gz)) {
            fd = open_under(srv, root, rel_gz, &st);
            gz = fd >= 0;
        }
    }
    if (fd < 0)
        fd = open_under(srv, root, rel, &st);
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
    return send_file(req, fd, &st, rel, err);
}

/* A path that names a client-side route rather than a file: no dot in its last segment. */
static bool looks_like_route(const char *path)
{
    const char *last = strrchr(path, '/');
    return !strchr(last ? last : path, '.');
}

/* True when the web root holds an index.html (the UI has been built). */
static bool ui_is_built(int root)
{
    struct stat st;
    return root >= 0 && fstatat(root, "index.html", &st, 0) == 0 && S_ISREG(st.st_mode);
}

enum err_code static_serve(struct req *req, struct err *err)
{
    const char *path = req->path;
    if (!static_path_is_safe(path))
        return err_set(err, ERR_NOT_FOUND, NULL, "no file %s", path);

    int root = static_web_root(req->srv);
    enum err_code rc =
        err_set(err, ERR_NOT_FOUND, NULL, "no file %s (the web UI is not built)", path);
    if (root >= 0) {
        size_t len = strlen(path);
        const char *rel =
            path[len - 1] == '/' ? pool_printf(req->pool, "%sindex.html", path) : path;
        rc = serve_file(req, root, rel, err);
    }
    if (rc != ERR_NOT_FOUND || !looks_like_route(path))
        return rc;
    /* a client-side route: the UI's index.html, or the page saying how to build it */
    if (ui_is_built(root))
        return serve_file(req, root, "/index.html", err);
    resp_header(req, "Cache-Control", "no-cache");
    resp_static(req, 200, "text/html; charset=utf-8", build_ui_page, sizeof(build_ui_page) - 1);
    return ERR_OK;
}
