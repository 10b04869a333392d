/*
 * engine/agent.c - an agent's perception, its turns in two halves (task,
 * commit) with the repetition guard and the mental-state update, and the
 * consolidation of its episodes (see agent.h).
 */
#include "core/compat.h"

#include "engine/agent.h"

#include <strings.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "engine/words.h"

struct agent *agent_new(struct persona *persona)
{
    struct agent *a = xcalloc(1, sizeof(*a));
    a->persona = persona;
    episodic_init(&a->episodic);
    a->semantic = semantic_new();
    return a;
}

void agent_free(struct agent *a)
{
    if (!a)
        return;
    persona_free(a->persona);
    cognitive_state_release(&a->state);
    episodic_release(&a->episodic);
    semantic_free(a->semantic);
    free(a->last_target);
    free(a->last_content);
    free(a);
}

struct agent *agent_dup(const struct agent *a)
{
    struct agent *b = xcalloc(1, sizeof(*b));
    b->persona = persona_dup(a->persona);
    cognitive_state_copy(&b->state, &a->state);
    episodic_copy(&b->episodic, &a->episodic);
    b->semantic = semantic_new();
    for (size_t i = 0; i < semantic_count(a->semantic); i++) {
        const char *text;
        enum memory_kind kind = semantic_item(a->semantic, i, &text);
        semantic_restore_item(b->semantic, kind, text);
    }
    b->seen = a->seen;
    b->has_last = a->has_last;
    b->last_type = a->last_type;
    b->last_target = xstrdup_or_null(a->last_target);
    b->last_content = xstrdup_or_null(a->last_content);
    b->turns = a->turns;
    b->actions = a->actions;
    return b;
}

const char *agent_name(const struct agent *a)
{
    return a->persona->name ? a->persona->name : "";
}

static bool speaks_portuguese(const struct agent *a)
{
    return a->persona->language && strncasecmp(a->persona->language, "pt", 2) == 0;
}

/* ---- perceiving --------------------------------------------------------------------- */

void agent_perceive(struct agent *a, enum stimulus_type type, const char *content,
                    const char *source)
{
    episodic_add_stimulus(&a->episodic, type, content, source, a->state.time);
}

void agent_set_time(struct agent *a, const char *iso_time)
{
    free(a->state.time);
    a->state.time = xstrdup_or_null(iso_time);
}

void agent_set_context(struct agent *a, const struct strlist *context)
{
    strlist_release(&a->state.context);
    if (context)
        strlist_copy(&a->state.context, context);
}

void agent_move_to(struct agent *a, const char *location, const struct strlist *context)
{
    free(a->state.location);
    a->state.location = xstrdup_or_null(location);
    agent_set_context(a, context);
}

void agent_add_goal(struct agent *a, const char *goal)
{
    if (!strlist_has(&a->state.goals, goal))
        strlist_add(&a->state.goals, goal);
    agent_perceive(a, STIMULUS_GOAL, goal, NULL);
}

/* The name part of an accessible entry "Name (relation)". */
static size_t entry_name_len(const char *entry)
{
    const char *paren = strstr(entry, " (");
    return paren ? (size_t)(paren - entry) : strlen(entry);
}

bool agent_can_reach(const struct agent *a, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < a->state.accessible.n; i++) {
        const char *e = a->state.accessible.items[i];
        if (entry_name_len(e) == n && strncasecmp(e, name, n) == 0)
            return true;
    }
    return false;
}

void agent_make_accessible(struct agent *a, const char *name, const char *relation)
{
    if (!name || !*name || agent_can_reach(a, name))
        return;
    struct buf b;
    buf_init(&b, 1024);
    buf_adds(&b, name);
    if (relation && *relation)
        buf_addf(&b, " (%s)", relation);
    strlist_add(&a->state.accessible, b.data);
    buf_release(&b);
}

enum err_code agent_read_document(struct agent *a, const char *name, const char *text,
                                  struct err *err)
{
    return semantic_add_document(a->semantic, name, text, err);
}

/* ---- the turn's task ---------------------------------------------------------------- */

/* What the turn is about, for memory retrieval: the state and the new stimuli. */
static void retrieval_query(const struct agent *a, struct buf *q)
{
    const struct cognitive_state *s = &a->state;
    for (size_t i = 0; i < s->goals.n; i++)
        buf_addf(q, "%s\n", s->goals.items[i]);
    for (size_t i = 0; i < s->context.n; i++)
        buf_addf(q, "%s\n", s->context.items[i]);
    if (s->attention)
        buf_addf(q, "%s\n", s->attention);
    if (s->emotions)
        buf_addf(q, "%s\n", s->emotions);
    for (size_t i = a->seen; i < a->episodic.n; i++)
        if (a->episodic.events[i].content)
            buf_addf(q, "%s\n", a->episodic.events[i].content);
}

