/*
 * llm/openai.c - the OpenAI-compatible provider on libcurl's multi
 * interface (see openai.h for the contract).
 *
 * A call (struct call) is submitted into `pending` under the lock; the
 * thread moves it to `waiting`, starts it when a slot is free and its
 * retry time has come, and on completion either finishes it through the
 * done callback or puts it back into `waiting` with a retry time. Easy
 * handles are kept for reuse; connections live in the multi handle's pool.
 *
 * A call is one POST: a chat completion, or one batch of an embeddings
 * request. The two differ only in their URL and in how a 200 answer is
 * read (struct call's `read`), so embeddings get the same concurrency,
 * retries and backoff as chat. openai_embed is synchronous: it queues one
 * call per batch and waits on a condition variable for all of them.
 */
#include "core/compat.h"

#include "llm/openai.h"

#include <curl/curl.h>
#include <pthread.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/jsonio.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "llm/backoff.h"

#define RESPONSE_MAX       (16 * 1024 * 1024) /* a chat answer is far smaller */
#define CONNECT_TIMEOUT_MS 10000
#define RETRY_AFTER_MAX_MS (10 * 60 * 1000) /* a longer Retry-After is capped */
#define PING_TIMEOUT_MS    5000
#define IDLE_POLL_MS       1000

/*
 * Embeddings: OpenAI takes at most 2048 inputs a request, and about 300k
 * tokens; 512 KiB of text (~130k tokens) per batch also keeps the body
 * under common servers' 1 MiB limit. The answer is capped per batch at
 * the longest a vector of EMBED_MAX_DIM floats can be written (24
 * characters a number), and vectors longer than that are refused.
 */
#define EMBED_BATCH_MAX      2048
#define EMBED_BATCH_CHARS    (512 * 1024)
#define EMBED_MAX_DIM        16384
#define EMBED_NUMBER_CHARS   24
#define EMBED_RESPONSE_EXTRA (64 * 1024)
#define EMBED_DEFAULT_MODEL  "text-embedding-3-small"

struct call;

/*
 * Reads a 200 answer of a call. ERR_OK fills raw (and whatever ctx is);
 * ERR_BAD_JSON means the body is not what was asked for (worth another
 * attempt); any other code ends the call.
 */
typedef enum err_code call_read_fn(const struct buf *body, void *ctx, struct llm_raw *raw,
                                   struct err *err);

struct call {
    struct call *next;
    struct openai *oa;
    const char *url;    /* borrowed: oa's chat URL, or the embed call's (it outlives us) */
    call_read_fn *read; /* how a 200 answer is read */
    void *read_ctx;     /* for read; borrowed */
    char *body;         /* the request JSON; owned */
    size_t body_len;
    llm_raw_fn *done;
    void *ctx;
    int attempt;           /* attempts started so far */
    int64_t not_before_ms; /* monotonic; when it may start (again) */
    int timeout_ms;
    CURL *easy;                       /* while running */
    struct buf response;              /* body of the running attempt */
    int64_t retry_after_ms;           /* from the running attempt's headers; -1 when absent */
    struct err last;                  /* why the last attempt failed */
    struct call *run_prev, *run_next; /* the running list, while an attempt runs */
};

struct openai {
    struct llm_provider iface; /* first: the provider pointer is the object */
    struct openai_options opts;
    char *base_url, *api_key, *model, *azure_endpoint, *azure_deployment, *azure_api_version;
    char *chat_url, *models_url;
    char *embeddings_url; /* OpenAI paths; Azure's depends on the deployment (the model) */
    char *embedding_model;
    struct curl_slist *headers;
    CURLM *multi;
    pthread_t thread;

    pthread_mutex_t lock; /* guards pending and stop */
    struct call *pending, *pending_tail;
    bool stop;

    struct call *waiting; /* thread-owned from here down: in order, not yet running */
    struct call *running; /* attempts at curl */
    int active;
    CURL **spare; /* idle easy handles */
    size_t n_spare, alloc_spare;
    struct backoff backoff;
};

void openai_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void openai_global_cleanup(void)
{
    curl_global_cleanup();
}

/* ---- request bodies ----------------------------------------------------------------- */

/* OpenAI wants a schema name of [A-Za-z0-9_-]{1,64}. */
static void schema_name(const char *task, char out[65])
{
    size_t n = 0;
    for (const char *p = task; *p && n < 64; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-';
        out[n++] = ok ? c : '_';
    }
    out[n] = '\0';
    if (n == 0)
        snprintf(out, 65, "answer");
}

