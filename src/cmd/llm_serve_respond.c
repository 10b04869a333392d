/*
 * cmd/llm_serve_respond.c - what crowdelic llm-serve answers: the chat
 * request's checks (OpenAI's parameters, each error naming its parameter),
 * the echo and script responders, the content of the "schema" and "prose"
 * faults, chat.completion bodies and chat.completion.chunk events, the
 * OpenAI error object, and the hashed bag-of-words embeddings.
 *
 * Pure functions of their arguments except the script, whose position is
 * one atomic counter, so any thread may call anything here.
 */
#include "core/compat.h"

#include "cmd/llm_serve.h"
#include "core/jsonio.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "engine/offline/offline.h"
#include "llm/schema.h"

#include <math.h>

/* The largest script file read (an answer a line; tests use a few). */
#define SCRIPT_MAX_BYTES (64 * 1024 * 1024)

/* ---- the chat request ------------------------------------------------------------------ */

static const char *const chat_roles[] = { "system",    "developer", "user",
                                          "assistant", "tool",      "function" };

/* A value that was given: present and not null. */
static bool given(const json_t *v)
{
    return v && !json_is_null(v);
}

/*
 * Appends the text of a message's content (a string, or an array of parts
 * whose "text" parts count; image and audio parts carry no text here).
 */
static enum err_code content_text(const json_t *content, size_t i, struct buf *text,
                                  struct err *err)
{
    if (json_is_string(content)) {
        buf_add(text, json_string_value(content), json_string_length(content));
        return ERR_OK;
    }
    if (!json_is_array(content))
        return err_set(err, ERR_INVALID, NULL,
                       "messages[%zu].content: expected a string or an array of parts", i);
    size_t j;
    const json_t *part;
    json_array_foreach (content, j, part) {
        const json_t *type = json_object_get(part, "type");
        if (!json_is_object(part) || !json_is_string(type))
            return err_set(err, ERR_INVALID, NULL,
                           "messages[%zu].content[%zu]: expected an object with a type", i, j);
        if (strcmp(json_string_value(type), "text") != 0)
            continue;
        const json_t *t = json_object_get(part, "text");
        if (!json_is_string(t))
            return err_set(err, ERR_INVALID, NULL,
                           "messages[%zu].content[%zu].text: expected a string", i, j);
        buf_add(text, json_string_value(t), json_string_length(t));
    }
    return ERR_OK;
}

/* err->field for messages: "messages[3].role" (err_set takes a fixed field). */
static enum err_code message_error(struct err *err, size_t i, const char *member, enum err_code rc)
{
    snprintf(err->field, sizeof(err->field), "messages[%zu]%s%s", i, *member ? "." : "", member);
    return rc;
}

static enum err_code parse_messages(const json_t *messages, struct pool *pool, struct ls_chat *out,
                                    struct err *err)
{
    if (!json_is_array(messages) || json_array_size(messages) == 0)
        return err_set(err, ERR_INVALID, "messages",
                       "messages: expected a non-empty array of messages");
    size_t i;
    const json_t *m;
    json_array_foreach (messages, i, m) {
        if (!json_is_object(m))
            return message_error(
                err, i, "",
                err_set(err, ERR_INVALID, NULL, "messages[%zu]: expected an object", i));
        const json_t *role = json_object_get(m, "role");
        bool known = false;
        for (size_t r = 0; json_is_string(role) && r < ARRAY_SIZE(chat_roles); r++)
            known = known || strcmp(json_string_value(role), chat_roles[r]) == 0;
        if (!known)
            return message_error(err, i, "role",
                                 err_set(err, ERR_INVALID, NULL,
                                         "messages[%zu].role: expected one of system, developer, "
                                         "user, assistant, tool, function",
                                         i));
        const json_t *content = json_object_get(m, "content");
        bool is_user = strcmp(json_string_value(role), "user") == 0;
        if (!given(content)) {
            if (strcmp(json_string_value(role), "assistant") == 0)
                continue; /* an assistant turn may hold only tool calls */
            return message_error(
                err, i, "content",
                err_set(err, ERR_INVALID, NULL, "messages[%zu].content: required", i));
        }
        struct buf text;
        buf_init(&text, LS_TEXT_MAX);
        enum err_code rc = content_text(content, i, &text, err);
        if (rc) {
            buf_release(&text);
            return message_error(err, i, "content", rc);
        }
        out->prompt_chars += utf8_chars(text.data, text.len);
        if (is_user)
            out->last_user = pool_memdupz(pool, text.data, text.len);
        buf_release(&text);
    }
    return ERR_OK;
}

