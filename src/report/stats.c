/*
 * report/stats.c - the statistics of a report (report/stats.h): the special
 * functions underneath (the regularized incomplete beta and gamma
 * functions), the distributions built on them, and the tests built on the
 * distributions.
 *
 * The incomplete beta function is evaluated by its continued fraction with
 * the modified Lentz method, on whichever side of the mean of the beta
 * distribution converges fast, and is given both x and 1 - x so that a
 * tail never loses digits to a subtraction. The incomplete gamma function
 * is a power series below x = a + 1 and a continued fraction above. Log
 * beta and the gamma factor use Stirling's series for large arguments
 * (differences of huge lgamma values would cancel). For a large df the t
 * distribution's tail is Fisher's expansion around the normal instead
 * (use_fisher), as the continued fraction loses digits there. lgamma_r is used rather than
 * lgamma, which writes the global signgam. Checked against mpmath to about
 * 1e-13 relative, and against scipy by the unit test.
 *
 * Reentrant; no state outside the calls.
 */
#include "core/compat.h"

#include "report/stats.h"

#include <float.h>
#include <math.h>

#include "core/prng.h"
#include "core/xalloc.h"

const char *stats_status_name(enum stats_status s)
{
    switch (s) {
    case STATS_OK:
        return "ok";
    case STATS_TOO_FEW:
        return "too_few";
    case STATS_NO_VARIANCE:
        return "no_variance";
    case STATS_INVALID:
        return "invalid";
    }
    return "unknown";
}

/* ---- special functions ----------------------------------------------------------
 * CF_EPS is the relative change at which a series or continued fraction
 * stops (a few units in the last place: a smaller one might never be met);
 * CF_MAX_ITER bounds the loops, which take O(sqrt(a)) steps at worst for a
 * parameter a (a few dozen for any df a report meets), so the bound is a
 * backstop, and the last value is returned if it is ever reached.
 */

#define CF_EPS      (2.0 * DBL_EPSILON)
#define CF_TINY     1e-300 /* stands in for a zero denominator in Lentz's method */
#define CF_MAX_ITER 200000

static double log_gamma(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}

#define STIRLING_MIN 10.0 /* from here Stirling's series is good to 1e-14 */

/*
 * log Gamma(x) - ((x - 0.5) log x - x + log sqrt(2 pi)) for x >=
 * STIRLING_MIN: Stirling's series to its x^-9 term.
 */
static double stirling_rest(double x)
{
    double r = 1.0 / (x * x);
    return (1.0 / 12 - r * (1.0 / 360 - r * (1.0 / 1260 - r * (1.0 / 1680 - r / 1188)))) / x;
}

/*
 * log B(a, b) for a, b > 0. With a large parameter, log Gamma(big) -
 * log Gamma(big + small) is taken from Stirling's series in a form without
 * the cancellation of two huge logarithms (lgamma(5e11) is 1.3e13, so a
 * difference of lgamma values would keep only three digits).
 */
static double log_beta(double a, double b)
{
    double small = fmin(a, b), big = fmax(a, b);
    if (big < STIRLING_MIN)
        return log_gamma(a) + log_gamma(b) - log_gamma(a + b);
    double rest = -(big - 0.5) * log1p(small / big) - small * log(big + small) + small +
                  stirling_rest(big) - stirling_rest(big + small);
    return log_gamma(small) + rest;
}

/* log(x^a e^-x / Gamma(a)), the factor in front of both forms of Q(a, x). */
static double log_gamma_front(double a, double x)
{
    if (a < STIRLING_MIN)
        return a * log(x) - x - log_gamma(a);
    return a * log(x / a) + (a - x) + 0.5 * log(a) - 0.5 * log(2.0 * M_PI) - stirling_rest(a);
}

/* Lentz's method keeps its denominators away from 0. */
static double not_zero(double v)
{
    return fabs(v) < CF_TINY ? CF_TINY : v;
}

/*
 * The continued fraction 1 / (1 + d1 / (1 + d2 / (1 + ...))) of I_x(a, b)
 * (DLMF 8.17.22), where d(2m) = m (b - m) x / ((a + 2m - 1)(a + 2m)) and
 * d(2m+1) = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)); it converges
 * fast for x < (a + 1) / (a + b + 2). y is 1 - x.
 */
