/*
 * store/notify.c - the process-wide notification hub (store/notify.h):
 * generation counters in NOTIFY_BUCKETS buckets under one mutex and
 * condition variable (topics that share a bucket only wake each other
 * spuriously, which costs a read), and the Redis relay.
 *
 * The relay publishes "crowdelic:run:<topic>" with this process's node id
 * as the message; the subscriber thread (PSUBSCRIBE crowdelic:run:*) skips
 * its own messages (already woken locally) and bumps the topic's bucket
 * for the others. It reads with poll(2) on the connection's socket, so it
 * can stop within POLL_SLICE_MS, and sends PING after PING_IDLE_MS of
 * silence: a server that answers nothing within PING_DEAD_MS more is gone.
 * After reconnecting it wakes every waiter (what was published while it
 * was away is in the database; waiters read it now rather than at their
 * next poll) and lets the command client try the server at once, so an
 * idle node shows redis_up 1 again without waiting for a request.
 *
 * Threading: the hub's counters under hub_lock; the relay's pointer is
 * atomic, set and cleared by main while nothing publishes.
 */
#include "core/compat.h"

#include "store/notify.h"
#include "store/redis_internal.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/xalloc.h"

#define NOTIFY_BUCKETS 256
#define CHANNEL_PREFIX "crowdelic:run:"
#define POLL_SLICE_MS  200
#define PING_IDLE_MS   5000
#define PING_DEAD_MS   3000
#define RETRY_MIN_MS   1000
#define RETRY_MAX_MS   5000

static pthread_mutex_t hub_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hub_cond = PTHREAD_COND_INITIALIZER;
static uint64_t hub_gen[NOTIFY_BUCKETS];

struct relay {
    struct redis *redis; /* borrowed */
    char node[33];       /* this process's id: its own messages are skipped */
    bool has_thread;
    pthread_t thread;
    atomic_bool stop;
};

static _Atomic(struct relay *) relay_now;
static atomic_bool subscribed;

static size_t bucket_of(const char *topic, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)topic[i];
        h *= 1099511628211ull;
    }
    return (size_t)(h % NOTIFY_BUCKETS);
}

/* Bumps one bucket (len: the topic's bytes), or every bucket when topic is NULL. */
static void wake(const char *topic, size_t len)
{
    pthread_mutex_lock(&hub_lock);
    if (topic)
        hub_gen[bucket_of(topic, len)]++;
    else
        for (size_t i = 0; i < NOTIFY_BUCKETS; i++)
            hub_gen[i]++;
    pthread_cond_broadcast(&hub_cond);
    pthread_mutex_unlock(&hub_lock);
}

void notify_publish(const char *topic)
{
    wake(topic, strlen(topic));
    struct relay *rl = atomic_load(&relay_now);
    if (!rl)
        return;
    size_t n = strlen(CHANNEL_PREFIX) + strlen(topic) + 1;
    char *channel = xmalloc(n);
    snprintf(channel, n, "%s%s", CHANNEL_PREFIX, topic);
    const char *argv[] = { "PUBLISH", channel, rl->node };
    redisReply *rep = redis_command(rl->redis, 3, argv, NULL, NULL);
    free(channel);
    if (rep) {
        if (rep->type != REDIS_REPLY_INTEGER && rep->type != REDIS_REPLY_ERROR)
            redis_count_error();
        freeReplyObject(rep);
    }
}

uint64_t notify_ticket(const char *topic)
{
    size_t b = bucket_of(topic, strlen(topic));
    pthread_mutex_lock(&hub_lock);
    uint64_t t = hub_gen[b];
    pthread_mutex_unlock(&hub_lock);
    return t;
}

bool notify_wait(const char *topic, uint64_t ticket)
{
    size_t b = bucket_of(topic, strlen(topic));
    int64_t ms = atomic_load(&subscribed) ? NOTIFY_POLL_SUBSCRIBED_MS : NOTIFY_POLL_MS;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)(ms / 1000);
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&hub_lock);
    while (hub_gen[b] == ticket)
        if (pthread_cond_timedwait(&hub_cond, &hub_lock, &until) != 0)
            break;
    bool woken = hub_gen[b] != ticket;
    pthread_mutex_unlock(&hub_lock);
    return woken;
}

bool notify_subscribed(void)
{
    return atomic_load(&subscribed);
}

/* ---- the subscriber ------------------------------------------------------------------------- */

/* Writes what the context has buffered; false when the connection failed. */
static bool flush(redisContext *c)
{
    int done = 0;
    while (!done)
        if (redisBufferWrite(c, &done) != REDIS_OK)
            return false;
    return true;
}

static bool is_str(const redisReply *r)
{
    return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) && r->str;
}

