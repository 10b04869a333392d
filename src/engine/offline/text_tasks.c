/*
 * engine/offline/text_tasks.c - the offline model's text tasks (ENGINE.md 6:
 * "consolidation, extraction, validation, normalisation, insights ... from
 * the built-in tables, extractive summaries and keyword clustering"):
 * consolidate, extract, validate, proposition, normalize and insights.
 *
 * Nothing here is invented. Memories condense the episode's own events;
 * extracted values are copied from the transcript, and a field it does not
 * answer is null; claims are judged on the lines that mention them; themes
 * group the answers by topic keywords and tone; and every number an
 * insights text states is copied, as written, from the aggregates' text
 * (a number that cannot be found there is left out, never reformatted).
 *
 * Each function returns a new JSON value (the model's wire output) that
 * satisfies task_schema() and task_validate() of its task. The generator
 * only chooses among phrase alternatives, so the same generator state
 * gives the same bytes. Reentrant: the model is read-only.
 */
#include "core/compat.h"

#include "engine/offline/model.h"

#include <ctype.h>
#include <math.h>

#include "core/jsonio.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define MEMORIES_MAX  6    /* ENGINE.md 3.1: an episode becomes at most six memories */
#define EXCERPT_CHARS 160  /* characters of an event kept in a memory */
#define VALUE_CHARS   300  /* characters of an extracted string */
#define QUOTE_CHARS   200  /* characters of a line quoted in a justification */
#define LABEL_CHARS   80   /* longest label from the aggregates quoted in insights */
#define ITEM_CHARS    80   /* longest item of an extracted list */
#define OUT_BYTES     3800 /* bytes of one answer string (the schemas allow 4000 characters) */
#define NEG_WINDOW    3    /* words before a word that a negation reaches */
#define FACTS_MAX     64   /* facts collected from the aggregates */
#define WALK_DEPTH    12   /* levels of the aggregates walked */

#define EN OFFLINE_LANG_EN
#define PT OFFLINE_LANG_PT

/* ---- small text helpers -------------------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The answer's language: the one asked for, else the one sample is written in. */
static int answer_lang(const char *language, const char *sample)
{
    if (language && *language)
        return offline_lang(language);
    struct words ws;
    words_init(&ws, sample);
    int lang = text_language(&ws);
    words_release(&ws);
    return lang;
}

/* A JSON string of b's text, cut to OUT_BYTES on a character boundary. */
static json_t *buf_json(const struct buf *b)
{
    return jsonio_string(b->data, utf8_cut(b->data, b->len, OUT_BYTES));
}

/* Strips spaces, quotes and bullets from both ends and closing punctuation from the end. */
static struct span trim_text(struct span s)
{
    static const char *const edges[] = { "\"",           "'", "\xe2\x80\x9c", "\xe2\x80\x9d",
                                         "\xe2\x80\x94", "*", "\xe2\x80\xa2" };
    bool again = true;
    while (again && s.len) {
        again = false;
        while (s.len && is_space(s.ptr[0])) {
            s.ptr++;
            s.len--;
        }
        while (s.len && (is_space(s.ptr[s.len - 1]) || strchr(".,;:!?", s.ptr[s.len - 1]))) {
            s.len--;
            again = true;
        }
        if (s.len >= 2 && s.ptr[0] == '-' && s.ptr[1] == ' ') {
            s.ptr += 2; /* a bullet; "-3" keeps its sign */
            s.len -= 2;
            again = true;
        }
        for (size_t i = 0; i < ARRAY_SIZE(edges); i++) {
            size_t n = strlen(edges[i]);
            if (s.len >= n && memcmp(s.ptr, edges[i], n) == 0) {
                s.ptr += n;
                s.len -= n;
                again = true;
            }
            if (s.len >= n && memcmp(s.ptr + s.len - n, edges[i], n) == 0) {
                s.len -= n;
                again = true;
            }
        }
    }
    return s;
}

/*
 * Where the first sentence of s[0..n) ends: just after a '.', '!', '?' or
 * ';' followed by a space, a quote or the end (so "49.90" does not end
 * one), or at a line break.
 */
static size_t sentence_end(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n' || c == '\r')
            return i;
        if (strchr(".!?;", c) && c != '\0' &&
            (i + 1 == n || is_space(s[i + 1]) || s[i + 1] == '"' || s[i + 1] == '\xe2'))
            return i + 1;
    }
    return n;
}

/* Appends s, cut to max_chars characters on a word boundary (an ellipsis marks a cut). */
static void add_cut(struct buf *out, struct span s, size_t max_chars)
{
    if (utf8_chars(s.ptr, s.len) <= max_chars) {
        buf_add(out, s.ptr, s.len);
        return;
    }
    size_t n = utf8_prefix(s.ptr, s.len, max_chars);
    size_t space = n;
    while (space > 0 && !is_space(s.ptr[space]))
        space--;
    if (space > n / 2)
        n = space;
    struct span cut = trim_text(span_make(s.ptr, n));
    buf_add(out, cut.ptr, cut.len);
    buf_adds(out, "\xe2\x80\xa6");
}

