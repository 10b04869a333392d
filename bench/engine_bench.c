/*
 * bench/engine_bench.c - the simulation engine's benchmarks (make bench;
 * issue 5), all on the offline model through the real gateway:
 *
 *   turns per second: agent turns (a stimulus, one act call, the commit,
 *     consolidations as they fall due) of one agent, one after another;
 *     and focus-group steps of five agents (their calls in one batch).
 *   memory per agent: the heap one agent holds after 200, 400, 800 and
 *     1,600 turns (glibc mallinfo2), which must stay bounded: episodic
 *     memory keeps a window, semantic memory a cap.
 *   survey cost: a 100-persona x 3-question survey, model calls and prompt
 *     tokens per persona-answer, our way (one survey turn per persona:
 *     the answers ride with the THINK/TALK) next to a TinyTroupe-style
 *     flow on the same panel (per persona and question, one act call on
 *     the question, then one extraction call over the transcript) - the
 *     baseline the figures are compared with.
 *
 * usage: engine_bench [TURNS] (default 1600; memory is shown after 1/8, 1/4, 1/2 and all)
 */
#include "core/compat.h"

#include <malloc.h>

#include "rows.h"
#include "samples.h"

#include "core/clock.h"
#include "engine/agent.h"
#include "engine/analysis.h"
#include "engine/offline/offline.h"
#include "engine/survey.h"
#include "engine/world.h"

static void die(const char *what, const struct err *err)
{
    fprintf(stderr, "engine_bench: %s: %s\n", what, err ? err->msg : "failed");
    exit(1);
}

static double heap_in_use(void)
{
    return (double)mallinfo2().uordblks;
}

static double seconds_since(int64_t t0)
{
    return (double)(clock_mono_ns() - t0) / 1e9;
}

static const char product[] = "FreshBox: 3 chef-designed dinners a week, delivered to your "
                              "door, $49/month. Cancel any time.";

/* n generated personas (the offline factory, through the gateway). */
static struct persona **panel(const struct engine *e, size_t n)
{
    struct persona **people = calloc(n, sizeof(*people));
    if (!people)
        die("out of memory", NULL);
    for (size_t i = 0; i < n; i++) {
        struct task *t = task_new(TASK_PERSON);
        t->u.person.description = strdup("the general adult population");
        t->u.person.language = strdup(i % 4 == 0 ? "pt-BR" : "en");
        struct llm_response *r = engine_ask(e, t, 9000 + i, NULL, NULL);
        struct err err = ERR_INIT;
        if (r->code || persona_from_json(r->json, PERSONA_SHAPE_SPEC, &people[i], &err))
            die("person", r->code ? &r->err : &err);
        llm_response_free(r);
        task_free(t);
    }
    return people;
}

/* One turn of a: a stimulus, the call, the commit, a consolidation when due. */
static void one_turn(const struct engine *e, struct agent *a, int i)
{
    char text[160];
    snprintf(text, sizeof(text), "Message %d: %s What do you think now?", i, product);
    agent_perceive(a, i % 3 ? STIMULUS_CONVERSATION : STIMULUS_VISUAL, text, "Moderator");
    struct task *t = agent_turn_task(a, NULL);
    struct llm_response *r = engine_ask(e, t, (uint64_t)i, agent_name(a), NULL);
    struct err err = ERR_INIT;
    if (agent_turn_commit(a, t, r, NULL, &err))
        die("turn", &err);
    llm_response_free(r);
    task_free(t);
    if (agent_needs_consolidation(a, true)) {
        struct task *c = agent_consolidation_task(a);
        r = engine_ask(e, c, (uint64_t)i, agent_name(a), NULL);
        if (agent_consolidation_commit(a, r, &err))
            die("consolidation", &err);
        llm_response_free(r);
        task_free(c);
    }
}

/*
 * The heap one agent holds: measured as what a deep copy of it takes, in
 * this thread while nothing else allocates (the process heap as a whole
 * also moves with the gateway thread's caches).
 */
static double agent_bytes(const struct agent *a)
{
    malloc_trim(0);
    double before = heap_in_use();
    struct agent *copy = agent_dup(a);
    double bytes = heap_in_use() - before;
    agent_free(copy);
    return bytes;
}

