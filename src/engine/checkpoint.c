/*
 * engine/checkpoint.c - worlds and survey units to checkpoint JSON and
 * back (see checkpoint.h). A wire file: JSON is allowed here. Loading
 * validates every field and builds the whole state aside, so a bad
 * checkpoint changes nothing.
 */
#include "core/compat.h"

#include "engine/checkpoint.h"

#include <jansson.h>

#include "core/jsonio.h"
#include "core/xalloc.h"

static const char *const EVENT_KINDS[EVENT_KIND_COUNT_] = { "stimulus", "action", "feedback" };

/* ---- writing -------------------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
    return s ? jsonio_string(s, strlen(s)) : json_null();
}

static json_t *list_json(const struct strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, str_or_null(l->items[i]));
    return a;
}

static json_t *state_json(const struct cognitive_state *s)
{
    json_t *o = json_object();
    jsonio_set_str(o, "time", s->time);
    jsonio_set_str(o, "location", s->location);
    jsonio_set_new(o, "context", list_json(&s->context));
    jsonio_set_new(o, "goals", list_json(&s->goals));
    jsonio_set_str(o, "attention", s->attention);
    jsonio_set_str(o, "emotions", s->emotions);
    jsonio_set_new(o, "accessible", list_json(&s->accessible));
    return o;
}

static json_t *episodic_json(const struct episodic *m)
{
    json_t *events = json_array();
    for (size_t i = 0; i < m->n; i++) {
        const struct event *e = &m->events[i];
        json_t *o = json_object();
        jsonio_set_str(o, "kind", EVENT_KINDS[e->kind]);
        jsonio_set_new(o, "type", json_integer(e->type));
        jsonio_set_str(o, "content", e->content);
        jsonio_set_str(o, "source", e->source);
        jsonio_set_str(o, "target", e->target);
        jsonio_set_str(o, "time", e->time);
        json_array_append_new(events, o);
    }
    json_t *o = json_object();
    jsonio_set_new(o, "events", events);
    jsonio_set_new(o, "dropped", json_integer((json_int_t)m->dropped));
    jsonio_set_new(o, "episode_start", json_integer((json_int_t)m->episode_start));
    return o;
}

static json_t *semantic_json(const struct semantic *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < semantic_count(s); i++) {
        const char *text;
        enum memory_kind kind = semantic_item(s, i, &text);
        json_t *o = json_object();
        jsonio_set_str(o, "kind", kind == MEMORY_DOCUMENT ? "document" : "memory");
        jsonio_set_str(o, "text", text);
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *agent_json(const struct agent *a)
{
    json_t *o = json_object();
    jsonio_set_new(o, "persona", persona_to_json(a->persona, PERSONA_SHAPE_SPEC));
    jsonio_set_new(o, "state", state_json(&a->state));
    jsonio_set_new(o, "episodic", episodic_json(&a->episodic));
    jsonio_set_new(o, "seen", json_integer((json_int_t)a->seen));
    jsonio_set_new(o, "semantic", semantic_json(a->semantic));
    if (a->has_last) {
        json_t *last = json_object();
        jsonio_set_new(last, "type", json_integer(a->last_type));
        jsonio_set_str(last, "target", a->last_target);
        jsonio_set_str(last, "content", a->last_content);
        jsonio_set_new(o, "last", last);
    }
    jsonio_set_new(o, "turns", json_integer(a->turns));
    jsonio_set_new(o, "actions", json_integer(a->actions));
    return o;
}

char *world_checkpoint(const struct world *w, size_t *len)
{
    json_t *o = json_object();
    jsonio_set_new(o, "version", json_integer(CHECKPOINT_VERSION));
    jsonio_set_str(o, "name", w->name);
    jsonio_set_new(o, "broadcast", json_boolean(w->broadcast));
    jsonio_set_str(o, "start_time", w->start_time);
    jsonio_set_new(o, "minutes_per_step", json_integer(w->minutes_per_step));
    jsonio_set_new(o, "step", json_integer(w->step));
    jsonio_set_new(o, "clock_minutes", json_integer(w->clock_minutes));
    jsonio_set_new(o, "dropped", json_integer(w->dropped));
    json_t *agents = json_array();
    for (size_t i = 0; i < w->n_agents; i++)
        json_array_append_new(agents, agent_json(w->agents[i]));
    jsonio_set_new(o, "agents", agents);
    json_t *said = json_array();
    for (size_t i = 0; i < w->n_said; i++) {
        const struct said *s = &w->said[i];
        json_t *x = json_object();
        jsonio_set_new(x, "step", json_integer(s->step));
        jsonio_set_str(x, "speaker", s->speaker);
        jsonio_set_str(x, "target", s->target);
        jsonio_set_str(x, "text", s->text);
        jsonio_set_new(x, "delivered", json_boolean(s->delivered));
        json_array_append_new(said, x);
    }
    jsonio_set_new(o, "said", said);
    json_t *fired = json_array();
    for (size_t i = 0; i < w->n_interventions; i++)
        if (w->interventions[i].fired)
            json_array_append_new(fired, str_or_null(w->interventions[i].name));
    jsonio_set_new(o, "fired", fired);
    char *text = jsonio_dump(o, JSON_SORT_KEYS, len);
    json_decref(o);
    return text;
}

/* ---- reading ----------------------------------------------------------------------------- */

