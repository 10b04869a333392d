/*
 * tests/unit/domain/test_libraries.c - domain/libraries.h against a real
 * SQLite store with every migration applied, in a mkdtemp directory per
 * test: CRUD, paging, validation at its boundaries, names unique ignoring
 * case, adding (all or nothing, 1..LIBRARY_ADD_MAX ids) and removing
 * personas, the two caps, the ids of a panel, and tenant isolation
 * (another workspace's library and personas are not found and nothing
 * changes). Workspaces and callers come from accounts_register and
 * accounts_authenticate, as in the server; personas from the template
 * catalogue (every plan may add those), or planted with SQL where a
 * boundary needs hundreds. Single-threaded.
 */
#include "core/compat.h"

#include "domain/libraries.h"

#include <setjmp.h>
#include <stdarg.h>

#include <cmocka.h>

#include "fixture.h"
#include "testutil.h"

#include "domain/personas.h"
#include "domain/templates.h"
#include "store/store.h"

static struct fixture F;

static int setup(void **state)
{
    *state = &F;
    return fixture_open(&F);
}

static int teardown(void **state)
{
    (void)state;
    return fixture_close(&F);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

#define NO_SUCH "01a00000-0000-7000-8000-000000000000"

/* ---- helpers ----------------------------------------------------------------------------- */

/* A signed-up user (the admin of a new workspace on the free plan) and its caller. */
struct member {
    struct session session;
    struct caller caller;
};

static void member_new(struct fixture *f, const char *email, struct member *m)
{
    fixture_register(f, email, NULL, &m->session);
    fixture_caller(f, &m->session, &m->caller);
}

static void member_release(struct member *m)
{
    session_release(&m->session);
}

/* The integer of a one-row query with params (the store's own helper). */
static int64_t query_int(struct fixture *f, const char *sql, const struct store_param *p, size_t n)
{
    struct store_conn *conn = NULL;
    struct err err = ERR_INIT;
    int64_t v = -1;
    assert_ok(store_acquire(f->store, &conn, &err), &err);
    assert_ok(store_query_int(conn, sql, p, n, &v, &err), &err);
    store_release(f->store, conn);
    return v;
}

/* Libraries of a workspace, counted straight from the table. */
static int64_t count_libraries(struct fixture *f, const char *workspace_id)
{
    struct store_param p[] = { STORE_TEXT(workspace_id) };
    return query_int(f, "SELECT COUNT(*) FROM libraries WHERE workspace_id = ?", p, 1);
}

/* Membership rows of a library, counted straight from the table. */
static int64_t count_members(struct fixture *f, const char *library_id)
{
    struct store_param p[] = { STORE_TEXT(library_id) };
    return query_int(f, "SELECT COUNT(*) FROM library_personas WHERE library_id = ?", p, 1);
}

static int64_t count_personas(struct fixture *f, const char *workspace_id)
{
    struct store_param p[] = { STORE_TEXT(workspace_id) };
    return query_int(f, "SELECT COUNT(*) FROM personas WHERE workspace_id = ?", p, 1);
}

static int64_t updated_at_of(struct fixture *f, const char *library_id)
{
    struct store_param p[] = { STORE_TEXT(library_id) };
    return query_int(f, "SELECT updated_at FROM libraries WHERE id = ?", p, 1);
}

/* Sets updated_at of every library to 1, so that a change of it shows. */
static void age_libraries(struct fixture *f)
{
    fixture_exec(f, "UPDATE libraries SET updated_at = 1");
}

/* Creates a library that must succeed; its id goes into id (may be NULL). */
static void create_ok(struct fixture *f, const struct member *m, const char *name,
                      char id[IDS_UUID_LEN])
{
    struct library l;
    struct err err = ERR_INIT;
    struct library_input in = { .name = name, .description = "about it" };
    assert_ok(library_create(f->store, &m->caller, &in, &l, &err), &err);
    if (id)
        snprintf(id, IDS_UUID_LEN, "%s", l.id);
    library_release(&l);
}

/* Adds the i-th template (modulo the catalogue) as a persona of m's workspace; its id into id. */
static void persona_ok(struct fixture *f, const struct member *m, size_t i, char id[IDS_UUID_LEN])
{
    const struct persona_template *all = NULL;
    size_t n = 0;
    struct err err = ERR_INIT;
    assert_ok(templates_get(&all, &n, &err), &err);
    assert_true(n > 0);
    struct persona_input in = { .template_id = all[i % n].id };
    struct persona_record r;
    assert_ok(personas_add(f->store, &m->caller, &in, &r, &err), &err);
    snprintf(id, IDS_UUID_LEN, "%s", r.id);
    persona_record_release(&r);
}

/*
 * Plants n personas in workspace_id with SQL (past the plan's limit), with
 * ids "<prefix>-0000-7000-8000-<i as 12 digits>" for i in 1..n; prefix is 8
 * hex digits.
 */
static void plant_personas(struct fixture *f, const char *workspace_id, const char *prefix, int n)
{
    char sql[1024];
    int len =
        snprintf(sql, sizeof(sql),
                 "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d) "
                 "INSERT INTO personas (id, workspace_id, type, name, spec, search, "
                 "created_at, updated_at) "
                 "SELECT '%s-0000-7000-8000-' || substr('00000000000' || CAST(i AS TEXT), "
                 "length(CAST(i AS TEXT))), '%s', 'custom', "
                 "'Planted ' || CAST(i AS TEXT), '{}', '', 1, 1 FROM k",
                 n, prefix, workspace_id);
    assert_true(len > 0 && (size_t)len < sizeof(sql));
    fixture_exec(f, sql);
}

/* The id plant_personas gave its i-th persona. */
static void planted_id(const char *prefix, int i, char id[IDS_UUID_LEN])
{
    snprintf(id, IDS_UUID_LEN, "%.8s-0000-7000-8000-%012d", prefix, i);
}

/* A string of n copies of the UTF-8 character ch, malloc'd. */
static char *repeat(const char *ch, size_t n)
{
    size_t len = strlen(ch);
    char *s = malloc(n * len + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, ch, len);
    s[n * len] = '\0';
    return s;
}

/* Appends the given ids (the arguments end with NULL) to out. */
__attribute__((sentinel)) static void ids_of(struct strlist *out, const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        strlist_add(out, s);
    va_end(ap);
}

/* ---- CRUD -------------------------------------------------------------------------------- */

static void creates_and_reads_a_library(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    struct library_input in = { .name = "  Brazilian Gen Z  ",
                                .description = "Line one\nline two" };
    struct library l, got;
    assert_ok(library_create(f->store, &a.caller, &in, &l, &err), &err);
    assert_true(ids_is_uuid(l.id, strlen(l.id)));
    assert_string_equal(l.workspace_id, a.caller.workspace_id);
    assert_string_equal(l.name, "Brazilian Gen Z"); /* trimmed */
    assert_string_equal(l.description, "Line one\nline two");
    assert_int_equal(l.persona_count, 0);
    assert_int_equal(l.persona_ids.n, 0);
    assert_true(l.created_at > 0);
    assert_int_equal(l.created_at, l.updated_at);

    assert_ok(library_get(f->store, &a.caller, l.id, &got, &err), &err);
    assert_string_equal(got.id, l.id);
    assert_string_equal(got.name, "Brazilian Gen Z");
    assert_string_equal(got.description, "Line one\nline two");
    assert_int_equal(got.persona_count, 0);
    assert_int_equal(got.persona_ids.n, 0);
    assert_int_equal(got.created_at, l.created_at);
    assert_int_equal(got.updated_at, l.updated_at);
    library_release(&got);
    library_release(&l);

    struct library_input bare = { .name = "No description" };
    assert_ok(library_create(f->store, &a.caller, &bare, &l, &err), &err);
    assert_string_equal(l.description, "");
    library_release(&l);
    assert_int_equal(count_libraries(f, a.caller.workspace_id), 2);
    member_release(&a);
}

static void names_are_unique_ignoring_case(void **state)
{
    struct fixture *f = *state;
    struct member a, b;
    member_new(f, "ana@example.com", &a);
    member_new(f, "bruno@example.org", &b);
    create_ok(f, &a, "Brazilian Gen Z", NULL);
    create_ok(f, &a, "A\xc3\xa7\xc3\xa3o", NULL); /* Ação */
    struct err err = ERR_INIT;
    struct library l;
    const char *taken[] = { "Brazilian Gen Z", "brazilian gen z", "  BRAZILIAN GEN Z ",
                            "A\xc3\x87\xc3\x83O" /* AÇÃO */ };
    for (size_t i = 0; i < ARRAY_SIZE(taken); i++) {
        struct library_input in = { .name = taken[i] };
        assert_int_equal(library_create(f->store, &a.caller, &in, &l, &err), ERR_CONFLICT);
        assert_string_equal(err.field, "name");
        assert_non_null(strstr(err.msg, "library named"));
    }
    assert_int_equal(count_libraries(f, a.caller.workspace_id), 2);
    create_ok(f, &a, "Brazilian Gen Z 2", NULL); /* only the whole name counts */
    create_ok(f, &b, "Brazilian Gen Z", NULL);   /* another workspace may use it */
    assert_int_equal(count_libraries(f, b.caller.workspace_id), 1);
    member_release(&a);
    member_release(&b);
}

static void renaming_checks_the_name(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    char first[IDS_UUID_LEN], second[IDS_UUID_LEN];
    create_ok(f, &a, "First", first);
    create_ok(f, &a, "Second", second);
    struct err err = ERR_INIT;
    struct library l;
    struct library_input to_second = { .name = "SECOND", .description = "changed" };
    assert_int_equal(library_update(f->store, &a.caller, first, &to_second, &l, &err),
                     ERR_CONFLICT);
    assert_string_equal(err.field, "name");
    assert_ok(library_get(f->store, &a.caller, first, &l, &err), &err);
    assert_string_equal(l.name, "First"); /* nothing changed, the description neither */
    assert_string_equal(l.description, "about it");
    library_release(&l);

    struct library_input own_case = { .name = "FIRST" }; /* its own name in another case */
    assert_ok(library_update(f->store, &a.caller, first, &own_case, &l, &err), &err);
    assert_string_equal(l.name, "FIRST");
    library_release(&l);
    struct library_input same = { .name = "FIRST" };
    assert_ok(library_update(f->store, &a.caller, first, &same, &l, &err), &err);
    library_release(&l);
    member_release(&a);
}

static void updates_name_and_description_separately(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN], pid[IDS_UUID_LEN];
    create_ok(f, &a, "Before", id);
    persona_ok(f, &a, 0, pid);
    struct strlist ids = { 0 };
    ids_of(&ids, pid, NULL);
    struct library l;
    assert_ok(library_add_personas(f->store, &a.caller, id, &ids, &l, &err), &err);
    library_release(&l);
    age_libraries(f);

    struct library_input name_only = { .name = " After " };
    assert_ok(library_update(f->store, &a.caller, id, &name_only, &l, &err), &err);
    assert_string_equal(l.name, "After");
    assert_string_equal(l.description, "about it"); /* kept */
    assert_true(l.updated_at > 1);
    assert_int_equal(l.persona_count, 1); /* the members are answered too */
    assert_int_equal(l.persona_ids.n, 1);
    assert_string_equal(l.persona_ids.items[0], pid);
    library_release(&l);

    struct library_input description_only = { .description = "" };
    assert_ok(library_update(f->store, &a.caller, id, &description_only, &l, &err), &err);
    assert_string_equal(l.name, "After"); /* kept */
    assert_string_equal(l.description, "");
    library_release(&l);

    assert_ok(library_get(f->store, &a.caller, id, &l, &err), &err);
    assert_string_equal(l.name, "After");
    assert_string_equal(l.description, "");
    assert_int_equal(l.persona_count, 1); /* an update leaves the members */
    library_release(&l);
    strlist_release(&ids);
    member_release(&a);
}