static void copy_question(struct act_input *in, const struct question *q)
{
    struct question *c = act_add_question(in, q->id, q->kind, q->prompt);
    c->scale_min = q->scale_min;
    c->scale_max = q->scale_max;
    strlist_copy(&c->options, &q->options);
}

struct task *agent_turn_task(const struct agent *a, const struct turn_ask *ask)
{
    struct task *t = task_new(TASK_ACT);
    struct act_input *in = &t->u.act;
    in->persona = persona_dup(a->persona);
    cognitive_state_copy(&in->state, &a->state);
    episodic_window(&a->episodic, a->seen, &in->episodic);

    struct buf q;
    buf_init(&q, 64 * 1024);
    retrieval_query(a, &q);
    semantic_retrieve(a->semantic, q.data, SEMANTIC_TOP_K, &in->semantic);
    buf_release(&q);

    for (size_t i = a->seen; i < a->episodic.n; i++) {
        const struct event *e = &a->episodic.events[i];
        if (e->kind == EVENT_STIMULUS)
            act_add_stimulus(in, (enum stimulus_type)e->type, e->content ? e->content : "",
                             e->source);
    }
    if (ask) {
        for (size_t i = 0; i < ask->n_questions; i++)
            copy_question(in, &ask->questions[i]);
        in->ssr = ask->ssr;
        in->journey_step = ask->journey_step;
        in->journey_steps = ask->journey_steps;
    }
    return t;
}

/* ---- committing ----------------------------------------------------------------------- */

static bool same_target(const char *x, const char *y)
{
    if (!x || !*x || !y || !*y)
        return (!x || !*x) && (!y || !*y);
    return strcasecmp(x, y) == 0;
}

/* Would committing act repeat the previous non-DONE action? */
static bool repeats(const struct agent *a, const struct action *act)
{
    return a->has_last && a->last_type == act->type && same_target(a->last_target, act->target) &&
           text_trigram_jaccard(a->last_content ? a->last_content : "",
                                act->content ? act->content : "") > AGENT_REPETITION_THRESHOLD;
}

static void remember_last(struct agent *a, const struct action *act)
{
    a->has_last = true;
    a->last_type = act->type;
    free(a->last_target);
    free(a->last_content);
    a->last_target = xstrdup_or_null(act->target);
    a->last_content = xstrdup_or_null(act->content);
}

static void repetition_feedback(struct agent *a)
{
    episodic_add_feedback(&a->episodic,
                          speaks_portuguese(a)
                              ? "Eu ia repetir o que acabei de dizer; parei para não me repetir."
                              : "I was about to repeat what I had just said, so I stopped.",
                          a->state.time);
}

/* Each field the model gave replaces the agent's own; absent fields stay. */
static void update_state(struct agent *a, struct cognitive_state *from)
{
    struct cognitive_state *s = &a->state;
    if (from->goals.n) {
        strlist_release(&s->goals);
        s->goals = from->goals;
        memset(&from->goals, 0, sizeof(from->goals));
    }
    if (from->context.n) {
        strlist_release(&s->context);
        s->context = from->context;
        memset(&from->context, 0, sizeof(from->context));
    }
    if (from->attention && *from->attention) {
        free(s->attention);
        s->attention = from->attention;
        from->attention = NULL;
    }
    if (from->emotions && *from->emotions) {
        free(s->emotions);
        s->emotions = from->emotions;
        from->emotions = NULL;
    }
}

static void commit_actions(struct agent *a, struct act_answer *ans, struct turn_result *out)
{
    for (size_t i = 0; i < ans->n_actions; i++) {
        struct action *act = &ans->actions[i];
        if (act->type == ACTION_DONE)
            break;
        if (repeats(a, act)) {
            repetition_feedback(a);
            out->repeated = true;
            break;
        }
        episodic_add_action(&a->episodic, act->type, act->content, act->target, a->state.time);
        remember_last(a, act);
        a->actions++;
        ALLOC_GROW(out->actions, out->n_actions + 1, out->alloc_actions);
        out->actions[out->n_actions++] = *act; /* moved */
        memset(act, 0, sizeof(*act));
    }
}

