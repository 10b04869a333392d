/*
 * tests/unit/conf/test_config.c - the configuration loader (conf/config.h):
 * defaults with no input, the order defaults < .env < environment, every bad
 * value reported at once with its variable and accepted range, boundaries of
 * integers and byte sizes (suffixes, overflow), enums, the JWT_SECRET rules
 * per environment, DATABASE_URL/POSTGRES_URL resolution, CORS_ORIGINS, the
 * connections/threads rule, derived values, masking in config_print, .env
 * errors with line numbers, and config_load reading a real file.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "conf/config.h"
#include "conf/limits.h"
#include "core/ids.h"
#include "core/log.h"

#include <fcntl.h>
#include <sys/stat.h>

#define PROBLEMS_MAX (64 * 1024)

/* A secret of exactly LIMIT_JWT_SECRET_MIN bytes, and one byte shorter. */
#define SECRET_32 "0123456789abcdef0123456789ABCDEF"
#define SECRET_31 "0123456789abcdef0123456789ABCDE"

static_assert(sizeof(SECRET_32) - 1 == LIMIT_JWT_SECRET_MIN, "SECRET_32 must be the minimum");

/* ---- helpers ------------------------------------------------------------------------ */

/* One loaded configuration with its problem text; released by done(). */
struct loaded {
    struct config c;
    struct buf problems;
    enum err_code rc;
};

/* Loads from a .env text (may be NULL) and an envp array (may be NULL). */
static void load(struct loaded *l, const char *dotenv, const char *const *envp)
{
    buf_init(&l->problems, PROBLEMS_MAX);
    l->rc = config_load_from(&l->c, dotenv, dotenv ? strlen(dotenv) : 0, "test.env", envp,
                             &l->problems);
}

static void done(struct loaded *l)
{
    config_release(&l->c);
    buf_release(&l->problems);
}

/* Loads envp with no .env and expects no problem. */
static void load_ok(struct loaded *l, const char *const *envp)
{
    load(l, NULL, envp);
    if (l->rc != ERR_OK)
        fail_msg("unexpected problems:\n%s", l->problems.data);
}

/* Asserts that the problems hold the line want (a whole line). */
static void assert_problem_line(const struct loaded *l, const char *want)
{
    const char *p = l->problems.data;
    size_t n = strlen(want);
    for (;;) {
        const char *hit = strstr(p, want);
        if (!hit)
            fail_msg("problems lack the line '%s':\n%s", want, l->problems.data);
        bool starts = hit == l->problems.data || hit[-1] == '\n';
        if (starts && hit[n] == '\n')
            return;
        p = hit + 1;
    }
}

/* Number of lines in the problem text. */
static size_t problem_lines(const struct loaded *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->problems.len; i++)
        n += l->problems.data[i] == '\n';
    return n;
}

/* Loads with one environment assignment and expects it to be rejected with line want. */
static void assert_env_rejected(const char *assignment, const char *want)
{
    const char *envp[] = { assignment, NULL };
    struct loaded l;
    load(&l, NULL, envp);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_problem_line(&l, want);
    assert_int_equal(problem_lines(&l), 1);
    done(&l);
}

/*
 * The config_print line of variable name (up to its newline), copied into
 * out; fails unless there is exactly one such line.
 */
static void print_line(const struct config *c, const char *name, char *out, size_t n)
{
    struct buf b;
    buf_init(&b, PROBLEMS_MAX);
    config_print(c, &b);
    size_t name_len = strlen(name);
    size_t found = 0;
    const char *p = b.data;
    out[0] = '\0';
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > name_len && memcmp(p, name, name_len) == 0 && p[name_len] == '=') {
            snprintf(out, n, "%.*s", (int)len, p);
            found++;
        }
        p += len + (eol ? 1 : 0);
    }
    buf_release(&b);
    if (found != 1)
        fail_msg("config_print has %zu lines for %s", found, name);
}

static int64_t cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

