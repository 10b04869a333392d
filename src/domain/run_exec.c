/*
 * domain/run_exec.c - one run's work (domain/run_exec.h): the units a test
 * asks of its panel, of which those the sink lacks run in steps through the
 * engine - survey units for product and message tests, one journey agent
 * per persona for journeys, one world of agents for a focus group - each
 * step handed to the sink with the run's progress, the sink asked before
 * every step whether to go on.
 *
 * Runs on the caller's thread; the engine's batches are the only
 * concurrency (a step's calls are in flight together). Nothing here
 * outlives the call: the agents of a journey or a focus group live for one
 * run_exec (a focus group's world goes on from the sink's state).
 */
#include "core/compat.h"

#include "domain/run_exec.h"

#include "core/xalloc.h"
#include "engine/agent.h"
#include "engine/checkpoint.h"
#include "engine/world.h"

/* ---- shared ------------------------------------------------------------------------------ */

/*
 * Whether the run stops before its next step, and how (*outcome). A cancel
 * beats the timeout, and the timeout beats a pause: a run whose time is up
 * is over whatever else was asked.
 */
static bool stop_here(const struct run_sink *sink, enum run_outcome *outcome)
{
    enum run_control c = sink->control ? sink->control(sink->ctx) : RUN_GO;
    if (c == RUN_CANCEL) {
        *outcome = RUN_CANCELLED;
        return true;
    }
    if (sink->expired && sink->expired(sink->ctx)) {
        *outcome = RUN_TIMED_OUT;
        return true;
    }
    if (c == RUN_PAUSE) {
        *outcome = RUN_PAUSED;
        return true;
    }
    return false;
}

static bool sink_has(const struct run_sink *sink, const char *member_id, const char *key)
{
    return sink->done && sink->done(sink->ctx, member_id, key);
}

static void usage_merge(struct engine_usage *into, const struct engine_usage *u)
{
    into->calls += u->calls;
    into->failures += u->failures;
    into->cache_hits += u->cache_hits;
    into->reasks += u->reasks;
    into->tokens_in += u->tokens_in;
    into->tokens_out += u->tokens_out;
    into->cost_micros += u->cost_micros;
}

static size_t variants_of(const struct test_scenario *sc)
{
    return sc->n_variants ? sc->n_variants : 1;
}

int64_t run_units_total(const struct test_spec *t, size_t n_members)
{
    int64_t per_member = 0;
    switch (t->type) {
    case TEST_PRODUCT:
    case TEST_MESSAGE:
        for (size_t i = 0; i < t->n_scenarios; i++)
            per_member += (int64_t)variants_of(&t->scenarios[i]);
        break;
    case TEST_JOURNEY:
        per_member = (int64_t)t->n_scenarios;
        break;
    case TEST_FOCUS_GROUP:
        return (int64_t)t->n_scenarios *
               ((int64_t)t->moderator_rounds * (int64_t)t->moderator_questions.n + 1);
    default:
        return 0;
    }
    return per_member * (int64_t)n_members;
}

/* ---- product and message tests: survey units ----------------------------------------------
 *
 * Every (scenario, variant) is a slot with its key and what it shows; a
 * unit is a member and a slot. The units the sink lacks, in the order
 * scenario, variant, member, are cut into steps of at most step_units units
 * of one scenario (survey_run asks one scenario's questions), each one
 * survey_run call: one engine batch.
 */

struct slot {
    size_t scenario; /* index into t->scenarios */
    char key[RUN_KEY_MAX];
    /*
     * What the slot shows: the scenario's stimulus, and for a variant the
     * scenario's text followed by the variant's as one stimulus (owned), so
     * the two are always read in that order (survey_run shuffles a
     * scenario's several stimuli, as for the variants of one screen).
     */
    struct stimulus stimulus;
    char *combined;
    struct survey_scenario what;
};

struct todo {
    size_t member, slot;
};

struct surveys {
    const struct engine *e;
    const struct run_member *members;
    const struct run_sink *sink;
    struct slot *slots;
    size_t n_slots;
    struct survey_spec *specs; /* one per scenario */
    int64_t done, total;
};

