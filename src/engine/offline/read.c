/*
 * engine/offline/read.c - reading texts and personas for the offline model:
 * words, keyword sets (topics, word lists) matched in one pass, language, prices and periods,
 * hype and tone, and a persona's affinities and dispositions.
 */
#include "core/compat.h"

#include "engine/offline/model.h"

#include <math.h>
#include <strings.h>

#include "core/utf8.h"
#include "core/xalloc.h"

/* ---- phrase sets -------------------------------------------------------------------------- */

/*
 * A phrase is split into its words once, when it is added. A lookup finds
 * the phrases that can start at a word through a hash table keyed by their
 * first word: an exact first word by the whole word (class 0), a prefix
 * ("launch*") by its first min(stem, PREFIX_KEY) bytes (class 1..PREFIX_KEY),
 * so a word probes PREFIX_KEY + 1 chains instead of trying every phrase.
 */
enum { PREFIX_KEY = 4 };
#define NO_PHRASE UINT32_MAX /* the end of a bucket's chain */

struct phrase {
    char *text;         /* lower-case, owned; parts point into it */
    struct span *parts; /* the words; the last byte of a prefix part is '*' */
    size_t n_parts, tag;
    unsigned key_class; /* 0: exact first word; c: prefix keyed by its first c bytes */
    uint32_t next;      /* the next phrase of the same bucket */
};

struct phrase_set {
    struct phrase *items;
    size_t n, alloc;
    uint32_t *head; /* n_buckets entries (a power of two) */
    size_t n_buckets;
};

static uint64_t word_hash(const char *p, size_t n, unsigned key_class)
{
    uint64_t h = 1469598103934665603ull ^ key_class;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static size_t phrase_bucket(const struct phrase_set *s, const struct phrase *ph)
{
    struct span first = ph->parts[0];
    size_t n = ph->key_class ? ph->key_class : first.len;
    return word_hash(first.ptr, n, ph->key_class) & (s->n_buckets - 1);
}

static void phrase_set_rehash(struct phrase_set *s, size_t n_buckets)
{
    free(s->head);
    s->n_buckets = n_buckets;
    s->head = xmalloc(n_buckets * sizeof(*s->head));
    for (size_t b = 0; b < n_buckets; b++)
        s->head[b] = NO_PHRASE;
    for (size_t i = 0; i < s->n; i++) {
        size_t b = phrase_bucket(s, &s->items[i]);
        s->items[i].next = s->head[b];
        s->head[b] = (uint32_t)i;
    }
}

struct phrase_set *phrase_set_new(void)
{
    struct phrase_set *s = xcalloc(1, sizeof(*s));
    phrase_set_rehash(s, 16);
    return s;
}

void phrase_set_free(struct phrase_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].text);
        free(s->items[i].parts);
    }
    free(s->items);
    free(s->head);
    free(s);
}

void phrase_set_add(struct phrase_set *s, const char *phrase, size_t tag)
{
    struct phrase ph = { .text = xstrdup(phrase), .tag = tag };
    text_lower(ph.text);
    size_t alloc = 0;
    for (char *k = ph.text; *k;) {
        k += strspn(k, KEYWORD_SEPARATORS);
        size_t n = strcspn(k, KEYWORD_SEPARATORS);
        if (n) {
            ALLOC_GROW(ph.parts, ph.n_parts + 1, alloc);
            ph.parts[ph.n_parts++] = span_make(k, n);
        }
        k += n;
    }
    struct span first = ph.n_parts ? ph.parts[0] : span_make("", 0);
    size_t stem = first.len ? first.len - 1 : 0;
    /* an empty phrase or a bare "*" would match everywhere: not a phrase */
    if (!ph.n_parts || (first.ptr[first.len - 1] == '*' && stem == 0)) {
        free(ph.text);
        free(ph.parts);
        return;
    }
    if (first.ptr[first.len - 1] == '*')
        ph.key_class = stem < PREFIX_KEY ? (unsigned)stem : PREFIX_KEY;
    ALLOC_GROW(s->items, s->n + 1, s->alloc);
    s->items[s->n++] = ph;
    if (s->n * 2 > s->n_buckets)
        phrase_set_rehash(s, s->n_buckets * 2);
    else {
        size_t b = phrase_bucket(s, &s->items[s->n - 1]);
        s->items[s->n - 1].next = s->head[b];
        s->head[b] = (uint32_t)(s->n - 1);
    }
}

