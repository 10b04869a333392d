/*
 * engine/semantic.c - an agent's semantic memory: the items (consolidated
 * memories and document passages), the words of each, the vocabulary with
 * each word's document frequency, BM25 retrieval and the splitting of
 * documents into passages. See semantic.h.
 *
 * Words are the engine's (words.h: lower-cased ASCII and Latin-1, runs of
 * letters and digits, bytes >= 0x80 kept, punctuation separating them), cut
 * at WORD_MAX bytes. Stopwords (STOPWORDS, English and Portuguese) are left
 * out, and a final "s" is stripped from a word longer than 3 bytes, a crude
 * plural folding that serves both languages ("prices" -> "price", "preços"
 * -> "preço"); items and queries are folded alike, so what it gets wrong
 * ("class" -> "clas") still matches.
 *
 * Invariants: every item owns its text and its postings (term, count),
 * sorted by term; a term's df is the number of items whose postings name
 * it, and a term whose df falls to 0 leaves the vocabulary, so the
 * vocabulary holds only the words of the items kept; total_words is the
 * sum of the items' word counts.
 */
#include "core/compat.h"

#include "engine/semantic.h"

#include <math.h>

#include "core/span.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "engine/words.h"

#define BM25_K1      1.2
#define BM25_B       0.75
#define WORD_MAX     64  /* bytes of a word; longer ones are cut */
#define DOC_NAME_MAX 120 /* bytes of a document's name in its passages */
#define NO_TERM      UINT32_MAX

/* Sorted by bytes (strcmp order): looked up with bsearch. */
static const char *const STOPWORDS[] = {
    /* clang-format off */
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "ao",
    "aos", "aquela", "aquelas", "aquele", "aqueles", "aquilo", "are", "as", "at", "até", "be",
    "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "com",
    "como", "could", "d", "da", "das", "de", "dela", "delas", "dele", "deles", "depois", "did",
    "didn", "do", "does", "doesn", "doing", "don", "dos", "down", "during", "e", "each", "ela",
    "elas", "ele", "eles", "em", "entre", "era", "essa", "essas", "esse", "esses", "esta", "estas",
    "este", "estes", "está", "estão", "eu", "few", "foi", "for", "foram", "from", "further", "had",
    "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
    "há", "i", "if", "in", "into", "is", "isn", "isso", "isto", "it", "its", "itself", "just", "já",
    "lhe", "lhes", "ll", "m", "mais", "mas", "me", "mesmo", "meu", "meus", "minha", "minhas",
    "more", "most", "muito", "my", "myself", "na", "nas", "nem", "no", "nor", "nos", "not", "now",
    "num", "numa", "não", "nós", "o", "of", "off", "on", "once", "only", "or", "os", "other", "ou",
    "our", "ours", "ourselves", "out", "over", "own", "para", "pela", "pelas", "pelo", "pelos",
    "por", "qual", "quando", "que", "quem", "re", "s", "same", "se", "sem", "ser", "seu", "seus",
    "she", "should", "so", "some", "sua", "suas", "such", "são", "só", "t", "também", "te", "tem",
    "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these",
    "they", "this", "those", "through", "to", "too", "tu", "tua", "tuas", "têm", "um", "uma",
    "umas", "under", "uns", "until", "up", "ve", "very", "você", "vocês", "vos", "was", "wasn",
    "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your", "yours", "yourself", "yourselves", "à", "às", "é",
    /* clang-format on */
};

/* ---- words ---------------------------------------------------------------------------- */

static int compare_stopword(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

static bool is_stopword(const char *word)
{
    return bsearch(word, STOPWORDS, ARRAY_SIZE(STOPWORDS), sizeof(STOPWORDS[0]),
                   compare_stopword) != NULL;
}

/*
 * A word of words.h as BM25 counts it, into out (NUL-terminated, cut at
 * WORD_MAX bytes on a character boundary): false for a stopword. A final
 * "s" of a word longer than 3 bytes goes (plurals).
 */
static bool fold_word(struct span w, char out[WORD_MAX + 1])
{
    size_t len = utf8_cut(w.ptr, w.len, WORD_MAX);
    memcpy(out, w.ptr, len);
    out[len] = '\0';
    if (len == 0 || is_stopword(out))
        return false;
    if (len > 3 && out[len - 1] == 's') {
        out[--len] = '\0';
        if (is_stopword(out)) /* "others" is "other" */
            return false;
    }
    return true;
}

/* ---- the vocabulary: word -> term (df), a chained hash table ---------------------------- */

struct term {
    char *word; /* owned; NULL while the slot is free */
    uint32_t hash;
    uint32_t df;   /* items whose postings name this term */
    uint32_t next; /* the next term of the bucket, or of the free list; NO_TERM ends */
};

struct vocab {
    struct term *terms; /* slots; a term's index is its id */
    size_t n_terms, alloc_terms;
    uint32_t *buckets; /* n_buckets heads (a power of two) */
    size_t n_buckets;
    size_t live;        /* terms in use */
    uint32_t free_head; /* free slots, reused first */
};

/* FNV-1a: simple, and good enough for short words. */
static uint32_t hash_word(const char *w)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)w; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

