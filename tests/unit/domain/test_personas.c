/*
 * tests/unit/domain/test_personas.c - domain/personas.h against a real,
 * migrated SQLite store (tests/unit/fixture.h): the API's checks on a spec,
 * templates and custom personas and their plan gates, max_personas under
 * threads creating at once, tags, filters, sort and pages, the validator's
 * verdict, generated personas all-or-nothing, tenant isolation.
 */
#include "core/compat.h"

#include "domain/personas.h"

#include <pthread.h>
#include <setjmp.h>

#include <cmocka.h>

#include "core/buf.h"
#include "domain/templates.h"
#include "fixture.h"
#include "testutil.h"

/* A spec in the API's shape with the given name, age and location. */
static char *spec_of(const char *name, int age, const char *location, const char *extra)
{
    struct buf b;
    buf_init(&b, 8192);
    buf_addf(&b,
             "{\"name\":\"%s\",\"demographics\":{\"age\":%d,\"location\":\"%s\","
             "\"gender\":\"female\",\"income_level\":\"middle\",\"occupation\":\"nurse\"}%s}",
             name, age, location, extra ? extra : "");
    char *s = buf_detach(&b, NULL);
    buf_release(&b);
    return s;
}

/* Creates a custom persona; asserts success; its id into id. */
static void add_custom(const struct caller *c, const char *name, int age, const char *location,
                       const struct strlist *tags, char id[IDS_UUID_LEN])
{
    char *spec = spec_of(name, age, location, NULL);
    struct persona_input in = { .spec = spec, .spec_len = strlen(spec), .tags = tags };
    struct persona_record r;
    struct err err = ERR_INIT;
    assert_ok(personas_add(fx.store, c, &in, &r, &err), &err);
    snprintf(id, IDS_UUID_LEN, "%s", r.id);
    persona_record_release(&r);
    free(spec);
}

/* The code of checking spec; the field at fault into field. */
static enum err_code check_spec(const char *spec, char field[64])
{
    struct persona *p = NULL;
    struct err err = ERR_INIT;
    enum err_code rc = persona_spec_check(spec, strlen(spec), &p, NULL, &err);
    snprintf(field, 64, "%s", err.field);
    persona_free(p);
    return rc;
}

static void the_api_rules_name_the_field(void **state)
{
    (void)state;
    char field[64];
    assert_int_equal(check_spec("{\"demographics\":{\"age\":30}}", field), ERR_INVALID);
    assert_string_equal(field, "name");
    assert_int_equal(check_spec("{\"name\":\"A\"}", field), ERR_INVALID);
    assert_string_equal(field, "demographics.age");
    assert_int_equal(check_spec("{\"name\":\"A\",\"demographics\":{\"age\":17}}", field),
                     ERR_INVALID);
    assert_string_equal(field, "demographics.age");
    assert_int_equal(check_spec("{\"name\":\"A\",\"demographics\":{\"age\":101}}", field),
                     ERR_INVALID);
    assert_int_equal(check_spec("{\"name\":\"A\",\"demographics\":{\"age\":18}}", field), ERR_OK);
    assert_int_equal(check_spec("{\"name\":\"A\",\"demographics\":{\"age\":100}}", field), ERR_OK);
    assert_int_equal(
        check_spec("{\"name\":\"A\",\"demographics\":{\"age\":30},\"profile\":{\"colour\":1}}",
                   field),
        ERR_INVALID);
    assert_string_equal(field, "profile.colour");
    assert_int_equal(
        check_spec("{\"name\":\"A\",\"demographics\":{\"age\":30,\"income_level\":\"rich\"}}",
                   field),
        ERR_INVALID);
    assert_string_equal(field, "demographics.income_level");
    assert_int_equal(
        check_spec("{\"name\":\"A\",\"hair\":\"red\",\"demographics\":{\"age\":30}}", field),
        ERR_INVALID);
    assert_string_equal(field, "hair");
    assert_int_equal(check_spec("{\"name\":", field), ERR_INVALID);
}