/* Does ph match the words of ws from word i on? */
static bool phrase_matches_at(const struct phrase *ph, const struct words *ws, size_t i)
{
    if (ws->n - i < ph->n_parts)
        return false;
    for (size_t p = 0; p < ph->n_parts; p++)
        if (!word_matches(ws->w[i + p], ph->parts[p].ptr, ph->parts[p].len))
            return false;
    return true;
}

/* Calls found(ctx, phrase) for every phrase of s that starts at word i. */
static void phrases_at(const struct phrase_set *s, const struct words *ws, size_t i,
                       void (*found)(void *, const struct phrase *), void *ctx)
{
    struct span w = ws->w[i];
    for (unsigned c = 0; c <= PREFIX_KEY; c++) {
        if (c && w.len < c)
            break;
        size_t b = word_hash(w.ptr, c ? c : w.len, c) & (s->n_buckets - 1);
        for (uint32_t k = s->head[b]; k != NO_PHRASE; k = s->items[k].next) {
            const struct phrase *ph = &s->items[k];
            if (ph->key_class == c && phrase_matches_at(ph, ws, i))
                found(ctx, ph);
        }
    }
}

static void add_hit(void *ctx, const struct phrase *ph)
{
    ((double *)ctx)[ph->tag] += 1;
}

void phrase_set_tally(const struct phrase_set *s, const struct words *ws, double *hits)
{
    for (size_t i = 0; i < ws->n; i++)
        phrases_at(s, ws, i, add_hit, hits);
}

static void count_one(void *ctx, const struct phrase *ph)
{
    (void)ph;
    ++*(int *)ctx;
}

int phrase_set_count(const struct phrase_set *s, const struct words *ws)
{
    int n = 0;
    for (size_t i = 0; i < ws->n; i++)
        phrases_at(s, ws, i, count_one, &n);
    return n;
}

void topics_count(const struct offline_model *m, const struct words *ws, double *hits)
{
    phrase_set_tally(m->topics, ws, hits);
}

/* ---- language ------------------------------------------------------------------------------- */

int text_language(const struct words *ws)
{
    static const char *const pt[] = { "de",   "que",   "não",  "para", "com",   "uma",
                                      "você", "é",     "por",  "mais", "muito", "eu",
                                      "meu",  "minha", "isso", "está", "os",    "as",
                                      "do",   "da",    "em",   "no",   "na",    "mês" };
    static const char *const en[] = { "the", "and",  "to",   "of", "is",  "it",   "you",
                                      "for", "with", "this", "my", "not", "very", "are",
                                      "on",  "in",   "your", "be", "at",  "month" };
    int n_pt = 0, n_en = 0;
    for (size_t i = 0; i < ws->n; i++) {
        for (size_t k = 0; k < ARRAY_SIZE(pt); k++)
            n_pt += span_eq_cstr(ws->w[i], pt[k]);
        for (size_t k = 0; k < ARRAY_SIZE(en); k++)
            n_en += span_eq_cstr(ws->w[i], en[k]);
    }
    return n_pt > n_en ? OFFLINE_LANG_PT : OFFLINE_LANG_EN;
}

/* ---- prices -----------------------------------------------------------------------------------
 */