/* The slots of t (their what points into themselves: the array never moves). */
static void slots_build(const struct test_spec *t, struct surveys *s)
{
    for (size_t i = 0; i < t->n_scenarios; i++)
        s->n_slots += variants_of(&t->scenarios[i]);
    s->slots = xcalloc(s->n_slots ? s->n_slots : 1, sizeof(*s->slots));
    size_t k = 0;
    for (size_t i = 0; i < t->n_scenarios; i++) {
        const struct test_scenario *sc = &t->scenarios[i];
        for (size_t v = 0; v < variants_of(sc); v++) {
            struct slot *sl = &s->slots[k++];
            sl->scenario = i;
            sl->stimulus = (struct stimulus){ STIMULUS_VISUAL, sc->stimulus, NULL };
            if (sc->n_variants) {
                snprintf(sl->key, sizeof(sl->key), "%s/%s", sc->id, sc->variants[v].id);
                size_t a = strlen(sc->stimulus), b = strlen(sc->variants[v].stimulus);
                sl->combined = xmalloc(a + b + 3);
                memcpy(sl->combined, sc->stimulus, a);
                memcpy(sl->combined + a, "\n\n", 2);
                memcpy(sl->combined + a + 2, sc->variants[v].stimulus, b + 1);
                sl->stimulus.content = sl->combined;
            } else {
                snprintf(sl->key, sizeof(sl->key), "%s", sc->id);
            }
            sl->what =
                (struct survey_scenario){ .id = sl->key, .stimuli = &sl->stimulus, .n_stimuli = 1 };
        }
    }
}

/* One step: units todo[0..n) (of one scenario) asked, then saved. The sink's error, if any. */
static enum err_code survey_step(struct surveys *s, const struct todo *todo, size_t n,
                                 struct err *err)
{
    struct survey_unit *units = xcalloc(n, sizeof(*units));
    struct survey_unit_result *res = xcalloc(n, sizeof(*res));
    struct run_unit_done *out = xcalloc(n, sizeof(*out));
    const struct survey_spec *spec = &s->specs[s->slots[todo[0].slot].scenario];
    for (size_t k = 0; k < n; k++) {
        const struct slot *sl = &s->slots[todo[k].slot];
        units[k] = (struct survey_unit){ .persona = todo[k].member,
                                         .scenario = sl->scenario,
                                         .who = s->members[todo[k].member].persona,
                                         .what = &sl->what };
    }
    enum err_code rc = survey_run(s->e, spec, units, n, res, err);
    if (!rc) {
        struct engine_usage usage = { 0 };
        for (size_t k = 0; k < n; k++) {
            usage_merge(&usage, &res[k].usage);
            out[k] = (struct run_unit_done){ .member_id = s->members[todo[k].member].id,
                                             .key = s->slots[todo[k].slot].key,
                                             .result = &res[k] };
        }
        s->done += (int64_t)n;
        struct run_step step = {
            .units = out, .n_units = n, .done = s->done, .total = s->total, .usage = &usage
        };
        rc = s->sink->save_step(s->sink->ctx, &step, err);
    }
    for (size_t k = 0; k < n; k++)
        survey_unit_result_release(&res[k]);
    free(out);
    free(res);
    free(units);
    return rc;
}

static enum err_code run_surveys(const struct engine *e, const struct test_spec *t,
                                 const struct run_member *members, size_t n_members,
                                 size_t step_units, const struct run_sink *sink,
                                 enum run_outcome *outcome, struct err *err)
{
    struct surveys s = {
        .e = e, .members = members, .sink = sink, .total = run_units_total(t, n_members)
    };
    struct todo *todo = NULL;
    enum err_code rc = ERR_OK;
    slots_build(t, &s);
    s.specs = xcalloc(t->n_scenarios ? t->n_scenarios : 1, sizeof(*s.specs));
    for (size_t i = 0; i < t->n_scenarios && !rc; i++) {
        s.specs[i] = (struct survey_spec){ .questions = t->scenarios[i].questions,
                                           .n_questions = t->scenarios[i].n_questions,
                                           .elicitation = t->elicitation,
                                           .samples = t->samples };
        struct err why = ERR_INIT;
        rc = survey_spec_check(&s.specs[i], &why);
        if (rc) {
            char where[RUN_KEY_MAX];
            snprintf(where, sizeof(where), "scenario '%s'", t->scenarios[i].id);
            err_prefix(&why, where);
            if (err)
                *err = why;
        }
    }
    if (rc)
        goto out;

