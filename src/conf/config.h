/*
 * conf/config.h - the configuration: one table row per variable
 * (STYLE.md K1), loaded from defaults, then an optional .env file, then the
 * environment (each later source wins). Every bad value is reported with
 * its variable's name and accepted range before anything is opened.
 *
 * After loading, the configuration is a `const struct config *` passed down
 * (K2); getenv() is called nowhere else. Not thread-safe while loading;
 * read-only afterwards, so any thread may read it.
 */
#ifndef CONF_CONFIG_H
#define CONF_CONFIG_H

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"

enum config_env {
    CONFIG_ENV_DEVELOPMENT,
    CONFIG_ENV_TEST,
    CONFIG_ENV_PRODUCTION,
};

enum config_source {
    CONFIG_SOURCE_DEFAULT,
    CONFIG_SOURCE_DOTENV,
    CONFIG_SOURCE_ENV,
    CONFIG_SOURCE_DERIVED, /* computed from other values (e.g. HTTP_THREADS=0) */
};

#define CONFIG_MAX_VARS 64

struct config {
    int env; /* enum config_env */
    int64_t port;
    char *bind_address;
    char *database_url; /* resolved: POSTGRES_URL when only that one is set */
    char *postgres_url;
    char *jwt_secret;          /* generated per process outside production when unset */
    bool jwt_secret_generated; /* true when the line above was generated */
    int64_t jwt_ttl_s;
    int log_level; /* enum log_level */
    char *log_dir; /* "" for none */
    int64_t log_max_bytes;
    int64_t log_max_files;
    int64_t http_threads; /* resolved: never 0 after loading */
    int64_t http_max_body_bytes;
    int64_t http_idle_timeout_s;
    int64_t http_max_connections;
    int64_t http_conn_memory_bytes;
    int64_t http_max_conn_per_ip;
    int64_t http_shutdown_grace_s;
    int64_t sse_heartbeat_s;
    int64_t sse_max_streams;
    int64_t sse_queue_bytes;
    char *cors_origins;    /* comma-separated origins, "" for CORS off */
    char *trusted_proxies; /* comma-separated addresses (http/forwarded.h), "" for none */
    char *web_dir;
    int64_t worker_threads;
    int64_t model_worker_threads;
    int64_t run_workers;
    int worker_http; /* 0 off, 1 on: crowdelic worker's health and metrics on PORT */
    int64_t run_lease_ms;
    int64_t run_step_units;
    int64_t worker_queue;
    int64_t db_pool_size; /* resolved: never 0 after loading */
    int64_t db_busy_timeout_ms;
    int64_t db_acquire_timeout_ms;
    int64_t db_statement_timeout_ms;
    char *openai_api_key;      /* OPENAI_API_KEY */
    char *llm_base_url;        /* CROWDELIC_LLM_BASE_URL; "" : OpenAI's when a key is set */
    char *llm_model;           /* CROWDELIC_LLM_MODEL */
    char *llm_embedding_model; /* CROWDELIC_LLM_EMBEDDING_MODEL */
    char *azure_endpoint;      /* AZURE_OPENAI_ENDPOINT */
    char *azure_api_key;       /* AZURE_OPENAI_API_KEY */
    char *azure_deployment;    /* AZURE_OPENAI_DEPLOYMENT */
    char *azure_api_version;   /* AZURE_OPENAI_API_VERSION */
    int64_t llm_concurrency;
    int64_t llm_timeout_ms;
    int64_t llm_max_attempts;
    int64_t llm_backoff_base_ms;
    int64_t llm_backoff_max_ms;
    int64_t llm_rpm;
    int64_t llm_tpm;
    int64_t llm_max_reasks;
    char *llm_prices; /* LLM_PRICES, checked by llm/price.c at start-up */
    int llm_cache;    /* 0 off, 1 on */
    char *redis_url;  /* REDIS_URL: "" for no Redis (one node) */
    int64_t redis_cache_ttl_s;
    char *data_dir; /* DATA_DIR: "" for the tables built into the binary */
    int64_t webhook_workers;
    int64_t webhook_timeout_ms;
    int64_t webhook_backoff_ms;     /* the first retry's delay; doubles */
    int64_t webhook_backoff_max_ms; /* the longest delay */
    int64_t webhook_max_attempts;
    int64_t webhook_retention_days;
    int webhook_allow_private; /* 0 off, 1 on: deliver to loopback and private addresses */

    unsigned char source[CONFIG_MAX_VARS]; /* enum config_source, by table row */
    char *dotenv_path;                     /* the .env file that was read, or NULL */
};

/*
 * Loads defaults, then dotenv_text (may be NULL; dotenv_name names it in
 * messages), then envp (a NULL-terminated "NAME=value" array; may be NULL),
 * then resolves derived values and checks the rules that span variables
 * (JWT_SECRET in production). Every problem is appended to problems as one
 * line "NAME: 'value' is ... (expected ...)"; returns ERR_INVALID when there
 * was any. On failure c still holds allocated strings: config_release it.
 */
enum err_code config_load_from(struct config *c, const char *dotenv_text, size_t dotenv_len,
                               const char *dotenv_name, const char *const *envp,
                               struct buf *problems);

/*
 * config_load_from with the file dotenv_path (".env" when NULL; a missing
 * file is not an error) and the process environment.
 */
enum err_code config_load(struct config *c, const char *dotenv_path, struct buf *problems);

/* Where the value of the variable name came from (a name not in the table is a bug). */
enum config_source config_source_of(const struct config *c, const char *name);

/* Frees the strings; c may then be loaded again. */
void config_release(struct config *c);

/*
 * Appends "NAME=value  # source" for every variable, secrets masked
 * (STYLE.md K3), one per line.
 */
void config_print(const struct config *c, struct buf *out);

const char *config_env_name(int env);

/* Masks a secret for display: "" stays "", anything else shows its length only. */
void config_mask_secret(const char *value, char *out, size_t out_size);

/* Masks the password of a URL ("postgres://u:****@h/db"); other text is kept. */
void config_mask_url(const char *url, char *out, size_t out_size);

#endif