static const struct {
    const char *symbol; /* lower-case, as written before the number */
    double usd;         /* US dollars per unit */
} currencies[] = {
    { "us$", 1.0 }, { "r$", 0.19 },  { "mx$", 0.055 }, { "c$", 0.73 },
    { "a$", 0.66 }, { "$", 1.0 },    { "€", 1.08 },    { "£", 1.27 },
    { "₹", 0.012 }, { "¥", 0.0068 }, { "₦", 0.00065 },
};

static const struct {
    const char *word;
    double usd;
} currency_words[] = {
    { "dollars", 1.0 }, { "dólares", 1.0 },  { "usd", 1.0 },     { "reais", 0.19 },
    { "brl", 0.19 },    { "euros", 1.08 },   { "eur", 1.08 },    { "pounds", 1.27 },
    { "libras", 1.27 }, { "rupees", 0.012 }, { "pesos", 0.055 },
};

static const struct {
    const char *word; /* a prefix of the period word */
    enum price_period period;
} periods[] = {
    { "month", PRICE_MONTH },
    { "mo", PRICE_MONTH },
    { "mês", PRICE_MONTH },
    { "mes", PRICE_MONTH },
    { "mensa", PRICE_MONTH },
    { "week", PRICE_WEEK },
    { "semana", PRICE_WEEK },
    { "year", PRICE_YEAR },
    { "yr", PRICE_YEAR },
    { "ano", PRICE_YEAR },
    { "anua", PRICE_YEAR },
    { "annual", PRICE_YEAR },
    { "day", PRICE_DAY },
    { "dia", PRICE_DAY },
    { "diári", PRICE_DAY },
    /* a price per serving: a household buys about three a week */
    { "meal", PRICE_MEAL },
    { "refei", PRICE_MEAL },
    { "serving", PRICE_MEAL },
    { "porç", PRICE_MEAL },
};

/* Parses the number at s (digits with . and , separators); its length in *len. */
static double parse_amount(const char *s, size_t *len)
{
    size_t n = 0;
    while ((s[n] >= '0' && s[n] <= '9') ||
           ((s[n] == '.' || s[n] == ',') && s[n + 1] >= '0' && s[n + 1] <= '9'))
        n++;
    *len = n;
    /* the decimal separator: the last . or , followed by exactly 1 or 2 digits */
    size_t dec = n;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' || s[i] == ',') {
            size_t digits = 0;
            while (i + 1 + digits < n && s[i + 1 + digits] >= '0' && s[i + 1 + digits] <= '9')
                digits++;
            if (i + 1 + digits == n && digits <= 2)
                dec = i;
        }
    }
    double whole = 0, frac = 0, scale = 0.1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            continue;
        if (i < dec) {
            whole = whole * 10 + (s[i] - '0');
        } else {
            frac += (s[i] - '0') * scale;
            scale /= 10;
        }
    }
    return whole + frac;
}

/* The period named just after a price at s ("/month", " per month", " por mês"), and its end. */
static enum price_period parse_period(const char *s, const char **end)
{
    const char *p = s;
    while (*p == ' ')
        p++;
    if (*p == '/') {
        p++;
    } else {
        static const char *const joiners[] = { "per ", "a ", "an ", "por ", "ao ", "à ", "each " };
        bool joined = false;
        for (size_t i = 0; i < ARRAY_SIZE(joiners) && !joined; i++) {
            size_t n = strlen(joiners[i]);
            if (strncmp(p, joiners[i], n) == 0) {
                p += n;
                joined = true;
            }
        }
        if (!joined) {
            /* "monthly", "mensais" directly after */
            if (strncmp(p, "monthly", 7) != 0 && strncmp(p, "mensa", 5) != 0 &&
                strncmp(p, "yearly", 6) != 0 && strncmp(p, "weekly", 6) != 0)
                return PRICE_ONCE;
        }
    }
    while (*p == ' ')
        p++;
    for (size_t i = 0; i < ARRAY_SIZE(periods); i++) {
        size_t n = strlen(periods[i].word);
        if (strncmp(p, periods[i].word, n) == 0) {
            const char *e = p + n;
            while (words_byte((unsigned char)*e))
                e++;
            *end = e;
            return periods[i].period;
        }
    }
    return PRICE_ONCE;
}

