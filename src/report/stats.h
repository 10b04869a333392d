/*
 * report/stats.h - the statistics of a report (ENGINE.md 9): descriptive
 * summaries with t-based 95 % intervals, proportions with Wilson intervals
 * (and top-two-box), the distributions the tests need (normal, Student t,
 * chi-square), Welch's t-test with Cohen's d, the Mann-Whitney U test with
 * the rank-biserial correlation, the chi-square test of independence with
 * Cramer's V, and a permutation test for the difference of two means.
 *
 * Each test is written to give the numbers scipy gives (the function says
 * which call); tests/unit/report/test_stats.c checks them against values
 * computed once with scipy (scripts/stats-fixtures.py).
 *
 * Statuses, not NaN. A test returns enum stats_status. On STATS_OK every
 * number of its result is finite. On any other status the result is still
 * filled, never with NaN or an infinity: counts and whatever is defined
 * (the means, U) hold their values, the test statistics and effect sizes
 * are 0 and p is 1, so a caller that shows the numbers anyway shows
 * nothing significant. Every sample value must be finite and at most
 * STATS_VALUE_MAX in magnitude (STATS_INVALID otherwise), so that no sum
 * or square can overflow. The distribution functions are plain functions
 * of numbers: they return NaN for an argument outside their domain
 * (documented on each) and are never given one by the tests here.
 *
 * Input arrays are borrowed for the call only; a NULL array is allowed with
 * a count of 0. Reentrant; no state outside the calls (the permutation test
 * seeds its own core/prng state), so any thread may call anything.
 */
#ifndef REPORT_STATS_H
#define REPORT_STATS_H

#include "core/compat.h"

/* The largest magnitude of a sample value: far past any rating, count or price. */
#define STATS_VALUE_MAX 1e100

/* z for a two-sided 95 % interval: the normal quantile of 0.975. */
#define STATS_Z95 1.959963984540054

/*
 * A permutation budget for callers without a reason to pick another: exact
 * up to 100,000 splits (two samples of 8 and 9), else as many random ones,
 * which puts a p near 0.05 within about +-0.0014 (two standard errors).
 */
#define STATS_PERMUTATION_BUDGET 100000

enum stats_status {
    STATS_OK = 0,
    STATS_TOO_FEW,     /* too few values, or of usable rows or columns, for the statistic */
    STATS_NO_VARIANCE, /* all values equal (or nearly, past what doubles hold): no statistic */
    STATS_INVALID,     /* an argument outside its domain: a value not finite, k > n, ... */
};

/* "ok", "too_few", "no_variance", "invalid" (stable: usable in JSON). */
const char *stats_status_name(enum stats_status s);

/* ---- descriptive statistics ------------------------------------------------------ */

struct stats_summary {
    size_t n;
    double mean;
    double sd;      /* sample standard deviation (divisor n - 1); 0 when n < 2 */
    double se;      /* standard error of the mean, sd / sqrt(n); 0 when n < 2 */
    bool has_ci;    /* n >= 2: ci_low and ci_high hold the interval; else both are 0 */
    double ci_low;  /* mean - t(0.975, n - 1) * se */
    double ci_high; /* mean + t(0.975, n - 1) * se */
    double median;  /* the middle value, or the mean of the two middle values */
    double min, max;
};

/*
 * Summarizes values[0..n) into *out. STATS_TOO_FEW when n is 0 (every field
 * 0); STATS_OK for n >= 1, with has_ci false when n is 1 (one value has no
 * spread: sd and se are 0 and there is no interval). The interval is
 * scipy.stats.t.interval(0.95, n - 1, loc=mean, scale=se).
 */
enum stats_status stats_summarize(const double *values, size_t n, struct stats_summary *out);

/* ---- distributions ---------------------------------------------------------------
 * df is a number of degrees of freedom, > 0 and not NaN (NaN otherwise);
 * the t functions accept df = +INFINITY (the standard normal). A NaN
 * argument gives NaN. Upper tails are computed directly, never as 1 - cdf,
 * so p-values keep their relative precision down to 1e-300: about 1e-13
 * relative for most arguments, 1e-9 at worst (t with df near 1e7).
 */

