/* The report -> chart data mapping, on reports the real server made (fixtures/, quotes cut). */
import { describe, expect, it } from 'vitest';
import type { Comparison, Report, RunResult } from '../../../api/runs';
import {
  answerText,
  certaintyOf,
  comparisonBars,
  comparisonsByScenario,
  criteriaCounts,
  criterionState,
  distributionBars,
  effectSize,
  formatP,
  funnelRows,
  hasChart,
  meanRankBars,
  personaUnits,
  personasOf,
  questionsIn,
  ratingSummary,
  readComparison,
  scenarioOrder,
  scopesOf,
  segmentBars,
  shareAxisMax,
  shareTicks,
  pText,
  segmentExtremes,
  segmentQuestions,
  sentimentTotals,
  splitKey,
  themeRows,
  topAnswer,
  worstStep,
} from './chartData';
import journeyJson from './fixtures/journey-report.json';
import messageJson from './fixtures/message-report.json';

const message = messageJson as unknown as Report;
const journey = journeyJson as unknown as Report;
const q = (r: Report, id: string) => {
  const found = r.questions.find((x) => x.id === id);
  if (!found) throw new Error(`no question ${id}`);
  return found;
};

describe('question distributions', () => {
  it("maps a rating's every scale point to a bar (share, count)", () => {
    const bars = distributionBars(q(message, 'appeal'));
    expect(bars.map((b) => b.label)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(bars[6]).toEqual({ label: '7', value: 0.3, count: 12 });
    expect(bars.reduce((a, b) => a + (b.count ?? 0), 0)).toBe(40);
  });

  it('gives yes/no shares their Wilson interval as error-bar offsets', () => {
    const [yes, no] = distributionBars(q(message, 'trust'));
    expect(yes).toEqual({
      label: 'yes',
      value: 0.575,
      count: 23,
      ci: [0.422, 0.715],
      err: [0.153, 0.14],
    });
    expect(no?.label).toBe('no');
    expect(topAnswer(q(message, 'trust'))).toEqual({ value: 'yes', share: 0.575, tie: false });
    const split = {
      ...q(message, 'trust'),
      distribution: [
        { value: 'yes', count: 6, share: 0.5 },
        { value: 'no', count: 6, share: 0.5 },
      ],
    };
    expect(topAnswer(split)?.tie).toBe(true);
  });

  it('summarises a rating: mean, interval, top-two-box, where the mean sits', () => {
    expect(ratingSummary(q(message, 'appeal'))).toEqual({
      mean: 4.6,
      ci: [3.933, 5.267],
      median: 5,
      sd: 2.085,
      top2: 0.375,
      top2Ci: [0.242, 0.53],
      min: 1,
      max: 7,
      position: 0.6,
    });
    expect(ratingSummary(q(message, 'trust'))).toBeNull();
  });

  it('tops a share axis a little above the largest bar or interval', () => {
    expect(shareAxisMax(distributionBars(q(message, 'appeal')))).toBe(0.4);
    expect(shareAxisMax(distributionBars(q(message, 'trust')))).toBe(0.8);
    // 0.85 on a 0.2 step is 1
    expect(shareAxisMax([{ label: 'x', value: 0.72, ci: [0.5, 0.8] }])).toBe(1);
    expect(shareTicks(0.4)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(shareTicks(0.8)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(shareAxisMax([{ label: 'x', value: 0.97 }])).toBe(1);
    expect(shareAxisMax([])).toBe(0.2);
  });

  it('draws no chart for open answers, and orders ranking places', () => {
    expect(hasChart(q(message, 'feeling'))).toBe(false);
    expect(hasChart(q(message, 'appeal'))).toBe(true);
    const ranking = {
      id: 'r',
      kind: 'ranking' as const,
      prompt: 'Rank',
      n: 3,
      mean_rank: [
        { value: 'b', mean: 2.5 },
        { value: 'a', mean: 1.2 },
      ],
    };
    expect(meanRankBars(ranking).map((b) => b.label)).toEqual(['a', 'b']);
  });

  it('offers every variant or step as a scope, and its own statistics', () => {
    expect(scopesOf(message).map((s) => [s.key, s.variant, s.n])).toEqual([
      ['ad/A', 'A', 20],
      ['ad/B', 'B', 20],
    ]);
    expect(questionsIn(message, '')).toBe(message.questions);
    expect(questionsIn(message, 'ad/B').find((x) => x.id === 'appeal')?.mean).toBe(4.85);
    expect(questionsIn(message, 'nope')).toEqual([]);
    expect(scopesOf(journey).map((s) => s.key)).toEqual([
      'download',
      'signup',
      'verify',
      'first-deposit',
    ]);
    expect(scenarioOrder(message)).toEqual(['ad', 'ad/A', 'ad/B']);
  });
});

describe('variant comparison', () => {
  const appeal = message.comparisons[0] as Comparison;
  const trust = message.comparisons[1] as Comparison;

  it('puts the variants side by side, the best highlighted', () => {
    expect(comparisonBars(appeal)).toEqual([
      { label: 'A', value: 4.35, n: 20, ci: [3.374, 5.326], err: [0.976, 0.976], highlight: false },
      { label: 'B', value: 4.85, n: 20, ci: [3.863, 5.837], err: [0.987, 0.987], highlight: true },
    ]);
    expect(comparisonBars(trust).map((b) => b.value)).toEqual([0.45, 0.7]);
    expect(comparisonsByScenario(message)).toEqual([
      { scenario: 'ad', items: message.comparisons },
    ]);
  });

  it('reads a difference that could be chance as no winner', () => {
    expect(readComparison(appeal)).toEqual({
      best: 'B',
      runnerUp: 'A',
      difference: 0.5,
      unit: 'points',
      chancePercent: 50,
      certainty: 'none',
      effect: 'small',
      significant: false,
      winner: null,
    });
    expect(readComparison(trust)).toMatchObject({
      difference: 0.25,
      unit: 'share',
      chancePercent: 11,
      effect: 'small',
    });
  });

  it('names the winner only when the difference is significant', () => {
    const won: Comparison = {
      ...trust,
      p: 0.004,
      significant: true,
      winner: 'B',
      effect: { name: 'cramers_v', value: 0.52 },
    };
    expect(readComparison(won)).toMatchObject({
      winner: 'B',
      certainty: 'strong',
      effect: 'large',
      chancePercent: 0.4,
    });
  });

  it("sizes effects by Cohen's conventions and reads p-values", () => {
    expect(effectSize({ name: 'cohens_d', value: -0.1 })).toBe('negligible');
    expect(effectSize({ name: 'cohens_d', value: 0.6 })).toBe('medium');
    expect(effectSize({ name: 'cohens_d', value: 0.9 })).toBe('large');
    expect(effectSize({ name: 'cramers_v', value: 0.25 }, 3)).toBe('medium');
    expect(['strong', 'moderate', 'weak', 'none']).toEqual(
      [0.001, 0.03, 0.07, 0.5].map(certaintyOf),
    );
    expect([0.0004, 0.0042, 0.0312, 0.5035].map((p) => formatP(p))).toEqual([
      '< 0.001',
      '0.004',
      '0.031',
      '0.50',
    ]);
    expect(formatP(0.5035, 'pt-BR')).toBe('0,50');
    expect([pText(0.0004), pText(0.21)]).toEqual(['< 0.001', '= 0.21']);
  });
});

describe('segments', () => {
  const segments = message.segments ?? [];

  it('breaks one question down by a dimension, marking small groups', () => {
    expect(segmentQuestions(segments)).toEqual(['appeal', 'trust', 'click']);
    const gender = segments.find((s) => s.dimension === 'gender');
    if (!gender) throw new Error('no gender segment');
    const bars = segmentBars(gender, 'appeal');
    expect(bars.map((b) => [b.label, b.value, b.n, b.small])).toEqual([
      ['female', 4.227, 11, false],
      ['male', 4.813, 8, false],
      ['non-binary', 7, 1, true],
    ]);
    expect(segmentBars(gender, 'trust')[0]?.value).toBe(0.591);
    // a one-person group is not "the highest"
    const ext = segmentExtremes(bars);
    expect([ext?.high.label, ext?.low.label]).toEqual(['male', 'female']);
  });

  it('finds no extremes among groups too small to compare', () => {
    const age = segments.find((s) => s.dimension === 'age_band');
    if (!age) throw new Error('no age segment');
    expect(segmentExtremes(segmentBars(age, 'appeal'))).toBeNull();
  });
});

describe('the journey funnel', () => {
  it('maps steps with their drop-off and reasons, and finds where most give up', () => {
    const rows = funnelRows(journey.funnel?.steps ?? []);
    expect(rows.map((r) => [r.label, r.reached, r.continued, r.abandoned, r.retained])).toEqual([
      ['Download and open', 12, 12, 0, 1],
      ['Email and password', 12, 12, 0, 1],
      ['Identity check', 12, 3, 9, 0.25],
      ['First deposit', 3, 3, 0, 0.25],
    ]);
    const worst = worstStep(rows);
    expect(worst?.id).toBe('verify');
    expect(worst?.dropOff).toBe(0.75);
    expect(worst?.reasons[0]?.count).toBe(2);
    expect(worstStep(rows.map((r) => ({ ...r, abandoned: 0 })))).toBeNull();
  });
});

describe('criteria and themes', () => {
  it('counts passed, failed and undecided criteria', () => {
    expect(message.criteria.map(criterionState)).toEqual(['undecided', 'passed', 'failed']);
    expect(criteriaCounts(message.criteria)).toEqual({ passed: 1, failed: 1, undecided: 1 });
  });

  it('lists every theme with its sentiment and share, most mentioned first', () => {
    const rows = themeRows(message);
    expect(rows.map((r) => [r.name, r.sentiment, r.count, r.share])).toEqual([
      ['Positive views on social media', 'positive', 31, 0.775],
      ['Negative views on social media and technology', 'negative', 9, 0.225],
    ]);
    expect(sentimentTotals(rows)).toEqual({ positive: 31, negative: 9, neutral: 0 });
  });
});

describe("one persona's results", () => {
  const row = (scenario: string, sample: number, answers: Record<string, unknown>): RunResult => ({
    persona_id: 'p1',
    scenario,
    sample,
    answers,
    thought: null,
    talk: null,
    abandoned: false,
    reason: null,
    error: null,
    model: 'crowdelic-offline',
    theme: null,
    sentiment: null,
    tokens_in: 0,
    tokens_out: 0,
    cost_usd: 0,
  });

  it('groups rows by scenario key in the order of the test, samples in order', () => {
    const units = personaUnits(
      [row('ad/B', 1, { appeal: 4 }), row('ad/B', 0, { appeal: 5 }), row('ad/A', 0, { appeal: 6 })],
      scenarioOrder(message),
    );
    expect(units.map((u) => [u.key, u.variant, u.samples.map((s) => s.sample)])).toEqual([
      ['ad/A', 'A', [0]],
      ['ad/B', 'B', [0, 1]],
    ]);
    expect(
      personasOf([row('x', 0, {}), { ...row('x', 0, {}), persona_id: 'p2' }, row('y', 0, {})]),
    ).toEqual(['p1', 'p2']);
  });

  it('writes answers as text and splits keys', () => {
    expect(answerText(['a', 'b', 'c'])).toBe('a > b > c');
    expect(answerText(7)).toBe('7');
    expect(answerText(null)).toBe('');
    expect(splitKey('ad/B')).toEqual({ scenario: 'ad', variant: 'B' });
    expect(splitKey('verify')).toEqual({ scenario: 'verify', variant: null });
  });
});
