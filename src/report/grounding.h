/*
 * report/grounding.h - whether a text written from a report states only
 * numbers the report holds (SPEC.md 3: the insights summary is grounded).
 *
 * A number of the text is a run of digits with an optional decimal part
 * ("7", "7.4", "0.05"; "1,200" and "1 200" read as 1200; a "-" before it
 * ignored). It is grounded when some number of the report - any JSON
 * number, or a number written inside one of its strings ("25-34",
 * "Step 2") - shows as it when rounded to the text's decimals, directly
 * or as a percentage (0.423 grounds "42", "42.3" and "0.42"). Nothing else
 * is allowed: not even small counts, so a summary that says "three of
 * five" in digits must find 3 and 5 in the report.
 */
#ifndef REPORT_GROUNDING_H
#define REPORT_GROUNDING_H

#include "core/compat.h"

/*
 * True when every number of text is grounded in the report (report_json,
 * len bytes; a report that does not parse grounds nothing). Otherwise the
 * first number that is not is copied into bad (bad_size bytes, may be 0).
 */
bool report_grounded(const char *report_json, size_t len, const char *text, char *bad,
                     size_t bad_size);

#endif
