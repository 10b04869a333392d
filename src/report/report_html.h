/*
 * report/report_html.h - a run's report as one self-contained HTML page: the
 * JSON document of report/report.h (as text) read with jansson and written
 * as an HTML5 page with inline CSS and inline SVG charts (report/svg.h),
 * printable to PDF.
 *
 * The page needs nothing else: no script, no external font, image, link or
 * style sheet, so it renders offline and under a content security policy of
 * "default-src 'none'; style-src 'unsafe-inline'; img-src data:" (the page
 * carries that policy itself in a <meta http-equiv>). Every text of the
 * document (names, prompts, options, quotes, themes, criteria, insights) is
 * escaped through report/html.h; every number is written the same in every
 * locale, as the document has it (the document's numbers are already
 * rounded), and a share as a percentage with one decimal.
 *
 * Sections, each only when the document has it: the header (test, type,
 * run, model, an "Offline model" badge when run.offline is true, date), key
 * figures, insights, success criteria, the winner and the variant
 * comparisons, results by question, by scenario and slot, segments, the
 * journey's funnel with its reasons, and themes. A member that is missing,
 * null or of another type than the document's shape says is treated as
 * absent: a document that lacks a section renders without it.
 *
 * Reentrant; report_json is borrowed for the call only.
 */
#ifndef REPORT_REPORT_HTML_H
#define REPORT_REPORT_HTML_H

#include "core/compat.h"

#include "core/buf.h"
#include "core/err.h"

/*
 * The report (the JSON document of report/report.h, as text) as one
 * self-contained HTML page.
 *
 * Appends the page to out (whose maximum bounds it). Errors, with out
 * truncated back to its length at the call:
 *   - ERR_BAD_JSON: report_json[0..len) is not JSON text, or not an object
 *     or array at the top (the message names the line and column);
 *   - ERR_INVALID: the top is not an object, or its "test" is not an object;
 *   - ERR_TOO_LARGE: the page would pass out's maximum (out->failed stays set).
 */
enum err_code report_html(const char *report_json, size_t len, struct buf *out, struct err *err);

#endif
