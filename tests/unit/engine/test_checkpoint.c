/*
 * tests/unit/engine/test_checkpoint.c - control (engine/checkpoint.h): a
 * focus group restored from the checkpoint of every possible step ends
 * byte-identical to an uninterrupted run (memories, consolidations and a
 * fired intervention included); a checkpoint is written once per step and
 * a failing sink stops the run; bad checkpoints are refused and change
 * nothing; survey units round-trip, and a survey resumed from half its
 * units ends as the whole.
 */
#include "core/compat.h"

#include <setjmp.h>

#include <cmocka.h>

#include "samples.h"
#include "testutil.h"

#include "core/xalloc.h"
#include "engine/checkpoint.h"
#include "engine/offline/offline.h"

enum { STEPS = 4 };

static struct llm_gateway *gw;
static struct engine eng;

static int setup(void **state)
{
    (void)state;
    gw = sample_offline_gateway(1);
    eng = (struct engine){ .gw = gw, .seed = 7 };
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    llm_gateway_free(gw);
    return 0;
}

static struct agent *person(const char *name, const char *likes)
{
    char spec[512];
    snprintf(spec, sizeof(spec),
             "{\"name\":\"%s\",\"age\":41,\"gender\":\"male\",\"residence\":\"Recife, Brazil\","
             "\"language\":\"pt-BR\",\"income_level\":\"middle\",\"occupation\":{\"title\":"
             "\"motorista\"},\"preferences\":{\"interests\":[\"%s\"]}}",
             name, likes);
    return agent_new(sample_persona(spec));
}

/* The world's definition: what the caller rebuilds before loading a checkpoint. */
static struct world *definition(void)
{
    struct world_options o = { .name = "grupo", .broadcast = true, .minutes_per_step = 15 };
    struct world *w = world_new(&o);
    struct intervention_spec news = { .name = "desconto",
                                      .from_step = 2,
                                      .once = true,
                                      .effect = EFFECT_STIMULUS,
                                      .stimulus = STIMULUS_CONVERSATION,
                                      .content = "Novidade: agora custa R$ 19,90 por mês.",
                                      .source = "Moderador" };
    struct err err = ERR_INIT;
    assert_ok(world_add_intervention(w, &news, &err), &err);
    return w;
}

static struct world *focus_group(void)
{
    struct world *w = definition();
    static const char *const names[] = { "João Lima", "Pedro Alves", "Rafael Costa", "Lucas Rocha",
                                         "Bruno Dias" };
    static const char *const likes[] = { "futebol", "culinária", "música", "tecnologia",
                                         "viagens" };
    struct err err = ERR_INIT;
    for (int i = 0; i < 5; i++)
        assert_ok(world_add_agent(w, person(names[i], likes[i]), &err), &err);
    world_make_everyone_accessible(w);
    world_broadcast(w, "CaféBox: cafés especiais em casa todo mês por R$ 39,90. O que acham?",
                    "Moderador");
    return w;
}

/* A sink that keeps the last write and counts them. */
struct memory_sink {
    char *key, *data;
    size_t len;
    int writes;
    int fail_after; /* 0: never fails */
};

static enum err_code keep(void *ctx, const char *key, const char *data, size_t len, struct err *err)
{
    struct memory_sink *s = ctx;
    if (s->fail_after && s->writes >= s->fail_after)
        return err_set(err, ERR_UNAVAILABLE, NULL, "the disk is full");
    s->writes++;
    free(s->key);
    free(s->data);
    s->key = xstrdup(key);
    s->data = xmemdupz(data, len);
    s->len = len;
    return ERR_OK;
}

static void sink_release(struct memory_sink *s)
{
    free(s->key);
    free(s->data);
}

/* ---- worlds --------------------------------------------------------------------------- */