static double monthly(double usd, enum price_period period)
{
    switch (period) {
    case PRICE_DAY:
        return usd * 30;
    case PRICE_WEEK:
        return usd * 4.33;
    case PRICE_MONTH:
        return usd;
    case PRICE_MEAL:
        return usd * 13;
    case PRICE_YEAR:
        return usd / 12;
    case PRICE_ONCE:
        return usd / 6; /* a big one-off purchase weighs like half a year of payments */
    }
    return usd;
}

/* Finds the first price in text (lower-cased copy lower, same offsets). */
/*
 * Copies s[0..len) into out (n bytes), NUL-terminated, cut when too long at
 * the end of a character, so that a cut never leaves half of one.
 */
static void copy_cut(char *out, size_t n, const char *s, size_t len)
{
    len = utf8_cut(s, len, n - 1);
    memcpy(out, s, len);
    out[len] = '\0';
}

static void read_price(const char *text, const char *lower, struct stimulus_reading *out)
{
    for (const char *p = lower; *p; p++) {
        if (*p < '0' || *p > '9')
            continue;
        if (p > lower && (p[-1] >= '0' && p[-1] <= '9'))
            continue;
        /* a currency symbol just before, spaces allowed */
        const char *q = p;
        while (q > lower && q[-1] == ' ')
            q--;
        double factor = 0;
        const char *start = p;
        for (size_t i = 0; i < ARRAY_SIZE(currencies) && factor == 0; i++) {
            size_t n = strlen(currencies[i].symbol);
            if ((size_t)(q - lower) >= n && memcmp(q - n, currencies[i].symbol, n) == 0) {
                factor = currencies[i].usd;
                start = q - n;
            }
        }
        size_t len;
        double amount = parse_amount(p, &len);
        const char *after = p + len;
        if (factor == 0) {
            const char *w = after;
            while (*w == ' ')
                w++;
            for (size_t i = 0; i < ARRAY_SIZE(currency_words) && factor == 0; i++) {
                size_t n = strlen(currency_words[i].word);
                if (strncmp(w, currency_words[i].word, n) == 0 &&
                    !words_byte((unsigned char)w[n])) {
                    factor = currency_words[i].usd;
                    after = w + n;
                }
            }
        }
        if (factor == 0) {
            p += len ? len - 1 : 0;
            continue; /* a number that is not a price ("3 dinners") */
        }
        const char *end = after;
        out->period = parse_period(after, &end);
        out->has_price = true;
        out->price = amount;
        out->monthly_usd = monthly(amount * factor, out->period);
        copy_cut(out->price_text, sizeof(out->price_text), text + (start - lower),
                 (size_t)(end - start));
        return;
    }
}

static bool is_article(struct span w)
{
    static const char *const articles[] = { "the", "a", "an", "o", "os", "as", "um", "uma" };
    for (size_t i = 0; i < ARRAY_SIZE(articles); i++)
        if (w.len == strlen(articles[i]) && strncasecmp(w.ptr, articles[i], w.len) == 0)
            return true;
    return false;
}

/* Does the word start with a capital (ASCII or Latin-1) or a digit? */
static bool is_name_like(struct span w)
{
    unsigned char c = (unsigned char)w.ptr[0];
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c == 0xc3 && w.len > 1 && (unsigned char)w.ptr[1] >= 0x80 &&
           (unsigned char)w.ptr[1] <= 0x9e;
}

/*
 * A short name for the product: the text before the first ':' (or the
 * like); else the name it opens with - the run of capitalised words after
 * an article ("The RiverPro rod" -> "RiverPro", "FreshBox delivers ..." ->
 * "FreshBox"); else its first words.
 */