static double beta_fraction(double a, double b, double x, double y)
{
    /* 1 - (a + b) x / (a + 1), written with y = 1 - x when x is near 1 and a large */
    double first = x < 0.5 ? 1.0 - (a + b) * x / (a + 1.0) : (1.0 - b + (a + b) * y) / (a + 1.0);
    double c = 1.0;
    double d = 1.0 / not_zero(first);
    double h = d;
    for (int m = 1; m <= CF_MAX_ITER; m++) {
        double two_m = 2.0 * m;
        double even = m * (b - m) * x / ((a + two_m - 1.0) * (a + two_m));
        d = 1.0 / not_zero(1.0 + even * d);
        c = not_zero(1.0 + even / c);
        h *= d * c;
        double odd = -(a + m) * (a + b + m) * x / ((a + two_m) * (a + two_m + 1.0));
        d = 1.0 / not_zero(1.0 + odd * d);
        c = not_zero(1.0 + odd / c);
        double step = d * c;
        h *= step;
        if (fabs(step - 1.0) < CF_EPS)
            break;
    }
    return h;
}

/*
 * The regularized incomplete beta function I_x(a, b) for a, b > 0, with
 * y = 1 - x given by the caller as precisely as it knows it.
 */
static double beta_inc(double a, double b, double x, double y)
{
    if (x <= 0.0)
        return 0.0;
    if (y <= 0.0)
        return 1.0;
    double log_x = x < 0.5 ? log(x) : log1p(-y);
    double log_y = y < 0.5 ? log(y) : log1p(-x);
    double front = exp(a * log_x + b * log_y - log_beta(a, b));
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * beta_fraction(a, b, x, y) / a;
    return 1.0 - front * beta_fraction(b, a, y, x) / b; /* I_x(a, b) = 1 - I_y(b, a) */
}

/*
 * The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x)
 * for a > 0: P's power series below x = a + 1 (where Q is not small, so the
 * subtraction is safe), else Q's continued fraction (DLMF 8.9.2) by Lentz.
 */
static double gamma_inc_upper(double a, double x)
{
    if (x <= 0.0)
        return 1.0;
    double log_front = log_gamma_front(a, x);
    if (x < a + 1.0) {
        /* P = x^a e^-x / Gamma(a + 1) * sum x^n / ((a + 1) ... (a + n)) */
        double term = 1.0 / a;
        double sum = term;
        for (int n = 1; n <= CF_MAX_ITER; n++) {
            term *= x / (a + n);
            sum += term;
            if (fabs(term) < fabs(sum) * CF_EPS)
                break;
        }
        return 1.0 - sum * exp(log_front);
    }
    /* Q = x^a e^-x / Gamma(a) * 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - 2 (2 - a) / ...)) */
    double b = x + 1.0 - a;
    double c = 1.0 / CF_TINY;
    double d = 1.0 / b;
    double h = d;
    for (int n = 1; n <= CF_MAX_ITER; n++) {
        double an = -n * (n - a);
        b += 2.0;
        d = 1.0 / not_zero(an * d + b);
        c = not_zero(b + an / c);
        double step = d * c;
        h *= step;
        if (fabs(step - 1.0) < CF_EPS)
            break;
    }
    return exp(log_front) * h;
}

/* ---- distributions ------------------------------------------------------------- */

double stats_normal_cdf(double z)
{
    return 0.5 * erfc(-z / M_SQRT2);
}

double stats_normal_sf(double z)
{
    return 0.5 * erfc(z / M_SQRT2);
}

static bool bad_df(double df)
{
    return isnan(df) || df <= 0.0;
}

#define TINY_X 1e-200 /* below this, I_x(a, b) is its leading term to double precision */

/*
 * P(|T| >= |t|) = I_x(df / 2, 1 / 2) with x = df / (df + t^2), for a
 * finite df; x and 1 - x are each computed without a subtraction, and
 * without overflow for large |t|.
 */
static double t_two_tails(double t, double df)
{
    double a = 0.5 * df;
    double x, y;
    if (fabs(t) >= 1.0) {
        double r = df / t / t;
        if (r < TINY_X) {
            /*
             * x = r / (1 + r) would lose digits or underflow: I_x(a, b) is
             * x^a / (a B(a, b)) (1 + O(x)) there, taken in logarithms
             */
            double log_x = log(df) - 2.0 * log(fabs(t));
            return exp(a * log_x - log(a) - log_beta(a, 0.5));
        }
        x = r / (1.0 + r);
        y = 1.0 / (1.0 + r);
    } else {
        double r = t * t / df;
        x = 1.0 / (1.0 + r);
        y = r / (1.0 + r);
    }
    return beta_inc(a, 0.5, x, y);
}