/* An optional number in [min, max] (null is "not given"). */
static enum err_code opt_number(const json_t *body, const char *name, double min, double max,
                                struct err *err)
{
    const json_t *v = json_object_get(body, name);
    if (given(v) &&
        (!json_is_number(v) || json_number_value(v) < min || json_number_value(v) > max))
        return err_set(err, ERR_INVALID, name, "%s: expected a number in %g..%g", name, min, max);
    return ERR_OK;
}

/* An optional integer >= min into *out (left alone when not given). */
static enum err_code opt_int(const json_t *body, const char *name, int64_t min, int64_t *out,
                             struct err *err)
{
    const json_t *v = json_object_get(body, name);
    if (!given(v))
        return ERR_OK;
    if (!json_is_integer(v) || json_integer_value(v) < min)
        return err_set(err, ERR_INVALID, name, "%s: expected an integer of at least %" PRId64, name,
                       min);
    *out = json_integer_value(v);
    return ERR_OK;
}

static bool valid_schema_name(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
              (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-'))
            return false;
    return n >= 1 && n <= 64;
}

static enum err_code parse_response_format(const json_t *rf, struct ls_chat *out, struct err *err)
{
    out->format = LS_FORMAT_TEXT;
    if (!given(rf))
        return ERR_OK;
    const json_t *type = json_object_get(rf, "type");
    if (!json_is_object(rf))
        return err_set(err, ERR_INVALID, "response_format",
                       "response_format: expected an object with a type");
    const char *t = json_is_string(type) ? json_string_value(type) : "";
    if (strcmp(t, "text") == 0)
        return ERR_OK;
    if (strcmp(t, "json_object") == 0) {
        out->format = LS_FORMAT_JSON_OBJECT;
        return ERR_OK;
    }
    if (strcmp(t, "json_schema") != 0)
        return err_set(err, ERR_INVALID, "response_format.type",
                       "response_format.type: expected text, json_object or json_schema");
    const json_t *js = json_object_get(rf, "json_schema");
    if (!json_is_object(js))
        return err_set(err, ERR_INVALID, "response_format.json_schema",
                       "response_format.json_schema: required with type json_schema (an object "
                       "with name and schema)");
    const json_t *name = json_object_get(js, "name");
    if (!json_is_string(name) || !valid_schema_name(json_string_value(name)))
        return err_set(err, ERR_INVALID, "response_format.json_schema.name",
                       "response_format.json_schema.name: expected 1 to 64 of a-z, A-Z, 0-9, "
                       "_ and -");
    const json_t *schema = json_object_get(js, "schema");
    if (given(schema) && !json_is_object(schema))
        return err_set(err, ERR_INVALID, "response_format.json_schema.schema",
                       "response_format.json_schema.schema: expected an object");
    const json_t *strict = json_object_get(js, "strict");
    if (given(strict) && !json_is_boolean(strict))
        return err_set(err, ERR_INVALID, "response_format.json_schema.strict",
                       "response_format.json_schema.strict: expected a boolean");
    out->format = LS_FORMAT_JSON_SCHEMA;
    out->schema = given(schema) ? schema : NULL;
    return ERR_OK;
}

/* The "model" member: a non-empty string, required on OpenAI paths (need_model). */
static enum err_code parse_model(const json_t *body, bool need_model, const char **out,
                                 struct err *err)
{
    const json_t *model = json_object_get(body, "model");
    if (given(model) && (!json_is_string(model) || json_string_length(model) == 0))
        return err_set(err, ERR_INVALID, "model", "model: expected a non-empty string");
    if (!given(model) && need_model)
        return err_set(err, ERR_INVALID, "model", "you must provide a model parameter");
    *out = given(model) ? json_string_value(model) : NULL;
    return ERR_OK;
}

enum err_code ls_chat_parse(const json_t *body, bool need_model, struct pool *pool,
                            struct ls_chat *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->last_user = "";
    if (!json_is_object(body))
        return err_set(err, ERR_INVALID, NULL, "the request body must be a JSON object");

    enum err_code model_rc = parse_model(body, need_model, &out->model, err);
    if (model_rc)
        return model_rc;

    enum err_code rc = parse_messages(json_object_get(body, "messages"), pool, out, err);
    if (!rc)
        rc = opt_number(body, "temperature", 0, 2, err);
    if (!rc)
        rc = opt_number(body, "top_p", 0, 1, err);
    if (!rc)
        rc = opt_number(body, "presence_penalty", -2, 2, err);
    if (!rc)
        rc = opt_number(body, "frequency_penalty", -2, 2, err);
    int64_t n = 1, seed = 0, max_tokens = 0, max_completion = 0;
    if (!rc)
        rc = opt_int(body, "n", 1, &n, err);
    if (!rc && n != 1)
        rc = err_set(err, ERR_INVALID, "n", "n: only 1 choice is supported");
    if (!rc)
        rc = opt_int(body, "seed", INT64_MIN, &seed, err);
    if (!rc)
        rc = opt_int(body, "max_tokens", 1, &max_tokens, err);
    if (!rc)
        rc = opt_int(body, "max_completion_tokens", 1, &max_completion, err);
    if (rc)
        return rc;
    out->max_tokens = max_completion ? max_completion : max_tokens;

    const json_t *stream = json_object_get(body, "stream");
    if (given(stream) && !json_is_boolean(stream))
        return err_set(err, ERR_INVALID, "stream", "stream: expected a boolean");
    out->stream = json_is_true(stream);
    const json_t *so = json_object_get(body, "stream_options");
    if (given(so)) {
        if (!json_is_object(so))
            return err_set(err, ERR_INVALID, "stream_options",
                           "stream_options: expected an object");
        if (!out->stream)
            return err_set(err, ERR_INVALID, "stream_options",
                           "stream_options: only allowed when stream is true");
        const json_t *iu = json_object_get(so, "include_usage");
        if (given(iu) && !json_is_boolean(iu))
            return err_set(err, ERR_INVALID, "stream_options.include_usage",
                           "stream_options.include_usage: expected a boolean");
        out->include_usage = json_is_true(iu);
    }
    return parse_response_format(json_object_get(body, "response_format"), out, err);
}

/* ---- the embeddings request ---------------------------------------------------------------- */

enum err_code ls_embeddings_parse(const json_t *body, bool need_model, size_t default_dim,
                                  struct pool *pool, struct ls_embeddings_req *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (!json_is_object(body))
        return err_set(err, ERR_INVALID, NULL, "the request body must be a JSON object");
    enum err_code model_rc = parse_model(body, need_model, &out->model, err);
    if (model_rc)
        return model_rc;
    const json_t *fmt = json_object_get(body, "encoding_format");
    if (given(fmt) && (!json_is_string(fmt) || strcmp(json_string_value(fmt), "float") != 0))
        return err_set(err, ERR_INVALID, "encoding_format",
                       "encoding_format: only 'float' is supported");
    int64_t dim = (int64_t)default_dim;
    enum err_code rc = opt_int(body, "dimensions", 1, &dim, err);
    if (rc)
        return rc;
    if (dim > LS_MAX_DIM)
        return err_set(err, ERR_INVALID, "dimensions", "dimensions: expected 1..%d", LS_MAX_DIM);
    out->dim = (size_t)dim;

    const json_t *input = json_object_get(body, "input");
    size_t n = 1;
    if (json_is_array(input) && json_array_size(input) > 0 &&
        json_array_size(input) <= LS_MAX_INPUTS) {
        n = json_array_size(input);
        for (size_t i = 0; i < n; i++)
            if (!json_is_string(json_array_get(input, i)))
                return err_set(err, ERR_INVALID, "input",
                               "input[%zu]: expected a string (token arrays are not supported)", i);
    } else if (!json_is_string(input)) {
        return err_set(err, ERR_INVALID, "input",
                       "input: expected a string or an array of 1..%d strings", LS_MAX_INPUTS);
    }
    if (n * out->dim > LS_MAX_EMBED_VALUES)
        return err_set(err, ERR_INVALID, "input",
                       "input: %zu inputs of %zu dimensions exceed %d values a request", n,
                       out->dim, LS_MAX_EMBED_VALUES);
    out->n = n;
    out->inputs = pool_alloc(pool, n * sizeof(*out->inputs));
    out->lens = pool_alloc(pool, n * sizeof(*out->lens));
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_is_string(input) ? input : json_array_get(input, i);
        out->inputs[i] = json_string_value(s);
        out->lens[i] = json_string_length(s);
    }
    return ERR_OK;
}

