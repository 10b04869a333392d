/*
 * The "Generate a panel" dialog against a mocked API: the plan shown is the
 * server's dry run of the request the targets make; Generate sends the same
 * request with the dry run's seed; changing the targets asks for a new
 * preview; a failed preview says why, offers the way forward and keeps the
 * targets.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderPage } from '../../test/render';
import { GenerateDialog } from './GenerateDialog';

// Chakra is heavy in jsdom: these take seconds on a busy machine
vi.setConfig({ testTimeout: 40_000 });

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

type Handler = (url: URL, init?: RequestInit) => Response | Promise<Response>;

function serve(routes: Record<string, Handler>) {
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const r = routes[`${init?.method ?? 'GET'} ${url.pathname}`];
    if (!r) return jsonResponse(404, { error: { code: 'not_found', message: 'no route' } });
    return r(url, init);
  });
}

/** The bodies POSTed to /api/personas/generate, in order. */
function generateBodies(): Record<string, unknown>[] {
  return fetchMock.mock.calls
    .filter(
      ([input, init]) =>
        init?.method === 'POST' &&
        new URL(String(input), 'http://localhost').pathname === '/api/personas/generate',
    )
    .map(([, init]) => JSON.parse(String(init?.body)) as Record<string, unknown>);
}

const ME = {
  user: { id: 'u1', email: 'ana@acme.com', role: 'admin', created_at: '2026-11-01T00:00:00Z' },
  workspace: { id: 'w', name: 'Acme', plan_type: 'business', created_at: '2026-11-01T00:00:00Z' },
  plan: { name: 'business', custom_personas: true },
  via_api_key: false,
};
const USAGE = {
  personas: { used: 3, limit: 300, approaching_limit: false },
  projects: { used: 0, limit: 3, approaching_limit: false },
  members: { used: 1, limit: 3, approaching_limit: false },
};

/** A dry run of 3 people in Brazil and Portugal (the server's shape, trimmed). */
function dryRun(seed: number, madeIds: string[] | null = null) {
  const groups = [
    { country: 'Brazil', age: '25-39', quantity: 2 },
    { country: 'Portugal', age: '25-39', quantity: 1 },
  ];
  const picks = [
    { group: 0, country: 'Brazil', age: '27' },
    { group: 1, country: 'Portugal', age: '31' },
    { group: 0, country: 'Brazil', age: '38' },
  ];
  return {
    personas: madeIds ?? [],
    plan: {
      dimensions: [
        {
          name: 'country',
          values: [
            { value: 'Brazil', share: 0.5 },
            { value: 'Portugal', share: 0.5 },
          ],
        },
        { name: 'age', min: 25, max: 39 },
        { name: 'attitude_to_money', values: [{ value: 'frugal saver', share: 1 }] },
      ],
      groups: groups.map((g) => ({
        description: `People - country: ${g.country}; age: ${g.age}`,
        planned: g.quantity,
        quantity: g.quantity,
        traits: { country: g.country, age: g.age },
      })),
    },
    samples: picks.map((p, i) => ({
      group: p.group,
      picks: { country: p.country, age: p.age, attitude_to_money: 'frugal saver' },
      ...(madeIds ? { persona_id: madeIds[i] ?? null } : {}),
    })),
    stats: madeIds ? { asked: 3, made: 3, failed: 0 } : { asked: 0, made: 0 },
    seed,
    dry_run: !madeIds,
    usage: { calls: 2, cache_hits: 0, tokens_in: 900, tokens_out: 1000, cost_usd: 0 },
  };
}

function routes(generate: Handler): Record<string, Handler> {
  return {
    'GET /api/auth/me': () => jsonResponse(200, ME),
    'GET /api/usage': () => jsonResponse(200, USAGE),
    'GET /api/llm/status': () => jsonResponse(200, { provider: 'offline', model: 'offline' }),
    'GET /api/personas': () =>
      jsonResponse(200, { personas: [], total: 0, limit: 3, offset: 0, next_cursor: null }),
    'POST /api/personas/generate': generate,
  };
}

async function fillTargets(user: ReturnType<typeof userEvent.setup>) {
  const count = await screen.findByTestId('generate-count');
  await user.clear(count);
  await user.type(count, '3');
  await user.click(screen.getByRole('button', { name: 'Brazil' }));
  await user.click(screen.getByRole('button', { name: 'Portugal' }));
}

