/*
 * report/report.h - a run's report (SPEC.md 3 "Results"; ENGINE.md 9): the
 * answers of a run turned into aggregates - per question the distribution,
 * the mean with its t-based 95 % interval, shares with Wilson intervals,
 * top-two-box; segment breakdowns; variant comparisons with significance
 * tests and a winner only when significant; success criteria with their
 * figures; a journey's drop-off funnel with its reasons; themes with
 * quotes; cost, tokens, duration and model - as one JSON document, the
 * report's canonical form (served by the API, stored, read by the HTML
 * export and by the insights summary's grounding check).
 *
 * Knows no database, engine or model: the caller hands in the run's
 * answers as plain structs (domain/run_report.c from the database,
 * `crowdelic run` from memory) and, already computed, the themes. Pure and
 * deterministic: the same input gives the same document byte for byte
 * (the permutation test's random splits are seeded from input->seed).
 *
 * The document ("?" marks what may be null):
 *   {"test": {"id"?, "name", "type"},
 *    "run": {"id"?, "status"?, "model"?, "offline", "seed", "calls", "cache_hits", "tokens_in",
 *            "tokens_out", "cost_usd", "duration_s"?, "started_at"?, "finished_at"?},
 *    "respondents": <personas with at least one answer or unit>,
 *    "units": {"total", "failed", "abandoned"},
 *    "questions": [<stat, every answer to the question id across scenarios and variants>],
 *    "scenarios": [{"id", "title"?, "variants": [<ids>],
 *                   "slots": [{"key", "variant"?, "n", "questions": [<stat>]}]}],
 *    "comparisons": [<comparison>], "winner": <variant id> | null (only with comparisons),
 *    "segments"?: [{"dimension", "label", "groups": [{"value", "n", "too_small",
 *                   "questions": [<short stat>]}]}]       (null when not asked for)
 *    "criteria": [{"text", "passed"? (null: undecided), "error"?, "figures": {...}}],
 *    "funnel"?: {"steps": [{"id", "title"?, "reached", "continued", "abandoned", "failed",
 *                "drop_off", "reasons": [{"text", "count"}]}]}   (journeys only)
 *    "themes": {"positive": [<theme>], "negative": [<theme>], "neutral": [<theme>]},
 *    "transcript"?: [{"speaker", "text", "scenario", "round"}]   (when there is one)
 *    "insights"?: set later by the caller}
 * A stat: {"id", "kind", "prompt", "n", and by kind:
 *   rating   "scale": {"min", "max"}, "mean", "ci": [lo, hi]? (n >= 2; the t interval cut
 *            to the scale, where a mean of few answers may reach past it), "sd", "median", "min",
 *            "max", "top2_box": {"share", "ci": [lo, hi]} (scales of 3+ points),
 *            "distribution": [{"value": <a whole point of the scale, a number>, "count",
 *            "share"}] (every point, in order);
 *   yes_no   "distribution": [{"value": "yes"|"no", "count", "share", "ci": [lo, hi]}];
 *   choice   "distribution": [{"value": <option>, "count", "share", "ci"}] (options in order);
 *   ranking  "distribution": first places per option as for a choice, and "mean_rank":
 *            [{"value", "mean"}] (1 = first);
 *   text     "quotes": [<up to 5 answers, longest first>]}
 * A short stat (segments): {"id", "n", "mean"?, "ci"?} for ratings, {"id", "n", "share",
 * "ci"} for yes_no (the share of "yes").
 * A comparison: {"scenario", "question", "kind", "variants": [{"id", "n", "mean"?, "ci"?,
 *   "share"?}], "test": "permutation" | "chi_square", "statistic", "p", "effect":
 *   {"name": "cohens_d" | "cramers_v", "value"}, "welch": {"t", "df", "p"}?, "mann_whitney":
 *   {"u", "p", "rank_biserial"}?, "best", "runner_up", "significant", "winner"?}
 *   Ratings compare the two variants with the highest means (permutation test of the
 *   difference in means, Welch's t, Mann-Whitney U, Cohen's d); yes_no and choice compare
 *   every variant (chi-square on variants x answers, Cramér's V), best = the highest share of
 *   "yes" or of the first option. significant: p < REPORT_ALPHA; winner = best when
 *   significant. The report's winner is that of the first scenario's first comparison of
 *   its primary question (the first rating, else the first yes_no).
 * A theme: {"name", "count", "quotes": [...], "answers": [{"persona_id", "scenario",
 *   "sample"}]} (the answers it covers).
 * Numbers are rounded for reading (REPORT_DECIMALS places; p-values to 4 significant
 * digits), so every figure a reader sees is a figure of the document.
 */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H