static void update_without_fields_is_invalid(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN];
    create_ok(f, &a, "Kept", id);
    struct library l;
    struct library_input none = { 0 };
    assert_int_equal(library_update(f->store, &a.caller, id, &none, &l, &err), ERR_INVALID);
    struct library_input blank = { .name = "   " };
    assert_int_equal(library_update(f->store, &a.caller, id, &blank, &l, &err), ERR_INVALID);
    assert_string_equal(err.field, "name");
    assert_ok(library_get(f->store, &a.caller, id, &l, &err), &err);
    assert_string_equal(l.name, "Kept");
    library_release(&l);
    member_release(&a);
}

static void deletes_a_library_once_and_keeps_its_personas(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN], other[IDS_UUID_LEN], p1[IDS_UUID_LEN], p2[IDS_UUID_LEN];
    create_ok(f, &a, "Doomed", id);
    create_ok(f, &a, "Stays", other);
    persona_ok(f, &a, 0, p1);
    persona_ok(f, &a, 1, p2);
    struct strlist ids = { 0 };
    ids_of(&ids, p1, p2, NULL);
    struct library l;
    assert_ok(library_add_personas(f->store, &a.caller, id, &ids, &l, &err), &err);
    library_release(&l);
    assert_ok(library_add_personas(f->store, &a.caller, other, &ids, &l, &err), &err);
    library_release(&l);

    assert_ok(library_delete(f->store, &a.caller, id, &err), &err);
    assert_int_equal(count_libraries(f, a.caller.workspace_id), 1);
    assert_int_equal(count_members(f, id), 0);
    assert_int_equal(count_personas(f, a.caller.workspace_id), 2); /* the personas stay */
    assert_int_equal(count_members(f, other), 2);                  /* and in the other library */
    assert_int_equal(library_get(f->store, &a.caller, id, &l, &err), ERR_NOT_FOUND);
    assert_int_equal(library_delete(f->store, &a.caller, id, &err), ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, id));
    strlist_release(&ids);
    member_release(&a);
}

