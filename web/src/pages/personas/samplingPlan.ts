/*
 * The "Generate a panel" targets, the population description they make
 * for POST /api/personas/generate, and the sampling plan computed in the
 * browser before anything is generated.
 *
 * The API has no dry run: the model turns the description into sampling
 * dimensions and a plan of groups. This file does what the built-in
 * offline model does with a description written from the targets (its
 * words are the ones src/engine/offline/factory.c reads): the dimensions'
 * shares (add_categorical: rounded to thousandths, the largest absorbing
 * the rounding), the grid of the two most telling dimensions that split
 * the people (country, age bands of about 13 years, income, gender, ...,
 * at most 100 cells), and the people per cell by the largest remainder
 * (offline_plan). The other dimensions are given to whole groups by
 * quotas on the server, so their counts here are approximate.
 *
 * FACTORY_COUNTRIES mirrors data/demographics/countries.tsv (the offline
 * model's countries, in its order, with its Portuguese names and income
 * shares): the order decides which country gets a remainder.
 */

export type GenLanguage = 'en' | 'pt-BR';
export type GenderTarget = 'any' | 'women' | 'men' | 'balanced';
export type IncomeTarget =
  'any' | 'low' | 'working' | 'middle' | 'upper_middle' | 'affluent' | 'mixed';
export type SettingTarget = 'any' | 'urban' | 'suburban' | 'small_town' | 'rural';
export type LifeTarget = 'parents' | 'students' | 'retirees';

export const GENDER_TARGETS: GenderTarget[] = ['any', 'women', 'men', 'balanced'];
export const INCOME_TARGETS: IncomeTarget[] = [
  'any',
  'low',
  'working',
  'middle',
  'upper_middle',
  'affluent',
  'mixed',
];
export const SETTING_TARGETS: SettingTarget[] = ['any', 'urban', 'suburban', 'small_town', 'rural'];
export const LIFE_TARGETS: LifeTarget[] = ['parents', 'students', 'retirees'];

export const COUNT_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const TARGET_AGE_MIN = 18;
/** the oldest person the factory describes (AGE_CEIL) */
export const TARGET_AGE_MAX = 95;
const MAX_GROUPS = 100;

export interface FactoryCountry {
  en: string;
  pt: string;
  /** the language the offline model writes its people in */
  language: GenLanguage;
  /** low, lower_middle, middle, upper_middle, high */
  income: [number, number, number, number, number];
  /** the region words its name holds, which the model also reads */
  region?: 'africa';
}

export const FACTORY_COUNTRIES: FactoryCountry[] = [
  {
    en: 'United States',
    pt: 'Estados Unidos',
    language: 'en',
    income: [0.15, 0.25, 0.3, 0.2, 0.1],
  },
  {
    en: 'United Kingdom',
    pt: 'Reino Unido',
    language: 'en',
    income: [0.15, 0.25, 0.32, 0.19, 0.09],
  },
  { en: 'Canada', pt: 'Canadá', language: 'en', income: [0.13, 0.24, 0.33, 0.2, 0.1] },
  { en: 'Australia', pt: 'Austrália', language: 'en', income: [0.13, 0.23, 0.34, 0.2, 0.1] },
  { en: 'Ireland', pt: 'Irlanda', language: 'en', income: [0.14, 0.24, 0.33, 0.19, 0.1] },
  { en: 'Brazil', pt: 'Brasil', language: 'pt-BR', income: [0.3, 0.32, 0.23, 0.1, 0.05] },
  { en: 'Portugal', pt: 'Portugal', language: 'pt-BR', income: [0.2, 0.32, 0.3, 0.12, 0.06] },
  { en: 'Mexico', pt: 'México', language: 'en', income: [0.32, 0.3, 0.24, 0.1, 0.04] },
  { en: 'Argentina', pt: 'Argentina', language: 'en', income: [0.28, 0.3, 0.26, 0.11, 0.05] },
  { en: 'Colombia', pt: 'Colômbia', language: 'en', income: [0.33, 0.31, 0.23, 0.09, 0.04] },
  { en: 'Chile', pt: 'Chile', language: 'en', income: [0.22, 0.3, 0.29, 0.13, 0.06] },
  { en: 'Spain', pt: 'Espanha', language: 'en', income: [0.18, 0.28, 0.31, 0.16, 0.07] },
  { en: 'France', pt: 'França', language: 'en', income: [0.15, 0.26, 0.33, 0.18, 0.08] },
  { en: 'Germany', pt: 'Alemanha', language: 'en', income: [0.14, 0.24, 0.35, 0.19, 0.08] },
  { en: 'Italy', pt: 'Itália', language: 'en', income: [0.18, 0.28, 0.32, 0.15, 0.07] },
  { en: 'India', pt: 'Índia', language: 'en', income: [0.4, 0.31, 0.19, 0.07, 0.03] },
  {
    en: 'Nigeria',
    pt: 'Nigéria',
    language: 'en',
    income: [0.48, 0.28, 0.16, 0.06, 0.02],
    region: 'africa',
  },
  {
    en: 'South Africa',
    pt: 'África do Sul',
    language: 'en',
    income: [0.42, 0.25, 0.19, 0.1, 0.04],
    region: 'africa',
  },
  { en: 'Japan', pt: 'Japão', language: 'en', income: [0.14, 0.27, 0.36, 0.16, 0.07] },
  { en: 'Philippines', pt: 'Filipinas', language: 'en', income: [0.38, 0.31, 0.21, 0.07, 0.03] },
];