/*
 * Where Fisher's expansion below is used rather than the continued
 * fraction. The fraction loses digits near the centre as df grows (its
 * terms approach -1: about df * 1e-17 relative at t = 2, 3e-10 at df =
 * 1e7); the expansion's error is about (t^4 / df)^5, so it takes over
 * from df = T_FISHER_MIN_DF while t^4 <= T_FISHER_RATIO df (error under
 * 1e-12), and everywhere past T_FISHER_DF, where t^4 / df stays below 0.3
 * for every t whose tail is a normal double (error under 1e-9).
 */
#define T_FISHER_MIN_DF 1e4
#define T_FISHER_RATIO  0.1
#define T_FISHER_DF     1e7

static bool use_fisher(double t, double df)
{
    return df > T_FISHER_DF || (df >= T_FISHER_MIN_DF && t * t * t * t <= T_FISHER_RATIO * df);
}

/*
 * P(T >= t) for t >= 0 where use_fisher(t, df): Fisher's asymptotic expansion
 * Q(t) + phi(t) (g1 / df + g2 / df^2 + g3 / df^3 + g4 / df^4), the normal
 * tail corrected, whose odd polynomials g come from expanding the density
 * of T over the normal's in powers of 1 / df and integrating term by term:
 *   g1 = t (t^2 + 1) / 4
 *   g2 = t (t^2 - 3)(3t^4 + 2t^2 + 1) / 96
 *   g3 = t (t^10 - 11t^8 + 14t^6 + 6t^4 - 3t^2 - 15) / 384
 *   g4 = t (15t^14 - 375t^12 + 2225t^10 - 2141t^8 - 939t^6 - 213t^4
 *           + 915t^2 + 945) / 92160
 */
static double t_upper_fisher(double t, double df)
{
    double u = t * t, e = 1.0 / df;
    double phi = exp(-0.5 * u) / sqrt(2.0 * M_PI);
    if (phi == 0.0)
        return stats_normal_sf(t); /* t > 38.6: 0 or nearly, and the g would overflow */
    double g1 = t * (u + 1.0) / 4.0;
    double g2 = t * (u - 3.0) * ((3.0 * u + 2.0) * u + 1.0) / 96.0;
    double g3 = t * (((((u - 11.0) * u + 14.0) * u + 6.0) * u - 3.0) * u - 15.0) / 384.0;
    double p4 = (((15.0 * u - 375.0) * u + 2225.0) * u - 2141.0) * u - 939.0;
    double g4 = t * (((p4 * u - 213.0) * u + 915.0) * u + 945.0) / 92160.0;
    double series = e * (g1 + e * (g2 + e * (g3 + e * g4)));
    return stats_normal_sf(t) + phi * series;
}

/* P(T >= t) for t >= 0, accurate in the tail. */
static double t_upper(double t, double df)
{
    if (isinf(df))
        return stats_normal_sf(t);
    if (use_fisher(t, df))
        return t_upper_fisher(t, df);
    return 0.5 * t_two_tails(t, df);
}

double stats_t_p_two_sided(double t, double df)
{
    if (isnan(t) || bad_df(df))
        return NAN;
    if (isinf(df) || use_fisher(fabs(t), df))
        return fmin(1.0, 2.0 * t_upper(fabs(t), df));
    return t_two_tails(t, df);
}

double stats_t_cdf(double t, double df)
{
    if (isnan(t) || bad_df(df))
        return NAN;
    if (isinf(df))
        return stats_normal_cdf(t);
    return t < 0.0 ? t_upper(-t, df) : 1.0 - t_upper(t, df);
}

/* The density of T at t. */
static double t_density(double t, double df)
{
    if (isinf(df))
        return exp(-0.5 * t * t) / sqrt(2.0 * M_PI);
    /* Gamma((df + 1) / 2) / (Gamma(df / 2) sqrt(df pi)) = 1 / (sqrt(df) B(df / 2, 1 / 2)) */
    double log_norm = -log_beta(0.5 * df, 0.5) - 0.5 * log(df);
    return exp(log_norm - 0.5 * (df + 1.0) * log1p(t * t / df));
}

#define QUANTILE_MAX_ITER 400

