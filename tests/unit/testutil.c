/*
 * tests/unit/testutil.c - see testutil.h.
 */
#include "core/compat.h"

#include <ftw.h>
#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

int testutil_mkdtemp(char *dir, size_t n, const char *tag)
{
    int w = snprintf(dir, n, "/tmp/crowdelic-%s-XXXXXX", tag);
    if (w < 0 || (size_t)w >= n || !mkdtemp(dir)) {
        fprintf(stderr, "testutil_mkdtemp(%s): %s\n", tag, strerror(errno));
        return -1;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int testutil_rmtree(const char *dir)
{
    return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void assert_ok(enum err_code rc, const struct err *err)
{
    if (rc != ERR_OK)
        fail_msg("expected ERR_OK, got %s: %s", err_slug(rc), err ? err->msg : "");
}

void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("'%s' not found in:\n%s", needle, text);
}

void assert_lacks(const char *text, const char *needle)
{
    if (strstr(text, needle))
        fail_msg("'%s' must not appear in:\n%s", needle, text);
}