/* The chat-completions body for req; a malloc'd string. */
static char *build_body(const struct openai *oa, const struct llm_request *req, size_t *len)
{
    json_t *body = json_object();
    if (!oa->azure_endpoint) /* Azure takes the model from the deployment */
        jsonio_set_str(body, "model", req->model ? req->model : oa->model);
    json_t *msgs = json_array();
    for (size_t i = 0; i < req->n_messages; i++) {
        json_t *m = json_object();
        jsonio_set_str(m, "role", llm_role_name(req->messages[i].role));
        jsonio_set_str(m, "content", req->messages[i].content);
        json_array_append_new(msgs, m);
    }
    jsonio_set_new(body, "messages", msgs);
    if (req->temperature >= 0)
        jsonio_set_new(body, "temperature", json_real(req->temperature));
    if (req->max_tokens > 0)
        jsonio_set_new(body, "max_tokens", json_integer(req->max_tokens));
    if (req->has_seed)
        jsonio_set_new(body, "seed", json_integer(req->seed));
    if (req->format == LLM_FORMAT_JSON_OBJECT) {
        json_t *rf = json_object();
        jsonio_set_str(rf, "type", "json_object");
        jsonio_set_new(body, "response_format", rf);
    } else if (req->format == LLM_FORMAT_JSON_SCHEMA && req->schema) {
        char name[65];
        schema_name(req->task, name);
        json_t *js = json_object();
        jsonio_set_str(js, "name", name);
        jsonio_set_new(js, "schema", json_incref(req->schema));
        jsonio_set_new(js, "strict", json_false());
        json_t *rf = json_object();
        jsonio_set_str(rf, "type", "json_schema");
        jsonio_set_new(rf, "json_schema", js);
        jsonio_set_new(body, "response_format", rf);
    }
    char *text = jsonio_dump(body, 0, len);
    json_decref(body);
    return text;
}

/* ---- curl callbacks ---------------------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct call *c = ud;
    size_t bytes = size * n;
    if (!buf_add(&c->response, p, bytes))
        return 0; /* too large: curl stops with CURLE_WRITE_ERROR */
    return bytes;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct call *c = ud;
    size_t bytes = size * n;
    static const char name[] = "retry-after:";
    if (bytes > sizeof(name) - 1 && strncasecmp(p, name, sizeof(name) - 1) == 0) {
        char value[128];
        size_t len = bytes - (sizeof(name) - 1);
        if (len >= sizeof(value))
            len = sizeof(value) - 1;
        memcpy(value, p + sizeof(name) - 1, len);
        value[len] = '\0';
        c->retry_after_ms = backoff_parse_retry_after(value, clock_now_ms());
    }
    return bytes;
}

/* ---- easy handles and attempts -------------------------------------------------------------- */

static CURL *take_easy(struct openai *oa)
{
    if (oa->n_spare)
        return oa->spare[--oa->n_spare];
    CURL *e = curl_easy_init();
    if (!e) {
        fprintf(stderr, "fatal: curl_easy_init failed\n");
        abort();
    }
    return e;
}

static void give_easy(struct openai *oa, CURL *e)
{
    curl_easy_reset(e);
    ALLOC_GROW(oa->spare, oa->n_spare + 1, oa->alloc_spare);
    oa->spare[oa->n_spare++] = e;
}

static void running_add(struct openai *oa, struct call *c)
{
    c->run_prev = NULL;
    c->run_next = oa->running;
    if (oa->running)
        oa->running->run_prev = c;
    oa->running = c;
    oa->active++;
}

static void running_remove(struct openai *oa, struct call *c)
{
    if (c->run_prev)
        c->run_prev->run_next = c->run_next;
    else
        oa->running = c->run_next;
    if (c->run_next)
        c->run_next->run_prev = c->run_prev;
    c->run_prev = c->run_next = NULL;
    oa->active--;
    curl_multi_remove_handle(oa->multi, c->easy);
    give_easy(oa, c->easy);
    c->easy = NULL;
}

static void start(struct openai *oa, struct call *c)
{
    CURL *e = take_easy(oa);
    c->easy = e;
    c->attempt++;
    c->retry_after_ms = -1;
    buf_reset(&c->response);
    curl_easy_setopt(e, CURLOPT_URL, c->url);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, c->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)c->body_len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, oa->headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(e, CURLOPT_PRIVATE, c);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_multi_add_handle(oa->multi, e);
    running_add(oa, c);
}

/* ---- reading an answer ---------------------------------------------------------------------- */

/* The "error.message" of an OpenAI-style error body, or the start of the body. */
static void error_detail(const struct buf *body, char *out, size_t n)
{
    json_t *root = NULL;
    const char *msg = NULL;
    if (jsonio_parse(body->data, body->len, &root, NULL) == ERR_OK) {
        json_t *e = json_object_get(root, "error");
        msg = json_string_value(json_is_object(e) ? json_object_get(e, "message") : e);
    }
    snprintf(out, n, "%.200s", msg ? msg : body->data);
    json_decref(root);
}

