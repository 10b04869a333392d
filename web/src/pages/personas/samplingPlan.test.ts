/*
 * The sampling plan the dialog shows before generating. The expected
 * grids were checked against the server: POST /api/personas/generate with
 * the same description (and the offline model) planned exactly these
 * groups and quantities.
 */
import { describe, expect, it } from 'vitest';
import {
  ageBands,
  computePlan,
  defaultTargets,
  describeTargets,
  largestRemainder,
  realisedCounts,
  thousandths,
  validateTargets,
  type PanelTargets,
} from './samplingPlan';

const targets = (t: Partial<PanelTargets>): PanelTargets => ({ ...defaultTargets('en'), ...t });

/** What the server planned (group traits and quantities), per description. */
const SERVER: {
  targets: Partial<PanelTargets>;
  axes: string[];
  groups: number;
  cells: (string | number)[][];
}[] = [
  {
    targets: {
      count: '10',
      ageMin: '25',
      ageMax: '54',
      countries: ['Brazil', 'Portugal'],
      gender: 'women',
      income: 'middle',
      language: 'en',
    },
    axes: ['country', 'age'],
    groups: 6,
    cells: [
      ['Brazil', '25-34', 2],
      ['Brazil', '35-44', 2],
      ['Brazil', '45-54', 2],
      ['Portugal', '25-34', 2],
      ['Portugal', '35-44', 1],
      ['Portugal', '45-54', 1],
    ],
  },
  {
    targets: { count: '20', ageMin: '18', ageMax: '75', language: 'en' },
    axes: ['country', 'age'],
    groups: 20,
    cells: [
      ['United Kingdom', '29-40', 1],
      ['United Kingdom', '52-63', 1],
      ['United Kingdom', '64-75', 1],
      ['Canada', '29-40', 1],
      ['Canada', '52-63', 1],
      ['Canada', '64-75', 1],
      ['Australia', '29-40', 1],
      ['Australia', '52-63', 1],
      ['Australia', '64-75', 1],
      ['Ireland', '29-40', 1],
      ['Ireland', '52-63', 1],
      ['Ireland', '64-75', 1],
      ['Mexico', '29-40', 1],
      ['Mexico', '52-63', 1],
      ['Mexico', '64-75', 1],
      ['Argentina', '29-40', 1],
      ['Argentina', '52-63', 1],
      ['Argentina', '64-75', 1],
      ['Colombia', '29-40', 1],
      ['Colombia', '52-63', 1],
    ],
  },
  {
    targets: { count: '12', ageMin: '18', ageMax: '75', countries: ['Brazil'], language: 'pt-BR' },
    axes: ['age', 'income'],
    groups: 12,
    cells: [
      ['18-28', 'baixa', 1],
      ['18-28', 'média baixa', 1],
      ['29-40', 'baixa', 1],
      ['29-40', 'média baixa', 1],
      ['29-40', 'média', 1],
      ['41-51', 'baixa', 1],
      ['41-51', 'média baixa', 1],
      ['52-63', 'baixa', 1],
      ['52-63', 'média baixa', 1],
      ['52-63', 'média', 1],
      ['64-75', 'baixa', 1],
      ['64-75', 'média baixa', 1],
    ],
  },
  {
    targets: {
      count: '7',
      ageMin: '30',
      ageMax: '60',
      countries: ['South Africa'],
      language: 'en',
    },
    axes: ['country', 'age'],
    groups: 6,
    cells: [
      ['Nigeria', '30-39', 1],
      ['Nigeria', '40-49', 1],
      ['Nigeria', '50-60', 2],
      ['South Africa', '30-39', 1],
      ['South Africa', '40-49', 1],
      ['South Africa', '50-60', 1],
    ],
  },
  {
    targets: {
      count: '9',
      ageMin: '30',
      ageMax: '40',
      countries: ['Mexico'],
      gender: 'men',
      language: 'en',
    },
    axes: ['income', 'setting'],
    groups: 9,
    cells: [
      ['low', 'big-city urban', 1],
      ['low', 'suburban', 1],
      ['low', 'small-town', 1],
      ['lower middle', 'big-city urban', 1],
      ['lower middle', 'suburban', 1],
      ['lower middle', 'small-town', 1],
      ['middle', 'big-city urban', 1],
      ['middle', 'suburban', 1],
      ['middle', 'small-town', 1],
    ],
  },
  {
    targets: {
      count: '50',
      ageMin: '18',
      ageMax: '95',
      countries: ['United States', 'United Kingdom', 'Canada'],
      gender: 'balanced',
      language: 'en',
    },
    axes: ['country', 'age'],
    groups: 18,
    cells: [
      ['United States', '18-30', 3],
      ['United States', '31-43', 3],
      ['United States', '44-56', 3],
      ['United States', '57-69', 3],
      ['United States', '70-82', 3],
      ['United States', '83-95', 3],
      ['United Kingdom', '18-30', 3],
      ['United Kingdom', '31-43', 3],
      ['United Kingdom', '44-56', 3],
      ['United Kingdom', '57-69', 3],
      ['United Kingdom', '70-82', 3],
      ['United Kingdom', '83-95', 3],
      ['Canada', '18-30', 3],
      ['Canada', '31-43', 3],
      ['Canada', '44-56', 2],
      ['Canada', '57-69', 2],
      ['Canada', '70-82', 2],
      ['Canada', '83-95', 2],
    ],
  },
  {
    targets: {
      count: '11',
      ageMin: '20',
      ageMax: '30',
      countries: ['Germany'],
      gender: 'women',
      setting: 'rural',
      life: ['parents', 'students'],
      language: 'en',
    },
    axes: ['income', 'life'],
    groups: 9,
    cells: [
      ['low', 'parent of young children', 1],
      ['low', 'student', 1],
      ['lower middle', 'parent of young children', 1],
      ['lower middle', 'student', 2],
      ['middle', 'parent of young children', 1],
      ['middle', 'student', 2],
      ['upper middle', 'parent of young children', 1],
      ['upper middle', 'student', 1],
      ['high', 'student', 1],
    ],
  },
  {
    targets: { count: '30', ageMin: '18', ageMax: '95', income: 'mixed', language: 'pt-BR' },
    axes: ['country', 'age'],
    groups: 24,
    cells: [
      ['Estados Unidos', '18-30', 1],
      ['Estados Unidos', '31-43', 1],
      ['Estados Unidos', '44-56', 1],
      ['Estados Unidos', '57-69', 1],
      ['Estados Unidos', '70-82', 1],
      ['Estados Unidos', '83-95', 1],
      ['Reino Unido', '18-30', 1],
      ['Reino Unido', '31-43', 1],
      ['Reino Unido', '44-56', 1],
      ['Reino Unido', '57-69', 1],
      ['Reino Unido', '70-82', 1],
      ['Reino Unido', '83-95', 1],
      ['Brasil', '18-30', 2],
      ['Brasil', '31-43', 2],
      ['Brasil', '44-56', 2],
      ['Brasil', '57-69', 2],
      ['Brasil', '70-82', 2],
      ['Brasil', '83-95', 2],
      ['Portugal', '18-30', 1],
      ['Portugal', '31-43', 1],
      ['Portugal', '44-56', 1],
      ['Portugal', '57-69', 1],
      ['Portugal', '70-82', 1],
      ['Portugal', '83-95', 1],
    ],
  },
];

