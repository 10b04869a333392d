/*
 * tests/unit/report/test_stats.c - the statistics of a report
 * (report/stats.h) against reference values computed once with scipy
 * (stats_fixtures.h, written by scripts/stats-fixtures.py): summaries and
 * their t intervals, the normal, t and chi-square distributions, t
 * quantiles, Wilson intervals, Welch's t with Cohen's d, Mann-Whitney U,
 * chi-square tables with Cramer's V and the exact permutation test. Then
 * the statuses of degenerate inputs (nothing, one value, zero variance,
 * all ties, empty rows and columns, values that are not finite or past
 * STATS_VALUE_MAX, a spread that underflows), each with every number
 * finite; the distributions at their edges (tiny p, huge t, huge df);
 * the permutation test's switch from enumeration to random splits at
 * exactly its budget, and its determinism for a seed.
 *
 * Tolerance: 1e-6, relative to the reference or to 1 whichever is larger
 * (expect_stat()), for statistics, intervals and quantiles; p-values are
 * compared relative to themselves (expect_p()), so that a p of 1e-118 must
 * be right in its own digits too; the exact permutation p to 1e-9
 * absolute (it is a ratio of counts).
 */
#include "core/compat.h"

#include <math.h>
#include <setjmp.h>

#include <cmocka.h>

#include "testutil.h"

#include "report/stats.h"
#include "stats_fixtures.h"

#define TOL      1e-6
#define PERM_TOL 1e-9

/* ---- comparisons ------------------------------------------------------------------- */

static void expect_close(const char *what, const char *name, double got, double want, double tol,
                         double at_least)
{
    double scale = fmax(fabs(want), at_least);
    if (!isfinite(got) || fabs(got - want) > tol * scale) {
        print_error("%s of %s: got %.17g, want %.17g (tolerance %g relative to %g)\n", what, name,
                    got, want, tol, scale);
        fail();
    }
}

/* a statistic: within TOL of want, relative when |want| > 1 */
static void expect_stat(const char *what, const char *name, double got, double want)
{
    expect_close(what, name, got, want, TOL, 1.0);
}

/* a probability: within TOL relative to want itself (want > 0) */
static void expect_p(const char *what, const char *name, double got, double want)
{
    expect_close(what, name, got, want, TOL, 1e-300);
}

static void assert_finite(double v)
{
    if (!isfinite(v)) {
        print_error("expected a finite number, got %g\n", v);
        fail();
    }
}

/* ---- descriptive statistics -------------------------------------------------------- */

static void summaries_match_scipy(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(fx_samples); i++) {
        const struct fx_sample *f = &fx_samples[i];
        struct stats_summary s;
        assert_int_equal(stats_summarize(f->v, f->n, &s), STATS_OK);
        assert_int_equal(s.n, f->n);
        assert_true(s.has_ci);
        expect_stat("mean", f->name, s.mean, f->s.mean);
        expect_stat("sd", f->name, s.sd, f->s.sd);
        expect_stat("se", f->name, s.se, f->s.se);
        expect_stat("ci_low", f->name, s.ci_low, f->s.ci_low);
        expect_stat("ci_high", f->name, s.ci_high, f->s.ci_high);
        expect_stat("median", f->name, s.median, f->s.median);
        assert_true(s.min == f->s.min);
        assert_true(s.max == f->s.max);
    }
}

static void a_summary_of_nothing_is_too_few_and_all_zero(void **state)
{
    (void)state;
    struct stats_summary s;
    memset(&s, 0xff, sizeof(s));
    assert_int_equal(stats_summarize(NULL, 0, &s), STATS_TOO_FEW);
    assert_int_equal(s.n, 0);
    assert_false(s.has_ci);
    double fields[] = { s.mean, s.sd, s.se, s.ci_low, s.ci_high, s.median, s.min, s.max };
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
        assert_true(fields[i] == 0.0);
}

static void a_summary_of_one_value_has_no_interval(void **state)
{
    (void)state;
    const double v[] = { 4.5 };
    struct stats_summary s;
    assert_int_equal(stats_summarize(v, 1, &s), STATS_OK);
    assert_int_equal(s.n, 1);
    assert_false(s.has_ci);
    assert_true(s.mean == 4.5 && s.median == 4.5 && s.min == 4.5 && s.max == 4.5);
    assert_true(s.sd == 0.0 && s.se == 0.0 && s.ci_low == 0.0 && s.ci_high == 0.0);
}

static void a_summary_of_two_values_has_an_interval(void **state)
{
    (void)state;
    const double v[] = { 1.0, 3.0 };
    struct stats_summary s;
    assert_int_equal(stats_summarize(v, 2, &s), STATS_OK);
    assert_true(s.has_ci);
    /* sd sqrt(2), se 1, t(0.975, 1) = 12.7062047364... */
    expect_stat("ci_high", "two", s.ci_high, 2.0 + 12.706204736432095);
    expect_stat("ci_low", "two", s.ci_low, 2.0 - 12.706204736432095);
}

