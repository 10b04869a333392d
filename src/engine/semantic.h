/*
 * engine/semantic.h - an agent's semantic memory (ENGINE.md 3.2):
 * consolidated memories and documents (a product brief, a page's text),
 * with retrieval of the most relevant ones for a turn by BM25 over words,
 * in C, without model calls.
 *
 * Words: the engine's (engine/words.h: lower-cased ASCII and Latin-1,
 * UTF-8 words whole, punctuation separating them), English and Portuguese
 * stopwords left out, a final "s" of a longer word stripped
 * (plurals; semantic.c says more). Documents are split into passages of
 * at most SEMANTIC_PASSAGE_MAX bytes at paragraph, then sentence, then
 * word boundaries; each passage is an item retrieved on its own, prefixed
 * with its document's name.
 *
 * Bounded: at most SEMANTIC_MAX_MEMORIES consolidated memories (the oldest
 * go first) and SEMANTIC_MAX_PASSAGES document passages (a document that
 * would pass it is refused). Retrieval is deterministic: ties go to the
 * older item.
 *
 * A struct semantic has one owner and is not thread-safe; const use from
 * several threads is fine.
 */
#ifndef ENGINE_SEMANTIC_H
#define ENGINE_SEMANTIC_H

#include "core/compat.h"
#include "core/err.h"
#include "engine/persona.h"

#define SEMANTIC_MAX_MEMORIES 256
#define SEMANTIC_MAX_PASSAGES 512
#define SEMANTIC_PASSAGE_MAX  1200
#define SEMANTIC_TOP_K        7 /* memories retrieved for each turn */

enum memory_kind {
    MEMORY_CONSOLIDATED, /* from an episode */
    MEMORY_DOCUMENT,     /* a passage of a document */
};

struct semantic;

struct semantic *semantic_new(void);
void semantic_free(struct semantic *s); /* accepts NULL */

/*
 * Adds a consolidated memory (copied); the oldest memory (never a document
 * passage) goes when there are too many. An empty text is ignored.
 */
void semantic_add_memory(struct semantic *s, const char *text);

/*
 * Adds a document split into passages, each stored as "<name>: <passage>"
 * (name cut at 120 bytes; "document" when NULL or empty).
 * ERR_TOO_LARGE (nothing added) when its passages would pass
 * SEMANTIC_MAX_PASSAGES; ERR_INVALID for a text empty or all white space.
 */
enum err_code semantic_add_document(struct semantic *s, const char *name, const char *text,
                                    struct err *err);

/*
 * The at most k items most relevant to query by BM25 (k1 1.2, b 0.75),
 * best first, appended to out (copies). Items that share no word with the
 * query are not returned. Returns how many were appended.
 */
size_t semantic_retrieve(const struct semantic *s, const char *query, size_t k,
                         struct strlist *out);

/*
 * The items, oldest first (for checkpoints): count, and each one's kind
 * and text (*text borrowed: valid until s next changes).
 */
size_t semantic_count(const struct semantic *s);
enum memory_kind semantic_item(const struct semantic *s, size_t i, const char **text);

/* Restores an item as it was (checkpoints): no splitting, no bound applied twice. */
void semantic_restore_item(struct semantic *s, enum memory_kind kind, const char *text);

#endif