/*
 * Reads a 200 chat answer into raw (a call_read_fn; ctx unused). ERR_OK;
 * ERR_BAD_JSON when the body is not a chat completion (worth another
 * attempt); ERR_UPSTREAM when it has no content (a refusal: not).
 */
static enum err_code read_chat(const struct buf *body, void *ctx, struct llm_raw *raw,
                               struct err *err)
{
    (void)ctx;
    json_t *root = NULL;
    struct err perr = ERR_INIT;
    if (jsonio_parse(body->data, body->len, &root, &perr))
        return err_set(err, ERR_BAD_JSON, NULL, "malformed response body (%s)", perr.msg);
    enum err_code rc = ERR_OK;
    json_t *choice = json_array_get(json_object_get(root, "choices"), 0);
    json_t *message = json_object_get(choice, "message");
    const char *content = json_string_value(json_object_get(message, "content"));
    if (!json_is_object(message)) {
        rc = err_set(err, ERR_BAD_JSON, NULL, "malformed response: no choices[0].message");
    } else if (!content) {
        const char *refusal = json_string_value(json_object_get(message, "refusal"));
        rc = err_set(err, ERR_UPSTREAM, NULL, "the model gave no content%s%.200s",
                     refusal ? "; it refused: " : "", refusal ? refusal : "");
    } else {
        raw->content = xstrdup(content);
        const char *model = json_string_value(json_object_get(root, "model"));
        raw->model = model ? xstrdup(model) : NULL;
        json_t *usage = json_object_get(root, "usage");
        json_t *pt = json_object_get(usage, "prompt_tokens");
        json_t *ct = json_object_get(usage, "completion_tokens");
        raw->tokens_in = json_is_integer(pt) ? json_integer_value(pt) : -1;
        raw->tokens_out = json_is_integer(ct) ? json_integer_value(ct) : -1;
    }
    json_decref(root);
    return rc;
}

static bool retryable_transport(CURLcode res)
{
    switch (res) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
        return true;
    default:
        return false;
    }
}

/* Ends the call through its callback and frees it. */
static void finish(struct call *c, struct llm_raw *raw)
{
    raw->attempts = c->attempt;
    c->done(c->ctx, raw);
    llm_raw_release(raw);
    buf_release(&c->response);
    free(c->body);
    free(c);
}

static void wait_again(struct openai *oa, struct call *c, int64_t delay_ms)
{
    c->not_before_ms = clock_mono_ms() + delay_ms;
    c->next = NULL;
    struct call **tail = &oa->waiting;
    while (*tail)
        tail = &(*tail)->next;
    *tail = c;
}

/* One attempt ended with res: finish the call, or schedule its next attempt. */
static void on_attempt_done(struct openai *oa, struct call *c, CURLcode res)
{
    long status = 0;
    curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
    running_remove(oa, c);

    struct llm_raw raw = { .code = ERR_OK, .tokens_in = -1, .tokens_out = -1 };
    raw.http_status = (int)status;
    bool retry = false;
    enum err_code code;
    if (res != CURLE_OK) {
        retry = retryable_transport(res);
        code = res == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT : ERR_UPSTREAM;
        if (res == CURLE_WRITE_ERROR)
            err_set(&c->last, code, NULL, "response larger than %d bytes", RESPONSE_MAX);
        else
            err_set(&c->last, code, NULL, "%s", curl_easy_strerror(res));
    } else if (status == 200) {
        code = c->read(&c->response, c->read_ctx, &raw, &c->last);
        retry = code == ERR_BAD_JSON;
        if (code == ERR_BAD_JSON)
            code = ERR_UPSTREAM;
    } else {
        char detail[256];
        error_detail(&c->response, detail, sizeof(detail));
        retry = status == 429 || status >= 500;
        code = status == 429 ? ERR_RATE_LIMITED : ERR_UPSTREAM;
        err_set(&c->last, code, NULL, "HTTP %ld: %s", status, detail);
    }
    if (code == ERR_OK) {
        finish(c, &raw);
        return;
    }
    llm_raw_release(&raw);
    if (retry && c->attempt < oa->opts.max_attempts) {
        int64_t delay =
            c->retry_after_ms >= 0 ? c->retry_after_ms : backoff_delay_ms(&oa->backoff, c->attempt);
        if (delay > RETRY_AFTER_MAX_MS)
            delay = RETRY_AFTER_MAX_MS;
        LOG_DEBUG("llm", "attempt %d failed (%s); next in %" PRId64 " ms", c->attempt, c->last.msg,
                  delay);
        wait_again(oa, c, delay);
        return;
    }
    raw.code = code;
    if (retry)
        err_set(&raw.err, code, NULL, "gave up after %d attempt%s: %s", c->attempt,
                c->attempt == 1 ? "" : "s", c->last.msg);
    else
        raw.err = c->last;
    raw.err.code = code;
    finish(c, &raw);
}

