/*
 * api/views.h - how the API writes the accounts' objects (users,
 * workspaces, plans, usage, times and money) and pages of anything: one
 * function per shape, used by every resource that shows one, so a shape is
 * defined once.
 */
#ifndef API_VIEWS_H
#define API_VIEWS_H

#include "core/compat.h"
#include "domain/accounts.h"
#include "domain/gate.h"

#include <jansson.h>

struct buf;
struct req;

/* ISO-8601 UTC text of epoch milliseconds, or null for ms <= 0 when nullable. */
json_t *view_time(int64_t ms, bool nullable);
/* Cents as a decimal string ("9.90"). */
json_t *view_money(int64_t cents);
/* A count or limit; -1 (none) is null. */
json_t *view_limit(int64_t v);

/*
 * A page's query arguments: limit (1..max, def when absent) and offset
 * (>= 0, 0 when absent). ERR_INVALID naming the argument.
 */
enum err_code view_page_args(const struct req *req, int64_t def, int64_t max, int64_t *limit,
                             int64_t *offset, struct err *err);
/*
 * JSON written as text into a buf, for answers too big to build as jansson
 * trees (a page of personas; strings with buf_add_json_string): a time (as
 * view_time), ",\"key\":", and the members of a stored JSON object's
 * canonical text ("{...}") after a comma.
 */
void view_text_time(struct buf *b, int64_t ms);
void view_text_key(struct buf *b, const char *key);
void view_text_members(struct buf *b, const char *object_json);
/* Closes a page written as text - "{\"<key>\":[" items - with its total, limit and offset. */
void view_text_page_end(struct buf *b, int64_t total, int64_t limit, int64_t offset);

/* {"<key>": items (taken), "total", "limit", "offset"}. */
json_t *view_page(const char *key, json_t *items, int64_t total, int64_t limit, int64_t offset);

json_t *view_user(const struct user_view *u);
json_t *view_workspace(const struct workspace_view *w);
json_t *view_plan(const struct plan *p);
/* Usage of each limit with its limit (extras included) and approaching_limit. */
json_t *view_usage(const struct caller *c, const struct usage *u);

#endif
