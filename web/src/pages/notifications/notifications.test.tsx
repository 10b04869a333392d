import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notification } from '../../api/types';
import { setupI18n } from '../../i18n';
import { notificationText } from '../../lib/notifications';
import { jsonResponse, renderPage } from '../../test/render';
import NotificationsPage from './NotificationsPage';
import { checkWebhookUrl, urlErrorKey } from './webhookUrl';

const note = (kind: string, data: Record<string, unknown>, read = false): Notification => ({
  id: `n-${kind}-${String(read)}`,
  kind,
  message: `the API's words for ${kind}`,
  data,
  read,
  read_at: read ? '2026-11-02T00:00:00Z' : null,
  created_at: '2026-11-01T00:00:00Z',
});

const UPGRADE = note('plan_changed', {
  reason: 'upgrade',
  from: 'free',
  to: 'business',
  invoice_number: 1,
  amount_cents: 1552,
});

describe('notification texts', () => {
  it("says the billing kinds in the reader's language, with money in cents made dollars", () => {
    const i18n = setupI18n('en');
    const en = i18n.getFixedT('en');
    const pt = i18n.getFixedT('pt-BR');
    expect(notificationText(UPGRADE, en, 'en')).toBe(
      'Upgraded from the Free plan to the Business plan; $15.52 charged for the rest of the billing period (invoice #1).',
    );
    expect(notificationText(UPGRADE, pt, 'pt-BR')).toMatch(
      /^Upgrade do plano Gratuito para o plano Business; US\$\s15,52 cobrados/,
    );
    const extra = note('extra_charge', {
      quantity: 1,
      amount_cents: 8,
      invoice_number: 3,
      max_personas: 306,
    });
    expect(notificationText(extra, en, 'en')).toBe(
      'Bought 1 extra persona for $0.08 (invoice #3); the persona limit is now 306.',
    );
    const moved = note('plan_changed', {
      reason: 'scheduled_downgrade',
      from: 'business',
      to: 'individual',
      effective_at: '2026-12-26T06:38:05.191Z',
    });
    expect(notificationText(moved, en, 'en')).toMatch(
      /moved from the Business plan to the Individual plan at the end of its billing period \(Dec 2\d, 2026\)/,
    );
  });

  it("falls back to the API's message for a kind it does not know, or figures it lacks", () => {
    const en = setupI18n('en').getFixedT('en');
    expect(notificationText(note('run_finished', {}), en, 'en')).toBe(
      "the API's words for run_finished",
    );
    expect(notificationText(note('extra_charge', {}), en, 'en')).toBe(
      "the API's words for extra_charge",
    );
  });
});

describe('the webhook URL', () => {
  it('is checked as the server begins to, and its refusals are known', () => {
    expect(checkWebhookUrl('')).toBe('required');
    expect(checkWebhookUrl('ftp://x')).toBe('scheme');
    expect(checkWebhookUrl('https://a b')).toBe('spaces');
    expect(checkWebhookUrl('https://hooks.example.com/x')).toBeNull();
    expect(urlErrorKey('url: the port must be 1..65535')).toBe(
      'notificationsPage.webhook.url.port',
    );
    expect(urlErrorKey('url: something new')).toBeNull();
  });
});

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('NotificationsPage', () => {
  it('lists the notifications, marks one read, and never asks a member for the webhook', async () => {
    let read = false;
    const calls: string[] = [];
    fetchMock.mockImplementation(async (input, init) => {
      const url = new URL(String(input), 'http://localhost');
      const key = `${init?.method ?? 'GET'} ${url.pathname}`;
      calls.push(key);
      if (key === 'GET /api/auth/me')
        return jsonResponse(200, { user: { id: 'u', role: 'user' }, workspace: {}, plan: {} });
      if (key === 'GET /api/notifications')
        return jsonResponse(200, {
          notifications: [{ ...UPGRADE, read, read_at: read ? '2026-11-02T00:00:00Z' : null }],
          total: 1,
          limit: 20,
          offset: 0,
          unread: read ? 0 : 1,
        });
      if (key === `POST /api/notifications/${UPGRADE.id}/read`) {
        read = true;
        return jsonResponse(200, { ...UPGRADE, read: true });
      }
      return jsonResponse(404, { error: { code: 'not_found', message: 'no route' } });
    });
    const user = userEvent.setup({ delay: null });
    renderPage(<NotificationsPage />, { route: '/notifications' });
    expect(
      await screen.findByText(/Upgraded from the Free plan to the Business plan/),
    ).toBeInTheDocument();
    expect(screen.getByText('1 unread')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Mark as read' }));
    await waitFor(() => expect(screen.getByText('0 unread')).toBeInTheDocument());
    expect(screen.queryByRole('button', { name: 'Mark as read' })).toBeNull();
    expect(
      screen.getByText("Only the workspace's admins can see and set the webhook."),
    ).toBeInTheDocument();
    expect(calls.some((c) => c.includes('/api/workspace/webhook'))).toBe(false);
  }, 45_000);
});