describe('generating a panel', () => {
  it("shows the server's dry run of the targets, then generates with its seed", async () => {
    const user = userEvent.setup({ delay: null });
    serve(
      routes((_, init) => {
        const body = JSON.parse(String(init?.body)) as { dry_run?: boolean };
        return body.dry_run
          ? jsonResponse(200, dryRun(777))
          : jsonResponse(201, dryRun(777, ['a', 'b', 'c']));
      }),
    );
    renderPage(<GenerateDialog open onClose={() => {}} />, { route: '/personas' });
    await fillTargets(user);
    expect(screen.getByTestId('generate-description')).toHaveTextContent(
      'People aged 18-75. Countries: Brazil and Portugal.',
    );
    // nothing is asked before the preview, and there is nothing to generate yet
    expect(generateBodies()).toHaveLength(0);
    expect(screen.getByTestId('plan-empty')).toBeInTheDocument();
    expect(screen.getByTestId('generate-confirm')).toBeDisabled();

    await user.click(screen.getByTestId('generate-preview'));
    const plan = await screen.findByTestId('sampling-plan');
    expect(generateBodies()).toEqual([
      {
        description: 'People aged 18-75. Countries: Brazil and Portugal.',
        count: 3,
        language: 'en',
        dry_run: true,
      },
    ]);
    expect(within(plan).getByTestId('plan-summary')).toHaveTextContent('3 personas in 2 groups.');
    expect(
      within(plan)
        .getAllByTestId('plan-group-quantity')
        .map((q) => q.textContent),
    ).toEqual(['2', '1']);
    const country = within(plan).getByTestId('plan-dimension-country');
    expect(
      within(country)
        .getAllByTestId('plan-value')
        .map((v) => [v.dataset.value, v.dataset.count]),
    ).toEqual([
      ['Brazil', '2'],
      ['Portugal', '1'],
    ]);
    expect(within(plan).getByTestId('plan-dimension-age')).toHaveTextContent('25–39');
    expect(within(plan).getByTestId('plan-dimension-attitude_to_money')).toHaveTextContent(
      'Attitude to money',
    );
    expect(within(plan).getByTestId('plan-usage')).toHaveTextContent(
      'Planned with 2 model calls · $0.00 · Seed 777',
    );
    expect(await within(plan).findByTestId('offline-model-badge')).toBeInTheDocument();

    const confirm = screen.getByTestId('generate-confirm');
    await waitFor(() => expect(confirm).toBeEnabled());
    expect(confirm).toHaveTextContent('Generate 3 personas');
    await user.click(confirm);
    await screen.findByTestId('generate-result');
    expect(generateBodies()[1]).toEqual({
      description: 'People aged 18-75. Countries: Brazil and Portugal.',
      count: 3,
      language: 'en',
      seed: 777,
    });
    expect(screen.getByText('3 personas made (of 3 asked).')).toBeInTheDocument();
    const compared = screen.getByTestId('planned-vs-made');
    expect(within(compared).getByRole('rowheader', { name: 'Brazil' })).toBeInTheDocument();
  });

  it('asks for a new preview when the targets change', async () => {
    const user = userEvent.setup({ delay: null });
    serve(routes(() => jsonResponse(200, dryRun(5))));
    renderPage(<GenerateDialog open onClose={() => {}} />, { route: '/personas' });
    await fillTargets(user);
    await user.click(screen.getByTestId('generate-preview'));
    await screen.findByTestId('sampling-plan');
    await waitFor(() => expect(screen.getByTestId('generate-confirm')).toBeEnabled());

    await user.selectOptions(screen.getByTestId('generate-gender'), 'women');
    expect(screen.queryByTestId('sampling-plan')).not.toBeInTheDocument();
    expect(screen.getByTestId('plan-stale')).toBeInTheDocument();
    expect(screen.getByTestId('generate-confirm')).toBeDisabled();
    // back to the targets it answered: its plan is theirs again
    await user.selectOptions(screen.getByTestId('generate-gender'), 'any');
    expect(await screen.findByTestId('sampling-plan')).toBeInTheDocument();
    expect(generateBodies()).toHaveLength(1);
  });

  it('checks the targets before asking: an invalid one is shown at its field', async () => {
    const user = userEvent.setup({ delay: null });
    serve(routes(() => jsonResponse(200, dryRun(1))));
    renderPage(<GenerateDialog open onClose={() => {}} />, { route: '/personas' });
    const from = await screen.findByTestId('generate-age-min');
    await user.clear(from);
    await user.type(from, '12');
    await user.click(screen.getByTestId('generate-preview'));
    expect(await screen.findByText('A whole number from 18 to 95.')).toBeInTheDocument();
    expect(generateBodies()).toHaveLength(0);
  });

  it('a plan gate on the preview is an upgrade prompt and the targets are kept', async () => {
    const user = userEvent.setup({ delay: null });
    serve(
      routes(() =>
        jsonResponse(403, {
          error: {
            code: 'forbidden',
            message: 'custom_personas is not available on the free plan',
            field: 'custom_personas',
          },
        }),
      ),
    );
    renderPage(<GenerateDialog open onClose={() => {}} />, { route: '/personas' });
    await fillTargets(user);
    await user.click(screen.getByTestId('generate-preview'));
    const error = await screen.findByTestId('generate-preview-error');
    expect(within(error).getByRole('link', { name: 'Upgrade plan' })).toHaveAttribute(
      'href',
      '/billing',
    );
    expect(screen.getByTestId('generate-count')).toHaveValue(3);
    expect(screen.getByRole('button', { name: 'Brazil' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('generate-confirm')).toBeDisabled();
  });

  it('a model that fails can be asked again, and then the plan shows', async () => {
    const user = userEvent.setup({ delay: null });
    let calls = 0;
    serve(
      routes(() =>
        ++calls === 1
          ? jsonResponse(502, { error: { code: 'upstream_error', message: 'the model failed' } })
          : jsonResponse(200, dryRun(9)),
      ),
    );
    renderPage(<GenerateDialog open onClose={() => {}} />, { route: '/personas' });
    await fillTargets(user);
    await user.click(screen.getByTestId('generate-preview'));
    const error = await screen.findByTestId('generate-preview-error');
    expect(error).toHaveTextContent('The model could not plan this panel just now');
    await user.click(within(error).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('sampling-plan')).toBeInTheDocument();
    expect(generateBodies()).toHaveLength(2);
  });
});
