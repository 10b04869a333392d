/*
 * The test builder's state and the test it stands for. The form keeps what
 * the user typed (numbers as text, items with stable keys, the parts of
 * other test types kept aside), and specFromForm writes the test the API
 * takes (docs/openapi.yaml TestInput) - its arrays in the form's order, so
 * that a path the API names (config.scenarios[0].questions[2].scale.max)
 * is the form's item at the same place. formFromTest reads a saved test back.
 */
import type {
  PanelFilter,
  PanelSpec,
  QuestionKind,
  QuestionSpec,
  ScenarioSpec,
  Test,
  TestConfig,
  TestInput,
} from '../../../api/tests';
import type { TestType } from '../../../api/types';
import { guidedFromText, guidedText, type CriteriaEnv, type Guided } from './criteria';

export const TEST_TYPES: TestType[] = ['product', 'message', 'journey', 'focus_group'];
export const QUESTION_KINDS: QuestionKind[] = ['rating', 'yes_no', 'choice', 'ranking', 'text'];
export type PanelMode = 'personas' | 'library' | 'filter' | 'templates' | 'generate';
export const PANEL_MODES: PanelMode[] = ['personas', 'library', 'filter', 'templates', 'generate'];

let nextKey = 0;
/** A key for a list item (React's key; never sent). */
export function newKey(): string {
  nextKey += 1;
  return `k${nextKey}`;
}

export interface QuestionForm {
  key: string;
  id: string;
  kind: QuestionKind;
  prompt: string;
  scaleMin: string;
  scaleMax: string;
  options: { key: string; text: string }[];
}

export interface VariantForm {
  key: string;
  id: string;
  stimulus: string;
}

export interface ScenarioForm {
  key: string;
  id: string;
  title: string;
  stimulus: string;
  imageUrl: string;
  variants: VariantForm[];
  questions: QuestionForm[];
}

export interface FilterForm {
  q: string;
  gender: string;
  country: string;
  occupation: string;
  income_level: string;
  language: string;
  type: string;
  age_min: string;
  age_max: string;
  /** comma-separated */
  tags: string;
}

export interface CriterionForm {
  key: string;
  mode: 'guided' | 'text';
  guided: Guided;
  text: string;
}

export interface ParamsForm {
  modelName: string;
  temperature: string;
  concurrency: string;
  seed: string;
  samples: string;
  elicitation: 'direct' | 'ssr';
  timeout: string;
  environment: string;
}

export interface BuilderForm {
  name: string;
  type: TestType | '';
  projectId: string;
  scenarios: ScenarioForm[];
  moderatorQuestions: { key: string; text: string }[];
  moderatorRounds: string;
  panelMode: PanelMode;
  personaIds: string[];
  libraryId: string;
  filter: FilterForm;
  generateCount: string;
  generateDescription: string;
  params: ParamsForm;
  criteria: CriterionForm[];
}

export const EMPTY_FILTER: FilterForm = {
  q: '',
  gender: '',
  country: '',
  occupation: '',
  income_level: '',
  language: '',
  type: '',
  age_min: '',
  age_max: '',
  tags: '',
};

export const DEFAULT_PARAMS: ParamsForm = {
  modelName: '',
  temperature: '',
  concurrency: '',
  seed: '',
  samples: '1',
  elicitation: 'direct',
  timeout: '600',
  environment: '',
};

export function newQuestion(kind: QuestionKind, id: string, prompt = ''): QuestionForm {
  return {
    key: newKey(),
    id,
    kind,
    prompt,
    scaleMin: '1',
    scaleMax: '10',
    options:
      kind === 'choice' || kind === 'ranking'
        ? [
            { key: newKey(), text: '' },
            { key: newKey(), text: '' },
          ]
        : [],
  };
}

export function newVariant(id: string, stimulus = ''): VariantForm {
  return { key: newKey(), id, stimulus };
}