/*
 * The t > 0 with P(T >= t) = alpha, 0 < alpha < 0.5. A bracket [lo, hi]
 * with tail(lo) >= alpha >= tail(hi) is found by doubling hi; then Newton
 * steps on log tail(t) against log t (nearly linear in both the centre
 * and the power-law tails, so few steps are needed), falling back to
 * bisection (geometric while the bracket spans more than a factor of 2)
 * whenever a step would leave the bracket.
 */
static double t_upper_quantile(double alpha, double df)
{
    double lo = 0.0, hi = 1.0;
    while (t_upper(hi, df) > alpha) {
        lo = hi;
        if (hi > DBL_MAX / 4.0)
            return INFINITY;
        hi *= 2.0;
    }
    double t = hi;
    double log_alpha = log(alpha);
    for (int i = 0; i < QUANTILE_MAX_ITER; i++) {
        double tail = t_upper(t, df);
        if (tail == alpha)
            return t;
        if (tail > alpha)
            lo = t;
        else
            hi = t;
        double next = NAN;
        double slope = tail > 0.0 ? t_density(t, df) * t / tail : 0.0; /* -d log tail / d log t */
        if (slope > 0.0 && isfinite(slope))
            next = t * exp((log(tail) - log_alpha) / slope);
        if (!(next > lo && next < hi))
            next = lo > 0.0 && hi > 2.0 * lo ? sqrt(lo * hi) : 0.5 * (lo + hi);
        if (fabs(next - t) <= 4.0 * DBL_EPSILON * t || hi - lo <= 4.0 * DBL_EPSILON * hi)
            return next;
        t = next;
    }
    return t;
}

double stats_t_quantile(double p, double df)
{
    if (isnan(p) || bad_df(df))
        return NAN;
    if (p <= 0.0)
        return -INFINITY;
    if (p >= 1.0)
        return INFINITY;
    if (p == 0.5)
        return 0.0;
    if (p < 0.5)
        return -t_upper_quantile(p, df);
    return t_upper_quantile(1.0 - p, df); /* exact: p is in [0.5, 1) */
}

double stats_chi2_sf(double x, double df)
{
    if (isnan(x) || bad_df(df))
        return NAN;
    if (x <= 0.0)
        return 1.0;
    if (isinf(x))
        return 0.0;
    return gamma_inc_upper(0.5 * df, 0.5 * x);
}

/* ---- samples ----------------------------------------------------------------------
 * Helpers shared by the tests: the check of the values, mean and sum of
 * squared deviations (each in two passes), and sorting.
 */

/* Every value finite and within STATS_VALUE_MAX (NaN fails the comparison). */
static bool all_usable(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!(fabs(v[i]) <= STATS_VALUE_MAX))
            return false;
    }
    return true;
}

/*
 * The mean, refined by a second pass: the first sum's rounding error is
 * what the deviations from it add up to (this matters for values far from
 * 0, such as 1e6 + noise).
 */
static double mean_of(const double *v, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    double mean = sum / (double)n;
    double rest = 0.0;
    for (size_t i = 0; i < n; i++)
        rest += v[i] - mean;
    return mean + rest / (double)n;
}

/* The sum of squared deviations from mean. */
static double squares_of(const double *v, size_t n, double mean)
{
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = v[i] - mean;
        ss += d * d;
    }
    return ss;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- descriptive statistics --------------------------------------------------- */

enum stats_status stats_summarize(const double *values, size_t n, struct stats_summary *out)
{
    *out = (struct stats_summary){ .n = n };
    if (n == 0)
        return STATS_TOO_FEW;
    if (!all_usable(values, n))
        return STATS_INVALID;
    double *sorted = xmalloc(st_mult(n, sizeof(*sorted)));
    memcpy(sorted, values, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), cmp_double);
    out->min = sorted[0];
    out->max = sorted[n - 1];
    out->median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    free(sorted);

    out->mean = mean_of(values, n);
    if (n < 2)
        return STATS_OK;
    out->sd = sqrt(squares_of(values, n, out->mean) / (double)(n - 1));
    out->se = out->sd / sqrt((double)n);
    double half = stats_t_quantile(0.975, (double)(n - 1)) * out->se;
    out->has_ci = true;
    out->ci_low = out->mean - half;
    out->ci_high = out->mean + half;
    return STATS_OK;
}

/* ---- proportions -------------------------------------------------------------- */

