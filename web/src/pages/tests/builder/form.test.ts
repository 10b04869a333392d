import { describe, expect, it } from 'vitest';
import type { TestInput } from '../../../api/tests';
import { setupI18n } from '../../../i18n';
import { withExample } from './examples';
import {
  criteriaEnv,
  emptyForm,
  formFromTest,
  newQuestion,
  newVariant,
  nextId,
  nextVariantId,
  specFromForm,
  valueAt,
  withType,
  type BuilderForm,
} from './form';
import { validateForm } from './validate';

/** The repository's examples/*.json: a test of each type, as the API takes it. */
const files = import.meta.glob<TestInput>('../../../../../examples/*.json', {
  eager: true,
  import: 'default',
});
const examples: [string, TestInput][] = Object.entries(files).map(([path, test]) => [
  path.slice(path.lastIndexOf('/') + 1),
  test,
]);

/** The API's canonical defaults, which a saved test comes back with. */
function canonical(t: TestInput): TestInput {
  const c = t.config;
  return {
    ...t,
    config: {
      ...c,
      scenarios: c.scenarios.map((s) => ({ ...s, questions: s.questions ?? [] })),
      timeout: c.timeout ?? 600,
      elicitation: c.elicitation ?? 'direct',
      samples: c.samples ?? 1,
    },
  };
}

