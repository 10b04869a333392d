/*
 * engine/episodic.c - an agent's episodic memory: appending events, the
 * prompt lines of an event, the window a turn's prompt shows, episodes and
 * the trimming that keeps the memory bounded. See episodic.h.
 *
 * Invariants: events[0, min(n, EPISODIC_PREFIX)) are the agent's first
 * events, never dropped; when dropped > 0, exactly `dropped` events lived
 * between events[EPISODIC_PREFIX - 1] and events[EPISODIC_PREFIX];
 * episode_start <= n. Every string an event holds is owned by it.
 */
#include "core/compat.h"

#include "engine/episodic.h"

#include "core/utf8.h"
#include "core/xalloc.h"

/* The largest prompt line: the capped text and names, the tags and the time. */
#define LINE_MAX_BYTES (EVENT_TEXT_MAX + 3 * EVENT_NAME_MAX + 256)

const char *event_type_name(const struct event *e)
{
    switch (e->kind) {
    case EVENT_STIMULUS:
        return stimulus_type_name((enum stimulus_type)e->type);
    case EVENT_ACTION:
        return action_type_name((enum action_type)e->type);
    default:
        return "";
    }
}

/* ---- lifecycle ------------------------------------------------------------------------ */

void episodic_init(struct episodic *m)
{
    *m = (struct episodic){ 0 };
}

static void event_release(struct event *e)
{
    FREE_AND_NULL(e->content);
    FREE_AND_NULL(e->source);
    FREE_AND_NULL(e->target);
    FREE_AND_NULL(e->time);
}

void episodic_release(struct episodic *m)
{
    for (size_t i = 0; i < m->n; i++)
        event_release(&m->events[i]);
    free(m->events);
    episodic_init(m);
}

static void add_event(struct episodic *m, enum event_kind kind, int type, const char *content,
                      const char *source, const char *target, const char *time)
{
    ALLOC_GROW(m->events, m->n + 1, m->alloc);
    m->events[m->n++] = (struct event){
        .kind = kind,
        .type = type,
        .content = xstrdup_or_null(content),
        .source = xstrdup_or_null(source),
        .target = xstrdup_or_null(target),
        .time = xstrdup_or_null(time),
    };
}

void episodic_add_stimulus(struct episodic *m, enum stimulus_type type, const char *content,
                           const char *source, const char *time)
{
    add_event(m, EVENT_STIMULUS, (int)type, content, source, NULL, time);
}

void episodic_add_action(struct episodic *m, enum action_type type, const char *content,
                         const char *target, const char *time)
{
    add_event(m, EVENT_ACTION, (int)type, content, NULL, target, time);
}

void episodic_add_feedback(struct episodic *m, const char *content, const char *time)
{
    add_event(m, EVENT_FEEDBACK, 0, content, NULL, NULL, time);
}

static void event_copy(struct event *dst, const struct event *src)
{
    *dst = (struct event){
        .kind = src->kind,
        .type = src->type,
        .content = xstrdup_or_null(src->content),
        .source = xstrdup_or_null(src->source),
        .target = xstrdup_or_null(src->target),
        .time = xstrdup_or_null(src->time),
    };
}

void episodic_copy(struct episodic *dst, const struct episodic *src)
{
    episodic_init(dst);
    if (src->n == 0)
        return;
    dst->events = xcalloc(src->n, sizeof(*dst->events));
    dst->alloc = src->n;
    for (size_t i = 0; i < src->n; i++)
        event_copy(&dst->events[i], &src->events[i]);
    dst->n = src->n;
    dst->dropped = src->dropped;
    dst->episode_start = src->episode_start;
}

/* ---- prompt lines --------------------------------------------------------------------- */

/* Appends s capped at max bytes on a character boundary, with "..." when cut. */
static void add_capped(struct buf *out, const char *s, size_t max)
{
    size_t len = strlen(s);
    size_t keep = utf8_cut(s, len, max);
    buf_add(out, s, keep);
    if (keep < len)
        buf_adds(out, "...");
}

void episodic_line(const struct event *e, struct buf *out)
{
    switch (e->kind) {
    case EVENT_STIMULUS:
        buf_addf(out, "[STIMULUS:%s]", event_type_name(e));
        break;
    case EVENT_ACTION:
        buf_addf(out, "[ACTION:%s]", event_type_name(e));
        break;
    default:
        buf_adds(out, "[FEEDBACK]");
        break;
    }
    if (e->kind == EVENT_STIMULUS && e->source && *e->source) {
        buf_adds(out, " from ");
        add_capped(out, e->source, EVENT_NAME_MAX);
    }
    if (e->kind == EVENT_ACTION && e->target && *e->target) {
        buf_adds(out, " to ");
        add_capped(out, e->target, EVENT_NAME_MAX);
    }
    if (e->time && *e->time) {
        buf_adds(out, " @");
        add_capped(out, e->time, EVENT_NAME_MAX);
    }
    if (e->content && *e->content) {
        buf_adds(out, ": ");
        add_capped(out, e->content, EVENT_TEXT_MAX);
    }
}

static void add_line(struct strlist *out, const struct event *e)
{
    struct buf b;
    buf_init(&b, LINE_MAX_BYTES);
    episodic_line(e, &b);
    strlist_add(out, b.data);
    buf_release(&b);
}

/* ---- episodes and the window ---------------------------------------------------------- */

size_t episodic_episode_length(const struct episodic *m)
{
    return m->n - m->episode_start;
}

void episodic_episode_lines(const struct episodic *m, struct strlist *out)
{
    for (size_t i = m->episode_start; i < m->n; i++)
        add_line(out, &m->events[i]);
}

void episodic_window(const struct episodic *m, size_t upto, struct strlist *out)
{
    if (upto > m->n)
        upto = m->n;
    size_t head = upto < EPISODIC_PREFIX ? upto : EPISODIC_PREFIX;
    for (size_t i = 0; i < head; i++)
        add_line(out, &m->events[i]);
    if (upto <= head)
        return; /* dropped events come after the prefix: none of them is in [0, upto) yet */

    /* The tail: the last EPISODIC_LOOKBACK of [head, upto), never overlapping the prefix. */
    size_t tail = upto - head < EPISODIC_LOOKBACK ? head : upto - EPISODIC_LOOKBACK;
    size_t omitted = m->dropped + (tail - head);
    if (omitted > 0) {
        char marker[64];
        snprintf(marker, sizeof(marker), "(%zu earlier events omitted)", omitted);
        strlist_add(out, marker);
    }
    for (size_t i = tail; i < upto; i++)
        add_line(out, &m->events[i]);
}

/*
 * Ending an episode drops the events in [EPISODIC_PREFIX, n - EPISODIC_LOOKBACK):
 * the prefix is always shown, the last EPISODIC_LOOKBACK may still be, and
 * everything between is older than any future window's tail. They all lie
 * before the new episode (which starts at n), so no episode loses an event.
 */
void episodic_end_episode(struct episodic *m)
{
    size_t from = EPISODIC_PREFIX;
    size_t to = m->n > EPISODIC_LOOKBACK ? m->n - EPISODIC_LOOKBACK : 0;
    if (to > from) {
        for (size_t i = from; i < to; i++)
            event_release(&m->events[i]);
        memmove(&m->events[from], &m->events[to], (m->n - to) * sizeof(*m->events));
        m->n -= to - from;
        m->dropped += to - from;
    }
    m->episode_start = m->n;
}
