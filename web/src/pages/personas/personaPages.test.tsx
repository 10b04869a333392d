/*
 * The personas pages against a mocked API: the editor shows the API's 400
 * at its field and keeps what was typed, the interview keeps a message
 * that failed to send and sends it again, and the generate dialog turns
 * the persona cap into an upgrade prompt (its plan preview, the server's
 * dry run, is tested in GenerateDialog.test.tsx).
 */
import { ChakraProvider } from '@chakra-ui/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n';
import { jsonResponse } from '../../test/render';
import { system } from '../../theme/system';
import { GenerateDialog } from './GenerateDialog';
import PersonaDetail from './PersonaDetail';
import PersonaEditor from './PersonaEditor';

// the editor is a long form and Chakra is heavy in jsdom: these take seconds on a busy machine
vi.setConfig({ testTimeout: 40_000 });

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

type Handler = (url: URL, init?: RequestInit) => Response | Promise<Response>;

/** Answers by "METHOD /path"; every request is recorded by the mock. */
function serve(routes: Record<string, Handler>) {
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const key = `${init?.method ?? 'GET'} ${url.pathname}`;
    const r = routes[key];
    if (!r) return jsonResponse(404, { error: { code: 'not_found', message: `no route ${key}` } });
    return r(url, init);
  });
}

function requests(method: string, path: string) {
  return fetchMock.mock.calls.filter(
    ([input, init]) =>
      (init?.method ?? 'GET') === method &&
      new URL(String(input), 'http://localhost').pathname === path,
  );
}

/** A page inside the app's providers and a data router (the editor asks before leaving). */
function renderRoute(element: ReactElement, path: string, route: string) {
  const router = createMemoryRouter(
    [
      { path, element },
      { path: '/personas/:personaId', element: <h1>persona page</h1> },
      { path: '*', element: <h1>elsewhere</h1> },
    ],
    { initialEntries: [route] },
  );
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  render(
    <ChakraProvider value={system}>
      <I18nextProvider i18n={setupI18n('en')}>
        <QueryClientProvider client={client}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </I18nextProvider>
    </ChakraProvider>,
  );
  return router;
}

function me(customPersonas: boolean, personas = { used: 3, limit: 300 as number | null }) {
  return {
    user: { id: 'u1', email: 'ana@acme.com', role: 'admin', created_at: '2026-11-01T00:00:00Z' },
    workspace: { id: 'w', name: 'Acme', plan_type: 'business', created_at: '2026-11-01T00:00:00Z' },
    plan: { name: customPersonas ? 'business' : 'free', custom_personas: customPersonas },
    usage: {
      personas: { ...personas, approaching_limit: false },
      projects: { used: 0, limit: 3, approaching_limit: false },
      members: { used: 1, limit: 3, approaching_limit: false },
    },
    via_api_key: false,
  };
}

const usage = (used: number, limit: number | null) => ({
  personas: { used, limit, approaching_limit: false },
  projects: { used: 0, limit: 3, approaching_limit: false },
  members: { used: 1, limit: 3, approaching_limit: false },
});

const PERSONA = {
  id: 'p1',
  name: 'Ana Souza',
  type: 'custom',
  template_id: null,
  tags: [],
  validation: null,
  workspace_id: 'w',
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  demographics: { age: 34, location: 'Recife, Brazil' },
};

describe('the persona editor', () => {
  it("shows the API's 400 at its field and keeps everything typed", async () => {
    const user = userEvent.setup({ delay: null });
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me(true)),
      'GET /api/usage': () => jsonResponse(200, usage(3, 300)),
      'POST /api/personas': () =>
        jsonResponse(400, {
          error: {
            code: 'invalid_request',
            message: 'demographics.age: 12 is out of range (18..100)',
            field: 'demographics.age',
          },
        }),
    });
    renderRoute(<PersonaEditor />, '/personas/new', '/personas/new');
    await user.click(await screen.findByLabelText(/^Name/));
    await user.paste('Ana Souza');
    await user.type(screen.getByLabelText(/^Age/), '34');
    await user.click(screen.getByLabelText('Traits'));
    await user.paste('warm\ncurious');
    await user.click(screen.getByRole('button', { name: 'Create persona' }));

    expect(await screen.findByText('The age must be from 18 to 100.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Age/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Ana Souza');
    expect(screen.getByLabelText('Traits')).toHaveValue('warm\ncurious');
    const [, init] = requests('POST', '/api/personas')[0] ?? [];
    expect(JSON.parse(String(init?.body))).toEqual({
      name: 'Ana Souza',
      demographics: { age: 34 },
      personality: { traits: ['warm', 'curious'] },
      tags: [],
      type: 'custom',
    });
  });

  it('checks the fields before sending: nothing goes to the API with an invalid age', async () => {
    const user = userEvent.setup({ delay: null });
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me(true)),
      'GET /api/usage': () => jsonResponse(200, usage(3, 300)),
    });
    renderRoute(<PersonaEditor />, '/personas/new', '/personas/new');
    await user.type(await screen.findByLabelText(/^Name/), 'Ana');
    await user.type(screen.getByLabelText(/^Age/), '17');
    await user.click(screen.getByRole('button', { name: 'Create persona' }));
    expect(await screen.findByText('The age must be from 18 to 100.')).toBeInTheDocument();
    expect(screen.getByText('Fix the field marked below, then save again.')).toBeInTheDocument();
    expect(requests('POST', '/api/personas')).toHaveLength(0);
  });

  it('on a plan without custom personas, a new persona is an upgrade prompt', async () => {
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me(false)),
      'GET /api/usage': () => jsonResponse(200, usage(3, 20)),
    });
    renderRoute(<PersonaEditor />, '/personas/new', '/personas/new');
    expect(await screen.findByText('Custom personas need a paid plan')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Upgrade plan' })).toHaveAttribute('href', '/billing');
    expect(screen.queryByRole('button', { name: 'Create persona' })).not.toBeInTheDocument();
  });

  it('editing on such a plan changes the tags only', async () => {
    const user = userEvent.setup({ delay: null });
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me(false)),
      'GET /api/usage': () => jsonResponse(200, usage(3, 20)),
      'GET /api/personas/p1': () => jsonResponse(200, PERSONA),
      'PUT /api/personas/p1': () => jsonResponse(200, { ...PERSONA, tags: ['vip'] }),
    });
    const router = renderRoute(<PersonaEditor />, '/personas/:personaId/edit', '/personas/p1/edit');
    expect(await screen.findByText(/You can still change its tags/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Name/)).toBeDisabled();
    await user.type(screen.getByLabelText('Tags'), 'vip');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/personas/p1'));
    const [, init] = requests('PUT', '/api/personas/p1')[0] ?? [];
    expect(JSON.parse(String(init?.body))).toEqual({ tags: ['vip'] });
  });
});

