/*
 * tests/unit/core/test_metrics.c - core/metrics.h: counter, gauge and
 * histogram values through metric_value(), the exact Prometheus text of a
 * small registry (HELP/TYPE, label escaping, cumulative buckets, +Inf, _sum,
 * _count), handles shared by name, sampled gauges read at render time,
 * concurrent updates that sum exactly, and the label-length limit.
 * Every test ends with metrics_reset() (the teardown).
 */
#include "core/compat.h"

#include <pthread.h>
#include <setjmp.h>

#include <cmocka.h>

#include <math.h>

#include "core/buf.h"
#include "core/metrics.h"

#define N_THREADS  4
#define PER_THREAD 20000

#define LABELS_MAX 512 /* metrics.c: longest rendered label text of one series */

/* ---- helpers --------------------------------------------------------------------- */

/* Renders the registry and compares it with want. */
static void assert_rendered(const char *want)
{
    struct buf out;
    buf_init(&out, 1 << 20);
    metrics_render(&out);
    assert_false(out.failed);
    assert_string_equal(out.data, want);
    buf_release(&out);
}

/* Renders the registry and asserts that it contains line (a whole line). */
static void assert_rendered_line(const char *line)
{
    struct buf out, want;
    buf_init(&out, 1 << 20);
    buf_init(&want, 1 << 20);
    metrics_render(&out);
    buf_addf(&want, "\n%s\n", line);
    if (!strstr(out.data, want.data))
        fail_msg("line '%s' not in:\n%s", line, out.data);
    buf_release(&want);
    buf_release(&out);
}

static int reset_registry(void **state)
{
    (void)state;
    metrics_reset();
    return 0;
}

/* ---- values ------------------------------------------------------------------------ */

static void counter_starts_at_zero_and_adds(void **state)
{
    (void)state;
    struct metric *c = metrics_counter("t_total", "Things.");
    assert_true(metric_value(c, METRIC_NO_LABELS) == 0);
    metric_add(c, METRIC_NO_LABELS, 1);
    metric_add(c, METRIC_NO_LABELS, 2.5);
    assert_true(metric_value(c, METRIC_NO_LABELS) == 3.5);
}

static void counter_ignores_negative_additions(void **state)
{
    (void)state;
    struct metric *c = metrics_counter("t_total", "Things.");
    metric_add(c, METRIC_NO_LABELS, 5);
    metric_add(c, METRIC_NO_LABELS, -3);
    assert_true(metric_value(c, METRIC_NO_LABELS) == 5);
}

static void gauge_can_be_set_and_moved_both_ways(void **state)
{
    (void)state;
    struct metric *g = metrics_gauge("t_inflight", "In flight.");
    metric_set(g, METRIC_NO_LABELS, 10);
    metric_add(g, METRIC_NO_LABELS, -4);
    assert_true(metric_value(g, METRIC_NO_LABELS) == 6);
    metric_set(g, METRIC_NO_LABELS, -1.5);
    assert_true(metric_value(g, METRIC_NO_LABELS) == -1.5);
}

static void series_are_told_apart_by_their_labels(void **state)
{
    (void)state;
    struct metric *c = metrics_counter("t_requests_total", "Requests.");
    metric_add(c, METRIC_LABELS({ "route", "/a" }), 1);
    metric_add(c, METRIC_LABELS({ "route", "/b" }), 2);
    metric_add(c, METRIC_LABELS({ "route", "/a" }), 1);
    assert_true(metric_value(c, METRIC_LABELS({ "route", "/a" })) == 2);
    assert_true(metric_value(c, METRIC_LABELS({ "route", "/b" })) == 2);
    assert_true(metric_value(c, METRIC_LABELS({ "route", "/c" })) == 0);
    assert_true(metric_value(c, METRIC_NO_LABELS) == 0);
}

static void value_of_unknown_series_does_not_create_it(void **state)
{
    (void)state;
    struct metric *c = metrics_counter("t_total", "Things.");
    assert_true(metric_value(c, METRIC_LABELS({ "k", "v" })) == 0);
    assert_rendered("# HELP t_total Things.\n# TYPE t_total counter\n");
}