/** The plan's non-empty cells as [row label, column label, people]. */
function cells(t: PanelTargets): (string | number)[][] {
  const p = computePlan(t);
  const g = p.grid;
  if (!g) return [];
  return g.rows
    .flatMap((r, a) =>
      g.cols.length
        ? g.cols.map((c, b) => [r.label, c.label, g.cells[a]?.[b] ?? 0])
        : [[r.label, g.cells[a]?.[0] ?? 0]],
    )
    .filter((x) => x[x.length - 1] !== 0);
}

describe('the sampling plan', () => {
  it.each(SERVER.map((s) => [describeTargets(targets(s.targets)), s] as const))(
    'matches what the server planned for "%s"',
    (_d, s) => {
      const t = targets(s.targets);
      const plan = computePlan(t);
      expect(plan.axes).toEqual(s.axes);
      expect(plan.groups).toBe(s.groups);
      expect(cells(t)).toEqual(s.cells);
      expect(plan.grid?.cells.flat().reduce((a, b) => a + b, 0)).toBe(plan.count);
    },
  );

  it('writes the targets as a description the model reads, in its language', () => {
    const t = targets({
      ageMin: '25',
      ageMax: '54',
      countries: ['Portugal', 'Brazil'],
      gender: 'balanced',
      income: 'upper_middle',
      setting: 'small_town',
      life: ['retirees', 'parents'],
      occupations: 'nurses, teachers',
      notes: '  They shop online  ',
    });
    expect(describeTargets(t)).toBe(
      'People aged 25-54. Countries: Brazil and Portugal. Women and men in equal numbers. ' +
        'Well off. Living in small towns. Life stage: parents, retirees. ' +
        'Occupations: nurses, teachers. They shop online.',
    );
    expect(describeTargets({ ...t, language: 'pt-BR' })).toBe(
      'Pessoas de 25 a 54 anos. Países: Brasil e Portugal. Mulheres e homens em partes iguais. ' +
        'Bem de vida. Moram em cidades do interior. Fase da vida: com filhos, aposentados. ' +
        'Ocupações: nurses, teachers. They shop online.',
    );
  });

  it('says which counts are exact (the grid, a single value) and leaves occupations to the model', () => {
    const plan = computePlan(
      targets({ countries: ['Brazil', 'Portugal'], gender: 'women', occupations: 'nurses' }),
    );
    const by = Object.fromEntries(plan.dimensions.map((d) => [d.id, d]));
    expect(by.country?.exact).toBe(true);
    expect(by.age?.exact).toBe(true);
    expect(by.gender?.exact).toBe(true);
    expect(by.gender?.values).toEqual([expect.objectContaining({ key: 'female', count: 10 })]);
    expect(by.income?.exact).toBe(false);
    expect(by.income?.values.reduce((a, v) => a + v.count, 0)).toBe(10);
    expect(by.occupation?.status).toBe('model');
  });

  it("says when a grid axis is the model's to decide", () => {
    const plan = computePlan(
      targets({
        countries: ['Brazil'],
        gender: 'women',
        occupations: 'nurses',
        ageMin: '30',
        ageMax: '35',
      }),
    );
    // one country, ages and gender that do not split: the income mix, then occupations (the model's)
    expect(plan.axes).toEqual(['income', 'occupation']);
    expect(plan.grid).toBeNull();
    expect(plan.groups).toBeNull();
  });

  it('names the countries the model adds for a region word (South Africa: Africa)', () => {
    expect(computePlan(targets({ countries: ['South Africa'] })).addedByRegion).toEqual([
      'Nigeria',
    ]);
    expect(computePlan(targets({ countries: ['Brazil'] })).addedByRegion).toEqual([]);
  });
});