    size_t units = st_mult(s.n_slots, n_members);
    todo = xcalloc(units ? units : 1, sizeof(*todo));
    size_t n_todo = 0;
    for (size_t k = 0; k < s.n_slots; k++)
        for (size_t m = 0; m < n_members; m++) {
            if (sink_has(sink, members[m].id, s.slots[k].key))
                s.done++;
            else
                todo[n_todo++] = (struct todo){ m, k };
        }

    for (size_t i = 0; i < n_todo;) {
        size_t j = i + 1;
        size_t scenario = s.slots[todo[i].slot].scenario;
        while (j < n_todo && j - i < step_units && s.slots[todo[j].slot].scenario == scenario)
            j++;
        if (stop_here(sink, outcome))
            goto out;
        rc = survey_step(&s, todo + i, j - i, err);
        if (rc)
            goto out;
        i = j;
    }
    *outcome = RUN_COMPLETED;
out:
    free(todo);
    free(s.specs);
    for (size_t i = 0; i < s.n_slots; i++)
        free(s.slots[i].combined);
    free(s.slots);
    return rc;
}

/* ---- journeys: one agent per persona, walking the steps ------------------------------------
 *
 * A member walks when the sink lacks any of its step units, from the first
 * step (the same seeds ask the same questions, so a walk done before is
 * answered by the cache), and stops when it abandons, when its turn fails,
 * or when the sink holds every unit it has left. A run step is one journey
 * step for every member still walking: the stimulus perceived, due
 * consolidations (one batch), every turn (one batch), the turns committed in
 * member order, due consolidations after the turn (one batch), and the
 * units the sink lacks handed over. A consolidation that fails changes
 * nothing: the agent tries again at its next turn.
 *
 * Progress counts a unit when it is handed over, and, when a member stops
 * early, the units of its later steps it will never have, so a run that
 * ends reaches total. (A resumed run counts an earlier run's abandoning
 * member's skipped steps again only when it gets to them, so its first
 * steps may report less than the earlier run had reached.)
 */

struct journey {
    const struct engine *e;
    const struct test_spec *t;
    const struct run_member *members;
    size_t n_members, n_steps;
    const struct run_sink *sink;
    bool *have;            /* have[m * n_steps + s]: the sink holds member m's step s */
    struct agent **agents; /* NULL: not walking */
    int64_t done, total;
};

/* One walker's part of a step. */
struct stride {
    size_t member;
    struct task *task;
    struct llm_response *resp;
    struct engine_usage usage; /* its calls in this step */
    bool handed;               /* a unit goes to the sink */
    size_t key_step;           /* ... for this step */
    struct survey_unit_result result;
    bool abandoned;
    char *reason;
};

static bool *have_of(const struct journey *j, size_t m)
{
    return &j->have[m * j->n_steps];
}

/* The steps from `from` on whose units member m lacks. */
static int64_t missing_from(const struct journey *j, size_t m, size_t from)
{
    int64_t n = 0;
    for (size_t s = from; s < j->n_steps; s++)
        n += !have_of(j, m)[s];
    return n;
}

/* The seed of member m's call at step: its turn (what NULL), or a consolidation ("before",
 * "after"). */
static uint64_t journey_seed(const struct journey *j, size_t m, size_t step, const char *what)
{
    return engine_seed(j->e->seed, "journey", j->members[m].id, j->t->scenarios[step].id, what,
                       (const char *)NULL);
}

static void stop_walking(struct journey *j, size_t m)
{
    agent_free(j->agents[m]);
    j->agents[m] = NULL;
}

/*
 * Consolidates, in one batch, the episodes of the walkers in w[0..n) that
 * are due (at a turn's end or not), each call's cost into its walker's
 * usage.
 */
