import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tokenStore } from './client';
import type { Me, Session } from './types';

export const meKey = ['me'] as const;

export function useMe(enabled = true) {
  return useQuery({
    queryKey: meKey,
    queryFn: ({ signal }) => api.get<Me>('/api/auth/me', undefined, signal),
    enabled,
  });
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface RegisterInput extends LoginInput {
  company?: string;
  invite_token?: string;
}

function useSessionMutation<I>(path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: I) => api.post<Session>(path, input, { auth: false }),
    onSuccess: (session) => {
      qc.clear();
      tokenStore.set(session.token);
    },
  });
}

export const useLogin = () => useSessionMutation<LoginInput>('/api/auth/login');

export const useRegister = () => useSessionMutation<RegisterInput>('/api/auth/register');

/** Revokes the token; the local session ends even when the server cannot be reached. */
export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.post<void>('/api/auth/logout');
      } finally {
        tokenStore.clear('signedOut');
        qc.clear();
      }
    },
  });
}
