/*
 * domain/interviews.c - conversations with one persona (domain/interviews.h):
 * the rows (conversations, conversation_messages) and one exchange, an
 * agent turn over the replayed conversation.
 */
#include "core/compat.h"

#include "domain/interviews.h"

#include "core/clock.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "domain/check.h"
#include "domain/personas.h"
#include "engine/agent.h"
#include "engine/engine.h"
#include "store/store.h"

#define CONVERSATION_COLUMNS "id, persona_id, user_id, title, messages, created_at, updated_at"
#define MESSAGE_COLUMNS      "seq, role, content, model, created_at"

static const char *const ROLE_NAMES[] = { "user", "persona" };

const char *message_role_name(enum message_role r)
{
    return ROLE_NAMES[r];
}

static void message_release(struct interview_message *m)
{
    free(m->content);
    free(m->model);
    memset(m, 0, sizeof(*m));
}

void conversation_release(struct conversation *c)
{
    free(c->title);
    for (size_t i = 0; i < c->n_loaded; i++)
        message_release(&c->messages[i]);
    free(c->messages);
    memset(c, 0, sizeof(*c));
}

void conversation_page_release(struct conversation_page *pg)
{
    for (size_t i = 0; i < pg->n; i++)
        conversation_release(&pg->items[i]);
    free(pg->items);
    memset(pg, 0, sizeof(*pg));
}

void interview_reply_release(struct interview_reply *r)
{
    message_release(&r->question);
    message_release(&r->answer);
}

/* ---- rows ----------------------------------------------------------------------------------- */

static void read_conversation(struct store_stmt *st, struct conversation *c)
{
    snprintf(c->id, sizeof(c->id), "%s", store_col_text(st, 0));
    snprintf(c->persona_id, sizeof(c->persona_id), "%s", store_col_text(st, 1));
    snprintf(c->user_id, sizeof(c->user_id), "%s", store_col_text(st, 2));
    c->title = xstrdup(store_col_text(st, 3));
    c->n_messages = store_col_int64(st, 4);
    c->created_at = store_col_int64(st, 5);
    c->updated_at = store_col_int64(st, 6);
}

static void read_message(struct store_stmt *st, struct interview_message *m)
{
    m->seq = store_col_int64(st, 0);
    m->role = strcmp(store_col_text(st, 1), "persona") == 0 ? MESSAGE_PERSONA : MESSAGE_USER;
    m->content = xstrdup(store_col_text(st, 2));
    m->model = store_col_is_null(st, 3) ? NULL : xstrdup(store_col_text(st, 3));
    m->created_at = store_col_int64(st, 4);
}

static enum err_code conversation_not_found(const char *id, struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "id", "no conversation '%s'", id);
}

/* Reads conversation id of persona_id in the caller's workspace on conn. */
static enum err_code conversation_on(struct store_conn *conn, const struct caller *c,
                                     const char *persona_id, const char *id,
                                     struct conversation *out, struct err *err)
{
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(persona_id),
                               STORE_TEXT(c->workspace_id) };
    struct store_stmt *st = NULL;
    enum err_code rc =
        store_prepare_params(conn,
                             "SELECT " CONVERSATION_COLUMNS " FROM conversations WHERE id = ? AND "
                             "persona_id = ? AND workspace_id = ?",
                             p, ARRAY_SIZE(p), &st, err);
    bool row = false;
    if (!rc)
        rc = store_step(st, &row, err);
    if (!rc && row)
        read_conversation(st, out);
    store_finalize(st);
    if (!rc && !row)
        rc = conversation_not_found(id, err);
    return rc;
}