static void read_product(const char *text, char *out, size_t n)
{
    while (*text == ' ' || *text == '\n')
        text++;
    size_t cut = strcspn(text, ":\xe2\n.,!?(");
    if (cut >= 2 && cut <= 40) {
        copy_cut(out, n, text, cut);
    } else {
        struct span rest = span_make(text, strlen(text));
        struct span w = span_cut(&rest, ' ');
        if (is_article(w))
            w = span_cut(&rest, ' ');
        const char *start = w.ptr, *end = w.ptr;
        for (int k = 0; k < 3 && w.len && is_name_like(w); k++) {
            end = w.ptr + w.len;
            w = span_cut(&rest, ' ');
        }
        if (end > start) {
            copy_cut(out, n, start, (size_t)(end - start));
        } else {
            size_t words = 0, i = 0;
            while (text[i] && words < 4) {
                if (text[i] == ' ')
                    words++;
                if (words < 4)
                    i++;
            }
            copy_cut(out, n, text, i);
        }
    }
    size_t len = strlen(out);
    while (len && strchr(" -.,;!?", out[len - 1]))
        out[--len] = '\0';
}

void stimulus_read(const struct offline_model *m, const char *text, struct stimulus_reading *out)
{
    memset(out, 0, sizeof(*out));
    const struct offline_data *d = m->data;
    out->topics = xcalloc(d->n_topics ? d->n_topics : 1, sizeof(double));
    struct words ws;
    words_init(&ws, text);
    topics_count(m, &ws, out->topics);
    for (size_t t = 0; t < d->n_topics; t++)
        out->topic_hits += out->topics[t];
    if (out->topic_hits > 0)
        for (size_t t = 0; t < d->n_topics; t++)
            out->topics[t] /= out->topic_hits;
    out->lang = text_language(&ws);
    out->hype = phrase_set_count(m->word_sets[WORDS_HYPE], &ws);
    int pos = phrase_set_count(m->word_sets[WORDS_POSITIVE], &ws);
    int neg = phrase_set_count(m->word_sets[WORDS_NEGATIVE], &ws);
    out->jargon = phrase_set_count(m->word_sets[WORDS_JARGON], &ws);
    out->required = phrase_set_count(m->word_sets[WORDS_REQUIRED], &ws);
    out->tone = (double)(pos - neg) / (double)(pos + neg + 1);
    static const char *const novel[] = {
        "new",  "first",      "launch*", "introducing", "novo",
        "nova", "lançamento", "inédit*", "primeir*",    "brand new"
    };
    for (size_t i = 0; i < ARRAY_SIZE(novel) && !out->novelty; i++)
        out->novelty = words_contain(&ws, novel[i]);
    out->chars = strlen(text ? text : "");
    read_price(text ? text : "", ws.lower, out);
    read_product(text ? text : "", out->product, sizeof(out->product));
    words_release(&ws);
}

void stimulus_reading_release(struct stimulus_reading *r)
{
    FREE_AND_NULL(r->topics);
}

/* ---- personas
 * ------------------------------------------------------------------------------------- */

/* Adds weight x (topic hits of text) to affinity. */
static void add_affinity(const struct offline_model *m, const char *text, double weight,
                         double *affinity, double *scratch)
{
    size_t n = m->data->n_topics;
    memset(scratch, 0, n * sizeof(double));
    struct words ws;
    words_init(&ws, text);
    topics_count(m, &ws, scratch);
    words_release(&ws);
    for (size_t t = 0; t < n; t++)
        if (scratch[t] > 0)
            affinity[t] += weight;
}

static void add_list(const struct offline_model *m, const struct strlist *l, double weight,
                     double *affinity, double *scratch)
{
    for (size_t i = 0; i < l->n; i++)
        add_affinity(m, l->items[i], weight, affinity, scratch);
}