/* Appends the first clause (sentence) of text, trimmed and cut to max_chars characters. */
static void add_clause(struct buf *out, const char *text, size_t max_chars)
{
    struct span s = span_cstr(text);
    while (s.len && is_space(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    s.len = sentence_end(s.ptr, s.len);
    add_cut(out, trim_text(s), max_chars);
}

/* ---- words, negations, stopwords, tone ----------------------------------------------- */

/* The first word index >= from where kw matches, or ws->n. */
static size_t kw_find(const struct words *ws, const char *kw, size_t from)
{
    for (size_t i = from; i < ws->n; i++)
        if (words_match_at(ws, i, kw))
            return i;
    return ws->n;
}

static bool span_in(struct span w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (span_eq_cstr(w, list[i]))
            return true;
    return false;
}

/* Is w a negation? ("no" only in English: in Portuguese it is "in the".) */
static bool is_negation(struct span w, int lang)
{
    static const char *const neg[] = {
        "not",  "never",  "nor",    "cannot", "neither", "nobody",  "nothing", "none",     "t",
        "dont", "doesnt", "didnt",  "wont",   "wouldnt", "cant",    "isnt",    "arent",    "wasnt",
        "não",  "nunca",  "jamais", "nem",    "nenhum",  "nenhuma", "ninguém", "tampouco",
    };
    if (span_in(w, neg, ARRAY_SIZE(neg)))
        return true;
    if (lang == EN && (span_eq_cstr(w, "no") || span_eq_cstr(w, "nope")))
        return true;
    return span_ends_with(w, "n\xe2\x80\x99t"); /* "don’t" is one word */
}

/* Is there a sentence boundary (. ! ? ;) between words a and b (a < b) of ws? */
static bool boundary_between(const struct words *ws, size_t a, size_t b)
{
    const char *p = ws->w[a].ptr + ws->w[a].len;
    const char *end = ws->w[b].ptr;
    for (; p < end; p++)
        if (strchr(".!?;\n", *p))
            return true;
    return false;
}

/* Is word i of ws negated by one of the NEG_WINDOW words before it, in its sentence? */
static bool negated_at(const struct words *ws, size_t i, int lang)
{
    for (size_t k = 1; k <= NEG_WINDOW && k <= i; k++) {
        if (boundary_between(ws, i - k, i - k + 1))
            return false;
        if (is_negation(ws->w[i - k], lang))
            return true;
    }
    return false;
}

static bool is_stopword(struct span w)
{
    static const char *const en[] = {
        "a",         "an",       "the",        "and",    "or",     "but",     "if",      "of",
        "to",        "in",       "on",         "at",     "by",     "for",     "with",    "about",
        "as",        "is",       "are",        "was",    "were",   "be",      "been",    "being",
        "am",        "do",       "does",       "did",    "has",    "have",    "had",     "it",
        "its",       "this",     "that",       "these",  "those",  "i",       "me",      "my",
        "we",        "our",      "you",        "your",   "he",     "him",     "his",     "she",
        "her",       "they",     "them",       "their",  "what",   "which",   "who",     "whom",
        "how",       "when",     "where",      "why",    "would",  "will",    "should",  "could",
        "can",       "may",      "might",      "must",   "shall",  "from",    "into",    "than",
        "then",      "so",       "too",        "very",   "just",   "also",    "there",   "here",
        "some",      "any",      "all",        "each",   "more",   "most",    "other",   "such",
        "only",      "own",      "same",       "s",      "up",     "out",     "per",     "person",
        "persona",   "people",   "respondent", "says",   "say",    "said",    "whether", "thinks",
        "think",     "feels",    "feel",       "really", "quite",  "much",    "many",    "one",
        "ll",        "ve",       "re",         "d",      "m",      "yes",     "no",      "not",
        "never",     "user",     "customer",   "field",  "find",   "finds",   "found",   "believes",
        "considers", "consider", "seems",      "seem",   "don",    "doesn",   "didn",    "won",
        "wouldn",    "isn",      "aren",       "wasn",   "couldn", "shouldn", "haven",   "hasn"
    };
    static const char *const pt[] = {
        "o",        "os",     "as",     "um",      "uma",     "uns",    "umas",   "de",
        "do",       "da",     "dos",    "das",     "em",      "no",     "na",     "nos",
        "nas",      "por",    "pelo",   "pela",    "pelos",   "pelas",  "para",   "pra",
        "com",      "sem",    "e",      "ou",      "mas",     "se",     "que",    "é",
        "são",      "foi",    "era",    "ser",     "está",    "estão",  "estar",  "tem",
        "têm",      "ter",    "eu",     "meu",     "minha",   "meus",   "minhas", "você",
        "vocês",    "ele",    "ela",    "eles",    "elas",    "nós",    "isso",   "isto",
        "esse",     "essa",   "este",   "esta",    "aquele",  "aquela", "muito",  "muita",
        "mais",     "menos",  "também", "já",      "como",    "quando", "onde",   "qual",
        "quais",    "quem",   "seu",    "sua",     "seus",    "suas",   "lhe",    "me",
        "te",       "ao",     "aos",    "à",       "às",      "pessoa", "diz",    "disse",
        "acha",     "sim",    "não",    "nunca",   "nem",     "bem",    "vai",    "há",
        "sobre",    "entre",  "até",    "cliente", "usuário", "campo",  "achou",  "considera",
        "acredita", "parece", "demais"
    };
    return span_in(w, en, ARRAY_SIZE(en)) || span_in(w, pt, ARRAY_SIZE(pt));
}

/*
 * Writes into out (n bytes) the keyword for a content word: a light stem
 * of the word ("prices" -> "pric*", "gostou" -> "gost*") with '*' when the
 * stem keeps at least four bytes, else the word itself.
 */
static void stem_keyword(struct span w, char *out, size_t n)
{
    size_t len = w.len;
    if (len >= 6 && span_ends_with(w, "ing"))
        len -= 3;
    else if (len >= 6 && span_ends_with(w, "ed"))
        len -= 2;
    else if (len >= 4 && w.ptr[len - 1] == 's' && w.ptr[len - 2] != 's')
        len -= 1;
    if (len >= 5 && strchr("aeo", w.ptr[len - 1]))
        len -= 1;
    if (len >= 4)
        snprintf(out, n, "%.*s*", (int)len, w.ptr);
    else
        snprintf(out, n, "%.*s", (int)w.len, w.ptr);
}

/* Adds to out the keywords of text's content words (no stopwords, negations or duplicates). */
static void content_keywords(const char *text, struct strlist *out)
{
    struct words ws;
    words_init(&ws, text);
    for (size_t i = 0; i < ws.n; i++) {
        struct span w = ws.w[i];
        if (w.len < 2 || w.len > 40 || is_stopword(w) || is_negation(w, EN))
            continue;
        char kw[48];
        stem_keyword(w, kw, sizeof(kw));
        bool seen = false;
        for (size_t k = 0; k < out->n && !seen; k++)
            seen = strcmp(out->items[k], kw) == 0;
        if (!seen)
            strlist_add(out, kw);
    }
    words_release(&ws);
}

/* Is w the keyword (one plain word) with an "s" ("hates", "loves")? */
static bool plural_of(struct span w, const char *kw)
{
    size_t n = strlen(kw);
    return w.len == n + 1 && w.ptr[n] == 's' && memcmp(w.ptr, kw, n) == 0 && !strpbrk(kw, " *");
}

/*
 * Counts the tone words of ws (both languages' lists) into *pos and *neg;
 * a tone word under a negation counts for the other side ("not good").
 */
static void tone_count(const struct offline_model *m, const struct words *ws, int lang, int *pos,
                       int *neg)
{
    *pos = *neg = 0;
    for (size_t i = 0; i < ws->n; i++) {
        for (int kind = 0; kind < 2; kind++) {
            enum offline_wordkind wk = kind == 0 ? WORDS_POSITIVE : WORDS_NEGATIVE;
            bool hit = false;
            for (int l = 0; l < OFFLINE_N_LANGS && !hit; l++) {
                const struct strlist *list = &m->data->words[wk][l];
                for (size_t k = 0; k < list->n && !hit; k++)
                    hit = words_match_at(ws, i, list->items[k]) > 0 ||
                          plural_of(ws->w[i], list->items[k]);
            }
            if (!hit)
                continue;
            bool positive = (kind == 0) != negated_at(ws, i, lang);
            if (positive)
                (*pos)++;
            else
                (*neg)++;
            break;
        }
    }
}

enum sentiment { SENT_POSITIVE, SENT_NEGATIVE, SENT_NEUTRAL, SENT_COUNT_ };

static enum sentiment sentiment_of(const struct offline_model *m, const struct words *ws, int lang)
{
    int pos, neg;
    tone_count(m, ws, lang, &pos, &neg);
    return pos > neg ? SENT_POSITIVE : neg > pos ? SENT_NEGATIVE : SENT_NEUTRAL;
}

/* ---- consolidate --------------------------------------------------------------------- */

enum event_kind { EV_SAW, EV_HEARD, EV_SAID, EV_THOUGHT, EV_FELT, EV_DID, EV_OTHER };

static const struct {
    const char *tag;
    enum event_kind kind;
} event_tags[] = {
    { "SAW", EV_SAW },   { "SEEN", EV_SAW },    { "HEARD", EV_HEARD },
    { "SAID", EV_SAID }, { "TALKED", EV_SAID }, { "THOUGHT", EV_THOUGHT },
    { "FELT", EV_FELT }, { "DID", EV_DID },     { "REACHED_OUT", EV_DID },
};

struct event {
    enum event_kind kind;
    size_t index;       /* in the episode */
    char who[64];       /* HEARD <who>: the speaker */
    struct buf excerpt; /* the first clause */
    struct words ws;    /* of the excerpt: duplicates */
    double salience;
};

/*
 * Splits the engine's prefix off an event ("HEARD Ana: ...", "SAW: ...").
 * Returns the kind and sets *body after the prefix; an event without one is
 * EV_OTHER with its whole text. An unknown upper-case tag is dropped too.
 */
static enum event_kind event_parse(const char *s, const char **body, char *who, size_t n_who)
{
    who[0] = '\0';
    while (is_space(*s))
        s++;
    *body = s;
    size_t tag = 0;
    while ((s[tag] >= 'A' && s[tag] <= 'Z') || s[tag] == '_')
        tag++;
    if (tag < 2)
        return EV_OTHER;
    const char *p = s + tag;
    const char *colon = NULL;
    if (*p == ':') {
        colon = p;
    } else if (*p == ' ') {
        const char *c = strchr(p, ':');
        const char *nl = strchr(p, '\n');
        if (c && c - p <= 80 && (!nl || nl > c))
            colon = c;
    }
    if (!colon)
        return EV_OTHER;
    struct span w = trim_text(span_make(p, (size_t)(colon - p)));
    snprintf(who, n_who, "%.*s", (int)w.len, w.ptr);
    *body = colon + 1;
    for (size_t i = 0; i < ARRAY_SIZE(event_tags); i++)
        if (strlen(event_tags[i].tag) == tag && memcmp(event_tags[i].tag, s, tag) == 0)
            return event_tags[i].kind;
    if (tag < 4) {
        /* "TV: ..." is text, not a tag */
        who[0] = '\0';
        *body = s;
    }
    return EV_OTHER;
}

/* Capitalised words that do not start a sentence: names of people, products, places. */
static int count_names(const char *text)
{
    int n = 0;
    bool sentence_start = true;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool word_start = p == text || is_space(p[-1]) || p[-1] == '"' || p[-1] == '(';
        bool upper = (c >= 'A' && c <= 'Z') ||
                     (c == 0xc3 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9e);
        if (word_start && upper && !sentence_start && !(c == 'I' && !isalpha((unsigned char)p[1])))
            n++;
        if (!is_space(*p))
            sentence_start = strchr(".!?:\n", *p) != NULL;
    }
    return n;
}

static double event_salience(const struct offline_model *m, const struct event *e, const char *body,
                             size_t n_events)
{
    struct stimulus_reading sr;
    stimulus_read(m, body, &sr);
    double s = 0;
    if (e->index == 0)
        s += 3;
    if (e->index + 1 == n_events)
        s += 3.5;
    s += 3 * fabs(sr.tone);
    if (sr.has_price)
        s += 2.5;
    s += 0.4 * (sr.topic_hits > 3 ? 3 : sr.topic_hits);
    s += sr.hype > 0 ? 0.3 : 0;
    int names = count_names(body);
    s += 0.7 * (names > 3 ? 3 : names);
    static const double kind_weight[] = {
        [EV_SAW] = 0.5,  [EV_HEARD] = 0.8, [EV_SAID] = 1.0,  [EV_THOUGHT] = 0.6,
        [EV_FELT] = 1.5, [EV_DID] = 1.0,   [EV_OTHER] = 0.4,
    };
    s += kind_weight[e->kind];
    stimulus_reading_release(&sr);
    return s;
}

/* Word-set Jaccard similarity of two excerpts. */
static double jaccard(const struct words *a, const struct words *b)
{
    if (!a->n || !b->n)
        return a->n == b->n ? 1 : 0;
    size_t common = 0;
    for (size_t i = 0; i < a->n; i++) {
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = span_eq(a->w[k], a->w[i]);
        if (dup)
            continue;
        for (size_t j = 0; j < b->n; j++) {
            if (span_eq(a->w[i], b->w[j])) {
                common++;
                break;
            }
        }
    }
    size_t ua = 0, ub = 0;
    for (size_t i = 0; i < a->n; i++) {
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = span_eq(a->w[k], a->w[i]);
        ua += !dup;
    }
    for (size_t i = 0; i < b->n; i++) {
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = span_eq(b->w[k], b->w[i]);
        ub += !dup;
    }
    return (double)common / (double)(ua + ub - common);
}

/* One memory in the first person: the event's excerpt in its kind's phrase. */
static void compose_memory(const struct offline_model *m, const struct event *e, int lang,
                           struct prng *r, struct buf *out)
{
    const char *key = "memory.learned";
    struct buf value;
    buf_init(&value, 1024);
    switch (e->kind) {
    case EV_SAW:
        key = "memory.saw";
        buf_add(&value, e->excerpt.data, e->excerpt.len);
        break;
    case EV_SAID:
        key = "memory.said";
        buf_add(&value, e->excerpt.data, e->excerpt.len);
        break;
    case EV_DID:
        /* no phrase key for actions: a plain first-person frame */
        buf_adds(out, lang == PT ? "Uma coisa que eu fiz: " : "Something I did: ");
        buf_add(out, e->excerpt.data, e->excerpt.len);
        buf_addch(out, '.');
        buf_release(&value);
        return;
    case EV_FELT:
        key = "memory.felt";
        buf_add(&value, e->excerpt.data, e->excerpt.len);
        break;
    case EV_HEARD:
        if (e->who[0])
            buf_addf(&value,
                     lang == PT ? "%s disse \xe2\x80\x9c%s\xe2\x80\x9d"
                                : "%s said \xe2\x80\x9c%s\xe2\x80\x9d",
                     e->who, e->excerpt.data);
        else
            buf_add(&value, e->excerpt.data, e->excerpt.len);
        break;
    case EV_THOUGHT:
    case EV_OTHER:
        buf_add(&value, e->excerpt.data, e->excerpt.len);
        break;
    }
    struct phrase_vars v = { .value = value.data };
    compose(m, key, lang, &v, r, out);
    if (out->len == 0)
        buf_add(out, value.data, value.len);
    buf_release(&value);
}

json_t *offline_consolidate(const struct offline_model *m, const struct consolidate_input *in,
                            struct prng *r)
{
    size_t n = in->events.n;
    struct buf all;
    buf_init(&all, 1 << 20);
    for (size_t i = 0; i < n; i++) {
        buf_adds(&all, in->events.items[i]);
        buf_addch(&all, '\n');
    }
    int lang = answer_lang(in->language, all.data);
    buf_release(&all);

    struct event *ev = xcalloc(n ? n : 1, sizeof(*ev));
    size_t n_ev = 0;
    for (size_t i = 0; i < n; i++) {
        struct event *e = &ev[n_ev];
        const char *body;
        e->kind = event_parse(in->events.items[i], &body, e->who, sizeof(e->who));
        e->index = i;
        buf_init(&e->excerpt, 4096);
        add_clause(&e->excerpt, body, EXCERPT_CHARS);
        words_init(&e->ws, e->excerpt.data);
        if (e->ws.n == 0) {
            buf_release(&e->excerpt);
            words_release(&e->ws);
            continue;
        }
        e->salience = event_salience(m, e, body, n);
        n_ev++;
    }

    /* the most salient events, no two alike; ties go to the earlier event */
    size_t *order = xcalloc(n_ev ? n_ev : 1, sizeof(*order));
    for (size_t i = 0; i < n_ev; i++)
        order[i] = i;
    for (size_t i = 1; i < n_ev; i++) {
        size_t x = order[i], j = i;
        while (j > 0 && ev[order[j - 1]].salience < ev[x].salience) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    bool *chosen = xcalloc(n_ev ? n_ev : 1, sizeof(*chosen));
    size_t n_chosen = 0;
    for (size_t k = 0; k < n_ev && n_chosen < MEMORIES_MAX; k++) {
        size_t i = order[k];
        bool dup = false;
        for (size_t j = 0; j < n_ev && !dup; j++)
            dup = chosen[j] && jaccard(&ev[i].ws, &ev[j].ws) >= 0.7;
        if (!dup) {
            chosen[i] = true;
            n_chosen++;
        }
    }

    json_t *memories = json_array();
    struct buf b;
    buf_init(&b, 1 << 14);
    for (size_t i = 0; i < n_ev; i++) {
        if (!chosen[i])
            continue;
        buf_reset(&b);
        compose_memory(m, &ev[i], lang, r, &b);
        json_array_append_new(memories, buf_json(&b));
    }
    if (json_array_size(memories) == 0)
        json_array_append_new(memories,
                              json_string(lang == PT ? "Nada de especial aconteceu."
                                                     : "Nothing in particular happened."));
    buf_release(&b);
    for (size_t i = 0; i < n_ev; i++) {
        buf_release(&ev[i].excerpt);
        words_release(&ev[i].ws);
    }
    free(chosen);
    free(order);
    free(ev);
    json_t *answer = json_object();
    jsonio_set_new(answer, "memories", memories);
    return answer;
}

/* ---- extract ------------------------------------------------------------------------- */

/* A sentence of the transcript: the unit evidence is looked for in. */
struct sentence {
    size_t line;   /* index of its utterance */
    struct span s; /* in the utterance's text */
    bool asks;     /* a question, or said by someone who mostly asks: a prompt, not an answer */
};

struct sentences {
    struct sentence *items;
    size_t n, alloc;
};

static bool is_question(struct span s)
{
    while (s.len && is_space(s.ptr[s.len - 1]))
        s.len--;
    return s.len && s.ptr[s.len - 1] == '?';
}

static bool same_speaker(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Do most of the speaker's lines hold a question (an interviewer, a moderator)? */
static bool mostly_asks(const struct transcript *t, const char *speaker)
{
    size_t lines = 0, asks = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!same_speaker(t->lines[i].speaker, speaker))
            continue;
        lines++;
        asks += t->lines[i].text && strchr(t->lines[i].text, '?') != NULL;
    }
    return lines && asks * 2 > lines;
}

static void split_sentences(const struct transcript *t, struct sentences *out)
{
    for (size_t l = 0; l < t->n; l++) {
        bool asker = mostly_asks(t, t->lines[l].speaker);
        const char *text = t->lines[l].text ? t->lines[l].text : "";
        struct span rest = span_cstr(text);
        while (rest.len) {
            size_t end = sentence_end(rest.ptr, rest.len);
            struct span s = span_make(rest.ptr, end);
            while (end < rest.len && is_space(rest.ptr[end]))
                end++;
            rest = span_make(rest.ptr + end, rest.len - end);
            if (end == 0) {
                rest = span_make(rest.ptr + 1, rest.len ? rest.len - 1 : 0);
                continue;
            }
            struct span trimmed = span_trim(s);
            if (!trimmed.len)
                continue;
            ALLOC_GROW(out->items, out->n + 1, out->alloc);
            out->items[out->n++] = (struct sentence){ l, trimmed, asker || is_question(trimmed) };
        }
    }
}

/* The keywords of a field: its name's words (weight 2) and its description's (weight 1). */
struct field_keys {
    struct strlist name, desc;
};

static void field_keys_init(struct field_keys *fk, const struct extract_field *f)
{
    memset(fk, 0, sizeof(*fk));
    /* "monthlyBudget", "monthly_budget" -> "monthly budget" */
    struct buf name;
    buf_init(&name, 1024);
    for (const char *p = f->name ? f->name : ""; *p; p++) {
        if (*p == '_' || *p == '-' || *p == '.') {
            buf_addch(&name, ' ');
        } else if (*p >= 'A' && *p <= 'Z' && p != f->name && p[-1] >= 'a' && p[-1] <= 'z') {
            buf_addch(&name, ' ');
            buf_addch(&name, *p);
        } else {
            buf_addch(&name, *p);
        }
    }
    content_keywords(name.data, &fk->name);
    buf_release(&name);
    struct strlist desc = { 0 };
    content_keywords(f->description ? f->description : "", &desc);
    for (size_t i = 0; i < desc.n; i++)
        if (!strlist_has(&fk->name, desc.items[i]))
            strlist_add(&fk->desc, desc.items[i]);
    strlist_release(&desc);
}

static void field_keys_release(struct field_keys *fk)
{
    strlist_release(&fk->name);
    strlist_release(&fk->desc);
}

/* The evidence found for a field: its best sentence and where its keywords end. */
struct evidence {
    const struct sentence *sent;
    size_t after_kw; /* bytes into sent->s just past the furthest keyword found */
    int score;
};

static void find_evidence(const struct sentences *ss, const struct field_keys *fk,
                          struct evidence *best)
{
    memset(best, 0, sizeof(*best));
    bool best_question = true;
    for (size_t i = 0; i < ss->n; i++) {
        char *copy = xmemdupz(ss->items[i].s.ptr, ss->items[i].s.len);
        struct words ws;
        words_init(&ws, copy);
        int score = 0;
        size_t last_end = 0; /* bytes into the sentence past the furthest keyword */
        for (int pass = 0; pass < 2; pass++) {
            const struct strlist *kws = pass == 0 ? &fk->name : &fk->desc;
            for (size_t k = 0; k < kws->n; k++) {
                size_t at = kw_find(&ws, kws->items[k], 0);
                if (at == ws.n)
                    continue;
                score += pass == 0 ? 2 : 1;
                const struct span w = ws.w[at + words_match_at(&ws, at, kws->items[k]) - 1];
                size_t end = (size_t)(w.ptr + w.len - ws.lower);
                last_end = end > last_end ? end : last_end;
            }
        }
        bool question = ss->items[i].asks;
        bool better = score > best->score ||
                      (score == best->score && score > 0 && best_question && !question);
        if (better) {
            best->sent = &ss->items[i];
            best->score = score;
            best_question = question;
            best->after_kw = last_end;
        }
        words_release(&ws);
        free(copy);
    }
}

/* The first sentence of the line after the sentence's line, or an empty span. */
static struct span next_answer(const struct sentences *ss, const struct sentence *s)
{
    for (size_t i = 0; i < ss->n; i++)
        if (ss->items[i].line == s->line + 1)
            return ss->items[i].s;
    return span_make("", 0);
}

/* The whole text of the line after the sentence's line, or an empty span. */
static struct span next_line(const struct transcript *t, const struct sentence *s)
{
    if (s->line + 1 >= t->n || !t->lines[s->line + 1].text)
        return span_make("", 0);
    return span_cstr(t->lines[s->line + 1].text);
}

/*
 * The part of a statement that holds the value: after its first ':', else
 * after the keyword and a linking verb ("my budget is ..."), else all of it.
 * *tail tells whether a part was cut off the front.
 */
static struct span value_part(struct span s, size_t after_kw, bool *tail)
{
    *tail = false;
    const char *colon = memchr(s.ptr, ':', s.len);
    if (colon && colon + 1 < s.ptr + s.len) {
        *tail = true;
        return trim_text(span_make(colon + 1, (size_t)(s.ptr + s.len - colon - 1)));
    }
    static const char *const links[] = { " is ",      " are ",      " was ",   " were ",
                                         " include ", " includes ", " é ",     " são ",
                                         " foi ",     " era ",      " inclui " };
    if (after_kw && after_kw < s.len) {
        struct span rest = span_make(s.ptr + after_kw, s.len - after_kw);
        for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
            size_t n = strlen(links[i]);
            if (rest.len > n && strncasecmp(rest.ptr, links[i], n) == 0) {
                *tail = true;
                return trim_text(span_make(rest.ptr + n, rest.len - n));
            }
        }
    }
    return trim_text(s);
}

