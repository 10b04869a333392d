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

/* The words of kind's list (either language) starting at word i of ws: how many; 0: none. */
static size_t list_match_at(const struct offline_model *m, const struct words *ws, size_t i,
                            enum offline_wordkind kind)
{
    for (int l = 0; l < OFFLINE_N_LANGS; l++) {
        const struct strlist *list = &m->data->words[kind][l];
        for (size_t k = 0; k < list->n; k++) {
            size_t n = words_match_at(ws, i, list->items[k]);
            if (n == 0 && plural_of(ws->w[i], list->items[k]))
                n = 1;
            if (n > 0)
                return n;
        }
    }
    return 0;
}

static int sign_of(int x)
{
    return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/* What a text says for and against: its stance phrases and its other tone words. */
struct tone {
    int for_, against, unsure; /* phrases of the approve, reject and unsure lists */
    int pos, neg;              /* the other positive and negative words */
};

/*
 * Counts ws's tone, each phrase turned by a negation just before it. A
 * stance phrase's words are not read again, so "hard" in "hard to say" is
 * no complaint.
 */
static struct tone tone_count(const struct offline_model *m, const struct words *ws, int lang)
{
    static const enum offline_wordkind KINDS[] = { WORDS_APPROVE, WORDS_REJECT, WORDS_UNSURE,
                                                   WORDS_POSITIVE, WORDS_NEGATIVE };
    struct tone t = { 0 };
    for (size_t i = 0; i < ws->n;) {
        size_t len = 0, k = 0;
        for (; k < ARRAY_SIZE(KINDS); k++)
            if ((len = list_match_at(m, ws, i, KINDS[k])) > 0)
                break;
        if (!len) {
            i++;
            continue;
        }
        bool turned = KINDS[k] != WORDS_UNSURE && negated_at(ws, i, lang);
        switch (KINDS[k]) {
        case WORDS_APPROVE:
        case WORDS_REJECT:
            *((KINDS[k] == WORDS_APPROVE) != turned ? &t.for_ : &t.against) += 1;
            break;
        case WORDS_POSITIVE:
        case WORDS_NEGATIVE:
            *((KINDS[k] == WORDS_POSITIVE) != turned ? &t.pos : &t.neg) += 1;
            break;
        default:
            t.unsure++;
        }
        i += len;
    }
    return t;
}

/* Whether a stance was stated: for, against or unsure. */
static bool has_stance(const struct tone *t)
{
    return t->for_ || t->against || t->unsure;
}

/*
 * The sign of t: the stance when one is stated (unsure, or as much for as
 * against: 0), else the tone words' - so "I love it" stays positive beside
 * "I've never liked phone menus".
 */
static int tone_sign(const struct tone *t)
{
    return has_stance(t) ? sign_of(t->for_ - t->against) : sign_of(t->pos - t->neg);
}

enum sentiment { SENT_POSITIVE, SENT_NEGATIVE, SENT_NEUTRAL, SENT_COUNT_ };

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

/* Is the word at p (length n) a conjunction that starts a new clause? */
static bool is_clause_joint(const char *p, size_t n)
{
    static const char *const joints[] = { "and", "but", "while", "whereas",  "though", "although",
                                          "e",   "mas", "porém", "enquanto", "embora" };
    for (size_t i = 0; i < ARRAY_SIZE(joints); i++)
        if (strlen(joints[i]) == n && strncasecmp(p, joints[i], n) == 0)
            return true;
    return false;
}

/*
 * Splits text into clauses: at . ! ? ; : , and before a conjunction, so a
 * negation ("avoids", "never") turns only its own clause: in "loves cooking
 * with vegetables, and avoids fast food" only "avoids fast food" is turned.
 */
static void split_clauses(const char *text, struct strlist *out)
{
    struct buf clause;
    buf_init(&clause, 1 << 16);
    const char *p = text ? text : "";
    while (*p) {
        if (strchr(".!?;:,\n", *p)) {
            if (clause.len)
                strlist_add(out, clause.data);
            buf_reset(&clause);
            p++;
            continue;
        }
        size_t word = strcspn(p, " .!?;:,\n");
        if (word && is_clause_joint(p, word) && (p == text || p[-1] == ' ')) {
            if (clause.len)
                strlist_add(out, clause.data);
            buf_reset(&clause);
            p += word;
            continue;
        }
        buf_add(&clause, p, word ? word : 1);
        p += word ? word : 1;
    }
    if (clause.len)
        strlist_add(out, clause.data);
    buf_release(&clause);
}

static void expectations_init(struct expectations *e, const char *text, int lang)
{
    static const char *const turned[] = { "dislikes", "dislike", "hates",   "hate",    "avoids",
                                          "avoid",    "odeia",   "evita",   "detesta", "bores",
                                          "boring",   "chato",   "entedia", "odeio",   "detesto" };
    memset(e, 0, sizeof(*e));
    struct strlist clauses = { 0 };
    split_clauses(text, &clauses);
    for (size_t c = 0; c < clauses.n; c++) {
        ALLOC_GROW(e->items, e->n + 1, e->alloc);
        struct expectation *x = &e->items[e->n++];
        words_init(&x->ws, clauses.items[c]);
        x->negated = false;
        for (size_t i = 0; i < x->ws.n && !x->negated; i++)
            x->negated =
                is_negation(x->ws.w[i], lang) || span_in(x->ws.w[i], turned, ARRAY_SIZE(turned));
    }
    strlist_release(&clauses);
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
 * games"), 0 when they do not mention it. With all, every content word of
 * the item must be in the same clause ("fast food" is not "healthy food").
 */
static int item_stance_in(const char *item, const struct expectations *e, bool all)
{
    struct strlist kws = { 0 };
    content_keywords(item, &kws);
    int stance = 0;
    for (size_t i = 0; i < e->n && !stance; i++) {
        size_t found = 0, asked = 0;
        for (size_t k = 0; k < kws.n; k++) {
            if (strlen(kws.items[k]) < 4)
                continue;
            asked++;
            found += kw_find(&e->items[i].ws, kws.items[k], 0) < e->items[i].ws.n;
        }
        if (found && (!all || found == asked))
            stance = e->items[i].negated ? -1 : 1;
    }
    strlist_release(&kws);
    return stance;
}

/* What the persona said in the interview, as clauses with their stance. */
static void interview_statements(const struct validate_input *in, const struct persona *p, int lang,
                                 struct expectations *out)
{
    struct buf said;
    buf_init(&said, 1 << 20);
    bool named = false;
    for (size_t i = 0; i < in->interview.n && p->name; i++)
        named = named || (in->interview.lines[i].speaker &&
                          strcasecmp(in->interview.lines[i].speaker, p->name) == 0);
    for (size_t i = 0; i < in->interview.n; i++) {
        const struct utterance *u = &in->interview.lines[i];
        bool theirs = named ? u->speaker && strcasecmp(u->speaker, p->name) == 0
                            : u->text && !is_question(span_cstr(u->text));
        if (theirs && u->text)
            buf_addf(&said, "%s.\n", u->text);
    }
    expectations_init(out, said.data, lang);
    buf_release(&said);
}

/*
 * The persona's items (interests, likes, values, traits, dislikes, work)
 * weighed against statements: each one the statements speak of the way the
 * persona would (a liked thing plainly, a disliked one turned) goes to
 * with, each spoken of the other way to against.
 */
static void weigh_items(const struct persona *p, const struct expectations *statements, bool all,
                        struct strlist *with, struct strlist *against)
{
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
            int stance = sign * item_stance_in(item, statements, all);
            if (stance > 0 && !strlist_has(against, item))
                add_point(with, item);
            else if (stance < 0 && !strlist_has(with, item))
                add_point(against, item);
        }
        strlist_release(&one);
    }
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
    weigh_items(p, &ex, false, &match, &contra);
    expectations_release(&ex);
    /* and what the persona said in the interview, against its own profile */
    struct expectations said;
    interview_statements(in, p, lang, &said);
    struct strlist kept = { 0 }, broke = { 0 };
    weigh_items(p, &said, true, &kept, &broke);
    expectations_release(&said);

    /* what they said weighs more than what the profile suggests */
    double mt = (double)match.n + 1.5 * (double)kept.n,
           ct = (double)contra.n + 1.5 * (double)broke.n;
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
        if (kept.n) {
            buf_adds(&b, ". Na entrevista, manteve o perfil em: ");
            add_points(&b, &kept);
        }
        if (broke.n) {
            buf_adds(&b, ". Na entrevista, disse o contrário do perfil em: ");
            add_points(&b, &broke);
        }
    } else {
        buf_adds(&b, match.n ? " It matches the expectations on: "
                             : " Nothing in the profile "
                               "confirms the expectations");
        add_points(&b, &match);
        buf_adds(&b, contra.n ? ". It contradicts them on: "
                              : ". Nothing in the profile "
                                "contradicts them");
        add_points(&b, &contra);
        if (kept.n) {
            buf_adds(&b, ". In the interview, they kept to their profile on: ");
            add_points(&b, &kept);
        }
        if (broke.n) {
            buf_adds(&b, ". In the interview, they said the opposite of their profile on: ");
            add_points(&b, &broke);
        }
    }
    buf_addch(&b, '.');

    json_t *answer = json_object();
    jsonio_set_new(answer, "question", json_null());
    jsonio_set_new(answer, "score", json_real(score));
    jsonio_set_new(answer, "justification", buf_json(&b));
    buf_release(&b);
    strlist_release(&match);
    strlist_release(&contra);
    strlist_release(&kept);
    strlist_release(&broke);
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
    struct tone tone = tone_count(m, &ws, lang);
    b.tone = tone_sign(&tone);
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
    struct tone tone = tone_count(m, &cws, lang);
    int claim_tone = tone_sign(&tone);
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