export interface PanelTargets {
  /** as typed */
  count: string;
  ageMin: string;
  ageMax: string;
  /** FactoryCountry.en names */
  countries: string[];
  gender: GenderTarget;
  income: IncomeTarget;
  setting: SettingTarget;
  life: LifeTarget[];
  occupations: string;
  notes: string;
  language: GenLanguage;
  /** as typed; empty: the server draws one */
  seed: string;
}

export function defaultTargets(language: GenLanguage): PanelTargets {
  return {
    count: '10',
    ageMin: '18',
    ageMax: '75',
    countries: [],
    gender: 'any',
    income: 'any',
    setting: 'any',
    life: [],
    occupations: '',
    notes: '',
    language,
    seed: '',
  };
}

/* ---- the description ---------------------------------------------------------------------- */

const WORDS = {
  en: {
    people: (a: number, b: number) => `People aged ${a}-${b}.`,
    countries: 'Countries:',
    and: 'and',
    gender: { women: 'Women only.', men: 'Men only.', balanced: 'Women and men in equal numbers.' },
    income: {
      low: 'Low income.',
      working: 'Working class.',
      middle: 'Middle class.',
      upper_middle: 'Well off.',
      affluent: 'Affluent.',
      mixed: 'Mixed incomes.',
    },
    setting: {
      urban: 'Living in big cities.',
      suburban: 'Living in the suburbs.',
      small_town: 'Living in small towns.',
      rural: 'Living in rural areas.',
    },
    life: 'Life stage:',
    lifeWords: { parents: 'parents', students: 'students', retirees: 'retirees' },
    occupations: 'Occupations:',
  },
  'pt-BR': {
    people: (a: number, b: number) => `Pessoas de ${a} a ${b} anos.`,
    countries: 'Países:',
    and: 'e',
    gender: {
      women: 'Somente mulheres.',
      men: 'Somente homens.',
      balanced: 'Mulheres e homens em partes iguais.',
    },
    income: {
      low: 'Baixa renda.',
      working: 'Classe trabalhadora.',
      middle: 'Classe média.',
      upper_middle: 'Bem de vida.',
      affluent: 'Alta renda.',
      mixed: 'Rendas variadas.',
    },
    setting: {
      urban: 'Moram em grandes cidades.',
      suburban: 'Moram em regiões metropolitanas.',
      small_town: 'Moram em cidades do interior.',
      rural: 'Moram na zona rural.',
    },
    life: 'Fase da vida:',
    lifeWords: { parents: 'com filhos', students: 'estudantes', retirees: 'aposentados' },
    occupations: 'Ocupações:',
  },
} as const;

