/*
 * engine/world.c - agents in one place: the clock, interventions,
 * concurrent turns committed in agent order, routing of what they say,
 * consolidation, and all-or-nothing steps (see world.h).
 */
#include "core/compat.h"

#include "engine/world.h"

#include <strings.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "engine/analysis.h"

/* ---- lifecycle ---------------------------------------------------------------------- */

struct world *world_new(const struct world_options *opt)
{
    struct world *w = xcalloc(1, sizeof(*w));
    w->name = xstrdup_or_null(opt ? opt->name : NULL);
    w->broadcast = opt && opt->broadcast;
    w->start_time = xstrdup(opt && opt->start_time ? opt->start_time : WORLD_DEFAULT_START);
    w->minutes_per_step = opt ? opt->minutes_per_step : 0;
    return w;
}

static void said_release(struct said *s)
{
    free(s->speaker);
    free(s->target);
    free(s->text);
}

static void intervention_release(struct intervention *iv)
{
    free(iv->name);
    free(iv->claim);
    free(iv->content);
    free(iv->source);
    free(iv->target);
}

void world_free(struct world *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n_agents; i++)
        agent_free(w->agents[i]);
    free(w->agents);
    for (size_t i = 0; i < w->n_interventions; i++)
        intervention_release(&w->interventions[i]);
    free(w->interventions);
    for (size_t i = 0; i < w->n_said; i++)
        said_release(&w->said[i]);
    free(w->said);
    free(w->name);
    free(w->start_time);
    free(w);
}

void world_time(const struct world *w, char out[32])
{
    int64_t start = 0;
    if (!clock_parse_iso8601(w->start_time, &start))
        clock_parse_iso8601(WORLD_DEFAULT_START, &start);
    clock_iso8601(start + w->clock_minutes * 60000, out);
}

static void set_everyones_time(struct world *w)
{
    char now[32];
    world_time(w, now);
    for (size_t i = 0; i < w->n_agents; i++)
        agent_set_time(w->agents[i], now);
}

/* ---- agents ------------------------------------------------------------------------------ */

/* The first word of a name ("Ana" of "Ana Souza"). */
static size_t first_name_len(const char *name)
{
    return strcspn(name, " ");
}

struct agent *world_find(const struct world *w, const char *name)
{
    if (!name || !*name)
        return NULL;
    for (size_t i = 0; i < w->n_agents; i++)
        if (strcasecmp(agent_name(w->agents[i]), name) == 0)
            return w->agents[i];
    size_t n = strlen(name);
    for (size_t i = 0; i < w->n_agents; i++) {
        const char *full = agent_name(w->agents[i]);
        if (first_name_len(full) == n && strncasecmp(full, name, n) == 0)
            return w->agents[i];
    }
    return NULL;
}

enum err_code world_add_agent(struct world *w, struct agent *a, struct err *err)
{
    for (size_t i = 0; i < w->n_agents; i++)
        if (strcasecmp(agent_name(w->agents[i]), agent_name(a)) == 0)
            return err_set(err, ERR_CONFLICT, "name", "'%s' is already in the world",
                           agent_name(a));
    ALLOC_GROW(w->agents, w->n_agents + 1, w->alloc_agents);
    w->agents[w->n_agents++] = a;
    char now[32];
    world_time(w, now);
    agent_set_time(a, now);
    return ERR_OK;
}

void world_make_everyone_accessible(struct world *w)
{
    for (size_t i = 0; i < w->n_agents; i++)
        for (size_t j = 0; j < w->n_agents; j++)
            if (i != j)
                agent_make_accessible(w->agents[i], agent_name(w->agents[j]), NULL);
}

void world_broadcast_stimulus(struct world *w, enum stimulus_type type, const char *content,
                              const char *source)
{
    for (size_t i = 0; i < w->n_agents; i++)
        if (!source || strcasecmp(agent_name(w->agents[i]), source) != 0)
            agent_perceive(w->agents[i], type, content, source);
}

