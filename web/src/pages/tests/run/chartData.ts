/*
 * A run's report (src/report/report.h) turned into what the results page
 * draws and says: bars per answer with their intervals, the variants side
 * by side, the segments of one question, the journey's funnel, and a
 * comparison's statistics in plain words. Pure, so it is unit-tested.
 */
import type {
  Comparison,
  Criterion,
  FunnelStep,
  Interval,
  QuestionStat,
  Report,
  ReportSlot,
  RunResult,
  Segment,
  Theme,
} from '../../../api/runs';

/** One bar: its label, its height (a share 0..1 or a mean), the interval as recharts' ErrorBar wants it. */
export interface Bar {
  label: string;
  value: number;
  count?: number;
  n?: number;
  ci?: Interval;
  /** [below, above] the value, for an ErrorBar; absent when there is no interval */
  err?: [number, number];
  /** a group too small to read much into */
  small?: boolean;
  /** the bar to emphasise (the best variant) */
  highlight?: boolean;
}

const round = (n: number, places = 3) => {
  const f = 10 ** places;
  return Math.round(n * f) / f;
};

function errOf(value: number, ci: Interval | undefined): [number, number] | undefined {
  if (!ci) return undefined;
  return [round(Math.max(0, value - ci[0])), round(Math.max(0, ci[1] - value))];
}

function bar(label: string, value: number, extra: Partial<Bar> = {}): Bar {
  const b: Bar = { label, value, ...extra };
  const e = errOf(value, extra.ci);
  if (e) b.err = e;
  return b;
}

/** The distribution of a question: every point of a rating's scale, every option, yes and no. */
export function distributionBars(q: QuestionStat): Bar[] {
  if (!q.distribution) return [];
  return q.distribution.map((d) =>
    bar(String(d.value), d.share, { count: d.count, ...(d.ci ? { ci: d.ci } : {}) }),
  );
}

/** Whether a question is drawn as bars (text answers are quoted instead). */
export function hasChart(q: QuestionStat): boolean {
  return q.kind !== 'text' && (q.distribution?.length ?? 0) > 0;
}

/** A ranking's mean places, best (lowest) first. */
export function meanRankBars(q: QuestionStat): Bar[] {
  return [...(q.mean_rank ?? [])].sort((a, b) => a.mean - b.mean).map((r) => bar(r.value, r.mean));
}

export interface RatingSummary {
  mean: number;
  ci: Interval | null;
  median: number | null;
  sd: number | null;
  top2: number | null;
  top2Ci: Interval | null;
  min: number;
  max: number;
  /** where the mean sits on the scale, 0..1 */
  position: number;
}

export function ratingSummary(q: QuestionStat): RatingSummary | null {
  if (q.kind !== 'rating' || q.mean === undefined || !q.scale) return null;
  const span = q.scale.max - q.scale.min;
  return {
    mean: q.mean,
    ci: q.ci ?? null,
    median: q.median ?? null,
    sd: q.sd ?? null,
    top2: q.top2_box?.share ?? null,
    top2Ci: q.top2_box?.ci ?? null,
    min: q.scale.min,
    max: q.scale.max,
    position: span > 0 ? Math.min(1, Math.max(0, (q.mean - q.scale.min) / span)) : 0,
  };
}

/**
 * The leading answer of a choice or yes/no question (the largest share);
 * tie: another answer has as large a share.
 */
export function topAnswer(q: QuestionStat): { value: string; share: number; tie: boolean } | null {
  if (!q.distribution || q.distribution.length === 0 || q.kind === 'rating') return null;
  const best = q.distribution.reduce((a, b) => (b.share > a.share ? b : a));
  const tie = q.distribution.filter((d) => d.share === best.share).length > 1;
  return { value: String(best.value), share: best.share, tie };
}

