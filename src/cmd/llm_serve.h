/*
 * cmd/llm_serve.h - the parts of "crowdelic llm-serve" shared by its files:
 *   llm_serve.c          the command: routes, handlers, answering, start/stop
 *   llm_serve_options.c  the flags
 *   llm_serve_stats.c    the /stats counters
 *   llm_serve_timer.c    the timer thread that answers delayed requests when due
 *   llm_serve_faults.c   fault kinds, the seeded random source, per-body counts
 *   llm_serve_respond.c  what is answered: request checks, echo and script
 *                        content, completion bodies, stream chunks, embeddings
 * Nothing outside these files includes this header. docs/llm-serve.md is the
 * user's reference.
 */
#ifndef CMD_LLM_SERVE_H
#define CMD_LLM_SERVE_H

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"
#include "core/pool.h"
#include "llm/llm.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>

/* ---- the timer (llm_serve_timer.c) --------------------------------------------------
 *
 * A min-heap of (due time, callback) served by one thread, so that any number
 * of delayed answers costs no thread each: the thread sleeps until the
 * earliest due time, pops what is due and runs the callbacks (which write a
 * response and call req_complete, or feed an event stream). Thread-safe.
 */

/* early: run before its time because of ls_timer_expedite() or ls_timer_close(). */
typedef void ls_timer_fn(void *arg, bool early);

struct ls_timer;

/* Starts the thread. NULL (after logging) when it cannot be started. */
struct ls_timer *ls_timer_new(void);

/*
 * Runs fn(arg, false) on the timer thread at due_ns (clock_mono_ns time).
 * tag is a caller's bit mask used by ls_timer_expedite(). Returns false, and
 * does not keep fn, when the timer is closed or the tag was expedited: the
 * caller then runs fn(arg, true) itself.
 */
bool ls_timer_add(struct ls_timer *t, int64_t due_ns, unsigned tag, ls_timer_fn *fn, void *arg);

/*
 * Runs every entry whose tag intersects tags now, on the calling thread
 * (with early = true), and refuses such entries from now on.
 */
void ls_timer_expedite(struct ls_timer *t, unsigned tags);

/* Entries waiting now. */
size_t ls_timer_pending(struct ls_timer *t);

/*
 * Stops the thread and runs every remaining entry now, in due order, on the
 * calling thread (early = true). Later adds are refused. Idempotent.
 */
void ls_timer_close(struct ls_timer *t);

/* Closes (if needed) and frees; accepts NULL. */
void ls_timer_free(struct ls_timer *t);

/* ---- faults and randomness (llm_serve_faults.c) ------------------------------------- */

enum ls_fault {
    LS_FAULT_NONE,
    LS_FAULT_429,
    LS_FAULT_500,
    LS_FAULT_503,
    LS_FAULT_TIMEOUT,
    LS_FAULT_MALFORMED,
    LS_FAULT_TRUNCATED,
    LS_FAULT_SCHEMA,
    LS_FAULT_PROSE,
    LS_FAULT_COUNT_
};

/* "429", "timeout", ...; "none" for LS_FAULT_NONE. */
const char *ls_fault_name(enum ls_fault f);
/* Parses one kind name (s[0..n)); "none" gives LS_FAULT_NONE. */
bool ls_fault_parse(const char *s, size_t n, enum ls_fault *out);

/*
 * A seeded generator (splitmix64 over an atomic counter): thread-safe and
 * lock-free; the sequence of draws is fixed by the seed, which thread gets
 * which draw depends on timing.
 */
struct ls_rng {
    atomic_uint_least64_t state;
};

void ls_rng_init(struct ls_rng *r, uint64_t seed);
uint64_t ls_rng_next(struct ls_rng *r);
/* Uniform in [0, 1). */
double ls_rng_unit(struct ls_rng *r);
/* Uniform in [0, n]; 0 when n is 0. */
uint64_t ls_rng_upto(struct ls_rng *r, uint64_t n);

/* The fault flags: --fault KINDS --fault-rate R. */
struct ls_fault_plan {
    enum ls_fault kinds[LS_FAULT_COUNT_];
    size_t n_kinds;
    double rate; /* 0..1 */
};

/*
 * Parses "429,timeout,..." into plan->kinds. ERR_INVALID naming the bad or
 * repeated kind ("none" is not a kind here).
 */
enum err_code ls_fault_plan_parse(struct ls_fault_plan *plan, const char *list, struct err *err);

/*
 * Counts of requests per body (SHA-256), for X-Fault-Times: "only the first
 * N requests with this exact body get the fault". Thread-safe.
 */
struct ls_body_counts;

struct ls_body_counts *ls_body_counts_new(void);
void ls_body_counts_free(struct ls_body_counts *c);
/* Forgets every body (POST /stats/reset). */
void ls_body_counts_reset(struct ls_body_counts *c);
/* Counts one more request with body p[0..n); returns how many came before it. */
uint64_t ls_body_counts_bump(struct ls_body_counts *c, const void *p, size_t n);