static void tags_are_trimmed_lower_case_and_bounded(void **state)
{
    (void)state;
    struct strlist in = { 0 }, out = { 0 };
    strlist_add(&in, "  Parents ");
    strlist_add(&in, "parents");
    strlist_add(&in, "pt-BR");
    struct err err = ERR_INIT;
    assert_ok(persona_tags_check(&in, &out, &err), &err);
    assert_int_equal(out.n, 2);
    assert_string_equal(out.items[0], "parents");
    assert_string_equal(out.items[1], "pt-br");
    strlist_release(&out);
    strlist_add(&in, "");
    assert_int_equal(persona_tags_check(&in, &out, &err), ERR_INVALID);
    assert_string_equal(err.field, "tags[3]");
    strlist_release(&in);
    for (int i = 0; i <= PERSONA_TAGS_MAX; i++) {
        char t[16];
        snprintf(t, sizeof(t), "t%d", i);
        strlist_add(&in, t);
    }
    assert_int_equal(persona_tags_check(&in, &out, &err), ERR_INVALID);
    assert_string_equal(err.field, "tags");
    strlist_release(&in);
}

/* Free: templates yes (up to 20), custom personas and spec edits no. */
static void the_free_plan_adds_templates_only(void **state)
{
    (void)state;
    struct fixture_user u;
    fixture_user_new(&fx, "free@example.com", NULL, &u);
    const struct persona_template *all;
    size_t n;
    struct err err = ERR_INIT;
    assert_ok(templates_get(&all, &n, &err), &err);
    struct persona_record r;
    for (size_t i = 0; i < 20; i++) {
        struct persona_input in = { .template_id = all[i].id };
        assert_ok(personas_add(fx.store, &u.caller, &in, &r, &err), &err);
        assert_int_equal(r.kind, PERSONA_KIND_TEMPLATE);
        assert_string_equal(r.template_id, all[i].id);
        assert_string_equal(r.spec, all[i].spec);
        persona_record_release(&r);
    }
    struct persona_input in = { .template_id = all[20].id };
    assert_int_equal(personas_add(fx.store, &u.caller, &in, &r, &err), ERR_PLAN_LIMIT);
    assert_string_equal(err.field, "max_personas");
    assert_non_null(strstr(err.msg, "free"));
    assert_int_equal(fixture_count(&fx, "personas WHERE workspace_id = ?", u.caller.workspace_id),
                     20);

    char *spec = spec_of("Custom", 30, "Lisbon, Portugal", NULL);
    struct persona_input custom = { .spec = spec, .spec_len = strlen(spec) };
    assert_int_equal(personas_add(fx.store, &u.caller, &custom, &r, &err), ERR_FORBIDDEN);
    assert_string_equal(err.field, "custom_personas");
    struct persona_input unknown = { .template_id = "nobody-anywhere" };
    assert_int_equal(personas_add(fx.store, &u.caller, &unknown, &r, &err), ERR_NOT_FOUND);
    assert_string_equal(err.field, "template_id");

    /* tags may change on free; the persona's fields may not */
    struct persona_page pg;
    struct persona_filter f = { .limit = 1 };
    assert_ok(personas_query(fx.store, &u.caller, &f, &pg, &err), &err);
    struct strlist tags = { 0 };
    strlist_add(&tags, "Favourite");
    struct persona_input retag = { .tags = &tags };
    assert_ok(personas_edit(fx.store, &u.caller, pg.items[0].id, &retag, &r, &err), &err);
    assert_true(strlist_has(&r.tags, "favourite"));
    persona_record_release(&r);
    assert_int_equal(personas_edit(fx.store, &u.caller, pg.items[0].id, &custom, &r, &err),
                     ERR_FORBIDDEN);
    strlist_release(&tags);
    persona_page_release(&pg);
    free(spec);
    fixture_user_release(&u);
}

/* ---- the limit under threads ------------------------------------------------------------------
 */

#define RACERS 8
#define TRIES  5 /* each: 40 attempts at 20 places */

struct racer {
    const struct caller *caller;
    const char *template_id;
    int made, refused, other;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    for (int i = 0; i < TRIES; i++) {
        struct persona_input in = { .template_id = r->template_id };
        struct persona_record rec;
        struct err err = ERR_INIT;
        enum err_code rc = personas_add(fx.store, r->caller, &in, &rec, &err);
        if (rc == ERR_OK)
            r->made++;
        else if (rc == ERR_PLAN_LIMIT)
            r->refused++;
        else
            r->other++;
        persona_record_release(&rec);
    }
    return NULL;
}

