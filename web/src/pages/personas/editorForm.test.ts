import { describe, expect, it } from 'vitest';
import type { PersonaDetail } from '../../api/personas';
import {
  apiFieldError,
  emptyForm,
  formFieldOf,
  formFromPersona,
  formToInput,
  isLanguageTag,
  linesOf,
  rowKey,
  tagsOf,
  validateForm,
  type PersonaForm,
} from './editorForm';

/** A persona with every field, as GET /api/personas/:id answers it. */
const FULL: PersonaDetail = {
  id: 'p1',
  type: 'custom',
  template_id: null,
  tags: ['healthcare', 'pl'],
  validation: null,
  workspace_id: 'w1',
  created_at: '2026-11-26T06:38:21.535Z',
  updated_at: '2026-11-26T06:38:21.535Z',
  name: 'Agnieszka Wójcik',
  demographics: {
    age: 30,
    gender: 'female',
    location: 'Kraków, Poland',
    occupation: 'nurse',
    income_level: 'lower_middle',
    nationality: 'Polish',
    education: "master's degree in nursing",
    language: 'pl',
  },
  personality: {
    traits: ['compassionate', 'practical'],
    interests: ['hiking'],
    values: ['care'],
    big_five: { openness: 'medium', conscientiousness: 'high', neuroticism: 'low' },
  },
  profile: {
    occupation_detail: { organization: 'a hospital', description: 'Shifts' },
    style: 'Plain',
    long_term_goals: ['buy a flat'],
    beliefs: ['Nurses are underpaid'],
    likes: ['Zakopane'],
    dislikes: ['paperwork'],
    skills: ['ECG'],
    behaviors: { general: ['Pays with BLIK'], routines: { evening: 'Crochet', morning: 'Coffee' } },
    health: 'Back pain',
    relationships: [{ name: 'Tomek', description: 'boyfriend' }, { name: 'Halina' }],
    other_facts: ['Climbed Rysy'],
  },
};

function form(patch: Partial<PersonaForm>): PersonaForm {
  return { ...emptyForm(), name: 'Ana', age: '30', ...patch };
}

describe('the persona form and the API', () => {
  it('a persona read into the form comes back as the same fields (a PUT replaces them all)', () => {
    const input = formToInput(formFromPersona(FULL));
    expect(input).toEqual({
      name: FULL.name,
      demographics: FULL.demographics,
      personality: FULL.personality,
      profile: FULL.profile,
      tags: FULL.tags,
    });
  });

  it('leaves empty fields, blank lines and blank rows out, and trims', () => {
    const f = form({
      name: '  Ana  ',
      age: ' 41 ',
      gender: '   ',
      traits: 'warm\n\n  shy  \n',
      routines: [
        { key: rowKey(), when: '', what: '' },
        { key: rowKey(), when: ' night ', what: ' Reads ' },
      ],
      relationships: [{ key: rowKey(), name: ' Rui ', description: '' }],
      tags: 'a, , b, A',
    });
    expect(formToInput(f)).toEqual({
      name: 'Ana',
      demographics: { age: 41 },
      personality: { traits: ['warm', 'shy'] },
      profile: { behaviors: { routines: { night: 'Reads' } }, relationships: [{ name: 'Rui' }] },
      tags: ['a', 'b'],
    });
  });

  it('sends only the tags when the plan cannot change the fields', () => {
    expect(formToInput(form({ tags: 'x, y' }), { fields: false })).toEqual({ tags: ['x', 'y'] });
  });

  it('lists and tags', () => {
    expect(linesOf(' a \n\nb')).toEqual(['a', 'b']);
    expect(tagsOf('Food, food ,drink,')).toEqual(['Food', 'drink']);
  });
});

