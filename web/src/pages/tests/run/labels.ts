/* How a run's keys read: a scenario key as its title and variant, a segment's values in words. */
import type { TFunction } from 'i18next';
import { splitKey, type Sentiment } from './chartData';

export interface ScenarioInfo {
  id: string;
  title?: string | null | undefined;
}

/**
 * A labeller of result keys ("<scenario>" or "<scenario>/<variant>"): the
 * scenario's title (a journey's steps numbered), then the variant.
 */
export function scenarioLabeler(
  t: TFunction,
  scenarios: ScenarioInfo[],
  journey: boolean,
): (key: string) => string {
  return (key: string) => {
    const { scenario, variant } = splitKey(key);
    const i = scenarios.findIndex((s) => s.id === scenario);
    const title = scenarios[i]?.title || scenario;
    const base =
      journey && i >= 0 ? t('results.labels.step', { n: i + 1, title }) : (title ?? scenario);
    return variant ? t('results.labels.scenarioVariant', { scenario: base, variant }) : base;
  };
}

/** A segment's value in the reader's language where the product has words for it. */
export function segmentValueLabel(t: TFunction, dimension: string, value: string): string {
  if (value === 'unknown') return t('results.segments.unknown');
  if (dimension === 'gender') return t(`personas.gender.${value}`, { defaultValue: value });
  if (dimension === 'income') return t(`personas.income.${value}`, { defaultValue: value });
  if (dimension === 'occupation_group')
    return t(`results.segments.occupations.${value}`, { defaultValue: value });
  return value;
}

export const DIMENSIONS = ['age_band', 'gender', 'income', 'country', 'occupation_group'] as const;

export function dimensionLabel(t: TFunction, dimension: string, fallback: string): string {
  return (DIMENSIONS as readonly string[]).includes(dimension)
    ? t(`results.segments.dimension.${dimension}`)
    : fallback;
}

export const SENTIMENT_PALETTE: Record<Sentiment, string> = {
  positive: 'green',
  negative: 'red',
  neutral: 'gray',
};

/** What a failure's message means, when it is one the product knows. */
export function failureKey(error: string | null): string | null {
  if (!error) return null;
  if (/timeout passed/i.test(error)) return 'run.ended.why.timeout';
  if (/lease/i.test(error)) return 'run.ended.why.worker';
  if (/rate limit|429/i.test(error)) return 'run.ended.why.rateLimited';
  if (/model|llm|upstream|unavailable|connect/i.test(error)) return 'run.ended.why.model';
  return null;
}
