/*
 * core/metrics.c - the metrics registry: a fixed table of families, each a
 * growing array of series found by their rendered label text.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/err.h"
#include "core/metrics.h"
#include "core/xalloc.h"

#include <math.h>
#include <pthread.h>

#define METRICS_MAX_FAMILIES 128 /* far above what the program registers */
#define METRIC_LABELS_MAX    512 /* rendered label text of one series */

enum metric_type { METRIC_COUNTER, METRIC_GAUGE, METRIC_HISTOGRAM, METRIC_SAMPLED };

struct series {
    char *labels; /* rendered inner text: k="v",k2="v2" ("" for none); owned */
    uint64_t hash;
    double value;      /* counter, gauge */
    uint64_t *buckets; /* histogram: per-bucket (not cumulative) counts; n_bounds + 1 */
    double sum;
    uint64_t count;
};

struct metric {
    char *name;
    char *help;
    enum metric_type type;
    double *bounds;
    size_t n_bounds;
    metric_sample_fn *sample;
    void *sample_ctx;
    pthread_mutex_t lock;
    struct series *series;
    size_t n_series, alloc_series;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct metric *families[METRICS_MAX_FAMILIES];
static size_t n_families;

/* ---- registration ---------------------------------------------------------- */

static struct metric *family_get(const char *name, const char *help, enum metric_type type)
{
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < n_families; i++) {
        if (strcmp(families[i]->name, name) == 0) {
            struct metric *m = families[i];
            pthread_mutex_unlock(&registry_lock);
            if (m->type != type)
                BUG("metric '%s' registered with two types", name);
            return m;
        }
    }
    if (n_families == METRICS_MAX_FAMILIES)
        BUG("more than %d metric families", METRICS_MAX_FAMILIES);
    struct metric *m = xcalloc(1, sizeof(*m));
    m->name = xstrdup(name);
    m->help = xstrdup(help);
    m->type = type;
    pthread_mutex_init(&m->lock, NULL);
    families[n_families++] = m;
    pthread_mutex_unlock(&registry_lock);
    return m;
}

struct metric *metrics_counter(const char *name, const char *help)
{
    return family_get(name, help, METRIC_COUNTER);
}

struct metric *metrics_gauge(const char *name, const char *help)
{
    return family_get(name, help, METRIC_GAUGE);
}

struct metric *metrics_histogram(const char *name, const char *help, const double *bounds,
                                 size_t n_bounds)
{
    struct metric *m = family_get(name, help, METRIC_HISTOGRAM);
    pthread_mutex_lock(&m->lock);
    if (!m->bounds) {
        m->bounds = xmalloc(st_mult(n_bounds ? n_bounds : 1, sizeof(double)));
        if (n_bounds)
            memcpy(m->bounds, bounds, n_bounds * sizeof(double));
        m->n_bounds = n_bounds;
    }
    pthread_mutex_unlock(&m->lock);
    return m;
}

void metrics_gauge_sampled(const char *name, const char *help, metric_sample_fn *fn, void *ctx)
{
    struct metric *m = family_get(name, help, METRIC_SAMPLED);
    pthread_mutex_lock(&m->lock);
    m->sample = fn;
    m->sample_ctx = ctx;
    pthread_mutex_unlock(&m->lock);
}

/* ---- series ---------------------------------------------------------------- */

