#!/usr/bin/python3
# scripts/stats-fixtures.py - computes, once, the reference values that
# tests/unit/report/test_stats.c checks src/report/stats.c against, with
# scipy, and writes them as the C header tests/unit/report/stats_fixtures.h.
#
# The header is committed; run this only to change the datasets. It needs
# Debian's scipy and numpy (apt-get install python3-scipy python3-numpy), and
# clang-format to lay the header out:
#     /usr/bin/python3 scripts/stats-fixtures.py
# The datasets come from a seeded numpy generator and are written into the
# header as exact doubles (repr round-trips), so the C test reads the very
# values scipy saw. Every value is what scipy returns, except where scipy
# has no such output (said below): Welch's df and Cohen's d are the
# textbook formulas in numpy, checked against scipy's t and p; the
# Mann-Whitney |z| is norm.isf(p / 2) of scipy's p; the t interval of a
# constant sample is its mean (scipy's t.interval gives NaN for a zero
# scale); a table's zero rows and columns are dropped before scipy sees it
# (chi2_contingency refuses them, as stats_chi2_test drops them).
import math
import os
import shutil
import subprocess
import sys
import warnings

import numpy as np
import scipy
from scipy import stats
from scipy.special import comb

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "unit", "report",
                   "stats_fixtures.h")
PERM_BUDGET = 200000  # the exact permutation test is computed when C(nx + ny, nx) fits

rng = np.random.default_rng(20240611)

# scipy warns, rightly and harmlessly, about three inputs chosen on purpose:
# t.interval with a zero scale (a constant sample: its interval is set to the
# mean below), ttest_ind's "catastrophic cancellation" on the constant
# sample of one_constant, and binomtest's p-value (unused) for 1 of 1000000.
warnings.simplefilter("ignore", RuntimeWarning)


def rounded(a, digits=3):
    return [round(float(v), digits) for v in a]


# ---- two-sample datasets: each is summarized, and compared by Welch, MWU and (when
# small enough) the exact permutation test
TWO = [
    ("small_ties", [3, 5, 4, 6, 5], [2, 3, 3, 4, 2, 1]),
    ("minimal_n2", [1.5, 2.5], [3.0, 4.0, 5.5]),
    ("likert_ties", [int(v) for v in rng.integers(1, 8, 40)],
     [int(v) for v in np.clip(rng.integers(1, 8, 35) + rng.integers(0, 2, 35), 1, 7)]),
    ("unequal_var", rounded(rng.normal(10, 1, 12)), rounded(rng.normal(12, 5, 30))),
    ("skewed", rounded(rng.lognormal(0, 1, 25)), rounded(rng.exponential(1.5, 20))),
    ("large_n", rounded(rng.normal(50, 10, 2000)), rounded(rng.normal(50.8, 11, 1800))),
    ("extreme_p", rounded(rng.normal(0, 1, 40)), rounded(rng.normal(2.0, 1, 40))),
    ("one_constant", [4, 4, 4, 4, 4], [3, 5, 6, 2, 4, 5, 7]),
    ("identical", [2.5, 3.5, 1.0, 4.0], [2.5, 3.5, 1.0, 4.0]),
    ("offset_1e6", rounded(1e6 + rng.normal(0, 1, 15), 4), rounded(1e6 + 0.7 + rng.normal(0, 1, 18), 4)),
    ("binary", [int(v) for v in rng.integers(0, 2, 30)], [int(v) for v in (rng.random(25) < 0.8)]),
    ("perm_8_9", rounded(rng.normal(3, 1, 8), 2), rounded(rng.normal(3.9, 1.2, 9), 2)),
    ("perm_ties_10_10", [int(v) for v in rng.integers(1, 6, 10)], [int(v) for v in rng.integers(2, 6, 10)]),
    ("perm_7_12", rounded(rng.gamma(2.0, 1.0, 7), 3), rounded(rng.gamma(2.0, 1.5, 12), 3)),
]

