/*
 * engine/persona_json.c - the persona on the wire (a wire file: json_t is
 * allowed here): reading and writing the spec shape (ENGINE.md 2,
 * TinyTroupe's names) and the API shape (SPEC.md), merging fragments, and
 * the compact prompt form.
 *
 * One table per JSON object and shape (spec_* and api_* below) names each
 * key, what kind of value it holds and where that lives in struct persona.
 * The same tables drive reading (validation with the field's path),
 * writing (keys in table order, so equal personas give equal bytes) and
 * merging. Reentrant; no global state.
 *
 * Rules the tables do not show:
 * - null is "not given" everywhere, and so is "" for an optional string
 *   (the field stays unset and is not written back); an empty item in a
 *   list is refused.
 * - Limits: a string holds at most MAX_CHARS characters (MAX_NAME_CHARS
 *   for names), a list, routines and relationships at most MAX_ITEMS
 *   entries; unknown fields at most MAX_EXTRA_FIELDS keys taking
 *   MAX_EXTRA_BYTES of compact JSON.
 * - Age 0 or absent is unknown; otherwise 1..120.
 * - language is a tag like "en" or "pt-BR" (2-3 letters, then subtags of
 *   1-8 letters or digits after '-'); "en" when not given.
 * - income_level and Big Five levels are matched ignoring case; a Big Five
 *   value may also be a number from 0 to 1 (below 0.34 low, below 0.67
 *   medium, else high) or TinyTroupe's "High. Very imaginative..." (the
 *   first word counts, the description is dropped).
 * - behaviors.routines values are strings; TinyTroupe's arrays of strings
 *   are accepted and joined into one.
 * - Unknown fields are kept (extra_json, compact, keys sorted) at the top
 *   level of the spec shape and inside profile in the API shape, and are
 *   written back there. A key that is a field of either shape in the wrong
 *   place ("likes" at the top of a spec, "age" in profile) is refused with
 *   where it belongs, so that the kept keys never collide with fields when
 *   a persona moves from one shape to the other.
 * - API shape: the top-level keys the API layer owns (id, type, tags,
 *   tiny_troupe_config, workspace_id, created_at, updated_at) are ignored
 *   here; any other unknown key outside profile is refused.
 * - Output: routines are written sorted by name and unknown fields sorted
 *   by key, so the bytes do not depend on the input's key order; lists and
 *   relationships keep their order.
 */
#include "core/compat.h"

#include "engine/persona.h"

#include "core/jsonio.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define MAX_CHARS        2000  /* characters in one string */
#define MAX_NAME_CHARS   200   /* characters in a name (persona, relationship) */
#define MAX_KEY_CHARS    100   /* characters in the name of a routine */
#define MAX_ITEMS        100   /* items in a list; routines; relationships */
#define MAX_EXTRA_FIELDS 100   /* unknown fields kept */
#define MAX_EXTRA_BYTES  16384 /* their compact JSON */
#define MAX_AGE          120
#define QUOTE_BYTES      60 /* of a value quoted in a message */
#define PATH_SIZE        192

/* ---- the field tables --------------------------------------------------------------- */

enum pkind {
    PK_NAME,          /* char *, required in a whole persona, 1..MAX_NAME_CHARS */
    PK_STR,           /* char *, 0..MAX_CHARS */
    PK_LANGUAGE,      /* char *, a language tag */
    PK_AGE,           /* p->age */
    PK_INCOME,        /* p->income */
    PK_LIST,          /* struct strlist */
    PK_BIG5,          /* p->big5 */
    PK_ROUTINES,      /* p->routines */
    PK_RELATIONSHIPS, /* p->relationships */
    PK_OBJECT,        /* a nested object: sub */
    PK_IGNORE,        /* owned by the API layer: skipped */
};

struct ptable;

struct pfield {
    const char *name;
    enum pkind kind;
    size_t offset;            /* PK_NAME, PK_STR, PK_LANGUAGE, PK_LIST: where in struct persona */
    const struct ptable *sub; /* PK_OBJECT */
};

struct ptable {
    const struct pfield *fields;
    size_t n_fields;
    bool keeps_extra;      /* unknown keys go to extra_json and are written here */
    const char *string_is; /* a plain string instead of this object fills this field */
    const char *unknown;   /* added to "unknown field" */
};

#define F_STR(n, m)                                  \
    {                                                \
        n, PK_STR, offsetof(struct persona, m), NULL \
    }
#define F_LIST(n, m)                                  \
    {                                                 \
        n, PK_LIST, offsetof(struct persona, m), NULL \
    }
#define F_OBJ(n, t)         \
    {                       \
        n, PK_OBJECT, 0, &t \
    }
#define F_NAME                                                \
    {                                                         \
        "name", PK_NAME, offsetof(struct persona, name), NULL \
    }
#define F_LANGUAGE                                                        \
    {                                                                     \
        "language", PK_LANGUAGE, offsetof(struct persona, language), NULL \
    }
#define F(n, kind)       \
    {                    \
        n, kind, 0, NULL \
    }
#define TABLE(f) (f), ARRAY_SIZE(f)

static const struct pfield behaviors_fields[] = {
    F_LIST("general", behaviors),
    F("routines", PK_ROUTINES),
};
static const struct ptable behaviors_table = { TABLE(behaviors_fields), false, NULL, NULL };

/* The spec shape, in the order it is written. */
static const struct pfield spec_occupation_fields[] = {
    F_STR("title", occupation_title),
    F_STR("organization", occupation_organization),
    F_STR("description", occupation_description),
};
static const struct ptable spec_occupation = { TABLE(spec_occupation_fields), false, "title",
                                               NULL };

static const struct pfield spec_personality_fields[] = {
    F_LIST("traits", traits),
    F("big_five", PK_BIG5),
};
static const struct ptable spec_personality = { TABLE(spec_personality_fields), false, NULL, NULL };

static const struct pfield spec_preferences_fields[] = {
    F_LIST("interests", interests),
    F_LIST("likes", likes),
    F_LIST("dislikes", dislikes),
};
static const struct ptable spec_preferences = { TABLE(spec_preferences_fields), false, NULL, NULL };

