import type { UsageDay } from '../../api/types';
import { formatDay } from '../../lib/format';

export interface ChartPoint {
  date: string;
  label: string;
  tests: number;
  answers: number;
  cost: number;
}

/** GET /api/usage/history's days (oldest first) as chart points, the last `window` days. */
export function toChartData(days: UsageDay[], lng: string, window = 30): ChartPoint[] {
  return days.slice(-window).map((d) => ({
    date: d.date,
    label: formatDay(d.date, lng),
    tests: d.tests_run,
    answers: d.persona_answers,
    cost: Math.round(d.cost_usd * 1e6) / 1e6,
  }));
}

export function totals(points: ChartPoint[]) {
  return points.reduce(
    (t, p) => ({ tests: t.tests + p.tests, answers: t.answers + p.answers, cost: t.cost + p.cost }),
    { tests: 0, answers: 0, cost: 0 },
  );
}
