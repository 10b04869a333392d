/*
 * domain/personas.c - a workspace's personas (domain/personas.h): the
 * API's checks on a spec, the rows (personas, persona_tags), listing with
 * search, filters and sort built as one parameterised query, and the plan
 * gates.
 */
#include "core/compat.h"

#include "domain/personas.h"

#include <math.h>
#include <strings.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "domain/check.h"
#include "domain/gate.h"
#include "domain/libraries.h"
#include "domain/templates.h"
#include "engine/offline/offline.h"
#include "store/store.h"

#define PERSONA_COLUMNS                                                                 \
    "p.id, p.workspace_id, p.type, p.template_id, p.spec, p.tags, p.validation_score, " \
    "p.validation_reasons, p.validated_at, p.created_at, p.updated_at"
#define PERSONA_N_COLUMNS 11 /* in PERSONA_COLUMNS */
#define QUERY_WORDS_MAX   10 /* words of a search */
#define FILTER_TEXT_MAX   200
#define PARAMS_MAX        (24 + PERSONA_TAGS_MAX + QUERY_WORDS_MAX)

static const char *const KIND_NAMES[] = { "custom", "template", "generated" };

const char *persona_kind_name(enum persona_kind k)
{
    return KIND_NAMES[k];
}

static bool kind_parse(const char *s, enum persona_kind *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(KIND_NAMES); i++) {
        if (strcasecmp(s, KIND_NAMES[i]) == 0) {
            *out = (enum persona_kind)i;
            return true;
        }
    }
    return false;
}

void persona_record_release(struct persona_record *r)
{
    free(r->template_id);
    free(r->spec);
    free(r->validation_reasons);
    strlist_release(&r->tags);
    memset(r, 0, sizeof(*r));
}

void persona_page_release(struct persona_page *pg)
{
    for (size_t i = 0; i < pg->n; i++)
        persona_record_release(&pg->items[i]);
    free(pg->items);
    memset(pg, 0, sizeof(*pg));
}

/* ---- checks --------------------------------------------------------------------------------- */

/* The first key of a compact JSON object's text ({"key":...}), for a message. */
static void first_key(const char *json, char *out, size_t size)
{
    const char *s = json && json[0] == '{' && json[1] == '"' ? json + 2 : "";
    size_t n = 0;
    while (s[n] && s[n] != '"' && n + 1 < size)
        n++;
    memcpy(out, s, n);
    out[n] = '\0';
}

enum err_code persona_spec_check(const char *spec, size_t len, struct persona **out,
                                 struct buf *canon, struct err *err)
{
    *out = NULL;
    if (len > PERSONA_SPEC_MAX)
        return err_set(err, ERR_INVALID, NULL, "a persona's spec is at most %d bytes (got %zu)",
                       PERSONA_SPEC_MAX, len);
    struct persona *p = NULL;
    enum err_code rc = persona_parse(spec, len, PERSONA_SHAPE_API, &p, err);
    if (rc)
        return rc == ERR_BAD_JSON ? err_recast(err, ERR_INVALID, NULL) : rc;
    if (!p->name)
        rc = err_set(err, ERR_INVALID, "name", "name: a persona needs a name");
    else if (p->age == 0)
        rc = err_set(err, ERR_INVALID, "demographics.age", "demographics.age: is required (%d..%d)",
                     PERSONA_AGE_MIN, PERSONA_AGE_MAX);
    else if (p->age < PERSONA_AGE_MIN || p->age > PERSONA_AGE_MAX)
        rc = err_set(err, ERR_INVALID, "demographics.age",
                     "demographics.age: %d is out of range (%d..%d)", p->age, PERSONA_AGE_MIN,
                     PERSONA_AGE_MAX);
    else if (p->extra_json) {
        char key[48], path[64];
        first_key(p->extra_json, key, sizeof(key));
        snprintf(path, sizeof(path), "profile.%s", key);
        rc = err_set(err, ERR_INVALID, path,
                     "%s: unknown field (profile has occupation_detail, style, long_term_goals, "
                     "beliefs, likes, dislikes, skills, behaviors, health, relationships, "
                     "other_facts)",
                     path);
    }
    if (rc) {
        persona_free(p);
        return rc;
    }
    if (canon)
        persona_format(p, PERSONA_SHAPE_API, canon);
    *out = p;
    return ERR_OK;
}

/* ASCII lower-case in place (other bytes as they are). */
static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

