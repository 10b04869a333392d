import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderPage } from '../../test/render';
import TeamPage from './TeamPage';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const ana = {
  id: 'u1',
  email: 'ana@acme.com',
  company: 'Acme',
  role: 'admin' as 'admin' | 'user',
  workspace_id: 'w',
  api_quota: 60,
  created_at: '2026-11-01T00:00:00Z',
};
const bo = { ...ana, id: 'u2', email: 'bo@acme.com', role: 'user' as const };

function me(user: typeof ana, plan: string, members: { used: number; limit: number | null }) {
  return {
    user,
    workspace: { id: 'w', name: 'Acme', plan_type: plan, created_at: '2026-11-01T00:00:00Z' },
    plan: { name: plan, team_members: members.limit },
    usage: {
      personas: { used: 0, limit: 20, approaching_limit: false },
      projects: { used: 0, limit: 1, approaching_limit: false },
      members: { ...members, approaching_limit: true, pending_invites: 0 },
    },
    via_api_key: false,
  };
}

/** Answers by "METHOD /path"; records every request. */
function serve(routes: Record<string, () => Response>) {
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const key = `${init?.method ?? 'GET'} ${url.pathname}`;
    const r = routes[key];
    if (!r) return jsonResponse(404, { error: { code: 'not_found', message: `no route ${key}` } });
    return r();
  });
}
const calls = () =>
  fetchMock.mock.calls.map(
    ([u, init]) => `${init?.method ?? 'GET'} ${new URL(String(u), 'http://localhost').pathname}`,
  );

describe('TeamPage', () => {
  it('a member sees the list read-only, the admins named, and the invites are not asked for', async () => {
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me(bo, 'business', { used: 2, limit: 3 })),
      'GET /api/workspace/members': () => jsonResponse(200, { members: [ana, bo] }),
      'GET /api/plans': () => jsonResponse(200, { plans: [] }),
    });
    renderPage(<TeamPage />, { route: '/team' });
    expect(await screen.findByText('You can see the team, but not change it')).toBeInTheDocument();
    expect(
      screen.getByText(/Only the workspace's admins can invite people.*Ask ana@acme.com\./),
    ).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: /Role of/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Invite a teammate' })).toBeNull();
    expect(calls()).not.toContain('GET /api/workspace/invites');
  });

  it('an admin on a full one-seat plan gets an upgrade prompt instead of the form', async () => {
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me(ana, 'free', { used: 1, limit: 1 })),
      'GET /api/workspace/members': () => jsonResponse(200, { members: [ana] }),
      'GET /api/workspace/invites': () => jsonResponse(200, { invites: [] }),
      'GET /api/plans': () =>
        jsonResponse(200, {
          plans: [
            { name: 'free', team_members: 1 },
            { name: 'business', team_members: 3 },
          ],
        }),
    });
    renderPage(<TeamPage />, { route: '/team' });
    expect(await screen.findByText('The Free plan is for one person')).toBeInTheDocument();
    expect(
      await screen.findByText('Upgrade to the Business plan or above to invite teammates.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Upgrade plan' })).toHaveAttribute('href', '/billing');
    expect(screen.queryByRole('button', { name: 'Create invitation' })).toBeNull();
  });

  it('an invite sends email and role, then shows the link; a refusal keeps the input', async () => {
    let n = 0;
    serve({
      'GET /api/auth/me': () => jsonResponse(200, me(ana, 'business', { used: 1, limit: 3 })),
      'GET /api/workspace/members': () => jsonResponse(200, { members: [ana] }),
      'GET /api/workspace/invites': () => jsonResponse(200, { invites: [] }),
      'GET /api/plans': () => jsonResponse(200, { plans: [] }),
      'POST /api/workspace/invites': () =>
        ++n === 1
          ? jsonResponse(409, {
              error: {
                code: 'conflict',
                message: "email: an account with 'cy@acme.com' exists",
                field: 'email',
              },
            })
          : jsonResponse(201, {
              id: 'i1',
              email: 'dee@acme.com',
              role: 'admin',
              status: 'open',
              invited_by: 'u1',
              created_at: '2026-11-01T00:00:00Z',
              expires_at: '2026-11-08T00:00:00Z',
              accepted_at: null,
              token: 'abc123',
            }),
    });
    const user = userEvent.setup({ delay: null });
    renderPage(<TeamPage />, { route: '/team' });
    const form = await screen.findByRole('form', { name: 'Invite a teammate' });
    const email = within(form).getByRole('textbox', { name: /Email/ });
    await user.type(email, 'cy@acme.com');
    await user.click(within(form).getByRole('button', { name: 'Create invitation' }));
    expect(
      await within(form).findByText(/^cy@acme.com already has a Crowdelic account/),
    ).toBeInTheDocument();
    expect(email).toHaveValue('cy@acme.com');

    await user.clear(email);
    await user.type(email, 'dee@acme.com');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Role' }), 'admin');
    await user.click(within(form).getByRole('button', { name: 'Create invitation' }));
    expect(await screen.findByText('Invitation for dee@acme.com created')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Invitation link' })).toHaveValue(
      `${window.location.origin}/invite/abc123`,
    );
    const posts = fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(posts[1]![1]!.body))).toEqual({
      email: 'dee@acme.com',
      role: 'admin',
    });
    await waitFor(() => expect(email).toHaveValue(''));
  }, 20_000);
});