export function newScenario(id: string): ScenarioForm {
  return { key: newKey(), id, title: '', stimulus: '', imageUrl: '', variants: [], questions: [] };
}

/** A, B, ..., Z, then V27...: the first variant id not taken. */
export function nextVariantId(taken: string[]): string {
  for (let i = 0; i < 26; i++) {
    const id = String.fromCharCode(65 + i);
    if (!taken.includes(id)) return id;
  }
  let n = 27;
  while (taken.includes(`V${n}`)) n++;
  return `V${n}`;
}

/** prefix1, prefix2, ...: the first id not taken. */
export function nextId(prefix: string, taken: string[]): string {
  let n = 1;
  while (taken.includes(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

export function emptyForm(): BuilderForm {
  return {
    name: '',
    type: '',
    projectId: '',
    scenarios: [],
    moderatorQuestions: [],
    moderatorRounds: '2',
    panelMode: 'personas',
    personaIds: [],
    libraryId: '',
    filter: { ...EMPTY_FILTER },
    generateCount: '10',
    generateDescription: '',
    params: { ...DEFAULT_PARAMS },
    criteria: [],
  };
}

/**
 * The form made ready for a type: a message test's scenarios get variants A
 * and B, a journey starts with two steps, a focus group with a moderator's
 * question. What is there already is kept (variants of a journey stay aside
 * and come back if the type is changed again).
 */
export function withType(form: BuilderForm, type: TestType): BuilderForm {
  let scenarios = form.scenarios;
  if (scenarios.length === 0) {
    scenarios =
      type === 'journey'
        ? [newScenario('step1'), newScenario('step2')]
        : [newScenario(type === 'message' ? 'message' : 'concept')];
  }
  if (type === 'message')
    scenarios = scenarios.map((s) => {
      if (s.variants.length >= 2) return s;
      const variants = [...s.variants];
      while (variants.length < 2)
        variants.push(newVariant(nextVariantId(variants.map((v) => v.id))));
      return { ...s, variants };
    });
  const moderatorQuestions =
    type === 'focus_group' && form.moderatorQuestions.length === 0
      ? [{ key: newKey(), text: '' }]
      : form.moderatorQuestions;
  return { ...form, type, scenarios, moderatorQuestions };
}

/** What a type does with its parts. */
export const typeRules = (type: TestType | '') => ({
  variants: type === 'product' || type === 'message',
  variantsRequired: type === 'message',
  questionsRequired: type === 'product' || type === 'message',
  moderator: type === 'focus_group',
  steps: type === 'journey',
});

const trimOrUndef = (s: string) => (s.trim() === '' ? undefined : s.trim());
const num = (s: string) => (s.trim() === '' ? undefined : Number(s.trim()));

function questionSpec(q: QuestionForm): QuestionSpec {
  const out: QuestionSpec = { id: q.id.trim(), kind: q.kind, prompt: q.prompt.trim() };
  if (q.kind === 'rating') out.scale = { min: Number(q.scaleMin), max: Number(q.scaleMax) };
  if (q.kind === 'choice' || q.kind === 'ranking')
    out.options = q.options.map((o) => o.text.trim());
  return out;
}

function scenarioSpec(s: ScenarioForm, type: TestType | ''): ScenarioSpec {
  const out: ScenarioSpec = { id: s.id.trim(), stimulus: s.stimulus.trim() };
  const title = trimOrUndef(s.title);
  if (title) out.title = title;
  const image = trimOrUndef(s.imageUrl);
  if (image) out.image_url = image;
  if (typeRules(type).variants && s.variants.length)
    out.variants = s.variants.map((v) => ({ id: v.id.trim(), stimulus: v.stimulus.trim() }));
  out.questions = s.questions.map(questionSpec);
  return out;
}

export function filterSpec(f: FilterForm): PanelFilter {
  const out: PanelFilter = {};
  for (const k of [
    'q',
    'gender',
    'country',
    'occupation',
    'income_level',
    'language',
    'type',
  ] as const) {
    const v = trimOrUndef(f[k]);
    if (v) out[k] = v;
  }
  const min = num(f.age_min);
  const max = num(f.age_max);
  if (min !== undefined) out.age_min = min;
  if (max !== undefined) out.age_max = max;
  const tags = f.tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length) out.tag = tags;
  return out;
}

function panelSpec(form: BuilderForm): { personas?: string[]; panel?: PanelSpec } {
  switch (form.panelMode) {
    case 'personas':
      return { personas: [...form.personaIds] };
    case 'library':
      return { panel: { library_id: form.libraryId } };
    case 'filter':
      return { panel: { filter: filterSpec(form.filter) } };
    case 'templates':
      return { panel: { templates: 'all' } };
    case 'generate':
      return {
        panel: {
          generate: Number(form.generateCount),
          description: form.generateDescription.trim(),
        },
      };
  }
}

/** The criteria as the API takes them, each from its guided fields or its text. */
export function criterionText(c: CriterionForm, env?: CriteriaEnv): string {
  return (c.mode === 'guided' ? guidedText(c.guided, env) : c.text).trim();
}

/** What the criteria may name: the questions (options over every scenario) and the variant ids. */
export function criteriaEnv(form: BuilderForm): CriteriaEnv {
  const questions: CriteriaEnv['questions'] = [];
  const variants: string[] = [];
  const rules = typeRules(form.type);
  for (const s of form.scenarios) {
    for (const q of s.questions) {
      const id = q.id.trim();
      if (!id) continue;
      let e = questions.find((x) => x.id === id);
      if (!e) {
        e = { id, kind: q.kind };
        if (q.kind === 'rating') {
          const min = Number(q.scaleMin);
          const max = Number(q.scaleMax);
          if (Number.isInteger(min) && Number.isInteger(max) && min < max) e.scale = { min, max };
        }
        questions.push(e);
      }
      if (e.kind === 'choice' || e.kind === 'ranking') {
        const opts = e.options ?? [];
        for (const o of q.options) {
          const t = o.text.trim();
          if (t && !opts.includes(t)) opts.push(t);
        }
        e.options = opts;
      }
    }
    if (rules.variants)
      for (const v of s.variants) {
        const id = v.id.trim();
        if (id && !variants.includes(id)) variants.push(id);
      }
  }
  return { questions, variants };
}

/** The test as POST /api/tests and PUT /api/tests/:id take it. */
export function specFromForm(form: BuilderForm): TestInput {
  const rules = typeRules(form.type);
  const env = criteriaEnv(form);
  const config: TestConfig = {
    ...panelSpec(form),
    scenarios: form.scenarios.map((s) => scenarioSpec(s, form.type)),
  };
  if (rules.moderator)
    config.moderator = {
      questions: form.moderatorQuestions.map((q) => q.text.trim()),
      rounds: Number(form.moderatorRounds),
    };
  const p = form.params;
  const env_ = trimOrUndef(p.environment);
  if (env_) config.environment = env_;
  const timeout = num(p.timeout);
  if (timeout !== undefined) config.timeout = timeout;
  const seed = num(p.seed);
  if (seed !== undefined) config.seed = seed;
  const model: NonNullable<TestConfig['model']> = {};
  const modelName = trimOrUndef(p.modelName);
  if (modelName) model.name = modelName;
  const temperature = num(p.temperature);
  if (temperature !== undefined) model.temperature = temperature;
  const concurrency = num(p.concurrency);
  if (concurrency !== undefined) model.concurrency = concurrency;
  if (Object.keys(model).length) config.model = model;
  config.elicitation = p.elicitation;
  const samples = num(p.samples);
  if (samples !== undefined) config.samples = samples;
  if (form.criteria.length)
    config.success_criteria = form.criteria.map((c) => criterionText(c, env));
  const out: TestInput = {
    name: form.name.trim(),
    type: (form.type || 'product') as TestType,
    config,
  };
  if (form.projectId) out.project_id = form.projectId;
  return out;
}

function filterForm(f: PanelFilter): FilterForm {
  return {
    q: f.q ?? '',
    gender: f.gender ?? '',
    country: f.country ?? '',
    occupation: f.occupation ?? '',
    income_level: f.income_level ?? '',
    language: f.language ?? '',
    type: f.type ?? '',
    age_min: f.age_min !== undefined ? String(f.age_min) : '',
    age_max: f.age_max !== undefined ? String(f.age_max) : '',
    tags: (f.tag ?? []).join(', '),
  };
}

/** A criterion's form: guided when its text is one of the guided shapes, else as text. */
export function criterionForm(text: string, env: CriteriaEnv): CriterionForm {
  const g = guidedFromText(text);
  // guided only when writing it again gives the same criterion (no information lost)
  if (g && guidedText(g, env).replace(/\s+/g, ' ') === text.trim().replace(/\s+/g, ' '))
    return { key: newKey(), mode: 'guided', guided: g, text };
  return {
    key: newKey(),
    mode: 'text',
    guided: g ?? { type: 'stat', fn: 'mean', question: '', op: '>=', value: '' },
    text,
  };
}

/** A saved test as the builder's form. */
export function formFromTest(
  test: Pick<Test, 'name' | 'type' | 'project_id' | 'config'>,
): BuilderForm {
  const c = test.config;
  const form = emptyForm();
  form.name = test.name;
  form.type = test.type;
  form.projectId = test.project_id ?? '';
  form.scenarios = c.scenarios.map((s) => ({
    key: newKey(),
    id: s.id,
    title: s.title ?? '',
    stimulus: s.stimulus,
    imageUrl: s.image_url ?? '',
    variants: (s.variants ?? []).map((v) => newVariant(v.id, v.stimulus)),
    questions: (s.questions ?? []).map((q) => ({
      key: newKey(),
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      scaleMin: q.scale ? String(q.scale.min) : '1',
      scaleMax: q.scale ? String(q.scale.max) : '10',
      options: (q.options ?? []).map((text) => ({ key: newKey(), text })),
    })),
  }));
  if (c.moderator) {
    form.moderatorQuestions = c.moderator.questions.map((text) => ({ key: newKey(), text }));
    form.moderatorRounds = String(c.moderator.rounds);
  }
  if (c.personas) {
    form.panelMode = 'personas';
    form.personaIds = [...c.personas];
  } else if (c.panel && 'library_id' in c.panel) {
    form.panelMode = 'library';
    form.libraryId = c.panel.library_id;
  } else if (c.panel && 'filter' in c.panel) {
    form.panelMode = 'filter';
    form.filter = filterForm(c.panel.filter);
  } else if (c.panel && 'generate' in c.panel) {
    form.panelMode = 'generate';
    form.generateCount = String(c.panel.generate);
    form.generateDescription = c.panel.description;
  } else if (c.panel && 'templates' in c.panel) {
    form.panelMode = 'templates';
  }
  form.params = {
    modelName: c.model?.name ?? '',
    temperature: c.model?.temperature !== undefined ? String(c.model.temperature) : '',
    concurrency: c.model?.concurrency !== undefined ? String(c.model.concurrency) : '',
    seed: c.seed !== undefined ? String(c.seed) : '',
    samples: c.samples !== undefined ? String(c.samples) : '1',
    elicitation: c.elicitation ?? 'direct',
    timeout: c.timeout !== undefined ? String(c.timeout) : '600',
    environment: c.environment ?? '',
  };
  const env = criteriaEnv(form);
  form.criteria = (c.success_criteria ?? []).map((text) => criterionForm(text, env));
  return form;
}

/** The value at an API path ("config.scenarios[0].questions[1].scale.max") of a spec, or undefined. */
export function valueAt(doc: unknown, path: string): unknown {
  const parts = path.match(/[^.[\]]+/g) ?? [];
  let cur: unknown = doc;
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