/* ---- the thread -------------------------------------------------------------------------------
 */

/* Starts every waiting call that is due while slots are free, oldest first.
 * Returns the ms until the next waiting call could start (-1: none waits). */
static int64_t start_due(struct openai *oa)
{
    int64_t now = clock_mono_ms(), next = -1;
    struct call **pp = &oa->waiting;
    while (*pp) {
        struct call *c = *pp;
        if (c->not_before_ms <= now && oa->active < oa->opts.concurrency) {
            *pp = c->next;
            c->next = NULL;
            start(oa, c);
            continue;
        }
        int64_t due = c->not_before_ms > now ? c->not_before_ms - now : IDLE_POLL_MS;
        if (next < 0 || due < next)
            next = due;
        pp = &c->next;
    }
    return next;
}

static bool take_pending(struct openai *oa)
{
    pthread_mutex_lock(&oa->lock);
    struct call *p = oa->pending;
    oa->pending = oa->pending_tail = NULL;
    bool stop = oa->stop;
    pthread_mutex_unlock(&oa->lock);
    struct call **tail = &oa->waiting; /* keep submission order */
    while (*tail)
        tail = &(*tail)->next;
    *tail = p;
    return stop;
}

static void fail_everything(struct openai *oa)
{
    struct llm_raw raw = { .code = ERR_UNAVAILABLE, .tokens_in = -1, .tokens_out = -1 };
    while (oa->running) {
        struct call *c = oa->running;
        running_remove(oa, c);
        c->next = oa->waiting;
        oa->waiting = c;
    }
    while (oa->waiting) {
        struct call *c = oa->waiting;
        oa->waiting = c->next;
        err_set(&raw.err, ERR_UNAVAILABLE, NULL, "the model client stopped");
        finish(c, &raw);
    }
}

static void *openai_main(void *arg)
{
    struct openai *oa = arg;
    for (;;) {
        bool stop = take_pending(oa);
        if (stop)
            break;
        int64_t next = start_due(oa);
        int running = 0;
        curl_multi_perform(oa->multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(oa->multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            struct call *c = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&c);
            CURLcode res = m->data.result;
            on_attempt_done(oa, c, res);
            next = 0; /* a retry or a freed slot may let a waiting call start */
        }
        int timeout = next < 0 || next > IDLE_POLL_MS ? IDLE_POLL_MS : (int)next;
        if (next != 0)
            curl_multi_poll(oa->multi, NULL, 0, timeout, NULL);
    }
    fail_everything(oa);
    return NULL;
}

/* ---- the provider interface --------------------------------------------------------------------
 */

/*
 * Hands c (taken: freed here on failure) to the thread. ERR_UNAVAILABLE
 * when the provider is stopping; c's done callback then never runs.
 */
static enum err_code queue_call(struct openai *oa, struct call *c, struct err *err)
{
    pthread_mutex_lock(&oa->lock);
    if (oa->stop) {
        pthread_mutex_unlock(&oa->lock);
        buf_release(&c->response);
        free(c->body);
        free(c);
        return err_set(err, ERR_UNAVAILABLE, NULL, "the model client stopped");
    }
    if (oa->pending_tail)
        oa->pending_tail->next = c;
    else
        oa->pending = c;
    oa->pending_tail = c;
    pthread_mutex_unlock(&oa->lock);
    curl_multi_wakeup(oa->multi);
    return ERR_OK;
}

static enum err_code openai_submit(struct llm_provider *p, const struct llm_request *req,
                                   llm_raw_fn *done, void *ctx, struct err *err)
{
    struct openai *oa = (struct openai *)p;
    struct call *c = xcalloc(1, sizeof(*c));
    c->oa = oa;
    c->url = oa->chat_url;
    c->read = read_chat;
    c->body = build_body(oa, req, &c->body_len);
    c->done = done;
    c->ctx = ctx;
    c->timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : oa->opts.timeout_ms;
    buf_init(&c->response, RESPONSE_MAX);
    return queue_call(oa, c, err);
}

static char *join_url(const char *base, const char *suffix);

/* ---- embeddings ------------------------------------------------------------------------------
 *
 * One embed call is split into batches (at most EMBED_BATCH_MAX texts and
 * about EMBED_BATCH_CHARS bytes each), each one struct call with its own
 * retries. read_embeddings checks a batch's answer whole - one vector per
 * input, each "index" once, every vector the same length - and fills the
 * batch; the done callback counts the batch as finished. The caller's
 * thread waits until no batch is pending, then joins the vectors in the
 * order of the texts.
 */

