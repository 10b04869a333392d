import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderPage } from '../../test/render';
import ProjectsPage from './ProjectsPage';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

function me(projects: { used: number; limit: number | null }, plan = 'business') {
  return {
    user: { id: 'u1', email: 'ana@acme.com', role: 'admin', created_at: '2026-11-01T00:00:00Z' },
    workspace: { id: 'w', name: 'Acme', plan_type: plan, created_at: '2026-11-01T00:00:00Z' },
    plan: { name: plan },
    usage: {
      personas: { used: 0, limit: 20, approaching_limit: false },
      projects: { ...projects, approaching_limit: false },
      members: { used: 1, limit: 3, approaching_limit: false },
    },
    via_api_key: false,
  };
}
const project = (id: string, name: string) => ({
  id,
  name,
  description: '',
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
});

/** Answers by "METHOD /path?project_id"; records every request. */
function serve(routes: Record<string, (url: URL, init?: RequestInit) => Response>) {
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const key = `${init?.method ?? 'GET'} ${url.pathname}`;
    const r = routes[key];
    if (!r) return jsonResponse(404, { error: { code: 'not_found', message: `no route ${key}` } });
    return r(url, init);
  });
}

describe('ProjectsPage', () => {
  it("shows each project's tests with a link to them, and refuses to delete one that has tests", async () => {
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me({ used: 2, limit: 3 })),
      'GET /api/projects': () =>
        jsonResponse(200, {
          projects: [project('p1', 'Launch'), project('p2', 'Empty')],
          total: 2,
          limit: 12,
          offset: 0,
        }),
      'GET /api/tests': (url) =>
        jsonResponse(200, {
          tests: [],
          total: url.searchParams.get('project_id') === 'p1' ? 2 : 0,
          limit: 1,
          offset: 0,
        }),
    });
    const user = userEvent.setup({ delay: null });
    renderPage(<ProjectsPage />, { route: '/projects' });
    const link = await screen.findByRole('link', { name: '2 tests' });
    expect(link).toHaveAttribute('href', '/tests?project=p1');
    expect(await screen.findByText('No tests yet')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Delete the project Launch' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText(/^It has 2 tests\./)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Delete project' })).toBeDisabled();
    expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'DELETE')).toBe(false);
  }, 20_000);

  it('a plan limit met on create keeps the input and offers the upgrade', async () => {
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me({ used: 0, limit: 1 }, 'free')),
      'GET /api/projects': () =>
        jsonResponse(200, { projects: [], total: 0, limit: 12, offset: 0 }),
      'POST /api/projects': () =>
        jsonResponse(422, {
          error: {
            code: 'plan_limit',
            message: 'max_projects: the free plan allows 1 and the workspace has 1',
            field: 'max_projects',
          },
        }),
    });
    const user = userEvent.setup({ delay: null });
    renderPage(<ProjectsPage />, { route: '/projects' });
    await screen.findByText('0 of 1');
    await user.click(screen.getByRole('button', { name: 'New project' }));
    const form = screen.getByRole('form', { name: 'New project' });
    await user.type(within(form).getByRole('textbox', { name: /Name/ }), 'Spring');
    await user.type(within(form).getByRole('textbox', { name: /Description/ }), 'Ads');
    await user.click(within(form).getByRole('button', { name: 'Create project' }));
    expect(
      await within(form).findByText(
        'Your Free plan includes 1 project, and it is in use. Upgrade for more.',
      ),
    ).toBeInTheDocument();
    expect(within(form).getByRole('link', { name: 'Upgrade plan' })).toHaveAttribute(
      'href',
      '/billing',
    );
    expect(within(form).getByRole('textbox', { name: /Name/ })).toHaveValue('Spring');
    expect(within(form).getByRole('textbox', { name: /Description/ })).toHaveValue('Ads');
    const post = fetchMock.mock.calls.find(([, i]) => i?.method === 'POST');
    expect(JSON.parse(String(post![1]!.body))).toEqual({ name: 'Spring', description: 'Ads' });
  }, 20_000);

  it('an edit sends only what changed', async () => {
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me({ used: 1, limit: 3 })),
      'GET /api/projects': () =>
        jsonResponse(200, { projects: [project('p1', 'Launch')], total: 1, limit: 12, offset: 0 }),
      'GET /api/tests': () => jsonResponse(200, { tests: [], total: 0, limit: 1, offset: 0 }),
      'PUT /api/projects/p1': () => jsonResponse(200, project('p1', 'Launch 2')),
    });
    const user = userEvent.setup({ delay: null });
    renderPage(<ProjectsPage />, { route: '/projects' });
    await user.click(await screen.findByRole('button', { name: 'Edit the project Launch' }));
    const name = screen.getByRole('textbox', { name: /Name/ });
    await user.clear(name);
    await user.type(name, 'Launch 2');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'PUT')).toBe(true),
    );
    const put = fetchMock.mock.calls.find(([, i]) => i?.method === 'PUT');
    expect(JSON.parse(String(put![1]!.body))).toEqual({ name: 'Launch 2' });
  }, 20_000);
});