/* P(Z <= z) for the standard normal Z. */
double stats_normal_cdf(double z);
/* P(Z >= z) for the standard normal Z. */
double stats_normal_sf(double z);
/* P(T <= t) for Student's T with df degrees of freedom. */
double stats_t_cdf(double t, double df);
/* P(|T| >= |t|): the two-sided p of a t statistic. */
double stats_t_p_two_sided(double t, double df);
/*
 * The t with P(T <= t) = p: -INFINITY for p <= 0, +INFINITY for p >= 1
 * (and where the quantile exceeds DBL_MAX, as p = 1e-100 with df = 0.2),
 * NaN for a NaN p. Found by safeguarded Newton steps on the log of the
 * tail, so as accurate as stats_t_cdf.
 */
double stats_t_quantile(double p, double df);
/* P(X >= x) for a chi-square X with df degrees of freedom; 1 for x <= 0. */
double stats_chi2_sf(double x, double df);

/* ---- proportions ----------------------------------------------------------------- */

struct stats_proportion {
    uint64_t k;   /* answers counted */
    uint64_t n;   /* answers in all */
    double share; /* k / n, 0..1; 0 when n is 0 */
    double low;   /* Wilson score 95 % interval; 0 when n is 0 */
    double high;  /* 1 when n is 0: nothing is known */
};

/*
 * The share k / n with its Wilson score interval at 95 % (z = STATS_Z95),
 * as scipy.stats.binomtest(k, n).proportion_ci(method='wilson'): low is
 * exactly 0 when k is 0 and high exactly 1 when k is n. STATS_TOO_FEW when
 * n is 0 (share 0, interval 0..1); STATS_INVALID when k > n.
 */
enum stats_status stats_wilson(uint64_t k, uint64_t n, struct stats_proportion *out);

/*
 * Top-two-box: the share of the n ratings in values that fall on the two
 * highest points of the scale scale_min..scale_max (a rating >=
 * scale_max - 1), with its Wilson interval. The scale needs at least three
 * points (scale_max - scale_min >= 2) and every rating must lie in
 * [scale_min, scale_max] (STATS_INVALID otherwise; a rating need not be a
 * whole number). STATS_TOO_FEW when n is 0.
 */
enum stats_status stats_top_two_box(const double *values, size_t n, int scale_min, int scale_max,
                                    struct stats_proportion *out);

/* ---- two samples: Welch's t and Mann-Whitney U ----------------------------------- */

struct stats_welch {
    double mean_x, mean_y; /* filled whenever the sample is not empty */
    double diff;           /* mean_x - mean_y */
    double t;
    double df; /* Welch-Satterthwaite degrees of freedom */
    double p;  /* two-sided */
    /*
     * Cohen's d: diff over the pooled standard deviation
     * sqrt(((nx - 1) sx^2 + (ny - 1) sy^2) / (nx + ny - 2))
     */
    double cohens_d;
};

/*
 * Welch's two-sided t-test of x against y, as scipy.stats.ttest_ind(x, y,
 * equal_var=False). STATS_TOO_FEW when either sample has fewer than two
 * values; STATS_NO_VARIANCE when both samples have zero variance (t is then
 * 0 or infinite: undefined), or one so small that it underflows; one
 * sample with zero variance is fine.
 */
enum stats_status stats_welch_test(const double *x, size_t nx, const double *y, size_t ny,
                                   struct stats_welch *out);

struct stats_mwu {
    /*
     * U of x, scipy's U1: the pairs (x_i, y_j) with x_i > y_j, plus half
     * the tied pairs; 0..nx*ny, and nx*ny - u is the U of y
     */
    double u;
    /*
     * the standardized statistic with tie and continuity corrections,
     * (|u - nx ny / 2| - 0.5) / sigma, at least 0, with the sign of
     * u - nx ny / 2 (positive when x tends to be larger)
     */
    double z;
    double p; /* two-sided, 2 P(Z >= |z|), at most 1 */
    /*
     * rank-biserial correlation 2u / (nx ny) - 1, in -1..1: P(x > y) -
     * P(x < y) over all pairs, positive when x tends to be larger
     */
    double rank_biserial;
};