static void histogram_value_is_its_observation_count(void **state)
{
    (void)state;
    static const double bounds[] = { 1, 2 };
    struct metric *h = metrics_histogram("t_seconds", "Time.", bounds, ARRAY_SIZE(bounds));
    assert_true(metric_value(h, METRIC_NO_LABELS) == 0);
    metric_observe(h, METRIC_NO_LABELS, 0.5);
    metric_observe(h, METRIC_NO_LABELS, 50);
    metric_observe(h, METRIC_NO_LABELS, 1.5);
    assert_true(metric_value(h, METRIC_NO_LABELS) == 3);
}

static void same_name_returns_the_same_handle(void **state)
{
    (void)state;
    static const double bounds[] = { 1 };
    struct metric *c1 = metrics_counter("t_total", "Things.");
    struct metric *c2 = metrics_counter("t_total", "Other help is ignored.");
    struct metric *h1 = metrics_histogram("t_seconds", "Time.", bounds, 1);
    struct metric *h2 = metrics_histogram("t_seconds", "Time.", bounds, 1);
    assert_ptr_equal(c1, c2);
    assert_ptr_equal(h1, h2);
    assert_ptr_not_equal(c1, h1);
    metric_add(c1, METRIC_NO_LABELS, 1);
    assert_true(metric_value(c2, METRIC_NO_LABELS) == 1);
}

/* ---- rendering -------------------------------------------------------------------------- */

static void render_of_empty_registry_is_empty(void **state)
{
    (void)state;
    assert_rendered("");
}

static void render_gives_exact_text_for_a_small_registry(void **state)
{
    (void)state;
    static const double bounds[] = { 0.5, 1, 2.5 };
    struct metric *c = metrics_counter("t_requests_total", "Requests served.");
    struct metric *g = metrics_gauge("t_inflight", "Requests in flight.");
    struct metric *h = metrics_histogram("t_latency_seconds", "Latency.", bounds, 3);
    metric_add(c, METRIC_LABELS({ "route", "/a" }, { "status", "200" }), 3);
    metric_add(c, METRIC_LABELS({ "route", "/b" }, { "status", "404" }), 1);
    metric_set(g, METRIC_NO_LABELS, 2);
    metric_observe(h, METRIC_NO_LABELS, 0.25);
    metric_observe(h, METRIC_NO_LABELS, 0.5);
    metric_observe(h, METRIC_NO_LABELS, 1.5);
    metric_observe(h, METRIC_NO_LABELS, 10);
    assert_rendered("# HELP t_requests_total Requests served.\n"
                    "# TYPE t_requests_total counter\n"
                    "t_requests_total{route=\"/a\",status=\"200\"} 3\n"
                    "t_requests_total{route=\"/b\",status=\"404\"} 1\n"
                    "# HELP t_inflight Requests in flight.\n"
                    "# TYPE t_inflight gauge\n"
                    "t_inflight 2\n"
                    "# HELP t_latency_seconds Latency.\n"
                    "# TYPE t_latency_seconds histogram\n"
                    "t_latency_seconds_bucket{le=\"0.5\"} 2\n"
                    "t_latency_seconds_bucket{le=\"1\"} 2\n"
                    "t_latency_seconds_bucket{le=\"2.5\"} 3\n"
                    "t_latency_seconds_bucket{le=\"+Inf\"} 4\n"
                    "t_latency_seconds_sum 12.25\n"
                    "t_latency_seconds_count 4\n");
}

static void render_puts_series_labels_before_le_and_on_sum_and_count(void **state)
{
    (void)state;
    static const double bounds[] = { 1 };
    struct metric *h = metrics_histogram("t_h", "H.", bounds, 1);
    metric_observe(h, METRIC_LABELS({ "route", "/x" }), 1);
    assert_rendered("# HELP t_h H.\n"
                    "# TYPE t_h histogram\n"
                    "t_h_bucket{route=\"/x\",le=\"1\"} 1\n"
                    "t_h_bucket{route=\"/x\",le=\"+Inf\"} 1\n"
                    "t_h_sum{route=\"/x\"} 1\n"
                    "t_h_count{route=\"/x\"} 1\n");
}