static void vocab_init(struct vocab *v)
{
    *v = (struct vocab){ .free_head = NO_TERM, .n_buckets = 256 };
    v->buckets = xmalloc(st_mult(v->n_buckets, sizeof(*v->buckets)));
    for (size_t i = 0; i < v->n_buckets; i++)
        v->buckets[i] = NO_TERM;
}

static void vocab_release(struct vocab *v)
{
    for (size_t i = 0; i < v->n_terms; i++)
        free(v->terms[i].word);
    free(v->terms);
    free(v->buckets);
}

static uint32_t vocab_find(const struct vocab *v, const char *word, uint32_t hash)
{
    for (uint32_t t = v->buckets[hash & (v->n_buckets - 1)]; t != NO_TERM; t = v->terms[t].next)
        if (v->terms[t].hash == hash && strcmp(v->terms[t].word, word) == 0)
            return t;
    return NO_TERM;
}

/* Doubles the buckets once there are more terms than buckets, keeping chains short. */
static void vocab_grow(struct vocab *v)
{
    size_t n = st_mult(v->n_buckets, 2);
    uint32_t *b = xmalloc(st_mult(n, sizeof(*b)));
    for (size_t i = 0; i < n; i++)
        b[i] = NO_TERM;
    for (size_t t = 0; t < v->n_terms; t++) {
        struct term *term = &v->terms[t];
        if (!term->word)
            continue;
        term->next = b[term->hash & (n - 1)];
        b[term->hash & (n - 1)] = (uint32_t)t;
    }
    free(v->buckets);
    v->buckets = b;
    v->n_buckets = n;
}

/* The term of word, added with df 0 when new. */
static uint32_t vocab_intern(struct vocab *v, const char *word)
{
    uint32_t hash = hash_word(word);
    uint32_t t = vocab_find(v, word, hash);
    if (t != NO_TERM)
        return t;
    if (v->free_head != NO_TERM) {
        t = v->free_head;
        v->free_head = v->terms[t].next;
    } else {
        if (v->n_terms >= NO_TERM)
            BUG("vocabulary full"); /* 4 billion words: the memory bounds make this impossible */
        ALLOC_GROW(v->terms, v->n_terms + 1, v->alloc_terms);
        t = (uint32_t)v->n_terms++;
    }
    size_t bucket = hash & (v->n_buckets - 1);
    v->terms[t] =
        (struct term){ .word = xstrdup(word), .hash = hash, .df = 0, .next = v->buckets[bucket] };
    v->buckets[bucket] = t;
    if (++v->live > v->n_buckets)
        vocab_grow(v);
    return t;
}

/* One item fewer holds term t; the term leaves when none does. */
static void vocab_unref(struct vocab *v, uint32_t t)
{
    struct term *term = &v->terms[t];
    assert(term->word && term->df > 0);
    if (--term->df > 0)
        return;
    uint32_t *link = &v->buckets[term->hash & (v->n_buckets - 1)];
    while (*link != t)
        link = &v->terms[*link].next;
    *link = term->next;
    FREE_AND_NULL(term->word);
    term->next = v->free_head;
    v->free_head = t;
    v->live--;
}

/* ---- items ---------------------------------------------------------------------------- */

struct posting {
    uint32_t term;
    uint32_t count; /* times the word occurs in the item */
};

struct item {
    enum memory_kind kind;
    char *text;               /* owned */
    struct posting *postings; /* owned; sorted by term */
    size_t n_postings;
    size_t n_words; /* words counted (stopwords left out) */
};