/*
 * The first number in s ("49", "29,90", "1,234.5", "-3"): true with its
 * value in *out. A separator followed by one or two digits is a decimal
 * point; followed by three it groups thousands, as the language writes
 * them (en "1,500", pt "1.500"). Digits glued to letters ("mp3") are not
 * numbers.
 */
static bool first_number(struct span s, int lang, double *out)
{
    for (size_t i = 0; i < s.len; i++) {
        if (!is_digit(s.ptr[i]))
            continue;
        if (i > 0 && (isalpha((unsigned char)s.ptr[i - 1]) || s.ptr[i - 1] == '_')) {
            while (i < s.len && is_digit(s.ptr[i]))
                i++;
            continue;
        }
        size_t end = i;
        while (end < s.len &&
               (is_digit(s.ptr[end]) || ((s.ptr[end] == '.' || s.ptr[end] == ',') &&
                                         end + 1 < s.len && is_digit(s.ptr[end + 1]))))
            end++;
        if (end < s.len && isalpha((unsigned char)s.ptr[end]) && s.ptr[end] != 'k' &&
            s.ptr[end] != 'x') {
            i = end;
            continue;
        }
        /* the decimal separator, if any */
        size_t dec = end, n_sep = 0;
        char last_sep = 0;
        for (size_t k = i; k < end; k++) {
            if (s.ptr[k] == '.' || s.ptr[k] == ',') {
                n_sep++;
                last_sep = s.ptr[k];
                dec = k;
            }
        }
        if (n_sep > 0) {
            size_t digits = end - dec - 1;
            bool same_kind = true;
            for (size_t k = i; k < dec; k++)
                if ((s.ptr[k] == '.' || s.ptr[k] == ',') && s.ptr[k] != last_sep)
                    same_kind = false;
            bool grouping = last_sep == (lang == PT ? '.' : ',');
            if (digits == 3 && (n_sep > 1 ? same_kind : grouping))
                dec = end; /* "1,500" / "1.500.000": thousands */
        }
        char num[64];
        size_t nn = 0;
        if (i > 0 && s.ptr[i - 1] == '-' && (i == 1 || !isalnum((unsigned char)s.ptr[i - 2])))
            num[nn++] = '-';
        for (size_t k = i; k < end && nn + 2 < sizeof(num); k++) {
            if (is_digit(s.ptr[k]))
                num[nn++] = s.ptr[k];
            else if (k == dec)
                num[nn++] = '.';
        }
        num[nn] = '\0';
        *out = strtod(num, NULL);
        return true;
    }
    /* a few numbers in words */
    static const struct {
        const char *word;
        int value;
    } words_n[] = {
        { "two", 2 },     { "three", 3 }, { "four", 4 },  { "five", 5 }, { "six", 6 },
        { "seven", 7 },   { "eight", 8 }, { "nine", 9 },  { "ten", 10 }, { "eleven", 11 },
        { "twelve", 12 }, { "dois", 2 },  { "duas", 2 },  { "três", 3 }, { "quatro", 4 },
        { "cinco", 5 },   { "seis", 6 },  { "sete", 7 },  { "oito", 8 }, { "nove", 9 },
        { "dez", 10 },    { "onze", 11 }, { "doze", 12 },
    };
    char *copy = xmemdupz(s.ptr, s.len);
    struct words ws;
    words_init(&ws, copy);
    bool found = false;
    for (size_t i = 0; i < ws.n && !found; i++) {
        for (size_t k = 0; k < ARRAY_SIZE(words_n) && !found; k++) {
            if (span_eq_cstr(ws.w[i], words_n[k].word)) {
                *out = words_n[k].value;
                found = true;
            }
        }
    }
    words_release(&ws);
    free(copy);
    return found;
}

