/*
 * store/notify.h - "something happened on X": a process-wide signal that
 * wakes the threads waiting on topic X (the followers of a run's events),
 * in this process at once and, with Redis, in every process of the
 * installation (PUBLISH crowdelic:run:<topic>; one PSUBSCRIBE connection
 * per process, on a thread of its own).
 *
 * It carries no data: the database stays the truth, and a woken thread
 * reads it. A lost notification (Redis down, a subscriber reconnecting)
 * costs only latency: waiters wake after a poll interval anyway, 200 ms
 * without a live subscription and 1 s with one.
 *
 * Use: take a ticket, read the database, then wait with the ticket; a
 * publish after the ticket was taken ends the wait at once, so nothing
 * committed before the publish is missed.
 *
 * Threading: every function may be called from any thread, except
 * notify_start_redis and notify_stop_redis (main, once each, while no other
 * thread publishes).
 */
#ifndef STORE_NOTIFY_H
#define STORE_NOTIFY_H

#include "core/compat.h"
#include "core/err.h"

struct redis;

/* The poll intervals of notify_wait, without and with a live Redis subscription. */
#define NOTIFY_POLL_MS            200
#define NOTIFY_POLL_SUBSCRIBED_MS 1000

/*
 * Relays notifications through r (borrowed; close it after
 * notify_stop_redis): publishes go to Redis too, and with subscribe a thread
 * wakes this process's waiters on other processes' publishes. Reconnects by
 * itself (1 s, doubling to 5 s) while Redis is down.
 */
void notify_start_redis(struct redis *r, bool subscribe);
/* Stops the subscriber thread and the relaying (accepts never having started). */
void notify_stop_redis(void);

/* Wakes topic's waiters here, and elsewhere through Redis when relayed. Never fails. */
void notify_publish(const char *topic);

/* The ticket to wait with (take it before reading what the topic guards). */
uint64_t notify_ticket(const char *topic);

/*
 * Returns when topic was published after ticket was taken, or after the
 * poll interval (above). True when it was published.
 */
bool notify_wait(const char *topic, uint64_t ticket);

/* True while the subscriber thread holds a live subscription (for tests). */
bool notify_subscribed(void);

#endif