/* ---- content ------------------------------------------------------------------------------ */

char *ls_echo_content(const struct ls_chat *chat, struct err *err)
{
    if (chat->format == LS_FORMAT_TEXT)
        return xstrdup(chat->last_user);
    json_t *v;
    if (chat->format == LS_FORMAT_JSON_OBJECT) {
        v = json_object();
        jsonio_set_str(v, "echo", chat->last_user);
    } else {
        json_t *any = chat->schema ? NULL : json_object();
        v = schema_example(chat->schema ? chat->schema : any, chat->last_user);
        json_decref(any);
        if (!v) {
            err_set(err, ERR_INVALID, "response_format.json_schema.schema",
                    "response_format.json_schema.schema: no value satisfies this schema");
            return NULL;
        }
    }
    char *text = jsonio_dump(v, JSON_ENCODE_ANY, NULL);
    json_decref(v);
    return text;
}

/* The first usable type of a schema, or NULL. */
static const char *schema_type(const json_t *schema)
{
    const json_t *t = json_object_get(schema, "type");
    if (json_is_string(t))
        return json_string_value(t);
    size_t i;
    const json_t *e;
    json_array_foreach (t, i, e) {
        if (json_is_string(e) && strcmp(json_string_value(e), "null") != 0)
            return json_string_value(e);
    }
    if (json_object_get(schema, "properties") || json_object_get(schema, "required"))
        return "object";
    if (json_object_get(schema, "items"))
        return "array";
    return NULL;
}