static void parallel_creates_never_pass_the_limit(void **state)
{
    (void)state;
    struct fixture_user u;
    fixture_user_new(&fx, "racer@example.com", NULL, &u);
    const struct persona_template *all;
    size_t n;
    struct err err = ERR_INIT;
    assert_ok(templates_get(&all, &n, &err), &err);
    pthread_t threads[RACERS];
    struct racer racers[RACERS];
    for (int i = 0; i < RACERS; i++) {
        racers[i] = (struct racer){ .caller = &u.caller, .template_id = all[i].id };
        assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
    }
    int made = 0, refused = 0, other = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(threads[i], NULL);
        made += racers[i].made;
        refused += racers[i].refused;
        other += racers[i].other;
    }
    assert_int_equal(other, 0);
    assert_int_equal(made, 20);
    assert_int_equal(refused, RACERS * TRIES - 20);
    assert_int_equal(fixture_count(&fx, "personas WHERE workspace_id = ?", u.caller.workspace_id),
                     20);
    fixture_user_release(&u);
}

/* ---- listing ------------------------------------------------------------------------------------
 */

/* The names of a listing, joined by spaces. */
static void names_of(const struct caller *c, const struct persona_filter *f, char *out, size_t size)
{
    struct persona_page pg;
    struct err err = ERR_INIT;
    assert_ok(personas_query(fx.store, c, f, &pg, &err), &err);
    out[0] = '\0';
    for (size_t i = 0; i < pg.n; i++) {
        struct persona *p = NULL;
        assert_ok(
            persona_parse(pg.items[i].spec, strlen(pg.items[i].spec), PERSONA_SHAPE_API, &p, &err),
            &err);
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", len ? " " : "", p->name);
        persona_free(p);
    }
    persona_page_release(&pg);
}