static void unknown_and_malformed_ids_are_not_found(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char pid[IDS_UUID_LEN];
    persona_ok(f, &a, 0, pid);
    struct strlist ids = { 0 };
    ids_of(&ids, pid, NULL);
    struct library l;
    struct library_input in = { .name = "x" };
    const char *bad[] = { NO_SUCH, "not-a-uuid", "", "1 OR 1=1" };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(library_get(f->store, &a.caller, bad[i], &l, &err), ERR_NOT_FOUND);
        assert_string_equal(err.field, "id");
        char quoted[64];
        snprintf(quoted, sizeof(quoted), "no library '%s'", bad[i]);
        assert_non_null(strstr(err.msg, quoted));
        assert_int_equal(library_update(f->store, &a.caller, bad[i], &in, &l, &err), ERR_NOT_FOUND);
        assert_int_equal(library_delete(f->store, &a.caller, bad[i], &err), ERR_NOT_FOUND);
        assert_int_equal(library_add_personas(f->store, &a.caller, bad[i], &ids, &l, &err),
                         ERR_NOT_FOUND);
        assert_string_equal(err.field, "id");
        assert_int_equal(library_remove_persona(f->store, &a.caller, bad[i], pid, &err),
                         ERR_NOT_FOUND);
        assert_string_equal(err.field, "id");
        struct strlist out = { 0 };
        assert_int_equal(libraries_persona_ids(f->store, &a.caller, bad[i], &out, &err),
                         ERR_NOT_FOUND);
        assert_int_equal(out.n, 0);
    }
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM library_personas", NULL, 0), 0);
    strlist_release(&ids);
    member_release(&a);
}

