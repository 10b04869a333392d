/*
 * The builder's checks, the API's rules (src/domain/test_spec.h) written
 * again so that a mistake is shown at its field before anything is sent:
 * every issue is keyed by the path the API would name
 * ("config.scenarios[0].questions[2].scale.max"), so a 400 from the API
 * and a check here land on the same field and the same wizard step.
 */
import type { TFunction } from 'i18next';
import { checkCriterion, checkGuided, CRITERIA_MAX } from './criteria';
import { criteriaEnv, criterionText, typeRules, type BuilderForm } from './form';

/** A mistake: the i18n key of its message and the message's values. */
export interface Issue {
  key: string;
  params?: Record<string, string | number>;
  /** a guided criterion's own field at fault ('question', 'value', ...) */
  field?: string;
}

export type Issues = Record<string, Issue>;

export const STEPS = [
  'basics',
  'stimuli',
  'questions',
  'panel',
  'parameters',
  'criteria',
  'review',
] as const;
export type Step = (typeof STEPS)[number];

export const LIMITS = {
  name: 200,
  scenarios: 50,
  stimulus: 10000,
  title: 200,
  url: 2048,
  variants: 10,
  questions: 30,
  prompt: 1000,
  options: 20,
  option: 200,
  scale: 100,
  personas: 5000,
  focusGroupMin: 2,
  focusGroupMax: 20,
  generate: 1000,
  description: 2000,
  rounds: 10,
  timeout: 86400,
  concurrency: 256,
  samples: 10,
  modelName: 100,
  environment: 200,
  seed: 2 ** 53,
  ageMin: 18,
  ageMax: 100,
} as const;

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const INT_RE = /^-?\d+$/;
const NUM_RE = /^-?\d+(?:\.\d+)?$/;

/** The wizard step where the field at an API path is edited. */
export function stepOf(path: string): Step {
  if (path === 'name' || path === 'type' || path === 'project_id' || path === '') return 'basics';
  if (/^config\.scenarios\[\d+\]\.questions/.test(path) || path.startsWith('config.moderator'))
    return 'questions';
  if (path.startsWith('config.scenarios')) return 'stimuli';
  if (
    path.startsWith('config.personas') ||
    path.startsWith('config.panel') ||
    path === 'custom_personas' ||
    path === 'max_personas'
  )
    return 'panel';
  if (path.startsWith('config.success_criteria')) return 'criteria';
  if (path.startsWith('config')) return 'parameters';
  return 'basics';
}

/** The issues of one step. */
export function issuesOf(issues: Issues, step: Step): Issues {
  return Object.fromEntries(Object.entries(issues).filter(([p]) => stepOf(p) === step));
}

const chars = (s: string) => Array.from(s).length;

function text(
  out: Issues,
  path: string,
  value: string,
  { min = 1, max }: { min?: number; max: number },
) {
  const v = value.trim();
  if (v.length < min) out[path] = { key: 'builder.v.required' };
  else if (chars(v) > max) out[path] = { key: 'builder.v.tooLong', params: { max } };
}

function integer(
  out: Issues,
  path: string,
  value: string,
  { min, max, required = false }: { min: number; max: number; required?: boolean },
) {
  const v = value.trim();
  if (v === '') {
    if (required) out[path] = { key: 'builder.v.required' };
    return;
  }
  if (!INT_RE.test(v)) out[path] = { key: 'builder.v.integer' };
  else if (Number(v) < min || Number(v) > max)
    out[path] = { key: 'builder.v.range', params: { min, max } };
}

function id(out: Issues, path: string, value: string, taken: string[]) {
  const v = value.trim();
  if (v === '') out[path] = { key: 'builder.v.required' };
  else if (!ID_RE.test(v)) out[path] = { key: 'builder.v.idFormat' };
  else if (taken.includes(v)) out[path] = { key: 'builder.v.idTaken', params: { id: v } };
}

export interface ValidateContext {
  /** the plan allows generated personas (custom_personas); undefined: not known yet */
  canGenerate?: boolean | undefined;
}

