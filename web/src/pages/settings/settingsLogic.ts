/*
 * The settings page's logic without React: the API's refusals in the
 * user's words, the model's health, the API keys' order and rights.
 */
import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client';
import type { ApiKey, LlmStatusDetail } from '../../api/settings';
import type { Plan } from '../../api/types';

export const WORKSPACE_NAME_MAX = 200;
export const KEY_NAME_MAX = 100;

/** The settings page's words for an error of /api/workspace or /api/api-keys, else null. */
export function settingsErrorMessage(err: unknown, t: TFunction): string | null {
  if (!isApiError(err)) return null;
  const m = err.message;
  if (err.code === 'forbidden' && err.field === 'role') return t('settings.errors.adminOnly');
  if (err.code === 'forbidden' && err.field === 'api_access') {
    if (/signed in with a token/.test(m)) return t('settings.errors.keyWithKey');
    return t('settings.errors.noApiAccess');
  }
  if (err.code === 'plan_limit' && err.field === 'api_keys') {
    const x = /may have (\d+) live API keys/.exec(m);
    return t('settings.errors.tooManyKeys', { max: x?.[1] ?? '25' });
  }
  if (err.code === 'invalid_request' && err.field === 'name') {
    if (/empty|required/.test(m)) return t('settings.errors.nameRequired');
    if (/at most/.test(m)) return t('settings.errors.nameTooLong');
    if (/control characters/.test(m)) return t('settings.errors.nameControl');
  }
  if (err.code === 'not_found' && /API key/.test(m)) return t('settings.errors.keyGone');
  return null;
}

/** A name as the API takes it: trimmed; the reason it would be refused, else null. */
export function checkName(name: string, max: number, t: TFunction): string | null {
  const v = name.trim();
  if (!v) return t('settings.errors.nameRequired');
  if ([...v].length > max) return t('settings.errors.nameTooLongMax', { max });
  return null;
}

export type ModelHealth = 'ok' | 'unreachable' | 'unavailable';

/** Whether the model answers: configured and built (available), and its server reachable. */
export function modelHealth(s: Pick<LlmStatusDetail, 'available' | 'reachable'>): ModelHealth {
  if (!s.available) return 'unavailable';
  return s.reachable ? 'ok' : 'unreachable';
}

/** Keys in use first (newest first), then the revoked ones (latest revoked first). */
export function sortKeys(keys: ApiKey[]): ApiKey[] {
  return [...keys].sort((a, b) => {
    if (!a.revoked_at !== !b.revoked_at) return a.revoked_at ? 1 : -1;
    if (a.revoked_at && b.revoked_at) return b.revoked_at.localeCompare(a.revoked_at);
    return b.created_at.localeCompare(a.created_at);
  });
}

/** A member revokes their own keys; an admin any key of the workspace. */
export function canRevoke(key: ApiKey, userId: string, isAdmin: boolean): boolean {
  return !key.revoked_at && (isAdmin || key.user_id === userId);
}

/** The cheapest plan that includes API access (plans come cheapest first), for the upgrade prompt. */
export function firstPlanWithApi(plans: Plan[] | undefined): string | null {
  return plans?.find((p) => p.api_access)?.name ?? null;
}
