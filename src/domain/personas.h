/*
 * domain/personas.h - a workspace's personas (SPEC.md 2, 3 "Persona
 * management"): custom ones, ones added from the template catalogue
 * (domain/templates.h) and generated ones (the factory), with their tags;
 * listing with search, filters and sort; the validator's verdict.
 *
 * A persona is kept as its spec - name, demographics, personality and
 * profile in the API's shape (SPEC.md "The persona, as the API writes it")
 * as compact JSON text, checked by the engine's reader (engine/persona.h)
 * plus the API's own rules below - with its demographics copied into
 * columns to filter and sort by.
 *
 * The API's rules on top of the engine's: a name; demographics.age from
 * PERSONA_AGE_MIN to PERSONA_AGE_MAX; no field the API does not know, in
 * profile either (the engine keeps unknown profile fields; the API refuses
 * them so that a typo is not silently stored); at most PERSONA_TAGS_MAX
 * tags of 1..PERSONA_TAG_MAX characters, stored lower-case.
 *
 * Plan gates (domain/gate.h): every persona counts against max_personas
 * (bought extras included), checked in the insert's write transaction so
 * that parallel creates never pass the limit. Creating a custom persona,
 * changing a persona's spec and generating need custom_personas; adding a
 * template, tagging, validating and deleting work on every plan.
 *
 * Tenancy: every query is scoped by the caller's workspace; another
 * workspace's persona is ERR_NOT_FOUND, exactly like one that does not
 * exist. Threading: any thread; each call uses its own connection.
 */
#ifndef DOMAIN_PERSONAS_H
#define DOMAIN_PERSONAS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"
#include "domain/accounts.h"
#include "engine/persona.h"

struct store;
struct store_conn;

#define PERSONA_AGE_MIN      18
#define PERSONA_AGE_MAX      100
#define PERSONA_TAGS_MAX     20
#define PERSONA_TAG_MAX      40    /* characters */
#define PERSONA_SPEC_MAX     65536 /* bytes of a spec's JSON */
#define PERSONA_PAGE_DEFAULT 50
#define PERSONA_PAGE_MAX     200
#define PERSONA_QUERY_MAX    200  /* characters of a search */
#define PERSONA_REASONS_MAX  4000 /* bytes of the validator's reasons kept */

enum persona_kind {
    PERSONA_KIND_CUSTOM,
    PERSONA_KIND_TEMPLATE,
    PERSONA_KIND_GENERATED,
};

/* "custom", "template", "generated". */
const char *persona_kind_name(enum persona_kind k);

/* A persona as stored. */
struct persona_record {
    char id[IDS_UUID_LEN];
    char workspace_id[IDS_UUID_LEN];
    enum persona_kind kind;
    char *template_id; /* the template it came from, or NULL */
    char *spec;        /* compact JSON: name, demographics, personality, profile */
    struct strlist tags;
    bool validated;
    double validation_score; /* 0..1 when validated */
    char *validation_reasons;
    int64_t validated_at;
    int64_t created_at, updated_at; /* ms */
};

void persona_record_release(struct persona_record *r); /* accepts a zeroed struct */

struct persona_page {
    struct persona_record *items;
    size_t n;
    int64_t total, limit, offset;
};

void persona_page_release(struct persona_page *pg);

/* The sort orders of a listing. */
enum persona_sort {
    PERSONA_SORT_CREATED, /* the default, newest first */
    PERSONA_SORT_UPDATED,
    PERSONA_SORT_NAME,
    PERSONA_SORT_AGE,
    PERSONA_SORT_VALIDATION,
};

/*
 * What a listing asks for; every field may be left zero. Text filters
 * compare ignoring ASCII case: gender, country, income_level, nationality,
 * language and kind exactly; location, occupation and education as a part
 * of the value. q: every word must appear in the persona's text (name,
 * demographics, personality, profile, tags).
 */
struct persona_filter {
    const char *q;
    int64_t age_min, age_max; /* 0: no bound */
    const char *gender, *country, *location, *occupation, *income_level, *nationality, *education,
        *language, *kind;
    const struct strlist *tags; /* the persona has all of them */
    const char *library_id;     /* a member of this library */
    enum persona_sort sort;
    bool ascending; /* the default is newest/highest first; names sort A-Z unless descending */
    int64_t limit, offset;
};

/*
 * Parses a sort argument: "name", "age", "created_at", "updated_at",
 * "validation_score", each optionally prefixed by '-' (descending) or
 * '+'. ERR_INVALID naming "sort" otherwise.
 */
enum err_code persona_sort_parse(const char *s, struct persona_filter *f, struct err *err);

/* A page of the caller's workspace's personas. ERR_INVALID naming a bad filter. */
enum err_code personas_query(struct store *s, const struct caller *c,
                             const struct persona_filter *f, struct persona_page *out,
                             struct err *err);

/*
 * Checks a spec (API shape, JSON text) by the rules above and gives the
 * engine's persona (*out, free with persona_free) and its canonical text
 * (appended to canon; may be NULL). ERR_INVALID naming the field.
 */
enum err_code persona_spec_check(const char *spec, size_t len, struct persona **out,
                                 struct buf *canon, struct err *err);

/* Checks and normalises tags (trimmed, lower-case, no duplicates) into out. */
enum err_code persona_tags_check(const struct strlist *tags, struct strlist *out, struct err *err);

/* What create and update take; NULL fields are not given. */
struct persona_input {
    const char *spec; /* API-shape JSON text */
    size_t spec_len;
    const struct strlist *tags;
    const char *template_id; /* create only: add this template instead of a spec */
};

/*
 * Creates a persona: from in->template_id (every plan) or from in->spec (a
 * custom persona: custom_personas). Counted by max_personas. ERR_INVALID
 * naming the field, ERR_NOT_FOUND for an unknown template (field
 * "template_id"), ERR_FORBIDDEN, ERR_PLAN_LIMIT (field "max_personas").
 */
enum err_code personas_add(struct store *s, const struct caller *c, const struct persona_input *in,
                           struct persona_record *out, struct err *err);

/*
 * Adds generated personas (engine structs, borrowed) in one transaction,
 * after checking the plan has room for all n; ids into ids[0..n).
 */
enum err_code personas_add_generated(struct store *s, const struct caller *c,
                                     struct persona *const *personas, size_t n,
                                     char (*ids)[IDS_UUID_LEN], struct err *err);

enum err_code personas_fetch(struct store *s, const struct caller *c, const char *id,
                             struct persona_record *out, struct err *err);

/* The engine's persona of a stored one (free with persona_free). */
enum err_code personas_load(struct store *s, const struct caller *c, const char *id,
                            struct persona **out, struct err *err);

/*
 * Changes a persona: its spec (custom_personas; the whole spec is
 * replaced) and/or its tags (every plan; the list is replaced). At least
 * one must be given.
 */
enum err_code personas_edit(struct store *s, const struct caller *c, const char *id,
                            const struct persona_input *in, struct persona_record *out,
                            struct err *err);

enum err_code personas_remove(struct store *s, const struct caller *c, const char *id,
                              struct err *err);

/* Stores the validator's verdict on persona id. */
enum err_code personas_set_validation(struct store *s, const struct caller *c, const char *id,
                                      double score, const char *reasons, struct err *err);

/* The names of the workspace's personas (for the factory: no name twice). */
enum err_code personas_names(struct store *s, const struct caller *c, struct strlist *out,
                             struct err *err);

#endif