function joinList(items: string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

function sentence(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t) return '';
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** The countries chosen, in the model's order. */
export function chosenCountries(t: PanelTargets): FactoryCountry[] {
  return FACTORY_COUNTRIES.filter((c) => t.countries.includes(c.en));
}

/** The population description the targets make, in the generation's language. */
export function describeTargets(t: PanelTargets): string {
  const w = WORDS[t.language];
  const ages = ageRange(t);
  const parts: string[] = [w.people(ages.min, ages.max)];
  const countries = chosenCountries(t).map((c) => (t.language === 'pt-BR' ? c.pt : c.en));
  if (countries.length) parts.push(`${w.countries} ${joinList(countries, w.and)}.`);
  if (t.gender !== 'any') parts.push(w.gender[t.gender]);
  if (t.income !== 'any') parts.push(w.income[t.income]);
  if (t.setting !== 'any') parts.push(w.setting[t.setting]);
  const life = LIFE_TARGETS.filter((l) => t.life.includes(l)).map((l) => w.lifeWords[l]);
  if (life.length) parts.push(`${w.life} ${life.join(', ')}.`);
  if (t.occupations.trim()) parts.push(`${w.occupations} ${sentence(t.occupations)}`);
  const notes = sentence(t.notes);
  if (notes) parts.push(notes);
  return parts.join(' ');
}

/* ---- checks ------------------------------------------------------------------------------- */

export interface TargetError {
  key: string;
  values?: Record<string, string | number>;
}

function wholeNumber(s: string): number | null {
  const v = s.trim();
  return /^\d+$/.test(v) ? Number(v) : null;
}

/** The age range as the model will read it (defaults when a bound is not a number). */
export function ageRange(t: PanelTargets): { min: number; max: number } {
  const min = wholeNumber(t.ageMin) ?? TARGET_AGE_MIN;
  const max = wholeNumber(t.ageMax) ?? 75;
  return { min, max };
}

/**
 * The targets' errors by field ({} when the API should take them). room is
 * how many more personas the plan allows (null: no limit).
 */
export function validateTargets(t: PanelTargets, room: number | null): Record<string, TargetError> {
  const errors: Record<string, TargetError> = {};
  const count = wholeNumber(t.count);
  if (count === null || count < 1 || count > COUNT_MAX)
    errors.count = { key: 'countRange', values: { max: COUNT_MAX } };
  else if (room !== null && count > room)
    errors.count = { key: 'countRoom', values: { room: Math.max(0, room) } };
  const min = wholeNumber(t.ageMin);
  const max = wholeNumber(t.ageMax);
  if (min === null || min < TARGET_AGE_MIN || min > TARGET_AGE_MAX)
    errors.ageMin = { key: 'ageRange', values: { min: TARGET_AGE_MIN, max: TARGET_AGE_MAX } };
  if (max === null || max < TARGET_AGE_MIN || max > TARGET_AGE_MAX)
    errors.ageMax = { key: 'ageRange', values: { min: TARGET_AGE_MIN, max: TARGET_AGE_MAX } };
  if (!errors.ageMin && !errors.ageMax && min !== null && max !== null && max <= min)
    errors.ageMax = { key: 'ageOrder' };
  const description = describeTargets(t);
  if (Array.from(description).length > DESCRIPTION_MAX)
    errors.notes = {
      key: 'descriptionTooLong',
      values: { max: DESCRIPTION_MAX, count: Array.from(description).length },
    };
  if (t.seed.trim()) {
    const seed = wholeNumber(t.seed);
    if (seed === null || seed > Number.MAX_SAFE_INTEGER) errors.seed = { key: 'seed' };
  }
  return errors;
}

/* ---- the server's arithmetic --------------------------------------------------------------- */

/**
 * n split over cells of the given shares by the largest remainder: the
 * floors, then one more to the largest fractional parts, the earlier cell
 * winning a tie (factory.c largest_remainder). Sums to exactly n.
 */
export function largestRemainder(shares: number[], n: number): number[] {
  const out = shares.map((s) => Math.floor(s * n));
  const frac = shares.map((s, i) => s * n - (out[i] ?? 0));
  let given = out.reduce((a, b) => a + b, 0);
  while (given < n && out.length) {
    let best = 0;
    for (let i = 1; i < frac.length; i++) if ((frac[i] ?? 0) > (frac[best] ?? 0)) best = i;
    out[best] = (out[best] ?? 0) + 1;
    frac[best] = -1;
    given++;
  }
  while (given > n && out.length) {
    let best = 0;
    for (let i = 1; i < out.length; i++) if ((out[i] ?? 0) > (out[best] ?? 0)) best = i;
    out[best] = (out[best] ?? 0) - 1;
    given--;
  }
  return out;
}

/**
 * Weights as the dimension's shares: each rounded to thousandths (at least
 * one), the largest absorbing what the rounding lost or added; weights <= 0
 * left out (factory.c add_categorical). Indexes of the weights kept.
 */
export function thousandths(weights: number[]): { index: number; share: number }[] {
  let total = 0;
  for (const w of weights) total += w > 0 ? w : 0;
  if (total <= 0) return [];
  const k = weights.map(() => 0);
  let sum = 0;
  let largest = 0;
  weights.forEach((w, i) => {
    if (w <= 0) return;
    k[i] = Math.max(1, Math.round((w / total) * 1000));
    sum += k[i] ?? 0;
    if ((k[i] ?? 0) > (k[largest] ?? 0) || (weights[largest] ?? 0) <= 0) largest = i;
  });
  k[largest] = (k[largest] ?? 0) + 1000 - sum;
  return weights.flatMap((w, i) => (w > 0 ? [{ index: i, share: (k[i] ?? 0) / 1000 }] : []));
}

/** Shares made to sum to 1 (non-positive ones 0; equal when none is positive). */
export function normalise(shares: number[]): number[] {
  let total = 0;
  for (const s of shares) total += s > 0 ? s : 0;
  return shares.map((s) => (total > 0 ? (s > 0 ? s / total : 0) : 1 / shares.length));
}

/** The age range cut in bands of about 13 years, weighted by width (factory.c axis_build). */
export function ageBands(min: number, max: number): { from: number; to: number; weight: number }[] {
  const lo = Math.ceil(Math.min(min, max));
  const hi = Math.floor(Math.max(min, max));
  const span = hi - lo + 1;
  const k = Math.min(6, Math.max(1, Math.floor((span + 12) / 13)));
  if (span < 2 || k < 2) return [{ from: lo, to: hi, weight: Math.max(1, span) }];
  const bands = [];
  for (let b = 0; b < k; b++) {
    const from = lo + Math.floor((span * b) / k);
    const to = lo + Math.floor((span * (b + 1)) / k) - 1;
    bands.push({ from, to, weight: to - from + 1 });
  }
  return bands;
}

/* ---- the plan ----------------------------------------------------------------------------- */

export type DimensionId =
  'country' | 'age' | 'income' | 'gender' | 'occupation' | 'life' | 'setting';

/** The order in which dimensions split a population (factory.c split_rank). */
export const SPLIT_ORDER: DimensionId[] = [
  'country',
  'age',
  'income',
  'gender',
  'occupation',
  'life',
  'setting',
];

export interface PlanValue {
  /** what the UI translates: a country's English name, 'a-b', female, middle, parents_young... */
  key: string;
  /** the value as the model writes it, in the generation's language */
  label: string;
  share: number;
  count: number;
}

export interface PlanDimension {
  id: DimensionId;
  /** known: shares from the targets; model: the model decides (no preview) */
  status: 'known' | 'model';
  values: PlanValue[];
  /** on the plan's grid: the counts are exact */
  exact: boolean;
}

export interface SamplingPlan {
  count: number;
  description: string;
  /** the grid's dimensions, most telling first (1 or 2) */
  axes: DimensionId[];
  /** people per cell, rows by the first axis; null when the model decides an axis */
  grid: { rows: PlanValue[]; cols: PlanValue[]; cells: number[][] } | null;
  /** groups the plan will have (cells with someone); null when unknown */
  groups: number | null;
  dimensions: PlanDimension[];
  /** countries the model adds because a chosen one's name holds a region (South Africa: Africa) */
  addedByRegion: string[];
}

const GENDER_VALUES = [
  { key: 'female', en: 'female', pt: 'feminino' },
  { key: 'male', en: 'male', pt: 'masculino' },
  { key: 'non-binary', en: 'non-binary', pt: 'não binário' },
];
const INCOME_VALUES = [
  { key: 'low', en: 'low', pt: 'baixa' },
  { key: 'lower_middle', en: 'lower middle', pt: 'média baixa' },
  { key: 'middle', en: 'middle', pt: 'média' },
  { key: 'upper_middle', en: 'upper middle', pt: 'média alta' },
  { key: 'high', en: 'high', pt: 'alta' },
];
const INCOME_SHARES: Record<Exclude<IncomeTarget, 'any' | 'mixed'>, number[]> = {
  low: [0.55, 0.35, 0.1, 0, 0],
  working: [0.2, 0.5, 0.3, 0, 0],
  middle: [0, 0.25, 0.55, 0.2, 0],
  upper_middle: [0, 0, 0.25, 0.6, 0.15],
  affluent: [0, 0, 0.05, 0.35, 0.6],
};
const LIFE_VALUES = [
  { key: 'none', en: 'no children at home', pt: 'sem filhos em casa' },
  { key: 'parents_young', en: 'parent of young children', pt: 'com filhos pequenos' },
  { key: 'parents_teen', en: 'parent of teenagers', pt: 'com filhos adolescentes' },
  { key: 'parents_adult', en: 'parent of adult children', pt: 'com filhos adultos' },
  { key: 'students', en: 'student', pt: 'estudante' },
  { key: 'retirees', en: 'retired', pt: 'aposentado(a)' },
];
const SETTING_VALUES = [
  { key: 'urban', en: 'big-city urban', pt: 'cidade grande' },
  { key: 'suburban', en: 'suburban', pt: 'região metropolitana' },
  { key: 'small_town', en: 'small-town', pt: 'cidade do interior' },
  { key: 'rural', en: 'rural', pt: 'zona rural' },
];

/** A categorical dimension's values as the plan reads them: rounded, tidied, normalised. */
function categorical(
  labels: { key: string; en: string; pt: string }[],
  weights: number[],
  lang: GenLanguage,
): PlanValue[] {
  const kept = thousandths(weights);
  // the engine's tidy_dimensions, then the plan's axis_normalise
  const tidied = normalise(kept.map((k) => k.share));
  const shares = normalise(tidied);
  return kept.map((k, i) => {
    const l = labels[k.index] ?? { key: '', en: '', pt: '' };
    return { key: l.key, label: lang === 'pt-BR' ? l.pt : l.en, share: shares[i] ?? 0, count: 0 };
  });
}

/** The countries as the model will weigh them: the ones named equally, else its default mix. */
function countryWeights(t: PanelTargets): { weights: number[]; added: string[] } {
  const chosen = new Set(t.countries);
  const regions = new Set(
    FACTORY_COUNTRIES.filter((c) => chosen.has(c.en) && c.region).map((c) => c.region),
  );
  const named = FACTORY_COUNTRIES.map(
    (c) => chosen.has(c.en) || (c.region !== undefined && regions.has(c.region)),
  );
  const added = FACTORY_COUNTRIES.filter((c, i) => named[i] && !chosen.has(c.en)).map((c) => c.en);
  if (named.some(Boolean)) return { weights: named.map((n) => (n ? 1 : 0)), added };
  return {
    weights: FACTORY_COUNTRIES.map((c) => {
      const same = c.language === t.language;
      if (t.language === 'pt-BR' && same && c.en === 'Brazil') return 12;
      return same ? 3 : 1.5;
    }),
    added: [],
  };
}

/** The income shares (low .. high): stated, or the countries' own, spread when mixed. */
function incomeWeights(t: PanelTargets, countryW: number[]): number[] {
  if (t.income !== 'any' && t.income !== 'mixed') return INCOME_SHARES[t.income];
  const out = [0, 0, 0, 0, 0];
  let total = 0;
  FACTORY_COUNTRIES.forEach((c, i) => {
    const w = countryW[i] ?? 0;
    if (w <= 0) return;
    for (let k = 0; k < 5; k++) out[k] = (out[k] ?? 0) + w * (c.income[k] ?? 0);
    total += w;
  });
  const shares = out.map((x) => (total > 0 ? x / total : 0.2));
  return t.income === 'mixed' ? shares.map((x) => 0.5 * x + 0.1) : shares;
}

function lifeWeights(t: PanelTargets, min: number, max: number): number[] {
  const w = [0, 0, 0, 0, 0, 0];
  if (t.life.includes('parents')) {
    w[1] = min < 42 ? 0.6 : 0;
    w[2] = max >= 32 && min < 58 ? 0.3 : 0;
    w[3] = max >= 42 ? 0.2 + (min >= 42 ? 0.5 : 0) : 0;
    if ((w[1] ?? 0) + (w[2] ?? 0) + (w[3] ?? 0) <= 0) w[1] = 1;
  }
  if (t.life.includes('students')) w[4] = 1;
  if (t.life.includes('retirees')) w[5] = 1;
  return w;
}

function settingWeights(t: PanelTargets): number[] {
  const w = [0.42, 0.28, 0.2, 0.1];
  if (t.setting === 'any') return w;
  const lean = SETTING_TARGETS.indexOf(t.setting) - 1;
  const out = w.map((x) => x * 0.25);
  out[lean] = (out[lean] ?? 0) + 0.75;
  return out;
}

/** Drops the value with the smallest share (the last of equals) and normalises (axis_drop_smallest). */
function dropSmallest(values: PlanValue[]): PlanValue[] {
  let k = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i]?.share ?? 0) <= (values[k]?.share ?? 0)) k = i;
  const rest = values.filter((_, i) => i !== k);
  const shares = normalise(rest.map((v) => v.share));
  return rest.map((v, i) => ({ ...v, share: shares[i] ?? 0 }));
}

