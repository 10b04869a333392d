/*
 * domain/api_keys.h - a workspace's API keys (SPEC.md 4, 5): created on
 * plans with api_access only, shown once, stored as a SHA-256 hash with a
 * short prefix to recognise them by, listed without any secret, revoked.
 * Authentication with a key is accounts_authenticate's (domain/accounts.h):
 * "Authorization: Bearer ck_<64 hex digits>".
 *
 * A key belongs to its workspace and to the user who created it, and acts
 * as that user. Who may do what:
 *   - create: any member (admin or user) on a plan with api_access, signed
 *     in with a token (a key cannot mint more keys: revoking a leaked key
 *     must be enough to shut it out); at most API_KEYS_MAX_LIVE live keys
 *     per workspace;
 *   - list: any member sees every key of the workspace (never a key or its
 *     hash), on every plan;
 *   - revoke: the key's creator, or an admin of the workspace, on every plan
 *     (a workspace that moved to a plan without api_access can still clean
 *     up). Revoking a revoked key succeeds again and keeps the first time.
 * Another workspace's key is ERR_NOT_FOUND, as is an id that is not a UUID.
 *
 * Threading: any thread; each call takes its own connection from the store's
 * pool and returns it before returning.
 */
#ifndef DOMAIN_API_KEYS_H
#define DOMAIN_API_KEYS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"
#include "domain/accounts.h"

struct store;

#define API_KEY_NAME_MAX     100 /* characters (code points), after trimming */
#define API_KEY_RANDOM_BYTES 32  /* the secret part: 256 bits from the CSPRNG, as hex */
/* "ck_" + 64 hex digits + NUL */
#define API_KEY_TEXT_LEN    (sizeof(API_KEY_PREFIX) - 1 + 2 * API_KEY_RANDOM_BYTES + 1)
#define API_KEY_DISPLAY_HEX 8 /* hex digits of the key shown in its prefix: "ck_1a2b3c4d" */
#define API_KEY_DISPLAY_LEN (sizeof(API_KEY_PREFIX) - 1 + API_KEY_DISPLAY_HEX + 1)
#define API_KEYS_MAX_LIVE   25  /* live (unrevoked) keys per workspace: one per script or CI */
#define API_KEYS_LIST_MAX   200 /* keys in a listing: every live key, then the latest revoked */

struct api_key {
    char id[IDS_UUID_LEN];
    char user_id[IDS_UUID_LEN]; /* who created it: the user it acts as */
    char name[API_KEY_NAME_MAX * 4 + 1];
    char prefix[API_KEY_DISPLAY_LEN]; /* "ck_1a2b3c4d" */
    int64_t created_at;               /* ms */
    int64_t last_used_at;             /* ms; 0: never */
    int64_t revoked_at;               /* ms; 0: live */
};

struct api_key_list {
    struct api_key *items; /* owned, n of them */
    size_t n;
};

void api_key_list_release(struct api_key_list *l);

/*
 * Creates a key named name (1..API_KEY_NAME_MAX characters, trimmed) for
 * the caller and fills out (OUT) and key (OUT: the key itself, which exists
 * nowhere else afterwards: show it once). ERR_FORBIDDEN (field
 * "api_access", naming the plan) on a plan without api_access, or when the
 * caller is authenticated with a key; ERR_INVALID on field "name";
 * ERR_PLAN_LIMIT (field "api_keys") when the workspace has
 * API_KEYS_MAX_LIVE live keys.
 */
enum err_code api_key_create(struct store *s, const struct caller *c, const char *name,
                             struct api_key *out, char key[API_KEY_TEXT_LEN], struct err *err);

/*
 * The keys of the caller's workspace into out (OUT, release with
 * api_key_list_release): live keys newest first, then revoked keys most
 * recently revoked first, at most API_KEYS_LIST_MAX in all.
 */
enum err_code api_key_list(struct store *s, const struct caller *c, struct api_key_list *out,
                           struct err *err);

/*
 * Revokes key id of the caller's workspace (sets revoked_at unless it is
 * set already). ERR_NOT_FOUND for no such key in the workspace;
 * ERR_FORBIDDEN when the caller is neither its creator nor an admin.
 */
enum err_code api_key_revoke(struct store *s, const struct caller *c, const char *id,
                             struct err *err);

#endif