char *ls_schema_violation(const struct ls_chat *chat)
{
    if (chat->format == LS_FORMAT_TEXT)
        return xstrdup("This answer ignores the requested format.");
    if (chat->format == LS_FORMAT_JSON_OBJECT)
        return xstrdup("[{\"unexpected\":true}]"); /* an array where an object is expected */
    const char *type = schema_type(chat->schema);
    if (!type)
        return xstrdup("{\"unexpected\":true}");
    if (strcmp(type, "object") == 0) {
        const json_t *required = json_object_get(chat->schema, "required");
        /* lacks every required property; with none required, the wrong type */
        if (json_is_array(required) && json_array_size(required) > 0)
            return xstrdup("{\"unexpected\":true}");
        return xstrdup("[\"unexpected\"]");
    }
    if (strcmp(type, "string") == 0)
        return xstrdup("12345");
    return xstrdup("{\"unexpected\":true}"); /* array, number, integer, boolean, null */
}

char *ls_prose_wrap(const char *content)
{
    struct buf b;
    buf_init(&b, LS_TEXT_MAX);
    buf_addf(&b,
             "Sure! Here is my answer:\n```json\n%s\n```\nLet me know if you need anything else.",
             content);
    return buf_detach(&b, NULL);
}

/* ---- the script ------------------------------------------------------------------------------ */

