/*
 * llm/price.c - parsing LLM_PRICES and costing calls in integer micro-dollars.
 */
#include "core/compat.h"

#include "llm/price.h"

#include "core/span.h"
#include "core/xalloc.h"

struct llm_price {
    char *model;
    int64_t in_micros_per_mtok;  /* micro-dollars per million input tokens */
    int64_t out_micros_per_mtok; /* micro-dollars per million output tokens */
};

struct llm_prices {
    struct llm_price *items;
    size_t n, alloc;
};

/* "2.50" -> 2500000 micro-dollars: digits, optionally '.' and 1 to 6 decimals. */
static bool parse_dollars(struct span s, int64_t *out)
{
    const char *dot = s.len ? memchr(s.ptr, '.', s.len) : NULL;
    struct span whole = dot ? span_make(s.ptr, (size_t)(dot - s.ptr)) : s;
    uint64_t w, f = 0;
    if (!span_parse_u64(whole, 1000000, &w))
        return false;
    if (dot) {
        struct span frac = span_make(dot + 1, s.len - whole.len - 1);
        if (frac.len == 0 || frac.len > 6 || !span_parse_u64(frac, 999999, &f))
            return false;
        for (size_t i = frac.len; i < 6; i++)
            f *= 10;
    }
    *out = (int64_t)(w * 1000000 + f);
    return true;
}

enum err_code llm_prices_parse(const char *spec, struct llm_prices **out, struct err *err)
{
    struct llm_prices *p = xcalloc(1, sizeof(*p));
    struct span rest = span_cstr(spec ? spec : "");
    while (rest.len) {
        struct span entry = span_trim(span_cut(&rest, ','));
        if (!entry.len)
            continue;
        struct span values = entry;
        struct span model = span_trim(span_cut(&values, '='));
        struct span in = span_trim(span_cut(&values, '/'));
        struct span outp = span_trim(values);
        int64_t in_m, out_m;
        if (!model.len || !parse_dollars(in, &in_m) || !parse_dollars(outp, &out_m)) {
            err_set(err, ERR_INVALID, "LLM_PRICES",
                    "LLM_PRICES: '%.*s' is not model=input/output (US dollars per million "
                    "tokens, up to 6 decimals, e.g. gpt-4o-mini=0.15/0.60)",
                    SPAN_FMT(entry));
            llm_prices_free(p);
            *out = NULL;
            return ERR_INVALID;
        }
        ALLOC_GROW(p->items, p->n + 1, p->alloc);
        p->items[p->n++] = (struct llm_price){ xmemdupz(model.ptr, model.len), in_m, out_m };
    }
    *out = p;
    return ERR_OK;
}

void llm_prices_free(struct llm_prices *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->items[i].model);
    free(p->items);
    free(p);
}

/* (tokens * micros_per_mtok) / 1e6 as an exact fraction, in micro-micro-dollars. */
static int64_t scaled(int64_t tokens, int64_t micros_per_mtok)
{
    int64_t r;
    if (tokens < 0 || __builtin_mul_overflow(tokens, micros_per_mtok, &r))
        return INT64_MAX / 4; /* absurd sizes saturate instead of wrapping */
    return r;
}

int64_t llm_prices_cost(const struct llm_prices *p, const char *model, int64_t tokens_in,
                        int64_t tokens_out, bool *known)
{
    const struct llm_price *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; p && model && i < p->n; i++) {
        size_t len = strlen(p->items[i].model);
        if (len >= best_len && strncmp(model, p->items[i].model, len) == 0) {
            best = &p->items[i];
            best_len = len;
        }
    }
    if (known)
        *known = best != NULL;
    if (!best)
        return 0;
    int64_t total =
        scaled(tokens_in, best->in_micros_per_mtok) + scaled(tokens_out, best->out_micros_per_mtok);
    return (total + 500000) / 1000000; /* half up */
}
