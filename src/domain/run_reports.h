/*
 * domain/run_reports.h - a run's report and exports as the API serves them
 * (SPEC.md 3 "Results", 4): the report made and stored once when a worker
 * completes a run (themes and the insights summary asked of the model),
 * made on the fly without the model for a run that has none stored (one
 * that failed or was cancelled, or is still going); the plan's
 * advanced_analytics gating the segment breakdowns (left out, marked
 * "segments_locked") and the exports (ERR_FORBIDDEN).
 */
#ifndef DOMAIN_RUN_REPORTS_H
#define DOMAIN_RUN_REPORTS_H

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"
#include "domain/accounts.h"

struct store;
struct llm_gateway;
struct strlist;

/*
 * Makes the report of run run_id (as the member who started it sees it)
 * with the model behind gw and stores it. Called by the worker that
 * completed the run.
 */
enum err_code run_report_save(struct store *s, struct llm_gateway *gw, const char *run_id,
                              struct err *err);

/* The report of run run_id of test test_id (NULL: the latest run) as JSON text (malloc'd). */
enum err_code run_report_get(struct store *s, const struct caller *c, const char *test_id,
                             const char *run_id, char **out, struct err *err);

/*
 * The members of run run_id (c has checked it may see it) in segment
 * "<dimension>:<value>" (report/report.h report_segment_of), into ids.
 * ERR_INVALID naming "segment" for another shape or dimension.
 */
enum err_code run_segment_members(struct store *s, const struct caller *c, const char *run_id,
                                  const char *segment, struct strlist *ids, struct err *err);

enum export_format {
    EXPORT_JSON, /* the report and every result */
    EXPORT_CSV,  /* one row per persona x question (domain/run_report.h run_rows_csv) */
    EXPORT_HTML, /* the self-contained report page (report/report_html.h) */
};

/* "json", "csv", "html" -> the format; -1 for anything else. */
int export_format_parse(const char *name);

/*
 * The export of run run_id (NULL: the latest) appended to out; *filename
 * (a buffer of 128 bytes) is a file name for it. ERR_FORBIDDEN without
 * advanced_analytics.
 */
enum err_code run_export(struct store *s, const struct caller *c, const char *test_id,
                         const char *run_id, enum export_format f, struct buf *out,
                         char filename[128], struct err *err);

#endif
