/*
 * domain/libraries.h - a workspace's persona libraries (SPEC.md 3 "persona
 * libraries"): named collections of its personas ("Brazilian Gen Z"),
 * many-to-many (a persona may be in any number of libraries), used later
 * as a test's panel (libraries_persona_ids). A library's personas are
 * listed, searched and filtered through personas_query with
 * persona_filter.library_id (domain/personas.h).
 *
 * Names are trimmed of surrounding spaces, hold 1..LIBRARY_NAME_MAX
 * characters and are unique in a workspace ignoring case (strlist_has's
 * folding: ASCII, Latin-1, Greek and Cyrillic letters): a second
 * "brazilian gen z" is ERR_CONFLICT naming "name". The check runs under
 * the write lock of the insert or update, so two concurrent creates cannot
 * both take a name.
 *
 * Membership: adding is all or nothing (one transaction): every id must be
 * a persona of the caller's workspace, else ERR_NOT_FOUND naming
 * "persona_ids" and nothing is added; ids already in the library (or given
 * twice) are fine. Deleting a library leaves its personas; deleting a
 * persona takes it out of every library (ON DELETE CASCADE).
 *
 * Limits (not the plan's: every plan and every member, admin or user, may
 * manage libraries): LIBRARY_MAX libraries a workspace and
 * LIBRARY_PERSONAS_MAX personas a library, both ERR_CONFLICT with a
 * message saying what to remove; they bound what one answer can hold.
 *
 * Tenancy: every query is scoped by c->workspace_id. Another workspace's
 * library or persona is ERR_NOT_FOUND quoting the id asked, exactly like
 * one that does not exist, and nothing of it is read or changed; an id
 * that is not a UUID is ERR_NOT_FOUND too, without a query.
 *
 * Threading: any thread; each call takes its own connection from the
 * store's pool and returns it before returning.
 */
#ifndef DOMAIN_LIBRARIES_H
#define DOMAIN_LIBRARIES_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"
#include "domain/accounts.h"
#include "engine/persona.h"

struct store;
struct store_conn;

#define LIBRARY_NAME_MAX        100   /* characters (code points), after trimming */
#define LIBRARY_DESCRIPTION_MAX 2000  /* characters (code points) */
#define LIBRARY_PAGE_DEFAULT    50    /* libraries in a page when no limit is asked for */
#define LIBRARY_PAGE_MAX        100   /* the largest page: bounds one answer's size */
#define LIBRARY_ADD_MAX         500   /* persona ids in one add */
#define LIBRARY_MAX             1000  /* libraries in a workspace */
#define LIBRARY_PERSONAS_MAX    10000 /* personas in a library: ~400 KB of ids in an answer */

struct library {
    char id[IDS_UUID_LEN];
    char workspace_id[IDS_UUID_LEN];
    char *name;            /* owned, never NULL after a successful call */
    char *description;     /* owned, never NULL ("" when none) */
    int64_t persona_count; /* personas in the library */
    /*
     * The members' ids, in the order they were added (then by id): filled
     * by every call that answers one library (create, get, update, add),
     * left empty by library_list.
     */
    struct strlist persona_ids;
    int64_t created_at; /* ms */
    int64_t updated_at; /* ms; membership changes move it too */
};

/* Frees the strings of l and zeroes it; accepts a zeroed struct. */
void library_release(struct library *l);

/* One page of a workspace's libraries, newest first (persona_ids left empty). */
struct library_page {
    struct library *items; /* owned, n of them */
    size_t n;
    int64_t total;  /* libraries in the workspace, all pages together */
    int64_t limit;  /* the page size asked for */
    int64_t offset; /* libraries skipped before this page */
};

void library_page_release(struct library_page *pg);

/*
 * What create and update take. For create, name is required and a NULL
 * description is "". For update, a NULL field is left as it is; at least
 * one must be given. Both are NUL-terminated UTF-8, borrowed.
 */