static void remember_said(struct world *w, const char *speaker, const char *target,
                          const char *text, bool delivered)
{
    ALLOC_GROW(w->said, w->n_said + 1, w->alloc_said);
    w->said[w->n_said++] = (struct said){ .step = w->step,
                                          .speaker = xstrdup_or_null(speaker),
                                          .target = xstrdup_or_null(target),
                                          .text = xstrdup_or_null(text),
                                          .delivered = delivered };
}

void world_broadcast(struct world *w, const char *content, const char *source)
{
    world_broadcast_stimulus(w, STIMULUS_CONVERSATION, content, source);
    remember_said(w, source, NULL, content, w->n_agents > 0);
}

/* ---- interventions ---------------------------------------------------------------------- */

enum err_code world_add_intervention(struct world *w, const struct intervention_spec *spec,
                                     struct err *err)
{
    if (!spec->name || !*spec->name)
        return err_set(err, ERR_INVALID, "name", "an intervention needs a name");
    if (!spec->content || !*spec->content)
        return err_set(err, ERR_INVALID, "content", "intervention '%s' needs a content",
                       spec->name);
    if (spec->threshold < 0 || spec->threshold > 9)
        return err_set(err, ERR_INVALID, "threshold",
                       "intervention '%s': the threshold is a score from 1 to 9", spec->name);
    for (size_t i = 0; i < w->n_interventions; i++)
        if (strcmp(w->interventions[i].name, spec->name) == 0)
            return err_set(err, ERR_CONFLICT, "name", "intervention '%s' already exists",
                           spec->name);
    ALLOC_GROW(w->interventions, w->n_interventions + 1, w->alloc_interventions);
    w->interventions[w->n_interventions++] = (struct intervention){
        .name = xstrdup(spec->name),
        .condition = spec->condition,
        .ctx = spec->ctx,
        .claim = spec->claim && *spec->claim ? xstrdup(spec->claim) : NULL,
        .threshold = spec->threshold,
        .from_step = spec->from_step,
        .once = spec->once,
        .effect = spec->effect,
        .stimulus = spec->stimulus,
        .content = xstrdup(spec->content),
        .source = xstrdup_or_null(spec->source),
        .target = xstrdup_or_null(spec->target),
    };
    return ERR_OK;
}

static void apply_effect(struct world *w, const struct intervention *iv)
{
    struct agent *only = iv->target ? world_find(w, iv->target) : NULL;
    if (iv->target && !only)
        return; /* the target left: nothing to do */
    for (size_t i = 0; i < w->n_agents; i++) {
        struct agent *a = w->agents[i];
        if (only && a != only)
            continue;
        if (iv->effect == EFFECT_STIMULUS) {
            agent_perceive(a, iv->stimulus, iv->content, iv->source);
        } else {
            struct strlist ctx = { 0 };
            strlist_add(&ctx, iv->content);
            agent_set_context(a, &ctx);
            strlist_release(&ctx);
        }
    }
}

/* Does the intervention's claim hold over what was said? One proposition call. */
static enum err_code claim_holds(const struct world *w, const struct intervention *iv,
                                 const struct engine *e, struct engine_usage *usage, bool *holds,
                                 struct err *err)
{
    struct transcript said = { 0 };
    for (size_t i = 0; i < w->n_said; i++)
        transcript_add(&said, w->said[i].speaker, w->said[i].text);
    struct analysis_claim c = { .claim = iv->claim, .transcript = &said };
    struct analysis_verdict v;
    struct engine scoped = *e;
    char step[32];
    snprintf(step, sizeof(step), "%" PRId64, w->step);
    scoped.seed = engine_seed(e->seed, "intervention", iv->name, step, (const char *)NULL);
    enum err_code rc = iv->threshold ? analysis_score(&scoped, &c, usage, &v, err)
                                     : analysis_check(&scoped, &c, usage, &v, err);
    if (!rc) {
        *holds = iv->threshold ? v.score < iv->threshold : v.value;
        analysis_verdict_release(&v);
    }
    transcript_release(&said);
    return rc;
}

