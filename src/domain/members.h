/*
 * domain/members.h - a workspace and the people in it (SPEC.md 2, 3):
 * reading and renaming the workspace, listing its members, changing a
 * member's role, removing a member, and the invites by which an admin
 * brings someone in (accepted by registering with the token: see
 * accounts_register).
 *
 * Every query is scoped by the caller's workspace id: another workspace's
 * user or invite, and an id that is not a UUID, are ERR_NOT_FOUND. Writes
 * are admin only (ERR_FORBIDDEN from gate_admin otherwise); reading the
 * workspace and its members is open to every member. The member limit
 * (team_members, counting members and open invites) is checked by
 * gate_room inside the same write transaction as the invite's INSERT.
 *
 * Invariants kept here: a workspace always has at least one admin; an
 * admin cannot remove themselves; an invite's token is shown once and only
 * its SHA-256 is stored.
 *
 * Thread-safety: every function takes a connection from the store's pool
 * for the duration of the call; any thread may call them.
 */
#ifndef DOMAIN_MEMBERS_H
#define DOMAIN_MEMBERS_H

#include "core/compat.h"
#include "core/err.h"
#include "domain/accounts.h"
#include "domain/gate.h"

struct store;

#define WORKSPACE_NAME_MAX COMPANY_MAX /* bytes of UTF-8 (struct workspace_view holds it) */
#define INVITE_TOKEN_BYTES 32          /* random bytes of an invite token */
#define INVITE_TOKEN_LEN   (2 * INVITE_TOKEN_BYTES + 1) /* its hex text + NUL */

/* ---- the workspace ----------------------------------------------------------------------- */

/*
 * The caller's workspace into *ws and what it uses now into *usage (either
 * may be NULL). ERR_NOT_FOUND when the workspace is gone.
 */
enum err_code members_workspace(struct store *s, const struct caller *c, struct workspace_view *ws,
                                struct usage *usage, struct err *err);

/*
 * Renames the caller's workspace (admin only). name is trimmed; it must be
 * 1..WORKSPACE_NAME_MAX bytes of UTF-8 without control characters
 * (ERR_INVALID on field "name"). The renamed workspace goes into *out
 * (may be NULL).
 */
enum err_code members_rename(struct store *s, const struct caller *c, const char *name,
                             struct workspace_view *out, struct err *err);

/* ---- members ----------------------------------------------------------------------------- */

/*
 * Every user of the caller's workspace, oldest first, into *out: a
 * malloc'd array of *n views (NULL when none) that the caller free()s.
 * Never password hashes.
 */
enum err_code members_all(struct store *s, const struct caller *c, struct user_view **out,
                          size_t *n, struct err *err);

/*
 * Sets the role ("user" or "admin": ERR_INVALID on field "role" otherwise)
 * of the member user_id (admin only). ERR_NOT_FOUND for a user of another
 * workspace; ERR_CONFLICT when it would leave the workspace without an
 * admin. The updated member goes into *out (may be NULL).
 */
enum err_code members_set_role(struct store *s, const struct caller *c, const char *user_id,
                               const char *role, struct user_view *out, struct err *err);

/*
 * Removes the member user_id (admin only): their user row and their API
 * keys go in one transaction, so every token and key of theirs stops
 * working at once (accounts_authenticate refuses a token whose user no
 * longer exists). ERR_CONFLICT for the caller themselves; ERR_NOT_FOUND for
 * a user of another workspace.
 */
enum err_code members_delete(struct store *s, const struct caller *c, const char *user_id,
                             struct err *err);

/* ---- invites ----------------------------------------------------------------------------- */

enum invite_state {
    INVITE_OPEN,     /* waiting for a registration */
    INVITE_ACCEPTED, /* someone registered with it */
    INVITE_EXPIRED,  /* not accepted within INVITE_TTL_MS */
};

const char *invite_state_name(enum invite_state s); /* "open", "accepted", "expired" */

struct invite_view {
    char id[IDS_UUID_LEN];
    char email[EMAIL_MAX + 1];
    enum user_role role;
    char invited_by[IDS_UUID_LEN];  /* the inviting admin's user id */
    int64_t created_at, expires_at; /* ms */
    int64_t accepted_at;            /* ms; 0 while not accepted */
    enum invite_state state;        /* as of the read */
};

/*
 * Invites email (normalised by email_normalize) with role ("user" or
 * "admin"; NULL is "user") into the caller's workspace (admin only).
 * ERR_CONFLICT when an account with that email exists; ERR_PLAN_LIMIT
 * (team_members) when members and open invites would pass the plan's
 * limit. An earlier invite of the same email into this workspace that was
 * not accepted is replaced. The invite goes into *out and its token (64 hex
 * digits, shown this once; valid for INVITE_TTL_MS) into token.
 */
enum err_code members_invite(struct store *s, const struct caller *c, const char *email,
                             const char *role, struct invite_view *out,
                             char token[INVITE_TOKEN_LEN], struct err *err);

/*
 * Every invite of the caller's workspace (admin only), newest first: open,
 * accepted and expired ones, never a token. *out is a malloc'd array of *n
 * views (NULL when none) that the caller free()s.
 */
enum err_code members_invites(struct store *s, const struct caller *c, struct invite_view **out,
                              size_t *n, struct err *err);

/*
 * Deletes an invite not yet accepted (admin only), so its token no longer
 * registers anyone. ERR_NOT_FOUND for another workspace's invite;
 * ERR_CONFLICT for an accepted one (remove the member instead).
 */
enum err_code members_revoke_invite(struct store *s, const struct caller *c, const char *invite_id,
                                    struct err *err);

#endif