static void consolidate_due(struct journey *j, struct stride *w, size_t n, size_t step,
                            bool turn_ended)
{
    struct engine_call *calls = xcalloc(n ? n : 1, sizeof(*calls));
    size_t *who = xcalloc(n ? n : 1, sizeof(*who));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct agent *a = j->agents[w[i].member];
        if (!a || !agent_needs_consolidation(a, turn_ended))
            continue;
        if (turn_ended && !missing_from(j, w[i].member, step + 1))
            continue; /* it walks no further: the memories would be wasted */
        calls[k] = (struct engine_call){ .task = agent_consolidation_task(a),
                                         .seed = journey_seed(j, w[i].member, step,
                                                              turn_ended ? "after" : "before"),
                                         .persona = agent_name(a) };
        who[k++] = i;
    }
    if (k)
        engine_run(j->e, calls, k, NULL);
    for (size_t i = 0; i < k; i++) {
        struct stride *s = &w[who[i]];
        engine_usage_add(&s->usage, calls[i].resp);
        (void)agent_consolidation_commit(j->agents[s->member], calls[i].resp, NULL);
        llm_response_free(calls[i].resp);
        task_free((struct task *)calls[i].task);
    }
    free(who);
    free(calls);
}

/*
 * The rows of a committed turn tr that asked scenario's questions (one
 * sample), into r: its error there when they do not fit.
 */
static void rows_from_turn(const struct engine *e, const struct test_spec *t, size_t scenario,
                           size_t member, const struct persona *who,
                           const struct llm_response *resp, struct turn_result *tr,
                           struct survey_unit_result *r)
{
    const struct test_scenario *sc = &t->scenarios[scenario];
    struct survey_spec spec = { .questions = sc->questions,
                                .n_questions = sc->n_questions,
                                .elicitation = t->elicitation,
                                .samples = 1 };
    struct survey_unit u = { .persona = member, .scenario = scenario, .who = who };
    struct err err = ERR_INIT;
    enum err_code rc = survey_turn_rows(e, &spec, &u, 0, NULL, tr, r, &err);
    if (rc) {
        survey_unit_result_release(r);
        r->code = rc;
        r->err = err;
    } else if (resp->model) {
        r->model = xstrdup(resp->model);
    }
}

/* The unit of walker s at this step, from its committed turn (or its failure rc). */
static void unit_from_turn(struct journey *j, struct stride *s, size_t step, enum err_code rc,
                           const struct err *why, struct turn_result *tr)
{
    struct survey_unit_result *r = &s->result;
    s->handed = true;
    s->key_step = step;
    if (rc) {
        r->code = rc;
        r->err = *why;
        return;
    }
    rows_from_turn(j->e, j->t, step, s->member, j->members[s->member].persona, s->resp, tr, r);
    if (!tr->journey_continue) {
        s->abandoned = true;
        s->reason = tr->journey_reason;
        tr->journey_reason = NULL;
    }
}

/*
 * Walker s's turn failed at a step whose unit the sink holds (a walk
 * again): its first missing later step gets the failure, so the sink sees
 * why the member goes no further.
 */
static void unit_from_failed_rewalk(struct journey *j, struct stride *s, size_t step,
                                    enum err_code rc, const struct err *why)
{
    for (size_t later = step + 1; later < j->n_steps; later++) {
        if (have_of(j, s->member)[later])
            continue;
        s->handed = true;
        s->key_step = later;
        err_set(&s->result.err, rc, why->field, "walking again through step '%s' failed: %s",
                j->t->scenarios[step].id, why->msg);
        s->result.code = rc;
        return;
    }
}

/* Commits walker s's turn at step: its unit, and whether it walks on. */
static void commit_turn(struct journey *j, struct stride *s, size_t step)
{
    size_t m = s->member;
    struct err why = ERR_INIT;
    struct turn_result tr;
    enum err_code rc = agent_turn_commit(j->agents[m], s->task, s->resp, &tr, &why);
    bool had = have_of(j, m)[step];
    if (!had) {
        unit_from_turn(j, s, step, rc, &why, &tr);
        j->done++;
    } else if (rc) {
        unit_from_failed_rewalk(j, s, step, rc, &why);
    }
    bool stops = rc || !tr.journey_continue;
    turn_result_release(&tr);
    if (stops) {
        j->done += missing_from(j, m, step + 1); /* the handed failure included */
        stop_walking(j, m);
    }
}