/*
 * Themes group open answers the way a careful analyst would: by what they
 * are about first, by how they feel second. What an answer is about is its
 * topics (topics.tsv), the aspects of a purchase below, what it says of a
 * price, and its own content words: answers that share "late" or
 * "entrega" belong together even when no lexicon knows the word, and a word
 * most answers use says little (the weights are TF-IDF's). Praise and
 * complaints about one thing stay two themes while there is room, and are
 * the first to merge when there is not; a stray answer joins the theme it
 * is nearest to.
 *
 * So that thousands of answers cost little, the answers first fall into
 * groups by their main topic and tone (without a topic: by their most
 * common shared word); the clustering then compares groups, a few hundred
 * at most, by the sums of their answers' weights.
 */

#define THEME_SIMILAR 0.3  /* groups at least this similar become one theme */
#define OPPOSITE_TONE 0.25 /* what is left of the similarity of praise and complaint */
#define UNSURE_TONE   0.8  /* ... of a neutral or mixed group and a group of another tone */
#define SAME_TONE     0.05 /* added for the same tone: the choice when nothing else is shared */
#define LONE_WORD     0.5  /* weight (times its IDF) of a word no other answer has */
#define KEY_WORDS     64   /* shared words that may key the group of an answer without topic */
#define SHARED_WORDS  256  /* shared words the groups' word vectors hold (the most used) */
#define SECOND_SHARE  4    /* a second topic joins a theme's name for 1/4 of its answers */
#define WORD_MIN      3    /* bytes of the shortest content word */

/*
 * What answers about a purchase are often about and no one is interested
 * in: not topics, since topics.tsv is also what personas like (the factory
 * draws interests from it). Keywords as topics.tsv writes them, matched in
 * both languages. Left out as ambiguous: "box" (a meal kit, an inbox, a
 * litter box), "late" and "atrasado" (late for anything), "order" alone
 * ("in order to"), "package" (a plan).
 */