/* The last `last` messages (all when 0) of conversation id, in order, into out. */
static enum err_code messages_on(struct store_conn *conn, struct conversation *out, int64_t last,
                                 struct err *err)
{
    int64_t skip = last && out->n_messages > last ? out->n_messages - last : 0;
    struct store_param p[] = { STORE_TEXT(out->id), STORE_INT(skip) };
    struct store_stmt *st = NULL;
    enum err_code rc =
        store_prepare_params(conn,
                             "SELECT " MESSAGE_COLUMNS " FROM conversation_messages WHERE "
                             "conversation_id = ? AND seq > ? ORDER BY seq",
                             p, ARRAY_SIZE(p), &st, err);
    size_t alloc = 0;
    bool row = true;
    while (!rc && row) {
        rc = store_step(st, &row, err);
        if (rc || !row)
            break;
        if (out->n_loaded == alloc) {
            alloc = alloc ? alloc * 2 : 16;
            out->messages = xrealloc(out->messages, alloc * sizeof(*out->messages));
        }
        read_message(st, &out->messages[out->n_loaded++]);
    }
    store_finalize(st);
    return rc;
}

/* Checks the persona exists in the caller's workspace (the conversations' parent). */
static enum err_code persona_exists(struct store *s, const struct caller *c, const char *id,
                                    struct err *err)
{
    struct persona_record r;
    enum err_code rc = personas_fetch(s, c, id, &r, err);
    persona_record_release(&r);
    return rc;
}

static void read_conversation_item(struct store_stmt *st, void *item, void *ctx)
{
    (void)ctx;
    read_conversation(st, item);
}

enum err_code conversations_list(struct store *s, const struct caller *c, const char *persona_id,
                                 int64_t limit, int64_t offset, struct conversation_page *out,
                                 struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->limit = limit;
    out->offset = offset;
    enum err_code rc = check_page(limit, offset, INTERVIEW_PAGE_MAX, err);
    if (!rc)
        rc = persona_exists(s, c, persona_id, err);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_TEXT(persona_id), STORE_TEXT(c->workspace_id) };
    struct store_page_query q = {
        .count_sql = "SELECT COUNT(*) FROM conversations WHERE persona_id = ? AND "
                     "workspace_id = ?",
        .page_sql = "SELECT " CONVERSATION_COLUMNS " FROM conversations WHERE persona_id = ? AND "
                    "workspace_id = ? ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
        .params = p,
        .n = ARRAY_SIZE(p),
        .limit = limit,
        .offset = offset,
        .item_size = sizeof(*out->items),
        .read = read_conversation_item,
    };
    void *items = NULL;
    rc = store_read_page(s, &q, &items, &out->n, &out->total, err);
    out->items = items;
    if (rc)
        conversation_page_release(out);
    return rc;
}

enum err_code conversations_get(struct store *s, const struct caller *c, const char *persona_id,
                                const char *id, struct conversation *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    enum err_code rc = check_id(persona_id, "persona", err);
    if (!rc)
        rc = check_id(id, "conversation", err);
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    rc = conversation_on(conn, c, persona_id, id, out, err);
    if (!rc)
        rc = messages_on(conn, out, 0, err);
    store_release(s, conn);
    if (rc)
        conversation_release(out);
    return rc;
}

enum err_code conversations_delete(struct store *s, const struct caller *c, const char *persona_id,
                                   const char *id, struct err *err)
{
    enum err_code rc = check_id(persona_id, "persona", err);
    if (!rc)
        rc = check_id(id, "conversation", err);
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (rc)
        return rc;
    struct store_param p[] = { STORE_TEXT(id), STORE_TEXT(persona_id),
                               STORE_TEXT(c->workspace_id) };
    int64_t changed = 0;
    rc = store_run(conn,
                   "DELETE FROM conversations WHERE id = ? AND persona_id = ? AND workspace_id = ?",
                   p, ARRAY_SIZE(p), &changed, err);
    store_release(s, conn);
    if (!rc && changed == 0)
        rc = conversation_not_found(id, err);
    return rc;
}

/* ---- one exchange ---------------------------------------------------------------------------- */

