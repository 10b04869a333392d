/*
 * tests/unit/core/test_workpool.c - core/workpool.h: every accepted task
 * runs exactly once and a refused one never (STYLE.md E8), the queue limit at
 * 0, exactly the limit and the limit + 1, the pending count, and shutdown:
 * workpool_free() refuses new tasks at once and still runs the queued ones.
 * Tasks count their runs with atomics; a gate task holds a worker until the
 * test opens it, so each state is reached on purpose, not by timing.
 */
#include "core/compat.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>

#include <cmocka.h>

#include "core/workpool.h"
#include "core/xalloc.h"

/* ---- a gate: a task that blocks until the test opens it --------------------------- */

struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool started; /* the task is running on a worker */
    bool open;
};

static void gate_init(struct gate *g)
{
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    g->started = false;
    g->open = false;
}

static void gate_release(struct gate *g)
{
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->cond);
}

/* The task: announces that it runs, then waits for gate_open(). */
static void gate_task(void *arg)
{
    struct gate *g = arg;
    pthread_mutex_lock(&g->lock);
    g->started = true;
    pthread_cond_broadcast(&g->cond);
    while (!g->open)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

static void gate_wait_started(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    while (!g->started)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

static void gate_open(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    g->open = true;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

/* ---- counting tasks ---------------------------------------------------------------------- */

static atomic_int runs;         /* count_task calls */
static atomic_int refused_runs; /* refused_task calls: must stay 0 */

static void count_task(void *arg)
{
    (void)arg;
    atomic_fetch_add(&runs, 1);
}

static void refused_task(void *arg)
{
    (void)arg;
    atomic_fetch_add(&refused_runs, 1);
}

/* Adds one to its own slot, so a task run twice or never is seen. */
static void slot_task(void *arg)
{
    atomic_fetch_add((atomic_int *)arg, 1);
}

/* A submitting thread: 1000 count_tasks; returns non-NULL if one was refused. */
static void *submit_many(void *arg)
{
    for (int i = 0; i < 1000; i++)
        if (workpool_submit(arg, count_task, NULL, NULL) != ERR_OK)
            return arg;
    return NULL;
}

static int reset_counts(void **state)
{
    (void)state;
    atomic_store(&runs, 0);
    atomic_store(&refused_runs, 0);
    return 0;
}

/* Submits the gate task to wp and waits until a worker runs it. */
static void hold_a_worker(struct workpool *wp, struct gate *g)
{
    assert_int_equal(workpool_submit(wp, gate_task, g, NULL), ERR_OK);
    gate_wait_started(g);
}

/* Polls until workpool_pending(wp) is want; a task has returned before it stops counting. */
static void wait_pending(struct workpool *wp, size_t want)
{
    for (int i = 0; i < 10000 && workpool_pending(wp) != want; i++)
        usleep(1000);
    assert_int_equal(workpool_pending(wp), want);
}

/* ---- shutdown helpers --------------------------------------------------------------------- */

static void *free_in_thread(void *arg)
{
    workpool_free(arg);
    return NULL;
}

/*
 * Starts workpool_free(wp) on another thread and returns once it has begun:
 * polls workpool_submit() until it is refused (each accepted probe is a
 * count_task, added to *accepted), failing the test after 5 s. The worker must be held by a gate,
 * so wp stays alive until the caller opens it.
 */
static pthread_t start_free(struct workpool *wp, int *accepted, struct err *refusal)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, free_in_thread, wp), 0);
    *accepted = 0;
    for (int i = 0; i < 10000; i++) {
        enum err_code rc = workpool_submit(wp, count_task, NULL, refusal);
        if (rc != ERR_OK) {
            assert_int_equal(rc, ERR_UNAVAILABLE);
            return t;
        }
        (*accepted)++;
        usleep(500);
    }
    fail_msg("submit still accepted 5 s after workpool_free() started");
    return t;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void every_submitted_task_runs_exactly_once(void **state)
{
    (void)state;
    enum { N = 2000 };
    atomic_int *slots = xcalloc(N, sizeof(*slots));
    struct workpool *wp = workpool_new("test", 4, N);
    for (int i = 0; i < N; i++)
        assert_int_equal(workpool_submit(wp, slot_task, &slots[i], NULL), ERR_OK);
    workpool_free(wp);
    for (int i = 0; i < N; i++)
        if (atomic_load(&slots[i]) != 1)
            fail_msg("task %d ran %d times", i, atomic_load(&slots[i]));
    free(slots);
}

static void tasks_submitted_from_many_threads_all_run(void **state)
{
    (void)state;
    struct workpool *wp = workpool_new("test", 3, 100000);
    pthread_t submitters[4];
    for (int t = 0; t < 4; t++)
        assert_int_equal(pthread_create(&submitters[t], NULL, submit_many, wp), 0);
    for (int t = 0; t < 4; t++) {
        void *refused = NULL;
        assert_int_equal(pthread_join(submitters[t], &refused), 0);
        assert_null(refused);
    }
    workpool_free(wp);
    assert_int_equal(atomic_load(&runs), 4 * 1000);
}

static void zero_threads_still_starts_one_worker(void **state)
{
    (void)state;
    struct workpool *wp = workpool_new("test", 0, 10);
    assert_int_equal(workpool_submit(wp, count_task, NULL, NULL), ERR_OK);
    wait_pending(wp, 0);
    assert_int_equal(atomic_load(&runs), 1);
    workpool_free(wp);
}

static void queue_of_zero_refuses_every_task(void **state)
{
    (void)state;
    struct err e = ERR_INIT;
    struct workpool *wp = workpool_new("zero", 1, 0);
    assert_int_equal(workpool_submit(wp, refused_task, NULL, &e), ERR_UNAVAILABLE);
    workpool_free(wp);
    assert_int_equal(atomic_load(&refused_runs), 0);
    assert_non_null(strstr(e.msg, "queue full"));
}

static void queue_accepts_exactly_its_limit_while_workers_are_busy(void **state)
{
    (void)state;
    struct gate g;
    gate_init(&g);
    struct workpool *wp = workpool_new("test", 1, 3);
    hold_a_worker(wp, &g);
    for (int i = 0; i < 3; i++)
        assert_int_equal(workpool_submit(wp, count_task, NULL, NULL), ERR_OK);
    gate_open(&g);
    workpool_free(wp);
    assert_int_equal(atomic_load(&runs), 3);
    gate_release(&g);
}

static void queue_full_refuses_with_unavailable_and_never_runs_the_task(void **state)
{
    (void)state;
    struct gate g;
    gate_init(&g);
    struct err e = ERR_INIT;
    struct workpool *wp = workpool_new("hashing", 1, 2);
    hold_a_worker(wp, &g);
    assert_int_equal(workpool_submit(wp, count_task, NULL, NULL), ERR_OK);
    assert_int_equal(workpool_submit(wp, count_task, NULL, NULL), ERR_OK);
    assert_int_equal(workpool_submit(wp, refused_task, NULL, &e), ERR_UNAVAILABLE);
    assert_int_equal(e.code, ERR_UNAVAILABLE);
    assert_non_null(strstr(e.msg, "hashing: queue full"));
    gate_open(&g);
    workpool_free(wp);
    assert_int_equal(atomic_load(&runs), 2);
    assert_int_equal(atomic_load(&refused_runs), 0);
    gate_release(&g);
}

static void queue_has_room_again_once_a_task_is_taken(void **state)
{
    (void)state;
    struct gate first, second;
    gate_init(&first);
    gate_init(&second);
    struct workpool *wp = workpool_new("test", 1, 1);
    hold_a_worker(wp, &first);
    assert_int_equal(workpool_submit(wp, gate_task, &second, NULL), ERR_OK);
    assert_int_equal(workpool_submit(wp, refused_task, NULL, NULL), ERR_UNAVAILABLE);
    gate_open(&first);
    gate_wait_started(&second); /* the queued task was taken: the queue is empty */
    assert_int_equal(workpool_submit(wp, count_task, NULL, NULL), ERR_OK);
    gate_open(&second);
    workpool_free(wp);
    assert_int_equal(atomic_load(&runs), 1);
    assert_int_equal(atomic_load(&refused_runs), 0);
    gate_release(&first);
    gate_release(&second);
}

static void pending_counts_queued_and_running_tasks(void **state)
{
    (void)state;
    struct gate g;
    gate_init(&g);
    struct workpool *wp = workpool_new("test", 1, 10);
    assert_int_equal(workpool_pending(wp), 0);
    hold_a_worker(wp, &g);
    assert_int_equal(workpool_pending(wp), 1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(workpool_submit(wp, count_task, NULL, NULL), ERR_OK);
    assert_int_equal(workpool_pending(wp), 4);
    gate_open(&g);
    wait_pending(wp, 0);
    assert_int_equal(atomic_load(&runs), 3);
    workpool_free(wp);
    gate_release(&g);
}

static void submit_is_refused_once_free_has_started(void **state)
{
    (void)state;
    struct gate g;
    gate_init(&g);
    struct err e = ERR_INIT;
    int accepted = 0;
    struct workpool *wp = workpool_new("stopping", 1, 100000);
    hold_a_worker(wp, &g);
    pthread_t freer = start_free(wp, &accepted, &e);
    assert_non_null(strstr(e.msg, "stopping: shutting down"));
    /* still refused on a second try, and a refused task never runs */
    assert_int_equal(workpool_submit(wp, refused_task, NULL, NULL), ERR_UNAVAILABLE);
    gate_open(&g);
    assert_int_equal(pthread_join(freer, NULL), 0);
    assert_int_equal(atomic_load(&refused_runs), 0);
    assert_int_equal(atomic_load(&runs), accepted);
    gate_release(&g);
}

static void free_runs_every_queued_task_before_returning(void **state)
{
    (void)state;
    struct gate g;
    gate_init(&g);
    struct err e = ERR_INIT;
    int accepted = 0;
    struct workpool *wp = workpool_new("test", 1, 100000);
    hold_a_worker(wp, &g);
    for (int i = 0; i < 5; i++)
        assert_int_equal(workpool_submit(wp, count_task, NULL, NULL), ERR_OK);
    pthread_t freer = start_free(wp, &accepted, &e);
    /* free has begun while 5 + accepted tasks wait behind the gate */
    assert_int_equal(atomic_load(&runs), 0);
    gate_open(&g);
    assert_int_equal(pthread_join(freer, NULL), 0);
    assert_int_equal(atomic_load(&runs), 5 + accepted);
    gate_release(&g);
}

static void free_of_null_does_nothing(void **state)
{
    (void)state;
    workpool_free(NULL); /* the behaviour is "no crash" */
}

#define TEST(f) cmocka_unit_test_setup(f, reset_counts)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(every_submitted_task_runs_exactly_once),
        TEST(tasks_submitted_from_many_threads_all_run),
        TEST(zero_threads_still_starts_one_worker),
        TEST(queue_of_zero_refuses_every_task),
        TEST(queue_accepts_exactly_its_limit_while_workers_are_busy),
        TEST(queue_full_refuses_with_unavailable_and_never_runs_the_task),
        TEST(queue_has_room_again_once_a_task_is_taken),
        TEST(pending_counts_queued_and_running_tasks),
        TEST(submit_is_refused_once_free_has_started),
        TEST(free_runs_every_queued_task_before_returning),
        TEST(free_of_null_does_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