static const char *const DELIVERY_KEYWORDS[] = {
    "delivery",        "deliveries",       "deliver",   "delivered",  "delivering",  "shipping",
    "shipment*",       "shipped",          "courier*",  "parcel*",    "postman",     "dispatch*",
    "in transit",      "tracking number*", "arrive",    "arrived",    "arrives",     "arrival*",
    "my order",        "the order",        "our order", "your order", "entrega",     "entregas",
    "entregue*",       "entregar",         "entregou",  "entregaram", "entregador*", "frete*",
    "transportadora*", "correio",          "correios",  "envio*",     "rastreio",    "rastreament*",
    "chegou",          "chegaram",         "chegada",   "chegadas",   "pedido",      "pedidos",
    "encomenda*",      "motoboy*",
};

/* "support" and "suporte" alone are left out: "support local farms", "suporte para celular". */
static const char *const SERVICE_KEYWORDS[] = {
    "customer service",
    "customer support",
    "customer care",
    "support team",
    "tech support",
    "technical support",
    "helpdesk",
    "help desk",
    "call center",
    "call centre",
    "hotline",
    "service desk",
    "atendimento",
    "atendente*",
    "suporte técnico",
    "suporte ao cliente",
    "equipe de suporte",
    "sac",
    "central de atendimento",
    "ouvidoria",
};

static const struct aspect {
    const char *label[OFFLINE_N_LANGS];
    const char *const *keywords;
    size_t n_keywords;
} ASPECTS[] = {
    { { "delivery", "entrega" }, DELIVERY_KEYWORDS, ARRAY_SIZE(DELIVERY_KEYWORDS) },
    { { "customer service", "atendimento" }, SERVICE_KEYWORDS, ARRAY_SIZE(SERVICE_KEYWORDS) },
};

/*
 * What an answer says of a price: each judgement makes it about money, and
 * counts for its tone (too dear, or a good price; "cheap" for neither),
 * turned by a negation before it: "not expensive", "can't afford", "não
 * cabe no bolso", "não consigo pagar". "cara" only where it is said of a
 * price: alone it is also "guy" and "face".
 */
static const char *const PRICE_DEAR[] = {
    "expensive",
    "overpriced",
    "pricey",
    "rip off",
    "ripoff",
    "unaffordable",
    "costs a lot",
    "cost a lot",
    "a fortune",
    "out of my budget",
    "over budget",
    "caro",
    "caros",
    "caríssim*",
    "custa muito",
    "custam muito",
    "cobra muito",
    "cobram muito",
    "olhos da cara",
    "pesa no bolso",
    "fora do orçamento",
    "fora do meu orçamento",
    "é cara",
    "muito cara",
    "tão cara",
    "bem cara",
    "meio cara",
    "achei cara",
    "mais cara",
    "cara demais",
    "são caras",
    "muito caras",
    "caras demais",
};
static const char *const PRICE_FAIR[] = {
    "afford",        "affordable",  "cheaper",         "good deal",       "great deal",
    "good value",    "great value", "worth the money", "worth the price", "cabe no bolso",
    "consigo pagar", "posso pagar", "vale o preço",    "barato",          "barata",
    "baratos",       "baratas",     "baratinh*",
};
static const char *const PRICE_ONLY[] = { "cheap" };

/*
 * Words that say how an answer feels or fill it out, not what it is about
 * (stopwords aside): shared, they would make praise of anything one theme.
 */
static bool is_weak_word(struct span w)
{
    static const char *const weak[] = {
        "good",      "great",   "nice",       "bad",        "love",      "loved",    "loves",
        "like",      "liked",   "likes",      "enjoy",      "enjoyed",   "enjoys",   "hate",
        "hated",     "awesome", "amazing",    "excellent",  "terrible",  "awful",    "okay",
        "fine",      "best",    "worst",      "better",     "worse",     "lot",      "lots",
        "thing",     "things",  "stuff",      "everything", "something", "anything", "nothing",
        "way",       "even",    "still",      "yet",        "well",      "always",   "again",
        "sometimes", "maybe",   "sure",       "though",     "bit",       "little",   "pretty",
        "far",       "get",     "got",        "gets",       "getting",   "make",     "makes",
        "made",      "overall", "definitely", "absolutely", "totally",   "actually", "kind",
        "sort",      "want",    "wanted",     "know",       "looks",     "look",     "seems",
        "came",      "come",    "comes",      "took",       "take",      "takes",    "went",
        "bom",       "boa",     "bons",       "boas",       "ótimo",     "ótima",    "ótimos",
        "ótimas",    "ruim",    "adoro",      "adorei",     "amo",       "amei",     "gosto",
        "gostei",    "gosta",   "gostamos",   "legal",      "melhor",    "pior",     "coisa",
        "coisas",    "tudo",    "nada",       "algo",       "ainda",     "sempre",   "talvez",
        "acho",      "achei",   "bastante",   "pouco",      "tão",       "então",    "assim",
        "mesmo",     "mim",     "essas",      "esses",      "dessa",     "desse",    "dessas",
        "desses",    "nessa",   "nesse",      "aquilo",     "estes",     "estas",    "num",
        "numa",      "vou",     "ficou",      "fica",       "estava",    "estou",    "sou",
        "seria",     "tinha",   "tenho",      "temos",      "pode",      "posso",    "consigo",
        "vez",       "vezes",   "agora",      "hoje",       "apenas",    "sei",      "sabe",
        "outra",     "outro",   "veio",       "vieram",     "vem",       "porque",   "pois",
    };
    return span_in(w, weak, ARRAY_SIZE(weak));
}

/* Is word i of ws a word of the tone list kind (either language)? */
static bool tone_word_at(const struct offline_model *m, const struct words *ws, size_t i,
                         enum offline_wordkind kind)
{
    for (int l = 0; l < OFFLINE_N_LANGS; l++) {
        const struct strlist *list = &m->data->words[kind][l];
        for (size_t k = 0; k < list->n; k++)
            if (words_match_at(ws, i, list->items[k]) > 0 || plural_of(ws->w[i], list->items[k]))
                return true;
    }
    return false;
}

