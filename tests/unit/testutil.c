/*
 * tests/unit/testutil.c - see testutil.h.
 */
#include "core/compat.h"

#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "testutil.h"

#include "engine/offline/model.h"

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

#ifndef TESTS_SOURCE_DIR
#    define TESTS_SOURCE_DIR "tests"
#endif

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *bigger = realloc(data, cap * 2);
            if (!bigger) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (data)
        data[n] = '\0';
    *len = n;
    return data;
}

void assert_golden(const char *name, const char *text)
{
    const char *env = getenv("GOLDEN_DIR");
    char dir[4096], path[4352];
    snprintf(dir, sizeof(dir), "%s", env && *env ? env : TESTS_SOURCE_DIR "/unit/golden");
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    size_t len = strlen(text);
    const char *update = getenv("UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        mkdir(dir, 0755);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(text, 1, len, f) != len || fputc('\n', f) != '\n' || fclose(f) != 0)
            fail_msg("cannot write %s", path);
        return;
    }
    size_t have_len = 0;
    char *have = slurp(path, &have_len);
    if (!have)
        fail_msg("%s: missing; run with UPDATE_GOLDEN=1", path);
    bool same = have_len == len + 1 && memcmp(have, text, len) == 0 && have[len] == '\n';
    free(have);
    if (!same)
        fail_msg("%s differs (UPDATE_GOLDEN=1 rewrites it); got:\n%s", path, text);
}

/* The port of the "listening" line in the log at path, or 0. */
static int listening_port(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096];
    int port = 0;
    while (!port && fgets(line, sizeof(line), f)) {
        const char *q = strstr(line, "\"msg\":\"listening\"") ? strstr(line, "\"port\":") : NULL;
        if (q)
            port = (int)strtol(q + 7, NULL, 10);
    }
    fclose(f);
    return port;
}

int testutil_llm_serve_start(struct llm_serve_child *c, const char *const *args)
{
    const char *bin = getenv("CROWDELIC_BIN");
    memset(c, 0, sizeof(*c));
    if (!bin) {
        fprintf(stderr, "CROWDELIC_BIN must name the crowdelic binary\n");
        return -1;
    }
    if (testutil_mkdtemp(c->dir, sizeof(c->dir), "llmserve"))
        return -1;
    char log[128];
    snprintf(log, sizeof(log), "%s/stdout", c->dir);
    const char *argv[32] = { bin, "llm-serve", "--port", "0" };
    size_t n = 4;
    for (size_t i = 0; args && args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 1);
        dup2(fd, 2);
        if (chdir(c->dir) != 0)
            _exit(127);
        setenv("CROWDELIC_ENV", "test", 1);
        setenv("BIND_ADDRESS", "127.0.0.1", 1);
        setenv("HTTP_THREADS", "4", 1);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    c->pid = (int)pid;
    for (int i = 0; i < 200 && !c->port; i++) {
        struct timespec ts = { .tv_sec = 0, .tv_nsec = 50 * 1000000 };
        nanosleep(&ts, NULL);
        c->port = listening_port(log);
    }
    if (!c->port) {
        fprintf(stderr, "llm-serve did not start; see %s\n", log);
        return -1;
    }
    return 0;
}

int testutil_llm_serve_stop(struct llm_serve_child *c)
{
    int status = 0;
    if (c->pid > 0) {
        kill(c->pid, SIGTERM);
        waitpid(c->pid, &status, 0);
        c->pid = 0;
    }
    testutil_rmtree(c->dir);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "llm-serve did not exit 0 (status %d)\n", status);
        return -1;
    }
    return 0;
}

int testutil_offline_model(struct offline_model **out)
{
    struct err err = ERR_INIT;
    if (offline_model_load(NULL, out, &err)) {
        fprintf(stderr, "the offline model: %s\n", err.msg);
        return -1;
    }
    return 0;
}