static const struct pfield spec_fields[] = {
    F_NAME,
    F("age", PK_AGE),
    F_STR("gender", gender),
    F_STR("nationality", nationality),
    F_STR("residence", residence),
    F_STR("education", education),
    F_LANGUAGE,
    F("income_level", PK_INCOME),
    F_LIST("long_term_goals", long_term_goals),
    F_OBJ("occupation", spec_occupation),
    F_STR("style", style),
    F_OBJ("personality", spec_personality),
    F_OBJ("preferences", spec_preferences),
    F_LIST("values", values),
    F_LIST("skills", skills),
    F_LIST("beliefs", beliefs),
    F_OBJ("behaviors", behaviors_table),
    F_STR("health", health),
    F("relationships", PK_RELATIONSHIPS),
    F_LIST("other_facts", other_facts),
};
static const struct ptable spec_table = { TABLE(spec_fields), true, NULL, NULL };

/* The API shape (SPEC.md), in the order it is written. */
static const struct pfield api_demographics_fields[] = {
    F("age", PK_AGE),
    F_STR("gender", gender),
    F_STR("location", residence),
    F_STR("occupation", occupation_title),
    F("income_level", PK_INCOME),
    F_STR("nationality", nationality),
    F_STR("education", education),
    F_LANGUAGE,
};
static const struct ptable api_demographics = { TABLE(api_demographics_fields), false, NULL, NULL };

static const struct pfield api_personality_fields[] = {
    F_LIST("traits", traits),
    F_LIST("interests", interests),
    F_LIST("values", values),
    F("big_five", PK_BIG5),
};
static const struct ptable api_personality = { TABLE(api_personality_fields), false, NULL, NULL };

static const struct pfield api_occupation_detail_fields[] = {
    F_STR("organization", occupation_organization),
    F_STR("description", occupation_description),
};
static const struct ptable api_occupation_detail = { TABLE(api_occupation_detail_fields), false,
                                                     NULL, NULL };

static const struct pfield api_profile_fields[] = {
    F_OBJ("occupation_detail", api_occupation_detail),
    F_STR("style", style),
    F_LIST("long_term_goals", long_term_goals),
    F_LIST("beliefs", beliefs),
    F_LIST("likes", likes),
    F_LIST("dislikes", dislikes),
    F_LIST("skills", skills),
    F_OBJ("behaviors", behaviors_table),
    F_STR("health", health),
    F("relationships", PK_RELATIONSHIPS),
    F_LIST("other_facts", other_facts),
};
static const struct ptable api_profile = { TABLE(api_profile_fields), true, NULL, NULL };

static const struct pfield api_fields[] = {
    F_NAME,
    F_OBJ("demographics", api_demographics),
    F_OBJ("personality", api_personality),
    F_OBJ("profile", api_profile),
    /* the API layer's own (SPEC.md): not persona fields */
    F("id", PK_IGNORE),
    F("type", PK_IGNORE),
    F("tags", PK_IGNORE),
    F("tiny_troupe_config", PK_IGNORE),
    F("workspace_id", PK_IGNORE),
    F("created_at", PK_IGNORE),
    F("updated_at", PK_IGNORE),
};
static const struct ptable api_table = {
    TABLE(api_fields), false, NULL, " (a persona has name, demographics, personality and profile)"
};

/*
 * Where each field of either shape belongs, for the message when it is met
 * in the wrong place. A key listed here is never kept as an unknown field.
 */
static const struct {
    const char *key, *spec, *api;
} homes[] = {
    { "name", "name", "name" },
    { "age", "age", "demographics.age" },
    { "gender", "gender", "demographics.gender" },
    { "nationality", "nationality", "demographics.nationality" },
    { "residence", "residence", "demographics.location" },
    { "location", "residence", "demographics.location" },
    { "education", "education", "demographics.education" },
    { "language", "language", "demographics.language" },
    { "income_level", "income_level", "demographics.income_level" },
    { "occupation", "occupation", "demographics.occupation" },
    { "occupation_detail", "occupation", "profile.occupation_detail" },
    { "personality", "personality", "personality" },
    { "traits", "personality.traits", "personality.traits" },
    { "big_five", "personality.big_five", "personality.big_five" },
    { "preferences", "preferences", "personality.interests, profile.likes and profile.dislikes" },
    { "interests", "preferences.interests", "personality.interests" },
    { "likes", "preferences.likes", "profile.likes" },
    { "dislikes", "preferences.dislikes", "profile.dislikes" },
    { "values", "values", "personality.values" },
    { "long_term_goals", "long_term_goals", "profile.long_term_goals" },
    { "style", "style", "profile.style" },
    { "skills", "skills", "profile.skills" },
    { "beliefs", "beliefs", "profile.beliefs" },
    { "behaviors", "behaviors", "profile.behaviors" },
    { "health", "health", "profile.health" },
    { "relationships", "relationships", "profile.relationships" },
    { "other_facts", "other_facts", "profile.other_facts" },
    { "demographics", "the API shape", "demographics" },
    { "profile", "the API shape", "profile" },
};

static const char *home_of(const char *key, enum persona_shape shape)
{
    for (size_t i = 0; i < ARRAY_SIZE(homes); i++)
        if (strcmp(homes[i].key, key) == 0)
            return shape == PERSONA_SHAPE_API ? homes[i].api : homes[i].spec;
    return NULL;
}

static const struct pfield *field_of(const struct ptable *t, const char *key)
{
    for (size_t i = 0; i < t->n_fields; i++)
        if (strcmp(t->fields[i].name, key) == 0)
            return &t->fields[i];
    return NULL;
}

static char **str_at(struct persona *p, size_t off)
{
    return (char **)((char *)p + off);
}

static const char *cstr_at(const struct persona *p, size_t off)
{
    return *(char *const *)((const char *)p + off);
}

static struct strlist *list_at(struct persona *p, size_t off)
{
    return (struct strlist *)((char *)p + off);
}

static const struct strlist *clist_at(const struct persona *p, size_t off)
{
    return (const struct strlist *)((const char *)p + off);
}

