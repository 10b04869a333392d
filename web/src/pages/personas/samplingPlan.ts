/*
 * "Generate a panel": the targets the user picks, the population
 * description they make (the request of POST /api/personas/generate), and
 * pure helpers to read the answer of its dry run - the sampling plan the
 * model made for that description and the people it drew - as counts per
 * dimension.
 *
 * Nothing here plans: the model (the offline one or a real language
 * model) turns the description into dimensions and groups on the server.
 * The dialog asks it with `dry_run: true`, shows that plan, and generates
 * with the seed the dry run answered, which plans and draws the same way.
 */
import type { GeneratedDimension, GeneratedGroup, GeneratedSample } from '../../api/personas';

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

/** the API's bounds (docs/openapi.yaml) */
export const COUNT_MAX = 200;
export const DESCRIPTION_MAX = 2000;
/** the ages the form offers */
export const TARGET_AGE_MIN = 18;
export const TARGET_AGE_MAX = 95;

/** A country the form offers as a quick pick: its name in the description's two languages. */
export interface CountryChoice {
  en: string;
  pt: string;
}

/**
 * The countries offered as chips (any other can be written under "anything
 * else"): only names, which the description carries; what the model makes
 * of them is its plan, shown by the dry run.
 */
export const COUNTRY_CHOICES: CountryChoice[] = [
  { en: 'United States', pt: 'Estados Unidos' },
  { en: 'United Kingdom', pt: 'Reino Unido' },
  { en: 'Canada', pt: 'Canadá' },
  { en: 'Australia', pt: 'Austrália' },
  { en: 'Ireland', pt: 'Irlanda' },
  { en: 'Brazil', pt: 'Brasil' },
  { en: 'Portugal', pt: 'Portugal' },
  { en: 'Mexico', pt: 'México' },
  { en: 'Argentina', pt: 'Argentina' },
  { en: 'Colombia', pt: 'Colômbia' },
  { en: 'Chile', pt: 'Chile' },
  { en: 'Spain', pt: 'Espanha' },
  { en: 'France', pt: 'França' },
  { en: 'Germany', pt: 'Alemanha' },
  { en: 'Italy', pt: 'Itália' },
  { en: 'India', pt: 'Índia' },
  { en: 'Nigeria', pt: 'Nigéria' },
  { en: 'South Africa', pt: 'África do Sul' },
  { en: 'Japan', pt: 'Japão' },
  { en: 'Philippines', pt: 'Filipinas' },
];

/** The English name of a country the form offers, from either language's name (else null). */
export function countryChoice(name: string): string | null {
  const n = name.trim().toLowerCase();
  return (
    COUNTRY_CHOICES.find((c) => c.en.toLowerCase() === n || c.pt.toLowerCase() === n)?.en ?? null
  );
}

