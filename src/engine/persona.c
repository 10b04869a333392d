/*
 * engine/persona.c - the persona's memory and names: string lists, new,
 * free and a deep dup, the names of income levels and Big Five dimensions
 * and levels, and the country part of a residence. JSON lives in
 * persona_json.c (the wire file), not here.
 *
 * Invariants: every string a persona holds is owned by it (malloc'd, freed
 * by persona_free); a list's items are never NULL. Reentrant; a persona has
 * one owner.
 */
#include "core/compat.h"

#include "engine/persona.h"

#include "core/utf8.h"
#include "core/xalloc.h"

/* ---- string lists ----------------------------------------------------------------- */

void strlist_add(struct strlist *l, const char *s)
{
    assert(s);
    ALLOC_GROW(l->items, l->n + 1, l->alloc);
    l->items[l->n++] = xstrdup(s);
}

/*
 * The code point at s[*i..n), advancing *i, folded to lower case for the
 * letters whose case pairs are a fixed offset apart: ASCII, Latin-1
 * (U+00C0..U+00DE but U+00D7), Greek (U+0391..U+03AB) and Cyrillic
 * (U+0400..U+042F). Enough for the languages the product speaks (en,
 * pt-BR, es, ...). A byte that does not start a valid sequence is returned
 * as itself plus 0x110000, so it equals only the same byte.
 */
static uint32_t next_folded(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s + *i;
    size_t len = utf8_seq_len(u, n - *i);
    uint32_t cp;
    if (len == 0) {
        (*i)++;
        return 0x110000u + u[0];
    }
    if (len == 1)
        cp = u[0];
    else if (len == 2)
        cp = ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
    else if (len == 3)
        cp = ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
    else
        cp = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) |
             ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
    *i += len;

    if (cp >= 'A' && cp <= 'Z')
        return cp + 0x20;
    if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
        return cp + 0x20;
    if (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2)
        return cp + 0x20;
    if (cp >= 0x410 && cp <= 0x42f)
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40f)
        return cp + 0x50;
    return cp;
}

/* Whether a and b are equal ignoring case (see next_folded for which letters). */
static bool equal_folded(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), i = 0, j = 0;
    while (i < na && j < nb)
        if (next_folded(a, na, &i) != next_folded(b, nb, &j))
            return false;
    return i == na && j == nb;
}

/* Case-insensitive for ASCII, Latin-1, Greek and Cyrillic letters (next_folded). */
bool strlist_has(const struct strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (equal_folded(l->items[i], s))
            return true;
    return false;
}

void strlist_release(struct strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->alloc = 0;
}

void strlist_copy(struct strlist *dst, const struct strlist *src)
{
    for (size_t i = 0; i < src->n; i++)
        strlist_add(dst, src->items[i]);
}

char *strlist_join_lines(const struct strlist *l)
{
    size_t n = 1;
    for (size_t i = 0; i < l->n; i++)
        n += strlen(l->items[i]) + 1;
    char *s = xmalloc(n), *p = s;
    for (size_t i = 0; i < l->n; i++) {
        size_t len = strlen(l->items[i]);
        if (i)
            *p++ = '\n';
        memcpy(p, l->items[i], len);
        p += len;
    }
    *p = '\0';
    return s;
}

void strlist_split_lines(const char *text, struct strlist *out)
{
    while (text && *text) {
        size_t n = strcspn(text, "\n");
        char *line = xmemdupz(text, n);
        strlist_add(out, line);
        free(line);
        text += n + (text[n] == '\n');
    }
}

/* ---- lifecycle ------------------------------------------------------------------------ */

/* A persona with every field unset and language "en". Never NULL. */
struct persona *persona_new(void)
{
    struct persona *p = xcalloc(1, sizeof(*p));
    p->language = xstrdup("en");
    return p;
}

/* The owned strings and the lists of struct persona, for free and dup. */
static const size_t string_offsets[] = {
    offsetof(struct persona, name),
    offsetof(struct persona, gender),
    offsetof(struct persona, nationality),
    offsetof(struct persona, education),
    offsetof(struct persona, language),
    offsetof(struct persona, residence),
    offsetof(struct persona, occupation_title),
    offsetof(struct persona, occupation_organization),
    offsetof(struct persona, occupation_description),
    offsetof(struct persona, style),
    offsetof(struct persona, health),
    offsetof(struct persona, extra_json),
};