/** The sampling plan of the targets (see the top of the file). */
export function computePlan(t: PanelTargets): SamplingPlan {
  const n = Math.max(0, Math.min(COUNT_MAX, wholeNumber(t.count) ?? 0));
  const lang = t.language;
  const { min: rawMin, max: rawMax } = ageRange(t);
  // the factory reads ages up to 95
  const min = Math.min(Math.max(rawMin, 14), TARGET_AGE_MAX);
  const max = Math.min(Math.max(rawMax, min), TARGET_AGE_MAX);

  const { weights: cw, added } = countryWeights(t);
  const dims = new Map<DimensionId, PlanDimension>();
  const countryValues = thousandths(cw).map((k) => k.index);
  dims.set('country', {
    id: 'country',
    status: 'known',
    exact: false,
    values: categorical(
      countryValues.map((i) => {
        const c = FACTORY_COUNTRIES[i] as FactoryCountry;
        return { key: c.en, en: c.en, pt: c.pt };
      }),
      countryValues.map((i) => cw[i] ?? 0),
      lang,
    ),
  });
  const bands = ageBands(min, max);
  const bandShares = normalise(bands.map((b) => b.weight));
  dims.set('age', {
    id: 'age',
    status: 'known',
    exact: false,
    values: bands.map((b, i) => ({
      key: `${b.from}-${b.to}`,
      label: `${b.from}-${b.to}`,
      share: bandShares[i] ?? 0,
      count: 0,
    })),
  });
  dims.set('income', {
    id: 'income',
    status: 'known',
    exact: false,
    values: categorical(INCOME_VALUES, incomeWeights(t, cw), lang),
  });
  const genderW =
    t.gender === 'women'
      ? [1, 0, 0]
      : t.gender === 'men'
        ? [0, 1, 0]
        : t.gender === 'balanced'
          ? [0.5, 0.5, 0]
          : [0.5, 0.48, 0.02];
  dims.set('gender', {
    id: 'gender',
    status: 'known',
    exact: false,
    values: categorical(GENDER_VALUES, genderW, lang),
  });
  if (t.occupations.trim())
    dims.set('occupation', { id: 'occupation', status: 'model', exact: false, values: [] });
  if (t.life.length)
    dims.set('life', {
      id: 'life',
      status: 'known',
      exact: false,
      values: categorical(LIFE_VALUES, lifeWeights(t, min, max), lang),
    });
  dims.set('setting', {
    id: 'setting',
    status: 'known',
    exact: false,
    values: categorical(SETTING_VALUES, settingWeights(t), lang),
  });

  // the two most telling dimensions that split the people
  const axes: DimensionId[] = [];
  for (const id of SPLIT_ORDER) {
    const d = dims.get(id);
    if (!d || axes.length >= 2) continue;
    if (d.status === 'model' || d.values.length >= 2) axes.push(id);
  }

  let grid: SamplingPlan['grid'] = null;
  let groups: number | null = null;
  if (axes.every((a) => dims.get(a)?.status === 'known')) {
    let rows = dims.get(axes[0] as DimensionId)?.values ?? [];
    let cols = axes[1] ? (dims.get(axes[1])?.values ?? []) : [];
    if (axes.length === 2)
      while (rows.length * cols.length > MAX_GROUPS) {
        if (rows.length >= cols.length) rows = dropSmallest(rows);
        else cols = dropSmallest(cols);
      }
    else while (rows.length > MAX_GROUPS) rows = dropSmallest(rows);
    const nb = Math.max(1, cols.length);
    const shares: number[] = [];
    for (const r of rows)
      for (let b = 0; b < nb; b++) shares.push(r.share * (cols.length ? (cols[b]?.share ?? 0) : 1));
    const q = largestRemainder(shares, n);
    const cells = rows.map((_, a) => q.slice(a * nb, a * nb + nb));
    rows = rows.map((r, a) => ({ ...r, count: (cells[a] ?? []).reduce((x, y) => x + y, 0) }));
    cols = cols.map((c, b) => ({ ...c, count: cells.reduce((x, row) => x + (row[b] ?? 0), 0) }));
    grid = { rows, cols, cells };
    groups = q.filter((x) => x > 0).length || (n === 0 ? 1 : 0);
    const rowDim = dims.get(axes[0] as DimensionId);
    if (rowDim) dims.set(rowDim.id, { ...rowDim, values: rows, exact: true });
    const colDim = axes[1] ? dims.get(axes[1]) : undefined;
    if (colDim) dims.set(colDim.id, { ...colDim, values: cols, exact: true });
  }
  // the rest: what their shares come to (the server gives them to whole groups)
  for (const [id, d] of dims) {
    if (d.exact || d.status === 'model') continue;
    if (d.values.length === 1) {
      // one value: everyone has it
      dims.set(id, { ...d, exact: true, values: d.values.map((v) => ({ ...v, count: n })) });
      continue;
    }
    const q = largestRemainder(
      d.values.map((v) => v.share),
      n,
    );
    dims.set(id, { ...d, values: d.values.map((v, i) => ({ ...v, count: q[i] ?? 0 })) });
  }

  return {
    count: n,
    description: describeTargets(t),
    axes,
    grid,
    groups,
    dimensions: SPLIT_ORDER.flatMap((id) => {
      const d = dims.get(id);
      return d ? [d] : [];
    }),
    addedByRegion: added,
  };
}

