import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { sessionEndReason } from '../api/client';
import { useToken, type SignInState } from './useToken';

/**
 * Pages behind sign-in: without a token - never had one, or refused by the
 * API (a 401 drops it) - to /sign-in, coming back afterwards; after signing
 * out, to /sign-in saying so.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const token = useToken();
  const location = useLocation();
  if (!token) {
    const reason = sessionEndReason();
    // after signing out, signing in again starts afresh on the dashboard
    const state: SignInState =
      reason === 'signedOut'
        ? { signedOut: true }
        : { from: location.pathname + location.search, expired: reason === 'expired' };
    return <Navigate to="/sign-in" replace state={state} />;
  }
  return <>{children}</>;
}

/** Sign-in and sign-up: a signed-in user goes where they were going, else the dashboard. */
export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const token = useToken();
  const location = useLocation();
  const from = (location.state as SignInState | null)?.from;
  if (token) return <Navigate to={from && from.startsWith('/') ? from : '/dashboard'} replace />;
  return <>{children}</>;
}
