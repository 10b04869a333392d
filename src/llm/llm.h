/*
 * llm/llm.h - what the program asks of a language model, and the provider
 * interface every model backend implements (ARCHITECTURE.md "The model
 * gateway"). Nothing above llm/ knows which provider answered.
 *
 * A struct llm_request describes one task call: messages, parameters, the
 * answer's format and schema, the task's own validator and opaque
 * accounting tags. The gateway (llm/gateway.h) takes it, and the caller's
 * callback later receives one struct llm_response.
 *
 * A provider (struct llm_provider, a table of function pointers filled by
 * one file: llm/openai.c, engine/offline/) performs a single chat call and
 * reports the raw answer; it alone retries transport failures. Its done
 * callback runs exactly once per successful submit (STYLE.md E8), on any
 * thread. A provider may also embed texts (the optional, synchronous
 * embed; llm_embed in llm/gateway.h is the way callers reach it).
 */
#ifndef LLM_LLM_H
#define LLM_LLM_H

#include "core/compat.h"
#include "core/err.h"

#include <jansson.h>

/* ---- requests ---------------------------------------------------------------- */

enum llm_role {
    LLM_ROLE_SYSTEM,
    LLM_ROLE_USER,
    LLM_ROLE_ASSISTANT,
};

struct llm_message {
    enum llm_role role;
    char *content; /* owned */
};

enum llm_format {
    LLM_FORMAT_TEXT,        /* free text */
    LLM_FORMAT_JSON_OBJECT, /* any JSON object */
    LLM_FORMAT_JSON_SCHEMA, /* a JSON value that satisfies schema */
};

/*
 * A task's own check of an answer that already satisfies the schema (known
 * action types, answers within each question's domain, ...). Borrows
 * answer; returns ERR_INVALID with a message the model can act on.
 */
typedef enum err_code llm_validate_fn(const json_t *answer, void *ctx, struct err *err);

/* Opaque accounting tags: whose call this is. Empty strings when unknown. */
struct llm_tags {
    char workspace[48];
    char run[48];
    char persona[48];
};

struct llm_request {
    char *task;                   /* the task's name ("act", "extract", ...); owned */
    char *model;                  /* NULL: the provider's default model; owned */
    struct llm_message *messages; /* owned, with their contents */
    size_t n_messages, alloc_messages;
    double temperature; /* < 0: the provider's default */
    int max_tokens;     /* 0: the provider's default */
    bool has_seed;
    int64_t seed;
    enum llm_format format;
    json_t *schema;            /* LLM_FORMAT_JSON_SCHEMA: owned reference */
    llm_validate_fn *validate; /* may be NULL */
    void *validate_ctx;        /* borrowed; must live until the callback */
    struct llm_tags tags;
    bool no_cache;  /* the run opted out of the cache */
    int timeout_ms; /* 0: the provider's default */
    /*
     * The caller's typed form of the task, for an in-process provider that
     * answers it without parsing the messages (engine/offline). Borrowed:
     * it must outlive the call. Remote providers ignore it; the messages
     * always say the same thing.
     */
    const void *native;
};

/* A request with no messages, format text, default parameters; task copied. */
struct llm_request *llm_request_new(const char *task);
/* Frees everything the request owns; accepts NULL. */
void llm_request_free(struct llm_request *req);
/* Appends a message (content copied). */
void llm_request_add(struct llm_request *req, enum llm_role role, const char *content);
/* Sets the format to JSON schema with schema (a new reference is taken). */
void llm_request_set_schema(struct llm_request *req, json_t *schema);
/* Sets the model name (copied); NULL restores the provider's default. */
void llm_request_set_model(struct llm_request *req, const char *model);
/* A deep copy (the validator context stays borrowed). */
struct llm_request *llm_request_dup(const struct llm_request *req);

const char *llm_role_name(enum llm_role role);

/* ---- responses ----------------------------------------------------------------- */

