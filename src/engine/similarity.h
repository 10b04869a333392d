/*
 * engine/similarity.h - how alike texts are: the lexical TF-IDF cosine
 * similarity of one text to each text of a small set (no model needed),
 * and the cosine of two vectors (for embeddings from a model).
 *
 * Words, for TF-IDF, are the engine's (engine/words.h): lower-cased
 * (ASCII and the Latin-1 capitals, "NÃO" -> "não"), runs of letters and
 * digits with UTF-8 letters kept whole, everything else separating - the
 * rule of llm-serve's hashed embeddings too (docs/llm-serve.md), but for
 * the punctuation of Latin-1 and U+2010..U+203F, which separates here.
 *
 * Pure functions: reentrant, no state; any thread.
 */
#ifndef ENGINE_SIMILARITY_H
#define ENGINE_SIMILARITY_H

#include "core/compat.h"

/*
 * The cosine of a and b (dim floats each): dot / (|a| |b|), in -1..1;
 * 0 when either is the zero vector or dim is 0.
 */
double similarity_cosine(const float *a, const float *b, size_t dim);

/*
 * The TF-IDF cosine similarity of text to each of set[0..n), into
 * out[0..n) (each in 0..1; 0 when either side has no words). The corpus
 * is the n texts of the set plus text itself (D = n + 1 documents). A
 * word's weight in a document is tf * idf, with tf its count there and the
 * smooth idf = ln((1 + D) / (1 + df)) + 1, df being the number of
 * documents that hold it: words every document shares still count, rare
 * ones count more. Negation is heeded: after a negation word ("not",
 * "no", "never", "n't", "não", "nem", "nunca", ...) the words up to the
 * end of its clause (. , ; : ! ? or a parenthesis) count as other words
 * than their plain selves, so "I would not buy this" is far from "I would
 * buy this" - without it, opinions that differ by one "not" look alike to
 * any lexical measure. Meant for small sets (anchor statements, a handful of
 * candidates): time is O(W log W) in the total number of words W.
 */
void similarity_tfidf(const char *text, const char *const *set, size_t n, double *out);

#endif