/** Every mistake in the form, by API path. */
export function validateForm(form: BuilderForm, ctx: ValidateContext = {}): Issues {
  const out: Issues = {};
  const rules = typeRules(form.type);

  // basics
  text(out, 'name', form.name, { max: LIMITS.name });
  if (!form.type) out.type = { key: 'builder.v.pickType' };

  // scenarios, variants and questions
  if (form.scenarios.length === 0) out['config.scenarios'] = { key: 'builder.v.scenariosNone' };
  if (form.scenarios.length > LIMITS.scenarios)
    out['config.scenarios'] = { key: 'builder.v.scenariosMax', params: { max: LIMITS.scenarios } };
  const seenQuestions = new Map<string, { kind: string; scale: string; at: number }>();
  form.scenarios.forEach((s, si) => {
    const sp = `config.scenarios[${si}]`;
    id(
      out,
      `${sp}.id`,
      s.id,
      form.scenarios.slice(0, si).map((x) => x.id.trim()),
    );
    if (s.title.trim()) text(out, `${sp}.title`, s.title, { max: LIMITS.title });
    text(out, `${sp}.stimulus`, s.stimulus, { max: LIMITS.stimulus });
    const url = s.imageUrl.trim();
    if (url && (!/^https?:\/\/\S+$/i.test(url) || /["<>\\]/.test(url) || url.length > LIMITS.url))
      out[`${sp}.image_url`] = { key: 'builder.v.url' };

    if (rules.variants) {
      const n = s.variants.length;
      if ((rules.variantsRequired && n < 2) || n === 1 || n > LIMITS.variants)
        out[`${sp}.variants`] = {
          key: rules.variantsRequired ? 'builder.v.variantsRequired' : 'builder.v.variantsCount',
          params: { min: 2, max: LIMITS.variants },
        };
      s.variants.forEach((v, vi) => {
        const vp = `${sp}.variants[${vi}]`;
        id(
          out,
          `${vp}.id`,
          v.id,
          s.variants.slice(0, vi).map((x) => x.id.trim()),
        );
        text(out, `${vp}.stimulus`, v.stimulus, { max: LIMITS.stimulus });
      });
    }

    const qp = `${sp}.questions`;
    if (rules.questionsRequired && s.questions.length === 0)
      out[qp] = { key: 'builder.v.questionsRequired' };
    if (s.questions.length > LIMITS.questions)
      out[qp] = { key: 'builder.v.questionsMax', params: { max: LIMITS.questions } };
    s.questions.forEach((q, qi) => {
      const p = `${qp}[${qi}]`;
      id(
        out,
        `${p}.id`,
        q.id,
        s.questions.slice(0, qi).map((x) => x.id.trim()),
      );
      text(out, `${p}.prompt`, q.prompt, { max: LIMITS.prompt });
      let scaleOk = true;
      if (q.kind === 'rating') {
        const lim = { min: -LIMITS.scale, max: LIMITS.scale, required: true };
        integer(out, `${p}.scale.min`, q.scaleMin, lim);
        integer(out, `${p}.scale.max`, q.scaleMax, lim);
        scaleOk = !out[`${p}.scale.min`] && !out[`${p}.scale.max`];
        if (scaleOk && Number(q.scaleMin) >= Number(q.scaleMax)) {
          out[`${p}.scale.max`] = { key: 'builder.v.scaleOrder', params: { min: q.scaleMin } };
          scaleOk = false;
        }
      }
      if (q.kind === 'choice' || q.kind === 'ranking') {
        if (q.options.length < 2 || q.options.length > LIMITS.options)
          out[`${p}.options`] = {
            key: 'builder.v.optionsCount',
            params: { min: 2, max: LIMITS.options },
          };
        const seen: string[] = [];
        q.options.forEach((o, oi) => {
          const op = `${p}.options[${oi}]`;
          const v = o.text.trim();
          text(out, op, o.text, { max: LIMITS.option });
          if (v && seen.includes(v.toLowerCase()))
            out[op] = { key: 'builder.v.optionTaken', params: { option: v } };
          seen.push(v.toLowerCase());
        });
      }
      // a question id asked in several scenarios: one kind (and one scale) everywhere
      const qid = q.id.trim();
      if (!qid || out[`${p}.id`]) return;
      const scale = q.kind === 'rating' ? `${q.scaleMin.trim()}..${q.scaleMax.trim()}` : '';
      const before = seenQuestions.get(qid);
      if (!before) seenQuestions.set(qid, { kind: q.kind, scale, at: si });
      else if (before.at !== si && before.kind !== q.kind)
        out[`${p}.kind`] = {
          key: 'builder.v.kindClash',
          params: { id: qid, kind: before.kind, scenario: before.at + 1 },
        };
      else if (before.at !== si && q.kind === 'rating' && scaleOk && before.scale !== scale)
        out[`${p}.scale`] = {
          key: 'builder.v.scaleClash',
          params: { id: qid, scale: before.scale, scenario: before.at + 1 },
        };
    });
  });

  if (rules.moderator) {
    const n = form.moderatorQuestions.length;
    if (n < 1 || n > LIMITS.questions)
      out['config.moderator.questions'] = {
        key: 'builder.v.moderatorCount',
        params: { min: 1, max: LIMITS.questions },
      };
    form.moderatorQuestions.forEach((q, i) =>
      text(out, `config.moderator.questions[${i}]`, q.text, { max: LIMITS.prompt }),
    );
    integer(out, 'config.moderator.rounds', form.moderatorRounds, {
      min: 1,
      max: LIMITS.rounds,
      required: true,
    });
  }

  // the panel
  const fg = form.type === 'focus_group';
  switch (form.panelMode) {
    case 'personas': {
      const n = form.personaIds.length;
      if (n === 0) out['config.personas'] = { key: 'builder.v.personasNone' };
      else if (fg && (n < LIMITS.focusGroupMin || n > LIMITS.focusGroupMax))
        out['config.personas'] = {
          key: 'builder.v.focusGroupSeats',
          params: { min: LIMITS.focusGroupMin, max: LIMITS.focusGroupMax },
        };
      else if (n > LIMITS.personas)
        out['config.personas'] = { key: 'builder.v.personasMax', params: { max: LIMITS.personas } };
      break;
    }
    case 'library':
      if (!form.libraryId) out['config.panel.library_id'] = { key: 'builder.v.pickLibrary' };
      break;
    case 'filter': {
      const f = form.filter;
      const lim = { min: LIMITS.ageMin, max: LIMITS.ageMax };
      integer(out, 'config.panel.filter.age_min', f.age_min, lim);
      integer(out, 'config.panel.filter.age_max', f.age_max, lim);
      if (
        !out['config.panel.filter.age_min'] &&
        !out['config.panel.filter.age_max'] &&
        f.age_min.trim() &&
        f.age_max.trim() &&
        Number(f.age_min) > Number(f.age_max)
      )
        out['config.panel.filter.age_max'] = { key: 'builder.v.ageOrder' };
      const tags = f.tags
        .split(',')
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean);
      if (tags.some((x) => chars(x) > 40))
        out['config.panel.filter.tag'] = { key: 'builder.v.tooLong', params: { max: 40 } };
      else if (new Set(tags).size !== tags.length)
        out['config.panel.filter.tag'] = { key: 'builder.v.tagTwice' };
      break;
    }
    case 'templates':
      break;
    case 'generate': {
      if (ctx.canGenerate === false) {
        out['config.panel.generate'] = { key: 'builder.v.generateGate' };
        break;
      }
      const min = fg ? LIMITS.focusGroupMin : 1;
      const max = fg ? LIMITS.focusGroupMax : LIMITS.generate;
      integer(out, 'config.panel.generate', form.generateCount, { min, max, required: true });
      text(out, 'config.panel.description', form.generateDescription, {
        max: LIMITS.description,
      });
      break;
    }
  }

  // the parameters
  const p = form.params;
  integer(out, 'config.timeout', p.timeout, { min: 1, max: LIMITS.timeout });
  integer(out, 'config.seed', p.seed, { min: 0, max: LIMITS.seed });
  integer(out, 'config.samples', p.samples, { min: 1, max: LIMITS.samples });
  integer(out, 'config.model.concurrency', p.concurrency, { min: 1, max: LIMITS.concurrency });
  const temp = p.temperature.trim();
  if (temp && !NUM_RE.test(temp)) out['config.model.temperature'] = { key: 'builder.v.number' };
  else if (temp && (Number(temp) < 0 || Number(temp) > 2))
    out['config.model.temperature'] = { key: 'builder.v.range', params: { min: 0, max: 2 } };
  if (p.modelName.trim()) text(out, 'config.model.name', p.modelName, { max: LIMITS.modelName });
  if (chars(p.environment.trim()) > LIMITS.environment)
    out['config.environment'] = { key: 'builder.v.tooLong', params: { max: LIMITS.environment } };

  // the success criteria
  if (form.criteria.length > CRITERIA_MAX)
    out['config.success_criteria'] = {
      key: 'builder.v.criteriaMax',
      params: { max: CRITERIA_MAX },
    };
  const env = criteriaEnv(form);
  form.criteria.forEach((c, i) => {
    const path = `config.success_criteria[${i}]`;
    if (c.mode === 'guided') {
      const g = checkGuided(c.guided, env);
      if (g) {
        out[path] = { key: `builder.criteria.err.${g.code}`, params: g.params, field: g.field };
        return;
      }
    }
    const issue = checkCriterion(criterionText(c, env), env);
    if (issue)
      out[path] = {
        key: `builder.criteria.err.${issue.code}`,
        params: { ...issue.params, column: issue.column },
        field: 'text',
      };
  });
  return out;
}

/**
 * An issue's message in the user's language. A criterion's issue may carry
 * the code of what was expected, a hint and a question's kind: each is
 * translated in turn before the message takes them.
 */
export function issueText(issue: Issue, t: TFunction): string {
  const params: Record<string, string | number> = { ...(issue.params ?? {}) };
  if (typeof params.kind === 'string')
    params.kind = t(`builder.kinds.${params.kind}`, { defaultValue: params.kind });
  if (typeof params.expected === 'string' && params.expected)
    params.expected = t(`builder.criteria.expect.${params.expected}`, params);
  if (typeof params.hint === 'string')
    params.hint = params.hint ? t(`builder.criteria.hint.${params.hint}`) : '';
  return t(issue.key, params);
}
