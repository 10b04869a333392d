/*
 * engine/ssr.h - semantic similarity rating (ENGINE.md 3.4 "Elicitation"):
 * a rating derived from a free-text answer instead of asked for as a
 * number. The answer is compared with five anchor statements, one per
 * point of a 1..5 scale (data/offline/anchors.tsv, point 1 the most
 * negative); the similarities become a probability over the points, and
 * the rating is its expected value mapped onto the question's scale.
 *
 * The method is the semantic similarity rating of Maier et al. (2025),
 * "LLMs Reproduce Human Purchase Intent via Semantic Similarity Elicitation
 * of Likert Ratings" (arXiv:2510.08338); only the idea is taken. With s_k
 * the similarity of the answer to the anchor of point k:
 *
 *   p_k    = (s_k - min_j s_j + SSR_EPSILON) / sum_i (s_i - min_j s_j + SSR_EPSILON)
 *   E      = sum_k k * p_k                        (in 1..5)
 *   rating = min + (E - 1) * (max - min) / 4      (on the question's scale)
 *
 * Subtracting the minimum makes the least similar anchor the reference, so
 * what counts is how much closer the answer is to one point than to the
 * others; epsilon keeps every point possible and makes an answer equally
 * close to all anchors (one sharing no word with them, say) uniform, so
 * rated in the middle of the scale.
 *
 * Similarity is the cosine of embeddings when a gateway whose provider
 * embeds is given (llm_embed: the anchors are cached after their first
 * use), and negation-aware TF-IDF cosine (engine/similarity.h)
 * otherwise - the offline model has no embeddings.
 *
 * Threading: ssr_rate blocks while embeddings are fetched (never call it
 * from a gateway or provider callback); everything else is pure and
 * reentrant.
 */
#ifndef ENGINE_SSR_H
#define ENGINE_SSR_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/offline/data.h"
#include "llm/gateway.h"

#define SSR_POINTS  5
#define SSR_EPSILON 0.01 /* small next to the similarities' spread (TF-IDF and cosines) */

enum ssr_method {
    SSR_TFIDF,      /* lexical: no model call */
    SSR_EMBEDDINGS, /* the provider's embeddings */
};

struct ssr_query {
    const char *answer;                       /* the free-text answer; borrowed */
    const struct offline_anchor_set *anchors; /* the set (offline_anchors_find); borrowed */
    const char *language;                     /* of the answer: "en", "pt-BR"; NULL: en */
    double min, max;                          /* the question's scale, min < max */
    struct llm_gateway *gw;                   /* NULL, or a gateway without embeddings: TF-IDF */
    const struct llm_embed_params *embed;     /* model, tags, no_cache; NULL: defaults */
};

struct ssr_result {
    double similarity[SSR_POINTS]; /* of the answer to the anchor of points 1..5 */
    double pmf[SSR_POINTS];        /* the probability of points 1..5; sums to 1 */
    double expected;               /* sum of k * pmf, in 1..5 */
    double rating;                 /* expected mapped onto min..max */
    int point;                     /* the most probable point, 1..5 (the lower on a tie) */
    enum ssr_method method;
};

/*
 * Rates q->answer and fills *out. ERR_INVALID (field "answer" or "anchors"
 * or "scale") for an answer with no words, no anchor set, or min >= max;
 * with embeddings, llm_embed's error (after the provider's retries) - no
 * silent fall-back to TF-IDF, so one run never mixes the two methods.
 */
enum err_code ssr_rate(const struct ssr_query *q, struct ssr_result *out, struct err *err);

/* The probability over the points from the similarities (the formula above). */
void ssr_pmf(const double similarity[SSR_POINTS], double pmf[SSR_POINTS]);

/* A value on the 1..5 scale mapped linearly onto min..max (1 -> min, 5 -> max). */
double ssr_scale(double expected, double min, double max);

/* The anchor set and the language for a question. */
struct ssr_choice {
    const char *set;      /* an anchor set name of anchors.tsv; static */
    const char *language; /* "en" or "pt-BR"; static */
};

/*
 * Chooses the anchor set from the question's words, the first that
 * matches of: purchase_intent (buy, purchase, subscribe, comprar,
 * assinar, ...), trust (trust, believe, confiar, ...), clarity (clear,
 * understand, entender, ...), value (worth, price, vale, preço, ...);
 * appeal otherwise. The language is the respondent's (language, as
 * offline_lang reads it: "pt", "pt-BR", "pt-PT" are pt-BR) when given;
 * with language NULL or "", the question's: pt-BR when it has more
 * Portuguese than English function words, en otherwise.
 */
void ssr_choose(const char *question, const char *language, struct ssr_choice *out);

#endif
