/*
 * domain/projects.h - a workspace's projects (SPEC.md 2, 5): the groups its
 * tests belong to, counted against the plan's max_projects.
 *
 * Tenancy: every function works inside the caller's workspace only. Every
 * query is scoped by c->workspace_id, so another workspace's project is
 * ERR_NOT_FOUND ("no project '<id>'") exactly like one that does not exist,
 * and nothing of it is read or changed. An id that is not a UUID is
 * ERR_NOT_FOUND too.
 *
 * Names are NOT unique within a workspace: a project is addressed by its id,
 * and two teams may well both call theirs "Q3 launch". Names are trimmed of
 * surrounding spaces and must hold at least one other character.
 *
 * Every member of a workspace (admin or user) may create, read, change and
 * delete its projects.
 *
 * Threading: any thread; each call takes its own connection from the store's
 * pool and returns it before returning.
 */
#ifndef DOMAIN_PROJECTS_H
#define DOMAIN_PROJECTS_H

#include "core/compat.h"
#include "core/err.h"
#include "core/ids.h"
#include "domain/accounts.h"

struct store;

#define PROJECT_NAME_MAX        200  /* characters (code points), after trimming */
#define PROJECT_DESCRIPTION_MAX 2000 /* characters (code points) */
#define PROJECT_PAGE_DEFAULT    50   /* projects in a page when no limit is asked for */
#define PROJECT_PAGE_MAX        100  /* the largest page: bounds one answer's size */

struct project {
    char id[IDS_UUID_LEN];
    char workspace_id[IDS_UUID_LEN];
    char *name;         /* owned, never NULL after a successful call */
    char *description;  /* owned, never NULL ("" when none) */
    int64_t created_at; /* ms */
    int64_t updated_at; /* ms */
};

/* Frees the strings of p and zeroes it; accepts a zeroed struct. */
void project_release(struct project *p);

/* One page of a workspace's projects, newest first. */
struct project_page {
    struct project *items; /* owned, n of them */
    size_t n;
    int64_t total;  /* projects in the workspace, all pages together */
    int64_t limit;  /* the page size asked for */
    int64_t offset; /* projects skipped before this page */
};

void project_page_release(struct project_page *pg);

/*
 * What create and update take. For create, name is required and a NULL
 * description is "". For update, a NULL field is left as it is; at least
 * one must be given. Both are NUL-terminated UTF-8, borrowed.
 */
struct project_input {
    const char *name;
    const char *description;
};

/*
 * Fills out (OUT, release with project_page_release) with the projects of
 * the caller's workspace, newest first: limit (1..PROJECT_PAGE_MAX) of them
 * after skipping offset (>= 0), and the total. ERR_INVALID on field "limit"
 * or "offset" for a value out of range.
 */
enum err_code project_list(struct store *s, const struct caller *c, int64_t limit, int64_t offset,
                           struct project_page *out, struct err *err);

/*
 * Creates a project in the caller's workspace and fills out (OUT, release
 * with project_release). The plan's max_projects is checked in the same
 * write transaction as the insert, so two concurrent creates cannot both
 * take the last place. ERR_INVALID naming "name" or "description" for a bad
 * value; ERR_PLAN_LIMIT (field "max_projects", the message naming the limit
 * and the plan) when the workspace has no room.
 */
enum err_code project_create(struct store *s, const struct caller *c,
                             const struct project_input *in, struct project *out, struct err *err);

/* Reads project id of the caller's workspace into out (OUT). ERR_NOT_FOUND otherwise. */
enum err_code project_get(struct store *s, const struct caller *c, const char *id,
                          struct project *out, struct err *err);

/*
 * Changes the name and/or the description of project id of the caller's
 * workspace, sets updated_at, and fills out (OUT) with the project as it is
 * now. ERR_NOT_FOUND, or ERR_INVALID for a bad value or when neither field
 * is given.
 */
enum err_code project_update(struct store *s, const struct caller *c, const char *id,
                             const struct project_input *in, struct project *out, struct err *err);

/*
 * Deletes project id of the caller's workspace. ERR_NOT_FOUND when the
 * workspace has no such project (deleting twice: the second is not found);
 * ERR_CONFLICT while tests belong to it (they are never deleted with it).
 */
enum err_code project_delete(struct store *s, const struct caller *c, const char *id,
                             struct err *err);

#endif