/* ---- list -------------------------------------------------------------------------------- */

static void lists_newest_first_in_pages_with_counts(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    char ids[3][IDS_UUID_LEN], p1[IDS_UUID_LEN], p2[IDS_UUID_LEN];
    create_ok(f, &a, "one", ids[0]);
    create_ok(f, &a, "two", ids[1]);
    create_ok(f, &a, "three", ids[2]);
    persona_ok(f, &a, 0, p1);
    persona_ok(f, &a, 1, p2);
    struct err err = ERR_INIT;
    struct strlist both = { 0 };
    ids_of(&both, p1, p2, NULL);
    struct library l;
    assert_ok(library_add_personas(f->store, &a.caller, ids[0], &both, &l, &err), &err);
    library_release(&l);
    struct library_page pg;

    assert_ok(library_list(f->store, &a.caller, 2, 0, &pg, &err), &err);
    assert_int_equal(pg.total, 3);
    assert_int_equal(pg.limit, 2);
    assert_int_equal(pg.offset, 0);
    assert_int_equal(pg.n, 2);
    assert_string_equal(pg.items[0].id, ids[2]);
    assert_string_equal(pg.items[1].id, ids[1]);
    assert_int_equal(pg.items[0].persona_count, 0);
    assert_int_equal(pg.items[0].persona_ids.n, 0);
    library_page_release(&pg);

    assert_ok(library_list(f->store, &a.caller, 2, 2, &pg, &err), &err);
    assert_int_equal(pg.total, 3);
    assert_int_equal(pg.n, 1);
    assert_string_equal(pg.items[0].id, ids[0]);
    assert_string_equal(pg.items[0].name, "one");
    assert_string_equal(pg.items[0].description, "about it");
    assert_int_equal(pg.items[0].persona_count, 2);
    assert_int_equal(pg.items[0].persona_ids.n, 0); /* a list leaves the ids out */
    library_page_release(&pg);

    assert_ok(library_list(f->store, &a.caller, LIBRARY_PAGE_MAX, 3, &pg, &err), &err);
    assert_int_equal(pg.total, 3);
    assert_int_equal(pg.n, 0);
    library_page_release(&pg);
    strlist_release(&both);
    member_release(&a);
}

static void list_refuses_bad_limits(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    struct library_page pg;
    assert_int_equal(library_list(f->store, &a.caller, 0, 0, &pg, &err), ERR_INVALID);
    assert_string_equal(err.field, "limit");
    assert_int_equal(library_list(f->store, &a.caller, LIBRARY_PAGE_MAX + 1, 0, &pg, &err),
                     ERR_INVALID);
    assert_string_equal(err.field, "limit");
    assert_int_equal(library_list(f->store, &a.caller, 1, -1, &pg, &err), ERR_INVALID);
    assert_string_equal(err.field, "offset");
    assert_ok(library_list(f->store, &a.caller, 1, 0, &pg, &err), &err);
    assert_int_equal(pg.total, 0);
    assert_int_equal(pg.n, 0);
    library_page_release(&pg);
    member_release(&a);
}

/* ---- validation -------------------------------------------------------------------------- */