# samples summarized on their own (besides every sample above)
ALONE = [
    ("two_values", [1.0, 2.0]),
    ("three_values", [-1.25, 0.5, 7.75]),
    ("even_count", [9, 1, 8, 2, 7, 3]),
]

T_CDF = [(2.0, 1.0), (-2.5, 12.3), (0.001, 5.0), (8.0, 200.0), (40.0, 3.0), (1000.0, 1.0),
         (-7.5, 30.0), (1.5, 0.5), (0.3, 1e5), (15.0, 12.0)]

T_PPF = [(0.975, 1.0), (0.975, 2.0), (0.975, 4.5), (0.975, 29.0), (0.995, 10.0), (0.6, 7.0),
         (0.025, 7.0), (1e-10, 3.0), (0.9999999999, 3.0), (0.975, 1e4), (0.975, 1e6), (0.75, 0.5),
         (1e-12, 2.0), (0.999999, 1.0), (0.5000001, 20.0)]

CHI2_SF = [(3.84, 1.0), (0.5, 2.0), (100.0, 3.0), (1000.0, 10.0), (55.0, 4.0), (12.3, 7.5),
           (0.001, 1.0), (500.0, 400.0), (50.0, 1.0), (30.0, 30.0), (7.0, 0.5)]

NORMAL = [-8.0, -1.959963984540054, -0.5, 0.0, 0.25, 1.0, 3.0, 7.0]

WILSON = [(0, 10), (10, 10), (1, 1), (5, 10), (37, 120), (999, 1000), (1, 1000000),
          (50000, 100000), (0, 1), (3, 7)]

# r x c tables of counts; a zero row or column is dropped before scipy sees the table
TABLES = [
    ("t2x2", [[10, 20], [30, 25]]),
    ("t3x4", [[12, 7, 9, 14], [5, 11, 8, 6], [20, 3, 10, 9]]),
    ("t2x3_small", [[1, 2, 3], [3, 2, 1]]),
    ("t2x2_extreme", [[500, 100], [100, 500]]),
    ("t2x2_p1e12", [[123, 57], [57, 123]]),
    ("t4x2", [[30, 10], [25, 15], [20, 20], [15, 25]]),
    ("t_zero_row_col", [[5, 7, 0], [0, 0, 0], [3, 9, 0]]),
    ("t5x5", [[int(v) for v in row] for row in rng.integers(0, 30, (5, 5))]),
    ("t_independent", [[10, 20], [20, 40]]),
]


def c_double(v):
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        sys.exit("fixture value is not finite: %r" % v)
    r = repr(v)
    if "e" not in r and "." not in r:
        r += ".0"
    return r


def c_array(name, values):
    body = ", ".join(c_double(v) for v in values)
    return "static const double %s[] = { %s };\n" % (name, body)


def summary(v):
    a = np.asarray(v, dtype=float)
    n = len(a)
    mean = float(np.mean(a))
    sd = float(np.std(a, ddof=1))
    se = float(stats.sem(a))
    lo, hi = stats.t.interval(0.95, n - 1, loc=mean, scale=se)
    if se == 0.0:
        lo = hi = mean  # scipy gives NaN for a zero scale; the interval is the mean itself
    return [mean, sd, se, lo, hi, float(np.median(a)), float(np.min(a)), float(np.max(a))]


def welch(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    res = stats.ttest_ind(x, y, equal_var=False)
    vx = np.var(x, ddof=1) / len(x)
    vy = np.var(y, ddof=1) / len(y)
    if vx + vy == 0.0:
        return None
    df = (vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) + vy ** 2 / (len(y) - 1))
    # scipy 1.10 does not return df: check ours reproduces its p
    p_check = 2 * stats.t.sf(abs(res.statistic), df)
    assert abs(p_check - res.pvalue) <= 1e-12 * max(res.pvalue, 1e-300), (p_check, res.pvalue)
    nx, ny = len(x), len(y)
    pooled = math.sqrt(((nx - 1) * np.var(x, ddof=1) + (ny - 1) * np.var(y, ddof=1)) / (nx + ny - 2))
    d = (np.mean(x) - np.mean(y)) / pooled
    return [res.statistic, df, res.pvalue, d]