struct embed_wait {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t pending; /* batches queued and not finished */
};

struct embed_batch {
    struct embed_wait *wait;
    size_t first, n; /* texts[first .. first + n) */
    float *vectors;  /* n * dim, row by "index"; owned */
    size_t dim;
    char *model;    /* owned; NULL when the answer named none */
    int64_t tokens; /* -1 when the answer had no usage */
    enum err_code code;
    struct err err;
    int attempts;
};

/* Reads one "embedding" array of want numbers (want 0: any length up to the cap). */
static bool read_vector(const json_t *arr, size_t want, float **out, size_t *dim)
{
    size_t len = json_array_size(arr);
    if (!json_is_array(arr) || len == 0 || len > EMBED_MAX_DIM || (want && len != want))
        return false;
    float *v = xmalloc(len * sizeof(*v));
    for (size_t k = 0; k < len; k++) {
        const json_t *x = json_array_get(arr, k);
        if (!json_is_number(x)) {
            free(v);
            return false;
        }
        v[k] = (float)json_number_value(x);
    }
    *out = v;
    *dim = len;
    return true;
}

/* A call_read_fn for one batch (ctx): every input's vector, placed by "index". */
static enum err_code read_embeddings(const struct buf *body, void *ctx, struct llm_raw *raw,
                                     struct err *err)
{
    struct embed_batch *b = ctx;
    json_t *root = NULL;
    struct err perr = ERR_INIT;
    if (jsonio_parse(body->data, body->len, &root, &perr))
        return err_set(err, ERR_BAD_JSON, NULL, "malformed embeddings body (%s)", perr.msg);
    const json_t *data = json_object_get(root, "data");
    enum err_code rc = ERR_OK;
    float *all = NULL;
    bool *seen = xcalloc(b->n ? b->n : 1, sizeof(*seen));
    size_t dim = 0;
    if (json_array_size(data) != b->n) {
        rc = err_set(err, ERR_BAD_JSON, NULL, "malformed embeddings: %zu vectors for %zu inputs",
                     json_array_size(data), b->n);
        goto out;
    }
    for (size_t i = 0; i < b->n; i++) {
        const json_t *item = json_array_get(data, i);
        const json_t *index = json_object_get(item, "index");
        json_int_t at = json_is_integer(index) ? json_integer_value(index) : -1;
        float *v = NULL;
        if (at < 0 || (size_t)at >= b->n || seen[at] ||
            !read_vector(json_object_get(item, "embedding"), dim, &v, &dim)) {
            rc = err_set(err, ERR_BAD_JSON, NULL, "malformed embeddings: data[%zu]", i);
            goto out;
        }
        if (!all)
            all = xmalloc(b->n * dim * sizeof(*all));
        memcpy(all + (size_t)at * dim, v, dim * sizeof(*v));
        free(v);
        seen[at] = true;
    }
    const json_t *usage = json_object_get(root, "usage");
    const json_t *pt = json_object_get(usage, "prompt_tokens");
    const char *model = json_string_value(json_object_get(root, "model"));
    free(b->vectors);
    free(b->model);
    b->vectors = all;
    all = NULL;
    b->dim = dim;
    b->model = model ? xstrdup(model) : NULL;
    b->tokens = json_is_integer(pt) ? json_integer_value(pt) : -1;
    raw->tokens_in = b->tokens;
out:
    free(all);
    free(seen);
    json_decref(root);
    return rc;
}

/* The done callback of a batch's call (the provider's thread). */
static void embed_batch_done(void *ctx, struct llm_raw *raw)
{
    struct embed_batch *b = ctx;
    pthread_mutex_lock(&b->wait->lock);
    b->code = raw->code;
    b->err = raw->err;
    b->attempts = raw->attempts;
    b->wait->pending--;
    pthread_cond_signal(&b->wait->cond);
    pthread_mutex_unlock(&b->wait->lock);
}

/* The request body of one batch. */
static char *embed_body(const struct openai *oa, const char *model, int dimensions,
                        const char *const *texts, size_t n, size_t *len)
{
    json_t *body = json_object();
    if (!oa->azure_endpoint) /* Azure names the model by the deployment in the URL */
        jsonio_set_str(body, "model", model);
    json_t *input = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(input, jsonio_string(texts[i], strlen(texts[i])));
    jsonio_set_new(body, "input", input);
    jsonio_set_str(body, "encoding_format", "float");
    if (dimensions > 0)
        jsonio_set_new(body, "dimensions", json_integer(dimensions));
    char *text = jsonio_dump(body, 0, len);
    json_decref(body);
    return text;
}