/* Reads the whole file into a malloc'd buffer. */
static char *read_file(const char *path, size_t *len, struct err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(err, ERR_INVALID, "--script", "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct buf b;
    buf_init(&b, SCRIPT_MAX_BYTES);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (!buf_add(&b, chunk, n))
            break;
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad || b.failed) {
        err_set(err, ERR_INVALID, "--script", "%s: %s", path,
                bad ? "cannot read the file" : "larger than 64 MiB");
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, len);
}

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

enum err_code ls_script_load(struct ls_script *s, const char *path, struct err *err)
{
    memset(s, 0, sizeof(*s));
    atomic_init(&s->next, 0);
    size_t len = 0, alloc = 0;
    char *text = read_file(path, &len, err);
    if (!text)
        return ERR_INVALID;
    enum err_code rc = ERR_OK;
    size_t line = 0;
    for (size_t pos = 0; pos < len && !rc;) {
        const char *p = text + pos;
        const char *nl = memchr(p, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - p) : len - pos;
        pos += n + (nl ? 1 : 0);
        line++;
        if (blank(p, n))
            continue;
        json_error_t jerr;
        json_t *v = json_loadb(p, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
        if (!v) {
            rc = err_set(err, ERR_INVALID, "--script", "%s:%zu: column %d: %s", path, line,
                         jerr.column, jerr.text);
            break;
        }
        ALLOC_GROW(s->answers, s->n + 1, alloc);
        s->answers[s->n++] = json_is_string(v) ? xstrdup(json_string_value(v))
                                               : jsonio_dump(v, JSON_ENCODE_ANY, NULL);
        json_decref(v);
    }
    free(text);
    if (!rc && s->n == 0)
        rc = err_set(err, ERR_INVALID, "--script", "%s: no answers (every line is blank)", path);
    if (rc)
        ls_script_release(s);
    return rc;
}

void ls_script_release(struct ls_script *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->answers[i]);
    FREE_AND_NULL(s->answers);
    s->n = 0;
}

const char *ls_script_next(struct ls_script *s, bool take)
{
    size_t i = take ? atomic_fetch_add(&s->next, 1) : atomic_load(&s->next);
    if (i >= s->n) {
        if (!s->loop)
            return NULL;
        i %= s->n;
    }
    return s->answers[i];
}

size_t ls_script_size(const struct ls_script *s)
{
    return s->n;
}

/* ---- completions and chunks -------------------------------------------------------------------
 */

int64_t ls_tokens(size_t chars)
{
    return (int64_t)((chars + 3) / 4);
}

size_t ls_limit_content(const char *content, size_t len, int64_t max_tokens, bool *cut)
{
    *cut = false;
    if (max_tokens <= 0 || (uint64_t)max_tokens > SIZE_MAX / 8)
        return len;
    size_t max_chars = (size_t)max_tokens * 4;
    if (utf8_chars(content, len) <= max_chars)
        return len;
    *cut = true;
    return utf8_prefix(content, len, max_chars);
}

static json_t *usage_json(int64_t prompt, int64_t completion)
{
    json_t *u = json_object();
    jsonio_set_new(u, "prompt_tokens", json_integer(prompt));
    jsonio_set_new(u, "completion_tokens", json_integer(completion));
    jsonio_set_new(u, "total_tokens", json_integer(prompt + completion));
    return u;
}

/* The fields every completion object and chunk starts with. */
static json_t *completion_head(const struct ls_completion *c, const char *object)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", c->id);
    jsonio_set_str(o, "object", object);
    jsonio_set_new(o, "created", json_integer(c->created));
    jsonio_set_str(o, "model", c->model);
    jsonio_set_str(o, "system_fingerprint", "fp_crowdelic");
    return o;
}