static json_t *number_json(double v)
{
    if (v == floor(v) && fabs(v) < 9e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

/* 1 for yes, 0 for no, -1 when s says neither: its earliest yes or no word decides. */
static int yes_no(struct span s, int lang)
{
    static const char *const yes[] = { "yes",        "yeah",       "yep",         "sure",
                                       "definitely", "absolutely", "of course",   "certainly",
                                       "sim",        "claro",      "com certeza", "certamente",
                                       "certeza",    "lógico",     "obviamente" };
    char *copy = xmemdupz(s.ptr, s.len);
    struct words ws;
    words_init(&ws, copy);
    int answer = -1;
    for (size_t i = 0; i < ws.n && answer < 0; i++) {
        if (is_negation(ws.w[i], lang) || span_eq_cstr(ws.w[i], "no") ||
            span_eq_cstr(ws.w[i], "nah")) {
            /* "no" is a negation in Portuguese only when it stands alone: "Não, no início" */
            if (span_eq_cstr(ws.w[i], "no") && lang == PT && ws.n > 1)
                continue;
            answer = 0;
        }
        for (size_t k = 0; k < ARRAY_SIZE(yes) && answer < 0; k++)
            if (words_match_at(&ws, i, yes[k]))
                answer = 1;
    }
    words_release(&ws);
    free(copy);
    return answer;
}

static bool in_list(struct span w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (span_eq_nocase(w, list[i]))
            return true;
    return false;
}

/* Splits text into list items at commas, semicolons, "and", "or", "e", "ou", "&". */
static void split_items(struct span text, struct strlist *out)
{
    static const char *const joins[] = { " and ", " or ", " e ", " ou ", " & ", " plus " };
    size_t start = 0;
    for (size_t i = 0; i <= text.len; i++) {
        size_t skip = 0;
        if (i == text.len)
            skip = 1;
        else if (text.ptr[i] == ',' || text.ptr[i] == ';' || text.ptr[i] == '/')
            skip = 1;
        else
            for (size_t k = 0; k < ARRAY_SIZE(joins) && !skip; k++)
                if (text.len - i >= strlen(joins[k]) &&
                    strncasecmp(text.ptr + i, joins[k], strlen(joins[k])) == 0)
                    skip = strlen(joins[k]) - 1;
        if (!skip)
            continue;
        struct span item = trim_text(span_make(text.ptr + start, i - start));
        static const char *const lead[] = { "and ", "or ", "e ", "ou ", "also ", "também " };
        for (size_t k = 0; k < ARRAY_SIZE(lead); k++) {
            size_t n = strlen(lead[k]);
            if (item.len > n && strncasecmp(item.ptr, lead[k], n) == 0)
                item = trim_text(span_make(item.ptr + n, item.len - n));
        }
        if (item.len && utf8_chars(item.ptr, item.len) <= ITEM_CHARS) {
            char *s = xmemdupz(item.ptr, item.len);
            strlist_add(out, s);
            free(s);
        }
        start = i + skip;
        i = start - 1;
    }
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    bool in = false;
    for (; *s; s++) {
        if (is_space(*s))
            in = false;
        else if (!in) {
            in = true;
            n++;
        }
    }
    return n;
}

/*
 * "I use Netflix, Spotify and Disney+": the first item of a list read from
 * a whole sentence carries the sentence's start. When it is longer than
 * the other items, drop a leading pronoun, the verb after it, and the
 * articles and prepositions before the item itself.
 */
static void trim_first_item(struct strlist *items)
{
    if (items->n < 2)
        return;
    size_t longest = 0;
    for (size_t i = 1; i < items->n; i++) {
        size_t w = count_words(items->items[i]);
        longest = w > longest ? w : longest;
    }
    const char *s = items->items[0];
    if (count_words(s) <= longest)
        return;
    static const char *const pronouns[] = { "i",     "we",      "you",     "they",      "eu",
                                            "nós",   "a gente", "my",      "our",       "meu",
                                            "minha", "mostly",  "usually", "geralmente" };
    static const char *const articles[] = { "the", "a",  "an", "to",  "of",   "some", "o",  "a",
                                            "os",  "as", "um", "uma", "de",   "do",   "da", "dos",
                                            "das", "no", "na", "em",  "with", "com" };
    const char *p = s;
    bool pronoun = false;
    for (;;) {
        size_t n = strcspn(p, " ");
        if (!p[n] || !in_list(span_make(p, n), pronouns, ARRAY_SIZE(pronouns)))
            break;
        pronoun = true;
        p += n + 1;
    }
    size_t n = strcspn(p, " ");
    if (p[n] && (pronoun || count_words(p) > longest))
        p += n + 1; /* the verb */
    for (;;) {
        n = strcspn(p, " ");
        if (!p[n] || !in_list(span_make(p, n), articles, ARRAY_SIZE(articles)))
            break;
        p += n + 1;
    }
    if (p != s && *p) {
        char *kept = xstrdup(p);
        free(items->items[0]);
        items->items[0] = kept;
    }
}

static json_t *extract_value(const struct transcript *t, const struct sentences *ss,
                             const struct extract_field *f, int lang)
{
    struct field_keys fk;
    field_keys_init(&fk, f);
    struct evidence ev;
    find_evidence(ss, &fk, &ev);
    size_t n_keys = fk.name.n + fk.desc.n;
    field_keys_release(&fk);
    if (!ev.sent || ev.score < (n_keys == 1 ? 1 : 2))
        return json_null();

    struct span s = ev.sent->s;
    bool question = ev.sent->asks;
    struct span answer = next_answer(ss, ev.sent);
    json_t *v = NULL;
    switch (f->type) {
    case EXTRACT_STRING: {
        bool tail;
        struct span part = question ? trim_text(answer) : value_part(s, ev.after_kw, &tail);
        if (part.len) {
            struct buf b;
            buf_init(&b, 4096);
            add_cut(&b, part, VALUE_CHARS);
            v = buf_json(&b);
            buf_release(&b);
        }
        break;
    }
    case EXTRACT_NUMBER: {
        double x;
        bool tail;
        if (!question && first_number(value_part(s, ev.after_kw, &tail), lang, &x))
            v = number_json(x);
        else if (!question && first_number(s, lang, &x))
            v = number_json(x);
        else if (question && first_number(next_line(t, ev.sent), lang, &x))
            v = number_json(x);
        break;
    }
    case EXTRACT_BOOLEAN: {
        int yn = yes_no(question ? answer : s, lang);
        if (yn < 0 && !question)
            yn = 1; /* a statement about the field, without a negation, affirms it */
        if (yn >= 0)
            v = json_boolean(yn == 1);
        break;
    }
    case EXTRACT_LIST: {
        bool tail = false;
        struct span part = question ? trim_text(answer) : value_part(s, ev.after_kw, &tail);
        struct strlist items = { 0 };
        split_items(part, &items);
        if (!tail)
            trim_first_item(&items);
        if (items.n) {
            v = json_array();
            for (size_t i = 0; i < items.n; i++)
                json_array_append_new(v, jsonio_string(items.items[i], strlen(items.items[i])));
        }
        strlist_release(&items);
        break;
    }
    }
    return v ? v : json_null();
}

json_t *offline_extract(const struct offline_model *m, const struct extract_input *in,
                        struct prng *r)
{
    (void)m;
    (void)r;
    struct buf all;
    buf_init(&all, 1 << 20);
    for (size_t i = 0; i < in->transcript.n; i++) {
        buf_adds(&all, in->transcript.lines[i].text ? in->transcript.lines[i].text : "");
        buf_addch(&all, '\n');
    }
    int lang = answer_lang(NULL, all.data);
    buf_release(&all);
    struct sentences ss = { 0 };
    split_sentences(&in->transcript, &ss);
    json_t *values = json_object();
    for (size_t i = 0; i < in->n_fields; i++)
        jsonio_set_new(values, in->fields[i].name,
                       extract_value(&in->transcript, &ss, &in->fields[i], lang));
    free(ss.items);
    json_t *answer = json_object();
    jsonio_set_new(answer, "values", values);
    return answer;
}

/* ---- validate ------------------------------------------------------------------------ */

/* Is text (ignoring case and surrounding spaces) already a line of the interview? */
static bool interview_has(const struct transcript *t, const char *text)
{
    struct span a = span_trim(span_cstr(text));
    for (size_t i = 0; i < t->n; i++) {
        struct span b = span_trim(span_cstr(t->lines[i].text ? t->lines[i].text : ""));
        if (a.len == b.len && strncasecmp(a.ptr, b.ptr, a.len) == 0)
            return true;
    }
    return false;
}

/* The persona's last answer in the interview, or NULL. */
static const char *last_answer(const struct transcript *t, const struct persona *p)
{
    const char *name = p ? p->name : NULL;
    for (size_t i = t->n; i-- > 0;) {
        const char *sp = t->lines[i].speaker;
        if (name && sp && strcasecmp(sp, name) == 0)
            return t->lines[i].text;
    }
    /* no speaker is the persona: answers are the lines that do not ask */
    for (size_t i = t->n; i-- > 0;)
        if (t->lines[i].text && !is_question(span_cstr(t->lines[i].text)))
            return t->lines[i].text;
    return NULL;
}

/* A sentence of the expectations, and whether it says what the persona is not or avoids. */
struct expectation {
    struct words ws;
    bool negated;
};

struct expectations {
    struct expectation *items;
    size_t n, alloc;
};

static void expectations_init(struct expectations *e, const char *text, int lang)
{
    static const char *const turned[] = { "dislikes", "dislike", "hates", "hate",   "avoids",
                                          "avoid",    "odeia",   "evita", "detesta" };
    memset(e, 0, sizeof(*e));
    struct span rest = span_cstr(text ? text : "");
    while (rest.len) {
        size_t end = sentence_end(rest.ptr, rest.len);
        if (end == 0)
            end = 1;
        char *sent = xmemdupz(rest.ptr, end);
        rest = span_make(rest.ptr + end, rest.len - end);
        ALLOC_GROW(e->items, e->n + 1, e->alloc);
        struct expectation *x = &e->items[e->n++];
        words_init(&x->ws, sent);
        free(sent);
        x->negated = false;
        for (size_t i = 0; i < x->ws.n && !x->negated; i++)
            x->negated =
                is_negation(x->ws.w[i], lang) || span_in(x->ws.w[i], turned, ARRAY_SIZE(turned));
    }
}

static void expectations_release(struct expectations *e)
{
    for (size_t i = 0; i < e->n; i++)
        words_release(&e->items[i].ws);
    free(e->items);
    memset(e, 0, sizeof(*e));
}

/* Expected topics: hits per topic with a sign (negative where the expectation is turned). */
static void expected_topics(const struct offline_model *m, const struct expectations *e,
                            double *expected)
{
    size_t nt = m->data->n_topics;
    double *hits = xcalloc(nt ? nt : 1, sizeof(double));
    for (size_t i = 0; i < e->n; i++) {
        memset(hits, 0, nt * sizeof(double));
        topics_count(m, &e->items[i].ws, hits);
        for (size_t t = 0; t < nt; t++)
            expected[t] += e->items[i].negated ? -hits[t] : hits[t];
    }
    free(hits);
}

/* Adds label to list unless it is there already. */
static void add_point(struct strlist *list, const char *label)
{
    if (label && *label && !strlist_has(list, label))
        strlist_add(list, label);
}

/* Appends up to four items of list, comma-separated. */
static void add_points(struct buf *b, const struct strlist *list)
{
    for (size_t i = 0; i < list->n && i < 4; i++) {
        if (i)
            buf_adds(b, ", ");
        buf_adds(b, list->items[i]);
    }
}

/*
 * How the expectations speak of item: +1 when one of its content words is
 * in a plain sentence, -1 when in a turned one ("never plays video
 * games"), 0 when they do not mention it.
 */
static int item_stance(const char *item, const struct expectations *e)
{
    struct strlist kws = { 0 };
    content_keywords(item, &kws);
    int stance = 0;
    for (size_t i = 0; i < e->n && !stance; i++)
        for (size_t k = 0; k < kws.n && !stance; k++)
            if (strlen(kws.items[k]) >= 4 &&
                kw_find(&e->items[i].ws, kws.items[k], 0) < e->items[i].ws.n)
                stance = e->items[i].negated ? -1 : 1;
    strlist_release(&kws);
    return stance;
}

/*
 * The last round: how far the persona agrees with the expectations, 0..1.
 * Every expected topic is a point matched (the persona's interests, likes,
 * values or work lean the expected way), contradicted (they lean the other
 * way: a dislike where the expectation is positive) or unknown (half a
 * point). So are the persona's own items the expectations mention.
 */
static json_t *validate_score(const struct offline_model *m, const struct validate_input *in,
                              int lang, struct prng *r)
{
    static char someone[] = "someone";
    static struct persona nobody = { .name = someone };
    const struct persona *p = in->persona ? in->persona : &nobody;
    size_t nt = m->data->n_topics;
    double *expected = xcalloc(nt ? nt : 1, sizeof(double));
    struct expectations ex;
    expectations_init(&ex, in->expectations, lang);
    expected_topics(m, &ex, expected);
    struct persona_reading pr;
    persona_read(m, p, &pr);

    struct strlist match = { 0 }, contra = { 0 };
    double unknown = 0;
    for (size_t t = 0; t < nt; t++) {
        if (expected[t] == 0)
            continue;
        double agree = (expected[t] > 0 ? 1 : -1) * pr.affinity[t];
        if (agree > 0.15) {
            const char *own = persona_words_for(m, p, t, expected[t] > 0 ? 1 : -1);
            add_point(&match, own ? own : topic_label(m, t, lang));
        } else if (agree < -0.15) {
            const char *own = persona_words_for(m, p, t, expected[t] > 0 ? -1 : 1);
            add_point(&contra, own ? own : topic_label(m, t, lang));
        } else {
            unknown += 1;
        }
    }
    /* the persona's own words the expectations mention, for or against */
    const struct strlist *positive[] = { &p->interests, &p->likes, &p->values, &p->traits };
    for (size_t l = 0; l < ARRAY_SIZE(positive) + 2; l++) {
        const struct strlist *list = l < ARRAY_SIZE(positive) ? positive[l] : &p->dislikes;
        struct strlist one = { 0 };
        if (l == ARRAY_SIZE(positive) + 1) {
            if (p->occupation_title)
                strlist_add(&one, p->occupation_title);
            list = &one;
        }
        int sign = list == &p->dislikes ? -1 : 1;
        for (size_t i = 0; i < list->n; i++) {
            const char *item = list->items[i];
            int stance = sign * item_stance(item, &ex);
            if (stance > 0 && !strlist_has(&contra, item))
                add_point(&match, item);
            else if (stance < 0 && !strlist_has(&match, item))
                add_point(&contra, item);
        }
        strlist_release(&one);
    }
    expectations_release(&ex);

    double mt = (double)match.n, ct = (double)contra.n;
    double score = (mt + 0.5 * unknown + 0.5) / (mt + ct + unknown + 1);
    score = round(score * 100) / 100;
    char value[16];
    snprintf(value, sizeof(value), "%.2f", score);

    struct buf b;
    buf_init(&b, 1 << 14);
    struct phrase_vars v = { .value = value };
    compose(m, "validate.justify", lang, &v, r, &b);
    if (b.len == 0)
        buf_adds(&b, value);
    if (lang == PT) {
        buf_adds(&b, match.n ? " Coincide com as expectativas em: "
                             : " Nada no perfil confirma "
                               "as expectativas");
        add_points(&b, &match);
        buf_adds(&b, contra.n ? ". Contradiz as expectativas em: "
                              : ". Nada no perfil as "
                                "contradiz");
        add_points(&b, &contra);
    } else {
        buf_adds(&b, match.n ? " It matches the expectations on: "
                             : " Nothing in the profile "
                               "confirms the expectations");
        add_points(&b, &match);
        buf_adds(&b, contra.n ? ". It contradicts them on: "
                              : ". Nothing in the profile "
                                "contradicts them");
        add_points(&b, &contra);
    }
    buf_addch(&b, '.');

    json_t *answer = json_object();
    jsonio_set_new(answer, "question", json_null());
    jsonio_set_new(answer, "score", json_real(score));
    jsonio_set_new(answer, "justification", buf_json(&b));
    buf_release(&b);
    strlist_release(&match);
    strlist_release(&contra);
    persona_reading_release(&pr);
    free(expected);
    return answer;
}

/* Tries a few alternatives of key; true with the first one the interview lacks in out. */
static bool compose_new(const struct offline_model *m, const char *key, int lang,
                        const struct phrase_vars *v, const struct transcript *t, struct prng *r,
                        struct buf *out)
{
    for (int attempt = 0; attempt < 4; attempt++) {
        buf_reset(out);
        compose(m, key, lang, v, r, out);
        if (out->len && !interview_has(t, out->data))
            return true;
    }
    return false;
}

/* A round before the last: the next question, about an expected topic or the last answer. */
static json_t *validate_question(const struct offline_model *m, const struct validate_input *in,
                                 int lang, struct prng *r)
{
    size_t nt = m->data->n_topics;
    double *expected = xcalloc(nt ? nt : 1, sizeof(double));
    struct expectations ex;
    expectations_init(&ex, in->expectations, lang);
    expected_topics(m, &ex, expected);
    expectations_release(&ex);
    struct persona_reading pr = { 0 };
    if (in->persona)
        persona_read(m, in->persona, &pr);
    /* candidate topics: the expectations' by weight, then the persona's strongest */
    size_t *cand = xcalloc(nt ? nt : 1, sizeof(size_t));
    double *weight = xcalloc(nt ? nt : 1, sizeof(double));
    size_t n_cand = 0;
    for (size_t t = 0; t < nt; t++) {
        double w = fabs(expected[t]) * 10 + (pr.affinity ? fabs(pr.affinity[t]) : 0);
        if (w < 0.2)
            continue;
        size_t j = n_cand++;
        while (j > 0 && weight[j - 1] < w) {
            cand[j] = cand[j - 1];
            weight[j] = weight[j - 1];
            j--;
        }
        cand[j] = t;
        weight[j] = w;
    }
    /* what was asked: the lines not said by the persona (the questions, without names) */
    const char *self = in->persona ? in->persona->name : NULL;
    bool named = false;
    for (size_t i = 0; i < in->interview.n && self; i++)
        named = named || (in->interview.lines[i].speaker &&
                          strcasecmp(in->interview.lines[i].speaker, self) == 0);
    struct words asked;
    struct buf qs;
    buf_init(&qs, 1 << 20);
    for (size_t i = 0; i < in->interview.n; i++) {
        const struct utterance *u = &in->interview.lines[i];
        bool mine = named ? u->speaker && strcasecmp(u->speaker, self) == 0
                          : !u->text || !is_question(span_cstr(u->text));
        if (mine)
            continue;
        buf_adds(&qs, u->text ? u->text : "");
        buf_addch(&qs, '\n');
    }
    words_init(&asked, qs.data);
    buf_release(&qs);

    const char *answer_text = last_answer(&in->interview, in->persona);
    struct buf b, excerpt;
    buf_init(&b, 1 << 14);
    buf_init(&excerpt, 4096);
    bool done = false;
    bool followup_first = answer_text && in->round % 2 == 0;
    for (int pass = 0; pass < 2 && !done; pass++) {
        bool followup = (pass == 0) == followup_first;
        if (followup && answer_text) {
            add_clause(&excerpt, answer_text, 100);
            struct phrase_vars v = { .value = excerpt.data };
            done =
                excerpt.len && compose_new(m, "validate.followup", lang, &v, &in->interview, r, &b);
        } else if (!followup) {
            for (size_t k = 0; k < n_cand && !done; k++) {
                const char *label = topic_label(m, cand[k], lang);
                if (words_contain(&asked, label))
                    continue; /* asked about already */
                struct phrase_vars v = { .topic = label };
                done = compose_new(m, "validate.question", lang, &v, &in->interview, r, &b);
            }
        }
    }
    if (!done) {
        static const char *const generic[][OFFLINE_N_LANGS] = {
            { "What matters most to you in your daily life?",
              "O que mais importa para você no dia a dia?" },
            { "How do you usually decide what to buy?",
              "Como você costuma decidir o que comprar?" },
            { "What would you never spend money on?", "Com o que você nunca gastaria dinheiro?" },
            { "What do you do in your free time?", "O que você faz no seu tempo livre?" },
            { "Who do you ask for advice before a decision?",
              "A quem você pede conselho antes de uma decisão?" },
        };
        for (size_t i = 0; i < ARRAY_SIZE(generic) && !done; i++) {
            buf_reset(&b);
            buf_adds(&b, generic[i][lang]);
            done = !interview_has(&in->interview, b.data);
        }
        if (!done) {
            buf_reset(&b);
            buf_addf(&b,
                     lang == PT ? "Pode contar mais sobre isso (%d)?"
                                : "Could you tell me more about that (%d)?",
                     in->round);
        }
    }
    json_t *answer = json_object();
    jsonio_set_new(answer, "question", buf_json(&b));
    buf_release(&b);
    buf_release(&excerpt);
    words_release(&asked);
    free(cand);
    free(weight);
    persona_reading_release(&pr);
    free(expected);
    return answer;
}

json_t *offline_validate(const struct offline_model *m, const struct validate_input *in,
                         struct prng *r)
{
    int lang = in->persona && in->persona->language
                   ? offline_lang(in->persona->language)
                   : answer_lang(NULL, in->expectations ? in->expectations : "");
    if (in->round >= in->max_rounds)
        return validate_score(m, in, lang, r);
    return validate_question(m, in, lang, r);
}

/* ---- proposition --------------------------------------------------------------------- */

/* How a line bears on the claim. */
struct bearing {
    size_t line;
    int matched;  /* distinct claim keywords found (the speaker's name included) */
    int in_text;  /* of them, found in what was said */
    bool negated; /* a matched word is negated */
    int tone;     /* sign of the line's tone */
};

static int sign_of(int x)
{
    return x > 0 ? 1 : x < 0 ? -1 : 0;
}

static struct bearing line_bearing(const struct offline_model *m, const struct utterance *u,
                                   size_t line, const struct strlist *kws, int lang)
{
    struct buf text;
    buf_init(&text, 1 << 20);
    buf_addf(&text, "%s: %s", u->speaker ? u->speaker : "", u->text ? u->text : "");
    struct words ws, who;
    words_init(&ws, text.data);
    words_init(&who, u->speaker ? u->speaker : "");
    buf_release(&text);
    struct bearing b = { .line = line };
    for (size_t k = 0; k < kws->n; k++) {
        size_t at = kw_find(&ws, kws->items[k], 0);
        if (at == ws.n)
            continue;
        b.matched++;
        size_t said = kw_find(&ws, kws->items[k], who.n);
        b.in_text += said < ws.n;
        for (size_t i = said; i < ws.n && !b.negated; i = kw_find(&ws, kws->items[k], i + 1))
            b.negated = negated_at(&ws, i, lang);
    }
    words_release(&who);
    int pos, neg;
    tone_count(m, &ws, lang, &pos, &neg);
    b.tone = sign_of(pos - neg);
    words_release(&ws);
    return b;
}

/*
 * How many keywords absent from line `line` the last question before it
 * holds ("What do you think of FreshBox?" gives "FreshBox" to the answer).
 */
static double asked_before(const struct transcript *t, size_t line, const struct strlist *kws)
{
    const char *q = NULL;
    for (size_t j = line; j-- > 0 && !q;)
        if (t->lines[j].text && strchr(t->lines[j].text, '?'))
            q = t->lines[j].text;
    if (!q)
        return 0;
    struct buf text;
    buf_init(&text, 1 << 20);
    buf_addf(&text, "%s: %s", t->lines[line].speaker ? t->lines[line].speaker : "",
             t->lines[line].text ? t->lines[line].text : "");
    struct words said, asked;
    words_init(&said, text.data);
    buf_release(&text);
    words_init(&asked, q);
    double n = 0;
    for (size_t k = 0; k < kws->n; k++)
        n += kw_find(&said, kws->items[k], 0) == said.n &&
             kw_find(&asked, kws->items[k], 0) < asked.n;
    words_release(&said);
    words_release(&asked);
    return n;
}

json_t *offline_proposition(const struct offline_model *m, const struct proposition_input *in,
                            struct prng *r)
{
    (void)r;
    const char *claim = in->claim ? in->claim : "";
    struct buf all;
    buf_init(&all, 1 << 20);
    buf_adds(&all, claim);
    for (size_t i = 0; i < in->transcript.n; i++) {
        buf_addch(&all, '\n');
        buf_adds(&all, in->transcript.lines[i].text ? in->transcript.lines[i].text : "");
    }
    int lang = answer_lang(NULL, all.data);
    buf_release(&all);

    struct strlist kws = { 0 };
    content_keywords(claim, &kws);
    struct words cws;
    words_init(&cws, claim);
    bool claim_negated = false;
    for (size_t i = 0; i < cws.n && !claim_negated; i++)
        claim_negated = is_negation(cws.w[i], lang);
    int cpos, cneg;
    tone_count(m, &cws, lang, &cpos, &cneg);
    int claim_tone = sign_of(cpos - cneg);
    words_release(&cws);

    struct bearing best = { .line = SIZE_MAX };
    for (size_t i = 0; i < in->transcript.n; i++) {
        struct bearing b = line_bearing(m, &in->transcript.lines[i], i, &kws, lang);
        if (b.in_text == 0)
            continue; /* only the speaker's name: not evidence */
        if (b.matched > best.matched ||
            (b.matched == best.matched && b.tone != 0 && best.tone == 0))
            best = b;
    }
    /* what the line answers: claim words in the question before it count half */
    double context = 0;
    if (best.line != SIZE_MAX)
        context = asked_before(&in->transcript, best.line, &kws);
    double support = kws.n ? ((double)best.matched + 0.5 * context) / (double)kws.n : 0;
    bool found = best.line != SIZE_MAX && best.matched > 0 && support >= 0.5;
    /* the line agrees unless a negation or an opposite tone turns it */
    bool agrees = found && best.negated == claim_negated;
    if (found && claim_tone != 0 && best.tone != 0 && claim_tone != best.tone)
        agrees = false;
    if (found && claim_tone != 0 && best.tone != 0 && claim_tone == best.tone && best.negated &&
        !claim_negated)
        agrees = true; /* "I would never pay that much, it's too expensive" */

    struct buf b;
    buf_init(&b, 1 << 14);
    if (!found) {
        buf_adds(&b, lang == PT ? "Nada na transcrição sustenta a afirmação"
                                : "Nothing in the transcript supports the claim");
        if (best.line != SIZE_MAX && best.matched > 0) {
            const struct utterance *u = &in->transcript.lines[best.line];
            buf_adds(&b, lang == PT ? "; o mais próximo é " : "; the closest is ");
            buf_addf(&b, "%s: \xe2\x80\x9c", u->speaker ? u->speaker : "?");
            add_cut(&b, trim_text(span_cstr(u->text ? u->text : "")), QUOTE_CHARS);
            buf_adds(&b, "\xe2\x80\x9d");
        }
        buf_addch(&b, '.');
    } else {
        const struct utterance *u = &in->transcript.lines[best.line];
        if (lang == PT)
            buf_adds(&b, agrees ? "A transcrição sustenta a afirmação: "
                                : "A transcrição contradiz a afirmação: ");
        else
            buf_adds(&b, agrees ? "The transcript supports the claim: "
                                : "The transcript contradicts the claim: ");
        buf_addf(&b, "%s: \xe2\x80\x9c", u->speaker ? u->speaker : "?");
        add_cut(&b, trim_text(span_cstr(u->text ? u->text : "")), QUOTE_CHARS);
        buf_adds(&b, "\xe2\x80\x9d.");
    }

    json_t *answer = json_object();
    if (in->scored) {
        int score = found ? (agrees ? (int)lround(9 * support) : (int)lround(2 * (1 - support)))
                          : (int)lround(2 * support);
        score = score < 0 ? 0 : score > 9 ? 9 : score;
        jsonio_set_new(answer, "value", json_integer(score));
    } else {
        jsonio_set_new(answer, "value", json_boolean(found && agrees));
    }
    jsonio_set_new(answer, "justification", buf_json(&b));
    buf_release(&b);
    strlist_release(&kws);
    return answer;
}

/* ---- normalize ----------------------------------------------------------------------- */

struct cluster {
    int topic; /* -1: no topic ("other") */
    enum sentiment sentiment;
    size_t *members; /* indexes of texts, ascending */
    size_t n, alloc;
    double *centroid; /* summed topic weights of the members */
    size_t first;     /* first member: a stable order */
};

static void cluster_add(struct cluster *c, size_t text, const double *vec, size_t nt)
{
    ALLOC_GROW(c->members, c->n + 1, c->alloc);
    size_t j = c->n++;
    while (j > 0 && c->members[j - 1] > text) {
        c->members[j] = c->members[j - 1];
        j--;
    }
    c->members[j] = text;
    if (c->n == 1 || text < c->first)
        c->first = text;
    for (size_t t = 0; vec && t < nt; t++)
        c->centroid[t] += vec[t];
}

static double cosine(const double *a, const double *b, size_t n)
{
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; i++) {
        ab += a[i] * b[i];
        aa += a[i] * a[i];
        bb += b[i] * b[i];
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : 0;
}

/* Moves src's members into dst and empties src. */
static void cluster_merge(struct cluster *dst, struct cluster *src, size_t nt)
{
    for (size_t i = 0; i < src->n; i++)
        cluster_add(dst, src->members[i], NULL, nt);
    for (size_t t = 0; t < nt; t++)
        dst->centroid[t] += src->centroid[t];
    src->n = 0;
}

/* Larger first; then by topic (no topic last), sentiment, first member. */
static bool cluster_before(const struct cluster *a, const struct cluster *b)
{
    if (a->n != b->n)
        return a->n > b->n;
    if ((a->topic < 0) != (b->topic < 0))
        return a->topic >= 0;
    if (a->first != b->first)
        return a->first < b->first;
    return a->sentiment < b->sentiment;
}

/* The topic most of c's members have after c's own, or -1. */
static int second_topic(const struct cluster *c, const int *topic, size_t nt)
{
    int best = -1;
    size_t best_n = 0;
    for (size_t t = 0; t < nt; t++) {
        if ((int)t == c->topic)
            continue;
        size_t n = 0;
        for (size_t i = 0; i < c->n; i++)
            n += topic[c->members[i]] == (int)t;
        if (n > best_n) {
            best = (int)t;
            best_n = n;
        }
    }
    return best;
}

static void theme_name(const struct offline_model *m, const struct cluster *c, const int *topic,
                       int lang, bool split_other, struct buf *out)
{
    static const char *const en[SENT_COUNT_] = { "Positive views on ", "Negative views on ",
                                                 "Neutral remarks on " };
    static const char *const pt[SENT_COUNT_] = { "Opiniões positivas sobre ",
                                                 "Opiniões negativas sobre ",
                                                 "Comentários neutros sobre " };
    static const char *const other_en[SENT_COUNT_] = { "Other positive views",
                                                       "Other negative views", "Other remarks" };
    static const char *const other_pt[SENT_COUNT_] = { "Outras opiniões positivas",
                                                       "Outras opiniões negativas",
                                                       "Outros comentários" };
    if (c->topic >= 0) {
        buf_adds(out, lang == PT ? pt[c->sentiment] : en[c->sentiment]);
        buf_adds(out, topic_label(m, (size_t)c->topic, lang));
        int also = second_topic(c, topic, m->data->n_topics);
        if (also >= 0) {
            buf_adds(out, lang == PT ? " e " : " and ");
            buf_adds(out, topic_label(m, (size_t)also, lang));
        }
    } else if (split_other) {
        buf_adds(out, lang == PT ? other_pt[c->sentiment] : other_en[c->sentiment]);
    } else {
        buf_adds(out, lang == PT ? "Outros comentários" : "Other remarks");
    }
}

json_t *offline_normalize(const struct offline_model *m, const struct normalize_input *in,
                          struct prng *r)
{
    (void)r;
    size_t n = in->texts.n, nt = m->data->n_topics;
    struct buf all;
    buf_init(&all, 1 << 20);
    for (size_t i = 0; i < n; i++) {
        buf_adds(&all, in->texts.items[i]);
        buf_addch(&all, '\n');
    }
    int lang = answer_lang(in->language, all.data);
    buf_release(&all);
    size_t limit = in->max_themes > 0 ? (size_t)in->max_themes : 1;

    /* price judgements ("too expensive", "caro") count for the money topic */
    static const char *const price_words[] = { "expensive", "overpriced", "pricey",   "cheap",
                                               "cheaper",   "affordable", "caro",     "cara",
                                               "caros",     "caras",      "barato",   "barata",
                                               "baratos",   "baratas",    "caríssim*" };
    const struct offline_topic *money = offline_topic_find(m->data, "money");

    /* each text: its dominant topic, topic weights and sentiment */
    int *topic = xcalloc(n ? n : 1, sizeof(int));
    enum sentiment *sent = xcalloc(n ? n : 1, sizeof(*sent));
    double *vec = xcalloc(st_mult(n ? n : 1, nt ? nt : 1), sizeof(double));
    for (size_t i = 0; i < n; i++) {
        struct words ws;
        words_init(&ws, in->texts.items[i]);
        double *v = vec + i * nt;
        topics_count(m, &ws, v);
        for (size_t k = 0; money && k < ARRAY_SIZE(price_words); k++)
            if (kw_find(&ws, price_words[k], 0) < ws.n)
                v[money - m->data->topics] += 1;
        double total = 0;
        topic[i] = -1;
        for (size_t t = 0; t < nt; t++) {
            total += v[t];
            if (v[t] > 0 && (topic[i] < 0 || v[t] > v[topic[i]]))
                topic[i] = (int)t;
        }
        for (size_t t = 0; total > 0 && t < nt; t++)
            v[t] /= total;
        sent[i] = sentiment_of(m, &ws, lang);
        words_release(&ws);
    }

    /* one cluster per (topic, sentiment), then per sentiment for texts without a topic */
    struct cluster *cl = xcalloc(st_mult(nt + 1, SENT_COUNT_), sizeof(*cl));
    size_t n_cl = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = 0;
        while (c < n_cl && !(cl[c].topic == topic[i] && cl[c].sentiment == sent[i]))
            c++;
        if (c == n_cl) {
            cl[n_cl].topic = topic[i];
            cl[n_cl].sentiment = sent[i];
            cl[n_cl].centroid = xcalloc(nt ? nt : 1, sizeof(double));
            n_cl++;
        }
        cluster_add(&cl[c], i, vec + i * nt, nt);
    }

    /* too many topic themes: merge the smallest into its nearest (same sentiment first) */
    for (;;) {
        size_t live = 0, smallest = SIZE_MAX;
        for (size_t c = 0; c < n_cl; c++) {
            if (cl[c].topic < 0 || cl[c].n == 0)
                continue;
            live++;
            if (smallest == SIZE_MAX || !cluster_before(&cl[c], &cl[smallest]))
                smallest = c;
        }
        if (live <= limit)
            break;
        size_t into = SIZE_MAX;
        double best = -1;
        for (size_t c = 0; c < n_cl; c++) {
            if (c == smallest || cl[c].topic < 0 || cl[c].n == 0)
                continue;
            double near = (cl[c].sentiment == cl[smallest].sentiment ? 2 : 0) +
                          cosine(cl[c].centroid, cl[smallest].centroid, nt);
            if (near > best || (near == best && cluster_before(&cl[c], &cl[into]))) {
                best = near;
                into = c;
            }
        }
        cluster_merge(&cl[into], &cl[smallest], nt);
    }

    /* texts without a topic: an "other" theme per sentiment if room remains */
    size_t topic_themes = 0, other_groups = 0;
    for (size_t c = 0; c < n_cl; c++) {
        if (cl[c].n == 0)
            continue;
        if (cl[c].topic >= 0)
            topic_themes++;
        else
            other_groups++;
    }
    size_t room = limit - topic_themes;
    bool split_other = other_groups > 0 && other_groups <= room;
    if (other_groups > 0 && !split_other) {
        /* into the largest theme of the same sentiment; what is left, one "other" theme */
        size_t other = SIZE_MAX;
        for (size_t c = 0; c < n_cl; c++) {
            if (cl[c].topic >= 0 || cl[c].n == 0)
                continue;
            size_t into = SIZE_MAX;
            for (size_t d = 0; d < n_cl; d++)
                if (cl[d].topic >= 0 && cl[d].n && cl[d].sentiment == cl[c].sentiment &&
                    (into == SIZE_MAX || cluster_before(&cl[d], &cl[into])))
                    into = d;
            if (into == SIZE_MAX && room == 0)
                for (size_t d = 0; d < n_cl; d++)
                    if (cl[d].topic >= 0 && cl[d].n &&
                        (into == SIZE_MAX || cluster_before(&cl[d], &cl[into])))
                        into = d;
            if (into == SIZE_MAX) {
                if (other == SIZE_MAX)
                    other = c;
                else
                    cluster_merge(&cl[other], &cl[c], nt);
                continue;
            }
            cluster_merge(&cl[into], &cl[c], nt);
        }
        if (other != SIZE_MAX) {
            /* its sentiment: that of most of its texts */
            size_t count[SENT_COUNT_] = { 0 };
            for (size_t i = 0; i < cl[other].n; i++)
                count[sent[cl[other].members[i]]]++;
            cl[other].sentiment = SENT_NEUTRAL;
            if (count[SENT_POSITIVE] > count[SENT_NEGATIVE] &&
                count[SENT_POSITIVE] > count[SENT_NEUTRAL])
                cl[other].sentiment = SENT_POSITIVE;
            else if (count[SENT_NEGATIVE] > count[SENT_POSITIVE] &&
                     count[SENT_NEGATIVE] > count[SENT_NEUTRAL])
                cl[other].sentiment = SENT_NEGATIVE;
        }
    }

    /* largest first */
    size_t *order = xcalloc(n_cl ? n_cl : 1, sizeof(size_t));
    size_t n_themes = 0;
    for (size_t c = 0; c < n_cl; c++) {
        if (cl[c].n == 0)
            continue;
        size_t j = n_themes++;
        while (j > 0 && cluster_before(&cl[c], &cl[order[j - 1]])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = c;
    }
    static const char *const sentiment_names[SENT_COUNT_] = { "positive", "negative", "neutral" };
    json_t *themes = json_array();
    struct buf name;
    buf_init(&name, 1024);
    for (size_t k = 0; k < n_themes && k < limit; k++) {
        const struct cluster *c = &cl[order[k]];
        buf_reset(&name);
        theme_name(m, c, topic, lang, split_other, &name);
        json_t *answers = json_array();
        for (size_t i = 0; i < c->n; i++)
            json_array_append_new(answers, json_integer((json_int_t)c->members[i]));
        json_t *theme = json_object();
        jsonio_set_new(theme, "name", buf_json(&name));
        jsonio_set_str(theme, "sentiment", sentiment_names[c->sentiment]);
        jsonio_set_new(theme, "answers", answers);
        json_array_append_new(themes, theme);
    }
    buf_release(&name);
    for (size_t c = 0; c < n_cl; c++) {
        free(cl[c].members);
        free(cl[c].centroid);
    }
    free(order);
    free(cl);
    free(vec);
    free(sent);
    free(topic);
    json_t *answer = json_object();
    jsonio_set_new(answer, "themes", themes);
    return answer;
}

/* ---- insights ------------------------------------------------------------------------ */

/* A number as the aggregates' text writes it. */
struct num_token {
    struct span text;
    double value;
};

/* A mean found in the aggregates, with what it is about. */
struct fact {
    const char *section; /* the top-level key it sits under ("questions", "segments") */
    char label[LABEL_CHARS * 4 + 16];
    const json_t *mean, *lo, *hi, *n; /* borrowed; lo, hi, n may be NULL */
    bool small;                       /* marked too small to read */
};

struct theme_fact {
    const char *name;
    const json_t *count;
    int sentiment; /* SENT_*, SENT_COUNT_ when not given */
};

struct insight_ctx {
    const char *text; /* the aggregates as given */
    struct num_token *tok;
    size_t n_tok, alloc_tok;
    struct fact *facts;
    size_t n_facts, alloc_facts;
    struct theme_fact *themes;
    size_t n_themes, alloc_themes;
    const json_t *criteria;      /* borrowed array, or NULL */
    const json_t *winner_holder; /* the object holding "winner", or NULL */
    const json_t *panel;         /* respondents at the top, or NULL */
    int lang;
};

/* Lists every number written in the aggregates' text (inside strings too). */
static void tokenize_numbers(struct insight_ctx *c)
{
    const char *s = c->text;
    for (size_t i = 0; s[i];) {
        bool glued =
            i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '_');
        if (!is_digit(s[i]) || glued) {
            i++;
            continue;
        }
        /* a minus sign, unless it joins a range ("18-29") */
        bool minus = i > 0 && s[i - 1] == '-' && (i == 1 || !isalnum((unsigned char)s[i - 2]));
        size_t start = minus ? i - 1 : i;
        while (is_digit(s[i]))
            i++;
        if (s[i] == '.' && is_digit(s[i + 1])) {
            i++;
            while (is_digit(s[i]))
                i++;
        }
        if ((s[i] == 'e' || s[i] == 'E') &&
            (is_digit(s[i + 1]) || ((s[i + 1] == '+' || s[i + 1] == '-') && is_digit(s[i + 2])))) {
            i += 2;
            while (is_digit(s[i]))
                i++;
        }
        char *num = xmemdupz(s + start, i - start);
        ALLOC_GROW(c->tok, c->n_tok + 1, c->alloc_tok);
        c->tok[c->n_tok++] =
            (struct num_token){ span_make(s + start, i - start), strtod(num, NULL) };
        free(num);
    }
}

/*
 * Appends v as the aggregates' text writes it (the shortest spelling of
 * that value found there) and returns true; appends nothing and returns
 * false when v is not a number or its text is not in the aggregates.
 */
static bool add_number(const struct insight_ctx *c, struct buf *out, const json_t *v)
{
    if (!json_is_number(v))
        return false;
    if (json_is_integer(v)) {
        char s[32];
        snprintf(s, sizeof(s), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        for (size_t i = 0; i < c->n_tok; i++) {
            if (span_eq_cstr(c->tok[i].text, s)) {
                buf_adds(out, s);
                return true;
            }
        }
        return false;
    }
    double x = json_real_value(v);
    const struct span *best = NULL;
    for (size_t i = 0; i < c->n_tok; i++)
        if (c->tok[i].value == x && (!best || c->tok[i].text.len < best->len))
            best = &c->tok[i].text;
    if (!best)
        return false;
    buf_add(out, best->ptr, best->len);
    return true;
}

/* The value's number for comparisons (0 when it is not one). */
static double num(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : 0;
}

/* A label fit to quote: a short string from the aggregates, or NULL. */
static const char *label_of(const json_t *obj)
{
    static const char *const keys[] = { "label",   "name",    "id",   "question",
                                        "variant", "segment", "title" };
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        const char *s = json_string_value(json_object_get(obj, keys[i]));
        if (s && *s && utf8_chars(s, strlen(s)) <= LABEL_CHARS)
            return s;
    }
    return NULL;
}

static bool generic_key(const char *key)
{
    static const char *const generic[] = { "questions",   "items",   "values", "data",   "stats",
                                           "by_question", "results", "groups", "answers" };
    for (size_t i = 0; i < ARRAY_SIZE(generic); i++)
        if (strcmp(key, generic[i]) == 0)
            return true;
    return false;
}

static void collect_themes(struct insight_ctx *c, const json_t *v, int sentiment, int depth);

static void add_theme(struct insight_ctx *c, const char *name, const json_t *count, int sentiment)
{
    if (!name || !*name || utf8_chars(name, strlen(name)) > LABEL_CHARS || !json_is_number(count))
        return;
    ALLOC_GROW(c->themes, c->n_themes + 1, c->alloc_themes);
    c->themes[c->n_themes++] = (struct theme_fact){ name, count, sentiment };
}

static int sentiment_named(const char *s)
{
    if (!s)
        return SENT_COUNT_;
    if (strcmp(s, "positive") == 0)
        return SENT_POSITIVE;
    if (strcmp(s, "negative") == 0)
        return SENT_NEGATIVE;
    if (strcmp(s, "neutral") == 0)
        return SENT_NEUTRAL;
    return SENT_COUNT_;
}

/* Themes: [{name, count, sentiment}], {name: count}, or {positive: [...], negative: [...]}. */
static void collect_themes(struct insight_ctx *c, const json_t *v, int sentiment, int depth)
{
    if (depth > 4)
        return;
    if (json_is_array(v)) {
        size_t i;
        const json_t *item;
        json_array_foreach (v, i, item) {
            static const char *const counts[] = { "count", "n", "size", "mentions", "total" };
            const json_t *count = NULL;
            for (size_t k = 0; k < ARRAY_SIZE(counts) && !json_is_number(count); k++)
                count = json_object_get(item, counts[k]);
            const char *name = json_string_value(json_object_get(item, "name"));
            if (!name)
                name = json_string_value(json_object_get(item, "theme"));
            if (!name)
                name = json_string_value(json_object_get(item, "label"));
            int s = sentiment_named(json_string_value(json_object_get(item, "sentiment")));
            add_theme(c, name, count, s != SENT_COUNT_ ? s : sentiment);
        }
    } else if (json_is_object(v)) {
        const char *key;
        const json_t *item;
        json_object_foreach ((json_t *)v, key, item) {
            if (json_is_number(item))
                add_theme(c, key, item, sentiment);
            else if (json_is_array(item) || json_is_object(item))
                collect_themes(
                    c, item, sentiment_named(key) != SENT_COUNT_ ? sentiment_named(key) : sentiment,
                    depth + 1);
        }
    }
}

/* Walks the aggregates for means, criteria, themes and the winner. */
static void walk(struct insight_ctx *c, const json_t *v, const char *section, const char *path,
                 int depth)
{
    if (depth > WALK_DEPTH)
        return;
    if (json_is_array(v)) {
        size_t i;
        const json_t *item;
        json_array_foreach (v, i, item) {
            const char *own = json_is_object(item) ? label_of(item) : NULL;
            char sub[sizeof(((struct fact *)0)->label)];
            if (own)
                snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? " / " : "", own);
            else
                snprintf(sub, sizeof(sub), "%s", path);
            walk(c, item, section, sub, depth + 1);
        }
        return;
    }
    if (!json_is_object(v))
        return;
    const json_t *mean = json_object_get(v, "mean");
    if (json_is_number(mean) && c->n_facts < FACTS_MAX && *path) {
        ALLOC_GROW(c->facts, c->n_facts + 1, c->alloc_facts);
        struct fact *f = &c->facts[c->n_facts++];
        memset(f, 0, sizeof(*f));
        f->section = section;
        snprintf(f->label, sizeof(f->label), "%s", path);
        f->mean = mean;
        const json_t *ci = json_object_get(v, "ci");
        if (json_is_array(ci) && json_array_size(ci) == 2) {
            f->lo = json_array_get(ci, 0);
            f->hi = json_array_get(ci, 1);
        }
        f->n = json_object_get(v, "n");
        f->small = json_is_true(json_object_get(v, "too_small")) ||
                   json_is_true(json_object_get(v, "small"));
    }
    if (!c->winner_holder && json_object_get(v, "winner"))
        c->winner_holder = v;
    const char *key;
    const json_t *item;
    json_object_foreach ((json_t *)v, key, item) {
        if (strcmp(key, "criteria") == 0 && json_is_array(item) && !c->criteria) {
            c->criteria = item;
            continue;
        }
        if (strcmp(key, "themes") == 0) {
            collect_themes(c, item, SENT_COUNT_, 0);
            continue;
        }
        if (!json_is_object(item) && !json_is_array(item))
            continue;
        const char *sec = depth == 0 ? key : section;
        char sub[sizeof(((struct fact *)0)->label)];
        if (depth == 0 || generic_key(key) || utf8_chars(key, strlen(key)) > LABEL_CHARS)
            snprintf(sub, sizeof(sub), "%s", path);
        else
            snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? " / " : "", key);
        walk(c, item, sec, sub, depth + 1);
    }
}

