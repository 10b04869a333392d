/*
 * The persona editor's form and the API's persona, both ways, and the
 * checks the API makes (src/engine/persona_json.c, src/domain/personas.c)
 * done first in the browser: name 1..200 characters, age 18..100, texts up
 * to 2000 characters, lists up to 100 non-empty items, a language tag,
 * income and Big Five levels from their lists, routines named (1..100
 * characters), relationships named (1..200), at most 20 tags of 1..40.
 * Lists are edited one item per line; tags separated by commas.
 */
import {
  BIG_FIVE,
  type BigFiveTrait,
  type PersonaDetail,
  type PersonaInput,
} from '../../api/personas';
import type { IncomeLevel, Level } from '../../api/types';

export const NAME_MAX = 200;
export const AGE_MIN = 18;
export const AGE_MAX = 100;
export const TEXT_MAX = 2000;
export const ITEMS_MAX = 100;
export const ROUTINE_NAME_MAX = 100;
export const TAGS_MAX = 20;
export const TAG_MAX = 40;

export const INCOME_LEVELS: IncomeLevel[] = [
  'low',
  'lower_middle',
  'middle',
  'upper_middle',
  'high',
];
export const LEVELS: Level[] = ['low', 'medium', 'high'];

/** The list fields, edited one item per line, and where each lives in the API's shape. */
export const LIST_FIELDS = {
  traits: 'personality.traits',
  interests: 'personality.interests',
  values: 'personality.values',
  long_term_goals: 'profile.long_term_goals',
  beliefs: 'profile.beliefs',
  likes: 'profile.likes',
  dislikes: 'profile.dislikes',
  skills: 'profile.skills',
  behaviors: 'profile.behaviors.general',
  other_facts: 'profile.other_facts',
} as const;
export type ListField = keyof typeof LIST_FIELDS;

/** The one-line and free text fields, and their API paths. */
export const TEXT_FIELDS = {
  gender: 'demographics.gender',
  location: 'demographics.location',
  occupation: 'demographics.occupation',
  nationality: 'demographics.nationality',
  education: 'demographics.education',
  language: 'demographics.language',
  organization: 'profile.occupation_detail.organization',
  occupation_description: 'profile.occupation_detail.description',
  style: 'profile.style',
  health: 'profile.health',
} as const;
export type TextField = keyof typeof TEXT_FIELDS;

export interface RoutineRow {
  /** a React key, not sent */
  key: string;
  when: string;
  what: string;
}

export interface RelationshipRow {
  key: string;
  name: string;
  description: string;
}

export type PersonaForm = {
  name: string;
  /** as typed: checked to be a whole number */
  age: string;
  income_level: IncomeLevel | '';
  big_five: Record<BigFiveTrait, Level | ''>;
  routines: RoutineRow[];
  relationships: RelationshipRow[];
  /** separated by commas */
  tags: string;
} & Record<TextField, string> &
  Record<ListField, string>;

/** A form error: an i18n key under personaEditor.errors and its values, or the API's own words. */
export interface FieldError {
  key: string;
  values?: Record<string, string | number>;
  /** the API's message, shown as it is when no key says it */
  raw?: string;
}
export type FormErrors = Record<string, FieldError>;

let rowSeq = 0;
/** A fresh key for a routine or relationship row. */
export function rowKey(): string {
  rowSeq += 1;
  return `row-${rowSeq}`;
}

export function emptyForm(): PersonaForm {
  const f = {
    name: '',
    age: '',
    income_level: '',
    big_five: Object.fromEntries(BIG_FIVE.map((b) => [b, ''])) as Record<BigFiveTrait, ''>,
    routines: [],
    relationships: [],
    tags: '',
  } as unknown as PersonaForm;
  for (const k of Object.keys(TEXT_FIELDS) as TextField[]) f[k] = '';
  for (const k of Object.keys(LIST_FIELDS) as ListField[]) f[k] = '';
  return f;
}