/* Step `step` for the walkers in w[0..n). The sink's error, if any. */
static enum err_code journey_step(struct journey *j, struct stride *w, size_t n, size_t step,
                                  struct err *err)
{
    const struct test_scenario *sc = &j->t->scenarios[step];
    for (size_t i = 0; i < n; i++)
        agent_perceive(j->agents[w[i].member], STIMULUS_VISUAL, sc->stimulus, NULL);
    consolidate_due(j, w, n, step, false);

    struct turn_ask ask = { .questions = sc->questions,
                            .n_questions = sc->n_questions,
                            .ssr = j->t->elicitation == ELICIT_SSR,
                            .journey_step = (int)step + 1,
                            .journey_steps = (int)j->n_steps };
    struct engine_call *calls = xcalloc(n, sizeof(*calls));
    for (size_t i = 0; i < n; i++) {
        struct agent *a = j->agents[w[i].member];
        w[i].task = agent_turn_task(a, &ask);
        calls[i] = (struct engine_call){ .task = w[i].task,
                                         .seed = journey_seed(j, w[i].member, step, NULL),
                                         .persona = agent_name(a) };
    }
    engine_run(j->e, calls, n, NULL);
    for (size_t i = 0; i < n; i++) {
        w[i].resp = calls[i].resp;
        engine_usage_add(&w[i].usage, w[i].resp);
        commit_turn(j, &w[i], step);
    }
    free(calls);
    consolidate_due(j, w, n, step, true);

    struct run_unit_done *out = xcalloc(n, sizeof(*out));
    struct engine_usage usage = { 0 };
    size_t n_out = 0;
    for (size_t i = 0; i < n; i++) {
        usage_merge(&usage, &w[i].usage);
        if (!w[i].handed)
            continue;
        w[i].result.usage = w[i].usage;
        out[n_out++] = (struct run_unit_done){ .member_id = j->members[w[i].member].id,
                                               .key = j->t->scenarios[w[i].key_step].id,
                                               .result = &w[i].result,
                                               .abandoned = w[i].abandoned,
                                               .reason = w[i].reason };
    }
    struct run_step rs = {
        .units = out, .n_units = n_out, .done = j->done, .total = j->total, .usage = &usage
    };
    enum err_code rc = j->sink->save_step(j->sink->ctx, &rs, err);
    free(out);
    return rc;
}

static void strides_release(struct stride *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        task_free(w[i].task);
        llm_response_free(w[i].resp);
        survey_unit_result_release(&w[i].result);
        free(w[i].reason);
    }
}

static enum err_code run_journey(const struct engine *e, const struct test_spec *t,
                                 const struct run_member *members, size_t n_members,
                                 const struct run_sink *sink, enum run_outcome *outcome,
                                 struct err *err)
{
    struct journey j = { .e = e,
                         .t = t,
                         .members = members,
                         .n_members = n_members,
                         .n_steps = t->n_scenarios,
                         .sink = sink,
                         .total = run_units_total(t, n_members) };
    size_t cells = st_mult(n_members, j.n_steps);
    j.have = xcalloc(cells ? cells : 1, sizeof(*j.have));
    j.agents = xcalloc(n_members ? n_members : 1, sizeof(*j.agents));
    for (size_t m = 0; m < n_members; m++) {
        for (size_t s = 0; s < j.n_steps; s++) {
            have_of(&j, m)[s] = sink_has(sink, members[m].id, t->scenarios[s].id);
            j.done += have_of(&j, m)[s];
        }
        if (missing_from(&j, m, 0))
            j.agents[m] = agent_new(persona_dup(members[m].persona));
    }