def mwu(x, y):
    res = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)
    z = 0.0 if res.pvalue >= 1.0 else stats.norm.isf(res.pvalue / 2)
    return [res.statistic, res.pvalue, z]


def perm(x, y):
    splits = int(comb(len(x) + len(y), len(x), exact=True))
    if splits > PERM_BUDGET:
        return None

    def diff(a, b, axis):
        return np.mean(a, axis=axis) - np.mean(b, axis=axis)

    res = stats.permutation_test((np.asarray(x, float), np.asarray(y, float)), diff,
                                 permutation_type="independent", alternative="two-sided",
                                 n_resamples=np.inf, vectorized=True)
    return [res.statistic, res.pvalue, splits]


def chi2(table):
    t = np.asarray(table)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    chi, p, df, _ = stats.chi2_contingency(t, correction=False)
    v = stats.contingency.association(t, method="cramer", correction=False)
    return [chi, p, df, v, t.shape[0], t.shape[1], t.sum()]


def main():
    out = []
    w = out.append
    w("/*\n")
    w(" * tests/unit/report/stats_fixtures.h - reference values for test_stats.c,\n")
    w(" * computed once with scipy %s and numpy %s. GENERATED: do not edit;\n"
      % (scipy.__version__, np.__version__))
    w(" * regenerate with `/usr/bin/python3 scripts/stats-fixtures.py` (Debian's\n")
    w(" * python3-scipy), which says where each value comes from.\n")
    w(" */\n")
    w("#ifndef TESTS_UNIT_REPORT_STATS_FIXTURES_H\n#define TESTS_UNIT_REPORT_STATS_FIXTURES_H\n\n")
    w("#include \"core/compat.h\"\n\n")
    w("/* mean, sd, se, ci_low, ci_high, median, min, max */\n")
    w("struct fx_summary {\n    double mean, sd, se, ci_low, ci_high, median, min, max;\n};\n\n")
    w("struct fx_sample {\n    const char *name;\n    const double *v;\n    size_t n;\n"
      "    struct fx_summary s;\n};\n\n")
    w("struct fx_two {\n    const char *name;\n    const double *x;\n    size_t nx;\n"
      "    const double *y;\n    size_t ny;\n"
      "    bool has_welch; /* false: both samples have zero variance */\n"
      "    double welch_t, welch_df, welch_p, cohens_d;\n"
      "    double mwu_u, mwu_p, mwu_z_abs;\n"
      "    bool has_perm; /* the exact permutation test was computed */\n"
      "    double perm_diff, perm_p;\n    uint64_t perm_splits;\n};\n\n")
    w("struct fx_pair {\n    double a, b, want;\n};\n\n")
    w("struct fx_wilson {\n    uint64_t k, n;\n    double low, high;\n};\n\n")
    w("struct fx_table {\n    const char *name;\n    const uint64_t *counts;\n"
      "    size_t rows, cols;\n    double chi2, p;\n    size_t df;\n    double cramers_v;\n"
      "    size_t used_rows, used_cols;\n    double total;\n};\n\n")

    samples = []
    for name, x, y in TWO:
        w(c_array("fx_%s_x" % name, x))
        w(c_array("fx_%s_y" % name, y))
        samples.append(("%s_x" % name, "fx_%s_x" % name, x))
        samples.append(("%s_y" % name, "fx_%s_y" % name, y))
    for name, v in ALONE:
        w(c_array("fx_%s" % name, v))
        samples.append((name, "fx_%s" % name, v))
    w("\n")

    w("static const struct fx_sample fx_samples[] = {\n")
    for name, arr, v in samples:
        s = summary(v)
        w("    { \"%s\", %s, %d, { %s } },\n" % (name, arr, len(v), ", ".join(c_double(t) for t in s)))
    w("};\n\n")

    w("static const struct fx_two fx_twos[] = {\n")
    for name, x, y in TWO:
        wl = welch(x, y)
        m = mwu(x, y)
        pm = perm(x, y)
        fields = ["\"%s\"" % name, "fx_%s_x" % name, str(len(x)), "fx_%s_y" % name, str(len(y))]
        fields.append("true" if wl else "false")
        fields += [c_double(v) for v in (wl or [0, 0, 1, 0])]
        fields += [c_double(v) for v in m]
        fields.append("true" if pm else "false")
        if pm:
            fields += [c_double(pm[0]), c_double(pm[1]), "%d" % pm[2]]
        else:
            fields += ["0.0", "1.0", "0"]
        w("    { %s },\n" % ", ".join(fields))
    w("};\n\n")

    w("/* a: t, b: df, want: stats.t.cdf(t, df); then 2 * stats.t.sf(|t|, df) */\n")
    w("static const struct fx_pair fx_t_cdf[] = {\n")
    for t, df in T_CDF:
        w("    { %s, %s, %s },\n" % (c_double(t), c_double(df), c_double(stats.t.cdf(t, df))))
    w("};\n")
    w("static const struct fx_pair fx_t_two_sided[] = {\n")
    for t, df in T_CDF:
        w("    { %s, %s, %s },\n" % (c_double(t), c_double(df), c_double(2 * stats.t.sf(abs(t), df))))
    w("};\n\n")
    w("/* a: p, b: df, want: stats.t.ppf(p, df) */\n")
    w("static const struct fx_pair fx_t_ppf[] = {\n")
    for p, df in T_PPF:
        w("    { %s, %s, %s },\n" % (c_double(p), c_double(df), c_double(stats.t.ppf(p, df))))
    w("};\n\n")
    w("/* a: x, b: df, want: stats.chi2.sf(x, df) */\n")
    w("static const struct fx_pair fx_chi2_sf[] = {\n")
    for x, df in CHI2_SF:
        w("    { %s, %s, %s },\n" % (c_double(x), c_double(df), c_double(stats.chi2.sf(x, df))))
    w("};\n\n")
    w("/* a: z, b: stats.norm.cdf(z), want: stats.norm.sf(z) */\n")
    w("static const struct fx_pair fx_normal[] = {\n")
    for z in NORMAL:
        w("    { %s, %s, %s },\n" % (c_double(z), c_double(stats.norm.cdf(z)), c_double(stats.norm.sf(z))))
    w("};\n\n")

    w("/* stats.binomtest(k, n).proportion_ci(method='wilson') */\n")
    w("static const struct fx_wilson fx_wilsons[] = {\n")
    for k, n in WILSON:
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        w("    { %d, %d, %s, %s },\n" % (k, n, c_double(ci.low), c_double(ci.high)))
    w("};\n\n")

    w("/* chi2_contingency(table, correction=False) and association(table, 'cramer')\n")
    w(" * on the table without its zero rows and columns */\n")
    for name, t in TABLES:
        flat = [str(v) for row in t for v in row]
        w("static const uint64_t fx_%s[] = { %s };\n" % (name, ", ".join(flat)))
    w("static const struct fx_table fx_tables[] = {\n")
    for name, t in TABLES:
        chi, p, df, v, r, c, total = chi2(t)
        w("    { \"%s\", fx_%s, %d, %d, %s, %s, %d, %s, %d, %d, %s },\n"
          % (name, name, len(t), len(t[0]), c_double(chi), c_double(p), df, c_double(v), r, c,
             c_double(total)))
    w("};\n\n#endif\n")

    with open(OUT, "w") as f:
        f.write("".join(out))
    # laid out by the repository's .clang-format, as make check-format wants
    if shutil.which("clang-format"):
        subprocess.run(["clang-format", "-i", OUT], check=True)
    else:
        print("clang-format not found: run make format before committing", file=sys.stderr)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
