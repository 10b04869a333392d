/*
 * domain/interviews.h - interviews (SPEC.md 3): a conversation between a
 * member of the workspace and one persona, kept with all its messages and
 * listed per persona.
 *
 * Each reply is one agent turn (engine/agent.h): a fresh agent for the
 * persona perceives the conversation so far in order - the member's
 * messages from INTERVIEWER, its own earlier replies under its own name,
 * the last INTERVIEW_HISTORY_MAX messages at most - then the new message,
 * and its TALK is the reply. The memory across messages is that replay, so
 * a reply depends only on the stored conversation, the persona and the
 * seed (the conversation's id and the message's number), never on which
 * server answered.
 *
 * The member's message is stored only with its reply: a failed model call
 * leaves the conversation as it was. Tenancy as in domain/personas.h.
 * Threading: any thread; interview_reply runs as long as the model takes.
 */
#ifndef DOMAIN_INTERVIEWS_H
#define DOMAIN_INTERVIEWS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"
#include "domain/accounts.h"

struct store;
struct llm_gateway;

#define INTERVIEWER           "Interviewer"
#define INTERVIEW_MESSAGE_MAX 4000 /* characters of one message */
#define INTERVIEW_HISTORY_MAX 40   /* earlier messages an answer sees */
#define INTERVIEW_LENGTH_MAX  200  /* messages in one conversation */
#define INTERVIEW_TITLE_MAX   80   /* characters of a title (the first message, cut) */
#define INTERVIEW_PAGE_MAX    100

enum message_role {
    MESSAGE_USER,
    MESSAGE_PERSONA,
};

const char *message_role_name(enum message_role r); /* "user", "persona" */

struct interview_message {
    int64_t seq; /* 1, 2, ... */
    enum message_role role;
    char *content;
    char *model; /* persona messages: who answered */
    int64_t created_at;
};

struct conversation {
    char id[IDS_UUID_LEN];
    char persona_id[IDS_UUID_LEN];
    char user_id[IDS_UUID_LEN];
    char *title;
    int64_t n_messages;
    int64_t created_at, updated_at;
    struct interview_message *messages; /* filled by interviews_get only */
    size_t n_loaded;
};

void conversation_release(struct conversation *c);

struct conversation_page {
    struct conversation *items;
    size_t n;
    int64_t total, limit, offset;
};

void conversation_page_release(struct conversation_page *pg);

/* The conversations with persona persona_id, the latest first. */
enum err_code conversations_list(struct store *s, const struct caller *c, const char *persona_id,
                                 int64_t limit, int64_t offset, struct conversation_page *out,
                                 struct err *err);

/* One conversation with all its messages. */
enum err_code conversations_get(struct store *s, const struct caller *c, const char *persona_id,
                                const char *id, struct conversation *out, struct err *err);

enum err_code conversations_delete(struct store *s, const struct caller *c, const char *persona_id,
                                   const char *id, struct err *err);

/* What one exchange produced. */
struct interview_reply {
    char conversation_id[IDS_UUID_LEN];
    bool new_conversation;
    struct interview_message question, answer;
    int64_t tokens_in, tokens_out, cost_micros;
};

void interview_reply_release(struct interview_reply *r);

/*
 * Sends message to persona persona_id in conversation conversation_id (NULL
 * or "": a new one) and stores both with the reply. ERR_INVALID naming
 * "message"; ERR_NOT_FOUND for an unknown persona or conversation;
 * ERR_CONFLICT past INTERVIEW_LENGTH_MAX messages; ERR_UNAVAILABLE without
 * a model; a failed call's error.
 */
enum err_code interview_reply(struct store *s, struct llm_gateway *gw, const char *model,
                              const struct caller *c, const char *persona_id,
                              const char *conversation_id, const char *message,
                              struct interview_reply *out, struct err *err);

#endif