static enum err_code run_interventions(struct world *w, const struct engine *e,
                                       struct engine_usage *usage, struct err *err)
{
    for (size_t i = 0; i < w->n_interventions; i++) {
        struct intervention *iv = &w->interventions[i];
        if ((iv->once && iv->fired) || w->step < iv->from_step)
            continue;
        if (iv->condition && !iv->condition(w, iv->ctx))
            continue;
        bool holds = true;
        if (iv->claim) {
            enum err_code rc = claim_holds(w, iv, e, usage, &holds, err);
            if (rc)
                return rc;
        }
        if (!holds)
            continue;
        apply_effect(w, iv);
        iv->fired = true;
    }
    return ERR_OK;
}

/* ---- a step ----------------------------------------------------------------------------- */

/* The state a failed step restores. */
struct saved {
    struct agent **agents;
    size_t n_agents, n_said;
    int64_t step, clock_minutes, dropped;
    bool *fired;
};

static void save(const struct world *w, struct saved *s)
{
    s->agents = xcalloc(w->n_agents ? w->n_agents : 1, sizeof(*s->agents));
    for (size_t i = 0; i < w->n_agents; i++)
        s->agents[i] = agent_dup(w->agents[i]);
    s->n_agents = w->n_agents;
    s->n_said = w->n_said;
    s->step = w->step;
    s->clock_minutes = w->clock_minutes;
    s->dropped = w->dropped;
    s->fired = xcalloc(w->n_interventions ? w->n_interventions : 1, sizeof(bool));
    for (size_t i = 0; i < w->n_interventions; i++)
        s->fired[i] = w->interventions[i].fired;
}

static void restore(struct world *w, struct saved *s)
{
    for (size_t i = 0; i < w->n_agents; i++) {
        agent_free(w->agents[i]);
        w->agents[i] = s->agents[i];
        s->agents[i] = NULL;
    }
    for (size_t i = s->n_said; i < w->n_said; i++)
        said_release(&w->said[i]);
    w->n_said = s->n_said;
    w->step = s->step;
    w->clock_minutes = s->clock_minutes;
    w->dropped = s->dropped;
    for (size_t i = 0; i < w->n_interventions; i++)
        w->interventions[i].fired = s->fired[i];
}

static void saved_release(struct saved *s)
{
    for (size_t i = 0; i < s->n_agents; i++)
        agent_free(s->agents[i]);
    free(s->agents);
    free(s->fired);
}

static uint64_t turn_seed(const struct engine *e, const struct world *w, const struct agent *a,
                          const char *what)
{
    char step[32];
    snprintf(step, sizeof(step), "%" PRId64, w->step);
    return engine_seed(e->seed, "world", w->name ? w->name : "", what, agent_name(a), step,
                       (const char *)NULL);
}

/* Consolidates, in one batch, every agent whose episode is due. */
static enum err_code consolidate_due(struct world *w, const struct engine *e, bool turn_ended,
                                     struct engine_usage *usage, struct err *err)
{
    struct engine_call *calls = xcalloc(w->n_agents ? w->n_agents : 1, sizeof(*calls));
    size_t *who = xcalloc(w->n_agents ? w->n_agents : 1, sizeof(*who));
    size_t n = 0;
    for (size_t i = 0; i < w->n_agents; i++) {
        if (!agent_needs_consolidation(w->agents[i], turn_ended))
            continue;
        calls[n] = (struct engine_call){ .task = agent_consolidation_task(w->agents[i]),
                                         .seed = turn_seed(e, w, w->agents[i], "consolidate"),
                                         .persona = agent_name(w->agents[i]) };
        who[n++] = i;
    }
    enum err_code rc = ERR_OK;
    if (n)
        engine_run(e, calls, n, usage);
    for (size_t k = 0; k < n; k++) {
        if (!rc)
            rc = agent_consolidation_commit(w->agents[who[k]], calls[k].resp, err);
        llm_response_free(calls[k].resp);
        task_free((struct task *)calls[k].task);
    }
    free(calls);
    free(who);
    return rc;
}

/* A message to deliver after every agent has acted. */
struct outgoing {
    size_t from;
    enum action_type type;
    char *content, *target;
};

