/*
 * tests/unit/testdb.h - the database a unit test runs on: a SQLite file by
 * default, or a fresh database on the PostgreSQL server named by the
 * environment's TEST_DATABASE_URL (scripts/run-tests sets it for its
 * PostgreSQL pass, from scripts/pg-cluster). So the same tests run on both
 * backends. Include after <cmocka.h>.
 */
#ifndef TESTS_UNIT_TESTDB_H
#define TESTS_UNIT_TESTDB_H

#include "core/compat.h"

/* The PostgreSQL server of the tests (TEST_DATABASE_URL), or NULL: SQLite. */
const char *testdb_server_url(void);

/*
 * Writes into url (size bytes) the URL of a new, empty database: sqlite_path
 * as it is on SQLite; on PostgreSQL a database created for the caller (named
 * crowdelic_t<pid>_<n>), to be dropped with testdb_drop. Returns 0, or -1
 * with a message on stderr (for a cmocka setup).
 */
int testdb_create(const char *sqlite_path, char *url, size_t size);

/*
 * Like testdb_create, but on PostgreSQL one database serves every call of the
 * process: made at the first call, emptied at each later one (every row of
 * every table but schema_migrations deleted, so migrations are not run
 * again), dropped when the process exits. Creating a database costs the
 * server hundreds of milliseconds; emptying a small one, a few. Call it when
 * the database of the previous call is closed.
 */
int testdb_fresh(const char *sqlite_path, char *url, size_t size);

/*
 * testdb_fresh without tables at all: on PostgreSQL the shared database's
 * schema is dropped and made again at each call (migrations' own tests).
 */
int testdb_blank(const char *sqlite_path, char *url, size_t size);

/*
 * Drops a database testdb_create made on PostgreSQL (every connection to it
 * must be closed); nothing for SQLite. Returns 0 or -1.
 */
int testdb_drop(const char *url);

/*
 * Replaces the database name of the PostgreSQL URL base with name into out
 * (size bytes); -1 when it does not fit. Pure: "postgresql://u@h:5/db?x=1"
 * with "other" gives "postgresql://u@h:5/other?x=1".
 */
int testdb_url_with_name(const char *base, const char *name, char *out, size_t size);

#endif