static enum err_code parse(const char *data, size_t len, json_t **out, struct err *err)
{
    struct err why = ERR_INIT;
    if (jsonio_parse(data, len, out, &why))
        return err_set(err, ERR_INVALID, NULL, "checkpoint: not JSON (%s)", why.msg);
    return ERR_OK;
}

/* obj[key] as a string (NULL when null or absent and !required). */
static enum err_code get_str(const json_t *obj, const char *key, bool required, const char **out,
                             const char *where, struct err *err)
{
    const json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return err_set(err, ERR_INVALID, key, "checkpoint: %s.%s is missing", where, key);
        return ERR_OK;
    }
    if (!json_is_string(v))
        return err_set(err, ERR_INVALID, key, "checkpoint: %s.%s must be a string", where, key);
    *out = json_string_value(v);
    return ERR_OK;
}

static enum err_code get_int(const json_t *obj, const char *key, int64_t min, int64_t max,
                             int64_t *out, const char *where, struct err *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return err_set(err, ERR_INVALID, key,
                       "checkpoint: %s.%s must be an integer in %" PRId64 "..%" PRId64, where, key,
                       min, max);
    *out = json_integer_value(v);
    return ERR_OK;
}

static enum err_code get_list(const json_t *obj, const char *key, struct strlist *out,
                              const char *where, struct err *err)
{
    const json_t *a = json_object_get(obj, key);
    if (!a || json_is_null(a))
        return ERR_OK;
    if (!json_is_array(a))
        return err_set(err, ERR_INVALID, key, "checkpoint: %s.%s must be a list", where, key);
    size_t i;
    const json_t *v;
    json_array_foreach (a, i, v) {
        if (!json_is_string(v))
            return err_set(err, ERR_INVALID, key, "checkpoint: %s.%s[%zu] must be a string", where,
                           key, i);
        strlist_add(out, json_string_value(v));
    }
    return ERR_OK;
}

static enum err_code state_read(const json_t *o, struct cognitive_state *s, struct err *err)
{
    if (!json_is_object(o))
        return err_set(err, ERR_INVALID, "state", "checkpoint: an agent's state is missing");
    const char *time, *location, *attention, *emotions;
    enum err_code rc = get_str(o, "time", false, &time, "state", err);
    if (!rc)
        rc = get_str(o, "location", false, &location, "state", err);
    if (!rc)
        rc = get_str(o, "attention", false, &attention, "state", err);
    if (!rc)
        rc = get_str(o, "emotions", false, &emotions, "state", err);
    if (!rc)
        rc = get_list(o, "context", &s->context, "state", err);
    if (!rc)
        rc = get_list(o, "goals", &s->goals, "state", err);
    if (!rc)
        rc = get_list(o, "accessible", &s->accessible, "state", err);
    if (!rc) {
        s->time = xstrdup_or_null(time);
        s->location = xstrdup_or_null(location);
        s->attention = xstrdup_or_null(attention);
        s->emotions = xstrdup_or_null(emotions);
    }
    return rc;
}