enum err_code persona_tags_check(const struct strlist *tags, struct strlist *out, struct err *err)
{
    if (tags->n > PERSONA_TAGS_MAX)
        return err_set(err, ERR_INVALID, "tags", "tags: at most %d (got %zu)", PERSONA_TAGS_MAX,
                       tags->n);
    for (size_t i = 0; i < tags->n; i++) {
        struct span v;
        char field[32];
        snprintf(field, sizeof(field), "tags[%zu]", i);
        enum err_code rc =
            check_text(field, tags->items[i], 1, PERSONA_TAG_MAX, TEXT_TRIM, &v, err);
        if (rc) {
            strlist_release(out);
            return rc;
        }
        char *tag = xmemdupz(v.ptr, v.len);
        lower_ascii(tag);
        if (!strlist_has(out, tag))
            strlist_add(out, tag);
        free(tag);
    }
    return ERR_OK;
}

/* ---- what is stored besides the spec -------------------------------------------------------- */

/*
 * Demographics are stored for filters in one vocabulary whatever language a
 * persona is written in: "Brasil" and "Brazil" are the same country,
 * "feminino" and "female" the same gender. What is not recognised is kept
 * as written.
 */
static void canonical_country(const char *country, char out[64])
{
    if (!offline_country_english(country, out, 64))
        snprintf(out, 64, "%s", country ? country : "");
}

static const char *canonical_gender(const char *gender)
{
    static const struct {
        const char *word, *canonical;
    } words[] = {
        { "female", "female" },
        { "woman", "female" },
        { "feminino", "female" },
        { "mulher", "female" },
        { "f", "female" },
        { "male", "male" },
        { "man", "male" },
        { "masculino", "male" },
        { "homem", "male" },
        { "m", "male" },
        { "non-binary", "non-binary" },
        { "nonbinary", "non-binary" },
        { "não-binário", "non-binary" },
        { "nao-binario", "non-binary" },
        { "não binário", "non-binary" },
    };
    for (size_t i = 0; gender && i < ARRAY_SIZE(words); i++)
        if (strcasecmp(gender, words[i].word) == 0)
            return words[i].canonical;
    return gender ? gender : "";
}

static void add_words(struct buf *b, const char *s)
{
    if (s && *s) {
        buf_adds(b, s);
        buf_addch(b, '\n');
    }
}

static void add_list(struct buf *b, const struct strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        add_words(b, l->items[i]);
}

/* The lower-case text a search looks in: every value of the persona, and its tags. */
static char *search_text(const struct persona *p, const struct strlist *tags)
{
    struct buf b;
    buf_init(&b, PERSONA_SPEC_MAX * 2);
    const char *fields[] = { p->name,
                             p->gender,
                             p->nationality,
                             p->education,
                             p->language,
                             p->residence,
                             p->occupation_title,
                             p->occupation_organization,
                             p->occupation_description,
                             p->style,
                             p->health,
                             persona_income_name(p->income) };
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
        add_words(&b, fields[i]);
    const struct strlist *lists[] = {
        &p->traits,  &p->interests,       &p->values,    &p->likes,       &p->dislikes, &p->skills,
        &p->beliefs, &p->long_term_goals, &p->behaviors, &p->other_facts, tags
    };
    for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
        add_list(&b, lists[i]);
    for (size_t i = 0; i < p->n_relationships; i++) {
        add_words(&b, p->relationships[i].name);
        add_words(&b, p->relationships[i].description);
    }
    char *s = buf_detach(&b, NULL);
    buf_release(&b);
    lower_ascii(s);
    return s;
}

/* ---- rows ----------------------------------------------------------------------------------- */

/* Copies the current row (PERSONA_COLUMNS from column 0) into r. */
static void read_row(struct store_stmt *st, struct persona_record *r)
{
    snprintf(r->id, sizeof(r->id), "%s", store_col_text(st, 0));
    snprintf(r->workspace_id, sizeof(r->workspace_id), "%s", store_col_text(st, 1));
    enum persona_kind k = PERSONA_KIND_CUSTOM;
    kind_parse(store_col_text(st, 2), &k);
    r->kind = k;
    r->template_id = store_col_is_null(st, 3) ? NULL : xstrdup(store_col_text(st, 3));
    r->spec = xstrdup(store_col_text(st, 4));
    strlist_split_lines(store_col_text(st, 5), &r->tags);
    r->validated = !store_col_is_null(st, 6);
    r->validation_score = r->validated ? (double)store_col_int64(st, 6) / 1000.0 : 0;
    r->validation_reasons = store_col_is_null(st, 7) ? NULL : xstrdup(store_col_text(st, 7));
    r->validated_at = store_col_int64(st, 8);
    r->created_at = store_col_int64(st, 9);
    r->updated_at = store_col_int64(st, 10);
}

static enum err_code not_found(const char *id, struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "id", "no persona '%s'", id);
}