/* Are words i and i + 1 of ws in one clause (no punctuation between them)? */
static bool same_clause(const struct words *ws, size_t i)
{
    for (const char *p = ws->w[i].ptr + ws->w[i].len; p < ws->w[i + 1].ptr; p++)
        if (strchr(",.;:!?()\n", *p))
            return false;
    return true;
}

/*
 * Complaints of excess: "too" before a word ("too high", "far too long")
 * and "demais" after one ("alto demais", "demorou demais"), unless negated
 * ("not too bad"), said of something good ("bom demais", "gosto demais"
 * are praise) or meaning "also" ("me too, ...").
 */
static int excess_count(const struct offline_model *m, const struct words *ws, int lang)
{
    int n = 0;
    for (size_t i = 0; i < ws->n; i++) {
        if (span_eq_cstr(ws->w[i], "too")) {
            n += i + 1 < ws->n && same_clause(ws, i) && !negated_at(ws, i, lang) &&
                 !tone_word_at(m, ws, i + 1, WORDS_POSITIVE);
        } else if (span_eq_cstr(ws->w[i], "demais") && i > 0) {
            n += same_clause(ws, i - 1) && !negated_at(ws, i - 1, lang) &&
                 !tone_word_at(m, ws, i - 1, WORDS_POSITIVE) &&
                 !span_starts_with(ws->w[i - 1], "gost");
        }
    }
    return n;
}

/* Adds the occurrences of list's phrases in ws to *hits, and to *pos or *neg by sign. */
static void price_tally(const struct words *ws, int lang, const char *const *list, size_t n,
                        int sign, int *hits, int *pos, int *neg)
{
    for (size_t k = 0; k < n; k++) {
        for (size_t i = kw_find(ws, list[k], 0); i < ws->n; i = kw_find(ws, list[k], i + 1)) {
            (*hits)++;
            int s = negated_at(ws, i, lang) ? -sign : sign;
            *pos += s > 0;
            *neg += s < 0;
        }
    }
}

/* Counts the price judgements of ws: *hits of them, *pos and *neg by their (turned) tone. */
static void price_count(const struct words *ws, int lang, int *hits, int *pos, int *neg)
{
    *hits = *pos = *neg = 0;
    price_tally(ws, lang, PRICE_DEAR, ARRAY_SIZE(PRICE_DEAR), -1, hits, pos, neg);
    price_tally(ws, lang, PRICE_FAIR, ARRAY_SIZE(PRICE_FAIR), 1, hits, pos, neg);
    price_tally(ws, lang, PRICE_ONLY, ARRAY_SIZE(PRICE_ONLY), 0, hits, pos, neg);
}

/*
 * An answer's tone: the respondent's stance when stated (tone_sign), else
 * its tone words, its price judgements (price_pos, price_neg) and
 * complaints of excess, counted.
 */
static enum sentiment tone_of(const struct offline_model *m, const struct words *ws, int lang,
                              int price_pos, int price_neg)
{
    struct tone t = tone_count(m, ws, lang);
    if (!has_stance(&t)) {
        t.pos += price_pos;
        t.neg += price_neg + excess_count(m, ws, lang);
    }
    int sign = tone_sign(&t);
    return sign > 0 ? SENT_POSITIVE : sign < 0 ? SENT_NEGATIVE : SENT_NEUTRAL;
}

int offline_answer_tone(const struct offline_model *m, const char *text, bool *stance)
{
    struct words ws;
    words_init(&ws, text);
    int lang = text_language(&ws);
    int hits, price_pos, price_neg;
    price_count(&ws, lang, &hits, &price_pos, &price_neg);
    enum sentiment t = tone_of(m, &ws, lang, price_pos, price_neg);
    struct tone counted = tone_count(m, &ws, lang);
    *stance = has_stance(&counted);
    words_release(&ws);
    return t == SENT_POSITIVE ? 1 : t == SENT_NEGATIVE ? -1 : 0;
}

/* ---- normalize: reading the answers ---- */

/* One use of a content word by an answer. */
struct word_use {
    struct span word; /* into the answer's struct words */
    size_t answer;
    size_t term; /* the word's term: its forms share one ("atrasou", "atrasada") */
};

/* What the normaliser reads of the answers. */
struct normalizer {
    const struct offline_model *m;
    int lang;
    size_t n;                   /* answers */
    size_t dims;                /* what answers are about: the topics, then ASPECTS */
    struct phrase_set *topics;  /* the topics' keywords but those of ASPECTS, tagged by topic */
    struct phrase_set *aspects; /* the aspects' keywords, tagged by aspect */
    struct words *ws;           /* each answer's words */
    double *about;              /* n x dims: each answer's weights, summing to 1 (or all 0) */
    int *lead;                  /* each answer's heaviest dimension, -1: none */
    enum sentiment *tone;       /* each answer's */
    size_t *term_at; /* n + 1: answer i's terms are terms[term_at[i] .. term_at[i + 1]) */
    size_t *terms;   /* ascending within an answer */
    size_t n_terms;  /* distinct terms */
    size_t *df;      /* n_terms: how many answers use each */
    double *idf;     /* n_terms */
    size_t *rank;    /* n_terms: place among the shared terms (most used first), or SIZE_MAX */
    size_t n_shared; /* terms with a rank: at most SHARED_WORDS */
};

/* Reads answer i: what it is about (topics, aspects, price judgements) and its tone. */
static void read_answer(struct normalizer *z, size_t i, const struct offline_topic *money)
{
    const struct offline_model *m = z->m;
    const struct words *ws = &z->ws[i];
    size_t nt = m->data->n_topics;
    double *v = z->about + i * z->dims;
    phrase_set_tally(z->topics, ws, v);
    phrase_set_tally(z->aspects, ws, v + nt);
    int hits, price_pos, price_neg;
    price_count(ws, z->lang, &hits, &price_pos, &price_neg);
    if (money)
        v[money - m->data->topics] += hits;
    double total = 0;
    z->lead[i] = -1;
    for (size_t d = 0; d < z->dims; d++) {
        total += v[d];
        if (v[d] > 0 && (z->lead[i] < 0 || v[d] > v[z->lead[i]]))
            z->lead[i] = (int)d;
    }
    for (size_t d = 0; total > 0 && d < z->dims; d++)
        v[d] /= total;
    z->tone[i] = tone_of(m, ws, z->lang, price_pos, price_neg);
}