static int kind_of(const char *name)
{
    for (int k = 0; name && k < EVENT_KIND_COUNT_; k++)
        if (strcmp(name, EVENT_KINDS[k]) == 0)
            return k;
    return -1;
}

static enum err_code event_read(const json_t *o, size_t i, struct episodic *m, struct err *err)
{
    const char *kind_name, *content, *source, *target, *time;
    int64_t type = 0;
    enum err_code rc = get_str(o, "kind", true, &kind_name, "event", err);
    int kind = rc ? -1 : kind_of(kind_name);
    if (!rc && kind < 0)
        rc = err_set(err, ERR_INVALID, "kind", "checkpoint: event %zu has an unknown kind", i);
    int64_t types = kind == EVENT_STIMULUS ? STIMULUS_COUNT_ : ACTION_COUNT_;
    if (!rc && kind != EVENT_FEEDBACK)
        rc = get_int(o, "type", 0, types - 1, &type, "event", err);
    if (!rc)
        rc = get_str(o, "content", false, &content, "event", err);
    if (!rc)
        rc = get_str(o, "source", false, &source, "event", err);
    if (!rc)
        rc = get_str(o, "target", false, &target, "event", err);
    if (!rc)
        rc = get_str(o, "time", false, &time, "event", err);
    if (rc)
        return rc;
    if (kind == EVENT_STIMULUS)
        episodic_add_stimulus(m, (enum stimulus_type)type, content, source, time);
    else if (kind == EVENT_ACTION)
        episodic_add_action(m, (enum action_type)type, content, target, time);
    else
        episodic_add_feedback(m, content, time);
    return ERR_OK;
}

static enum err_code episodic_read(const json_t *o, struct episodic *m, struct err *err)
{
    const json_t *events = json_object_get(o, "events");
    if (!json_is_array(events))
        return err_set(err, ERR_INVALID, "episodic", "checkpoint: episodic.events is missing");
    size_t i;
    const json_t *e;
    json_array_foreach (events, i, e) {
        if (!json_is_object(e))
            return err_set(err, ERR_INVALID, "episodic", "checkpoint: event %zu is not an object",
                           i);
        enum err_code rc = event_read(e, i, m, err);
        if (rc)
            return rc;
    }
    int64_t dropped, start;
    enum err_code rc = get_int(o, "dropped", 0, INT64_MAX, &dropped, "episodic", err);
    if (!rc)
        rc = get_int(o, "episode_start", 0, (int64_t)m->n, &start, "episodic", err);
    if (!rc) {
        m->dropped = (size_t)dropped;
        m->episode_start = (size_t)start;
    }
    return rc;
}

static enum err_code semantic_read(const json_t *a, struct semantic *s, struct err *err)
{
    if (!json_is_array(a))
        return err_set(err, ERR_INVALID, "semantic", "checkpoint: semantic must be a list");
    size_t i;
    const json_t *o;
    json_array_foreach (a, i, o) {
        const char *kind, *text;
        enum err_code rc = get_str(o, "kind", true, &kind, "semantic", err);
        if (!rc)
            rc = get_str(o, "text", true, &text, "semantic", err);
        if (!rc && strcmp(kind, "memory") != 0 && strcmp(kind, "document") != 0)
            rc = err_set(err, ERR_INVALID, "semantic", "checkpoint: memory %zu has kind '%s'", i,
                         kind);
        if (rc)
            return rc;
        semantic_restore_item(
            s, strcmp(kind, "document") == 0 ? MEMORY_DOCUMENT : MEMORY_CONSOLIDATED, text);
    }
    return ERR_OK;
}

