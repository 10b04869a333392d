import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderPage } from '../../test/render';
import BillingPage from './BillingPage';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const PLANS = [
  ['free', '0.00', 20, 1, null, 1],
  ['individual', '9.90', 100, 1, '0.10', 1],
  ['business', '24.90', 300, 3, '0.08', 3],
  ['agency', '49.90', 1000, 10, '0.05', 10],
].map(([name, price, personas, projects, extra, members]) => ({
  name,
  price_month: price,
  max_personas: personas,
  max_projects: projects,
  extra_persona: extra,
  api_access: name !== 'free' && name !== 'individual',
  advanced_analytics: false,
  priority_support: false,
  custom_personas: name !== 'free',
  team_members: members,
  custom: false,
}));

function billing(plan: string, price: number, extraCents: number | null) {
  return {
    workspace_id: 'w1',
    plan,
    custom_terms: false,
    price_month_cents: price,
    price_month: (price / 100).toFixed(2),
    extra_persona_cents: extraCents,
    extra_persona: extraCents === null ? null : (extraCents / 100).toFixed(2),
    period: { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
    allowance: {
      personas: { limit: 100, used: 30, plan: 100, extra: 0 },
      projects: { limit: 1, used: 0 },
      members: { limit: 1, used: 1, pending_invites: 0 },
    },
    scheduled_change: null,
    charges_this_period: { invoices: 0, total_cents: 0, total: '0.00' },
  };
}

const me = (role: 'admin' | 'user') => ({
  user: { id: 'u1', email: 'ana@acme.com', role, workspace_id: 'w1' },
  workspace: { id: 'w1', plan_type: 'individual' },
  plan: { name: 'individual' },
  usage: {},
  via_api_key: false,
});

type Route = (url: URL, init?: RequestInit) => Response | Promise<Response>;
function serve(routes: Record<string, Route>) {
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://localhost');
    const r = routes[`${init?.method ?? 'GET'} ${url.pathname}`];
    if (!r) return jsonResponse(404, { error: { code: 'not_found', message: 'no route' } });
    return r(url, init);
  });
}

const base = (role: 'admin' | 'user'): Record<string, Route> => ({
  'GET /api/auth/me': () => jsonResponse(200, me(role)),
  'GET /api/billing': () => jsonResponse(200, billing('individual', 990, 10)),
  'GET /api/plans': () => jsonResponse(200, { plans: PLANS }),
  'GET /api/billing/invoices': () =>
    jsonResponse(200, { invoices: [], total: 0, limit: 10, offset: 0 }),
});

const header = (init: RequestInit | undefined, name: string) =>
  (init?.headers as Record<string, string> | undefined)?.[name];

describe('BillingPage', () => {
  it("an upgrade shows the server's quote, then charges it once with one Idempotency-Key", async () => {
    const posts: RequestInit[] = [];
    let answer: () => Response = () =>
      jsonResponse(503, { error: { code: 'unavailable', message: 'busy' } });
    serve({
      ...base('admin'),
      'GET /api/billing/quote': (url) => {
        expect(url.searchParams.get('action')).toBe('upgrade');
        expect(url.searchParams.get('plan')).toBe('business');
        return jsonResponse(200, {
          quote: {
            action: 'upgrade',
            plan: 'business',
            quantity: 1,
            amount_cents: 1017,
            currency: 'USD',
            effective_at: '2026-11-10T00:00:00.000Z',
            period_end: '2026-12-01T00:00:00.000Z',
            ms_left: 21 * 86_400_000,
            period_ms: 30 * 86_400_000,
          },
        });
      },
      'POST /api/billing/upgrade': (_u, init) => {
        posts.push(init!);
        return answer();
      },
    });
    const user = userEvent.setup({ delay: null });
    renderPage(<BillingPage />, { route: '/billing' });
    await user.click(await screen.findByRole('button', { name: 'Upgrade to Business' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(await within(dialog).findByText('$10.17')).toBeInTheDocument();
    expect(
      within(dialog).getByText(/\(\$15\.00 a month\) for the 21 d 0 h 0 min left/),
    ).toBeInTheDocument();

    // the first try fails (503): the retry is the same request, with the same key
    await user.click(within(dialog).getByRole('button', { name: 'Pay $10.17 and upgrade' }));
    await within(dialog).findByText('Crowdelic is busy right now');
    answer = () =>
      jsonResponse(200, {
        invoice: { id: 'i1', number: 1, kind: 'upgrade', total_cents: 1017, lines: [] },
        billing: billing('business', 2490, 8),
      });
    await user.click(within(dialog).getByRole('button', { name: 'Try again' }));
    await screen.findByText('Upgraded to Business: $10.17 charged (invoice #1).');
    expect(posts).toHaveLength(2);
    const k1 = header(posts[0], 'Idempotency-Key');
    expect(k1).toMatch(/^[0-9a-f-]{36}$/);
    expect(header(posts[1], 'Idempotency-Key')).toBe(k1);
    expect(JSON.parse(String(posts[0]!.body))).toEqual({ plan: 'business' });
  }, 45_000);

  it("a downgrade that does not fit shows the API's figures and cannot be confirmed", async () => {
    serve({
      ...base('admin'),
      'GET /api/billing/quote': () =>
        jsonResponse(409, {
          error: {
            code: 'conflict',
            message: 'cannot downgrade to free: the workspace has 30 personas where free allows 20',
            field: 'plan',
            details: {
              plan: 'free',
              personas: { used: 30, limit: 20, exceeds: true },
              projects: { used: 0, limit: 1, exceeds: false },
              members: { used: 1, limit: 1, exceeds: false },
            },
          },
        }),
    });
    const user = userEvent.setup({ delay: null });
    renderPage(<BillingPage />, { route: '/billing' });
    await user.click(await screen.findByRole('button', { name: 'Downgrade to Free' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(
      await within(dialog).findByText(
        'Personas: 30 in the workspace, Free allows 20. Remove 10 personas first.',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole('link', { name: 'Go to personas' })).toHaveAttribute(
      'href',
      '/personas',
    );
    expect(within(dialog).getByRole('button', { name: 'Schedule the downgrade' })).toBeDisabled();
  }, 45_000);

  it('extra personas: the quantity is checked and priced before any request', async () => {
    serve(base('admin'));
    const user = userEvent.setup({ delay: null });
    renderPage(<BillingPage />, { route: '/billing' });
    const input = await screen.findByLabelText(/How many/);
    await user.clear(input);
    await user.type(input, '25');
    expect(screen.getByText('25 extra personas: $2.50')).toBeInTheDocument();
    await user.clear(input);
    await user.type(input, '100001');
    await user.click(screen.getByRole('button', { name: 'Review the purchase' }));
    expect(screen.getByText('At most 100,000 at a time.')).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(input).toHaveValue(100001);
    expect(fetchMock.mock.calls.some(([u]) => String(u).includes('quote'))).toBe(false);
  }, 45_000);

  it('a member sees the plan read-only, with a note and no buttons that would fail', async () => {
    serve(base('user'));
    renderPage(<BillingPage />, { route: '/billing' });
    expect(await screen.findByText('You can see the plan, but not change it')).toBeInTheDocument();
    expect(screen.getByText('Only admins can buy extra personas.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Upgrade to/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Downgrade to/ })).toBeNull();
    await waitFor(() => expect(screen.getByText('No invoices yet')).toBeInTheDocument());
  }, 45_000);
});
