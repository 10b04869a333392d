import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { ApiKey } from '../../api/settings';
import type { Plan } from '../../api/types';
import { setupI18n } from '../../i18n';
import {
  canRevoke,
  checkName,
  firstPlanWithApi,
  modelHealth,
  settingsErrorMessage,
  sortKeys,
} from './settingsLogic';

const err = (status: number, code: ApiError['code'], message: string, field?: string) =>
  new ApiError({ status, code, message, field });
const en = setupI18n('en').getFixedT('en');

const key = (over: Partial<ApiKey>): ApiKey => ({
  id: 'k',
  name: 'k',
  prefix: 'ck_1234',
  user_id: 'u1',
  created_at: '2026-11-01T00:00:00Z',
  last_used_at: null,
  revoked_at: null,
  ...over,
});

describe('the settings helpers', () => {
  it("the API's refusals in words", () => {
    expect(
      settingsErrorMessage(
        err(403, 'forbidden', 'api_access is not available on the free plan', 'api_access'),
        en,
      ),
    ).toMatch(/does not include API access/);
    expect(
      settingsErrorMessage(
        err(
          422,
          'plan_limit',
          'api_keys: a workspace may have 25 live API keys and this one has 25; revoke one first',
          'api_keys',
        ),
        en,
      ),
    ).toBe('A workspace may have 25 keys in use. Revoke one you no longer need first.');
    expect(
      settingsErrorMessage(err(400, 'invalid_request', "'name' must not be empty", 'name'), en),
    ).toBe('Enter a name.');
    expect(
      settingsErrorMessage(err(403, 'forbidden', 'only a workspace admin may do this', 'role'), en),
    ).toMatch(/Only an admin/);
    expect(settingsErrorMessage(err(503, 'unavailable', 'busy'), en)).toBeNull();
  });

  it('names: trimmed, required, at most max characters (not bytes)', () => {
    expect(checkName('  ', 100, en)).toBe('Enter a name.');
    expect(checkName('ação'.repeat(25), 100, en)).toBeNull();
    expect(checkName('x'.repeat(101), 100, en)).toBe('Use at most 100 characters.');
  });

  it("the model's health", () => {
    expect(modelHealth({ available: true, reachable: true })).toBe('ok');
    expect(modelHealth({ available: true, reachable: false })).toBe('unreachable');
    expect(modelHealth({ available: false, reachable: true })).toBe('unavailable');
  });

  it('keys: in use first (newest first), then revoked; who may revoke', () => {
    const list = [
      key({ id: 'rev-old', revoked_at: '2026-11-02T00:00:00Z' }),
      key({ id: 'live-old', created_at: '2026-11-01T00:00:00Z' }),
      key({ id: 'rev-new', revoked_at: '2026-11-09T00:00:00Z' }),
      key({ id: 'live-new', created_at: '2026-11-05T00:00:00Z' }),
    ];
    expect(sortKeys(list).map((k) => k.id)).toEqual(['live-new', 'live-old', 'rev-new', 'rev-old']);
    expect(canRevoke(key({ user_id: 'me' }), 'me', false)).toBe(true);
    expect(canRevoke(key({ user_id: 'other' }), 'me', false)).toBe(false);
    expect(canRevoke(key({ user_id: 'other' }), 'me', true)).toBe(true);
    expect(canRevoke(key({ revoked_at: '2026-11-02T00:00:00Z' }), 'u1', true)).toBe(false);
  });

  it('the first plan with API access names the upgrade', () => {
    const plans = [
      { name: 'free', api_access: false },
      { name: 'business', api_access: true },
      { name: 'agency', api_access: true },
    ] as Plan[];
    expect(firstPlanWithApi(plans)).toBe('business');
    expect(firstPlanWithApi(undefined)).toBeNull();
  });
});