export interface PanelTargets {
  /** as typed */
  count: string;
  ageMin: string;
  ageMax: string;
  /** CountryChoice.en names */
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

/** The countries chosen, in the order of the choices. */
export function chosenCountries(t: PanelTargets): CountryChoice[] {
  return COUNTRY_CHOICES.filter((c) => t.countries.includes(c.en));
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

/* ---- the request --------------------------------------------------------------------------- */

/** The body of POST /api/personas/generate the targets make (without dry_run). */
export interface GenerateBody {
  description: string;
  count: number;
  language: GenLanguage;
  seed?: number;
}

/** The request of valid targets (see validateTargets): the description, count, language, seed. */
export function requestOf(t: PanelTargets): GenerateBody {
  const body: GenerateBody = {
    description: describeTargets(t),
    count: wholeNumber(t.count) ?? 0,
    language: t.language,
  };
  const seed = wholeNumber(t.seed);
  if (seed !== null) body.seed = seed;
  return body;
}

/** Do two requests ask for the same panel (so one's preview is the other's plan)? */
export function sameRequest(a: GenerateBody, b: GenerateBody): boolean {
  return (
    a.description === b.description &&
    a.count === b.count &&
    a.language === b.language &&
    a.seed === b.seed
  );
}

/* ---- reading a plan ------------------------------------------------------------------------ */

/** One value of a dimension: the model's share (when it gave one) and the people drawn with it. */
export interface SpreadRow {
  value: string;
  /** the model's share, 0..1; null for values it did not list (an age band, a stray pick) */
  share: number | null;
  count: number;
}

/** A dimension of the plan with the draws counted per value (numbers in bands). */
export interface DimensionSpread {
  name: string;
  kind: 'values' | 'range';
  min?: number | undefined;
  max?: number | undefined;
  rows: SpreadRow[];
  /** samples counted (those with a pick for it) */
  total: number;
}

interface Band {
  from: number;
  to: number;
}

const RANGE = /^\s*(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * The bands a numeric dimension is counted in: the ranges the plan's
 * groups give it (an age group "25-34") with the parts of its range they
 * leave out, else the range cut in at most six bands of about ten.
 */
export function bandsOf(dim: GeneratedDimension, groups: GeneratedGroup[]): Band[] {
  const seen = new Map<string, Band>();
  let ranges = true;
  for (const g of groups) {
    const v = g.traits[dim.name];
    if (v === undefined) continue;
    const m = RANGE.exec(v);
    if (!m) {
      ranges = false;
      break;
    }
    const from = Number(m[1]);
    const to = Number(m[2]);
    seen.set(`${from}-${to}`, { from: Math.min(from, to), to: Math.max(from, to) });
  }
  if (ranges && seen.size) {
    const given = [...seen.values()].sort((a, b) => a.from - b.from);
    if (dim.min === undefined || dim.max === undefined) return given;
    // the parts of the range no group covers, as bands of their own (nobody drawn there)
    const out: Band[] = [];
    let next = Math.floor(Math.min(dim.min, dim.max));
    for (const g of given) {
      if (g.from > next) out.push({ from: next, to: g.from - 1 });
      out.push(g);
      next = Math.max(next, g.to + 1);
    }
    const hi = Math.ceil(Math.max(dim.min, dim.max));
    if (next <= hi) out.push({ from: next, to: hi });
    return out;
  }
  if (dim.min === undefined || dim.max === undefined) return [];
  const lo = Math.floor(Math.min(dim.min, dim.max));
  const hi = Math.ceil(Math.max(dim.min, dim.max));
  const span = hi - lo + 1;
  const k = Math.min(6, Math.max(1, Math.ceil(span / 10)));
  const out: Band[] = [];
  for (let b = 0; b < k; b++) {
    const from = lo + Math.floor((span * b) / k);
    const to = lo + Math.floor((span * (b + 1)) / k) - 1;
    out.push({ from, to });
  }
  return out;
}

const bandLabel = (b: Band) => `${b.from}-${b.to}`;

/**
 * The plan's dimensions with the samples counted per value: the model's
 * values in its order (with its shares), then any other value drawn;
 * numeric dimensions (min and max, as age) in bands. Picks the plan has no
 * dimension for come last, counted by value.
 */
export function summariseDraws(
  plan: { dimensions: GeneratedDimension[]; groups: GeneratedGroup[] },
  samples: Pick<GeneratedSample, 'picks'>[],
): DimensionSpread[] {
  const dims = [...plan.dimensions];
  const named = new Set(dims.map((d) => d.name));
  for (const s of samples)
    for (const name of Object.keys(s.picks))
      if (!named.has(name)) {
        named.add(name);
        dims.push({ name, values: [] });
      }
  return dims.map((dim) => {
    const numeric = !dim.values?.length && (dim.min !== undefined || dim.max !== undefined);
    const rows = new Map<string, SpreadRow>();
    const bands = numeric ? bandsOf(dim, plan.groups) : [];
    if (numeric)
      for (const b of bands) rows.set(bandLabel(b), { value: bandLabel(b), share: null, count: 0 });
    else
      for (const v of dim.values ?? [])
        rows.set(v.value, { value: v.value, share: v.share, count: 0 });
    let total = 0;
    for (const s of samples) {
      const pick = s.picks[dim.name];
      if (pick === undefined || pick === '') continue;
      total++;
      let key = pick;
      if (numeric) {
        const x = Number(pick);
        const band = Number.isFinite(x) ? bands.find((b) => x >= b.from && x <= b.to) : undefined;
        if (band) key = bandLabel(band);
      }
      const row = rows.get(key) ?? { value: key, share: null, count: 0 };
      row.count += 1;
      rows.set(key, row);
    }
    return {
      name: dim.name,
      kind: numeric ? 'range' : 'values',
      min: dim.min,
      max: dim.max,
      rows: [...rows.values()],
      total,
    };
  });
}

/** A dimension's name as words when the UI has no label for it: "attitude_to_money" -> "Attitude to money". */
export function humanise(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : name;
}