static void validates_name_and_description(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    struct library l;
    char *name_max = repeat("\xc3\xa9", LIBRARY_NAME_MAX); /* é: 2 bytes, 1 character */
    char *name_over = repeat("a", LIBRARY_NAME_MAX + 1);
    char *name_padded = repeat("b", LIBRARY_NAME_MAX);
    char *padded = malloc(strlen(name_padded) + 5);
    assert_non_null(padded);
    snprintf(padded, strlen(name_padded) + 5, "  %s  ", name_padded); /* 104, 100 trimmed */
    char *desc_max = repeat("\xe2\x82\xac", LIBRARY_DESCRIPTION_MAX); /* € */
    char *desc_over = repeat("d", LIBRARY_DESCRIPTION_MAX + 1);
    struct {
        struct library_input in;
        const char *field; /* NULL: accepted */
    } cases[] = {
        { { .name = NULL }, "name" },
        { { .name = "" }, "name" },
        { { .name = " \t " }, "name" },
        { { .name = "a" }, NULL },
        { { .name = name_max }, NULL },
        { { .name = padded }, NULL },
        { { .name = name_over }, "name" },
        { { .name = "bad\xff utf8" }, "name" },
        { { .name = "two\nlines" }, "name" },
        { { .name = "ok", .description = desc_max }, NULL },
        { { .name = "ok2", .description = desc_over }, "description" },
        { { .name = "ok3", .description = "bell\a" }, "description" },
        { { .name = "ok4", .description = "bad\xc3" }, "description" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        enum err_code rc = library_create(f->store, &a.caller, &cases[i].in, &l, &err);
        if (!cases[i].field) {
            assert_ok(rc, &err);
            library_release(&l);
            continue;
        }
        assert_int_equal(rc, ERR_INVALID);
        assert_string_equal(err.field, cases[i].field);
    }
    assert_int_equal(count_libraries(f, a.caller.workspace_id), 4);
    free(name_max);
    free(name_over);
    free(name_padded);
    free(padded);
    free(desc_max);
    free(desc_over);
    member_release(&a);
}

/* ---- membership -------------------------------------------------------------------------- */

static void adds_and_removes_personas(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN], p1[IDS_UUID_LEN], p2[IDS_UUID_LEN], p3[IDS_UUID_LEN];
    create_ok(f, &a, "Panel", id);
    persona_ok(f, &a, 0, p1);
    persona_ok(f, &a, 1, p2);
    persona_ok(f, &a, 2, p3);
    age_libraries(f);

    struct strlist first = { 0 }, again = { 0 };
    ids_of(&first, p2, p1, p2, NULL); /* repeated in one call: fine */
    struct library l;
    assert_ok(library_add_personas(f->store, &a.caller, id, &first, &l, &err), &err);
    assert_int_equal(l.persona_count, 2);
    assert_int_equal(l.persona_ids.n, 2);
    assert_true(l.updated_at > 1);
    library_release(&l);
    assert_int_equal(count_members(f, id), 2);

    age_libraries(f);
    ids_of(&again, p1, NULL); /* already a member: fine, nothing changes */
    assert_ok(library_add_personas(f->store, &a.caller, id, &again, &l, &err), &err);
    assert_int_equal(l.persona_count, 2);
    assert_int_equal(l.updated_at, 1);
    library_release(&l);

    strlist_add(&again, p3);
    assert_ok(library_add_personas(f->store, &a.caller, id, &again, &l, &err), &err);
    assert_int_equal(l.persona_count, 3);
    assert_int_equal(l.persona_ids.n, 3);
    assert_string_equal(l.persona_ids.items[2], p3); /* added last, listed last */
    assert_true(l.updated_at > 1);
    library_release(&l);

    age_libraries(f);
    assert_ok(library_remove_persona(f->store, &a.caller, id, p1, &err), &err);
    assert_true(updated_at_of(f, id) > 1);
    assert_ok(library_get(f->store, &a.caller, id, &l, &err), &err);
    assert_int_equal(l.persona_count, 2);
    for (size_t i = 0; i < l.persona_ids.n; i++)
        assert_string_not_equal(l.persona_ids.items[i], p1);
    library_release(&l);
    assert_int_equal(count_personas(f, a.caller.workspace_id), 3); /* the persona stays */

    /* removing again: no longer a member */
    assert_int_equal(library_remove_persona(f->store, &a.caller, id, p1, &err), ERR_NOT_FOUND);
    assert_string_equal(err.field, "persona_id");
    assert_non_null(strstr(err.msg, p1));
    strlist_release(&first);
    strlist_release(&again);
    member_release(&a);
}

static void a_persona_may_be_in_many_libraries(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char l1[IDS_UUID_LEN], l2[IDS_UUID_LEN], pid[IDS_UUID_LEN];
    create_ok(f, &a, "One", l1);
    create_ok(f, &a, "Two", l2);
    persona_ok(f, &a, 0, pid);
    struct strlist ids = { 0 };
    ids_of(&ids, pid, NULL);
    struct library l;
    assert_ok(library_add_personas(f->store, &a.caller, l1, &ids, &l, &err), &err);
    library_release(&l);
    assert_ok(library_add_personas(f->store, &a.caller, l2, &ids, &l, &err), &err);
    library_release(&l);
    assert_ok(library_remove_persona(f->store, &a.caller, l1, pid, &err), &err);
    assert_int_equal(count_members(f, l1), 0);
    assert_int_equal(count_members(f, l2), 1); /* only that library's membership went */

    /* deleting the persona takes it out of every library */
    assert_ok(library_add_personas(f->store, &a.caller, l1, &ids, &l, &err), &err);
    library_release(&l);
    assert_ok(personas_remove(f->store, &a.caller, pid, &err), &err);
    assert_int_equal(count_members(f, l1), 0);
    assert_int_equal(count_members(f, l2), 0);
    assert_ok(library_get(f->store, &a.caller, l2, &l, &err), &err);
    assert_int_equal(l.persona_count, 0);
    library_release(&l);
    strlist_release(&ids);
    member_release(&a);
}

static void adding_is_all_or_nothing(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN], p1[IDS_UUID_LEN], p2[IDS_UUID_LEN];
    create_ok(f, &a, "Panel", id);
    persona_ok(f, &a, 0, p1);
    persona_ok(f, &a, 1, p2);
    age_libraries(f);
    const char *bad[] = { NO_SUCH, "not-a-uuid", "", "'; DELETE FROM personas; --" };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct strlist ids = { 0 };
        ids_of(&ids, p1, bad[i], p2, NULL);
        struct library l;
        assert_int_equal(library_add_personas(f->store, &a.caller, id, &ids, &l, &err),
                         ERR_NOT_FOUND);
        assert_string_equal(err.field, "persona_ids");
        char quoted[96];
        snprintf(quoted, sizeof(quoted), "persona_ids[1]: no persona '%s'", bad[i]);
        assert_string_equal(err.msg, quoted);
        strlist_release(&ids);
    }
    assert_int_equal(count_members(f, id), 0); /* p1, before the bad id, was not kept */
    assert_int_equal(updated_at_of(f, id), 1);
    assert_int_equal(count_personas(f, a.caller.workspace_id), 2);
    member_release(&a);
}

