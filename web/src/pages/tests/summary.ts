/* Short descriptions of a saved test's parts, for the list and the test's page. */
import type { TFunction } from 'i18next';
import type { TestConfig } from '../../api/tests';

/** The panel in words: "3 personas", "library", "every template", "8 generated"... */
export function panelText(c: TestConfig, t: TFunction): string {
  if (c.personas) return t('testDetail.panel.personas', { count: c.personas.length });
  const p = c.panel;
  if (!p) return '—';
  if ('library_id' in p) return t('testDetail.panel.library');
  if ('filter' in p) return t('testDetail.panel.filter');
  if ('generate' in p) return t('testDetail.panel.generate', { count: p.generate });
  return t('testDetail.panel.templates');
}

export function counts(c: TestConfig) {
  const scenarios = c.scenarios.length;
  const variants = c.scenarios.reduce((n, s) => n + (s.variants?.length ?? 0), 0);
  const questions = c.scenarios.reduce((n, s) => n + (s.questions?.length ?? 0), 0);
  return { scenarios, variants, questions, criteria: c.success_criteria?.length ?? 0 };
}

/** "1 scenario · 2 variants · 4 questions · 3 personas" */
export function shapeText(c: TestConfig, type: string, t: TFunction): string {
  const n = counts(c);
  return [
    t(type === 'journey' ? 'testDetail.count.steps' : 'testDetail.count.scenarios', {
      count: n.scenarios,
    }),
    n.variants ? t('testDetail.count.variants', { count: n.variants }) : '',
    t('testDetail.count.questions', { count: n.questions }),
    panelText(c, t),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A run's duration in seconds, or null while it has not ended. */
export function durationSeconds(started: string | null, finished: string | null): number | null {
  if (!started || !finished) return null;
  const a = Date.parse(started);
  const b = Date.parse(finished);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return null;
  return (b - a) / 1000;
}
