/*
 * One example per type of test, after the repository's examples/ (the meal
 * kit, the running-club ad, the bank onboarding journey, the coffee focus
 * group), in the user's language: the builder offers to start from it.
 * The panel is left as it is - the examples' personas are templates, the
 * user picks their own.
 */
import type { TFunction } from 'i18next';
import type { QuestionKind } from '../../../api/tests';
import type { TestType } from '../../../api/types';
import {
  criterionForm,
  criteriaEnv,
  newKey,
  newScenario,
  newVariant,
  type BuilderForm,
  type QuestionForm,
  type ScenarioForm,
} from './form';

function q(
  id: string,
  kind: QuestionKind,
  prompt: string,
  extra: { scale?: [number, number]; options?: string[] } = {},
): QuestionForm {
  return {
    key: newKey(),
    id,
    kind,
    prompt,
    scaleMin: String(extra.scale?.[0] ?? 1),
    scaleMax: String(extra.scale?.[1] ?? 10),
    options: (extra.options ?? []).map((text) => ({ key: newKey(), text })),
  };
}

function scenario(
  id: string,
  title: string,
  stimulus: string,
  questions: QuestionForm[],
  variants: [string, string][] = [],
): ScenarioForm {
  return {
    ...newScenario(id),
    title,
    stimulus,
    questions,
    variants: variants.map(([vid, text]) => newVariant(vid, text)),
  };
}

/** The form filled with the example of its type (the panel and parameters kept). */
export function withExample(form: BuilderForm, type: TestType, t: TFunction): BuilderForm {
  const k = (key: string) => t(`builder.examples.${type}.${key}`);
  const opts = (key: string) => k(key).split('|');
  let scenarios: ScenarioForm[] = [];
  let criteria: string[] = [];
  let moderator: string[] = [];
  switch (type) {
    case 'product':
      scenarios = [
        scenario('concept', k('title'), k('stimulus'), [
          q('appeal', 'rating', k('appeal'), { scale: [1, 10] }),
          q('buy', 'yes_no', k('buy')),
          q('price', 'choice', k('price'), { options: opts('priceOptions') }),
          q('why', 'text', k('why')),
        ]),
      ];
      criteria = ['mean(appeal) >= 7', 'share(buy == "yes") >= 0.4'];
      break;
    case 'message':
      scenarios = [
        scenario(
          'ad',
          k('title'),
          k('stimulus'),
          [
            q('appeal', 'rating', k('appeal'), { scale: [1, 7] }),
            q('trust', 'yes_no', k('trust')),
            q('click', 'yes_no', k('click')),
            q('feeling', 'text', k('feeling')),
          ],
          [
            ['A', k('variantA')],
            ['B', k('variantB')],
          ],
        ),
      ];
      criteria = ['winner == "B"', 'mean(appeal) >= 4', 'share(click == "yes") >= 0.5'];
      break;
    case 'journey': {
      const ease = () => q('ease', 'rating', k('ease'), { scale: [1, 5] });
      scenarios = [
        scenario('download', k('step1Title'), k('step1'), [ease()]),
        scenario('signup', k('step2Title'), k('step2'), [ease()]),
        scenario('verify', k('step3Title'), k('step3'), [
          ease(),
          q('confusing', 'yes_no', k('confusing')),
        ]),
        scenario('first-deposit', k('step4Title'), k('step4'), [ease()]),
      ];
      criteria = ['mean(ease) >= 3.5'];
      break;
    }
    case 'focus_group':
      scenarios = [
        scenario('concept', k('title'), k('stimulus'), [
          q('interest', 'rating', k('interest'), { scale: [1, 10] }),
          q('plan', 'choice', k('plan'), { options: opts('planOptions') }),
        ]),
      ];
      moderator = [k('moderator1'), k('moderator2')];
      criteria = ['mean(interest) >= 6'];
      break;
  }
  const next: BuilderForm = {
    ...form,
    type,
    name: form.name.trim() ? form.name : k('name'),
    scenarios,
    moderatorQuestions: moderator.map((text) => ({ key: newKey(), text })),
    moderatorRounds: '2',
  };
  const env = criteriaEnv(next);
  next.criteria = criteria.map((c) => criterionForm(c, env));
  return next;
}