/* The persona's turn over the conversation so far and the new message: its TALK. */
static enum err_code persona_turn(struct llm_gateway *gw, const char *model, const struct caller *c,
                                  struct persona *persona, const struct conversation *conv,
                                  const char *message, struct interview_reply *out, struct err *err)
{
    struct agent *a = agent_new(persona);
    const char *self = agent_name(a);
    struct strlist context = { 0 };
    strlist_add(&context, "an interview: a researcher asks you about yourself and your views");
    agent_set_context(a, &context);
    strlist_release(&context);
    for (size_t i = 0; i < conv->n_loaded; i++) {
        const struct interview_message *m = &conv->messages[i];
        agent_perceive(a, STIMULUS_CONVERSATION, m->content,
                       m->role == MESSAGE_USER ? INTERVIEWER : self);
    }
    agent_perceive(a, STIMULUS_CONVERSATION, message, INTERVIEWER);

    struct engine e = { .gw = gw, .model = model && *model ? model : NULL };
    snprintf(e.tags.workspace, sizeof(e.tags.workspace), "%s", c->workspace_id);
    char seq[24];
    snprintf(seq, sizeof(seq), "%" PRId64, conv->n_messages + 1);
    struct engine_usage usage = { 0 };
    struct task *t = agent_turn_task(a, NULL);
    struct llm_response *resp =
        engine_ask(&e, t, engine_seed(0, "interview", out->conversation_id, seq, NULL),
                   conv->persona_id, &usage);
    struct turn_result tr = { 0 };
    enum err_code rc = agent_turn_commit(a, t, resp, &tr, err);
    const char *said = NULL;
    for (size_t i = 0; !rc && i < tr.n_actions; i++)
        if (tr.actions[i].type == ACTION_TALK && tr.actions[i].content)
            said = tr.actions[i].content;
    if (!rc && !said)
        rc = err_set(err, ERR_UPSTREAM, NULL, "the model answered without the persona speaking");
    if (!rc) {
        out->answer.content = xstrdup(said);
        out->answer.model = xstrdup(resp->model ? resp->model : "");
    }
    out->tokens_in = usage.tokens_in;
    out->tokens_out = usage.tokens_out;
    out->cost_micros = usage.cost_micros;
    turn_result_release(&tr);
    llm_response_free(resp);
    task_free(t);
    agent_free(a);
    return rc;
}

