/*
 * core/metrics.h - the process-wide metrics registry that any layer updates,
 * rendered in the Prometheus text exposition format (version 0.0.4).
 *
 * A family (counter, gauge, histogram) is registered once by name and its
 * handle kept; registering the same name again returns the same handle.
 * Series within a family are told apart by their labels. Label values are
 * escaped here, so they may hold any text.
 *
 * Threading: every function may be called from any thread; each family has
 * its own mutex. Handles stay valid until metrics_reset().
 */
#ifndef CORE_METRICS_H
#define CORE_METRICS_H

#include "core/buf.h"
#include "core/compat.h"

struct metric;

struct metric_label {
    const char *key;
    const char *value;
};

/* METRIC_LABELS({"route", r}, {"status", s}) expands to (array, count). */
#define METRIC_LABELS(...)                        \
    (const struct metric_label[]){ __VA_ARGS__ }, \
        (sizeof((const struct metric_label[]){ __VA_ARGS__ }) / sizeof(struct metric_label))
#define METRIC_NO_LABELS NULL, 0

typedef double metric_sample_fn(void *ctx);

struct metric *metrics_counter(const char *name, const char *help);
struct metric *metrics_gauge(const char *name, const char *help);
/* bounds: upper bounds of the buckets, increasing; +Inf is added. Copied. */
struct metric *metrics_histogram(const char *name, const char *help, const double *bounds,
                                 size_t n_bounds);
/* A gauge whose one value is read by calling fn(ctx) at render time. */
void metrics_gauge_sampled(const char *name, const char *help, metric_sample_fn *fn, void *ctx);

/* Counter or gauge: adds v (a counter ignores v < 0). */
void metric_add(struct metric *m, const struct metric_label *labels, size_t n_labels, double v);
/* Gauge: sets the value. */
void metric_set(struct metric *m, const struct metric_label *labels, size_t n_labels, double v);
/* Histogram: records one observation. */
void metric_observe(struct metric *m, const struct metric_label *labels, size_t n_labels, double v);

/*
 * The current value of a counter or gauge series, or the observation count of
 * a histogram series; 0 when the series does not exist. For tests and for
 * code that reports a figure it also exports.
 */
double metric_value(struct metric *m, const struct metric_label *labels, size_t n_labels);

/*
 * Registers the process gauges: process_resident_memory_bytes (from
 * /proc/self/statm) and process_uptime_seconds (from this call).
 */
void metrics_register_process(void);

/* Appends every family in registration order to out. */
void metrics_render(struct buf *out);

/* Forgets every family (tests and shutdown); invalidates all handles. */
void metrics_reset(void);

#endif
