/*
 * engine/population.c - the factory (ENGINE.md 4; see population.h): the
 * four steps, the plan's repair, and the duplicate checks of the generated
 * people (names, and near-duplicates by word-set Jaccard similarity).
 *
 * Near-duplicates are found without an exact comparison of most pairs (a
 * 10,000-person panel has 5e7 of them): each persona is a sorted set of
 * word tokens plus a 1,024-bit signature with the bit (token mod 1,024) of
 * each token. A bit set in one signature only comes from a token of one
 * set only, so h = popcount(a xor b) <= |A xor B| and, with S = |A| + |B|,
 * J(A, B) <= (S - h) / (S + h): an exact bound that rules out two people
 * with little in common in 16 machine words. The few pairs it lets
 * through are compared exactly.
 */
#include "core/compat.h"

#include "engine/population.h"

#include <math.h>

#include "core/buf.h"
#include "core/prng.h"
#include "core/xalloc.h"

#define TOKEN_BITS      44 /* a token: the top 44 bits of a word's or a name's hash */
#define SIGNATURE_WORDS 16 /* 1,024 bits */
#define NONE            UINT32_MAX

/* ---- small containers ---------------------------------------------------------------- */

struct u64list {
    uint64_t *items;
    size_t n, alloc;
};

struct idlist {
    uint32_t *ids;
    size_t n, alloc;
};

/* Token -> a dense index (0, 1, ... in order of insertion); open addressing. */
struct tokmap {
    uint64_t *keys; /* token + 1; 0 marks an empty slot */
    uint32_t *vals;
    size_t cap, n;
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static size_t tokmap_slot(const struct tokmap *m, uint64_t key)
{
    size_t mask = m->cap - 1, i = (size_t)mix64(key) & mask;
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

static uint32_t tokmap_get(const struct tokmap *m, uint64_t token)
{
    if (!m->cap)
        return NONE;
    size_t i = tokmap_slot(m, token + 1);
    return m->keys[i] ? m->vals[i] : NONE;
}

static void tokmap_grow(struct tokmap *m)
{
    struct tokmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 256;
    m->keys = xcalloc(m->cap, sizeof(*m->keys));
    m->vals = xcalloc(m->cap, sizeof(*m->vals));
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.keys[i])
            continue;
        size_t j = tokmap_slot(m, old.keys[i]);
        m->keys[j] = old.keys[i];
        m->vals[j] = old.vals[i];
    }
    free(old.keys);
    free(old.vals);
}

/* The index of token, added as the next one (m->n before the call) when new. */
static uint32_t tokmap_put(struct tokmap *m, uint64_t token)
{
    if ((m->n + 1) * 2 > m->cap)
        tokmap_grow(m);
    size_t i = tokmap_slot(m, token + 1);
    if (!m->keys[i]) {
        m->keys[i] = token + 1;
        m->vals[i] = (uint32_t)m->n++;
    }
    return m->vals[i];
}