/* How many texts from texts[0..n) go into the next batch (at least one). */
static size_t batch_size(const char *const *texts, size_t n)
{
    size_t count = 0, chars = 0;
    while (count < n && count < EMBED_BATCH_MAX) {
        size_t len = strlen(texts[count]);
        if (count > 0 && chars + len > EMBED_BATCH_CHARS)
            break;
        chars += len;
        count++;
    }
    return count;
}

/* Queues the call of batch b; ERR_UNAVAILABLE when stopping (b is then not pending). */
static enum err_code embed_queue(struct openai *oa, const char *url, const char *model,
                                 int dimensions, const char *const *texts, struct embed_batch *b,
                                 struct err *err)
{
    struct call *c = xcalloc(1, sizeof(*c));
    c->oa = oa;
    c->url = url;
    c->read = read_embeddings;
    c->read_ctx = b;
    c->body = embed_body(oa, model, dimensions, texts + b->first, b->n, &c->body_len);
    c->done = embed_batch_done;
    c->ctx = b;
    c->timeout_ms = oa->opts.timeout_ms;
    size_t per_vector =
        (size_t)(dimensions > 0 ? dimensions : EMBED_MAX_DIM) * EMBED_NUMBER_CHARS + 256;
    buf_init(&c->response, b->n * per_vector + EMBED_RESPONSE_EXTRA);
    pthread_mutex_lock(&b->wait->lock);
    b->wait->pending++;
    pthread_mutex_unlock(&b->wait->lock);
    enum err_code rc = queue_call(oa, c, err);
    if (rc) {
        pthread_mutex_lock(&b->wait->lock);
        b->wait->pending--;
        pthread_mutex_unlock(&b->wait->lock);
    }
    return rc;
}

/* Joins the batches' vectors into out; the first failed batch's error otherwise. */
static enum err_code embed_join(struct embed_batch *batches, size_t n_batches, size_t n,
                                int dimensions, struct llm_raw_embeddings *out, struct err *err)
{
    for (size_t i = 0; i < n_batches; i++)
        out->attempts += batches[i].attempts;
    for (size_t i = 0; i < n_batches; i++)
        if (batches[i].code)
            return err_set(err, batches[i].code, NULL, "%s", batches[i].err.msg);
    size_t dim = batches[0].dim;
    for (size_t i = 0; i < n_batches; i++) {
        if (batches[i].dim != dim || (dimensions > 0 && batches[i].dim != (size_t)dimensions))
            return err_set(err, ERR_UPSTREAM, NULL,
                           "the embeddings have %zu dimensions where %zu were expected",
                           batches[i].dim, dimensions > 0 ? (size_t)dimensions : dim);
    }
    out->vectors = xmalloc(n * dim * sizeof(*out->vectors));
    out->dim = dim;
    out->tokens = -1;
    for (size_t i = 0; i < n_batches; i++) {
        memcpy(out->vectors + batches[i].first * dim, batches[i].vectors,
               batches[i].n * dim * sizeof(*out->vectors));
        if (batches[i].tokens >= 0)
            out->tokens = (out->tokens < 0 ? 0 : out->tokens) + batches[i].tokens;
    }
    if (batches[0].model)
        out->model = xstrdup(batches[0].model);
    return ERR_OK;
}

/* Azure: the deployment is the model; OpenAI paths: one URL for all. */
static char *embed_url(const struct openai *oa, const char *model)
{
    if (!oa->azure_endpoint)
        return xstrdup(oa->embeddings_url);
    struct buf b;
    buf_init(&b, 8192);
    buf_addf(&b, "/openai/deployments/%s/embeddings?api-version=%s", model,
             oa->azure_api_version ? oa->azure_api_version : "");
    char *url = join_url(oa->azure_endpoint, b.data);
    buf_release(&b);
    return url;
}

