/*
 * bench/offline_bench.c - the built-in offline model's benchmarks (make
 * bench; issue 4):
 *
 *   throughput: persona answers per second on one core - one survey turn
 *     (a stimulus and five questions: rating, yes/no, choice, ranking, free
 *     text) answered for each persona of a generated panel. Measured at
 *     three depths: the typed task answered directly (the model's own
 *     work), from the wire the way llm-serve does it (parse the rendered
 *     task, answer, serialise), and through the gateway the way the engine
 *     calls it (validation, accounting, the gateway thread's hand-off). The
 *     direct row is the baseline of the other two; a last row runs the
 *     direct work on every core at once (the model is immutable and shared).
 *   memory per persona: the heap a persona's struct takes (glibc
 *     mallinfo2, the panel's growth over its size), next to the size of its
 *     JSON; and the loaded model's heap once.
 *
 * usage: offline_bench [PERSONAS] [ROUNDS]
 */
#include "core/compat.h"

#include <malloc.h>
#include <pthread.h>
#include <unistd.h>

#include <jansson.h>

#include "core/clock.h"
#include "core/jsonio.h"
#include "engine/offline/model.h"
#include "engine/offline/offline.h"
#include "engine/persona.h"
#include "engine/tasks.h"
#include "llm/gateway.h"
#include "rows.h"
#include "samples.h"

static void die(const char *what, const struct err *err)
{
    fprintf(stderr, "offline_bench: %s: %s\n", what, err ? err->msg : "failed");
    exit(1);
}

static size_t heap_in_use(void)
{
    return mallinfo2().uordblks;
}

static double seconds_since(int64_t t0)
{
    return (double)(clock_mono_ns() - t0) / 1e9;
}

static const char stimulus[] = "FreshBox: 3 chef-designed dinners a week, delivered to your "
                               "door, $49/month. Cancel any time.";

/* ---- the panel ------------------------------------------------------------------------ */

struct panel {
    struct persona **people;
    size_t n;
    double json_bytes; /* mean size of a persona's JSON */
    double heap_bytes; /* mean heap a persona's struct holds */
    double gen_per_s;  /* personas the factory makes per second */
};

static void panel_generate(const struct offline_model *m, size_t n, struct panel *out)
{
    json_t **specs = calloc(n, sizeof(*specs));
    out->people = calloc(n, sizeof(*out->people));
    out->n = n;
    if (!specs || !out->people)
        die("out of memory", NULL);
    int64_t t0 = clock_mono_ns();
    for (size_t i = 0; i < n; i++) {
        struct task *t = task_new(TASK_PERSON);
        t->u.person.description = strdup("the general adult population");
        t->u.person.language = strdup(i % 4 == 0 ? "pt-BR" : "en");
        struct err err = ERR_INIT;
        if (offline_answer(m, t, 1000 + i, &specs[i], &err))
            die("person", &err);
        task_free(t);
    }
    out->gen_per_s = (double)n / seconds_since(t0);

    size_t json = 0;
    for (size_t i = 0; i < n; i++) {
        char *s = jsonio_dump(specs[i], 0, NULL);
        json += strlen(s);
        free(s);
    }
    out->json_bytes = (double)json / (double)n;

    /* only the structs are alive between the two readings */
    malloc_trim(0);
    size_t before = heap_in_use();
    for (size_t i = 0; i < n; i++) {
        struct err err = ERR_INIT;
        if (persona_from_json(specs[i], PERSONA_SHAPE_SPEC, &out->people[i], &err))
            die("persona", &err);
    }
    out->heap_bytes = ((double)heap_in_use() - (double)before) / (double)n;
    for (size_t i = 0; i < n; i++)
        json_decref(specs[i]);
    free(specs);
}

static void panel_free(struct panel *p)
{
    for (size_t i = 0; i < p->n; i++)
        persona_free(p->people[i]);
    free(p->people);
}

/* ---- throughput ----------------------------------------------------------------------- */