#include "core/compat.h"
#include "core/err.h"

#define REPORT_ALPHA         0.05
#define REPORT_SMALL_SEGMENT 5 /* a segment with fewer answers is shown but marked */
#define REPORT_DECIMALS      3 /* of means, shares and intervals in the document */
#define REPORT_PERMUTATIONS  10000
#define REPORT_QUOTES        5
#define REPORT_REASONS       5 /* a funnel step's reasons shown */

enum report_kind {
    REPORT_RATING,
    REPORT_CHOICE,
    REPORT_YES_NO,
    REPORT_RANKING,
    REPORT_TEXT,
};

struct report_question {
    const char *id, *prompt;
    enum report_kind kind;
    int scale_min, scale_max;   /* REPORT_RATING */
    const char *const *options; /* REPORT_CHOICE, REPORT_RANKING */
    size_t n_options;
};

struct report_scenario {
    const char *id, *title;      /* title may be NULL */
    const char *const *variants; /* variant ids; NULL when none */
    size_t n_variants;
    const struct report_question *questions;
    size_t n_questions;
};

/* A respondent, for segments (any field may be NULL or 0: unknown). */
struct report_member {
    const char *id, *name;
    int age;
    const char *gender, *country, *income, *occupation;
};

/* One answer of one sample. */
struct report_answer {
    size_t member, scenario;    /* indexes into the input's members and scenarios */
    int variant;                /* index into the scenario's variants; -1 when none */
    size_t question;            /* index into the scenario's questions */
    double number;              /* REPORT_RATING */
    const char *text;           /* REPORT_CHOICE, REPORT_YES_NO, REPORT_TEXT */
    const char *const *ranking; /* REPORT_RANKING: options, first first */
    size_t n_ranking;
};

/* One unit's outcome: a member and a scenario key (a journey's step, a variant). */
struct report_unit {
    size_t member, scenario;
    int variant;
    bool abandoned;     /* journeys: gave up at this step */
    const char *reason; /* why, when abandoned */
    const char *error;  /* the unit's calls failed for good; NULL otherwise */
};

/* An answer a theme covers: a member's unit and sample. */
struct report_ref {
    const char *persona_id, *scenario; /* scenario: the unit's key */
    int sample;
};

struct report_theme {
    const char *name;
    int sentiment; /* 1 positive, -1 negative, 0 neutral */
    size_t count;
    const char *const *quotes;
    size_t n_quotes;
    const struct report_ref *answers; /* what it covers; may be NULL */
    size_t n_answers;
};

/* A line of a focus group's discussion. */
struct report_line {
    const char *speaker, *text, *scenario;
    int round;
};

struct report_input {
    const char *test_id, *test_name, *test_type; /* test_id may be NULL */
    const char *run_id, *run_status;             /* may be NULL */
    const char *model;                           /* may be NULL */
    bool offline;                                /* the offline model answered */
    uint64_t seed;
    int64_t calls, cache_hits, tokens_in, tokens_out, cost_micros;
    int64_t started_at_ms, finished_at_ms; /* 0: unknown */
    const struct report_scenario *scenarios;
    size_t n_scenarios;
    const struct report_member *members;
    size_t n_members;
    const struct report_answer *answers;
    size_t n_answers;
    const struct report_unit *units;
    size_t n_units;
    const char *const *criteria; /* success criteria as written */
    size_t n_criteria;
    const struct report_theme *themes;
    size_t n_themes;
    const struct report_line *transcript; /* a focus group's discussion; may be NULL */
    size_t n_transcript;
    bool segments; /* compute the segment breakdowns (the plan's advanced_analytics) */
};

/*
 * The report of in as compact JSON text (malloc'd; *len set when not NULL).
 * ERR_INVALID naming what is wrong when an answer points outside the
 * input (a caller's bug, never the data's).
 */
enum err_code report_build(const struct report_input *in, char **out, size_t *len, struct err *err);

/*
 * The segment of m along dimension ("age_band", "gender", "income",
 * "country", "occupation_group") as the report names it ("25-34",
 * "Portugal", "Technology", "unknown"), into out. False for an unknown
 * dimension.
 */
bool report_segment_of(const struct report_member *m, const char *dimension, char *out,
                       size_t size);

/* "rating", "choice", "yes_no", "ranking", "text". */
const char *report_kind_name(enum report_kind k);

#endif