static void histogram_without_bounds_has_only_the_inf_bucket(void **state)
{
    (void)state;
    struct metric *h = metrics_histogram("t_h", "H.", NULL, 0);
    metric_observe(h, METRIC_NO_LABELS, 7);
    metric_observe(h, METRIC_NO_LABELS, -2);
    assert_rendered("# HELP t_h H.\n"
                    "# TYPE t_h histogram\n"
                    "t_h_bucket{le=\"+Inf\"} 2\n"
                    "t_h_sum 5\n"
                    "t_h_count 2\n");
}

static void histogram_bounds_render_as_written(void **state)
{
    (void)state;
    static const double bounds[] = { 0.005, 0.1, 0.25 };
    struct metric *h = metrics_histogram("t_h", "H.", bounds, 3);
    metric_observe(h, METRIC_NO_LABELS, 0.1);
    assert_rendered_line("t_h_bucket{le=\"0.005\"} 0");
    assert_rendered_line("t_h_bucket{le=\"0.1\"} 1");
    assert_rendered_line("t_h_bucket{le=\"0.25\"} 1");
    assert_rendered_line("t_h_sum 0.1");
}

static void render_escapes_quote_backslash_and_newline_in_label_values(void **state)
{
    (void)state;
    struct metric *c = metrics_counter("t_total", "T.");
    metric_add(c, METRIC_LABELS({ "v", "a\"b\\c\nd" }), 1);
    assert_rendered_line("t_total{v=\"a\\\"b\\\\c\\nd\"} 1");
}

static void render_writes_null_label_value_as_empty(void **state)
{
    (void)state;
    struct metric *c = metrics_counter("t_total", "T.");
    metric_add(c, METRIC_LABELS({ "v", NULL }), 1);
    assert_rendered_line("t_total{v=\"\"} 1");
    assert_true(metric_value(c, METRIC_LABELS({ "v", "" })) == 1);
}

static void render_writes_fractions_and_special_values(void **state)
{
    (void)state;
    struct metric *g = metrics_gauge("t_g", "G.");
    metric_set(g, METRIC_LABELS({ "k", "half" }), 0.5);
    metric_set(g, METRIC_LABELS({ "k", "tenth" }), 0.1);
    metric_set(g, METRIC_LABELS({ "k", "nan" }), NAN);
    metric_set(g, METRIC_LABELS({ "k", "pinf" }), INFINITY);
    metric_set(g, METRIC_LABELS({ "k", "minf" }), -INFINITY);
    metric_set(g, METRIC_LABELS({ "k", "neg" }), -3);
    assert_rendered_line("t_g{k=\"half\"} 0.5");
    assert_rendered_line("t_g{k=\"tenth\"} 0.1");
    assert_rendered_line("t_g{k=\"nan\"} NaN");
    assert_rendered_line("t_g{k=\"pinf\"} +Inf");
    assert_rendered_line("t_g{k=\"minf\"} -Inf");
    assert_rendered_line("t_g{k=\"neg\"} -3");
}

/* ---- sampled gauges ------------------------------------------------------------------- */

struct sampler {
    int calls;
    double value;
};

static double sample(void *ctx)
{
    struct sampler *s = ctx;
    s->calls++;
    return s->value;
}

static void sampled_gauge_calls_its_function_at_each_render(void **state)
{
    (void)state;
    struct sampler s = { .calls = 0, .value = 7 };
    metrics_gauge_sampled("t_queue", "Queued.", sample, &s);
    assert_int_equal(s.calls, 0);
    assert_rendered("# HELP t_queue Queued.\n# TYPE t_queue gauge\nt_queue 7\n");
    assert_int_equal(s.calls, 1);
    s.value = 8;
    assert_rendered("# HELP t_queue Queued.\n# TYPE t_queue gauge\nt_queue 8\n");
    assert_int_equal(s.calls, 2);
}

/* ---- label limit ------------------------------------------------------------------------ */

