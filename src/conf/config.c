/*
 * conf/config.c - the configuration table and its loader.
 *
 * Each row names a variable, its type, its default (as text, parsed by the
 * same code as user input), its bounds and where it lands in struct config.
 * The loader applies all defaults, then every .env assignment, then every
 * environment variable, collecting problems instead of stopping at the
 * first, then resolves derived values.
 */
#include "core/compat.h"

#include "conf/config.h"
#include "conf/dotenv.h"
#include "conf/limits.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/span.h"
#include "core/xalloc.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>

extern char **environ;

enum var_type {
    VAR_STR,
    VAR_INT,   /* int64 in [min, max] */
    VAR_BYTES, /* int64 in [min, max], with an optional K, M or G suffix (powers of 1024) */
    VAR_ENUM,  /* one of names[], stored as its index in an int */
};

#define VAR_SECRET (1u << 0) /* masked when printed */
#define VAR_URL    (1u << 1) /* the password part is masked when printed */

struct var {
    const char *name;
    enum var_type type;
    const char *def; /* default, as text */
    int64_t min, max;
    size_t offset; /* into struct config */
    unsigned flags;
    const char *const *names; /* VAR_ENUM */
    const char *help;
};

static const char *const env_names[] = { "development", "test", "production", NULL };
static const char *const level_names[] = { "debug", "info", "warn", "error", NULL };
static const char *const off_on[] = { "off", "on", NULL };

#define STR(s)  #s
#define XSTR(s) STR(s)
#define OFF(f)  offsetof(struct config, f)