/* Is w a content word: long enough, no stopword, negation, weak word or number? */
static bool is_content_word(struct span w, int lang)
{
    return w.len >= WORD_MIN && !is_digit(w.ptr[0]) && !is_stopword(w) && !is_negation(w, lang) &&
           !is_weak_word(w);
}

/* The bytes a and b start with in common, ending on a character boundary. */
static size_t common_prefix(struct span a, struct span b)
{
    size_t p = 0;
    while (p < a.len && p < b.len && a.ptr[p] == b.ptr[p])
        p++;
    while (p > 0 && p < a.len && ((unsigned char)a.ptr[p] & 0xC0) == 0x80)
        p--; /* a continuation byte: the character is not shared whole */
    return p;
}

/*
 * Do a and b look like forms of one word? They share a stem of five bytes
 * and differ only in short endings ("atrasou", "atrasada"; "delivery",
 * "delivered"), or four with shorter ones ("cost", "costs"; "custa",
 * "custo"; not "cost" and "costume"), or one is the other with an "s".
 */
static bool same_stem(struct span a, struct span b)
{
    if (span_eq(a, b))
        return true;
    struct span s = a.len <= b.len ? a : b, l = a.len <= b.len ? b : a;
    size_t p = common_prefix(a, b);
    if (p >= 5)
        return s.len - p <= 2 && l.len - p <= 3;
    if (p == 4)
        return s.len - p <= 1 && l.len - p <= 2;
    return p == s.len && l.len == s.len + 1 && l.ptr[s.len] == 's';
}

static int use_by_word(const void *a, const void *b)
{
    const struct word_use *x = a, *y = b;
    size_t n = x->word.len < y->word.len ? x->word.len : y->word.len;
    int c = memcmp(x->word.ptr, y->word.ptr, n);
    if (c)
        return c;
    if (x->word.len != y->word.len)
        return x->word.len < y->word.len ? -1 : 1;
    return x->answer < y->answer ? -1 : x->answer > y->answer;
}

static int use_by_answer(const void *a, const void *b)
{
    const struct word_use *x = a, *y = b;
    if (x->answer != y->answer)
        return x->answer < y->answer ? -1 : 1;
    return x->term < y->term ? -1 : x->term > y->term;
}

/*
 * Gives each use its term, numbered in the words' sorted order: a word
 * joins the term of an earlier word it shares a stem with. Sorted, the
 * earlier words that share its first three bytes come right before it.
 */
static size_t assign_terms(struct word_use *u, size_t n_uses)
{
    if (n_uses)
        qsort(u, n_uses, sizeof(*u), use_by_word);
    struct span *first = NULL; /* each term's first word */
    size_t n_terms = 0, alloc = 0;
    for (size_t i = 0; i < n_uses; i++) {
        if (i > 0 && span_eq(u[i].word, u[i - 1].word)) {
            u[i].term = u[i - 1].term;
            continue;
        }
        size_t term = SIZE_MAX;
        for (size_t k = n_terms; k-- > 0 && common_prefix(first[k], u[i].word) >= 3;) {
            if (same_stem(first[k], u[i].word)) {
                term = k;
                break;
            }
        }
        if (term == SIZE_MAX) {
            ALLOC_GROW(first, n_terms + 1, alloc);
            first[n_terms] = u[i].word;
            term = n_terms++;
        }
        u[i].term = term;
    }
    free(first);
    return n_terms;
}

