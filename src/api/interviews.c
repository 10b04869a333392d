/*
 * api/interviews.c - interviews with one persona (domain/interviews.h):
 *   POST   /api/personas/:id/chat  {message, conversation_id?}
 *       With "Accept: text/event-stream" the answer streams as events:
 *         conversation {conversation_id, new}   first
 *         delta        {text}                   the reply, a few words each
 *         message      {conversation_id, question, answer, usage}   last
 *         error        {error: {code, message, field?}}   instead, on failure
 *       Otherwise one JSON answer: the message event's object (201 when the
 *       conversation is new, 200 otherwise).
 *   GET    /api/personas/:id/conversations            the latest first, paged
 *   GET    /api/personas/:id/conversations/:cid       with its messages
 *   DELETE /api/personas/:id/conversations/:cid
 * The model's turn runs on the worker pool.
 */
#include "core/compat.h"

#include <strings.h>

#include "api/app.h"
#include "api/bodies.h"
#include "api/guard.h"
#include "api/handlers.h"
#include "api/views.h"
#include "core/buf.h"
#include "core/jsonio.h"
#include "core/pool.h"
#include "core/utf8.h"
#include "core/workpool.h"
#include "core/xalloc.h"
#include "domain/interviews.h"
#include "http/request.h"
#include "http/response.h"
#include "http/sse.h"

#define DELTA_WORDS 4 /* words in one delta event */

static json_t *message_json(const struct interview_message *m)
{
    json_t *o = json_object();
    jsonio_set_new(o, "seq", json_integer(m->seq));
    jsonio_set_str(o, "role", message_role_name(m->role));
    jsonio_set_str(o, "content", m->content);
    if (m->model)
        jsonio_set_str(o, "model", m->model);
    jsonio_set_new(o, "created_at", view_time(m->created_at, false));
    return o;
}

static json_t *conversation_json(const struct conversation *c, bool with_messages)
{
    json_t *o = json_object();
    jsonio_set_str(o, "id", c->id);
    jsonio_set_str(o, "persona_id", c->persona_id);
    jsonio_set_str(o, "user_id", c->user_id);
    jsonio_set_str(o, "title", c->title);
    jsonio_set_new(o, "message_count", json_integer(c->n_messages));
    jsonio_set_new(o, "created_at", view_time(c->created_at, false));
    jsonio_set_new(o, "updated_at", view_time(c->updated_at, false));
    if (with_messages) {
        json_t *list = json_array();
        for (size_t i = 0; i < c->n_loaded; i++)
            json_array_append_new(list, message_json(&c->messages[i]));
        jsonio_set_new(o, "messages", list);
    }
    return o;
}

static json_t *exchange_json(const struct interview_reply *r)
{
    json_t *o = json_object();
    jsonio_set_str(o, "conversation_id", r->conversation_id);
    jsonio_set_new(o, "new_conversation", json_boolean(r->new_conversation));
    jsonio_set_new(o, "question", message_json(&r->question));
    jsonio_set_new(o, "answer", message_json(&r->answer));
    json_t *usage = json_object();
    jsonio_set_new(usage, "tokens_in", json_integer(r->tokens_in));
    jsonio_set_new(usage, "tokens_out", json_integer(r->tokens_out));
    jsonio_set_new(usage, "cost_usd", json_real((double)r->cost_micros / 1e6));
    jsonio_set_new(o, "usage", usage);
    return o;
}

/* ---- chat ------------------------------------------------------------------------------------ */

struct chat_task {
    struct req *req;           /* JSON answers */
    struct sse_stream *stream; /* event streams: our reference */
    const struct app *app;
    struct caller caller;
    char *persona_id, *conversation_id, *message;
    uint64_t event_id;
};

static void chat_task_free(struct chat_task *t)
{
    free(t->persona_id);
    free(t->conversation_id);
    free(t->message);
    free(t);
}

/* Sends one event of JSON o (taken). */
static void send_json(struct chat_task *t, const char *event, json_t *o)
{
    size_t len;
    char *text = jsonio_dump(o, 0, &len);
    sse_send(t->stream, ++t->event_id, event, text, len, NULL);
    free(text);
    json_decref(o);
}

/* The reply in pieces of a few words, as a model would stream it. */
static void send_deltas(struct chat_task *t, const char *text)
{
    size_t len = strlen(text), start = 0, words = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != ' ')
            continue;
        if (++words < DELTA_WORDS && i < len)
            continue;
        size_t end = i < len ? i + 1 : len;
        if (end > start) {
            json_t *o = json_object();
            jsonio_set_new(o, "text", jsonio_string(text + start, end - start));
            send_json(t, "delta", o);
        }
        start = end;
        words = 0;
    }
}

