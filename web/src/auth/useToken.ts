import { useSyncExternalStore } from 'react';
import { tokenStore } from '../api/client';

/** The session's token, re-rendering when it is set or dropped. */
export function useToken(): string | null {
  return useSyncExternalStore(tokenStore.subscribe, tokenStore.get, () => null);
}

/** What the sign-in page is told by whoever sent the user there. */
export interface SignInState {
  from?: string;
  expired?: boolean;
  signedOut?: boolean;
}