static void a_summary_of_equal_values_has_a_zero_width_interval(void **state)
{
    (void)state;
    const double v[] = { 3.0, 3.0, 3.0 };
    struct stats_summary s;
    assert_int_equal(stats_summarize(v, 3, &s), STATS_OK);
    assert_true(s.has_ci);
    assert_true(s.sd == 0.0 && s.ci_low == 3.0 && s.ci_high == 3.0);
}

static void a_summary_refuses_values_that_are_not_finite(void **state)
{
    (void)state;
    const double nan_v[] = { 1.0, NAN, 2.0 }, inf_v[] = { -INFINITY, 1.0 };
    struct stats_summary s;
    assert_int_equal(stats_summarize(nan_v, 3, &s), STATS_INVALID);
    assert_true(s.mean == 0.0 && s.median == 0.0 && !s.has_ci);
    assert_int_equal(stats_summarize(inf_v, 2, &s), STATS_INVALID);
    assert_true(s.min == 0.0 && s.max == 0.0);
}

/* ---- distributions ---------------------------------------------------------------- */

static void t_cdf_and_two_sided_p_match_scipy(void **state)
{
    (void)state;
    char name[64];
    for (size_t i = 0; i < ARRAY_SIZE(fx_t_cdf); i++) {
        const struct fx_pair *f = &fx_t_cdf[i];
        snprintf(name, sizeof(name), "t=%g df=%g", f->a, f->b);
        expect_p("t cdf", name, stats_t_cdf(f->a, f->b), f->want);
        expect_p("two-sided p", name, stats_t_p_two_sided(f->a, f->b), fx_t_two_sided[i].want);
    }
}

static void t_quantiles_match_scipy(void **state)
{
    (void)state;
    char name[64];
    for (size_t i = 0; i < ARRAY_SIZE(fx_t_ppf); i++) {
        const struct fx_pair *f = &fx_t_ppf[i];
        snprintf(name, sizeof(name), "p=%g df=%g", f->a, f->b);
        /* relative to the quantile itself: some are 1e-7, some 7e5 */
        expect_close("t quantile", name, stats_t_quantile(f->a, f->b), f->want, TOL, 1e-300);
    }
}

static void t_quantile_inverts_the_cdf(void **state)
{
    (void)state;
    const double ps[] = { 1e-300,    1e-100,    1e-15, 1e-6,  0.001, 0.025,      0.3,
                          0.4999999, 0.5000001, 0.7,   0.975, 0.999, 1.0 - 1e-12 };
    const double dfs[] = { 0.2, 1.0, 2.5, 10.0, 123.0, 2e4, 1e5, 1.1e7, 1e8, INFINITY };
    for (size_t i = 0; i < ARRAY_SIZE(ps); i++) {
        for (size_t j = 0; j < ARRAY_SIZE(dfs); j++) {
            double t = stats_t_quantile(ps[i], dfs[j]);
            if (isinf(t)) {
                /* only where the quantile really exceeds DBL_MAX: p <= 1e-100 with df 0.2 (1e500)
                 */
                assert_true(ps[i] <= 1e-100 && dfs[j] < 1.0);
                continue;
            }
            char name[64];
            snprintf(name, sizeof(name), "p=%g df=%g", ps[i], dfs[j]);
            /* compare the smaller tail, relative to itself */
            double got = ps[i] < 0.5 ? stats_t_cdf(t, dfs[j]) : stats_t_cdf(-t, dfs[j]);
            double want = ps[i] < 0.5 ? ps[i] : 1.0 - ps[i];
            expect_close("cdf of quantile", name, got, want, 1e-9, 1e-300);
        }
    }
}

static void t_quantile_edges_are_infinite_zero_or_nan(void **state)
{
    (void)state;
    assert_true(stats_t_quantile(0.0, 5.0) == -INFINITY);
    assert_true(stats_t_quantile(1.0, 5.0) == INFINITY);
    assert_true(stats_t_quantile(0.5, 5.0) == 0.0);
    assert_true(isnan(stats_t_quantile(NAN, 5.0)));
    assert_true(isnan(stats_t_quantile(0.9, 0.0)));
    assert_true(isnan(stats_t_quantile(0.9, -1.0)));
    assert_true(isnan(stats_t_quantile(0.9, NAN)));
    expect_stat("t quantile", "df=inf", stats_t_quantile(0.975, INFINITY), STATS_Z95);
}