static void stream_answer(struct chat_task *t, enum err_code rc, const struct err *err,
                          const struct interview_reply *r)
{
    if (rc) {
        send_json(t, "error",
                  json_pack("{s:{s:s,s:s}}", "error", "code", err_slug(rc), "message",
                            err_http_status(rc) >= 500 && rc != ERR_UNAVAILABLE &&
                                    rc != ERR_UPSTREAM && rc != ERR_TIMEOUT
                                ? "internal error"
                                : err->msg));
    } else {
        json_t *c = json_object();
        jsonio_set_str(c, "conversation_id", r->conversation_id);
        jsonio_set_new(c, "new", json_boolean(r->new_conversation));
        send_json(t, "conversation", c);
        send_deltas(t, r->answer.content);
        send_json(t, "message", exchange_json(r));
    }
    sse_close(t->stream);
    sse_unref(t->stream);
}

static void chat_run(void *arg)
{
    struct chat_task *t = arg;
    struct err err = ERR_INIT;
    struct interview_reply r;
    enum err_code rc = interview_reply(t->app->store, t->app->llm, NULL, &t->caller, t->persona_id,
                                       t->conversation_id, t->message, &r, &err);
    if (t->stream) {
        stream_answer(t, rc, &err, &r);
    } else {
        if (rc)
            resp_error(t->req, &err);
        else
            resp_json_take(t->req, r.new_conversation ? 201 : 200, exchange_json(&r));
        req_complete(t->req);
    }
    interview_reply_release(&r);
    chat_task_free(t);
}

static bool wants_stream(const struct req *req)
{
    const char *accept = req_header(req, "Accept");
    return accept && strcasestr(accept, "text/event-stream") != NULL;
}

enum err_code interviews_chat(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    json_t *body = NULL;
    enum err_code rc = req_json(req, &body, err);
    if (!rc)
        rc = api_body_check(body, &BODY_INTERVIEW_CHAT, err);
    if (rc)
        return rc;
    struct chat_task *t = xcalloc(1, sizeof(*t));
    t->app = app;
    t->caller = *api_caller(req);
    t->persona_id = xstrdup(req_param(req, "id"));
    t->message = xstrdup(json_string_value(json_object_get(body, "message")));
    const char *cid = json_string_value(json_object_get(body, "conversation_id"));
    t->conversation_id = cid ? xstrdup(cid) : NULL;
    if (wants_stream(req)) {
        rc = sse_open(req, &t->stream, err);
        if (!rc)
            rc = workpool_submit(app->model_workers, chat_run, t, err);
        if (rc && t->stream) {
            sse_close(t->stream);
            sse_unref(t->stream);
        }
        if (rc)
            chat_task_free(t);
        return rc;
    }
    t->req = req;
    req_defer(req);
    rc = workpool_submit(app->model_workers, chat_run, t, err);
    if (rc) {
        chat_task_free(t);
        resp_error(req, err);
        req_complete(req);
    }
    return ERR_OK;
}

/* ---- conversations --------------------------------------------------------------------------- */

enum err_code interviews_list(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    int64_t limit, offset;
    enum err_code rc = view_page_args(req, 20, INTERVIEW_PAGE_MAX, &limit, &offset, err);
    struct conversation_page pg = { 0 };
    if (!rc)
        rc = conversations_list(app->store, api_caller(req), req_param(req, "id"), limit, offset,
                                &pg, err);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (size_t i = 0; i < pg.n; i++)
        json_array_append_new(list, conversation_json(&pg.items[i], false));
    json_t *body = view_page("conversations", list, pg.total, pg.limit, pg.offset);
    conversation_page_release(&pg);
    resp_json_take(req, 200, body);
    return ERR_OK;
}

enum err_code interviews_get(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    struct conversation c = { 0 };
    enum err_code rc = conversations_get(app->store, api_caller(req), req_param(req, "id"),
                                         req_param(req, "cid"), &c, err);
    if (rc)
        return rc;
    resp_json_take(req, 200, conversation_json(&c, true));
    conversation_release(&c);
    return ERR_OK;
}

enum err_code interviews_delete(struct req *req, struct err *err)
{
    const struct app *app = req_app(req);
    enum err_code rc = conversations_delete(app->store, api_caller(req), req_param(req, "id"),
                                            req_param(req, "cid"), err);
    if (rc)
        return rc;
    resp_empty(req, 204);
    return ERR_OK;
}
