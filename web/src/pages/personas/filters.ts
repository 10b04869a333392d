import type { PersonaFilters } from '../../api/personas';
import type { IncomeLevel, PersonaType } from '../../api/types';

export const PAGE_SIZE = 12;

export const INCOME_LEVELS: IncomeLevel[] = [
  'low',
  'lower_middle',
  'middle',
  'upper_middle',
  'high',
];
export const PERSONA_TYPES: PersonaType[] = ['template', 'custom', 'generated'];
export const GENDERS = ['female', 'male', 'non-binary'];
export const SORTS = ['-created_at', 'name', '-name', 'age', '-age', '-validation_score'];

const TEXT_KEYS = ['q', 'gender', 'country', 'occupation', 'language', 'sort'] as const;

function intParam(p: URLSearchParams, key: string, min: number, max: number): number | undefined {
  const raw = p.get(key);
  if (raw === null || raw === '' || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
}

/** The list's filters from the URL (so they survive reloads and the back button). */
export function filtersFromParams(p: URLSearchParams): PersonaFilters {
  const f: PersonaFilters = { limit: PAGE_SIZE };
  for (const k of TEXT_KEYS) {
    const v = p.get(k)?.trim();
    if (v) f[k] = v;
  }
  if (f.sort && !SORTS.includes(f.sort)) delete f.sort;
  const income = p.get('income_level');
  if (income && (INCOME_LEVELS as string[]).includes(income))
    f.income_level = income as IncomeLevel;
  const type = p.get('type');
  if (type && (PERSONA_TYPES as string[]).includes(type)) f.type = type as PersonaType;
  const ageMin = intParam(p, 'age_min', 18, 100);
  const ageMax = intParam(p, 'age_max', 18, 100);
  if (ageMin !== undefined) f.age_min = ageMin;
  if (ageMax !== undefined) f.age_max = ageMax;
  const page = intParam(p, 'page', 1, 100000) ?? 1;
  f.offset = (page - 1) * PAGE_SIZE;
  return f;
}

/** True when anything narrows the list (paging and sorting do not). */
export function hasActiveFilters(f: PersonaFilters): boolean {
  return Object.entries(f).some(
    ([k, v]) => !['limit', 'offset', 'sort'].includes(k) && v !== undefined && v !== '',
  );
}
