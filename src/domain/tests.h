/*
 * domain/tests.h - a workspace's tests (SPEC.md 2, 3 "Test creation"):
 * created, listed, read, replaced and deleted through the API in the shape
 * domain/test_spec.h reads and writes, each belonging to a project.
 *
 * Saving checks what the spec alone cannot: the project is the caller's
 * (none given: the workspace's first project, made when there is none);
 * every persona of the panel, or its library, is the workspace's (a
 * missing one is ERR_NOT_FOUND naming its path, "config.personas[3]"); a
 * panel filter is one GET /api/personas accepts; generating a panel needs
 * the plan's custom_personas.
 *
 * A test is 'draft' until it is run; one that is queued, running or paused
 * cannot be replaced or deleted (ERR_CONFLICT). Tenancy as everywhere:
 * another workspace's test is ERR_NOT_FOUND. Any thread.
 */
#ifndef DOMAIN_TESTS_H
#define DOMAIN_TESTS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"
#include "domain/accounts.h"
#include "domain/personas.h"
#include "domain/test_spec.h"

struct store;

#define TEST_PAGE_DEFAULT 50
#define TEST_PAGE_MAX     200
#define TEST_BODY_MAX     (4 * 1024 * 1024) /* bytes of a test's JSON */
#define DEFAULT_PROJECT   "My tests"        /* the project made for a workspace's first test */

/* A test's status (SPEC.md 2). */
enum test_status {
    TEST_DRAFT,
    TEST_QUEUED,
    TEST_RUNNING,
    TEST_PAUSED,
    TEST_COMPLETED,
    TEST_FAILED,
    TEST_CANCELLED,
};

const char *test_status_name(enum test_status s);
/* Parses a status name; false for an unknown one. */
bool test_status_parse(const char *s, enum test_status *out);

struct test_record {
    char id[IDS_UUID_LEN];
    char workspace_id[IDS_UUID_LEN];
    char project_id[IDS_UUID_LEN];
    char *name;
    char *type; /* "product", ... */
    enum test_status status;
    char *spec; /* canonical JSON: name, type, project_id, config */
    int64_t created_at, updated_at;
};

void test_record_release(struct test_record *r); /* accepts a zeroed struct */

struct test_page {
    struct test_record *items;
    size_t n;
    int64_t total, limit, offset;
};

void test_page_release(struct test_page *pg);

/* What a listing keeps (NULL: any). */
struct test_filter {
    const char *project_id, *type, *status;
    int64_t limit, offset;
};

/*
 * The listing filter (GET /api/personas) a test's panel filter stands for:
 * strings borrowed from pf; limit 1, the oldest first.
 */
void test_panel_filter(const struct panel_filter *pf, struct persona_filter *out);

enum err_code test_list(struct store *s, const struct caller *c, const struct test_filter *f,
                        struct test_page *out, struct err *err);

/* Creates a test from its JSON text (domain/test_spec.h) and the checks above. */
enum err_code test_create(struct store *s, const struct caller *c, const char *body, size_t len,
                          struct test_record *out, struct err *err);

enum err_code test_get(struct store *s, const struct caller *c, const char *id,
                       struct test_record *out, struct err *err);

/* Replaces test id with body (the whole test); a draft or finished test only. */
enum err_code test_replace(struct store *s, const struct caller *c, const char *id,
                           const char *body, size_t len, struct test_record *out, struct err *err);

enum err_code test_delete(struct store *s, const struct caller *c, const char *id, struct err *err);

#endif