struct semantic {
    struct item *items; /* oldest first */
    size_t n, alloc;
    size_t n_memories, n_passages;
    size_t total_words; /* over all items, for the average length */
    struct vocab vocab;
};

static int compare_term_ids(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Fills the item's postings from its text and counts its terms in the vocabulary. */
static void index_item(struct vocab *v, struct item *it)
{
    uint32_t *ids = NULL;
    size_t n = 0, alloc = 0;
    struct words ws;
    words_init(&ws, it->text);
    char word[WORD_MAX + 1];
    for (size_t i = 0; i < ws.n; i++) {
        if (!fold_word(ws.w[i], word))
            continue;
        ALLOC_GROW(ids, n + 1, alloc);
        ids[n++] = vocab_intern(v, word);
    }
    words_release(&ws);
    it->n_words = n;
    if (n > 0)
        qsort(ids, n, sizeof(*ids), compare_term_ids);
    it->postings = n ? xmalloc(st_mult(n, sizeof(*it->postings))) : NULL;
    it->n_postings = 0;
    for (size_t i = 0; i < n; i++) {
        struct posting *last = it->n_postings ? &it->postings[it->n_postings - 1] : NULL;
        if (last && last->term == ids[i]) {
            last->count++;
            continue;
        }
        it->postings[it->n_postings++] = (struct posting){ .term = ids[i], .count = 1 };
        v->terms[ids[i]].df++;
    }
    if (it->n_postings < n) /* give back the room of repeated words */
        it->postings = xrealloc(it->postings, st_mult(it->n_postings, sizeof(*it->postings)));
    free(ids);
}

static void add_item(struct semantic *s, enum memory_kind kind, char *text_take)
{
    ALLOC_GROW(s->items, s->n + 1, s->alloc);
    struct item *it = &s->items[s->n++];
    *it = (struct item){ .kind = kind, .text = text_take };
    index_item(&s->vocab, it);
    s->total_words += it->n_words;
    if (kind == MEMORY_CONSOLIDATED)
        s->n_memories++;
    else
        s->n_passages++;
}

static void remove_item(struct semantic *s, size_t i)
{
    struct item *it = &s->items[i];
    for (size_t p = 0; p < it->n_postings; p++)
        vocab_unref(&s->vocab, it->postings[p].term);
    s->total_words -= it->n_words;
    if (it->kind == MEMORY_CONSOLIDATED)
        s->n_memories--;
    else
        s->n_passages--;
    free(it->text);
    free(it->postings);
    memmove(&s->items[i], &s->items[i + 1], (s->n - i - 1) * sizeof(*s->items));
    s->n--;
}

/* ---- lifecycle ------------------------------------------------------------------------ */

struct semantic *semantic_new(void)
{
#ifndef NDEBUG
    for (size_t i = 1; i < ARRAY_SIZE(STOPWORDS); i++)
        assert(strcmp(STOPWORDS[i - 1], STOPWORDS[i]) < 0); /* bsearch needs the order */
#endif
    struct semantic *s = xcalloc(1, sizeof(*s));
    vocab_init(&s->vocab);
    return s;
}

void semantic_free(struct semantic *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].text);
        free(s->items[i].postings);
    }
    free(s->items);
    vocab_release(&s->vocab);
    free(s);
}

size_t semantic_count(const struct semantic *s)
{
    return s->n;
}

enum memory_kind semantic_item(const struct semantic *s, size_t i, const char **text)
{
    assert(i < s->n);
    *text = s->items[i].text;
    return s->items[i].kind;
}

void semantic_restore_item(struct semantic *s, enum memory_kind kind, const char *text)
{
    add_item(s, kind, xstrdup(text));
}

void semantic_add_memory(struct semantic *s, const char *text)
{
    if (!text || !*text)
        return;
    add_item(s, MEMORY_CONSOLIDATED, xstrdup(text));
    for (size_t i = 0; s->n_memories > SEMANTIC_MAX_MEMORIES && i < s->n;) {
        if (s->items[i].kind == MEMORY_CONSOLIDATED)
            remove_item(s, i); /* the oldest memory; documents stay */
        else
            i++;
    }
}

/* ---- documents: splitting into passages -------------------------------------------------- */

enum split_level {
    SPLIT_PARAGRAPH, /* blank lines between */
    SPLIT_SENTENCE,  /* ".", "!" or "?" then a space; or a line break */
    SPLIT_WORD,      /* white space */
    SPLIT_BYTES,     /* a word longer than a passage: cut on a character boundary */
};