static void t_with_infinite_or_huge_df_is_the_normal(void **state)
{
    (void)state;
    for (double t = -6.0; t <= 6.0; t += 0.75) {
        assert_true(stats_t_cdf(t, INFINITY) == stats_normal_cdf(t));
        expect_p("t cdf", "df=1e12", stats_t_cdf(t, 1e12), stats_normal_cdf(t));
    }
    expect_p("two-sided p", "df=inf", stats_t_p_two_sided(-STATS_Z95, INFINITY), 0.05);
    /* a df past 1e7 (Fisher's expansion) with t far out */
    const double far[] = { 38.0, 39.0, 50.0, 1e10, 1e200, INFINITY };
    for (size_t i = 0; i < ARRAY_SIZE(far); i++) {
        assert_true(stats_t_cdf(far[i], 1e8) == 1.0);
        assert_true(stats_t_cdf(-far[i], 1e8) >= 0.0 && stats_t_cdf(-far[i], 1e8) < 1e-300);
        assert_true(stats_t_p_two_sided(far[i], 1e9) < 1e-300);
    }
}

static void t_distribution_is_symmetric_and_takes_infinite_t(void **state)
{
    (void)state;
    for (double t = 0.0; t <= 30.0; t += 1.5) {
        expect_stat("t cdf symmetry", "df=3.5", stats_t_cdf(t, 3.5) + stats_t_cdf(-t, 3.5), 1.0);
        assert_true(stats_t_p_two_sided(t, 3.5) == stats_t_p_two_sided(-t, 3.5));
    }
    assert_true(stats_t_cdf(INFINITY, 4.0) == 1.0);
    assert_true(stats_t_cdf(-INFINITY, 4.0) == 0.0);
    assert_true(stats_t_p_two_sided(INFINITY, 4.0) == 0.0);
    assert_true(stats_t_p_two_sided(0.0, 4.0) == 1.0);
    expect_p("t cdf", "t=1e200", stats_t_p_two_sided(1e200, 1.0), 2.0 / M_PI / 1e200);
}

static void distributions_give_nan_outside_their_domain(void **state)
{
    (void)state;
    assert_true(isnan(stats_t_cdf(NAN, 3.0)));
    assert_true(isnan(stats_t_cdf(1.0, 0.0)));
    assert_true(isnan(stats_t_p_two_sided(1.0, -2.0)));
    assert_true(isnan(stats_chi2_sf(NAN, 3.0)));
    assert_true(isnan(stats_chi2_sf(2.0, 0.0)));
    assert_true(isnan(stats_normal_cdf(NAN)));
}

static void chi2_survival_matches_scipy(void **state)
{
    (void)state;
    char name[64];
    for (size_t i = 0; i < ARRAY_SIZE(fx_chi2_sf); i++) {
        const struct fx_pair *f = &fx_chi2_sf[i];
        snprintf(name, sizeof(name), "x=%g df=%g", f->a, f->b);
        expect_p("chi2 sf", name, stats_chi2_sf(f->a, f->b), f->want);
    }
    assert_true(stats_chi2_sf(0.0, 3.0) == 1.0);
    assert_true(stats_chi2_sf(-1.0, 3.0) == 1.0);
    assert_true(stats_chi2_sf(INFINITY, 3.0) == 0.0);
}

static void normal_cdf_and_sf_match_scipy(void **state)
{
    (void)state;
    char name[64];
    for (size_t i = 0; i < ARRAY_SIZE(fx_normal); i++) {
        const struct fx_pair *f = &fx_normal[i];
        snprintf(name, sizeof(name), "z=%g", f->a);
        expect_p("normal cdf", name, stats_normal_cdf(f->a), f->b);
        expect_p("normal sf", name, stats_normal_sf(f->a), f->want);
    }
}

/* ---- proportions --------------------------------------------------------------------- */

static void wilson_intervals_match_scipy(void **state)
{
    (void)state;
    char name[64];
    for (size_t i = 0; i < ARRAY_SIZE(fx_wilsons); i++) {
        const struct fx_wilson *f = &fx_wilsons[i];
        struct stats_proportion p;
        snprintf(name, sizeof(name), "%" PRIu64 " of %" PRIu64, f->k, f->n);
        assert_int_equal(stats_wilson(f->k, f->n, &p), STATS_OK);
        assert_true(p.k == f->k && p.n == f->n);
        expect_stat("share", name, p.share, (double)f->k / (double)f->n);
        expect_p("low", name, p.low, f->low);
        expect_p("high", name, p.high, f->high);
        if (f->k == 0)
            assert_true(p.low == 0.0);
        if (f->k == f->n)
            assert_true(p.high == 1.0);
    }
}

static void wilson_of_no_answers_is_the_whole_range(void **state)
{
    (void)state;
    struct stats_proportion p;
    assert_int_equal(stats_wilson(0, 0, &p), STATS_TOO_FEW);
    assert_true(p.share == 0.0 && p.low == 0.0 && p.high == 1.0);
}

static void wilson_refuses_more_successes_than_answers(void **state)
{
    (void)state;
    struct stats_proportion p;
    assert_int_equal(stats_wilson(11, 10, &p), STATS_INVALID);
    assert_true(p.share == 0.0 && p.low == 0.0 && p.high == 1.0);
    assert_int_equal(stats_wilson(10, 10, &p), STATS_OK);
}

