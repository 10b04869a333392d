/*
 * The team page's logic without React: the API's refusals in the user's
 * words, the seats left, the invite link, the order of the lists.
 */
import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client';
import type { Invite } from '../../api/team';
import type { Meter, Plan, User } from '../../api/types';

/**
 * The team page's words for an error of the members and invites API
 * (src/domain/members.c), or null when it is none of those it knows.
 */
export function teamErrorMessage(err: unknown, t: TFunction): string | null {
  if (!isApiError(err)) return null;
  const m = err.message;
  if (err.code === 'conflict') {
    let x = /'([^']+)' is the workspace's last admin and cannot be removed/.exec(m);
    if (x) return t('team.errors.lastAdminRemove', { email: x[1] });
    x = /'([^']+)' is the workspace's last admin/.exec(m);
    if (x) return t('team.errors.lastAdmin', { email: x[1] });
    if (/cannot remove yourself/.test(m)) return t('team.errors.removeSelf');
    x = /an account with '([^']+)' exists/.exec(m);
    if (x) return t('team.errors.emailTaken', { email: x[1] });
    if (/invite was accepted/.test(m)) return t('team.errors.inviteAccepted');
  }
  if (err.code === 'forbidden' && err.field === 'role') return t('team.errors.adminOnly');
  if (err.code === 'plan_limit' && err.field === 'team_members') {
    const x = /the (\w+) plan allows (\d+)/.exec(m);
    if (x)
      return t('team.errors.seatsFull', {
        count: Number(x[2]),
        plan: t(`plans.${x[1]}`, { defaultValue: x[1] }),
      });
    return t('errors.invite.teamFull');
  }
  if (err.code === 'not_found' && /no member/.test(m)) return t('team.errors.memberGone');
  if (err.code === 'not_found' && /no invite/.test(m)) return t('team.errors.inviteGone');
  if (err.code === 'invalid_request' && err.field === 'email') {
    if (/not an email address/.test(m)) return t('errors.email.invalid');
    if (/required/.test(m)) return t('team.invite.emailRequired');
  }
  return null;
}

/** Seats of the plan: free ones, and whether an invite would be refused. */
export function seats(meter: Meter | undefined): {
  full: boolean;
  free: number | null;
} {
  if (!meter) return { full: false, free: null };
  if (meter.limit === null) return { full: false, free: null };
  const free = Math.max(0, meter.limit - meter.used);
  return { full: free === 0, free };
}

/** The page a new member opens to join (the UI's /invite/:token). */
export function inviteLink(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/invite/${encodeURIComponent(token)}`;
}

/** The invites to show: open first (newest first), then expired, then accepted. */
export function sortInvites(invites: Invite[]): Invite[] {
  const rank = { open: 0, expired: 1, accepted: 2 } as const;
  return [...invites].sort(
    (a, b) => rank[a.status] - rank[b.status] || b.created_at.localeCompare(a.created_at),
  );
}

/** An open invite of this email (trimmed, any case), which a new invite would replace. */
export function openInviteFor(invites: Invite[] | undefined, email: string): Invite | undefined {
  const e = email.trim().toLowerCase();
  if (!e) return undefined;
  return invites?.find((i) => i.status === 'open' && i.email.toLowerCase() === e);
}

/** A quick look at an email before the API's own check: one @, something on both sides, a dot after it. */
export function looksLikeEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim());
}

/** The workspace's admins (to name whom a member should ask). */
export function adminsOf(members: User[] | undefined): User[] {
  return (members ?? []).filter((m) => m.role === 'admin');
}

/** The cheapest plan with room for a team (plans come cheapest first), for the upgrade prompt. */
export function firstTeamPlan(plans: Plan[] | undefined): string | null {
  return plans?.find((p) => p.team_members === null || p.team_members > 1)?.name ?? null;
}
