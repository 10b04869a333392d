/*
 * llm/openai.h - the provider for every OpenAI-compatible chat-completions
 * endpoint: OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's server, LM
 * Studio, and crowdelic llm-serve.
 *
 * One thread drives libcurl's multi interface: many calls in flight at
 * once (at most `concurrency`), connections kept and reused (HTTP/2
 * multiplexing where the server offers it). This provider alone retries
 * transport failures - HTTP 429, 5xx, timeouts, connection errors, a
 * malformed or cut response - with exponential backoff and full jitter,
 * or after exactly the server's Retry-After; it gives up after
 * max_attempts with an error naming the last failure. Other HTTP errors
 * (400, 401, 404, ...) end the call at once.
 *
 * Embeddings (the provider's embed) go to {base_url}/embeddings, or on
 * Azure to /openai/deployments/{model}/embeddings?api-version=V, in batches
 * of at most 2048 texts, with the same concurrency and retries as chat.
 *
 * Threading: submit from any thread; callbacks run on the provider's
 * thread. embed blocks its caller, from any thread but the provider's.
 * openai_global_init() once in main before any thread starts.
 */
#ifndef LLM_OPENAI_H
#define LLM_OPENAI_H

#include "core/compat.h"
#include "core/err.h"
#include "llm/llm.h"

struct openai_options {
    const char *base_url; /* e.g. https://api.openai.com/v1 (".../chat/completions" is added) */
    const char *api_key;  /* "" or NULL: no Authorization header (local servers) */
    const char *model;    /* the default model */
    /* the default embeddings model (on Azure: the embeddings deployment); NULL or "":
     * text-embedding-3-small */
    const char *embedding_model;
    /* Azure OpenAI: used when azure_endpoint is set */
    const char *azure_endpoint; /* https://NAME.openai.azure.com */
    const char *azure_deployment;
    const char *azure_api_version;
    int concurrency;  /* calls in flight at most */
    int timeout_ms;   /* per attempt, unless the request sets its own */
    int max_attempts; /* attempts per call, retries included (>= 1) */
    int64_t backoff_base_ms, backoff_max_ms;
    bool backoff_jitter; /* false only in tests: the delays are then exactly the caps */
    uint64_t seed;       /* of the jitter */
    const char *const *extra_headers; /* "Name: value" lines added to every call; borrowed */
    size_t n_extra_headers;
};

/* Calls curl_global_init; once, in main, before any thread starts. */
void openai_global_init(void);
void openai_global_cleanup(void);

/*
 * Starts the provider (its thread). ERR_INVALID for unusable options (no
 * URL, a bad URL scheme, concurrency or attempts out of range).
 */
enum err_code openai_new(const struct openai_options *opts, struct llm_provider **out,
                         struct err *err);

#endif