describe("the server's arithmetic", () => {
  it('largest remainder: floors, then the largest fractions, the earlier cell winning a tie', () => {
    expect(largestRemainder([1 / 3, 1 / 3, 1 / 3], 10)).toEqual([4, 3, 3]);
    expect(largestRemainder([0.5, 0.3, 0.2], 7)).toEqual([4, 2, 1]);
    expect(largestRemainder([0.25, 0.25, 0.25, 0.25], 0)).toEqual([0, 0, 0, 0]);
  });

  it('shares in thousandths, the largest absorbing the rounding', () => {
    expect(thousandths([1, 1, 1]).map((x) => x.share)).toEqual([0.334, 0.333, 0.333]);
    expect(thousandths([0, 2, 0, 1]).map((x) => [x.index, x.share])).toEqual([
      [1, 0.667],
      [3, 0.333],
    ]);
  });

  it('age bands of about 13 years, weighted by width', () => {
    expect(ageBands(25, 54).map((b) => `${b.from}-${b.to}`)).toEqual(['25-34', '35-44', '45-54']);
    expect(ageBands(18, 95)).toHaveLength(6);
    expect(ageBands(30, 40)).toEqual([{ from: 30, to: 40, weight: 11 }]);
  });
});

describe('the targets', () => {
  it('are checked as the API checks them, and against the room the plan has', () => {
    expect(validateTargets(targets({}), null)).toEqual({});
    expect(validateTargets(targets({ count: '0' }), null).count?.key).toBe('countRange');
    expect(validateTargets(targets({ count: '201' }), null).count?.key).toBe('countRange');
    expect(validateTargets(targets({ count: '2.5' }), null).count?.key).toBe('countRange');
    expect(validateTargets(targets({ count: '12' }), 5).count).toEqual({
      key: 'countRoom',
      values: { room: 5 },
    });
    expect(validateTargets(targets({ ageMin: '17' }), null).ageMin?.key).toBe('ageRange');
    expect(validateTargets(targets({ ageMax: '96' }), null).ageMax?.key).toBe('ageRange');
    expect(validateTargets(targets({ ageMin: '40', ageMax: '40' }), null).ageMax?.key).toBe(
      'ageOrder',
    );
    expect(validateTargets(targets({ notes: 'x'.repeat(2000) }), null).notes?.key).toBe(
      'descriptionTooLong',
    );
    expect(validateTargets(targets({ seed: '-1' }), null).seed?.key).toBe('seed');
    expect(validateTargets(targets({ seed: '42' }), null)).toEqual({});
  });
});

describe('what was made', () => {
  it('counts the personas made per planned value, in either language, ages by their group', () => {
    const plan = computePlan(
      targets({ countries: ['Brazil', 'Portugal'], count: '4', ageMin: '25', ageMax: '54' }),
    );
    const country = plan.dimensions.find((d) => d.id === 'country');
    const age = plan.dimensions.find((d) => d.id === 'age');
    const result = {
      plan: {
        groups: [
          { traits: { country: 'Brasil', age: '25-34' } },
          { traits: { country: 'Portugal', age: '35-44' } },
        ],
      },
      samples: [
        { group: 0, picks: { country: 'Brasil', age: '27' }, persona_id: 'a' },
        { group: 0, picks: { country: 'Brasil', age: '33' }, persona_id: 'b' },
        { group: 1, picks: { country: 'Portugal', age: '40' }, persona_id: 'c' },
        { group: 1, picks: { country: 'Portugal', age: '41' }, persona_id: null },
      ],
    };
    expect(country && realisedCounts(country, result).map((r) => [r.key, r.count])).toEqual([
      ['Brazil', 2],
      ['Portugal', 1],
    ]);
    expect(age && realisedCounts(age, result).map((r) => [r.key, r.count])).toEqual([
      ['25-34', 2],
      ['35-44', 1],
      ['45-54', 0],
    ]);
  });
});
