/*
 * engine/persona.h - the engine's persona (ENGINE.md 2): who a simulated
 * person is. Typed fields for everything the engine and the offline model
 * read; fields it does not know are kept as JSON text and shown to the
 * model. A persona has one owner and is not thread-safe; read-only use from
 * several threads is fine.
 *
 * JSON lives in engine/persona_json.c (the wire file): two shapes are read
 * and written - the engine's own spec (TinyTroupe's field names) and the
 * API's (SPEC.md "The persona, as the API writes it"), mapped one to one.
 */
#ifndef ENGINE_PERSONA_H
#define ENGINE_PERSONA_H

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"

#include <jansson.h>

/* A growing list of owned strings. */
struct strlist {
    char **items;
    size_t n, alloc;
};

void strlist_add(struct strlist *l, const char *s);       /* copies s */
bool strlist_has(const struct strlist *l, const char *s); /* case-insensitive */
void strlist_release(struct strlist *l);
/* Appends copies of src's items to dst. */
void strlist_copy(struct strlist *dst, const struct strlist *src);
/* The items joined by '\n' (malloc'd; "" for none): a list stored as one text. */
char *strlist_join_lines(const struct strlist *l);
/* Appends the lines of text (split at '\n'; empty text: none) to out. */
void strlist_split_lines(const char *text, struct strlist *out);

enum big5 {
    BIG5_OPENNESS,
    BIG5_CONSCIENTIOUSNESS,
    BIG5_EXTRAVERSION,
    BIG5_AGREEABLENESS,
    BIG5_NEUROTICISM,
    BIG5_COUNT_,
};

enum big5_level {
    BIG5_UNSET, /* not given: the offline model derives it from trait words */
    BIG5_LOW,
    BIG5_MEDIUM,
    BIG5_HIGH,
};

enum income_level {
    INCOME_UNSET,
    INCOME_LOW,
    INCOME_LOWER_MIDDLE,
    INCOME_MIDDLE,
    INCOME_UPPER_MIDDLE,
    INCOME_HIGH,
};

struct persona_relationship {
    char *name;
    char *description;
};

struct persona_routine {
    char *when; /* the key of behaviors.routines ("morning") */
    char *what;
};

struct persona {
    char *name;
    int age; /* 0: unknown */
    char *gender, *nationality, *education;
    char *language;  /* "en", "pt-BR", ...; "en" when not given */
    char *residence; /* "City, Country" */
    enum income_level income;
    char *occupation_title, *occupation_organization, *occupation_description;
    char *style;
    char *health;
    struct strlist long_term_goals;
    struct strlist traits;
    enum big5_level big5[BIG5_COUNT_];
    struct strlist interests, likes, dislikes;
    struct strlist values;
    struct strlist skills, beliefs;
    struct strlist behaviors;         /* behaviors.general */
    struct persona_routine *routines; /* behaviors.routines */
    size_t n_routines;
    struct persona_relationship *relationships;
    size_t n_relationships;
    struct strlist other_facts;
    char *extra_json; /* unknown fields as a compact JSON object, or NULL */
};

enum persona_shape {
    PERSONA_SHAPE_SPEC, /* the engine's own field names (ENGINE.md 2) */
    PERSONA_SHAPE_API,  /* SPEC.md: demographics, personality, profile */
};

struct persona *persona_new(void);
void persona_free(struct persona *p); /* accepts NULL */
struct persona *persona_dup(const struct persona *p);

const char *persona_income_name(enum income_level level);   /* "lower_middle", ... or NULL */
const char *persona_big5_name(enum big5 dim);               /* "openness", ... */
const char *persona_big5_level_name(enum big5_level level); /* "low", "medium", "high" or NULL */
/* The country part of residence ("Porto Alegre, Brazil" -> "Brazil"), or "". */
const char *persona_country(const struct persona *p);

/* ---- JSON (engine/persona_json.c) ---------------------------------------------------- */

/*
 * Reads a persona from obj (borrowed) in the given shape. Unknown fields
 * are kept in extra_json (spec shape) or, for the API shape, refused
 * outside profile (the API validates its own body first). ERR_INVALID with
 * err->field the path of the bad value ("personality.big_five.openness")
 * and a message saying why ("must be low, medium or high").
 */
enum err_code persona_from_json(const json_t *obj, enum persona_shape shape, struct persona **out,
                                struct err *err);

/*
 * The persona as JSON in the given shape: a new reference. Empty fields
 * are left out, so the result is compact (it is what the model reads).
 */
json_t *persona_to_json(const struct persona *p, enum persona_shape shape);

/*
 * Merges a fragment (a partial spec-shape object, borrowed) onto p
 * (ENGINE.md 2): new keys added, objects merged recursively, lists
 * concatenated without duplicates, a different scalar value is a conflict:
 * ERR_CONFLICT naming the field unless overwrite is set.
 */
enum err_code persona_merge_fragment(struct persona *p, const json_t *fragment, bool overwrite,
                                     struct err *err);

/*
 * persona_from_json on JSON text (len bytes): for callers that keep
 * personas as text (domain/, which works on typed structs and strings).
 * ERR_BAD_JSON for text that is not JSON.
 */
enum err_code persona_parse(const char *text, size_t len, enum persona_shape shape,
                            struct persona **out, struct err *err);

/* persona_to_json as compact text, appended to out. */
void persona_format(const struct persona *p, enum persona_shape shape, struct buf *out);

/*
 * The compact prompt form: the spec-shape JSON, serialised without spaces
 * and with keys in a fixed order, appended to out.
 */
void persona_render(const struct persona *p, struct buf *out);

#endif