struct library_input {
    const char *name;
    const char *description;
};

/*
 * Fills out (OUT, release with library_page_release) with the libraries of
 * the caller's workspace, newest first, each with its persona_count: limit
 * (1..LIBRARY_PAGE_MAX) of them after skipping offset (>= 0), and the
 * total. ERR_INVALID on field "limit" or "offset" for a value out of range.
 */
enum err_code library_list(struct store *s, const struct caller *c, int64_t limit, int64_t offset,
                           struct library_page *out, struct err *err);

/*
 * Creates an empty library in the caller's workspace and fills out (OUT,
 * release with library_release). ERR_INVALID naming "name" or
 * "description" for a bad value; ERR_CONFLICT naming "name" when the
 * workspace has a library of that name (ignoring case), or when it
 * holds LIBRARY_MAX libraries already.
 */
enum err_code library_create(struct store *s, const struct caller *c,
                             const struct library_input *in, struct library *out, struct err *err);

/*
 * Reads library id of the caller's workspace, with its members, into out
 * (OUT, release with library_release). ERR_NOT_FOUND ("no library '<id>'")
 * otherwise.
 */
enum err_code library_get(struct store *s, const struct caller *c, const char *id,
                          struct library *out, struct err *err);

/*
 * Changes the name and/or the description of library id of the caller's
 * workspace, sets updated_at, and fills out (OUT) with the library as it is
 * now. ERR_NOT_FOUND; ERR_INVALID for a bad value or when neither field is
 * given; ERR_CONFLICT naming "name" when another library of the workspace
 * has the new name (a library may change the case of its own).
 */
enum err_code library_update(struct store *s, const struct caller *c, const char *id,
                             const struct library_input *in, struct library *out, struct err *err);

/*
 * Deletes library id of the caller's workspace and its memberships; the
 * personas stay. ERR_NOT_FOUND when there is no such library (deleting
 * twice: the second is not found).
 */
enum err_code library_delete(struct store *s, const struct caller *c, const char *id,
                             struct err *err);

/*
 * Adds persona_ids (1..LIBRARY_ADD_MAX of them, borrowed) to library id of
 * the caller's workspace in one transaction and fills out (OUT) with the
 * library as it is then. All or nothing: ERR_NOT_FOUND for the library
 * (field "id"), or naming "persona_ids" and quoting the first id that is
 * not a persona of the workspace (nothing added); ERR_INVALID naming
 * "persona_ids" for an empty or too long list; ERR_CONFLICT when the
 * library would hold more than LIBRARY_PERSONAS_MAX. Members already in
 * and repeated ids are not an error. updated_at moves only when a persona
 * was added.
 */
enum err_code library_add_personas(struct store *s, const struct caller *c, const char *id,
                                   const struct strlist *persona_ids, struct library *out,
                                   struct err *err);

/*
 * Takes persona persona_id out of library id of the caller's workspace
 * (the persona stays). ERR_NOT_FOUND for the library (field "id"), or
 * naming "persona_id" when the persona is not in it.
 */
enum err_code library_remove_persona(struct store *s, const struct caller *c, const char *id,
                                     const char *persona_id, struct err *err);

/*
 * ERR_OK when workspace_id has library id (on conn, in the caller's
 * transaction); ERR_NOT_FOUND "no library '<id>'" otherwise.
 */
enum err_code library_exists(struct store_conn *conn, const char *workspace_id, const char *id,
                             struct err *err);

/*
 * Appends the ids of library_id's personas to out (OUT; the caller
 * releases it with strlist_release), in the order they were added (then by
 * id), for a test's panel. ERR_NOT_FOUND when the caller's workspace has no
 * such library; an empty library is ERR_OK with nothing appended.
 */
enum err_code libraries_persona_ids(struct store *s, const struct caller *c, const char *library_id,
                                    struct strlist *out, struct err *err);

#endif