enum err_code agent_turn_commit(struct agent *a, const struct task *task,
                                const struct llm_response *resp, struct turn_result *out,
                                struct err *err)
{
    struct turn_result scratch;
    if (!out)
        out = &scratch;
    memset(out, 0, sizeof(*out));
    if (resp->code)
        return err_set(err, resp->code, resp->err.field, "%s", resp->err.msg);
    struct act_answer ans;
    enum err_code rc = act_answer_read(&task->u.act, resp->json, &ans, err);
    if (rc) {
        act_answer_release(&ans);
        return rc;
    }
    a->seen = a->episodic.n; /* the stimuli of this turn have been shown */
    commit_actions(a, &ans, out);
    update_state(a, &ans.state);
    out->answers = ans.answers;
    out->n_answers = ans.n_answers;
    ans.answers = NULL;
    ans.n_answers = 0;
    out->journey_continue = ans.journey_continue;
    out->journey_reason = ans.journey_reason;
    ans.journey_reason = NULL;
    act_answer_release(&ans);
    a->seen = a->episodic.n; /* its own actions too */
    a->turns++;
    if (out == &scratch)
        turn_result_release(out);
    return ERR_OK;
}

void turn_result_release(struct turn_result *r)
{
    for (size_t i = 0; i < r->n_actions; i++) {
        free(r->actions[i].content);
        free(r->actions[i].target);
    }
    free(r->actions);
    for (size_t i = 0; i < r->n_answers; i++)
        answer_value_release(&r->answers[i]);
    free(r->answers);
    free(r->journey_reason);
    memset(r, 0, sizeof(*r));
}

/* ---- consolidation -------------------------------------------------------------------- */

bool agent_needs_consolidation(const struct agent *a, bool turn_ended)
{
    size_t n = episodic_episode_length(&a->episodic);
    return n >= EPISODE_MAX || (turn_ended && n > EPISODE_MIN);
}

struct task *agent_consolidation_task(const struct agent *a)
{
    struct task *t = task_new(TASK_CONSOLIDATE);
    t->u.consolidate.persona_name = xstrdup(agent_name(a));
    t->u.consolidate.language = xstrdup(a->persona->language ? a->persona->language : "en");
    episodic_episode_lines(&a->episodic, &t->u.consolidate.events);
    return t;
}

/* Keeps `seen` pointing at the same event after episodic_end_episode dropped some. */
static size_t seen_after_drop(size_t seen, size_t dropped)
{
    if (seen <= EPISODIC_PREFIX)
        return seen;
    if (seen >= EPISODIC_PREFIX + dropped)
        return seen - dropped;
    return EPISODIC_PREFIX; /* it pointed into the dropped events: they were consolidated */
}

enum err_code agent_consolidation_commit(struct agent *a, const struct llm_response *resp,
                                         struct err *err)
{
    if (resp->code)
        return err_set(err, resp->code, resp->err.field, "%s", resp->err.msg);
    struct strlist memories = { 0 };
    enum err_code rc = consolidate_answer_read(resp->json, &memories, err);
    if (!rc) {
        for (size_t i = 0; i < memories.n; i++)
            semantic_add_memory(a->semantic, memories.items[i]);
        size_t before = a->episodic.dropped;
        episodic_end_episode(&a->episodic);
        a->seen = seen_after_drop(a->seen, a->episodic.dropped - before);
    }
    strlist_release(&memories);
    return rc;
}

/* ---- the repetition guard's measure ------------------------------------------------------ */

static uint64_t fnv(uint64_t h, struct span w)
{
    for (size_t i = 0; i < w.len; i++) {
        h ^= (unsigned char)w.ptr[i];
        h *= 1099511628211ull;
    }
    return h ^ 0x1f; /* a separator between words */
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* The distinct word trigrams of text as sorted hashes (words when under three). */
static size_t shingles(const char *text, uint64_t **out)
{
    struct words ws;
    words_init(&ws, text);
    size_t span = ws.n >= 3 ? 3 : 1;
    size_t n = ws.n >= span ? ws.n - span + 1 : 0;
    uint64_t *h = xcalloc(n ? n : 1, sizeof(*h));
    for (size_t i = 0; i < n; i++) {
        uint64_t x = 1469598103934665603ull;
        for (size_t k = 0; k < span; k++)
            x = fnv(x, ws.w[i + k]);
        h[i] = x;
    }
    words_release(&ws);
    qsort(h, n, sizeof(*h), cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || h[m - 1] != h[i])
            h[m++] = h[i];
    *out = h;
    return m;
}

double text_trigram_jaccard(const char *a, const char *b)
{
    uint64_t *x, *y;
    size_t nx = shingles(a, &x), ny = shingles(b, &y);
    size_t i = 0, j = 0, both = 0;
    while (i < nx && j < ny) {
        if (x[i] == y[j]) {
            both++;
            i++;
            j++;
        } else if (x[i] < y[j]) {
            i++;
        } else {
            j++;
        }
    }
    free(x);
    free(y);
    size_t either = nx + ny - both;
    return either ? (double)both / (double)either : 1.0;
}