/** The top of a share axis: a little above the largest bar (or its interval), at most 100 %. */
export function shareAxisMax(bars: Bar[]): number {
  const top = bars.reduce((m, b) => Math.max(m, b.ci ? b.ci[1] : b.value), 0);
  const max = Math.min(1, Math.max(0.2, Math.ceil((top + 0.05) * 10) / 10));
  const step = max <= 0.5 ? 0.1 : 0.2;
  return Math.min(1, round(Math.ceil(round(max / step)) * step));
}

/** Even ticks for a share axis from 0 to max (tenths up to 50 %, fifths above). */
export function shareTicks(max: number): number[] {
  const step = max <= 0.5 ? 0.1 : 0.2;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(round(v));
  return out;
}

/* ---- scopes: all answers, or one scenario / variant / step ---------------------------------- */

export interface Scope {
  /** '' for all answers, else a slot key (<scenario> or <scenario>/<variant>) */
  key: string;
  scenario: string;
  scenarioTitle: string | null;
  variant: string | null;
  n: number;
}

/** The slots a reader can narrow the distributions to (none when there is only one). */
export function scopesOf(report: Report): Scope[] {
  const out: Scope[] = [];
  for (const sc of report.scenarios ?? []) {
    for (const slot of sc.slots ?? []) {
      out.push({
        key: slot.key,
        scenario: sc.id,
        scenarioTitle: sc.title ?? null,
        variant: slot.variant ?? null,
        n: slot.n,
      });
    }
  }
  return out.length > 1 ? out : [];
}

/** The question statistics of a scope ('' = every answer). */
export function questionsIn(report: Report, scopeKey: string): QuestionStat[] {
  if (!scopeKey) return report.questions ?? [];
  let slot: ReportSlot | undefined;
  for (const sc of report.scenarios ?? []) {
    slot = sc.slots?.find((s) => s.key === scopeKey);
    if (slot) break;
  }
  return slot?.questions ?? [];
}

/* ---- variants ----------------------------------------------------------------------------------- */

export function comparisonBars(c: Comparison): Bar[] {
  return c.variants.map((v) => {
    const value = c.kind === 'rating' ? (v.mean ?? 0) : (v.share ?? 0);
    return bar(v.id, value, {
      n: v.n,
      ...(v.ci ? { ci: v.ci } : {}),
      highlight: v.id === c.best,
    });
  });
}

export type EffectSize = 'negligible' | 'small' | 'medium' | 'large';

/**
 * Cohen's conventions: d 0.2 / 0.5 / 0.8; Cramér's V by the degrees of
 * freedom of the smaller side (df 1: 0.1 / 0.3 / 0.5, 2: 0.07 / 0.21 / 0.35,
 * 3+: 0.06 / 0.17 / 0.29).
 */
export function effectSize(effect: Comparison['effect'], df = 1): EffectSize {
  const v = Math.abs(effect.value);
  let t: [number, number, number];
  if (effect.name === 'cohens_d') t = [0.2, 0.5, 0.8];
  else if (df <= 1) t = [0.1, 0.3, 0.5];
  else if (df === 2) t = [0.07, 0.21, 0.35];
  else t = [0.06, 0.17, 0.29];
  if (v < t[0]) return 'negligible';
  if (v < t[1]) return 'small';
  if (v < t[2]) return 'medium';
  return 'large';
}

/** How sure one can be that a difference is not chance, from its p-value. */
export type Certainty = 'strong' | 'moderate' | 'weak' | 'none';

export function certaintyOf(p: number): Certainty {
  if (p < 0.01) return 'strong';
  if (p < 0.05) return 'moderate';
  if (p < 0.1) return 'weak';
  return 'none';
}

export interface ComparisonReading {
  best: string;
  runnerUp: string;
  /** best minus runner-up: points of the scale for ratings, a share (0..1) otherwise */
  difference: number;
  unit: 'points' | 'share';
  /** chances in 100 of a difference this large by chance alone (p x 100), rounded */
  chancePercent: number;
  certainty: Certainty;
  effect: EffectSize;
  significant: boolean;
  winner: string | null;
}