static struct task **surveys(const struct panel *pn)
{
    struct task **tasks = calloc(pn->n, sizeof(*tasks));
    if (!tasks)
        die("out of memory", NULL);
    for (size_t i = 0; i < pn->n; i++)
        tasks[i] = sample_survey(persona_dup(pn->people[i]), stimulus);
    return tasks;
}

static void surveys_free(struct task **tasks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        task_free(tasks[i]);
    free(tasks);
}

/* Answers tasks[from..to) rounds times; returns the answers given. */
static size_t answer_direct(const struct offline_model *m, struct task **tasks, size_t from,
                            size_t to, int rounds)
{
    size_t done = 0;
    for (int r = 0; r < rounds; r++)
        for (size_t i = from; i < to; i++) {
            json_t *a = NULL;
            struct err err = ERR_INIT;
            if (offline_answer(m, tasks[i], (uint64_t)r * 7919 + i, &a, &err))
                die("answer", &err);
            json_decref(a);
            done++;
        }
    return done;
}

/* The llm-serve path: the rendered request, without its typed task. */
static size_t answer_from_wire(struct llm_provider *p, struct task **tasks, size_t n, int rounds)
{
    struct llm_request **reqs = calloc(n, sizeof(*reqs));
    if (!reqs)
        die("out of memory", NULL);
    for (size_t i = 0; i < n; i++) {
        reqs[i] = task_render(tasks[i]);
        reqs[i]->native = NULL;
        reqs[i]->has_seed = true;
        reqs[i]->seed = i;
    }
    size_t done = 0;
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < n; i++) {
            char *content = NULL;
            struct err err = ERR_INIT;
            if (offline_provider_answer(p, reqs[i], &content, &err))
                die("wire answer", &err);
            free(content);
            done++;
        }
    for (size_t i = 0; i < n; i++)
        llm_request_free(reqs[i]);
    free(reqs);
    return done;
}

/* The engine's path: one call at a time through the gateway (no cache). */
static size_t answer_through_gateway(struct llm_gateway *gw, struct task **tasks, size_t n,
                                     int rounds)
{
    size_t done = 0;
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < n; i++) {
            struct llm_request *req = task_render(tasks[i]);
            req->has_seed = true;
            req->seed = (uint64_t)r * 7919 + i;
            struct llm_response *resp = llm_call(gw, req);
            if (resp->code)
                die("gateway", &resp->err);
            llm_response_free(resp);
            done++;
        }
    return done;
}

struct worker {
    pthread_t thread;
    const struct offline_model *m;
    struct task **tasks;
    size_t from, to;
    int rounds;
    size_t done;
};

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    w->done = answer_direct(w->m, w->tasks, w->from, w->to, w->rounds);
    return NULL;
}

static double answer_on_every_core(const struct offline_model *m, struct task **tasks, size_t n,
                                   int rounds, int cores)
{
    struct worker *ws = calloc((size_t)cores, sizeof(*ws));
    if (!ws)
        die("out of memory", NULL);
    int64_t t0 = clock_mono_ns();
    for (int c = 0; c < cores; c++) {
        ws[c] = (struct worker){ .m = m,
                                 .tasks = tasks,
                                 .from = n * (size_t)c / (size_t)cores,
                                 .to = n * (size_t)(c + 1) / (size_t)cores,
                                 .rounds = rounds };
        if (pthread_create(&ws[c].thread, NULL, worker_run, &ws[c]))
            die("pthread_create", NULL);
    }
    size_t done = 0;
    for (int c = 0; c < cores; c++) {
        pthread_join(ws[c].thread, NULL);
        done += ws[c].done;
    }
    double per_s = (double)done / seconds_since(t0);
    free(ws);
    return per_s;
}