static void deliver_talk(struct world *w, const struct outgoing *o)
{
    struct agent *speaker = w->agents[o->from];
    struct agent *to = world_find(w, o->target);
    if (to == speaker)
        to = NULL;
    if (to) {
        agent_perceive(to, STIMULUS_CONVERSATION, o->content, agent_name(speaker));
        remember_said(w, agent_name(speaker), agent_name(to), o->content, true);
        return;
    }
    bool reached = w->broadcast && w->n_agents > 1;
    if (reached)
        world_broadcast_stimulus(w, STIMULUS_CONVERSATION, o->content, agent_name(speaker));
    else
        w->dropped++;
    remember_said(w, agent_name(speaker), NULL, o->content, reached);
}

static void deliver_reach_out(struct world *w, const struct outgoing *o)
{
    struct agent *from = w->agents[o->from];
    struct agent *to = world_find(w, o->target);
    if (!to || to == from)
        return;
    agent_make_accessible(from, agent_name(to), NULL);
    agent_make_accessible(to, agent_name(from), NULL);
    char text[512];
    snprintf(text, sizeof(text), "%s reached out to you.", agent_name(from));
    agent_perceive(to, STIMULUS_SOCIAL, text, agent_name(from));
    snprintf(text, sizeof(text), "You reached %s.", agent_name(to));
    agent_perceive(from, STIMULUS_SOCIAL, text, agent_name(to));
}

static void collect(struct outgoing **out, size_t *n, size_t *alloc, size_t from,
                    struct turn_result *r)
{
    for (size_t i = 0; i < r->n_actions; i++) {
        struct action *a = &r->actions[i];
        if (a->type != ACTION_TALK && a->type != ACTION_REACH_OUT)
            continue;
        ALLOC_GROW(*out, *n + 1, *alloc);
        (*out)[(*n)++] = (struct outgoing){ from, a->type, a->content, a->target };
        a->content = a->target = NULL; /* moved */
    }
}

/* Every agent acts (one batch); answers committed and messages delivered in agent order. */
static enum err_code act_all(struct world *w, const struct engine *e, struct engine_usage *usage,
                             struct err *err)
{
    size_t n = w->n_agents;
    struct engine_call *calls = xcalloc(n ? n : 1, sizeof(*calls));
    for (size_t i = 0; i < n; i++)
        calls[i] = (struct engine_call){ .task = agent_turn_task(w->agents[i], NULL),
                                         .seed = turn_seed(e, w, w->agents[i], "act"),
                                         .persona = agent_name(w->agents[i]) };
    if (n)
        engine_run(e, calls, n, usage);
    struct outgoing *out = NULL;
    size_t n_out = 0, alloc_out = 0;
    enum err_code rc = ERR_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        struct turn_result r;
        rc = agent_turn_commit(w->agents[i], calls[i].task, calls[i].resp, &r, err);
        if (!rc)
            collect(&out, &n_out, &alloc_out, i, &r);
        turn_result_release(&r);
    }
    for (size_t k = 0; k < n_out; k++) {
        if (!rc)
            (out[k].type == ACTION_TALK ? deliver_talk : deliver_reach_out)(w, &out[k]);
        free(out[k].content);
        free(out[k].target);
    }
    free(out);
    for (size_t i = 0; i < n; i++) {
        llm_response_free(calls[i].resp);
        task_free((struct task *)calls[i].task);
    }
    free(calls);
    return rc;
}

enum err_code world_step(struct world *w, const struct engine *e, struct engine_usage *usage,
                         struct err *err)
{
    struct saved s;
    save(w, &s);
    w->step++;
    w->clock_minutes += w->minutes_per_step;
    set_everyones_time(w);
    enum err_code rc = run_interventions(w, e, usage, err);
    if (!rc)
        rc = consolidate_due(w, e, false, usage, err);
    if (!rc)
        rc = act_all(w, e, usage, err);
    if (!rc)
        rc = consolidate_due(w, e, true, usage, err);
    if (rc)
        restore(w, &s);
    saved_release(&s);
    return rc;
}

enum err_code world_run(struct world *w, const struct engine *e, int64_t n,
                        struct engine_usage *usage, struct err *err)
{
    for (int64_t i = 0; i < n; i++) {
        enum err_code rc = world_step(w, e, usage, err);
        if (rc)
            return rc;
    }
    return ERR_OK;
}