/* A label value that makes the rendered text k="..." exactly n bytes long. */
static char *value_for_rendered_len(char *out, size_t n)
{
    size_t v = n - 4; /* k, =, and two quotes */
    memset(out, 'v', v);
    out[v] = '\0';
    return out;
}

static void labels_of_exactly_the_limit_are_recorded(void **state)
{
    (void)state;
    char v[LABELS_MAX];
    struct metric *c = metrics_counter("t_total", "T.");
    value_for_rendered_len(v, LABELS_MAX);
    metric_add(c, METRIC_LABELS({ "k", v }), 1);
    assert_true(metric_value(c, METRIC_LABELS({ "k", v })) == 1);
}

static void labels_one_byte_past_the_limit_are_dropped(void **state)
{
    (void)state;
    char v[LABELS_MAX + 1];
    struct metric *c = metrics_counter("t_total", "T.");
    value_for_rendered_len(v, LABELS_MAX + 1);
    metric_add(c, METRIC_LABELS({ "k", v }), 1);
    assert_true(metric_value(c, METRIC_LABELS({ "k", v })) == 0);
    assert_rendered("# HELP t_total T.\n# TYPE t_total counter\n");
}

/* ---- threads and reset --------------------------------------------------------------------- */

struct hammer {
    struct metric *counter;
    struct metric *histogram;
};

static void *hammer_main(void *arg)
{
    struct hammer *h = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        metric_add(h->counter, METRIC_LABELS({ "k", "shared" }), 1);
        metric_observe(h->histogram, METRIC_NO_LABELS, (double)(i % 3));
    }
    return NULL;
}

static void concurrent_updates_from_threads_sum_exactly(void **state)
{
    (void)state;
    static const double bounds[] = { 0.5, 1.5 };
    struct hammer h = {
        .counter = metrics_counter("t_total", "T."),
        .histogram = metrics_histogram("t_h", "H.", bounds, 2),
    };
    pthread_t threads[N_THREADS];
    for (int t = 0; t < N_THREADS; t++)
        assert_int_equal(pthread_create(&threads[t], NULL, hammer_main, &h), 0);
    for (int t = 0; t < N_THREADS; t++)
        assert_int_equal(pthread_join(threads[t], NULL), 0);
    assert_true(metric_value(h.counter, METRIC_LABELS({ "k", "shared" })) ==
                N_THREADS * PER_THREAD);
    assert_true(metric_value(h.histogram, METRIC_NO_LABELS) == N_THREADS * PER_THREAD);
}

static void reset_forgets_every_family(void **state)
{
    (void)state;
    struct metric *c = metrics_counter("t_total", "T.");
    metric_add(c, METRIC_NO_LABELS, 5);
    metrics_reset();
    assert_rendered("");
    c = metrics_counter("t_total", "T.");
    assert_true(metric_value(c, METRIC_NO_LABELS) == 0);
}

#define TEST(f) cmocka_unit_test_teardown(f, reset_registry)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(counter_starts_at_zero_and_adds),
        TEST(counter_ignores_negative_additions),
        TEST(gauge_can_be_set_and_moved_both_ways),
        TEST(series_are_told_apart_by_their_labels),
        TEST(value_of_unknown_series_does_not_create_it),
        TEST(histogram_value_is_its_observation_count),
        TEST(same_name_returns_the_same_handle),
        TEST(render_of_empty_registry_is_empty),
        TEST(render_gives_exact_text_for_a_small_registry),
        TEST(render_puts_series_labels_before_le_and_on_sum_and_count),
        TEST(histogram_without_bounds_has_only_the_inf_bucket),
        TEST(histogram_bounds_render_as_written),
        TEST(render_escapes_quote_backslash_and_newline_in_label_values),
        TEST(render_writes_null_label_value_as_empty),
        TEST(render_writes_fractions_and_special_values),
        TEST(sampled_gauge_calls_its_function_at_each_render),
        TEST(labels_of_exactly_the_limit_are_recorded),
        TEST(labels_one_byte_past_the_limit_are_dropped),
        TEST(concurrent_updates_from_threads_sum_exactly),
        TEST(reset_forgets_every_family),
    };
    return cmocka_run_group_tests(tests, NULL, reset_registry);
}
