/*
 * domain/run_lease.h - a claimed run's heartbeat: a thread that keeps the
 * worker's lease on a run alive while it executes (domain/runs.c).
 *
 * A claim holds a run for RUN_LEASE_MS. Steps renew it when they are saved,
 * but resolving a panel, one slow step or making the report can take longer
 * than a lease; the heartbeat renews it every third of a lease whatever the
 * worker is doing, so only a worker that died (or lost its database for a
 * whole lease) loses its runs. It writes one row with a compare-and-set on
 * the owner, outside the writers' lock (store_begin_rows), so it is never
 * held up behind them; when the row says another worker owns the run, the
 * lease is lost for good and the driver stops at its next look.
 */
#ifndef DOMAIN_RUN_LEASE_H
#define DOMAIN_RUN_LEASE_H

#include "core/compat.h"

struct store;
struct run_lease;

/*
 * Starts the heartbeat of run_id held by owner (both copied); NULL when no
 * thread could start (the run then goes on, renewed by its steps alone).
 */
struct run_lease *run_lease_start(struct store *s, const char *run_id, const char *owner,
                                  int64_t lease_ms);

/* True once a heartbeat found the run owned by another worker (or not running). */
bool run_lease_lost(const struct run_lease *l);

/* Stops the thread and frees; accepts NULL. */
void run_lease_stop(struct run_lease *l);

#endif