    enum err_code rc = ERR_OK;
    struct stride *w = xcalloc(n_members ? n_members : 1, sizeof(*w));
    for (size_t step = 0; step < j.n_steps; step++) {
        size_t n = 0;
        for (size_t m = 0; m < n_members; m++) {
            if (j.agents[m] && !missing_from(&j, m, step))
                stop_walking(&j, m); /* the sink holds the rest */
            if (j.agents[m])
                w[n++] = (struct stride){ .member = m };
        }
        if (!n)
            break;
        if (stop_here(sink, outcome))
            goto out;
        rc = journey_step(&j, w, n, step, err);
        strides_release(w, n);
        if (rc)
            goto out;
    }
    *outcome = RUN_COMPLETED;
out:
    for (size_t m = 0; m < n_members; m++)
        agent_free(j.agents[m]);
    free(w);
    free(j.agents);
    free(j.have);
    return rc;
}

/* ---- focus groups: one world, a moderator, rounds -------------------------------------------
 *
 * The world's position says where the run is: its step count is the
 * discussion steps done (scenario s owns world steps s x P .. (s + 1) x P -
 * 1, P = rounds x questions), and scenario s is closed when the sink holds
 * its units. Both are saved with each step, so a resumed run loads the
 * world and goes on from there.
 */

#define MODERATOR "Moderator"

struct focus {
    const struct engine *e;
    const struct test_spec *t;
    const struct run_member *members;
    size_t n_members;
    const struct run_sink *sink;
    struct world *w;
    struct strlist names; /* the members' names in the world, in member order */
    int64_t per_scenario; /* world steps of a scenario's discussion */
    int64_t done, total;
};

/* Members' names, a name met before (ignoring case) suffixed " (2)", " (3)", ... */
static void focus_names(struct focus *f)
{
    for (size_t m = 0; m < f->n_members; m++) {
        const char *name = f->members[m].persona->name;
        char buf[256];
        snprintf(buf, sizeof(buf), "%s", name);
        for (int k = 2; strlist_has(&f->names, buf); k++)
            snprintf(buf, sizeof(buf), "%.200s (%d)", name, k);
        strlist_add(&f->names, buf);
    }
}

/* The member called name in the world, or SIZE_MAX (the moderator). */
static size_t focus_member(const struct focus *f, const char *name)
{
    for (size_t m = 0; name && m < f->names.n; m++)
        if (strcasecmp(f->names.items[m], name) == 0)
            return m;
    return SIZE_MAX;
}

/* The world: loaded from the sink's state, or seated afresh. */
static enum err_code focus_world(struct focus *f, struct err *err)
{
    struct world_options o = { .name = f->t->name, .broadcast = true, .minutes_per_step = 5 };
    f->w = world_new(&o);
    char *state = NULL;
    size_t len = 0;
    enum err_code rc =
        f->sink->load_state ? f->sink->load_state(f->sink->ctx, &state, &len, err) : ERR_OK;
    if (rc || state) {
        if (!rc)
            rc = world_load(f->w, state, len, err);
        free(state);
        return rc;
    }
    for (size_t m = 0; m < f->n_members && !rc; m++) {
        struct persona *p = persona_dup(f->members[m].persona);
        free(p->name);
        p->name = xstrdup(f->names.items[m]);
        struct agent *a = agent_new(p);
        rc = world_add_agent(f->w, a, err);
        if (rc)
            agent_free(a);
    }
    world_make_everyone_accessible(f->w);
    return rc;
}

static bool focus_closed(const struct focus *f, size_t scenario)
{
    return sink_has(f->sink, f->members[0].id, f->t->scenarios[scenario].id);
}

/* The lines said from the world's said[from] on, for the sink (pointing into the world). */
static struct run_said *focus_lines(const struct focus *f, size_t from, const char *scenario,
                                    int round, size_t *n)
{
    *n = f->w->n_said - from;
    struct run_said *out = xcalloc(*n ? *n : 1, sizeof(*out));
    for (size_t i = 0; i < *n; i++) {
        const struct said *l = &f->w->said[from + i];
        size_t m = focus_member(f, l->speaker);
        out[i] = (struct run_said){ .member_id = m == SIZE_MAX ? NULL : f->members[m].id,
                                    .speaker = l->speaker,
                                    .target = l->target,
                                    .text = l->text,
                                    .scenario = scenario,
                                    .round = round };
    }
    return out;
}