describe('the interview', () => {
  it('keeps a message that failed to send, and sends it again', async () => {
    const user = userEvent.setup({ delay: null });
    let fail = true;
    serve({
      'GET /api/personas/p1': () => jsonResponse(200, PERSONA),
      'GET /api/llm/status': () =>
        jsonResponse(200, { provider: 'offline', model: 'crowdelic-offline', available: true }),
      'GET /api/personas/p1/conversations': () =>
        jsonResponse(200, { conversations: [], total: 0, limit: 50, offset: 0 }),
      'GET /api/personas/p1/conversations/c1': () =>
        jsonResponse(200, {
          id: 'c1',
          persona_id: 'p1',
          user_id: 'u1',
          title: 'How do you pay?',
          message_count: 2,
          created_at: '2026-11-26T06:38:24Z',
          updated_at: '2026-11-26T06:38:25Z',
          messages: [
            {
              seq: 1,
              role: 'user',
              content: 'How do you pay?\nCash?',
              created_at: '2026-11-26T06:38:24Z',
            },
            {
              seq: 2,
              role: 'persona',
              content: 'I pay with my phone.',
              model: 'crowdelic-offline',
              created_at: '2026-11-26T06:38:25Z',
            },
          ],
        }),
      'POST /api/personas/p1/chat': (_u, init) => {
        if (fail) {
          fail = false;
          return jsonResponse(503, { error: { code: 'unavailable', message: 'model busy' } });
        }
        const body = JSON.parse(String(init?.body)) as { message: string };
        return jsonResponse(201, {
          conversation_id: 'c1',
          new_conversation: true,
          question: {
            seq: 1,
            role: 'user',
            content: body.message,
            created_at: '2026-11-26T06:38:24Z',
          },
          answer: {
            seq: 2,
            role: 'persona',
            content: 'I pay with my phone.',
            model: 'crowdelic-offline',
            created_at: '2026-11-26T06:38:25Z',
          },
          usage: { tokens_in: 1282, tokens_out: 140, cost_usd: 0 },
        });
      },
    });
    const router = renderRoute(
      <PersonaDetail />,
      '/personas/:personaId',
      '/personas/p1?tab=interview',
    );
    const input = await screen.findByLabelText('Your message to Ana Souza');
    await user.type(input, 'How do you pay?{Shift>}{Enter}{/Shift}Cash?');
    expect(input).toHaveValue('How do you pay?\nCash?');
    await user.keyboard('{Enter}');

    const alert = await screen.findByTestId('chat-error');
    expect(within(alert).getByText('Crowdelic is busy right now')).toBeInTheDocument();
    expect(input).toHaveValue('How do you pay?\nCash?');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByText('I pay with my phone.')).toBeInTheDocument();
    expect(screen.getByTestId('reply-usage')).toHaveTextContent('1,282 tokens in, 140 out');
    expect(screen.queryByTestId('chat-error')).not.toBeInTheDocument();
    expect(input).toHaveValue('');
    await waitFor(() => expect(router.state.location.search).toContain('c=c1'));
    expect(requests('POST', '/api/personas/p1/chat')).toHaveLength(2);
  });
});

describe('generating a panel', () => {
  it("asking for more than the plan's room is an upgrade prompt, not a request", async () => {
    const user = userEvent.setup({ delay: null });
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me(true, { used: 95, limit: 100 })),
      'GET /api/usage': () => jsonResponse(200, usage(95, 100)),
    });
    renderRoute(<GenerateDialog open onClose={() => {}} />, '/personas', '/personas');
    const count = await screen.findByTestId('generate-count');
    await user.clear(count);
    await user.type(count, '8');
    expect(await screen.findByText('Your plan has room for 5 more personas')).toBeInTheDocument();
    expect(screen.getByTestId('generate-room')).toHaveTextContent('Upgrade plan');
    expect(screen.getByTestId('generate-confirm')).toBeDisabled();
  });

  it('on a plan without custom personas the dialog is an upgrade prompt', async () => {
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me(false)),
      'GET /api/usage': () => jsonResponse(200, usage(3, 20)),
    });
    renderRoute(<GenerateDialog open onClose={() => {}} />, '/personas', '/personas');
    expect(await screen.findByTestId('generate-gate')).toHaveTextContent(
      'Generating personas needs a paid plan',
    );
    expect(screen.queryByTestId('generate-confirm')).not.toBeInTheDocument();
  });
});