static void adds_1_to_LIBRARY_ADD_MAX_ids(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN], pid[IDS_UUID_LEN];
    create_ok(f, &a, "Big", id);
    plant_personas(f, a.caller.workspace_id, "0aaaaaaa", LIBRARY_ADD_MAX + 1);
    struct library l;
    struct strlist none = { 0 }, max = { 0 }, over = { 0 };
    assert_int_equal(library_add_personas(f->store, &a.caller, id, &none, &l, &err), ERR_INVALID);
    assert_string_equal(err.field, "persona_ids");
    for (int i = 1; i <= LIBRARY_ADD_MAX + 1; i++) {
        planted_id("0aaaaaaa", i, pid);
        if (i <= LIBRARY_ADD_MAX)
            strlist_add(&max, pid);
        strlist_add(&over, pid);
    }
    assert_int_equal(library_add_personas(f->store, &a.caller, id, &over, &l, &err), ERR_INVALID);
    assert_string_equal(err.field, "persona_ids");
    assert_int_equal(count_members(f, id), 0);
    assert_ok(library_add_personas(f->store, &a.caller, id, &max, &l, &err), &err);
    assert_int_equal(l.persona_count, LIBRARY_ADD_MAX);
    assert_int_equal(l.persona_ids.n, LIBRARY_ADD_MAX);
    library_release(&l);
    assert_int_equal(count_members(f, id), LIBRARY_ADD_MAX);
    strlist_release(&max);
    strlist_release(&over);
    member_release(&a);
}

static void removing_a_non_member_is_not_found(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN], pid[IDS_UUID_LEN];
    create_ok(f, &a, "Panel", id);
    persona_ok(f, &a, 0, pid); /* a persona of the workspace, not in the library */
    age_libraries(f);
    const char *bad[] = { pid, NO_SUCH, "not-a-uuid", "" };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(library_remove_persona(f->store, &a.caller, id, bad[i], &err),
                         ERR_NOT_FOUND);
        assert_string_equal(err.field, "persona_id");
        char quoted[128];
        snprintf(quoted, sizeof(quoted), "persona '%s' is not in library '%s'", bad[i], id);
        assert_string_equal(err.msg, quoted);
    }
    assert_int_equal(updated_at_of(f, id), 1);
    member_release(&a);
}

/* ---- limits ------------------------------------------------------------------------------ */

static void a_workspace_holds_at_most_LIBRARY_MAX_libraries(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    char sql[768];
    snprintf(sql, sizeof(sql),
             "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d) "
             "INSERT INTO libraries (id, workspace_id, name, description, created_at, updated_at) "
             "SELECT '0bbbbbbb-0000-7000-8000-' || substr('00000000000' || CAST(i AS TEXT), "
             "length(CAST(i AS TEXT))), '%s', 'Planted ' || CAST(i AS TEXT), '', 1, 1 FROM k",
             LIBRARY_MAX - 1, a.caller.workspace_id);
    fixture_exec(f, sql);
    assert_int_equal(count_libraries(f, a.caller.workspace_id), LIBRARY_MAX - 1);
    struct err err = ERR_INIT;
    struct library l;
    struct library_input taken = { .name = "planted 7" }; /* compared with all of them */
    assert_int_equal(library_create(f->store, &a.caller, &taken, &l, &err), ERR_CONFLICT);
    assert_string_equal(err.field, "name");
    create_ok(f, &a, "The last one", NULL);
    struct library_input one_more = { .name = "One too many" };
    assert_int_equal(library_create(f->store, &a.caller, &one_more, &l, &err), ERR_CONFLICT);
    char expected[32];
    snprintf(expected, sizeof(expected), "(%d)", LIBRARY_MAX);
    assert_non_null(strstr(err.msg, expected));
    assert_int_equal(count_libraries(f, a.caller.workspace_id), LIBRARY_MAX);
    member_release(&a);
}