static enum err_code last_read(const json_t *o, struct agent *a, struct err *err)
{
    if (!o)
        return ERR_OK;
    int64_t type;
    const char *target, *content;
    enum err_code rc = get_int(o, "type", 0, ACTION_COUNT_ - 1, &type, "last", err);
    if (!rc)
        rc = get_str(o, "target", false, &target, "last", err);
    if (!rc)
        rc = get_str(o, "content", false, &content, "last", err);
    if (!rc) {
        a->has_last = true;
        a->last_type = (enum action_type)type;
        a->last_target = xstrdup_or_null(target);
        a->last_content = xstrdup_or_null(content);
    }
    return rc;
}

static enum err_code agent_read(const json_t *o, struct agent **out, struct err *err)
{
    *out = NULL;
    if (!json_is_object(o))
        return err_set(err, ERR_INVALID, "agents", "checkpoint: an agent is not an object");
    struct persona *p = NULL;
    enum err_code rc =
        persona_from_json(json_object_get(o, "persona"), PERSONA_SHAPE_SPEC, &p, err);
    if (rc)
        return rc;
    struct agent *a = agent_new(p);
    int64_t seen = 0, turns = 0, actions = 0;
    rc = state_read(json_object_get(o, "state"), &a->state, err);
    if (!rc)
        rc = episodic_read(json_object_get(o, "episodic"), &a->episodic, err);
    if (!rc)
        rc = get_int(o, "seen", 0, (int64_t)a->episodic.n, &seen, "agent", err);
    if (!rc)
        rc = semantic_read(json_object_get(o, "semantic"), a->semantic, err);
    if (!rc)
        rc = last_read(json_object_get(o, "last"), a, err);
    if (!rc)
        rc = get_int(o, "turns", 0, INT64_MAX, &turns, "agent", err);
    if (!rc)
        rc = get_int(o, "actions", 0, INT64_MAX, &actions, "agent", err);
    if (rc) {
        agent_free(a);
        return rc;
    }
    a->seen = (size_t)seen;
    a->turns = turns;
    a->actions = actions;
    *out = a;
    return ERR_OK;
}

/* Everything world_load reads, built aside before it touches the world. */
struct loaded {
    struct world *w; /* a scratch world holding the agents and what was said */
    bool *fired;
};

static enum err_code said_read(const json_t *a, struct world *w, struct err *err)
{
    if (!json_is_array(a))
        return err_set(err, ERR_INVALID, "said", "checkpoint: said must be a list");
    size_t i;
    const json_t *o;
    json_array_foreach (a, i, o) {
        int64_t step;
        const char *speaker, *target, *text;
        enum err_code rc = get_int(o, "step", 0, INT64_MAX, &step, "said", err);
        if (!rc)
            rc = get_str(o, "speaker", false, &speaker, "said", err);
        if (!rc)
            rc = get_str(o, "target", false, &target, "said", err);
        if (!rc)
            rc = get_str(o, "text", false, &text, "said", err);
        if (rc)
            return rc;
        ALLOC_GROW(w->said, w->n_said + 1, w->alloc_said);
        w->said[w->n_said++] =
            (struct said){ .step = step,
                           .speaker = xstrdup_or_null(speaker),
                           .target = xstrdup_or_null(target),
                           .text = xstrdup_or_null(text),
                           .delivered = json_is_true(json_object_get(o, "delivered")) };
    }
    return ERR_OK;
}

static enum err_code fired_read(const json_t *a, const struct world *w, bool *fired,
                                struct err *err)
{
    size_t i;
    const json_t *v;
    json_array_foreach (a, i, v) {
        const char *name = json_string_value(v);
        size_t k = 0;
        while (k < w->n_interventions && (!name || strcmp(w->interventions[k].name, name) != 0))
            k++;
        if (k == w->n_interventions)
            return err_set(err, ERR_INVALID, "fired",
                           "checkpoint: intervention '%s' is not defined in this world",
                           name ? name : "?");
        fired[k] = true;
    }
    return ERR_OK;
}

