/*
 * llm/ratelimit.h - the model-call budget: requests per minute and tokens
 * per minute as two token buckets, plus a fair queue that serves waiting
 * calls round-robin by run, so one big run cannot starve a small one
 * (ARCHITECTURE.md "The model gateway").
 *
 * Time is a parameter (now_ms, any monotonic clock in milliseconds), so the
 * logic is tested without sleeping (STYLE.md T6). Not thread-safe: the
 * gateway's thread owns both structures.
 */
#ifndef LLM_RATELIMIT_H
#define LLM_RATELIMIT_H

#include "core/compat.h"

/* ---- token buckets -------------------------------------------------------- */

struct ratelimit;

/*
 * rpm and tpm: requests and tokens allowed per minute; 0 disables that
 * bucket (it never blocks). Each bucket starts full, holds at most one
 * minute's budget and refills continuously (rpm / 60000 per millisecond,
 * kept exactly, without rounding). Budgets above 10^12 are clamped to it.
 * A bucket allows a burst of its whole budget, so any 60-second window may
 * see up to twice the budget (a full bucket plus a minute of refill); over
 * longer spans the rate tends to the budget.
 *
 * A now_ms smaller than one already seen (stale, or a clock that went back)
 * adds nothing: refilling resumes once now_ms passes the latest value seen.
 */
struct ratelimit *ratelimit_new(int64_t rpm, int64_t tpm, int64_t now_ms);
void ratelimit_free(struct ratelimit *rl);

/*
 * Takes one request and `tokens` tokens if both buckets hold them at
 * now_ms; returns false (taking nothing) otherwise. A call needing more
 * tokens than a whole minute's budget is let through when the token bucket
 * is full, so it is never stuck forever; it takes all its tokens, leaving
 * the bucket in debt (below zero) so later calls wait for them. Negative
 * tokens count as 0.
 */
bool ratelimit_take(struct ratelimit *rl, int64_t now_ms, int64_t tokens);

/*
 * Milliseconds from now_ms until ratelimit_take(tokens) would succeed (0 if
 * now), exactly: with nothing taken meanwhile, take fails at now_ms + wait -
 * 1 and succeeds at now_ms + wait. When now_ms is behind the latest time
 * seen, the wait includes the gap. INT64_MAX if the sum overflows.
 */
int64_t ratelimit_wait_ms(struct ratelimit *rl, int64_t now_ms, int64_t tokens);

/*
 * Corrects the token bucket once a call's real usage is known: delta =
 * actual - estimated tokens (negative gives tokens back, never past a full
 * bucket). The bucket may go below zero, delaying later calls. Does nothing
 * when the token bucket is disabled.
 */
void ratelimit_correct(struct ratelimit *rl, int64_t now_ms, int64_t delta);

/* Estimated tokens of a text: characters / 4, rounded up. */
int64_t ratelimit_estimate_tokens(size_t chars);

/* ---- the fair queue ---------------------------------------------------------- */

struct fairq;

struct fairq *fairq_new(void);
/*
 * Frees the queue (q may be NULL); items still queued are handed to drop
 * (may be NULL), once each. The queue never owns items otherwise.
 */
void fairq_free(struct fairq *q, void (*drop)(void *item));

/*
 * Appends item (not NULL) to the queue of run (a tag, copied; "" is a run
 * like any other). A run with no items queued is out of the rotation; when
 * it queues again it joins at its end, after every run already waiting has
 * had its turn.
 */
void fairq_push(struct fairq *q, const char *run, void *item);
/*
 * Puts item (not NULL) back at the head of its run's queue (a re-ask keeps
 * its place); the run's turn in the rotation does not move.
 */
void fairq_push_front(struct fairq *q, const char *run, void *item);

/*
 * The item that is next in turn: runs are visited round-robin, one item per
 * visit, in the order they first queued; NULL when empty. fairq_peek does
 * not remove it; fairq_pop removes the item fairq_peek returned and moves
 * the turn to the next run.
 */
void *fairq_peek(struct fairq *q);
void *fairq_pop(struct fairq *q);

size_t fairq_len(const struct fairq *q);

#endif