static void top_two_box_counts_the_two_highest_points(void **state)
{
    (void)state;
    const double v[] = { 1, 2, 3, 4, 5, 5, 4, 3, 3.9, 4.0 };
    struct stats_proportion p, w;
    assert_int_equal(stats_top_two_box(v, ARRAY_SIZE(v), 1, 5, &p), STATS_OK);
    assert_int_equal(p.k, 5); /* 4, 5, 5, 4, 4.0: not 3.9 */
    assert_int_equal(p.n, 10);
    assert_int_equal(stats_wilson(5, 10, &w), STATS_OK);
    assert_true(p.share == w.share && p.low == w.low && p.high == w.high);

    /* a scale from 0 and a three-point scale */
    const double z[] = { 0, 10, 9, 8 };
    assert_int_equal(stats_top_two_box(z, 4, 0, 10, &p), STATS_OK);
    assert_int_equal(p.k, 2);
    const double t[] = { -1, 0, 1 };
    assert_int_equal(stats_top_two_box(t, 3, -1, 1, &p), STATS_OK);
    assert_int_equal(p.k, 2);
}

static void top_two_box_refuses_a_rating_off_the_scale_or_a_short_scale(void **state)
{
    (void)state;
    const double low[] = { 3, 0.999 }, high[] = { 5.001 }, nan_v[] = { NAN }, ok[] = { 1, 2 };
    struct stats_proportion p;
    assert_int_equal(stats_top_two_box(low, 2, 1, 5, &p), STATS_INVALID);
    assert_int_equal(stats_top_two_box(high, 1, 1, 5, &p), STATS_INVALID);
    assert_int_equal(stats_top_two_box(nan_v, 1, 1, 5, &p), STATS_INVALID);
    assert_true(p.share == 0.0 && p.high == 1.0);
    /* at least three points: 1..3 is the smallest scale, 1..2 is refused */
    assert_int_equal(stats_top_two_box(ok, 2, 1, 3, &p), STATS_OK);
    assert_int_equal(stats_top_two_box(ok, 2, 1, 2, &p), STATS_INVALID);
    assert_int_equal(stats_top_two_box(ok, 2, 5, 1, &p), STATS_INVALID);
    assert_int_equal(stats_top_two_box(ok, 2, INT_MIN, INT_MAX, &p), STATS_OK);
    assert_int_equal(stats_top_two_box(NULL, 0, 1, 5, &p), STATS_TOO_FEW);
}

/* ---- Welch's t ----------------------------------------------------------------------- */

static void welch_matches_scipy(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(fx_twos); i++) {
        const struct fx_two *f = &fx_twos[i];
        struct stats_welch w;
        assert_true(f->has_welch);
        assert_int_equal(stats_welch_test(f->x, f->nx, f->y, f->ny, &w), STATS_OK);
        expect_stat("t", f->name, w.t, f->welch_t);
        expect_stat("df", f->name, w.df, f->welch_df);
        expect_p("p", f->name, w.p, f->welch_p);
        expect_stat("cohen's d", f->name, w.cohens_d, f->cohens_d);
        expect_stat("diff", f->name, w.diff, w.mean_x - w.mean_y);
    }
}

static void welch_needs_two_values_in_each_sample(void **state)
{
    (void)state;
    const double two[] = { 1.0, 2.0 }, one[] = { 7.0 };
    struct stats_welch w;
    assert_int_equal(stats_welch_test(NULL, 0, two, 2, &w), STATS_TOO_FEW);
    assert_true(w.mean_x == 0.0 && w.mean_y == 1.5 && w.diff == 0.0);
    assert_int_equal(stats_welch_test(one, 1, two, 2, &w), STATS_TOO_FEW);
    assert_true(w.mean_x == 7.0 && w.diff == 5.5);
    assert_int_equal(stats_welch_test(two, 2, one, 1, &w), STATS_TOO_FEW);
    assert_true(w.t == 0.0 && w.df == 0.0 && w.p == 1.0 && w.cohens_d == 0.0);
    assert_int_equal(stats_welch_test(two, 2, two, 2, &w), STATS_OK);
}

static void welch_of_two_constant_samples_has_no_variance(void **state)
{
    (void)state;
    const double a[] = { 3, 3, 3 }, b[] = { 5, 5 };
    struct stats_welch w;
    assert_int_equal(stats_welch_test(a, 3, b, 2, &w), STATS_NO_VARIANCE);
    assert_true(w.diff == -2.0 && w.t == 0.0 && w.p == 1.0 && w.cohens_d == 0.0);
    assert_int_equal(stats_welch_test(a, 3, a, 3, &w), STATS_NO_VARIANCE);
    assert_true(w.diff == 0.0 && w.p == 1.0);
    /* one constant sample is a test */
    const double c[] = { 4, 6 };
    assert_int_equal(stats_welch_test(a, 3, c, 2, &w), STATS_OK);
    assert_true(w.df == 1.0);
}