static const size_t list_offsets[] = {
    offsetof(struct persona, long_term_goals), offsetof(struct persona, traits),
    offsetof(struct persona, interests),       offsetof(struct persona, likes),
    offsetof(struct persona, dislikes),        offsetof(struct persona, values),
    offsetof(struct persona, skills),          offsetof(struct persona, beliefs),
    offsetof(struct persona, behaviors),       offsetof(struct persona, other_facts),
};

static char **string_at(struct persona *p, size_t off)
{
    return (char **)((char *)p + off);
}

static struct strlist *list_at(struct persona *p, size_t off)
{
    return (struct strlist *)((char *)p + off);
}

void persona_free(struct persona *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < ARRAY_SIZE(string_offsets); i++)
        free(*string_at(p, string_offsets[i]));
    for (size_t i = 0; i < ARRAY_SIZE(list_offsets); i++)
        strlist_release(list_at(p, list_offsets[i]));
    for (size_t i = 0; i < p->n_routines; i++) {
        free(p->routines[i].when);
        free(p->routines[i].what);
    }
    free(p->routines);
    for (size_t i = 0; i < p->n_relationships; i++) {
        free(p->relationships[i].name);
        free(p->relationships[i].description);
    }
    free(p->relationships);
    free(p);
}

/* A deep copy: nothing is shared with p. Never NULL. */
struct persona *persona_dup(const struct persona *p)
{
    struct persona *d = xcalloc(1, sizeof(*d));
    struct persona *src = (struct persona *)p; /* only read: the accessors are not const */
    for (size_t i = 0; i < ARRAY_SIZE(string_offsets); i++)
        *string_at(d, string_offsets[i]) = xstrdup_or_null(*string_at(src, string_offsets[i]));
    for (size_t i = 0; i < ARRAY_SIZE(list_offsets); i++)
        strlist_copy(list_at(d, list_offsets[i]), list_at(src, list_offsets[i]));

    d->age = p->age;
    d->income = p->income;
    memcpy(d->big5, p->big5, sizeof(d->big5));

    if (p->n_routines) {
        d->routines = xcalloc(p->n_routines, sizeof(*d->routines));
        for (size_t i = 0; i < p->n_routines; i++) {
            d->routines[i].when = xstrdup_or_null(p->routines[i].when);
            d->routines[i].what = xstrdup_or_null(p->routines[i].what);
        }
        d->n_routines = p->n_routines;
    }
    if (p->n_relationships) {
        d->relationships = xcalloc(p->n_relationships, sizeof(*d->relationships));
        for (size_t i = 0; i < p->n_relationships; i++) {
            d->relationships[i].name = xstrdup_or_null(p->relationships[i].name);
            d->relationships[i].description = xstrdup_or_null(p->relationships[i].description);
        }
        d->n_relationships = p->n_relationships;
    }
    return d;
}

/* ---- names -------------------------------------------------------------------------------- */

const char *persona_income_name(enum income_level level)
{
    switch (level) {
    case INCOME_LOW:
        return "low";
    case INCOME_LOWER_MIDDLE:
        return "lower_middle";
    case INCOME_MIDDLE:
        return "middle";
    case INCOME_UPPER_MIDDLE:
        return "upper_middle";
    case INCOME_HIGH:
        return "high";
    case INCOME_UNSET:
        break;
    }
    return NULL;
}

/* NULL for a value outside the enum. */
const char *persona_big5_name(enum big5 dim)
{
    switch (dim) {
    case BIG5_OPENNESS:
        return "openness";
    case BIG5_CONSCIENTIOUSNESS:
        return "conscientiousness";
    case BIG5_EXTRAVERSION:
        return "extraversion";
    case BIG5_AGREEABLENESS:
        return "agreeableness";
    case BIG5_NEUROTICISM:
        return "neuroticism";
    case BIG5_COUNT_:
        break;
    }
    return NULL;
}

const char *persona_big5_level_name(enum big5_level level)
{
    switch (level) {
    case BIG5_LOW:
        return "low";
    case BIG5_MEDIUM:
        return "medium";
    case BIG5_HIGH:
        return "high";
    case BIG5_UNSET:
        break;
    }
    return NULL;
}

/*
 * The text after the last comma of residence, without leading spaces; the
 * whole residence when it has no comma ("USA" is read as a country). Points
 * into p->residence: valid while it is not changed.
 */
const char *persona_country(const struct persona *p)
{
    if (!p->residence)
        return "";
    const char *comma = strrchr(p->residence, ',');
    const char *c = comma ? comma + 1 : p->residence;
    while (*c == ' ' || *c == '\t')
        c++;
    return c;
}
