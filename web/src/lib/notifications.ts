import i18next, { type TFunction } from 'i18next';
import type { Notification } from '../api/types';
import { formatDate, formatNumber, formatUsd } from './format';

/** The limits' names as the API writes them (gate.c's limit_name) and plainly. */
const LIMIT_KEYS: Record<string, string> = {
  max_personas: 'usage.meters.personas',
  max_projects: 'usage.meters.projects',
  team_members: 'usage.meters.members',
  personas: 'usage.meters.personas',
  projects: 'usage.meters.projects',
  members: 'usage.meters.members',
};

/** The kinds the API sends (SPEC 5's alerts and billing.c's notes), each with a name. */
export const NOTIFICATION_KINDS = ['limit_approaching', 'extra_charge', 'plan_changed'] as const;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The kind's name ("Plan changed"), or the kind as the API wrote it. */
export function notificationKindName(kind: string, t: TFunction): string {
  return t(`notificationsPage.kindName.${kind}`, { defaultValue: kind });
}

/** A notification's text in the user's language when its kind is known, else the API's message. */
export function notificationText(n: Notification, t: TFunction, lng?: string): string {
  const d = n.data ?? {};
  const lang = lng ?? i18next.language ?? 'en';
  const plan = (p: unknown) => (str(p) ? t(`plans.${str(p)}`, { defaultValue: str(p) }) : '');
  const money = (cents: number) => formatUsd(cents / 100, lang);
  if (
    n.kind === 'limit_approaching' &&
    typeof d.used === 'number' &&
    typeof d.allowed === 'number'
  ) {
    const limit = typeof d.limit === 'string' ? d.limit : '';
    return t('notifications.kind.limit_approaching', {
      limit: LIMIT_KEYS[limit] ? t(LIMIT_KEYS[limit]) : limit,
      used: d.used,
      allowed: d.allowed,
      percent: typeof d.percent === 'number' ? d.percent : Math.round((d.used / d.allowed) * 100),
      plan: plan(d.plan),
    });
  }
  if (n.kind === 'extra_charge') {
    const quantity = num(d.quantity);
    const amount = num(d.amount_cents);
    const limit = num(d.max_personas);
    if (quantity !== null && amount !== null)
      return t(
        limit !== null
          ? 'notificationsPage.kind.extra_charge'
          : 'notificationsPage.kind.extra_charge_nolimit',
        {
          count: quantity,
          quantity: formatNumber(quantity, lang),
          amount: money(amount),
          number: num(d.invoice_number) ?? '',
          limit: limit !== null ? formatNumber(limit, lang) : '',
        },
      );
  }
  if (n.kind === 'plan_changed' && str(d.from) && str(d.to)) {
    const from = plan(d.from);
    const to = plan(d.to);
    const reason = str(d.reason);
    const amount = num(d.amount_cents);
    if (reason === 'upgrade' && amount !== null)
      return t('notificationsPage.kind.plan_changed.upgrade', {
        from,
        to,
        amount: money(amount),
        number: num(d.invoice_number) ?? '',
      });
    if (reason === 'scheduled_downgrade') {
      const at = str(d.effective_at);
      const date = at ? formatDate(at, lang) : '';
      return t('notificationsPage.kind.plan_changed.scheduled_downgrade', { from, to, date });
    }
    if (reason === 'operator')
      return t('notificationsPage.kind.plan_changed.operator', { from, to });
    return t('notificationsPage.kind.plan_changed.other', { from, to });
  }
  return n.message;
}