char *ls_completion_body(const struct ls_completion *c, size_t *len)
{
    json_t *msg = json_object();
    jsonio_set_str(msg, "role", "assistant");
    jsonio_set_new(msg, "content", jsonio_string(c->content, c->content_len));
    jsonio_set_new(msg, "refusal", json_null());
    json_t *choice = json_object();
    jsonio_set_new(choice, "index", json_integer(0));
    jsonio_set_new(choice, "message", msg);
    jsonio_set_new(choice, "logprobs", json_null());
    jsonio_set_str(choice, "finish_reason", c->finish_reason);
    json_t *choices = json_array();
    json_array_append_new(choices, choice);
    json_t *o = completion_head(c, "chat.completion");
    jsonio_set_new(o, "choices", choices);
    jsonio_set_new(o, "usage", usage_json(c->prompt_tokens, c->completion_tokens));
    char *text = jsonio_dump(o, 0, len);
    json_decref(o);
    return text;
}

void ls_events_add(struct ls_events *ev, char *data, size_t len)
{
    ALLOC_GROW(ev->items, ev->n + 1, ev->alloc);
    ev->items[ev->n++] = (struct ls_event){ .data = data, .len = len };
}

void ls_events_free(struct ls_events *ev)
{
    for (size_t i = 0; i < ev->n; i++)
        free(ev->items[i].data);
    FREE_AND_NULL(ev->items);
    ev->n = ev->alloc = 0;
}

/* One chat.completion.chunk with delta (stolen) and finish_reason (NULL: null). */
static void add_chunk(struct ls_events *ev, const struct ls_completion *c, bool include_usage,
                      json_t *delta, const char *finish_reason)
{
    json_t *choice = json_object();
    jsonio_set_new(choice, "index", json_integer(0));
    jsonio_set_new(choice, "delta", delta);
    jsonio_set_new(choice, "logprobs", json_null());
    jsonio_set_str(choice, "finish_reason", finish_reason);
    json_t *choices = json_array();
    json_array_append_new(choices, choice);
    json_t *o = completion_head(c, "chat.completion.chunk");
    jsonio_set_new(o, "choices", choices);
    if (include_usage)
        jsonio_set_new(o, "usage", json_null()); /* as OpenAI: null until the last chunk */
    size_t len;
    char *text = jsonio_dump(o, 0, &len);
    json_decref(o);
    ls_events_add(ev, text, len);
}

void ls_stream_events(const struct ls_completion *c, bool include_usage, struct ls_events *out)
{
    json_t *delta = json_object();
    jsonio_set_str(delta, "role", "assistant");
    jsonio_set_str(delta, "content", "");
    add_chunk(out, c, include_usage, delta, NULL);

    for (size_t pos = 0; pos < c->content_len;) {
        size_t n = utf8_prefix(c->content + pos, c->content_len - pos, LS_STREAM_PIECE);
        delta = json_object();
        jsonio_set_new(delta, "content", jsonio_string(c->content + pos, n));
        add_chunk(out, c, include_usage, delta, NULL);
        pos += n;
    }
    add_chunk(out, c, include_usage, json_object(), c->finish_reason);

    if (include_usage) {
        json_t *o = completion_head(c, "chat.completion.chunk");
        jsonio_set_new(o, "choices", json_array());
        jsonio_set_new(o, "usage", usage_json(c->prompt_tokens, c->completion_tokens));
        size_t len;
        char *text = jsonio_dump(o, 0, &len);
        json_decref(o);
        ls_events_add(out, text, len);
    }
}