/* ---- helpers -------------------------------------------------------------------------- */

/* A path cut at PATH_SIZE ends in "..." (paths are for messages only). */
static void mark_cut(char *out, int n)
{
    if (n >= PATH_SIZE)
        memcpy(out + PATH_SIZE - 4, "...", 4);
}

static void join_path(char *out, const char *prefix, const char *key)
{
    if (*prefix)
        mark_cut(out, snprintf(out, PATH_SIZE, "%s.%s", prefix, key));
    else
        mark_cut(out, snprintf(out, PATH_SIZE, "%s", key));
}

static void index_path(char *out, const char *prefix, size_t i)
{
    mark_cut(out, snprintf(out, PATH_SIZE, "%s[%zu]", prefix, i));
}

/* ERR_INVALID with err->field = path and the message "<path>: <reason>". */
static enum err_code bad(struct err *err, const char *path, const char *fmt, ...) ATTR_PRINTF(3, 4);
static enum err_code bad(struct err *err, const char *path, const char *fmt, ...)
{
    char reason[224];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    return err_set(err, ERR_INVALID, path, "%s: %s", path, reason);
}

/* How many bytes of s to quote in a message: at most QUOTE_BYTES, whole characters. */
static int quote_len(const char *s)
{
    return (int)utf8_cut(s, strlen(s), QUOTE_BYTES);
}

static bool is_blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

static bool is_ascii_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ascii_alnum(char c)
{
    return is_ascii_alpha(c) || (c >= '0' && c <= '9');
}

/* "en", "pt-BR", "zh-Hant-TW": 2-3 letters, then subtags of 1-8 letters or digits. */
static bool is_language_tag(const char *s)
{
    size_t i = 0;
    while (is_ascii_alpha(s[i]))
        i++;
    if (i < 2 || i > 3)
        return false;
    while (s[i]) {
        if (s[i] != '-')
            return false;
        size_t start = ++i;
        while (is_ascii_alnum(s[i]))
            i++;
        if (i - start < 1 || i - start > 8)
            return false;
    }
    return i <= 35;
}

/* Whether a and b are the same word, ignoring case and treating '-' and ' ' as '_'. */
static bool same_word(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a == '-' || *a == ' ' ? '_' : *a;
        char y = *b == '-' || *b == ' ' ? '_' : *b;
        if ((x >= 'A' && x <= 'Z'))
            x = (char)(x + 0x20);
        if ((y >= 'A' && y <= 'Z'))
            y = (char)(y + 0x20);
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

/* Whether two list items are the same (the case-insensitive rule of strlist_has). */
static bool same_item(const char *a, const char *b)
{
    char *items[] = { (char *)a };
    struct strlist one = { .items = items, .n = 1, .alloc = 1 };
    return strlist_has(&one, b);
}

/* ---- reading ------------------------------------------------------------------------------- */

struct reader {
    enum persona_shape shape;
    struct persona *p;
    json_t *extra; /* unknown fields kept so far: a new reference, or NULL */
    size_t extra_bytes;
    struct err *err;
};

/* Checks that v is a string of at most max characters without NUL. */
static enum err_code check_text(const json_t *v, const char *path, size_t max, struct err *err)
{
    if (!json_is_string(v))
        return bad(err, path, "must be a string (got %s)", jsonio_kind(v));
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len)
        return bad(err, path, "must not contain a NUL character");
    size_t chars = utf8_chars(s, len);
    if (chars > max)
        return bad(err, path, "%zu characters is too long (at most %zu)", chars, max);
    return ERR_OK;
}

/* A required name: a string of 1..MAX_NAME_CHARS characters, not blank. */
static enum err_code read_name(const json_t *v, const char *path, char **out, struct err *err)
{
    enum err_code rc = check_text(v, path, MAX_NAME_CHARS, err);
    if (rc)
        return rc;
    if (is_blank(json_string_value(v)))
        return bad(err, path, "must not be empty");
    free(*out);
    *out = xstrdup(json_string_value(v));
    return ERR_OK;
}

/* An optional string: "" leaves *out as it is. */
static enum err_code read_str(const json_t *v, const char *path, char **out, struct err *err)
{
    enum err_code rc = check_text(v, path, MAX_CHARS, err);
    if (rc)
        return rc;
    if (json_string_length(v) == 0)
        return ERR_OK;
    free(*out);
    *out = xstrdup(json_string_value(v));
    return ERR_OK;
}

static enum err_code read_language(const json_t *v, const char *path, char **out, struct err *err)
{
    enum err_code rc = check_text(v, path, MAX_CHARS, err);
    if (rc)
        return rc;
    const char *s = json_string_value(v);
    if (!*s)
        return ERR_OK;
    if (!is_language_tag(s))
        return bad(err, path, "'%.*s' is not a language tag (expected one like en or pt-BR)",
                   quote_len(s), s);
    free(*out);
    *out = xstrdup(s);
    return ERR_OK;
}

static enum err_code read_age(const json_t *v, const char *path, int *out, struct err *err)
{
    if (!json_is_integer(v))
        return bad(err, path, "must be an integer (got %s)", jsonio_kind(v));
    json_int_t age = json_integer_value(v);
    if (age != 0 && (age < 1 || age > MAX_AGE))
        return bad(err, path, "%" JSON_INTEGER_FORMAT " is out of range (1..%d)", age, MAX_AGE);
    *out = (int)age;
    return ERR_OK;
}

static enum err_code read_income(const json_t *v, const char *path, enum income_level *out,
                                 struct err *err)
{
    enum err_code rc = check_text(v, path, MAX_CHARS, err);
    if (rc)
        return rc;
    const char *s = json_string_value(v);
    for (enum income_level l = INCOME_LOW; l <= INCOME_HIGH; l++) {
        if (same_word(s, persona_income_name(l))) {
            *out = l;
            return ERR_OK;
        }
    }
    return bad(err, path, "must be low, lower_middle, middle, upper_middle or high (got '%.*s')",
               quote_len(s), s);
}

