import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderPage } from '../../test/render';
import SettingsPage from './SettingsPage';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

function me(plan: string, apiAccess: boolean, role: 'admin' | 'user' = 'admin') {
  return {
    user: {
      id: 'u1',
      email: 'ana@acme.com',
      company: 'Acme',
      role,
      workspace_id: 'w',
      api_quota: 60,
      created_at: '2026-11-01T00:00:00Z',
    },
    workspace: {
      id: 'w',
      name: 'Acme',
      plan_type: plan,
      current_period_start: '2026-11-01T00:00:00Z',
      current_period_end: '2026-12-01T00:00:00Z',
      created_at: '2026-11-01T00:00:00Z',
    },
    plan: { name: plan, api_access: apiAccess },
    usage: {
      personas: { used: 0, limit: 20, approaching_limit: false },
      projects: { used: 0, limit: 1, approaching_limit: false },
      members: { used: 1, limit: 3, approaching_limit: false },
    },
    via_api_key: false,
  };
}
const offline = {
  provider: 'offline',
  model: 'crowdelic-offline',
  available: true,
  reachable: true,
  checked_at: '2026-11-01T00:00:00Z',
  error: null,
  calls: { completed: 4, failed: 0, in_flight: 0, queued: 0 },
  last_call: null,
};

function serve(routes: Record<string, () => Response>) {
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const key = `${init?.method ?? 'GET'} ${url.pathname}`;
    const r = routes[key];
    if (!r) return jsonResponse(404, { error: { code: 'not_found', message: `no route ${key}` } });
    return r();
  });
}

describe('SettingsPage', () => {
  it('a new key is shown once with a warning, then only its prefix stays', async () => {
    let keys: unknown[] = [];
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me('business', true)),
      'GET /api/api-keys': () => jsonResponse(200, { api_keys: keys }),
      'GET /api/workspace/members': () => jsonResponse(200, { members: [] }),
      'GET /api/plans': () => jsonResponse(200, { plans: [] }),
      'GET /api/llm/status': () => jsonResponse(200, offline),
      'POST /api/api-keys': () => {
        const k = {
          id: 'k1',
          name: 'CI',
          prefix: 'ck_ab12',
          user_id: 'u1',
          created_at: '2026-11-02T00:00:00Z',
          last_used_at: null,
          revoked_at: null,
        };
        keys = [k];
        return jsonResponse(201, { ...k, key: 'ck_ab12cdef3456' });
      },
    });
    const user = userEvent.setup({ delay: null });
    renderPage(<SettingsPage />, { route: '/settings' });
    await user.type(await screen.findByRole('textbox', { name: 'Name of a new key' }), 'CI');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText(/It is shown only this once/)).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'API key' })).toHaveValue('ck_ab12cdef3456');
    await user.click(screen.getByRole('button', { name: 'I have copied it' }));
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'API key' })).toBeNull());
    const table = await screen.findByRole('table');
    expect(within(table).getByText('ck_ab12…')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('ck_ab12cdef3456');
  }, 20_000);

  it('without API access: an upgrade prompt naming the plan, no create form', async () => {
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me('free', false)),
      'GET /api/api-keys': () => jsonResponse(200, { api_keys: [] }),
      'GET /api/workspace/members': () => jsonResponse(200, { members: [] }),
      'GET /api/plans': () =>
        jsonResponse(200, {
          plans: [
            { name: 'free', api_access: false },
            { name: 'business', api_access: true },
          ],
        }),
      'GET /api/llm/status': () => jsonResponse(200, offline),
    });
    renderPage(<SettingsPage />, { route: '/settings' });
    expect(
      await screen.findByText('API keys are not included in the Free plan'),
    ).toBeInTheDocument();
    expect(await screen.findByText(/comes with the Business plan and above/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create key' })).toBeNull();
    expect(await screen.findByText('Offline model (built in)')).toBeInTheDocument();
    expect(screen.getByText('The offline model is answering')).toBeInTheDocument();
  }, 20_000);

  it('a member sees the workspace name read-only', async () => {
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me('business', true, 'user')),
      'GET /api/api-keys': () => jsonResponse(200, { api_keys: [] }),
      'GET /api/workspace/members': () => jsonResponse(200, { members: [] }),
      'GET /api/plans': () => jsonResponse(200, { plans: [] }),
      'GET /api/llm/status': () => jsonResponse(200, offline),
    });
    renderPage(<SettingsPage />, { route: '/settings' });
    const input = await screen.findByRole('textbox', { name: 'Workspace name' });
    expect(input).toHaveAttribute('readonly');
    expect(screen.getByText('Only an admin can rename the workspace.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  }, 20_000);
});