/* Reads persona id of the caller's workspace on conn. */
static enum err_code get_on(struct store_conn *conn, const struct caller *c, const char *id,
                            struct persona_record *out, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id) };
    struct store_stmt *st = NULL;
    enum err_code rc = store_prepare_params(
        conn, "SELECT " PERSONA_COLUMNS " FROM personas p WHERE p.id = ? AND p.workspace_id = ?", p,
        ARRAY_SIZE(p), &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && row)
        read_row(st, out);
    store_finalize(st);
    if (!rc && !row)
        rc = not_found(id, err);
    return rc;
}

/* Replaces the tag rows of persona id. */
static enum err_code write_tags(struct store_conn *conn, const struct caller *c, const char *id,
                                const struct strlist *tags, struct err *err)
{
    struct store_param del[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id) };
    enum err_code rc =
        store_run(conn, "DELETE FROM persona_tags WHERE persona_id = ? AND workspace_id = ?", del,
                  2, NULL, err);
    for (size_t i = 0; !rc && i < tags->n; i++) {
        struct store_param ins[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id),
                                     STORE_TEXT(tags->items[i]) };
        rc = store_run(conn,
                       "INSERT INTO persona_tags (persona_id, workspace_id, tag) VALUES (?, ?, ?)",
                       ins, 3, NULL, err);
    }
    return rc;
}

/* What one insert writes. */
struct new_persona {
    enum persona_kind kind;
    const char *template_id;
    const struct persona *persona;
    const char *spec; /* canonical text */
    const struct strlist *tags;
};