static enum err_code world_read(const json_t *o, const struct world *def, struct loaded *l,
                                struct err *err)
{
    int64_t version = 0, minutes, step, clock, dropped;
    const char *name, *start;
    enum err_code rc = get_int(o, "version", 0, INT64_MAX, &version, "world", err);
    if (!rc && version != CHECKPOINT_VERSION)
        rc = err_set(err, ERR_INVALID, "version",
                     "checkpoint: version %" PRId64 " (this program reads %d)", version,
                     CHECKPOINT_VERSION);
    if (!rc)
        rc = get_str(o, "name", false, &name, "world", err);
    if (!rc)
        rc = get_str(o, "start_time", true, &start, "world", err);
    if (!rc)
        rc = get_int(o, "minutes_per_step", 0, INT32_MAX, &minutes, "world", err);
    if (!rc)
        rc = get_int(o, "step", 0, INT64_MAX, &step, "world", err);
    if (!rc)
        rc = get_int(o, "clock_minutes", 0, INT64_MAX / 60000, &clock, "world", err);
    if (!rc)
        rc = get_int(o, "dropped", 0, INT64_MAX, &dropped, "world", err);
    if (rc)
        return rc;
    struct world_options opt = { .name = name,
                                 .broadcast = json_is_true(json_object_get(o, "broadcast")),
                                 .start_time = start,
                                 .minutes_per_step = (int)minutes };
    l->w = world_new(&opt);
    l->w->step = step;
    l->w->clock_minutes = clock;
    l->w->dropped = dropped;
    const json_t *agents = json_object_get(o, "agents");
    if (!json_is_array(agents))
        return err_set(err, ERR_INVALID, "agents", "checkpoint: agents must be a list");
    size_t i;
    const json_t *a;
    json_array_foreach (agents, i, a) {
        struct agent *ag = NULL;
        rc = agent_read(a, &ag, err);
        if (!rc)
            rc = world_add_agent(l->w, ag, err);
        if (rc) {
            if (rc == ERR_CONFLICT)
                agent_free(ag);
            return rc == ERR_CONFLICT ? ERR_INVALID : rc;
        }
    }
    rc = said_read(json_object_get(o, "said"), l->w, err);
    if (!rc) {
        l->fired = xcalloc(def->n_interventions ? def->n_interventions : 1, sizeof(bool));
        rc = fired_read(json_object_get(o, "fired"), def, l->fired, err);
    }
    return rc;
}

/* Moves what was loaded into w (a fresh world of the same definition). */
static void take(struct world *w, struct loaded *l)
{
    struct world *src = l->w;
    free(w->name);
    free(w->start_time);
    w->name = src->name;
    w->start_time = src->start_time;
    src->name = src->start_time = NULL;
    w->broadcast = src->broadcast;
    w->minutes_per_step = src->minutes_per_step;
    w->step = src->step;
    w->clock_minutes = src->clock_minutes;
    w->dropped = src->dropped;
    w->agents = src->agents;
    w->n_agents = src->n_agents;
    w->alloc_agents = src->alloc_agents;
    w->said = src->said;
    w->n_said = src->n_said;
    w->alloc_said = src->alloc_said;
    src->agents = NULL;
    src->n_agents = src->alloc_agents = 0;
    src->said = NULL;
    src->n_said = src->alloc_said = 0;
    for (size_t i = 0; i < w->n_interventions; i++)
        w->interventions[i].fired = l->fired[i];
}

enum err_code world_load(struct world *w, const char *data, size_t len, struct err *err)
{
    if (w->n_agents || w->step)
        return err_set(err, ERR_INVALID, NULL, "checkpoint: load into a fresh world");
    json_t *o = NULL;
    enum err_code rc = parse(data, len, &o, err);
    if (rc)
        return rc;
    struct loaded l = { 0 };
    rc = json_is_object(o) ? world_read(o, w, &l, err)
                           : err_set(err, ERR_INVALID, NULL, "checkpoint: not an object");
    if (!rc)
        take(w, &l);
    world_free(l.w);
    free(l.fired);
    json_decref(o);
    return rc;
}