static void welch_refuses_values_that_are_not_finite(void **state)
{
    (void)state;
    const double a[] = { 1, 2, 3 }, b[] = { 1, INFINITY };
    struct stats_welch w;
    assert_int_equal(stats_welch_test(a, 3, b, 2, &w), STATS_INVALID);
    assert_true(w.p == 1.0 && w.mean_y == 0.0);
    assert_int_equal(stats_welch_test(b, 2, a, 3, &w), STATS_INVALID);
}

/* ---- Mann-Whitney U ------------------------------------------------------------------ */

static void mann_whitney_matches_scipy(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(fx_twos); i++) {
        const struct fx_two *f = &fx_twos[i];
        struct stats_mwu m;
        enum stats_status st = stats_mann_whitney(f->x, f->nx, f->y, f->ny, &m);
        assert_int_equal(st, STATS_OK);
        double pairs = (double)f->nx * (double)f->ny;
        expect_stat("u", f->name, m.u, f->mwu_u);
        expect_p("p", f->name, m.p, f->mwu_p);
        expect_stat("|z|", f->name, fabs(m.z), f->mwu_z_abs);
        expect_stat("rank-biserial", f->name, m.rank_biserial, 2.0 * f->mwu_u / pairs - 1.0);
        assert_true(m.z == 0.0 || (m.z > 0.0) == (m.u > pairs / 2.0));
    }
}

static void mann_whitney_swapped_samples_mirror(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(fx_twos); i++) {
        const struct fx_two *f = &fx_twos[i];
        struct stats_mwu a, b;
        assert_int_equal(stats_mann_whitney(f->x, f->nx, f->y, f->ny, &a), STATS_OK);
        assert_int_equal(stats_mann_whitney(f->y, f->ny, f->x, f->nx, &b), STATS_OK);
        assert_true(a.u + b.u == (double)f->nx * (double)f->ny);
        assert_true(a.p == b.p && a.z == -b.z && a.rank_biserial == -b.rank_biserial);
    }
}

static void mann_whitney_of_an_empty_sample_is_too_few(void **state)
{
    (void)state;
    const double a[] = { 1, 2 };
    struct stats_mwu m;
    assert_int_equal(stats_mann_whitney(NULL, 0, a, 2, &m), STATS_TOO_FEW);
    assert_true(m.u == 0.0 && m.p == 1.0 && m.z == 0.0 && m.rank_biserial == 0.0);
    assert_int_equal(stats_mann_whitney(a, 2, NULL, 0, &m), STATS_TOO_FEW);
    /* one value each is enough */
    const double b[] = { 3 };
    assert_int_equal(stats_mann_whitney(a, 1, b, 1, &m), STATS_OK);
    assert_true(m.u == 0.0 && m.rank_biserial == -1.0);
    assert_finite(m.z);
    assert_finite(m.p);
}

static void mann_whitney_of_all_ties_has_no_variance(void **state)
{
    (void)state;
    const double a[] = { 4, 4, 4 }, b[] = { 4, 4 };
    struct stats_mwu m;
    assert_int_equal(stats_mann_whitney(a, 3, b, 2, &m), STATS_NO_VARIANCE);
    assert_true(m.u == 3.0 && m.z == 0.0 && m.p == 1.0 && m.rank_biserial == 0.0);
    const double c[] = { 4, 5 };
    assert_int_equal(stats_mann_whitney(a, 3, c, 2, &m), STATS_OK);
}

static void mann_whitney_refuses_values_that_are_not_finite(void **state)
{
    (void)state;
    const double a[] = { 1, NAN }, b[] = { 2, 3 };
    struct stats_mwu m;
    assert_int_equal(stats_mann_whitney(a, 2, b, 2, &m), STATS_INVALID);
    assert_true(m.p == 1.0);
}

/* ---- chi-square ----------------------------------------------------------------------- */

static void chi2_tests_match_scipy(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(fx_tables); i++) {
        const struct fx_table *f = &fx_tables[i];
        struct stats_chi2 c;
        assert_int_equal(stats_chi2_test(f->counts, f->rows, f->cols, &c), STATS_OK);
        expect_stat("chi2", f->name, c.chi2, f->chi2);
        expect_p("p", f->name, c.p, f->p);
        assert_int_equal(c.df, f->df);
        expect_stat("cramer's v", f->name, c.cramers_v, f->cramers_v);
        assert_int_equal(c.n_rows, f->used_rows);
        assert_int_equal(c.n_cols, f->used_cols);
        assert_true(c.total == f->total);
    }
}