static void listing_searches_filters_sorts_and_pages(void **state)
{
    (void)state;
    struct fixture_user u;
    fixture_user_new(&fx, "lister@example.com", NULL, &u);
    fixture_user_set_plan(&fx, &u, "business");
    struct strlist parents = { 0 }, both = { 0 };
    strlist_add(&parents, "parents");
    strlist_add(&both, "parents");
    strlist_add(&both, "pt-BR");
    char id[IDS_UUID_LEN];
    add_custom(&u.caller, "Carla", 34, "Porto Alegre, Brazil", &both, id);
    add_custom(&u.caller, "Ana", 61, "Lisbon, Portugal", &parents, id);
    add_custom(&u.caller, "Bea", 22, "Recife, Brazil", NULL, id);
    char names[256];
    struct persona_filter f = { .sort = PERSONA_SORT_NAME, .ascending = true };
    names_of(&u.caller, &f, names, sizeof(names));
    assert_string_equal(names, "Ana Bea Carla");
    f.ascending = false;
    names_of(&u.caller, &f, names, sizeof(names));
    assert_string_equal(names, "Carla Bea Ana");
    struct persona_filter by_age = { .sort = PERSONA_SORT_AGE, .ascending = true };
    names_of(&u.caller, &by_age, names, sizeof(names));
    assert_string_equal(names, "Bea Carla Ana");
    struct persona_filter brazil = { .country = "BRAZIL",
                                     .sort = PERSONA_SORT_NAME,
                                     .ascending = true };
    names_of(&u.caller, &brazil, names, sizeof(names));
    assert_string_equal(names, "Bea Carla");
    /* one vocabulary whatever the language: Brasil is Brazil, feminino is female */
    char *pt = spec_of("Duda", 29, "Salvador, Brasil", NULL);
    char *feminino = strstr(pt, "\"female\"");
    assert_non_null(feminino);
    char *spec = NULL;
    assert_true(asprintf(&spec, "%.*s\"feminino\"%s", (int)(feminino - pt), pt,
                         feminino + strlen("\"female\"")) > 0);
    struct persona_input duda = { .spec = spec, .spec_len = strlen(spec) };
    struct persona_record dr;
    struct err derr = ERR_INIT;
    assert_ok(personas_add(fx.store, &u.caller, &duda, &dr, &derr), &derr);
    persona_record_release(&dr);
    free(spec);
    free(pt);
    names_of(&u.caller, &brazil, names, sizeof(names));
    assert_string_equal(names, "Bea Carla Duda");
    struct persona_filter brasil = {
        .country = "Brasil", .gender = "Female", .sort = PERSONA_SORT_NAME, .ascending = true
    };
    names_of(&u.caller, &brasil, names, sizeof(names));
    assert_string_equal(names, "Bea Carla Duda");
    struct persona_filter older = { .age_min = 30, .sort = PERSONA_SORT_NAME, .ascending = true };
    names_of(&u.caller, &older, names, sizeof(names));
    assert_string_equal(names, "Ana Carla");
    struct persona_filter tagged = { .tags = &both };
    names_of(&u.caller, &tagged, names, sizeof(names));
    assert_string_equal(names, "Carla");
    struct persona_filter search = { .q = "porto ALEGRE" };
    names_of(&u.caller, &search, names, sizeof(names));
    assert_string_equal(names, "Carla");
    /* a search counts in its own scan; past its end the total is still told */
    struct persona_page sp;
    struct err serr = ERR_INIT;
    struct persona_filter nurses = { .q = "nurse", .limit = 2 };
    assert_ok(personas_query(fx.store, &u.caller, &nurses, &sp, &serr), &serr);
    assert_int_equal(sp.n, 2);
    assert_int_equal(sp.total, 4);
    persona_page_release(&sp);
    nurses.offset = 10;
    assert_ok(personas_query(fx.store, &u.caller, &nurses, &sp, &serr), &serr);
    assert_int_equal(sp.n, 0);
    assert_int_equal(sp.total, 4);
    persona_page_release(&sp);
    struct persona_filter wildcard = { .q = "%" };
    names_of(&u.caller, &wildcard, names, sizeof(names));
    assert_string_equal(names, "");
    struct persona_filter page = {
        .sort = PERSONA_SORT_NAME, .ascending = true, .limit = 1, .offset = 1
    };
    names_of(&u.caller, &page, names, sizeof(names));
    assert_string_equal(names, "Bea");

    struct persona_page pg;
    struct err err = ERR_INIT;
    struct persona_filter bad_income = { .income_level = "rich" };
    assert_int_equal(personas_query(fx.store, &u.caller, &bad_income, &pg, &err), ERR_INVALID);
    assert_string_equal(err.field, "income_level");
    struct persona_filter bad_ages = { .age_min = 50, .age_max = 40 };
    assert_int_equal(personas_query(fx.store, &u.caller, &bad_ages, &pg, &err), ERR_INVALID);
    struct persona_filter no_library = { .library_id = "01a00000-0000-7000-8000-000000000000" };
    assert_int_equal(personas_query(fx.store, &u.caller, &no_library, &pg, &err), ERR_NOT_FOUND);
    assert_int_equal(persona_sort_parse("-height", &f, &err), ERR_INVALID);
    assert_string_equal(err.field, "sort");
    strlist_release(&parents);
    strlist_release(&both);
    fixture_user_release(&u);
}

/* ---- verdicts, generated personas, tenants ----------------------------------------------------
 */

static void a_verdict_is_kept_and_an_edit_clears_it(void **state)
{
    (void)state;
    struct fixture_user u;
    fixture_user_new(&fx, "judge@example.com", NULL, &u);
    fixture_user_set_plan(&fx, &u, "business");
    char id[IDS_UUID_LEN];
    add_custom(&u.caller, "Dora", 44, "Porto, Portugal", NULL, id);
    struct err err = ERR_INIT;
    assert_ok(personas_set_validation(fx.store, &u.caller, id, 0.8765, "consistent", &err), &err);
    struct persona_record r;
    assert_ok(personas_fetch(fx.store, &u.caller, id, &r, &err), &err);
    assert_true(r.validated);
    assert_true(r.validation_score > 0.876 && r.validation_score < 0.878);
    assert_string_equal(r.validation_reasons, "consistent");
    persona_record_release(&r);
    char *spec = spec_of("Dora", 45, "Porto, Portugal", NULL);
    struct persona_input in = { .spec = spec, .spec_len = strlen(spec) };
    assert_ok(personas_edit(fx.store, &u.caller, id, &in, &r, &err), &err);
    assert_false(r.validated);
    persona_record_release(&r);
    free(spec);
    fixture_user_release(&u);
}