static enum err_code focus_save(struct focus *f, const struct run_unit_done *units, size_t n,
                                const struct run_said *said, size_t n_said,
                                const struct engine_usage *usage, struct err *err)
{
    size_t len = 0;
    char *state = world_checkpoint(f->w, &len);
    f->done++;
    struct run_step step = { .units = units,
                             .n_units = n,
                             .done = f->done,
                             .total = f->total,
                             .usage = usage,
                             .state = state,
                             .state_len = len,
                             .said = said,
                             .n_said = n_said };
    enum err_code rc = f->sink->save_step(f->sink->ctx, &step, err);
    free(state);
    return rc;
}

/* The world's next step, in scenario s: the moderator's question, everyone's turn. */
static enum err_code discussion_step(struct focus *f, size_t s, struct err *err)
{
    const struct test_scenario *sc = &f->t->scenarios[s];
    int64_t k = f->w->step - (int64_t)s * f->per_scenario;
    size_t n_questions = f->t->moderator_questions.n;
    int round = (int)(k / (int64_t)n_questions) + 1;
    size_t from = f->w->n_said;
    if (k == 0) { /* the topic: what everyone talks about until the next */
        struct strlist topic = { 0 };
        strlist_add(&topic, sc->stimulus);
        for (size_t i = 0; i < f->w->n_agents; i++)
            agent_set_context(f->w->agents[i], &topic);
        strlist_release(&topic);
        world_broadcast(f->w, sc->stimulus, MODERATOR);
    }
    world_broadcast(f->w, f->t->moderator_questions.items[k % (int64_t)n_questions], MODERATOR);
    struct engine_usage usage = { 0 };
    enum err_code rc = world_step(f->w, f->e, &usage, err);
    if (rc) {
        char where[RUN_KEY_MAX];
        snprintf(where, sizeof(where), "scenario '%s', round %d, question %d", sc->id, round,
                 (int)(k % (int64_t)n_questions) + 1);
        err_prefix(err, where);
        return rc;
    }
    size_t n_said = 0;
    struct run_said *said = focus_lines(f, from, sc->id, round, &n_said);
    rc = focus_save(f, NULL, 0, said, n_said, &usage, err);
    free(said);
    return rc;
}

/* Everything member m said in scenario s's discussion, in order, into l. */
static void discussion_of(const struct focus *f, size_t m, size_t s, struct strlist *l)
{
    int64_t first = (int64_t)s * f->per_scenario, last = first + f->per_scenario;
    for (size_t i = 0; i < f->w->n_said; i++) {
        const struct said *x = &f->w->said[i];
        if (x->step >= first && x->step < last && x->speaker && x->text &&
            strcasecmp(x->speaker, f->names.items[m]) == 0)
            strlist_add(l, x->text);
    }
}

/*
 * Closes scenario s: every member's unit - what they said, and the answers
 * of one more turn (one batch) when the scenario has questions.
 */