describe('the form and the test it stands for', () => {
  it('has every example of the repository (one per type)', () => {
    expect(examples.map(([, t]) => t.type).sort()).toEqual(
      expect.arrayContaining(['focus_group', 'journey', 'message', 'product']),
    );
  });

  it.each(examples)('%s: read into the form and written back, unchanged', (_, test) => {
    const form = formFromTest(test);
    expect(specFromForm(form)).toEqual(canonical(test));
  });

  it.each(examples)("%s: passes the builder's checks as the API accepts it", (_, test) => {
    expect(validateForm(formFromTest(test), { canGenerate: true })).toEqual({});
  });

  it('reads criteria back into guided fields when it can, else as expressions', () => {
    const msg = examples.find(([f]) => f.startsWith('message'))![1];
    const form = formFromTest({
      ...msg,
      config: {
        ...msg.config,
        success_criteria: [
          ...(msg.config.success_criteria ?? []),
          'mean(appeal) >= 4 or winner == "A"',
        ],
      },
    });
    expect(form.criteria.map((c) => c.mode)).toEqual(['guided', 'guided', 'guided', 'text']);
    expect(form.criteria[2]!.guided).toEqual({
      type: 'share',
      question: 'click',
      answerOp: '==',
      answer: 'yes',
      op: '>=',
      percent: '50',
    });
  });

  it('writes a message test: variants, the panel, parameters given and nothing else', () => {
    let form: BuilderForm = withType({ ...emptyForm(), name: '  Ad  ' }, 'message');
    const s = form.scenarios[0]!;
    form = {
      ...form,
      personaIds: ['p1', 'p2'],
      scenarios: [
        {
          ...s,
          stimulus: ' An ad ',
          variants: s.variants.map((v, i) => ({ ...v, stimulus: `copy ${i}` })),
          questions: [{ ...newQuestion('rating', 'appeal', 'How appealing?'), scaleMax: '7' }],
        },
      ],
      params: { ...form.params, seed: '7', temperature: '0.5' },
    };
    expect(specFromForm(form)).toEqual({
      name: 'Ad',
      type: 'message',
      config: {
        personas: ['p1', 'p2'],
        scenarios: [
          {
            id: 'message',
            stimulus: 'An ad',
            variants: [
              { id: 'A', stimulus: 'copy 0' },
              { id: 'B', stimulus: 'copy 1' },
            ],
            questions: [
              { id: 'appeal', kind: 'rating', prompt: 'How appealing?', scale: { min: 1, max: 7 } },
            ],
          },
        ],
        timeout: 600,
        seed: 7,
        model: { temperature: 0.5 },
        elicitation: 'direct',
        samples: 1,
      },
    });
  });

  it('keeps the variants aside for a journey, and brings them back for a message test', () => {
    const msg = withType(emptyForm(), 'message');
    const journey = withType(msg, 'journey');
    expect(journey.scenarios[0]!.variants).toHaveLength(2);
    expect(specFromForm(journey).config.scenarios[0]!.variants).toBeUndefined();
    expect(specFromForm(withType(journey, 'message')).config.scenarios[0]!.variants).toHaveLength(
      2,
    );
  });

  it('starts each type as it needs: steps, variants, a moderator', () => {
    expect(withType(emptyForm(), 'journey').scenarios.map((s) => s.id)).toEqual(['step1', 'step2']);
    expect(withType(emptyForm(), 'message').scenarios[0]!.variants.map((v) => v.id)).toEqual([
      'A',
      'B',
    ]);
    const fg = withType(emptyForm(), 'focus_group');
    expect(fg.moderatorQuestions).toHaveLength(1);
    expect(specFromForm(fg).config.moderator).toEqual({ questions: [''], rounds: 2 });
    expect(specFromForm(withType(fg, 'product')).config.moderator).toBeUndefined();
  });

  it('writes each kind of panel', () => {
    const base = emptyForm();
    const panel = (f: Partial<BuilderForm>) => {
      const c = specFromForm({ ...base, ...f }).config;
      return { personas: c.personas, panel: c.panel };
    };
    expect(panel({ panelMode: 'library', libraryId: 'L' })).toEqual({
      personas: undefined,
      panel: { library_id: 'L' },
    });
    expect(panel({ panelMode: 'templates' }).panel).toEqual({ templates: 'all' });
    expect(
      panel({ panelMode: 'generate', generateCount: '8', generateDescription: ' commuters ' })
        .panel,
    ).toEqual({
      generate: 8,
      description: 'commuters',
    });
    expect(
      panel({
        panelMode: 'filter',
        filter: { ...base.filter, country: 'Brazil', age_min: '25', age_max: '', tags: 'a, b,,' },
      }).panel,
    ).toEqual({ filter: { country: 'Brazil', age_min: 25, tag: ['a', 'b'] } });
  });

  it('knows the questions and variants criteria may name', () => {
    const test = examples.find(([f]) => f.startsWith('focus'))![1];
    const env = criteriaEnv(formFromTest(test));
    expect(env.questions).toEqual([
      { id: 'interest', kind: 'rating', scale: { min: 1, max: 10 } },
      {
        id: 'plan',
        kind: 'choice',
        options: ['every week', 'every two weeks', 'once a month', 'none'],
      },
    ]);
    expect(env.variants).toEqual([]);
  });

  it('finds the value at an API path', () => {
    const spec = specFromForm(formFromTest(examples.find(([f]) => f.startsWith('journey'))![1]));
    expect(valueAt(spec, 'config.scenarios[2].questions[1].id')).toBe('confusing');
    expect(valueAt(spec, 'config.scenarios[0].questions[0].scale.max')).toBe(5);
    expect(valueAt(spec, 'config.scenarios[9].id')).toBeUndefined();
    expect(valueAt(spec, 'name')).toBe('Bank app onboarding');
  });

  it('names new variants and ids in order', () => {
    expect(nextVariantId(['A', 'B'])).toBe('C');
    expect(nextVariantId(['B'])).toBe('A');
    expect(nextId('q', ['q1', 'q3'])).toBe('q2');
    expect(newVariant('A').key).not.toBe(newVariant('A').key);
  });
});

describe('the examples offered in the builder', () => {
  it.each(['en', 'pt-BR'] as const)('are valid tests in %s, for every type', (lng) => {
    const t = setupI18n(lng).getFixedT(lng);
    for (const type of ['product', 'message', 'journey', 'focus_group'] as const) {
      const form = withExample({ ...emptyForm(), panelMode: 'templates', personaIds: [] }, type, t);
      expect(validateForm(form, { canGenerate: false }), `${lng} ${type}`).toEqual({});
      expect(form.name).not.toBe('');
      expect(form.criteria.length).toBeGreaterThan(0);
    }
  });

  it('keep the name the user typed', () => {
    const t = setupI18n('en').getFixedT('en');
    expect(withExample({ ...emptyForm(), name: 'Mine' }, 'product', t).name).toBe('Mine');
  });
});
