/*
 * The workspace's people: GET /api/workspace/members, PUT/DELETE
 * /api/workspace/members/:id (admins), and the invites GET/POST/DELETE
 * /api/workspace/invites (admins; the token is shown only in the POST's
 * answer). Members and open invites both take a seat (usage.members).
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { User } from './types';

export type Role = User['role'];

export interface Invite {
  id: string;
  email: string;
  role: Role;
  status: 'open' | 'accepted' | 'expired';
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
}

/** POST /api/workspace/invites answers the invite with its token, only that once. */
export interface CreatedInvite extends Invite {
  token: string;
}

export const membersKey = ['team', 'members'] as const;
export const invitesKey = ['team', 'invites'] as const;

/** What a change of the team changes: the lists, the seats, maybe a notification at 80 %. */
function invalidateTeam(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: membersKey });
  void qc.invalidateQueries({ queryKey: invitesKey });
  void qc.invalidateQueries({ queryKey: ['usage'] });
  void qc.invalidateQueries({ queryKey: ['me'] });
  void qc.invalidateQueries({ queryKey: ['notifications'] });
}

export function useMembers() {
  return useQuery({
    queryKey: membersKey,
    queryFn: ({ signal }) =>
      api
        .get<{ members: User[] }>('/api/workspace/members', undefined, signal)
        .then((r) => r.members),
  });
}

/** The invites; only admins may read them (403 otherwise), so it waits for `enabled`. */
export function useInvites(enabled: boolean) {
  return useQuery({
    queryKey: invitesKey,
    queryFn: ({ signal }) =>
      api
        .get<{ invites: Invite[] }>('/api/workspace/invites', undefined, signal)
        .then((r) => r.invites),
    enabled,
  });
}

export function useSetMemberRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) =>
      api.put<User>(`/api/workspace/members/${encodeURIComponent(id)}`, { role }),
    onSettled: () => invalidateTeam(qc),
  });
}

export function useRemoveMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.delete<void>(`/api/workspace/members/${encodeURIComponent(id)}`),
    onSettled: () => invalidateTeam(qc),
  });
}

export function useCreateInvite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; role: Role }) =>
      api.post<CreatedInvite>('/api/workspace/invites', input),
    onSettled: () => invalidateTeam(qc),
  });
}

export function useRevokeInvite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.delete<void>(`/api/workspace/invites/${encodeURIComponent(id)}`),
    onSettled: () => invalidateTeam(qc),
  });
}
