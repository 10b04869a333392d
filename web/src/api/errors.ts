/*
 * What an ApiError means to the user, in their language. The API's messages
 * are English; the ones a form shows by field (the password policy, the
 * email, the invite) are recognised here and translated, anything else falls
 * back to a translated sentence for its code with the API's text as detail.
 */
import type { TFunction } from 'i18next';
import { ApiError, isApiError } from './client';

/** The i18n key of an error's headline, by code. */
export function errorTitleKey(err: unknown): string {
  if (!isApiError(err)) return 'errors.code.unknown';
  switch (err.code) {
    case 'network':
      return 'errors.code.network';
    case 'unauthorized':
      return 'errors.code.unauthorized';
    case 'forbidden':
      return 'errors.code.forbidden';
    case 'not_found':
      return 'errors.code.not_found';
    case 'conflict':
      return 'errors.code.conflict';
    case 'plan_limit':
      return 'errors.code.plan_limit';
    case 'rate_limited':
      return 'errors.code.rate_limited';
    case 'invalid_request':
    case 'malformed_json':
    case 'payload_too_large':
    case 'unsupported_media_type':
      return 'errors.code.invalid_request';
    case 'unavailable':
    case 'timeout':
    case 'upstream_error':
      return 'errors.code.unavailable';
    default:
      return 'errors.code.internal';
  }
}

/** The way forward an error offers. */
export type ErrorAction = 'retry' | 'upgrade' | 'back' | 'signin';

export function errorActions(err: unknown): ErrorAction[] {
  if (!isApiError(err)) return ['retry'];
  if (err.code === 'plan_limit') return ['upgrade'];
  if (err.code === 'forbidden') return err.field ? ['upgrade', 'back'] : ['back'];
  if (err.code === 'not_found') return ['back'];
  if (err.code === 'unauthorized') return ['signin'];
  if (err.code === 'invalid_request' || err.code === 'conflict') return ['back'];
  return ['retry'];
}

interface Pattern {
  re: RegExp;
  key: string;
  vars?: (m: RegExpMatchArray) => Record<string, string>;
}

/** Known field messages of the API (src/domain/password.c, accounts.c). */
const FIELD_PATTERNS: Record<string, Pattern[]> = {
  password: [
    { re: /^password: required/, key: 'errors.password.required' },
    {
      re: /^password: at least (\d+) characters/,
      key: 'errors.password.tooShort',
      vars: (m) => ({ min: m[1] ?? '10' }),
    },
    { re: /^password: at most/, key: 'errors.password.tooLong' },
    { re: /too common/, key: 'errors.password.common' },
    { re: /your email/, key: 'errors.password.email' },
    { re: /company name/, key: 'errors.password.company' },
    { re: /single repeated character/, key: 'errors.password.repeated' },
    { re: /repeat a short pattern/, key: 'errors.password.pattern' },
    { re: /keyboard pattern|simple sequence/, key: 'errors.password.sequence' },
  ],
  email: [
    { re: /^email is required/, key: 'errors.email.required' },
    { re: /not an email address/, key: 'errors.email.invalid' },
    { re: /an account with this email exists/, key: 'errors.email.taken' },
    { re: /invite is for another address/, key: 'errors.email.inviteOther' },
    { re: /at most/, key: 'errors.email.tooLong' },
  ],
  company: [{ re: /at most/, key: 'errors.company.tooLong' }],
  invite_token: [
    { re: /no such invite/, key: 'errors.invite.unknown' },
    { re: /already used/, key: 'errors.invite.used' },
    { re: /expired/, key: 'errors.invite.expired' },
    { re: /workspace is gone/, key: 'errors.invite.unknown' },
  ],
};

/** The error's message in the user's language when it is one the UI knows, else null. */
export function translateKnownMessage(err: ApiError, t: TFunction): string | null {
  const field = err.field;
  if (err.code === 'unauthorized' && /invalid email or password/.test(err.message))
    return t('errors.login.invalid');
  if (err.code === 'plan_limit' && field === 'team_members') return t('errors.invite.teamFull');
  if (!field) return null;
  for (const p of FIELD_PATTERNS[field] ?? []) {
    const m = err.message.match(p.re);
    if (m) return t(p.key, p.vars ? p.vars(m) : {});
  }
  return null;
}

/** A message for a form field: translated when known, the API's text otherwise. */
export function fieldErrorMessage(err: ApiError, t: TFunction): string {
  return translateKnownMessage(err, t) ?? err.message;
}

/** Field errors of a failed form submission: {field: message}, or {} when none is by field. */
export function fieldErrors(err: unknown, t: TFunction, fields: string[]): Record<string, string> {
  if (!isApiError(err) || !err.field || !fields.includes(err.field)) return {};
  if (err.code !== 'invalid_request' && err.code !== 'conflict') return {};
  return { [err.field]: fieldErrorMessage(err, t) };
}
