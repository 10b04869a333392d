/*
 * engine/episodic.h - an agent's episodic memory (ENGINE.md 3.1): the
 * events it lived - stimuli, its own actions, feedback - in order, and the
 * window of them a turn's prompt shows.
 *
 * An episode is the events since the last consolidation. The prompt shows
 * the first EPISODIC_PREFIX events, a marker when something is omitted,
 * and the last EPISODIC_LOOKBACK; each event's text is capped at
 * EVENT_TEXT_MAX bytes (on a UTF-8 boundary). Memory is bounded: when an
 * episode ends, the consolidated events that no window can show any more
 * (after the prefix, before the last EPISODIC_LOOKBACK) are dropped and
 * only counted, so an agent's memory does not grow with the length of a
 * simulation (its gist lives on in semantic memory).
 *
 * A struct episodic has one owner and is not thread-safe.
 */
#ifndef ENGINE_EPISODIC_H
#define ENGINE_EPISODIC_H

#include "core/buf.h"
#include "core/compat.h"
#include "engine/tasks.h"

#define EPISODIC_PREFIX   10  /* first events always shown */
#define EPISODIC_LOOKBACK 20  /* last events shown */
#define EPISODE_MIN       10  /* an episode longer than this is consolidated at a turn's end */
#define EPISODE_MAX       15  /* ... and one this long is consolidated before the next turn */
#define EVENT_TEXT_MAX    500 /* bytes of an event's text in a prompt */
#define EVENT_NAME_MAX    120 /* bytes of a source, target or time in a prompt */

enum event_kind {
    EVENT_STIMULUS, /* type is an enum stimulus_type */
    EVENT_ACTION,   /* type is an enum action_type */
    EVENT_FEEDBACK, /* a note from the engine (the repetition guard); type unused */
    EVENT_KIND_COUNT_,
};

struct event {
    enum event_kind kind;
    int type;
    char *content; /* owned; NULL for DONE */
    char *source;  /* stimulus: who or what it came from; may be NULL */
    char *target;  /* action: whom it was for; may be NULL */
    char *time;    /* the simulated time, ISO-8601; may be NULL */
};

struct episodic {
    struct event *events; /* owned: the kept events, oldest first */
    size_t n, alloc;
    size_t dropped;       /* events dropped between the prefix and the rest */
    size_t episode_start; /* index in events of the current episode's first event */
};

void episodic_init(struct episodic *m);
void episodic_release(struct episodic *m);

/*
 * "CONVERSATION", "TALK", ...: the type's name for a stimulus
 * (stimulus_type_name) or an action; "" for feedback.
 */
const char *event_type_name(const struct event *e);

/* Appends an event (strings copied; NULLs allowed where the struct says). */
void episodic_add_stimulus(struct episodic *m, enum stimulus_type type, const char *content,
                           const char *source, const char *time);
void episodic_add_action(struct episodic *m, enum action_type type, const char *content,
                         const char *target, const char *time);
void episodic_add_feedback(struct episodic *m, const char *content, const char *time);

/* Events in the current episode. */
size_t episodic_episode_length(const struct episodic *m);

/* The current episode's events as prompt lines (episodic_line), oldest first, appended to out. */
void episodic_episode_lines(const struct episodic *m, struct strlist *out);

/*
 * Ends the episode (after its consolidation): the next event starts a new
 * one, and the events no window can show any more are dropped: those in
 * [EPISODIC_PREFIX, n - EPISODIC_LOOKBACK), counted in m->dropped. So
 * after an episode ends, n <= EPISODIC_PREFIX + EPISODIC_LOOKBACK.
 *
 * Indices shift: when m->dropped grows by d, the old indices in
 * [EPISODIC_PREFIX, EPISODIC_PREFIX + d) are gone and an old index
 * i >= EPISODIC_PREFIX + d is now i - d (a boundary kept by a caller, such
 * as "events [0, seen) were shown", must be moved the same way).
 */
void episodic_end_episode(struct episodic *m);

/*
 * The window of events [0, upto) as prompt lines, appended to out: the
 * first EPISODIC_PREFIX, then "(N earlier events omitted)" when any are,
 * then the last EPISODIC_LOOKBACK (dropped events count as omitted). upto
 * is an index in events (m->n for all of them; larger is taken as m->n).
 */
void episodic_window(const struct episodic *m, size_t upto, struct strlist *out);

/*
 * One event as a prompt line, appended to out; text capped at
 * EVENT_TEXT_MAX and names and time at EVENT_NAME_MAX (on a UTF-8
 * boundary, "..." added when cut):
 *   [STIMULUS:CONVERSATION] from Ana @2026-01-05T10:00: text
 *   [ACTION:TALK] to Bob @...: text
 *   [FEEDBACK] @...: text
 *   [ACTION:DONE]
 * ("from"/"to"/"@"/": text" parts only when present and not empty).
 */
void episodic_line(const struct event *e, struct buf *out);

/* A deep copy of src into dst (dst initialised here). */
void episodic_copy(struct episodic *dst, const struct episodic *src);

#endif