static void turns_and_memory(const struct engine *e, struct persona *who, int turns)
{
    struct agent *a = agent_new(persona_dup(who));
    enum { MARKS = 4 };
    int marks[MARKS] = { turns / 8, turns / 4, turns / 2, turns };
    double at[MARKS] = { 0 };
    double busy = 0;
    for (int i = 1; i <= turns; i++) {
        int64_t t0 = clock_mono_ns();
        one_turn(e, a, i);
        busy += seconds_since(t0);
        for (int k = 0; k < MARKS; k++)
            if (i == marks[k])
                at[k] = agent_bytes(a);
    }
    printf("%-56s %10.0f /s %8.1f us\n", "agent turns (one agent, consolidations included)",
           turns / busy, 1e6 * busy / turns);
    for (int k = 0; k < MARKS; k++) {
        char label[64];
        snprintf(label, sizeof(label), "memory per agent after %d turns", marks[k]);
        printf("%-56s %8.1f KiB\n", label, at[k] / 1024);
    }
    printf("%-56s %zu events (%zu dropped), %zu memories\n", "  kept after the last turn",
           a->episodic.n, a->episodic.dropped, semantic_count(a->semantic));
    char result[48], first[64], what[64];
    snprintf(result, sizeof(result), "%.0f /s", turns / busy);
    bench_row("engine", "agent turns (one agent)", result, NULL, -1);
    /* bounded memory: the last mark against the first, 8 times fewer turns before */
    snprintf(what, sizeof(what), "memory per agent after %d turns", marks[MARKS - 1]);
    snprintf(result, sizeof(result), "%.1f KiB", at[MARKS - 1] / 1024);
    snprintf(first, sizeof(first), "after %d turns: %.1f KiB", marks[0], at[0] / 1024);
    bench_row("engine", what, result, first, at[MARKS - 1] / at[0]);
    agent_free(a);
}

static void focus_group_steps(const struct engine *e, struct persona **people, int steps)
{
    struct world_options o = { .name = "bench", .broadcast = true, .minutes_per_step = 5 };
    struct world *w = world_new(&o);
    struct err err = ERR_INIT;
    for (int i = 0; i < 5; i++)
        if (world_add_agent(w, agent_new(persona_dup(people[i])), &err))
            die("agent", &err);
    world_broadcast(w, product, "Moderator");
    struct engine_usage u = { 0 };
    int64_t t0 = clock_mono_ns();
    if (world_run(w, e, steps, &u, &err))
        die("world", &err);
    double secs = seconds_since(t0);
    printf("%-56s %10.0f /s %8.1f us  (%" PRId64 " calls)\n", "focus-group steps (5 agents)",
           steps / secs, 1e6 * secs / steps, u.calls);
    char result[48];
    snprintf(result, sizeof(result), "%.0f /s", steps / secs);
    bench_row("engine", "focus-group steps (5 agents)", result, NULL, -1);
    world_free(w);
}

/* ---- the survey, two ways ----------------------------------------------------------------- */

enum { PANEL = 100, QUESTIONS = 3 };

static struct question questions[QUESTIONS];

static void build_questions(void)
{
    questions[0] = (struct question){ .id = (char *)"appeal",
                                      .kind = QUESTION_RATING,
                                      .prompt = (char *)"How appealing is this to you?",
                                      .scale_min = 1,
                                      .scale_max = 5 };
    questions[1] = (struct question){ .id = (char *)"buy",
                                      .kind = QUESTION_YES_NO,
                                      .prompt = (char *)"Would you subscribe?" };
    questions[2] = (struct question){ .id = (char *)"why",
                                      .kind = QUESTION_TEXT,
                                      .prompt = (char *)"What would make you try it?" };
}

static void ours(const struct engine *e, struct persona **people, struct engine_usage *u)
{
    struct stimulus ad = { STIMULUS_VISUAL, (char *)product, (char *)"ad" };
    struct survey_scenario sc = { .id = "freshbox", .stimuli = &ad, .n_stimuli = 1 };
    struct survey_spec spec = { .questions = questions, .n_questions = QUESTIONS, .samples = 1 };
    struct survey_unit units[PANEL];
    struct survey_unit_result out[PANEL];
    for (size_t i = 0; i < PANEL; i++)
        units[i] = (struct survey_unit){ i, 0, people[i], &sc };
    struct err err = ERR_INIT;
    if (survey_run(e, &spec, units, PANEL, out, &err))
        die("survey", &err);
    for (size_t i = 0; i < PANEL; i++) {
        if (out[i].code)
            die("survey unit", &out[i].err);
        u->calls += out[i].usage.calls;
        u->tokens_in += out[i].usage.tokens_in;
        u->tokens_out += out[i].usage.tokens_out;
        survey_unit_result_release(&out[i]);
    }
}