static enum err_code openai_embed(struct llm_provider *p, const char *model, int dimensions,
                                  const char *const *texts, size_t n,
                                  struct llm_raw_embeddings *out, struct err *err)
{
    struct openai *oa = (struct openai *)p;
    memset(out, 0, sizeof(*out));
    if (n == 0)
        return err_set(err, ERR_INVALID, NULL, "embeddings need at least one text");
    if (dimensions < 0 || dimensions > EMBED_MAX_DIM)
        return err_set(err, ERR_INVALID, "dimensions", "dimensions: %d is not in 0..%d", dimensions,
                       EMBED_MAX_DIM);
    if (NEVER(pthread_equal(pthread_self(), oa->thread)))
        return err_set(err, ERR_INTERNAL, NULL, "embed called on the model client's thread");
    if (!model || !*model)
        model = oa->embedding_model;
    char *url = embed_url(oa, model);
    struct embed_wait wait = { .pending = 0 };
    pthread_mutex_init(&wait.lock, NULL);
    pthread_cond_init(&wait.cond, NULL);
    size_t n_batches = 0, alloc_batches = 0;
    struct embed_batch *batches = NULL;
    enum err_code rc = ERR_OK;
    for (size_t first = 0; first < n && rc == ERR_OK;) {
        ALLOC_GROW(batches, n_batches + 1, alloc_batches);
        struct embed_batch *b = &batches[n_batches++];
        *b = (struct embed_batch){ .wait = &wait, .first = first, .tokens = -1 };
        b->n = batch_size(texts + first, n - first);
        first += b->n;
        rc = embed_queue(oa, url, model, dimensions, texts, b, err);
        if (rc)
            n_batches--;
    }
    pthread_mutex_lock(&wait.lock);
    while (wait.pending)
        pthread_cond_wait(&wait.cond, &wait.lock);
    pthread_mutex_unlock(&wait.lock);
    if (rc == ERR_OK)
        rc = embed_join(batches, n_batches, n, dimensions, out, err);
    if (rc) {
        free(out->vectors);
        free(out->model);
        int attempts = out->attempts;
        memset(out, 0, sizeof(*out));
        out->attempts = attempts;
    }
    for (size_t i = 0; i < n_batches; i++) {
        free(batches[i].vectors);
        free(batches[i].model);
    }
    free(batches);
    free(url);
    pthread_cond_destroy(&wait.cond);
    pthread_mutex_destroy(&wait.lock);
    return rc;
}

static enum err_code openai_ping(struct llm_provider *p, struct err *err)
{
    struct openai *oa = (struct openai *)p;
    CURL *e = curl_easy_init();
    if (!e)
        return err_set(err, ERR_INTERNAL, NULL, "curl_easy_init failed");
    struct buf body;
    buf_init(&body, 1 << 20);
    struct call sink = { .response = body };
    curl_easy_setopt(e, CURLOPT_URL, oa->models_url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, oa->headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)PING_TIMEOUT_MS);
    CURLcode res = curl_easy_perform(e);
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(e);
    enum err_code rc = ERR_OK;
    if (res != CURLE_OK) {
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "%s: %s", oa->models_url, curl_easy_strerror(res));
    } else if (status == 401 || status == 403) {
        char detail[256];
        error_detail(&sink.response, detail, sizeof(detail));
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "the model server refused the key (HTTP %ld: %s)",
                     status, detail);
    } else if (status >= 500) {
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "the model server answered HTTP %ld", status);
    }
    buf_release(&sink.response);
    return rc;
}

static void openai_destroy(struct llm_provider *p)
{
    struct openai *oa = (struct openai *)p;
    pthread_mutex_lock(&oa->lock);
    oa->stop = true;
    pthread_mutex_unlock(&oa->lock);
    curl_multi_wakeup(oa->multi);
    pthread_join(oa->thread, NULL);
    take_pending(oa); /* calls submitted after the thread's last look */
    fail_everything(oa);
    for (size_t i = 0; i < oa->n_spare; i++)
        curl_easy_cleanup(oa->spare[i]);
    free(oa->spare);
    curl_multi_cleanup(oa->multi);
    curl_slist_free_all(oa->headers);
    pthread_mutex_destroy(&oa->lock);
    free(oa->base_url);
    free(oa->api_key);
    free(oa->model);
    free(oa->azure_endpoint);
    free(oa->azure_deployment);
    free(oa->azure_api_version);
    free(oa->chat_url);
    free(oa->models_url);
    free(oa->embeddings_url);
    free(oa->embedding_model);
    free(oa);
}

/* ---- construction ---------------------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

static bool http_url(const char *u)
{
    return u && (strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0);
}

/* base without a trailing slash, then suffix */
static char *join_url(const char *base, const char *suffix)
{
    size_t n = strlen(base);
    while (n && base[n - 1] == '/')
        n--;
    struct buf b;
    buf_init(&b, 8192);
    buf_add(&b, base, n);
    buf_adds(&b, suffix);
    return buf_detach(&b, NULL);
}

