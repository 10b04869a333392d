/*
 * The "Generate a panel" helpers: the description the targets make (the
 * request), the checks before asking, and a dry run's answer read as
 * counts per dimension. The dry run below is trimmed from the server's
 * answer (offline model) to "People aged 25-54. Countries: Brazil and
 * Portugal. Women only." for 6.
 */
import { describe, expect, it } from 'vitest';
import type { GenerateResult } from '../../api/personas';
import {
  bandsOf,
  countryChoice,
  defaultTargets,
  describeTargets,
  humanise,
  requestOf,
  sameRequest,
  summariseDraws,
  validateTargets,
  type PanelTargets,
} from './samplingPlan';

const targets = (t: Partial<PanelTargets>): PanelTargets => ({ ...defaultTargets('en'), ...t });

const DRY_RUN: Pick<GenerateResult, 'plan' | 'samples'> = {
  plan: {
    dimensions: [
      {
        name: 'country',
        values: [
          { value: 'Brazil', share: 0.5 },
          { value: 'Portugal', share: 0.5 },
        ],
      },
      { name: 'age', min: 25, max: 54 },
      { name: 'gender', values: [{ value: 'female', share: 1 }] },
      {
        name: 'income_level',
        values: [
          { value: 'low', share: 0.25 },
          { value: 'lower middle', share: 0.32 },
          { value: 'middle', share: 0.265 },
          { value: 'upper middle', share: 0.11 },
          { value: 'high', share: 0.055 },
        ],
      },
    ],
    groups: [
      ['Brazil', '25-34'],
      ['Brazil', '35-44'],
      ['Brazil', '45-54'],
      ['Portugal', '25-34'],
      ['Portugal', '35-44'],
      ['Portugal', '45-54'],
    ].map(([country, age]) => ({
      description: `People - country: ${country}; age: ${age}`,
      planned: 1,
      quantity: 1,
      traits: { country: country ?? '', age: age ?? '', gender: 'female' },
    })),
  },
  samples: (
    [
      [2, 'Brazil', '53', 'upper middle'],
      [1, 'Brazil', '40', 'low'],
      [4, 'Portugal', '43', 'lower middle'],
      [3, 'Portugal', '29', 'middle'],
      [0, 'Brazil', '30', 'middle'],
      [5, 'Portugal', '49', 'lower middle'],
    ] as const
  ).map(([group, country, age, income]) => ({
    group,
    picks: { country, age, gender: 'female', income_level: income },
  })),
};

const counts = (rows: { value: string; count: number }[]) => rows.map((r) => [r.value, r.count]);