enum err_code world_run_checkpointed(struct world *w, const struct engine *e, int64_t last_step,
                                     const struct checkpoint_sink *sink, const char *key,
                                     struct engine_usage *usage, struct err *err)
{
    while (w->step < last_step) {
        enum err_code rc = world_step(w, e, usage, err);
        if (rc)
            return rc;
        size_t len = 0;
        char *data = world_checkpoint(w, &len);
        rc = sink->write(sink->ctx, key, data, len, err);
        free(data);
        if (rc)
            return rc;
    }
    return ERR_OK;
}

/* ---- survey units ----------------------------------------------------------------------- */

static json_t *usage_json(const struct engine_usage *u)
{
    json_t *o = json_object();
    jsonio_set_new(o, "calls", json_integer(u->calls));
    jsonio_set_new(o, "failures", json_integer(u->failures));
    jsonio_set_new(o, "cache_hits", json_integer(u->cache_hits));
    jsonio_set_new(o, "reasks", json_integer(u->reasks));
    jsonio_set_new(o, "tokens_in", json_integer(u->tokens_in));
    jsonio_set_new(o, "tokens_out", json_integer(u->tokens_out));
    jsonio_set_new(o, "cost_micros", json_integer(u->cost_micros));
    return o;
}

static json_t *row_json(const struct survey_row *r)
{
    json_t *o = json_object();
    jsonio_set_new(o, "persona", json_integer((json_int_t)r->persona));
    jsonio_set_new(o, "scenario", json_integer((json_int_t)r->scenario));
    jsonio_set_new(o, "sample", json_integer(r->sample));
    jsonio_set_str(o, "question", r->question_id);
    jsonio_set_str(o, "kind", question_kind_name(r->kind));
    jsonio_set_new(o, "rating", json_real(r->rating));
    json_t *pmf = json_array();
    for (int k = 0; k < 5; k++)
        json_array_append_new(pmf, json_real(r->pmf[k]));
    jsonio_set_new(o, "pmf", pmf);
    jsonio_set_str(o, "text", r->text);
    jsonio_set_new(o, "ranking", list_json(&r->ranking));
    jsonio_set_new(o, "shown", list_json(&r->shown));
    return o;
}

char *survey_unit_checkpoint(const struct survey_unit_result *r, size_t *len)
{
    json_t *o = json_object();
    jsonio_set_new(o, "version", json_integer(CHECKPOINT_VERSION));
    jsonio_set_new(o, "code", json_integer(r->code));
    jsonio_set_str(o, "error", r->code ? r->err.msg : NULL);
    json_t *rows = json_array();
    for (size_t i = 0; i < r->n_rows; i++)
        json_array_append_new(rows, row_json(&r->rows[i]));
    jsonio_set_new(o, "rows", rows);
    jsonio_set_new(o, "thoughts", list_json(&r->thoughts));
    jsonio_set_new(o, "talk", list_json(&r->talk));
    jsonio_set_str(o, "model", r->model);
    jsonio_set_new(o, "usage", usage_json(&r->usage));
    char *text = jsonio_dump(o, JSON_SORT_KEYS, len);
    json_decref(o);
    return text;
}

static enum err_code real_read(const json_t *v, double *out, const char *what, struct err *err)
{
    if (!json_is_number(v))
        return err_set(err, ERR_INVALID, what, "checkpoint: %s must be a number", what);
    *out = json_number_value(v);
    return ERR_OK;
}