/* The size of the panel: a count of respondents at the top (or in panel/run/meta), or NULL. */
static const json_t *panel_size(const json_t *root)
{
    static const char *const keys[] = { "respondents", "n_respondents", "personas",
                                        "n_personas",  "panel_size",    "n" };
    static const char *const holders[] = { "panel", "run", "meta", "summary" };
    for (size_t h = 0; h <= ARRAY_SIZE(holders); h++) {
        const json_t *o = h == 0 ? root : json_object_get(root, holders[h - 1]);
        for (size_t k = 0; o && k < ARRAY_SIZE(keys); k++) {
            const json_t *v = json_object_get(o, keys[k]);
            if (json_is_integer(v) && json_integer_value(v) > 0)
                return v;
        }
    }
    return NULL;
}

/* Appends “label”. */
static void add_quoted(struct buf *b, const char *s)
{
    buf_addf(b, "\xe2\x80\x9c%s\xe2\x80\x9d", s);
}

/* Appends " (interval lo to hi, n = N)" with what the fact has in the aggregates' text. */
static void add_fact_detail(const struct insight_ctx *c, const struct fact *f, struct buf *b)
{
    size_t mark = b->len;
    buf_adds(b, c->lang == PT ? " (intervalo de " : " (interval ");
    bool interval = add_number(c, b, f->lo);
    if (interval) {
        buf_adds(b, c->lang == PT ? " a " : " to ");
        interval = add_number(c, b, f->hi);
    }
    if (!interval)
        buf_truncate(b, mark);
    size_t before_n = b->len;
    buf_adds(b, interval ? ", n = " : " (n = ");
    if (!add_number(c, b, f->n))
        buf_truncate(b, before_n);
    if (b->len > mark)
        buf_addch(b, ')');
}