static double level_value(enum big5_level l)
{
    switch (l) {
    case BIG5_LOW:
        return 0.2;
    case BIG5_MEDIUM:
        return 0.5;
    case BIG5_HIGH:
        return 0.8;
    case BIG5_UNSET:
        break;
    }
    return 0.5;
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* Big Five from the persona's levels, or derived from its trait words. */
static void read_big5(const struct offline_model *m, const struct persona *p, double *out)
{
    for (int d = 0; d < BIG5_COUNT_; d++)
        out[d] = level_value(p->big5[d]);
    for (size_t i = 0; i < p->traits.n; i++) {
        for (size_t k = 0; k < m->data->n_traits; k++) {
            const struct offline_trait *tr = &m->data->traits[k];
            if (p->big5[tr->dimension] == BIG5_UNSET &&
                strcasecmp(tr->word, p->traits.items[i]) == 0)
                out[tr->dimension] = clamp01(out[tr->dimension] + 0.2 * tr->sign);
        }
    }
}

static double income_sensitivity(enum income_level l)
{
    switch (l) {
    case INCOME_LOW:
        return 0.95;
    case INCOME_LOWER_MIDDLE:
        return 0.8;
    case INCOME_MIDDLE:
        return 0.6;
    case INCOME_UPPER_MIDDLE:
        return 0.4;
    case INCOME_HIGH:
        return 0.2;
    case INCOME_UNSET:
        break;
    }
    return 0.6;
}

void persona_read(const struct offline_model *m, const struct persona *p,
                  struct persona_reading *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = m->data->n_topics;
    out->affinity = xcalloc(n ? n : 1, sizeof(double));
    double *scratch = xcalloc(n ? n : 1, sizeof(double));
    add_list(m, &p->interests, 1.0, out->affinity, scratch);
    add_list(m, &p->likes, 0.8, out->affinity, scratch);
    add_list(m, &p->dislikes, -0.9, out->affinity, scratch);
    add_list(m, &p->values, 0.3, out->affinity, scratch);
    add_list(m, &p->skills, 0.3, out->affinity, scratch);
    add_list(m, &p->long_term_goals, 0.3, out->affinity, scratch);
    add_list(m, &p->beliefs, 0.2, out->affinity, scratch);
    if (p->occupation_title)
        add_affinity(m, p->occupation_title, 0.4, out->affinity, scratch);
    if (p->occupation_description)
        add_affinity(m, p->occupation_description, 0.2, out->affinity, scratch);
    for (size_t t = 0; t < n; t++)
        out->affinity[t] = tanh(out->affinity[t]);
    free(scratch);

    read_big5(m, p, out->big5);
    double o = out->big5[BIG5_OPENNESS], c = out->big5[BIG5_CONSCIENTIOUSNESS];
    double a = out->big5[BIG5_AGREEABLENESS];
    out->price_sensitivity = income_sensitivity(p->income);
    for (size_t i = 0; i < p->values.n; i++) {
        static const char *const thrift[] = { "thrift",   "frugal", "saving",
                                              "economia", "poupar", "budget" };
        for (size_t k = 0; k < ARRAY_SIZE(thrift); k++)
            if (strcasestr(p->values.items[i], thrift[k]))
                out->price_sensitivity = clamp01(out->price_sensitivity + 0.1);
    }
    double older = p->age > 55 ? 0.15 : p->age > 0 && p->age < 30 ? -0.1 : 0;
    out->scepticism = clamp01(0.45 * c + 0.45 * (1 - a) + older);
    const struct offline_topic *tech = offline_topic_find(m->data, "technology");
    double tech_aff = tech ? out->affinity[tech - m->data->topics] : 0;
    double youth = p->age > 0 ? clamp01((75.0 - p->age) / 55.0) : 0.5;
    out->tech_comfort = clamp01(0.35 * youth + 0.3 * o + 0.35 * (tech_aff + 1) / 2);

    struct prng r;
    prng_seed(&r, prng_mix(0x9e3779b97f4a7c15ull, p->name));
    out->leniency = 0.3 * prng_normal(&r);
    out->lang = offline_lang(p->language);
}

void persona_reading_release(struct persona_reading *r)
{
    FREE_AND_NULL(r->affinity);
}

const char *persona_words_for(const struct offline_model *m, const struct persona *p, size_t topic,
                              int sign)
{
    const struct strlist *lists[2];
    size_t n_lists = 0;
    if (sign > 0) {
        lists[n_lists++] = &p->interests;
        lists[n_lists++] = &p->likes;
    } else {
        lists[n_lists++] = &p->dislikes;
    }
    double *hits = xcalloc(m->data->n_topics ? m->data->n_topics : 1, sizeof(double));
    const char *found = NULL;
    for (size_t l = 0; l < n_lists && !found; l++) {
        for (size_t i = 0; i < lists[l]->n && !found; i++) {
            memset(hits, 0, m->data->n_topics * sizeof(double));
            struct words ws;
            words_init(&ws, lists[l]->items[i]);
            topics_count(m, &ws, hits);
            words_release(&ws);
            if (hits[topic] > 0)
                found = lists[l]->items[i];
        }
    }
    free(hits);
    return found;
}

/* ---- the model
 * ----------------------------------------------------------------------------------- */

struct offline_model *offline_model_new(struct offline_data *data)
{
    struct offline_model *m = xcalloc(1, sizeof(*m));
    m->data = data;
    m->topics = phrase_set_new();
    for (size_t t = 0; t < data->n_topics; t++)
        for (int l = 0; l < OFFLINE_N_LANGS; l++)
            for (size_t k = 0; k < data->topics[t].keywords[l].n; k++)
                phrase_set_add(m->topics, data->topics[t].keywords[l].items[k], t);
    for (int w = 0; w < WORDS_COUNT_; w++) {
        m->word_sets[w] = phrase_set_new();
        for (int l = 0; l < OFFLINE_N_LANGS; l++)
            for (size_t k = 0; k < data->words[w][l].n; k++)
                phrase_set_add(m->word_sets[w], data->words[w][l].items[k], 0);
    }
    for (int l = 0; l < OFFLINE_N_LANGS; l++) {
        m->topic_label[l] = xcalloc(data->n_topics ? data->n_topics : 1, sizeof(char *));
        for (size_t t = 0; t < data->n_topics; t++) {
            const struct strlist *kw = &data->topics[t].keywords[l];
            /* the first keyword that is a plain word names the topic in that language */
            const char *label = data->topics[t].name;
            for (size_t k = 0; k < kw->n; k++) {
                if (!strchr(kw->items[k], '*')) {
                    label = kw->items[k];
                    break;
                }
            }
            m->topic_label[l][t] = xstrdup(label);
        }
    }
    return m;
}

enum err_code offline_model_load(const char *data_dir, struct offline_model **out, struct err *err)
{
    *out = NULL;
    struct offline_data *d = NULL;
    enum err_code rc = offline_data_load(data_dir, &d, err);
    if (!rc)
        *out = offline_model_new(d);
    return rc;
}

void offline_model_free(struct offline_model *m)
{
    if (!m)
        return;
    for (int l = 0; l < OFFLINE_N_LANGS; l++) {
        for (size_t t = 0; m->topic_label[l] && t < m->data->n_topics; t++)
            free(m->topic_label[l][t]);
        free(m->topic_label[l]);
    }
    phrase_set_free(m->topics);
    for (int w = 0; w < WORDS_COUNT_; w++)
        phrase_set_free(m->word_sets[w]);
    offline_data_free(m->data);
    free(m);
}

const char *topic_label(const struct offline_model *m, size_t t, int lang)
{
    if (t >= m->data->n_topics)
        return "";
    return m->topic_label[lang][t];
}