/*
 * Which fault a request gets. With an X-Fault header (x_fault not NULL) the
 * header decides: its kind ("none" for none), limited by X-Fault-Times
 * (x_times, counted per body in counts); otherwise, when use_plan, the plan
 * draws one with probability plan->rate. ERR_INVALID naming the header when
 * a header is malformed.
 */
enum err_code ls_fault_decide(const struct ls_fault_plan *plan, bool use_plan, struct ls_rng *rng,
                              struct ls_body_counts *counts, const char *x_fault,
                              const char *x_times, const void *body, size_t body_len,
                              enum ls_fault *out, struct err *err);

/* ---- options (llm_serve_options.c) --------------------------------------------------- */

#define LS_DEFAULT_PORT      8090
#define LS_DEFAULT_MODEL     "crowdelic-echo"
#define LS_DEFAULT_HANG_MS   120000
#define LS_DEFAULT_DIM       256
#define LS_MAX_DIM           4096
#define LS_MAX_DELAY_MS      600000   /* --latency-ms, --latency-jitter-ms, X-Latency-Ms */
#define LS_MAX_HANG_MS       86400000 /* a day */
#define LS_MAX_RETRY_AFTER_S 86400

struct ls_options {
    int64_t port;
    const char *api_key;   /* borrowed from argv; NULL: no authentication */
    const char *model;     /* borrowed from argv, or LS_DEFAULT_MODEL */
    const char *responder; /* "offline" (default), "echo" or "script" */
    const char *script_path;
    bool script_loop;
    int64_t latency_ms, jitter_ms;
    const char *faults; /* the --fault list as given */
    double fault_rate;
    bool has_rate;
    int64_t retry_after_s; /* -1: none */
    int64_t hang_ms;
    int64_t embedding_dim;
    uint64_t seed;
};

/*
 * Parses argv (borrowed: o keeps pointers into it) into o, and --fault and
 * --fault-rate into plan; checks the rules between flags. Returns 0, or 2
 * after one line on stderr naming the flag.
 */
int ls_options_parse(int argc, char **argv, struct ls_options *o, struct ls_fault_plan *plan);

/* ---- /stats (llm_serve_stats.c) --------------------------------------------------------- */

/* The routes counted, by their /stats name. */
enum ls_route {
    LS_ROUTE_CHAT,             /* "chat": POST /v1/chat/completions, not streamed */
    LS_ROUTE_CHAT_STREAM,      /* "chat_stream": any chat request with stream: true */
    LS_ROUTE_EMBEDDINGS,       /* "embeddings" */
    LS_ROUTE_MODELS,           /* "models": GET /v1/models and /v1/models/:model */
    LS_ROUTE_AZURE_CHAT,       /* "azure_chat": not streamed */
    LS_ROUTE_AZURE_EMBEDDINGS, /* "azure_embeddings" */
    LS_ROUTE_COUNT_
};

#define LS_STATUS_MAX 600

struct ls_stats {
    pthread_mutex_t lock;
    uint64_t gen; /* bumped by a reset */
    int64_t requests, answered, in_flight, max_in_flight;
    int64_t by_route[LS_ROUTE_COUNT_];
    int64_t by_status[LS_STATUS_MAX];
    int64_t faults[LS_FAULT_COUNT_];
};

void ls_stats_init(struct ls_stats *s);
void ls_stats_release(struct ls_stats *s);
/* Counts a request as received; returns its generation for the calls below. */
uint64_t ls_stats_begin(struct ls_stats *s, enum ls_route r);
/* Counts a fault injected into a request of generation gen. */
void ls_stats_fault(struct ls_stats *s, uint64_t gen, enum ls_fault f);
/* Counts a request as answered with status. */
void ls_stats_end(struct ls_stats *s, uint64_t gen, int status);
/* The GET /stats body (a new reference). */
json_t *ls_stats_json(struct ls_stats *s);
/* Zeroes the counters but in_flight (POST /stats/reset). */
void ls_stats_reset(struct ls_stats *s);

/* ---- answers (llm_serve_respond.c) ----------------------------------------------------- */

enum ls_format {
    LS_FORMAT_TEXT,
    LS_FORMAT_JSON_OBJECT,
    LS_FORMAT_JSON_SCHEMA,
};

/* A chat completion request, checked. Pointers borrow from the body or the pool. */
struct ls_chat {
    const char *model;     /* NULL when not given */
    const char *last_user; /* the last user message's text, "" when none */
    size_t prompt_chars;   /* characters of every message's content */
    enum ls_format format;
    const json_t *schema; /* LS_FORMAT_JSON_SCHEMA: borrowed from the body */
    int64_t max_tokens;   /* 0: no limit */
    bool stream;
    bool include_usage; /* stream_options.include_usage */
};

/*
 * Checks a chat body (borrowed) and fills *out; text goes to pool.
 * need_model: the model field is required (OpenAI paths; Azure names the
 * deployment in the path). ERR_INVALID with err->field naming the parameter.
 */
enum err_code ls_chat_parse(const json_t *body, bool need_model, struct pool *pool,
                            struct ls_chat *out, struct err *err);

