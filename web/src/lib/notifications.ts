import type { TFunction } from 'i18next';
import type { Notification } from '../api/types';

/** The limits' names as the API writes them (gate.c's limit_name) and plainly. */
const LIMIT_KEYS: Record<string, string> = {
  max_personas: 'usage.meters.personas',
  max_projects: 'usage.meters.projects',
  team_members: 'usage.meters.members',
  personas: 'usage.meters.personas',
  projects: 'usage.meters.projects',
  members: 'usage.meters.members',
};

/** A notification's text in the user's language when its kind is known, else the API's message. */
export function notificationText(n: Notification, t: TFunction): string {
  const d = n.data ?? {};
  if (
    n.kind === 'limit_approaching' &&
    typeof d.used === 'number' &&
    typeof d.allowed === 'number'
  ) {
    const limit = typeof d.limit === 'string' ? d.limit : '';
    const plan = typeof d.plan === 'string' ? d.plan : '';
    return t('notifications.kind.limit_approaching', {
      limit: LIMIT_KEYS[limit] ? t(LIMIT_KEYS[limit]) : limit,
      used: d.used,
      allowed: d.allowed,
      percent: typeof d.percent === 'number' ? d.percent : Math.round((d.used / d.allowed) * 100),
      plan: plan ? t(`plans.${plan}`, { defaultValue: plan }) : '',
    });
  }
  return n.message;
}
