import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tokenStore } from '../../api/client';
import { jsonResponse, renderPage } from '../../test/render';
import SignUp from './SignUp';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('SignUp', () => {
  it("shows the password policy's 400 under the password and keeps the input", async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(400, {
        error: {
          code: 'invalid_request',
          message: 'password: do not use your company name in your password',
          field: 'password',
        },
      }),
    );
    const user = userEvent.setup();
    renderPage(<SignUp />, { route: '/sign-up' });
    await user.type(screen.getByRole('textbox', { name: /email/i }), 'ana@acme.com');
    await user.type(screen.getByLabelText(/^password/i), 'acme-rocks-2026');
    await user.type(screen.getByRole('textbox', { name: /company/i }), 'Acme');
    await user.click(screen.getByRole('button', { name: /sign up/i }));

    expect(
      await screen.findByText("Do not use your company's name in your password."),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/^password/i)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('textbox', { name: /email/i })).toHaveValue('ana@acme.com');
    expect(screen.getByLabelText(/^password/i)).toHaveValue('acme-rocks-2026');
    const body = JSON.parse(String(fetchMock.mock.calls[0]![1]!.body));
    expect(body).toEqual({ email: 'ana@acme.com', password: 'acme-rocks-2026', company: 'Acme' });
    expect(tokenStore.get()).toBeNull();
  });

  it('a server failure offers to try again, and a retry that works signs in', async () => {
    fetchMock
      .mockResolvedValueOnce(
        jsonResponse(503, { error: { code: 'unavailable', message: 'the worker queue is full' } }),
      )
      .mockResolvedValueOnce(
        jsonResponse(201, { token: 'tok', expires_at: '', user: {}, workspace: {} }),
      );
    const user = userEvent.setup();
    renderPage(<SignUp />, { route: '/sign-up' });
    await user.type(screen.getByRole('textbox', { name: /email/i }), 'ana@acme.com');
    await user.type(screen.getByLabelText(/^password/i), 'blue kettle over 9 hills');
    await user.click(screen.getByRole('button', { name: /sign up/i }));
    expect(await screen.findByText('Crowdelic is busy right now')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(tokenStore.get()).toBe('tok'));
  });
});