/* Ranks the terms more than one answer uses, most used first (then in term order). */
static void rank_terms(struct normalizer *z)
{
    size_t *order = xcalloc(z->n_terms ? z->n_terms : 1, sizeof(size_t));
    size_t n = 0;
    for (size_t t = 0; t < z->n_terms; t++) {
        z->rank[t] = SIZE_MAX;
        if (z->df[t] < 2)
            continue;
        size_t j = n++;
        while (j > 0 && z->df[order[j - 1]] < z->df[t]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = t;
    }
    z->n_shared = n < SHARED_WORDS ? n : SHARED_WORDS;
    for (size_t k = 0; k < z->n_shared; k++)
        z->rank[order[k]] = k;
    free(order);
}

/* The content words of the answers as terms, with their document frequency, IDF and rank. */
static void read_terms(struct normalizer *z)
{
    struct word_use *u = NULL;
    size_t n_uses = 0, alloc = 0;
    for (size_t i = 0; i < z->n; i++) {
        for (size_t k = 0; k < z->ws[i].n; k++) {
            if (!is_content_word(z->ws[i].w[k], z->lang))
                continue;
            ALLOC_GROW(u, n_uses + 1, alloc);
            u[n_uses++] = (struct word_use){ .word = z->ws[i].w[k], .answer = i };
        }
    }
    z->n_terms = assign_terms(u, n_uses);
    if (n_uses)
        qsort(u, n_uses, sizeof(*u), use_by_answer);
    size_t nt = z->n_terms ? z->n_terms : 1;
    z->df = xcalloc(nt, sizeof(size_t));
    z->idf = xcalloc(nt, sizeof(double));
    z->rank = xcalloc(nt, sizeof(size_t));
    z->term_at = xcalloc(z->n + 1, sizeof(size_t));
    z->terms = xcalloc(n_uses ? n_uses : 1, sizeof(size_t));
    size_t n_terms = 0;
    for (size_t k = 0; k < n_uses; k++) {
        if (k > 0 && u[k].answer == u[k - 1].answer && u[k].term == u[k - 1].term)
            continue; /* one answer counts a term once */
        z->terms[n_terms++] = u[k].term;
        z->term_at[u[k].answer + 1] = n_terms;
        z->df[u[k].term]++;
    }
    for (size_t i = 1; i <= z->n; i++)
        if (z->term_at[i] < z->term_at[i - 1])
            z->term_at[i] = z->term_at[i - 1]; /* an answer without content words */
    for (size_t t = 0; t < z->n_terms; t++)
        z->idf[t] = log((double)(z->n + 1) / (double)z->df[t]);
    rank_terms(z);
    free(u);
}

/* Is kw a keyword of an aspect? */
static bool aspect_keyword(const char *kw)
{
    for (size_t a = 0; a < ARRAY_SIZE(ASPECTS); a++)
        for (size_t k = 0; k < ASPECTS[a].n_keywords; k++)
            if (strcmp(kw, ASPECTS[a].keywords[k]) == 0)
                return true;
    return false;
}

/*
 * The lexicons answers are read with: the aspects, and the topics without
 * the keywords an aspect has ("delivery" is food in Brazilian Portuguese,
 * but in an answer about a purchase it is the delivery).
 */
static void read_lexicons(struct normalizer *z)
{
    const struct offline_data *d = z->m->data;
    z->topics = phrase_set_new();
    for (size_t t = 0; t < d->n_topics; t++)
        for (int l = 0; l < OFFLINE_N_LANGS; l++)
            for (size_t k = 0; k < d->topics[t].keywords[l].n; k++)
                if (!aspect_keyword(d->topics[t].keywords[l].items[k]))
                    phrase_set_add(z->topics, d->topics[t].keywords[l].items[k], t);
    z->aspects = phrase_set_new();
    for (size_t a = 0; a < ARRAY_SIZE(ASPECTS); a++)
        for (size_t k = 0; k < ASPECTS[a].n_keywords; k++)
            phrase_set_add(z->aspects, ASPECTS[a].keywords[k], a);
}

static void normalizer_init(struct normalizer *z, const struct offline_model *m,
                            const struct normalize_input *in)
{
    memset(z, 0, sizeof(*z));
    z->m = m;
    z->n = in->texts.n;
    z->dims = m->data->n_topics + ARRAY_SIZE(ASPECTS);
    struct buf all;
    buf_init(&all, 1 << 20);
    for (size_t i = 0; i < z->n; i++) {
        buf_adds(&all, in->texts.items[i]);
        buf_addch(&all, '\n');
    }
    z->lang = answer_lang(in->language, all.data);
    buf_release(&all);
    read_lexicons(z);
    size_t n = z->n ? z->n : 1;
    z->ws = xcalloc(n, sizeof(*z->ws));
    z->about = xcalloc(st_mult(n, z->dims), sizeof(double));
    z->lead = xcalloc(n, sizeof(int));
    z->tone = xcalloc(n, sizeof(*z->tone));
    const struct offline_topic *money = offline_topic_find(m->data, "money");
    for (size_t i = 0; i < z->n; i++) {
        words_init(&z->ws[i], in->texts.items[i]);
        read_answer(z, i, money);
    }
    read_terms(z);
}

static void normalizer_release(struct normalizer *z)
{
    for (size_t i = 0; i < z->n; i++)
        words_release(&z->ws[i]);
    phrase_set_free(z->topics);
    phrase_set_free(z->aspects);
    free(z->ws);
    free(z->about);
    free(z->lead);
    free(z->tone);
    free(z->term_at);
    free(z->terms);
    free(z->df);
    free(z->idf);
    free(z->rank);
}

/* The display name of dimension d in lang: a topic's label or an aspect's. */
static const char *dimension_label(const struct offline_model *m, size_t d, int lang)
{
    size_t nt = m->data->n_topics;
    return d < nt ? topic_label(m, d, lang) : ASPECTS[d - nt].label[lang];
}

/* ---- normalize: themes ---- */

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

/* How a theme feels: its answers' tones; mixed when the lesser side is a third or more. */
enum theme_tone { TONE_POSITIVE, TONE_NEGATIVE, TONE_NEUTRAL, TONE_MIXED, TONE_COUNT_ };

struct theme {
    size_t *members; /* indexes of answers, ascending */
    size_t n, alloc;
    double *about;     /* dims: the members' summed weights */
    double *words;     /* n_shared: the members' summed weights of the shared terms */
    double private_sq; /* squared weights of the members' other terms */
    size_t tones[SENT_COUNT_];
};

struct themes {
    struct normalizer *z;
    struct theme *t;
    size_t n;    /* themes, empty ones included */
    double *sim; /* n x n: similarity of themes i and j */
};

static enum theme_tone theme_tone(const struct theme *t)
{
    size_t p = t->tones[SENT_POSITIVE], q = t->tones[SENT_NEGATIVE], u = t->tones[SENT_NEUTRAL];
    if (p + q == 0 || u > 2 * (p + q))
        return TONE_NEUTRAL;
    size_t fewer = p < q ? p : q;
    if (fewer * 3 >= p + q)
        return TONE_MIXED;
    return p > q ? TONE_POSITIVE : TONE_NEGATIVE;
}

/* Is t about something (a topic or an aspect)? */
static bool theme_has_topic(const struct theme *t, size_t dims)
{
    for (size_t d = 0; d < dims; d++)
        if (t->about[d] > 0)
            return true;
    return false;
}

/* Larger first; then those about something; then by first answer. */
static bool theme_before(const struct themes *th, const struct theme *a, const struct theme *b)
{
    if (a->n != b->n)
        return a->n > b->n;
    bool ta = theme_has_topic(a, th->z->dims), tb = theme_has_topic(b, th->z->dims);
    if (ta != tb)
        return ta;
    return a->members[0] < b->members[0];
}

/* Adds answer i (greater than every member) to t. */
static void theme_add(struct theme *t, const struct normalizer *z, size_t i)
{
    ALLOC_GROW(t->members, t->n + 1, t->alloc);
    t->members[t->n++] = i;
    for (size_t d = 0; d < z->dims; d++)
        t->about[d] += z->about[i * z->dims + d];
    for (size_t k = z->term_at[i]; k < z->term_at[i + 1]; k++) {
        size_t term = z->terms[k];
        if (z->rank[term] != SIZE_MAX) {
            t->words[z->rank[term]] += z->idf[term];
        } else {
            double w = z->idf[term] * (z->df[term] < 2 ? LONE_WORD : 1);
            t->private_sq += w * w;
        }
    }
    t->tones[z->tone[i]]++;
}

/* Moves src's answers into dst (both ascending, merged) and empties src. */
static void theme_merge(struct theme *dst, struct theme *src, const struct normalizer *z)
{
    size_t *all = xcalloc(st_add(dst->n, src->n), sizeof(size_t));
    size_t i = 0, j = 0, k = 0;
    while (i < dst->n || j < src->n)
        all[k++] = j == src->n || (i < dst->n && dst->members[i] < src->members[j])
                       ? dst->members[i++]
                       : src->members[j++];
    free(dst->members);
    dst->members = all;
    dst->n = dst->alloc = k;
    for (size_t d = 0; d < z->dims; d++)
        dst->about[d] += src->about[d];
    for (size_t w = 0; w < z->n_shared; w++)
        dst->words[w] += src->words[w];
    dst->private_sq += src->private_sq;
    for (int s = 0; s < SENT_COUNT_; s++)
        dst->tones[s] += src->tones[s];
    src->n = 0;
}

/*
 * How alike a and b are, about 0..1: what they are about (topic cosine and
 * word cosine, either may show it), kept whole for the same tone, in part
 * for another, a quarter for the opposite one.
 */
static double theme_similarity(const struct normalizer *z, const struct theme *a,
                               const struct theme *b)
{
    double topics = cosine(a->about, b->about, z->dims);
    double dot = 0, aa = a->private_sq, bb = b->private_sq;
    for (size_t w = 0; w < z->n_shared; w++) {
        dot += a->words[w] * b->words[w];
        aa += a->words[w] * a->words[w];
        bb += b->words[w] * b->words[w];
    }
    double words = aa > 0 && bb > 0 ? dot / sqrt(aa * bb) : 0;
    double content = 1 - (1 - topics) * (1 - words);
    enum theme_tone ta = theme_tone(a), tb = theme_tone(b);
    bool polar_a = ta == TONE_POSITIVE || ta == TONE_NEGATIVE;
    bool polar_b = tb == TONE_POSITIVE || tb == TONE_NEGATIVE;
    if (ta == tb)
        return content + (polar_a ? SAME_TONE : 0);
    return content * (polar_a && polar_b ? OPPOSITE_TONE : UNSURE_TONE);
}

static void update_similarities(struct themes *th, size_t i)
{
    for (size_t j = 0; j < th->n; j++) {
        double s =
            i != j && th->t[i].n && th->t[j].n ? theme_similarity(th->z, &th->t[i], &th->t[j]) : -1;
        th->sim[i * th->n + j] = th->sim[j * th->n + i] = s;
    }
}

/*
 * The first themes: one per main dimension and tone, and for the answers
 * about nothing known, one per most used shared word (among the KEY_WORDS
 * most used) and tone, or per tone.
 */
static void themes_init(struct themes *th, struct normalizer *z)
{
    memset(th, 0, sizeof(*th));
    th->z = z;
    size_t keys = st_mult(z->dims + KEY_WORDS + 1, SENT_COUNT_);
    size_t *theme_of = xcalloc(keys, sizeof(size_t));
    for (size_t k = 0; k < keys; k++)
        theme_of[k] = SIZE_MAX;
    th->t = xcalloc(z->n ? z->n : 1, sizeof(*th->t));
    for (size_t i = 0; i < z->n; i++) {
        size_t key = z->dims + KEY_WORDS;
        if (z->lead[i] >= 0) {
            key = (size_t)z->lead[i];
        } else {
            for (size_t k = z->term_at[i]; k < z->term_at[i + 1]; k++)
                if (z->rank[z->terms[k]] < KEY_WORDS && z->dims + z->rank[z->terms[k]] < key)
                    key = z->dims + z->rank[z->terms[k]];
        }
        key = key * SENT_COUNT_ + z->tone[i];
        if (theme_of[key] == SIZE_MAX) {
            struct theme *t = &th->t[th->n];
            t->about = xcalloc(z->dims + z->n_shared, sizeof(double));
            t->words = t->about + z->dims;
            theme_of[key] = th->n++;
        }
        theme_add(&th->t[theme_of[key]], z, i);
    }
    free(theme_of);
    th->sim = xcalloc(st_mult(th->n ? th->n : 1, th->n ? th->n : 1), sizeof(double));
    for (size_t i = 0; i < th->n; i++)
        update_similarities(th, i);
}

static void themes_release(struct themes *th)
{
    for (size_t i = 0; i < th->n; i++) {
        free(th->t[i].members);
        free(th->t[i].about);
    }
    free(th->t);
    free(th->sim);
}

static void themes_merge(struct themes *th, size_t into, size_t from)
{
    theme_merge(&th->t[into], &th->t[from], th->z);
    update_similarities(th, from);
    update_similarities(th, into);
}

/* Merges the most similar two themes while they are at least THEME_SIMILAR. */
static void merge_similar(struct themes *th)
{
    for (;;) {
        size_t bi = SIZE_MAX, bj = SIZE_MAX;
        double best = THEME_SIMILAR;
        for (size_t i = 0; i < th->n; i++)
            for (size_t j = i + 1; j < th->n; j++)
                if (th->sim[i * th->n + j] >= best &&
                    (bi == SIZE_MAX || th->sim[i * th->n + j] > best)) {
                    best = th->sim[i * th->n + j];
                    bi = i;
                    bj = j;
                }
        if (bi == SIZE_MAX)
            return;
        themes_merge(th, bi, bj);
    }
}

/* The themes about nothing known become one per tone: "Other negative views", ... */
static void merge_other(struct themes *th)
{
    size_t other[TONE_COUNT_];
    for (int s = 0; s < TONE_COUNT_; s++)
        other[s] = SIZE_MAX;
    for (size_t i = 0; i < th->n; i++) {
        if (!th->t[i].n || theme_has_topic(&th->t[i], th->z->dims))
            continue;
        enum theme_tone tone = theme_tone(&th->t[i]);
        if (tone == TONE_MIXED)
            tone = TONE_NEUTRAL; /* both are "Other remarks" */
        if (other[tone] == SIZE_MAX)
            other[tone] = i;
        else
            themes_merge(th, other[tone], i);
    }
}

/* While there are more than limit themes, the smallest joins its nearest. */
static void merge_to_limit(struct themes *th, size_t limit)
{
    for (;;) {
        size_t live = 0, smallest = SIZE_MAX;
        for (size_t i = 0; i < th->n; i++) {
            if (!th->t[i].n)
                continue;
            live++;
            if (smallest == SIZE_MAX || !theme_before(th, &th->t[i], &th->t[smallest]))
                smallest = i;
        }
        if (live <= limit)
            return;
        size_t into = SIZE_MAX;
        for (size_t i = 0; i < th->n; i++) {
            if (i == smallest || !th->t[i].n)
                continue;
            double s = th->sim[smallest * th->n + i];
            double best = into == SIZE_MAX ? -1 : th->sim[smallest * th->n + into];
            if (into == SIZE_MAX || s > best ||
                (s == best && theme_before(th, &th->t[i], &th->t[into])))
                into = i;
        }
        themes_merge(th, into, smallest);
    }
}

/* The dimension t is most about, or -1. */
static int theme_main(const struct theme *t, size_t dims)
{
    int best = -1;
    for (size_t d = 0; d < dims; d++)
        if (t->about[d] > 0 && (best < 0 || t->about[d] > t->about[best]))
            best = (int)d;
    return best;
}

/* The main dimension of most of t's answers after lead, when a share of them have it; or -1. */
static int theme_second(const struct theme *t, const struct normalizer *z, int lead)
{
    int best = -1;
    size_t best_n = 0;
    for (size_t d = 0; d < z->dims; d++) {
        if ((int)d == lead)
            continue;
        size_t n = 0;
        for (size_t i = 0; i < t->n; i++)
            n += z->lead[t->members[i]] == (int)d;
        if (n > best_n) {
            best = (int)d;
            best_n = n;
        }
    }
    return best_n * SECOND_SHARE >= t->n ? best : -1;
}

static void theme_name(const struct normalizer *z, const struct theme *t, struct buf *out)
{
    static const char *const on[OFFLINE_N_LANGS][TONE_COUNT_] = {
        { "Positive views on ", "Negative views on ", "Neutral remarks on ", "Mixed views on " },
        { "Opiniões positivas sobre ", "Opiniões negativas sobre ", "Comentários neutros sobre ",
          "Opiniões divergentes sobre " },
    };
    static const char *const other[OFFLINE_N_LANGS][TONE_COUNT_] = {
        { "Other positive views", "Other negative views", "Other remarks", "Other remarks" },
        { "Outras opiniões positivas", "Outras opiniões negativas", "Outros comentários",
          "Outros comentários" },
    };
    int lang = z->lang == PT ? PT : EN;
    enum theme_tone tone = theme_tone(t);
    int lead = theme_main(t, z->dims);
    if (lead < 0) {
        buf_adds(out, other[lang][tone]);
        return;
    }
    buf_adds(out, on[lang][tone]);
    buf_adds(out, dimension_label(z->m, (size_t)lead, lang));
    int also = theme_second(t, z, lead);
    if (also >= 0) {
        buf_adds(out, lang == PT ? " e " : " and ");
        buf_adds(out, dimension_label(z->m, (size_t)also, lang));
    }
}

static json_t *themes_json(const struct themes *th, size_t limit)
{
    static const char *const tone_names[TONE_COUNT_] = { "positive", "negative", "neutral",
                                                         "neutral" };
    size_t *order = xcalloc(th->n ? th->n : 1, sizeof(size_t));
    size_t n = 0;
    for (size_t i = 0; i < th->n; i++) {
        if (!th->t[i].n)
            continue;
        size_t j = n++;
        while (j > 0 && theme_before(th, &th->t[i], &th->t[order[j - 1]])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    json_t *themes = json_array();
    struct buf name;
    buf_init(&name, 1024);
    for (size_t k = 0; k < n && k < limit; k++) {
        const struct theme *t = &th->t[order[k]];
        buf_reset(&name);
        theme_name(th->z, t, &name);
        /* the answers of the theme's own tone first: a report quotes the first few */
        enum theme_tone tone = theme_tone(t);
        json_t *answers = json_array();
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < t->n; i++) {
                enum sentiment s = th->z->tone[t->members[i]];
                bool own = (tone == TONE_POSITIVE && s == SENT_POSITIVE) ||
                           (tone == TONE_NEGATIVE && s == SENT_NEGATIVE) ||
                           (tone == TONE_NEUTRAL && s == SENT_NEUTRAL) || tone == TONE_MIXED;
                if (own == (pass == 0))
                    json_array_append_new(answers, json_integer((json_int_t)t->members[i]));
            }
        json_t *theme = json_object();
        jsonio_set_new(theme, "name", buf_json(&name));
        jsonio_set_str(theme, "sentiment", tone_names[theme_tone(t)]);
        jsonio_set_new(theme, "answers", answers);
        json_array_append_new(themes, theme);
    }
    buf_release(&name);
    free(order);
    return themes;
}

json_t *offline_normalize(const struct offline_model *m, const struct normalize_input *in,
                          struct prng *r)
{
    (void)r;
    size_t limit = in->max_themes > 0 ? (size_t)in->max_themes : 1;
    struct normalizer z;
    normalizer_init(&z, m, in);
    struct themes th;
    themes_init(&th, &z);
    merge_similar(&th);
    merge_other(&th);
    merge_to_limit(&th, limit);
    json_t *answer = json_object();
    jsonio_set_new(answer, "themes", themes_json(&th, limit));
    themes_release(&th);
    normalizer_release(&z);
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
