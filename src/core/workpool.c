/*
 * core/workpool.c - a mutex + condition variable queue served by N threads.
 */
#include "core/compat.h"

#include "core/workpool.h"
#include "core/xalloc.h"

#include <pthread.h>

struct task {
    struct task *next;
    workpool_fn *fn;
    void *arg;
};

struct workpool {
    char *name;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct task *head, *tail;
    size_t queued, running, max_queue;
    bool stopping;
    pthread_t *threads;
    unsigned n_threads;
};

static void *worker_main(void *arg)
{
    struct workpool *wp = arg;
    pthread_mutex_lock(&wp->lock);
    for (;;) {
        while (!wp->head && !wp->stopping)
            pthread_cond_wait(&wp->wake, &wp->lock);
        if (!wp->head)
            break; /* stopping and drained */
        struct task *t = wp->head;
        wp->head = t->next;
        if (!wp->head)
            wp->tail = NULL;
        wp->queued--;
        wp->running++;
        pthread_mutex_unlock(&wp->lock);

        t->fn(t->arg);
        free(t);

        pthread_mutex_lock(&wp->lock);
        wp->running--;
    }
    pthread_mutex_unlock(&wp->lock);
    return NULL;
}

struct workpool *workpool_new(const char *name, unsigned n_threads, size_t max_queue)
{
    struct workpool *wp = xcalloc(1, sizeof(*wp));
    wp->name = xstrdup(name);
    wp->max_queue = max_queue;
    pthread_mutex_init(&wp->lock, NULL);
    pthread_cond_init(&wp->wake, NULL);
    if (n_threads == 0)
        n_threads = 1;
    wp->threads = xcalloc(n_threads, sizeof(pthread_t));
    for (unsigned i = 0; i < n_threads; i++) {
        int rc = pthread_create(&wp->threads[i], NULL, worker_main, wp);
        if (rc) {
            fprintf(stderr, "fatal: cannot start thread for pool %s: %s\n", name, strerror(rc));
            abort();
        }
        wp->n_threads++;
    }
    return wp;
}

enum err_code workpool_submit(struct workpool *wp, workpool_fn *fn, void *arg, struct err *err)
{
    pthread_mutex_lock(&wp->lock);
    if (wp->stopping) {
        pthread_mutex_unlock(&wp->lock);
        return err_set(err, ERR_UNAVAILABLE, NULL, "%s: shutting down", wp->name);
    }
    if (wp->queued >= wp->max_queue) {
        pthread_mutex_unlock(&wp->lock);
        return err_set(err, ERR_UNAVAILABLE, NULL, "%s: queue full (%zu tasks waiting)", wp->name,
                       wp->max_queue);
    }
    struct task *t = xmalloc(sizeof(*t));
    t->next = NULL;
    t->fn = fn;
    t->arg = arg;
    if (wp->tail)
        wp->tail->next = t;
    else
        wp->head = t;
    wp->tail = t;
    wp->queued++;
    pthread_cond_signal(&wp->wake);
    pthread_mutex_unlock(&wp->lock);
    return ERR_OK;
}

size_t workpool_pending(struct workpool *wp)
{
    pthread_mutex_lock(&wp->lock);
    size_t n = wp->queued + wp->running;
    pthread_mutex_unlock(&wp->lock);
    return n;
}

void workpool_free(struct workpool *wp)
{
    if (!wp)
        return;
    pthread_mutex_lock(&wp->lock);
    wp->stopping = true;
    pthread_cond_broadcast(&wp->wake);
    pthread_mutex_unlock(&wp->lock);
    for (unsigned i = 0; i < wp->n_threads; i++)
        pthread_join(wp->threads[i], NULL);
    pthread_mutex_destroy(&wp->lock);
    pthread_cond_destroy(&wp->wake);
    free(wp->threads);
    free(wp->name);
    free(wp);
}