static void render_labels(struct buf *b, const struct metric_label *labels, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_addch(b, ',');
        buf_addf(b, "%s=\"", labels[i].key);
        for (const char *p = labels[i].value ? labels[i].value : ""; *p; p++) {
            if (*p == '\\')
                buf_adds(b, "\\\\");
            else if (*p == '"')
                buf_adds(b, "\\\"");
            else if (*p == '\n')
                buf_adds(b, "\\n");
            else
                buf_addch(b, *p);
        }
        buf_addch(b, '"');
    }
}

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* The series for these labels, created when create is set. Under m->lock. */
static struct series *series_find(struct metric *m, const struct metric_label *labels, size_t n,
                                  bool create)
{
    char tmp[METRIC_LABELS_MAX + 1];
    struct buf b;
    buf_init(&b, METRIC_LABELS_MAX);
    render_labels(&b, labels, n);
    if (b.failed) {
        buf_release(&b);
        return NULL; /* absurdly long labels: not recorded */
    }
    memcpy(tmp, b.data, b.len + 1);
    size_t len = b.len;
    buf_release(&b);

    uint64_t h = fnv1a(tmp, len);
    for (size_t i = 0; i < m->n_series; i++)
        if (m->series[i].hash == h && strcmp(m->series[i].labels, tmp) == 0)
            return &m->series[i];
    if (!create)
        return NULL;
    ALLOC_GROW(m->series, m->n_series + 1, m->alloc_series);
    struct series *s = &m->series[m->n_series++];
    memset(s, 0, sizeof(*s));
    s->labels = xmemdupz(tmp, len);
    s->hash = h;
    if (m->type == METRIC_HISTOGRAM)
        s->buckets = xcalloc(m->n_bounds + 1, sizeof(uint64_t));
    return s;
}

void metric_add(struct metric *m, const struct metric_label *labels, size_t n_labels, double v)
{
    if (m->type == METRIC_COUNTER && v < 0)
        return;
    pthread_mutex_lock(&m->lock);
    struct series *s = series_find(m, labels, n_labels, true);
    if (s)
        s->value += v;
    pthread_mutex_unlock(&m->lock);
}

void metric_set(struct metric *m, const struct metric_label *labels, size_t n_labels, double v)
{
    pthread_mutex_lock(&m->lock);
    struct series *s = series_find(m, labels, n_labels, true);
    if (s)
        s->value = v;
    pthread_mutex_unlock(&m->lock);
}

void metric_observe(struct metric *m, const struct metric_label *labels, size_t n_labels, double v)
{
    pthread_mutex_lock(&m->lock);
    struct series *s = series_find(m, labels, n_labels, true);
    if (s) {
        size_t i = 0;
        while (i < m->n_bounds && v > m->bounds[i])
            i++;
        s->buckets[i]++;
        s->sum += v;
        s->count++;
    }
    pthread_mutex_unlock(&m->lock);
}

double metric_value(struct metric *m, const struct metric_label *labels, size_t n_labels)
{
    pthread_mutex_lock(&m->lock);
    struct series *s = series_find(m, labels, n_labels, false);
    double v = 0;
    if (s)
        v = m->type == METRIC_HISTOGRAM ? (double)s->count : s->value;
    pthread_mutex_unlock(&m->lock);
    return v;
}

/* ---- rendering -------------------------------------------------------------- */

/*
 * Writes v with the fewest significant digits that read back as the same
 * double: 0.1 as "0.1", not "%.17g"'s "0.10000000000000001", so an le label
 * matches the bound the code declared (and a query selecting le="0.1").
 */
static void format_double(char *out, size_t n, double v)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, n, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

static void add_number(struct buf *out, double v)
{
    char num[32];
    if (isnan(v)) {
        buf_adds(out, "NaN");
    } else if (isinf(v)) {
        buf_adds(out, v > 0 ? "+Inf" : "-Inf");
    } else if (v == (double)(int64_t)v && fabs(v) < 1e15) {
        buf_addf(out, "%" PRId64, (int64_t)v);
    } else {
        format_double(num, sizeof(num), v);
        buf_adds(out, num);
    }
}

static void add_series_name(struct buf *out, const char *name, const char *suffix,
                            const char *labels, const char *extra)
{
    buf_addf(out, "%s%s", name, suffix);
    bool has = labels && *labels;
    bool has_extra = extra && *extra;
    if (has || has_extra)
        buf_addf(out, "{%s%s%s}", has ? labels : "", has && has_extra ? "," : "",
                 has_extra ? extra : "");
    buf_addch(out, ' ');
}