describe('the description', () => {
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

  it('says only what was chosen', () => {
    expect(describeTargets(targets({}))).toBe('People aged 18-75.');
    expect(describeTargets(targets({ countries: ['Japan'], gender: 'women' }))).toBe(
      'People aged 18-75. Countries: Japan. Women only.',
    );
  });

  it('makes the request: description, count, language, and the seed only when one is typed', () => {
    const t = targets({ count: ' 12 ', countries: ['Brazil'], language: 'pt-BR' });
    expect(requestOf(t)).toEqual({
      description: 'Pessoas de 18 a 75 anos. Países: Brasil.',
      count: 12,
      language: 'pt-BR',
    });
    expect(requestOf({ ...t, seed: '42' }).seed).toBe(42);
  });

  it('tells when a preview no longer matches the targets', () => {
    const a = requestOf(targets({ countries: ['Brazil'] }));
    expect(sameRequest(a, requestOf(targets({ countries: ['Brazil'] })))).toBe(true);
    expect(sameRequest(a, requestOf(targets({ countries: ['Brazil', 'Chile'] })))).toBe(false);
    expect(sameRequest(a, requestOf(targets({ countries: ['Brazil'], count: '11' })))).toBe(false);
    expect(sameRequest(a, { ...a, language: 'pt-BR' })).toBe(false);
    expect(sameRequest(a, { ...a, seed: 7 })).toBe(false);
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

  it('knows the country chips by either name', () => {
    expect(countryChoice('Brasil')).toBe('Brazil');
    expect(countryChoice(' south africa ')).toBe('South Africa');
    expect(countryChoice('Atlantis')).toBeNull();
  });
});

describe("a dry run's draws", () => {
  it("counts the people drawn per value of each dimension, in the model's order, with its shares", () => {
    const spread = summariseDraws(DRY_RUN.plan, DRY_RUN.samples);
    expect(spread.map((d) => [d.name, d.kind, d.total])).toEqual([
      ['country', 'values', 6],
      ['age', 'range', 6],
      ['gender', 'values', 6],
      ['income_level', 'values', 6],
    ]);
    const [country, age, gender, income] = spread;
    expect(country?.rows).toEqual([
      { value: 'Brazil', share: 0.5, count: 3 },
      { value: 'Portugal', share: 0.5, count: 3 },
    ]);
    // ages in the bands of the plan's groups, counted by each person's own age
    expect(counts(age?.rows ?? [])).toEqual([
      ['25-34', 2],
      ['35-44', 2],
      ['45-54', 2],
    ]);
    expect(counts(gender?.rows ?? [])).toEqual([['female', 6]]);
    // values nobody drew stay listed, at 0
    expect(counts(income?.rows ?? [])).toEqual([
      ['low', 1],
      ['lower middle', 2],
      ['middle', 2],
      ['upper middle', 1],
      ['high', 0],
    ]);
  });

  it('counts only the samples given (the ones made into personas) and keeps values the plan did not list', () => {
    const made = DRY_RUN.samples.slice(0, 4).map((s, i) => ({
      ...s,
      picks: i === 0 ? { ...s.picks, country: 'Chile', mood: 'calm' } : s.picks,
    }));
    const spread = summariseDraws(DRY_RUN.plan, made);
    expect(counts(spread[0]?.rows ?? [])).toEqual([
      ['Brazil', 1],
      ['Portugal', 2],
      ['Chile', 1],
    ]);
    expect(spread[0]?.rows[2]?.share).toBeNull();
    // a pick the plan has no dimension for comes last
    expect(spread.at(-1)).toMatchObject({ name: 'mood', kind: 'values', total: 1 });
  });

  it('cuts a numeric dimension in bands of about ten when the groups do not give ranges', () => {
    expect(bandsOf({ name: 'age', min: 18, max: 75 }, [])).toEqual([
      { from: 18, to: 26 },
      { from: 27, to: 36 },
      { from: 37, to: 46 },
      { from: 47, to: 55 },
      { from: 56, to: 65 },
      { from: 66, to: 75 },
    ]);
    expect(bandsOf({ name: 'age', min: 30, max: 34 }, [])).toEqual([{ from: 30, to: 34 }]);
    // the groups' ranges, and the parts of the range no group has
    const aged = ['29-40', '52-63'].map((age) => ({
      description: '',
      planned: 1,
      quantity: 1,
      traits: { age },
    }));
    expect(bandsOf({ name: 'age', min: 18, max: 75 }, aged)).toEqual([
      { from: 18, to: 28 },
      { from: 29, to: 40 },
      { from: 41, to: 51 },
      { from: 52, to: 63 },
      { from: 64, to: 75 },
    ]);
    const groups = [{ description: '', planned: 1, quantity: 1, traits: { age: 'young' } }];
    expect(bandsOf({ name: 'age', min: 20, max: 39 }, groups)).toHaveLength(2);
    const spread = summariseDraws({ dimensions: [{ name: 'age', min: 20, max: 39 }], groups }, [
      { picks: { age: '25' } },
      { picks: { age: '31' } },
      { picks: { age: 'unknown' } },
    ]);
    expect(counts(spread[0]?.rows ?? [])).toEqual([
      ['20-29', 1],
      ['30-39', 1],
      ['unknown', 1],
    ]);
  });

  it('names a dimension in words when the UI has no label for it', () => {
    expect(humanise('attitude_to_money')).toBe('Attitude to money');
    expect(humanise('income-level')).toBe('Income level');
  });
});
