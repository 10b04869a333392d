/*
 * engine/similarity.c - TF-IDF cosine over a small corpus, and vector
 * cosine (see similarity.h for the contract).
 *
 * TF-IDF without a hash table: every word of every document becomes one
 * (word, document) entry; sorting the entries by word brings each word's
 * occurrences together, and one pass over the runs gives its document
 * frequency, its count in each document, and so its contribution to the
 * norms and to the dot products with the query text.
 */
#include "core/compat.h"

#include "engine/similarity.h"

#include <math.h>

#include "core/span.h"
#include "core/xalloc.h"
#include "engine/words.h"

double similarity_cosine(const float *a, const float *b, size_t dim)
{
    double dot = 0, na = 0, nb = 0;
    for (size_t k = 0; k < dim; k++) {
        dot += (double)a[k] * b[k];
        na += (double)a[k] * a[k];
        nb += (double)b[k] * b[k];
    }
    if (na <= 0 || nb <= 0)
        return 0;
    return dot / (sqrt(na) * sqrt(nb));
}

/* ---- words ---------------------------------------------------------------------------- */

struct entry {
    struct span word; /* into its document's struct words */
    bool negated;     /* in the scope of a negation: another word than the plain one */
    size_t doc;
};

/*
 * Words that negate what follows them. "n't" reaches us as the word "t"
 * ("don't" is "don" and "t", words.h), and people type it without the
 * apostrophe too.
 */
static const char *const negations[] = {
    "not", "no",   "never",  "nor",    "neither", "none", "nothing", "nobody",  "cannot",
    "t",   "dont", "doesnt", "didnt",  "isnt",    "wont", "wouldnt", "cant",    "não",
    "nao", "nem",  "nunca",  "nenhum", "nenhuma", "nada", "jamais",  "ninguém",
};

static bool is_negation(struct span w)
{
    for (size_t i = 0; i < ARRAY_SIZE(negations); i++)
        if (w.len == strlen(negations[i]) && memcmp(w.ptr, negations[i], w.len) == 0)
            return true;
    return false;
}

/* Does [from, to) hold punctuation that ends a clause (and so a negation's scope)? */
static bool clause_ends(const char *from, const char *to)
{
    for (const char *p = from; p < to; p++)
        if (strchr(".,;:!?()", *p))
            return true;
    return false;
}

/*
 * Appends the words of ws (document doc) to *entries. A negation word
 * marks the words after it as negated up to the end of its clause
 * ("I would not buy this." gives i, would, not, NOT buy, NOT this), so
 * that "I would buy this" and "I would not buy this" share only what they
 * really share - the usual treatment of negation in lexical opinion
 * analysis.
 */
static void add_words(const struct words *ws, size_t doc, struct entry **entries, size_t *n,
                      size_t *alloc)
{
    ALLOC_GROW(*entries, *n + ws->n, *alloc);
    bool in_scope = false;
    for (size_t i = 0; i < ws->n; i++) {
        const char *prev_end = i ? ws->w[i - 1].ptr + ws->w[i - 1].len : ws->lower;
        if (in_scope && clause_ends(prev_end, ws->w[i].ptr))
            in_scope = false;
        (*entries)[(*n)++] = (struct entry){ ws->w[i], in_scope, doc };
        if (is_negation(ws->w[i]))
            in_scope = true;
    }
}

static int word_cmp(struct span a, struct span b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = memcmp(a.ptr, b.ptr, n);
    if (c)
        return c;
    return (a.len > b.len) - (a.len < b.len);
}

static int entry_cmp(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;
    if (a->negated != b->negated)
        return a->negated ? 1 : -1;
    int c = word_cmp(a->word, b->word);
    if (c)
        return c;
    return (a->doc > b->doc) - (a->doc < b->doc);
}

/* ---- TF-IDF ---------------------------------------------------------------------------- */

/*
 * One word's run entries[0..len) (sorted by document): adds its weights'
 * squares to norm2[] and its products with the query's (document q) to
 * dot[]. tf[] is scratch of D zeroes, left zeroed.
 */
static void add_term(const struct entry *run, size_t len, size_t n_docs, size_t q, double *tf,
                     double *norm2, double *dot)
{
    size_t df = 0;
    for (size_t k = 0; k < len; k++) {
        if (tf[run[k].doc] == 0)
            df++;
        tf[run[k].doc] += 1;
    }
    double idf = log((1.0 + (double)n_docs) / (1.0 + (double)df)) + 1.0;
    double wq = tf[q] * idf;
    for (size_t k = 0; k < len; k++) {
        size_t d = run[k].doc;
        if (tf[d] == 0)
            continue; /* a later entry of a document already counted */
        double w = tf[d] * idf;
        norm2[d] += w * w;
        if (d != q)
            dot[d] += w * wq;
        tf[d] = 0;
    }
}

void similarity_tfidf(const char *text, const char *const *set, size_t n, double *out)
{
    size_t n_docs = n + 1, q = n; /* the query text is the last document */
    struct words *docs = xcalloc(n_docs, sizeof(*docs));
    struct entry *entries = NULL;
    size_t n_entries = 0, alloc = 0;
    for (size_t d = 0; d < n_docs; d++) {
        words_init(&docs[d], d == q ? text : set[d]);
        add_words(&docs[d], d, &entries, &n_entries, &alloc);
    }
    if (n_entries)
        qsort(entries, n_entries, sizeof(*entries), entry_cmp);

    double *tf = xcalloc(n_docs, sizeof(*tf));
    double *norm2 = xcalloc(n_docs, sizeof(*norm2));
    double *dot = xcalloc(n_docs, sizeof(*dot));
    for (size_t i = 0; i < n_entries;) {
        size_t j = i + 1;
        while (j < n_entries && entries[j].negated == entries[i].negated &&
               word_cmp(entries[j].word, entries[i].word) == 0)
            j++;
        add_term(entries + i, j - i, n_docs, q, tf, norm2, dot);
        i = j;
    }
    for (size_t d = 0; d < n; d++) {
        double denom = sqrt(norm2[d]) * sqrt(norm2[q]);
        out[d] = denom > 0 ? dot[d] / denom : 0;
    }

    for (size_t d = 0; d < n_docs; d++)
        words_release(&docs[d]);
    free(docs);
    free(entries);
    free(tf);
    free(norm2);
    free(dot);
}