/** The items of a one-per-line list: trimmed, blank lines dropped. */
export function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Tags from "a, b, c": trimmed, blanks dropped, repeats (ignoring case) kept once. */
export function tagsOf(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(',')) {
    const tag = raw.trim();
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

/** Characters as the API counts them (code points, not UTF-16 units). */
export function charCount(s: string): number {
  return Array.from(s).length;
}

/** A language tag as the API takes it: "en", "pt-BR" (2-3 letters, then subtags of 1-8). */
export function isLanguageTag(s: string): boolean {
  return s.length <= 35 && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(s);
}

/** The form of an existing persona. */
export function formFromPersona(p: PersonaDetail): PersonaForm {
  const f = emptyForm();
  const d = p.demographics ?? { age: 0 };
  const pers = p.personality ?? {};
  const prof = p.profile ?? {};
  f.name = p.name ?? '';
  f.age = d.age ? String(d.age) : '';
  f.gender = d.gender ?? '';
  f.location = d.location ?? '';
  f.occupation = d.occupation ?? '';
  f.income_level = d.income_level ?? '';
  f.nationality = d.nationality ?? '';
  f.education = d.education ?? '';
  f.language = d.language ?? '';
  f.traits = (pers.traits ?? []).join('\n');
  f.interests = (pers.interests ?? []).join('\n');
  f.values = (pers.values ?? []).join('\n');
  for (const b of BIG_FIVE) f.big_five[b] = pers.big_five?.[b] ?? '';
  f.organization = prof.occupation_detail?.organization ?? '';
  f.occupation_description = prof.occupation_detail?.description ?? '';
  f.style = prof.style ?? '';
  f.health = prof.health ?? '';
  f.long_term_goals = (prof.long_term_goals ?? []).join('\n');
  f.beliefs = (prof.beliefs ?? []).join('\n');
  f.likes = (prof.likes ?? []).join('\n');
  f.dislikes = (prof.dislikes ?? []).join('\n');
  f.skills = (prof.skills ?? []).join('\n');
  f.behaviors = (prof.behaviors?.general ?? []).join('\n');
  f.other_facts = (prof.other_facts ?? []).join('\n');
  f.routines = Object.entries(prof.behaviors?.routines ?? {}).map(([when, what]) => ({
    key: rowKey(),
    when,
    what,
  }));
  f.relationships = (prof.relationships ?? []).map((r) => ({
    key: rowKey(),
    name: r.name ?? '',
    description: r.description ?? '',
  }));
  f.tags = (p.tags ?? []).join(', ');
  return f;
}

function setIf<T extends object>(o: T, key: keyof T, v: unknown): void {
  if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return;
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return;
  (o as Record<string, unknown>)[key as string] = v;
}

/** The rows with something in them (a row left blank is no routine). */
function filledRoutines(f: PersonaForm) {
  return f.routines.filter((r) => r.when.trim() || r.what.trim());
}
function filledRelationships(f: PersonaForm) {
  return f.relationships.filter((r) => r.name.trim() || r.description.trim());
}

/**
 * The persona as the API takes it: every field (a PUT replaces them as a
 * whole), empty ones left out. With fields false only the tags (a plan
 * without custom personas may still tag).
 */
export function formToInput(f: PersonaForm, { fields = true } = {}): PersonaInput {
  const tags = tagsOf(f.tags);
  if (!fields) return { tags };
  const demographics: NonNullable<PersonaInput['demographics']> = { age: Number(f.age.trim()) };
  setIf(demographics, 'gender', f.gender.trim());
  setIf(demographics, 'location', f.location.trim());
  setIf(demographics, 'occupation', f.occupation.trim());
  setIf(demographics, 'income_level', f.income_level);
  setIf(demographics, 'nationality', f.nationality.trim());
  setIf(demographics, 'education', f.education.trim());
  setIf(demographics, 'language', f.language.trim());

  const personality: NonNullable<PersonaInput['personality']> = {};
  setIf(personality, 'traits', linesOf(f.traits));
  setIf(personality, 'interests', linesOf(f.interests));
  setIf(personality, 'values', linesOf(f.values));
  const big5: Partial<Record<BigFiveTrait, Level>> = {};
  for (const b of BIG_FIVE) if (f.big_five[b]) big5[b] = f.big_five[b] as Level;
  setIf(personality, 'big_five', big5);

  const profile: NonNullable<PersonaInput['profile']> = {};
  const detail: { organization?: string; description?: string } = {};
  setIf(detail, 'organization', f.organization.trim());
  setIf(detail, 'description', f.occupation_description.trim());
  setIf(profile, 'occupation_detail', detail);
  setIf(profile, 'style', f.style.trim());
  setIf(profile, 'long_term_goals', linesOf(f.long_term_goals));
  setIf(profile, 'beliefs', linesOf(f.beliefs));
  setIf(profile, 'likes', linesOf(f.likes));
  setIf(profile, 'dislikes', linesOf(f.dislikes));
  setIf(profile, 'skills', linesOf(f.skills));
  const behaviors: { general?: string[]; routines?: Record<string, string> } = {};
  setIf(behaviors, 'general', linesOf(f.behaviors));
  const routines: Record<string, string> = {};
  for (const r of filledRoutines(f)) routines[r.when.trim()] = r.what.trim();
  setIf(behaviors, 'routines', routines);
  setIf(profile, 'behaviors', behaviors);
  setIf(profile, 'health', f.health.trim());
  setIf(
    profile,
    'relationships',
    filledRelationships(f).map((r) =>
      r.description.trim()
        ? { name: r.name.trim(), description: r.description.trim() }
        : { name: r.name.trim() },
    ),
  );
  setIf(profile, 'other_facts', linesOf(f.other_facts));

  const input: PersonaInput = { name: f.name.trim(), demographics };
  setIf(input, 'personality', personality);
  setIf(input, 'profile', profile);
  input.tags = tags;
  return input;
}

function checkText(errors: FormErrors, field: string, value: string, max = TEXT_MAX) {
  const n = charCount(value.trim());
  if (n > max) errors[field] = { key: 'tooLong', values: { max, count: n } };
}

function checkList(errors: FormErrors, field: string, text: string) {
  const items = linesOf(text);
  if (items.length > ITEMS_MAX) {
    errors[field] = { key: 'tooManyItems', values: { max: ITEMS_MAX, count: items.length } };
    return;
  }
  const long = items.findIndex((i) => charCount(i) > TEXT_MAX);
  if (long >= 0) errors[field] = { key: 'itemTooLong', values: { line: long + 1, max: TEXT_MAX } };
}

/** The form's errors by field ({} when the API should take it); fields false: tags only. */
export function validateForm(f: PersonaForm, { fields = true } = {}): FormErrors {
  const errors: FormErrors = {};
  const tags = tagsOf(f.tags);
  if (tags.length > TAGS_MAX)
    errors.tags = { key: 'tooManyTags', values: { max: TAGS_MAX, count: tags.length } };
  else {
    const long = tags.find((x) => charCount(x) > TAG_MAX);
    if (long) errors.tags = { key: 'tagTooLong', values: { tag: long, max: TAG_MAX } };
  }
  if (!fields) return errors;

  const name = f.name.trim();
  if (!name) errors.name = { key: 'nameRequired' };
  else if (charCount(name) > NAME_MAX)
    errors.name = { key: 'tooLong', values: { max: NAME_MAX, count: charCount(name) } };

  const age = f.age.trim();
  if (!age) errors.age = { key: 'ageRequired', values: { min: AGE_MIN, max: AGE_MAX } };
  else if (!/^\d+$/.test(age))
    errors.age = { key: 'ageWhole', values: { min: AGE_MIN, max: AGE_MAX } };
  else if (Number(age) < AGE_MIN || Number(age) > AGE_MAX)
    errors.age = { key: 'ageRange', values: { min: AGE_MIN, max: AGE_MAX } };

  for (const k of Object.keys(TEXT_FIELDS) as TextField[]) checkText(errors, k, f[k]);
  const lang = f.language.trim();
  if (lang && !errors.language && !isLanguageTag(lang)) errors.language = { key: 'languageTag' };
  if (f.income_level && !INCOME_LEVELS.includes(f.income_level))
    errors.income_level = { key: 'income' };
  for (const b of BIG_FIVE)
    if (f.big_five[b] && !LEVELS.includes(f.big_five[b] as Level))
      errors[`big_five.${b}`] = { key: 'level' };

  for (const k of Object.keys(LIST_FIELDS) as ListField[]) checkList(errors, k, f[k]);

  const routines = filledRoutines(f);
  if (routines.length > ITEMS_MAX)
    errors.routines = { key: 'tooManyItems', values: { max: ITEMS_MAX, count: routines.length } };
  const seen = new Set<string>();
  f.routines.forEach((r, i) => {
    const when = r.when.trim();
    const what = r.what.trim();
    if (!when && !what) return;
    if (!when) errors[`routines.${i}.when`] = { key: 'routineName' };
    else if (charCount(when) > ROUTINE_NAME_MAX)
      errors[`routines.${i}.when`] = {
        key: 'tooLong',
        values: { max: ROUTINE_NAME_MAX, count: charCount(when) },
      };
    else if (seen.has(when)) errors[`routines.${i}.when`] = { key: 'routineRepeated' };
    seen.add(when);
    if (!what) errors[`routines.${i}.what`] = { key: 'routineText' };
    else if (charCount(what) > TEXT_MAX)
      errors[`routines.${i}.what`] = {
        key: 'tooLong',
        values: { max: TEXT_MAX, count: charCount(what) },
      };
  });

  const rels = filledRelationships(f);
  if (rels.length > ITEMS_MAX)
    errors.relationships = { key: 'tooManyItems', values: { max: ITEMS_MAX, count: rels.length } };
  f.relationships.forEach((r, i) => {
    const name = r.name.trim();
    const desc = r.description.trim();
    if (!name && !desc) return;
    if (!name) errors[`relationships.${i}.name`] = { key: 'relationshipName' };
    else if (charCount(name) > NAME_MAX)
      errors[`relationships.${i}.name`] = {
        key: 'tooLong',
        values: { max: NAME_MAX, count: charCount(name) },
      };
    if (charCount(desc) > TEXT_MAX)
      errors[`relationships.${i}.description`] = {
        key: 'tooLong',
        values: { max: TEXT_MAX, count: charCount(desc) },
      };
  });
  return errors;
}

/** Where the form shows an API error's field ("profile.beliefs[3]" -> "beliefs"); null when nowhere. */
export function formFieldOf(apiField: string | undefined, f: PersonaForm): string | null {
  if (!apiField) return null;
  if (apiField === 'name') return 'name';
  if (apiField === 'tags' || /^tags\[\d+\]$/.test(apiField)) return 'tags';
  if (apiField === 'demographics.age') return 'age';
  if (apiField === 'demographics.income_level') return 'income_level';
  const big5 = /^personality\.big_five\.(\w+)$/.exec(apiField);
  if (big5 && (BIG_FIVE as readonly string[]).includes(big5[1] ?? '')) return `big_five.${big5[1]}`;
  for (const [k, path] of Object.entries(TEXT_FIELDS)) if (apiField === path) return k;
  for (const [k, path] of Object.entries(LIST_FIELDS))
    if (apiField === path || apiField.startsWith(`${path}[`)) return k;
  const rel = /^profile\.relationships\[(\d+)\](?:\.(name|description))?$/.exec(apiField);
  if (rel) {
    // the API counts the rows sent (the filled ones); the form counts every row
    const sent = Number(rel[1]);
    let n = -1;
    const idx = f.relationships.findIndex((r) => {
      if (r.name.trim() || r.description.trim()) n += 1;
      return n === sent;
    });
    if (idx < 0) return 'relationships';
    return `relationships.${idx}.${rel[2] ?? 'name'}`;
  }
  if (apiField === 'profile.relationships') return 'relationships';
  const routine = /^profile\.behaviors\.routines(?:\.(.+))?$/.exec(apiField);
  if (routine) {
    const idx = routine[1] ? f.routines.findIndex((r) => r.when.trim() === routine[1]) : -1;
    return idx >= 0 ? `routines.${idx}.what` : 'routines';
  }
  if (apiField.startsWith('personality')) return 'traits';
  if (apiField.startsWith('profile.behaviors')) return 'behaviors';
  return null;
}

/** The API's field message in the form's words when it is one it knows, else its own text. */
export function apiFieldError(message: string): FieldError {
  const colon = message.indexOf(': ');
  const path = colon > 0 ? message.slice(0, colon) : '';
  const m = colon > 0 ? message.slice(colon + 2) : message;
  let r: RegExpExecArray | null;
  if (path === 'name' && /needs a name|must not be empty/.test(m)) return { key: 'nameRequired' };
  if (/relationships\[\d+\]\.name$/.test(path) && /is required|must not be empty/.test(m))
    return { key: 'relationshipName' };
  if ((r = /out of range \((\d+)\.\.(\d+)\)/.exec(m)))
    return { key: 'ageRange', values: { min: Number(r[1]), max: Number(r[2]) } };
  if ((r = /^is required \((\d+)\.\.(\d+)\)/.exec(m)))
    return { key: 'ageRequired', values: { min: Number(r[1]), max: Number(r[2]) } };
  if ((r = /(\d+) characters is too long \(at most (\d+)\)/.exec(m)))
    return { key: 'tooLong', values: { count: Number(r[1]), max: Number(r[2]) } };
  if ((r = /(\d+) items is too many \(at most (\d+)\)/.exec(m)))
    return { key: 'tooManyItems', values: { count: Number(r[1]), max: Number(r[2]) } };
  if (/not a language tag/.test(m)) return { key: 'languageTag' };
  if (/must be low, lower_middle/.test(m)) return { key: 'income' };
  if (/must be low, medium or high/.test(m)) return { key: 'level' };
  if (/must not be empty/.test(m)) return { key: 'itemEmpty' };
  return { key: 'raw', raw: message };
}
