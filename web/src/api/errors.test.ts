import { describe, expect, it } from 'vitest';
import { setupI18n } from '../i18n';
import { ApiError } from './client';
import { errorActions, errorTitleKey, fieldErrors, translateKnownMessage } from './errors';

const err = (status: number, code: ApiError['code'], message: string, field?: string) =>
  new ApiError({ status, code, message, field });

describe('the API messages a form shows by field', () => {
  it('are translated into the UI language', () => {
    const i18n = setupI18n('pt-BR');
    const t = i18n.getFixedT('pt-BR');
    expect(
      translateKnownMessage(
        err(400, 'invalid_request', 'password: at least 10 characters', 'password'),
        t,
      ),
    ).toBe('Use pelo menos 10 caracteres.');
    const en = i18n.getFixedT('en');
    expect(
      translateKnownMessage(
        err(
          400,
          'invalid_request',
          'password: this password is too common (it appears in lists of leaked passwords)',
          'password',
        ),
        en,
      ),
    ).toMatch(/too common/);
    expect(
      translateKnownMessage(
        err(409, 'conflict', 'email: an account with this email exists', 'email'),
        en,
      ),
    ).toBe('An account with this email exists already. Sign in instead.');
    expect(
      translateKnownMessage(
        err(400, 'invalid_request', 'invite_token: the invite has expired', 'invite_token'),
        en,
      ),
    ).toBe('This invitation has expired.');
  });

  it('an unknown message stays as the API wrote it, by its field', () => {
    const t = setupI18n('en').getFixedT('en');
    const e = err(400, 'invalid_request', 'password: something new', 'password');
    expect(translateKnownMessage(e, t)).toBeNull();
    expect(fieldErrors(e, t, ['email', 'password'])).toEqual({
      password: 'password: something new',
    });
    expect(fieldErrors(e, t, ['email'])).toEqual({});
    expect(fieldErrors(new Error('x'), t, ['email'])).toEqual({});
  });
});

describe('every error offers a way forward', () => {
  it('by its code', () => {
    expect(errorActions(err(422, 'plan_limit', 'max_personas'))).toEqual(['upgrade']);
    expect(errorActions(err(0, 'network', 'offline'))).toEqual(['retry']);
    expect(errorActions(err(503, 'unavailable', 'busy'))).toEqual(['retry']);
    expect(errorActions(err(404, 'not_found', 'gone'))).toEqual(['back']);
    expect(errorActions(err(403, 'forbidden', 'needs api_access', 'api_access'))).toEqual([
      'upgrade',
      'back',
    ]);
    expect(errorActions(err(401, 'unauthorized', 'expired'))).toEqual(['signin']);
    expect(errorActions(new Error('boom'))).toEqual(['retry']);
  });

  it('and a headline of its own', () => {
    expect(errorTitleKey(err(0, 'network', 'x'))).toBe('errors.code.network');
    expect(errorTitleKey(err(504, 'timeout', 'x'))).toBe('errors.code.unavailable');
    expect(errorTitleKey(err(500, 'internal', 'x'))).toBe('errors.code.internal');
    expect(errorTitleKey('???')).toBe('errors.code.unknown');
  });
});