static void a_library_holds_at_most_LIBRARY_PERSONAS_MAX_personas(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    char id[IDS_UUID_LEN];
    create_ok(f, &a, "Huge", id);
    plant_personas(f, a.caller.workspace_id, "0ccccccc", LIBRARY_PERSONAS_MAX + 1);
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO library_personas (library_id, persona_id, workspace_id, added_at) "
             "SELECT '%s', id, workspace_id, 1 FROM personas WHERE workspace_id = '%s' "
             "ORDER BY id LIMIT %d",
             id, a.caller.workspace_id, LIBRARY_PERSONAS_MAX - 1);
    fixture_exec(f, sql);
    assert_int_equal(count_members(f, id), LIBRARY_PERSONAS_MAX - 1);
    age_libraries(f);

    struct err err = ERR_INIT;
    struct library l;
    char member[IDS_UUID_LEN], last[IDS_UUID_LEN], over[IDS_UUID_LEN];
    planted_id("0ccccccc", 1, member);
    planted_id("0ccccccc", LIBRARY_PERSONAS_MAX, last);
    planted_id("0ccccccc", LIBRARY_PERSONAS_MAX + 1, over);
    struct strlist to_max = { 0 }, past_max = { 0 };
    ids_of(&to_max, member, last, NULL);
    assert_ok(library_add_personas(f->store, &a.caller, id, &to_max, &l, &err), &err);
    assert_int_equal(l.persona_count, LIBRARY_PERSONAS_MAX);
    assert_int_equal(l.persona_ids.n, LIBRARY_PERSONAS_MAX);
    library_release(&l);
    /* at the cap, members already in are still fine */
    assert_ok(library_add_personas(f->store, &a.caller, id, &to_max, &l, &err), &err);
    library_release(&l);

    age_libraries(f);
    ids_of(&past_max, member, over, NULL);
    assert_int_equal(library_add_personas(f->store, &a.caller, id, &past_max, &l, &err),
                     ERR_CONFLICT);
    assert_string_equal(err.field, "persona_ids");
    char expected[64];
    snprintf(expected, sizeof(expected), "at most %d personas", LIBRARY_PERSONAS_MAX);
    assert_non_null(strstr(err.msg, expected));
    assert_int_equal(count_members(f, id), LIBRARY_PERSONAS_MAX);
    assert_int_equal(updated_at_of(f, id), 1);
    strlist_release(&to_max);
    strlist_release(&past_max);
    member_release(&a);
}

/* ---- a panel ----------------------------------------------------------------------------- */

static void persona_ids_of_a_library_for_a_panel(void **state)
{
    struct fixture *f = *state;
    struct member a;
    member_new(f, "ana@example.com", &a);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN], empty[IDS_UUID_LEN], p1[IDS_UUID_LEN], p2[IDS_UUID_LEN],
        p3[IDS_UUID_LEN];
    create_ok(f, &a, "Panel", id);
    create_ok(f, &a, "Empty", empty);
    persona_ok(f, &a, 0, p1);
    persona_ok(f, &a, 1, p2);
    persona_ok(f, &a, 2, p3);
    struct strlist first = { 0 }, second = { 0 };
    ids_of(&first, p3, NULL);
    ids_of(&second, p2, p1, NULL);
    struct library l;
    assert_ok(library_add_personas(f->store, &a.caller, id, &first, &l, &err), &err);
    library_release(&l);
    /* the first add is made older, so the second is surely later: its two come after, by id */
    fixture_exec(f, "UPDATE library_personas SET added_at = 1");
    assert_ok(library_add_personas(f->store, &a.caller, id, &second, &l, &err), &err);
    library_release(&l);

    struct strlist out = { 0 };
    strlist_add(&out, "kept");
    assert_ok(libraries_persona_ids(f->store, &a.caller, id, &out, &err), &err);
    assert_int_equal(out.n, 4); /* appended */
    assert_string_equal(out.items[0], "kept");
    assert_string_equal(out.items[1], p3);
    assert_string_equal(out.items[2], p1); /* p1 < p2: UUIDv7 in creation order */
    assert_string_equal(out.items[3], p2);

    assert_ok(libraries_persona_ids(f->store, &a.caller, empty, &out, &err), &err);
    assert_int_equal(out.n, 4);
    assert_int_equal(libraries_persona_ids(f->store, &a.caller, NO_SUCH, &out, &err),
                     ERR_NOT_FOUND);
    assert_int_equal(out.n, 4);
    strlist_release(&out);
    strlist_release(&first);
    strlist_release(&second);
    member_release(&a);
}

/* ---- tenant isolation -------------------------------------------------------------------- */

