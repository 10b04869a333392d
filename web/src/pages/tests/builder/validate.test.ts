import { describe, expect, it } from 'vitest';
import { setupI18n } from '../../../i18n';
import {
  emptyForm,
  newKey,
  newQuestion,
  newScenario,
  newVariant,
  withType,
  type BuilderForm,
  type CriterionForm,
} from './form';
import { issuesOf, issueText, stepOf, validateForm } from './validate';

/** A valid product test: one scenario, a rating and a yes/no, three personas. */
function product(): BuilderForm {
  const f = withType({ ...emptyForm(), name: 'Meal kit' }, 'product');
  const s = f.scenarios[0]!;
  return {
    ...f,
    personaIds: ['a', 'b', 'c'],
    scenarios: [
      {
        ...s,
        stimulus: 'FreshBox: 3 dinners a week.',
        questions: [
          { ...newQuestion('rating', 'appeal', 'How appealing?'), scaleMax: '7' },
          newQuestion('yes_no', 'buy', 'Would you subscribe?'),
        ],
      },
    ],
  };
}

const keys = (f: BuilderForm, ctx = {}) =>
  Object.fromEntries(Object.entries(validateForm(f, ctx)).map(([p, i]) => [p, i.key]));

const criterion = (text: string): CriterionForm => ({
  key: newKey(),
  mode: 'text',
  text,
  guided: { type: 'winner', variant: '' },
});

