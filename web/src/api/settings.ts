/*
 * The settings page's API: the workspace (GET/PUT /api/workspace), the API
 * keys (GET/POST/DELETE /api/api-keys; the secret is in the POST's answer
 * only) and the model's full status (GET /api/llm/status).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { LlmStatus, Plan, Usage, Workspace } from './types';

export interface WorkspaceInfo {
  workspace: Workspace;
  plan: Plan;
  usage: Usage;
}

export interface ApiKey {
  id: string;
  name: string;
  /** the key's first characters, to recognise it */
  prefix: string;
  /** the member who made it; the key acts as them */
  user_id: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** POST /api/api-keys answers the key itself ("ck_..."), only that once. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface LlmCalls {
  completed?: number;
  failed?: number;
  in_flight?: number;
  queued?: number;
}

/** GET /api/llm/status in full (types.ts has what the badge needs). */
export interface LlmStatusDetail extends LlmStatus {
  calls?: LlmCalls;
  last_call?: { ok: boolean; at: string; error?: string | null } | null;
}

export const workspaceKey = ['workspace-info'] as const;
export const apiKeysKey = ['api-keys'] as const;

export function useWorkspace() {
  return useQuery({
    queryKey: workspaceKey,
    queryFn: ({ signal }) => api.get<WorkspaceInfo>('/api/workspace', undefined, signal),
  });
}

export function useRenameWorkspace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.put<Workspace>('/api/workspace', { name }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: workspaceKey });
      void qc.invalidateQueries({ queryKey: ['me'] });
      void qc.invalidateQueries({ queryKey: ['billing'] });
    },
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: apiKeysKey,
    queryFn: ({ signal }) =>
      api.get<{ api_keys: ApiKey[] }>('/api/api-keys', undefined, signal).then((r) => r.api_keys),
  });
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post<CreatedApiKey>('/api/api-keys', { name }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/api-keys/${encodeURIComponent(id)}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

/** The model's status, shared with the offline badge's query (same key, same answer). */
export function useLlmStatusDetail() {
  return useQuery({
    queryKey: ['llm-status'],
    queryFn: ({ signal }) => api.get<LlmStatusDetail>('/api/llm/status', undefined, signal),
    staleTime: 60_000,
  });
}