/* Handles one reply of the subscription; false when it is an error (the connection is dropped). */
static bool on_reply(struct relay *rl, const redisReply *rep, bool *ping_out)
{
    if (rep->type == REDIS_REPLY_ERROR) {
        LOG_WARN("redis", "the events subscription was refused: %s", rep->str ? rep->str : "");
        return false;
    }
    if (rep->type != REDIS_REPLY_ARRAY || rep->elements < 1 || !is_str(rep->element[0])) {
        redis_count_error();
        return true; /* not ours to understand; the subscription goes on */
    }
    const char *kind = rep->element[0]->str;
    if (strcmp(kind, "pmessage") == 0 && rep->elements == 4 && is_str(rep->element[2]) &&
        is_str(rep->element[3])) {
        const redisReply *ch = rep->element[2], *msg = rep->element[3];
        size_t plen = strlen(CHANNEL_PREFIX);
        if (ch->len > plen && memcmp(ch->str, CHANNEL_PREFIX, plen) == 0 &&
            !(msg->len == strlen(rl->node) && memcmp(msg->str, rl->node, msg->len) == 0))
            wake(ch->str + plen, ch->len - plen);
    } else if (strcmp(kind, "psubscribe") == 0) {
        atomic_store(&subscribed, true);
        wake(NULL, 0); /* whatever happened while we were away */
        /* the server is back: the client may come up now rather than at its next retry */
        redis_retry_now(rl->redis);
        (void)redis_ping(rl->redis);
    } else if (strcmp(kind, "pong") == 0) {
        *ping_out = false;
    }
    return true;
}

/* One subscription, until it fails or the relay stops. */
static void subscribe_once(struct relay *rl, redisContext *c)
{
    if (redisAppendCommand(c, "PSUBSCRIBE %s*", CHANNEL_PREFIX) != REDIS_OK || !flush(c)) {
        redis_count_error();
        return;
    }
    int64_t last_rx = clock_mono_ms();
    bool ping_out = false;
    while (!atomic_load(&rl->stop)) {
        void *reply = NULL;
        if (redisGetReplyFromReader(c, &reply) != REDIS_OK) {
            redis_count_error();
            return;
        }
        if (reply) {
            bool ok = on_reply(rl, reply, &ping_out);
            freeReplyObject(reply);
            if (!ok)
                return;
            continue;
        }
        struct pollfd p = { .fd = c->fd, .events = POLLIN };
        int n = poll(&p, 1, POLL_SLICE_MS);
        int64_t now = clock_mono_ms();
        if (n < 0 && errno != EINTR) {
            redis_count_error();
            return;
        }
        if (n > 0) {
            if (redisBufferRead(c) != REDIS_OK) {
                LOG_DEBUG("redis", "events subscription lost: %s", c->errstr);
                redis_count_error();
                return;
            }
            last_rx = now;
            continue;
        }
        if (ping_out && now - last_rx > PING_IDLE_MS + PING_DEAD_MS) {
            LOG_DEBUG("redis", "events subscription: no answer to PING");
            redis_count_error();
            return;
        }
        if (!ping_out && now - last_rx > PING_IDLE_MS) {
            if (redisAppendCommand(c, "PING") != REDIS_OK || !flush(c)) {
                redis_count_error();
                return;
            }
            ping_out = true;
        }
    }
}

/* Sleeps ms in slices, returning early when the relay stops. */
static void nap(struct relay *rl, int64_t ms)
{
    for (int64_t t = 0; t < ms && !atomic_load(&rl->stop); t += POLL_SLICE_MS)
        clock_sleep_ms(POLL_SLICE_MS);
}

static void *subscriber(void *arg)
{
    struct relay *rl = arg;
    int64_t backoff = RETRY_MIN_MS;
    while (!atomic_load(&rl->stop)) {
        struct err err = ERR_INIT;
        redisContext *c = redis_connect_own(rl->redis, &err);
        if (!c) {
            LOG_DEBUG("redis", "events subscription: %s (next try in %" PRId64 " ms)", err.msg,
                      backoff);
            nap(rl, backoff);
            backoff = backoff * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : backoff * 2;
            continue;
        }
        backoff = RETRY_MIN_MS;
        subscribe_once(rl, c);
        atomic_store(&subscribed, false);
        redisFree(c);
        if (!atomic_load(&rl->stop)) {
            /* let the client see it too: one WARN line and redis_up 0 when the server is gone */
            (void)redis_ping(rl->redis);
            nap(rl, RETRY_MIN_MS);
        }
    }
    return NULL;
}

void notify_start_redis(struct redis *r, bool subscribe)
{
    struct relay *rl = xcalloc(1, sizeof(*rl));
    rl->redis = r;
    ids_random_hex(rl->node, 16);
    if (subscribe) {
        int e = pthread_create(&rl->thread, NULL, subscriber, rl);
        if (e)
            LOG_WARN("redis", "no events subscriber thread: %s; runs' events are polled",
                     strerror(e));
        rl->has_thread = e == 0;
    }
    atomic_store(&relay_now, rl);
}

void notify_stop_redis(void)
{
    struct relay *rl = atomic_exchange(&relay_now, NULL);
    if (!rl)
        return;
    atomic_store(&rl->stop, true);
    if (rl->has_thread)
        pthread_join(rl->thread, NULL);
    atomic_store(&subscribed, false);
    free(rl);
}