static void another_workspace_cannot_touch_a_library(void **state)
{
    struct fixture *f = *state;
    struct member a, b;
    member_new(f, "ana@example.com", &a);
    member_new(f, "bruno@example.org", &b);
    assert_string_not_equal(a.caller.workspace_id, b.caller.workspace_id);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN], a_persona[IDS_UUID_LEN], b_persona[IDS_UUID_LEN];
    struct library_input in = { .name = "Secret panel", .description = "a's eyes only" };
    struct library orig, l;
    assert_ok(library_create(f->store, &a.caller, &in, &orig, &err), &err);
    snprintf(id, sizeof(id), "%s", orig.id);
    persona_ok(f, &a, 0, a_persona);
    persona_ok(f, &b, 1, b_persona);
    struct strlist a_ids = { 0 }, b_ids = { 0 };
    ids_of(&a_ids, a_persona, NULL);
    ids_of(&b_ids, b_persona, NULL);
    assert_ok(library_add_personas(f->store, &a.caller, id, &a_ids, &l, &err), &err);
    library_release(&l);
    age_libraries(f);

    char expected[64];
    snprintf(expected, sizeof(expected), "no library '%s'", id);
    assert_int_equal(library_get(f->store, &b.caller, id, &l, &err), ERR_NOT_FOUND);
    assert_string_equal(err.msg, expected); /* exactly what an unknown id gets */
    struct library_input change = { .name = "Pwned", .description = "" };
    assert_int_equal(library_update(f->store, &b.caller, id, &change, &l, &err), ERR_NOT_FOUND);
    assert_string_equal(err.msg, expected);
    assert_int_equal(library_delete(f->store, &b.caller, id, &err), ERR_NOT_FOUND);
    assert_int_equal(library_add_personas(f->store, &b.caller, id, &b_ids, &l, &err),
                     ERR_NOT_FOUND);
    assert_string_equal(err.msg, expected);
    assert_int_equal(library_remove_persona(f->store, &b.caller, id, a_persona, &err),
                     ERR_NOT_FOUND);
    assert_string_equal(err.msg, expected);
    struct strlist out = { 0 };
    assert_int_equal(libraries_persona_ids(f->store, &b.caller, id, &out, &err), ERR_NOT_FOUND);
    assert_int_equal(out.n, 0);
    struct persona_filter filter = { .library_id = id };
    struct persona_page pp;
    assert_int_equal(personas_query(f->store, &b.caller, &filter, &pp, &err), ERR_NOT_FOUND);
    struct library_page pg;
    assert_ok(library_list(f->store, &b.caller, LIBRARY_PAGE_MAX, 0, &pg, &err), &err);
    assert_int_equal(pg.total, 0);
    assert_int_equal(pg.n, 0);
    library_page_release(&pg);
    /* b may use the same name: names are per workspace */
    create_ok(f, &b, "Secret panel", NULL);

    /* a's library is as it was */
    assert_ok(library_get(f->store, &a.caller, id, &l, &err), &err);
    assert_string_equal(l.name, "Secret panel");
    assert_string_equal(l.description, "a's eyes only");
    assert_string_equal(l.workspace_id, a.caller.workspace_id);
    assert_int_equal(l.updated_at, 1);
    assert_int_equal(l.persona_ids.n, 1);
    assert_string_equal(l.persona_ids.items[0], a_persona);
    library_release(&l);
    assert_int_equal(count_libraries(f, a.caller.workspace_id), 1);
    assert_int_equal(count_libraries(f, b.caller.workspace_id), 1);
    library_release(&orig);
    strlist_release(&a_ids);
    strlist_release(&b_ids);
    member_release(&a);
    member_release(&b);
}

static void another_workspaces_personas_cannot_be_added(void **state)
{
    struct fixture *f = *state;
    struct member a, b;
    member_new(f, "ana@example.com", &a);
    member_new(f, "bruno@example.org", &b);
    struct err err = ERR_INIT;
    char id[IDS_UUID_LEN], b_id[IDS_UUID_LEN], a_persona[IDS_UUID_LEN], b_persona[IDS_UUID_LEN];
    create_ok(f, &a, "Mine", id);
    create_ok(f, &b, "Theirs", b_id);
    persona_ok(f, &a, 0, a_persona);
    persona_ok(f, &b, 0, b_persona);
    struct strlist mixed = { 0 }, b_ids = { 0 };
    ids_of(&mixed, a_persona, b_persona, NULL);
    ids_of(&b_ids, b_persona, NULL);
    struct library l;
    assert_ok(library_add_personas(f->store, &b.caller, b_id, &b_ids, &l, &err), &err);
    library_release(&l);

    assert_int_equal(library_add_personas(f->store, &a.caller, id, &mixed, &l, &err),
                     ERR_NOT_FOUND);
    assert_string_equal(err.field, "persona_ids");
    char expected[96];
    snprintf(expected, sizeof(expected), "persona_ids[1]: no persona '%s'", b_persona);
    assert_string_equal(err.msg, expected); /* as for an id that exists nowhere */
    assert_int_equal(count_members(f, id), 0);
    /* nor can a take b's persona out of b's library through its own id */
    assert_int_equal(library_remove_persona(f->store, &a.caller, id, b_persona, &err),
                     ERR_NOT_FOUND);
    assert_int_equal(count_members(f, b_id), 1);
    strlist_release(&mixed);
    strlist_release(&b_ids);
    member_release(&a);
    member_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(creates_and_reads_a_library),
        TEST(names_are_unique_ignoring_case),
        TEST(renaming_checks_the_name),
        TEST(updates_name_and_description_separately),
        TEST(update_without_fields_is_invalid),
        TEST(deletes_a_library_once_and_keeps_its_personas),
        TEST(unknown_and_malformed_ids_are_not_found),
        TEST(lists_newest_first_in_pages_with_counts),
        TEST(list_refuses_bad_limits),
        TEST(validates_name_and_description),
        TEST(adds_and_removes_personas),
        TEST(a_persona_may_be_in_many_libraries),
        TEST(adding_is_all_or_nothing),
        TEST(adds_1_to_LIBRARY_ADD_MAX_ids),
        TEST(removing_a_non_member_is_not_found),
        TEST(a_workspace_holds_at_most_LIBRARY_MAX_libraries),
        TEST(a_library_holds_at_most_LIBRARY_PERSONAS_MAX_personas),
        TEST(persona_ids_of_a_library_for_a_panel),
        TEST(another_workspace_cannot_touch_a_library),
        TEST(another_workspaces_personas_cannot_be_added),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