static void tokmap_release(struct tokmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

static void idlist_add(struct idlist *l, uint32_t id)
{
    ALLOC_GROW(l->ids, l->n + 1, l->alloc);
    l->ids[l->n++] = id;
}

static void u64list_add(struct u64list *l, uint64_t x)
{
    ALLOC_GROW(l->items, l->n + 1, l->alloc);
    l->items[l->n++] = x;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void u64list_sort_unique(struct u64list *l)
{
    if (l->n == 0)
        return;
    qsort(l->items, l->n, sizeof(*l->items), cmp_u64);
    size_t u = 1;
    for (size_t i = 1; i < l->n; i++)
        if (l->items[i] != l->items[u - 1])
            l->items[u++] = l->items[i];
    l->n = u;
}

/* ---- words of a persona ------------------------------------------------------------------ */

#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME  1099511628211ull

static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static uint64_t fnv_step(uint64_t h, unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        c = (unsigned char)(c + 32);
    return (h ^ c) * FNV_PRIME;
}

static uint64_t token_of(uint64_t h)
{
    return mix64(h) >> (64 - TOKEN_BITS);
}

/*
 * Adds the words of s[*i..) to out, up to the end of the string (in_string:
 * *i stops on the closing quote) or of the bare word (*i stops on the
 * first byte that is not part of it).
 */
static void add_words(const char *s, size_t len, size_t *i, bool in_string, struct u64list *out)
{
    uint64_t h = FNV_OFFSET;
    bool in_word = false;
    while (*i < len) {
        unsigned char c = (unsigned char)s[*i];
        if (in_string ? c == '"' : !is_word_byte(c))
            break;
        if (c == '\\') { /* an escape ends a word: \n, \", \u00e9 */
            *i += *i + 1 < len && s[*i + 1] == 'u' ? 6 : 2;
            c = ' ';
        } else {
            (*i)++;
        }
        if (is_word_byte(c)) {
            h = fnv_step(h, c);
            in_word = true;
        } else if (in_word) {
            u64list_add(out, token_of(h));
            h = FNV_OFFSET;
            in_word = false;
        }
    }
    if (in_word)
        u64list_add(out, token_of(h));
}

/*
 * The words of a JSON text into out as tokens: the words of every string
 * value and of numbers, not of keys (every persona has the same keys, which
 * would only make people look alike).
 */
static void scan_words(const char *s, size_t len, struct u64list *out)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] == '"') {
            size_t first = out->n;
            i++;
            add_words(s, len, &i, true, out);
            i++; /* the closing quote */
            while (i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
                i++;
            if (i < len && s[i] == ':')
                out->n = first; /* it was a key */
        } else if (is_word_byte((unsigned char)s[i])) {
            add_words(s, len, &i, false, out); /* a number, true, false, null */
        } else {
            i++;
        }
    }
}

/* p's word tokens, sorted and unique, into out (emptied first). */
static void persona_tokens(const struct persona *p, struct u64list *out)
{
    struct buf text;
    buf_init(&text, SIZE_MAX / 2); /* a persona is a few KiB, read from a bounded answer */
    persona_render(p, &text);
    out->n = 0;
    scan_words(text.data, text.len, out);
    buf_release(&text);
    u64list_sort_unique(out);
}

/* How many items two sorted unique lists share. */
static size_t count_common(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, common = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            common++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return common;
}

/* Jaccard similarity of two sorted unique lists; 1 when both are empty. */
static double jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t common = count_common(a, na, b, nb);
    size_t all = na + nb - common;
    return all ? (double)common / (double)all : 1.0;
}

double population_similarity(const struct persona *a, const struct persona *b)
{
    struct u64list x = { 0 }, y = { 0 };
    persona_tokens(a, &x);
    persona_tokens(b, &y);
    double j = jaccard(x.items, x.n, y.items, y.n);
    free(x.items);
    free(y.items);
    return j;
}

bool population_near_duplicate(const struct persona *a, const struct persona *b)
{
    return population_similarity(a, b) > POPULATION_NEAR_DUPLICATE;
}

/* ---- the near-duplicate index (see the top of the file) --------------------------------- */

struct near_set {
    uint64_t *tokens; /* sorted unique */
    size_t n;
    uint64_t signature[SIGNATURE_WORDS];
    size_t sample; /* whose it is */
};

struct near_index {
    struct near_set *sets; /* the accepted people */
    size_t n_sets, alloc_sets;
};