/* Inserts one persona row and its tags on conn (inside the caller's transaction). */
static enum err_code insert_on(struct store_conn *conn, const struct caller *c,
                               const struct new_persona *np, const char *id, int64_t now,
                               struct err *err)
{
    const struct persona *p = np->persona;
    char *search = search_text(p, np->tags);
    char *tags = strlist_join_lines(np->tags);
    const char *income = persona_income_name(p->income);
    char country[64];
    canonical_country(persona_country(p), country);
    struct store_param v[] = {
        STORE_TEXT(id),
        STORE_TEXT(c->workspace_id),
        STORE_TEXT(persona_kind_name(np->kind)),
        STORE_TEXT(np->template_id),
        STORE_TEXT(p->name),
        STORE_INT(p->age),
        STORE_TEXT(canonical_gender(p->gender)),
        STORE_TEXT(p->residence ? p->residence : ""),
        STORE_TEXT(country),
        STORE_TEXT(p->occupation_title ? p->occupation_title : ""),
        STORE_TEXT(income ? income : ""),
        STORE_TEXT(p->nationality ? p->nationality : ""),
        STORE_TEXT(p->education ? p->education : ""),
        STORE_TEXT(p->language ? p->language : ""),
        STORE_TEXT(np->spec),
        STORE_TEXT(tags),
        STORE_TEXT(search),
        STORE_INT(now),
        STORE_INT(now),
    };
    enum err_code rc =
        store_run(conn,
                  "INSERT INTO personas (id, workspace_id, type, template_id, name, age, gender, "
                  "location, country, occupation, income_level, nationality, education, language, "
                  "spec, tags, search, created_at, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  v, ARRAY_SIZE(v), NULL, err);
    if (!rc)
        rc = write_tags(conn, c, id, np->tags, err);
    free(search);
    free(tags);
    return rc;
}

/* Inserts n personas after checking the plan has room for them all: one transaction. */
static enum err_code insert_all(struct store *s, const struct caller *c,
                                const struct new_persona *nps, size_t n, char (*ids)[IDS_UUID_LEN],
                                int64_t now, struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = store_begin_write(conn, err);
    /* counted under the write lock: the count and the inserts are one step */
    if (!rc)
        rc = gate_room(conn, c, LIMIT_PERSONAS, (int64_t)n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        ids_uuid7(ids[i]);
        rc = insert_on(conn, c, &nps[i], ids[i], now, err);
    }
    rc = store_end(conn, rc, err);
    store_release(s, conn);
    return rc;
}

enum err_code personas_fetch(struct store *s, const struct caller *c, const char *id,
                             struct persona_record *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_id(id, "persona", err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = get_on(conn, c, id, out, err);
    store_release(s, conn);
    return rc;
}

enum err_code personas_load(struct store *s, const struct caller *c, const char *id,
                            struct persona **out, struct err *err)
{
    *out = NULL;
    struct persona_record r;
    enum err_code rc = personas_fetch(s, c, id, &r, err);
    if (!rc)
        rc = persona_parse(r.spec, strlen(r.spec), PERSONA_SHAPE_API, out, err);
    persona_record_release(&r);
    return rc;
}

/* ---- create ---------------------------------------------------------------------------------- */

static enum err_code create_from_template(struct store *s, const struct caller *c,
                                          const struct persona_input *in,
                                          const struct strlist *tags, char id[IDS_UUID_LEN],
                                          struct err *err)
{
    const struct persona_template *t = templates_find(in->template_id);
    if (!t)
        return err_set(err, ERR_NOT_FOUND, "template_id", "template_id: no template '%.80s'",
                       in->template_id);
    /* the template's own tags, then the caller's */
    struct strlist all = { 0 };
    strlist_copy(&all, &t->tags);
    for (size_t i = 0; i < tags->n; i++)
        if (!strlist_has(&all, tags->items[i]))
            strlist_add(&all, tags->items[i]);
    enum err_code rc = ERR_OK;
    if (all.n > PERSONA_TAGS_MAX)
        rc = err_set(err, ERR_INVALID, "tags",
                     "tags: at most %d with the template's own %zu (got %zu)", PERSONA_TAGS_MAX,
                     t->tags.n, all.n);
    struct new_persona np = { PERSONA_KIND_TEMPLATE, t->id, t->persona, t->spec, &all };
    if (!rc)
        rc = insert_all(s, c, &np, 1, (char(*)[IDS_UUID_LEN])id, clock_now_ms(), err);
    strlist_release(&all);
    return rc;
}

static enum err_code create_custom(struct store *s, const struct caller *c,
                                   const struct persona_input *in, const struct strlist *tags,
                                   char id[IDS_UUID_LEN], struct err *err)
{
    enum err_code rc = gate_feature(c, FEATURE_CUSTOM_PERSONAS, err);
    if (rc)
        return rc;
    if (!in->spec)
        return err_set(err, ERR_INVALID, "name", "name: a persona needs a name (or a template_id)");
    struct persona *p = NULL;
    struct buf canon;
    buf_init(&canon, PERSONA_SPEC_MAX * 2);
    rc = persona_spec_check(in->spec, in->spec_len, &p, &canon, err);
    struct new_persona np = { PERSONA_KIND_CUSTOM, NULL, p, canon.data, tags };
    if (!rc)
        rc = insert_all(s, c, &np, 1, (char(*)[IDS_UUID_LEN])id, clock_now_ms(), err);
    persona_free(p);
    buf_release(&canon);
    return rc;
}

enum err_code personas_add(struct store *s, const struct caller *c, const struct persona_input *in,
                           struct persona_record *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct strlist tags = { 0 };
    enum err_code rc = ERR_OK;
    if (in->tags)
        rc = persona_tags_check(in->tags, &tags, err);
    char id[IDS_UUID_LEN];
    if (!rc && in->template_id && in->spec)
        rc = err_set(err, ERR_INVALID, "template_id",
                     "template_id: give a template or the persona's fields, not both");
    if (!rc)
        rc = in->template_id ? create_from_template(s, c, in, &tags, id, err)
                             : create_custom(s, c, in, &tags, id, err);
    strlist_release(&tags);
    if (!rc)
        rc = personas_fetch(s, c, id, out, err);
    return rc;
}

enum err_code personas_add_generated(struct store *s, const struct caller *c,
                                     struct persona *const *personas, size_t n,
                                     char (*ids)[IDS_UUID_LEN], struct err *err)
{
    enum err_code rc = gate_feature(c, FEATURE_CUSTOM_PERSONAS, err);
    if (rc || n == 0)
        return rc;
    struct new_persona *nps = xcalloc(n, sizeof(*nps));
    struct buf *canon = xcalloc(n, sizeof(*canon));
    struct strlist no_tags = { 0 };
    for (size_t i = 0; i < n; i++) {
        buf_init(&canon[i], PERSONA_SPEC_MAX * 2);
        persona_format(personas[i], PERSONA_SHAPE_API, &canon[i]);
        nps[i] = (struct new_persona){ PERSONA_KIND_GENERATED, NULL, personas[i], canon[i].data,
                                       &no_tags };
    }
    rc = insert_all(s, c, nps, n, ids, clock_now_ms(), err);
    for (size_t i = 0; i < n; i++)
        buf_release(&canon[i]);
    free(canon);
    free(nps);
    return rc;
}

/* ---- update, delete, validation ------------------------------------------------------------- */

/* Replaces the spec (and the columns drawn from it) of persona id. */
static enum err_code write_spec(struct store_conn *conn, const struct caller *c, const char *id,
                                const struct persona *p, const char *spec,
                                const struct strlist *tags, int64_t now, struct err *err)
{
    char *search = search_text(p, tags);
    const char *income = persona_income_name(p->income);
    char country[64];
    canonical_country(persona_country(p), country);
    struct store_param v[] = {
        STORE_TEXT(p->name),
        STORE_INT(p->age),
        STORE_TEXT(canonical_gender(p->gender)),
        STORE_TEXT(p->residence ? p->residence : ""),
        STORE_TEXT(country),
        STORE_TEXT(p->occupation_title ? p->occupation_title : ""),
        STORE_TEXT(income ? income : ""),
        STORE_TEXT(p->nationality ? p->nationality : ""),
        STORE_TEXT(p->education ? p->education : ""),
        STORE_TEXT(p->language ? p->language : ""),
        STORE_TEXT(spec),
        STORE_TEXT(search),
        STORE_INT(now),
        STORE_TEXT(id),
        STORE_TEXT(c->workspace_id),
    };
    enum err_code rc = store_run(
        conn,
        "UPDATE personas SET name = ?, age = ?, gender = ?, location = ?, country = ?, "
        "occupation = ?, income_level = ?, nationality = ?, education = ?, language = ?, "
        "spec = ?, search = ?, updated_at = ?, validation_score = NULL, "
        "validation_reasons = NULL, validated_at = NULL WHERE id = ? AND workspace_id = ?",
        v, ARRAY_SIZE(v), NULL, err);
    free(search);
    return rc;
}

/* Replaces the tags of persona id (and the search text that holds them). */
static enum err_code write_tag_list(struct store_conn *conn, const struct caller *c, const char *id,
                                    const struct persona *p, const struct strlist *tags,
                                    int64_t now, struct err *err)
{
    char *search = search_text(p, tags);
    char *text = strlist_join_lines(tags);
    struct store_param v[] = { STORE_TEXT(text), STORE_TEXT(search), STORE_INT(now), STORE_TEXT(id),
                               STORE_TEXT(c->workspace_id) };
    enum err_code rc = store_run(conn,
                                 "UPDATE personas SET tags = ?, search = ?, updated_at = ? "
                                 "WHERE id = ? AND workspace_id = ?",
                                 v, ARRAY_SIZE(v), NULL, err);
    if (!rc)
        rc = write_tags(conn, c, id, tags, err);
    free(search);
    free(text);
    return rc;
}

/* The update's checked inputs: the new persona and spec, the new tags. */
struct update_plan {
    struct persona *persona; /* the new one, or the stored one when the spec stays */
    struct buf spec;
    bool new_spec, new_tags;
    struct strlist tags;
};

static enum err_code plan_update(const struct caller *c, const struct persona_input *in,
                                 struct update_plan *u, struct err *err)
{
    if (!in->spec && !in->tags)
        return err_set(err, ERR_INVALID, NULL,
                       "nothing to change: give the persona's fields and/or tags");
    if (in->template_id)
        return err_set(err, ERR_INVALID, "template_id",
                       "template_id: a persona's template cannot change");
    enum err_code rc = ERR_OK;
    if (in->spec) {
        rc = gate_feature(c, FEATURE_CUSTOM_PERSONAS, err);
        if (!rc)
            rc = persona_spec_check(in->spec, in->spec_len, &u->persona, &u->spec, err);
        u->new_spec = true;
    }
    if (!rc && in->tags) {
        rc = persona_tags_check(in->tags, &u->tags, err);
        u->new_tags = true;
    }
    return rc;
}

enum err_code personas_edit(struct store *s, const struct caller *c, const char *id,
                            const struct persona_input *in, struct persona_record *out,
                            struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct update_plan u = { 0 };
    buf_init(&u.spec, PERSONA_SPEC_MAX * 2);
    enum err_code rc = check_id(id, "persona", err);
    if (!rc)
        rc = plan_update(c, in, &u, err);
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (!rc) {
        struct persona_record old = { 0 };
        rc = store_begin_write(conn, err);
        if (!rc)
            rc = get_on(conn, c, id, &old, err);
        if (!rc && !u.persona)
            rc = persona_parse(old.spec, strlen(old.spec), PERSONA_SHAPE_API, &u.persona, err);
        const struct strlist *tags = u.new_tags ? &u.tags : &old.tags;
        int64_t now = clock_now_ms();
        if (!rc && u.new_spec)
            rc = write_spec(conn, c, id, u.persona, u.spec.data, tags, now, err);
        if (!rc)
            rc = write_tag_list(conn, c, id, u.persona, tags, now, err);
        rc = store_end(conn, rc, err);
        persona_record_release(&old);
        store_release(s, conn);
    }
    persona_free(u.persona);
    buf_release(&u.spec);
    strlist_release(&u.tags);
    if (!rc)
        rc = personas_fetch(s, c, id, out, err);
    return rc;
}

enum err_code personas_remove(struct store *s, const struct caller *c, const char *id,
                              struct err *err)
{
    enum err_code rc = check_id(id, "persona", err);
    if (rc)
        return rc;
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(c->workspace_id) };
    int64_t changed = 0;
    rc = store_run(conn, "DELETE FROM personas WHERE id = ? AND workspace_id = ?", p, 2, &changed,
                   err);
    store_release(s, conn);
    if (!rc && changed == 0)
        rc = not_found(id, err);
    return rc;
}

enum err_code personas_set_validation(struct store *s, const struct caller *c, const char *id,
                                      double score, const char *reasons, struct err *err)
{
    enum err_code rc = check_id(id, "persona", err);
    if (rc)
        return rc;
    double clamped = score < 0 ? 0 : score > 1 ? 1 : score;
    char kept[PERSONA_REASONS_MAX + 1];
    snprintf(kept, sizeof(kept), "%s", reasons ? reasons : "");
    struct store_conn *conn = NULL;
    rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_INT((int64_t)llround(clamped * 1000.0)), STORE_TEXT(kept),
                               STORE_INT(clock_now_ms()), STORE_TEXT(id),
                               STORE_TEXT(c->workspace_id) };
    int64_t changed = 0;
    rc = store_run(conn,
                   "UPDATE personas SET validation_score = ?, validation_reasons = ?, "
                   "validated_at = ? WHERE id = ? AND workspace_id = ?",
                   p, ARRAY_SIZE(p), &changed, err);
    store_release(s, conn);
    if (!rc && changed == 0)
        rc = not_found(id, err);
    return rc;
}

