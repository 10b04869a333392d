/*
 * domain/run_lease.c - a claimed run's heartbeat (domain/run_lease.h).
 */
#include "core/compat.h"

#include "domain/run_lease.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/xalloc.h"
#include "store/store.h"

#define BEAT_MIN_MS 50 /* the shortest beat, whatever the lease (tests use short leases) */

struct run_lease {
    struct store *store;
    char run_id[IDS_UUID_LEN];
    char *owner;
    int64_t lease_ms;
    atomic_bool lost;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping; /* under lock */
    pthread_t thread;
};

static struct metric *beats_metric(void)
{
    return metrics_counter("run_lease_heartbeats_total",
                           "Heartbeats of runs' leases, by outcome (renewed, lost, failed)");
}

static void count_beat(const char *outcome)
{
    struct metric_label l[] = { { "outcome", outcome } };
    metric_add(beats_metric(), l, 1, 1);
}

/*
 * One renewal: ERR_OK with *held false when the row no longer names this
 * owner as a running run's holder.
 */
static enum err_code renew(struct run_lease *l, bool *held, struct err *err)
{
    struct store_conn *conn = NULL;
    enum err_code rc = store_acquire(l->store, &conn, err);
    if (rc)
        return rc;
    int64_t now = clock_now_ms();
    struct store_param p[] = { STORE_INT(now + l->lease_ms), STORE_TEXT(l->run_id),
                               STORE_TEXT(l->owner) };
    int64_t changed = 0;
    rc = store_begin_rows(conn, err);
    if (!rc)
        rc = store_run(conn,
                       "UPDATE runs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND "
                       "status = 'running'",
                       p, ARRAY_SIZE(p), &changed, err);
    rc = store_end(conn, rc, err);
    store_release(l->store, conn);
    *held = changed > 0;
    return rc;
}

/* Waits ms, or less when stopping; false when stopping. */
static bool wait_beat(struct run_lease *l, int64_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    int64_t ns = until.tv_nsec + (ms % 1000) * 1000000;
    until.tv_sec += (time_t)(ms / 1000 + ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    pthread_mutex_lock(&l->lock);
    while (!l->stopping)
        if (pthread_cond_timedwait(&l->wake, &l->lock, &until) != 0)
            break;
    bool go_on = !l->stopping;
    pthread_mutex_unlock(&l->lock);
    return go_on;
}

static void *beat(void *arg)
{
    struct run_lease *l = arg;
    int64_t every = l->lease_ms / 3 > BEAT_MIN_MS ? l->lease_ms / 3 : BEAT_MIN_MS;
    while (wait_beat(l, every)) {
        struct err err = ERR_INIT;
        bool held = true;
        if (renew(l, &held, &err)) {
            /* the database is away: the next beat tries again, the lease may yet hold */
            count_beat("failed");
            LOG_WARN("runs", "run %s: renewing %s's lease: %s", l->run_id, l->owner, err.msg);
            continue;
        }
        if (!held) {
            count_beat("lost");
            LOG_WARN("runs", "run %s: %s lost its lease to another worker", l->run_id, l->owner);
            atomic_store(&l->lost, true);
            break;
        }
        count_beat("renewed");
    }
    return NULL;
}

struct run_lease *run_lease_start(struct store *s, const char *run_id, const char *owner,
                                  int64_t lease_ms)
{
    struct run_lease *l = xcalloc(1, sizeof(*l));
    l->store = s;
    snprintf(l->run_id, sizeof(l->run_id), "%s", run_id);
    l->owner = xstrdup(owner);
    l->lease_ms = lease_ms;
    atomic_init(&l->lost, false);
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->wake, NULL);
    if (pthread_create(&l->thread, NULL, beat, l) != 0) {
        LOG_WARN("runs", "run %s: no heartbeat thread: its steps alone renew the lease", run_id);
        pthread_cond_destroy(&l->wake);
        pthread_mutex_destroy(&l->lock);
        free(l->owner);
        free(l);
        return NULL;
    }
    return l;
}

bool run_lease_lost(const struct run_lease *l)
{
    return l && atomic_load(&l->lost);
}

void run_lease_stop(struct run_lease *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->lock);
    l->stopping = true;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
    pthread_join(l->thread, NULL);
    pthread_cond_destroy(&l->wake);
    pthread_mutex_destroy(&l->lock);
    free(l->owner);
    free(l);
}
