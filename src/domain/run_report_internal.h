/*
 * domain/run_report_internal.h - what run_report.c (the model's part) and
 * run_report_json.c (the JSON part) share; not for other files.
 */
#ifndef DOMAIN_RUN_REPORT_INTERNAL_H
#define DOMAIN_RUN_REPORT_INTERNAL_H

#include "domain/run_report.h"

struct run_theme {
    char *name;
    int sentiment; /* 1 positive, -1 negative, 0 neutral */
    size_t count;
    struct strlist quotes;
    size_t *rows; /* the rows (indexes into the run's rows) whose talk it covers */
    size_t n_rows;
};

struct run_themes {
    struct run_theme *themes;
    size_t n;
};

void run_themes_release(struct run_themes *t);

/* The summary, or why there is none (dropped: "" when there is a summary). */
struct run_insights {
    char *summary, *model;
    struct strlist highlights;
    char dropped[320];
};

void run_insights_release(struct run_insights *x);

/* The report without insights (report_build's document), malloc'd into *out. */
enum err_code run_report_build(const char *test_id, const struct test_spec *t,
                               const struct run_member *members, size_t n_members,
                               const struct run_rows *rows, const struct run_lines *transcript,
                               const struct run_facts *facts, bool segments,
                               const struct run_themes *themes, char **out, struct err *err);

/*
 * What the insights summary is written from: report without what changes
 * from one run of a test to the next (the run's id, status, usage, time),
 * so a re-run of an unchanged test asks nothing new of the model. malloc'd.
 */
char *run_report_stable(const char *report);

/* report with "insights" (and "themes_error" when themes_error is not NULL) added; malloc'd. */
char *run_report_finish(const char *report, const char *themes_error,
                        const struct run_insights *insights);

#endif
