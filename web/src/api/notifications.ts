/*
 * Notifications (the workspace's; its read state is the workspace's too) and
 * the workspace webhook. Every query of the list lives under the key
 * ['notifications', ...], the bell's included, so marking read anywhere
 * refreshes the bell's count.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Notification, NotificationPage } from './types';

export const notificationsKey = ['notifications'] as const;

/** The navbar bell: the unread count and the latest unread ones. */
export function useUnreadNotifications() {
  return useQuery({
    queryKey: ['notifications', { unread: true }],
    queryFn: ({ signal }) =>
      api.get<NotificationPage>('/api/notifications', { unread: true, limit: 10 }, signal),
    refetchInterval: 60_000,
  });
}

export const NOTIFICATIONS_PAGE = 20;

/** One page of the list, all or only the unread. */
export function useNotifications(params: { unread: boolean; offset: number }) {
  return useQuery({
    queryKey: ['notifications', 'list', { ...params, limit: NOTIFICATIONS_PAGE }],
    queryFn: ({ signal }) =>
      api.get<NotificationPage>(
        '/api/notifications',
        { unread: params.unread || undefined, limit: NOTIFICATIONS_PAGE, offset: params.offset },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ marked: number }>('/api/notifications/read-all'),
    onSuccess: () => void qc.invalidateQueries({ queryKey: notificationsKey }),
  });
}

/** POST /api/notifications/{id}/read (again is fine). */
export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<Notification>(`/api/notifications/${encodeURIComponent(id)}/read`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: notificationsKey }),
  });
}

export interface WebhookDelivery {
  id: string;
  notification_id: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed' | string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  created_at: string;
}

export interface Webhook {
  url: string | null;
  created_at: string | null;
  updated_at: string | null;
  deliveries: WebhookDelivery[];
  /** whsec_...: only in the answer that made it */
  secret?: string | undefined;
}

export const webhookKey = ['webhook'] as const;

/** GET /api/workspace/webhook (admins only: a member's request is 403). */
export function useWebhook(enabled: boolean) {
  return useQuery({
    queryKey: webhookKey,
    queryFn: ({ signal }) => api.get<Webhook>('/api/workspace/webhook', undefined, signal),
    enabled,
  });
}

export function useSaveWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { url: string; rotate_secret?: boolean }) =>
      api.put<Webhook>('/api/workspace/webhook', v),
    onSuccess: (w) => {
      // the secret is shown once, from the mutation's answer: never kept in the cache
      qc.setQueryData<Webhook>(webhookKey, { ...w, secret: undefined });
    },
  });
}

export function useDeleteWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<void>('/api/workspace/webhook'),
    onSuccess: () => void qc.invalidateQueries({ queryKey: webhookKey }),
  });
}