struct llm_response {
    enum err_code code; /* ERR_OK, or why the call failed for good */
    struct err err;     /* the reason when code != ERR_OK */
    char *text;         /* the answer as the model wrote it (after repair for JSON); owned */
    json_t *json;       /* the parsed answer for JSON formats; owned reference */
    char *model;        /* the model that answered; owned */
    int64_t tokens_in, tokens_out;
    int64_t cost_micros; /* cost in micro-dollars */
    int64_t latency_ms;  /* from submit to answer, re-asks included */
    bool from_cache;
    int attempts; /* transport attempts, retries included (0 for a cache hit) */
    int reasks;   /* times the model was asked again after an invalid answer */
};

void llm_response_free(struct llm_response *resp);

/*
 * The caller's callback: runs exactly once for every accepted request, on
 * the gateway's thread; it takes ownership of resp (llm_response_free).
 * It must not block: hand the answer to your own queue.
 */
typedef void llm_done_fn(void *ctx, struct llm_response *resp);

/* ---- providers ------------------------------------------------------------------- */

/* What a provider reports for one chat call (after its own retries). */
struct llm_raw {
    enum err_code code; /* ERR_OK, ERR_UPSTREAM, ERR_TIMEOUT, ERR_UNAVAILABLE, ... */
    struct err err;
    char *content;                 /* the assistant message; owned */
    char *model;                   /* as the provider named it; owned, may be NULL */
    int64_t tokens_in, tokens_out; /* from usage; -1 when the provider gave none */
    int attempts;
    int http_status; /* of the last attempt, 0 when none */
};

void llm_raw_release(struct llm_raw *raw);

typedef void llm_raw_fn(void *ctx, struct llm_raw *raw);

/*
 * What a provider reports for one embeddings call (all its batches, after
 * their retries): one vector of dim floats per input text, in the order of
 * the texts.
 */
struct llm_raw_embeddings {
    float *vectors; /* n * dim floats, row i for texts[i]; malloc'd, the caller frees */
    size_t dim;
    char *model;    /* as the provider named it; malloc'd, may be NULL */
    int64_t tokens; /* input tokens from usage, summed over batches; -1 when none was given */
    int attempts;   /* HTTP attempts over all batches, retries included */
};

struct llm_provider {
    const char *name;          /* "openai", "azure", "offline" */
    const char *default_model; /* the model a request without one gets */
    /*
     * Starts one chat call for req (borrowed for the duration of the call:
     * the provider copies what it keeps). done(ctx, raw) runs exactly once
     * if this returns ERR_OK, and never otherwise; it may run before
     * submit returns, on any thread. raw is valid only during done.
     */
    enum err_code (*submit)(struct llm_provider *p, const struct llm_request *req, llm_raw_fn *done,
                            void *ctx, struct err *err);
    /* Checks that the model answers at all (a cheap call); ERR_OK when it does. */
    enum err_code (*ping)(struct llm_provider *p, struct err *err);
    /* Stops, failing every call in flight through its done callback, and frees. */
    void (*destroy)(struct llm_provider *p);
    bool cacheable; /* false for answers cheaper to compute than to look up */
    /*
     * Optional: NULL when the provider has no embeddings endpoint (the
     * offline model). Embeds texts[0..n) (n >= 1; borrowed) with model
     * (NULL: the provider's embedding default) in dimensions (0: the
     * model's own) and fills *out (zeroed first; on failure it holds
     * nothing). Synchronous: it blocks until every batch has its answer,
     * retrying transport failures like submit. Callable from any thread
     * but the provider's own (never from a done callback). Errors as for
     * a chat call: ERR_UPSTREAM, ERR_RATE_LIMITED, ERR_TIMEOUT,
     * ERR_UNAVAILABLE (stopped), ERR_INVALID (n == 0).
     */
    enum err_code (*embed)(struct llm_provider *p, const char *model, int dimensions,
                           const char *const *texts, size_t n, struct llm_raw_embeddings *out,
                           struct err *err);
    const char *embedding_model; /* what embed uses when given no model; NULL without embed */
};

#endif
