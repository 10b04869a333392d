import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderPage } from '../../../test/render';
import TestBuilder from './TestBuilder';

const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });

const TEST = {
  id: 't1',
  name: 'Ad copy',
  type: 'message',
  project_id: 'p1',
  status: 'completed',
  workspace_id: 'w1',
  created_at: '2026-11-26T06:00:00.000Z',
  updated_at: '2026-11-26T06:00:00.000Z',
  config: {
    personas: ['a', 'b', 'c'],
    scenarios: [
      {
        id: 'ad',
        stimulus: 'An ad in your feed',
        variants: [
          { id: 'A', stimulus: 'Hype' },
          { id: 'B', stimulus: 'Plain' },
        ],
        questions: [
          { id: 'appeal', kind: 'rating', prompt: 'How appealing?', scale: { min: 1, max: 7 } },
          { id: 'why', kind: 'text', prompt: 'Why?' },
        ],
      },
    ],
    timeout: 600,
    elicitation: 'direct',
    samples: 1,
    success_criteria: ['mean(appeal) >= 4'],
  },
};

const ME = {
  user: { id: 'u', email: 'a@b.c', company: '', role: 'admin', workspace_id: 'w1', api_quota: 60 },
  workspace: { id: 'w1', name: 'W', plan_type: 'free' },
  plan: { name: 'free', custom_personas: false },
  usage: {},
  via_api_key: false,
};

const ESTIMATE = {
  personas: 3,
  calls: 6,
  generate_calls: 0,
  tokens_in: 8000,
  tokens_out: 1500,
  cost_usd: 0,
  model: 'crowdelic-offline',
  priced: false,
  scenarios: [{ id: 'ad', calls: 6, tokens_in: 8000, tokens_out: 1500, cost_usd: 0 }],
};

type Route = (method: string, path: string, body: unknown) => Response | undefined;

const fetchMock = vi.fn<typeof fetch>();
let saves: Response[] = [];
const calls: { method: string; path: string; body: unknown }[] = [];

function serve(extra: Route = () => undefined) {
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://x');
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path: url.pathname, body });
    const own = extra(method, url.pathname, body);
    if (own) return own;
    if (url.pathname === '/api/auth/me') return jsonResponse(200, ME);
    if (url.pathname === '/api/projects') return jsonResponse(200, { projects: [], total: 0 });
    if (url.pathname === '/api/llm/status')
      return jsonResponse(200, {
        provider: 'offline',
        model: 'crowdelic-offline',
        available: true,
      });
    if (url.pathname === '/api/personas')
      return jsonResponse(200, { personas: [], total: 0, limit: 50, offset: 0 });
    if (url.pathname === '/api/tests/t1' && method === 'GET') return jsonResponse(200, TEST);
    if (url.pathname === '/api/tests/t1' && method === 'PUT') {
      const next = saves.shift();
      if (next) return next;
      return jsonResponse(200, {
        ...TEST,
        ...(body as object),
        updated_at: '2026-11-26T07:00:00Z',
      });
    }
    if (url.pathname === '/api/tests/t1/estimate') return jsonResponse(200, ESTIMATE);
    return jsonResponse(404, { error: { code: 'not_found', message: `no route ${url.pathname}` } });
  });
}

beforeEach(() => {
  fetchMock.mockReset();
  saves = [];
  calls.length = 0;
  vi.stubGlobal('fetch', fetchMock);
  Element.prototype.scrollIntoView ??= () => {};
});
afterEach(() => vi.unstubAllGlobals());

