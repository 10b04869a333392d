/*
 * store/redis_internal.h - the hiredis side of store/redis.h, for the
 * store/ files that send commands (kv_redis.c, llm_cache_redis.c, notify.c).
 * hiredis types appear here and in those files only.
 *
 * Threading: as store/redis.h.
 */
#ifndef STORE_REDIS_INTERNAL_H
#define STORE_REDIS_INTERNAL_H

#include "core/compat.h"
#include "core/err.h"
#include "store/redis.h"

#include <hiredis/hiredis.h>

/*
 * Sends one command (argv/lens: its words, binary-safe) and returns its
 * reply, which the caller frees with freeReplyObject and whose type it must
 * check (a Redis error reply is returned as such, and counted in
 * redis_errors_total). NULL when the client is down or the command failed on
 * the connection: err says why (ERR_UNAVAILABLE), and the client is then down.
 */
redisReply *redis_command(struct redis *r, int argc, const char **argv, const size_t *lens,
                          struct err *err);

/*
 * A new connection of its own (for a subscriber), authenticated, with the
 * connect timeout and no command timeout; NULL (err set) when the server
 * does not answer. Does not change the client's up/down state. Free it with
 * redisFree.
 */
redisContext *redis_connect_own(struct redis *r, struct err *err);

/*
 * Moves a down client's retry time to now: another connection (the
 * subscriber's) just reached the server, so the next command may try it.
 */
void redis_retry_now(struct redis *r);

/* Counts one error in redis_errors_total (for the subscriber's connection). */
void redis_count_error(void);

#endif