static void chi2_needs_two_usable_rows_and_columns(void **state)
{
    (void)state;
    struct stats_chi2 c;
    assert_int_equal(stats_chi2_test(NULL, 0, 0, &c), STATS_TOO_FEW);
    assert_true(c.p == 1.0 && c.chi2 == 0.0 && c.cramers_v == 0.0 && c.n_rows == 0);

    const uint64_t zeros[] = { 0, 0, 0, 0 };
    assert_int_equal(stats_chi2_test(zeros, 2, 2, &c), STATS_TOO_FEW);
    assert_true(c.total == 0.0 && c.p == 1.0);

    /* the second row is empty: one row is left */
    const uint64_t one_row[] = { 4, 6, 8, 0, 0, 0 };
    assert_int_equal(stats_chi2_test(one_row, 2, 3, &c), STATS_TOO_FEW);
    assert_int_equal(c.n_rows, 1);
    assert_int_equal(c.n_cols, 3);
    assert_true(c.total == 18.0 && c.chi2 == 0.0 && c.df == 0 && c.p == 1.0);

    /* the first column is empty: one column is left */
    const uint64_t one_col[] = { 0, 5, 0, 7, 0, 1 };
    assert_int_equal(stats_chi2_test(one_col, 3, 2, &c), STATS_TOO_FEW);
    assert_int_equal(c.n_rows, 3);
    assert_int_equal(c.n_cols, 1);

    /* a 1 x n or n x 1 table */
    assert_int_equal(stats_chi2_test(one_row, 1, 3, &c), STATS_TOO_FEW);
    assert_int_equal(stats_chi2_test(one_row, 3, 1, &c), STATS_TOO_FEW);

    /* the smallest usable table */
    const uint64_t two[] = { 1, 0, 0, 1 };
    assert_int_equal(stats_chi2_test(two, 2, 2, &c), STATS_OK);
    assert_true(c.chi2 == 2.0 && c.cramers_v == 1.0);
}

/* ---- permutation test -------------------------------------------------------------- */

static void exact_permutation_matches_scipy(void **state)
{
    (void)state;
    size_t n_exact = 0;
    for (size_t i = 0; i < ARRAY_SIZE(fx_twos); i++) {
        const struct fx_two *f = &fx_twos[i];
        if (!f->has_perm)
            continue;
        struct stats_permutation p;
        assert_int_equal(stats_permutation_test(f->x, f->nx, f->y, f->ny, f->perm_splits, 1, &p),
                         STATS_OK);
        assert_true(p.is_exact);
        assert_int_equal(p.n_resamples, f->perm_splits);
        expect_stat("diff", f->name, p.diff, f->perm_diff);
        expect_close("p", f->name, p.p, f->perm_p, PERM_TOL, 1.0);

        /* the samples swapped: the split is enumerated from the other side */
        struct stats_permutation q;
        assert_int_equal(stats_permutation_test(f->y, f->ny, f->x, f->nx, f->perm_splits, 1, &q),
                         STATS_OK);
        assert_true(q.is_exact);
        expect_stat("swapped diff", f->name, q.diff, -f->perm_diff);
        expect_close("swapped p", f->name, q.p, f->perm_p, PERM_TOL, 1.0);
        n_exact++;
    }
    assert_true(n_exact >= 6);
}

/* fx_twos[i] by name */
static const struct fx_two *two(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(fx_twos); i++) {
        if (strcmp(fx_twos[i].name, name) == 0)
            return &fx_twos[i];
    }
    fail_msg("no fixture '%s'", name);
    return NULL;
}

static void permutation_is_exact_up_to_the_budget_and_random_past_it(void **state)
{
    (void)state;
    const struct fx_two *f = two("small_ties"); /* C(11, 5) = 462 splits */
    struct stats_permutation p;
    assert_int_equal(stats_permutation_test(f->x, f->nx, f->y, f->ny, 462, 7, &p), STATS_OK);
    assert_true(p.is_exact);
    assert_int_equal(p.n_resamples, 462);
    assert_true(p.p == f->perm_p);

    assert_int_equal(stats_permutation_test(f->x, f->nx, f->y, f->ny, 461, 7, &p), STATS_OK);
    assert_false(p.is_exact);
    assert_int_equal(p.n_resamples, 461);
    assert_true(fabs(p.p - f->perm_p) < 0.03);

    assert_int_equal(stats_permutation_test(f->x, f->nx, f->y, f->ny, 1, 7, &p), STATS_OK);
    assert_false(p.is_exact);
    assert_int_equal(p.n_resamples, 1);
    assert_finite(p.p);
}