static const struct var vars[] = {
    { "CROWDELIC_ENV", VAR_ENUM, "development", 0, 0, OFF(env), 0, env_names,
      "development, test (cheapest password hashing, test-only routes) or production" },
    { "PORT", VAR_INT, "8080", 0, 65535, OFF(port), 0, NULL,
      "TCP port to listen on; 0 picks a free port and logs it" },
    { "BIND_ADDRESS", VAR_STR, "0.0.0.0", 0, 0, OFF(bind_address), 0, NULL,
      "IPv4 address to listen on" },
    { "DATABASE_URL", VAR_STR, "./var/crowdelic.db", 0, 0, OFF(database_url), VAR_URL, NULL,
      "SQLite file path, or postgres://... for PostgreSQL" },
    { "POSTGRES_URL", VAR_STR, "", 0, 0, OFF(postgres_url), VAR_URL, NULL,
      "accepted in place of DATABASE_URL" },
    { "JWT_SECRET", VAR_STR, "", 0, 0, OFF(jwt_secret), VAR_SECRET, NULL,
      "HS256 signing key; at least 32 bytes in production; random per process otherwise" },
    { "JWT_TTL", VAR_INT, XSTR(LIMIT_JWT_TTL_S), 60, 30 * 86400, OFF(jwt_ttl_s), 0, NULL,
      "seconds a sign-in token stays valid" },
    { "LOG_LEVEL", VAR_ENUM, "info", 0, 0, OFF(log_level), 0, level_names,
      "debug, info, warn or error" },
    { "LOG_DIR", VAR_STR, "", 0, 0, OFF(log_dir), 0, NULL,
      "also write logs to files here, rotated and gzip-compressed; empty: stdout only" },
    { "LOG_MAX_BYTES", VAR_BYTES, XSTR(LIMIT_LOG_MAX_BYTES), 4096, INT64_C(1) << 40,
      OFF(log_max_bytes), 0, NULL, "rotate a log file past this size" },
    { "LOG_MAX_FILES", VAR_INT, XSTR(LIMIT_LOG_MAX_FILES), 1, 1000, OFF(log_max_files), 0, NULL,
      "compressed rotated files kept per log" },
    { "HTTP_THREADS", VAR_INT, XSTR(LIMIT_HTTP_THREADS_AUTO), 0, 1024, OFF(http_threads), 0, NULL,
      "HTTP thread pool size; 0: 4 x cores, at most 64" },
    { "HTTP_MAX_BODY_BYTES", VAR_BYTES, XSTR(LIMIT_HTTP_MAX_BODY_BYTES), 1024, INT64_C(1) << 30,
      OFF(http_max_body_bytes), 0, NULL, "largest request body; larger gets 413" },
    { "HTTP_IDLE_TIMEOUT", VAR_INT, XSTR(LIMIT_HTTP_IDLE_TIMEOUT_S), 1, 3600,
      OFF(http_idle_timeout_s), 0, NULL, "seconds a connection may stay silent" },
    { "HTTP_MAX_CONNECTIONS", VAR_INT, XSTR(LIMIT_HTTP_MAX_CONNECTIONS), 1, 1000000,
      OFF(http_max_connections), 0, NULL, "open connections; one more is closed at once" },
    { "HTTP_CONN_MEMORY", VAR_BYTES, XSTR(LIMIT_HTTP_CONN_MEMORY_BYTES), 8192, 16 * 1024 * 1024,
      OFF(http_conn_memory_bytes), 0, NULL,
      "memory per connection, which also caps the request headers" },
    { "HTTP_MAX_CONN_PER_IP", VAR_INT, XSTR(LIMIT_HTTP_MAX_CONN_PER_IP), 0, 1000000,
      OFF(http_max_conn_per_ip), 0, NULL, "open connections per client address; 0: no cap" },
    { "HTTP_SHUTDOWN_GRACE", VAR_INT, XSTR(LIMIT_HTTP_SHUTDOWN_GRACE_S), 0, 3600,
      OFF(http_shutdown_grace_s), 0, NULL,
      "seconds in-flight requests get to finish after SIGTERM" },
    { "SSE_HEARTBEAT", VAR_INT, XSTR(LIMIT_SSE_HEARTBEAT_S), 1, 3600, OFF(sse_heartbeat_s), 0, NULL,
      "seconds between keep-alive comments on event streams" },
    { "SSE_MAX_STREAMS", VAR_INT, XSTR(LIMIT_SSE_MAX_STREAMS), 1, 1000000, OFF(sse_max_streams), 0,
      NULL, "open event streams; more get 503" },
    { "SSE_QUEUE_BYTES", VAR_BYTES, XSTR(LIMIT_SSE_QUEUE_BYTES), 4096, INT64_C(1) << 30,
      OFF(sse_queue_bytes), 0, NULL,
      "undelivered event bytes per stream; a client further behind is cut off" },
    { "CORS_ORIGINS", VAR_STR, "", 0, 0, OFF(cors_origins), 0, NULL,
      "comma-separated origins allowed to call the API from a browser; empty: CORS off" },
    { "TRUSTED_PROXIES", VAR_STR, "", 0, 0, OFF(trusted_proxies), 0, NULL,
      "comma-separated addresses of reverse proxies (nginx) whose X-Forwarded-For names the "
      "client; empty: the connection's address is the client's" },
    { "WEB_DIR", VAR_STR, "./web/dist", 0, 0, OFF(web_dir), 0, NULL,
      "the built web UI served at /" },
    { "WORKER_THREADS", VAR_INT, XSTR(LIMIT_WORKER_THREADS), 1, 256, OFF(worker_threads), 0, NULL,
      "threads for slow work (password hashing) off the HTTP threads" },
    { "MODEL_WORKER_THREADS", VAR_INT, XSTR(LIMIT_MODEL_WORKER_THREADS), 1, 256,
      OFF(model_worker_threads), 0, NULL,
      "threads for the model's work a request waits for (generate, validate, interviews)" },
    { "RUN_WORKERS", VAR_INT, XSTR(LIMIT_RUN_WORKERS), 0, 256, OFF(run_workers), 0, NULL,
      "threads in serve that execute test runs (0: leave runs to crowdelic worker)" },
    { "WORKER_HTTP", VAR_ENUM, "off", 0, 0, OFF(worker_http), 0, off_on,
      "crowdelic worker serves /healthz, /readyz and /metrics on PORT" },
    { "RUN_LEASE_MS", VAR_INT, XSTR(LIMIT_RUN_LEASE_MS), 500, 3600000, OFF(run_lease_ms), 0, NULL,
      "milliseconds a worker's claim on a run lasts without a step saved" },
    { "RUN_STEP_UNITS", VAR_INT, XSTR(LIMIT_RUN_STEP_UNITS), 1, 10000, OFF(run_step_units), 0, NULL,
      "persona x scenario units a run saves at a time (its checkpoint)" },
    { "WORKER_QUEUE", VAR_INT, XSTR(LIMIT_WORKER_QUEUE), 1, 1000000, OFF(worker_queue), 0, NULL,
      "slow tasks that may wait; more get 503" },
    { "DB_POOL_SIZE", VAR_INT, XSTR(LIMIT_DB_POOL_SIZE_AUTO), 0, 1024, OFF(db_pool_size), 0, NULL,
      "database connections; 0: HTTP threads + worker threads + model worker threads + 2" },
    { "DB_BUSY_TIMEOUT_MS", VAR_INT, XSTR(LIMIT_DB_BUSY_TIMEOUT_MS), 0, 600000,
      OFF(db_busy_timeout_ms), 0, NULL, "milliseconds a statement waits for a lock" },
    { "DB_ACQUIRE_TIMEOUT_MS", VAR_INT, XSTR(LIMIT_DB_ACQUIRE_TIMEOUT_MS), 1, 600000,
      OFF(db_acquire_timeout_ms), 0, NULL,
      "milliseconds a request waits for a free database connection" },
    { "DB_STATEMENT_TIMEOUT_MS", VAR_INT, XSTR(LIMIT_DB_STATEMENT_TIMEOUT_MS), 0, 3600000,
      OFF(db_statement_timeout_ms), 0, NULL,
      "PostgreSQL: milliseconds a statement may run before it is cancelled (0: no limit)" },
    { "OPENAI_API_KEY", VAR_STR, "", 0, 0, OFF(openai_api_key), VAR_SECRET, NULL,
      "key for an OpenAI-compatible endpoint; with no key and no URL the built-in offline "
      "model answers" },
    { "CROWDELIC_LLM_BASE_URL", VAR_STR, "", 0, 0, OFF(llm_base_url), 0, NULL,
      "OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, LM Studio...); empty: "
      "https://api.openai.com/v1 when OPENAI_API_KEY is set" },
    { "CROWDELIC_LLM_MODEL", VAR_STR, "gpt-4o-mini", 0, 0, OFF(llm_model), 0, NULL,
      "the model asked when a test names none" },
    { "CROWDELIC_LLM_EMBEDDING_MODEL", VAR_STR, "text-embedding-3-small", 0, 0,
      OFF(llm_embedding_model), 0, NULL,
      "the embeddings model (on Azure: the embeddings deployment) for semantic similarity "
      "rating" },
    { "AZURE_OPENAI_ENDPOINT", VAR_STR, "", 0, 0, OFF(azure_endpoint), 0, NULL,
      "Azure OpenAI resource URL (https://NAME.openai.azure.com); selects Azure" },
    { "AZURE_OPENAI_API_KEY", VAR_STR, "", 0, 0, OFF(azure_api_key), VAR_SECRET, NULL,
      "Azure OpenAI key (sent as api-key)" },
    { "AZURE_OPENAI_DEPLOYMENT", VAR_STR, "", 0, 0, OFF(azure_deployment), 0, NULL,
      "Azure OpenAI deployment name" },
    { "AZURE_OPENAI_API_VERSION", VAR_STR, "2024-10-21", 0, 0, OFF(azure_api_version), 0, NULL,
      "Azure OpenAI api-version" },
    { "LLM_CONCURRENCY", VAR_INT, XSTR(LIMIT_LLM_CONCURRENCY), 1, 1024, OFF(llm_concurrency), 0,
      NULL, "model calls in flight at once" },
    { "LLM_TIMEOUT_MS", VAR_INT, XSTR(LIMIT_LLM_TIMEOUT_MS), 100, 3600000, OFF(llm_timeout_ms), 0,
      NULL, "milliseconds one attempt of a model call may take" },
    { "LLM_MAX_ATTEMPTS", VAR_INT, XSTR(LIMIT_LLM_MAX_ATTEMPTS), 1, 20, OFF(llm_max_attempts), 0,
      NULL, "attempts per model call on 429, 5xx, timeouts and connection errors" },
    { "LLM_BACKOFF_BASE_MS", VAR_INT, XSTR(LIMIT_LLM_BACKOFF_BASE_MS), 1, 600000,
      OFF(llm_backoff_base_ms), 0, NULL, "first retry's backoff cap (doubles each retry)" },
    { "LLM_BACKOFF_MAX_MS", VAR_INT, XSTR(LIMIT_LLM_BACKOFF_MAX_MS), 1, 3600000,
      OFF(llm_backoff_max_ms), 0, NULL, "largest backoff between attempts" },
    { "LLM_RPM", VAR_INT, XSTR(LIMIT_LLM_RPM), 0, 10000000, OFF(llm_rpm), 0, NULL,
      "model requests per minute for the whole process; 0: no limit" },
    { "LLM_TPM", VAR_INT, XSTR(LIMIT_LLM_TPM), 0, INT64_C(1000000000), OFF(llm_tpm), 0, NULL,
      "model tokens per minute for the whole process; 0: no limit" },
    { "LLM_MAX_REASKS", VAR_INT, XSTR(LIMIT_LLM_MAX_REASKS), 0, 5, OFF(llm_max_reasks), 0, NULL,
      "times an invalid answer is sent back for correction before the call fails" },
    { "LLM_PRICES", VAR_STR,
      "gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10.00,text-embedding-3-small=0.02/0,"
      "text-embedding-3-large=0.13/0",
      0, 0, OFF(llm_prices), 0, NULL,
      "USD per million input/output tokens by model (longest prefix wins)" },
    { "LLM_CACHE", VAR_ENUM, "on", 0, 0, OFF(llm_cache), 0, off_on,
      "on: identical model calls are answered from the database at no cost" },
    { "REDIS_URL", VAR_STR, "", 0, 0, OFF(redis_url), VAR_URL, NULL,
      "redis://[:password@]host[:port][/db] shared by the nodes (model-call cache, rate limits, "
      "run events); empty: one node, no Redis" },
    { "REDIS_CACHE_TTL", VAR_INT, XSTR(LIMIT_REDIS_CACHE_TTL_S), 1, 365 * 86400,
      OFF(redis_cache_ttl_s), 0, NULL,
      "seconds a model answer stays in Redis's copy of the cache (the table keeps it)" },
    { "DATA_DIR", VAR_STR, "", 0, 0, OFF(data_dir), 0, NULL,
      "a folder with the offline model's tables (offline/, demographics/); empty: the copies "
      "built into the binary" },
    { "WEBHOOK_WORKERS", VAR_INT, XSTR(LIMIT_WEBHOOK_WORKERS), 0, 64, OFF(webhook_workers), 0, NULL,
      "threads in serve that deliver webhooks (0: none)" },
    { "WEBHOOK_TIMEOUT_MS", VAR_INT, XSTR(LIMIT_WEBHOOK_TIMEOUT_MS), 100, 60000,
      OFF(webhook_timeout_ms), 0, NULL, "milliseconds one webhook attempt may take" },
    { "WEBHOOK_BACKOFF_MS", VAR_INT, XSTR(LIMIT_WEBHOOK_BACKOFF_MS), 1, 3600000,
      OFF(webhook_backoff_ms), 0, NULL,
      "milliseconds before a failed webhook's first retry (doubles each retry)" },
    { "WEBHOOK_BACKOFF_MAX_MS", VAR_INT, XSTR(LIMIT_WEBHOOK_BACKOFF_MAX_MS), 1, 86400000,
      OFF(webhook_backoff_max_ms), 0, NULL, "longest wait between webhook attempts" },
    { "WEBHOOK_RETENTION_DAYS", VAR_INT, XSTR(LIMIT_WEBHOOK_RETENTION_DAYS), 1, 3650,
      OFF(webhook_retention_days), 0, NULL,
      "days a delivered or failed webhook delivery is kept before it is pruned" },
    { "WEBHOOK_MAX_ATTEMPTS", VAR_INT, XSTR(LIMIT_WEBHOOK_MAX_ATTEMPTS), 1, 100,
      OFF(webhook_max_attempts), 0, NULL, "attempts before a webhook delivery is failed" },
    { "WEBHOOK_ALLOW_PRIVATE", VAR_ENUM, "off", 0, 0, OFF(webhook_allow_private), 0, off_on,
      "on: webhooks may go to loopback and private addresses (development, tests)" },
};