static enum err_code closing_step(struct focus *f, size_t s, struct err *err)
{
    const struct test_scenario *sc = &f->t->scenarios[s];
    size_t n = f->n_members;
    struct survey_unit_result *res = xcalloc(n, sizeof(*res));
    struct run_unit_done *out = xcalloc(n, sizeof(*out));
    struct engine_call *calls = xcalloc(n, sizeof(*calls));
    struct agent **agents = xcalloc(n, sizeof(*agents));
    struct turn_ask ask = { .questions = sc->questions,
                            .n_questions = sc->n_questions,
                            .ssr = f->t->elicitation == ELICIT_SSR };
    for (size_t m = 0; m < n; m++)
        agents[m] = world_find(f->w, f->names.items[m]);
    for (size_t m = 0; sc->n_questions && m < n; m++)
        calls[m] =
            (struct engine_call){ .task = agent_turn_task(agents[m], &ask),
                                  .seed = engine_seed(f->e->seed, "focus_group", f->members[m].id,
                                                      sc->id, (const char *)NULL),
                                  .persona = agent_name(agents[m]) };
    if (sc->n_questions)
        engine_run(f->e, calls, n, NULL);
    struct engine_usage usage = { 0 };
    for (size_t m = 0; m < n; m++) {
        struct survey_unit_result *r = &res[m];
        struct strlist talk = { 0 };
        discussion_of(f, m, s, &talk);
        if (sc->n_questions) {
            engine_usage_add(&r->usage, calls[m].resp);
            struct turn_result tr;
            struct err why = ERR_INIT;
            enum err_code rc =
                agent_turn_commit(agents[m], calls[m].task, calls[m].resp, &tr, &why);
            if (rc) {
                r->code = rc;
                r->err = why;
            } else {
                rows_from_turn(f->e, f->t, s, m, f->members[m].persona, calls[m].resp, &tr, r);
            }
            turn_result_release(&tr);
            for (size_t i = 0; i < r->talk.n; i++)
                strlist_add(&talk,
                            r->talk.items[i]); /* the answer's own words after the discussion's */
            usage_merge(&usage, &r->usage);
        }
        strlist_release(&r->talk);
        r->talk = talk;
        out[m] =
            (struct run_unit_done){ .member_id = f->members[m].id, .key = sc->id, .result = r };
    }
    enum err_code rc = focus_save(f, out, n, NULL, 0, &usage, err);
    for (size_t m = 0; m < n; m++) {
        survey_unit_result_release(&res[m]);
        task_free((struct task *)calls[m].task);
        llm_response_free(calls[m].resp);
    }
    free(agents);
    free(calls);
    free(out);
    free(res);
    return rc;
}

static enum err_code run_focus_group(const struct engine *e, const struct test_spec *t,
                                     const struct run_member *members, size_t n_members,
                                     const struct run_sink *sink, enum run_outcome *outcome,
                                     struct err *err)
{
    if (n_members < 2 || n_members > TEST_FOCUS_GROUP_MAX)
        return err_set(err, ERR_INVALID, "panel",
                       "a focus group seats 2 to %d personas; this panel has %zu",
                       TEST_FOCUS_GROUP_MAX, n_members);
    struct focus f = { .e = e,
                       .t = t,
                       .members = members,
                       .n_members = n_members,
                       .sink = sink,
                       .per_scenario =
                           (int64_t)t->moderator_rounds * (int64_t)t->moderator_questions.n,
                       .total = run_units_total(t, n_members) };
    focus_names(&f);
    enum err_code rc = focus_world(&f, err);
    for (size_t s = 0; s < t->n_scenarios; s++)
        f.done += focus_closed(&f, s);
    if (!rc)
        f.done += f.w->step;
    for (size_t s = 0; !rc && s < t->n_scenarios; s++) {
        int64_t end = (int64_t)(s + 1) * f.per_scenario;
        while (!rc && f.w->step < end) {
            if (stop_here(sink, outcome))
                goto out;
            rc = discussion_step(&f, s, err);
        }
        if (!rc && !focus_closed(&f, s)) {
            if (stop_here(sink, outcome))
                goto out;
            rc = closing_step(&f, s, err);
        }
    }
    if (!rc)
        *outcome = RUN_COMPLETED;
out:
    world_free(f.w);
    strlist_release(&f.names);
    return rc;
}

/* ---- the run ------------------------------------------------------------------------------- */

enum err_code run_exec(const struct engine *e, const struct test_spec *t,
                       const struct run_member *members, size_t n_members, size_t step_units,
                       const struct run_sink *sink, enum run_outcome *outcome, struct err *err)
{
    assert(sink && sink->save_step);
    *outcome = RUN_COMPLETED;
    if (!step_units)
        step_units = RUN_STEP_UNITS;
    switch (t->type) {
    case TEST_PRODUCT:
    case TEST_MESSAGE:
        return run_surveys(e, t, members, n_members, step_units, sink, outcome, err);
    case TEST_JOURNEY:
        return run_journey(e, t, members, n_members, sink, outcome, err);
    case TEST_FOCUS_GROUP:
        return run_focus_group(e, t, members, n_members, sink, outcome, err);
    default:
        return err_set(err, ERR_INVALID, "type", "a test of an unknown type cannot run");
    }
}