static void random_permutation_is_deterministic_for_a_seed(void **state)
{
    (void)state;
    const struct fx_two *f = two("perm_ties_10_10"); /* 184756 splits */
    struct stats_permutation a, b, c;
    assert_int_equal(stats_permutation_test(f->x, f->nx, f->y, f->ny, 5000, 42, &a), STATS_OK);
    assert_int_equal(stats_permutation_test(f->x, f->nx, f->y, f->ny, 5000, 42, &b), STATS_OK);
    assert_int_equal(stats_permutation_test(f->x, f->nx, f->y, f->ny, 5000, 43, &c), STATS_OK);
    assert_false(a.is_exact);
    assert_true(a.p == b.p);
    assert_true(a.p != c.p);
    /* (count + 1) / (5000 + 1) on the smaller side, doubled: a multiple of 2 / 5001 */
    double units = a.p * 5001.0 / 2.0;
    assert_true(fabs(units - round(units)) < 1e-6);
    assert_true(fabs(a.p - f->perm_p) < 0.03);
    assert_true(fabs(c.p - f->perm_p) < 0.03);
}

static void random_permutation_p_is_never_zero(void **state)
{
    (void)state;
    double x[15], y[15];
    for (size_t i = 0; i < 15; i++) {
        x[i] = (double)i;
        y[i] = 100.0 + (double)i;
    }
    struct stats_permutation p;
    /* C(30, 15) = 155117520 splits: random ones, none as extreme as the observed */
    assert_int_equal(stats_permutation_test(x, 15, y, 15, 2000, 3, &p), STATS_OK);
    assert_false(p.is_exact);
    assert_true(p.p == 2.0 / 2001.0);
    assert_true(p.diff == -100.0);
}

static void permutation_of_equal_or_identical_samples_is_one(void **state)
{
    (void)state;
    const double a[] = { 2, 2, 2 }, b[] = { 2, 2, 2, 2 };
    struct stats_permutation p;
    assert_int_equal(stats_permutation_test(a, 3, b, 4, 1000, 1, &p), STATS_OK);
    assert_true(p.is_exact && p.p == 1.0 && p.diff == 0.0);
    assert_int_equal(p.n_resamples, 35);
    assert_int_equal(stats_permutation_test(a, 3, b, 4, 10, 1, &p), STATS_OK);
    assert_true(!p.is_exact && p.p == 1.0);
}

static void permutation_needs_values_and_a_budget(void **state)
{
    (void)state;
    const double a[] = { 1, 2 }, bad[] = { 1, NAN };
    struct stats_permutation p;
    assert_int_equal(stats_permutation_test(NULL, 0, a, 2, 100, 1, &p), STATS_TOO_FEW);
    assert_true(p.p == 1.0 && p.diff == 0.0 && p.n_resamples == 0);
    assert_int_equal(stats_permutation_test(a, 2, NULL, 0, 100, 1, &p), STATS_TOO_FEW);
    assert_int_equal(stats_permutation_test(a, 2, a, 2, 0, 1, &p), STATS_INVALID);
    assert_int_equal(stats_permutation_test(a, 2, bad, 2, 100, 1, &p), STATS_INVALID);
    assert_true(p.p == 1.0);
    /* one value each: two splits */
    assert_int_equal(stats_permutation_test(a, 1, a + 1, 1, 100, 1, &p), STATS_OK);
    assert_true(p.is_exact && p.n_resamples == 2 && p.p == 1.0);
}

static void a_huge_split_count_does_not_overflow(void **state)
{
    (void)state;
    enum { N = 200 };
    double *x = calloc(N, sizeof(*x)), *y = calloc(N, sizeof(*y));
    assert_non_null(x);
    assert_non_null(y);
    for (size_t i = 0; i < N; i++) {
        x[i] = (double)(i % 7);
        y[i] = (double)(i % 5);
    }
    struct stats_permutation p;
    /* C(400, 200) is far past 2^64 */
    assert_int_equal(stats_permutation_test(x, N, y, N, 300, 9, &p), STATS_OK);
    assert_false(p.is_exact);
    assert_int_equal(p.n_resamples, 300);
    free(x);
    free(y);
}

/* ---- limits and statuses ------------------------------------------------------------ */

static void values_past_the_maximum_are_invalid(void **state)
{
    (void)state;
    const double at[] = { STATS_VALUE_MAX, -STATS_VALUE_MAX, 0.0 };
    const double past[] = { 1.0, nextafter(STATS_VALUE_MAX, INFINITY) };
    const double two[] = { 1.0, 2.0 };
    struct stats_summary s;
    struct stats_welch w;
    struct stats_mwu m;
    struct stats_permutation p;
    assert_int_equal(stats_summarize(at, 3, &s), STATS_OK);
    assert_finite(s.sd);
    assert_finite(s.ci_high);
    assert_int_equal(stats_welch_test(at, 3, two, 2, &w), STATS_OK);
    assert_finite(w.t);
    assert_finite(w.df);
    assert_finite(w.cohens_d);
    assert_int_equal(stats_mann_whitney(at, 3, two, 2, &m), STATS_OK);
    assert_int_equal(stats_permutation_test(at, 3, two, 2, 100, 1, &p), STATS_OK);
    assert_finite(p.diff);

    assert_int_equal(stats_summarize(past, 2, &s), STATS_INVALID);
    assert_int_equal(stats_welch_test(two, 2, past, 2, &w), STATS_INVALID);
    assert_int_equal(stats_mann_whitney(past, 2, two, 2, &m), STATS_INVALID);
    assert_int_equal(stats_permutation_test(two, 2, past, 2, 100, 1, &p), STATS_INVALID);
}