static_assert(ARRAY_SIZE(vars) <= CONFIG_MAX_VARS, "raise CONFIG_MAX_VARS");

/* ---- parsing one value ---------------------------------------------------- */

static const struct var *var_find(struct span name)
{
    for (size_t i = 0; i < ARRAY_SIZE(vars); i++)
        if (span_eq_cstr(name, vars[i].name))
            return &vars[i];
    return NULL;
}

static void add_problem(struct buf *problems, const char *fmt, ...) ATTR_PRINTF(2, 3);

static void add_problem(struct buf *problems, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(problems, fmt, ap);
    va_end(ap);
    buf_addch(problems, '\n');
}

static bool parse_bytes(struct span s, int64_t *out)
{
    int64_t mult = 1;
    if (s.len) {
        switch (s.ptr[s.len - 1]) {
        case 'K':
        case 'k':
            mult = 1024;
            break;
        case 'M':
        case 'm':
            mult = 1024 * 1024;
            break;
        case 'G':
        case 'g':
            mult = 1024 * 1024 * 1024;
            break;
        default:
            break;
        }
        if (mult > 1)
            s.len--;
    }
    int64_t v;
    if (!span_parse_i64(s, INT64_MIN, INT64_MAX, &v) || __builtin_mul_overflow(v, mult, &v))
        return false;
    *out = v;
    return true;
}