static void a_world_resumed_after_any_step_ends_as_an_uninterrupted_one(void **state)
{
    (void)state;
    struct err err = ERR_INIT;
    struct world *whole = focus_group();
    assert_ok(world_run(whole, &eng, STEPS, NULL, &err), &err);
    char *want = world_checkpoint(whole, NULL);
    /* the run exercised what a checkpoint must carry */
    assert_true(semantic_count(whole->agents[0]->semantic) > 0);
    assert_contains(want, "\"fired\":[\"desconto\"]");
    world_free(whole);

    for (int64_t k = 0; k < STEPS; k++) {
        struct memory_sink sink = { 0 };
        struct checkpoint_sink cs = { keep, &sink };
        struct world *first = focus_group();
        char *start = world_checkpoint(first, &sink.len);
        sink.data = start;
        assert_ok(world_run_checkpointed(first, &eng, k, &cs, "run-1/world", NULL, &err), &err);
        assert_int_equal(sink.writes, k);
        world_free(first);

        struct world *resumed = definition();
        assert_ok(world_load(resumed, sink.data, sink.len, &err), &err);
        assert_int_equal(resumed->step, k);
        assert_ok(world_run(resumed, &eng, STEPS - k, NULL, &err), &err);
        char *got = world_checkpoint(resumed, NULL);
        assert_string_equal(got, want);
        free(got);
        world_free(resumed);
        sink_release(&sink);
    }
    free(want);
}

static void a_checkpoint_is_written_after_every_step(void **state)
{
    (void)state;
    struct memory_sink sink = { 0 };
    struct checkpoint_sink cs = { keep, &sink };
    struct world *w = focus_group();
    struct err err = ERR_INIT;
    assert_ok(world_run_checkpointed(w, &eng, 3, &cs, "run-9/world", NULL, &err), &err);
    assert_int_equal(sink.writes, 3);
    assert_string_equal(sink.key, "run-9/world");
    char *now = world_checkpoint(w, NULL);
    assert_string_equal(sink.data, now);
    free(now);
    /* already at step 3: nothing to do */
    assert_ok(world_run_checkpointed(w, &eng, 3, &cs, "run-9/world", NULL, &err), &err);
    assert_int_equal(sink.writes, 3);
    world_free(w);
    sink_release(&sink);

    struct memory_sink full = { .fail_after = 1 };
    cs.ctx = &full;
    w = focus_group();
    assert_int_equal(world_run_checkpointed(w, &eng, 3, &cs, "k", NULL, &err), ERR_UNAVAILABLE);
    assert_contains(err.msg, "the disk is full");
    assert_int_equal(w->step, 2); /* the step ran; its checkpoint did not land */
    world_free(w);
    sink_release(&full);
}

static void a_bad_checkpoint_is_refused_and_changes_nothing(void **state)
{
    (void)state;
    struct world *w = focus_group();
    struct err err = ERR_INIT;
    assert_ok(world_run(w, &eng, 1, NULL, &err), &err);
    char *good = world_checkpoint(w, NULL);
    world_free(w);

    static const struct {
        const char *from, *to, *msg;
    } breaks[] = {
        { "\"version\":1", "\"version\":2", "version 2" },
        { "\"kind\":\"stimulus\"", "\"kind\":\"dream\"", "unknown kind" },
        { "\"type\":0", "\"type\":99", "must be an integer in" },
        { "\"seen\":", "\"seen\":1000000,\"x\":", "seen must be" },
        { "\"agents\":[", "\"agents\":\"none\",\"zz\":[", "agents must be a list" },
    };
    for (size_t i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++) {
        const char *at = strstr(good, breaks[i].from);
        assert_non_null(at);
        struct buf b;
        buf_init(&b, 1 << 24);
        buf_add(&b, good, (size_t)(at - good));
        buf_adds(&b, breaks[i].to);
        buf_adds(&b, at + strlen(breaks[i].from));
        struct world *fresh = definition();
        assert_int_equal(world_load(fresh, b.data, b.len, &err), ERR_INVALID);
        assert_contains(err.msg, breaks[i].msg);
        assert_int_equal(fresh->n_agents, 0);
        assert_int_equal(fresh->step, 0);
        world_free(fresh);
        buf_release(&b);
    }
    struct world *fresh = definition();
    assert_int_equal(world_load(fresh, "{\"version\":", 11, &err), ERR_INVALID);
    assert_contains(err.msg, "not JSON");
    world_free(fresh);
    free(good);

    /* a checkpoint whose intervention has fired, loaded into a world that lacks it */
    w = focus_group();
    assert_ok(world_run(w, &eng, 2, NULL, &err), &err);
    char *fired = world_checkpoint(w, NULL);
    world_free(w);
    struct world_options o = { .name = "grupo", .broadcast = true };
    struct world *bare = world_new(&o);
    assert_int_equal(world_load(bare, fired, strlen(fired), &err), ERR_INVALID);
    assert_contains(err.msg, "intervention 'desconto' is not defined");
    assert_int_equal(bare->n_agents, 0);
    world_free(bare);
    free(fired);
}