static void a_spread_too_small_for_doubles_has_no_variance(void **state)
{
    (void)state;
    /* squared deviations of 1e-200 underflow to 0 */
    const double a[] = { 1e-200, 2e-200 }, b[] = { 3e-200, 3e-200 };
    struct stats_welch w;
    assert_int_equal(stats_welch_test(a, 2, b, 2, &w), STATS_NO_VARIANCE);
    assert_true(w.t == 0.0 && w.p == 1.0);
    /* of 1e-160 they are subnormal: a test, with every number finite */
    const double c[] = { 0.0, 1e-160 }, d[] = { 0.0, 2e-160 };
    assert_int_equal(stats_welch_test(c, 2, d, 2, &w), STATS_OK);
    assert_finite(w.t);
    assert_finite(w.df);
    assert_finite(w.p);
    assert_finite(w.cohens_d);
}

static void statuses_have_stable_names(void **state)
{
    (void)state;
    assert_string_equal(stats_status_name(STATS_OK), "ok");
    assert_string_equal(stats_status_name(STATS_TOO_FEW), "too_few");
    assert_string_equal(stats_status_name(STATS_NO_VARIANCE), "no_variance");
    assert_string_equal(stats_status_name(STATS_INVALID), "invalid");
    assert_string_equal(stats_status_name((enum stats_status)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summaries_match_scipy),
        cmocka_unit_test(a_summary_of_nothing_is_too_few_and_all_zero),
        cmocka_unit_test(a_summary_of_one_value_has_no_interval),
        cmocka_unit_test(a_summary_of_two_values_has_an_interval),
        cmocka_unit_test(a_summary_of_equal_values_has_a_zero_width_interval),
        cmocka_unit_test(a_summary_refuses_values_that_are_not_finite),
        cmocka_unit_test(t_cdf_and_two_sided_p_match_scipy),
        cmocka_unit_test(t_quantiles_match_scipy),
        cmocka_unit_test(t_quantile_inverts_the_cdf),
        cmocka_unit_test(t_quantile_edges_are_infinite_zero_or_nan),
        cmocka_unit_test(t_with_infinite_or_huge_df_is_the_normal),
        cmocka_unit_test(t_distribution_is_symmetric_and_takes_infinite_t),
        cmocka_unit_test(distributions_give_nan_outside_their_domain),
        cmocka_unit_test(chi2_survival_matches_scipy),
        cmocka_unit_test(normal_cdf_and_sf_match_scipy),
        cmocka_unit_test(wilson_intervals_match_scipy),
        cmocka_unit_test(wilson_of_no_answers_is_the_whole_range),
        cmocka_unit_test(wilson_refuses_more_successes_than_answers),
        cmocka_unit_test(top_two_box_counts_the_two_highest_points),
        cmocka_unit_test(top_two_box_refuses_a_rating_off_the_scale_or_a_short_scale),
        cmocka_unit_test(welch_matches_scipy),
        cmocka_unit_test(welch_needs_two_values_in_each_sample),
        cmocka_unit_test(welch_of_two_constant_samples_has_no_variance),
        cmocka_unit_test(welch_refuses_values_that_are_not_finite),
        cmocka_unit_test(mann_whitney_matches_scipy),
        cmocka_unit_test(mann_whitney_swapped_samples_mirror),
        cmocka_unit_test(mann_whitney_of_an_empty_sample_is_too_few),
        cmocka_unit_test(mann_whitney_of_all_ties_has_no_variance),
        cmocka_unit_test(mann_whitney_refuses_values_that_are_not_finite),
        cmocka_unit_test(chi2_tests_match_scipy),
        cmocka_unit_test(chi2_needs_two_usable_rows_and_columns),
        cmocka_unit_test(exact_permutation_matches_scipy),
        cmocka_unit_test(permutation_is_exact_up_to_the_budget_and_random_past_it),
        cmocka_unit_test(random_permutation_is_deterministic_for_a_seed),
        cmocka_unit_test(random_permutation_p_is_never_zero),
        cmocka_unit_test(permutation_of_equal_or_identical_samples_is_one),
        cmocka_unit_test(permutation_needs_values_and_a_budget),
        cmocka_unit_test(a_huge_split_count_does_not_overflow),
        cmocka_unit_test(values_past_the_maximum_are_invalid),
        cmocka_unit_test(a_spread_too_small_for_doubles_has_no_variance),
        cmocka_unit_test(statuses_have_stable_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
