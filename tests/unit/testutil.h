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

/*
 * Compares text with the golden file tests/unit/golden/<name> byte for byte
 * (the file ends with one extra newline). With UPDATE_GOLDEN=1 in the
 * environment it writes the file instead; GOLDEN_DIR overrides the folder.
 */
void assert_golden(const char *name, const char *text);

struct offline_model;

/*
 * Loads the offline model from the tables compiled in, for a group's setup:
 * 0, or -1 with the reason on stderr. Free it with offline_model_free.
 */
int testutil_offline_model(struct offline_model **out);

/* A `crowdelic llm-serve` child process for tests that talk HTTP to it. */
struct llm_serve_child {
    int pid;
    int port;
    char dir[64]; /* its working directory and log (dir/stdout) */
};

/*
 * Starts $CROWDELIC_BIN llm-serve --port 0 ARGS (args NULL-terminated) in a
 * fresh directory and waits (10 s at most) for its "listening" line.
 * Returns 0, or -1 with a message on stderr (for a cmocka setup).
 */
int testutil_llm_serve_start(struct llm_serve_child *c, const char *const *args);

/* SIGTERM, wait, remove its directory; 0 when it exited 0, else -1. */
int testutil_llm_serve_stop(struct llm_serve_child *c);

/* Fail the test when text lacks (or holds) needle, printing both. */
void assert_contains(const char *text, const char *needle);
void assert_lacks(const char *text, const char *needle);

#endif