static bool all_hex(const char *s)
{
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

/* ---- defaults ------------------------------------------------------------------------- */

static void defaults_load_with_no_input(void **state)
{
    (void)state;
    struct loaded l;
    load_ok(&l, NULL);
    assert_int_equal(l.problems.len, 0);
    assert_int_equal(l.c.env, CONFIG_ENV_DEVELOPMENT);
    assert_int_equal(l.c.port, 8080);
    assert_string_equal(l.c.bind_address, "0.0.0.0");
    assert_string_equal(l.c.database_url, "./var/crowdelic.db");
    assert_string_equal(l.c.postgres_url, "");
    assert_int_equal(l.c.log_level, LOG_LEVEL_INFO);
    assert_string_equal(l.c.log_dir, "");
    assert_int_equal(l.c.log_max_bytes, LIMIT_LOG_MAX_BYTES);
    assert_int_equal(l.c.log_max_files, LIMIT_LOG_MAX_FILES);
    assert_int_equal(l.c.http_max_body_bytes, LIMIT_HTTP_MAX_BODY_BYTES);
    assert_int_equal(l.c.http_idle_timeout_s, LIMIT_HTTP_IDLE_TIMEOUT_S);
    assert_int_equal(l.c.http_max_connections, LIMIT_HTTP_MAX_CONNECTIONS);
    assert_int_equal(l.c.http_conn_memory_bytes, LIMIT_HTTP_CONN_MEMORY_BYTES);
    assert_int_equal(l.c.http_max_conn_per_ip, LIMIT_HTTP_MAX_CONN_PER_IP);
    assert_int_equal(l.c.http_shutdown_grace_s, LIMIT_HTTP_SHUTDOWN_GRACE_S);
    assert_int_equal(l.c.sse_heartbeat_s, LIMIT_SSE_HEARTBEAT_S);
    assert_int_equal(l.c.sse_max_streams, LIMIT_SSE_MAX_STREAMS);
    assert_int_equal(l.c.sse_queue_bytes, LIMIT_SSE_QUEUE_BYTES);
    assert_string_equal(l.c.cors_origins, "");
    assert_string_equal(l.c.web_dir, "./web/dist");
    assert_int_equal(l.c.worker_threads, LIMIT_WORKER_THREADS);
    assert_int_equal(l.c.worker_queue, LIMIT_WORKER_QUEUE);
    assert_int_equal(l.c.model_worker_threads, LIMIT_MODEL_WORKER_THREADS);
    assert_int_equal(l.c.db_busy_timeout_ms, LIMIT_DB_BUSY_TIMEOUT_MS);
    assert_int_equal(l.c.db_acquire_timeout_ms, LIMIT_DB_ACQUIRE_TIMEOUT_MS);
    assert_null(l.c.dotenv_path);
    done(&l);
}

static void auto_threads_and_pool_size_are_derived(void **state)
{
    (void)state;
    struct loaded l;
    load_ok(&l, NULL);
    assert_int_equal(l.c.http_threads, LIMIT_HTTP_THREADS_PER_CORE * cores());
    assert_int_equal(l.c.db_pool_size, l.c.http_threads + LIMIT_WORKER_THREADS +
                                           LIMIT_MODEL_WORKER_THREADS + LIMIT_RUN_WORKERS + 2);
    char line[512];
    print_line(&l.c, "HTTP_THREADS", line, sizeof(line));
    assert_contains(line, "# derived");
    done(&l);
}

static void explicit_pool_size_is_kept(void **state)
{
    (void)state;
    const char *envp[] = { "HTTP_THREADS=3", "WORKER_THREADS=5", "DB_POOL_SIZE=7", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_int_equal(l.c.http_threads, 3);
    assert_int_equal(l.c.db_pool_size, 7);
    done(&l);
}

static void zero_pool_size_is_threads_plus_workers_plus_two(void **state)
{
    (void)state;
    const char *envp[] = { "HTTP_THREADS=3", "WORKER_THREADS=5", "MODEL_WORKER_THREADS=6",
                           "RUN_WORKERS=1",  "DB_POOL_SIZE=0",   NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_int_equal(l.c.db_pool_size, 17);
    done(&l);
}

/* ---- precedence ------------------------------------------------------------------------- */

static void dotenv_overrides_defaults(void **state)
{
    (void)state;
    struct loaded l;
    load(&l, "PORT=9000\nBIND_ADDRESS=127.0.0.1\n", NULL);
    assert_int_equal(l.rc, ERR_OK);
    assert_int_equal(l.c.port, 9000);
    assert_string_equal(l.c.bind_address, "127.0.0.1");
    char line[512];
    print_line(&l.c, "PORT", line, sizeof(line));
    assert_contains(line, "# .env");
    done(&l);
}

static void environment_overrides_dotenv(void **state)
{
    (void)state;
    const char *envp[] = { "PORT=9100", NULL };
    struct loaded l;
    load(&l, "PORT=9000\nLOG_LEVEL=debug\n", envp);
    assert_int_equal(l.rc, ERR_OK);
    assert_int_equal(l.c.port, 9100);
    assert_int_equal(l.c.log_level, LOG_LEVEL_DEBUG); /* from .env, not overridden */
    char line[512];
    print_line(&l.c, "PORT", line, sizeof(line));
    assert_contains(line, "# environment");
    print_line(&l.c, "LOG_LEVEL", line, sizeof(line));
    assert_contains(line, "# .env");
    done(&l);
}

static void later_environment_entry_wins(void **state)
{
    (void)state;
    const char *envp[] = { "PORT=1", "PORT=2", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_int_equal(l.c.port, 2);
    done(&l);
}

static void bad_environment_value_keeps_the_dotenv_value(void **state)
{
    (void)state;
    const char *envp[] = { "PORT=abc", NULL };
    struct loaded l;
    load(&l, "PORT=9000\n", envp);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_int_equal(l.c.port, 9000);
    done(&l);
}

static void unrelated_and_malformed_environment_entries_are_ignored(void **state)
{
    (void)state;
    const char *envp[] = { "HOME=/root", "NO_EQUALS_SIGN", "port=1", "PORTX=1", "=9", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_int_equal(l.c.port, 8080);
    done(&l);
}

static void unknown_dotenv_variable_is_ignored(void **state)
{
    (void)state;
    struct loaded l;
    load(&l, "SOME_OTHER_TOOL=whatever\nNODE_ENV=production\nPORT=9000\n", NULL);
    assert_int_equal(l.rc, ERR_OK);
    assert_int_equal(l.problems.len, 0);
    assert_int_equal(l.c.port, 9000);
    assert_int_equal(l.c.env, CONFIG_ENV_DEVELOPMENT);
    done(&l);
}

/* ---- .env errors ------------------------------------------------------------------------- */

static void dotenv_syntax_error_is_reported_with_its_line(void **state)
{
    (void)state;
    struct loaded l;
    load(&l, "PORT=9000\n# fine\nNOT AN ASSIGNMENT\nLOG_LEVEL=debug\n", NULL);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_problem_line(&l, "test.env: line 3: expected '=' after 'NOT'");
    assert_int_equal(problem_lines(&l), 1);
    /* the assignment before the error was applied, the one after was not */
    assert_int_equal(l.c.port, 9000);
    assert_int_equal(l.c.log_level, LOG_LEVEL_INFO);
    done(&l);
}

static void dotenv_bad_value_names_file_and_line(void **state)
{
    (void)state;
    struct loaded l;
    load(&l, "\n\nPORT=http\n", NULL);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_problem_line(&l, "PORT: 'http' is not a whole number (expected 0..65535)");
    assert_problem_line(&l, "  (from test.env line 3)");
    done(&l);
}

static void dotenv_name_defaults_to_dot_env(void **state)
{
    (void)state;
    struct config c;
    struct buf problems;
    buf_init(&problems, PROBLEMS_MAX);
    const char *text = "X Y\n";
    assert_int_equal(config_load_from(&c, text, strlen(text), NULL, NULL, &problems), ERR_INVALID);
    assert_string_equal(problems.data, ".env: line 1: expected '=' after 'X'\n");
    config_release(&c);
    buf_release(&problems);
}

/* ---- every problem at once ------------------------------------------------------------------- */

static void several_bad_values_are_all_reported(void **state)
{
    (void)state;
    const char *envp[] = { "PORT=abc", "LOG_LEVEL=loud", "HTTP_THREADS=-5",
                           "HTTP_MAX_BODY_BYTES=12Q", NULL };
    struct loaded l;
    load(&l, "SSE_HEARTBEAT=0\n", envp);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_problem_line(&l, "PORT: 'abc' is not a whole number (expected 0..65535)");
    assert_problem_line(&l, "LOG_LEVEL: 'loud' is not a valid value (expected one of: debug, "
                            "info, warn, error)");
    assert_problem_line(&l, "HTTP_THREADS: '-5' is not in range (expected 0..1024)");
    assert_problem_line(&l, "HTTP_MAX_BODY_BYTES: '12Q' is not a whole number (expected "
                            "1024..1073741824 bytes, K/M/G suffixes allowed)");
    assert_problem_line(&l, "SSE_HEARTBEAT: '0' is not in range (expected 1..3600)");
    assert_problem_line(&l, "  (from test.env line 1)");
    assert_int_equal(problem_lines(&l), 6);
    done(&l);
}

static void problems_are_appended_after_existing_text(void **state)
{
    (void)state;
    const char *envp[] = { "PORT=x", NULL };
    struct config c;
    struct buf problems;
    buf_init(&problems, PROBLEMS_MAX);
    buf_adds(&problems, "earlier\n");
    assert_int_equal(config_load_from(&c, NULL, 0, NULL, envp, &problems), ERR_INVALID);
    assert_string_equal(problems.data,
                        "earlier\nPORT: 'x' is not a whole number (expected 0..65535)\n");
    config_release(&c);
    buf_release(&problems);
}

static void overflowing_problem_buffer_still_fails(void **state)
{
    (void)state;
    const char *envp[] = { "PORT=x", NULL };
    struct config c;
    struct buf problems;
    buf_init(&problems, 8); /* too small for any problem line */
    assert_int_equal(config_load_from(&c, NULL, 0, NULL, envp, &problems), ERR_INVALID);
    assert_true(problems.failed);
    config_release(&c);
    buf_release(&problems);
}

/* ---- integers ------------------------------------------------------------------------------ */

static void port_zero_and_65535_are_accepted(void **state)
{
    (void)state;
    const char *zero[] = { "PORT=0", NULL };
    const char *top[] = { "PORT=65535", NULL };
    struct loaded l;
    load_ok(&l, zero);
    assert_int_equal(l.c.port, 0);
    done(&l);
    load_ok(&l, top);
    assert_int_equal(l.c.port, 65535);
    done(&l);
}

static void port_minus_one_and_65536_are_rejected(void **state)
{
    (void)state;
    assert_env_rejected("PORT=-1", "PORT: '-1' is not in range (expected 0..65535)");
    assert_env_rejected("PORT=65536", "PORT: '65536' is not in range (expected 0..65535)");
}

static void port_that_is_not_a_number_is_rejected(void **state)
{
    (void)state;
    assert_env_rejected("PORT=", "PORT: '' is not a whole number (expected 0..65535)");
    assert_env_rejected("PORT= 80", "PORT: ' 80' is not a whole number (expected 0..65535)");
    assert_env_rejected("PORT=80.0", "PORT: '80.0' is not a whole number (expected 0..65535)");
    assert_env_rejected("PORT=0x50", "PORT: '0x50' is not a whole number (expected 0..65535)");
    assert_env_rejected("PORT=99999999999999999999",
                        "PORT: '99999999999999999999' is not a whole number (expected 0..65535)");
}

static void integer_with_plus_sign_is_accepted(void **state)
{
    (void)state;
    const char *envp[] = { "PORT=+81", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_int_equal(l.c.port, 81);
    done(&l);
}

static void lower_bound_of_one_rejects_zero(void **state)
{
    (void)state;
    const char *one[] = { "WORKER_THREADS=1", "LOG_MAX_FILES=1", NULL };
    struct loaded l;
    load_ok(&l, one);
    assert_int_equal(l.c.worker_threads, 1);
    assert_int_equal(l.c.log_max_files, 1);
    done(&l);
    assert_env_rejected("WORKER_THREADS=0",
                        "WORKER_THREADS: '0' is not in range (expected 1..256)");
    assert_env_rejected("WORKER_THREADS=257",
                        "WORKER_THREADS: '257' is not in range (expected 1..256)");
}

/* ---- byte sizes ---------------------------------------------------------------------------- */

static void byte_suffixes_are_powers_of_1024(void **state)
{
    (void)state;
    const char *envp[] = { "HTTP_MAX_BODY_BYTES=64K", "SSE_QUEUE_BYTES=1M", "LOG_MAX_BYTES=2G",
                           "HTTP_CONN_MEMORY=16k", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_int_equal(l.c.http_max_body_bytes, 65536);
    assert_int_equal(l.c.sse_queue_bytes, 1048576);
    assert_int_equal(l.c.log_max_bytes, INT64_C(2) << 30);
    assert_int_equal(l.c.http_conn_memory_bytes, 16384);
    done(&l);
}

static void lower_case_suffixes_are_accepted(void **state)
{
    (void)state;
    const char *envp[] = { "HTTP_MAX_BODY_BYTES=2m", "LOG_MAX_BYTES=1g", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_int_equal(l.c.http_max_body_bytes, 2 * 1048576);
    assert_int_equal(l.c.log_max_bytes, INT64_C(1) << 30);
    done(&l);
}

static void byte_size_at_its_bounds_is_accepted(void **state)
{
    (void)state;
    const char *envp[] = { "HTTP_MAX_BODY_BYTES=1024", NULL };
    const char *top[] = { "HTTP_MAX_BODY_BYTES=1G", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_int_equal(l.c.http_max_body_bytes, 1024);
    done(&l);
    load_ok(&l, top);
    assert_int_equal(l.c.http_max_body_bytes, INT64_C(1) << 30);
    done(&l);
}

static void byte_size_just_outside_its_bounds_is_rejected(void **state)
{
    (void)state;
    assert_env_rejected("HTTP_MAX_BODY_BYTES=1023",
                        "HTTP_MAX_BODY_BYTES: '1023' is not in range (expected 1024..1073741824 "
                        "bytes, K/M/G suffixes allowed)");
    assert_env_rejected("HTTP_MAX_BODY_BYTES=1073741825",
                        "HTTP_MAX_BODY_BYTES: '1073741825' is not in range (expected "
                        "1024..1073741824 bytes, K/M/G suffixes allowed)");
    assert_env_rejected("HTTP_MAX_BODY_BYTES=0",
                        "HTTP_MAX_BODY_BYTES: '0' is not in range (expected 1024..1073741824 "
                        "bytes, K/M/G suffixes allowed)");
}

static void overflowing_byte_size_is_rejected(void **state)
{
    (void)state;
    assert_env_rejected("LOG_MAX_BYTES=99999999999G",
                        "LOG_MAX_BYTES: '99999999999G' is not a whole number (expected "
                        "4096..1099511627776 bytes, K/M/G suffixes allowed)");
    assert_env_rejected("LOG_MAX_BYTES=-99999999999G",
                        "LOG_MAX_BYTES: '-99999999999G' is not a whole number (expected "
                        "4096..1099511627776 bytes, K/M/G suffixes allowed)");
}

static void malformed_byte_sizes_are_rejected(void **state)
{
    (void)state;
    assert_env_rejected("SSE_QUEUE_BYTES=K", "SSE_QUEUE_BYTES: 'K' is not a whole number "
                                             "(expected 4096..1073741824 bytes, K/M/G "
                                             "suffixes allowed)");
    assert_env_rejected("SSE_QUEUE_BYTES=64KB", "SSE_QUEUE_BYTES: '64KB' is not a whole number "
                                                "(expected 4096..1073741824 bytes, K/M/G "
                                                "suffixes allowed)");
    assert_env_rejected("SSE_QUEUE_BYTES=1.5M", "SSE_QUEUE_BYTES: '1.5M' is not a whole number "
                                                "(expected 4096..1073741824 bytes, K/M/G "
                                                "suffixes allowed)");
    assert_env_rejected("SSE_QUEUE_BYTES=-1K", "SSE_QUEUE_BYTES: '-1K' is not in range "
                                               "(expected 4096..1073741824 bytes, K/M/G "
                                               "suffixes allowed)");
}

/* ---- enums --------------------------------------------------------------------------------- */

static void every_log_level_is_accepted(void **state)
{
    (void)state;
    static const struct {
        const char *assignment;
        int level;
    } cases[] = {
        { "LOG_LEVEL=debug", LOG_LEVEL_DEBUG },
        { "LOG_LEVEL=info", LOG_LEVEL_INFO },
        { "LOG_LEVEL=warn", LOG_LEVEL_WARN },
        { "LOG_LEVEL=error", LOG_LEVEL_ERROR },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *envp[] = { cases[i].assignment, NULL };
        struct loaded l;
        load_ok(&l, envp);
        assert_int_equal(l.c.log_level, cases[i].level);
        done(&l);
    }
}

static void enum_values_are_case_sensitive_and_exact(void **state)
{
    (void)state;
    assert_env_rejected("CROWDELIC_ENV=Production",
                        "CROWDELIC_ENV: 'Production' is not a valid value (expected one of: "
                        "development, test, production)");
    assert_env_rejected("CROWDELIC_ENV=prod", "CROWDELIC_ENV: 'prod' is not a valid value "
                                              "(expected one of: development, test, "
                                              "production)");
    assert_env_rejected("LOG_LEVEL=", "LOG_LEVEL: '' is not a valid value (expected one of: "
                                      "debug, info, warn, error)");
    assert_env_rejected("LOG_LEVEL=info ", "LOG_LEVEL: 'info ' is not a valid value (expected "
                                           "one of: debug, info, warn, error)");
}

static void env_names_round_trip(void **state)
{
    (void)state;
    assert_string_equal(config_env_name(CONFIG_ENV_DEVELOPMENT), "development");
    assert_string_equal(config_env_name(CONFIG_ENV_TEST), "test");
    assert_string_equal(config_env_name(CONFIG_ENV_PRODUCTION), "production");
    assert_string_equal(config_env_name(3), "unknown");
    assert_string_equal(config_env_name(-1), "unknown");
}

/* ---- JWT_SECRET ---------------------------------------------------------------------------- */

static void production_refuses_a_short_secret(void **state)
{
    (void)state;
    const char *envp[] = { "CROWDELIC_ENV=production", "JWT_SECRET=" SECRET_31, NULL };
    struct loaded l;
    load(&l, NULL, envp);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_problem_line(&l, "JWT_SECRET: 31 bytes is too short for production (expected at "
                            "least 32 random bytes, e.g. from 'openssl rand -hex 32')");
    assert_int_equal(problem_lines(&l), 1);
    assert_lacks(l.problems.data, SECRET_31); /* the secret is never echoed */
    done(&l);
}

static void production_refuses_a_missing_secret(void **state)
{
    (void)state;
    const char *envp[] = { "CROWDELIC_ENV=production", NULL };
    struct loaded l;
    load(&l, NULL, envp);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_contains(l.problems.data, "JWT_SECRET: 0 bytes is too short for production");
    assert_false(l.c.jwt_secret_generated);
    assert_string_equal(l.c.jwt_secret, "");
    done(&l);
}

static void production_accepts_a_secret_of_exactly_32_bytes(void **state)
{
    (void)state;
    const char *envp[] = { "CROWDELIC_ENV=production", "JWT_SECRET=" SECRET_32, NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_int_equal(l.c.env, CONFIG_ENV_PRODUCTION);
    assert_string_equal(l.c.jwt_secret, SECRET_32);
    assert_false(l.c.jwt_secret_generated);
    done(&l);
}

/* Loads in environment env_assignment with no secret and checks one was generated. */
static void assert_secret_generated(const char *env_assignment, char *copy, size_t copy_size)
{
    const char *envp[] = { env_assignment, NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_true(l.c.jwt_secret_generated);
    assert_int_equal(strlen(l.c.jwt_secret), 2 * LIMIT_JWT_SECRET_MIN);
    assert_true(all_hex(l.c.jwt_secret));
    snprintf(copy, copy_size, "%s", l.c.jwt_secret);
    char line[512];
    print_line(&l.c, "JWT_SECRET", line, sizeof(line));
    assert_contains(line, "# generated for this process");
    done(&l);
}

static void development_generates_a_secret(void **state)
{
    (void)state;
    char first[128], second[128];
    assert_secret_generated("CROWDELIC_ENV=development", first, sizeof(first));
    assert_secret_generated("CROWDELIC_ENV=development", second, sizeof(second));
    assert_string_not_equal(first, second); /* random per load */
}

static void test_environment_generates_a_secret(void **state)
{
    (void)state;
    char secret[128];
    assert_secret_generated("CROWDELIC_ENV=test", secret, sizeof(secret));
}

static void development_keeps_a_short_given_secret(void **state)
{
    (void)state;
    const char *envp[] = { "JWT_SECRET=abc", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_string_equal(l.c.jwt_secret, "abc");
    assert_false(l.c.jwt_secret_generated);
    done(&l);
}

/* ---- database URLs -------------------------------------------------------------------------- */

static void postgres_url_is_used_when_database_url_is_unset(void **state)
{
    (void)state;
    const char *envp[] = { "POSTGRES_URL=postgres://u:p@db/app", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_string_equal(l.c.database_url, "postgres://u:p@db/app");
    assert_string_equal(l.c.postgres_url, "postgres://u:p@db/app");
    char line[512];
    print_line(&l.c, "DATABASE_URL", line, sizeof(line));
    assert_contains(line, "# derived");
    done(&l);
}

static void postgres_url_is_ignored_when_database_url_is_set(void **state)
{
    (void)state;
    const char *envp[] = { "POSTGRES_URL=postgres://u:p@db/app", "DATABASE_URL=/data/x.db", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_string_equal(l.c.database_url, "/data/x.db");
    done(&l);
}

static void database_url_from_dotenv_beats_postgres_url_from_environment(void **state)
{
    (void)state;
    const char *envp[] = { "POSTGRES_URL=postgres://u:p@db/app", NULL };
    struct loaded l;
    load(&l, "DATABASE_URL=./var/crowdelic.db\n", envp);
    assert_int_equal(l.rc, ERR_OK);
    assert_string_equal(l.c.database_url, "./var/crowdelic.db");
    done(&l);
}

static void empty_database_url_is_rejected(void **state)
{
    (void)state;
    assert_env_rejected("DATABASE_URL=", "DATABASE_URL: must not be empty (expected a file path "
                                         "or postgres://...)");
}

/* ---- TRUSTED_PROXIES ------------------------------------------------------------------------ */

static void trusted_proxies_must_be_addresses(void **state)
{
    (void)state;
    const char *good[] = { "TRUSTED_PROXIES=127.0.0.1, ::1 ,10.0.0.5", NULL };
    struct loaded l;
    load_ok(&l, good);
    assert_string_equal(l.c.trusted_proxies, "127.0.0.1, ::1 ,10.0.0.5");
    done(&l);
    const char *bad[] = { "TRUSTED_PROXIES=127.0.0.1,nginx.local,10.0.0.0/8", NULL };
    load(&l, NULL, bad);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_problem_line(&l, "TRUSTED_PROXIES: 'nginx.local' is not an IPv4 or IPv6 address (list "
                            "the proxies' addresses, e.g. 127.0.0.1,10.0.0.5)");
    assert_problem_line(&l, "TRUSTED_PROXIES: '10.0.0.0/8' is not an IPv4 or IPv6 address (list "
                            "the proxies' addresses, e.g. 127.0.0.1,10.0.0.5)");
    assert_int_equal(problem_lines(&l), 2);
    done(&l);
}

/* ---- CORS_ORIGINS --------------------------------------------------------------------------- */

static void good_cors_origins_are_accepted(void **state)
{
    (void)state;
    const char *envp[] = {
        "CORS_ORIGINS=https://app.example.com, http://localhost:5173 ,http://[::1]:8080", NULL
    };
    struct loaded l;
    load_ok(&l, envp);
    assert_string_equal(l.c.cors_origins,
                        "https://app.example.com, http://localhost:5173 ,http://[::1]:8080");
    done(&l);
}

static void cors_origin_with_a_path_or_no_scheme_is_rejected(void **state)
{
    (void)state;
    const char *envp[] = { "CORS_ORIGINS=https://a.com/,a.com,https://ok.com,ftp://b.com,https://",
                           NULL };
    struct loaded l;
    load(&l, NULL, envp);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_problem_line(&l, "CORS_ORIGINS: 'https://a.com/' is not an origin (expected "
                            "scheme://host[:port], e.g. https://app.example.com)");
    assert_problem_line(&l, "CORS_ORIGINS: 'a.com' is not an origin (expected "
                            "scheme://host[:port], e.g. https://app.example.com)");
    assert_problem_line(&l, "CORS_ORIGINS: 'ftp://b.com' is not an origin (expected "
                            "scheme://host[:port], e.g. https://app.example.com)");
    assert_problem_line(&l, "CORS_ORIGINS: 'https://' is not an origin (expected "
                            "scheme://host[:port], e.g. https://app.example.com)");
    assert_lacks(l.problems.data, "'https://ok.com'");
    assert_int_equal(problem_lines(&l), 4);
    done(&l);
}

static void cors_origin_with_space_or_wildcard_is_rejected(void **state)
{
    (void)state;
    const char *envp[] = { "CORS_ORIGINS=https://a b.com,https://*.example.com", NULL };
    struct loaded l;
    load(&l, NULL, envp);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_int_equal(problem_lines(&l), 2);
    done(&l);
}

/* ---- connections and threads ----------------------------------------------------------------- */

static void fewer_connections_than_threads_is_rejected(void **state)
{
    (void)state;
    const char *envp[] = { "HTTP_THREADS=8", "HTTP_MAX_CONNECTIONS=7", NULL };
    struct loaded l;
    load(&l, NULL, envp);
    assert_int_equal(l.rc, ERR_INVALID);
    assert_problem_line(&l, "HTTP_MAX_CONNECTIONS: 7 is less than HTTP_THREADS (8); each HTTP "
                            "thread takes an equal share of the connections, so raise it or "
                            "lower HTTP_THREADS");
    done(&l);
}

static void as_many_connections_as_threads_is_accepted(void **state)
{
    (void)state;
    const char *envp[] = { "HTTP_THREADS=8", "HTTP_MAX_CONNECTIONS=8", NULL };
    struct loaded l;
    load_ok(&l, envp);
    assert_int_equal(l.c.http_max_connections, 8);
    done(&l);
}

/* ---- config_print and masking ------------------------------------------------------------------
 */

static void print_masks_the_jwt_secret(void **state)
{
    (void)state;
    const char *envp[] = { "JWT_SECRET=" SECRET_32, NULL };
    struct loaded l;
    load_ok(&l, envp);
    struct buf out;
    buf_init(&out, PROBLEMS_MAX);
    config_print(&l.c, &out);
    assert_lacks(out.data, SECRET_32);
    assert_lacks(out.data, "0123456789"); /* no part of it either */
    char line[512];
    print_line(&l.c, "JWT_SECRET", line, sizeof(line));
    assert_contains(line, "****** (32 bytes)");
    buf_release(&out);
    done(&l);
}

static void print_masks_a_generated_secret(void **state)
{
    (void)state;
    struct loaded l;
    load_ok(&l, NULL);
    struct buf out;
    buf_init(&out, PROBLEMS_MAX);
    config_print(&l.c, &out);
    assert_lacks(out.data, l.c.jwt_secret);
    buf_release(&out);
    done(&l);
}

static void print_masks_the_password_of_postgres_urls(void **state)
{
    (void)state;
    const char *envp[] = { "DATABASE_URL=postgres://alice:hunter2@db.example:5432/crowdelic",
                           "POSTGRES_URL=postgresql://bob:s3cr3t@other/db", NULL };
    struct loaded l;
    load_ok(&l, envp);
    struct buf out;
    buf_init(&out, PROBLEMS_MAX);
    config_print(&l.c, &out);
    assert_lacks(out.data, "hunter2");
    assert_lacks(out.data, "s3cr3t");
    assert_contains(out.data, "postgres://alice:****@db.example:5432/crowdelic");
    assert_contains(out.data, "postgresql://bob:****@other/db");
    buf_release(&out);
    done(&l);
}

static void print_has_one_line_per_variable(void **state)
{
    (void)state;
    struct loaded l;
    load_ok(&l, NULL);
    static const char *const names[] = {
        "CROWDELIC_ENV",        "PORT",      "BIND_ADDRESS",        "DATABASE_URL", "POSTGRES_URL",
        "JWT_SECRET",           "LOG_LEVEL", "HTTP_MAX_BODY_BYTES", "CORS_ORIGINS", "WEB_DIR",
        "DB_ACQUIRE_TIMEOUT_MS"
    };
    char line[512];
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        print_line(&l.c, names[i], line, sizeof(line));
    print_line(&l.c, "PORT", line, sizeof(line));
    assert_true(strncmp(line, "PORT=8080 ", 10) == 0);
    assert_contains(line, "# default");
    done(&l);
}

static void mask_secret_shows_only_the_length(void **state)
{
    (void)state;
    char out[64];
    config_mask_secret("", out, sizeof(out));
    assert_string_equal(out, "");
    config_mask_secret(NULL, out, sizeof(out));
    assert_string_equal(out, "");
    config_mask_secret("abc", out, sizeof(out));
    assert_string_equal(out, "****** (3 bytes)");
}

static void mask_url_hides_an_at_sign_inside_the_password(void **state)
{
    char out[256];
    (void)state;
    config_mask_url("postgres://alice:p@ss@db/app", out, sizeof(out));
    assert_string_equal(out, "postgres://alice:****@db/app");
}

static void mask_url_hides_password_parameters(void **state)
{
    char out[256];
    (void)state;
    config_mask_url("postgres://db/app?sslmode=require&password=secret&x=1", out, sizeof(out));
    assert_string_equal(out, "postgres://db/app?sslmode=require&password=****&x=1");
    config_mask_url("host=db password=secret dbname=app", out, sizeof(out));
    assert_string_equal(out, "host=db password=**** dbname=app");
}

static void mask_url_keeps_urls_without_a_password(void **state)
{
    (void)state;
    char out[128];
    config_mask_url("./var/crowdelic.db", out, sizeof(out));
    assert_string_equal(out, "./var/crowdelic.db");
    config_mask_url("postgres://alice@db/app", out, sizeof(out));
    assert_string_equal(out, "postgres://alice@db/app");
    config_mask_url("postgres://db:5432/app", out, sizeof(out));
    assert_string_equal(out, "postgres://db:5432/app");
    config_mask_url("postgres://alice:pw@db/app", out, sizeof(out));
    assert_string_equal(out, "postgres://alice:****@db/app");
    config_mask_url("postgres://:pw@db/app", out, sizeof(out));
    assert_string_equal(out, "postgres://:****@db/app");
}

/* ---- config_load with a real file ---------------------------------------------------------------
 */

/* A fresh directory under /tmp, path written to dir. */
static void make_temp_dir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/test_config.XXXXXX");
    if (!mkdtemp(dir))
        fail_msg("mkdtemp: %s", strerror(errno));
}

static void write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        assert_true(w > 0);
        off += (size_t)w;
    }
    close(fd);
}

/* A .env text of exactly n bytes: PORT=9000 then comment lines. */
static char *dotenv_of_size(size_t n)
{
    char *t = malloc(n);
    assert_non_null(t);
    memset(t, 'c', n);
    memcpy(t, "PORT=9000\n#", 11);
    for (size_t i = 100; i < n; i += 100)
        memcpy(t + i - 1, "\n#", 2);
    t[n - 1] = '\n';
    return t;
}

static void config_load_without_a_file_uses_the_environment(void **state)
{
    (void)state;
    char dir[64], path[128];
    make_temp_dir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/missing.env", dir);
    clearenv();
    setenv("PORT", "9100", 1);
    struct config c;
    struct buf problems;
    buf_init(&problems, PROBLEMS_MAX);
    assert_int_equal(config_load(&c, path, &problems), ERR_OK);
    assert_int_equal(c.port, 9100);
    assert_null(c.dotenv_path);
    config_release(&c);
    buf_release(&problems);
    clearenv();
    rmdir(dir);
}

static void config_load_reads_the_file_under_the_environment(void **state)
{
    (void)state;
    char dir[64], path[128];
    make_temp_dir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/app.env", dir);
    const char *text = "PORT=9000\nLOG_LEVEL=warn\n";
    write_file(path, text, strlen(text));
    clearenv();
    setenv("LOG_LEVEL", "error", 1);
    struct config c;
    struct buf problems;
    buf_init(&problems, PROBLEMS_MAX);
    assert_int_equal(config_load(&c, path, &problems), ERR_OK);
    assert_int_equal(c.port, 9000);
    assert_int_equal(c.log_level, LOG_LEVEL_ERROR);
    assert_string_equal(c.dotenv_path, path);
    config_release(&c);
    buf_release(&problems);
    clearenv();
    unlink(path);
    rmdir(dir);
}

static void config_load_accepts_a_file_of_exactly_the_limit(void **state)
{
    (void)state;
    char dir[64], path[128];
    make_temp_dir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/big.env", dir);
    char *text = dotenv_of_size(LIMIT_DOTENV_BYTES);
    write_file(path, text, LIMIT_DOTENV_BYTES);
    clearenv();
    struct config c;
    struct buf problems;
    buf_init(&problems, PROBLEMS_MAX);
    enum err_code rc = config_load(&c, path, &problems);
    if (rc != ERR_OK)
        fail_msg("problems:\n%s", problems.data);
    assert_int_equal(c.port, 9000);
    config_release(&c);
    buf_release(&problems);
    free(text);
    unlink(path);
    rmdir(dir);
}

static void config_load_refuses_a_file_over_the_limit(void **state)
{
    (void)state;
    char dir[64], path[128], want[256];
    make_temp_dir(dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/big.env", dir);
    char *text = dotenv_of_size(LIMIT_DOTENV_BYTES + 1);
    write_file(path, text, LIMIT_DOTENV_BYTES + 1);
    clearenv();
    struct config c;
    struct buf problems;
    buf_init(&problems, PROBLEMS_MAX);
    assert_int_equal(config_load(&c, path, &problems), ERR_INVALID);
    snprintf(want, sizeof(want), "%s: larger than %d bytes\n", path, LIMIT_DOTENV_BYTES);
    assert_string_equal(problems.data, want);
    assert_int_equal(c.port, 8080); /* the file was not applied */
    assert_null(c.dotenv_path);
    config_release(&c);
    buf_release(&problems);
    free(text);
    unlink(path);
    rmdir(dir);
}

static void config_load_reports_an_unreadable_file(void **state)
{
    (void)state;
    char dir[64];
    make_temp_dir(dir, sizeof(dir));
    clearenv();
    struct config c;
    struct buf problems;
    buf_init(&problems, PROBLEMS_MAX);
    /* a directory opens but cannot be read */
    assert_int_equal(config_load(&c, dir, &problems), ERR_INVALID);
    assert_contains(problems.data, dir);
    assert_contains(problems.data, ": cannot read: ");
    config_release(&c);
    buf_release(&problems);
    rmdir(dir);
}

static int setup(void **state)
{
    (void)state;
    ids_init();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_load_with_no_input),
        cmocka_unit_test(auto_threads_and_pool_size_are_derived),
        cmocka_unit_test(explicit_pool_size_is_kept),
        cmocka_unit_test(zero_pool_size_is_threads_plus_workers_plus_two),
        cmocka_unit_test(dotenv_overrides_defaults),
        cmocka_unit_test(environment_overrides_dotenv),
        cmocka_unit_test(later_environment_entry_wins),
        cmocka_unit_test(bad_environment_value_keeps_the_dotenv_value),
        cmocka_unit_test(unrelated_and_malformed_environment_entries_are_ignored),
        cmocka_unit_test(unknown_dotenv_variable_is_ignored),
        cmocka_unit_test(dotenv_syntax_error_is_reported_with_its_line),
        cmocka_unit_test(dotenv_bad_value_names_file_and_line),
        cmocka_unit_test(dotenv_name_defaults_to_dot_env),
        cmocka_unit_test(several_bad_values_are_all_reported),
        cmocka_unit_test(problems_are_appended_after_existing_text),
        cmocka_unit_test(overflowing_problem_buffer_still_fails),
        cmocka_unit_test(port_zero_and_65535_are_accepted),
        cmocka_unit_test(port_minus_one_and_65536_are_rejected),
        cmocka_unit_test(port_that_is_not_a_number_is_rejected),
        cmocka_unit_test(integer_with_plus_sign_is_accepted),
        cmocka_unit_test(lower_bound_of_one_rejects_zero),
        cmocka_unit_test(byte_suffixes_are_powers_of_1024),
        cmocka_unit_test(lower_case_suffixes_are_accepted),
        cmocka_unit_test(byte_size_at_its_bounds_is_accepted),
        cmocka_unit_test(byte_size_just_outside_its_bounds_is_rejected),
        cmocka_unit_test(overflowing_byte_size_is_rejected),
        cmocka_unit_test(malformed_byte_sizes_are_rejected),
        cmocka_unit_test(every_log_level_is_accepted),
        cmocka_unit_test(enum_values_are_case_sensitive_and_exact),
        cmocka_unit_test(env_names_round_trip),
        cmocka_unit_test(production_refuses_a_short_secret),
        cmocka_unit_test(production_refuses_a_missing_secret),
        cmocka_unit_test(production_accepts_a_secret_of_exactly_32_bytes),
        cmocka_unit_test(development_generates_a_secret),
        cmocka_unit_test(test_environment_generates_a_secret),
        cmocka_unit_test(development_keeps_a_short_given_secret),
        cmocka_unit_test(postgres_url_is_used_when_database_url_is_unset),
        cmocka_unit_test(postgres_url_is_ignored_when_database_url_is_set),
        cmocka_unit_test(database_url_from_dotenv_beats_postgres_url_from_environment),
        cmocka_unit_test(empty_database_url_is_rejected),
        cmocka_unit_test(trusted_proxies_must_be_addresses),
        cmocka_unit_test(good_cors_origins_are_accepted),
        cmocka_unit_test(cors_origin_with_a_path_or_no_scheme_is_rejected),
        cmocka_unit_test(cors_origin_with_space_or_wildcard_is_rejected),
        cmocka_unit_test(fewer_connections_than_threads_is_rejected),
        cmocka_unit_test(as_many_connections_as_threads_is_accepted),
        cmocka_unit_test(print_masks_the_jwt_secret),
        cmocka_unit_test(print_masks_a_generated_secret),
        cmocka_unit_test(print_masks_the_password_of_postgres_urls),
        cmocka_unit_test(print_has_one_line_per_variable),
        cmocka_unit_test(mask_secret_shows_only_the_length),
        cmocka_unit_test(mask_url_keeps_urls_without_a_password),
        cmocka_unit_test(mask_url_hides_an_at_sign_inside_the_password),
        cmocka_unit_test(mask_url_hides_password_parameters),
        cmocka_unit_test(config_load_without_a_file_uses_the_environment),
        cmocka_unit_test(config_load_reads_the_file_under_the_environment),
        cmocka_unit_test(config_load_accepts_a_file_of_exactly_the_limit),
        cmocka_unit_test(config_load_refuses_a_file_over_the_limit),
        cmocka_unit_test(config_load_reports_an_unreadable_file),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