enum stats_status stats_wilson(uint64_t k, uint64_t n, struct stats_proportion *out)
{
    *out = (struct stats_proportion){ .k = k, .n = n, .high = 1.0 };
    if (k > n)
        return STATS_INVALID;
    if (n == 0)
        return STATS_TOO_FEW;
    /* Newcombe's form, as scipy writes it */
    double nn = (double)n;
    double p = (double)k / nn;
    double z = STATS_Z95;
    double denom = 2.0 * (nn + z * z);
    double centre = (2.0 * nn * p + z * z) / denom;
    double delta = z / denom * sqrt(4.0 * nn * p * (1.0 - p) + z * z);
    out->share = p;
    out->low = k == 0 ? 0.0 : centre - delta;
    out->high = k == n ? 1.0 : centre + delta;
    return STATS_OK;
}

enum stats_status stats_top_two_box(const double *values, size_t n, int scale_min, int scale_max,
                                    struct stats_proportion *out)
{
    *out = (struct stats_proportion){ .n = n, .high = 1.0 };
    if ((long long)scale_max - scale_min < 2)
        return STATS_INVALID;
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(values[i] >= scale_min && values[i] <= scale_max))
            return STATS_INVALID; /* NaN too */
        if (values[i] >= (double)scale_max - 1.0)
            k++;
    }
    return stats_wilson(k, n, out);
}

/* ---- Welch's t-test ----------------------------------------------------------- */

enum stats_status stats_welch_test(const double *x, size_t nx, const double *y, size_t ny,
                                   struct stats_welch *out)
{
    *out = (struct stats_welch){ .p = 1.0 };
    if (!all_usable(x, nx) || !all_usable(y, ny))
        return STATS_INVALID;
    if (nx > 0)
        out->mean_x = mean_of(x, nx);
    if (ny > 0)
        out->mean_y = mean_of(y, ny);
    if (nx > 0 && ny > 0)
        out->diff = out->mean_x - out->mean_y;
    if (nx < 2 || ny < 2)
        return STATS_TOO_FEW;

    double fx = (double)nx, fy = (double)ny;
    double ssx = squares_of(x, nx, out->mean_x), ssy = squares_of(y, ny, out->mean_y);
    if (ssx == 0.0 && ssy == 0.0)
        return STATS_NO_VARIANCE;
    double vx = ssx / (fx - 1.0) / fx; /* squared standard error of each mean */
    double vy = ssy / (fy - 1.0) / fy;
    double se2 = vx + vy;
    if (!(se2 > 0.0))
        return STATS_NO_VARIANCE; /* a spread so small that it underflows */
    out->t = out->diff / sqrt(se2);
    /* se2^2 / (vx^2 / (nx - 1) + vy^2 / (ny - 1)), in shares of se2 so nothing underflows */
    double sx = vx / se2, sy = vy / se2;
    out->df = 1.0 / (sx * sx / (fx - 1.0) + sy * sy / (fy - 1.0));
    out->p = stats_t_p_two_sided(out->t, out->df);
    out->cohens_d = out->diff / sqrt((ssx + ssy) / (fx + fy - 2.0));
    return STATS_OK;
}

/* ---- Mann-Whitney U ------------------------------------------------------------- */

struct ranked {
    double value;
    bool from_x;
};

static int cmp_ranked(const void *a, const void *b)
{
    return cmp_double(&((const struct ranked *)a)->value, &((const struct ranked *)b)->value);
}

enum stats_status stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
                                     struct stats_mwu *out)
{
    *out = (struct stats_mwu){ .p = 1.0 };
    if (!all_usable(x, nx) || !all_usable(y, ny))
        return STATS_INVALID;
    if (nx == 0 || ny == 0)
        return STATS_TOO_FEW;

    size_t n = st_add(nx, ny);
    struct ranked *all = xmalloc(st_mult(n, sizeof(*all)));
    for (size_t i = 0; i < nx; i++)
        all[i] = (struct ranked){ x[i], true };
    for (size_t j = 0; j < ny; j++)
        all[nx + j] = (struct ranked){ y[j], false };
    qsort(all, n, sizeof(*all), cmp_ranked);

