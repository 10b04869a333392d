import { describe, expect, it } from 'vitest';
import { toChartData, totals } from './chartData';

const day = (date: string, tests_run: number, persona_answers: number, cost_usd: number) => ({
  date,
  tests_run,
  persona_answers,
  cost_usd,
});

describe('the dashboard chart data', () => {
  const days = [
    day('2026-10-30', 1, 10, 0.5),
    day('2026-11-01', 2, 40, 0.25),
    day('2026-11-02', 0, 0, 0),
    day('2026-11-03', 3, 90, 0.000123),
  ];

  it('maps GET /api/usage/history days onto points with localised labels', () => {
    const pts = toChartData(days, 'en', 3);
    expect(pts.map((p) => p.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(pts[0]).toMatchObject({ tests: 2, answers: 40, cost: 0.25, label: 'Nov 1' });
    expect(toChartData(days, 'pt-BR', 1)[0]!.label).toMatch(/3 de nov/);
  });

  it('totals the window', () => {
    expect(totals(toChartData(days, 'en'))).toEqual({ tests: 6, answers: 140, cost: 0.750123 });
  });
});