enum err_code personas_names(struct store *s, const struct caller *c, struct strlist *out,
                             struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_TEXT(c->workspace_id) };
    struct store_stmt *st = NULL;
    rc = store_prepare_params(conn, "SELECT name FROM personas WHERE workspace_id = ?", p, 1, &st,
                              err);
    bool row = true;
    while (!rc && row) {
        rc = store_step(st, &row, err);
        if (!rc && row)
            strlist_add(out, store_col_text(st, 0));
    }
    store_finalize(st);
    store_release(s, conn);
    return rc;
}

/* ---- listing ------------------------------------------------------------------------------------
 */

enum err_code persona_sort_parse(const char *s, struct persona_filter *f, struct err *err)
{
    static const struct {
        const char *name;
        enum persona_sort sort;
    } sorts[] = {
        { "created_at", PERSONA_SORT_CREATED },
        { "updated_at", PERSONA_SORT_UPDATED },
        { "name", PERSONA_SORT_NAME },
        { "age", PERSONA_SORT_AGE },
        { "validation_score", PERSONA_SORT_VALIDATION },
    };
    const char *name = s + (*s == '-' || *s == '+');
    for (size_t i = 0; i < ARRAY_SIZE(sorts); i++) {
        if (strcmp(name, sorts[i].name) == 0) {
            f->sort = sorts[i].sort;
            /* names read A-Z, the rest newest or highest first, unless a sign says */
            f->ascending = *s == '-' ? false : *s == '+' ? true : f->sort == PERSONA_SORT_NAME;
            return ERR_OK;
        }
    }
    return err_set(err, ERR_INVALID, "sort",
                   "sort: '%.40s' is not one of name, age, created_at, updated_at, "
                   "validation_score (a '-' first for descending)",
                   s);
}