static void generated_personas_go_in_all_or_none(void **state)
{
    (void)state;
    struct fixture_user u;
    fixture_user_new(&fx, "factory@example.com", NULL, &u);
    fixture_user_set_plan(&fx, &u, "individual"); /* 100 personas */
    struct persona *people[3];
    struct err err = ERR_INIT;
    for (int i = 0; i < 3; i++) {
        char *spec = spec_of(i == 0   ? "Eva"
                             : i == 1 ? "Fil"
                                      : "Gui",
                             30 + i, "Braga, Portugal", NULL);
        assert_ok(persona_spec_check(spec, strlen(spec), &people[i], NULL, &err), &err);
        free(spec);
    }
    char ids[3][IDS_UUID_LEN];
    assert_ok(personas_add_generated(fx.store, &u.caller, people, 3, ids, &err), &err);
    assert_int_equal(fixture_count(&fx, "personas WHERE type = 'generated' AND workspace_id = ?",
                                   u.caller.workspace_id),
                     3);
    /* 98 more do not fit in the 97 places left: none goes in */
    struct persona **many = calloc(98, sizeof(*many));
    char(*many_ids)[IDS_UUID_LEN] = calloc(98, IDS_UUID_LEN);
    for (int i = 0; i < 98; i++)
        many[i] = people[i % 3];
    assert_int_equal(personas_add_generated(fx.store, &u.caller, many, 98, many_ids, &err),
                     ERR_PLAN_LIMIT);
    assert_int_equal(fixture_count(&fx, "personas WHERE workspace_id = ?", u.caller.workspace_id),
                     3);
    free(many);
    free(many_ids);
    for (int i = 0; i < 3; i++)
        persona_free(people[i]);
    fixture_user_release(&u);
}

static void another_workspace_sees_and_changes_nothing(void **state)
{
    (void)state;
    struct fixture_user a, b;
    fixture_user_new(&fx, "a@example.com", NULL, &a);
    fixture_user_new(&fx, "b@example.com", NULL, &b);
    fixture_user_set_plan(&fx, &a, "business");
    fixture_user_set_plan(&fx, &b, "business");
    char id[IDS_UUID_LEN];
    add_custom(&a.caller, "Hana", 52, "Faro, Portugal", NULL, id);
    struct err err = ERR_INIT;
    struct persona_record r;
    assert_int_equal(personas_fetch(fx.store, &b.caller, id, &r, &err), ERR_NOT_FOUND);
    struct strlist tags = { 0 };
    strlist_add(&tags, "stolen");
    struct persona_input retag = { .tags = &tags };
    assert_int_equal(personas_edit(fx.store, &b.caller, id, &retag, &r, &err), ERR_NOT_FOUND);
    assert_int_equal(personas_set_validation(fx.store, &b.caller, id, 0.1, "x", &err),
                     ERR_NOT_FOUND);
    assert_int_equal(personas_remove(fx.store, &b.caller, id, &err), ERR_NOT_FOUND);
    struct persona_page pg;
    struct persona_filter all = { 0 };
    assert_ok(personas_query(fx.store, &b.caller, &all, &pg, &err), &err);
    assert_int_equal(pg.total, 0);
    persona_page_release(&pg);
    assert_ok(personas_fetch(fx.store, &a.caller, id, &r, &err), &err);
    assert_int_equal(r.tags.n, 0);
    assert_false(r.validated);
    persona_record_release(&r);
    assert_int_equal(personas_remove(fx.store, &a.caller, id, &err), ERR_OK);
    assert_int_equal(personas_remove(fx.store, &a.caller, id, &err), ERR_NOT_FOUND);
    assert_int_equal(personas_fetch(fx.store, &a.caller, "not-a-uuid", &r, &err), ERR_NOT_FOUND);
    strlist_release(&tags);
    fixture_user_release(&a);
    fixture_user_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_api_rules_name_the_field),
        cmocka_unit_test(tags_are_trimmed_lower_case_and_bounded),
        FIXTURE_TEST(the_free_plan_adds_templates_only),
        FIXTURE_TEST(parallel_creates_never_pass_the_limit),
        FIXTURE_TEST(listing_searches_filters_sorts_and_pages),
        FIXTURE_TEST(a_verdict_is_kept_and_an_edit_clears_it),
        FIXTURE_TEST(generated_personas_go_in_all_or_none),
        FIXTURE_TEST(another_workspace_sees_and_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