/* ---- surveys ---------------------------------------------------------------------------- */

static struct question questions[2];

static struct survey_spec survey_spec(void)
{
    questions[0] = (struct question){ .id = (char *)"compra",
                                      .kind = QUESTION_RATING,
                                      .prompt = (char *)"Você compraria?",
                                      .scale_min = 1,
                                      .scale_max = 5 };
    questions[1] = (struct question){ .id = (char *)"ordem",
                                      .kind = QUESTION_RANKING,
                                      .prompt = (char *)"Ordene o que importa" };
    if (!questions[1].options.n) {
        strlist_add(&questions[1].options, "preço");
        strlist_add(&questions[1].options, "sabor");
        strlist_add(&questions[1].options, "entrega");
    }
    return (struct survey_spec){ .questions = questions, .n_questions = 2, .samples = 2 };
}

static void a_resumed_survey_ends_as_the_whole(void **state)
{
    (void)state;
    enum { N = 6 };
    struct survey_spec spec = survey_spec();
    static struct stimulus ad = { STIMULUS_VISUAL, (char *)"CaféBox: R$ 39,90/mês.", NULL };
    struct survey_scenario sc = { .id = "cafe", .stimuli = &ad, .n_stimuli = 1 };
    struct agent *who[N];
    struct survey_unit units[N];
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof(name), "Pessoa %d", i);
        who[i] = person(name, i % 2 ? "café" : "futebol");
        units[i] = (struct survey_unit){ i, 0, who[i]->persona, &sc };
    }
    struct err err = ERR_INIT;
    struct survey_unit_result whole[N], part[N];
    assert_ok(survey_run(&eng, &spec, units, N, whole, &err), &err);

    /* the first half ran and was stored; the process died; the rest runs now */
    char *stored[N / 2];
    size_t len[N / 2];
    assert_ok(survey_run(&eng, &spec, units, N / 2, part, &err), &err);
    for (int i = 0; i < N / 2; i++) {
        stored[i] = survey_unit_checkpoint(&part[i], &len[i]);
        survey_unit_result_release(&part[i]);
    }
    for (int i = 0; i < N / 2; i++) {
        assert_ok(survey_unit_load(&spec, stored[i], len[i], &part[i], &err), &err);
        free(stored[i]);
    }
    assert_ok(survey_run(&eng, &spec, units + N / 2, N - N / 2, part + N / 2, &err), &err);
    for (int i = 0; i < N; i++) {
        char *a = survey_unit_checkpoint(&whole[i], NULL);
        char *b = survey_unit_checkpoint(&part[i], NULL);
        assert_string_equal(a, b);
        assert_int_equal(part[i].n_rows, 4);
        free(a);
        free(b);
        survey_unit_result_release(&whole[i]);
        survey_unit_result_release(&part[i]);
        agent_free(who[i]);
    }
    struct survey_unit_result bad;
    assert_int_equal(
        survey_unit_load(&spec, "{\"version\":1,\"code\":0,\"rows\":[{}]}", 34, &bad, &err),
        ERR_INVALID);
    assert_int_equal(survey_unit_load(&spec, "[]", 2, &bad, &err), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_world_resumed_after_any_step_ends_as_an_uninterrupted_one),
        cmocka_unit_test(a_checkpoint_is_written_after_every_step),
        cmocka_unit_test(a_bad_checkpoint_is_refused_and_changes_nothing),
        cmocka_unit_test(a_resumed_survey_ends_as_the_whole),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