describe('the checks, as the API makes them', () => {
  it('a name and an age from 18 to 100 are required', () => {
    expect(validateForm(form({}))).toEqual({});
    expect(validateForm(form({ name: '  ' })).name?.key).toBe('nameRequired');
    expect(validateForm(form({ name: 'x'.repeat(201) })).name?.key).toBe('tooLong');
    expect(validateForm(form({ age: '' })).age?.key).toBe('ageRequired');
    expect(validateForm(form({ age: '12' })).age).toEqual({
      key: 'ageRange',
      values: { min: 18, max: 100 },
    });
    expect(validateForm(form({ age: '101' })).age?.key).toBe('ageRange');
    expect(validateForm(form({ age: '30.5' })).age?.key).toBe('ageWhole');
    expect(validateForm(form({ age: '18' }))).toEqual({});
    expect(validateForm(form({ age: '100' }))).toEqual({});
  });

  it('texts up to 2000 characters (counted as the API counts: code points)', () => {
    expect(validateForm(form({ style: 'é'.repeat(2000) }))).toEqual({});
    expect(validateForm(form({ style: '😀'.repeat(2000) }))).toEqual({});
    expect(validateForm(form({ health: 'x'.repeat(2001) })).health?.key).toBe('tooLong');
  });

  it('lists of at most 100 items of at most 2000 characters', () => {
    const many = Array.from({ length: 101 }, (_, i) => `item ${i}`).join('\n');
    expect(validateForm(form({ beliefs: many })).beliefs?.key).toBe('tooManyItems');
    expect(validateForm(form({ likes: `ok\n${'x'.repeat(2001)}` })).likes).toEqual({
      key: 'itemTooLong',
      values: { line: 2, max: 2000 },
    });
  });

  it('a language tag, and levels from their lists', () => {
    expect(isLanguageTag('en')).toBe(true);
    expect(isLanguageTag('pt-BR')).toBe(true);
    expect(isLanguageTag('zh-Hant-TW')).toBe(true);
    expect(isLanguageTag('english')).toBe(false);
    expect(isLanguageTag('e')).toBe(false);
    expect(validateForm(form({ language: 'Portuguese' })).language?.key).toBe('languageTag');
    expect(
      validateForm(form({ income_level: 'rich' as PersonaForm['income_level'] })).income_level?.key,
    ).toBe('income');
  });

  it('routines need a name (unique, at most 100) and a text; people need a name', () => {
    const errors = validateForm(
      form({
        routines: [
          { key: 'a', when: '', what: 'Runs' },
          { key: 'b', when: 'morning', what: '' },
          { key: 'c', when: 'morning', what: 'Tea' },
          { key: 'd', when: 'x'.repeat(101), what: 'Tea' },
        ],
        relationships: [
          { key: 'e', name: '', description: 'sister' },
          { key: 'f', name: '', description: '' },
        ],
      }),
    );
    expect(Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.key]))).toEqual({
      'routines.0.when': 'routineName',
      'routines.1.what': 'routineText',
      'routines.2.when': 'routineRepeated',
      'routines.3.when': 'tooLong',
      'relationships.0.name': 'relationshipName',
    });
  });

  it('at most 20 tags of at most 40 characters; tags only when the fields are locked', () => {
    const many = Array.from({ length: 21 }, (_, i) => `t${i}`).join(',');
    expect(validateForm(form({ tags: many })).tags?.key).toBe('tooManyTags');
    expect(validateForm(form({ tags: 'x'.repeat(41) })).tags?.key).toBe('tagTooLong');
    expect(validateForm(form({ name: '', tags: 'ok' }), { fields: false })).toEqual({});
  });
});

describe("the API's 400 at its field", () => {
  const f = form({
    relationships: [
      { key: 'a', name: '', description: '' },
      { key: 'b', name: 'Rui', description: '' },
    ],
    routines: [{ key: 'c', when: 'evening', what: 'Reads' }],
  });

  it('maps the field paths of the API to the form', () => {
    expect(formFieldOf('name', f)).toBe('name');
    expect(formFieldOf('demographics.age', f)).toBe('age');
    expect(formFieldOf('demographics.language', f)).toBe('language');
    expect(formFieldOf('demographics.income_level', f)).toBe('income_level');
    expect(formFieldOf('personality.big_five.openness', f)).toBe('big_five.openness');
    expect(formFieldOf('personality.traits[3]', f)).toBe('traits');
    expect(formFieldOf('profile.occupation_detail.organization', f)).toBe('organization');
    expect(formFieldOf('profile.behaviors.general[0]', f)).toBe('behaviors');
    expect(formFieldOf('profile.behaviors.routines.evening', f)).toBe('routines.0.what');
    expect(formFieldOf('profile.behaviors.routines', f)).toBe('routines');
    // the API counts the rows it was sent (blank rows are not)
    expect(formFieldOf('profile.relationships[0].name', f)).toBe('relationships.1.name');
    expect(formFieldOf('tags[2]', f)).toBe('tags');
    expect(formFieldOf('custom_personas', f)).toBeNull();
    expect(formFieldOf(undefined, f)).toBeNull();
  });

  it("says the API's messages in the form's words, or as they are", () => {
    expect(apiFieldError('demographics.age: 12 is out of range (18..100)')).toEqual({
      key: 'ageRange',
      values: { min: 18, max: 100 },
    });
    expect(apiFieldError('demographics.age: is required (18..100)').key).toBe('ageRequired');
    expect(apiFieldError('name: a persona needs a name').key).toBe('nameRequired');
    expect(apiFieldError('profile.style: 2300 characters is too long (at most 2000)')).toEqual({
      key: 'tooLong',
      values: { count: 2300, max: 2000 },
    });
    expect(apiFieldError("demographics.language: 'xx_1' is not a language tag").key).toBe(
      'languageTag',
    );
    expect(apiFieldError('profile.relationships[0].name: is required').key).toBe(
      'relationshipName',
    );
    expect(apiFieldError('profile.mood: unknown field')).toEqual({
      key: 'raw',
      raw: 'profile.mood: unknown field',
    });
  });
});
