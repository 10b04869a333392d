/*
 * engine/reducer.h - the results reducer (TinyTroupe's ResultsReducer):
 * rules that turn an agent's episodic events into rows of a table, and the
 * table as CSV.
 *
 * A rule is keyed by an event kind and type ("every TALK action", "every
 * CONVERSATION stimulus", any type with REDUCER_ANY_TYPE). Reducing an
 * agent walks its events in order and, for each event, calls every rule
 * that matches it, in the order the rules were added; a rule may produce
 * one row or nothing.
 *
 * Only the events an episodic memory still holds can be reduced: ending an
 * episode drops the ones no prompt window shows (episodic.h). To reduce a
 * whole simulation, reduce each event as it is committed
 * (reducer_reduce_event) or each episode before it ends.
 *
 * A struct reducer is read-only while it reduces: several threads may
 * reduce with one reducer if its rules' contexts allow it.
 */
#ifndef ENGINE_REDUCER_H
#define ENGINE_REDUCER_H

#include "core/compat.h"

#include "core/buf.h"
#include "core/err.h"
#include "engine/episodic.h"
#include "engine/persona.h"

#define REDUCER_ANY_TYPE (-1)

/*
 * A rule: given the agent's name and one event, fills row (empty on entry)
 * and returns true, or returns false for no row (anything put in row is
 * then discarded). ctx is the pointer given to reducer_add_rule.
 */
typedef bool reducer_rule_fn(void *ctx, const char *agent, const struct event *e,
                             struct strlist *row);

/* The rows of a reduction, in event order. Zero-initialise; release with reducer_rows_release. */
struct reducer_rows {
    struct strlist *rows; /* owned */
    size_t n, alloc;
};

struct reducer;

struct reducer *reducer_new(void);
void reducer_free(struct reducer *r); /* accepts NULL */

/*
 * Adds a rule for the events of this kind and type (an enum stimulus_type
 * or action_type, or REDUCER_ANY_TYPE). Keeps ctx (borrowed) for calls of
 * fn; it must outlive the reducer's use.
 */
void reducer_add_rule(struct reducer *r, enum event_kind kind, int type, reducer_rule_fn *fn,
                      void *ctx);

/* The rows the rules make of one event, appended to out. */
void reducer_reduce_event(const struct reducer *r, const char *agent, const struct event *e,
                          struct reducer_rows *out);

/* The rows the rules make of every event m holds, oldest first, appended to out. */
void reducer_reduce(const struct reducer *r, const char *agent, const struct episodic *m,
                    struct reducer_rows *out);

/* Appends a copy of row (for rows made outside a rule, e.g. merged from several agents). */
void reducer_rows_add(struct reducer_rows *rows, const struct strlist *row);
void reducer_rows_release(struct reducer_rows *rows);

/*
 * The rows as CSV (RFC 4180), appended to out: a header line of columns
 * when columns is not NULL, then one line per row; lines end with CRLF; a
 * field holding a comma, a double quote, CR or LF is quoted, its quotes
 * doubled. ERR_INVALID (field "rows") when a row's width differs from the
 * columns' (or from the first row's, without columns), and out is
 * untouched; ERR_TOO_LARGE when out's maximum is reached (or out had
 * failed already), and out is cut back to its length on entry, its failed
 * flag set.
 */
enum err_code reducer_rows_csv(const struct reducer_rows *rows, const struct strlist *columns,
                               struct buf *out, struct err *err);

#endif
