/* A comparison's statistics said in words a product manager reads (tested with the real texts). */
import type { TFunction } from 'i18next';
import type { Comparison } from '../../../api/runs';
import { pText, readComparison, type ComparisonReading } from './chartData';
import { formatDecimal } from './format';

function differenceText(
  t: TFunction,
  c: Comparison,
  r: ComparisonReading,
  lng: string,
  scale: string,
): string {
  if (r.unit === 'points')
    return t('results.variants.diffPoints', {
      best: r.best,
      other: r.runnerUp,
      diff: formatDecimal(Math.abs(r.difference), lng, 2),
      scale,
    });
  return t('results.variants.diffShare', {
    best: r.best,
    other: r.runnerUp,
    diff: formatDecimal(Math.abs(r.difference) * 100, lng, 1),
    answer: c.share_of ?? c.variants[0]?.id ?? '',
  });
}

export function readingSentences(
  t: TFunction,
  c: Comparison,
  lng: string,
  scale: string,
): { headline: string; difference: string; chance: string; effect: string } {
  const r = readComparison(c);
  const effectName = t(`results.variants.effectName.${c.effect.name}`);
  return {
    headline: r.winner
      ? t('results.variants.headlineWinner', { winner: r.winner })
      : r.difference === 0
        ? t('results.variants.headlineTie')
        : t('results.variants.headlineNoWinner', { best: r.best }),
    difference: differenceText(t, c, r, lng, scale),
    chance: t(`results.variants.certainty.${r.certainty}`, {
      p: pText(c.p, lng),
      chance: formatDecimal(r.chancePercent, lng, 1),
    }),
    effect: t('results.variants.effect', {
      size: t(`results.variants.effectSize.${r.effect}`),
      name: effectName,
      value: formatDecimal(c.effect.value, lng, 2),
    }),
  };
}

export function comparisonDetails(t: TFunction, c: Comparison, lng: string): string {
  const parts = [
    t(`results.variants.test.${c.test}`, {
      statistic: formatDecimal(c.statistic, lng, 3),
      p: pText(c.p, lng),
    }),
  ];
  if (c.welch)
    parts.push(
      t('results.variants.welch', {
        t: formatDecimal(c.welch.t, lng, 2),
        df: formatDecimal(c.welch.df, lng, 1),
        p: pText(c.welch.p, lng),
      }),
    );
  if (c.mann_whitney)
    parts.push(
      t('results.variants.mannWhitney', {
        u: formatDecimal(c.mann_whitney.u, lng, 1),
        p: pText(c.mann_whitney.p, lng),
      }),
    );
  return parts.join(' · ');
}