/** A comparison said as a product manager reads it. */
export function readComparison(c: Comparison): ComparisonReading {
  const best = c.variants.find((v) => v.id === c.best);
  const runner = c.variants.find((v) => v.id === c.runner_up);
  const value = (v: typeof best) => (c.kind === 'rating' ? (v?.mean ?? 0) : (v?.share ?? 0));
  const chance = c.p * 100;
  return {
    best: c.best,
    runnerUp: c.runner_up,
    difference: round(value(best) - value(runner)),
    unit: c.kind === 'rating' ? 'points' : 'share',
    chancePercent: chance < 1 ? round(chance, 1) : Math.round(chance),
    certainty: certaintyOf(c.p),
    effect: effectSize(c.effect, c.kind === 'choice' ? Math.max(1, c.variants.length - 1) : 1),
    significant: c.significant,
    winner: c.significant ? (c.winner ?? c.best) : null,
  };
}

/** "= 0.21" or "< 0.001": a p-value after "p". */
export function pText(p: number, lng = 'en'): string {
  const f = formatP(p, lng);
  return f.startsWith('<') ? f : `= ${f}`;
}

/** p-values as people read them: "< 0.001", "0.012", "0.50" ("0,50" in Portuguese). */
export function formatP(p: number, lng = 'en'): string {
  const digits = p < 0.1 ? 3 : 2;
  const f = new Intl.NumberFormat(lng === 'pt-BR' ? 'pt-BR' : 'en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return p < 0.001 ? `< ${f.format(0.001)}` : f.format(p);
}

/** The comparisons of the report grouped by scenario, the primary (first) question first. */
export function comparisonsByScenario(report: Report): { scenario: string; items: Comparison[] }[] {
  const out: { scenario: string; items: Comparison[] }[] = [];
  for (const c of report.comparisons ?? []) {
    let g = out.find((x) => x.scenario === c.scenario);
    if (!g) {
      g = { scenario: c.scenario, items: [] };
      out.push(g);
    }
    g.items.push(c);
  }
  return out;
}

/* ---- segments ----------------------------------------------------------------------------------- */

/** The questions the segments break down (ratings by mean, yes/no by the share of "yes"). */
export function segmentQuestions(segments: Segment[]): string[] {
  const ids: string[] = [];
  for (const s of segments)
    for (const g of s.groups) for (const q of g.questions) if (!ids.includes(q.id)) ids.push(q.id);
  return ids;
}

/** One dimension's groups for one question: a mean or a share with its interval. */
export function segmentBars(segment: Segment, questionId: string): Bar[] {
  const out: Bar[] = [];
  for (const g of segment.groups) {
    const q = g.questions.find((x) => x.id === questionId);
    if (!q) continue;
    const value = q.mean ?? q.share;
    if (value === undefined) continue;
    out.push(bar(g.value, value, { n: g.n, ...(q.ci ? { ci: q.ci } : {}), small: g.too_small }));
  }
  return out;
}

/** The groups furthest above and below the panel as a whole (big enough groups only). */
export function segmentExtremes(bars: Bar[]): { high: Bar; low: Bar } | null {
  const solid = bars.filter((b) => !b.small);
  if (solid.length < 2) return null;
  const high = solid.reduce((a, b) => (b.value > a.value ? b : a));
  const low = solid.reduce((a, b) => (b.value < a.value ? b : a));
  return high.value === low.value ? null : { high, low };
}

/* ---- the funnel (journeys) ---------------------------------------------------------------------- */

export interface FunnelRow {
  id: string;
  label: string;
  reached: number;
  continued: number;
  abandoned: number;
  failed: number;
  dropOff: number;
  /** share of the first step's panel still there after this step */
  retained: number;
  reasons: { text: string; count: number }[];
}

export function funnelRows(steps: FunnelStep[]): FunnelRow[] {
  const start = steps[0]?.reached ?? 0;
  return steps.map((s) => ({
    id: s.id,
    label: s.title || s.id,
    reached: s.reached,
    continued: s.continued,
    abandoned: s.abandoned,
    failed: s.failed,
    dropOff: s.drop_off,
    retained: start > 0 ? round(s.continued / start) : 0,
    reasons: s.reasons ?? [],
  }));
}

/** The step that loses the most of the panel (null when none loses anyone). */
export function worstStep(rows: FunnelRow[]): FunnelRow | null {
  let worst: FunnelRow | null = null;
  for (const r of rows) if (r.abandoned > 0 && (!worst || r.dropOff > worst.dropOff)) worst = r;
  return worst;
}

/* ---- criteria and themes ------------------------------------------------------------------------- */

export type CriterionState = 'passed' | 'failed' | 'undecided';

export function criterionState(c: Criterion): CriterionState {
  return c.passed === true ? 'passed' : c.passed === false ? 'failed' : 'undecided';
}

export function criteriaCounts(criteria: Criterion[]): Record<CriterionState, number> {
  const out: Record<CriterionState, number> = { passed: 0, failed: 0, undecided: 0 };
  for (const c of criteria) out[criterionState(c)]++;
  return out;
}

export type Sentiment = 'positive' | 'negative' | 'neutral';

export interface ThemeRow extends Theme {
  sentiment: Sentiment;
  /** the share of all themed mentions */
  share: number;
}

/** Every theme with its sentiment, most mentioned first. */
export function themeRows(report: Report): ThemeRow[] {
  const all: ThemeRow[] = [];
  const sentiments: Sentiment[] = ['positive', 'negative', 'neutral'];
  for (const s of sentiments)
    for (const th of report.themes?.[s] ?? []) all.push({ ...th, sentiment: s, share: 0 });
  const total = all.reduce((a, b) => a + b.count, 0);
  for (const r of all) r.share = total > 0 ? round(r.count / total) : 0;
  return all.sort((a, b) => b.count - a.count);
}

export function sentimentTotals(rows: ThemeRow[]): Record<Sentiment, number> {
  const out: Record<Sentiment, number> = { positive: 0, negative: 0, neutral: 0 };
  for (const r of rows) out[r.sentiment] += r.count;
  return out;
}

/* ---- one persona's results ---------------------------------------------------------------------- */

/** A result key "<scenario>/<variant>" split. */
export function splitKey(key: string): { scenario: string; variant: string | null } {
  const i = key.indexOf('/');
  return i < 0
    ? { scenario: key, variant: null }
    : { scenario: key.slice(0, i), variant: key.slice(i + 1) };
}

export interface PersonaUnit {
  key: string;
  scenario: string;
  variant: string | null;
  samples: RunResult[];
}

/** A persona's rows grouped by scenario key, in the order of the test's scenarios and variants. */
export function personaUnits(rows: RunResult[], order: string[] = []): PersonaUnit[] {
  const byKey = new Map<string, PersonaUnit>();
  for (const r of rows) {
    let u = byKey.get(r.scenario);
    if (!u) {
      u = { key: r.scenario, ...splitKey(r.scenario), samples: [] };
      byKey.set(r.scenario, u);
    }
    u.samples.push(r);
  }
  for (const u of byKey.values()) u.samples.sort((a, b) => a.sample - b.sample);
  const rank = (k: string) => {
    const i = order.indexOf(k);
    if (i >= 0) return i;
    const j = order.indexOf(splitKey(k).scenario);
    return j >= 0 ? j + 0.5 : order.length;
  };
  return [...byKey.values()].sort((a, b) => rank(a.key) - rank(b.key));
}

/** The distinct personas of result rows, in the order first seen. */
export function personasOf(rows: RunResult[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) seen.add(r.persona_id);
  return [...seen];
}

/** An answer as text: a ranking "a > b > c", a number as it is. */
export function answerText(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(' > ');
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The slot keys of the test's scenarios in order (scenario, then its variants). */
export function scenarioOrder(report: Report): string[] {
  const out: string[] = [];
  for (const sc of report.scenarios ?? []) {
    out.push(sc.id);
    for (const s of sc.slots ?? []) if (!out.includes(s.key)) out.push(s.key);
  }
  return out;
}