#define LS_MAX_INPUTS       2048    /* embeddings inputs per request, as OpenAI */
#define LS_MAX_EMBED_VALUES 1048576 /* inputs x dimensions per request */

/* An embeddings request, checked. Pointers borrow from the body or the pool. */
struct ls_embeddings_req {
    const char *model; /* NULL when not given */
    const char **inputs;
    size_t *lens;
    size_t n;
    size_t dim; /* dimensions, or the default */
};

/*
 * Checks an embeddings body (borrowed): model (required when need_model),
 * input (a string or 1..LS_MAX_INPUTS strings), encoding_format (float),
 * dimensions (1..LS_MAX_DIM, else default_dim). ERR_INVALID naming the
 * parameter.
 */
enum err_code ls_embeddings_parse(const json_t *body, bool need_model, size_t default_dim,
                                  struct pool *pool, struct ls_embeddings_req *out,
                                  struct err *err);

/*
 * The echo responder's content: the last user message (text), {"echo": it}
 * (json_object), or schema_example() of the schema (json_schema), compact.
 * malloc'd; NULL with ERR_INVALID when the schema has no example.
 */
char *ls_echo_content(const struct ls_chat *chat, struct err *err);

/*
 * The offline responder's content: the body's messages (roles and text) and
 * seed as a model request, answered by the offline model (engine/offline):
 * a task rebuilt from the wire, or a plain chat. malloc'd; NULL with
 * ERR_INVALID when the messages hold a task that does not parse.
 */
char *ls_offline_content(struct llm_provider *offline, const json_t *body, struct err *err);

/* Content that breaks the requested format (the "schema" fault); malloc'd. */
char *ls_schema_violation(const struct ls_chat *chat);

/* content wrapped in chatty prose and a ```json fence (the "prose" fault); malloc'd. */
char *ls_prose_wrap(const char *content);

/* Longest text built from a request (bodies are capped far below this). */
#define LS_TEXT_MAX ((size_t)256 * 1024 * 1024)

/* Script mode: a JSON Lines file of answers served in order. */
struct ls_script {
    char **answers; /* owned */
    size_t n;
    bool loop;
    atomic_size_t next; /* the index of the next answer to serve */
};

/*
 * Reads path: one JSON value a line (a string is the content as is, another
 * value its compact serialisation), blank lines skipped. ERR_INVALID with
 * "PATH:LINE: reason" for the first bad line or an empty script.
 */
enum err_code ls_script_load(struct ls_script *s, const char *path, struct err *err);
void ls_script_release(struct ls_script *s);
/*
 * The next answer (borrowed: lives as long as s), consuming it when take;
 * NULL once exhausted without loop (a peek then also gives NULL).
 */
const char *ls_script_next(struct ls_script *s, bool take);
/* Answers served so far, for the exhaustion message. */
size_t ls_script_size(const struct ls_script *s);

/* What a completion is made of. */
struct ls_completion {
    const char *id;    /* "chatcmpl-..." */
    const char *model; /* echoed */
    int64_t created;   /* seconds since the epoch */
    const char *content;
    size_t content_len;
    const char *finish_reason; /* "stop" or "length" */
    int64_t prompt_tokens, completion_tokens;
};

/* ceil(characters / 4), the token estimate of every count here. */
int64_t ls_tokens(size_t chars);

/*
 * Applies max_tokens: when the content is longer than max_tokens x 4
 * characters, returns the byte length of that prefix (on a character
 * boundary) and sets *cut; otherwise the whole length.
 */
size_t ls_limit_content(const char *content, size_t len, int64_t max_tokens, bool *cut);

/* The chat.completion body, compact JSON, malloc'd (*len set). */
char *ls_completion_body(const struct ls_completion *c, size_t *len);

/*
 * The data: payloads of a streamed completion, in order: the role delta,
 * the content in pieces of LS_STREAM_PIECE characters, the finish_reason
 * chunk, the usage chunk when include_usage. Does not include "[DONE]".
 * Each is malloc'd; free with ls_events_free.
 */
#define LS_STREAM_PIECE 16
struct ls_event {
    char *data; /* owned */
    size_t len;
};
struct ls_events {
    struct ls_event *items;
    size_t n, alloc;
};
void ls_stream_events(const struct ls_completion *c, bool include_usage, struct ls_events *out);
void ls_events_add(struct ls_events *ev, char *data, size_t len);
void ls_events_free(struct ls_events *ev);

/* {"error":{"message","type","param","code"}}; param and code may be NULL. New reference. */
json_t *ls_error_json(const char *message, const char *type, const char *param, const char *code);

/*
 * The embedding of text[0..n): hashed bag of words into out[0..dim), L2
 * normalised (all zeros for text without words). Deterministic.
 */
void ls_embed(const char *text, size_t n, size_t dim, double *out);

/*
 * The embeddings body for inputs[0..n_inputs) (each with its length):
 * {"object":"list","data":[...],"model","usage"}, compact, malloc'd.
 */
char *ls_embeddings_body(const char *const *inputs, const size_t *lens, size_t n_inputs, size_t dim,
                         const char *model, size_t *len);

#endif