static enum err_code row_read(const struct survey_spec *spec, const json_t *o, struct survey_row *r,
                              struct err *err)
{
    int64_t persona, scenario, sample;
    const char *question, *text;
    enum err_code rc = get_int(o, "persona", 0, INT64_MAX, &persona, "row", err);
    if (!rc)
        rc = get_int(o, "scenario", 0, INT64_MAX, &scenario, "row", err);
    if (!rc)
        rc = get_int(o, "sample", 0, SURVEY_MAX_SAMPLES - 1, &sample, "row", err);
    if (!rc)
        rc = get_str(o, "question", true, &question, "row", err);
    if (!rc)
        rc = get_str(o, "text", false, &text, "row", err);
    if (!rc)
        rc = real_read(json_object_get(o, "rating"), &r->rating, "row.rating", err);
    if (rc)
        return rc;
    const struct question *q = NULL;
    for (size_t i = 0; i < spec->n_questions && !q; i++)
        if (strcmp(spec->questions[i].id, question) == 0)
            q = &spec->questions[i];
    if (!q)
        return err_set(err, ERR_INVALID, "question",
                       "checkpoint: question '%s' is not in this survey", question);
    const json_t *pmf = json_object_get(o, "pmf");
    for (size_t k = 0; k < 5 && !rc; k++)
        rc = real_read(json_array_get(pmf, k), &r->pmf[k], "row.pmf", err);
    if (!rc)
        rc = get_list(o, "ranking", &r->ranking, "row", err);
    if (!rc)
        rc = get_list(o, "shown", &r->shown, "row", err);
    r->persona = (size_t)persona;
    r->scenario = (size_t)scenario;
    r->sample = (int)sample;
    r->question_id = q->id;
    r->kind = q->kind;
    r->text = xstrdup_or_null(text);
    return rc;
}

static enum err_code unit_read(const struct survey_spec *spec, const json_t *o,
                               struct survey_unit_result *out, struct err *err)
{
    int64_t version = 0, code = 0;
    const char *model, *error;
    enum err_code rc =
        get_int(o, "version", CHECKPOINT_VERSION, CHECKPOINT_VERSION, &version, "unit", err);
    if (!rc)
        rc = get_int(o, "code", 0, ERR_COUNT_ - 1, &code, "unit", err);
    if (!rc)
        rc = get_str(o, "model", false, &model, "unit", err);
    if (!rc)
        rc = get_str(o, "error", false, &error, "unit", err);
    if (!rc)
        rc = get_list(o, "thoughts", &out->thoughts, "unit", err);
    if (!rc)
        rc = get_list(o, "talk", &out->talk, "unit", err);
    if (rc)
        return rc;
    out->code = (enum err_code)code;
    if (code)
        err_set(&out->err, out->code, NULL, "%s", error ? error : "");
    out->model = xstrdup_or_null(model);
    const json_t *u = json_object_get(o, "usage");
    struct engine_usage *us = &out->usage;
    int64_t *fields[] = { &us->calls,     &us->failures,   &us->cache_hits, &us->reasks,
                          &us->tokens_in, &us->tokens_out, &us->cost_micros };
    static const char *const names[] = { "calls",     "failures",   "cache_hits", "reasks",
                                         "tokens_in", "tokens_out", "cost_micros" };
    for (size_t i = 0; i < ARRAY_SIZE(names) && !rc; i++)
        rc = get_int(u, names[i], 0, INT64_MAX, fields[i], "usage", err);
    const json_t *rows = json_object_get(o, "rows");
    if (!rc && !json_is_array(rows))
        rc = err_set(err, ERR_INVALID, "rows", "checkpoint: rows must be a list");
    for (size_t i = 0; !rc && i < json_array_size(rows); i++) {
        out->rows = xrealloc(out->rows, (out->n_rows + 1) * sizeof(*out->rows));
        memset(&out->rows[out->n_rows], 0, sizeof(*out->rows));
        rc = row_read(spec, json_array_get(rows, i), &out->rows[out->n_rows++], err);
    }
    return rc;
}

enum err_code survey_unit_load(const struct survey_spec *spec, const char *data, size_t len,
                               struct survey_unit_result *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    json_t *o = NULL;
    if (parse(data, len, &o, err))
        return ERR_INVALID;
    enum err_code rc = json_is_object(o)
                           ? unit_read(spec, o, out, err)
                           : err_set(err, ERR_INVALID, NULL, "checkpoint: not an object");
    json_decref(o);
    if (rc)
        survey_unit_result_release(out);
    return rc;
}