/* A query under construction: its WHERE text and parameters. */
struct query {
    struct buf where;
    struct store_param params[PARAMS_MAX];
    size_t n;
    char *owned[PARAMS_MAX]; /* the texts made here */
    size_t n_owned;
};

static void q_text(struct query *q, const char *sql, const char *value)
{
    buf_adds(&q->where, sql);
    q->params[q->n++] = STORE_TEXT(value);
}

/* A LIKE pattern '%value%' (lower-cased, wildcards escaped with '\'). */
static const char *q_like(struct query *q, const char *value, size_t len)
{
    struct buf b;
    buf_init(&b, len * 2 + 3);
    buf_addch(&b, '%');
    for (size_t i = 0; i < len; i++) {
        char ch = value[i];
        if (ch == '%' || ch == '_' || ch == '\\')
            buf_addch(&b, '\\');
        buf_addch(&b, ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch);
    }
    buf_addch(&b, '%');
    char *s = buf_detach(&b, NULL);
    buf_release(&b);
    q->owned[q->n_owned++] = s;
    return s;
}

static void query_release(struct query *q)
{
    buf_release(&q->where);
    for (size_t i = 0; i < q->n_owned; i++)
        free(q->owned[i]);
}

static enum err_code check_filter_text(const char *field, const char *v, struct err *err)
{
    struct span ignored;
    return v ? check_text(field, v, 0, FILTER_TEXT_MAX, TEXT_LINE, &ignored, err) : ERR_OK;
}

/* The search words: each must appear in the persona's search text. */
static enum err_code add_search(struct query *q, const char *text, struct err *err)
{
    struct span v;
    enum err_code rc = check_text("q", text, 0, PERSONA_QUERY_MAX, TEXT_TRIM, &v, err);
    size_t words = 0;
    for (size_t i = 0; !rc && i < v.len;) {
        while (i < v.len && v.ptr[i] == ' ')
            i++;
        size_t start = i;
        while (i < v.len && v.ptr[i] != ' ')
            i++;
        if (i == start)
            break;
        if (++words > QUERY_WORDS_MAX)
            return err_set(err, ERR_INVALID, "q", "q: at most %d words", QUERY_WORDS_MAX);
        const char *like = q_like(q, v.ptr + start, i - start);
        q_text(q, " AND p.search LIKE ? ESCAPE '\\'", like);
    }
    return rc;
}