/* A Big Five level: a word (low, medium, high, maybe followed by a description) or 0..1. */
static enum err_code read_level(const json_t *v, const char *path, enum big5_level *out,
                                struct err *err)
{
    static const char expected[] = "must be low, medium or high, or a number from 0 to 1";
    if (json_is_number(v)) {
        double x = json_number_value(v);
        if (!(x >= 0 && x <= 1))
            return bad(err, path, "%s (got %g)", expected, x);
        *out = x < 0.34 ? BIG5_LOW : x < 0.67 ? BIG5_MEDIUM : BIG5_HIGH;
        return ERR_OK;
    }
    if (!json_is_string(v))
        return bad(err, path, "%s (got %s)", expected, jsonio_kind(v));
    const char *s = json_string_value(v);
    const char *w = s + strspn(s, " \t");
    for (enum big5_level l = BIG5_LOW; l <= BIG5_HIGH; l++) {
        const char *name = persona_big5_level_name(l);
        size_t n = strlen(name);
        if (strncasecmp(w, name, n) == 0 && !is_ascii_alnum(w[n]) && w[n] != '_') {
            *out = l;
            return ERR_OK;
        }
    }
    return bad(err, path, "%s (got '%.*s')", expected, quote_len(s), s);
}

static enum err_code read_big5(const json_t *v, const char *path, enum big5_level *out,
                               struct err *err)
{
    if (!json_is_object(v))
        return bad(err, path, "must be an object (got %s)", jsonio_kind(v));
    const char *key;
    json_t *value;
    json_object_foreach ((json_t *)v, key, value) {
        char sub[PATH_SIZE];
        join_path(sub, path, key);
        enum big5 dim = 0;
        while (dim < BIG5_COUNT_ && strcmp(persona_big5_name(dim), key) != 0)
            dim++;
        if (dim == BIG5_COUNT_)
            return bad(err, sub,
                       "unknown field (the Big Five are openness, conscientiousness, "
                       "extraversion, agreeableness and neuroticism)");
        if (json_is_null(value))
            continue;
        enum err_code rc = read_level(value, sub, &out[dim], err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

/* Checks that v is an array of at most MAX_ITEMS elements. */
static enum err_code check_array(const json_t *v, const char *path, const char *of, struct err *err)
{
    if (!json_is_array(v))
        return bad(err, path, "must be an array of %s (got %s)", of, jsonio_kind(v));
    size_t n = json_array_size(v);
    if (n > MAX_ITEMS)
        return bad(err, path, "%zu items is too many (at most %d)", n, MAX_ITEMS);
    return ERR_OK;
}

/* An item of a list: a string of 1..MAX_CHARS characters. */
static enum err_code check_item(const json_t *item, const char *path, size_t i, struct err *err)
{
    char sub[PATH_SIZE];
    index_path(sub, path, i);
    enum err_code rc = check_text(item, sub, MAX_CHARS, err);
    if (rc)
        return rc;
    if (json_string_length(item) == 0)
        return bad(err, sub, "must not be empty");
    return ERR_OK;
}

static enum err_code read_list(const json_t *v, const char *path, struct strlist *out,
                               struct err *err)
{
    enum err_code rc = check_array(v, path, "strings", err);
    if (rc)
        return rc;
    size_t i;
    json_t *item;
    json_array_foreach (v, i, item) {
        rc = check_item(item, path, i, err);
        if (rc)
            return rc;
        strlist_add(out, json_string_value(item));
    }
    return ERR_OK;
}

static void add_routine(struct persona *p, const char *when, char *what_take)
{
    p->routines = xrealloc(p->routines, st_mult(p->n_routines + 1, sizeof(*p->routines)));
    p->routines[p->n_routines].when = xstrdup(when);
    p->routines[p->n_routines].what = what_take;
    p->n_routines++;
}

/*
 * A routine given as TinyTroupe's array of steps: the steps joined, with a
 * space after one that ends a sentence and "; " otherwise. Sets *out to
 * the joined text (owned) or NULL when there are no steps.
 */
static enum err_code join_steps(const json_t *v, const char *path, char **out, struct err *err)
{
    *out = NULL;
    enum err_code rc = check_array(v, path, "strings", err);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, (size_t)MAX_CHARS * 4 * MAX_ITEMS + MAX_ITEMS * 2);
    size_t i;
    json_t *item;
    json_array_foreach (v, i, item) {
        rc = check_item(item, path, i, err);
        if (rc) {
            buf_release(&b);
            return rc;
        }
        if (b.len > 0)
            buf_adds(&b, strchr(".!?", b.data[b.len - 1]) ? " " : "; ");
        buf_adds(&b, json_string_value(item));
    }
    size_t chars = utf8_chars(b.data, b.len);
    if (chars > MAX_CHARS) {
        buf_release(&b);
        return bad(err, path, "%zu characters is too long (at most %d)", chars, MAX_CHARS);
    }
    if (b.len > 0)
        *out = buf_detach(&b, NULL);
    buf_release(&b);
    return ERR_OK;
}

static enum err_code read_routines(const json_t *v, const char *path, struct persona *p,
                                   struct err *err)
{
    if (!json_is_object(v))
        return bad(err, path, "must be an object (got %s)", jsonio_kind(v));
    size_t n = json_object_size(v);
    if (n > MAX_ITEMS)
        return bad(err, path, "%zu routines is too many (at most %d)", n, MAX_ITEMS);
    const char *key;
    json_t *value;
    json_object_foreach ((json_t *)v, key, value) {
        char sub[PATH_SIZE];
        join_path(sub, path, key);
        size_t chars = utf8_chars(key, strlen(key));
        if (chars == 0)
            return bad(err, path, "a routine's name must not be empty");
        if (chars > MAX_KEY_CHARS)
            return bad(err, path, "a routine's name of %zu characters is too long (at most %d)",
                       chars, MAX_KEY_CHARS);
        char *what = NULL;
        enum err_code rc = ERR_OK;
        if (json_is_null(value))
            continue;
        if (json_is_array(value)) {
            rc = join_steps(value, sub, &what, err);
        } else if (json_is_string(value)) {
            rc = check_text(value, sub, MAX_CHARS, err);
            if (!rc && json_string_length(value) > 0)
                what = xstrdup(json_string_value(value));
        } else {
            rc = bad(err, sub, "must be a string or an array of strings (got %s)",
                     jsonio_kind(value));
        }
        if (rc)
            return rc;
        if (what)
            add_routine(p, key, what);
    }
    return ERR_OK;
}

static enum err_code read_relationship(const json_t *v, const char *path,
                                       struct persona_relationship *out, struct err *err)
{
    if (!json_is_object(v))
        return bad(err, path, "must be an object with a name (got %s)", jsonio_kind(v));
    const char *key;
    json_t *value;
    json_object_foreach ((json_t *)v, key, value) {
        char sub[PATH_SIZE];
        join_path(sub, path, key);
        enum err_code rc = ERR_OK;
        if (strcmp(key, "name") == 0) {
            if (!json_is_null(value))
                rc = read_name(value, sub, &out->name, err);
        } else if (strcmp(key, "description") == 0) {
            if (!json_is_null(value))
                rc = read_str(value, sub, &out->description, err);
        } else {
            rc = bad(err, sub, "unknown field (a relationship has a name and a description)");
        }
        if (rc)
            return rc;
    }
    if (!out->name) {
        char sub[PATH_SIZE];
        join_path(sub, path, "name");
        return bad(err, sub, "is required");
    }
    return ERR_OK;
}

static enum err_code read_relationships(const json_t *v, const char *path, struct persona *p,
                                        struct err *err)
{
    enum err_code rc = check_array(v, path, "objects", err);
    if (rc)
        return rc;
    size_t n = json_array_size(v);
    if (n == 0)
        return ERR_OK;
    p->relationships = xcalloc(n, sizeof(*p->relationships));
    for (size_t i = 0; i < n; i++) {
        char sub[PATH_SIZE];
        index_path(sub, path, i);
        p->n_relationships = i + 1; /* so that persona_free frees a half-read one */
        rc = read_relationship(json_array_get(v, i), sub, &p->relationships[i], err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

/* Keeps an unknown field in rd->extra, within the limits. */
static enum err_code keep_extra(struct reader *rd, const char *key, json_t *v, const char *path)
{
    if (json_is_null(v))
        return ERR_OK;
    if (!rd->extra) {
        rd->extra = json_object();
        rd->extra_bytes = 1; /* "{}" less the comma counted after the last field */
    }
    if (json_object_size(rd->extra) >= MAX_EXTRA_FIELDS)
        return bad(rd->err, path, "too many unknown fields (at most %d)", MAX_EXTRA_FIELDS);
    size_t len;
    free(jsonio_dump(v, JSON_ENCODE_ANY, &len));
    rd->extra_bytes += len + strlen(key) + 4; /* "key": and a comma (keys needing no escapes) */
    if (rd->extra_bytes > MAX_EXTRA_BYTES)
        return bad(rd->err, path, "unknown fields take more than %d bytes of JSON",
                   MAX_EXTRA_BYTES);
    if (json_object_set(rd->extra, key, v) != 0)
        BUG("json_object_set('%s') failed", key);
    return ERR_OK;
}

static enum err_code read_object(struct reader *rd, const struct ptable *t, const json_t *obj,
                                 const char *path);

static enum err_code read_field(struct reader *rd, const struct pfield *f, const json_t *v,
                                const char *path)
{
    struct persona *p = rd->p;
    switch (f->kind) {
    case PK_NAME:
        return read_name(v, path, str_at(p, f->offset), rd->err);
    case PK_STR:
        return read_str(v, path, str_at(p, f->offset), rd->err);
    case PK_LANGUAGE:
        return read_language(v, path, str_at(p, f->offset), rd->err);
    case PK_AGE:
        return read_age(v, path, &p->age, rd->err);
    case PK_INCOME:
        return read_income(v, path, &p->income, rd->err);
    case PK_LIST:
        return read_list(v, path, list_at(p, f->offset), rd->err);
    case PK_BIG5:
        return read_big5(v, path, p->big5, rd->err);
    case PK_ROUTINES:
        return read_routines(v, path, p, rd->err);
    case PK_RELATIONSHIPS:
        return read_relationships(v, path, p, rd->err);
    case PK_OBJECT:
        return read_object(rd, f->sub, v, path);
    case PK_IGNORE:
        break;
    }
    return ERR_OK;
}

static enum err_code read_object(struct reader *rd, const struct ptable *t, const json_t *obj,
                                 const char *path)
{
    if (!json_is_object(obj)) {
        if (t->string_is && json_is_string(obj))
            return read_field(rd, field_of(t, t->string_is), obj, path);
        return bad(rd->err, path, "must be an object%s (got %s)",
                   t->string_is ? " or a string" : "", jsonio_kind(obj));
    }
    const char *key;
    json_t *value;
    json_object_foreach ((json_t *)obj, key, value) {
        char sub[PATH_SIZE];
        join_path(sub, path, key);
        const struct pfield *f = field_of(t, key);
        enum err_code rc = ERR_OK;
        if (f) {
            if (!json_is_null(value))
                rc = read_field(rd, f, value, sub);
        } else {
            const char *home = home_of(key, rd->shape);
            if (home)
                rc = bad(rd->err, sub, "misplaced field (it belongs in %s)", home);
            else if (t->keeps_extra)
                rc = keep_extra(rd, key, value, sub);
            else
                rc = bad(rd->err, sub, "unknown field%s", t->unknown ? t->unknown : "");
        }
        if (rc)
            return rc;
    }
    return ERR_OK;
}

static const struct ptable *table_of(enum persona_shape shape)
{
    return shape == PERSONA_SHAPE_API ? &api_table : &spec_table;
}

/* persona_from_json; partial (a fragment): no name required, no default language. */
static enum err_code read_persona(const json_t *obj, enum persona_shape shape, bool partial,
                                  struct persona **out, struct err *err)
{
    *out = NULL;
    if (!json_is_object(obj))
        return err_set(err, ERR_INVALID, NULL, "a persona must be a JSON object (got %s)",
                       jsonio_kind(obj));
    struct reader rd = { .shape = shape, .p = persona_new(), .err = err };
    if (partial)
        FREE_AND_NULL(rd.p->language);
    enum err_code rc = read_object(&rd, table_of(shape), obj, "");
    if (!rc && !partial && !rd.p->name)
        rc = bad(err, "name", "is required");
    if (!rc && rd.extra && json_object_size(rd.extra) > 0)
        rd.p->extra_json = jsonio_dump(rd.extra, JSON_SORT_KEYS, NULL);
    json_decref(rd.extra);
    if (rc) {
        persona_free(rd.p);
        return rc;
    }
    *out = rd.p;
    return ERR_OK;
}

/*
 * In the API shape, the keys the API layer owns (id, type, tags,
 * tiny_troupe_config, workspace_id, created_at, updated_at) are ignored:
 * they are not persona fields. Any other unknown key outside profile is
 * refused. See the file comment for the other rules.
 */
enum err_code persona_from_json(const json_t *obj, enum persona_shape shape, struct persona **out,
                                struct err *err)
{
    return read_persona(obj, shape, false, out, err);
}

/* ---- writing ------------------------------------------------------------------------------- */

static json_t *list_json(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, jsonio_string(l->items[i], strlen(l->items[i])));
    return a;
}

static int routine_cmp(const void *a, const void *b)
{
    const struct persona_routine *x = *(const struct persona_routine *const *)a;
    const struct persona_routine *y = *(const struct persona_routine *const *)b;
    return strcmp(x->when, y->when);
}

/* behaviors.routines, sorted by name; NULL when there are none. */
static json_t *routines_json(const struct persona *p)
{
    const struct persona_routine **sorted = xcalloc(p->n_routines + 1, sizeof(*sorted));
    size_t n = 0;
    for (size_t i = 0; i < p->n_routines; i++)
        if (p->routines[i].when && p->routines[i].what && *p->routines[i].what)
            sorted[n++] = &p->routines[i];
    qsort(sorted, n, sizeof(*sorted), routine_cmp);
    json_t *o = NULL;
    if (n > 0) {
        o = json_object();
        for (size_t i = 0; i < n; i++)
            jsonio_set_str(o, sorted[i]->when, sorted[i]->what);
    }
    free(sorted);
    return o;
}

static json_t *relationships_json(const struct persona *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->n_relationships; i++) {
        const struct persona_relationship *r = &p->relationships[i];
        if (!r->name)
            continue;
        json_t *o = json_object();
        jsonio_set_str(o, "name", r->name);
        if (r->description && *r->description)
            jsonio_set_str(o, "description", r->description);
        json_array_append_new(a, o);
    }
    return a;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds the unknown fields to o, sorted by key; a key o already has is skipped. */
static void add_extra(const struct persona *p, json_t *o)
{
    if (!p->extra_json)
        return;
    json_t *x = json_loads(p->extra_json, JSON_ALLOW_NUL, NULL);
    if (NEVER(!json_is_object(x))) {
        json_decref(x);
        return;
    }
    const char **keys = xcalloc(json_object_size(x) + 1, sizeof(*keys));
    size_t n = 0;
    const char *key;
    json_t *value;
    json_object_foreach (x, key, value)
        keys[n++] = key;
    qsort(keys, n, sizeof(*keys), key_cmp);
    for (size_t i = 0; i < n; i++)
        if (!json_object_get(o, keys[i]))
            json_object_set(o, keys[i], json_object_get(x, keys[i]));
    free(keys);
    json_decref(x);
}

/* Sets o[key] = v (stolen) when v is a non-empty container; drops it otherwise. */
static void set_nonempty(json_t *o, const char *key, json_t *v)
{
    if (!v)
        return;
    if ((json_is_object(v) && json_object_size(v) == 0) ||
        (json_is_array(v) && json_array_size(v) == 0)) {
        json_decref(v);
        return;
    }
    jsonio_set_new(o, key, v);
}

static json_t *write_object(const struct persona *p, const struct ptable *t);

static void write_field(const struct persona *p, const struct pfield *f, json_t *o)
{
    switch (f->kind) {
    case PK_NAME:
    case PK_STR: {
        const char *s = cstr_at(p, f->offset);
        if (s && *s)
            jsonio_set_str(o, f->name, s);
        break;
    }
    case PK_LANGUAGE: {
        const char *s = cstr_at(p, f->offset);
        jsonio_set_str(o, f->name, s && *s ? s : "en");
        break;
    }
    case PK_AGE:
        if (p->age > 0)
            jsonio_set_new(o, f->name, json_integer(p->age));
        break;
    case PK_INCOME:
        if (persona_income_name(p->income))
            jsonio_set_str(o, f->name, persona_income_name(p->income));
        break;
    case PK_LIST:
        set_nonempty(o, f->name, list_json(clist_at(p, f->offset)));
        break;
    case PK_BIG5: {
        json_t *b = json_object();
        for (enum big5 d = 0; d < BIG5_COUNT_; d++)
            if (persona_big5_level_name(p->big5[d]))
                jsonio_set_str(b, persona_big5_name(d), persona_big5_level_name(p->big5[d]));
        set_nonempty(o, f->name, b);
        break;
    }
    case PK_ROUTINES:
        set_nonempty(o, f->name, routines_json(p));
        break;
    case PK_RELATIONSHIPS:
        set_nonempty(o, f->name, relationships_json(p));
        break;
    case PK_OBJECT:
        set_nonempty(o, f->name, write_object(p, f->sub));
        break;
    case PK_IGNORE:
        break;
    }
}

static json_t *write_object(const struct persona *p, const struct ptable *t)
{
    json_t *o = json_object();
    for (size_t i = 0; i < t->n_fields; i++)
        write_field(p, &t->fields[i], o);
    if (t->keeps_extra)
        add_extra(p, o);
    return o;
}

/*
 * Keys in table order, empty fields left out, language always written.
 * Returns a new reference; never NULL.
 */
json_t *persona_to_json(const struct persona *p, enum persona_shape shape)
{
    return write_object(p, table_of(shape));
}

void persona_format(const struct persona *p, enum persona_shape shape, struct buf *out)
{
    json_t *j = persona_to_json(p, shape);
    size_t len;
    char *text = jsonio_dump(j, 0, &len);
    buf_add(out, text, len);
    free(text);
    json_decref(j);
}

void persona_render(const struct persona *p, struct buf *out)
{
    persona_format(p, PERSONA_SHAPE_SPEC, out);
}

enum err_code persona_parse(const char *text, size_t len, enum persona_shape shape,
                            struct persona **out, struct err *err)
{
    *out = NULL;
    json_t *j = NULL;
    enum err_code rc = jsonio_parse(text, len, &j, err);
    if (!rc)
        rc = persona_from_json(j, shape, out, err);
    json_decref(j);
    return rc;
}

/* ---- fragments ----------------------------------------------------------------------------- */

struct merger {
    bool overwrite;
    struct err *err;
};

static enum err_code conflict(struct merger *m, const char *path, const char *here,
                              const char *there)
{
    return err_set(m->err, ERR_CONFLICT, path,
                   "fragment: '%s' is '%.*s' here and '%.*s' in the fragment", path,
                   quote_len(here), here, quote_len(there), there);
}

static enum err_code too_many(struct merger *m, const char *path, size_t n)
{
    return err_set(m->err, ERR_INVALID, path, "fragment: %s would hold %zu items (at most %d)",
                   path, n, MAX_ITEMS);
}

static enum err_code merge_str(struct merger *m, char **dst, const char *src, const char *path)
{
    if (!src || !*src)
        return ERR_OK;
    if (*dst && **dst && strcmp(*dst, src) != 0 && !m->overwrite)
        return conflict(m, path, *dst, src);
    free(*dst);
    *dst = xstrdup(src);
    return ERR_OK;
}

static enum err_code merge_list(struct merger *m, struct strlist *dst, const struct strlist *src,
                                const char *path)
{
    for (size_t i = 0; i < src->n; i++)
        if (!strlist_has(dst, src->items[i]))
            strlist_add(dst, src->items[i]);
    if (dst->n > MAX_ITEMS)
        return too_many(m, path, dst->n);
    return ERR_OK;
}

static enum err_code merge_age(struct merger *m, struct persona *dst, int age, const char *path)
{
    if (age <= 0)
        return ERR_OK;
    if (dst->age > 0 && dst->age != age && !m->overwrite)
        return err_set(m->err, ERR_CONFLICT, path,
                       "fragment: '%s' is %d here and %d in the fragment", path, dst->age, age);
    dst->age = age;
    return ERR_OK;
}

static enum err_code merge_income(struct merger *m, struct persona *dst, enum income_level level,
                                  const char *path)
{
    if (level == INCOME_UNSET)
        return ERR_OK;
    if (dst->income != INCOME_UNSET && dst->income != level && !m->overwrite)
        return conflict(m, path, persona_income_name(dst->income), persona_income_name(level));
    dst->income = level;
    return ERR_OK;
}

static enum err_code merge_big5(struct merger *m, enum big5_level *dst, const enum big5_level *src,
                                const char *path)
{
    for (enum big5 d = 0; d < BIG5_COUNT_; d++) {
        if (src[d] == BIG5_UNSET)
            continue;
        if (dst[d] != BIG5_UNSET && dst[d] != src[d] && !m->overwrite) {
            char sub[PATH_SIZE];
            join_path(sub, path, persona_big5_name(d));
            return conflict(m, sub, persona_big5_level_name(dst[d]),
                            persona_big5_level_name(src[d]));
        }
        dst[d] = src[d];
    }
    return ERR_OK;
}

static enum err_code merge_routines(struct merger *m, struct persona *dst,
                                    const struct persona *src, const char *path)
{
    for (size_t i = 0; i < src->n_routines; i++) {
        const struct persona_routine *r = &src->routines[i];
        size_t j = 0;
        while (j < dst->n_routines &&
               (!dst->routines[j].when || strcmp(dst->routines[j].when, r->when) != 0))
            j++;
        if (j == dst->n_routines) {
            add_routine(dst, r->when, xstrdup(r->what));
            continue;
        }
        char sub[PATH_SIZE];
        join_path(sub, path, r->when);
        enum err_code rc = merge_str(m, &dst->routines[j].what, r->what, sub);
        if (rc)
            return rc;
    }
    if (dst->n_routines > MAX_ITEMS)
        return too_many(m, path, dst->n_routines);
    return ERR_OK;
}

/* A relationship with a name already known (ignoring case) is the same person. */
static enum err_code merge_relationships(struct merger *m, struct persona *dst,
                                         const struct persona *src, const char *path)
{
    for (size_t i = 0; i < src->n_relationships; i++) {
        const struct persona_relationship *r = &src->relationships[i];
        size_t j = 0;
        while (j < dst->n_relationships &&
               (!dst->relationships[j].name || !same_item(dst->relationships[j].name, r->name)))
            j++;
        if (j == dst->n_relationships) {
            dst->relationships =
                xrealloc(dst->relationships, st_mult(j + 1, sizeof(*dst->relationships)));
            dst->relationships[j].name = xstrdup(r->name);
            dst->relationships[j].description = r->description ? xstrdup(r->description) : NULL;
            dst->n_relationships++;
            continue;
        }
        char sub[PATH_SIZE], item[PATH_SIZE];
        index_path(item, path, j);
        join_path(sub, item, "description");
        enum err_code rc = merge_str(m, &dst->relationships[j].description, r->description, sub);
        if (rc)
            return rc;
    }
    if (dst->n_relationships > MAX_ITEMS)
        return too_many(m, path, dst->n_relationships);
    return ERR_OK;
}

static enum err_code merge_object(struct merger *m, struct persona *dst, const struct persona *src,
                                  const struct ptable *t, const char *path)
{
    enum err_code rc = ERR_OK;
    for (size_t i = 0; i < t->n_fields && !rc; i++) {
        const struct pfield *f = &t->fields[i];
        char sub[PATH_SIZE];
        join_path(sub, path, f->name);
        switch (f->kind) {
        case PK_NAME:
        case PK_STR:
        case PK_LANGUAGE:
            rc = merge_str(m, str_at(dst, f->offset), cstr_at(src, f->offset), sub);
            break;
        case PK_AGE:
            rc = merge_age(m, dst, src->age, sub);
            break;
        case PK_INCOME:
            rc = merge_income(m, dst, src->income, sub);
            break;
        case PK_LIST:
            rc = merge_list(m, list_at(dst, f->offset), clist_at(src, f->offset), sub);
            break;
        case PK_BIG5:
            rc = merge_big5(m, dst->big5, src->big5, sub);
            break;
        case PK_ROUTINES:
            rc = merge_routines(m, dst, src, sub);
            break;
        case PK_RELATIONSHIPS:
            rc = merge_relationships(m, dst, src, sub);
            break;
        case PK_OBJECT:
            rc = merge_object(m, dst, src, f->sub, sub);
            break;
        case PK_IGNORE:
            break;
        }
    }
    return rc;
}

/* Whether array a holds v (strings compared like list items). */
static bool array_has(const json_t *a, const json_t *v)
{
    size_t i;
    json_t *item;
    json_array_foreach (a, i, item) {
        if (json_is_string(item) && json_is_string(v)) {
            if (same_item(json_string_value(item), json_string_value(v)))
                return true;
        } else if (json_equal(item, v)) {
            return true;
        }
    }
    return false;
}

/* The conflict message for two unknown-field values: strings quoted, others as JSON. */
static enum err_code conflict_json(struct merger *m, const char *path, const json_t *here,
                                   const json_t *there)
{
    char *a = json_is_string(here) ? xstrdup(json_string_value(here))
                                   : jsonio_dump(here, JSON_ENCODE_ANY, NULL);
    char *b = json_is_string(there) ? xstrdup(json_string_value(there))
                                    : jsonio_dump(there, JSON_ENCODE_ANY, NULL);
    enum err_code rc = conflict(m, path, a, b);
    free(a);
    free(b);
    return rc;
}

/* Merges src into dst[key]: objects recursively, arrays as a union, scalars as conflicts. */
static enum err_code merge_value(struct merger *m, json_t *dst, const char *key, json_t *src,
                                 const char *path)
{
    json_t *cur = json_object_get(dst, key);
    if (!cur || json_is_null(cur)) {
        jsonio_set_new(dst, key, json_deep_copy(src));
        return ERR_OK;
    }
    if (json_is_object(cur) && json_is_object(src)) {
        const char *k;
        json_t *v;
        json_object_foreach (src, k, v) {
            char sub[PATH_SIZE];
            join_path(sub, path, k);
            enum err_code rc = merge_value(m, cur, k, v, sub);
            if (rc)
                return rc;
        }
        return ERR_OK;
    }
    if (json_is_array(cur) && json_is_array(src)) {
        size_t i;
        json_t *item;
        json_array_foreach (src, i, item)
            if (!array_has(cur, item))
                json_array_append_new(cur, json_deep_copy(item));
        return ERR_OK;
    }
    if (json_equal(cur, src))
        return ERR_OK;
    if (!m->overwrite)
        return conflict_json(m, path, cur, src);
    jsonio_set_new(dst, key, json_deep_copy(src));
    return ERR_OK;
}

static enum err_code merge_extra(struct merger *m, struct persona *dst, const struct persona *src)
{
    if (!src->extra_json)
        return ERR_OK;
    json_t *to =
        dst->extra_json ? json_loads(dst->extra_json, JSON_ALLOW_NUL, NULL) : json_object();
    json_t *from = json_loads(src->extra_json, JSON_ALLOW_NUL, NULL);
    enum err_code rc = ERR_OK;
    if (NEVER(!json_is_object(to) || !json_is_object(from))) {
        rc = err_set(m->err, ERR_INTERNAL, NULL, "a persona's extra_json is not an object");
        goto out;
    }
    const char *key;
    json_t *value;
    json_object_foreach (from, key, value) {
        rc = merge_value(m, to, key, value, key);
        if (rc)
            goto out;
    }
    if (json_object_size(to) > MAX_EXTRA_FIELDS) {
        rc = err_set(m->err, ERR_INVALID, NULL,
                     "fragment: there would be %zu unknown fields (at most %d)",
                     json_object_size(to), MAX_EXTRA_FIELDS);
        goto out;
    }
    size_t len;
    char *text = jsonio_dump(to, JSON_SORT_KEYS, &len);
    if (len > MAX_EXTRA_BYTES) {
        free(text);
        rc = err_set(m->err, ERR_INVALID, NULL,
                     "fragment: unknown fields would take %zu bytes of JSON (at most %d)", len,
                     MAX_EXTRA_BYTES);
        goto out;
    }
    free(dst->extra_json);
    dst->extra_json = text;
out:
    json_decref(to);
    json_decref(from);
    return rc;
}

/*
 * The fragment is read and validated like a spec (without the need for a
 * name; "fragment: " starts the messages), merged into a copy of p, and
 * the copy replaces p's contents only when everything merged: on error p
 * is unchanged. Lists are unions even with overwrite; language is a
 * scalar like the others (a fragment with "pt-BR" conflicts with a persona
 * whose language is "en", given or by default).
 */
enum err_code persona_merge_fragment(struct persona *p, const json_t *fragment, bool overwrite,
                                     struct err *err)
{
    if (!json_is_object(fragment))
        return err_set(err, ERR_INVALID, NULL, "fragment: must be an object (got %s)",
                       jsonio_kind(fragment));
    struct persona *frag = NULL;
    enum err_code rc = read_persona(fragment, PERSONA_SHAPE_SPEC, true, &frag, err);
    if (rc) {
        err_prefix(err, "fragment");
        return rc;
    }
    struct merger m = { .overwrite = overwrite, .err = err };
    struct persona *work = persona_dup(p);
    rc = merge_object(&m, work, frag, &spec_table, "");
    if (!rc)
        rc = merge_extra(&m, work, frag);
    if (!rc) {
        struct persona old = *p;
        *p = *work;
        *work = old;
    }
    persona_free(work);
    persona_free(frag);
    return rc;
}
