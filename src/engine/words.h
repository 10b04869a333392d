/*
 * engine/words.h - the words of a text, as the engine reads and compares
 * them (the offline model's keywords, memory retrieval, similarity, the
 * repetition guard): one tokenizer for all of them.
 *
 * A text is lower-cased (ASCII and the Latin-1 capitals, so "ÁÉÇ" become
 * "áéç" and byte counts do not change), and its words are runs of letters
 * (any non-ASCII letter counts) and digits, with a '%' right after digits
 * kept ("100%"). Everything else separates words: spaces, ASCII
 * punctuation, hyphens and apostrophes ("eco-friendly" is "eco" and
 * "friendly"), and the punctuation of Latin-1 (no-break space, guillemets,
 * inverted marks) and U+2010..U+203F (dashes, curly quotes, the ellipsis).
 *
 * Keywords (words_match_at) are lower-case words separated by spaces,
 * hyphens or apostrophes - read as the text is, so "eco-friendly" and
 * "bachelor's degree" find themselves in a text (and "game" is found in
 * "game-changing"); a keyword word ending in '*' is a prefix
 * ("sustentáv*" matches "sustentável"). Accents are not folded: data files
 * spell words with their accents.
 * Reentrant; a struct words has one owner.
 */
#ifndef ENGINE_WORDS_H
#define ENGINE_WORDS_H

#include "core/compat.h"
#include "core/span.h"
#include "engine/persona.h"

/* What separates the words of a keyword. */
#define KEYWORD_SEPARATORS " -'"

/* Lower-cases s in place (ASCII and U+00C0..U+00DE but U+00D7); lengths do not change. */
void text_lower(char *s);

struct words {
    char *lower; /* owned copy the spans point into */
    struct span *w;
    size_t n, alloc;
};

void words_init(struct words *ws, const char *text);
void words_release(struct words *ws);

/* How many words of ws keyword matches starting at word i; 0: none. */
size_t words_match_at(const struct words *ws, size_t i, const char *keyword);
/* Does keyword occur in ws? */
bool words_contain(const struct words *ws, const char *keyword);
/* How many times the keywords of list occur in ws (each occurrence counts). */
int words_count_in(const struct words *ws, const struct strlist *list);
/* Is c a byte of a word in lower-cased text (bytes >= 0x80 count)? */
bool words_byte(unsigned char c);
/* Does the word w match the keyword word k[0..n) (a final '*' is a prefix)? */
bool word_matches(struct span w, const char *k, size_t n);

#endif
