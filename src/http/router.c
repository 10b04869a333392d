/*
 * http/router.c - compiled patterns and the specificity rule.
 *
 * Each pattern is split once into segments. Matching walks every route
 * (the table holds tens of routes, and a linear scan of pre-split segments
 * costs well under a microsecond), keeps the most specific pattern that
 * matches, then looks at the methods registered for exactly that pattern.
 */
#include "core/compat.h"

#include "core/xalloc.h"
#include "http/router.h"

struct segment {
    struct span text; /* literal text, or the parameter name without ':' */
    bool is_param;
};

struct compiled {
    const struct route *route;
    struct segment seg[ROUTE_MAX_SEGMENTS];
    size_t n_seg;
    uint32_t literal_mask; /* bit (ROUTE_MAX_SEGMENTS - 1 - i) set when segment i is literal */
};

struct router {
    struct compiled *routes;
    size_t n;
};

static const struct {
    unsigned method;
    const char *name;
} method_names[] = {
    { HTTP_GET, "GET" },         { HTTP_HEAD, "HEAD" },   { HTTP_POST, "POST" },
    { HTTP_PUT, "PUT" },         { HTTP_PATCH, "PATCH" }, { HTTP_DELETE, "DELETE" },
    { HTTP_OPTIONS, "OPTIONS" },
};

unsigned http_method_parse(const char *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(method_names); i++)
        if (strcmp(s, method_names[i].name) == 0)
            return method_names[i].method;
    return 0;
}

const char *http_method_name(unsigned method)
{
    for (size_t i = 0; i < ARRAY_SIZE(method_names); i++)
        if (method_names[i].method == method)
            return method_names[i].name;
    return "?";
}