describe('validateForm: the API rules, by the path the API names', () => {
  it('a complete test has no issue', () => {
    expect(validateForm(product())).toEqual({});
  });

  it('a blank form: the name and the type', () => {
    expect(keys(emptyForm())).toMatchObject({
      name: 'builder.v.required',
      type: 'builder.v.pickType',
      'config.scenarios': 'builder.v.scenariosNone',
      'config.personas': 'builder.v.personasNone',
    });
  });

  it('names are at most 200 characters, counted as characters', () => {
    expect(keys({ ...product(), name: 'é'.repeat(200) })).toEqual({});
    expect(keys({ ...product(), name: 'x'.repeat(201) })).toEqual({ name: 'builder.v.tooLong' });
  });

  it('ids: the pattern and uniqueness', () => {
    const f = product();
    f.scenarios[0]!.questions[1]!.id = 'appeal';
    f.scenarios[0]!.id = 'has space';
    expect(keys(f)).toEqual({
      'config.scenarios[0].id': 'builder.v.idFormat',
      'config.scenarios[0].questions[1].id': 'builder.v.idTaken',
    });
  });

  it("a rating's scale: whole numbers from -100 to 100, min below max", () => {
    const scale = (min: string, max: string) => {
      const f = product();
      f.scenarios[0]!.questions[0] = {
        ...f.scenarios[0]!.questions[0]!,
        scaleMin: min,
        scaleMax: max,
      };
      return keys(f);
    };
    expect(scale('1', '1')).toEqual({
      'config.scenarios[0].questions[0].scale.max': 'builder.v.scaleOrder',
    });
    expect(scale('0', '101')).toEqual({
      'config.scenarios[0].questions[0].scale.max': 'builder.v.range',
    });
    expect(scale('1.5', '5')).toEqual({
      'config.scenarios[0].questions[0].scale.min': 'builder.v.integer',
    });
    expect(scale('-100', '100')).toEqual({});
  });

  it('choices: 2 to 20 options, each once ignoring case', () => {
    const f = product();
    const q = newQuestion('choice', 'price', 'The price is…');
    q.options = [
      { key: newKey(), text: 'Fair' },
      { key: newKey(), text: 'fair' },
      { key: newKey(), text: ' ' },
    ];
    f.scenarios[0]!.questions.push(q);
    expect(keys(f)).toEqual({
      'config.scenarios[0].questions[2].options[1]': 'builder.v.optionTaken',
      'config.scenarios[0].questions[2].options[2]': 'builder.v.required',
    });
    q.options = [{ key: newKey(), text: 'only' }];
    expect(keys(f)).toEqual({
      'config.scenarios[0].questions[2].options': 'builder.v.optionsCount',
    });
  });

  it('product and message tests need a question in every scenario', () => {
    const f = product();
    f.scenarios[0]!.questions = [];
    expect(keys(f)).toEqual({ 'config.scenarios[0].questions': 'builder.v.questionsRequired' });
    expect(keys({ ...withType(f, 'journey') })).not.toHaveProperty('config.scenarios[0].questions');
  });

  it('variants: a message test needs 2 to 10 everywhere, a product none or 2 to 10', () => {
    const f = product();
    f.scenarios[0]!.variants = [newVariant('A', 'one')];
    expect(keys(f)).toEqual({ 'config.scenarios[0].variants': 'builder.v.variantsCount' });
    const m = { ...f, type: 'message' as const };
    m.scenarios = [{ ...f.scenarios[0]!, variants: [] }];
    expect(keys(m)).toEqual({ 'config.scenarios[0].variants': 'builder.v.variantsRequired' });
    m.scenarios[0]!.variants = [newVariant('A', 'a'), newVariant('A', 'b')];
    expect(keys(m)).toEqual({ 'config.scenarios[0].variants[1].id': 'builder.v.idTaken' });
    // a journey's variants are kept aside, not checked
    expect(keys({ ...m, type: 'journey' })).toEqual({});
  });

  it('a question id asked in two scenarios keeps one kind and one scale', () => {
    const f = withType(product(), 'journey');
    const second = {
      ...newScenario('step2'),
      stimulus: 'Next step',
      questions: [newQuestion('yes_no', 'appeal', 'Easy?')],
    };
    f.scenarios = [f.scenarios[0]!, second];
    expect(keys(f)).toEqual({ 'config.scenarios[1].questions[0].kind': 'builder.v.kindClash' });
    second.questions = [{ ...newQuestion('rating', 'appeal', 'Easy?'), scaleMax: '5' }];
    expect(keys(f)).toEqual({ 'config.scenarios[1].questions[0].scale': 'builder.v.scaleClash' });
  });

  it('a focus group: a moderator, and 2 to 20 personas', () => {
    const f = withType(product(), 'focus_group');
    expect(keys(f)).toEqual({ 'config.moderator.questions[0]': 'builder.v.required' });
    f.moderatorQuestions = [{ key: newKey(), text: 'First reaction?' }];
    f.moderatorRounds = '11';
    f.personaIds = ['a'];
    expect(keys(f)).toEqual({
      'config.moderator.rounds': 'builder.v.range',
      'config.personas': 'builder.v.focusGroupSeats',
    });
    f.moderatorQuestions = [];
    expect(keys(f)).toHaveProperty('config.moderator.questions', 'builder.v.moderatorCount');
  });

  it('panels: a library chosen, a filter with ages in order, a generated panel on a plan that allows it', () => {
    const f = product();
    expect(keys({ ...f, panelMode: 'library' })).toEqual({
      'config.panel.library_id': 'builder.v.pickLibrary',
    });
    expect(
      keys({ ...f, panelMode: 'filter', filter: { ...f.filter, age_min: '40', age_max: '30' } }),
    ).toEqual({ 'config.panel.filter.age_max': 'builder.v.ageOrder' });
    expect(keys({ ...f, panelMode: 'filter', filter: { ...f.filter, age_min: '17' } })).toEqual({
      'config.panel.filter.age_min': 'builder.v.range',
    });
    expect(keys({ ...f, panelMode: 'filter', filter: { ...f.filter, tags: 'A, a' } })).toEqual({
      'config.panel.filter.tag': 'builder.v.tagTwice',
    });
    const gen = { ...f, panelMode: 'generate' as const, generateDescription: 'commuters' };
    expect(keys(gen, { canGenerate: false })).toEqual({
      'config.panel.generate': 'builder.v.generateGate',
    });
    expect(keys({ ...gen, generateCount: '1001' }, { canGenerate: true })).toEqual({
      'config.panel.generate': 'builder.v.range',
    });
    expect(keys({ ...gen, generateDescription: '' }, {})).toEqual({
      'config.panel.description': 'builder.v.required',
    });
    expect(keys({ ...f, panelMode: 'templates', personaIds: [] })).toEqual({});
  });

  it('parameters within the API bounds', () => {
    const f = product();
    f.params = {
      ...f.params,
      timeout: '0',
      seed: '-1',
      samples: '11',
      concurrency: '257',
      temperature: '2.5',
      modelName: 'x'.repeat(101),
      environment: 'y'.repeat(201),
    };
    expect(keys(f)).toEqual({
      'config.timeout': 'builder.v.range',
      'config.seed': 'builder.v.range',
      'config.samples': 'builder.v.range',
      'config.model.concurrency': 'builder.v.range',
      'config.model.temperature': 'builder.v.range',
      'config.model.name': 'builder.v.tooLong',
      'config.environment': 'builder.v.tooLong',
    });
    f.params = {
      ...f.params,
      timeout: '',
      seed: String(2 ** 53),
      samples: '',
      concurrency: '',
      temperature: '0',
      modelName: '',
      environment: '',
    };
    expect(keys(f)).toEqual({});
  });

  it('criteria: each checked against the questions; a guided one names its field', () => {
    const f = product();
    f.criteria = [criterion('mean(appeal) >= 4'), criterion('mean(apeal) >= 4'), criterion('')];
    f.criteria.push({
      key: newKey(),
      mode: 'guided',
      text: '',
      guided: { type: 'stat', fn: 'mean', question: 'appeal', op: '>=', value: '9' },
    });
    const issues = validateForm(f);
    expect(issues['config.success_criteria[1]']).toMatchObject({
      key: 'builder.criteria.err.unknownQuestion',
      params: { column: 6 },
    });
    expect(issues['config.success_criteria[2]']?.key).toBe('builder.criteria.err.empty');
    expect(issues['config.success_criteria[3]']).toMatchObject({
      key: 'builder.criteria.err.outOfScale',
      field: 'value',
    });
    expect(issues).not.toHaveProperty('config.success_criteria[0]');
  });

  it('a criterion on a question renamed since is caught', () => {
    const f = product();
    f.criteria = [criterion('share(buy == "yes") >= 0.4')];
    expect(validateForm(f)).toEqual({});
    f.scenarios[0]!.questions[1]!.id = 'subscribe';
    expect(Object.keys(validateForm(f))).toEqual(['config.success_criteria[0]']);
  });
});