struct passages {
    struct span *items; /* views into the document's text */
    size_t n, alloc;
    size_t limit; /* more than this many sets over and stops the split */
    bool over;
};

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A blank line starts at s[i] (a line break, blanks, another line break)? */
static bool blank_line_at(struct span s, size_t i)
{
    if (s.ptr[i] != '\n')
        return false;
    for (size_t j = i + 1; j < s.len && is_space((unsigned char)s.ptr[j]); j++)
        if (s.ptr[j] == '\n')
            return true;
    return false;
}

/* A sentence ends just before s[i]? (after ".!?" and closing quotes or brackets, then a space) */
static bool sentence_ends_before(struct span s, size_t i)
{
    if (i < s.len && !is_space((unsigned char)s.ptr[i]))
        return false;
    size_t j = i;
    while (j > 0 && memchr(")]\"'", s.ptr[j - 1], 4))
        j--;
    return j > 0 && memchr(".!?", s.ptr[j - 1], 3);
}

/* Where the unit that starts at s[start] ends (exclusive), at this level. */
static size_t unit_end(struct span s, size_t start, enum split_level level, size_t max)
{
    size_t i = start;
    switch (level) {
    case SPLIT_PARAGRAPH:
        while (i < s.len && !blank_line_at(s, i))
            i++;
        return i;
    case SPLIT_SENTENCE:
        while (i < s.len && s.ptr[i] != '\n' && !(i > start && sentence_ends_before(s, i)))
            i++;
        return i;
    case SPLIT_WORD:
        while (i < s.len && !is_space((unsigned char)s.ptr[i]))
            i++;
        return i;
    default: {
        size_t cut = utf8_cut(s.ptr + start, s.len - start, max);
        return start + (cut > 0 ? cut : (s.len - start < max ? s.len - start : max));
    }
    }
}

/*
 * The next unit of s from *pos at this level, without the white space
 * around it; false at the end.
 */
static bool next_unit(struct span s, size_t *pos, enum split_level level, size_t max,
                      struct span *unit)
{
    size_t i = *pos;
    while (i < s.len && is_space((unsigned char)s.ptr[i]))
        i++;
    if (i == s.len) {
        *pos = i;
        return false;
    }
    size_t end = unit_end(s, i, level, max);
    *pos = end;
    while (end > i && is_space((unsigned char)s.ptr[end - 1]))
        end--;
    *unit = span_make(s.ptr + i, end - i);
    return true;
}

static void passages_add(struct passages *out, struct span p)
{
    if (out->n >= out->limit) {
        out->over = true;
        return;
    }
    ALLOC_GROW(out->items, out->n + 1, out->alloc);
    out->items[out->n++] = p;
}

/*
 * Splits text into passages of at most max bytes: units of this level are
 * packed greedily into a passage (a slice of the text, with what lay
 * between them), and a unit too long for one is split at the next level.
 */
static void split_text(struct span text, enum split_level level, size_t max, struct passages *out)
{
    struct span cur = { 0 };
    size_t pos = 0;
    struct span unit;
    while (!out->over && next_unit(text, &pos, level, max, &unit)) {
        if (unit.len > max) {
            if (cur.len > 0)
                passages_add(out, cur);
            cur = (struct span){ 0 };
            assert(level < SPLIT_BYTES); /* a unit of bytes is never longer than max */
            split_text(unit, level + 1, max, out);
            continue;
        }
        if (cur.len == 0) {
            cur = unit;
            continue;
        }
        size_t joined = (size_t)(unit.ptr + unit.len - cur.ptr); /* with what lies between */
        if (joined <= max) {
            cur.len = joined;
            continue;
        }
        passages_add(out, cur);
        cur = unit;
    }
    if (cur.len > 0)
        passages_add(out, cur);
}

enum err_code semantic_add_document(struct semantic *s, const char *name, const char *text,
                                    struct err *err)
{
    struct span all = span_cstr(text);
    size_t start = 0;
    while (start < all.len && is_space((unsigned char)all.ptr[start]))
        start++;
    if (start == all.len)
        return err_set(err, ERR_INVALID, "text", "document '%s' is empty", name ? name : "");