    /* average ranks of tie groups [i, j); tie_term sums t^3 - t over groups of size t */
    double rank_sum_x = 0.0, tie_term = 0.0;
    size_t n_groups = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && all[j].value == all[i].value)
            j++;
        double rank = 0.5 * ((double)i + 1.0 + (double)j);
        double t = (double)(j - i);
        tie_term += t * t * t - t;
        for (size_t m = i; m < j; m++) {
            if (all[m].from_x)
                rank_sum_x += rank;
        }
        n_groups++;
        i = j;
    }
    free(all);

    double fx = (double)nx, fy = (double)ny, fn = (double)n;
    double pairs = fx * fy;
    out->u = rank_sum_x - fx * (fx + 1.0) / 2.0;
    if (n_groups == 1)
        return STATS_NO_VARIANCE; /* u is pairs / 2 */
    double mu = pairs / 2.0;
    double sigma = sqrt(pairs / 12.0 * ((fn + 1.0) - tie_term / (fn * (fn - 1.0))));
    double dev = fabs(out->u - mu) - 0.5;
    double z = dev > 0.0 ? dev / sigma : 0.0;
    out->z = out->u < mu ? -z : z;
    out->p = fmin(1.0, 2.0 * stats_normal_sf(z));
    out->rank_biserial = (2.0 * out->u - pairs) / pairs; /* exactly antisymmetric */
    return STATS_OK;
}

/* ---- chi-square test of independence -------------------------------------------- */

enum stats_status stats_chi2_test(const uint64_t *counts, size_t rows, size_t cols,
                                  struct stats_chi2 *out)
{
    *out = (struct stats_chi2){ .p = 1.0 };
    if (rows == 0 || cols == 0)
        return STATS_TOO_FEW;
    double *row_sum = xcalloc(rows, sizeof(*row_sum));
    double *col_sum = xcalloc(cols, sizeof(*col_sum));
    double total = 0.0;
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            double v = (double)counts[r * cols + c];
            row_sum[r] += v;
            col_sum[c] += v;
            total += v;
        }
    }
    out->total = total;
    for (size_t r = 0; r < rows; r++)
        out->n_rows += row_sum[r] > 0.0;
    for (size_t c = 0; c < cols; c++)
        out->n_cols += col_sum[c] > 0.0;

    enum stats_status status = STATS_TOO_FEW;
    if (out->n_rows < 2 || out->n_cols < 2)
        goto out;
    double chi2 = 0.0;
    for (size_t r = 0; r < rows; r++) {
        if (row_sum[r] == 0.0)
            continue;
        for (size_t c = 0; c < cols; c++) {
            if (col_sum[c] == 0.0)
                continue;
            double expected = row_sum[r] * col_sum[c] / total;
            double d = (double)counts[r * cols + c] - expected;
            chi2 += d * d / expected;
        }
    }
    size_t small = out->n_rows < out->n_cols ? out->n_rows : out->n_cols;
    out->chi2 = chi2;
    out->df = (out->n_rows - 1) * (out->n_cols - 1);
    out->p = stats_chi2_sf(chi2, (double)out->df);
    out->cramers_v = fmin(1.0, sqrt(chi2 / (total * (double)(small - 1))));
    status = STATS_OK;
out:
    free(row_sum);
    free(col_sum);
    return status;
}

/* ---- permutation test -------------------------------------------------------------
 * The pooled values are x then y. A split is the set of k = min(nx, ny)
 * positions that form the smaller sample; its statistic comes from the sum
 * of that sample and the pooled total. The exact test walks the k-subsets
 * in lexicographic order keeping prefix sums, so a step costs O(1)
 * amortized; the random test draws each subset by a partial Fisher-Yates
 * shuffle of a working copy (a subset drawn so is uniform whatever order
 * the copy was left in).
 */

struct split {
    size_t nx, ny, k;
    bool k_is_x; /* the k-subset is the x sample */
    double total;
    double observed, gamma;
    uint64_t n_less, n_greater; /* statistics <= observed + gamma, >= observed - gamma */
};

/* mean(x) - mean(y) of the split whose smaller sample sums to sum_k. */
static double split_stat(const struct split *s, double sum_k)
{
    double sum_x = s->k_is_x ? sum_k : s->total - sum_k;
    return sum_x / (double)s->nx - (s->total - sum_x) / (double)s->ny;
}

static void count_split(struct split *s, double sum_k)
{
    double stat = split_stat(s, sum_k);
    s->n_less += stat <= s->observed + s->gamma;
    s->n_greater += stat >= s->observed - s->gamma;
}

