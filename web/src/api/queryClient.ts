import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './client';

/**
 * Retries only what may succeed as it is (network, 5xx), once; never a 4xx.
 * Every request counts against the session's allowance (600 a minute), so
 * queries stay fresh for 30 s and are not refetched on focus.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 1) return false;
  return isApiError(error) ? error.status === 0 || error.status >= 500 : false;
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