/* The exact (case-insensitive) and part-of filters. */
static enum err_code add_text_filters(struct query *q, const struct persona_filter *f,
                                      struct err *err)
{
    char canonical[64];
    canonical_country(f->country, canonical);
    char *country = xstrdup(canonical); /* bound to the query: it must outlive this call */
    q->owned[q->n_owned++] = country;
    const struct {
        const char *field, *column, *value;
        bool part;
    } filters[] = {
        { "gender", "p.gender", f->gender ? canonical_gender(f->gender) : NULL, false },
        { "country", "p.country", f->country ? country : NULL, false },
        { "income_level", "p.income_level", f->income_level, false },
        { "nationality", "p.nationality", f->nationality, false },
        { "language", "p.language", f->language, false },
        { "location", "p.location", f->location, true },
        { "occupation", "p.occupation", f->occupation, true },
        { "education", "p.education", f->education, true },
    };
    for (size_t i = 0; i < ARRAY_SIZE(filters); i++) {
        const char *v = filters[i].value;
        enum err_code rc = check_filter_text(filters[i].field, v, err);
        if (rc)
            return rc;
        if (!v || !*v)
            continue;
        char sql[96];
        if (filters[i].part) {
            snprintf(sql, sizeof(sql), " AND lower(%s) LIKE ? ESCAPE '\\'", filters[i].column);
            q_text(q, sql, q_like(q, v, strlen(v)));
        } else {
            snprintf(sql, sizeof(sql), " AND lower(%s) = lower(?)", filters[i].column);
            q_text(q, sql, v);
        }
    }
    return ERR_OK;
}

static enum err_code check_enums(const struct persona_filter *f, struct err *err)
{
    enum persona_kind k;
    if (f->kind && *f->kind && !kind_parse(f->kind, &k))
        return err_set(err, ERR_INVALID, "type",
                       "type: '%.40s' is not custom, template or generated", f->kind);
    if (f->income_level && *f->income_level) {
        for (int l = INCOME_LOW; l <= INCOME_HIGH; l++)
            if (strcasecmp(f->income_level, persona_income_name((enum income_level)l)) == 0)
                return ERR_OK;
        return err_set(err, ERR_INVALID, "income_level",
                       "income_level: '%.40s' is not low, lower_middle, middle, upper_middle or "
                       "high",
                       f->income_level);
    }
    return ERR_OK;
}

static enum err_code build_where(struct query *q, const struct caller *c,
                                 const struct persona_filter *f, struct err *err)
{
    q_text(q, "p.workspace_id = ?", c->workspace_id);
    enum err_code rc = check_enums(f, err);
    if (!rc && f->q)
        rc = add_search(q, f->q, err);
    if (!rc)
        rc = add_text_filters(q, f, err);
    if (!rc && f->kind && *f->kind)
        q_text(q, " AND p.type = lower(?)", f->kind);
    if (!rc && (f->age_min < 0 || f->age_max < 0 || (f->age_max && f->age_min > f->age_max)))
        rc = err_set(err, ERR_INVALID, "age_min", "age_min: must not be above age_max");
    if (!rc && f->age_min) {
        buf_adds(&q->where, " AND p.age >= ?");
        q->params[q->n++] = STORE_INT(f->age_min);
    }
    if (!rc && f->age_max) {
        buf_adds(&q->where, " AND p.age <= ?");
        q->params[q->n++] = STORE_INT(f->age_max);
    }
    if (!rc && f->tags) {
        if (f->tags->n > PERSONA_TAGS_MAX)
            return err_set(err, ERR_INVALID, "tag", "tag: at most %d tags", PERSONA_TAGS_MAX);
        for (size_t i = 0; i < f->tags->n; i++) {
            char *tag = xstrdup(f->tags->items[i]);
            lower_ascii(tag);
            q->owned[q->n_owned++] = tag;
            q_text(q,
                   " AND EXISTS (SELECT 1 FROM persona_tags t WHERE t.persona_id = p.id AND "
                   "t.tag = ?)",
                   tag);
        }
    }
    if (!rc && f->library_id) {
        q_text(q,
               " AND EXISTS (SELECT 1 FROM library_personas l WHERE l.persona_id = p.id AND "
               "l.library_id = ?",
               f->library_id);
        q_text(q, " AND l.workspace_id = ?)", c->workspace_id);
    }
    return rc;
}

