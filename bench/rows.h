/*
 * bench/rows.h - one row of bench/REPORT.md from a benchmark program: when
 * the environment names a file in BENCH_ROWS (bench/run sets it), each
 * figure printed is also appended there as a tab-separated line
 *   AREA <tab> BENCHMARK <tab> RESULT <tab> BASELINE <tab> RATIO
 * (BASELINE: the same work done another way, measured in the same run;
 * "-" when there is none). bench/run renders the lines into the report's
 * table. A header, not a .c file: every .c file in bench/ is a program.
 */
#ifndef BENCH_ROWS_H
#define BENCH_ROWS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Appends a row; result and baseline are printf formats of one value each
 * (baseline may be NULL: none). ratio < 0: none.
 */
static inline void bench_row(const char *area, const char *benchmark, const char *result,
                             const char *baseline, double ratio)
{
    const char *path = getenv("BENCH_ROWS");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    if (ratio >= 0)
        fprintf(f, "%s\t%s\t%s\t%s\t%.2f\n", area, benchmark, result, baseline ? baseline : "-",
                ratio);
    else
        fprintf(f, "%s\t%s\t%s\t%s\t-\n", area, benchmark, result, baseline ? baseline : "-");
    fclose(f);
}

#endif