/* Set bits of x (without the popcnt instruction, which the build does not assume). */
static unsigned popcount64(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

static void signature_of(const struct u64list *tokens, uint64_t *sig)
{
    memset(sig, 0, SIGNATURE_WORDS * sizeof(*sig));
    for (size_t i = 0; i < tokens->n; i++) {
        unsigned bit = (unsigned)(tokens->items[i] % (SIGNATURE_WORDS * 64));
        sig[bit / 64] |= 1ull << (bit % 64);
    }
}

/*
 * The accepted set most alike to tokens when it is a near-duplicate: its
 * index, with the similarity in *sim; NONE when there is none.
 */
static uint32_t near_find(const struct near_index *ni, const struct u64list *tokens, double *sim)
{
    const double t = POPULATION_NEAR_DUPLICATE;
    uint64_t sig[SIGNATURE_WORDS];
    signature_of(tokens, sig);
    uint32_t best = NONE;
    double best_sim = 0;
    for (size_t id = 0; id < ni->n_sets; id++) {
        const struct near_set *s = &ni->sets[id];
        size_t lo = s->n < tokens->n ? s->n : tokens->n, hi = s->n < tokens->n ? tokens->n : s->n;
        if ((double)lo <= t * (double)hi)
            continue; /* J <= |smaller| / |larger| <= t */
        /* J <= (S - h) / (S + h) <= t as soon as h >= S (1 - t) / (1 + t) */
        double enough = (double)(s->n + tokens->n) * (1 - t) / (1 + t);
        unsigned h = 0;
        for (size_t w = 0; w < SIGNATURE_WORDS && h < enough; w++)
            h += popcount64(sig[w] ^ s->signature[w]);
        if (h >= enough)
            continue;
        double jac = jaccard(tokens->items, tokens->n, s->tokens, s->n);
        if (jac > t && jac > best_sim) {
            best = (uint32_t)id;
            best_sim = jac;
        }
    }
    *sim = best_sim;
    return best;
}

/* Adds an accepted set (a copy of tokens). */
static void near_add(struct near_index *ni, const struct u64list *tokens, size_t sample)
{
    ALLOC_GROW(ni->sets, ni->n_sets + 1, ni->alloc_sets);
    struct near_set *s = &ni->sets[ni->n_sets++];
    s->n = tokens->n;
    s->tokens = xcalloc(tokens->n ? tokens->n : 1, sizeof(*s->tokens));
    memcpy(s->tokens, tokens->items, tokens->n * sizeof(*s->tokens));
    signature_of(tokens, s->signature);
    s->sample = sample;
}

static void near_release(struct near_index *ni)
{
    for (size_t i = 0; i < ni->n_sets; i++)
        free(ni->sets[i].tokens);
    free(ni->sets);
    memset(ni, 0, sizeof(*ni));
}

/* ---- the plan's repair ------------------------------------------------------------------ */

struct remainder {
    int64_t rem;
    size_t group;
};

static int cmp_remainder(const void *a, const void *b)
{
    const struct remainder *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem > y->rem ? -1 : 1;
    return x->group < y->group ? -1 : x->group > y->group;
}

void population_repair_quantities(int *quantity, size_t n_groups, int n)
{
    if (n_groups == 0)
        return;
    if (n < 0)
        n = 0;
    int64_t sum = 0;
    for (size_t i = 0; i < n_groups; i++) {
        if (quantity[i] < 0)
            quantity[i] = 0;
        sum += quantity[i];
    }
    if (sum == n)
        return;
    bool equal = sum == 0; /* nothing planned: every group weighs the same */
    int64_t total = equal ? (int64_t)n_groups : sum;
    struct remainder *r = xcalloc(n_groups, sizeof(*r));
    int64_t given = 0;
    for (size_t i = 0; i < n_groups; i++) {
        /* exact integer arithmetic: weight <= INT_MAX and n <= INT_MAX, so no overflow */
        int64_t share = (equal ? 1 : (int64_t)quantity[i]) * n;
        quantity[i] = (int)(share / total);
        r[i] = (struct remainder){ share % total, i };
        given += quantity[i];
    }
    qsort(r, n_groups, sizeof(*r), cmp_remainder);
    for (size_t k = 0; given < n && k < n_groups; k++, given++)
        quantity[r[k].group]++;
    free(r);
}

/* ---- reading the model's dimensions and plan --------------------------------------------- */

static void dimension_clear(struct dimension *d)
{
    free(d->name);
    for (size_t i = 0; i < d->n_values; i++)
        free(d->values[i].value);
    free(d->values);
    memset(d, 0, sizeof(*d));
}

static void trait_clear(struct population_trait *t)
{
    free(t->dimension);
    free(t->value);
    strlist_release(&t->options);
}

static void group_clear(struct population_group *g)
{
    free(g->description);
    for (size_t i = 0; i < g->n_traits; i++)
        trait_clear(&g->traits[i]);
    free(g->traits);
    memset(g, 0, sizeof(*g));
}

/*
 * The dimensions as the engine uses them: the first of two with the same
 * name (case-insensitive) kept, values' shares made non-negative and
 * summing to 1 (equal when none is positive).
 */
static void tidy_dimensions(struct population_result *res)
{
    size_t kept = 0;
    for (size_t i = 0; i < res->n_dimensions; i++) {
        struct dimension *d = &res->dimensions[i];
        bool seen = false;
        for (size_t j = 0; j < kept && !seen; j++)
            seen = strcasecmp(res->dimensions[j].name, d->name) == 0;
        if (seen) {
            dimension_clear(d);
            continue;
        }
        double total = 0;
        for (size_t v = 0; v < d->n_values; v++) {
            if (!(d->values[v].share > 0)) /* negative or NaN */
                d->values[v].share = 0;
            total += d->values[v].share;
        }
        for (size_t v = 0; v < d->n_values; v++)
            d->values[v].share = total > 0 ? d->values[v].share / total : 1.0 / (double)d->n_values;
        res->dimensions[kept++] = *d;
    }
    res->n_dimensions = kept;
}

/* At most POPULATION_MAX_GROUPS groups, whose quantities sum to n. */
static void repair_plan(struct population_result *res, int n)
{
    while (res->n_groups > POPULATION_MAX_GROUPS)
        group_clear(&res->groups[--res->n_groups]);
    int *q = xcalloc(res->n_groups ? res->n_groups : 1, sizeof(*q));
    for (size_t g = 0; g < res->n_groups; g++)
        q[g] = res->groups[g].planned;
    population_repair_quantities(q, res->n_groups, n);
    for (size_t g = 0; g < res->n_groups; g++)
        res->groups[g].quantity = q[g];
    free(q);
}

/* "dimensions: <the call's reason>" into err, with the call's code. */
static enum err_code call_failed(const struct llm_response *resp, const char *step, struct err *err)
{
    if (err) {
        *err = resp->err;
        err->code = resp->code;
        err_prefix(err, step);
    }
    return resp->code;
}

static enum err_code ask_dimensions(const struct engine *e, const struct population_request *req,
                                    const char *language, struct population_result *res,
                                    struct engine_usage *usage, struct err *err)
{
    struct task *t = task_new(TASK_DIMENSIONS);
    t->u.dimensions.description = xstrdup(req->description);
    t->u.dimensions.n = req->n;
    t->u.dimensions.language = xstrdup(language);
    uint64_t seed = engine_seed(e->seed, "population", "dimensions", NULL);
    struct llm_response *resp = engine_ask(e, t, seed, NULL, usage);
    enum err_code rc = resp->code ? call_failed(resp, "dimensions", err)
                                  : population_read_dimensions(resp, res, err);
    if (rc && !resp->code)
        err_prefix(err, "dimensions");
    llm_response_free(resp);
    task_free(t);
    if (!rc)
        tidy_dimensions(res);
    return rc;
}

static enum err_code ask_plan(const struct engine *e, const struct population_request *req,
                              struct population_result *res, struct engine_usage *usage,
                              struct err *err)
{
    struct task *t = task_new(TASK_PLAN);
    struct plan_input *in = &t->u.plan;
    in->description = xstrdup(req->description);
    in->n = req->n;
    for (size_t i = 0; i < res->n_dimensions; i++) {
        const struct dimension *d = &res->dimensions[i];
        struct dimension *copy = plan_add_dimension(in, d->name);
        copy->numeric = d->numeric;
        copy->min = d->min;
        copy->max = d->max;
        for (size_t v = 0; v < d->n_values; v++)
            dimension_add_value(copy, d->values[v].value, d->values[v].share);
    }
    uint64_t seed = engine_seed(e->seed, "population", "plan", NULL);
    struct llm_response *resp = engine_ask(e, t, seed, NULL, usage);
    enum err_code rc =
        resp->code ? call_failed(resp, "plan", err) : population_read_plan(resp, res, err);
    if (rc && !resp->code)
        err_prefix(err, "plan");
    llm_response_free(resp);
    task_free(t);
    if (!rc && res->n_groups == 0)
        rc = err_set(err, ERR_UPSTREAM, NULL, "plan: the model planned no group");
    if (!rc)
        repair_plan(res, req->n);
    return rc;
}

/* ---- expanding the plan into samples ------------------------------------------------------ */

/* A non-negative decimal number at *p (at most 15 digits before the point). */
static bool parse_number(const char **p, double *out, bool *integral)
{
    const char *s = *p;
    double x = 0;
    size_t digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
        x = x * 10 + (*s - '0');
    if (digits == 0 || digits > 15)
        return false;
    *integral = true;
    if (s[0] == '.' && s[1] >= '0' && s[1] <= '9') {
        double scale = 0.1;
        for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
            x += (*s - '0') * scale;
        *integral = false;
    }
    *out = x;
    *p = s;
    return true;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/*
 * Whether s is a whole range of non-negative numbers: "35-42", "35 - 42",
 * "35–42", "35 to 42", "35 a 42", "35 até 42". Bounds in order into
 * *lo <= *hi; *integral when both are integers.
 */
static bool parse_range(const char *s, double *lo, double *hi, bool *integral)
{
    static const char *const separators[] = { "-",   "\xe2\x80\x93", "\xe2\x80\x94", "..",
                                              "to ", "a ",           "at\xc3\xa9 " };
    bool int_a, int_b;
    double a, b;
    s = skip_spaces(s);
    if (!parse_number(&s, &a, &int_a))
        return false;
    s = skip_spaces(s);
    size_t k = 0;
    while (k < ARRAY_SIZE(separators) && strncmp(s, separators[k], strlen(separators[k])) != 0)
        k++;
    if (k == ARRAY_SIZE(separators))
        return false;
    s = skip_spaces(s + strlen(separators[k]));
    if (!parse_number(&s, &b, &int_b) || *skip_spaces(s) != '\0')
        return false;
    *lo = a < b ? a : b;
    *hi = a < b ? b : a;
    *integral = int_a && int_b;
    return true;
}

/* A value drawn uniformly in [lo, hi]: an integer, or a number with two decimals at most. */
static void draw_in_range(struct prng *r, double lo, double hi, bool integral, char *out, size_t n)
{
    if (integral) {
        uint64_t span = (uint64_t)(hi - lo) + 1;
        snprintf(out, n, "%.0f", lo + (double)prng_below(r, span));
        return;
    }
    snprintf(out, n, "%.2f", lo + prng_unit(r) * (hi - lo));
    char *end = out + strlen(out);
    while (end > out && end[-1] == '0')
        *--end = '\0';
    if (end > out && end[-1] == '.')
        *--end = '\0';
}

/* One trait of the group as a concrete pick of the sample. */
static void draw_pick(struct prng *r, const struct population_trait *t, struct population_sample *s)
{
    const char *value = t->value;
    if (t->options.n)
        value = t->options.items[prng_below(r, t->options.n)];
    char drawn[64];
    double lo, hi;
    bool integral;
    if (parse_range(value, &lo, &hi, &integral)) {
        draw_in_range(r, lo, hi, integral, drawn, sizeof(drawn));
        value = drawn;
    }
    ALLOC_GROW(s->picks, s->n_picks + 1, s->alloc_picks);
    s->picks[s->n_picks].dimension = xstrdup(t->dimension);
    s->picks[s->n_picks].value = xstrdup(value);
    s->n_picks++;
}

/* Every group's traits quantity times, shuffled, with concrete values drawn. */
static void expand(const struct engine *e, struct population_result *res)
{
    size_t n = 0;
    for (size_t g = 0; g < res->n_groups; g++)
        n += (size_t)res->groups[g].quantity;
    size_t *groups = xcalloc(n ? n : 1, sizeof(*groups));
    size_t k = 0;
    for (size_t g = 0; g < res->n_groups; g++)
        for (int q = 0; q < res->groups[g].quantity; q++)
            groups[k++] = g;
    struct prng r;
    prng_seed(&r, engine_seed(e->seed, "population", "samples", NULL));
    prng_shuffle(&r, groups, n, sizeof(*groups));
    res->samples = xcalloc(n ? n : 1, sizeof(*res->samples));
    res->n_samples = n;
    for (size_t i = 0; i < n; i++) {
        struct population_sample *s = &res->samples[i];
        s->group = groups[i];
        const struct population_group *g = &res->groups[s->group];
        for (size_t t = 0; t < g->n_traits; t++)
            draw_pick(&r, &g->traits[t], s);
    }
    free(groups);
}

/* ---- generating the people --------------------------------------------------------------- */

struct generation {
    const struct engine *e;
    const struct population_request *req;
    const char *language;
    struct population_result *res;
    size_t n_caller;         /* the caller's names: the first ones of taken */
    struct strlist taken;    /* every name taken: the caller's, then the accepted ones */
    struct tokmap names_map; /* folded name -> index into names */
    struct idlist *names;    /* the indexes into taken of each folded name */
    size_t names_alloc;
    struct near_index near;
    struct u64list *picks; /* per sample: its picks as sorted tokens */
    uint32_t *score;       /* per sample: scratch of give_names */
    size_t *order;         /* per sample: scratch of give_names */
};

/*
 * A hash of name that is the same for names equal ignoring case: only its
 * ASCII bytes, lower-cased (the comparison, strlist_has, folds non-ASCII
 * letters to non-ASCII letters only).
 */
static uint64_t name_token(const char *name)
{
    uint64_t h = FNV_OFFSET;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        if (*c < 0x80)
            h = fnv_step(h, *c);
    return token_of(h);
}

static bool name_taken(const struct generation *g, const char *name)
{
    uint32_t k = tokmap_get(&g->names_map, name_token(name));
    if (k == NONE)
        return false;
    for (size_t i = 0; i < g->names[k].n; i++) {
        char *item = g->taken.items[g->names[k].ids[i]];
        struct strlist one = { &item, 1, 1 };
        if (strlist_has(&one, name))
            return true;
    }
    return false;
}

static void take_name(struct generation *g, const char *name)
{
    uint32_t k = tokmap_put(&g->names_map, name_token(name));
    if (k >= g->names_alloc) {
        size_t old = g->names_alloc;
        ALLOC_GROW(g->names, (size_t)k + 1, g->names_alloc);
        memset(g->names + old, 0, (g->names_alloc - old) * sizeof(*g->names));
    }
    idlist_add(&g->names[k], (uint32_t)g->taken.n);
    strlist_add(&g->taken, name);
}

/* A sample's picks as sorted tokens, to count the picks two samples share. */
static void pick_tokens(const struct population_sample *s, struct u64list *out)
{
    for (size_t i = 0; i < s->n_picks; i++) {
        uint64_t h = FNV_OFFSET;
        for (const char *c = s->picks[i].dimension; *c; c++)
            h = fnv_step(h, (unsigned char)*c);
        h = fnv_step(h, 0x1f);
        for (const char *c = s->picks[i].value; *c; c++)
            h = fnv_step(h, (unsigned char)*c);
        u64list_add(out, token_of(h));
    }
    u64list_sort_unique(out);
}

/*
 * The names a person task carries, at most cap (every name costs prompt
 * tokens, and a repeated name is rejected afterwards anyway): first the
 * names a model is likeliest to draw again - those of the people whose
 * samples share the most picks with this one (the same group, then the
 * same country, sex, ...) - then the caller's, then everyone else's.
 */
static void give_names(struct generation *g, size_t sample, size_t cap, struct person_input *in)
{
    const struct population_result *res = g->res;
    const struct u64list *mine = &g->picks[sample];
    size_t top = mine->n, n_scored = 0;
    size_t *start = xcalloc(top + 2, sizeof(*start)); /* per score: where its samples begin */
    for (size_t i = 0; i < res->n_samples; i++) {
        const struct u64list *theirs = &g->picks[i];
        g->score[i] = res->samples[i].persona
                          ? (uint32_t)count_common(mine->items, mine->n, theirs->items, theirs->n)
                          : NONE;
        if (g->score[i] != NONE)
            start[top - g->score[i] + 1]++;
    }
    /* the accepted samples by score, highest first, in sample order within a score */
    for (size_t k = 1; k <= top + 1; k++)
        start[k] += start[k - 1];
    for (size_t i = 0; i < res->n_samples; i++)
        if (g->score[i] != NONE)
            g->order[start[top - g->score[i]]++] = i;
    n_scored = start[top];
    size_t n_sharing = top > 0 ? start[top - 1] : 0; /* those that share a pick */
    free(start);

    for (size_t k = 0; k < n_sharing && in->used_names.n < cap; k++)
        strlist_add(&in->used_names, res->samples[g->order[k]].persona->name);
    for (size_t i = 0; i < g->n_caller && in->used_names.n < cap; i++)
        strlist_add(&in->used_names, g->taken.items[i]);
    for (size_t k = n_sharing; k < n_scored && in->used_names.n < cap; k++)
        strlist_add(&in->used_names, res->samples[g->order[k]].persona->name);
}

static struct task *person_task(struct generation *g, size_t sample, int round)
{
    const struct population_sample *s = &g->res->samples[sample];
    struct task *t = task_new(TASK_PERSON);
    struct person_input *in = &t->u.person;
    in->description = xstrdup(g->req->description);
    in->language = xstrdup(g->language);
    for (size_t i = 0; i < s->n_picks; i++)
        person_add_pick(in, s->picks[i].dimension, s->picks[i].value);
    /*
     * The few samples still rejected late are told more, and the last round
     * everything: a model with a small pool of names (the offline one, in a
     * panel of thousands) can only avoid the names taken if it knows them all.
     */
    size_t cap =
        round == POPULATION_EXTRA_ROUNDS ? SIZE_MAX : (size_t)POPULATION_NAMES_SENT << round;
    give_names(g, sample, cap, in);
    return t;
}

static uint64_t person_seed(const struct engine *e, size_t sample, int round)
{
    char idx[32], rnd[16];
    snprintf(idx, sizeof(idx), "%zu", sample);
    snprintf(rnd, sizeof(rnd), "%d", round);
    return engine_seed(e->seed, "population", "person", idx, rnd, NULL);
}

/*
 * Accepts p (taken) for the sample unless its name is taken or it is a
 * near-duplicate of someone accepted; tokens are p's words.
 */
static bool judge(struct generation *g, size_t sample, struct persona *p,
                  const struct u64list *tokens, int round)
{
    struct population_sample *s = &g->res->samples[sample];
    struct population_stats *st = &g->res->stats;
    if (name_taken(g, p->name)) {
        st->rejected_duplicate++;
        err_set(&s->err, ERR_CONFLICT, "name", "the name '%s' is taken", p->name);
        persona_free(p);
        return false;
    }
    double sim;
    uint32_t twin = near_find(&g->near, tokens, &sim);
    if (twin != NONE) {
        const struct persona *other = g->res->samples[g->near.sets[twin].sample].persona;
        st->rejected_near_duplicate++;
        err_set(&s->err, ERR_CONFLICT, NULL, "'%s' is a near-duplicate of '%s' (similarity %.2f)",
                p->name, other->name, sim);
        persona_free(p);
        return false;
    }
    near_add(&g->near, tokens, sample);
    take_name(g, p->name);
    s->persona = p;
    s->round = round;
    err_clear(&s->err);
    st->made++;
    return true;
}

/*
 * One round: a person task for each pending sample, all in one batch;
 * then, in sample order, the answers judged. Leaves in pending the samples
 * still without a persona.
 */
static void run_round(struct generation *g, int round, size_t *pending, size_t *n_pending,
                      struct engine_usage *usage)
{
    size_t n = *n_pending;
    struct engine_call *calls = xcalloc(n, sizeof(*calls));
    struct task **tasks = xcalloc(n, sizeof(*tasks));
    struct persona **people = xcalloc(n, sizeof(*people));
    struct u64list *tokens = xcalloc(n, sizeof(*tokens));
    for (size_t k = 0; k < n; k++) {
        tasks[k] = person_task(g, pending[k], round);
        calls[k].task = tasks[k];
        calls[k].seed = person_seed(g->e, pending[k], round);
    }
    engine_run(g->e, calls, n, usage);
    g->res->stats.rounds++;

    for (size_t k = 0; k < n; k++) {
        struct population_sample *s = &g->res->samples[pending[k]];
        struct llm_response *resp = calls[k].resp;
        if (resp->code)
            call_failed(resp, "person", &s->err);
        else if (population_read_person(resp, &people[k], &s->err))
            err_prefix(&s->err, "person");
        if (!people[k]) {
            g->res->stats.call_failures++;
            continue;
        }
        persona_tokens(people[k], &tokens[k]);
    }

    size_t still = 0;
    for (size_t k = 0; k < n; k++) {
        if (!people[k] || !judge(g, pending[k], people[k], &tokens[k], round))
            pending[still++] = pending[k];
        free(tokens[k].items);
        llm_response_free(calls[k].resp);
        task_free(tasks[k]);
    }
    *n_pending = still;
    free(tokens);
    free(people);
    free(tasks);
    free(calls);
}

static enum err_code generate_people(const struct engine *e, const struct population_request *req,
                                     const char *language, struct population_result *res,
                                     struct engine_usage *usage, struct err *err)
{
    struct generation g = { .e = e, .req = req, .language = language, .res = res };
    if (req->used_names) {
        for (size_t i = 0; i < req->used_names->n; i++)
            take_name(&g, req->used_names->items[i]);
        g.n_caller = g.taken.n;
    }
    size_t n_pending = res->n_samples;
    size_t *pending = xcalloc(n_pending ? n_pending : 1, sizeof(*pending));
    g.picks = xcalloc(n_pending ? n_pending : 1, sizeof(*g.picks));
    g.score = xcalloc(n_pending ? n_pending : 1, sizeof(*g.score));
    g.order = xcalloc(n_pending ? n_pending : 1, sizeof(*g.order));
    for (size_t i = 0; i < n_pending; i++)
        pick_tokens(&res->samples[i], &g.picks[i]);
    for (size_t i = 0; i < n_pending; i++)
        pending[i] = i;
    for (int round = 0; round <= POPULATION_EXTRA_ROUNDS && n_pending > 0; round++)
        run_round(&g, round, pending, &n_pending, usage);

    res->stats.asked = (int)res->n_samples;
    res->stats.failed = (int)n_pending;
    enum err_code rc = ERR_OK;
    if (res->stats.made == 0 && res->n_samples > 0) {
        /* nobody at all: the run cannot go on, so this is the call's error */
        if (err)
            *err = res->samples[0].err;
        rc = res->samples[0].err.code ? res->samples[0].err.code : ERR_UPSTREAM;
    }
    free(pending);
    for (size_t i = 0; i < res->n_samples; i++)
        free(g.picks[i].items);
    free(g.picks);
    free(g.score);
    free(g.order);
    near_release(&g.near);
    for (size_t i = 0; i < g.names_map.n; i++)
        free(g.names[i].ids);
    free(g.names);
    tokmap_release(&g.names_map);
    strlist_release(&g.taken);
    return rc;
}

/* ---- the factory ------------------------------------------------------------------------- */

/* A language tag: 2 to 35 ASCII letters, digits and hyphens, starting with a letter. */
static bool valid_language(const char *s)
{
    static const char tag[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
    size_t n = strlen(s);
    bool letter = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z');
    return n >= 2 && n <= 35 && letter && strspn(s, tag) == n;
}

static enum err_code check_request(const struct population_request *req, struct err *err)
{
    const char *d = req->description;
    if (!d || strspn(d, " \t\r\n") == strlen(d))
        return err_set(err, ERR_INVALID, "description",
                       "description: must not be empty (describe the population in words)");
    size_t len = strlen(d);
    if (len > POPULATION_DESCRIPTION_MAX)
        return err_set(err, ERR_INVALID, "description", "description: %zu bytes (at most %d)", len,
                       POPULATION_DESCRIPTION_MAX);
    if (req->n < 1 || req->n > POPULATION_MAX)
        return err_set(err, ERR_INVALID, "n", "n: %d is out of range (expected 1..%d)", req->n,
                       POPULATION_MAX);
    if (req->language && !valid_language(req->language))
        return err_set(err, ERR_INVALID, "language",
                       "language: '%.40s' is not a language tag (expected e.g. 'en' or 'pt-BR')",
                       req->language);
    return ERR_OK;
}

enum err_code population_generate(const struct engine *e, const struct population_request *req,
                                  struct engine_usage *usage, struct population_result **out,
                                  struct err *err)
{
    assert(e && e->gw && req && out);
    *out = NULL;
    enum err_code rc = check_request(req, err);
    if (rc)
        return rc;
    const char *language = req->language ? req->language : "en";
    struct population_result *res = xcalloc(1, sizeof(*res));
    rc = ask_dimensions(e, req, language, res, usage, err);
    if (!rc)
        rc = ask_plan(e, req, res, usage, err);
    if (!rc) {
        expand(e, res);
        if (!req->plan_only)
            rc = generate_people(e, req, language, res, usage, err);
    }
    if (rc) {
        population_result_free(res);
        return rc;
    }
    *out = res;
    return ERR_OK;
}

void population_result_free(struct population_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_dimensions; i++)
        dimension_clear(&r->dimensions[i]);
    free(r->dimensions);
    for (size_t i = 0; i < r->n_groups; i++)
        group_clear(&r->groups[i]);
    free(r->groups);
    for (size_t i = 0; i < r->n_samples; i++) {
        struct population_sample *s = &r->samples[i];
        for (size_t k = 0; k < s->n_picks; k++) {
            free(s->picks[k].dimension);
            free(s->picks[k].value);
        }
        free(s->picks);
        persona_free(s->persona);
    }
    free(r->samples);
    free(r);
}