static enum err_code check_options(const struct openai_options *o, struct err *err)
{
    if (o->azure_endpoint && *o->azure_endpoint) {
        if (!http_url(o->azure_endpoint))
            return err_set(err, ERR_INVALID, "AZURE_OPENAI_ENDPOINT",
                           "AZURE_OPENAI_ENDPOINT: '%s' is not an http(s) URL", o->azure_endpoint);
        if (!o->azure_deployment || !*o->azure_deployment)
            return err_set(err, ERR_INVALID, "AZURE_OPENAI_DEPLOYMENT",
                           "AZURE_OPENAI_DEPLOYMENT: required with AZURE_OPENAI_ENDPOINT");
    } else if (!http_url(o->base_url)) {
        return err_set(err, ERR_INVALID, "CROWDELIC_LLM_BASE_URL",
                       "CROWDELIC_LLM_BASE_URL: '%s' is not an http(s) URL",
                       o->base_url ? o->base_url : "");
    }
    if (o->concurrency < 1 || o->concurrency > 1024)
        return err_set(err, ERR_INVALID, "LLM_CONCURRENCY", "LLM_CONCURRENCY: %d is not in 1..1024",
                       o->concurrency);
    if (o->max_attempts < 1 || o->max_attempts > 20)
        return err_set(err, ERR_INVALID, "LLM_MAX_ATTEMPTS", "LLM_MAX_ATTEMPTS: %d is not in 1..20",
                       o->max_attempts);
    return ERR_OK;
}

enum err_code openai_new(const struct openai_options *opts, struct llm_provider **out,
                         struct err *err)
{
    *out = NULL;
    enum err_code rc = check_options(opts, err);
    if (rc)
        return rc;
    struct openai *oa = xcalloc(1, sizeof(*oa));
    oa->opts = *opts;
    oa->base_url = dup_or_null(opts->base_url);
    oa->api_key = dup_or_null(opts->api_key);
    oa->azure_endpoint = dup_or_null(opts->azure_endpoint);
    oa->azure_deployment = dup_or_null(opts->azure_deployment);
    oa->azure_api_version = dup_or_null(opts->azure_api_version);
    oa->model = xstrdup(oa->azure_endpoint            ? oa->azure_deployment
                        : opts->model && *opts->model ? opts->model
                                                      : "gpt-4o-mini");
    oa->embedding_model =
        xstrdup(opts->embedding_model && *opts->embedding_model ? opts->embedding_model
                                                                : EMBED_DEFAULT_MODEL);
    oa->opts.extra_headers = NULL;
    oa->opts.n_extra_headers = 0;
    oa->backoff = (struct backoff){ .base_ms = opts->backoff_base_ms,
                                    .max_ms = opts->backoff_max_ms,
                                    .jitter = opts->backoff_jitter,
                                    .rng = opts->seed ? opts->seed : (uint64_t)clock_mono_ns() };

    struct buf hdr;
    buf_init(&hdr, 8192);
    oa->headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (oa->azure_endpoint) {
        char *path = NULL;
        struct buf b;
        buf_init(&b, 8192);
        buf_addf(&b, "/openai/deployments/%s/chat/completions?api-version=%s", oa->azure_deployment,
                 oa->azure_api_version ? oa->azure_api_version : "");
        path = buf_detach(&b, NULL);
        oa->chat_url = join_url(oa->azure_endpoint, path);
        free(path);
        buf_addf(&b, "/openai/models?api-version=%s",
                 oa->azure_api_version ? oa->azure_api_version : "");
        oa->models_url = join_url(oa->azure_endpoint, b.data);
        buf_release(&b);
        if (oa->api_key)
            buf_addf(&hdr, "api-key: %s", oa->api_key);
    } else {
        oa->chat_url = join_url(oa->base_url, "/chat/completions");
        oa->models_url = join_url(oa->base_url, "/models");
        oa->embeddings_url = join_url(oa->base_url, "/embeddings");
        if (oa->api_key)
            buf_addf(&hdr, "Authorization: Bearer %s", oa->api_key);
    }
    if (hdr.len)
        oa->headers = curl_slist_append(oa->headers, hdr.data);
    buf_release(&hdr);
    for (size_t i = 0; i < opts->n_extra_headers; i++)
        oa->headers = curl_slist_append(oa->headers, opts->extra_headers[i]);

    oa->multi = curl_multi_init();
    curl_multi_setopt(oa->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(oa->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)opts->concurrency);
    curl_multi_setopt(oa->multi, CURLMOPT_MAXCONNECTS, (long)opts->concurrency);
    pthread_mutex_init(&oa->lock, NULL);

    oa->iface.name = oa->azure_endpoint ? "azure" : "openai";
    oa->iface.default_model = oa->model;
    oa->iface.submit = openai_submit;
    oa->iface.ping = openai_ping;
    oa->iface.destroy = openai_destroy;
    oa->iface.cacheable = true;
    oa->iface.embed = openai_embed;
    oa->iface.embedding_model = oa->embedding_model;

    if (pthread_create(&oa->thread, NULL, openai_main, oa) != 0) {
        fprintf(stderr, "fatal: cannot start the model client thread\n");
        abort();
    }
    *out = &oa->iface;
    return ERR_OK;
}