json_t *ls_error_json(const char *message, const char *type, const char *param, const char *code)
{
    json_t *inner = json_object();
    jsonio_set_str(inner, "message", message);
    jsonio_set_str(inner, "type", type);
    jsonio_set_str(inner, "param", param);
    jsonio_set_str(inner, "code", code);
    json_t *body = json_object();
    jsonio_set_new(body, "error", inner);
    return body;
}

/* ---- embeddings --------------------------------------------------------------------------- */

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

void ls_embed(const char *text, size_t n, size_t dim, double *out)
{
    memset(out, 0, dim * sizeof(*out));
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < n) {
        if (!word_byte(p[i])) {
            i++;
            continue;
        }
        uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a 64 */
        for (; i < n && word_byte(p[i]); i++) {
            unsigned char c = p[i];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c - 'A' + 'a');
            h ^= c;
            h *= UINT64_C(1099511628211);
        }
        out[h % dim] += (h >> 63) ? -1.0 : 1.0;
    }
    double sum = 0;
    for (size_t k = 0; k < dim; k++)
        sum += out[k] * out[k];
    if (sum > 0) {
        double norm = sqrt(sum);
        for (size_t k = 0; k < dim; k++)
            out[k] /= norm;
    }
}

char *ls_embeddings_body(const char *const *inputs, const size_t *lens, size_t n_inputs, size_t dim,
                         const char *model, size_t *len)
{
    double *v = xcalloc(dim, sizeof(*v));
    struct buf b;
    buf_init(&b, LS_TEXT_MAX);
    size_t chars = 0;
    buf_adds(&b, "{\"object\":\"list\",\"data\":[");
    for (size_t i = 0; i < n_inputs; i++) {
        ls_embed(inputs[i], lens[i], dim, v);
        chars += utf8_chars(inputs[i], lens[i]);
        buf_addf(&b, "%s{\"object\":\"embedding\",\"index\":%zu,\"embedding\":[", i ? "," : "", i);
        for (size_t k = 0; k < dim; k++)
            buf_addf(&b, "%s%.9g", k ? "," : "", v[k] == 0 ? 0.0 : v[k]);
        buf_adds(&b, "]}");
    }
    buf_adds(&b, "],\"model\":\"");
    buf_add_json_escaped(&b, model, strlen(model));
    int64_t tokens = ls_tokens(chars);
    buf_addf(&b, "\",\"usage\":{\"prompt_tokens\":%" PRId64 ",\"total_tokens\":%" PRId64 "}}",
             tokens, tokens);
    free(v);
    return buf_detach(&b, len);
}

/* ---- the offline responder ------------------------------------------------------------------ */

char *ls_offline_content(struct llm_provider *offline, const json_t *body, struct err *err)
{
    struct llm_request *req = llm_request_new("chat");
    size_t i;
    const json_t *m;
    json_array_foreach (json_object_get(body, "messages"), i, m) {
        const char *role = json_string_value(json_object_get(m, "role"));
        const json_t *content = json_object_get(m, "content");
        if (!role || !given(content))
            continue;
        struct buf text;
        buf_init(&text, LS_TEXT_MAX);
        if (content_text(content, i, &text, NULL) == ERR_OK) {
            enum llm_role r = strcmp(role, "assistant") == 0 ? LLM_ROLE_ASSISTANT
                              : strcmp(role, "user") == 0    ? LLM_ROLE_USER
                                                             : LLM_ROLE_SYSTEM;
            llm_request_add(req, r, text.data);
        }
        buf_release(&text);
    }
    const json_t *seed = json_object_get(body, "seed");
    if (json_is_integer(seed)) {
        req->has_seed = true;
        req->seed = json_integer_value(seed);
    }
    char *content = NULL;
    enum err_code rc = offline_provider_answer(offline, req, &content, err);
    llm_request_free(req);
    if (rc) {
        free(content);
        char why[256];
        snprintf(why, sizeof(why), "%s", err && err->msg[0] ? err->msg : "not a task");
        err_set(err, ERR_INVALID, "messages", "messages: %s", why);
        return NULL;
    }
    return content;
}