/*
 * The Mann-Whitney U test of x against y, two-sided, with the normal
 * approximation, tie correction and continuity correction: the u and p of
 * scipy.stats.mannwhitneyu(x, y, alternative='two-sided',
 * method='asymptotic', use_continuity=True). STATS_TOO_FEW when either
 * sample is empty; STATS_NO_VARIANCE when every value of both is the same
 * (u is then nx ny / 2 and rank_biserial 0).
 */
enum stats_status stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
                                     struct stats_mwu *out);

/* ---- a table of counts: chi-square ---------------------------------------------- */

struct stats_chi2 {
    double chi2;
    size_t df; /* (n_rows - 1) (n_cols - 1) */
    double p;
    double cramers_v; /* sqrt(chi2 / (total (min(n_rows, n_cols) - 1))), 0..1 */
    size_t n_rows;    /* rows used: those whose counts do not sum to 0 */
    size_t n_cols;    /* columns used, likewise */
    double total;     /* the sum of every count */
};

/*
 * The chi-square test of independence on the table counts[row * cols +
 * col] (rows x cols counts, row by row), without Yates' correction: the
 * chi2, p and df of scipy.stats.chi2_contingency(table, correction=False)
 * and the V of scipy.stats.contingency.association(table, 'cramer').
 * Rows and columns whose counts sum to 0 are dropped first (scipy refuses
 * a table with them, as their expected counts are 0); n_rows and n_cols
 * say what was used. STATS_TOO_FEW when fewer than two rows or two columns
 * are left.
 */
enum stats_status stats_chi2_test(const uint64_t *counts, size_t rows, size_t cols,
                                  struct stats_chi2 *out);

/* ---- permutation test ------------------------------------------------------------ */

struct stats_permutation {
    double diff;          /* the statistic: mean(x) - mean(y) */
    double p;             /* two-sided */
    bool is_exact;        /* every split enumerated; else random splits */
    uint64_t n_resamples; /* splits enumerated (C(nx + ny, nx)) or drawn (budget) */
};

/*
 * The two-sided permutation test of mean(x) - mean(y), splitting the
 * pooled values into samples of nx and ny values. When the number of
 * distinct splits C(nx + ny, nx) is at most budget, every split is
 * enumerated (the observed one included); otherwise budget splits are
 * drawn at random, independently (with replacement, as scipy does), from
 * a core/prng seeded with seed, so the same inputs and seed give the same
 * p.
 *
 * The p mirrors scipy.stats.permutation_test((x, y), statistic,
 * permutation_type='independent', alternative='two-sided'): with the
 * splits' statistics s_i and the observed d, gamma = max(1e-14,
 * 1e-14 |d|) (scipy's tolerance for values equal in theory but not in
 * floating point), p_less = (#{s_i <= d + gamma} + a) / (N + a) and
 * p_greater = (#{s_i >= d - gamma} + a) / (N + a), and p = min(1,
 * 2 min(p_less, p_greater)), where N is n_resamples and a is 0 for the
 * exact test (scipy with n_resamples=np.inf) and 1 for random splits (the
 * (count + 1) / (iterations + 1) estimate, which is never 0).
 *
 * Costs about budget steps of O(1) amortized (exact) or O(min(nx, ny))
 * (random), and O(nx + ny) memory. STATS_TOO_FEW when either sample is
 * empty; STATS_INVALID when budget is 0. Samples whose values are all
 * equal are fine (p is 1).
 */
enum stats_status stats_permutation_test(const double *x, size_t nx, const double *y, size_t ny,
                                         uint64_t budget, uint64_t seed,
                                         struct stats_permutation *out);

#endif