/* The index of the fact with the highest (or lowest) mean among section's, or SIZE_MAX. */
static size_t extreme_fact(const struct insight_ctx *c, const char *section, bool highest,
                           size_t except)
{
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < c->n_facts; i++) {
        const struct fact *f = &c->facts[i];
        if (i == except || (section && strcmp(f->section, section) != 0))
            continue;
        struct buf probe;
        buf_init(&probe, 64);
        bool printable = add_number(c, &probe, f->mean);
        buf_release(&probe);
        if (!printable)
            continue;
        if (best == SIZE_MAX || (highest ? num(f->mean) > num(c->facts[best].mean)
                                         : num(f->mean) < num(c->facts[best].mean)))
            best = i;
    }
    return best;
}

static size_t count_section(const struct insight_ctx *c, const char *section)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_facts; i++)
        n += strcmp(c->facts[i].section, section) == 0;
    return n;
}

/* A finished sentence or highlight goes into its list (empty ones are dropped). */
static void push(struct strlist *list, struct buf *b)
{
    struct span s = span_trim(span_make(b->data, b->len));
    if (s.len) {
        char *t = xmemdupz(s.ptr, s.len);
        strlist_add(list, t);
        free(t);
    }
    buf_reset(b);
}

/* The winner's name: a string, or an object's id/name/variant; NULL when there is none. */
static const char *winner_name(const json_t *w)
{
    if (json_is_string(w))
        return *json_string_value(w) && strcasecmp(json_string_value(w), "none") != 0
                   ? json_string_value(w)
                   : NULL;
    return json_is_object(w) ? label_of(w) : NULL;
}