static void describe_names(const char *const *names, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; names[i] && used < n; i++) {
        int w = snprintf(out + used, n - used, "%s%s", i ? ", " : "", names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Parses value into the row's field; false (with a problem line) when bad. */
static bool var_apply(struct config *c, const struct var *v, const char *value,
                      enum config_source src, struct buf *problems)
{
    char *field = (char *)c + v->offset;
    struct span s = span_cstr(value);
    switch (v->type) {
    case VAR_STR:
        free(*(char **)field);
        *(char **)field = xstrdup(value);
        break;
    case VAR_INT:
    case VAR_BYTES: {
        int64_t x;
        bool ok =
            v->type == VAR_INT ? span_parse_i64(s, INT64_MIN, INT64_MAX, &x) : parse_bytes(s, &x);
        if (!ok || x < v->min || x > v->max) {
            add_problem(problems, "%s: '%s' is not %s (expected %" PRId64 "..%" PRId64 "%s)",
                        v->name, value, ok ? "in range" : "a whole number", v->min, v->max,
                        v->type == VAR_BYTES ? " bytes, K/M/G suffixes allowed" : "");
            return false;
        }
        *(int64_t *)field = x;
        break;
    }
    case VAR_ENUM: {
        for (int i = 0; v->names[i]; i++) {
            if (strcmp(v->names[i], value) == 0) {
                *(int *)field = i;
                c->source[v - vars] = (unsigned char)src;
                return true;
            }
        }
        char expected[256];
        describe_names(v->names, expected, sizeof(expected));
        add_problem(problems, "%s: '%s' is not a valid value (expected one of: %s)", v->name, value,
                    expected);
        return false;
    }
    }
    c->source[v - vars] = (unsigned char)src;
    return true;
}

/* ---- sources -------------------------------------------------------------- */

struct dotenv_ctx {
    struct config *c;
    struct buf *problems;
    const char *name;
};

static bool on_dotenv(void *ctx, struct span key, const char *value, size_t value_len, int line)
{
    struct dotenv_ctx *d = ctx;
    (void)value_len;
    const struct var *v = var_find(key);
    if (!v)
        return true; /* a variable for another tool: not ours to judge */
    if (!var_apply(d->c, v, value, CONFIG_SOURCE_DOTENV, d->problems))
        add_problem(d->problems, "  (from %s line %d)", d->name, line);
    return true;
}

static void apply_environment(struct config *c, const char *const *envp, struct buf *problems)
{
    for (size_t i = 0; envp && envp[i]; i++) {
        const char *eq = strchr(envp[i], '=');
        if (!eq)
            continue;
        const struct var *v = var_find(span_make(envp[i], (size_t)(eq - envp[i])));
        if (v)
            var_apply(c, v, eq + 1, CONFIG_SOURCE_ENV, problems);
    }
}

/* ---- cross-variable rules --------------------------------------------------- */

static size_t row_of(const char *name)
{
    const struct var *v = var_find(span_cstr(name));
    if (!v)
        BUG("no config variable %s", name);
    return (size_t)(v - vars);
}

enum config_source config_source_of(const struct config *c, const char *name)
{
    return (enum config_source)c->source[row_of(name)];
}

static bool valid_origin(struct span o)
{
    struct span rest = o;
    if (span_starts_with(rest, "https://"))
        rest = span_make(rest.ptr + 8, rest.len - 8);
    else if (span_starts_with(rest, "http://"))
        rest = span_make(rest.ptr + 7, rest.len - 7);
    else
        return false;
    if (rest.len == 0)
        return false;
    for (size_t i = 0; i < rest.len; i++) {
        char ch = rest.ptr[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']'))
            return false; /* no path, no trailing slash, no spaces */
    }
    return true;
}

static void check_cors(const struct config *c, struct buf *problems)
{
    struct span rest = span_cstr(c->cors_origins);
    while (rest.len) {
        struct span o = span_trim(span_cut(&rest, ','));
        if (!valid_origin(o))
            add_problem(problems,
                        "CORS_ORIGINS: '%.*s' is not an origin (expected scheme://host[:port], "
                        "e.g. https://app.example.com)",
                        SPAN_FMT(o));
    }
}

static void check_trusted_proxies(const struct config *c, struct buf *problems)
{
    struct span rest = span_cstr(c->trusted_proxies);
    while (rest.len) {
        struct span a = span_trim(span_cut(&rest, ','));
        char text[INET6_ADDRSTRLEN];
        unsigned char bytes[16];
        bool ok = a.len && a.len < sizeof(text);
        if (ok) {
            memcpy(text, a.ptr, a.len);
            text[a.len] = '\0';
            ok = inet_pton(AF_INET, text, bytes) == 1 || inet_pton(AF_INET6, text, bytes) == 1;
        }
        if (!ok)
            add_problem(problems,
                        "TRUSTED_PROXIES: '%.*s' is not an IPv4 or IPv6 address (list the "
                        "proxies' addresses, e.g. 127.0.0.1,10.0.0.5)",
                        SPAN_FMT(a));
    }
}

static void resolve(struct config *c, struct buf *problems)
{
    if (c->source[row_of("DATABASE_URL")] == CONFIG_SOURCE_DEFAULT && c->postgres_url[0]) {
        free(c->database_url);
        c->database_url = xstrdup(c->postgres_url);
        c->source[row_of("DATABASE_URL")] = CONFIG_SOURCE_DERIVED;
    }
    if (c->database_url[0] == '\0')
        add_problem(problems, "DATABASE_URL: must not be empty (expected a file path or "
                              "postgres://...)");

    if (c->http_threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        c->http_threads = LIMIT_HTTP_THREADS_PER_CORE * (cores > 0 ? cores : 1);
        if (c->http_threads > LIMIT_HTTP_THREADS_AUTO_MAX)
            c->http_threads = LIMIT_HTTP_THREADS_AUTO_MAX;
        c->source[row_of("HTTP_THREADS")] = CONFIG_SOURCE_DERIVED;
    }
    if (c->http_max_connections < c->http_threads)
        add_problem(problems,
                    "HTTP_MAX_CONNECTIONS: %" PRId64 " is less than HTTP_THREADS (%" PRId64
                    "); each HTTP thread takes an equal share of the connections, so raise it "
                    "or lower HTTP_THREADS",
                    c->http_max_connections, c->http_threads);
    if (c->db_pool_size == 0) {
        c->db_pool_size =
            c->http_threads + c->worker_threads + c->model_worker_threads + c->run_workers + 2;
        c->source[row_of("DB_POOL_SIZE")] = CONFIG_SOURCE_DERIVED;
    }

    size_t secret_len = strlen(c->jwt_secret);
    if (c->env == CONFIG_ENV_PRODUCTION) {
        if (secret_len < LIMIT_JWT_SECRET_MIN)
            add_problem(problems,
                        "JWT_SECRET: %zu bytes is too short for production (expected at least "
                        "%d random bytes, e.g. from 'openssl rand -hex 32')",
                        secret_len, LIMIT_JWT_SECRET_MIN);
    } else if (secret_len == 0) {
        char hex[2 * LIMIT_JWT_SECRET_MIN + 1];
        ids_random_hex(hex, LIMIT_JWT_SECRET_MIN);
        free(c->jwt_secret);
        c->jwt_secret = xstrdup(hex);
        c->jwt_secret_generated = true;
        c->source[row_of("JWT_SECRET")] = CONFIG_SOURCE_DERIVED;
    }
    if (c->llm_backoff_base_ms > c->llm_backoff_max_ms)
        add_problem(problems,
                    "LLM_BACKOFF_BASE_MS: %" PRId64 " is above LLM_BACKOFF_MAX_MS (%" PRId64 ")",
                    c->llm_backoff_base_ms, c->llm_backoff_max_ms);
    if (c->webhook_backoff_ms > c->webhook_backoff_max_ms)
        add_problem(problems,
                    "WEBHOOK_BACKOFF_MS: %" PRId64 " is above WEBHOOK_BACKOFF_MAX_MS (%" PRId64 ")",
                    c->webhook_backoff_ms, c->webhook_backoff_max_ms);
    check_cors(c, problems);
    check_trusted_proxies(c, problems);
}

/* ---- public ---------------------------------------------------------------- */

enum err_code config_load_from(struct config *c, const char *dotenv_text, size_t dotenv_len,
                               const char *dotenv_name, const char *const *envp,
                               struct buf *problems)
{
    memset(c, 0, sizeof(*c));
    size_t before = problems->len;
    for (size_t i = 0; i < ARRAY_SIZE(vars); i++)
        if (!var_apply(c, &vars[i], vars[i].def, CONFIG_SOURCE_DEFAULT, problems))
            BUG("default of %s is invalid", vars[i].name);

    if (dotenv_text) {
        struct dotenv_ctx d = { c, problems, dotenv_name ? dotenv_name : ".env" };
        struct err err = ERR_INIT;
        if (dotenv_parse(dotenv_text, dotenv_len, on_dotenv, &d, &err))
            add_problem(problems, "%s: %s", d.name, err.msg);
    }
    apply_environment(c, envp, problems);
    resolve(c, problems);
    return problems->len > before || problems->failed ? ERR_INVALID : ERR_OK;
}

/* Reads the whole .env file; *text NULL when it does not exist. */
static bool read_dotenv(const char *path, char **text, size_t *len, struct buf *problems)
{
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return true;
        add_problem(problems, "%s: cannot read: %s", path, strerror(errno));
        return false;
    }
    struct buf b;
    buf_init(&b, LIMIT_DOTENV_BYTES);
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            add_problem(problems, "%s: cannot read: %s", path, strerror(errno));
            break;
        }
        if (!buf_add(&b, chunk, (size_t)n)) {
            add_problem(problems, "%s: larger than %d bytes", path, LIMIT_DOTENV_BYTES);
            break;
        }
    }
    close(fd);
    bool ok = n == 0 && !b.failed;
    if (ok)
        *text = buf_detach(&b, len);
    buf_release(&b);
    return ok;
}

