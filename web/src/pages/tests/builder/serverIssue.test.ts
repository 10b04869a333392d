import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/client';
import type { TestInput } from '../../../api/tests';
import { isLive, serverIssueFrom, stripPath } from './serverIssue';

const spec: TestInput = {
  name: 'Ad',
  type: 'message',
  config: {
    personas: ['p1', 'p2', 'p3'],
    scenarios: [
      {
        id: 's',
        stimulus: 'An ad',
        variants: [
          { id: 'A', stimulus: 'a' },
          { id: 'B', stimulus: 'b' },
        ],
        questions: [{ id: 'appeal', kind: 'rating', prompt: 'How?', scale: { min: 1, max: 1 } }],
      },
    ],
  },
};

const err = (status: number, code: string, field: string | undefined, message: string) =>
  new ApiError({ status, code: code as never, field, message });

describe('the API refusal of a test, kept by its field', () => {
  it('a 400 lands on its field and step, the message without its path', () => {
    const e = err(
      400,
      'invalid_request',
      'config.scenarios[0].questions[0].scale.max',
      'config.scenarios[0].questions[0].scale.max must be above scale.min (1) (got 1)',
    );
    const issue = serverIssueFrom(e, spec);
    expect(issue).toEqual({
      path: 'config.scenarios[0].questions[0].scale.max',
      step: 'questions',
      message: 'Must be above scale.min (1) (got 1)',
      status: 400,
      snapshot: '1',
    });
    expect(isLive(issue, spec)).toBe(true);
    // the user changes the field: the message goes
    const changed = structuredClone(spec);
    changed.config.scenarios[0]!.questions![0]!.scale!.max = 5;
    expect(isLive(issue, changed)).toBe(false);
    // another field changing keeps it
    expect(isLive(issue, { ...spec, name: 'Other' })).toBe(true);
  });

  it('a persona deleted since: 404 naming config.personas[i], on the panel step', () => {
    const issue = serverIssueFrom(
      err(404, 'not_found', 'config.personas[2]', "config.personas[2]: no persona 'p3'"),
      spec,
    );
    expect(issue).toMatchObject({ step: 'panel', message: "No persona 'p3'", snapshot: '"p3"' });
    expect(isLive(issue, { ...spec, config: { ...spec.config, personas: ['p1', 'p2'] } })).toBe(
      false,
    );
  });

  it("a criterion's refusal keeps the column", () => {
    const issue = serverIssueFrom(
      err(
        400,
        'invalid_request',
        'config.success_criteria[0]',
        "config.success_criteria[0]: column 6: unknown question 'apeal' (questions: appeal)",
      ),
      { ...spec, config: { ...spec.config, success_criteria: ['mean(apeal) > 1'] } },
    );
    expect(issue).toMatchObject({
      step: 'criteria',
      message: "Column 6: unknown question 'apeal' (questions: appeal)",
    });
  });

  it('a generated panel on a plan without custom personas (403) stands for the panel', () => {
    const gen: TestInput = {
      ...spec,
      config: { ...spec.config, personas: undefined, panel: { generate: 5, description: 'x' } },
    };
    const issue = serverIssueFrom(
      err(403, 'forbidden', 'custom_personas', 'custom_personas is not available on the free plan'),
      gen,
    );
    expect(issue).toMatchObject({ path: 'config.panel.generate', step: 'panel', status: 403 });
    expect(isLive(issue, gen)).toBe(true);
    expect(isLive(issue, { ...gen, config: { ...gen.config, panel: { templates: 'all' } } })).toBe(
      false,
    );
  });

  it('errors that name no field of the test are not field issues', () => {
    expect(serverIssueFrom(err(503, 'unavailable', undefined, 'busy'), spec)).toBeNull();
    expect(
      serverIssueFrom(err(409, 'conflict', undefined, 'the test is running'), spec),
    ).toBeNull();
    expect(serverIssueFrom(err(422, 'plan_limit', 'max_projects', 'limit'), spec)).toBeNull();
    expect(serverIssueFrom(new Error('x'), spec)).toBeNull();
    expect(isLive(null, spec)).toBe(false);
  });

  it('stripPath', () => {
    expect(stripPath('name must be 1 to 200 characters', 'name')).toBe(
      'Must be 1 to 200 characters',
    );
    expect(stripPath('something else', 'name')).toBe('Something else');
  });
});
