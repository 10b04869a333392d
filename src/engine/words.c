/*
 * engine/words.c - the engine's one tokenizer and keyword matcher (see
 * words.h for the rules).
 */
#include "core/compat.h"

#include "engine/words.h"

#include "core/xalloc.h"

void text_lower(char *s)
{
    unsigned char *p = (unsigned char *)s;
    for (; *p; p++) {
        if (*p >= 'A' && *p <= 'Z') {
            *p = (unsigned char)(*p + 32);
        } else if (*p == 0xc3 && p[1] >= 0x80 && p[1] <= 0x9e && p[1] != 0x97) {
            p[1] = (unsigned char)(p[1] + 0x20); /* U+00C0..U+00DE -> U+00E0..U+00FE */
            p++;
        }
    }
}

bool words_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/*
 * Blanks the UTF-8 punctuation that would otherwise stick to words (bytes
 * >= 0x80 count as letters): curly quotes, dashes, the ellipsis and other
 * general punctuation (U+2010..U+203F), and from Latin-1 the no-break space,
 * guillemets and the inverted marks. Same length, so offsets into the text
 * still match.
 */
static void blank_punctuation(char *s)
{
    unsigned char *p = (unsigned char *)s;
    for (; *p; p++) {
        if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0xbf) {
            p[0] = p[1] = p[2] = ' ';
            p += 2;
        } else if (p[0] == 0xc2 &&
                   (p[1] == 0xa0 || p[1] == 0xab || p[1] == 0xbb || p[1] == 0xbf || p[1] == 0xa1)) {
            p[0] = p[1] = ' ';
            p++;
        }
    }
}

void words_init(struct words *ws, const char *text)
{
    memset(ws, 0, sizeof(*ws));
    ws->lower = xstrdup(text ? text : "");
    text_lower(ws->lower);
    blank_punctuation(ws->lower);
    const unsigned char *p = (const unsigned char *)ws->lower;
    while (*p) {
        while (*p && !words_byte(*p))
            p++;
        const unsigned char *start = p;
        while (*p && words_byte(*p))
            p++;
        if (p > start && *p == '%' && p[-1] >= '0' && p[-1] <= '9')
            p++; /* "100%" */
        if (p > start) {
            ALLOC_GROW(ws->w, ws->n + 1, ws->alloc);
            ws->w[ws->n++] = span_make((const char *)start, (size_t)(p - start));
        }
    }
}

void words_release(struct words *ws)
{
    free(ws->lower);
    free(ws->w);
    memset(ws, 0, sizeof(*ws));
}

bool word_matches(struct span w, const char *k, size_t n)
{
    if (n && k[n - 1] == '*')
        return w.len >= n - 1 && memcmp(w.ptr, k, n - 1) == 0;
    return w.len == n && memcmp(w.ptr, k, n) == 0;
}

size_t words_match_at(const struct words *ws, size_t i, const char *keyword)
{
    size_t start = i;
    const char *k = keyword;
    k += strspn(k, KEYWORD_SEPARATORS);
    if (!*k)
        return 0;
    while (*k) {
        if (i >= ws->n)
            return 0;
        size_t n = strcspn(k, KEYWORD_SEPARATORS);
        if ((n == 1 && *k == '*') || !word_matches(ws->w[i], k, n))
            return 0;
        k += n;
        k += strspn(k, KEYWORD_SEPARATORS);
        i++;
    }
    return i - start;
}

bool words_contain(const struct words *ws, const char *keyword)
{
    for (size_t i = 0; i < ws->n; i++)
        if (words_match_at(ws, i, keyword))
            return true;
    return false;
}

int words_count_in(const struct words *ws, const struct strlist *list)
{
    int n = 0;
    for (size_t k = 0; k < list->n; k++)
        for (size_t i = 0; i < ws->n; i++)
            n += words_match_at(ws, i, list->items[k]) > 0;
    return n;
}