static json_t *insights_empty(int lang)
{
    json_t *answer = json_object();
    jsonio_set_str(answer, "summary",
                   lang == PT ? "Ainda não há resultados para resumir: os agregados estão vazios."
                              : "There are no results to summarise yet: the aggregates are "
                                "empty.");
    jsonio_set_new(answer, "highlights", json_array());
    return answer;
}

/* The summary's sentences and the highlights, in order of interest. */
static void write_insights(const struct offline_model *m, struct insight_ctx *c, const json_t *root,
                           struct prng *r, struct strlist *sentences, struct strlist *highlights)
{
    int lang = c->lang;
    bool pt = lang == PT;
    struct buf b;
    buf_init(&b, 1 << 14);

    /* who answered */
    const json_t *panel = panel_size(root);
    const char *qsec = count_section(c, "questions") ? "questions" : NULL;
    size_t top = extreme_fact(c, qsec, true, SIZE_MAX);
    size_t low = top == SIZE_MAX ? SIZE_MAX : extreme_fact(c, qsec, false, top);
    if (low != SIZE_MAX && num(c->facts[low].mean) == num(c->facts[top].mean))
        low = SIZE_MAX;
    struct buf value;
    buf_init(&value, 256);
    if (add_number(c, &value, panel)) {
        buf_adds(&value, pt ? " respondentes" : " respondents");
    } else {
        buf_reset(&value);
        if (top != SIZE_MAX && add_number(c, &value, c->facts[top].n))
            buf_adds(&value, pt ? " respostas" : " answers");
        else
            buf_adds(&value, pt ? "todos os participantes" : "all participants");
    }
    struct phrase_vars v = { .value = value.data };
    compose(m, "insights.intro", lang, &v, r, &b);
    push(sentences, &b);