/* The title of a conversation: its first message, cut at INTERVIEW_TITLE_MAX characters. */
static char *title_of(const char *message)
{
    size_t len = strlen(message);
    size_t cut = utf8_prefix(message, len, INTERVIEW_TITLE_MAX);
    char *t = xmemdupz(message, cut);
    for (char *p = t; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return t;
}

static enum err_code insert_message(struct store_conn *conn, const char *conversation_id,
                                    const struct interview_message *m, struct err *err)
{
    struct store_param p[] = {
        STORE_TEXT(conversation_id), STORE_INT(m->seq),    STORE_TEXT(message_role_name(m->role)),
        STORE_TEXT(m->content),      STORE_TEXT(m->model), STORE_INT(m->created_at)
    };
    return store_run(conn,
                     "INSERT INTO conversation_messages (conversation_id, seq, role, content, "
                     "model, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                     p, ARRAY_SIZE(p), NULL, err);
}

/*
 * Stores the exchange: the conversation (when new) and both messages, in one
 * write transaction that checks nobody else added a message meanwhile.
 */
static enum err_code store_exchange(struct store_conn *conn, const struct caller *c,
                                    const struct conversation *conv, const char *message,
                                    struct interview_reply *out, struct err *err)
{
    int64_t now = clock_now_ms();
    enum err_code rc = store_begin_write(conn, err);
    if (!rc && out->new_conversation) {
        char *title = title_of(message);
        struct store_param p[] = { STORE_TEXT(out->conversation_id),
                                   STORE_TEXT(c->workspace_id),
                                   STORE_TEXT(conv->persona_id),
                                   STORE_TEXT(c->user_id),
                                   STORE_TEXT(title),
                                   STORE_INT(now),
                                   STORE_INT(now) };
        rc = store_run(conn,
                       "INSERT INTO conversations (id, workspace_id, persona_id, user_id, title, "
                       "messages, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                       p, ARRAY_SIZE(p), NULL, err);
        free(title);
    }
    int64_t changed = 0;
    if (!rc) {
        struct store_param p[] = { STORE_INT(conv->n_messages + 2), STORE_INT(now),
                                   STORE_TEXT(out->conversation_id), STORE_INT(conv->n_messages) };
        rc = store_run(conn,
                       "UPDATE conversations SET messages = ?, updated_at = ? WHERE id = ? AND "
                       "messages = ?",
                       p, ARRAY_SIZE(p), &changed, err);
    }
    if (!rc && changed == 0)
        rc = err_set(err, ERR_CONFLICT, "conversation_id",
                     "conversation_id: another message was added meanwhile; send yours again");
    out->question = (struct interview_message){ conv->n_messages + 1, MESSAGE_USER,
                                                xstrdup(message), NULL, now };
    out->answer.seq = conv->n_messages + 2;
    out->answer.role = MESSAGE_PERSONA;
    out->answer.created_at = now;
    if (!rc)
        rc = insert_message(conn, out->conversation_id, &out->question, err);
    if (!rc)
        rc = insert_message(conn, out->conversation_id, &out->answer, err);
    return store_end(conn, rc, err);
}

/* The conversation so far (a new one: empty, with a new id). */
static enum err_code open_conversation(struct store *s, const struct caller *c,
                                       const char *persona_id, const char *conversation_id,
                                       struct conversation *conv, struct interview_reply *out,
                                       struct err *err)
{
    if (!conversation_id || !*conversation_id) {
        ids_uuid7(conv->id);
        snprintf(conv->persona_id, sizeof(conv->persona_id), "%s", persona_id);
        snprintf(out->conversation_id, sizeof(out->conversation_id), "%s", conv->id);
        out->new_conversation = true;
        return ERR_OK;
    }
    enum err_code rc = check_id(conversation_id, "conversation", err);
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (rc)
        return rc == ERR_NOT_FOUND ? err_recast(err, rc, "conversation_id") : rc;
    rc = conversation_on(conn, c, persona_id, conversation_id, conv, err);
    if (rc == ERR_NOT_FOUND)
        err_recast(err, rc, "conversation_id");
    if (!rc && conv->n_messages + 2 > INTERVIEW_LENGTH_MAX)
        rc = err_set(err, ERR_CONFLICT, "conversation_id",
                     "conversation_id: a conversation holds at most %d messages; start a new one",
                     INTERVIEW_LENGTH_MAX);
    if (!rc)
        rc = messages_on(conn, conv, INTERVIEW_HISTORY_MAX, err);
    store_release(s, conn);
    snprintf(out->conversation_id, sizeof(out->conversation_id), "%s", conv->id);
    return rc;
}

enum err_code interview_reply(struct store *s, struct llm_gateway *gw, const char *model,
                              const struct caller *c, const char *persona_id,
                              const char *conversation_id, const char *message,
                              struct interview_reply *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct span text;
    enum err_code rc = check_text("message", message, 1, INTERVIEW_MESSAGE_MAX,
                                  TEXT_MULTILINE | TEXT_TRIM, &text, err);
    struct persona *p = NULL;
    if (!rc)
        rc = personas_load(s, c, persona_id, &p, err);
    struct conversation conv = { 0 };
    if (!rc)
        rc = open_conversation(s, c, persona_id, conversation_id, &conv, out, err);
    if (!rc && !gw)
        rc = err_set(err, ERR_UNAVAILABLE, NULL, "no language model is available");
    char *trimmed = rc ? NULL : xmemdupz(text.ptr, text.len);
    if (!rc) {
        rc = persona_turn(gw, model, c, p, &conv, trimmed, out, err);
        p = NULL; /* the agent took it */
    }
    struct store_conn *conn = NULL;
    if (!rc)
        rc = store_acquire(s, &conn, err);
    if (!rc) {
        rc = store_exchange(conn, c, &conv, trimmed, out, err);
        store_release(s, conn);
    }
    free(trimmed);
    persona_free(p);
    conversation_release(&conv);
    if (rc)
        interview_reply_release(out);
    return rc;
}