enum err_code config_load(struct config *c, const char *dotenv_path, struct buf *problems)
{
    const char *path = dotenv_path ? dotenv_path : ".env";
    char *text;
    size_t len;
    bool read_ok = read_dotenv(path, &text, &len, problems);
    enum err_code rc = config_load_from(c, text, len, path, (const char *const *)environ, problems);
    if (text)
        c->dotenv_path = xstrdup(path);
    free(text);
    return read_ok ? rc : ERR_INVALID;
}

void config_release(struct config *c)
{
    for (size_t i = 0; i < ARRAY_SIZE(vars); i++)
        if (vars[i].type == VAR_STR)
            FREE_AND_NULL(*(char **)((char *)c + vars[i].offset));
    FREE_AND_NULL(c->dotenv_path);
}

const char *config_env_name(int env)
{
    if (env < 0 || env >= (int)ARRAY_SIZE(env_names) - 1)
        return "unknown";
    return env_names[env];
}

void config_mask_secret(const char *value, char *out, size_t out_size)
{
    if (!value || !*value)
        snprintf(out, out_size, "%s", "");
    else
        snprintf(out, out_size, "****** (%zu bytes)", strlen(value));
}

void config_mask_url(const char *url, char *out, size_t out_size)
{
    /*
     * scheme://user:password@host/db?password=x -> both passwords as ****.
     * The authority ends at the first '/', '?' or '#' after "://"; its
     * userinfo ends at the last '@' in it (a raw '@' may sit in a password).
     */
    struct buf b;
    buf_init(&b, out_size ? out_size - 1 : 0);
    const char *p = url;
    const char *scheme_end = strstr(url, "://");
    if (scheme_end) {
        const char *auth = scheme_end + 3;
        size_t auth_len = strcspn(auth, "/?#");
        const char *at = NULL;
        for (const char *q = auth; q < auth + auth_len; q++)
            if (*q == '@')
                at = q;
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            buf_add(&b, url, (size_t)(colon + 1 - url));
            buf_adds(&b, "****");
            p = at;
        }
    }
    /* key=value parameters named password (query strings and libpq keywords) */
    while (*p) {
        const char *hit = strcasestr(p, "password=");
        if (!hit) {
            buf_adds(&b, p);
            break;
        }
        hit += strlen("password=");
        buf_add(&b, p, (size_t)(hit - p));
        buf_adds(&b, "****");
        p = hit + strcspn(hit, "& ");
    }
    snprintf(out, out_size, "%s", b.failed ? "****" : b.data);
    buf_release(&b);
}

void config_print(const struct config *c, struct buf *out)
{
    static const char *const source_names[] = { "default", ".env", "environment", "derived" };
    for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
        const struct var *v = &vars[i];
        const char *field = (const char *)c + v->offset;
        char shown[512];
        switch (v->type) {
        case VAR_STR: {
            const char *s = *(char *const *)field;
            if (v->flags & VAR_SECRET)
                config_mask_secret(s, shown, sizeof(shown));
            else if (v->flags & VAR_URL)
                config_mask_url(s, shown, sizeof(shown));
            else
                snprintf(shown, sizeof(shown), "%s", s);
            break;
        }
        case VAR_INT:
        case VAR_BYTES:
            snprintf(shown, sizeof(shown), "%" PRId64, *(const int64_t *)field);
            break;
        case VAR_ENUM:
            snprintf(shown, sizeof(shown), "%s", v->names[*(const int *)field]);
            break;
        }
        const char *src = source_names[c->source[i]];
        if (i == row_of("JWT_SECRET") && c->jwt_secret_generated)
            src = "generated for this process";
        char assignment[600];
        snprintf(assignment, sizeof(assignment), "%s=%s", v->name, shown);
        buf_addf(out, "%-44s # %s: %s\n", assignment, src, v->help);
    }
}
