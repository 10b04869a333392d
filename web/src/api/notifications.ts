import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { NotificationPage } from './types';

export function useUnreadNotifications() {
  return useQuery({
    queryKey: ['notifications', { unread: true }],
    queryFn: ({ signal }) =>
      api.get<NotificationPage>('/api/notifications', { unread: true, limit: 10 }, signal),
    refetchInterval: 60_000,
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ marked: number }>('/api/notifications/read-all'),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
}