/* Prints a rate; with a baseline (> 0) also the cost of one answer against it. */
static void row(const char *what, double per_s, double baseline)
{
    printf("%-52s %10.0f /s %8.1f us", what, per_s, 1e6 / per_s);
    if (baseline > 0)
        printf("  x%.2f of direct", baseline / per_s);
    printf("\n");
    char result[48], base[96];
    snprintf(result, sizeof(result), "%.0f /s", per_s);
    snprintf(base, sizeof(base), "typed task -> JSON, one core: %.0f /s", baseline);
    bench_row("offline model", what, result, baseline > 0 ? base : NULL,
              baseline > 0 ? per_s / baseline : -1);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
    int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    if (n == 0 || rounds <= 0) {
        fprintf(stderr, "usage: offline_bench [PERSONAS] [ROUNDS]\n");
        return 2;
    }

    malloc_trim(0);
    size_t before = heap_in_use();
    int64_t t0 = clock_mono_ns();
    struct offline_model *m = NULL;
    struct err err = ERR_INIT;
    if (offline_model_load(NULL, &m, &err))
        die("the offline model", &err);
    double load_ms = seconds_since(t0) * 1e3;
    double model_kib = ((double)heap_in_use() - (double)before) / 1024;

    struct panel pn;
    panel_generate(m, n, &pn);
    struct task **tasks = surveys(&pn);

    printf("\noffline model: %zu generated personas x %d rounds, one survey turn of 5 questions\n",
           n, rounds);
    printf("%-52s %10.1f ms %8.0f KiB heap\n", "load the tables and build the model", load_ms,
           model_kib);
    printf("%-52s %10.0f B  JSON %6.0f B\n", "memory per persona (struct persona)", pn.heap_bytes,
           pn.json_bytes);
    char mem[48], json_size[48];
    snprintf(mem, sizeof(mem), "%.0f B", pn.heap_bytes);
    snprintf(json_size, sizeof(json_size), "its JSON: %.0f B", pn.json_bytes);
    bench_row("offline model", "memory per persona", mem, json_size, pn.heap_bytes / pn.json_bytes);
    row("personas generated (factory, one core)", pn.gen_per_s, 0);

    answer_direct(m, tasks, 0, n, 1); /* warm up */
    t0 = clock_mono_ns();
    size_t done = answer_direct(m, tasks, 0, n, rounds);
    double direct = (double)done / seconds_since(t0);
    row("answers, typed task -> JSON (one core; baseline)", direct, 0);

    struct llm_provider *p = NULL;
    if (offline_provider_new(NULL, &p, &err))
        die("provider", &err);
    t0 = clock_mono_ns();
    done = answer_from_wire(p, tasks, n, rounds);
    row("answers from the wire: parse, answer, text", (double)done / seconds_since(t0), direct);

    struct llm_gateway_options o = { .max_reasks = 0 };
    struct llm_gateway *gw = llm_gateway_new(p, &o);
    t0 = clock_mono_ns();
    done = answer_through_gateway(gw, tasks, n, rounds);
    row("answers through the gateway (render, validate)", (double)done / seconds_since(t0), direct);
    llm_gateway_free(gw);

    int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    char label[64];
    snprintf(label, sizeof(label), "answers, typed task -> JSON (%d threads)", cores);
    /* the one-core baseline again, just before: the machine as the threads will find it */
    t0 = clock_mono_ns();
    done = answer_direct(m, tasks, 0, n, rounds);
    double one_core = (double)done / seconds_since(t0);
    double every = answer_on_every_core(m, tasks, n, rounds, cores < 1 ? 1 : cores);
    printf("%-52s %10.0f /s %8.1f us  x%.2f of one core just before\n", label, every, 1e6 / every,
           every / one_core);
    char result[48], base[96];
    snprintf(result, sizeof(result), "%.0f /s", every);
    snprintf(base, sizeof(base), "one core, just before: %.0f /s", one_core);
    bench_row("offline model", "speed-up on every core", result, base, every / one_core);

    surveys_free(tasks, n);
    panel_free(&pn);
    offline_model_free(m);
    return 0;
}
