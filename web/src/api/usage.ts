import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { LlmStatus, Usage, UsageDay } from './types';

export function useUsage() {
  return useQuery({
    queryKey: ['usage'],
    queryFn: ({ signal }) => api.get<Usage>('/api/usage', undefined, signal),
  });
}

export function useUsageHistory(days: number) {
  return useQuery({
    queryKey: ['usage-history', days],
    queryFn: ({ signal }) =>
      api.get<{ days: UsageDay[] }>('/api/usage/history', { days }, signal).then((r) => r.days),
  });
}

export function useLlmStatus() {
  return useQuery({
    queryKey: ['llm-status'],
    queryFn: ({ signal }) => api.get<LlmStatus>('/api/llm/status', undefined, signal),
    staleTime: 60_000,
  });
}
