/*
 * domain/run_events.h - waking the followers of a run's events
 * (api/runs.c's event streams) when events were committed, in this process
 * and, with Redis, on every node (store/notify.h). The database stays the
 * truth: a follower reads the events from it by sequence number; this only
 * makes it read sooner than its poll interval.
 *
 * Threading: any thread.
 */
#ifndef DOMAIN_RUN_EVENTS_H
#define DOMAIN_RUN_EVENTS_H

#include "core/compat.h"

/* Events of run_id were committed (call after the transaction that added them). */
void run_events_notify(const char *run_id);

/* The ticket to wait with: take it before reading the run's events. */
uint64_t run_events_ticket(const char *run_id);

/*
 * Waits until run_events_notify(run_id) after ticket was taken, or the poll
 * interval (200 ms; 1 s while the Redis subscription is live).
 */
void run_events_wait(const char *run_id, uint64_t ticket);

#endif
