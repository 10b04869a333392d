import { describe, expect, it } from 'vitest';
import { moneyToCents, newIdempotencyKey, type Billing } from '../../api/billing';
import type { Plan } from '../../api/types';
import { setupI18n } from '../../i18n';
import {
  checkQuantity,
  lineText,
  lineWords,
  meterOf,
  personaLimitAfter,
  planMove,
  planRank,
  refusalOf,
  spanText,
} from './logic';

const plan = (name: string, extra: Partial<Plan> = {}): Plan => ({
  name,
  price_month: '9.90',
  max_personas: 100,
  max_projects: 1,
  extra_persona: '0.10',
  api_access: false,
  advanced_analytics: false,
  priority_support: false,
  custom_personas: true,
  team_members: 1,
  custom: false,
  ...extra,
});

describe('plans', () => {
  it('ranks the plans as the server does and says what each card offers', () => {
    expect(planRank('free')).toBeLessThan(planRank('agency'));
    expect(planMove('business', plan('business'))).toBe('current');
    expect(planMove('business', plan('agency'))).toBe('upgrade');
    expect(planMove('business', plan('free'))).toBe('downgrade');
    expect(planMove('individual', plan('enterprise', { custom: true }))).toBe('contact');
    expect(planMove('enterprise', plan('enterprise', { custom: true }))).toBe('current');
  });

  it('reads the API money strings as whole cents', () => {
    expect(moneyToCents('24.90')).toBe(2490);
    expect(moneyToCents('0.08')).toBe(8);
    expect(moneyToCents('7')).toBe(700);
    expect(moneyToCents('0.5')).toBe(50);
    expect(moneyToCents(null)).toBeNull();
    expect(moneyToCents('abc')).toBeNull();
  });
});

describe('allowance', () => {
  it('is a meter, amber from 80 % like GET /api/usage, unlimited when null', () => {
    expect(meterOf({ used: 79, limit: 100 }).approaching_limit).toBe(false);
    expect(meterOf({ used: 80, limit: 100 }).approaching_limit).toBe(true);
    expect(meterOf({ used: 5, limit: null })).toEqual({
      used: 5,
      limit: null,
      approaching_limit: false,
    });
  });

  it('a purchase raises the persona limit by its quantity', () => {
    const b = { allowance: { personas: { used: 3, limit: 305 } } } as unknown as Billing;
    expect(personaLimitAfter(b, 10)).toBe(315);
  });
});

describe('a refused downgrade', () => {
  it("turns the API's details into what exceeds, by how many", () => {
    const r = refusalOf({
      plan: 'free',
      personas: { used: 30, limit: 25, exceeds: true },
      projects: { used: 0, limit: 1, exceeds: false },
      members: { used: 3, limit: 1, exceeds: true },
    });
    expect(r).toEqual({
      plan: 'free',
      excess: [
        { kind: 'personas', used: 30, limit: 25, over: 5 },
        { kind: 'members', used: 3, limit: 1, over: 2 },
      ],
    });
  });

  it('is not one without figures that exceed', () => {
    expect(refusalOf(undefined)).toBeNull();
    expect(refusalOf({ plan: 'free' })).toBeNull();
    expect(
      refusalOf({ plan: 'free', personas: { used: 1, limit: 20, exceeds: false } }),
    ).toBeNull();
  });
});

describe('the extra persona quantity', () => {
  it('is a whole number from 1 to 100000, as the API takes it', () => {
    expect(checkQuantity('5')).toEqual({ ok: true, quantity: 5 });
    expect(checkQuantity(' 12 ')).toEqual({ ok: true, quantity: 12 });
    expect(checkQuantity('')).toEqual({ ok: false, error: 'required' });
    expect(checkQuantity('2.5')).toEqual({ ok: false, error: 'whole' });
    expect(checkQuantity('1e3')).toEqual({ ok: false, error: 'whole' });
    expect(checkQuantity('0')).toEqual({ ok: false, error: 'min' });
    expect(checkQuantity('-3')).toEqual({ ok: false, error: 'min' });
    expect(checkQuantity('100000')).toEqual({ ok: true, quantity: 100000 });
    expect(checkQuantity('100001')).toEqual({ ok: false, error: 'max' });
  });
});

describe('Idempotency-Key', () => {
  it('is a v4 UUID, new each time', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('is made without crypto.randomUUID (an insecure origin)', () => {
    const c = globalThis.crypto;
    const saved = c.randomUUID;
    Object.defineProperty(c, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab]/);
    } finally {
      Object.defineProperty(c, 'randomUUID', { value: saved, configurable: true });
    }
  });
});

describe('invoice lines', () => {
  const line = (description: string) => ({
    kind: 'x',
    description,
    quantity: 1,
    unit_cents: 0,
    unit: '0.00',
    amount_cents: 0,
    amount: '0.00',
  });

  it("recognises the server's three descriptions", () => {
    expect(
      lineWords(
        'Upgrade from free (0.00 a month) to business (24.90 a month), prorated: 18 d 16 h 46 min left of 30 d 0 h 0 min',
      ),
    ).toEqual({
      key: 'upgrade',
      from: 'free',
      to: 'business',
      left: '18 d 16 h 46 min',
      period: '30 d 0 h 0 min',
    });
    expect(lineWords('1 extra persona at 0.08 each (business plan)')).toEqual({
      key: 'extra',
      quantity: 1,
      unit: '0.08',
      plan: 'business',
    });
    expect(lineWords('business plan, 2026-12-26 to 2027-01-26')).toMatchObject({
      key: 'subscription',
      start: '2026-12-26',
    });
    expect(lineWords('something else')).toBeNull();
  });

  it('says them in English and in Portuguese; an unknown one as it is', () => {
    const i18n = setupI18n('en');
    const en = i18n.getFixedT('en');
    const pt = i18n.getFixedT('pt-BR');
    expect(lineText(line('5 extra personas at 0.08 each (business plan)'), en, 'en')).toBe(
      '5 extra personas at $0.08 each (Business plan)',
    );
    expect(
      lineText(
        line(
          'Upgrade from free (0.00 a month) to business (24.90 a month), prorated: 18 d 16 h 46 min left of 30 d 0 h 0 min',
        ),
        pt,
        'pt-BR',
      ),
    ).toBe('Upgrade de Gratuito para Business, proporcional: faltavam 18 d 16 h 46 min de 30 dias');
    expect(lineText(line('business plan, 2026-12-26 to 2027-01-26'), en, 'en')).toBe(
      'Business plan, Dec 26, 2026 to Jan 26, 2027',
    );
    expect(lineText(line('a refund'), en, 'en')).toBe('a refund');
  });

  it('words a span of ms as the server does (minutes rounded down)', () => {
    const en = setupI18n('en').getFixedT('en');
    expect(spanText(((18 * 24 + 16) * 60 + 46) * 60_000 + 59_999, en)).toBe('18 d 16 h 46 min');
  });
});