    /* the winner */
    if (c->winner_holder) {
        const json_t *w = json_object_get(c->winner_holder, "winner");
        const char *name = winner_name(w);
        if (name) {
            v = (struct phrase_vars){ .value = name };
            compose(m, "insights.winner", lang, &v, r, &b);
            static const char *const pkeys[] = { "p", "p_value", "pvalue" };
            const json_t *p = NULL;
            for (size_t k = 0; k < ARRAY_SIZE(pkeys) && !json_is_number(p); k++)
                p = json_object_get(c->winner_holder, pkeys[k]);
            if (!json_is_number(p) && json_is_object(w))
                for (size_t k = 0; k < ARRAY_SIZE(pkeys) && !json_is_number(p); k++)
                    p = json_object_get(w, pkeys[k]);
            struct buf pv;
            buf_init(&pv, 128);
            if (add_number(c, &pv, p) && b.len && b.data[b.len - 1] == '.') {
                buf_truncate(&b, b.len - 1);
                buf_addf(&b, " (p = %s).", pv.data);
            }
            buf_release(&pv);
            push(sentences, &b);
            buf_adds(&b, pt ? "Vencedor: " : "Winner: ");
            buf_adds(&b, name);
            push(highlights, &b);
        } else {
            buf_adds(&b, pt ? "Nenhuma variante venceu com clareza." : "No variant won clearly.");
            push(sentences, &b);
            buf_adds(&b, pt ? "Sem vencedor claro" : "No clear winner");
            push(highlights, &b);
        }
    }

    /* the highest and the lowest means */
    if (top != SIZE_MAX) {
        const struct fact *f = &c->facts[top];
        buf_adds(&b, low != SIZE_MAX ? (pt ? "A maior média foi a de " : "The highest mean was ")
                                     : (pt ? "A média de " : "The mean of "));
        add_quoted(&b, f->label);
        buf_adds(&b, low != SIZE_MAX ? ": " : (pt ? " foi " : " was "));
        add_number(c, &b, f->mean);
        add_fact_detail(c, f, &b);
        buf_addch(&b, '.');
        push(sentences, &b);
        buf_adds(&b, pt ? "Maior média: " : "Highest mean: ");
        buf_addf(&b, "%s (", f->label);
        add_number(c, &b, f->mean);
        buf_addch(&b, ')');
        push(highlights, &b);
    }
    size_t low_sentence = sentences->n;
    if (low != SIZE_MAX) {
        const struct fact *f = &c->facts[low];
        buf_adds(&b, pt ? "A menor foi a de " : "The lowest was ");
        add_quoted(&b, f->label);
        buf_adds(&b, ": ");
        add_number(c, &b, f->mean);
        add_fact_detail(c, f, &b);
        buf_addch(&b, '.');
        push(sentences, &b);
        buf_adds(&b, pt ? "Menor média: " : "Lowest mean: ");
        buf_addf(&b, "%s (", f->label);
        add_number(c, &b, f->mean);
        buf_addch(&b, ')');
        push(highlights, &b);
    }

    /* success criteria */
    if (c->criteria && json_array_size(c->criteria)) {
        size_t failed = 0, i;
        const json_t *cr;
        buf_adds(&b, pt ? "Critérios não atingidos: " : "Criteria not met: ");
        json_array_foreach (c->criteria, i, cr) {
            const json_t *passed = json_object_get(cr, "passed");
            if (!passed)
                passed = json_object_get(cr, "pass");
            if (!json_is_false(passed))
                continue;
            const char *expr = json_string_value(json_object_get(cr, "expr"));
            if (!expr)
                expr = json_string_value(json_object_get(cr, "criterion"));
            if (!expr || utf8_chars(expr, strlen(expr)) > LABEL_CHARS)
                continue;
            if (failed++ >= 2)
                continue;
            if (failed > 1)
                buf_adds(&b, "; ");
            add_quoted(&b, expr);
            size_t mark = b.len;
            buf_adds(&b, pt ? " (valor " : " (value ");
            if (add_number(c, &b, json_object_get(cr, "value")))
                buf_addch(&b, ')');
            else
                buf_truncate(&b, mark);
            struct buf h;
            buf_init(&h, 1024);
            buf_adds(&h, pt ? "Não atingido: " : "Not met: ");
            buf_adds(&h, expr);
            push(highlights, &h);
            buf_release(&h);
        }
        if (failed) {
            buf_addch(&b, '.');
        } else {
            buf_reset(&b);
            buf_adds(&b, pt ? "Todos os critérios de sucesso foram atingidos."
                            : "Every success criterion was met.");
            struct buf h;
            buf_init(&h, 256);
            buf_adds(&h, pt ? "Todos os critérios atingidos" : "All criteria met");
            push(highlights, &h);
            buf_release(&h);
        }
        push(sentences, &b);
    }

    /* the largest themes, positive and negative */
    size_t best[SENT_COUNT_ + 1];
    for (int s = 0; s <= SENT_COUNT_; s++) {
        best[s] = SIZE_MAX;
        for (size_t i = 0; i < c->n_themes; i++) {
            const struct theme_fact *t = &c->themes[i];
            if (t->sentiment != s)
                continue;
            if (best[s] == SIZE_MAX || num(t->count) > num(c->themes[best[s]].count))
                best[s] = i;
        }
    }
    const int order[] = { SENT_POSITIVE, SENT_NEGATIVE, SENT_COUNT_ };
    static const char *const lead_en[] = { "The most frequent positive theme was ",
                                           "the main negative one was ",
                                           "The most frequent theme was " };
    static const char *const lead_pt[] = { "O tema positivo mais frequente foi ",
                                           "o principal negativo foi ",
                                           "O tema mais frequente foi " };
    static const char *const hl_en[] = { "Top positive theme: ", "Top negative theme: ",
                                         "Top theme: " };
    static const char *const hl_pt[] = { "Tema positivo principal: ", "Tema negativo principal: ",
                                         "Tema principal: " };
    size_t said = 0;
    for (size_t k = 0; k < ARRAY_SIZE(order); k++) {
        size_t i = best[order[k]];
        if (i == SIZE_MAX || (order[k] == SENT_COUNT_ && said))
            continue;
        const struct theme_fact *t = &c->themes[i];
        size_t lead = order[k] == SENT_COUNT_ ? 2 : k;
        if (said)
            buf_adds(&b, "; ");
        const char *text = pt ? lead_pt[lead] : lead_en[lead];
        if (!said && lead == 1)
            text = pt ? "O principal tema negativo foi " : "The main negative theme was ";
        buf_adds(&b, text);
        add_quoted(&b, t->name);
        size_t mark = b.len;
        buf_adds(&b, " (");
        if (add_number(c, &b, t->count))
            buf_adds(&b, pt ? " menções)" : " mentions)");
        else
            buf_truncate(&b, mark);
        said++;
        struct buf h;
        buf_init(&h, 1024);
        buf_adds(&h, pt ? hl_pt[lead] : hl_en[lead]);
        buf_adds(&h, t->name);
        push(highlights, &h);
        buf_release(&h);
    }
    if (said) {
        buf_addch(&b, '.');
        push(sentences, &b);
    }

    /* segments */
    size_t seg_top = extreme_fact(c, "segments", true, SIZE_MAX);
    size_t seg_low = seg_top == SIZE_MAX ? SIZE_MAX : extreme_fact(c, "segments", false, seg_top);
    if (seg_top != SIZE_MAX && seg_low != SIZE_MAX &&
        num(c->facts[seg_top].mean) != num(c->facts[seg_low].mean)) {
        buf_adds(&b, pt ? "Entre os segmentos, " : "Among segments, ");
        add_quoted(&b, c->facts[seg_top].label);
        buf_adds(&b, pt ? " teve a maior média (" : " scored highest (");
        add_number(c, &b, c->facts[seg_top].mean);
        buf_adds(&b, pt ? ") e " : ") and ");
        add_quoted(&b, c->facts[seg_low].label);
        buf_adds(&b, pt ? " a menor (" : " lowest (");
        add_number(c, &b, c->facts[seg_low].mean);
        buf_adds(&b, ").");
        push(sentences, &b);
        buf_adds(&b, pt ? "Melhor segmento: " : "Best segment: ");
        buf_adds(&b, c->facts[seg_top].label);
        push(highlights, &b);
    }

    /* keep the summary at five sentences before the caveat: drop the lowest mean first */
    if (sentences->n > 5 && low != SIZE_MAX) {
        free(sentences->items[low_sentence]);
        memmove(&sentences->items[low_sentence], &sentences->items[low_sentence + 1],
                (sentences->n - low_sentence - 1) * sizeof(char *));
        sentences->n--;
    }
    while (sentences->n > 5)
        free(sentences->items[--sentences->n]);
    if (sentences->n < 2) {
        buf_adds(&b, pt ? "Os agregados não trazem médias, critérios nem temas para comparar."
                        : "The aggregates hold no means, criteria or themes to compare.");
        push(sentences, &b);
    }

    /* the caveat */
    bool small = false;
    for (size_t i = 0; i < c->n_facts; i++)
        small = small || c->facts[i].small;
    const char *caution;
    if (small)
        caution = pt ? "alguns grupos têm poucas respostas, então leia-os com cuidado"
                     : "some groups have very few answers, so read them with care";
    else
        caution = pt ? "as respostas vêm de personas simuladas, então confirme as conclusões "
                       "principais com clientes reais"
                     : "these answers come from simulated personas, so check the key findings "
                       "with real customers";
    v = (struct phrase_vars){ .value = caution };
    compose(m, "insights.caution", lang, &v, r, &b);
    push(sentences, &b);
    if (highlights->n < 2) {
        compose(m, "insights.caution", lang, &v, r, &b);
        push(highlights, &b);
    }
    if (highlights->n < 2) {
        v = (struct phrase_vars){ .value = value.data };
        compose(m, "insights.intro", lang, &v, r, &b);
        push(highlights, &b);
    }
    while (highlights->n > 5)
        free(highlights->items[--highlights->n]);
    buf_release(&value);
    buf_release(&b);
}

json_t *offline_insights(const struct offline_model *m, const struct insights_input *in,
                         struct prng *r)
{
    int lang = offline_lang(in->language);
    const char *text = in->aggregates_json ? in->aggregates_json : "";
    json_t *root = NULL;
    if (jsonio_parse(text, strlen(text), &root, NULL) != ERR_OK ||
        (json_is_object(root) && json_object_size(root) == 0) ||
        (json_is_array(root) && json_array_size(root) == 0)) {
        json_decref(root);
        return insights_empty(lang);
    }
    struct insight_ctx c = { .text = text, .lang = lang };
    tokenize_numbers(&c);
    walk(&c, root, "", "", 0);

    struct strlist sentences = { 0 }, highlights = { 0 };
    write_insights(m, &c, root, r, &sentences, &highlights);
    struct buf summary;
    buf_init(&summary, 1 << 15);
    for (size_t i = 0; i < sentences.n; i++) {
        if (i)
            buf_addch(&summary, ' ');
        buf_adds(&summary, sentences.items[i]);
    }
    json_t *hl = json_array();
    for (size_t i = 0; i < highlights.n; i++)
        json_array_append_new(hl, jsonio_string(highlights.items[i], strlen(highlights.items[i])));
    json_t *answer = json_object();
    jsonio_set_new(answer, "summary",
                   jsonio_string(summary.data, utf8_cut(summary.data, summary.len, 7900)));
    jsonio_set_new(answer, "highlights", hl);
    buf_release(&summary);
    strlist_release(&sentences);
    strlist_release(&highlights);
    free(c.tok);
    free(c.facts);
    free(c.themes);
    json_decref(root);
    return answer;
}