describe('TestBuilder', () => {
  it("editing: a failed save keeps the form; the API's 400 is shown at its field, on its step", async () => {
    serve();
    saves = [
      jsonResponse(503, { error: { code: 'unavailable', message: 'the queue is full' } }),
      jsonResponse(400, {
        error: {
          code: 'invalid_request',
          message:
            'config.scenarios[0].questions[1].prompt must not end with a question mark twice',
          field: 'config.scenarios[0].questions[1].prompt',
        },
      }),
    ];
    const user = userEvent.setup();
    renderPage(<TestBuilder />, { route: '/tests/t1/edit', path: '/tests/:testId/edit' });

    // an edited test opens at its review, saved
    expect(await screen.findByTestId('review-name')).toHaveTextContent('Ad copy');
    expect(screen.getByTestId('run-test')).toBeInTheDocument();

    await user.click(screen.getByTestId('step-basics'));
    type(screen.getByTestId('test-name'), 'Ad copy v2');
    await user.click(screen.getByTestId('step-review'));
    await user.click(screen.getByTestId('save-test'));

    // 503: said so, with a retry, on the review
    expect(await screen.findByText('Crowdelic is busy right now')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    // 400 naming a question's prompt: the questions step, the message at the field
    await waitFor(() => expect(screen.getByTestId('step-title')).toHaveTextContent('Questions'));
    expect(screen.getByTestId('server-issue')).toHaveTextContent(
      'Must not end with a question mark twice',
    );
    const prompt = screen.getAllByTestId('question-prompt')[1]!;
    expect(prompt).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getAllByText('Must not end with a question mark twice')).toHaveLength(2);

    // nothing typed was lost
    await user.click(screen.getByTestId('step-basics'));
    expect(screen.getByTestId('test-name')).toHaveValue('Ad copy v2');
    await user.click(screen.getByTestId('step-questions'));

    // changing the field takes the message away
    type(screen.getAllByTestId('question-prompt')[1]!, 'Why do you say so?');
    expect(screen.queryByTestId('server-issue')).toBeNull();
    expect(screen.getAllByTestId('question-prompt')[1]).not.toHaveAttribute('aria-invalid');

    // saved at last, then estimated
    await user.click(screen.getByTestId('step-review'));
    await user.click(screen.getByTestId('save-test'));
    const estimate = await screen.findByTestId('estimate');
    expect(within(estimate).getByTestId('estimate-calls')).toHaveTextContent('6');
    expect(within(estimate).getByTestId('estimate-cost')).toHaveTextContent(
      'this model has no price',
    );
    expect(screen.getByTestId('plan-runs')).toHaveTextContent(
      'Runs are not limited on your Free plan',
    );

    const puts = calls.filter((c) => c.method === 'PUT');
    expect(puts).toHaveLength(3);
    const last = puts[2]!.body as typeof TEST;
    expect(last.name).toBe('Ad copy v2');
    expect(last.config.scenarios[0]!.questions[1]!.prompt).toBe('Why do you say so?');
    expect(last.config.scenarios[0]!.variants).toHaveLength(2);
    expect(last.config.success_criteria).toEqual(['mean(appeal) >= 4']);
  }, 30_000);

  it('a new test: Next checks its step, and going back and forth keeps what was typed', async () => {
    serve();
    const user = userEvent.setup();
    renderPage(<TestBuilder />, { route: '/tests/new', path: '/tests/new' });
    expect(screen.getByTestId('step-title')).toHaveTextContent('Type');
    expect(screen.getByTestId('wizard-next')).toBeDisabled();

    await user.click(screen.getByTestId('type-journey'));
    await user.click(screen.getByTestId('wizard-next'));
    // the name is missing: still on the first step, the field marked and focused
    expect(screen.getByTestId('step-title')).toHaveTextContent('Type');
    expect(screen.getByText('Required.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('test-name')).toHaveFocus());

    type(screen.getByTestId('test-name'), 'Onboarding');
    await user.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('step-title')).toHaveTextContent('Stimuli');
    expect(screen.getAllByTestId('scenario')).toHaveLength(2);
    type(screen.getAllByTestId('scenario-stimulus')[0]!, 'Download the app');

    await user.click(screen.getByTestId('wizard-back'));
    expect(screen.getByTestId('test-name')).toHaveValue('Onboarding');
    await user.click(screen.getByTestId('wizard-next'));
    expect(screen.getAllByTestId('scenario-stimulus')[0]).toHaveValue('Download the app');

    // the second step is empty: Next shows it and stays
    await user.click(screen.getByTestId('wizard-next'));
    expect(screen.getByTestId('step-title')).toHaveTextContent('Stimuli');
    expect(screen.getAllByText('Required.')).toHaveLength(1);

    // the review lists what is left, by step, and saves nothing meanwhile
    await user.click(screen.getByTestId('step-review'));
    expect(screen.getByTestId('review-issues')).toHaveTextContent('Stimuli: 1 mistake');
    expect(screen.getByTestId('review-issues')).toHaveTextContent('Panel: 1 mistake');
    expect(screen.getByTestId('save-test')).toBeDisabled();
    expect(calls.some((c) => c.method !== 'GET')).toBe(false);
  }, 30_000);

  it('a test that cannot be loaded says why and offers a way back', async () => {
    serve((_method, path) =>
      path === '/api/tests/t1'
        ? jsonResponse(404, { error: { code: 'not_found', message: "no test 't1'" } })
        : undefined,
    );
    renderPage(<TestBuilder />, { route: '/tests/t1/edit', path: '/tests/:testId/edit' });
    expect(await screen.findByText('Not found')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Go back' })).toBeInTheDocument();
  });
});
