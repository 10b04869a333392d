/*
 * tests/unit/testutil.h - helpers every unit test may use: temporary
 * directories and assertions with readable failure messages. Linked into
 * every unit test binary. Include after <cmocka.h>.
 */
#ifndef TESTS_UNIT_TESTUTIL_H
#define TESTS_UNIT_TESTUTIL_H

#include "core/compat.h"
#include "core/err.h"

/*
 * Creates a fresh directory "/tmp/crowdelic-<tag>-XXXXXX" and writes its path
 * into dir (n bytes). Returns 0, or -1 (with a message on stderr) so that a
 * cmocka setup function can return it.
 */
int testutil_mkdtemp(char *dir, size_t n, const char *tag);

/* Removes dir and everything below it; returns 0 or -1. */
int testutil_rmtree(const char *dir);

/* Fails the test with err's message when rc is not ERR_OK. */
void assert_ok(enum err_code rc, const struct err *err);

/* Fail the test when text lacks (or holds) needle, printing both. */
void assert_contains(const char *text, const char *needle);
void assert_lacks(const char *text, const char *needle);

#endif