/* Per persona and question: an act call on the question, then an extraction call. */
static void tinytroupe_style(const struct engine *e, struct persona **people,
                             struct engine_usage *u)
{
    for (size_t i = 0; i < PANEL; i++) {
        struct agent *a = agent_new(persona_dup(people[i]));
        agent_perceive(a, STIMULUS_VISUAL, product, "ad");
        for (size_t q = 0; q < QUESTIONS; q++) {
            agent_perceive(a, STIMULUS_CONVERSATION, questions[q].prompt, "Interviewer");
            struct task *t = agent_turn_task(a, NULL);
            struct llm_response *r = engine_ask(e, t, i * 10 + q, agent_name(a), u);
            struct err err = ERR_INIT;
            struct turn_result tr;
            if (agent_turn_commit(a, t, r, &tr, &err))
                die("act", &err);
            struct transcript tx = { 0 };
            transcript_add(&tx, "Interviewer", questions[q].prompt);
            for (size_t k = 0; k < tr.n_actions; k++)
                if (tr.actions[k].content)
                    transcript_add(&tx, agent_name(a), tr.actions[k].content);
            struct extract_field f = { .name = (char *)questions[q].id,
                                       .description = (char *)questions[q].prompt,
                                       .type = questions[q].kind == QUESTION_RATING
                                                   ? EXTRACT_NUMBER
                                                   : EXTRACT_STRING };
            struct analysis_extract_spec spec = { .objective = "The answer to the question",
                                                  .fields = &f,
                                                  .n_fields = 1 };
            struct analysis_extraction x;
            if (analysis_extract(e, &spec, &tx, u, &x, &err))
                die("extract", &err);
            analysis_extraction_release(&x);
            transcript_release(&tx);
            turn_result_release(&tr);
            llm_response_free(r);
            task_free(t);
        }
        agent_free(a);
    }
}

static void survey_cost(const struct engine *e, struct persona **people)
{
    build_questions();
    struct engine_usage mine = { 0 }, theirs = { 0 };
    int64_t t0 = clock_mono_ns();
    ours(e, people, &mine);
    double ours_s = seconds_since(t0);
    t0 = clock_mono_ns();
    tinytroupe_style(e, people, &theirs);
    double theirs_s = seconds_since(t0);
    double answers = PANEL * QUESTIONS;
    printf("\nsurvey: %d personas x %d questions (%.0f persona-answers)\n", PANEL, QUESTIONS,
           answers);
    printf("%-40s %12s %16s %14s %10s\n", "", "calls/answer", "prompt tok/answer", "out tok/answer",
           "wall ms");
    printf("%-40s %12.2f %16.0f %14.0f %10.0f\n", "TinyTroupe-style (act + extract; baseline)",
           theirs.calls / answers, theirs.tokens_in / answers, theirs.tokens_out / answers,
           theirs_s * 1e3);
    printf("%-40s %12.2f %16.0f %14.0f %10.0f\n", "ours (one survey turn per persona)",
           mine.calls / answers, mine.tokens_in / answers, mine.tokens_out / answers, ours_s * 1e3);
    printf("%-40s %12.2fx %15.2fx\n", "ours / baseline", (double)mine.calls / theirs.calls,
           (double)mine.tokens_in / theirs.tokens_in);
    char result[64], base[96];
    snprintf(result, sizeof(result), "%.2f calls, %.0f prompt tokens", mine.calls / answers,
             mine.tokens_in / answers);
    snprintf(base, sizeof(base), "TinyTroupe-style (act + extract): %.2f calls, %.0f tokens",
             theirs.calls / answers, theirs.tokens_in / answers);
    bench_row("engine", "a survey's cost per persona-answer (100 x 3)", result, base,
              (double)mine.tokens_in / theirs.tokens_in);
}

int main(int argc, char **argv)
{
    int turns = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 1600;
    if (turns < 8) {
        fprintf(stderr, "usage: engine_bench [TURNS >= 8]\n");
        return 2;
    }
    struct llm_provider *p = NULL;
    struct err err = ERR_INIT;
    if (offline_provider_new(NULL, &p, &err))
        die("the offline model", &err);
    struct llm_gateway_options o = { .max_reasks = 1 };
    struct llm_gateway *gw = llm_gateway_new(p, &o);
    struct engine e = { .gw = gw, .seed = 11 };
    struct persona **people = panel(&e, PANEL);

    printf("\nengine (offline model through the gateway)\n");
    turns_and_memory(&e, people[1], turns);
    focus_group_steps(&e, people, 20);
    survey_cost(&e, people);

    for (size_t i = 0; i < PANEL; i++)
        persona_free(people[i]);
    free(people);
    llm_gateway_free(gw);
    return 0;
}