void http_methods_format(unsigned mask, char *out, size_t n)
{
    if (mask & HTTP_GET)
        mask |= HTTP_HEAD;
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(method_names); i++) {
        if (!(mask & method_names[i].method))
            continue;
        int w = snprintf(out + used, n - used, "%s%s", used ? ", " : "", method_names[i].name);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

/* Splits an absolute path into segments; false when it has too many or an
 * empty one ("//", or a trailing slash other than the root). */
static bool split_path(struct span path, struct span *seg, size_t *n_seg)
{
    *n_seg = 0;
    if (path.len == 0 || path.ptr[0] != '/')
        return false;
    if (path.len == 1)
        return true; /* "/" has no segments */
    struct span rest = span_make(path.ptr + 1, path.len - 1);
    for (;;) {
        bool last = memchr(rest.ptr, '/', rest.len) == NULL;
        struct span s = span_cut(&rest, '/');
        if (s.len == 0 || *n_seg == ROUTE_MAX_SEGMENTS)
            return false;
        seg[(*n_seg)++] = s;
        if (last)
            return true;
    }
}

static bool valid_param_name(struct span s)
{
    if (s.len == 0)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (!((c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

static enum err_code compile(const struct route *rt, struct compiled *c, struct err *err)
{
    struct span seg[ROUTE_MAX_SEGMENTS];
    size_t n_params = 0;
    if (!split_path(span_cstr(rt->pattern), seg, &c->n_seg))
        return err_set(err, ERR_INVALID, NULL, "route '%s': malformed pattern", rt->pattern);
    c->route = rt;
    c->literal_mask = 0;
    for (size_t i = 0; i < c->n_seg; i++) {
        bool is_param = seg[i].ptr[0] == ':';
        c->seg[i].is_param = is_param;
        c->seg[i].text = is_param ? span_make(seg[i].ptr + 1, seg[i].len - 1) : seg[i];
        if (is_param) {
            if (!valid_param_name(c->seg[i].text))
                return err_set(err, ERR_INVALID, NULL, "route '%s': bad parameter name",
                               rt->pattern);
            if (++n_params > ROUTE_MAX_PARAMS)
                return err_set(err, ERR_INVALID, NULL, "route '%s': too many parameters",
                               rt->pattern);
        } else {
            c->literal_mask |= 1u << (ROUTE_MAX_SEGMENTS - 1 - i);
        }
    }
    if (__builtin_popcount(rt->method) != 1 || strcmp(http_method_name(rt->method), "?") == 0 ||
        rt->method == HTTP_HEAD)
        return err_set(err, ERR_INVALID, NULL, "route '%s': needs exactly one method, not HEAD",
                       rt->pattern);
    return ERR_OK;
}

/* Same shape: same segment count, literals in the same places with the same text. */
static bool same_shape(const struct compiled *a, const struct compiled *b)
{
    if (a->n_seg != b->n_seg || a->literal_mask != b->literal_mask)
        return false;
    for (size_t i = 0; i < a->n_seg; i++)
        if (!a->seg[i].is_param && !span_eq(a->seg[i].text, b->seg[i].text))
            return false;
    return true;
}

struct router *router_new(const struct route *routes, size_t n, unsigned skip_flags,
                          struct err *err)
{
    struct router *r = xcalloc(1, sizeof(*r));
    r->routes = xcalloc(n ? n : 1, sizeof(*r->routes));
    for (size_t i = 0; i < n; i++) {
        if (routes[i].flags & skip_flags)
            continue;
        struct compiled *c = &r->routes[r->n];
        if (compile(&routes[i], c, err)) {
            router_free(r);
            return NULL;
        }
        for (size_t j = 0; j < r->n; j++) {
            if (r->routes[j].route->method == c->route->method && same_shape(&r->routes[j], c)) {
                err_set(err, ERR_INVALID, NULL, "routes '%s' and '%s' overlap for %s",
                        r->routes[j].route->pattern, c->route->pattern,
                        http_method_name(c->route->method));
                router_free(r);
                return NULL;
            }
        }
        r->n++;
    }
    return r;
}

void router_free(struct router *r)
{
    if (!r)
        return;
    free(r->routes);
    free(r);
}

static bool matches(const struct compiled *c, const struct span *seg, size_t n_seg)
{
    if (c->n_seg != n_seg)
        return false;
    for (size_t i = 0; i < n_seg; i++)
        if (!c->seg[i].is_param && !span_eq(c->seg[i].text, seg[i]))
            return false;
    return true;
}

enum router_result router_match(const struct router *r, unsigned method, struct span path,
                                const struct route **route, struct route_params *params,
                                unsigned *allowed)
{
    struct span seg[ROUTE_MAX_SEGMENTS];
    size_t n_seg;
    *route = NULL;
    *allowed = 0;
    params->n = 0;
    if (!split_path(path, seg, &n_seg))
        return ROUTER_NOT_FOUND;

    const struct compiled *best = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const struct compiled *c = &r->routes[i];
        if (matches(c, seg, n_seg) && (!best || c->literal_mask > best->literal_mask))
            best = c;
    }
    if (!best)
        return ROUTER_NOT_FOUND;

    unsigned want = method == HTTP_HEAD ? HTTP_GET : method;
    const struct compiled *hit = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const struct compiled *c = &r->routes[i];
        if (!same_shape(c, best) || !matches(c, seg, n_seg))
            continue;
        *allowed |= c->route->method;
        if (c->route->method == want)
            hit = c;
    }
    if (!hit)
        return ROUTER_METHOD;

    for (size_t i = 0; i < n_seg; i++) {
        if (hit->seg[i].is_param) {
            params->items[params->n].name = hit->seg[i].text;
            params->items[params->n].value = seg[i];
            params->n++;
        }
    }
    *route = hit->route;
    *allowed = 0;
    return ROUTER_FOUND;
}

size_t router_count(const struct router *r)
{
    return r->n;
}

const struct route *router_route(const struct router *r, size_t i)
{
    return i < r->n ? r->routes[i].route : NULL;
}

struct span route_param(const struct route_params *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (span_eq_cstr(p->items[i].name, name))
            return p->items[i].value;
    return span_make(NULL, 0);
}
