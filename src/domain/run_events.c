/*
 * domain/run_events.c - the run id is the topic of store/notify.h.
 */
#include "core/compat.h"

#include "domain/run_events.h"

#include "store/notify.h"

void run_events_notify(const char *run_id)
{
    notify_publish(run_id);
}

uint64_t run_events_ticket(const char *run_id)
{
    return notify_ticket(run_id);
}

void run_events_wait(const char *run_id, uint64_t ticket)
{
    (void)notify_wait(run_id, ticket);
}