    /* Restored checkpoints may hold more than the bound: then nothing more fits. */
    size_t left = s->n_passages < SEMANTIC_MAX_PASSAGES ? SEMANTIC_MAX_PASSAGES - s->n_passages : 0;
    struct passages ps = { .limit = left };
    split_text(all, SPLIT_PARAGRAPH, SEMANTIC_PASSAGE_MAX, &ps);
    if (ps.over) {
        free(ps.items);
        return err_set(err, ERR_TOO_LARGE, "text",
                       "document '%s' needs more passages than the %zu left (at most %d, "
                       "%d bytes each)",
                       name ? name : "", left, SEMANTIC_MAX_PASSAGES, SEMANTIC_PASSAGE_MAX);
    }

    struct span label = span_cstr(name && *name ? name : "document");
    label.len = utf8_cut(label.ptr, label.len, DOC_NAME_MAX);
    for (size_t i = 0; i < ps.n; i++) {
        struct buf b;
        buf_init(&b, DOC_NAME_MAX + 2 + SEMANTIC_PASSAGE_MAX);
        buf_addf(&b, "%.*s: %.*s", SPAN_FMT(label), SPAN_FMT(ps.items[i]));
        assert(!b.failed);
        add_item(s, MEMORY_DOCUMENT, buf_detach(&b, NULL));
        buf_release(&b);
    }
    free(ps.items);
    return ERR_OK;
}

/* ---- retrieval ------------------------------------------------------------------------ */

struct query_term {
    uint32_t term;
    double idf;
};

struct hit {
    size_t item;
    double score;
};

/* Best first; equal scores: the older item (lower index) first. */
static int compare_hits(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->item > y->item) - (x->item < y->item);
}

static uint32_t term_count(const struct item *it, uint32_t term)
{
    size_t lo = 0, hi = it->n_postings;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (it->postings[mid].term < term)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < it->n_postings && it->postings[lo].term == term ? it->postings[lo].count : 0;
}

/* The query's distinct words that some item holds, with their idf; returns how many. */
static size_t query_terms(const struct semantic *s, const char *query, struct query_term **out)
{
    struct query_term *q = NULL;
    size_t n = 0, alloc = 0;
    struct words ws;
    words_init(&ws, query);
    char word[WORD_MAX + 1];
    for (size_t w = 0; w < ws.n; w++) {
        if (!fold_word(ws.w[w], word))
            continue;
        uint32_t t = vocab_find(&s->vocab, word, hash_word(word));
        if (t == NO_TERM)
            continue;
        bool seen = false;
        for (size_t i = 0; i < n && !seen; i++)
            seen = q[i].term == t;
        if (seen)
            continue;
        double df = s->vocab.terms[t].df;
        ALLOC_GROW(q, n + 1, alloc);
        q[n++] = (struct query_term){ .term = t,
                                      .idf = log(1.0 + ((double)s->n - df + 0.5) / (df + 0.5)) };
    }
    words_release(&ws);
    *out = q;
    return n;
}

static double bm25(const struct item *it, const struct query_term *q, size_t n_q, double avgdl)
{
    double score = 0;
    double norm = BM25_K1 * (1.0 - BM25_B + BM25_B * (double)it->n_words / avgdl);
    for (size_t i = 0; i < n_q; i++) {
        double tf = term_count(it, q[i].term);
        if (tf > 0)
            score += q[i].idf * tf * (BM25_K1 + 1.0) / (tf + norm);
    }
    return score;
}

size_t semantic_retrieve(const struct semantic *s, const char *query, size_t k, struct strlist *out)
{
    if (!query || k == 0 || s->n == 0)
        return 0;
    struct query_term *q = NULL;
    size_t n_q = query_terms(s, query, &q);
    if (n_q == 0) {
        free(q);
        return 0;
    }
    double avgdl = s->total_words > 0 ? (double)s->total_words / (double)s->n : 1.0;
    struct hit *hits = xmalloc(st_mult(s->n, sizeof(*hits)));
    size_t n_hits = 0;
    for (size_t i = 0; i < s->n; i++) {
        double score = bm25(&s->items[i], q, n_q, avgdl);
        if (score > 0)
            hits[n_hits++] = (struct hit){ .item = i, .score = score };
    }
    qsort(hits, n_hits, sizeof(*hits), compare_hits);
    size_t n = n_hits < k ? n_hits : k;
    for (size_t i = 0; i < n; i++)
        strlist_add(out, s->items[hits[i].item].text);
    free(hits);
    free(q);
    return n;
}
