/*
 * core/workpool.h - a bounded pool of worker threads with a bounded queue,
 * for work that must never run on an HTTP thread (password hashing, slow
 * handlers, SSE producers).
 *
 * Threading: workpool_submit() may be called from any thread;
 * workpool_new() and workpool_free() by the owner only. A task runs exactly
 * once if workpool_submit() returned ERR_OK, and never otherwise (STYLE.md E8).
 */
#ifndef CORE_WORKPOOL_H
#define CORE_WORKPOOL_H

#include "core/compat.h"
#include "core/err.h"

struct workpool;

typedef void workpool_fn(void *arg);

/* Starts n_threads workers (at least 1) with room for max_queue waiting tasks. */
struct workpool *workpool_new(const char *name, unsigned n_threads, size_t max_queue);

/*
 * Queues fn(arg). ERR_UNAVAILABLE when the queue is full or the pool is
 * stopping; the task is then not run and arg stays the caller's.
 */
enum err_code workpool_submit(struct workpool *wp, workpool_fn *fn, void *arg, struct err *err);

/* Tasks queued or running now. */
size_t workpool_pending(struct workpool *wp);

/* Refuses new tasks, runs every queued one, joins the threads; accepts NULL. */
void workpool_free(struct workpool *wp);

#endif