/* ---- what was generated ------------------------------------------------------------------- */

const SERVER_NAMES: Record<DimensionId, string[]> = {
  country: ['country'],
  age: ['age'],
  income: ['income_level', 'income'],
  gender: ['gender'],
  occupation: ['occupation'],
  life: ['life_stage'],
  setting: ['cultural_background'],
};

function sameText(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/[-_\s]+/g, ' ');
  return norm(a) === norm(b);
}

/**
 * How many people of each planned value were made: a generation's samples
 * (only those that became a persona) counted by the value of their group
 * (ages: the group's band) or their own pick, matched to the plan's values
 * in either language. Values the plan did not have are counted under their
 * own label.
 */
export function realisedCounts(
  dim: PlanDimension,
  result: {
    plan: { groups: { traits: Record<string, string> }[] };
    samples: { group: number; picks: Record<string, string>; persona_id: string | null }[];
  },
): { key: string; label: string; count: number }[] {
  const names = SERVER_NAMES[dim.id];
  const counts = new Map<string, { key: string; label: string; count: number }>();
  for (const v of dim.values) counts.set(v.key, { key: v.key, label: v.label, count: 0 });
  for (const s of result.samples) {
    if (!s.persona_id) continue;
    const traits = result.plan.groups[s.group]?.traits ?? {};
    const from = dim.id === 'age' ? traits : { ...traits, ...s.picks };
    const name = Object.keys(from).find((k) => names.some((n) => sameText(n, k)));
    if (!name) continue;
    const value = from[name] ?? '';
    const all = [...GENDER_VALUES, ...INCOME_VALUES, ...LIFE_VALUES, ...SETTING_VALUES];
    const known =
      dim.values.find((v) => sameText(v.label, value) || sameText(v.key, value)) ??
      (dim.id === 'country'
        ? FACTORY_COUNTRIES.filter((c) => sameText(c.en, value) || sameText(c.pt, value)).map(
            (c) => ({ key: c.en, label: value }),
          )[0]
        : all
            .filter((x) => sameText(x.en, value) || sameText(x.pt, value))
            .map((x) => ({ key: x.key, label: value }))[0]);
    const key = known?.key ?? value;
    const row = counts.get(key) ?? { key, label: known?.label ?? value, count: 0 };
    row.count += 1;
    counts.set(key, row);
  }
  return [...counts.values()];
}
