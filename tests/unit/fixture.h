/*
 * tests/unit/fixture.h - a real, migrated SQLite database in a temporary
 * directory with the accounts service on top (cheapest password hashing),
 * for the domain's tests; and sign-ups in one call.
 */
#ifndef TESTS_UNIT_FIXTURE_H
#define TESTS_UNIT_FIXTURE_H

#include "core/compat.h"
#include "domain/accounts.h"

struct fixture {
    char dir[128];
    struct store *store;
    struct kv *kv;
    struct accounts *accounts;
};

/* Opens the database and the service; 0, or -1 with a message (for a cmocka setup). */
int fixture_open(struct fixture *f);
int fixture_close(struct fixture *f);

/* Registers email (company may be NULL) with a good password; the session (release it). */
void fixture_register(struct fixture *f, const char *email, const char *company,
                      struct session *out);
/* The caller a session's token resolves to. */
void fixture_caller(struct fixture *f, const struct session *s, struct caller *out);
/* Runs sql (a fixed statement: plan changes and the like) on the database. */
void fixture_exec(struct fixture *f, const char *sql);

#define FIXTURE_PASSWORD "blue kettle over 9 hills"

#endif