/* Whether C(n, k) <= limit; if so *out is C(n, k). Never overflows. */
static bool choose_at_most(size_t n, size_t k, uint64_t limit, uint64_t *out)
{
    uint64_t c = 1;
    for (size_t i = 1; i <= k; i++) {
        /* C(n - k + i, i) = C(n - k + i - 1, i - 1) (n - k + i) / i, exactly; rising in i */
        uint64_t next;
        if (__builtin_mul_overflow(c, (uint64_t)(n - k + i), &next))
            return false;
        c = next / i;
        if (c > limit)
            return false;
    }
    *out = c;
    return true;
}

static void enumerate_splits(struct split *s, const double *pooled, size_t n)
{
    size_t k = s->k;
    size_t *pos = xmalloc(st_mult(k, sizeof(*pos)));
    double *prefix = xmalloc(st_mult(k + 1, sizeof(*prefix))); /* prefix[i]: sum of pos[0..i) */
    prefix[0] = 0.0;
    for (size_t i = 0; i < k; i++) {
        pos[i] = i;
        prefix[i + 1] = prefix[i] + pooled[i];
    }
    for (;;) {
        count_split(s, prefix[k]);
        /* the next subset: bump the last position that can move, reset those after it */
        size_t i = k;
        while (i > 0 && pos[i - 1] == n - k + i - 1)
            i--;
        if (i == 0)
            break;
        pos[i - 1]++;
        for (size_t j = i; j < k; j++)
            pos[j] = pos[j - 1] + 1;
        for (size_t j = i - 1; j < k; j++)
            prefix[j + 1] = prefix[j] + pooled[pos[j]];
    }
    free(pos);
    free(prefix);
}

static void draw_splits(struct split *s, double *work, size_t n, uint64_t draws, uint64_t seed)
{
    struct prng r;
    prng_seed(&r, seed);
    for (uint64_t d = 0; d < draws; d++) {
        double sum = 0.0;
        for (size_t i = 0; i < s->k; i++) {
            size_t j = i + (size_t)prng_below(&r, (uint64_t)(n - i));
            double tmp = work[i];
            work[i] = work[j];
            work[j] = tmp;
            sum += work[i];
        }
        count_split(s, sum);
    }
}

enum stats_status stats_permutation_test(const double *x, size_t nx, const double *y, size_t ny,
                                         uint64_t budget, uint64_t seed,
                                         struct stats_permutation *out)
{
    *out = (struct stats_permutation){ .p = 1.0 };
    if (!all_usable(x, nx) || !all_usable(y, ny) || budget == 0)
        return STATS_INVALID;
    if (nx == 0 || ny == 0)
        return STATS_TOO_FEW;

    size_t n = st_add(nx, ny);
    struct split s = { .nx = nx, .ny = ny, .k_is_x = nx <= ny };
    s.k = s.k_is_x ? nx : ny;
    /*
     * The smaller sample comes first in the pooled array, so its own split
     * is the first. Every value is shifted by the first one (the statistic
     * does not change): sums of values far from 0, such as 1e6 + noise,
     * keep their digits, and whole numbers stay whole, so splits with equal
     * sums get equal statistics, as in scipy.
     */
    double *pooled = xmalloc(st_mult(n, sizeof(*pooled)));
    const double *first = s.k_is_x ? x : y, *second = s.k_is_x ? y : x;
    double shift = first[0];
    for (size_t i = 0; i < s.k; i++)
        pooled[i] = first[i] - shift;
    for (size_t i = s.k; i < n; i++)
        pooled[i] = second[i - s.k] - shift;
    double sum_k = 0.0;
    for (size_t i = 0; i < s.k; i++)
        sum_k += pooled[i];
    for (size_t i = 0; i < n; i++)
        s.total += pooled[i];
    s.observed = split_stat(&s, sum_k);
    s.gamma = fmax(1e-14, fabs(1e-14 * s.observed));
    out->diff = mean_of(x, nx) - mean_of(y, ny);

    uint64_t splits = 0;
    double adjust;
    if (choose_at_most(n, s.k, budget, &splits)) {
        enumerate_splits(&s, pooled, n);
        out->is_exact = true;
        out->n_resamples = splits;
        adjust = 0.0;
    } else {
        draw_splits(&s, pooled, n, budget, seed);
        out->n_resamples = budget;
        adjust = 1.0;
    }
    free(pooled);

    double resamples = (double)out->n_resamples;
    double p_less = ((double)s.n_less + adjust) / (resamples + adjust);
    double p_greater = ((double)s.n_greater + adjust) / (resamples + adjust);
    out->p = fmin(1.0, 2.0 * fmin(p_less, p_greater));
    return STATS_OK;
}