static void render_histogram(struct buf *out, struct metric *m, struct series *s)
{
    uint64_t cumulative = 0;
    char le[64], num[32];
    for (size_t i = 0; i <= m->n_bounds; i++) {
        cumulative += s->buckets[i];
        if (i < m->n_bounds) {
            format_double(num, sizeof(num), m->bounds[i]);
            snprintf(le, sizeof(le), "le=\"%s\"", num);
        } else {
            snprintf(le, sizeof(le), "le=\"+Inf\"");
        }
        add_series_name(out, m->name, "_bucket", s->labels, le);
        buf_addf(out, "%" PRIu64 "\n", cumulative);
    }
    add_series_name(out, m->name, "_sum", s->labels, NULL);
    add_number(out, s->sum);
    buf_addch(out, '\n');
    add_series_name(out, m->name, "_count", s->labels, NULL);
    buf_addf(out, "%" PRIu64 "\n", s->count);
}

void metrics_render(struct buf *out)
{
    static const char *const type_names[] = { "counter", "gauge", "histogram", "gauge" };
    pthread_mutex_lock(&registry_lock);
    size_t n = n_families;
    pthread_mutex_unlock(&registry_lock);
    for (size_t f = 0; f < n; f++) {
        struct metric *m = families[f];
        pthread_mutex_lock(&m->lock);
        buf_addf(out, "# HELP %s ", m->name);
        for (const char *p = m->help; *p; p++) {
            if (*p == '\\')
                buf_adds(out, "\\\\");
            else if (*p == '\n')
                buf_adds(out, "\\n");
            else
                buf_addch(out, *p);
        }
        buf_addf(out, "\n# TYPE %s %s\n", m->name, type_names[m->type]);
        if (m->type == METRIC_SAMPLED) {
            double v = m->sample ? m->sample(m->sample_ctx) : 0;
            add_series_name(out, m->name, "", NULL, NULL);
            add_number(out, v);
            buf_addch(out, '\n');
        }
        for (size_t i = 0; i < m->n_series; i++) {
            struct series *s = &m->series[i];
            if (m->type == METRIC_HISTOGRAM) {
                render_histogram(out, m, s);
            } else {
                add_series_name(out, m->name, "", s->labels, NULL);
                add_number(out, s->value);
                buf_addch(out, '\n');
            }
        }
        pthread_mutex_unlock(&m->lock);
    }
}

/* ---- process gauges ------------------------------------------------------------ */

static int64_t process_started_ns;

static double sample_rss(void *ctx)
{
    (void)ctx;
    FILE *f = fopen("/proc/self/statm", "re");
    if (!f)
        return 0;
    unsigned long size = 0, resident = 0;
    int n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return n == 2 ? (double)resident * (double)sysconf(_SC_PAGESIZE) : 0;
}

static double sample_uptime(void *ctx)
{
    (void)ctx;
    return (double)(clock_mono_ns() - process_started_ns) / 1e9;
}

void metrics_register_process(void)
{
    process_started_ns = clock_mono_ns();
    metrics_gauge_sampled("process_resident_memory_bytes", "Resident memory size in bytes",
                          sample_rss, NULL);
    metrics_gauge_sampled("process_uptime_seconds", "Seconds since the process started",
                          sample_uptime, NULL);
}

void metrics_reset(void)
{
    pthread_mutex_lock(&registry_lock);
    for (size_t f = 0; f < n_families; f++) {
        struct metric *m = families[f];
        for (size_t i = 0; i < m->n_series; i++) {
            free(m->series[i].labels);
            free(m->series[i].buckets);
        }
        free(m->series);
        free(m->bounds);
        free(m->name);
        free(m->help);
        pthread_mutex_destroy(&m->lock);
        free(m);
        families[f] = NULL;
    }
    n_families = 0;
    pthread_mutex_unlock(&registry_lock);
}