static const char *order_by(const struct persona_filter *f)
{
    switch (f->sort) {
    case PERSONA_SORT_NAME:
        return f->ascending ? " ORDER BY lower(p.name) ASC, p.id ASC"
                            : " ORDER BY lower(p.name) DESC, p.id DESC";
    case PERSONA_SORT_AGE:
        return f->ascending ? " ORDER BY p.age ASC, p.id ASC" : " ORDER BY p.age DESC, p.id DESC";
    case PERSONA_SORT_UPDATED:
        return f->ascending ? " ORDER BY p.updated_at ASC, p.id ASC"
                            : " ORDER BY p.updated_at DESC, p.id DESC";
    case PERSONA_SORT_VALIDATION:
        /* the personas never validated last, either way */
        return f->ascending
                   ? " ORDER BY (p.validation_score IS NULL) ASC, p.validation_score ASC, p.id ASC"
                   : " ORDER BY (p.validation_score IS NULL) ASC, p.validation_score DESC, p.id "
                     "DESC";
    case PERSONA_SORT_CREATED:
    default:
        return f->ascending ? " ORDER BY p.created_at ASC, p.id ASC"
                            : " ORDER BY p.created_at DESC, p.id DESC";
    }
}

/* The library a listing is limited to: the caller's, or not found naming library_id. */
static enum err_code check_library(struct store_conn *conn, const struct caller *c, const char *id,
                                   struct err *err)
{
    enum err_code rc = check_id(id, "library", err);
    if (!rc)
        rc = library_exists(conn, c->workspace_id, id, err);
    if (rc == ERR_NOT_FOUND)
        err_recast(err, rc, "library_id");
    return rc;
}

/*
 * A page and the total. A search reads every persona's text, so it counts
 * in the same scan (COUNT(*) OVER () sees every row the filters keep before
 * LIMIT cuts the page): a second COUNT query would double its cost. Without
 * a search the index on (workspace_id, created_at) makes the count cheap and
 * lets the page stop early, which a window would prevent; so the count runs
 * on its own. A page past the end of a search has no row to carry the total:
 * it is counted on its own too. (bench/run measures both.)
 */
static enum err_code fetch_page(struct store_conn *conn, struct query *q,
                                const struct persona_filter *f, struct persona_page *out,
                                struct err *err)
{
    bool one_scan = f->q && *f->q;
    struct buf sql;
    buf_init(&sql, 16384);
    enum err_code rc = ERR_OK;
    if (!one_scan) {
        buf_addf(&sql, "SELECT COUNT(*) FROM personas p WHERE %s", q->where.data);
        rc = store_query_int(conn, sql.data, q->params, q->n, &out->total, err);
        buf_reset(&sql);
    }
    buf_addf(&sql, "SELECT " PERSONA_COLUMNS "%s FROM personas p WHERE %s%s LIMIT ? OFFSET ?",
             one_scan ? ", COUNT(*) OVER ()" : "", q->where.data, order_by(f));
    size_t n_filters = q->n;
    q->params[q->n++] = STORE_INT(out->limit);
    q->params[q->n++] = STORE_INT(out->offset);
    struct store_stmt *st = NULL;
    if (!rc)
        rc = store_prepare_params(conn, sql.data, q->params, q->n, &st, err);
    out->items = xcalloc((size_t)out->limit, sizeof(*out->items));
    bool row = true;
    while (!rc && row && out->n < (size_t)out->limit) {
        rc = store_step(st, &row, err);
        if (!rc && row) {
            read_row(st, &out->items[out->n++]);
            if (one_scan)
                out->total = store_col_int64(st, PERSONA_N_COLUMNS);
        }
    }
    store_finalize(st);
    if (!rc && one_scan && out->n == 0 && out->offset > 0) {
        buf_reset(&sql);
        buf_addf(&sql, "SELECT COUNT(*) FROM personas p WHERE %s", q->where.data);
        rc = store_query_int(conn, sql.data, q->params, n_filters, &out->total, err);
    }
    buf_release(&sql);
    return rc;
}

enum err_code personas_query(struct store *s, const struct caller *c,
                             const struct persona_filter *f, struct persona_page *out,
                             struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->limit = f->limit ? f->limit : PERSONA_PAGE_DEFAULT;
    out->offset = f->offset;
    enum err_code rc = check_page(out->limit, out->offset, PERSONA_PAGE_MAX, err);
    if (rc)
        return rc;
    struct query q = { 0 };
    buf_init(&q.where, 16384);
    rc = build_where(&q, c, f, err);
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (!rc) {
        if (f->library_id)
            rc = check_library(conn, c, f->library_id, err);
        if (!rc)
            rc = fetch_page(conn, &q, f, out, err);
        store_release(s, conn);
    }
    query_release(&q);
    if (rc)
        persona_page_release(out);
    return rc;
}
