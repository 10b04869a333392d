/*
 * domain/run_report.h - a run's report made from its results (SPEC.md 3
 * "Results"): the rows a run stored (or, for `crowdelic run`, kept in
 * memory) read against the test and its panel, the open answers grouped
 * into themes by the model, the aggregates built by report/report.h, and
 * an insights summary the model writes from them - grounded: a summary
 * that states a number the aggregates do not hold is asked again once,
 * then dropped with a note saying why.
 *
 * Rows are the run's results as run_results keeps them: one per member x
 * scenario key x sample, answers as a JSON object (question id -> typed
 * answer). run_rows_of turns a step's units into such rows, so the
 * database and the command line store the same thing.
 */
#ifndef DOMAIN_RUN_REPORT_H
#define DOMAIN_RUN_REPORT_H

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"
#include "domain/run_exec.h"
#include "domain/test_spec.h"
#include "engine/engine.h"

#define RUN_REPORT_THEMES      8   /* themes asked of the model */
#define RUN_REPORT_THEME_TEXTS 200 /* open answers grouped (the first, in row order) */
#define RUN_REPORT_QUOTES      3   /* quotes kept per theme */
#define RUN_REPORT_QUOTE_CHARS 280 /* characters of a quote; a longer text is cut at a word */

/* One stored result. */
struct run_row {
    char *member_id, *key; /* key: "<scenario>" or "<scenario>/<variant>" */
    int sample;
    char *answers; /* JSON object text */
    char *thought, *talk;
    bool abandoned;
    char *reason, *error, *model;               /* may be NULL */
    int64_t tokens_in, tokens_out, cost_micros; /* the unit's usage, on its first sample */
    char *theme, *sentiment; /* what the report's themes say of its talk; NULL: nothing */
};

struct run_rows {
    struct run_row *rows;
    size_t n, alloc;
};

/* Appends the rows of a unit (one per sample) to out. */
void run_rows_add_unit(struct run_rows *out, const struct run_unit_done *u);
void run_rows_release(struct run_rows *r);
/* Frees what one row owns. */
void run_row_release(struct run_row *r);
/*
 * Sets each row's theme and sentiment from a report's themes (the theme
 * whose answers name the row's member, key and sample); rows no theme
 * covers keep NULL. A report that does not parse changes nothing.
 */
void run_rows_tag_themes(const char *report, struct run_row *rows, size_t n);

/* A focus group's discussion, line by line (owned copies of run_said). */
struct run_line {
    char *member_id, *speaker, *target, *text, *scenario; /* member_id, target may be NULL */
    int round;
};

struct run_lines {
    struct run_line *lines;
    size_t n, alloc;
};

void run_lines_add(struct run_lines *out, const struct run_said *l);
void run_lines_release(struct run_lines *l);
/* The data of a run's "said" events (JSON text) as lines, appended to out. */
enum err_code run_lines_from_events(const char *const *data, size_t n, struct run_lines *out,
                                    struct err *err);

/* What the run cost and when (for the report's "run" section). */
struct run_facts {
    const char *run_id, *status, *model; /* may be NULL */
    bool offline;
    uint64_t seed;
    int64_t calls, cache_hits, tokens_in, tokens_out, cost_micros;
    int64_t started_at_ms, finished_at_ms;
};

/*
 * The report of t's run over members (their personas give the segments)
 * from rows, as JSON text (malloc'd into *out). e (may be NULL: no themes,
 * no insights) asks the model for the themes of what the personas said and
 * for the insights summary; their cost is added to *usage (may be NULL).
 * transcript (may be NULL) is a focus group's discussion, kept in the
 * report as it was said. segments: the plan allows the segment breakdowns. A failing model call
 * leaves its section out with a note ("themes_error", "insights":
 * {"dropped": ...}); only a row that cannot be read fails the report.
 */
enum err_code run_report_make(const struct engine *e, const char *test_id,
                              const struct test_spec *t, const struct run_member *members,
                              size_t n_members, const struct run_rows *rows,
                              const struct run_lines *transcript, const struct run_facts *facts,
                              bool segments, struct engine_usage *usage, char **out,
                              struct err *err);

/* The report's view of a member (report/report.h): its persona's demographics. */
struct report_member;
void run_report_member(const struct run_member *m, struct report_member *out);

/*
 * report without its segment breakdowns (for a plan without
 * advanced_analytics): "segments" null and "segments_locked" naming the
 * feature. malloc'd.
 */
char *run_report_lock_segments(const char *report);

/*
 * The rows as CSV (RFC 4180, report/csv.h) appended to out: a header, then
 * one row per member x scenario key x sample x question - run_id,
 * persona_id, persona_name, scenario, variant, sample, question_id,
 * question_kind, answer (a ranking as "a > b > c"), abandoned, reason,
 * error; a unit with no answers (a journey step without questions, a
 * failed unit) gets one row with the question empty. members names the
 * personas (a member id not among them is written with an empty name).
 */
enum err_code run_rows_csv(const char *run_id, const struct test_spec *t,
                           const struct run_member *members, size_t n_members,
                           const struct run_rows *rows, struct buf *out, struct err *err);

#endif