describe('stepOf: where the field at an API path is edited', () => {
  it.each([
    ['name', 'basics'],
    ['type', 'basics'],
    ['project_id', 'basics'],
    ['config.scenarios', 'stimuli'],
    ['config.scenarios[0].stimulus', 'stimuli'],
    ['config.scenarios[3].variants[1].id', 'stimuli'],
    ['config.scenarios[0].questions', 'questions'],
    ['config.scenarios[2].questions[1].scale.max', 'questions'],
    ['config.moderator.rounds', 'questions'],
    ['config.personas', 'panel'],
    ['config.personas[4]', 'panel'],
    ['config.panel.filter.age_max', 'panel'],
    ['custom_personas', 'panel'],
    ['config.timeout', 'parameters'],
    ['config.model.temperature', 'parameters'],
    ['config.success_criteria[1]', 'criteria'],
  ])('%s is on the %s step', (path, step) => {
    expect(stepOf(path)).toBe(step);
  });

  it('issuesOf keeps one step', () => {
    const issues = validateForm(emptyForm());
    expect(Object.keys(issuesOf(issues, 'basics')).sort()).toEqual(['name', 'type']);
  });
});

describe('issueText', () => {
  it('translates an issue, with its kind and what was expected, in both languages', () => {
    const t = setupI18n('en').getFixedT('en');
    expect(
      issueText(
        {
          key: 'builder.criteria.err.statNeedsRating',
          params: { column: 6, fn: 'mean', id: 'buy', kind: 'yes_no' },
        },
        t,
      ),
    ).toBe('Column 6: mean needs a rating question, and “buy” is a Yes / no question.');
    expect(
      issueText(
        {
          key: 'builder.criteria.err.unexpected',
          params: { column: 6, found: 'appeal', expected: 'open', fn: 'mean' },
        },
        t,
      ),
    ).toBe('Column 6: unexpected “appeal”: expected ( after mean.');
    expect(
      issueText(
        { key: 'builder.criteria.err.badChar', params: { column: 3, char: '&', hint: 'and' } },
        t,
      ),
    ).toBe('Column 3: unexpected character “&” (write and).');
    const pt = setupI18n('pt-BR').getFixedT('pt-BR');
    expect(issueText({ key: 'builder.v.range', params: { min: 0, max: 2 } }, pt)).toBe('De 0 a 2.');
  });
});
